"""Catalogue queries (no commits): filtered, paged lists that load related rows in batches, never per row."""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from app.auth.models import User
from app.catalogue import reference_service
from app.catalogue.models import Producer, Product, ProductImage, ProductStatus
from app.catalogue.schemas import normalise_certification
from app.db import utcnow
from app.errors import NotAuthenticated, Unprocessable


@dataclasses.dataclass(frozen=True)
class ProductFilters:
    q: str | None = None
    province: str | None = None
    category: str | None = None
    producer: int | None = None
    min_stars: int | None = None
    certification: str | None = None
    price_min: int | None = None
    price_max: int | None = None
    status: ProductStatus | None = None
    sort: str = "relevance"


def category_and_children(session: Session, slug: str) -> list[str]:
    """A family (e.g. textiles) also lists its sub-categories (silk, cotton…)."""
    return [slug, *(c.slug for c in reference_service.categories(session) if c.parent == slug)]


def certification_condition(session: Session, code: str) -> sa.ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":
        return Product.certifications.op("@>")(sa.cast(sa.literal([code], postgresql.JSONB), postgresql.JSONB))
    each = sa.func.json_each(Product.certifications).table_valued("value")
    return sa.exists(select(1).select_from(each).where(each.c.value == code))


def public_product_condition() -> sa.ColumnElement[bool]:
    """Published and not deleted, written as the partial indexes' own condition (models.PUBLIC_PRODUCT_SQL)."""
    return sa.and_(Product.status == sa.literal_column("'published'"), Product.deleted_at.is_(None))


def product_conditions(session: Session, viewer: User | None, f: ProductFilters) -> list[sa.ColumnElement[bool]]:
    """The WHERE clause of a product list; visibility first."""
    if f.status is None or f.status == ProductStatus.published:  # the public list, for everyone
        conditions: list[sa.ColumnElement[bool]] = [public_product_condition()]
    else:
        conditions = [Product.deleted_at.is_(None)]
        if viewer is None:
            raise NotAuthenticated("Log in to list your own products by status.")
        conditions.append(Product.status == f.status)
        if not viewer.is_staff:
            owned = select(Producer.id).where(Producer.owner_user_id == viewer.id)
            conditions.append(Product.producer_id.in_(owned))
    if f.province:
        conditions.append(Product.province_code == f.province)
    if f.category:
        conditions.append(Product.category.in_(category_and_children(session, f.category)))
    if f.producer is not None:
        conditions.append(Product.producer_id == f.producer)
    if f.min_stars:
        conditions.append(Product.stars >= f.min_stars)
        conditions.append(Product.stars_valid_until > utcnow())
    if f.certification:
        try:
            code = normalise_certification(f.certification)
        except ValueError as exc:
            raise Unprocessable(str(exc), loc=["query", "certification"]) from exc
        conditions.append(certification_condition(session, code))
    if f.price_min is not None:
        conditions.append(Product.price_lak >= f.price_min)
    if f.price_max is not None:
        conditions.append(Product.price_lak <= f.price_max)
    return conditions


@functools.cache
def card_columns() -> tuple[Any, ...]:
    """What a product card shows (presenters.product_card), without the rest of the row: the trilingual
    descriptions and folded search copies make a full product row ~2 kB. The cover is the first photo by
    position, as in images_by_product."""
    cover = (
        select(ProductImage.paths)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )
    return (
        Product.id,
        Product.name,
        Product.price_lak,
        Product.unit,
        Product.stars,
        Product.stars_valid_until,
        Producer.name.label("producer_name"),
        cover.label("cover_paths"),
    )


def list_products(
    session: Session, viewer: User | None, f: ProductFilters, *, page: int, per_page: int
) -> tuple[list[tuple[Product, Producer]], int]:
    """One page of products with their producers, and the total; text search ranks when `q` is given."""
    rows, total = _list(
        session,
        viewer,
        f,
        page=page,
        per_page=per_page,
        columns=(Product, Producer),
        # the folded search copies are only for WHERE clauses; each is as large as the text itself
        options=(defer(Product.search_name), defer(Product.search_body), defer(Producer.search_text)),
    )
    return [(p, pr) for p, pr in rows], total


def list_product_cards(
    session: Session, viewer: User | None, f: ProductFilters, *, page: int, per_page: int
) -> tuple[list[sa.Row[Any]], int]:
    """The same page as list_products, as rows of card_columns() (cover included): one query, no ORM objects."""
    return _list(session, viewer, f, page=page, per_page=per_page, columns=card_columns(), options=())


