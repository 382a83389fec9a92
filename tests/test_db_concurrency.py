"""Write transactions never fail with "database is locked", and production cookies are Secure."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlmodel import select

from app import migrations
from app.audit.models import AuditEvent
from app.db import Database, make_engine
from tests.conftest import fresh_database_url, make_settings


def test_concurrent_read_then_write_transactions_all_commit(tmp_root):
    """Each writer reads, then writes: the classic lock-upgrade deadlock of SQLite's deferred BEGIN.
    With BEGIN IMMEDIATE every one waits its turn and commits."""
    with fresh_database_url(tmp_root) as url:
        engine = make_engine(url)
        migrations.upgrade(engine)
        db = Database(engine)
        errors: list[BaseException] = []
        writers, rounds = 12, 8

        def writer(n: int) -> None:
            try:
                for i in range(rounds):
                    with db.session(write=True) as session:
                        seen = session.exec(select(sa.func.count(AuditEvent.id))).one()
                        session.add(
                            AuditEvent(
                                action="test.write", entity_type="test", entity_id=n * 100 + i, details={"seen": seen}
                            )
                        )
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        try:
            assert not errors, errors[:3]
            with db.session(write=False) as session:
                assert session.exec(select(sa.func.count(AuditEvent.id))).one() == writers * rounds
        finally:
            engine.dispose()


def test_production_session_cookie_is_secure(tmp_root, engine, database_url):
    from fastapi.testclient import TestClient

    from app.auth import service
    from app.auth.models import Role
    from app.main import create_app

    settings = make_settings(database_url, tmp_root / "media", env="production", secret_key="p" * 48)
    app = create_app(settings, database=Database(engine))
    with Database(engine).session(write=True) as session:
        service.create_user(
            session,
            app.state.password_hasher,
            email="secure@example.la",
            password="long enough",
            role=Role.buyer,
            display_name="Secure",
        )
    try:
        client = TestClient(app, base_url="https://testserver")
        page = client.get("/login")
        assert "Strict-Transport-Security" in page.headers
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        r = client.post(
            "/login",
            data={"email": "secure@example.la", "password": "long enough", "csrf_token": token},
            follow_redirects=False,
        )
        cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("odop_session="))
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        with Database(engine).session(write=True) as session:
            session.execute(sa.text("DELETE FROM user_account WHERE email = 'secure@example.la'"))
