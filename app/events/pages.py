"""Matching-event pages: the public list and event page (venue, slots, participants, the report); a
buyer's or producer's registration and meeting requests; the staff's event form and management page
(participants, requests, the schedule with its proven bound, the announcement, outcomes); and the
printable paper: a participant's agenda and a table sheet.

HTTP only: the rules are in service.py, scheduling.py, outcomes.py and agenda.py. Every form works
without JavaScript (post, then a redirect or the page again with the errors in place); htmx swaps only
the part of the page a form changes."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session, select

from app.auth.deps import CurrentUser, OptionalUser, StaffUser
from app.auth.models import Role, User
from app.catalogue import reference_service
from app.catalogue import service as catalogue_service
from app.catalogue.models import Producer
from app.db import SessionDep, utcnow, write_turn_lent
from app.errors import DomainError, Forbidden
from app.events import agenda, outcomes, scheduling, service
from app.events.models import Event, EventParticipant, Meeting
from app.events.schemas import (
    EventCreate,
    EventUpdate,
    MeetingUpdate,
    ParticipantCreate,
    ParticipantUpdate,
    RequestCreate,
    in_laos_time,
)
from app.matching import service as matching_service
from app.matching.models import Buyer
from app.matching.pages import BUYER_TYPES
from app.search.folding import query_terms
from app.web.forms import PostedForm, domain_error_field, form_to_schema, form_values, validated_write
from app.web.i18n import N_
from app.web.templating import htmx_target, render

router = APIRouter()

PER_PAGE = 24
MAX_UPCOMING = 100
MAX_BUYER_CHOICES = 500
MAX_PRODUCER_CHOICES = 50

EVENT_FIELDS = (
    "name",
    "province_code",
    "venue",
    "starts_at",
    "ends_at",
    "slot_minutes",
    "tables",
    "interpreters_per_slot",
)
EVENT_NUMBERS = ("slot_minutes", "tables", "interpreters_per_slot")

STATUS_LABELS = {
    "scheduled": N_("Scheduled"),
    "held": N_("Held"),
    "no_show": N_("No-show"),
    "cancelled": N_("Cancelled"),
}
FOLLOW_UPS = {
    "negotiation_started": N_("Negotiation started"),
    "agreement_reached": N_("Agreement reached"),
    "no_deal": N_("No deal"),
}
UNSCHEDULED_REASONS = {
    "no_common_slot": N_("No slot when both are free"),
    "no_interpreter": N_("No interpreter free when both are"),
    "no_table": N_("No table free"),
    "not_selected": N_("Left out: other meetings were worth more"),
}
SCHEDULE_STATUS = {
    "OPTIMAL": N_("Optimal: no better schedule exists"),
    "FEASIBLE": N_("The best schedule found in the time limit"),
    "NONE": N_("Not scheduled yet"),
}
PRIORITIES = {3: N_("Most wanted"), 2: N_("Wanted"), 1: N_("If there is time")}
SIDES = {"buyer": N_("Buyer"), "producer": N_("Producer")}


def hm(value: dt.datetime | None) -> str:
    """A time of day in Lao time, as people at the venue read it: 09:30."""
    return in_laos_time(value).strftime("%H:%M") if value is not None else ""


def local_input(value: dt.datetime | None) -> str:
    """A stored time as the value of an <input type="datetime-local"> (Lao time)."""
    return in_laos_time(value).strftime("%Y-%m-%dT%H:%M") if value is not None else ""


def _vocabulary() -> dict[str, Any]:
    return {
        "hm": hm,
        "laos": in_laos_time,
        "status_labels": STATUS_LABELS,
        "follow_ups": FOLLOW_UPS,
        "unscheduled_reasons": UNSCHEDULED_REASONS,
        "schedule_status": SCHEDULE_STATUS,
        "priorities": PRIORITIES,
        "sides": SIDES,
        "buyer_types": BUYER_TYPES,
    }


def _page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get("page") or 1), 100_000))
    except ValueError:
        return 1


def _done(url: str) -> Response:
    """After a successful post without htmx: back to the page (post/redirect/get)."""
    return RedirectResponse(url, status_code=303)


# ---- the public list and event page ------------------------------------------------------------


@router.get("/events")
def event_list(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """Upcoming events first (soonest first), then past ones (latest first, a page at a time)."""
    now = utcnow()
    page = _page_number(request)
    upcoming = session.exec(
        select(Event).where(Event.ends_at > now).order_by(Event.starts_at, Event.id).limit(MAX_UPCOMING)
    ).all()
    past_total = session.exec(select(sa.func.count(Event.id)).where(Event.ends_at <= now)).one()
    past = session.exec(
        select(Event)
        .where(Event.ends_at <= now)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return render(
        request,
        "events/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "page": page,
            "pages": max(1, math.ceil(int(past_total) / PER_PAGE)),
            "provinces": {p.code: p for p in reference_service.provinces(session)},
            **_vocabulary(),
        },
    )


def _registration(session: Session, user: User | None) -> dict[str, Any]:
    """Whether the visitor can register itself, and what it lacks if not."""
    if user is None or user.role not in (Role.buyer, Role.producer):
        return {"kind": None}
    if user.role == Role.buyer:
        return {"kind": "buyer", "missing": matching_service.own_buyer(session, user) is None}
    return {"kind": "producer", "missing": catalogue_service.owned_producer(session, user) is None}


def _event_page(
    request: Request,
    session: Session,
    user: User | None,
    event: Event,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    lang = request.state.lang
    participants = service.list_participants(session, user, event)
    who = service.describe(session, participants, lang)
    mine = set(service.own_participations(session, user, event))
    me = next((p for p in participants if p.id in mine), None)
    requests = service.list_requests(session, user, event) if user is not None and me is not None else []
    choices: list[EventParticipant] = []
    if me is not None and me.approved:
        asked = {r.to_participant_id for r in requests if r.from_participant_id == me.id}
        choices = [p for p in participants if p.approved and p.side != me.side and p.id not in asked]
    now = utcnow()
    context = {
        "event": event,
        "province": next((p for p in reference_service.provinces(session) if p.code == event.province_code), None),
        "slots": service.event_slots(event),
        "participants": participants,
        "who": who,
        "me": me,
        "requests": requests,
        "choices": choices,
        "registration": _registration(session, user) if me is None and event.ends_at > now else {"kind": None},
        "is_over": event.ends_at <= now,
        "report": outcomes.event_report(session, event),
        "link_buyers": user is not None
        and (user.is_staff or (me is not None and me.approved and me.side == "producer")),
        "errors": errors or {},
        "values": values or {"priority": 2},
        **_vocabulary(),
    }
    fragment = "participation" if htmx_target(request) == "participation" else "content"
    return render(request, "events/detail.html", context, status_code=status_code, fragment=fragment)


@router.get("/events/{event_id}")
def event_page(event_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    """Venue, time and slots, who takes part, and the report; a participant asks for meetings here."""
    return _event_page(request, session, user, service.get_event(session, event_id))


@router.post("/events/{event_id}/register")
def register_self(event_id: int, request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """A buyer or producer account registers itself; staff approve it on the event's staff page."""
    event = service.get_event(session, event_id)
    if user.role == Role.buyer:
        buyer = matching_service.own_buyer(session, user)
        if buyer is None:
            return RedirectResponse("/my/buyer", status_code=303)
        data = ParticipantCreate(buyer_id=buyer.id)
    elif user.role == Role.producer:
        producer = catalogue_service.owned_producer(session, user)
        if producer is None:
            return RedirectResponse("/my/producer", status_code=303)
        data = ParticipantCreate(producer_id=producer.id)
    else:
        raise Forbidden(N_("Staff add participants on the event's staff page."))
    try:
        with session.begin_nested():
            service.register_participant(session, user, event, data)
    except DomainError as exc:
        return _event_page(request, session, user, event, errors={"register": exc.detail}, status_code=exc.status_code)
    return _done(f"/events/{event.id}?registered=1#participation")


