"""Search test helpers: the search router (until app.main registers it), direct product inserts, queries."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.catalogue.models import Producer, Product
from app.db import utcnow
from app.search.documents import producer_search_text, product_search_text

_ids = itertools.count(1)


def search(client: TestClient, q: str | None, **params: Any) -> tuple[list[int], int]:
    """Product ids of one page of GET /api/v1/products?q=..., and the total."""
    response = client.get("/api/v1/products", params={"q": q, "per_page": 100, **params})
    assert response.status_code == 200, response.text
    body = response.json()
    return [item["id"] for item in body["items"]], body["total"]


@pytest.fixture
def insert_product(session: Session) -> Callable[..., Product]:
    """A product written straight into the table, as bulk import and the demo seeder do (no service)."""
    producers: dict[str, Producer] = {}

    def _insert(
        name: dict[str, str],
        description: dict[str, str] | None = None,
        *,
        status: str = "published",
        stars: int | None = None,
        stars_valid_until: dt.datetime | None = None,
        published_at: dt.datetime | None = None,
        province: str = "LA-LP",
        category: str = "silk",
        producer_name: dict[str, str] | None = None,
        deleted: bool = False,
        price_lak: int | None = None,
    ) -> Product:
        producer_name = producer_name or {"en": "Demo group"}
        key = f"{province}/{sorted(producer_name.items())}"
        producer = producers.get(key)
        if producer is None:
            now = utcnow()
            producer = Producer(
                name=producer_name,
                province_code=province,
                search_text=producer_search_text(producer_name, None, None),
                created_at=now,
                updated_at=now,
            )
            session.add(producer)
            session.flush()
            producers[key] = producer
        search_name, search_body = product_search_text(name, description or {}, producer_name, None, None)
        now = utcnow()
        if status == "published" and published_at is None:
            published_at = now - dt.timedelta(seconds=next(_ids))
        row = {
            "producer_id": producer.id,
            "category": category,
            "province_code": province,
            "name": name,
            "description": description or {},
            "materials": {},
            "certifications": [],
            "status": status,
            "published_at": published_at,
            "stars": stars,
            "stars_valid_until": (stars_valid_until or now + dt.timedelta(days=700)) if stars else None,
            "price_lak": price_lak,
            "search_name": search_name,
            "search_body": search_body,
            "created_at": now,
            "updated_at": now,
            "deleted_at": now if deleted else None,
        }
        product_id = session.execute(sa.insert(Product.__table__).values(**row).returning(Product.__table__.c.id))
        return session.get(Product, product_id.scalar_one())

    return _insert
