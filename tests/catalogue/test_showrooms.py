"""Showrooms and the listings staff curate; a province's online showroom."""

from __future__ import annotations

import datetime as dt


def test_staff_creates_showroom_and_lists_products(client, make_user, auth_headers, make_producer, make_product):
    staff = auth_headers(make_user("staff"))
    r = client.post(
        "/api/v1/showrooms",
        json={
            "name": {"lo": "ຫ້ອງວາງສະແດງ ODOP ຫຼວງນ້ຳທາ", "en": "Luang Namtha ODOP showroom"},
            "province_code": "LA-LM",
            "address": "Namtha town",
        },
        headers=staff,
    )
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    producer = make_producer(province="LA-LM")
    featured = make_product(producer, status="published", name={"en": "Tai Lue cotton"})
    plain = make_product(producer, status="published", name={"en": "Bamboo basket"})
    old = make_product(producer, status="published", name={"en": "Last year's tea"})
    draft = make_product(producer)
    assert (
        client.post(f"/api/v1/showrooms/{sid}/listings", json={"product_id": plain.id}, headers=staff).status_code
        == 201
    )
    r = client.post(
        f"/api/v1/showrooms/{sid}/listings", json={"product_id": featured.id, "featured": True}, headers=staff
    )
    assert r.status_code == 201 and r.json()["product"]["name"]["en"] == "Tai Lue cotton"
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    client.post(f"/api/v1/showrooms/{sid}/listings", json={"product_id": old.id, "ends_on": yesterday}, headers=staff)
    assert (
        client.post(f"/api/v1/showrooms/{sid}/listings", json={"product_id": draft.id}, headers=staff).status_code
        == 422
    )
    assert (
        client.post(f"/api/v1/showrooms/{sid}/listings", json={"product_id": plain.id}, headers=staff).status_code
        == 409
    )
    bad_dates = {"product_id": draft.id, "starts_on": "2026-05-01", "ends_on": "2026-04-01"}
    assert client.post(f"/api/v1/showrooms/{sid}/listings", json=bad_dates, headers=staff).status_code == 422

    listings = client.get(f"/api/v1/showrooms/{sid}/listings").json()
    assert [entry["product_id"] for entry in listings] == [featured.id, plain.id]  # featured first; ended one hidden
    everything = client.get(
        f"/api/v1/showrooms/{sid}/listings", params={"include_inactive": True}, headers=staff
    ).json()
    assert len(everything) == 3

    online = client.get("/api/v1/provinces/LA-LM/showroom").json()
    assert [p["id"] for p in online["featured"]] == [featured.id]
    assert online["products"]["total"] == 3 and online["showrooms"][0]["id"] == sid
    assert client.get("/api/v1/showrooms", params={"province": "LA-LM"}).json()["total"] == 1
    assert client.get("/api/v1/provinces/LA-ZZ/showroom").status_code == 404


def test_only_staff_curate(client, make_user, auth_headers, make_product):
    body = {"name": {"en": "Pop-up"}, "province_code": "LA-VT"}
    assert client.post("/api/v1/showrooms", json=body).status_code == 401
    for role in ("producer", "buyer"):
        assert client.post("/api/v1/showrooms", json=body, headers=auth_headers(make_user(role))).status_code == 403
    staff = auth_headers(make_user("staff"))
    sid = client.post("/api/v1/showrooms", json=body, headers=staff).json()["id"]
    product = make_product(status="published")
    producer_h = auth_headers(make_user("producer"))
    assert (
        client.post(
            f"/api/v1/showrooms/{sid}/listings", json={"product_id": product.id}, headers=producer_h
        ).status_code
        == 403
    )
    assert client.post("/api/v1/showrooms", json={**body, "province_code": "LA-XX"}, headers=staff).status_code == 422
