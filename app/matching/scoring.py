"""The explainable match score of a producer for a buyer's needs. Pure: no database, no web.

THE weights live in :data:`WEIGHTS` (see :class:`Weights`). A score is out of 100 and is the sum
of its parts (the ``breakdown``): each criterion that applies to the buyer's needs gets a share of
100 in proportion to its weight, times how well the producer fits it (0..1). A criterion the buyer
left open (no keywords, no volume, no price limit, no certifications, no preferred provinces, no
known language) does not apply, so the others share its points and a perfect fit is still 100.

Criteria and how the fit (0..1) is measured, over the producer's published products in the
buyer's categories (the "candidate" products):

* ``category``: the share of the categories the buyer named (a family such as textiles
  includes its sub-categories) in which the producer has products: a buyer of silk and cotton
  prefers the weaver who makes both.
* ``keywords``: per keyword, 1 if it is in a product name, :data:`BODY_MATCH_FIT` if only in a
  description (folded text, so Lao/Thai spellings and accents match); the mean over keywords.
* ``capacity``: the largest monthly capacity against the buyer's monthly volume (capped at 1),
  weighing :data:`CAPACITY_SHARE`; the rest is the smallest MOQ against that volume (1 when the
  MOQ is within the volume). Unknown figures count :data:`UNKNOWN_FIT`.
* ``price``: 1 when the cheapest product is within the buyer's maximum, falling linearly to 0 at
  :data:`PRICE_TOLERANCE` above it; :data:`UNKNOWN_FIT` when no price is given.
* ``certifications``: the share of the required certifications that some product holds.
* ``stars``: the best valid ODOP grade / 5. Buyers outside Laos need export quality: grades below
  :data:`EXPORT_MIN_STARS` count 0 for them.
* ``province``: 1 if the producer is in a province the buyer prefers.
* ``language``: 1 if the producer and the buyer share a language. A producer speaks Lao, plus the
  languages it wrote its product names in.

The same statistics are computed either by aggregate SQL (``app.matching.repository``, for one
buyer against every producer) or from a producer's products in Python (:func:`stats_from_products`,
for one producer against every buyer, and for the events' proposals); a test keeps them equal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from app.web.formatting import Formatter
from app.web.i18n import DEFAULT_LANGUAGE, LANGUAGES


@dataclass(frozen=True)
class Weights:
    """Relative weight of each criterion (THE place to tune matching). They need not sum to 100:
    a criterion's share of a score is its weight over the weights of the criteria that apply."""

    category: int = 25
    keywords: int = 15
    capacity: int = 15
    price: int = 10
    certifications: int = 10
    stars: int = 10
    province: int = 10
    language: int = 5


WEIGHTS = Weights()
BODY_MATCH_FIT = 0.6  # a keyword in a description counts less than in a product name
CAPACITY_SHARE = 2 / 3  # of the capacity criterion; the rest is the MOQ
UNKNOWN_FIT = 0.5  # a figure the producer did not give: neither good nor bad
PRICE_TOLERANCE = 0.25  # up to 25 % above the buyer's maximum still earns some points
EXPORT_MIN_STARS = 4  # buyers outside Laos look for 4-5 star products
HOME_COUNTRY = "LA"
PRODUCER_LANGUAGE = "lo"  # every ODOP producer speaks Lao
MAX_PRODUCTS_LISTED = 5  # product ids returned with a match


@dataclass(frozen=True)
class Needs:
    """What a buyer looks for, ready for scoring (categories expanded, keywords folded)."""

    country: str
    # per category the buyer named, that category and its sub-categories
    category_groups: tuple[tuple[str, frozenset[str]], ...] = ()
    terms: tuple[str, ...] = ()  # folded keywords (app.search.folding.query_terms)
    volume_per_month: int | None = None
    price_max_lak: int | None = None
    certifications: tuple[str, ...] = ()
    provinces: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()

    @cached_property
    def categories(self) -> frozenset[str]:
        """Every category whose products count (the candidates)."""
        return frozenset().union(*(group for _, group in self.category_groups))

    @property
    def is_foreign(self) -> bool:
        return self.country != HOME_COUNTRY

    @cached_property
    def text_languages(self) -> tuple[str, ...]:
        """The buyer's languages a producer may have written product names in (besides Lao)."""
        return tuple(sorted(lang for lang in self.languages if lang in LANGUAGES and lang != PRODUCER_LANGUAGE))


