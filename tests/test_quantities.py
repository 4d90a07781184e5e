"""quantities.py: the layer over the phrase table, its span attributes, rules and guards."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spacy

from extractor import extract
from extractor.assembly.records import money_record, quantity_record
from extractor.layers.quantities import make_quantities_layer
from extractor.mentions import DatelineMention, QuantityMention, mentions_of, set_mentions, text_of
from extractor.ruleset import RuleFileError
from extractor.spans import register_extensions
from extractor.layers.tokenizer import customize_tokenizer

TABLE = Path(__file__).parent / "data" / "quantity_cases.jsonl"


def load_cases() -> list[dict]:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("//")]


CASES = load_cases()


def close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=0.01)


def matches(expected: dict, got: dict) -> bool:
    return (close(expected["value"], got["value"]) and expected["unit"] == got["unit"]
            and close(expected.get("value_max"), got.get("value_max"))
            and expected.get("per") == got.get("per")
            and expected.get("qualifier", "exact") == got.get("qualifier")
            and ("item" not in expected or expected["item"] == got.get("item")))


_NLP: list = []


def quantities_only():
    """Our tokenizer and this layer alone, so other layers' work in progress cannot move the
    numbers measured here (the record's `quantities` are these spans, see assemble.py)."""
    if not _NLP:
        register_extensions()
        nlp = spacy.blank("en")
        customize_tokenizer(nlp)
        nlp.add_pipe("extractor_quantities", name="quantities")
        _NLP.append(nlp)
    return _NLP[0]


def predicted(text: str) -> list[dict]:
    doc = quantities_only()(text)
    return [quantity_record(m, doc.text).model_dump(mode="json") for m in mentions_of(doc, QuantityMention)]


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 200
    assert sum(1 for case in CASES if not case["expect"]) >= 30
    assert len({case["id"] for case in CASES}) == len(CASES)


def test_table_precision_and_recall() -> None:
    tp = fp = fn = 0
    for case in CASES:
        left = predicted(case["text"])
        for exp in case["expect"]:
            hit = next((i for i, g in enumerate(left) if matches(exp, g)), None)
            if hit is None:
                fn += 1
            else:
                tp += 1
                left.pop(hit)
        fp += len(left)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nquantity table: cases={len(CASES)} tp={tp} fp={fp} fn={fn} "
          f"precision={precision:.3f} recall={recall:.3f}")
    assert precision == 1.0
    assert recall >= 0.99


# every money and number form issue 11 lists, each read in some case of the table
ISSUE_11_FORMS = (
    "C$ 16.4 million", "HK$ 10.05 billion", "NZD$15", "MXN$ 15", "34 cents", "64.2 cents a dozen",
    "197 pence", "12-cent-a-share", "361 million pounds", "4.2 billion crowns", "30 MUSD", "120 MEUR",
    "48.5 MGBP", "MAUD 60", "half a million", "a quarter million", "three quarters billion",
    "3 dollars 50 cents", "thirteen dollars and forty-five cents", "10 $ 30 cent", "75 USD million",
    "dollar 22.5 million", "20 (kg)", "20 [kg]", "thirty percentage", "one hundred percents",
    "minus five percent", "200.000 vehicles", "100 chinese yuan",
)


@pytest.mark.parametrize("form", ISSUE_11_FORMS)
def test_every_listed_form_is_in_the_table(form: str) -> None:
    cases = [case for case in CASES if form in case["text"] and case["expect"]]
    assert cases, f"no case reads {form!r}"
    quotes = [g["evidence"]["text"] for case in cases for g in predicted(case["text"])]
    assert any(form in quote or quote in form for quote in quotes), quotes


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case: dict) -> None:
    got = predicted(case["text"])
    assert len(got) == len(case["expect"]), got
    for exp, g in zip(case["expect"], got):
        assert matches(exp, g), (exp, g)


# the interface other layers rely on

_KEEP: list = []  # docs stay alive while a test looks at their spans


def quantity_spans(text: str):
    doc = quantities_only()(text)
    _KEEP.append(doc)
    return list(doc.spans["quantity"])


def quantity_mentions(text: str, nlp=None) -> list[QuantityMention]:
    """The typed mentions the layer hands on (`mentions_of`)."""
    return mentions_of((nlp or quantities_only())(text), QuantityMention)


