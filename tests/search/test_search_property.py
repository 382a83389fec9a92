"""Property: the search finds exactly what a plain substring scan of the folded text finds, in rank order.

Random trilingual catalogues (Lao, Thai and Latin syllables, spelling variants, digits, punctuation) are
written straight into the table, as bulk import does; queries are pieces of the texts (1 code point
and up, whole words and not, in the other spelling), two of them, or random letters. Grades expire
between indexing and the query, which the ranking must notice. Both count paths are checked.
"""

from __future__ import annotations

import datetime as dt
import math

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalogue.models import Producer, Product
from app.catalogue.repository import ProductFilters, product_conditions
from app.db import utcnow
from app.search import engine
from app.search.documents import product_search_text
from app.search.folding import fold, query_terms

LAO_CONSONANTS = "ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮໜໝ"
LAO_VOWELS = ["າ", "ຳ", "ໍາ", "ະ", "ເ", "ແ", "ໂ", "ໄ", "ໃ", "ຽ", ""]
LAO_MARKS = ["ັ", "ິ", "ີ", "ຶ", "ື", "ຸ", "ູ", "ົ", "ໍ", "່", "້", "໊", "໋", "ຼ", ""]
THAI_CONSONANTS = "กขคงจชซดตทนบปผพฟมยรลวสหอฮ"
THAI_VOWELS = ["า", "ำ", "ะ", "เ", "แ", "โ", "ไ", "ใ", ""]
THAI_MARKS = ["ั", "ิ", "ี", "ึ", "ื", "ุ", "ู", "่", "้", "๊", "๋", "็", "์", ""]
LATIN = "abcdefghijklmnopqrstuvwxyzAEIOUéñ"
OTHER = ["0", "7", "໑", "๕", " ", "-", ", ", "\u200b"]
# the same word in the spellings people type (folding makes them equal)
VARIANTS = [("ຳ", "ໍາ"), ("ໍາ", "ຳ"), ("ໝ", "ຫມ"), ("ຫມ", "ໝ"), ("ໜ", "ຫນ"), ("ຫຼ", "ຫລ"), ("ຫລ", "ຫຼ"), ("ำ", "ํา")]

lao_syllable = st.builds(
    lambda v, c, m, t: v + c + m + t if v in "ເແໂໄໃ" else c + m + t + v,
    st.sampled_from(LAO_VOWELS),
    st.sampled_from(LAO_CONSONANTS),
    st.sampled_from(LAO_MARKS),
    st.sampled_from(["", "່", "້"]),
)
thai_syllable = st.builds(
    lambda v, c, m: v + c + m if v in "เแโไใ" else c + m + v,
    st.sampled_from(THAI_VOWELS),
    st.sampled_from(THAI_CONSONANTS),
    st.sampled_from(THAI_MARKS),
)
latin_word = st.text(alphabet=LATIN, min_size=1, max_size=7)
piece = st.one_of(lao_syllable, thai_syllable, latin_word, st.sampled_from(OTHER))
text = st.lists(piece, min_size=1, max_size=9).map("".join)
localized = st.dictionaries(st.sampled_from(["lo", "en", "th"]), text, min_size=1, max_size=3)

NOW = utcnow().replace(microsecond=0)
QUERY_TIME = NOW + dt.timedelta(hours=1)
product_rows = st.fixed_dictionaries(
    {
        "name": localized,
        "description": st.one_of(st.just({}), localized),
        "status": st.sampled_from(["published", "published", "published", "draft"]),
        "deleted": st.sampled_from([False, False, False, True]),
        "stars": st.sampled_from([None, None, 1, 3, 5]),
        # valid, expiring between indexing and the query, or expired already
        "valid_for": st.sampled_from([dt.timedelta(days=700), dt.timedelta(seconds=30), dt.timedelta(days=-1)]),
        "published_days_ago": st.integers(0, 3),
    }
)


