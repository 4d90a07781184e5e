"""What assembly reads of one analysed document, indexed once: its text, its token words and
the layers' typed mentions.

Why: the site, slot, milestone, status and detection steps all look at the same tokens and
mentions. Reading them once per document, as plain strings and tuples, costs less than spaCy
Token and Span objects made again at every look (a Span costs a few Token builds).
"""
from __future__ import annotations

from functools import cached_property

import numpy

from spacy.attrs import IDX, SPACY
from spacy.tokens import Doc

from extractor.mentions import (CompanyMention, DateMention, DatelineMention, PlaceMention, QuantityMention,
                                mentions_of)
from extractor.spans import document_text


class Tokens:
    """Token texts and lowercased texts by index, sliced from the doc's text.

    spaCy's ORTH of a token is its slice of the text and LOWER is `str.lower` of it, so no
    StringStore look-up (and no cache shared between documents) is needed.
    """

    __slots__ = ("text", "lower", "n", "starts", "ends")

    def __init__(self, doc: Doc, text: str | None = None) -> None:
        self.n = len(doc)
        self.starts, self.ends = token_bounds(doc)
        text = document_text(doc) if text is None else text
        self.text = [text[start:end] for start, end in zip(self.starts, self.ends)]
        self.lower = list(map(str.lower, self.text))


BOUNDS_KEY = "extractor.token_bounds"  # where `token_bounds` keeps a doc's token offsets


def token_bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """Where every token starts and ends in the text (`token_offsets`), read once per doc and
    kept in `doc.user_data` as plain lists.

    Why: the cues layer needs them for its cues' offsets and assembly for every word it
    quotes; reading the doc's arrays once serves both.
    """
    found = doc.user_data.get(BOUNDS_KEY)
    if found is None or len(found[0]) != len(doc):  # never read, or a doc made anew from this one's data
        found = doc.user_data[BOUNDS_KEY] = token_offsets(doc, document_text(doc))
    return found


def token_offsets(doc: Doc, text: str) -> tuple[list[int], list[int]]:
    """Where every token starts and ends in the text: a token runs to the next token's start,
    less its trailing space.

    >>> import spacy
    >>> token_offsets(spacy.blank("en")("A  plant."), "A  plant.")
    ([0, 2, 3, 8], [1, 3, 8, 9])
    """
    if not len(doc):
        return [], []
    table = doc.to_array([IDX, SPACY])
    starts = table[:, 0]
    # the next token's start (the text's end after the last), less the trailing space: in numpy
    ends = numpy.concatenate((starts[1:], numpy.array([len(text)], dtype=starts.dtype))) - table[:, 1]
    return starts.tolist(), ends.tolist()


class Document:
    """One document as assembly sees it; every index is built at most once, when first asked.

    `quantities` are in text order (start, then end), the other mentions in their layer's order.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = document_text(doc)
        self.n = len(doc)

    @cached_property
    def quantities(self) -> list[QuantityMention]:
        return sorted(mentions_of(self.doc, QuantityMention), key=lambda m: (m.start, m.end))

    @cached_property
    def dates(self) -> list[DateMention]:
        return mentions_of(self.doc, DateMention)

    @cached_property
    def places(self) -> list[PlaceMention]:
        return mentions_of(self.doc, PlaceMention)

    @cached_property
    def companies(self) -> list[CompanyMention]:
        return mentions_of(self.doc, CompanyMention)

    @cached_property
    def dateline(self) -> DatelineMention | None:
        found = mentions_of(self.doc, DatelineMention)
        return found[0] if found else None

    @cached_property
    def dateline_date(self) -> str | None:
        """The document's own date (`doc._.dateline_date`), read once: each read of a `doc._`
        attribute builds spaCy's Underscore view anew (a few microseconds)."""
        return self.doc._.dateline_date

    @cached_property
    def tokens(self) -> Tokens:
        """The token words (built on first use)."""
        return Tokens(self.doc, self.text)

    def quote(self, mention) -> str:
        """The words of a mention, from the doc's text."""
        return self.text[mention.start_char:mention.end_char]

    def words(self, start: int, end: int) -> str:
        """The text of tokens [start, end), as `doc[start:end].text` gives it (no trailing space)."""
        if end <= start:
            return ""
        tokens = self.tokens
        return self.text[tokens.starts[start]:tokens.ends[end - 1]]

    def like_num(self, i: int) -> bool:
        """`doc[i].like_num` ("12", "1,200", "ten"): the lexeme's flag, set once per word by the
        vocabulary, costs less to read than the language's like_num function to run again."""
        return self.doc[i].like_num

    def cues(self, ctx, category: str) -> list:
        """The cues of one category, in the order of `ctx.cues` (text order).

        Why: milestones, status, detection, project and phases each want one or two
        categories; the context groups its cues by category in the pass that reads them.
        """
        return ctx.by_category.get(category, [])

    def in_dateline(self, start: int, end: int) -> bool:
        """Whether tokens [start, end) lie inside the dateline."""
        d = self.dateline
        return d is not None and d.start <= start and end <= d.end
