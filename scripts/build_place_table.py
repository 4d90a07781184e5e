#!/usr/bin/env python3
"""Build `extractor/rules/places_table.npz`: the places gazetteer, prebuilt.

The places layer reads this table in one go at start-up instead of building ~200,000 names
from pycountry, GeoNames and `rules/places.jsonl` in every process. Run it after changing what
the table is made from (`gazetteer.place_table_inputs`: `extractor/layers/gazetteer.py`, the
tokenizer, the places and site-cue rules, the GeoNames data); a test says when the table is
stale, and a stale table is ignored, so the layer is only slower to start, never different.
Changes to the places layer's reading rules (`extractor/layers/places.py`) need no rebuild:

    python scripts/build_place_table.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy  # noqa: E402

from extractor.layers import gazetteer  # noqa: E402
from extractor.layers.tokenizer import customize_tokenizer  # noqa: E402
from extractor.packed import save_table  # noqa: E402
from extractor.ruleset import data_path, packaged_rules  # noqa: E402


def main() -> int:
    built = gazetteer.build_gazetteer(packaged_rules(gazetteer.RULE_FILE))
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)  # the longer names' token hashes come from our tokenizer
    keys = gazetteer.match_keys(nlp, built)
    header, arrays = gazetteer.gazetteer_to_table(built, keys)
    out = data_path(gazetteer.PLACE_TABLE_FILE)
    save_table(out, {"fingerprint": gazetteer.place_table_fingerprint(), **header}, arrays)
    print(f"{out}: {len(built.names):,} names, {len(built.towns):,} towns, {out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
