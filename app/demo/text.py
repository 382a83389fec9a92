"""Trilingual text for the demo tables: one value per language, and templates filled per language."""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("lo", "en", "th")


@dataclass(frozen=True, slots=True)
class T:
    """The same text in Lao, English and Thai (the constructor's order, so tables read left to right)."""

    lo: str
    en: str
    th: str

    def as_dict(self) -> dict[str, str]:
        """The `{"lo", "en", "th"}` object the catalogue stores."""
        return {"lo": self.lo, "en": self.en, "th": self.th}

    def fill(self, **values: T | str | int) -> T:
        """Fill `{name}` placeholders in each language; a `T` value gives each language its own words."""
        return T(*(self._fill_one(lang, values) for lang in LANGS))

    def _fill_one(self, lang: str, values: dict[str, T | str | int]) -> str:
        own = {key: getattr(value, lang) if isinstance(value, T) else value for key, value in values.items()}
        return getattr(self, lang).format_map(own)

    def __add__(self, other: T) -> T:
        """Two sentences one after the other (Lao and Thai separate sentences with a space too)."""
        return T(f"{self.lo} {other.lo}", f"{self.en} {other.en}", f"{self.th} {other.th}")


def with_qualifiers(base: T, qualifiers: list[T]) -> T:
    """A product name with its variant words: "ຜ້າພັນຄໍໄໝ ລາຍນາກ ສີຄາມ" / "Silk scarf, naga pattern, indigo"."""
    if not qualifiers:
        return base
    return T(
        " ".join([base.lo, *(q.lo for q in qualifiers)]),
        ", ".join([base.en, *(q.en for q in qualifiers)]),
        " ".join([base.th, *(q.th for q in qualifiers)]),
    )