def _request_data(form: Any) -> dict[str, Any]:
    return form_values(form, numbers=("from_participant_id", "to_participant_id", "priority"))


def _placed(errors: dict[str, str], fields: tuple[str, ...], default: str) -> dict[str, str]:
    """Errors beside the form's fields; those of fields it does not have (a hand-made post) beside `default`."""
    out: dict[str, str] = {}
    for field, message in errors.items():
        out.setdefault(field if field in fields else default, message)
    return out


@router.post("/events/{event_id}/requests")
def request_meeting(
    event_id: int, request: Request, form: PostedForm, session: SessionDep, user: CurrentUser
) -> Response:
    """A registered participant asks to meet someone of the other side, with a priority."""
    event = service.get_event(session, event_id)
    mine = service.own_participations(session, user, event)
    if not mine:
        raise Forbidden(N_("Register for this event before asking for meetings."))
    data = _request_data(form)
    data["from_participant_id"] = mine[0]  # one account takes part once: as its buyer or its producer
    errors, status = validated_write(
        session,
        RequestCreate,
        data,
        lambda parsed: service.create_request(session, user, event, parsed),
        "to_participant_id",
    )
    if errors:
        errors = _placed(errors, ("to_participant_id", "priority"), "to_participant_id")
        return _event_page(request, session, user, event, errors=errors, values=data, status_code=status)
    if htmx_target(request) == "participation":
        return _event_page(request, session, user, event)
    return _done(f"/events/{event.id}#participation")


