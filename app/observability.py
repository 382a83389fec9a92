"""Structured logs with the request id, and Prometheus metrics (requests and latencies by route, DB pool).

Metrics are labelled by the route template (`/products/{product_id}`), never the raw path, so their number
stays bounded. With several worker processes (`odop serve --workers N`) each process writes to
PROMETHEUS_MULTIPROC_DIR and /metrics aggregates them.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as prom_multiprocess

REQUESTS = Counter("odop_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "odop_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POOL_CHECKED_OUT = Gauge("odop_db_pool_checked_out", "Database connections in use", multiprocess_mode="livesum")
POOL_SIZE = Gauge("odop_db_pool_size", "Database pool size", multiprocess_mode="max")

access_log = structlog.get_logger("odop.access")


def configure_logging(json_logs: bool) -> None:
    """One line per event; JSON in production (for log shippers), readable key=value in development."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    # Plain tracebacks, never rich's with local variables: rendering a local's repr can touch the database
    # (an expired ORM object refreshing itself) while the handler's lock is held, so during a database outage
    # one failing request's log line stalled every request that logs (found by tests/faults).
    renderer = (
        structlog.processors.JSONRenderer()
        if json_logs
        else structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared, processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer]
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("uvicorn.access").disabled = True  # our access line carries the request id and route


def observe_request(method: str, route: str, status: int, seconds: float, request_id: str) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
    if route not in ("/metrics", "/healthz"):
        access_log.info(
            "request", method=method, route=route, status=status, ms=round(seconds * 1000, 1), request_id=request_id
        )


def metrics_body(pool: Any) -> tuple[bytes, str]:
    """The Prometheus exposition, with the pool gauges sampled now."""
    try:
        POOL_CHECKED_OUT.set(pool.checkedout())
        POOL_SIZE.set(pool.size())
    except (AttributeError, NotImplementedError):  # pools without these counters
        pass
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


class RouteTemplates:
    """Maps a matched request to its full route template (e.g. /api/v1/products/{product_id}).

    FastAPI mounts included routers lazily, so the route in the scope knows only its path relative to
    its router's prefix; the flattened table from fastapi.routing.iter_route_contexts has the full paths.
    """

    def __init__(self) -> None:
        self._by_endpoint: dict[Any, list[tuple[Any, str]]] | None = None

    def _build(self, app: Any) -> dict[Any, list[tuple[Any, str]]]:
        from fastapi.routing import iter_route_contexts
        from starlette.routing import compile_path

        table: dict[Any, list[tuple[Any, str]]] = {}
        for ctx in iter_route_contexts(app.routes):
            if ctx.endpoint is not None and ctx.path:
                regex, _fmt, _conv = compile_path(ctx.path)
                table.setdefault(ctx.endpoint, []).append((regex, ctx.path))
        return table

    def template(self, scope: dict[str, Any]) -> str:
        endpoint = scope.get("endpoint")
        route = scope.get("route")
        if endpoint is None:
            return getattr(route, "path", None) or "unmatched"
        if self._by_endpoint is None:
            self._by_endpoint = self._build(scope["app"])
        candidates = self._by_endpoint.get(endpoint, [])
        if len(candidates) == 1:
            return candidates[0][1]
        path = scope.get("path", "")
        for regex, template in candidates:
            if regex.match(path):
                return template
        return getattr(route, "path", None) or "unmatched"


route_templates = RouteTemplates()
