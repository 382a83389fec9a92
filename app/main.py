"""create_app(): settings, database, middleware, routers, static files, error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from starlette.middleware.gzip import GZipMiddleware

from app.auth import api as auth_api
from app.auth import pages as auth_pages
from app.auth.deps import optional_user, require_csrf
from app.auth.security import make_password_hasher
from app.catalogue import api as catalogue_api
from app.catalogue import image_api, import_api, my_pages, photo_pages, reference_api, showroom_api, staff_pages
from app.catalogue import pages as catalogue_pages
from app.config import Settings, get_settings
from app.db import Database
from app.events import api as events_api
from app.events import pages as event_pages
from app.matching import api as matching_api
from app.matching import inquiry_pages
from app.matching import pages as matching_pages
from app.media.serving import mount_media
from app.observability import configure_logging, metrics_body
from app.ratelimit import RateLimiter
from app.reports import api as reports_api
from app.reports import pages as reports_pages
from app.search import api as search_api
from app.web import pages as site_pages
from app.web.errors import install_error_handlers
from app.web.middleware import RequestContextMiddleware
from app.web.page_cache import PublicPageCache
from app.web.templating import STATIC_DIR, CachedStaticFiles

API_PREFIX = "/api/v1"


def build_api_router() -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    api.include_router(auth_api.router)
    api.include_router(reference_api.router)
    api.include_router(catalogue_api.router)
    api.include_router(image_api.router)
    api.include_router(showroom_api.router)
    api.include_router(import_api.router)
    api.include_router(matching_api.router)
    api.include_router(events_api.router)
    api.include_router(reports_api.router)
    api.include_router(search_api.router)
    return api


def build_pages_router() -> APIRouter:
    # Every page knows its visitor and checks the CSRF token of every form it receives.
    from fastapi import Depends

    pages = APIRouter(dependencies=[Depends(require_csrf), Depends(optional_user)], include_in_schema=False)
    pages.include_router(site_pages.router)
    pages.include_router(auth_pages.router)
    pages.include_router(catalogue_pages.router)
    pages.include_router(my_pages.router)
    pages.include_router(staff_pages.router)
    pages.include_router(photo_pages.router)
    pages.include_router(inquiry_pages.router)
    pages.include_router(matching_pages.router)
    pages.include_router(event_pages.router)
    pages.include_router(reports_pages.router)
    return pages


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = database or Database.from_settings(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="ODOP Showroom",
        version="1.0",
        summary="Online showroom and business matching for Laos' One District One Product programme.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    configure_logging(json_logs=settings.is_production)
    app.state.settings = settings
    app.state.db = database
    app.state.password_hasher = make_password_hasher(settings)
    app.state.limiter = RateLimiter(settings.redis_url)

    install_error_handlers(app)
    # Outermost first at run time: request context → page cache (gzipped pages too) → gzip → routes.
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=6)
    app.add_middleware(PublicPageCache, ttl_seconds=settings.page_cache_seconds)
    app.add_middleware(RequestContextMiddleware, settings=settings)

    app.include_router(build_api_router())
    app.include_router(build_pages_router())
    # the photo upload checks its CSRF header itself (it streams its body)
    app.include_router(photo_pages.upload_router)
    app.mount("/static", CachedStaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    mount_media(app, settings)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> Response:
        """200 when the database answers, 503 otherwise."""
        try:
            with database.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except Exception:
            logging.getLogger("odop").warning("health check: database unavailable")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """Prometheus metrics: requests and latencies by route, database pool use."""
        body, content_type = metrics_body(database.engine.pool)
        return Response(body, media_type=content_type)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> Response:
        response = get_swagger_ui_html(openapi_url=app.openapi_url or "", title="ODOP Showroom API")
        # Swagger UI comes from its CDN and starts with an inline script: relax the CSP for this page only.
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
            "frame-ancestors 'none'"
        )
        return response

    return app
