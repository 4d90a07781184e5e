#!/usr/bin/env python3
"""Tune the scorers' weights (site, slots, status, companies, places) by leave-one-source-out cross-validation.

    python scripts/tune_weights.py [--eval ../shared/eval] [--corpus corpus] [--only companies places]

Every document of eval/dev, eval/dev2 and corpus/ is parsed once; then, one weight at a time
(coordinate-wise around today's defaults, not a full product), each candidate value of an
assembly weight re-runs only assembly (`assemble(doc, weights=...)`), and each candidate value
of a layer's weight (DeveloperWeights of the companies layer, ReadingWeights of the places
layer) re-analyses every document with a pipeline built with it (`build_pipeline(weights=...)`);
the records are scored with the project's scorer (extractor.batch.evaluate, the numbers of
eval/score.py). The folds are the sources: the wire of
each SOURCES.tsv row (newsdirect, citybiz, ...), "reuters", else the set's name (corpus, ...).
For each fold the value that scores best on the other folds (ties: the default) is scored on the
held-out fold; the summed held-out counts give the cross-validated micro-F1, printed beside the
fitted one (the best value on all documents) and the defaults' (and the grid's worst, which
says how much the weight matters). A weight is worth changing only
where the cross-validated figure beats the defaults'. The last line applies every weight's
choices together: each fold scored with the values all weights chose on the other folds
(cross-validated), and all documents with every fitted value (fitted).
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

# every weight of assembly's scorers that can change a record, four values around its default
GRID: dict[str, dict[str, tuple[float, ...]]] = {
    "site": {"located": (0.0, 0.5, 1.5, 2.0), "located_project": (1.0, 1.5, 2.5, 3.0),
             "headquarters": (-6.0, -5.0, -3.0, -2.0), "headquarters_near_project": (-2.0, -1.5, -0.5, 0.0),
             "based_project": (2.0, 2.5, 4.5, 5.0), "based_company": (-6.0, -5.0, -3.0, -2.0),
             "project_noun_after": (1.5, 2.0, 3.0, 3.5), "project_name": (1.5, 2.0, 3.0, 3.5),
             "project_noun_later": (1.0, 1.5, 2.5, 3.0), "hq_noun_project": (0.0, 0.25, 0.75, 1.0),
             "qualified_city": (0.0, 0.25, 0.75, 1.0), "other_project": (-5.0, -4.0, -2.0, -1.0),
             "in_title": (0.0, 0.5, 1.5, 2.0), "in_dateline": (-4.0, -3.0, -1.0, -0.5),
             "starts_company": (-5.0, -4.0, -2.0, -1.0), "inside_company": (0.0, 0.25, 0.75, 1.0),
             "company_head": (-2.0, -1.5, -0.5, 0.0), "mention": (0.25, 0.75, 1.0, 1.5),
             "in_figure": (-2.0, -1.5, -0.5, 0.0), "vicinity_share": (0.0, 0.25, 0.75, 1.0),
             "min_city_weight": (0.5, 1.5, 2.0, 3.0), "event_venue": (-2.0, -1.0, -0.5, 0.5),
             "dateline_here": (1.5, 2.0, 4.0, 5.0), "in_company_profile": (-5.0, -4.0, -2.0, -1.0)},
    "slots": {"cue": (2.0, 2.5, 3.5, 4.0), "cue_gap_penalty": (0.0, 0.025, 0.1, 0.2),
              "total_bonus": (0.0, 0.25, 1.0, 1.5), "lead_bonus": (0.0, 0.5, 0.75, 1.0),
              "lead_sentences": (3, 4, 6, 7), "initial_penalty": (0.2, 0.4, 1.0, 1.5),
              "jobs_default": (0.5, 1.0, 2.0, 2.5), "land_default": (0.5, 0.75, 1.5, 2.0),
              "rated_default": (0.5, 0.75, 1.5, 2.0), "energy_default": (0.0, 0.25, 0.75, 1.0),
              "min_plant_watts": (1e4, 3e4, 3e5, 1e6), "min_product_units": (10, 50, 200, 500),
              "capacity_margin": (0.2, 0.4, 0.8, 1.2), "permanent_bonus": (0.0, 0.1, 0.5, 1.0)},
    "status": {"lead_sentences": (3, 4, 6, 7), "lead": (1.0, 1.5, 3.0, 4.0), "body_stage": (0.25, 0.75, 1.0, 1.5),
               "body_under_construction": (0.5, 0.75, 1.5, 2.0), "body_milestone": (0.5, 0.75, 1.5, 2.0),
               "min_vote": (0.5, 0.75, 1.5, 2.0), "stage_over_intent": (1.0, 2.0, 6.0, 8.0),
               "milestone_over_intent": (0.5, 1.0, 3.0, 4.0), "approved_share": (0.1, 0.25, 0.75, 1.0),
               "pending_approval": (0.0, 0.25, 0.75, 1.0)},
}
# weights that change no record, so no score: only whether a warning is written
NOT_SCORED = {"slots": ("warn_score",)}
# the layers' weights, each value a pipeline built and run over every document (~2-3 s each)
LAYER_GRID: dict[str, dict[str, tuple[float, ...]]] = {
    "companies": {"developer_verb": (1.5, 2.0, 4.0, 5.0), "possessive_project": (2.0, 2.5, 4.5, 5.0),
                  "modifier_project": (1.0, 1.5, 2.5, 3.0), "appositive": (1.0, 1.5, 2.5, 3.0),
                  "subject": (0.5, 0.75, 1.5, 2.0), "title": (0.5, 1.0, 2.0, 2.5),
                  "ticker": (0.5, 0.75, 1.5, 2.0), "mention": (0.1, 0.2, 0.4, 0.5),
                  "developer_object": (1.5, 2.0, 4.0, 5.0), "descriptor": (0.5, 0.75, 1.5, 2.0),
                  "defined_company": (1.0, 1.5, 2.5, 3.0), "legal_form": (0.0, 0.25, 1.0, 1.5),
                  "supplier_or_customer": (-3.0, -2.0, -1.0, -0.5), "partner": (-2.0, -1.5, -0.5, 0.0),
                  "cue_cap": (1.0, 2.0, 4.0, 5.0), "mention_cap": (5.0, 8.0, 12.0, 15.0)},
    "places": {"town_population": (0.4, 0.6, 1.0, 1.2), "unit_population": (0.0, 0.05, 0.2, 0.3),
               "town_in_named_country": (0.5, 0.75, 1.5, 2.0), "unit_in_named_country": (1.0, 1.5, 2.5, 3.0),
               "in_named_region": (1.0, 1.5, 2.5, 3.0)},
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


def layer_defaults() -> dict[str, object]:
    """Each tuned layer's default weights, by the layer's name in the pipeline."""
    from extractor.layers.companies import DEFAULT_DEVELOPER_WEIGHTS
    from extractor.layers.places import DEFAULT_READING_WEIGHTS

    return {"companies": DEFAULT_DEVELOPER_WEIGHTS, "places": DEFAULT_READING_WEIGHTS}


def reanalysed_counts(gold: Sequence, layer: str, weights) -> np.ndarray:
    """(tp, fp, fn) of each document, analysed by a pipeline whose `layer` has `weights`."""
    from extractor.assembly.assemble import DEFAULT_WEIGHTS
    from extractor.pipeline import build_pipeline

    nlp = build_pipeline((), weights={layer: weights})
    return per_document_counts(gold, list(nlp.pipe(doc.text for doc in gold)), DEFAULT_WEIGHTS)


class Report:
    """The table the script prints, and the changes cross-validation supports."""

    def __init__(self, folds: np.ndarray, base: np.ndarray) -> None:
        self.folds, self.base, self.default_f1, self.supported = folds, base, micro_f1(base), []
        self.choices: dict[str, tuple[dict[str, float], float]] = {}  # weight -> (fold -> value, fitted)
        print(f"defaults: micro-F1 {self.default_f1:.4f}")
        print(f"{'weight':32}{'default':>8}{'fitted':>8}{'F1 default':>11}{'F1 fitted':>10}"
              f"{'F1 CV':>8}{'F1 worst':>9}  verdict")

    def row(self, label: str, default: float, table: dict[float, np.ndarray]) -> None:
        """One weight's line: the fitted value, the cross-validated F1, the verdict."""
        table = {default: self.base, **table}
        fitted = min(table, key=lambda v: (-micro_f1(table[v]), v != default))
        held_out, chosen = leave_one_source_out(table, self.folds, default)
        self.choices[label] = (chosen, fitted)
        cv_f1 = micro_f1(held_out)
        verdict = "change" if cv_f1 > self.default_f1 + 1e-9 else "keep default"
        if verdict == "change":
            self.supported.append(f"{label}={fitted:g}")
        worst = min(micro_f1(counts) for counts in table.values())  # how much the weight matters
        print(f"{label:32}{default:>8g}{fitted:>8g}{self.default_f1:>11.4f}"
              f"{micro_f1(table[fitted]):>10.4f}{cv_f1:>8.4f}{worst:>9.4f}  {verdict}", flush=True)


