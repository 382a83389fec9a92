"""The generated catalogue: products with their photos and star grades, inserted in bulk.

100,000 products must load in minutes, so rows are built as plain dicts and inserted with
`session.execute(sa.insert(Model), rows)` in chunks, inside the caller's one transaction. Everything the
catalogue service would compute is computed here the same way: `Product.province_code` copies the
producer's, the folded search text comes from `app.search.documents` (cached, since names and
descriptions repeat), and `stars`/`stars_valid_until` copy the newest grade.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.catalogue.models import GRADE_VALIDITY, Producer, Product, ProductGrade, ProductImage, ProductStatus
from app.demo.kinds import EDITIONS, Kind, Variant
from app.demo.photos import PhotoPool, StoredPhoto
from app.demo.producers import ProducerPlan
from app.demo.text import T, with_qualifiers
from app.search.documents import FIELD_SEPARATOR, product_search_text

CHUNK = 5000  # products per batch: big enough to be fast, small enough to keep memory flat
PROGRESS_EVERY = 20_000

STATUS_WEIGHTS: dict[ProductStatus, int] = {
    ProductStatus.published: 80,
    ProductStatus.submitted: 9,
    ProductStatus.draft: 7,
    ProductStatus.rejected: 4,
}
# ODOP grades: most products get three or four stars, a few five.
STAR_WEIGHTS: dict[int, int] = {1: 1, 2: 5, 3: 42, 4: 40, 5: 12}
GRADED_SHARE = 0.85  # of published products
REGRADED_SHARE = 0.6  # of products whose grade expired: renewed, the old grade stays in the history
PENDING_EDIT_SHARE = 0.03  # published products with a certification edit waiting for review
PHOTO_COUNTS: dict[int, int] = {2: 35, 3: 40, 4: 25}  # photos of a product that was sent for review

MADE_IN = T("ຜະລິດທີ່{place}.", "Made in {place}.", "ผลิตที่{place}")
GRADE_NOTE = "ຄະນະກຳມະການ ODOP ແຂວງ, ຮອບປີ {year} / Provincial ODOP committee, {year} round"
REVIEW_NOTES = (
    "ກະລຸນາເພີ່ມຮູບຖ່າຍທີ່ແຈ້ງກວ່ານີ້ ແລະ ຮູບສະຫຼາກດ້ານຫຼັງ. / Please add sharper photos, including the back label.",
    "ລາຄາບໍ່ກົງກັບໜ່ວຍຂາຍ; ກະລຸນາກວດຄືນ. / The price does not match the unit of sale; please check it.",
    "ກະລຸນາລະບຸວັດຖຸດິບ ແລະ ແຫຼ່ງທີ່ມາໃຫ້ຊັດເຈນ. / Please state the materials and where they come from.",
    "ຄຳອະທິບາຍພາສາອັງກິດສັ້ນເກີນໄປສຳລັບຜູ້ຊື້ຕ່າງປະເທດ. / The English description is too short for foreign buyers.",
)
FOOD_REVIEW_NOTE = (
    "ຂາດເລກທະບຽນຈາກກົມອາຫານ ແລະ ຢາ ສຳລັບຜະລິດຕະພັນອາຫານ. / The Food and Drug Department registration number is "
    "missing for this food product."
)
FOOD_CATEGORIES = frozenset({"rice-snacks", "honey", "dried-foods", "sauces-spices", "coffee", "tea", "juices",
                             "rice-wine"})  # fmt: skip


@dataclass(slots=True)
class PlannedProduct:
    """A product row with the photos and grades that go with it."""

    kind: Kind
    row: dict[str, Any]
    photos: list[StoredPhoto]
    grades: list[tuple[dt.datetime, int]]  # (graded_at, stars), oldest first


@dataclass(slots=True)
class CatalogueTotals:
    producers: int = 0
    products: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    grades: int = 0
    expired_grades: int = 0  # products whose current grade has lapsed
    photos: int = 0


def reserve_ids(session: Session, model: type[Producer] | type[Product], count: int) -> list[int]:
    """Primary keys for `count` rows inserted with explicit ids (their products refer to them).

    PostgreSQL hands them out from the table's sequence, so concurrent inserts never collide. On SQLite
    the seed holds the write lock (BEGIN IMMEDIATE) for the whole transaction, so max(id)+1 is safe.
    """
    if count == 0:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.execute(sa.select(sa.func.pg_get_serial_sequence(table.name, "id"))).scalar_one()
        series = sa.func.generate_series(1, count).table_valued("n")
        return list(session.execute(sa.select(sa.func.nextval(sequence)).select_from(series)).scalars())
    start = session.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one() + 1
    return list(range(start, start + count))


def bulk_insert(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """INSERT rows in batches. render_nulls: the ORM otherwise leaves out None values and splits a batch
    wherever the set of null columns changes, which with these varied rows meant thousands of tiny
    statements (100,000 products: 87 s instead of 51 s on PostgreSQL). Every row here gives every
    column, so NULL is exactly what None means."""
    statement = sa.insert(model).execution_options(render_nulls=True)
    for start in range(0, len(rows), CHUNK):
        session.execute(statement, rows[start : start + CHUNK])


def _name(kind: Kind, chosen: Sequence[Variant]) -> dict[str, str]:
    return with_qualifiers(kind.name, [v.text for v in chosen]).as_dict()


def _days(value: float) -> dt.timedelta:
    return dt.timedelta(days=value)


def _round_price(value: float) -> int:
    step = 5_000 if value >= 100_000 else 1_000 if value >= 10_000 else 500
    return max(step, round(value / step) * step)


def _round_amount(value: int) -> int:
    """Order quantities as producers state them: 12, 50, 300, 2,500…"""
    step = 1 if value < 20 else 5 if value < 100 else 10 if value < 500 else 50 if value < 2000 else 100
    return max(1, round(value / step) * step)


class ProductMaker:
    """Turns a producer and a status into a product row, its photos and its grades."""

    def __init__(self, rng: random.Random, now: dt.datetime, staff_id: int, photos: PhotoPool) -> None:
        self.rng = rng
        self.now = now
        self.staff_id = staff_id
        self.photos = photos
        self._name_text: dict[tuple[str, str, str], str] = {}
        self._description_text: dict[tuple[str, str], str] = {}

    def search_text(
        self, plan: ProducerPlan, kind: Kind, name: dict[str, str], description: dict[str, str]
    ) -> tuple[str, str]:
        """(search_name, search_body) exactly as the catalogue service stores them, folding each text once."""
        name_key = (name["lo"], name["en"], name["th"])
        if name_key not in self._name_text:
            self._name_text[name_key] = product_search_text(name, {}, {}, None, None)[0]
        description_key = (kind.key, plan.place.en)
        if description_key not in self._description_text:
            self._description_text[description_key] = product_search_text({}, description, {}, None, None)[1]
        if not plan.search_part:
            row = plan.row
            plan.search_part = product_search_text({}, {}, row["name"], row["district"], row["village"])[1]
        body = FIELD_SEPARATOR.join(
            part for part in (self._description_text[description_key], plan.search_part) if part
        )
        return self._name_text[name_key], body

    def _choose(self, plan: ProducerPlan) -> tuple[Kind, list[Variant], dict[str, str]]:
        """A kind and variant words giving a name this producer has not used yet (or another edition of it)."""
        for _ in range(8):
            kind = self.rng.choice(plan.lines)
            chosen = [self.rng.choice(dimension) for dimension in kind.variants]
            if _name(kind, chosen)["en"] not in plan.used_names:
                break
        else:
            for edition in EDITIONS:
                if _name(kind, [*chosen, edition])["en"] not in plan.used_names:
                    chosen = [*chosen, edition]
                    break
            # else: a very large producer repeats a name, as real catalogues do
        name = _name(kind, chosen)
        plan.used_names.add(name["en"])
        return kind, chosen, name

    def make(self, plan: ProducerPlan, status: ProductStatus) -> PlannedProduct:
        rng, now = self.rng, self.now
        kind, chosen, name = self._choose(plan)
        description = (kind.description + MADE_IN.fill(place=plan.place)).as_dict()
        factor = math.prod(v.price_factor for v in chosen)
        low, high = kind.price
        price = _round_price(rng.triangular(low, high, low + (high - low) * 0.35) * factor)
        certifications = [code for code, share in kind.certifications if rng.random() < share]
        search_name, search_body = self.search_text(plan, kind, name, description)

        times = self._timeline(plan.row["created_at"], status)
        grades = self._grades(times["published_at"]) if status == ProductStatus.published else []
        pending = None
        missing = [c for c in ("organic", "lao-fdd", "fair-trade", "gi") if c not in certifications]
        if status == ProductStatus.published and missing and rng.random() < PENDING_EDIT_SHARE:
            pending = {"certifications": [*certifications, rng.choice(missing)]}
            times["submitted_at"] = now - _days(rng.uniform(0.1, 10))  # the service stamps an edit's submission
        review_note = None
        if status == ProductStatus.rejected:
            food = kind.category in FOOD_CATEGORIES and "lao-fdd" not in certifications
            review_note = FOOD_REVIEW_NOTE if food and rng.random() < 0.6 else rng.choice(REVIEW_NOTES)
        reviewed = status in (ProductStatus.published, ProductStatus.rejected)
        row = {
            "producer_id": plan.row.get("id"),
            "category": kind.category,
            "province_code": plan.province,
            "name": name,
            "description": description,
            "materials": kind.materials.as_dict(),
            "price_lak": price,
            "unit": next((v.unit for v in chosen if v.unit), kind.unit),
            "moq": _round_amount(rng.randint(*kind.moq)),
            "monthly_capacity": _round_amount(rng.randint(*kind.capacity)),
            "lead_time_days": rng.randint(*kind.lead_days),
            "hs_code": kind.hs_code if kind.hs_code and rng.random() < 0.7 else None,
            "certifications": certifications,
            "status": status.value,
            "pending_changes": pending,
            "review_note": review_note,
            "reviewed_by_user_id": self.staff_id if reviewed else None,
            "stars": grades[-1][1] if grades else None,
            "stars_valid_until": grades[-1][0] + GRADE_VALIDITY if grades else None,
            "search_name": search_name,
            "search_body": search_body,
            "created_by_user_id": self.staff_id,
            "updated_by_user_id": self.staff_id,
            "deleted_at": None,
            **times,
        }
        tint = next((v.tint for v in chosen if v.tint), kind.tint)
        if status == ProductStatus.draft:
            count = rng.randint(0, 2)  # a draft may not have its photos yet
        else:
            count = rng.choices(list(PHOTO_COUNTS), list(PHOTO_COUNTS.values()))[0]
        photos = self.photos.choose(rng, kind.motif, tint, count) if count else []
        return PlannedProduct(kind, row, photos, grades)

    def _timeline(self, producer_created: dt.datetime, status: ProductStatus) -> dict[str, dt.datetime | None]:
        """created → submitted → reviewed (= published) dates that fit the status, after the producer joined."""
        rng, now = self.rng, self.now
        age = (now - producer_created).days - 60
        submitted = reviewed = published = None
        if status == ProductStatus.published:
            published = now - _days(rng.triangular(1, age, min(age, 150)))  # most are recent, some years old
            reviewed = published
            submitted = published - _days(rng.uniform(0.5, 14))
            created = submitted - _days(rng.uniform(0.1, 30))
        elif status == ProductStatus.rejected:
            submitted = now - _days(rng.uniform(3, min(age, 240)))
            reviewed = min(now, submitted + _days(rng.uniform(0.5, 10)))
            created = submitted - _days(rng.uniform(0.1, 30))
        elif status == ProductStatus.submitted:
            submitted = now - _days(rng.uniform(0.05, 21))
            created = submitted - _days(rng.uniform(0.1, 20))
        else:
            created = now - _days(rng.uniform(0.1, 120))
        last = reviewed or submitted or created
        updated = min(now, last + _days(rng.uniform(0, 2)))
        return {
            "created_at": created,
            "submitted_at": submitted,
            "reviewed_at": reviewed,
            "published_at": published,
            "updated_at": updated,
        }

    def _grades(self, published: dt.datetime | None) -> list[tuple[dt.datetime, int]]:
        """The product's star grades: given at publication; an expired one is often renewed."""
        rng, now = self.rng, self.now
        if published is None or rng.random() >= GRADED_SHARE:
            return []
        graded = min(now, published + _days(rng.uniform(0, 3)))
        stars = rng.choices(list(STAR_WEIGHTS), list(STAR_WEIGHTS.values()))[0]
        grades = [(graded, stars)]
        if graded + GRADE_VALIDITY < now and rng.random() < REGRADED_SHARE:
            renewed = graded + GRADE_VALIDITY + _days(rng.uniform(-30, 45))
            if renewed < now:
                grades.append((renewed, max(1, min(5, stars + rng.choice((-1, 0, 0, 1))))))
        return grades


