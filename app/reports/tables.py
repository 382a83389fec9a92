"""The figures as tables: translated headers, names in the reader's language, raw values.

One `Table` feeds the page (app/reports templates), the chart beside it and the CSV/XLSX exports, so
the three always show the same numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from app.reports import figures
from app.web.i18n import N_, Translator, localized

# Column kinds: how a value is shown on the page (exports write the raw value).
TEXT, INT, KIP, DATE, DATETIME, MONTH, BOOL = "text", "int", "kip", "date", "datetime", "month", "bool"


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in (INT, KIP)


@dataclasses.dataclass
class Table:
    name: str  # the export's name in URLs and file names
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None  # a footer row
    links: list[str | None] | None = None  # per row: where its first cell links to
    note: str = ""

    def column(self, key: str) -> list[Any]:
        i = next(n for n, c in enumerate(self.columns) if c.key == key)
        return [row[i] for row in self.rows]


# Table titles and column headers (translated when a table is built).
T_PROVINCES = N_("Producers and published products by province")
T_DISTRICTS = N_("Producers and published products by district")
T_CATEGORIES = N_("Published products by category and ODOP grade")
T_GRADES = N_("Published products by ODOP grade")
T_EXPIRING = N_("ODOP grades expiring")
T_REVIEW = N_("Products waiting for review")
T_INQUIRIES = N_("Inquiries per month")
T_EVENTS = N_("Matching events and their outcomes")
T_AUDIT = N_("Audit trail")

TABLE_NAMES = (
    "provinces",
    "districts",
    "categories",
    "grades",
    "grades-expiring",
    "review-queue",
    "inquiries",
    "events",
)

AGE_LABELS = {
    "under_7_days": N_("Less than 7 days"),
    "7_to_29_days": N_("7 to 29 days"),
    "30_to_89_days": N_("30 to 89 days"),
    "90_days_or_more": N_("90 days or more"),
}
NOT_GIVEN = N_("(not given)")
TOTAL = N_("Total")


class Builder:
    """Builds the tables of one dashboard in one language."""

    def __init__(self, lang: str, province_names: dict[str, dict], category_names: dict[str, dict]) -> None:
        self.lang = lang
        self.t = Translator(lang)
        self._ = self.t.gettext
        self.province_names = province_names
        self.category_names = category_names

    def name(self, text: dict | None) -> str:
        return localized(text, self.lang)

    def province(self, code: str) -> str:
        return self.name(self.province_names.get(code)) or code

    def category(self, slug: str | None) -> str:
        return (self.name(self.category_names.get(slug)) or slug or "") if slug else ""

    def stars(self, n: int) -> str:
        return self.t.ngettext("{n} star", "{n} stars", n)

    def grade(self, key: str) -> str:
        if key == "none":
            return self._("No grade")
        if key == "expired":
            return self._("Expired grade")
        return self.stars(int(key))

    # ---- one builder per table -------------------------------------------------------------

    def provinces(self, rows: list[figures.ProvinceRow]) -> Table:
        _ = self._
        cols = [
            Column("province", _("Province")),
            Column("producers", _("Producers"), INT),
            Column("women_led", _("Led by women"), INT),
            Column("members", _("Members"), INT),
            Column("women_members", _("Women members"), INT),
            Column("published_products", _("Published products"), INT),
            Column("without_photo", _("Without a photo"), INT),
        ]
        keys = [c.key for c in cols[1:]]
        return Table(
            "provinces",
            _(T_PROVINCES),
            cols,
            [[self.name(r.name) or r.code, *(getattr(r, k) for k in keys)] for r in rows],
            total=[_(TOTAL), *(sum(getattr(r, k) for r in rows) for k in keys)],
            links=[f"/provinces/{r.code}" for r in rows],
        )

    def districts(self, rows: list[figures.DistrictRow]) -> Table:
        _ = self._
        return Table(
            "districts",
            _(T_DISTRICTS),
            [
                Column("province", _("Province")),
                Column("district", _("District")),
                Column("producers", _("Producers"), INT),
                Column("published_products", _("Published products"), INT),
            ],
            [
                [
                    self.name(r.province_name) or r.province_code,
                    r.district or _(NOT_GIVEN),
                    r.producers,
                    r.published_products,
                ]
                for r in rows
            ],
            total=[_(TOTAL), "", sum(r.producers for r in rows), sum(r.published_products for r in rows)],
        )

    def categories(self, report: figures.CategoriesReport) -> Table:
        _ = self._
        cols = [
            Column("category", _("Category")),
            Column("family", _("Family")),
            Column("published_products", _("Published products"), INT),
            Column("ungraded", _("No grade"), INT),
            Column("expired", _("Expired grade"), INT),
            *(Column(f"stars_{n}", self.stars(n), INT) for n in range(1, 6)),
        ]
        keys = [c.key for c in cols[2:]]
        by_grade = {g.grade: g.products for g in report.grades}
        return Table(
            "categories",
            _(T_CATEGORIES),
            cols,
            [
                [self.name(r.name) or r.slug, self.category(r.parent), *(getattr(r, k) for k in keys)]
                for r in report.items
            ],
            total=[_(TOTAL), "", report.published_products, *(by_grade[k] for k in figures.GRADE_KEYS)],
            links=[f"/products?category={r.slug}" for r in report.items],
            note=_("A family's row includes its sub-categories."),
        )

    def grades(self, report: figures.CategoriesReport) -> Table:
        _ = self._
        return Table(
            "grades",
            _(T_GRADES),
            [Column("grade", _("ODOP grade")), Column("products", _("Published products"), INT)],
            [[self.grade(g.grade), g.products] for g in report.grades],
            total=[_(TOTAL), report.published_products],
        )

    def expiring(self, report: figures.ExpiringReport) -> Table:
        _ = self._
        return Table(
            "grades-expiring",
            _(T_EXPIRING),
            [
                Column("product", _("Product")),
                Column("producer", _("Producer")),
                Column("province", _("Province")),
                Column("category", _("Category")),
                Column("stars", _("Stars"), INT),
                Column("valid_until", _("Grade valid until"), DATE),
            ],
            [
                [
                    self.name(r.product_name),
                    self.name(r.producer_name),
                    self.province(r.province_code),
                    self.category(r.category),
                    r.stars,
                    figures.lao_date(r.valid_until),
                ]
                for r in report.items
            ],
            links=[f"/products/{r.product_id}" for r in report.items],
        )

    def review(self, report: figures.ReviewReport) -> Table:
        _ = self._
        return Table(
            "review-queue",
            _(T_REVIEW),
            [
                Column("waiting", _("Waiting for")),
                Column("new_products", _("New products"), INT),
                Column("edits", _("Edits of published products"), INT),
                Column("total", _("Total"), INT),
            ],
            [[_(AGE_LABELS[r.age]), r.new_products, r.edits, r.new_products + r.edits] for r in report.items],
            total=[_(TOTAL), report.new_products, report.edits, report.total],
        )

    def inquiries(self, report: figures.InquiriesReport) -> Table:
        _ = self._
        return Table(
            "inquiries",
            _(T_INQUIRIES),
            [
                Column("month", _("Month"), MONTH),
                Column("received", _("Received"), INT),
                Column("read", _("Read by the producer"), INT),
            ],
            [[m.month, m.received, m.read] for m in report.items],
            total=[_(TOTAL), report.received, report.read],
            note=_("Producers answer by phone, WhatsApp or e-mail; the service knows only whether they read it."),
        )

    def events(self, report: figures.EventsReport) -> Table:
        _ = self._
        return Table(
            "events",
            _(T_EVENTS),
            [
                Column("event", _("Event")),
                Column("province", _("Province")),
                Column("starts_at", _("Date"), DATE),
                Column("meetings", _("Meetings"), INT),
                Column("held", _("Held"), INT),
                Column("no_shows", _("No-shows"), INT),
                Column("cancelled", _("Cancelled"), INT),
                Column("deals", _("Deals"), INT),
                Column("deal_value_lak", _("Deal value (kip)"), KIP),
            ],
            [
                [
                    r.name,
                    self.province(r.province_code),
                    figures.lao_date(r.starts_at),
                    r.meetings,
                    r.held,
                    r.no_shows,
                    r.cancelled,
                    r.deals,
                    r.deal_value_lak,
                ]
                for r in report.items
            ],
            total=[
                _(TOTAL),
                "",
                None,
                report.meetings,
                report.held,
                report.no_shows,
                report.cancelled,
                report.deals,
                report.deal_value_lak,
            ],
        )

    def audit(self, page: figures.AuditPage) -> Table:
        _ = self._
        return Table(
            "audit",
            _(T_AUDIT),
            [
                Column("at", _("When"), DATETIME),
                Column("actor", _("Who")),
                Column("action", _("Action")),
                Column("entity_type", _("What")),
                Column("entity_id", _("Number"), INT),
                Column("on_behalf", _("For a producer"), BOOL),
                Column("details", _("Details")),
            ],
            [
                [
                    r.at,
                    _actor(r),
                    r.action,
                    r.entity_type,
                    r.entity_id,
                    r.on_behalf,
                    _details(r.details),
                ]
                for r in page.items
            ],
            links=[None for _r in page.items],
        )

    def all(self, d: figures.Dashboard) -> dict[str, Table]:
        return {
            "provinces": self.provinces(d.provinces),
            "districts": self.districts(d.districts),
            "categories": self.categories(d.categories),
            "grades": self.grades(d.categories),
            "grades-expiring": self.expiring(d.expiring),
            "review-queue": self.review(d.review),
            "inquiries": self.inquiries(d.inquiries),
            "events": self.events(d.events),
        }


def _actor(r: figures.AuditRow) -> str:
    if r.actor_user_id is None:
        return "—"
    return f"{r.actor_name} <{r.actor_email}>" if r.actor_email else f"#{r.actor_user_id}"


def _details(details: dict[str, Any]) -> str:
    def show(v: Any) -> str:
        if isinstance(v, list | tuple):
            return ", ".join(map(str, v))
        return str(v)

    return "; ".join(f"{k}: {show(v)}" for k, v in sorted(details.items()) if v is not None and v != [])


def table_for(
    name: str, session: Any, f: figures.ReportFilters, builder: Builder, *, limit: int = 10_000
) -> Table | None:
    """One table alone, for its export (the grades expiring: every row, up to `limit`)."""
    makers: dict[str, Callable[[], Table]] = {
        "provinces": lambda: builder.provinces(figures.provinces(session, f)),
        "districts": lambda: builder.districts(figures.districts(session, f)),
        "categories": lambda: builder.categories(figures.categories(session, f)),
        "grades": lambda: builder.grades(figures.categories(session, f)),
        "grades-expiring": lambda: builder.expiring(figures.grades_expiring(session, f, per_page=limit)),
        "review-queue": lambda: builder.review(figures.review_queue(session, f)),
        "inquiries": lambda: builder.inquiries(figures.inquiries(session, f)),
        "events": lambda: builder.events(figures.events(session, f)),
    }
    maker = makers.get(name)
    return maker() if maker else None


def builder_for(session: Any, lang: str) -> Builder:
    from sqlmodel import select

    from app.catalogue.reference import Category, Province

    return Builder(
        lang,
        dict(session.exec(select(Province.code, Province.name)).all()),
        dict(session.exec(select(Category.slug, Category.name)).all()),
    )


def month_label(month: str, lang: str) -> str:
    from babel.dates import format_date

    year, m = map(int, month.split("-"))
    return format_date(dt.date(year, m, 1), "MMM y", locale=lang)
