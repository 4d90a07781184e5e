"""Speed of the whole pipeline as a ratio to the bare spaCy tokenizer, in one process.

    python benchmarks/bench_pipeline.py [DIR ...] [--repeat 5]

The baseline is `spacy.blank("en")`'s tokenizer over the same texts. The target (the brief):
the full `extract` (tokenizer, every layer, assembly, pydantic validation) runs at no less than
half the baseline's speed, i.e. ratio >= 0.50. Rounds alternate baseline and pipeline so that
machine noise hits both alike; each side's least disturbed round (CPU time of this process)
counts. Also prints each layer's share.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import extract  # noqa: E402
from extractor.pipeline import get_pipeline  # noqa: E402


def load_texts(dirs: list[Path]) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for d in dirs for p in sorted(d.rglob("*.txt"))]
    if not texts:
        raise SystemExit(f"no *.txt under {', '.join(map(str, dirs))}")
    return texts


def seconds(fn, texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        fn(text)
    return time.process_time() - start


def layer_seconds(texts: list[str]) -> dict[str, float]:
    """Time spent in the tokenizer and in each component, over the texts once."""
    nlp = get_pipeline()
    spent = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
    for text in texts:
        start = time.process_time()
        doc = nlp.make_doc(text)
        spent["tokenizer"] += time.process_time() - start
        for name, component in nlp.pipeline:
            start = time.process_time()
            doc = component(doc)
            spent[name] += time.process_time() - start
    return spent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "corpus"])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    texts = load_texts(args.dirs)
    bare = spacy.blank("en")
    tokens = sum(len(bare.tokenizer(t)) for t in texts)
    for text in texts:  # warm up: pipeline built, gazetteers loaded, caches filled
        extract(text)

    baseline, pipeline = [], []
    for _ in range(args.repeat):
        baseline.append(seconds(bare.tokenizer, texts))
        pipeline.append(seconds(extract, texts))
    base_s, pipe_s = min(baseline), min(pipeline)
    spent = layer_seconds(texts)
    result = {
        "documents": len(texts),
        "tokens": tokens,
        "tokenizer_tokens_per_s": round(tokens / base_s),
        "extract_tokens_per_s": round(tokens / pipe_s),
        "ratio": round(base_s / pipe_s, 3),
        "share_of_extract": {k: round(v / pipe_s, 3) for k, v in spent.items()},
    }
    print(json.dumps(result, indent=2))
    print(f"ratio {result['ratio']:.2f} (pipeline / bare tokenizer speed; target >= 0.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
