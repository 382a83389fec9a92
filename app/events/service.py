"""Matching-event rules: events and their slots, who takes part (self-registration, then staff
approval), and the meetings they ask for. The schedule is in scheduling.py, outcomes and the report
in outcomes.py, agendas in agenda.py. Services never commit; the request's transaction does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import User
from app.catalogue import service as catalogue_service
from app.catalogue.models import Producer
from app.catalogue.reference_service import province_codes
from app.db import utcnow
from app.errors import N_, Conflict, Forbidden, Message, NotFound, Unprocessable
from app.events.models import Event, EventParticipant, Meeting, MeetingRequest, MeetingStatus
from app.events.schemas import (
    EventCreate,
    EventPublic,
    EventUpdate,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantUpdate,
    RequestCreate,
    SlotOut,
    in_laos_time,
)
from app.matching import scoring
from app.matching.models import Buyer
from app.web.i18n import localized

MAX_SLOTS = 200


@dataclass(frozen=True)
class Slot:
    index: int
    starts_at: dt.datetime
    ends_at: dt.datetime


def slot_count(starts_at: dt.datetime, ends_at: dt.datetime, slot_minutes: int) -> int:
    return int((ends_at - starts_at) // dt.timedelta(minutes=slot_minutes))


def event_slots(event: Event) -> list[Slot]:
    """Slot i runs from starts_at + i * slot_minutes; a remainder shorter than a slot is unused."""
    length = dt.timedelta(minutes=event.slot_minutes)
    return [
        Slot(i, event.starts_at + i * length, event.starts_at + (i + 1) * length)
        for i in range(slot_count(event.starts_at, event.ends_at, event.slot_minutes))
    ]


def slots_out(event: Event) -> list[SlotOut]:
    return [
        SlotOut(index=s.index, starts_at=in_laos_time(s.starts_at), ends_at=in_laos_time(s.ends_at))
        for s in event_slots(event)
    ]


# ---- events ------------------------------------------------------------------------------------


def get_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(N_("There is no event {event_id}.", event_id=event_id))
    return event


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime, slot_minutes: int) -> None:
    if ends_at <= starts_at:
        raise Unprocessable(N_("The event must end after it starts."), loc=["body", "ends_at"])
    n = slot_count(starts_at, ends_at, slot_minutes)
    if n < 1:
        raise Unprocessable(N_("The event is shorter than one slot."), loc=["body", "slot_minutes"])
    if n > MAX_SLOTS:
        raise Unprocessable(
            N_(
                "That makes {n} slots; at most {max_slots}. Use longer slots or a shorter event.",
                n=n,
                max_slots=MAX_SLOTS,
            ),
            loc=["body", "slot_minutes"],
        )


def _check_province(session: Session, code: str) -> None:
    if code not in province_codes(session):
        raise Unprocessable(
            N_("Unknown province {code!r}; use an ISO code such as LA-LP.", code=code), loc=["body", "province_code"]
        )


def create_event(session: Session, actor: User, data: EventCreate) -> Event:
    """Staff create an event; its slots follow from its times and slot length."""
    _check_province(session, data.province_code)
    _check_times(data.starts_at, data.ends_at, data.slot_minutes)
    now = utcnow()
    event = Event(**data.model_dump(), created_by_user_id=actor.id, created_at=now, updated_at=now)
    session.add(event)
    session.flush()
    record(session, actor, "event.create", "event", event.id)
    return event


def update_event(session: Session, actor: User, event: Event, data: EventUpdate) -> Event:
    """Change an event. Its slots (times, slot length) stay fixed once participants have marked
    slots or a schedule exists, since both refer to slot indices."""
    changes = data.model_dump(exclude_unset=True)
    for key in ("name", "province_code", "venue", "starts_at", "ends_at", "slot_minutes", "tables"):
        if key in changes and changes[key] is None:
            raise Unprocessable(N_("{key} cannot be empty.", key=Message(key)), loc=["body", key])
    if "province_code" in changes:
        _check_province(session, changes["province_code"])
    starts = changes.get("starts_at", event.starts_at)
    ends = changes.get("ends_at", event.ends_at)
    minutes = changes.get("slot_minutes", event.slot_minutes)
    if (starts, ends, minutes) != (event.starts_at, event.ends_at, event.slot_minutes):
        _check_times(starts, ends, minutes)
        if _has_slot_references(session, event):
            raise Conflict(N_("Participants or a schedule refer to the current slots; the times cannot change now."))
    for key, value in changes.items():
        setattr(event, key, value)
    event.updated_at = utcnow()
    session.add(event)
    record(session, actor, "event.update", "event", event.id, fields=sorted(changes))
    return event


def _has_slot_references(session: Session, event: Event) -> bool:
    if session.exec(select(Meeting.id).where(Meeting.event_id == event.id).limit(1)).first() is not None:
        return True
    marked = session.exec(select(EventParticipant.unavailable_slots).where(EventParticipant.event_id == event.id))
    return any(marked)


def list_events(session: Session, *, province: str | None, page: int, per_page: int) -> tuple[list[Event], int]:
    conditions = [Event.province_code == province] if province else []
    total = session.exec(select(sa.func.count(Event.id)).where(*conditions)).one()
    rows = session.exec(
        select(Event)
        .where(*conditions)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), int(total)


# ---- participants ------------------------------------------------------------------------------


def may_act_for(session: Session, actor: User | None, participant: EventParticipant) -> bool:
    """Staff act for anyone; a buyer or producer account for its own participation."""
    if actor is None:
        return False
    if actor.is_staff:
        return True
    if participant.buyer_id is not None:
        buyer = session.get(Buyer, participant.buyer_id)
        return buyer is not None and buyer.user_id == actor.id
    producer = session.get(Producer, participant.producer_id)
    return producer is not None and catalogue_service.is_owner(actor, producer)


def own_participations(session: Session, actor: User | None, event: Event) -> list[int]:
    """Ids of the caller's own participants in an event (its buyer profile's, its producer's)."""
    if actor is None:
        return []
    buyer_ids = select(Buyer.id).where(Buyer.user_id == actor.id)
    producer_ids = select(Producer.id).where(Producer.owner_user_id == actor.id)
    return list(
        session.exec(
            select(EventParticipant.id).where(
                EventParticipant.event_id == event.id,
                sa.or_(EventParticipant.buyer_id.in_(buyer_ids), EventParticipant.producer_id.in_(producer_ids)),
            )
        )
    )


