"""The quantities layer: every number with a unit or a currency becomes a `QuantityMention`.

How it stays fast: one lexeme flag (set once per word type) marks the words that matter here
(digits and number words, unit, currency and scale words, counting cues, period words,
whitespace); one `to_array` call finds them, and only those few tokens are sorted into
classes and looked at, so no Python runs per token of the text. Around each anchor a
small reader walks outwards through lexicons held in tries (units, currencies, qualifiers,
periods, all data in `rules/`): qualifier, currency, number, scale, range, unit, period, item.
Guards keep out calendar years, tickers, phone numbers, list numbering, model names and labels
such as "Phase 2".
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from math import isfinite
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from extractor.layers.numbers import (
    is_year_like,
    number_lexicon,
    parse_digits,
    parse_number_words,
    scale_value,
    split_glued,
)
from extractor.ruleset import (
    CurrencyRule, QualifierRule, Rule, UnitRule, packaged_rules,
)
from extractor.mentions import DatelineMention, QuantityMention, mentions_of, set_mentions
from extractor.spans import QUANTITY, add_warning, document_text
from extractor.component import LayerComponent
from extractor.flags import lexeme_flag
from extractor.layers.units import to_base, unit_rules

CONTRACT_PERIODS = ("year", "day", "hour")

_THREE = re.compile(r"[0-9]{3}")
_GROUP_GAPS = frozenset(("\u00a0", "\u202f", "\u2009"))
_SKIP = "-"  # a hyphen joins the parts of a mention ("12-hectare", "100-mln-dlr") and never changes it
_LOOK_LEFT = 6  # tokens a period word or a context word may stand before the number
_MAX_MODIFIERS = 3  # describing words between a number and its counted noun ("500 new full-time jobs")
_MAX_ITEM = 6  # tokens of an "of ..." item ("of high-nickel cathode material a year")
_HAS_DIGIT = re.compile(r"[0-9]")
_OPEN_BRACKETS = {"(": ")", "[": "]"}
_MODEL_CODE = re.compile(r"[A-Z][A-Za-z]{0,3}-?[0-9]{1,4}[A-Za-z]{0,2}")  # "VX4", "A320", "F-150"
_MINUS_WORDS = frozenset(("minus", "negative"))
_DOT_THOUSANDS = re.compile(r"[0-9]{1,3}\.[0-9]{3}")
# a text that writes numbers European-style: '1.234,5', '1.200.000', a decimal comma ('3,5 %')
_EUROPEAN_STYLE = re.compile(
    r"(?<![0-9.,])[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]|(?<![0-9.,])[0-9]{1,3}(?:\.[0-9]{3}){2,}(?![0-9,])"
    r"|(?<![0-9.,])[0-9]+,[0-9]{1,2}(?![0-9.,])"
)
# an anchor is read only when a unit, currency or scale word stands this near (currency marks
# before, units up to a few describing words after), or a counting cue a little further left
_TRIGGER_BEFORE, _TRIGGER_AFTER = 3, 6
_WORKFORCE = frozenset(("workforce", "headcount", "work force"))
_HIRE_VERBS = frozenset(("employ", "employs", "employing", "hire", "hires", "hiring", "recruit",
                         "recruits", "recruiting"))
_JOB_LABELS = frozenset(("jobs", "employees", "employment", "workforce", "headcount", "staff",
                         "new jobs", "job creation"))
_BE_WORDS = frozenset(("are", "is", "was", "were", "has", "have", "had", "will", "would", "to", "be", "being",
                       "been", "currently", "already", "now", "expected", "set", "due", "directly", "newly"))
_SCALE_ANCHORS = frozenset(("hundred", "thousand", "million", "billion", "trillion", "dozen"))
# what a number counts when only its context says so
_COUNT_BY_CONTEXT = {"id": "count-by-context", "kind": "count", "unit": "units"}
_JOBS_BY_CONTEXT = {"id": "jobs-by-context", "kind": "jobs", "unit": "jobs"}
_EMPLOYED_AFTER = frozenset(("employed", "working", "work", "hired", "recruited", "employees"))
# words that may stand between "capacity" / "produce" and the number it counts
_FILLERS = frozenset(("of", "for", "to", "up", "about", "around", "approximately", "over", "more",
                      "than", "nearly", "some", "an", "a", "estimated", "least", "at", "total",
                      "annual", "annually", "yearly", "daily", "roughly", "almost", "as", "many"))


# ---------------------------------------------------------------------------------------------
# token access: only the tokens near an anchor are ever looked at


def plural(word: str) -> bool:
    """A rough English plural test for nouns that count things: 'bodies', 'trucks'; not 'bus'."""
    low = word.lower()
    return len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))


_FORMS_MEMO_LIMIT = 1 << 16  # word types remembered by a WordForms before it starts afresh


class WordForms(dict):
    """Word hash (spaCy's orth) -> (text, lowercase text), kept across documents.

    Why: a token's text read through spaCy is a new string each time (a lookup in the string
    store and a decode), and its lowercase form another; the same few hundred words (digits
    aside) stand near numbers in every text, so their two forms are made once per process and
    shared, hashes cached.
    """

    def forms(self, doc: Doc, j: int) -> tuple[str, str]:
        """The forms of token j of `doc`."""
        token = doc[j]
        found = self.get(token.orth)
        if found is None:
            if len(self) > _FORMS_MEMO_LIMIT:
                self.clear()
            text = token.text
            found = self[token.orth] = (text, text.lower())
        return found


class Tokens:
    """Lazy, cached views of a doc's tokens, skipping whitespace tokens when walking.

    Only the tokens near an anchor are ever looked at (a tenth of a text's tokens): each
    one's text and lowercase text are read once, when first asked, and kept. Why not a column
    of token hashes for the whole doc: it costs a Python int per token, more than these few reads.
    """

    __slots__ = ("doc", "n", "_texts", "_lowers", "_spaces", "_space_list", "period_positions", "_forms")

    def __init__(self, doc: Doc, spaces: Sequence[int] = (), period_positions: Sequence[int] = (),
                 forms: Optional[WordForms] = None) -> None:
        self.doc = doc
        self.n = len(doc)
        self._texts: list[Optional[str]] = [None] * self.n
        self._lowers: list[Optional[str]] = [None] * self.n
        self._space_list = sorted(spaces)  # whitespace tokens, in text order
        self._spaces = frozenset(spaces)
        self.period_positions = period_positions  # words ending a 'before' period ('annual')
        self._forms = WordForms() if forms is None else forms  # the analyser's, shared by its docs

    def text(self, j: int) -> str:
        if j < 0 or j >= self.n:
            return ""
        t = self._texts[j]
        if t is None:
            t = self._read(j)[0]
        return t

    def lower(self, j: int) -> str:
        if j < 0 or j >= self.n:
            return ""
        low = self._lowers[j]
        if low is None:
            low = self._read(j)[1]
        return low

    def _read(self, j: int) -> tuple[str, str]:
        """Token j's text and lowercase text, kept for the next ask."""
        text, low = self._forms.forms(self.doc, j)
        self._texts[j], self._lowers[j] = text, low
        return text, low

    def has_digit(self, j: int) -> bool:
        return _HAS_DIGIT.search(self.text(j)) is not None

    def trailing_space(self, j: int) -> bool:
        """True when token j is followed by a space character."""
        return 0 <= j < self.n and self.doc[j].whitespace_ == " "  # asked of few tokens

    def next(self, j: int) -> int:
        """The next non-space token index after j (self.n at the end)."""
        j += 1
        spaces = self._spaces
        while j in spaces:
            j += 1
        return j

    def prev(self, j: int) -> int:
        """The previous non-space token index before j (-1 at the start)."""
        j -= 1
        spaces = self._spaces
        while j in spaces:
            j -= 1
        return j

    def words_between(self, a: int, b: int) -> int:
        """How many non-space tokens stand in a..b-1."""
        spaces = self._space_list
        return (b - a) - (bisect_left(spaces, b) - bisect_left(spaces, a))


# ---------------------------------------------------------------------------------------------
# lexicons as tries over token texts


_EXACT_START, _LOWER_START = 1, 2  # Phrases.starts_of: a phrase may start in the exact / lowercase trie
_STARTS_MEMO_LIMIT = 1 << 15  # words remembered per table before its memo starts afresh


class Phrases:
    """Multi-token phrases, matched longest first, forwards or backwards, hyphens skipped.

    Case-sensitive forms ('t', 'MT', 'mu', 'RM') are keyed on their exact text, the others on
    lowercase text, so 'MLN DLRS' in a headline matches like 'mln dlrs'.
    """

    def __init__(self) -> None:
        self.exact: dict = {}
        self.lower: dict = {}
        self.exact_back: dict = {}
        self.lower_back: dict = {}
        # (exact texts, lowercase texts) a phrase can start with, forwards and backwards: a
        # one-word form also with a full stop glued on ('Mt.'); most tokens start none
        self.firsts: tuple[set[str], set[str]] = (set(), set())
        self.firsts_back: tuple[set[str], set[str]] = (set(), set())
        # word -> the tries (_STARTS bits) a phrase may start in from it, asked once per word
        self._starts: dict[str, int] = {}

    def add(self, words: list[str], entry: dict[str, Any], case: bool) -> None:
        """Add a form as the tokenizer splits it; callers add the unsplit form too ('Rs.')."""
        words = [w for w in words if w != _SKIP and not w.isspace()]
        if not words:
            return
        self._starts.clear()
        keys = words if case else [w.lower() for w in words]
        for trie, seq, firsts in ((self.exact if case else self.lower, keys, self.firsts),
                                  (self.exact_back if case else self.lower_back, list(reversed(keys)),
                                   self.firsts_back)):
            node = trie
            for key in seq:
                node = node.setdefault(key, {})
            node.setdefault("", entry)  # the first rule to claim a form keeps it
            first_keys = firsts[0] if case else firsts[1]
            first_keys.add(seq[0])
            if len(seq) == 1:
                first_keys.add(seq[0] + ".")  # "2 Mt." at a sentence end

    def starts_of(self, word: str) -> int:
        """Which tries a phrase may start in from `word`, as bits: exact and lowercase forwards
        (_EXACT_START, _LOWER_START), the same shifted by two backwards; kept per word."""
        if len(self._starts) > _STARTS_MEMO_LIMIT:
            self._starts.clear()
        low = word.lower()
        bits = ((word in self.firsts[0]) * _EXACT_START | (low in self.firsts[1]) * _LOWER_START
                | ((word in self.firsts_back[0]) * _EXACT_START | (low in self.firsts_back[1]) * _LOWER_START) << 2)
        self._starts[word] = bits
        return bits

    def match(self, toks: Tokens, j: int, *, backward: bool = False) -> Optional[tuple[dict, int]]:
        """The longest phrase starting at token j (ending at j when backward), and its far end.

        Returns (entry, index of the phrase's last token; its first token when backward).
        """
        first = toks.text(j)
        if first == _SKIP:
            j = toks.prev(j) if backward else toks.next(j)
            first = toks.text(j)
        starts = self._starts.get(first)
        if starts is None:
            starts = self.starts_of(first)
        if backward:
            starts >>= 2
        if not starts & 3:
            return None  # the common case: no phrase starts here
        return self.walk(toks, j, starts, backward)

    def walk(self, toks: Tokens, j: int, starts: int, backward: bool) -> Optional[tuple[dict, int]]:
        """`match` from token j through the tries `starts` names (_EXACT_START, _LOWER_START)."""
        tries = []
        if starts & _EXACT_START:
            tries.append((self.exact_back if backward else self.exact, toks.text))
        if starts & _LOWER_START:
            tries.append((self.lower_back if backward else self.lower, toks.lower))
        best: Optional[tuple[dict, int]] = None
        step = toks.prev if backward else toks.next
        for trie, key_of in tries:
            node, k = trie, j
            while 0 <= k < toks.n:
                key = key_of(k)
                if key == _SKIP:
                    k = step(k)
                    continue
                following = node.get(key)
                if following is None:
                    # "2 Mt." at a sentence end: the tokenizer keeps the full stop on the unit
                    if len(key) > 1 and key.endswith(".") and "" in node.get(key[:-1], {}):
                        if best is None or abs(k - j) > abs(best[1] - j):
                            best = (node[key[:-1]][""], k)
                    break
                node = following
                if "" in node:
                    if best is None or abs(k - j) > abs(best[1] - j):
                        best = (node[""], k)
                    if len(node) == 1:
                        break  # a form ends here and no longer one goes on
                k = step(k)
        return best


@dataclass
class Lexicon:
    """Every lexicon of the layer, built once per pipeline from the packaged and user rules."""

    units: Phrases = field(default_factory=Phrases)
    counted: Phrases = field(default_factory=Phrases)  # count and jobs nouns, after describing words
    currency_pre: Phrases = field(default_factory=Phrases)
    currency_post: Phrases = field(default_factory=Phrases)
    qualifier_pre: Phrases = field(default_factory=Phrases)
    qualifier_post: Phrases = field(default_factory=Phrases)
    period_after: Phrases = field(default_factory=Phrases)
    period_before: Phrases = field(default_factory=Phrases)
    glued: dict[str, dict[str, Any]] = field(default_factory=dict)  # marks glued to digits
    number_words: frozenset[str] = frozenset()
    label_words: frozenset[str] = frozenset()
    year_words: frozenset[str] = frozenset()
    exchanges: frozenset[str] = frozenset()
    connectors: frozenset[str] = frozenset()
    stop_words: frozenset[str] = frozenset()
    clause_breaks: frozenset[str] = frozenset()
    period_words: frozenset[str] = frozenset()  # last words of the 'before' period forms
    scale_words: frozenset[str] = frozenset()
    measure_nouns: frozenset[str] = frozenset()  # plural nouns that measure, never count ('ounces')  # every scale word, lowercase, weak ones included
    count_context: frozenset[str] = frozenset(
        ("capacity", "capacities", "produce", "produces", "producing", "produced", "production",
         "output", "make", "makes", "making", "manufacture", "manufactures", "manufacturing",
         "assemble", "assembles", "assembly", "build", "builds", "building", "ship", "ships")
    )


def _split(nlp: Language, form: str) -> list[str]:
    return [t.text for t in nlp.tokenizer(form)]


def _add_form(table: Phrases, nlp: Language, form: str, entry: dict[str, Any], case: bool) -> None:
    """A form as the tokenizer splits it alone, and whole when it is one word ('Rs.' in 'Rs.500')."""
    table.add(_split(nlp, form), entry, case)
    if " " not in form:
        table.add([form], entry, case)


def _add_unit(lex: Lexicon, nlp: Language, rule: dict[str, Any]) -> None:
    entry = {"type": "unit", **rule}
    table = lex.counted if rule["kind"] in ("count", "jobs") else lex.units
    for form in rule["forms"]:
        _add_form(table, nlp, form, entry, bool(rule.get("case")))
        if rule["kind"] in ("count", "jobs"):
            _add_form(lex.units, nlp, form, entry, bool(rule.get("case")))
        lex.glued.setdefault(form if rule.get("case") else form.lower(), entry)


def _add_currency(lex: Lexicon, nlp: Language, rule: dict[str, Any]) -> None:
    position = rule.get("position", "both")
    forms = rule["forms"]
    for form in forms:
        code = form if rule.get("code") == "*" else rule.get("code")
        entry = {"type": "currency", **rule, "code": code}
        case = bool(rule.get("case"))
        if position in ("pre", "both"):
            _add_form(lex.currency_pre, nlp, form, entry, case)
        if position in ("post", "both"):
            _add_form(lex.currency_post, nlp, form, entry, case)
        lex.glued.setdefault(form if case else form.lower(), entry)


def _add_phrases(table_pre: Phrases, table_post: Phrases, nlp: Language, rule: dict[str, Any],
                 pre: str) -> None:
    table = table_pre if rule.get("position") == pre else table_post
    for form in rule["forms"]:
        _add_form(table, nlp, form, dict(rule), False)


def build_lexicon(nlp: Language, extra_rules: Iterable[Rule] = ()) -> Lexicon:
    """The layer's lexicons: packaged rule files first, then the user's `extra_rules`.

    A user rule carries the keys of the packaged file of its kind, and its "kind" says which:
    "currency", "qualifier", "period", or for a unit its dimension as in `units.jsonl`, e.g.
    {"id": "my-unit", "layer": "quantities", "kind": "mass", "unit": "t", "forms": ["tonnage"]}.
    """
    lex = Lexicon()
    numbers = number_lexicon()
    for rule in unit_rules():
        _add_unit(lex, nlp, rule)
    for rule in packaged_rules("currencies.jsonl"):
        _add_currency(lex, nlp, rule)
    for rule in packaged_rules("qualifiers.jsonl"):
        _add_phrases(lex.qualifier_pre, lex.qualifier_post, nlp, rule, "pre")
    for rule in packaged_rules("periods.jsonl"):
        _add_phrases(lex.period_before, lex.period_after, nlp, rule, "before")
    for typed in extra_rules:
        rule = {k: v for k, v in typed.model_dump(exclude_unset=True).items() if k != "layer"}
        if isinstance(typed, UnitRule):
            _add_unit(lex, nlp, rule)
        elif isinstance(typed, CurrencyRule):
            _add_currency(lex, nlp, rule)
        elif isinstance(typed, QualifierRule):
            _add_phrases(lex.qualifier_pre, lex.qualifier_post, nlp, rule, "pre")
        else:
            _add_phrases(lex.period_before, lex.period_after, nlp, rule, "before")
    words = set(numbers["ones"]) | set(numbers["tens"]) | {"dozen", "half", "a", "an"}
    lex.number_words = frozenset(w for w in words if w not in ("a", "an", "half", "zero"))
    lex.label_words = frozenset(numbers["label_words"])
    lex.year_words = frozenset(numbers["year_words"])
    lex.exchanges = frozenset(numbers["exchanges"])
    lex.connectors = frozenset(numbers["range_connectors"])
    lex.stop_words = frozenset(numbers["stop_words"])
    lex.measure_nouns = frozenset(numbers.get("measure_nouns", ()))
    lex.clause_breaks = frozenset(numbers["clause_breaks"])
    lex.period_words = frozenset(k for k in lex.period_before.lower_back if k)
    lex.scale_words = frozenset(w.lower() for w in (*numbers["scales"], *numbers["weak_scales"]))
    return lex


# ---------------------------------------------------------------------------------------------
# reading one mention


@dataclass(slots=True)
class Mention:
    start: int
    end: int  # exclusive token index
    value: float
    value_max: Optional[float] = None
    unit: Optional[str] = None
    kind: Optional[str] = None
    per: Optional[str] = None
    qualifier: str = "exact"
    item: Optional[str] = None
    is_money: bool = False
    rule_id: str = ""
    choices: Optional[dict] = None  # an ambiguous currency mark's candidates
    per_other: Optional[str] = None  # a period outside the contract's: month, week, shift
    currency_bare: Optional[bool] = None  # '$' or 'dollars' alone: no country named


@dataclass(slots=True)
class Number:
    start: int
    end: int  # exclusive
    value: float
    digits: str = ""  # the digit string as written ("" for words)
    scaled: bool = False
    factor: float = 1.0  # what the scale word multiplied by
    weak: bool = False  # scaled by a single letter: needs a currency or a unit
    currency: Optional[dict] = None
    unit: Optional[dict] = None
    qualifier: Optional[str] = None
    plus: bool = False


@dataclass(slots=True)
class Reading:
    """What the reader has found so far around one anchor, step by step."""

    first: Number
    start: int  # the mention's first token (a currency mark before the number included)
    currency: Optional[dict] = None
    probe: Optional[tuple[dict, int]] = None  # a unit right after the first number, and its last token
    second: Optional[Number] = None  # the far end of a range
    unit: Optional[dict] = None
    end: int = 0  # exclusive
    number_end: int = 0  # end of the last number
    plus: bool = False  # "5,000+", "5,000-plus"
    extra: float = 0.0  # cents after a whole amount, in whole units
    item: Optional[str] = None


def mention_of(r: Reading) -> Mention:
    """The mention a finished reading states: money (by its currency) or a quantity (by its unit)."""
    first, currency = r.first, r.currency
    mention = Mention(min(r.start, first.start), r.end, first.value + r.extra)
    if r.second is not None:
        mention.value_max = r.second.value
        mention.qualifier = "range"
    factor = currency.get("factor", 1.0) if currency is not None else 1.0
    if factor != 1.0:  # "34 cents" is 0.34 dollars, "30 MUSD" 30 million
        mention.value *= factor
        if mention.value_max is not None:
            mention.value_max *= factor
    if currency is not None:
        mention.is_money = True
        mention.unit = currency.get("code")
        mention.choices = currency.get("choices")
        mention.currency_bare = bool(currency.get("bare"))
        mention.rule_id = f"quantities:{currency['id']}"
        mention.kind = "money"
    else:
        unit = r.unit
        mention.unit = unit["unit"]
        mention.kind = unit["kind"]
        mention.per = unit.get("per")
        mention.rule_id = f"quantities:{unit['id']}"
        mention.item = r.item
    return mention


class NumberReader:
    """Numbers at a token: digits and number words, scale words, marks glued to the digits,
    and the unit or currency word at a token. The first part of `Reader`."""

    def __init__(self, toks: Tokens, lex: Lexicon) -> None:
        self.t = toks
        self.lex = lex
        self._units: dict[int, Optional[tuple[dict, int]]] = {}
        self._european: Optional[bool] = None  # decided on first need: one scan of the text

    # -- numbers ------------------------------------------------------------------------------

    def glued_mark(self, mark: str) -> Optional[dict]:
        return self.lex.glued.get(mark) or self.lex.glued.get(mark.lower())

    def number(self, i: int) -> Optional[Number]:
        """The number (digits or words) at token i, with a scale word and glued marks."""
        t = self.t
        text = t.text(i)
        if (text.isascii() and text.isdigit()) or _HAS_DIGIT.search(text) is not None:
            if text.isdigit():  # the common case, no regex needed
                pre, digits, post = "", text, ""
            else:
                parts = split_glued(text)
                if parts is None:
                    return None
                pre, digits, post = parts
            end = i + 1
            # "940 000": groups of three separated by one space are one number
            while (end - i < 12 and len(digits) <= 3 + 3 * (end - i - 1) and digits.isdigit()
                   and not post and not pre):  # at most a few groups: cost stays linear
                gap = t.text(end) in _GROUP_GAPS and not t.trailing_space(end - 1)
                nxt = end + 1 if gap else end
                group = t.text(nxt)  # looked at first: asking for the space makes a Token object
                if len(group) != 3 or not _THREE.fullmatch(group) or not (gap or t.trailing_space(end - 1)):
                    break
                digits += t.text(nxt)
                end = nxt + 1
            if not digits.isdigit() and end > i + 1:
                return None
            value = float(digits) if digits.isascii() and digits.isdigit() else parse_digits(digits)
            if value is None:
                return None
            # merged groups ('1 800') are written as an amount, never as a year
            num = Number(i, end, value, digits if end == i + 1 else "")
            if pre and not self._glued_pre(num, pre):
                return None
            if post and not self._glued_post(num, post):
                return None
        else:
            words, k = [], i
            while k < t.n and len(words) < 5:
                words.append(t.text(k))
                k += 1
            parsed = parse_number_words(words)
            if parsed is None:
                return None
            value, used = parsed
            num = Number(i, i + used, value)
        if not num.scaled:
            self.scale(num)
        return num

    def _glued_pre(self, num: Number, pre: str) -> bool:
        mark = self.glued_mark(pre)
        if mark is not None and mark["type"] == "currency" and mark.get("position") in ("pre", "both"):
            num.currency = mark
            return True
        for sign, qualifier in (("~", "approx"), ("≈", "approx"), (">", "min"), ("≥", "min"),
                                ("<", "max"), ("≤", "max")):
            if pre == sign:
                num.qualifier = qualifier
                return True
        return False

    def _glued_post(self, num: Number, post: str) -> bool:
        if post == "+":
            num.plus = True
            return True
        mark = self.lex.glued.get(post) or self.lex.glued.get(post.lower())
        if mark is not None and mark["type"] == "unit" and mark["kind"] not in ("count", "jobs"):
            num.unit = mark
            return True
        value = scale_value(post, weak=True)
        if value is not None:
            num.value *= value
            num.scaled, num.factor = True, value
            num.weak = post in number_lexicon()["weak_scales"]
            return True
        if mark is not None and mark["type"] == "currency" and mark.get("position") in ("post", "both"):
            num.currency = mark
            return True
        return False

    def scale(self, num: Number) -> None:
        """Apply a scale word after the number: '15 billion', '2 mln', '1.2-trillion'."""
        t = self.t
        k = t.next(num.end - 1)
        text = t.text(k)  # "" past the end
        if text == _SKIP:
            k = t.next(k)
            text = t.text(k)
        if k >= t.n:
            return
        if len(text) > 1 and text.endswith("."):
            text = text[:-1]  # "$5m." at a sentence end
        if text.lower() not in self.lex.scale_words:
            return  # the common case: no scale word follows
        value = scale_value(text)
        weak = False
        if value is None:
            value = scale_value(text, weak=True)
            weak = value is not None
        if value is None:
            return
        if text.lower() == "hundred" and (num.value >= 100 or num.value != int(num.value)):
            return
        num.value *= value
        num.scaled, num.factor, num.weak, num.end = True, value, weak, k + 1
        dot = t.next(k)
        if t.text(dot) == "." and not t.trailing_space(k) and self.unit_at(t.next(dot)) is not None:
            num.end = dot + 1  # "1.500 Mio. EUR": the abbreviation's full stop, then the currency
        # "two hundred thousand", "1.5 thousand million"
        k2 = t.next(k)
        if k2 < t.n and t.lower(k2) in ("thousand", "million", "billion") and text.lower() in ("hundred", "thousand"):
            more = scale_value(t.text(k2)) or 1.0
            num.value *= more
            num.factor *= more
            num.end = k2 + 1

    # -- the whole mention --------------------------------------------------------------------

    def unit_at(self, k: int) -> Optional[tuple[dict, int]]:
        """The unit or post-currency starting at token k (hyphens skipped), and its last token."""
        if k not in self._units:
            self._units[k] = self._unit_at(k)
        return self._units[k]

    def _unit_at(self, k: int) -> Optional[tuple[dict, int]]:
        t = self.t
        if k < t.n and t.text(k) == _SKIP:
            k = t.next(k)
        if k >= t.n:
            return None
        if t.text(k) in _OPEN_BRACKETS:  # "20 (kg)", "20 [kg]": a unit in brackets
            inner = self._unit_at(t.next(k)) if t.text(t.next(k)) not in _OPEN_BRACKETS else None
            close = t.next(inner[1]) if inner is not None else t.n
            if inner is not None and t.text(close) == _OPEN_BRACKETS[t.text(k)]:
                return inner[0], close
            return None
        unit = self.lex.units.match(t, k)
        if unit is not None:
            unit = self._unless_next(unit)
        money = self.lex.currency_post.match(t, k)
        if money is not None:
            money = self._unless_next(money)
        if unit and money:
            return unit if unit[1] >= money[1] else money
        return unit or money

    def _unless_next(self, hit: Optional[tuple[dict, int]]) -> Optional[tuple[dict, int]]:
        """No unit where a word its rule names follows: 'pounds of steel', 'percentage points'."""
        if hit is None or not hit[0].get("not_before"):
            return hit
        return None if self.t.lower(self.t.next(hit[1])) in hit[0]["not_before"] else hit

class AmountReader(NumberReader):
    """A number with its currency, range, unit and money tails. The second part of `Reader`."""

    t: Tokens
    lex: Lexicon

    def read(self, i: int) -> Optional[Mention]:
        """The mention around anchor token i: number, currency, range, unit or counted noun,
        then guards, qualifier and period; None where the number is no quantity."""
        i = self.scale_anchor(i)
        first = self.number(i) if i is not None else None
        if first is None:
            return None
        r = self.currency_before(first, i)
        if not self.read_range(r):
            return None
        self.unit_after(r)
        self.money_tail(r)
        if r.currency is None and r.unit is None:
            r.unit, r.end, r.item = self.counted_noun(r.start, r.end)
            if r.unit is None and r.second is None:
                r.unit, r.end = self.borrowed_noun(r.end)
        if r.currency is None and r.unit is None:
            return None
        if r.unit is not None and r.unit.get("kind") == "count" and r.item is None and r.currency is None:
            r.item = self.noun_item(r.unit, r.number_end, r.end)
        if self.thousands_dot(first, r.unit):
            first.value *= 1000  # "200.000 vehicles": a dot between thousands
        mention = mention_of(r)
        money_before = r.currency is not None and r.start < first.start or first.currency is not None
        if not self.allowed(mention, first, r.unit, r.number_end, money_before):
            return None
        self.qualify(mention, first, r.plus)
        self.period_and_item(mention)
        self.minus_sign(mention)
        return mention

    def scale_anchor(self, i: int) -> Optional[int]:
        """Where a mention anchored on a scale word starts: 'a million tonnes', 'half a
        million', 'a dozen plants', 'a quarter million', 'three quarters billion'; None where
        no number word stands before the scale word."""
        t = self.t
        if t.lower(i) not in _SCALE_ANCHORS:
            return i
        k = t.prev(i)
        low = t.lower(k)
        if low in ("quarter", "quarters"):
            j = t.prev(k)
            j = t.prev(j) if t.text(j) == _SKIP else j
            if t.lower(j) not in ("a", "an", "one") and t.lower(j) not in self.lex.number_words:
                return None
            return j
        if low == "half":
            return k
        if low not in ("a", "an"):
            return None
        return t.prev(k) if t.lower(t.prev(k)) == "half" else k

    def currency_before(self, first: Number, i: int) -> Reading:
        """The reading of a number and the currency mark glued to it or standing before it."""
        r = Reading(first=first, start=first.start, currency=first.currency)
        if r.currency is None:
            back = self.lex.currency_pre.match(self.t, self.t.prev(i), backward=True)
            if back is not None:
                r.currency, r.start = back[0], back[1]
        return r

    def second_number(self, r: Reading) -> tuple[Optional[Number], int]:
        """The number after a range connector ('to', '-', 'and' after 'between'), and the
        connector's token; also notes in `r.probe` a unit right after the first number
        ('15% - 20%', '$1 billion to $2 billion')."""
        t, lex, first = self.t, self.lex, r.first
        after = first.end
        k = t.next(after - 1)
        if first.unit is None and first.currency is None and after < t.n:
            r.probe = self.unit_at(k)
        probe = r.probe
        if probe is not None and probe[0]["type"] == "unit" and probe[0]["kind"] not in ("count", "jobs"):
            k = t.next(probe[1])
        if k >= t.n:
            return None, after
        conn = t.lower(k)
        if not (conn in lex.connectors or (conn == "and" and t.lower(t.prev(r.start)) == "between")):
            return None, after
        m = t.next(k)
        if m >= t.n:
            return None, after
        cur2 = lex.currency_pre.match(t, m)
        if cur2 is not None and r.currency is not None:
            m = t.next(cur2[1])
        if m < t.n and (t.has_digit(m) or t.lower(m) in lex.number_words):
            return self.number(m), k
        return None, after

    def read_range(self, r: Reading) -> bool:
        """Settle the range's far end, the number's end and a unit glued to the numbers;
        False where the two numbers are years ('2020-2025') or a phone number."""
        t, first = self.t, r.first
        second, connector_end = self.second_number(r)
        if second is not None:
            if is_year_like(first.digits) and (len(second.digits) in (2, 4)):
                return False  # "2012-13", "2020-2025": years, not a range
            tail = t.next(second.end - 1)
            if tail < t.n and t.text(tail) in ("-", "–") and t.has_digit(t.next(tail)):
                return False  # "416-214-2250": a phone number
            if t.lower(connector_end) in ("or", "to", "through") and second.value < first.value and not second.scaled:
                second = None
            elif not self.same_kind(first, r.probe, second, r.currency):
                second = None  # "rose 14 pct to 9.8 mln dlrs": two amounts, not a range
        r.second = second
        if second is None:
            r.end = r.number_end = first.end
            r.unit = first.unit
            r.plus = first.plus
            return True
        if second.scaled and not first.scaled and r.probe is None:
            first.value *= second.factor
            first.weak = second.weak
        r.end = r.number_end = second.end
        r.unit = second.unit or (first.unit if second.unit is None else None)
        r.currency = r.currency or second.currency or first.currency
        r.plus = first.plus or second.plus
        return True

    def unit_after(self, r: Reading) -> None:
        """The unit or currency word after the numbers ('40 hectares', '5 million euros')."""
        if r.unit is not None:
            return
        t = self.t
        k = t.next(r.end - 1)
        if k < t.n and t.text(k) == "+":
            r.plus, r.end = True, k + 1
            k = t.next(k)
        hit = self.unit_at(k)
        if hit is None:
            return
        entry, last = hit
        currency = r.currency
        if entry["type"] == "currency":
            if currency is None or entry.get("code") == currency.get("code") or currency.get("code") is None:
                r.currency = entry if currency is None or currency.get("code") is None else currency
                r.end = last + 1
        elif self.context_ok(entry, r.start, last):
            r.unit = entry
            r.end = last + 1

    def money_tail(self, r: Reading) -> None:
        """What may follow an amount of money: a scale word after the code ('75 USD
        million'), cents ('3 dollars 50 cents'), or the mark between whole and cents
        ('10 $ 30 cent')."""
        if r.unit is not None:
            return
        first = r.first
        if r.currency is None:
            split = self.split_amount(r.end)
            if split is not None:
                r.currency, r.extra, r.end = split
            return
        if r.currency.get("factor", 1.0) != 1.0 or first.scaled or r.second is not None:
            return
        t = self.t
        k = t.next(r.end - 1)
        scale = scale_value(t.text(k)) if t.lower(k) in self.lex.scale_words else None
        if scale is not None and scale > 100:
            first.value *= scale
            first.scaled, r.end = True, k + 1
            return
        tail = self.cents_tail(r.end)
        if tail is not None:
            r.extra, r.end = tail

    def minus_sign(self, m: Mention) -> None:
        """'minus five percent', 'negative 3 million dollars': the word makes the value negative."""
        t = self.t
        sign = t.prev(m.start)
        if t.lower(sign) in _MINUS_WORDS and m.kind in ("percent", "money"):
            m.value, m.start = -m.value, sign
            if m.value_max is not None:
                m.value_max = -m.value_max

    def cents_tail(self, end: int) -> Optional[tuple[float, int]]:
        """The cents after a whole amount ('3 dollars 50 cents', '13 dollars and 45 cents'):
        their value in whole units and the end of the mention, else None."""
        t = self.t
        k = t.next(end - 1)
        if t.lower(k) == "and":
            k = t.next(k)
        if k >= t.n or not (t.has_digit(k) or t.lower(k) in self.lex.number_words):
            return None
        cents = self.number(k)
        if cents is None or cents.scaled or cents.currency is not None or cents.unit is not None:
            return None
        mark = self.lex.currency_post.match(t, t.next(cents.end - 1))
        if mark is None or mark[0].get("factor") != 0.01 or cents.value >= 100:
            return None
        return cents.value * 0.01, mark[1] + 1

    def split_amount(self, end: int) -> Optional[tuple[dict, float, int]]:
        """'10 $ 30 cent': the mark between the whole and the cents; (currency, cents in whole
        units, end of the mention), else None."""
        t = self.t
        k = t.next(end - 1)
        mark = self.lex.currency_pre.match(t, k) if k < t.n else None
        if mark is None:
            return None
        tail = self.cents_tail(mark[1] + 1)
        if tail is None:
            return None
        return mark[0], tail[0], tail[1]

    def thousands_dot(self, num: Number, unit: Optional[dict]) -> bool:
        """Whether '200.000' is two hundred thousand: one dot before three digits, counting whole
        things ('200.000 vehicles'), or anywhere in a text that writes numbers European-style
        ('1.234,5', '3,5 %', '1.200.000')."""
        if "." not in num.digits or _DOT_THOUSANDS.fullmatch(num.digits) is None:
            return False
        if unit is not None and unit.get("kind") in ("count", "jobs") and not num.scaled:
            return True
        if self._european is None:
            self._european = _EUROPEAN_STYLE.search(document_text(self.t.doc)) is not None
        return self._european

    def same_kind(self, first: Number, probe: Optional[tuple[dict, int]], second: Number,
                  currency: Optional[dict]) -> bool:
        """True when both ends of a range measure the same thing (same unit or same money)."""
        t = self.t
        after = self.unit_at(t.next(second.end - 1)) if second.unit is None else (second.unit, second.end - 1)
        unit_one = probe[0] if probe is not None else first.unit
        money_two = second.currency is not None or (after is not None and after[0]["type"] == "currency")
        if unit_one is not None and unit_one.get("type") == "unit":
            if money_two:
                return False
            if after is not None and after[0].get("unit") != unit_one.get("unit"):
                return False
        if currency is not None and after is not None and after[0]["type"] == "unit":
            return False
        return True

class NounReader:
    """What a bare number counts: a counted noun, a plural in context, people. The third part
    of `Reader`."""

    t: Tokens
    lex: Lexicon

    def counted_noun(self, start: int, end: int) -> tuple[Optional[dict], int, Optional[str]]:
        """A count or jobs noun after a few describing words: '500 new jobs', '200,000 smart
        rings'; or a plural noun or a workforce word the context makes a count.

        Returns (unit entry, end of the mention, counted item) or (None, end, None).
        """
        t = self.t
        k = t.next(end - 1)
        if t.text(k) == _SKIP:  # "a 300,000-vehicle plant"
            k = t.next(k)
        found = self.noun_after_modifiers(start, k)
        if found is None:
            found = self.plural_in_context(start, k)
        if found is not None:
            return found
        if self.counts_people(start, k):
            return _JOBS_BY_CONTEXT, end, None
        return None, end, None

    def noun_after_modifiers(self, start: int, first_word: int) -> Optional[tuple[dict, int, Optional[str]]]:
        """A counted noun of the lexicon after at most a few describing words, a model code
        or a coordination ('8,000 passenger and light truck tires')."""
        t, lex = self.t, self.lex
        k = first_word
        budget = _MAX_MODIFIERS + 1
        while budget > 0:
            budget -= 1
            if k >= t.n:
                break
            hit = lex.counted.match(t, k)
            if hit is not None:
                entry, last = hit
                if self.context_ok(entry, start, last):
                    item = None
                    if entry["kind"] == "count":
                        item = self.span_text(first_word, last + 1)
                        if entry.get("generic") and k == first_word:
                            item = None
                    return entry, last + 1, item
            text = t.text(k)
            if text == _SKIP:  # "full-time": the hyphen is not a describing word of its own
                budget += 1
                k = t.next(k)
                continue
            if (text == "," and k != first_word and t.text(t.next(k)).isalpha()
                    and not plural(t.text(t.prev(k)))):
                # "400 permanent, full-time jobs": a comma between two describing words is none
                budget += 1
                k = t.next(k)
                continue
            if (text.lower() in ("and", "or") and k != first_word and t.text(t.next(k)).isalpha()
                    and not plural(t.text(t.prev(k)))):
                # "8,000 passenger and light truck tires"; but not "500 firms and jobs"
                budget += 2
                k = t.next(k)
                continue
            if _MODEL_CODE.fullmatch(text) and k == first_word:
                k = t.next(k)  # "25 VX4 aircraft", "300 A320 jets": a model code describes the noun
                continue
            if (not text.isalpha() or text.lower() in lex.stop_words
                    or text.lower() in lex.number_words):
                break
            k = t.next(k)
        return None

    def plural_in_context(self, start: int, first_word: int) -> Optional[tuple[dict, int, str]]:
        """A plural noun after 'capacity of' / 'produce', or before a period: 'capacity of
        300,000 vehicles', '40,000 vans a year'; never a measure ('50,000 ounces of gold')."""
        t, lex = self.t, self.lex
        if not (self.stands_after(start, lex.count_context) or self.counted_per_period(first_word)):
            return None
        k = first_word
        last = None
        for _ in range(5):
            if k >= t.n:
                break
            text = t.text(k)
            if text.lower() in ("and", "or") and last is not None and not plural(t.text(last)):
                k = t.next(k)  # "6,000 bus and coach bodies"
                continue
            if not text.isalpha() or text.lower() in lex.stop_words or text.lower() in lex.number_words:
                break
            last = k
            if plural(text) and text.islower():
                break
            k = t.next(k)
        if (last is not None and plural(t.text(last)) and t.text(last).islower()
                and t.lower(last) not in lex.measure_nouns):
            return _COUNT_BY_CONTEXT, last + 1, self.span_text(first_word, last + 1)
        return None

    def counts_people(self, start: int, first_word: int) -> bool:
        """'a workforce of 800', 'Jobs: 2,000', 'will employ 800 at the site': the number
        counts people though no noun follows it."""
        t, lex = self.t, self.lex
        after = t.lower(first_word)
        bare = not after.isalpha() or after in lex.stop_words
        before = t.prev(start)
        bound = lex.qualifier_pre.match(t, before, backward=True)
        if bound is not None:  # "Employees: approx. 700"
            before = t.prev(bound[1])
        return (self.stands_after(start, _WORKFORCE)
                or (bare and self.stands_after(start, _HIRE_VERBS))
                or (t.text(before) == ":" and t.lower(t.prev(before)) in _JOB_LABELS))

    def counted_per_period(self, k: int) -> bool:
        """Whether a plural noun, after at most one describing word, and then a period follow:
        '40,000 vans a year', '250,000 heat pumps a year', '5,000 electric buses a year'."""
        t, stop_words = self.t, self.lex.stop_words
        word = t.text(k)
        if not (word.isalpha() and word.islower()) or word in stop_words:
            return False
        if not plural(word):  # one describing word, then the plural noun
            k = t.next(k)
            word = t.text(k)
            if not (word.isalpha() and word.islower() and plural(word)) or word in stop_words:
                return False
        return self.lex.period_after.match(t, t.next(k)) is not None

    def borrowed_noun(self, end: int) -> tuple[Optional[dict], int]:
        """The counted noun of the next number in '1,000 direct and 3,000 indirect jobs'.

        Returns (entry, end of this number's describing words) or (None, end).
        """
        t, lex = self.t, self.lex
        k, last = t.next(end - 1), end - 1
        for _ in range(2):
            if t.text(k).isalpha() and t.lower(k) not in lex.stop_words and t.lower(k) not in ("and", "or"):
                last, k = k, t.next(k)
        if t.lower(k) not in ("and", "or"):
            return None, end
        m = t.next(k)
        if not (t.has_digit(m) or t.lower(m) in lex.number_words):
            return None, end
        other = self.number(m)
        if other is None or other.unit is not None or other.currency is not None:
            return None, end
        entry, _, _ = self.counted_noun(m, other.end)
        if entry is None or entry.get("kind") not in ("jobs", "count"):
            return None, end
        return entry, last + 1

    def noun_item(self, entry: dict, number_end: int, end: int) -> Optional[str]:
        if entry["kind"] != "count" or entry.get("generic"):
            return None
        first = self.t.next(number_end - 1)
        if self.t.text(first) == _SKIP:
            first = self.t.next(first)
        return self.span_text(first, end) if first < end else None

    def context_ok(self, entry: dict, start: int, last: Optional[int] = None) -> bool:
        """True when a noun that counts jobs only in context ('people') has that context:
        a hiring word a few tokens before, or 'employed' / 'working' right after."""
        words = entry.get("context")
        if not words:
            return True
        if self.left_has(start, frozenset(words)):
            return True
        if last is None:
            return False
        # "people employed", "people are to be employed", "people will work there"
        t, k = self.t, self.t.next(last)
        for _ in range(4):
            low = t.lower(k)
            if low in _EMPLOYED_AFTER:
                return True
            if low not in _BE_WORDS:
                return False
            k = t.next(k)
        return False

    def left_has(self, start: int, words: frozenset[str], reach: int = _LOOK_LEFT) -> bool:
        """True when one of `words` stands a few tokens before `start`, in the same clause."""
        t, k = self.t, self.t.prev(start)
        for _ in range(reach):
            if k < 0:
                return False
            low = t.lower(k)
            if low in words:
                return True
            if low in (".", ";", "!", "?") or t.has_digit(k):
                return False
            k = t.prev(k)
        return False

    def stands_after(self, start: int, words: frozenset[str]) -> bool:
        """True when the first content word before `start` is one of `words`.

        'a capacity of up to 300,000 X' and 'produce two billion X' qualify; 'particles
        averaging 18 X' does not, though 'produces' is near.
        """
        t, k = self.t, self.t.prev(start)
        for _ in range(_LOOK_LEFT):
            if k < 0:
                return False
            low = t.lower(k)
            if low in words:
                return True
            if low not in _FILLERS:
                return False
            k = t.prev(k)
        return False

    def span_text(self, a: int, b: int) -> str:
        return self.t.doc[a:b].text

    # -- guards, qualifiers, periods ----------------------------------------------------------

class GuardReader:
    """Guards against labels, years and names, then the qualifier and period around a
    mention. The last part of `Reader`."""

    t: Tokens
    lex: Lexicon

    def allowed(self, m: Mention, first: Number, unit: Optional[dict], number_end: int,
                money_before: bool) -> bool:
        """False for numbers that are labels, years, tickers or list numbering."""
        t, lex = self.t, self.lex
        before = t.prev(m.start)
        low = t.lower(before)
        year = bool(first.digits) and is_year_like(first.digits) and not first.scaled
        if m.is_money:
            if year and not money_before:
                return False  # "2025 marks the start": a year, not Deutsche marks
        elif first.digits:
            if low in lex.label_words and "," not in first.digits and "." not in first.digits:
                return False
            if year:
                if m.kind in ("duration", "count", "jobs", "percent"):
                    return False
                if low in lex.year_words and (low not in ("of", "from", "through") or t.lower(t.prev(before)) in lex.year_words):
                    return False
        if low == ":" and t.lower(t.prev(before)) in lex.exchanges:
            return False
        if m.kind == "count" and self.model_name(before):
            return False  # "Boeing 787 aircraft", "Model 3 cars": a name, not a count
        if m.kind == "duration" and (m.value <= 0 or m.value > 200):
            return False
        return True

    def model_name(self, before: int) -> bool:
        """True when a capitalised name stands right before the number (not a sentence start,
        not a bounding word such as 'Over')."""
        t = self.t
        text = t.text(before)
        if not (text[:1].isupper() and text.isalpha()) or text.isupper() and len(text) <= 3:
            return False
        ahead = t.prev(before)
        if ahead < 0 or t.text(ahead) in (".", "!", "?", ":", ";", "\"", "“", "(") :
            return False
        return self.lex.qualifier_pre.match(t, before, backward=True) is None

    def qualify(self, m: Mention, first: Number, plus: bool) -> None:
        t, lex = self.t, self.lex
        k = t.next(first.end - 1)
        if t.text(k) == _SKIP and t.lower(t.next(k)) == "plus":  # "5,000-plus jobs"
            plus = True
        if m.qualifier != "range":
            if first.qualifier:
                m.qualifier = first.qualifier
            if plus:
                m.qualifier = "min"
        k = t.prev(m.start)
        if m.qualifier == "range" and t.lower(k) in ("between", "from"):
            m.start, k = k, t.prev(k)
        hit = lex.qualifier_pre.match(t, k, backward=True)
        if hit is not None and m.qualifier != "range":
            m.qualifier = hit[0]["qualifier"]
            m.start = hit[1]
            # "up to about": the outer word bounds the number
            outer = lex.qualifier_pre.match(t, t.prev(hit[1]), backward=True)
            if outer is not None:
                m.qualifier, m.start = outer[0]["qualifier"], outer[1]
        hit = lex.qualifier_post.match(t, t.next(m.end - 1)) if m.end < t.n else None
        if hit is not None and m.qualifier == "exact":
            m.qualifier = hit[0]["qualifier"]
            m.end = hit[1] + 1

    def period_and_item(self, m: Mention) -> None:
        """The period after the unit ('a year'), an 'of ...' item, a period after the item."""
        t, lex = self.t, self.lex
        k = t.next(m.end - 1) if m.end < t.n else t.n
        hit = lex.period_after.match(t, k) if k < t.n else None
        if hit is not None and m.kind != "duration":
            self.set_per(m, hit[0]["per"])
            m.end = hit[1] + 1
            k = t.next(hit[1])
        if (m.kind not in ("money", "percent", "duration", "jobs") and k < t.n and t.lower(k) == "of"):
            rate = lex.period_before.match(t, t.next(k))  # "30 GWh of annual capacity"
            if rate is not None and m.per is None:
                self.set_per(m, rate[0]["per"])
            item_end = None if rate is not None else self.item_after(t.next(k))
            if item_end is not None:
                a = t.next(k)
                if m.item is None:
                    m.item = self.span_text(a, item_end)
                after = t.next(item_end - 1)
                hit = lex.period_after.match(t, after) if after < t.n else None
                if hit is not None and m.per is None:
                    self.set_per(m, hit[0]["per"])
        if m.per is None and m.kind not in ("duration", "percent"):
            per = self.period_before(m.start)
            if per is not None:
                self.set_per(m, per)

    @staticmethod
    def set_per(m: Mention, per: str) -> None:
        if per in CONTRACT_PERIODS:
            m.per = per
        else:
            m.per_other = per

    def item_after(self, a: int) -> Optional[int]:
        t, lex = self.t, self.lex
        k, last = a, None
        for _ in range(_MAX_ITEM):
            if k >= t.n:
                break
            text = t.text(k)
            low = text.lower()
            if low in lex.stop_words or low in lex.clause_breaks or low in ("a", "an", "per"):
                break
            if not any(c.isalnum() for c in text) and text != "-":
                break
            if lex.period_after.match(t, k) is not None:
                break
            last = k
            k = t.next(k)
        return None if last is None else last + 1

    def period_before(self, start: int) -> Optional[str]:
        """The period a word before the number states ('annual capacity of 30 GWh'), else None.

        Most numbers have no period word within reach: the doc's index of period words says
        so without reading the words before the number.
        """
        if not self.period_word_within(start, _LOOK_LEFT):
            return None
        return self.period_before_walk(start)

    def period_word_within(self, start: int, reach: int) -> bool:
        """True when a period word stands among the `reach` non-space tokens before `start`."""
        t = self.t
        positions = t.period_positions
        k = bisect_left(positions, start)
        return k > 0 and t.words_between(positions[k - 1], start) <= reach

    def period_before_walk(self, start: int) -> Optional[str]:
        """`period_before` read word by word leftwards, up to a clause break or a number."""
        t, lex = self.t, self.lex
        k = t.prev(start)
        for _ in range(_LOOK_LEFT):
            if k < 0:
                return None
            low = t.lower(k)
            if low in lex.period_words:
                hit = lex.period_before.match(t, k, backward=True)
                if hit is not None:
                    return hit[0]["per"]
            if low in lex.clause_breaks or t.has_digit(k):
                return None
            k = t.prev(k)
        return None


class Reader(AmountReader, NounReader, GuardReader):
    """Reads the mention around one anchor token; one Reader serves one doc."""


# ---------------------------------------------------------------------------------------------
# the component


# what a word is to the layer, one bit each (see WordClasses)
ANCHOR, TRIGGER, CONTEXT, SPACE, PERIOD = 1, 2, 4, 8, 16
_CLASS_MEMO_LIMIT = 1 << 16  # word types remembered per analyser before the memo starts afresh


@dataclass(slots=True)
class DocIndex:
    """A doc's notable tokens by class, in text order."""

    anchors: list[int] = field(default_factory=list)
    triggers: list[int] = field(default_factory=list)
    contexts: list[int] = field(default_factory=list)
    spaces: list[int] = field(default_factory=list)
    periods: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class NotableWords:
    """The words of `WordClasses`' classes; called, the lexeme flag getter: is a word of any?

    A frozen value, so that a layer rebuilt with the same rules finds its flag again
    (`flags.lexeme_flag`).
    """

    number_words: frozenset[str]
    triggers: frozenset[str]
    context: frozenset[str]
    period_words: frozenset[str]

    def classes(self, text: str) -> int:
        """The class bits of one word."""
        low = text.lower()
        bits = 0
        if _HAS_DIGIT.search(text) is not None or low in self.number_words:
            bits |= ANCHOR
        # '30m3', '550W': a unit glued after the digits; 'SG18', 'Q4' are names, not units
        if low in self.triggers or (text[:1].isdigit() and any(c.isalpha() for c in text)):
            bits |= TRIGGER
        if low in self.context:
            bits |= CONTEXT
        if text.isspace():
            bits |= SPACE
        if low in self.period_words:
            bits |= PERIOD
        return bits

    def __call__(self, text: str) -> bool:
        return self.classes(text) != 0


class WordClasses:
    """What a word is to this layer, as bits: ANCHOR (holds a digit, or is a number word),
    TRIGGER (a unit, currency or scale word, or digits with a unit glued on: '30m3'), CONTEXT
    (a word after which a bare number counts things: 'capacity'), SPACE (whitespace), PERIOD
    (the last word of a period standing before a number: 'annual').

    Why this shape: one lexeme flag (set by spaCy once per word type) marks the words of any
    class, so a doc's notable tokens cost one `to_array` column; only those few tokens are then
    sorted into classes, through a memo keyed by the word's hash that this analyser owns.
    """

    def __init__(self, nlp: Language, lex: Lexicon) -> None:
        self.words = NotableWords(
            number_words=frozenset(lex.number_words | {"dozen", "half", "hundred", "thousand", "million",
                                                       "billion", "trillion"}),
            triggers=frozenset(trigger_words(lex)), context=frozenset(context_words(lex)),
            period_words=frozenset(lex.period_words))
        self.memo: dict[int, int] = {}
        self.forms = WordForms()  # the texts of the words read near numbers, for every doc
        self.notable = lexeme_flag(nlp.vocab, self.words)

    def of(self, text: str) -> int:
        """The class bits of one word."""
        return self.words.classes(text)

    def index(self, doc: Doc) -> DocIndex:
        """The doc's notable tokens by class: one `to_array` call, then only those tokens."""
        index = DocIndex()
        memo = self.memo
        if len(memo) > _CLASS_MEMO_LIMIT:
            memo.clear()
        by_class = {ANCHOR: index.anchors, TRIGGER: index.triggers, CONTEXT: index.contexts,
                    SPACE: index.spaces, PERIOD: index.periods}
        for j in np.flatnonzero(doc.to_array(self.notable)).tolist():
            token = doc[j]
            bits = memo.get(token.orth)
            if bits is None:
                bits = memo[token.orth] = self.of(token.text)
            found = by_class.get(bits)
            if found is not None:  # most words are of one class
                found.append(j)
                continue
            for bit, found in by_class.items():
                if bits & bit:
                    found.append(j)
        return index


def anchors_to_read(index: DocIndex) -> list[int]:
    """Token indices worth reading, in text order: digits or number words with a unit,
    currency or scale word near (up to 3 tokens before, 6 after), or a counting cue at most
    3 tokens before."""
    triggers, contexts = index.triggers, index.contexts
    n_triggers, n_contexts = len(triggers), len(contexts)
    todo = []
    for i in index.anchors:
        k = bisect_left(triggers, i - _TRIGGER_BEFORE)  # a negative bound finds the first alike
        if k < n_triggers and triggers[k] <= i + _TRIGGER_AFTER:
            todo.append(i)
            continue
        k = bisect_left(contexts, i - 3)
        if k < n_contexts and contexts[k] < i:
            todo.append(i)
    return todo


def context_words(lex: Lexicon) -> set[str]:
    """Words that let a number count things with no unit word near: 'capacity of 800 X'."""
    return set(lex.count_context | _WORKFORCE | _HIRE_VERBS | _JOB_LABELS | {":"})


def trigger_words(lex: Lexicon) -> set[str]:
    """Lowercase words one of which stands near every number the reader could accept.

    The last word of each unit or currency form ('feet' of 'square feet', 'dollars' of
    'Canadian dollars'), the first word of each currency mark before a number ('Rs' of 'Rs .'),
    and every one-word form; not the common first words ('new', 'us', 'per') that would send
    the reader to every number near them.
    """
    words: set[str] = set()

    def useful(key: str, whole: bool) -> bool:
        return bool(key) and (whole or (len(key) > 1 and any(c.isalnum() for c in key)))

    for table in (lex.units, lex.counted, lex.currency_post, lex.currency_pre):
        for trie in (table.exact_back, table.lower_back):
            words.update(k.lower() for k, node in trie.items() if useful(k, "" in node))
        for trie in (table.exact, table.lower):
            words.update(k.lower() for k, node in trie.items() if k and "" in node)
    for trie in (lex.currency_pre.exact, lex.currency_pre.lower):
        words.update(k.lower() for k in trie if useful(k, False))
    numbers = number_lexicon()
    words.update([w + "." for w in words])  # "2 Mt." at a sentence end
    words.update(k.lower() for k in numbers["scales"])
    words.update(k.lower() for k in numbers["weak_scales"])
    return words


def resolve_choices(doc: Doc, mentions: list[Mention]) -> None:
    """Decide marks such as '¥' (yen or yuan) from the dateline's country or the words around."""
    pending = [m for m in mentions if m.choices]
    if not pending:
        return
    country = None
    for dateline in mentions_of(doc, DatelineMention):
        country = (dateline.country or "").lower() or country
    text = document_text(doc)
    lower = text.lower()
    seen: dict[str, bool] = {}  # each word searched once per doc, not once per ambiguous mark

    def in_text(word: str) -> bool:
        found = seen.get(word)
        if found is None:
            found = seen[word] = re.search(rf"\b{re.escape(word)}\b", lower) is not None
        return found

    for m in pending:
        scores = {}
        for code, words in m.choices.items():
            scores[code] = sum(1 for w in words if country == w) * 100 + sum(1 for w in words if in_text(w))
        best = sorted(scores.items(), key=lambda kv: -kv[1])
        if best and best[0][1] > 0 and (len(best) == 1 or best[0][1] > best[1][1]):
            m.unit = best[0][0]
        else:
            m.unit = next(iter(m.choices))
            add_warning(doc, f"currency mark of {text[doc[m.start].idx:doc[m.end - 1].idx + len(doc[m.end - 1].text)]!r} "
                             f"is ambiguous ({', '.join(m.choices)}); read as {m.unit}")


def share_periods(toks: Tokens, mentions: list[Mention], lex: Lexicon) -> None:
    """Coordinated amounts share a period: '26,000 tonnes of X and 19,000 tonnes of Y a year'."""
    for a, b in zip(mentions, mentions[1:]):
        if a.kind != b.kind or a.kind in ("money", "percent", "duration") or (a.per is None) == (b.per is None):
            continue
        if a.per_other or b.per_other:
            continue  # "1.2m wafers a month and 30,000 sets a year" keep their own periods
        if b.start - a.end > 8:
            continue
        between = {toks.lower(k) for k in range(a.end, b.start)}
        if between & {".", ";", "!", "?", "while", "but", "whereas"}:
            continue
        if between & {"and", "or", ",", "plus"}:
            a.per = b.per = a.per or b.per


def find_mentions(doc: Doc, lex: Lexicon, classes: WordClasses) -> list[QuantityMention]:
    """Every quantity mention of the doc, in text order, none overlapping."""
    if not len(doc):
        return []
    index = classes.index(doc)
    todo = anchors_to_read(index)
    if not todo:
        return []
    toks = Tokens(doc, index.spaces, index.periods, classes.forms)
    reader = Reader(toks, lex)
    mentions: list[Mention] = []
    done = -1
    for i in todo:
        if i <= done:
            continue
        try:
            m = reader.read(i)
        except Exception as exc:  # one odd mention must not cost the document its other facts
            add_warning(doc, f"quantities: token {i} skipped ({type(exc).__name__}: {exc})")
            m = None
        if m is None or not isfinite(m.value):
            continue
        if mentions and m.start <= mentions[-1].end - 1:
            m.start = mentions[-1].end
            if m.start > i:
                continue
        mentions.append(m)
        done = m.end - 1
    share_periods(toks, mentions, lex)
    resolve_choices(doc, mentions)
    return typed_mentions(toks, mentions)


_TIDY_WHOLE_BELOW = 1e12  # a whole number below this has at most twelve digits: tidy already


def tidy(value: float) -> float:
    """The value without binary noise from scaling: 8.2 * 1e9 is 8200000000.0, not ...999.99.

    Most amounts are whole numbers of at most twelve digits ('500', '3000000000'), which twelve
    significant digits print as they are: those skip the formatting.
    """
    value = float(value)
    if value.is_integer() and -_TIDY_WHOLE_BELOW < value < _TIDY_WHOLE_BELOW:
        return value
    return float(f"{value:.12g}")


def typed_mentions(toks: Tokens, mentions: list[Mention]) -> list[QuantityMention]:
    """The mentions as the layer hands them on: values tidied, character offsets, and the
    amount in its dimension's base unit (so '60 GWh' compares with '60,000 MWh')."""
    typed = []
    doc = toks.doc
    for m in mentions:
        base = None if m.is_money or m.unit is None else to_base(m.value, m.unit)
        start_char = doc[m.start].idx
        end_char = start_char if m.end - 1 == m.start else doc[m.end - 1].idx
        typed.append(QuantityMention(  # positional: the fields' order in QuantityMention
            m.start, m.end, start_char, end_char + len(toks.text(m.end - 1)), m.rule_id, tidy(m.value),
            None if m.value_max is None else tidy(m.value_max), m.unit, m.per, m.qualifier, m.item,
            m.is_money, m.per_other, base[0] if base else None, base[1] if base else None,
            m.currency_bare,
        ))
    return typed


@Language.factory("extractor_quantities", default_config={"extra_rules": []})
def make_quantities_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]) -> LayerComponent:
    """The quantities component: `extra_rules` are the user's rules of the layer, saved with the pipeline."""
    return LayerComponent(nlp, name, "quantities", QUANTITY, quantities_analyser, extra_rules)


def quantities_analyser(nlp: Language, extra_rules: Sequence[Rule]) -> Callable[[Doc], Doc]:
    lex = build_lexicon(nlp, extra_rules)
    classes = WordClasses(nlp, lex)

    def quantities_layer(doc: Doc) -> Doc:
        set_mentions(doc, QuantityMention, find_mentions(doc, lex, classes))
        return doc

    return quantities_layer
