"""The cues layer: phrases that say what a nearby mention is for (ConText-style).

A cue has a category (a slot such as "capacity", a scope such as "phase" or "other", a
modality such as "planned", a milestone, a status, a project type or a product), a direction
(forward: it speaks about what follows; backward: about what precedes; both) and a window in
tokens. The assembler lets a mention take the categories of the cues whose scope covers it.

Cue phrases are data (rules/cues.jsonl, rules/project_types.jsonl, rules/products.jsonl) matched
by one PhraseMatcher on lower case; phase labels ("Phase II", "the second phase", "two phases")
by three token patterns over the word sets of rules/phase_numbers.json.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

import numpy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from . import spans as S
from .ruleset import RuleFileError, load_json, packaged_rules

SLOT_CATEGORIES = ("capacity", "area", "investment", "output_value", "tax", "jobs", "automation")
SCOPE_CATEGORIES = ("other", "total", "phase")  # in the order they outrank each other
CATEGORIES = frozenset(
    SLOT_CATEGORIES
    + SCOPE_CATEGORIES
    + ("initial", "phase_count", "planned", "done", "negation", "terminate", "boilerplate", "milestone",
       "start_verb", "milestone_noun", "status", "project_type", "product")
)
DIRECTIONS = frozenset({"forward", "backward", "both"})
CUE_KEYS = ("category", "direction", "window", "phrases", "value", "weight", "line_start")
LEXICON_KEYS = ("value", "phrases")

# packaged lexicon files whose lines all share one category
LEXICON_FILES = (("project_types.jsonl", "project_type"), ("products.jsonl", "product"))


def check_cue_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A cue rule with defaults filled, or RuleFileError naming what is wrong.

    Example: {"id": "x", "category": "area", "phrases": ["plot of"]} gets direction "both"
    and window 8; a category "areas" is refused.
    """
    rid = rule.get("id", "?")
    category = rule.get("category")
    if category not in CATEGORIES:
        raise RuleFileError(f"cue rule {rid!r}: unknown category {category!r}; known: {sorted(CATEGORIES)}")
    direction = rule.get("direction", "both")
    if direction not in DIRECTIONS:
        raise RuleFileError(f"cue rule {rid!r}: direction must be one of {sorted(DIRECTIONS)}")
    phrases = rule.get("phrases")
    if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
        raise RuleFileError(f"cue rule {rid!r}: 'phrases' must be a non-empty list of strings")
    window = rule.get("window", 8)
    if not isinstance(window, int) or window < 0:
        raise RuleFileError(f"cue rule {rid!r}: 'window' must be a non-negative integer")
    weight = rule.get("weight", 1.0)
    if not isinstance(weight, (int, float)):
        raise RuleFileError(f"cue rule {rid!r}: 'weight' must be a number")
    return {
        "id": str(rid), "category": category, "direction": direction, "window": window,
        "phrases": phrases, "value": rule.get("value"), "weight": float(weight),
        "line_start": bool(rule.get("line_start", False)),
    }


@lru_cache(maxsize=1)
def packaged_cue_rules() -> tuple[dict[str, Any], ...]:
    """Every packaged cue rule, lexicons included, checked once per process."""
    rules = [check_cue_rule(r) for r in packaged_rules("cues.jsonl", CUE_KEYS)]
    for name, category in LEXICON_FILES:
        for rule in packaged_rules(name, LEXICON_KEYS, ("id", "value", "phrases")):
            rules.append(check_cue_rule({**rule, "category": category, "window": 0}))
    return tuple(rules)


@lru_cache(maxsize=1)
def phase_words() -> dict[str, Any]:
    """The words that number phases (rules/phase_numbers.json)."""
    return load_json("phase_numbers.json")


def phase_patterns(words: dict[str, Any]) -> dict[str, list[list[dict[str, Any]]]]:
    """Three token patterns: "Phase II" / "phase-2", "the second(-)phase", "two phases"."""
    nouns = [w for w in words["phase_words"] if not w.endswith("s")]
    plurals = [w for w in words["phase_words"] if w.endswith("s")]
    return {
        "phase-label": [[{"LOWER": {"IN": nouns}}, {"ORTH": "-", "OP": "?"},
                         {"LOWER": {"IN": list(words["labels"])}}]],
        "phase-ordinal": [[{"LOWER": {"IN": list(words["ordinals"])}}, {"ORTH": "-", "OP": "?"},
                           {"LOWER": {"IN": nouns}}]],
        "phase-count": [[{"LOWER": {"IN": list(words["counts"])}}, {"LOWER": {"IN": plurals}}]],
    }


def phase_number(span: Span, words: dict[str, Any]) -> int | None:
    """The phase a matched label names: "Phase II" -> 2, "third phase" -> 3, "two phases" -> 2."""
    for token in span:
        low = token.lower_
        for table in ("labels", "ordinals", "counts"):
            if low in words[table] and low not in words["phase_words"]:
                return int(words[table][low])
    return None


def at_line_start(doc: Doc, start: int, end: int) -> bool:
    """Whether a cue opens a heading line ("About Acme" on a line of its own start).

    Example: "...\\nAbout Acme Corp\\n" is a heading; "about 95 hectares" inside a sentence is not.
    """
    begin = doc[start].idx
    before = doc.text[max(0, begin - 12):begin]
    line = before.rsplit("\n", 1)
    if (len(line) == 1 and begin > 12) or line[-1].strip(" \t>\u00a0") != "":
        return False
    nxt = doc[end] if end < len(doc) else None
    return nxt is not None and (nxt.is_title or nxt.is_upper)


