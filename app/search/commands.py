"""`odop reindex`: rebuild the search index from the products, in one transaction.

Triggers keep the index in step with every write, so this is for after a restore, a change of the
folding rules (re-fold the products first), a SQLite upgrade, or to fold in grades that have expired
since their product was indexed (search ranks those right anyway, at a small cost).
"""

from __future__ import annotations

import dataclasses
import time

import sqlalchemy as sa

from app.db import Database

# The migration's view search_fts_source says what is indexed, and how; these statements only copy it.
_SQLITE_REBUILD = [
    "INSERT INTO search_fts (search_fts) VALUES ('delete-all')",
    "INSERT INTO search_fts_short (search_fts_short) VALUES ('delete-all')",
    "INSERT INTO search_fts_words (search_fts_words) VALUES ('delete-all')",
    "DELETE FROM search_fts_doc",
    """INSERT INTO search_fts_doc (key, id, province_code, category, producer_id, stars, stars_valid_until,
                                   price_lak, published_at, certifications)
       SELECT key, id, province_code, category, producer_id, stars, stars_valid_until,
              price_lak, published_at, certifications
       FROM search_fts_source""",
    # in key order, which FTS5 appends without reshuffling its segments
    """INSERT INTO search_fts (rowid, name, body)
       SELECT d.key, s.name, s.body FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
       ORDER BY d.key""",
    """INSERT INTO search_fts_short (rowid, grams)
       SELECT d.key, s.grams FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
       ORDER BY d.key""",
    """INSERT INTO search_fts_words (rowid, name)
       SELECT d.key, s.name FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
       ORDER BY d.key""",
    "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
    "INSERT INTO search_fts_short (search_fts_short) VALUES ('optimize')",
    "INSERT INTO search_fts_words (search_fts_words) VALUES ('optimize')",
]
# PostgreSQL: fill a new table, index it in one go (much faster than GIN inserts row by row), then swap it
# in. Writers of products wait meanwhile (their triggers would write into the table being replaced);
# searches go on until the swap. The index definitions are the migration's.
_POSTGRESQL_REBUILD = [
    "LOCK TABLE product IN SHARE MODE",
    "DROP TABLE IF EXISTS search_fts_doc_rebuild",
    "CREATE TABLE search_fts_doc_rebuild (LIKE search_fts_doc INCLUDING ALL EXCLUDING INDEXES)",
    "INSERT INTO search_fts_doc_rebuild SELECT * FROM search_fts_source",
    "ALTER TABLE search_fts_doc_rebuild ADD CONSTRAINT search_fts_doc_rebuild_pkey PRIMARY KEY (id)",
    "CREATE INDEX search_fts_doc_rebuild_name_trgm ON search_fts_doc_rebuild USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX search_fts_doc_rebuild_body_trgm ON search_fts_doc_rebuild USING gin (search_body gin_trgm_ops)",
    "CREATE INDEX search_fts_doc_rebuild_grams ON search_fts_doc_rebuild USING gin (search_grams)",
    "DROP TABLE search_fts_doc",
    "ALTER TABLE search_fts_doc_rebuild RENAME TO search_fts_doc",
    "ALTER TABLE search_fts_doc RENAME CONSTRAINT search_fts_doc_rebuild_pkey TO search_fts_doc_pkey",
    *(
        f"ALTER INDEX search_fts_doc_rebuild_{name} RENAME TO search_fts_doc_{name}"
        for name in ("name_trgm", "body_trgm", "grams")
    ),
    "ANALYZE search_fts_doc",
]


@dataclasses.dataclass(frozen=True)
class ReindexSummary:
    """What `reindex` did: products indexed, seconds taken, and the index's size on disk (when known)."""

    products: int
    seconds: float
    index_bytes: int | None

    def __str__(self) -> str:
        size = f", {self.index_bytes / 1e6:.1f} MB" if self.index_bytes is not None else ""
        return f"search index rebuilt: {self.products} products in {self.seconds:.1f} s{size}"


def reindex(database: Database) -> ReindexSummary:
    """Rebuild the search index of `database` from its products; searches keep working meanwhile."""
    started = time.perf_counter()
    postgresql = database.dialect == "postgresql"
    with database.session(write=True) as session:
        for statement in _POSTGRESQL_REBUILD if postgresql else _SQLITE_REBUILD:
            session.execute(sa.text(statement))
        products = int(session.execute(sa.text("SELECT count(*) FROM search_fts_doc")).scalar_one())
    seconds = time.perf_counter() - started
    with database.session(write=False) as session:
        size = index_size(session.connection())
    from app.search.suggest import forget_vocabulary

    forget_vocabulary()
    return ReindexSummary(products, seconds, size)


def index_size(connection: sa.Connection) -> int | None:
    """Bytes the search index takes on disk (SQLite needs the dbstat table, which most builds have)."""
    if connection.dialect.name == "postgresql":
        return int(connection.execute(sa.text("SELECT pg_total_relation_size('search_fts_doc')")).scalar_one())
    try:
        return int(
            connection.execute(
                sa.text(
                    "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name LIKE 'search!_fts%' ESCAPE '!')"
                )
            ).scalar_one()
        )
    except sa.exc.OperationalError:  # no dbstat in this SQLite build
        return None
