"""The business-matching side of the demo: buyers, their inquiries, and two matching events.

Everything goes through the services a real user's clicks go through (accounts, buyer profiles,
inquiries, event registration, meeting requests, the scheduler, outcomes), so the invariants and the
audit trail are the real ones. Afterwards the timestamps are moved back to when it would have happened
(an inquiry sent three months ago, an event held ten weeks ago); the services stamp "now".

- `seed_buyers`: one buyer account and profile per `buyers.BUYERS` entry; the first is the demo buyer
  account's (buyer@odop.la), the others log in as buyer-01@odop.la … with the demo password.
- `seed_inquiries`: about 120 inquiries to published products over the last six months, some read;
  a few reach the demo producer account's producer, so its inbox is not empty.
- `seed_events`: a past event (held, with outcomes and follow-ups, so the reports have figures) and an
  upcoming one (participants approved, meeting requests, a computed schedule, not announced yet).

Deterministic for a given seed: one random.Random, rows read in id order, and the scheduler run on one
thread with a seed (CP-SAT is then repeatable as long as it finishes within its time limit, which these
modest events do in well under a second).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from argon2 import PasswordHasher
from sqlmodel import Session, select

from app.auth import service as auth_service
from app.auth.models import Role, User
from app.catalogue.models import Product
from app.catalogue.repository import public_product_condition
from app.demo.accounts import DEMO_PASSWORD, DemoAccounts
from app.demo.buyers import (
    BUYERS,
    INQUIRY_MESSAGES,
    MEETING_NOTES,
    NO_WHATSAPP,
    PHONE_FORMATS,
    WRITES_IN,
    BuyerSpec,
)
from app.events import outcomes, scheduler, scheduling
from app.events import service as events_service
from app.events.models import Event, EventParticipant, FollowUp, Meeting, MeetingRequest, MeetingStatus
from app.events.schemas import LAOS_TZ, EventCreate, MeetingUpdate, ParticipantCreate, RequestCreate
from app.matching import service as matching_service
from app.matching.models import Buyer
from app.matching.schemas import BuyerCreate, InquiryCreate
from app.ratelimit import RateLimiter

INQUIRIES = 120
INQUIRY_MONTHS = 6
SHOWCASE_INQUIRIES = 6  # of them, to the demo producer account's published products
MAX_INQUIRIES_PER_BUYER = 15  # below the service's hourly limit per buyer account
SOLVER_SECONDS = 5.0  # a limit, not a target: these events solve in well under a second

# Chances of what happened to a meeting at the past event, and of where a held one led.
MEETING_FATES = {MeetingStatus.held: 83, MeetingStatus.no_show: 10, MeetingStatus.cancelled: 7}
FOLLOW_UPS: dict[FollowUp | None, int] = {
    FollowUp.agreement_reached: 28,
    FollowUp.negotiation_started: 34,
    FollowUp.no_deal: 22,
    None: 16,  # not followed up (yet)
}
PRIORITIES = {3: 3, 2: 4, 1: 3}


@dataclass(frozen=True, slots=True)
class EventPlan:
    """One demo event: where, when (days from today, Lao time), and how big."""

    name: str
    province: str
    venue: str
    days_from_now: int
    buyers: int
    producers: int
    slots: int
    tables: int
    slot_minutes: int = 20
    interpreters_per_slot: int | None = None
    buyer_requests: tuple[int, int] = (3, 6)  # each buyer asks for between these many meetings
    pending: int = 0  # buyers that registered themselves and wait for approval (upcoming event only)


PAST_EVENT = EventPlan(
    name="ງານຈັບຄູ່ທຸລະກິດ ODOP ພາກເໜືອ / Northern ODOP Business Matching {year}",
    province="LA-LP",
    venue="ຫໍປະຊຸມແຂວງຫຼວງພະບາງ, ຖະໜົນຊີສະຫວ່າງວົງ (Luang Prabang Provincial Hall, Sisavangvong Road)",
    days_from_now=-72,
    buyers=20,
    producers=24,
    slots=10,
    tables=12,
    buyer_requests=(2, 5),
)
UPCOMING_EVENT = EventPlan(
    name="ງານຈັບຄູ່ທຸລະກິດ ODOP ແຫ່ງຊາດ / National ODOP Buyer–Producer Matching {year}",
    province="LA-VT",
    venue="ສູນປະຊຸມແຫ່ງຊາດ, ຖະໜົນກຳແພງເມືອງ, ນະຄອນຫຼວງວຽງຈັນ (National Convention Centre, Vientiane Capital)",
    days_from_now=24,
    buyers=30,
    producers=40,
    slots=12,
    tables=20,
    interpreters_per_slot=6,
    pending=2,
)
STARTS_AT = dt.time(8, 30)  # Lao time


@dataclass(slots=True)
class EventTotals:
    name: str
    past: bool
    created: bool = True
    buyers: int = 0
    producers: int = 0
    requests: int = 0
    meetings: int = 0
    held: int = 0
    deals: int = 0
    deal_value_lak: int = 0
    status: str = ""
    solve_seconds: float = 0.0


@dataclass(slots=True)
class MatchingTotals:
    buyers: int = 0
    new_buyers: int = 0
    inquiries: int = 0
    read: int = 0
    to_showcase: int = 0
    events: list[EventTotals] = field(default_factory=list)


class _HashOnce:
    """Every demo account has the same password: hash it once (argon2id is slow on purpose), not 40 times."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self._hasher = hasher
        self._hashes: dict[str, str] = {}

    def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = self._hasher.hash(password)
        return self._hashes[password]


