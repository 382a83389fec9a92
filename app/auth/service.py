"""Accounts: registration, password login, sessions and tokens. Services never commit."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlmodel import Session, select

from app.auth.models import AuthSession, Role, SessionKind, User
from app.auth.security import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_token,
    new_secret,
    verify_password,
)
from app.errors import N_, Conflict, NotAuthenticated, Unprocessable
from app.ratelimit import LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS, RateLimiter

# Deliberately loose: the only real proof of an address is a mail that arrives.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_BAD_LOGIN = N_("Wrong email or password.")


def normalise_email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL_RE.match(value):
        raise ValueError(N_("not a valid email address"))
    return value


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Unprocessable(
            N_("The password must have at least {n} characters.", n=MIN_PASSWORD_LENGTH), loc=["body", "password"]
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Unprocessable(N_("The password is too long."), loc=["body", "password"])


def create_user(
    session: Session,
    hasher: PasswordHasher,
    *,
    email: str,
    password: str,
    role: Role,
    display_name: str,
    phone: str | None = None,
) -> User:
    """Create an account. Raises Conflict if the email is taken (case-insensitively)."""
    try:
        email = normalise_email(email)
    except ValueError as exc:
        raise Unprocessable(N_("Not a valid email address."), loc=["body", "email"]) from exc
    check_password_rules(password)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict(N_("An account with this email already exists."))
    user = User(
        email=email,
        password_hash=hasher.hash(password),
        role=role,
        display_name=display_name.strip() or email,
        phone=phone,
    )
    session.add(user)
    try:
        with session.begin_nested():  # a concurrent registration of the same email loses cleanly
            session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(N_("An account with this email already exists.")) from exc
    return user


def authenticate(
    session: Session, hasher: PasswordHasher, limiter: RateLimiter, *, email: str, password: str, address: str
) -> User:
    """Check a password login. Failed attempts are limited per account and per address (429)."""
    email = email.strip().lower()
    limiter.check(LOGIN_FAILURES_PER_ADDRESS, "login-ip", address)
    limiter.check(LOGIN_FAILURES_PER_ACCOUNT, "login-account", email)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = (
        user is not None
        and user.is_active
        and len(password) <= MAX_PASSWORD_LENGTH
        and verify_password(hasher, user.password_hash, password)
    )
    if not ok or user is None:
        limiter.hit(LOGIN_FAILURES_PER_ADDRESS, "login-ip", address)
        limiter.hit(LOGIN_FAILURES_PER_ACCOUNT, "login-account", email)
        raise NotAuthenticated(_BAD_LOGIN)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        session.add(user)
    return user


def start_session(session: Session, user: User, kind: SessionKind, lifetime: dt.timedelta) -> str:
    """Create a login and return its secret (only its hash is stored)."""
    secret = new_secret()
    now = dt.datetime.now(dt.UTC)
    session.add(
        AuthSession(
            token_hash=hash_token(secret),
            user_id=user.id,
            kind=kind,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return secret


def user_for_secret(session: Session, secret: str, kind: SessionKind) -> User | None:
    """The active user behind a session secret, or None if unknown, expired or of another kind."""
    row = session.exec(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == hash_token(secret), AuthSession.kind == kind)
    ).first()
    if row is None:
        return None
    auth, user = row
    if auth.expires_at <= dt.datetime.now(dt.UTC) or not user.is_active:
        return None
    return user


def end_session(session: Session, secret: str) -> None:
    session.execute(sa.delete(AuthSession).where(AuthSession.token_hash == hash_token(secret)))


def end_expired_sessions(session: Session) -> int:
    result = session.execute(sa.delete(AuthSession).where(AuthSession.expires_at <= dt.datetime.now(dt.UTC)))
    return result.rowcount or 0


# Other domains register how to find the profile an account owns (producer_id, buyer_id), so that
# auth does not import them.
PROFILE_LOOKUPS: dict[str, object] = {}


def register_profile_lookup(field: str, lookup) -> None:  # type: ignore[no-untyped-def]
    PROFILE_LOOKUPS[field] = lookup


def public_user(session: Session, user: User):  # type: ignore[no-untyped-def]
    from app.auth.schemas import UserPublic

    extra = {field: lookup(session, user) for field, lookup in PROFILE_LOOKUPS.items()}  # type: ignore[operator]
    return UserPublic(id=user.id, email=user.email, role=user.role, display_name=user.display_name, **extra)
