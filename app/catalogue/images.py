"""Product photos: who may add, remove and order them, and when their files may go.

Services never commit. Positions of a product's photos are kept contiguous (0..n-1); position 0 is
the cover. Files are content-addressed (app.media.storage), so two rows can share files: a file is
only removed once no row references it, and only after the transaction that dropped the last
reference has committed (`remove_unreferenced_files`, called by the web layer).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from typing import Final

import sqlalchemy as sa
from sqlmodel import Session, select

from app.audit.service import record
from app.auth.models import User
from app.catalogue import service
from app.catalogue.models import Producer, Product, ProductImage
from app.db import Database, utcnow
from app.errors import N_, Conflict, DomainError, NotFound, Unprocessable
from app.media.processing import ProcessedImage
from app.media.storage import MediaStore

log = logging.getLogger(__name__)

MAX_IMAGES_PER_PRODUCT: Final = 12


# ---- reading ---------------------------------------------------------------------------------


def product_images(session: Session, product_id: int) -> list[ProductImage]:
    """A product's photos, cover first."""
    return list(
        session.exec(
            select(ProductImage)
            .where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position, ProductImage.id)
        )
    )


def _lock_product(session: Session, product_id: int) -> None:
    # Serialises concurrent changes to one product's photos on PostgreSQL (count, positions).
    # SQLite renders no FOR UPDATE; its write transactions (BEGIN IMMEDIATE) are serial anyway.
    session.execute(sa.select(Product.id).where(Product.id == product_id).with_for_update())


def _room_left(images: list[ProductImage]) -> None:
    if len(images) >= MAX_IMAGES_PER_PRODUCT:
        raise Conflict(
            N_("A product can have at most {n} photos; delete one before adding another.", n=MAX_IMAGES_PER_PRODUCT)
        )


def _renumber(session: Session, images: list[ProductImage]) -> list[ProductImage]:
    for position, image in enumerate(images):
        if image.position != position:
            image.position = position
            session.add(image)
    return images


def _touch(session: Session, actor: User, product: Product) -> None:
    product.updated_at = utcnow()
    product.updated_by_user_id = actor.id
    session.add(product)


# ---- writing ---------------------------------------------------------------------------------


def check_can_add(session: Session, actor: User, product_id: int) -> tuple[Product, Producer]:
    """Refuse early (before an upload is even read) if `actor` may not add a photo to the product.

    404/403 as `service.product_for_write`; 409 when the product already has the most photos.
    `add_image` checks all this again in the transaction that inserts.
    """
    product, producer = service.product_for_write(session, actor, product_id)
    _room_left(product_images(session, product_id))
    return product, producer


def add_image(
    session: Session, actor: User, product_id: int, processed: ProcessedImage, paths: dict[int, str]
) -> ProductImage:
    """Record a stored photo as the product's last one (its cover if it is the first).

    `paths` are the relative paths `MediaStore.save_variants` returned for `processed`.
    """
    _lock_product(session, product_id)
    product, producer = service.product_for_write(session, actor, product_id)
    images = product_images(session, product_id)
    _room_left(images)
    image = ProductImage(
        product_id=product_id,
        position=max((i.position for i in images), default=-1) + 1,
        content_hash=processed.content_hash,
        paths={str(size): relpath for size, relpath in paths.items()},
        width=processed.width,
        height=processed.height,
        created_by_user_id=actor.id,
    )
    session.add(image)
    session.flush()
    _touch(session, actor, product)
    record(
        session,
        actor,
        "product.photo_add",
        "product",
        product_id,
        on_behalf=not service.is_owner(actor, producer),
        image_id=image.id,
        content_hash=processed.content_hash,
    )
    return image


