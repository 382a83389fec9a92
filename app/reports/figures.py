"""The programme's figures, one function per figure, all counted by the database (GROUP BY aggregates).

Every figure takes the same `ReportFilters` (province, category, period). A category that is a family
(textiles) takes in its sub-categories (silk, cotton…). The period selects the date each figure is about:

| figure | the period selects |
| --- | --- |
| producers (and women) | the day the producer was registered |
| published products, categories, grades, photos | the day the product was published |
| grades expiring | the day the grade expires (without a period: the next 90 days) |
| review queue | the day the product (or its edit) was sent for review |
| inquiries | the day the inquiry was sent |
| events | the day the event starts |
| audit trail | the day of the action |

Days are Lao calendar days (UTC+07:00); `date_to` is included. Without a period, everything so far.

Performance: "published" is written as the partial indexes' own condition (`public_product_condition`),
so the per-province, per-category and per-producer counts read only those indexes; the grade counts read
`ix_product_match`, which covers category, status, stars and their validity. No product row is loaded into
Python: the only rows that leave the database are aggregates, one page of expiring grades, one page of
the audit trail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.catalogue.models import Producer, Product, ProductImage
from app.catalogue.reference import Category, Province
from app.catalogue.repository import public_product_condition
from app.db import utcnow
from app.errors import Unprocessable
from app.events.models import Event, EventParticipant, FollowUp, Meeting, MeetingStatus
from app.events.schemas import LAOS_TZ
from app.matching.models import Inquiry
from app.web.i18n import N_

EXPIRY_WINDOW_DAYS = 90
# Waiting for review: upper bounds (days) of the age groups; the last group is open-ended.
REVIEW_AGE_BOUNDS = (7, 30, 90)
REVIEW_AGE_KEYS = ("under_7_days", "7_to_29_days", "30_to_89_days", "90_days_or_more")
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100

# ---- filters -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportFilters:
    province: str | None = None
    category: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def starts(self) -> dt.datetime | None:
        """The first instant of the period (Lao midnight of `date_from`), or None."""
        return _lao_midnight(self.date_from) if self.date_from else None

    @property
    def ends(self) -> dt.datetime | None:
        """The first instant after the period (Lao midnight after `date_to`), or None."""
        return _lao_midnight(self.date_to + dt.timedelta(days=1)) if self.date_to else None

    def as_query(self) -> dict[str, str]:
        """The filters as URL query parameters (only those set)."""
        values = {
            "province": self.province,
            "category": self.category,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: v for k, v in values.items() if v}

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _lao_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LAOS_TZ).astimezone(dt.UTC)


def lao_date(value: dt.datetime) -> dt.date:
    return value.astimezone(LAOS_TZ).date()


@dataclasses.dataclass(frozen=True)
class FilterProblem:
    """One filter that cannot be used: `message` is an English msgid with {value}, translated where shown."""

    field: str
    message: str
    value: str

    def text(self, gettext: Any = None) -> str:
        return gettext(self.message, value=self.value) if gettext else self.message.format(value=self.value)


NOT_A_DATE = N_("“{value}” is not a date: write it like 2026-03-31.")
DATE_OUT_OF_RANGE = N_("“{value}” is too far in the past or the future.")
PERIOD_REVERSED = N_("The period ends before it starts.")
UNKNOWN_PROVINCE = N_("There is no province “{value}”.")
UNKNOWN_CATEGORY = N_("There is no category “{value}”.")


class InvalidFilters(Unprocessable):
    """422 with one `errors` item per filter that cannot be used."""

    def __init__(self, problems: Sequence[FilterProblem]) -> None:
        self.problems = list(problems)
        super().__init__(
            " ".join(p.text() for p in self.problems),
            errors=[{"loc": ["query", p.field], "msg": p.text()} for p in self.problems],
        )


def _parse_date(field: str, raw: str | None, problems: list[FilterProblem]) -> dt.date | None:
    value = (raw or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        problems.append(FilterProblem(field, NOT_A_DATE, value[:40]))
        return None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        problems.append(FilterProblem(field, DATE_OUT_OF_RANGE, value))
        return None
    return day


def _parse_period(
    date_from: str | None, date_to: str | None, problems: list[FilterProblem]
) -> tuple[dt.date | None, dt.date | None]:
    start, end = _parse_date("date_from", date_from, problems), _parse_date("date_to", date_to, problems)
    if start and end and end < start:
        problems.append(FilterProblem("date_to", PERIOD_REVERSED, ""))
    return start, end


def parse_filters(
    session: Session,
    *,
    province: str | None = None,
    category: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> ReportFilters:
    """Filters as typed into a URL, checked: raises InvalidFilters with a readable message per field."""
    problems: list[FilterProblem] = []
    province = (province or "").strip() or None
    category = (category or "").strip() or None
    if province and session.get(Province, province[:8]) is None:
        problems.append(FilterProblem("province", UNKNOWN_PROVINCE, province[:40]))
    if category and session.get(Category, category[:48]) is None:
        problems.append(FilterProblem("category", UNKNOWN_CATEGORY, category[:40]))
    start, end = _parse_period(date_from, date_to, problems)
    if problems:
        raise InvalidFilters(problems)
    return ReportFilters(province=province, category=category, date_from=start, date_to=end)


def _categories(session: Session, f: ReportFilters) -> list[str] | None:
    """The filter's category and, for a family, its sub-categories; None without a category filter."""
    if not f.category:
        return None
    children = session.exec(select(Category.slug).where(Category.parent == f.category)).all()
    return [f.category, *children]


