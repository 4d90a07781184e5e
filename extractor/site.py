"""Where the project itself is: the site, resolved from the place mentions at assembly time.

Every place mention is scored by the words around it: "a plant in X", "X factory", "located in
X" speak for the site; "headquartered in X", "an X-based company" speak for the company's home;
a place inside the dateline or inside a company's name counts for little. The best mention gives
the site, and the other mentions that lie in it fill what it leaves open (the region of a city
comes from the gazetteer; the city of a region from a city the text also puts the project in).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry
from spacy.tokens import Doc, Span

from . import spans as S
from .models import Site
from .ruleset import packaged_rules

CUE_FILE = "site_cues.jsonl"
ROLES = ("project_noun", "build_verb", "locative", "headquarters", "hq_noun")
WINDOW_BEFORE = 12  # tokens a building verb or project noun may stand before "in <place>"
# A more specific place says more about the site, other things equal.
SPECIFICITY = {"country": 0.0, "region": 0.3, "city": 0.6, "district": 0.7, "zone": 0.8, "site": 0.8}
CLAUSE_ENDS = frozenset({".", ";", "!", "?", "\n", "\n\n"})


@dataclass(frozen=True)
class Cues:
    """The site cue words by role, from rules/site_cues.jsonl."""

    project_nouns: frozenset[str]
    build_verbs: frozenset[str]
    locatives: frozenset[str]
    headquarters: tuple[tuple[str, ...], ...]  # token sequences, lowercased
    hq_nouns: frozenset[str]


@lru_cache(maxsize=1)
def site_cues() -> Cues:
    """The packaged cue lists, read and checked once per process."""
    words: dict[str, list[str]] = {role: [] for role in ROLES}
    for rule in packaged_rules(CUE_FILE, ("role", "words")):
        words[rule["role"]].extend(w.lower() for w in rule["words"])
    return Cues(
        frozenset(words["project_noun"]), frozenset(words["build_verb"]), frozenset(words["locative"]),
        tuple(tuple(phrase.split()) for phrase in words["headquarters"]), frozenset(words["hq_noun"]),
    )


def clause_tokens_before(doc: Doc, start: int, limit: int) -> list[str]:
    """Lowercased tokens before `start`, nearest last, stopping at a sentence end."""
    out: list[str] = []
    i = start - 1
    while i >= 0 and len(out) < limit:
        text = doc[i].text
        if text in CLAUSE_ENDS or "\n" in text:
            break
        out.append(doc[i].lower_)
        i -= 1
    return out[::-1]


def follows_phrase(before: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Does the text before a place end with one of `phrases`? ('... headquartered in' + X)"""
    return any(tuple(before[-len(p):]) == p for p in phrases if len(before) >= len(p))


def after_words(doc: Doc, end: int, limit: int = 3) -> list[str]:
    """Lowercased tokens right after a place, skipping possessives and hyphens ('X's plant')."""
    out: list[str] = []
    i = end
    while i < len(doc) and len(out) < limit:
        text = doc[i].lower_
        if text in CLAUSE_ENDS:
            break
        if text not in ("'s", "’s", "-", "–"):
            out.append(text)
        i += 1
    return out


def mention_score(span: Span, cues: Cues, title_end: int, dateline: tuple[int, int] | None,
                  companies: list[tuple[int, int]]) -> float:
    """How strongly the words around one place mention put the project there.

    'will build a factory in Shelbyville' scores high; 'Atlanta-based maker' scores below zero.
    """
    doc = span.doc
    before = clause_tokens_before(doc, span.start, WINDOW_BEFORE)
    after = after_words(doc, span.end)
    score = 0.0
    located = bool(before) and before[-1] in cues.locatives
    if located:
        score += 1.0
        context = set(before[:-1])
        if context & cues.project_nouns or context & cues.build_verbs:
            score += 2.0
    if follows_phrase(before, cues.headquarters):
        near = set(before[-6:-2])
        score -= 1.0 if near & cues.project_nouns else 4.0
    if after and after[0] == "based":
        nxt = after[1] if len(after) > 1 else ""
        score += 2.5 if nxt in cues.project_nouns else -4.0
    elif after and after[0] in cues.project_nouns:
        score += 2.5
    elif len(after) > 1 and after[0] in cues.hq_nouns and after[1] in cues.project_nouns:
        score += 0.5
    if span.start < title_end:
        score += 1.0
    if dateline and dateline[0] <= span.start < dateline[1]:
        score -= 2.0
    if any(s <= span.start < e or span.start <= s < span.end for s, e in companies) and not located:
        score -= 3.0  # a company named after its town ("Lenzing AG") is not a place mention
    return score


