"""`odop seed-demo`: a believable catalogue in every province, photos through the real pipeline, repeatable;
buyers who log in and write to producers, a past matching event with its results and an upcoming one with its
schedule.

The catalogue is seeded once for the module into its own fresh database (seeding commits, so it cannot
share the rolled-back test database); the tests read it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app import migrations
from app.auth.models import User
from app.catalogue.models import Producer, Product, ProductGrade, ProductImage, Showroom, ShowroomListing
from app.catalogue.reference import Category, Province
from app.config import Settings
from app.db import Database, make_engine, utcnow
from app.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_data
from app.demo.buyers import BUYERS
from app.demo.matching import INQUIRIES, buyer_email
from app.events.models import Event, EventParticipant, Meeting
from app.matching.models import Buyer, Inquiry
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


@pytest.fixture(scope="module")
def demo_app(seeded):
    from app.main import create_app

    db, settings, _ = seeded
    return create_app(settings, database=db)


def _token(client: TestClient, email: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": email, "password": DEMO_PASSWORD})
    assert r.status_code == 200, (email, r.text)
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _counts(session: Session) -> dict[str, int]:
    models = {"producer": Producer, "product": Product, "grade": ProductGrade, "image": ProductImage,
              "showroom": Showroom, "listing": ShowroomListing, "user": User, "buyer": Buyer,
              "inquiry": Inquiry, "event": Event, "meeting": Meeting}  # fmt: skip
    return {name: session.exec(select(sa.func.count()).select_from(model)).one() for name, model in models.items()}


def test_summary_says_what_was_created(seeded):
    summary = seeded[2]
    assert f"{PRODUCTS} products" in summary and "18 producers" in summary and "4 showrooms" in summary
    assert "Demo data loaded in" in summary and "Not seeded yet" not in summary
    assert f"{len(BUYERS)} buyers" in summary and f"{INQUIRIES} inquiries" in summary
    assert "past event" in summary and "upcoming event" in summary and "buyer-01@odop.la" in summary


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


# ---- the business-matching side ----------------------------------------------------------------------


def test_every_demo_buyer_logs_in_and_has_a_profile(demo_app):
    with TestClient(demo_app) as client:
        for index, spec in enumerate(BUYERS):
            me = client.get("/api/v1/auth/me", headers=_token(client, buyer_email(index))).json()
            assert me["role"] == "buyer" and me["buyer_id"], me
            if index in (0, 1):
                profile = client.get(f"/api/v1/buyers/{me['buyer_id']}", headers=_token(client, me["email"])).json()
                assert profile["organisation"] == spec.organisation and profile["categories"]
    assert buyer_email(0) == "buyer@odop.la"  # the documented demo buyer owns the first profile


def test_buyer_profiles_name_real_reference_data(read):
    categories = set(read.exec(select(Category.slug)))
    provinces = set(read.exec(select(Province.code)))
    buyers = read.exec(select(Buyer)).all()
    assert len(buyers) == len(BUYERS)
    for buyer in buyers:
        assert buyer.user_id and buyer.categories and set(buyer.categories) <= categories
        assert set(buyer.provinces) <= provinces and buyer.languages and buyer.phone
    countries = Counter(b.country for b in buyers)
    assert {"LA", "TH", "CN", "VN", "JP"} <= countries.keys() and len(countries) >= 8
    assert {b.buyer_type for b in buyers} >= {"retailer", "wholesaler", "exporter", "hotel_restaurant"}


def test_inquiries_reach_the_demo_producers_inbox(demo_app, read):
    with TestClient(demo_app) as client:
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": "producer@odop.la", "password": DEMO_PASSWORD, "csrf_token": token})
        inbox = client.get("/my/inquiries", params={"lang": "en"})
    assert inbox.status_code == 200
    owner = read.exec(select(User).where(User.email == "producer@odop.la")).one()
    own = read.exec(select(Producer.id).where(Producer.owner_user_id == owner.id)).one()
    received = read.exec(
        select(Inquiry, Buyer).join(Buyer, Buyer.id == Inquiry.buyer_id).where(Inquiry.producer_id == own)
    ).all()
    assert received
    shown = html.unescape(inbox.text)
    for inquiry, buyer in received:  # who wrote, and what, as the producer reads it
        assert buyer.organisation in shown and inquiry.message in shown


def test_inquiries_are_spread_over_months_in_the_buyers_languages(read):
    rows = read.exec(select(Inquiry, Product).join(Product, Product.id == Inquiry.product_id)).all()
    assert len(rows) == INQUIRIES
    now = utcnow()
    for inquiry, product in rows:
        assert product.status == "published" and inquiry.producer_id == product.producer_id and inquiry.buyer_id
        assert inquiry.created_at <= now and (inquiry.read_at is None or inquiry.created_at <= inquiry.read_at <= now)
    ages = [(now - inquiry.created_at).days for inquiry, _ in rows]
    assert max(ages) > 120 and min(ages) < 30  # about six months, up to last week
    read_count = sum(inquiry.read_at is not None for inquiry, _ in rows)
    assert 0 < read_count < len(rows)
    text = " ".join(inquiry.message for inquiry, _ in rows)
    scripts = {"lo": "[\u0e80-\u0eff]", "th": "[\u0e00-\u0e7f]", "zh": "[\u4e00-\u9fff]", "en": "Hello|Hi,|We "}
    assert all(re.search(pattern, text) for pattern in scripts.values())


def _events(session: Session) -> tuple[Event, Event]:
    past, upcoming = session.exec(select(Event).order_by(Event.starts_at)).all()
    return past, upcoming


def test_the_past_event_has_results_in_the_reports(demo_app, read):
    past, upcoming = _events(read)
    assert past.ends_at < utcnow() < upcoming.starts_at
    with TestClient(demo_app) as client:
        staff = _token(client, "staff@odop.la")
        events = client.get("/api/v1/reports/events", headers=staff).json()
        summary = client.get("/api/v1/reports/summary", headers=staff).json()
        inquiries = client.get("/api/v1/reports/inquiries", headers=staff).json()
        report = client.get(f"/api/v1/events/{past.id}/report").json()
    rows = {row["id"]: row for row in events["items"]}
    held = rows[past.id]
    assert held["meetings"] > 0 and 0 < held["held"] <= held["meetings"]
    assert held["deals"] > 0 and held["deal_value_lak"] > 0
    assert rows[upcoming.id]["meetings"] > 0 and rows[upcoming.id]["held"] == 0  # scheduled, still to come
    assert summary["events"] == 2 and summary["meetings_held"] == held["held"] and summary["deals"] == held["deals"]
    assert summary["inquiries"] == INQUIRIES and 0 < summary["inquiries_read"] < INQUIRIES
    assert len([m for m in inquiries["items"] if m["received"]]) >= 5  # month by month
    assert report["requests"] > 0 and report["held"] == held["held"] and report["by_province"]
    meetings = read.exec(select(Meeting).where(Meeting.event_id == past.id)).all()
    followed = [m for m in meetings if m.follow_up]
    assert followed and all(m.status == "held" and past.starts_at < m.followed_up_at < utcnow() for m in followed)


def test_the_upcoming_schedule_double_books_nobody(demo_app, read):
    _, upcoming = _events(read)
    participants = {
        p.id: p for p in read.exec(select(EventParticipant).where(EventParticipant.event_id == upcoming.id))
    }
    approved = [p for p in participants.values() if p.approved]
    assert len(approved) > 10 and any(not p.approved for p in participants.values())  # and some wait for staff
    with TestClient(demo_app) as client:
        schedule = client.get(f"/api/v1/events/{upcoming.id}/schedule", headers=_token(client, "staff@odop.la")).json()
        buyer = _token(client, "buyer@odop.la")
        demo_buyer = client.get("/api/v1/auth/me", headers=buyer).json()["buyer_id"]
        mine = next(p.id for p in approved if p.buyer_id == demo_buyer)
        agenda = client.get(f"/api/v1/events/{upcoming.id}/agenda", params={"participant_id": mine}, headers=buyer)
    meetings = schedule["meetings"]
    assert schedule["status"] == "OPTIMAL" and len(meetings) > len(approved)
    slots = (upcoming.ends_at - upcoming.starts_at) // dt.timedelta(minutes=upcoming.slot_minutes)
    for key in ("buyer_participant_id", "producer_participant_id", "table"):
        per_slot = Counter((m["slot"], m[key]) for m in meetings)
        assert max(per_slot.values()) == 1, key  # nobody (and no table) twice in one slot
    for m in meetings:
        assert 0 <= m["slot"] < slots and 1 <= m["table"] <= upcoming.tables and m["status"] == "scheduled"
        for pid in (m["buyer_participant_id"], m["producer_participant_id"]):
            assert participants[pid].approved and m["slot"] not in participants[pid].unavailable_slots
    assert agenda.status_code == 200 and agenda.json()["meetings"]  # the demo buyer has meetings to go to


def test_a_second_run_with_if_empty_adds_nothing(seeded, read):
    db, settings, _ = seeded
    before = _counts(read)
    assert "nothing to do" in seed_demo_data(db, settings, products=PRODUCTS, if_empty=True, seed=SEED)
    with db.session(write=False) as session:
        assert _counts(session) == before


def _matching_side(session: Session) -> tuple[list, list, list]:
    buyers = list(session.exec(select(Buyer.organisation, Buyer.phone, Buyer.provinces).order_by(Buyer.id)))
    inquiries = list(session.exec(select(Inquiry.product_id, Inquiry.message, Inquiry.quantity).order_by(Inquiry.id)))
    meetings = list(
        session.exec(
            select(
                Meeting.buyer_participant_id,
                Meeting.producer_participant_id,
                Meeting.slot,
                Meeting.table_number,
                Meeting.status,
                Meeting.deal_value_lak,
            ).order_by(Meeting.id)
        )
    )
    return buyers, inquiries, meetings


def test_the_same_seed_gives_the_same_catalogue(seeded, read, tmp_root):
    names = list(read.exec(select(Product.name).order_by(Product.id)))
    matching = _matching_side(read)
    for db, _, _ in _seed_fresh(tmp_root, "demo-media-again"):
        with db.session(write=False) as session:
            assert list(session.exec(select(Product.name).order_by(Product.id))) == names
            assert _matching_side(session) == matching  # buyers, inquiries, and both schedules


def test_refuses_to_run_in_production(tmp_root):
    settings = make_settings("sqlite://", tmp_root / "unused", env="production")
    with pytest.raises(SystemExit, match="production"):
        seed_demo_data(None, settings, products=1, if_empty=False, seed=1)  # type: ignore[arg-type]
