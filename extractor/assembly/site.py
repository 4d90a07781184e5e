"""Where the project itself is: the site, resolved from the place mentions at assembly time.

Every place mention is scored by the words around it: "a plant in X", "X factory", "located in
X" speak for the site; "headquartered in X", "an X-based company", "its existing plants in X"
speak against it; the dateline's place and a place that starts a company's name do not vote.
The mentions then vote level by level: the country with most weight, its region, then a city
in that region (a city needs a cue or a few mentions, so a region named alone stays a region).
Only where nothing else places the project does the dateline's place become the site.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from extractor import spans as S
from extractor.models import Site
from extractor.spans import document_text
from extractor.layers.places import lookup_town
from extractor.ruleset import packaged_rules

CUE_FILE = "site_cues.jsonl"
ROLES = ("project_noun", "build_verb", "locative", "headquarters", "hq_noun", "other_project", "expansion")
WINDOW_BEFORE = 12  # tokens a building verb or project noun may stand before "in <place>"
# A more specific place says more about the site, other things equal.
SPECIFICITY = {"country": 0.0, "region": 0.3, "city": 0.6, "district": 0.7, "zone": 0.8, "site": 0.8}


@dataclass(frozen=True)
class SiteWeights:
    """What each kind of evidence around a place mention adds to its site score, and how the
    mentions' votes are counted. Positive numbers speak for the site, negative against it."""

    located: float = 1.0  # "in X", "at X": a locative word right before the place
    located_project: float = 2.0  # ... with a project noun or building verb earlier in the clause
    headquarters: float = -4.0  # "headquartered in X", "based in X"
    headquarters_near_project: float = -1.0  # ... with a project noun just before ("its plant, based in X")
    based_project: float = 3.5  # "a Virginia-based transformer facility"
    based_company: float = -4.0  # "an Atlanta-based maker"
    project_noun_after: float = 2.5  # "the Swindon plant"
    project_name: float = 2.5  # "the Jingmen Lithium Battery Project"
    project_noun_later: float = 2.0  # "its Fort McMurray oil sands operations"
    hq_noun_project: float = 0.5  # "the Berlin company plant": a weak cue
    qualified_city: float = 0.5  # "Kokomo, Indiana": a town named with its state is named on purpose
    other_project: float = -3.0  # "its existing plants in X": another site of the company
    in_title: float = 1.0  # the headline names the site more often than not
    in_dateline: float = -2.0  # the dateline says where the story was filed
    starts_company: float = -3.0  # "Lenzing AG", "Falcon said": the place is (part of) a company's name
    inside_company: float = 0.5  # "CATL Guizhou": a local arm of a company
    company_head: float = -1.0  # the place's word opens some company's name elsewhere
    mention: float = 0.5  # every mention votes a little: a story keeps coming back to its site
    in_figure: float = -1.0  # "75 new U.S. jobs", "a U.S. $40 million plant": a country as a figure's modifier
    vicinity_share: float = 0.5  # "near X" gives a city this share of the mention's weight
    min_city_weight: float = 1.0  # a city needs this much weight (a cue, or a few mentions)


DEFAULT_SITE_WEIGHTS = SiteWeights()
PLACE_NOUNS = frozenset("city town municipality village port county district province state region prefecture "
                        "commune township borough suburb area".split())
# a town's part, written after its name in lower case ('Nha Be district'): the town comes next
DISTRICT_NOUNS = frozenset({"district", "ward", "county", "borough", "township", "commune", "subdistrict"})
DETERMINERS = frozenset({"the", "its", "their", "a", "an", "our", "his", "her", "this", "that", "new"})
VICINITY = frozenset({"near", "outside", "around", "nearby"})
# "in the area of X", "in the vicinity of X": somewhere around X, not in it
SURROUNDINGS = frozenset({"area", "vicinity", "environs"})
DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest".split())
DISTANCE_UNITS = frozenset("km kilometres kilometers kilometre kilometer miles mile mi nautical".split())
CLAUSE_ENDS = frozenset({".", ";", "!", "?", "\n", "\n\n"})


