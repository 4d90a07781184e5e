"""Assembly's per-document view (extractor/assembly/document.py) reads what spaCy would."""
from __future__ import annotations

import spacy

from extractor.assembly.assemble import FigureRecords
from extractor.assembly.document import Document
from extractor.assembly.records import quantity_record
from extractor.layers.tokenizer import customize_tokenizer
from extractor.mentions import PlaceMention, QuantityMention, set_mentions
from extractor.models import Quantity
from extractor.spans import register_extensions

TEXTS = [
    "Velmora Steel will build a 1.2 Mtpa mill in Tarnów, Poland.\n\nThe EUR 900 million plant  opens in 2027. ",
    "HALDEN, Norway, June 3, 2026 /Wire/ -- İstanbul-based Orkan A.Ş. said: “Phase II (60 MW) is done.”\n",
    "  \n\t Twelve  hundred jobs; ten units; 1,200 t/y; $22,000/t; №5 línea ＡＢＣ café—Zoë's\u00a0plant.",
    "",
]


def nlp():
    register_extensions()
    pipeline = spacy.blank("en")
    customize_tokenizer(pipeline)
    return pipeline


def test_token_words_equal_spacy_orth_lower_and_offsets():
    make = nlp()
    for text in TEXTS:
        doc = make(text)
        view = Document(doc)
        tokens = view.tokens
        assert tokens.text == [t.text for t in doc]
        assert tokens.lower == [t.lower_ for t in doc]
        assert tokens.starts == [t.idx for t in doc]
        assert tokens.ends == [t.idx + len(t) for t in doc]
        assert [view.like_num(i) for i in range(len(doc))] == [t.like_num for t in doc]
        for start in range(len(doc)):
            for end in range(start + 1, min(len(doc), start + 4) + 1):
                assert view.words(start, end) == doc[start:end].text


def test_quantities_come_in_text_order_and_the_dateline_is_the_first():
    doc = nlp()("It adds 40 ha and 12 MW near Tarnow.")
    late = QuantityMention(5, 7, 18, 23, "power", 12.0, unit="MW")
    early = QuantityMention(2, 4, 8, 13, "area", 40.0, unit="ha")
    set_mentions(doc, QuantityMention, [late, early])
    view = Document(doc)
    assert view.quantities == [early, late]
    assert view.dateline is None and view.places == []
    assert view.quote(early) == "40 ha"


def test_a_figure_record_is_built_once_per_document():
    text = "It adds 40 ha."
    doc = nlp()(text)
    area = QuantityMention(2, 4, 8, 13, "area", 40.0, unit="ha")
    figures = FigureRecords(text)
    first = figures.quantity(area)  # the Quantity's fields: the record validates them as a whole
    assert figures.quantity(area) is first
    assert Quantity(**first) == quantity_record(area, text)


def test_place_mentions_are_read_once():
    doc = nlp()("Built in Tarnow.")
    place = PlaceMention(2, 3, 9, 15, "place", "Tarnów", "city", "PL")
    set_mentions(doc, PlaceMention, [place])
    view = Document(doc)
    assert view.places == [place] and view.places is view.places


def test_cues_by_category_keep_the_order_of_the_context():
    from extractor.assembly.context import Context

    from .cue_helpers import make_doc, run_cues

    doc = run_cues(make_doc("Brenvik will build a plant. Construction starts in May and the plant "
                            "will be operational in 2027; a second plant is planned."))
    ctx, view = Context(doc), Document(doc)
    categories = {cue.category for cue in ctx.cues}
    assert {"project_type", "status"} <= categories
    for category in categories | {"no_such_category"}:
        assert view.cues(ctx, category) == [c for c in ctx.cues if c.category == category]


def test_the_dateline_date_read_once_is_the_docs_own():
    make = nlp()
    for text, date in zip(TEXTS, ["2026-06-03", None, "2025", None]):
        doc = make(text)
        doc._.dateline_date = date
        view = Document(doc)
        assert view.dateline_date == doc._.dateline_date == date
