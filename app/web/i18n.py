"""Interface languages: Lao (default), English, Thai. Strings live in gettext catalogues
(app/locale/<lang>/LC_MESSAGES/messages.po, English msgids), compiled in memory at start-up."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from app.errors import N_, Message  # N_: the extraction marker, re-exported for pages and templates' data

LANGUAGES = ("lo", "en", "th")
DEFAULT_LANGUAGE = "lo"
LANGUAGE_NAMES = {"lo": "ລາວ", "en": "English", "th": "ไทย"}
LANG_COOKIE = "odop_lang"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@cache
def translations(lang: str) -> NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not po.exists():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf)


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str | None) -> str:
    """?lang= wins, then the remembered cookie, then Accept-Language, then Lao."""
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    if accept_language:
        preferred = []
        for part in accept_language.split(","):
            tag, _, q = part.strip().partition(";q=")
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            if tag and weight > 0:
                preferred.append((weight, tag.strip().replace("-", "_")))
        preferred.sort(key=lambda p: -p[0])
        found = negotiate_locale([t for _, t in preferred], list(LANGUAGES))
        if found:
            return found
    return DEFAULT_LANGUAGE


class Translator:
    """The per-request `_` of templates and services: `_("Hello {name}", name=x)`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._t = translations(self.lang)

    def gettext(self, message: str, **params: Any) -> str:
        """`message` in this language. A `Message` (an error's English text with its template and params)
        is translated by its template, then filled in; this is how every error becomes page text."""
        if isinstance(message, Message):
            params = {**message.params, **params}
            message = message.template
        text = self._t.gettext(message)
        if not params:
            return text
        params = {k: self.gettext(v) if isinstance(v, Message) else v for k, v in params.items()}
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: say it in English
            return message.format(**params)

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        text = self._t.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.lang)


def localized(text: Mapping[str, str] | None, lang: str) -> str:
    """A producer's trilingual text in the visitor's language, falling back to Lao, then English."""
    if not text:
        return ""
    for key in (lang, "lo", "en", "th"):
        value = text.get(key)
        if value:
            return value
    return ""


# Words that reach templates as data (statuses, kinds, field names, error titles) and are translated there.
VOCABULARY = (
    N_("draft"),
    N_("submitted"),
    N_("published"),
    N_("rejected"),
    N_("enterprise"),
    N_("group"),
    N_("cooperative"),
    N_("buyer"),
    N_("producer"),
    N_("name"),
    N_("description"),
    N_("materials"),
    N_("category"),
    N_("certifications"),
    N_("Not found"),
    N_("Forbidden"),
    N_("Not authenticated"),
    N_("Conflict"),
    N_("Bad request"),
    N_("Unprocessable content"),
    N_("Too many requests"),
    N_("Internal server error"),
    N_("Service unavailable"),
    N_("Payload too large"),
    N_("Unsupported media type"),
    N_("CSRF check failed"),
    N_("Not Found"),
    N_("There is nothing at this address."),
    N_("Wrong email or password."),
    N_("Your account may not do this."),
    N_("The form has expired or did not come from this site. Reload the page and try again."),
    N_("An account with this email already exists."),
    N_("Choose producer or buyer."),
    N_("Enter your name or your group's name."),
    N_("give the text in at least one language (Lao preferred)"),
    N_("Published."),
    N_("Sent back to the producer."),
    N_("Enter the showroom's name."),
)
