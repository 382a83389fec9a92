"""Settings, read from the environment with the ODOP_ prefix (see API.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development key is public (it is in this file): production refuses to start with it.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ODOP_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite:///./data/odop.db"
    media_dir: Path = Path("./data/media")
    secret_key: str = DEVELOPMENT_SECRET_KEY
    redis_url: str | None = None
    smtp_url: str | None = None
    smtp_from: str = "ODOP Showroom <no-reply@odop.la>"
    public_base_url: str = "http://127.0.0.1:8000"
    # Proxies whose X-Forwarded-For/-Proto `odop serve` believes (comma-separated addresses or networks, as
    # uvicorn takes them): the client's address is what per-address limits count.
    forwarded_allow_ips: str = "127.0.0.1"

    # Worker threads that may hold a database connection at once (FastAPI runs sync
    # endpoints in a thread pool of 40); the pool is sized to them.
    db_pool_size: int = 20
    db_max_overflow: int = 20

    # Anonymous public pages are served from memory for this long (0: off); writes clear them at once.
    page_cache_seconds: int = 30
    session_days: int = 14
    token_hours: int = 24
    # argon2id cost; the defaults are RFC 9106's second recommended option (64 MiB, t=3).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    upload_max_bytes: int = 15 * 1024 * 1024
    upload_max_pixels: int = 40_000_000
    # `odop serve` removes orphan media files (left by a crash between writing a photo and committing its
    # row) at start and then every this many hours (0: never); only files older than the minimum age.
    media_sweep_hours: float = 24.0
    media_sweep_min_age_minutes: int = 60

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> Settings:
        if self.is_production and (
            not self.secret_key or self.secret_key == DEVELOPMENT_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise ValueError(
                "ODOP_SECRET_KEY must be set to a random value of at least 32 characters "
                "when ODOP_ENV=production "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
