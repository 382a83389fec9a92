"""Access control as a matrix: every state-changing API endpoint × every kind of caller → the status
it must answer.

The endpoints come from the app's own route table (`fastapi.routing.iter_route_contexts`, as
app.observability does), so a new POST/PUT/PATCH/DELETE under /api/v1 fails
`test_every_unsafe_endpoint_is_in_the_matrix` until someone writes down here who may call it; an
entry for an endpoint that no longer exists fails it too.

The callers (tests/security/conftest.py builds their world):
- anonymous: no credentials;
- buyer: a buyer account with a profile of its own, that owns nothing the request is about;
- other_producer: a producer account with a producer of its own, likewise a stranger to the target;
- staff: a trade-promotion officer, who may act for anyone.

Each request is valid for its target (staff's success shows it), so a refusal is about who asks.
Every request runs in a savepoint rolled back afterwards: each one sees the same world.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from tests.factories import PASSWORD
from tests.security.conftest import ROLES, World, isolated, unique_jpeg

API = "/api/v1"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Statuses = frozenset[int]
Body = Callable[[World, str], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    """How to call one endpoint, and what each caller must get."""

    params: Callable[[World], dict[str, Any]]
    request: Body  # keyword arguments for the test client: json=…, files=…, data=…
    expect: dict[str, Statuses]


def _s(*codes: int) -> Statuses:
    return frozenset(codes)


def none(_w: World) -> dict[str, Any]:
    return {}


def no_body(_w: World, _role: str) -> dict[str, Any]:
    return {}


def json(builder: Callable[[World], Any]) -> Body:
    return lambda w, _role: {"json": builder(w)}


def staff_only(ok: int) -> dict[str, Statuses]:
    """Staff succeed; everybody else is refused by role (403), the anonymous must log in (401)."""
    return {"anonymous": _s(401), "buyer": _s(403), "other_producer": _s(403), "staff": _s(ok)}


def owner_or_staff(ok: int, strangers: Statuses = _s(403)) -> dict[str, Statuses]:
    """The owner or staff succeed; a stranger is refused (403, or 404 where the target is hidden from them)."""
    return {"anonymous": _s(401), "buyer": strangers, "other_producer": strangers, "staff": _s(ok)}


def public(ok: int) -> dict[str, Statuses]:
    """Anyone, logged in or not."""
    return {role: _s(ok) for role in ROLES}


def _csv(_w: World, _role: str) -> dict[str, Any]:
    from app.catalogue import bulk

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(bulk.COLUMNS)
    values = {
        "producer_name_lo": "ກຸ່ມນຳເຂົ້າ",
        "province_code": "LA-LP",
        "category": "silk",
        "name_lo": "ຜ້າ",
        "status": "draft",
    }
    writer.writerow([values.get(c, "") for c in bulk.COLUMNS])
    return {"files": {"file": ("catalogue.csv", out.getvalue().encode("utf-8"), "text/csv")}}


def _register(_w: World, role: str) -> dict[str, Any]:
    email = f"new-{role}-{uuid.uuid4().hex[:8]}@example.la"
    return {"json": {"email": email, "password": "a long password", "role": "buyer", "display_name": "New"}}


def _token(w: World, _role: str) -> dict[str, Any]:
    return {"data": {"username": w.owner_email, "password": PASSWORD}}


def _photo(_w: World, _role: str) -> dict[str, Any]:
    return {"files": {"file": ("photo.jpg", unique_jpeg(), "image/jpeg")}}


EVENT_ID = "event_id"

# (method, path template) → rule. Public endpoints say so with public(...).
EXPECTED: dict[tuple[str, str], Rule] = {
    # ---- accounts: public, or the caller's own session
    ("POST", "/api/v1/auth/register"): Rule(none, _register, public(201)),
    ("POST", "/api/v1/auth/token"): Rule(none, _token, public(200)),
    ("POST", "/api/v1/auth/logout"): Rule(
        none, no_body, {"anonymous": _s(401), "buyer": _s(204), "other_producer": _s(204), "staff": _s(204)}
    ),
    # ---- producers: a producer account creates its one producer; changes: owner or staff
    ("POST", "/api/v1/producers"): Rule(
        none,
        json(lambda w: {"name": {"lo": "ກຸ່ມໃໝ່"}, "province_code": "LA-VT"}),
        # the stranger producer already has its producer (409); a buyer may not have one
        {"anonymous": _s(401), "buyer": _s(403), "other_producer": _s(409), "staff": _s(201)},
    ),
    ("PATCH", "/api/v1/producers/{producer_id}"): Rule(
        lambda w: {"producer_id": w.producer_id}, json(lambda w: {"district": "Xieng Ngeun"}), owner_or_staff(200)
    ),
    ("DELETE", "/api/v1/producers/{producer_id}"): Rule(
        lambda w: {"producer_id": w.producer_id}, no_body, owner_or_staff(204)
    ),
    # ---- products
    ("POST", "/api/v1/products"): Rule(
        none,
        json(lambda w: {"producer_id": w.producer_id, "category": "silk", "name": {"lo": "ຜ້າໃໝ່"}}),
        owner_or_staff(201),
    ),
    ("PATCH", "/api/v1/products/{product_id}"): Rule(
        lambda w: {"product_id": w.published_id}, json(lambda w: {"price_lak": 123_000}), owner_or_staff(200)
    ),
    ("DELETE", "/api/v1/products/{product_id}"): Rule(
        lambda w: {"product_id": w.published_id}, no_body, owner_or_staff(204)
    ),
    ("POST", "/api/v1/products/{product_id}/submit"): Rule(
        # a draft is invisible to anyone but its owner and staff: 404, not 403
        lambda w: {"product_id": w.draft_id},
        no_body,
        owner_or_staff(200, strangers=_s(404)),
    ),
    ("POST", "/api/v1/products/{product_id}/review"): Rule(
        lambda w: {"product_id": w.submitted_id}, json(lambda w: {"decision": "approve", "stars": 4}), staff_only(200)
    ),
    ("POST", "/api/v1/products/{product_id}/grade"): Rule(
        lambda w: {"product_id": w.published_id}, json(lambda w: {"stars": 5, "note": "re-graded"}), staff_only(201)
    ),
    # ---- photos
    ("POST", "/api/v1/products/{product_id}/images"): Rule(
        lambda w: {"product_id": w.published_id}, _photo, owner_or_staff(201)
    ),
    ("DELETE", "/api/v1/products/{product_id}/images/{image_id}"): Rule(
        lambda w: {"product_id": w.published_id, "image_id": w.image_ids[0]}, no_body, owner_or_staff(204)
    ),
    ("PUT", "/api/v1/products/{product_id}/images/order"): Rule(
        lambda w: {"product_id": w.published_id},
        json(lambda w: {"image_ids": list(reversed(w.image_ids))}),
        owner_or_staff(200),
    ),
    ("POST", "/api/v1/products/{product_id}/images/{image_id}/cover"): Rule(
        lambda w: {"product_id": w.published_id, "image_id": w.image_ids[1]}, no_body, owner_or_staff(200)
    ),
    # ---- showrooms: staff curate them
    ("POST", "/api/v1/showrooms"): Rule(
        none, json(lambda w: {"name": {"lo": "ຫ້ອງໃໝ່"}, "province_code": "LA-VT"}), staff_only(201)
    ),
    ("PATCH", "/api/v1/showrooms/{showroom_id}"): Rule(
        lambda w: {"showroom_id": w.showroom_id}, json(lambda w: {"address": "Main road"}), staff_only(200)
    ),
    ("POST", "/api/v1/showrooms/{showroom_id}/listings"): Rule(
        lambda w: {"showroom_id": w.showroom_id},
        json(lambda w: {"product_id": w.unlisted_published_id, "featured": True}),
        staff_only(201),
    ),
    ("DELETE", "/api/v1/showrooms/{showroom_id}/listings/{listing_id}"): Rule(
        lambda w: {"showroom_id": w.showroom_id, "listing_id": w.listing_id}, no_body, staff_only(204)
    ),
    # ---- bulk import: staff only
    ("POST", "/api/v1/import"): Rule(none, _csv, staff_only(200)),
    # ---- buyers and matching
    ("POST", "/api/v1/buyers"): Rule(
        none,
        json(lambda w: {"organisation": "New buyer", "country": "VN", "categories": ["silk"]}),
        # the stranger buyer has its profile already (409); producers have none
        {"anonymous": _s(401), "buyer": _s(409), "other_producer": _s(403), "staff": _s(201)},
    ),
    ("PATCH", "/api/v1/buyers/{buyer_id}"): Rule(
        # someone else's buyer profile does not exist for them
        lambda w: {"buyer_id": w.buyer_id},
        json(lambda w: {"keywords": ["silk scarf"]}),
        owner_or_staff(200, strangers=_s(404)),
    ),
    ("POST", "/api/v1/match"): Rule(none, json(lambda w: {"categories": ["silk"]}), public(200)),
    ("POST", "/api/v1/inquiries"): Rule(
        none,
        json(lambda w: {"product_id": w.published_id, "message": "Price for 500 pieces?", "quantity": 500}),
        # only buyer accounts send inquiries (staff included: they do not buy)
        {"anonymous": _s(401), "buyer": _s(201), "other_producer": _s(403), "staff": _s(403)},
    ),
    ("POST", "/api/v1/inquiries/{inquiry_id}/read"): Rule(
        lambda w: {"inquiry_id": w.inquiry_id}, no_body, owner_or_staff(200, strangers=_s(404))
    ),
    # ---- matching events
    ("POST", "/api/v1/events"): Rule(
        none,
        json(lambda w: {**_event_body(), "name": "Another fair"}),
        staff_only(201),
    ),
    ("PATCH", "/api/v1/events/{event_id}"): Rule(
        lambda w: {EVENT_ID: w.event_id}, json(lambda w: {"venue": "Hall B"}), staff_only(200)
    ),
    ("POST", "/api/v1/events/{event_id}/participants"): Rule(
        # registering a producer that is not theirs
        lambda w: {EVENT_ID: w.event_id},
        json(lambda w: {"producer_id": w.spare_producer_id}),
        staff_only(201),
    ),
    ("PATCH", "/api/v1/events/{event_id}/participants/{participant_id}"): Rule(
        lambda w: {EVENT_ID: w.event_id, "participant_id": w.buyer_participant_id},
        json(lambda w: {"languages": ["lo", "en"]}),
        # someone else's participation does not exist for them
        owner_or_staff(200, strangers=_s(404)),
    ),
    ("DELETE", "/api/v1/events/{event_id}/participants/{participant_id}"): Rule(
        lambda w: {EVENT_ID: w.event_id, "participant_id": w.producer_participant_id},
        no_body,
        owner_or_staff(204, strangers=_s(404)),
    ),
    ("POST", "/api/v1/events/{event_id}/requests"): Rule(
        lambda w: {EVENT_ID: w.event_id},
        json(lambda w: {"from_participant_id": w.buyer_participant_id, "to_participant_id": w.spare_participant_id}),
        owner_or_staff(201),
    ),
    ("DELETE", "/api/v1/events/{event_id}/requests/{request_id}"): Rule(
        lambda w: {EVENT_ID: w.event_id, "request_id": w.request_id}, no_body, owner_or_staff(204, strangers=_s(404))
    ),
    ("POST", "/api/v1/events/{event_id}/schedule"): Rule(lambda w: {EVENT_ID: w.event_id}, no_body, staff_only(200)),
    ("POST", "/api/v1/events/{event_id}/schedule/announce"): Rule(
        lambda w: {EVENT_ID: w.event_id}, no_body, staff_only(200)
    ),
    ("PATCH", "/api/v1/events/{event_id}/meetings/{meeting_id}"): Rule(
        lambda w: {EVENT_ID: w.event_id, "meeting_id": w.meeting_id},
        json(lambda w: {"status": "held", "outcome": "Samples ordered"}),
        owner_or_staff(200, strangers=_s(404)),
    ),
}


# Endpoints whose target belongs to an account of the world: that owner ("producer": the world
# producer's account, "buyer": the world buyer's) must not be locked out by the rules above.
OWNERS: dict[tuple[str, str], tuple[str, int]] = {
    ("PATCH", "/api/v1/producers/{producer_id}"): ("producer", 200),
    ("DELETE", "/api/v1/producers/{producer_id}"): ("producer", 204),
    ("POST", "/api/v1/products"): ("producer", 201),
    ("PATCH", "/api/v1/products/{product_id}"): ("producer", 200),
    ("DELETE", "/api/v1/products/{product_id}"): ("producer", 204),
    ("POST", "/api/v1/products/{product_id}/submit"): ("producer", 200),
    ("POST", "/api/v1/products/{product_id}/images"): ("producer", 201),
    ("DELETE", "/api/v1/products/{product_id}/images/{image_id}"): ("producer", 204),
    ("PUT", "/api/v1/products/{product_id}/images/order"): ("producer", 200),
    ("POST", "/api/v1/products/{product_id}/images/{image_id}/cover"): ("producer", 200),
    ("PATCH", "/api/v1/buyers/{buyer_id}"): ("buyer", 200),
    ("POST", "/api/v1/inquiries/{inquiry_id}/read"): ("producer", 200),
    ("PATCH", "/api/v1/events/{event_id}/participants/{participant_id}"): ("buyer", 200),
    ("DELETE", "/api/v1/events/{event_id}/participants/{participant_id}"): ("producer", 204),
    ("POST", "/api/v1/events/{event_id}/requests"): ("buyer", 201),
    ("DELETE", "/api/v1/events/{event_id}/requests/{request_id}"): ("buyer", 204),
    # a participant may cancel a meeting but only staff record that it was held
    ("PATCH", "/api/v1/events/{event_id}/meetings/{meeting_id}"): ("buyer", 403),
}


def _event_body() -> dict[str, Any]:
    from tests.security.conftest import EVENT

    return dict(EVENT)


def unsafe_api_routes(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(method, full path template) of every state-changing route under /api/v1, from the route table."""
    found: set[tuple[str, str]] = set()
    for ctx in iter_route_contexts(app.routes):
        path = ctx.path or ""
        if not path.startswith(API + "/"):
            continue
        for method in ctx.methods or ():
            if method in UNSAFE:
                found.add((method, path))
    return found


