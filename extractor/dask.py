"""Extraction on a Dask cluster: the same records as the local engine, computed by Dask workers.

An archive of millions of releases, or a nightly re-run after a rule change, outgrows one
machine; Dask runs the same Python on a `LocalCluster` or on a cluster a team already has.
Each worker builds the pipeline once (`get_pipeline` is cached per process) and reuses it for
every partition it is given; workers read their inputs themselves (local paths, or any URL an
installed fsspec filesystem opens), so file contents never travel through the client.

Two ways in:
- `extract_bag(bag)` and `extract_frame(df, text_column, id_column)` for code that already has
  a Dask client (records as plain dicts; a frame with the CSV's flat columns plus the record);
- `dask_outcomes(...)`, behind `extractor extract --engine dask`, yielding per-input outcomes
  in input order to the command line's writers (JSONL, CSV, SQLite).

One document's failure becomes an error entry, never a failed task; a lost worker's tasks are
recomputed by Dask, and the client takes each partition's result once, so nothing is doubled.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator, Sequence

try:  # the optional extra: `pip install "extractor[dask]"`
    import dask.bag as dask_bag
    import dask.dataframe as dask_frame
    from distributed import Client, LocalCluster
except ImportError as exc:  # pragma: no cover - exercised where the extra is absent
    raise ImportError(
        "the Dask engine needs the optional extra: pip install \"extractor[dask]\" "
        f"({exc.name or exc} is not installed)"
    ) from exc

from extractor.batch.inputs import DEFAULT_MAX_BYTES, Source, doc_id_for, printable_path, read_source, source_from_bytes

DEFAULT_PARTITION_SIZE = 64
# Partitions in flight per worker: enough to keep every worker busy while the client writes,
# few enough that a million inputs do not become a million futures at once.
IN_FLIGHT_PER_WORKER = 4


# ---------------------------------------------------------------------------------------------
# worker side: plain functions of picklable arguments


def is_url(name: str) -> bool:
    """A name an fsspec filesystem opens rather than the local one.

    >>> is_url("s3://wire/2025/acme.txt"), is_url("corpus/acme.txt"), is_url("C:/news/a.txt")
    (True, False, False)
    """
    scheme, sep, _rest = name.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.replace("+", "").isalnum()


def read_input(name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """The document behind a local path or an fsspec URL, never raising (errors are Sources)."""
    if not is_url(name):
        return read_source(name, max_bytes)
    shown = printable_path(name)
    doc_id = doc_id_for(shown.rsplit("/", 1)[-1])
    try:
        import fsspec

        with fsspec.open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except Exception as exc:  # any filesystem's own error type: a missing file, no credentials
        return Source(doc_id, shown, error=f"cannot read: {type(exc).__name__}: {exc}")
    if len(data) > max_bytes:
        return Source(doc_id, shown, error=f"over the size limit of {max_bytes} bytes (--max-bytes)")
    return source_from_bytes(doc_id, shown, data, html=shown.lower().endswith((".html", ".htm")))


@dataclass(frozen=True)
class Finished:
    """What `--resume` found already done, sent to the workers so they skip before extracting.

    The client still routes every input (a text written twice under one id is counted there);
    a worker only spares the extraction of an input done in every output it would go to.
    """

    to_output: bool = True
    to_store: bool = False
    in_output: frozenset[tuple[str, str]] | None = None
    in_store: frozenset[tuple[str, str]] | None = None

    def covers(self, source: Source) -> bool:
        sha = source.sha256 or ""
        if self.to_output and (self.in_output is None or (sha, source.doc_id) not in self.in_output):
            return False
        if self.to_store and (self.in_store is None or (source.path, sha) not in self.in_store):
            return False
        return self.to_output or self.to_store


def outcome_of(source: Source, rules: Sequence[str], keep_text: bool, finished: Finished | None) -> dict[str, Any]:
    """One input's result as a plain dict: its record (JSON), its error, or a skip hint."""
    entry: dict[str, Any] = {"doc_id": source.doc_id, "path": source.path, "from_html": source.from_html,
                             "encoding": source.encoding, "error": source.error, "record": None,
                             "skipped": False, "text": None, "sha256": None}
    if not source.ok:
        return entry
    entry["sha256"] = source.sha256
    if finished is not None and finished.covers(source):
        entry["skipped"] = True
        return entry
    from extractor import extract

    try:
        record = extract(source.text or "", doc_id=source.doc_id, rules=tuple(rules))
        entry["record"] = record.model_dump_json()  # a string travels and validates fastest
    except Exception as exc:  # a rule file gone missing on this worker: an error line, not a lost task
        entry["error"] = f"extraction failed: {type(exc).__name__}: {exc}"
    if keep_text or source.from_html:
        entry["text"] = source.text  # the store keeps the text; a web page's offsets refer to it
    return entry


def located(name: str) -> str:
    """Where a worker finds an input: an absolute path (workers may run elsewhere), or the URL.

    >>> located("s3://wire/a.txt")
    's3://wire/a.txt'
    """
    return name if is_url(name) else os.path.abspath(name)


def read_as_given(name: str, max_bytes: int) -> Source:
    """The input read where a worker finds it, named as the user gave it (same ids as locally)."""
    source = read_input(located(name), max_bytes)
    shown = printable_path(name)
    return replace(source, doc_id=doc_id_for(shown) if not is_url(name) else source.doc_id, path=shown)


def extract_paths(names: Sequence[str], max_bytes: int, rules: Sequence[str], keep_text: bool,
                  finished: Finished | None) -> list[dict[str, Any]]:
    """A partition of input names, read and extracted on the worker, in order."""
    return [outcome_of(read_as_given(name, max_bytes), rules, keep_text, finished) for name in names]


