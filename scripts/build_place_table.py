#!/usr/bin/env python3
"""Build `extractor/rules/places_table.npz`: the places gazetteer, prebuilt.

The places layer reads this table in one go at start-up instead of building ~200,000 names
from pycountry, GeoNames and `rules/places.jsonl` in every process. Run it after changing the
places code, its rules or data (a test says when the table is stale; a stale table is ignored,
so the layer is only slower to start, never different):

    python scripts/build_place_table.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy  # noqa: E402

from extractor.layers import places  # noqa: E402
from extractor.layers.tokenizer import customize_tokenizer  # noqa: E402
from extractor.packed import save_table  # noqa: E402
from extractor.ruleset import data_path, packaged_rules  # noqa: E402


def main() -> int:
    gazetteer = places.build_gazetteer(packaged_rules(places.RULE_FILE))
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)  # the longer names' token hashes come from our tokenizer
    keys = places.match_keys(nlp, gazetteer)
    header, arrays = places.gazetteer_to_table(gazetteer, keys)
    out = data_path(places.PLACE_TABLE_FILE)
    save_table(out, {"fingerprint": places.place_table_fingerprint(), **header}, arrays)
    print(f"{out}: {len(gazetteer.names):,} names, {len(gazetteer.towns):,} towns, {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
