"""Fixtures shared by the matching and events tests (imported by their conftest files)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlmodel import Session
from starlette.routing import NoMatchFound

from app.auth.models import User


def ensure_routers(app: FastAPI) -> None:
    """Mount the matching and events routers if app.main does not (yet) include them."""
    from app.events import api as events_api
    from app.main import API_PREFIX
    from app.matching import api as matching_api

    for router, endpoint in ((matching_api.router, "create_buyer"), (events_api.router, "create_event")):
        try:
            app.url_path_for(endpoint)
        except NoMatchFound:
            app.include_router(router, prefix=API_PREFIX)


@pytest.fixture
def client(app, client):  # type: ignore[no-untyped-def]
    ensure_routers(app)
    return client


@pytest.fixture
def make_buyer(session: Session, make_user):  # type: ignore[no-untyped-def]
    """A buyer account with its profile (through the real service)."""
    from app.matching import service
    from app.matching.schemas import BuyerCreate

    def _make(user: User | None = None, **fields):  # type: ignore[no-untyped-def]
        user = user or make_user("buyer")
        data = BuyerCreate(
            organisation=fields.pop("organisation", "Mekong Fine Goods"),
            country=fields.pop("country", "LA"),
            categories=fields.pop("categories", ["silk"]),
            **fields,
        )
        buyer = service.create_buyer(session, user, data)
        session.flush()
        return buyer

    return _make
