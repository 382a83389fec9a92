"""PostgreSQL goes away under load and comes back: the service answers 503 meanwhile (problem+json with
Retry-After on the API, a readable page for a browser, /healthz 503), never 500 and never hangs, and
recovers by itself (pool pre-ping) without a restart; what was written before the outage is all there.

Restarting the shared PostgreSQL server would also cut this test suite's own connections, so the outage
is made by a TCP proxy between `odop serve` (a real subprocess, ODOP_DATABASE_URL pointing at the proxy)
and PostgreSQL: it resets every open connection at once, as a server going down does, and resets every
new one until it is "back" (the checks are made outside the proxy, directly on the database).
"""

from __future__ import annotations

import selectors
import socket
import struct
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from app import migrations
from app.catalogue.models import Product
from app.db import Database
from tests.conftest import BACKEND, fresh_database_url, make_settings
from tests.faults.conftest import Accounts, Served, bearer, odop_env, odop_servers, seed_accounts

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql",
    reason="a database server outage needs PostgreSQL (SQLite is a file): ODOP_TEST_BACKEND=postgresql",
)

OUTAGE_SECONDS = 2.5
RECOVERY_SECONDS = 2.5  # every request that starts this long after the database is back succeeds
SLOWEST_ANSWER = 5.0  # no request waits longer than this, outage or not


def _reset(sock: socket.socket) -> None:
    """Close with an RST (as a crashed or restarting server's kernel does), not a polite FIN."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FlakyProxy:
    """A TCP proxy on a free loopback port to `target`, run by one thread (so sockets are only ever
    touched by it). `cut()` resets every open connection and every new one until `restore()`;
    `cut(hang=True)` accepts the new ones instead and never answers (a server that cannot be reached but
    does not refuse: host down, packets dropped)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.port = self.listener.getsockname()[1]
        self.selector = selectors.DefaultSelector()
        self.peers: dict[socket.socket, socket.socket] = {}
        self.down = False
        self.hang = False
        self.held: list[socket.socket] = []  # accepted while hanging, never answered
        self.connections = 0  # accepted and forwarded, in all
        self._wake_r, self._wake_w = socket.socketpair()
        self._orders: list[str] = []
        self._done = threading.Event()
        self._stop = False
        self.thread = threading.Thread(target=self._run, name="flaky-proxy", daemon=True)

    def __enter__(self) -> FlakyProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._order("stop")
        self.thread.join(timeout=5)

    def cut(self, *, hang: bool = False) -> None:
        self._order("cut-hang" if hang else "cut")

    def restore(self) -> None:
        self._order("restore")

    def _order(self, order: str) -> None:
        self._done.clear()
        self._orders.append(order)
        self._wake_w.send(b"x")
        assert self._done.wait(5), f"the proxy did not carry out {order!r}"

    def _close_pair(self, sock: socket.socket, *, reset: bool) -> None:
        peer = self.peers.pop(sock, None)
        for s in (sock, peer):
            if s is None:
                continue
            self.peers.pop(s, None)
            with suppress(KeyError, ValueError):
                self.selector.unregister(s)
            _reset(s) if reset else s.close()

    def _run(self) -> None:
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.selector.register(self._wake_r, selectors.EVENT_READ, "order")
        while not self._stop:
            for key, _ in self.selector.select(timeout=1):
                if key.data == "order":
                    self._wake_r.recv(64)
                    while self._orders:
                        self._carry_out(self._orders.pop(0))
                    self._done.set()
                elif key.data == "accept":
                    self._accept()
                elif key.fileobj in self.peers:
                    self._forward(key.fileobj)  # type: ignore[arg-type]
        for sock in list(self.peers):
            self._close_pair(sock, reset=True)
        for sock in self.held:
            _reset(sock)
        self.listener.close()
        self.selector.close()

    def _carry_out(self, order: str) -> None:
        if order.startswith("cut"):
            self.down, self.hang = True, order == "cut-hang"
            for sock in list(self.peers):
                self._close_pair(sock, reset=True)
        elif order == "restore":
            self.down = self.hang = False
            for sock in self.held:
                _reset(sock)
            self.held.clear()
        elif order == "stop":
            self._stop = True

    def _accept(self) -> None:
        try:
            client, _ = self.listener.accept()
        except OSError:
            return
        if self.down:
            self.held.append(client) if self.hang else _reset(client)
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            _reset(client)
            return
        for s in (client, upstream):
            s.setblocking(True)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.selector.register(s, selectors.EVENT_READ, "data")
        self.peers[client], self.peers[upstream] = upstream, client
        self.connections += 1

    def _forward(self, sock: socket.socket) -> None:
        peer = self.peers[sock]
        try:
            data = sock.recv(65536)
            if data:
                peer.sendall(data)
                return
        except OSError:
            pass
        self._close_pair(sock, reset=False)


@dataclass
class Answer:
    kind: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer (transport error or timeout)
    content_type: str = ""
    retry_after: str | None = None
    body: str = ""
    name: str | None = None  # of the product a write created


