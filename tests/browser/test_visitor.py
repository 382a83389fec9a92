"""A visitor in a real browser: browse, filter, switch language, open a product; weight and accessibility."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import run_axe

# `make screenshots` refreshes docs/screenshots/; an ordinary run writes to a temp dir and leaves the docs alone.
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PAGE_WEIGHT_BUDGET = 60 * 1024  # HTML + CSS + JS, compressed, first visit


def test_visitor_browses_filters_switches_language_and_opens_a_product(page, live_server):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "lo"
    page.goto("/products")
    page.wait_for_load_state("networkidle")
    cards = page.locator(".product-grid > li")
    everything = cards.count()  # other tests may have published more in this server
    assert everything >= 4
    if not page.locator("#province").is_visible():
        page.locator("details.filters summary").click()
    page.select_option("#province", "LA-CH")  # htmx swaps only the results and pushes the URL
    page.wait_for_url(re.compile(r"province=LA-CH"))
    expect(cards).to_have_count(2)  # locator assertions: no eval, which our CSP forbids
    assert "ກາເຟອາຣາບິກາ" in page.locator("#results").inner_text()
    page.go_back()  # the back button restores the unfiltered list
    expect(cards).to_have_count(everything)
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/products")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("text=Bolaven arabica coffee")
    page.wait_for_url(re.compile(r"/products/\d+"))
    assert page.locator("h1").inner_text() == "Bolaven arabica coffee"
    assert "150,000 LAK" in page.locator(".price").first.inner_text()


def test_live_search_finds_lao_in_another_spelling(page, live_server):
    page.goto("/products")
    if not page.locator("#q").is_visible():
        page.locator("details.filters summary").click()
    page.fill("#q", "ໄຫມ")  # typed with ຫ+ມ; the product is written with ໝ
    page.wait_for_url(re.compile(r"q="))
    expect(page.locator("#results")).to_contain_text("ຜ້າໄໝມັດໝີ່")
    expect(page.locator("#results")).not_to_contain_text("ກາເຟ")  # only products with silk in their text


def _transfer_sizes(page, path: str) -> dict[str, int]:
    """Compressed bytes per resource type on a first visit (HTML, CSS, JS), measured from the responses."""
    sizes: dict[str, int] = {"document": 0, "stylesheet": 0, "script": 0, "image": 0, "font": 0}

    def on_response(response):  # type: ignore[no-untyped-def]
        kind = response.request.resource_type
        if kind not in sizes:
            return
        body = response.body()
        encoded = response.headers.get("content-encoding") == "gzip"
        sizes[kind] += len(gzip.compress(body, 6)) if encoded else len(body)

    page.on("response", on_response)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", on_response)
    return sizes


def test_first_visit_weighs_under_60_kb_compressed(browser, live_server):
    for path in ("/", "/products"):
        context = browser.new_context(base_url=live_server["base_url"], viewport={"width": 390, "height": 844})
        page = context.new_page()
        sizes = _transfer_sizes(page, path)
        context.close()
        weight = sizes["document"] + sizes["stylesheet"] + sizes["script"]
        assert weight <= PAGE_WEIGHT_BUDGET, (path, sizes)


def test_main_pages_have_no_serious_accessibility_violations(browser, live_server):
    # axe is injected as an inline script, which our CSP rightly forbids: bypass it for this check only.
    context = browser.new_context(base_url=live_server["base_url"], bypass_csp=True)
    page = context.new_page()
    for path in ("/", "/products", f"/products/{live_server['silk_id']}", "/provinces/LA-LP", "/login", "/register"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        violations = run_axe(page)
        assert not violations, (path, violations)
    context.close()


def test_screenshots_of_the_main_pages(browser, live_server, tmp_path):
    shots = DOCS_SCREENSHOTS if os.environ.get("ODOP_UPDATE_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    for width, label in ((390, "phone"), (1280, "desktop")):
        context = browser.new_context(base_url=live_server["base_url"], viewport={"width": width, "height": 900})
        page = context.new_page()
        for path, name in (
            ("/", "home"),
            ("/products?lang=en", "browse"),
            (f"/products/{live_server['silk_id']}", "product"),
        ):
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=False)
            assert (shots / f"{name}-{label}.png").stat().st_size > 5_000
        context.close()
