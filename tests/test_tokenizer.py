"""tokenizer.py: currency marks, units and range dashes come apart from the digits."""
from __future__ import annotations

import pytest
import spacy

from extractor.layers.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    return nlp


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("RMB15 billion", ["RMB", "15", "billion"]),
        ("US$0.98", ["US$", "0.98"]),
        ("a 20GWh line", ["a", "20", "GWh", "line"]),
        ("28,000tpa", ["28,000", "tpa"]),
        ("6–12 days", ["6", "–", "12", "days"]),
        ("200MW/800MWh", ["200MW", "/", "800", "MWh"]),
        ("3,000 jobs", ["3,000", "jobs"]),
        ("Gui'an", ["Gui'an"]),
    ],
)
def test_split(nlp, text: str, tokens: list[str]) -> None:
    assert [t.text for t in nlp.make_doc(text)] == tokens


def test_words_ending_like_units_stay_whole(nlp) -> None:
    # the unit suffix needs a digit before it
    assert [t.text for t in nlp.make_doc("Mumbai Mt Kenya")] == ["Mumbai", "Mt", "Kenya"]