def buyer_email(index: int) -> str:
    """The login of demo buyer `index` (0 is the demo buyer account)."""
    return "buyer@odop.la" if index == 0 else f"buyer-{index:02d}@odop.la"


# ---- buyers ------------------------------------------------------------------------------------


def seed_buyers(
    session: Session,
    rng: random.Random,
    accounts: DemoAccounts,
    hasher: PasswordHasher,
    now: dt.datetime,
    totals: MatchingTotals,
) -> list[Buyer]:
    """A buyer account and profile per BUYERS entry (reused when a previous run made them)."""
    hash_once = cast(PasswordHasher, _HashOnce(hasher))
    buyers = []
    for index, spec in enumerate(BUYERS):
        phone = _phone(rng, spec.country)
        joined = now - dt.timedelta(days=rng.uniform(20, 500))
        if index == 0:
            user = accounts.buyer
        else:
            user = session.exec(select(User).where(User.email == buyer_email(index))).first()
            if user is None:
                user = auth_service.create_user(
                    session,
                    hash_once,
                    email=buyer_email(index),
                    password=DEMO_PASSWORD,
                    role=Role.buyer,
                    display_name=spec.contact,
                    phone=phone,
                )
                user.created_at = joined
        buyer = matching_service.own_buyer(session, user)
        if buyer is None:
            buyer = matching_service.create_buyer(session, user, _profile(rng, spec, phone))
            buyer.created_at = buyer.updated_at = max(joined, user.created_at)
            totals.new_buyers += 1
        buyers.append(buyer)
    session.flush()
    totals.buyers = len(buyers)
    return buyers


def _phone(rng: random.Random, country: str) -> str:
    prefix, groups = PHONE_FORMATS.get(country, ("+1 212 ", (3, 4)))
    return prefix + " ".join("".join(str(rng.randint(0, 9)) for _ in range(n)) for n in groups)


def _profile(rng: random.Random, spec: BuyerSpec, phone: str) -> BuyerCreate:
    provinces = list(spec.provinces)
    if not provinces and rng.random() < 0.4:  # most foreign buyers do not mind where, some have a favourite
        provinces = [rng.choice(("LA-VT", "LA-LP", "LA-CH", "LA-SV", "LA-HO"))]
    volume = {"retailer": (50, 600), "hotel_restaurant": (30, 300), "wholesaler": (500, 5000)}.get(
        spec.buyer_type.value, (200, 3000)
    )
    return BuyerCreate(
        organisation=spec.organisation,
        country=spec.country,
        buyer_type=spec.buyer_type,
        categories=list(spec.categories),
        keywords=list(spec.keywords),
        volume_per_month=round(rng.randint(*volume), -1),
        price_max_lak=rng.choice((None, 150_000, 300_000, 500_000, 1_000_000)),
        certifications_required=list(spec.certifications),
        provinces=provinces,
        languages=list(spec.languages),
        contact_name=spec.contact,
        phone=phone,
        whatsapp=None if spec.country in NO_WHATSAPP else phone,
    )


