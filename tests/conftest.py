"""Test harness.

One run = one database backend: SQLite by default, PostgreSQL when ODOP_TEST_BACKEND=postgresql
(with ODOP_TEST_DATABASE_URL; `make test` runs both). Each run builds a fresh database with the real
migrations (a temp file for SQLite, a new database on the PostgreSQL server that is dropped at the
end), and each test runs in a transaction that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import migrations
from app.config import Settings
from app.db import Database, make_engine

BACKEND = os.environ.get("ODOP_TEST_BACKEND", "sqlite")


def pytest_report_header(config: pytest.Config) -> str:
    return f"database backend: {BACKEND}"


@contextmanager
def fresh_database_url(tmp_dir: Path) -> Iterator[str]:
    """A new, empty database for this backend; removed afterwards."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_dir / f'odop-{uuid.uuid4().hex[:8]}.db'}"
        return
    admin_url = os.environ.get("ODOP_TEST_DATABASE_URL")
    if not admin_url:
        pytest.exit("ODOP_TEST_BACKEND=postgresql needs ODOP_TEST_DATABASE_URL", returncode=2)
    name = f"odop_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def tmp_root() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="odop-tests-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def make_settings(database_url: str, media_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "database_url": database_url,
        "media_dir": media_dir,
        "secret_key": "test-secret-key-0123456789abcdefghijklmnop",
        # argon2id all the same, at a cost that keeps hundreds of logins fast
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        # Test writes are savepoints that never commit, so they could not clear cached pages: off here,
        # switched on by tests/web/test_page_cache.py.
        "page_cache_seconds": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def database_url(tmp_root: Path) -> Iterator[str]:
    with fresh_database_url(tmp_root) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(database_url)
    migrations.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_root: Path) -> Settings:
    return make_settings(database_url, tmp_root / "media")


class TransactionalDatabase(Database):
    """Every session joins one outer transaction that the test rolls back; commits become savepoints."""

    def __init__(self, engine: sa.Engine, connection: sa.Connection) -> None:
        super().__init__(engine)
        self.connection = connection

    @contextmanager
    def session(self, *, write: bool) -> Iterator[Session]:
        with Session(bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:  # the engine belongs to the test session
        pass


@pytest.fixture
def db(engine: sa.Engine) -> Iterator[TransactionalDatabase]:
    connection = engine.execution_options(odop_write=True).connect()
    outer = connection.begin()
    try:
        yield TransactionalDatabase(engine, connection)
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def session(db: TransactionalDatabase) -> Iterator[Session]:
    """A session for arranging and checking data directly (what is stored)."""
    with db.session(write=True) as s:
        yield s


@pytest.fixture(scope="session")
def app(settings: Settings, engine: sa.Engine) -> FastAPI:
    from app.main import create_app

    return create_app(settings, database=Database(engine))


@pytest.fixture
def client(app: FastAPI, db: TransactionalDatabase) -> Iterator[TestClient]:
    previous = app.state.db
    app.state.db = db
    app.state.limiter.reset()
    with TestClient(app, base_url="http://testserver") as c:
        yield c
    app.state.db = previous


pytest_plugins = ["tests.factories"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop on the main thread while the browser
    is open, which would break later tests that start their own loop (asyncio.run)."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid.replace("\\", "/"))