def tune_assembly(report: Report, gold: Sequence, parsed: Sequence, only: set[str]) -> None:
    """Assembly's weights: re-assemble the parsed docs under each candidate value."""
    from extractor.assembly.assemble import DEFAULT_WEIGHTS

    for scorer, weights in GRID.items():
        if scorer not in only:
            continue
        for name, values in weights.items():
            table = {value: per_document_counts(gold, parsed, with_weight(DEFAULT_WEIGHTS, scorer, name, value))
                     for value in values}
            report.row(f"{scorer}.{name}", getattr(getattr(DEFAULT_WEIGHTS, scorer), name), table)


def tune_layers(report: Report, gold: Sequence, only: set[str]) -> None:
    """The layers' weights: re-analyse every document with a pipeline built per candidate value."""
    defaults = layer_defaults()
    for layer, weights in LAYER_GRID.items():
        if layer not in only:
            continue
        for name, values in weights.items():
            table = {value: reanalysed_counts(gold, layer, dataclasses.replace(defaults[layer], **{name: value}))
                     for value in values}
            report.row(f"{layer}.{name}", getattr(defaults[layer], name), table)


def joint_weights(choices: dict[str, tuple[dict[str, float], float]], pick) -> tuple[object, dict[str, object]]:
    """Assembly's weights and the layers' with every tuned weight at `pick(fold_choices, fitted)`."""
    from extractor.assembly.assemble import DEFAULT_WEIGHTS

    assembly, layers = DEFAULT_WEIGHTS, dict(layer_defaults())
    for label, (chosen, fitted) in choices.items():
        scorer, name = label.split(".")
        if scorer in GRID:
            assembly = with_weight(assembly, scorer, name, pick(chosen, fitted))
        else:
            layers[scorer] = dataclasses.replace(layers[scorer], **{name: pick(chosen, fitted)})
    return assembly, layers


