"""The dateline layer: every dateline shape, the metadata date, the title, and non-datelines."""
from __future__ import annotations

import pytest

from extractor import extract
from extractor.mentions import DateMention, DatelineMention, mentions_of, text_of
from extractor.layers.dateline import analyse_head, is_country, looks_like_title, parse_dateline, wire_name
from extractor.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline()


@pytest.mark.parametrize(
    ("line", "place", "date", "wire"),
    [
        ("KUNMING, China, April 2, 2024 /PRNewswire/ -- Text follows.", "KUNMING", (2024, 4, 2), "PRNewswire"),
        ("SANTA CLARA, Calif., Feb. 14, 2025 /PRNewswire/ -- Text.", "SANTA CLARA", (2025, 2, 14), "PRNewswire"),
        ("CHENGDU, Nov. 3 (Xinhua) -- Text.", "CHENGDU", (None, 11, 3), "Xinhua"),
        ("DENVER, April 9 - Text.", "DENVER", (None, 4, 9), None),
        ("PARIS (Reuters) - Text.", "PARIS", (None, None, None), "Reuters"),
        ("MUNICH, Germany--(BUSINESS WIRE)--Text.", "MUNICH", (None, None, None), "Business Wire"),
        ("OTTAWA, ONTARIO - June 30, 2025 (NEWMEDIAWIRE) - Text.", "OTTAWA", (2025, 6, 30), "NewMediaWire"),
        ("FORT LEE, N.J. - (NewMediaWire) - March 04, 2024 - Text.", "FORT LEE", (2024, 3, 4), "NewMediaWire"),
        ("DA NANG, VIETNAM - [Some Newswire](https://example.org/) - 9 May 2026 - Text.", "DA NANG",
         (2026, 5, 9), "Some Newswire"),
        ("ST. PAUL, MINN., Oct 2 - Text.", "ST. PAUL", (None, 10, 2), None),
        ("DOHA, 5th March, 2024 (QNA) -- Text.", "DOHA", (2024, 3, 5), "QNA"),
        ("Pune, 9 October 2024: Text.", "Pune", (2024, 10, 9), None),
        ("MONTRÉAL, May 21, 2024 /CNW/ - Text.", "MONTRÉAL", (2024, 5, 21), "CNW"),
    ],
)
def test_dateline_shapes(line: str, place: str, date: tuple, wire: str | None) -> None:
    parts = parse_dateline(line)
    assert parts is not None
    assert parts.place == place
    assert (parts.year, parts.month, parts.day) == date
    assert parts.wire == wire


@pytest.mark.parametrize(
    "line",
    [
        "ACME TOOLS <ACT> TO BUILD NEW PLANT IN OHIO",
        "HIGHLIGHTS",
        "Acme Solar, a panel maker, has begun production.",
        "Boston, May 5 and other dates were discussed.",
        "NOTE: figures are unaudited.",
    ],
)
def test_lines_that_are_not_datelines(line: str) -> None:
    assert parse_dateline(line, first_paragraph=True) is None


def test_colon_form_only_opens_the_first_paragraph() -> None:
    assert parse_dateline("KOCHI: The state cleared it.", first_paragraph=True).place == "KOCHI"
    assert parse_dateline("KOCHI: The state cleared it.", first_paragraph=False) is None


def test_metadata_date_gives_the_year_and_title_is_skipped(nlp) -> None:
    doc = nlp(" date 2022-03-08 HEFEI, March 8 (Xinhua) -- A plant opened.\n\nMore text.")
    assert doc._.dateline_date == "2022-03-08"
    (dateline,) = mentions_of(doc, DatelineMention)
    assert (dateline.place, dateline.wire, dateline.rule_id) == ("HEFEI", "Xinhua", "dateline")
    assert doc.text[dateline.start_char:dateline.end_char] == doc[dateline.start:dateline.end].text
    assert doc._.title is None


def test_the_dateline_mention_names_its_country(nlp) -> None:
    doc = nlp("Quuxcell Opens Plant\n\nGDANSK, Poland, May 4, 2026 /PRNewswire/ -- Quuxcell opened it.")
    (dateline,) = mentions_of(doc, DatelineMention)
    assert (dateline.place, dateline.country, dateline.wire) == ("GDANSK", "Poland", "PRNewswire")
    assert doc.spans["dateline"][0].label_ == "DATELINE"


