"""Catalogue rules: who may create and change producers and products, moderation, grading.

Services never commit; the request's transaction does. Every write that matters is audited.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import Role, User
from app.catalogue.models import (
    GRADE_VALIDITY,
    Producer,
    Product,
    ProductGrade,
    ProductStatus,
)
from app.catalogue.reference_service import category_slugs, province_codes
from app.catalogue.schemas import ProducerCreate, ProducerUpdate, ProductCreate, ProductUpdate
from app.db import utcnow
from app.errors import N_, Conflict, Forbidden, Message, NotFound, Unprocessable
from app.search.documents import producer_search_text, product_search_text

# Changing these on a published product needs a new review; the live text stays online meanwhile.
REVIEWED_FIELDS = frozenset({"name", "description", "materials", "category", "certifications"})


# ---- who may do what -------------------------------------------------------------------------


def is_owner(actor: User | None, producer: Producer) -> bool:
    return actor is not None and producer.owner_user_id is not None and producer.owner_user_id == actor.id


def may_manage(actor: User | None, producer: Producer) -> bool:
    """Staff may act for any producer; a producer account only for its own."""
    return actor is not None and (actor.is_staff or is_owner(actor, producer))


def may_see(actor: User | None, product: Product, producer: Producer) -> bool:
    if product.deleted_at is not None or producer.deleted_at is not None:
        return False
    return product.status == ProductStatus.published or may_manage(actor, producer)


# ---- producers -------------------------------------------------------------------------------


def get_producer(session: Session, producer_id: int) -> Producer:
    producer = session.get(Producer, producer_id)
    if producer is None or producer.deleted_at is not None:
        raise NotFound(N_("There is no producer {producer_id}.", producer_id=producer_id))
    return producer


def producer_for_write(session: Session, actor: User, producer_id: int) -> Producer:
    producer = get_producer(session, producer_id)
    if not may_manage(actor, producer):
        raise Forbidden(N_("Only the producer's own account or trade-promotion staff may change it."))
    return producer


def owned_producer(session: Session, user: User) -> Producer | None:
    return session.exec(
        select(Producer).where(Producer.owner_user_id == user.id, Producer.deleted_at.is_(None))
    ).first()


def _check_province(session: Session, code: str) -> None:
    if code not in province_codes(session):
        raise Unprocessable(
            N_("Unknown province {code!r}; use an ISO code such as LA-LP.", code=code), loc=["body", "province_code"]
        )


def _check_owner(session: Session, owner_user_id: int, producer_id: int | None = None) -> None:
    owner = session.get(User, owner_user_id)
    if owner is None or owner.role != Role.producer:
        raise Unprocessable(N_("The owner must be an existing producer account."), loc=["body", "owner_user_id"])
    taken = session.exec(select(Producer.id).where(Producer.owner_user_id == owner_user_id)).first()
    if taken is not None and taken != producer_id:
        raise Conflict(N_("That account already owns a producer."))


def create_producer(session: Session, actor: User, data: ProducerCreate) -> Producer:
    """A producer account creates its own (one); staff create one for any owner, or none yet."""
    if actor.role == Role.producer:
        if data.owner_user_id not in (None, actor.id):
            raise Forbidden(N_("A producer account can only create its own producer."))
        if owned_producer(session, actor) is not None:
            raise Conflict(N_("This account already has a producer profile; edit it instead."))
        owner_id: int | None = actor.id
    elif actor.is_staff:
        owner_id = data.owner_user_id
        if owner_id is not None:
            _check_owner(session, owner_id)
    else:
        raise Forbidden(N_("Only producer accounts and staff create producers."))
    _check_province(session, data.province_code)
    fields = data.model_dump(exclude={"owner_user_id"}, exclude_none=True)
    now = utcnow()
    producer = Producer(
        **fields,
        owner_user_id=owner_id,
        created_by_user_id=actor.id,
        updated_by_user_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    producer.search_text = producer_search_text(producer.name, producer.district, producer.village)
    session.add(producer)
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(N_("That account already owns a producer.")) from exc
    record(session, actor, "producer.create", "producer", producer.id, on_behalf=actor.is_staff)
    return producer


def update_producer(session: Session, actor: User, producer: Producer, data: ProducerUpdate) -> Producer:
    changes = data.model_dump(exclude_unset=True)
    if "owner_user_id" in changes:
        if not actor.is_staff:
            raise Forbidden(N_("Only staff may hand a producer to another account."))
        if changes["owner_user_id"] is not None:
            _check_owner(session, changes["owner_user_id"], producer.id)
    if changes.get("province_code") is not None:
        _check_province(session, changes["province_code"])
    for key in ("name", "province_code", "kind", "women_led"):
        if key in changes and changes[key] is None:
            raise Unprocessable(N_("{key} cannot be empty.", key=Message(key)), loc=["body", key])
    for key, value in changes.items():
        setattr(producer, key, value if value is not None or key not in ("description",) else {})
    producer.updated_at = utcnow()
    producer.updated_by_user_id = actor.id
    session.add(producer)
    if changes.keys() & {"name", "province_code", "district", "village"}:
        producer.search_text = producer_search_text(producer.name, producer.district, producer.village)
        refresh_products_of(session, producer)
    record(
        session,
        actor,
        "producer.update",
        "producer",
        producer.id,
        on_behalf=not is_owner(actor, producer),
        fields=sorted(changes),
    )
    return producer


def delete_producer(session: Session, actor: User, producer: Producer) -> None:
    """Soft delete: nothing a producer entered is destroyed, but it disappears everywhere."""
    now = utcnow()
    producer.deleted_at = now
    session.add(producer)
    session.execute(
        sa.update(Product)
        .where(Product.producer_id == producer.id, Product.deleted_at.is_(None))
        .values(deleted_at=now)
    )
    record(session, actor, "producer.delete", "producer", producer.id, on_behalf=not is_owner(actor, producer))


def refresh_products_of(session: Session, producer: Producer) -> None:
    """Keep the copies a producer's products hold (province, search text) in step with it."""
    for product in session.exec(select(Product).where(Product.producer_id == producer.id)):
        product.province_code = producer.province_code
        _refresh_search_text(product, producer)
        session.add(product)


