"""GET /api/v1/reports/...: the dashboard's figures as JSON, for staff only."""

from __future__ import annotations

import pytest

ENDPOINTS = (
    "summary",
    "provinces",
    "districts",
    "categories",
    "grades-expiring",
    "review-queue",
    "inquiries",
    "events",
    "audit",
)


@pytest.fixture
def staff(catalogue, auth_headers):  # type: ignore[no-untyped-def]
    return auth_headers(catalogue.staff)


def get(client, path, headers, status=200):  # type: ignore[no-untyped-def]
    r = client.get(f"/api/v1/reports/{path}", headers=headers)
    assert r.status_code == status, r.text
    return r.json()


def test_the_api_gives_the_same_figures_as_json(client, staff, catalogue):
    s = get(client, "summary", staff)
    assert (s["producers"], s["published_products"], s["waiting_for_review"]) == (3, 6, 3)
    assert s["deal_value_lak"] == 6_000_000
    assert s["filters"] == {"province": None, "category": None, "date_from": None, "date_to": None}
    provinces = {p["code"]: p for p in get(client, "provinces", staff)["items"]}
    assert provinces["LA-LP"]["name"]["lo"] == "ຫຼວງພະບາງ"
    assert (provinces["LA-LP"]["published_products"], provinces["LA-LP"]["women_members"]) == (4, 8)
    categories = get(client, "categories?category=textiles", staff)
    assert [c["slug"] for c in categories["items"]] == ["textiles", "silk", "cotton", "garments"]
    assert categories["published_products"] == 3 and categories["filters"]["category"] == "textiles"
    expiring = get(client, "grades-expiring", staff)
    assert expiring["total"] == 1 and expiring["items"][0]["product_id"] == catalogue.cotton_3.id
    review = get(client, "review-queue?province=LA-SV", staff)
    assert (review["total"], review["new_products"], review["edits"]) == (2, 1, 1)
    inquiries = get(client, "inquiries?date_from=2026-01-01&date_to=2026-01-31", staff)
    assert [(m["month"], m["received"], m["read"]) for m in inquiries["items"]] == [("2026-01", 1, 1)]
    events = get(client, "events?province=LA-LP", staff)
    assert events["items"][0]["starts_at"].startswith("2026-02-10T02:00:00") and events["deals"] == 1
    districts = get(client, "districts?province=LA-SV", staff)["items"]
    assert len(districts) == 1 and districts[0]["province_name"]["en"] == "Savannakhet"
    assert (districts[0]["district"], districts[0]["producers"], districts[0]["published_products"]) == ("", 1, 2)


def test_audit_api_is_paged(client, staff, catalogue):
    page = get(client, "audit?action=product.grade&per_page=3", staff)
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (4, 1, 3, 3)
    assert {i["action"] for i in page["items"]} == {"product.grade"}
    assert page["items"][0]["details"]["stars"] in (3, 4, 5)
    last = get(client, "audit?action=product.grade&per_page=3&page=2", staff)
    assert len(last["items"]) == 1
    mine = get(client, f"audit?actor={catalogue.staff.id}", staff)
    assert [i["action"] for i in mine["items"]] == ["producer.delete"]
    assert mine["items"][0]["actor_email"] == "officer@example.la"
    get(client, "audit?per_page=1000", staff, status=422)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_only_staff_read_reports(client, make_user, auth_headers, path):
    assert client.get(f"/api/v1/reports/{path}").status_code == 401
    for role in ("producer", "buyer"):
        r = client.get(f"/api/v1/reports/{path}", headers=auth_headers(make_user(role)))
        assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert client.get(f"/api/v1/reports/{path}", headers=auth_headers(make_user("admin"))).status_code == 200


@pytest.mark.parametrize(
    ("query", "loc"),
    [
        ("date_from=2026-02-30", ["query", "date_from"]),
        ("date_to=tomorrow", ["query", "date_to"]),
        ("date_from=2026-03-01&date_to=2026-01-01", ["query", "date_to"]),
        ("province=XX", ["query", "province"]),
        ("category=nothing", ["query", "category"]),
    ],
)
def test_bad_filters_are_422_problems(client, staff, query, loc):
    for path in ("summary", "provinces", "events"):
        body = get(client, f"{path}?{query}", staff, status=422)
        assert body["status"] == 422 and body["errors"][0]["loc"] == loc and body["detail"]


def test_reports_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for name in ENDPOINTS:
        assert f"/api/v1/reports/{name}" in paths
        assert paths[f"/api/v1/reports/{name}"]["get"]["tags"] == ["reports"]
