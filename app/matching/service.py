"""Matching rules: buyer profiles and who may see them, the match score both ways, inquiries.

Services never commit; the request's transaction does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import Role, User
from app.catalogue import service as catalogue_service
from app.catalogue.models import Producer, Product
from app.catalogue.reference import Category, Province
from app.catalogue.reference_service import category_slugs, province_codes
from app.catalogue.schemas import CERTIFICATIONS, ProducerSummary
from app.db import utcnow
from app.errors import N_, Conflict, Forbidden, Message, NotFound, Unprocessable
from app.matching import repository, scoring
from app.matching.models import Buyer, Inquiry
from app.matching.schemas import (
    BuyerCreate,
    BuyerMatchOut,
    BuyerSummary,
    BuyerUpdate,
    InquiryContact,
    InquiryCreate,
    InquiryPublic,
    MatchIn,
    MatchOut,
)
from app.notifications import Email
from app.ratelimit import INQUIRIES_PER_BUYER, RateLimiter
from app.search.folding import query_terms
from app.web.i18n import localized

MAX_TERMS = 8  # keywords beyond these do not change a ranking much, and each costs a LIKE per row
FIRST_BATCH = 50  # producers whose full statistics are fetched first (see rank_producers), then twice as many


# ---- buyer profiles --------------------------------------------------------------------------


def own_buyer(session: Session, user: User) -> Buyer | None:
    return session.exec(select(Buyer).where(Buyer.user_id == user.id)).first()


def may_manage_buyer(actor: User | None, buyer: Buyer) -> bool:
    """Staff may act for any buyer; a buyer account only for its own profile."""
    return actor is not None and (actor.is_staff or (buyer.user_id is not None and buyer.user_id == actor.id))


def buyer_for(session: Session, actor: User, buyer_id: int) -> Buyer:
    """A buyer profile the caller may read and change; anyone else's is 404 (nobody's business)."""
    buyer = session.get(Buyer, buyer_id)
    if buyer is None or not may_manage_buyer(actor, buyer):
        raise NotFound(N_("There is no buyer {buyer_id}.", buyer_id=buyer_id))
    return buyer


def _check_references(session: Session, categories: Iterable[str] | None, provinces: Iterable[str] | None) -> None:
    unknown = sorted(set(categories or ()) - category_slugs(session))
    if unknown:
        raise Unprocessable(
            N_("Unknown category {slug!r}; see /api/v1/categories.", slug=unknown[0]), loc=["body", "categories"]
        )
    unknown = sorted(set(provinces or ()) - province_codes(session))
    if unknown:
        raise Unprocessable(
            N_("Unknown province {code!r}; use an ISO code such as LA-LP.", code=unknown[0]), loc=["body", "provinces"]
        )


def _check_account(session: Session, user_id: int, buyer_id: int | None = None) -> None:
    account = session.get(User, user_id)
    if account is None or account.role != Role.buyer:
        raise Unprocessable(N_("The account must be an existing buyer account."), loc=["body", "user_id"])
    taken = session.exec(select(Buyer.id).where(Buyer.user_id == user_id)).first()
    if taken is not None and taken != buyer_id:
        raise Conflict(N_("That account already has a buyer profile."))


def create_buyer(session: Session, actor: User, data: BuyerCreate) -> Buyer:
    """A buyer account creates its own profile (one); staff create one on a buyer's behalf."""
    if actor.role == Role.buyer:
        if data.user_id not in (None, actor.id):
            raise Forbidden(N_("A buyer account can only create its own profile."))
        if own_buyer(session, actor) is not None:
            raise Conflict(N_("This account already has a buyer profile; edit it instead."))
        user_id: int | None = actor.id
    elif actor.is_staff:
        user_id = data.user_id
        if user_id is not None:
            _check_account(session, user_id)
    else:
        raise Forbidden(N_("Only buyer accounts and staff create buyer profiles."))
    _check_references(session, data.categories, data.provinces)
    values = data.model_dump(exclude={"user_id"}, exclude_none=True)
    if user_id is not None and "email" not in values:
        values["email"] = session.get(User, user_id).email  # type: ignore[union-attr]
    now = utcnow()
    buyer = Buyer(
        **values,
        user_id=user_id,
        created_at=now,
        updated_at=now,
        created_by_user_id=actor.id,
        updated_by_user_id=actor.id,
    )
    session.add(buyer)
    try:
        with session.begin_nested():  # two concurrent first profiles of one account: one wins
            session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(N_("That account already has a buyer profile.")) from exc
    record(session, actor, "buyer.create", "buyer", buyer.id, on_behalf=actor.is_staff)
    return buyer