# ---- products --------------------------------------------------------------------------------


def _refresh_search_text(product: Product, producer: Producer) -> None:
    product.search_name, product.search_body = product_search_text(
        product.name, product.description, producer.name, producer.district, producer.village
    )


def _check_category(session: Session, slug: str) -> None:
    if slug not in category_slugs(session):
        raise Unprocessable(
            N_("Unknown category {slug!r}; see /api/v1/categories.", slug=slug), loc=["body", "category"]
        )


def load_product(session: Session, product_id: int) -> tuple[Product, Producer]:
    row = session.exec(
        select(Product, Producer).join(Producer, Producer.id == Product.producer_id).where(Product.id == product_id)
    ).first()
    if row is None:
        raise NotFound(N_("There is no product {product_id}.", product_id=product_id))
    return row[0], row[1]


def product_for_read(session: Session, actor: User | None, product_id: int) -> tuple[Product, Producer]:
    """A product the caller may see; unpublished ones are 404 to others (their existence is nobody's business)."""
    product, producer = load_product(session, product_id)
    if not may_see(actor, product, producer):
        raise NotFound(N_("There is no product {product_id}.", product_id=product_id))
    return product, producer


def product_for_write(session: Session, actor: User, product_id: int) -> tuple[Product, Producer]:
    product, producer = product_for_read(session, actor, product_id)
    if not may_manage(actor, producer):
        raise Forbidden(N_("Only the producer's own account or trade-promotion staff may change this product."))
    return product, producer


