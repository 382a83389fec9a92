"""Showrooms, their listings, and a province's online showroom over the API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from app.auth.deps import OptionalUser, StaffUser
from app.catalogue import presenters, repository, showrooms
from app.catalogue.reference import Province
from app.catalogue.schemas import Name, Page, ProductPublic
from app.db import SessionDep
from app.errors import N_, NotFound

router = APIRouter(tags=["showrooms"])


class ShowroomCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name
    province_code: str = Field(max_length=8)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=40)
    opening_hours: str | None = Field(default=None, max_length=200)


class ShowroomUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name | None = None
    province_code: str | None = Field(default=None, max_length=8)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=40)
    opening_hours: str | None = Field(default=None, max_length=200)


class ShowroomPublic(BaseModel):
    id: int
    name: dict[str, str]
    province_code: str
    address: str | None
    phone: str | None
    opening_hours: str | None


class ListingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: int
    featured: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class ListingPublic(BaseModel):
    id: int
    showroom_id: int
    product_id: int
    featured: bool
    starts_on: dt.date | None
    ends_on: dt.date | None
    product: ProductPublic | None = None


class ProvinceShowroom(BaseModel):
    province_code: str
    name: dict[str, str]
    showrooms: list[ShowroomPublic]
    featured: list[ProductPublic]
    products: Page[ProductPublic]


def _showroom_out(s) -> ShowroomPublic:  # type: ignore[no-untyped-def]
    return ShowroomPublic.model_validate(s, from_attributes=True)


def _listings_out(session, rows, viewer) -> list[ListingPublic]:  # type: ignore[no-untyped-def]
    images = repository.images_by_product(session, [p.id for _, p, _ in rows])
    return [
        ListingPublic(
            id=listing.id,
            showroom_id=listing.showroom_id,
            product_id=listing.product_id,
            featured=listing.featured,
            starts_on=listing.starts_on,
            ends_on=listing.ends_on,
            product=presenters.product_public(product, producer, images.get(product.id, []), viewer),
        )
        for listing, product, producer in rows
    ]


@router.get("/showrooms", response_model=Page[ShowroomPublic])
def list_showrooms(
    session: SessionDep,
    province: Annotated[str | None, Query(max_length=8)] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 24,
) -> Page[ShowroomPublic]:
    rows, total = showrooms.list_showrooms(session, province, page=page, per_page=per_page)
    return Page(items=[_showroom_out(s) for s in rows], total=total, page=page, per_page=per_page)


@router.post("/showrooms", status_code=status.HTTP_201_CREATED, response_model=ShowroomPublic)
def create_showroom(body: ShowroomCreate, user: StaffUser, session: SessionDep) -> ShowroomPublic:
    return _showroom_out(showrooms.create_showroom(session, user, **body.model_dump()))


@router.get("/showrooms/{showroom_id}", response_model=ShowroomPublic)
def get_showroom(showroom_id: int, session: SessionDep) -> ShowroomPublic:
    return _showroom_out(showrooms.get_showroom(session, showroom_id))


@router.patch("/showrooms/{showroom_id}", response_model=ShowroomPublic)
def update_showroom(showroom_id: int, body: ShowroomUpdate, user: StaffUser, session: SessionDep) -> ShowroomPublic:
    showroom = showrooms.get_showroom(session, showroom_id)
    return _showroom_out(showrooms.update_showroom(session, user, showroom, body.model_dump(exclude_unset=True)))


@router.get("/showrooms/{showroom_id}/listings", response_model=list[ListingPublic])
def list_listings(
    showroom_id: int,
    session: SessionDep,
    viewer: OptionalUser,
    include_inactive: Annotated[bool, Query(description="Staff: also listings outside their dates")] = False,
) -> list[ListingPublic]:
    """Today's listings of a showroom, featured first."""
    showroom = showrooms.get_showroom(session, showroom_id)
    only_active = not (include_inactive and viewer is not None and viewer.is_staff)
    rows = showrooms.listings(session, showroom_ids=[showroom.id], only_active=only_active)
    return _listings_out(session, rows, viewer)


@router.post("/showrooms/{showroom_id}/listings", status_code=status.HTTP_201_CREATED, response_model=ListingPublic)
def add_listing(showroom_id: int, body: ListingCreate, user: StaffUser, session: SessionDep) -> ListingPublic:
    showroom = showrooms.get_showroom(session, showroom_id)
    listing = showrooms.add_listing(session, user, showroom, **body.model_dump())
    rows = showrooms.listings(session, showroom_ids=[showroom.id], only_active=False)
    return next(out for out in _listings_out(session, rows, user) if out.id == listing.id)


@router.delete("/showrooms/{showroom_id}/listings/{listing_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_listing(showroom_id: int, listing_id: int, user: StaffUser, session: SessionDep) -> Response:
    showrooms.remove_listing(session, user, showrooms.get_showroom(session, showroom_id), listing_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/provinces/{code}/showroom", response_model=ProvinceShowroom)
def province_showroom(
    code: str,
    session: SessionDep,
    viewer: OptionalUser,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 24,
) -> ProvinceShowroom:
    """A province's online showroom: its showrooms' featured listings, then its published products."""
    province = session.get(Province, code)
    if province is None:
        raise NotFound(N_("There is no province {code!r}.", code=code))
    featured_rows = showrooms.featured_in_province(session, code)
    rows, total = repository.list_products(
        session, viewer, repository.ProductFilters(province=code, sort="newest"), page=page, per_page=per_page
    )
    images = repository.images_by_product(session, [p.id for p, _ in rows] + [p.id for _, p, _ in featured_rows])
    room_rows, _ = showrooms.list_showrooms(session, code, page=1, per_page=100)
    return ProvinceShowroom(
        province_code=code,
        name=province.name,
        showrooms=[_showroom_out(s) for s in room_rows],
        featured=[presenters.product_public(p, pr, images.get(p.id, []), viewer) for _, p, pr in featured_rows],
        products=Page(
            items=[presenters.product_public(p, pr, images.get(p.id, []), viewer) for p, pr in rows],
            total=total,
            page=page,
            per_page=per_page,
        ),
    )