def participant_in(session: Session, event: Event, participant_id: int) -> EventParticipant:
    participant = session.get(EventParticipant, participant_id)
    if participant is None or participant.event_id != event.id:
        raise NotFound(
            N_(
                "Event {event_id} has no participant {participant_id}.",
                event_id=event.id,
                participant_id=participant_id,
            )
        )
    return participant


def _check_slots(event: Event, slots: Sequence[int], loc: str = "unavailable_slots") -> None:
    n = slot_count(event.starts_at, event.ends_at, event.slot_minutes)
    bad = [s for s in slots if not 0 <= s < n]
    if bad:
        raise Unprocessable(
            N_("Slot {slot} does not exist: this event has slots 0 to {last}.", slot=bad[0], last=n - 1),
            loc=["body", loc],
        )


def _default_languages(buyer: Buyer | None) -> list[str]:
    if buyer is None:
        return [scoring.PRODUCER_LANGUAGE]
    if buyer.languages:
        return list(buyer.languages)
    return [scoring.PRODUCER_LANGUAGE] if buyer.country == scoring.HOME_COUNTRY else []


def register_participant(session: Session, actor: User, event: Event, data: ParticipantCreate) -> EventParticipant:
    """Staff register a buyer or producer (approved at once); a buyer or producer account registers
    itself and waits for staff approval."""
    buyer: Buyer | None = None
    if data.buyer_id is not None:
        buyer = session.get(Buyer, data.buyer_id)
        if buyer is None:
            raise Unprocessable(N_("There is no buyer {buyer_id}.", buyer_id=data.buyer_id), loc=["body", "buyer_id"])
        if not actor.is_staff and buyer.user_id != actor.id:
            raise Forbidden(N_("A buyer account registers only its own buyer profile."))
    else:
        producer = session.get(Producer, data.producer_id)
        if producer is None or producer.deleted_at is not None:
            raise Unprocessable(
                N_("There is no producer {producer_id}.", producer_id=data.producer_id), loc=["body", "producer_id"]
            )
        if not catalogue_service.may_manage(actor, producer):
            raise Forbidden(N_("A producer account registers only its own producer."))
    if event.ends_at <= utcnow():
        raise Conflict(N_("This event is over."))
    _check_slots(event, data.unavailable_slots)
    now = utcnow()
    participant = EventParticipant(
        event_id=event.id,
        buyer_id=data.buyer_id,
        producer_id=data.producer_id,
        approved=actor.is_staff,
        approved_at=now if actor.is_staff else None,
        approved_by_user_id=actor.id if actor.is_staff else None,
        unavailable_slots=data.unavailable_slots,
        languages=data.languages if data.languages is not None else _default_languages(buyer),
        registered_by_user_id=actor.id,
        created_at=now,
    )
    session.add(participant)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(N_("Already registered for this event.")) from exc
    record(
        session,
        actor,
        "event.register",
        "event_participant",
        participant.id,
        on_behalf=actor.is_staff,
        event_id=event.id,
    )
    return participant


