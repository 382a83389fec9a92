"""Catalogue: producers, products, star grades, photos, showrooms and listings; the audit trail.

Revision ID: 20261124_catalogue
Revises: 20261124_foundation
Create Date: 2026-11-24 07:35:58.481361
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261124_catalogue"
down_revision: str | None = "20261124_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)
PUBLIC_PRODUCT_SQL = sa.text("status = 'published' AND deleted_at IS NULL")
REVIEW_SQL = sa.text("deleted_at IS NULL AND (status = 'submitted' OR pending_changes IS NOT NULL)")
PUBLIC_LIST_INDEXES = [
    ("recent", []),
    ("province", ["province_code"]),
    ("category", ["category"]),
    ("producer", ["producer_id"]),
]


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_event_actor_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_actor_user_id"), ["actor_user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "producer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", JSON, nullable=False),
        sa.Column("description", JSON, nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("district", sa.String(length=120), nullable=True),
        sa.Column("village", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("whatsapp", sa.String(length=40), nullable=True),
        sa.Column("facebook", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("founded_year", sa.Integer(), nullable=True),
        sa.Column("members_count", sa.Integer(), nullable=True),
        sa.Column("women_members_count", sa.Integer(), nullable=True),
        sa.Column("women_led", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("search_text", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint("kind IN ('enterprise','group','cooperative')", name=op.f("ck_producer_kind_known")),
        sa.CheckConstraint(
            "members_count IS NULL OR members_count >= 0", name=op.f("ck_producer_members_not_negative")
        ),
        sa.CheckConstraint(
            "women_members_count IS NULL OR women_members_count >= 0",
            name=op.f("ck_producer_women_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_producer_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["user_account.id"],
            name=op.f("fk_producer_owner_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"], name=op.f("fk_producer_province_code_province")),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_producer_updated_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_producer")),
        sa.UniqueConstraint("owner_user_id", name=op.f("uq_producer_owner_user_id")),
    )
    with op.batch_alter_table("producer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_producer_province_code"), ["province_code"], unique=False)

    op.create_table(
        "showroom",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", JSON, nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("opening_hours", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"], name=op.f("fk_showroom_province_code_province")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_showroom")),
    )
    with op.batch_alter_table("showroom", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_showroom_province_code"), ["province_code"], unique=False)

    op.create_table(
        "product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=48), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("name", JSON, nullable=False),
        sa.Column("description", JSON, nullable=False),
        sa.Column("materials", JSON, nullable=False),
        sa.Column("price_lak", sa.BigInteger(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("moq", sa.Integer(), nullable=True),
        sa.Column("monthly_capacity", sa.Integer(), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.Column("hs_code", sa.String(length=12), nullable=True),
        sa.Column("certifications", JSON, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("pending_changes", JSON, nullable=True),
        sa.Column("submitted_at", UTC_DATETIME, nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("reviewed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", UTC_DATETIME, nullable=True),
        sa.Column("published_at", UTC_DATETIME, nullable=True),
        sa.Column("stars", sa.SmallInteger(), nullable=True),
        sa.Column("stars_valid_until", UTC_DATETIME, nullable=True),
        sa.Column("search_name", sa.Text(), server_default="", nullable=False),
        sa.Column("search_body", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint(
            "status IN ('draft','submitted','published','rejected')", name=op.f("ck_product_status_known")
        ),
        sa.CheckConstraint(
            "monthly_capacity IS NULL OR monthly_capacity >= 0", name=op.f("ck_product_capacity_not_negative")
        ),
        sa.CheckConstraint("moq IS NULL OR moq >= 0", name=op.f("ck_product_moq_not_negative")),
        sa.CheckConstraint("price_lak IS NULL OR price_lak >= 0", name=op.f("ck_product_price_not_negative")),
        sa.CheckConstraint("stars IS NULL OR (stars BETWEEN 1 AND 5)", name=op.f("ck_product_stars_range")),
        sa.ForeignKeyConstraint(["category"], ["category.slug"], name=op.f("fk_product_category_category")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_product_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["producer.id"], name=op.f("fk_product_producer_id_producer"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"], name=op.f("fk_product_province_code_province")),
        sa.ForeignKeyConstraint(
            ["reviewed_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_product_reviewed_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_product_updated_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_price_lak"), ["price_lak"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_producer_id"), ["producer_id"], unique=False)
    # What waits for review (REVIEW_SQL), oldest first.
    op.create_index(
        "ix_product_review",
        "product",
        ["submitted_at", "status", "province_code", "category"],
        unique=False,
        sqlite_where=REVIEW_SQL,
        postgresql_where=REVIEW_SQL,
    )
    # Partial indexes of the public lists (status = 'published' AND deleted_at IS NULL), newest first.
    for name, columns in PUBLIC_LIST_INDEXES:
        op.create_index(
            f"ix_product_public_{name}",
            "product",
            [*columns, "published_at"],
            unique=False,
            sqlite_where=PUBLIC_PRODUCT_SQL,
            postgresql_where=PUBLIC_PRODUCT_SQL,
        )

    op.create_table(
        "product_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("stars", sa.SmallInteger(), nullable=False),
        sa.Column("graded_by_user_id", sa.Integer(), nullable=True),
        sa.Column("graded_at", UTC_DATETIME, nullable=False),
        sa.Column("valid_until", UTC_DATETIME, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name=op.f("ck_product_grade_stars_range")),
        sa.ForeignKeyConstraint(
            ["graded_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_product_grade_graded_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_product_grade_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_grade")),
    )
    with op.batch_alter_table("product_grade", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_grade_product_id"), ["product_id"], unique=False)

    op.create_table(
        "product_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("paths", JSON, nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_product_image_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_product_image_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_image")),
    )
    with op.batch_alter_table("product_image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_image_product_id"), ["product_id"], unique=False)

    op.create_table(
        "showroom_listing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("showroom_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("featured", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_showroom_listing_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_showroom_listing_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_showroom_listing_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["showroom_id"],
            ["showroom.id"],
            name=op.f("fk_showroom_listing_showroom_id_showroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_showroom_listing")),
        sa.UniqueConstraint("showroom_id", "product_id", name="uq_showroom_listing_showroom_product"),
    )
    with op.batch_alter_table("showroom_listing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_showroom_listing_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_showroom_listing_showroom_id"), ["showroom_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("showroom_listing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_showroom_listing_showroom_id"))
        batch_op.drop_index(batch_op.f("ix_showroom_listing_product_id"))

    op.drop_table("showroom_listing")
    with op.batch_alter_table("product_image", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_image_product_id"))

    op.drop_table("product_image")
    with op.batch_alter_table("product_grade", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_grade_product_id"))

    op.drop_table("product_grade")
    op.drop_index("ix_product_review", table_name="product")
    for name, _columns in PUBLIC_LIST_INDEXES:
        op.drop_index(f"ix_product_public_{name}", table_name="product")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_producer_id"))
        batch_op.drop_index(batch_op.f("ix_product_price_lak"))
        batch_op.drop_index(batch_op.f("ix_product_category"))

    op.drop_table("product")
    with op.batch_alter_table("showroom", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_showroom_province_code"))

    op.drop_table("showroom")
    with op.batch_alter_table("producer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_producer_province_code"))

    op.drop_table("producer")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_user_id"))

    op.drop_table("audit_event")
