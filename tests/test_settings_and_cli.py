"""Settings refuse unsafe production configuration; the `odop` command behaves."""

from __future__ import annotations

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
