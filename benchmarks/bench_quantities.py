"""Cost of the quantities layer (and of our tokenizer rules) against the bare spaCy tokenizer.

    python benchmarks/bench_quantities.py [DIR ...] [--repeat 5]

Prints tokens per second of: the bare `spacy.blank("en")` tokenizer, our tokenizer, and the
quantities layer alone on already-tokenized docs; then the layer's time as a share of the bare
tokenizer's time (the brief wants the whole pipeline at >= half the tokenizer's speed, so one
layer should cost well under the tokenizer's own time).
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

from bench import load_texts  # noqa: E402  (same texts, same way)
from extractor.pipeline import build_pipeline  # noqa: E402


def timed(fn, items) -> float:
    """CPU seconds (not wall time: other work on a shared machine should not count)."""
    start = time.process_time()
    for item in items:
        fn(item)
    return time.process_time() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "corpus"])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    texts = load_texts(args.dirs)
    bare = spacy.blank("en")
    nlp = build_pipeline()
    layer = nlp.get_pipe("quantities")
    tokens = sum(len(bare.tokenizer(t)) for t in texts)
    bare_s, ours_s, layer_s = [], [], []
    for _ in range(args.repeat):
        bare_s.append(timed(bare.tokenizer, texts))
        docs = [nlp.make_doc(t) for t in texts]
        ours_s.append(timed(nlp.make_doc, texts))
        layer_s.append(timed(layer, docs))
    b, o, q = (min(x) for x in (bare_s, ours_s, layer_s))  # the least disturbed round
    print(json.dumps({
        "documents": len(texts),
        "tokens": tokens,
        "bare_tokenizer_tokens_per_s": round(tokens / b),
        "our_tokenizer_tokens_per_s": round(tokens / o),
        "quantities_layer_tokens_per_s": round(tokens / q),
        "layer_time_share_of_bare_tokenizer": round(q / b, 3),
        "tokenizer_plus_layer_speed_ratio": round(b / (o + q), 3),
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
