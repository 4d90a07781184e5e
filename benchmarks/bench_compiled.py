"""A compiled build of extractor against pure Python: each stage's cost, same texts, same interpreter.

    python benchmarks/bench_compiled.py [DIR ...] [--rounds 3] [--python PY] [--markdown]

This script builds nothing. The compiled build is the `extractor` that the interpreter `--python`
(default: this one) imports from its site-packages, e.g. a venv where a Cython build of this
tree was installed (benchmarks/README.md, "Compiled path", says how); pure Python is this
source tree, imported first on sys.path by the same interpreter. Each variant runs in a child
process of its own, rounds alternating (pure, compiled, pure, ...) so that the load of a shared
machine hits both alike; for each variant the round with the lowest total counts.

A child measures what `/work/notes/shares.py` and `bench.py` measure, in one process after a
warm-up (CPU time): the bare `spacy.blank("en")` tokenizer over the texts, `extract_many` over
the same texts (total = its time in tokenizer-times; throughput ratio = 1 / total), and each
stage's share of one instrumented pass (`bench.stage_shares`), reported as share x total, i.e.
tokenizer-times. It also reports which `extractor` modules are compiled extension modules, and
a digest of the records (their JSON), which must be the same for both variants.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.machinery
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VARIANTS = ("pure", "compiled")


def isolate_installed() -> None:
    """Drop this source tree (and the benchmarks folder) from sys.path, so that `import
    extractor` finds the installed build."""
    own = {ROOT, HERE}
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() not in own]


def compiled_modules() -> list[str]:
    """The loaded `extractor` modules that are extension modules (.so / .pyd)."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    return sorted(name for name, module in list(sys.modules.items())
                  if name.split(".")[0] == "extractor" and str(getattr(module, "__file__", "")).endswith(suffixes))


def records_digest(texts: list[str]) -> str:
    """sha256 of the records' JSON, in order (also the warm-up pass)."""
    from extractor import extract_many

    digest = hashlib.sha256()
    for record in extract_many(texts):
        digest.update(record.model_dump_json().encode("utf-8"))
    return digest.hexdigest()


def measure(variant: str, dirs: list[str]) -> dict:
    """One child's figures (see the module's docstring)."""
    if variant == "pure":
        sys.path.insert(0, str(ROOT))
    else:
        isolate_installed()
    import extractor  # noqa: F401  (imported before bench, which puts ROOT first on sys.path)

    sys.path.insert(0, str(HERE))
    import spacy
    from bench import cpu_seconds, default_dirs, load_texts, run_many, stage_shares

    texts = load_texts([Path(d) for d in dirs] if dirs else default_dirs())
    digest = records_digest(texts)
    bare = spacy.blank("en")
    cpu_seconds(bare.tokenizer, texts)
    tokenizer_s = cpu_seconds(bare.tokenizer, texts)
    start = time.process_time()
    run_many(texts)
    total = (time.process_time() - start) / tokenizer_s
    shares = stage_shares(texts)
    return {"variant": variant, "package": str(Path(extractor.__file__).parent),
            "compiled": compiled_modules(), "records_sha256": digest, "total": total,
            "stages": {name: share * total for name, share in shares.items()}}


def run_child(python: str, variant: str, dirs: list[str]) -> dict:
    """One measuring child process; its figures."""
    command = [python, str(Path(__file__).resolve()), "--child", variant, *dirs]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=str(Path.home())).stdout
    return json.loads(out.strip().splitlines()[-1])


def check(best: dict) -> list[str]:
    """What makes the comparison meaningless, if anything."""
    problems = []
    if best["pure"]["compiled"]:
        problems.append(f"the source tree has compiled modules: {best['pure']['compiled']}")
    if not best["compiled"]["compiled"]:
        problems.append(f"the installed extractor ({best['compiled']['package']}) has no compiled module")
    if best["pure"]["package"] == best["compiled"]["package"]:
        problems.append("both variants imported the same package (an editable install?)")
    return problems


def table(best: dict) -> str:
    """Markdown: per stage, pure vs compiled tokenizer-times and their ratio; the totals."""
    pure, comp = best["pure"], best["compiled"]
    lines = ["| stage | pure (tokenizer-times) | compiled | pure : compiled |", "| --- | --- | --- | --- |"]
    for name, cost in pure["stages"].items():
        other = comp["stages"].get(name, float("nan"))
        lines.append(f"| {name} | {cost:.2f} | {other:.2f} | {cost / other:.2f} |" if other else
                     f"| {name} | {cost:.2f} | {other:.2f} | - |")
    lines.append(f"| **total** | **{pure['total']:.2f}** | **{comp['total']:.2f}** | **{pure['total'] / comp['total']:.2f}** |")
    lines.append(f"| throughput : bare tokenizer | {1 / pure['total']:.3f} | {1 / comp['total']:.3f} | |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--python", default=sys.executable, help="the interpreter whose installed extractor is compiled")
    ap.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    dirs = [str(Path(d).resolve()) for d in args.dirs]
    if args.child:
        print(json.dumps(measure(args.child, dirs)))
        return 0
    runs: dict[str, list[dict]] = {variant: [] for variant in VARIANTS}
    for number in range(args.rounds):
        for variant in VARIANTS:
            result = run_child(args.python, variant, dirs)
            runs[variant].append(result)
            print(f"round {number + 1} {variant:8s} total {result['total']:.2f} tokenizer-times "
                  f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    best = {variant: min(results, key=lambda r: r["total"]) for variant, results in runs.items()}
    problems = check(best)
    same = len({r["records_sha256"] for results in runs.values() for r in results}) == 1
    print(table(best) if args.markdown else json.dumps(best, indent=1))
    print(f"\ncompiled modules: {len(best['compiled']['compiled'])} ({', '.join(best['compiled']['compiled'])})")
    print(f"records identical (pure vs compiled): {'yes' if same else 'NO'}")
    print(f"speed-up of the whole pipeline: {best['pure']['total'] / best['compiled']['total']:.2f}x "
          f"(lowest of {args.rounds} rounds each)")
    for problem in problems:
        print(f"WARNING: {problem}", file=sys.stderr)
    return 1 if problems or not same else 0


if __name__ == "__main__":
    sys.exit(main())
