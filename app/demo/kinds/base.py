"""What a kind of product is, and the variant words several kinds share.

Prices are in kip for the unit shown (a silk scarf 250,000–1,500,000 LAK a piece, roasted coffee
120,000–250,000 LAK a kg…); a variant may scale the price and change the unit (a 1 kg jar of honey
instead of a 500 ml bottle). `motif` names the generated photo (`app.demo.drawing`); a variant's `tint`
picks the photo of matching colours. `provinces` limits a kind to where it really comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.demo.text import T


@dataclass(frozen=True, slots=True)
class Variant:
    """One word of a product name that varies (pattern, colour, roast, size…)."""

    text: T
    tint: str | None = None
    price_factor: float = 1.0
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    category: str
    name: T
    description: T
    materials: T
    price: tuple[int, int]
    unit: str
    moq: tuple[int, int]
    capacity: tuple[int, int]  # units a month
    lead_days: tuple[int, int]
    motif: str
    hs_code: str | None = None
    # (certification code, how often a product of this kind holds it)
    certifications: tuple[tuple[str, float], ...] = ()
    variants: tuple[tuple[Variant, ...], ...] = ()
    tint: str | None = None  # the photo's colours when no variant says otherwise
    provinces: frozenset[str] | None = None


def word(lo: str, en: str, th: str, tint: str | None = None, factor: float = 1.0, unit: str | None = None) -> Variant:
    """A variant word in Lao, English and Thai, with what it changes (photo colour, price, unit)."""
    return Variant(T(lo, en, th), tint, factor, unit)


# ---- variant words shared by several kinds --------------------------------------------------------

COLOURS = (
    word("ສີຄາມ", "indigo", "สีคราม", tint="indigo"),
    word("ສີທຳມະຊາດ", "natural undyed", "สีธรรมชาติ", tint="natural"),
    word("ສີແດງຄັ່ງ", "lac red", "สีแดงครั่ง", tint="red"),
    word("ສີເຫຼືອງຄຳ", "golden yellow", "สีเหลืองทอง", tint="gold"),
    word("ສີດຳ", "black", "สีดำ", tint="black"),
    word("ສີຂຽວ", "forest green", "สีเขียว", tint="green"),
)
EMBROIDERY_COLOURS = (
    word("ພື້ນສີຄາມ", "indigo ground", "พื้นสีคราม", tint="indigo"),
    word("ພື້ນສີດຳ", "black ground", "พื้นสีดำ", tint="black"),
    word("ພື້ນສີແດງ", "red ground", "พื้นสีแดง", tint="red"),
    word("ພື້ນສີຂຽວ", "green ground", "พื้นสีเขียว", tint="green"),
)
PATTERNS = (
    word("ລາຍນາກ", "naga pattern", "ลายนาค"),
    word("ລາຍຂໍ", "hook pattern", "ลายขอ"),
    word("ລາຍຊ້າງ", "elephant pattern", "ลายช้าง"),
    word("ລາຍນົກຫົງ", "hong bird pattern", "ลายนกหงส์"),
    word("ລາຍດອກ", "flower pattern", "ลายดอก"),
    word("ລາຍມັດໝີ່", "mudmee ikat", "ลายมัดหมี่"),
)
ROASTS = (
    word("ຂົ້ວອ່ອນ", "light roast", "คั่วอ่อน"),
    word("ຂົ້ວກາງ", "medium roast", "คั่วกลาง"),
    word("ຂົ້ວເຂັ້ມ", "dark roast", "คั่วเข้ม"),
)
GRINDS = (
    word("ແບບເມັດ", "whole beans", "แบบเมล็ด"),
    word("ແບບບົດ", "ground", "แบบบด"),
)
SIZES = (
    word("ຂະໜາດນ້ອຍ", "small", "ขนาดเล็ก", factor=0.7),
    word("ຂະໜາດກາງ", "medium", "ขนาดกลาง"),
    word("ຂະໜາດໃຫຍ່", "large", "ขนาดใหญ่", factor=1.5),
)
TEA_GRADES = (
    word("ຍອດອ່ອນ", "first flush", "ยอดอ่อน", factor=1.3),
    word("ໃບຄັດ", "selected leaf", "ใบคัด"),
)

# A producer lists each product once: when a name is taken, the new product is another edition of it.
EDITIONS = (
    word("ເກຣດພິເສດ", "premium grade", "เกรดพิเศษ", factor=1.3),
    word("ແບບຂອງຂວັນ", "gift edition", "แบบของขวัญ", factor=1.15),
    word("ແບບຂາຍສົ່ງ", "wholesale pack", "แบบขายส่ง", factor=0.85),
    word("ລຸ້ນພິເສດ", "limited edition", "รุ่นพิเศษ", factor=1.4),
)

FOOD_CERTS = (("lao-fdd", 0.6), ("halal", 0.03))
