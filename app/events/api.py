"""Matching events over the JSON API (HTTP only: the rules are in service.py, scheduling.py,
outcomes.py and agenda.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.deps import CurrentUser, OptionalUser, StaffUser
from app.catalogue.schemas import Page
from app.db import SessionDep, write_turn_lent
from app.events import agenda, outcomes, scheduling, service
from app.events.schemas import (
    Agenda,
    EventCreate,
    EventPublic,
    EventReport,
    EventUpdate,
    MeetingOut,
    MeetingUpdate,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantUpdate,
    RequestCreate,
    RequestPublic,
    ScheduleOut,
    TableSheet,
)

router = APIRouter(tags=["events"])

PageNo = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=100)]


# ---- events ------------------------------------------------------------------------------------


@router.post("/events", status_code=status.HTTP_201_CREATED, response_model=EventPublic)
def create_event(body: EventCreate, user: StaffUser, session: SessionDep) -> EventPublic:
    """Staff create an event; the answer lists its slots (index from 0)."""
    return service.event_public(service.create_event(session, user, body))


@router.get("/events", response_model=Page[EventPublic])
def list_events(
    session: SessionDep,
    province: Annotated[str | None, Query(max_length=8)] = None,
    page: PageNo = 1,
    per_page: PerPage = 24,
) -> Page[EventPublic]:
    rows, total = service.list_events(session, province=province, page=page, per_page=per_page)
    return Page(items=[service.event_public(e) for e in rows], total=total, page=page, per_page=per_page)


@router.get("/events/{event_id}", response_model=EventPublic)
def get_event(event_id: int, session: SessionDep) -> EventPublic:
    return service.event_public(service.get_event(session, event_id))


@router.patch("/events/{event_id}", response_model=EventPublic)
def update_event(event_id: int, body: EventUpdate, user: StaffUser, session: SessionDep) -> EventPublic:
    event = service.get_event(session, event_id)
    return service.event_public(service.update_event(session, user, event, body))


# ---- participants ------------------------------------------------------------------------------


def _participant_out(session: SessionDep, request: Request, participant) -> ParticipantPublic:  # type: ignore[no-untyped-def]
    who = service.describe(session, [participant], request.state.lang)[participant.id]
    return service.participant_public(participant, who)


@router.post("/events/{event_id}/participants", status_code=status.HTTP_201_CREATED, response_model=ParticipantPublic)
def register_participant(
    event_id: int, body: ParticipantCreate, request: Request, user: CurrentUser, session: SessionDep
) -> ParticipantPublic:
    """Staff register a buyer or producer (approved); a buyer or producer registers itself and waits for approval."""
    event = service.get_event(session, event_id)
    return _participant_out(session, request, service.register_participant(session, user, event, body))


@router.get("/events/{event_id}/participants", response_model=list[ParticipantPublic])
def list_participants(
    event_id: int, request: Request, user: OptionalUser, session: SessionDep
) -> list[ParticipantPublic]:
    """Approved participants (staff: also those waiting for approval)."""
    event = service.get_event(session, event_id)
    rows = service.list_participants(session, user, event)
    who = service.describe(session, rows, request.state.lang)
    return [service.participant_public(p, who[p.id]) for p in rows]


@router.patch("/events/{event_id}/participants/{participant_id}", response_model=ParticipantPublic)
def update_participant(
    event_id: int,
    participant_id: int,
    body: ParticipantUpdate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
) -> ParticipantPublic:
    """Change unavailable slots and languages; staff approve with `approved: true`."""
    event = service.get_event(session, event_id)
    participant = service.participant_in(session, event, participant_id)
    return _participant_out(session, request, service.update_participant(session, user, event, participant, body))


@router.delete("/events/{event_id}/participants/{participant_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_participant(event_id: int, participant_id: int, user: CurrentUser, session: SessionDep) -> Response:
    event = service.get_event(session, event_id)
    service.remove_participant(session, user, event, service.participant_in(session, event, participant_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- meeting requests --------------------------------------------------------------------------


@router.post("/events/{event_id}/requests", status_code=status.HTTP_201_CREATED, response_model=RequestPublic)
def create_request(event_id: int, body: RequestCreate, user: CurrentUser, session: SessionDep) -> RequestPublic:
    """Ask to meet a participant of the other side (priority 1..3, 3 = most wanted)."""
    event = service.get_event(session, event_id)
    return RequestPublic.model_validate(service.create_request(session, user, event, body), from_attributes=True)


@router.get("/events/{event_id}/requests", response_model=list[RequestPublic])
def list_requests(event_id: int, user: CurrentUser, session: SessionDep) -> list[RequestPublic]:
    """The requests the caller sent or received (staff: all)."""
    event = service.get_event(session, event_id)
    return [RequestPublic.model_validate(r, from_attributes=True) for r in service.list_requests(session, user, event)]


@router.delete("/events/{event_id}/requests/{request_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_request(event_id: int, request_id: int, user: CurrentUser, session: SessionDep) -> Response:
    service.delete_request(session, user, service.get_event(session, event_id), request_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# ---- the schedule ------------------------------------------------------------------------------


@router.post("/events/{event_id}/schedule", response_model=ScheduleOut)
def schedule_event(event_id: int, request: Request, user: StaffUser, session: SessionDep) -> ScheduleOut:
    """(Re)compute the optimal schedule. Announced meetings stay where they are when possible;
    `moved` and `dropped` list those that could not. `bound` is a proven upper bound on `objective`."""
    prepared = scheduling.prepare_schedule(session, service.get_event(session, event_id))
    # No transaction and no write turn are held while the solver runs (up to seconds);
    # store_schedule starts a new transaction and checks that nothing changed meanwhile.
    with write_turn_lent(request, session):
        result = scheduling.solve(prepared)
    event = scheduling.store_schedule(session, user, prepared, result)
    return scheduling.current_schedule(session, event)


@router.get("/events/{event_id}/schedule", response_model=ScheduleOut)
def get_schedule(event_id: int, user: StaffUser, session: SessionDep) -> ScheduleOut:
    """The current schedule (participants read their own agenda instead)."""
    return scheduling.current_schedule(session, service.get_event(session, event_id))


@router.post("/events/{event_id}/schedule/announce", response_model=ScheduleOut)
def announce_schedule(event_id: int, user: StaffUser, session: SessionDep) -> ScheduleOut:
    """Mark the current slots and tables as told to the participants: rescheduling keeps them where it can."""
    return scheduling.announce_schedule(session, user, service.get_event(session, event_id))


@router.patch("/events/{event_id}/meetings/{meeting_id}", response_model=MeetingOut)
def update_meeting(
    event_id: int, meeting_id: int, body: MeetingUpdate, user: CurrentUser, session: SessionDep
) -> MeetingOut:
    """Record a meeting's outcome (held, no-show, cancelled) and its follow-up (deal value in kip)."""
    event = service.get_event(session, event_id)
    meeting = outcomes.update_meeting(session, user, outcomes.meeting_for(session, user, event, meeting_id), body)
    return scheduling.meeting_out(service.event_slots(event), meeting)


@router.get("/events/{event_id}/report", response_model=EventReport)
def event_report(event_id: int, session: SessionDep) -> EventReport:
    """Requests, scheduled, held, no-shows, deals and deal value, in total and by province and category."""
    return outcomes.event_report(session, service.get_event(session, event_id))


# ---- printable agendas -------------------------------------------------------------------------


@router.get("/events/{event_id}/agenda", response_model=Agenda)
def participant_agenda(
    event_id: int, participant_id: int, request: Request, user: CurrentUser, session: SessionDep
) -> Agenda:
    """A participant's meetings with tables, the other party's products and a QR code to their page."""
    return agenda.participant_agenda(
        session,
        user,
        service.get_event(session, event_id),
        participant_id,
        base_url=request.app.state.settings.public_base_url,
        lang=request.state.lang,
    )


@router.get("/events/{event_id}/tables/{table}", response_model=TableSheet)
def table_sheet(event_id: int, table: int, request: Request, user: StaffUser, session: SessionDep) -> TableSheet:
    """What happens at one table, slot by slot (staff)."""
    return agenda.table_sheet(session, service.get_event(session, event_id), table, lang=request.state.lang)
