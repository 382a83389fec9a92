"""Photos on the producer's product page: upload from the phone camera (with a progress bar), reorder,
choose the cover, delete. Each answers with the photos section for HTMX, or a redirect without JS."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.auth.deps import CSRF_HEADER, CsrfError, CurrentUser, csrf_matches
from app.catalogue import images, presenters, repository, service
from app.catalogue.image_api import receive_photo
from app.db import SessionDep
from app.media.serving import media_store
from app.web.templating import is_htmx, render

# The upload streams its body itself, so it cannot sit behind require_csrf (which would parse the whole
# form first): it takes the token from the X-CSRF-Token header that htmx sends with every request.
upload_router = APIRouter()
router = APIRouter()  # included in the pages router, which checks CSRF on every form


def photos_section(request: Request, session, product_id: int) -> Response:  # type: ignore[no-untyped-def]
    user = request.state.user
    product, producer = service.product_for_write(session, user, product_id)
    pictures = repository.images_by_product(session, [product.id]).get(product.id, [])
    view = presenters.product_public(product, producer, pictures, user)
    if not is_htmx(request):
        return RedirectResponse(f"/my/products/{product_id}#photos", status_code=303)
    return render(request, "my/_photos.html", {"product": view}, fragment=None)


def _photos_after_upload(request: Request, product_id: int) -> Response:
    with request.app.state.db.session(write=False) as session:
        return photos_section(request, session, product_id)


@upload_router.post("/my/products/{product_id}/photos", include_in_schema=False)
async def upload_photo(product_id: int, request: Request) -> Response:
    if not csrf_matches(request, request.headers.get(CSRF_HEADER)):
        raise CsrfError("Reload the page and try again.")
    await receive_photo(request, product_id)
    return await run_in_threadpool(_photos_after_upload, request, product_id)


@router.post("/my/products/{product_id}/photos/{image_id}/cover")
def make_cover(product_id: int, image_id: int, request: Request, session: SessionDep, user: CurrentUser) -> Response:
    images.set_cover(session, user, product_id, image_id)
    return photos_section(request, session, product_id)


@router.post("/my/products/{product_id}/photos/{image_id}/move")
def move_photo(
    product_id: int,
    image_id: int,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    direction: Annotated[str, Form(pattern="^(earlier|later)$")],
) -> Response:
    order = [i.id for i in images.product_images(session, product_id)]
    if image_id in order:
        at = order.index(image_id)
        to = at - 1 if direction == "earlier" else at + 1
        if 0 <= to < len(order):
            order[at], order[to] = order[to], order[at]
            images.reorder_images(session, user, product_id, order)
    return photos_section(request, session, product_id)


@router.post("/my/products/{product_id}/photos/{image_id}/delete")
def delete_photo(
    product_id: int,
    image_id: int,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    background: BackgroundTasks,
) -> Response:
    removed = images.delete_image(session, user, product_id, image_id)
    # files go only after the commit, and only those no other photo still uses
    background.add_task(images.remove_unreferenced_files, request.app.state.db, media_store(request.app), removed)
    return photos_section(request, session, product_id)
