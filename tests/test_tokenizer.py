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


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a [total investment](https://news.example.org/a-b) of", ["total", "investment", "of"]),
        ("its [new plant](http://example.com/)", ["new", "plant"]),
        ("[$80 million\nexpansion](https://x.example/status/42) in Ohio", ["80", "million", "expansion", "in", "Ohio"]),
        ("see [the site](www.example.net) today", ["the", "site", "today"]),
    ],
)
def test_markdown_link_text_is_ordinary_tokens(nlp, text: str, words: list[str]) -> None:
    # the link's joint '](' comes apart, so the last word of the link text is a token of its own
    tokens = [t.text for t in nlp.make_doc(text)]
    assert "](" in tokens
    assert all(word in tokens for word in words)


def test_brackets_without_a_link_are_unchanged(nlp) -> None:
    assert [t.text for t in nlp.make_doc("[note] a (b)")] == ["[", "note", "]", "a", "(", "b", ")"]


def test_the_pipeline_tokenizer_splits_as_ours_on_spacys_defaults(nlp) -> None:
    """The pipeline's tokenizer, made in one go (`make_tokenizer`), splits as spaCy's own
    default tokenizer given our affixes (`customize_tokenizer`): special cases, URLs and
    token matches included."""
    from extractor.pipeline import get_pipeline

    texts = ["RMB15 billion for 20GWh, $2-$3 billion, 6–12 months in the U.S. (see https://x.org/a?b=1).",
             "It's the co-op's 1st plant: don't e-mail info@acme.com; 10km2, C$5m, Rs.40 crore :) 3pm-5pm",
             "[total investment](https://example.org/a) of US$1.2bn vs. €900mln/yr, a 50:50 JV #1 "]
    pipeline = get_pipeline()
    for text in texts:
        made = [(t.text, t.norm_, t.whitespace_) for t in pipeline.make_doc(text)]
        assert made == [(t.text, t.norm_, t.whitespace_) for t in nlp(text)]
