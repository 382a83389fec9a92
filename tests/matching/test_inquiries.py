"""Inquiries: a buyer asks, the producer's inbox shows it with the buyer's contacts, an e-mail goes
out over real SMTP (a local aiosmtpd server), WhatsApp links, rate limit, who may read what."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from app.auth.models import User
from app.matching.models import Inquiry
from app.ratelimit import INQUIRIES_PER_BUYER


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.fixture
def offer(session, make_producer, make_product):  # type: ignore[no-untyped-def]
    producer = make_producer(email="weavers@example.la", whatsapp="020 5555 1234")
    product = make_product(producer=producer, status="published", name={"lo": "ຜ້າໄໝ", "en": "Silk scarf"})
    return product, producer, session.get(User, producer.owner_user_id)


def ask(client, headers, product, **kw):  # type: ignore[no-untyped-def]
    body = {"product_id": product.id, "message": "Can you make 200 in indigo?", "quantity": 200, **kw}
    return client.post("/api/v1/inquiries", json=body, headers=headers)


def test_buyer_asks_and_the_producer_reads_it_with_the_buyers_contacts(
    client, make_buyer, make_user, auth_headers, offer
):
    product, _producer, owner = offer
    account = make_user("buyer", display_name="Somchai")
    buyer = make_buyer(
        user=account,
        organisation="Bangkok Silk House",
        country="TH",
        whatsapp="+66 81 234 5678",
        phone="+66 2 555 0101",
    )
    r = ask(client, auth_headers(account), product)
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["direction"] == "sent" and sent["buyer_id"] == buyer.id and sent["quantity"] == 200
    assert sent["whatsapp_url"].startswith("https://wa.me/8562055551234?text=")  # 020… is a Lao number

    inbox = client.get("/api/v1/inquiries", headers=auth_headers(owner))
    assert inbox.status_code == 200
    page = inbox.json()
    assert page["total"] == 1 and page["page"] == 1
    item = page["items"][0]
    assert item["direction"] == "received" and item["message"] == "Can you make 200 in indigo?"
    assert item["buyer"] == {
        "name": "Somchai",
        "organisation": "Bangkok Silk House",
        "country": "TH",
        "email": account.email,
        "phone": "+66 2 555 0101",
        "whatsapp": "+66 81 234 5678",
    }
    assert item["whatsapp_url"].startswith("https://wa.me/66812345678?text=")
    assert item["read_at"] is None
    r = client.post(f"/api/v1/inquiries/{item['id']}/read", headers=auth_headers(owner))
    assert r.status_code == 200 and r.json()["read_at"] is not None
    # the buyer lists what it sent
    mine = client.get("/api/v1/inquiries", headers=auth_headers(account)).json()
    assert [i["id"] for i in mine["items"]] == [item["id"]]


def test_a_buyer_without_a_profile_may_ask_too(client, make_user, auth_headers, offer):
    product, _producer, owner = offer
    account = make_user("buyer", display_name="Walk-in buyer")
    assert ask(client, auth_headers(account), product, quantity=None).status_code == 201
    item = client.get("/api/v1/inquiries", headers=auth_headers(owner)).json()["items"][0]
    assert item["buyer_id"] is None and item["buyer"]["name"] == "Walk-in buyer"
    assert item["buyer"]["email"] == account.email and item["quantity"] is None


def test_nobody_reads_other_peoples_inquiries(client, make_user, make_producer, auth_headers, offer):
    product, _producer, owner = offer
    account = make_user("buyer")
    inquiry_id = ask(client, auth_headers(account), product).json()["id"]
    other_buyer = auth_headers(make_user("buyer"))
    other_producer_account = make_user("producer")
    make_producer(owner=other_producer_account)
    other_producer = auth_headers(other_producer_account)
    for headers in (other_buyer, other_producer):
        problem(client.get(f"/api/v1/inquiries/{inquiry_id}", headers=headers), 404)
        assert client.get("/api/v1/inquiries", headers=headers).json() == {
            "items": [],
            "total": 0,
            "page": 1,
            "per_page": 24,
        }
        problem(client.post(f"/api/v1/inquiries/{inquiry_id}/read", headers=headers), 404)
    problem(client.get("/api/v1/inquiries"), 401)
    # the buyer that sent it cannot mark it read (only the producer it was sent to)
    problem(client.post(f"/api/v1/inquiries/{inquiry_id}/read", headers=auth_headers(account)), 403)
    # only staff look into someone else's inbox, and then by naming it
    problem(client.get(f"/api/v1/inquiries?producer_id={product.producer_id}", headers=other_buyer), 403)
    staff = auth_headers(make_user("staff"))
    assert client.get("/api/v1/inquiries", headers=staff).json()["total"] == 0
    assert client.get(f"/api/v1/inquiries?producer_id={product.producer_id}", headers=staff).json()["total"] == 1
    assert client.get(f"/api/v1/inquiries/{inquiry_id}", headers=auth_headers(owner)).status_code == 200


def test_bad_inquiries_are_clear_4xx(client, make_user, make_product, auth_headers, offer):
    product, _producer, owner = offer
    buyer = auth_headers(make_user("buyer"))
    draft = make_product(status="draft")
    body = problem(ask(client, buyer, draft), 422)  # unpublished: as if it did not exist
    assert body["errors"][0]["loc"] == ["body", "product_id"]
    problem(client.post("/api/v1/inquiries", json={"product_id": 999_999, "message": "hi"}, headers=buyer), 422)
    problem(ask(client, buyer, product, message=""), 422)
    problem(ask(client, buyer, product, quantity=0), 422)
    problem(ask(client, auth_headers(owner), product), 403)  # producers do not send inquiries
    problem(ask(client, auth_headers(make_user("staff")), product), 403)
    problem(ask(client, {}, product), 401)


def test_inquiries_are_rate_limited_per_buyer(client, session, make_user, auth_headers, offer):
    product = offer[0]
    limit = int(INQUIRIES_PER_BUYER.split("/")[0])
    account = make_user("buyer")
    h = auth_headers(account)
    for _ in range(limit):
        assert ask(client, h, product).status_code == 201
    r = ask(client, h, product)
    problem(r, 429)
    assert int(r.headers["Retry-After"]) > 0
    assert ask(client, auth_headers(make_user("buyer")), product).status_code == 201  # per buyer, not global
    assert len(session.exec(select(Inquiry).where(Inquiry.sender_user_id == account.id)).all()) == limit


# ---- e-mail over real SMTP ---------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, _Inbox]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


@pytest.fixture
def with_smtp(app, smtp_server):  # type: ignore[no-untyped-def]
    url, inbox = smtp_server
    previous = app.state.settings
    app.state.settings = previous.model_copy(update={"smtp_url": url})
    try:
        yield inbox
    finally:
        app.state.settings = previous


def test_the_producer_gets_an_email_over_smtp(client, make_buyer, make_user, auth_headers, offer, with_smtp):
    product, _producer, _owner = offer
    account = make_user("buyer", display_name="Somchai")
    make_buyer(user=account, organisation="Bangkok Silk House", country="TH", whatsapp="+66 81 234 5678")
    assert ask(client, auth_headers(account), product).status_code == 201
    # TestClient runs background tasks before it returns, after the response was produced
    assert len(with_smtp.messages) == 1
    mail_from, rcpt_tos, message = with_smtp.messages[0]
    assert rcpt_tos == ["weavers@example.la"] and "no-reply@odop.la" in mail_from
    assert "Silk scarf" in message["Subject"]
    assert message["Reply-To"] == account.email
    body = message.get_payload(decode=True).decode("utf-8")
    assert "Can you make 200 in indigo?" in body
    assert "Somchai, Bangkok Silk House, TH" in body
    assert "ຜ້າໄໝ" in body  # Lao text arrives intact
    assert "https://wa.me/66812345678" in body


def test_a_mail_server_that_is_down_does_not_fail_the_inquiry(client, app, make_user, auth_headers, offer):
    previous = app.state.settings
    app.state.settings = previous.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{_free_port()}"})
    try:
        r = ask(client, auth_headers(make_user("buyer")), offer[0])
    finally:
        app.state.settings = previous
    assert r.status_code == 201


def test_no_email_without_smtp_configured(client, app, make_user, auth_headers, offer, smtp_server):
    _url, inbox = smtp_server
    assert app.state.settings.smtp_url is None
    assert ask(client, auth_headers(make_user("buyer")), offer[0]).status_code == 201
    assert inbox.messages == []