def create_product(session: Session, actor: User, data: ProductCreate) -> Product:
    """A new product starts as a draft."""
    if not (actor.is_staff or actor.role == Role.producer):
        raise Forbidden(N_("Only producers and staff add products."))
    try:
        producer = get_producer(session, data.producer_id)
    except NotFound as exc:
        raise Unprocessable(exc.detail, loc=["body", "producer_id"]) from exc
    if not may_manage(actor, producer):
        raise Forbidden(N_("You can only add products to your own producer."))
    _check_category(session, data.category)
    now = utcnow()
    product = Product(
        **data.model_dump(exclude_none=True),
        province_code=producer.province_code,
        status=ProductStatus.draft,
        created_by_user_id=actor.id,
        updated_by_user_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    _refresh_search_text(product, producer)
    session.add(product)
    session.flush()
    record(session, actor, "product.create", "product", product.id, on_behalf=not is_owner(actor, producer))
    return product


def update_product(session: Session, actor: User, product: Product, producer: Producer, data: ProductUpdate) -> Product:
    """Edit a product. On a published product, reviewed fields wait in `pending_changes` for staff."""
    changes = data.model_dump(exclude_unset=True)
    for key in ("name", "category"):
        if key in changes and changes[key] is None:
            raise Unprocessable(N_("{key} cannot be empty.", key=Message(key)), loc=["body", key])
    if changes.get("category") is not None:
        _check_category(session, changes["category"])
    for key in ("description", "materials"):
        if key in changes and changes[key] is None:
            changes[key] = {}
    if "certifications" in changes and changes["certifications"] is None:
        changes["certifications"] = []
    reviewed = {k: v for k, v in changes.items() if k in REVIEWED_FIELDS}
    immediate = {k: v for k, v in changes.items() if k not in REVIEWED_FIELDS}
    if product.status == ProductStatus.published and reviewed:
        pending = dict(product.pending_changes or {})
        pending.update({k: v for k, v in reviewed.items() if getattr(product, k) != v})
        product.pending_changes = pending or None
        if pending:
            product.submitted_at = utcnow()
    else:
        immediate.update(reviewed)
    for key, value in immediate.items():
        setattr(product, key, value)
    if product.status == ProductStatus.rejected and reviewed:
        product.status = ProductStatus.draft  # edited after rejection: the producer fixes, then resubmits
    product.updated_at = utcnow()
    product.updated_by_user_id = actor.id
    _refresh_search_text(product, producer)
    session.add(product)
    record(
        session,
        actor,
        "product.update",
        "product",
        product.id,
        on_behalf=not is_owner(actor, producer),
        fields=sorted(changes),
    )
    return product


def delete_product(session: Session, actor: User, product: Product, producer: Producer) -> None:
    product.deleted_at = utcnow()
    session.add(product)
    record(session, actor, "product.delete", "product", product.id, on_behalf=not is_owner(actor, producer))


def submit_product(session: Session, actor: User, product: Product, producer: Producer) -> Product:
    """Owner (or staff for them) sends a draft or rejected product to review."""
    if product.status == ProductStatus.submitted:
        return product
    if product.status == ProductStatus.published:
        raise Conflict(N_("This product is already published; edits go to review by themselves."))
    product.status = ProductStatus.submitted
    product.submitted_at = utcnow()
    session.add(product)
    record(session, actor, "product.submit", "product", product.id, on_behalf=not is_owner(actor, producer))
    return product


def awaits_review(product: Product) -> bool:
    return product.status == ProductStatus.submitted or (
        product.status == ProductStatus.published and bool(product.pending_changes)
    )


def review_product(
    session: Session,
    actor: User,
    product: Product,
    producer: Producer,
    *,
    approve: bool,
    stars: int | None,
    note: str | None,
) -> Product:
    """Staff approve (publish, apply pending edits, optionally grade) or reject with a note."""
    if not actor.is_staff:
        raise Forbidden(N_("Only trade-promotion staff review products."))
    if not awaits_review(product):
        raise Conflict(
            N_("This product is {status} and has nothing waiting for review.", status=Message(str(product.status)))
        )
    now = utcnow()
    if approve:
        for key, value in (product.pending_changes or {}).items():
            setattr(product, key, value)
        product.pending_changes = None
        if product.status != ProductStatus.published:
            product.published_at = now
        product.status = ProductStatus.published
        if stars is not None:
            grade_product(session, actor, product, stars=stars, note=note)
    elif product.status == ProductStatus.published:
        product.pending_changes = None  # the edit is refused; the live product stays as it was
    else:
        product.status = ProductStatus.rejected
    product.review_note = note
    product.reviewed_by_user_id = actor.id
    product.reviewed_at = now
    _refresh_search_text(product, producer)
    session.add(product)
    record(session, actor, "product.publish" if approve else "product.reject", "product", product.id, note=note)
    return product


def grade_product(
    session: Session, actor: User, product: Product, *, stars: int, note: str | None = None
) -> ProductGrade:
    """Record an ODOP star grade, valid for two years."""
    if not actor.is_staff:
        raise Forbidden(N_("Only trade-promotion staff grade products."))
    if not 1 <= stars <= 5:
        raise Unprocessable(N_("Stars are from 1 to 5."), loc=["body", "stars"])
    now = utcnow()
    grade = ProductGrade(
        product_id=product.id,
        stars=stars,
        graded_by_user_id=actor.id,
        graded_at=now,
        valid_until=now + GRADE_VALIDITY,
        note=note,
    )
    session.add(grade)
    product.stars = stars
    product.stars_valid_until = grade.valid_until
    session.add(product)
    record(session, actor, "product.grade", "product", product.id, stars=stars)
    return grade


def current_stars(product: Product, now: dt.datetime | None = None) -> int | None:
    """The grade that shows: none once it has expired."""
    if product.stars is None or product.stars_valid_until is None:
        return None
    return product.stars if product.stars_valid_until > (now or utcnow()) else None


def latest_grade(session: Session, product_id: int) -> ProductGrade | None:
    return session.exec(
        select(ProductGrade).where(ProductGrade.product_id == product_id).order_by(ProductGrade.graded_at.desc())
    ).first()


def review_queue(session: Session, *, limit: int = 50) -> tuple[list[tuple[Product, Producer]], int]:
    """What waits for review, oldest first (at most `limit`), and how many wait in all.

    The condition is written as models.REVIEW_SQL itself, so the partial index ix_product_review serves it.
    """
    waiting = sa.and_(
        Product.deleted_at.is_(None),
        sa.or_(Product.status == sa.literal_column("'submitted'"), Product.pending_changes.is_not(None)),
    )
    total = session.exec(select(sa.func.count(Product.id)).where(waiting)).one()
    rows = session.exec(
        select(Product, Producer)
        .join(Producer, Producer.id == Product.producer_id)
        .where(waiting, Producer.deleted_at.is_(None))
        .order_by(Product.submitted_at.asc(), Product.id)
        .limit(limit)
    )
    return [(p, pr) for p, pr in rows if awaits_review(p)], int(total)


def _producer_id_of(session: Session, user: User) -> int | None:
    producer = owned_producer(session, user)
    return producer.id if producer else None


def register_profile_lookups() -> None:
    from app.auth.service import register_profile_lookup

    register_profile_lookup("producer_id", _producer_id_of)


register_profile_lookups()
