"""The cues layer: cue phrases and phase labels become spans with category, direction, value."""
from __future__ import annotations

import numpy
import pytest
from spacy.attrs import IDX, IS_SPACE, LENGTH, LOWER

from extractor import spans as S
from extractor.assembly.context import Context, sentence_starts
from extractor.layers.cues import (
    CueTable,
    at_line_start,
    check_cue_rule,
    match_cues,
    may_open_line,
    packaged_cue_rules,
)
from extractor.mentions import CueMention, mentions_of
from extractor.ruleset import RuleFileError

from .cue_helpers import cue_nlp, make_doc, quantity, run_cues


def cue_table(text: str, extra: tuple = (), figures: tuple = ()) -> list[tuple[str, str, object]]:
    doc = make_doc(text, extra=extra)
    for phrase, value, unit in figures:
        quantity(doc, phrase, value, unit)
    doc = run_cues(doc, extra)
    ctx = Context(doc)
    return [(c.text, c.category, c.value) for c in ctx.cues]


def test_packaged_rules_load_and_every_rule_has_phrases():
    rules = packaged_cue_rules()
    assert len(rules) > 40
    assert all(r.phrases and r.direction in ("forward", "backward", "both") for r in rules)


@pytest.mark.parametrize("text, number", [
    ("Work on Phase II begins soon.", 2),
    ("The phase 3 lines arrive later.", 3),
    ("Its phase one output is small.", 1),
    ("The third phase adds a warehouse.", 3),
    ("A second-phase extension was agreed.", 2),
])
def test_phase_labels_carry_their_number(text, number):
    found = [(t, v) for t, c, v in cue_table(text) if c == "phase"]
    assert found and found[0][1] == number


def test_phase_count_is_not_a_phase_label():
    table = cue_table("The mill will be built in three phases.")
    assert ("three phases", "phase_count", 3) in table
    assert not any(c == "phase" for _, c, _ in table)


def test_slot_and_milestone_cues_are_found_case_insensitively():
    table = cue_table("The site Covers An Area Of 40 hectares. The roof was Topped Out in May.",
                      figures=(("40 hectares", 40, "ha"),))
    assert ("Covers An Area Of", "area", None) in table
    assert ("Topped Out", "milestone", "topping_out") in table


def test_same_words_may_cue_two_categories():
    cats = {c for t, c, _ in cue_table("Acme opened a 9 GWh plant.", figures=(("9 GWh", 9, "GWh"),)) if t == "plant"}
    assert {"project_type", "compound"} <= cats


def test_about_counts_as_boilerplate_only_when_it_opens_a_line():
    assert any(c == "boilerplate" for _, c, _ in cue_table("Story text.\n\nAbout Acme Corp\nAcme makes things."))
    assert not any(c == "boilerplate" for _, c, _ in cue_table("It covers about 40 hectares."))


def test_extra_rules_add_cues():
    extra = ({"id": "user-floor", "layer": "cues", "category": "area", "direction": "forward",
              "window": 5, "phrases": ["hardstand of"]},)
    table = cue_table("A hardstand of 9 hectares.", extra, figures=(("9 hectares", 9, "ha"),))
    assert ("hardstand of", "area", None) in table


def test_a_rule_with_an_unknown_category_is_refused():
    with pytest.raises(RuleFileError):
        check_cue_rule({"id": "bad", "category": "areas", "phrases": ["x"]})
    with pytest.raises(RuleFileError):
        check_cue_rule({"id": "bad", "category": "area", "phrases": []})


def test_cue_spans_carry_category_and_rule_as_spacys_span_ruler_does():
    doc = make_doc("The total investment is $9 mln.")
    quantity(doc, "$9 mln", 9e6, "USD", money=True)
    doc = run_cues(doc)
    spans = [s for s in doc.spans[S.CUE] if s.text == "total investment"]
    assert spans and spans[0].label_ == "investment" and spans[0].id_
    mentions = [(m.category, m.rule_id) for m in mentions_of(doc, CueMention)
                if (m.start, m.end) == (spans[0].start, spans[0].end)]
    assert ("investment", spans[0].id_) in mentions


