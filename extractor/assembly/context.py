"""Where a mention's context ends, and which cues cover it (the ConText idea, plain Python).

Sentences come from punctuation and line layout, not from a parser: blank spaCy has none, and
press releases mark sentences plainly. A cue covers a target in the same sentence when the
target lies in the cue's direction within its window, with no terminating cue (";", "while",
"compared with") between them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property
from operator import itemgetter
from types import MappingProxyType
from typing import Collection, Iterable, Mapping

from spacy.tokens import Doc

from extractor import spans as S
from extractor.assembly.document import Tokens
from extractor.layers.cues import MAX_WINDOW
from extractor.mentions import CueMention, mentions_of

# a sentence ends at . ! ? (closing quotes/brackets allowed) before space + non-lowercase, at
# a period glued to a capitalised word ("site.The"), at a blank line, at a line that starts
# indented or quoted (wire copy and quoted releases), and after a headline line. An indented
# line that starts lower-case after a line with no closing punctuation continues the sentence
# (a wrapped list item: "an over $200 million\n    expansion"), see `continues_line`.
# Every branch starts with a literal character, so `re` skips to the next . ! ? or line break
# with a fast character-set scan instead of trying each branch at every offset (about 3x faster
# on press releases); the "." branches keep their order, so a match is the same as with
# "[.!?]<closing>?(?=...)|\.(?=[A-Z][a-z])|..." (tests/test_cues.py checks both agree).
_CLOSING_BEFORE_NEXT = r"[\"'\u201d\u2019)\]]?(?=\s+[^a-z\s])"
SENTENCE_END = re.compile(
    rf"\.{_CLOSING_BEFORE_NEXT}|\.(?=[A-Z][a-z])|!{_CLOSING_BEFORE_NEXT}|\?{_CLOSING_BEFORE_NEXT}"
    r"|\n[ \t\u00a0]*\n|\n(?=[ \t>\u00a0])"
)
INDENT = " \t>\u00a0"
CLOSING_PUNCTUATION = frozenset(".!?:;")
MAX_REACH = MAX_WINDOW + 4  # no cue window is longer; a little slack for multi-token targets
# headline, dateline and lead: the sentences where a release states its news (status, milestones)
LEAD_SENTENCES = 5
MAX_CUE_LENGTH = 8  # tokens of the longest cue phrase, so a long cue before a target is seen
ABBREVIATIONS = frozenset(
    "inc co corp ltd mr mrs ms dr st no vs jr sr u.s calif ind mass tenn ont fla ill mich wash "
    "ariz colo conn del ga kan ky la md minn miss mo mont neb nev okla ore pa va wis wyo jan feb "
    "mar apr jun jul aug sep sept oct nov dec gov sen rep approx est dept bros messrs".split()
)


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start; the first is always 0.

    Example: "Acme will build a plant. It will cost $5 mln." starts sentences at 0 and 25;
    "Acme Inc. said" does not split after "Inc.".
    """
    starts = [0]
    for match in SENTENCE_END.finditer(text):
        at, end = match.span()  # read once: no matched string is built
        mark = text[at]
        if mark == "\n":
            if end == at + 1 and continues_line(text, at):
                continue
        elif mark == ".":
            word_start = word_start_before(text, at, " \n")
            word = text[word_start:at].lower().lstrip("(\"'")
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        starts.append(end)
    return starts


def word_start_before(text: str, at: int, breaks: str) -> int:
    """Where the word ending at `at` starts: after the last of the `breaks` characters before
    `at` (0 if none), as `max(text.rfind(b, 0, at) for b in breaks) + 1` gives it.

    Why not that: each search after the first starts where the last one found its mark, so
    none scans back past the word (a paragraph with no line break would be read again at
    every period of it, a cost quadratic in its length).

    >>> word_start_before("a line\\nof (words", 17, " \\n(")
    11
    """
    found = -1
    for mark in breaks:
        found = max(found, text.rfind(mark, found + 1, at))
    return found + 1