# every cue rule a pipeline of this process loaded, by id: the span's label names its rule
RULES_BY_ID: dict[str, dict[str, Any]] = {}
VALUE_SEP = "="


def cue_rule(span: Span) -> tuple[dict[str, Any], Any]:
    """The rule a cue span came from and the value it carries, read from the span's label.

    Why the label: spaCy keys `span._` values by character offsets, so two cues over the same
    words ("plant" cues a capacity and names a project type) would share one set of `_` values;
    each Span keeps its own label. Example: label "phase-label=2" -> (the phase rule, 2).
    """
    label = span.label_
    rid, _, raw = label.partition(VALUE_SEP)
    rule = RULES_BY_ID.get(rid) or PHASE_RULES.get(rid)
    if rule is None:  # a hand-made span: trust its attributes
        rule = {"id": span._.rule_id, "category": span._.cue_category,
                "direction": span._.cue_direction or "both", "window": span._.cue_window or 0,
                "value": span._.cue_value, "weight": span._.cue_weight, "line_start": False}
        return rule, span._.cue_value
    if raw:
        return rule, int(raw) if raw.isdigit() else raw
    return rule, rule["value"]


def make_span(doc: Doc, start: int, end: int, rule: dict[str, Any], value: Any = None) -> Span:
    """A cue span carrying its rule's category, direction, window, value and weight."""
    label = rule["id"] if value is None else f"{rule['id']}{VALUE_SEP}{value}"
    span = Span(doc, start, end, label=label)
    span._.cue_category = rule["category"]
    span._.cue_direction = rule["direction"]
    span._.rule_id = rule["id"]
    if rule["window"]:
        span._.cue_window = rule["window"]
    chosen = rule["value"] if value is None else value
    if chosen is not None:
        span._.cue_value = chosen
    if rule["weight"] != 1.0:
        span._.cue_weight = rule["weight"]
    return span


PHASE_RULES = {
    "phase-label": {"id": "phase-label", "category": "phase", "direction": "both", "window": 15,
                    "value": None, "weight": 1.0, "line_start": False},
    "phase-ordinal": {"id": "phase-ordinal", "category": "phase", "direction": "both", "window": 15,
                      "value": None, "weight": 1.0, "line_start": False},
    "phase-count": {"id": "phase-count", "category": "phase_count", "direction": "both", "window": 0,
                    "value": None, "weight": 1.0, "line_start": False},
}


def build_matchers(nlp: Language, rules: Iterable[dict[str, Any]]) -> tuple[PhraseMatcher, Matcher, dict[str, dict[str, Any]]]:
    """The PhraseMatcher of every cue phrase, the phase Matcher, and the rules by id."""
    phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_id: dict[str, dict[str, Any]] = {}
    for rule in rules:
        by_id[rule["id"]] = rule
        phrase_matcher.add(rule["id"], [nlp.make_doc(p) for p in rule["phrases"]])
    matcher = Matcher(nlp.vocab)
    for key, patterns in phase_patterns(phase_words()).items():
        matcher.add(key, patterns)
    by_id.update(PHASE_RULES)
    RULES_BY_ID.update(by_id)
    return phrase_matcher, matcher, by_id


def spaceless_view(doc: Doc) -> tuple[Doc, list[int]]:
    """The doc without its whitespace tokens, and each kept token's position in the doc.

    Why: wire copy breaks lines inside phrases ("a feasibility\n    study"), and the line break
    is a token of its own; cue phrases must match across it.
    """
    spaces = doc.to_array(IS_SPACE)
    if not spaces.any():
        return doc, list(range(len(doc)))
    positions = [int(i) for i in numpy.flatnonzero(spaces == 0)]
    return Doc(doc.vocab, words=[doc[i].text for i in positions]), positions


def find_cues(doc: Doc, phrase_matcher: PhraseMatcher, matcher: Matcher, by_id: dict[str, dict[str, Any]]) -> list[Span]:
    """Every cue of the document, in text order (overlaps kept: one phrase may cue twice)."""
    vocab_strings = doc.vocab.strings
    found: list[Span] = []
    view, positions = spaceless_view(doc)
    phrase_hits = [(m, positions[s], positions[e - 1] + 1) for m, s, e in phrase_matcher(view)]
    phase_hits = [(m, positions[s], positions[e - 1] + 1) for m, s, e in matcher(view)]
    for match_id, start, end in phrase_hits:
        rule = by_id[vocab_strings[match_id]]
        if rule["line_start"] and not at_line_start(doc, start, end):
            continue
        found.append(make_span(doc, start, end, rule))
    words = phase_words()
    for match_id, start, end in phase_hits:
        rule = by_id[vocab_strings[match_id]]
        span = Span(doc, start, end)
        number = phase_number(span, words)
        if number is not None:
            found.append(make_span(doc, start, end, rule, value=number))
    found.sort(key=lambda s: (s.start, s.end))
    return found


@Language.factory("extractor_cues", default_config={"extra_rules": []})
def make_cues_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    """The cues component; user rules (same keys as rules/cues.jsonl) add cues or replace by id."""
    rules = {r["id"]: r for r in packaged_cue_rules()}
    for rule in extra_rules:
        clean = {k: v for k, v in rule.items() if k not in ("layer", "comment")}
        rules[str(clean.get("id"))] = check_cue_rule(clean)
    phrase_matcher, matcher, by_id = build_matchers(nlp, rules.values())

    def cues_layer(doc: Doc) -> Doc:
        doc.spans[S.CUE] = find_cues(doc, phrase_matcher, matcher, by_id)
        return doc

    return cues_layer
