"""Coverage-guided fuzzing (atheris, libFuzzer) of `extract` and of the input reader.

    pip install -e ".[fuzz]"
    python benchmarks/fuzz.py extract -max_total_time=360 -timeout=30 -rss_limit_mb=4096
    python benchmarks/fuzz.py reader  -max_total_time=240 -timeout=30

Arguments after the target go to libFuzzer (`-runs=N`, `-max_len=N`, a corpus folder, a crash
file to replay). Without a corpus folder the run starts from a temporary copy of `corpus/`
(and, for the reader, a few web pages made here), so libFuzzer never writes into the repo.

What counts as a finding:
- extract: it raises; an evidence does not quote the text; the record is not valid; a layer
  fault was swallowed into a "... failed" warning; or one input runs past libFuzzer's -timeout.
- reader: `source_from_bytes` raises, or gives a Source with neither text nor error.
Each finding becomes a regression test (tests/test_contract.py, tests/test_inputs.py).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["extractor"]):
    # every module imported here, the layers and the assembly included (extract imports them
    # lazily, after this block, where they would not be instrumented)
    import extractor.assembly.assemble  # noqa: F401
    import extractor.pipeline  # noqa: F401
    from extractor import extract
    from extractor.batch.inputs import source_from_bytes
    from extractor.models import ProjectRecord

SEED_PAGES = [
    b"<!DOCTYPE html><html><head><title>News</title></head><body><h1>Acme</h1><p>Acme builds a 5 GWh plant"
    b" in Ohio &amp; hires 300.</p><script>x()</script></body></html>",
    b"<html><body><pre>Line one\n  line two</pre><ul><li>a<br>b</li></ul></body></html>",
    "Soci\u00e9t\u00e9 \u00e0 B\u00e9san\u00e7on".encode("latin-1"),
    "\ufeffUTF-8 with a byte-order mark: 20 GWh".encode("utf-8"),
    "UTF-16 text: a plant in Peru".encode("utf-16"),
]


def check_record(record: ProjectRecord, text: str) -> None:
    """The contract: a valid record, every evidence quoting the text, no swallowed fault."""
    faults = [w for w in record.warnings if "failed" in w]
    if faults:
        raise AssertionError(f"a fault was swallowed: {faults}")
    dumped = record.model_dump(mode="json")
    stack: list = [dumped]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if {"start", "end", "text"} <= node.keys() and text[node["start"]:node["end"]] != node["text"]:
                raise AssertionError(f"evidence does not quote the text: {node}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    ProjectRecord.model_validate(dumped)


def fuzz_extract(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicode(len(data)) if data[:1] == b"\x00" else data.decode("utf-8", "replace")
    check_record(extract(text), text)


def fuzz_reader(data: bytes) -> None:
    for name, html in (("doc.html", True), ("doc.txt", False), ("-", False)):
        source = source_from_bytes("doc", name, data, html=html)
        if (source.text is None) == (source.error is None):
            raise AssertionError(f"a Source needs text or an error: {source!r}")
        if source.text is not None and not isinstance(source.text, str):
            raise AssertionError("text is not a str")


def seed_folder(target: str) -> str:
    folder = Path(tempfile.mkdtemp(prefix=f"fuzz-{target}-"))
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        shutil.copy(path, folder / path.name)
    if target == "reader":
        for i, page in enumerate(SEED_PAGES):
            (folder / f"seed-{i}").write_bytes(page)
    return str(folder)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("extract", "reader"):
        raise SystemExit(__doc__)
    target = sys.argv[1]
    args = [sys.argv[0]] + sys.argv[2:]
    if not any(not a.startswith("-") for a in args[1:]):
        args.append(seed_folder(target))
    atheris.Setup(args, fuzz_extract if target == "extract" else fuzz_reader)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
