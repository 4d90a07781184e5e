#!/usr/bin/env python3
"""Fit the project detector's weights and check them by leave-one-source-out cross-validation.

    python scripts/tune_detection.py [--eval ../shared/eval] [--corpus corpus] [--c 1.0]

Labelled documents: every document of eval/dev, eval/dev2 and corpus/ is project news; the
gold of eval/offtopic says `project.detected` per document. A source is the wire a document came
from (the first folder of its SOURCES.tsv path: newsdirect, 247PressRelease, ...), "reuters" for
the Reuters stories, and the set's name otherwise (corpus, ...). Each source is left out in turn,
the weights are fitted on the rest and the left-out documents are predicted: the cross-validated
accuracy says how the weights do on a wire they were not fitted on. The cross-validated scores
also choose a shift of the threshold (the bias): the one leaving the most slack to both bounds
of the acceptance (<= 5 % false alarms, >= 97 % projects found). The fitted weights (all
documents, bias shifted) are printed as a `DetectionWeights(...)` to paste into extractor/assembly/detection.py,
beside the accuracy of the weights committed there now.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.assembly.assemble import drop_bare_dollars, project_decision  # noqa: E402
from extractor.assembly.context import Context  # noqa: E402
from extractor.assembly.detection import WEIGHTS, DetectionWeights, Features, score  # noqa: E402
from extractor.assembly.milestones import find_events  # noqa: E402
from extractor.assembly.site import resolve_site  # noqa: E402
from extractor.assembly.slots import assign  # noqa: E402
from extractor.assembly.document import Document  # noqa: E402
from extractor.pipeline import get_pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# the acceptance of issue 18 on a hidden sample of the wire: the threshold is shifted to leave
# the most slack (in shares of documents) to the nearer of both bounds in cross-validation
RECALL_FLOOR = 0.97
FALSE_ALARM_CEILING = 0.05
SHIFTS = (-0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)


def sources(folder: Path) -> dict[str, str]:
    """doc_id -> source of the documents a SOURCES.tsv lists."""
    table = folder / "SOURCES.tsv"
    if not table.exists():
        return {}
    found = {}
    with table.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            path = (row.get("path") or "").strip()
            if row.get("reuters_newid") or path.startswith("reut2"):
                found[row["doc_id"]] = "reuters"
            elif "/" in path:
                found[row["doc_id"]] = path.split("/", 1)[0]
    return found


def labelled(eval_dir: Path, corpus: Path) -> list[tuple[str, str, str, bool]]:
    """(doc_id, text, source, is_project) of every labelled document."""
    docs = []
    for name in ("dev", "dev2", "offtopic"):
        folder = eval_dir / name
        by_id = sources(folder)
        for gold_path in sorted(folder.glob("*.json")):
            text_path = gold_path.with_suffix(".txt")
            if not text_path.exists():
                continue
            gold = json.loads(gold_path.read_text(encoding="utf-8"))["fields"]
            label = bool(gold.get("project.detected", True))
            doc_id = gold_path.stem
            source = by_id.get(doc_id) or f"{name}:{doc_id.split('-', 1)[0]}"
            docs.append((doc_id, text_path.read_text(encoding="utf-8"), source, label))
    for text_path in sorted(corpus.glob("*.txt")):
        docs.append((text_path.stem, text_path.read_text(encoding="utf-8"), "corpus", True))
    return docs


def features_of(text: str) -> Features:
    """The detector's features of one text, found as `assemble` finds them."""
    doc = get_pipeline(())(text)
    ctx, view = Context(doc), Document(doc)
    slots = assign(ctx, view)
    site = resolve_site(view, boilerplate_from=ctx.boilerplate_from)
    drop_bare_dollars(doc, slots, site.country_code if site else None)
    return project_decision(view, ctx, slots, site, find_events(view, ctx)).features