def test_no_year_means_no_date(nlp) -> None:
    doc = nlp("ACME <ACM> SETS PLANT\n\n    TULSA, Okla., June 4 - Acme Corp said it will build a plant.")
    assert mentions_of(doc, DatelineMention)[0].place == "TULSA"
    assert doc._.dateline_date is None
    assert doc._.title == "ACME <ACM> SETS PLANT"


def test_dateline_after_headline_and_bullets() -> None:
    text = ("Acme expands fiber output\n\n* EUR 9 mn for a new line\n* More capacity\n\n"
            "GRAZ, Austria - October 2, 2025 (NEWMEDIAWIRE) - Acme AG is investing in its site.")
    record = extract(text)
    assert record.title == "Acme expands fiber output"
    assert record.dateline.place == "GRAZ"
    assert record.dateline.country == "Austria"
    assert record.dateline.date == "2025-10-02"
    assert record.dateline.wire == "NewMediaWire"
    ev = record.dateline.evidence
    assert text[ev.start:ev.end] == ev.text and ev.text.startswith("GRAZ")


def test_document_without_dateline() -> None:
    record = extract("Acme opens a plant\n\nAcme Corp said on Monday it opened a plant in Ohio.")
    assert record.dateline is None
    assert record.title == "Acme opens a plant"


def test_body_paragraph_is_no_title() -> None:
    assert not looks_like_title("The company said it will build. It also said it will hire. More follows.")
    assert looks_like_title("Acme to build a 5 GWh cell plant in Nevada")


def test_helpers() -> None:
    assert wire_name("BUSINESS WIRE") == "Business Wire"
    assert wire_name("Regional Newswire") == "Regional Newswire"
    assert wire_name("the board") is None
    assert is_country("CHINA") and is_country("West Germany") and not is_country("Calif.")
    head = analyse_head("Headline here\n\nLAGOS, Jan. 3, 2025 /PRNewswire/ -- Body.")
    assert head["title"] == "Headline here" and head["dateline"].place == "LAGOS"


def test_user_wire_rule(tmp_path) -> None:
    rules = tmp_path / "wires.jsonl"
    rules.write_text('{"id": "w1", "layer": "dateline", "name": "Valley Wire", "forms": ["VALLEYWIRE"]}\n')
    record = extract("BOISE, Idaho (VALLEYWIRE) - Acme Inc said it will build a plant.", rules=[str(rules)])
    assert record.dateline.wire == "Valley Wire"


@pytest.mark.parametrize("junk", ["", "\n\n\n", "-- -- --", "A, B - C", "\x00\x01", "2024-99-99 date"])
def test_never_raises(junk: str) -> None:
    record = extract(junk)
    assert record.dateline is None or record.dateline.place


def test_newsroom_header_stamp_anchors_relative_dates(nlp) -> None:
    doc = nlp("NEWSROOM  |  Press Release  |  Jul 8, 2024\n\nWren Foods Opens Bakery\n\n"
              "Wren Foods Inc. opened a bakery on July 2 in Leeds.")
    assert doc._.dateline_date == "2024-07-08"
    assert doc._.title == "Wren Foods Opens Bakery"
    assert not doc.spans["dateline"]
    dates = {text_of(m, doc.text): m.iso_date for m in mentions_of(doc, DateMention)}
    assert dates["July 2"] == "2024-07-02"


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("OSAKA--(BUSINESS WIRE)--Acme KK said.", "OSAKA"),
        ("DALLAS & SINGAPORE, Jan. 9, 2025 /PRNewswire/ -- Text.", "DALLAS & SINGAPORE"),
        ("WINSTON-SALEM, N.C., May 1, 2024 /PRNewswire/ -- Text.", "WINSTON-SALEM"),
        ("Aarhus, Denmark – 12 March 2024 – Text.", "Aarhus"),
    ],
)
def test_more_place_shapes(line: str, place: str) -> None:
    assert parse_dateline(line).place == place


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ABCDEFGHIJKLMNOPQRSTUVWXYZ ,-/()[]:|\n0123456789Janurywe.")), max_size=90))
def test_parse_dateline_never_raises(line: str) -> None:
    parts = parse_dateline(line, first_paragraph=True)
    assert parts is None or (0 <= parts.start < parts.end <= len(line) and parts.place)


@pytest.mark.parametrize(
    ("line", "place", "wire"),
    [
        ("OSLO, Norway, May 6, 2025 07:30 CET (GLOBE NEWSWIRE) -- Text.", "OSLO", "GlobeNewswire"),
        ("AUSTIN, Texas, Jan. 5, 2025, 8:30 a.m. ET /PRNewswire/ -- Text.", "AUSTIN", "PRNewswire"),
    ],
)
def test_filing_time_between_date_and_wire(line: str, place: str, wire: str) -> None:
    parts = parse_dateline(line)
    assert parts is not None and (parts.place, parts.wire, parts.year) == (place, wire, 2025)


