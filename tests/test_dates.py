"""The dates layer: ISO dates at the precision the text gives, relative dates, no false dates."""
from __future__ import annotations

import pytest

from extractor.layers.dates import (
    _READERS,
    _may_look_back,
    anchor_parts,
    anchor_starts,
    date_pattern,
    date_patterns,
    find_dates,
    iso_date,
    month_number,
    parse_date_prefix,
    shift_month,
)
from extractor.mentions import DateMention, mentions_of, text_of
from extractor.pipeline import build_pipeline


def dates_of(text: str, anchor: str | None = None) -> list[tuple[str, str | None]]:
    return [(text[m.start:m.end], m.iso) for m in find_dates(text, anchor)]


@pytest.mark.parametrize(
    ("text", "quoted", "iso"),
    [
        ("The line opened on September 9, 2021 after tests.", "September 9, 2021", "2021-09-09"),
        ("Shipments begin Jan. 12, 2026 from the port.", "Jan. 12, 2026", "2026-01-12"),
        ("The board met on 21 November 2019 in Oslo.", "21 November 2019", "2019-11-21"),
        ("The board met on 3rd May, 2020.", "3rd May, 2020", "2020-05-03"),
        ("Piling work started in April 2023.", "April 2023", "2023-04"),
        ("A metadata stamp 2024-02-29 precedes.", "2024-02-29", "2024-02-29"),
        ("Output should double by 2031.", "2031", "2031"),
        ("Trial runs are due in Q2 2026.", "Q2 2026", "2026-04"),
        ("The mill restarts in 4Q25.", "4Q25", "2025-10"),
        ("First metal is targeted for H1 2028.", "H1 2028", "2028"),  # a half names no month
        ("Deliveries follow in the fourth quarter of 2029.", "the fourth quarter of 2029", "2029-10"),
        ("Sales rose in the second half of 2024.", "the second half of 2024", "2024"),
        ("Piling should start in the first half of 2025.", "the first half of 2025", "2025"),
        ("Output ramps up in H2 2026.", "H2 2026", "2026"),
        ("The kiln was relined in mid-1995.", "mid-1995", "1995"),
        ("Commissioning slips to late 2027.", "late 2027", "2027"),
        ("The dock opens by the end of 2030.", "the end of 2030", "2030-12"),
        ("Bids close at the beginning of 2026.", "the beginning of 2026", "2026-01"),
    ],
)
def test_absolute_dates_keep_the_texts_precision(text: str, quoted: str, iso: str) -> None:
    assert (quoted, iso) in dates_of(text)


@pytest.mark.parametrize(
    ("text", "anchor", "quoted", "iso"),
    [
        ("Work resumes next year.", "2024-05-10", "next year", "2025"),
        ("Hiring started last month.", "2024-01-15", "last month", "2023-12"),
        ("Cranes arrive this May.", "2024-02-01", "this May", "2024-05"),
        ("Talks end next March.", "2024-06-01", "next March", "2025-03"),
        ("The mayor visited on Friday.", "2024-05-15", "Friday", "2024-05-10"),
        ("Crews left yesterday.", "2024-03-01", "yesterday", "2024-02-29"),
        ("Output peaks late this year.", "2022-08-08", "late this year", "2022"),
        ("Permits came in June.", "2021-09-30", "June", "2021-06"),
        ("Tenders open in the third quarter.", "2020-01-01", "the third quarter", "2020-07"),
        ("Trial runs follow in the second half of next year.", "2020-01-01", "the second half of next year", "2021"),
    ],
)
def test_relative_dates_resolve_against_the_anchor(text: str, anchor: str, quoted: str, iso: str) -> None:
    mention = next(m for m in find_dates(text, anchor) if text[m.start:m.end] == quoted)
    assert mention.iso == iso
    assert mention.relative


