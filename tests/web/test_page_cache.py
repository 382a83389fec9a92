"""Anonymous public pages are cached; nothing personal ever is, and a write shows at once."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app import migrations
from app.auth import service as auth_service
from app.auth.models import Role
from app.catalogue import service
from app.catalogue.schemas import ProducerCreate, ProductCreate, ProductUpdate
from app.db import Database, make_engine
from tests.conftest import fresh_database_url, make_settings


@pytest.fixture
def cached_app(tmp_root):
    from app.main import create_app

    with fresh_database_url(tmp_root) as url:
        engine = make_engine(url)
        migrations.upgrade(engine)
        db = Database(engine)
        app = create_app(make_settings(url, tmp_root / "cache-media", page_cache_seconds=60), database=db)
        with db.session(write=True) as s:
            hasher = app.state.password_hasher
            staff = auth_service.create_user(
                s, hasher, email="s@c.la", password="password-1", role=Role.staff, display_name="S"
            )
            owner = auth_service.create_user(
                s, hasher, email="o@c.la", password="password-1", role=Role.producer, display_name="O"
            )
            producer = service.create_producer(s, owner, ProducerCreate(name={"en": "Weavers"}, province_code="LA-LP"))
            product = service.create_product(
                s,
                owner,
                ProductCreate(producer_id=producer.id, category="silk", name={"en": "Blue scarf"}, price_lak=100000),
            )
            service.submit_product(s, owner, product, producer)
            service.review_product(s, staff, product, producer, approve=True, stars=None, note=None)
        try:
            yield app, db, product.id, owner.id
        finally:
            engine.dispose()


def test_anonymous_pages_are_served_from_cache_and_writes_clear_it(cached_app):
    app, db, product_id, owner_id = cached_app
    client = TestClient(app)
    first = client.get("/products?lang=en")
    assert "Blue scarf" in first.text
    assert "X-CSRF-Token" not in first.text and 'name="csrf-token"' not in first.text  # nothing personal
    calls = []
    original = app.state.db.session

    def counting(*a, **kw):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(*a, **kw)

    app.state.db.session = counting
    again = TestClient(app).get("/products?lang=en")  # another visitor
    assert again.text == first.text and not calls  # served without touching the database
    app.state.db.session = original

    with db.session(write=True) as s:  # a staff edit through the service, committed
        from app.auth.models import User
        from app.catalogue.models import Producer, Product

        product = s.get(Product, product_id)
        producer = s.get(Producer, product.producer_id)
        service.update_product(s, s.get(User, owner_id), product, producer, ProductUpdate(price_lak=123000))
    assert "123,000" in TestClient(app).get("/products?lang=en").text


def test_logged_in_pages_are_never_cached(cached_app):
    app, _db, _pid, _owner = cached_app
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"email": "o@c.la", "password": "password-1", "csrf_token": token})
    mine = client.get("/products?lang=en")
    assert "X-CSRF-Token" in mine.text and "Log out" in mine.text
    anonymous = TestClient(app).get("/products?lang=en")
    assert "X-CSRF-Token" not in anonymous.text and "Log out" not in anonymous.text


def test_cached_pages_do_not_accumulate_headers(cached_app):
    app, *_ = cached_app
    for _ in range(5):
        response = TestClient(app).get("/products?lang=en")
    cookies = response.headers.get_list("set-cookie")
    assert sum(c.startswith("odop_csrf=") for c in cookies) == 1  # this visitor's own CSRF cookie, once


def test_logins_and_inquiries_keep_the_cached_pages(cached_app):
    """Writes no cached page shows (a session, an inquiry, the audit trail) do not empty the cache; a
    write whose table is not known to be private does."""
    import sqlalchemy as sa

    from app.web import page_cache

    app, db, product_id, _owner = cached_app
    client = TestClient(app)
    client.get(f"/products/{product_id}?lang=en")
    before = page_cache._generation
    visitor = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', visitor.get("/login").text).group(1)
    logged_in = visitor.post("/login", data={"email": "o@c.la", "password": "password-1", "csrf_token": token})
    assert logged_in.status_code == 200 and visitor.cookies.get("odop_session")
    with db.session(write=True) as s:  # a login's session row and an audit entry
        s.execute(sa.text("UPDATE auth_session SET expires_at = expires_at"))
        s.execute(sa.text("DELETE FROM audit_event WHERE id < 0"))
    assert page_cache._generation == before
    with db.session(write=True) as s:
        s.execute(sa.text("UPDATE product SET price_lak = 99000 WHERE id = :id"), {"id": product_id})
    assert page_cache._generation == before + 1
    assert "99,000" in TestClient(app).get(f"/products/{product_id}?lang=en").text
    with db.session(write=True) as s:  # rolled back: nothing changed, the next commit is private
        s.execute(sa.text("UPDATE product SET price_lak = 1 WHERE id = :id"), {"id": product_id})
        s.rollback()
        s.execute(sa.text("DELETE FROM audit_event WHERE id < 0"))
    assert page_cache._generation == before + 1
