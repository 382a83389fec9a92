"""Staff pages: the review queue (approve / reject with a note / grade) and showroom curation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth.deps import StaffUser
from app.catalogue import presenters, reference_service, repository, service, showrooms
from app.catalogue.reference import Province
from app.db import SessionDep
from app.errors import N_, DomainError
from app.web.forms import PostedForm
from app.web.templating import htmx_target, render

router = APIRouter(prefix="/staff")


@router.get("/review")
def review_queue(request: Request, session: SessionDep, user: StaffUser) -> Response:
    rows, total = service.review_queue(session)
    images = repository.images_by_product(session, [p.id for p, _ in rows])
    items = [(presenters.product_public(p, pr, images.get(p.id, []), user), pr) for p, pr in rows]
    categories = {c.slug: c for c in reference_service.categories(session)}
    return render(request, "staff/review.html", {"items": items, "total": total, "categories": categories})


@router.post("/review/{product_id}")
def review(
    product_id: int,
    request: Request,
    session: SessionDep,
    user: StaffUser,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    stars: Annotated[str, Form()] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Approve (publish, with an optional grade) or reject with a note; HTMX removes the row."""
    product, producer = service.product_for_read(session, user, product_id)
    grade = int(stars) if stars.isdigit() and 1 <= int(stars) <= 5 else None
    service.review_product(
        session, user, product, producer, approve=decision == "approve", stars=grade, note=note.strip() or None
    )
    if htmx_target(request):
        import json

        message = "Published." if decision == "approve" else "Sent back to the producer."
        return Response("", headers={"HX-Trigger": json.dumps({"toast": {"message": message, "level": "info"}})})
    return RedirectResponse("/staff/review", status_code=303)


@router.get("/showrooms")
def showroom_list(request: Request, session: SessionDep, user: StaffUser) -> Response:
    rooms, _ = showrooms.list_showrooms(session, None, page=1, per_page=100)
    return render(
        request,
        "staff/showrooms.html",
        {"showrooms": rooms, "provinces": reference_service.provinces(session), "errors": {}},
    )


@router.post("/showrooms")
def create_showroom(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    name: Annotated[str, Form(max_length=200)] = "",
    province_code: Annotated[str, Form(max_length=8)] = "",
    address: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    from app.catalogue.schemas import guess_language

    errors = {}
    if not name.strip():
        errors["name"] = "Enter the showroom's name."
    else:
        try:
            with session.begin_nested():
                room = showrooms.create_showroom(
                    session,
                    user,
                    name={guess_language(name): name.strip()},
                    province_code=province_code,
                    address=address.strip() or None,
                )
            return RedirectResponse(f"/staff/showrooms/{room.id}", status_code=303)
        except DomainError as exc:
            errors["province_code"] = exc.detail
    rooms, _ = showrooms.list_showrooms(session, None, page=1, per_page=100)
    return render(
        request,
        "staff/showrooms.html",
        {"showrooms": rooms, "provinces": reference_service.provinces(session), "errors": errors},
        status_code=422,
    )


def _curate(
    request: Request, session, user, showroom_id: int, error: str | None = None, status_code: int = 200
) -> Response:  # type: ignore[no-untyped-def]
    room = showrooms.get_showroom(session, showroom_id)
    rows = showrooms.listings(session, showroom_ids=[room.id], only_active=False)
    candidates, _ = repository.list_products(
        session,
        user,
        repository.ProductFilters(province=room.province_code, q=request.query_params.get("q"), sort="newest"),
        page=1,
        per_page=20,
    )
    listed = {p.id for _, p, _ in rows}
    return render(
        request,
        "staff/showroom_curate.html",
        {
            "showroom": room,
            "province": session.get(Province, room.province_code),
            "listings": rows,
            "candidates": [(p, pr) for p, pr in candidates if p.id not in listed],
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/showrooms/{showroom_id}")
def curate(showroom_id: int, request: Request, session: SessionDep, user: StaffUser) -> Response:
    return _curate(request, session, user, showroom_id)


@router.post("/showrooms/{showroom_id}/listings")
def add_listing(
    showroom_id: int,
    request: Request,
    session: SessionDep,
    user: StaffUser,
    product_id: Annotated[int, Form()],
    featured: Annotated[str, Form()] = "",
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
) -> Response:
    import datetime as dt

    try:
        with session.begin_nested():
            showrooms.add_listing(
                session,
                user,
                showrooms.get_showroom(session, showroom_id),
                product_id=product_id,
                featured=bool(featured),
                starts_on=dt.date.fromisoformat(starts_on) if starts_on else None,
                ends_on=dt.date.fromisoformat(ends_on) if ends_on else None,
            )
    except (DomainError, ValueError) as exc:
        detail = exc.detail if isinstance(exc, DomainError) else N_("Dates look like 2026-12-31.")
        return _curate(request, session, user, showroom_id, error=detail, status_code=422)
    return RedirectResponse(f"/staff/showrooms/{showroom_id}", status_code=303)


@router.post("/showrooms/{showroom_id}/listings/{listing_id}/delete")
def remove_listing(showroom_id: int, listing_id: int, session: SessionDep, user: StaffUser) -> Response:
    showrooms.remove_listing(session, user, showrooms.get_showroom(session, showroom_id), listing_id)
    return RedirectResponse(f"/staff/showrooms/{showroom_id}", status_code=303)


@router.get("/import")
def import_form(request: Request, user: StaffUser) -> Response:
    return render(request, "staff/import.html", {"result": None, "problems": [], "error": None})


@router.post("/import")
def import_upload(request: Request, session: SessionDep, user: StaffUser, form: PostedForm) -> Response:
    """Bulk import from a spreadsheet saved as CSV: every row or nothing, problems listed by line and column."""
    from starlette.datastructures import UploadFile

    from app.catalogue import bulk
    from app.catalogue.import_api import MAX_UPLOAD_BYTES

    upload = form.get("file")
    context: dict = {"result": None, "problems": [], "error": None}
    status_code = 200
    if not isinstance(upload, UploadFile) or not upload.filename:
        context["error"], status_code = N_("Choose a CSV file."), 422
    elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        context["error"], status_code = N_("The file is larger than 20 MB; split it into several files."), 413
    else:
        try:
            with session.begin_nested():  # a refused file leaves nothing behind
                context["result"] = bulk.import_csv(
                    session, user, upload.file, size=upload.size, as_new=bool(form.get("as_new"))
                )
        except bulk.ImportFailed as exc:
            context["problems"], context["unlisted"], status_code = exc.problems, exc.unlisted, 422
        except DomainError as exc:
            context["error"], status_code = exc.detail, exc.status_code
    fragment = "result" if htmx_target(request) == "import-result" else "content"
    return render(request, "staff/import.html", context, status_code=status_code, fragment=fragment)
