"""Site-wide pages that belong to no single domain: home, my space, robots.txt."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from app.auth.deps import OptionalUser
from app.catalogue import presenters, reference_service, repository
from app.db import SessionDep
from app.web.templating import render

router = APIRouter()
HOME_PRODUCTS = 8


@router.get("/")
def home(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """Featured products (best graded, newest), the provinces with their counts, the categories."""
    rows, _total = repository.list_product_cards(
        session, user, repository.ProductFilters(min_stars=4, sort="newest"), page=1, per_page=HOME_PRODUCTS
    )
    if len(rows) < HOME_PRODUCTS:
        rows, _total = repository.list_product_cards(
            session, user, repository.ProductFilters(sort="newest"), page=1, per_page=HOME_PRODUCTS
        )
    return render(
        request,
        "home.html",
        {
            "featured": presenters.product_cards(rows),
            "provinces": reference_service.provinces_with_counts(session),
            "categories": [c for c in reference_service.categories(session) if c.parent is None],
        },
    )


@router.get("/robots.txt", include_in_schema=False)
def robots(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    return PlainTextResponse(
        f"User-agent: *\nDisallow: /my/\nDisallow: /staff/\nDisallow: /api/\nSitemap: {base}/sitemap.xml\n"
    )
