"""The places gazetteer: built from its sources, packed into `rules/places_table.npz`, read back.

Everything the packaged table's contents depend on lives here (the Entry type, the build from
pycountry, GeoNames and `rules/places.jsonl`, the matchers' keys), apart from the tokenizer
that splits the longer names, so that the table's fingerprint covers this module, not the
places layer that reads it: the layer's reading rules can change without a ~10 MB rebuild.

The fingerprint (`place_table_fingerprint`) digests this module's source, the rules it reads
as the rule loader parses them, the GeoNames data, the tokenizer's code and rules, and the
versions of pycountry and spaCy. A table whose fingerprint differs is not used: the gazetteer
is built afresh (slower to start, never different). `tests/test_packed.py` checks that the
table equals a fresh build and that a change to any of these inputs is detected.
"""
from __future__ import annotations

import gc
import gzip
import json
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

import numpy
import pycountry
from spacy.language import Language

from extractor.packed import PackedEntries, fingerprint, read_table
from extractor.ruleset import PLACE_KINDS, RuleFileError, data_path, lexicon, packaged_rules

RULE_FILE = "places.jsonl"
CITY_FILE = "gazetteer_cities.json.gz"
SITE_CUE_FILE = "site_cues.jsonl"  # the site resolver's words for what is built
TOKENIZER_RULE_FILE = "tokenizer.jsonl"
PLACE_TABLE_FILE = "places_table.npz"  # the packaged gazetteer, built by scripts/build_place_table.py
KINDS = PLACE_KINDS
# Towns at least this large are matched anywhere; smaller ones only beside a qualifying place.
MATCH_MIN_POPULATION = 5000
# '<Town> am <River>': the words that join a town's everyday name to its river in official names
RIVER_LINKS = frozenset({"am", "an", "im", "ob"})  # not 'upon': 'Burton' is a surname first
# such a town is found under its everyday name too when it has this many people
SHORT_NAME_MIN_POPULATION = 20_000


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


PACKAGES = ("pycountry", "spacy")  # their data and hashing go into the table


def place_table_inputs() -> tuple[list[Path], dict[str, Any]]:
    """What the packaged gazetteer's contents are made from: the code that builds, tokenizes
    and packs it (this module, the tokenizer, `extractor.packed`), the GeoNames data file, and
    the rule files it reads as the rule loader parses them (so a change to the loader that
    changes a rule shows, while the loader's other changes need no rebuild)."""
    from extractor import packed
    from extractor.layers import tokenizer  # splits the longer names into the tokens matched

    code = [Path(__file__), Path(tokenizer.__file__), Path(packed.__file__)]
    rules = {RULE_FILE: packaged_rules(RULE_FILE), SITE_CUE_FILE: packaged_rules(SITE_CUE_FILE),
             TOKENIZER_RULE_FILE: lexicon(TOKENIZER_RULE_FILE)}
    return [*code, data_path(CITY_FILE)], rules


def place_table_fingerprint() -> str:
    """The digest the packaged table must carry to be used (see `place_table_inputs`)."""
    files, rules = place_table_inputs()
    return fingerprint(files, PACKAGES, rules)


def match_keys_to_arrays(keys: MatchKeys) -> dict[str, numpy.ndarray]:
    """The match keys as arrays: the longer names' token hashes one after another, with offsets."""
    lengths = [len(pattern) for pattern in keys.patterns]
    offsets = numpy.zeros(len(lengths) + 1, dtype=numpy.uint64)
    numpy.cumsum(lengths, out=offsets[1:])
    return {"keys_names": numpy.array(keys.names, dtype=numpy.uint64),
            "keys_towns": numpy.array(keys.towns, dtype=numpy.uint64),
            "keys_patterns": numpy.fromiter((orth for p in keys.patterns for orth in p), dtype=numpy.uint64),
            "keys_pattern_offsets": offsets}


def match_keys_from_arrays(arrays: Mapping[str, numpy.ndarray]) -> MatchKeys:
    """`match_keys_to_arrays` read back."""
    flat, offsets = arrays["keys_patterns"].tolist(), arrays["keys_pattern_offsets"].tolist()
    patterns = [tuple(flat[start:end]) for start, end in zip(offsets, offsets[1:])]
    return MatchKeys(arrays["keys_names"].tolist(), arrays["keys_towns"].tolist(), patterns)


def gazetteer_to_table(gazetteer: Gazetteer, keys: MatchKeys) -> tuple[dict[str, Any], dict[str, Any]]:
    """The gazetteer and its match keys as a header and arrays (see `extractor.packed`), for
    `scripts/build_place_table.py`."""
    header = {
        "suffixes": gazetteer.suffixes, "prefixes": gazetteer.prefixes, "appositives": gazetteer.appositives,
        "stop": sorted(gazetteer.stop), "not_before": sorted(gazetteer.not_before),
        "site_nouns": sorted(gazetteer.site_nouns), "demonyms": gazetteer.demonyms,
    }
    arrays = {**PackedEntries.pack(gazetteer.names, Entry).arrays("names_"),
              **PackedEntries.pack(gazetteer.towns, Entry).arrays("towns_"), **match_keys_to_arrays(keys)}
    return header, arrays


def gazetteer_from_table(header: dict[str, Any], arrays: Mapping[str, Any]) -> Gazetteer:
    """`gazetteer_to_table` read back: readings are decoded when a name is looked up."""
    def pairs(table: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
        return {key: (kind, rule_id) for key, (kind, rule_id) in table.items()}

    return Gazetteer(PackedEntries(arrays, Entry, "names_"), PackedEntries(arrays, Entry, "towns_"),
                     pairs(header["suffixes"]), pairs(header["prefixes"]), frozenset(header["stop"]),
                     frozenset(header["not_before"]), pairs(header["appositives"]), frozenset(header["site_nouns"]),
                     header["demonyms"], match_keys_from_arrays(arrays))


@lru_cache(maxsize=1)
def packaged_gazetteer() -> Gazetteer:
    """The gazetteer of the packaged rules: the prebuilt table, read in one go, where it was
    built from the current sources; else built here, once per process."""
    table = read_table(data_path(PLACE_TABLE_FILE), place_table_fingerprint())
    if table is not None:
        return gazetteer_from_table(*table)
    return build_gazetteer(packaged_rules(RULE_FILE))

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


