"""Assembly's shortcuts give what the plain computation gives (issue 14: the same records for
less work). Each test runs both on invented wordings; none times anything."""
from __future__ import annotations

import re

import pytest

from extractor.assembly.context import SENTENCE_END, Context, only
from extractor.models import ProjectRecord

from .cue_helpers import make_doc, quantity, run_cues

# the sentence end as first written: one branch for . ! ? and any closing mark
PLAIN_SENTENCE_END = re.compile(
    r"[.!?][\"'\u201d\u2019)\]]?(?=\s+[^a-z\s])|\.(?=[A-Z][a-z])|\n[ \t\u00a0]*\n|\n(?=[ \t>\u00a0])"
)

WORDINGS = [
    "Brakvel Inc. will build a plant. It opens in 2027!\n\nNEW LINE",
    "the site is leased.The mill follows? \u201cYes.\u201d Then (done.) Next\n  > quoted\n    lower case",
    "Output rises!  Really?\u00a0Yes.\n\t\nTab line.\nplain next line.'\u2019 After",
    "",
    "...!!??\n\n\n.A.b. C",
]


@pytest.mark.parametrize("text", WORDINGS)
def test_sentence_end_matches_the_plain_pattern(text):
    def ends(pattern: re.Pattern) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text)]

    assert ends(SENTENCE_END) == ends(PLAIN_SENTENCE_END)


COVERED = [
    ("The plant will have an initial annual capacity of 12 GWh in total.", "12 GWh", 12, "GWh"),
    ("Phase I, covering 59 hectares, is not yet built; the park spans 900 ha.", "59 hectares", 59, "ha"),
    ("The industry's 8.6 GW was not reached; the mill will not add a planned capacity of 2 GW.", "2 GW", 2, "GW"),
]


@pytest.mark.parametrize("text, phrase, value, unit", COVERED)
def test_one_covering_query_split_by_category_equals_one_query_per_group(text, phrase, value, unit):
    doc = make_doc(text)
    span = quantity(doc, phrase, value, unit)
    ctx = Context(run_cues(doc))
    groups = [("capacity", "area", "compound"), ("other", "total", "phase"), ("initial",),
              ("planned", "negation", "done"), ("side_object", "past")]
    everything = ctx.covering(span.start, span.end, span.start_char, [c for g in groups for c in g])
    assert len({cue.category for cue, _ in everything}) > 1, "the wordings are chosen so that cues of several categories cover the figure"
    for group in groups:
        assert only(everything, group) == ctx.covering(span.start, span.end, span.start_char, group)


def test_words_between_skips_whitespace_tokens_only():
    doc = run_cues(make_doc("a $90 million\n    expansion  of the mill"))
    ctx = Context(doc)
    for left in range(len(doc)):
        for right in range(left, len(doc) + 1):
            plain = sum(1 for token in doc[left:right] if not token.is_space)
            assert ctx.words_between(left, right) == plain


def test_a_record_validated_as_a_whole_refuses_what_its_parts_refuse():
    fields = {"doc_id": "x", "text_sha256": "0" * 64,
              "quantities": [{"value": 1.0, "unit": "furlong", "evidence": {"start": 0, "end": 1, "text": "a"}}]}
    with pytest.raises(ValueError):
        ProjectRecord(**fields)
    fields["quantities"][0]["unit"] = "MW"
    fields["places"] = [{"name": "X", "kind": "city", "evidence": {"start": 3, "end": 1, "text": ""}}]
    with pytest.raises(ValueError):
        ProjectRecord(**fields)
    fields["places"][0]["evidence"] = {"start": 0, "end": 1, "text": "X"}
    record = ProjectRecord(**fields)
    assert record.quantities[0].unit == "MW" and record.places[0].evidence.text == "X"


@pytest.mark.parametrize("before", [
    "the company is headquartered in", "its head office in", "a plant in", "", "based in",
    "the group from", "which was founded in", "offices of", "registered at"])
def test_the_headquarters_screen_hides_no_phrase(before):
    from extractor.assembly.site import follows_phrase, site_cues

    cues = site_cues()
    words = before.split()
    plain = follows_phrase(words, cues.headquarters, cues.headquarter_lengths)
    assert follows_phrase(words, cues.headquarters, cues.headquarter_lengths, cues.headquarter_ends) == plain


def test_period_of_is_remembered_per_wording_and_reads_the_same():
    from extractor.assembly.slots import period_of

    for text, period in [("of annual capacity", "year"), ("Per Day", "day"), ("capacity", None)]:
        assert period_of(text) == period_of.__wrapped__(text) == period


def test_events_that_overlap_none_are_all_kept_and_the_screen_sees_every_overlap():
    from itertools import permutations

    from extractor.assembly.milestones import Event, any_overlap

    def event(kind: str, start: int, end: int) -> Event:
        return Event(kind, "x" * (end - start), 0, 1, start, end, False, None, 0)

    spans = [("completion", 0, 9), ("production_start", 4, 9), ("signing", 12, 20), ("approval", 25, 31)]
    for chosen in permutations(spans, 3):
        events = sorted((event(*s) for s in chosen), key=lambda e: (e.start_char, -(e.end_char - e.start_char)))
        holds = any(o is not e and o.start_char <= e.start_char and e.end_char <= o.end_char
                    for o in events for e in events)
        assert not holds or any_overlap(events)
    assert not any_overlap([event(*spans[0]), event(*spans[2]), event(*spans[3])])
    assert any_overlap([event(*spans[0]), event(*spans[1])])


PHRASE_WORDINGS = [
    "Acme will break ground on a new plant and start production in 2027.",
    "The mill will shut down. Zenloft plans to build a factory; it will break ground soon.",
]


@pytest.mark.parametrize("text", PHRASE_WORDINGS)
def test_phrase_hits_up_to_a_token_read_only_the_words_before_it(text):
    """The phrase scan stops at `end_token` without copying the words: at every cut it finds
    what a scan of the words before the cut alone finds (no phrase runs past the cut)."""
    from extractor.assembly.detection import phrase_hits
    from extractor.assembly.document import Document

    doc = run_cues(make_doc(text))
    ctx = Context(doc)
    view = Document(doc)
    full = view.tokens.lower
    assert phrase_hits(view, ctx, len(doc)), "the wordings are chosen to hold phrases"
    for end in range(len(doc) + 1):
        cut = Document(doc)
        cut.tokens.lower = full[:end]
        assert phrase_hits(view, ctx, end) == phrase_hits(cut, ctx, end)
