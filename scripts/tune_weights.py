#!/usr/bin/env python3
"""Tune assembly's scorer weights (site, slots, status) by leave-one-source-out cross-validation.

    python scripts/tune_weights.py [--eval ../shared/eval] [--corpus corpus]

Every document of eval/dev, eval/dev2 and corpus/ is parsed once; then, one weight at a time
(coordinate-wise around today's defaults, not a full product), each candidate value re-runs only
assembly (`assemble(doc, weights=...)`) and the records are scored with the project's scorer
(extractor.batch.evaluate, the numbers of eval/score.py). The folds are the sources: the wire of
each SOURCES.tsv row (newsdirect, citybiz, ...), "reuters", else the set's name (corpus, ...).
For each fold the value that scores best on the other folds (ties: the default) is scored on the
held-out fold; the summed held-out counts give the cross-validated micro-F1, printed beside the
fitted one (the best value on all documents) and the defaults' (and the grid's worst, which
says how much the weight matters). A weight is worth changing only
where the cross-validated figure beats the defaults'.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from tune_detection import sources  # noqa: E402

# a small grid: the most influential weights of each scorer, two values either side of the default
GRID: dict[str, dict[str, tuple[float, ...]]] = {
    "site": {"located": (0.0, 0.5, 1.5, 2.0), "located_project": (1.0, 1.5, 2.5, 3.0),
             "headquarters": (-6.0, -5.0, -3.0, -2.0), "in_title": (0.0, 0.5, 1.5, 2.0),
             "in_dateline": (-4.0, -3.0, -1.0, -0.5), "mention": (0.25, 0.75, 1.0, 1.5),
             "min_city_weight": (0.5, 1.5, 2.0, 3.0)},
    "slots": {"cue_gap_penalty": (0.0, 0.025, 0.1, 0.2), "total_bonus": (0.0, 0.25, 1.0, 1.5),
              "lead_bonus": (0.0, 0.5, 0.75, 1.0), "initial_penalty": (0.2, 0.4, 1.0, 1.5),
              "capacity_margin": (0.2, 0.4, 0.8, 1.2)},
    "status": {"lead": (1.0, 1.5, 3.0, 4.0), "body_stage": (0.25, 0.75, 1.0, 1.5),
               "stage_over_intent": (1.0, 2.0, 6.0, 8.0), "milestone_over_intent": (0.5, 1.0, 3.0, 4.0),
               "approved_share": (0.1, 0.25, 0.75, 1.0)},
}


def micro_f1(counts: np.ndarray) -> float:
    """Micro-F1 of summed (tp, fp, fn) counts.

    >>> micro_f1(np.array([[8, 1, 1], [0, 1, 0]]))
    0.8421052631578947
    """
    tp, fp, fn = counts.sum(axis=0) if counts.ndim == 2 else counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def leave_one_source_out(table: dict[float, np.ndarray], folds: np.ndarray,
                         default: float) -> tuple[np.ndarray, dict[str, float]]:
    """Held-out (tp, fp, fn) per document and the value each fold chose.

    `table`: candidate value -> per-document counts (n_docs x 3); `folds`: the source of each
    document. Each fold gets the value scoring best on the other folds (ties go to the default,
    so a weight moves only on evidence), scored on its own documents.
    """
    held_out = np.zeros_like(table[default])
    chosen: dict[str, float] = {}
    for fold in sorted(set(folds.tolist())):
        held = folds == fold
        ranked = sorted(table, key=lambda v: (-micro_f1(table[v][~held]), v != default))
        chosen[fold] = ranked[0]
        held_out[held] = table[ranked[0]][held]
    return held_out, chosen


def corpus_docs(eval_dir: Path, corpus: Path) -> tuple[list, list[str]]:
    """The gold documents of dev, dev2 and corpus/ and the source (fold) of each."""
    from extractor.batch.evaluate import load_gold

    docs, folds = [], []
    for folder in (eval_dir / "dev", eval_dir / "dev2", corpus):
        by_id = sources(folder)
        for doc in load_gold([folder]):
            docs.append(doc)
            folds.append(by_id.get(doc.doc_id) or folder.name)
    return docs, folds


def per_document_counts(gold: Sequence, parsed: Sequence, weights) -> np.ndarray:
    """(tp, fp, fn) of each document, assembled afresh under `weights`."""
    from extractor import text_sha256
    from extractor.assembly.assemble import assemble
    from extractor.batch.evaluate import evaluate

    rows = []
    for doc, spacy_doc in zip(gold, parsed):
        before = list(spacy_doc._.warnings or [])
        try:
            record = assemble(spacy_doc, doc_id=doc.doc_id, text_sha256=text_sha256(doc.text), weights=weights)
            data = record.model_dump(mode="json")
        except Exception as exc:  # a weight that breaks assembly scores as an empty record
            print(f"{doc.doc_id}: assembly failed ({type(exc).__name__}: {exc})", file=sys.stderr)
            data = None
        spacy_doc._.warnings = before  # assembly appends warnings: leave the doc as parsed
        rows.append(evaluate([doc], {doc.doc_id: data}).totals())
    return np.array(rows, dtype=int)


def with_weight(base, scorer: str, name: str, value: float):
    """The assembly weights with one scorer's weight replaced."""
    part = dataclasses.replace(getattr(base, scorer), **{name: value})
    return dataclasses.replace(base, **{scorer: part})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent.parent / "shared" / "eval")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    args = ap.parse_args()
    if not args.eval.exists():
        args.eval = Path("/work/shared/eval")
    from extractor.assembly.assemble import DEFAULT_WEIGHTS
    from extractor.pipeline import get_pipeline

    started = time.perf_counter()
    gold, fold_list = corpus_docs(args.eval, args.corpus)
    folds = np.array(fold_list)
    nlp = get_pipeline(())
    parsed = [nlp(doc.text) for doc in gold]
    print(f"{len(gold)} documents, {len(set(fold_list))} sources (folds), parsed in {time.perf_counter() - started:.0f} s")
    base = per_document_counts(gold, parsed, DEFAULT_WEIGHTS)
    default_f1 = micro_f1(base)
    print(f"defaults: micro-F1 {default_f1:.4f}")
    print(f"{'weight':32}{'default':>8}{'fitted':>8}{'F1 default':>11}{'F1 fitted':>10}{'F1 CV':>8}{'F1 worst':>9}  verdict")
    supported = []
    for scorer, weights in GRID.items():
        for name, values in weights.items():
            default = getattr(getattr(DEFAULT_WEIGHTS, scorer), name)
            table = {default: base}
            for value in values:
                table[value] = per_document_counts(gold, parsed, with_weight(DEFAULT_WEIGHTS, scorer, name, value))
            fitted = min(table, key=lambda v: (-micro_f1(table[v]), v != default))
            held_out, _ = leave_one_source_out(table, folds, default)
            cv_f1 = micro_f1(held_out)
            verdict = "change" if cv_f1 > default_f1 + 1e-9 else "keep default"
            if verdict == "change":
                supported.append(f"{scorer}.{name}={fitted}")
            worst = min(micro_f1(counts) for counts in table.values())  # how much the weight matters
            print(f"{scorer + '.' + name:32}{default:>8g}{fitted:>8g}{default_f1:>11.4f}"
                  f"{micro_f1(table[fitted]):>10.4f}{cv_f1:>8.4f}{worst:>9.4f}  {verdict}")
    print("cross-validation supports: " + (", ".join(supported) if supported else "no change (defaults kept)"))
    print(f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
