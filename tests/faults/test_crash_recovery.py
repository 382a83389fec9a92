"""The server killed with SIGKILL while photos are being uploaded, and `odop import` killed in the middle
of a large file: after a restart nothing is half-written.

The service runs as `odop serve` / `odop import` in a subprocess, on a database and media directory of
its own. To kill it at the worst moment rather than by luck, `_LAUNCHER` runs the same `odop` command
with one function wrapped so that it stops at a chosen point (inside the transaction of the third
photo's insert, after its files were written and its row flushed; or after two chunks of the import
were written into its transaction), tells the test by a marker file, and waits to be killed. A second
test kills a plain `odop serve` under a burst of uploads at whatever point it has reached.

After the restart: SQLite's `PRAGMA integrity_check` is ok; every photo row has its files, its audit
entry, and was acknowledged (201) before the kill or not at all; files that no row references (written
before the kill, never committed) are exactly what `app.media.sweep.sweep_orphans` removes, after
which the media directory holds exactly the files of the stored photos; the import left no row.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from app import migrations
from app.audit.models import AuditEvent
from app.catalogue.models import Producer, Product, ProductImage
from app.db import Database, make_engine
from app.media.storage import MediaStore
from app.media.sweep import sweep_orphans
from tests.conftest import BACKEND, fresh_database_url
from tests.faults.conftest import Accounts, bearer, free_port, media_files, photo, referenced_files, seed_accounts

REPO = Path(__file__).resolve().parents[2]

_LAUNCHER = '''
"""`odop` with one function wrapped to stop at a chosen point (ODOP_TEST_HOLD) until killed."""
import os, sys, time
from pathlib import Path

hold, marker = os.environ.get("ODOP_TEST_HOLD", ""), Path(os.environ.get("ODOP_TEST_MARKER", "/nonexistent"))


def stop_here(note):
    marker.write_text(str(note))
    time.sleep(600)


if hold.startswith("photo:"):  # inside the insert's transaction of the n-th photo, after its row is flushed
    from app.catalogue import images

    nth, seen, original = int(hold.split(":")[1]), [], images.add_image

    def add_image(*args, **kwargs):
        image = original(*args, **kwargs)
        seen.append(image.id)
        if len(seen) == nth:
            stop_here(image.id)
        return image

    images.add_image = add_image
elif hold.startswith("import:"):  # after n chunks of rows were written into the import's transaction
    from app.catalogue import bulk

    nth, original = int(hold.split(":")[1]), bulk.import_csv

    def import_csv(*args, on_progress=None, **kwargs):
        calls = []

        def progress(done, total):
            calls.append(done)
            if len(calls) == nth and total and done < total:
                stop_here(done)
            if on_progress:
                on_progress(done, total)

        return original(*args, on_progress=progress, **kwargs)

    bulk.import_csv = import_csv

from app.cli import main

sys.argv = ["odop", *sys.argv[1:]]
main()
'''


@dataclass
class Service:
    url: str
    media_root: Path
    tmp: Path
    env: dict[str, str]
    db: Database


@pytest.fixture
def service(tmp_root: Path, tmp_path: Path) -> Iterator[Service]:
    """A migrated database and an empty media directory for `odop` subprocesses, plus a Database on it."""
    with fresh_database_url(tmp_root) as url:
        engine = make_engine(url)
        migrations.upgrade(engine)
        media = tmp_path / "media"
        env = {
            **os.environ,
            "ODOP_DATABASE_URL": url,
            "ODOP_MEDIA_DIR": str(media),
            "ODOP_ENV": "test",
            "ODOP_SECRET_KEY": "crash-test-secret-key-0123456789abcdef",
            "ODOP_PAGE_CACHE_SECONDS": "0",
            "ODOP_REDIS_URL": "",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("ODOP_TEST_HOLD", None)
        (tmp_path / "launcher.py").write_text(_LAUNCHER, encoding="utf-8")
        db = Database(engine)
        try:
            yield Service(url, media, tmp_path, env, db)
        finally:
            db.dispose()


def odop(service: Service, *args: str, hold: str | None = None, log: str = "odop") -> subprocess.Popen[bytes]:
    """`odop ARGS` in a subprocess: the installed console script, or the launcher when `hold` is given."""
    env = dict(service.env)
    script = Path(sys.executable).with_name("odop")
    if hold or not script.exists():
        command = [sys.executable, str(service.tmp / "launcher.py"), *args]
        if hold:
            env["ODOP_TEST_HOLD"] = hold
            env["ODOP_TEST_MARKER"] = str(service.tmp / "marker")
    else:
        command = [str(script), *args]
    out = (service.tmp / f"{log}.log").open("ab")
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


@contextmanager
def serving(service: Service, hold: str | None = None, log: str = "serve") -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    proc = odop(service, "serve", "--host", "127.0.0.1", "--port", str(port), hold=hold, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"odop serve exited: {(service.tmp / f'{log}.log').read_text()[-2000:]}"
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "odop serve did not start"
            time.sleep(0.05)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def kill(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def wait_for_marker(service: Service, proc: subprocess.Popen, seconds: float = 30) -> str:  # type: ignore[type-arg]
    marker = service.tmp / "marker"
    deadline = time.monotonic() + seconds
    while not marker.exists() or not marker.read_text():
        assert proc.poll() is None, "the process ended before reaching the point where it is killed"
        assert time.monotonic() < deadline, "the process never reached the point where it is killed"
        time.sleep(0.02)
    return marker.read_text()


def check_database(service: Service) -> None:
    """The database file is sound after the crash (SQLite); on PostgreSQL the server vouches for it."""
    service.db.engine.dispose()  # no connection from before the crash
    if BACKEND == "sqlite":
        with service.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def new_product(service: Service, accounts: Accounts) -> int:
    from app.auth.models import User
    from app.catalogue import service as catalogue
    from app.catalogue.schemas import ProductCreate

    with service.db.session(write=True) as s:
        owner = s.get(User, accounts.owners[0])
        product = catalogue.create_product(
            s, owner, ProductCreate(producer_id=accounts.producers[0], category="silk", name={"lo": "ຜ້າ"})
        )
        s.flush()
        return product.id


def upload_all(
    base: str, accounts: Accounts, product: int, photos: list[bytes]
) -> tuple[list[httpx.Response | Exception], list[threading.Thread]]:
    """Upload every photo at once (one thread each); a killed server gives transport errors."""
    results: list[httpx.Response | Exception] = [RuntimeError("not sent")] * len(photos)

    def send(i: int) -> None:
        try:
            results[i] = httpx.post(
                f"{base}/api/v1/products/{product}/images",
                files={"file": ("p.jpg", photos[i], "image/jpeg")},
                headers=bearer(accounts, accounts.owners[0]),
                timeout=60,
            )
        except httpx.TransportError as exc:
            results[i] = exc

    threads = [threading.Thread(target=send, args=(i,), daemon=True) for i in range(len(photos))]
    for t in threads:
        t.start()
        time.sleep(0.01)  # in order, roughly
    return results, threads


def check_photos_after_restart(service: Service, base: str, product: int, acknowledged: set[int]) -> None:
    """Rows: exactly the acknowledged photos, each with its audit entry and its files (served).
    Files: the orphans of uncommitted uploads are swept, then exactly the rows' files remain."""
    with service.db.session(write=False) as s:
        rows = list(s.exec(select(ProductImage).where(ProductImage.product_id == product)))
        audited = {
            e.details.get("image_id")
            for e in s.exec(select(AuditEvent).where(AuditEvent.action == "product.photo_add"))
        }
    assert {r.id for r in rows} == acknowledged
    assert audited == acknowledged
    assert sorted(r.position for r in rows) == list(range(len(rows)))
    store = MediaStore(service.media_root)
    for row in rows:
        for relpath in row.paths.values():
            assert store.path_for(relpath).is_file(), f"photo {row.id} lost its file {relpath}"
    for row in rows:  # served again after the restart
        assert httpx.get(f"{base}/media/{row.paths['320']}", timeout=10).status_code == 200

    referenced = referenced_files(service.db)
    leftovers = media_files(service.media_root) - referenced
    orphans = {p for p in leftovers if not p.rsplit("/", 1)[-1].startswith(".tmp-")}  # the rest: temporary files
    swept = sweep_orphans(service.db, store, older_than_seconds=0)
    assert set(swept.removed) == orphans
    assert swept.temporary_removed == len(leftovers - orphans)
    assert media_files(service.media_root) == referenced  # no orphan, no temporary file, nothing missing


