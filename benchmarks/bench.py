"""The extractor's speed, start-up and memory, as ratios measured in one process.

    python benchmarks/bench.py [DIR ...] [--repeat 3] [--sizes 10k,100k,1m,5m] [--docs 2000]
                               [--stream 10000] [--peers] [--markdown]

Texts: `corpus/`, `../shared/eval/dev` and `../shared/eval/dev2` together (or the DIRs given).
Every figure but the parallel ones is CPU time of this process (`time.process_time`), after a
warm-up, compared with the bare `spacy.blank("en")` tokenizer over the same texts in the same
process: on a shared machine (other jobs on the same cores) the ratios stay meaningful where
absolute speeds do not. Reported:

- tokens/s of `extract_many` (one process) and of the bare tokenizer, and their ratio
  (target >= 0.35, goal 0.5); rounds alternate so that noise hits both alike, least disturbed
  round of each counts;
- each stage's share of one instrumented pass (tokenizer, each layer, assembly, validation =
  time inside the pydantic models' constructors, other = hashing and plumbing); shares add up
  to 1;
- documents/s with 1 and 2 processes on `--docs` documents (wall time; `extract_many` in this
  process and with 2 worker processes, through `bench_parallel.measure`) and their ratio
  (target >= 1.6), with the load average: other work on the machine's cores lowers it;
- cold start: wall time (and CPU time, steadier on a shared machine) and peak RSS of a new process's `import extractor; extract("Test")`
  (target <= 1.5 s, <= 200 MB); median of three;
- RSS growth of a new process streaming `--stream` documents through `extract_many`
  after its first `extract` (target <= 50 MB);
- seconds per MB of one `extract` on texts of 10 KB, 100 KB, 1 MB and 5 MB (the corpus texts
  joined), and the 5 MB / 10 KB ratio (target <= 1.5);
- with `--peers` (install `.[bench]`): quantulum3's `parse` over the same texts, as a ratio to
  the bare tokenizer too.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import extract, extract_many, text_sha256  # noqa: E402
from extractor.pipeline import get_pipeline  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "5m": 5_000_000}


def default_dirs() -> list[Path]:
    """corpus/ and the shared dev sets beside the repository (../shared/eval/...)."""
    dirs = [ROOT / "corpus"]
    for base in (ROOT.parent, *ROOT.parents):
        eval_dir = base / "shared" / "eval"
        if (eval_dir / "dev").is_dir():
            return dirs + [eval_dir / "dev", eval_dir / "dev2"]
    return dirs


def load_texts(dirs: list[Path]) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for d in dirs for p in sorted(d.rglob("*.txt"))]
    if not texts:
        raise SystemExit(f"no *.txt under {', '.join(map(str, dirs))}")
    return texts


def cpu_seconds(fn, items) -> float:
    start = time.process_time()
    for item in items:
        fn(item)
    return time.process_time() - start


def run_many(texts: list[str], n_process: int = 1) -> None:
    for _ in extract_many(texts, n_process=n_process):
        pass


def throughput(texts: list[str], bare, repeat: int) -> dict:
    """extract_many's tokens/s against the bare tokenizer's, rounds alternating."""
    tokens = sum(len(bare.tokenizer(t)) for t in texts)
    base, pipe = [], []
    for _ in range(repeat):
        base.append(cpu_seconds(bare.tokenizer, texts))
        start = time.process_time()
        run_many(texts)
        pipe.append(time.process_time() - start)
    base_s, pipe_s = min(base), min(pipe)
    return {
        "documents": len(texts),
        "tokens": tokens,
        "tokenizer_tokens_per_s": round(tokens / base_s),
        "extract_many_tokens_per_s": round(tokens / pipe_s),
        "ratio": round(base_s / pipe_s, 3),
    }


class ValidationClock:
    """Time spent inside the record models' constructors (outermost call only)."""

    def __init__(self) -> None:
        from extractor import models

        self.base = models._Model
        self.original = self.base.__init__
        self.seconds = 0.0
        self.depth = 0

    def __enter__(self) -> "ValidationClock":
        original, clock = self.original, self

        def timed_init(model, /, **data):
            clock.depth += 1
            start = time.process_time() if clock.depth == 1 else 0.0
            try:
                original(model, **data)
            finally:
                if clock.depth == 1:
                    clock.seconds += time.process_time() - start
                clock.depth -= 1

        self.base.__init__ = timed_init
        return self

    def __exit__(self, *exc) -> None:
        self.base.__init__ = self.original


