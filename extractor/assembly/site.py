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
from itertools import accumulate
from operator import attrgetter, itemgetter
from typing import Iterator, NamedTuple

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from extractor.assembly.document import Document, Tokens
from extractor.mentions import PlaceMention
from extractor.models import Site
from extractor.layers.gazetteer import packaged_gazetteer, surface_key
from extractor.layers.places import lookup_town
from extractor.ruleset import RuleFileError, packaged_rules

CUE_FILE = "site_cues.jsonl"
ROLES = ("project_noun", "build_verb", "locative", "headquarters", "hq_noun", "other_project", "expansion",
         "event_noun", "when_word", "region_qualifier", "region_noun")
WINDOW_BEFORE = 12  # tokens a building verb or project noun may stand before "in <place>"
# A more specific place says more about the site, other things equal.
SPECIFICITY = {"country": 0.0, "region": 0.3, "city": 0.6, "district": 0.7, "zone": 0.8, "site": 0.8}


@dataclass(frozen=True)
class SiteWeights:
    """What each kind of evidence around a place mention adds to its site score, and how the
    mentions' votes are counted. Positive numbers speak for the site, negative against it.

    scripts/tune_weights.py (leave-one-source-out over dev, dev2, corpus/; scripts/README.md) tags each
    weight: "CV kept" = hand-set, no value of its grid beats it on held-out sources; "CV flat" = no
    value of its grid changes the micro-F1 (the documents do not test it in that range).
    """

    located: float = 1.0  # "in X", "at X": a locative word right before the place; CV kept
    located_project: float = 2.0  # ... with a project noun or building verb earlier in the clause; CV kept
    headquarters: float = -4.0  # "headquartered in X", "based in X"; CV flat
    headquarters_near_project: float = -1.0  # ... with a project noun just before ("its plant, based in X"); CV flat
    based_project: float = 3.5  # "a Virginia-based transformer facility"; CV kept
    based_company: float = -4.0  # "an Atlanta-based maker"; CV flat
    project_noun_after: float = 2.5  # "the Swindon plant"; CV kept
    project_name: float = 2.5  # "the Jingmen Lithium Battery Project"; CV kept
    project_noun_later: float = 2.0  # "its Fort McMurray oil sands operations"; CV flat
    hq_noun_project: float = 0.5  # "the Berlin company plant": a weak cue; CV flat
    qualified_city: float = 0.5  # "Kokomo, Indiana": a town named with its state is named on purpose; CV flat
    other_project: float = -3.0  # "its existing plants in X": another site of the company; CV kept
    event_venue: float = 0.0  # "told a news conference in X", "its Investor Day in X": a venue; CV kept
    in_title: float = 1.0  # the headline names the site more often than not; CV flat
    in_dateline: float = -2.0  # the dateline says where the story was filed; CV flat
    dateline_here: float = 3.0  # ... unless the text builds "a plant here": then it is the site; CV flat
    in_company_profile: float = -3.0  # the closing "About <company>" section lists its other sites; CV kept
    starts_company: float = -3.0  # "Lenzing AG", "Falcon said": the place is (part of) a company's name; CV flat
    inside_company: float = 0.5  # "CATL Guizhou": a local arm of a company; CV flat
    company_head: float = -1.0  # the place's word opens some company's name elsewhere; CV flat
    mention: float = 0.5  # every mention votes a little: a story keeps coming back to its site; CV kept
    in_figure: float = -1.0  # "75 new U.S. jobs", "a U.S. $40 million plant": a country as a figure's modifier; CV flat
    vicinity_share: float = 0.5  # "near X" gives a city this share of the mention's weight; CV kept
    min_city_weight: float = 1.0  # a city needs this much weight (a cue, or a few mentions); CV kept


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
CLAUSE_STOPS = frozenset({".", ";", "!", "?"})  # the clause ends that are no whitespace
SKIPPED_AFTER = frozenset({"'s", "’s", "-", "–"})  # possessives and hyphens between a place and its noun