def test_mentions_are_typed_plain_values() -> None:
    text = "Its output will reach 60 GWh a year."
    (m,) = quantity_mentions(text)
    assert text_of(m, text) == "60 GWh a year" and m.label == "QUANTITY"
    assert (m.value, m.unit, m.per, m.qualifier) == (60.0, "GWh", "year", "exact")
    assert m.is_money is False and m.value_max is None
    assert m.rule_id == "quantities:energy-gwh"
    assert m.base_value == pytest.approx(6e10) and m.base_unit == "Wh"
    for value in m:
        assert isinstance(value, (str, float, int, bool, type(None)))


def test_spans_name_the_rule_that_fired() -> None:
    (span,) = quantity_spans("Its output will reach 60 GWh a year.")
    assert (span.text, span.label_, span.id_) == ("60 GWh a year", "QUANTITY", "quantities:energy-gwh")


def test_money_span_and_records() -> None:
    text = "The board approved an investment of up to RMB 7 billion."
    (m,) = quantity_mentions(text)
    assert m.is_money and m.unit == "CNY" and m.value == 7e9 and m.label == "MONEY"
    assert m.base_value is None
    (span,) = quantity_spans(text)
    (mention,) = mentions_of(span.doc, QuantityMention)
    money = money_record(mention, text)
    assert (money.amount, money.currency, money.qualifier) == (7e9, "CNY", "max")
    assert text[money.evidence.start:money.evidence.end] == "up to RMB 7 billion"
    quantity = quantity_record(mention, text)
    assert quantity.unit == "CNY" and quantity.evidence.text == "up to RMB 7 billion"


def test_month_rates_are_kept_apart_from_contract_periods() -> None:
    (m,) = quantity_mentions("The cell line turns out 9,000 units per month.")
    assert m.per is None and m.per_other == "month"


def test_yen_mark_follows_the_document_and_warns_when_it_cannot() -> None:
    assert [q["unit"] for q in predicted("Osaka suppliers will spend ¥20 billion; the yen slid again.")] == ["JPY"]
    doc = quantities_only()("The group will spend ¥20 billion on the plant.")
    assert [m.unit for m in mentions_of(doc, QuantityMention)] == ["CNY"]
    assert any("ambiguous" in w for w in doc._.warnings)


def test_evidence_quotes_the_source() -> None:
    text = "Around 1,250 workers and\n    some 40 MW of turbines; RMB 3 billion in all."
    got = predicted(text)
    assert len(got) == 3
    for q in got:
        assert text[q["evidence"]["start"]:q["evidence"]["end"]] == q["evidence"]["text"]


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00\x01", "9" * 5000, "$" * 300, "- - - 3 - - -", "1,2,3,4,5,6 GWh",
     "between and to", "half a", "a million", "¥", "Rs . crore", "\ud800 5 MW", "5" + " 000" * 400],
)
def test_never_raises(text: str) -> None:
    for q in predicted(text.encode("utf-8", "replace").decode("utf-8")):
        assert math.isfinite(q["value"])
    assert extract(text).doc_id == ""  # the whole call never raises either


def test_extra_rules_extend_the_lexicons() -> None:
    rules = [
        {"id": "my-unit", "layer": "quantities", "kind": "mass", "unit": "t",
         "forms": ["metric loads"]},
        {"id": "my-coin", "layer": "quantities", "kind": "currency", "code": "XAU", "position": "post",
         "forms": ["gold coins"]},
    ]
    nlp = quantities_only()
    plain = nlp("It stores 40 metric loads.")  # the packaged layer does not know the form
    assert not list(plain.spans["quantity"])
    layer = make_quantities_layer(nlp, "quantities", rules)
    (m,) = mentions_of(layer(nlp.make_doc("It stores 40 metric loads.")), QuantityMention)
    assert (m.value, m.unit) == (40.0, "t")
    (m,) = mentions_of(layer(nlp.make_doc("They paid 300 gold coins.")), QuantityMention)
    assert (m.unit, m.is_money) == ("XAU", True)