# ---- inquiries ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Published:
    """What choosing products needs to know: published products (id, category, producer), in id order."""

    products: list[tuple[int, str, int]]
    by_category: dict[str, list[int]]  # product ids
    categories_of: dict[int, set[str]]  # producer id -> categories it has published products in

    @classmethod
    def load(cls, session: Session) -> _Published:
        rows = [
            (pid, category, producer_id)
            for pid, category, producer_id in session.exec(
                select(Product.id, Product.category, Product.producer_id)
                .where(public_product_condition())
                .order_by(Product.id)
            ).all()
        ]
        by_category: dict[str, list[int]] = defaultdict(list)
        categories_of: dict[int, set[str]] = defaultdict(set)
        for pid, category, producer_id in rows:
            by_category[category].append(pid)
            categories_of[producer_id].add(category)
        return cls(rows, dict(by_category), dict(categories_of))


def _wanted(tree: matching_service.CategoryTree, buyer: Buyer) -> frozenset[str]:
    """The categories a buyer looks for, families expanded to their sub-categories."""
    return frozenset().union(*(group for _, group in tree.groups(buyer.categories)))


def seed_inquiries(
    session: Session,
    rng: random.Random,
    buyers: Sequence[Buyer],
    showcase_producer_id: int | None,
    now: dt.datetime,
    totals: MatchingTotals,
) -> None:
    """INQUIRIES inquiries from the buyers to published products of the categories they buy, sent
    over the last INQUIRY_MONTHS months (oldest first); most older ones have been read."""
    published = _Published.load(session)
    if not published.products:
        return
    tree = matching_service.CategoryTree.load(session)
    showcase = [pid for pid, _, producer_id in published.products if producer_id == showcase_producer_id]
    weights = [3.0] + [rng.lognormvariate(0, 0.7) for _ in buyers[1:]]  # the demo buyer asks a lot
    sent: dict[int, int] = defaultdict(int)
    chosen: list[tuple[Buyer, int]] = []
    taken: set[tuple[int, int]] = set()
    while len(chosen) < INQUIRIES:
        buyer = rng.choices(buyers, weights)[0]
        if sent[buyer.id] >= MAX_INQUIRIES_PER_BUYER:  # type: ignore[index]
            continue
        if showcase and len(chosen) < SHOWCASE_INQUIRIES:
            product_id = rng.choice(showcase)
        else:
            categories = sorted(_wanted(tree, buyer))
            candidates = [pid for category in categories for pid in published.by_category.get(category, [])]
            product_id = rng.choice(candidates) if candidates else rng.choice(published.products)[0]
        if (buyer.id, product_id) in taken:  # type: ignore[comparison-overlap]
            if len(taken) >= len(buyers) * len(published.products):
                break
            continue
        taken.add((buyer.id, product_id))  # type: ignore[arg-type]
        sent[buyer.id] += 1  # type: ignore[index]
        chosen.append((buyer, product_id))

    products = {
        p.id: p for p in session.exec(select(Product).where(Product.id.in_(sorted({pid for _, pid in chosen}))))
    }
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(sorted({b.user_id for b, _ in chosen}))))}
    ages = sorted((rng.triangular(0.05, INQUIRY_MONTHS * 30.4, 20) for _ in chosen), reverse=True)
    limiter = RateLimiter()  # its own, in memory: the service's limit still applies per account
    for (buyer, product_id), age in zip(chosen, ages, strict=True):
        product = products[product_id]
        message, quantity = _message(rng, buyer, product)
        inquiry = matching_service.create_inquiry(
            session,
            users[buyer.user_id],
            limiter,
            InquiryCreate(product_id=product_id, message=message, quantity=quantity),
        )
        inquiry.created_at = now - dt.timedelta(days=age)
        read_chance = 0.75 if age > 14 else 0.25
        if rng.random() < read_chance:
            inquiry.read_at = min(now, inquiry.created_at + dt.timedelta(hours=rng.uniform(1, 24 * min(age, 10))))
            totals.read += 1
        totals.inquiries += 1
        totals.to_showcase += product.producer_id == showcase_producer_id
    session.flush()


