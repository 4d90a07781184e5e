"""The places layer (skeleton: writes no spans yet)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import spans as S
from .evidence import evidence_from_span
from .models import Place


@Language.factory("extractor_places", default_config={"extra_rules": []})
def make_places_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    def places_layer(doc: Doc) -> Doc:
        return doc

    return places_layer


def place_records(doc: Doc) -> list[Place]:
    """Every place mention of the document, in text order."""
    return [
        Place(
            name=span._.place_name or span.text,
            kind=span._.place_kind or "site",
            country_code=span._.country_code,
            region=span._.region,
            evidence=evidence_from_span(span),
        )
        for span in doc.spans.get(S.PLACE, [])
    ]
