"""Text search over the folded columns that app.search.documents maintains.

First version: every query term must appear (LIKE over folded text, which any database re-checks
exactly); names rank before descriptions, then stars and freshness. The FTS5 / pg_trgm indexes of
the search issue plug in here without changing callers.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.catalogue.models import Producer, Product
from app.search.folding import fold, query_terms

MAX_TERMS = 8
MAX_QUERY_CHARS = 200


def _like(column: Any, term: str) -> sa.ColumnElement[bool]:
    return column.contains(term, autoescape=True)


def apply(session: Session, stmt: Any, count: Any, q: str) -> tuple[Any, Any, list[Any] | None]:
    """Restrict a product query to the text `q`; return (stmt, count, order_by ranking)."""
    q = q[:MAX_QUERY_CHARS]
    whole = fold(q)
    terms = query_terms(q)[:MAX_TERMS]
    if not whole or not terms:
        return stmt, count, None
    per_term = [sa.or_(_like(Product.search_name, t), _like(Product.search_body, t)) for t in terms]
    stmt = stmt.where(*per_term)
    count = count.where(*per_term)
    rank = sa.case(
        (_like(Product.search_name, whole), 0),
        (sa.and_(*[_like(Product.search_name, t) for t in terms]), 1),
        (_like(Product.search_body, whole), 2),
        else_=3,
    )
    return stmt, count, [rank.asc(), Product.stars.desc().nulls_last(), Product.published_at.desc().nulls_last()]


def producer_condition(q: str) -> sa.ColumnElement[bool]:
    """Producers whose name (any language), district or village contains every term."""
    terms = query_terms(q[:MAX_QUERY_CHARS])[:MAX_TERMS]
    return sa.and_(sa.true(), *[_like(Producer.search_text, t) for t in terms])
