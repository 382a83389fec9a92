"""Matching queries (no commits). The match score of every producer for one buyer is computed from
GROUP BYs over the published products of the buyer's categories: the database sums up, Python only
scores the per-producer rows.

Two passes keep this cheap on a large catalogue: ``numeric_stats`` reads only columns of the
covering index ``ix_product_match`` (app.matching.models), never the wide product rows;
``producer_stats`` adds what needs the rows (keywords, certifications, languages) and is run only
for the producers that can still reach the top (see app.matching.service.match_producers).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from app.catalogue.models import Product, ProductStatus
from app.catalogue.repository import certification_condition
from app.matching.scoring import BODY_MATCH_FIT, PRODUCER_LANGUAGE, Needs, ProducerStats, ProductFacts

# term fits are summed as integers in SQL (tenths) so both databases agree to the last digit
_NAME_POINTS, _BODY_POINTS = 10, round(BODY_MATCH_FIT * 10)


def _like(column: Any, term: str) -> sa.ColumnElement[bool]:
    return column.contains(term, autoescape=True)


def _candidate_conditions(needs: Needs) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = [
        Product.status == ProductStatus.published,
        Product.deleted_at.is_(None),
    ]
    if needs.categories:
        conditions.append(Product.category.in_(sorted(needs.categories)))
    else:
        conditions.append(sa.or_(*[_like(Product.search_name, t) | _like(Product.search_body, t) for t in needs.terms]))
    return conditions


def _valid_stars(now: dt.datetime) -> sa.ColumnElement[Any]:
    return sa.case((Product.stars_valid_until > now, Product.stars), else_=None)


def _flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.max(sa.case((condition, 1), else_=0))


_NUMERIC = 7  # columns of _numeric_columns before the per-category flags


def _numeric_columns(needs: Needs, now: dt.datetime) -> list[Any]:
    return [
        Product.producer_id,
        sa.func.min(Product.province_code),
        sa.func.count(),
        sa.func.min(Product.price_lak),
        sa.func.max(Product.monthly_capacity),
        sa.func.min(Product.moq),
        sa.func.max(_valid_stars(now)),
        *(_flag(Product.category.in_(sorted(group))) for _, group in needs.category_groups),
    ]


def _numeric(needs: Needs, row: Sequence[Any]) -> dict[str, Any]:
    flags = row[_NUMERIC : _NUMERIC + len(needs.category_groups)]
    return {
        "producer_id": row[0],
        "province_code": row[1],
        "products": int(row[2]),
        "min_price_lak": row[3],
        "max_capacity": row[4],
        "min_moq": row[5],
        "max_stars": row[6],
        "categories_covered": frozenset(
            slug for (slug, _), has in zip(needs.category_groups, flags, strict=True) if has
        ),
    }


def numeric_stats(session: Session, needs: Needs, now: dt.datetime) -> list[ProducerStats]:
    """Per producer, what the covering index holds (categories, price, capacity, MOQ, grade,
    province); keyword fits, certifications and languages are left at nothing. Needs categories."""
    rows = session.execute(
        select(*_numeric_columns(needs, now)).where(*_candidate_conditions(needs)).group_by(Product.producer_id)
    ).all()
    return [ProducerStats(**_numeric(needs, row), term_fits=(0.0,) * len(needs.terms)) for row in rows]


def producer_stats(
    session: Session, needs: Needs, now: dt.datetime, producer_ids: Sequence[int] | None = None
) -> list[ProducerStats]:
    """Per producer with candidate products (of ``producer_ids`` if given): every figure the score
    needs, summed up by the database."""
    if not needs.categories and not needs.terms:
        return []
    columns = _numeric_columns(needs, now)
    for term in needs.terms:
        fit = sa.case(
            (_like(Product.search_name, term), _NAME_POINTS),
            (_like(Product.search_body, term), _BODY_POINTS),
            else_=0,
        )
        columns.append(sa.func.max(fit))
    columns += [_flag(certification_condition(session, code)) for code in needs.certifications]
    columns += [_flag(Product.name[lang].as_string().is_not(None)) for lang in needs.text_languages]
    conditions = _candidate_conditions(needs)
    if producer_ids is not None:
        conditions.append(Product.producer_id.in_(sorted(producer_ids)))
    rows = session.execute(select(*columns).where(*conditions).group_by(Product.producer_id)).all()
    n_terms, n_certs = len(needs.terms), len(needs.certifications)
    out = []
    for row in rows:
        extra = row[_NUMERIC + len(needs.category_groups) :]
        terms, certs, langs = extra[:n_terms], extra[n_terms : n_terms + n_certs], extra[n_terms + n_certs :]
        out.append(
            ProducerStats(
                **_numeric(needs, row),
                term_fits=tuple(int(v or 0) / 10 for v in terms),
                certifications=frozenset(c for c, held in zip(needs.certifications, certs, strict=True) if held),
                languages=frozenset({PRODUCER_LANGUAGE})
                | {lang for lang, has in zip(needs.text_languages, langs, strict=True) if has},
            )
        )
    return out


def best_products(
    session: Session, needs: Needs, producer_ids: Sequence[int], now: dt.datetime, per_producer: int
) -> dict[int, list[int]]:
    """The candidate products of some producers, best first, in one query: most keywords in the
    name, then the highest valid grade."""
    if not producer_ids:
        return {}
    order: list[Any] = []
    if needs.terms:
        in_name = [sa.case((_like(Product.search_name, t), 1), else_=0) for t in needs.terms]
        order.append(sum(in_name, sa.literal(0)).desc())
    order += [_valid_stars(now).desc().nulls_last(), Product.id]
    rows = session.execute(
        select(Product.producer_id, Product.id)
        .where(*_candidate_conditions(needs), Product.producer_id.in_(list(producer_ids)))
        .order_by(*order)
    ).all()
    out: dict[int, list[int]] = defaultdict(list)
    for producer_id, product_id in rows:
        if len(out[producer_id]) < per_producer:
            out[producer_id].append(product_id)
    return out


def product_facts(session: Session, producer_ids: Iterable[int], now: dt.datetime) -> list[ProductFacts]:
    """The published products of some producers, as the score reads them (for scoring in Python)."""
    ids = sorted(set(producer_ids))
    if not ids:
        return []
    rows = session.exec(
        select(Product).where(
            Product.producer_id.in_(ids),
            Product.status == ProductStatus.published,
            Product.deleted_at.is_(None),
        )
    ).all()
    return [
        ProductFacts(
            id=p.id,
            producer_id=p.producer_id,
            province_code=p.province_code,
            category=p.category,
            search_name=p.search_name,
            search_body=p.search_body,
            name_languages=frozenset(k for k, v in (p.name or {}).items() if v),
            price_lak=p.price_lak,
            monthly_capacity=p.monthly_capacity,
            moq=p.moq,
            stars=p.stars if p.stars_valid_until is not None and p.stars_valid_until > now else None,
            certifications=frozenset(p.certifications or ()),
        )
        for p in rows
    ]