def _message(rng: random.Random, buyer: Buyer, product: Product) -> tuple[str, int | None]:
    lang = WRITES_IN.get(buyer.country, "en")
    name_lang = "en" if lang == "zh" else lang
    name = product.name.get(name_lang) or product.name.get("en") or product.name["lo"]
    quantity = max(product.moq or 1, round((product.moq or 1) * rng.choice((1, 2, 3, 5, 10)), -1) or 1)
    template = rng.choice(INQUIRY_MESSAGES[lang])
    message = template.format(product=name, qty=quantity)
    return message, quantity if "{qty" in template or rng.random() < 0.4 else None


# ---- events ------------------------------------------------------------------------------------


def seed_events(
    session: Session,
    rng: random.Random,
    accounts: DemoAccounts,
    buyers: Sequence[Buyer],
    showcase_producer_id: int | None,
    now: dt.datetime,
    totals: MatchingTotals,
) -> None:
    """The past event (with outcomes) and the upcoming one (with a schedule); skipped if they exist."""
    published = _Published.load(session)
    tree = matching_service.CategoryTree.load(session)
    wanted = {b.id: _wanted(tree, b) for b in buyers}
    for plan in (PAST_EVENT, UPCOMING_EVENT):
        starts = _event_start(now, plan.days_from_now)
        name = plan.name.format(year=starts.astimezone(LAOS_TZ).year)
        result = EventTotals(name, past=plan.days_from_now < 0)
        totals.events.append(result)
        if session.exec(select(Event.id).where(Event.name == name)).first() is not None:
            result.created = False
            continue
        _seed_event(session, rng, accounts.staff, plan, name, starts, buyers, wanted, published,
                    showcase_producer_id, now, result)  # fmt: skip


def _event_start(now: dt.datetime, days: int) -> dt.datetime:
    day = (now.astimezone(LAOS_TZ) + dt.timedelta(days=days)).date()
    return dt.datetime.combine(day, STARTS_AT, LAOS_TZ).astimezone(dt.UTC)


def _seed_event(
    session: Session,
    rng: random.Random,
    staff: User,
    plan: EventPlan,
    name: str,
    starts: dt.datetime,
    buyers: Sequence[Buyer],
    wanted: dict[int | None, frozenset[str]],
    published: _Published,
    showcase_producer_id: int | None,
    now: dt.datetime,
    result: EventTotals,
) -> None:
    past = result.past
    event = events_service.create_event(
        session,
        staff,
        EventCreate(
            name=name,
            province_code=plan.province,
            venue=plan.venue,
            starts_at=starts,
            ends_at=starts + dt.timedelta(minutes=plan.slot_minutes * plan.slots),
            slot_minutes=plan.slot_minutes,
            tables=plan.tables,
            interpreters_per_slot=plan.interpreters_per_slot,
        ),
    )
    event.created_at = event.updated_at = starts - dt.timedelta(days=rng.uniform(40, 60))

    # Who comes: the demo buyer and the demo producer always (so their accounts show the event).
    producer_ids = sorted(published.categories_of)
    guests = [pid for pid in producer_ids if pid != showcase_producer_id]
    chosen_producers = rng.sample(guests, min(len(guests), plan.producers - (showcase_producer_id is not None)))
    if showcase_producer_id in published.categories_of:
        chosen_producers.insert(0, showcase_producer_id)  # type: ignore[arg-type]
    coming = [buyers[0], *rng.sample(list(buyers[1:]), min(len(buyers) - 1, plan.buyers - 1 + plan.pending))]
    pending = coming[len(coming) - plan.pending :] if plan.pending and len(coming) > plan.buyers else []
    coming = coming[: len(coming) - len(pending)]

    registrations: list[tuple[ParticipantCreate, Buyer | None]] = [
        (ParticipantCreate(buyer_id=b.id, unavailable_slots=_unavailable(rng, plan.slots)), b) for b in coming
    ] + [
        (
            ParticipantCreate(
                producer_id=pid, unavailable_slots=_unavailable(rng, plan.slots), languages=_producer_languages(rng)
            ),
            None,
        )
        for pid in chosen_producers
    ]
    participants = [_register(session, staff, event, data, past=past) for data, _ in registrations]
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(sorted({b.user_id for b in pending}))))}
    for buyer in pending:  # registered themselves, waiting for staff
        events_service.register_participant(session, users[buyer.user_id], event, ParticipantCreate(buyer_id=buyer.id))
    buyer_side = [p for p in participants if p.buyer_id is not None]
    producer_side = [p for p in participants if p.producer_id is not None]
    result.buyers, result.producers = len(buyer_side), len(producer_side)

    requests = _ask_for_meetings(session, rng, staff, event, plan, buyer_side, producer_side, wanted, published)
    result.requests = len(requests)

    prepared = scheduling.prepare_schedule(session, event)
    solved = scheduler.optimise_schedule(
        prepared.problem, time_limit_seconds=SOLVER_SECONDS, num_workers=1, random_seed=rng.randrange(2**31)
    )
    scheduling.store_schedule(session, staff, prepared, solved)
    result.status, result.solve_seconds = solved.status, solved.solve_seconds
    meetings = list(session.exec(select(Meeting).where(Meeting.event_id == event.id).order_by(Meeting.id)))
    result.meetings = len(meetings)

    # When it happened: registrations weeks before, requests the week before, the schedule days before.
    opened = event.created_at
    deadline = starts - dt.timedelta(days=7) if past else now
    for participant in participants:
        participant.created_at = _between(rng, opened, deadline - dt.timedelta(days=2))
        participant.approved_at = participant.created_at + dt.timedelta(hours=rng.uniform(1, 40))
    for request in requests:
        request.created_at = _between(rng, deadline - dt.timedelta(days=6), deadline)
    if not past:
        return
    event.scheduled_at = starts - dt.timedelta(days=5)
    scheduling.announce_schedule(session, staff, event)
    announced = starts - dt.timedelta(days=4)
    for meeting in meetings:
        meeting.created_at = event.scheduled_at
        meeting.announced_at = announced
    _record_outcomes(session, rng, staff, event, meetings, now, result)