_NOT_EMPTY = ("organisation", "country", "categories")
_LISTS = ("keywords", "certifications_required", "provinces", "languages")


def update_buyer(session: Session, actor: User, buyer: Buyer, data: BuyerUpdate) -> Buyer:
    changes = data.model_dump(exclude_unset=True)
    for key in _NOT_EMPTY:
        if key in changes and changes[key] is None:
            raise Unprocessable(N_("{key} cannot be empty.", key=Message(key)), loc=["body", key])
    if "user_id" in changes:
        if not actor.is_staff:
            raise Forbidden(N_("Only staff may hand a buyer profile to another account."))
        if changes["user_id"] is not None:
            _check_account(session, changes["user_id"], buyer.id)
    _check_references(session, changes.get("categories"), changes.get("provinces"))
    for key, value in changes.items():
        setattr(buyer, key, [] if value is None and key in _LISTS else value)
    buyer.updated_at = utcnow()
    buyer.updated_by_user_id = actor.id
    session.add(buyer)
    record(
        session,
        actor,
        "buyer.update",
        "buyer",
        buyer.id,
        on_behalf=buyer.user_id != actor.id,
        fields=sorted(changes),
    )
    return buyer


def list_buyers(session: Session, *, page: int, per_page: int) -> tuple[list[Buyer], int]:
    total = session.exec(select(sa.func.count(Buyer.id))).one()
    rows = session.exec(select(Buyer).order_by(Buyer.id).offset((page - 1) * per_page).limit(per_page)).all()
    return list(rows), int(total)


def _buyer_id_of(session: Session, user: User) -> int | None:
    if user.role != Role.buyer:
        return None
    return session.exec(select(Buyer.id).where(Buyer.user_id == user.id)).first()


# ---- needs and labels ------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryTree:
    parent_of: dict[str, str | None]

    @classmethod
    def load(cls, session: Session) -> CategoryTree:
        return cls(dict(session.exec(select(Category.slug, Category.parent)).all()))

    def groups(self, slugs: Iterable[str]) -> tuple[tuple[str, frozenset[str]], ...]:
        """Each named category with its sub-categories (a family such as textiles holds silk, cotton…)."""
        children: dict[str, set[str]] = defaultdict(set)
        for slug, parent in self.parent_of.items():
            if parent:
                children[parent].add(slug)
        return tuple((slug, frozenset({slug, *children.get(slug, ())})) for slug in dict.fromkeys(slugs))


def make_needs(
    tree: CategoryTree,
    *,
    country: str,
    categories: Sequence[str],
    keywords: Sequence[str] | None,
    volume_per_month: int | None,
    price_max_lak: int | None,
    certifications: Sequence[str] | None,
    provinces: Sequence[str] | None,
    languages: Sequence[str] | None,
) -> scoring.Needs:
    """Needs ready for scoring. A buyer in Laos who named no language is taken to speak Lao."""
    spoken = frozenset(languages or ())
    if not spoken and country == scoring.HOME_COUNTRY:
        spoken = frozenset({scoring.PRODUCER_LANGUAGE})
    return scoring.Needs(
        country=country,
        category_groups=tree.groups(categories),
        terms=tuple(query_terms(" ".join(keywords or ()))[:MAX_TERMS]),
        volume_per_month=volume_per_month or None,
        price_max_lak=price_max_lak,
        certifications=tuple(certifications or ()),
        provinces=frozenset(provinces or ()),
        languages=spoken,
    )