@router.post("/events/{event_id}/requests/{request_id}/delete")
def withdraw_request(
    event_id: int, request_id: int, request: Request, session: SessionDep, user: CurrentUser
) -> Response:
    event = service.get_event(session, event_id)
    service.delete_request(session, user, event, request_id)
    if htmx_target(request) == "participation":
        return _event_page(request, session, user, event)
    return _done(f"/events/{event.id}#participation")


# ---- printable paper ---------------------------------------------------------------------------


def _page_of(p: EventParticipant) -> str:
    return f"/producers/{p.producer_id}" if p.producer_id is not None else f"/buyers/{p.buyer_id}"


@router.get("/events/{event_id}/agenda/{participant_id}")
def agenda_page(
    event_id: int, participant_id: int, request: Request, session: SessionDep, user: CurrentUser
) -> Response:
    """A participant's meetings in time order, to print: table, who, their products, a QR code to their page.
    The participant's own account or staff; anyone else gets a 404."""
    event = service.get_event(session, event_id)
    data = agenda.participant_agenda(
        session, user, event, participant_id, base_url=str(request.base_url), lang=request.state.lang
    )
    others = service.by_id(session, EventParticipant, {m.other.participant_id for m in data.meetings})
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "agenda": data,
            "pages": {pid: _page_of(p) for pid, p in others.items()},
            "provinces": {p.code: p for p in reference_service.provinces(session)},
            **_vocabulary(),
        },
        fragment=None,
    )


