"""Product photos over the JSON API: upload, delete, reorder, choose the cover.

The upload is the one endpoint that does not use the request-wide session (`SessionDep`): that
transaction would stay open, on SQLite holding the write lock, while a photo is decoded and
resized for a second or more. Instead the upload runs in steps, each in the right place:

1. authenticate and check ownership in a short read transaction (worker thread), so a stranger's
   upload is refused before its body is read;
2. stream the multipart body on the event loop into a bounded spool (413 as soon as it passes
   ODOP_UPLOAD_MAX_BYTES; the rest of the body is never read);
3. decode/resize/encode in a dedicated pool of low-priority threads (`_process_in_pool`), one
   fewer than the machine has cores, so browsing stays fast during a burst of uploads;
4. write the files, then insert the row in a short write transaction (worker thread); if the
   insert fails, the files no other row uses are removed again.

Deleting and ordering are ordinary sync endpoints on the request's transaction; files of a deleted
photo are removed in a background task, i.e. only after that transaction has committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import aclosing
from functools import partial
from typing import TYPE_CHECKING, Any, Final, TypeVar

from fastapi import APIRouter, BackgroundTasks, Request, Response, status
from pydantic import BaseModel, Field
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from app.auth.deps import CurrentUser, current_user, optional_user
from app.auth.models import User
from app.catalogue import images, presenters
from app.catalogue.models import ProductImage
from app.catalogue.schemas import ImagePublic
from app.config import Settings
from app.db import Database, SessionDep, write_turn
from app.errors import N_, BadRequest, PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.media.processing import ProcessedImage, process_image, read_upload_bounded
from app.media.serving import media_store
from app.media.storage import MediaStore
from app.ratelimit import UPLOADS_PER_USER

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

router = APIRouter(tags=["catalogue"])

UPLOAD_FIELD: Final = "file"
# Multipart framing and any small extra fields around the file; more than this is refused (413).
MULTIPART_OVERHEAD_BYTES: Final = 64 * 1024

_UPLOAD_OPENAPI: Final[dict[str, Any]] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [UPLOAD_FIELD],
                    "properties": {UPLOAD_FIELD: {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


class ImageOrder(BaseModel):
    image_ids: list[int] = Field(max_length=100, description="Every photo of the product, once, the cover first")


# ---- upload ----------------------------------------------------------------------------------


@router.post(
    "/products/{product_id}/images",
    status_code=status.HTTP_201_CREATED,
    response_model=ImagePublic,
    openapi_extra=_UPLOAD_OPENAPI,
)
async def upload_image(product_id: int, request: Request) -> ImagePublic:
    """Add a photo (JPEG, PNG or WebP) in the multipart field `file`; it becomes the cover if it is the first.

    Stored as metadata-free WebP renditions of 320, 800 and 1600 px. 415 for other formats, 422 for a
    damaged or empty file, 413 for too many bytes or pixels, 409 when the product has 12 photos.
    """
    return presenters.image_public(await receive_photo(request, product_id))


async def receive_photo(request: Request, product_id: int) -> ProductImage:
    """The upload itself, shared by the API and the producer's page: authorize, stream, process, store."""
    settings: Settings = request.app.state.settings
    db: Database = request.app.state.db
    actor = await run_in_threadpool(_authorize_upload, request, db, product_id)

    boundary = _multipart_boundary(request)
    _refuse_declared_length(request, settings.upload_max_bytes)
    async with aclosing(_field_chunks(request, boundary, UPLOAD_FIELD.encode())) as chunks:
        upload = await read_upload_bounded(chunks, settings.upload_max_bytes)
    with upload:
        processed = await _process_in_pool(partial(process_image, upload, max_pixels=settings.upload_max_pixels))
    async with write_turn(db):  # the insert is a write transaction (see app.db.write_turn)
        return await run_in_threadpool(_store_image, db, media_store(request.app), actor, product_id, processed)


def _authorize_upload(request: Request, db: Database, product_id: int) -> User:
    with db.session(write=False) as session:
        actor = current_user(optional_user(request, session))
        images.check_can_add(session, actor, product_id)
    # Decoding photos is the most expensive thing a user can ask of us: limited per account.
    request.app.state.limiter.consume(UPLOADS_PER_USER, "upload", str(actor.id))
    return actor


def _store_image(
    db: Database, store: MediaStore, actor: User, product_id: int, processed: ProcessedImage
) -> ProductImage:
    """Files first, then the row: a row never points at missing files, and a failed insert takes its files back."""
    paths = store.save_variants(processed)  # all-or-nothing itself (507/503)
    try:
        with db.session(write=True) as session:
            return images.add_image(session, actor, product_id, processed, paths)
    except BaseException:
        images.remove_unreferenced_files(db, store, paths.values())
        raise


T = TypeVar("T")
# Added to the nice value of the photo workers: the kernel then favours the threads that answer requests.
PROCESSING_NICENESS: Final = 10


