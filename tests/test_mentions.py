"""Typed mentions: stored by a layer, read back typed, also after a doc crosses processes."""
from spacy.tokens import Doc

from extractor.mentions import (CompanyMention, PlaceMention, QuantityMention, mentions_of,
                                set_mentions, text_of)
from extractor.pipeline import get_pipeline


def make_doc(text: str) -> Doc:
    return get_pipeline().make_doc(text)


def test_stored_mentions_come_back_typed_and_as_spans():
    doc = make_doc("Quuxcell will build a plant in Lyon, France.")
    lyon = PlaceMention(6, 7, 31, 35, "city_lyon", "Lyon", "city", "FR", "Auvergne-Rhone-Alpes")
    set_mentions(doc, PlaceMention, [lyon])
    assert mentions_of(doc, PlaceMention) == [lyon]
    assert text_of(mentions_of(doc, PlaceMention)[0], doc.text) == "Lyon"
    span = doc.spans["place"][0]
    assert (span.text, span.label_, span.id_) == ("Lyon", "city", "city_lyon")


def test_mentions_survive_doc_bytes():
    doc = make_doc("Quuxcell will invest $2 billion.")
    money = QuantityMention(3, 6, 21, 31, "money", 2e9, unit="USD", is_money=True, currency_bare=True)
    set_mentions(doc, QuantityMention, [money])
    copy = Doc(doc.vocab).from_bytes(doc.to_bytes())
    found = mentions_of(copy, QuantityMention)
    assert found == [money] and isinstance(found[0], QuantityMention)
    assert found[0].label == "MONEY"


def test_a_kind_no_layer_stored_is_empty():
    assert mentions_of(make_doc("Nothing here."), CompanyMention) == []
