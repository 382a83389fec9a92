"""Scaled out as docs/DEPLOYMENT.md describes it: two `odop serve` processes on one PostgreSQL database,
sharing ODOP_SECRET_KEY, a media directory and Redis (rate limits), behind Debian's nginx running the
shipped deploy/nginx.conf (only its ports and media path substituted).

A browser logs in through process 1 and writes through process 2 with the same cookies and CSRF token;
a photo uploaded through process 1 is served by process 2 and by nginx straight from the shared
directory; logging out through process 2 ends the session on process 1; failed logins split between the
processes add up to one limit (429 with Retry-After); through nginx the requests reach both processes
and the session holds.

PostgreSQL only (SQLite is one process by design). Needs /usr/sbin/nginx (`.ci/run` installs it) and
Redis (ODOP_TEST_REDIS_URL, default redis://127.0.0.1:6379/15; keys are unique to each run, nothing is
flushed). Skipped, with the reason, without nginx or Redis (without Redis on CI: failed, as in
tests/test_ratelimit.py).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from app import migrations
from app.catalogue.models import Producer, Product, ProductImage
from app.db import Database
from tests.conftest import BACKEND, fresh_database_url, make_settings
from tests.faults.conftest import (
    PASSWORD,
    REPO,
    Accounts,
    Served,
    free_port,
    odop_env,
    odop_servers,
    photo,
    seed_accounts,
    stop_process,
)

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql",
    reason="scale-out runs on PostgreSQL only (SQLite is one process): ODOP_TEST_BACKEND=postgresql",
)

REDIS_URL = os.environ.get("ODOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SHIPPED_CONF = REPO / "deploy" / "nginx.conf"


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def render_nginx_conf(shipped: str, upstream_ports: list[int], listen_port: int, media: Path) -> str:
    """deploy/nginx.conf as shipped, with the test's ports and media directory put in."""
    replacements = [
        ("127.0.0.1:8001", f"127.0.0.1:{upstream_ports[0]}"),
        ("127.0.0.1:8002", f"127.0.0.1:{upstream_ports[1]}"),
        ("listen 8080;", f"listen 127.0.0.1:{listen_port};"),
        ("alias /srv/odop/media/;", f"alias {media}/;"),
    ]
    for old, new in replacements:
        assert shipped.count(old) == 1, f"deploy/nginx.conf no longer has exactly one {old!r}: update this test"
        shipped = shipped.replace(old, new)
    return shipped


