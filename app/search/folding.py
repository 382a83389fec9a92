"""Text folding for product search in Lao, Thai and English.

The search engine stores ``fold(text)`` for every searchable field and looks for
``fold(query)`` as a *substring* (SQLite FTS5 trigram / PostgreSQL ``pg_trgm``
``LIKE``).  Lao and Thai have no spaces between words and several accepted
spellings of the same word, so folding has to map every accepted spelling to one
canonical form, in a way that is

* identical for indexed text and for queries (same function, no options),
* idempotent: ``fold(fold(x)) == fold(x)``,
* substring-preserving: if a query is contained in a text - the query being a run
  of whole written units of the text (it does not start or end in the middle of a
  consonant + vowel/tone-mark cluster) - then ``fold(query)`` is a substring of
  ``fold(text)``, whichever accepted spelling each of them uses.

Pipeline of :func:`fold` (the order matters; see the comments in the code):

1. Remove invisible characters (Unicode category ``Cf`` such as ZWSP, ZWNJ, ZWJ,
   WORD JOINER, BOM, SOFT HYPHEN; also variation selectors and the combining
   grapheme joiner) - first, so that they cannot separate a letter from its marks
   - then apply the base-letter rows of :data:`SPELLING_EQUIVALENCES`.
2. Unicode NFKC, then ``str.casefold`` (and NFKC again if casefolding changed
   anything, as casefolding can leave a string that is not NFKC).
3. Canonicalise every run of combining marks (see *Mark order* below); in the
   same pass, strip the diacritics that sit on Latin letters.
4. Map characters: the combining-mark rows of :data:`SPELLING_EQUIVALENCES`
   (subscript ``ຼ`` -> ``ລ``; after step 3 so that a mis-typed mark order is fixed
   first), precomposed Latin letters -> base letters, every decimal digit (Lao
   ``໑໒໓``, Thai ``๑๒๓``, ...) -> ASCII digit.
5. Every run of whitespace, punctuation, symbols (``| + / $ …``) and control
   characters becomes one ASCII space; strip the ends; drop the optional space
   before the repetition marks ``ໆ`` / ``ๆ`` (``ດີ ໆ`` and ``ດີໆ`` are both written).

Mark order
----------
Lao and Thai vowel signs above/below and tone marks are separate combining
characters and keyboards let people type them in any order; most of them have
canonical combining class 0, so NFKC does *not* reorder them.  Every maximal run
of Lao/Thai combining marks is therefore rewritten as (duplicates removed)::

    [ຼ subscript lo] [vowel signs above/below, ໌ ์ ็ ...] [ໍ / ํ used as a vowel] [tone marks]

i.e. tone marks always come last - the order in which the marks are normally
typed (``ກີ່``, ``ໜໍ່``).  The vowel AM is the exception: NFKC decomposes ``ຳ``
(U+0EB3) into ``ໍ`` + ``າ`` and ``ำ`` (U+0E33) into ``ํ`` + ``า`` but keeps the tone
mark where it was typed, so ``ກ່ຳ``, ``ກໍ່າ``, ``ກ່ໍາ`` and ``ກຳ່`` (tone after the AM)
come out of NFKC as four different strings.  An AM is treated as a trailing
spacing vowel: the canonical form is ``consonant + [other marks] + tone + ໍ + າ``,
exactly what NFKC produces from the standard spelling ``ກ່ຳ`` / ``น้ำ``, and a tone
typed after the ``າ`` / ``า`` is moved in front of the ``ໍ`` / ``ํ``.  Within a rank,
marks are ordered by canonical combining class and then code point, which keeps
the result NFKC-stable (and therefore ``fold`` idempotent).

Non-Lao/Thai combining marks that are mixed into a Lao/Thai mark run are dropped
(they can only be typing accidents, and keeping them would let NFKC reorder the
run differently on a second pass).  Marks on other scripts (Greek, Devanagari,
...) are left alone.

Latin
-----
Diacritics are stripped from Latin letters only (``café`` -> ``cafe``,
``Nẵng`` -> ``nang``).  Letters with a bar/stroke that Unicode does not decompose
are folded too, because buyers type them without the stroke: ``đ`` -> ``d``
(``Đà Nẵng`` -> ``da nang``), ``ł`` -> ``l``, ``ø`` -> ``o``, ``ħ`` -> ``h``,
``ŧ`` -> ``t``, dotless ``ı`` -> ``i``.  Letters such as ``æ``, ``ð`` or ``þ`` are
letters in their own right and are kept.  Lao/Thai marks are never stripped: they
are vowels and tone marks that change the meaning of a word.

Note: the tables are built from the ``unicodedata`` module of the running
Python, so a Python upgrade that brings a new Unicode version may change the
folded form of rare characters; re-fold the index after such an upgrade.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

__all__ = [
    "SPELLING_EQUIVALENCES",
    "Equivalence",
    "fold",
    "fold_with_offsets",
    "match_spans",
    "query_terms",
]


class Equivalence(NamedTuple):
    """One row of the spelling table: ``variant`` is folded to ``canonical``."""

    variant: str
    canonical: str
    note: str


# THE table of Lao/Thai spelling equivalences.  Each variant is rewritten to its
# canonical spelling.  Rows whose variant is a combining mark (ຼ) are applied
# *after* mark reordering, so that a mis-ordered mark is first moved to its
# canonical place (ກັຼ -> ກຼັ -> ກລັ); all other rows are applied before NFKC
# (with str.replace, in table order).  The first four rows are also <compat>
# decompositions that NFKC would perform by itself (Unicode guarantees that
# decompositions never change); applying them first is not only explicit but
# also faster, because NFKC then takes its quick-check path on typical Lao text.
SPELLING_EQUIVALENCES: tuple[Equivalence, ...] = (
    Equivalence("\u0eb3", "\u0ecd\u0eb2", "Lao SIGN AM ຳ = NIGGAHITA ໍ + SIGN AA າ (ນ້ຳ = ນ້ໍາ)"),
    Equivalence("\u0edc", "\u0eab\u0e99", "Lao HO NO ligature ໜ = ຫນ (ໜໍ່ໄມ້ = ຫນໍ່ໄມ້)"),
    Equivalence("\u0edd", "\u0eab\u0ea1", "Lao HO MO ligature ໝ = ຫມ (ໝາກ = ຫມາກ)"),
    Equivalence("\u0e33", "\u0e4d\u0e32", "Thai SARA AM ำ = NIKHAHIT ํ + SARA AA า (น้ำ = นํ้า)"),
    Equivalence(
        "\u0ebc",
        "\u0ea5",
        "Lao subscript SEMIVOWEL SIGN LO ຼ = LO LOOT ລ (ຫຼວງ = ຫລວງ); it only ever follows a consonant",
    ),
    Equivalence("\u0ec0\u0ec0", "\u0ec1", "Lao: two SIGN E ເເ typed instead of SIGN EI ແ"),
    Equivalence("\u0e40\u0e40", "\u0e41", "Thai: two SARA E เเ typed instead of SARA AE แ"),
)

# --------------------------------------------------------------------------
# Lao/Thai combining marks and their canonical order.
# --------------------------------------------------------------------------

_RANK_SUBSCRIPT = 0  # ຼ belongs to the consonant cluster, so it comes first
_RANK_VOWEL = 1  # vowel signs above/below, virama, cancellation marks
_RANK_NIGGAHITA = 2  # ໍ / ํ as a vowel ("o" in ກໍ, ໜໍ່); typed before the tone
_RANK_TONE = 3  # tone marks: always last (the AM vowel follows them, see below)


def _char_range(first: int, last: int) -> str:
    return "".join(chr(cp) for cp in range(first, last + 1))


_LAO_VOWELS = "\u0eb1" + _char_range(0x0EB4, 0x0EBB) + "\u0ecc\u0ece"
_THAI_VOWELS = "\u0e31" + _char_range(0x0E34, 0x0E3A) + "\u0e47\u0e4c\u0e4e"
_LAO_TONES = _char_range(0x0EC8, 0x0ECB)
_THAI_TONES = _char_range(0x0E48, 0x0E4B)

_MARK_RANK: dict[str, int] = {
    "\u0ebc": _RANK_SUBSCRIPT,
    **dict.fromkeys(_LAO_VOWELS + _THAI_VOWELS, _RANK_VOWEL),
    **dict.fromkeys("\u0ecd\u0e4d", _RANK_NIGGAHITA),
    **dict.fromkeys(_LAO_TONES + _THAI_TONES, _RANK_TONE),
}

# SIGN AA of each script -> the NIGGAHITA that turns it into the vowel AM.
_AA_NIGGAHITA = {"\u0eb2": "\u0ecd", "\u0e32": "\u0e4d"}

_REPETITION_MARKS = ("\u0ec6", "\u0e46")  # ໆ ๆ

# Letters with a stroke/bar that have no Unicode decomposition but that users
# type without the stroke (see the module docstring).
_LATIN_EXTRA = {"đ": "d", "ł": "l", "ø": "o", "ħ": "h", "ŧ": "t", "ı": "i"}

# Invisible characters that are not in category Cf.
_EXTRA_INVISIBLE = [
    0x034F,  # COMBINING GRAPHEME JOINER
    *range(0x180B, 0x1810),  # Mongolian free variation selectors
    *range(0xFE00, 0xFE10),  # variation selectors
    *range(0xE0100, 0xE01F0),  # variation selectors supplement
]


def _code_points() -> list[int]:
    # Planes 2, 3, 15 and 16 hold only ideographs, private-use and unassigned
    # code points (category Lo/Co/Cn), none of which the tables below care about.
    return list(range(0x20000)) + list(range(0xE0000, 0xE1000))


def _ranges(code_points: list[int]) -> str:
    """A regex character-class body (no brackets) matching exactly ``code_points``."""
    parts = []
    cps = sorted(set(code_points))
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = cps[i], cps[j]
        parts.append(f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}")
        i = j + 1
    return "".join(parts)


def _char_class(code_points: list[int], astral: bool) -> str:
    """A regex matching one character of ``code_points``.

    ``re`` turns the BMP part of a class into an O(1) bitmap but tests code
    points above U+FFFF range by range, and it does so for *every* character that
    misses the bitmap - which makes a class with a few hundred astral ranges
    (e.g. all combining marks) about 20 times slower on ordinary text.  So there
    are two variants: BMP-only (``astral=False``), used when the text has no
    astral characters, and a full one that only looks at the astral ranges after
    a cheap check that the character is astral.
    """
    bmp = [cp for cp in code_points if cp <= 0xFFFF]
    high = [cp for cp in code_points if cp > 0xFFFF]
    fast = f"[{_ranges(bmp)}]"
    if not astral or not high:
        return fast
    return f"(?:{fast}|(?=[\\U00010000-\\U0010ffff])[{_ranges(high)}])"


class _Tables(NamedTuple):
    invisible: dict[int, None]  # characters removed in step 1
    late: dict[int, str]  # the character mapping of step 4
    ascii: dict[int, str]  # step 5 for pure-ASCII text: separators -> space
    invisible_cps: list[int]
    separator_cps: list[int]
    mark_cps: list[int]
    latin_cps: list[int]


def _build_tables() -> _Tables:
    invisible: dict[int, None] = dict.fromkeys(_EXTRA_INVISIBLE)
    late: dict[int, str] = {}
    separators: list[int] = []
    marks: list[int] = [0x0ECE]  # LAO YAMAKKAN, Unicode 15 (unassigned in older unicodedata)
    latin: list[int] = []
    for cp in _code_points():
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat in ("Cf", "Cs"):
            invisible[cp] = None
        elif cat[0] == "M":
            marks.append(cp)
        elif cat[0] in "ZPS" or cat == "Cc":
            separators.append(cp)
        elif cat == "Nd":
            digit = str(unicodedata.decimal(ch))
            if digit != ch:
                late[cp] = digit
        elif cat[0] == "L" and unicodedata.name(ch, "").startswith("LATIN "):
            latin.append(cp)
            base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c)[0] != "M")
            base = "".join(_LATIN_EXTRA.get(c, c) for c in base.casefold())
            if base and base != ch:
                late[cp] = base
    for eq in SPELLING_EQUIVALENCES:
        if eq.variant[0] in _MARK_RANK:
            assert len(eq.variant) == 1, "a mark row must be a single character"
            late[ord(eq.variant)] = eq.canonical
    ascii_table = {cp: " " for cp in separators if cp < 0x80 and cp != 0x20}
    return _Tables(invisible, late, ascii_table, sorted(invisible), separators, marks, latin)


_TABLES = _build_tables()

# The rows applied before NFKC, with str.replace (non-overlapping, left to right).
_EARLY_REPLACEMENTS: tuple[tuple[str, str], ...] = tuple(
    (eq.variant, eq.canonical) for eq in SPELLING_EQUIVALENCES if eq.variant[0] not in _MARK_RANK
)


class _Patterns(NamedTuple):
    invisible: re.Pattern[str]
    mark_chunk: re.Pattern[str]
    late: re.Pattern[str]
    separators: re.Pattern[str]


def _compile_patterns(astral: bool) -> _Patterns:
    t = _TABLES
    m = _char_class(t.mark_cps, astral)
    aa = "[\u0eb2\u0e32]"
    chain = rf"(?:{aa}{m}++)*+{aa}?+"
    # A "chunk" is a run of combining marks, plus the chain of SIGN AA + mark run
    # that may follow it (needed because a tone typed after AM must be moved in
    # front of it).  Only chunks that may need rewriting are matched, so that the
    # common case - a single mark after a consonant - costs no Python call:
    #   * any mark run after a Latin letter (diacritics to strip), or
    #   * a run of two or more marks, or
    #   * a single mark followed by SIGN AA and another mark (ໍາ່).
    # Possessive quantifiers keep matching linear on pathological input.  The
    # pattern starts with a plain character class so that `re` skips every
    # non-mark in its C search loop; a Latin base is detected by a lookbehind.
    latin = _char_class(t.latin_cps, astral)
    mark_chunk = (
        rf"(?P<lead>{m})"
        rf"(?:(?<={latin}{m})(?P<after_latin>{m}*+{chain})"
        rf"|(?P<chunk>(?:{m}++|(?={aa}{m})){chain}))"
    )
    return _Patterns(
        invisible=re.compile(_char_class(t.invisible_cps, astral) + "+"),
        mark_chunk=re.compile(mark_chunk),
        late=re.compile(_char_class(list(t.late), astral) + "+"),
        separators=re.compile(_char_class(t.separator_cps, astral) + "+"),
    )


_BMP_PATTERNS = _compile_patterns(astral=False)
_FULL_PATTERNS = _compile_patterns(astral=True)


_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def _patterns_for(s: str) -> _Patterns:
    # The BMP-only patterns give the same result on BMP-only text and are much
    # faster (see _char_class).
    return _FULL_PATTERNS if _ASTRAL_RE.search(s) else _BMP_PATTERNS


def _sort_key(mark: str) -> tuple[int, int, int]:
    # Rank first; then canonical combining class so that the result is already
    # in NFKC canonical order (NFKC on a second fold must not move anything).
    return (_MARK_RANK[mark], unicodedata.combining(mark), ord(mark))


def _canonical_chunk(chunk: str, after_latin: bool) -> str:
    """Rewrite one chunk (see ``_compile_patterns``) into canonical mark order."""
    # Split into mark runs separated by SIGN AA characters.
    runs: list[str] = [""]
    aas: list[str] = []
    for ch in chunk:
        if ch in _AA_NIGGAHITA:
            aas.append(ch)
            runs.append("")
        else:
            runs[-1] += ch
    # Each run becomes either a set of Lao/Thai marks (other marks dropped,
    # duplicates removed) or, for a run of other scripts' marks, stays as is.
    # After a Latin letter every non-Lao/Thai mark is a diacritic: dropped.
    cleaned: list[set[str] | str] = []
    for i, run in enumerate(runs):
        lao_thai = {c for c in run if c in _MARK_RANK}
        if lao_thai or (i == 0 and after_latin):
            cleaned.append(lao_thai)
        else:
            cleaned.append(run)
    # A run holding the NIGGAHITA of the following SIGN AA is the vowel AM; tone
    # marks typed after the AA are pulled into it.  Right to left, so that tones
    # cascade to the first AM of a chain and a second fold finds nothing to move.
    is_am = [False] * len(runs)
    for i in range(len(runs) - 1, -1, -1):
        run = cleaned[i]
        if i < len(aas) and isinstance(run, set) and _AA_NIGGAHITA[aas[i]] in run:
            is_am[i] = True
            nxt = cleaned[i + 1]
            if isinstance(nxt, set):
                tones = {c for c in nxt if _MARK_RANK[c] == _RANK_TONE}
                run |= tones
                nxt -= tones
    out: list[str] = []
    for i, run in enumerate(cleaned):
        if isinstance(run, str):
            out.append(run)
        elif is_am[i]:
            niggahita = _AA_NIGGAHITA[aas[i]]
            out.append("".join(sorted(run - {niggahita}, key=_sort_key)) + niggahita)
        else:
            out.append("".join(sorted(run, key=_sort_key)))
        if i < len(aas):
            out.append(aas[i])
    return "".join(out)


# Memo of _canonical_chunk for chunks after a Latin letter / after anything
# else.  Real text has a few hundred distinct chunks; the size check only guards
# against memory growth on garbage input.
_CHUNK_MEMO: tuple[dict[str, str], dict[str, str]] = ({}, {})


def _mark_chunk_repl(m: re.Match[str]) -> str:
    # Called for most Lao/Thai syllables, so it is kept as lean as possible.
    chunk = m.group()
    after_latin = m.lastgroup == "after_latin"
    memo = _CHUNK_MEMO[after_latin]
    result = memo.get(chunk)
    if result is None:
        if len(memo) > 50_000:
            memo.clear()
        result = memo[chunk] = _canonical_chunk(chunk, after_latin)
    return result


def _late_repl(m: re.Match[str]) -> str:
    return m.group().translate(_TABLES.late)


def _drop_space_before_repetition(s: str) -> str:
    for mark in _REPETITION_MARKS:
        if mark in s:
            s = s.replace(" " + mark, mark)
    return s


def fold(text: str) -> str:
    """Return the canonical search form of ``text``.

    Apply it to indexed text and to queries alike, then search for the folded
    query as a substring.  ``fold(fold(x)) == fold(x)`` (property-tested on
    Lao/Thai/Latin text and on arbitrary Unicode).

    >>> fold("Silk, HANDWOVEN — café")
    'silk handwoven cafe'
    >>> fold("ນ້ຳເຜິ້ງ") == fold("ນ້ໍາເຜິ້ງ")
    True
    """
    if text.isascii():
        # ASCII is already NFKC, casefold() == lower(), there are no marks, and
        # str.translate has a fast path for ASCII -> ASCII tables.
        return " ".join(text.lower().translate(_TABLES.ascii).split())
    p = _patterns_for(text)
    s = p.invisible.sub("", text)
    for variant, canonical in _EARLY_REPLACEMENTS:
        if variant in s:
            s = s.replace(variant, canonical)
    s = unicodedata.normalize("NFKC", s)
    folded = s.casefold()
    if folded != s:
        # Casefolding can undo composition (Ϊ́ -> ϊ + ́, which NFKC composes to ΐ,
        # which casefolds to ι + ̈ + ́): normalise again so that fold is idempotent.
        s = unicodedata.normalize("NFKC", folded)
    p = _patterns_for(s)  # NFKC maps a few CJK compatibility ideographs to astral ones
    s = p.mark_chunk.sub(_mark_chunk_repl, s)
    s = p.late.sub(_late_repl, s)
    s = p.separators.sub(" ", s).strip(" ")
    return _drop_space_before_repetition(s)


# --------------------------------------------------------------------------
# fold_with_offsets: the same pipeline on (string, source index per char).
# --------------------------------------------------------------------------


def _align(source: str, source_idx: list[int], out: str) -> list[int]:
    """Source indices for ``out``, the rewrite of ``source`` (one chunk).

    Each output character is matched with an unused source character whose
    compatibility decomposition contains it (so reordered marks keep their own
    origin and a decomposed ``ຳ`` maps to the ``ຳ``); unmatched characters map to
    the start of the chunk.  A running maximum keeps the result non-decreasing,
    which a highlighter needs more than exactness inside one cluster.
    """
    if out == source:
        return source_idx
    if not source_idx:
        return []
    pool: dict[str, list[int]] = defaultdict(list)
    for ch, idx in zip(source, source_idx, strict=True):
        for part in unicodedata.normalize("NFKD", ch):
            pool[part].append(idx)
    result = []
    low = source_idx[0]
    for ch in out:
        found = [pool[part].pop(0) for part in unicodedata.normalize("NFKD", ch) if pool.get(part)]
        low = max(low, min(found)) if found else low
        result.append(low)
    return result


def _casefold_off(s: str, idx: list[int]) -> tuple[str, list[int]]:
    """``s.casefold()`` with source indices (casefolding is per character)."""
    if s.casefold() == s:
        return s, idx
    out: list[str] = []
    out_idx: list[int] = []
    for ch, i in zip(s, idx, strict=True):
        r = ch.casefold()
        out.append(r)
        out_idx.extend([i] * len(r))
    return "".join(out), out_idx


def _translate_off(
    s: str, idx: list[int], pattern: re.Pattern[str], table: dict[int, str] | dict[int, None]
) -> tuple[str, list[int]]:
    """``s.translate(table)`` with source indices; ``pattern`` finds runs of table keys."""
    out: list[str] = []
    out_idx: list[int] = []
    pos = 0
    for m in pattern.finditer(s):
        start, end = m.span()
        out.append(s[pos:start])
        out_idx.extend(idx[pos:start])
        for ch, i in zip(m.group(), idx[start:end], strict=True):
            r = ch.translate(table)
            out.append(r)
            out_idx.extend([i] * len(r))
        pos = end
    out.append(s[pos:])
    out_idx.extend(idx[pos:])
    return "".join(out), out_idx


def _sub_off(
    s: str, idx: list[int], pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]
) -> tuple[str, list[int]]:
    """``pattern.sub(repl, s)`` that also carries the source indices along."""
    out: list[str] = []
    out_idx: list[int] = []
    pos = 0
    for m in pattern.finditer(s):
        start, end = m.span()
        out.append(s[pos:start])
        out_idx.extend(idx[pos:start])
        r = repl(m) if callable(repl) else repl
        out.append(r)
        out_idx.extend(_align(s[start:end], idx[start:end], r))
        pos = end
    out.append(s[pos:])
    out_idx.extend(idx[pos:])
    return "".join(out), out_idx


@lru_cache(maxsize=4096)
def _starts_nfkc_segment(ch: str) -> bool:
    """True if NFKC can never combine ``ch`` with what precedes it."""
    decomposed = unicodedata.normalize("NFKD", ch)
    if not decomposed:
        return True
    first = decomposed[0]
    if unicodedata.combining(first) or unicodedata.category(first)[0] == "M":
        return False
    # Hangul vowel/final jamo compose with a preceding leading jamo / syllable.
    return not (0x1160 <= ord(first) <= 0x11FF or 0xD7B0 <= ord(first) <= 0xD7FF)


def _nfkc_off(s: str, idx: list[int]) -> tuple[str, list[int]]:
    """NFKC, segment by segment, so that each output char knows its source."""
    whole = unicodedata.normalize("NFKC", s)
    if whole == s:
        return s, idx
    bounds = [i for i, ch in enumerate(s) if i == 0 or _starts_nfkc_segment(ch)] + [len(s)]
    out: list[str] = []
    out_idx: list[int] = []
    for a, b in pairwise(bounds):
        r = unicodedata.normalize("NFKC", s[a:b])
        out.append(r)
        out_idx.extend(_align(s[a:b], idx[a:b], r))
    result = "".join(out)
    if result != whole:  # pragma: no cover - safety net for exotic scripts
        return whole, _align(s, idx, whole)
    return result, out_idx


_EARLY_REPLACEMENT_RES = [re.compile(re.escape(variant)) for variant, _ in _EARLY_REPLACEMENTS]
_SPACE_BEFORE_REPETITION_RE = re.compile(f" (?=[{''.join(_REPETITION_MARKS)}])")


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return ``(fold(text), offsets)`` where ``offsets[i]`` is the index in
    ``text`` of the character that folded character ``i`` came from.

    ``len(offsets) == len(folded)``, and the offsets are non-decreasing and in
    range, so a match ``folded[a:b]`` corresponds to ``text[offsets[a]:offsets[b - 1] + 1]``
    (widen it to whole clusters before highlighting; see :func:`match_spans`).
    Characters whose marks were reordered map to their own source character as
    far as non-decreasing order allows; the space that replaces a run of
    separators maps into that run, and the characters of a decomposed ligature
    (``ໜ`` -> ``ຫນ``) all map to it.  Slower than :func:`fold`; meant for the few
    results on a page.
    """
    # Mirrors fold() step by step (minus the ASCII shortcut, which gives the
    # same result); per-character steps use per-character mapping.
    p = _patterns_for(text)
    s, idx = _translate_off(text, list(range(len(text))), p.invisible, _TABLES.invisible)
    for (variant, canonical), pattern in zip(_EARLY_REPLACEMENTS, _EARLY_REPLACEMENT_RES, strict=True):
        if variant in s:
            # re.sub with a literal pattern replaces exactly like str.replace.
            s, idx = _sub_off(s, idx, pattern, canonical)
    s, idx = _nfkc_off(s, idx)
    s, idx = _casefold_off(s, idx)
    s, idx = _nfkc_off(s, idx)  # a no-op unless casefolding changed something
    p = _patterns_for(s)
    s, idx = _sub_off(s, idx, p.mark_chunk, _mark_chunk_repl)
    s, idx = _translate_off(s, idx, p.late, _TABLES.late)
    s, idx = _sub_off(s, idx, p.separators, " ")
    if s.startswith(" "):
        s, idx = s[1:], idx[1:]
    if s.endswith(" "):
        s, idx = s[:-1], idx[:-1]
    return _sub_off(s, idx, _SPACE_BEFORE_REPETITION_RE, "")


