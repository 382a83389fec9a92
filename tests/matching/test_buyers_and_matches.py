"""Buyer profiles and the explainable match score, both ways, through the API."""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.matching.models import Buyer


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def buyer_body(**kw):
    body = {
        "organisation": "Bangkok Silk House",
        "country": "TH",
        "buyer_type": "retailer",
        "categories": ["silk"],
        "keywords": ["scarf"],
        "volume_per_month": 500,
        "price_max_lak": 300_000,
        "certifications_required": ["organic"],
        "provinces": ["LA-LP"],
        "languages": ["th", "en"],
        "whatsapp": "+66 81 234 5678",
    }
    body.update(kw)
    return body


# ---- profiles ----------------------------------------------------------------------------------


def test_buyer_creates_its_one_profile_and_me_shows_it(client, make_user, auth_headers):
    user = make_user("buyer")
    h = auth_headers(user)
    r = client.post("/api/v1/buyers", json=buyer_body(keywords="scarf, shawl ;"), headers=h)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["user_id"] == user.id and body["country"] == "TH" and body["keywords"] == ["scarf", "shawl"]
    assert body["email"] == user.email  # the account's address until the buyer gives another
    assert client.get("/api/v1/auth/me", headers=h).json()["buyer_id"] == body["id"]
    assert client.get(f"/api/v1/buyers/{body['id']}", headers=h).json()["organisation"] == "Bangkok Silk House"
    problem(client.post("/api/v1/buyers", json=buyer_body(), headers=h), 409)


def test_buyer_sees_and_edits_only_its_own_profile(client, make_buyer, make_user, auth_headers):
    theirs = make_buyer()
    other = auth_headers(make_user("buyer"))
    problem(client.get(f"/api/v1/buyers/{theirs.id}", headers=other), 404)
    problem(client.patch(f"/api/v1/buyers/{theirs.id}", json={"organisation": "x"}, headers=other), 404)
    problem(client.get(f"/api/v1/buyers/{theirs.id}/matches", headers=other), 404)
    problem(client.get(f"/api/v1/buyers/{theirs.id}"), 401)
    producer = auth_headers(make_user("producer"))
    problem(client.get(f"/api/v1/buyers/{theirs.id}", headers=producer), 404)
    problem(client.post("/api/v1/buyers", json=buyer_body(), headers=producer), 403)
    problem(client.get("/api/v1/buyers", headers=other), 403)


