"""Bulk CSV import and export (app.catalogue.bulk): the round trip, producer matching, every kind
of bad input (reported by line and column, nothing written), the API and the `odop` commands."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import select
from typer.testing import CliRunner

from app import migrations
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.catalogue import bulk, service
from app.catalogue.models import Producer, Product, ProductGrade, ProductStatus
from app.db import Database, make_engine
from app.search.documents import FIELD_SEPARATOR, producer_search_text
from tests.conftest import fresh_database_url

WEAVERS_LO = "ກຸ່ມແມ່ຍິງທໍຜ້າບ້ານຊຽງແມນ"
SINH_LO = "ຜ້າສິ້ນໄໝ ລາຍນາກ"
SINH_TH = "ผ้าซิ่นไหมลายนาค"


def row(**values: str) -> dict[str, str]:
    """A good spreadsheet row: a new draft product of a new producer in Luang Prabang."""
    base = {
        "producer_name_lo": WEAVERS_LO,
        "producer_name_en": "Xieng Men women weavers",
        "province_code": "LA-LP",
        "category": "silk",
        "name_lo": SINH_LO,
        "name_en": "Silk sinh, naga pattern",
        "price_lak": "450,000",
        "status": "draft",
    }
    base.update(values)
    return base


def csv_file(*rows: dict[str, str], columns: list[str] | None = None, bom: bool = True) -> bytes:
    columns = columns or list(bulk.COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def import_file(db, actor, data: bytes, **kw) -> bulk.ImportResult:
    """Import in a transaction of its own, as the CLI and the API do (rolled back on failure)."""
    with db.session(write=True) as s:
        return bulk.import_csv(s, s.get(User, actor.id), io.BytesIO(data), **kw)


def import_problems(db, actor, data: bytes, **kw) -> list[str]:
    with pytest.raises(bulk.ImportFailed) as info:
        import_file(db, actor, data, **kw)
    return [str(p) for p in info.value.problems]


def counts(db) -> tuple[int, ...]:
    with db.session(write=False) as s:
        return tuple(
            s.exec(select(sa.func.count()).select_from(model)).one() for model in (Producer, Product, ProductGrade)
        )


def read_export(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def staff(make_user) -> User:
    return make_user("staff")


# ---- the round trip --------------------------------------------------------------------------


def test_export_then_import_into_an_empty_database_round_trips(session, make_producer, make_product, tmp_root):
    weavers = make_producer(
        name={"lo": WEAVERS_LO, "en": "Xieng Men women weavers", "th": "กลุ่มแม่หญิงทอผ้าบ้านเชียงแมน"},
        province="LA-LP",
        district="Chomphet",
        village="Xieng Men",
        phone="+856 20 5555 1234",
        women_led=True,
        members_count=24,
        women_members_count=22,
        founded_year=2004,
        description={"lo": "ທໍຜ້າດ້ວຍມື", "en": "Hand weaving since 2004"},
    )
    make_product(
        weavers,
        status="published",
        stars=4,
        name={"lo": SINH_LO, "en": "Silk sinh, naga pattern", "th": SINH_TH},
        description={"lo": "ໄໝລາວ 100%", "en": "100% Lao silk", "th": "ไหมลาว 100%"},
        materials={"en": "silk, natural dyes"},
        price_lak=450_000,
        unit="piece",
        moq=2,
        monthly_capacity=40,
        lead_time_days=21,
        hs_code="5007.20",
        certifications=["organic", "gi"],
    )
    make_product(weavers, name={"en": "=SUM(A1) scarf"}, category="cotton")  # looks like a formula to Excel
    make_product(weavers, status="submitted", name={"lo": "ຖົງຢາມ"}, category="garments", price_lak=80_000)
    coffee = make_producer(name={"lo": "ສະຫະກອນກາເຟບໍລະເວນ", "en": "Bolaven coffee"}, province="LA-CH")
    make_product(coffee, status="published", category="coffee", name={"lo": "ກາເຟອາຣາບີກາ", "en": "Arabica"})
    make_producer(name={"th": "กลุ่มจักสาน"}, province="LA-XS", kind="group")  # no products yet

    exported = "".join(bulk.export_csv(session))
    rows = read_export(exported)
    assert len(rows) == 5 and list(rows[0]) == list(bulk.COLUMNS)
    assert {r["name_en"] for r in rows} >= {"'=SUM(A1) scarf"}  # defused for Excel

    with fresh_database_url(tmp_root) as url:
        engine = make_engine(url)
        try:
            migrations.upgrade(engine)
            empty = Database(engine)
            with empty.session(write=True) as s:
                s.add(User(email="importer@odop.la", password_hash="-", role=Role.staff, display_name="Importer"))
            with empty.session(write=True) as s:
                actor = bulk.importing_user(s, "importer@odop.la")
                result = bulk.import_csv(s, actor, io.BytesIO(exported.encode("utf-8")), as_new=True)
            assert (result.producers_created, result.products_created) == (3, 4)
            with empty.session(write=False) as s:
                again = "".join(bulk.export_csv(s))
                published = s.exec(select(Product).where(Product.status == ProductStatus.published)).all()
                grade = s.exec(select(ProductGrade)).one()
                assert len(published) == 2 and all(p.published_at and p.reviewed_by_user_id for p in published)
                assert grade.stars == 4 and grade.graded_by_user_id == actor.id
        finally:
            engine.dispose()

    def without_ids(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{k: v for k, v in r.items() if k not in ("producer_id", "product_id")} for r in rows]

    back = read_export(again)
    assert without_ids(back) == without_ids(rows)
    # Lao script intact, byte for byte.
    assert back[0]["producer_name_lo"].encode("utf-8") == WEAVERS_LO.encode("utf-8")
    assert back[0]["name_lo"].encode("utf-8") == SINH_LO.encode("utf-8")
    assert back[0]["name_th"] == SINH_TH and back[0]["stars"] == "4" and back[0]["certifications"] == "organic;gi"


def parts(search_text: str) -> set[str]:
    return set(search_text.split(FIELD_SEPARATOR))


def test_imported_rows_keep_the_service_copies_in_step(db, session, staff):
    result = import_file(db, staff, csv_file(row(district="Chomphet", village="Xieng Men", status="published")))
    assert result.products_created == 1
    product = session.exec(select(Product).order_by(Product.id.desc())).first()
    producer = session.get(Producer, product.producer_id)
    assert product.province_code == producer.province_code == "LA-LP"
    # Compared as sets of folded fields: JSONB does not keep the order of an object's keys.
    assert parts(producer.search_text) == parts(
        producer_search_text(producer.name, producer.district, producer.village)
    )
    stored = parts(product.search_name), parts(product.search_body)
    service._refresh_search_text(product, producer)  # what the service would have written
    assert (parts(product.search_name), parts(product.search_body)) == stored
    actions = session.exec(
        select(AuditEvent.action).where(AuditEvent.entity_type == "product", AuditEvent.entity_id == product.id)
    ).all()
    assert sorted(actions) == ["product.create", "product.publish", "product.submit"]


def test_rows_of_one_producer_create_it_once(db, session, staff):
    data = csv_file(
        row(phone="020 5555 1234"),
        row(producer_name_en="", name_lo="ຜ້າພັນຄໍ", name_en="Scarf", category="silk"),
        # The same Lao name typed with the other spelling of the vowel AM (ນ້ຳ = ນ້ໍາ) is the same producer.
        row(producer_name_lo="ນ້ຳເຜິ້ງ ບ້ານນາ", producer_name_en="Ban Na honey", category="honey", name_en="Honey"),
        row(producer_name_lo="ນ້ໍາເຜິ້ງ ບ້ານນາ", producer_name_en="", category="honey", name_en="Comb honey"),
        row(province_code="LA-VT", name_en="Same name, other province"),
    )
    result = import_file(db, staff, data)
    assert (result.producers_created, result.products_created) == (3, 5)
    weavers = session.exec(
        select(Producer).where(Producer.province_code == "LA-LP", Producer.phone == "020 5555 1234")
    ).one()
    assert weavers.name == {"lo": WEAVERS_LO, "en": "Xieng Men women weavers"}
    assert len(session.exec(select(Product).where(Product.producer_id == weavers.id)).all()) == 2


def test_a_value_given_on_a_later_row_completes_the_producer(db, session, staff, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 1)  # the first product is written before the district is known
    import_file(db, staff, csv_file(row(), row(name_en="Scarf", district="Chomphet")))
    producer = session.exec(select(Producer).where(Producer.district == "Chomphet")).one()
    products = session.exec(select(Product).where(Product.producer_id == producer.id)).all()
    assert len(products) == 2 and all("chomphet" in p.search_body for p in products)


# ---- updating through a file -----------------------------------------------------------------


def test_export_edit_import_updates_products_and_publishes_with_stars(db, session, staff, make_product):
    draft = make_product(name={"lo": SINH_LO, "en": "Silk sinh"}, price_lak=400_000)
    live = make_product(status="published", name={"en": "Old name"})
    rows = read_export("".join(bulk.export_csv(session)))
    unchanged = import_file(db, staff, csv_file(*rows))
    assert (unchanged.products_unchanged, unchanged.products_created, unchanged.producers_created) == (2, 0, 0)

    for r in rows:
        if r["product_id"] == str(draft.id):
            r.update(price_lak="420000", status="published", stars="5")
        else:
            r.update(name_en="New name", phone="021 212 121")
    result = import_file(db, staff, csv_file(*rows))
    assert (result.products_updated, result.producers_updated) == (2, 1)
    session.expire_all()
    draft, live = session.get(Product, draft.id), session.get(Product, live.id)
    assert draft.status == ProductStatus.published and draft.published_at and draft.price_lak == 420_000
    assert draft.stars == 5 and draft.name["lo"] == SINH_LO
    assert service.latest_grade(session, draft.id).graded_by_user_id == staff.id
    # A reviewed field of a live product: the importing staff member approves it like a review.
    assert live.name == {"en": "New name"} and live.pending_changes is None
    assert session.get(Producer, live.producer_id).phone == "021 212 121"


def test_an_import_cannot_take_a_published_product_offline(db, session, staff, make_product):
    live = make_product(status="published")
    rows = read_export("".join(bulk.export_csv(session)))
    rows[0]["status"] = "draft"
    before = counts(db)
    problems = import_problems(db, staff, csv_file(*rows))
    assert problems == [f"line 2, column status: product {live.id} is published; an import cannot take it offline"]
    assert counts(db) == before


def test_a_file_from_another_database_needs_as_new(db, staff):
    data = csv_file(row(producer_id="900001", product_id="900002"), row(producer_id="900001", name_en="Scarf"))
    problems = import_problems(db, staff, data)
    assert problems[0].startswith("line 2, column product_id: there is no product 900002 (")
    assert "'as new'" in problems[0]
    assert problems[1].startswith("line 3, column producer_id: there is no producer 900001")
    result = import_file(db, staff, data, as_new=True)
    assert (result.producers_created, result.products_created) == (1, 2)


# ---- bad input: reported by line and column, nothing written ---------------------------------

BAD_ROWS = {
    "unknown province": (
        row(province_code="LA-ZZ"),
        "line 3, column province_code: unknown province 'LA-ZZ'; use a code such as LA-LP",
    ),
    "unknown category": (row(category="silks"), "line 3, column category: unknown category 'silks'"),
    "negative price": (row(price_lak="-1"), "line 3, column price_lak: must be at least 0 (got -1)"),
    "stars outside 1-5": (row(status="published", stars="6"), "line 3, column stars: stars are from 1 to 5 (got 6)"),
    "stars on a draft": (row(stars="4"), "line 3, column stars: stars go only with status published"),
    "no name in any language": (
        row(name_lo="", name_en="", name_th=""),
        "line 3, column name_lo: a new product needs a name in at least one language",
    ),
    "not a number": (row(moq="a dozen"), "line 3, column moq: 'a dozen' is not a whole number"),
    "unknown product": (row(product_id="987654"), "line 3, column product_id: there is no product 987654"),
    "unknown status": (row(status="live"), "line 3, column status: must be draft, submitted or published"),
    "bad email": (row(email="weavers-at-gmail"), "line 3, column email: is not an email address"),
    "no producer": (
        row(producer_name_lo="", producer_name_en=""),
        "line 3, column producer_name_lo: say whose product this is",
    ),
    "producer rows disagree": (
        row(producer_kind="cooperative"),
        "line 3, column producer_kind: 'cooperative' differs from 'group' on line 2 for the same producer",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_reported_by_line_and_column_and_nothing_is_written(db, staff, case):
    bad, expected = BAD_ROWS[case]
    before = counts(db)
    problems = import_problems(db, staff, csv_file(row(producer_kind="group"), bad, row(name_en="Scarf")))
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    assert counts(db) == before


def test_every_problem_is_reported_at_once(db, staff):
    data = csv_file(row(), row(price_lak="lots"), row(), row(category="gold", stars="9", status="published"))
    assert import_problems(db, staff, data) == [
        "line 3, column price_lak: 'lots' is not a whole number",
        "line 5, column category: unknown category 'gold'; use a slug such as silk or coffee",
        "line 5, column stars: stars are from 1 to 5 (got 9)",
    ]


def test_a_problem_after_written_chunks_still_leaves_nothing(db, staff, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 2)  # the first rows are written before the bad one is read
    before = counts(db)
    rows = [row(name_en=f"Scarf {n}", status="published", stars="3") for n in range(6)]
    problems = import_problems(db, staff, csv_file(*rows, row(category="nope")))
    assert problems == ["line 8, column category: unknown category 'nope'; use a slug such as silk or coffee"]
    assert counts(db) == before


def test_a_wrong_header_is_one_clear_error(db, staff):
    before = counts(db)
    problems = import_problems(db, staff, csv_file(row(), columns=["name_en", "price_lak", "status"]))
    assert problems == [
        "line 1: missing column(s): category, province_code (or producer_id), "
        "producer_name_lo or producer_name_en or producer_name_th (or producer_id) (see docs/CSV_FORMAT.md)"
    ]
    problems = import_problems(db, staff, csv_file(row(), columns=[*bulk.COLUMNS, "Price (kip)"]))
    assert problems == ["line 1, column Price (kip): unknown column; the columns are listed in docs/CSV_FORMAT.md"]
    assert counts(db) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "line 1: the file is empty"),
        (b"\xef\xbb\xbf\r\n", "line 1: the file is empty"),
        (csv_file(), "line 2: there are no rows below the header"),
        (
            csv_file(row(), row()).replace(b"Silk sinh", b"Soie tiss\xe9e", 2),
            "line 2: the file is not UTF-8 text; in Excel use Save As",
        ),
        (csv_file(row()).decode("utf-8").encode("utf-16"), "line 1: the file is UTF-16"),
        (csv_file(row(), row()).replace(b"Silk sinh", b"Silk\x00sinh", 2), "line 2: the file holds binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00", "line 1: this is an Excel workbook (.xlsx)"),
    ],
    ids=["empty", "bom only", "header only", "latin-1", "utf-16", "nul byte", "xlsx"],
)
def test_a_file_that_is_not_a_csv_of_rows_is_a_clear_error(db, staff, data, expected):
    before = counts(db)
    problems = import_problems(db, staff, data)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    assert counts(db) == before


def test_not_utf8_on_a_later_line_names_that_line(db, staff):
    data = csv_file(row(), row(), row(name_en="Café")).replace("Café".encode(), b"Caf\xe9")
    assert import_problems(db, staff, data)[0].startswith("line 4: the file is not UTF-8 text")


def test_spreadsheet_habits_are_accepted(db, session, staff):
    """Semicolons as separators, no BOM, blank trailing rows, Excel's 12.0, names instead of codes."""
    columns = ["Producer name lo", "province_code", "category", "name_en", "moq", "certifications", "women_led"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    writer.writerow([WEAVERS_LO, "Luang Prabang", "Silk", "Sinh", "12.0", "Organic; GI", "Yes"])
    writer.writerow(["", "", "", "", "", "", ""])
    import_file(db, staff, out.getvalue().encode("utf-8"))
    product = session.exec(select(Product).where(Product.name["en"].as_string() == "Sinh")).one()
    assert (product.category, product.province_code, product.moq, product.certifications) == (
        "silk",
        "LA-LP",
        12,
        ["organic", "gi"],
    )
    assert session.get(Producer, product.producer_id).women_led is True


def test_only_staff_import(db, make_user):
    with pytest.raises(bulk.Forbidden):
        import_file(db, make_user("producer"), csv_file(row()))


# ---- HTTP ------------------------------------------------------------------------------------


def test_api_import_as_staff(client, session, staff, auth_headers):
    files = {
        "file": ("catalogue.csv", csv_file(row(), row(name_en="Scarf", status="published", stars="3")), "text/csv")
    }
    r = client.post("/api/v1/import", files=files, headers=auth_headers(staff))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["producers_created"], body["products_created"], body["products_updated"]) == (1, 2, 0)
    assert session.exec(select(Product).where(Product.stars == 3)).one().status == ProductStatus.published


