"""The score itself (pure): parts that add up, 100 for a perfect fit, criteria the buyer left open
do not count, export buyers need 4-5 stars, reasons in three languages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.matching.scoring import WEIGHTS, Labels, Needs, ProducerStats, Scorer, reasons, score

SILK = (("silk", frozenset({"silk"})),)
TEXTILES = (("silk", frozenset({"silk"})), ("cotton", frozenset({"cotton"})))


def stats(**kw) -> ProducerStats:  # type: ignore[no-untyped-def]
    values = {
        "producer_id": 1,
        "province_code": "LA-LP",
        "products": 3,
        "categories_covered": frozenset({"silk"}),
        "min_price_lak": 200_000,
        "max_capacity": 1_000,
        "min_moq": 10,
        "max_stars": 5,
        "term_fits": (),
        "certifications": frozenset(),
        "languages": frozenset({"lo"}),
    }
    values.update(kw)
    return ProducerStats(**values)


def test_a_perfect_fit_scores_100_and_open_criteria_do_not_count():
    needs = Needs(country="LA", category_groups=SILK, languages=frozenset({"lo"}))
    total, breakdown = score(needs, stats())
    assert total == 100.0
    assert set(breakdown) == {"category", "stars", "language"}  # no keywords, volume, price… asked
    # each criterion's share is its weight over the weights that apply
    assert breakdown["category"] == round(
        100 * WEIGHTS.category / (WEIGHTS.category + WEIGHTS.stars + WEIGHTS.language), 1
    )


def test_export_buyers_need_four_or_five_stars():
    home = Needs(country="LA", category_groups=SILK)
    abroad = Needs(country="FR", category_groups=SILK)
    assert score(home, stats(max_stars=3))[1]["stars"] > 0
    assert score(abroad, stats(max_stars=3))[1]["stars"] == 0
    assert score(abroad, stats(max_stars=4))[1]["stars"] > 0


def test_price_capacity_and_moq_fall_off_gradually():
    needs = Needs(country="LA", category_groups=SILK, price_max_lak=200_000, volume_per_month=500)
    scorer = Scorer(needs)
    prices = [scorer(stats(min_price_lak=p))[1]["price"] for p in (150_000, 200_000, 230_000, 250_000, 400_000)]
    assert prices[0] == prices[1] > prices[2] > prices[3] == prices[4] == 0
    capacity = [
        scorer(stats(max_capacity=c, min_moq=m))[1]["capacity"] for c, m in ((1000, 10), (250, 10), (250, 1000))
    ]
    assert capacity[0] > capacity[1] > capacity[2] > 0


def test_reasons_in_three_languages():
    needs = Needs(
        country="TH",
        category_groups=SILK,
        certifications=("organic", "gi"),
        languages=frozenset({"en"}),
    )
    found = stats(certifications=frozenset({"organic"}), languages=frozenset({"lo", "en"}))
    _, breakdown = score(needs, found)
    names = {"silk": {"en": "Silk", "lo": "ຜ້າໄໝ", "th": "ผ้าไหม"}}
    certs = {"organic": {"en": "Organic", "lo": "ອິນຊີ", "th": "อินทรีย์"}, "gi": {"en": "GI"}}
    en = reasons(needs, found, breakdown, Labels("en", names, {}, certs))
    assert en[0] == "Makes Silk"  # the criterion worth most first
    assert en[-1] == "Missing GI"  # what counts against, last
    assert "Speaks English" in en and "Export quality: 5-star ODOP grade" in en
    assert reasons(needs, found, breakdown, Labels("lo", names, {}, certs))[0] == "ຜະລິດ ຜ້າໄໝ"
    assert reasons(needs, found, breakdown, Labels("th", names, {}, certs))[0] == "ผลิตผ้าไหม"


@given(
    country=st.sampled_from(["LA", "TH"]),
    terms=st.integers(0, 3),
    volume=st.one_of(st.none(), st.integers(1, 5000)),
    price_max=st.one_of(st.none(), st.integers(0, 10**6)),
    certs=st.integers(0, 2),
    price=st.one_of(st.none(), st.integers(0, 2 * 10**6)),
    capacity=st.one_of(st.none(), st.integers(0, 10_000)),
    moq=st.one_of(st.none(), st.integers(0, 10_000)),
    stars=st.one_of(st.none(), st.integers(1, 5)),
    covered=st.integers(0, 2),
    fits=st.lists(st.sampled_from([0.0, 0.6, 1.0]), min_size=3, max_size=3),
    held=st.integers(0, 2),
)
def test_the_parts_always_add_up_to_a_score_between_0_and_100(  # type: ignore[no-untyped-def]
    country, terms, volume, price_max, certs, price, capacity, moq, stars, covered, fits, held
):
    needs = Needs(
        country=country,
        category_groups=TEXTILES,
        terms=("a", "b", "c")[:terms],
        volume_per_month=volume,
        price_max_lak=price_max,
        certifications=("organic", "gi")[:certs],
        provinces=frozenset({"LA-LP"}),
        languages=frozenset({"en"}),
    )
    found = stats(
        categories_covered=frozenset(["silk", "cotton"][:covered]),
        min_price_lak=price,
        max_capacity=capacity,
        min_moq=moq,
        max_stars=stars,
        term_fits=tuple(fits[:terms]),
        certifications=frozenset(("organic", "gi")[: min(held, certs)]),
    )
    scorer = Scorer(needs)
    total, breakdown = scorer(found)
    assert 0 <= total <= 100
    assert round(sum(breakdown.values()), 1) == total
    assert abs(total - scorer.total(found)) <= 0.05 + 1e-9
    assert scorer.total(found) <= scorer.total(found, optimistic=True) + 1e-9
