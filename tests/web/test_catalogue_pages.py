"""The showroom as people use it: browse, product pages, a producer's journey, staff review, hostile text."""

from __future__ import annotations

import re

from sqlmodel import select

from app.catalogue.models import Producer, Product
from tests.factories import PASSWORD

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, email):
    token = csrf(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303


def test_browse_filters_and_htmx_swaps_only_results(client, make_producer, make_product):
    lp, sl = make_producer(province="LA-LP"), make_producer(province="LA-SL")
    make_product(lp, status="published", name={"lo": "ຜ້າໄໝລາຍນາກ", "en": "Naga silk"})
    make_product(sl, status="published", category="coffee", name={"lo": "ກາເຟ", "en": "Bolaven coffee"})
    page = client.get("/products?province=LA-SL")
    assert page.status_code == 200 and "ກາເຟ" in page.text  # Lao by default
    assert "ຜ້າໄໝລາຍນາກ" not in page.text
    fragment = client.get("/products?q=silk&lang=en", headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in fragment.text and "Naga <mark>silk</mark>" in fragment.text and "Bolaven" not in fragment.text
    # live search in another Lao spelling (ໄໝ typed as ໄຫມ): the matched words are marked as the product spells them
    lao = client.get("/products?q=ໄຫມ&lang=lo", headers={"HX-Request": "true", "HX-Target": "results"})
    assert "ຜ້າ<mark>ໄໝ</mark>ລາຍນາກ" in lao.text and "<mark>" not in client.get("/products").text
    assert "HX-Request" in fragment.headers["vary"]
    assert 'hx-push-url="true"' in page.text  # filters keep the URL shareable
    assert client.get("/products?min_stars=abc&page=-4&price_max=x").status_code == 200  # hand-edited URLs never fail


def test_product_page_shows_price_stars_producer_contacts_and_structured_data(client, make_producer, make_product):
    producer = make_producer(
        whatsapp="+856 20 5555 1234", phone="020 5555 1234", facebook="https://facebook.com/xiengmen"
    )
    product = make_product(
        producer,
        status="published",
        stars=4,
        price_lak=350000,
        unit="piece",
        moq=5,
        name={"lo": "ຜ້າໄໝ", "en": "Silk scarf"},
    )
    page = client.get(f"/products/{product.id}?lang=en")
    assert page.status_code == 200
    html = page.text
    assert "350,000 LAK" in html and 'aria-label="4 of 5 ODOP stars"' in html
    assert "https://wa.me/8562055551234" in html and 'href="tel:02055551234"' in html
    assert 'property="og:title" content="Silk scarf"' in html and '"@type": "Product"' in html
    assert "valid until" in html
    assert client.get(f"/products/{product.id}/qr.svg").headers["content-type"] == "image/svg+xml"
    sheet = client.get(f"/products/{product.id}/sheet?lang=en")
    assert "print-sheet" in sheet.text and "qr.svg" in sheet.text


def test_unknown_and_unpublished_products_are_friendly_404s(client, make_product):
    draft = make_product()
    for path in ("/products/999999", f"/products/{draft.id}", "/producers/424242", "/provinces/LA-ZZ"):
        r = client.get(path + "?lang=en")
        assert r.status_code == 404 and "Back to the showroom" in r.text, path


def test_producer_journey_profile_product_submit(client, make_user, session):
    make_user("producer", email="noy@example.la")
    login(client, "noy@example.la")
    assert "Create my producer profile" in client.get("/my?lang=en").text
    form = client.get("/my/producer").text
    r = client.post("/my/producer", data={"csrf_token": csrf(form), "name_lo": "", "province_code": "LA-XX"})
    assert r.status_code == 422 and 'id="name-error"' in r.text  # errors shown in place
    r = client.post(
        "/my/producer",
        data={
            "csrf_token": csrf(form),
            "name_lo": "ກຸ່ມທໍຜ້າບ້ານນາ",
            "name_en": "Ban Na weavers",
            "province_code": "LA-HO",
            "district": "Xam Neua",
            "women_led": "1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    producer = session.exec(select(Producer).where(Producer.district == "Xam Neua")).one()
    assert producer.women_led and producer.name["en"] == "Ban Na weavers"

    form = client.get("/my/products/new").text
    token = csrf(form)
    bad = client.post(
        "/my/products/new", data={"csrf_token": token, "category": "silk", "name_lo": "ຜ້າໄໝ", "price_lak": "-5"}
    )
    assert bad.status_code == 422 and 'id="price_lak-error"' in bad.text and 'value="ຜ້າໄໝ"' in bad.text
    live = client.post(
        "/my/products/new/validate",
        data={"csrf_token": token, "category": "silk", "price_lak": "abc"},
        headers={"HX-Request": "true", "HX-Target": "product-form"},
    )
    assert live.status_code == 200 and 'id="price_lak-error"' in live.text and "<html" not in live.text
    assert session.exec(select(Product).where(Product.producer_id == producer.id)).first() is None  # nothing saved
    ok = client.post(
        "/my/products/new",
        data={
            "csrf_token": token,
            "category": "silk",
            "name_lo": "ຜ້າໄໝມັດໝີ່",
            "price_lak": "450,000",
            "certifications": ["gi"],
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    product = session.exec(select(Product).where(Product.producer_id == producer.id)).one()
    assert product.price_lak == 450000 and product.certifications == ["gi"] and product.status == "draft"
    r = client.post(f"/my/products/{product.id}/submit", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    session.expire_all()
    assert session.get(Product, product.id).status == "submitted"
    assert "submitted" in client.get("/my?lang=en").text


def test_form_post_without_csrf_is_refused(client, make_user):
    make_user("producer", email="noy@example.la")
    login(client, "noy@example.la")
    r = client.post("/my/producer", data={"name_lo": "x", "province_code": "LA-LP"})
    assert r.status_code == 403


def test_staff_review_page_publishes_with_stars(client, make_user, make_product, session):
    product = make_product(status="submitted", name={"en": "Rattan basket"})
    make_user("staff", email="officer@example.la")
    login(client, "officer@example.la")
    page = client.get("/staff/review?lang=en")
    assert "Rattan basket" in page.text
    r = client.post(
        f"/staff/review/{product.id}",
        data={"csrf_token": csrf(page.text), "decision": "approve", "stars": "4"},
        headers={"HX-Request": "true", "HX-Target": f"review-{product.id}"},
    )
    assert r.status_code == 200 and "toast" in r.headers["hx-trigger"]
    session.expire_all()
    stored = session.get(Product, product.id)
    assert stored.status == "published" and stored.stars == 4
    assert "Rattan basket" not in client.get("/staff/review?lang=en").text


def test_review_and_staff_pages_are_for_staff_only(client, make_user):
    make_user("producer", email="noy@example.la")
    login(client, "noy@example.la")
    assert client.get("/staff/review").status_code == 403
    client.cookies.clear()
    r = client.get("/staff/review", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_staff_curates_a_showroom_and_it_shows_on_the_province_page(client, make_user, make_producer, make_product):
    make_user("staff", email="officer@example.la")
    login(client, "officer@example.la")
    product = make_product(make_producer(province="LA-OU"), status="published", name={"en": "Oudomxay tea"})
    page = client.get("/staff/showrooms")
    r = client.post(
        "/staff/showrooms",
        data={"csrf_token": csrf(page.text), "name": "Oudomxay ODOP showroom", "province_code": "LA-OU"},
        follow_redirects=False,
    )
    room = r.headers["location"]
    curate = client.get(room + "?lang=en")
    assert "Oudomxay tea" in curate.text
    client.post(room + "/listings", data={"csrf_token": csrf(curate.text), "product_id": product.id, "featured": "1"})
    province = client.get("/provinces/LA-OU?lang=en").text
    assert "Featured" in province and "Oudomxay tea" in province


def test_hostile_text_in_every_field_shows_as_text(client, make_user, make_producer, make_product, auth_headers):
    for payload in HOSTILE:
        fields = {"district": payload[:100], "village": payload[:100], "description": {"en": payload}}
        producer = make_producer(name={"en": payload, "lo": payload}, **fields)
        product = make_product(
            producer,
            status="published",
            name={"en": payload, "lo": payload},
            description={"en": payload, "lo": payload},
            materials={"en": payload},
            unit=payload[:40],
        )
        for path in (
            f"/products/{product.id}",
            f"/producers/{producer.id}",
            "/products",
            f"/provinces/{producer.province_code}",
            f"/products/{product.id}/sheet",
            "/",
            f"/products?q={payload}",
        ):
            for lang in ("lo", "en"):
                html = client.get(path, params={"lang": lang}).text
                assert "<script>alert(1)" not in html and "<img src=x onerror" not in html, (path, payload)
                assert 'href="javascript:' not in html, (path, payload)


def _jpeg(color=(180, 40, 60)) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def test_producer_manages_photos_on_the_product_page(client, make_user, make_producer, make_product, session):
    from app.catalogue.models import ProductImage

    owner = make_user("producer", email="noy@example.la")
    product = make_product(make_producer(owner=owner))
    login(client, "noy@example.la")
    page = client.get(f"/my/products/{product.id}")
    assert 'capture="environment"' in page.text and "data-upload-progress" in page.text
    headers = {"HX-Request": "true", "HX-Target": "photos", "X-CSRF-Token": client.cookies.get("odop_csrf")}
    assert (
        client.post(f"/my/products/{product.id}/photos", files={"file": ("a.jpg", _jpeg(), "image/jpeg")}).status_code
        == 403
    )
    for color in ((200, 30, 30), (30, 200, 30)):
        r = client.post(
            f"/my/products/{product.id}/photos", files={"file": ("p.jpg", _jpeg(color), "image/jpeg")}, headers=headers
        )
        assert r.status_code == 200 and 'id="photos"' in r.text and "<html" not in r.text
    bad = client.post(
        f"/my/products/{product.id}/photos", files={"file": ("x.jpg", b"not an image", "image/jpeg")}, headers=headers
    )
    assert bad.status_code == 415 and "toast" in bad.headers["hx-trigger"]
    first, second = [
        i.id
        for i in session.exec(
            select(ProductImage).where(ProductImage.product_id == product.id).order_by(ProductImage.position)
        )
    ]
    token = csrf(page.text)
    r = client.post(f"/my/products/{product.id}/photos/{second}/cover", data={"csrf_token": token}, headers=headers)
    assert r.status_code == 200
    session.expire_all()
    cover = session.exec(
        select(ProductImage).where(ProductImage.product_id == product.id, ProductImage.position == 0)
    ).one()
    assert cover.id == second
    client.post(f"/my/products/{product.id}/photos/{first}/delete", data={"csrf_token": token}, headers=headers)
    session.expire_all()
    assert [i.id for i in session.exec(select(ProductImage).where(ProductImage.product_id == product.id))] == [second]


def test_staff_imports_a_csv_and_sees_problems_by_line(client, make_user, session):
    make_user("staff", email="officer@example.la")
    login(client, "officer@example.la")
    page = client.get("/staff/import?lang=en")
    token = csrf(page.text)
    header = "producer_name_lo,province_code,category,name_lo,price_lak\n"
    bad = header + "ກຸ່ມຊາ,LA-PH,tea,ຊາຜົ້ງສາລີ,-5\n"
    r = client.post(
        "/staff/import?lang=en",
        data={"csrf_token": token},
        files={"file": ("x.csv", bad.encode(), "text/csv")},
        headers={"HX-Request": "true", "HX-Target": "import-result"},
    )
    assert r.status_code == 422 and "Nothing was imported" in r.text and '<td class="num">2</td>' in r.text
    assert session.exec(select(Product)).first() is None
    good = header + "ກຸ່ມຊາ,LA-PH,tea,ຊາຜົ້ງສາລີ,120000\n"
    r = client.post(
        "/staff/import?lang=en", data={"csrf_token": token}, files={"file": ("x.csv", good.encode(), "text/csv")}
    )
    assert r.status_code == 200 and "Imported 1 rows" in r.text
    assert session.exec(select(Product)).one().name == {"lo": "ຊາຜົ້ງສາລີ"}