def test_relative_dates_stay_undated_without_an_anchor() -> None:
    found = find_dates("Building starts next year and ends on Friday.", None)
    assert [m.iso for m in found] == [None, None]
    assert all(m.relative for m in found)


def test_a_month_and_day_without_year_takes_the_anchors_year() -> None:
    (mention,) = find_dates("Trading resumed April 2 - a halt", "1987-04-02")
    assert mention.iso == "1987-04-02" and mention.relative


def test_modifier_word_is_kept() -> None:
    (mention,) = find_dates("ready in early 2032")
    assert mention.modifier == "early" and mention.iso == "2032"


@pytest.mark.parametrize(
    "text",
    [
        "The fleet counts 2000 trucks.",
        "It costs $2025 per unit.",
        "May we add that prices may fall.",
        "This is the 1990s style.",
        "a year ago, half of them left",
        "Version 12024 shipped.",
        "The Mayor of the town spoke.",
    ],
)
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert [m.iso for m in find_dates(text) if m.iso] == []


def test_parse_date_prefix_reads_a_datelines_date() -> None:
    parts = parse_date_prefix("Feb. 8, 2025 /Wire/ -- text")
    assert (parts.year, parts.month, parts.day) == (2025, 2, 8)
    assert parse_date_prefix("Oct. 27 (Agency) --").year is None
    assert parse_date_prefix("the plant") is None


def test_small_pure_helpers() -> None:
    assert iso_date(2023, 2, 29) is None
    assert iso_date(2024, 2, 29) == "2024-02-29"
    assert shift_month(2020, 1, -1) == (2019, 12)
    assert anchor_parts("2021-07") == (2021, 7, None)
    assert month_number("Sept.") == 9 and month_number("Monday") is None


def test_layer_writes_typed_mentions_and_skips_money() -> None:
    nlp = build_pipeline()
    text = ("HOUSTON, May 3, 2024 /Acme Wire/ -- Refit began in March 2024 and costs $2030 million; "
            "it finishes next year.")
    doc = nlp(text)
    found = {text_of(m, text): m for m in mentions_of(doc, DateMention)}
    assert found["March 2024"].iso_date == "2024-03" and not found["March 2024"].is_relative
    assert found["next year"].iso_date == "2025" and found["next year"].is_relative
    assert "2030" not in found
    assert [(s.text, s.label_) for s in doc.spans["date"]] == [(t, "DATE") for t in found]
    for m in found.values():  # token bounds and character offsets name the same words
        assert doc[m.start:m.end].text == text_of(m, text)


def test_a_date_over_part_of_a_token_takes_the_whole_token() -> None:
    text = "Output starts mid-2027 at the plant."
    (m,) = mentions_of(build_pipeline()(text), DateMention)
    assert text_of(m, text) == "mid-2027" and m.modifier == "mid" and m.iso_date == "2027"


def test_quarter_adds_a_warning() -> None:
    nlp = build_pipeline()
    doc = nlp("Startup is planned for Q1 2027.")
    assert any("quarter" in w for w in doc._.warnings or [])


def test_user_rules_add_month_forms() -> None:
    nlp = build_pipeline()
    layer = nlp.get_pipe("dates")
    assert layer is not None
    months = (("Juni", 6),)
    assert dates_of_with(months, "Baubeginn im Juni 2025") == [("Juni 2025", "2025-06")]


def dates_of_with(months: tuple[tuple[str, int], ...], text: str) -> list[tuple[str, str | None]]:
    return [(text[m.start:m.end], m.iso) for m in find_dates(text, None, extra_months=months)]


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 QH-,./JanMyuleOctDcthirdquarteyofnxs")), max_size=80))
def test_find_dates_never_raises_and_stays_inside_the_text(text: str) -> None:
    for mention in find_dates(text, "2020-02-29"):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.iso is None or mention.iso[:4].isdigit()



