"""Search indexes over the folded product text (app.search), kept in step with `product` by triggers.

SQLite
    search_fts        FTS5, trigram tokenizer (case-sensitive: the text is folded already), columns name and
                      body, detail=full so that a quoted phrase is an exact substring test. Its rowid is a sort
                      key, not the product id: (grade valid at indexing, newest first, id) packed into 63 bits,
                      so that a query reads matches best-first and stops after one page (app.search.engine).
    search_fts_short  FTS5 over every 2-code-point gram of every word (the last letter of a word alone), hex
                      coded with a column prefix (n = name, b = body), for query terms of 1-2 code points that
                      the trigram index cannot answer; prefix indexes make a 1-letter prefix one lookup.
    search_fts_words  FTS5 (ascii tokenizer) over the names, whose vocabulary is the "did you mean" dictionary.
    search_fts_doc    one narrow row per findable product, stored in sort-key order: every column the product
                      filters use, because a product row is ~2 kB and touching thousands of them costs more
                      than the search itself.
    search_fts_source a view computing all of that for findable (published, not deleted) products; the
                      triggers and `odop reindex` both read it, so they cannot disagree.

PostgreSQL
    search_fts_doc    the same narrow row plus the folded text, with pg_trgm GIN indexes (LIKE '%term%' for
                      terms of 3+ code points) and a GIN index over the distinct 1-2-code-point grams of each
                      word (terms of 1-2 code points), filled by a trigger function from search_fts_source.

Every object's name starts with `search_fts`, which migrations/env.py leaves out of `alembic check`.

A later migration that rebuilds `product` on SQLite (batch_alter_table: copy, drop, rename) drops its
triggers with it: such a migration must create them again (tests/search checks they exist).

Revision ID: 20261124_search
Revises: 20261124_catalogue
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "20261124_search"
down_revision: str | None = "20261124_catalogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columns whose change re-indexes a product: its text, whether it is findable, its sort key, and the
# copies in search_fts_doc.
WATCHED = (
    "search_name",
    "search_body",
    "status",
    "deleted_at",
    "stars",
    "stars_valid_until",
    "published_at",
    "province_code",
    "category",
    "producer_id",
    "price_lak",
    "certifications",
)
# Copied into search_fts_doc (status and deleted_at need no copy: every row there is published, not deleted).
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
FINDABLE = "p.status = 'published' AND p.deleted_at IS NULL"


# ---- SQLite ----------------------------------------------------------------------------------

# The sort key (app.search.engine decodes it): bits 60-62 = 5 - grade (0 when none or expired at indexing),
# bits 27-49 = 2^23 - 1 - the day of publication (days since 1970; no date sorts last), bits 0-26 = 2^27 - 1 - id.
# Days, not seconds: FTS5 stores rowid deltas as varints, and finer dates would double the index size.
SQLITE_KEY = """
    ((5 - CASE WHEN p.stars BETWEEN 1 AND 5
                    AND p.stars_valid_until > strftime('%Y-%m-%d %H:%M:%f', 'now') THEN p.stars ELSE 0 END) << 60)
    | ((8388607 - coalesce(min(max(CAST(julianday(p.published_at) - 2440587.5 AS INTEGER), 0), 8388607), 0)) << 27)
    | (134217727 - p.id)"""

# The grams of one column: the text is split into words at spaces and newlines (a JSON array built with
# json_quote, so any text is safe), then every position of a word gives the 2 code points starting there
# (1 at the end of the word). A term of 1-2 code points never holds a space, so it occurs in the text
# exactly when it is one of these grams (2 code points) or the start of one (1 code point). json_each over
# '[0,0,...]' is the only row generator a trigger may use (no WITH clause in triggers).
SQLITE_GRAMS = """
    SELECT '{prefix}' || hex(substr(w.value, s.key + 1, 2)) AS g
    FROM json_each('[' || replace(json_quote(replace(p.{column}, char(10), ' ')), ' ', '","') || ']') AS w,
         json_each('[' || substr(replace(hex(zeroblob(length(w.value))), '00', ',0'), 2) || ']') AS s"""

SQLITE_SOURCE_VIEW = f"""
CREATE VIEW search_fts_source AS
SELECT p.id AS id,
       {SQLITE_KEY} AS key,
       {", ".join(f"p.{c} AS {c}" for c in DOC_COLUMNS)},
       p.search_name AS name,
       p.search_body AS body,
       (SELECT group_concat(g, ' ') FROM (
           {SQLITE_GRAMS.format(prefix="n", column="search_name")}
           UNION
           {SQLITE_GRAMS.format(prefix="b", column="search_body")})) AS grams
