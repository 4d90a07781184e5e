"""Record parts from typed mentions: Quantity, Money, Place, Company, Dateline.

Why here and not in the layers: a layer finds mentions, assembly decides what the record says;
keeping the record models out of the layers lets a layer change its reading without touching
the contract, and assembly reads every layer the same way (`mentions.mentions_of`).

Each part comes as its model's fields (`*_fields`, plain dicts) and as the validated model
(`*_record(s)`). Assembly builds the record from the fields and validates it once, as a whole
(`ProjectRecord(**fields)`): pydantic checks nested dicts in one call for less than a model
built per part, and no part is validated twice.
"""
from __future__ import annotations

from spacy.tokens import Doc

from extractor.assembly.document import Document
from extractor.assembly.site import country_name_of
from extractor.mentions import QuantityMention
from extractor.models import Company, Dateline, Evidence, Money, Place, Quantity


def evidence_of(start: int, end: int, text: str) -> Evidence:
    """Evidence quoted from the doc's text, so `text == source[start:end]` holds by construction."""
    return Evidence(start=start, end=end, text=text[start:end])


def quoted(start: int, end: int, text: str) -> dict:
    """The fields of `evidence_of`, for a record model to validate with its own fields.

    Why: one validation call for the model and its evidence costs less than two (the Evidence
    built first, then checked again as the model's field).
    """
    return {"start": start, "end": end, "text": text[start:end]}


def quantity_fields(mention: QuantityMention, text: str) -> dict:
    """The fields of the Quantity a quantity mention states (money as a Quantity whose unit is
    its currency). `text`: the doc's text (`spans.document_text`)."""
    return {
        "value": mention.value,
        "value_max": mention.value_max,
        "unit": mention.unit,
        "per": mention.per,
        "qualifier": mention.qualifier or "exact",
        "item": mention.item,
        "evidence": quoted(mention.start_char, mention.end_char, text),
    }


def money_fields(mention: QuantityMention, text: str) -> dict:
    """The fields of the Money a money mention states."""
    return {
        "amount": mention.value,
        "amount_max": mention.value_max,
        "currency": mention.unit,
        "qualifier": mention.qualifier or "exact",
        "evidence": quoted(mention.start_char, mention.end_char, text),
    }


def quantity_record(mention: QuantityMention, text: str) -> Quantity:
    """The Quantity a quantity mention states. Raises ValueError (pydantic) where the contract
    refuses the unit or value."""
    return Quantity(**quantity_fields(mention, text))


def money_record(mention: QuantityMention, text: str) -> Money:
    """The Money a money mention states."""
    return Money(**money_fields(mention, text))


def as_document(doc: Doc | Document) -> Document:
    """The assembly view of a doc (a view is passed through), so callers with either work."""
    return doc if isinstance(doc, Document) else Document(doc)


def place_fields(doc: Doc | Document) -> list[dict]:
    """The fields of every place mention's Place, in the places layer's order."""
    view = as_document(doc)
    text = view.text
    return [
        {
            "name": m.name or text[m.start_char:m.end_char],
            "kind": m.kind or "site",
            "country_code": m.country_code,
            "region": m.region,
            "evidence": quoted(m.start_char, m.end_char, text),
        }
        for m in view.places
    ]


def place_records(doc: Doc | Document) -> list[Place]:
    """Every place mention of the document, in the places layer's order."""
    return [Place(**fields) for fields in place_fields(doc)]


def company_fields(doc: Doc | Document) -> list[dict]:
    """The fields of each Company (`company_records`)."""
    by_name: dict[str, dict] = {}
    view = as_document(doc)
    text = view.text
    for m in view.companies:
        quote = text[m.start_char:m.end_char]
        name = m.name or quote
        company = by_name.get(name)
        if company is None:
            by_name[name] = {"name": name, "role": m.role or "other", "ticker": m.ticker, "aliases": [],
                             "evidence": quoted(m.start_char, m.end_char, text)}
        elif quote != name and quote not in company["aliases"]:
            company["aliases"].append(quote)
    companies = list(by_name.values())
    companies.sort(key=lambda c: c["role"] != "developer")
    return companies


def company_records(doc: Doc | Document) -> list[Company]:
    """One Company per canonical name, developer first, the rest in order of first mention.

    Every other wording of a company's name ("Acme" beside "Acme Corp.") becomes an alias.
    """
    return [Company(**fields) for fields in company_fields(doc)]


def dateline_fields(doc: Doc | Document) -> dict | None:
    """The fields of the document's Dateline (`dateline_record`), or None."""
    view = as_document(doc)
    dateline = view.dateline
    if dateline is None:
        return None
    text = view.text
    return {
        "place": dateline.place or text[dateline.start_char:dateline.end_char],
        "country": dateline.country or country_inside(view, dateline.start, dateline.end),
        "date": view.dateline_date,
        "wire": dateline.wire,
        "evidence": quoted(dateline.start_char, dateline.end_char, text),
    }


def dateline_record(doc: Doc | Document) -> Dateline | None:
    """The document's dateline, where its first lines carry one.

    Where the dateline names no country itself ("SEOUL --"), the country the places layer
    resolved for a place inside it is taken.
    """
    fields = dateline_fields(doc)
    return None if fields is None else Dateline(**fields)


def country_inside(view: Document, start: int, end: int) -> str | None:
    """The country name of the first place mention with a country code in tokens [start, end)."""
    for place in view.places:
        if place.start >= start and place.end <= end and place.country_code:
            name = country_name_of(place.country_code)
            if name is not None:
                return name
    return None
