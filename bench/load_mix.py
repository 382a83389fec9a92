"""A realistic traffic mix against `odop serve --workers W` (issue #8): requests/s, p50/p99 and errors per
class, and the server's memory. Run by hand (not in CI), with `wrk` (apt-get install wrk), on a seeded database:

    # SQLite, 1 worker
    export ODOP_DATABASE_URL=sqlite:////tmp/seed100k/odop.db ODOP_MEDIA_DIR=/tmp/seed100k/media
    .venv/bin/odop migrate && .venv/bin/odop seed-demo --products 100000
    .venv/bin/python bench/load_mix.py                      # --workers 1 is the default on SQLite

    # PostgreSQL, 1, 2 and 4 workers (one scratch copy per configuration)
    createdb -h 127.0.0.1 -U postgres odop_seed100k
    export ODOP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/odop_seed100k
    export ODOP_MEDIA_DIR=/tmp/seed100k-pg/media
    .venv/bin/odop migrate && .venv/bin/odop seed-demo --products 100000
    .venv/bin/python bench/load_mix.py --workers 1,2,4      # the default on PostgreSQL

Options: --seconds 30 (measured run), --warmup 10, --connections 32, --threads 2 (wrk -t), --timeout 5
(seconds; a slower answer counts as an error), --page-cache-seconds N (ODOP_PAGE_CACHE_SECONDS for the
server; default: the app's, 30), --redis-url URL (rate limits shared through Redis, as deploy/compose.yaml
runs it; default: in memory, per worker), --json PATH (all figures), --keep (leave the scratch copies).

Scratch copies, nothing to clean up in the seeded database: each configuration runs on a fresh copy
(SQLite: the sqlite3 backup API into a temporary directory; PostgreSQL: CREATE DATABASE ... TEMPLATE the
seeded one, which needs no other session connected to it) with an empty temporary ODOP_MEDIA_DIR (the load
never fetches photos; uploads land there), all removed afterwards unless --keep.

The mix, per 1,000 requests (--mix 70,20,8,2; --api-share 0.2; --write-split 1,1,1):
  browse   560 HTML /products pages + 140 GET /api/v1/products: province (18, weighted like the catalogue),
           category family or sub-category, min_stars, certification, sort, page (60 % page 1, a tail to
           page 100, capped at the real page count from one GROUP BY), Accept-Language lo/en/th; pages past
           the first half the time as the HTMX partial the pager sends (HX-Target: results)
  search   200 live searches as the browse form sends them (GET /products?q=...&province=&category=&...
           with HX-Request/HX-Target: results; 15 % as a full page); queries in Lao, Thai and English from
           bench/search_latency.make_queries (fragments of product names and typical words, 1-20 chars)
  product   80 /products/{id} of published products drawn uniformly
  write     20: POST /api/v1/inquiries by buyer accounts; PATCH /api/v1/products/{id} by owner producers
           (price, moq/capacity now; a quarter change the description, which waits for review); POST
           /api/v1/products/{id}/images (multipart, a distinct 800x600 JPEG of ~30 KB each)
All reads are anonymous, so the public page cache serves repeats until a write in that worker clears it;
the setting in force is printed. Deck order is shuffled once; each wrk thread starts at another place.

Accounts and rate limits: the limits (20 inquiries/hour per buyer, 120 uploads/hour per account) are
constants in app/ratelimit.py, not settings, so the bench creates enough accounts in the scratch copy
instead: buyers with at most 15 inquiries each, producer accounts each owning one seeded producer with
at most 100 uploads each and at most 8 new photos per product (the app allows 12 per product). Bearer
tokens are made with app.auth.service.start_session (no password login: argon2 is not what is measured).
Account ids start at a random offset, so Redis counters left by an earlier run never apply. Each write
request is used once (threads take disjoint parts of the pools); pools are sized for --max-rps (2,500);
if a run outgrows them the report says so (a reused request can then meet a rate limit).

Per-class latencies: wrk's histogram is global, and wrk's response() does not say which connection
answered. bench/load_mix.lua stamps each request with a unique X-Request-ID, which the app echoes
(app.web.middleware); request() notes the class and a CLOCK_MONOTONIC time (LuaJIT ffi) just before wrk
writes the request, response() looks the id up and records class, status and latency. done() writes
every sample to a file this script reads. Requests unanswered at the end are "in flight" if younger than
--timeout, else "lost" (a socket error). Errors per class: status >= 400 (wrk's own rule), slower than
--timeout, lost, or an answer without our id. Overall figures come from the same samples; wrk's own
summary (socket errors, its p50/p99) is printed beside them as a check. wrk 4.1's percentiles run higher
when some answers are slow: it adds synthetic samples for them (stats_correct, a coordinated-omission
correction); ours are the measured requests (checked against the server's log, request by request).

Memory: RSS of `odop serve` and all its descendants (master, workers and, with several workers,
multiprocessing's resource tracker), read from /proc (psutil is not in the venv) every 0.25 s during the
measured run: peak and end, summed over the processes (spawned workers share little). PostgreSQL's own
memory is not included. wrk runs on the same 2 cores as the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("load_mix.lua")

from app.auth import service as auth_service  # noqa: E402
from app.auth.models import Role, SessionKind, User  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import Database  # noqa: E402
from bench.search_latency import make_queries  # noqa: E402

READ_CLASSES = ("browse_html", "browse_api", "search", "product")
WRITE_CLASSES = ("inquiry", "edit", "photo")
GROUPS = {"browse": ("browse_html", "browse_api"), "write": WRITE_CLASSES}
INQUIRIES_PER_BUYER = 15  # app/ratelimit.py allows 20/hour
UPLOADS_PER_ACCOUNT = 100  # app/ratelimit.py allows 120/hour
NEW_PHOTOS_PER_PRODUCT = 8  # the app allows 12 photos per product
LANGUAGES = (("lo-LA,lo;q=0.9,en;q=0.8", 0.5), ("en-US,en;q=0.9", 0.3), ("th-TH,th;q=0.9,en;q=0.8", 0.2))
SORTS = (("relevance", 0.5), ("newest", 0.25), ("price", 0.15), ("price_desc", 0.1))
CERTIFICATIONS = ("lao-fdd", "organic", "gi", "halal", "fair-trade", "gmp", "haccp", "lao-standard")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
PER_PAGE = 24


# ---- requests ---------------------------------------------------------------------------------


@dataclass
class Prepared:
    """Raw HTTP requests, split where load_mix.lua inserts the X-Request-ID value."""

    pools: dict[str, list[tuple[bytes, bytes]]] = field(default_factory=lambda: defaultdict(list))
    buyers: list[int] = field(default_factory=list)
    producers: list[int] = field(default_factory=list)  # producer accounts (user ids)
    upload_products: list[int] = field(default_factory=list)


def raw_request(
    method: str, path: str, host: str, headers: list[tuple[str, str]], body: bytes = b""
) -> tuple[bytes, bytes]:
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nX-Request-ID: ".encode()
    lines = [f"{k}: {v}" for k, v in headers]
    if body or method in ("POST", "PATCH", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    tail = ("\r\n" + "".join(line + "\r\n" for line in lines) + "\r\n").encode() + body
    return head, tail


def weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def page_headers(rng: random.Random, *, partial: bool = False, current: str = "") -> list[tuple[str, str]]:
    headers = [
        ("User-Agent", BROWSER),
        ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
        ("Accept-Language", weighted(rng, LANGUAGES)),
    ]
    if partial:
        headers += [("HX-Request", "true"), ("HX-Target", "results"), ("HX-Current-URL", current)]
    return headers


def api_headers(rng: random.Random, token: str | None = None) -> list[tuple[str, str]]:
    headers = [("User-Agent", "odop-integration/1.0"), ("Accept", "application/json"), ("Accept-Encoding", "gzip")]
    if token:
        headers.append(("Authorization", f"Bearer {token}"))
    return headers


def draw_page(rng: random.Random, pages: int) -> int:
    roll = rng.random()
    if roll < 0.60:
        page = 1
    elif roll < 0.75:
        page = 2
    elif roll < 0.83:
        page = 3
    elif roll < 0.96:
        page = rng.randint(4, 10)
    else:
        page = rng.randint(11, 100)
    return max(1, min(page, pages))


class Catalogue:
    """What the browse URLs are drawn from, read once from the scratch database."""

    def __init__(self, db: Database) -> None:
        published = "status = 'published' AND deleted_at IS NULL"
        with db.engine.connect() as c:
            self.families: dict[str, list[str]] = defaultdict(list)
            for slug, parent in c.execute(sa.text("SELECT slug, parent FROM category ORDER BY slug")):
                self.families[parent or slug].append(slug)
            self.counts = list(
                c.execute(
                    sa.text(
                        f"SELECT province_code, category, coalesce(stars, 0), count(*) FROM product "
                        f"WHERE {published} GROUP BY 1, 2, 3"
                    )
                )
            )
            self.product_ids = [i for (i,) in c.execute(sa.text(f"SELECT id FROM product WHERE {published}"))]
        by_province: Counter[str] = Counter()
        for province, _category, _stars, n in self.counts:
            by_province[province] += n
        self.provinces = sorted(by_province)
        self.province_weights = [by_province[p] for p in self.provinces]
        self.slugs = sorted(s for members in self.families.values() for s in members)

    def total(self, province: str | None, categories: list[str] | None, min_stars: int | None) -> int:
        return sum(
            n
            for p, c, s, n in self.counts
            if (province is None or p == province)
            and (categories is None or c in categories)
            and (min_stars is None or s >= min_stars)
        )

    def browse_filters(self, rng: random.Random) -> tuple[dict[str, str], int]:
        """Filters as the browse form sends them (every field, empty when unset) and their page count."""
        province = rng.choices(self.provinces, weights=self.province_weights)[0] if rng.random() < 0.55 else None
        category, members = None, None
        roll = rng.random()
        if roll < 0.25:
            category = rng.choice(sorted(self.families))
            members = self.families[category]
        elif roll < 0.40:
            category = rng.choice(self.slugs)
            members = [category]
        min_stars = rng.choice((3, 4, 5)) if rng.random() < 0.2 else None
        certification = rng.choice(CERTIFICATIONS) if rng.random() < 0.1 else None
        total = self.total(province, members, min_stars)
        pages = 1 if certification else max(1, math.ceil(total / PER_PAGE))
        filters = {
            "q": "",
            "province": province or "",
            "category": category or "",
            "min_stars": str(min_stars or ""),
            "certification": certification or "",
            "price_max": "",
            "sort": weighted(rng, SORTS),
        }
        return filters, pages


def browse_requests(
    rng: random.Random, catalogue: Catalogue, host: str, count: int, api_share: float
) -> tuple[list, list]:
    html, api = [], []
    for _ in range(count):
        filters, pages = catalogue.browse_filters(rng)
        page = draw_page(rng, pages)
        if rng.random() < api_share:
            params = {k: v for k, v in filters.items() if v} | {"page": str(page), "per_page": str(PER_PAGE)}
            if params.get("sort") == "price_desc":
                params["sort"] = "price"
            api.append(raw_request("GET", "/api/v1/products?" + urlencode(params), host, api_headers(rng)))
            continue
        if rng.random() < 0.5:  # a link as people share it: only the filters they set
            params = {k: v for k, v in filters.items() if v and not (k == "sort" and v == "relevance")}
        else:  # the form submitted (every field)
            params = dict(filters)
        if page > 1:
            params["page"] = str(page)
        path = "/products" + ("?" + urlencode(params) if params else "")
        partial = page > 1 and rng.random() < 0.5  # the pager's hx-get
        html.append(
            raw_request("GET", path, host, page_headers(rng, partial=partial, current=f"http://{host}/products"))
        )
    return html, api


def search_requests(rng: random.Random, db: Database, catalogue: Catalogue, host: str, count: int) -> list:
    out = []
    queries = make_queries(db, count=count, seed=rng.randrange(1 << 30))
    for _language, q in queries:
        filters, _pages = catalogue.browse_filters(rng)
        filters = {k: "" for k in filters} | {"sort": "relevance"}
        if rng.random() < 0.2:  # a province chosen before typing
            filters["province"] = rng.choices(catalogue.provinces, weights=catalogue.province_weights)[0]
        filters["q"] = q
        path = "/products?" + urlencode(filters)
        partial = rng.random() < 0.85
        out.append(
            raw_request("GET", path, host, page_headers(rng, partial=partial, current=f"http://{host}/products"))
        )
    return out


def product_requests(rng: random.Random, catalogue: Catalogue, host: str, count: int) -> list:
    return [
        raw_request("GET", f"/products/{rng.choice(catalogue.product_ids)}", host, page_headers(rng))
        for _ in range(count)
    ]


# ---- accounts and writes ------------------------------------------------------------------------


def create_accounts(db: Database, role: Role, count: int, first_id: int, tag: str) -> list[tuple[int, str]]:
    """`count` accounts with explicit ids from `first_id`, each with a bearer token: [(user_id, token)]."""
    from argon2 import PasswordHasher

    password_hash = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("load-mix-bench")
    out = []
    with db.session(write=True) as session:
        for i in range(count):
            user = User(
                id=first_id + i,
                email=f"loadmix-{tag}-{role.value}-{i}@bench.invalid",
                password_hash=password_hash,
                role=role,
                display_name=f"Load mix {role.value} {i}",
            )
            session.add(user)
            session.flush()
            token = auth_service.start_session(session, user, SessionKind.bearer, dt.timedelta(hours=24))
            out.append((user.id, token))
        if db.dialect == "postgresql":  # explicit ids do not move the sequence
            session.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('user_account', 'id'), (SELECT max(id) FROM user_account))"
                )
            )
    return out


def jpeg(rng: random.Random, width: int = 800, height: int = 600) -> bytes:
    """A small real JPEG, different every time (content-addressed storage would dedupe identical ones)."""
    from PIL import Image, ImageDraw

    base = tuple(rng.randrange(40, 220) for _ in range(3))
    image = Image.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(20, 240), rng.randrange(20, 180)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def multipart(data: bytes, boundary: str) -> bytes:
    return (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="IMG_{random.randrange(10_000):04d}.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )


def write_requests(
    rng: random.Random, db: Database, catalogue: Catalogue, host: str, pool: dict[str, int], prepared: Prepared
) -> None:
    """Buyer and producer accounts in the scratch copy, and one request per write."""
    # fresh ids on every run (not from the seeded rng): Redis counters of earlier runs never match
    first_id = random.SystemRandom().randrange(1, 1_000_000) * 1000
    with db.engine.connect() as c:
        first_id += int(c.execute(sa.text("SELECT coalesce(max(id), 0) FROM user_account")).scalar_one())
    tag = f"{first_id}"
    n_buyers = max(1, math.ceil(pool["inquiry"] / INQUIRIES_PER_BUYER))
    buyers = create_accounts(db, Role.buyer, n_buyers, first_id, tag)

    # Producer accounts own seeded producers that have published products with room for photos.
    published = "p.status = 'published' AND p.deleted_at IS NULL"
    with db.engine.connect() as c:
        rows = list(
            c.execute(
                sa.text(
                    f"SELECT p.producer_id, p.id, (SELECT count(*) FROM product_image i WHERE i.product_id = p.id) "
                    f"FROM product p JOIN producer pr ON pr.id = p.producer_id "
                    f"WHERE {published} AND pr.owner_user_id IS NULL AND pr.deleted_at IS NULL ORDER BY p.id"
                )
            )
        )
    by_producer: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for producer_id, product_id, photos in rows:
        by_producer[producer_id].append((product_id, photos))
    candidates = sorted(by_producer, key=lambda p: -len(by_producer[p]))[:500]
    rng.shuffle(candidates)
    room = lambda pid: sum(max(0, min(NEW_PHOTOS_PER_PRODUCT, 11 - n)) for _, n in by_producer[pid])  # noqa: E731
    needed_uploads, chosen, capacity = pool["photo"], [], 0
    for producer_id in candidates:
        if len(chosen) >= 40 and capacity >= needed_uploads and len(chosen) * UPLOADS_PER_ACCOUNT >= needed_uploads:
            break
        chosen.append(producer_id)
        capacity += min(room(producer_id), UPLOADS_PER_ACCOUNT)
    if capacity < needed_uploads:
        raise SystemExit(f"not enough producers with room for {needed_uploads} photos (found {capacity})")
    producers = create_accounts(db, Role.producer, len(chosen), first_id + n_buyers, tag)
    with db.session(write=True) as session:
        for (user_id, _token), producer_id in zip(producers, chosen, strict=True):
            session.execute(
                sa.text("UPDATE producer SET owner_user_id = :u WHERE id = :p"), {"u": user_id, "p": producer_id}
            )
    prepared.buyers = [u for u, _ in buyers]
    prepared.producers = [u for u, _ in producers]

    for i in range(pool["inquiry"]):
        _user, token = buyers[i // INQUIRIES_PER_BUYER % len(buyers)]
        language = rng.choice(("lo", "en", "th"))
        message = {
            "lo": "ສະບາຍດີ, ພວກເຮົາສົນໃຈສິນຄ້ານີ້. ກະລຸນາແຈ້ງລາຄາສົ່ງ ແລະ ເວລາຜະລິດ.",
            "en": "Hello, we are interested in this product. Please send wholesale prices and lead time.",
            "th": "สวัสดีครับ เราสนใจสินค้านี้ ขอราคาขายส่งและระยะเวลาผลิตด้วยครับ",
        }[language] + f" (#{i})"
        body = json.dumps(
            {
                "product_id": rng.choice(catalogue.product_ids),
                "message": message,
                "quantity": rng.choice([50, 100, 500]),
            }
        ).encode()
        headers = [*api_headers(rng, token), ("Content-Type", "application/json")]
        prepared.pools["inquiry"].append(raw_request("POST", "/api/v1/inquiries", host, headers, body))

    owned = [(token, by_producer[pid]) for (_u, token), pid in zip(producers, chosen, strict=True)]
    for i in range(pool["edit"]):
        token, products = owned[i % len(owned)]
        product_id = rng.choice(products)[0]
        roll = rng.random()
        if roll < 0.5:
            change: dict = {"price_lak": rng.randrange(5, 2000) * 1000}
        elif roll < 0.75:
            change = {"moq": rng.choice([10, 20, 50, 100]), "monthly_capacity": rng.randrange(100, 5000)}
        else:  # a reviewed field: waits in pending_changes
            change = {"description": {"lo": f"ຜະລິດດ້ວຍມື, ຮຸ່ນ {i}", "en": f"Handmade, batch {i}", "th": f"ทำมือ รุ่น {i}"}}
        headers = [*api_headers(rng, token), ("Content-Type", "application/json")]
        body = json.dumps(change).encode()
        prepared.pools["edit"].append(raw_request("PATCH", f"/api/v1/products/{product_id}", host, headers, body))

    slots: list[tuple[str, int]] = []  # (token, product) once per upload it may take
    for (_u, token), pid in zip(producers, chosen, strict=True):
        mine = []
        for product_id, photos in by_producer[pid]:
            mine += [product_id] * max(0, min(NEW_PHOTOS_PER_PRODUCT, 11 - photos))
        rng.shuffle(mine)
        slots += [(token, product_id) for product_id in mine[:UPLOADS_PER_ACCOUNT]]
    rng.shuffle(slots)
    for token, product_id in slots[: pool["photo"]]:
        boundary = f"----loadmix{rng.randrange(1 << 48):012x}"
        body = multipart(jpeg(rng), boundary)
        headers = [*api_headers(rng, token), ("Content-Type", f"multipart/form-data; boundary={boundary}")]
        prepared.pools["photo"].append(
            raw_request("POST", f"/api/v1/products/{product_id}/images", host, headers, body)
        )
        prepared.upload_products.append(product_id)


def make_deck(rng: random.Random, mix: list[float], api_share: float, split: list[float]) -> list[str]:
    """1,000 class names in the mix's proportions, shuffled."""
    counts = {
        "browse_html": mix[0] * (1 - api_share),
        "browse_api": mix[0] * api_share,
        "search": mix[1],
        "product": mix[2],
    }
    total_split = sum(split)
    for name, share in zip(WRITE_CLASSES, split, strict=True):
        counts[name] = mix[3] * share / total_split
    scale = 1000 / sum(counts.values())
    deck = [name for name, share in counts.items() for _ in range(round(share * scale))]
    rng.shuffle(deck)
    return deck


