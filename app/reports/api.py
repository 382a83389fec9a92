"""The staff figures as JSON for the ministry's own systems (mounted under /api/v1). Staff and admins only.

Every endpoint takes the same filters as the dashboard: `?province=LA-LP&category=textiles&date_from=2026-07-01
&date_to=2026-09-30` (Lao calendar days, both included); a filter that cannot be used is a 422 naming it.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from app.auth.deps import StaffUser
from app.db import SessionDep
from app.reports import figures

router = APIRouter(tags=["reports"])


def report_filters(
    session: SessionDep,
    province: Annotated[str | None, Query(max_length=40, description="ISO 3166-2 code, e.g. LA-LP")] = None,
    category: Annotated[
        str | None, Query(max_length=60, description="category slug; a family includes its sub-categories")
    ] = None,
    date_from: Annotated[str | None, Query(max_length=40, description="first day of the period, YYYY-MM-DD")] = None,
    date_to: Annotated[
        str | None, Query(max_length=40, description="last day of the period (included), YYYY-MM-DD")
    ] = None,
) -> figures.ReportFilters:
    return figures.parse_filters(session, province=province, category=category, date_from=date_from, date_to=date_to)


Filters = Annotated[figures.ReportFilters, Depends(report_filters)]
Page = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=100)]


T = TypeVar("T")


class FiguresOut(BaseModel, Generic[T]):
    filters: dict[str, Any]
    items: list[T]


@router.get("/reports/summary", name="reports_summary", response_model=figures.Summary)
def summary(session: SessionDep, user: StaffUser, f: Filters) -> figures.Summary:
    """The headline figures: producers (women-led, members, women members), published products (without a
    photo, graded), grades expiring, waiting for review, inquiries (read), events (meetings held, deals, value)."""
    return figures.summary(session, f)


@router.get("/reports/provinces", name="reports_provinces", response_model=FiguresOut[figures.ProvinceRow])
def provinces(session: SessionDep, user: StaffUser, f: Filters) -> dict[str, Any]:
    """Per province: producers, women-led producers, members, women members, published products, without photo."""
    return {"filters": f.as_dict(), "items": figures.provinces(session, f)}


@router.get("/reports/districts", name="reports_districts", response_model=FiguresOut[figures.DistrictRow])
def districts(session: SessionDep, user: StaffUser, f: Filters) -> dict[str, Any]:
    """Per district as written in the producers' profiles: producers and published products."""
    return {"filters": f.as_dict(), "items": figures.districts(session, f)}


class CategoriesOut(figures.CategoriesReport):
    filters: dict[str, Any]


@router.get("/reports/categories", name="reports_categories", response_model=CategoriesOut)
def categories(session: SessionDep, user: StaffUser, f: Filters) -> dict[str, Any]:
    """Published products per category and current ODOP grade; `grades` adds them up per grade."""
    return {"filters": f.as_dict(), **figures.categories(session, f).model_dump()}


class ExpiringOut(figures.ExpiringReport):
    filters: dict[str, Any]


@router.get("/reports/grades-expiring", name="reports_grades_expiring", response_model=ExpiringOut)
def grades_expiring(
    session: SessionDep, user: StaffUser, f: Filters, page: Page = 1, per_page: PerPage = 50
) -> dict[str, Any]:
    """Published products whose grade expires in the period (without one: the next 90 days), soonest first."""
    return {"filters": f.as_dict(), **figures.grades_expiring(session, f, page=page, per_page=per_page).model_dump()}


class ReviewOut(figures.ReviewReport):
    filters: dict[str, Any]


@router.get("/reports/review-queue", name="reports_review_queue", response_model=ReviewOut)
def review_queue(session: SessionDep, user: StaffUser, f: Filters) -> dict[str, Any]:
    """What waits for review (new products and edits of published ones), by how long it has waited."""
    return {"filters": f.as_dict(), **figures.review_queue(session, f).model_dump()}


class InquiriesOut(figures.InquiriesReport):
    filters: dict[str, Any]


@router.get("/reports/inquiries", name="reports_inquiries", response_model=InquiriesOut)
def inquiries(session: SessionDep, user: StaffUser, f: Filters) -> dict[str, Any]:
    """Inquiries per month (Lao time) and how many the producer has read."""
    return {"filters": f.as_dict(), **figures.inquiries(session, f).model_dump()}


class EventsOut(figures.EventsReport):
    filters: dict[str, Any]


@router.get("/reports/events", name="reports_events", response_model=EventsOut)
def events(session: SessionDep, user: StaffUser, f: Filters) -> dict[str, Any]:
    """Matching events with meetings scheduled, held, no-shows, cancelled, deals and deal value (kip)."""
    return {"filters": f.as_dict(), **figures.events(session, f).model_dump()}


@router.get("/reports/audit", name="reports_audit", response_model=figures.AuditPage)
def audit(
    session: SessionDep,
    user: StaffUser,
    actor: Annotated[
        str | None, Query(max_length=254, description="account number, or part of an e-mail or name")
    ] = None,
    action: Annotated[
        str | None, Query(max_length=40, description="e.g. product.publish; 'product' for every product.* action")
    ] = None,
    entity_type: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=40)] = None,
    date_from: Annotated[str | None, Query(max_length=40)] = None,
    date_to: Annotated[str | None, Query(max_length=40)] = None,
    page: Page = 1,
    per_page: PerPage = 50,
) -> figures.AuditPage:
    """Who created, changed, graded, published or deleted what, and when; newest first, paged."""
    filters = figures.parse_audit_filters(
        actor=actor, action=action, entity_type=entity_type, entity_id=entity_id, date_from=date_from, date_to=date_to
    )
    return figures.audit(session, filters, page=page, per_page=per_page)
