"""What of a product is searchable, folded once at write time (app.search.folding.fold)."""

from __future__ import annotations

from collections.abc import Iterable

from app.search.folding import fold

# Fields are joined with a newline, which folding never produces, so a query cannot match across fields.
FIELD_SEPARATOR = "\n"


LANGS = ("lo", "en", "th")  # a fixed order: PostgreSQL's JSONB does not keep the keys' order


def _texts(text: dict[str, str]) -> list[str]:
    return [text[lang] for lang in LANGS if text.get(lang)]


def _fold_all(values: Iterable[str | None]) -> str:
    return FIELD_SEPARATOR.join(f for f in (fold(v) for v in values if v) if f)


def product_search_text(
    name: dict[str, str],
    description: dict[str, str],
    producer_name: dict[str, str],
    district: str | None,
    village: str | None,
) -> tuple[str, str]:
    """(search_name, search_body): the names in every language; then description, producer, district, village."""
    search_name = _fold_all(_texts(name))
    search_body = _fold_all([*_texts(description), *_texts(producer_name), district, village])
    return search_name, search_body


def producer_search_text(name: dict[str, str], district: str | None, village: str | None) -> str:
    return _fold_all([*_texts(name), district, village])
