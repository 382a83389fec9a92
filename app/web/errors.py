"""One place that turns errors into responses: problem+json (RFC 9457) for the API, an error page
for a browser, a toast for an HTMX request. No stack trace ever reaches a client."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import N_, DomainError
from app.web.forms import error_message
from app.web.templating import is_htmx, render

log = logging.getLogger("odop.errors")
PROBLEM_JSON = "application/problem+json"


def wants_problem_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/problem+json" in request.headers.get("accept", "")


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    type_: str = "about:blank",
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def error_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    if wants_problem_json(request):
        return problem_response(status, title, detail, errors=errors, headers=headers)
    from app.web.i18n import Translator

    _ = Translator(getattr(request.state, "lang", "lo"))
    if status == 401:  # a browser that must log in is sent to the login page, and back afterwards
        target = "/login?" + urlencode(
            {"next": request.url.path + (f"?{request.url.query}" if request.url.query else "")}
        )
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    if is_htmx(request):
        toast = {"toast": {"message": f"{_(title)}: {_(detail)}", "level": "error"}}
        hx_headers = {
            **(headers or {}),
            "HX-Trigger": json.dumps(toast, ensure_ascii=True),
            "HX-Reswap": "none",
        }
        return Response(status_code=status, headers=hx_headers)
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "detail": detail, "errors": errors or []},
        status_code=status,
        headers=headers,
        fragment=None,
    )


def _loc(loc: Any) -> list[Any]:
    return [p if isinstance(p, str | int) else str(p) for p in loc]


# What every error of the API looks like, for the OpenAPI document (see `document_problems`).
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An error, as RFC 9457 problem details; `errors` lists the fields at fault (422).",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                },
            },
        },
    },
}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Make the OpenAPI document say what the API really answers on errors: problem+json.

    FastAPI documents its own 422 shape (`{"detail": [...]}`), which this service never sends. Every
    operation's 422 is replaced by the Problem schema, and 4XX/5XX responses with it are added, so
    clients (and schemathesis' response checks) can rely on the error bodies too.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "422" in responses:
                responses["422"] = {"description": "Invalid request, with the fields at fault", "content": problem}
            for status, response in responses.items():  # e.g. a 413 documented by its description alone
                if str(status)[:1] in ("4", "5") and isinstance(response, dict) and "content" not in response:
                    response["content"] = problem
            responses.setdefault("4XX", {"description": "Refused (problem+json)", "content": problem})
            responses.setdefault(
                "5XX", {"description": "Server error or unavailable (problem+json)", "content": problem}
            )
    text = json.dumps(schema)
    for unused in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{unused}"' not in text:
            components.pop(unused, None)
    return schema


def _install_openapi_problems(app: FastAPI) -> None:
    build = app.openapi  # FastAPI's: cached, rebuilt when routes are added
    done: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        schema = build()
        if not done or done[0] is not schema:
            done[:] = [document_problems(schema)]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    _install_openapi_problems(app)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return error_response(request, exc.status_code, exc.title, exc.detail, errors=exc.errors, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        whole_body_rejected = any(tuple(e.get("loc", ())) == ("body",) for e in exc.errors())
        if whole_body_rejected and content_type and not content_type.endswith(("/json", "+json")):
            return error_response(
                request,
                415,
                "Unsupported media type",
                N_("Send the body as application/json (got {content_type!r}).", content_type=content_type[:60]),
            )
        if not wants_problem_json(request):  # a page: say it in words its `_()` can translate
            page_errors = [{"loc": _loc(e.get("loc", ())), "msg": error_message(e)} for e in exc.errors()]
            detail = N_("Some values in the address or the form are not valid.")
            return error_response(request, 422, "Unprocessable content", detail, errors=page_errors)
        errors = [{"loc": _loc(e.get("loc", ())), "msg": str(e.get("msg", "invalid"))} for e in exc.errors()]
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            detail = "The request body is not valid JSON."
        else:
            detail = "; ".join(f"{'.'.join(map(str, e['loc'][1:] or e['loc']))}: {e['msg']}" for e in errors)[:500]
        return error_response(request, 422, "Unprocessable content", detail or "Invalid request.", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        detail = (
            exc.detail
            if isinstance(exc.detail, str) and exc.detail != title
            else {
                404: N_("There is nothing at this address."),
                405: N_("This method is not allowed here."),
            }.get(status, title)
        )
        return error_response(request, status, title, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _value_out_of_range(request: Request, exc: Exception) -> Response:
        # A value the database cannot take, e.g. an id like 10**30 (SQLite: OverflowError "Python int too
        # large to convert to SQLite INTEGER"; PostgreSQL: DataError "integer out of range"): the
        # caller's mistake, not a server error. Logged, since it also means a schema lacks a bound.
        log.warning("value refused by the database: %s", str(exc).splitlines()[0][:200])
        return error_response(
            request, 422, "Unprocessable content", N_("A value in the request is out of range or cannot be stored.")
        )

    @app.exception_handler(PoolTimeoutError)
    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: Exception) -> Response:
        log.warning("database unavailable: %s", exc.__class__.__name__)
        return error_response(
            request,
            503,
            "Service unavailable",
            N_("The database is not answering; please try again in a moment."),
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error (request id %s)", getattr(request.state, "request_id", "-"))
        return error_response(
            request,
            500,
            "Internal server error",
            N_(
                "Something went wrong on our side (request id {request_id}).",
                request_id=getattr(request.state, "request_id", "-"),
            ),
        )
