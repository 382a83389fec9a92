"""Factories: make accounts (and later producers, products…) through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from app.auth import service as auth_service
from app.auth.models import Role, SessionKind, User

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@pytest.fixture
def make_user(app: FastAPI, session: Session) -> Callable[..., User]:
    def _make(role: str = "producer", email: str | None = None, display_name: str | None = None) -> User:
        n = next(_counter)
        user = auth_service.create_user(
            session,
            app.state.password_hasher,
            email=email or f"user{n}-{role}@example.la",
            password=PASSWORD,
            role=Role(role),
            display_name=display_name or f"{role.title()} {n}",
        )
        session.flush()
        return user

    return _make


@pytest.fixture
def auth_headers(session: Session) -> Callable[[User], dict[str, str]]:
    """Bearer headers for a user, minted directly (the token endpoint has its own tests)."""

    def _headers(user: User) -> dict[str, str]:
        secret = auth_service.start_session(session, user, SessionKind.bearer, dt.timedelta(hours=1))
        session.flush()
        return {"Authorization": f"Bearer {secret}"}

    return _headers