def _lower_priority() -> None:
    # On Linux the nice value belongs to the thread, so this slows only the photo worker down;
    # elsewhere it would renice the whole process, so it is skipped.
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            current = os.getpriority(os.PRIO_PROCESS, 0)
            os.setpriority(os.PRIO_PROCESS, 0, min(19, current + PROCESSING_NICENESS))


# Photos decoded at once: one core fewer than the machine has (at least one); the others wait
# their turn with their bytes spooled. Measured with bench/upload_latency.py: on 2 cores, 4 uploads
# in a loop slowed the product list 1.4–3× in anyio's shared worker threads, 1.1–1.3× here.
_processing_pool: Final = ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 2) - 1), thread_name_prefix="odop-photo", initializer=_lower_priority
)


async def _process_in_pool(work: Callable[[], T]) -> T:
    return await asyncio.wrap_future(_processing_pool.submit(work))


def _multipart_boundary(request: Request) -> bytes:
    content_type, params = parse_options_header(request.headers.get("content-type"))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaType(
            N_("Send the photo as multipart/form-data, in the field '{field}'.", field=UPLOAD_FIELD)
        )
    return boundary


def _refuse_declared_length(request: Request, max_bytes: int) -> None:
    """413 at once when Content-Length already says the body is too large (nothing is read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + MULTIPART_OVERHEAD_BYTES:
        raise PayloadTooLarge(N_("The file is too large: the limit is {mb} MB.", mb=f"{max_bytes / (1024 * 1024):.3g}"))


class _FieldCollector:
    """Multipart parser callbacks that keep the data of one field and bound everything else.

    The client's file name and content type are ignored: the content decides the format and the
    store names the files.
    """

    def __init__(self, field: bytes) -> None:
        self.field = field
        self.pending: list[bytes] = []
        self.found = False
        self.complete = False
        self._in_field = False
        self._other_bytes = 0
        self._name = bytearray()
        self._value = bytearray()
        self._headers: dict[bytes, bytes] = {}

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._name.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers = {}
        self._in_field = False

    def _header_end(self) -> None:
        self._headers[bytes(self._name).lower()] = bytes(self._value)
        self._name.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition"))
        self._in_field = params.get(b"name") == self.field and not self.found
        self.found = self.found or self._in_field

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_field:
            self.pending.append(data[start:end])
            return
        self._other_bytes += end - start
        if self._other_bytes > MULTIPART_OVERHEAD_BYTES:
            raise PayloadTooLarge(N_("Send only the photo, in the field '{field}'.", field=UPLOAD_FIELD))

    def _part_end(self) -> None:
        if self._in_field:
            self.complete = True
        self._in_field = False


async def _field_chunks(request: Request, boundary: bytes, field: bytes) -> AsyncIterator[bytes]:
    """The bytes of one multipart field, as the body arrives; stops reading once the field ends."""
    collector = _FieldCollector(field)
    parser = MultipartParser(boundary, collector.callbacks())
    try:
        async for chunk in request.stream():
            try:
                parser.write(chunk)
            except MultipartParseError:
                raise BadRequest(N_("The multipart body is malformed.")) from None
            if collector.pending:
                data = b"".join(collector.pending)
                collector.pending.clear()
                yield data
            if collector.complete:
                return
    except ClientDisconnect:
        raise BadRequest(N_("The upload was interrupted.")) from None
    if collector.found:
        raise Unprocessable(N_("The upload was cut off before the end of the file. Please try again."))
    raise Unprocessable(
        N_("Send the photo in the multipart field '{field}'.", field=UPLOAD_FIELD), loc=["body", UPLOAD_FIELD]
    )


# ---- delete and order ------------------------------------------------------------------------


@router.delete("/products/{product_id}/images/{image_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_image(
    product_id: int, image_id: int, user: CurrentUser, session: SessionDep, request: Request, tasks: BackgroundTasks
) -> Response:
    """Remove a photo; the next one becomes the cover if it was the cover."""
    relpaths = images.delete_image(session, user, product_id, image_id)
    # Background tasks run after the response, hence after the session dependency has committed:
    # a failed commit keeps the files of a photo that still exists.
    tasks.add_task(images.remove_unreferenced_files, request.app.state.db, media_store(request.app), relpaths)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/products/{product_id}/images/order", response_model=list[ImagePublic])
def reorder_images(product_id: int, body: ImageOrder, user: CurrentUser, session: SessionDep) -> list[ImagePublic]:
    """Order the photos; `image_ids` lists every photo of the product once, the cover first."""
    ordered = images.reorder_images(session, user, product_id, body.image_ids)
    return [presenters.image_public(i) for i in ordered]


@router.post("/products/{product_id}/images/{image_id}/cover", response_model=list[ImagePublic])
def set_cover(product_id: int, image_id: int, user: CurrentUser, session: SessionDep) -> list[ImagePublic]:
    """Make a photo the cover (position 0); the others keep their order. Returns them all, in order."""
    ordered = images.set_cover(session, user, product_id, image_id)
    return [presenters.image_public(i) for i in ordered]