def test_staff_act_on_a_buyers_behalf_and_it_is_audited(client, make_user, auth_headers, session):
    staff, account = make_user("staff"), make_user("buyer")
    h = auth_headers(staff)
    r = client.post("/api/v1/buyers", json=buyer_body(user_id=account.id), headers=h)
    assert r.status_code == 201, r.text
    buyer_id = r.json()["id"]
    r = client.patch(f"/api/v1/buyers/{buyer_id}", json={"volume_per_month": 800, "keywords": None}, headers=h)
    assert r.status_code == 200 and r.json()["volume_per_month"] == 800 and r.json()["keywords"] == []
    events = session.exec(
        select(AuditEvent).where(AuditEvent.entity_type == "buyer", AuditEvent.entity_id == buyer_id)
    ).all()
    assert [(e.action, e.actor_user_id, e.on_behalf) for e in events] == [
        ("buyer.create", staff.id, True),
        ("buyer.update", staff.id, True),
    ]
    assert client.get("/api/v1/buyers", headers=h).json()["total"] >= 1
    # the profile belongs to the account: the buyer edits it itself, not on anyone's behalf
    r = client.patch(f"/api/v1/buyers/{buyer_id}", json={"organisation": "BSH"}, headers=auth_headers(account))
    assert r.status_code == 200
    # a producer account cannot be given a buyer profile
    producer = make_user("producer")
    body = problem(client.post("/api/v1/buyers", json=buyer_body(user_id=producer.id), headers=h), 422)
    assert body["errors"][0]["loc"] == ["body", "user_id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": ["no-such-thing"]}, "categories"),
        ({"categories": ["Bad Slug!"]}, "categories"),
        ({"country": "Laos"}, "country"),
        ({"provinces": ["LA-XX"]}, "provinces"),
        ({"buyer_type": "smuggler"}, "buyer_type"),
        ({"volume_per_month": -1}, "volume_per_month"),
        ({"certifications_required": ["not a code!"]}, "certifications_required"),
        ({"languages": ["english"]}, "languages"),
        ({"organisation": ""}, "organisation"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_bad_buyer_input_is_a_clear_422(client, make_user, auth_headers, change, field):
    body = problem(
        client.post("/api/v1/buyers", json=buyer_body(**change), headers=auth_headers(make_user("buyer"))), 422
    )
    assert body["errors"] and field in body["errors"][0]["loc"], body


# ---- matches -----------------------------------------------------------------------------------


@pytest.fixture
def market(make_producer, make_product):  # type: ignore[no-untyped-def]
    """Four producers: a perfect fit, a weaker one, a related one, one in another category."""
    perfect = make_producer(province="LA-LP", name={"lo": "ກຸ່ມໄໝ", "en": "Silk group", "th": "กลุ่มไหม"})
    make_product(
        producer=perfect,
        status="published",
        stars=5,
        category="silk",
        name={"lo": "ຜ້າພັນຄໍໄໝ", "en": "Silk scarf", "th": "ผ้าพันคอไหม"},
        price_lak=250_000,
        moq=50,
        monthly_capacity=800,
        certifications=["organic", "gi"],
    )
    weaker = make_producer(province="LA-VT")
    make_product(
        producer=weaker,
        status="published",
        stars=3,
        category="silk",
        name={"lo": "ຜ້າໄໝ"},
        description={"en": "a scarf for every day"},
        price_lak=340_000,
        moq=1000,
        monthly_capacity=200,
    )
    related = make_producer(province="LA-LP")
    make_product(producer=related, status="published", stars=4, category="cotton", name={"en": "Cotton scarf"})
    elsewhere = make_producer()
    make_product(producer=elsewhere, status="published", stars=5, category="coffee", name={"en": "Coffee"})
    hidden = make_producer()
    make_product(producer=hidden, status="draft", category="silk", name={"en": "Silk scarf"})
    return perfect, weaker, related, elsewhere, hidden


def test_matches_rank_producers_with_a_breakdown_that_adds_up(client, make_user, auth_headers, market):
    perfect, weaker, *_ = market
    h = auth_headers(make_user("buyer"))
    buyer_id = client.post("/api/v1/buyers", json=buyer_body(), headers=h).json()["id"]
    r = client.get(f"/api/v1/buyers/{buyer_id}/matches?lang=en", headers=h)
    assert r.status_code == 200, r.text
    matches = r.json()
    # only silk producers with published products; the cotton, coffee and draft ones are not candidates
    assert [m["producer_id"] for m in matches] == [perfect.id, weaker.id]
    for m in matches:
        assert m["score"] == pytest.approx(sum(m["breakdown"].values()), abs=0.05)
        assert 0 <= m["score"] <= 100 and m["products"]
    top = matches[0]
    assert top["score"] == 100.0
    assert set(top["breakdown"]) == {
        "category",
        "keywords",
        "capacity",
        "price",
        "certifications",
        "stars",
        "province",
        "language",
    }
    assert "Makes Silk" in top["reasons"]
    assert "Holds Organic" in top["reasons"]
    assert "Export quality: 5-star ODOP grade" in top["reasons"]
    assert any("Luang Prabang" in reason for reason in top["reasons"])
    assert any(reason.startswith("Speaks English") for reason in top["reasons"])
    weakest = matches[1]
    # a Thai buyer needs 4-5 stars; MOQ, price and the missing certification count against, and say so last
    assert weakest["breakdown"]["stars"] == 0 and weakest["breakdown"]["certifications"] == 0
    assert weakest["reasons"][-4:] == [
        "Minimum order 1,000 is above your monthly volume",
        "Prices from 340,000 LAK, above your maximum of 300,000 LAK",
        "Missing Organic",
        "ODOP grade below 4 stars, what export buyers look for",
    ]
    assert weakest["breakdown"]["keywords"] == 0.6 * top["breakdown"]["keywords"]  # in a description only


def test_category_fit_is_the_share_of_the_buyers_categories_covered(client, market, make_product):
    perfect, _weaker, related, *_ = market
    make_product(producer=related, status="published", category="silk", name={"en": "Silk and cotton scarf"})
    r = client.post("/api/v1/match?lang=en", json={"categories": ["silk", "cotton"], "keywords": ["scarf"]})
    assert r.status_code == 200, r.text
    by_id = {m["producer_id"]: m for m in r.json()}
    assert by_id[related.id]["breakdown"]["category"] == pytest.approx(
        2 * by_id[perfect.id]["breakdown"]["category"], abs=0.15
    )
    assert "Makes Silk, Cotton textiles" in by_id[related.id]["reasons"]
    # a family includes its sub-categories
    family = client.post("/api/v1/match", json={"categories": ["textiles"]}).json()
    assert {m["producer_id"] for m in family} == {m["producer_id"] for m in r.json()}


def test_reasons_follow_the_visitors_language(client, make_user, auth_headers, market):
    h = auth_headers(make_user("buyer"))
    buyer_id = client.post("/api/v1/buyers", json=buyer_body(), headers=h).json()["id"]
    lao = client.get(f"/api/v1/buyers/{buyer_id}/matches", headers=h).json()[0]["reasons"]
    thai = client.get(f"/api/v1/buyers/{buyer_id}/matches", headers={**h, "Accept-Language": "th"}).json()[0]
    assert "ຜະລິດ ຜ້າໄໝ" in lao  # Lao is the default language
    assert "มีการรับรอง เกษตรอินทรีย์" in thai["reasons"]


def test_post_match_scores_unsaved_needs_like_a_saved_profile(client, make_user, auth_headers, market):
    h = auth_headers(make_user("buyer"))
    body = buyer_body()
    buyer_id = client.post("/api/v1/buyers", json=body, headers=h).json()["id"]
    saved = client.get(f"/api/v1/buyers/{buyer_id}/matches?lang=en", headers=h).json()
    needs = {k: v for k, v in body.items() if k not in ("organisation", "whatsapp")}
    unsaved = client.post("/api/v1/match?lang=en", json=needs)  # anonymous visitors may try
    assert unsaved.status_code == 200, unsaved.text
    assert unsaved.json() == saved
    assert len(client.post("/api/v1/match?limit=1", json=needs).json()) == 1
    problem(client.post("/api/v1/match", json={"categories": []}), 422)
    problem(client.post("/api/v1/match", json={"categories": ["silk"], "provinces": ["LA-XX"]}), 422)
    problem(client.post("/api/v1/match?limit=0", json=needs), 422)


def test_keywords_alone_find_producers_across_categories(client, market):
    perfect, weaker, related, *_ = market
    r = client.post("/api/v1/match?lang=en", json={"keywords": ["scarf"]})
    assert r.status_code == 200
    ids = [m["producer_id"] for m in r.json()]
    assert ids[0] == perfect.id and set(ids) == {perfect.id, weaker.id, related.id}
    assert "category" not in r.json()[0]["breakdown"]


def test_producer_sees_the_buyers_that_match_it(client, session, make_buyer, make_user, auth_headers, market):
    perfect = market[0]
    fit = make_buyer(organisation="Fits", country="LA", categories=["silk"], price_max_lak=300_000)
    make_buyer(organisation="Wants coffee", categories=["coffee"])
    h = auth_headers(session.get(User, perfect.owner_user_id))
    r = client.get(f"/api/v1/producers/{perfect.id}/matches?lang=en", headers=h)
    assert r.status_code == 200, r.text
    rows = r.json()
    assert [row["buyer"]["organisation"] for row in rows] == ["Fits"]
    assert rows[0]["buyer_id"] == fit.id and rows[0]["products"]
    assert rows[0]["score"] == pytest.approx(sum(rows[0]["breakdown"].values()), abs=0.05)
    # another producer's account, or a buyer, may not look at this producer's matches
    problem(client.get(f"/api/v1/producers/{perfect.id}/matches", headers=auth_headers(make_user("producer"))), 404)
    problem(client.get(f"/api/v1/producers/{perfect.id}/matches", headers=auth_headers(make_user("buyer"))), 404)


def test_sql_and_python_statistics_agree(session, market, make_buyer):
    """The aggregate query (one buyer, every producer) and the Python path (one producer, every
    buyer) must give the same figures, or the two sides of matching would disagree."""
    from app.db import utcnow
    from app.matching import repository, scoring
    from app.matching.service import CategoryTree, needs_of_buyer

    buyer = make_buyer(
        country="TH",
        categories=["silk", "cotton"],
        keywords=["scarf", "ຜ້າ", "every"],
        certifications_required=["organic", "gi"],
        languages=["th", "en"],
    )
    needs = needs_of_buyer(CategoryTree.load(session), buyer)
    now = utcnow()
    by_sql = {s.producer_id: s for s in repository.producer_stats(session, needs, now)}
    facts = repository.product_facts(session, [p.id for p in market], now)
    by_python = scoring.stats_from_products(needs, facts)
    assert by_sql == by_python and len(by_sql) == 3


def test_buyer_profile_is_stored_with_its_owner(session, make_buyer, make_user):
    user = make_user("buyer")
    buyer = make_buyer(user=user)
    assert session.exec(select(Buyer).where(Buyer.user_id == user.id)).one().id == buyer.id
