"""Documents per second of `extract_many` with 1 and 2 processes, as a ratio (issue 14's target: >= 1.6).

    python benchmarks/bench_parallel.py [DIR ...] [--documents 2000] [--rounds 2]

The texts are those of `corpus/` and `../shared/eval/dev` and `dev2` (or the folders given),
repeated up to `--documents`. After a warm-up, rounds alternate the settings so that machine
noise hits all alike, and each setting's fastest round (wall time: the work of several
processes) counts. Rows: one process in this process (`extract_many(n_process=1)`), one worker
process (what `extractor extract` runs by default, to bound each document's time), and two
worker processes (`--jobs 2`). The records of every setting are checked equal. The machine's
load average is printed beside the figures: on a shared machine, other work lowers the ratio.

`measure(texts, settings, rounds)` is the function `benchmarks/bench.py` calls.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import extract, extract_many  # noqa: E402

# (label, n_process, timeout): the settings compared
SETTINGS: tuple[tuple[str, int, float | None], ...] = (
    ("1 process (in process)", 1, None),
    ("1 worker process", 1, 60.0),
    ("2 worker processes", 2, 60.0),
)


def default_dirs() -> list[Path]:
    shared = ROOT.parent / "shared" / "eval"
    return [d for d in (ROOT / "corpus", shared / "dev", shared / "dev2") if d.is_dir()]


def load_texts(dirs: list[Path], documents: int) -> list[tuple[str, str]]:
    """`documents` (text, id) pairs, cycling through the folders' *.txt files."""
    files = [p for d in dirs for p in sorted(d.rglob("*.txt"))]
    if not files:
        raise SystemExit(f"no *.txt under {', '.join(map(str, dirs))}")
    texts = [p.read_text(encoding="utf-8") for p in files]
    return [(texts[i % len(texts)], f"doc-{i:05d}") for i in range(documents)]


def run_once(pairs: list[tuple[str, str]], n_process: int, timeout: float | None) -> tuple[float, list[dict]]:
    started = time.perf_counter()
    records = [r.model_dump(mode="json") for r in extract_many(pairs, n_process=n_process, timeout=timeout)]
    return time.perf_counter() - started, records


def measure(pairs: list[tuple[str, str]], settings=SETTINGS, rounds: int = 2) -> dict[str, float]:
    """Documents per second of each setting (fastest of `rounds`), records checked equal."""
    for text, doc_id in pairs[:20]:  # warm-up: pipeline built, caches filled
        extract(text, doc_id=doc_id)
    best: dict[str, float] = {}
    reference: list[dict] | None = None
    for _ in range(rounds):
        for label, n_process, timeout in settings:
            seconds, records = run_once(pairs, n_process, timeout)
            if reference is None:
                reference = records
            elif records != reference:
                raise SystemExit(f"{label}: the records differ from one process's")
            best[label] = max(best.get(label, 0.0), len(pairs) / seconds)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    pairs = load_texts(options.dirs or default_dirs(), options.documents)
    load_before = os.getloadavg()
    speeds = measure(pairs, rounds=options.rounds)
    load_after = os.getloadavg()
    base = speeds[SETTINGS[0][0]]
    print(f"{len(pairs)} documents, {os.cpu_count()} CPUs, load average {load_before[0]:.2f} before, "
          f"{load_after[0]:.2f} after (1 min)")
    print(f"{'setting':<26} {'docs/s':>8} {'x 1 process':>12}")
    for label, _, _ in SETTINGS:
        print(f"{label:<26} {speeds[label]:>8.1f} {speeds[label] / base:>12.2f}")


if __name__ == "__main__":
    main()
