"""A cache of whole public pages for anonymous visitors, who are most of the showroom's traffic.

A page qualifies when the request is an anonymous GET (no session cookie, no Authorization header) of a
public page, and the answer is a 200 HTML page that sets no cookie. Anonymous pages hold nothing personal
(base.html leaves out the CSRF token for them), so one copy serves every visitor. The key is the path, the
query, the negotiated language, the HTMX headers and whether the body is gzipped.

Every write transaction committed by this process clears the cache (app.db bumps `generation`), unless it
wrote only tables no cached page shows (app.db.PRIVATE_TABLES: logins, inquiries, the audit trail, events);
other processes see a change within TTL_SECONDS.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from cachetools import TTLCache
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TTL_SECONDS = 30
MAX_PAGES = 1024
MAX_BODY = 512 * 1024
CACHEABLE = re.compile(r"^/(|products|products/\d+|producers/\d+|provinces|provinces/[A-Za-z-]+|showrooms/\d+)$")
SESSION_COOKIE = "odop_session"

_lock = threading.Lock()
_caches: list[TTLCache] = []
_generation = 0


def invalidate() -> None:
    """Forget every cached page (called after each committed write)."""
    global _generation
    with _lock:
        _generation += 1
        for pages in _caches:
            pages.clear()


class PublicPageCache:
    def __init__(self, app: ASGIApp, ttl_seconds: int = TTL_SECONDS) -> None:
        self.app = app
        self.enabled = ttl_seconds > 0
        self.pages: TTLCache = TTLCache(maxsize=MAX_PAGES, ttl=max(ttl_seconds, 1))
        with _lock:
            _caches.append(self.pages)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            not self.enabled
            or scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not CACHEABLE.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        headers = {k: v for k, v in scope["headers"] if k in _KEY_HEADERS}
        cookie = headers.get(b"cookie", b"")
        if b"authorization" in headers or SESSION_COOKIE.encode() + b"=" in cookie:
            await self.app(scope, receive, send)
            return
        key = (
            scope["path"],
            scope.get("query_string", b""),
            scope.get("state", {}).get("lang"),
            headers.get(b"hx-request"),
            headers.get(b"hx-target"),
            headers.get(b"hx-history-restore-request"),
            b"gzip" in headers.get(b"accept-encoding", b""),
        )
        with _lock:
            hit = self.pages.get(key)
        if hit is not None:
            status, raw_headers, body = hit
            # a fresh message each time: outer middleware adds headers (cookies) to the dict it is given
            await send({"type": "http.response.start", "status": status, "headers": list(raw_headers)})
            await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
            return
        generation = _generation
        captured: dict[str, Any] = {"start": None, "chunks": [], "ok": True}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = dict(message.get("headers", []))
                captured["ok"] = (
                    message["status"] == 200
                    and response_headers.get(b"content-type", b"").startswith(b"text/html")
                    and b"set-cookie" not in response_headers
                )
                captured["start"] = (message["status"], tuple(message.get("headers", [])))
            elif message["type"] == "http.response.body" and captured["ok"]:
                captured["chunks"].append(message.get("body", b""))
                if sum(map(len, captured["chunks"])) > MAX_BODY:
                    captured["ok"] = False
                if not message.get("more_body") and captured["ok"] and scope["method"] == "GET":
                    with _lock:
                        if generation == _generation:  # nothing was written while this page was made
                            self.pages[key] = (*captured["start"], b"".join(captured["chunks"]))
            await send(message)

        await self.app(scope, receive, capture)


_KEY_HEADERS = {
    b"cookie",
    b"authorization",
    b"hx-request",
    b"hx-target",
    b"hx-history-restore-request",
    b"accept-encoding",
}