def test_bare_place_and_date_line_counts_only_under_a_byline() -> None:
    for byline in ("Our Bureau", "By Priya Raman"):
        head = analyse_head(f"Plant approved\n\n{byline}\n\nPune, 4 March 2025\n\nThe state cabinet on ...")
        parts = head["dateline"]
        assert parts is not None and (parts.place, parts.year, parts.month, parts.day) == ("Pune", 2025, 3, 4)
    assert analyse_head("Plant approved\n\nPune, 4 March 2025\n\nThe state cabinet on ...")["dateline"] is None


# issue 10: wire typography and datelines naming several places

@pytest.mark.parametrize(("line", "place", "date"), [
    ("Toronto, May 3 - Maplewood Ltd said it will build a plant.", "Toronto", (None, 5, 3)),
    ("Elk Grove, Calif, June 9 - Unidyne Corp said sales rose.", "Elk Grove", (None, 6, 9)),
    ("ELK Grove, Calif., Jan 12 - Pexa Inc will add a line.", "ELK Grove", (None, 1, 12)),
])
def test_title_case_datelines_of_wire_copy(line, place, date):
    parts = parse_dateline(line)
    assert parts is not None and parts.place == place and (parts.year, parts.month, parts.day) == date


@pytest.mark.parametrize("line", [
    "Acme, May 3 - the firm said it would grow.",  # no town the gazetteer knows, no region
    "Boston, May 5 and June 9 were the dates.",  # no dash after the date: prose
    "Harbor Linen Services, May 3 was a good day.",
])
def test_title_case_prose_is_no_dateline(line):
    assert parse_dateline(line) is None


@pytest.mark.parametrize(("line", "place", "date"), [
    ("OSLO, Norway and HOUSTON, Texas, May 5, 2025 /PRNewswire/ -- Text.", "OSLO", (2025, 5, 5)),
    ("Dubai, UAE / Paris, France, 3 March 2025 - Text.", "Dubai", (2025, 3, 3)),
    ("LONDON and NEW YORK, Jan. 4, 2024 (GLOBE NEWSWIRE) -- Text.", "LONDON and NEW YORK", (2024, 1, 4)),
    ("SEOUL, South Korea & AUSTIN, Texas, Feb. 2, 2025 /PRNewswire/ -- Text.", "SEOUL", (2025, 2, 2)),
])
def test_datelines_naming_several_places_keep_their_date(line, place, date):
    parts = parse_dateline(line)
    assert parts is not None and parts.place == place and (parts.year, parts.month, parts.day) == date


SCREENED_LINES = [
    "HOUSTON, Texas, March 2, 2025 /PRNewswire/ -- Acme said",
    "LONDON (Reuters) - Acme said", "OSLO, Norway and HOUSTON, Texas, May 5, 2025 - Acme said",
    "TOKYO--(BUSINESS WIRE)--Acme", "MUMBAI: Acme said", "BERLIN/MUNICH, May 2, 2025 - Acme",
    "DUBAI & PARIS, May 2, 2025 - Acme", "Chennai, 12 February 2025", "TORONTO \u2014 Acme said",
    "The company said on Monday", "Acme Corp plans a plant", "HIGHLIGHTS", "BOSTON and beyond",
    "Quuxville [Wire Service] - text", "ZORBA\tand ATHENS, May 1 - x", "By Jane Doe", "Our Bureau",
    "BY JOHN SMITH AND ANA LI", "Staff Reporter.", "By " + "Name " * 20,
]


def test_the_next_part_screen_changes_no_reading(monkeypatch):
    """A dateline whose place no part can follow is ruled out early: the same as reading on."""
    import re

    from extractor.layers import dateline

    def read_all() -> list:
        return [(parse_dateline(line, first_paragraph=first, standalone=alone), dateline.is_byline(line))
                for line in SCREENED_LINES for first in (True, False) for alone in (True, False)]

    screened = read_all()
    monkeypatch.setattr(dateline, "NEXT_PART", re.compile(""))  # every place read on
    monkeypatch.setattr(dateline, "longest_byline", lambda: 10**6)  # every line tried as a byline
    assert read_all() == screened
    assert sum(parts is not None for parts, _ in screened) >= 20 and sum(by for _, by in screened) == 16