def _in_period(column: Any, f: ReportFilters) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if f.starts is not None:
        conditions.append(column >= f.starts)
    if f.ends is not None:
        conditions.append(column < f.ends)
    return conditions


class _unindexed(FunctionElement):
    """The column unchanged, except that SQLite may not use it to pick an index (unary "+", a no-op)."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(_unindexed)
def _unindexed_default(element: _unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_unindexed, "sqlite")
def _unindexed_sqlite(element: _unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def _published(
    session: Session, f: ReportFilters, *, period: bool = True, grades: bool = False
) -> list[sa.ColumnElement[bool]]:
    """Published, not deleted products in the filters' province and category (published in the period).

    How SQLite should read them (it has no statistics to choose well by itself):
    - counts by province, category or producer (`grades=False`): from the partial index on that column
      alone, which also holds `published_at`; so the period must not tempt SQLite into seeking the
      publication-date index and then reading every row it finds (unary "+", see `_unindexed`);
    - grade counts (`grades=True`): only `ix_product_match` (category, status, deleted_at, …, stars,
      stars_valid_until) holds the grades. Naming the categories (all of them when there is no category
      filter) lets SQLite read that index alone. With a period, the publication-date index finds the
      period's products first, then their rows are read: the cost grows with the length of the period."""
    conditions = [public_product_condition()]
    if f.province:
        conditions.append(Product.province_code == f.province)
    categories = _categories(session, f)
    if categories:
        conditions.append(Product.category.in_(categories))
    elif grades and not (period and (f.date_from or f.date_to)):
        conditions.append(Product.category.in_(select(Category.slug).scalar_subquery()))
    if period:
        conditions.extend(_in_period(Product.published_at if grades else _unindexed(Product.published_at), f))
    return conditions


def _producers(session: Session, f: ReportFilters) -> list[sa.ColumnElement[bool]]:
    """Producers (not deleted) of the province, registered in the period; with a category, those that
    have a published product in it."""
    conditions = [Producer.deleted_at.is_(None), *_in_period(Producer.created_at, f)]
    if f.province:
        conditions.append(Producer.province_code == f.province)
    categories = _categories(session, f)
    if categories:
        conditions.append(
            Producer.id.in_(
                select(Product.producer_id).where(public_product_condition(), Product.category.in_(categories))
            )
        )
    return conditions


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.count().filter(condition)


