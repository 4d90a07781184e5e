"""The project itself: its name as written, its type and products from the lexicons.

The type is the first project-type word of the story (the headline and lead name the project
before anything else); the name is the capitalised run of words that ends in a capitalised
type word ("Acme Ohio Battery Plant") or starts with one ("Gigafactory Nevada").
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from .context import Context, Cue
from .models import Evidence
from .ruleset import load_json

MAX_PRODUCTS = 6


@lru_cache(maxsize=1)
def name_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that end a name going backwards, words that may follow a type word in a name)."""
    data = load_json("project_names.json")
    return frozenset(data["stop_words"]), frozenset(data["tails"])


def looks_named(token) -> bool:
    """Whether a token can belong to a proper name (capitalised word, acronym or number)."""
    return token.is_title or (token.is_upper and len(token) <= 6 and token.is_alpha) or token.like_num


def name_around(doc: Doc, cue: Cue) -> tuple[int, int] | None:
    """Token bounds of a project name around a type cue, or None.

    Example: "the Acme Ohio Battery Plant will" -> "Acme Ohio Battery Plant";
    "a new plant in Ohio" -> None (lower-case type word).
    """
    head = doc[cue.end - 1]
    if not head.is_title:
        return None
    stop, tails = name_words()
    start = cue.start
    while start > 0 and start > cue.start - 8 and looks_named(doc[start - 1]) and doc[start - 1].lower_ not in stop:
        start -= 1
    end = cue.end
    if end < len(doc) and doc[end].lower_ in tails and doc[end].is_title:
        end += 1
    if start == cue.start and end == cue.end:
        if cue.end < len(doc) and doc[cue.end].is_title and doc[cue.end].is_alpha:
            return cue.start, cue.end + 1  # "Gigafactory Texas"
        return None
    while start < cue.start and doc[start].like_num:
        start += 1
    return start, end


def project_facts(doc: Doc, ctx: Context) -> tuple[str | None, str | None, list[str], list[Evidence]]:
    """(name, type, products, evidence) of the project."""
    types = [c for c in ctx.cues if c.category == "project_type" and not ctx.in_boilerplate(c.start_char)]
    # the longest phrase at a place ("power plant" over "plant")
    types.sort(key=lambda c: (c.start_char, -(c.end_char - c.start_char)))
    kept: list[Cue] = []
    for cue in types:
        if kept and cue.start_char < kept[-1].end_char:
            continue
        kept.append(cue)
    name = kind = None
    evidence: list[Evidence] = []
    text = ctx.text
    for cue in kept:
        bounds = name_around(doc, cue)
        if bounds is None:
            continue
        span = doc[bounds[0]:bounds[1]]
        if span.text.isupper() or len(span) < 2:
            continue
        name, kind = span.text, str(cue.value)
        evidence.append(Evidence(start=span.start_char, end=span.end_char, text=text[span.start_char:span.end_char]))
        break
    if kind is None and kept:
        kind = str(kept[0].value)
        evidence.append(Evidence(start=kept[0].start_char, end=kept[0].end_char,
                                 text=text[kept[0].start_char:kept[0].end_char]))
    products: list[str] = []
    found = sorted((c for c in ctx.cues if c.category == "product" and not ctx.in_boilerplate(c.start_char)),
                   key=lambda c: (c.start_char, -(c.end_char - c.start_char)))
    last_end = -1
    for cue in found:
        if cue.start_char < last_end:
            continue
        last_end = cue.end_char
        if str(cue.value) not in products:
            products.append(str(cue.value))
        if len(products) >= MAX_PRODUCTS:
            break
    return name, kind, products, evidence
