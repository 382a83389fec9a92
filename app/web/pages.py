"""Site-wide pages that belong to no single domain: home, robots.txt."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from app.auth.deps import OptionalUser
from app.catalogue import reference_service
from app.db import SessionDep
from app.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    return render(
        request,
        "home.html",
        {
            "provinces": reference_service.provinces_with_counts(session),
            "categories": [c for c in reference_service.categories(session) if c.parent is None],
        },
    )


@router.get("/my")
def my_space(request: Request, user: OptionalUser) -> Response:
    from app.errors import NotAuthenticated

    if user is None:
        raise NotAuthenticated("Log in first.")
    return render(request, "my/index.html", {})


@router.get("/robots.txt", include_in_schema=False)
def robots() -> Response:
    return PlainTextResponse(
        "User-agent: *\nDisallow: /my/\nDisallow: /staff/\nDisallow: /api/\nSitemap: /sitemap.xml\n"
    )