# one invented example per alternative of the core expression, and the last group it fills
CORE_EXAMPLES = [
    ("2031-04-09", "iso_d"), ("April 9, 2031", "a_year"), ("9 April 2031", "b_year"),
    ("April 2031", "c_year"), ("April 9", "d_day"), ("9 April", "e_mon"), ("in April", "m_only"),
    ("Q3 2031", "q_year"), ("H2 2031", "h_year"), ("a year", "unit"), ("today", "day_word"),
    ("Friday", "wd"), ("2031", "y"),
]


@pytest.mark.parametrize("text, group", CORE_EXAMPLES)
def test_every_alternative_of_the_core_expression_has_a_reader(text: str, group: str) -> None:
    """interpret picks its reader by the match's last group: each alternative's must be known."""
    match = date_pattern().search(text)
    assert match is not None and match.lastgroup == group and group in _READERS


def test_no_reader_without_an_alternative() -> None:
    assert set(_READERS) == {group for _, group in CORE_EXAMPLES}
    assert date_pattern().pattern.count("(?P<") >= len(_READERS)


# The scans of the old anchor_starts, one expression each: the plain computation that the
# faster scans (literal years, days read back from months) must agree with.
PLAIN_SCANS = [
    (r"(?:1[89]|20)\d\d", 0), (r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?[JFMASOND]", -1), (r"Q\d", -1),
    (r"H[12]", -1), (r"Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MA[RY]|APR|JU[NL]|AUG|SEP|OCT|NOV|DEC", 0),
    (r"day", -2), (r"morrow", -2), (r"quarter|half|year|month|week", 0),
]


def plain_starts(text: str) -> list[int]:
    import re

    starts: set[int] = set()
    for pattern, back in PLAIN_SCANS:
        for hit in re.finditer(pattern, text):
            pos = hit.start()
            starts.add(pos)
            if back == -1 and pos > 0:
                starts.add(pos - 1)
            elif back == -2:
                while pos > 0 and text[pos - 1].isalpha() and hit.start() - pos < 9:
                    pos -= 1
                starts.add(pos)
    return sorted(starts)


def core_hits(text: str, starts: list[int]) -> set[tuple[int, int, str | None]]:
    core = date_pattern()
    return {(p, m.end(), m.lastgroup) for p in starts if (m := core.match(text, p))}


WORDINGS = [
    "The 4th of March 2024 and 12 May, 2025 mark 3rd\n\n  of June.",
    "In 201999-01-01 and 19202020-05-06 the code 2019 1999 was set.",
    "4 Directors met 5 Sites on 1 OCT 2023; the monthalf and weekday plan.",
    "Q3 2024, 3Q24, H2 2027, 1H25, today, Tuesday, tomorrow, a year, half of it.",
    "proof March, 7of May, 9 of\tJuly 2021, 30th\nAugust, 2022-13-45 2022-12-31",
]


@pytest.mark.parametrize("text", WORDINGS)
def test_fast_anchor_scans_start_every_date_the_plain_scans_start(text: str) -> None:
    assert core_hits(text, anchor_starts(text, date_patterns().anchors)) == core_hits(text, plain_starts(text))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["4", "12", "2020", "1999", "20", "19", " ", "  ", "\n", "of", "th", "st", "-",
                                 "March", "Mar", "MAY", "Directors", "Q", "H", "1", "day", "Fri", "month",
                                 "half", "year", ",", "."]), max_size=30))
def test_fast_anchor_scans_agree_with_the_plain_scans_on_random_wordings(words: list[str]) -> None:
    text = "".join(words)
    assert core_hits(text, anchor_starts(text, date_patterns().anchors)) == core_hits(text, plain_starts(text))


LOOK_WORDS = ["the", "The", "end", "END", "of", "mid", "Mid", "early", "next", "Next", "third", "3rd", "in", "by",
              "month", "since", "x", "humid", "-", " ", "  ", "\n", "\t", "é", "(", "of the"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(LOOK_WORDS), max_size=12))
