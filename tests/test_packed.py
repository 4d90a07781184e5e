"""The prebuilt places table (scripts/build_place_table.py) is current, equals a fresh build, and
is not used once anything its contents are made from changes."""
from __future__ import annotations

import cProfile
import pstats
from pathlib import Path

import pytest
import spacy

import extractor
from extractor.layers import gazetteer
from extractor.layers.tokenizer import customize_tokenizer
from extractor.packed import PackedEntries, fingerprint, read_table
from extractor.ruleset import data_path, packaged_rules

PACKAGE_DIR = Path(extractor.__file__).parent


@pytest.fixture(scope="module")
def fresh_build():
    """The gazetteer and match keys built from the sources, the package's modules whose code ran
    while building them, and the names of the data and rule files the build read."""
    read: list[str] = []
    real_data_path, real_rules = gazetteer.data_path, gazetteer.packaged_rules
    gazetteer.data_path = lambda name: read.append(name) or real_data_path(name)
    gazetteer.packaged_rules = lambda name: read.append(name) or real_rules(name)
    gazetteer.city_table.cache_clear()
    gazetteer.town_populations.cache_clear()
    nlp = spacy.blank("en")  # imports the layers it registers: their import is not the build
    profile = cProfile.Profile()
    try:
        profile.enable()
        built = gazetteer.build_gazetteer(packaged_rules(gazetteer.RULE_FILE))
        customize_tokenizer(nlp)
        keys = gazetteer.match_keys(nlp, built)
        profile.disable()
    finally:
        gazetteer.data_path, gazetteer.packaged_rules = real_data_path, real_rules
    ran = {Path(filename) for filename, _, _ in pstats.Stats(profile).stats}
    return built, keys, {path for path in ran if PACKAGE_DIR in path.parents}, set(read)


def test_the_packaged_place_table_is_current():
    table = read_table(data_path(gazetteer.PLACE_TABLE_FILE), gazetteer.place_table_fingerprint())
    assert table is not None, "the gazetteer's code, rules or data changed: run python scripts/build_place_table.py"


def test_the_packaged_gazetteer_equals_a_fresh_build(fresh_build):
    built, keys, *_ = fresh_build
    packed = gazetteer.packaged_gazetteer()
    assert isinstance(packed.names, PackedEntries)
    for field in ("names", "towns"):
        fresh, read = getattr(built, field), getattr(packed, field)
        assert set(read) == set(fresh)  # in no fixed order: country forms come from a set
        assert all(read[key] == fresh[key] for key in fresh), field
    for field in ("suffixes", "prefixes", "stop", "not_before", "appositives", "site_nouns", "demonyms"):
        assert getattr(packed, field) == getattr(built, field), field
    assert set(packed.match_keys.names) == set(keys.names) and set(packed.match_keys.towns) == set(keys.towns)
    assert set(packed.match_keys.patterns) == set(keys.patterns)


def test_the_fingerprint_covers_all_code_that_builds_the_table(fresh_build):
    """A module of ours joining the build must join the fingerprint too (the rule loader is
    covered by the parsed rules it returns)."""
    _, _, ran, _ = fresh_build
    files, _ = gazetteer.place_table_inputs()
    covered = set(files) | {PACKAGE_DIR / "ruleset.py", PACKAGE_DIR / "__init__.py", PACKAGE_DIR / "layers" / "__init__.py"}
    assert ran - covered == set()


def test_the_fingerprint_covers_every_data_file_the_build_reads(fresh_build):
    *_, read = fresh_build
    files, rules = gazetteer.place_table_inputs()
    assert gazetteer.CITY_FILE in read
    assert read <= {path.name for path in files} | set(rules) | {gazetteer.RULE_FILE}


def _changed_copy(path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes() + b"\n")
    return copy


def test_a_change_to_any_file_the_table_is_made_from_is_detected(tmp_path):
    files, rules = gazetteer.place_table_inputs()
    assert {path.name for path in files} >= {"gazetteer.py", "tokenizer.py", "packed.py", gazetteer.CITY_FILE}
    current = fingerprint(files, gazetteer.PACKAGES, rules)
    assert current == gazetteer.place_table_fingerprint()
    for number, path in enumerate(files):
        changed = [*files[:number], _changed_copy(path, tmp_path), *files[number + 1:]]
        assert fingerprint(changed, gazetteer.PACKAGES, rules) != current, path.name


def test_a_change_to_any_rule_the_table_is_made_from_is_detected():
    files, rules = gazetteer.place_table_inputs()
    assert set(rules) == {gazetteer.RULE_FILE, gazetteer.SITE_CUE_FILE, gazetteer.TOKENIZER_RULE_FILE}
    current = fingerprint(files, gazetteer.PACKAGES, rules)
    for name, parsed in rules.items():
        edited = [dict(rule) for rule in parsed] if isinstance(parsed, tuple) else dict(parsed)
        if isinstance(edited, list):
            edited[0]["id"] = edited[0]["id"] + "-edited"
        else:
            first = sorted(edited)[0]
            edited[first] = [*edited[first], "edited"]
        assert fingerprint(files, gazetteer.PACKAGES, {**rules, name: edited}) != current, name


def test_a_stale_table_is_not_used(monkeypatch, tmp_path):
    """The table read under another fingerprint is refused and the gazetteer built afresh."""
    assert read_table(data_path(gazetteer.PLACE_TABLE_FILE), "another fingerprint") is None
    fresh = object()
    monkeypatch.setattr(gazetteer, "place_table_fingerprint", lambda: "another fingerprint")
    monkeypatch.setattr(gazetteer, "build_gazetteer", lambda rules: fresh)
    assert gazetteer.packaged_gazetteer.__wrapped__() is fresh
