"""Hand-made docs for the cue and assembly tests: our tokenizer, the cues layer, and mention
mentions set by hand, so these tests do not depend on the other layers' progress."""
from __future__ import annotations

import json
from functools import lru_cache

import spacy

from extractor.layers import cues  # noqa: F401  (registers the cues factory)
from extractor import spans as S
from extractor.layers.tokenizer import customize_tokenizer
from extractor.mentions import DateMention, QuantityMention, mentions_of, set_mentions


def cue_nlp(extra: tuple = ()):
    return _cue_nlp(json.dumps(list(extra), sort_keys=True))


@lru_cache(maxsize=4)
def _cue_nlp(extra_json: str):
    S.register_extensions()
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    nlp.add_pipe("extractor_cues", name="cues", config={"extra_rules": json.loads(extra_json)})
    return nlp


def make_doc(text: str, *, dateline_date: str | None = None, extra: tuple = ()):
    """A doc of `text` with empty mention groups; add mentions with `quantity` / `date`."""
    nlp = cue_nlp(extra)
    doc = nlp.make_doc(text)
    for group in (S.QUANTITY, S.DATE, S.PLACE, S.COMPANY, S.DATELINE):
        doc.spans[group] = []
    doc._.dateline_date = dateline_date
    doc._.warnings = []
    return doc


def run_cues(doc, extra: tuple = ()):
    return cue_nlp(extra).get_pipe("cues")(doc)


def _span(doc, phrase: str, nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
    assert span is not None, phrase
    return span


def quantity(doc, phrase: str, value: float, unit: str, *, per=None, money=False, bare=None, nth: int = 0):
    """Add a QuantityMention over `phrase` (after those added before); returns its span."""
    span = _span(doc, phrase, nth)
    mention = QuantityMention(span.start, span.end, span.start_char, span.end_char, None, float(value), unit=unit,
                              per=per, qualifier="exact", is_money=money, currency_bare=bare)
    set_mentions(doc, QuantityMention, [*mentions_of(doc, QuantityMention), mention])
    return span


def date(doc, phrase: str, iso: str | None, *, relative: bool = False):
    """Add a DateMention over `phrase` (after those added before); returns its span."""
    span = _span(doc, phrase)
    mention = DateMention(span.start, span.end, span.start_char, span.end_char, None, iso, is_relative=relative)
    set_mentions(doc, DateMention, [*mentions_of(doc, DateMention), mention])
    return span