def test_extra_rule_with_a_typo_fails_loudly() -> None:
    nlp = quantities_only()
    with pytest.raises(RuleFileError):
        make_quantities_layer(nlp, "quantities", [{"id": "x", "kind": "unit", "unti": "t", "forms": ["x"]}])
    with pytest.raises(RuleFileError):
        make_quantities_layer(nlp, "quantities", [{"id": "x", "kind": "colour", "forms": ["x"]}])


# property test: a random amount written in several styles reads back as itself

UNITS = [("GWh", "GWh"), ("MW", "megawatts"), ("ha", "hectares"), ("t", "tonnes"), ("acre", "acres"),
         ("jobs", "new jobs"), ("%", "%")]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999), st.sampled_from(UNITS),
       st.sampled_from(["plain", "comma", "space"]))
def test_written_amounts_read_back(n: int, unit: tuple[str, str], style: str) -> None:
    symbol, written = unit
    number = {"plain": str(n), "comma": f"{n:,}", "space": f"{n:,}".replace(",", " ")}[style]
    if style == "plain" and 1800 <= n <= 2100:
        return  # a bare year-like number is left alone on purpose
    text = f"The new site adds {number} {written} next spring."
    got = predicted(text)
    assert [(g["value"], g["unit"]) for g in got] == [(float(n), symbol)], text


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9),
       st.sampled_from([("billion", 1e9), ("mln", 1e6), ("bn", 1e9), ("million", 1e6)]),
       st.sampled_from([("US$", "USD"), ("RMB ", "CNY"), ("EUR ", "EUR"), ("Rs ", "INR"), ("£", "GBP")]))
def test_money_styles_read_back(whole: int, tenth: int, scale: tuple[str, float],
                                currency: tuple[str, str]) -> None:
    word, factor = scale
    mark, code = currency
    text = f"Investment totals {mark}{whole}.{tenth} {word} for the plant."
    got = predicted(text)
    assert len(got) == 1, text
    assert got[0]["unit"] == code
    assert got[0]["value"] == pytest.approx((whole + tenth / 10) * factor)


def test_bare_dollar_marks_are_flagged() -> None:
    found = quantity_mentions("It pays $5 million, 6 mln dlrs, US$7 million and C$8 million.")
    assert [(m.unit, m.currency_bare) for m in found] == [
        ("USD", True), ("USD", True), ("USD", False), ("CAD", False)]
    (m,) = quantity_mentions("The park covers 40 hectares.")
    assert m.currency_bare is None


def test_the_dateline_country_decides_an_ambiguous_mark() -> None:
    nlp = quantities_only()
    text = "SAPPORO, Hokkaido - The group will spend ¥20 billion on the plant."
    doc = nlp.make_doc(text)  # the country comes from the dateline mention alone
    set_mentions(doc, DatelineMention, [DatelineMention(0, 3, 0, 17, "dateline", "SAPPORO", "Japan")])
    doc = nlp.get_pipe("quantities")(doc)
    assert [m.unit for m in mentions_of(doc, QuantityMention)] == ["JPY"]
    assert not doc._.warnings


# the doc index and its screens agree with the plain, token by token computation

SCREENED = [
    "The annual  output of 40,000 vans\n\nwill reach 3 GWh yearly; daily\n capacity of 500 tonnes.",
    "Capacity of 300 units, a workforce of  800, hourly output of 9 t and twenty - five million euros in 2025.",
    "Weekly \n\n  shipments of 12 trucks, then 7 MW (annualised) and a monthly 4,500 kg at Plant 9.",
]


def _index_parts():
    from extractor.layers.quantities import WordClasses, build_lexicon

    nlp = quantities_only()
    lex = build_lexicon(nlp)
    return nlp, lex, WordClasses(nlp, lex)


@pytest.mark.parametrize("text", SCREENED)
def test_doc_index_and_anchors_agree_with_a_token_by_token_reading(text: str) -> None:
    from extractor.layers.quantities import ANCHOR, CONTEXT, PERIOD, SPACE, TRIGGER, anchors_to_read

    nlp, _, classes = _index_parts()
    doc = nlp.make_doc(text)
    bits = [classes.of(token.text) for token in doc]
    index = classes.index(doc)
    for bit, found in ((ANCHOR, index.anchors), (TRIGGER, index.triggers), (CONTEXT, index.contexts),
                       (SPACE, index.spaces), (PERIOD, index.periods)):
        assert found == [i for i, b in enumerate(bits) if b & bit]
    assert index.spaces == [t.i for t in doc if t.is_space] and index.spaces and index.periods
    plain = [i for i, b in enumerate(bits) if b & ANCHOR and (
        any(bits[j] & TRIGGER for j in range(max(i - 3, 0), min(i + 7, len(doc))))
        or any(bits[j] & CONTEXT for j in range(max(i - 3, 0), i)))]
    assert anchors_to_read(index) == plain and plain


