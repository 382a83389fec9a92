"""Facet counts (GET /api/v1/search/facets) and "did you mean" (GET /api/v1/search/suggest)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from app.catalogue.models import Product
from app.catalogue.repository import ProductFilters
from app.db import utcnow
from app.search import facets, suggest


@pytest.fixture
def catalogue(insert_product):
    return [
        insert_product({"en": "Silk scarf"}, province="LA-LP", category="silk", stars=5),
        insert_product({"en": "Silk sinh"}, province="LA-LP", category="silk", stars=3),
        insert_product({"en": "Silk bag"}, province="LA-PH", category="garments"),
        insert_product({"en": "Cotton silk blend"}, province="LA-PH", category="cotton", stars=4),
        insert_product({"en": "Silk tea cosy"}, province="LA-CH", category="tea", stars=5, status="draft"),
        insert_product({"en": "Coffee beans"}, province="LA-CH", category="coffee", stars=5),
        insert_product(
            {"en": "Old silk"}, province="LA-CH", category="silk", stars=5, stars_valid_until=utcnow() - dt.timedelta(1)
        ),
    ]


def facet(client, **params):
    response = client.get("/api/v1/search/facets", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_facets_count_the_query_per_province_category_and_grade(client, catalogue):
    body = facet(client, q="silk")
    assert body["province"] == {"LA-CH": 1, "LA-LP": 2, "LA-PH": 2}
    # a family counts its sub-categories: textiles = silk + garments + cotton
    assert body["category"] == {"cotton": 1, "garments": 1, "silk": 3, "textiles": 5}
    # "n stars or more", current grades only (the expired 5 of "Old silk" does not count)
    assert body["stars"] == {"5": 1, "4": 2, "3": 3, "2": 3, "1": 3}


def test_a_facet_ignores_its_own_filter_and_keeps_the_others(client, catalogue):
    body = facet(client, q="silk", province="LA-PH")
    assert body["province"] == {"LA-CH": 1, "LA-LP": 2, "LA-PH": 2}  # still every province's count
    assert body["category"] == {"cotton": 1, "garments": 1, "textiles": 2}  # only LA-PH's products
    assert body["stars"]["4"] == 1 and body["stars"]["1"] == 1
    body = facet(client, q="silk", min_stars=4)
    assert body["stars"] == {"5": 1, "4": 2, "3": 3, "2": 3, "1": 3}
    assert body["province"] == {"LA-LP": 1, "LA-PH": 1}
    body = facet(client, q="silk", category="textiles", province="LA-LP", min_stars=5)
    assert body["province"] == {"LA-LP": 1}
    assert body["category"] == {"silk": 1, "textiles": 1}
    assert body["stars"]["5"] == 1 and body["stars"]["3"] == 2


def test_facets_without_a_query_and_with_other_filters(client, catalogue):
    body = facet(client)
    assert body["province"] == {"LA-CH": 2, "LA-LP": 2, "LA-PH": 2}
    assert body["category"]["beverages"] == 1 and body["category"]["coffee"] == 1
    assert facet(client, q="silk", price_min=1)["province"] == {}  # none has a price
    assert facet(client, q="zzzz") == {"province": {}, "category": {}, "stars": {str(n): 0 for n in (5, 4, 3, 2, 1)}}


def test_facets_follow_writes(client, catalogue, session):
    session.execute(sa.update(Product).where(Product.id == catalogue[2].id).values(province_code="LA-CH"))
    assert facet(client, q="silk")["province"] == {"LA-CH": 2, "LA-LP": 2, "LA-PH": 1}


def test_facet_counts_for_the_browse_page(session, catalogue):
    counts = facets.facet_counts(session, None, ProductFilters(q="silk", province="LA-LP"))
    assert counts["province"]["LA-PH"] == 2 and counts["category"] == {"silk": 2, "textiles": 2}


def test_the_search_page_shows_counts_in_its_filters_and_live_results_skip_them(client, catalogue):
    page = client.get("/products", params={"q": "silk", "lang": "en"})
    assert page.status_code == 200
    assert re.search(r'<option value="LA-PH"[^>]*>[^<]*\(2\)</option>', page.text)  # Silk bag, Cotton silk blend
    live = client.get("/products", params={"q": "silk"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert live.status_code == 200 and "<mark>Silk</mark> scarf" in live.text and "<option" not in live.text


def test_bad_certification_is_a_422(client, catalogue):
    response = client.get("/api/v1/search/facets", params={"certification": "not a certification!"})
    assert response.status_code == 422


# ---- did you mean -----------------------------------------------------------------------------


@pytest.fixture
def words(insert_product):
    suggest.forget_vocabulary()
    insert_product({"en": "Arabica coffee beans", "lo": "ກາເຟ"})
    insert_product({"en": "Robusta coffee"})
    insert_product({"en": "Handwoven silk scarf"})
    insert_product({"en": "Organic green tea"})
    yield
    suggest.forget_vocabulary()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cofee", "coffee"),
        ("Cofee", "coffee"),
        ("coffe beens", "coffee beans"),
        ("handwoven slik", "handwoven silk"),
        ("arabika", "arabica"),
        ("organik tea", "organic tea"),
        ("coffee", None),  # finds something: nothing to correct
        ("silk", None),
        ("qqqqqq", None),  # nothing close
        ("ກາເຝ", None),  # Latin script only
        ("", None),
        ("tea coffee", None),  # correct words that find nothing together: no better spelling
    ],
)
def test_did_you_mean(client, words, q, expected):
    response = client.get("/api/v1/search/suggest", params={"q": q})
    assert response.status_code == 200
    assert response.json() == {"did_you_mean": expected}


def test_the_dictionary_is_cached_and_refreshed(session, words, insert_product, monkeypatch):
    assert suggest.did_you_mean(session, "rattann") is None
    insert_product({"en": "Rattan tray"})
    assert suggest.did_you_mean(session, "rattann") is None  # the cached dictionary has no rattan yet
    monkeypatch.setattr(suggest, "VOCABULARY_TTL", 0.0)
    assert suggest.did_you_mean(session, "rattann") == "rattan"