def save_requests(path: Path, deck: list[str], prepared: Prepared) -> None:
    with path.open("wb") as f:
        names = " ".join(deck).encode()
        f.write(f"deck {len(names)} 0\n".encode() + names)
        for name in WRITE_CLASSES:
            f.write(f"write {len(name)} 0\n{name}".encode())
        for name, requests in prepared.pools.items():
            for head, tail in requests:
                f.write(f"{name} {len(head)} {len(tail)}\n".encode() + head + tail)


# ---- scratch copies -----------------------------------------------------------------------------


class Scratch:
    """A copy of the seeded database and an empty media directory for one configuration."""

    def __init__(self, source_url: str, workdir: Path, tag: str) -> None:
        self.source = sa.make_url(source_url)
        self.media = workdir / f"media-{tag}"
        self.media.mkdir()
        if self.source.get_backend_name() == "sqlite":
            path = workdir / f"odop-{tag}.db"
            started = time.perf_counter()
            with sqlite3.connect(self.source.database) as src, sqlite3.connect(path) as dst:
                src.backup(dst)
            self.url = f"sqlite:///{path}"
            self.name = str(path)
        else:
            self.name = f"odop_loadmix_{os.getpid()}_{tag}"
            started = time.perf_counter()
            with self._admin() as c:
                try:
                    c.execute(sa.text(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.source.database}"'))
                except sa.exc.OperationalError as exc:
                    raise SystemExit(
                        f"cannot copy {self.source.database} (is a server still connected?): {exc}"
                    ) from exc
            self.url = self.source.set(database=self.name).render_as_string(hide_password=False)
        print(f"  scratch copy {self.name} in {time.perf_counter() - started:.1f} s")

    def _admin(self):  # type: ignore[no-untyped-def]
        engine = sa.create_engine(self.source.set(database="postgres"), isolation_level="AUTOCOMMIT")
        return engine.connect()

    def drop(self) -> None:
        shutil.rmtree(self.media, ignore_errors=True)
        if self.source.get_backend_name() == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.name + suffix).unlink(missing_ok=True)
        else:
            with self._admin() as c:
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


