"""Facet counts for a product search: how many products each province, category and grade would show.

A facet counts what choosing its value would list, with the other filters kept: so a facet ignores its
own filter (with a province chosen, the province facet still shows the other provinces' counts), a
category family counts its sub-categories too, and the grade facet counts "n stars or more" (current
grades), as the min_stars filter does. Counted by the database: one GROUP BY over the search index for the
facets whose filter is not set, one more per facet whose filter is.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from sqlmodel import Session, select

from app.auth.models import User
from app.catalogue.reference import Category
from app.catalogue.repository import ProductFilters, product_conditions
from app.search import engine

FACETS = ("province", "category", "stars")
_COLUMN = {"province": "province_code", "category": "category", "stars": "stars"}
_FILTER = {"province": "province", "category": "category", "stars": "min_stars"}
GRADES = (5, 4, 3, 2, 1)


def facet_counts(session: Session, viewer: User | None, filters: ProductFilters) -> dict[str, dict[str, int]]:
    """{"province": {code: n}, "category": {slug: n}, "stars": {"5": n, ..., "1": n}} for the public list."""
    public = dataclasses.replace(filters, status=None, sort="relevance")
    query = engine.parse_query(public.q)
    active = [f for f in FACETS if getattr(public, _FILTER[f])]
    counts: dict[str, Counter[Any]] = {f: Counter() for f in FACETS}
    shared = [f for f in FACETS if f not in active]
    groups = ([(shared, public)] if shared else []) + [
        ([f], dataclasses.replace(public, **{_FILTER[f]: None})) for f in active
    ]
    for facets, f in groups:
        conditions = product_conditions(session, viewer, f)
        for *values, n in engine.count_by(session, query, conditions, [_COLUMN[x] for x in facets]):
            for facet, value in zip(facets, values, strict=True):
                if value is not None:
                    counts[facet][value] += n
    return {
        "province": dict(sorted(counts["province"].items())),
        "category": _with_families(session, counts["category"]),
        "stars": {str(g): sum(n for grade, n in counts["stars"].items() if grade >= g) for g in GRADES},
    }


def _with_families(session: Session, counts: Counter[str]) -> dict[str, int]:
    """Add each sub-category's count to its family: choosing a family lists its sub-categories too."""
    total = Counter(counts)
    for slug, parent in session.exec(select(Category.slug, Category.parent)):
        if parent and counts.get(slug):
            total[parent] += counts[slug]
    return dict(sorted(total.items()))