def test_kill_inside_the_transaction_of_an_upload_leaves_no_half_photo(service: Service):
    accounts = seed_accounts(service.db, _settings(service))
    product = new_product(service, accounts)
    photos = [photo(900, 700) for _ in range(6)]

    with serving(service, hold="photo:3", log="serve-held") as (base, proc):
        results, threads = upload_all(base, accounts, product, photos)
        held_id = int(wait_for_marker(service, proc))
        # the third photo's files are written and its row flushed, uncommitted: kill now
        kill(proc)
        for t in threads:
            t.join(timeout=30)
    acknowledged = {r.json()["id"] for r in results if isinstance(r, httpx.Response) and r.status_code == 201}
    assert all(isinstance(r, Exception) or r.status_code == 201 for r in results), results
    assert len(acknowledged) == 2 and held_id not in acknowledged
    check_database(service)
    assert media_files(service.media_root) - referenced_files(service.db), "the held upload wrote no file?"

    with serving(service, log="serve-after") as (base, _proc):
        check_photos_after_restart(service, base, product, acknowledged)
        # and the service takes photos again
        r = httpx.post(
            f"{base}/api/v1/products/{product}/images",
            files={"file": ("p.jpg", photo(), "image/jpeg")},
            headers=bearer(accounts, accounts.owners[0]),
            timeout=60,
        )
        assert r.status_code == 201, r.text


