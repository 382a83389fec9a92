"""Imports every domain's tables so that SQLModel.metadata is complete (for Alembic and tests)."""

from app.auth.models import AuthSession, User  # noqa: F401
from app.catalogue.reference import Category, Province  # noqa: F401
