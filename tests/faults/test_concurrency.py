"""Many writers at once against a real server with real commits: 200 concurrent product writes and 20
concurrent photo uploads. Every request is either stored or cleanly refused (a 4xx that changed
nothing), none is lost, none fails with "database is locked", none is a 5xx; what is stored is exactly
what the successful answers said.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AuditEvent
from app.catalogue.images import MAX_IMAGES_PER_PRODUCT
from app.catalogue.models import Product, ProductImage
from tests.faults.conftest import LiveServer, bearer, media_files, photo, referenced_files, seed_accounts

WRITES = 200
UPLOADS = 20


def run_at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response | BaseException]:
    """Run every call in its own thread, all released together; results in call order."""
    gate = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response | BaseException:
        gate.wait(timeout=30)
        try:
            return call()
        except BaseException as exc:  # a connection error is a finding too, reported below
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def check_clean(results: list[httpx.Response | BaseException], server: LiveServer) -> list[httpx.Response]:
    """No transport error, no 5xx, every refusal is problem+json, nothing about a locked database."""
    failures = [r for r in results if isinstance(r, BaseException)]
    assert not failures, failures[:3]
    responses = [r for r in results if isinstance(r, httpx.Response)]
    bad = [(r.status_code, r.text[:200]) for r in responses if r.status_code >= 500]
    assert not bad, bad[:5]
    for r in responses:
        assert "database is locked" not in r.text
        if r.status_code >= 400:
            assert r.headers["content-type"].startswith("application/problem+json"), r.text[:200]
    logged = server.errors.messages()
    assert not [m for m in logged if "locked" in m or "unhandled" in m or "unavailable" in m], logged[:5]
    return responses


def test_200_concurrent_product_writes_are_all_stored(live_server: LiveServer):
    server = live_server
    accounts = seed_accounts(server.db, server.settings, producers=4)
    # two products per producer, created first, then patched concurrently by their owners and by staff
    targets: list[tuple[int, int]] = []  # (product id, owner id)
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        for owner, producer in zip(accounts.owners, accounts.producers, strict=True):
            for n in range(2):
                body = {"producer_id": producer, "category": "silk", "name": {"lo": f"ຜ້າ {n}"}, "price_lak": 1}
                r = client.post("/api/v1/products", json=body, headers=bearer(accounts, owner))
                assert r.status_code == 201, r.text
                targets.append((r.json()["id"], owner))

    calls: list[Callable[[], httpx.Response]] = []
    plan: list[tuple[str, int, int]] = []  # (kind, product id or producer id, value)

    def post(producer: int, owner: int, n: int) -> Callable[[], httpx.Response]:
        body = {"producer_id": producer, "category": "silk", "name": {"lo": f"ສິນຄ້າ {n}", "en": f"Item {n}"}}
        return lambda: httpx.post(
            f"{server.base_url}/api/v1/products", json=body, headers=bearer(accounts, owner), timeout=90
        )

    def patch(product: int, who: int, price: int) -> Callable[[], httpx.Response]:
        return lambda: httpx.patch(
            f"{server.base_url}/api/v1/products/{product}",
            json={"price_lak": price},
            headers=bearer(accounts, who),
            timeout=90,
        )

    for n in range(WRITES):
        if n % 2 == 0:
            i = (n // 2) % len(accounts.owners)
            calls.append(post(accounts.producers[i], accounts.owners[i], n))
            plan.append(("post", accounts.producers[i], n))
        else:
            product, owner = targets[(n // 2) % len(targets)]
            who = accounts.staff_id if n % 3 == 0 else owner
            calls.append(patch(product, who, 10_000 + n))
            plan.append(("patch", product, 10_000 + n))

    responses = check_clean(run_at_once(calls), server)
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 201}, statuses  # nothing here may be refused: all valid, all allowed

    with server.db.session(write=False) as s:
        # every acknowledged creation is there, with what was sent
        created = {r.json()["id"]: n for (kind, _p, n), r in zip(plan, responses, strict=True) if kind == "post"}
        assert len(created) == WRITES // 2
        rows = {p.id: p for p in s.exec(select(Product).where(Product.id.in_(list(created))))}
        assert set(rows) == set(created)
        for product_id, n in created.items():
            assert rows[product_id].name["lo"] == f"ສິນຄ້າ {n}"
        total = s.exec(select(sa.func.count()).select_from(Product)).one()
        assert total == WRITES // 2 + len(targets)

        # every acknowledged edit happened: one audit entry each, and the final price is one of them
        for product_id, _owner in targets:
            sent = [v for (kind, p, v) in plan if kind == "patch" and p == product_id]
            answered = [
                r.json()["price_lak"]
                for (kind, p, _v), r in zip(plan, responses, strict=True)
                if kind == "patch" and p == product_id
            ]
            assert sorted(answered) == sorted(sent)  # each answer shows its own write
            final = s.get(Product, product_id).price_lak
            assert final in sent
            audited = s.exec(
                select(sa.func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "product.update", AuditEvent.entity_id == product_id)
            ).one()
            assert audited == len(sent)


def test_20_concurrent_uploads_fill_the_product_and_the_rest_are_refused_cleanly(live_server: LiveServer):
    server = live_server
    accounts = seed_accounts(server.db, server.settings, producers=1)
    owner, producer = accounts.owners[0], accounts.producers[0]
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        body = {"producer_id": producer, "category": "silk", "name": {"lo": "ຜ້າ"}}
        product = client.post("/api/v1/products", json=body, headers=bearer(accounts, owner)).json()["id"]

    photos = [photo() for _ in range(UPLOADS)]

    def upload(data: bytes, who: int) -> Callable[[], httpx.Response]:
        return lambda: httpx.post(
            f"{server.base_url}/api/v1/products/{product}/images",
            files={"file": ("p.jpg", data, "image/jpeg")},
            headers=bearer(accounts, who),
            timeout=120,
        )

    # owners and staff (acting for them) upload at once
    calls = [upload(data, accounts.staff_id if i % 4 == 0 else owner) for i, data in enumerate(photos)]
    responses = check_clean(run_at_once(calls), server)
    statuses = Counter(r.status_code for r in responses)
    # the product takes MAX_IMAGES_PER_PRODUCT photos; the others are a clean 409
    assert statuses == {201: MAX_IMAGES_PER_PRODUCT, 409: UPLOADS - MAX_IMAGES_PER_PRODUCT}, statuses

    accepted = {r.json()["id"]: r.json() for r in responses if r.status_code == 201}
    with server.db.session(write=False) as s:
        rows = list(s.exec(select(ProductImage).where(ProductImage.product_id == product)))
    assert {row.id for row in rows} == set(accepted)
    assert sorted(row.position for row in rows) == list(range(MAX_IMAGES_PER_PRODUCT))  # contiguous, no duplicates
    for row in rows:
        assert {f"/media/{p}" for p in row.paths.values()} == set(accepted[row.id]["urls"].values())

    # files: exactly those of the stored photos; the refused uploads took theirs back
    on_disk = media_files(server.media_root)
    assert on_disk == referenced_files(server.db), sorted(on_disk ^ referenced_files(server.db))[:5]
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        for url in next(iter(accepted.values()))["urls"].values():
            assert client.get(url).status_code == 200


def test_other_writers_go_on_while_the_scheduler_solves(live_server: LiveServer, monkeypatch):
    """The solver runs for seconds without a transaction or the SQLite write turn: a producer's edit made
    meanwhile is stored at once, and the schedule is stored after it."""
    from app.events import scheduling

    accounts = seed_accounts(live_server.db, live_server.settings)
    owner, staff = accounts.owners[0], accounts.staff_id
    solving, release = threading.Event(), threading.Event()
    real_solve = scheduling.solve

    def slow_solve(prepared, *args, **kwargs):  # type: ignore[no-untyped-def]
        solving.set()
        assert release.wait(timeout=30)
        return real_solve(prepared, *args, **kwargs)

    monkeypatch.setattr(scheduling, "solve", slow_solve)
    with httpx.Client(base_url=live_server.base_url, timeout=60) as client:
        event = client.post(
            "/api/v1/events",
            headers=bearer(accounts, staff),
            json={
                "name": "Border fair matching",
                "province_code": "LA-LP",
                "venue": "Chamber of Commerce",
                "starts_at": "2031-03-10T09:00:00+07:00",
                "ends_at": "2031-03-10T11:00:00+07:00",
                "slot_minutes": 30,
                "tables": 2,
            },
        )
        assert event.status_code == 201, event.text
        with ThreadPoolExecutor(max_workers=1) as pool:
            scheduled = pool.submit(
                client.post, f"/api/v1/events/{event.json()['id']}/schedule", headers=bearer(accounts, staff)
            )
            assert solving.wait(timeout=30)
            body = {"producer_id": accounts.producers[0], "category": "silk", "name": {"lo": "ຜ້າໄໝ"}}
            edit = client.post("/api/v1/products", json=body, headers=bearer(accounts, owner), timeout=5)
            assert edit.status_code == 201, edit.text  # not held up behind the solver
            release.set()
            assert scheduled.result().status_code == 200, scheduled.result().text
    check_clean([edit, scheduled.result()], live_server)
