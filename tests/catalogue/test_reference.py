"""The 18 provinces and the categories, loaded by migration."""

from __future__ import annotations

import csv
from pathlib import Path

SHARED_PROVINCES = Path(__file__).resolve().parents[3] / "shared" / "data" / "provinces.csv"


def test_eighteen_provinces_with_three_names(client):
    provinces = client.get("/api/v1/provinces").json()
    assert len(provinces) == 18
    codes = {p["code"] for p in provinces}
    assert "LA-LP" in codes and "LA-VT" in codes and all(c.startswith("LA-") for c in codes)
    lp = next(p for p in provinces if p["code"] == "LA-LP")
    assert lp["name"] == {"lo": "ຫຼວງພະບາງ", "en": "Luang Prabang", "th": "หลวงพระบาง"}
    assert all(p["producer_count"] >= 0 and p["product_count"] >= 0 for p in provinces)


def test_provinces_match_the_shared_reference_file(client):
    if not SHARED_PROVINCES.exists():  # the repository is used without shared/ beside it
        return
    expected = {r["code"]: r["name_lo"] for r in csv.DictReader(SHARED_PROVINCES.open(encoding="utf-8"))}
    assert {p["code"]: p["name"]["lo"] for p in client.get("/api/v1/provinces").json()} == expected


def test_categories_are_the_otop_families_and_their_children(client):
    categories = client.get("/api/v1/categories").json()
    by_slug = {c["slug"]: c for c in categories}
    families = {c["slug"] for c in categories if c["parent"] is None}
    assert families == {"food", "beverages", "textiles", "handicrafts", "herbal"}
    for slug, parent in [
        ("silk", "textiles"),
        ("coffee", "beverages"),
        ("tea", "beverages"),
        ("bamboo-rattan", "handicrafts"),
        ("honey", "food"),
    ]:
        assert by_slug[slug]["parent"] == parent
    assert by_slug["silk"]["name"]["lo"] == "ຜ້າໄໝ" and by_slug["coffee"]["name"]["th"] == "กาแฟ"
    assert all(c["name"]["lo"] and c["name"]["en"] and c["name"]["th"] for c in categories)