@dataclass
class Load:
    """Steady concurrent requests: API reads, pages, health checks and product writes, each kind in a loop."""

    base: str
    accounts: Accounts
    answers: list[Answer] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def request(self, kind: str, client: httpx.Client) -> tuple[str | None, httpx.Request]:
        """The next request of this kind, with the name of the product it creates (writes)."""
        if kind == "api":
            return None, client.build_request("GET", f"{self.base}/api/v1/products", params={"limit": 5})
        if kind == "page":
            page = f"{self.base}/producers/{self.accounts.producers[0]}"
            return None, client.build_request("GET", page, headers={"Accept-Language": "en"})
        if kind == "health":
            return None, client.build_request("GET", f"{self.base}/healthz")
        name = f"Outage {uuid.uuid4().hex[:10]}"
        body = {"producer_id": self.accounts.producers[0], "category": "silk", "name": {"lo": name, "en": name}}
        headers = bearer(self.accounts, self.accounts.owners[0])
        return name, client.build_request("POST", f"{self.base}/api/v1/products", json=body, headers=headers)

    def run(self, kind: str, pause: float) -> None:
        with httpx.Client(timeout=SLOWEST_ANSWER * 2) as client:
            while not self.stop.is_set():
                name, request = self.request(kind, client)
                started = time.monotonic()
                try:
                    r = client.send(request)
                    answer = Answer(
                        kind,
                        started,
                        time.monotonic(),
                        r.status_code,
                        r.headers.get("content-type", ""),
                        r.headers.get("retry-after"),
                        r.text[:20000],
                        name,
                    )
                except httpx.HTTPError as exc:
                    answer = Answer(kind, started, time.monotonic(), None, body=repr(exc))
                self.answers.append(answer)
                time.sleep(pause)


@dataclass
class Service:
    """`odop serve` whose database connections all go through `proxy`; `db` reaches the database directly."""

    url: str
    server: Served
    proxy: FlakyProxy
    db: Database
    accounts: Accounts

    def check_log(self) -> None:
        log = self.server.log_text()
        assert self.server.proc.poll() is None, f"odop serve ended: {log[-3000:]}"
        assert "unhandled error" not in log and "Traceback" not in log, log[-4000:]


@pytest.fixture(scope="module")
def service(tmp_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    tmp_path = tmp_path_factory.mktemp("outage")
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database_url(tmp_root))
        settings = make_settings(url, tmp_path / "media")
        db = Database.from_settings(settings)
        stack.callback(db.dispose)
        migrations.upgrade(db.engine)
        accounts = seed_accounts(db, settings, producers=1)
        target = sa.engine.make_url(url)
        proxy = stack.enter_context(FlakyProxy((target.host or "127.0.0.1", target.port or 5432)))
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        env = odop_env(proxied, tmp_path / "media", ODOP_DB_POOL_SIZE="5", ODOP_DB_MAX_OVERFLOW="5")
        (server,) = stack.enter_context(odop_servers(env, tmp_path / "logs"))
        yield Service(server.url, server, proxy, db, accounts)


def test_the_service_answers_503_while_postgresql_is_down_and_recovers_by_itself(service: Service):
    try:
        timeline = run_outage(service.url, service.accounts, service.proxy)
    finally:
        service.proxy.restore()
    service.check_log()
    check(timeline, service.accounts, service.db)


def test_an_unreachable_postgresql_is_a_503_after_the_connect_timeout_not_a_hang(service: Service):
    """Connections that are neither answered nor refused: each request waits at most for the connect
    timeout (app.db.POSTGRES_CONNECT_TIMEOUT_S) and answers 503; then the service is back at once."""
    from app.db import POSTGRES_CONNECT_TIMEOUT_S

    paths = ["/healthz", "/api/v1/products", f"/producers/{service.accounts.producers[0]}"]
    assert all(httpx.get(service.url + p, timeout=10).status_code == 200 for p in paths)
    answers: dict[str, tuple[int | str, float]] = {}

    def ask(path: str) -> None:
        started = time.monotonic()
        try:
            status: int | str = httpx.get(service.url + path, timeout=POSTGRES_CONNECT_TIMEOUT_S + 10).status_code
        except httpx.HTTPError as exc:
            status = repr(exc)
        answers[path] = (status, time.monotonic() - started)

    service.proxy.cut(hang=True)
    try:
        askers = [threading.Thread(target=ask, args=(p,), daemon=True) for p in paths]
        for a in askers:
            a.start()
        for a in askers:
            a.join(timeout=POSTGRES_CONNECT_TIMEOUT_S + 15)
    finally:
        service.proxy.restore()
    assert service.proxy.held == []
    for path in paths:
        status, took = answers[path]
        assert status == 503 and took < POSTGRES_CONNECT_TIMEOUT_S + 3, (path, status, took)
    started = time.monotonic()
    assert all(httpx.get(service.url + p, timeout=10).status_code == 200 for p in paths)
    assert time.monotonic() - started < 2
    service.check_log()


