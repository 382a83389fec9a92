"""Buyer profiles (what a buyer looks for) and inquiries (a buyer's question about a product)."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.catalogue.models import Product
from app.db import LocalizedJSON, UTCDateTime, utcnow


class BuyerType(enum.StrEnum):
    retailer = "retailer"
    wholesaler = "wholesaler"
    exporter = "exporter"
    hotel_restaurant = "hotel_restaurant"
    distributor = "distributor"


def _user_fk(*, ondelete: str, nullable: bool = True, index: bool = False, unique: bool = False) -> sa.Column:
    return sa.Column(
        sa.Integer,
        sa.ForeignKey("user_account.id", ondelete=ondelete),
        nullable=nullable,
        index=index,
        unique=unique,
    )


class Buyer(SQLModel, table=True):
    """A buyer's profile: who they are, what they need, how to reach them.

    A buyer account owns at most one (``user_id``); staff may keep one for a buyer without an account.
    """

    __tablename__ = "buyer"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, sa_column=_user_fk(ondelete="SET NULL", unique=True))
    organisation: str = Field(sa_column=sa.Column(sa.String(200), nullable=False))
    country: str = Field(sa_column=sa.Column(sa.String(2), nullable=False))  # ISO 3166-1 alpha-2, e.g. LA, TH
    buyer_type: BuyerType | None = Field(default=None, sa_column=sa.Column(sa.String(20), nullable=True))
    categories: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    keywords: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    volume_per_month: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    price_max_lak: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    certifications_required: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    provinces: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    languages: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    contact_name: str | None = Field(default=None, sa_column=sa.Column(sa.String(120)))
    email: str | None = Field(default=None, sa_column=sa.Column(sa.String(254)))
    phone: str | None = Field(default=None, sa_column=sa.Column(sa.String(40)))
    whatsapp: str | None = Field(default=None, sa_column=sa.Column(sa.String(40)))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_by_user_id: int | None = Field(default=None, sa_column=_user_fk(ondelete="SET NULL"))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_by_user_id: int | None = Field(default=None, sa_column=_user_fk(ondelete="SET NULL"))

    __table_args__ = (
        sa.CheckConstraint(
            "buyer_type IS NULL OR buyer_type IN ('retailer','wholesaler','exporter','hotel_restaurant','distributor')",
            name="buyer_type_known",
        ),
        sa.CheckConstraint("volume_per_month IS NULL OR volume_per_month >= 0", name="volume_not_negative"),
        sa.CheckConstraint("price_max_lak IS NULL OR price_max_lak >= 0", name="price_not_negative"),
    )


class Inquiry(SQLModel, table=True):
    """A buyer's question about a product; the producer reads it in an inbox.

    ``producer_id`` is copied from the product so an inbox is one index scan.
    """

    __tablename__ = "inquiry"

    id: int | None = Field(default=None, primary_key=True)
    sender_user_id: int = Field(sa_column=_user_fk(ondelete="CASCADE", nullable=False, index=True))
    buyer_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("buyer.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    product_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("product.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    producer_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("producer.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    message: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    quantity: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    read_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))

    __table_args__ = (sa.CheckConstraint("quantity IS NULL OR quantity > 0", name="quantity_positive"),)


# The first pass of the match score (app.matching.repository.numeric_stats) reads only these columns
# of the published products in some categories. Covering them keeps it off the wide product rows:
# on 100,000 products the pass takes a few milliseconds instead of a few hundred on SQLite.
# Declared here, next to the query that needs it; the catalogue's writes keep it up to date.
_product = Product.__table__.c
MATCH_INDEX = sa.Index(
    "ix_product_match",
    _product.category,
    _product.status,
    _product.deleted_at,
    _product.producer_id,
    _product.province_code,
    _product.price_lak,
    _product.monthly_capacity,
    _product.moq,
    _product.stars,
    _product.stars_valid_until,
)
