"""Business-matching pages: a buyer's profile and the producers ranked for it (/my/buyer, /my/matches),
the buyers a producer matches (/my/buyers), staff acting for buyers (/staff/buyers…), and a buyer's page
for the producers it meets at matching events (/buyers/{id}, with a QR code for printed agendas).

HTTP only: the rules are in service.py and scoring.py. Forms fold into the API's schemas and re-render
with their errors in place (422)."""

from __future__ import annotations

import io
import math
from typing import Any

import segno
import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from app.auth.deps import CurrentUser, StaffUser
from app.auth.models import Role, User
from app.catalogue import reference_service
from app.catalogue import service as catalogue_service
from app.catalogue.models import Producer, Product
from app.catalogue.reference import Category
from app.catalogue.schemas import CERTIFICATIONS
from app.db import SessionDep
from app.errors import DomainError, Forbidden, NotFound
from app.events.models import EventParticipant, Meeting, MeetingStatus
from app.matching import scoring, service
from app.matching.models import Buyer, BuyerType
from app.matching.schemas import BuyerCreate, BuyerUpdate
from app.web.forms import PostedForm, domain_error_field, form_to_schema, form_values
from app.web.i18n import N_
from app.web.templating import htmx_target, render

router = APIRouter()

MATCH_LIMIT = 20
STAFF_PER_PAGE = 50

BUYER_LISTS = ("categories", "certifications_required", "provinces", "languages")
BUYER_FIELDS = (
    "organisation",
    "country",
    "buyer_type",
    "categories",
    "keywords",
    "volume_per_month",
    "price_max_lak",
    "certifications_required",
    "provinces",
    "languages",
    "contact_name",
    "email",
    "phone",
    "whatsapp",
)
BUYER_TYPES = {
    BuyerType.retailer.value: N_("Retailer"),
    BuyerType.wholesaler.value: N_("Wholesaler"),
    BuyerType.exporter.value: N_("Exporter"),
    BuyerType.hotel_restaurant.value: N_("Hotel or restaurant"),
    BuyerType.distributor.value: N_("Distributor"),
}
# Criteria of the match score (app.matching.scoring.Weights), as the breakdown names them.
CRITERIA = {
    "category": N_("Category"),
    "keywords": N_("Keywords"),
    "capacity": N_("Capacity"),
    "price": N_("Price"),
    "certifications": N_("Certifications"),
    "stars": N_("ODOP stars"),
    "province": N_("Province"),
    "language": N_("Language"),
}
# Languages a buyer may speak, each in its own name (so no translation is needed).
LANGUAGE_CHOICES = {
    "lo": "ລາວ",
    "en": "English",
    "th": "ไทย",
    "zh": "中文",
    "vi": "Tiếng Việt",
    "ja": "日本語",
    "ko": "한국어",
    "fr": "Français",
}


def vocabulary() -> dict[str, Any]:
    """Labels the matching templates share (also used by the events pages)."""
    return {"buyer_types": BUYER_TYPES, "criteria": CRITERIA, "language_choices": LANGUAGE_CHOICES}


# ---- the buyer profile form ------------------------------------------------------------------


def _category_families(session: Session) -> list[tuple[Category, list[Category]]]:
    """Each family (textiles…) with its sub-categories (silk, cotton…), in the catalogue's order."""
    categories = reference_service.categories(session)
    return [(family, [c for c in categories if c.parent == family.slug]) for family in categories if not family.parent]


def _buyer_values(buyer: Buyer | None) -> dict[str, Any]:
    if buyer is None:
        return {"country": "LA", **{f: [] for f in BUYER_LISTS}}
    return buyer.model_dump(warnings=False)