def test_the_backward_look_screen_never_hides_a_match(words: list[str]) -> None:
    """The screen (gap, then one of the look's words) only skips texts its expression can't match."""
    before = "".join(words)
    pats = date_patterns()
    for look in (pats.modifier_before, pats.shift_before, pats.ordinal_before, pats.opener_before):
        if look.pattern.search(before):
            assert _may_look_back(before, look.endings), (before, look.pattern.pattern[:40])


@pytest.mark.parametrize("before", ["work ends at the end of the ", "in mid - ", "starting next  ", "the third-",
                                    "deliveries since the month of ", "The END OF "])
def test_the_backward_look_screen_lets_real_looks_through(before: str) -> None:
    pats = date_patterns()
    looks = (pats.modifier_before, pats.shift_before, pats.ordinal_before, pats.opener_before)
    assert any(look.pattern.search(before) for look in looks)
    assert all(_may_look_back(before, look.endings) for look in looks if look.pattern.search(before))


def dispatched(text: str, position: int) -> tuple[int, str | None, dict[str, str | None]] | None:
    """What the core's alternatives for text[position] (`DatePatterns.by_first`) match there."""
    alternatives = date_patterns().by_first.get(text[position])
    match = alternatives.match(text, position) if alternatives is not None else None
    return None if match is None else (match.end(), match.lastgroup, match.groupdict())


def plain_core(text: str, position: int) -> tuple[int, str | None, dict[str, str | None]] | None:
    match = date_pattern().match(text, position)
    return None if match is None else (match.end(), match.lastgroup, match.groupdict())


def agree_at_every_position(text: str) -> None:
    for position in range(len(text)):
        plain, fast = plain_core(text, position), dispatched(text, position)
        assert (plain is None) == (fast is None), (text, position, plain, fast)
        if plain is not None:
            assert fast[:2] == plain[:2], (text, position)
            # the dispatched expression's groups read as the core's; the core's others matched nothing
            assert {name: plain[2][name] for name in fast[2]} == fast[2]
            assert all(plain[2][name] is None for name in plain[2] if name not in fast[2])


DISPATCH_WORDINGS = [
    "Signed Jan. 5, 2024; due 3rd of March 2025, then Sept. 2026 and MAY 2027.",
    "On Tuesday, tomorrow or Today, in Q3 2024 (3Q24), H2 2027, 1H25, 2023-06-17, 30 June.",
    "The half-year, a month, next week, the third quarter of 2025, Yesterday at 1999's fair.",
    "Since 12th\nAugust 2022, 4 Directors met on Mar 9, 'Q4 of 2026', $2025, 2019-2020, May we.",
    "On 9 May 2026, 5th March, 2024 and 7 of July 2021 (QNA) 8 Oct. and 06 June; 4Q 2024.",
    "DECEMBER 31 1998 1Q 2024 H1'25 Sunday; Junebug Augusta Marching Q12 2H2030 19202020",
]


@pytest.mark.parametrize("text", DISPATCH_WORDINGS)
def test_the_first_character_dispatch_matches_what_the_core_matches(text: str) -> None:
    agree_at_every_position(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["4", "9", "12", "2020", "1999", "20", "31st", "5th", " ", "\n", "of", "-", "'", "$",
                                 "March", "Sept.", "MAY", "Jun", "Q", "H", "1", "3", "day", "Fri", "Friday",
                                 "today", "Tomorrow", "month", "half", "year", ",", ".", "s"]), max_size=25))
def test_the_first_character_dispatch_agrees_with_the_core_on_random_wordings(words: list[str]) -> None:
    agree_at_every_position("".join(words))


def test_user_month_forms_get_their_own_first_letters() -> None:
    pats = date_patterns((("März", 3), ("Juni", 6), ("Dezember", 12), ("ottobre", 10)))
    assert "o" in pats.by_first and "o" not in date_patterns().by_first
    assert pats.by_first["o"].match("ottobre 2024").lastgroup == "c_year"
