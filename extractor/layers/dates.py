"""The dates layer: every date mention, dated in ISO 8601 at the precision the text gives.

Milestones ("construction began in February 2022") are dated from these spans, so a mention
keeps exactly the precision it states: "2022", "2022-02" or "2022-02-15". One compiled regular
expression scans the text once; its alternatives are bounded and unambiguous, so its cost is
linear in the text's length. Choices where the text is vague (documented here and in
`rules/dates.jsonl`):

- a quarter is dated by its first month ("Q3 2024" -> "2024-07") and the document gets a
  warning that the month stands for a longer period; a half names no month, so it keeps the
  year's precision ("H2 2027", "the first half of 2025" -> "2027", "2025");
- "early", "mid", "late" and seasons keep the precision of what they modify ("mid-1988" ->
  "1988", "late March 2024" -> "2024-03"); "end of 2026" -> "2026-12" and "beginning of
  2026" -> "2026-01", since they name a month; the word itself goes to `DateMention.modifier`;
- relative dates ("next year", "this May", "on Friday", "March 26" with no year) are resolved
  against `doc._.dateline_date` and flagged `is_relative`; without that anchor (or when
  the anchor is too coarse) their `iso_date` stays None;
- a year-like number that is part of a quantity or money mention, or is followed by a counted
  noun ("2000 workers"), is not a date.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from extractor import spans as S
from extractor.component import LayerComponent
from extractor.mentions import DateMention, QuantityMention, mentions_of, set_mentions
from extractor.spans import TEXT_KEY, document_text  # noqa: F401  (dateline and companies import them from here)
from extractor.ruleset import DateRule, lexicon

YEAR = r"(?:1[89]|20)\d{2}"
DIGITS = "0123456789"  # what a day ("[0-3]?\d") may start with


class FoundDate(NamedTuple):
    """One date found in a text: character offsets and what it means."""

    start: int
    end: int
    iso: str | None
    relative: bool
    modifier: str | None
    rule_id: str
    warning: str | None


class DateParts(NamedTuple):
    """A date parsed at the start of a string (a dateline's date): parts and length used."""

    year: int | None
    month: int
    day: int | None
    length: int


@lru_cache(maxsize=None)
def date_lexicon() -> dict[str, Any]:
    """The packaged month, weekday and modifier lexicons (`rules/dates.jsonl`)."""
    return lexicon("dates.jsonl")


def month_forms(extra: Iterable[tuple[str, int]] = ()) -> dict[str, int]:
    """Every written month form -> month number, capitalised and all-caps ("Sept", "SEPT")."""
    forms: dict[str, int] = {}
    for form, number in [*date_lexicon()["months"].items(), *extra]:
        forms[form] = int(number)
        forms[form.upper()] = int(number)
    return forms


@lru_cache(maxsize=16)
def _cached_month_forms(extra: tuple[tuple[str, int], ...]) -> dict[str, int]:
    """`month_forms` built once per set of user months; the dates layer only reads it."""
    return month_forms(extra)


@lru_cache(maxsize=1)
def _count_guards() -> tuple[frozenset[str], tuple[str, ...]]:
    """(nouns after a counted number, currency marks before a number), built once."""
    lex = date_lexicon()
    return frozenset(w.lower() for w in lex["nouns_after_count"]), tuple(lex["currency_marks_before"])


def month_number(word: str, forms: dict[str, int] | None = None) -> int | None:
    """Month number of a written month ("Jan." -> 1); None for any other word."""
    forms = forms if forms is not None else month_forms()
    return forms.get(word.rstrip("."))


def period_iso(kind: str, year: int, number: int, lex: dict) -> str:
    """A quarter dated by its first month, a half by its year (it names no month).

    >>> period_iso("quarter", 2024, 3, {"quarter_first_month": {"3": 7}})
    '2024-07'
    >>> period_iso("half", 2025, 1, {})
    '2025'
    """
    if kind == "half":
        return iso_date(year)
    return iso_date(year, lex[f"{kind}_first_month"][str(number)])


def iso_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO 8601 text at the precision given; None when the parts make no calendar date.

    >>> iso_date(2023, 6, 17), iso_date(2022, 2), iso_date(2025), iso_date(2023, 2, 30)
    ('2023-06-17', '2022-02', '2025', None)
    """
    if year is None or not 1000 <= year <= 2999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def anchor_parts(anchor: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of an ISO anchor such as the dateline's date; Nones where coarser."""
    if not anchor:
        return None, None, None
    parts = [int(p) for p in anchor.split("-")[:3] if p.isdigit()]
    parts += [None] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """The month `delta` months away: (2024, 1) minus one month is (2023, 12)."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def two_digit_year(text: str) -> int:
    """A year written with two digits in quarter tags ("3Q24") is in this century."""
    value = int(text)
    return value + 2000 if value < 100 else value


def _alternation(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def _month(group: str, forms: dict[str, int]) -> str:
    # a month word must not run on into a longer word ("Marching", "Mayor"); only an
    # abbreviation takes a period ("Jan."), a full name leaves a sentence's period alone
    full = {name.casefold() for name in calendar.month_name if name}
    names = [f for f in forms if f.casefold() in full]
    abbreviations = [f for f in forms if f.casefold() not in full]
    return rf"(?P<{group}>(?:{_alternation(names)})(?![A-Za-z])|(?:{_alternation(abbreviations)})(?![A-Za-z])\.?)"


class BackLook(NamedTuple):
    """A look at the words before a match ("the end of", "next", "the third", "in"): its
    expression, anchored at the end of the text before, and the words one of which that
    text must end in (gap stripped, lower case) for the expression to match (a screen)."""

    pattern: re.Pattern[str]
    endings: tuple[str, ...]


class DatePatterns(NamedTuple):
    """The core expression and the small backward looks that extend its matches."""

    core: re.Pattern[str]
    by_first: dict[str, re.Pattern[str]]  # the core's alternatives that may match at a character
    anchors: AnchorScans
    modifier_before: BackLook
    shift_before: BackLook
    ordinal_before: BackLook
    opener_before: BackLook
    period_after: re.Pattern[str]


def _endings(words: Iterable[str], *fillers: str) -> tuple[str, ...]:
    """The lower-case endings of a backward look: its words, and the filler words that may
    follow them ("the end of the 2020s": "the")."""
    return tuple(sorted({w.lower() for w in words} | set(fillers)))


def by_first_character(alternatives: list[tuple[str, str]]) -> dict[str, re.Pattern[str]]:
    """For each character a date may start with, the core's alternatives that can start with
    it, in the core's order: what the core matches at a position, without trying the
    alternatives that cannot (the core tried all thirteen, three of them month alternations,
    at every anchor). A reader asks these for its own alternative's groups only (`group`).
    """
    firsts = sorted({char for chars, _ in alternatives for char in chars})
    return {char: re.compile("|".join(expression for chars, expression in alternatives if char in chars))
            for char in firsts}


def group(match: re.Match[str], name: str) -> str | None:
    """The text of group `name`, None where it matched nothing or the expression (one of
    `by_first_character`'s) has no such group."""
    return match[name] if name in match.re.groupindex else None


@lru_cache(maxsize=16)
def date_patterns(extra_months: tuple[tuple[str, int], ...] = ()) -> DatePatterns:
    """Every date form, compiled once.

    Every alternative of the core expression starts at an anchor: a year, a day before a
    month, a month or weekday, a Q/H tag, or one of a few words ("quarter", "year",
    "today"). Simple anchor expressions that start with a literal scan the text (the regex
    engine skips to their first character at C speed) and the core is tried only at their
    positions: one big alternation tried at every position costs as much as tokenizing. The words that may precede a date ("early", "the end of", "next", "in",
    "third") are read backwards from a match, in a few dozen characters.
    """
    lex = date_lexicon()
    forms = month_forms(extra_months)
    months = "".join(sorted({form[0] for form in forms}))  # the letters a month form starts with
    weekdays = _alternation(lex["weekdays"])
    day = r"[0-3]?\d(?:st|nd|rd|th)?"
    # (the characters a match of the alternative can start with, the alternative), in the
    # order the core tries them
    alternatives = [
        ("12", rf"(?P<iso_y>{YEAR})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?!\d)"),
        (months, rf"{_month('a_mon', forms)}\s+(?P<a_day>{day}),?\s+(?P<a_year>{YEAR})(?!\d)"),
        (DIGITS, rf"(?<![\d.,])(?P<b_day>{day})\s+(?:of\s+)?{_month('b_mon', forms)},?\s+(?P<b_year>{YEAR})(?!\d)"),
        (months, rf"{_month('c_mon', forms)},?\s+(?:of\s+)?(?P<c_year>{YEAR})(?!\d)"),
        (months, rf"{_month('d_mon', forms)}\s+(?P<d_day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d.,:]?\d)"),
        (DIGITS, rf"(?<![\d.,$])(?P<e_day>[0-3]?\d)(?:st|nd|rd|th)?\s+{_month('e_mon', forms)}(?!\s*,?\s*\d)"),
        (months, rf"{_month('m_only', forms)}(?![\w'’])(?!,?\s+\d)"),
        ("Q1234", rf"(?<![A-Za-z])(?:Q(?P<q_n>[1-4])|(?P<q_n2>[1-4])Q)(?:\s+of\s+|\s*'?)(?P<q_year>{YEAR}|\d{{2}})(?!\d)"),
        ("H12", rf"(?<![A-Za-z])(?:H(?P<h_n>[12])|(?P<h_n2>[12])H)(?:\s+of\s+|\s*'?)(?P<h_year>{YEAR}|\d{{2}})(?!\d)"),
        ("ymwqh", r"(?<![A-Za-z])(?P<unit>year|month|week|quarter|half)(?![A-Za-z])"),
        ("TtYy", r"(?<![A-Za-z])(?P<day_word>[Tt]oday|[Yy]esterday|[Tt]omorrow)(?![A-Za-z])"),
        ("".join(sorted({word[0] for word in lex["weekdays"]})), rf"(?P<wd>{weekdays})(?![A-Za-z])"),
        ("12", rf"(?<![\w$€£¥/.])(?P<y>{YEAR})(?![\w%]|[.,]\d|'s|’s)"),
    ]
    shifts = _alternation([*lex["relative_shifts"], *(s.capitalize() for s in lex["relative_shifts"])])
    ordinals = _alternation(lex["ordinals"])
    return DatePatterns(
        core=re.compile("|".join(expression for _, expression in alternatives)),
        by_first=by_first_character(alternatives),
        anchors=anchor_scans(extra_months),
        modifier_before=BackLook(re.compile(
            rf"(?<![A-Za-z])(?P<mod>(?i:{_alternation(lex['modifiers'])}))(?:\s+|\s*-\s*)(?:the\s+)?$"
        ), _endings(lex["modifiers"], "the")),
        shift_before=BackLook(re.compile(rf"(?<![A-Za-z])(?P<shift>{shifts})\s+$"), _endings(lex["relative_shifts"])),
        ordinal_before=BackLook(re.compile(rf"(?<![A-Za-z])(?:(?i:the)\s+)?(?P<ord>{ordinals})[\s\-]+$"),
                                _endings(lex["ordinals"])),
        opener_before=BackLook(re.compile(
            rf"(?<![A-Za-z])(?:{_alternation(lex['bare_month_openers'])})\s+(?:the\s+month\s+of\s+)?$"
        ), _endings(lex["bare_month_openers"], "of")),
        period_after=re.compile(
            rf"(?:\s+of)?(?:\s+(?:the\s+)?(?:fiscal\s+|calendar\s+)?(?:year\s+)?(?P<year>{YEAR})(?!\d)"
            rf"|\s+(?P<rel>this|next|last)\s+year(?![A-Za-z]))?"
        ),
    )


# (expression, how far back the date may start: -1 one character, -2 a word's start)
BACK_CHAR, BACK_WORD = -1, -2
YEAR_WIDTH = 4  # characters of a year: year hits never overlap, as one scan's would not
MONTH_SCAN = r"Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MA[RY]|APR|JU[NL]|AUG|SEP|OCT|NOV|DEC"
DAY_BEFORE_MONTH = r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?[JFMASOND]"  # "4 August", "12th of March"
DAY_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


class AnchorScans(NamedTuple):
    """The cheap scans whose hits mark where a date may start.

    Why this shape: a scan that starts with a literal runs at C speed (the engine skips to
    the literal), one that starts with a class of characters ("\\d", "[12]") is ten times
    slower. So years are two literal scans ("20", "1[89]") and the day before a month
    ("4 August") is read backwards from the month's hit instead of scanning every digit.
    """

    years: tuple[re.Pattern[str], ...]  # every start of a year, overlapping ones too
    months: re.Pattern[str]  # the packaged month forms' first letters
    days: re.Pattern[str] | None  # the plain day-before-month scan, where user months need it
    others: tuple[tuple[re.Pattern[str], int], ...]  # (expression, how far back a date starts)


def anchor_scans(extra_months: tuple[tuple[str, int], ...] = ()) -> AnchorScans:
    """The scans of `anchor_starts`; user month forms ("März") get a scan of their own and the
    plain scan of days before a month (their first letters are not the packaged ones')."""
    others = [
        (r"Q\d", BACK_CHAR),  # "Q3 2024", "3Q24"
        (r"H[12]", BACK_CHAR),  # "H2 2027", "1H25"
        (r"day", BACK_WORD),  # weekdays, today, yesterday
        (r"morrow", BACK_WORD),
        *((unit, 0) for unit in ("quarter", "half", "year", "month", "week")),  # one literal each
    ]
    if extra_months:
        others.append((_alternation(form for form, _ in extra_months), 0))
    return AnchorScans(
        years=(re.compile(r"20(?=\d\d)"), re.compile(r"1[89](?=\d\d)")),
        months=re.compile(MONTH_SCAN),
        days=re.compile(DAY_BEFORE_MONTH) if extra_months else None,
        others=tuple((re.compile(pattern), back) for pattern, back in others),
    )


def year_starts(text: str, scans: Iterable[re.Pattern[str]]) -> list[int]:
    """Where years start, left to right and not overlapping, as one scan of
    `(?:1[89]|20)\\d\\d` finds them ("2019 1999" has two; in "19202020" the middle "2020"
    is inside the first year's and the next one's).

    >>> year_starts("19202020 and 2024", anchor_scans().years)
    [0, 4, 13]
    """
    found = sorted(hit.start() for scan in scans for hit in scan.finditer(text))
    kept: list[int] = []
    for pos in found:
        if not kept or pos >= kept[-1] + YEAR_WIDTH:
            kept.append(pos)
    return kept


def _space_run_start(text: str, end: int) -> int:
    """The start of the run of whitespace that ends at `end` (`end` itself where none)."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return start


def day_before(text: str, at: int) -> int | None:
    """Where the day digit of "4 August", "12th March" or "3rd of May" stands when a month
    word starts at `at`: the hit a scan of `DAY_BEFORE_MONTH` has there; None where no day
    leads up to `at`.

    >>> text = "on 12th of March, 4 May and Mar 9"
    >>> [day_before(text, text.index(word)) for word in ("March", "May", "Mar 9")]
    [4, 18, None]
    """
    if text[at] not in "JFMASOND":
        return None
    gap = _space_run_start(text, at)
    if gap == at:
        return None
    if gap >= 2 and text[gap - 2:gap] == "of":  # "of" needs a gap before it too
        before_of = _space_run_start(text, gap - 2)
        if before_of == gap - 2:
            return None
        gap = before_of
    if gap >= 3 and text[gap - 2:gap] in DAY_SUFFIXES and text[gap - 3].isdecimal():
        return gap - 3
    if gap >= 1 and text[gap - 1].isdecimal():
        return gap - 1
    return None


def anchor_starts(text: str, scans: AnchorScans) -> list[int]:
    """Sorted positions where the core expression is worth trying."""
    starts: set[int] = set(year_starts(text, scans.years))
    for hit in scans.months.finditer(text):
        pos = hit.start()
        starts.add(pos)
        day = None if scans.days else day_before(text, pos)
        if day is not None:
            starts.add(day)
            if day > 0:
                starts.add(day - 1)
    if scans.days:
        _add_hits(starts, text, scans.days, BACK_CHAR)
    for pattern, back in scans.others:
        _add_hits(starts, text, pattern, back)
    return sorted(starts)


def _add_hits(starts: set[int], text: str, pattern: re.Pattern[str], back: int) -> None:
    """The hits of one scan, moved back as `back` says (a character, or to the word's start)."""
    for hit in pattern.finditer(text):
        pos = hit.start()
        starts.add(pos)
        if back == BACK_CHAR and pos > 0:
            starts.add(pos - 1)
        elif back == BACK_WORD:
            while pos > 0 and text[pos - 1].isalpha() and hit.start() - pos < 9:
                pos -= 1
            starts.add(pos)


def date_pattern(extra_months: tuple[tuple[str, int], ...] = ()) -> re.Pattern[str]:
    """The core expression alone (dates written out in full, tags, anchor words)."""
    return date_patterns(extra_months).core


LOOKBACK = 40  # characters read before a match for "by the end of", "the third", "next"


def _resolve_shift(unit: str, shift: int, anchor: str | None) -> str | None:
    """ISO date of "<shift> year/month/week/quarter" against the anchor date."""
    year, month, day = anchor_parts(anchor)
    if year is None:
        return None
    if unit == "year":
        return iso_date(year + shift)
    if month is None:
        return None
    if unit == "month":
        return iso_date(*shift_month(year, month, shift))
    if unit == "quarter":
        first = (month - 1) // 3 * 3 + 1
        return iso_date(*shift_month(year, first, 3 * shift))
    if day is None:
        return None
    moved = dt.date(year, month, day) + dt.timedelta(days=7 * shift)
    return iso_date(moved.year, moved.month)


def _resolve_month(target: int, shift: str | None, anchor: str | None) -> str | None:
    """"this May", "next January", "last March", "in December" against the anchor date."""
    year, month, _ = anchor_parts(anchor)
    if year is None:
        return None
    if month is not None and shift == "next" and target <= month:
        return iso_date(year + 1, target)
    if month is not None and shift == "last" and target >= month:
        return iso_date(year - 1, target)
    return iso_date(year, target)


def _resolve_day(word: str | None, weekday: int | None, shift: str | None, anchor: str | None) -> str | None:
    """"today", "yesterday", "on Friday" against an anchor known to the day."""
    year, month, day = anchor_parts(anchor)
    if year is None or month is None or day is None:
        return None
    today = dt.date(year, month, day)
    if word is not None:
        moved = today + dt.timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[word.lower()])
    elif shift == "next":
        moved = today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    else:
        # news reports what happened: a bare weekday is the latest one on or before the anchor
        back = (today.weekday() - weekday) % 7 or (7 if shift == "last" else 0)
        moved = today - dt.timedelta(days=back)
    return iso_date(moved.year, moved.month, moved.day)


class DateScan(NamedTuple):
    """One text being read and what reading its matches needs: the anchor date, the lexicons."""

    text: str
    anchor: str | None
    forms: dict[str, int]
    pats: DatePatterns
    lex: dict[str, Any]

    def look_back(self, look: BackLook, start: int) -> re.Match[str] | None:
        """One of the backward looks over the LOOKBACK characters before `start`; they all
        end in a space or a hyphen, and in one of the look's words, so text ending
        otherwise is not searched (`_may_look_back`)."""
        before = self.text[max(0, start - LOOKBACK):start]
        return look.pattern.search(before) if _may_look_back(before, look.endings) else None


# the gap a backward look ends in: ASCII whitespace (as `\s` reads it) and hyphens
GAP_CHARS = "".join(chr(c) for c in range(128) if chr(c).isspace()) + "-"


def _may_look_back(before: str, endings: tuple[str, ...]) -> bool:
    """Whether a backward look can match the text before a match: it must end in a gap and,
    once the gap is stripped, in one of the look's words (any case). Text that is not all
    ASCII goes straight to the expression: case-blind matching of other letters is subtler.

    >>> _may_look_back("by the end of ", ("of", "the")), _may_look_back("in mid-", ("mid",))
    (True, True)
    >>> _may_look_back("the plant's ", ("of", "the")), _may_look_back("(", ("of",))
    (False, False)
    """
    if not _ends_in_gap(before):
        return False
    return not before.isascii() or before.rstrip(GAP_CHARS).lower().endswith(endings)


def _moved_start(match: re.Match[str], look: re.Match[str]) -> int:
    """The match's start moved back to where a backward look (`look`) begins."""
    return max(0, match.start() - LOOKBACK) + look.start()


class DateRead(NamedTuple):
    """What one reader made of a match, before the modifier words in front are looked at."""

    start: int
    end: int
    iso: str | None
    rule: str
    relative: bool = False
    warning: str | None = None


def dated(text: str, anchor: str | None = None) -> list[tuple[str, str | None]]:
    """The dates of a text as (words, ISO date) pairs: the examples below, and quick checks.

    >>> dated("Work began on 2023-06-17 and ends on 30 June 2026.")
    [('2023-06-17', '2023-06-17'), ('30 June 2026', '2026-06-30')]
    """
    return [(text[m.start:m.end], m.iso) for m in find_dates(text, anchor)]


NON_DIGITS = re.compile(r"\D")


def _day(written: str) -> int:
    """The day of a written day number.

    >>> _day("3rd"), _day("30")
    (3, 30)
    """
    return int(NON_DIGITS.sub("", written))


def _full_date(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """A date with its year: ISO, 'March 3, 2024', '3 March 2024', 'March 2024'.

    >>> dated("Signed March 3, 2024; due 3rd of March 2025, then Sept. 2026.")
    [('March 3, 2024', '2024-03-03'), ('3rd of March 2025', '2025-03-03'), ('Sept. 2026', '2026-09')]
    """
    start, end, forms = match.start(), match.end(), scan.forms
    if group(match, "iso_y"):
        return DateRead(start, end, iso_date(int(match["iso_y"]), int(match["iso_m"]), int(match["iso_d"])), "date_iso")
    if group(match, "a_mon"):
        iso = iso_date(int(match["a_year"]), forms[match["a_mon"].rstrip(".")], _day(match["a_day"]))
        return DateRead(start, end, iso, "date_month_day_year")
    if group(match, "b_mon"):
        iso = iso_date(int(match["b_year"]), forms[match["b_mon"].rstrip(".")], _day(match["b_day"]))
        return DateRead(start, end, iso, "date_day_month_year")
    return DateRead(start, end, iso_date(int(match["c_year"]), forms[match["c_mon"].rstrip(".")]), "date_month_year")


def _day_without_year(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """'March 26', '26 March': the year is the anchor's.

    >>> dated("Talks ended March 26.", "2024-05-02"), dated("Talks ended 26 March.")
    ([('March 26', '2024-03-26')], [('26 March', None)])
    """
    name = (group(match, "d_mon") or match["e_mon"]).rstrip(".")
    year = anchor_parts(scan.anchor)[0]
    iso = iso_date(year, scan.forms[name], int(group(match, "d_day") or match["e_day"])) if year else None
    return DateRead(match.start(), match.end(), iso, "date_relative", relative=True)


def _month_alone(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """A month without a year, only after a shift, a modifier or an opener ('in', 'by'):
    'next May', 'in June', 'in May last year'; never 'May' opening a sentence.

    >>> dated("Output starts next May.", "2024-08-01"), dated("May we add", "2024-08-01")
    ([('next May', '2025-05')], [])
    >>> dated("It opened in May last year.", "2024-08-01")
    [('May last year', '2023-05')]
    """
    pats, start, end = scan.pats, match.start(), match.end()
    shift = scan.look_back(pats.shift_before, start)
    if not (shift or scan.look_back(pats.modifier_before, start) or scan.look_back(pats.opener_before, start)):
        return None
    month = scan.forms[match["m_only"].rstrip(".")]
    iso = _resolve_month(month, shift.group("shift").lower() if shift else None, scan.anchor)
    after = pats.period_after.match(scan.text, end)
    if after and after.group("rel"):  # "in May last year": the month of the year named
        year = anchor_parts(scan.anchor)[0]
        moved = scan.lex["relative_shifts"][after.group("rel")]
        iso = iso_date(year + moved, month) if year is not None else None
        end = after.end()
    start = _moved_start(match, shift) if shift else start
    return DateRead(start, end, iso, "date_relative", relative=True)


def _period_tag(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """'Q3 2024', '3Q24', 'H2 2027': a quarter by its first month (with a warning), a half
    by its year.

    >>> dated("Start in Q3 2024, or 1H25.")
    [('Q3 2024', '2024-07'), ('1H25', '2025')]
    """
    kind = "quarter" if group(match, "q_year") else "half"
    number = int(group(match, "q_n") or group(match, "q_n2") or group(match, "h_n") or match["h_n2"])
    year = two_digit_year(group(match, "q_year") or match["h_year"])
    warning = f"date {match.group(0)!r} names a {kind}; dated by its first month" if kind == "quarter" else None
    return DateRead(match.start(), match.end(), period_iso(kind, year, number, scan.lex), f"date_{kind}",
                    warning=warning)


def _period_word(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """'the third quarter of 2025', 'the first half', 'next year', 'last month'; None for
    a period no ordinal or shift dates ('a year', 'half of them').

    >>> dated("Due in the third quarter of 2025 or next year.", "2024-02-10")
    [('the third quarter of 2025', '2025-07'), ('next year', '2025')]
    """
    unit, start = match["unit"], match.start()
    ordinal = scan.look_back(scan.pats.ordinal_before, start) if unit in ("quarter", "half") else None
    if ordinal:
        return _ordinal_period(scan, match, unit, ordinal)
    shift = scan.look_back(scan.pats.shift_before, start)
    if not shift or unit == "half":
        return None
    iso = _resolve_shift(unit, scan.lex["relative_shifts"][shift.group("shift").lower()], scan.anchor)
    return DateRead(_moved_start(match, shift), match.end(), iso, "date_relative", relative=True)


def _ordinal_period(scan: DateScan, match: re.Match[str], unit: str, ordinal: re.Match[str]) -> DateRead | None:
    """'the third quarter (of 2025 / of next year)', 'the second half': of the year named,
    else of the anchor's year."""
    lex, text = scan.lex, scan.text
    number = lex["ordinals"][ordinal.group("ord").lower()]
    if str(number) not in lex[f"{unit}_first_month"]:
        return None
    after = scan.pats.period_after.match(text, match.end())
    end = after.end() if after else match.end()
    start = _moved_start(match, ordinal)
    warning = f"date {text[start:end]!r} names a {unit}; dated by its first month" if unit == "quarter" else None
    if after and after.group("year"):
        iso = period_iso(unit, int(after.group("year")), number, lex)
        return DateRead(start, end, iso, f"date_{unit}", warning=warning)
    year = anchor_parts(scan.anchor)[0]
    moved = lex["relative_shifts"].get(after.group("rel") if after and after.group("rel") else "this", 0)
    iso = period_iso(unit, year + moved, number, lex) if year is not None else None
    return DateRead(start, end, iso, f"date_{unit}", relative=True, warning=warning)


def _day_word(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """'today', 'yesterday', 'tomorrow' against an anchor known to the day.

    >>> dated("It opened yesterday.", "2024-03-01")
    [('yesterday', '2024-02-29')]
    """
    iso = _resolve_day(match["day_word"], None, None, scan.anchor)
    return DateRead(match.start(), match.end(), iso, "date_relative", relative=True)


def _weekday(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """'on Friday' (the latest one on or before the anchor), 'next Monday'.

    >>> dated("It opened on Friday; talks resume next Monday.", "2024-03-06")
    [('Friday', '2024-03-01'), ('next Monday', '2024-03-11')]
    """
    shift = scan.look_back(scan.pats.shift_before, match.start())
    word = shift.group("shift").lower() if shift and shift.group("shift").lower() in ("next", "last", "this") else None
    start = _moved_start(match, shift) if word else match.start()
    iso = _resolve_day(None, scan.lex["weekdays"][match["wd"]], word, scan.anchor)
    return DateRead(start, match.end(), iso, "date_relative", relative=True)


def _year(scan: DateScan, match: re.Match[str]) -> DateRead | None:
    """A year alone: 'in 2027'.

    >>> dated("Output starts in 2027.")
    [('2027', '2027')]
    """
    return DateRead(match.start(), match.end(), iso_date(int(match["y"])), "date_year")


# groups read as match["name"] where the alternative has them, else with `group`
Reader = Callable[[DateScan, re.Match[str]], "DateRead | None"]

# the core expression's alternatives, by the last group each fills (`match.lastgroup`)
_READERS: dict[str, Reader] = {
    "iso_d": _full_date, "a_year": _full_date, "b_year": _full_date, "c_year": _full_date,
    "d_day": _day_without_year, "e_mon": _day_without_year, "m_only": _month_alone,
    "q_year": _period_tag, "h_year": _period_tag, "unit": _period_word,
    "day_word": _day_word, "wd": _weekday, "y": _year,
}


def _ends_in_gap(before: str) -> bool:
    """Whether the text before a match ends in a space or a hyphen, as every backward look
    needs ('mid-', 'the end of ', 'next '); the others are not searched.

    >>> _ends_in_gap("in mid-"), _ends_in_gap("by the end of "), _ends_in_gap("(")
    (True, True, False)
    """
    return before[-1:].isspace() or before[-1:] == "-"


def interpret(scan: DateScan, match: re.Match[str]) -> FoundDate | None:
    """What one core match means, with the words before it; None where it is no date
    ("a year", "half of them", "May" opening a sentence).

    >>> dated("Output ends late March 2024, by the end of 2026, in mid-2027.")
    [('late March 2024', '2024-03'), ('the end of 2026', '2026-12'), ('mid-2027', '2027')]
    """
    read = _READERS[match.lastgroup or ""](scan, match)  # groups by name: no dict of all 40
    return None if read is None else _with_modifier(scan, read)


def _with_modifier(scan: DateScan, read: DateRead) -> FoundDate:
    """The date with the modifier word before it ('early', 'mid-', 'the end of'): the word
    joins the mention; 'end' and 'start' of a year name its month."""
    lex, start = scan.lex, read.start
    mod_match = scan.look_back(scan.pats.modifier_before, start)
    modifier = lex["modifiers"].get(mod_match.group("mod").lower()) if mod_match else None
    if mod_match:
        start = max(0, start - LOOKBACK) + mod_match.start()
    iso = read.iso
    if modifier in lex["modifier_month"] and iso is not None and len(iso) == 4:
        iso = iso_date(int(iso), lex["modifier_month"][modifier])
    return FoundDate(start, read.end, iso, read.relative, modifier, read.rule, read.warning)


def _counted_noun_follows(text: str, end: int, nouns: frozenset[str]) -> bool:
    """True where the number just matched counts something ("2000 workers")."""
    following = text[end:end + 24].split(None, 1)
    return bool(following) and following[0].strip(".,;:()").lower() in nouns


def _marked_before(text: str, start: int, marks: tuple[str, ...]) -> bool:
    """True where a currency or numbering mark precedes ("$2025", "Phase 2021", "No. 1990")."""
    before = text[max(0, start - 8):start].rstrip()
    return before.endswith(marks)


def find_dates(
    text: str,
    anchor: str | None = None,
    *,
    extra_months: tuple[tuple[str, int], ...] = (),
) -> list[FoundDate]:
    """Every date mention in `text`, in order; relative ones resolved against `anchor`.

    >>> [m.iso for m in find_dates("work began in February 2022 and ends in Q3 2024")]
    ['2022-02', '2024-07']
    """
    forms = _cached_month_forms(tuple(extra_months))
    pats = date_patterns(extra_months)
    by_first = pats.by_first
    scan = DateScan(text, anchor, forms, pats, date_lexicon())
    nouns, marks = _count_guards()
    found: list[FoundDate] = []
    reached = 0
    for position in anchor_starts(text, pats.anchors):
        if position < reached:
            continue
        alternatives = by_first.get(text[position])
        match = alternatives.match(text, position) if alternatives is not None else None
        if match is None:
            continue
        if match.lastgroup == "y":  # a year alone
            if _counted_noun_follows(text, match.end(), nouns) or _marked_before(text, match.start(), marks):
                continue
        mention = interpret(scan, match)
        if mention is None:
            continue
        if found and mention.start < found[-1].end:
            continue  # a backward look reached into the previous mention
        found.append(mention)
        reached = mention.end
    return found


def parse_date_prefix(text: str, *, extra_months: tuple[tuple[str, int], ...] = ()) -> DateParts | None:
    """A calendar date at the very start of `text` (the date part of a dateline).

    "Jan. 5, 2024 /PRNewswire/" gives year 2024, month 1, day 5; "Oct. 27 (Xinhua)" gives no
    year; "4 August 2026 -" and "2023-06-17" work too.
    """
    forms = _cached_month_forms(tuple(extra_months))
    alternatives = date_patterns(extra_months).by_first.get(text[:1])
    match = alternatives.match(text) if alternatives is not None else None
    if match is None:
        return None
    g = match.groupdict()  # the groups of the alternatives that may start with text[0]
    if g.get("iso_y"):
        return DateParts(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]), match.end())
    for mon, dd, yy in (("a_mon", "a_day", "a_year"), ("b_mon", "b_day", "b_year"),
                        ("d_mon", "d_day", None), ("e_mon", "e_day", None), ("c_mon", None, "c_year")):
        if g.get(mon):
            year = int(g[yy]) if yy else None
            day_value = _day(g[dd]) if dd else None
            return DateParts(year, forms[g[mon].rstrip(".")], day_value, match.end())
    return None


def _extra_months(extra_rules: Sequence[DateRule]) -> tuple[tuple[str, int], ...]:
    """User rules such as {"id": "de_maerz", "layer": "dates", "month_form": "März", "month": 3}."""
    return tuple((rule.month_form, rule.month) for rule in extra_rules)


def _covered(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """True where [start, end) overlaps one of the sorted, non-overlapping ranges."""
    i = bisect.bisect_right(starts, end - 1) - 1
    return i >= 0 and ends[i] > start


@Language.factory("extractor_dates", default_config={"extra_rules": []})
def make_dates_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]) -> LayerComponent:
    """The dates component: `extra_rules` are the user's rules of the layer, saved with the pipeline."""
    return LayerComponent(nlp, name, "dates", S.DATE, dates_analyser, extra_rules)


def dates_analyser(nlp: Language, extra_rules: Sequence[DateRule]) -> Callable[[Doc], Doc]:
    extra_months = _extra_months(extra_rules)
    date_patterns(extra_months)  # compile once, when the pipeline is built

    def analyse_doc(doc: Doc) -> Doc:
        found = find_dates(S.document_text(doc), doc._.dateline_date, extra_months=extra_months)
        set_mentions(doc, DateMention, date_mentions(doc, found) if found else [])
        return doc

    return analyse_doc


def date_mentions(doc: Doc, found: list[FoundDate]) -> list[DateMention]:
    """The dates found in the text as mentions over whole tokens, none overlapping; a year-like
    number inside a quantity or money mention is left to that mention."""
    taken = sorted((q.start_char, q.end_char) for q in mentions_of(doc, QuantityMention))
    starts = [a for a, _ in taken]
    ends = [b for _, b in taken]
    mentions: list[DateMention] = []
    last_token = -1
    for date in found:
        if date.rule_id == "date_year" and _covered(starts, ends, date.start, date.end):
            continue
        span = doc.char_span(date.start, date.end, alignment_mode="expand")
        if span is None or span.start <= last_token:
            continue
        mentions.append(DateMention(span.start, span.end, span.start_char, span.end_char, date.rule_id,
                                    date.iso, date.relative, date.modifier))
        if date.warning:
            S.add_warning(doc, date.warning)
        last_token = span.end - 1
    return mentions
