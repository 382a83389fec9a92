"""The schedule of a matching event: database rows to the scheduler's dataclasses and back.

The optimiser (app.events.scheduler, CP-SAT) is pure and may run for seconds, so the API runs it
outside any transaction: ``prepare_schedule`` reads, ``solve`` computes, ``store_schedule``
writes, refusing (409) if the event changed in between. Rescheduling passes the announced
meetings to the optimiser, which keeps them where they are when it can; a pair that keeps
meeting keeps its meeting row (and id).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import User
from app.db import utcnow
from app.errors import N_, Conflict, NotFound
from app.events import scheduler
from app.events.models import Event, EventParticipant, Meeting, MeetingRequest, MeetingStatus
from app.events.schemas import MeetingOut, MovedOut, ScheduleOut, UnscheduledOut, in_laos_time
from app.events.service import Slot, by_id, event_slots, slot_count
from app.matching import repository as matching_repository
from app.matching import scoring
from app.matching import service as matching_service
from app.matching.models import Buyer

SCHEDULE_TIME_LIMIT_SECONDS = 10.0
# A participant who asked for fewer meetings than this gets proposals from the match score, up to it.
FEW_REQUESTS = 3
PROPOSAL_MIN_SCORE = 40.0  # of 100: weaker matches are not worth a table


# ---- the schedule ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedSchedule:
    """A scheduling problem read from the database, and what it was read from."""

    event_id: int
    version: int
    fingerprint: str
    problem: scheduler.SchedulingProblem


def _state(session: Session, event: Event) -> tuple[list[EventParticipant], list[MeetingRequest], list[Meeting]]:
    participants = list(
        session.exec(
            select(EventParticipant).where(EventParticipant.event_id == event.id).order_by(EventParticipant.id)
        )
    )
    requests = list(
        session.exec(select(MeetingRequest).where(MeetingRequest.event_id == event.id).order_by(MeetingRequest.id))
    )
    meetings = list(session.exec(select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.id)))
    return participants, requests, meetings


def _fingerprint(
    event: Event,
    participants: Sequence[EventParticipant],
    requests: Sequence[MeetingRequest],
    meetings: Sequence[Meeting],
) -> str:
    """Everything a schedule depends on, hashed: a change while the solver ran is detected."""
    state = [
        [
            event.starts_at.isoformat(),
            event.ends_at.isoformat(),
            event.slot_minutes,
            event.tables,
            event.interpreters_per_slot,
        ],
        [[p.id, p.approved, sorted(p.unavailable_slots), sorted(p.languages)] for p in participants],
        [[r.id, r.priority] for r in requests],
        [[m.id, m.status, m.announced_slot, m.announced_table] for m in meetings],
    ]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


def _pair(a: EventParticipant, b: EventParticipant) -> tuple[int, int]:
    """(buyer participant, producer participant)."""
    return (a.id, b.id) if a.buyer_id is not None else (b.id, a.id)


def proposal_value(score: float) -> int:
    """Worth of a proposed meeting: 1 point up to one less than a priority-1 request, so a real
    request always wins over a proposal."""
    top = scheduler.DEFAULT_WEIGHTS.points_per_priority - 1
    return max(1, min(top, round(top * score / 100)))


def _proposals(
    session: Session,
    approved: dict[int, EventParticipant],
    requests: Sequence[MeetingRequest],
    excluded: set[tuple[int, int]],
) -> list[scheduler.ProposedPair]:
    """Meetings the match score suggests for participants who asked for fewer than FEW_REQUESTS."""
    sent = Counter(r.from_participant_id for r in requests)
    needy = [p for p in approved.values() if sent[p.id] < FEW_REQUESTS]
    buyers = [p for p in approved.values() if p.buyer_id is not None]
    producers = [p for p in approved.values() if p.producer_id is not None]
    if not needy or not buyers or not producers:
        return []
    asked = excluded | {_pair(approved[r.from_participant_id], approved[r.to_participant_id]) for r in requests}
    tree = matching_service.CategoryTree.load(session)
    buyer_rows = by_id(session, Buyer, {p.buyer_id for p in buyers})
    needs = {p.id: matching_service.needs_of_buyer(tree, buyer_rows[p.buyer_id]) for p in buyers}
    facts: dict[int, list[scoring.ProductFacts]] = defaultdict(list)
    for f in matching_repository.product_facts(session, {p.producer_id for p in producers}, utcnow()):
        facts[f.producer_id].append(f)
    scores: dict[tuple[int, int], float] = {}

    def match(b: EventParticipant, p: EventParticipant) -> float:
        if (b.id, p.id) not in scores:
            stats = scoring.stats_from_products(needs[b.id], facts.get(p.producer_id, [])).get(p.producer_id)  # type: ignore[arg-type]
            scores[b.id, p.id] = scoring.score(needs[b.id], stats)[0] if stats else 0.0
        return scores[b.id, p.id]

    proposed: dict[tuple[int, int], int] = {}
    for p in needy:
        ranked = []
        for other in producers if p.buyer_id is not None else buyers:
            b, pr = (p, other) if p.buyer_id is not None else (other, p)
            if (b.id, pr.id) not in asked and (value := match(b, pr)) >= PROPOSAL_MIN_SCORE:
                ranked.append((value, other.id, (b.id, pr.id)))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        for value, _, key in ranked[: FEW_REQUESTS - sent[p.id]]:
            proposed[key] = max(proposed.get(key, 0), proposal_value(value))
    return [scheduler.ProposedPair(b, p, v) for (b, p), v in sorted(proposed.items())]


def prepare_schedule(session: Session, event: Event) -> PreparedSchedule:
    """The scheduler's input: approved participants, their requests, proposals for those who asked
    for few, and the announced meetings (kept where they are if possible)."""
    participants, requests, meetings = _state(session, event)
    if any(m.status in (MeetingStatus.held, MeetingStatus.no_show) for m in meetings):
        raise Conflict(N_("Meetings of this event already have outcomes; it can no longer be rescheduled."))
    approved = {p.id: p for p in participants if p.approved}
    cancelled = {
        (m.buyer_participant_id, m.producer_participant_id) for m in meetings if m.status == MeetingStatus.cancelled
    }
    valid = [
        r
        for r in requests
        if r.from_participant_id in approved
        and r.to_participant_id in approved
        and _pair(approved[r.from_participant_id], approved[r.to_participant_id]) not in cancelled
    ]
    previous = [
        scheduler.PreviousMeeting(
            m.buyer_participant_id, m.producer_participant_id, m.announced_slot, m.announced_table
        )
        for m in meetings
        if m.status == MeetingStatus.scheduled and m.announced_slot is not None and m.announced_table is not None
    ]
    problem = scheduler.SchedulingProblem(
        slots=slot_count(event.starts_at, event.ends_at, event.slot_minutes),
        tables=event.tables,
        participants=tuple(
            scheduler.Participant(
                p.id,
                scheduler.Side.BUYER if p.buyer_id is not None else scheduler.Side.PRODUCER,
                frozenset(p.unavailable_slots),
                frozenset(p.languages),
            )
            for p in approved.values()
        ),
        requests=tuple(scheduler.MeetingRequest(r.from_participant_id, r.to_participant_id, r.priority) for r in valid),
        proposed=tuple(_proposals(session, approved, valid, cancelled)),
        previous_meetings=tuple(previous),
        interpreters_per_slot=event.interpreters_per_slot,
    )
    return PreparedSchedule(
        event.id, event.schedule_version, _fingerprint(event, participants, requests, meetings), problem
    )


def solve(prepared: PreparedSchedule, time_limit_seconds: float = SCHEDULE_TIME_LIMIT_SECONDS) -> scheduler.Schedule:
    """Run CP-SAT (no database: call it outside any transaction)."""
    return scheduler.optimise_schedule(prepared.problem, time_limit_seconds=time_limit_seconds)


def store_schedule(session: Session, actor: User, prepared: PreparedSchedule, result: scheduler.Schedule) -> Event:
    """Write a solved schedule. A pair that keeps meeting keeps its meeting (and id); announced
    meetings that no longer take place are reported as dropped. 409 if the event changed meanwhile."""
    event = session.exec(select(Event).where(Event.id == prepared.event_id).with_for_update()).first()
    if event is None:
        raise NotFound(N_("There is no event {event_id}.", event_id=prepared.event_id))
    participants, requests, meetings = _state(session, event)
    if (
        event.schedule_version != prepared.version
        or _fingerprint(event, participants, requests, meetings) != prepared.fingerprint
    ):
        raise Conflict(N_("The event changed while its schedule was being computed; schedule it again."))
    now = utcnow()
    version = event.schedule_version + 1
    existing = {(m.buyer_participant_id, m.producer_participant_id): m for m in meetings}
    placed = {(m.buyer_id, m.producer_id): m for m in result.meetings}
    dropped = []
    for key, row in existing.items():
        if row.status == MeetingStatus.scheduled and key not in placed:
            if row.announced_slot is not None:
                dropped.append(
                    MovedOut(
                        meeting_id=None,
                        buyer_participant_id=key[0],
                        producer_participant_id=key[1],
                        from_slot=row.announced_slot,
                        from_table=row.announced_table,  # type: ignore[arg-type]
                        slot=None,
                        table=None,
                    ).model_dump()
                )
            session.delete(row)
    for key, m in placed.items():
        row = existing.get(key) or Meeting(
            event_id=event.id,
            buyer_participant_id=key[0],
            producer_participant_id=key[1],
            slot=m.slot,
            table_number=m.table,
            schedule_version=version,
            created_at=now,
        )
        row.slot, row.table_number = m.slot, m.table
        row.value, row.proposed, row.needs_interpreter = m.value, m.proposed, m.needs_interpreter
        row.schedule_version, row.updated_at, row.updated_by_user_id = version, now, actor.id
        session.add(row)
    event.schedule_version = version
    event.scheduled_at = now
    event.schedule_summary = {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "total_value": result.total_value,
        "solve_seconds": round(result.solve_seconds, 3),
        "unscheduled_requests": [
            UnscheduledOut(
                buyer_participant_id=u.buyer_id, producer_participant_id=u.producer_id, value=u.value, reason=u.reason
            ).model_dump()
            for u in result.unscheduled_requests
        ],
        "uncovered_participant_ids": list(result.uncovered_participant_ids),
        "dropped": dropped,
    }
    session.add(event)
    session.flush()
    record(
        session, actor, "event.schedule", "event", event.id, version=version, meetings=len(placed), status=result.status
    )
    return event


def meeting_out(slots: Sequence[Slot], m: Meeting) -> MeetingOut:
    slot = slots[m.slot] if m.slot < len(slots) else None
    return MeetingOut(
        id=m.id,
        slot=m.slot,
        table=m.table_number,
        buyer_participant_id=m.buyer_participant_id,
        producer_participant_id=m.producer_participant_id,
        starts_at=in_laos_time(slot.starts_at) if slot else None,
        ends_at=in_laos_time(slot.ends_at) if slot else None,
        status=m.status,
        value=m.value,
        proposed=m.proposed,
        needs_interpreter=m.needs_interpreter,
        announced=m.announced_slot is not None,
        moved=m.moved,
        announced_slot=m.announced_slot,
        announced_table=m.announced_table,
        outcome=m.outcome,
        follow_up=m.follow_up,
        deal_value_lak=m.deal_value_lak,
    )


def current_schedule(session: Session, event: Event) -> ScheduleOut:
    """The schedule as it stands: every meeting that is not cancelled, by slot and table."""
    rows = session.exec(
        select(Meeting)
        .where(Meeting.event_id == event.id, Meeting.status != MeetingStatus.cancelled)
        .order_by(Meeting.slot, Meeting.table_number)
    ).all()
    slots = event_slots(event)
    summary = event.schedule_summary or {}
    meetings = [meeting_out(slots, m) for m in rows]
    return ScheduleOut(
        event_id=event.id,
        version=event.schedule_version,
        status=summary.get("status", "NONE"),
        meetings=meetings,
        unscheduled_requests=summary.get("unscheduled_requests", []),
        objective=summary.get("objective", 0.0),
        bound=summary.get("bound", 0.0),
        gap=summary.get("gap", 0.0),
        total_value=summary.get("total_value", 0),
        uncovered_participant_ids=summary.get("uncovered_participant_ids", []),
        moved=[
            MovedOut(
                meeting_id=m.id,
                buyer_participant_id=m.buyer_participant_id,
                producer_participant_id=m.producer_participant_id,
                from_slot=m.announced_slot,
                from_table=m.announced_table,
                slot=m.slot,
                table=m.table_number,
            )
            for m in rows
            if m.moved
        ],
        dropped=summary.get("dropped", []),
        solve_seconds=summary.get("solve_seconds", 0.0),
        scheduled_at=event.scheduled_at,
    )


def announce_schedule(session: Session, actor: User, event: Event) -> ScheduleOut:
    """Staff tell the participants: the current slots and tables become the announced ones."""
    if event.schedule_version == 0:
        raise Conflict(N_("Schedule the event before announcing it."))
    now = utcnow()
    for m in session.exec(
        select(Meeting).where(Meeting.event_id == event.id, Meeting.status == MeetingStatus.scheduled)
    ):
        m.announced_slot, m.announced_table, m.announced_at = m.slot, m.table_number, now
        session.add(m)
    event.schedule_summary = {**(event.schedule_summary or {}), "dropped": []}
    session.add(event)
    session.flush()
    record(session, actor, "event.announce", "event", event.id, version=event.schedule_version)
    return current_schedule(session, event)