def needs_of_buyer(tree: CategoryTree, buyer: Buyer) -> scoring.Needs:
    return make_needs(
        tree,
        country=buyer.country,
        categories=buyer.categories,
        keywords=buyer.keywords,
        volume_per_month=buyer.volume_per_month,
        price_max_lak=buyer.price_max_lak,
        certifications=buyer.certifications_required,
        provinces=buyer.provinces,
        languages=buyer.languages,
    )


def needs_of_request(session: Session, data: MatchIn) -> scoring.Needs:
    _check_references(session, data.categories, data.provinces)
    if not data.categories and not query_terms(" ".join(data.keywords or ())):
        raise Unprocessable(N_("Give at least one category or keyword."), loc=["body", "categories"])
    return make_needs(
        CategoryTree.load(session),
        country=data.country,
        categories=data.categories,
        keywords=data.keywords,
        volume_per_month=data.volume_per_month,
        price_max_lak=data.price_max_lak,
        certifications=data.certifications_required,
        provinces=data.provinces,
        languages=data.languages,
    )


def labels_for(session: Session, lang: str) -> scoring.Labels:
    return scoring.Labels(
        lang=lang,
        categories=dict(session.exec(select(Category.slug, Category.name)).all()),
        provinces=dict(session.exec(select(Province.code, Province.name)).all()),
        certifications=CERTIFICATIONS,
    )


# ---- matching ----------------------------------------------------------------------------------


Ranked = tuple[float, scoring.ProducerStats]  # (exact score, statistics)


def _rank_key(r: Ranked) -> tuple[float, int, int]:
    """Best score first; on a tie, more matching products; then the oldest producer."""
    return (-r[0], -r[1].products, r[1].producer_id)


def rank_producers(session: Session, needs: scoring.Needs, *, limit: int) -> list[scoring.ProducerStats]:
    """The ``limit`` best producers for these needs, exactly as if every producer were scored in full.

    The first pass (numeric_stats, index only) bounds every candidate producer's score from above,
    taking keywords, certifications and language as a perfect fit; the full statistics are then
    fetched best bound first, in growing batches, until no producer left could rank above the
    ``limit``-th (a threshold algorithm: on 100,000 products it reads a few hundred producers'
    rows instead of every candidate's).
    """
    now = utcnow()
    scorer = scoring.Scorer(needs)

    def ranked(stats: Iterable[scoring.ProducerStats], optimistic: bool = False) -> list[Ranked]:
        return sorted(((scorer.total(s, optimistic=optimistic), s) for s in stats), key=_rank_key)

    if not needs.categories:  # keywords only: finding the candidates needs the text anyway
        best = ranked(repository.producer_stats(session, needs, now))[:limit]
    elif not (needs.terms or needs.certifications or needs.text_languages):
        best = ranked(repository.numeric_stats(session, needs, now))[:limit]  # the index holds it all
    else:
        bounds = ranked(repository.numeric_stats(session, needs, now), optimistic=True)
        best = []
        start, size = 0, max(FIRST_BATCH, 2 * limit)
        while start < len(bounds):
            batch = [s.producer_id for _, s in bounds[start : start + size]]
            best = sorted(best + ranked(repository.producer_stats(session, needs, now, batch)), key=_rank_key)[:limit]
            start, size = start + size, 2 * size
            if start < len(bounds) and len(best) == limit and _rank_key(bounds[start]) > _rank_key(best[-1]):
                break  # whoever is left ranks below the last of the best, even with a perfect fit
    return [s for _, s in best]


