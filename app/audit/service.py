"""Recording the audit trail. Every write of a service that matters calls `record`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.audit.models import AuditEvent
from app.auth.models import User


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    on_behalf: bool = False,
    **details: Any,
) -> None:
    session.add(
        AuditEvent(
            actor_user_id=actor.id if actor else None,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            on_behalf=on_behalf,
            details=details,
        )
    )
