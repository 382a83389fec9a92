"""`odop backup PATH` / `odop restore PATH`: a consistent copy of the database and the media.

The backup is logical and engine-neutral: every table of the schema is read inside ONE read transaction
(a snapshot: WAL on SQLite, REPEATABLE READ on PostgreSQL), so writes may go on meanwhile, and written as
gzipped JSON lines in foreign-key order, with a manifest (schema revision, row counts). Media files are
content-addressed and never rewritten, so copying them after the snapshot is safe; every file a photo row
of the snapshot points at is checked. A backup of SQLite restores into PostgreSQL and back.

Restore goes into an empty, migrated database (same schema revision) in one transaction, then copies the
media; search indexes are rebuilt from the restored rows.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table on the metadata)
from app.db import Database, UTCDateTime

FORMAT_VERSION = 1
BATCH = 2000
Progress = Callable[[str, int], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def _tables() -> list[sa.Table]:
    return list(SQLModel.metadata.sorted_tables)  # parents before children


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decoder(column: sa.Column) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if isinstance(kind, sa.Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v)
    return lambda v: v


def _revision(conn: sa.Connection) -> str | None:
    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) if heads else None


def backup(db: Database, media_dir: Path, target: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Write a consistent backup to the empty directory `target`."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; choose a new directory")
    (target / "tables").mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    photo_paths: set[str] = set()
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():  # one snapshot for every table
            revision = _revision(conn)
            for table in _tables():
                n = 0
                with gzip.open(target / "tables" / f"{table.name}.jsonl.gz", "wt", encoding="utf-8") as out:
                    result = conn.execution_options(yield_per=BATCH).execute(sa.select(table))
                    for row in result.mappings():
                        record = {k: _encode(v) for k, v in row.items()}
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                        if table.name == "product_image":
                            photo_paths.update(record["paths"].values())
                        n += 1
                counts[table.name] = n
                if progress:
                    progress(table.name, n)
    copied, missing = _copy_media(media_dir, target / "media", photo_paths)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "schema_revision": revision,
        "tables": counts,
        "media_files": copied,
        "missing_media": sorted(missing),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def _copy_media(source: Path, target: Path, must_have: set[str]) -> tuple[int, set[str]]:
    copied = 0
    if source.exists():
        for path in source.rglob("*"):
            if path.is_file() and not path.name.startswith(".tmp"):
                rel = path.relative_to(source)
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / rel)
                copied += 1
    missing = {p for p in must_have if not (target / p).is_file()}
    return copied, missing


def restore(db: Database, media_dir: Path, source: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Load a backup into an empty database migrated to the same schema revision, and its media."""
    manifest_path = source / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a backup (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    tables = _tables()
    with db.engine.execution_options(odop_write=True).connect() as conn:
        revision = _revision(conn)
        if revision != manifest["schema_revision"]:
            raise BackupError(
                f"the database is at schema {revision}, the backup at {manifest['schema_revision']}: "
                "run `odop migrate` on a fresh database of the backup's version first"
            )
        user_table = next(t for t in tables if t.name == "user_account")
        if conn.execute(sa.select(sa.func.count()).select_from(user_table)).scalar_one():
            raise BackupError("the database is not empty; restore into a fresh, migrated database")
        conn.rollback()  # end the checks' read transaction; the load is one write transaction of its own
        with conn.begin():
            for table in tables:
                path = source / "tables" / f"{table.name}.jsonl.gz"
                if not path.exists():
                    continue
                conn.execute(table.delete())  # reference data from the migrations is replaced by the backup's
                decoders = {c.name: _decoder(c) for c in table.columns}
                batch: list[dict[str, Any]] = []
                n = 0
                with gzip.open(path, "rt", encoding="utf-8") as fh:
                    for line in fh:
                        record = json.loads(line)
                        batch.append({k: decoders[k](v) for k, v in record.items() if k in decoders})
                        if len(batch) >= BATCH:
                            conn.execute(table.insert(), batch)
                            n += len(batch)
                            batch = []
                if batch:
                    conn.execute(table.insert(), batch)
                    n += len(batch)
                if progress:
                    progress(table.name, n)
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn, tables)
    media_dir.mkdir(parents=True, exist_ok=True)
    copied = 0
    if (source / "media").exists():
        for path in (source / "media").rglob("*"):
            if path.is_file():
                dest = media_dir / path.relative_to(source / "media")
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)
                copied += 1
    _rebuild_search(db)
    return {"tables": manifest["tables"], "media_files": copied}


def _reset_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Rows came with their ids: move each serial sequence past the highest one."""
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, sa.Integer) and pk[0].autoincrement in (True, "auto"):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                    f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"
                )
            )


def _rebuild_search(db: Database) -> None:
    try:
        from app.search.commands import reindex
    except ImportError:  # the search module keeps its index in the product rows themselves
        return
    reindex(db)
