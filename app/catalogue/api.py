"""Producers and products over the JSON API (HTTP only: the rules are in service.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from app.auth.deps import CurrentUser, OptionalUser, StaffUser
from app.catalogue import presenters, repository, service
from app.catalogue.models import ProductStatus
from app.catalogue.schemas import (
    GradeIn,
    GradePublic,
    Page,
    ProducerCreate,
    ProducerPublic,
    ProducerUpdate,
    ProductCreate,
    ProductPublic,
    ProductUpdate,
    ReviewIn,
)
from app.db import SessionDep

router = APIRouter(tags=["catalogue"])

PageNo = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=100)]


def _product_out(session: SessionDep, viewer, product, producer) -> ProductPublic:  # type: ignore[no-untyped-def]
    images = repository.images_by_product(session, [product.id]).get(product.id, [])
    return presenters.product_public(product, producer, images, viewer, service.latest_grade(session, product.id))


# ---- producers -------------------------------------------------------------------------------


@router.post("/producers", status_code=status.HTTP_201_CREATED, response_model=ProducerPublic)
def create_producer(body: ProducerCreate, user: CurrentUser, session: SessionDep) -> ProducerPublic:
    """A producer account creates its own producer (one); staff create one for any owner."""
    return presenters.producer_public(service.create_producer(session, user, body))


@router.get("/producers", response_model=Page[ProducerPublic])
def list_producers(
    session: SessionDep,
    province: Annotated[str | None, Query(max_length=8)] = None,
    category: Annotated[str | None, Query(max_length=48)] = None,
    q: Annotated[str | None, Query(max_length=10_000)] = None,
    page: PageNo = 1,
    per_page: PerPage = 24,
) -> Page[ProducerPublic]:
    rows, total = repository.list_producers(
        session, province=province, category=category, q=q, page=page, per_page=per_page
    )
    return Page(items=[presenters.producer_public(p) for p in rows], total=total, page=page, per_page=per_page)


@router.get("/producers/{producer_id}", response_model=ProducerPublic)
def get_producer(producer_id: int, session: SessionDep) -> ProducerPublic:
    return presenters.producer_public(service.get_producer(session, producer_id))


@router.patch("/producers/{producer_id}", response_model=ProducerPublic)
def update_producer(producer_id: int, body: ProducerUpdate, user: CurrentUser, session: SessionDep) -> ProducerPublic:
    producer = service.producer_for_write(session, user, producer_id)
    return presenters.producer_public(service.update_producer(session, user, producer, body))


@router.delete("/producers/{producer_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_producer(producer_id: int, user: CurrentUser, session: SessionDep) -> Response:
    service.delete_producer(session, user, service.producer_for_write(session, user, producer_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- products --------------------------------------------------------------------------------


@router.post("/products", status_code=status.HTTP_201_CREATED, response_model=ProductPublic)
def create_product(body: ProductCreate, user: CurrentUser, session: SessionDep) -> ProductPublic:
    """Add a product to a producer; it starts as a draft."""
    product = service.create_product(session, user, body)
    return _product_out(session, user, product, service.get_producer(session, product.producer_id))


@router.get("/products", response_model=Page[ProductPublic])
def list_products(
    session: SessionDep,
    viewer: OptionalUser,
    q: Annotated[str | None, Query(max_length=10_000)] = None,
    province: Annotated[str | None, Query(max_length=8)] = None,
    category: Annotated[str | None, Query(max_length=48)] = None,
    producer: int | None = None,
    min_stars: Annotated[int | None, Query(ge=1, le=5)] = None,
    certification: Annotated[str | None, Query(max_length=40)] = None,
    price_min: Annotated[int | None, Query(ge=0)] = None,
    price_max: Annotated[int | None, Query(ge=0)] = None,
    sort: Literal["relevance", "newest", "price", "price_desc"] = "relevance",
    status_: Annotated[ProductStatus | None, Query(alias="status")] = None,
    page: PageNo = 1,
    per_page: PerPage = 24,
) -> Page[ProductPublic]:
    """Published products (or, with `status`, the caller's own in that state; staff: anyone's)."""
    filters = repository.ProductFilters(
        q=q,
        province=province,
        category=category,
        producer=producer,
        min_stars=min_stars,
        certification=certification,
        price_min=price_min,
        price_max=price_max,
        status=status_,
        sort=sort,
    )
    rows, total = repository.list_products(session, viewer, filters, page=page, per_page=per_page)
    images = repository.images_by_product(session, [p.id for p, _ in rows])
    items = [presenters.product_public(p, pr, images.get(p.id, []), viewer) for p, pr in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.get("/products/{product_id}", response_model=ProductPublic)
def get_product(product_id: int, viewer: OptionalUser, session: SessionDep) -> ProductPublic:
    product, producer = service.product_for_read(session, viewer, product_id)
    return _product_out(session, viewer, product, producer)


@router.patch("/products/{product_id}", response_model=ProductPublic)
def update_product(product_id: int, body: ProductUpdate, user: CurrentUser, session: SessionDep) -> ProductPublic:
    """Edit a product; on a published one, text edits wait for review while the product stays online."""
    product, producer = service.product_for_write(session, user, product_id)
    service.update_product(session, user, product, producer, body)
    return _product_out(session, user, product, producer)


@router.delete("/products/{product_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_product(product_id: int, user: CurrentUser, session: SessionDep) -> Response:
    product, producer = service.product_for_write(session, user, product_id)
    service.delete_product(session, user, product, producer)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/products/{product_id}/submit", response_model=ProductPublic)
def submit_product(product_id: int, user: CurrentUser, session: SessionDep) -> ProductPublic:
    """The owner sends the product to staff for review."""
    product, producer = service.product_for_write(session, user, product_id)
    service.submit_product(session, user, product, producer)
    return _product_out(session, user, product, producer)


@router.post("/products/{product_id}/review", response_model=ProductPublic)
def review_product(product_id: int, body: ReviewIn, user: StaffUser, session: SessionDep) -> ProductPublic:
    """Staff approve (publish, optionally with stars) or reject with a note."""
    product, producer = service.product_for_read(session, user, product_id)
    service.review_product(
        session, user, product, producer, approve=body.decision == "approve", stars=body.stars, note=body.note
    )
    return _product_out(session, user, product, producer)


@router.post("/products/{product_id}/grade", status_code=status.HTTP_201_CREATED, response_model=GradePublic)
def grade_product(product_id: int, body: GradeIn, user: StaffUser, session: SessionDep) -> GradePublic:
    """Staff record a new ODOP star grade (valid two years)."""
    product, _producer = service.product_for_read(session, user, product_id)
    grade = service.grade_product(session, user, product, stars=body.stars, note=body.note)
    return GradePublic(
        stars=grade.stars, graded_at=grade.graded_at, valid_until=grade.valid_until, graded_by_user_id=user.id
    )


@router.get("/review-queue", response_model=list[ProductPublic])
def review_queue(user: StaffUser, session: SessionDep) -> list[ProductPublic]:
    """Products waiting for review (new submissions and edits of published ones), oldest first."""
    rows, _total = service.review_queue(session, limit=100)
    images = repository.images_by_product(session, [p.id for p, _ in rows])
    return [presenters.product_public(p, pr, images.get(p.id, []), user) for p, pr in rows]