@dataclass(frozen=True)
class Cues:
    """The site cue words by role, from rules/site_cues.jsonl."""

    project_nouns: frozenset[str]
    build_verbs: frozenset[str]
    locatives: frozenset[str]
    headquarters: frozenset[tuple[str, ...]]  # token sequences, lowercased
    headquarter_lengths: tuple[int, ...]
    headquarter_ends: frozenset[str]  # the last word of each headquarters phrase
    hq_nouns: frozenset[str]
    other_project: frozenset[str]  # "its existing plant in X": another site, unless expanded
    expansion: frozenset[str]
    event_nouns: frozenset[str]  # "a news conference in X": X is where the story's event was held
    when_words: frozenset[str]  # between an event and its place: "a briefing on Monday in X"
    region_qualifiers: frozenset[str]  # between "in" and a region: "in west-central X"
    region_nouns: frozenset[str]  # what a region is called after its name: "the southern X region"


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
        tuple(sorted({len(phrase.split()) for phrase in words["headquarters"]})),
        frozenset(phrase.split()[-1] for phrase in words["headquarters"]), frozenset(words["hq_noun"]),
        frozenset(words["other_project"]), frozenset(words["expansion"]), frozenset(words["event_noun"]),
        frozenset(words["when_word"]), frozenset(words["region_qualifier"]), frozenset(words["region_noun"]),
    )


def clause_tokens_before(doc: Tokens, start: int, limit: int) -> list[str]:
    """Lowercased words before `start`, nearest last, stopping at a sentence or paragraph end.

    Line breaks inside a sentence (wire copy wraps lines) and determiners are skipped, so that
    'a plant at its\nBeaumont' still reads 'plant at' + Beaumont.
    """
    texts, lowers = doc.text, doc.lower
    out: list[str] = []
    if limit <= 0:
        return out
    for i in range(start - 1, -1, -1):  # a range, not an index kept by hand: the walk is hot
        text = texts[i]
        if text in CLAUSE_STOPS:
            break
        if text.isspace():
            if text.count("\n") > 1:
                break
        elif out or lowers[i] not in DETERMINERS:
            out.append(lowers[i])
            if len(out) == limit:
                break
    out.reverse()
    return out


def follows_phrase(before: list[str], phrases: frozenset[tuple[str, ...]], lengths: tuple[int, ...],
                   last_words: frozenset[str] | None = None) -> bool:
    """Does the text before a place end with one of `phrases`? ('... headquartered in' + X)

    `last_words`: the phrases' last words, a screen: most places follow none ("in" aside).
    """
    if not before or (last_words is not None and before[-1] not in last_words):
        return False
    return any(len(before) >= n and tuple(before[-n:]) in phrases for n in lengths)


def after_words(doc: Tokens, end: int, place_ends: dict[int, int], limit: int = 3) -> list[str]:
    """Lowercased words right after a place, past possessives, hyphens and a qualifying place.

    'Beaumont, Texas, refinery' reads 'refinery' after Beaumont.
    """
    texts, lowers, n = doc.text, doc.lower, doc.n
    out: list[str] = []
    i = end
    while i < n and len(out) < limit:
        if not out and texts[i] == "," and i + 1 < n:
            nxt = i + 1 + (1 if texts[i + 1].isspace() else 0)
            if nxt in place_ends:
                i = place_ends[nxt]
                if i < n and texts[i] == ",":
                    i += 1
                continue
        text = lowers[i]
        if text in CLAUSE_ENDS:
            break
        if not text.isspace() and text not in SKIPPED_AFTER:
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
        self.starts = list(map(itemgetter(0), ranges))
        self.sorted = self.starts == sorted(self.starts)  # in order, ties allowed
        self.start_set = set(self.starts)
        # the largest end among the first i + 1 spans
        self.max_end: list[int] = list(accumulate(map(itemgetter(1), ranges), max))

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