def photo_rows(product_id: int, planned: PlannedProduct, user_id: int) -> list[dict[str, Any]]:
    created = planned.row["created_at"]
    return [
        {
            "product_id": product_id,
            "position": position,
            "content_hash": photo.content_hash,
            "paths": photo.paths,
            "width": photo.width,
            "height": photo.height,
            "created_at": created + dt.timedelta(minutes=5 + position),
            "created_by_user_id": user_id,
        }
        for position, photo in enumerate(planned.photos)
    ]


def grade_rows(product_id: int, planned: PlannedProduct, staff_id: int) -> list[dict[str, Any]]:
    return [
        {
            "product_id": product_id,
            "stars": stars,
            "graded_by_user_id": staff_id,
            "graded_at": graded_at,
            "valid_until": graded_at + GRADE_VALIDITY,
            "note": GRADE_NOTE.format(year=graded_at.year),
        }
        for graded_at, stars in planned.grades
    ]


def share_out(rng: random.Random, total: int, producers: int) -> list[int]:
    """Split `total` products among producers: one each first, the rest unevenly (some are much bigger)."""
    if producers == 0:
        return []
    if total < producers:
        counts = [0] * producers
        for index in rng.sample(range(producers), total):
            counts[index] = 1
        return counts
    weights = [rng.lognormvariate(0, 0.6) for _ in range(producers)]
    extra = Counter(rng.choices(range(producers), weights, k=total - producers))
    return [1 + extra[i] for i in range(producers)]


