"""Foundation: accounts, sessions and the reference data (18 provinces, OTOP product categories).

Revision ID: 20261124_foundation
Revises:
Create Date: 2026-11-24

Province names come from shared/data/provinces.csv (ISO 3166-2:LA codes); categories follow
OTOP's five product families with the sub-categories Lao ODOP producers make.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261124_foundation"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)

PROVINCES = [
    (
        "LA-VT",
        {"lo": "ນະຄອນຫຼວງວຽງຈັນ", "en": "Vientiane Capital", "th": "นครหลวงเวียงจันทน์"},
        "Vientiane",
        "central",
    ),
    ("LA-PH", {"lo": "ຜົ້ງສາລີ", "en": "Phongsaly", "th": "ผ้งสาลี"}, "Phongsaly", "north"),
    ("LA-LM", {"lo": "ຫຼວງນໍ້າທາ", "en": "Luang Namtha", "th": "หลวงน้ำทา"}, "Luang Namtha", "north"),
    ("LA-OU", {"lo": "ອຸດົມໄຊ", "en": "Oudomxay", "th": "อุดมไซ"}, "Xay", "north"),
    ("LA-BK", {"lo": "ບໍ່ແກ້ວ", "en": "Bokeo", "th": "บ่อแก้ว"}, "Houayxay", "north"),
    ("LA-LP", {"lo": "ຫຼວງພະບາງ", "en": "Luang Prabang", "th": "หลวงพระบาง"}, "Luang Prabang", "north"),
    ("LA-HO", {"lo": "ຫົວພັນ", "en": "Houaphanh", "th": "หัวพัน"}, "Xam Neua", "north"),
    ("LA-XA", {"lo": "ໄຊຍະບູລີ", "en": "Xayabouly", "th": "ไซยะบุรี"}, "Xayabouly", "north"),
    ("LA-XI", {"lo": "ຊຽງຂວາງ", "en": "Xiengkhouang", "th": "เชียงขวาง"}, "Phonsavan", "north"),
    ("LA-VI", {"lo": "ແຂວງວຽງຈັນ", "en": "Vientiane Province", "th": "แขวงเวียงจันทน์"}, "Phonhong", "central"),
    ("LA-BL", {"lo": "ບໍລິຄໍາໄຊ", "en": "Bolikhamxay", "th": "บอลิคำไซ"}, "Paksan", "central"),
    ("LA-KH", {"lo": "ຄໍາມ່ວນ", "en": "Khammouane", "th": "คำม่วน"}, "Thakhek", "central"),
    ("LA-SV", {"lo": "ສະຫວັນນະເຂດ", "en": "Savannakhet", "th": "สะหวันนะเขต"}, "Kaysone Phomvihane", "south"),
    ("LA-SL", {"lo": "ສາລະວັນ", "en": "Salavan", "th": "สาละวัน"}, "Salavan", "south"),
    ("LA-XE", {"lo": "ເຊກອງ", "en": "Sekong", "th": "เซกอง"}, "Lamam", "south"),
    ("LA-CH", {"lo": "ຈໍາປາສັກ", "en": "Champasak", "th": "จำปาศักดิ์"}, "Pakse", "south"),
    ("LA-AT", {"lo": "ອັດຕະປື", "en": "Attapeu", "th": "อัตตะปือ"}, "Samakhixay", "south"),
    ("LA-XS", {"lo": "ໄຊສົມບູນ", "en": "Xaisomboun", "th": "ไซสมบูรณ์"}, "Anouvong", "central"),
]

# (slug, parent, name); families first so parents exist before their children.
CATEGORIES = [
    ("food", None, {"lo": "ອາຫານ", "en": "Food", "th": "อาหาร"}),
    ("rice-snacks", "food", {"lo": "ເຂົ້າ ແລະ ເຂົ້າໜົມ", "en": "Rice and rice snacks", "th": "ข้าวและขนมข้าว"}),
    ("honey", "food", {"lo": "ນ້ຳເຜິ້ງ", "en": "Honey", "th": "น้ำผึ้ง"}),
    (
        "dried-foods",
        "food",
        {
            "lo": "ໝາກໄມ້ຕາກແຫ້ງ ແລະ ອາຫານແປຮູບ",
            "en": "Dried fruit and preserved foods",
            "th": "ผลไม้อบแห้งและอาหารแปรรูป",
        },
    ),
    ("sauces-spices", "food", {"lo": "ແຈ່ວ ແລະ ເຄື່ອງເທດ", "en": "Sauces and spices", "th": "น้ำพริกและเครื่องเทศ"}),
    ("beverages", None, {"lo": "ເຄື່ອງດື່ມ", "en": "Beverages", "th": "เครื่องดื่ม"}),
    ("coffee", "beverages", {"lo": "ກາເຟ", "en": "Coffee", "th": "กาแฟ"}),
    ("tea", "beverages", {"lo": "ຊາ", "en": "Tea", "th": "ชา"}),
    ("rice-wine", "beverages", {"lo": "ເຫຼົ້າ ແລະ ສາໂທ", "en": "Rice wine and spirits", "th": "สุราและไวน์ข้าว"}),
    ("juices", "beverages", {"lo": "ນ້ຳໝາກໄມ້", "en": "Juices and soft drinks", "th": "น้ำผลไม้"}),
    ("textiles", None, {"lo": "ແຜ່ນແພ ແລະ ເຄື່ອງນຸ່ງຫົ່ມ", "en": "Textiles and garments", "th": "ผ้าและเครื่องแต่งกาย"}),
    ("silk", "textiles", {"lo": "ຜ້າໄໝ", "en": "Silk", "th": "ผ้าไหม"}),
    ("cotton", "textiles", {"lo": "ຜ້າຝ້າຍ", "en": "Cotton textiles", "th": "ผ้าฝ้าย"}),
    ("garments", "textiles", {"lo": "ເຄື່ອງນຸ່ງ ແລະ ກະເປົາ", "en": "Garments and bags", "th": "เสื้อผ้าและกระเป๋า"}),
    (
        "handicrafts",
        None,
        {"lo": "ຫັດຖະກຳ ແລະ ເຄື່ອງຕົກແຕ່ງ", "en": "Handicrafts and decorative items", "th": "ของใช้และของตกแต่ง"},
    ),
    ("bamboo-rattan", "handicrafts", {"lo": "ຫວາຍ ແລະ ໄມ້ໄຜ່", "en": "Bamboo and rattan", "th": "ไม้ไผ่และหวาย"}),
    ("woodcraft", "handicrafts", {"lo": "ຫັດຖະກຳໄມ້", "en": "Woodcraft", "th": "งานไม้"}),
    ("pottery", "handicrafts", {"lo": "ເຄື່ອງປັ້ນດິນເຜົາ", "en": "Pottery", "th": "เครื่องปั้นดินเผา"}),
    ("silverware", "handicrafts", {"lo": "ເຄື່ອງເງິນ", "en": "Silver and metalwork", "th": "เครื่องเงิน"}),
    ("mulberry-paper", "handicrafts", {"lo": "ເຈ້ຍສາ", "en": "Mulberry paper", "th": "กระดาษสา"}),
    (
        "herbal",
        None,
        {
            "lo": "ສະໝຸນໄພ ແລະ ຜະລິດຕະພັນບໍ່ແມ່ນອາຫານ",
            "en": "Herbal and non-food products",
            "th": "สมุนไพรที่ไม่ใช่อาหาร",
        },
    ),
    ("herbal-medicine", "herbal", {"lo": "ຢາສະໝຸນໄພ", "en": "Herbal medicine", "th": "ยาสมุนไพร"}),
    (
        "soaps-cosmetics",
        "herbal",
        {"lo": "ສະບູ ແລະ ເຄື່ອງສຳອາງ", "en": "Soaps and cosmetics", "th": "สบู่และเครื่องสำอาง"},
    ),
    ("aromatics", "herbal", {"lo": "ເຄື່ອງຫອມ ແລະ ທູບ", "en": "Aromatics and incense", "th": "เครื่องหอมและธูป"}),
]


def upgrade() -> None:
    province = op.create_table(
        "province",
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("name", JSON, nullable=False),
        sa.Column("capital", sa.String(80), nullable=False),
        sa.Column("region", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_province")),
    )
    category = op.create_table(
        "category",
        sa.Column("slug", sa.String(48), nullable=False),
        sa.Column("name", JSON, nullable=False),
        sa.Column("parent", sa.String(48), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["parent"], ["category.slug"], name=op.f("fk_category_parent_category")),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_category")),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("role IN ('admin','staff','producer','buyer')", name=op.f("ck_user_account_role_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "auth_session",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_auth_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_auth_session")),
    )
    op.create_index(op.f("ix_auth_session_user_id"), "auth_session", ["user_id"], unique=False)

    op.bulk_insert(
        province,
        [
            {"code": code, "name": name, "capital": capital, "region": region, "position": i}
            for i, (code, name, capital, region) in enumerate(PROVINCES)
        ],
    )
    op.bulk_insert(
        category,
        [
            {"slug": slug, "parent": parent, "name": name, "position": i}
            for i, (slug, parent, name) in enumerate(CATEGORIES)
        ],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_auth_session_user_id"), table_name="auth_session")
    op.drop_table("auth_session")
    op.drop_table("user_account")
    op.drop_table("category")
    op.drop_table("province")
