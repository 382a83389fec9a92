"""A small but complete world for the security tests, built through the real services and the API.

Every kind of object an unsafe endpoint can act on exists once: a producer (owned by `owner`) with a
published product carrying two photos, a draft and a submitted product; a second, unowned producer
with a published product; a showroom with a listing; the world's buyer (account + profile) with an
inquiry; an event in the future with both of them registered, a scheduled meeting and a pending
meeting request. Next to it, the callers the tests act as: a stranger buyer and a stranger producer
(each with a profile of its own, owning nothing of the world), and staff.

Everything lives in the test's rolled-back transaction. `isolated(db)` wraps one request in a
savepoint that is rolled back afterwards, so each request sees the world exactly as built here.
"""

from __future__ import annotations

import io
import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from PIL import Image, ImageDraw

EVENT = {
    "name": "Security test fair",
    "province_code": "LA-LP",
    "venue": "Provincial Chamber of Commerce",
    "starts_at": "2031-03-10T09:00:00+07:00",
    "ends_at": "2031-03-10T11:00:00+07:00",
    "slot_minutes": 30,
    "tables": 2,
}

ROLES = ("anonymous", "buyer", "other_producer", "staff")
_unique = itertools.count(1)


def unique_jpeg(width: int = 64, height: int = 48) -> bytes:
    """A small JPEG whose bytes no other call (in any test run) produces."""
    img = Image.new("RGB", (width, height), (next(_unique) * 37 % 256, 90, 160))
    ImageDraw.Draw(img).text((2, 2), uuid.uuid4().hex[:6], fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


@dataclass
class World:
    headers: dict[str, dict[str, str]]  # by role (ROLES)
    user_ids: dict[str, int]  # by role, but anonymous
    owner_headers: dict[str, str]  # the world producer's account
    buyer_headers: dict[str, str]  # the world buyer's account
    owner_email: str
    producer_id: int
    other_producer_id: int  # the stranger producer's own
    unowned_producer_id: int
    spare_producer_id: int  # unowned, registered for nothing
    published_id: int
    draft_id: int
    submitted_id: int
    unlisted_published_id: int
    image_ids: list[int]
    showroom_id: int
    listing_id: int
    buyer_id: int  # the world's buyer profile
    stranger_buyer_id: int
    inquiry_id: int
    event_id: int
    buyer_participant_id: int
    producer_participant_id: int
    unowned_participant_id: int
    spare_participant_id: int  # unowned producer, approved, nobody asked to meet it
    request_id: int
    meeting_id: int
    extra: dict[str, int] = field(default_factory=dict)


def _ok(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


@pytest.fixture
def world(client, session, make_user, make_producer, make_product, auth_headers) -> World:  # type: ignore[no-untyped-def]
    from app.catalogue import service as catalogue_service
    from app.catalogue.schemas import ProducerCreate
    from app.matching import service as matching_service
    from app.matching.schemas import BuyerCreate

    staff = make_user("staff")
    owner = make_user("producer")
    buyer_account = make_user("buyer")
    stranger_buyer = make_user("buyer")
    stranger_producer = make_user("producer")

    producer = make_producer(owner=owner, province="LA-LP")
    other_producer = make_producer(owner=stranger_producer, province="LA-VT", name={"lo": "ກຸ່ມອື່ນ", "en": "Other"})
    # staff create a producer that no account owns yet
    unowned = catalogue_service.create_producer(
        session, staff, ProducerCreate(name={"lo": "ກຸ່ມບໍ່ມີເຈົ້າຂອງ", "en": "Unowned"}, province_code="LA-LP")
    )
    spare, spare2 = (
        catalogue_service.create_producer(
            session, staff, ProducerCreate(name={"lo": f"ກຸ່ມສຳຮອງ {n}", "en": f"Spare {n}"}, province_code="LA-CH")
        )
        for n in (1, 2)
    )
    session.flush()

    published = make_product(producer=producer, status="published", stars=4)
    draft = make_product(producer=producer, status="draft", name={"lo": "ຮ່າງ", "en": "Draft"})
    submitted = make_product(producer=producer, status="submitted", name={"lo": "ສົ່ງແລ້ວ", "en": "Submitted"})
    unlisted = make_product(producer=unowned, status="published", name={"lo": "ອື່ນ", "en": "Unlisted"})
    make_product(producer=other_producer, status="published", name={"lo": "ຂອງອື່ນ", "en": "Theirs"})

    buyer = matching_service.create_buyer(
        session, buyer_account, BuyerCreate(organisation="World buyer", country="LA", categories=["silk"])
    )
    stranger_profile = matching_service.create_buyer(
        session, stranger_buyer, BuyerCreate(organisation="Stranger buyer", country="TH", categories=["silk"])
    )
    session.flush()

    headers = {
        "anonymous": {},
        "buyer": auth_headers(stranger_buyer),
        "other_producer": auth_headers(stranger_producer),
        "staff": auth_headers(staff),
    }
    owner_h, buyer_h, staff_h = auth_headers(owner), auth_headers(buyer_account), headers["staff"]

    image_ids = []
    for _ in range(2):
        r = client.post(
            f"/api/v1/products/{published.id}/images",
            files={"file": ("p.jpg", unique_jpeg(), "image/jpeg")},
            headers=owner_h,
        )
        image_ids.append(_ok(r, 201)["id"])

    showroom = _ok(
        client.post(
            "/api/v1/showrooms", json={"name": {"lo": "ຫ້ອງວາງສະແດງ"}, "province_code": "LA-LP"}, headers=staff_h
        ),
        201,
    )
    listing = _ok(
        client.post(f"/api/v1/showrooms/{showroom['id']}/listings", json={"product_id": published.id}, headers=staff_h),
        201,
    )
    inquiry = _ok(
        client.post(
            "/api/v1/inquiries", json={"product_id": published.id, "message": "How many in May?"}, headers=buyer_h
        ),
        201,
    )

    event = _ok(client.post("/api/v1/events", json=EVENT, headers=staff_h), 201)
    eid = event["id"]

    def register(body: dict) -> int:  # type: ignore[type-arg]
        return _ok(client.post(f"/api/v1/events/{eid}/participants", json=body, headers=staff_h), 201)["id"]

    bp = register({"buyer_id": buyer.id})
    pp = register({"producer_id": producer.id})
    up = register({"producer_id": unowned.id})
    sp = register({"producer_id": spare2.id})
    body = {"from_participant_id": bp, "to_participant_id": pp, "priority": 3}
    _ok(client.post(f"/api/v1/events/{eid}/requests", json=body, headers=staff_h), 201)
    schedule = _ok(client.post(f"/api/v1/events/{eid}/schedule", headers=staff_h), 200)
    meeting_id = next(
        m["id"] for m in schedule["meetings"] if (m["buyer_participant_id"], m["producer_participant_id"]) == (bp, pp)
    )
    # a request the buyer made after the schedule: pending, withdrawable
    body = {"from_participant_id": bp, "to_participant_id": up, "priority": 1}
    request_id = _ok(client.post(f"/api/v1/events/{eid}/requests", json=body, headers=buyer_h), 201)["id"]

    return World(
        headers=headers,
        user_ids={"buyer": stranger_buyer.id, "other_producer": stranger_producer.id, "staff": staff.id},
        owner_headers=owner_h,
        buyer_headers=buyer_h,
        owner_email=owner.email,
        producer_id=producer.id,
        other_producer_id=other_producer.id,
        unowned_producer_id=unowned.id,
        spare_producer_id=spare.id,
        published_id=published.id,
        draft_id=draft.id,
        submitted_id=submitted.id,
        unlisted_published_id=unlisted.id,
        image_ids=image_ids,
        showroom_id=showroom["id"],
        listing_id=listing["id"],
        buyer_id=buyer.id,
        stranger_buyer_id=stranger_profile.id,
        inquiry_id=inquiry["id"],
        event_id=eid,
        buyer_participant_id=bp,
        producer_participant_id=pp,
        unowned_participant_id=up,
        spare_participant_id=sp,
        request_id=request_id,
        meeting_id=meeting_id,
    )


@contextmanager
def isolated(db) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Run a block in a savepoint of the test's connection and roll it back, whatever the block did."""
    savepoint = db.connection.begin_nested()
    try:
        yield
    finally:
        if savepoint.is_active:
            savepoint.rollback()
