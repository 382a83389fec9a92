"""HTML forms ⇄ API schemas: one validation for pages and the JSON API.

A form posts flat fields (`name_lo`, `name_en`, `name_th`, `price_lak`…); `form_to_schema` folds them into
the same pydantic schema the API uses, and turns its errors into {field: message} to show in place.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from app.errors import DomainError

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
    """Validate; on failure return {field: readable message} (for the first error of each field)."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "__all__"
            message = str(err["msg"]).removeprefix("Value error, ")
            errors.setdefault(field, message)
        return None, errors


def domain_error_field(exc: DomainError, default: str = "__all__") -> dict[str, str]:
    """A service's error, attached to the field it names (its `loc`), or to the whole form."""
    if exc.errors:
        loc = exc.errors[0].get("loc") or []
        return {str(loc[-1]) if loc else default: exc.detail}
    return {default: exc.detail}


async def posted_form(request: Request) -> FormData:
    """The submitted form (parsed once; Starlette caches it), for sync handlers with dynamic field names."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]
