"""The fast ranking (index-only first pass, then the full statistics of the best bounds only) must
rank exactly like scoring every producer in full."""

from __future__ import annotations

import random

import pytest

from app.catalogue.models import Producer, Product, ProductStatus
from app.db import utcnow
from app.matching import repository, scoring, service
from app.search.documents import product_search_text

WORDS = ["silk", "scarf", "ikat", "indigo", "ຜ້າໄໝ", "cotton", "bag", "coffee"]


@pytest.fixture
def catalogue(session):  # type: ignore[no-untyped-def]
    """40 producers with 1-4 published products each, varied in every figure the score reads."""
    rng = random.Random(7)
    now = utcnow()
    for i in range(40):
        producer = Producer(name={"en": f"P{i}"}, province_code=rng.choice(["LA-LP", "LA-VT", "LA-CH"]))
        session.add(producer)
        session.flush()
        for _ in range(rng.randint(1, 4)):
            name = {"en": " ".join(rng.sample(WORDS, 2))}
            if rng.random() < 0.5:
                name["th"] = "ผ้าไหม"
            description = {"en": " ".join(rng.sample(WORDS, 2))}
            search_name, search_body = product_search_text(name, description, producer.name, None, None)
            stars = rng.choice([None, 2, 3, 4, 5])
            session.add(
                Product(
                    producer_id=producer.id,
                    category=rng.choice(["silk", "cotton", "garments", "coffee"]),
                    province_code=producer.province_code,
                    name=name,
                    description=description,
                    price_lak=rng.choice([None, 100_000, 250_000, 400_000]),
                    moq=rng.choice([None, 10, 500]),
                    monthly_capacity=rng.choice([None, 100, 1000]),
                    certifications=rng.sample(["organic", "gi", "lao-fdd"], rng.randint(0, 2)),
                    status=ProductStatus.published,
                    published_at=now,
                    stars=stars,
                    stars_valid_until=now.replace(year=now.year + 1) if stars else None,
                    search_name=search_name,
                    search_body=search_body,
                )
            )
    session.flush()


def test_fast_ranking_equals_scoring_everyone(session, catalogue, monkeypatch):
    monkeypatch.setattr(service, "FIRST_BATCH", 3)  # many small batches: every stopping point is exercised
    tree = service.CategoryTree.load(session)
    rng = random.Random(11)
    for _ in range(25):
        needs = service.make_needs(
            tree,
            country=rng.choice(["LA", "TH"]),
            categories=rng.sample(["silk", "cotton", "textiles", "coffee"], rng.randint(1, 2)),
            keywords=rng.sample(WORDS, rng.randint(0, 2)),
            volume_per_month=rng.choice([None, 200]),
            price_max_lak=rng.choice([None, 300_000]),
            certifications=rng.sample(["organic", "gi"], rng.randint(0, 2)),
            provinces=rng.sample(["LA-LP", "LA-VT"], rng.randint(0, 1)),
            languages=rng.choice([[], ["th"], ["en", "th"]]),
        )
        scorer = scoring.Scorer(needs)
        everyone = sorted(
            repository.producer_stats(session, needs, utcnow()),
            key=lambda s: (-scorer.total(s), -s.products, s.producer_id),
        )
        for limit in (1, 5, 40):
            fast = service.rank_producers(session, needs, limit=limit)
            assert [s.producer_id for s in fast] == [s.producer_id for s in everyone[:limit]], needs
            assert fast == everyone[:limit]  # the same statistics, too