def stage_shares(texts: list[str], rounds: int = 3) -> dict[str, float]:
    """Each stage's share of an instrumented pass doing what `extract_many` does in one
    process (the layers one at a time over each batch of `layer_batches`); sums to 1.

    Each stage's least time over `rounds` passes: one pass alone can catch a pause of the
    machine (or a garbage collection) in one stage and triple its share.
    """
    passes = [stage_seconds(texts) for _ in range(rounds)]
    least = {name: min(p[name] for p in passes) for name in passes[0]}
    total = sum(least.values())
    return {name: round(value / total, 3) for name, value in least.items()}


def stage_seconds(texts: list[str]) -> dict[str, float]:
    """CPU seconds of each stage in one instrumented pass (see `stage_shares`)."""
    from extractor import layer_batches, sanitize, script_warning
    from extractor.mentions import want_mentions_only
    from extractor.assembly.assemble import assemble

    nlp = get_pipeline()
    spent = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}, "assembly": 0.0,
             "validation": 0.0, "other": 0.0}
    with ValidationClock() as clock:
        for batch in layer_batches((text, None) for text in texts):
            t0 = time.process_time()
            prepared = [(sanitize(text), text_sha256(text), script_warning(text)) for text, _ in batch]
            t1 = time.process_time()
            spent["other"] += t1 - t0
            docs = [want_mentions_only(nlp.make_doc(safe)) for safe, _, _ in prepared]
            spent["tokenizer"] += time.process_time() - t1
            for name, component in nlp.pipeline:
                start = time.process_time()
                docs = [component(doc) for doc in docs]
                spent[name] += time.process_time() - start
            start = time.process_time()
            for doc, (_, sha, _) in zip(docs, prepared):
                assemble(doc, doc_id="", text_sha256=sha)
            spent["assembly"] += time.process_time() - start
    spent["assembly"] -= clock.seconds
    spent["validation"] = clock.seconds
    return spent


def parallel(texts: list[str], n_docs: int) -> dict:
    """Documents/s (wall) with 1 and 2 processes over n_docs documents cycled from the texts:
    `bench_parallel.measure` (the pool's own benchmark, records checked equal), one round."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_parallel import SETTINGS, measure

    pairs = [(text, f"doc-{i:05d}") for i, text in enumerate(itertools.islice(itertools.cycle(texts), n_docs))]
    one, two = SETTINGS[0], SETTINGS[-1]
    speeds = measure(pairs, (one, two), rounds=1)
    rate_1, rate_2 = speeds[one[0]], speeds[two[0]]
    return {"documents": n_docs, "docs_per_s_1": round(rate_1, 1), "docs_per_s_2": round(rate_2, 1),
            "speedup_2_over_1": round(rate_2 / rate_1, 2), "load_average": round(os.getloadavg()[0], 1)}


# Peak RSS from /proc's VmHWM (this process's own memory since its exec): ru_maxrss keeps the
# forking parent's peak across exec on Linux, which made the bench report its own size (209 MB
# against the 157 MB of the same command run from a shell).
COLD = """
import resource, sys, time
sys.path.insert(0, {root!r})
from extractor import extract
extract("Test")
usage = resource.getrusage(resource.RUSAGE_SELF)
peak_kb = usage.ru_maxrss
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(usage.ru_utime + usage.ru_stime, peak_kb)
"""


def cold_start(runs: int = 3) -> dict:
    """Wall seconds and peak RSS of a fresh interpreter's import and first extract."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD.format(root=str(ROOT))],
                             capture_output=True, text=True, check=True).stdout
        walls.append(time.perf_counter() - start)
        cpu, peak = out.split()[-2:]
        cpus.append(float(cpu))
        peaks.append(int(peak) / 1024)
    return {"wall_s": round(statistics.median(walls), 2), "cpu_s": round(statistics.median(cpus), 2),
            "peak_rss_mb": round(statistics.median(peaks))}


STREAM = """
import itertools, json, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from extractor import extract, extract_many

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
texts = json.loads(Path({texts!r}).read_text())
extract(texts[0])
before = rss_mb()
for _ in extract_many(itertools.islice(itertools.cycle(texts), {n})):
    pass
print(before, rss_mb())
"""


