"""Lexeme flags stay within spaCy's 64 bits however often a layer is rebuilt."""
from extractor import load, record_of
from extractor.flags import lexeme_flag


def test_a_pipeline_whose_layers_are_rebuilt_80_times_keeps_working():
    nlp = load()
    for i in range(80):  # spaCy has 64 flag bits and frees none
        nlp.get_pipe("quantities").set_rules([])
        nlp.get_pipe("places").set_rules([{"id": f"zorba{i}", "layer": "places", "text": f"Zorbaville{i}",
                                           "kind": "city", "country_code": "US", "region": "Ohio"}])
    record = record_of(nlp("Quuxcell Inc. will build a 5 GWh battery plant in Zorbaville79, Ohio."))
    assert [q.value for q in record.capacity] == [5.0]
    assert "Zorbaville79" in [p.name for p in record.places]
    record = record_of(nlp("Quuxcell Inc. will build a 5 GWh battery plant in Zorbaville3, Ohio."))
    assert "Zorbaville3" not in [p.name for p in record.places]  # an earlier rule set's name


class _Has:
    def __init__(self, letter: str) -> None:
        self.letter = letter

    def __eq__(self, other) -> bool:
        return isinstance(other, _Has) and other.letter == self.letter

    def __call__(self, text: str) -> bool:
        return self.letter in text


def test_an_equal_getter_reuses_its_flag_and_a_new_one_is_computed_for_every_word():
    nlp = load()
    first = lexeme_flag(nlp.vocab, _Has("q"))
    assert lexeme_flag(nlp.vocab, _Has("q")) == first
    second = lexeme_flag(nlp.vocab, _Has("z"))
    assert second != first
    doc = nlp.make_doc("quiz buzz")
    assert [t.check_flag(first) for t in doc] == [True, False]
    assert [t.check_flag(second) for t in doc] == [True, True]
