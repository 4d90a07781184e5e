"""Work grows linearly with the text: counted, never timed.

A press release repeated k times has k times the mentions; any step that looks through the
whole document once per mention makes the work grow with k squared. The counts here are
Python lines executed (`sys.settrace`) and whole-text regex searches: deterministic, so the
check holds on any machine, however busy.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from unittest import mock

from extractor import extract
from extractor.layers import companies as C

# invented wording: money (one priced per unit), an ambiguous currency mark, places and companies
PARAGRAPH = (
    "Zorvex Batteries Co., Ltd. will invest ¥2.5 billion in a 20 GWh cell plant in Hefei, Anhui, "
    "the company said. Partner Quillon Energy Inc. of Shelbyville, Kentucky will supply cathode at "
    "$22,000/t. The Hefei plant covers 40 hectares and will employ 1,200 people by 2027.\n\n"
)


def lines_executed(text: str) -> Counter:
    """Python lines run by `extract(text)`, by function of the extractor's own modules."""
    counts: Counter = Counter()

    def tracer(frame, event, arg):
        code = frame.f_code
        if "extractor" not in code.co_filename:
            return None
        if event == "line":
            counts[code.co_filename.rsplit("extractor", 1)[-1], code.co_name] += 1
        return tracer

    sys.settrace(tracer)
    try:
        extract(text)
    finally:
        sys.settrace(None)
    return counts


def test_python_work_of_every_function_grows_linearly_with_the_text():
    extract(PARAGRAPH)  # pipeline built and caches filled before counting
    small, large = lines_executed(PARAGRAPH * 6), lines_executed(PARAGRAPH * 24)
    assert sum(large.values()) <= 4 * sum(small.values()) * 1.1
    # a function doing per-mention work over the whole document grows about 16 times
    grew = {where: (small[where], lines) for where, lines in large.items() if lines > 4.4 * small[where] + 60}
    assert not grew, grew


def test_ambiguous_currency_words_are_searched_once_per_document():
    searches = []
    real = re.search

    def counting(pattern, string, *args, **kwargs):
        searches.append(len(string))
        return real(pattern, string, *args, **kwargs)

    extract(PARAGRAPH)
    counts = []
    for copies in (4, 16):
        searches.clear()
        with mock.patch("extractor.layers.quantities.re.search", counting):
            extract(PARAGRAPH * copies)
        counts.append(sum(1 for n in searches if n >= len(PARAGRAPH) * copies))
    assert counts[0] > 0 and counts[1] == counts[0], counts


def test_indexed_lookups_match_the_plain_scan():
    text = "Acme Solar, acme and (Acme) Acme-Cell xAcme Acme. Bolt & Co said; “Acme” Acme_2 Acme"
    index = C.word_starts(text)
    for word in ("Acme", "acme", "Acme-Cell", "Acme Solar", "Bolt & Co", "Co", "(Acme)", "Acme_2"):
        assert list(C.positions(text, word, index)) == [
            p for p in C.positions(text, word) if p == 0 or not text[p - 1].isalnum()], word
        for lead_ok in (None, lambda before: before in " (“\""):
            assert C._occurs(text, word, lead_ok, index) == C._occurs(text, word, lead_ok), word
