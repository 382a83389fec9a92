"""The well-known demo logins, one for every role."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlmodel import Session, select

from app.auth import service as auth_service
from app.auth.models import Role, User

# Well-known demo logins, printed by `make run`; never created in production.
DEMO_PASSWORD = "odop-demo-2026"
DEMO_ACCOUNTS = [
    ("admin@odop.la", Role.admin, "ODOP administrator"),
    ("staff@odop.la", Role.staff, "Trade promotion officer"),
    ("producer@odop.la", Role.producer, "Ban Xang Khong weavers"),
    ("buyer@odop.la", Role.buyer, "Mekong Fine Goods"),
]


@dataclass(frozen=True, slots=True)
class DemoAccounts:
    """The demo accounts by role, and how many of them this run created."""

    admin: User
    staff: User  # creates and grades the generated catalogue
    producer: User  # owns the showcase producer
    buyer: User
    created: int


def ensure_demo_accounts(session: Session, hasher: PasswordHasher) -> DemoAccounts:
    """Create the demo accounts that do not exist yet; return all of them."""
    users: dict[Role, User] = {}
    created = 0
    for email, role, name in DEMO_ACCOUNTS:
        user = session.exec(select(User).where(User.email == email)).first()
        if user is None:
            user = auth_service.create_user(
                session, hasher, email=email, password=DEMO_PASSWORD, role=role, display_name=name
            )
            created += 1
        users[role] = user
    return DemoAccounts(users[Role.admin], users[Role.staff], users[Role.producer], users[Role.buyer], created)
