"""Staff pages: the programme dashboard (figures, charts, exports) and the audit trail.

Filters are a plain GET form, so every view has its URL and works without JavaScript; htmx swaps the
`figures` block (or the audit `results`) and pushes the URL. A filter that cannot be used is shown as a
message (422), never an error page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.deps import StaffUser
from app.catalogue import reference_service
from app.db import SessionDep, utcnow
from app.errors import NotFound
from app.events.schemas import LAOS_TZ
from app.reports import charts, exports, figures
from app.reports.tables import TABLE_NAMES, Builder, Table, builder_for, month_label, table_for
from app.web.formatting import Formatter
from app.web.i18n import N_
from app.web.templating import htmx_target, render

router = APIRouter(prefix="/staff")

AUDIT_PER_PAGE = 50
AUDIT_EXPORT_LIMIT = 50_000
EXPORT_LIMIT = 10_000  # rows of the grades-expiring export
CHART_EVENTS = 15


def _lang(request: Request) -> str:
    return getattr(request.state, "lang", "lo")


def _raw(request: Request, *names: str) -> dict[str, str | None]:
    """Query parameters as typed (a hand-edited URL must never fail before we can explain it)."""
    return {name: (request.query_params.get(name) or None) for name in names}


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quick_periods(today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Shortcuts for the reports staff owe every quarter and every year."""
    this_quarter = _quarter_start(today)
    last_quarter = _quarter_start(this_quarter - dt.timedelta(days=1))
    return [
        (N_("This quarter"), this_quarter, today),
        (N_("Last quarter"), last_quarter, this_quarter - dt.timedelta(days=1)),
        (N_("This year"), dt.date(today.year, 1, 1), today),
        (N_("Last year"), dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
    ]


def _charts(tables: dict[str, Table], builder: Builder, lang: str) -> dict[str, Any]:
    _ = builder._
    number = Formatter(lang).number
    see = _("The numbers are in the table beside the chart.")

    def chart(title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> Any:
        return charts.bar_chart(title, labels, series, number=number, description=see)

    provinces = tables["provinces"]
    categories = tables["categories"]
    # sub-categories only (a family's row adds them up), unless the table holds nothing else
    leaves = [i for i, family in enumerate(categories.column("family")) if family] or list(range(len(categories.rows)))
    grades = tables["grades"]
    review = tables["review-queue"]
    inquiries = tables["inquiries"]
    events = tables["events"]
    shown_events = list(range(min(len(events.rows), CHART_EVENTS)))
    return {
        "provinces": chart(
            _("Published products per province"),
            provinces.column("province"),
            [(_("Published products"), provinces.column("published_products"))],
        ),
        "categories": chart(
            _("Published products per category"),
            [categories.rows[i][0] for i in leaves],
            [(_("Published products"), [categories.rows[i][2] for i in leaves])],
        ),
        "grades": chart(grades.title, grades.column("grade"), [(_("Published products"), grades.column("products"))]),
        "review-queue": chart(
            review.title,
            review.column("waiting"),
            [
                (_("New products"), review.column("new_products")),
                (_("Edits of published products"), review.column("edits")),
            ],
        ),
        "inquiries": chart(
            inquiries.title,
            [month_label(m, lang) for m in inquiries.column("month")],
            [(_("Received"), inquiries.column("received")), (_("Read by the producer"), inquiries.column("read"))],
        ),
        "events": chart(
            _("Meetings held and deals per event"),
            [events.rows[i][0] for i in shown_events],
            [
                (_("Held"), [events.rows[i][4] for i in shown_events]),
                (_("Deals"), [events.rows[i][7] for i in shown_events]),
            ],
        ),
    }


def _reference(session: Any) -> dict[str, Any]:
    return {"provinces": reference_service.provinces(session), "categories": reference_service.categories(session)}


@router.get("/dashboard", name="reports_dashboard")
def dashboard(request: Request, session: SessionDep, user: StaffUser) -> Response:
    """The programme at a glance, for the filters in the URL; htmx gets the `figures` block alone."""
    raw = _raw(request, "province", "category", "date_from", "date_to")
    lang = _lang(request)
    context: dict[str, Any] = {"raw": raw, "problems": [], "tables": {}, "charts": {}, "d": None, "query": {}}
    status_code = 200
    try:
        f = figures.parse_filters(session, **raw)
    except figures.InvalidFilters as exc:
        context["problems"], status_code = exc.problems, 422
    else:
        d = figures.dashboard(session, f)
        builder = builder_for(session, lang)
        tables = builder.all(d)
        context.update(d=d, tables=tables, charts=_charts(tables, builder, lang), query=f.as_query())
    if htmx_target(request) != "figures":
        context.update(_reference(session))
    context["quick_periods"] = quick_periods(utcnow().astimezone(LAOS_TZ).date())
    context["export_names"] = TABLE_NAMES
    context["month_label"] = lambda m: month_label(m, lang)
    context["lao_time"] = lambda v: v.astimezone(LAOS_TZ).strftime("%H:%M")
    fragment = "figures" if htmx_target(request) == "figures" else "content"
    return render(request, "reports/dashboard.html", context, status_code=status_code, fragment=fragment)


def _export_response(table: Table, query: dict[str, str], ext: str) -> Response:
    if ext == "csv":
        body, media_type = exports.to_csv(table), exports.CSV_TYPE
    else:
        body, media_type = exports.to_xlsx(table), exports.XLSX_TYPE
    name = exports.file_name(table.name, query, ext)
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _split_export(filename: str, names: tuple[str, ...]) -> tuple[str, str]:
    name, _, ext = filename.rpartition(".")
    if name not in names or ext not in ("csv", "xlsx"):
        raise NotFound(N_("There is no such export; the dashboard links to every one."))
    return name, ext


@router.get("/dashboard/export/{filename}", name="reports_export")
def export(filename: str, request: Request, session: SessionDep, user: StaffUser) -> Response:
    """One dashboard table, for the same filters, as CSV or Excel: /staff/dashboard/export/provinces.xlsx?…"""
    name, ext = _split_export(filename, TABLE_NAMES)
    f = figures.parse_filters(session, **_raw(request, "province", "category", "date_from", "date_to"))
    table = table_for(name, session, f, builder_for(session, _lang(request)), limit=EXPORT_LIMIT)
    assert table is not None  # every name in TABLE_NAMES has a table
    return _export_response(table, f.as_query(), ext)


AUDIT_PARAMS = ("actor", "action", "entity_type", "entity_id", "date_from", "date_to")


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "")
    return min(int(raw), 100_000) if raw.isdigit() and int(raw) >= 1 else 1


@router.get("/audit", name="reports_audit")
def audit_trail(request: Request, session: SessionDep, user: StaffUser) -> Response:
    """Who created, changed, graded, published or deleted what, and when; filterable, paged."""
    raw = _raw(request, *AUDIT_PARAMS)
    lang = _lang(request)
    context: dict[str, Any] = {"raw": raw, "problems": [], "table": None, "page": 1, "pages": 1, "total": 0}
    status_code = 200
    try:
        a = figures.parse_audit_filters(**raw)
    except figures.InvalidFilters as exc:
        context["problems"], status_code = exc.problems, 422
    else:
        page = _page(request)
        result = figures.audit(session, a, page=page, per_page=AUDIT_PER_PAGE)
        context.update(
            table=builder_for(session, lang).audit(result),
            rows=result.items,
            page=page,
            pages=max(1, -(-result.total // AUDIT_PER_PAGE)),
            total=result.total,
            query=a.as_query(),
        )
    if htmx_target(request) != "results":
        context["actions"], context["entity_types"] = figures.audit_vocabulary(session)
    context["lao_time"] = lambda v: v.astimezone(LAOS_TZ).strftime("%H:%M")
    fragment = "results" if htmx_target(request) == "results" else "content"
    return render(request, "reports/audit.html", context, status_code=status_code, fragment=fragment)


@router.get("/audit/export/{filename}", name="reports_audit_export")
def audit_export(filename: str, request: Request, session: SessionDep, user: StaffUser) -> Response:
    """The filtered audit trail (newest first, at most 50,000 rows) as CSV or Excel."""
    _, ext = _split_export(filename, ("audit",))
    a = figures.parse_audit_filters(**_raw(request, *AUDIT_PARAMS))
    result = figures.audit(session, a, page=1, per_page=AUDIT_EXPORT_LIMIT)
    return _export_response(builder_for(session, _lang(request)).audit(result), a.as_query(), ext)
