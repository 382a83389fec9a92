"""What of a product is searchable, folded once at write time (app.search.folding.fold)."""

from __future__ import annotations

from collections.abc import Iterable

from app.search.folding import fold

# Fields are joined with a newline, which folding never produces, so a query cannot match across fields.
FIELD_SEPARATOR = "\n"


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
    search_name = _fold_all(name.values())
    search_body = _fold_all([*description.values(), *producer_name.values(), district, village])
    return search_name, search_body


def producer_search_text(name: dict[str, str], district: str | None, village: str | None) -> str:
    return _fold_all([*name.values(), district, village])