def test_api_import_of_a_bad_file_is_422_with_lines(client, db, staff, auth_headers):
    before = counts(db)
    files = {"file": ("catalogue.csv", csv_file(row(), row(price_lak="-5")), "text/csv")}
    r = client.post("/api/v1/import", files=files, headers=auth_headers(staff))
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"] == [{"loc": ["line", 3, "price_lak"], "msg": "must be at least 0 (got -5)"}]
    assert counts(db) == before


def test_api_import_and_export_are_for_staff_only(client, make_user, auth_headers):
    files = {"file": ("catalogue.csv", csv_file(row()), "text/csv")}
    assert client.post("/api/v1/import", files=files).status_code == 401
    assert client.get("/api/v1/export").status_code == 401
    for role in ("producer", "buyer"):
        headers = auth_headers(make_user(role))
        assert client.post("/api/v1/import", files=files, headers=headers).status_code == 403
        assert client.get("/api/v1/export", headers=headers).status_code == 403


def test_api_refuses_a_file_over_20_mb(client, staff, auth_headers):
    from app.catalogue.import_api import MAX_UPLOAD_BYTES

    big = csv_file(row()) + b"," * (MAX_UPLOAD_BYTES + 70 * 1024)
    r = client.post("/api/v1/import", files={"file": ("big.csv", big, "text/csv")}, headers=auth_headers(staff))
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")


