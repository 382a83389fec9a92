"""Inquiries on the pages: a buyer asks from the product page; producers and buyers read their inbox."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import CurrentUser, LimiterDep
from app.catalogue import presenters, repository
from app.catalogue import service as catalogue_service
from app.db import SessionDep
from app.errors import DomainError
from app.matching import service
from app.matching.schemas import InquiryCreate
from app.web.forms import form_to_schema
from app.web.templating import htmx_target, render

router = APIRouter()


@router.post("/products/{product_id}/inquiry")
def send_inquiry(
    product_id: int,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    limiter: LimiterDep,
    background: BackgroundTasks,
    message: Annotated[str, Form(max_length=5000)] = "",
    quantity: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    data = {"product_id": product_id, "message": message.strip()}
    if quantity.strip():
        data["quantity"] = quantity.strip().replace(",", "")
    parsed, errors = form_to_schema(InquiryCreate, data)
    sent = False
    if parsed is not None:
        try:
            with session.begin_nested():
                inquiry = service.create_inquiry(session, user, limiter, parsed)
            service.notify_producer(session, inquiry, request.app.state.settings, background)
            sent = True
        except DomainError as exc:
            if exc.status_code == 429:
                raise
            errors = {"message": exc.detail}
    if sent and not htmx_target(request):
        return RedirectResponse(f"/products/{product_id}?inquiry=sent#inquiry", status_code=303)
    product, producer = catalogue_service.product_for_read(session, user, product_id)
    images = repository.images_by_product(session, [product.id]).get(product.id, [])
    context = {
        "product": presenters.product_public(product, producer, images, user),
        "producer": producer,
        "inquiry_sent": sent,
        "inquiry_errors": errors,
        "inquiry_values": {"message": message, "quantity": quantity} if not sent else {},
    }
    return render(request, "catalogue/_inquiry.html", context, status_code=200 if sent else 422, fragment=None)


@router.get("/my/inquiries")
def inbox(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Received inquiries (producer) or sent ones (buyer), newest first, with contacts and a WhatsApp link."""
    page = (
        max(1, int(request.query_params.get("page", "1") or 1))
        if request.query_params.get("page", "1").isdigit()
        else 1
    )
    items, total = service.list_inquiries(session, user, service.inbox_scope(session, user), page=page, per_page=30)
    return render(request, "matching/inbox.html", {"inquiries": items, "total": total, "page": page})


@router.post("/my/inquiries/{inquiry_id}/read")
def mark_read(inquiry_id: int, session: SessionDep, user: CurrentUser) -> Response:
    service.mark_read(session, user, inquiry_id)
    return RedirectResponse("/my/inquiries", status_code=303)