def _between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + (end - start) * rng.random() if end > start else end


def _register(session: Session, staff: User, event: Event, data: ParticipantCreate, *, past: bool) -> EventParticipant:
    """Staff register a participant (approved at once). The service refuses an event that is over,
    as it should for anyone registering today; for the past event the row is written as it was written
    back then, with the same defaults."""
    if not past:
        return events_service.register_participant(session, staff, event, data)
    buyer = session.get(Buyer, data.buyer_id) if data.buyer_id is not None else None
    participant = EventParticipant(
        event_id=event.id,
        buyer_id=data.buyer_id,
        producer_id=data.producer_id,
        approved=True,
        approved_by_user_id=staff.id,
        unavailable_slots=data.unavailable_slots,
        languages=data.languages if data.languages is not None else events_service._default_languages(buyer),
        registered_by_user_id=staff.id,
    )
    session.add(participant)
    session.flush()
    return participant


def _unavailable(rng: random.Random, slots: int) -> list[int]:
    """Most participants are there all morning; some arrive late or leave early."""
    roll = rng.random()
    if roll < 0.08:
        return list(range(rng.randint(1, 3)))  # arrives late
    if roll < 0.16:
        return list(range(slots - rng.randint(1, 3), slots))  # leaves early
    return []


def _producer_languages(rng: random.Random) -> list[str]:
    languages = ["lo"]
    if rng.random() < 0.35:
        languages.append("th")
    if rng.random() < 0.3:
        languages.append("en")
    if rng.random() < 0.05:
        languages.append("zh")
    return languages


def _ask_for_meetings(
    session: Session,
    rng: random.Random,
    staff: User,
    event: Event,
    plan: EventPlan,
    buyer_side: list[EventParticipant],
    producer_side: list[EventParticipant],
    wanted: dict[int | None, frozenset[str]],
    published: _Published,
) -> list[MeetingRequest]:
    """Buyers ask for producers of what they buy (a few others too); some producers ask for buyers.
    Staff enter them, as they do from the participants' forms."""
    pairs: dict[tuple[int, int], int] = {}  # (from, to) -> priority
    fits: dict[int, list[EventParticipant]] = {}
    for b in buyer_side:
        fitting = [p for p in producer_side if published.categories_of.get(p.producer_id, set()) & wanted[b.buyer_id]]  # type: ignore[arg-type]
        others = [p for p in producer_side if p not in fitting]
        fits[b.id] = fitting  # type: ignore[index]
        count = rng.randint(*plan.buyer_requests)
        picks = rng.sample(fitting, min(count, len(fitting)))
        if len(picks) < count and others:
            picks += rng.sample(others, min(count - len(picks), len(others)))
        for p in picks:
            pairs[b.id, p.id] = _priority(rng)  # type: ignore[index]
    for p in producer_side:
        if rng.random() < 0.35:
            interested = [b for b in buyer_side if p in fits[b.id]] or buyer_side  # type: ignore[index]
            for b in rng.sample(interested, min(len(interested), rng.randint(1, 3))):
                pairs[p.id, b.id] = _priority(rng)  # type: ignore[index]
    return [
        events_service.create_request(
            session, staff, event, RequestCreate(from_participant_id=a, to_participant_id=b, priority=priority)
        )
        for (a, b), priority in pairs.items()
    ]