def _sum(column: Any) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(column), 0)


# ---- provinces and districts ---------------------------------------------------------------------


class ProvinceRow(BaseModel):
    code: str
    name: dict[str, str]
    producers: int = 0
    women_led: int = 0
    members: int = 0
    women_members: int = 0
    published_products: int = 0
    without_photo: int = 0


def provinces(session: Session, f: ReportFilters) -> list[ProvinceRow]:
    """Per province: producers, those led by women, members and women members; published products and
    those without a photo. Every province is listed (zeros included), in the reference order."""
    producer_counts = {
        code: (n, women_led, members, women)
        for code, n, women_led, members, women in session.exec(
            select(
                Producer.province_code,
                sa.func.count(),
                _count_if(Producer.women_led.is_(True)),
                _sum(Producer.members_count),
                _sum(Producer.women_members_count),
            )
            .where(*_producers(session, f))
            .group_by(Producer.province_code)
        ).all()
    }
    published = _published(session, f)
    product_counts = dict(
        session.exec(
            select(Product.province_code, sa.func.count()).where(*published).group_by(Product.province_code)
        ).all()
    )
    without_photo = dict(
        session.exec(
            select(Product.province_code, sa.func.count())
            .where(*published, Product.id.not_in(select(ProductImage.product_id)))  # product_id is never NULL
            .group_by(Product.province_code)
        ).all()
    )
    query = select(Province.code, Province.name).order_by(Province.position)
    if f.province:
        query = query.where(Province.code == f.province)
    rows = []
    for code, name in session.exec(query).all():
        n, women_led, members, women = producer_counts.get(code, (0, 0, 0, 0))
        rows.append(
            ProvinceRow(
                code=code,
                name=name,
                producers=n,
                women_led=women_led,
                members=int(members),
                women_members=int(women),
                published_products=product_counts.get(code, 0),
                without_photo=without_photo.get(code, 0),
            )
        )
    return rows


class DistrictRow(BaseModel):
    province_code: str
    province_name: dict[str, str]
    district: str  # as the producers wrote it; "" when none was given
    producers: int = 0
    published_products: int = 0


def districts(session: Session, f: ReportFilters) -> list[DistrictRow]:
    """Per district (as written in the producers' profiles): producers and their published products."""
    district = sa.func.coalesce(sa.func.trim(Producer.district), sa.literal_column("''")).label("district_key")
    producer_counts = dict(
        ((code, key), n)
        for code, key, n in session.exec(
            select(Producer.province_code, district, sa.func.count())
            .where(*_producers(session, f))
            .group_by(Producer.province_code, sa.literal_column("district_key"))
        ).all()
    )
    # Count per producer first (an index-only scan of the partial index), then add up per district.
    per_producer = (
        select(Product.producer_id.label("producer_id"), sa.func.count().label("n"))
        .where(*_published(session, f))
        .group_by(Product.producer_id)
        .subquery()
    )
    product_counts = dict(
        ((code, key), int(n))
        for code, key, n in session.exec(
            select(Producer.province_code, district, sa.func.sum(per_producer.c.n))
            .join(per_producer, per_producer.c.producer_id == Producer.id)
            .group_by(Producer.province_code, sa.literal_column("district_key"))
        ).all()
    )
    names = {
        code: (name, position)
        for code, name, position in session.exec(select(Province.code, Province.name, Province.position)).all()
    }
    keys = sorted(
        producer_counts.keys() | product_counts.keys(),
        key=lambda k: (names.get(k[0], ({}, 999))[1], k[1] == "", k[1].casefold()),
    )
    return [
        DistrictRow(
            province_code=code,
            province_name=names.get(code, ({}, 0))[0],
            district=key,
            producers=producer_counts.get((code, key), 0),
            published_products=product_counts.get((code, key), 0),
        )
        for code, key in keys
    ]


# ---- categories and grades -----------------------------------------------------------------------


