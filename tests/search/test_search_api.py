"""Product search through GET /api/v1/products?q=: what is found, in which order, and that it stays in step."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.catalogue import service
from app.catalogue.models import Producer, Product
from app.catalogue.schemas import ProducerUpdate, ProductUpdate
from app.db import utcnow
from tests.search.conftest import search

SILK = {"lo": "ຜ້າໄໝມັດໝີ່", "en": "Ikat silk scarf", "th": "ผ้าไหมมัดหมี่"}
TEA = {"lo": "ຊາປ່າ ຜົ້ງສາລີ", "en": "Wild forest tea", "th": "ชาป่า"}
COFFEE = {"lo": "ກາເຟ ບາຊຽງ", "en": "Bolaven coffee beans", "th": "กาแฟโบลาเวน"}


@pytest.fixture
def catalogue(make_product):
    return {
        "silk": make_product(status="published", name=SILK, description={"en": "Handwoven by the Phanom weavers."}),
        "tea": make_product(status="published", name=TEA, category="tea", description={"lo": "ຊາອິນຊີ"}),
        "coffee": make_product(status="published", name=COFFEE, category="coffee"),
        "draft": make_product(status="draft", name={"en": "Secret silk sample"}),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("silk", {"silk"}),  # English
        ("SILK", {"silk"}),
        ("ໄໝ", {"silk"}),  # Lao, two code points: shorter than a trigram
        ("ໄຫມ", {"silk"}),  # ... in the other spelling of ໝ
        ("ชา", {"tea"}),  # Thai, two code points
        ("ຊາ", {"tea"}),  # Lao tea; also in ຊາອິນຊີ
        ("ກາເຟ", {"coffee"}),
        ("ผ้าไหม", {"silk"}),
        ("phanom", {"silk"}),  # the description
        ("ໝີ່", {"silk"}),
        ("ຫມີ່", {"silk"}),
        ("ຟ", {"coffee"}),  # one code point
        ("ກ", {"silk", "tea", "coffee"}),  # in every producer's name (ກຸ່ມທໍຜ້າ)
        ("k", {"silk"}),  # ikat silk
        ("beans bolaven", {"coffee"}),  # every word, in any order
        ("bolaven tea", set()),
        ("cofee", set()),  # typos are for "did you mean"
    ],
)
def test_finds_every_product_containing_the_words(client, catalogue, q, expected):
    ids, total = search(client, q)
    assert set(ids) == {catalogue[k].id for k in expected} and total == len(expected)


def test_spelling_variants_of_lao_find_each_other(client, make_product):
    standard = make_product(status="published", name={"lo": "ນ້ຳເຜິ້ງໝາກໄມ້ຫຼວງ"})  # ຳ, ໝ, ຫຼ
    typed = make_product(status="published", name={"lo": "ນ້ໍາເຜີ້ງ ຫມາກໄມ້ ຫລວງ"})  # ໍ+າ, ຫມ, ຫລ
    for q in ("ນ້ຳ", "ນ້ໍາ", "ໝາກ", "ຫມາກ", "ຫຼວງ", "ຫລວງ", "ໝາກໄມ້"):
        assert set(search(client, q)[0]) == {standard.id, typed.id}, q
    assert search(client, "ເຜິ້ງ")[0] == [standard.id]  # a different vowel is a different word


def test_name_matches_rank_before_description_matches_then_grade_then_freshness(client, make_product):
    in_body = make_product(status="published", stars=5, name={"en": "Cotton bag"}, description={"en": "Silk lining"})
    plain = make_product(status="published", name={"en": "Silk scarf"})
    graded = make_product(status="published", stars=4, name={"en": "Silk shawl"})
    top = make_product(status="published", stars=5, name={"en": "Silk sinh"})
    newest = make_product(status="published", name={"en": "Silk purse"})
    ids, _ = search(client, "silk")
    assert ids == [top.id, graded.id, newest.id, plain.id, in_body.id]


def test_several_words_rank_whole_phrase_then_all_in_name(client, make_product):
    scattered = make_product(status="published", stars=5, name={"en": "Red bag"}, description={"en": "silk"})
    both_in_name = make_product(status="published", stars=3, name={"en": "Silk, dyed red"})
    phrase_in_body = make_product(status="published", stars=5, name={"en": "Scarf"}, description={"en": "red silk"})
    phrase_in_name = make_product(status="published", name={"en": "Red silk scarf"})
    make_product(status="published", name={"en": "Red cotton"})  # lacks silk: not a result
    ids, total = search(client, "red silk")
    assert ids == [phrase_in_name.id, both_in_name.id, phrase_in_body.id, scattered.id] and total == 4


def test_expired_grades_rank_as_ungraded(client, make_product, session):
    expired = make_product(status="published", stars=5, name={"en": "Silk one"})
    newer = make_product(status="published", name={"en": "Silk two"})
    assert search(client, "silk")[0] == [expired.id, newer.id]
    # the grade runs out later, without any write: search must notice at query time
    session.execute(
        sa.update(Product).where(Product.id == expired.id).values(stars_valid_until=utcnow() + dt.timedelta(seconds=1))
    )
    from app.search import engine

    later = utcnow() + dt.timedelta(minutes=1)
    original = engine.utcnow
    engine.utcnow = lambda: later  # type: ignore[assignment]
    try:
        assert search(client, "silk")[0] == [newer.id, expired.id]
    finally:
        engine.utcnow = original  # type: ignore[assignment]


def test_filters_and_sorts_apply_to_search(client, make_product, make_producer):
    north = make_producer(province="LA-PH")
    a = make_product(status="published", name={"en": "Silk A"}, price_lak=90_000, producer=north)
    b = make_product(status="published", name={"en": "Silk B"}, price_lak=50_000, category="cotton")
    c = make_product(status="published", stars=5, name={"en": "Silk C"}, price_lak=70_000)
    assert search(client, "silk", province="LA-PH") == ([a.id], 1)
    assert search(client, "silk", category="textiles")[1] == 3  # a family lists its sub-categories
    assert search(client, "silk", category="cotton") == ([b.id], 1)
    assert search(client, "silk", min_stars=4) == ([c.id], 1)
    assert search(client, "silk", sort="price")[0] == [b.id, c.id, a.id]
    assert search(client, "silk", sort="price_desc")[0] == [a.id, c.id, b.id]
    assert search(client, "silk", sort="newest")[0] == [c.id, b.id, a.id]
    assert search(client, "silk", price_max=60_000) == ([b.id], 1)


def test_every_filter_of_the_catalogue_works_on_the_index(client, make_product, make_producer):
    """The filters are the catalogue's own conditions, moved onto the index's copy of the product columns."""
    producer = make_producer(province="LA-CH")
    certified = make_product(
        status="published", stars=4, name={"en": "Honey"}, certifications=["organic"], producer=producer, price_lak=1
    )
    make_product(status="published", stars=2, name={"en": "Honey comb"}, price_lak=10)
    combined = {
        "province": "LA-CH",
        "category": "silk",
        "producer": producer.id,
        "min_stars": 3,
        "certification": "organic",
        "price_min": 0,
        "price_max": 5,
    }
    assert search(client, "honey", **combined) == ([certified.id], 1)
    for key, value in combined.items():
        assert search(client, "honey", **{key: value})[0][0] == certified.id, key
    assert search(client, "honey", certification="halal") == ([], 0)


def test_pages_are_consistent(client, make_product):
    made = [make_product(status="published", stars=(i % 3) or None, name={"en": f"Silk {i}"}) for i in range(7)]
    first = client.get("/api/v1/products", params={"q": "silk", "per_page": 3, "page": 1}).json()
    second = client.get("/api/v1/products", params={"q": "silk", "per_page": 3, "page": 2}).json()
    third = client.get("/api/v1/products", params={"q": "silk", "per_page": 3, "page": 3}).json()
    beyond = client.get("/api/v1/products", params={"q": "silk", "per_page": 3, "page": 9}).json()
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert ids == search(client, "silk")[0] and set(ids) == {p.id for p in made}
    assert first["total"] == third["total"] == beyond["total"] == 7 and beyond["items"] == []


def test_owner_searches_own_drafts(client, make_product, owner_of, auth_headers):
    draft = make_product(status="draft", name={"en": "Silk sample"})
    make_product(status="draft", name={"en": "Silk of someone else"})
    headers = auth_headers(owner_of(draft))
    r = client.get("/api/v1/products", params={"q": "silk", "status": "draft"}, headers=headers)
    assert r.status_code == 200 and [i["id"] for i in r.json()["items"]] == [draft.id]
    assert search(client, "silk") == ([], 0)  # drafts are nobody else's business


# ---- the index follows every write ------------------------------------------------------------


def test_publishing_editing_and_deleting_show_at_once(client, make_product, make_user, owner_of, session):
    product = make_product(status="submitted", name={"en": "Silk scarf"})
    assert search(client, "silk")[1] == 0
    staff = make_user("staff")
    producer = session.get(Producer, product.producer_id)
    service.review_product(session, staff, product, producer, approve=True, stars=None, note=None)
    session.flush()
    assert search(client, "silk")[0] == [product.id]
    # an edit of a published name waits for review: the live name stays findable until then
    owner = owner_of(product)
    service.update_product(session, owner, product, producer, ProductUpdate(name={"en": "Cotton scarf"}))
    session.flush()
    assert search(client, "silk")[0] == [product.id] and search(client, "cotton")[1] == 0
    service.review_product(session, staff, product, producer, approve=True, stars=3, note=None)
    session.flush()
    assert search(client, "silk")[1] == 0 and search(client, "cotton")[0] == [product.id]
    service.delete_product(session, owner, product, producer)
    session.flush()
    assert search(client, "cotton")[1] == 0


def test_producer_changes_reach_its_products(client, make_product, make_producer, make_user, session):
    producer = make_producer(name={"en": "Phanom weavers"})
    product = make_product(producer=producer, status="published", name={"en": "Scarf"})
    assert search(client, "phanom")[0] == [product.id]
    staff = make_user("staff")
    service.update_producer(session, staff, producer, ProducerUpdate(name={"en": "Xieng Men weavers"}))
    session.flush()
    assert search(client, "phanom")[1] == 0 and search(client, "xieng men")[0] == [product.id]
    service.delete_producer(session, staff, producer)
    session.flush()
    assert search(client, "xieng")[1] == 0


def test_direct_writes_are_indexed(client, insert_product, session):
    """Bulk import and the demo seeder write rows with SQL; the triggers index them all the same."""
    shown = insert_product({"en": "Bamboo basket"})
    hidden = insert_product({"en": "Bamboo chair"}, status="draft")
    assert search(client, "bamboo")[0] == [shown.id]
    session.execute(sa.update(Product).where(Product.id == hidden.id).values(status="published", published_at=utcnow()))
    assert set(search(client, "bamboo")[0]) == {shown.id, hidden.id}
    session.execute(sa.update(Product).where(Product.id == shown.id).values(status="draft"))
    assert search(client, "bamboo")[0] == [hidden.id]
    session.execute(sa.update(Product).where(Product.id == hidden.id).values(price_lak=5))
    assert search(client, "bamboo", price_max=10)[0] == [hidden.id]
    session.execute(sa.delete(Product).where(Product.id == hidden.id))
    assert search(client, "bamboo") == ([], 0)
    assert session.execute(sa.text("SELECT count(*) FROM search_fts_doc")).scalar_one() == 0


def test_deleting_a_producer_row_cascades_out_of_the_index(client, insert_product, session):
    product = insert_product({"en": "Rattan tray"})
    assert search(client, "rattan")[1] == 1
    session.execute(sa.delete(Producer).where(Producer.id == product.producer_id))
    assert search(client, "rattan") == ([], 0)
    assert session.execute(sa.text("SELECT count(*) FROM search_fts_doc")).scalar_one() == 0


def test_the_triggers_survive_every_migration(session):
    """A later migration that rebuilds `product` (SQLite batch mode) would drop them: it must re-create them."""
    if session.get_bind().dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'product'"
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'product'::regclass AND NOT tgisinternal"
    names = {name for (name,) in session.execute(sa.text(sql)) if name.startswith("search_fts")}
    assert len(names) == (4 if session.get_bind().dialect.name == "sqlite" else 3), names


def test_reindex_rebuilds_the_index(client, db, insert_product, session):
    from app.search.commands import reindex

    products = [insert_product({"en": f"Teak bowl {i}"}, stars=(i % 5) + 1) for i in range(5)]
    before = search(client, "teak")
    if session.get_bind().dialect.name == "sqlite":
        for table in ("search_fts", "search_fts_short", "search_fts_words"):
            session.execute(sa.text(f"INSERT INTO {table} ({table}) VALUES ('delete-all')"))
    session.execute(sa.text("DELETE FROM search_fts_doc"))
    assert search(client, "teak")[1] == 0
    summary = reindex(db)
    assert summary.products == len(products) and summary.seconds >= 0 and "5 products" in str(summary)
    assert search(client, "teak") == before
    assert search(client, "ea")[1] == len(products)  # the short grams too
    assert reindex(db).products == len(products)  # and again: idempotent
    assert search(client, "teak") == before
    if session.get_bind().dialect.name == "postgresql":  # the rebuilt table got the migration's index names back
        indexes = {
            n
            for (n,) in session.execute(sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'search_fts_doc'"))
        }
        assert indexes == {f"search_fts_doc_{n}" for n in ("pkey", "name_trgm", "body_trgm", "grams")}
