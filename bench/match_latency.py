"""Match latency benchmark (run by hand, not by CI).

    .venv/bin/python bench/match_latency.py [--products 100000] [--queries 300] [--database-url URL]

Builds a catalogue of published products (default 100,000 from 5,000 producers, deterministic
seed) in a fresh database (a temp SQLite file, or the PostgreSQL URL given, which must point to an
empty database), then asks `GET /api/v1/buyers/{id}/matches` for many different buyers through the
whole app (auth, query, scoring, reasons, JSON) and prints p50 / p95 / max.

Goal: p95 under 100 ms for one buyer on 100,000 products.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import migrations
from app.auth import service as auth_service
from app.auth.models import Role, SessionKind
from app.catalogue.models import Producer, Product
from app.config import Settings
from app.db import Database, make_engine
from app.matching import service as matching_service
from app.matching.schemas import BuyerCreate
from app.search.documents import product_search_text

# (lo, en, th, category)
GOODS = [
    ("ຜ້າໄໝ", "silk scarf", "ผ้าไหม", "silk"),
    ("ສິ້ນໄໝ", "silk sinh skirt", "ซิ่นไหม", "silk"),
    ("ຜ້າຝ້າຍ", "cotton cloth", "ผ้าฝ้าย", "cotton"),
    ("ກະເປົາ", "woven bag", "กระเป๋า", "garments"),
    ("ກາເຟ", "arabica coffee", "กาแฟ", "coffee"),
    ("ຊາ", "green tea", "ชาเขียว", "tea"),
    ("ນ້ຳເຜິ້ງ", "forest honey", "น้ำผึ้ง", "honey"),
    ("ເຂົ້າຈີ່", "rice cracker", "ข้าวเกรียบ", "rice-snacks"),
    ("ແຈ່ວບອງ", "chili paste", "แจ่วบอง", "sauces-spices"),
    ("ໝາກໄມ້ຕາກແຫ້ງ", "dried mango", "มะม่วงอบแห้ง", "dried-foods"),
    ("ເຫຼົ້າລາວ", "rice whisky", "เหล้าลาว", "rice-wine"),
    ("ນ້ຳໝາກໄມ້", "fruit juice", "น้ำผลไม้", "juices"),
    ("ກະຕິບ", "rattan basket", "กระติบ", "bamboo-rattan"),
    ("ຮູບແກະສະຫຼັກ", "wood carving", "งานแกะสลัก", "woodcraft"),
    ("ໝໍ້ດິນ", "clay pot", "หม้อดิน", "pottery"),
    ("ເຄື່ອງເງິນ", "silver bracelet", "กำไลเงิน", "silverware"),
    ("ເຈ້ຍສາ", "mulberry paper", "กระดาษสา", "mulberry-paper"),
    ("ຢາສະໝຸນໄພ", "herbal balm", "ยาหม่องสมุนไพร", "herbal-medicine"),
    ("ສະບູ", "herbal soap", "สบู่สมุนไพร", "soaps-cosmetics"),
    ("ທູບຫອມ", "incense", "ธูปหอม", "aromatics"),
]
ADJECTIVES = [
    ("ທໍມື", "handwoven", "ทอมือ"),
    ("ອິນຊີ", "organic", "ออร์แกนิก"),
    ("ພື້ນເມືອງ", "traditional", "พื้นเมือง"),
    ("ພິເສດ", "premium", "พิเศษ"),
    ("ມັດໝີ່", "ikat", "มัดหมี่"),
    ("ຍ້ອມສີທຳມະຊາດ", "naturally dyed", "ย้อมสีธรรมชาติ"),
]
PROVINCES = ["LA-LP", "LA-VT", "LA-CH", "LA-SV", "LA-XI", "LA-OU", "LA-LM", "LA-HO", "LA-PH", "LA-SL"]
CERTIFICATIONS = ["organic", "lao-fdd", "gi", "fair-trade", "gmp"]
COUNTRIES = ["LA", "LA", "TH", "CN", "VN", "JP", "FR"]


def build_catalogue(engine: sa.Engine, n_products: int, n_producers: int, rng: random.Random) -> None:
    now = dt.datetime.now(dt.UTC)
    producers = [
        {
            "id": i + 1,
            "kind": "enterprise",
            "name": {"lo": f"ກຸ່ມຜະລິດ {i}", "en": f"Producer group {i}"},
            "description": {},
            "province_code": rng.choice(PROVINCES),
            "search_text": "",
            "women_led": False,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n_producers)
    ]
    speciality = {p["id"]: rng.sample(range(len(GOODS)), 2) for p in producers}
    province_of = {p["id"]: p["province_code"] for p in producers}
    products = []
    for i in range(n_products):
        producer_id = rng.randint(1, n_producers)
        lo, en, th, category = GOODS[rng.choice(speciality[producer_id])]
        adj = rng.choice(ADJECTIVES)
        name = {"lo": f"{lo} {adj[0]}", "en": f"{adj[1]} {en}"}
        if rng.random() < 0.3:
            name["th"] = f"{th}{adj[2]}"
        description = {"en": f"{adj[1]} {en} from {province_of[producer_id]}, made by hand"}
        search_name, search_body = product_search_text(name, description, {}, None, None)
        stars = rng.choice([None, 2, 3, 3, 4, 4, 5])
        products.append(
            {
                "id": i + 1,
                "producer_id": producer_id,
                "category": category,
                "province_code": province_of[producer_id],
                "name": name,
                "description": description,
                "materials": {},
                "price_lak": rng.choice([None, *range(20_000, 2_000_000, 10_000)]),
                "moq": rng.choice([None, 10, 50, 100, 500, 1000]),
                "monthly_capacity": rng.choice([None, 50, 200, 500, 1000, 5000]),
                "certifications": rng.sample(CERTIFICATIONS, rng.choice([0, 0, 1, 1, 2])),
                "status": "published",
                "published_at": now,
                "stars": stars,
                "stars_valid_until": now + dt.timedelta(days=365) if stars else None,
                "search_name": search_name,
                "search_body": search_body,
                "created_at": now,
                "updated_at": now,
            }
        )
    with engine.execution_options(odop_write=True).begin() as conn:
        conn.execute(sa.insert(Producer.__table__), producers)
        for start in range(0, len(products), 10_000):
            conn.execute(sa.insert(Product.__table__), products[start : start + 10_000])
    if engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(sa.text("VACUUM ANALYZE product"))


def random_needs(rng: random.Random, organisation: str) -> BuyerCreate:
    """A buyer looking for 1-3 kinds of goods, with keywords about them (a word of their names, a
    quality, sometimes the Lao name), as buyers write them."""
    goods = rng.sample(GOODS, rng.randint(1, 3))
    words = [w for lo, en, _th, _c in goods for w in (*en.split(), lo)] + [a[1] for a in ADJECTIVES]
    return BuyerCreate(
        organisation=organisation,
        country=rng.choice(COUNTRIES),
        categories=sorted({g[3] for g in goods}),
        keywords=rng.sample(words, rng.randint(0, 3)),
        volume_per_month=rng.choice([None, 100, 500, 2000]),
        price_max_lak=rng.choice([None, 100_000, 500_000, 1_000_000]),
        certifications_required=rng.sample(CERTIFICATIONS, rng.randint(0, 2)),
        provinces=rng.sample(PROVINCES, rng.randint(0, 3)),
        languages=rng.choice([[], ["en"], ["th", "en"], ["lo"]]),
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--producers", type=int, default=5_000)
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="an EMPTY database (default: a temp SQLite file)")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()

    from fastapi.testclient import TestClient
    from starlette.routing import NoMatchFound

    from app.main import API_PREFIX, create_app

    rng = random.Random(args.seed)
    tmp = tempfile.TemporaryDirectory(prefix="odop-match-bench-")
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    migrations.upgrade(engine)
    started = time.perf_counter()
    build_catalogue(engine, args.products, args.producers, rng)
    print(
        f"catalogue: {args.products:,} published products, {args.producers:,} producers "
        f"({engine.dialect.name}, built in {time.perf_counter() - started:.1f} s)"
    )

    settings = Settings(
        env="test", database_url=url, media_dir=Path(tmp.name) / "media", argon2_time_cost=1, argon2_memory_kib=1024
    )
    db = Database(engine)
    app = create_app(settings, database=db)
    try:
        app.url_path_for("buyer_matches")
    except NoMatchFound:  # until app.main mounts the matching router
        from app.matching import api as matching_api

        app.include_router(matching_api.router, prefix=API_PREFIX)
    with db.session(write=True) as session:
        staff = auth_service.create_user(
            session,
            app.state.password_hasher,
            email="bench@odop.la",
            password="bench-password-1",
            role=Role.staff,
            display_name="Bench",
        )
        token = auth_service.start_session(session, staff, SessionKind.bearer, dt.timedelta(hours=1))
        buyer_ids = [
            matching_service.create_buyer(session, staff, random_needs(rng, f"Buyer {i}")).id
            for i in range(args.buyers)
        ]
    headers = {"Authorization": f"Bearer {token}"}
    timings: list[float] = []
    results: list[int] = []
    with TestClient(app) as client:
        for buyer_id in buyer_ids[:5]:  # warm up (connection pool, caches)
            client.get(f"{API_PREFIX}/buyers/{buyer_id}/matches", headers=headers)
        for i in range(args.queries):
            buyer_id = buyer_ids[i % len(buyer_ids)]
            t0 = time.perf_counter()
            r = client.get(f"{API_PREFIX}/buyers/{buyer_id}/matches?limit=20&lang=en", headers=headers)
            timings.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, r.text
            results.append(len(r.json()))
    p95 = percentile(timings, 0.95)
    print(
        f"GET /buyers/{{id}}/matches, {args.queries} queries over {len(buyer_ids)} buyers "
        f"({statistics.mean(results):.1f} matches each):"
    )
    print(
        f"  p50 {percentile(timings, 0.5):6.1f} ms   p95 {p95:6.1f} ms   max {max(timings):6.1f} ms"
        f"   -> {'OK' if p95 < 100 else 'ABOVE'} the 100 ms goal"
    )
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
