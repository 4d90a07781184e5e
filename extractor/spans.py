"""The attributes each mention layer writes on its spans: the vocabulary between the layers.

Every value is a plain str, float, int, bool or None, so docs keep them when spaCy ships them
between processes (`n_process > 1`). Layers read only the attributes of layers before them.
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

# span group names, in pipeline order
DATELINE = "dateline"
QUANTITY = "quantity"
DATE = "date"
PLACE = "place"
COMPANY = "company"
CUE = "cue"

SPAN_ATTRIBUTES: dict[str, object] = {
    # every layer
    "rule_id": None,  # the rule that fired, so tests and warnings can name it
    # quantities: a number with a unit, money included (unit = ISO 4217 code)
    "value": None,
    "value_max": None,
    "unit": None,
    "per": None,  # "year" | "day" | "hour"
    "qualifier": None,  # "exact" | "approx" | "min" | "max" | "range"
    "item": None,  # what is counted or produced, where the text says
    "is_money": False,
    "per_other": None,  # a rate outside per's values ("month", "week", "shift"): not a yearly capacity
    "base_value": None,  # value in its dimension's base unit (ha, Wh, W, t, m3, day), for comparing
    "base_unit": None,
    "currency_bare": None,  # True for '$', 'dollars', '¥': a mark that names no country
    # dates: ISO 8601 at the text's precision ("2022", "2022-02", "2022-02-15")
    "iso_date": None,
    "date_is_relative": False,
    "date_modifier": None,  # "early" | "mid" | "late" | "end" | "start" | a season: vaguer than iso_date
    # places
    "place_name": None,  # canonical name ("Guizhou", not "Guizhou Province")
    "place_kind": None,  # country | region | city | district | zone | site
    "country_code": None,
    "region": None,
    "latitude": None,
    "longitude": None,
    "place_city": None,  # the city a place lies in (a city names itself), where known
    # companies
    "company_name": None,  # canonical name shared by every alias of one company
    "ticker": None,
    "company_role": None,  # developer | partner | investor | customer | supplier | government | other
    # dateline
    "dateline_place": None,
    "dateline_country": None,
    "dateline_wire": None,
    # cues: what a mention is for (ConText-style category, direction, scope)
    "cue_category": None,
    "cue_direction": None,  # "forward" | "backward" | "both"
    "cue_value": None,  # what the cue names: a milestone kind, a status, a phase number, a type
    "cue_window": 0,  # how many tokens the cue's scope reaches (0: the cue only marks itself)
    "cue_weight": 1.0,  # how strongly the cue speaks (weak status words < 1)
}

DOC_ATTRIBUTES: dict[str, object] = {
    "dateline_date": None,  # ISO date of the dateline, or None
    "title": None,  # the headline, where the document starts with one
    "warnings": None,  # list[str] a layer could not decide; use add_warning()
}


TEXT_KEY = "extractor.text"


def document_text(doc: Doc) -> str:
    """The doc's text, joined once and kept in `doc.user_data`.

    spaCy rebuilds `doc.text` from every token on each access, which costs about as much as
    tokenizing again; every layer reads the text through here instead.
    """
    cached = doc.user_data.get(TEXT_KEY)
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data[TEXT_KEY] = cached
    return cached


def add_warning(doc: Doc, message: str) -> None:
    """Record something a layer could not decide; the record's `warnings` shows it."""
    if doc._.warnings is None:
        doc._.warnings = []
    if message not in doc._.warnings:
        doc._.warnings.append(message)


def guarded(analyse: Callable[[Doc], Doc], group: str, layer: str) -> Callable[[Doc], Doc]:
    """A layer that turns its own fault into a warning and an empty span group.

    One layer's fault must not cost the record every other layer's facts.
    """

    def layer_component(doc: Doc) -> Doc:
        try:
            return analyse(doc)
        except Exception as exc:
            doc.spans[group] = []
            add_warning(doc, f"{layer} layer failed: {type(exc).__name__}: {exc}")
            return doc

    return layer_component


def attribute_key(name: str, start_char: int, end_char: int) -> tuple:
    """Where spaCy keeps `span._.<name>` in `doc.user_data`.

    Hot loops read and write there directly: `span._` builds an `Underscore` object at every
    access. `register_extensions` checks once that spaCy still uses this key.
    """
    return ("._.", name, start_char, end_char)


def read_attribute(user_data: dict, name: str, start_char: int, end_char: int):
    """`span._.<name>` of the span at these character offsets (its default where unset)."""
    return user_data.get(("._.", name, start_char, end_char), SPAN_ATTRIBUTES[name])


def _check_attribute_key() -> None:
    """Fail loudly if spaCy keeps span extensions under another key than `attribute_key`."""
    doc = Doc(Vocab(), words=["probe", "words"])
    span = doc[1:2]
    span._.rule_id = "probe"
    if doc.user_data.get(attribute_key("rule_id", span.start_char, span.end_char)) != "probe":
        raise RuntimeError("spaCy keeps span extensions under an unexpected key: update spans.attribute_key")


def _record(doc: Doc):
    """`doc._.record`: the ProjectRecord of an analysed doc, assembled when asked.

    A getter rather than a stored value, so that docs stay plain data between processes.
    """
    from extractor import record_of  # assembly reads this module: imported when first asked

    return record_of(doc)


def register_extensions() -> None:
    """Register every custom attribute once; safe to call again."""
    for name, default in SPAN_ATTRIBUTES.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in DOC_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("record"):
        Doc.set_extension("record", getter=_record)


register_extensions()
_check_attribute_key()
