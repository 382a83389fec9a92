"""Models and migrations agree, and every migration runs up, down and up again."""

from __future__ import annotations

import sqlalchemy as sa

from app import migrations
from app.db import make_engine
from tests.conftest import fresh_database_url


def test_models_and_migrations_agree(engine):
    migrations.check(engine)  # raises if autogenerate would find a difference


def test_upgrade_downgrade_upgrade(tmp_root):
    with fresh_database_url(tmp_root) as url:
        eng = make_engine(url)
        try:
            migrations.upgrade(eng)
            migrations.downgrade(eng, "base")
            assert set(sa.inspect(eng).get_table_names()) <= {"alembic_version"}
            migrations.upgrade(eng)
            migrations.upgrade(eng)  # idempotent
            with eng.connect() as conn:
                assert conn.execute(sa.text("SELECT count(*) FROM province")).scalar_one() == 18
            migrations.check(eng)
        finally:
            eng.dispose()


def test_migration_files_are_named_by_date_and_slug():
    import re
    from pathlib import Path

    files = sorted(p.name for p in (Path(migrations.ROOT) / "migrations" / "versions").glob("*.py"))
    assert files and all(re.match(r"^\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+\.py$", f) for f in files), files
