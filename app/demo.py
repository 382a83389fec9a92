"""Demo data: accounts for every role now; the catalogue adds producers, products and photos."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.auth import service as auth_service
from app.auth.models import Role, User
from app.auth.security import make_password_hasher
from app.config import Settings
from app.db import Database

# Well-known demo logins, printed by `make run`; never created in production.
DEMO_PASSWORD = "odop-demo-2026"
DEMO_ACCOUNTS = [
    ("admin@odop.la", Role.admin, "ODOP administrator"),
    ("staff@odop.la", Role.staff, "Trade promotion officer"),
    ("producer@odop.la", Role.producer, "Ban Xang Khong weavers"),
    ("buyer@odop.la", Role.buyer, "Mekong Fine Goods"),
]


def seed_demo_data(
    db: Database, settings: Settings, *, products: int, if_empty: bool, seed: int, console: Any = None
) -> str:
    if settings.is_production:
        raise SystemExit("refusing to load demo data with ODOP_ENV=production")
    hasher = make_password_hasher(settings)
    with db.session(write=True) as session:
        if if_empty and session.exec(select(User.id).where(User.email == DEMO_ACCOUNTS[0][0])).first():
            return "demo data already loaded"
        created = 0
        for email, role, name in DEMO_ACCOUNTS:
            if session.exec(select(User.id).where(User.email == email)).first() is None:
                auth_service.create_user(
                    session, hasher, email=email, password=DEMO_PASSWORD, role=role, display_name=name
                )
                created += 1
    return f"demo accounts: {created} created (password {DEMO_PASSWORD!r})"
