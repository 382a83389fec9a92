"""Reads of the reference data.

Provinces and categories are loaded by migration and read-only at run time, so each process reads them
once per database and keeps them as plain frozen records (pages list them on every request: the browse
page's filters, the staff and matching forms).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from app.catalogue.reference import Category, Province


@dataclasses.dataclass(frozen=True, slots=True)
class ProvinceRecord:
    """A Province row, detached and read-only."""

    code: str
    name: dict[str, str]
    capital: str
    region: str
    position: int


@dataclasses.dataclass(frozen=True, slots=True)
class CategoryRecord:
    """A Category row, detached and read-only."""

    slug: str
    name: dict[str, str]
    parent: str | None
    position: int


_cache: dict[tuple[str, str], tuple[Any, ...]] = {}


def _once(session: Session, kind: str, load: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
    key = (kind, str(session.get_bind().engine.url))  # get_bind() is an Engine, or a Connection in tests
    found = _cache.get(key)
    if found is None:
        found = load()
        if found:  # before the reference migration has run there is nothing to keep
            _cache[key] = found
    return found


def provinces(session: Session) -> list[ProvinceRecord]:
    """The 18 provinces in their usual order."""
    return list(
        _once(
            session,
            "provinces",
            lambda: tuple(
                ProvinceRecord(code=p.code, name=p.name, capital=p.capital, region=p.region, position=p.position)
                for p in session.exec(select(Province).order_by(Province.position))
            ),
        )
    )


def provinces_with_counts(session: Session) -> list[dict[str, Any]]:
    from app.catalogue.repository import province_counts

    counts = province_counts(session)
    return [
        {
            "code": p.code,
            "name": p.name,
            "capital": p.capital,
            "region": p.region,
            "producer_count": counts.get(p.code, (0, 0))[0],
            "product_count": counts.get(p.code, (0, 0))[1],
        }
        for p in provinces(session)
    ]


def categories(session: Session) -> list[CategoryRecord]:
    """Categories in their display order (families, each followed by its sub-categories)."""
    return list(
        _once(
            session,
            "categories",
            lambda: tuple(
                CategoryRecord(slug=c.slug, name=c.name, parent=c.parent, position=c.position)
                for c in session.exec(select(Category).order_by(Category.position))
            ),
        )
    )


def province_codes(session: Session) -> set[str]:
    return set(session.exec(select(Province.code)))


def category_slugs(session: Session) -> set[str]:
    return set(session.exec(select(Category.slug)))
