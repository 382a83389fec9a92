"""A producer signs up, adds a product with a photo and submits it; staff approve it, and it appears in its
province's online showroom — in a real browser."""

from __future__ import annotations

import io
import re

from PIL import Image


def _photo(tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "scarf.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 60, 140)).save(buf, "JPEG", quality=85)
    path.write_bytes(buf.getvalue())
    return str(path)


def test_producer_to_staff_to_showroom(browser, live_server, tmp_path):
    producer = browser.new_context(base_url=live_server["base_url"], viewport={"width": 390, "height": 844})
    page = producer.new_page()
    page.goto("/register?lang=en")
    page.check("input[name=role][value=producer]")
    page.fill("#display_name", "Nong Khiaw silk group")
    page.fill("#email", "nongkhiaw@browser.la")
    page.fill("#password", "a strong password")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/my$"))
    page.click("text=Create my producer profile")
    page.fill("#name_lo", "ກຸ່ມຜ້າໄໝໜອງຂຽວ")
    page.fill("#name_en", "Nong Khiaw silk group")
    page.select_option("#province_code", "LA-LP")
    page.fill("#district", "Ngoi")
    page.click("#producer-form button[type=submit]")
    page.wait_for_url(re.compile(r"/my$"))
    page.click("text=Add a product")
    page.select_option("#category", "silk")
    page.fill("#name_lo", "ຜ້າພັນຄໍໄໝຄາມ")
    page.fill("#name_en", "Indigo silk scarf")
    page.fill("#price_lak", "-3")  # live validation shows the error in place
    page.locator("#price_lak").blur()
    page.wait_for_selector("#price_lak-error")
    page.fill("#price_lak", "380000")
    page.locator("#price_lak").blur()
    page.wait_for_selector("#price_lak-error", state="detached")
    page.click("#product-form button[type=submit]")
    page.wait_for_url(re.compile(r"/my/products/\d+\?saved=1"))
    product_id = int(re.search(r"/my/products/(\d+)", page.url).group(1))
    page.set_input_files("#photo-file", _photo(tmp_path))
    page.click("#photo-upload button[type=submit]")
    page.wait_for_selector("#photos .photo-list img")
    page.click("text=Send for review")
    page.wait_for_url(re.compile(r"submitted=1"))
    assert "submitted" in page.locator(".badge").first.inner_text().lower() or page.locator(".badge-submitted").count()
    producer.close()

    staff = browser.new_context(base_url=live_server["base_url"])
    page = staff.new_page()
    page.goto("/login?lang=en")
    page.fill("#email", "staff@browser.la")
    page.fill("#password", live_server["password"])
    page.click("main button[type=submit]")
    page.goto("/staff/review?lang=en")
    item = page.locator(f"#review-{product_id}")
    item.locator("select[name=stars]").select_option("4")
    item.locator("button[value=approve]").click()
    page.wait_for_selector(f"#review-{product_id}", state="detached")
    staff.close()

    visitor = browser.new_context(base_url=live_server["base_url"])
    page = visitor.new_page()
    page.goto("/provinces/LA-LP?lang=en")
    assert "Indigo silk scarf" in page.content()
    page.click("text=Indigo silk scarf")
    assert page.locator("h1").inner_text() == "Indigo silk scarf"
    assert page.locator(".gallery-main img").get_attribute("src").startswith("/media/")
    visitor.close()
