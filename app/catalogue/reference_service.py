"""Reads of the reference data."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.catalogue.reference import Category, Province


def provinces(session: Session) -> list[Province]:
    return list(session.exec(select(Province).order_by(Province.position)))


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


def categories(session: Session) -> list[Category]:
    return list(session.exec(select(Category).order_by(Category.position)))


def province_codes(session: Session) -> set[str]:
    return set(session.exec(select(Province.code)))


def category_slugs(session: Session) -> set[str]:
    return set(session.exec(select(Category.slug)))
