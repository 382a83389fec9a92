"""Fault tests: the real app with real commits on a database of its own, served by uvicorn in a thread
(or by `odop serve` in a subprocess, tests/faults/test_crash_recovery.py), and helpers to set it up.

Nothing here uses the rolled-back transaction of the other tests: what concurrent requests commit is
exactly what is checked afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from PIL import Image, ImageDraw

from app import migrations
from app.config import Settings
from app.db import Database
from tests.conftest import fresh_database_url, make_settings

PASSWORD = "correct horse battery"
_unique = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def photo(width: int = 160, height: int = 120) -> bytes:
    """A JPEG whose bytes no other call makes (so no two uploads share content-addressed files)."""
    img = Image.new("RGB", (width, height), (next(_unique) * 53 % 256, 120, 40))
    draw = ImageDraw.Draw(img)
    draw.rectangle((4, 4, width // 2, height // 2), fill=(20, next(_unique) * 29 % 256, 200))
    draw.text((6, height - 16), uuid.uuid4().hex[:10], fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


def media_files(root: Path) -> set[str]:
    """Every file under the media root (relative paths), temporary ones included."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def referenced_files(db: Database) -> set[str]:
    from app.media.sweep import referenced_paths

    return referenced_paths(db)


@dataclass
class Accounts:
    staff_id: int
    staff_email: str
    owners: list[int] = field(default_factory=list)  # producer accounts' ids
    producers: list[int] = field(default_factory=list)  # their producers, same order
    tokens: dict[int, str] = field(default_factory=dict)  # user id → bearer secret


def seed_accounts(db: Database, settings: Settings, producers: int = 1) -> Accounts:
    """A staff account and `producers` producer accounts, each with its producer; bearer tokens for all."""
    from app.auth import service as auth_service
    from app.auth.models import Role, SessionKind
    from app.auth.security import make_password_hasher
    from app.catalogue import service
    from app.catalogue.schemas import ProducerCreate

    hasher = make_password_hasher(settings)
    tag = uuid.uuid4().hex[:6]
    with db.session(write=True) as s:
        staff = auth_service.create_user(
            s, hasher, email=f"staff-{tag}@faults.la", password=PASSWORD, role=Role.staff, display_name="Staff"
        )
        accounts = Accounts(staff_id=staff.id, staff_email=staff.email)
        accounts.tokens[staff.id] = auth_service.start_session(s, staff, SessionKind.bearer, dt.timedelta(hours=2))
        for n in range(producers):
            owner = auth_service.create_user(
                s, hasher, email=f"maker{n}-{tag}@faults.la", password=PASSWORD, role=Role.producer, display_name="M"
            )
            producer = service.create_producer(
                s, owner, ProducerCreate(name={"lo": f"ກຸ່ມ {n}", "en": f"Group {n}"}, province_code="LA-LP")
            )
            s.flush()
            accounts.owners.append(owner.id)
            accounts.producers.append(producer.id)
            accounts.tokens[owner.id] = auth_service.start_session(s, owner, SessionKind.bearer, dt.timedelta(hours=2))
    return accounts


def bearer(accounts: Accounts, user_id: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {accounts.tokens[user_id]}"}


class ServerErrors(logging.Handler):
    """Collects what the app logs at WARNING and above while a test runs (5xx, database trouble)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self) -> list[str]:
        out = []
        for r in self.records:
            text = r.getMessage()
            if r.exc_info and r.exc_info[1] is not None:
                text += f" ({r.exc_info[1]!r})"
            out.append(f"{r.name}: {text}")
        return out


@dataclass
class LiveServer:
    base_url: str
    db: Database
    settings: Settings
    media_root: Path
    errors: ServerErrors


@pytest.fixture
def live_server(tmp_root: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 (uvicorn in a thread) on a fresh, migrated database of its own."""
    from app.main import create_app

    with fresh_database_url(tmp_root) as url:
        settings = make_settings(url, tmp_path / "media")
        database = Database.from_settings(settings)
        migrations.upgrade(database.engine)
        app = create_app(settings, database=database)
        errors = ServerErrors()
        root = logging.getLogger()
        root.addHandler(errors)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", backlog=512)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started, "the test server did not start"
        try:
            yield LiveServer(f"http://127.0.0.1:{port}", database, settings, Path(settings.media_dir), errors)
        finally:
            server.should_exit = True
            thread.join(timeout=15)
            root.removeHandler(errors)
            database.dispose()
