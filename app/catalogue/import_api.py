"""Bulk import and export of producers and products over HTTP (staff only). The CSV format and
the rules are in app.catalogue.bulk; this module only moves bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import Message

from app.auth.deps import StaffUser
from app.catalogue import bulk
from app.db import Database, SessionDep, get_database
from app.errors import PayloadTooLarge

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The request also carries the multipart framing around the file.
_MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 64 * 1024


def _too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it.")


class _BoundedBodyRoute(APIRoute):
    """Refuses a request body over _MAX_BODY_BYTES as it arrives, before it is parsed or spooled to
    disk, with a problem+json 413 (FastAPI's own max_body_size answers in plain text)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > _MAX_BODY_BYTES:
                raise _too_large()
            received = 0
            receive = request.receive

            async def counting_receive() -> Message:  # for a body sent without Content-Length
                nonlocal received
                message = await receive()
                received += len(message.get("body", b""))
                if received > _MAX_BODY_BYTES:
                    raise HTTPException(413)  # FastAPI passes an HTTPException through its body parsing
                return message

            try:
                return await handler(Request(request.scope, counting_receive))
            except HTTPException as exc:
                if exc.status_code == 413 and received > _MAX_BODY_BYTES:
                    raise _too_large() from None
                raise

        return bounded


router = APIRouter(tags=["catalogue"], route_class=_BoundedBodyRoute)


class ImportSummary(BaseModel):
    rows: int
    producers_created: int
    producers_updated: int
    products_created: int
    products_updated: int
    products_unchanged: int


@router.post(
    "/import",
    response_model=ImportSummary,
    responses={413: {"description": "The file is larger than 20 MB"}, 422: {"description": "Problems, by line"}},
)
def import_catalogue(
    file: Annotated[UploadFile, File(description="CSV file, UTF-8 (docs/CSV_FORMAT.md)")],
    user: StaffUser,
    session: SessionDep,
    as_new: Annotated[
        bool, Query(description="Load every row as new (for a file exported from another database)")
    ] = False,
) -> ImportSummary:
    """Import producers and products from a CSV file: every row, or nothing (422 listing each problem
    as `{"loc": ["line", N, column], "msg"}`) when any row is wrong."""
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise _too_large()
    file.file.seek(0)
    result = bulk.import_csv(session, user, file.file, size=file.size, as_new=as_new)
    return ImportSummary(**dataclasses.asdict(result))


def _csv_bytes(db: Database) -> Iterator[bytes]:
    # The request's session has ended when the body streams: the export reads in its own transaction.
    with db.session(write=False) as session:
        for piece in bulk.export_csv(session):
            yield piece.encode("utf-8")


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "UTF-8 CSV with a BOM"}},
)
def export_catalogue(user: StaffUser, db: Annotated[Database, Depends(get_database)]) -> StreamingResponse:
    """Every producer and product that is not deleted, as the CSV file that /import reads back."""
    filename = f"odop-catalogue-{dt.date.today().isoformat()}.csv"
    return StreamingResponse(
        _csv_bytes(db),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
