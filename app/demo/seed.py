"""`odop seed-demo`: demo accounts, a believable ODOP catalogue across the 18 provinces, and the showrooms.

The steps, in one write transaction (all or nothing):

1. the demo accounts (`accounts.py`);
2. the producers (`producers.py`, about one per 20 products, at least one per province) and their
   products with photos and star grades (`catalogue.py`), the demo producer account's own producer
   through the catalogue service (`showcase.py`);
3. the showrooms and their listings (`showrooms.py`);
4. the business-matching side (`matching.py`): buyer accounts and profiles, their inquiries, a past
   matching event with its outcomes and an upcoming one with its schedule.

Deterministic for a given --seed (one random.Random drives everything; dates are relative to now).
The photos are rendered before the transaction starts, so the database is not locked meanwhile.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from app.auth.models import User
from app.auth.security import make_password_hasher
from app.catalogue import reference_service
from app.catalogue.models import Producer
from app.config import Settings
from app.db import Database, utcnow
from app.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
from app.demo.catalogue import CatalogueTotals, ListingCandidates, ProductMaker, insert_bulk_catalogue, share_out
from app.demo.kinds import KINDS
from app.demo.matching import MatchingTotals, seed_buyers, seed_events, seed_inquiries
from app.demo.matching import describe as describe_matching
from app.demo.photos import PhotoPool
from app.demo.producers import LANDMARKS, ProducerPlanner
from app.demo.showcase import SHOWCASE_STATUSES, seed_showcase
from app.demo.showrooms import LISTINGS_PER_SHOWROOM, SHOWROOM_PROVINCES, ShowroomTotals, seed_showrooms
from app.media.storage import MediaStore

PRODUCTS_PER_PRODUCER = 20  # 100,000 products -> 5,000 producers


def seed_demo_data(
    db: Database, settings: Settings, *, products: int, if_empty: bool, seed: int, console: Any = None
) -> str:
    """Load the demo data; return a one-paragraph summary of what was created and how long it took."""
    if settings.is_production:
        raise SystemExit("refusing to load demo data with ODOP_ENV=production")
    started = time.perf_counter()
    say = _reporter(console, started)
    rng = random.Random(seed)
    now = utcnow()

    with db.session(write=False) as session:
        if if_empty and _already_there(session):
            return "demo data already loaded: nothing to do"
        provinces = {p.code: p.name for p in reference_service.provinces(session)}
        _check_reference_data(session, provinces)

    producer_count = max(len(LANDMARKS), round(products / PRODUCTS_PER_PRODUCER))
    plans = ProducerPlanner(rng, provinces, now).plan(producer_count)
    pool = PhotoPool(MediaStore(settings.media_dir))
    distinct_photos = pool.prepare(kind.motif for plan in plans for kind in plan.lines)
    say(f"{distinct_photos} photos drawn and stored through the upload pipeline")

    hasher = make_password_hasher(settings)
    with db.session(write=True) as session:
        if if_empty and _already_there(session):  # another run got there while the photos were drawn
            return "demo data already loaded: nothing to do"
        accounts = ensure_demo_accounts(session, hasher)
        totals = CatalogueTotals()
        maker = ProductMaker(rng, now, accounts.staff.id, pool)  # type: ignore[arg-type]
        candidates = ListingCandidates(rng, SHOWROOM_PROVINCES, LISTINGS_PER_SHOWROOM)

        # The producer account owns one producer; on a second run it already has it.
        has_own = session.exec(select(Producer.id).where(Producer.owner_user_id == accounts.producer.id)).first()
        showcase = next((p for p in plans if p.showcase), None) if has_own is None else None
        others = [p for p in plans if p is not showcase]
        showcase_products = min(products, len(SHOWCASE_STATUSES)) if showcase else 0
        for plan, count in zip(others, share_out(rng, products - showcase_products, len(others)), strict=True):
            plan.product_count = count
        if showcase is not None:
            showcase.product_count = showcase_products
            seed_showcase(session, accounts, showcase, maker, candidates, totals)
        insert_bulk_catalogue(session, maker, others, candidates, totals, say)
        say(f"{totals.products:,} products inserted")
        rooms = seed_showrooms(session, rng, accounts.staff.id, candidates.samples, now)  # type: ignore[arg-type]

        matching = MatchingTotals()
        own_producer = session.exec(select(Producer.id).where(Producer.owner_user_id == accounts.producer.id)).first()
        buyers = seed_buyers(session, rng, accounts, hasher, now, matching)
        seed_inquiries(session, rng, buyers, own_producer, now, matching)
        say(f"{matching.buyers} buyers and {matching.inquiries} inquiries")
        seed_events(session, rng, accounts, buyers, own_producer, now, matching)
        say("matching events scheduled")

    provinces_covered = len({plan.province for plan in plans})
    return _summary(
        time.perf_counter() - started, accounts.created, totals, provinces_covered, distinct_photos, rooms, matching
    )


def _already_there(session: Session) -> bool:
    """Demo data (or any catalogue: never mix demo rows into real data) is already in the database."""
    demo_admin = session.exec(select(User.id).where(User.email == DEMO_ACCOUNTS[0][0])).first()
    return demo_admin is not None or session.exec(select(Producer.id).limit(1)).first() is not None


def _check_reference_data(session: Session, provinces: dict[str, dict[str, str]]) -> None:
    """The demo tables name provinces and categories; fail clearly if the migrations have not loaded them."""
    categories = {category.slug for category in reference_service.categories(session)}
    missing = {kind.category for kind in KINDS} - categories
    if len(provinces) != 18 or missing:
        raise SystemExit(
            f"the reference data is incomplete ({len(provinces)} provinces; missing categories: "
            f"{', '.join(sorted(missing)) or 'none'}); run `odop migrate` first"
        )


def _reporter(console: Any, started: float) -> Callable[[str], None]:
    def say(message: str) -> None:
        if console is not None:
            console.print(f"[dim]{time.perf_counter() - started:6.1f} s[/dim]  {message}")

    return say


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    return f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def _summary(
    seconds: float,
    new_accounts: int,
    totals: CatalogueTotals,
    provinces: int,
    distinct_photos: int,
    rooms: ShowroomTotals,
    matching: MatchingTotals,
) -> str:
    statuses = ", ".join(f"{totals.statuses[s]:,} {s}" for s in ("published", "submitted", "draft", "rejected"))
    return (
        f"Demo data loaded in {_duration(seconds)}: "
        f"{len(DEMO_ACCOUNTS)} demo accounts ({new_accounts} new; password {DEMO_PASSWORD!r}); "
        f"{totals.producers:,} producers in {provinces} provinces; "
        f"{totals.products:,} products ({statuses}); "
        f"{totals.grades:,} star grades ({totals.expired_grades:,} products whose grade has expired); "
        f"{totals.photos:,} product photos sharing {distinct_photos} generated images; "
        f"{rooms.showrooms} showrooms ({rooms.created} new) with {rooms.listings} listings; "
        f"{describe_matching(matching)}."
    )
