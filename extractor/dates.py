"""The dates layer: every date mention, dated in ISO 8601 at the precision the text gives.

Milestones ("construction began in February 2022") are dated from these spans, so a mention
keeps exactly the precision it states: "2022", "2022-02" or "2022-02-15". One compiled regular
expression scans the text once; its alternatives are bounded and unambiguous, so its cost is
linear in the text's length. Choices where the text is vague (documented here and in
`rules/dates.json`):

- a quarter or half is dated by its first month ("Q3 2024" -> "2024-07", "H2 2027" ->
  "2027-07") and the document gets a warning that the month stands for a longer period;
- "early", "mid", "late" and seasons keep the precision of what they modify ("mid-1988" ->
  "1988", "late March 2024" -> "2024-03"); "end of 2026" -> "2026-12" and "beginning of
  2026" -> "2026-01", since they name a month; the word itself goes to `_.date_modifier`;
- relative dates ("next year", "this May", "on Friday", "March 26" with no year) are resolved
  against `doc._.dateline_date` and flagged `_.date_is_relative`; without that anchor (or when
  the anchor is too coarse) their `_.iso_date` stays None;
- a year-like number that is part of a quantity or money mention, or is followed by a counted
  noun ("2000 workers"), is not a date.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Any, Iterable, NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import spans as S
from .ruleset import load_json

YEAR = r"(?:1[89]|20)\d{2}"


TEXT_KEY = "extractor.text"


def document_text(doc: Doc) -> str:
    """The doc's text, joined once and kept in `doc.user_data`: spaCy rebuilds `doc.text`
    from its tokens on every access, which costs about as much as tokenizing again."""
    cached = doc.user_data.get(TEXT_KEY)
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data[TEXT_KEY] = cached
    return cached


class DateMention(NamedTuple):
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
    """The packaged month, weekday and modifier lexicons (`rules/dates.json`)."""
    return load_json("dates.json")


def month_forms(extra: Iterable[tuple[str, int]] = ()) -> dict[str, int]:
    """Every written month form -> month number, capitalised and all-caps ("Sept", "SEPT")."""
    forms: dict[str, int] = {}
    for form, number in [*date_lexicon()["months"].items(), *extra]:
        forms[form] = int(number)
        forms[form.upper()] = int(number)
    return forms


def month_number(word: str, forms: dict[str, int] | None = None) -> int | None:
    """Month number of a written month ("Jan." -> 1); None for any other word."""
    forms = forms if forms is not None else month_forms()
    return forms.get(word.rstrip("."))


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
    # a month word must not run on into a longer word ("Marching", "Mayor")
    return rf"(?P<{group}>{_alternation(forms)})(?![A-Za-z])\.?"


@lru_cache(maxsize=16)
def date_pattern(extra_months: tuple[tuple[str, int], ...] = ()) -> re.Pattern[str]:
    """The one expression that finds every date form; alternatives tried most precise first."""
    lex = date_lexicon()
    forms = month_forms(extra_months)
    mods = _alternation(lex["modifiers"])
    weekdays = _alternation(lex["weekdays"])
    ordinals = _alternation(lex["ordinals"])
    shifts = _alternation([*lex["relative_shifts"], *(s.capitalize() for s in lex["relative_shifts"])])
    units = _alternation(lex["relative_units"])
    openers = _alternation(lex["bare_month_openers"])
    day = r"[0-3]?\d(?:st|nd|rd|th)?"
    alternatives = [
        rf"(?P<iso_y>{YEAR})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?!\d)",
        rf"{_month('a_mon', forms)}\s+(?P<a_day>{day}),?\s+(?P<a_year>{YEAR})(?!\d)",
        rf"(?<![\d.,])(?P<b_day>{day})\s+(?:of\s+)?{_month('b_mon', forms)},?\s+(?P<b_year>{YEAR})(?!\d)",
        rf"{_month('c_mon', forms)},?\s+(?:of\s+)?(?P<c_year>{YEAR})(?!\d)",
        rf"{_month('d_mon', forms)}\s+(?P<d_day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d.,:]?\d)",
        rf"(?<![\d.,$])(?P<e_day>[0-3]?\d)(?:st|nd|rd|th)?\s+{_month('e_mon', forms)}(?!\s*,?\s*\d)",
        rf"(?:Q(?P<q_n>[1-4])|(?P<q_n2>[1-4])Q)(?:\s+of\s+|\s*'?)(?P<q_year>{YEAR}|\d{{2}})(?!\d)",
        rf"(?:the\s+)?(?P<qw>{ordinals})[\s\-]+quarter(?:\s+of)?(?:\s+(?:the\s+)?(?:fiscal\s+|calendar\s+)?(?:year\s+)?(?P<qw_year>{YEAR})(?!\d)|\s+(?P<qw_rel>this|next|last)\s+year)?",
        rf"(?:H(?P<h_n>[12])|(?P<h_n2>[12])H)(?:\s+of\s+|\s*'?)(?P<h_year>{YEAR}|\d{{2}})(?!\d)",
        rf"(?:the\s+)?(?P<hw>first|second|1st|2nd)\s+half\s+(?:of\s+)?(?:(?:the\s+)?(?:year\s+)?(?P<hw_year>{YEAR})(?!\d)|(?P<hw_rel>this|next|last)\s+year)",
        rf"(?P<rel_shift>{shifts})\s+(?P<rel_unit>{units})(?![A-Za-z])",
        rf"(?P<rm_shift>{shifts})\s+{_month('rm_mon', forms)}(?!\s*\d)",
        rf"(?P<day_word>[Tt]oday|[Yy]esterday|[Tt]omorrow)(?![A-Za-z])",
        rf"(?:(?P<wd_shift>next|last|this)\s+)?(?P<wd>{weekdays})(?![A-Za-z])",
        rf"(?<![A-Za-z])(?:{openers})\s+(?:the\s+month\s+of\s+)?{_month('bm_mon', forms)}(?![\w'’])(?!,?\s+\d)",
        rf"(?<![\w$€£¥/.])(?P<y>{YEAR})(?![\w%]|[.,]\d|'s|’s)",
    ]
    mod = rf"(?:(?<![A-Za-z])(?P<mod>(?i:{mods}))(?:\s+|\s*-\s*)(?:the\s+)?)?"
    return re.compile(rf"\b{mod}(?:{'|'.join(alternatives)})")


def _resolve_relative(match: re.Match[str], anchor: str | None, forms: dict[str, int]) -> str | None:
    """ISO date of a relative mention against the anchor; None if the anchor is too coarse."""
    lex = date_lexicon()
    year, month, day = anchor_parts(anchor)
    if year is None:
        return None
    g = match.groupdict()
    if g["rel_unit"]:
        shift = lex["relative_shifts"][g["rel_shift"].lower()]
        unit = g["rel_unit"]
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
    if g["rm_mon"]:
        target = forms[g["rm_mon"].rstrip(".")]
        shift = g["rm_shift"].lower()
        if month is not None and shift == "next" and target <= month:
            return iso_date(year + 1, target)
        if month is not None and shift == "last" and target >= month:
            return iso_date(year - 1, target)
        return iso_date(year, target)
    if g["bm_mon"]:
        return iso_date(year, forms[g["bm_mon"].rstrip(".")])
    if g["d_mon"] or g["e_mon"]:
        name = (g["d_mon"] or g["e_mon"]).rstrip(".")
        return iso_date(year, forms[name], int(g["d_day"] or g["e_day"]))
    if day is None:
        return None
    today = dt.date(year, month, day)
    if g["day_word"]:
        delta = {"today": 0, "yesterday": -1, "tomorrow": 1}[g["day_word"].lower()]
        moved = today + dt.timedelta(days=delta)
        return iso_date(moved.year, moved.month, moved.day)
    if g["wd"]:
        # news reports what happened: a bare weekday is the latest one on or before the anchor
        target = lex["weekdays"][g["wd"]]
        back = (today.weekday() - target) % 7
        moved = today - dt.timedelta(days=back)
        if g["wd_shift"] == "next":
            moved = today + dt.timedelta(days=(target - today.weekday()) % 7 or 7)
        elif g["wd_shift"] == "last" and back == 0:
            moved = today - dt.timedelta(days=7)
        return iso_date(moved.year, moved.month, moved.day)
    return None


def interpret(match: re.Match[str], anchor: str | None, forms: dict[str, int]) -> DateMention:
    """What one match of `date_pattern` means, as a DateMention (start/end from the match)."""
    lex = date_lexicon()
    g = match.groupdict()
    modifier = lex["modifiers"].get(g["mod"].lower()) if g["mod"] else None
    start = match.start()
    warning = None
    relative = False
    iso: str | None
    if g["iso_y"]:
        iso, rule = iso_date(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"])), "date_iso"
    elif g["a_mon"]:
        iso = iso_date(int(g["a_year"]), forms[g["a_mon"].rstrip(".")], int(re.sub(r"\D", "", g["a_day"])))
        rule = "date_month_day_year"
    elif g["b_mon"]:
        iso = iso_date(int(g["b_year"]), forms[g["b_mon"].rstrip(".")], int(re.sub(r"\D", "", g["b_day"])))
        rule = "date_day_month_year"
    elif g["c_mon"]:
        iso, rule = iso_date(int(g["c_year"]), forms[g["c_mon"].rstrip(".")]), "date_month_year"
    elif g["q_year"] or g["qw"]:
        number = int(g["q_n"] or g["q_n2"] or lex["ordinals"][g["qw"]])
        first = lex["quarter_first_month"][str(number)]
        rule = "date_quarter"
        if g["q_year"] or g["qw_year"]:
            iso = iso_date(two_digit_year(g["q_year"] or g["qw_year"]), first)
        else:
            relative = True
            year = anchor_parts(anchor)[0]
            shift = lex["relative_shifts"].get(g["qw_rel"] or "this", 0)
            iso = iso_date(year + shift, first) if year is not None else None
        warning = f"date {match.group(0)!r} names a quarter; dated by its first month"
    elif g["h_year"] or g["hw"]:
        number = int(g["h_n"] or g["h_n2"] or lex["ordinals"][g["hw"]])
        first = lex["half_first_month"][str(number)]
        rule = "date_half"
        if g["h_year"] or g["hw_year"]:
            iso = iso_date(two_digit_year(g["h_year"] or g["hw_year"]), first)
        else:
            relative = True
            year = anchor_parts(anchor)[0]
            shift = lex["relative_shifts"].get(g["hw_rel"], 0)
            iso = iso_date(year + shift, first) if year is not None else None
        warning = f"date {match.group(0)!r} names a half year; dated by its first month"
    elif g["y"]:
        iso, rule = iso_date(int(g["y"])), "date_year"
    else:
        relative = True
        rule = "date_relative"
        iso = _resolve_relative(match, anchor, forms)
        if g["bm_mon"] and not g["mod"]:
            start = match.start("bm_mon")
        elif g["bm_mon"]:
            rule = "date_relative"
    if modifier in lex["modifier_month"] and iso is not None and len(iso) == 4:
        iso = iso_date(int(iso), lex["modifier_month"][modifier])
    return DateMention(start, match.end(), iso, relative, modifier, rule, warning)


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
) -> list[DateMention]:
    """Every date mention in `text`, in order; relative ones resolved against `anchor`.

    >>> [m.iso for m in find_dates("work began in February 2022 and ends in Q3 2024")]
    ['2022-02', '2024-07']
    """
    lex = date_lexicon()
    forms = month_forms(extra_months)
    nouns = frozenset(w.lower() for w in lex["nouns_after_count"])
    marks = tuple(lex["currency_marks_before"])
    found: list[DateMention] = []
    for match in date_pattern(extra_months).finditer(text):
        if match.group("y") and not match.group("mod"):
            if _counted_noun_follows(text, match.end(), nouns) or _marked_before(text, match.start(), marks):
                continue
        found.append(interpret(match, anchor, forms))
    return found


def parse_date_prefix(text: str, *, extra_months: tuple[tuple[str, int], ...] = ()) -> DateParts | None:
    """A calendar date at the very start of `text` (the date part of a dateline).

    "Jan. 5, 2024 /PRNewswire/" gives year 2024, month 1, day 5; "Oct. 27 (Xinhua)" gives no
    year; "4 August 2026 -" and "2023-06-17" work too.
    """
    forms = month_forms(extra_months)
    match = date_pattern(extra_months).match(text)
    if match is None or match.group("mod"):
        return None
    g = match.groupdict()
    if g["iso_y"]:
        return DateParts(int(g["iso_y"]), int(g["iso_m"]), int(g["iso_d"]), match.end())
    for mon, dd, yy in (("a_mon", "a_day", "a_year"), ("b_mon", "b_day", "b_year"),
                        ("d_mon", "d_day", None), ("e_mon", "e_day", None), ("c_mon", None, "c_year")):
        if g[mon]:
            year = int(g[yy]) if yy else None
            day_value = int(re.sub(r"\D", "", g[dd])) if dd else None
            return DateParts(year, forms[g[mon].rstrip(".")], day_value, match.end())
    return None


def _extra_months(extra_rules: list[dict[str, Any]]) -> tuple[tuple[str, int], ...]:
    """User rules such as {"id": "de_maerz", "layer": "dates", "month_form": "März", "month": 3}."""
    return tuple(
        (str(rule["month_form"]), int(rule["month"]))
        for rule in extra_rules
        if "month_form" in rule and "month" in rule
    )


def _covered(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """True where [start, end) overlaps one of the sorted, non-overlapping ranges."""
    i = bisect.bisect_right(starts, end - 1) - 1
    return i >= 0 and ends[i] > start


@Language.factory("extractor_dates", default_config={"extra_rules": []})
def make_dates_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]):
    extra_months = _extra_months(extra_rules)
    date_pattern(extra_months)  # compile once, when the pipeline is built

    def dates_layer(doc: Doc) -> Doc:
        taken = sorted((s.start_char, s.end_char) for s in doc.spans.get(S.QUANTITY, []))
        starts = [a for a, _ in taken]
        ends = [b for _, b in taken]
        result: list[Span] = []
        last_token = -1
        for mention in find_dates(document_text(doc), doc._.dateline_date, extra_months=extra_months):
            if mention.rule_id == "date_year" and _covered(starts, ends, mention.start, mention.end):
                continue  # a year-like number inside money or a quantity
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or span.start <= last_token:
                continue
            span._.iso_date = mention.iso
            span._.date_is_relative = mention.relative
            span._.date_modifier = mention.modifier
            span._.rule_id = mention.rule_id
            if mention.warning:
                S.add_warning(doc, mention.warning)
            result.append(span)
            last_token = span.end - 1
        doc.spans[S.DATE] = result
        return doc

    return dates_layer
