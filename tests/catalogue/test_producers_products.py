"""Producers and products through the API: ownership, moderation, grades, lists, bad input."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AuditEvent
from app.catalogue.models import Producer, Product


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def new_producer_body(**kw):
    body = {
        "name": {"lo": "ກຸ່ມແມ່ຍິງທໍຜ້າບ້ານຊຽງແມນ", "en": "Xieng Men women weavers"},
        "province_code": "LA-LP",
        "district": "Chomphet",
        "village": "Xieng Men",
        "phone": "+856 20 5555 1234",
        "whatsapp": "+8562055551234",
        "women_led": True,
        "members_count": 24,
        "women_members_count": 22,
    }
    body.update(kw)
    return body


def test_producer_account_creates_its_one_producer(client, make_user, auth_headers, session):
    owner = make_user("producer")
    h = auth_headers(owner)
    r = client.post("/api/v1/producers", json=new_producer_body(), headers=h)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["owner_user_id"] == owner.id and body["name"]["lo"] == "ກຸ່ມແມ່ຍິງທໍຜ້າບ້ານຊຽງແມນ"
    assert client.get("/api/v1/auth/me", headers=h).json()["producer_id"] == body["id"]
    problem(client.post("/api/v1/producers", json=new_producer_body(), headers=h), 409)


def test_staff_creates_producer_on_behalf_and_it_is_recorded(client, make_user, auth_headers, session):
    staff, owner = make_user("staff"), make_user("producer")
    r = client.post("/api/v1/producers", json=new_producer_body(owner_user_id=owner.id), headers=auth_headers(staff))
    assert r.status_code == 201, r.text
    stored = session.get(Producer, r.json()["id"])
    assert stored.owner_user_id == owner.id and stored.created_by_user_id == staff.id
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity_id == stored.id, AuditEvent.entity_type == "producer")
    ).one()
    assert event.actor_user_id == staff.id and event.on_behalf and event.action == "producer.create"
    r = client.patch(f"/api/v1/producers/{stored.id}", json={"district": "Nan"}, headers=auth_headers(staff))
    assert r.status_code == 200 and r.json()["district"] == "Nan"
    session.refresh(stored)
    assert stored.updated_by_user_id == staff.id


def test_buyer_and_anonymous_cannot_create_producers(client, make_user, auth_headers):
    problem(client.post("/api/v1/producers", json=new_producer_body(), headers=auth_headers(make_user("buyer"))), 403)
    problem(client.post("/api/v1/producers", json=new_producer_body()), 401)


def test_unknown_province_and_missing_name_are_422(client, make_user, auth_headers):
    h = auth_headers(make_user("producer"))
    body = problem(client.post("/api/v1/producers", json=new_producer_body(province_code="LA-XX"), headers=h), 422)
    assert body["errors"][0]["loc"][-1] == "province_code"
    problem(client.post("/api/v1/producers", json=new_producer_body(name={}), headers=h), 422)
    problem(client.post("/api/v1/producers", json=new_producer_body(name={"fr": "x"}), headers=h), 422)
    problem(client.post("/api/v1/producers", json=new_producer_body(facebook="javascript:alert(1)"), headers=h), 422)


def test_producer_cannot_edit_another_producer(client, make_producer, make_user, auth_headers):
    mine, theirs = make_producer(), make_producer()
    h = auth_headers(make_user("producer"))
    problem(client.patch(f"/api/v1/producers/{theirs.id}", json={"district": "x"}, headers=h), 403)
    assert mine.id != theirs.id


def product_body(producer_id, **kw):
    body = {
        "producer_id": producer_id,
        "category": "coffee",
        "name": {"lo": "ກາເຟອາຣາບິກາ ພູພຽງບໍລະເວນ", "en": "Bolaven arabica coffee"},
        "description": {"en": "Shade-grown, washed process."},
        "price_lak": 180000,
        "unit": "kg",
        "moq": 10,
        "monthly_capacity": 500,
        "certifications": ["Organic", "Lao FDD"],
    }
    body.update(kw)
    return body


def test_product_lifecycle_draft_submit_publish_with_stars(client, make_producer, make_user, auth_headers, session):
    owner = make_user("producer")
    producer = make_producer(owner=owner)
    staff = make_user("staff")
    r = client.post("/api/v1/products", json=product_body(producer.id), headers=auth_headers(owner))
    assert r.status_code == 201, r.text
    product = r.json()
    assert product["status"] == "draft" and product["certifications"] == ["organic", "lao-fdd"]
    pid = product["id"]
    problem(client.get(f"/api/v1/products/{pid}"), 404)  # drafts are not public
    assert client.get(f"/api/v1/products/{pid}", headers=auth_headers(owner)).status_code == 200
    problem(
        client.post(f"/api/v1/products/{pid}/review", json={"decision": "approve"}, headers=auth_headers(staff)), 409
    )
    assert client.post(f"/api/v1/products/{pid}/submit", headers=auth_headers(owner)).json()["status"] == "submitted"
    queue = client.get("/api/v1/review-queue", headers=auth_headers(staff)).json()
    assert [p["id"] for p in queue] == [pid]
    problem(
        client.post(f"/api/v1/products/{pid}/review", json={"decision": "approve"}, headers=auth_headers(owner)), 403
    )
    r = client.post(
        f"/api/v1/products/{pid}/review",
        json={"decision": "approve", "stars": 4, "note": "fine"},
        headers=auth_headers(staff),
    )
    assert r.status_code == 200 and r.json()["status"] == "published" and r.json()["stars"] == 4
    public = client.get(f"/api/v1/products/{pid}").json()
    assert public["stars"] == 4 and public["grade"]["stars"] == 4
    valid_until = dt.datetime.fromisoformat(public["grade"]["valid_until"])
    assert 729 <= (valid_until - dt.datetime.now(dt.UTC)).days <= 730
    assert public["review_note"] is None  # moderation details are for the owner and staff


def test_reject_with_note_then_fix_and_resubmit(client, make_product, make_user, auth_headers, owner_of):
    product = make_product(status="submitted")
    staff = make_user("staff")
    r = client.post(
        f"/api/v1/products/{product.id}/review",
        json={"decision": "reject", "note": "Add a photo"},
        headers=auth_headers(staff),
    )
    assert r.json()["status"] == "rejected" and r.json()["review_note"] == "Add a photo"
    owner_h = auth_headers(owner_of(product))
    assert client.get(f"/api/v1/products/{product.id}", headers=owner_h).json()["review_note"] == "Add a photo"
    assert client.post(f"/api/v1/products/{product.id}/submit", headers=owner_h).json()["status"] == "submitted"


def test_editing_published_text_goes_to_review_and_stays_online(
    client, make_product, make_user, auth_headers, owner_of
):
    product = make_product(status="published", stars=5)
    owner = owner_of(product)
    r = client.patch(
        f"/api/v1/products/{product.id}",
        json={"name": {"en": "Renamed scarf"}, "price_lak": 99000},
        headers=auth_headers(owner),
    )
    assert r.status_code == 200, r.text
    assert r.json()["pending_changes"] == {"name": {"en": "Renamed scarf"}}
    public = client.get(f"/api/v1/products/{product.id}").json()
    assert public["status"] == "published" and public["name"]["en"] == "Silk scarf"  # old text still online
    assert public["price_lak"] == 99000  # prices change at once
    staff = make_user("staff")
    assert product.id in [p["id"] for p in client.get("/api/v1/review-queue", headers=auth_headers(staff)).json()]
    client.post(f"/api/v1/products/{product.id}/review", json={"decision": "approve"}, headers=auth_headers(staff))
    assert client.get(f"/api/v1/products/{product.id}").json()["name"] == {"en": "Renamed scarf"}
    assert client.get(f"/api/v1/products/{product.id}").json()["stars"] == 5


def test_expired_grade_no_longer_shows(client, make_product, session):
    product = make_product(status="published", stars=5)
    session.execute(
        sa.update(Product)
        .where(Product.id == product.id)
        .values(stars_valid_until=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    )
    session.flush()
    body = client.get(f"/api/v1/products/{product.id}").json()
    assert body["stars"] is None and body["grade"] is None
    assert client.get("/api/v1/products", params={"min_stars": 1}).json()["total"] == 0


def test_bad_product_input(client, make_producer, make_user, auth_headers):
    owner = make_user("producer")
    producer = make_producer(owner=owner)
    h = auth_headers(owner)
    problem(client.post("/api/v1/products", json=product_body(producer.id, price_lak=-1), headers=h), 422)
    body = problem(
        client.post("/api/v1/products", json=product_body(producer.id, category="spaceships"), headers=h), 422
    )
    assert body["errors"][0]["loc"][-1] == "category"
    problem(client.post("/api/v1/products", json=product_body(producer.id, name={"lo": "  "}), headers=h), 422)
    problem(client.post("/api/v1/products", json=product_body(producer.id, unknown_field=1), headers=h), 422)
    problem(client.post("/api/v1/products", json=product_body(999999), headers=h), 422)
    staff = make_user("staff")
    problem(
        client.post("/api/v1/products/1/review", json={"decision": "approve", "stars": 6}, headers=auth_headers(staff)),
        422,
    )
    problem(client.post("/api/v1/products/1/review", json={"decision": "maybe"}, headers=auth_headers(staff)), 422)


def test_buyer_cannot_create_products_and_producer_only_for_itself(client, make_producer, make_user, auth_headers):
    theirs = make_producer()
    problem(
        client.post("/api/v1/products", json=product_body(theirs.id), headers=auth_headers(make_user("buyer"))), 403
    )
    problem(
        client.post("/api/v1/products", json=product_body(theirs.id), headers=auth_headers(make_user("producer"))), 403
    )


def test_producer_cannot_edit_another_producers_product(client, make_product, make_user, auth_headers):
    draft, published = make_product(), make_product(status="published")
    h = auth_headers(make_user("producer"))
    problem(client.patch(f"/api/v1/products/{draft.id}", json={"price_lak": 1}, headers=h), 404)
    problem(client.patch(f"/api/v1/products/{published.id}", json={"price_lak": 1}, headers=h), 403)
    problem(client.delete(f"/api/v1/products/{published.id}", headers=h), 403)
    problem(client.post(f"/api/v1/products/{draft.id}/submit", headers=h), 404)


def test_delete_hides_product_but_keeps_the_row(client, make_product, make_user, auth_headers, session):
    product = make_product(status="published")
    staff = make_user("staff")
    assert client.delete(f"/api/v1/products/{product.id}", headers=auth_headers(staff)).status_code == 204
    problem(client.get(f"/api/v1/products/{product.id}"), 404)
    session.expire_all()
    assert session.get(Product, product.id).deleted_at is not None


def test_list_filters(client, make_producer, make_product):
    lp = make_producer(province="LA-LP")
    sl = make_producer(province="LA-SL", name={"lo": "ສະຫະກອນກາເຟ", "en": "Salavan coffee cooperative"})
    silk = make_product(lp, status="published", stars=5, category="silk", price_lak=450000, certifications=["gi"])
    coffee = make_product(
        sl,
        status="published",
        stars=3,
        category="coffee",
        price_lak=120000,
        name={"en": "Robusta coffee"},
        certifications=["organic"],
    )
    make_product(lp, status="draft", category="silk")

    def ids(**params):
        body = client.get("/api/v1/products", params=params).json()
        return sorted(p["id"] for p in body["items"]), body["total"]

    assert ids() == (sorted([silk.id, coffee.id]), 2)
    assert ids(province="LA-SL") == ([coffee.id], 1)
    assert ids(category="textiles") == ([silk.id], 1)  # a family includes its sub-categories
    assert ids(category="coffee") == ([coffee.id], 1)
    assert ids(min_stars=4) == ([silk.id], 1)
    assert ids(certification="organic") == ([coffee.id], 1)
    assert ids(certification="GI") == ([silk.id], 1)
    assert ids(price_min=200000) == ([silk.id], 1)
    assert ids(price_max=200000) == ([coffee.id], 1)
    assert ids(producer=lp.id) == ([silk.id], 1)
    body = client.get("/api/v1/products", params={"sort": "price", "per_page": 1}).json()
    assert body["items"][0]["id"] == coffee.id and body["total"] == 2 and body["per_page"] == 1
    assert (
        client.get("/api/v1/products", params={"page": 2, "per_page": 1, "sort": "price"}).json()["items"][0]["id"]
        == silk.id
    )
    problem(client.get("/api/v1/products", params={"per_page": 101}), 422)
    problem(client.get("/api/v1/products", params={"min_stars": 6}), 422)


def test_status_lists_own_products_and_staff_sees_all(client, make_product, make_user, auth_headers, owner_of):
    mine = make_product(status="draft")
    other = make_product(status="draft")
    owner = owner_of(mine)
    own = client.get("/api/v1/products", params={"status": "draft"}, headers=auth_headers(owner)).json()
    assert [p["id"] for p in own["items"]] == [mine.id]
    staff = client.get("/api/v1/products", params={"status": "draft"}, headers=auth_headers(make_user("staff"))).json()
    assert {mine.id, other.id} <= {p["id"] for p in staff["items"]}
    problem(client.get("/api/v1/products", params={"status": "draft"}), 401)


def test_text_query_finds_lao_across_spellings(client, make_producer, make_product):
    producer = make_producer(district="Paksong")
    honey = make_product(producer, status="published", category="honey", name={"lo": "ນ້ຳເຜິ້ງປ່າ", "en": "Wild honey"})
    make_product(producer, status="published", category="tea", name={"lo": "ຊາປ່າ", "en": "Forest tea"})
    for q in ("ນ້ຳເຜິ້ງ", "ນໍ້າເຜິ້ງ", "honey", "HONEY", "paksong wild"):
        ids = [p["id"] for p in client.get("/api/v1/products", params={"q": q}).json()["items"]]
        assert honey.id in ids, q


def test_list_page_runs_a_constant_number_of_queries(client, make_producer, make_product, engine):
    producer = make_producer()
    for i in range(6):
        make_product(producer, status="published", name={"en": f"Scarf {i}"})
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/api/v1/products", params={"per_page": 3})
        few = len(statements)
        statements.clear()
        client.get("/api/v1/products", params={"per_page": 6})
        many = len(statements)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert few == many and many <= 6, (few, many)


def test_provinces_count_producers_and_published_products(client, make_producer, make_product):
    producer = make_producer(province="LA-OU")
    make_product(producer, status="published")
    make_product(producer, status="draft")
    ou = next(p for p in client.get("/api/v1/provinces").json() if p["code"] == "LA-OU")
    assert ou["producer_count"] == 1 and ou["product_count"] == 1