@pytest.mark.parametrize("text", SCREENED)
def test_period_word_screen_agrees_with_the_walk(text: str) -> None:
    from extractor.layers.quantities import Reader, Tokens

    nlp, lex, classes = _index_parts()
    doc = nlp.make_doc(text)
    index = classes.index(doc)
    reader = Reader(Tokens(doc, index.spaces, index.periods), lex)
    walked = [reader.period_before_walk(start) for start in range(len(doc) + 1)]
    assert [reader.period_before(start) for start in range(len(doc) + 1)] == walked
    assert len(set(walked) - {None}) >= 1  # the walk finds a period: the screen is tested


@pytest.mark.parametrize("text", SCREENED + [
    "Output of 2 Mt. a year, 1.500 Mio. EUR and MLN DLRS 40 - about 3 per cent, up to 9 sq. ft per day.",
])
def test_phrase_start_screen_agrees_with_walking_every_trie(text: str) -> None:
    from extractor.layers.quantities import Lexicon, Phrases, Tokens

    nlp, lex, classes = _index_parts()
    doc = nlp.make_doc(text)
    index = classes.index(doc)
    toks = Tokens(doc, index.spaces, index.periods)
    tables = [getattr(lex, name) for name in Lexicon.__dataclass_fields__
              if isinstance(getattr(lex, name), Phrases)]
    found = 0
    for table in tables:
        for j in range(-1, len(doc) + 1):
            if toks.text(j) == "-":
                continue  # match steps over a hyphen before the walk
            for backward in (False, True):
                walked = table.walk(toks, j, 3, backward)
                assert table.match(toks, j, backward=backward) == walked
                found += walked is not None
    assert found >= 10


@pytest.mark.parametrize("value", [0.0, -0.0, 3.0, 500.0, 8.2 * 1e9, 0.1 + 0.2, 1.2 * 1e6, 999_999_999_999.0,
                                   1e12, 1_234_567_890_123.0, -4_000_000.0, 2.5, float("inf")])
def test_tidy_skips_formatting_only_where_formatting_keeps_the_value(value: float) -> None:
    from extractor.layers.quantities import tidy

    formatted = float(f"{value:.12g}")
    assert tidy(value) == formatted and math.copysign(1, tidy(value)) == math.copysign(1, formatted)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(-10**15, 10**15).map(float), st.floats(allow_nan=False)))
def test_tidy_agrees_with_twelve_significant_digits(value: float) -> None:
    from extractor.layers.quantities import tidy

    assert tidy(value) == float(f"{value:.12g}")


WORDINGS = [
    "$2-$3 billion for RMB15 billion, 20GWh and 1.2 million tonnes per year.",
    "Within 6–12 months: US$ 350m, 3,000 jobs and two phases of 940 000 MT.",
    "MLN DLRS 40 - about 3 per cent, ÉNERGIE 5 GW, Straße 9 and 1.500 Mio. EUR.",
]


def test_word_forms_shared_by_docs_agree_with_each_token() -> None:
    from extractor.layers.quantities import Tokens, WordForms

    nlp = quantities_only()
    forms = WordForms()
    for text in WORDINGS + WORDINGS[::-1]:  # the second round reads every word from the memo
        doc = nlp.make_doc(text)
        toks = Tokens(doc, forms=forms)
        order = list(range(-1, len(doc) + 1))
        for j in order[::2] + order[1::2]:  # text first for some tokens, lowercase first for others
            plain = doc[j].text if 0 <= j < len(doc) else ""
            assert (toks.lower(j), toks.text(j)) == (plain.lower(), plain)
    assert "énergie" in {low for _, low in forms.values()} and len(forms) > 20
