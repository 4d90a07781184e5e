"""The project itself: its name as written, its type and products from the lexicons.

The type is the first project-type word of the story (the headline and lead name the project
before anything else); the name is the capitalised run of words that ends in a capitalised
type word ("Acme Ohio Battery Plant") or starts with one ("Gigafactory Nevada").
"""
from __future__ import annotations

from functools import lru_cache

from extractor.assembly.context import Context, Cue
from extractor.assembly.document import Document
from extractor.assembly.records import quoted
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


def is_site(view: Document, cue: Cue) -> bool:
    """Whether a park or zone type word names where the project is rather than the project.

    Example: "a polysilicon plant in the Eastport Industrial Park" -> True (a site);
    "Eastport Industrial Park opens its first phase" -> False.
    """
    place_types, locative = site_words()
    if str(cue.value) not in place_types:
        return False
    lower = view.tokens.lower
    i = cue.start - 1
    steps = 0  # a capitalised name ("Eastport Waterfront") may stand between the word and the type
    while i >= 0 and steps < 8 and (looks_named(view, i) or lower[i] in SKIPPED_BEFORE_SITE) \
            and lower[i] not in locative:
        i -= 1
        steps += 1
    return i >= 0 and lower[i] in locative


def looks_named(view: Document, i: int) -> bool:
    """Whether token i can belong to a proper name (capitalised word, acronym or number)."""
    word = view.tokens.text[i]
    return word.istitle() or (word.isupper() and len(word) <= 6 and word.isalpha()) or view.like_num(i)


def name_around(view: Document, cue: Cue) -> tuple[int, int] | None:
    """Token bounds of a project name around a type cue, or None.

    Example: "the Acme Ohio Battery Plant will" -> "Acme Ohio Battery Plant";
    "a new plant in Ohio" -> None (lower-case type word).
    """
    texts, lower, n = view.tokens.text, view.tokens.lower, view.n
    if not texts[cue.end - 1].istitle():
        return None
    stop, tails = name_words()
    start = cue.start
    while start > 0 and start > cue.start - 8 and looks_named(view, start - 1) and lower[start - 1] not in stop:
        start -= 1
    end = cue.end
    if end < n and lower[end] in tails and texts[end].istitle():
        end += 1
    if start == cue.start and end == cue.end:
        if cue.end < n and texts[cue.end].istitle() and texts[cue.end].isalpha():
            return cue.start, cue.end + 1  # "Gigafactory Texas"
        return None
    while start < cue.start and view.like_num(start):
        start += 1
    return start, end


def site_name(view: Document, cue: Cue) -> str:
    """The lower-case name a park or zone type word ends ("eastport industrial park")."""
    bounds = name_around(view, cue) or (cue.start, cue.end)
    return view.words(*bounds).lower()


def project_facts(view: Document, ctx: Context) -> tuple[str | None, str | None, list[str], list[dict]]:
    """(name, type, products, evidence) of the project; the evidence as Evidence fields (`records.quoted`)."""
    types = [c for c in view.cues(ctx, "project_type") if not ctx.in_boilerplate(c.start_char)]
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
    sites = [c for c in kept if is_site(view, c)]
    if sites:
        site_names = {site_name(view, c) for c in sites}
        kept = [c for c in kept if str(c.value) not in place_types
                or (c not in sites and site_name(view, c) not in site_names)]
    name = kind = None
    evidence: list[dict] = []
    text = ctx.text
    for cue in kept:
        if cue is not kept[0] and str(cue.value) in place_types:
            continue  # a park after the story's first type is where that project stands
        bounds = name_around(view, cue)
        if bounds is None:
            continue
        words = view.words(*bounds)
        if words.isupper() or bounds[1] - bounds[0] < 2:
            continue
        name, kind = words, str(cue.value)
        start_char, end_char = view.tokens.starts[bounds[0]], view.tokens.ends[bounds[1] - 1]
        evidence.append(quoted(start_char, end_char, text))
        break
    if kind is None and kept:
        kind = str(kept[0].value)
        evidence.append(quoted(kept[0].start_char, kept[0].end_char, text))
    products: list[str] = []
    found = sorted((c for c in view.cues(ctx, "product") if not ctx.in_boilerplate(c.start_char)),
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
