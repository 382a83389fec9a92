"""The audit trail: who created, changed, graded, published or deleted what, and when."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import LocalizedJSON, UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False, index=True))
    actor_user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    action: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))  # e.g. product.publish
    entity_type: str = Field(sa_column=sa.Column(sa.String(40), nullable=False))
    entity_id: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    # True when staff acted on a producer's behalf.
    on_behalf: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    details: dict = Field(default_factory=dict, sa_column=sa.Column(LocalizedJSON, nullable=False))

    __table_args__ = (sa.Index("ix_audit_event_entity", "entity_type", "entity_id"),)
