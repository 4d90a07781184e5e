"""Typed mentions: stored by a layer, read back typed, also after a doc crosses processes."""
from spacy.tokens import Doc, Span

from extractor.mentions import (CompanyMention, CueMention, PlaceMention, QuantityMention,
                                mentions_of, set_mentions, text_of, want_mentions_only)
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


def test_a_doc_marked_mentions_only_gets_typed_mentions_and_no_spans():
    nlp = get_pipeline()
    text = "Quuxcell Inc. will build a 5 GWh plant in Lyon, France, in 2027."
    marked, plain = nlp(want_mentions_only(nlp.make_doc(text))), nlp(text)
    for kind in (QuantityMention, PlaceMention, CompanyMention):
        assert mentions_of(marked, kind) == mentions_of(plain, kind) != []
    assert not marked.spans and {"quantity", "place", "company"} <= set(plain.spans)


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


def test_spans_of_several_mentions_share_labels_and_keep_their_own_rules():
    doc = make_doc("A capacity of 4 GWh and an area of 9 ha.")
    cues = [CueMention(1, 3, 2, 13, "cap-of", "capacity", "forward", None, 5, 1.0, "capacity of"),
            CueMention(7, 9, 27, 34, "area-of", "area", "forward", None, 5, 1.0, "area of"),
            CueMention(7, 8, 27, 31, "area-word", "area", "both", None, 0, 0.5, "area")]
    set_mentions(doc, CueMention, cues)
    assert [(s.label_, s.id_) for s in doc.spans["cue"]] == [("capacity", "cap-of"), ("area", "area-of"),
                                                             ("area", "area-word")]


def test_mentions_leave_no_span_attributes_behind():
    doc = make_doc("Quuxcell will invest $2 billion.")
    set_mentions(doc, QuantityMention, [QuantityMention(3, 6, 21, 31, "money", 2e9, unit="USD", is_money=True)])
    assert all(not (isinstance(key, tuple) and key[:1] == ("._.",)) for key in doc.user_data)
    assert not Span.has_extension("value") and not Span.has_extension("rule_id")


def test_spans_alone_are_no_mentions():
    doc = make_doc("Quuxcell will invest $2 billion.")
    doc.spans["quantity"] = [doc[3:6]]  # spaCy's view only: the typed list is what readers read
    assert mentions_of(doc, QuantityMention) == []
