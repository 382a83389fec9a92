"""Serving stored media (being written)."""

from fastapi import FastAPI

from app.config import Settings


def mount_media(app: FastAPI, settings: Settings) -> None:
    """Serve files under ODOP_MEDIA_DIR at /media/."""