def test_every_unsafe_endpoint_is_in_the_matrix(app):
    routes = unsafe_api_routes(app)
    missing = sorted(routes - EXPECTED.keys())
    stale = sorted(EXPECTED.keys() - routes)
    assert not missing, f"new state-changing endpoints: say in EXPECTED who may call them: {missing}"
    assert not stale, f"EXPECTED lists endpoints that no longer exist: {stale}"


def test_the_matrix_covers_every_role_of_every_endpoint():
    for key, rule in EXPECTED.items():
        assert set(rule.expect) == set(ROLES), key
        assert all(rule.expect[role] for role in ROLES), key


def _call(client, method: str, path: str, rule: Rule, world: World, role: str):  # type: ignore[no-untyped-def]
    url = path.format(**rule.params(world))
    kwargs = rule.request(world, role)
    return client.request(method, url, headers=world.headers[role], **kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_each_caller_gets_the_expected_status_from_every_unsafe_endpoint(app, client, db, world, role):
    wrong: list[str] = []
    for (method, path), rule in sorted(EXPECTED.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        with isolated(db):
            app.state.limiter.reset()
            r = _call(client, method, path, rule, world, role)
        allowed = rule.expect[role]
        if r.status_code not in allowed:
            wrong.append(f"{method} {path} as {role}: {r.status_code} (expected {sorted(allowed)}): {r.text[:200]}")
        elif r.status_code >= 400:
            assert r.headers["content-type"].startswith("application/problem+json"), (method, path, role)
            assert r.json()["status"] == r.status_code
    assert not wrong, "\n".join(wrong)


def test_owners_may_act_on_what_is_theirs(app, client, db, world):
    assert OWNERS.keys() <= EXPECTED.keys()
    wrong: list[str] = []
    for (method, path), (who, status) in OWNERS.items():
        rule = EXPECTED[(method, path)]
        headers = world.owner_headers if who == "producer" else world.buyer_headers
        with isolated(db):
            app.state.limiter.reset()
            r = client.request(method, path.format(**rule.params(world)), headers=headers, **rule.request(world, who))
        if r.status_code != status:
            wrong.append(
                f"{method} {path} as the {who} who owns it: {r.status_code} (expected {status}): {r.text[:200]}"
            )
    assert not wrong, "\n".join(wrong)


def test_a_refused_write_changes_nothing(client, session, world):
    """Spot check that a 403/404 is a refusal before any write: the target is unchanged after a stranger's try."""
    from app.catalogue.models import Product

    before = session.get(Product, world.published_id)
    price, updated = before.price_lak, before.updated_at
    r = client.patch(
        f"/api/v1/products/{world.published_id}", json={"price_lak": 1}, headers=world.headers["other_producer"]
    )
    assert r.status_code == 403
    session.expire_all()
    after = session.get(Product, world.published_id)
    assert (after.price_lak, after.updated_at) == (price, updated)
