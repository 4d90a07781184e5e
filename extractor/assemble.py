"""Record assembly: mentions in, ProjectRecord out (skeleton: lists mentions, fills no slot).

Plain Python over the spans the layers wrote; no spaCy internals, so it is easy to test with
hand-made docs.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from . import spans as S
from .evidence import evidence_from_span
from .models import Company, Dateline, Money, Place, ProjectRecord, Quantity


def quantity_of(span: Span) -> Quantity:
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


def money_of(span: Span) -> Money:
    """The Money a money span states."""
    return Money(
        amount=span._.value,
        amount_max=span._.value_max,
        currency=span._.unit,
        qualifier=span._.qualifier or "exact",
        evidence=evidence_from_span(span),
    )


def place_of(span: Span) -> Place:
    return Place(
        name=span._.place_name or span.text,
        kind=span._.place_kind or "site",
        country_code=span._.country_code,
        region=span._.region,
        evidence=evidence_from_span(span),
    )


def companies_of(doc: Doc) -> list[Company]:
    """One Company per canonical name, first mention as evidence, other spellings as aliases."""
    by_name: dict[str, Company] = {}
    for span in doc.spans.get(S.COMPANY, []):
        name = span._.company_name or span.text
        company = by_name.get(name)
        if company is None:
            by_name[name] = Company(name=name, ticker=span._.ticker, evidence=evidence_from_span(span))
        elif span.text != name and span.text not in company.aliases:
            company.aliases.append(span.text)
    return list(by_name.values())


def dateline_of(doc: Doc) -> Dateline | None:
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


def assemble(doc: Doc, *, doc_id: str, text_sha256: str) -> ProjectRecord:
    """The record of one analysed document."""
    return ProjectRecord(
        doc_id=doc_id,
        text_sha256=text_sha256,
        title=doc._.title,
        dateline=dateline_of(doc),
        companies=companies_of(doc),
        places=[place_of(span) for span in doc.spans.get(S.PLACE, [])],
        quantities=[quantity_of(span) for span in doc.spans.get(S.QUANTITY, [])],
    )
