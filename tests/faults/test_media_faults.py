"""The media directory full or read-only: an upload fails with a clear 507 (no space) or 503 (read-only,
no permission), as problem+json, and leaves nothing behind (no photo row, no file, no temporary file,
no audit entry, the product untouched). A photo deleted while the directory is read-only is deleted;
its files stay until the orphan sweep runs on a writable directory.

The tests run as root, where chmod cannot make a directory read-only, so the operating system calls the
store makes are replaced for paths under the media root only: `os.open`/`os.mkdir` fail with EROFS or
EACCES (a read-only or foreign directory), `os.fsync` of the second file fails with ENOSPC or EDQUOT
(the disk fills up after the first rendition was written in full and the second one in part).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.audit.models import AuditEvent
from app.catalogue.models import Product, ProductImage
from app.media.storage import MediaStore
from app.media.sweep import sweep_orphans
from tests.faults.conftest import media_files, photo


@pytest.fixture
def store(app, client, tmp_path) -> Iterator[MediaStore]:  # type: ignore[no-untyped-def]
    """A media store of this test's own, so that what is (not) written can be compared exactly."""
    # (set by hand: monkeypatch would delete the attribute afterwards, app.state keeps no __dict__)
    shared, app.state.media_store = app.state.media_store, MediaStore(tmp_path / "media")
    try:
        yield app.state.media_store
    finally:
        app.state.media_store = shared


@pytest.fixture
def product(make_product):  # type: ignore[no-untyped-def]
    return make_product(status="published")


@pytest.fixture
def owner_headers(product, owner_of, auth_headers):  # type: ignore[no-untyped-def]
    return auth_headers(owner_of(product))


