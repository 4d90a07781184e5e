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

from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Any, Callable, Iterable, NamedTuple, Sequence

import numpy
from spacy.attrs import IS_SPACE, LOWER, NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from extractor import spans as S
from extractor.assembly.document import token_bounds
from extractor.component import LayerComponent
from extractor.mentions import CueMention, QuantityMention, mentions_of, set_mentions
from extractor.ruleset import CUE_CATEGORIES, MAX_CUE_WINDOW, CueRule, lexicon, packaged, parse_rule

SLOT_CATEGORIES = ("capacity", "area", "floor_area", "investment", "output_value", "tax", "jobs", "automation")
SCOPE_CATEGORIES = ("other", "total", "phase")  # in the order they outrank each other
CATEGORIES = frozenset(CUE_CATEGORIES)  # the slots and scopes above, modality, milestones, ...
assert CATEGORIES.issuperset(SLOT_CATEGORIES + SCOPE_CATEGORIES), "add new cue categories to ruleset.CUE_CATEGORIES"
MAX_WINDOW = MAX_CUE_WINDOW  # tokens; scopes end at clause ends anyway, and a bound keeps lookups local
COMPOUND = "compound"  # a project noun after a figure ("a 50 mln dlr plant"): the unit decides the slot

# packaged lexicon files whose lines all share one category
LEXICON_FILES = (("project_types.jsonl", "project_type"), ("products.jsonl", "product"))


def check_cue_rule(rule: dict[str, Any] | CueRule) -> CueRule:
    """A cue rule, typed, or RuleFileError naming what is wrong.

    >>> check_cue_rule({"id": "x", "category": "area", "phrases": ["plot of"]}).window
    8
    >>> check_cue_rule({"id": "x", "category": "areas", "phrases": ["plot of"]})
    Traceback (most recent call last):
    extractor.ruleset.RuleFileError: cues: rule 'x': key 'category': Input should be 'capacity', ...
    """
    if isinstance(rule, CueRule):
        return rule
    return parse_rule(rule, CueRule, "cues")  # type: ignore[return-value]


@lru_cache(maxsize=1)
def packaged_cue_rules() -> tuple[CueRule, ...]:
    """Every packaged cue rule, lexicons included, checked once per process (frozen models)."""
    rules = [check_cue_rule(r) for r in packaged("cues.jsonl")]  # type: ignore[arg-type]
    for name, category in LEXICON_FILES:
        for rule in packaged(name):
            rules.append(CueRule(id=rule.id, category=category, window=0,  # type: ignore[arg-type]
                                 value=rule.value, phrases=rule.phrases))  # type: ignore[attr-defined]
    return tuple(rules)


def may_open_line(where: list[int], word: int, arr: Any, quote_mark: int) -> bool:
    """A cheap screen for `at_line_start`, from the positions of the doc's words (`where`):
    a cue right after a word other than ">" opens no line ("mid-2024": the "-" follows "mid").

    `word`: the cue's first word in `where`; `arr`: the doc's IS_SPACE and LOWER columns.
    """
    start = where[word]
    return start == 0 or word == 0 or where[word - 1] != start - 1 or bool(arr[start - 1, 1] == quote_mark)  # a numpy bool otherwise


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


VALUE_SEP = "="  # a phase label's match key carries its number: "phase-label=2"


