"""Matching events through the API: events and slots, participants, requests, the schedule with
its hard rules, rescheduling, outcomes, the report, agendas, and every kind of bad input."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.models import User
from app.events.models import Meeting

EVENT = {
    "name": "Luang Prabang ODOP business matching",
    "province_code": "LA-LP",
    "venue": "Provincial Chamber of Commerce",
    "starts_at": "2031-03-10T09:00:00+07:00",
    "ends_at": "2031-03-10T11:00:00+07:00",
    "slot_minutes": 30,
    "tables": 2,
}


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.fixture
def staff(make_user, auth_headers):  # type: ignore[no-untyped-def]
    return auth_headers(make_user("staff"))


def new_event(client, staff, **kw):  # type: ignore[no-untyped-def]
    r = client.post("/api/v1/events", json={**EVENT, **kw}, headers=staff)
    assert r.status_code == 201, r.text
    return r.json()


def register(client, headers, event_id, **body):  # type: ignore[no-untyped-def]
    r = client.post(f"/api/v1/events/{event_id}/participants", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def request_meeting(client, headers, event_id, a, b, priority=2):  # type: ignore[no-untyped-def]
    body = {"from_participant_id": a, "to_participant_id": b, "priority": priority}
    return client.post(f"/api/v1/events/{event_id}/requests", json=body, headers=headers)


def check_hard_rules(event, schedule):  # type: ignore[no-untyped-def]
    """Nobody in two places in one slot, one meeting per table and slot, slots and tables exist,
    a pair meets at most once."""
    meetings = schedule["meetings"]
    slots = len(event["slots"])
    assert all(0 <= m["slot"] < slots and 1 <= m["table"] <= event["tables"] for m in meetings)
    busy = Counter((m["slot"], p) for m in meetings for p in (m["buyer_participant_id"], m["producer_participant_id"]))
    assert max(busy.values(), default=0) <= 1
    assert max(Counter((m["slot"], m["table"]) for m in meetings).values(), default=0) <= 1
    pairs = Counter((m["buyer_participant_id"], m["producer_participant_id"]) for m in meetings)
    assert max(pairs.values(), default=0) <= 1
    assert schedule["objective"] <= schedule["bound"] + 1e-9


# ---- events ------------------------------------------------------------------------------------


def test_staff_create_an_event_with_its_slots(client, staff):
    event = new_event(client, staff)
    assert [s["index"] for s in event["slots"]] == [0, 1, 2, 3]
    assert event["slots"][0]["starts_at"] == "2031-03-10T09:00:00+07:00"
    assert event["slots"][3]["ends_at"] == "2031-03-10T11:00:00+07:00"
    assert client.get(f"/api/v1/events/{event['id']}").json()["slots"] == event["slots"]  # events are public
    assert any(e["id"] == event["id"] for e in client.get("/api/v1/events?province=LA-LP").json()["items"])
    # a time without a zone is Lao time
    naive = new_event(client, staff, starts_at="2031-03-10T09:00:00", ends_at="2031-03-10T10:00:00")
    assert naive["starts_at"] == "2031-03-10T09:00:00+07:00" and len(naive["slots"]) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2031-03-10T08:00:00+07:00"}, "ends_at"),  # ends before it starts
        ({"ends_at": EVENT["starts_at"]}, "ends_at"),
        ({"tables": 0}, "tables"),
        ({"slot_minutes": 0}, "slot_minutes"),
        ({"ends_at": "2031-03-10T09:20:00+07:00"}, "slot_minutes"),  # shorter than one slot
        ({"slot_minutes": 5, "ends_at": "2031-03-12T09:00:00+07:00"}, "slot_minutes"),  # too many slots
        ({"province_code": "LA-XX"}, "province_code"),
        ({"starts_at": "next tuesday"}, "starts_at"),
    ],
)
def test_bad_events_are_422(client, staff, change, field):
    body = problem(client.post("/api/v1/events", json={**EVENT, **change}, headers=staff), 422)
    assert field in body["errors"][0]["loc"], body


def test_only_staff_create_and_change_events(client, make_user, auth_headers, staff):
    problem(client.post("/api/v1/events", json=EVENT, headers=auth_headers(make_user("buyer"))), 403)
    problem(client.post("/api/v1/events", json=EVENT), 401)
    event = new_event(client, staff)
    problem(client.patch(f"/api/v1/events/{event['id']}", json={"tables": 3}, headers=auth_headers(make_user())), 403)
    r = client.patch(f"/api/v1/events/{event['id']}", json={"tables": 3, "venue": "Hall B"}, headers=staff)
    assert r.status_code == 200 and r.json()["tables"] == 3
    problem(client.patch(f"/api/v1/events/{event['id']}", json={"tables": 0}, headers=staff), 422)
    problem(client.get("/api/v1/events/999999"), 404)


# ---- participants and requests -----------------------------------------------------------------


@pytest.fixture
def fair(client, staff, session, make_buyer, make_producer, make_product):  # type: ignore[no-untyped-def]
    """An event with two approved buyers and three approved producers (staff registered them)."""
    event = new_event(client, staff)
    buyers = [
        make_buyer(organisation="Vientiane Crafts", categories=["silk"]),
        make_buyer(organisation="Bangkok Silk House", country="TH", categories=["silk"], languages=["th", "en"]),
    ]
    producers = []
    for i, province in enumerate(["LA-LP", "LA-LP", "LA-VT"]):
        producer = make_producer(province=province, name={"lo": f"ກຸ່ມ {i}", "en": f"Group {i}"})
        make_product(producer=producer, status="published", stars=5, category="silk", name={"en": f"Silk {i}"})
        producers.append(producer)
    b = [register(client, staff, event["id"], buyer_id=x.id)["id"] for x in buyers]
    p = [register(client, staff, event["id"], producer_id=x.id)["id"] for x in producers]
    return {
        "event": event,
        "buyers": buyers,
        "producers": producers,
        "buyer_accounts": [session.get(User, x.user_id) for x in buyers],
        "producer_accounts": [session.get(User, x.owner_user_id) for x in producers],
        "b": b,
        "p": p,
    }


def test_self_registration_waits_for_staff_approval(client, make_buyer, make_user, auth_headers, staff, fair):
    event_id = fair["event"]["id"]
    account = make_user("buyer")
    mine = make_buyer(user=account)
    h = auth_headers(account)
    me = register(client, h, event_id, buyer_id=mine.id, unavailable_slots=[3, 1, 1], languages=["lo", "EN"])
    assert me["approved"] is False and me["unavailable_slots"] == [1, 3] and me["languages"] == ["lo", "en"]
    assert me["side"] == "buyer" and me["name"] == "Mekong Fine Goods"
    # waiting: no requests yet
    problem(request_meeting(client, h, event_id, me["id"], fair["p"][0]), 409)
    # the public list shows approved participants only; staff see everyone
    assert me["id"] not in [x["id"] for x in client.get(f"/api/v1/events/{event_id}/participants").json()]
    assert me["id"] in [x["id"] for x in client.get(f"/api/v1/events/{event_id}/participants", headers=staff).json()]
    problem(client.patch(f"/api/v1/events/{event_id}/participants/{me['id']}", json={"approved": True}, headers=h), 403)
    r = client.patch(f"/api/v1/events/{event_id}/participants/{me['id']}", json={"approved": True}, headers=staff)
    assert r.status_code == 200 and r.json()["approved"] is True
    assert request_meeting(client, h, event_id, me["id"], fair["p"][0], priority=3).status_code == 201
    # registering again, or someone else's profile, is refused
    problem(client.post(f"/api/v1/events/{event_id}/participants", json={"buyer_id": mine.id}, headers=h), 409)
    other = fair["buyers"][0]
    problem(client.post(f"/api/v1/events/{event_id}/participants", json={"buyer_id": other.id}, headers=h), 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unavailable_slots": [4]}, "unavailable_slots"),  # slots 0..3
        ({"unavailable_slots": [-1]}, "unavailable_slots"),
        ({}, "body"),  # neither buyer nor producer
        ({"producer_id": 1, "buyer_id": 1}, "body"),
        ({"languages": ["klingon language"]}, "languages"),
    ],
)
def test_bad_registrations_are_422(client, make_buyer, staff, fair, body, field):
    body = {"buyer_id": make_buyer().id, **body} if "buyer_id" not in body and body != {} else body
    r = problem(client.post(f"/api/v1/events/{fair['event']['id']}/participants", json=body, headers=staff), 422)
    assert field in r["errors"][0]["loc"], r


def test_unknown_profiles_and_past_events(client, staff, make_buyer, fair):
    event_id = fair["event"]["id"]
    r = problem(client.post(f"/api/v1/events/{event_id}/participants", json={"buyer_id": 999_999}, headers=staff), 422)
    assert r["errors"][0]["loc"] == ["body", "buyer_id"]
    problem(client.post(f"/api/v1/events/{event_id}/participants", json={"producer_id": 999_999}, headers=staff), 422)
    past = new_event(client, staff, starts_at="2020-01-01T09:00:00+07:00", ends_at="2020-01-01T10:00:00+07:00")
    problem(
        client.post(f"/api/v1/events/{past['id']}/participants", json={"buyer_id": make_buyer().id}, headers=staff), 409
    )
    problem(
        client.patch(
            f"/api/v1/events/{event_id}/participants/{fair['b'][0]}", json={"unavailable_slots": [9]}, headers=staff
        ),
        422,
    )


def test_bad_requests_are_clear_4xx(client, staff, make_user, auth_headers, fair):
    event_id = fair["event"]["id"]
    (b1, b2), (p1, p2, _p3) = fair["b"], fair["p"]
    r = problem(request_meeting(client, staff, event_id, b1, b2), 422)  # two buyers
    assert "buyer" in r["detail"] and r["errors"][0]["loc"] == ["body", "to_participant_id"]
    problem(request_meeting(client, staff, event_id, p1, p2), 422)  # two producers
    problem(request_meeting(client, staff, event_id, b1, b1), 422)  # oneself
    problem(request_meeting(client, staff, event_id, b1, 999_999), 422)  # unknown participant
    other_event = new_event(client, staff, name="Pakse fair", province_code="LA-CH")
    r = problem(request_meeting(client, staff, other_event["id"], b1, p1), 422)  # across events
    assert r["errors"][0]["loc"] == ["body", "from_participant_id"]
    problem(request_meeting(client, staff, event_id, b1, p1, priority=4), 422)
    problem(request_meeting(client, staff, 999_999, b1, p1), 404)
    assert request_meeting(client, staff, event_id, b1, p1).status_code == 201
    problem(request_meeting(client, staff, event_id, b1, p1), 409)  # asked already
    # a buyer account asks only for itself
    stranger = auth_headers(make_user("buyer"))
    problem(request_meeting(client, stranger, event_id, b2, p2), 403)
    owner = auth_headers(fair["buyer_accounts"][1])
    assert request_meeting(client, owner, event_id, b2, p2, priority=3).status_code == 201
    seen = client.get(f"/api/v1/events/{event_id}/requests", headers=owner).json()
    assert [(r["from_participant_id"], r["to_participant_id"], r["priority"]) for r in seen] == [(b2, p2, 3)]
    assert len(client.get(f"/api/v1/events/{event_id}/requests", headers=staff).json()) == 2


# ---- the schedule ------------------------------------------------------------------------------


def test_scheduling_an_event_without_requests_gives_an_empty_valid_schedule(client, staff, fair):
    event_id = fair["event"]["id"]
    # no requests, and nobody matches well enough for a proposal: nothing to schedule
    r = client.post(f"/api/v1/events/{new_event(client, staff)['id']}/schedule", headers=staff)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["meetings"] == [] and body["unscheduled_requests"] == []
    assert body["objective"] == 0 and body["bound"] == 0 and body["status"] == "OPTIMAL"
    assert client.get(f"/api/v1/events/{event_id}/schedule", headers=staff).json()["status"] == "NONE"


def test_only_staff_schedule(client, make_user, auth_headers, fair):
    event_id = fair["event"]["id"]
    problem(client.post(f"/api/v1/events/{event_id}/schedule", headers=auth_headers(fair["buyer_accounts"][0])), 403)
    problem(client.get(f"/api/v1/events/{event_id}/schedule", headers=auth_headers(make_user("producer"))), 403)
    problem(client.post(f"/api/v1/events/{event_id}/schedule"), 401)


def test_schedule_respects_every_hard_rule_and_reports_its_bound(client, staff, session, fair):
    event, event_id = fair["event"], fair["event"]["id"]
    (b1, b2), (p1, p2, p3) = fair["b"], fair["p"]
    # p1 is wanted by everybody and cannot come to slots 0 and 1; b2 cannot come to slot 3
    client.patch(f"/api/v1/events/{event_id}/participants/{p1}", json={"unavailable_slots": [0, 1]}, headers=staff)
    client.patch(f"/api/v1/events/{event_id}/participants/{b2}", json={"unavailable_slots": [3]}, headers=staff)
    for a, b, prio in [(b1, p1, 3), (b1, p2, 2), (b1, p3, 1), (b2, p1, 3), (b2, p2, 1), (p3, b2, 2), (p1, b1, 1)]:
        assert request_meeting(client, staff, event_id, a, b, prio).status_code == 201
    r = client.post(f"/api/v1/events/{event_id}/schedule", headers=staff)
    assert r.status_code == 200, r.text
    schedule = r.json()
    check_hard_rules(event, schedule)
    unavailable = {p1: {0, 1}, b2: {3}}
    for m in schedule["meetings"]:
        for pid in (m["buyer_participant_id"], m["producer_participant_id"]):
            assert m["slot"] not in unavailable.get(pid, set())
        assert m["starts_at"] == event["slots"][m["slot"]]["starts_at"]
    assert schedule["status"] == "OPTIMAL" and schedule["objective"] == schedule["bound"]
    met = {(m["buyer_participant_id"], m["producer_participant_id"]) for m in schedule["meetings"]}
    assert met == {(b1, p1), (b1, p2), (b1, p3), (b2, p1), (b2, p2), (b2, p3)}  # room for everyone
    assert schedule["unscheduled_requests"] == [] and schedule["uncovered_participant_ids"] == []
    assert client.get(f"/api/v1/events/{event_id}/schedule", headers=staff).json() == schedule
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "event.schedule")).all()
    assert [a.entity_id for a in audit] == [event_id]


def test_a_full_table_plan_leaves_requests_unscheduled_with_a_reason(client, staff, fair):
    event = new_event(client, staff, tables=1, ends_at="2031-03-10T09:30:00+07:00")  # one slot, one table
    eid = event["id"]
    b = [register(client, staff, eid, buyer_id=x.id)["id"] for x in fair["buyers"]]
    p = [register(client, staff, eid, producer_id=x.id)["id"] for x in fair["producers"][:2]]
    request_meeting(client, staff, eid, b[0], p[0], 3)
    request_meeting(client, staff, eid, b[1], p[1], 1)
    schedule = client.post(f"/api/v1/events/{eid}/schedule", headers=staff).json()
    check_hard_rules(event, schedule)
    assert len(schedule["meetings"]) == 1
    assert [u["reason"] for u in schedule["unscheduled_requests"]] == ["not_selected"]
    assert len(schedule["uncovered_participant_ids"]) == 2


def test_meetings_without_a_shared_language_need_an_interpreter(client, staff, make_buyer, fair):
    event = new_event(client, staff, interpreters_per_slot=0)
    eid = event["id"]
    chinese = make_buyer(organisation="Kunming Trading", country="CN", languages=["zh"])
    b = register(client, staff, eid, buyer_id=chinese.id)
    assert b["languages"] == ["zh"]
    p = register(client, staff, eid, producer_id=fair["producers"][0].id)
    assert p["languages"] == ["lo"]
    request_meeting(client, staff, eid, b["id"], p["id"], 3)
    schedule = client.post(f"/api/v1/events/{eid}/schedule", headers=staff).json()
    assert schedule["meetings"] == []
    assert [u["reason"] for u in schedule["unscheduled_requests"]] == ["no_interpreter"]
    client.patch(f"/api/v1/events/{eid}", json={"interpreters_per_slot": 1}, headers=staff)
    schedule = client.post(f"/api/v1/events/{eid}/schedule", headers=staff).json()
    assert [m["needs_interpreter"] for m in schedule["meetings"]] == [True]


def test_the_match_score_proposes_meetings_for_those_who_asked_for_few(client, staff, fair):
    event_id = fair["event"]["id"]
    (b1, _b2), (p1, _p2, _p3) = fair["b"], fair["p"]
    request_meeting(client, staff, event_id, b1, p1, 1)
    schedule = client.post(f"/api/v1/events/{event_id}/schedule", headers=staff).json()
    check_hard_rules(fair["event"], schedule)
    asked = [m for m in schedule["meetings"] if not m["proposed"]]
    proposed = [m for m in schedule["meetings"] if m["proposed"]]
    assert [(m["buyer_participant_id"], m["producer_participant_id"]) for m in asked] == [(b1, p1)]
    assert proposed, "every participant sells or wants silk: the score proposes more meetings"
    assert all(0 < m["value"] < asked[0]["value"] for m in proposed)  # a proposal never outweighs a request


def test_rescheduling_keeps_announced_meetings_and_says_which_moved(client, staff, fair):
    event, event_id = fair["event"], fair["event"]["id"]
    (b1, b2), (p1, p2, p3) = fair["b"], fair["p"]
    for a, b in [(b1, p1), (b1, p2), (b2, p1), (b2, p3)]:
        request_meeting(client, staff, event_id, a, b, 3)
    first = client.post(f"/api/v1/events/{event_id}/schedule", headers=staff).json()
    announced = client.post(f"/api/v1/events/{event_id}/schedule/announce", headers=staff).json()
    assert all(m["announced"] and not m["moved"] for m in announced["meetings"])
    before = {m["id"]: (m["slot"], m["table"]) for m in first["meetings"]}
    # late change: p1 can no longer come at the time of its meeting with b1
    late = next(m for m in first["meetings"] if (m["buyer_participant_id"], m["producer_participant_id"]) == (b1, p1))
    client.patch(
        f"/api/v1/events/{event_id}/participants/{p1}", json={"unavailable_slots": [late["slot"]]}, headers=staff
    )
    second = client.post(f"/api/v1/events/{event_id}/schedule", headers=staff).json()
    check_hard_rules(event, second)
    after = {m["id"]: (m["slot"], m["table"]) for m in second["meetings"]}
    assert set(after) == set(before)  # the same meetings (same ids): nothing was dropped
    assert [m["meeting_id"] for m in second["moved"]] == [late["id"]]
    assert second["moved"][0]["from_slot"] == late["slot"] and second["moved"][0]["slot"] != late["slot"]
    assert {k: v for k, v in after.items() if k != late["id"]} == {k: v for k, v in before.items() if k != late["id"]}
    assert second["version"] == first["version"] + 1 and second["dropped"] == []
    # the participants of the moved meeting see it in their agenda
    agenda = client.get(f"/api/v1/events/{event_id}/agenda?participant_id={b1}", headers=staff).json()
    moved = next(m for m in agenda["meetings"] if m["meeting_id"] == late["id"])
    assert moved["moved"] and moved["announced_slot"] == late["slot"]


def test_a_withdrawn_participant_drops_its_announced_meetings(client, staff, fair):
    event_id = fair["event"]["id"]
    (b1, b2), (p1, p2, _p3) = fair["b"], fair["p"]
    request_meeting(client, staff, event_id, b1, p1, 3)
    request_meeting(client, staff, event_id, b2, p2, 3)
    client.post(f"/api/v1/events/{event_id}/schedule", headers=staff)
    client.post(f"/api/v1/events/{event_id}/schedule/announce", headers=staff)
    r = client.patch(f"/api/v1/events/{event_id}/participants/{p2}", json={"approved": False}, headers=staff)
    assert r.status_code == 200
    second = client.post(f"/api/v1/events/{event_id}/schedule", headers=staff).json()
    pairs = {(m["buyer_participant_id"], m["producer_participant_id"]) for m in second["meetings"]}
    assert (b2, p2) not in pairs and (b1, p1) in pairs
    # p2's announced meetings (the one asked for, and any the score proposed) no longer take place
    dropped = {(d["buyer_participant_id"], d["producer_participant_id"], d["slot"]) for d in second["dropped"]}
    assert (b2, p2, None) in dropped and {d[1] for d in dropped} == {p2}


# ---- outcomes and the report -------------------------------------------------------------------


@pytest.fixture
def held_fair(client, staff, fair):  # type: ignore[no-untyped-def]
    event_id = fair["event"]["id"]
    (b1, b2), (p1, p2, p3) = fair["b"], fair["p"]
    # every pair asked for (p2 and b2 both ways), so the score proposes nothing more
    for a, b in [(b1, p1), (b1, p2), (b1, p3), (b2, p1), (b2, p2), (b2, p3), (p2, b2)]:
        request_meeting(client, staff, event_id, a, b, 3)
    schedule = client.post(f"/api/v1/events/{event_id}/schedule", headers=staff).json()
    fair["meetings"] = {
        (m["buyer_participant_id"], m["producer_participant_id"]): m["id"] for m in schedule["meetings"]
    }
    return fair


def test_outcomes_follow_ups_and_the_report(client, staff, auth_headers, held_fair):
    fair = held_fair
    event_id = fair["event"]["id"]
    (b1, b2), (p1, p2, p3) = fair["b"], fair["p"]
    m = fair["meetings"]
    url = f"/api/v1/events/{event_id}/meetings"
    r = client.patch(f"{url}/{m[b1, p1]}", json={"status": "held", "outcome": "Samples sent"}, headers=staff)
    assert r.status_code == 200 and r.json()["status"] == "held" and r.json()["outcome"] == "Samples sent"
    # months later, the producer records the deal itself
    producer = auth_headers(fair["producer_accounts"][0])
    r = client.patch(f"{url}/{m[b1, p1]}", json={"deal_value_lak": 45_000_000}, headers=producer)
    assert r.status_code == 200 and r.json()["follow_up"] == "agreement_reached"
    client.patch(f"{url}/{m[b1, p2]}", json={"status": "held", "follow_up": "negotiation_started"}, headers=staff)
    client.patch(f"{url}/{m[b2, p3]}", json={"status": "no_show"}, headers=staff)
    # the buyer cancels its own meeting
    buyer2 = auth_headers(fair["buyer_accounts"][1])
    assert client.patch(f"{url}/{m[b2, p2]}", json={"status": "cancelled"}, headers=buyer2).status_code == 200

    report = client.get(f"/api/v1/events/{event_id}/report").json()
    assert {k: report[k] for k in ("requests", "scheduled", "held", "no_shows", "cancelled", "deals")} == {
        "requests": 7,
        "scheduled": 6,
        "held": 2,
        "no_shows": 1,
        "cancelled": 1,
        "deals": 1,
    }
    assert report["deal_value_lak"] == 45_000_000
    by_province = {row["province_code"]: row for row in report["by_province"]}
    assert by_province["LA-LP"]["requests"] == 5 and by_province["LA-LP"]["deals"] == 1
    assert by_province["LA-VT"]["no_shows"] == 1 and by_province["LA-VT"]["name"]["en"] == "Vientiane Capital"
    assert [(row["category"], row["scheduled"], row["deal_value_lak"]) for row in report["by_category"]] == [
        ("silk", 6, 45_000_000)
    ]
    # once outcomes are recorded, the plan is history
    problem(client.post(f"/api/v1/events/{event_id}/schedule", headers=staff), 409)


def test_bad_outcomes_are_clear_4xx(client, staff, make_user, auth_headers, held_fair):
    fair = held_fair
    event_id = fair["event"]["id"]
    (b1, b2), (p1, _p2, p3) = fair["b"], fair["p"]
    m = fair["meetings"]
    url = f"/api/v1/events/{event_id}/meetings"
    problem(client.patch(f"{url}/{m[b2, p3]}", json={"status": "vanished"}, headers=staff), 422)
    problem(client.patch(f"{url}/{m[b2, p3]}", json={"deal_value_lak": 10}, headers=staff), 422)  # not held
    client.patch(f"{url}/{m[b2, p3]}", json={"status": "held"}, headers=staff)
    r = problem(
        client.patch(f"{url}/{m[b2, p3]}", json={"follow_up": "no_deal", "deal_value_lak": 5}, headers=staff), 422
    )
    assert r["errors"][0]["loc"] == ["body", "deal_value_lak"]
    problem(client.patch(f"{url}/{m[b2, p3]}", json={"deal_value_lak": -5}, headers=staff), 422)
    # participants do not mark meetings held; strangers see nothing
    buyer1 = auth_headers(fair["buyer_accounts"][0])
    problem(client.patch(f"{url}/{m[b1, p1]}", json={"status": "held"}, headers=buyer1), 403)
    # nor undo an outcome staff recorded
    problem(
        client.patch(
            f"{url}/{m[b2, p3]}", json={"status": "cancelled"}, headers=auth_headers(fair["buyer_accounts"][1])
        ),
        403,
    )
    problem(client.patch(f"{url}/{m[b2, p3]}", json={"status": "cancelled"}, headers=buyer1), 404)
    problem(
        client.patch(f"{url}/{m[b2, p3]}", json={"status": "cancelled"}, headers=auth_headers(make_user("buyer"))), 404
    )
    problem(client.patch(f"{url}/999999", json={"status": "held"}, headers=staff), 404)
    other = new_event(client, staff)
    problem(
        client.patch(f"/api/v1/events/{other['id']}/meetings/{m[b1, p1]}", json={"status": "held"}, headers=staff), 404
    )


# ---- agendas -----------------------------------------------------------------------------------


def test_agenda_lists_meetings_with_products_and_a_qr_code(client, staff, make_user, auth_headers, held_fair):
    fair = held_fair
    event_id = fair["event"]["id"]
    (b1, _b2), (p1, _p2, _p3) = fair["b"], fair["p"]
    buyer1 = auth_headers(fair["buyer_accounts"][0])
    r = client.get(f"/api/v1/events/{event_id}/agenda?participant_id={b1}&lang=en", headers=buyer1)
    assert r.status_code == 200, r.text
    agenda = r.json()
    assert agenda["participant"]["id"] == b1 and agenda["event"]["id"] == event_id
    assert sorted(m["other"]["participant_id"] for m in agenda["meetings"]) == sorted(fair["p"])
    assert [m["slot"] for m in agenda["meetings"]] == sorted(m["slot"] for m in agenda["meetings"])
    first = agenda["meetings"][0]
    assert first["other"]["side"] == "producer" and first["other"]["name"].startswith("Group ")
    assert first["other"]["products"][0]["name"]["en"].startswith("Silk ")
    assert first["other"]["page_url"].endswith(
        f"/producers/{fair['producers'][fair['p'].index(first['other']['participant_id'])].id}"
    )
    assert first["other"]["qr_svg"].startswith("data:image/svg+xml")
    # the producer's agenda shows the buyer and what it is looking for
    producer1 = auth_headers(fair["producer_accounts"][0])
    theirs = client.get(f"/api/v1/events/{event_id}/agenda?participant_id={p1}&lang=en", headers=producer1).json()
    assert theirs["meetings"][0]["other"]["name"] == "Vientiane Crafts"
    assert theirs["meetings"][0]["other"]["interests"] == ["Silk"]
    # nobody reads someone else's agenda
    problem(client.get(f"/api/v1/events/{event_id}/agenda?participant_id={p1}", headers=buyer1), 404)
    problem(
        client.get(f"/api/v1/events/{event_id}/agenda?participant_id={b1}", headers=auth_headers(make_user("buyer"))),
        404,
    )
    problem(client.get(f"/api/v1/events/{event_id}/agenda?participant_id=999999", headers=staff), 404)
    problem(client.get(f"/api/v1/events/{event_id}/agenda", headers=staff), 422)


def test_table_sheet_for_staff(client, staff, auth_headers, held_fair):
    fair = held_fair
    event_id = fair["event"]["id"]
    sheets = [client.get(f"/api/v1/events/{event_id}/tables/{t}", headers=staff).json() for t in (1, 2)]
    assert all(len(sheet["slots"]) == 4 for sheet in sheets)
    booked = [s["meeting"] for sheet in sheets for s in sheet["slots"] if s["meeting"]]
    assert sorted(x["meeting_id"] for x in booked) == sorted(fair["meetings"].values())
    assert all(x["buyer"]["name"] and x["producer"]["name"] for x in booked)
    problem(client.get(f"/api/v1/events/{event_id}/tables/0", headers=staff), 404)
    problem(client.get(f"/api/v1/events/{event_id}/tables/3", headers=staff), 404)
    problem(client.get(f"/api/v1/events/{event_id}/tables/1", headers=auth_headers(fair["buyer_accounts"][0])), 403)


def test_withdrawing_removes_requests_and_meetings(client, staff, session, held_fair):
    fair = held_fair
    event_id = fair["event"]["id"]
    b1 = fair["b"][0]
    r = client.delete(f"/api/v1/events/{event_id}/participants/{b1}", headers=staff)
    assert r.status_code == 204
    assert not session.exec(select(Meeting).where(Meeting.buyer_participant_id == b1)).all()
    assert all(x["id"] != b1 for x in client.get(f"/api/v1/events/{event_id}/participants", headers=staff).json())


def test_slots_stay_fixed_once_someone_refers_to_them(client, staff, fair):
    event_id = fair["event"]["id"]
    later = {"starts_at": "2031-03-10T10:00:00+07:00", "ends_at": "2031-03-10T12:00:00+07:00"}
    # nobody marked a slot yet: the times may move
    assert client.patch(f"/api/v1/events/{event_id}", json=later, headers=staff).status_code == 200
    url = f"/api/v1/events/{event_id}/participants/{fair['b'][0]}"
    client.patch(url, json={"unavailable_slots": [0]}, headers=staff)
    problem(client.patch(f"/api/v1/events/{event_id}", json={"slot_minutes": 20}, headers=staff), 409)
    body = problem(
        client.patch(f"/api/v1/events/{event_id}", json={"ends_at": "2031-03-10T09:00:00+07:00"}, headers=staff), 422
    )
    assert body["errors"][0]["loc"] == ["body", "ends_at"]


def test_a_change_while_the_solver_runs_is_a_conflict(client, staff, session, fair):
    """The solver runs outside any transaction; storing its answer checks nothing changed meanwhile."""
    from app.errors import Conflict
    from app.events import scheduling, service

    event_id = fair["event"]["id"]
    (b1, _b2), (p1, p2, _p3) = fair["b"], fair["p"]
    request_meeting(client, staff, event_id, b1, p1, 3)
    event = service.get_event(session, event_id)
    prepared = scheduling.prepare_schedule(session, event)
    result = scheduling.solve(prepared)
    request_meeting(client, staff, event_id, b1, p2, 3)  # meanwhile, a new request
    staff_user = session.exec(select(User).where(User.role == "staff")).first()
    with pytest.raises(Conflict):
        scheduling.store_schedule(session, staff_user, prepared, result)
    # run again: it goes through
    prepared = scheduling.prepare_schedule(session, event)
    stored = scheduling.store_schedule(session, staff_user, prepared, scheduling.solve(prepared))
    assert stored.schedule_version == 1
