"""Seconds per MB of hostile inputs against ordinary text (issue 17, item 9).

    python benchmarks/bench_hostile.py [--sizes 10000,100000,1000000] [--limit 120]

Each input is made at each size and read the way the batch reads it (web pages through
`html_to_text`, then `extract`); CPU seconds of this process, divided by the size in MB. A size
is skipped once a smaller one of the same input took more than `--limit` seconds (the batch's
`--timeout` stops such a document anyway). Ordinary text is the corpus' releases, one by one.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor import extract  # noqa: E402
from extractor.batch.inputs import html_to_text  # noqa: E402


def repeat_to(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


# name -> (maker of an input of about `size` characters, is it a web page)
HOSTILE: dict[str, tuple[Callable[[int], str], bool]] = {
    "nested <div> page": (lambda n: "<html><body>" + "<div>" * (n // 11) + "Acme plant" + "</div>" * (n // 11)
                          + "</body></html>", True),
    "flat <p> page": (lambda n: "<html><body>" + repeat_to("<p>Acme builds a plant.</p>", n) + "</body></html>", True),
    "'RMB 1 billion ' repeated": (lambda n: repeat_to("RMB 1 billion ", n), False),
    "'Phase ' repeated": (lambda n: repeat_to("Phase ", n), False),
    "digits and commas": (lambda n: repeat_to("1,", n), False),
    "one long word": (lambda n: "A" * n, False),
    "'Acme Ltd will build a 5 GWh plant in Ohio. '": (lambda n: repeat_to("Acme Ltd will build a 5 GWh plant in Ohio. ", n), False),
    "newlines": (lambda n: "\n" * n, False),
}


def seconds_for(text: str, page: bool) -> float:
    started = time.process_time()
    if page:
        text = html_to_text(text)
    extract(text)
    return time.process_time() - started


def ordinary_seconds_per_mb() -> float:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    for text in texts[:5]:
        extract(text)  # warm-up
    size = sum(len(t.encode("utf-8")) for t in texts)
    started = time.process_time()
    for text in texts:
        extract(text)
    return (time.process_time() - started) / (size / 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--limit", type=float, default=120.0)
    parser.add_argument("--only", default="", help="run only inputs whose name contains this")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    base = ordinary_seconds_per_mb()
    print(f"ordinary text (corpus, one release at a time): {base:.2f} s/MB")
    print(f"{'input':<48} {'size':>9} {'seconds':>8} {'s/MB':>8} {'x ordinary':>10}")
    for name, (make, page) in HOSTILE.items():
        if options.only not in name:
            continue
        for size in sizes:
            text = make(size)
            mb = len(text.encode("utf-8")) / 1e6
            seconds = seconds_for(text, page)
            print(f"{name:<48} {len(text):>9} {seconds:>8.2f} {seconds / mb:>8.2f} {seconds / mb / base:>10.1f}",
                  flush=True)
            if seconds > options.limit:
                break


if __name__ == "__main__":
    main()
