"""Content-addressed, crash-safe storage of the WebP renditions on the local filesystem.

Layout: `<root>/ab/cd/<sha256 of the file's bytes>-<longest edge in px>.webp`. Naming by the hash of
the bytes themselves (not of the upload) makes reuse provably correct: a file that exists under a
name has exactly the bytes the name promises, whatever pipeline version wrote it. Renditions that
share bytes (a small photo's 800 and 1600 entries) are therefore stored once.

Each file is written to a temporary file in its final directory, fsynced, then renamed over the
final name (atomic on POSIX), and the directories are fsynced, so a reader or a crash never sees
half a file. A failed `save_variants` removes the files it created and raises a domain error.

Known limitation: if two requests store the same bytes at the same moment and the first one then
fails on a later variant, its rollback removes a file the second one reuses. Such a race needs
identical photos uploaded concurrently *and* a storage failure; the orphan clean-up that compares
`iter_files()` with the database is the place to repair it (it cannot be done without reference
counting). Stale `.tmp-*.part` files can only be left by a crash mid-write; `iter_files` skips them.

No web or database code here: paths in, paths out.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from app.errors import N_, InsufficientStorage, NotFound, ServiceUnavailable
from app.media.processing import ProcessedImage

log = logging.getLogger(__name__)

# The only names this store ever writes, hence the only ones it serves or deletes.
_RELPATH: Final = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/\1\2[0-9a-f]{60}-[1-9][0-9]{0,4}\.webp")
_FANOUT_DIR: Final = re.compile(r"[0-9a-f]{2}")
_FILE_MODE: Final = 0o644  # served as-is, possibly by a front web server running as another user

_OUT_OF_SPACE: Final = frozenset({errno.ENOSPC, errno.EDQUOT})


class MediaStore:
    """Files of processed images under one root directory (the service passes `ODOP_MEDIA_DIR`)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def save_variants(self, processed: ProcessedImage) -> dict[int, str]:
        """Store each variant and return its relative path, keyed by size.

        Idempotent: bytes already stored are reused, not rewritten. All-or-nothing: on failure the
        files written by this call are removed, then `InsufficientStorage` (507, disk full or quota)
        or `ServiceUnavailable` (503, read-only filesystem, permissions, other I/O errors) is raised.
        Exceptions that are not `OSError` are re-raised unchanged after the same clean-up.
        """
        paths: dict[int, str] = {}
        to_write: dict[str, bytes] = {}
        for size, data in processed.variants.items():
            width, height = processed.dimensions.get(size, (size, size))
            digest = hashlib.sha256(data).hexdigest()
            relpath = f"{digest[:2]}/{digest[2:4]}/{digest}-{max(width, height)}.webp"
            paths[size] = relpath
            to_write.setdefault(relpath, data)

        created: list[Path] = []
        try:
            directories: set[Path] = set()
            for relpath, data in to_write.items():
                target = self.root / relpath
                if _already_stored(target, len(data)):
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(target, data)
                created.append(target)
                directories.add(target.parent)
            # Make the renames durable before the caller records the paths in the database.
            for directory in directories:
                _fsync_directory(directory)
        except OSError as exc:
            _remove_quietly(created)
            log.error("Could not store media under %s: %s", self.root, exc)
            raise _storage_error(exc) from exc
        except BaseException:
            _remove_quietly(created)
            raise
        return paths

    def delete(self, relpaths: Iterable[str]) -> None:
        """Remove stored files; missing ones are ignored.

        Raises `ValueError` (before removing anything) if a path is not one this store could have
        written, and `ServiceUnavailable` if the filesystem refuses.
        """
        targets = []
        for relpath in relpaths:
            target = self._resolve(relpath)
            if target is None:
                raise ValueError(f"Not a media store path: {relpath!r}")
            targets.append(target)
        try:
            for target in targets:
                target.unlink(missing_ok=True)
        except OSError as exc:
            log.error("Could not delete media under %s: %s", self.root, exc)
            raise _storage_error(exc) from exc
        # Empty fan-out directories are kept: removing them would race with a concurrent save.

    def path_for(self, relpath: str) -> Path:
        """Absolute path of a stored file, for serving it. The file may not exist.

        Raises `NotFound` for anything that is not a name this store writes (`..`, absolute paths,
        temporary files, …) or that resolves outside the root (symbolic links).
        """
        target = self._resolve(relpath)
        if target is None:
            raise NotFound(N_("No such image"))
        return target

    def iter_files(self) -> Iterator[str]:
        """Relative paths of all stored files, sorted (for the orphan clean-up)."""
        for first in _sorted_subdirs(self.root):
            for second in _sorted_subdirs(first):
                with os.scandir(second) as entries:
                    names = sorted(entry.name for entry in entries if entry.is_file(follow_symlinks=False))
                for name in names:
                    relpath = f"{first.name}/{second.name}/{name}"
                    if _RELPATH.fullmatch(relpath):
                        yield relpath

    def _resolve(self, relpath: str) -> Path | None:
        if not isinstance(relpath, str) or not _RELPATH.fullmatch(relpath):
            return None
        # The pattern already excludes "..", "/" prefixes and odd characters; resolving also
        # catches a fan-out directory replaced by a symbolic link pointing elsewhere.
        target = (self.root / relpath).resolve()
        return target if target.is_relative_to(self.root) else None


def _already_stored(target: Path, size: int) -> bool:
    try:
        st = target.stat()
    except FileNotFoundError:
        return False
    # Same name means same bytes; a wrong size can only be outside interference: rewrite it.
    return st.st_size == size


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), _FILE_MODE)
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_quietly(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:  # nothing better to do; the orphan clean-up will find it
            log.error("Could not remove %s while rolling back: %s", path, exc)


def _sorted_subdirs(directory: Path) -> list[Path]:
    try:
        with os.scandir(directory) as entries:
            found = [
                Path(entry.path)
                for entry in entries
                if _FANOUT_DIR.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
            ]
    except FileNotFoundError:
        return []
    return sorted(found)


def _storage_error(exc: OSError) -> InsufficientStorage | ServiceUnavailable:
    if exc.errno in _OUT_OF_SPACE:
        return InsufficientStorage("The server has no space left for photos. Please try again later.")
    # EROFS, EACCES, EPERM, EIO, …: a server problem the producer can only wait out.
    return ServiceUnavailable("Photo storage is temporarily unavailable. Please try again later.")
