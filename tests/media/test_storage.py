"""Tests of app.media.storage. The store does not look inside the bytes, so fake variants suffice."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import InsufficientStorage, NotFound, ServiceUnavailable
from app.media import storage
from app.media.processing import ProcessedImage
from app.media.storage import MediaStore


def fake_processed(tag: bytes = b"photo") -> ProcessedImage:
    variants = {size: tag + b"-variant-%d" % size * 50 for size in (320, 800, 1600)}
    return ProcessedImage(
        variants=variants,
        dimensions={320: (320, 240), 800: (800, 600), 1600: (1600, 1200)},
        width=4000,
        height=3000,
        content_hash=hashlib.sha256(tag).hexdigest(),
        source_format="JPEG",
    )


def all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def store(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")


def test_save_writes_content_addressed_files(store: MediaStore) -> None:
    processed = fake_processed()
    paths = store.save_variants(processed)
    assert set(paths) == {320, 800, 1600}
    for size, relpath in paths.items():
        data = processed.variants[size]
        digest = hashlib.sha256(data).hexdigest()
        assert relpath == f"{digest[:2]}/{digest[2:4]}/{digest}-{size}.webp"
        assert store.path_for(relpath).read_bytes() == data
        assert store.path_for(relpath).stat().st_mode & 0o777 == 0o644
    assert all_files(store.root) == sorted(paths.values())  # no temporary files left behind


def test_same_content_twice_gives_same_paths_and_no_duplicates(store: MediaStore) -> None:
    first = store.save_variants(fake_processed())
    mtimes = {p: store.path_for(p).stat().st_mtime_ns for p in first.values()}
    second = store.save_variants(fake_processed())
    assert first == second
    assert all_files(store.root) == sorted(first.values())
    assert {p: store.path_for(p).stat().st_mtime_ns for p in second.values()} == mtimes  # reused


def test_shared_variant_bytes_are_stored_once(store: MediaStore) -> None:
    small = b"a 500-px rendition"
    processed = ProcessedImage(
        variants={320: b"thumbnail", 800: small, 1600: small},
        dimensions={320: (320, 256), 800: (500, 400), 1600: (500, 400)},
        width=500,
        height=400,
        content_hash="0" * 64,
        source_format="PNG",
    )
    paths = store.save_variants(processed)
    assert paths[800] == paths[1600]
    assert paths[800].endswith("-500.webp")
    assert len(all_files(store.root)) == 2


def test_a_damaged_existing_file_is_rewritten(store: MediaStore) -> None:
    paths = store.save_variants(fake_processed())
    store.path_for(paths[800]).write_bytes(b"half")
    store.save_variants(fake_processed())
    assert store.path_for(paths[800]).read_bytes() == fake_processed().variants[800]


def failing_on_call(n: int, exc: BaseException) -> Callable[[int], None]:
    """An os.fsync replacement that fails on its n-th call (one call per variant file)."""
    real_fsync = os.fsync
    calls = 0

    def fsync(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == n:
            raise exc
        real_fsync(fd)

    return fsync


@pytest.mark.parametrize(
    ("exc", "expected", "status"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), InsufficientStorage, 507),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), InsufficientStorage, 507),
        (OSError(errno.EROFS, "Read-only file system"), ServiceUnavailable, 503),
        (PermissionError(errno.EACCES, "Permission denied"), ServiceUnavailable, 503),
        (OSError(errno.EIO, "Input/output error"), ServiceUnavailable, 503),
    ],
    ids=["ENOSPC", "EDQUOT", "EROFS", "EACCES", "EIO"],
)
def test_failure_on_second_variant_leaves_no_file(
    store: MediaStore, monkeypatch: pytest.MonkeyPatch, exc: OSError, expected: type, status: int
) -> None:
    monkeypatch.setattr(storage.os, "fsync", failing_on_call(2, exc))
    with pytest.raises(expected) as info:
        store.save_variants(fake_processed())
    assert info.value.status_code == status
    assert info.value.detail
    assert info.value.__cause__ is exc
    assert all_files(store.root) == []  # neither the first variant nor the temporary file


def test_failure_when_making_renames_durable_leaves_no_file(store: MediaStore, monkeypatch: pytest.MonkeyPatch) -> None:
    # Three file fsyncs succeed, the first directory fsync fails.
    monkeypatch.setattr(storage.os, "fsync", failing_on_call(4, OSError(errno.EIO, "I/O error")))
    with pytest.raises(ServiceUnavailable):
        store.save_variants(fake_processed())
    assert all_files(store.root) == []


def test_unexpected_error_is_reraised_after_clean_up(store: MediaStore, monkeypatch: pytest.MonkeyPatch) -> None:
    boom = RuntimeError("bug")
    monkeypatch.setattr(storage.os, "fsync", failing_on_call(2, boom))
    with pytest.raises(RuntimeError) as info:
        store.save_variants(fake_processed())
    assert info.value is boom
    assert all_files(store.root) == []


def test_rollback_keeps_files_that_were_already_there(store: MediaStore, monkeypatch: pytest.MonkeyPatch) -> None:
    before = store.save_variants(fake_processed(b"one"))
    other = fake_processed(b"two")
    shared = ProcessedImage(
        variants={320: fake_processed(b"one").variants[320], 800: other.variants[800], 1600: other.variants[1600]},
        dimensions=other.dimensions,
        width=other.width,
        height=other.height,
        content_hash=other.content_hash,
        source_format="JPEG",
    )
    # 320 is reused (no write), 800 is written, 1600 fails.
    monkeypatch.setattr(storage.os, "fsync", failing_on_call(2, OSError(errno.ENOSPC, "full")))
    with pytest.raises(InsufficientStorage):
        store.save_variants(shared)
    assert all_files(store.root) == sorted(before.values())


def test_read_only_directory_is_503(store: MediaStore) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    store.root.mkdir(parents=True)
    store.root.chmod(0o555)
    try:
        with pytest.raises(ServiceUnavailable):
            store.save_variants(fake_processed())
    finally:
        store.root.chmod(0o755)


@pytest.mark.parametrize(
    "relpath",
    [
        "../etc/passwd",
        "/etc/passwd",
        "ab/cd/../../../etc/passwd",
        "",
        ".",
        "ab/cd/.tmp-123.part",
        "AB/CD/" + "ab" * 32 + "-320.webp",
        "ab/cd/" + "ab" * 32 + "-320.webp",  # fan-out directories do not match the hash
        "ab/cd/abcd" + "0" * 60 + "-320.webp/../../../../etc/passwd",
        "ab/cd/abcd" + "0" * 60 + "-320.webp\x00",
    ],
)
def test_path_for_refuses_paths_outside_the_store(store: MediaStore, relpath: str) -> None:
    with pytest.raises(NotFound):
        store.path_for(relpath)


def test_path_for_refuses_symlinks_out_of_the_root(store: MediaStore, tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "cd"
    outside.mkdir(parents=True)
    store.root.mkdir(parents=True)
    (store.root / "ab").symlink_to(outside.parent, target_is_directory=True)
    with pytest.raises(NotFound):
        store.path_for("ab/cd/abcd" + "0" * 60 + "-320.webp")


def test_path_for_a_valid_name(store: MediaStore) -> None:
    relpath = "ab/cd/abcd" + "0" * 60 + "-1600.webp"
    assert store.path_for(relpath) == store.root / relpath


def test_delete_removes_and_ignores_missing(store: MediaStore) -> None:
    kept = store.save_variants(fake_processed(b"kept"))
    gone = store.save_variants(fake_processed(b"gone"))
    store.delete(gone.values())
    store.delete(gone.values())  # again: already missing
    assert all_files(store.root) == sorted(kept.values())


def test_delete_refuses_foreign_paths_before_removing_anything(store: MediaStore) -> None:
    paths = store.save_variants(fake_processed())
    with pytest.raises(ValueError):
        store.delete([paths[320], "../etc/passwd"])
    assert all_files(store.root) == sorted(paths.values())


def test_iter_files_lists_only_stored_files(store: MediaStore) -> None:
    assert list(store.iter_files()) == []  # the root does not even exist yet
    a = store.save_variants(fake_processed(b"a"))
    b = store.save_variants(fake_processed(b"b"))
    relpath = a[320]
    (store.root / relpath).with_name(".tmp-leftover.part").write_bytes(b"crash")
    (store.root / "README").write_text("not media")
    assert list(store.iter_files()) == sorted([*a.values(), *b.values()])
    assert relpath in set(store.iter_files())