def test_sentences_split_on_periods_but_not_after_abbreviations():
    text = "Acme Inc. will build a plant. It opens in 2026.\n\nNEW HEADLINE"
    starts = sentence_starts(text)
    assert starts[0] == 0
    def sentence_of(word: str) -> int:
        return sum(1 for s in starts if s <= text.index(word)) - 1

    assert sentence_of("It opens") == sentence_of("plant") + 1
    assert sentence_of("will build") == sentence_of("Acme")
    assert sentence_of("NEW") > sentence_of("2026")


def test_glued_sentences_split():
    text = "the land is leased.The refinery opens later"
    assert any(text.index("leased") < s <= text.index("The refinery") for s in sentence_starts(text))


def test_cues_that_cover_no_target_are_not_written():
    # "capacity of" speaks about figures; with none near it, it is left out
    assert not any(c == "capacity" for _, c, _ in cue_table("Its capacity of hope is endless."))
    table = cue_table("Its capacity of 7 GWh is new.", figures=(("7 GWh", 7, "GWh"),))
    assert ("capacity of", "capacity", None) in table


def test_modal_cues_are_written_only_near_events():
    assert not any(c == "planned" for _, c, _ in cue_table("Acme will hold a meeting."))
    assert any(c == "planned" for _, c, _ in cue_table("Acme will break ground soon."))


def test_each_pipeline_keeps_its_own_cue_rules():
    # the same rule id means "area" in one pipeline and "jobs" in another built after it
    as_area = ({"id": "user-hardstand", "layer": "cues", "category": "area", "direction": "forward",
                "window": 5, "phrases": ["hardstand of"]},)
    as_jobs = ({**as_area[0], "category": "jobs"},)
    docs = []
    for extra in (as_area, as_jobs):
        doc = make_doc("A hardstand of 9 hectares.", extra=extra)
        quantity(doc, "9 hectares", 9, "ha")
        docs.append(run_cues(doc, extra))
    first, second = docs
    assert [c.category for c in Context(first).cues if c.rule_id == "user-hardstand"] == ["area"]
    assert [s.label_ for s in first.spans[S.CUE] if s.id_ == "user-hardstand"] == ["area"]
    assert [c.category for c in Context(second).cues if c.rule_id == "user-hardstand"] == ["jobs"]


def test_a_labelled_fact_in_a_bulleted_list_keeps_to_its_own_line():
    # "Site:" names the figure after it; the next bullet's "Phase 2" does not reach back over
    # the line's dash, so the site's area stays the project's
    text = "Key facts\n- Phase 2: to follow by 2029\n- Site: 40 hectares near the port\n- Land area: 12 acres\n"
    doc = make_doc(text)
    quantity(doc, "40 hectares", 40, "ha")
    quantity(doc, "12 acres", 12, "acres")
    ctx = Context(run_cues(doc))
    for figure in doc.spans[S.QUANTITY]:
        hits = ctx.covering(figure.start, figure.end, figure.start_char, ("area", "phase"))
        assert {c.category for c, _ in hits} == {"area"}, figure.text


def test_on_before_a_land_area_and_a_company_revenue_figure():
    # "on" right before acreage says where the plant stands; a profit "on revenue of" a sum is
    # the company's period result, another entity's figure and no plant output value
    text = ("The plant will come up on 400 acres allotted by the state agency. "
            "The firm posted a profit of $10 million, up 5 per cent, on revenue of $90 million.")
    doc = make_doc(text)
    quantity(doc, "400 acres", 400, "acres")
    quantity(doc, "$90 million", 90e6, "USD", money=True)
    ctx = Context(run_cues(doc))
    acres, revenue = doc.spans[S.QUANTITY]
    assert "area" in {c.category for c, _ in ctx.covering(acres.start, acres.end, acres.start_char, ("area",))}
    scopes = ctx.covering(revenue.start, revenue.end, revenue.start_char, ("other",))
    assert any(c.text == "on revenue of" for c, _ in scopes)


@pytest.mark.parametrize("text", [
    "Halvard broke ground on a $90 million\n    expansion of its Reno plant.",
    "-   The group will add\n    four new kilns to the works in Tula.",
    "Orvan plans a 2 GWh\n\tbattery line at its Mesa site.",
    "The county approved\n > a 40-acre site for the depot.",
])
def test_an_indented_line_that_goes_on_lower_case_continues_the_sentence(text):
    assert sentence_starts(text) == [0]