def match_producers(session: Session, needs: scoring.Needs, *, lang: str, limit: int) -> list[MatchOut]:
    """Producers ranked for a buyer's needs, best first, each with its breakdown and reasons."""
    now = utcnow()
    top = [(*scoring.score(needs, s), s) for s in rank_producers(session, needs, limit=limit)]
    ids = [stats.producer_id for _, _, stats in top]
    products = repository.best_products(session, needs, ids, now, scoring.MAX_PRODUCTS_LISTED)
    producers = {p.id: p for p in session.exec(select(Producer).where(Producer.id.in_(ids)))}
    labels = labels_for(session, lang)
    out = []
    for total, breakdown, stats in top:
        listed = products.get(stats.producer_id, [])
        producer = producers[stats.producer_id]
        out.append(
            MatchOut(
                producer_id=stats.producer_id,
                score=total,
                breakdown=breakdown,
                reasons=scoring.reasons(needs, stats, breakdown, labels),
                products=listed,
                producer=ProducerSummary(
                    id=producer.id,
                    name=producer.name,
                    province_code=producer.province_code,
                    district=producer.district,
                ),
            )
        )
    return out


def _best_first(needs: scoring.Needs, facts: Iterable[scoring.ProductFacts]) -> list[scoring.ProductFacts]:
    """The order of repository.best_products, in Python."""
    return sorted(
        (f for f in facts if scoring.is_candidate(needs, f.category, f.search_name, f.search_body)),
        key=lambda f: (
            -sum(1 for t in needs.terms if t in f.search_name),
            -(f.stars or 0),
            f.id,
        ),
    )


def match_buyers(session: Session, producer: Producer, *, lang: str, limit: int) -> list[BuyerMatchOut]:
    """The two-sided view: buyers whose needs this producer meets, best first, scored as above."""
    facts = repository.product_facts(session, [producer.id], utcnow())
    if not facts:
        return []
    tree = CategoryTree.load(session)
    ranked = []
    for buyer in session.exec(select(Buyer)):
        needs = needs_of_buyer(tree, buyer)
        stats = scoring.stats_from_products(needs, facts).get(producer.id)
        if stats is not None:
            ranked.append((scoring.Scorer(needs).total(stats), buyer.id, stats, needs, buyer))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    labels = labels_for(session, lang)
    out = []
    for _, _, stats, needs, buyer in ranked[:limit]:
        total, breakdown = scoring.score(needs, stats)
        listed = _best_first(needs, facts)[: scoring.MAX_PRODUCTS_LISTED]
        out.append(
            BuyerMatchOut(
                buyer_id=buyer.id,
                score=total,
                breakdown=breakdown,
                reasons=scoring.reasons(needs, stats, breakdown, labels),
                products=[f.id for f in listed],
                buyer=BuyerSummary(
                    id=buyer.id, organisation=buyer.organisation, country=buyer.country, buyer_type=buyer.buyer_type
                ),
            )
        )
    return out


# ---- inquiries ---------------------------------------------------------------------------------


def whatsapp_url(number: str | None, text: str = "") -> str | None:
    """A wa.me link; a number written the Lao way (020…) gets the country code 856."""
    if not number:
        return None
    digits = re.sub(r"\D", "", number)
    if number.strip().startswith("+"):
        pass
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "856" + digits[1:]
    if len(digits) < 6:
        return None
    return f"https://wa.me/{digits}" + (f"?text={quote(text)}" if text else "")


def create_inquiry(session: Session, actor: User, limiter: RateLimiter, data: InquiryCreate) -> Inquiry:
    """A buyer asks about a published product. Limited per buyer account (INQUIRIES_PER_BUYER)."""
    if actor.role != Role.buyer:
        raise Forbidden(N_("Only buyer accounts send inquiries."))
    try:
        product, producer = catalogue_service.product_for_read(session, actor, data.product_id)
    except NotFound as exc:
        raise Unprocessable(exc.detail, loc=["body", "product_id"]) from exc
    limiter.consume(INQUIRIES_PER_BUYER, "inquiry", str(actor.id))
    buyer = own_buyer(session, actor)
    inquiry = Inquiry(
        sender_user_id=actor.id,
        buyer_id=buyer.id if buyer else None,
        product_id=product.id,
        producer_id=producer.id,
        message=data.message,
        quantity=data.quantity,
    )
    session.add(inquiry)
    session.flush()
    return inquiry


