"""API shapes of the catalogue (SQLModel-style families: Create, Update with every field optional, Public)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from app.catalogue.models import ProducerKind, ProductStatus
from app.errors import N_, Message

LANGS = ("lo", "en", "th")
_LAO = re.compile(r"[\u0e80-\u0eff]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def guess_language(text: str) -> str:
    """The language of a plain string given where a trilingual object was expected."""
    if _LAO.search(text):
        return "lo"
    if _THAI.search(text):
        return "th"
    return "en"


# One message per language, so that a page can say which text is too long in words, not a language code.
_TOO_LONG = {
    "lo": N_("lo: at most {max_length} characters"),
    "en": N_("en: at most {max_length} characters"),
    "th": N_("th: at most {max_length} characters"),
}


def _localized(max_length: int, *, required: bool):  # type: ignore[no-untyped-def]
    def coerce(value: Any) -> dict[str, str]:
        if value is None:
            value = {}
        if isinstance(value, str):  # be forgiving: a plain string is taken in the language of its script
            value = {guess_language(value): value} if value.strip() else {}
        if not isinstance(value, dict):
            raise ValueError(N_('must be an object like {"lo": "...", "en": "...", "th": "..."}'))
        unknown = set(value) - set(LANGS)
        if unknown:
            raise ValueError(N_("unknown language key(s) {keys}; use lo, en, th", keys=sorted(unknown)))
        cleaned: dict[str, str] = {}
        for lang in LANGS:
            text = value.get(lang)
            if text is None:
                continue
            if not isinstance(text, str):
                raise ValueError(N_("{lang}: must be text", lang=lang))
            text = text.strip()
            if len(text) > max_length:
                raise ValueError(Message(_TOO_LONG[lang], max_length=max_length))
            if text:
                cleaned[lang] = text
        if required and not cleaned:
            raise ValueError(N_("give the text in at least one language (Lao preferred)"))
        return cleaned

    return BeforeValidator(coerce)


Name = Annotated[dict[str, str], _localized(200, required=True)]
Description = Annotated[dict[str, str], _localized(5000, required=False)]
ShortText = Annotated[dict[str, str], _localized(500, required=False)]

_CERT_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# Known certifications, for labels; others are accepted as long as they are short slugs.
CERTIFICATIONS = {
    "lao-fdd": {"lo": "ອາຫານ ແລະ ຢາ (FDD)", "en": "Lao FDD", "th": "อย. ลาว"},
    "organic": {"lo": "ກະສິກຳອິນຊີ", "en": "Organic", "th": "เกษตรอินทรีย์"},
    "gi": {"lo": "ສິ່ງບົ່ງບອກພູມສາດ (GI)", "en": "Geographical indication", "th": "สิ่งบ่งชี้ทางภูมิศาสตร์"},
    "halal": {"lo": "ຮາລາລ", "en": "Halal", "th": "ฮาลาล"},
    "fair-trade": {"lo": "ການຄ້າທີ່ເປັນທຳ", "en": "Fair trade", "th": "การค้าที่เป็นธรรม"},
    "gmp": {"lo": "GMP", "en": "GMP", "th": "GMP"},
    "haccp": {"lo": "HACCP", "en": "HACCP", "th": "HACCP"},
    "lao-standard": {"lo": "ມາດຕະຖານລາວ", "en": "Lao standard", "th": "มาตรฐานลาว"},
}


def normalise_certification(value: str) -> str:
    slug = re.sub(r"[\s_]+", "-", value.strip().lower())
    if not _CERT_RE.match(slug):
        raise ValueError(N_("{value!r} is not a certification code (letters, digits and '-', at most 40)", value=value))
    return slug


def _certifications(values: Any) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in re.split(r"[;,]", values) if v.strip()]
    if not isinstance(values, list):
        raise ValueError(N_("must be a list of certification codes"))
    out: list[str] = []
    for v in values:
        if not isinstance(v, str):
            raise ValueError(N_("must be a list of certification codes"))
        slug = normalise_certification(v)
        if slug not in out:
            out.append(slug)
    if len(out) > 20:
        raise ValueError(N_("at most {n} certifications", n=20))
    return out


Certifications = Annotated[list[str], BeforeValidator(_certifications)]
Phone = Annotated[str | None, Field(default=None, max_length=40, pattern=r"^[0-9+() .\-]{3,40}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProducerFields(_In):
    district: str | None = Field(default=None, max_length=120)
    village: str | None = Field(default=None, max_length=120)
    phone: Phone = None
    whatsapp: Phone = None
    facebook: str | None = Field(default=None, max_length=300)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    founded_year: int | None = Field(default=None, ge=1900, le=2100)
    members_count: int | None = Field(default=None, ge=0, le=100_000)
    women_members_count: int | None = Field(default=None, ge=0, le=100_000)
    women_led: bool | None = None
    kind: ProducerKind | None = None

    @field_validator("facebook")
    @classmethod
    def _facebook_is_a_page(cls, value: str | None) -> str | None:
        # Only an http(s) link or a bare page name: a "javascript:" link must never reach an href.
        if value and not re.match(r"^(https?://[^\s]+|[A-Za-z0-9.\-_]{1,100})$", value):
            raise ValueError(N_("give the Facebook page address (https://facebook.com/…) or its name"))
        return value


class ProducerCreate(ProducerFields):
    name: Name
    province_code: str = Field(max_length=8)
    description: Description = Field(default_factory=dict)
    owner_user_id: int | None = None


class ProducerUpdate(ProducerFields):
    name: Name | None = None
    province_code: str | None = Field(default=None, max_length=8)
    description: Description | None = None
    owner_user_id: int | None = None


class ProducerPublic(BaseModel):
    id: int
    owner_user_id: int | None
    kind: ProducerKind
    name: dict[str, str]
    description: dict[str, str]
    province_code: str
    district: str | None
    village: str | None
    phone: str | None
    whatsapp: str | None
    facebook: str | None
    email: str | None
    founded_year: int | None
    members_count: int | None
    women_members_count: int | None
    women_led: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ProductFields(_In):
    description: Description | None = None
    materials: ShortText | None = None
    price_lak: int | None = Field(default=None, ge=0, le=10**12)
    unit: str | None = Field(default=None, max_length=40)
    moq: int | None = Field(default=None, ge=0, le=10**9)
    monthly_capacity: int | None = Field(default=None, ge=0, le=10**9)
    lead_time_days: int | None = Field(default=None, ge=0, le=365)
    hs_code: str | None = Field(default=None, pattern=r"^[0-9]{4}(\.?[0-9]{2}){0,3}$")
    certifications: Certifications | None = None


class ProductCreate(ProductFields):
    producer_id: int
    category: str = Field(max_length=48)
    name: Name


class ProductUpdate(ProductFields):
    category: str | None = Field(default=None, max_length=48)
    name: Name | None = None


class ReviewIn(_In):
    decision: str = Field(pattern="^(approve|reject)$")
    stars: int | None = Field(default=None, ge=1, le=5)
    note: str | None = Field(default=None, max_length=2000)


class GradeIn(_In):
    stars: int = Field(ge=1, le=5)
    note: str | None = Field(default=None, max_length=2000)


class GradePublic(BaseModel):
    stars: int
    graded_at: dt.datetime
    valid_until: dt.datetime
    graded_by_user_id: int | None = None


class ImagePublic(BaseModel):
    id: int
    position: int
    urls: dict[str, str]
    width: int
    height: int


class ProducerSummary(BaseModel):
    id: int
    name: dict[str, str]
    province_code: str
    district: str | None = None


class ProductPublic(BaseModel):
    id: int
    producer_id: int
    producer: ProducerSummary | None = None
    category: str
    province_code: str
    name: dict[str, str]
    description: dict[str, str]
    materials: dict[str, str]
    price_lak: int | None
    unit: str | None
    moq: int | None
    monthly_capacity: int | None
    lead_time_days: int | None
    hs_code: str | None
    certifications: list[str]
    status: ProductStatus
    stars: int | None = Field(description="The current ODOP grade; null when none or expired")
    grade: GradePublic | None = None
    images: list[ImagePublic] = Field(default_factory=list)
    cover_url: str | None = None
    review_note: str | None = None
    pending_changes: dict[str, Any] | None = Field(default=None, description="Edits waiting for review (owner, staff)")
    submitted_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclasses.dataclass(frozen=True, slots=True)
class ProductCard:
    """A product as a card of the HTML lists (browse, province, producer, home, showroom): only what the card
    shows. A plain dataclass, not a pydantic model: pages build 24 of them per request and never validate them."""

    id: int
    name: dict[str, str]
    price_lak: int | None
    unit: str | None
    stars: int | None  # the current grade: none when none or expired
    producer_name: dict[str, str]
    cover: dict[str, str] | None  # the first photo's URLs by width ("320", "800"), or none


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int
