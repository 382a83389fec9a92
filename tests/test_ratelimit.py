"""Rate limits: in-process by default, shared by every process through Redis when ODOP_REDIS_URL is set."""

from __future__ import annotations

import os
import uuid

import pytest

from app.errors import TooManyRequests
from app.ratelimit import UPLOADS_PER_USER, RateLimiter

REDIS_URL = os.environ.get("ODOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def test_in_process_limit_raises_429_with_retry_after():
    limiter = RateLimiter(None)
    key = uuid.uuid4().hex
    for _ in range(3):
        limiter.consume("3/minute", "t", key)
    with pytest.raises(TooManyRequests) as info:
        limiter.consume("3/minute", "t", key)
    assert 1 <= int(info.value.headers["Retry-After"]) <= 61


def test_two_processes_share_limits_through_redis():
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    first, second = RateLimiter(REDIS_URL), RateLimiter(REDIS_URL)  # as two app processes would
    key = uuid.uuid4().hex
    first.consume("2/minute", "login", key)
    second.consume("2/minute", "login", key)
    with pytest.raises(TooManyRequests):
        first.consume("2/minute", "login", key)


def test_uploads_are_limited_per_account(client, make_user, make_producer, make_product, auth_headers, app):
    owner = make_user("producer")
    product = make_product(make_producer(owner=owner))
    headers = auth_headers(owner)
    for _ in range(int(UPLOADS_PER_USER.split("/")[0])):  # the account has used up its uploads
        app.state.limiter.hit(UPLOADS_PER_USER, "upload", str(owner.id))
    r = client.post(
        f"/api/v1/products/{product.id}/images", files={"file": ("a.jpg", b"x", "image/jpeg")}, headers=headers
    )
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
