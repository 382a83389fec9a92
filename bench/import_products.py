"""Benchmark of the bulk CSV import (and export) of producers and products.

Run by hand:  .venv/bin/python bench/import_products.py [--products 10000] [--producers 1000] [--tracemalloc]
              [--database-url URL]   (an empty database; default: a fresh temporary SQLite file)

Generates a CSV like the ones staff keep (one row per product, its producer's columns repeated;
Lao, English and Thai names; producers spread over the 18 provinces; a third of the products
published, most of those with stars), migrates a fresh database, then times

  import   app.catalogue.bulk.import_csv in one transaction, committed (what `odop import` does)
  export   app.catalogue.bulk.export_csv of everything just imported

and prints wall and CPU time (the CPU figure is the steadier one on a shared machine), rows per
second and memory: the process's peak resident size (ru_maxrss) before and
after, and with --tracemalloc the peak of Python allocations during the import (tracemalloc slows
the import down, so its time is not the figure to quote).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from sqlmodel import select

from app import migrations
from app.auth.models import Role, User
from app.catalogue import bulk
from app.catalogue.models import Producer, Product
from app.db import Database, make_engine

PROVINCES = [
    "LA-VT", "LA-PH", "LA-LM", "LA-OU", "LA-BK", "LA-LP", "LA-HO", "LA-XA", "LA-XI",
    "LA-VI", "LA-BL", "LA-KH", "LA-SV", "LA-SL", "LA-XE", "LA-CH", "LA-AT", "LA-XS",
]  # fmt: skip

# (Lao, English, Thai) village names and producer kinds.
VILLAGES = [
    ("ບ້ານຊຽງແມນ", "Ban Xieng Men", "บ้านเชียงแมน"),
    ("ບ້ານຜານົມ", "Ban Phanom", "บ้านผานม"),
    ("ບ້ານຊ່າງຄ້ອງ", "Ban Xang Khong", "บ้านช่างฆ้อง"),
    ("ບ້ານນາຍາງ", "Ban Nayang", "บ้านนายาง"),
    ("ບ້ານໂພນສະຫວັນ", "Ban Phonsavan", "บ้านโพนสวรรค์"),
    ("ບ້ານຫາດຊາຍຄູນ", "Ban Hat Xai Khoun", "บ้านหาดทรายคูณ"),
    ("ບ້ານປາກອູ", "Ban Pak Ou", "บ้านปากอู"),
    ("ບ້ານທ່າແຂກ", "Ban Thakhek", "บ้านท่าแขก"),
    ("ບ້ານດອນໂຂງ", "Ban Don Khong", "บ้านดอนโขง"),
    ("ບ້ານນ້ຳບາກ", "Ban Nam Bak", "บ้านน้ำบาก"),
]
GROUPS = [
    ("ກຸ່ມແມ່ຍິງທໍຜ້າ", "women weavers group", "กลุ่มแม่บ้านทอผ้า", "group", "silk"),
    ("ສະຫະກອນກາເຟ", "coffee cooperative", "สหกรณ์กาแฟ", "cooperative", "coffee"),
    ("ກຸ່ມຈັກສານ", "bamboo basketry group", "กลุ่มจักสาน", "group", "bamboo-rattan"),
    ("ວິສາຫະກິດນ້ຳເຜິ້ງ", "honey enterprise", "วิสาหกิจน้ำผึ้ง", "enterprise", "honey"),
    ("ກຸ່ມເຮັດເຈ້ຍສາ", "mulberry paper group", "กลุ่มทำกระดาษสา", "group", "mulberry-paper"),
    ("ກຸ່ມຕີເງິນ", "silversmiths", "กลุ่มช่างเงิน", "group", "silverware"),
    ("ໂຮງງານຊາ", "tea works", "โรงงานชา", "enterprise", "tea"),
    ("ກຸ່ມເຮັດເຂົ້າໜົມ", "rice snack makers", "กลุ่มทำขนมข้าว", "group", "rice-snacks"),
]
# Products per category: (Lao, English, Thai).
PRODUCTS = {
    "silk": [("ຜ້າສິ້ນໄໝ", "silk sinh skirt", "ผ้าซิ่นไหม"), ("ຜ້າພັນຄໍໄໝ", "silk scarf", "ผ้าพันคอไหม")],
    "coffee": [("ກາເຟອາຣາບີກາ", "arabica coffee beans", "กาแฟอาราบิก้า"), ("ກາເຟຂົ້ວ", "roasted coffee", "กาแฟคั่ว")],
    "bamboo-rattan": [("ກະຕິບເຂົ້າ", "sticky rice basket", "กระติบข้าว"), ("ກະຕ່າຫວາຍ", "rattan basket", "ตะกร้าหวาย")],
    "honey": [("ນ້ຳເຜິ້ງປ່າ", "wild forest honey", "น้ำผึ้งป่า")],
    "mulberry-paper": [("ໂຄມໄຟເຈ້ຍສາ", "mulberry paper lamp", "โคมไฟกระดาษสา"), ("ປຶ້ມບັນທຶກ", "notebook", "สมุดบันทึก")],
    "silverware": [("ສາຍແອວເງິນ", "silver belt", "เข็มขัดเงิน"), ("ຂັນເງິນ", "silver bowl", "ขันเงิน")],
    "tea": [("ຊາປ່າຜົ້ງສາລີ", "Phongsaly forest tea", "ชาป่าผ้งสาลี"), ("ຊາຂຽວ", "green tea", "ชาเขียว")],
    "rice-snacks": [("ເຂົ້າຈີ່", "rice crackers", "ข้าวจี่"), ("ເຂົ້າໜົມຄົກ", "coconut rice cakes", "ขนมครก")],
}
CERTIFICATIONS = ["", "", "organic", "lao-fdd", "gi;organic", "fair-trade"]


def make_csv(products: int, producers: int, seed: int = 7) -> bytes:
    """A spreadsheet-like CSV: `products` rows over `producers` producers, UTF-8 with a BOM."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write(bulk.UTF8_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(bulk.COLUMNS)
    empty = dict.fromkeys(bulk.COLUMNS, "")
    people = []
    for n in range(producers):
        lo, en, th, kind, category = rng.choice(GROUPS)
        v_lo, v_en, v_th = rng.choice(VILLAGES)
        members = rng.randint(5, 120)
        people.append(
            {
                **empty,
                "producer_name_lo": f"{lo} {v_lo} {n + 1}",
                "producer_name_en": f"{v_en} {en} {n + 1}",
                "producer_name_th": f"{th} {v_th} {n + 1}",
                "producer_kind": kind,
                "province_code": PROVINCES[n % len(PROVINCES)],
                "district": f"District {rng.randint(1, 12)}",
                "village": v_en,
                "phone": f"+856 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
                "founded_year": str(rng.randint(1985, 2024)),
                "members_count": str(members),
                "women_members_count": str(rng.randint(0, members)),
                "women_led": rng.choice(["yes", "no"]),
                "producer_description_en": f"{en.capitalize()} from {v_en}.",
                "category": category,
            }
        )
    for i in range(products):
        who = people[i % producers]
        lo, en, th = rng.choice(PRODUCTS[who["category"]])
        status = rng.choice(["draft", "draft", "published"])
        row = {
            **who,
            "name_lo": f"{lo} {i + 1}",
            "name_en": f"{en.capitalize()} {i + 1}",
            "name_th": f"{th} {i + 1}",
            "description_en": f"Handmade {en} from {who['village']}, {who['province_code']}.",
            "description_lo": f"{lo} ເຮັດດ້ວຍມື",
            "price_lak": f"{rng.randrange(10_000, 2_000_000, 500):,}",
            "unit": rng.choice(["piece", "kg", "box", "set"]),
            "moq": str(rng.randint(1, 100)),
            "monthly_capacity": str(rng.randint(50, 5000)),
            "lead_time_days": str(rng.randint(1, 60)),
            "certifications": rng.choice(CERTIFICATIONS),
            "status": status,
            "stars": str(rng.randint(1, 5)) if status == "published" and rng.random() < 0.8 else "",
        }
        writer.writerow(row[c] for c in bulk.COLUMNS)
    return out.getvalue().encode("utf-8")


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--producers", type=int, default=1_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite file)")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the peak of Python allocations")
    args = parser.parse_args()

    data = make_csv(args.products, args.producers)
    with tempfile.TemporaryDirectory(prefix="odop-bench-") as tmp:
        path = Path(tmp) / "catalogue.csv"
        path.write_bytes(data)
        del data
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        migrations.upgrade(engine)
        db = Database(engine)
        with db.session(write=True) as session:
            session.add(User(email="bench-admin@odop.la", password_hash="-", role=Role.admin, display_name="Bench"))
        size_mb = path.stat().st_size / 1e6
        print(f"{args.products} products, {args.producers} producers, {size_mb:.1f} MB CSV, {db.dialect}")

        rss_before = maxrss_mb()
        if args.tracemalloc:
            tracemalloc.start()
        started, cpu = time.perf_counter(), time.process_time()
        with db.session(write=True) as session, path.open("rb") as source:
            actor = bulk.importing_user(session)
            result = bulk.import_csv(session, actor, source, size=path.stat().st_size)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if args.tracemalloc:
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(f"import:  {elapsed:.2f} s wall, {cpu:.2f} s CPU ({result.rows / elapsed:,.0f} rows/s), committed")
        print(f"         {result}")
        print(f"         peak RSS {rss_before:.0f} MB before, {maxrss_mb():.0f} MB after")
        if args.tracemalloc:
            print(f"         peak Python allocations during the import: {peak / 1e6:.1f} MB (tracemalloc)")

        with db.session(write=False) as session:
            counts = (
                session.exec(select(sa.func.count(Producer.id))).one(),
                session.exec(select(sa.func.count(Product.id))).one(),
            )
            started, cpu = time.perf_counter(), time.process_time()
            size = sum(len(piece.encode("utf-8")) for piece in bulk.export_csv(session))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"stored:  {counts[0]} producers, {counts[1]} products")
        rate = counts[1] / elapsed
        print(f"export:  {elapsed:.2f} s wall, {cpu:.2f} s CPU ({rate:,.0f} rows/s), {size / 1e6:.1f} MB")
        engine.dispose()


if __name__ == "__main__":
    main()
