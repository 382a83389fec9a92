"""A small catalogue whose figures are known by construction, and the reports routers on the test app."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from fastapi import APIRouter, Depends, FastAPI
from sqlmodel import Session
from starlette.routing import NoMatchFound

from app.auth.models import User
from app.db import utcnow


def ensure_routers(app: FastAPI) -> None:
    """Mount the reports routers if app.main does not (yet) include them."""
    from app.auth.deps import optional_user, require_csrf
    from app.main import API_PREFIX
    from app.reports import api as reports_api
    from app.reports import pages as reports_pages

    def mounted(name: str) -> bool:
        try:
            app.url_path_for(name)
        except NoMatchFound:
            return False
        return True

    if not mounted("reports_dashboard"):
        pages = APIRouter(dependencies=[Depends(require_csrf), Depends(optional_user)], include_in_schema=False)
        pages.include_router(reports_pages.router)
        app.include_router(pages)
    if not mounted("reports_summary"):
        app.include_router(reports_api.router, prefix=API_PREFIX)


@pytest.fixture
def client(app, client):  # type: ignore[no-untyped-def]
    ensure_routers(app)
    return client


@dataclasses.dataclass
class Catalogue:
    staff: User
    lp_weavers: object  # LA-LP, Xieng Ngeun, led by women, 10 members of whom 7 women
    lp_coffee: object  # LA-LP, Nan, 5 members of whom 1 woman
    sv_crafts: object  # LA-SV, no district, led by women, members not given
    silk_5: object  # graded 5 stars (valid two years), with a photo
    cotton_3: object  # graded 3 stars, expiring in 30 days
    coffee_expired: object  # graded 4 stars, expired
    honey_waiting: object  # submitted 40 days ago
    pot_edit: object  # published, an edit waits for review
    now: dt.datetime


LAO = {"lo": "ຜ້າໄໝລາຍນາກ", "en": "Naga silk"}


@pytest.fixture
def catalogue(session: Session, make_user, make_producer, make_product) -> Catalogue:  # type: ignore[no-untyped-def]
    """What it holds, by construction:

    producers (not deleted): 3 — LA-LP 2 (Xieng Ngeun 1, Nan 1), LA-SV 1; led by women 2; members 15, women 7+1
    published products: 6 — LA-LP 4, LA-SV 2; without a photo 5
        silk_5 (silk, 5★), silk ungraded (silk), cotton_3 (cotton, 3★ expiring in 30 days), coffee_expired
        (coffee, expired 4★), bamboo (bamboo-rattan, ungraded), pot_edit (pottery, ungraded, edit waiting)
    by family: textiles 3, beverages 1, handicrafts 2; grades: none 3, expired 1, 3★ 1, 5★ 1
    waiting for review: 3 — new: tea (today), honey (40 days ago); edit: pot_edit (today)
    a deleted producer (LA-CH) with a published product and a draft: counted nowhere
    inquiries: 2026-01-15 (read), 2026-01-31 20:00 UTC = 1 February in Laos (unread), 2026-03-10 (read, LA-SV)
    events: E1 LA-LP 2026-02-10 — 4 meetings: held+deal 5,000,000, held, no-show, cancelled;
            E2 LA-SV 2026-05-01 — 1 meeting held+deal 1,000,000
    """
    from app.catalogue import service
    from app.catalogue.models import ProductImage
    from app.catalogue.schemas import ProductUpdate
    from app.events.models import Event, EventParticipant, FollowUp, Meeting, MeetingStatus
    from app.matching.models import Buyer, Inquiry

    now = utcnow()
    staff = make_user("staff", email="officer@example.la", display_name="ເຈົ້າໜ້າທີ່ Officer")
    lp_weavers = make_producer(
        province="LA-LP",
        name={"lo": "ກຸ່ມທໍຜ້າຊຽງເງິນ", "en": "Xieng Ngeun weavers"},
        district="Xieng Ngeun",
        women_led=True,
        members_count=10,
        women_members_count=7,
    )
    lp_coffee = make_producer(province="LA-LP", district="Nan", members_count=5, women_members_count=1)
    sv_crafts = make_producer(province="LA-SV", women_led=True)

    silk_5 = make_product(lp_weavers, status="published", stars=5, name=LAO)
    make_product(lp_weavers, status="published", name={"lo": "ຜ້າໄໝ", "en": "Plain silk"})
    cotton_3 = make_product(lp_weavers, status="published", stars=3, category="cotton")
    make_product(lp_weavers, category="coffee")  # a draft: counted nowhere
    coffee_expired = make_product(lp_coffee, status="published", stars=4, category="coffee")
    make_product(lp_coffee, status="submitted", category="tea")
    make_product(sv_crafts, status="published", category="bamboo-rattan")
    honey_waiting = make_product(sv_crafts, status="submitted", category="honey")
    pot_edit = make_product(sv_crafts, status="published", category="pottery")
    owner = session.get(User, sv_crafts.owner_user_id)
    service.update_product(session, owner, pot_edit, sv_crafts, ProductUpdate(name={"en": "Clay pot, new name"}))

    gone = make_producer(province="LA-CH")
    make_product(gone, status="published", stars=5)
    make_product(gone)
    service.delete_producer(session, staff, gone)

    cotton_3.stars_valid_until = now + dt.timedelta(days=30)
    coffee_expired.stars_valid_until = now - dt.timedelta(days=1)
    honey_waiting.submitted_at = now - dt.timedelta(days=40)
    session.add(
        ProductImage(
            product_id=silk_5.id, position=0, content_hash="0" * 64, paths={"320": "x/0.webp"}, width=320, height=240
        )
    )
    session.add_all([cotton_3, coffee_expired, honey_waiting])

    buyer_user = make_user("buyer")
    for created, read, product, producer in (
        (dt.datetime(2026, 1, 15, 10, tzinfo=dt.UTC), True, silk_5, lp_weavers),
        (dt.datetime(2026, 1, 31, 20, tzinfo=dt.UTC), False, cotton_3, lp_weavers),
        (dt.datetime(2026, 3, 10, 3, tzinfo=dt.UTC), True, pot_edit, sv_crafts),
    ):
        session.add(
            Inquiry(
                sender_user_id=buyer_user.id,
                product_id=product.id,
                producer_id=producer.id,
                message="ສົນໃຈ",
                created_at=created,
                read_at=created + dt.timedelta(hours=5) if read else None,
            )
        )

    buyers = [Buyer(organisation=f"Buyer {i}", country="TH") for i in range(2)]
    session.add_all(buyers)
    e1 = Event(
        name="ງານຫຼວງພະບາງ Fair",
        province_code="LA-LP",
        venue="Hall",
        starts_at=dt.datetime(2026, 2, 10, 2, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 2, 10, 10, tzinfo=dt.UTC),
        slot_minutes=30,
        tables=5,
    )
    e2 = Event(
        name="Savannakhet meet",
        province_code="LA-SV",
        venue="Hall",
        starts_at=dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC),
        slot_minutes=30,
        tables=5,
    )
    session.add_all([e1, e2])
    session.flush()

    def participant(event, **side):  # type: ignore[no-untyped-def]
        p = EventParticipant(event_id=event.id, approved=True, **side)
        session.add(p)
        session.flush()
        return p

    b1, b2 = participant(e1, buyer_id=buyers[0].id), participant(e1, buyer_id=buyers[1].id)
    weavers_at_e1, coffee_at_e1 = participant(e1, producer_id=lp_weavers.id), participant(e1, producer_id=lp_coffee.id)
    b1_e2, crafts_at_e2 = participant(e2, buyer_id=buyers[0].id), participant(e2, producer_id=sv_crafts.id)
    held, deal = MeetingStatus.held, FollowUp.agreement_reached
    for slot, (event, buyer, producer, status, follow_up, value) in enumerate(
        (
            (e1, b1, weavers_at_e1, held, deal, 5_000_000),
            (e1, b2, weavers_at_e1, held, FollowUp.no_deal, None),
            (e1, b1, coffee_at_e1, MeetingStatus.no_show, None, None),
            (e1, b2, coffee_at_e1, MeetingStatus.cancelled, None, None),
            (e2, b1_e2, crafts_at_e2, held, deal, 1_000_000),
        )
    ):
        session.add(
            Meeting(
                event_id=event.id,
                buyer_participant_id=buyer.id,
                producer_participant_id=producer.id,
                slot=slot,
                table_number=1,
                status=status,
                schedule_version=1,
                follow_up=follow_up,
                deal_value_lak=value,
            )
        )
    session.flush()
    return Catalogue(
        staff=staff,
        lp_weavers=lp_weavers,
        lp_coffee=lp_coffee,
        sv_crafts=sv_crafts,
        silk_5=silk_5,
        cotton_3=cotton_3,
        coffee_expired=coffee_expired,
        honey_waiting=honey_waiting,
        pot_edit=pot_edit,
        now=now,
    )
