"""One pure-ASGI middleware for what every response needs: a request id, the visitor's language,
the CSRF cookie, and the security headers. Pure ASGI (not BaseHTTPMiddleware) to stay cheap."""

from __future__ import annotations

import time
import uuid
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.auth.security import csrf_token_is_valid, make_csrf_token
from app.config import Settings
from app.observability import observe_request, route_templates
from app.web.i18n import LANG_COOKIE, negotiate

CSRF_COOKIE = "odop_csrf"
ONE_YEAR = 365 * 24 * 3600

# No inline scripts; htmx's indicator styles are disabled (meta htmx-config) and live in app.css.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)


def _cookie_header(name: str, value: str, *, max_age: int, http_only: bool, secure: bool) -> str:
    parts = [f"{name}={value}", "Path=/", f"Max-Age={max_age}", "SameSite=Lax"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cookies: dict[str, str] = {}
        if "cookie" in headers:
            try:
                jar = SimpleCookie()
                jar.load(headers["cookie"])
                cookies = {k: m.value for k, m in jar.items()}
            except Exception:  # a malformed Cookie header is the client's problem, not a 500
                cookies = {}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        query_lang = (query.get("lang") or [None])[0]
        lang = negotiate(query_lang, cookies.get(LANG_COOKIE), headers.get("accept-language"))

        path: str = scope.get("path", "")
        is_page = not path.startswith(("/api/", "/static/", "/media/", "/healthz", "/metrics"))
        incoming_csrf = cookies.get(CSRF_COOKIE)
        csrf = incoming_csrf if csrf_token_is_valid(self.settings.secret_key, incoming_csrf) else None
        if csrf is None and is_page:
            csrf = make_csrf_token(self.settings.secret_key)

        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
        state["lang"] = lang
        state["csrf_token"] = csrf
        state["csrf_cookie"] = incoming_csrf
        secure = self.settings.is_production
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                out = MutableHeaders(scope=message)
                out.setdefault("X-Content-Type-Options", "nosniff")
                out.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
                out.setdefault("X-Frame-Options", "DENY")
                out.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                out.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                out["X-Request-ID"] = state["request_id"]
                if secure:
                    out.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
                if query_lang in ("lo", "en", "th") and query_lang != cookies.get(LANG_COOKIE):
                    out.append(
                        "Set-Cookie",
                        _cookie_header(LANG_COOKIE, query_lang, max_age=ONE_YEAR, http_only=True, secure=secure),
                    )
                # A handler may rotate the token (login) by replacing state["csrf_token"].
                current = state.get("csrf_token")
                if current and current != incoming_csrf:
                    out.append(
                        "Set-Cookie",
                        _cookie_header(CSRF_COOKIE, current, max_age=ONE_YEAR, http_only=True, secure=secure),
                    )
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            template = route_templates.template(scope)
            observe_request(
                scope.get("method", "-"),
                template,
                status_holder["status"],
                time.perf_counter() - started,
                state["request_id"],
            )
