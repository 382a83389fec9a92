"""Orphan clean-up of the media directory: files that no photo row references, and stale temporary files.

Orphans can only come from a crash (or a kill) between storing a photo's files and committing its
row, from a file deletion the filesystem refused, or from the rare race `app.media.storage` describes.
They are harmless (nothing links to them) but take space; `sweep_orphans` removes them.

A file that was written a moment ago may belong to an upload whose row is about to be committed, so
only files whose modification time is older than `older_than_seconds` are candidates; the age is
checked again just before each removal. Run it at start-up and from time to time (e.g. daily) with an
age of minutes to hours; `older_than_seconds=0` is only safe when no upload can be in progress.

Known limitation: the store reuses a file that already holds the same bytes without rewriting it, so
an orphan older than the limit that an upload reuses at the very moment of a sweep could be removed
under it. That needs identical bytes orphaned for longer than the limit and re-uploaded during the
milliseconds between the sweep's reading of the rows and its removal of that file.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Final

from sqlmodel import select

from app.catalogue.models import ProductImage
from app.config import Settings
from app.db import Database
from app.media.storage import MediaStore

log = logging.getLogger(__name__)

_TEMPORARY: Final = re.compile(r"\.tmp-.*\.part")
_FANOUT: Final = re.compile(r"[0-9a-f]{2}")


@dataclass(frozen=True)
class SweepResult:
    checked: int  # media files old enough to be considered
    removed: list[str]  # relative paths of the orphans removed
    temporary_removed: int  # stale `.tmp-*.part` files of interrupted writes
    kept_referenced: int


def referenced_paths(db: Database) -> set[str]:
    """Every relative path some product_image row references."""
    found: set[str] = set()
    with db.session(write=False) as session:
        for paths in session.exec(select(ProductImage.paths)):
            if isinstance(paths, dict):
                found.update(str(p) for p in paths.values())
    return found


def _mtime(path: os.PathLike[str] | str) -> float | None:
    try:
        return os.stat(path, follow_symlinks=False).st_mtime
    except OSError:
        return None


def sweep_orphans(db: Database, store: MediaStore, older_than_seconds: float) -> SweepResult:
    """Remove media files older than `older_than_seconds` that no photo row references, and stale
    temporary files. Never removes a referenced file; errors are logged, not raised."""
    cutoff = time.time() - max(0.0, older_than_seconds)
    candidates = []
    for relpath in store.iter_files():
        mtime = _mtime(store.root / relpath)
        if mtime is not None and mtime <= cutoff:
            candidates.append(relpath)
    # An upload commits its row within seconds of writing its files: a file older than the limit that
    # no row references once they have been read is an orphan. Its age is checked again just before
    # removal, in case it has been rewritten meanwhile.
    referenced = referenced_paths(db)
    removed: list[str] = []
    for relpath in candidates:
        if relpath in referenced:
            continue
        target = store.root / relpath
        mtime = _mtime(target)
        if mtime is None or mtime > cutoff:  # gone, or just reused by an upload
            continue
        try:
            store.delete([relpath])
        except Exception as exc:  # a read-only or failing disk: try again next time
            log.error("Could not remove orphan media file %s: %s", relpath, exc)
            continue
        removed.append(relpath)
    temporary = _remove_stale_temporary_files(store, cutoff)
    if removed or temporary:
        log.info("media sweep: removed %d orphan files and %d temporary files", len(removed), temporary)
    return SweepResult(
        checked=len(candidates),
        removed=removed,
        temporary_removed=temporary,
        kept_referenced=sum(1 for c in candidates if c in referenced),
    )


def _remove_stale_temporary_files(store: MediaStore, cutoff: float) -> int:
    removed = 0
    for first in _subdirs(store.root):
        for second in _subdirs(first):
            try:
                entries = list(os.scandir(second))
            except OSError:
                continue
            for entry in entries:
                if not (_TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)):
                    continue
                mtime = _mtime(entry.path)
                if mtime is None or mtime > cutoff:
                    continue
                try:
                    os.unlink(entry.path)
                    removed += 1
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    log.error("Could not remove temporary media file %s: %s", entry.path, exc)
    return removed


def _subdirs(directory: os.PathLike[str] | str) -> list[str]:
    try:
        with os.scandir(directory) as entries:
            return sorted(e.path for e in entries if _FANOUT.fullmatch(e.name) and e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def start_periodic_sweep(settings: Settings) -> threading.Thread | None:
    """Sweep at once and then every `settings.media_sweep_hours`, in a daemon thread of this process.

    `odop serve` calls it once, in the process that starts the workers. Several such processes (scaled
    out on a shared media directory) may all sweep: the age limit keeps them off each other's uploads.
    """
    if settings.media_sweep_hours <= 0:
        return None
    interval = settings.media_sweep_hours * 3600
    min_age = settings.media_sweep_min_age_minutes * 60

    def run() -> None:
        while True:
            try:
                db = Database.from_settings(settings)
                try:
                    sweep_orphans(db, MediaStore(settings.media_dir), older_than_seconds=min_age)
                finally:
                    db.dispose()
            except Exception:  # the database may be down for a while: try again at the next turn
                log.exception("media sweep failed")
            time.sleep(interval)

    thread = threading.Thread(target=run, name="odop-media-sweep", daemon=True)
    thread.start()
    return thread