@pytest.mark.parametrize("text, second", [
    ("The plant is done.\n    the ribbon was cut", "the ribbon"),
    ("Highlights:\n    investment of $4 million", "investment"),
    ("Acme said on Monday\n    Its plant will open", "Its plant"),
    ("A new mill\n    - Second item", "- Second"),
])
def test_an_indented_line_after_closing_punctuation_or_capitalised_starts_anew(text, second):
    # the new sentence starts with the indented line
    assert sentence_starts(text)[1] == text.index("\n") + 1 and second in text[text.index("\n"):]


def test_a_wrapped_line_break_is_no_word_between_a_cue_and_its_figure():
    doc = make_doc("an over $80 million\n      expansion")
    ctx = Context(doc)
    newline = next(t.i for t in doc if t.is_space)
    assert ctx.words_between(newline - 1, newline + 2) == 2


def test_cue_mentions_carry_what_their_rule_says_and_their_words():
    extra = ({"id": "user-yard", "layer": "cues", "category": "area", "direction": "forward",
              "window": 4, "weight": 0.5, "phrases": ["yard of"]},)
    text = "A yard of 12 hectares.\nPhase II follows."
    doc = make_doc(text, extra=extra)
    quantity(doc, "12 hectares", 12, "ha")
    cues = {m.rule_id.partition("=")[0]: m for m in mentions_of(run_cues(doc, extra), CueMention)}
    yard = cues["user-yard"]
    assert (yard.category, yard.direction, yard.window, yard.weight, yard.value) == ("area", "forward", 4, 0.5, None)
    assert yard.text == text[yard.start_char:yard.end_char] == "yard of"
    phase = cues["phase-label"]
    assert (phase.category, phase.value, phase.text) == ("phase", 2, "Phase II")


def test_context_reads_plain_cue_mentions_made_by_hand():
    doc = make_doc("Output reaches 9 GWh a year.")
    figure = quantity(doc, "9 GWh", 9, "GWh")
    words = doc[0:2]
    cue = CueMention(words.start, words.end, words.start_char, words.end_char, "hand-made", "capacity",
                     "forward", None, 5, 1.0, words.text)
    ctx = Context(doc, [cue])
    assert [(c.rule_id, gap) for c, gap in ctx.covering(figure.start, figure.end, figure.start_char, ("capacity",))] \
        == [("hand-made", 0)]


def test_the_cues_module_keeps_no_rule_tables_of_its_own():
    import extractor.layers.cues as cues
    import extractor.assembly.context as context

    for name in ("RULES_BY_ID", "RULE_TABLES", "TABLE_LABELS", "LABELS", "RULES_KEY", "SPLITTERS"):
        assert not hasattr(cues, name), name
    assert not hasattr(context, "CUE_HEADS")


@pytest.mark.parametrize("text", [
    "Story text.\n\nAbout Acme Corp\nAcme makes things about 40 hectares.",
    "> About Acme\n> Media contact: Jo\n",
    "About Acme: it opens in mid-2026 - a 2 GWh line.\n- Site: 40 hectares\n  - Phase 2: later",
    "\n\n  Contacts\nMedia  Notes to editors >Media\nx > About Us",
])
def test_the_line_start_screen_only_skips_cues_that_open_no_line(text):
    """`may_open_line` (read from word positions) never says no where `at_line_start` says yes."""
    doc = make_doc(text)
    arr = doc.to_array([IS_SPACE, LOWER])
    where = numpy.flatnonzero(arr[:, 0] == 0).tolist()
    quote_mark = doc.vocab.strings.add(">")
    screened = 0
    for word, start in enumerate(where):
        opens = at_line_start(doc, start, start + 1)
        may = may_open_line(where, word, arr, quote_mark)
        assert may or not opens, doc[start:start + 1]
        screened += not may
    assert screened  # the screen does skip words


def test_matches_come_in_text_order_without_a_sort():
    """match_cues relies on the PhraseMatcher's order: starts in order, longer phrases later."""
    doc = make_doc("The annual production capacity of the battery plant and its\n  second phase plant "
                   "will start production; total investment of the first phase is planned.")
    table = CueTable(cue_nlp(), packaged_cue_rules())
    found = match_cues(doc, table, doc.to_array([IS_SPACE, LOWER, IDX, LENGTH])).found
    bounds = [(start, end) for start, end, _ in found]
    assert len(bounds) > 5 and any(a[0] == b[0] for a, b in zip(bounds, bounds[1:]))  # nested phrases
    assert bounds == sorted(bounds)