def streaming(texts: list[str], n_docs: int, tmp: Path) -> dict:
    """RSS of a fresh process after its first extract, and after streaming n_docs more."""
    tmp.write_text(json.dumps(texts))
    out = subprocess.run([sys.executable, "-c", STREAM.format(root=str(ROOT), texts=str(tmp), n=n_docs)],
                         capture_output=True, text=True, check=True).stdout
    before, after = map(float, out.split()[-2:])
    return {"documents": n_docs, "rss_before_mb": round(before), "rss_after_mb": round(after),
            "growth_mb": round(after - before, 1)}


def joined(texts: list[str], size: int) -> str:
    """One text of about `size` characters: the texts joined by blank lines, cycled."""
    parts, total = [], 0
    for text in itertools.cycle(texts):
        parts.append(text)
        total += len(text) + 2
        if total >= size:
            break
    return "\n\n".join(parts)[:size]


def seconds_per_mb(texts: list[str], sizes: list[str]) -> dict:
    result = {}
    for name in sizes:
        text = joined(texts, SIZES[name])
        start = time.process_time()
        extract(text)
        result[name] = round((time.process_time() - start) / (len(text.encode()) / 1e6), 2)
    if "10k" in result and "5m" in result:
        result["ratio_5m_over_10k"] = round(result["5m"] / result["10k"], 2)
    return result


def peers(texts: list[str], bare) -> dict:
    """quantulum3 over the same texts, as a ratio to the bare tokenizer's speed."""
    try:
        from quantulum3 import parser
    except ImportError:
        return {"quantulum3": "not installed (pip install '.[bench]')"}
    parser.parse(texts[0])
    base_s = cpu_seconds(bare.tokenizer, texts)
    q_s = cpu_seconds(parser.parse, texts)
    return {"quantulum3_ratio": round(base_s / q_s, 4)}


def markdown(result: dict) -> str:
    t, s, p, c, m, mb = (result[k] for k in ("throughput", "shares", "parallel", "cold_start", "streaming",
                                             "seconds_per_mb"))
    rows = [
        ("extract_many tokens/s : bare tokenizer (1 process)", f"{t['ratio']:.3f}", ">= 0.35 (goal 0.5)"),
        ("extract_many / tokenizer tokens/s", f"{t['extract_many_tokens_per_s']:,} / {t['tokenizer_tokens_per_s']:,}", ""),
        ("documents/s, 2 processes : 1", f"{p['speedup_2_over_1']:.2f} ({p['docs_per_s_2']} / {p['docs_per_s_1']}; "
         f"load {p.get('load_average', '-')})", ">= 1.6"),
        ("cold start: wall s (CPU s) / peak RSS MB", f"{c['wall_s']} ({c['cpu_s']}) / {c['peak_rss_mb']}",
         "<= 1.5 / <= 200"),
        (f"RSS growth streaming {m['documents']:,} docs (MB)", f"{m['growth_mb']}", "<= 50"),
        ("s/MB at " + ", ".join(k for k in mb if k in SIZES),
         " / ".join(str(v) for k, v in mb.items() if k in SIZES), ""),
        ("s/MB 5 MB : 10 KB", str(mb.get("ratio_5m_over_10k", "-")), "<= 1.5"),
    ]
    lines = ["| measure | value | target |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", "| stage | share of extract |", "| --- | --- |"]
    lines += [f"| {k} | {v:.3f} |" for k, v in s.items()]
    if "peers" in result:
        lines += ["", f"peers: {json.dumps(result['peers'])}"]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sizes", default="10k,100k,1m,5m")
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--stream", type=int, default=10_000)
    ap.add_argument("--peers", action="store_true")
    ap.add_argument("--markdown", action="store_true", help="also print the README table")
    args = ap.parse_args()

    texts = load_texts(args.dirs or default_dirs())
    bare = spacy.blank("en")
    run_many(texts)  # warm-up: pipeline built, gazetteers loaded, caches filled
    result = {
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_implementation()} "
                   f"{platform.python_version()}, spaCy {spacy.__version__}",
        "throughput": throughput(texts, bare, args.repeat),
        "shares": stage_shares(texts),
        "cold_start": cold_start(),
        "parallel": parallel(texts, args.docs),
        "streaming": streaming(texts, args.stream, Path(f"/tmp/extractor-bench-{time.time_ns()}.json")),
        "seconds_per_mb": seconds_per_mb(texts, [s for s in args.sizes.split(",") if s]),
    }
    if args.peers:
        result["peers"] = peers(texts, bare)
    print(json.dumps(result, indent=2))
    if args.markdown:
        print()
        print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