def test_api_export_is_csv_with_a_bom(client, staff, auth_headers, make_product):
    make_product(name={"lo": SINH_LO})
    r = client.get("/api/v1/export", headers=auth_headers(staff))
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].startswith('attachment; filename="odop-catalogue-')
    assert r.content.startswith(b"\xef\xbb\xbf" + ",".join(bulk.COLUMNS).encode())
    assert SINH_LO.encode("utf-8") in r.content


# ---- the odop command ------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch, database_url, tmp_root):
    """Point the CLI at the test run's database (it commits for real: the test cleans up)."""
    from app.config import get_settings

    monkeypatch.setenv("ODOP_DATABASE_URL", database_url)
    monkeypatch.setenv("ODOP_MEDIA_DIR", str(tmp_root / "cli-media"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def said(result) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def test_cli_import_and_export(cli_env, engine, tmp_path):
    from app.cli import cli

    committed = Database(engine)
    email = f"bulk-{uuid.uuid4().hex[:8]}@odop.la"
    producer_name = f"{WEAVERS_LO} {uuid.uuid4().hex[:6]}"
    with committed.session(write=True) as s:
        officer = User(email=email, password_hash="-", role=Role.staff, display_name="Officer")
        s.add(officer)
    runner = CliRunner()
    good, bad, out = tmp_path / "good.csv", tmp_path / "bad.csv", tmp_path / "out.csv"
    good.write_bytes(csv_file(row(producer_name_lo=producer_name), row(producer_name_lo=producer_name, name_en="B")))
    bad.write_bytes(csv_file(row(), row(price_lak="-5")))
    try:
        result = runner.invoke(cli, ["import", str(good), "--as", email])
        assert result.exit_code == 0, result.output
        assert "1 producers created" in said(result) and "2 products created" in said(result)

        result = runner.invoke(cli, ["import", str(bad), "--as", email])
        assert result.exit_code == 1
        assert "line 3, column price_lak: must be at least 0" in said(result)
        assert "nothing was imported" in said(result)

        result = runner.invoke(cli, ["import", str(good), "--as", "nobody@odop.la"])
        assert result.exit_code == 1 and "no account" in said(result)
        with committed.session(write=False) as s:
            has_admin = s.exec(select(User.id).where(User.role == Role.admin)).first() is not None
        if not has_admin:
            result = runner.invoke(cli, ["import", str(good)])
            assert result.exit_code == 1 and "no admin account" in said(result)

        result = runner.invoke(cli, ["export", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(b"\xef\xbb\xbf") and producer_name.encode() in out.read_bytes()
        assert not list(tmp_path.glob(".out.csv.*"))  # the temporary file was renamed
    finally:
        with committed.session(write=True) as s:
            officer = s.exec(select(User).where(User.email == email)).one()
            s.execute(sa.delete(Product).where(Product.created_by_user_id == officer.id))
            s.execute(sa.delete(Producer).where(Producer.created_by_user_id == officer.id))
            s.execute(sa.delete(AuditEvent).where(AuditEvent.actor_user_id == officer.id))
            s.delete(officer)