FROM product AS p
WHERE {FINDABLE} AND p.id BETWEEN 1 AND 134217727
"""

# Statements that index / un-index product {row}.id; a contentless FTS5 table deletes a row when given the
# values it was indexed with, which search_fts_source recomputes from the row as it still is.
SQLITE_INDEX_ROW = f"""
    INSERT OR REPLACE INTO search_fts_doc (id, key, {", ".join(DOC_COLUMNS)})
        SELECT id, key, {", ".join(DOC_COLUMNS)} FROM search_fts_source WHERE id = {{row}}.id;
    INSERT INTO search_fts (rowid, name, body)
        SELECT d.key, s.name, s.body FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
        WHERE s.id = {{row}}.id;
    INSERT INTO search_fts_short (rowid, grams)
        SELECT d.key, s.grams FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
        WHERE s.id = {{row}}.id;
    INSERT INTO search_fts_words (rowid, name)
        SELECT d.key, s.name FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
        WHERE s.id = {{row}}.id;
"""
SQLITE_UNINDEX_ROW = """
    INSERT INTO search_fts (search_fts, rowid, name, body)
        SELECT 'delete', d.key, s.name, s.body FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
        WHERE s.id = {row}.id;
    INSERT INTO search_fts_short (search_fts_short, rowid, grams)
        SELECT 'delete', d.key, s.grams FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
        WHERE s.id = {row}.id;
    INSERT INTO search_fts_words (search_fts_words, rowid, name)
        SELECT 'delete', d.key, s.name FROM search_fts_source AS s JOIN search_fts_doc AS d ON d.id = s.id
        WHERE s.id = {row}.id;
    DELETE FROM search_fts_doc WHERE id = {row}.id;
"""
SQLITE_CHANGED = " OR ".join(f"old.{c} IS NOT new.{c}" for c in WATCHED)

SQLITE_UP = [
    # Keyed (clustered) by the sort key: a search reads its rows in key order, i.e. page after page.
    """CREATE TABLE search_fts_doc (
        key INTEGER PRIMARY KEY,
        id INTEGER NOT NULL UNIQUE,
        province_code VARCHAR(8) NOT NULL,
        category VARCHAR(48) NOT NULL,
        producer_id INTEGER NOT NULL,
        stars SMALLINT,
        stars_valid_until DATETIME,
        price_lak BIGINT,
        published_at DATETIME,
        certifications JSON NOT NULL
    )""",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        name, body, tokenize = 'trigram case_sensitive 1', content = '', detail = full)""",
    """CREATE VIRTUAL TABLE search_fts_short USING fts5(
        grams, tokenize = 'unicode61', content = '', detail = none, prefix = '3 7')""",
    """CREATE VIRTUAL TABLE search_fts_words USING fts5(name, tokenize = 'ascii', content = '', detail = none)""",
    """CREATE VIRTUAL TABLE search_fts_words_vocab USING fts5vocab(search_fts_words, 'row')""",
    SQLITE_SOURCE_VIEW,
    # Before the change, the row still holds what was indexed: take it out of the index ...
    f"""CREATE TRIGGER search_fts_product_before_update BEFORE UPDATE ON product
        WHEN {SQLITE_CHANGED}
        BEGIN {SQLITE_UNINDEX_ROW.format(row="old")} END""",
    f"""CREATE TRIGGER search_fts_product_before_delete BEFORE DELETE ON product
        BEGIN {SQLITE_UNINDEX_ROW.format(row="old")} END""",
    # ... and after it, put the new state in (search_fts_source leaves out what is not findable).
    f"""CREATE TRIGGER search_fts_product_after_update AFTER UPDATE ON product
        WHEN {SQLITE_CHANGED}
        BEGIN {SQLITE_INDEX_ROW.format(row="new")} END""",
    f"""CREATE TRIGGER search_fts_product_after_insert AFTER INSERT ON product
        BEGIN {SQLITE_INDEX_ROW.format(row="new")} END""",
    # Build the index for the products already there.
    f"""INSERT INTO search_fts_doc (id, key, {", ".join(DOC_COLUMNS)})
        SELECT id, key, {", ".join(DOC_COLUMNS)} FROM search_fts_source""",
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
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_product_after_insert",
    "DROP TRIGGER IF EXISTS search_fts_product_after_update",
    "DROP TRIGGER IF EXISTS search_fts_product_before_delete",
    "DROP TRIGGER IF EXISTS search_fts_product_before_update",
    "DROP VIEW IF EXISTS search_fts_source",
    "DROP TABLE IF EXISTS search_fts_words_vocab",
    "DROP TABLE IF EXISTS search_fts_words",
    "DROP TABLE IF EXISTS search_fts_short",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_fts_doc",
]


