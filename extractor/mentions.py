"""Typed mentions: what each layer hands to the layers after it and to assembly.

Each layer stores its mentions as one list of small NamedTuples under `doc.user_data`
(`set_mentions`) and every reader gets them back, typed, through `mentions_of`. NamedTuples are
plain tuples to msgpack, so docs keep them when spaCy ships them between processes (they come
back as lists, and `mentions_of` rebuilds the type). The layer also fills `doc.spans[group]`
with one Span per mention (label, and `span.id_` = the rule that fired, as spaCy's SpanRuler
does) for users who read spaCy's view; the pipeline's own readers use the typed list.

Offsets: `start`/`end` are token indices, `start_char`/`end_char` character offsets into the
doc's text (`spans.document_text`), so `text[m.start_char:m.end_char]` is the evidence.

No span attributes (`span._.x`): spaCy keeps those by character offsets, so two groups'
mentions over the same words would share them; each typed list keeps its own.
"""
from __future__ import annotations

from typing import Iterable, NamedTuple, TypeVar

from spacy.tokens import Doc, Span


class QuantityMention(NamedTuple):
    """A number with a unit, or money (unit = ISO 4217 code, `is_money`)."""

    start: int
    end: int
    start_char: int
    end_char: int
    rule_id: str | None
    value: float
    value_max: float | None = None
    unit: str | None = None
    per: str | None = None  # "year" | "day" | "hour"
    qualifier: str | None = None  # "exact" | "approx" | "min" | "max" | "range"
    item: str | None = None  # what is counted or produced, where the text says
    is_money: bool = False
    per_other: str | None = None  # a rate outside per's values ("month", "shift")
    base_value: float | None = None  # in its dimension's base unit (ha, Wh, W, t, m3, day)
    base_unit: str | None = None
    currency_bare: bool | None = None  # '$', 'dollars', '¥': a mark that names no country

    @property
    def label(self) -> str:
        return "MONEY" if self.is_money else "QUANTITY"


class DateMention(NamedTuple):
    """A date at the text's precision ("2022", "2022-02", "2022-02-15")."""

    start: int
    end: int
    start_char: int
    end_char: int
    rule_id: str | None
    iso_date: str | None
    is_relative: bool = False  # resolved against the dateline's date ("last May")
    modifier: str | None = None  # "early" | "mid" | "late" | "end" | "start" | a season

    @property
    def label(self) -> str:
        return "DATE"


class PlaceMention(NamedTuple):
    """A place and its reading in the gazetteer."""

    start: int
    end: int
    start_char: int
    end_char: int
    rule_id: str | None
    name: str | None  # canonical ("Guizhou", not "Guizhou Province")
    kind: str | None  # country | region | city | district | zone | site
    country_code: str | None = None
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    city: str | None = None  # the city the place lies in (a city names itself)

    @property
    def label(self) -> str:
        return self.kind or "site"


class CompanyMention(NamedTuple):
    """One mention of a company; every alias of one company shares its canonical name."""

    start: int
    end: int
    start_char: int
    end_char: int
    rule_id: str | None
    name: str | None
    ticker: str | None = None
    role: str | None = None  # developer | partner | investor | customer | supplier | government | other

    @property
    def label(self) -> str:
        return "ORG"


class DatelineMention(NamedTuple):
    """The dateline at the head of a release ("SHANGHAI, China, March 3, 2024 /Wire/ --")."""

    start: int
    end: int
    start_char: int
    end_char: int
    rule_id: str | None
    place: str | None
    country: str | None = None
    wire: str | None = None

    @property
    def label(self) -> str:
        return "DATELINE"


class CueMention(NamedTuple):
    """A ConText-style cue: what a phrase says about the mentions in its scope."""

    start: int
    end: int
    start_char: int
    end_char: int
    rule_id: str
    category: str
    direction: str = "forward"  # "forward" | "backward" | "both"
    value: object = None  # what the cue names: a milestone kind, a status, a phase number
    window: int = 0  # tokens the cue's scope reaches (0: it only marks itself)
    weight: float = 1.0  # how strongly it speaks (weak status words < 1)
    text: str = ""  # its words (assembly reads them: "per year" in a capacity cue, a type's label)

    @property
    def label(self) -> str:
        return self.category


Mention = TypeVar("Mention", QuantityMention, DateMention, PlaceMention, CompanyMention,
                  DatelineMention, CueMention)

# span group name of each kind, in pipeline order
GROUPS: dict[type, str] = {
    DatelineMention: "dateline",
    QuantityMention: "quantity",
    DateMention: "date",
    PlaceMention: "place",
    CompanyMention: "company",
    CueMention: "cue",
}


def mentions_key(kind: type) -> str:
    """Where `doc.user_data` keeps the mentions of a kind.

    >>> mentions_key(PlaceMention)
    'extractor.mentions.place'
    """
    return group_key(GROUPS[kind])


def group_key(group: str) -> str:
    """Where `doc.user_data` keeps the mentions of a span group's layer."""
    return f"extractor.mentions.{group}"


# `doc.user_data` flag of a doc whose reader wants the typed mentions only (`extract`).
MENTIONS_ONLY_KEY = "extractor.mentions_only"


def want_mentions_only(doc: Doc) -> Doc:
    """Mark `doc` so that the layers store typed mentions and no spans.

    Why: `extract` reads only the typed lists, and building thousands of Span objects for
    nobody costs about 4% of a pass; docs from `extractor.load()` keep spaCy's view.
    """
    doc.user_data[MENTIONS_ONLY_KEY] = True
    return doc


def set_mentions(doc: Doc, kind: type[Mention], found: Iterable[Mention], *, spans: bool = True) -> None:
    """Store a layer's mentions (text order) and, with `spans`, spaCy's view of them
    (not on a doc marked by `want_mentions_only`)."""
    found = list(found)
    doc.user_data[mentions_key(kind)] = found
    if spans and not doc.user_data.get(MENTIONS_ONLY_KEY):
        doc.spans[GROUPS[kind]] = spacy_spans(doc, found)


def spacy_spans(doc: Doc, found: list) -> list[Span]:
    """One Span per mention: label and `span.id_` (its rule), each string hashed once per call.

    Why: a layer writes thousands of spans over a few labels and rules; a hash looked up in a
    dict costs less than hashing the string again for each span.
    """
    add = doc.vocab.strings.add
    hashes: dict[str | None, int] = {}
    spans = []
    for m in found:
        label, rule = m.label, m.rule_id
        label_hash = hashes.get(label)
        if label_hash is None:
            label_hash = hashes[label] = add(label)
        rule_hash = hashes.get(rule)
        if rule_hash is None:
            rule_hash = hashes[rule] = add(rule or "")
        spans.append(Span(doc, m.start, m.end, label=label_hash, span_id=rule_hash))
    return spans


def mentions_of(doc: Doc, kind: type[Mention]) -> list[Mention]:
    """The mentions of a kind a layer stored on `doc`, typed; [] where none ran."""
    key = mentions_key(kind)
    rows = doc.user_data.get(key)
    if rows is None:
        return []
    if rows and not isinstance(rows[0], kind):  # a doc that crossed a process boundary
        rows = doc.user_data[key] = [kind(*row) for row in rows]
    return rows


def text_of(mention: Mention, text: str) -> str:
    """The words of a mention, from the doc's text (`spans.document_text`).

    >>> text_of(DateMention(0, 1, 4, 8, "date_year", "2024"), "May 2024")
    '2024'
    """
    return text[mention.start_char:mention.end_char]