def delete_image(session: Session, actor: User, product_id: int, image_id: int) -> list[str]:
    """Remove a photo's row and close the gap in the order.

    Returns the relative paths of its files; the caller removes those no row references any more
    (`remove_unreferenced_files`) once the transaction has committed.
    """
    _lock_product(session, product_id)
    product, producer = service.product_for_write(session, actor, product_id)
    images = product_images(session, product_id)
    image = next((i for i in images if i.id == image_id), None)
    if image is None:
        raise NotFound(N_("Product {product_id} has no photo {image_id}.", product_id=product_id, image_id=image_id))
    session.delete(image)
    session.flush()
    _renumber(session, [i for i in images if i.id != image_id])
    _touch(session, actor, product)
    record(
        session,
        actor,
        "product.photo_delete",
        "product",
        product_id,
        on_behalf=not service.is_owner(actor, producer),
        image_id=image_id,
    )
    return sorted(set(image.paths.values()))


def reorder_images(session: Session, actor: User, product_id: int, image_ids: list[int]) -> list[ProductImage]:
    """Put the product's photos in the given order; `image_ids` must list each of them exactly once."""
    _lock_product(session, product_id)
    product, producer = service.product_for_write(session, actor, product_id)
    images = product_images(session, product_id)
    by_id = {i.id: i for i in images}
    if len(image_ids) != len(set(image_ids)) or set(image_ids) != set(by_id):
        raise Unprocessable(
            N_(
                "List each photo of product {product_id} exactly once: {ids}.", product_id=product_id, ids=sorted(by_id)
            ),
            loc=["body", "image_ids"],
        )
    return _apply_order(session, actor, product, producer, [by_id[i] for i in image_ids])


def set_cover(session: Session, actor: User, product_id: int, image_id: int) -> list[ProductImage]:
    """Make a photo the cover (position 0); the others keep their relative order."""
    _lock_product(session, product_id)
    product, producer = service.product_for_write(session, actor, product_id)
    images = product_images(session, product_id)
    cover = next((i for i in images if i.id == image_id), None)
    if cover is None:
        raise NotFound(N_("Product {product_id} has no photo {image_id}.", product_id=product_id, image_id=image_id))
    return _apply_order(session, actor, product, producer, [cover, *(i for i in images if i.id != image_id)])


def _apply_order(
    session: Session, actor: User, product: Product, producer: Producer, ordered: list[ProductImage]
) -> list[ProductImage]:
    _renumber(session, ordered)
    _touch(session, actor, product)
    record(
        session,
        actor,
        "product.photo_reorder",
        "product",
        product.id,
        on_behalf=not service.is_owner(actor, producer),
        image_ids=[i.id for i in ordered],
    )
    return ordered


# ---- files -----------------------------------------------------------------------------------


def referenced_paths(session: Session, relpaths: Collection[str]) -> set[str]:
    """Which of these relative paths some photo row still uses."""
    if not relpaths:
        return set()
    # `paths` is a small JSON object of store names (hex, "/", "-", ".webp": no LIKE wildcards);
    # matching its text with the quotes around each name is exact on both databases. It scans
    # product_image, which is fine for deletes and failed uploads, the only callers.
    as_text = sa.cast(ProductImage.paths, sa.Text)
    found: set[str] = set()
    for relpath in relpaths:
        hit = session.exec(select(ProductImage.id).where(as_text.like(f'%"{relpath}"%')).limit(1)).first()
        if hit is not None:
            found.add(relpath)
    return found


def remove_unreferenced_files(db: Database, store: MediaStore, relpaths: Iterable[str]) -> None:
    """Delete those of `relpaths` that no photo row references (after a delete, or a failed upload).

    Runs in its own short read transaction, after the one that dropped the references has ended.
    Never raises: a file that cannot be checked or removed is left for the orphan clean-up.
    """
    candidates = set(relpaths)
    if not candidates:
        return
    try:
        with db.session(write=False) as session:
            unused = candidates - referenced_paths(session, candidates)
        store.delete(sorted(unused))
    except (DomainError, ValueError, sa.exc.SQLAlchemyError) as exc:
        log.error("Could not remove photo files %s: %s", sorted(candidates), exc)
