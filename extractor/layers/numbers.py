"""Text to value: digits with separators, number words and scale words. Pure functions.

Press releases write one amount many ways ("3,000", "940 000", "1.2 billion", "two mln",
"half a million"); the quantities layer asks these functions what a token or a few tokens
are worth and never parses numbers itself.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

from extractor.ruleset import lexicon

# a run of digits with the separators press releases use between groups
_DIGITS = re.compile(r"[0-9](?:[0-9,.'\u00a0\u202f\u2009 ]*[0-9])?")
# one token cut in three: what stands before the number, the number, what is glued after it
_GLUED = re.compile(r"([^0-9]*)([0-9](?:[0-9,.]*[0-9])?)(.*)", re.S)
_GROUP_SPACES = re.compile(r"[\u00a0\u202f\u2009' ]")
_PLAIN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+\.[0-9]+")


@lru_cache(maxsize=1)
def number_lexicon() -> dict:
    """The number words, scales and context word sets of `rules/numbers.jsonl`."""
    return lexicon("numbers.jsonl")


def _grouped(head: str, groups: Sequence[str]) -> bool:
    """True when `head` then `groups` look like thousands groups: '1' '200' '000'."""
    return 1 <= len(head) <= 3 and all(len(g) == 3 and g.isdigit() for g in groups) and head.isdigit()


def parse_digits(text: str) -> Optional[float]:
    """The value of a digit string with thousands or decimal separators, else None.

    A comma followed by groups of three is a thousands separator ('3,000'); a lone comma
    before one, two or four-plus digits is a decimal comma ('1,5'); several dots are
    thousands separators ('1.200.000'); a space, no-break space or apostrophe between groups of
    three joins them ('940 000').

    >>> parse_digits('12,500.75'), parse_digits('1,5'), parse_digits('1.200.000'), parse_digits('940 000')
    (12500.75, 1.5, 1200000.0, 940000.0)
    >>> parse_digits('n/a') is None
    True
    """
    text = text.strip()
    if text.isdigit():
        return float(text)
    if _PLAIN.fullmatch(text):  # '3,000' and '95.7', the usual shapes, need no more checks
        return float(text.replace(",", ""))
    if not text or not _DIGITS.fullmatch(text):
        return None
    if _GROUP_SPACES.search(text):
        parts = _GROUP_SPACES.split(text)
        if not _grouped(parts[0], [p.split(".")[0].split(",")[0] for p in parts[1:]]):
            return None
        text = "".join(parts)
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _, frac = text.rpartition(decimal)
        if whole.count(decimal) or not frac.isdigit():
            return None
        groups = whole.split(thousands)
        if not _grouped(groups[0], groups[1:]):
            return None
        return float("".join(groups) + "." + frac)
    if commas:
        groups = text.split(",")
        if _grouped(groups[0], groups[1:]):
            return float("".join(groups))
        if commas == 1 and groups[0].isdigit() and groups[1].isdigit():
            return float(groups[0] + "." + groups[1])
        return None
    if dots > 1:
        groups = text.split(".")
        return float("".join(groups)) if _grouped(groups[0], groups[1:]) else None
    try:
        return float(text)
    except ValueError:
        return None


def split_glued(text: str) -> Optional[tuple[str, str, str]]:
    """A token cut into (mark before, digits, mark after), or None without digits.

    Tokens such as 'RMB15', '30m3' or '550W' carry a currency or unit glued to the number.
    >>> split_glued('US$0.98'), split_glued('20GWh')
    (('US$', '0.98', ''), ('', '20', 'GWh'))
    """
    match = _GLUED.fullmatch(text)
    if match is None:
        return None
    before, digits, after = match.groups()  # every group takes part in a match: three strings
    return before, digits, after


def scale_value(word: str, *, weak: bool = False) -> Optional[float]:
    """What a scale word multiplies by ('billion' -> 1e9, 'crore' -> 1e7), else None.

    Single letters ('m', 'bn' is not one) count only when `weak` is allowed, because alone
    they are often a metre or an initial.

    >>> scale_value('mln'), scale_value('billion'), scale_value('M'), scale_value('M', weak=True)
    (1000000.0, 1000000000.0, None, 1000000.0)
    """
    lex = number_lexicon()
    value = lex["scales"].get(word.lower())
    if value is None and weak:
        value = lex["weak_scales"].get(word)
    return float(value) if value is not None else None


def word_value(word: str) -> Optional[float]:
    """The value of one number word ('seven' -> 7, 'ninety' -> 90), else None."""
    lex = number_lexicon()
    lower = word.lower()
    if lower in lex["ones"]:
        return float(lex["ones"][lower])
    if lower in lex["tens"]:
        return float(lex["tens"][lower])
    return None


def parse_number_words(words: Sequence[str]) -> Optional[tuple[float, int]]:
    """The value the leading number words state, and how many words they take.

    Handles 'twenty - five', 'two hundred', 'a dozen', 'a hundred', 'half a' (the scale that
    follows is applied by the caller). Scale words above a hundred are left to the caller so
    that digits and words share one scale rule.

    >>> parse_number_words(['three', 'hundred', 'jobs']), parse_number_words(['half', 'a', 'million'])
    ((300.0, 2), (0.5, 2))
    """
    lower = [w.lower() for w in words]
    n = len(lower)
    if not n:
        return None
    lex = number_lexicon()
    if lower[0] == "half" and n > 1 and lower[1] in ("a", "an"):
        return (0.5, 2)
    if lower[0] == "half" and n > 1 and lower[1] in lex["scales"]:
        return (0.5, 1)  # "half million"
    quarters = quarter_words(lower)
    if quarters is not None:
        return quarters
    if lower[0] in ("a", "an", "one") and n > 1 and lower[1] == "dozen":
        return (12.0, 2)
    if lower[0] == "dozen":
        return (12.0, 1)
    if lower[0] in ("a", "an") and n > 1 and lower[1] in lex["scales"]:
        return (1.0, 1)  # "a million": the caller applies "million"
    value = word_value(lower[0])
    if value is None:
        return None
    used = 1
    if lower[0] in lex["tens"]:
        # "twenty-five" arrives as three tokens, "twenty five" as two
        k = 2 if n > 2 and lower[1] == "-" else 1
        if n > k and lower[k] in lex["ones"] and 0 < lex["ones"][lower[k]] < 10:
            value += lex["ones"][lower[k]]
            used = k + 1
    if n > used and lower[used] == "hundred":
        value *= 100
        used += 1
    return (value, used)


def quarter_words(lower: Sequence[str]) -> Optional[tuple[float, int]]:
    """'a quarter million' -> (0.25, 2); 'three quarters billion', 'three-quarters' -> (0.75, 2 or 3).

    Only before a scale word: 'a quarter' alone is a period ('$5 million a quarter').
    """
    lex = number_lexicon()
    if lower[0] in ("a", "an", "one"):
        count, k = 1.0, 1
    elif lower[0] in lex["ones"]:
        count, k = float(lex["ones"][lower[0]]), 1
    else:
        return None
    if len(lower) > k and lower[k] == "-":
        k += 1
    if len(lower) <= k + 1 or lower[k] not in ("quarter", "quarters") or lower[k + 1] not in lex["scales"]:
        return None
    return (count / 4, k + 1)


def is_year_like(text: str) -> bool:
    """True for a bare four-digit number that reads as a calendar year ('2025', '1988')."""
    return len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100