@dataclass(frozen=True)
class InboxScope:
    """Whose inquiries a list shows: the buyer account that sent them, or the producer they were sent to."""

    sender_user_id: int | None = None
    producer_id: int | None = None


def inbox_scope(
    session: Session, actor: User, *, producer_id: int | None = None, buyer_id: int | None = None
) -> InboxScope | None:
    """The caller's own inquiries; staff name the producer or buyer they act for. None: nothing to list."""
    if actor.is_staff:
        if producer_id is not None:
            return InboxScope(producer_id=catalogue_service.get_producer(session, producer_id).id)
        if buyer_id is not None:
            buyer = buyer_for(session, actor, buyer_id)
            return InboxScope(sender_user_id=buyer.user_id) if buyer.user_id else None
        return None
    if producer_id is not None or buyer_id is not None:
        raise Forbidden(N_("Only staff list someone else's inquiries."))
    if actor.role == Role.buyer:
        return InboxScope(sender_user_id=actor.id)
    if actor.role == Role.producer:
        producer = catalogue_service.owned_producer(session, actor)
        return InboxScope(producer_id=producer.id) if producer else None
    return None


def _inquiry_rows() -> Any:
    return (
        select(Inquiry, Product, Producer, Buyer, User)
        .join(Product, Product.id == Inquiry.product_id)
        .join(Producer, Producer.id == Inquiry.producer_id)
        .join(User, User.id == Inquiry.sender_user_id)
        .outerjoin(Buyer, Buyer.id == Inquiry.buyer_id)
    )


