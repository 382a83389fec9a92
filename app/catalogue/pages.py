"""Public catalogue pages: browse and search, product, producer, provinces, showrooms, QR codes, print sheet,
sitemap. HTTP only; the rules live in service.py and the queries in repository.py."""

from __future__ import annotations

import io
import math
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import segno
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import select

from app.auth.deps import OptionalUser
from app.auth.models import User
from app.catalogue import presenters, reference_service, repository, service, showrooms
from app.catalogue.models import Producer, Product, ProductStatus
from app.catalogue.reference import Province
from app.catalogue.schemas import CERTIFICATIONS, ProductCard
from app.db import SessionDep
from app.errors import DomainError, NotFound
from app.web.templating import htmx_target, render

router = APIRouter()
PER_PAGE = 24
SITEMAP_CHUNK = 10_000
SORTS = ("relevance", "newest", "price", "price_desc")


def _int(value: str | None, low: int, high: int) -> int | None:
    """Lenient parsing for page filters: a hand-edited URL shows results, never an error page."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and low <= number <= high else None


def browse_filters(params: Any) -> repository.ProductFilters:
    sort = params.get("sort") or "relevance"
    return repository.ProductFilters(
        q=(params.get("q") or "")[:200] or None,
        province=(params.get("province") or None),
        category=(params.get("category") or None),
        min_stars=_int(params.get("min_stars"), 1, 5),
        certification=(params.get("certification") or None),
        price_min=_int(params.get("price_min"), 0, 10**12),
        price_max=_int(params.get("price_max"), 0, 10**12),
        sort=sort if sort in SORTS else "relevance",
    )


def product_cards(
    session: SessionDep, viewer: User | None, f: repository.ProductFilters, *, page: int, per_page: int
) -> tuple[list[ProductCard], int]:
    """One page of product cards and the total (two queries: the page with covers and producers, the count)."""
    rows, total = repository.list_product_cards(session, viewer, f, page=page, per_page=per_page)
    return presenters.product_cards(rows), total


def cards_of(session: SessionDep, rows) -> list[ProductCard]:  # type: ignore[no-untyped-def]
    """Cards of (…, Product, Producer) rows loaded elsewhere (showroom listings), photos in one query."""
    images = repository.images_by_product(session, [row[-2].id for row in rows])
    return [
        presenters.product_card(p, pr.name, images[p.id][0].paths if images.get(p.id) else None) for *_, p, pr in rows
    ]


@router.get("/products")
def browse(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    filters = browse_filters(request.query_params)
    page = _int(request.query_params.get("page"), 1, 10_000) or 1
    try:
        cards, total = product_cards(session, user, filters, page=page, per_page=PER_PAGE)
    except DomainError:  # a malformed filter value (e.g. certification) shows no results, not an error
        cards, total = [], 0
    context = {
        "filters": filters,
        "products": cards,
        "total": total,
        "page": page,
        "pages": max(1, math.ceil(total / PER_PAGE)),
        "provinces": reference_service.provinces(session),
        "categories": reference_service.categories(session),
        "certifications": CERTIFICATIONS,
    }
    fragment = "results" if htmx_target(request) == "results" else "content"
    # The counts show in the filter form, which a live search (the results alone) does not redraw:
    # counting every match again for nothing would double the cost of a broad search.
    context["facets"] = None if fragment == "results" else _facets(session, user, filters)
    return render(request, "catalogue/product_list.html", context, fragment=fragment)


def _facets(session: SessionDep, user, filters: repository.ProductFilters) -> dict | None:  # type: ignore[no-untyped-def]
    if not filters.q:  # facets describe a search; without one the counts would scan every published product
        return None
    from app.search import facets

    return facets.facet_counts(session, user, filters)


@router.get("/products/{product_id}")
def product_page(product_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    product, producer = service.product_for_read(session, user, product_id)
    images = repository.images_by_product(session, [product.id]).get(product.id, [])
    view = presenters.product_public(product, producer, images, user, service.latest_grade(session, product.id))
    related, _ = product_cards(
        session, user, repository.ProductFilters(producer=producer.id, sort="newest"), page=1, per_page=5
    )
    related = [card for card in related if card.id != product.id][:4]
    return render(
        request,
        "catalogue/product_detail.html",
        {
            "product": view,
            "producer": producer,
            "province": session.get(Province, product.province_code),
            "category": next((c for c in reference_service.categories(session) if c.slug == product.category), None),
            "related": related,
            "can_edit": service.may_manage(user, producer),
            "certification_names": CERTIFICATIONS,
        },
    )


@router.get("/products/{product_id}/sheet")
def product_sheet(product_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """A printable A4/A5 product sheet for the showroom shelf and fair booths."""
    product, producer = service.product_for_read(session, user, product_id)
    images = repository.images_by_product(session, [product.id]).get(product.id, [])
    view = presenters.product_public(product, producer, images, user)
    return render(
        request,
        "catalogue/product_sheet.html",
        {"product": view, "producer": producer, "province": session.get(Province, product.province_code)},
        fragment=None,
    )


def _qr_svg(request: Request, path: str) -> Response:
    qr = segno.make(str(request.base_url).rstrip("/") + path, error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title="QR code")
    return Response(buf.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/products/{product_id}/qr.svg")
def product_qr(product_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    service.product_for_read(session, user, product_id)
    return _qr_svg(request, f"/products/{product_id}")


@router.get("/producers/{producer_id}/qr.svg")
def producer_qr(producer_id: int, request: Request, session: SessionDep) -> Response:
    service.get_producer(session, producer_id)
    return _qr_svg(request, f"/producers/{producer_id}")


@router.get("/producers/{producer_id}")
def producer_page(producer_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    producer = service.get_producer(session, producer_id)
    page = _int(request.query_params.get("page"), 1, 10_000) or 1
    cards, total = product_cards(
        session, user, repository.ProductFilters(producer=producer.id, sort="newest"), page=page, per_page=PER_PAGE
    )
    return render(
        request,
        "catalogue/producer_detail.html",
        {
            "producer": producer,
            "province": session.get(Province, producer.province_code),
            "products": cards,
            "total": total,
            "page": page,
            "pages": max(1, math.ceil(total / PER_PAGE)),
            "can_edit": service.may_manage(user, producer),
        },
    )


@router.get("/provinces")
def provinces_page(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    return render(
        request, "catalogue/province_list.html", {"provinces": reference_service.provinces_with_counts(session)}
    )


@router.get("/provinces/{code}")
def province_page(code: str, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """A province's online showroom: featured listings of its showrooms, then all its published products."""
    province = session.get(Province, code.upper())
    if province is None:
        raise NotFound("There is no such province.")
    page = _int(request.query_params.get("page"), 1, 10_000) or 1
    cards, total = product_cards(
        session, user, repository.ProductFilters(province=province.code, sort="newest"), page=page, per_page=PER_PAGE
    )
    featured = cards_of(session, showrooms.featured_in_province(session, province.code))
    rooms, _ = showrooms.list_showrooms(session, province.code, page=1, per_page=50)
    context = {
        "province": province,
        "featured": featured,
        "showrooms": rooms,
        "products": cards,
        "total": total,
        "page": page,
        "pages": max(1, math.ceil(total / PER_PAGE)),
    }
    fragment = "results" if htmx_target(request) == "results" else "content"
    return render(request, "catalogue/province_detail.html", context, fragment=fragment)