class CategoryRow(BaseModel):
    slug: str
    name: dict[str, str]
    parent: str | None
    published_products: int = 0
    ungraded: int = 0
    expired: int = 0
    stars_1: int = 0
    stars_2: int = 0
    stars_3: int = 0
    stars_4: int = 0
    stars_5: int = 0


class GradeRow(BaseModel):
    grade: str  # "none", "expired", or "1".."5"
    products: int


class CategoriesReport(BaseModel):
    items: list[CategoryRow]  # families first, each followed by its sub-categories; a family's row includes them
    grades: list[GradeRow]
    published_products: int


GRADE_KEYS = ("none", "expired", "1", "2", "3", "4", "5")


GRADE_FIELDS = ("ungraded", "expired", "stars_1", "stars_2", "stars_3", "stars_4", "stars_5")


def categories(session: Session, f: ReportFilters, *, now: dt.datetime | None = None) -> CategoriesReport:
    """Published products per category and current ODOP grade (an expired grade counts as expired)."""
    now = now or utcnow()
    valid = sa.and_(Product.stars.is_not(None), Product.stars_valid_until > now)
    grade_counts = [
        _count_if(Product.stars.is_(None)),
        _count_if(sa.and_(Product.stars.is_not(None), sa.not_(valid))),
        *(_count_if(sa.and_(valid, Product.stars == n)) for n in range(1, 6)),
    ]
    counts = session.exec(
        select(Product.category, sa.func.count(), *grade_counts)
        .where(*_published(session, f, grades=True))
        .group_by(Product.category)
    ).all()
    reference = session.exec(select(Category.slug, Category.name, Category.parent).order_by(Category.position)).all()
    wanted = set(_categories(session, f) or [slug for slug, _, _ in reference])
    rows = {slug: CategoryRow(slug=slug, name=name, parent=parent) for slug, name, parent in reference}
    parents = {slug: parent for slug, _, parent in reference}
    grades = dict.fromkeys(GRADE_KEYS, 0)
    total = 0
    for slug, n, *by_grade in counts:
        total += n
        for key, value in zip(GRADE_KEYS, by_grade, strict=True):
            grades[key] += value
        for target in (slug, parents.get(slug)):  # a family's row adds up its sub-categories
            if target in rows:
                row = rows[target]
                row.published_products += n
                for field, value in zip(GRADE_FIELDS, by_grade, strict=True):
                    setattr(row, field, getattr(row, field) + value)
    # families first, each followed by its sub-categories (reference order)
    ordered: list[CategoryRow] = []
    for slug, _, parent in reference:
        if parent is None:
            ordered.extend(rows[s] for s, _, p in reference if (s == slug or p == slug) and s in wanted)
    return CategoriesReport(
        items=ordered,
        grades=[GradeRow(grade=k, products=v) for k, v in grades.items()],
        published_products=total,
    )


class ExpiringRow(BaseModel):
    product_id: int
    product_name: dict[str, str]
    producer_id: int
    producer_name: dict[str, str]
    province_code: str
    category: str
    stars: int
    valid_until: dt.datetime


class ExpiringReport(BaseModel):
    window_from: dt.date  # Lao calendar days, both included
    window_to: dt.date
    total: int
    page: int
    per_page: int
    items: list[ExpiringRow]


