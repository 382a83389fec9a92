"""Product photos through the API: upload, refusal of bad files, ordering, deletion, serving /media/.

Every image is generated here with Pillow (or by hand). The media directory is shared by the whole
test session and files are not rolled back with the database, so each photo is made unique and
each check compares the directory before and after.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
import sqlalchemy as sa
from PIL import ExifTags, Image, ImageDraw
from sqlmodel import select

from app.audit.models import AuditEvent
from app.catalogue import images as image_service
from app.catalogue.models import ProductImage
from app.media.serving import mount_media
from app.media.storage import MediaStore

STORE_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}-\d+\.webp")
_unique = itertools.count(1)


# ---- helpers ---------------------------------------------------------------------------------


def photo_jpeg(width: int = 120, height: int = 90, *, orientation: int | None = None, gps: bool = False) -> bytes:
    """A small JPEG whose pixels differ from every other one this session makes."""
    n = next(_unique)
    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    ImageDraw.Draw(img).rectangle((2, 2, width // 2, height // 2), fill=(n * 37 % 256, n * 91 % 256, n % 256))
    ImageDraw.Draw(img).text((4, height - 14), str(n), fill=(255, 255, 255))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N"
        info[ExifTags.GPS.GPSLatitude] = (17.0, 58.0, 12.5)
        info[ExifTags.GPS.GPSLongitudeRef] = "E"
        info[ExifTags.GPS.GPSLongitude] = (102.0, 36.0, 3.0)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


def png_bomb(side: int = 30_000) -> bytes:
    """A ~100-byte PNG claiming side×side RGB pixels (2.7 GB once decoded)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress((b"\x00" * (1 + 3 * side)) * 4, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def upload(client, product_id, data, headers, filename="photo.jpg", content_type="image/jpeg"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/products/{product_id}/images", files={"file": (filename, data, content_type)}, headers=headers
    )


def problem(response, status):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def stored_files(settings) -> set[str]:  # type: ignore[no-untyped-def]
    root = Path(settings.media_dir)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def image_count(session) -> int:  # type: ignore[no-untyped-def]
    return session.exec(select(sa.func.count()).select_from(ProductImage)).one()


@contextmanager
def nothing_stored(session, settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The block adds no product_image row and no file under the media directory."""
    rows, files = image_count(session), stored_files(settings)
    yield
    assert image_count(session) == rows
    assert stored_files(settings) == files


def relpath(url: str) -> str:
    assert url.startswith("/media/")
    return url.removeprefix("/media/")


@pytest.fixture
def product(make_product):  # type: ignore[no-untyped-def]
    return make_product(status="published")


@pytest.fixture
def owner_headers(product, owner_of, auth_headers):  # type: ignore[no-untyped-def]
    return auth_headers(owner_of(product))


# ---- a good upload ---------------------------------------------------------------------------


def test_phone_photo_is_stored_upright_without_metadata_and_served(
    client, session, settings, product, owner_headers, owner_of
):
    original = photo_jpeg(300, 200, orientation=6, gps=True)  # stored landscape, shown portrait
    assert b"TestPhone" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    r = upload(client, product.id, original, owner_headers)
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body["urls"]) == {"320", "800", "1600"}
    assert (body["position"], body["width"], body["height"]) == (0, 200, 300)

    for size, url in body["urls"].items():
        served = client.get(url)
        assert served.status_code == 200, url
        assert served.headers["content-type"] == "image/webp"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
        data = served.content
        for needle in (b"Exif", b"EXIF", b"GPSLatitude", b"TestPhone"):
            assert needle not in data
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "WEBP" and len(img.getexif()) == 0 and "exif" not in img.info
            assert img.height > img.width  # turned upright
            assert max(img.size) == min(int(size), 300)  # never upscaled

    again = client.get(url, headers={"If-None-Match": served.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"].endswith("immutable")

    shown = client.get(f"/api/v1/products/{product.id}").json()
    assert [i["id"] for i in shown["images"]] == [body["id"]]
    assert shown["cover_url"] == body["urls"]["320"]

    row = session.get(ProductImage, body["id"])
    assert row.product_id == product.id and row.created_by_user_id == owner_of(product).id
    assert all(STORE_NAME.fullmatch(p) for p in row.paths.values())
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "product.photo_add")).one()
    assert event.entity_id == product.id and event.details["image_id"] == body["id"] and not event.on_behalf


def test_the_client_file_name_is_ignored(client, session, settings, product, owner_headers):
    outside = Path(settings.media_dir).parent
    before = {p for p in outside.rglob("*") if "escape" in p.name}
    r = upload(client, product.id, photo_jpeg(), owner_headers, filename="../../escape.jpg")
    assert r.status_code == 201, r.text
    assert all(STORE_NAME.fullmatch(relpath(u)) for u in r.json()["urls"].values())
    assert {p for p in outside.rglob("*") if "escape" in p.name} == before
    assert all(STORE_NAME.fullmatch(f) for f in stored_files(settings))


def test_staff_may_upload_for_a_producer(client, session, product, make_user, auth_headers):
    staff = make_user("staff")
    r = upload(client, product.id, photo_jpeg(), auth_headers(staff))
    assert r.status_code == 201, r.text
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "product.photo_add")).one()
    assert event.actor_user_id == staff.id and event.on_behalf


# ---- refusals --------------------------------------------------------------------------------


def test_only_the_owner_or_staff_may_upload(client, session, settings, product, make_user, make_product, auth_headers):
    stranger = make_user("producer")
    draft = make_product(status="draft")
    with nothing_stored(session, settings):
        problem(upload(client, product.id, photo_jpeg(), auth_headers(make_user("buyer"))), 403)
        problem(upload(client, product.id, photo_jpeg(), auth_headers(stranger)), 403)
        problem(upload(client, draft.id, photo_jpeg(), auth_headers(stranger)), 404)  # unpublished: not even seen
        problem(upload(client, product.id, photo_jpeg(), {}), 401)
        problem(upload(client, 987_654, photo_jpeg(), auth_headers(stranger)), 404)


@pytest.mark.parametrize(
    ("data", "filename", "status"),
    [
        (b"just some text, not a photo\n" * 20, "photo.jpg", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.svg", 415),
        (photo_jpeg(400, 300)[:700], "cut.jpg", 422),
        (b"", "empty.jpg", 422),
        (png_bomb(), "bomb.png", 413),
    ],
    ids=["text-named-jpg", "svg", "truncated-jpeg", "empty", "decompression-bomb"],
)
def test_bad_files_are_refused_and_leave_nothing(
    client, session, settings, product, owner_headers, data, filename, status
):
    with nothing_stored(session, settings):
        body = problem(upload(client, product.id, data, owner_headers, filename=filename), status)
    assert body["detail"]


def test_a_body_that_is_not_a_multipart_photo(client, session, settings, product, owner_headers):
    url = f"/api/v1/products/{product.id}/images"
    with nothing_stored(session, settings):
        problem(client.post(url, content=photo_jpeg(), headers={**owner_headers, "Content-Type": "image/jpeg"}), 415)
        wrong_field = client.post(url, files={"photo": ("a.jpg", photo_jpeg(), "image/jpeg")}, headers=owner_headers)
        assert problem(wrong_field, 422)["errors"][0]["loc"] == ["body", "file"]


def test_fifty_megabytes_are_refused_from_the_declared_length(client, session, settings, product, owner_headers):
    with nothing_stored(session, settings):
        body = problem(upload(client, product.id, b"\xff\xd8\xff" + bytes(50 * 1024 * 1024), owner_headers), 413)
    assert "15 MB" in body["detail"]


def test_streamed_upload_stops_being_read_past_the_limit(
    client, app, session, settings, product, owner_headers, monkeypatch
):
    """No Content-Length (chunked): the bounded reader stops soon after the limit, not at 50 MB."""
    monkeypatch.setattr(settings, "upload_max_bytes", 1024 * 1024)
    chunk = bytes(64 * 1024)
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        preamble = b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n\r\n\xff\xd8\xff'
        yield preamble
        for _ in range(50 * 16):  # 50 MB
            sent += len(chunk)
            yield chunk
        yield b"\r\n--XyZ--\r\n"

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ac:
            headers = {**owner_headers, "Content-Type": "multipart/form-data; boundary=XyZ"}
            return await ac.post(f"/api/v1/products/{product.id}/images", content=body(), headers=headers)

    with nothing_stored(session, settings):
        response = anyio.run(post)
    problem(response, 413)
    assert sent <= 1024 * 1024 + 4 * len(chunk)


def test_at_most_twelve_photos(client, session, settings, product, owner_headers):
    for position in range(image_service.MAX_IMAGES_PER_PRODUCT):
        session.add(
            ProductImage(
                product_id=product.id,
                position=position,
                content_hash="0" * 64,
                paths={"320": f"00/00/{'0' * 64}-{position + 1}.webp"},
                width=10,
                height=10,
            )
        )
    session.flush()
    with nothing_stored(session, settings):
        body = problem(upload(client, product.id, photo_jpeg(), owner_headers), 409)
    assert "at most 12 photos" in body["detail"]


def test_a_failed_insert_takes_its_files_back(
    client, session, settings, product, owner_headers, make_product, owner_of, auth_headers, monkeypatch
):
    shared = photo_jpeg()
    kept = upload(client, product.id, shared, owner_headers)
    assert kept.status_code == 201
    kept_files = {relpath(u) for u in kept.json()["urls"].values()}
    other = make_product(status="published")
    other_headers = auth_headers(owner_of(other))

    def broken_insert(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise sa.exc.OperationalError("INSERT INTO audit_event", {}, Exception("disk I/O error"))

    monkeypatch.setattr(image_service, "record", broken_insert)  # fails after the row was flushed
    with nothing_stored(session, settings):  # the new photo's files are removed again
        problem(upload(client, product.id, photo_jpeg(), owner_headers), 503)
    # The same content for another product: its insert fails, but the files the first photo uses stay.
    with nothing_stored(session, settings):
        problem(upload(client, other.id, shared, other_headers), 503)
    assert kept_files <= stored_files(settings)


def test_a_failed_file_write_inserts_nothing(client, session, settings, product, owner_headers, monkeypatch):
    from app.errors import InsufficientStorage

    def full_disk(self, processed):  # type: ignore[no-untyped-def]
        raise InsufficientStorage("The server has no space left for photos.")

    monkeypatch.setattr(MediaStore, "save_variants", full_disk)
    with nothing_stored(session, settings):
        problem(upload(client, product.id, photo_jpeg(), owner_headers), 507)


# ---- order, cover, delete --------------------------------------------------------------------


def test_reorder_and_choose_the_cover(client, session, product, owner_headers, make_user, auth_headers):
    a, b, c = (upload(client, product.id, photo_jpeg(), owner_headers).json() for _ in range(3))
    assert [a["position"], b["position"], c["position"]] == [0, 1, 2]
    url = f"/api/v1/products/{product.id}/images"

    r = client.put(f"{url}/order", json={"image_ids": [c["id"], a["id"], b["id"]]}, headers=owner_headers)
    assert r.status_code == 200, r.text
    assert [(i["id"], i["position"]) for i in r.json()] == [(c["id"], 0), (a["id"], 1), (b["id"], 2)]
    shown = client.get(f"/api/v1/products/{product.id}").json()
    assert [i["id"] for i in shown["images"]] == [c["id"], a["id"], b["id"]]
    assert shown["cover_url"] == c["urls"]["320"]

    for wrong in ([c["id"], a["id"]], [c["id"], a["id"], a["id"]], [c["id"], a["id"], b["id"], 999_999]):
        problem(client.put(f"{url}/order", json={"image_ids": wrong}, headers=owner_headers), 422)
    problem(client.put(f"{url}/order", json={"image_ids": [a["id"], b["id"], c["id"]]}, headers={}), 401)
    buyer = auth_headers(make_user("buyer"))
    problem(client.put(f"{url}/order", json={"image_ids": [a["id"], b["id"], c["id"]]}, headers=buyer), 403)
    problem(client.post(f"{url}/{b['id']}/cover", headers=buyer), 403)

    r = client.post(f"{url}/{b['id']}/cover", headers=owner_headers)
    assert r.status_code == 200, r.text
    assert [i["id"] for i in r.json()] == [b["id"], c["id"], a["id"]]
    assert client.get(f"/api/v1/products/{product.id}").json()["cover_url"] == b["urls"]["320"]
    problem(client.post(f"{url}/999999/cover", headers=owner_headers), 404)
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == product.id)).all()
    assert actions.count("product.photo_reorder") == 2


def test_delete_removes_the_row_and_files_nobody_else_uses(
    client, session, settings, product, owner_headers, make_product, owner_of, auth_headers
):
    other = make_product(status="published")
    other_headers = auth_headers(owner_of(other))
    same = photo_jpeg()
    first = upload(client, product.id, same, owner_headers).json()
    second = upload(client, product.id, photo_jpeg(), owner_headers).json()
    elsewhere = upload(client, other.id, same, other_headers).json()
    files = {relpath(u) for u in first["urls"].values()}
    assert files == {relpath(u) for u in elsewhere["urls"].values()}  # content-addressed: stored once

    url = f"/api/v1/products/{product.id}/images"
    problem(client.delete(f"{url}/{elsewhere['id']}", headers=owner_headers), 404)  # not this product's
    problem(client.delete(f"{url}/{first['id']}", headers=other_headers), 403)
    assert client.delete(f"{url}/{first['id']}", headers=owner_headers).status_code == 204
    assert session.get(ProductImage, first["id"]) is None
    assert files <= stored_files(settings)  # still used by the other product
    session.expire_all()
    assert session.get(ProductImage, second["id"]).position == 0  # the next one is the cover now

    other_url = f"/api/v1/products/{other.id}/images/{elsewhere['id']}"
    assert client.delete(other_url, headers=other_headers).status_code == 204
    assert not files & stored_files(settings)
    for u in elsewhere["urls"].values():
        assert client.get(u).status_code == 404
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "product.photo_delete")).all()
    assert {e.details["image_id"] for e in event} == {first["id"], elsewhere["id"]}


# ---- serving ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/..%2f..%2fetc%2fpasswd",
        "/media/",
        "/media/ab",
        "/media/ab/cd/",
        f"/media/ab/cd/.tmp-{'a' * 8}.part",
        f"/media/ab/cd/ab{'c' * 62}-320.png",
    ],
)
def test_media_serves_nothing_but_stored_names(client, path):
    assert client.get(path).status_code == 404


def test_media_refuses_traversal_at_the_asgi_level(client, app):
    """Whatever a client library normalises, the raw path never leaves the media directory."""
    sent: list[dict] = []

    async def call() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/media/../../../../etc/passwd",
            "raw_path": b"/media/../../../../etc/passwd",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 1234),
            "server": ("testserver", 80),
        }

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope, receive, send)

    anyio.run(call)
    assert sent[0]["status"] == 404
    assert b"root:" not in b"".join(m.get("body", b"") for m in sent)


def test_mount_media_creates_the_directory(settings, tmp_path):
    from fastapi import FastAPI

    target = tmp_path / "not" / "yet" / "there"
    app = FastAPI()
    mount_media(app, settings.model_copy(update={"media_dir": target}))
    assert target.is_dir() and app.state.media_store.root == target.resolve()
