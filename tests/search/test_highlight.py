"""The live search marks the matched words, whichever accepted spelling the buyer typed."""

from __future__ import annotations

from app.search.highlight import highlighted


def test_marks_each_matched_word_and_escapes_the_rest():
    assert highlighted("Green tea & <honey>", "HONEY tea") == (
        "Green <mark>tea</mark> &amp; &lt;<mark>honey</mark>&gt;"
    )
    # the whole query as typed is one mark, across the punctuation between its words
    assert highlighted("Green tea & <honey>", "tea honey") == "Green <mark>tea &amp; &lt;honey</mark>&gt;"


def test_marks_lao_typed_in_another_spelling():
    # ໝ typed as ຫມ, ຳ typed as ໍ + າ: the text keeps its own spelling, marked where it matched
    assert highlighted("ຜ້າໄໝ ໝາກນ້ຳ", "ຫມາກນ້ໍາ") == "ຜ້າໄໝ <mark>ໝາກນ້ຳ</mark>"


def test_marks_whole_clusters_never_half_a_syllable():
    # the query's ກ is a consonant carrying a vowel sign and a tone mark: they are marked with it
    assert highlighted("ຊາກີ່ວ", "ກ") == "ຊາ<mark>ກີ່</mark>ວ"


def test_nothing_to_mark():
    assert highlighted("Silk <b>scarf</b>", None) == "Silk &lt;b&gt;scarf&lt;/b&gt;"
    assert highlighted("Silk", "coffee") == "Silk"
    assert highlighted(None, "silk") == ""
    assert highlighted("Silk", '"*^:()') == "Silk"
