"""What came of an event: each meeting held, missed or cancelled, the follow-up months later, and
the event report (requests, meetings, deals and their value, by province and category)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import User
from app.catalogue.models import Producer, Product, ProductStatus
from app.catalogue.reference import Category, Province
from app.db import utcnow
from app.errors import N_, Forbidden, NotFound, Unprocessable
from app.events.models import Event, EventParticipant, FollowUp, Meeting, MeetingRequest, MeetingStatus
from app.events.schemas import CategoryReport, EventReport, MeetingUpdate, ProvinceReport, ReportCounts
from app.events.service import by_id, may_act_for


def meeting_for(session: Session, actor: User, event: Event, meeting_id: int) -> Meeting:
    """A meeting of this event that the caller takes part in (staff: any); 404 otherwise."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.event_id != event.id:
        raise NotFound(N_("Event {event_id} has no meeting {meeting_id}.", event_id=event.id, meeting_id=meeting_id))
    if not actor.is_staff and not any(
        may_act_for(session, actor, session.get(EventParticipant, pid))  # type: ignore[arg-type]
        for pid in (meeting.buyer_participant_id, meeting.producer_participant_id)
    ):
        raise NotFound(N_("Event {event_id} has no meeting {meeting_id}.", event_id=event.id, meeting_id=meeting_id))
    return meeting


def update_meeting(session: Session, actor: User, meeting: Meeting, data: MeetingUpdate) -> Meeting:
    """Record what happened: staff mark meetings held / no-show / cancelled (a participant may cancel
    its own), and either side or staff record the follow-up: negotiation started, agreement reached
    (with the deal value in kip), or no deal. Only a held meeting has a follow-up."""
    changes = data.model_dump(exclude_unset=True)
    if "status" in changes and changes["status"] is None:
        raise Unprocessable(N_("status cannot be empty."), loc=["body", "status"])
    if "status" in changes:
        status = MeetingStatus(changes["status"])
        if not actor.is_staff and (status != MeetingStatus.cancelled or meeting.status != MeetingStatus.scheduled):
            raise Forbidden(N_("Staff record whether a meeting was held; you may cancel a meeting still to come."))
        meeting.status = status
    if "outcome" in changes:
        meeting.outcome = changes["outcome"]
    if "follow_up" in changes or "deal_value_lak" in changes:
        follow_up = changes.get("follow_up", meeting.follow_up)
        deal_value = changes.get("deal_value_lak", meeting.deal_value_lak)
        if deal_value is not None and "follow_up" not in changes:
            follow_up = FollowUp.agreement_reached  # a deal value says an agreement was reached
        if deal_value is not None and follow_up != FollowUp.agreement_reached:
            raise Unprocessable(
                N_("A deal value goes with follow_up 'agreement_reached'."), loc=["body", "deal_value_lak"]
            )
        meeting.follow_up, meeting.deal_value_lak = follow_up, deal_value
        meeting.followed_up_at = utcnow()
    if meeting.status != MeetingStatus.held and (meeting.follow_up is not None or meeting.deal_value_lak is not None):
        raise Unprocessable(
            N_("Only a held meeting has a follow-up or a deal."),
            loc=["body", "status" if "status" in changes else "follow_up"],
        )
    meeting.updated_at, meeting.updated_by_user_id = utcnow(), actor.id
    session.add(meeting)
    record(session, actor, "meeting.update", "meeting", meeting.id, event_id=meeting.event_id, fields=sorted(changes))
    return meeting


def _main_categories(session: Session, producer_ids: set[int]) -> dict[int, str]:
    """Each producer's main category: the one with most published products (ties: alphabetical)."""
    if not producer_ids:
        return {}
    rows = session.exec(
        select(Product.producer_id, Product.category, sa.func.count())
        .where(
            Product.producer_id.in_(sorted(producer_ids)),
            Product.status == ProductStatus.published,
            Product.deleted_at.is_(None),
        )
        .group_by(Product.producer_id, Product.category)
    ).all()
    best: dict[int, tuple[int, str]] = {}
    for producer_id, category, n in rows:
        if producer_id not in best or (-n, category) < (-best[producer_id][0], best[producer_id][1]):
            best[producer_id] = (n, category)
    return {pid: category for pid, (_, category) in best.items()}


def _bump(counts: ReportCounts, field: str, by: int = 1) -> None:
    setattr(counts, field, getattr(counts, field) + by)


def event_report(session: Session, event: Event) -> EventReport:
    """Requests, scheduled meetings, held, no-shows, cancellations, deals and their value; in total,
    by the producer's province and by the producer's main category."""
    participants = {
        p.id: p for p in session.exec(select(EventParticipant).where(EventParticipant.event_id == event.id))
    }
    producers = by_id(session, Producer, {p.producer_id for p in participants.values() if p.producer_id})
    categories = _main_categories(session, set(producers))

    def producer_side(*pids: int) -> Producer | None:
        for pid in pids:
            p = participants.get(pid)
            if p is not None and p.producer_id is not None:
                return producers.get(p.producer_id)
        return None

    total = ReportCounts()
    by_province: dict[str, ReportCounts] = defaultdict(ReportCounts)
    by_category: dict[str | None, ReportCounts] = defaultdict(ReportCounts)

    def count(producer: Producer | None, field: str, by: int = 1) -> None:
        _bump(total, field, by)
        if producer is not None:
            _bump(by_province[producer.province_code], field, by)
            _bump(by_category[categories.get(producer.id)], field, by)

    for r in session.exec(select(MeetingRequest).where(MeetingRequest.event_id == event.id)):
        count(producer_side(r.from_participant_id, r.to_participant_id), "requests")
    status_field = {MeetingStatus.held: "held", MeetingStatus.no_show: "no_shows", MeetingStatus.cancelled: "cancelled"}
    for m in session.exec(select(Meeting).where(Meeting.event_id == event.id)):
        producer = producer_side(m.producer_participant_id)
        count(producer, "scheduled")
        if m.status in status_field:
            count(producer, status_field[m.status])
        if m.follow_up == FollowUp.agreement_reached:
            count(producer, "deals")
            count(producer, "deal_value_lak", m.deal_value_lak or 0)

    province_names = dict(session.exec(select(Province.code, Province.name)).all())
    category_names = dict(session.exec(select(Category.slug, Category.name)).all())
    return EventReport(
        event_id=event.id,
        **total.model_dump(),
        by_province=[
            ProvinceReport(province_code=code, name=province_names.get(code, {}), **c.model_dump())
            for code, c in sorted(by_province.items())
        ],
        by_category=[
            CategoryReport(category=slug, name=category_names.get(slug, {}) if slug else {}, **c.model_dump())
            for slug, c in sorted(by_category.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ],
    )
