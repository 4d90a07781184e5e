"""The cues layer: phrases that say what a nearby mention is for (ConText-style).

A cue has a category (a slot such as "capacity", a scope such as "phase" or "other", a
modality such as "planned", a milestone, a status, a project type or a product), a direction
(forward: it speaks about what follows; backward: about what precedes; both) and a window in
tokens. The assembler lets a mention take the categories of the cues whose scope covers it.

Cue phrases are data (rules/cues.jsonl, rules/project_types.jsonl, rules/products.jsonl) matched
by one PhraseMatcher on lower case, phase labels ("Phase II", "the second phase", "two phases")
included, generated from the word sets of rules/phase_numbers.jsonl.
"""
from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Any, Callable, Iterable, Sequence

import numpy
from spacy.attrs import IS_SPACE, LOWER, NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from extractor import spans as S
from extractor.component import LayerComponent
from extractor.ruleset import CUE_CATEGORIES, MAX_CUE_WINDOW, CueRule, lexicon, packaged, parse_rule

SLOT_CATEGORIES = ("capacity", "area", "floor_area", "investment", "output_value", "tax", "jobs", "automation")
SCOPE_CATEGORIES = ("other", "total", "phase")  # in the order they outrank each other
CATEGORIES = frozenset(CUE_CATEGORIES)  # the slots and scopes above, modality, milestones, ...
assert CATEGORIES.issuperset(SLOT_CATEGORIES + SCOPE_CATEGORIES), "add new cue categories to ruleset.CUE_CATEGORIES"
MAX_WINDOW = MAX_CUE_WINDOW  # tokens; scopes end at clause ends anyway, and a bound keeps lookups local
COMPOUND = "compound"  # a project noun after a figure ("a 50 mln dlr plant"): the unit decides the slot

# packaged lexicon files whose lines all share one category
LEXICON_FILES = (("project_types.jsonl", "project_type"), ("products.jsonl", "product"))


def check_cue_rule(rule: dict[str, Any] | CueRule) -> dict[str, Any]:
    """A cue rule with defaults filled, or RuleFileError naming what is wrong.

    >>> check_cue_rule({"id": "x", "category": "area", "phrases": ["plot of"]})["window"]
    8
    >>> check_cue_rule({"id": "x", "category": "areas", "phrases": ["plot of"]})
    Traceback (most recent call last):
    extractor.ruleset.RuleFileError: cues: rule 'x': key 'category': Input should be 'capacity', ...
    """
    if not isinstance(rule, CueRule):
        rule = parse_rule(rule, CueRule, "cues")  # type: ignore[assignment]
    return {
        "id": rule.id, "category": rule.category, "direction": rule.direction, "window": rule.window,
        "phrases": rule.phrases, "value": rule.value, "weight": float(rule.weight), "line_start": rule.line_start,
    }


@lru_cache(maxsize=1)
def packaged_cue_rules() -> tuple[dict[str, Any], ...]:
    """Every packaged cue rule, lexicons included, checked once per process."""
    rules = [check_cue_rule(r) for r in packaged("cues.jsonl")]  # type: ignore[arg-type]
    for name, category in LEXICON_FILES:
        for rule in packaged(name):
            rules.append(check_cue_rule({"id": rule.id, "category": category, "window": 0,
                                         "value": rule.value, "phrases": rule.phrases}))  # type: ignore[attr-defined]
    return tuple(rules)


@lru_cache(maxsize=1)
def phase_words() -> dict[str, Any]:
    """The words that number phases (rules/phase_numbers.jsonl)."""
    return lexicon("phase_numbers.jsonl")


def at_line_start(doc: Doc, start: int, end: int) -> bool:
    """Whether a cue opens a heading line ("About Acme" on a line of its own start).

    Reads only the neighbouring tokens (a line break is a whitespace token of its own).
    Example: "...\nAbout Acme Corp\n" is a heading; "about 95 hectares" inside a sentence is not.
    """
    before = start - 1
    if before >= 0 and doc[before].text == ">":  # a quoted release ("> About Acme")
        before -= 1
    if before >= 0 and not (doc[before].is_space and "\n" in doc[before].text):
        return False
    nxt = doc[end] if end < len(doc) else None
    return nxt is not None and (nxt.is_title or nxt.is_upper)