@dataclass(frozen=True)
class ProducerStats:
    """A producer's candidate products for one buyer, summed up."""

    producer_id: int
    province_code: str
    products: int
    categories_covered: frozenset[str]  # of the categories the buyer named
    min_price_lak: int | None
    max_capacity: int | None
    min_moq: int | None
    max_stars: int | None
    term_fits: tuple[float, ...] = ()  # per keyword, 0, BODY_MATCH_FIT or 1
    certifications: frozenset[str] = frozenset()  # the required ones it holds
    languages: frozenset[str] = frozenset({PRODUCER_LANGUAGE})


@dataclass(frozen=True)
class ProductFacts:
    """What the score needs of one published product (see :func:`stats_from_products`)."""

    id: int
    producer_id: int
    province_code: str
    category: str
    search_name: str
    search_body: str
    name_languages: frozenset[str]
    price_lak: int | None
    monthly_capacity: int | None
    moq: int | None
    stars: int | None  # the valid grade only
    certifications: frozenset[str]


def term_fit(term: str, search_name: str, search_body: str) -> float:
    if term in search_name:
        return 1.0
    return BODY_MATCH_FIT if term in search_body else 0.0


def is_candidate(needs: Needs, category: str, search_name: str, search_body: str) -> bool:
    """Whether a published product counts for these needs (the WHERE of the SQL version)."""
    if needs.categories:
        return category in needs.categories
    return any(term in search_name or term in search_body for term in needs.terms)


def stats_from_products(needs: Needs, products: Iterable[ProductFacts]) -> dict[int, ProducerStats]:
    """Per producer, the same figures as the aggregate query of app.matching.repository."""
    grouped: dict[int, list[ProductFacts]] = {}
    for p in products:
        if is_candidate(needs, p.category, p.search_name, p.search_body):
            grouped.setdefault(p.producer_id, []).append(p)
    out: dict[int, ProducerStats] = {}
    for producer_id, items in grouped.items():
        prices = [p.price_lak for p in items if p.price_lak is not None]
        capacities = [p.monthly_capacity for p in items if p.monthly_capacity is not None]
        moqs = [p.moq for p in items if p.moq is not None]
        stars = [p.stars for p in items if p.stars is not None]
        written = frozenset().union(*(p.name_languages for p in items))
        out[producer_id] = ProducerStats(
            producer_id=producer_id,
            province_code=items[0].province_code,
            products=len(items),
            categories_covered=frozenset(
                slug for slug, group in needs.category_groups if any(p.category in group for p in items)
            ),
            min_price_lak=min(prices) if prices else None,
            max_capacity=max(capacities) if capacities else None,
            min_moq=min(moqs) if moqs else None,
            max_stars=max(stars) if stars else None,
            term_fits=tuple(max(term_fit(t, p.search_name, p.search_body) for p in items) for t in needs.terms),
            certifications=frozenset(c for c in needs.certifications if any(c in p.certifications for p in items)),
            languages=frozenset({PRODUCER_LANGUAGE}) | (written & set(needs.text_languages)),
        )
    return out


# ---- reasons a person can read -------------------------------------------------------------------