@dataclass(frozen=True)
class Surroundings:
    """What the words around any place mention of one document are read against, built once
    per document (`surroundings`): the tokens, the cue words, the headline's and dateline's
    bounds, the company names and the other places."""

    tokens: Tokens
    text: str  # the document's text
    cues: Cues
    title_end: int  # first token after the headline (0 without one)
    dateline: tuple[int, int] | None  # the dateline's token bounds
    companies: CompanySpans
    company_names: frozenset[str]  # the companies' names as written
    company_heads: frozenset[str]  # the first word of each company's name
    place_ends: dict[int, int]  # a place's start token -> the end of the longest place starting there
    place_codes: dict[int, str | None]  # a place's start token -> its country code
    weights: SiteWeights = DEFAULT_SITE_WEIGHTS
    dateline_is_site: bool = False  # "will build a plant near here": the dateline's place is the site
    profile_from: int | None = None  # the first token of a closing "About <company>" / contacts section


def company_overlap(start: int, quote: str | PlaceMention, around: Surroundings) -> float:
    """What a company name around a place says: 'Lenzing AG' is no place; 'CATL Guizhou' is a local arm.

    A place that starts a company's name, or that is written as a company is ('Falcon said'),
    counts against; a place further inside a company's name counts a little for.
    `start`: the place's first token; `quote`: its words, or the mention to quote them from
    where no company span decides.
    """
    weights = around.weights
    found = around.companies.overlap(start)
    if found == "starts":
        return weights.starts_company
    if found == "inside":
        return weights.inside_company
    if not isinstance(quote, str):
        quote = around.text[quote.start_char:quote.end_char]
    if quote in around.company_names:
        return weights.starts_company
    return weights.company_head if quote in around.company_heads else 0.0


def mention_score(place: PlaceMention, kind: str, code: str | None, quote: str | None,
                  around: Surroundings) -> tuple[float, bool]:
    """How strongly the words around one place mention put the project there, and whether the
    mention only says 'near' it. `kind`, `code`: the place's reading (a district of the town
    after it reads as that town's district); `quote`: its words (None: quoted where needed).

    'will build a factory in Shelbyville' scores high; 'Atlanta-based maker' scores below zero.
    """
    tokens, weights = around.tokens, around.weights
    before = clause_tokens_before(tokens, place.start, WINDOW_BEFORE)
    read = words_before(before, around.cues, weights)
    score = read.score + words_after_score(tokens, place.end, around)
    if kind == "city" and qualified_place(tokens, place.end, code, around.place_codes):
        score += weights.qualified_city
    if read.in_passing:
        score += weights.other_project  # "its existing plants in X": named in passing
    if place.start < around.title_end:
        score += weights.in_title
    dateline = around.dateline
    if dateline and dateline[0] <= place.start < dateline[1]:
        score += weights.dateline_here if around.dateline_is_site else weights.in_dateline
    if around.profile_from is not None and place.start >= around.profile_from:
        score += weights.in_company_profile
    if kind == "country" and inside_figure(tokens, place.start, place.end):
        score += weights.in_figure
    if not read.located:
        score += company_overlap(place.start, place if quote is None else quote, around)
    return score, read.vicinity


class WordsBefore(NamedTuple):
    """What the clause's words before a place say (`words_before`)."""

    score: float  # "a plant in X" for the site, "headquartered in X" against
    located: bool  # a locative word right before the place ("in", "at")
    vicinity: bool  # "near X", "120 km west of X": the site is around X, not in it
    in_passing: bool  # "its existing plants in X": another site of the company, unless expanded