@dataclass
class Timeline:
    answers: list[Answer]
    cut_at: float
    restored_at: float
    forwarded_before_cut: int


def run_outage(base: str, accounts: Accounts, proxy: FlakyProxy) -> Timeline:
    load = Load(base, accounts)
    workers = [
        threading.Thread(target=load.run, args=(kind, pause), daemon=True)
        for kind, pause in (("api", 0.01), ("api", 0.01), ("page", 0.02), ("health", 0.05), ("write", 0.05))
    ]
    for w in workers:
        w.start()
    try:
        time.sleep(1.2)  # steady load first
        forwarded = proxy.connections
        cut_at = time.monotonic()
        proxy.cut()
        time.sleep(OUTAGE_SECONDS)
        restored_at = time.monotonic()
        proxy.restore()
        time.sleep(RECOVERY_SECONDS + 1.2)
    finally:
        load.stop.set()
        for w in workers:
            w.join(timeout=SLOWEST_ANSWER * 2 + 1)
    return Timeline(list(load.answers), cut_at, restored_at, forwarded)


def check(t: Timeline, accounts: Accounts, db: Database) -> None:
    answers = t.answers
    summary = _summary(t)
    assert t.forwarded_before_cut > 0, "the app did not go through the proxy"

    # never a 500, never a transport error, never a long wait
    assert all(a.status in (200, 201, 503) for a in answers), summary
    assert max(a.ended - a.started for a in answers) < SLOWEST_ANSWER, summary

    before = [a for a in answers if a.ended < t.cut_at]
    during = [a for a in answers if a.started > t.cut_at + 0.2 and a.ended < t.restored_at]
    after = [a for a in answers if a.started > t.restored_at + RECOVERY_SECONDS]
    for kind in ("api", "page", "health", "write"):
        assert [a for a in before if a.kind == kind], f"no {kind} request before the outage\n{summary}"
        assert [a for a in during if a.kind == kind], f"no {kind} request during the outage\n{summary}"
        assert [a for a in after if a.kind == kind], f"no {kind} request after the outage\n{summary}"
    assert all(a.status in (200, 201) for a in before), summary
    assert all(a.status == 503 for a in during), summary
    assert all(a.status in (200, 201) for a in after), summary

    for a in during:
        if a.kind in ("api", "write"):
            assert a.content_type == "application/problem+json", a
            assert a.retry_after and int(a.retry_after) > 0, a
            assert '"status":503' in a.body.replace(" ", ""), a
        elif a.kind == "page":
            assert a.content_type.startswith("text/html") and a.retry_after, a
            assert "Service unavailable" in a.body and "try again" in a.body, a.body
        else:
            assert a.body.replace(" ", "") == '{"status":"unavailable"}', a

    # back by itself: every kind answers again soon after the database does
    for kind in ("api", "page", "health", "write"):
        first = min(
            (a.ended for a in answers if a.kind == kind and a.started > t.restored_at and a.status in (200, 201)),
            default=None,
        )
        assert first is not None and first - t.restored_at < RECOVERY_SECONDS, f"{kind} did not recover\n{summary}"

    # every acknowledged write is stored (read directly, not through the proxy)
    acknowledged = {a.name for a in answers if a.kind == "write" and a.status == 201}
    assert {a.name for a in before if a.kind == "write"} <= acknowledged
    with db.session(write=False) as s:
        stored = {p.name["en"] for p in s.exec(select(Product).where(Product.producer_id == accounts.producers[0]))}
    assert acknowledged <= stored, acknowledged - stored


def _summary(t: Timeline) -> str:
    """Per kind of request, its answers in time order (seconds from the cut) as runs of one status, then
    the first odd answer of each kind in full, for failure messages."""
    lines = [f"outage from 0 to {t.restored_at - t.cut_at:+.2f}s"]
    for kind in ("api", "page", "health", "write"):
        runs: list[list] = []  # [status, first start, last end, count, slowest]
        for a in sorted((a for a in t.answers if a.kind == kind), key=lambda a: a.started):
            if runs and runs[-1][0] == a.status:
                runs[-1][2:] = [a.ended, runs[-1][3] + 1, max(runs[-1][4], a.ended - a.started)]
            else:
                runs.append([a.status, a.started, a.ended, 1, a.ended - a.started])
        lines.append(
            f"{kind:6}: "
            + ", ".join(
                f"{st}×{n} [{b - t.cut_at:+.2f}..{e - t.cut_at:+.2f}s, slowest {slow:.2f}s]"
                for st, b, e, n, slow in runs
            )
        )
        odd = next((a for a in t.answers if a.kind == kind and a.status not in (200, 201, 503)), None)
        if odd is not None:
            lines.append(f"  first odd {kind} answer: {odd.status} {odd.content_type} {odd.body[:1500]!r}")
    return "\n".join(lines)
