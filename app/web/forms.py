"""HTML forms ⇄ API schemas: one validation for pages and the JSON API.

A form posts flat fields (`name_lo`, `name_en`, `name_th`, `price_lak`…); `form_to_schema` folds them into
the same pydantic schema the API uses, and turns its errors into {field: message} to show in place.
Messages stay English (`app.errors.Message`, `N_`) until a page's `_()` shows them in the visitor's language;
the JSON API keeps pydantic's own English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from app.errors import N_, DomainError

LANGS = ("lo", "en", "th")
M = TypeVar("M", bound=BaseModel)


def localized_from_form(form: FormData, field: str) -> dict[str, str]:
    return {lang: str(form.get(f"{field}_{lang}") or "").strip() for lang in LANGS if form.get(f"{field}_{lang}")}


def form_values(
    form: FormData,
    *,
    localized: tuple[str, ...] = (),
    lists: tuple[str, ...] = (),
    numbers: tuple[str, ...] = (),
    booleans: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Flat form fields → a dict for a schema. Empty inputs are left out (not set)."""
    skip = {"csrf_token", *ignore} | {f"{f}_{lang}" for f in localized for lang in LANGS}
    data: dict[str, Any] = {}
    for field in localized:
        value = localized_from_form(form, field)
        if value or any(f"{field}_{lang}" in form for lang in LANGS):
            data[field] = value
    for field in lists:
        values = [str(v).strip() for v in form.getlist(field) if str(v).strip()]
        if values or field in form:
            data[field] = values
    for key in form:
        if key in skip or key in data or key in lists:
            continue
        raw = str(form.get(key) or "").strip()
        if key in booleans:
            data[key] = raw in ("1", "on", "true", "yes")
        elif raw == "":
            continue
        elif key in numbers:
            data[key] = raw.replace(",", "").replace(" ", "")
        else:
            data[key] = raw
    for key in booleans:
        data.setdefault(key, False)
    return data


def form_to_schema(schema: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """Validate; on failure return {field: message} (for the first error of each field).

    The messages are English `Message`s (see `error_message`); the page's `_()` shows them in its language.
    """
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "__all__"
            errors.setdefault(field, error_message(err))
        return None, errors


def validated_write(
    session: Session, schema: type[M], data: dict[str, Any], write: Callable[[M], object], default_field: str
) -> tuple[dict[str, str], int]:
    """Validate a form's `data` and, if valid, run `write(parsed)` in a savepoint (a refusal leaves nothing
    half-written and the request's transaction usable for re-rendering the page).

    Returns (errors by field, status): ({}, 200) when written; 422 for invalid input; the service's own
    status when it refused (its error on the field it names, else on `default_field`).
    """
    parsed, errors = form_to_schema(schema, data)
    if parsed is None:
        return errors, 422
    try:
        with session.begin_nested():
            write(parsed)
    except DomainError as exc:
        return domain_error_field(exc, default=default_field), exc.status_code
    return {}, 200


# Fields whose pattern deserves a sentence of its own (string_pattern_mismatch).
_PATTERN_MESSAGES = {
    "phone": N_("Enter a phone number: digits, spaces and + ( ) . - only."),
    "whatsapp": N_("Enter a phone number: digits, spaces and + ( ) . - only."),
    "email": N_("Enter an e-mail address such as name@example.com."),
    "hs_code": N_("Enter an HS code: 4 to 10 digits, such as 5007.20."),
}
_NUMBER_TYPES = {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}
_DECIMAL_TYPES = {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}
_CHOICE_TYPES = {"enum", "literal_error"}
_DATE_TYPES = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"}
_DATETIME_TYPES = {"datetime_parsing", "datetime_from_date_parsing", "datetime_type", "datetime_object_invalid"}


def _number(value: Any) -> Any:
    """A bound as people write it: 1,000,000 rather than 1000000."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000 else value


def error_message(err: Mapping[str, Any]) -> str:
    """One pydantic error as an English sentence a page can translate: a `Message` (template + params).

    The one rule for turning validation errors into page text: by the error's `type` and `ctx`, never its
    English `msg`. Our own validators' messages (a ValueError carrying an `N_` message) are kept as they are.
    """
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    loc = err.get("loc") or ()
    field = str(loc[0]) if loc else ""
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        text = cause.args[0] if isinstance(cause, Exception) and cause.args else None
        if isinstance(text, str) and text:
            return text
        return N_("This value is not valid.")
    if kind == "missing":
        return N_("This field is required.")
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return N_("This field cannot be empty.")
        return N_("Enter at least {min_length} characters.", min_length=ctx["min_length"])
    if kind == "string_too_long":
        return N_("Enter at most {max_length} characters.", max_length=_number(ctx.get("max_length")))
    if kind == "too_short":
        return N_("Give at least {min_length} values.", min_length=ctx.get("min_length"))
    if kind == "too_long":
        return N_("Give at most {max_length} values.", max_length=ctx.get("max_length"))
    if kind == "greater_than_equal":
        if ctx.get("ge") == 0:
            return N_("Enter a number that is not negative.")
        return N_("Enter a number of at least {ge}.", ge=_number(ctx.get("ge")))
    if kind == "greater_than":
        if ctx.get("gt") == 0:
            return N_("Enter a number greater than zero.")
        return N_("Enter a number greater than {gt}.", gt=_number(ctx.get("gt")))
    if kind == "less_than_equal":
        return N_("Enter a number of at most {le}.", le=_number(ctx.get("le")))
    if kind == "less_than":
        return N_("Enter a number less than {lt}.", lt=_number(ctx.get("lt")))
    if kind in _NUMBER_TYPES:
        return N_("Enter a whole number, in digits only (such as 25000).")
    if kind in _DECIMAL_TYPES:
        return N_("Enter a number, in digits (such as 2.5).")
    if kind in ("bool_parsing", "bool_type"):
        return N_("Choose yes or no.")
    if kind in _CHOICE_TYPES:
        return N_("Choose one of the options offered.")
    if kind == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(field, N_("This is not in the expected form."))
    if kind in _DATE_TYPES:
        return N_("Enter a date such as 2026-12-31.")
    if kind in _DATETIME_TYPES:
        return N_("Enter a date and time such as 2026-12-31 09:00.")
    if kind.startswith("url_"):
        return N_("Enter a web address starting with https://.")
    if kind == "extra_forbidden":
        return N_("This field is not expected here.")
    return N_("This value is not valid.")


def domain_error_field(exc: DomainError, default: str = "__all__") -> dict[str, str]:
    """A service's error, attached to the field it names (its `loc`), or to the whole form.

    `exc.detail` stays the English text (a `Message` or an `N_`-marked string); the template's `_()` translates it.
    """
    if exc.errors:
        loc = exc.errors[0].get("loc") or []
        return {str(loc[-1]) if loc else default: exc.detail}
    return {default: exc.detail}


async def posted_form(request: Request) -> FormData:
    """The submitted form (parsed once; Starlette caches it), for sync handlers with dynamic field names."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]