def _text_and_id(item: Any) -> tuple[Any, Any]:
    if isinstance(item, dict):
        return item.get("text"), item.get("doc_id")
    if isinstance(item, tuple) and len(item) == 2:
        return item
    return item, None


def extract_items(items: Iterable[Any], rules: Sequence[str] = ()) -> list[dict[str, Any]]:
    """A bag partition of texts, (text, doc_id) pairs or {"text", "doc_id"} dicts, as record dicts.

    A failure becomes `{"doc_id", "error"}`; `extract` itself never raises on a text.
    """
    from extractor import extract

    out = []
    for item in items:
        text, doc_id = _text_and_id(item)
        try:
            out.append(extract(text, doc_id=doc_id, rules=tuple(rules)).model_dump(mode="json"))
        except Exception as exc:
            out.append({"doc_id": str(doc_id or ""), "error": f"extraction failed: {type(exc).__name__}: {exc}"})
    return out


# ---------------------------------------------------------------------------------------------
# library entries for code that already has a Dask client


def extract_bag(bag: "dask_bag.Bag", rules: Sequence[str] = ()) -> "dask_bag.Bag":
    """A bag of records (plain JSON-ready dicts) from a bag of texts, pairs or dicts.

    >>> import dask.bag as db
    >>> records = extract_bag(db.from_sequence([("Acme will build a plant in Ohio.", "acme")]))
    >>> [(r["doc_id"], r["site"]["region"]) for r in records.compute(scheduler="sync")]
    [('acme', 'Ohio')]
    """
    rule_names = tuple(str(path) for path in rules)
    return bag.map_partitions(extract_items, rules=rule_names)


def frame_columns() -> tuple[str, ...]:
    from extractor.batch.cli import CSV_COLUMNS

    return tuple(CSV_COLUMNS) + ("record",)


def extract_frame_partition(frame, text_column: str, id_column: str | None, rules: Sequence[str] = ()):
    """One pandas partition: a row of the CSV's flat columns plus the record as JSON per input row."""
    import pandas as pd

    from extractor import extract
    from extractor.batch.cli import csv_row, error_entry

    columns = frame_columns()
    rows = []
    ids = frame[id_column] if id_column is not None else [None] * len(frame)
    for text, doc_id in zip(frame[text_column], ids):
        try:
            record = extract(text, doc_id=None if doc_id is None else str(doc_id), rules=tuple(rules))
            row = csv_row(record)
            row["record"] = record.model_dump_json()
        except Exception as exc:
            row = dict.fromkeys(columns)
            row.update(error_entry(Source(str(doc_id or ""), "", error=f"extraction failed: {type(exc).__name__}: {exc}")))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(columns), index=frame.index, dtype=object)


def extract_frame(df: "dask_frame.DataFrame", text_column: str, id_column: str | None = None,
                  rules: Sequence[str] = ()) -> "dask_frame.DataFrame":
    """A frame with the CSV's flat columns (doc_id, developer, country, capacity, ...) and `record`
    (the whole record as JSON), one row per row of `df`, index kept."""
    import pandas as pd

    meta = pd.DataFrame({name: pd.Series(dtype=object) for name in frame_columns()})
    rule_names = tuple(str(path) for path in rules)
    return df.map_partitions(extract_frame_partition, text_column, id_column, rule_names, meta=meta)


# ---------------------------------------------------------------------------------------------
# the engine behind `extractor extract --engine dask`


def connect(scheduler: str | None, say: Callable[[str], None] = lambda text: print(text, file=sys.stderr)) -> Client:
    """A client of the given scheduler, or of a new `LocalCluster` sized to this machine."""
    if scheduler:
        client = Client(scheduler)
    else:
        workers = max(1, os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    say(f"extractor: Dask dashboard at {client.dashboard_link}")
    return client


def _partitions(names: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(names), size):
        yield list(names[start:start + size])


def dask_entries(client: Client, names: Sequence[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 rules: Sequence[str] = (), partition_size: int = DEFAULT_PARTITION_SIZE,
                 keep_text: bool = False, finished: Finished | None = None) -> Iterator[dict[str, Any]]:
    """Each input's entry (see `outcome_of`), in input order, partitions computed on the cluster.

    A bounded window of partitions is in flight; each result is taken once and released, so a
    partition recomputed after a worker was lost still yields its entries once.
    """
    workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
    window = max(2, IN_FLIGHT_PER_WORKER * workers)
    rule_names = tuple(str(path) for path in rules)
    pending: deque = deque()
    chunks = _partitions(names, max(1, partition_size))
    for chunk in chunks:
        pending.append(client.submit(extract_paths, chunk, max_bytes, rule_names, keep_text, finished, pure=False))
        if len(pending) >= window:
            yield from _take(pending.popleft())
    while pending:
        yield from _take(pending.popleft())


def _take(future) -> list[dict[str, Any]]:
    try:
        return future.result()
    finally:
        future.release()


def source_of(entry: dict[str, Any]) -> Source:
    """The client-side Source of a worker's entry (its text only where a writer needs it)."""
    return Source(entry["doc_id"], entry["path"], text=entry.get("text"), error=entry.get("error"),
                  from_html=bool(entry.get("from_html")), encoding=entry.get("encoding"))


def record_of(entry: dict[str, Any]):
    from extractor.models import ProjectRecord

    payload = entry.get("record")
    if payload is None:
        return None
    return ProjectRecord.model_validate_json(payload) if isinstance(payload, str) else ProjectRecord.model_validate(payload)


def dumps_entry(entry: dict[str, Any]) -> str:
    """An entry as one JSON line (for logs and tests)."""
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)
