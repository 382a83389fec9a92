"""Who is calling, and may they? Authorization lives here and in services, never pasted into handlers.

The API accepts `Authorization: Bearer <token>`; pages use the session cookie. A state-changing
request authenticated by cookie must carry the CSRF token (header X-CSRF-Token, or form field
csrf_token); a bearer request needs none, because a browser never sends it on its own.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from argon2 import PasswordHasher
from fastapi import Depends, Request

from app.auth.models import STAFF_ROLES, Role, SessionKind, User
from app.auth.security import csrf_token_is_valid
from app.auth.service import user_for_secret
from app.db import SAFE_METHODS, SessionDep
from app.errors import N_, Forbidden, NotAuthenticated
from app.ratelimit import RateLimiter

SESSION_COOKIE = "odop_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def get_hasher(request: Request) -> PasswordHasher:
    return request.app.state.password_hasher


def get_limiter(request: Request) -> RateLimiter:
    return request.app.state.limiter


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


HasherDep = Annotated[PasswordHasher, Depends(get_hasher)]
LimiterDep = Annotated[RateLimiter, Depends(get_limiter)]


class CsrfError(Forbidden):
    title = "CSRF check failed"


def csrf_matches(request: Request, submitted: str | None) -> bool:
    cookie = request.state.csrf_cookie
    secret = request.app.state.settings.secret_key
    return bool(
        submitted and cookie and hmac.compare_digest(submitted, cookie) and csrf_token_is_valid(secret, submitted)
    )


async def require_csrf(request: Request) -> None:
    """For page routes: every unsafe request carries the token the page was rendered with."""
    if request.method in SAFE_METHODS:
        return
    submitted = request.headers.get(CSRF_HEADER)
    if not submitted:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
    if not csrf_matches(request, submitted):
        raise CsrfError("The form has expired or did not come from this site. Reload the page and try again.")


def optional_user(request: Request, session: SessionDep) -> User | None:
    """The caller, or None for an anonymous visitor. A bad bearer token is a 401, not anonymity."""
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated(N_("Use the header 'Authorization: Bearer <token>'."))
        user = user_for_secret(session, token.strip(), SessionKind.bearer)
        if user is None:
            raise NotAuthenticated(N_("The access token is invalid or has expired; log in again."))
        session.expunge(user)  # the caller stays readable even after a rollback (e.g. for an error page)
        request.state.user = user
        request.state.auth_via = "bearer"
        return user
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    user = user_for_secret(session, secret, SessionKind.cookie)
    if user is None:
        return None
    session.expunge(user)
    if (
        request.method not in SAFE_METHODS
        and request.url.path.startswith("/api/")
        and not csrf_matches(request, request.headers.get(CSRF_HEADER))
    ):
        raise CsrfError("A request authenticated by the session cookie needs the X-CSRF-Token header.")
    request.state.user = user
    request.state.auth_via = "cookie"
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def current_user(user: OptionalUser) -> User:
    if user is None:
        raise NotAuthenticated(N_("Log in first."))
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role):  # type: ignore[no-untyped-def]
    """A dependency that admits only the given roles (admin is always admitted: admin ⊃ staff)."""
    allowed = frozenset(roles) | {Role.admin}

    def _check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise Forbidden(N_("Your account may not do this."))
        return user

    return _check


StaffUser = Annotated[User, Depends(require_roles(*STAFF_ROLES))]
AdminUser = Annotated[User, Depends(require_roles(Role.admin))]