REASONS: dict[str, dict[str, str]] = {
    "category": {
        "en": "Makes {categories}",
        "lo": "ຜະລິດ {categories}",
        "th": "ผลิต{categories}",
    },
    "keywords": {
        "en": "Products match your keywords: {terms}",
        "lo": "ສິນຄ້າກົງກັບຄຳຄົ້ນຂອງທ່ານ: {terms}",
        "th": "สินค้าตรงกับคำค้นของคุณ: {terms}",
    },
    "capacity_ok": {
        "en": "Can supply {capacity} a month (you need {volume})",
        "lo": "ສະໜອງໄດ້ {capacity} ຕໍ່ເດືອນ (ທ່ານຕ້ອງການ {volume})",
        "th": "ผลิตได้ {capacity} ต่อเดือน (คุณต้องการ {volume})",
    },
    "capacity_short": {
        "en": "Can supply {capacity} of the {volume} you need a month",
        "lo": "ສະໜອງໄດ້ {capacity} ຈາກ {volume} ທີ່ທ່ານຕ້ອງການຕໍ່ເດືອນ",
        "th": "ผลิตได้ {capacity} จาก {volume} ที่คุณต้องการต่อเดือน",
    },
    "moq_high": {
        "en": "Minimum order {moq} is above your monthly volume",
        "lo": "ຈຳນວນສັ່ງຂັ້ນຕ່ຳ {moq} ສູງກວ່າປະລິມານຕໍ່ເດືອນຂອງທ່ານ",
        "th": "สั่งขั้นต่ำ {moq} มากกว่าปริมาณต่อเดือนของคุณ",
    },
    "price_ok": {
        "en": "Prices from {price}, within your budget",
        "lo": "ລາຄາເລີ່ມຕົ້ນ {price}, ຢູ່ໃນງົບປະມານຂອງທ່ານ",
        "th": "ราคาเริ่มต้น {price} อยู่ในงบของคุณ",
    },
    "price_high": {
        "en": "Prices from {price}, above your maximum of {maximum}",
        "lo": "ລາຄາເລີ່ມຕົ້ນ {price}, ສູງກວ່າລາຄາສູງສຸດ {maximum} ຂອງທ່ານ",
        "th": "ราคาเริ่มต้น {price} สูงกว่างบสูงสุด {maximum} ของคุณ",
    },
    "certifications_held": {
        "en": "Holds {certifications}",
        "lo": "ມີໃບຢັ້ງຢືນ {certifications}",
        "th": "มีการรับรอง {certifications}",
    },
    "certifications_missing": {
        "en": "Missing {certifications}",
        "lo": "ຍັງບໍ່ມີ {certifications}",
        "th": "ยังไม่มี {certifications}",
    },
    "stars": {
        "en": "{stars}-star ODOP grade",
        "lo": "ມາດຕະຖານ ODOP {stars} ດາວ",
        "th": "ระดับ ODOP {stars} ดาว",
    },
    "stars_export": {
        "en": "Export quality: {stars}-star ODOP grade",
        "lo": "ຄຸນນະພາບສົ່ງອອກ: ມາດຕະຖານ ODOP {stars} ດາວ",
        "th": "คุณภาพส่งออก: ระดับ ODOP {stars} ดาว",
    },
    "stars_below_export": {
        "en": "ODOP grade below {stars} stars, what export buyers look for",
        "lo": "ມາດຕະຖານ ODOP ຕ່ຳກວ່າ {stars} ດາວ ທີ່ຜູ້ຊື້ຕ່າງປະເທດຕ້ອງການ",
        "th": "ระดับ ODOP ต่ำกว่า {stars} ดาวที่ผู้ซื้อต่างประเทศต้องการ",
    },
    "province": {
        "en": "In {province}, a province you prefer",
        "lo": "ຢູ່ {province}, ແຂວງທີ່ທ່ານເລືອກ",
        "th": "อยู่ใน{province} แขวงที่คุณเลือก",
    },
    "language": {
        "en": "Speaks {languages}",
        "lo": "ເວົ້າພາສາ {languages}",
        "th": "พูดภาษา{languages}",
    },
}
LANGUAGE_LABELS: dict[str, dict[str, str]] = {
    "lo": {"en": "Lao", "lo": "ລາວ", "th": "ลาว"},
    "en": {"en": "English", "lo": "ອັງກິດ", "th": "อังกฤษ"},
    "th": {"en": "Thai", "lo": "ໄທ", "th": "ไทย"},
}