def update_participant(
    session: Session, actor: User, event: Event, participant: EventParticipant, data: ParticipantUpdate
) -> EventParticipant:
    """A participant changes its unavailable slots and languages; staff also approve."""
    if not may_act_for(session, actor, participant):
        raise NotFound(
            N_(
                "Event {event_id} has no participant {participant_id}.",
                event_id=event.id,
                participant_id=participant.id,
            )
        )
    changes = data.model_dump(exclude_unset=True)
    if "approved" in changes:
        if not actor.is_staff:
            raise Forbidden(N_("Only staff approve participants."))
        if changes["approved"] is None:
            raise Unprocessable(N_("approved must be true or false."), loc=["body", "approved"])
        if changes["approved"] and not participant.approved:
            participant.approved_at, participant.approved_by_user_id = utcnow(), actor.id
        participant.approved = changes["approved"]
    if "unavailable_slots" in changes:
        slots = changes["unavailable_slots"] or []
        _check_slots(event, slots)
        participant.unavailable_slots = slots
    if "languages" in changes:
        participant.languages = changes["languages"] or []
    session.add(participant)
    record(
        session,
        actor,
        "event.participant_update",
        "event_participant",
        participant.id,
        on_behalf=actor.is_staff,
        fields=sorted(changes),
    )
    return participant


def remove_participant(session: Session, actor: User, event: Event, participant: EventParticipant) -> None:
    """Withdraw from an event (with one's requests and meetings)."""
    if not may_act_for(session, actor, participant):
        raise NotFound(
            N_(
                "Event {event_id} has no participant {participant_id}.",
                event_id=event.id,
                participant_id=participant.id,
            )
        )
    if session.exec(
        select(Meeting.id).where(
            sa.or_(Meeting.buyer_participant_id == participant.id, Meeting.producer_participant_id == participant.id),
            Meeting.status.in_([MeetingStatus.held, MeetingStatus.no_show]),
        )
    ).first():
        raise Conflict(N_("This participant has meetings with recorded outcomes and stays on record."))
    session.delete(participant)
    record(
        session,
        actor,
        "event.withdraw",
        "event_participant",
        participant.id,
        on_behalf=actor.is_staff,
        event_id=event.id,
    )


def list_participants(session: Session, actor: User | None, event: Event) -> list[EventParticipant]:
    """Staff see everyone; others see the approved participants, and their own registration."""
    rows = list(
        session.exec(
            select(EventParticipant).where(EventParticipant.event_id == event.id).order_by(EventParticipant.id)
        )
    )
    if actor is not None and actor.is_staff:
        return rows
    mine = set(own_participations(session, actor, event))
    return [p for p in rows if p.approved or p.id in mine]


@dataclass(frozen=True)
class Who:
    """A participant as people see it."""

    name: str
    province_code: str | None = None
    country: str | None = None


def describe(session: Session, participants: Iterable[EventParticipant], lang: str) -> dict[int, Who]:
    """Names of many participants, in two queries."""
    participants = list(participants)
    buyers = by_id(session, Buyer, {p.buyer_id for p in participants if p.buyer_id})
    producers = by_id(session, Producer, {p.producer_id for p in participants if p.producer_id})
    out: dict[int, Who] = {}
    for p in participants:
        if p.buyer_id is not None:
            b = buyers[p.buyer_id]
            out[p.id] = Who(b.organisation, country=b.country)
        else:
            pr = producers[p.producer_id]
            out[p.id] = Who(localized(pr.name, lang), province_code=pr.province_code, country=scoring.HOME_COUNTRY)
    return out


