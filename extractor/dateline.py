"""The dateline layer (skeleton: writes no spans yet)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("extractor_dateline", default_config={"extra_rules": []})
def make_dateline_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    def dateline_layer(doc: Doc) -> Doc:
        return doc

    return dateline_layer
