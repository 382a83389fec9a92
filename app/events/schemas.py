"""API shapes of matching events. In this API `slot` is a slot index (from 0) and `table` a number
from 1 to the event's `tables`. Times without a zone are taken as Lao time (UTC+07:00); times are
returned in Lao time."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.errors import N_
from app.events.models import FollowUp, MeetingStatus
from app.matching.schemas import LanguageCodes

LAOS_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")  # no daylight saving in Laos


def in_laos_time(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LAOS_TZ)


def _zoned(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=LAOS_TZ) if value.tzinfo is None else value


def _slot_indices(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return sorted(set(value))
    return value


EventTime = Annotated[dt.datetime, AfterValidator(_zoned)]
SlotIndices = Annotated[
    list[Annotated[int, Field(ge=0, le=10_000)]], BeforeValidator(_slot_indices), Field(max_length=1000)
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EventFields(_In):
    slot_minutes: int | None = Field(default=None, ge=5, le=480)
    tables: int | None = Field(default=None, ge=1, le=1000)
    interpreters_per_slot: int | None = Field(
        default=None, ge=0, le=1000, description="Interpreters available per slot; null: no limit"
    )


class EventCreate(EventFields):
    name: str = Field(min_length=1, max_length=200)
    province_code: str = Field(max_length=8)
    venue: str = Field(min_length=1, max_length=300)
    starts_at: EventTime
    ends_at: EventTime
    slot_minutes: int = Field(ge=5, le=480)
    tables: int = Field(ge=1, le=1000)


class EventUpdate(EventFields):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    province_code: str | None = Field(default=None, max_length=8)
    venue: str | None = Field(default=None, min_length=1, max_length=300)
    starts_at: EventTime | None = None
    ends_at: EventTime | None = None


class SlotOut(BaseModel):
    index: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class EventPublic(BaseModel):
    id: int
    name: str
    province_code: str
    venue: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    slot_minutes: int
    tables: int
    interpreters_per_slot: int | None
    slots: list[SlotOut]
    schedule_version: int = Field(description="0 before the first schedule")
    scheduled_at: dt.datetime | None
    created_at: dt.datetime


class ParticipantCreate(_In):
    buyer_id: int | None = None
    producer_id: int | None = None
    unavailable_slots: SlotIndices = Field(default_factory=list)
    languages: LanguageCodes | None = Field(default=None, description="Default: the buyer's languages; Lao")

    @model_validator(mode="after")
    def _one_side(self) -> ParticipantCreate:
        if (self.buyer_id is None) == (self.producer_id is None):
            raise ValueError(N_("give either buyer_id or producer_id"))
        return self


class ParticipantUpdate(_In):
    unavailable_slots: SlotIndices | None = None
    languages: LanguageCodes | None = None
    approved: bool | None = Field(default=None, description="Staff only")


class ParticipantPublic(BaseModel):
    id: int
    event_id: int
    side: Literal["buyer", "producer"]
    buyer_id: int | None
    producer_id: int | None
    name: str
    province_code: str | None = None
    country: str | None = None
    approved: bool
    unavailable_slots: list[int]
    languages: list[str]
    created_at: dt.datetime


class RequestCreate(_In):
    from_participant_id: int
    to_participant_id: int
    priority: int = Field(default=2, ge=1, le=3, description="3 = most wanted")


class RequestPublic(BaseModel):
    id: int
    event_id: int
    from_participant_id: int
    to_participant_id: int
    priority: int
    created_at: dt.datetime


class MeetingOut(BaseModel):
    id: int
    slot: int
    table: int
    buyer_participant_id: int
    producer_participant_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: MeetingStatus
    value: int = Field(description="Worth in the scheduler's points")
    proposed: bool = Field(description="Suggested by the match score; nobody asked")
    needs_interpreter: bool
    announced: bool
    moved: bool = Field(description="Announced, and since moved to another slot or table")
    announced_slot: int | None
    announced_table: int | None
    outcome: str | None
    follow_up: FollowUp | None
    deal_value_lak: int | None


class UnscheduledOut(BaseModel):
    buyer_participant_id: int
    producer_participant_id: int
    value: int
    reason: str = Field(description="no_common_slot, no_interpreter, no_table or not_selected")


class MovedOut(BaseModel):
    meeting_id: int | None
    buyer_participant_id: int
    producer_participant_id: int
    from_slot: int
    from_table: int
    slot: int | None = Field(description="null: the meeting was dropped")
    table: int | None


class ScheduleOut(BaseModel):
    event_id: int
    version: int
    status: str = Field(description="OPTIMAL (proven) or FEASIBLE (best found in the time limit); NONE before any")
    meetings: list[MeetingOut]
    unscheduled_requests: list[UnscheduledOut]
    objective: float
    bound: float | None = Field(description="Proven upper bound on the objective")
    gap: float | None
    total_value: int
    uncovered_participant_ids: list[int] = Field(description="Asked or were asked for a meeting, and got none")
    moved: list[MovedOut] = Field(description="Announced meetings that moved")
    dropped: list[MovedOut] = Field(description="Announced meetings that no longer take place")
    solve_seconds: float
    scheduled_at: dt.datetime | None


class MeetingUpdate(_In):
    status: Literal["held", "no_show", "cancelled", "scheduled"] | None = None
    outcome: str | None = Field(default=None, max_length=2000)
    follow_up: FollowUp | None = None
    deal_value_lak: int | None = Field(default=None, ge=0, le=10**15)


class ReportCounts(BaseModel):
    requests: int = 0
    scheduled: int = 0
    held: int = 0
    no_shows: int = 0
    cancelled: int = 0
    deals: int = 0
    deal_value_lak: int = 0


class ProvinceReport(ReportCounts):
    province_code: str
    name: dict[str, str]


class CategoryReport(ReportCounts):
    category: str | None
    name: dict[str, str]


class EventReport(ReportCounts):
    event_id: int
    by_province: list[ProvinceReport]
    by_category: list[CategoryReport]


class AgendaProduct(BaseModel):
    id: int
    name: dict[str, str]
    cover_url: str | None = None


class AgendaParty(BaseModel):
    """The other side of a meeting, as an agenda prints it."""

    participant_id: int
    side: Literal["buyer", "producer"]
    name: str
    province_code: str | None = None
    country: str | None = None
    buyer_type: str | None = None
    page_url: str
    qr_svg: str = Field(description="A QR code to page_url, as an SVG data URI (for <img src>)")
    products: list[AgendaProduct] = Field(default_factory=list, description="A producer's products")
    interests: list[str] = Field(default_factory=list, description="A buyer's categories, in the visitor's language")


class AgendaMeeting(BaseModel):
    meeting_id: int
    slot: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    table: int
    status: MeetingStatus
    needs_interpreter: bool
    moved: bool
    announced_slot: int | None
    announced_table: int | None
    other: AgendaParty


class Agenda(BaseModel):
    event: EventPublic
    participant: ParticipantPublic
    meetings: list[AgendaMeeting]


class TablePerson(BaseModel):
    participant_id: int
    name: str
    province_code: str | None = None
    country: str | None = None


class TableMeeting(BaseModel):
    meeting_id: int
    status: MeetingStatus
    needs_interpreter: bool
    buyer: TablePerson
    producer: TablePerson


class TableSlot(BaseModel):
    index: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    meeting: TableMeeting | None


class TableSheet(BaseModel):
    """What happens at one table, slot by slot (a sheet for the staff at the table)."""

    event: EventPublic
    table: int
    slots: list[TableSlot]
