"""Matching-event pages as people use them: the public list and event page with its report, a
participant's registration and requests, the staff's event form and management page (participants,
requests, the schedule with its bound, rescheduling, outcomes), the printable agenda and table sheet;
who may see what, forms refusing bad input in place, CSRF, hostile text."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from sqlmodel import select

from app.auth.models import User
from app.events import scheduling, service
from app.events.models import Event, EventParticipant, Meeting, MeetingRequest
from app.events.schemas import EventCreate, ParticipantCreate, ParticipantUpdate, RequestCreate, in_laos_time
from tests.matching import fixtures as matching_fixtures
from tests.web.test_matching_pages import HOSTILE, assert_escaped, csrf, login, mount_pages

make_buyer = matching_fixtures.make_buyer  # the matching tests' fixture: a buyer account and its profile

EVENT = {
    "name": "Luang Prabang ODOP business matching",
    "province_code": "LA-LP",
    "venue": "Provincial Chamber of Commerce",
    "starts_at": "2031-03-10T09:00:00+07:00",
    "ends_at": "2031-03-10T11:00:00+07:00",
    "slot_minutes": 30,
    "tables": 2,
}


@pytest.fixture
def client(app, client):  # type: ignore[no-untyped-def]
    mount_pages(app)
    return client


@pytest.fixture
def staff(make_user):  # type: ignore[no-untyped-def]
    return make_user("staff", email="officer@example.la")


def new_event(session, staff, **kw):  # type: ignore[no-untyped-def]
    event = service.create_event(session, staff, EventCreate(**{**EVENT, **kw}))
    session.flush()
    return event


def run_schedule(session, staff, event):  # type: ignore[no-untyped-def]
    prepared = scheduling.prepare_schedule(session, event)
    scheduling.store_schedule(session, staff, prepared, scheduling.solve(prepared))
    session.flush()


@pytest.fixture
def fair(session, staff, make_buyer, make_producer, make_product):  # type: ignore[no-untyped-def]
    """An event with two buyers and three producers, all approved (staff registered them)."""
    event = new_event(session, staff)
    buyers = [
        make_buyer(organisation="Vientiane Crafts", categories=["silk"]),
        make_buyer(organisation="Bangkok Silk House", country="TH", categories=["silk"], languages=["th", "en"]),
    ]
    producers = []
    for i in range(3):
        producer = make_producer(province="LA-LP", name={"lo": f"ກຸ່ມ {i}", "en": f"Weavers {i}"})
        make_product(producer=producer, status="published", stars=5, name={"en": f"Silk {i}"})
        producers.append(producer)
    b = [service.register_participant(session, staff, event, ParticipantCreate(buyer_id=x.id)) for x in buyers]
    p = [service.register_participant(session, staff, event, ParticipantCreate(producer_id=x.id)) for x in producers]
    session.flush()
    return SimpleNamespace(
        event=event,
        buyers=buyers,
        producers=producers,
        b=b,
        p=p,
        buyer_emails=[session.get(User, x.user_id).email for x in buyers],
        producer_emails=[session.get(User, x.owner_user_id).email for x in producers],
    )


def ask(session, staff, event, a, b, priority=2):  # type: ignore[no-untyped-def]
    data = RequestCreate(from_participant_id=a.id, to_participant_id=b.id, priority=priority)
    return service.create_request(session, staff, event, data)


def pair(session, buyer, producer) -> Meeting:  # type: ignore[no-untyped-def]
    """The meeting of a buyer and a producer (the schedule may also propose others)."""
    session.expire_all()
    return session.exec(
        select(Meeting).where(Meeting.buyer_participant_id == buyer.id, Meeting.producer_participant_id == producer.id)
    ).one()


def manage_token(client, event) -> str:  # type: ignore[no-untyped-def]
    return csrf(client.get(f"/staff/events/{event.id}").text)


# ---- the public pages --------------------------------------------------------------------------


def test_events_list_upcoming_first_and_the_event_page_is_public(client, session, staff):
    later = new_event(
        session, staff, name="Champasak coffee matching", starts_at="2031-05-01T09:00:00", ends_at="2031-05-01T12:00"
    )
    soon = new_event(session, staff, name="Vientiane silk matching")
    past = new_event(
        session, staff, name="Fair of 2020", starts_at="2020-03-10T09:00:00+07:00", ends_at="2020-03-10T11:00:00"
    )
    session.flush()
    page = client.get("/events?lang=en").text
    assert page.index(soon.name) < page.index(later.name) < page.index("Past events") < page.index(past.name)
    detail = client.get(f"/events/{soon.id}?lang=en")
    assert detail.status_code == 200
    html = detail.text
    assert "Provincial Chamber of Commerce" in html and "09:00–11:00" in html and "Luang Prabang" in html
    assert "09:30–10:00" in html and "4 slots" in html  # the slots, in Lao time
    assert "Report" in html and "By province" in html and "Log in as a buyer or a producer" in html
    assert client.get("/events/999999").status_code == 404
    assert "This event is over" in client.get(f"/events/{past.id}?lang=en").text


def test_buyer_registers_asks_for_meetings_and_bad_requests_show_in_place(client, session, staff, fair, make_buyer):
    newcomer = make_buyer(organisation="Pakse Traders")
    login(client, session.get(User, newcomer.user_id).email)
    page = client.get(f"/events/{fair.event.id}?lang=en").text
    assert "Register for this event" in page
    r = client.post(f"/events/{fair.event.id}/register", data={"csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code == 303
    me = session.exec(select(EventParticipant).where(EventParticipant.buyer_id == newcomer.id)).one()
    assert not me.approved
    page = client.get(f"/events/{fair.event.id}?lang=en").text
    assert "have not confirmed your place yet" in page and "Ask for a meeting" not in page
    again = client.post(f"/events/{fair.event.id}/register", data={"csrf_token": csrf(page)})
    assert again.status_code == 409 and "Already registered" in again.text

    service.update_participant(session, staff, fair.event, me, ParticipantUpdate(approved=True))
    session.flush()
    page = client.get(f"/events/{fair.event.id}?lang=en").text
    token = csrf(page)
    assert f'href="/events/{fair.event.id}/agenda/{me.id}"' in page
    assert f'<option value="{fair.p[0].id}">Weavers 0' in page and "Bangkok Silk House</option>" not in page
    url = f"/events/{fair.event.id}/requests?lang=en"
    bad = client.post(url, data={"csrf_token": token, "to_participant_id": fair.p[0].id, "priority": "7"})
    assert bad.status_code == 422 and 'id="priority-error"' in bad.text
    bad = client.post(url, data={"csrf_token": token, "to_participant_id": "999999", "priority": "2"})
    assert bad.status_code == 422 and 'id="to_participant_id-error"' in bad.text
    ok = client.post(url, data={"csrf_token": token, "to_participant_id": fair.p[0].id, "priority": "3"})
    assert ok.status_code == 200 and "Weavers 0" in ok.text  # followed the redirect back to the event page
    stored = session.exec(select(MeetingRequest).where(MeetingRequest.from_participant_id == me.id)).one()
    assert (stored.to_participant_id, stored.priority) == (fair.p[0].id, 3)
    dup = client.post(url, data={"csrf_token": token, "to_participant_id": fair.p[0].id, "priority": "1"})
    assert dup.status_code == 409 and 'id="to_participant_id-error"' in dup.text
    stored_id = stored.id
    fragment = client.post(
        f"/events/{fair.event.id}/requests/{stored_id}/delete",
        data={"csrf_token": token},
        headers={"HX-Request": "true", "HX-Target": "participation"},
    )
    assert fragment.status_code == 200 and 'id="participation"' in fragment.text and "<html" not in fragment.text
    session.expire_all()
    assert session.get(MeetingRequest, stored_id) is None


def test_producer_without_profile_is_sent_to_create_it_and_strangers_cannot_ask(client, session, fair, make_user):
    make_user("producer", email="new@example.la")
    login(client, "new@example.la")
    page = client.get(f"/events/{fair.event.id}?lang=en").text
    assert 'href="/my/producer"' in page
    r = client.post(
        f"/events/{fair.event.id}/requests", data={"csrf_token": csrf(page), "to_participant_id": fair.b[0].id}
    )
    assert r.status_code == 403
    assert session.exec(select(MeetingRequest)).first() is None


# ---- staff ----------------------------------------------------------------------------------------


def test_staff_create_an_event_and_bad_input_shows_in_place(client, session, staff, make_user):
    login(client, "officer@example.la")
    form = client.get("/staff/events/new?lang=en")
    assert form.status_code == 200 and 'type="datetime-local"' in form.text
    good = {
        "csrf_token": csrf(form.text),
        "name": "Savannakhet matching day",
        "province_code": "LA-SV",
        "venue": "Savan Vegas hall",
        "starts_at": "2031-04-02T08:30",
        "ends_at": "2031-04-02T12:00",
        "slot_minutes": "20",
        "tables": "12",
    }
    bad = client.post("/staff/events/new?lang=en", data={**good, "name": "", "tables": "0", "starts_at": "soon"})
    assert bad.status_code == 422
    for field in ("name", "tables", "starts_at"):
        assert f'id="{field}-error"' in bad.text, field
    assert 'value="Savan Vegas hall"' in bad.text
    late = client.post("/staff/events/new?lang=en", data={**good, "ends_at": "2031-04-02T08:00"})
    assert late.status_code == 422 and 'id="ends_at-error"' in late.text  # the service's rule, beside its field
    assert session.exec(select(Event)).first() is None
    r = client.post("/staff/events/new", data=good, follow_redirects=False)
    assert r.status_code == 303
    event = session.exec(select(Event)).one()
    assert r.headers["location"] == f"/staff/events/{event.id}"
    assert event.starts_at == dt.datetime(2031, 4, 2, 1, 30, tzinfo=dt.UTC) and event.tables == 12
    assert event.interpreters_per_slot is None and len(service.event_slots(event)) == 10
    edit = client.get(f"/staff/events/{event.id}/edit")
    assert 'value="2031-04-02T08:30"' in edit.text
    r = client.post(
        f"/staff/events/{event.id}/edit",
        data={**good, "tables": "15", "interpreters_per_slot": "2"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.expire_all()
    assert (session.get(Event, event.id).tables, session.get(Event, event.id).interpreters_per_slot) == (15, 2)

    make_user("buyer", email="buyer@example.la")
    login(client, "buyer@example.la")
    for path in ("/staff/events/new", f"/staff/events/{event.id}", f"/staff/events/{event.id}/edit"):
        assert client.get(path).status_code == 403, path
    client.cookies.clear()
    r = client.get(f"/staff/events/{event.id}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_staff_manage_participants_and_requests(client, session, staff, fair, make_buyer, make_producer):
    pending = make_buyer(organisation="Waiting Ltd")
    waiting = service.register_participant(
        session, session.get(User, pending.user_id), fair.event, ParticipantCreate(buyer_id=pending.id)
    )
    extra_buyer = make_buyer(organisation="Hanoi Handicrafts", country="VN")
    elsewhere = make_producer(province="LA-CH", name={"en": "Pakse bamboo group"}, district="Pakse")
    session.flush()
    login(client, "officer@example.la")
    page = client.get(f"/staff/events/{fair.event.id}?lang=en").text
    token = csrf(page)
    assert "Waiting Ltd" in page and f"/participants/{waiting.id}/approve" in page
    assert f'<option value="{extra_buyer.id}">Hanoi Handicrafts (VN)</option>' in page
    assert "Pakse bamboo group" not in page  # the picker starts with the event's province
    found = client.get(
        f"/staff/events/{fair.event.id}?producer_q=pakse",
        headers={"HX-Request": "true", "HX-Target": "producer-picker"},
    )
    assert 'id="producer-picker"' in found.text and "Pakse bamboo group" in found.text and "<html" not in found.text

    r = client.post(
        f"/staff/events/{fair.event.id}/participants/{waiting.id}/approve",
        data={"csrf_token": token},
        headers={"HX-Request": "true", "HX-Target": "manage"},
    )
    assert r.status_code == 200 and r.text.lstrip().startswith('<div id="manage">')
    session.expire_all()
    assert session.get(EventParticipant, waiting.id).approved

    url = f"/staff/events/{fair.event.id}/participants?lang=en"
    r = client.post(url, data={"csrf_token": token, "producer_id": elsewhere.id}, follow_redirects=False)
    assert r.status_code == 303
    added = session.exec(select(EventParticipant).where(EventParticipant.producer_id == elsewhere.id)).one()
    added_id = added.id
    assert added.approved  # staff registrations are approved at once
    none = client.post(url, data={"csrf_token": token})
    assert none.status_code == 422 and "give either buyer_id or producer_id" in none.text
    dup = client.post(url, data={"csrf_token": token, "buyer_id": fair.buyers[0].id})
    assert dup.status_code == 409 and "Already registered" in dup.text
    unknown = client.post(url, data={"csrf_token": token, "buyer_id": "999999"})
    assert unknown.status_code == 422 and 'id="buyer_id-error"' in unknown.text

    url = f"/staff/events/{fair.event.id}/requests?lang=en"
    same_side = client.post(
        url, data={"csrf_token": token, "from_participant_id": fair.b[0].id, "to_participant_id": fair.b[1].id}
    )
    assert same_side.status_code == 422 and 'id="to_participant_id-error"' in same_side.text
    r = client.post(
        url,
        data={
            "csrf_token": token,
            "from_participant_id": fair.p[2].id,
            "to_participant_id": fair.b[1].id,
            "priority": 1,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    req = session.exec(select(MeetingRequest)).one()
    assert (req.from_participant_id, req.to_participant_id, req.priority) == (fair.p[2].id, fair.b[1].id, 1)
    client.post(f"/staff/events/{fair.event.id}/requests/{req.id}/delete", data={"csrf_token": token})
    assert session.exec(select(MeetingRequest)).first() is None
    client.post(f"/staff/events/{fair.event.id}/participants/{added_id}/delete", data={"csrf_token": token})
    session.expire_all()
    assert session.get(EventParticipant, added_id) is None


def test_staff_schedule_shows_objective_against_bound_and_what_was_left_out(client, session, staff, fair):
    ask(session, staff, fair.event, fair.b[0], fair.p[0], 3)
    ask(session, staff, fair.event, fair.b[1], fair.p[0], 2)
    ask(session, staff, fair.event, fair.p[1], fair.b[0], 1)
    # buyer 1 and producer 2 are never free at the same time: their request cannot be placed
    for who, slots in ((fair.b[1], [1, 2, 3]), (fair.p[2], [0])):
        service.update_participant(session, staff, fair.event, who, ParticipantUpdate(unavailable_slots=slots))
    ask(session, staff, fair.event, fair.b[1], fair.p[2], 3)
    session.flush()
    login(client, "officer@example.la")
    page = client.get(f"/staff/events/{fair.event.id}?lang=en").text
    assert "Not scheduled yet" in page and "Run the schedule" in page and "Announce</button>" not in page
    r = client.post(f"/staff/events/{fair.event.id}/schedule", data={"csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#schedule")
    meetings = session.exec(select(Meeting).where(Meeting.event_id == fair.event.id)).all()
    assert meetings and all(m.schedule_version == 1 for m in meetings)
    page = client.get(f"/staff/events/{fair.event.id}?lang=en").text
    session.expire_all()
    summary = session.get(Event, fair.event.id).schedule_summary
    assert summary["bound"] >= summary["objective"] > 0
    assert "Objective" in page and "proven bound" in page and "% of the best possible" in page
    percent = 100 * summary["objective"] / summary["bound"]
    assert f"{percent:.1f}".rstrip("0").rstrip(".") + " %" in page
    assert "Requests left out" in page and "No slot when both are free" in page
    assert f"/staff/events/{fair.event.id}/tables/2" in page


def test_reschedule_after_announcing_lists_the_moved_meetings(client, session, staff, fair):
    ask(session, staff, fair.event, fair.b[0], fair.p[0], 3)
    ask(session, staff, fair.event, fair.b[1], fair.p[1], 3)
    run_schedule(session, staff, fair.event)
    login(client, "officer@example.la")
    token = manage_token(client, fair.event)
    r = client.post(f"/staff/events/{fair.event.id}/announce", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    meeting = pair(session, fair.b[0], fair.p[0])
    assert meeting.announced_slot == meeting.slot
    # the buyer can no longer come at its announced time: the meeting has to move
    taken = [meeting.slot]
    service.update_participant(session, staff, fair.event, fair.b[0], ParticipantUpdate(unavailable_slots=taken))
    session.flush()
    r = client.post(f"/staff/events/{fair.event.id}/schedule?lang=en", data={"csrf_token": token})
    assert r.status_code == 200
    assert "Announced meetings that changed" in r.text and "moved since announced" in r.text
    session.refresh(meeting)
    assert meeting.slot != meeting.announced_slot
    login(client, fair.buyer_emails[0])
    agenda = client.get(f"/events/{fair.event.id}/agenda/{fair.b[0].id}?lang=en").text
    assert "moved: was" in agenda  # the printed agenda says where the meeting was announced


def test_staff_record_outcomes_and_the_report_counts_them(client, session, staff, fair):
    ask(session, staff, fair.event, fair.b[0], fair.p[0], 3)
    ask(session, staff, fair.event, fair.b[1], fair.p[1], 3)
    run_schedule(session, staff, fair.event)
    first, second = pair(session, fair.b[0], fair.p[0]), pair(session, fair.b[1], fair.p[1])
    login(client, "officer@example.la")
    token = manage_token(client, fair.event)
    base = f"/staff/events/{fair.event.id}/meetings"
    early = client.post(f"{base}/{first.id}/outcome?lang=en", data={"csrf_token": token, "deal_value_lak": "100"})
    assert early.status_code == 422 and f'id="m{first.id}-follow_up-error"' in early.text  # not held yet
    r = client.post(f"{base}/{first.id}/status", data={"csrf_token": token, "status": "held"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"#meeting-{first.id}")
    r = client.post(f"{base}/{second.id}/status", data={"csrf_token": token, "status": "no_show"})
    assert r.status_code == 200
    bad = client.post(f"{base}/{first.id}/outcome?lang=en", data={"csrf_token": token, "deal_value_lak": "lots"})
    assert (
        bad.status_code == 422 and f'id="m{first.id}-deal_value_lak-error"' in bad.text and 'value="lots"' in bad.text
    )
    contradiction = client.post(
        f"{base}/{first.id}/outcome", data={"csrf_token": token, "follow_up": "no_deal", "deal_value_lak": "5000"}
    )
    assert contradiction.status_code == 422 and f'id="m{first.id}-deal_value_lak-error"' in contradiction.text
    wrong = client.post(f"{base}/{first.id}/status", data={"csrf_token": token, "status": "postponed"})
    assert wrong.status_code == 422 and f'id="m{first.id}-status-error"' in wrong.text
    r = client.post(
        f"{base}/{first.id}/outcome",
        data={"csrf_token": token, "outcome": "Order of 200 scarves", "deal_value_lak": "45,000,000"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    session.refresh(first)
    session.refresh(second)
    assert (first.status, first.follow_up, first.deal_value_lak) == ("held", "agreement_reached", 45_000_000)
    assert first.outcome == "Order of 200 scarves" and second.status == "no_show"
    report = client.get(f"/events/{fair.event.id}?lang=en").text
    assert "45,000,000 LAK" in report and "deals 1 worth 45,000,000 LAK" in report
    scheduled = len(session.exec(select(Meeting).where(Meeting.event_id == fair.event.id)).all())
    cells = "".join(f'<td class="num">{n}</td>' for n in (2, scheduled, 1, 1, 1))
    assert f'<th scope="row">Luang Prabang</th>{cells}<td class="num">45,000,000 LAK</td>' in report
    again = client.post(f"/staff/events/{fair.event.id}/schedule?lang=en", data={"csrf_token": token})
    assert again.status_code == 409 and "already have outcomes" in again.text  # refused in place


# ---- printable paper --------------------------------------------------------------------------


def test_agenda_shows_ones_own_meetings_in_slot_order_with_tables_and_qr_codes(
    client, session, staff, fair, make_user, make_producer
):
    for producer in fair.p:
        ask(session, staff, fair.event, fair.b[0], producer, 3)
    ask(session, staff, fair.event, fair.b[1], fair.p[0], 2)
    run_schedule(session, staff, fair.event)
    mine = session.exec(
        select(Meeting).where(Meeting.buyer_participant_id == fair.b[0].id).order_by(Meeting.slot)
    ).all()
    assert len(mine) == 3
    login(client, fair.buyer_emails[0])
    r = client.get(f"/events/{fair.event.id}/agenda/{fair.b[0].id}?lang=en")
    assert r.status_code == 200 and 'class="print-sheet agenda"' in r.text
    html = r.text
    assert [int(i) for i in re.findall(r'id="agenda-meeting-(\d+)"', html)] == [m.id for m in mine]
    assert [int(n) for n in re.findall(r'class="num table-number">(\d+)<', html)] == [m.table_number for m in mine]
    slots = service.event_slots(fair.event)
    times = [in_laos_time(slots[m.slot].starts_at).strftime("%H:%M") for m in mine]
    assert [t for t in re.findall(r"<strong>(\d\d:\d\d)–", html)] == times
    participants = {p.id: p for p in fair.p}
    for m in mine:
        assert f'src="/producers/{participants[m.producer_participant_id].producer_id}/qr.svg"' in html
    assert "Silk 0" in html  # the other party's products
    assert "Bangkok Silk House" not in html  # only one's own meetings

    assert client.get(f"/events/{fair.event.id}/agenda/{fair.b[1].id}").status_code == 404  # someone else's
    assert client.get(f"/events/{fair.event.id}/agenda/{fair.p[0].id}").status_code == 404

    login(client, fair.producer_emails[0])
    html = client.get(f"/events/{fair.event.id}/agenda/{fair.p[0].id}?lang=en").text
    assert f'src="/buyers/{fair.buyers[0].id}/qr.svg"' in html and "Vientiane Crafts" in html
    qr = client.get(f"/buyers/{fair.buyers[0].id}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    buyer_page = client.get(f"/buyers/{fair.buyers[0].id}?lang=en").text
    assert "Contact" in buyer_page and fair.buyer_emails[0] in buyer_page  # they meet: contacts shown

    latecomer = make_producer(owner=make_user("producer", email="late@example.la"))
    service.register_participant(session, staff, fair.event, ParticipantCreate(producer_id=latecomer.id))
    session.flush()
    login(client, "late@example.la")  # at the same event, but no meeting with buyer 1
    profile = client.get(f"/buyers/{fair.buyers[1].id}?lang=en")
    assert profile.status_code == 200 and fair.buyer_emails[1] not in profile.text

    client.cookies.clear()
    r = client.get(f"/events/{fair.event.id}/agenda/{fair.b[0].id}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    login(client, "officer@example.la")
    assert client.get(f"/events/{fair.event.id}/agenda/{fair.b[0].id}").status_code == 200


def test_table_sheet_is_for_staff(client, session, staff, fair):
    ask(session, staff, fair.event, fair.b[0], fair.p[0], 3)
    run_schedule(session, staff, fair.event)
    meeting = pair(session, fair.b[0], fair.p[0])
    login(client, "officer@example.la")
    r = client.get(f"/staff/events/{fair.event.id}/tables/{meeting.table_number}?lang=en")
    assert r.status_code == 200 and "print-sheet" in r.text
    assert "Vientiane Crafts" in r.text and "Weavers 0" in r.text
    assert r.text.count("<tr>") == 1 + len(service.event_slots(fair.event))  # every slot, free or not
    assert client.get(f"/staff/events/{fair.event.id}/tables/9").status_code == 404
    login(client, fair.buyer_emails[0])
    assert client.get(f"/staff/events/{fair.event.id}/tables/1").status_code == 403


# ---- CSRF and hostile text ---------------------------------------------------------------------


def test_every_event_form_needs_the_csrf_token(client, session, staff, fair):
    ask(session, staff, fair.event, fair.b[0], fair.p[0], 3)
    run_schedule(session, staff, fair.event)
    meeting = pair(session, fair.b[0], fair.p[0])
    request = session.exec(select(MeetingRequest)).one()
    e = fair.event.id
    login(client, "officer@example.la")
    for path, data in (
        ("/staff/events/new", {"name": "x"}),
        (f"/staff/events/{e}/edit", {"name": "x"}),
        (f"/staff/events/{e}/participants", {"buyer_id": fair.buyers[0].id}),
        (f"/staff/events/{e}/participants/{fair.b[0].id}/approve", {}),
        (f"/staff/events/{e}/participants/{fair.b[1].id}/delete", {}),
        (f"/staff/events/{e}/requests", {"from_participant_id": fair.b[1].id, "to_participant_id": fair.p[1].id}),
        (f"/staff/events/{e}/requests/{request.id}/delete", {}),
        (f"/staff/events/{e}/schedule", {}),
        (f"/staff/events/{e}/announce", {}),
        (f"/staff/events/{e}/meetings/{meeting.id}/status", {"status": "held"}),
        (f"/staff/events/{e}/meetings/{meeting.id}/outcome", {"outcome": "x"}),
    ):
        assert client.post(path, data=data).status_code == 403, path
    login(client, fair.buyer_emails[1])
    for path, data in (
        (f"/events/{e}/register", {}),
        (f"/events/{e}/requests", {"to_participant_id": fair.p[1].id}),
        (f"/events/{e}/requests/{request.id}/delete", {}),
    ):
        assert client.post(path, data=data).status_code == 403, path
    session.expire_all()
    assert session.get(Meeting, meeting.id).status == "scheduled" and session.get(Meeting, meeting.id).outcome is None
    assert session.get(MeetingRequest, request.id) is not None and session.get(EventParticipant, fair.b[1].id)
    assert session.get(Event, e).name == EVENT["name"] and session.get(Event, e).schedule_version == 1


def test_hostile_text_shows_as_text_on_every_event_page(
    client, session, staff, make_buyer, make_producer, make_product
):
    for payload in HOSTILE:
        event = new_event(session, staff, name=payload, venue=payload)
        buyer = make_buyer(organisation=payload, keywords=[payload])
        producer = make_producer(name={"en": payload, "lo": payload})
        make_product(producer=producer, status="published", name={"en": payload, "lo": payload})
        b = service.register_participant(session, staff, event, ParticipantCreate(buyer_id=buyer.id))
        p = service.register_participant(session, staff, event, ParticipantCreate(producer_id=producer.id))
        ask(session, staff, event, b, p, 3)
        run_schedule(session, staff, event)
        meeting = session.exec(select(Meeting).where(Meeting.event_id == event.id)).one()
        meeting.status, meeting.outcome = "held", payload
        session.add(meeting)
        session.flush()
        login(client, "officer@example.la")
        paths = [
            "/events",
            f"/events/{event.id}",
            f"/staff/events/{event.id}",
            f"/staff/events/{event.id}/edit",
            f"/events/{event.id}/agenda/{b.id}",
            f"/events/{event.id}/agenda/{p.id}",
            f"/staff/events/{event.id}/tables/{meeting.table_number}",
            f"/buyers/{buyer.id}",
            f"/staff/events/{event.id}?producer_q={payload}",
        ]
        for path in paths:
            for lang in ("lo", "en"):
                r = client.get(path, params={"lang": lang})
                assert r.status_code == 200, path
                assert_escaped(r.text, path)
        token = manage_token(client, event)
        r = client.post(
            f"/staff/events/{event.id}/meetings/{meeting.id}/outcome", data={"csrf_token": token, "outcome": payload}
        )
        assert r.status_code == 200 and "&lt;" in r.text
        assert_escaped(r.text, "outcome saved")
        session.refresh(meeting)
        assert meeting.outcome == payload  # stored as typed, shown as text
        login(client, session.get(User, buyer.user_id).email)
        for path in (f"/events/{event.id}", f"/events/{event.id}/agenda/{b.id}"):
            assert_escaped(client.get(path).text, path)