def _buyer_data(form: Any, *, update: bool) -> dict[str, Any]:
    """The posted form as the schema's input. An edit posts the whole profile, so a field left empty
    (or a checkbox list with nothing ticked) clears it."""
    data = form_values(form, lists=BUYER_LISTS, numbers=("volume_per_month", "price_max_lak"))
    for field in BUYER_LISTS:
        data.setdefault(field, [])
    if update:
        for field in BUYER_FIELDS:
            data.setdefault(field, None)
    return data


def _shown_errors(errors: dict[str, str]) -> dict[str, str]:
    """Errors of fields the form does not have (a hand-made post) go to the top of the form."""
    out: dict[str, str] = {}
    for field, message in errors.items():
        key = field if field in BUYER_FIELDS else "__all__"
        out.setdefault(key, message)
    return out


def _buyer_form(
    request: Request,
    session: Session,
    *,
    buyer: Buyer | None,
    values: dict[str, Any],
    errors: dict[str, str],
    action: str,
    status_code: int = 200,
) -> Response:
    context = {
        "buyer": buyer,
        "values": values,
        "errors": errors,
        "action": action,
        "families": _category_families(session),
        "provinces": reference_service.provinces(session),
        "certifications": CERTIFICATIONS,
        "staff_view": action.startswith("/staff/"),
        **vocabulary(),
    }
    fragment = "form" if htmx_target(request) == "buyer-form" else "content"
    return render(request, "matching/buyer_form.html", context, status_code=status_code, fragment=fragment)


def _save_buyer(
    request: Request, session: Session, user: User, form: Any, buyer: Buyer | None, action: str, done: str
) -> Response:
    data = _buyer_data(form, update=buyer is not None)
    parsed, errors = form_to_schema(BuyerUpdate if buyer is not None else BuyerCreate, data)
    if parsed is None:
        return _buyer_form(
            request, session, buyer=buyer, values=data, errors=_shown_errors(errors), action=action, status_code=422
        )
    try:
        with session.begin_nested():  # a refused save leaves nothing behind, and the form shows why
            if buyer is None:
                buyer = service.create_buyer(session, user, parsed)  # type: ignore[arg-type]
            else:
                service.update_buyer(session, user, buyer, parsed)  # type: ignore[arg-type]
    except DomainError as exc:
        return _buyer_form(
            request,
            session,
            buyer=buyer,
            values=data,
            errors=_shown_errors(domain_error_field(exc)),
            action=action,
            status_code=exc.status_code,
        )
    return RedirectResponse(done.format(id=buyer.id), status_code=303)


def _own_buyer_account(user: User) -> None:
    if user.role != Role.buyer:
        raise Forbidden(N_("Only buyer accounts have a buyer profile of their own."))


