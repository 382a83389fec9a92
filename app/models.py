"""Imports every domain's tables so that SQLModel.metadata is complete (for Alembic and tests)."""

from app.audit.models import AuditEvent  # noqa: F401
from app.auth.models import AuthSession, User  # noqa: F401
from app.catalogue.models import (  # noqa: F401
    Producer,
    Product,
    ProductGrade,
    ProductImage,
    Showroom,
    ShowroomListing,
)
from app.catalogue.reference import Category, Province  # noqa: F401
from app.events.models import Event, EventParticipant, Meeting, MeetingRequest  # noqa: F401
from app.matching.models import Buyer, Inquiry  # noqa: F401