# ---- PostgreSQL ------------------------------------------------------------------------------

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE search_fts_doc (
        id integer PRIMARY KEY,
        province_code varchar(8) NOT NULL,
        category varchar(48) NOT NULL,
        producer_id integer NOT NULL,
        stars smallint,
        stars_valid_until timestamptz,
        price_lak bigint,
        published_at timestamptz,
        certifications jsonb NOT NULL,
        search_name text NOT NULL,
        search_body text NOT NULL,
        search_grams text[] NOT NULL
    )""",
    # Distinct 1- and 2-code-point grams of the words of a text (see SQLITE_GRAMS for why this is exact).
    r"""CREATE FUNCTION search_fts_grams(name text, body text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
            SELECT substr(w, i, n) AS g
            FROM regexp_split_to_table(coalesce(name, '') || E'\n' || coalesce(body, ''), E'[ \n]+') AS w,
                 generate_series(1, length(w)) AS i,
                 (VALUES (1), (2)) AS v(n)
            WHERE i + n - 1 <= length(w)) AS grams
        $$""",
    f"""CREATE VIEW search_fts_source AS
        SELECT p.id, {", ".join(f"p.{c}" for c in DOC_COLUMNS)}, p.search_name, p.search_body,
               search_fts_grams(p.search_name, p.search_body) AS search_grams
        FROM product AS p WHERE {FINDABLE}""",
    """CREATE FUNCTION search_fts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM search_fts_doc WHERE id = OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO search_fts_doc SELECT * FROM search_fts_source WHERE id = NEW.id;
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER search_fts_product_insert AFTER INSERT ON product
        FOR EACH ROW EXECUTE FUNCTION search_fts_sync()""",
    f"""CREATE TRIGGER search_fts_product_update AFTER UPDATE ON product FOR EACH ROW
        WHEN ({" OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)})
        EXECUTE FUNCTION search_fts_sync()""",
    """CREATE TRIGGER search_fts_product_delete AFTER DELETE ON product
        FOR EACH ROW EXECUTE FUNCTION search_fts_sync()""",
    "INSERT INTO search_fts_doc SELECT * FROM search_fts_source",
    "CREATE INDEX search_fts_doc_name_trgm ON search_fts_doc USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX search_fts_doc_body_trgm ON search_fts_doc USING gin (search_body gin_trgm_ops)",
    "CREATE INDEX search_fts_doc_grams ON search_fts_doc USING gin (search_grams)",
]

PG_DOWN = [
    "DROP TRIGGER IF EXISTS search_fts_product_delete ON product",
    "DROP TRIGGER IF EXISTS search_fts_product_update ON product",
    "DROP TRIGGER IF EXISTS search_fts_product_insert ON product",
    "DROP FUNCTION IF EXISTS search_fts_sync()",
    "DROP VIEW IF EXISTS search_fts_source",
    "DROP FUNCTION IF EXISTS search_fts_grams(text, text)",
    "DROP TABLE IF EXISTS search_fts_doc",
    # pg_trgm stays: other objects may use it, and dropping an extension needs more rights than creating it.
]


def upgrade() -> None:
    for statement in SQLITE_UP if op.get_bind().dialect.name == "sqlite" else PG_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else PG_DOWN:
        op.execute(statement)
