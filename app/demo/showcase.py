"""The demo producer account's own producer, created through the catalogue service like a real one.

producer@odop.la creates its producer and products, submits them, and staff@odop.la reviews and grades
them: the normal path, with its audit trail. So logging in as the producer shows products in every state
(published, a draft, one waiting for review), and the staff review queue is not empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.catalogue import service as catalogue
from app.catalogue.models import Product, ProductImage, ProductStatus
from app.catalogue.schemas import ProducerCreate, ProductCreate
from app.demo.accounts import DemoAccounts
from app.demo.catalogue import CatalogueTotals, ListingCandidates, ProductMaker
from app.demo.producers import ProducerPlan

# In this order, so that even a tiny catalogue shows a published product, a draft and one under review.
SHOWCASE_STATUSES = (
    ProductStatus.published,
    ProductStatus.draft,
    ProductStatus.submitted,
    ProductStatus.published,
    ProductStatus.published,
)

_PRODUCER_FIELDS = ("kind", "district", "village", "phone", "whatsapp", "facebook", "email", "founded_year",
                    "members_count", "women_members_count", "women_led")  # fmt: skip
_PRODUCT_FIELDS = ("category", "name", "description", "materials", "price_lak", "unit", "moq", "monthly_capacity",
                   "lead_time_days", "hs_code", "certifications")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Showcase:
    producer_id: int
    products: list[Product]


def seed_showcase(
    session: Session,
    accounts: DemoAccounts,
    plan: ProducerPlan,
    maker: ProductMaker,
    candidates: ListingCandidates,
    totals: CatalogueTotals,
) -> Showcase:
    """Create `plan` as the producer account's producer, with `plan.product_count` products."""
    owner, staff = accounts.producer, accounts.staff
    row = plan.row
    data = ProducerCreate(
        name=row["name"],
        description=row["description"],
        province_code=row["province_code"],
        **{key: row[key] for key in _PRODUCER_FIELDS},
    )
    producer = catalogue.create_producer(session, owner, data)
    plan.row["id"] = producer.id
    totals.producers += 1

    products = []
    for index in range(plan.product_count):
        status = SHOWCASE_STATUSES[index % len(SHOWCASE_STATUSES)]
        planned = maker.make(plan, status)
        fields = {key: planned.row[key] for key in _PRODUCT_FIELDS}
        product = catalogue.create_product(session, owner, ProductCreate(producer_id=producer.id, **fields))
        if status in (ProductStatus.submitted, ProductStatus.published):
            catalogue.submit_product(session, owner, product, producer)
        if status == ProductStatus.published:
            stars = planned.grades[-1][1] if planned.grades else 4
            catalogue.review_product(session, staff, product, producer, approve=True, stars=stars, note=None)
            candidates.offer(plan.province, product.id)  # type: ignore[arg-type]
            totals.grades += 1
        for position, photo in enumerate(planned.photos):
            session.add(
                ProductImage(
                    product_id=product.id,
                    position=position,
                    content_hash=photo.content_hash,
                    paths=photo.paths,
                    width=photo.width,
                    height=photo.height,
                    created_by_user_id=owner.id,
                )
            )
        totals.photos += len(planned.photos)
        totals.statuses[status.value] += 1
        products.append(product)
    session.flush()
    totals.products += len(products)
    return Showcase(producer.id, products)  # type: ignore[arg-type]
