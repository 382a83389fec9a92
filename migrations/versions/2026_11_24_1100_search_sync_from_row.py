"""PostgreSQL: the search trigger builds the index row from the product row itself; one head again.

The first version (20261124_search) looked the product up again through the view search_fts_source.
PL/pgSQL caches that lookup's plan per connection; planned while `product` was small or not yet
analysed (a fresh database, or one long transaction loading many products) it stays a sequential
scan, so each write read the whole table: a 100,000-product load slowed from 2.5 ms to 55 ms per
product as the table grew. Built from NEW there is nothing to look up. The view stays for
`odop reindex`, and both keep to the same rule (published and not deleted).

Also merges the two branches that followed the catalogue (search, matching and events).

Revision ID: 20261124_search_sync_from_row
Revises: 20261124_search, 20261124_matching_events
Create Date: 2026-11-24 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "20261124_search_sync_from_row"
down_revision: tuple[str, ...] = ("20261124_search", "20261124_matching_events")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The copied columns, in search_fts_doc's order (see 20261124_search).
DOC_COLUMNS = (
    "province_code",
    "category",
    "producer_id",
    "stars",
    "stars_valid_until",
    "price_lak",
    "published_at",
    "certifications",
)

SYNC_FROM_ROW = f"""CREATE OR REPLACE FUNCTION search_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM search_fts_doc WHERE id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' AND NEW.deleted_at IS NULL THEN
            INSERT INTO search_fts_doc VALUES (
                NEW.id, {", ".join(f"NEW.{c}" for c in DOC_COLUMNS)}, NEW.search_name, NEW.search_body,
                search_fts_grams(NEW.search_name, NEW.search_body));
        END IF;
        RETURN NULL;
    END $$"""

SYNC_THROUGH_VIEW = """CREATE OR REPLACE FUNCTION search_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM search_fts_doc WHERE id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO search_fts_doc SELECT * FROM search_fts_source WHERE id = NEW.id;
        END IF;
        RETURN NULL;
    END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SYNC_FROM_ROW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(SYNC_THROUGH_VIEW)
