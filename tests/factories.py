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


@pytest.fixture
def make_producer(session: Session, make_user):  # type: ignore[no-untyped-def]
    from app.catalogue import service
    from app.catalogue.schemas import ProducerCreate

    def _make(owner: User | None = None, province: str = "LA-LP", **fields):  # type: ignore[no-untyped-def]
        owner = owner or make_user("producer")
        data = ProducerCreate(
            name=fields.pop("name", {"lo": "ກຸ່ມທໍຜ້າ", "en": "Weaving group"}), province_code=province, **fields
        )
        producer = service.create_producer(session, owner, data)
        session.flush()
        return producer

    return _make


@pytest.fixture
def make_product(session: Session, make_user, make_producer):  # type: ignore[no-untyped-def]
    """A product; `status="published"` runs it through submit and review (with `stars`)."""
    from app.catalogue import service
    from app.catalogue.schemas import ProductCreate

    staff_holder: list[User] = []

    def _staff() -> User:
        if not staff_holder:
            staff_holder.append(make_user("staff"))
        return staff_holder[0]

    def _make(producer=None, status: str = "draft", stars: int | None = None, **fields):  # type: ignore[no-untyped-def]
        producer = producer or make_producer()
        owner = session.get(User, producer.owner_user_id) if producer.owner_user_id else _staff()
        data = ProductCreate(
            producer_id=producer.id,
            category=fields.pop("category", "silk"),
            name=fields.pop("name", {"lo": "ຜ້າໄໝ", "en": "Silk scarf"}),
            **fields,
        )
        product = service.create_product(session, owner, data)
        if status in ("submitted", "published", "rejected"):
            service.submit_product(session, owner, product, producer)
        if status in ("published", "rejected"):
            service.review_product(
                session, _staff(), product, producer, approve=status == "published", stars=stars, note="checked"
            )
        session.flush()
        return product

    return _make


@pytest.fixture
def owner_of(session: Session):  # type: ignore[no-untyped-def]
    """The account that owns a product's producer."""
    from app.catalogue.models import Producer

    def _owner(product) -> User:  # type: ignore[no-untyped-def]
        producer = session.get(Producer, product.producer_id)
        return session.get(User, producer.owner_user_id)

    return _owner
