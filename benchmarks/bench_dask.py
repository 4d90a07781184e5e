"""Documents/s of the Dask engine (2 workers) against the local engine (2 processes), same files.

    python benchmarks/bench_dask.py [DIR ...] [--docs 2000] [--workers 2] [--partition-size 64]

Both engines read the same files from disk and extract them into records: the local engine
through the command line's `run_batch` with `jobs=2`, the Dask engine through `dask_entries`
on a `LocalCluster` of 2 single-threaded worker processes. Wall-clock documents/s after one
warm-up pass each (pipeline built in every process); the ratio dask/local is what to compare
(the issue asks for at least 0.8). `benchmarks/bench.py` reports the same figures.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def write_documents(texts: list[str], n_docs: int, folder: Path) -> list[str]:
    names = []
    for i, text in enumerate(itertools.islice(itertools.cycle(texts), n_docs)):
        path = folder / f"doc-{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    return names


def local_rate(names: list[str], jobs: int) -> float:
    from extractor.batch.cli import run_batch
    from extractor.batch.inputs import read_source

    def run(subset: list[str]) -> int:
        return sum(1 for outcome in run_batch((read_source(n) for n in subset), jobs=jobs) if outcome.record)

    run(names[:100])
    start = time.perf_counter()
    done = run(names)
    return done / (time.perf_counter() - start)


def dask_rate(names: list[str], workers: int, partition_size: int) -> float:
    from distributed import Client, LocalCluster

    from extractor.dask import dask_entries

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        def run(subset: list[str]) -> int:
            return sum(1 for entry in dask_entries(client, subset, partition_size=partition_size) if entry["record"])

        run(names[: 4 * workers * partition_size])  # warm-up: every worker builds its pipeline
        start = time.perf_counter()
        done = run(names)
        return done / (time.perf_counter() - start)


def measure(texts: list[str], n_docs: int = 2000, workers: int = 2, partition_size: int = 64) -> dict:
    """The figures bench.py prints under "dask"."""
    with tempfile.TemporaryDirectory() as tmp:
        names = write_documents(texts, n_docs, Path(tmp))
        local = local_rate(names, workers)
        remote = dask_rate(names, workers, partition_size)
    return {"documents": n_docs, "local_docs_per_s": round(local, 1), "dask_docs_per_s": round(remote, 1),
            "dask_over_local": round(remote / local, 2), "workers": workers, "partition_size": partition_size}


def main() -> int:
    from bench import default_dirs, load_texts

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=64)
    args = ap.parse_args()
    texts = load_texts(args.dirs or default_dirs())
    print(json.dumps(measure(texts, args.docs, args.workers, args.partition_size), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