# --------------------------------------------------------------------------
# Query helpers.
# --------------------------------------------------------------------------


def query_terms(query: str) -> list[str]:
    """The words of ``fold(query)``: split on spaces, empties dropped, de-duplicated in order."""
    return list(dict.fromkeys(t for t in fold(query).split(" ") if t))


def _continues_cluster(ch: str) -> bool:
    # Combining marks, the spacing AM vowels and invisible characters belong to
    # the cluster before them; a highlight must not cut through them.
    return unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf") or ch in "\u0eb3\u0e33"


def match_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``[start, end)`` spans of ``text`` matching ``query``.

    A span is produced for every occurrence of each query word (and of the whole
    folded query, so that a phrase is highlighted including the punctuation
    between its words), compared in folded form.  Spans are widened to whole
    clusters (a consonant with its vowel and tone marks) and touching or
    overlapping spans are merged.  An empty query gives ``[]``.

    >>> match_spans("ຜ້າໄໝ ທໍຜ້າ", "ໄໝ")
    [(3, 5)]
    """
    terms = query_terms(query)
    if not terms:
        return []
    needles = set(terms)
    needles.add(fold(query))
    folded, offsets = fold_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for needle in needles:
        pos = folded.find(needle)
        while pos != -1:
            start = offsets[pos]
            end = offsets[pos + len(needle) - 1] + 1
            while start > 0 and _continues_cluster(text[start]):
                start -= 1
            while end < len(text) and _continues_cluster(text[end]):
                end += 1
            spans.append((start, end))
            pos = folded.find(needle, pos + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
