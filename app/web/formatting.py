"""Numbers, money and dates in the visitor's language (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

KIP_SUFFIX = {"lo": "ກີບ", "en": "LAK", "th": "กีบ"}


@lru_cache(maxsize=8192)
def _kip(value: int, lang: str) -> str:
    # Babel's formatting costs ~20 µs; a list page shows 24 prices, and prices repeat (round amounts)
    return f"{format_decimal(value, locale=lang)} {KIP_SUFFIX.get(lang, 'LAK')}"


class Formatter:
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def number(self, value: int | float | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.lang)

    def kip(self, value: int | None) -> str:
        """Integer Lao kip, grouped as people write it: 250,000 ກີບ."""
        return "" if value is None else _kip(value, self.lang)

    def date(self, value: dt.date | dt.datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return ""
        return format_date(value.date() if isinstance(value, dt.datetime) else value, format=fmt, locale=self.lang)