@dataclass(frozen=True)
class Cues:
    """The site cue words by role, from rules/site_cues.jsonl."""

    project_nouns: frozenset[str]
    build_verbs: frozenset[str]
    locatives: frozenset[str]
    headquarters: frozenset[tuple[str, ...]]  # token sequences, lowercased
    headquarter_lengths: tuple[int, ...]
    hq_nouns: frozenset[str]
    other_project: frozenset[str]  # "its existing plant in X": another site, unless expanded
    expansion: frozenset[str]


@lru_cache(maxsize=1)
def site_cues() -> Cues:
    """The packaged cue lists, read and checked once per process."""
    words: dict[str, list[str]] = {role: [] for role in ROLES}
    for rule in packaged_rules(CUE_FILE):
        if rule["role"] not in words:
            raise RuleFileError(f"{CUE_FILE}: rule {rule['id']!r} has unknown role {rule['role']!r}; roles: {ROLES}")
        words[rule["role"]].extend(w.lower() for w in rule["words"])
    return Cues(
        frozenset(words["project_noun"]), frozenset(words["build_verb"]), frozenset(words["locative"]),
        frozenset(tuple(phrase.split()) for phrase in words["headquarters"]),
        tuple(sorted({len(phrase.split()) for phrase in words["headquarters"]})), frozenset(words["hq_noun"]),
        frozenset(words["other_project"]), frozenset(words["expansion"]),
    )


# ORTH/LOWER hash -> text: a hash names one string in every StringStore, so one table serves
# every pipeline, and a dict lookup costs a fraction of a StringStore's
_HASH_TEXT: dict[int, str] = {}


def _texts(hashes: list[int], strings) -> list[str]:
    """The strings of these hashes, looked up in the StringStore once per process."""
    known = _HASH_TEXT
    try:  # a miss raises at once: no scan of the result for None afterwards
        return list(map(known.__getitem__, hashes))
    except KeyError:  # strings never seen before
        pass
    out = list(map(known.get, hashes))
    for i, text in enumerate(out):
        if text is None:
            h = hashes[i]
            text = known.get(h)
            if text is None:
                text = known[h] = strings[h]
            out[i] = text
    return out


