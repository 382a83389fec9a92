"""Settings refuse unsafe production configuration; the `odop` command behaves."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlmodel import select
from typer.testing import CliRunner

from app.auth.models import User
from app.config import DEVELOPMENT_SECRET_KEY, Settings


def test_production_refuses_default_or_missing_secret(monkeypatch):
    monkeypatch.delenv("ODOP_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="ODOP_SECRET_KEY"):
        Settings(env="production")
    with pytest.raises(ValidationError):
        Settings(env="production", secret_key=DEVELOPMENT_SECRET_KEY)
    with pytest.raises(ValidationError):
        Settings(env="production", secret_key="short")
    assert Settings(env="production", secret_key="x" * 40).is_production


def test_settings_read_odop_prefixed_environment(monkeypatch):
    monkeypatch.setenv("ODOP_DATABASE_URL", "sqlite:///./elsewhere.db")
    monkeypatch.setenv("ODOP_MEDIA_DIR", "/tmp/odop-media")
    s = Settings()
    assert s.database_url == "sqlite:///./elsewhere.db" and str(s.media_dir) == "/tmp/odop-media"


@pytest.fixture
def cli_env(monkeypatch, database_url, tmp_root):
    """Point the CLI at the test run's database (commits for real: clean up what you create)."""
    from app.config import get_settings

    monkeypatch.setenv("ODOP_DATABASE_URL", database_url)
    monkeypatch.setenv("ODOP_MEDIA_DIR", str(tmp_root / "cli-media"))
    monkeypatch.setenv("ODOP_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.setenv("ODOP_ARGON2_TIME_COST", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_create_user_then_duplicate_fails_clearly(cli_env, engine):
    from app.cli import cli
    from app.db import Database

    runner = CliRunner()
    args = ["create-user", "--email", "Officer@odop.la", "--password", "trade-promo-1", "--role", "staff"]
    first = runner.invoke(cli, args)
    try:
        assert first.exit_code == 0, first.output
        second = runner.invoke(cli, args)
        assert second.exit_code != 0 and "already exists" in second.output
        bad_role = runner.invoke(cli, ["create-user", "--email", "a@b.la", "--password", "12345678", "--role", "king"])
        assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
        short = runner.invoke(cli, ["create-user", "--email", "a@b.la", "--password", "123", "--role", "buyer"])
        assert short.exit_code != 0 and "at least 8" in short.output
    finally:
        with Database(engine).session(write=True) as s:
            for u in s.exec(select(User).where(User.email.in_(["officer@odop.la", "a@b.la"]))):
                s.delete(u)


def test_migrate_is_idempotent(cli_env):
    from app.cli import cli

    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0 and "up to date" in result.output


def _orphan(media: Path, name: str, age_seconds: float) -> Path:
    """A media file no photo row references (as a crash leaves one), `age_seconds` old."""
    path = media / name[:2] / name[2:4] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left by a crash")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_sweep_media_removes_old_orphans_only(cli_env, tmp_root):
    from app.cli import cli

    media = tmp_root / "cli-media"
    old = _orphan(media, "ab" * 32 + "-320.webp", age_seconds=2 * 3600)
    recent = _orphan(media, "cd" * 32 + "-320.webp", age_seconds=60)

    result = CliRunner().invoke(cli, ["sweep-media"])  # files older than an hour
    assert result.exit_code == 0, result.output
    assert "1 orphan files" in result.output
    assert not old.exists() and recent.exists()  # a recent file may belong to an upload still committing

    result = CliRunner().invoke(cli, ["sweep-media", "--older-than-minutes", "0"])
    assert result.exit_code == 0 and not recent.exists()
    assert CliRunner().invoke(cli, ["sweep-media", "--older-than-minutes", "-1"]).exit_code == 2


def test_serve_sweeps_media_at_start_unless_turned_off(database_url, tmp_root):
    from app.media.sweep import start_periodic_sweep

    media = tmp_root / "serve-media"
    orphan = _orphan(media, "ef" * 32 + "-800.webp", age_seconds=2 * 3600)
    off = Settings(env="test", database_url=database_url, media_dir=media, media_sweep_hours=0)
    assert start_periodic_sweep(off) is None
    assert orphan.exists()

    on = Settings(env="test", database_url=database_url, media_dir=media)
    assert start_periodic_sweep(on) is not None
    deadline = time.monotonic() + 10
    while orphan.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not orphan.exists()


def test_serve_believes_forwarded_addresses_only_from_the_configured_proxies(cli_env, monkeypatch):
    import uvicorn

    from app.cli import cli
    from app.config import get_settings

    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    monkeypatch.setenv("ODOP_MEDIA_SWEEP_HOURS", "0")
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert started["forwarded_allow_ips"] == "127.0.0.1"  # nginx on the same machine

    monkeypatch.setenv("ODOP_FORWARDED_ALLOW_IPS", "172.28.0.0/16")
    get_settings.cache_clear()
    assert CliRunner().invoke(cli, ["serve", "--port", "8001"]).exit_code == 0
    assert started["forwarded_allow_ips"] == "172.28.0.0/16" and started["port"] == 8001
