"""The project itself: its name as written, its type and products from the lexicons.

The type is the first project-type word of the story (the headline and lead name the project
before anything else); the name is the capitalised run of words that ends in a capitalised
type word ("Acme Ohio Battery Plant") or starts with one ("Gigafactory Nevada").
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from extractor.assembly.context import Context, Cue
from extractor.models import Evidence
from extractor.ruleset import lexicon

MAX_PRODUCTS = 6


@lru_cache(maxsize=1)
def name_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that end a name going backwards, words that may follow a type word in a name)."""
    data = lexicon("project_names.jsonl")
    return frozenset(data["stop_words"]), frozenset(data["tails"])


@lru_cache(maxsize=1)
def site_words() -> tuple[frozenset[str], frozenset[str]]:
    """(types that may be the site of another project, words that make such a name a site)."""
    data = lexicon("project_names.jsonl")
    return frozenset(data.get("place_types", ())), frozenset(data.get("locative_words", ()))


SKIPPED_BEFORE_SITE = frozenset({"the", "a", "an"})


def is_site(doc: Doc, cue: Cue) -> bool:
    """Whether a park or zone type word names where the project is rather than the project.

    Example: "a polysilicon plant in the Eastport Industrial Park" -> True (a site);
    "Eastport Industrial Park opens its first phase" -> False.
    """
    place_types, locative = site_words()
    if str(cue.value) not in place_types:
        return False
    i = cue.start - 1
    steps = 0  # a capitalised name ("Eastport Waterfront") may stand between the word and the type
    while i >= 0 and steps < 8 and (looks_named(doc[i]) or doc[i].lower_ in SKIPPED_BEFORE_SITE) \
            and doc[i].lower_ not in locative:
        i -= 1
        steps += 1
    return i >= 0 and doc[i].lower_ in locative


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


def site_name(doc: Doc, cue: Cue) -> str:
    """The lower-case name a park or zone type word ends ("eastport industrial park")."""
    bounds = name_around(doc, cue) or (cue.start, cue.end)
    return doc[bounds[0]:bounds[1]].text.lower()


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
    # a park or zone the project stands in is its site, neither its type nor its name, wherever
    # the story names it ("a plant in the Eastport Industrial Park ... Eastport Industrial Park spans")
    place_types = site_words()[0]
    sites = [c for c in kept if is_site(doc, c)]
    if sites:
        site_names = {site_name(doc, c) for c in sites}
        kept = [c for c in kept if str(c.value) not in place_types
                or (c not in sites and site_name(doc, c) not in site_names)]
    name = kind = None
    evidence: list[Evidence] = []
    text = ctx.text
    for cue in kept:
        if cue is not kept[0] and str(cue.value) in place_types:
            continue  # a park after the story's first type is where that project stands
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