def test_kill_during_a_burst_of_uploads_loses_nothing_acknowledged(service: Service):
    accounts = seed_accounts(service.db, _settings(service))
    product = new_product(service, accounts)
    photos = [photo(1000, 750) for _ in range(10)]

    with serving(service, log="serve-burst") as (base, proc):
        results, threads = upload_all(base, accounts, product, photos)
        deadline = time.monotonic() + 30
        while sum(isinstance(r, httpx.Response) for r in results) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        kill(proc)  # wherever the others are: receiving, decoding, writing files, inserting
        for t in threads:
            t.join(timeout=30)
    assert all(isinstance(r, Exception) or r.status_code == 201 for r in results), results
    acknowledged = {r.json()["id"] for r in results if isinstance(r, httpx.Response)}
    assert 2 <= len(acknowledged) <= 10
    check_database(service)

    with serving(service, log="serve-after-burst") as (base, _proc):
        check_photos_after_restart(service, base, product, acknowledged)


def _csv(rows: int) -> bytes:
    from app.catalogue import bulk

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(bulk.COLUMNS)
    for n in range(rows):
        values = {
            "producer_name_lo": f"ກຸ່ມຜະລິດ {n // 100}",
            "producer_name_en": f"Makers {n // 100}",
            "province_code": "LA-LP",
            "category": "silk",
            "name_lo": f"ຜ້າໄໝ {n}",
            "name_en": f"Silk {n}",
            "price_lak": str(100_000 + n),
            "status": "draft",
        }
        writer.writerow([values.get(c, "") for c in bulk.COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _counts(db: Database) -> tuple[int, int, int]:
    with db.session(write=False) as s:
        return (
            s.exec(select(sa.func.count()).select_from(Producer)).one(),
            s.exec(select(sa.func.count()).select_from(Product)).one(),
            s.exec(
                select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "catalogue.import")
            ).one(),
        )


def test_kill_in_the_middle_of_an_import_leaves_no_row(service: Service):
    accounts = seed_accounts(service.db, _settings(service))
    before = _counts(service.db)
    source = service.tmp / "catalogue.csv"
    source.write_bytes(_csv(4000))

    proc = odop(service, "import", str(source), "--as", accounts.staff_email, hold="import:2", log="import")
    try:
        written = int(wait_for_marker(service, proc, seconds=60))
        assert 0 < written < source.stat().st_size  # two chunks of rows are in the transaction
        kill(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    check_database(service)
    assert _counts(service.db) == before
    # nothing holds the database: a write goes through at once
    with service.db.session(write=True) as s:
        s.add(AuditEvent(action="test.after_crash", entity_type="test"))
    # and the same import, run to the end, stores everything
    done = odop(service, "import", str(source), "--as", accounts.staff_email, log="import-again")
    assert done.wait(timeout=120) == 0, (service.tmp / "import-again.log").read_text()[-2000:]
    producers, products, imports = _counts(service.db)
    assert (producers - before[0], products - before[1], imports - before[2]) == (40, 4000, 1)


def _settings(service: Service):  # type: ignore[no-untyped-def]
    from tests.conftest import make_settings

    return make_settings(service.url, service.media_root)