@dataclass(frozen=True)
class Labels:
    """Names of categories, provinces and certifications in the visitor's language."""

    lang: str = DEFAULT_LANGUAGE
    categories: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    provinces: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    certifications: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def _pick(self, names: Mapping[str, str] | None, fallback: str) -> str:
        if not names:
            return fallback
        return names.get(self.lang) or names.get(DEFAULT_LANGUAGE) or names.get("en") or fallback

    def category(self, slug: str) -> str:
        return self._pick(self.categories.get(slug), slug)

    def province(self, code: str) -> str:
        return self._pick(self.provinces.get(code), code)

    def certification(self, code: str) -> str:
        return self._pick(self.certifications.get(code), code)

    def language(self, code: str) -> str:
        return self._pick(LANGUAGE_LABELS.get(code), code)

    def reason(self, key: str, **params: object) -> str:
        return self._pick(REASONS[key], REASONS[key]["en"]).format(**params)


# ---- the score ------------------------------------------------------------------------------------


def _ratio(have: float, need: float) -> float:
    return 1.0 if need <= 0 else max(0.0, min(1.0, have / need))


def _price_fit(maximum: int, price: int) -> float:
    if price <= maximum:
        return 1.0
    over = (price - maximum) / maximum if maximum else float("inf")
    return max(0.0, 1.0 - over / PRICE_TOLERANCE)


def fits(needs: Needs, stats: ProducerStats, *, optimistic: bool = False) -> dict[str, float]:
    """criterion -> how well the producer fits it (0..1), for the criteria that apply to ``needs``.

    ``optimistic``: keywords, certifications and language count as a perfect fit: an upper bound
    of the score for statistics that do not hold them yet (app.matching.service.rank_producers).
    """
    out: dict[str, float] = {}
    if needs.category_groups:
        out["category"] = len(stats.categories_covered) / len(needs.category_groups)
    if needs.terms:
        out["keywords"] = 1.0 if optimistic else sum(stats.term_fits) / len(needs.terms)
    if needs.volume_per_month:
        volume = needs.volume_per_month
        capacity = UNKNOWN_FIT if stats.max_capacity is None else _ratio(stats.max_capacity, volume)
        moq = UNKNOWN_FIT if stats.min_moq is None else _ratio(volume, stats.min_moq)
        out["capacity"] = CAPACITY_SHARE * capacity + (1 - CAPACITY_SHARE) * moq
    if needs.price_max_lak is not None:
        price = stats.min_price_lak
        out["price"] = UNKNOWN_FIT if price is None else _price_fit(needs.price_max_lak, price)
    if needs.certifications:
        out["certifications"] = 1.0 if optimistic else len(stats.certifications) / len(needs.certifications)
    stars = stats.max_stars or 0
    out["stars"] = 0.0 if needs.is_foreign and stars < EXPORT_MIN_STARS else stars / 5
    if needs.provinces:
        out["province"] = 1.0 if stats.province_code in needs.provinces else 0.0
    if needs.languages:
        out["language"] = 1.0 if optimistic or needs.languages & stats.languages else 0.0
    return out


