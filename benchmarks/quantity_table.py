"""Recall and precision of `record.quantities` on the phrase table tests/data/quantity_cases.jsonl.

    python benchmarks/quantity_table.py [-v]

A predicted quantity matches an expected one when value (1% tolerance), unit, value_max, per and
qualifier agree, and item and evidence too where the table states them.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from extractor.assembly.records import quantity_record  # noqa: E402
from extractor.mentions import QuantityMention, mentions_of  # noqa: E402
from extractor.spans import register_extensions  # noqa: E402
from extractor.layers.tokenizer import customize_tokenizer  # noqa: E402

TABLE = ROOT / "tests" / "data" / "quantity_cases.jsonl"


def load_cases(path: Path = TABLE) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("//")]


def close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1e-12)


def matches(expected: dict, got: dict) -> bool:
    """True when the predicted quantity `got` states what the table expects."""
    return (close(expected["value"], got["value"]) and expected["unit"] == got["unit"]
            and close(expected.get("value_max"), got.get("value_max"))
            and expected.get("per") == got.get("per")
            and expected.get("qualifier", "exact") == got.get("qualifier")
            and ("item" not in expected or expected["item"] == got.get("item"))
            and ("evidence" not in expected or expected["evidence"] == got["evidence"]["text"]))


def quantities_only():
    """Our tokenizer and the quantities layer alone: the record's `quantities` are its spans."""
    register_extensions()
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    nlp.add_pipe("extractor_quantities", name="quantities")
    return nlp


def score(cases: list[dict]) -> tuple[int, int, int, list[str]]:
    """(tp, fp, fn, messages) over the table."""
    tp = fp = fn = 0
    misses: list[str] = []
    nlp = quantities_only()
    for case in cases:
        doc = nlp(case["text"])
        got = [quantity_record(m, doc.text).model_dump(mode="json") for m in mentions_of(doc, QuantityMention)]
        left = list(got)
        for exp in case["expect"]:
            hit = next((i for i, g in enumerate(left) if matches(exp, g)), None)
            if hit is None:
                fn += 1
                misses.append(f"MISS {case['id']}: {case['text']!r} expected {exp}; got {got}")
            else:
                tp += 1
                left.pop(hit)
        for g in left:
            fp += 1
            misses.append(f"FP   {case['id']}: {case['text']!r} got {g['value']} {g['unit']} per={g['per']} "
                          f"{g['qualifier']} {g['evidence']['text']!r}")
    return tp, fp, fn, misses


def main() -> int:
    cases = load_cases()
    tp, fp, fn, misses = score(cases)
    if "-v" in sys.argv:
        print("\n".join(misses))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    negatives = sum(1 for c in cases if not c["expect"])
    print(f"cases={len(cases)} negatives={negatives} tp={tp} fp={fp} fn={fn} "
          f"precision={precision:.3f} recall={recall:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
