"""API shapes of business matching: buyer profiles, matches, inquiries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from app.catalogue.schemas import Certifications, Phone, ProducerSummary
from app.errors import N_, Message
from app.matching.models import BuyerType

MAX_KEYWORDS = 20
_COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")


def _keywords(value: Any) -> list[str]:
    """A list of keywords, or one string of them separated by commas or semicolons."""
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(r"[,;\n]", value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(N_("must be a list of keywords"))
    out: list[str] = []
    for v in value:
        v = " ".join(v.split())
        if len(v) > 60:
            raise ValueError(N_("a keyword has at most {n} characters", n=60))
        if v and v not in out:
            out.append(v)
    if len(out) > MAX_KEYWORDS:
        raise ValueError(N_("at most {n} keywords", n=MAX_KEYWORDS))
    return out


def _codes(pattern: re.Pattern[str], what: str, *, upper: bool = False, limit: int = 30):  # type: ignore[no-untyped-def]
    def coerce(value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(N_("must be a list of {what}", what=Message(what)))
        out: list[str] = []
        for v in value:
            v = v.strip().upper() if upper else v.strip().lower()
            if not pattern.match(v):
                raise ValueError(N_("{value!r} is not {what}", value=v, what=Message(what)))
            if v not in out:
                out.append(v)
        if len(out) > limit:
            raise ValueError(N_("at most {n} values", n=limit))
        return out

    return BeforeValidator(coerce)


Keywords = Annotated[list[str], BeforeValidator(_keywords)]
CategorySlugs = Annotated[list[str], _codes(re.compile(r"^[a-z0-9-]{1,48}$"), N_("a category slug"))]
ProvinceCodes = Annotated[
    list[str], _codes(re.compile(r"^LA-[A-Z]{2}$"), N_("a province code such as LA-LP"), upper=True)
]
LanguageCodes = Annotated[list[str], _codes(_LANGUAGE_RE, N_("a language code such as lo, en, th, zh"), limit=10)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _country(value: Any) -> Any:
    if isinstance(value, str) and not _COUNTRY_RE.match(value.strip()):
        raise ValueError(N_("use a two-letter ISO country code such as LA, TH, CN, VN"))
    return value.strip().upper() if isinstance(value, str) else value


CountryCode = Annotated[str, BeforeValidator(_country), Field(description="ISO 3166-1 alpha-2; LA for Laos")]


class NeedsFields(_In):
    """What a buyer looks for: the input of the match score."""

    buyer_type: BuyerType | None = None
    keywords: Keywords | None = None
    volume_per_month: int | None = Field(default=None, ge=0, le=10**9, description="Units a month")
    price_max_lak: int | None = Field(default=None, ge=0, le=10**12, description="Highest unit price, kip")
    certifications_required: Certifications | None = None
    provinces: ProvinceCodes | None = None
    languages: LanguageCodes | None = Field(default=None, description="Languages the buyer speaks (lo, en, th…)")


class MatchIn(NeedsFields):
    """Needs to match without saving a profile (POST /match)."""

    country: CountryCode = "LA"
    categories: CategorySlugs = Field(default_factory=list)


class ContactFields(_In):
    contact_name: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Phone = None
    whatsapp: Phone = None


class BuyerCreate(NeedsFields, ContactFields):
    organisation: str = Field(min_length=1, max_length=200)
    country: CountryCode
    categories: CategorySlugs
    user_id: int | None = Field(default=None, description="Staff only: the buyer account this profile belongs to")


class BuyerUpdate(NeedsFields, ContactFields):
    organisation: str | None = Field(default=None, min_length=1, max_length=200)
    country: CountryCode | None = None
    categories: CategorySlugs | None = None
    user_id: int | None = None


class BuyerPublic(BaseModel):
    id: int
    user_id: int | None
    organisation: str
    country: str
    buyer_type: BuyerType | None
    categories: list[str]
    keywords: list[str]
    volume_per_month: int | None
    price_max_lak: int | None
    certifications_required: list[str]
    provinces: list[str]
    languages: list[str]
    contact_name: str | None
    email: str | None
    phone: str | None
    whatsapp: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class MatchOut(BaseModel):
    producer_id: int
    score: float = Field(description="0..100, the sum of the breakdown")
    breakdown: dict[str, float] = Field(description="criterion -> points")
    reasons: list[str] = Field(description="Why, in the visitor's language; what counts against last")
    products: list[int] = Field(description="The producer's best-fitting published products")
    producer: ProducerSummary | None = None


class BuyerSummary(BaseModel):
    id: int
    organisation: str
    country: str
    buyer_type: BuyerType | None


class BuyerMatchOut(BaseModel):
    """A buyer that matches a producer (the producer's side of matching)."""

    buyer_id: int
    score: float
    breakdown: dict[str, float]
    reasons: list[str]
    products: list[int]
    buyer: BuyerSummary


class InquiryCreate(_In):
    product_id: int
    message: str = Field(min_length=1, max_length=5000)
    quantity: int | None = Field(default=None, ge=1, le=10**9)


class InquiryContact(BaseModel):
    """How the producer reaches the buyer."""

    name: str
    organisation: str | None = None
    country: str | None = None
    email: str | None = None
    phone: str | None = None
    whatsapp: str | None = None


class InquiryPublic(BaseModel):
    id: int
    direction: str = Field(description="'sent' (the caller asked) or 'received' (about the caller's product)")
    product_id: int
    product_name: dict[str, str]
    producer_id: int
    producer_name: dict[str, str]
    buyer_id: int | None
    buyer: InquiryContact
    message: str
    quantity: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    whatsapp_url: str | None = Field(description="A wa.me link to the other party, when they gave a WhatsApp number")