class Scorer:
    """Scores producers for one buyer's needs; each criterion's share of 100 is worked out once."""

    def __init__(self, needs: Needs, weights: Weights = WEIGHTS) -> None:
        self.needs = needs
        applicable = fits(needs, ProducerStats(0, "", 0, frozenset(), None, None, None, None))
        total_weight = sum(getattr(weights, name) for name in applicable)
        self.shares = {name: 100 * getattr(weights, name) / total_weight for name in applicable}

    def total(self, stats: ProducerStats, *, optimistic: bool = False) -> float:
        """The exact (unrounded) score, for ranking. ``optimistic``: an upper bound (see :func:`fits`)."""
        shares = self.shares
        return sum(shares[name] * fit for name, fit in fits(self.needs, stats, optimistic=optimistic).items())

    def __call__(self, stats: ProducerStats) -> tuple[float, dict[str, float]]:
        """The score (0..100, to 0.1) and its breakdown by criterion. The parts add up to the score
        exactly: each is rounded down to 0.1, and the tenths left go to the largest remainders."""
        raw = {name: self.shares[name] * fit * 10 for name, fit in fits(self.needs, stats).items()}
        tenths = {name: int(value) for name, value in raw.items()}
        left = round(sum(raw.values())) - sum(tenths.values())
        for name in sorted(raw, key=lambda n: tenths[n] - raw[n])[:left]:
            tenths[name] += 1
        return sum(tenths.values()) / 10, {name: t / 10 for name, t in tenths.items()}


def score(needs: Needs, stats: ProducerStats, weights: Weights = WEIGHTS) -> tuple[float, dict[str, float]]:
    """The score (0..100, to 0.1) and its breakdown by criterion, whose parts add up to it."""
    return Scorer(needs, weights)(stats)


def reasons(needs: Needs, stats: ProducerStats, breakdown: Mapping[str, float], labels: Labels) -> list[str]:
    """Sentences that explain a score, in the visitor's language: what counts for the producer,
    the criterion worth most first, then what counts against it."""
    fmt = Formatter(labels.lang)
    pros: list[tuple[float, str]] = []
    cons: list[str] = []

    def pro(criterion: str, text: str) -> None:
        pros.append((breakdown.get(criterion, 0.0), text))

    covered = [slug for slug, _ in needs.category_groups if slug in stats.categories_covered]
    if covered:
        pro("category", labels.reason("category", categories=_join(labels.category, covered)))
    matched = [t for t, f in zip(needs.terms, stats.term_fits, strict=False) if f > 0]
    if matched:
        pro("keywords", labels.reason("keywords", terms=", ".join(matched)))
    volume = needs.volume_per_month
    if volume:
        if stats.max_capacity is not None:
            key = "capacity_ok" if stats.max_capacity >= volume else "capacity_short"
            pro("capacity", labels.reason(key, capacity=fmt.number(stats.max_capacity), volume=fmt.number(volume)))
        if stats.min_moq is not None and stats.min_moq > volume:
            cons.append(labels.reason("moq_high", moq=fmt.number(stats.min_moq)))
    maximum, price = needs.price_max_lak, stats.min_price_lak
    if maximum is not None and price is not None:
        if price <= maximum:
            pro("price", labels.reason("price_ok", price=fmt.kip(price)))
        else:
            cons.append(labels.reason("price_high", price=fmt.kip(price), maximum=fmt.kip(maximum)))
    held = [c for c in needs.certifications if c in stats.certifications]
    missing = [c for c in needs.certifications if c not in stats.certifications]
    if held:
        pro("certifications", labels.reason("certifications_held", certifications=_join(labels.certification, held)))
    if missing:
        cons.append(labels.reason("certifications_missing", certifications=_join(labels.certification, missing)))
    stars = stats.max_stars
    if needs.is_foreign and (stars or 0) < EXPORT_MIN_STARS:
        cons.append(labels.reason("stars_below_export", stars=EXPORT_MIN_STARS))
    elif stars:
        pro("stars", labels.reason("stars_export" if needs.is_foreign else "stars", stars=stars))
    if needs.provinces and stats.province_code in needs.provinces:
        pro("province", labels.reason("province", province=labels.province(stats.province_code)))
    shared = sorted(needs.languages & stats.languages)
    if shared:
        pro("language", labels.reason("language", languages=_join(labels.language, shared)))
    pros.sort(key=lambda r: -r[0])  # stable: equal points keep the order above
    return [text for _, text in pros] + cons


def _join(label: Callable[[str], str], codes: Iterable[str]) -> str:
    return ", ".join(label(c) for c in codes)