def words_before(before: list[str], cues: Cues, weights: SiteWeights) -> WordsBefore:
    """Read the lowercased clause words before a place (`clause_tokens_before`)."""
    score = 0.0
    last = before[-1] if before else ""
    around = len(before) > 1 and last == "of" and before[-2] in SURROUNDINGS
    # "120 km west of Stavanger", "40 miles from Provo": a reference point, not the site's town
    # (only "of" or "from" can end one: most places are read without the call)
    around = around or (last in ("of", "from") and reference_point(before))
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
        context = before[:-1]  # set.isdisjoint: no set built per mention
        if at_event(context, cues):
            score += weights.event_venue  # "will host its investor day in X": the clause is about the event
        elif not cues.project_nouns.isdisjoint(context) or not cues.build_verbs.isdisjoint(context):
            score += weights.located_project
    # most places follow no headquarters phrase: its last word is the screen
    if before and before[-1] in cues.headquarter_ends \
            and follows_phrase(before, cues.headquarters, cues.headquarter_lengths):
        near_project = not cues.project_nouns.isdisjoint(before[-6:-2])
        score += weights.headquarters_near_project if near_project else weights.headquarters
    # a comma ends the phrase an "existing"/"replacing" opens ('The plant, replacing one in A, will
    # be built in B'), unless it stands right before the place (a list, or 'A, <region>')
    commas = [k for k, word in enumerate(before[:-2]) if word == ","]
    phrase = before[commas[-1] + 1:] if commas else before
    in_passing = not cues.other_project.isdisjoint(phrase) and cues.expansion.isdisjoint(phrase)
    return WordsBefore(score, located, vicinity, in_passing)


def at_event(context: list[str], cues: Cues) -> bool:
    """Does the clause before '<locative> X' end on an event ('told a news conference', 'its
    Capital Markets Day today')? Then X is where the event was held, not where the project is.
    """
    for word in reversed(context[-4:]):
        if word not in cues.when_words:
            return word in cues.event_nouns
    return False


def words_after_score(tokens: Tokens, end: int, around: Surroundings) -> float:
    """What the words right after a place say: "X-based" a company or a project, "X plant" and
    "the X Lithium Battery Project" the project itself."""
    cues, weights = around.cues, around.weights
    after = after_words(tokens, end, around.place_ends)
    if after and after[0] == "based":
        # "a Virginia-based transformer facility" places a project; "an Atlanta-based maker" a company
        return weights.based_project if based_project(tokens, end, cues) else weights.based_company
    if after and after[0] in cues.project_nouns:
        return weights.project_noun_after
    if names_a_project(tokens, end, cues):
        return weights.project_name  # "the Jingmen Lithium Battery Project"
    if len(after) > 1 and after[0] not in STOP_WORDS and (
            after[1] in cues.project_nouns or len(after) > 2 and after[1] not in STOP_WORDS
            and after[2] in cues.project_nouns):
        return weights.project_noun_later  # "its Fort McMurray oil sands operations"
    if len(after) > 1 and after[0] in cues.hq_nouns and after[1] in cues.project_nouns:
        return weights.hq_noun_project
    return 0.0


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
    """After '<place>-based', is the noun the phrase ends on a project noun, not a company noun?

    The head of an English compound is its last noun: 'a Virginia-based transformer facility'
    is a facility, 'a Vancouver-based mineral development company' a company, though a project
    noun ('development') comes first. The phrase ends at a clause end, a comma or a function
    word ('that', 'for', 'company focused on copper' stops at 'on', after its head).
    """
    seen = 0
    head = ""
    i = end
    while i < doc.n and seen <= limit:
        lower = doc.lower[i]
        i += 1
        if lower.isspace() or lower in ("-", "–", "based"):
            continue
        if lower in CLAUSE_ENDS or lower in (",", "'s", "’s") or lower in STOP_WORDS:
            break  # a possessive ends the phrase too: 'an Ohio-based company's plant' is a company's
        if lower in cues.hq_nouns:
            head = "company"
        elif lower in cues.project_nouns:
            head = "project"
        seen += 1
    return head == "project"


def qualified_place(doc: Tokens, end: int, code: str | None, place_codes: dict[int, str | None]) -> bool:
    """Is the place followed by ', <place>' of its own country (its state, province or country)?"""
    return end + 1 < doc.n and doc.text[end] == "," and place_codes.get(end + 1, "") == code


def names_a_project(doc: Tokens, end: int, cues: Cues) -> bool:
    """Is the place the first word of a capitalised project name ('X Lithium Battery Project')?"""
    texts, lowers, nouns = doc.text, doc.lower, cues.project_nouns
    for i in range(end, min(end + 4, doc.n)):
        if not texts[i][:1].isupper():
            return False
        if lowers[i] in nouns:
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


