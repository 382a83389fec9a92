"""`odop seed-demo`: a believable catalogue in every province, photos through the real pipeline, repeatable.

The catalogue is seeded once for the module into its own fresh database (seeding commits, so it cannot
share the rolled-back test database); the tests read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import migrations
from app.auth.models import User
from app.catalogue.models import Producer, Product, ProductGrade, ProductImage, Showroom, ShowroomListing
from app.config import Settings
from app.db import Database, make_engine
from app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_data
from app.search.documents import product_search_text
from tests.conftest import fresh_database_url, make_settings

PRODUCTS = 60
SEED = 7


def _seed_fresh(tmp_root: Path, media: str, seed: int = SEED) -> Iterator[tuple[Database, Settings, str]]:
    with fresh_database_url(tmp_root) as url:
        db = Database(make_engine(url))
        migrations.upgrade(db.engine)
        settings = make_settings(url, tmp_root / media)
        try:
            yield db, settings, seed_demo_data(db, settings, products=PRODUCTS, if_empty=True, seed=seed)
        finally:
            db.dispose()


@pytest.fixture(scope="module")
def seeded(tmp_root: Path) -> Iterator[tuple[Database, Settings, str]]:
    yield from _seed_fresh(tmp_root, "demo-media")


@pytest.fixture
def read(seeded) -> Iterator[Session]:
    db, _, _ = seeded
    with db.session(write=False) as session:
        yield session


def _counts(session: Session) -> dict[str, int]:
    models = {"producer": Producer, "product": Product, "grade": ProductGrade, "image": ProductImage,
              "showroom": Showroom, "listing": ShowroomListing, "user": User}  # fmt: skip
    return {name: session.exec(select(sa.func.count()).select_from(model)).one() for name, model in models.items()}


def test_summary_says_what_was_created(seeded):
    summary = seeded[2]
    assert f"{PRODUCTS} products" in summary and "18 producers" in summary and "4 showrooms" in summary
    assert "Demo data loaded in" in summary and "buyers" in summary  # what is not seeded yet is said too


def test_every_province_has_producers_and_the_counts_match(read):
    assert _counts(read)["product"] == PRODUCTS
    per_province = dict(
        read.exec(select(Producer.province_code, sa.func.count()).group_by(Producer.province_code)).all()
    )
    assert len(per_province) == 18 and all(count >= 1 for count in per_province.values())
    producers = read.exec(select(Producer)).all()
    for producer in producers:
        assert {"lo", "en", "th"} <= producer.name.keys() and all(producer.name.values())
        assert producer.description["lo"] and producer.description["en"] and producer.description["th"]
        assert producer.phone.startswith("+856 20 ") and producer.founded_year and producer.members_count
        assert 0 < producer.women_members_count <= producer.members_count
    assert any(p.women_led for p in producers) and any(p.kind == "cooperative" for p in producers)


def test_products_are_trilingual_priced_and_searchable_like_the_service_makes_them(read):
    rows = read.exec(select(Product, Producer).join(Producer, Producer.id == Product.producer_id)).all()
    for product, producer in rows:
        for text in (product.name, product.description, product.materials):
            assert text.keys() == {"lo", "en", "th"} and all(text.values())
        assert product.price_lak > 0 and product.unit and product.moq >= 1 and product.lead_time_days >= 1
        assert product.province_code == producer.province_code
        expected = product_search_text(
            product.name, product.description, producer.name, producer.district, producer.village
        )
        # the same folded fields; their order follows the dict's, which PostgreSQL's JSONB re-sorts
        assert [sorted(text.split("\n")) for text in (product.search_name, product.search_body)] == [
            sorted(text.split("\n")) for text in expected
        ]
    statuses = {product.status for product, _ in rows}
    assert statuses >= {"published", "submitted", "draft"}
    rejected = [product for product, _ in rows if product.status == "rejected"]
    assert all(product.review_note for product in rejected)


def test_published_products_have_photos_stored_by_the_pipeline(read, seeded):
    media = Path(seeded[1].media_dir)
    published = read.exec(select(Product.id).where(Product.status == "published")).all()
    images = read.exec(select(ProductImage).where(ProductImage.product_id.in_(published))).all()
    covered = {image.product_id for image in images}
    assert covered == set(published)
    for image in images:
        assert image.paths.keys() == {"320", "800", "1600"}
        assert all((media / path).is_file() for path in image.paths.values())
    distinct = {image.content_hash for image in images}
    assert 1 < len(distinct) < len(images)  # a shared pool of photos, reused across products


def test_grades_are_records_and_products_show_the_newest(read, seeded):
    for product in read.exec(select(Product).where(Product.stars.is_not(None))):
        newest = read.exec(
            select(ProductGrade).where(ProductGrade.product_id == product.id).order_by(ProductGrade.graded_at.desc())
        ).first()
        assert newest.stars == product.stars and newest.valid_until == product.stars_valid_until
        assert 1 <= newest.stars <= 5
    staff = read.exec(select(User).where(User.email == "staff@odop.la")).one()
    graders = set(read.exec(select(ProductGrade.graded_by_user_id)))
    assert graders == {staff.id}


def test_demo_accounts_exist_and_own_things(read):
    emails = set(read.exec(select(User.email)))
    assert {email for email, _, _ in DEMO_ACCOUNTS} <= emails and DEMO_PASSWORD
    owner = read.exec(select(User).where(User.email == "producer@odop.la")).one()
    own = read.exec(select(Producer).where(Producer.owner_user_id == owner.id)).one()
    assert own.province_code == "LA-LP" and own.name["en"] == "Ban Xang Khong Weavers"
    statuses = list(read.exec(select(Product.status).where(Product.producer_id == own.id)))
    assert statuses.count("draft") == 1 and statuses.count("submitted") == 1 and "published" in statuses


def test_showrooms_list_published_products_of_their_province(read):
    showrooms = read.exec(select(Showroom)).all()
    assert {s.province_code for s in showrooms} == {"LA-LM", "LA-OU", "LA-SL", "LA-VT"}
    assert all(s.address and s.name["lo"] for s in showrooms)
    listings = read.exec(
        select(ShowroomListing, Product, Showroom)
        .join(Product, Product.id == ShowroomListing.product_id)
        .join(Showroom, Showroom.id == ShowroomListing.showroom_id)
    ).all()
    assert listings and any(listing.featured for listing, _, _ in listings)
    for _, product, showroom in listings:
        assert product.status == "published" and product.province_code == showroom.province_code


def test_searching_the_api_in_lao_finds_coffee(seeded):
    from app.main import create_app

    db, settings, _ = seeded
    with TestClient(create_app(settings, database=db)) as client:
        r = client.get("/api/v1/products", params={"q": "ກາເຟ", "per_page": 100})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] >= 1
    assert any(item["category"] == "coffee" for item in body["items"])
    assert all("ກາເຟ" in item["name"]["lo"] + item["description"]["lo"] for item in body["items"])
    assert all(item["images"] for item in body["items"])


def test_a_second_run_with_if_empty_adds_nothing(seeded, read):
    db, settings, _ = seeded
    before = _counts(read)
    assert "nothing to do" in seed_demo_data(db, settings, products=PRODUCTS, if_empty=True, seed=SEED)
    with db.session(write=False) as session:
        assert _counts(session) == before


def test_the_same_seed_gives_the_same_catalogue(seeded, read, tmp_root):
    names = list(read.exec(select(Product.name).order_by(Product.id)))
    for db, _, _ in _seed_fresh(tmp_root, "demo-media-again"):
        with db.session(write=False) as session:
            assert list(session.exec(select(Product.name).order_by(Product.id))) == names


def test_refuses_to_run_in_production(tmp_root):
    settings = make_settings("sqlite://", tmp_root / "unused", env="production")
    with pytest.raises(SystemExit, match="production"):
        seed_demo_data(None, settings, products=1, if_empty=False, seed=1)  # type: ignore[arg-type]
