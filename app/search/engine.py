"""Text search over the folded product text, on SQLite (FTS5) and PostgreSQL (pg_trgm).

What is found: a product whose folded text (``Product.search_name`` / ``search_body``, written by
app.search.documents) contains every word of the folded query - so every product containing the whole
query is found - for words of any length, 1 code point included. Nothing is approximate: every index
below answers "contains" exactly, or PostgreSQL re-checks with LIKE.

In what order (``sort=relevance``): the whole query in a name, then every word in a name, then the whole
query in the body, then the rest; within each group the current ODOP grade (an expired one counts as none),
then the day of publication (newest first), then the newest product.

How (the index objects come from migration 20261124_search):

SQLite
    Words of 3+ code points are quoted phrases in ``search_fts`` (trigram tokenizer): a phrase of
    trigrams at consecutive positions of one column is exactly a substring of it. Words of 1-2 code
    points are looked up in ``search_fts_short``, which holds every 2-code-point gram of every word
    (1-code-point words: a prefix query). Both tables only hold findable products, and their rowid is
    a sort key (grade, day, id), so a page of the best matches is read in index order, one class of
    the ranking at a time, and reading stops with the page: the first page of a query matching 90,000
    products costs about as much as one matching 30. Grades that expired since a product was indexed are
    moved to the ungraded part as the rows stream by. The total is an FTS5 count unless filters apply.
PostgreSQL
    ``search_fts_doc`` holds the folded text with pg_trgm GIN indexes (``LIKE '%word%'``, re-checked
    by PostgreSQL) and the distinct 1-2-code-point grams of every word (GIN over a text array) for
    short words; one statement ranks and pages.

Filters (province, category, grade, price...) are the catalogue's own conditions
(app.catalogue.repository.product_conditions), moved from ``product`` onto ``search_fts_doc``, which
copies every column they use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import visitors
from sqlmodel import Session

from app.catalogue.models import Producer, Product
from app.db import LocalizedJSON, UTCDateTime, utcnow
from app.search.folding import fold, query_terms

MAX_QUERY_CHARS = 200  # of the raw query; longer input is cut (a product containing the cut query still shows)
MAX_TERMS = 8  # further words are ignored: the result can only grow
TRIGRAM = 3  # words this long or longer go to the trigram indexes


# ---- the query ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SearchQuery:
    """A folded query: the whole of it, and its distinct words."""

    whole: str
    terms: tuple[str, ...]

    @property
    def single(self) -> bool:
        """One word and nothing else: "every word in the name" is then "the whole query in the name"."""
        return self.terms == (self.whole,)


def parse_query(q: str | None) -> SearchQuery | None:
    """Fold `q`; None when nothing searchable is left (empty, punctuation, invisible characters...)."""
    if not q:
        return None
    q = q[:MAX_QUERY_CHARS]
    whole = fold(q)
    terms = tuple(query_terms(q)[:MAX_TERMS])
    if not whole or not terms:
        return None
    return SearchQuery(whole, terms)


# ---- the index objects ----------------------------------------------------------------------

# Not SQLModel.metadata: the migration owns these objects and `alembic check` must not see them.
_metadata = sa.MetaData()
search_doc = sa.Table(
    "search_fts_doc",
    _metadata,
    sa.Column("id", sa.Integer),
    sa.Column("key", sa.BigInteger),  # SQLite: this product's rowid in the FTS5 tables, and this table's key
    sa.Column("province_code", sa.String(8)),
    sa.Column("category", sa.String(48)),
    sa.Column("producer_id", sa.Integer),
    sa.Column("stars", sa.SmallInteger),
    sa.Column("stars_valid_until", UTCDateTime),
    sa.Column("price_lak", sa.BigInteger),
    sa.Column("published_at", UTCDateTime),
    sa.Column("certifications", LocalizedJSON),
    sa.Column("search_name", sa.Text),  # PostgreSQL only, from here on
    sa.Column("search_body", sa.Text),
    sa.Column("search_grams", postgresql.ARRAY(sa.Text)),
)
_trigram = sa.table("search_fts", sa.column("rowid", sa.BigInteger), sa.column("search_fts"))
_short = sa.table("search_fts_short", sa.column("rowid", sa.BigInteger), sa.column("search_fts_short"))

# The SQLite sort key (see the migration): 5 - grade in bits 60-62, the inverted day in bits 27-49 and the
# inverted product id in bits 0-26.
_UNGRADED = 5 << 60  # keys from here on were indexed without a valid grade
_BELOW_GRADE = (1 << 60) - 1


def current_stars(now: dt.datetime) -> sa.ColumnElement[Any]:
    """The grade that shows at `now`: none once it has expired."""
    return sa.case((search_doc.c.stars_valid_until > now, search_doc.c.stars), else_=None)


# What every product in the index has: no need to copy it.
_FINDABLE = {"status": lambda: sa.literal("published", sa.String(12)), "deleted_at": sa.null}


def on_search_doc(conditions: Sequence[sa.ColumnElement[bool]]) -> list[sa.ColumnElement[bool]]:
    """The catalogue's conditions on `product`, rewritten onto the copy of its columns in search_fts_doc.

    Status and deletion become the constants every indexed product has, so that the public list's own
    condition is simply true there (and any other status false).
    """
    product = Product.__table__

    def replace(element: Any) -> Any:
        if isinstance(element, sa.Column) and element.table is product:
            if element.name in _FINDABLE:
                return _FINDABLE[element.name]()
            column = search_doc.c.get(element.name)
            if column is None:
                raise RuntimeError(f"search_fts_doc has no copy of product.{element.name}; add it in a migration")
            return column
        return None

    return [visitors.replacement_traverse(c, {}, replace) for c in conditions]


# ---- FTS5 match expressions (SQLite) --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Match:
    """A conjunction of FTS5 expressions over the trigram table and over the short-gram table."""

    trigram: tuple[str, ...] = ()
    short: tuple[str, ...] = ()

    def __and__(self, other: _Match) -> _Match:
        return _Match(self.trigram + other.trigram, self.short + other.short)


def _phrase(text: str) -> str:
    """An FTS5 string: everything inside is literal (", *, NEAR, AND, column filters...)."""
    return '"' + text.replace('"', '""') + '"'


def _match(term: str, where: str) -> _Match:
    """`term` in the name, the body or anywhere ("any")."""
    if len(term) >= TRIGRAM:
        phrase = _phrase(term)
        return _Match(trigram=(phrase if where == "any" else f"{{{where}}} : {phrase}",))
    # The short-gram index holds hex-coded grams, n... for the name and b... for the body (see the migration);
    # a word of one code point is the first code point of a gram.
    star = "*" if len(term) == 1 else ""
    name, body = (f'"{side}{term.encode().hex()}"{star}' for side in "nb")
    return _Match(short=({"name": name, "body": body, "any": f"({name} OR {body})"}[where],))


def _all(matches: Iterable[_Match]) -> _Match:
    result = _Match()
    for m in matches:
        result = result & m
    return result


def _fts_from(match: _Match) -> tuple[Any, list[sa.ColumnElement[bool]]]:
    """The FTS5 table that drives a query for `match`, and the conditions on it.

    With words of both kinds, the short ones (the least selective) drive and the long ones are collected
    once into a set of rowids.
    """
    driver, hidden, parts = (
        (_short, "search_fts_short", match.short) if match.short else (_trigram, "search_fts", match.trigram)
    )
    where = [driver.c[hidden].op("MATCH")(" AND ".join(parts))]
    if match.trigram and match.short:
        other = sa.select(_trigram.c.rowid).where(_trigram.c.search_fts.op("MATCH")(" AND ".join(match.trigram)))
        # `+ 0`: a bare rowid IN (...) would make SQLite run the FTS5 query once per listed value
        where.append((driver.c.rowid + 0).in_(other))
    return driver, where


def _doc_join(driver: Any) -> Any:
    return driver.join(search_doc, search_doc.c.key == driver.c.rowid)


# ---- the ranking classes --------------------------------------------------------------------


def _classes(query: SearchQuery) -> list[list[tuple[str, str]]]:
    """The ranking classes best first, each a conjunction of (term, where); a product is in the first it matches."""
    whole_in_name = [(query.whole, "name")]
    whole_in_body = [(query.whole, "body")]
    if query.single:
        return [whole_in_name, whole_in_body]  # the word is in the name or else in the body: nothing else
    every_in_name = [(t, "name") for t in query.terms]
    everywhere = [(t, "any") for t in query.terms]
    return [whole_in_name, every_in_name, whole_in_body, everywhere]


def _everywhere(query: SearchQuery) -> _Match:
    return _all(_match(t, "any") for t in query.terms)


# ---- PostgreSQL -------------------------------------------------------------------------------


def _like_pattern(term: str) -> str:
    """'%term%' with LIKE's wildcards escaped (PostgreSQL's default escape character is the backslash)."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _pg_has(term: str, where: str) -> sa.ColumnElement[bool]:
    name = search_doc.c.search_name.like(_like_pattern(term))
    body = search_doc.c.search_body.like(_like_pattern(term))
    return {"name": name, "body": body, "any": sa.or_(name, body)}[where]


def _pg_match(query: SearchQuery) -> list[sa.ColumnElement[bool]]:
    """Words of 3+ code points through the pg_trgm indexes (re-checked), shorter ones through the grams."""
    conditions = [_pg_has(t, "any") for t in query.terms if len(t) >= TRIGRAM]
    short = [t for t in query.terms if len(t) < TRIGRAM]
    if short:
        conditions.append(search_doc.c.search_grams.contains(short))
    return conditions


def _pg_rank(query: SearchQuery) -> sa.ColumnElement[int]:
    whens = [(sa.and_(*[_pg_has(t, where) for t, where in cls]), i) for i, cls in enumerate(_classes(query))]
    return sa.case(*whens[:-1], else_=len(whens) - 1)


# ---- searching --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SearchPage:
    """Product ids of one page, best first, and how many products match in all."""

    ids: list[int]
    total: int


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


@contextmanager
def _through_the_index(session: Session, query: SearchQuery | None) -> Iterator[None]:
    """PostgreSQL: find matches through the GIN indexes, never by reading the whole table.

    For a word in most products the planner prefers a sequential scan, not knowing that it must then
    de-TOAST every row's gram array: 900 ms instead of the index's 25 ms on 80,000 products. The
    setting lasts until the statements are done (or the transaction ends).
    """
    if query is None or _dialect(session) != "postgresql":
        yield
        return
    session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    yield
    session.execute(sa.text("SET LOCAL enable_seqscan = on"))


def index_match(dialect: str, query: SearchQuery) -> tuple[Any, list[sa.ColumnElement[bool]]]:
    """FROM and WHERE of the bare index query for "every word of `query`": an FTS5 table on SQLite (its rows
    are the findable products, by sort key), search_fts_doc on PostgreSQL."""
    if dialect == "postgresql":
        return search_doc, _pg_match(query)
    return _fts_from(_everywhere(query))


def matching(session: Session, query: SearchQuery | None, doc_conditions: Sequence[Any]) -> tuple[Any, list[Any]]:
    """FROM and WHERE selecting the search_fts_doc rows of findable products that match `query` (None: all)."""
    if query is None:
        return search_doc, list(doc_conditions)
    source, where = index_match(_dialect(session), query)
    if source is not search_doc:
        source = _doc_join(source)
    return source, [*where, *doc_conditions]


def count_matches(session: Session, query: SearchQuery) -> int:
    """How many findable products match `query`, without filters."""
    source, where = index_match(_dialect(session), query)
    with _through_the_index(session, query):
        return int(session.execute(sa.select(sa.func.count()).select_from(source).where(*where)).scalar_one())


def _plain_order(sort: str) -> list[Any]:
    """The catalogue's orders other than relevance (as app.catalogue.repository.list_products has them)."""
    d = search_doc.c
    if sort == "price":
        return [d.price_lak.asc().nulls_last(), d.id]
    if sort == "price_desc":
        return [d.price_lak.desc().nulls_last(), d.id]
    return [d.published_at.desc().nulls_last(), d.id.desc()]


def search_products(
    session: Session,
    query: SearchQuery,
    conditions: Sequence[sa.ColumnElement[bool]],
    *,
    filtered: bool,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 24,
) -> SearchPage:
    """One page of the findable (published, not deleted) products matching `query` and `conditions`.

    `conditions` are the catalogue's filters on `product` (visibility included); `filtered` says whether
    there is more to them than visibility, which the index guarantees by itself.
    """
    doc_conditions = on_search_doc(conditions)
    source, where = matching(session, query, doc_conditions)
    now = utcnow()
    if sort == "relevance" and _dialect(session) == "sqlite":
        if filtered:
            total = int(session.execute(sa.select(sa.func.count()).select_from(source).where(*where)).scalar_one())
        else:
            total = count_matches(session, query)  # the index holds exactly the public list
        if total <= offset:
            return SearchPage([], total)
        ranked = _ranked_ids(session, query, doc_conditions, now)
        try:
            ids = list(itertools.islice(ranked, offset + limit))
        finally:
            ranked.close()  # closes the open FTS5 cursor now, not when garbage collected
        return SearchPage(ids[offset:], total)
    if sort == "relevance":  # PostgreSQL
        day = sa.func.floor(sa.extract("epoch", search_doc.c.published_at) / 86400)
        order = [
            _pg_rank(query),
            current_stars(now).desc().nulls_last(),
            day.desc().nulls_last(),
            search_doc.c.id.desc(),
        ]
    else:
        order = _plain_order(sort)
    # the page and, over the same rows, the total: one pass over the matches
    stmt = (
        sa.select(search_doc.c.id, sa.func.count().over())
        .select_from(source)
        .where(*where)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    with _through_the_index(session, query):
        rows = session.execute(stmt).all()
        if rows:
            return SearchPage([row[0] for row in rows], int(rows[0][1]))
        total = int(session.execute(sa.select(sa.func.count()).select_from(source).where(*where)).scalar_one())
    return SearchPage([], total)


def _ranked_ids(session: Session, query: SearchQuery, doc_conditions: Sequence[Any], now: dt.datetime) -> Iterator[int]:
    """SQLite: matching ids best first, read class by class in sort-key order (lazily: stop when you have enough).

    Each class is read in full before the next starts, so when class k is read every product of the
    earlier classes has been seen already and is skipped.
    """
    seen: set[int] = set()
    for cls in _classes(query):
        # every class implies matching every word: each word is a part of the whole query
        driver, match = _fts_from(_all(_match(term, where) for term, where in cls))
        stmt = (
            sa.select(driver.c.rowid.label("key"), search_doc.c.id, search_doc.c.stars_valid_until)
            .select_from(_doc_join(driver))
            .where(*match, *doc_conditions)
            .order_by(driver.c.rowid)
        )
        result = session.execute(stmt)
        try:
            for product_id in _grade_order(result, now):
                if product_id not in seen:
                    seen.add(product_id)
                    yield product_id
        finally:
            result.close()


def _grade_order(rows: Iterable[Any], now: dt.datetime) -> Iterator[int]:
    """Ids from rows in sort-key order, with grades that expired after indexing counted as no grade.

    Such a row's key still says "graded", so it is held back and merged, by its key without the grade,
    into the ungraded part - which comes last, so by then every held-back row has been read.
    """
    held: list[tuple[int, int]] = []
    iterator = iter(rows)
    for row in iterator:
        if row.key >= _UNGRADED:
            rest = itertools.chain([(row.key, row.id)], ((r.key, r.id) for r in iterator))
            for _key, product_id in heapq.merge(sorted(held), rest):
                yield product_id
            return
        if row.stars_valid_until is not None and row.stars_valid_until > now:
            yield row.id
        else:
            held.append(((row.key & _BELOW_GRADE) | _UNGRADED, row.id))
    yield from (product_id for _key, product_id in sorted(held))


def count_by(
    session: Session, query: SearchQuery | None, conditions: Sequence[sa.ColumnElement[bool]], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """(value of each of `columns`..., count) over the findable products matching `query` and `conditions`.

    Columns are search_fts_doc's; "stars" is the grade that shows now.
    """
    source, where = matching(session, query, on_search_doc(conditions))
    now = utcnow()
    keys = [current_stars(now) if c == "stars" else search_doc.c[c] for c in columns]
    stmt = sa.select(*keys, sa.func.count()).select_from(source).where(*where).group_by(*keys)
    with _through_the_index(session, query):
        return [tuple(row) for row in session.execute(stmt)]


# ---- without the index: a product list by status (the caller's drafts...), producers ---------


def _like(column: Any, term: str) -> sa.ColumnElement[bool]:
    return column.contains(term, autoescape=True)


def apply(session: Session, stmt: Any, count: Any, q: str) -> tuple[Any, Any, list[Any] | None]:
    """Restrict a product query to the text `q` by scanning the folded columns; return (stmt, count, order_by).

    For lists the index does not hold (products by status, for their owner or staff): few rows, and a
    scan is exact on any database. Ranked as search_products ranks, by the exact publication time.
    """
    query = parse_query(q)
    if query is None:
        return stmt, count, None

    def has(term: str, where: str) -> sa.ColumnElement[bool]:
        name, body = _like(Product.search_name, term), _like(Product.search_body, term)
        return {"name": name, "body": body, "any": sa.or_(name, body)}[where]

    per_term = [has(t, "any") for t in query.terms]
    whens = [(sa.and_(*[has(t, where) for t, where in cls]), i) for i, cls in enumerate(_classes(query))]
    rank = sa.case(*whens[:-1], else_=len(whens) - 1)
    stars = sa.case((Product.stars_valid_until > utcnow(), Product.stars), else_=None)
    order = [rank, stars.desc().nulls_last(), Product.published_at.desc().nulls_last(), Product.id.desc()]
    return stmt.where(*per_term), count.where(*per_term), order


def producer_condition(q: str) -> sa.ColumnElement[bool]:
    """Producers whose name (any language), district or village contains every word of `q`."""
    query = parse_query(q)
    terms = query.terms if query else ()
    return sa.and_(sa.true(), *[_like(Producer.search_text, t) for t in terms])
