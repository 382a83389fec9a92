"""A producer's own space (/my), and staff editing on a producer's behalf: profile and product forms,
submit for review, status and the reviewer's note. Same services as the API; forms re-render with
their errors in place."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from app.auth.deps import CurrentUser
from app.auth.models import Role
from app.catalogue import presenters, reference_service, repository, service
from app.catalogue.models import Producer, Product
from app.catalogue.schemas import CERTIFICATIONS, ProducerCreate, ProducerUpdate, ProductCreate, ProductUpdate
from app.db import SessionDep
from app.errors import N_, DomainError, Forbidden
from app.web.forms import PostedForm, domain_error_field, form_to_schema, form_values
from app.web.templating import htmx_target, render

router = APIRouter()

PRODUCER_FORM = {
    "localized": ("name", "description"),
    "numbers": ("founded_year", "members_count", "women_members_count"),
    "booleans": ("women_led",),
}
PRODUCT_FORM = {
    "localized": ("name", "description", "materials"),
    "lists": ("certifications",),
    "numbers": ("price_lak", "moq", "monthly_capacity", "lead_time_days"),
}


@router.get("/my")
def my_space(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """What the account owns: the producer profile and its products with their status, or the staff tools."""
    producer = service.owned_producer(session, user) if user.role == Role.producer else None
    products = []
    if producer is not None:
        rows = session.exec(
            select(Product)
            .where(Product.producer_id == producer.id, Product.deleted_at.is_(None))
            .order_by(Product.updated_at.desc())
        ).all()
        images = repository.images_by_product(session, [p.id for p in rows])
        products = [presenters.product_public(p, producer, images.get(p.id, []), user) for p in rows]
    return render(request, "my/index.html", {"producer": producer, "products": products})


def _producer_form(
    request: Request,
    producer: Producer | None,
    values: dict,
    errors: dict,
    status_code: int = 200,
    action: str = "/my/producer",
) -> Response:
    session_provinces = request.state.provinces
    return render(
        request,
        "my/producer_form.html",
        {"producer": producer, "values": values, "errors": errors, "provinces": session_provinces, "action": action},
        status_code=status_code,
        fragment="form" if htmx_target(request) == "producer-form" else "content",
    )


def _producer_values(producer: Producer | None) -> dict:
    return (
        producer.model_dump(warnings=False)
        if producer is not None
        else {"province_code": "", "name": {}, "description": {}}
    )


def _editable_producer(session: SessionDep, user: CurrentUser, producer_id: int | None) -> Producer | None:
    if producer_id is None:
        return service.owned_producer(session, user)
    return service.producer_for_write(session, user, producer_id)


@router.get("/my/producer")
@router.get("/staff/producers/{producer_id}/edit")
def producer_form(request: Request, session: SessionDep, user: CurrentUser, producer_id: int | None = None) -> Response:
    producer = _editable_producer(session, user, producer_id)
    if producer is None and user.role != Role.producer:
        raise Forbidden(N_("Only producer accounts have a producer profile of their own."))
    request.state.provinces = reference_service.provinces(session)
    action = f"/staff/producers/{producer_id}/edit" if producer_id else "/my/producer"
    return _producer_form(request, producer, _producer_values(producer), {}, action=action)


@router.post("/my/producer")
@router.post("/staff/producers/{producer_id}/edit")
def save_producer(
    request: Request, form: PostedForm, session: SessionDep, user: CurrentUser, producer_id: int | None = None
) -> Response:
    data = form_values(form, **PRODUCER_FORM)
    request.state.provinces = reference_service.provinces(session)
    producer = _editable_producer(session, user, producer_id)
    action = f"/staff/producers/{producer_id}/edit" if producer_id else "/my/producer"
    parsed, errors = form_to_schema(ProducerUpdate if producer is not None else ProducerCreate, data)
    if parsed is None:
        return _producer_form(request, producer, data, errors, 422, action)
    try:
        with session.begin_nested():  # a refused save leaves nothing behind, and the form shows why
            if producer is None:
                producer = service.create_producer(session, user, parsed)  # type: ignore[arg-type]
            else:
                service.update_producer(session, user, producer, parsed)  # type: ignore[arg-type]
    except DomainError as exc:
        return _producer_form(request, producer, data, domain_error_field(exc), exc.status_code, action)
    return RedirectResponse(f"/producers/{producer.id}" if producer_id else "/my", status_code=303)


# ---- products --------------------------------------------------------------------------------


def _product_form(
    request: Request,
    session,
    *,
    product,
    producer,
    values: dict,
    errors: dict,  # type: ignore[no-untyped-def]
    status_code: int = 200,
) -> Response:
    images = repository.images_by_product(session, [product.id]).get(product.id, []) if product else []
    view = presenters.product_public(product, producer, images, request.state.user) if product else None
    context = {
        "product": view,
        "producer": producer,
        "values": values,
        "errors": errors,
        "categories": reference_service.categories(session),
        "certifications": CERTIFICATIONS,
        "can_review": request.state.user is not None and request.state.user.is_staff,
    }
    fragment = "form" if htmx_target(request) == "product-form" else "content"
    return render(request, "my/product_form.html", context, status_code=status_code, fragment=fragment)


def _product_values(product: Product) -> dict:
    values = product.model_dump(warnings=False)
    values.update(product.pending_changes or {})  # the owner edits what they last wrote
    return values


@router.get("/my/products/new")
def new_product_form(
    request: Request, session: SessionDep, user: CurrentUser, producer_id: int | None = None
) -> Response:
    producer = (
        service.producer_for_write(session, user, producer_id) if producer_id else service.owned_producer(session, user)
    )
    if producer is None:
        return RedirectResponse("/my/producer", status_code=303)
    return _product_form(
        request,
        session,
        product=None,
        producer=producer,
        values={"producer_id": producer.id, "certifications": []},
        errors={},
    )


@router.get("/my/products/{product_id}")
def edit_product_form(product_id: int, request: Request, session: SessionDep, user: CurrentUser) -> Response:
    product, producer = service.product_for_write(session, user, product_id)
    return _product_form(
        request, session, product=product, producer=producer, values=_product_values(product), errors={}
    )


@router.post("/my/products/new")
def create_product(request: Request, form: PostedForm, session: SessionDep, user: CurrentUser) -> Response:
    return _save_product(request, session, user, form_values(form, **PRODUCT_FORM), None, dry_run=False)


@router.post("/my/products/{product_id}")
def update_product(
    product_id: int, request: Request, form: PostedForm, session: SessionDep, user: CurrentUser
) -> Response:
    data = form_values(form, **PRODUCT_FORM, ignore=("producer_id",))
    return _save_product(request, session, user, data, product_id, dry_run=False)


@router.post("/my/products/{product_id}/validate")  # registered second (decorators apply bottom-up)…
@router.post("/my/products/new/validate")  # …so that "new" is not read as a product id
def validate_product(
    request: Request, form: PostedForm, session: SessionDep, user: CurrentUser, product_id: int | None = None
) -> Response:
    """Live validation while the producer types: re-renders the form with its errors, saves nothing."""
    data = form_values(form, **PRODUCT_FORM, ignore=("producer_id",) if product_id else ())
    return _save_product(request, session, user, data, product_id, dry_run=True)


def _save_product(request: Request, session, user, data: dict, product_id: int | None, *, dry_run: bool) -> Response:  # type: ignore[no-untyped-def]
    if product_id is None:
        producer_id = str(data.get("producer_id") or "")
        producer = (
            service.producer_for_write(session, user, int(producer_id))
            if producer_id.isdigit()
            else service.owned_producer(session, user)
        )
        if producer is None:
            return RedirectResponse("/my/producer", status_code=303)
        data["producer_id"] = producer.id
        product = None
    else:
        product, producer = service.product_for_write(session, user, product_id)
    parsed, errors = form_to_schema(ProductCreate if product is None else ProductUpdate, data)
    if errors or parsed is None or dry_run:
        status = 422 if errors and not dry_run else 200
        return _product_form(
            request, session, product=product, producer=producer, values=data, errors=errors, status_code=status
        )
    try:
        with session.begin_nested():
            if product is None:
                product = service.create_product(session, user, parsed)  # type: ignore[arg-type]
            else:
                service.update_product(session, user, product, producer, parsed)  # type: ignore[arg-type]
    except DomainError as exc:
        return _product_form(
            request,
            session,
            product=product,
            producer=producer,
            values=data,
            errors=domain_error_field(exc),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/my/products/{product.id}?saved=1", status_code=303)


@router.post("/my/products/{product_id}/submit")
def submit_product(product_id: int, request: Request, session: SessionDep, user: CurrentUser) -> Response:
    product, producer = service.product_for_write(session, user, product_id)
    service.submit_product(session, user, product, producer)
    return RedirectResponse(f"/my/products/{product_id}?submitted=1", status_code=303)


@router.post("/my/products/{product_id}/delete")
def delete_product(product_id: int, request: Request, session: SessionDep, user: CurrentUser) -> Response:
    product, producer = service.product_for_write(session, user, product_id)
    service.delete_product(session, user, product, producer)
    return RedirectResponse("/my", status_code=303)
