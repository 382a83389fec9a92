"""Business-matching pages as people use them: a buyer's profile form and its ranked producers, a
producer's buyers, staff acting for a buyer, a buyer's page for the producers it meets; who may see
what, forms refusing bad input in place, CSRF, hostile text."""

from __future__ import annotations

import re

import pytest
from fastapi import Depends, FastAPI
from sqlmodel import select
from starlette.routing import NoMatchFound

from app.audit.models import AuditEvent
from app.auth.models import User
from app.matching.models import Buyer
from tests.factories import PASSWORD
from tests.matching import fixtures as matching_fixtures

make_buyer = matching_fixtures.make_buyer  # the matching tests' fixture: a buyer account and its profile

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def mount_pages(app: FastAPI) -> None:
    """Mount the matching and events pages as app.main does, until app.main includes them."""
    from app.auth.deps import optional_user, require_csrf
    from app.events import pages as event_pages
    from app.matching import pages as matching_pages

    for router, endpoint in ((matching_pages.router, "my_buyer_form"), (event_pages.router, "event_list")):
        try:
            app.url_path_for(endpoint)
        except NoMatchFound:
            app.include_router(
                router, dependencies=[Depends(require_csrf), Depends(optional_user)], include_in_schema=False
            )


@pytest.fixture
def client(app, client):  # type: ignore[no-untyped-def]
    mount_pages(app)
    return client


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, email: str) -> None:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    token = csrf(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303


def token(client) -> str:  # type: ignore[no-untyped-def]
    return csrf(client.get("/my").text)


def assert_escaped(html: str, where: str) -> None:
    assert "<script>alert(1)" not in html and "<img src=x onerror" not in html, where


GOOD_PROFILE = {
    "organisation": "Bangkok Silk House",
    "country": "th",
    "buyer_type": "retailer",
    "categories": ["silk"],
    "keywords": "scarf, shawl",
    "volume_per_month": "100",
    "price_max_lak": "500,000",
    "certifications_required": ["organic"],
    "provinces": ["LA-LP"],
    "languages": ["th", "en"],
    "whatsapp": "+66 81 234 5678",
}


# ---- the buyer's profile and matches -----------------------------------------------------------


def test_buyer_creates_its_profile_and_sees_producers_ranked_with_reasons(
    client, make_user, make_producer, make_product, session
):
    account = make_user("buyer", email="somchai@example.th")
    near = make_producer(province="LA-LP", name={"lo": "ກຸ່ມທໍຜ້າໄໝ", "en": "Luang Prabang weavers"})
    far = make_producer(province="LA-CH", name={"lo": "ກຸ່ມຈຳປາສັກ", "en": "Champasak weavers"})
    scarf = make_product(near, status="published", stars=4, price_lak=300_000, name={"en": "Silk scarf"})
    make_product(far, status="published", stars=2, price_lak=900_000, name={"en": "Silk skirt"})
    make_product(far, status="published", category="coffee", name={"en": "Coffee"})
    login(client, "somchai@example.th")

    r = client.get("/my/matches", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/my/buyer"  # a profile first
    form = client.get("/my/buyer?lang=en")
    assert form.status_code == 200 and 'value="silk"' in form.text and 'value="LA-LP"' in form.text
    bad = client.post(
        "/my/buyer?lang=en",
        data={**GOOD_PROFILE, "csrf_token": csrf(form.text), "organisation": "", "country": "Thailand"}
        | {"volume_per_month": "-5"},
    )
    assert bad.status_code == 422
    for field in ("organisation", "country", "volume_per_month"):
        assert f'id="{field}-error"' in bad.text, field
    assert 'value="scarf, shawl"' in bad.text and 'value="organic" checked' in bad.text  # what was typed stays
    assert session.exec(select(Buyer).where(Buyer.user_id == account.id)).first() is None

    ok = client.post("/my/buyer", data={**GOOD_PROFILE, "csrf_token": csrf(form.text)}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/my/matches?saved=1"
    buyer = session.exec(select(Buyer).where(Buyer.user_id == account.id)).one()
    assert (buyer.organisation, buyer.country, buyer.buyer_type) == ("Bangkok Silk House", "TH", "retailer")
    assert buyer.keywords == ["scarf", "shawl"] and buyer.price_max_lak == 500_000 and buyer.volume_per_month == 100
    assert buyer.categories == ["silk"] and buyer.provinces == ["LA-LP"] and buyer.languages == ["th", "en"]
    assert buyer.certifications_required == ["organic"] and buyer.email == "somchai@example.th"

    page = client.get("/my/matches?lang=en").text
    assert f'href="/producers/{near.id}"' in page and f'href="/products/{scarf.id}"' in page
    assert page.index("Luang Prabang weavers") < page.index("Champasak weavers")  # best first
    assert "Match score" in page and "Makes Silk" in page and "a province you prefer" in page
    assert "Missing Organic" in page  # what counts against a producer is said too
    assert "<dt>Category</dt>" in page and "300,000 LAK" in page
    lao = client.get("/my/matches?lang=lo").text
    assert "ຜະລິດ" in lao and "ກຸ່ມທໍຜ້າໄໝ" in lao  # reasons and names in the visitor's language
    thai = client.get("/my/matches?lang=th").text
    assert "ผลิต" in thai


def test_editing_clears_what_was_unticked_and_refuses_unknown_references_in_place(client, make_buyer, session):
    buyer = make_buyer(
        organisation="Mekong Fine Goods", categories=["silk"], certifications_required=["gi"], volume_per_month=50
    )
    login(client, session.get(User, buyer.user_id).email)
    form = client.get("/my/buyer?lang=en").text
    assert 'value="Mekong Fine Goods"' in form and 'value="gi" checked' in form and 'value="50"' in form
    data = {"csrf_token": csrf(form), "organisation": "Mekong Fine Goods", "country": "LA", "categories": ["tea"]}
    r = client.post("/my/buyer", data=data, follow_redirects=False)
    assert r.status_code == 303
    session.expire_all()
    stored = session.get(Buyer, buyer.id)
    assert stored.categories == ["tea"] and stored.certifications_required == [] and stored.volume_per_month is None
    bad = client.post("/my/buyer?lang=en", data={**data, "provinces": ["LA-ZZ"]})
    assert bad.status_code == 422 and 'id="provinces-error"' in bad.text and "Unknown province" in bad.text
    empty = client.post("/my/buyer?lang=en", data={**data, "organisation": " "})
    assert empty.status_code == 422 and 'id="organisation-error"' in empty.text
    bad_mail = client.post("/my/buyer?lang=en", data={**data, "email": "not-an-address"})
    assert bad_mail.status_code == 422 and "Enter an e-mail address" in bad_mail.text
    session.expire_all()
    assert session.get(Buyer, buyer.id).provinces == [] and session.get(Buyer, buyer.id).organisation


def test_matches_without_needs_explain_what_to_do(client, make_buyer, session):
    buyer = make_buyer(categories=[])
    login(client, session.get(User, buyer.user_id).email)
    page = client.get("/my/matches?lang=en")
    assert page.status_code == 200 and "Choose the categories you buy" in page.text


def test_producer_sees_the_buyers_its_products_match(
    client, make_user, make_producer, make_product, make_buyer, session
):
    owner = make_user("producer", email="noy@example.la")
    producer = make_producer(owner=owner, province="LA-LP")
    product = make_product(producer, status="published", stars=5, name={"en": "Naga silk scarf"})
    make_buyer(organisation="Vientiane Crafts", categories=["silk"])
    make_buyer(organisation="Coffee Only Ltd", categories=["coffee"])
    login(client, "noy@example.la")
    page = client.get("/my/buyers?lang=en")
    assert page.status_code == 200
    assert "Vientiane Crafts" in page.text and "Coffee Only Ltd" not in page.text
    assert f'href="/products/{product.id}"' in page.text and "Match score" in page.text

    make_user("staff", email="officer@example.la")
    login(client, "officer@example.la")
    staff_view = client.get(f"/staff/producers/{producer.id}/buyers?lang=en").text
    vientiane = session.exec(select(Buyer).where(Buyer.organisation == "Vientiane Crafts")).one()
    assert f'<a href="/buyers/{vientiane.id}">Vientiane Crafts</a>' in staff_view

    make_user("producer", email="new@example.la")
    login(client, "new@example.la")
    r = client.get("/my/buyers", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/my/producer"


def test_staff_edit_and_create_buyers_on_their_behalf(client, make_user, make_buyer, session):
    staff = make_user("staff", email="officer@example.la")
    buyer = make_buyer(organisation="Luang Prabang Hotel", buyer_type="hotel_restaurant")
    login(client, "officer@example.la")
    listing = client.get("/staff/buyers?lang=en")
    assert (
        listing.status_code == 200 and "Luang Prabang Hotel" in listing.text and "Hotel or restaurant" in listing.text
    )
    form = client.get(f"/staff/buyers/{buyer.id}/edit?lang=en")
    assert form.status_code == 200 and f'action="/staff/buyers/{buyer.id}/edit"' in form.text
    data = {
        "csrf_token": csrf(form.text),
        "organisation": "Luang Prabang Hotel",
        "country": "LA",
        "categories": ["coffee", "tea"],
        "volume_per_month": "800",
    }
    r = client.post(f"/staff/buyers/{buyer.id}/edit", data=data, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/staff/buyers/{buyer.id}/matches?saved=1"
    session.expire_all()
    stored = session.get(Buyer, buyer.id)
    assert stored.volume_per_month == 800 and stored.categories == ["coffee", "tea"] and stored.user_id is not None
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "buyer.update")).one()
    assert audit.actor_user_id == staff.id and audit.on_behalf
    assert client.get(f"/staff/buyers/{buyer.id}/matches?lang=en").status_code == 200

    r = client.post(
        "/staff/buyers/new",
        data={"csrf_token": data["csrf_token"], "organisation": "Walk-in trader", "country": "VN", "categories": "tea"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    created = session.exec(select(Buyer).where(Buyer.organisation == "Walk-in trader")).one()
    assert created.user_id is None and created.country == "VN" and created.categories == ["tea"]
    assert client.get("/my/buyer", follow_redirects=False).headers["location"] == "/staff/buyers"


def test_pages_refuse_the_wrong_people(client, make_user, make_buyer, make_producer, session):
    buyer = make_buyer()
    other = make_buyer(organisation="Someone else")
    producer_account = make_user("producer", email="noy@example.la")
    make_producer(owner=producer_account)
    for path in ("/my/buyer", "/my/matches", "/my/buyers", "/staff/buyers", f"/buyers/{buyer.id}"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path

    login(client, "noy@example.la")
    for path in ("/my/buyer", "/my/matches", "/staff/buyers", f"/staff/buyers/{buyer.id}/edit", "/staff/buyers/new"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/buyers/{buyer.id}").status_code == 404  # never met at an event: nobody's business
    assert client.get(f"/buyers/{buyer.id}/qr.svg").status_code == 404

    login(client, session.get(User, buyer.user_id).email)
    assert client.get("/my/buyers").status_code == 403
    assert client.get(f"/staff/buyers/{buyer.id}/matches").status_code == 403
    assert client.get(f"/buyers/{other.id}").status_code == 404
    own = client.get(f"/buyers/{buyer.id}?lang=en")
    assert own.status_code == 200 and "Mekong Fine Goods" in own.text
    assert client.get("/staff/buyers/999999/edit").status_code == 403


def test_every_matching_form_needs_the_csrf_token(client, make_user, make_buyer, session):
    buyer = make_buyer()
    login(client, session.get(User, buyer.user_id).email)
    assert client.post("/my/buyer", data={"organisation": "x", "country": "LA"}).status_code == 403
    make_user("staff", email="officer@example.la")
    login(client, "officer@example.la")
    assert client.post("/staff/buyers/new", data={"organisation": "x", "country": "LA"}).status_code == 403
    r = client.post(f"/staff/buyers/{buyer.id}/edit", data={"organisation": "Changed", "country": "LA"})
    assert r.status_code == 403
    session.expire_all()
    assert session.get(Buyer, buyer.id).organisation == "Mekong Fine Goods"
    assert session.exec(select(Buyer).where(Buyer.organisation == "x")).first() is None


def test_hostile_text_in_a_buyer_profile_shows_as_text(
    client, make_user, make_buyer, make_producer, make_product, session
):
    make_user("staff", email="officer@example.la")
    owner = make_user("producer", email="noy@example.la")
    make_product(make_producer(owner=owner), status="published", name={"en": "Silk"})
    buyers = [
        make_buyer(organisation=payload, keywords=[payload, "silk"], contact_name=payload, categories=["silk"])
        for payload in HOSTILE
    ]
    for b in buyers:
        login(client, session.get(User, b.user_id).email)
        for path in ("/my/buyer", "/my/matches", f"/buyers/{b.id}"):
            r = client.get(path, params={"lang": "en"})
            assert r.status_code == 200, path
            assert_escaped(r.text, path)
        form = client.get("/my/buyer").text
        r = client.post("/my/buyer", data={"csrf_token": csrf(form), "organisation": "", "keywords": HOSTILE[1]})
        assert r.status_code == 422
        assert_escaped(r.text, "re-rendered form")
    login(client, "noy@example.la")
    page = client.get("/my/buyers?lang=en").text
    assert "&lt;script&gt;" in page
    assert_escaped(page, "/my/buyers")
    login(client, "officer@example.la")
    for path in ["/staff/buyers", *(f"/staff/buyers/{b.id}/edit" for b in buyers), f"/buyers/{buyers[0].id}"]:
        assert_escaped(client.get(path).text, path)