def _list(
    session: Session,
    viewer: User | None,
    f: ProductFilters,
    *,
    page: int,
    per_page: int,
    columns: tuple[Any, ...],
    options: tuple[Any, ...],
) -> tuple[list[Any], int]:
    from app.search import engine as search_engine

    conditions = product_conditions(session, viewer, f)
    query = search_engine.parse_query(f.q)
    if query is not None and f.status in (None, ProductStatus.published):
        # the public list: the search index holds exactly its products; it pages, we load that page
        found = search_engine.search_products(
            session,
            query,
            conditions,
            filtered=dataclasses.replace(f, q=None, sort="relevance") != ProductFilters(status=f.status),
            sort=f.sort,
            offset=(page - 1) * per_page,
            limit=per_page,
        )
        loaded = session.exec(
            select(*columns)
            .join(Producer, Producer.id == Product.producer_id)
            .where(Product.id.in_(found.ids))
            .options(*options)
        ).all()
        by_id = {_row_id(row): row for row in loaded}
        return [by_id[i] for i in found.ids if i in by_id], found.total
    stmt = select(*columns).join(Producer, Producer.id == Product.producer_id).where(*conditions).options(*options)
    # count(*), not count(id): SQLite then counts index entries without reading a column (2.1 vs 3.5 ms for
    # the 80,000 public products of the benchmark catalogue)
    count = select(sa.func.count()).select_from(Product).where(*conditions)
    order: list[Any] = []
    if query is not None:  # a list by status (the caller's own, or staff's): few rows, scanned
        stmt, count, rank = search_engine.apply(session, stmt, count, f.q or "")
        if f.sort == "relevance" and rank is not None:
            order.extend(rank)
    if f.sort == "price":
        order.extend([Product.price_lak.asc().nulls_last(), Product.id])
    elif f.sort == "price_desc":
        order.extend([Product.price_lak.desc().nulls_last(), Product.id])
    elif f.status in (None, ProductStatus.published):
        # no NULLS LAST: published rows always have a date, and the partial indexes then give the order
        order.extend([Product.published_at.desc(), Product.id.desc()])
    else:
        order.extend([Product.updated_at.desc(), Product.id.desc()])
    total = session.exec(count).one()
    rows = session.exec(stmt.order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), int(total)


def _row_id(row: Any) -> int:
    """The product id of a row of (Product, Producer) or of card_columns()."""
    first = row[0]
    return first.id if isinstance(first, Product) else first


def images_by_product(session: Session, product_ids: Sequence[int]) -> dict[int, list[ProductImage]]:
    """Photos of many products in one query, cover (position 0) first."""
    result: dict[int, list[ProductImage]] = defaultdict(list)
    if not product_ids:
        return result
    for image in session.exec(
        select(ProductImage)
        .where(ProductImage.product_id.in_(list(product_ids)))
        .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)
    ):
        result[image.product_id].append(image)
    return result


def list_producers(
    session: Session, *, province: str | None, category: str | None, q: str | None, page: int, per_page: int
) -> tuple[list[Producer], int]:
    conditions: list[sa.ColumnElement[bool]] = [Producer.deleted_at.is_(None)]
    if province:
        conditions.append(Producer.province_code == province)
    if category:
        in_category = select(Product.producer_id).where(
            Product.category.in_(category_and_children(session, category)),
            Product.status == ProductStatus.published,
            Product.deleted_at.is_(None),
        )
        conditions.append(Producer.id.in_(in_category))
    if q and q.strip():
        from app.search.engine import producer_condition

        conditions.append(producer_condition(q))
    total = session.exec(select(sa.func.count(Producer.id)).where(*conditions)).one()
    rows = session.exec(
        select(Producer).where(*conditions).order_by(Producer.id).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), int(total)


def province_counts(session: Session) -> dict[str, tuple[int, int]]:
    """Producers and published products per province, counted by the database."""
    producers = dict(
        session.exec(
            select(Producer.province_code, sa.func.count(Producer.id))
            .where(Producer.deleted_at.is_(None))
            .group_by(Producer.province_code)
        ).all()
    )
    products = dict(
        session.exec(
            select(Product.province_code, sa.func.count(Product.id))
            .where(public_product_condition())
            .group_by(Product.province_code)
        ).all()
    )
    return {code: (producers.get(code, 0), products.get(code, 0)) for code in producers.keys() | products.keys()}
