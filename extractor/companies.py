"""The companies layer (skeleton: writes no spans yet)."""
from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import spans as S
from .evidence import evidence_from_span
from .models import Company


@Language.factory("extractor_companies", default_config={"extra_rules": []})
def make_companies_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    def companies_layer(doc: Doc) -> Doc:
        return doc

    return companies_layer


def company_records(doc: Doc) -> list[Company]:
    """One Company per canonical name, developer first (skeleton: first mention as evidence)."""
    by_name: dict[str, Company] = {}
    for span in doc.spans.get(S.COMPANY, []):
        name = span._.company_name or span.text
        company = by_name.get(name)
        if company is None:
            by_name[name] = Company(name=name, ticker=span._.ticker, evidence=evidence_from_span(span))
        elif span.text != name and span.text not in company.aliases:
            company.aliases.append(span.text)
    return list(by_name.values())
