"""The quantities layer (skeleton: writes no spans yet)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .evidence import evidence_from_span
from .models import Money, Quantity


@Language.factory("extractor_quantities", default_config={"extra_rules": []})
def make_quantities_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    def quantities_layer(doc: Doc) -> Doc:
        return doc

    return quantities_layer


def quantity_record(span: Span) -> Quantity:
    """The Quantity a quantity span states (money as a Quantity whose unit is its currency)."""
    return Quantity(
        value=span._.value,
        value_max=span._.value_max,
        unit=span._.unit,
        per=span._.per,
        qualifier=span._.qualifier or "exact",
        item=span._.item,
        evidence=evidence_from_span(span),
    )


def money_record(span: Span) -> Money:
    """The Money a money span states."""
    return Money(
        amount=span._.value,
        amount_max=span._.value_max,
        currency=span._.unit,
        qualifier=span._.qualifier or "exact",
        evidence=evidence_from_span(span),
    )