def _priority(rng: random.Random) -> int:
    return rng.choices(list(PRIORITIES), list(PRIORITIES.values()))[0]


def _record_outcomes(
    session: Session,
    rng: random.Random,
    staff: User,
    event: Event,
    meetings: list[Meeting],
    now: dt.datetime,
    result: EventTotals,
) -> None:
    """Staff mark each meeting held, missed or cancelled on the day, and record the follow-ups weeks later."""
    fates, fate_weights = list(MEETING_FATES), list(MEETING_FATES.values())
    follow_ups, follow_up_weights = list(FOLLOW_UPS), list(FOLLOW_UPS.values())
    for meeting in meetings:
        fate = rng.choices(fates, fate_weights)[0]
        changes: dict[str, Any] = {"status": fate.value}
        if fate == MeetingStatus.held:
            follow_up = rng.choices(follow_ups, follow_up_weights)[0]
            changes["outcome"] = rng.choice(MEETING_NOTES[follow_up.value if follow_up else None])
            if follow_up is not None:
                changes["follow_up"] = follow_up.value
            if follow_up == FollowUp.agreement_reached:
                changes["deal_value_lak"] = _deal_value(rng)
        outcomes.update_meeting(session, staff, meeting, MeetingUpdate(**changes))
        on_the_day = event.starts_at + dt.timedelta(minutes=event.slot_minutes * (meeting.slot + 1))
        meeting.updated_at = on_the_day
        if meeting.followed_up_at is not None:
            weeks_later = on_the_day + dt.timedelta(days=rng.uniform(10, 60))
            meeting.followed_up_at = min(now - dt.timedelta(days=1), weeks_later)
            meeting.updated_at = meeting.followed_up_at
        result.held += meeting.status == MeetingStatus.held
        if meeting.follow_up == FollowUp.agreement_reached:
            result.deals += 1
            result.deal_value_lak += meeting.deal_value_lak or 0
    session.flush()


def _deal_value(rng: random.Random) -> int:
    """A first order: mostly a few tens of millions of kip, sometimes much more."""
    value = rng.lognormvariate(math.log(30_000_000), 0.9)
    return int(min(600_000_000, max(2_000_000, round(value, -5))))


# ---- the summary -------------------------------------------------------------------------------


def describe(totals: MatchingTotals) -> str:
    """The matching part of the seed's summary."""
    parts = [
        f"{totals.buyers} buyers ({totals.new_buyers} new; log in as buyer@odop.la or "
        f"buyer-01@odop.la … {buyer_email(len(BUYERS) - 1)}, same password)",
        f"{totals.inquiries} inquiries over {INQUIRY_MONTHS} months ({totals.read} read, "
        f"{totals.to_showcase} to producer@odop.la)",
    ]
    for e in totals.events:
        if not e.created:
            parts.append(f"event “{e.name}” already there")
        elif e.past:
            parts.append(
                f"past event “{e.name}”: {e.buyers} buyers, {e.producers} producers, {e.requests} requests, "
                f"{e.meetings} meetings ({e.held} held), {e.deals} deals worth {e.deal_value_lak:,} kip"
            )
        else:
            parts.append(
                f"upcoming event “{e.name}”: {e.buyers} buyers, {e.producers} producers approved, "
                f"{e.requests} requests, {e.meetings} meetings scheduled ({e.status}, {e.solve_seconds:.1f} s)"
            )
    return "; ".join(parts)
