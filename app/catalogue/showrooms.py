"""Physical ODOP showrooms and the listings staff curate in them; a province's online showroom."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import User
from app.catalogue.models import Producer, Product, ProductStatus, Showroom, ShowroomListing
from app.catalogue.reference_service import province_codes
from app.errors import N_, Conflict, Forbidden, NotFound, Unprocessable


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise Forbidden(N_("Only trade-promotion staff curate showrooms."))


def get_showroom(session: Session, showroom_id: int) -> Showroom:
    showroom = session.get(Showroom, showroom_id)
    if showroom is None:
        raise NotFound(N_("There is no showroom {showroom_id}.", showroom_id=showroom_id))
    return showroom


def list_showrooms(session: Session, province: str | None, *, page: int, per_page: int) -> tuple[list[Showroom], int]:
    conditions = [Showroom.province_code == province] if province else []
    total = session.exec(select(sa.func.count(Showroom.id)).where(*conditions)).one()
    rows = session.exec(
        select(Showroom)
        .where(*conditions)
        .order_by(Showroom.province_code, Showroom.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), int(total)


def create_showroom(
    session: Session, actor: User, *, name: dict[str, str], province_code: str, **fields: object
) -> Showroom:
    _require_staff(actor)
    if province_code not in province_codes(session):
        raise Unprocessable(
            N_("Unknown province {province_code!r}.", province_code=province_code), loc=["body", "province_code"]
        )
    showroom = Showroom(name=name, province_code=province_code, **fields)
    session.add(showroom)
    session.flush()
    record(session, actor, "showroom.create", "showroom", showroom.id)
    return showroom


def update_showroom(session: Session, actor: User, showroom: Showroom, changes: dict[str, object]) -> Showroom:
    _require_staff(actor)
    if "province_code" in changes and changes["province_code"] not in province_codes(session):
        raise Unprocessable(N_("Unknown province."), loc=["body", "province_code"])
    for key, value in changes.items():
        if key == "name" and not value:
            raise Unprocessable(N_("The name cannot be empty."), loc=["body", "name"])
        setattr(showroom, key, value)
    session.add(showroom)
    record(session, actor, "showroom.update", "showroom", showroom.id, fields=sorted(changes))
    return showroom


def add_listing(
    session: Session,
    actor: User,
    showroom: Showroom,
    *,
    product_id: int,
    featured: bool,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> ShowroomListing:
    """Place a published product in a showroom (once), optionally featured for a period."""
    _require_staff(actor)
    if starts_on and ends_on and ends_on < starts_on:
        raise Unprocessable(N_("The listing ends before it starts."), loc=["body", "ends_on"])
    product = session.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        raise Unprocessable(N_("There is no product {product_id}.", product_id=product_id), loc=["body", "product_id"])
    if product.status != ProductStatus.published:
        raise Unprocessable(N_("Only published products can be listed in a showroom."), loc=["body", "product_id"])
    exists = session.exec(
        select(ShowroomListing.id).where(
            ShowroomListing.showroom_id == showroom.id, ShowroomListing.product_id == product_id
        )
    ).first()
    if exists is not None:
        raise Conflict(N_("This product is already listed in this showroom."))
    listing = ShowroomListing(
        showroom_id=showroom.id,
        product_id=product_id,
        featured=featured,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_user_id=actor.id,
    )
    session.add(listing)
    session.flush()
    record(session, actor, "showroom.list", "showroom", showroom.id, product_id=product_id, featured=featured)
    return listing


def remove_listing(session: Session, actor: User, showroom: Showroom, listing_id: int) -> None:
    _require_staff(actor)
    listing = session.get(ShowroomListing, listing_id)
    if listing is None or listing.showroom_id != showroom.id:
        raise NotFound(N_("There is no listing {listing_id} in this showroom.", listing_id=listing_id))
    session.delete(listing)
    record(session, actor, "showroom.unlist", "showroom", showroom.id, product_id=listing.product_id)


def _active_on(today: dt.date) -> list[sa.ColumnElement[bool]]:
    return [
        sa.or_(ShowroomListing.starts_on.is_(None), ShowroomListing.starts_on <= today),
        sa.or_(ShowroomListing.ends_on.is_(None), ShowroomListing.ends_on >= today),
    ]


def listings(
    session: Session,
    *,
    showroom_ids: list[int],
    only_active: bool = True,
    only_featured: bool = False,
    today: dt.date | None = None,
) -> list[tuple[ShowroomListing, Product, Producer]]:
    """Listings of public products in the given showrooms: featured first, then newest."""
    if not showroom_ids:
        return []
    conditions: list[sa.ColumnElement[bool]] = [
        ShowroomListing.showroom_id.in_(showroom_ids),
        Product.status == ProductStatus.published,
        Product.deleted_at.is_(None),
        Producer.deleted_at.is_(None),
    ]
    if only_active:
        conditions += _active_on(today or dt.date.today())
    if only_featured:
        conditions.append(ShowroomListing.featured.is_(True))
    rows = session.exec(
        select(ShowroomListing, Product, Producer)
        .join(Product, Product.id == ShowroomListing.product_id)
        .join(Producer, Producer.id == Product.producer_id)
        .where(*conditions)
        .order_by(ShowroomListing.featured.desc(), ShowroomListing.created_at.desc(), ShowroomListing.id.desc())
    ).all()
    return [(listing, product, producer) for listing, product, producer in rows]


def featured_in_province(
    session: Session, province_code: str, limit: int = 12
) -> list[tuple[ShowroomListing, Product, Producer]]:
    """The featured listings of a province's showrooms (today), for its online showroom."""
    ids = list(session.exec(select(Showroom.id).where(Showroom.province_code == province_code)))
    seen: set[int] = set()
    out = []
    for row in listings(session, showroom_ids=ids, only_featured=True):
        if row[1].id not in seen:
            seen.add(row[1].id)
            out.append(row)
    return out[:limit]
