"""Did you mean: a spelling correction for a Latin-script query that finds nothing ("cofee" -> "coffee").

The dictionary is the words of the findable products' names (Latin script, 3+ letters) with the number of
products using each; it is read from the database on first use and kept for VOCABULARY_TTL seconds per
database. A word of the query that is not in the dictionary is replaced by the closest word (rapidfuzz's
normalised Indel similarity, then the most used word); the corrected query is offered only if it finds
something.
"""

from __future__ import annotations

import re
import threading
import time

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlmodel import Session

from app.search import engine

VOCABULARY_TTL = 300.0
MIN_SIMILARITY = 75.0  # "cofee"/"coffee" 91, "silc"/"silk" 75, "tea"/"sea" 67
MIN_WORD = 3
MAX_CANDIDATES = 5
_LATIN_WORD = re.compile(r"^[a-z]+$")

_lock = threading.Lock()
_cache: dict[str, tuple[float, dict[str, int]]] = {}


def did_you_mean(session: Session, q: str | None) -> str | None:
    """A corrected query that finds products, when `q` is in Latin script and finds none; else None."""
    query = engine.parse_query(q)
    if query is None or not query.whole.isascii() or engine.count_matches(session, query) > 0:
        return None
    words = vocabulary(session)
    if not words:
        return None
    corrected = [_closest(word, words) for word in query.whole.split(" ")]
    suggestion = " ".join(corrected)
    if suggestion == query.whole:
        return None
    better = engine.parse_query(suggestion)
    return suggestion if better is not None and engine.count_matches(session, better) > 0 else None


def _closest(word: str, words: dict[str, int]) -> str:
    if word in words or len(word) < MIN_WORD or not _LATIN_WORD.match(word):
        return word
    candidates = process.extract(word, words.keys(), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=None)
    if not candidates:
        return word
    best = max(candidates, key=lambda c: (round(c[1]), words[c[0]]))
    return best[0]


def vocabulary(session: Session) -> dict[str, int]:
    """{word: products whose name has it} for the Latin words of findable products' names (cached)."""
    bind = session.get_bind()
    cache_key = bind.engine.url.render_as_string(hide_password=True)
    with _lock:
        cached = _cache.get(cache_key)
    if cached is not None and time.monotonic() - cached[0] < VOCABULARY_TTL:
        return cached[1]
    words = _read_vocabulary(session)
    with _lock:
        _cache[cache_key] = (time.monotonic(), words)
    return words


def forget_vocabulary() -> None:
    """Drop the cached dictionaries (tests, and after a re-index)."""
    with _lock:
        _cache.clear()


def _read_vocabulary(session: Session) -> dict[str, int]:
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            sa.text(
                "SELECT word, count(DISTINCT id) FROM search_fts_doc, "
                "regexp_split_to_table(search_name, E'[ \\n]+') AS word "
                "WHERE word ~ '^[a-z]{3,}$' GROUP BY word"
            )
        )
    else:
        # the FTS5 vocabulary of the names (ascii tokenizer); the term range keeps to Latin words
        rows = session.execute(
            sa.text("SELECT term, doc FROM search_fts_words_vocab WHERE term >= 'aaa' AND term < '{'")
        )
    return {word: int(n) for word, n in rows if len(word) >= MIN_WORD and _LATIN_WORD.match(word)}
