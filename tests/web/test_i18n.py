"""Every interface string has a Lao and a Thai translation, and the catalogues are up to date."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.web.i18n import LOCALE_DIR, Translator

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return {m for m in found if m}


def test_every_interface_string_is_translated_into_lao_and_thai():
    wanted = source_messages()
    assert len(wanted) > 100
    for lang in ("lo", "th"):
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        translated = {
            (m.id if isinstance(m.id, str) else m.id[0])
            for m in catalog
            if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
        }
        missing = sorted(wanted - translated)
        assert not missing, f"{lang}: run `make messages` and translate: {missing[:20]}"


def test_placeholders_survive_translation():
    for lang in ("lo", "th"):
        t = Translator(lang)
        assert "7" in t("Page {page} of {pages}", page=7, pages=9)
        assert "12" in t.ngettext("{n} product", "{n} products", 12)
