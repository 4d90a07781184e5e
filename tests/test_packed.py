"""The prebuilt places table (scripts/build_place_table.py) is current and equals a fresh build."""
from __future__ import annotations

import spacy

from extractor.layers import places
from extractor.layers.tokenizer import customize_tokenizer
from extractor.packed import PackedEntries, read_table
from extractor.ruleset import data_path, packaged_rules


def test_the_packaged_place_table_is_current():
    table = read_table(data_path(places.PLACE_TABLE_FILE), places.place_table_fingerprint())
    assert table is not None, "places code, rules or data changed: run python scripts/build_place_table.py"


def test_the_packaged_gazetteer_equals_a_fresh_build():
    packed = places.packaged_gazetteer()
    assert isinstance(packed.names, PackedEntries)
    built = places.build_gazetteer(packaged_rules(places.RULE_FILE))
    for field in ("names", "towns"):
        fresh, read = getattr(built, field), getattr(packed, field)
        assert set(read) == set(fresh)  # in no fixed order: country forms come from a set
        assert all(read[key] == fresh[key] for key in fresh), field
    for field in ("suffixes", "prefixes", "stop", "not_before", "appositives", "site_nouns", "demonyms"):
        assert getattr(packed, field) == getattr(built, field), field
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    keys = places.match_keys(nlp, built)
    assert set(packed.match_keys.names) == set(keys.names) and set(packed.match_keys.towns) == set(keys.towns)
    assert set(packed.match_keys.patterns) == set(keys.patterns)