def fit(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method, both classes weighted equally.

    Returns [bias, w...]. `c`: the inverse strength of the penalty (not applied to the bias).
    """
    xb = np.hstack([np.ones((len(x), 1)), x])
    balance = np.where(y, 0.5 / max(y.sum(), 1), 0.5 / max((~y).sum(), 1)) * len(y)
    penalty = np.eye(xb.shape[1]) / c
    penalty[0, 0] = 0.0
    w = np.zeros(xb.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (balance * (p - y)) + penalty @ w
        hess = (xb * (balance * p * (1 - p))[:, None]).T @ xb + penalty + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def report(name: str, predicted: np.ndarray, y: np.ndarray) -> None:
    """One line: accuracy, false alarms among off-topic, recall among project releases."""
    accuracy = (predicted == y).mean()
    false_alarms = (predicted & ~y).sum()
    found = (predicted & y).sum()
    print(f"{name:<26} accuracy {accuracy:.3f}  false alarms {false_alarms}/{(~y).sum()} "
          f"({false_alarms / max((~y).sum(), 1):.1%})  projects found {found}/{y.sum()} ({found / max(y.sum(), 1):.1%})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent.parent / "shared" / "eval")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--c", type=float, default=1.0, help="inverse L2 strength")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the cross-validated misses")
    args = ap.parse_args()
    if not args.eval.exists():
        args.eval = Path("/work/shared/eval")
    docs = labelled(args.eval, args.corpus)
    x = np.array([features_of(text) for _, text, _, _ in docs], dtype=float)
    y = np.array([label for *_, label in docs])
    groups = np.array([source for _, _, source, _ in docs])
    print(f"{len(docs)} documents ({y.sum()} project, {(~y).sum()} off-topic), {len(set(groups))} sources")

    cv_score = np.zeros(len(docs))
    for group in sorted(set(groups)):
        held = groups == group
        w = fit(x[~held], y[~held], args.c)
        cv_score[held] = w[0] + x[held] @ w[1:]
    fitted = fit(x, y, args.c)
    fit_score = fitted[0] + x @ fitted[1:]
    committed = np.array([score(Features(*row), WEIGHTS) for row in x])
    report("cross-validated (LOSO)", cv_score >= 0, y)
    report("fitted on all", fit_score >= 0, y)
    report("committed weights", committed >= 0, y)
    print("threshold shift: cross-validated false alarms / projects found (the acceptance: <= 5 %, >= 97 %)")
    best = None
    for shift in SHIFTS:
        predicted = cv_score + shift >= 0
        false_alarm = (predicted & ~y).sum() / max((~y).sum(), 1)
        found = (predicted & y).sum() / max(y.sum(), 1)
        slack = round(min(found - RECALL_FLOOR, FALSE_ALARM_CEILING - false_alarm), 4)
        best = max(best or (slack, -abs(shift), shift), (slack, -abs(shift), shift))  # ties: the smaller shift
        print(f"  {shift:+.2f}: {false_alarm:6.1%} {found:6.1%}  slack {slack:+.2f}")
    print(f"most slack at shift {best[2]:+.2f}: bias {fitted[0]:.2f} -> {fitted[0] + best[2]:.2f}")
    fitted[0] += best[2]
    for name, values in (("cross-validated", cv_score), ("fitted", fit_score)):
        print(f"{name} scores: off-topic highest {np.sort(values[~y])[-5:][::-1].round(2)}, "
              f"project lowest {np.sort(values[y])[:5].round(2)}")
    if args.verbose:
        for i in np.flatnonzero((cv_score >= 0) != y):
            print(f"  cv miss {docs[i][0]:<50} {docs[i][2]:<16} label={y[i]} cv={cv_score[i]:+.2f} "
                  f"committed={committed[i]:+.2f} {dict(zip(Features._fields, x[i]))}")
    names = ("bias",) + Features._fields
    assert names == tuple(DetectionWeights.__dataclass_fields__), "weights and features out of step"
    print("DetectionWeights(" + ", ".join(f"{n}={v:.2f}" for n, v in zip(names, fitted)) + ")")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
