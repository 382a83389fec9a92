"""A real server and Debian's Chromium for browser tests.

The server runs the real app (uvicorn, in a thread) on its own database with real commits, so the
browser sees exactly what a person would. Chromium comes from Debian (`/usr/bin/chromium`); Playwright
never downloads a browser. Without Chromium the tests are skipped with a clear message, except on CI,
where they must run (.ci/run installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from app import migrations
from app.db import Database
from tests.conftest import fresh_database_url, make_settings

CHROMIUM = os.environ.get("ODOP_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium package")
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(tmp_root: Path, chromium_path: str) -> Iterator[dict]:
    """The app served on 127.0.0.1 with a small known catalogue; yields its base URL and the database."""
    from app.main import create_app
    from tests.browser.seed import seed_browser_catalogue

    with fresh_database_url(tmp_root) as url:
        settings = make_settings(url, tmp_root / "browser-media")
        database = Database.from_settings(settings)
        migrations.upgrade(database.engine)
        app = create_app(settings, database=database)
        facts = seed_browser_catalogue(database, app)
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "the test server did not start"
        try:
            yield {"base_url": f"http://127.0.0.1:{port}", "db": database, "app": app, **facts}
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            database.dispose()


@pytest.fixture(scope="session")
def browser(chromium_path: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server["base_url"], viewport={"width": 390, "height": 844}, locale="lo-LA"
    )
    page = context.new_page()
    yield page
    context.close()


def run_axe(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Serious and critical accessibility violations on the current page (axe-core, vendored)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
