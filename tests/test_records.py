"""Record parts from typed mentions (extractor/assembly/records.py), on hand-made docs."""
from __future__ import annotations

import pytest
import spacy

from extractor.assembly.records import (company_records, dateline_record, money_record, place_records,
                                        quantity_record)
from extractor.mentions import CompanyMention, DatelineMention, PlaceMention, QuantityMention, set_mentions
from extractor.spans import register_extensions


def make_doc(text: str):
    register_extensions()
    return spacy.blank("en").make_doc(text)


def mention(kind, doc, phrase: str, *values, nth: int = 0):
    """A typed mention of `phrase` (its nth occurrence) with the kind's other fields."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    span = doc.char_span(start, start + len(phrase))
    return kind(span.start, span.end, span.start_char, span.end_char, *values)


def test_quantity_and_money_quote_the_text():
    doc = make_doc("Orvane will invest up to EUR 40 million in a 12 MW plant.")
    money = mention(QuantityMention, doc, "up to EUR 40 million", "money", 40e6, None, "EUR", None, "max", None, True)
    power = mention(QuantityMention, doc, "12 MW", "power", 12.0, None, "MW")
    record = money_record(money, doc.text)
    assert (record.amount, record.currency, record.qualifier) == (40e6, "EUR", "max")
    assert record.evidence.text == "up to EUR 40 million" == doc.text[record.evidence.start:record.evidence.end]
    quantity = quantity_record(power, doc.text)
    assert (quantity.value, quantity.unit, quantity.qualifier, quantity.per) == (12.0, "MW", "exact", None)


def test_a_unit_the_contract_refuses_raises():
    doc = make_doc("It moves 40 furlongs.")
    with pytest.raises(ValueError):
        quantity_record(mention(QuantityMention, doc, "40 furlongs", "x", 40.0, None, "furlong"), doc.text)


def test_companies_merge_aliases_and_put_the_developer_first():
    doc = make_doc("Brightmoor Ltd said Kelvane Energy Corp will build it. Kelvane starts in May.")
    set_mentions(doc, CompanyMention, [
        mention(CompanyMention, doc, "Brightmoor Ltd", "company", "Brightmoor Ltd", None, "partner"),
        mention(CompanyMention, doc, "Kelvane Energy Corp", "company", "Kelvane Energy Corp", "KVE", "developer"),
        mention(CompanyMention, doc, "Kelvane", "company", "Kelvane Energy Corp", None, "developer", nth=1),
    ])
    companies = company_records(doc)
    assert [c.name for c in companies] == ["Kelvane Energy Corp", "Brightmoor Ltd"]
    assert companies[0].aliases == ["Kelvane"] and companies[0].ticker == "KVE"
    assert companies[1].role == "partner"


def test_places_keep_their_reading_and_fall_back_to_the_words():
    doc = make_doc("The mill rises in Tarnow Province near the Eastbank Works.")
    set_mentions(doc, PlaceMention, [
        mention(PlaceMention, doc, "Tarnow Province", "place", "Tarnow", "region", "PL"),
        mention(PlaceMention, doc, "Eastbank Works", "place", None, None),
    ])
    places = place_records(doc)
    assert [(p.name, p.kind, p.country_code) for p in places] == [
        ("Tarnow", "region", "PL"), ("Eastbank Works", "site", None)]
    assert places[0].evidence.text == "Tarnow Province"


def test_a_dateline_without_a_country_takes_the_country_of_its_place():
    doc = make_doc("OSAKA -- Hanever will open a plant.")
    set_mentions(doc, DatelineMention, [mention(DatelineMention, doc, "OSAKA --", "dateline", "Osaka")])
    set_mentions(doc, PlaceMention, [mention(PlaceMention, doc, "OSAKA", "place", "Osaka", "city", "JP")])
    record = dateline_record(doc)
    assert (record.place, record.country, record.evidence.text) == ("Osaka", "Japan", "OSAKA --")


def test_no_dateline_gives_none():
    assert dateline_record(make_doc("A plain sentence.")) is None
