"""Reading Dutch numbers: digits, number words, fractions, round counts and
phrases with a multiplier (kg.extract.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.numbers import (
    NumberPhrase,
    as_int,
    digits_value,
    fraction_value,
    read_number,
    round_count,
    token_value,
    word_value,
)


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("honderdvijfenveertig", 145),
        ("tweehonderd", 200),
        ("dertien", 13),
        ("één", 1),
        ("tweeëntwintig", 22),
        ("Vijftig", 50),
        ("duizendvijfhonderd", 1500),
        ("twee\u00adhonderd", 200),  # a soft hyphen left by a PDF
        ("twee\u0065\u0308ntwintig", 22),  # ë written as e and a combining diaeresis
    ],
)
def test_numbers_word_value(word: str, value: int) -> None:
    assert word_value(word) == value


@pytest.mark.parametrize(
    "word", ["tientallen", "honderden", "duizenden", "enkele", "paar", "en", "ën", "miljoenen"]
)
def test_numbers_word_value_of_no_number(word: str) -> None:
    assert word_value(word) is None


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("anderhalf", Decimal("1.5")),
        ("anderhalve", Decimal("1.5")),
        ("tweeënhalf", Decimal("2.5")),
        ("vierenhalf", Decimal("4.5")),
        ("drieënhalve", Decimal("3.5")),
        ("anderhalfhonderd", Decimal(150)),
        ("tweeënhalfduizend", Decimal(2500)),
        ("half", Decimal("0.5")),
        ("kwart", Decimal("0.25")),
        ("driekwart", Decimal("0.75")),
    ],
)
def test_numbers_fraction_value(word: str, value: Decimal) -> None:
    assert fraction_value(word) == value


@pytest.mark.parametrize("word", ["halverwege", "kwartaal", "twee", "enhalf", "anderhalfjaar"])
def test_numbers_fraction_value_of_no_fraction(word: str) -> None:
    assert fraction_value(word) is None


@pytest.mark.parametrize(
    ("word", "value"),
    [("tiental", 10), ("twintigtal", 20), ("dertigtal", 30), ("honderdtal", 100), ("viertal", 4)],
)
def test_numbers_round_count(word: str, value: int) -> None:
    assert round_count(word) == value


@pytest.mark.parametrize("word", ["tientallen", "honderdtallen", "aantal", "getal", "tal"])
def test_numbers_round_count_of_no_count(word: str) -> None:
    assert round_count(word) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.500", Decimal(1500)),
        ("1,5", Decimal("1.5")),
        ("239.000,-", Decimal(239000)),
        ("1.250.000", Decimal(1250000)),
        ("1\u00a0500", Decimal(1500)),  # non-breaking space
        ("1\u202f500", Decimal(1500)),  # narrow non-breaking space
        ("12\u2009500,50", Decimal("12500.50")),  # thin space
        ("50", Decimal(50)),
    ],
)
def test_numbers_digits_value(text: str, value: Decimal) -> None:
    assert digits_value(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "1 500",  # a plain space: as likely two numbers ("27 925" is a dossier)
        "1.5",
        "1.50",
        "1\u00a0500.000",  # separators mixed
        "١٢٣",  # digits of another script
        "9" * 200,
        "",
        "12a",
    ],
)
def test_numbers_digits_value_of_no_number(text: str) -> None:
    assert digits_value(text) is None


def test_numbers_token_value_keeps_its_readings() -> None:
    assert token_value("1.500") == Decimal(1500)
    assert token_value("honderdvijfenveertig") == Decimal(145)
    assert token_value("een") == Decimal(1)  # read on its own, "een" is one
    assert token_value("anderhalf") == Decimal("1.5")
    assert token_value("tiental") is None  # approximate: only read_number reads it
    assert as_int(Decimal("1.5")) is None and as_int(Decimal(150)) == 150


@pytest.mark.parametrize(
    ("phrase", "value", "size", "approximate"),
    [
        ("twee en een half miljoen euro", Decimal(2500000), 5, False),
        ("drie en een kwart miljard", Decimal(3250000000), 5, False),
        ("een kwart miljoen euro", Decimal(250000), 3, False),
        ("een half miljoen", Decimal(500000), 3, False),
        ("een halve", Decimal("0.5"), 2, False),
        ("anderhalf miljoen", Decimal(1500000), 2, False),
        ("Anderhalf jaar", Decimal("1.5"), 1, False),
        ("anderhalfhonderd militairen", Decimal(150), 1, False),
        ("tweeënhalf mln.", Decimal(2500000), 2, False),
        ("2,5 mln euro", Decimal(2500000), 2, False),
        ("18 mln. euro", Decimal(18000000), 2, False),
        ("1,8 miljard", Decimal(1800000000), 2, False),
        ("50 duizend", Decimal(50000), 2, False),
        ("15 million", Decimal(15000000), 2, False),
        ("1.5 million", Decimal(1500000), 2, False),  # English, before an English multiplier
        ("een miljoen", Decimal(1000000), 2, False),
        ("één miljoen", Decimal(1000000), 2, False),
        ("een tiental trainers", Decimal(10), 2, True),
        ("een twintigtal", Decimal(20), 2, True),
        ("een dertigtal landen", Decimal(30), 2, True),
        ("een honderdtal militairen", Decimal(100), 2, True),
        ("tiental", Decimal(10), 1, True),
        ("honderdvijfenveertig militairen", Decimal(145), 1, False),
        ("1.500 militairen", Decimal(1500), 1, False),
        ("1\u00a0500 militairen", Decimal(1500), 1, False),
        ("drie tot twaalf", Decimal(3), 1, False),
    ],
)
def test_numbers_read_number(phrase: str, value: Decimal, size: int, approximate: bool) -> None:
    assert read_number(phrase.split(" ")) == NumberPhrase(value, size, approximate)


@pytest.mark.parametrize(
    "phrase",
    ["tientallen militairen", "honderden", "enkele", "een paar", "een", "een aantal", "miljoen"],
)
def test_numbers_read_number_of_no_number(phrase: str) -> None:
    assert read_number(phrase.split()) is None


def test_numbers_read_number_at_a_position() -> None:
    tokens = ["Nederland", "draagt", "twee", "en", "een", "half", "miljoen", "euro", "bij"]
    assert read_number(tokens, 2) == (Decimal(2500000), 5, False)
    assert read_number(tokens, 0) is None
    assert read_number(tokens, len(tokens)) is None
    assert read_number(tokens, -1) is None


def test_numbers_read_number_unpacks() -> None:
    value, size, approximate = read_number(["een", "tiental", "F-16's"]) or (Decimal(0), 0, False)
    assert (value, size, approximate) == (Decimal(10), 2, True)


# Text with what PDFs and web pages put in: control and format characters,
# combining accents, other scripts, long digit runs.
ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from("0123456789.,-\u00a0\u202f\u2009\u200b\u00ad\u0308ën"),
    ),
    max_size=60,
)
NUMBERISH = st.lists(
    st.one_of(
        ODD_TEXT,
        st.sampled_from(["een", "en", "half", "kwart", "miljoen", "mln.", "million", "tiental"]),
        st.from_regex(r"\A[0-9][0-9.,\u00a0]{0,400}\Z"),
    ),
    max_size=8,
)


@given(ODD_TEXT)
def test_numbers_token_value_never_raises(text: str) -> None:
    value = token_value(text)
    assert value is None or isinstance(value, Decimal)


@given(NUMBERISH, st.integers(min_value=-2, max_value=10))
def test_numbers_read_number_never_raises(tokens: list[str], start: int) -> None:
    found = read_number(tokens, start)
    if found is not None:
        assert 1 <= found.size <= len(tokens) - start
        assert found.value.is_finite()