@router.get("/showrooms/{showroom_id}")
def showroom_page(showroom_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    showroom = showrooms.get_showroom(session, showroom_id)
    rows = showrooms.listings(session, showroom_ids=[showroom.id])
    cards = list(zip([listing for listing, _, _ in rows], cards_of(session, rows), strict=True))
    return render(
        request,
        "catalogue/showroom_detail.html",
        {"showroom": showroom, "province": session.get(Province, showroom.province_code), "listings": cards},
    )


@router.get("/sitemap.xml", include_in_schema=False)
def sitemap_index(request: Request, session: SessionDep) -> Response:
    """A sitemap index: the fixed pages, then products in chunks (a sitemap holds at most 50,000 URLs)."""
    import sqlalchemy as sa

    base = str(request.base_url).rstrip("/")
    published = session.exec(
        select(sa.func.count(Product.id)).where(Product.status == ProductStatus.published, Product.deleted_at.is_(None))
    ).one()
    parts = [f"{base}/sitemap-pages.xml"] + [
        f"{base}/sitemap-products-{i}.xml" for i in range(max(1, math.ceil(published / SITEMAP_CHUNK)))
    ]
    body = "".join(f"<sitemap><loc>{xml_escape(u)}</loc></sitemap>" for u in parts)
    return Response(
        f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>',
        media_type="application/xml",
    )


def _urlset(urls: list[str]) -> Response:
    body = "".join(f"<url><loc>{xml_escape(u)}</loc></url>" for u in urls)
    return Response(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>',
        media_type="application/xml",
    )


@router.get("/sitemap-pages.xml", include_in_schema=False)
def sitemap_pages(request: Request, session: SessionDep) -> Response:
    base = str(request.base_url).rstrip("/")
    urls = [f"{base}/", f"{base}/products", f"{base}/provinces"]
    urls += [f"{base}/provinces/{p.code}" for p in reference_service.provinces(session)]
    urls += [
        f"{base}/producers/{pid}" for pid in session.exec(select(Producer.id).where(Producer.deleted_at.is_(None)))
    ]
    return _urlset(urls[:50_000])


@router.get("/sitemap-products-{chunk}.xml", include_in_schema=False)
def sitemap_products(chunk: int, request: Request, session: SessionDep) -> Response:
    base = str(request.base_url).rstrip("/")
    ids = session.exec(
        select(Product.id)
        .where(Product.status == ProductStatus.published, Product.deleted_at.is_(None))
        .order_by(Product.id)
        .offset(max(0, chunk) * SITEMAP_CHUNK)
        .limit(SITEMAP_CHUNK)
    ).all()
    return _urlset([f"{base}/products/{i}" for i in ids])
