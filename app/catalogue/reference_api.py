"""Reference data over the API: provinces (with live counts) and categories."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.catalogue import reference_service
from app.db import SessionDep

router = APIRouter(tags=["reference"])


class LocalizedName(BaseModel):
    lo: str
    en: str
    th: str


class ProvinceOut(BaseModel):
    code: str
    name: LocalizedName
    capital: str
    region: str
    producer_count: int
    product_count: int


class CategoryOut(BaseModel):
    slug: str
    name: LocalizedName
    parent: str | None


@router.get("/provinces", response_model=list[ProvinceOut])
def list_provinces(session: SessionDep) -> list[ProvinceOut]:
    """The 18 provinces of Laos (ISO 3166-2:LA), with their producers and published products."""
    return [ProvinceOut(**row) for row in reference_service.provinces_with_counts(session)]


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(session: SessionDep) -> list[CategoryOut]:
    """Product categories: OTOP's five families and their sub-categories (`parent`)."""
    return [CategoryOut(slug=c.slug, name=c.name, parent=c.parent) for c in reference_service.categories(session)]