def joint_counts(gold: Sequence, parsed: Sequence, assembly, layers: dict[str, object]) -> np.ndarray:
    """Per-document counts under these weights; documents are re-analysed only where a layer's differ."""
    from extractor.pipeline import build_pipeline

    if layers != layer_defaults():
        nlp = build_pipeline((), weights=layers)
        parsed = list(nlp.pipe(doc.text for doc in gold))
    return per_document_counts(gold, parsed, assembly)


def joint_figures(report: Report, gold: Sequence, parsed: Sequence) -> tuple[float, float]:
    """Micro-F1 with all tuned weights applied together: cross-validated (each fold scored with
    the values every weight chose on the other folds) and fitted (every weight's fitted value)."""
    held_out = np.zeros_like(report.base)
    for fold in sorted(set(report.folds.tolist())):
        rows = np.flatnonzero(report.folds == fold)
        assembly, layers = joint_weights(report.choices, lambda chosen, fitted: chosen[fold])
        held_out[rows] = joint_counts([gold[i] for i in rows], [parsed[i] for i in rows], assembly, layers)
    assembly, layers = joint_weights(report.choices, lambda chosen, fitted: fitted)
    return micro_f1(held_out), micro_f1(joint_counts(gold, parsed, assembly, layers))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent.parent / "shared" / "eval")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    scorers = [*GRID, *LAYER_GRID]
    ap.add_argument("--only", nargs="+", choices=scorers, default=scorers, help="tune these scorers only")
    args = ap.parse_args()
    if not args.eval.exists():
        args.eval = Path("/work/shared/eval")
    from extractor.assembly.assemble import DEFAULT_WEIGHTS
    from extractor.pipeline import get_pipeline

    started = time.perf_counter()
    gold, fold_list = corpus_docs(args.eval, args.corpus)
    nlp = get_pipeline(())
    parsed = [nlp(doc.text) for doc in gold]
    print(f"{len(gold)} documents, {len(set(fold_list))} sources (folds), parsed in {time.perf_counter() - started:.0f} s")
    report = Report(np.array(fold_list), per_document_counts(gold, parsed, DEFAULT_WEIGHTS))
    tune_assembly(report, gold, parsed, set(args.only))
    tune_layers(report, gold, set(args.only))
    cv_f1, fitted_f1 = joint_figures(report, gold, parsed)
    print(f"all tuned weights together: defaults {report.default_f1:.4f}, cross-validated {cv_f1:.4f}, fitted {fitted_f1:.4f}")
    print("cross-validation supports: " + (", ".join(report.supported) or "no change (defaults kept)"))
    print(f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
