"""Reference data every other domain points at: the 18 provinces and the product categories.

Both are loaded by migration (migrations/versions/*_reference_data.py) and read-only at run time.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import LocalizedJSON


class Province(SQLModel, table=True):
    __tablename__ = "province"

    code: str = Field(sa_column=sa.Column(sa.String(8), primary_key=True))  # ISO 3166-2, e.g. LA-LP
    name: dict = Field(sa_column=sa.Column(LocalizedJSON, nullable=False))
    capital: str = Field(sa_column=sa.Column(sa.String(80), nullable=False))
    region: str = Field(sa_column=sa.Column(sa.String(16), nullable=False))
    position: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))


class Category(SQLModel, table=True):
    __tablename__ = "category"

    slug: str = Field(sa_column=sa.Column(sa.String(48), primary_key=True))
    name: dict = Field(sa_column=sa.Column(LocalizedJSON, nullable=False))
    parent: str | None = Field(
        default=None, sa_column=sa.Column(sa.String(48), sa.ForeignKey("category.slug"), nullable=True)
    )
    position: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
