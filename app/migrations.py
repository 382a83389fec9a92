"""Running Alembic from code (the `odop migrate` command and the tests use the same path)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: sa.Engine, revision: str = "heads") -> None:
    """Bring the database to `revision`; idempotent."""
    with engine.execution_options(odop_write=True).connect() as conn:
        command.upgrade(alembic_config(conn), revision)
        conn.commit()


def downgrade(engine: sa.Engine, revision: str) -> None:
    with engine.execution_options(odop_write=True).connect() as conn:
        command.downgrade(alembic_config(conn), revision)
        conn.commit()


def check(engine: sa.Engine) -> None:
    """Raise if the models and the migrations disagree (alembic check)."""
    with engine.connect() as conn:
        command.check(alembic_config(conn))
