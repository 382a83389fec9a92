"""Does a burst of photo uploads slow down browsing? Run by hand (not in CI):

    .venv/bin/python bench/upload_latency.py [--products 300] [--requests 200] [--uploaders 4]

Builds a temporary SQLite database with a few hundred published products (through the services),
serves the app with uvicorn on 127.0.0.1 (a free port, one worker, in a child process), then
measures the median latency of `GET /api/v1/products?per_page=24`:

  (a) alone, then
  (b) while N clients (default 4) upload a 12-megapixel phone JPEG in a loop,

and prints both medians, their ratio (goal ≤ 2×) and the uploads' own median latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import migrations  # noqa: E402
from app.auth import service as auth_service  # noqa: E402
from app.auth.models import Role, SessionKind  # noqa: E402
from app.auth.security import make_password_hasher  # noqa: E402
from app.catalogue import service  # noqa: E402
from app.catalogue.schemas import ProducerCreate, ProductCreate  # noqa: E402
from app.config import Settings  # noqa: E402
from app.db import Database  # noqa: E402
from bench.upload_pipeline import make_photo_jpeg  # noqa: E402

LIST_URL = "/api/v1/products?per_page=24"
PROVINCES = ("LA-LP", "LA-VT", "LA-CH", "LA-XA", "LA-SV", "LA-OU")
CATEGORIES = ("silk", "coffee", "tea", "pottery", "honey", "woodcraft")


def seed(settings: Settings, products: int) -> tuple[str, list[int]]:
    """Published products spread over a few producers; returns a bearer token of their staff and the ids."""
    db = Database.from_settings(settings)
    migrations.upgrade(db.engine)
    hasher = make_password_hasher(settings)
    ids: list[int] = []
    with db.session(write=True) as session:
        staff = auth_service.create_user(
            session, hasher, email="staff@bench.la", password="bench-password", role=Role.staff, display_name="Staff"
        )
        producers = []
        for n, province in enumerate(PROVINCES):
            owner = auth_service.create_user(
                session,
                hasher,
                email=f"producer{n}@bench.la",
                password="bench-password",
                role=Role.producer,
                display_name=f"Producer {n}",
            )
            name = {"lo": f"ກຸ່ມຜະລິດ {n}", "en": f"Producer group {n}"}
            producers.append(
                (owner, service.create_producer(session, owner, ProducerCreate(name=name, province_code=province)))
            )
        for n in range(products):
            owner, producer = producers[n % len(producers)]
            data = ProductCreate(
                producer_id=producer.id,
                category=CATEGORIES[n % len(CATEGORIES)],
                name={"lo": f"ສິນຄ້າ {n}", "en": f"Product {n} of {producer.name['en']}"},
                description={"en": "Hand-made in the district, sold by the producer group. " * 3},
                price_lak=10_000 + 500 * n,
            )
            product = service.create_product(session, owner, data)
            service.submit_product(session, owner, product, producer)
            service.review_product(session, staff, product, producer, approve=True, stars=1 + n % 5, note="bench")
            ids.append(product.id)
        token = auth_service.start_session(session, staff, SessionKind.bearer, dt.timedelta(hours=2))
    db.dispose()
    return token, ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ODOP_ENV": "development",
        "ODOP_DATABASE_URL": settings.database_url,
        "ODOP_MEDIA_DIR": str(settings.media_dir),
    }
    command = [sys.executable, "-m", "uvicorn", "app.asgi:app", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen([*command, "--log-level", "warning", "--no-access-log"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def list_latencies(base: str, count: int) -> list[float]:
    """Latency of `count` sequential list requests, in milliseconds."""
    timings = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(count):
            start = time.perf_counter()
            response = client.get(LIST_URL)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and len(response.json()["items"]) == 24, response.text
    return timings


class Uploader(threading.Thread):
    """Uploads the photo in a loop, each time to the next of its products, while `running` is set."""

    def __init__(self, base: str, token: str, product_ids: list[int], photo: bytes, running: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.product_ids, self.photo, self.running = base, token, product_ids, photo, running
        self.idle = threading.Event()
        self.finished = False
        self.timings: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base, timeout=120, headers=headers) as client:
            n = 0
            while not self.finished:
                if not self.running.is_set():
                    self.idle.set()
                    self.running.wait(0.1)
                    continue
                self.idle.clear()
                product_id = self.product_ids[n % len(self.product_ids)]
                n += 1
                start = time.perf_counter()
                response = client.post(
                    f"/api/v1/products/{product_id}/images", files={"file": ("photo.jpg", self.photo, "image/jpeg")}
                )
                if response.status_code == 201:
                    self.timings.append((time.perf_counter() - start) * 1000)
                else:
                    self.failures.append(f"{response.status_code} {response.text[:200]}")
            self.idle.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=300, help="published products to create (default 300)")
    parser.add_argument("--requests", type=int, default=150, help="list requests per phase (default 150)")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of quiet and busy phases (default 4)")
    parser.add_argument("--uploaders", type=int, default=4, help="concurrent upload clients (default 4)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="odop-bench-") as tmp:
        settings = Settings(
            env="development",
            database_url=f"sqlite:///{tmp}/bench.db",
            media_dir=Path(tmp) / "media",
            argon2_time_cost=1,
            argon2_memory_kib=1024,
        )
        print(f"seeding {args.products} published products …", flush=True)
        token, ids = seed(settings, args.products)
        photo = make_photo_jpeg()
        print(f"photo: 4000×3000 JPEG, {len(photo) / 1e6:.1f} MB; CPUs: {os.cpu_count()}", flush=True)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(settings, port)
        running = threading.Event()
        uploaders = [Uploader(base, token, ids[k :: args.uploaders], photo, running) for k in range(args.uploaders)]
        alone: list[float] = []
        busy: list[float] = []
        try:
            for uploader in uploaders:
                uploader.start()
            list_latencies(base, 20)  # warm-up: connections, caches, code paths
            # Quiet and busy phases alternate, so other load on the machine affects both alike.
            for round_no in range(1, args.rounds + 1):
                for uploader in uploaders:
                    uploader.idle.wait()
                alone += list_latencies(base, args.requests)
                running.set()
                time.sleep(2)  # let the uploads get going: bodies on the wire, photos being decoded
                busy += list_latencies(base, args.requests)
                running.clear()
                print(f"  round {round_no}/{args.rounds} done", flush=True)
        finally:
            for uploader in uploaders:
                uploader.finished = True
                uploader.join()
            server.terminate()
            server.wait(timeout=30)

    alone_ms, busy_ms = statistics.median(alone), statistics.median(busy)
    upload_times = [t for u in uploaders for t in u.timings]
    failures = [f for u in uploaders for f in u.failures]
    print(f"GET {LIST_URL}, median of {len(alone)} requests per condition:")
    print(f"  alone                        {alone_ms:8.1f} ms")
    print(f"  during {args.uploaders} uploads in a loop    {busy_ms:8.1f} ms")
    print(f"  ratio                        {busy_ms / alone_ms:8.2f}×  (goal ≤ 2×)")
    if upload_times:
        print(f"uploads: {len(upload_times)} done, median {statistics.median(upload_times):.0f} ms each")
    if failures:
        print(f"upload failures: {len(failures)}, e.g. {failures[0]}")


if __name__ == "__main__":
    main()