def status_sequence(rng: random.Random, count: int) -> list[ProductStatus]:
    return rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()), k=count)


class ListingCandidates:
    """A fair random sample of published products per province, for the showrooms (reservoir sampling)."""

    def __init__(self, rng: random.Random, provinces: Sequence[str], size: int) -> None:
        self.rng = rng
        self.size = size
        self.samples: dict[str, list[int]] = {code: [] for code in provinces}
        self._seen: Counter[str] = Counter()

    def offer(self, province: str, product_id: int) -> None:
        sample = self.samples.get(province)
        if sample is None:
            return
        self._seen[province] += 1
        if len(sample) < self.size:
            sample.append(product_id)
        else:
            slot = self.rng.randrange(self._seen[province])
            if slot < self.size:
                sample[slot] = product_id


def insert_bulk_catalogue(
    session: Session,
    maker: ProductMaker,
    plans: list[ProducerPlan],
    candidates: ListingCandidates,
    totals: CatalogueTotals,
    progress: Callable[[str], None],
) -> None:
    """Insert the producers of `plans` and their products (`plan.product_count` each), with photos and grades."""
    staff_id = maker.staff_id
    for plan, producer_id in zip(plans, reserve_ids(session, Producer, len(plans)), strict=True):
        plan.row.update(id=producer_id, created_by_user_id=staff_id, updated_by_user_id=staff_id)
    bulk_insert(session, Producer, [plan.row for plan in plans])
    totals.producers += len(plans)

    wanted = sum(plan.product_count for plan in plans)
    product_ids = iter(reserve_ids(session, Product, wanted))
    products: list[dict[str, Any]] = []
    photos: list[dict[str, Any]] = []
    grades: list[dict[str, Any]] = []

    def flush() -> None:
        bulk_insert(session, Product, products)
        bulk_insert(session, ProductImage, photos)
        bulk_insert(session, ProductGrade, grades)
        totals.photos += len(photos)
        totals.grades += len(grades)
        products.clear()
        photos.clear()
        grades.clear()

    done = 0
    for plan in plans:
        for status in status_sequence(maker.rng, plan.product_count):
            planned = maker.make(plan, status)
            product_id = next(product_ids)
            planned.row["id"] = product_id
            products.append(planned.row)
            photos.extend(photo_rows(product_id, planned, staff_id))
            grades.extend(grade_rows(product_id, planned, staff_id))
            totals.statuses[status.value] += 1
            if planned.grades and planned.row["stars_valid_until"] < maker.now:
                totals.expired_grades += 1
            if status == ProductStatus.published:
                candidates.offer(plan.province, product_id)
            if len(products) >= CHUNK:
                done += len(products)
                flush()
                if done % PROGRESS_EVERY == 0:
                    progress(f"products: {done:,} of {wanted:,}")
    done += len(products)
    flush()
    totals.products += done
