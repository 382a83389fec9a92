"""Producers, products, their grades and photos, the physical showrooms and their listings."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import LocalizedJSON, NullableJSON, UTCDateTime, utcnow


class ProducerKind(enum.StrEnum):
    enterprise = "enterprise"
    group = "group"
    cooperative = "cooperative"


class ProductStatus(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"
    published = "published"
    rejected = "rejected"


# What a public list shows. A literal, not a bound parameter: SQLite uses a partial index only when the
# query's WHERE states the index's condition itself (see repository.public_product_condition).
PUBLIC_PRODUCT_SQL = sa.text("status = 'published' AND deleted_at IS NULL")

# What waits for staff review: new submissions and edits of published products (the review queue, the dashboard).
REVIEW_SQL = sa.text("deleted_at IS NULL AND (status = 'submitted' OR pending_changes IS NOT NULL)")

# Grades are renewed every two years; an expired grade no longer shows.
GRADE_VALIDITY = dt.timedelta(days=730)


def _fk(target: str, *, nullable: bool = False, ondelete: str | None = None, index: bool = True) -> sa.Column:
    return sa.Column(sa.Integer, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


class Producer(SQLModel, table=True):
    __tablename__ = "producer"

    id: int | None = Field(default=None, primary_key=True)
    owner_user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, unique=True
        ),
    )
    kind: ProducerKind = Field(default=ProducerKind.enterprise, sa_column=sa.Column(sa.String(16), nullable=False))
    name: dict = Field(sa_column=sa.Column(LocalizedJSON, nullable=False))
    description: dict = Field(default_factory=dict, sa_column=sa.Column(LocalizedJSON, nullable=False))
    province_code: str = Field(
        sa_column=sa.Column(sa.String(8), sa.ForeignKey("province.code"), nullable=False, index=True)
    )
    district: str | None = Field(default=None, sa_column=sa.Column(sa.String(120)))
    village: str | None = Field(default=None, sa_column=sa.Column(sa.String(120)))
    phone: str | None = Field(default=None, sa_column=sa.Column(sa.String(40)))
    whatsapp: str | None = Field(default=None, sa_column=sa.Column(sa.String(40)))
    facebook: str | None = Field(default=None, sa_column=sa.Column(sa.String(300)))
    email: str | None = Field(default=None, sa_column=sa.Column(sa.String(254)))
    founded_year: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    members_count: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    women_members_count: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    women_led: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    # Folded name (every language), district and village, for search (app.search).
    search_text: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )
    deleted_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))

    __table_args__ = (
        sa.CheckConstraint("kind IN ('enterprise','group','cooperative')", name="kind_known"),
        sa.CheckConstraint("members_count IS NULL OR members_count >= 0", name="members_not_negative"),
        sa.CheckConstraint("women_members_count IS NULL OR women_members_count >= 0", name="women_not_negative"),
    )


class Product(SQLModel, table=True):
    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    producer_id: int = Field(sa_column=_fk("producer.id", ondelete="CASCADE"))
    category: str = Field(
        sa_column=sa.Column(sa.String(48), sa.ForeignKey("category.slug"), nullable=False, index=True)
    )
    # Copied from the producer (kept in step by the catalogue service) so a province's list is one index scan.
    province_code: str = Field(sa_column=sa.Column(sa.String(8), sa.ForeignKey("province.code"), nullable=False))
    name: dict = Field(sa_column=sa.Column(LocalizedJSON, nullable=False))
    description: dict = Field(default_factory=dict, sa_column=sa.Column(LocalizedJSON, nullable=False))
    materials: dict = Field(default_factory=dict, sa_column=sa.Column(LocalizedJSON, nullable=False))
    price_lak: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True, index=True))
    unit: str | None = Field(default=None, sa_column=sa.Column(sa.String(40)))
    moq: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    monthly_capacity: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    lead_time_days: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    hs_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(12)))
    certifications: list = Field(default_factory=list, sa_column=sa.Column(LocalizedJSON, nullable=False))
    status: ProductStatus = Field(default=ProductStatus.draft, sa_column=sa.Column(sa.String(12), nullable=False))
    # Edits of a published product's text wait here for review; the live text stays online meanwhile.
    pending_changes: dict | None = Field(default=None, sa_column=sa.Column(NullableJSON, nullable=True))
    submitted_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    review_note: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    reviewed_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )
    reviewed_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    published_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    # The current grade, copied from the newest ProductGrade so lists can filter on an index.
    stars: int | None = Field(default=None, sa_column=sa.Column(sa.SmallInteger, nullable=True))
    stars_valid_until: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    # Folded text for search (app.search): names in every language, then everything else.
    search_name: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    search_body: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )
    deleted_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))

    __table_args__ = (
        sa.CheckConstraint("status IN ('draft','submitted','published','rejected')", name="status_known"),
        sa.CheckConstraint("price_lak IS NULL OR price_lak >= 0", name="price_not_negative"),
        sa.CheckConstraint("moq IS NULL OR moq >= 0", name="moq_not_negative"),
        sa.CheckConstraint("monthly_capacity IS NULL OR monthly_capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("stars IS NULL OR (stars BETWEEN 1 AND 5)", name="stars_range"),
        # The public lists (published, not deleted, newest first), overall and per province, category and
        # producer: partial indexes, so a page and its count read only the index.
        *(
            sa.Index(
                f"ix_product_public_{name}",
                *columns,
                "published_at",
                sqlite_where=PUBLIC_PRODUCT_SQL,
                postgresql_where=PUBLIC_PRODUCT_SQL,
            )
            for name, columns in (
                ("recent", ()),
                ("province", ("province_code",)),
                ("category", ("category",)),
                ("producer", ("producer_id",)),
            )
        ),
        # What waits for review (the staff queue, the dashboard), oldest first.
        sa.Index(
            "ix_product_review",
            "submitted_at",
            "status",
            "province_code",
            "category",
            sqlite_where=REVIEW_SQL,
            postgresql_where=REVIEW_SQL,
        ),
    )


class ProductGrade(SQLModel, table=True):
    """An ODOP star grading: a record (who, when, until when), not just a number."""

    __tablename__ = "product_grade"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(sa_column=_fk("product.id", ondelete="CASCADE"))
    stars: int = Field(sa_column=sa.Column(sa.SmallInteger, nullable=False))
    graded_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )
    graded_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    valid_until: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text))

    __table_args__ = (sa.CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),)


class ProductImage(SQLModel, table=True):
    __tablename__ = "product_image"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(sa_column=_fk("product.id", ondelete="CASCADE"))
    position: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False))  # 0 is the cover
    content_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    paths: dict = Field(sa_column=sa.Column(LocalizedJSON, nullable=False))  # {"320": relpath, ...}
    width: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    height: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )


class Showroom(SQLModel, table=True):
    """A physical ODOP showroom (Luang Namtha, Oudomxay, Salavan…)."""

    __tablename__ = "showroom"

    id: int | None = Field(default=None, primary_key=True)
    name: dict = Field(sa_column=sa.Column(LocalizedJSON, nullable=False))
    province_code: str = Field(
        sa_column=sa.Column(sa.String(8), sa.ForeignKey("province.code"), nullable=False, index=True)
    )
    address: str | None = Field(default=None, sa_column=sa.Column(sa.String(300)))
    phone: str | None = Field(default=None, sa_column=sa.Column(sa.String(40)))
    opening_hours: str | None = Field(default=None, sa_column=sa.Column(sa.String(200)))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class ShowroomListing(SQLModel, table=True):
    """A product that staff placed in a showroom, optionally featured, for a period."""

    __tablename__ = "showroom_listing"

    id: int | None = Field(default=None, primary_key=True)
    showroom_id: int = Field(sa_column=_fk("showroom.id", ondelete="CASCADE"))
    product_id: int = Field(sa_column=_fk("product.id", ondelete="CASCADE"))
    featured: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    starts_on: dt.date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    ends_on: dt.date | None = Field(default=None, sa_column=sa.Column(sa.Date, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_by_user_id: int | None = Field(
        default=None, sa_column=_fk("user_account.id", nullable=True, ondelete="SET NULL", index=False)
    )

    __table_args__ = (
        sa.UniqueConstraint("showroom_id", "product_id", name="uq_showroom_listing_showroom_product"),
        sa.CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
    )
