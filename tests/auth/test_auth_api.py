"""Accounts over the API: every rule and every bad input of the foundation issue."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import select

from app.auth.models import AuthSession, User
from tests.factories import PASSWORD


def register(client, **overrides):
    body = {
        "email": "Noy@Example.la",
        "password": "silk-and-cotton",
        "role": "producer",
        "display_name": "Noy weaving group",
    }
    body.update(overrides)
    return client.post("/api/v1/auth/register", json=body)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    assert "Traceback" not in response.text
    return body


def test_register_stores_argon2id_hash_and_lowercases_email(client, session):
    response = register(client)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "noy@example.la" and body["role"] == "producer"
    stored = session.exec(select(User).where(User.id == body["id"])).one()
    assert stored.password_hash.startswith("$argon2id$")
    assert "silk-and-cotton" not in stored.password_hash


def test_register_duplicate_email_is_409_case_insensitively(client):
    assert register(client).status_code == 201
    assert_problem(register(client, email="NOY@example.LA"), 409)


def test_register_short_password_is_422_with_field_error(client, session):
    body = assert_problem(register(client, password="short"), 422)
    assert any(e["loc"][-1] == "password" for e in body["errors"])
    assert session.exec(select(sa.func.count()).select_from(User)).one() == 0


def test_register_cannot_create_staff_or_admin(client):
    for role in ("staff", "admin"):
        assert_problem(register(client, role=role), 422)


def test_register_rejects_bad_email(client):
    assert_problem(register(client, email="not-an-email"), 422)


def test_malformed_json_is_422_problem(client):
    response = client.post("/api/v1/auth/register", content=b'{"email": ', headers={"content-type": "application/json"})
    body = assert_problem(response, 422)
    assert "JSON" in body["detail"]


def test_wrong_content_type_is_415(client):
    response = client.post("/api/v1/auth/register", content=b"email=a@b.la", headers={"content-type": "text/plain"})
    assert_problem(response, 415)


def test_token_login_and_me(client, make_user):
    user = make_user("buyer", email="buyer@example.la")
    response = client.post("/api/v1/auth/token", data={"username": "BUYER@example.la", "password": PASSWORD})
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["token_type"] == "bearer" and len(token["access_token"]) >= 32
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json()["id"] == user.id and me.json()["role"] == "buyer"


def test_wrong_password_and_unknown_user_are_the_same_401(client, make_user):
    make_user("buyer", email="buyer@example.la")
    wrong = assert_problem(
        client.post("/api/v1/auth/token", data={"username": "buyer@example.la", "password": "wrong password"}),
        401,
    )
    unknown = assert_problem(
        client.post("/api/v1/auth/token", data={"username": "nobody@example.la", "password": "wrong password"}),
        401,
    )
    assert wrong["detail"] == unknown["detail"]  # no account enumeration


def test_login_failures_are_rate_limited_per_account_with_retry_after(client, make_user):
    make_user("buyer", email="target@example.la")
    for _ in range(5):
        assert (
            client.post(
                "/api/v1/auth/token", data={"username": "target@example.la", "password": "guess guess"}
            ).status_code
            == 401
        )
    response = client.post("/api/v1/auth/token", data={"username": "target@example.la", "password": PASSWORD})
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_login_failures_are_rate_limited_per_address(client, make_user):
    for i in range(20):
        client.post("/api/v1/auth/token", data={"username": f"spray{i}@example.la", "password": "guess guess"})
    make_user("buyer", email="innocent@example.la")
    response = client.post("/api/v1/auth/token", data={"username": "innocent@example.la", "password": PASSWORD})
    assert_problem(response, 429)


def test_forged_and_malformed_tokens_are_401(client):
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": "Bearer forged-token"}), 401)
    assert_problem(client.get("/api/v1/auth/me", headers={"Authorization": "Basic abc"}), 401)
    assert_problem(client.get("/api/v1/auth/me"), 401)


def test_expired_token_is_401(client, make_user, auth_headers, session):
    user = make_user("buyer")
    headers = auth_headers(user)
    session.execute(sa.update(AuthSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    session.flush()
    body = assert_problem(client.get("/api/v1/auth/me", headers=headers), 401)
    assert "expired" in body["detail"]


def test_logout_revokes_the_token(client, make_user, auth_headers):
    headers = auth_headers(make_user("buyer"))
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert_problem(client.get("/api/v1/auth/me", headers=headers), 401)
