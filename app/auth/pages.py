"""Login, logout and sign-up pages (session cookie)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.auth import service
from app.auth.deps import SESSION_COOKIE, HasherDep, LimiterDep, OptionalUser, client_address
from app.auth.models import Role, SessionKind, User
from app.auth.security import MIN_PASSWORD_LENGTH, make_csrf_token
from app.db import SessionDep
from app.errors import N_, DomainError
from app.ratelimit import REGISTRATIONS_PER_ADDRESS
from app.web.templating import render

router = APIRouter()


def safe_next(target: str | None, default: str = "/my") -> str:
    """Only local paths: an open redirect would make our login page a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _logged_in(request: Request, session: SessionDep, user: User, target: str) -> Response:
    settings = request.app.state.settings
    secret = service.start_session(session, user, SessionKind.cookie, dt.timedelta(days=settings.session_days))
    old = request.cookies.get(SESSION_COOKIE)
    if old:  # rotate: the pre-login session id is never reused
        service.end_session(session, old)
    request.state.csrf_token = make_csrf_token(settings.secret_key)  # a new CSRF token per login
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.is_production,
        path="/",
    )
    return response


@router.get("/login")
def login_form(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    return render(request, "auth/login.html", {"next": safe_next(next), "email": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    hasher: HasherDep,
    limiter: LimiterDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        user = service.authenticate(
            session, hasher, limiter, email=email, password=password, address=client_address(request)
        )
    except DomainError as exc:
        headers = exc.headers or None
        return render(
            request,
            "auth/login.html",
            {"next": safe_next(next), "email": email, "error": exc.detail},
            status_code=exc.status_code,
            headers=headers,
        )
    return _logged_in(request, session, user, safe_next(next))


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        service.end_session(session, secret)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/register")
def register_form(request: Request, user: OptionalUser, role: str = "producer") -> Response:
    return render(
        request,
        "auth/register.html",
        {
            "values": {"role": role if role in ("producer", "buyer") else "producer"},
            "errors": {},
            "min_password": MIN_PASSWORD_LENGTH,
        },
    )


@router.post("/register")
def register(
    request: Request,
    session: SessionDep,
    hasher: HasherDep,
    limiter: LimiterDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    display_name: Annotated[str, Form(max_length=120)] = "",
    role: Annotated[str, Form(max_length=16)] = "producer",
) -> Response:
    values = {"email": email, "display_name": display_name, "role": role}
    errors: dict[str, str] = {}
    if role not in ("producer", "buyer"):
        errors["role"] = N_("Choose producer or buyer.")
    if not display_name.strip():
        errors["display_name"] = N_("Enter your name or your group's name.")
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = N_("The password must have at least {n} characters.", n=MIN_PASSWORD_LENGTH)
    user = None
    if not errors:
        try:
            limiter.consume(REGISTRATIONS_PER_ADDRESS, "register", client_address(request))
            user = service.create_user(
                session, hasher, email=email, password=password, role=Role(role), display_name=display_name
            )
        except DomainError as exc:
            field = (exc.errors or [{}])[0].get("loc", ["", "email"])[-1] if exc.errors else "email"
            errors[str(field)] = exc.detail
    if errors or user is None:
        return render(
            request,
            "auth/register.html",
            {"values": values, "errors": errors, "min_password": MIN_PASSWORD_LENGTH},
            status_code=422,
        )
    return _logged_in(request, session, user, "/my")
