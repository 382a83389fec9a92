"""Session-cookie login, CSRF, languages, security headers and error pages."""

from __future__ import annotations

import re

from sqlmodel import select

from app.auth.models import AuthSession
from tests.factories import PASSWORD


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "form has no CSRF field"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD):
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": "/my"},
        follow_redirects=False,
    )


def test_login_sets_httponly_lax_cookie_and_rotates_csrf(client, make_user):
    make_user("producer", email="weaver@example.la")
    before = client.cookies.get("odop_csrf")
    response = login(client, "weaver@example.la")
    assert response.status_code == 303 and response.headers["location"] == "/my"
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("odop_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie.replace("Lax", "lax")
    assert "Secure" not in session_cookie  # only in production
    assert client.cookies.get("odop_csrf") != before
    page = client.get("/my")
    assert page.status_code == 200 and "ຍິນດີຕ້ອນຮັບ" in page.text  # Lao by default


def test_login_page_rejects_post_without_csrf(client, make_user):
    make_user("producer", email="weaver@example.la")
    client.get("/login")
    response = client.post("/login", data={"email": "weaver@example.la", "password": PASSWORD})
    assert response.status_code == 403
    assert "odop_session" not in response.headers.get("set-cookie", "")


def test_wrong_password_on_page_shows_readable_error(client, make_user):
    make_user("producer", email="weaver@example.la")
    response = login(client, "weaver@example.la", "not the password")
    assert response.status_code == 401
    assert 'role="alert"' in response.text and "<html" in response.text


def test_logout_invalidates_the_session(client, make_user, session):
    user = make_user("producer", email="weaver@example.la")
    login(client, "weaver@example.la")
    secret = client.cookies.get("odop_session")
    assert client.get("/my").status_code == 200
    token = csrf_from(client.get("/my").text)
    assert client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert (
        session.exec(select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.kind == "cookie")).first()
        is None
    )
    client.cookies.set("odop_session", secret)  # replaying the old cookie gets nothing
    response = client.get("/my", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_api_write_with_session_cookie_needs_csrf_header(client, make_user):
    make_user("buyer", email="buyer@example.la")
    login(client, "buyer@example.la")
    assert client.post("/api/v1/auth/logout").status_code == 403
    headers = {"X-CSRF-Token": client.cookies.get("odop_csrf")}
    # with the header the cookie session is accepted (logout of a bearer token: nothing to revoke)
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204


def test_register_page_rerenders_errors_in_place(client):
    token = csrf_from(client.get("/register").text)
    response = client.post(
        "/register",
        data={
            "email": "x@example.la",
            "password": "short",
            "display_name": "",
            "role": "producer",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert 'id="password-error"' in response.text and 'id="display_name-error"' in response.text
    assert 'value="x@example.la"' in response.text  # what the user typed is kept


def test_register_page_creates_account_and_logs_in(client):
    token = csrf_from(client.get("/register").text)
    response = client.post(
        "/register",
        data={
            "email": "new@example.la",
            "password": "long enough pw",
            "display_name": "Ban Phanom silk",
            "role": "producer",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Ban Phanom silk" in client.get("/my").text


def test_language_default_is_lao_then_query_then_cookie_then_header(client):
    assert '<html lang="lo">' in client.get("/").text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert '<html lang="th">' in client.get("/", headers={"Accept-Language": "th"}).text
    page = client.get("/?lang=en")
    assert '<html lang="en">' in page.text and "Log in" in page.text
    assert client.cookies.get("odop_lang") == "en"
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "th"}).text  # cookie remembered
    for code in ("lo", "en", "th"):
        assert f'hreflang="{code}"' in page.text


def test_home_lists_the_provinces_in_lao(client):
    page = client.get("/")
    assert "ຫຼວງພະບາງ" in page.text and "/provinces/LA-LP" in page.text


def test_unknown_page_is_friendly_404_in_visitors_language(client):
    response = client.get("/no-such-page?lang=en")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"] and "Back to the showroom" in response.text
    lao = client.get("/no-such-page?lang=lo")
    assert lao.status_code == 404 and '<html lang="lo">' in lao.text


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/v1/provinces", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_htmx_request_gets_fragment_and_vary(client):
    full = client.get("/login")
    fragment = client.get("/login", headers={"HX-Request": "true"})
    assert "<html" in full.text and "<html" not in fragment.text and 'name="password"' in fragment.text
    assert "HX-Request" in fragment.headers["vary"]
    restore = client.get("/login", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_is_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/token" in spec["paths"] and "/api/v1/provinces" in spec["paths"]