def _insert_catalogue(session, rows) -> list[dict]:
    producer_name = {"lo": "ກຸ່ມ", "en": "Group"}
    producer_id = session.execute(
        sa.insert(Producer.__table__)
        .values(
            name=producer_name,
            description={},
            province_code="LA-LP",
            kind="group",
            women_led=False,
            search_text="",
            created_at=NOW,
            updated_at=NOW,
        )
        .returning(Producer.__table__.c.id)
    ).scalar_one()
    stored = []
    for i, r in enumerate(rows):
        search_name, search_body = product_search_text(r["name"], r["description"], producer_name, None, None)
        values = {
            "producer_id": producer_id,
            "category": "silk",
            "province_code": "LA-LP",
            "name": r["name"],
            "description": r["description"],
            "materials": {},
            "certifications": [],
            "status": r["status"],
            "published_at": NOW - dt.timedelta(days=r["published_days_ago"], seconds=i)
            if r["status"] == "published"
            else None,
            "stars": r["stars"],
            "stars_valid_until": NOW + r["valid_for"] if r["stars"] else None,
            "search_name": search_name,
            "search_body": search_body,
            "created_at": NOW,
            "updated_at": NOW,
            "deleted_at": NOW if r["deleted"] else None,
        }
        values["id"] = session.execute(
            sa.insert(Product.__table__).values(**values).returning(Product.__table__.c.id)
        ).scalar_one()
        stored.append(values)
    return stored


def _expected(stored: list[dict], q: str) -> list[int]:
    """The plain scan: findable products holding every folded word, in the documented rank order."""
    whole, terms = fold(q[: engine.MAX_QUERY_CHARS]), query_terms(q[: engine.MAX_QUERY_CHARS])[: engine.MAX_TERMS]
    if not whole or not terms:
        return []

    def rank(p: dict) -> tuple:
        name, body = p["search_name"], p["search_body"]
        group = 0 if whole in name else 1 if all(t in name for t in terms) else 2 if whole in body else 3
        valid = p["stars"] and p["stars_valid_until"] > QUERY_TIME
        day = math.floor(p["published_at"].timestamp() / 86400) if p["published_at"] else -1
        return (group, -(p["stars"] if valid else 0), -day, -p["id"])

    found = [
        p
        for p in stored
        if p["status"] == "published"
        and p["deleted_at"] is None
        and all(t in p["search_name"] or t in p["search_body"] for t in terms)
    ]
    return [p["id"] for p in sorted(found, key=rank)]


def _queries(data, stored: list[dict]) -> list[str]:
    texts = [p["search_name"] for p in stored] + [p["search_body"] for p in stored]
    raw = [t for p in stored for t in (*p["name"].values(), *p["description"].values())]

    def piece_of(source: list[str], longest: int) -> str:
        s = data.draw(st.sampled_from(source))
        start = data.draw(st.integers(0, max(0, len(s) - 1)))
        return s[start : start + data.draw(st.integers(1, longest))]

    queries = [piece_of(texts, 2) for _ in range(3)]  # short: below the trigram size
    queries += [piece_of(texts, 9) for _ in range(3)]
    queries += [piece_of(raw, 6) for _ in range(2)]  # raw text, cut anywhere, folded by the search
    queries.append(piece_of(texts, 5) + " " + piece_of(texts, 5))
    variant = piece_of(raw, 8)
    for old, new in VARIANTS:
        variant = variant.replace(old, new)
    queries.append(variant)
    queries.append(data.draw(st.lists(piece, min_size=1, max_size=2).map("".join)))
    return queries


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(product_rows, min_size=1, max_size=10), data=st.data())
def test_search_equals_a_substring_scan(session, rows, data):
    nested = session.begin_nested()
    try:
        stored = _insert_catalogue(session, rows)
        conditions = product_conditions(session, None, ProductFilters())
        original = engine.utcnow
        engine.utcnow = lambda: QUERY_TIME  # type: ignore[assignment]
        try:
            for q in _queries(data, stored):
                expected = _expected(stored, q)
                query = engine.parse_query(q)
                if query is None:
                    assert expected == [], q
                    continue
                page = engine.search_products(session, query, conditions, filtered=False, offset=0, limit=100)
                assert page.ids == expected and page.total == len(expected), (q, query)
                counted = engine.search_products(session, query, conditions, filtered=True, offset=1, limit=2)
                assert counted.total == len(expected) and counted.ids == expected[1:3], q
        finally:
            engine.utcnow = original  # type: ignore[assignment]
    finally:
        nested.rollback()
