"""Printable agendas: a participant's meetings (slot, table, who, their products, a QR code to their
page) and a sheet per table for the staff. JSON here; the pages render and print it."""

from __future__ import annotations

from collections import defaultdict

import segno
from sqlmodel import Session, select

from app.auth.models import User
from app.catalogue import presenters
from app.catalogue.models import Product, ProductStatus
from app.catalogue.repository import images_by_product
from app.errors import N_, NotFound
from app.events import service
from app.events.models import Event, EventParticipant, Meeting, MeetingStatus
from app.events.schemas import (
    Agenda,
    AgendaMeeting,
    AgendaParty,
    AgendaProduct,
    TableMeeting,
    TablePerson,
    TableSheet,
    TableSlot,
    in_laos_time,
)
from app.matching.models import Buyer
from app.matching.service import labels_for

PRODUCTS_PER_PRODUCER = 3


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def page_url(base_url: str, participant: EventParticipant) -> str:
    """The other party's page: a producer's public page, a buyer's profile (for signed-in users)."""
    base = base_url.rstrip("/")
    if participant.producer_id is not None:
        return f"{base}/producers/{participant.producer_id}"
    return f"{base}/buyers/{participant.buyer_id}"


def _showcase(session: Session, producer_ids: set[int]) -> dict[int, list[AgendaProduct]]:
    """A few published products per producer (best graded first), with cover photos, in two queries."""
    if not producer_ids:
        return {}
    products = session.exec(
        select(Product)
        .where(
            Product.producer_id.in_(sorted(producer_ids)),
            Product.status == ProductStatus.published,
            Product.deleted_at.is_(None),
        )
        .order_by(Product.producer_id, Product.stars.desc().nulls_last(), Product.id)
    ).all()
    chosen: dict[int, list[Product]] = defaultdict(list)
    for p in products:
        if len(chosen[p.producer_id]) < PRODUCTS_PER_PRODUCER:
            chosen[p.producer_id].append(p)
    images = images_by_product(session, [p.id for items in chosen.values() for p in items])
    return {
        producer_id: [
            AgendaProduct(
                id=p.id,
                name=p.name,
                cover_url=presenters.media_url(images[p.id][0].paths["320"]) if images.get(p.id) else None,
            )
            for p in items
        ]
        for producer_id, items in chosen.items()
    }


def participant_agenda(
    session: Session, actor: User, event: Event, participant_id: int, *, base_url: str, lang: str
) -> Agenda:
    """One participant's meetings in time order (the participant's own account, or staff)."""
    me = service.participant_in(session, event, participant_id)
    if not service.may_act_for(session, actor, me):
        raise NotFound(
            N_(
                "Event {event_id} has no participant {participant_id}.",
                event_id=event.id,
                participant_id=participant_id,
            )
        )
    column = Meeting.buyer_participant_id if me.buyer_id is not None else Meeting.producer_participant_id
    meetings = session.exec(
        select(Meeting)
        .where(Meeting.event_id == event.id, column == me.id, Meeting.status != MeetingStatus.cancelled)
        .order_by(Meeting.slot)
    ).all()
    other_ids = {m.producer_participant_id if me.buyer_id is not None else m.buyer_participant_id for m in meetings}
    others = service.by_id(session, EventParticipant, other_ids)
    who = service.describe(session, [me, *others.values()], lang)
    showcase = _showcase(session, {p.producer_id for p in others.values() if p.producer_id is not None})
    buyers = service.by_id(session, Buyer, {p.buyer_id for p in others.values() if p.buyer_id is not None})
    labels = labels_for(session, lang)
    slots = service.event_slots(event)
    items = []
    for m in meetings:
        other = others[m.producer_participant_id if me.buyer_id is not None else m.buyer_participant_id]
        buyer = buyers.get(other.buyer_id) if other.buyer_id is not None else None
        url = page_url(base_url, other)
        items.append(
            AgendaMeeting(
                meeting_id=m.id,
                slot=m.slot,
                starts_at=in_laos_time(slots[m.slot].starts_at),
                ends_at=in_laos_time(slots[m.slot].ends_at),
                table=m.table_number,
                status=m.status,
                needs_interpreter=m.needs_interpreter,
                moved=m.moved,
                announced_slot=m.announced_slot,
                announced_table=m.announced_table,
                other=AgendaParty(
                    participant_id=other.id,
                    side=other.side,
                    name=who[other.id].name,
                    province_code=who[other.id].province_code,
                    country=who[other.id].country,
                    buyer_type=buyer.buyer_type if buyer else None,
                    page_url=url,
                    qr_svg=qr_data_uri(url),
                    products=showcase.get(other.producer_id, []) if other.producer_id is not None else [],
                    interests=[labels.category(c) for c in buyer.categories] if buyer else [],
                ),
            )
        )
    return Agenda(
        event=service.event_public(event),
        participant=service.participant_public(me, who[me.id]),
        meetings=items,
    )


def table_sheet(session: Session, event: Event, table: int, *, lang: str) -> TableSheet:
    """Every slot of one table with its meeting, if any (staff)."""
    if not 1 <= table <= event.tables:
        raise NotFound(
            N_(
                "Event {event_id} has tables 1 to {tables}, not {table}.",
                event_id=event.id,
                tables=event.tables,
                table=table,
            )
        )
    meetings = {
        m.slot: m
        for m in session.exec(
            select(Meeting).where(
                Meeting.event_id == event.id,
                Meeting.table_number == table,
                Meeting.status != MeetingStatus.cancelled,
            )
        )
    }
    people = service.by_id(
        session,
        EventParticipant,
        {pid for m in meetings.values() for pid in (m.buyer_participant_id, m.producer_participant_id)},
    )
    who = service.describe(session, people.values(), lang)

    def person(pid: int) -> TablePerson:
        return TablePerson(
            participant_id=pid, name=who[pid].name, province_code=who[pid].province_code, country=who[pid].country
        )

    return TableSheet(
        event=service.event_public(event),
        table=table,
        slots=[
            TableSlot(
                index=s.index,
                starts_at=in_laos_time(s.starts_at),
                ends_at=in_laos_time(s.ends_at),
                meeting=TableMeeting(
                    meeting_id=m.id,
                    status=m.status,
                    needs_interpreter=m.needs_interpreter,
                    buyer=person(m.buyer_participant_id),
                    producer=person(m.producer_participant_id),
                )
                if (m := meetings.get(s.index)) is not None
                else None,
            )
            for s in service.event_slots(event)
        ],
    )
