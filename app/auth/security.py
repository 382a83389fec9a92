"""Password hashing (argon2id) and the secrets behind sessions, tokens and CSRF."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from app.config import Settings

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte "password" is a cheap denial of service


def make_password_hasher(settings: Settings) -> PasswordHasher:
    """argon2id; RFC 9106's second recommended profile by default, cheaper in tests."""
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=1,
        type=Type.ID,
    )


def verify_password(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    """A 256-bit random token, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign(secret_key: str, value: str) -> str:
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def make_csrf_token(secret_key: str) -> str:
    """A double-submit token `<random>.<hmac>`: the cookie and the form/header carry the same value,
    and the HMAC stops a value planted from a sibling domain."""
    value = secrets.token_urlsafe(24)
    return f"{value}.{sign(secret_key, 'csrf:' + value)}"


def csrf_token_is_valid(secret_key: str, token: str | None) -> bool:
    if not token or "." not in token:
        return False
    value, mac = token.rsplit(".", 1)
    return hmac.compare_digest(mac, sign(secret_key, "csrf:" + value))