@router.get("/staff/events/{event_id}/tables/{table}")
def table_sheet_page(event_id: int, table: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    """One table's meetings slot by slot, to print for the staff at the table."""
    event = service.get_event(session, event_id)
    sheet = agenda.table_sheet(session, event, table, lang=request.state.lang)
    return render(request, "events/table_sheet.html", {"event": event, "sheet": sheet, **_vocabulary()}, fragment=None)


# ---- staff: the event form ---------------------------------------------------------------------


def _event_form(
    request: Request,
    session: Session,
    *,
    event: Event | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "events/form.html",
        {
            "event": event,
            "values": values,
            "errors": {k if k in EVENT_FIELDS else "__all__": v for k, v in errors.items()},
            "provinces": reference_service.provinces(session),
            "action": f"/staff/events/{event.id}/edit" if event is not None else "/staff/events/new",
        },
        status_code=status_code,
    )


def _save_event(request: Request, session: Session, user: User, form: Any, event: Event | None) -> Response:
    data = form_values(form, numbers=EVENT_NUMBERS)
    if event is not None:
        for field in EVENT_FIELDS:
            data.setdefault(field, None)  # an edit posts every field: an empty one clears it (or is refused)
    parsed, errors = form_to_schema(EventUpdate if event is not None else EventCreate, data)
    if parsed is None:
        return _event_form(request, session, event=event, values=data, errors=errors, status_code=422)
    try:
        with session.begin_nested():
            if event is None:
                event = service.create_event(session, user, parsed)  # type: ignore[arg-type]
            else:
                service.update_event(session, user, event, parsed)  # type: ignore[arg-type]
    except DomainError as exc:
        return _event_form(
            request, session, event=event, values=data, errors=domain_error_field(exc), status_code=exc.status_code
        )
    return RedirectResponse(f"/staff/events/{event.id}", status_code=303)


@router.get("/staff/events/new")
def new_event_form(request: Request, session: SessionDep, user: StaffUser) -> Response:
    values = {"province_code": "", "slot_minutes": 30, "tables": 10}
    return _event_form(request, session, event=None, values=values, errors={})


@router.post("/staff/events/new")
def create_event(request: Request, form: PostedForm, session: SessionDep, user: StaffUser) -> Response:
    return _save_event(request, session, user, form, None)


@router.get("/staff/events/{event_id}/edit")
def edit_event_form(event_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    event = service.get_event(session, event_id)
    values = {f: getattr(event, f) for f in EVENT_FIELDS}
    values["starts_at"], values["ends_at"] = local_input(event.starts_at), local_input(event.ends_at)
    return _event_form(request, session, event=event, values=values, errors={})


@router.post("/staff/events/{event_id}/edit")
def save_event(event_id: int, request: Request, form: PostedForm, session: SessionDep, user: StaffUser) -> Response:
    return _save_event(request, session, user, form, service.get_event(session, event_id))


# ---- staff: managing an event ------------------------------------------------------------------


def _producer_choices(session: Session, event: Event, registered: set[int], q: str) -> list[Producer]:
    """Producers to add: those whose name (any language), district or village holds the words searched,
    or else the event province's; without those already registered."""
    conditions = [Producer.deleted_at.is_(None)]
    terms = query_terms(q)[:5] if q else []
    if terms:
        conditions += [Producer.search_text.contains(t, autoescape=True) for t in terms]
    else:
        conditions.append(Producer.province_code == event.province_code)
    if registered:
        conditions.append(Producer.id.not_in(sorted(registered)))
    return list(session.exec(select(Producer).where(*conditions).order_by(Producer.id).limit(MAX_PRODUCER_CHOICES)))


def _manage(
    request: Request,
    session: Session,
    user: User,
    event: Event,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    meeting_errors: dict[int, dict[str, str]] | None = None,
    meeting_values: dict[int, dict[str, Any]] | None = None,
    status_code: int = 200,
) -> Response:
    lang = request.state.lang
    participants = service.list_participants(session, user, event)
    who = service.describe(session, participants, lang)
    schedule = scheduling.current_schedule(session, event)
    slots = service.event_slots(event)
    rows = session.exec(
        select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.slot, Meeting.table_number)
    )
    meetings = [scheduling.meeting_out(slots, m) for m in rows]
    registered_buyers = {p.buyer_id for p in participants if p.buyer_id is not None}
    registered_producers = {p.producer_id for p in participants if p.producer_id is not None}
    buyer_conditions = [Buyer.id.not_in(sorted(registered_buyers))] if registered_buyers else []
    buyer_choices = session.exec(
        select(Buyer).where(*buyer_conditions).order_by(Buyer.organisation, Buyer.id).limit(MAX_BUYER_CHOICES)
    ).all()
    producer_q = (request.query_params.get("producer_q") or "")[:100]
    bound = schedule.bound
    percent = None
    if schedule.status != "NONE" and bound is not None:
        percent = 100.0 if bound <= 0 else min(100.0, 100.0 * schedule.objective / bound)
    context = {
        "event": event,
        "province": next((p for p in reference_service.provinces(session) if p.code == event.province_code), None),
        "participants": participants,
        "approved": [p for p in participants if p.approved],
        "who": who,
        "requests": service.list_requests(session, user, event),
        "provinces": {p.code: p for p in reference_service.provinces(session)},
        "schedule": schedule,
        "percent": percent,
        "meetings": meetings,
        "slots": slots,
        "buyer_choices": buyer_choices,
        "producer_choices": _producer_choices(session, event, registered_producers, producer_q),
        "producer_q": producer_q,
        "errors": errors or {},
        "values": values or {"priority": 2},
        "meeting_errors": meeting_errors or {},
        "meeting_values": meeting_values or {},
        **_vocabulary(),
    }
    fragment = {"manage": "manage", "producer-picker": "producer_picker"}.get(htmx_target(request) or "", "content")
    return render(request, "events/manage.html", context, status_code=status_code, fragment=fragment)


def _after(request: Request, session: Session, user: User, event: Event, anchor: str) -> Response:
    """A staff action succeeded: htmx gets the refreshed management block, a plain form a redirect."""
    if htmx_target(request) == "manage":
        return _manage(request, session, user, event)
    return _done(f"/staff/events/{event.id}#{anchor}")


@router.get("/staff/events/{event_id}")
def manage_event(event_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    """Participants (approve, add), meeting requests, the schedule and its quality, announcements, outcomes."""
    return _manage(request, session, user, service.get_event(session, event_id))


@router.post("/staff/events/{event_id}/participants")
def add_participant(
    event_id: int, request: Request, form: PostedForm, session: SessionDep, user: StaffUser
) -> Response:
    event = service.get_event(session, event_id)
    data = form_values(form, numbers=("buyer_id", "producer_id"), ignore=("producer_q",))
    errors, status = validated_write(
        session,
        ParticipantCreate,
        data,
        lambda parsed: service.register_participant(session, user, event, parsed),
        "participant",
    )
    if errors:
        errors = _placed(errors, ("buyer_id", "producer_id"), "participant")
        return _manage(request, session, user, event, errors=errors, status_code=status)
    return _after(request, session, user, event, "participants")


@router.post("/staff/events/{event_id}/participants/{participant_id}/approve")
def approve_participant(
    event_id: int, participant_id: int, request: Request, session: SessionDep, user: StaffUser
) -> Response:
    event = service.get_event(session, event_id)
    participant = service.participant_in(session, event, participant_id)
    service.update_participant(session, user, event, participant, ParticipantUpdate(approved=True))
    return _after(request, session, user, event, "participants")


@router.post("/staff/events/{event_id}/participants/{participant_id}/delete")
def remove_participant(
    event_id: int, participant_id: int, request: Request, session: SessionDep, user: StaffUser
) -> Response:
    event = service.get_event(session, event_id)
    participant = service.participant_in(session, event, participant_id)
    try:
        with session.begin_nested():
            service.remove_participant(session, user, event, participant)
    except DomainError as exc:
        return _manage(request, session, user, event, errors={"participants": exc.detail}, status_code=exc.status_code)
    return _after(request, session, user, event, "participants")


@router.post("/staff/events/{event_id}/requests")
def staff_request(event_id: int, request: Request, form: PostedForm, session: SessionDep, user: StaffUser) -> Response:
    """Staff enter a request for a participant (asked on paper or by phone)."""
    event = service.get_event(session, event_id)
    data = _request_data(form)
    errors, status = validated_write(
        session,
        RequestCreate,
        data,
        lambda parsed: service.create_request(session, user, event, parsed),
        "to_participant_id",
    )
    if errors:
        errors = _placed(errors, ("from_participant_id", "to_participant_id", "priority"), "to_participant_id")
        return _manage(request, session, user, event, errors=errors, values=data, status_code=status)
    return _after(request, session, user, event, "requests")


@router.post("/staff/events/{event_id}/requests/{request_id}/delete")
def staff_withdraw_request(
    event_id: int, request_id: int, request: Request, session: SessionDep, user: StaffUser
) -> Response:
    event = service.get_event(session, event_id)
    service.delete_request(session, user, event, request_id)
    return _after(request, session, user, event, "requests")


@router.post("/staff/events/{event_id}/schedule")
def run_schedule(event_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    """(Re)compute the optimal schedule. As in the API, the solver runs outside any transaction."""
    event = service.get_event(session, event_id)
    try:
        prepared = scheduling.prepare_schedule(session, event)
        with write_turn_lent(request, session):  # store_schedule checks that nothing changed meanwhile
            result = scheduling.solve(prepared)
        with session.begin_nested():
            scheduling.store_schedule(session, user, prepared, result)
    except DomainError as exc:
        event = service.get_event(session, event_id)
        return _manage(request, session, user, event, errors={"schedule": exc.detail}, status_code=exc.status_code)
    return _after(request, session, user, event, "schedule")


@router.post("/staff/events/{event_id}/announce")
def announce(event_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    """The current slots and tables become those told to the participants; rescheduling keeps them if it can."""
    event = service.get_event(session, event_id)
    try:
        with session.begin_nested():
            scheduling.announce_schedule(session, user, event)
    except DomainError as exc:
        return _manage(request, session, user, event, errors={"schedule": exc.detail}, status_code=exc.status_code)
    return _after(request, session, user, event, "schedule")


def _update_meeting(
    request: Request, session: Session, user: User, event: Event, meeting_id: int, data: dict[str, Any]
) -> Response:
    meeting = outcomes.meeting_for(session, user, event, meeting_id)
    errors, status = validated_write(
        session, MeetingUpdate, data, lambda parsed: outcomes.update_meeting(session, user, meeting, parsed), "status"
    )
    if errors:
        errors = _placed(errors, ("status", "outcome", "follow_up", "deal_value_lak"), "status")
        return _manage(
            request,
            session,
            user,
            event,
            meeting_errors={meeting_id: errors},
            meeting_values={meeting_id: data},
            status_code=status,
        )
    return _after(request, session, user, event, f"meeting-{meeting_id}")


@router.post("/staff/events/{event_id}/meetings/{meeting_id}/status")
def meeting_status(
    event_id: int, meeting_id: int, request: Request, form: PostedForm, session: SessionDep, user: StaffUser
) -> Response:
    """Held, no-show or cancelled (or back to scheduled)."""
    event = service.get_event(session, event_id)
    return _update_meeting(request, session, user, event, meeting_id, {"status": str(form.get("status") or "")})


@router.post("/staff/events/{event_id}/meetings/{meeting_id}/outcome")
def meeting_outcome(
    event_id: int, meeting_id: int, request: Request, form: PostedForm, session: SessionDep, user: StaffUser
) -> Response:
    """What was said, where it led, and the deal's value in kip. A value alone means an agreement."""
    event = service.get_event(session, event_id)
    meeting = outcomes.meeting_for(session, user, event, meeting_id)
    raw = form_values(form, numbers=("deal_value_lak",))
    data: dict[str, Any] = {"outcome": raw.get("outcome")}
    if raw.get("follow_up"):
        data["follow_up"] = raw["follow_up"]
    if raw.get("deal_value_lak") is not None:
        data["deal_value_lak"] = raw["deal_value_lak"]
    if (
        "follow_up" not in data
        and "deal_value_lak" not in data
        and (meeting.follow_up is not None or meeting.deal_value_lak is not None)
    ):
        data["follow_up"] = data["deal_value_lak"] = None  # both emptied: the follow-up is withdrawn
    return _update_meeting(request, session, user, event, meeting_id, data)
