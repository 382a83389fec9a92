"""The figures, checked against the catalogue of conftest.py, whose counts are known by construction."""

from __future__ import annotations

import datetime as dt

import pytest

from app.reports import figures
from app.reports.figures import ReportFilters

ALL = ReportFilters()


def by(rows, key):  # type: ignore[no-untyped-def]
    return {getattr(r, key): r for r in rows}


def test_summary_adds_up_the_catalogue(session, catalogue):
    s = figures.summary(session, ALL)
    assert (s.producers, s.women_led_producers, s.members, s.women_members) == (3, 2, 15, 8)
    assert (s.published_products, s.published_without_photo, s.graded_products, s.grades_expiring) == (6, 5, 2, 1)
    assert s.waiting_for_review == 3 and s.waiting_since == catalogue.honey_waiting.submitted_at
    assert (s.inquiries, s.inquiries_read) == (3, 2)
    assert (s.events, s.meetings_held, s.deals, s.deal_value_lak) == (2, 3, 2, 6_000_000)


def test_provinces_and_districts(session, catalogue):
    rows = figures.provinces(session, ALL)
    assert len(rows) == 18 and rows[0].code == "LA-VT"  # every province, in the reference order
    p = by(rows, "code")
    assert (p["LA-LP"].producers, p["LA-LP"].women_led, p["LA-LP"].members, p["LA-LP"].women_members) == (2, 1, 15, 8)
    assert (p["LA-LP"].published_products, p["LA-LP"].without_photo) == (4, 3)
    assert (p["LA-SV"].producers, p["LA-SV"].women_led, p["LA-SV"].published_products) == (1, 1, 2)
    assert (p["LA-CH"].producers, p["LA-CH"].published_products) == (0, 0)  # deleted producer and products
    districts = {
        (r.province_code, r.district): (r.producers, r.published_products) for r in figures.districts(session, ALL)
    }
    assert districts == {("LA-LP", "Nan"): (1, 1), ("LA-LP", "Xieng Ngeun"): (1, 3), ("LA-SV", ""): (1, 2)}


def test_categories_and_grades(session, catalogue):
    report = figures.categories(session, ALL)
    c = by(report.items, "slug")
    assert [r.slug for r in report.items[:5]] == ["food", "rice-snacks", "honey", "dried-foods", "sauces-spices"]
    assert (c["textiles"].published_products, c["silk"].published_products, c["cotton"].published_products) == (3, 2, 1)
    assert (c["silk"].stars_5, c["silk"].ungraded, c["cotton"].stars_3) == (1, 1, 1)
    assert (c["beverages"].published_products, c["coffee"].expired, c["coffee"].stars_4) == (1, 1, 0)
    assert (c["handicrafts"].published_products, c["handicrafts"].ungraded) == (2, 2)
    assert {g.grade: g.products for g in report.grades} == {
        "none": 3,
        "expired": 1,
        "1": 0,
        "2": 0,
        "3": 1,
        "4": 0,
        "5": 1,
    }
    assert report.published_products == 6


def test_grades_expiring_in_the_next_90_days_or_the_period(session, catalogue):
    report = figures.grades_expiring(session, ALL)
    assert report.total == 1 and [r.product_id for r in report.items] == [catalogue.cotton_3.id]
    assert report.items[0].producer_name["en"] == "Xieng Ngeun weavers" and report.items[0].stars == 3
    assert report.window_to - report.window_from == dt.timedelta(days=90)  # from now to the same hour in 90 days
    two_years = catalogue.now.date() + dt.timedelta(days=740)
    later = figures.grades_expiring(session, ReportFilters(date_from=catalogue.now.date(), date_to=two_years))
    assert later.total == 2  # cotton in 30 days, silk in two years (coffee expired yesterday)
    assert figures.grades_expiring(session, ReportFilters(province="LA-SV")).total == 0
    paged = figures.grades_expiring(
        session, ReportFilters(date_from=catalogue.now.date(), date_to=two_years), page=2, per_page=1
    )
    assert paged.total == 2 and [r.product_id for r in paged.items] == [catalogue.silk_5.id]
    assert figures.grades_expiring(session, ALL, page=5).total == 1  # past the last page: still counted


def test_review_queue_by_age(session, catalogue):
    report = figures.review_queue(session, ALL)
    assert (report.total, report.new_products, report.edits) == (3, 2, 1)
    ages = {r.age: (r.new_products, r.edits) for r in report.items}
    assert ages == {"under_7_days": (1, 1), "7_to_29_days": (0, 0), "30_to_89_days": (1, 0), "90_days_or_more": (0, 0)}
    assert report.oldest_since == catalogue.honey_waiting.submitted_at
    assert figures.review_queue(session, ReportFilters(category="beverages")).total == 1  # the tea
    recent = ReportFilters(date_from=catalogue.now.date() - dt.timedelta(days=7))
    assert figures.review_queue(session, recent).total == 2