# every cue rule a pipeline of this process loaded, by id: the span's label names its rule
# (read for docs no cues component of this process marked, e.g. docs made by hand in tests)
RULES_BY_ID: dict[str, dict[str, Any]] = {}
VALUE_SEP = "="
# doc.user_data key naming the rule table of the cues component that analysed the doc
RULES_KEY = "extractor.cue_rules"
# rule tables of this process's cues components, by a digest of their rules: a pipeline built
# with other user rules keeps its own table (the digest is the same in every process, so docs
# shipped between processes by `n_process > 1` find their table)
RULE_TABLES: dict[str, dict[str, dict[str, Any]]] = {}
TABLE_LABELS: dict[str, dict[str, tuple[dict[str, Any], Any]]] = {}


def cue_rule(span: Span) -> tuple[dict[str, Any], Any]:
    """The rule a cue span came from and the value it carries, read from the span's label.

    Why the label: spaCy keys stored `span._` values by character offsets, so two cues over
    the same words ("plant" cues a capacity and names a project type) would share one set of
    values; each Span keeps its own label. Example: label "phase-label=2" -> (phase rule, 2).
    """
    return rule_of_label(span.label_, doc_rule_table(span.doc))


def doc_rule_table(doc: Doc) -> str | None:
    """The digest of the rule table that analysed `doc`, where this process knows it."""
    key = doc.user_data.get(RULES_KEY)
    return key if isinstance(key, str) and key in RULE_TABLES else None


def rule_of_label(label: str, table: str | None = None) -> tuple[dict[str, Any], Any]:
    """(rule, value) of a cue label such as "phase-label=2", memoised per label.

    `table`: the digest of a component's rule table (see `doc_rule_table`); None reads the
    rules every pipeline of this process loaded, the last one built winning an id.
    """
    if table is None:
        labels, rules = LABELS, RULES_BY_ID
    else:
        labels, rules = TABLE_LABELS[table], RULE_TABLES[table]
    found = labels.get(label)
    if found is None:
        rid, _, raw = label.partition(VALUE_SEP)
        rule = rules.get(rid) or PHASE_RULES.get(rid) or UNKNOWN_RULE
        value = (int(raw) if raw.isdigit() else raw) if raw else rule["value"]
        found = (rule, value)
        if rule is not UNKNOWN_RULE:
            labels[label] = found
    return found


LABELS: dict[str, tuple[dict[str, Any], Any]] = {}