def title_end(doc: Doc) -> int:
    """Index of the first token after the headline (the first line), or 0 without one."""
    for token in doc[:80]:
        if "\n" in token.text or "\n" in token.whitespace_:
            return token.i + 1
    return 0


@dataclass
class Scored:
    span: Span
    score: float

    @property
    def kind(self) -> str:
        return self.span._.place_kind or "site"

    @property
    def code(self) -> str | None:
        return self.span._.country_code


def inside(candidate: Scored, site: Scored) -> bool:
    """Does `candidate` lie in `site` or the other way round, by country and region?"""
    if candidate.code != site.code:
        return False
    a, b = candidate.span._.region, site.span._.region
    return a is None or b is None or a == b


def country_name_of(code: str | None) -> str | None:
    """'CN' -> 'China': the short English name."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    return (getattr(country, "common_name", None) or country.name) if country else None


def scored_mentions(doc: Doc) -> list[Scored]:
    """Every place mention with its site score, in text order."""
    cues = site_cues()
    end = title_end(doc)
    datelines = doc.spans.get(S.DATELINE, [])
    dateline = (datelines[0].start, datelines[0].end) if datelines else None
    companies = [(s.start, s.end) for s in doc.spans.get(S.COMPANY, [])]
    return [Scored(span, mention_score(span, cues, end, dateline, companies))
            for span in doc.spans.get(S.PLACE, [])]


def best_mention(mentions: list[Scored]) -> Scored | None:
    """The mention that most likely places the project; ties go to the more specific, then earlier."""
    usable = [m for m in mentions if m.code]
    if not usable:
        return None
    # places named more often weigh a little more: a story returns to where the project is
    counts: dict[tuple, int] = {}
    for m in usable:
        key = (m.code, m.span._.region, m.span._.place_city)
        counts[key] = counts.get(key, 0) + 1

    def rank(m: Scored) -> tuple[float, int]:
        key = (m.code, m.span._.region, m.span._.place_city)
        return (m.score + SPECIFICITY.get(m.kind, 0.0) + 0.2 * min(counts[key], 4), -m.span.start)

    return max(usable, key=rank)


def resolve_site(doc: Doc, *, min_score: float = -1.0) -> Site | None:
    """The project's site: country, region, city, district and zone, with coordinates where known.

    A mention scoring below `min_score` (a headquarters, a dateline) is never taken as the site.
    """
    mentions = scored_mentions(doc)
    best = best_mention([m for m in mentions if m.score >= min_score])
    if best is None:
        best = dateline_fallback(doc, mentions)
        if best is None:
            return None
    span = best.span
    code = best.code
    region = span._.region
    city = span._.place_city
    district = span._.place_name if best.kind == "district" else None
    zone = span._.place_name if best.kind in ("zone", "site") else None
    lat, lon = span._.latitude, span._.longitude
    related = [m for m in mentions if m is not best and m.score > 0 and inside(m, best)]
    related.sort(key=lambda m: -m.score)
    for m in related:
        if region is None and m.span._.region:
            region = m.span._.region
        if city is None and best.kind in ("region", "district", "zone", "site") and m.kind == "city" \
                and m.span._.region == region:
            city, lat, lon = m.span._.place_name, m.span._.latitude, m.span._.longitude
        if district is None and m.kind == "district" and m.score >= best.score - 1:
            district = m.span._.place_name
        if zone is None and m.kind in ("zone", "site") and m.score >= best.score - 1:
            zone = m.span._.place_name
    return Site(
        country=country_name_of(code), country_code=code, region=region, city=city,
        district=district, zone=zone, latitude=lat, longitude=lon,
    )


def dateline_fallback(doc: Doc, mentions: list[Scored]) -> Scored | None:
    """With no other place to go by, the dateline's place (a wire story often gives only that)."""
    datelines = doc.spans.get(S.DATELINE, [])
    if not datelines:
        return None
    start, end = datelines[0].start, datelines[0].end
    inside_dateline = [m for m in mentions if start <= m.span.start < end and m.code]
    return max(inside_dateline, key=lambda m: SPECIFICITY.get(m.kind, 0.0)) if inside_dateline else None
