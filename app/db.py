"""Engine, sessions and the one-transaction-per-request rule.

SQLite is run in WAL mode so readers never block the writer. Python's sqlite3 module would
open transactions lazily on the first write, which turns concurrent writers into
"database is locked" errors; instead we take control of BEGIN: a write transaction starts
with BEGIN IMMEDIATE (takes the write lock up front and waits on busy_timeout), a read-only
one with a plain deferred BEGIN.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Annotated, Any

import anyio
import sqlalchemy as sa
from anyio.lowlevel import RunVar
from fastapi import Depends, Request
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from app.config import Settings

# Named constraints make migrations reviewable and let downgrades drop them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY_TIMEOUT_MS = 30_000
# A PostgreSQL that cannot be reached but does not refuse (host down, packets dropped) would otherwise hold
# a new connection, and its request, until TCP gives up (minutes); then the request is a 503 after this.
POSTGRES_CONNECT_TIMEOUT_S = 5


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite stores no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# Trilingual text ({"lo": ..., "en": ..., "th": ...}); JSONB on PostgreSQL.
LocalizedJSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# JSON whose Python None is SQL NULL (not the JSON literal null), so `IS NULL` means "nothing here".
NullableJSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see module docstring)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("odop_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _json_serializer(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # Lao and Thai stay readable in the database


def make_engine(url: str, settings: Settings | None = None) -> Engine:
    """Create the engine for `url` with the settings this service relies on."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=(settings.db_pool_size if settings else 20),
            max_overflow=(settings.db_max_overflow if settings else 20),
            poolclass=sa.pool.QueuePool,
            json_serializer=_json_serializer,
        )
        _configure_sqlite(engine)
        return engine
    query = sa.engine.make_url(url).query
    return sa.create_engine(
        url,
        connect_args={} if "connect_timeout" in query else {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
        pool_pre_ping=True,  # survive a PostgreSQL restart without restarting the service
        pool_size=(settings.db_pool_size if settings else 20),
        max_overflow=(settings.db_max_overflow if settings else 20),
        pool_timeout=10,
        json_serializer=_json_serializer,
    )


# Tables that no page of the anonymous page cache shows (app.web.page_cache): a transaction that writes
# only these (a login, an inquiry, an event's bookings) leaves the cached pages valid. Any other write,
# a statement whose table is not recognised included, clears them.
PRIVATE_TABLES = frozenset(
    {"auth_session", "audit_event", "inquiry", "buyer", "event", "event_participant", "meeting", "meeting_request"}
)
_WRITE_TARGET = re.compile(r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
_READS = re.compile(r"^\s*(?:SELECT|BEGIN|COMMIT|END|SAVEPOINT|RELEASE|ROLLBACK|PRAGMA|SET|SHOW)\b", re.IGNORECASE)


def _forget_cached_pages_after_writes(engine: Engine) -> None:
    @sa.event.listens_for(engine, "before_cursor_execute")
    def _note_public_writes(conn: sa.Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if not conn.get_execution_options().get("odop_write", False) or _READS.match(statement):
            return
        target = _WRITE_TARGET.match(statement)
        if target is None or target.group(1).lower() not in PRIVATE_TABLES:
            conn.info["odop_public_write"] = True

    @sa.event.listens_for(engine, "commit")
    def _on_commit(conn: sa.Connection) -> None:
        if conn.info.pop("odop_public_write", False):
            from app.web.page_cache import invalidate

            invalidate()

    @sa.event.listens_for(engine, "rollback")
    def _on_rollback(conn: sa.Connection) -> None:
        # An invalidated connection (the database went away mid-transaction) refuses even `.info`, and
        # its DBAPI connection is thrown away with the flag: raising here would turn a 503 into a 500.
        if not conn.invalidated:
            conn.info.pop("odop_public_write", None)


class Database:
    """Owns the engine; hands out sessions whose transaction commits on success."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(odop_write=True)
        if not getattr(engine, "_odop_cache_hook", False):
            _forget_cached_pages_after_writes(engine)
            engine._odop_cache_hook = True  # type: ignore[attr-defined]

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(make_engine(settings.database_url, settings))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, write: bool) -> Iterator[Session]:
        """One unit of work: commits when the block ends normally, rolls back otherwise."""
        with Session(self._write_engine if write else self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def get_database(request: Request) -> Database:
    return request.app.state.db


# On SQLite, requests that write take turns on the event loop before their transaction begins.
#
# A write transaction holds SQLite's one write lock from its first statement to its commit, and a
# request passes through several worker threads meanwhile (its dependencies, its endpoint, then the
# validation of its response, each a separate trip to anyio's pool of 40 threads). In a burst of
# writes, every worker thread could be waiting (busy_timeout) for the lock while the request that
# holds it waits for a free thread to go on: nothing moves until busy_timeout ends them all with
# "database is locked". Waiting for the turn here costs no thread, and the one request whose turn
# it is never waits for the lock. Reads never wait (WAL); PostgreSQL writers need no turns.
#
# A semaphore of one, not a lock: a lock belongs to the task that took it, while a request may hand
# its turn over from its worker thread during a long step that needs no database (`write_turn_lent`).
_sqlite_write_turn: RunVar[anyio.Semaphore] = RunVar("odop_sqlite_write_turn")


def _write_turn_lock() -> anyio.Semaphore:
    try:
        return _sqlite_write_turn.get()
    except LookupError:  # one per event loop
        turn = anyio.Semaphore(1)
        _sqlite_write_turn.set(turn)
        return turn


@asynccontextmanager
async def write_turn(database: Database) -> AsyncIterator[None]:
    """Hold this around a write transaction started from async code (see above); no-op on PostgreSQL."""
    if database.dialect != "sqlite":
        yield
        return
    async with _write_turn_lock():
        yield


async def _request_write_turn(request: Request) -> AsyncIterator[None]:
    if request.method in SAFE_METHODS:
        yield
        return
    async with write_turn(request.app.state.db):
        if request.app.state.db.dialect == "sqlite":
            request.state.sqlite_write_turn = _write_turn_lock()
        yield


@contextmanager
def write_turn_lent(request: Request, session: Session) -> Iterator[None]:
    """Around a long step of a write request that needs no database (the CP-SAT solver, for seconds):
    commit what was done so far, let other SQLite writers take their turns meanwhile, take it back after.

    Call it from the request's worker thread (a sync endpoint). The caller must expect the data to have
    changed in between and check it afterwards. A no-op for the turn on PostgreSQL.
    """
    session.commit()
    turn = getattr(request.state, "sqlite_write_turn", None)
    if turn is None:
        yield
        return
    anyio.from_thread.run_sync(turn.release)
    try:
        yield
    finally:
        anyio.from_thread.run(turn.acquire)


def get_session(
    request: Request, _turn: Annotated[None, Depends(_request_write_turn, scope="function")]
) -> Iterator[Session]:
    """The request's session. Unsafe methods get a write transaction (BEGIN IMMEDIATE on SQLite),
    after their turn (`write_turn`), which they keep until it has committed."""
    with request.app.state.db.session(write=request.method not in SAFE_METHODS) as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit
# is an error response, never a 2xx for data that was not stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
