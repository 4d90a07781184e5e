"""numbers.py: digit strings, number words and scale words to values."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.layers.numbers import (
    is_year_like,
    parse_digits,
    parse_number_words,
    scale_value,
    split_glued,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7.0),
        ("3,000", 3000.0),
        ("12,500.75", 12500.75),
        ("95.7", 95.7),
        ("1.200.000", 1200000.0),
        ("1.234,5", 1234.5),
        ("1,5", 1.5),
        ("940 000", 940000.0),
        ("40\u00a0000", 40000.0),
        ("2,400,000", 2400000.0),
    ],
)
def test_parse_digits_reads_separators(text: str, value: float) -> None:
    assert parse_digits(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "3,00,0", "1,2,3", "12 34", "1.2.3.4.5x", "--"])
def test_parse_digits_refuses_what_is_not_one_number(text: str) -> None:
    assert parse_digits(text) is None


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("US$0.98", ("US$", "0.98", "")),
        ("30m3", ("", "30", "m3")),
        ("550W", ("", "550", "W")),
        ("~70,000", ("~", "70,000", "")),
        ("SG18", ("SG", "18", "")),
    ],
)
def test_split_glued_cuts_mark_number_mark(text: str, parts: tuple[str, str, str]) -> None:
    assert split_glued(text) == parts


def test_split_glued_needs_a_digit() -> None:
    assert split_glued("tonnes") is None


@pytest.mark.parametrize(
    ("word", "value"),
    [("billion", 1e9), ("BN", 1e9), ("mln", 1e6), ("Million", 1e6), ("crore", 1e7),
     ("lakh", 1e5), ("thousand", 1e3), ("trillion", 1e12)],
)
def test_scale_words(word: str, value: float) -> None:
    assert scale_value(word) == value


def test_single_letter_scales_only_when_allowed() -> None:
    assert scale_value("m") is None
    assert scale_value("m", weak=True) == 1e6
    assert scale_value("K", weak=True) == 1e3
    assert scale_value("x", weak=True) is None


@pytest.mark.parametrize(
    ("words", "result"),
    [
        (["seven", "plants"], (7.0, 1)),
        (["twenty", "-", "five", "jobs"], (25.0, 3)),
        (["thirty", "two"], (32.0, 2)),
        (["three", "hundred", "jobs"], (300.0, 2)),
        (["a", "dozen", "sites"], (12.0, 2)),
        (["half", "a", "million"], (0.5, 2)),
        (["a", "million", "barrels"], (1.0, 1)),
    ],
)
def test_number_words(words: list[str], result: tuple[float, int]) -> None:
    assert parse_number_words(words) == result


@pytest.mark.parametrize("words", [[], ["plants"], ["a", "plant"], ["hundreds"]])
def test_number_words_refuse_other_words(words: list[str]) -> None:
    assert parse_number_words(words) is None


def test_year_like() -> None:
    assert is_year_like("2025") and is_year_like("1987")
    assert not is_year_like("2,025") and not is_year_like("3000") and not is_year_like("202")


# property tests: format a value in several house styles, read it back

@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1000, max_value=999_999_999))
def test_thousands_styles_round_trip(n: int) -> None:
    comma = f"{n:,}"
    assert parse_digits(comma) == n
    assert parse_digits(comma.replace(",", " ")) == n
    assert parse_digits(comma.replace(",", "\u00a0")) == n
    if n >= 1_000_000:  # two dots: the European style is unmistakable
        assert parse_digits(comma.replace(",", ".")) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99_999_999), st.integers(min_value=1, max_value=99))
def test_decimals_round_trip(whole: int, cents: int) -> None:
    text = f"{whole:,}.{cents:02d}"
    assert parse_digits(text) == pytest.approx(whole + cents / 100)
    european = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    assert parse_digits(european) == pytest.approx(whole + cents / 100)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99))
def test_number_words_round_trip(n: int) -> None:
    ones = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen"]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    if n < 20:
        words = [ones[n]]
    elif n % 10 == 0:
        words = [tens[n // 10]]
    else:
        words = [tens[n // 10], "-", ones[n % 10]]
    assert parse_number_words(words + ["jobs"]) == (float(n), len(words))


def test_quarters_before_a_scale_word() -> None:
    from extractor.layers.numbers import quarter_words
    assert quarter_words(["a", "quarter", "million"]) == (0.25, 2)
    assert quarter_words(["three", "quarters", "billion"]) == (0.75, 2)
    assert quarter_words(["three", "-", "quarters", "billion"]) == (0.75, 3)
    assert quarter_words(["a", "quarter", "of"]) is None  # "a quarter of staff": no amount
    assert quarter_words(["the", "third", "quarter"]) is None
