"""Jinja2 rendering: one template per page; an HTMX request gets only the block it swaps."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2_fragments import render_block
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.search.highlight import highlighted
from app.web.formatting import Formatter
from app.web.i18n import LANGUAGE_NAMES, LANGUAGES, Translator, localized

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,  # every template escapes; Markup only for strings we built ourselves
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals["highlight"] = highlighted  # the words a search matched, in <mark>


@lru_cache(maxsize=256)
def _static_version(relpath: str) -> str:
    try:
        return hashlib.sha256((STATIC_DIR / relpath).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def static_url(relpath: str) -> str:
    """A cache-busting URL: the file's content hash, so it can be cached for a year."""
    return f"/static/{relpath}?v={_static_version(relpath)}"


def _htmx_path() -> str:
    found = sorted(STATIC_DIR.glob("vendor/htmx/htmx-*.min.js"))
    return str(found[-1].relative_to(STATIC_DIR)) if found else "vendor/htmx/htmx.min.js"


HTMX_PATH = _htmx_path()


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


def url_with(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


def base_context(request: Request) -> dict[str, Any]:
    lang = getattr(request.state, "lang", "lo")
    translator = Translator(lang)
    return {
        "request": request,
        "lang": lang,
        "_": translator.gettext,
        "ngettext": translator.ngettext,
        "languages": LANGUAGES,
        "language_names": LANGUAGE_NAMES,
        "csrf_token": getattr(request.state, "csrf_token", None) or "",
        "user": getattr(request.state, "user", None),
        "localized": lambda text: localized(text, lang),
        "static_url": static_url,
        "htmx_path": HTMX_PATH,
        "fmt": Formatter(lang),
        "url_with": lambda **kw: url_with(request, **kw),
    }


def htmx_target(request: Request) -> str | None:
    """The id of the element an HTMX request will swap (without '#'), or None for a full page."""
    return request.headers.get("hx-target") if is_htmx(request) else None


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    fragment: str | None = "content",
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page, or only its `fragment` block when HTMX asks (history restores get the page)."""
    ctx = base_context(request)
    if context:
        ctx.update(context)
    if fragment and is_htmx(request):
        html = render_block(env, name, fragment, ctx)
    else:
        html = env.get_template(name).render(ctx)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request, Cookie, Accept-Language"
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


class CachedStaticFiles(StaticFiles):
    """Static files with a year-long cache when asked for by content hash (?v=)."""

    async def get_response(self, path: str, scope: Scope):  # type: ignore[no-untyped-def]
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            versioned = b"v=" in scope.get("query_string", b"")
            response.headers["Cache-Control"] = (
                "public, max-age=31536000, immutable" if versioned else "public, max-age=3600"
            )
        return response