# the phase label rules made from rules/phase_numbers.jsonl: id -> (category, direction, window)
PHASE_RULES: dict[str, tuple[str, str, int]] = {
    "phase-label": ("phase", "both", 15),
    "phase-ordinal": ("phase", "both", 15),
    "phase-count": ("phase_count", "both", 0),
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


class CueHead(NamedTuple):
    """What every cue of one match key says: the fields of its CueMentions after the offsets."""

    rule_id: str
    category: str
    direction: str
    value: Any
    window: int
    weight: float


def rule_head(rule: CueRule, value: int | None = None) -> CueHead:
    """A rule's head; `value` (a phase label's number) overrides the rule's own.

    >>> rule_head(CueRule(id="x", category="area", phrases=["plot of"]))
    CueHead(rule_id='x', category='area', direction='both', value=None, window=8, weight=1.0)
    """
    return CueHead(rule.id, rule.category, rule.direction, rule.value if value is None else value,
                   rule.window, float(rule.weight))


def phase_head(rule_id: str, value: int | None) -> CueHead:
    """The head of a phase label key such as "phase-ordinal=2".

    >>> phase_head("phase-ordinal", 2)
    CueHead(rule_id='phase-ordinal', category='phase', direction='both', value=2, window=15, weight=1.0)
    """
    category, direction, window = PHASE_RULES[rule_id]
    return CueHead(rule_id, category, direction, value, window, 1.0)


class CueTable:
    """The cues component's own rules: one PhraseMatcher of every cue phrase and phase label (on
    lower case) and, per match key, what its cues say (made on the key's first match).

    Why the component owns it: a pipeline built with other user rules keeps its own table,
    and every value a reader needs travels in the CueMention, so no reader looks rules up.
    """

    def __init__(self, nlp: Language, rules: Iterable[CueRule]) -> None:
        self.splitter = Tokenizer(nlp.vocab)  # no rules: splits on spaces only (see lower_view)
        self.strings = nlp.vocab.strings
        self.rules = {rule.id: rule for rule in rules}
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for rule in self.rules.values():
            self.matcher.add(rule.id, self.patterns(nlp, rule.phrases))
        phases = phase_phrases(lexicon("phase_numbers.jsonl"))
        for key, phrases in phases.items():
            self.matcher.add(key, self.patterns(nlp, phrases))
        self.heads: dict[int, KeyInfo] = {}
        for key in [*self.rules, *phases]:  # every key's KeyInfo now: a match reads it with one look-up
            self.head(self.strings.add(key))
        self.views: dict[int, Doc] = {}  # kept views by size (see `view`)
        self.filler = self.strings.add(FILLER)
        self.quote_mark = self.strings.add(">")  # "> About Acme": a quoted release's heading

    def view(self, doc: Doc, arr: Any) -> tuple[Doc, Any]:
        """`lower_view(doc)`, in a view doc kept from an earlier doc and refilled.

        Why: making the view's words costs a third of the layer; refilling the NORMs of a kept
        doc costs a fifth of that. Views come in powers of two (words past the doc's are
        FILLER, which no phrase holds); longer docs than 2**MAX_VIEW_BITS get their own, so
        memory stays bounded.
        """
        positions = numpy.flatnonzero(arr[:, 0] == 0)
        size = 1 << max(len(positions) - 1, 0).bit_length()  # the power of two >= the words
        view = self.views.get(size)
        if view is None:
            if size > 1 << MAX_VIEW_BITS:
                return lower_view(doc, self.splitter, arr)
            view = self.splitter("x " * size)
            if len(view) != size:  # never seen; the plain way stays right
                return lower_view(doc, self.splitter, arr)
            self.views[size] = view
        norms = numpy.full((size, 1), self.filler, dtype=numpy.uint64)
        norms[:len(positions), 0] = arr[positions, 1]
        view.from_array([NORM], norms)  # type: ignore[arg-type]  # a numpy array is thinc's Ints2d
        return view, positions

    def patterns(self, nlp: Language, phrases: Iterable[str]) -> list[Doc]:
        return [lower_view(nlp.make_doc(p), self.splitter)[0] for p in phrases]

    def head(self, match_id: int) -> KeyInfo:
        """What the cues of a match key say and where they count (`KeyInfo`), made once per key."""
        found = self.heads.get(match_id)
        if found is None:
            rule_id, _, raw = self.strings[match_id].partition(VALUE_SEP)
            value = int(raw) if raw else None
            if rule_id in PHASE_RULES:
                found = key_info(phase_head(rule_id, value), False)
            else:
                rule = self.rules[rule_id]
                found = key_info(rule_head(rule, value), rule.line_start)
            self.heads[match_id] = found
        return found


MAX_VIEW_BITS = 14  # views of up to 2**14 words are kept for the next doc
FILLER = "\x00"  # the NORM of a kept view's words past the doc's: no cue phrase holds it


def lower_view(doc: Doc, splitter: Tokenizer, arr: Any = None) -> tuple[Doc, Any]:
    """A doc of the same words minus whitespace tokens, each word's lower case as its NORM,
    and the position in `doc` of each word kept.

    Why: wire copy breaks lines inside phrases ("a feasibility\n    study") and the line
    break is a token of its own; cue phrases must match across it. Filling a fresh doc from
    arrays costs a small fraction of tokenizing; NORM (unlike LOWER) is settable per token.
    `arr`: the doc's IS_SPACE and LOWER columns first, where the caller has them already.
    """
    if arr is None:
        arr = doc.to_array([IS_SPACE, LOWER])
    positions = numpy.flatnonzero(arr[:, 0] == 0)
    # n placeholder words "x x x ...": a rule-less tokenizer makes them faster than
    # Doc(words=...) does (the view's text is never read)
    view = splitter("x " * len(positions))
    if len(view) != len(positions):  # never seen; the plain way stays right
        view = Doc(doc.vocab, words=["x"] * len(positions), spaces=[False] * len(positions))
    if len(positions):
        view.from_array([NORM], numpy.ascontiguousarray(arr[positions, 1:2]))
    return view, positions


# Cues whose scope can only cover some targets: a cue that covers none is not written.
# (category -> the anchors it speaks about; categories not listed are always written)
QUANTITY_ANCHORED = frozenset(SLOT_CATEGORIES + ("compound", "total", "initial"))
EVENT_CATEGORIES = frozenset({"milestone", "start_verb", "status"})
MODAL_CATEGORIES = frozenset({"planned", "done", "negation", "past", "purpose", "side_object"})
SLACK = 2  # tokens: an event spans its noun and verb, a window is counted from either end

# what a cue must have within reach to be written (`near_targets`)
ALWAYS, NEAR_QUANTITY, NEAR_STATUS_OR_QUANTITY, NEAR_EVENT, NEAR_VERB = range(5)


def anchor_kind(category: str) -> int:
    """Which targets a cue of `category` speaks about (ConText-wise: slot, scope and compound
    cues about quantities, modal cues about milestone and status phrases, milestone nouns
    about start verbs); ALWAYS for cues written wherever they are.

    >>> anchor_kind("capacity") == NEAR_QUANTITY, anchor_kind("planned") == NEAR_EVENT, anchor_kind("status")
    (True, True, 0)
    """
    if category in QUANTITY_ANCHORED:
        return NEAR_QUANTITY
    if category == "other":
        return NEAR_STATUS_OR_QUANTITY
    if category in MODAL_CATEGORIES:
        return NEAR_EVENT
    if category == "milestone_noun":
        return NEAR_VERB
    return ALWAYS


class KeyInfo(NamedTuple):
    """Everything the layer reads about a match key, worked out once per key: what its cues
    say, whether they count only where they open a line, what they need within reach, and
    which targets of other cues they are (an event, a start verb, a status)."""

    head: CueHead
    line_start: bool
    anchor: int  # ALWAYS, NEAR_QUANTITY, ...
    reach: int  # tokens: the window plus SLACK
    is_event: bool
    is_verb: bool
    is_status: bool


def key_info(head: CueHead, line_start: bool) -> KeyInfo:
    """A match key's KeyInfo from what its cues say."""
    category = head.category
    return KeyInfo(head, line_start, anchor_kind(category), head.window + SLACK,
                   category in EVENT_CATEGORIES, category == "start_verb", category == "status")


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


Match = tuple[int, int, KeyInfo]  # token start, token end, what the cue's key says


class Matches(NamedTuple):
    """A doc's cue matches in text order and the token intervals of those that are targets of
    other cues (events, start verbs, statuses), gathered in the same pass."""

    found: list[Match]
    events: list[tuple[int, int]]
    verbs: list[tuple[int, int]]
    statuses: list[tuple[int, int]]


def match_cues(doc: Doc, table: CueTable, arr: Any) -> Matches:
    """Every phrase match of the doc (line-start rules only where they open a line), text order.

    Sorted by (start, end), ties in the matcher's order (one phrase may cue twice), as the
    PhraseMatcher gives them: it reads start positions in order and, from each, ever longer
    phrases; the view's positions map to the doc's in the same order.
    """
    view, positions = table.view(doc, arr)
    where = positions.tolist()  # plain ints: numpy scalars are slow one by one
    heads = table.heads  # every key's, made with the table
    found: list[Match] = []
    events: list[tuple[int, int]] = []
    verbs: list[tuple[int, int]] = []
    statuses: list[tuple[int, int]] = []
    for match_id, vstart, vend in table.matcher(view):
        info = heads[match_id]
        start, end = where[vstart], where[vend - 1] + 1
        if info.line_start and not (may_open_line(where, vstart, arr, table.quote_mark)
                                    and at_line_start(doc, start, end)):
            continue
        found.append((start, end, info))
        if info.is_event:
            events.append((start, end))
            if info.is_verb:
                verbs.append((start, end))
            elif info.is_status:
                statuses.append((start, end))
    return Matches(found, events, verbs, statuses)


def anchor_tests(matches: Matches, quantities: list[tuple[int, int]]) -> dict[int, Callable[[int, int, int], bool]]:
    """For each anchor kind but ALWAYS, "does a window around this cue reach a target?"."""
    return {
        NEAR_QUANTITY: Anchors(quantities).near,
        NEAR_STATUS_OR_QUANTITY: Anchors(quantities + matches.statuses).near,
        NEAR_EVENT: Anchors(matches.events).near,
        NEAR_VERB: Anchors(matches.verbs).near,
    }


def near_targets(matches: Matches, quantities: list[tuple[int, int]]) -> list[Match]:
    """The matches whose window reaches a target they can speak about (`anchor_kind`).

    ConText-wise a cue matters only for targets in its scope; writing only those keeps
    assembly's work small.
    """
    near = anchor_tests(matches, quantities)
    return [match for match in matches.found
            if match[2].anchor == ALWAYS or near[match[2].anchor](match[0], match[1], match[2].reach)]


def find_cues(doc: Doc, table: CueTable) -> list[CueMention]:
    """Every cue of the document that can cover a target (`near_targets`), in text order, as
    CueMentions that carry their rule's category, direction, value, window and weight (and
    their words).

    The test of each match and the building of its mention are one pass; token offsets come
    from `token_bounds`, which assembly reads again.
    """
    matches = match_cues(doc, table, doc.to_array([IS_SPACE, LOWER]))
    if not matches.found:
        return []
    near = anchor_tests(matches, [(m.start, m.end) for m in mentions_of(doc, QuantityMention)])
    starts, ends = token_bounds(doc)
    text = S.document_text(doc)
    found: list[CueMention] = []
    for start, end, info in matches.found:
        if info.anchor != ALWAYS and not near[info.anchor](start, end, info.reach):
            continue
        start_char, end_char = starts[start], ends[end - 1]
        # tuple.__new__ straight: the NamedTuple's own __new__ is a Python function
        found.append(_new_tuple(CueMention, (start, end, start_char, end_char, *info.head, text[start_char:end_char])))
    return found


_new_tuple = tuple.__new__


@Language.factory("extractor_cues", default_config={"extra_rules": []})
def make_cues_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]) -> LayerComponent:
    """The cues component: `extra_rules` are the user's rules of the layer, saved with the pipeline."""
    return LayerComponent(nlp, name, "cues", S.CUE, cues_analyser, extra_rules)  # type: ignore[arg-type]


def cues_analyser(nlp: Language, extra_rules: Sequence[CueRule]) -> Callable[[Doc], Doc]:
    """The cues component; user rules (same keys as rules/cues.jsonl) add cues or replace by id.

    Writes CueMentions (`mentions_of(doc, CueMention)`) and, for spaCy's view, `doc.spans["cue"]`
    with label = category and `span.id_` = the rule, as spaCy's SpanRuler does.
    """
    rules = {rule.id: rule for rule in packaged_cue_rules()}
    for rule in extra_rules:
        rules[rule.id] = rule
    table = CueTable(nlp, rules.values())

    def cues_layer(doc: Doc) -> Doc:
        set_mentions(doc, CueMention, find_cues(doc, table))
        return doc

    return cues_layer
