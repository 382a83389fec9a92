"""Buyer profiles, matches and inquiries over the JSON API (HTTP only: the rules are in service.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, status

from app.auth.deps import CurrentUser, LimiterDep, StaffUser
from app.catalogue import service as catalogue_service
from app.catalogue.schemas import Page
from app.db import SessionDep
from app.errors import N_, NotFound
from app.matching import service
from app.matching.schemas import (
    BuyerCreate,
    BuyerMatchOut,
    BuyerPublic,
    BuyerUpdate,
    InquiryCreate,
    InquiryPublic,
    MatchIn,
    MatchOut,
)

router = APIRouter(tags=["matching"])

Limit = Annotated[int, Query(ge=1, le=100)]
PageNo = Annotated[int, Query(ge=1, le=100_000)]
PerPage = Annotated[int, Query(ge=1, le=100)]


def _buyer_out(buyer) -> BuyerPublic:  # type: ignore[no-untyped-def]
    return BuyerPublic.model_validate(buyer, from_attributes=True)


# ---- buyer profiles ----------------------------------------------------------------------------


@router.post("/buyers", status_code=status.HTTP_201_CREATED, response_model=BuyerPublic)
def create_buyer(body: BuyerCreate, user: CurrentUser, session: SessionDep) -> BuyerPublic:
    """A buyer account creates its own profile (one); staff create one on a buyer's behalf."""
    return _buyer_out(service.create_buyer(session, user, body))


@router.get("/buyers", response_model=Page[BuyerPublic])
def list_buyers(user: StaffUser, session: SessionDep, page: PageNo = 1, per_page: PerPage = 24) -> Page[BuyerPublic]:
    """Every buyer profile (staff)."""
    rows, total = service.list_buyers(session, page=page, per_page=per_page)
    return Page(items=[_buyer_out(b) for b in rows], total=total, page=page, per_page=per_page)


@router.get("/buyers/{buyer_id}", response_model=BuyerPublic)
def get_buyer(buyer_id: int, user: CurrentUser, session: SessionDep) -> BuyerPublic:
    """The caller's own profile (staff: anyone's)."""
    return _buyer_out(service.buyer_for(session, user, buyer_id))


@router.patch("/buyers/{buyer_id}", response_model=BuyerPublic)
def update_buyer(buyer_id: int, body: BuyerUpdate, user: CurrentUser, session: SessionDep) -> BuyerPublic:
    buyer = service.buyer_for(session, user, buyer_id)
    return _buyer_out(service.update_buyer(session, user, buyer, body))


# ---- matches -----------------------------------------------------------------------------------


@router.get("/buyers/{buyer_id}/matches", response_model=list[MatchOut])
def buyer_matches(
    buyer_id: int, request: Request, user: CurrentUser, session: SessionDep, limit: Limit = 20
) -> list[MatchOut]:
    """Producers ranked for the buyer's saved needs, best first; reasons in the visitor's language."""
    buyer = service.buyer_for(session, user, buyer_id)
    needs = service.needs_of_buyer(service.CategoryTree.load(session), buyer)
    return service.match_producers(session, needs, lang=request.state.lang, limit=limit)


@router.post("/match", response_model=list[MatchOut])
def match(body: MatchIn, request: Request, session: SessionDep, limit: Limit = 20) -> list[MatchOut]:
    """The same ranking for needs given here and not saved (anyone may try)."""
    needs = service.needs_of_request(session, body)
    return service.match_producers(session, needs, lang=request.state.lang, limit=limit)


@router.get("/producers/{producer_id}/matches", response_model=list[BuyerMatchOut])
def producer_matches(
    producer_id: int, request: Request, user: CurrentUser, session: SessionDep, limit: Limit = 20
) -> list[BuyerMatchOut]:
    """The buyers a producer matches, best first (the producer's own account, or staff)."""
    producer = catalogue_service.get_producer(session, producer_id)
    if not catalogue_service.may_manage(user, producer):
        raise NotFound(N_("There is no producer {producer_id} of yours.", producer_id=producer_id))
    return service.match_buyers(session, producer, lang=request.state.lang, limit=limit)


# ---- inquiries ---------------------------------------------------------------------------------


@router.post("/inquiries", status_code=status.HTTP_201_CREATED, response_model=InquiryPublic)
def create_inquiry(
    body: InquiryCreate,
    request: Request,
    background: BackgroundTasks,
    user: CurrentUser,
    session: SessionDep,
    limiter: LimiterDep,
) -> InquiryPublic:
    """A buyer asks about a product. The producer finds it in its inbox, and by e-mail when SMTP is set
    up (sent after the answer, so a slow mail server never holds up the buyer)."""
    inquiry = service.create_inquiry(session, user, limiter, body)
    service.notify_producer(session, inquiry, request.app.state.settings, background)
    return service.inquiry_for(session, user, inquiry.id)


@router.get("/inquiries", response_model=Page[InquiryPublic])
def list_inquiries(
    user: CurrentUser,
    session: SessionDep,
    producer_id: Annotated[int | None, Query(description="Staff: the inbox of this producer")] = None,
    buyer_id: Annotated[int | None, Query(description="Staff: what this buyer sent")] = None,
    page: PageNo = 1,
    per_page: PerPage = 24,
) -> Page[InquiryPublic]:
    """The caller's own inquiries, newest first: a buyer's sent ones, a producer's received ones."""
    scope = service.inbox_scope(session, user, producer_id=producer_id, buyer_id=buyer_id)
    items, total = service.list_inquiries(session, user, scope, page=page, per_page=per_page)
    return Page(items=items, total=total, page=page, per_page=per_page)


@router.get("/inquiries/{inquiry_id}", response_model=InquiryPublic)
def get_inquiry(inquiry_id: int, user: CurrentUser, session: SessionDep) -> InquiryPublic:
    return service.inquiry_for(session, user, inquiry_id)


@router.post("/inquiries/{inquiry_id}/read", response_model=InquiryPublic)
def mark_inquiry_read(inquiry_id: int, user: CurrentUser, session: SessionDep) -> InquiryPublic:
    """The producer marks an inquiry as read."""
    return service.mark_read(session, user, inquiry_id)
