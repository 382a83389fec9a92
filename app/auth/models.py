"""Accounts and their sessions (cookie sessions for pages, bearer tokens for the API)."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Role(enum.StrEnum):
    admin = "admin"
    staff = "staff"
    producer = "producer"
    buyer = "buyer"


STAFF_ROLES = frozenset({Role.admin, Role.staff})
SELF_SERVICE_ROLES = frozenset({Role.producer, Role.buyer})


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased and trimmed (see auth.service.normalise_email): unique case-insensitively.
    email: str = Field(sa_column=sa.Column(sa.String(254), nullable=False, unique=True))
    password_hash: str = Field(sa_column=sa.Column(sa.String(255), nullable=False))
    role: Role = Field(sa_column=sa.Column(sa.String(16), nullable=False))
    display_name: str = Field(sa_column=sa.Column(sa.String(120), nullable=False))
    phone: str | None = Field(default=None, sa_column=sa.Column(sa.String(40)))
    is_active: bool = Field(default=True, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.true()))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))

    __table_args__ = (sa.CheckConstraint("role IN ('admin','staff','producer','buyer')", name="role_known"),)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


class SessionKind(enum.StrEnum):
    cookie = "cookie"
    bearer = "bearer"


class AuthSession(SQLModel, table=True):
    """A login. Only the SHA-256 of the secret is stored, so a database leak yields no live sessions."""

    __tablename__ = "auth_session"

    token_hash: str = Field(sa_column=sa.Column(sa.String(64), primary_key=True))
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: SessionKind = Field(sa_column=sa.Column(sa.String(8), nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    expires_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