def nginx_main_conf(root: Path) -> str:
    """The surroundings /etc/nginx/nginx.conf would give the shipped file (an http block including it),
    with every path of its own under `root`. Upstream addresses are logged to tell the processes apart."""
    user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read the test's 0700 temp dirs
    mime = "include /etc/nginx/mime.types;\n    " if Path("/etc/nginx/mime.types").exists() else ""
    temp = "\n    ".join(
        f"{kind}_temp_path {root / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {root / "nginx.pid"};
error_log {root / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
    {mime}default_type application/octet-stream;
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {root / "access.log"} upstreams;
    {temp}
    include {root / "odop.conf"};
}}
"""


@dataclass
class Cluster:
    nginx: str
    processes: list[Served]
    nginx_root: Path
    db: Database
    media: Path
    accounts: Accounts
    emails: list[str]  # of accounts.owners: one per test

    @property
    def p1(self) -> str:
        return self.processes[0].url

    @property
    def p2(self) -> str:
        return self.processes[1].url

    def upstreams_used(self) -> list[str]:
        """Each request nginx proxied so far: 'METHOD URI STATUS upstream-address'."""
        return (self.nginx_root / "access.log").read_text().splitlines()


@pytest.fixture(scope="module")
def cluster(tmp_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Set up once for this module's tests (about 5 s); each test uses accounts of its own."""
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run does it when run as root)")
    if not redis_reachable():
        reason = f"no Redis at {REDIS_URL} (ODOP_TEST_REDIS_URL)"
        if os.environ.get("CI"):  # as in tests/test_ratelimit.py: CI has Redis
            pytest.fail(reason)
        pytest.skip(reason)
    assert nginx is not None
    tmp_path = tmp_path_factory.mktemp("scale-out")
    media = tmp_path / "shared-media"
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database_url(tmp_root))
        settings = make_settings(url, media)
        db = Database.from_settings(settings)
        stack.callback(db.dispose)
        migrations.upgrade(db.engine)
        accounts = seed_accounts(db, settings, producers=2)
        with db.session(write=False) as s:
            from app.auth.models import User

            emails = [s.get(User, owner).email for owner in accounts.owners]  # type: ignore[union-attr]

        env = odop_env(url, media, ODOP_REDIS_URL=REDIS_URL)
        processes = stack.enter_context(odop_servers(env, tmp_path / "logs", count=2))

        root = tmp_path / "nginx"
        root.mkdir()
        port = free_port()
        shipped = SHIPPED_CONF.read_text(encoding="utf-8")
        (root / "odop.conf").write_text(
            render_nginx_conf(shipped, [int(p.url.rsplit(":", 1)[1]) for p in processes], port, media)
        )
        (root / "nginx.conf").write_text(nginx_main_conf(root))
        out = (root / "stdout.log").open("ab")
        stack.callback(out.close)
        proc = subprocess.Popen(
            [
                nginx,
                "-p",
                str(root),
                "-c",
                str(root / "nginx.conf"),
                "-e",
                str(root / "error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop_process, proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            log = (root / "error.log").read_text() if (root / "error.log").exists() else ""
            assert proc.poll() is None, f"nginx exited: {log[-2000:]}"
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"nginx did not start: {log[-2000:]}"
            time.sleep(0.05)
        yield Cluster(base, processes, root, db, media, accounts, emails)
        for served in processes:  # no process logged a server error while the test ran
            assert "Traceback" not in served.log_text(), served.log_text()[-3000:]


class Browser:
    """What a browser keeps between requests: its cookies. It may send each request to any host (process);
    cookies are sent by hand, so which cookies went where is explicit. A fixed client address (as
    X-Forwarded-For, which the processes trust from loopback) keeps this run's rate-limit keys apart."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"

    def request(self, method: str, url: str, *, headers: dict[str, str] | None = None, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
        sent = {"X-Forwarded-For": self.address, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = httpx.request(method, url, headers=sent, follow_redirects=False, timeout=15, **kwargs)
        for raw in response.headers.get_list("set-cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, url: str, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.request("POST", url, **kwargs)


def form_token(html: str) -> str:
    """The CSRF token a page was rendered with (login form, or the logged-in layout's meta tag)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(browser: Browser, base: str, email: str, password: str = PASSWORD) -> httpx.Response:
    page = browser.get(f"{base}/login")
    assert page.status_code == 200
    return browser.post(
        f"{base}/login", data={"email": email, "password": password, "next": "/my", "csrf_token": form_token(page.text)}
    )


def test_log_in_through_one_process_and_write_through_the_other(cluster: Cluster):
    started = time.monotonic()
    p1, p2, db = cluster.p1, cluster.p2, cluster.db
    producer_id = cluster.accounts.producers[0]
    browser = Browser()

    # log in through process 1
    r = log_in(browser, p1, cluster.emails[0])
    assert r.status_code == 303 and r.headers["location"] == "/my", r.text
    assert {"odop_session", "odop_csrf"} <= browser.cookies.keys()
    r = browser.get(f"{p1}/my")
    assert r.status_code == 200
    token = form_token(r.text)
    assert token == browser.cookies["odop_csrf"]

    # process 2 knows the session (PostgreSQL) and accepts process 1's CSRF cookie (shared secret): it
    # renders the same token and sets no new cookie
    r = browser.get(f"{p2}/my/producer")
    assert r.status_code == 200, r.status_code
    assert form_token(r.text) == token and "set-cookie" not in r.headers

    # a write through process 2 without the token is refused; with it, it is stored
    new_name = f"Weavers {uuid.uuid4().hex[:6]}"
    profile = {"name_lo": "ກຸ່ມແສ່ວ", "name_en": new_name, "province_code": "LA-LP"}
    assert browser.post(f"{p2}/my/producer", data=profile).status_code == 403
    r = browser.post(f"{p2}/my/producer", data={**profile, "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/my", r.text
    with db.session(write=False) as s:
        assert s.get(Producer, producer_id).name["en"] == new_name  # type: ignore[union-attr]

    r = browser.post(
        f"{p2}/my/products/new",
        data={
            "csrf_token": token,
            "producer_id": str(producer_id),
            "category": "silk",
            "name_lo": "ຜ້າໄໝ",
            "name_en": "Silk scarf",
            "price_lak": "250000",
        },
    )
    assert r.status_code == 303, r.text
    product_id = int(re.fullmatch(r"/my/products/(\d+)\?saved=1", r.headers["location"]).group(1))  # type: ignore[union-attr]
    with db.session(write=False) as s:
        product = s.get(Product, product_id)
        assert product is not None and product.producer_id == producer_id and product.price_lak == 250000

    # a photo uploaded through process 1 (as htmx sends it) lands in the shared directory…
    r = browser.post(
        f"{p1}/my/products/{product_id}/photos",
        files={"file": ("scarf.jpg", photo(), "image/jpeg")},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert r.status_code == 200, r.text
    with db.session(write=False) as s:
        images = list(s.exec(select(ProductImage).where(ProductImage.product_id == product_id)))
    assert len(images) == 1
    for relpath in images[0].paths.values():
        on_disk = (cluster.media / relpath).read_bytes()
        # …process 2 serves it…
        r = httpx.get(f"{p2}/media/{relpath}", timeout=10)
        assert r.status_code == 200 and r.content == on_disk and r.headers["content-type"] == "image/webp"
        # …and so does nginx, itself, from the directory (the app would have added X-Request-ID)
        r = httpx.get(f"{cluster.nginx}/media/{relpath}", timeout=10)
        assert r.status_code == 200 and r.content == on_disk, r.status_code
        assert r.headers["content-type"] == "image/webp" and "immutable" in r.headers["cache-control"]
        assert "x-request-id" not in r.headers

    # through nginx: the requests of one session go to both processes, and every write succeeds
    for price in range(300_000, 300_006):
        r = browser.post(
            f"{cluster.nginx}/my/products/{product_id}",
            data={
                "csrf_token": token,
                "category": "silk",
                "name_lo": "ຜ້າໄໝ",
                "name_en": "Silk scarf",
                "price_lak": str(price),
            },
        )
        assert r.status_code == 303, (r.status_code, r.text[:500])
    with db.session(write=False) as s:
        assert s.get(Product, product_id).price_lak == 300_005  # type: ignore[union-attr]
    writes = [line for line in cluster.upstreams_used() if line.startswith(f"POST /my/products/{product_id} 303")]
    assert {line.rsplit(" ", 1)[1] for line in writes} == {p1.removeprefix("http://"), p2.removeprefix("http://")}

    # logging out through process 2 ends the session on process 1 (and behind nginx)
    session_cookie = dict(browser.cookies)
    r = browser.post(f"{p2}/logout", data={"csrf_token": token})
    assert r.status_code == 303 and "odop_session" not in browser.cookies
    stale = Browser()
    stale.cookies = session_cookie
    r = stale.get(f"{p1}/my")
    assert r.status_code == 303 and r.headers["location"].startswith("/login"), r.status_code
    assert stale.get(f"{p1}/api/v1/auth/me").status_code == 401
    assert stale.get(f"{cluster.nginx}/api/v1/auth/me").status_code == 401
    r = stale.post(f"{p1}/my/producer", data={**profile, "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert time.monotonic() - started < 15


def test_failed_logins_on_both_processes_count_together(cluster: Cluster):
    """LOGIN_FAILURES_PER_ACCOUNT is 5 per 15 minutes. Alone, neither process reaches it (3 and 2 failures);
    counted together in Redis, the sixth attempt is refused wherever it goes, even with the right password."""
    from app.ratelimit import LOGIN_FAILURES_PER_ACCOUNT

    allowed = int(LOGIN_FAILURES_PER_ACCOUNT.split("/")[0])
    browser = Browser()
    for n in range(allowed):
        r = log_in(browser, cluster.processes[n % 2].url, cluster.emails[1], password="wrong password")
        assert r.status_code == 401, (n, r.status_code)
    for base in (cluster.p2, cluster.p1, cluster.nginx):
        r = log_in(browser, base, cluster.emails[1])
        assert r.status_code == 429, (base, r.status_code)
        assert 1 <= int(r.headers["retry-after"]) <= 15 * 60 + 1
        assert "odop_session" not in browser.cookies

    import redis

    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{cluster.emails[1]}*")
    assert keys, "the failures were not counted in Redis"
