"""API shapes of accounts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.auth.models import Role
from app.auth.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from app.errors import N_


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254, examples=["khamla@example.la"])
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)
    role: Literal["producer", "buyer"]
    display_name: str = Field(min_length=1, max_length=120)
    phone: str | None = Field(default=None, max_length=40)

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str) -> str:
        from app.auth.service import normalise_email

        return normalise_email(value)

    @field_validator("display_name")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(N_("must not be blank"))
        return value


class UserPublic(BaseModel):
    id: int
    email: str
    role: Role
    display_name: str
    producer_id: int | None = None
    buyer_id: int | None = None


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
