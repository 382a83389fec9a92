"""Business matching and matching events: buyer profiles, inquiries, events, participants, meeting
requests and meetings; a covering index on products for the match score.

Revision ID: 20261124_matching_events
Revises: 20261124_catalogue
Create Date: 2026-11-24 07:51:08.275866
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261124_matching_events"
down_revision: str | None = "20261124_catalogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NULLABLE_JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "buyer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("buyer_type", sa.String(length=20), nullable=True),
        sa.Column("categories", JSON, nullable=False),
        sa.Column("keywords", JSON, nullable=False),
        sa.Column("volume_per_month", sa.Integer(), nullable=True),
        sa.Column("price_max_lak", sa.BigInteger(), nullable=True),
        sa.Column("certifications_required", JSON, nullable=False),
        sa.Column("provinces", JSON, nullable=False),
        sa.Column("languages", JSON, nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("whatsapp", sa.String(length=40), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "buyer_type IS NULL OR buyer_type IN ('retailer','wholesaler','exporter','hotel_restaurant','distributor')",
            name=op.f("ck_buyer_buyer_type_known"),
        ),
        sa.CheckConstraint("price_max_lak IS NULL OR price_max_lak >= 0", name=op.f("ck_buyer_price_not_negative")),
        sa.CheckConstraint(
            "volume_per_month IS NULL OR volume_per_month >= 0", name=op.f("ck_buyer_volume_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_buyer_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_buyer_updated_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_buyer_user_id_user_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buyer")),
        sa.UniqueConstraint("user_id", name=op.f("uq_buyer_user_id")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("province_code", sa.String(length=8), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("starts_at", UTC_DATETIME, nullable=False),
        sa.Column("ends_at", UTC_DATETIME, nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("tables", sa.Integer(), nullable=False),
        sa.Column("interpreters_per_slot", sa.Integer(), nullable=True),
        sa.Column("schedule_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("scheduled_at", UTC_DATETIME, nullable=True),
        sa.Column("schedule_summary", NULLABLE_JSON, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_event_ends_after_start")),
        sa.CheckConstraint(
            "interpreters_per_slot IS NULL OR interpreters_per_slot >= 0",
            name=op.f("ck_event_interpreters_not_negative"),
        ),
        sa.CheckConstraint("slot_minutes > 0", name=op.f("ck_event_slot_minutes_positive")),
        sa.CheckConstraint("tables >= 1", name=op.f("ck_event_tables_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_event_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["province_code"], ["province.code"], name=op.f("fk_event_province_code_province")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_province_code"), ["province_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "event_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("producer_id", sa.Integer(), nullable=True),
        sa.Column("approved", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("unavailable_slots", JSON, nullable=False),
        sa.Column("languages", JSON, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("registered_by_user_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", UTC_DATETIME, nullable=True),
        sa.Column("approved_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(buyer_id IS NULL AND producer_id IS NOT NULL) OR (buyer_id IS NOT NULL AND producer_id IS NULL)",
            name=op.f("ck_event_participant_one_side"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_event_participant_approved_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["buyer.id"], name=op.f("fk_event_participant_buyer_id_buyer"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_event_participant_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["producer.id"], name=op.f("fk_event_participant_producer_id_producer"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_event_participant_registered_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participant")),
        sa.UniqueConstraint("event_id", "buyer_id", name="uq_event_participant_event_buyer"),
        sa.UniqueConstraint("event_id", "producer_id", name="uq_event_participant_event_producer"),
    )
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_participant_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_participant_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_participant_producer_id"), ["producer_id"], unique=False)

    op.create_table(
        "inquiry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_user_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("read_at", UTC_DATETIME, nullable=True),
        sa.CheckConstraint("quantity IS NULL OR quantity > 0", name=op.f("ck_inquiry_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["buyer.id"], name=op.f("fk_inquiry_buyer_id_buyer"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"], ["producer.id"], name=op.f("fk_inquiry_producer_id_producer"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_inquiry_product_id_product"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["sender_user_id"],
            ["user_account.id"],
            name=op.f("fk_inquiry_sender_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry")),
    )
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inquiry_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inquiry_producer_id"), ["producer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inquiry_product_id"), ["product_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inquiry_sender_user_id"), ["sender_user_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("buyer_participant_id", sa.Integer(), nullable=False),
        sa.Column("producer_participant_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("table_number", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), server_default="0", nullable=False),
        sa.Column("proposed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("needs_interpreter", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("schedule_version", sa.Integer(), nullable=False),
        sa.Column("announced_at", UTC_DATETIME, nullable=True),
        sa.Column("announced_slot", sa.Integer(), nullable=True),
        sa.Column("announced_table", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("follow_up", sa.String(length=24), nullable=True),
        sa.Column("deal_value_lak", sa.BigInteger(), nullable=True),
        sa.Column("followed_up_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "follow_up IS NULL OR follow_up IN ('negotiation_started','agreement_reached','no_deal')",
            name=op.f("ck_meeting_follow_up_known"),
        ),
        sa.CheckConstraint(
            "status IN ('scheduled','held','no_show','cancelled')", name=op.f("ck_meeting_status_known")
        ),
        sa.CheckConstraint(
            "deal_value_lak IS NULL OR deal_value_lak >= 0", name=op.f("ck_meeting_deal_value_not_negative")
        ),
        sa.CheckConstraint("slot >= 0 AND table_number >= 1", name=op.f("ck_meeting_slot_table_range")),
        sa.ForeignKeyConstraint(
            ["buyer_participant_id"],
            ["event_participant.id"],
            name=op.f("fk_meeting_buyer_participant_id_event_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_meeting_event_id_event"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["producer_participant_id"],
            ["event_participant.id"],
            name=op.f("fk_meeting_producer_participant_id_event_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_meeting_updated_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sa.UniqueConstraint(
            "event_id", "buyer_participant_id", "producer_participant_id", name="uq_meeting_event_pair"
        ),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_buyer_participant_id"), ["buyer_participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meeting_producer_participant_id"), ["producer_participant_id"], unique=False
        )

    op.create_table(
        "meeting_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("from_participant_id", sa.Integer(), nullable=False),
        sa.Column("to_participant_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("from_participant_id <> to_participant_id", name=op.f("ck_meeting_request_not_self")),
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name=op.f("ck_meeting_request_priority_range")),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_meeting_request_created_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_meeting_request_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["from_participant_id"],
            ["event_participant.id"],
            name=op.f("fk_meeting_request_from_participant_id_event_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_participant_id"],
            ["event_participant.id"],
            name=op.f("fk_meeting_request_to_participant_id_event_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_request")),
        sa.UniqueConstraint("from_participant_id", "to_participant_id", name="uq_meeting_request_from_to"),
    )
    with op.batch_alter_table("meeting_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_request_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_meeting_request_from_participant_id"), ["from_participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meeting_request_to_participant_id"), ["to_participant_id"], unique=False)

    # Covers the first pass of the match score (see app.matching.models): no product rows are read.
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_match",
            [
                "category",
                "status",
                "deleted_at",
                "producer_id",
                "province_code",
                "price_lak",
                "monthly_capacity",
                "moq",
                "stars",
                "stars_valid_until",
            ],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index("ix_product_match")

    with op.batch_alter_table("meeting_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_request_to_participant_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_request_from_participant_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_request_event_id"))

    op.drop_table("meeting_request")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_producer_participant_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_event_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_buyer_participant_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_sender_user_id"))
        batch_op.drop_index(batch_op.f("ix_inquiry_product_id"))
        batch_op.drop_index(batch_op.f("ix_inquiry_producer_id"))
        batch_op.drop_index(batch_op.f("ix_inquiry_buyer_id"))

    op.drop_table("inquiry")
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participant_producer_id"))
        batch_op.drop_index(batch_op.f("ix_event_participant_event_id"))
        batch_op.drop_index(batch_op.f("ix_event_participant_buyer_id"))

    op.drop_table("event_participant")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_starts_at"))
        batch_op.drop_index(batch_op.f("ix_event_province_code"))

    op.drop_table("event")
    op.drop_table("buyer")
