"""The companies layer (skeleton: writes no spans yet)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("extractor_companies", default_config={"extra_rules": []})
def make_companies_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    def companies_layer(doc: Doc) -> Doc:
        return doc

    return companies_layer
