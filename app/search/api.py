"""Search helpers over the JSON API: facet counts and "did you mean" (the search itself is GET /products?q=)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.auth.deps import OptionalUser
from app.catalogue.repository import ProductFilters
from app.db import SessionDep
from app.search import facets, suggest

router = APIRouter(tags=["search"])


class FacetCounts(BaseModel):
    """Products each filter value would list with the other filters kept (a category counts its sub-categories,
    a grade counts "that many stars or more")."""

    province: dict[str, int]
    category: dict[str, int]
    stars: dict[str, int]


class Suggestion(BaseModel):
    did_you_mean: str | None


@router.get("/search/facets", response_model=FacetCounts)
def search_facets(
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
) -> FacetCounts:
    """Counts per province, category and grade for the published products matching `q` and the filters."""
    filters = ProductFilters(
        q=q,
        province=province,
        category=category,
        producer=producer,
        min_stars=min_stars,
        certification=certification,
        price_min=price_min,
        price_max=price_max,
    )
    return FacetCounts(**facets.facet_counts(session, viewer, filters))


@router.get("/search/suggest", response_model=Suggestion)
def search_suggest(session: SessionDep, q: Annotated[str | None, Query(max_length=10_000)] = None) -> Suggestion:
    """A spelling correction for a Latin-script query that finds nothing ("cofee" → "coffee"), else null."""
    return Suggestion(did_you_mean=suggest.did_you_mean(session, q))