@dataclass(slots=True)
class Scored:
    """A place mention and what the words around it say about the site."""

    place: PlaceMention
    score: float
    vicinity: bool = False  # "near X": the site is around X, not in it
    in_dateline: bool = False
    share: float = 1.0  # an item of a list shares its vote with the other items
    mention_weight: float = DEFAULT_SITE_WEIGHTS.mention  # what any mention adds to its score
    # the place's reading (a district of the town after it reads as that town's district)
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


@lru_cache(maxsize=512)
def country_name_of(code: str | None) -> str | None:
    """'CN' -> 'China': the short English name (remembered per code: pycountry's look-up and
    its missing-attribute fallback cost more than the dictionary hit)."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    return (getattr(country, "common_name", None) or country.name) if country else None


def surroundings(view: Document, weights: SiteWeights = DEFAULT_SITE_WEIGHTS,
                 boilerplate_from: int | None = None) -> Surroundings:
    """The per-document part of every place mention's score, built once.

    `boilerplate_from`: where the closing "About ..." / contacts section starts (a character
    offset, `Context.boilerplate_from`), if the caller found one.
    """
    tokens = view.tokens
    companies = view.companies
    dateline = view.dateline
    place_ends: dict[int, int] = {}
    place_codes: dict[int, str | None] = {}
    for place in view.places:
        place_ends[place.start] = max(place_ends.get(place.start, 0), place.end)
        place_codes.setdefault(place.start, place.country_code)
    return Surroundings(
        tokens=tokens, text=view.text, cues=site_cues(), title_end=title_end(tokens),
        dateline=(dateline.start, dateline.end) if dateline else None,
        companies=CompanySpans([(c.start, c.end) for c in companies]),
        company_names=frozenset(view.quote(c) for c in companies),
        company_heads=frozenset(tokens.text[c.start] for c in companies),
        place_ends=place_ends, place_codes=place_codes, weights=weights,
        dateline_is_site=dateline is not None and built_here(tokens, site_cues()),
        profile_from=company_profile_start(tokens, boilerplate_from, site_cues()),
    )


PROFILE_HEADING_MAX_WORDS = 10  # "About Quarzwerk Group AG"; a longer line is a paragraph ('About 800 jobs ...')


def company_profile_start(doc: Tokens, boilerplate_from: int | None, cues: Cues) -> int | None:
    """The first token of the closing "About <company>" / contacts section, where its heading
    is a short line that names no project ("About the Tahtsa Project" describes the site).

    Why: a release closes on the company's profile, which lists its existing plants and
    offices ('operates plants in A and B'); those places are the company's, not the project's.
    """
    if boilerplate_from is None:
        return None
    start = bisect_left(doc.starts, boilerplate_from)
    heading: list[str] = []
    for i in range(start, min(doc.n, start + 3 * PROFILE_HEADING_MAX_WORDS)):
        if "\n" in doc.text[i]:
            break
        if not doc.text[i].isspace():
            heading.append(doc.lower[i])
    else:
        return None  # no line break soon: a paragraph, not a heading
    if not heading or len(heading) > PROFILE_HEADING_MAX_WORDS or not cues.project_nouns.isdisjoint(heading):
        return None
    return start


def scored_mentions(doc: Doc | Document, weights: SiteWeights = DEFAULT_SITE_WEIGHTS,
                    boilerplate_from: int | None = None) -> list[Scored]:
    """Every place mention with its site score, in the places layer's order."""
    view = doc if isinstance(doc, Document) else Document(doc)
    around = surroundings(view, weights, boilerplate_from)
    places = view.places
    readings = [(p.kind or "site", p.country_code, p.region, p.city, p.name, p.latitude, p.longitude)
                for p in places]
    for i, town in district_of_town(around.tokens, places, readings).items():
        readings[i] = ("district", readings[i][1], town[2], town[3], readings[i][4], town[5], town[6])
    reread_as_located(around.tokens, places, readings, view.text, around.cues)
    regions_without_capital(around.tokens, places, readings, view.text, around.cues)
    listed = list_members(around.tokens, places, [r[0] for r in readings])
    dateline = around.dateline
    out = []
    for place, (kind, code, region, city, name, lat, lon) in zip(places, readings):
        score, vicinity = mention_score(place, kind, code, None, around)
        in_dateline = dateline is not None and dateline[0] <= place.start < dateline[1] \
            and not around.dateline_is_site
        out.append(Scored(place, score, vicinity, in_dateline, listed.get(place.start, 1.0), weights.mention,
                          kind, code, region, city, name, lat, lon))
    return out


