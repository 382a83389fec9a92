"""Serving the stored photo renditions at /media/.

Only names the media store writes are served (`MediaStore.path_for` checks them): anything else —
`..`, directories, temporary files, symbolic links leading out of the root — is a 404, so there is
no directory listing and no path traversal. Names are content-addressed (the bytes never change
under a name), hence the year-long `immutable` cache.
"""

from __future__ import annotations

import os
from typing import Final

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from app.config import Settings
from app.errors import NotFound
from app.media.storage import MediaStore

MEDIA_PATH: Final = "/media"
MEDIA_HEADERS: Final = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
}


class MediaFiles(StaticFiles):
    """StaticFiles restricted to the media store's own names, always served as WebP."""

    def __init__(self, store: MediaStore) -> None:
        super().__init__(directory=store.root, check_dir=False)
        self.store = store

    async def check_config(self) -> None:
        # A missing root only means "no photos yet": every lookup is then a plain 404.
        return None

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        try:
            target = self.store.path_for(path.replace(os.sep, "/"))
        except NotFound:
            return "", None
        try:
            return str(target), os.stat(target)
        except (FileNotFoundError, NotADirectoryError):
            return "", None

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = FileResponse(
            full_path, status_code=status_code, headers=MEDIA_HEADERS, media_type="image/webp", stat_result=stat_result
        )
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            return NotModifiedResponse(response.headers)
        return response


def mount_media(app: FastAPI, settings: Settings) -> None:
    """Serve files under ODOP_MEDIA_DIR at /media/ (creating the directory) and keep the store on app.state."""
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    store = MediaStore(settings.media_dir)
    app.state.media_store = store
    app.mount(MEDIA_PATH, MediaFiles(store), name="media")


def media_store(app: FastAPI) -> MediaStore:
    """The store whose files /media/ serves; uploads write into the same one."""
    return app.state.media_store
