"""The staff dashboard and audit pages: who may see them, filters in the URL, HTMX swaps, charts, exports."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from tests.factories import PASSWORD


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, email):  # type: ignore[no-untyped-def]
    token = csrf(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303


def numbers(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_staff_see_the_dashboard_with_charts_and_tables(client, catalogue):
    login(client, catalogue.staff.email)
    r = client.get("/staff/dashboard?lang=en")
    assert r.status_code == 200
    html = numbers(r.text)
    assert "<h1>Programme dashboard</h1>" in html
    # charts: an accessible SVG image with its title, the numbers in the table beside it
    assert html.count('<svg class="chart" role="img"') == 6
    assert re.search(r'<title id="chart-\d+-t">Published products per province</title>', html)
    assert '<table class="table">' in html and 'scope="col"' in html
    assert "Xieng Ngeun" in html and "Luang Prabang" in html
    assert "5,000,000 LAK" in html and "6,000,000 LAK" in html  # deal values: per event and in total
    # every table exports, with the filters of the page
    for name in (
        "provinces",
        "districts",
        "categories",
        "grades",
        "grades-expiring",
        "review-queue",
        "inquiries",
        "events",
    ):
        assert f'href="/staff/dashboard/export/{name}.csv"' in html and f"/staff/dashboard/export/{name}.xlsx" in html
    filtered = client.get("/staff/dashboard?province=LA-SV&lang=en").text
    assert 'href="/staff/dashboard/export/provinces.xlsx?province=LA-SV"' in filtered
    assert '<option value="LA-SV" selected>' in filtered


def test_the_dashboard_is_in_lao_by_default_and_escapes_everything(client, catalogue, session):
    catalogue.lp_weavers.district = "<script>alert(1)</script>"
    session.add(catalogue.lp_weavers)
    session.flush()
    login(client, catalogue.staff.email)
    html = client.get("/staff/dashboard").text
    assert "ຫຼວງພະບາງ" in html  # province names in Lao
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_filters_are_a_get_form_and_htmx_swaps_the_figures(client, catalogue):
    login(client, catalogue.staff.email)
    page = client.get("/staff/dashboard?lang=en").text
    assert 'method="get"' in page and 'hx-target="#figures"' in page and 'hx-push-url="true"' in page
    fragment = client.get(
        "/staff/dashboard?province=LA-SV&lang=en", headers={"HX-Request": "true", "HX-Target": "figures"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text and "<form" not in fragment.text
    assert "Savannakhet" in fragment.text and "Xieng Ngeun" not in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2026-02-30", "“2026-02-30” is not a date: write it like 2026-03-31."),
        ("date_from=2026-05-01&date_to=2026-04-01", "The period ends before it starts."),
        ("province=LA-ZZ", "There is no province “LA-ZZ”."),
        ("date_to=99999-01-01", "“99999-01-01” is not a date: write it like 2026-03-31."),
    ],
)
def test_bad_filters_get_a_readable_message_never_a_500(client, catalogue, query, message):
    login(client, catalogue.staff.email)
    r = client.get(f"/staff/dashboard?{query}&lang=en")
    assert r.status_code == 422 and message in r.text and 'role="alert"' in r.text
    assert "<form" in r.text  # the filters stay, to be corrected
    htmx = client.get(f"/staff/dashboard?{query}&lang=en", headers={"HX-Request": "true", "HX-Target": "figures"})
    assert htmx.status_code == 422 and message in htmx.text and "<html" not in htmx.text
    assert client.get(f"/staff/dashboard/export/provinces.csv?{query}").status_code == 422


def test_bad_date_is_marked_on_its_field(client, catalogue):
    login(client, catalogue.staff.email)
    html = client.get("/staff/dashboard?date_to=31/12/2026&lang=lo").text
    assert 'id="date_to" name="date_to" type="date" value="31/12/2026" aria-invalid="true"' in html
    assert 'id="date_to-error"' in html


@pytest.mark.parametrize("role", ["producer", "buyer"])
def test_producers_and_buyers_get_403(client, make_user, role):
    user = make_user(role)
    login(client, user.email)
    for path in (
        "/staff/dashboard",
        "/staff/audit",
        "/staff/dashboard/export/provinces.csv",
        "/staff/audit/export/audit.xlsx",
    ):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ("/staff/dashboard?province=LA-LP", "/staff/audit", "/staff/dashboard/export/provinces.csv"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=%2Fstaff%2F"), path


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(body: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_exports_hold_the_same_numbers_and_lao_text_intact(client, catalogue):
    login(client, catalogue.staff.email)
    csv_rows = read_csv(client.get("/staff/dashboard/export/provinces.csv?lang=lo").content)
    xlsx = client.get("/staff/dashboard/export/provinces.xlsx?lang=lo")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="odop-provinces.xlsx"' in xlsx.headers["content-disposition"]
    xlsx_rows = read_xlsx(xlsx.content)
    assert csv_rows[0] == xlsx_rows[0] and csv_rows[0][0] == "ແຂວງ"  # Lao headers
    lp_csv = next(r for r in csv_rows if r[0] == "ຫຼວງພະບາງ")
    lp_xlsx = next(r for r in xlsx_rows if r[0] == "ຫຼວງພະບາງ")
    assert lp_csv[1:] == ["2", "1", "15", "8", "4", "3"]
    assert lp_xlsx[1:] == [2, 1, 15, 8, 4, 3]  # numbers stay numbers
    assert xlsx_rows[-1][1:] == [3, 2, 15, 8, 6, 5] and len(xlsx_rows) == 1 + 18 + 1  # header, provinces, total

    events = read_xlsx(client.get("/staff/dashboard/export/events.xlsx?lang=lo").content)
    assert events[2][0] == "ງານຫຼວງພະບາງ Fair" and events[2][3:] == [4, 2, 1, 1, 1, 5_000_000]
    assert events[-1][-1] == 6_000_000

    expiring = read_csv(client.get("/staff/dashboard/export/grades-expiring.csv?lang=lo").content)
    assert len(expiring) == 2 and expiring[1][1] == "ກຸ່ມທໍຜ້າຊຽງເງິນ"

    sv = read_csv(client.get("/staff/dashboard/export/inquiries.csv?province=LA-SV&date_from=2026-01-01").content)
    assert sv[1:] == [["2026-01", "0", "0"], ["2026-02", "0", "0"], ["2026-03", "1", "1"], [sv[-1][0], "1", "1"]]
    r = client.get("/staff/dashboard/export/inquiries.csv?province=LA-SV&date_from=2026-01-01")
    assert 'filename="odop-inquiries-LA-SV-2026-01-01.csv"' in r.headers["content-disposition"]


def test_exports_never_let_text_become_a_formula(client, catalogue, session):
    catalogue.lp_weavers.district = '=HYPERLINK("http://evil.example","x")'
    session.add(catalogue.lp_weavers)
    session.flush()
    login(client, catalogue.staff.email)
    rows = read_csv(client.get("/staff/dashboard/export/districts.csv").content)
    assert any(r[1] == '\'=HYPERLINK("http://evil.example","x")' for r in rows)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/staff/dashboard/export/districts.xlsx").content)).active
    cells = [row[1] for row in sheet.iter_rows()]
    evil = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"  # text, not a formula


def test_unknown_exports_are_404(client, catalogue):
    login(client, catalogue.staff.email)
    for name in ("secrets.csv", "provinces.pdf", "provinces", "audit.csv"):
        assert client.get(f"/staff/dashboard/export/{name}").status_code == 404, name


def test_audit_trail_is_filterable_and_paged(client, catalogue):
    login(client, catalogue.staff.email)
    r = client.get("/staff/audit?lang=en")
    assert r.status_code == 200 and "<h1>Audit trail</h1>" in r.text
    assert "product.publish" in r.text and "producer.delete" in r.text
    grades = client.get("/staff/audit?action=product.grade&lang=en").text
    assert grades.count('<td><a href="/staff/audit?') == 4 and "product.publish</a>" not in grades
    assert "4 entries" in grades  # silk, cotton, coffee and the deleted producer's product
    deletes = client.get("/staff/audit?actor=officer@example&lang=en").text
    assert ">producer.delete</a>" in deletes and ">product.create</a>" not in deletes and "1 entry" in deletes
    by_entity = client.get(f"/staff/audit?entity_type=product&entity_id={catalogue.pot_edit.id}&lang=en").text
    assert ">product.update</a>" in by_entity and ">product.publish</a>" in by_entity
    assert ">producer.create</a>" not in by_entity
    fragment = client.get("/staff/audit?action=product", headers={"HX-Request": "true", "HX-Target": "results"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and ">producer.create</a>" not in fragment.text
    assert ">product.create</a>" in fragment.text
    bad = client.get("/staff/audit?entity_id=abc&date_from=2026-99-01&lang=en")
    assert bad.status_code == 422 and "“abc” is not a number." in bad.text and "“2026-99-01” is not a date" in bad.text
    rows = read_xlsx(client.get("/staff/audit/export/audit.xlsx?action=product.grade").content)
    assert len(rows) == 1 + 4 and {r[2] for r in rows[1:]} == {"product.grade"}


def test_audit_trail_pages(client, catalogue, session):
    from app.audit.service import record

    for i in range(60):
        record(session, catalogue.staff, "showroom.update", "showroom", i)
    session.flush()
    login(client, catalogue.staff.email)
    first = client.get("/staff/audit?action=showroom.update&lang=en").text
    assert "60 entries" in first and "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/staff/audit?action=showroom.update&page=2&lang=en").text
    assert "Page 2 of 2" in second
    assert client.get("/staff/audit?page=-3").status_code == 200  # hand-edited URLs never fail