def district_of_town(doc: Tokens, places: list[PlaceMention], readings: list[tuple]) -> dict[int, tuple]:
    """Town names written as a district of the town that follows: 'in Nha Be district, Ho Chi Minh
    City', 'Dong Anh district of Hanoi'. The gazetteer knows such districts as towns of their own;
    the text says the city is the one after. Index of the district's mention -> the town's reading
    (kind, code, region, city, name, latitude, longitude).
    """
    by_start = {place.start: i for i, place in enumerate(places)}
    out: dict[int, tuple] = {}
    for i, place in enumerate(places):
        kind, code = readings[i][0], readings[i][1]
        j = place.end
        if kind != "city" or j + 2 >= doc.n or doc.lower[j] not in DISTRICT_NOUNS \
                or doc.lower[j + 1] not in (",", "of", "in"):
            continue
        k = j + 2 + (1 if doc.text[j + 2].isspace() else 0)
        town = by_start.get(k)
        if town is not None and readings[town][1] == code and readings[town][3] \
                and readings[town][0] in ("city", "region"):
            out[i] = readings[town]
    return out


def located_in_other_region(doc: Tokens, end: int, start: int, cues: Cues) -> bool:
    """Do the words between a town and the next place say the town lies in that place: 'X in
    west-central Y', 'its X wind complex in the northeastern state of Y'?

    A name qualified so is read against its qualifier (`reread_as_located`). Only a project's
    name ('X wind complex', 'X mine') may stand between: a company's ('the X company's plant
    in Y') says nothing of where X is.
    """
    words = [doc.lower[i] for i in range(end, min(start, end + 12)) if not doc.text[i].isspace()]
    if start - end > 12 or not words:
        return False
    if words[0] != "in":
        nouns = [k for k, word in enumerate(words[:4]) if word in cues.project_nouns]
        if not nouns or any(w in cues.hq_nouns or w in STOP_WORDS or w in SKIPPED_AFTER for w in words[:nouns[-1]]):
            return False
        words = words[nouns[-1] + 1:]
    if not words or words[0] != "in":
        return False
    rest = words[1:]
    if len(rest) > 1 and rest[-1] == "of" and rest[-2] in cues.region_nouns:
        rest = rest[:-2]  # 'in the northeastern state of Y'
    return all(word in cues.region_qualifiers or word in ("the", "-") for word in rest)


def reread_as_located(doc: Tokens, places: list[PlaceMention], readings: list[tuple], text: str,
                      cues: Cues) -> None:
    """A town the text puts in a region or country its gazetteer reading lies outside of ('X in
    west-central Y', where the gazetteer's X is in another state) is a town or a project's name
    the gazetteer does not know there: the text wins. Every mention of that name with that
    reading is read as the place the text puts it in (its country and region; no city).
    """
    wrong: dict[tuple[str, tuple], tuple] = {}
    for i in range(len(places) - 1):
        here, there = readings[i], readings[i + 1]
        if here[0] != "city" or there[0] not in ("region", "country") or not there[1]:
            continue
        fits = here[1] == there[1] and (there[0] == "country" or here[2] == there[2])
        if fits or not located_in_other_region(doc, places[i].end, places[i + 1].start, cues):
            continue
        region = there[2] if there[0] == "region" else None
        wrong[(text[places[i].start_char:places[i].end_char], here)] = (there[0], there[1], region, None, there[4],
                                                                        None, None)
    if not wrong:
        return
    for i, place in enumerate(places):
        found = wrong.get((text[place.start_char:place.end_char], readings[i]))
        if found is not None:
            readings[i] = found


