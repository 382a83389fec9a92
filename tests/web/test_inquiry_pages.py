"""A buyer asks about a product from its page; the producer reads it in the inbox with the buyer's contacts."""

from __future__ import annotations

import re

from sqlmodel import select

from app.matching.models import Inquiry
from tests.factories import PASSWORD


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, email):
    token = csrf(client.get("/login").text)
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def test_buyer_asks_and_producer_reads_the_inbox(client, make_user, make_producer, make_product, session):
    owner = make_user("producer", email="weaver@example.la")
    product = make_product(
        make_producer(owner=owner, whatsapp="+856 20 5555 0000"), status="published", name={"en": "Silk scarf"}
    )
    anonymous = client.get(f"/products/{product.id}?lang=en").text
    assert "Log in as a buyer to ask" in anonymous and "inquiry-message" not in anonymous

    buyer = make_user("buyer", email="buyer@example.la", display_name="Mekong <b>Goods</b>")
    buyer.phone = "+66 81 234 5678"
    session.add(buyer)
    session.flush()
    login(client, "buyer@example.la")
    page = client.get(f"/products/{product.id}?lang=en").text
    token = csrf(page)
    empty = client.post(
        f"/products/{product.id}/inquiry?lang=en",
        data={"csrf_token": token, "message": ""},
        headers={"HX-Request": "true", "HX-Target": "inquiry"},
    )
    assert empty.status_code == 422 and 'id="message-error"' in empty.text
    assert client.post(f"/products/{product.id}/inquiry", data={"message": "no token"}).status_code == 403
    sent = client.post(
        f"/products/{product.id}/inquiry?lang=en",
        data={"csrf_token": token, "message": "200 scarves by March?", "quantity": "200"},
        headers={"HX-Request": "true", "HX-Target": "inquiry"},
    )
    assert sent.status_code == 200 and "Your question was sent" in sent.text
    stored = session.exec(select(Inquiry).where(Inquiry.product_id == product.id)).one()
    assert stored.quantity == 200 and stored.message == "200 scarves by March?"
    assert "200 scarves" in client.get("/my/inquiries?lang=en").text  # the buyer sees what it sent

    client.cookies.clear()
    login(client, "weaver@example.la")
    inbox = client.get("/my/inquiries?lang=en").text
    assert "200 scarves by March?" in inbox and "tel:+66812345678" in inbox
    assert "Mekong &lt;b&gt;Goods&lt;/b&gt;" in inbox  # escaped
    r = client.post(f"/my/inquiries/{stored.id}/read", data={"csrf_token": csrf(inbox)}, follow_redirects=False)
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Inquiry, stored.id).read_at is not None


def test_producers_cannot_send_inquiries_and_others_see_nothing(client, make_user, make_producer, make_product):
    product = make_product(status="published")
    make_user("producer", email="other@example.la")
    login(client, "other@example.la")
    page = client.get(f"/products/{product.id}?lang=en").text
    assert "Buyers can send questions" in page
    r = client.post(f"/products/{product.id}/inquiry", data={"csrf_token": csrf(page), "message": "hello"})
    assert r.status_code == 422  # refused in place: only buyer accounts send inquiries
    assert "No inquiries yet" in client.get("/my/inquiries?lang=en").text
