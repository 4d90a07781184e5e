"""Whether a release is about one specific physical project at all (`project.detected`).

A wire carries far more than project news: products, apps, tokens, results, funding rounds,
awards, events, services, appointments, health and research news. Those releases still name
places, companies and money, so the record's project-level fields would fill with noise. The
detector weighs the evidence of a project the layers already found (a project noun tied to a
build / open / expand / approve / close verb in the headline or lead, milestones, project
figures, a resolved site) against the signs of other genres (rules/detection.jsonl), with the
weights of `DetectionWeights` (fitted by leave-one-source-out cross-validation:
scripts/tune_detection.py). A headline announcing another genre's act (results reported, a
person appointed, a round raised, a product launched, a suit filed) with no project noun or verb
leaves the figures uncounted: they are the company's, named in passing.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from extractor.assembly.context import Context
from extractor.assembly.document import Document
from extractor.ruleset import RuleFileError, packaged_rules

RULE_FILE = "detection.jsonl"
CATEGORIES = frozenset({"project_noun", "project_verb", "genre", "genre_act"})
HAS_WORD = re.compile(r"[^\W_]")  # a letter or digit: a sentence with words
WORD = re.compile(r"[^\W_]+|[^\w\s]")  # the way the tokenizer splits a phrase: words and single marks

LEAD_SENTENCES = 4  # sentences after the headline that state a release's news
LEAD_OPENING = 2  # the lead's first sentences, which restate the headline's act (a date line on its own is one)
TIE_WINDOW = 12  # tokens between a project noun and its verb for the two to count as one claim
MAX_TIES = 3  # lead sentences that tie a noun to a verb: more add nothing
MAX_MILESTONES = 3
MAX_FIGURES = 4
MAX_GENRES = 3
MAX_LEAD_GENRE_HITS = 6
# cue categories the layers already find that speak of a project's life (beside project_verb rules)
PROJECT_CUE_VERBS = frozenset({"milestone", "start_verb", "status"})
MIN_STATUS_WEIGHT = 1.0  # weak status cues ("offers", "based in") speak of any company
MIN_STORY_TOKENS = 100  # a density over fewer tokens says little: a one-line text is read as this long
PROJECT_SLOTS = ("capacity", "area", "investment", "output_value", "tax", "jobs")


@dataclass(frozen=True)
class DetectionWeights:
    """Weights of the detector's linear score; detected where the score is >= 0.

    Fitted by scripts/tune_detection.py (L2-regularised logistic regression over
    ../shared/eval/dev, dev2, offtopic and corpus/, checked by leave-one-source-out
    cross-validation), then rounded. The bias carries a threshold shift of +0.50: of the shifts
    that leave cross-validation slack to both bounds of the acceptance (at most 5 % false alarms,
    at least 97 % of project releases found), the one with the most that keeps the bias below 0
    (a text with no evidence at all is no project; the script's +0.75 gives 0.01 more slack and a
    bias of +0.24). A feature's weight is per unit of the feature.
    """

    bias: float = -0.01
    headline_project: float = 1.14  # a project noun in the headline (0/1)
    headline_tie: float = 1.11  # the headline ties a project noun to a project verb (0/1)
    lead_ties: float = 1.57  # lead sentences tying a project noun to a project verb (0..MAX_TIES)
    body_tie_density: float = 0.53  # noun-verb ties per 100 story tokens after the lead
    milestones: float = -0.05  # milestone events of the story (0..MAX_MILESTONES)
    figures: float = 2.02  # project slots filled: capacity, area, investment, ... (0..MAX_FIGURES; 0 under headline_act)
    site: float = 0.14  # a site resolved to a city or region (0/1)
    headline_genres: float = -0.40  # distinct other genres the headline shows (0..MAX_GENRES)
    lead_genre_hits: float = -0.15  # other-genre phrases in the lead (0..MAX_LEAD_GENRE_HITS)
    genre_density: float = -0.88  # other-genre phrases per 100 story tokens
    headline_act: float = -0.02  # the headline announces another genre's act and names no project noun or verb (0/1)


WEIGHTS = DetectionWeights()


class Hit(NamedTuple):
    """One detection phrase found in the text (token offsets)."""

    category: str
    value: str | None
    start: int
    end: int
    sentence: int  # the rank of its sentence among those with words (0: the headline)


class Features(NamedTuple):
    """What the detector weighs, one number per `DetectionWeights` field (bias aside)."""

    headline_project: float
    headline_tie: float
    lead_ties: float
    body_tie_density: float
    milestones: float
    figures: float
    site: float
    headline_genres: float
    lead_genre_hits: float
    genre_density: float
    headline_act: float


class Decision(NamedTuple):
    detected: bool
    score: float
    features: Features
    genres: tuple[str, ...]  # the other genres seen in the headline and lead, most frequent first


@lru_cache(maxsize=1)
def phrase_index() -> dict[str, tuple[tuple[tuple[str, ...], str, str | None], ...]]:
    """Detection phrases by their first word, longest first: (words, category, value)."""
    index: dict[str, list[tuple[tuple[str, ...], str, str | None]]] = {}
    for rule in packaged_rules(RULE_FILE):
        if rule["category"] not in CATEGORIES:
            raise RuleFileError(f"{RULE_FILE}: rule {rule['id']!r}: unknown category {rule['category']!r}; "
                                f"known: {sorted(CATEGORIES)}")
        for phrase in rule["phrases"]:
            words = tuple(WORD.findall(phrase.lower()))
            if words:
                index.setdefault(words[0], []).append((words, rule["category"], rule.get("value")))
    return {first: tuple(sorted(entries, key=lambda e: -len(e[0]))) for first, entries in index.items()}


def sentence_ranks(ctx: Context) -> list[int]:
    """The rank of each sentence among those with words: blank lines and lone marks between a
    headline and its lead are no sentences of their own, so "the lead" means the same in every
    layout. Example: headline, blank line, lead -> ranks 0, 1, 1."""
    text, starts = ctx.text, ctx.starts
    ranks: list[int] = []
    rank = 0
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        ranks.append(rank)
        if HAS_WORD.search(text, start, end):
            rank += 1
    return ranks


Entry = tuple[tuple[str, ...], str, "str | None"]  # a phrase's words, category and value


@lru_cache(maxsize=1)
def phrase_starts() -> dict[str, tuple[tuple[Entry, ...], dict[str, tuple[Entry, ...]]]]:
    """`phrase_index` by its first word, split by the second: (the one-word entries, and for
    each word a longer entry goes on with, the entries that can match before it: the one-word
    ones and those going on with it), each in `phrase_index`'s order (longest first).

    Why: most starts of a phrase ("to", "plant", "new") are followed by a word none of their
    longer phrases goes on with; one look-up of that word leaves only the entries that can match.
    """
    found: dict[str, tuple[tuple[Entry, ...], dict[str, tuple[Entry, ...]]]] = {}
    for first, entries in phrase_index().items():
        alone = tuple(e for e in entries if len(e[0]) == 1)
        seconds = {e[0][1] for e in entries if len(e[0]) > 1}
        found[first] = (alone, {w: tuple(e for e in entries if len(e[0]) == 1 or e[0][1] == w) for w in seconds})
    return found


def phrase_hits(view: Document, ctx: Context, end_token: int, ranks: list[int] | None = None) -> list[Hit]:
    """Every detection phrase in tokens [0, end_token), the longest per start and category.

    Example: "will break ground on a new plant" gives a project_verb at "break ground" and a
    project_noun at "plant". Cost: one dictionary look-up per token, one more per token that
    starts a phrase (`phrase_starts`).
    """
    index = phrase_starts()
    ranks = ranks if ranks is not None else sentence_ranks(ctx)
    if not end_token:
        return []
    lowers, offsets = view.tokens.lower, view.tokens.starts
    starts = ctx.starts
    hits: list[Hit] = []
    covered: dict[str, int] = {}  # category -> end of its last hit, so "shut down" is not also "shut"
    # the few tokens before end_token that can start a phrase, picked in one pass of C-level
    # iterators (no Python loop step per token, no copy of the words)
    for i in compress(range(end_token), map(index.__contains__, lowers)):
        alone, by_next = index[lowers[i]]
        # a phrase ends by end_token: past it no word follows
        entries = by_next.get(lowers[i + 1], alone) if i + 1 < end_token else alone
        for words, category, value in entries:
            n = len(words)
            if covered.get(category, 0) > i or i + n > end_token:
                continue
            if n > 2 and tuple(lowers[i + 2:i + n]) != words[2:]:  # the first two words match already
                continue
            covered[category] = i + n
            # tuple.__new__ straight: the NamedTuple's own __new__ is a Python function
            hits.append(_new_tuple(Hit, (category, value, i, i + n, ranks[bisect_right(starts, offsets[i]) - 1])))
    return hits


_new_tuple = tuple.__new__


def story_end_token(view: Document, ctx: Context) -> int:
    """The token where the closing "About ..." / contacts section starts (or the doc's end)."""
    if ctx.boilerplate_from is None or not view.n:
        return view.n
    return bisect_left(view.tokens.starts, ctx.boilerplate_from)


def tied(nouns: list[tuple[int, int]], verbs: list[tuple[int, int]]) -> bool:
    """Whether some noun and some verb (token bounds) start within TIE_WINDOW tokens of each other.

    Cost: a sort and a binary search per noun, so a text with no sentence ends stays linear.
    """
    starts = sorted(v0 for v0, _ in verbs)
    for n0, _ in nouns:
        i = bisect_left(starts, n0 - TIE_WINDOW)
        if i < len(starts) and starts[i] <= n0 + TIE_WINDOW:
            return True
    return False


def within_act(start: int, end: int, act_tokens: set[int]) -> bool:
    """Whether tokens [start, end) lie inside another genre's act: "launched" is a start cue, but
    in "today launched its new storage system" it launches a product, not a project; "launched
    construction" still ties through "construction"."""
    return start in act_tokens and end - 1 in act_tokens


def detection_features(view: Document, ctx: Context, *, filled_slots: int, milestones: int,
                       has_site: bool) -> tuple[Features, tuple[str, ...]]:
    """The detector's features of one analysed document, and the genres of its headline and lead.

    `filled_slots`: how many project slots hold a figure; `milestones`: the story's milestone
    events; `has_site`: whether a city or region was resolved as the project's site.
    """
    end_token = story_end_token(view, ctx)
    ranks = sentence_ranks(ctx)
    hits = phrase_hits(view, ctx, end_token, ranks)
    nouns: dict[int, list[tuple[int, int]]] = {}
    verbs: dict[int, list[tuple[int, int]]] = {}
    genre_count: dict[str, int] = {}
    headline_genres: set[str] = set()
    headline_act = headline_verb_phrase = False  # another genre's act / a project verb of the rules there
    act_tokens: set[int] = set()  # the tokens of other genres' acts ("launched" a product)
    opening_verbs: dict[int, list[tuple[int, int]]] = {}  # project_verb phrases of the lead's opening
    lead_genre_hits = body_genre_hits = 0
    lead_end = LEAD_SENTENCES + 1
    for category, value, start, end, sentence in hits:  # unpacked: Hit's fields in order
        if category == "project_noun":
            nouns.setdefault(sentence, []).append((start, end))
        elif category == "project_verb":
            verbs.setdefault(sentence, []).append((start, end))
            headline_verb_phrase = headline_verb_phrase or sentence == 0
            if 0 < sentence <= LEAD_OPENING:
                opening_verbs.setdefault(sentence, []).append((start, end))
        elif category == "genre_act":
            headline_act = headline_act or sentence == 0
            act_tokens.update(range(start, end))
            if sentence < lead_end:  # the act names the genre best: it counts beside the phrases
                genre_count[str(value)] = genre_count.get(str(value), 0) + 1
        else:
            body_genre_hits += 1
            if sentence == 0:
                headline_genres.add(str(value))
            if sentence < lead_end:
                lead_genre_hits += 1
                genre_count[str(value)] = genre_count.get(str(value), 0) + 1
    starts = ctx.starts
    for cue in view.cues(ctx, "project_type"):
        if cue.start < end_token:  # ranks[ctx.sentence(cue.start_char)], the bisect inlined
            nouns.setdefault(ranks[bisect_right(starts, cue.start_char) - 1], []).append((cue.start, cue.end))
    for category in PROJECT_CUE_VERBS:  # the order of the pairs does not matter: `tied` sorts
        for cue in view.cues(ctx, category):
            if cue.start < end_token and (category != "status" or cue.weight >= MIN_STATUS_WEIGHT) \
                    and not within_act(cue.start, cue.end, act_tokens):
                verbs.setdefault(ranks[bisect_right(starts, cue.start_char) - 1], []).append((cue.start, cue.end))
    ties = {sent for sent in nouns if sent in verbs and tied(nouns[sent], verbs[sent])}
    lead_ties = sum(1 for sent in ties if 0 < sent < lead_end)
    body_ties = sum(1 for sent in ties if sent >= lead_end)
    per_100 = 100.0 / max(end_token, MIN_STORY_TOKENS)
    # the headline's act is another genre's where it names no project: "reports third quarter
    # results" is, "launches construction of its new plant" is not; then the release's figures
    # (capacity, jobs, money) are the company's, not a project's. Unless the lead's opening ties
    # a project noun to a project_verb phrase ("launches $2 billion venture", then "... that will
    # build a hydrogen plant"); the weak cues ("announced") tie every company's description
    other_act = headline_act and 0 not in nouns and not headline_verb_phrase and not any(
        sent in nouns and tied(nouns[sent], spans) for sent, spans in opening_verbs.items())
    features = Features(
        headline_project=float(0 in nouns),
        headline_tie=float(0 in ties),
        lead_ties=float(min(lead_ties, MAX_TIES)),
        body_tie_density=round(body_ties * per_100, 4),
        milestones=float(min(milestones, MAX_MILESTONES)),
        figures=0.0 if other_act else float(min(filled_slots, MAX_FIGURES)),
        site=float(has_site),
        headline_genres=float(min(len(headline_genres), MAX_GENRES)),
        lead_genre_hits=float(min(lead_genre_hits, MAX_LEAD_GENRE_HITS)),
        genre_density=round(body_genre_hits * per_100, 4),
        headline_act=float(other_act),
    )
    genres = tuple(sorted(genre_count, key=lambda g: (-genre_count[g], g)))
    return features, genres


def score(features: Features, weights: DetectionWeights = WEIGHTS) -> float:
    """The linear score of the features (>= 0: a project)."""
    return weights.bias + sum(getattr(weights, name) * value for name, value in zip(Features._fields, features))


def decide(view: Document, ctx: Context, *, filled_slots: int, milestones: int, has_site: bool,
           weights: DetectionWeights = WEIGHTS) -> Decision:
    """Whether the document's main subject is one specific physical project."""
    features, genres = detection_features(view, ctx, filled_slots=filled_slots, milestones=milestones,
                                          has_site=has_site)
    value = score(features, weights)
    return Decision(value >= 0.0, value, features, genres)


def reason(decision: Decision) -> str:
    """The warning of a release found to be about no project: what it read as, what was missing."""
    f = decision.features
    missing = []
    if not f.headline_tie and not f.lead_ties:
        missing.append("no project noun tied to a build/open/expand/approve/close verb in the headline or lead")
    if not f.milestones:
        missing.append("no milestone")
    if f.headline_act:  # figures there may be, but the headline's act makes them the company's
        missing.append("the headline announces another genre's act: its figures are not a project's")
    elif not f.figures:
        missing.append("no project figures")
    reads = f"reads as {'/'.join(decision.genres[:3])} news" if decision.genres else "no project subject"
    why = "; ".join([reads] + missing)
    return f"project.detected: no specific physical project found ({why}; score {decision.score:.2f}); project-level fields left empty"