def regions_without_capital(doc: Tokens, places: list[PlaceMention], readings: list[tuple], text: str,
                            cues: Cues) -> None:
    """A region named like its capital ('Arequipa', 'Lima') is the region alone wherever the text
    calls it one ('the southern Arequipa region'): its mentions lose the capital city the
    gazetteer gave them."""
    called: set[str] = set()
    for place, reading in zip(places, readings):
        if reading[0] == "region" and reading[3] and place.end < doc.n:
            after = after_words(doc, place.end, {}, limit=1)
            if after and after[0] in cues.region_nouns:
                called.add(text[place.start_char:place.end_char])
    if not called:
        return
    for i, place in enumerate(places):
        if readings[i][0] == "region" and text[place.start_char:place.end_char] in called:
            kind, code, region, _, name, _, _ = readings[i]
            readings[i] = (kind, code, region, None, name, None, None)


def list_members(doc: Tokens, places: list[PlaceMention], kinds: list[str]) -> dict[int, float]:
    """Places named as items of a list share one vote: 'in Goa, Kerala and Rajasthan' names none.

    Start -> share of a vote: 1/2 for a pair of places of one kind, 0 for three or more.
    """
    runs: list[list[PlaceMention]] = []
    previous: PlaceMention | None = None
    previous_kind = ""
    for place, kind in zip(places, kinds):
        if previous is not None and place.start > previous.start and kind == previous_kind \
                and coordinated(doc, previous.end, place.start):
            runs[-1].append(place)
        else:
            runs.append([place])
        previous, previous_kind = place, kind
    shares: dict[int, float] = {}
    for run in runs:
        if len(run) > 1:
            for place in run:
                shares[place.start] = 0.5 if len(run) == 2 else 0.0
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


CODE, REGION, CITY = attrgetter("code"), attrgetter("region"), attrgetter("city")  # what `vote` counts by
SCORE = attrgetter("score")


def resolve_site(doc: Doc | Document, *, weights: SiteWeights = DEFAULT_SITE_WEIGHTS,
                 boilerplate_from: int | None = None) -> Site | None:
    """The project's site: country, region, city, district and zone, with coordinates where known.

    Mentions vote, level by level: the country with most weight, then its region, then a city
    in that region. A city needs `weights.min_city_weight` (a cue, or a few mentions) to be named.
    """
    view = doc if isinstance(doc, Document) else Document(doc)
    min_city_weight = weights.min_city_weight
    mentions = [m for m in scored_mentions(view, weights, boilerplate_from) if m.code]
    code, total = vote(mentions, CODE)
    if code is None or total <= 0:
        # no place in the text votes: the story was filed from the dateline's place, which is
        # the site only where the text says so ("will build a plant here"); else its country
        fallback = dateline_fallback(view, mentions)
        here = built_here(view.tokens, site_cues())
        if fallback is None:
            site = dateline_site(view)
            return site if site is None or here else Site(country=site.country, country_code=site.country_code)
        if not here:
            return Site(country=country_name_of(fallback.code), country_code=fallback.code)
        fallback = replace(fallback, score=min_city_weight, in_dateline=False, share=1.0)
        mentions, code = [fallback], fallback.code
    local = [m for m in reread_in_country(mentions, code, view.text) if m.code == code]
    region, region_total = vote(local, REGION)
    if region_total <= 0:
        region = None
    in_region = [m for m in local if region is None or m.region in (None, region)]
    city_mentions = [m for m in in_region if m.kind != "country"]
    city, city_total = vote(city_mentions, CITY, vicinity_share=weights.vicinity_share)
    if city_total < min_city_weight:
        city = None
    lat = lon = None
    placed = [m for m in in_region if m.city == city and m.latitude is not None] if city else []
    if placed:  # the city's best-scored mention, the first of equals, gives the coordinates
        best = max(placed, key=SCORE)
        region = region or best.region
        lat, lon = best.latitude, best.longitude
    district = best_named(in_region, ("district",), city)
    zone = best_named(in_region, ("zone", "site"), city)
    return Site(
        country=country_name_of(code), country_code=code, region=region, city=city,
        district=district, zone=zone, latitude=lat, longitude=lon,
    )


