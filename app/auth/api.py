"""Accounts over the JSON API: register, token (OAuth2 password flow), me, logout."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.deps import CurrentUser, HasherDep, LimiterDep, client_address
from app.auth.models import Role, SessionKind
from app.auth.schemas import RegisterIn, TokenOut, UserPublic
from app.db import SessionDep
from app.ratelimit import REGISTRATIONS_PER_ADDRESS

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=UserPublic)
def register(
    body: RegisterIn, request: Request, session: SessionDep, hasher: HasherDep, limiter: LimiterDep
) -> UserPublic:
    """Create a producer or buyer account. Staff and admins are created with `odop create-user`."""
    limiter.consume(REGISTRATIONS_PER_ADDRESS, "register", client_address(request))
    user = service.create_user(
        session,
        hasher,
        email=body.email,
        password=body.password,
        role=Role(body.role),
        display_name=body.display_name,
        phone=body.phone,
    )
    return service.public_user(session, user)


@router.post("/token", response_model=TokenOut)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    hasher: HasherDep,
    limiter: LimiterDep,
) -> TokenOut:
    """Exchange email (as `username`) and password for a bearer token."""
    user = service.authenticate(
        session, hasher, limiter, email=form.username, password=form.password, address=client_address(request)
    )
    hours = request.app.state.settings.token_hours
    secret = service.start_session(session, user, SessionKind.bearer, dt.timedelta(hours=hours))
    return TokenOut(access_token=secret, expires_in=hours * 3600)


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser, session: SessionDep) -> UserPublic:
    return service.public_user(session, user)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    """Revoke the bearer token used for this call."""
    _, _, secret = request.headers.get("authorization", "").partition(" ")
    if secret:
        service.end_session(session, secret.strip())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
