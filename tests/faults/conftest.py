"""Fault tests: the real app with real commits on a database of its own, served by uvicorn in a thread
(or by `odop serve` in subprocesses: test_crash_recovery.py, test_scale_out.py, test_database_outage.py), and
helpers to set it up.

Nothing here uses the rolled-back transaction of the other tests: what concurrent requests commit is
exactly what is checked afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
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


# ---- `odop serve` in subprocesses (tests/faults/test_scale_out.py, test_database_outage.py) ----------------

REPO = Path(__file__).resolve().parents[2]


def odop_command() -> list[str]:
    """The installed `odop` console script, or the same entry point through this interpreter."""
    script = Path(sys.executable).with_name("odop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli"]


def odop_env(database_url: str, media_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of an `odop` subprocess: this database and media directory, test settings, no Redis
    unless `ODOP_REDIS_URL` is given; any other ODOP_ setting of the caller's environment is left out."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODOP_")}
    env.update(
        {
            "ODOP_ENV": "test",
            "ODOP_DATABASE_URL": database_url,
            "ODOP_MEDIA_DIR": str(media_dir),
            "ODOP_SECRET_KEY": "faults-secret-key-0123456789abcdefghijklmnop",
            "ODOP_PAGE_CACHE_SECONDS": "0",
            "ODOP_ARGON2_TIME_COST": "1",
            "ODOP_ARGON2_MEMORY_KIB": "1024",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


@dataclass
class Served:
    url: str
    proc: subprocess.Popen  # type: ignore[type-arg]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def stop_process(proc: subprocess.Popen, grace: float = 5) -> None:  # type: ignore[type-arg]
    """SIGTERM, then SIGKILL if it has not ended after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def odop_servers(env: dict[str, str], logs: Path, count: int = 1, timeout: float = 60) -> Iterator[list[Served]]:
    """`count` × `odop serve` on free loopback ports, started together, each answering /healthz 200; all
    stopped afterwards, whatever happened."""
    logs.mkdir(parents=True, exist_ok=True)
    servers: list[Served] = []
    try:
        for n in range(count):
            port = free_port()
            log = logs / f"serve-{n + 1}-{port}.log"
            with log.open("ab") as out:
                proc = subprocess.Popen(
                    [*odop_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                    cwd=REPO,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            servers.append(Served(f"http://127.0.0.1:{port}", proc, log))
        deadline = time.monotonic() + timeout
        for server in servers:
            while True:
                assert server.proc.poll() is None, f"odop serve exited:\n{server.log_text()[-3000:]}"
                try:
                    if httpx.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, f"odop serve did not start:\n{server.log_text()[-3000:]}"
                time.sleep(0.05)
        yield servers
    finally:
        for server in servers:
            if server.proc.poll() is None:
                server.proc.terminate()
        for server in servers:
            stop_process(server.proc)
