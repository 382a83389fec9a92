"""Search latency on a large catalogue. Run by hand (not in CI), against a seeded database:

    export ODOP_DATABASE_URL=sqlite:///./data/bench.db      # or postgresql+psycopg://...
    .venv/bin/odop migrate && .venv/bin/odop seed-demo --products 100000
    .venv/bin/python bench/search_latency.py [--runs 5] [--no-reindex]

(`--generate` fills a database that has fewer than --products products with a plain trilingual
catalogue of its own, by bulk inserts, when the demo seeder is not at hand.)

What it measures, for one fixed mix of 200 queries (Lao, Thai and English, 1-20 characters, derived
deterministically from the products' names, plus typical words, some of them misspelt):

  bare      the index query alone: the FTS5 MATCH (SQLite) or the pg_trgm/gram conditions (PostgreSQL)
            the search builds for "every word", counted, and its first 24 rows in index order - no
            ranking, no filters, no Python around it
  engine    app.search.engine.search_products: the count and the ranked first page of ids
  endpoint  GET /api/v1/products?q=...&per_page=24 through the ASGI app in-process (TestClient): routing,
            the transaction, the search, loading 24 products with producers and photos, JSON

Each query runs --runs times (after one warm-up pass), the three paths interleaved; a query's time is
its median, and the figures are the 50th and 95th percentiles over the 200 queries. Goals: endpoint p95
under 50 ms on SQLite, and at most 2x the bare query. It also rebuilds the index (`odop reindex`) and
reports the time and the size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import migrations  # noqa: E402
from app.catalogue.models import Producer, Product  # noqa: E402
from app.catalogue.repository import ProductFilters, product_conditions  # noqa: E402
from app.config import get_settings  # noqa: E402
from app.db import Database  # noqa: E402
from app.search import engine as search_engine  # noqa: E402
from app.search.commands import index_size, reindex  # noqa: E402
from app.search.documents import producer_search_text, product_search_text  # noqa: E402

PAGE = 24
QUERIES = 200
LANGUAGES = ("lo", "th", "en")
# Words buyers type, per language (some misspelt, as they are).
TYPICAL = {
    "lo": ["ຜ້າໄໝ", "ຜ້າໄຫມ", "ກາເຟ", "ຊາ", "ນ້ຳເຜິ້ງ", "ນ້ໍາເຜີ້ງ", "ໄມ້ໄຜ່", "ຫັດຖະກຳ", "ສິ້ນ", "ເຂົ້າ", "ໝາກໄມ້", "ເຄື່ອງເງິນ"],
    "th": ["ผ้าไหม", "กาแฟ", "ชา", "น้ำผึ้ง", "ไม้ไผ่", "หัตถกรรม", "ผ้าซิ่น", "ข้าว", "ผลไม้", "เครื่องเงิน"],
    "en": ["silk", "coffee", "tea", "honey", "bamboo", "handwoven", "organic", "scarf", "cofee", "sticky rice"],
}


# ---- the query mix ----------------------------------------------------------------------------


def make_queries(db: Database, count: int = QUERIES, seed: int = 2026) -> list[tuple[str, str]]:
    """(language, query) pairs: a third per language, lengths 1..20 in turn; deterministic for a database."""
    rng = random.Random(seed)
    with db.session(write=False) as session:
        ids = list(session.execute(sa.select(search_engine.search_doc.c.id).order_by(search_engine.search_doc.c.id)))
        chosen = [i for (i,) in rng.sample(ids, min(len(ids), 4 * count))]
        names = [n for (n,) in session.execute(sa.select(Product.name).where(Product.id.in_(chosen)))]
    queries: list[tuple[str, str]] = []
    for i in range(count):
        language = LANGUAGES[i % 3]
        length = 1 + (i // 3) % 20
        while True:
            if rng.random() < 0.25 or not names:
                source = " ".join(rng.sample(TYPICAL[language], 3))
            else:
                source = rng.choice(names).get(language) or ""
            if not source:
                continue
            starts = [0] + [j + 1 for j, ch in enumerate(source) if ch == " "]
            start = rng.choice(starts) if rng.random() < 0.7 else rng.randrange(len(source))
            q = source[start : start + length].strip()
            if q:
                break
        queries.append((language, q))
    return queries


# ---- the three paths --------------------------------------------------------------------------


def bare_query(connection: sa.Connection, q: str) -> int:
    """The index query on its own: count, and the first page in index order."""
    query = search_engine.parse_query(q)
    if query is None:
        return 0
    source, where = search_engine.index_match(connection.dialect.name, query)
    if connection.dialect.name == "postgresql":  # through the index, as the search does (engine._through_the_index)
        connection.execute(sa.text("SET LOCAL enable_seqscan = off"))
    total = connection.execute(sa.select(sa.func.count()).select_from(source).where(*where)).scalar_one()
    connection.execute(sa.select(sa.literal_column("1")).select_from(source).where(*where).limit(PAGE)).all()
    return int(total)


def engine_query(db: Database, q: str) -> int:
    query = search_engine.parse_query(q)
    if query is None:
        return 0
    with db.session(write=False) as session:
        conditions = product_conditions(session, None, ProductFilters())
        return search_engine.search_products(session, query, conditions, filtered=False, limit=PAGE).total


def endpoint_query(client, q: str) -> int:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/products", params={"q": q, "per_page": PAGE} if q else {"per_page": PAGE})
    response.raise_for_status()
    return int(response.json()["total"])


def timed(call: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# ---- a catalogue when there is no seeded one ---------------------------------------------------

# (lo, en, th, category)
NOUNS = [
    ("ຜ້າໄໝ", "silk", "ผ้าไหม", "silk"),
    ("ຜ້າຝ້າຍ", "cotton cloth", "ผ้าฝ้าย", "cotton"),
    ("ສິ້ນ", "sinh skirt", "ผ้าซิ่น", "garments"),
    ("ກາເຟ", "coffee", "กาแฟ", "coffee"),
    ("ຊາຂຽວ", "green tea", "ชาเขียว", "tea"),
    ("ນ້ຳເຜິ້ງ", "honey", "น้ำผึ้ง", "honey"),
    ("ເຂົ້າໜຽວ", "sticky rice", "ข้าวเหนียว", "rice-snacks"),
    ("ໄມ້ໄຜ່", "bamboo", "ไม้ไผ่", "bamboo-rattan"),
    ("ໝໍ້ດິນ", "clay pot", "หม้อดิน", "pottery"),
    ("ເຈ້ຍສາ", "mulberry paper", "กระดาษสา", "mulberry-paper"),
]
ADJECTIVES = [("ທໍມື", "handwoven", "ทอมือ"), ("ອິນຊີ", "organic", "ออร์แกนิก"), ("ພື້ນເມືອງ", "traditional", "พื้นเมือง")]
PLACES = [("ຫຼວງພະບາງ", "Luang Prabang", "หลวงพระบาง", "LA-LP"), ("ຈຳປາສັກ", "Champasak", "จำปาศักดิ์", "LA-CH")]


def generate_catalogue(db: Database, products: int, *, seed: int = 2026) -> None:
    """Bulk-insert `products` published products (and a producer per 20) with trilingual text."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    with db.session(write=True) as session:
        producer_ids = []
        for i in range(max(1, products // 20)):
            place = rng.choice(PLACES)
            name = {"lo": f"ກຸ່ມຜະລິດ {i}", "en": f"{place[1]} producers {i}", "th": f"กลุ่มผู้ผลิต {place[2]}"}
            producer = Producer(
                name=name,
                province_code=place[3],
                district=place[1],
                search_text=producer_search_text(name, place[1], None),
                created_at=now,
                updated_at=now,
            )
            session.add(producer)
            session.flush()
            producer_ids.append((producer.id, name, place))
        rows = []
        for _ in range(products):
            producer_id, producer_name, place = rng.choice(producer_ids)
            noun, adjective = rng.choice(NOUNS), rng.choice(ADJECTIVES)
            name = {lang: f"{noun[k]} {adjective[k]} {place[k]}" for k, lang in enumerate(("lo", "en", "th"))}
            description = {"en": f"{adjective[1].capitalize()} {noun[1]} from {place[1]}, batch {rng.randrange(999)}."}
            search_name, search_body = product_search_text(name, description, producer_name, place[1], None)
            stars = rng.choice([None, 3, 4, 5])
            rows.append(
                {
                    "producer_id": producer_id,
                    "category": noun[3],
                    "province_code": place[3],
                    "name": name,
                    "description": description,
                    "materials": {},
                    "certifications": [],
                    "status": "published",
                    "published_at": now - dt.timedelta(minutes=rng.randrange(60 * 24 * 900)),
                    "stars": stars,
                    "stars_valid_until": now + dt.timedelta(days=rng.randint(-100, 700)) if stars else None,
                    "price_lak": rng.randrange(10, 5000) * 1000,
                    "search_name": search_name,
                    "search_body": search_body,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) == 5000:
                session.execute(sa.insert(Product.__table__), rows)
                rows = []
        if rows:
            session.execute(sa.insert(Product.__table__), rows)


# ---- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000, help="products the catalogue should have")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--generate", action="store_true", help="bulk-insert products up to --products")
    parser.add_argument("--no-reindex", action="store_true", help="skip timing a rebuild of the index")
    args = parser.parse_args()

    settings = get_settings()
    db = Database.from_settings(settings)
    migrations.upgrade(db.engine)
    with db.session(write=False) as session:
        existing = int(session.execute(sa.select(sa.func.count(Product.id))).scalar_one())
    if existing < args.products:
        if not args.generate:
            sys.exit(
                f"{existing} products; seed {args.products} first (`odop seed-demo --products {args.products}`)"
                " or pass --generate"
            )
        started = time.perf_counter()
        generate_catalogue(db, args.products - existing)
        print(f"generated {args.products - existing} products in {time.perf_counter() - started:.1f} s")

    print(f"database: {db.dialect}, {settings.database_url}")
    with db.session(write=False) as session:
        findable = int(session.execute(sa.select(sa.func.count()).select_from(search_engine.search_doc)).scalar_one())
        total = int(session.execute(sa.select(sa.func.count(Product.id))).scalar_one())
    print(f"catalogue: {total} products, {findable} findable (published, not deleted)")
    if not args.no_reindex:
        summary = reindex(db)
        print(f"index build (odop reindex): {summary.seconds:.1f} s for {summary.products} products")
    with db.engine.connect() as connection:
        size = index_size(connection)
    if size is not None:
        print(f"index size: {size / 1e6:.1f} MB")

    from fastapi.testclient import TestClient

    from app.main import create_app

    queries = make_queries(db)
    times: dict[str, list[list[float]]] = {path: [[] for _ in queries] for path in ("bare", "engine", "endpoint")}
    totals: list[int] = []
    with TestClient(create_app(settings, database=db)) as client, db.engine.connect() as connection:
        for run in range(args.runs + 1):  # run 0 warms the caches up
            for i, (_language, q) in enumerate(queries):
                bare_ms, bare_total = timed(lambda q=q: bare_query(connection, q))
                connection.rollback()
                engine_ms, engine_total = timed(lambda q=q: engine_query(db, q))
                endpoint_ms, endpoint_total = timed(lambda q=q: endpoint_query(client, q))
                assert bare_total == engine_total == endpoint_total, (q, bare_total, engine_total, endpoint_total)
                if run:
                    times["bare"][i].append(bare_ms)
                    times["engine"][i].append(engine_ms)
                    times["endpoint"][i].append(endpoint_ms)
                else:
                    totals.append(endpoint_total)
        # the same page without a search: what the endpoint costs besides searching
        baseline = statistics.median(timed(lambda: endpoint_query(client, ""))[0] for _ in range(5 * args.runs))
    medians = {path: [statistics.median(t) for t in per_query] for path, per_query in times.items()}
    report(queries, totals, medians, db.dialect)
    print(f"the endpoint without q (the newest 24 of all products): {baseline:.1f} ms")


def report(queries: list[tuple[str, str]], totals: list[int], medians: dict[str, list[float]], dialect: str) -> None:
    print(f"\n{len(queries)} queries; results per query: median {statistics.median(totals):.0f}, max {max(totals)}")
    print(f"{'':10}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for path, values in medians.items():
        print(f"{path:10}{percentile(values, 50):9.1f}{percentile(values, 95):9.1f}{max(values):9.1f}")
    for path in ("engine", "endpoint"):
        for p in (50, 95):
            ratio = percentile(medians[path], p) / max(percentile(medians["bare"], p), 1e-9)
            print(f"{path} / bare at p{p}: {ratio:.2f}x")
    print("\nby query length (endpoint p50 / p95 ms, bare p50 ms):")
    for low, high in ((1, 2), (3, 5), (6, 10), (11, 20)):
        picked = [i for i, (_l, q) in enumerate(queries) if low <= len(q) <= high]
        if picked:
            endpoint = [medians["endpoint"][i] for i in picked]
            bare = [medians["bare"][i] for i in picked]
            print(
                f"  {low:2}-{high:<2} chars ({len(picked):3} queries): {percentile(endpoint, 50):6.1f} / "
                f"{percentile(endpoint, 95):6.1f}, bare {percentile(bare, 50):6.1f}"
            )
    print("\nslowest (endpoint ms, results, query):")
    for i in sorted(range(len(queries)), key=lambda i: -medians["endpoint"][i])[:5]:
        print(f"  {medians['endpoint'][i]:7.1f} {totals[i]:7d}  {queries[i][1]!r}")
    p95 = percentile(medians["endpoint"], 95)
    if dialect == "sqlite":
        print(f"\ngoal: endpoint p95 < 50 ms on SQLite: {'met' if p95 < 50 else 'NOT met'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