def continues_line(text: str, newline: int) -> bool:
    """Whether the indented line after `text[newline]` goes on with the sentence before it.

    Examples: "a $90 million\n    plant in Reno" and "will add\n  > four lines" go on (the
    next line starts lower-case, the line before has no closing punctuation); "done.\n  the"
    and "\n  - Second item" start anew.
    """
    end = len(text)
    i = newline + 1
    while i < end and text[i] in INDENT:
        i += 1
    if i >= end or not ("a" <= text[i] <= "z"):
        return False
    j = newline - 1
    while j >= 0 and text[j] in " \t\u00a0":  # a scan, not a copy of the text before
        j -= 1
    return j >= 0 and text[j] not in CLOSING_PUNCTUATION and text[j] != "\n"


Cue = CueMention  # what assembly reads of a cue: its offsets, its rule's values and its words
START = itemgetter(0)  # a cue's first token (CueMention.start), the key its lists are sorted by
NO_CUES: Mapping[str, list[Cue]] = MappingProxyType({})  # a sentence without cues (read-only)


class Context:
    """The sentences of a document and its cues, grouped by sentence, for coverage queries."""

    def __init__(self, doc: Doc, cues: Iterable[CueMention] | None = None, tokens: Tokens | None = None):
        """`cues`: the doc's cue mentions in text order; by default those the cues layer wrote
        (a test may hand in CueMentions it made). `tokens`: the doc's token words where the
        caller has them already (`Document.tokens`), else read on first use."""
        self.doc = doc
        self.text = S.document_text(doc)
        if tokens is not None:
            self.tokens = tokens
        self.starts = sentence_starts(self.text)
        self.cues: list[Cue] = list(mentions_of(doc, CueMention) if cues is None else cues)
        # sentence -> category -> its cues in text order: one look-up per sentence, then by name
        self.in_sentence: dict[int, dict[str, list[Cue]]] = {}
        # category -> its cues in the order of `cues`, grouped in the same pass (no sort after)
        self.by_category: dict[str, list[Cue]] = {}
        self.terminators: dict[int, list[int]] = {}
        self.boilerplate_from: int | None = None
        in_sentence, by_category, starts = self.in_sentence, self.by_category, self.starts
        quarter = len(self.text) // 4
        for cue in self.cues:
            category = cue[5]
            of_category = by_category.get(category)
            if of_category is None:
                by_category[category] = [cue]
            else:
                of_category.append(cue)
            sent = bisect_right(starts, cue[2]) - 1  # self.sentence(cue.start_char)
            categories = in_sentence.get(sent)
            if categories is None:
                in_sentence[sent] = {category: [cue]}
            else:
                found = categories.get(category)
                if found is None:
                    categories[category] = [cue]
                else:
                    found.append(cue)
            if category == "terminate":
                self.terminators.setdefault(sent, []).append(cue[0])
            elif category == "boilerplate" and self.boilerplate_from is None:
                # boilerplate starts a section only after the story has begun
                if cue[2] > quarter:
                    self.boilerplate_from = cue[2]

    @cached_property
    def by_sentence(self) -> dict[int, list[Cue]]:
        """Sentence -> its cues of every category, in text order (built when first asked: the
        queries read `in_sentence`, by category)."""
        found: dict[int, list[Cue]] = {}
        starts = self.starts
        for cue in self.cues:
            found.setdefault(bisect_right(starts, cue.start_char) - 1, []).append(cue)
        return found

    @cached_property
    def parsed_sentences(self) -> bool:
        """Whether spaCy sentence starts are set on the doc (a whole-doc scan: asked once)."""
        return self.doc.has_annotation("SENT_START")

    @cached_property
    def tokens(self) -> Tokens:
        """The token words, where the caller handed in none."""
        return Tokens(self.doc, self.text)

    def words_between(self, left: int, right: int) -> int:
        """Tokens in [left, right) that are not whitespace: the distance a cue's window counts.

        Why: a line break wrapped inside a sentence ("$90 million\\n    expansion") is a token
        of its own but no word between a figure and its cue. Counted over the few tokens
        asked (a cue's window), not as a running count over the whole document.
        """
        if right <= left:
            return 0
        return (right - left) - sum(map(str.isspace, self.tokens.text[left:right]))

    def sentence(self, char: int) -> int:
        """The index of the sentence holding this character offset."""
        return bisect_right(self.starts, char) - 1

    def in_boilerplate(self, char: int) -> bool:
        """Whether an offset lies in the closing "About ..." / contacts section."""
        return self.boilerplate_from is not None and char >= self.boilerplate_from

    def cues_in(self, sent: int, categories: Iterable[str] | None = None) -> list[Cue]:
        """The cues of one sentence, optionally of some categories only.

        One category reads the sentence's list of it; only other queries build `by_sentence`.
        """
        if categories is not None:
            categories = tuple(categories)
            if len(categories) == 1:  # the sentence's list of that category, in text order already
                return list(self.in_sentence.get(sent, NO_CUES).get(categories[0], ()))
        found = self.by_sentence.get(sent, [])
        if categories is None:
            return list(found)
        wanted = set(categories)
        return [c for c in found if c.category in wanted]

    def blocked(self, sent: int, left: int, right: int) -> bool:
        """Whether a terminating cue stands strictly between two token positions."""
        marks = self.terminators.get(sent, ())
        i = bisect_left(marks, left)
        return i < len(marks) and marks[i] < right

    def near(self, sent: int, category: str, start: int, end: int, reach: int = MAX_REACH) -> list[Cue]:
        """The cues of a category in a sentence starting within `reach` tokens of [start, end).

        Why: a long text without sentence ends is one sentence; looking only near a target
        keeps the cost linear in the text's length.
        """
        found = self.in_sentence.get(sent, NO_CUES).get(category)
        if not found:
            return []
        return found[bisect_left(found, start - reach - MAX_CUE_LENGTH, key=START):
                     bisect_right(found, end + reach, key=START)]

    def covering(self, start: int, end: int, start_char: int, categories: Iterable[str]) -> list[tuple[Cue, int]]:
        """Cues of these categories whose scope covers tokens [start, end), nearest first.

        Example: in "a capacity of 60 GWh", the forward cue "capacity of" covers "60 GWh" at
        distance 0; a backward cue must follow its target. A caller wanting several groups of
        categories for one target asks once for all and splits the hits with `only`.
        """
        sent = bisect_right(self.starts, start_char) - 1  # self.sentence(start_char)
        hits: list[tuple[Cue, int]] = []
        in_sentence = self.in_sentence.get(sent)
        if in_sentence is None:
            return hits
        low, high = start - MAX_REACH - MAX_CUE_LENGTH, end + MAX_REACH
        for category in categories:  # self.near(sent, category, start, end) of each, inlined
            found = in_sentence.get(category)
            if not found:
                continue
            for cue in found[bisect_left(found, low, key=START):bisect_right(found, high, key=START)]:
                if cue.end <= start:  # cue before target
                    if cue.direction == "backward":
                        continue
                    gap = self.words_between(cue.end, start)
                    if gap > cue.window or self.blocked(sent, cue.end, start):
                        continue
                elif cue.start >= end:  # cue after target
                    if cue.direction == "forward":
                        continue
                    gap = self.words_between(end, cue.start)
                    if gap > cue.window or self.blocked(sent, end, cue.start):
                        continue
                else:  # overlapping: the words of the cue are in the mention
                    gap = 0
                hits.append((cue, gap))
        if len(hits) > 1:
            hits.sort(key=nearest_first)
        return hits


def nearest_first(hit: tuple[Cue, int]) -> tuple[int, int]:
    """The order of `Context.covering`'s hits: by distance, then by the cue's start."""
    return hit[1], hit[0].start


def only(hits: list[tuple[Cue, int]], categories: Collection[str]) -> list[tuple[Cue, int]]:
    """The hits of some categories, in their order: `covering` of those categories alone.

    Why: `covering` checks each cue on its own and sorts stably, so one query for several
    groups of categories, split here, gives what a query per group would, for one scan.
    """
    if not hits:  # most targets have no cue in reach: nothing to filter
        return []
    return [hit for hit in hits if hit[0].category in categories]