def list_inquiries(
    session: Session, actor: User, scope: InboxScope | None, *, page: int, per_page: int
) -> tuple[list[InquiryPublic], int]:
    """One page of inquiries, newest first, with the buyer's contacts."""
    if scope is None:
        return [], 0
    condition = (
        Inquiry.sender_user_id == scope.sender_user_id
        if scope.sender_user_id is not None
        else Inquiry.producer_id == scope.producer_id
    )
    total = session.exec(select(sa.func.count(Inquiry.id)).where(condition)).one()
    rows = session.exec(
        _inquiry_rows()
        .where(condition)
        .order_by(Inquiry.created_at.desc(), Inquiry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [inquiry_public(actor, *row) for row in rows], int(total)


def inquiry_for(session: Session, actor: User, inquiry_id: int) -> InquiryPublic:
    row = session.exec(_inquiry_rows().where(Inquiry.id == inquiry_id)).first()
    if row is None or not _may_read(actor, row[0], row[2]):
        raise NotFound(N_("There is no inquiry {inquiry_id}.", inquiry_id=inquiry_id))
    return inquiry_public(actor, *row)


def _may_read(actor: User, inquiry: Inquiry, producer: Producer) -> bool:
    return actor.is_staff or inquiry.sender_user_id == actor.id or catalogue_service.is_owner(actor, producer)


def mark_read(session: Session, actor: User, inquiry_id: int) -> InquiryPublic:
    """The producer (or staff for them) marks an inquiry as read."""
    inquiry = session.get(Inquiry, inquiry_id)
    producer = session.get(Producer, inquiry.producer_id) if inquiry else None
    if inquiry is None or producer is None or not _may_read(actor, inquiry, producer):
        raise NotFound(N_("There is no inquiry {inquiry_id}.", inquiry_id=inquiry_id))
    if not catalogue_service.may_manage(actor, producer):
        raise Forbidden(N_("Only the producer the inquiry was sent to marks it as read."))
    if inquiry.read_at is None:
        inquiry.read_at = utcnow()
        session.add(inquiry)
    return inquiry_for(session, actor, inquiry_id)


def _contact(buyer: Buyer | None, sender: User) -> InquiryContact:
    if buyer is None:
        return InquiryContact(name=sender.display_name, email=sender.email, phone=sender.phone)
    return InquiryContact(
        name=buyer.contact_name or sender.display_name,
        organisation=buyer.organisation,
        country=buyer.country,
        email=buyer.email or sender.email,
        phone=buyer.phone or sender.phone,
        whatsapp=buyer.whatsapp,
    )


def inquiry_public(
    actor: User, inquiry: Inquiry, product: Product, producer: Producer, buyer: Buyer | None, sender: User
) -> InquiryPublic:
    sent = inquiry.sender_user_id == actor.id
    contact = _contact(buyer, sender)
    product_name = localized(product.name, "en") or localized(product.name, "lo")
    if sent:  # the buyer follows up with the producer, and the other way round
        link = whatsapp_url(producer.whatsapp, f"ODOP: {product_name}")
    else:
        link = whatsapp_url(contact.whatsapp, f"ODOP: {product_name}")
    return InquiryPublic(
        id=inquiry.id,
        direction="sent" if sent else "received",
        product_id=product.id,
        product_name=product.name,
        producer_id=producer.id,
        producer_name=producer.name,
        buyer_id=inquiry.buyer_id,
        buyer=contact,
        message=inquiry.message,
        quantity=inquiry.quantity,
        created_at=inquiry.created_at,
        read_at=inquiry.read_at,
        whatsapp_url=link,
    )


def inquiry_email(session: Session, inquiry: Inquiry, public_base_url: str) -> Email | None:
    """The producer's notification of a new inquiry (Lao, then English); None without an address."""
    product = session.get(Product, inquiry.product_id)
    producer = session.get(Producer, inquiry.producer_id)
    sender = session.get(User, inquiry.sender_user_id)
    if product is None or producer is None or sender is None:
        return None
    owner = session.get(User, producer.owner_user_id) if producer.owner_user_id else None
    to = producer.email or (owner.email if owner else None)
    if not to:
        return None
    buyer = session.get(Buyer, inquiry.buyer_id) if inquiry.buyer_id else None
    contact = _contact(buyer, sender)
    name_lo, name_en = localized(product.name, "lo"), localized(product.name, "en")
    who = ", ".join(x for x in (contact.name, contact.organisation, contact.country) if x)
    lines = [
        f"ມີຜູ້ຊື້ສອບຖາມກ່ຽວກັບ «{name_lo}».",
        f"A buyer asked about “{name_en}”.",
        "",
        f"{who}",
        *(
            f"{label}: {value}"
            for label, value in (
                ("E-mail", contact.email),
                ("Phone", contact.phone),
                ("WhatsApp", contact.whatsapp),
            )
            if value
        ),
        *([f"Quantity / ຈຳນວນ: {inquiry.quantity:,}"] if inquiry.quantity else []),
        "",
        inquiry.message,
        "",
        f"{public_base_url.rstrip('/')}/my/inquiries",
    ]
    wa = whatsapp_url(contact.whatsapp)
    if wa:
        lines.append(wa)
    return Email(
        to=to,
        subject=f"ODOP: {name_en or name_lo} — ຄຳຖາມໃໝ່ / new inquiry",
        body="\n".join(lines),
        reply_to=contact.email,
    )


def notify_producer(session: Session, inquiry: Inquiry, settings: Any, background: Any) -> None:
    """E-mail the producer about a new inquiry when SMTP is set up; sent after the response, in the background,
    so a slow mail server never holds up the buyer."""
    if not settings.smtp_url:
        return
    from app.notifications import send_email

    email = inquiry_email(session, inquiry, settings.public_base_url)
    if email is not None:
        background.add_task(send_email, settings.smtp_url, settings.smtp_from, email)


def register_profile_lookups() -> None:
    from app.auth.service import register_profile_lookup

    register_profile_lookup("buyer_id", _buyer_id_of)


register_profile_lookups()