class Tokens:
    """Token texts and lowercased texts by index, read once from the doc's arrays (spaCy Token
    objects cost more than the scoring itself)."""

    __slots__ = ("text", "lower", "n")

    def __init__(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        arr = doc.to_array(["ORTH", "LOWER"]) if len(doc) else None
        self.text = _texts(arr[:, 0].tolist(), strings) if arr is not None else []
        self.lower = _texts(arr[:, 1].tolist(), strings) if arr is not None else []
        self.n = len(doc)


def clause_tokens_before(doc: Tokens, start: int, limit: int) -> list[str]:
    """Lowercased words before `start`, nearest last, stopping at a sentence or paragraph end.

    Line breaks inside a sentence (wire copy wraps lines) and determiners are skipped, so that
    'a plant at its\nBeaumont' still reads 'plant at' + Beaumont.
    """
    out: list[str] = []
    i = start - 1
    while i >= 0 and len(out) < limit:
        text, lower = doc.text[i], doc.lower[i]
        i -= 1
        if text.isspace():
            if text.count("\n") > 1:
                break
            continue
        if text in CLAUSE_ENDS:
            break
        if not out and lower in DETERMINERS:
            continue
        out.append(lower)
    return out[::-1]


def follows_phrase(before: list[str], phrases: frozenset[tuple[str, ...]], lengths: tuple[int, ...]) -> bool:
    """Does the text before a place end with one of `phrases`? ('... headquartered in' + X)"""
    return any(len(before) >= n and tuple(before[-n:]) in phrases for n in lengths)


def after_words(doc: Tokens, end: int, place_ends: dict[int, int], limit: int = 3) -> list[str]:
    """Lowercased words right after a place, past possessives, hyphens and a qualifying place.

    'Beaumont, Texas, refinery' reads 'refinery' after Beaumont.
    """
    out: list[str] = []
    i = end
    while i < doc.n and len(out) < limit:
        if not out and doc.text[i] == "," and i + 1 < doc.n:
            nxt = i + 1 + (1 if doc.text[i + 1].isspace() else 0)
            if nxt in place_ends:
                i = place_ends[nxt]
                if i < doc.n and doc.text[i] == ",":
                    i += 1
                continue
        text = doc.lower[i]
        if text in CLAUSE_ENDS:
            break
        if not text.isspace() and text not in ("'s", "’s", "-", "–"):
            out.append(text)
        i += 1
    return out


class CompanySpans:
    """The company spans' token ranges, indexed once per document for `company_overlap`.

    Why: scanning every company span for every place mention made a long text's cost grow
    with its square. Spans come sorted by start (the companies layer sorts them), so the first
    span in list order that starts a place or contains it is found by bisection.
    """

    def __init__(self, ranges: list[tuple[int, int]]):
        self.ranges = ranges
        self.starts = [start for start, _ in ranges]
        self.sorted = all(a <= b for a, b in zip(self.starts, self.starts[1:]))
        self.start_set = set(self.starts)
        self.max_end: list[int] = []  # the largest end among the first i + 1 spans
        for _, end in ranges:
            self.max_end.append(max(end, self.max_end[-1]) if self.max_end else end)

    def overlap(self, token: int) -> str | None:
        """"starts" where the first span (in list order) that starts at or strictly contains
        `token` starts there, "inside" where it contains it, None where none does."""
        if not self.sorted:  # spans made by hand: read them in order
            for start, end in self.ranges:
                if start == token:
                    return "starts"
                if start < token < end:
                    return "inside"
            return None
        before = bisect_left(self.starts, token)  # spans starting before the token come first
        if before and self.max_end[before - 1] > token:
            return "inside"
        return "starts" if token in self.start_set else None


def company_overlap(span: Span, companies: CompanySpans | list[tuple[int, int]], company_names: set[str],
                    company_heads: set[str], text: str | None = None,
                    weights: SiteWeights = DEFAULT_SITE_WEIGHTS) -> float:
    """What a company name around a place says: 'Lenzing AG' is no place; 'CATL Guizhou' is a local arm.

    A place that starts a company's name, or that is written as a company is ('Falcon said'),
    counts against; a place further inside a company's name counts a little for.
    """
    if not isinstance(companies, CompanySpans):
        companies = CompanySpans(list(companies))
    found = companies.overlap(span.start)
    if found == "starts":
        return weights.starts_company
    if found == "inside":
        return weights.inside_company
    text = span.text if text is None else text
    if text in company_names:
        return weights.starts_company
    return weights.company_head if text in company_heads else 0.0


def mention_score(span: Span, doc: Tokens, cues: Cues, title_end: int, dateline: tuple[int, int] | None,
                  companies: CompanySpans, company_names: set[str], company_heads: set[str],
                  place_ends: dict[int, int], place_codes: dict[int, str | None],
                  kind: str, code: str | None, text: str | None = None,
                  weights: SiteWeights = DEFAULT_SITE_WEIGHTS) -> tuple[float, bool]:
    """How strongly the words around one place mention put the project there, and whether the
    mention only says 'near' it.

    'will build a factory in Shelbyville' scores high; 'Atlanta-based maker' scores below zero.
    """
    before = clause_tokens_before(doc, span.start, WINDOW_BEFORE)
    after = after_words(doc, span.end, place_ends)
    score = 0.0
    around = len(before) > 1 and before[-1] == "of" and before[-2] in SURROUNDINGS
    # "120 km west of Stavanger", "40 miles from Provo": a reference point, not the site's town
    around = around or reference_point(before)
    if len(before) > 2 and before[-1] == "of" and before[-2] in PLACE_NOUNS:
        # "in the municipality of X", "in the Chinese city of X": the town is X
        before = before[:-2]
        for _ in range(3):
            if before and before[-1] not in cues.locatives:
                before = before[:-1]
    located = bool(before) and before[-1] in cues.locatives
    vicinity = around or bool(before) and before[-1] in VICINITY
    if located and not around:  # "in the area of X" is no more than "near X"
        score += weights.located
        context = set(before[:-1])
        if context & cues.project_nouns or context & cues.build_verbs:
            score += weights.located_project
    if follows_phrase(before, cues.headquarters, cues.headquarter_lengths):
        near = set(before[-6:-2])
        score += weights.headquarters_near_project if near & cues.project_nouns else weights.headquarters
    if after and after[0] == "based":
        # "a Virginia-based transformer facility" places a project; "an Atlanta-based maker" a company
        score += weights.based_project if based_project(doc, span.end, cues) else weights.based_company
    elif after and after[0] in cues.project_nouns:
        score += weights.project_noun_after
    elif names_a_project(doc, span.end, cues):
        score += weights.project_name  # "the Jingmen Lithium Battery Project"
    elif len(after) > 1 and after[0] not in STOP_WORDS and (
            after[1] in cues.project_nouns or len(after) > 2 and after[1] not in STOP_WORDS
            and after[2] in cues.project_nouns):
        score += weights.project_noun_later  # "its Fort McMurray oil sands operations"
    elif len(after) > 1 and after[0] in cues.hq_nouns and after[1] in cues.project_nouns:
        score += weights.hq_noun_project
    if kind == "city" and qualified_place(doc, span.end, code, place_codes):
        score += weights.qualified_city
    if set(before) & cues.other_project and not set(before) & cues.expansion:
        score += weights.other_project  # "its existing plants in X": named in passing
    if span.start < title_end:
        score += weights.in_title
    if dateline and dateline[0] <= span.start < dateline[1]:
        score += weights.in_dateline
    if kind == "country" and inside_figure(doc, span.start, span.end):
        score += weights.in_figure
    if not located:
        score += company_overlap(span, companies, company_names, company_heads, text, weights)
    return score, vicinity


FIGURE_MODIFIERS = frozenset({"new", "more", "additional", "extra", "direct", "indirect", "full-time", "permanent"})


def inside_figure(doc: Tokens, start: int, end: int) -> bool:
    """Is a country named as the modifier of a figure ('75 new U.S. jobs', 'U.S. $40 million')?

    There it tells whose jobs or currency, not where the project is: no vote for its country.
    """
    if end < doc.n and (doc.text[end][:1] in "$€£¥" or doc.text[end][:1].isdigit()):
        return True
    i = start - 1
    while i >= 0 and (doc.text[i].isspace() or doc.lower[i] in FIGURE_MODIFIERS):
        i -= 1
    return i >= 0 and doc.text[i][:1].isdigit()


def reference_point(before: list[str]) -> bool:
    """Do the words before a place measure a distance from it ('lies 120 km north-west of')?"""
    if len(before) < 2:
        return False
    if before[-1] == "of" and before[-2].replace("-", "") in DIRECTIONS:
        return True
    return before[-1] == "from" and bool(set(before[-4:-1]) & DISTANCE_UNITS)


def based_project(doc: Tokens, end: int, cues: Cues, limit: int = 5) -> bool:
    """After '<place>-based', does a project noun come before any company noun or clause end?"""
    seen = 0
    i = end
    while i < doc.n and seen <= limit:
        lower = doc.lower[i]
        i += 1
        if lower.isspace() or lower in ("-", "–", "based"):
            continue
        if lower in CLAUSE_ENDS or lower in (",", "that", "which") or lower in cues.hq_nouns:
            return False
        if lower in cues.project_nouns:
            return True
        seen += 1
    return False


def qualified_place(doc: Tokens, end: int, code: str | None, place_codes: dict[int, str | None]) -> bool:
    """Is the place followed by ', <place>' of its own country (its state, province or country)?"""
    return end + 1 < doc.n and doc.text[end] == "," and place_codes.get(end + 1, "") == code


def names_a_project(doc: Tokens, end: int, cues: Cues) -> bool:
    """Is the place the first word of a capitalised project name ('X Lithium Battery Project')?"""
    for i in range(end, min(end + 4, doc.n)):
        if not doc.text[i][:1].isupper():
            return False
        if doc.lower[i] in cues.project_nouns:
            return True
    return False


def title_end(doc: Tokens) -> int:
    """Index of the first token after the headline (the first line), or 0 without one.

    spaCy keeps a single space on a token and makes a line break a token of its own.
    """
    for i in range(min(doc.n, 80)):
        if "\n" in doc.text[i]:
            return i + 1
    return 0


@dataclass
class Scored:
    """A place mention and what the words around it say about the site."""

    span: Span
    score: float
    vicinity: bool = False  # "near X": the site is around X, not in it
    in_dateline: bool = False
    share: float = 1.0  # an item of a list shares its vote with the other items
    mention_weight: float = DEFAULT_SITE_WEIGHTS.mention  # what any mention adds to its score
    # the span's attributes, read once (each read of span._ costs as much as a dict build)
    kind: str = "site"
    code: str | None = None
    region: str | None = None
    city: str | None = None
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def weight(self) -> float:
        """Every mention counts a little, since a story keeps coming back to its site.

        A mention that speaks against the site (a headquarters, a company's name) and the
        dateline's place do not vote at all.
        """
        if self.score < 0 or self.in_dateline:
            return 0.0
        return (self.score + self.mention_weight) * self.share


def country_name_of(code: str | None) -> str | None:
    """'CN' -> 'China': the short English name."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    return (getattr(country, "common_name", None) or country.name) if country else None


PLACE_ATTRIBUTES = ("place_kind", "country_code", "region", "place_city", "place_name", "latitude", "longitude")


def scored_mentions(doc: Doc, weights: SiteWeights = DEFAULT_SITE_WEIGHTS) -> list[Scored]:
    """Every place mention with its site score, in text order."""
    cues = site_cues()
    tokens = Tokens(doc)
    end = title_end(tokens)
    datelines = doc.spans.get(S.DATELINE, [])
    dateline = (datelines[0].start, datelines[0].end) if datelines else None
    text = document_text(doc)
    user_data = doc.user_data
    company_spans = list(doc.spans.get(S.COMPANY, []))
    companies = CompanySpans([(s.start, s.end) for s in company_spans])
    names = {text[s.start_char:s.end_char] for s in company_spans}  # span.text, without its tokens
    heads = {tokens.text[s.start] for s in company_spans}
    places = list(doc.spans.get(S.PLACE, []))
    attrs = []
    quotes = []
    # spans.read_attribute, inlined (seven per place): user_data under the spaCy key, else
    # the attribute's default
    get = user_data.get
    defaults = S.SPAN_ATTRIBUTES
    d_kind, d_code, d_region, d_city, d_name, d_lat, d_lon = (
        defaults[name] for name in PLACE_ATTRIBUTES)
    for span in places:
        start, stop = span.start_char, span.end_char
        quotes.append(text[start:stop])
        attrs.append((get(("._.", "place_kind", start, stop), d_kind) or "site",
                      get(("._.", "country_code", start, stop), d_code),
                      get(("._.", "region", start, stop), d_region),
                      get(("._.", "place_city", start, stop), d_city),
                      get(("._.", "place_name", start, stop), d_name),
                      get(("._.", "latitude", start, stop), d_lat),
                      get(("._.", "longitude", start, stop), d_lon)))
    place_ends: dict[int, int] = {}
    place_codes: dict[int, str | None] = {}
    for span, (_, code, *_rest) in zip(places, attrs):
        place_ends[span.start] = max(place_ends.get(span.start, 0), span.end)
        place_codes.setdefault(span.start, code)
    for i, town in district_of_town(tokens, places, attrs).items():
        kind, code, region, city, name, lat, lon = attrs[i]
        attrs[i] = ("district", code, town[2], town[3], name, town[5], town[6])
    listed = list_members(tokens, places, [a[0] for a in attrs])
    out = []
    for span, quote, (kind, code, region, city, name, lat, lon) in zip(places, quotes, attrs):
        score, vicinity = mention_score(span, tokens, cues, end, dateline, companies, names, heads, place_ends,
                                        place_codes, kind, code, quote, weights)
        in_dateline = bool(dateline) and dateline[0] <= span.start < dateline[1]
        out.append(Scored(span, score, vicinity, in_dateline, listed.get(span.start, 1.0), weights.mention,
                          kind, code, region, city, name, lat, lon))
    return out


def district_of_town(doc: Tokens, places: list[Span], attrs: list[tuple]) -> dict[int, tuple]:
    """Town names written as a district of the town that follows: 'in Nha Be district, Ho Chi Minh
    City', 'Dong Anh district of Hanoi'. The gazetteer knows such districts as towns of their own;
    the text says the city is the one after. Index of the district's mention -> the town's attributes.
    """
    by_start = {span.start: i for i, span in enumerate(places)}
    out: dict[int, tuple] = {}
    for i, span in enumerate(places):
        kind, code = attrs[i][0], attrs[i][1]
        j = span.end
        if kind != "city" or j + 2 >= doc.n or doc.lower[j] not in DISTRICT_NOUNS \
                or doc.lower[j + 1] not in (",", "of", "in"):
            continue
        k = j + 2 + (1 if doc.text[j + 2].isspace() else 0)
        town = by_start.get(k)
        if town is not None and attrs[town][1] == code and attrs[town][3] and attrs[town][0] in ("city", "region"):
            out[i] = attrs[town]
    return out


def list_members(doc: Tokens, places: list[Span], kinds: list[str]) -> dict[int, float]:
    """Places named as items of a list share one vote: 'in Goa, Kerala and Rajasthan' names none.

    Start -> share of a vote: 1/2 for a pair of places of one kind, 0 for three or more.
    """
    runs: list[list[Span]] = []
    previous: Span | None = None
    previous_kind = ""
    for span, kind in zip(places, kinds):
        if previous is not None and span.start > previous.start and kind == previous_kind \
                and coordinated(doc, previous.end, span.start):
            runs[-1].append(span)
        else:
            runs.append([span])
        previous, previous_kind = span, kind
    shares: dict[int, float] = {}
    for run in runs:
        if len(run) > 1:
            for span in run:
                shares[span.start] = 0.5 if len(run) == 2 else 0.0
    return shares


def coordinated(doc: Tokens, end: int, start: int) -> bool:
    """Are the tokens between two places only list punctuation ('Goa, Kerala', 'X and Y')?"""
    if start - end > 4:
        return False
    between = [doc.lower[i] for i in range(end, start) if not doc.lower[i].isspace()]
    return 0 < len(between) <= 2 and all(word in (",", "and", "or", "&") for word in between)


def vote(mentions: list[Scored], key, vicinity_share: float = 1.0) -> tuple[str | None, float]:
    """The value of `key` the mentions weigh most for, with its total weight.

    A mention that only says 'near X' gives X `vicinity_share` of its weight.
    """
    totals: dict[str, float] = {}
    for m in mentions:
        value = key(m)
        if value:
            totals[value] = totals.get(value, 0.0) + m.weight * (vicinity_share if m.vicinity else 1.0)
    if not totals:
        return None, 0.0
    best = max(totals, key=lambda v: totals[v])
    return best, totals[best]


def resolve_site(doc: Doc, *, weights: SiteWeights = DEFAULT_SITE_WEIGHTS) -> Site | None:
    """The project's site: country, region, city, district and zone, with coordinates where known.

    Mentions vote, level by level: the country with most weight, then its region, then a city
    in that region. A city needs `weights.min_city_weight` (a cue, or a few mentions) to be named.
    """
    min_city_weight = weights.min_city_weight
    mentions = [m for m in scored_mentions(doc, weights) if m.code]
    code, total = vote(mentions, lambda m: m.code)
    if code is None or total <= 0:
        # no place in the text votes: the story was filed from the dateline's place, which is
        # the site only where the text says so ("will build a plant here"); else its country
        fallback = dateline_fallback(doc, mentions)
        here = built_here(Tokens(doc), site_cues())
        if fallback is None:
            site = dateline_site(doc)
            return site if site is None or here else Site(country=site.country, country_code=site.country_code)
        if not here:
            return Site(country=country_name_of(fallback.code), country_code=fallback.code)
        fallback = replace(fallback, score=min_city_weight, in_dateline=False, share=1.0)
        mentions, code = [fallback], fallback.code
    local = [m for m in mentions if m.code == code]
    region, region_total = vote(local, lambda m: m.region)
    if region_total <= 0:
        region = None
    in_region = [m for m in local if region is None or m.region in (None, region)]
    city_mentions = [m for m in in_region if m.kind != "country"]
    city, city_total = vote(city_mentions, lambda m: m.city, vicinity_share=weights.vicinity_share)
    if city_total < min_city_weight:
        city = None
    lat = lon = None
    for m in sorted(in_region, key=lambda m: -m.score):
        if city and m.city == city and m.latitude is not None:
            region = region or m.region
            lat, lon = m.latitude, m.longitude
            break
    district = best_named(in_region, ("district",), city)
    zone = best_named(in_region, ("zone", "site"), city)
    return Site(
        country=country_name_of(code), country_code=code, region=region, city=city,
        district=district, zone=zone, latitude=lat, longitude=lon,
    )


def best_named(mentions: list[Scored], kinds: tuple[str, ...], city: str | None) -> str | None:
    """The district or zone the text most puts the project in, if a cue speaks for one."""
    fitting = [m for m in mentions if m.kind in kinds and m.score > 0
               and (city is None or m.city in (None, city))]
    return max(fitting, key=lambda m: m.score).name if fitting else None


def built_here(doc: Tokens, cues: Cues) -> bool:
    """Does the text put the project at the dateline's place ('a plant here', 'will be built here')?"""
    for i, lower in enumerate(doc.lower):
        if lower == "here":
            before = clause_tokens_before(doc, i, WINDOW_BEFORE)
            if set(before) & cues.project_nouns or set(before) & cues.build_verbs:
                return True
    return False


def dateline_site(doc: Doc) -> Site | None:
    """The site as the dateline's place, looked up in the gazetteer ('SEOUL' is Seoul, KR).

    Used only when no place mention in the text votes at all.
    """
    datelines = doc.spans.get(S.DATELINE, [])
    if not datelines:
        return None
    place = str(datelines[0]._.dateline_place or "").split(",")[0].strip()
    country = str(datelines[0]._.dateline_country or "")
    entry = lookup_town(place, country)
    if entry is None:
        return None
    return Site(
        country=country_name_of(entry.country_code), country_code=entry.country_code,
        region=entry.region, city=entry.name if entry.kind == "city" else None,
        latitude=entry.latitude, longitude=entry.longitude,
    )


def dateline_fallback(doc: Doc, mentions: list[Scored]) -> Scored | None:
    """With no other place to go by, the dateline's place (a wire story often gives only that)."""
    datelines = doc.spans.get(S.DATELINE, [])
    if not datelines:
        return None
    start, end = datelines[0].start, datelines[0].end
    inside_dateline = [m for m in mentions if start <= m.span.start < end and m.code]
    return max(inside_dateline, key=lambda m: SPECIFICITY.get(m.kind, 0.0)) if inside_dateline else None