def _under(root: Path, path: object) -> bool:
    try:
        return Path(os.fsdecode(path)).resolve().is_relative_to(root)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def read_only(monkeypatch, root: Path, code: int = errno.EROFS) -> None:  # type: ignore[no-untyped-def]
    """Creating files or directories under `root` fails as on a read-only (EROFS) or foreign (EACCES) one."""
    real_open, real_mkdir = os.open, os.mkdir

    def guarded_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR) and _under(root, path):
            raise OSError(code, os.strerror(code), os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    def guarded_mkdir(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _under(root, path):
            raise OSError(code, os.strerror(code), os.fsdecode(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)


def disk_fills_up(monkeypatch, root: Path, code: int = errno.ENOSPC, after_files: int = 1) -> list[str]:  # type: ignore[no-untyped-def]
    """Flushing the (after_files+1)-th file written under `root` fails with `code`; returns the names it saw."""
    real_fsync = os.fsync
    seen: list[str] = []

    def fsync(fd: int) -> None:
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            path = ""
        if path.endswith(".part") and _under(root, path):
            seen.append(path)
            if len(seen) > after_files:
                raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


def upload(client, product_id: int, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/products/{product_id}/images",
        files={"file": ("p.jpg", photo(900, 600), "image/jpeg")},
        headers=headers,
    )


def snapshot(session, product_id: int, root: Path) -> tuple:  # type: ignore[type-arg]
    session.expire_all()
    p = session.get(Product, product_id)
    rows = session.exec(select(sa.func.count()).select_from(ProductImage).where(ProductImage.product_id == product_id))
    audits = session.exec(
        select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "product.photo_add")
    )
    return rows.one(), audits.one(), p.updated_at, media_files(root)


FAULTS: dict[str, tuple[Callable, int, str]] = {
    "disk full on the second rendition": (lambda mp, root: disk_fills_up(mp, root, errno.ENOSPC), 507, "space"),
    "quota exceeded": (lambda mp, root: disk_fills_up(mp, root, errno.EDQUOT, after_files=0), 507, "space"),
    "read-only filesystem": (lambda mp, root: read_only(mp, root, errno.EROFS), 503, "unavailable"),
    "no permission": (lambda mp, root: read_only(mp, root, errno.EACCES), 503, "unavailable"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_upload_to_a_full_or_read_only_media_directory_is_a_clean_failure(
    client, session, store, product, owner_headers, monkeypatch, fault
):
    assert upload(client, product.id, owner_headers).status_code == 201  # a photo stored before the fault
    before = snapshot(session, product.id, store.root)
    inject, status, words = FAULTS[fault]
    with monkeypatch.context() as patch:
        seen = inject(patch, store.root)
        r = upload(client, product.id, owner_headers)

    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and words in body["detail"].lower()
    assert "Traceback" not in r.text and str(store.root) not in r.text  # no internals
    if "second" in fault:
        assert len(seen) == 2  # the first rendition was written in full, the second in part
    assert snapshot(session, product.id, store.root) == before  # no row, no audit entry, no file, product as it was
    assert upload(client, product.id, owner_headers).status_code == 201  # once the disk is back, uploads work


def test_the_page_upload_fails_as_clearly(client, session, store, product, owner_of, monkeypatch):
    from app.auth import service as auth_service
    from app.auth.models import SessionKind

    secret = auth_service.start_session(session, owner_of(product), SessionKind.cookie, dt.timedelta(hours=1))
    session.flush()
    client.get("/")  # the CSRF cookie
    client.cookies.set("odop_session", secret)
    headers = {"HX-Request": "true", "HX-Target": "photos", "X-CSRF-Token": client.cookies.get("odop_csrf")}
    before = snapshot(session, product.id, store.root)
    with monkeypatch.context() as patch:
        disk_fills_up(patch, store.root, after_files=0)
        r = client.post(
            f"/my/products/{product.id}/photos", files={"file": ("p.jpg", photo(), "image/jpeg")}, headers=headers
        )

    assert r.status_code == 507
    assert "toast" in r.headers["hx-trigger"]
    assert snapshot(session, product.id, store.root) == before


def test_a_photo_deleted_on_a_read_only_directory_is_gone_and_its_files_are_swept_later(
    client, db, session, store, product, owner_headers, monkeypatch, caplog
):
    first = upload(client, product.id, owner_headers).json()
    files = media_files(store.root)
    assert len(files) >= 2

    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _under(store.root, path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real_unlink(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "unlink", unlink)
        r = client.delete(f"/api/v1/products/{product.id}/images/{first['id']}", headers=owner_headers)
        assert r.status_code == 204  # the photo is gone for everyone at once
        assert client.get(f"/api/v1/products/{product.id}").json()["images"] == []
        assert media_files(store.root) == files  # its files could not go
        assert any("Could not" in m for m in caplog.messages)  # and that was logged

        result = sweep_orphans(db, store, older_than_seconds=0)  # still read-only: keeps trying later
        assert result.removed == [] and media_files(store.root) == files
    result = sweep_orphans(db, store, older_than_seconds=0)
    assert sorted(result.removed) == sorted(files)
    assert media_files(store.root) == set()


def test_the_sweep_keeps_referenced_and_recent_files(client, db, store, product, owner_headers):
    kept = upload(client, product.id, owner_headers).json()
    referenced = {u.removeprefix("/media/") for u in kept["urls"].values()}
    orphan = "ab/cd/abcd" + "0" * 60 + "-320.webp"
    (store.root / "ab/cd").mkdir(parents=True)
    (store.root / orphan).write_bytes(b"left by a crash")
    stale_tmp = store.root / "ab/cd/.tmp-x1y2.part"
    stale_tmp.write_bytes(b"half")
    old = os.stat(store.root / orphan).st_mtime - 7200
    for path in [store.root / orphan, stale_tmp, *(store.root / r for r in referenced)]:
        os.utime(path, (old, old))

    fresh = sweep_orphans(db, store, older_than_seconds=3 * 3600)  # everything is younger than that
    assert fresh.removed == [] and fresh.temporary_removed == 0
    result = sweep_orphans(db, store, older_than_seconds=3600)  # the orphan and the temporary file are older
    assert result.removed == [orphan] and result.temporary_removed == 1
    assert result.kept_referenced == len(referenced)
    assert media_files(store.root) == referenced
    for relpath in referenced:  # and the stored photo is whole
        assert store.path_for(relpath).stat().st_size > 0
