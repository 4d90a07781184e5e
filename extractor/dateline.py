"""The dateline layer (skeleton: writes no spans yet)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import spans as S
from .evidence import evidence_from_span
from .models import Dateline


@Language.factory("extractor_dateline", default_config={"extra_rules": []})
def make_dateline_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    def dateline_layer(doc: Doc) -> Doc:
        return doc

    return dateline_layer


def dateline_record(doc: Doc) -> Dateline | None:
    """The document's dateline, where its first lines carry one."""
    found = doc.spans.get(S.DATELINE, [])
    if not found:
        return None
    span = found[0]
    return Dateline(
        place=span._.dateline_place or span.text,
        country=span._.dateline_country,
        date=doc._.dateline_date,
        wire=span._.dateline_wire,
        evidence=evidence_from_span(span),
    )
