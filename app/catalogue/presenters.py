"""Rows → API shapes. The owner and staff also see moderation details; the public does not."""

from __future__ import annotations

from typing import Any

from app.auth.models import User
from app.catalogue import service
from app.catalogue.models import Producer, Product, ProductGrade, ProductImage
from app.catalogue.schemas import (
    GradePublic,
    ImagePublic,
    ProducerPublic,
    ProducerSummary,
    ProductCard,
    ProductPublic,
)

MEDIA_PREFIX = "/media/"


def media_url(relpath: str) -> str:
    return MEDIA_PREFIX + relpath


def image_public(image: ProductImage) -> ImagePublic:
    return ImagePublic(
        id=image.id,
        position=image.position,
        urls={size: media_url(path) for size, path in image.paths.items()},
        width=image.width,
        height=image.height,
    )


def product_card(product: Any, producer_name: dict[str, str], cover_paths: dict[str, str] | None) -> ProductCard:
    """The card of a product in the HTML lists. `product` is a Product or a row of repository.card_columns()
    (both have id, name, price_lak, unit, stars, stars_valid_until); `cover_paths` the first photo's paths."""
    return ProductCard(
        id=product.id,
        name=product.name,
        price_lak=product.price_lak,
        unit=product.unit,
        stars=service.current_stars(product),
        producer_name=producer_name,
        cover={size: MEDIA_PREFIX + path for size, path in cover_paths.items()} if cover_paths is not None else None,
    )


def product_cards(rows: list[Any]) -> list[ProductCard]:
    """Cards of rows of repository.list_product_cards."""
    return [product_card(row, row.producer_name, row.cover_paths) for row in rows]


def producer_public(producer: Producer) -> ProducerPublic:
    return ProducerPublic.model_validate(producer, from_attributes=True)


def product_public(
    product: Product,
    producer: Producer,
    images: list[ProductImage],
    viewer: User | None,
    grade: ProductGrade | None = None,
) -> ProductPublic:
    stars = service.current_stars(product)
    privileged = service.may_manage(viewer, producer)
    shown_images = [image_public(i) for i in images]
    return ProductPublic(
        id=product.id,
        producer_id=product.producer_id,
        producer=ProducerSummary(
            id=producer.id, name=producer.name, province_code=producer.province_code, district=producer.district
        ),
        category=product.category,
        province_code=product.province_code,
        name=product.name,
        description=product.description,
        materials=product.materials,
        price_lak=product.price_lak,
        unit=product.unit,
        moq=product.moq,
        monthly_capacity=product.monthly_capacity,
        lead_time_days=product.lead_time_days,
        hs_code=product.hs_code,
        certifications=product.certifications,
        status=product.status,
        stars=stars,
        grade=GradePublic(
            stars=grade.stars,
            graded_at=grade.graded_at,
            valid_until=grade.valid_until,
            graded_by_user_id=grade.graded_by_user_id if privileged else None,
        )
        if grade is not None and stars is not None
        else None,
        images=shown_images,
        cover_url=shown_images[0].urls.get("320") if shown_images else None,
        review_note=product.review_note if privileged else None,
        pending_changes=product.pending_changes if privileged else None,
        submitted_at=product.submitted_at if privileged else None,
        published_at=product.published_at,
        created_at=product.created_at,
        updated_at=product.updated_at,
    )