def by_id(session: Session, model, ids: set[int]) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Rows of ``model`` by id, in one query."""
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(model.id.in_(sorted(ids))))}


# ---- meeting requests --------------------------------------------------------------------------


def create_request(session: Session, actor: User, event: Event, data: RequestCreate) -> MeetingRequest:
    """A buyer asks to meet a producer or the other way round, with a priority (3 = most wanted)."""
    people = {}
    for field in ("from_participant_id", "to_participant_id"):
        pid = getattr(data, field)
        participant = session.get(EventParticipant, pid)
        if participant is None or participant.event_id != event.id:
            raise Unprocessable(
                N_("Participant {pid} is not registered for event {event_id}.", pid=pid, event_id=event.id),
                loc=["body", field],
            )
        people[field] = participant
    a, b = people["from_participant_id"], people["to_participant_id"]
    if a.id == b.id:
        raise Unprocessable(N_("A participant cannot ask to meet itself."), loc=["body", "to_participant_id"])
    if a.side == b.side:
        raise Unprocessable(
            N_("Meetings are between a buyer and a producer; both are {side}s.", side=Message(a.side)),
            loc=["body", "to_participant_id"],
        )
    if not may_act_for(session, actor, a):
        raise Forbidden(N_("You can only ask for meetings for your own participation."))
    if not (a.approved and b.approved):
        raise Conflict(N_("Both participants must be approved by staff first."))
    request = MeetingRequest(
        event_id=event.id,
        from_participant_id=a.id,
        to_participant_id=b.id,
        priority=data.priority,
        created_by_user_id=actor.id,
    )
    session.add(request)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(N_("This meeting was already requested; withdraw it to change its priority.")) from exc
    record(session, actor, "event.request", "meeting_request", request.id, on_behalf=actor.is_staff, event_id=event.id)
    return request


def list_requests(session: Session, actor: User, event: Event) -> list[MeetingRequest]:
    """Staff see every request; a participant those it sent or received."""
    stmt = select(MeetingRequest).where(MeetingRequest.event_id == event.id).order_by(MeetingRequest.id)
    if not actor.is_staff:
        mine = own_participations(session, actor, event)
        stmt = stmt.where(
            sa.or_(MeetingRequest.from_participant_id.in_(mine), MeetingRequest.to_participant_id.in_(mine))
        )
    return list(session.exec(stmt))


def delete_request(session: Session, actor: User, event: Event, request_id: int) -> None:
    request = session.get(MeetingRequest, request_id)
    if request is None or request.event_id != event.id:
        raise NotFound(N_("Event {event_id} has no request {request_id}.", event_id=event.id, request_id=request_id))
    if not may_act_for(session, actor, session.get(EventParticipant, request.from_participant_id)):  # type: ignore[arg-type]
        raise NotFound(N_("Event {event_id} has no request {request_id}.", event_id=event.id, request_id=request_id))
    session.delete(request)
    record(
        session,
        actor,
        "event.request_withdraw",
        "meeting_request",
        request_id,
        on_behalf=actor.is_staff,
        event_id=event.id,
    )


# ---- shapes ------------------------------------------------------------------------------------


def event_public(event: Event) -> EventPublic:
    return EventPublic(
        id=event.id,
        name=event.name,
        province_code=event.province_code,
        venue=event.venue,
        starts_at=in_laos_time(event.starts_at),
        ends_at=in_laos_time(event.ends_at),
        slot_minutes=event.slot_minutes,
        tables=event.tables,
        interpreters_per_slot=event.interpreters_per_slot,
        slots=slots_out(event),
        schedule_version=event.schedule_version,
        scheduled_at=event.scheduled_at,
        created_at=event.created_at,
    )


def participant_public(participant: EventParticipant, who: Who) -> ParticipantPublic:
    return ParticipantPublic(
        id=participant.id,
        event_id=participant.event_id,
        side=participant.side,
        buyer_id=participant.buyer_id,
        producer_id=participant.producer_id,
        name=who.name,
        province_code=who.province_code,
        country=who.country,
        approved=participant.approved,
        unavailable_slots=participant.unavailable_slots,
        languages=participant.languages,
        created_at=participant.created_at,
    )
