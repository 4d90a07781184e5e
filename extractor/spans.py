"""What every layer shares besides its typed mentions (`mentions.py`): the span group names,
the doc-level attributes (`doc._.title`, `doc._.dateline_date`, `doc._.warnings`,
`doc._.record`), the doc's text joined once, warnings, and the guard around each layer.

Mentions carry their values in typed tuples, not span attributes: spaCy keeps `span._.x` by
character offsets, so two groups' mentions over the same words would share them.
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc

from extractor.mentions import group_key

# span group names, in pipeline order
DATELINE = "dateline"
QUANTITY = "quantity"
DATE = "date"
PLACE = "place"
COMPANY = "company"
CUE = "cue"

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
    """A layer that turns its own fault into a warning and no mentions (typed or spans).

    One layer's fault must not cost the record every other layer's facts; mentions stored
    before the fault are dropped with the spans, so both views agree.
    """
    key = group_key(group)

    def layer_component(doc: Doc) -> Doc:
        try:
            return analyse(doc)
        except Exception as exc:
            doc.spans[group] = []
            doc.user_data.pop(key, None)
            add_warning(doc, f"{layer} layer failed: {type(exc).__name__}: {exc}")
            return doc

    return layer_component


def _record(doc: Doc):
    """`doc._.record`: the ProjectRecord of an analysed doc, assembled when asked.

    A getter rather than a stored value, so that docs stay plain data between processes.
    """
    from extractor import record_of  # assembly reads this module: imported when first asked

    return record_of(doc)


def register_extensions() -> None:
    """Register the doc-level attributes once; safe to call again."""
    for name, default in DOC_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("record"):
        Doc.set_extension("record", getter=_record)


register_extensions()