def register_rule_table(by_id: dict[str, dict[str, Any]]) -> str:
    """Keep a component's rules under a digest of their content; returns the digest."""
    digest = hashlib.sha1(json.dumps(by_id, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
    if digest not in RULE_TABLES:
        RULE_TABLES[digest] = by_id
        TABLE_LABELS[digest] = {}
    return digest


UNKNOWN_RULE: dict[str, Any] = {"id": None, "category": None, "direction": "both", "window": 0,
                                "value": None, "weight": 1.0, "line_start": False}
# the cue attributes are read from the label (see cue_rule), so they cost nothing to write
# and stay right for several cues over the same words
CUE_GETTERS = {
    "cue_category": lambda span: cue_rule(span)[0]["category"],
    "cue_direction": lambda span: cue_rule(span)[0]["direction"],
    "cue_window": lambda span: cue_rule(span)[0]["window"],
    "cue_weight": lambda span: cue_rule(span)[0]["weight"],
    "cue_value": lambda span: cue_rule(span)[1],
}


def register_cue_getters() -> None:
    """Make the cue attributes of spans.py computed from each span's label."""
    for name, getter in CUE_GETTERS.items():
        Span.set_extension(name, getter=getter, force=True)


register_cue_getters()


PHASE_RULES = {
    "phase-label": {"id": "phase-label", "category": "phase", "direction": "both", "window": 15,
                    "value": None, "weight": 1.0, "line_start": False},
    "phase-ordinal": {"id": "phase-ordinal", "category": "phase", "direction": "both", "window": 15,
                      "value": None, "weight": 1.0, "line_start": False},
    "phase-count": {"id": "phase-count", "category": "phase_count", "direction": "both", "window": 0,
                    "value": None, "weight": 1.0, "line_start": False},
}


def phase_phrases(words: dict[str, Any]) -> dict[str, list[str]]:
    """Phase label phrases by match key, the key carrying the number.

    Example: {"phase-label=2": ["phase ii", "phase 2", "phase two", "phase-2", ...],
    "phase-ordinal=2": ["second phase", "second-phase", ...], "phase-count=2": ["two phases", ...]}.
    """
    nouns = [w for w in words["phase_words"] if not w.endswith("s")]
    plurals = [w for w in words["phase_words"] if w.endswith("s")]
    keys: dict[str, list[str]] = {}
    for label, n in words["labels"].items():
        keys.setdefault(f"phase-label{VALUE_SEP}{n}", []).extend(
            p for noun in nouns for p in (f"{noun} {label}", f"{noun}-{label}"))
    for ordinal, n in words["ordinals"].items():
        keys.setdefault(f"phase-ordinal{VALUE_SEP}{n}", []).extend(
            p for noun in nouns for p in (f"{ordinal} {noun}", f"{ordinal}-{noun}"))
    for count, n in words["counts"].items():
        keys.setdefault(f"phase-count{VALUE_SEP}{n}", []).extend(f"{count} {plural}" for plural in plurals)
    return keys


def build_matchers(nlp: Language, rules: Iterable[dict[str, Any]]) -> tuple[PhraseMatcher, dict[str, dict[str, Any]]]:
    """One PhraseMatcher of every cue phrase and phase label (on lower case), and rules by id."""
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    by_id: dict[str, dict[str, Any]] = {}

    def patterns(phrases: Iterable[str]) -> list[Doc]:
        return [lower_view(nlp.make_doc(p))[0] for p in phrases]

    for rule in rules:
        by_id[rule["id"]] = rule
        matcher.add(rule["id"], patterns(rule["phrases"]))
    for key, phrases in phase_phrases(phase_words()).items():
        matcher.add(key, patterns(phrases))
    by_id.update(PHASE_RULES)
    RULES_BY_ID.update(by_id)
    LABELS.clear()  # user rules may have replaced a packaged rule of the same id
    return matcher, by_id


def lower_view(doc: Doc) -> tuple[Doc, Any]:
    """A doc of the same words minus whitespace tokens, each word's lower case as its NORM,
    and the position in `doc` of each word kept.

    Why: wire copy breaks lines inside phrases ("a feasibility\n    study") and the line
    break is a token of its own; cue phrases must match across it. Filling a fresh doc from
    arrays costs a small fraction of tokenizing; NORM (unlike LOWER) is settable per token.
    """
    arr = doc.to_array([IS_SPACE, LOWER])
    positions = numpy.flatnonzero(arr[:, 0] == 0)
    # n placeholder words "x x x ...": a rule-less tokenizer makes them faster than
    # Doc(words=...) does (the view's text is never read)
    view = space_splitter(doc.vocab)("x " * len(positions))
    if len(view) != len(positions):  # never seen; the plain way stays right
        view = Doc(doc.vocab, words=["x"] * len(positions), spaces=[False] * len(positions))
    if len(positions):
        view.from_array([NORM], numpy.ascontiguousarray(arr[positions, 1:2]))
    return view, positions


SPLITTERS: dict[int, tuple[Any, Tokenizer]] = {}


def space_splitter(vocab) -> Tokenizer:
    """A tokenizer of this vocab without rules: it splits on spaces only."""
    found = SPLITTERS.get(id(vocab))
    if found is None or found[0] is not vocab:
        found = (vocab, Tokenizer(vocab))
        SPLITTERS[id(vocab)] = found
    return found[1]


# Cues whose scope can only cover some targets: a cue that covers none is not written.
# (category -> the anchors it speaks about; categories not listed are always written)
QUANTITY_ANCHORED = frozenset(SLOT_CATEGORIES + ("compound", "total", "initial"))
EVENT_CATEGORIES = frozenset({"milestone", "start_verb", "status"})
MODAL_CATEGORIES = frozenset({"planned", "done", "negation", "past", "purpose", "side_object"})
SLACK = 2  # tokens: an event spans its noun and verb, a window is counted from either end


class Anchors:
    """Sorted token intervals of targets, for "does a window around this cue reach one?"."""

    def __init__(self, intervals: Iterable[tuple[int, int]]):
        pairs = sorted(intervals)
        self.starts = [s for s, _ in pairs]
        self.ends = [e for _, e in pairs]
        # the furthest end of any interval starting at or before each position
        self.reach = list(accumulate(self.ends, max))

    def near(self, start: int, end: int, window: int) -> bool:
        """Whether some interval meets [start - window, end + window]."""
        i = bisect_right(self.starts, end + window)
        return i > 0 and self.reach[i - 1] >= start - window


def find_cues(doc: Doc, matcher: PhraseMatcher, by_id: dict[str, dict[str, Any]],
              known: dict[int, tuple[dict[str, Any], int | None, str]] | None = None) -> list[Span]:
    """Every cue of the document that can cover a target, in text order.

    ConText-wise a cue matters only for targets in its scope: slot, scope and compound cues
    for quantities, modal cues for milestone and status phrases, milestone nouns for start
    verbs. Writing only those keeps the cost low (a span with attributes costs far more than
    a phrase match). Overlaps are kept: one phrase may cue twice.

    `known`: the component's memo of (rule, value, label) by match id, filled here.
    """
    vocab_strings = doc.vocab.strings
    view, positions = lower_view(doc)
    where = positions.tolist()  # plain ints: numpy scalars are slow one by one
    if known is None:
        known = {}
    matches: list[tuple[int, int, dict[str, Any], int | None, str]] = []
    for match_id, vstart, vend in matcher(view):
        entry = known.get(match_id)
        if entry is None:
            rid, _, raw = vocab_strings[match_id].partition(VALUE_SEP)
            rule = by_id[rid]
            value = int(raw) if raw else None
            entry = known[match_id] = (rule, value, rid if value is None else f"{rid}{VALUE_SEP}{value}")
        rule = entry[0]
        start, end = where[vstart], where[vend - 1] + 1
        if rule["line_start"] and not at_line_start(doc, start, end):
            continue
        matches.append((start, end, rule, entry[1], entry[2]))
    quantities = [(s.start, s.end) for s in doc.spans.get(S.QUANTITY, [])]
    events = [(s, e) for s, e, rule, _, _ in matches if rule["category"] in EVENT_CATEGORIES]
    verbs = [(s, e) for s, e, rule, _, _ in matches if rule["category"] == "start_verb"]
    near_quantity, near_event, near_verb = Anchors(quantities), Anchors(events), Anchors(verbs)
    status_or_quantity = Anchors(quantities + [(s, e) for s, e, rule, _, _ in matches if rule["category"] == "status"])
    found: list[Span] = []
    user_data = doc.user_data
    for start, end, rule, value, label in sorted(matches, key=lambda m: (m[0], m[1])):
        category, reach = rule["category"], rule["window"] + SLACK
        if category in QUANTITY_ANCHORED:
            keep = near_quantity.near(start, end, reach)
        elif category == "other":
            keep = status_or_quantity.near(start, end, reach)
        elif category in MODAL_CATEGORIES:
            keep = near_event.near(start, end, reach)
        elif category == "milestone_noun":
            keep = near_verb.near(start, end, reach)
        else:
            keep = True
        if keep:  # a span labelled with its rule (and value), the label made once per phrase
            span = Span(doc, start, end, label=label)
            user_data[S.attribute_key("rule_id", span.start_char, span.end_char)] = rule["id"]
            found.append(span)
    return found


@Language.factory("extractor_cues", default_config={"extra_rules": []})
def make_cues_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]) -> LayerComponent:
    """The cues component: `extra_rules` are the user's rules of the layer, saved with the pipeline."""
    return LayerComponent(nlp, name, "cues", S.CUE, cues_analyser, extra_rules)


def cues_analyser(nlp: Language, extra_rules: Sequence[CueRule]) -> Callable[[Doc], Doc]:
    """The cues component; user rules (same keys as rules/cues.jsonl) add cues or replace by id."""
    rules = {r["id"]: r for r in packaged_cue_rules()}
    for rule in extra_rules:
        rules[rule.id] = check_cue_rule(rule)
    matcher, by_id = build_matchers(nlp, rules.values())
    table = register_rule_table(by_id)
    known: dict[int, tuple[dict[str, Any], int | None, str]] = {}

    def cues_layer(doc: Doc) -> Doc:
        doc.spans[S.CUE] = find_cues(doc, matcher, by_id, known)
        doc.user_data[RULES_KEY] = table  # the doc's cue labels name rules of this table
        return doc

    return cues_layer