@router.get("/my/buyer")
def my_buyer_form(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """A buyer account creates or edits its profile: what it looks for, and how to reach it."""
    if user.is_staff:
        return RedirectResponse("/staff/buyers", status_code=303)
    _own_buyer_account(user)
    buyer = service.own_buyer(session, user)
    return _buyer_form(request, session, buyer=buyer, values=_buyer_values(buyer), errors={}, action="/my/buyer")


@router.post("/my/buyer")
def save_my_buyer(request: Request, form: PostedForm, session: SessionDep, user: CurrentUser) -> Response:
    _own_buyer_account(user)
    buyer = service.own_buyer(session, user)
    return _save_buyer(request, session, user, form, buyer, "/my/buyer", "/my/matches?saved=1")


@router.get("/staff/buyers")
def staff_buyers(request: Request, session: SessionDep, user: StaffUser) -> Response:
    """Every buyer profile, with links to edit it and to its matches (staff act on buyers' behalf)."""
    try:
        page = max(1, min(int(request.query_params.get("page") or 1), 100_000))
    except ValueError:
        page = 1
    rows, total = service.list_buyers(session, page=page, per_page=STAFF_PER_PAGE)
    accounts = {u.id: u for u in session.exec(select(User).where(User.id.in_([b.user_id for b in rows if b.user_id])))}
    return render(
        request,
        "matching/staff_buyers.html",
        {
            "buyers": rows,
            "accounts": accounts,
            "total": total,
            "page": page,
            "pages": max(1, math.ceil(total / STAFF_PER_PAGE)),
            **vocabulary(),
        },
    )


@router.get("/staff/buyers/new")
def staff_new_buyer(request: Request, session: SessionDep, user: StaffUser) -> Response:
    """Staff keep a profile for a buyer without an account (met at a fair, on the phone…)."""
    return _buyer_form(request, session, buyer=None, values=_buyer_values(None), errors={}, action="/staff/buyers/new")


@router.post("/staff/buyers/new")
def staff_create_buyer(request: Request, form: PostedForm, session: SessionDep, user: StaffUser) -> Response:
    return _save_buyer(request, session, user, form, None, "/staff/buyers/new", "/staff/buyers/{id}/matches?saved=1")


@router.get("/staff/buyers/{buyer_id}/edit")
def staff_edit_buyer(buyer_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    buyer = service.buyer_for(session, user, buyer_id)
    action = f"/staff/buyers/{buyer_id}/edit"
    return _buyer_form(request, session, buyer=buyer, values=_buyer_values(buyer), errors={}, action=action)


@router.post("/staff/buyers/{buyer_id}/edit")
def staff_save_buyer(
    buyer_id: int, request: Request, form: PostedForm, session: SessionDep, user: StaffUser
) -> Response:
    buyer = service.buyer_for(session, user, buyer_id)
    action = f"/staff/buyers/{buyer_id}/edit"
    return _save_buyer(request, session, user, form, buyer, action, "/staff/buyers/{id}/matches?saved=1")


# ---- matches -----------------------------------------------------------------------------------


def _matches_page(request: Request, session: Session, buyer: Buyer, *, staff_view: bool) -> Response:
    needs = service.needs_of_buyer(service.CategoryTree.load(session), buyer)
    matches = service.match_producers(session, needs, lang=request.state.lang, limit=MATCH_LIMIT)
    product_ids = sorted({pid for m in matches for pid in m.products})
    products = (
        {p.id: p for p in session.exec(select(Product).where(Product.id.in_(product_ids)))} if product_ids else {}
    )
    return render(
        request,
        "matching/matches.html",
        {
            "buyer": buyer,
            "matches": matches,
            "products": products,
            "shares": scoring.Scorer(needs).shares,
            "provinces": {p.code: p for p in reference_service.provinces(session)},
            "has_needs": bool(needs.categories or needs.terms),
            "staff_view": staff_view,
            **vocabulary(),
        },
    )


@router.get("/my/matches")
def my_matches(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The producers that best fit the buyer's profile, best first, with the reasons."""
    if user.is_staff:
        return RedirectResponse("/staff/buyers", status_code=303)
    if user.role != Role.buyer:
        raise Forbidden(N_("Only buyer accounts have matches of their own; producers see their buyers at /my/buyers."))
    buyer = service.own_buyer(session, user)
    if buyer is None:
        return RedirectResponse("/my/buyer", status_code=303)
    return _matches_page(request, session, buyer, staff_view=False)


@router.get("/staff/buyers/{buyer_id}/matches")
def staff_buyer_matches(buyer_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    return _matches_page(request, session, service.buyer_for(session, user, buyer_id), staff_view=True)


def _buyers_page(request: Request, session: Session, producer: Producer, *, staff_view: bool) -> Response:
    matches = service.match_buyers(session, producer, lang=request.state.lang, limit=MATCH_LIMIT)
    tree = service.CategoryTree.load(session)
    buyers = {b.id: b for b in session.exec(select(Buyer).where(Buyer.id.in_([m.buyer_id for m in matches])))}
    shares = {bid: scoring.Scorer(service.needs_of_buyer(tree, b)).shares for bid, b in buyers.items()}
    product_ids = sorted({pid for m in matches for pid in m.products})
    products = (
        {p.id: p for p in session.exec(select(Product).where(Product.id.in_(product_ids)))} if product_ids else {}
    )
    return render(
        request,
        "matching/buyers.html",
        {
            "producer": producer,
            "matches": matches,
            "buyers": buyers,
            "shares": shares,
            "products": products,
            "staff_view": staff_view,
            **vocabulary(),
        },
    )


@router.get("/my/buyers")
def my_buyers(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """The two-sided view: buyers whose needs the producer's published products meet, best first."""
    if user.role != Role.producer:
        raise Forbidden(N_("Only producer accounts have buyers of their own; buyers see their matches at /my/matches."))
    producer = catalogue_service.owned_producer(session, user)
    if producer is None:
        return RedirectResponse("/my/producer", status_code=303)
    return _buyers_page(request, session, producer, staff_view=False)


@router.get("/staff/producers/{producer_id}/buyers")
def staff_producer_buyers(producer_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    return _buyers_page(request, session, catalogue_service.get_producer(session, producer_id), staff_view=True)


# ---- a buyer's page (for the producers it meets at events) ----------------------------------------


def buyer_access(session: Session, user: User | None, buyer: Buyer) -> str | None:
    """How much of a buyer's profile the caller sees: "full" (staff, the buyer itself, a producer with a
    meeting with it), "profile" (a producer approved at an event the buyer is approved at), else None."""
    if user is None:
        return None
    if service.may_manage_buyer(user, buyer):
        return "full"
    if user.role != Role.producer:
        return None
    own = select(Producer.id).where(Producer.owner_user_id == user.id, Producer.deleted_at.is_(None))
    b, p = aliased(EventParticipant), aliased(EventParticipant)
    met = session.exec(
        select(Meeting.id)
        .join(b, b.id == Meeting.buyer_participant_id)
        .join(p, p.id == Meeting.producer_participant_id)
        .where(b.buyer_id == buyer.id, p.producer_id.in_(own), Meeting.status != MeetingStatus.cancelled)
        .limit(1)
    ).first()
    if met is not None:
        return "full"
    together = session.exec(
        select(b.id)
        .join(p, sa.and_(p.event_id == b.event_id, p.approved.is_(True)))
        .where(b.buyer_id == buyer.id, b.approved.is_(True), p.producer_id.in_(own))
        .limit(1)
    ).first()
    return "profile" if together is not None else None


def _visible_buyer(session: Session, user: User, buyer_id: int) -> tuple[Buyer, str]:
    buyer = session.get(Buyer, buyer_id)
    access = buyer_access(session, user, buyer) if buyer is not None else None
    if buyer is None or access is None:
        raise NotFound(N_("There is no buyer {buyer_id}.", buyer_id=buyer_id))
    return buyer, access


@router.get("/buyers/{buyer_id}")
def buyer_page(buyer_id: int, request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """What a buyer looks for; its contacts for the producers it meets (and staff)."""
    buyer, access = _visible_buyer(session, user, buyer_id)
    categories = {c.slug: c for c in reference_service.categories(session)}
    return render(
        request,
        "matching/buyer_detail.html",
        {
            "buyer": buyer,
            "show_contacts": access == "full",
            "whatsapp_url": service.whatsapp_url(buyer.whatsapp) if access == "full" else None,
            "categories": categories,
            "provinces": {p.code: p for p in reference_service.provinces(session)},
            "certifications": CERTIFICATIONS,
            **vocabulary(),
        },
    )


@router.get("/buyers/{buyer_id}/qr.svg")
def buyer_qr(buyer_id: int, request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """A QR code to the buyer's page, for printed agendas (the page itself checks who may read it)."""
    _visible_buyer(session, user, buyer_id)
    qr = segno.make(str(request.base_url).rstrip("/") + f"/buyers/{buyer_id}", error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title="QR code")
    return Response(buf.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"})