def test_inquiries_per_lao_month(session, catalogue):
    report = figures.inquiries(session, ALL)
    assert (report.received, report.read) == (3, 2)
    # 2026-01-31 20:00 UTC is 1 February in Laos
    assert [(m.month, m.received, m.read) for m in report.items] == [
        ("2026-01", 1, 1),
        ("2026-02", 1, 0),
        ("2026-03", 1, 1),
    ]
    sv = figures.inquiries(session, ReportFilters(province="LA-SV"))
    assert [(m.month, m.received) for m in sv.items] == [("2026-03", 1)]
    february = figures.inquiries(session, ReportFilters(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 4, 30)))
    assert [(m.month, m.received) for m in february.items] == [("2026-02", 1), ("2026-03", 1), ("2026-04", 0)]
    assert figures.inquiries(session, ReportFilters(category="coffee")).items == []


def test_events_and_outcomes(session, catalogue):
    report = figures.events(session, ALL)
    assert [e.name for e in report.items] == ["Savannakhet meet", "ງານຫຼວງພະບາງ Fair"]  # newest first
    e1 = report.items[1]
    assert (e1.meetings, e1.held, e1.no_shows, e1.cancelled, e1.deals, e1.deal_value_lak) == (4, 2, 1, 1, 1, 5_000_000)
    assert (report.meetings, report.held, report.deals, report.deal_value_lak) == (5, 3, 2, 6_000_000)
    textiles = figures.events(session, ReportFilters(category="textiles"))  # only the weavers' meetings
    assert [(e.meetings, e.held, e.deals) for e in textiles.items] == [(0, 0, 0), (2, 2, 1)]
    lp = figures.events(
        session, ReportFilters(province="LA-LP", date_from=dt.date(2026, 2, 10), date_to=dt.date(2026, 2, 10))
    )
    assert [e.name for e in lp.items] == ["ງານຫຼວງພະບາງ Fair"]


def test_every_figure_follows_the_filters(session, catalogue):
    sv = figures.summary(session, ReportFilters(province="LA-SV"))
    assert (sv.producers, sv.published_products, sv.waiting_for_review, sv.events, sv.deal_value_lak) == (
        1,
        2,
        2,
        1,
        1_000_000,
    )
    textiles = figures.summary(session, ReportFilters(category="textiles"))
    assert (textiles.producers, textiles.published_products, textiles.grades_expiring) == (1, 3, 1)
    assert textiles.women_members == 7  # the weavers alone
    silk = figures.categories(session, ReportFilters(category="silk"))
    assert [r.slug for r in silk.items] == ["silk"] and silk.published_products == 2
    today = catalogue.now.date()
    now = figures.summary(
        session, ReportFilters(date_from=today - dt.timedelta(days=1), date_to=today + dt.timedelta(days=1))
    )
    assert (now.producers, now.published_products, now.inquiries, now.events) == (3, 6, 0, 0)
    past = figures.summary(session, ReportFilters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31)))
    assert (past.producers, past.published_products, past.waiting_for_review, past.grades_expiring) == (0, 0, 0, 0)


def test_dashboard_runs_each_figure_once_and_agrees_with_summary(session, catalogue):
    d = figures.dashboard(session, ALL, expiring_rows=5)
    assert d.summary == figures.summary(session, ALL)
    assert sum(r.published_products for r in d.districts) == d.summary.published_products


@pytest.mark.parametrize(
    ("raw", "field", "message"),
    [
        ({"date_from": "2026-13-01"}, "date_from", "“2026-13-01” is not a date: write it like 2026-03-31."),
        ({"date_to": "yesterday"}, "date_to", "“yesterday” is not a date: write it like 2026-03-31."),
        ({"date_from": "0001-01-01"}, "date_from", "“0001-01-01” is too far in the past or the future."),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_to", "The period ends before it starts."),
        ({"province": "LA-ZZ"}, "province", "There is no province “LA-ZZ”."),
        ({"category": "<script>"}, "category", "There is no category “<script>”."),
    ],
)
def test_filters_that_cannot_be_used_are_explained(session, raw, field, message):
    with pytest.raises(figures.InvalidFilters) as caught:
        figures.parse_filters(session, **raw)
    assert caught.value.status_code == 422
    assert caught.value.errors == [{"loc": ["query", field], "msg": message}]


def test_filters_are_read_as_typed(session):
    f = figures.parse_filters(session, province=" LA-LP ", category="", date_from="2026-07-01", date_to="2026-09-30")
    assert f == ReportFilters(province="LA-LP", date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 9, 30))
    assert f.starts == dt.datetime(2026, 6, 30, 17, tzinfo=dt.UTC)  # Lao midnight
    assert f.ends == dt.datetime(2026, 9, 30, 17, tzinfo=dt.UTC)
    assert f.as_query() == {"province": "LA-LP", "date_from": "2026-07-01", "date_to": "2026-09-30"}
