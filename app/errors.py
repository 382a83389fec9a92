"""Domain errors: each carries its HTTP status, so one handler (app.web.errors) can render it
as problem+json for the API, an error page for a browser, or a toast for an HTMX request."""

from __future__ import annotations

from typing import Any


class Message(str):
    """English text that can be translated later: the English msgid `template` and its `params`.

    It *is* the English sentence (a str: the JSON API, logs and `==` see plain English), and a page's
    translator turns it into the visitor's language with `gettext(template).format(**params)`
    (app.web.i18n.Translator). Params that are Messages themselves are translated too.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        text = super().__new__(cls, template.format(**params) if params else template)
        text.template = template
        text.params = params
        return text


def N_(message: str, /, **params: Any) -> str:
    """Marks an English message for extraction (`make messages`); it is translated where it is shown.

    Without params it returns the message itself; with params, a `Message` (the formatted English text,
    which still knows its template): `N_("There is no product {product_id}.", product_id=7)`.
    """
    return Message(message, **params) if params else message


class DomainError(Exception):
    """Base of every error a user can cause. Never raised for programming mistakes."""

    status_code: int = 400
    title: str = "Bad request"
    type: str = "about:blank"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}
        super().__init__(self.detail)


class BadRequest(DomainError):
    status_code = 400
    title = "Bad request"


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Not authenticated"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(DomainError):
    status_code = 403
    title = "Forbidden"


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class PayloadTooLarge(DomainError):
    status_code = 413
    title = "Payload too large"


class UnsupportedMediaType(DomainError):
    status_code = 415
    title = "Unsupported media type"


class Unprocessable(DomainError):
    """The request is well-formed but a value breaks a rule (422, with per-field `errors`)."""

    status_code = 422
    title = "Unprocessable content"

    def __init__(self, detail: str | None = None, *, loc: list[str | int] | None = None, **kw: Any) -> None:
        if loc is not None and "errors" not in kw:
            kw["errors"] = [{"loc": loc, "msg": detail or self.title}]
        super().__init__(detail, **kw)


class TooManyRequests(DomainError):
    status_code = 429
    title = "Too many requests"

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(
            detail or N_("Too many attempts; try again in {retry_after} s.", retry_after=retry_after),
            headers={"Retry-After": str(max(1, int(retry_after)))},
        )
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    status_code = 503
    title = "Service unavailable"


class InsufficientStorage(DomainError):
    status_code = 507
    title = "Insufficient storage"
