"""Matched words marked up for display: the live search shows buyers why a product was found."""

from __future__ import annotations

from markupsafe import Markup, escape

from app.search.engine import MAX_QUERY_CHARS
from app.search.folding import match_spans


def highlighted(text: str | None, q: str | None) -> Markup:
    """`text`, escaped, with every part that matches a word of `q` (in any accepted spelling) in <mark>."""
    if not text:
        return Markup("")
    if not q:
        return escape(text)
    spans = match_spans(text, q[:MAX_QUERY_CHARS])  # the search itself looks no further
    out: list[str] = []
    done = 0
    for start, end in spans:
        out.append(escape(text[done:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        done = end
    out.append(escape(text[done:]))
    return Markup("").join(out)