def expiry_window(f: ReportFilters, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the grades that count as expiring: the period, or the next 90 days."""
    now = now or utcnow()
    start = f.starts or now
    end = f.ends or (start + dt.timedelta(days=EXPIRY_WINDOW_DAYS))
    return start, end


def grades_expiring(
    session: Session, f: ReportFilters, *, page: int = 1, per_page: int = 50, now: dt.datetime | None = None
) -> ExpiringReport:
    """Published products whose ODOP grade expires in the period (default: the next 90 days), soonest first."""
    start, end = expiry_window(f, now)
    conditions = [
        *_published(session, f, period=False, grades=True),
        Product.stars.is_not(None),
        Product.stars_valid_until >= start,
        Product.stars_valid_until < end,
    ]
    # The ids and the total come from one read of ix_product_match (it covers every condition);
    # only the page's rows are read from the table.
    page_ids = (
        select(Product.id, sa.func.count().over().label("total"))
        .where(*conditions)
        .order_by(Product.stars_valid_until, Product.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .subquery()
    )
    rows = session.exec(
        select(
            Product.id,
            Product.name,
            Producer.id,
            Producer.name,
            Product.province_code,
            Product.category,
            Product.stars,
            Product.stars_valid_until,
            page_ids.c.total,
        )
        .join(page_ids, page_ids.c.id == Product.id)
        .join(Producer, Producer.id == Product.producer_id)
        .order_by(Product.stars_valid_until, Product.id)
    ).all()
    # past the last page (or nothing at all): count alone
    total = rows[0][-1] if rows else session.exec(select(sa.func.count()).select_from(Product).where(*conditions)).one()
    return ExpiringReport(
        window_from=lao_date(start),
        window_to=lao_date(end - dt.timedelta(microseconds=1)),
        total=int(total),
        page=page,
        per_page=per_page,
        items=[
            ExpiringRow(
                product_id=pid,
                product_name=pname,
                producer_id=prid,
                producer_name=prname,
                province_code=code,
                category=category,
                stars=stars,
                valid_until=until,
            )
            for pid, pname, prid, prname, code, category, stars, until, _total in rows
        ],
    )


# ---- review queue --------------------------------------------------------------------------------


class ReviewAgeRow(BaseModel):
    age: str  # one of REVIEW_AGE_KEYS
    new_products: int = 0  # never published: sent for review by their producer
    edits: int = 0  # published products whose edited text waits for review


class ReviewReport(BaseModel):
    total: int
    new_products: int
    edits: int
    oldest_since: dt.datetime | None
    items: list[ReviewAgeRow]


# What waits for review, written so a partial index with this very condition could serve it. Only a
# published product has pending changes (the catalogue service keeps it so).
def review_condition() -> sa.ColumnElement[bool]:
    return sa.and_(
        Product.deleted_at.is_(None),
        sa.or_(Product.status == sa.literal_column("'submitted'"), Product.pending_changes.is_not(None)),
    )


def review_queue(session: Session, f: ReportFilters, *, now: dt.datetime | None = None) -> ReviewReport:
    """Products waiting for review, new ones and edits, grouped by how long they have waited."""
    now = now or utcnow()
    since = Product.submitted_at  # set by every submission and every edit that waits (none: counted as oldest)
    age = sa.case(
        *((since > now - dt.timedelta(days=days), i) for i, days in enumerate(REVIEW_AGE_BOUNDS)),
        else_=len(REVIEW_AGE_BOUNDS),
    ).label("age")
    is_new = sa.case((Product.status == sa.literal_column("'submitted'"), 1), else_=0).label("is_new")
    conditions = [review_condition(), *_in_period(since, f)]
    if f.province:
        conditions.append(Product.province_code == f.province)
    categories = _categories(session, f)
    if categories:
        conditions.append(Product.category.in_(categories))
    counts = session.exec(
        select(age, is_new, sa.func.count(), sa.func.min(since))
        .where(*conditions)
        .group_by(sa.literal_column("age"), sa.literal_column("is_new"))
    ).all()
    items = [ReviewAgeRow(age=key) for key in REVIEW_AGE_KEYS]
    oldest: dt.datetime | None = None
    for a, new, n, first in counts:
        if new:
            items[int(a)].new_products += n
        else:
            items[int(a)].edits += n
        if first is not None:
            oldest = first if oldest is None else min(oldest, first)
    new_total = sum(r.new_products for r in items)
    edits_total = sum(r.edits for r in items)
    return ReviewReport(
        total=new_total + edits_total, new_products=new_total, edits=edits_total, oldest_since=oldest, items=items
    )


# ---- inquiries -----------------------------------------------------------------------------------


class InquiryMonth(BaseModel):
    month: str  # YYYY-MM, Lao time
    received: int
    read: int  # opened by the producer (replies go by phone, WhatsApp or e-mail, outside the service)


class InquiriesReport(BaseModel):
    received: int
    read: int
    items: list[InquiryMonth]


def _month(session: Session, column: Any) -> sa.ColumnElement[str]:
    """The Lao calendar month (YYYY-MM) of a UTC timestamp column."""
    if session.get_bind().dialect.name == "postgresql":
        shifted = sa.func.timezone(sa.literal_column("'UTC'"), column) + sa.literal_column("interval '7 hours'")
        return sa.func.to_char(shifted, sa.literal_column("'YYYY-MM'"))
    return sa.func.strftime(sa.literal_column("'%Y-%m'"), column, sa.literal_column("'+7 hours'"))


def _months_between(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def inquiries(session: Session, f: ReportFilters) -> InquiriesReport:
    """Inquiries per month, and how many of them the producer has read; months without any show as 0."""
    month = _month(session, Inquiry.created_at).label("month")
    query = select(month, sa.func.count(), sa.func.count(Inquiry.read_at)).where(*_in_period(Inquiry.created_at, f))
    categories = _categories(session, f)
    if f.province or categories:
        query = query.join(Product, Product.id == Inquiry.product_id)
        if f.province:
            query = query.where(Product.province_code == f.province)
        if categories:
            query = query.where(Product.category.in_(categories))
    counts = {m: (n, r) for m, n, r in session.exec(query.group_by(sa.literal_column("month"))).all()}
    if not counts:
        return InquiriesReport(received=0, read=0, items=[])
    first = min(counts)
    last = max(counts)
    if f.date_from:
        first = min(first, f.date_from.strftime("%Y-%m"))
    if f.date_to:
        last = max(last, f.date_to.strftime("%Y-%m"))
    items = [
        InquiryMonth(month=m, received=counts.get(m, (0, 0))[0], read=counts.get(m, (0, 0))[1])
        for m in _months_between(first, last)
    ]
    return InquiriesReport(
        received=sum(n for n, _ in counts.values()), read=sum(r for _, r in counts.values()), items=items
    )


# ---- events --------------------------------------------------------------------------------------


class EventRow(BaseModel):
    id: int
    name: str
    province_code: str
    starts_at: dt.datetime
    meetings: int = 0  # every meeting scheduled (held, missed, cancelled or still to come)
    held: int = 0
    no_shows: int = 0
    cancelled: int = 0
    deals: int = 0  # follow-up "agreement reached"
    deal_value_lak: int = 0


class EventsReport(BaseModel):
    events: int
    meetings: int
    held: int
    no_shows: int
    cancelled: int
    deals: int
    deal_value_lak: int
    items: list[EventRow]  # newest first


def events(session: Session, f: ReportFilters) -> EventsReport:
    """Matching events in the province and period, with their meetings, deals and deal value. With a
    category, only the meetings of producers that have a published product in it count."""
    on = [Meeting.event_id == Event.id]
    categories = _categories(session, f)
    if categories:
        in_category = select(EventParticipant.id).where(
            EventParticipant.producer_id.in_(
                select(Product.producer_id).where(public_product_condition(), Product.category.in_(categories))
            )
        )
        on.append(Meeting.producer_participant_id.in_(in_category))
    deal = Meeting.follow_up == FollowUp.agreement_reached.value
    query = (
        select(
            Event.id,
            Event.name,
            Event.province_code,
            Event.starts_at,
            sa.func.count(Meeting.id),
            _count_if(Meeting.status == MeetingStatus.held.value),
            _count_if(Meeting.status == MeetingStatus.no_show.value),
            _count_if(Meeting.status == MeetingStatus.cancelled.value),
            _count_if(deal),
            _sum(sa.case((deal, Meeting.deal_value_lak), else_=0)),
        )
        .outerjoin(Meeting, sa.and_(*on))
        .where(*_in_period(Event.starts_at, f))
        .group_by(Event.id, Event.name, Event.province_code, Event.starts_at)
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    if f.province:
        query = query.where(Event.province_code == f.province)
    items = [
        EventRow(
            id=eid,
            name=name,
            province_code=code,
            starts_at=starts,
            meetings=meetings,
            held=held,
            no_shows=no_shows,
            cancelled=cancelled,
            deals=deals,
            deal_value_lak=int(value),
        )
        for eid, name, code, starts, meetings, held, no_shows, cancelled, deals, value in session.exec(query).all()
    ]
    return EventsReport(
        events=len(items),
        **{key: sum(getattr(r, key) for r in items) for key in _EVENT_SUMS},
        items=items,
    )


_EVENT_SUMS = ("meetings", "held", "no_shows", "cancelled", "deals", "deal_value_lak")


# ---- summary and the whole dashboard -------------------------------------------------------------


class Summary(BaseModel):
    filters: dict[str, Any]
    producers: int
    women_led_producers: int
    members: int
    women_members: int
    published_products: int
    published_without_photo: int
    graded_products: int  # with a grade still valid
    grades_expiring: int
    grades_expiring_from: dt.date
    grades_expiring_to: dt.date
    waiting_for_review: int
    waiting_since: dt.datetime | None  # the oldest
    inquiries: int
    inquiries_read: int
    events: int
    meetings_held: int
    deals: int
    deal_value_lak: int


@dataclasses.dataclass
class Dashboard:
    filters: ReportFilters
    summary: Summary
    provinces: list[ProvinceRow]
    districts: list[DistrictRow]
    categories: CategoriesReport
    expiring: ExpiringReport
    review: ReviewReport
    inquiries: InquiriesReport
    events: EventsReport


def _summarize(
    f: ReportFilters,
    province_rows: Iterable[ProvinceRow],
    cats: CategoriesReport,
    expiring: ExpiringReport,
    review: ReviewReport,
    inq: InquiriesReport,
    ev: EventsReport,
) -> Summary:
    rows = list(province_rows)
    graded = sum(g.products for g in cats.grades if g.grade not in ("none", "expired"))
    return Summary(
        filters=f.as_dict(),
        producers=sum(r.producers for r in rows),
        women_led_producers=sum(r.women_led for r in rows),
        members=sum(r.members for r in rows),
        women_members=sum(r.women_members for r in rows),
        published_products=sum(r.published_products for r in rows),
        published_without_photo=sum(r.without_photo for r in rows),
        graded_products=graded,
        grades_expiring=expiring.total,
        grades_expiring_from=expiring.window_from,
        grades_expiring_to=expiring.window_to,
        waiting_for_review=review.total,
        waiting_since=review.oldest_since,
        inquiries=inq.received,
        inquiries_read=inq.read,
        events=ev.events,
        meetings_held=ev.held,
        deals=ev.deals,
        deal_value_lak=ev.deal_value_lak,
    )


def dashboard(session: Session, f: ReportFilters, *, expiring_rows: int = 20) -> Dashboard:
    """Every figure once (the summary adds up the per-province and per-event rows)."""
    province_rows = provinces(session, f)
    cats = categories(session, f)
    expiring = grades_expiring(session, f, per_page=expiring_rows)
    review = review_queue(session, f)
    inq = inquiries(session, f)
    ev = events(session, f)
    return Dashboard(
        filters=f,
        summary=_summarize(f, province_rows, cats, expiring, review, inq, ev),
        provinces=province_rows,
        districts=districts(session, f),
        categories=cats,
        expiring=expiring,
        review=review,
        inquiries=inq,
        events=ev,
    )


def summary(session: Session, f: ReportFilters) -> Summary:
    return _summarize(
        f,
        provinces(session, f),
        categories(session, f),
        grades_expiring(session, f, per_page=1),
        review_queue(session, f),
        inquiries(session, f),
        events(session, f),
    )


# ---- audit trail ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None  # an account number, or (part of) an e-mail address or name
    action: str | None = None  # e.g. product.publish; "product" alone: every product.* action
    entity_type: str | None = None
    entity_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_query(self) -> dict[str, str]:
        values = {
            "actor": self.actor,
            "action": self.action,
            "entity_type": self.entity_type,
            "entity_id": str(self.entity_id) if self.entity_id is not None else None,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: v for k, v in values.items() if v}

    @property
    def period(self) -> ReportFilters:
        return ReportFilters(date_from=self.date_from, date_to=self.date_to)


NOT_A_NUMBER = N_("“{value}” is not a number.")


def parse_audit_filters(
    *,
    actor: str | None = None,
    action: str | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> AuditFilters:
    problems: list[FilterProblem] = []
    start, end = _parse_period(date_from, date_to, problems)
    number: int | None = None
    raw_id = (entity_id or "").strip()
    if raw_id:
        if raw_id.isdigit() and len(raw_id) < 12:
            number = int(raw_id)
        else:
            problems.append(FilterProblem("entity_id", NOT_A_NUMBER, raw_id[:40]))
    if problems:
        raise InvalidFilters(problems)
    return AuditFilters(
        actor=(actor or "").strip()[:254] or None,
        action=(action or "").strip()[:40] or None,
        entity_type=(entity_type or "").strip()[:40] or None,
        entity_id=number,
        date_from=start,
        date_to=end,
    )


class AuditRow(BaseModel):
    id: int
    at: dt.datetime
    actor_user_id: int | None
    actor_name: str | None
    actor_email: str | None
    action: str
    entity_type: str
    entity_id: int | None
    on_behalf: bool
    details: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditRow]
    total: int
    page: int
    per_page: int


def _audit_conditions(a: AuditFilters) -> list[sa.ColumnElement[bool]]:
    conditions = _in_period(AuditEvent.at, a.period)
    if a.actor:
        if a.actor.lstrip("#").isdigit():
            conditions.append(AuditEvent.actor_user_id == int(a.actor.lstrip("#")))
        else:
            needle = a.actor.lower()
            conditions.append(
                AuditEvent.actor_user_id.in_(
                    select(User.id).where(
                        sa.or_(
                            sa.func.lower(User.email).contains(needle, autoescape=True),
                            sa.func.lower(User.display_name).contains(needle, autoescape=True),
                        )
                    )
                )
            )
    if a.action:
        if "." in a.action:
            conditions.append(AuditEvent.action == a.action)
        else:
            conditions.append(AuditEvent.action.startswith(a.action + ".", autoescape=True))
    if a.entity_type:
        conditions.append(AuditEvent.entity_type == a.entity_type)
    if a.entity_id is not None:
        conditions.append(AuditEvent.entity_id == a.entity_id)
    return conditions


def audit(session: Session, a: AuditFilters, *, page: int = 1, per_page: int = 50) -> AuditPage:
    """Who created, changed, graded, published or deleted what, and when: newest first, one page."""
    conditions = _audit_conditions(a)
    total = session.exec(select(sa.func.count()).select_from(AuditEvent).where(*conditions)).one()
    rows = session.exec(
        select(AuditEvent, User.display_name, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_user_id)
        .where(*conditions)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return AuditPage(
        items=[
            AuditRow(
                id=e.id,
                at=e.at,
                actor_user_id=e.actor_user_id,
                actor_name=name,
                actor_email=email,
                action=e.action,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                on_behalf=e.on_behalf,
                details=e.details or {},
            )
            for e, name, email in rows
        ],
        total=int(total),
        page=page,
        per_page=per_page,
    )


def audit_vocabulary(session: Session) -> tuple[list[str], list[str]]:
    """The actions and entity types the trail holds, for the filter's choices."""
    rows = session.exec(
        select(AuditEvent.action, AuditEvent.entity_type).group_by(AuditEvent.action, AuditEvent.entity_type)
    ).all()
    return sorted({a for a, _ in rows}), sorted({t for _, t in rows})
