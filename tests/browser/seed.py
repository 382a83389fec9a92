"""A small, known catalogue for the browser tests, made through the real services."""

from __future__ import annotations

from app.auth import service as auth_service
from app.auth.models import Role
from app.catalogue import service, showrooms
from app.catalogue.schemas import ProducerCreate, ProductCreate

PASSWORD = "browser-test-pass"


def seed_browser_catalogue(database, app) -> dict:  # type: ignore[no-untyped-def]
    hasher = app.state.password_hasher
    with database.session(write=True) as session:
        staff = auth_service.create_user(
            session, hasher, email="staff@browser.la", password=PASSWORD, role=Role.staff, display_name="Officer Phet"
        )
        weaver = auth_service.create_user(
            session,
            hasher,
            email="weaver@browser.la",
            password=PASSWORD,
            role=Role.producer,
            display_name="Ban Phanom weavers",
        )
        producer = service.create_producer(
            session,
            weaver,
            ProducerCreate(
                name={"lo": "ກຸ່ມທໍຜ້າບ້ານຜານົມ", "en": "Ban Phanom weavers", "th": "กลุ่มทอผ้าบ้านผานม"},
                province_code="LA-LP",
                district="Luang Prabang",
                village="Ban Phanom",
                whatsapp="+856 20 5555 0101",
                phone="+856 20 5555 0101",
                women_led=True,
            ),
        )
        coffee_owner = auth_service.create_user(
            session,
            hasher,
            email="coffee@browser.la",
            password=PASSWORD,
            role=Role.producer,
            display_name="Paksong coffee",
        )
        coffee = service.create_producer(
            session,
            coffee_owner,
            ProducerCreate(
                name={"lo": "ສະຫະກອນກາເຟປາກຊ່ອງ", "en": "Paksong coffee cooperative"},
                province_code="LA-CH",
                district="Paksong",
            ),
        )
        products = [
            (producer, weaver, "silk", {"lo": "ຜ້າໄໝມັດໝີ່", "en": "Mat mii silk scarf", "th": "ผ้าไหมมัดหมี่"}, 450000, 5),
            (producer, weaver, "cotton", {"lo": "ຜ້າຝ້າຍທໍມື", "en": "Handwoven cotton shawl"}, 180000, 4),
            (
                coffee,
                coffee_owner,
                "coffee",
                {"lo": "ກາເຟອາຣາບິກາ", "en": "Bolaven arabica coffee", "th": "กาแฟอาราบิก้า"},
                150000,
                4,
            ),
            (coffee, coffee_owner, "tea", {"lo": "ຊາປ່າ", "en": "Wild forest tea"}, 90000, 3),
        ]
        ids = []
        for owner_producer, owner, category, name, price, stars in products:
            product = service.create_product(
                session,
                owner,
                ProductCreate(
                    producer_id=owner_producer.id,
                    category=category,
                    name=name,
                    price_lak=price,
                    unit="piece",
                    moq=10,
                    description={"en": "Made by hand in Laos.", "lo": "ເຮັດດ້ວຍມືໃນລາວ."},
                ),
            )
            service.submit_product(session, owner, product, owner_producer)
            service.review_product(session, staff, product, owner_producer, approve=True, stars=stars, note=None)
            ids.append(product.id)
        room = showrooms.create_showroom(
            session,
            staff,
            name={"lo": "ຫ້ອງວາງສະແດງ ODOP ຫຼວງພະບາງ", "en": "Luang Prabang ODOP showroom"},
            province_code="LA-LP",
            address="Sisavangvong Road",
        )
        showrooms.add_listing(session, staff, room, product_id=ids[0], featured=True, starts_on=None, ends_on=None)
    return {"silk_id": ids[0], "coffee_id": ids[2], "password": PASSWORD}