def reread_in_country(mentions: list[Scored], code: str, text: str) -> list[Scored]:
    """Town names read in another country than the story's ('Rome' as Italy's in a story about
    Floyd County, Georgia) are the story's country's town of that name where that town lies in
    a region the story names (Rome, Georgia): the gazetteer's first reading goes by size, the
    story's country and region by what the text says.
    """
    named = frozenset(m.region for m in mentions if m.code == code and m.kind == "region" and m.region)
    if not named:
        return mentions
    out = []
    for m in mentions:
        if m.kind == "city" and m.code != code:
            entry = town_in_regions(text[m.place.start_char:m.place.end_char], code, named)
            if entry is not None:
                m = replace(m, code=code, region=entry.region, city=entry.name, name=entry.name,
                            latitude=entry.latitude, longitude=entry.longitude)
        out.append(m)
    return out


@lru_cache(maxsize=2048)
def town_in_regions(name: str, code: str, regions: frozenset[str]):
    """The one town of this name in these regions of this country, if exactly one."""
    found = [e for e in packaged_gazetteer().names.get(surface_key(name), ())
             if e.kind == "city" and e.country_code == code and e.region in regions]
    return found[0] if len(found) == 1 else None


def best_named(mentions: list[Scored], kinds: tuple[str, ...], city: str | None) -> str | None:
    """The district or zone the text most puts the project in, if a cue speaks for one."""
    fitting = [m for m in mentions if m.kind in kinds and m.score > 0
               and (city is None or m.city in (None, city))]
    return max(fitting, key=lambda m: m.score).name if fitting else None


def built_here(doc: Tokens, cues: Cues) -> bool:
    """Does the text put the project at the dateline's place ('a plant near here', 'will be built
    here', 'its factory here')? 'here' must follow a project noun, a building verb or a locative
    word, so that 'click here for the plant's brochure' and 'based here' do not count.
    """
    lowers = doc.lower
    for i in positions_of(lowers, "here"):
        before = clause_tokens_before(doc, i, WINDOW_BEFORE)
        if not before or not (before[-1] in cues.project_nouns or before[-1] in cues.build_verbs
                              or before[-1] in cues.locatives):
            continue
        if not cues.project_nouns.isdisjoint(before) or not cues.build_verbs.isdisjoint(before):
            return True
    return False


def positions_of(words: list[str], word: str) -> Iterator[int]:
    """Every index of `word` in `words`, in order, found by `list.index` (a scan in C) rather
    than by a Python loop over every token."""
    i = -1
    try:
        while True:
            i = words.index(word, i + 1)
            yield i
    except ValueError:
        return


def dateline_site(view: Document) -> Site | None:
    """The site as the dateline's place, looked up in the gazetteer ('SEOUL' is Seoul, KR).

    Used only when no place mention in the text votes at all.
    """
    dateline = view.dateline
    if dateline is None:
        return None
    place = str(dateline.place or "").split(",")[0].strip()
    entry = lookup_town(place, str(dateline.country or ""))
    if entry is None:
        return None
    return Site(
        country=country_name_of(entry.country_code), country_code=entry.country_code,
        region=entry.region, city=entry.name if entry.kind == "city" else None,
        latitude=entry.latitude, longitude=entry.longitude,
    )


def dateline_fallback(view: Document, mentions: list[Scored]) -> Scored | None:
    """With no other place to go by, the dateline's place (a wire story often gives only that)."""
    dateline = view.dateline
    if dateline is None:
        return None
    start, end = dateline.start, dateline.end
    inside_dateline = [m for m in mentions if start <= m.place.start < end and m.code]
    return max(inside_dateline, key=lambda m: SPECIFICITY.get(m.kind, 0.0)) if inside_dateline else None