# ---- the server and its memory --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            children[ppid].append(int(entry))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += children.get(current, [])
    return out


def rss_bytes(pid: int) -> tuple[int, int]:
    """Summed VmRSS of a process and its descendants, and how many processes that is."""
    total, processes = 0, 0
    for p in descendants(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    processes += 1
        except OSError:
            pass
    return total, processes


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[int, int]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.samples.append(rss_bytes(self.pid))
            self.stopping.wait(self.every)

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.join()
        return {
            "peak_mb": max(s for s, _ in self.samples) / 1e6,
            "end_mb": self.samples[-1][0] / 1e6,
            "processes": self.samples[-1][1],
        }


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    cmd = [str(BIN / "odop"), "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    for _ in range(600):
        if proc.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            # with several workers, the first to answer is not the last to be ready: wait for the master,
            # multiprocessing's resource tracker and every worker process (the warm-up does the rest)
            if workers == 1 or len(descendants(proc.pid)) >= workers + 2:
                time.sleep(1 if workers > 1 else 0)
                return proc
        except Exception:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(cmd)}\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---- wrk ------------------------------------------------------------------------------------------


def parse_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)$", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def run_wrk(args: argparse.Namespace, port: int, requests: Path, out: Path, seconds: int, readonly: bool) -> dict:
    env = os.environ | {
        "LOADMIX_REQUESTS": str(requests),
        "LOADMIX_OUT": str(out),
        "LOADMIX_READONLY": "1" if readonly else "0",
        "LOADMIX_THREADS": str(args.threads),
    }
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", f"--timeout={args.timeout}s"]
    cmd += ["--latency", "-s", str(LUA), f"http://127.0.0.1:{port}/"]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    text = result.stdout
    if result.returncode != 0 or "Requests/sec" not in text:
        raise SystemExit(f"wrk failed ({result.returncode}):\n{text}\n{result.stderr}")
    summary = {
        "duration_s": float(re.search(r"requests in ([\d.]+)s", text).group(1)),  # type: ignore[union-attr]
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
        "p50_ms": parse_ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)),  # type: ignore[union-attr]
        "p99_ms": parse_ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)),  # type: ignore[union-attr]
        "non_2xx_3xx": 0,
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", text):
        summary["non_2xx_3xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
        summary["socket_errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, match.groups()), strict=True)
        )
    return summary


def percentile(ordered: list[float], p: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def class_figures(out: Path, duration: float, timeout_s: float) -> tuple[dict[str, dict], set[str]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    figures: dict[str, Counter] = defaultdict(Counter)
    wrapped: set[str] = set()
    for line in out.read_text().splitlines():
        first, second, third, *_ = line.split("\t")
        if first == "pending":
            lost = int(third) > timeout_s * 1e6
            figures[second]["lost" if lost else "in_flight"] += 1
            continue
        if first == "wrapped":
            wrapped.add(second)
            continue
        status, ms = int(second), int(third) / 1000
        stats = figures[first]
        stats["responses"] += 1
        latencies[first].append(ms)
        if first == "unknown":
            stats["unmatched"] += 1
        elif status >= 400:
            stats[f"status_{status}"] += 1
        elif ms > timeout_s * 1000:
            stats["slow"] += 1
    names = [*READ_CLASSES, *WRITE_CLASSES]
    groups = {**{n: (n,) for n in names}, **GROUPS, "all": (*names, "unknown")}
    result = {}
    for group, members in groups.items():
        values = sorted(v for m in members for v in latencies.get(m, []))
        counts: Counter = sum((figures[m] for m in members), Counter())
        errors = {k: v for k, v in counts.items() if k not in ("responses", "in_flight")}
        result[group] = {
            "responses": counts["responses"],
            "rps": counts["responses"] / duration,
            "p50_ms": percentile(values, 50),
            "p99_ms": percentile(values, 99),
            "errors": sum(errors.values()),
            "error_kinds": errors,
            "in_flight_at_end": counts["in_flight"],
        }
    return result, wrapped


# ---- checks of what the writes stored ---------------------------------------------------------------


def stored_counts(db: Database, prepared: Prepared, media: Path) -> dict[str, int]:
    """Rows the bench's accounts have written: inquiries, product.update audit events, photos; media files."""
    queries = {
        "inquiry": ("SELECT count(*) FROM inquiry WHERE sender_user_id IN :ids", prepared.buyers),
        "edit": (
            "SELECT count(*) FROM audit_event WHERE action = 'product.update' AND actor_user_id IN :ids",
            prepared.producers,
        ),
        "photo": ("SELECT count(*) FROM product_image WHERE product_id IN :ids", sorted(set(prepared.upload_products))),
    }
    out = {}
    with db.engine.connect() as c:
        for name, (sql, ids) in queries.items():
            statement = sa.text(sql).bindparams(sa.bindparam("ids", expanding=True))
            out[name] = int(c.execute(statement, {"ids": ids or [-1]}).scalar_one())
    out["media_files"] = sum(1 for p in media.rglob("*") if p.is_file())
    return out


# ---- one configuration --------------------------------------------------------------------------


def run_configuration(args: argparse.Namespace, workers: int, workdir: Path) -> dict:
    tag = f"w{workers}"
    print(f"\n== {workers} worker{'s' if workers > 1 else ''} ==")
    scratch = Scratch(args.database_url, workdir, tag)
    try:
        port = free_port()
        host = f"127.0.0.1:{port}"
        settings = Settings(database_url=scratch.url, media_dir=scratch.media)
        db = Database.from_settings(settings)
        rng = random.Random(args.seed)
        started = time.perf_counter()
        catalogue = Catalogue(db)
        prepared = Prepared()
        html, api = browse_requests(rng, catalogue, host, args.read_pool, args.api_share)
        prepared.pools["browse_html"], prepared.pools["browse_api"] = html, api
        prepared.pools["search"] = search_requests(rng, db, catalogue, host, args.search_pool)
        prepared.pools["product"] = product_requests(rng, catalogue, host, args.read_pool)
        write_requests(rng, db, catalogue, host, args.write_pool, prepared)
        deck = args.deck
        requests = workdir / f"requests-{tag}.bin"
        save_requests(requests, deck, prepared)
        sizes = ", ".join(f"{k} {len(v)}" for k, v in prepared.pools.items())
        print(
            f"  prepared in {time.perf_counter() - started:.1f} s: {sizes} requests; "
            f"{len(prepared.buyers)} buyer and {len(prepared.producers)} producer accounts"
        )
        stored_before = stored_counts(db, prepared, scratch.media)
        db.dispose()

        env = os.environ.copy()
        env.update({"ODOP_DATABASE_URL": scratch.url, "ODOP_MEDIA_DIR": str(scratch.media)})
        env.pop("ODOP_SMTP_URL", None)  # no mail for the bench's inquiries
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if args.redis_url:
            env["ODOP_REDIS_URL"] = args.redis_url
        else:
            env.pop("ODOP_REDIS_URL", None)
        if args.page_cache_seconds is not None:
            env["ODOP_PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
        log = workdir / f"server-{tag}.log"
        server = start_server(env, port, workers, log)
        try:
            idle = rss_bytes(server.pid)
            if args.warmup:
                run_wrk(args, port, requests, workdir / f"warmup-{tag}.tsv", args.warmup, readonly=True)
            sampler = MemorySampler(server.pid)
            before = rss_bytes(server.pid)
            sampler.start()
            out = workdir / f"samples-{tag}.tsv"
            summary = run_wrk(args, port, requests, out, args.seconds, readonly=False)
            memory = sampler.stop()
        finally:
            stop_server(server)
        memory |= {"idle_mb": idle[0] / 1e6, "after_warmup_mb": before[0] / 1e6}
        classes, wrapped = class_figures(out, summary["duration_s"], args.timeout)
        db = Database.from_settings(settings)
        after = stored_counts(db, prepared, scratch.media)
        stored = {k: after[k] - stored_before[k] for k in after}
        db.dispose()
        server_errors = [
            line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line or " 500 " in line
        ]
        result = {
            "workers": workers,
            "database": sa.make_url(scratch.url).get_backend_name(),
            "wrk": summary,
            "classes": classes,
            "memory": memory,
            "stored": stored,
            "wrapped_write_pools": sorted(wrapped),
            "server_log_errors": len(server_errors),
        }
        report(result, args)
        return result
    finally:
        if args.keep:
            print(f"  kept: {scratch.name}, media {scratch.media}, files in {workdir}")
        else:
            scratch.drop()


def report(result: dict, args: argparse.Namespace) -> None:
    wrk = result["wrk"]
    print(
        f"  {wrk['requests']} requests in {wrk['duration_s']:.1f} s, "
        f"{args.connections} connections, wrk -t{args.threads}"
    )
    print(f"  {'class':12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}  detail")
    for name in ("all", "browse", *GROUPS["browse"], "search", "product", "write", *WRITE_CLASSES):
        c = result["classes"][name]
        detail = ", ".join(f"{k} {v}" for k, v in sorted(c["error_kinds"].items()))
        indent = "    " if name in (*GROUPS["browse"], *GROUPS["write"]) else "  "
        label = f"{indent}{name}"
        p50, p99 = (f"{c[k]:9.1f}" if c["responses"] else f"{'-':>9}" for k in ("p50_ms", "p99_ms"))
        print(f"{label:14}{c['rps']:9.1f}{p50}{p99}{c['errors']:8d}  {detail}")
    sockets = ", ".join(f"{k} {v}" for k, v in wrk["socket_errors"].items())
    print(
        f"  wrk's own: {wrk['rps']:.1f} req/s, p50 {wrk['p50_ms']:.1f} ms, p99 {wrk['p99_ms']:.1f} ms, "
        f"non-2xx/3xx {wrk['non_2xx_3xx']}, socket errors: {sockets}; "
        f"in flight at the end: {result['classes']['all']['in_flight_at_end']}"
    )
    m = result["memory"]
    print(
        f"  server RSS ({m['processes']} processes): idle {m['idle_mb']:.0f} MB, after warm-up "
        f"{m['after_warmup_mb']:.0f} MB, peak {m['peak_mb']:.0f} MB, end {m['end_mb']:.0f} MB"
    )
    s, c = result["stored"], result["classes"]
    print(
        "  stored by the writes: "
        + ", ".join(
            f"{k} {s[k]} rows ({c[k]['responses'] - c[k]['errors']} answered OK, "
            f"{c[k]['in_flight_at_end']} in flight at the end)"
            for k in WRITE_CLASSES
        )
        + f", {s['media_files']} media files"
    )
    if result["wrapped_write_pools"]:
        print(f"  WARNING: write pools reused ({', '.join(result['wrapped_write_pools'])}): raise --max-rps")
    if result["server_log_errors"]:
        print(f"  WARNING: {result['server_log_errors']} error lines in the server log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", help="comma-separated worker counts (default: 1 on SQLite, 1,2,4 on PostgreSQL)")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of the read part of the mix first")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=5, help="seconds; slower answers count as errors")
    parser.add_argument("--page-cache-seconds", type=int, help="ODOP_PAGE_CACHE_SECONDS for the server")
    parser.add_argument("--redis-url", help="ODOP_REDIS_URL for the server (default: rate limits in memory)")
    parser.add_argument("--mix", default="70,20,8,2", help="browse,search,product,write percentages")
    parser.add_argument("--api-share", type=float, default=0.2, help="share of browse going to /api/v1/products")
    parser.add_argument("--write-split", default="1,1,1", help="inquiry,edit,photo weights within writes")
    parser.add_argument("--max-rps", type=int, default=2500, help="sizes the write pools (each request used once)")
    parser.add_argument("--read-pool", type=int, default=5000, help="distinct browse and product requests")
    parser.add_argument("--search-pool", type=int, default=1000, help="distinct search queries")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies and request files")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("install wrk: apt-get install wrk")
    args.database_url = os.environ.get("ODOP_DATABASE_URL", Settings().database_url)
    backend = sa.make_url(args.database_url).get_backend_name()
    args.mix = [float(x) for x in args.mix.split(",")]
    args.write_split = [float(x) for x in args.write_split.split(",")]
    workers = [int(w) for w in (args.workers or ("1" if backend == "sqlite" else "1,2,4")).split(",")]
    args.deck = make_deck(random.Random(args.seed), args.mix, args.api_share, args.write_split)
    # each write request is used once: room for --max-rps over the run, and a margin
    args.write_pool = {
        name: max(args.threads, math.ceil(1.2 * args.max_rps * args.seconds * args.deck.count(name) / len(args.deck)))
        for name in WRITE_CLASSES
    }
    cache = args.page_cache_seconds if args.page_cache_seconds is not None else Settings().page_cache_seconds
    print(f"database: {backend} {sa.make_url(args.database_url).render_as_string()}")
    print(
        f"mix browse/search/product/write {args.mix} (browse: {args.api_share:.0%} API), writes "
        f"inquiry/edit/photo {args.write_split}; anonymous page cache {cache} s"
        + (" (off)" if cache == 0 else "")
        + f"; rate limits {'in Redis ' + args.redis_url if args.redis_url else 'in memory, per worker'}"
    )
    workdir = Path(tempfile.mkdtemp(prefix="odop-loadmix-"))
    results = []
    try:
        for w in workers:
            results.append(run_configuration(args, w, workdir))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"page_cache_seconds": cache, "args": vars(args) | {"json": str(args.json)}, "results": results},
                indent=2,
                default=str,
            )
        )
    if len(results) > 1:
        print("\nsummary: workers, req/s, p50, p99, errors, peak RSS")
        for r in results:
            a = r["classes"]["all"]
            print(
                f"  {r['workers']}  {a['rps']:8.1f}  {a['p50_ms']:6.1f} ms  {a['p99_ms']:7.1f} ms  "
                f"{a['errors']:5d}  {r['memory']['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
