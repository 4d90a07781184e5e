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


BOUND_WORDINGS = [
    "Acme  will build a $90 million\n    plant in Reno.",
    "  Leading spaces, then\n\n\ta tab line \u00a0 and (parentheses).\n",
    "Zenloft's U.S. mill -- \"phase II\" -- opens mid-2027!",
    "",
    "one",
]


@pytest.mark.parametrize("text", BOUND_WORDINGS)
def test_token_bounds_read_once_equal_each_tokens_own_offsets(text):
    """`token_bounds` (kept in the doc for the cues layer and assembly) gives every token's
    start and end as spaCy's tokens do."""
    from extractor.assembly.document import Tokens, token_bounds

    doc = make_doc(text)
    starts, ends = token_bounds(doc)
    assert starts == [t.idx for t in doc]
    assert ends == [t.idx + len(t.text) for t in doc]
    assert Tokens(doc).text == [t.text for t in doc]
    assert token_bounds(doc) is token_bounds(doc)  # kept, not read again


CUE_WORDINGS = [
    "The plant will have an annual production capacity of 12 GWh and\n   cover 59 hectares.",
    "Construction will begin in May; the second phase is planned.\n\nAbout Acme\nAcme makes mills.",
    "Zenloft broke ground on the mill, which is expected to start production in 2027.",
]


@pytest.mark.parametrize("text", CUE_WORDINGS)
def test_cue_offsets_from_the_shared_bounds_equal_the_spans_of_their_tokens(text):
    """The cues layer quotes each cue from `token_bounds`: the same offsets and words as the
    doc's own span of the cue's tokens, and every rule's KeyInfo (made with the table) equals
    the one made for a key on its first match."""
    from extractor.layers.cues import CueTable, packaged_cue_rules
    from extractor.mentions import CueMention, mentions_of

    from .cue_helpers import cue_nlp

    doc = make_doc(text)
    quantity(doc, text.split()[-3] if "GWh" in text else text.split()[0], 1, "MW")
    cues = mentions_of(run_cues(doc), CueMention)
    assert cues, "the wordings are chosen to hold cues"
    for cue in cues:
        span = doc[cue.start:cue.end]
        assert (cue.start_char, cue.end_char, cue.text) == (span.start_char, span.end_char, span.text)
    table = CueTable(cue_nlp(), packaged_cue_rules())
    made = dict(table.heads)
    table.heads.clear()
    assert made and all(table.head(key) == info for key, info in made.items())


def plain_phrase_hits(lowers: list[str], starts: list[int], ranks: list[int], offsets: list[int],
                      end_token: int) -> list[tuple]:
    """The detection phrase scan as first written: every entry of every word in the index."""
    from bisect import bisect_right

    from extractor.assembly.detection import phrase_index

    index = phrase_index()
    hits = []
    covered: dict[str, int] = {}
    for i in range(end_token):
        for words, category, value in index.get(lowers[i], ()):
            n = len(words)
            if covered.get(category, 0) > i or i + n > end_token:
                continue
            if tuple(lowers[i:i + n]) != words:
                continue
            covered[category] = i + n
            hits.append((category, value, i, i + n, ranks[bisect_right(starts, offsets[i]) - 1]))
    return hits


DETECTION_WORDINGS = [
    "Acme will break ground on a new plant and start production in 2027. It plans to build a second factory.",
    "Zenloft to shut down mill; the company will shut down the line\nand break\nground elsewhere.",
    "New app launches! Token holders vote. The startup raised funding in a seed round to build its platform.",
]


@pytest.mark.parametrize("text", DETECTION_WORDINGS)
def test_phrase_hits_by_first_two_words_equal_the_plain_scan(text):
    """`phrase_starts` (entries picked by the following word) finds what trying every entry of
    the first word finds, at every cut of the text."""
    from extractor.assembly.detection import phrase_hits, sentence_ranks
    from extractor.assembly.document import Document

    doc = run_cues(make_doc(text))
    ctx = Context(doc)
    view = Document(doc)
    ranks = sentence_ranks(ctx)
    lowers, offsets = view.tokens.lower, view.tokens.starts
    assert phrase_hits(view, ctx, len(doc)), "the wordings are chosen to hold phrases"
    for end in range(len(doc) + 1):
        found = [tuple(hit) for hit in phrase_hits(view, ctx, end)]
        assert found == plain_phrase_hits(lowers, ctx.starts, ranks, offsets, end)


@pytest.mark.parametrize("text", [
    "Acme Inc. said (in a note) that\nthe U.S. plant opens.", "no breaks at all", "(((u.s.", "\n \n(",
    "a line\nof (words ending here", ""])
def test_word_start_before_equals_the_last_break_of_each_kind(text):
    """The chained search finds the word start that searching the whole text before for each
    break character finds, at every offset."""
    from extractor.assembly.context import word_start_before

    for breaks in (" \n", " \n("):
        for at in range(len(text) + 1):
            plain = max(text.rfind(mark, 0, at) for mark in breaks) + 1
            assert word_start_before(text, at, breaks) == plain
