"""Matching events: the event, its participants, the meetings they ask for, and the meetings held.

Slots are not stored: slot ``i`` runs from ``starts_at + i * slot_minutes`` (see ``event_slots``).
Tables are numbered from 1.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import LocalizedJSON, NullableJSON, UTCDateTime, utcnow


class MeetingStatus(enum.StrEnum):
    scheduled = "scheduled"
    held = "held"
    no_show = "no_show"
    cancelled = "cancelled"


class FollowUp(enum.StrEnum):
    """Where a held meeting led, recorded months later."""

    negotiation_started = "negotiation_started"
    agreement_reached = "agreement_reached"
    no_deal = "no_deal"


def _fk(target: str, *, nullable: bool = False, ondelete: str | None = "CASCADE", index: bool = True) -> sa.Column:
    return sa.Column(sa.Integer, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _user_fk() -> sa.Column:
    return _fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)


class Event(SQLModel, table=True):
    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    province_code: str = Field(
        sa_column=sa.Column(sa.String(8), sa.ForeignKey("province.code"), nullable=False, index=True)
    )
    venue: str = Field(sa_column=sa.Column(sa.String(300), nullable=False))
    starts_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False, index=True))
    ends_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    slot_minutes: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    tables: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    # Meetings without a shared language need one; NULL: as many as needed.
    interpreters_per_slot: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    # 0 until the first schedule; +1 at every (re)scheduling.
    schedule_version: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    scheduled_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    # What the last scheduling run reported (objective, bound, unscheduled requests, moved meetings…).
    schedule_summary: dict | None = Field(default=None, sa_column=sa.Column(NullableJSON, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_by_user_id: int | None = Field(default=None, sa_column=_user_fk())
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        sa.CheckConstraint("tables >= 1", name="tables_positive"),
        sa.CheckConstraint(
            "interpreters_per_slot IS NULL OR interpreters_per_slot >= 0", name="interpreters_not_negative"
        ),
    )


class EventParticipant(SQLModel, table=True):
    """A buyer or a producer at an event. Self-registrations wait for staff approval."""

    __tablename__ = "event_participant"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=_fk("event.id"))
    buyer_id: int | None = Field(default=None, sa_column=_fk("buyer.id", nullable=True))
    producer_id: int | None = Field(default=None, sa_column=_fk("producer.id", nullable=True))
    approved: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    unavailable_slots: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    languages: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    registered_by_user_id: int | None = Field(default=None, sa_column=_user_fk())
    approved_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    approved_by_user_id: int | None = Field(default=None, sa_column=_user_fk())

    __table_args__ = (
        sa.CheckConstraint(
            "(buyer_id IS NULL AND producer_id IS NOT NULL) OR (buyer_id IS NOT NULL AND producer_id IS NULL)",
            name="one_side",
        ),
        sa.UniqueConstraint("event_id", "buyer_id", name="uq_event_participant_event_buyer"),
        sa.UniqueConstraint("event_id", "producer_id", name="uq_event_participant_event_producer"),
    )

    @property
    def side(self) -> str:
        return "buyer" if self.buyer_id is not None else "producer"


class MeetingRequest(SQLModel, table=True):
    """One participant asks to meet another (of the other side); priority 3 = most wanted."""

    __tablename__ = "meeting_request"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=_fk("event.id"))
    from_participant_id: int = Field(sa_column=_fk("event_participant.id"))
    to_participant_id: int = Field(sa_column=_fk("event_participant.id"))
    priority: int = Field(default=2, sa_column=sa.Column(sa.SmallInteger, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_by_user_id: int | None = Field(default=None, sa_column=_user_fk())

    __table_args__ = (
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
        sa.CheckConstraint("from_participant_id <> to_participant_id", name="not_self"),
        sa.UniqueConstraint("from_participant_id", "to_participant_id", name="uq_meeting_request_from_to"),
    )


class Meeting(SQLModel, table=True):
    """A scheduled meeting of one buyer and one producer, then what came of it.

    A pair meets at most once per event, so a meeting keeps its id when rescheduling moves it.
    ``announced_slot``/``announced_table`` are where the participants were told to meet
    (rescheduling keeps announced meetings there where it can); a meeting has moved when its
    slot or table differs from them.
    """

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=_fk("event.id"))
    buyer_participant_id: int = Field(sa_column=_fk("event_participant.id"))
    producer_participant_id: int = Field(sa_column=_fk("event_participant.id"))
    slot: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    table_number: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    value: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False, server_default="0"))
    proposed: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    needs_interpreter: bool = Field(
        default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false())
    )
    status: MeetingStatus = Field(default=MeetingStatus.scheduled, sa_column=sa.Column(sa.String(12), nullable=False))
    schedule_version: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    announced_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    announced_slot: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    announced_table: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    outcome: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    follow_up: FollowUp | None = Field(default=None, sa_column=sa.Column(sa.String(24), nullable=True))
    deal_value_lak: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    followed_up_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_by_user_id: int | None = Field(default=None, sa_column=_user_fk())

    __table_args__ = (
        sa.CheckConstraint("status IN ('scheduled','held','no_show','cancelled')", name="status_known"),
        sa.CheckConstraint(
            "follow_up IS NULL OR follow_up IN ('negotiation_started','agreement_reached','no_deal')",
            name="follow_up_known",
        ),
        sa.CheckConstraint("deal_value_lak IS NULL OR deal_value_lak >= 0", name="deal_value_not_negative"),
        sa.CheckConstraint("slot >= 0 AND table_number >= 1", name="slot_table_range"),
        sa.UniqueConstraint(
            "event_id", "buyer_participant_id", "producer_participant_id", name="uq_meeting_event_pair"
        ),
    )

    @property
    def moved(self) -> bool:
        """Announced, and no longer where the participants were told to meet."""
        return self.announced_slot is not None and (self.announced_slot, self.announced_table) != (
            self.slot,
            self.table_number,
        )
