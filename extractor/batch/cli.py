"""The `extractor` command: batch extraction, the review page, record validation, the JSON Schema.

    extractor extract PATH... [-o records.jsonl] [--format jsonl|csv] [--jobs N] [--sqlite projects.db]
                              [--resume] [--timeout SECONDS] [--max-bytes N] [--rules FILE] [--quiet]
    extractor show FILE [-o FILE.html]
    extractor validate records.jsonl
    extractor schema
    extractor evaluate GOLD_DIR... [--records records.jsonl] [-v] [--json]
    extractor report records.jsonl [-o report.html] [--pages DIR] [--texts PATH]  (or --sqlite projects.db)

Exit status: 0 when every input gave a record, 1 when some failed, 2 for usage errors and an
output that cannot be written (a full disk), 130 after Ctrl-C (the summary line still ends the run).
"""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, List, Optional, TextIO

import typer

from extractor import __version__

from extractor import extract_results
from extractor.batch.inputs import DEFAULT_MAX_BYTES, Source, expand_paths, printable_path, read_source
from extractor.models import ProjectRecord
from extractor.parallel import Failure

# plain help: the rich panels print every flag as "<bool>", which reads as if it took a value
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, help=__doc__.split("\n\n")[0])

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEFAULT_TIMEOUT = 60.0
# Flags take no value; a path spelled like a value after one ("--quiet true") is a mistake.
FLAG_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0"})
# Where a finished record goes: the -o/stdout sink, the SQLite store.
OUTPUT, STORE = "output", "store"
EVERYWHERE = frozenset({OUTPUT, STORE})
# The extra key a JSONL line carries when the text was taken out of a web page: evidence offsets
# refer to it, not to the file's bytes.
SOURCE_TEXT_KEY = "source_text"
ERROR_KEYS = frozenset({"doc_id", "path", "error"})


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, metavar="",
                                 help="print the version and exit"),
) -> None:
    """Extract source-grounded project records from press releases about industrial projects."""


def schema_json() -> str:
    """The JSON Schema of ProjectRecord, as committed in `schemas/`."""
    return json.dumps(ProjectRecord.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# the batch


@dataclass(frozen=True)
class Outcome:
    """What became of one input: a record, an error, or a skip (already done, `--resume`).

    `targets` says where the record still has to go (`--resume` with both outputs may find a
    document in one and not in the other).
    """

    source: Source
    record: ProjectRecord | None = None
    skipped: bool = False
    targets: frozenset[str] = EVERYWHERE

    @property
    def failed(self) -> bool:
        return self.record is None and not self.skipped


def run_batch(
    sources: Iterable[Source],
    *,
    jobs: int = 1,
    rules: tuple[str, ...] = (),
    route: Callable[[Source], frozenset[str]] = lambda source: EVERYWHERE,
    timeout: float | None = None,
    batch_size: int = 8,
) -> Iterator[Outcome]:
    """An outcome per input, in input order, the good texts going through `extract_results`.

    `route` says where each readable input's record must go; none means skip it. Errors and
    skips are held in a queue until the records before them come back, so that the output
    follows the input even with `jobs > 1`. A document over `timeout` seconds (or whose worker
    died) becomes an error outcome, and the batch goes on.
    """
    remaining = iter(sources)
    pending: deque[Outcome | tuple[Source, frozenset[str]]] = deque()

    def texts() -> Iterator[tuple[str, str]]:
        for source in remaining:
            if not source.ok:
                pending.append(Outcome(source))
                continue
            targets = route(source)
            if not targets:
                pending.append(Outcome(source, skipped=True))
            else:
                pending.append((source, targets))
                yield source.text or "", source.doc_id

    def settled() -> Iterator[Outcome]:
        while pending and isinstance(pending[0], Outcome):
            yield pending.popleft()  # type: ignore[misc]

    results = extract_results(texts(), n_process=jobs, batch_size=batch_size, rules=rules, timeout=timeout)
    try:
        for _text, _doc_id, result in results:
            yield from settled()
            source, targets = pending.popleft()  # type: ignore[misc]
            if isinstance(result, Failure):
                yield Outcome(replace(source, error=result.error))
            else:
                yield Outcome(source, result, targets=targets)
        yield from settled()
    finally:
        results.close()


def run_batch_dask(
    names: list[str],
    options: "ExtractOptions",
    *,
    route: "Router",
    keep_text: bool,
    say: Callable[[str], None],
) -> Iterator[Outcome]:
    """The batch on a Dask cluster (`options.scheduler`, `options.partition_size` inputs per
    task): workers read and extract, the client routes and writes.

    Outcomes come in input order, like `run_batch`'s. `--resume` is decided here, by the same
    Router; workers are told what was finished so that they skip it before extracting.
    """
    from types import SimpleNamespace

    from extractor import extract
    from extractor.dask import Finished, connect, dask_entries, read_as_given, record_of, source_of

    finished = Finished(
        to_output=route.to_output,
        to_store=route.to_store,
        in_output=None if route.in_output is None else frozenset(k for k, n in route.in_output.items() if n > 0),
        in_store=None if route.in_store is None else frozenset(route.in_store),
    )
    max_bytes, rules = options.max_bytes, options.rules
    client = connect(options.scheduler, say)
    try:
        for entry in dask_entries(client, names, max_bytes=max_bytes, rules=rules,
                                  partition_size=options.partition_size, keep_text=keep_text, finished=finished):
            source = source_of(entry)
            if not source.ok:
                yield Outcome(source)
                continue
            targets = route(SimpleNamespace(sha256=entry["sha256"], doc_id=source.doc_id, path=source.path))
            if not targets:
                yield Outcome(source, skipped=True)
            elif entry["skipped"]:  # a text finished fewer times than it is given: extract it here
                again = read_as_given(source.path, max_bytes)
                record = extract(again.text or "", doc_id=again.doc_id, rules=rules) if again.ok else None
                yield Outcome(again, record, targets=targets)
            else:
                yield Outcome(source, record_of(entry), targets=targets)
    finally:
        client.close()
        cluster = getattr(client, "cluster", None)
        if cluster is not None:
            cluster.close()


def record_line(record: ProjectRecord, source: Source | None = None) -> str:
    """One JSONL line; a record made from a web page carries the text its offsets refer to."""
    data = record.model_dump(mode="json")
    if source is not None and source.from_html:
        data[SOURCE_TEXT_KEY] = source.text
    return json.dumps(data, ensure_ascii=False) + "\n"


def error_entry(source: Source) -> dict[str, str]:
    """The entry an unreadable input leaves in the output, so that no input goes missing silently."""
    return {"doc_id": source.doc_id, "path": source.path, "error": source.error or "unknown error"}


CSV_COLUMNS = (
    "doc_id", "title", "detected", "project_name", "project_type", "status", "developer", "companies",
    "country", "country_code", "region", "city", "district", "zone", "area_value", "area_unit",
    "area_ha", "floor_area_m2", "capacity", "capacity_value", "capacity_unit", "investment_amount", "investment_currency",
    "annual_output_value_amount", "annual_output_value_currency", "annual_tax_amount", "annual_tax_currency",
    "jobs", "automation_rate_pct", "phases", "construction_start", "production_start",
    "dateline_place", "dateline_date", "warnings", "text_sha256", "path", "error",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet will not run as a formula ("=SUM(A1)" -> "'=SUM(A1)"); numbers pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(record: ProjectRecord, path: str = "") -> dict[str, Any]:
    """One flat row per record: the values a spreadsheet user sorts and filters on.

    Several capacities are joined in `capacity` ("60 GWh; 10 GW"); the first also goes, split, to
    `capacity_value` and `capacity_unit`, so that a column of numbers sorts.
    """
    from extractor.batch.render import describe
    from extractor.batch.store import area_hectares, floor_area_square_metres

    site = record.site
    developer = next((c.name for c in record.companies if c.role == "developer"), None)
    first_capacity = record.capacity[0] if record.capacity else None

    def milestone(kind: str) -> str | None:
        return next((m.date or "yes" for m in record.milestones if m.kind == kind), None)

    row = {
        "doc_id": record.doc_id,
        "title": record.title,
        "detected": record.project.detected,
        "project_name": record.project.name,
        "project_type": record.project.type,
        "status": record.project.status,
        "developer": developer,
        "companies": "; ".join(c.name for c in record.companies),
        "country": site.country if site else None,
        "country_code": site.country_code if site else None,
        "region": site.region if site else None,
        "city": site.city if site else None,
        "district": site.district if site else None,
        "zone": site.zone if site else None,
        "area_value": record.area.value if record.area else None,
        "area_unit": record.area.unit if record.area else None,
        "area_ha": area_hectares(record.area),
        "floor_area_m2": floor_area_square_metres(record.floor_area),
        "capacity": "; ".join(describe(q) for q in record.capacity),
        "capacity_value": first_capacity.value if first_capacity else None,
        "capacity_unit": first_capacity.unit if first_capacity else None,
        "jobs": record.jobs.value if record.jobs else None,
        "automation_rate_pct": record.automation_rate.value if record.automation_rate else None,
        "phases": len(record.phases) or None,
        "construction_start": milestone("construction_start") or milestone("groundbreaking"),
        "production_start": milestone("production_start"),
        "dateline_place": record.dateline.place if record.dateline else None,
        "dateline_date": record.dateline.date if record.dateline else None,
        "warnings": "; ".join(record.warnings),
        "text_sha256": record.text_sha256,
        "path": path,
        "error": None,
    }
    for name in ("investment", "annual_output_value", "annual_tax"):
        money = getattr(record, name)
        row[f"{name}_amount"] = money.amount if money else None
        row[f"{name}_currency"] = money.currency if money else None
    return {key: spreadsheet_safe(whole(row.get(key))) for key in CSV_COLUMNS}


def whole(value: Any) -> Any:
    """A float without a fraction as an int (1300.0 -> 1300), so a CSV cell reads "1300"."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


class OutputError(Exception):
    """An output that cannot take more (a full disk, a closed pipe): the batch stops, saying why."""


class Sink:
    """Where records go as they come: one complete, flushed line at a time, so a killed run
    leaves every finished record readable and never half a line."""

    def __init__(self, stream: TextIO, fmt: OutputFormat, close: bool, name: str = "standard output",
                 header: bool = True) -> None:
        self.stream, self.fmt, self._close, self.name = stream, fmt, close, name
        self._csv: csv.DictWriter | None = None
        if fmt is OutputFormat.csv:
            self._csv = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            if header:
                buffer = io.StringIO()
                csv.DictWriter(buffer, fieldnames=CSV_COLUMNS).writeheader()
                self._write(buffer.getvalue())

    def record(self, record: ProjectRecord, source: Source) -> None:
        if self._csv is not None:
            self._line_csv(csv_row(record, source.path))
        else:
            self._write(record_line(record, source))

    def error(self, source: Source) -> None:
        entry = error_entry(source)
        if self._csv is not None:
            self._line_csv({**{key: None for key in CSV_COLUMNS}, **{k: spreadsheet_safe(v) for k, v in entry.items()}})
        else:
            self._write(json.dumps(entry, ensure_ascii=False) + "\n")

    def _line_csv(self, row: dict[str, Any]) -> None:
        buffer = io.StringIO()
        csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore").writerow(row)
        self._write(buffer.getvalue())

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)  # one call per line
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write {self.name}: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self._close:
            try:
                self.stream.close()
            except OSError:
                pass  # already reported by the write that failed


def resume_jsonl(path: Path) -> Counter[tuple[str, str]]:
    """Keep the finished records of an earlier JSONL output; count them by (text hash, doc id).

    One line stands for one input, so two files with the same text under two names are two
    lines, and a resumed run skips an input only while a line of its own is left. Error lines
    and a torn last line are dropped (those inputs are tried again) by rewriting the file
    through a temporary one, so a crash here loses nothing; a clean file is left untouched.
    """
    if not path.exists():
        return Counter()
    kept: list[str] = []
    done: Counter[tuple[str, str]] = Counter()
    dropped = False
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.endswith("\n"):
                dropped = True
                break
            try:
                data = json.loads(line)
            except (ValueError, RecursionError):
                dropped = True
                continue
            sha = data.get("text_sha256") if isinstance(data, dict) else None
            doc_id = data.get("doc_id") if isinstance(data, dict) else None
            if isinstance(sha, str) and isinstance(doc_id, str):
                done[(sha, doc_id)] += 1
                kept.append(line)
            else:
                dropped = True
    if dropped:
        write_atomically(path, "".join(kept))
    return done


def new_file_mode() -> int:
    """The mode `open(..., "w")` gives a new file: 0o666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def is_read_only(path: Path) -> bool:
    """Whether an existing file refuses writing, by its mode too: root may write a 0444 file,
    but its owner said it is not to be changed."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and (not mode & 0o222 or not os.access(path, os.W_OK))


def write_atomically(path: Path, content: str, encoding: str = "utf-8") -> None:
    """Replace a file's content all at once: a reader sees the old file or the new, never half.

    The new file keeps the old one's mode (or gets the umask's, when new), not the temporary
    file's 0600.
    """
    path = Path(path)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = new_file_mode()
    fd, temp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(content)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass
class Tally:
    """The counts of the summary line."""

    documents: int = 0
    records: int = 0
    errors: int = 0
    skipped: int = 0
    no_project: int = 0  # records whose release is about no project (left out with --projects-only)
    started: float = field(default_factory=time.perf_counter)

    def line(self, interrupted: bool = False) -> str:
        seconds = time.perf_counter() - self.started
        return (f"{self.documents} documents, {self.records} records, {self.errors} errors, "
                f"{self.skipped} skipped, {self.no_project} no project, {seconds:.1f} s"
                + (", interrupted" if interrupted else ""))


class Destinations:
    """Everything a finished document is written to: the JSONL/CSV sink, the SQLite store."""

    def __init__(self, sink: Sink | None, db: Any = None) -> None:
        from extractor.batch.store import BatchCommitter

        self.sink, self.db = sink, db
        self.committer = BatchCommitter(db) if db is not None else None

    def record(self, record: ProjectRecord, source: Source, targets: frozenset[str] = EVERYWHERE) -> None:
        if self.sink is not None and OUTPUT in targets:
            self.sink.record(record, source)
        if self.committer is not None and STORE in targets:
            self.committer.record(record, source.path, source.text)

    def error(self, source: Source) -> None:
        if self.sink is not None:
            self.sink.error(source)
        if self.committer is not None:
            self.committer.error(source.doc_id, source.path, source.error or "")

    def close(self) -> None:
        """Close the sink and commit what was finished, even after an interruption."""
        if self.sink is not None:
            self.sink.close()
        if self.db is not None and self.committer is not None:
            from extractor.batch.store import close_store

            try:
                self.committer.commit()
            finally:
                close_store(self.db)


@dataclass
class Router:
    """Where each input's record must go, given what `--resume` found already done.

    `in_output` counts the finished JSONL lines by (text hash, doc id), one per input;
    `in_store` holds the (path, text hash) of the inputs stored by this version. None means
    "not resuming that output". An input done in both is skipped; one done in one output only
    is extracted again for the other alone, so that nothing is written twice.
    """

    to_output: bool
    to_store: bool
    in_output: Counter[tuple[str, str]] | None = None
    in_store: set[tuple[str, str]] | None = None

    def __call__(self, source: Source) -> frozenset[str]:
        targets: set[str] = set()
        sha = source.sha256 or ""
        if self.to_output:
            key = (sha, source.doc_id)
            if self.in_output is not None and self.in_output[key] > 0:
                self.in_output[key] -= 1
            else:
                targets.add(OUTPUT)
        if self.to_store and (self.in_store is None or (source.path, sha) not in self.in_store):
            targets.add(STORE)
        return frozenset(targets)


def usage_error(message: str) -> typer.Exit:
    typer.echo(f"extractor: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def _progress(enabled: bool, total: int):
    """A rich progress bar on stderr (documents/s and ETA), or a no-op when not wanted."""
    from contextlib import nullcontext

    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeRemainingColumn)
    from rich.text import Text

    class Speed(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} docs/s" if speed else "… docs/s")

    return Progress(
        TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), Speed(), TextColumn("ETA"),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    )


def _open_output(output: Optional[Path], fmt: OutputFormat, append: bool) -> tuple[TextIO, bool]:
    if output is None or str(output) == "-":
        return sys.stdout, False
    # CSV files get a byte-order mark so that spreadsheets read them as UTF-8.
    encoding = "utf-8-sig" if fmt is OutputFormat.csv and not append else "utf-8"
    return output.open("a" if append else "w", encoding=encoding, newline="" if fmt is OutputFormat.csv else None), True


@app.command("extract")
def extract_command(
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="files, folders (*.txt, *.html, *.htm, recursively), globs, or - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="output file (default: stdout, unless --sqlite)"),
    fmt: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f", help="jsonl: one record per line; csv: one flat row per record"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="worker processes; the records and their order do not change"),
    sqlite: Optional[Path] = typer.Option(None, "--sqlite", metavar="FILE", help="also store the records in this SQLite database"),
    resume: bool = typer.Option(False, "--resume", help="skip inputs already in --sqlite (this version) and in the -o JSONL"),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0, metavar="SECONDS", help="seconds per document; a slower one becomes an error line (0: no limit)"),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, metavar="N", help="larger files are reported as errors"),
    rules: List[Path] = typer.Option([], "--rules", metavar="FILE", help="extra rule file (JSONL); repeat for several"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar and no per-file error messages"),
    projects_only: bool = typer.Option(False, "--projects-only", help="leave out releases about no project (project.detected false); the summary counts them"),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local: this machine's processes (--jobs); dask: a Dask cluster (pip install \"extractor[dask]\")"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="with --engine dask: the scheduler to use (tcp://host:8786); default a LocalCluster sized to this machine"),
    partition_size: int = typer.Option(64, "--partition-size", min=1, metavar="N", help="with --engine dask: inputs per task"),
) -> None:
    """Extract one project record per document; unreadable inputs become error entries."""
    tally = Tally()
    options = ExtractOptions(paths, output, fmt, jobs, sqlite, resume, timeout, max_bytes,
                             tuple(str(p) for p in rules), quiet, projects_only, engine, scheduler, partition_size)
    check_extract_options(options)
    check_rule_files(options.rules)
    destinations, route, owned = open_destinations(options)
    interrupted, problem = extract_all(options, destinations, route, tally)
    exit_with_summary(tally, interrupted, problem, owned)


@dataclass(frozen=True)
class ExtractOptions:
    """The `extract` command's options as given (`rules` as path strings)."""

    paths: list[str]
    output: Optional[Path]
    fmt: OutputFormat
    jobs: int
    sqlite: Optional[Path]
    resume: bool
    timeout: float
    max_bytes: int
    rules: tuple[str, ...]
    quiet: bool
    projects_only: bool
    engine: Engine
    scheduler: Optional[str]
    partition_size: int

    @property
    def to_file(self) -> bool:
        """Records go to a file named with -o (not standard output)."""
        return self.output is not None and str(self.output) != "-"


def check_extract_options(options: ExtractOptions) -> None:
    """The option combinations `extract` refuses before any work, as usage errors."""
    if options.resume and options.sqlite is None and (options.output is None or options.fmt is not OutputFormat.jsonl):
        raise usage_error("--resume needs --sqlite or a JSONL file given with -o")
    if options.resume and options.output is not None and options.fmt is OutputFormat.csv:
        raise usage_error("--resume cannot continue a CSV file; use JSONL or --sqlite")
    for path in options.paths:
        if path.lower() in FLAG_VALUES and not Path(path).exists():
            raise usage_error(f"flags take no value: {path!r} is not an input (write --quiet, not --quiet {path})")
    if options.output is not None and str(options.output) != "-" and is_read_only(options.output):
        raise usage_error(f"cannot write {options.output}: the file is read-only")
    if options.engine is Engine.dask:
        if "-" in options.paths:
            raise usage_error("--engine dask: workers read the inputs themselves, so standard input (-) needs the local engine")
        try:
            import extractor.dask  # noqa: F401
        except ImportError as exc:
            raise usage_error(f'--engine dask needs the optional extra: pip install "extractor[dask]" ({exc})')


def check_rule_files(rule_files: tuple[str, ...]) -> None:
    """Build the pipeline with the user's rule files: a bad one is a usage error, reported
    before any work."""
    try:
        from extractor.pipeline import get_pipeline

        get_pipeline(rule_files)
    except (OSError, ValueError) as exc:
        raise usage_error(str(exc))


def resumed_output(options: ExtractOptions) -> Counter[tuple[str, str]] | None:
    """With --resume and a JSONL -o file: the records it already holds (the file rewritten to
    its whole lines), else None."""
    if not (options.resume and options.to_file and options.fmt is OutputFormat.jsonl):
        return None
    try:
        return resume_jsonl(options.output)
    except OSError as exc:
        raise usage_error(f"cannot rewrite {options.output} to resume it: {exc.strerror or exc}")


def open_sqlite(options: ExtractOptions) -> tuple[Any, set[tuple[str, str]] | None]:
    """The --sqlite store (None without it) and, with --resume, the inputs it already holds."""
    if options.sqlite is None:
        return None, None
    from extractor.batch.store import open_store, stored_sources

    try:
        db = open_store(options.sqlite)
        return db, stored_sources(db) if options.resume else None
    except Exception as exc:  # sqlite3 errors for a bad path or a file that is no database
        raise usage_error(f"cannot open {options.sqlite}: {exc}")


def open_sink(options: ExtractOptions, stream: TextIO, owned: bool) -> Sink | None:
    """The JSONL/CSV sink; none with --sqlite and no -o: the records go to the database only,
    not to the terminal."""
    if options.output is None and options.sqlite is not None:
        return None
    name = str(options.output) if options.to_file else "standard output"
    try:
        return Sink(stream, options.fmt, close=owned, name=name)
    except OutputError as exc:
        raise usage_error(str(exc).removeprefix("extractor: error: "))


def open_destinations(options: ExtractOptions) -> tuple[Destinations, Router, bool]:
    """Where the records go, which inputs go where (after --resume), and whether the output
    stream is a file of ours to close."""
    in_output = resumed_output(options)
    db, in_store = open_sqlite(options)
    try:
        stream, owned = _open_output(options.output, options.fmt, append=in_output is not None)
    except OSError as exc:
        raise usage_error(f"cannot write {options.output}: {exc.strerror or exc}")
    sink = open_sink(options, stream, owned)
    route = Router(to_output=sink is not None, to_store=db is not None, in_output=in_output, in_store=in_store)
    return Destinations(sink, db), route, owned


@dataclass
class OutcomeWriter:
    """Writes each outcome where it goes and counts it; says what went wrong unless quiet."""

    destinations: Destinations
    tally: Tally
    say: Callable[[str], None]
    quiet: bool
    projects_only: bool
    first_path: dict[str, str] = field(default_factory=dict)

    def __call__(self, outcome: Outcome) -> None:
        self.tally.documents += 1
        source = outcome.source
        self.warn_of_a_repeated_id(source)
        if outcome.skipped:
            self.tally.skipped += 1
        elif outcome.record is not None:
            detected = outcome.record.project.detected
            self.tally.no_project += not detected
            if detected or not self.projects_only:
                self.tally.records += 1
                self.destinations.record(outcome.record, source, outcome.targets)
        else:
            self.tally.errors += 1
            if not self.quiet:
                self.say(f"extractor: {source.path}: {source.error}")
            self.destinations.error(source)

    def warn_of_a_repeated_id(self, source: Source) -> None:
        """ids key the records downstream (the scorer, joins): a repeat would hide one."""
        first = self.first_path.setdefault(source.doc_id, source.path)
        if first != source.path and not self.quiet:
            self.say(f"extractor: warning: doc_id {source.doc_id!r} of {source.path} repeats that of {first}")


def messages_to(bar: Any) -> Callable[[str], None]:
    """How to say something: above a live progress bar, not through it; else on stderr."""
    if bar is not None:
        return lambda text: bar.console.print(text, markup=False, highlight=False)
    return lambda text: typer.echo(text, err=True)


def outcomes_of(options: ExtractOptions, names: list[str], route: Router, keep_text: bool,
                say: Callable[[str], None]) -> Iterable[Outcome]:
    """The inputs' outcomes, in input order, from the engine chosen."""
    if options.engine is Engine.dask:
        return run_batch_dask(names, options, route=route, keep_text=keep_text, say=say)
    sources = (read_source(name, options.max_bytes) for name in names)
    return run_batch(sources, jobs=options.jobs, rules=options.rules, route=route, timeout=options.timeout or None)


def extract_all(options: ExtractOptions, destinations: Destinations, route: Router,
                tally: Tally) -> tuple[bool, str | None]:
    """Extract every input, writing each outcome as it comes: (interrupted by Ctrl-C, the
    problem that stopped the writing). The destinations are closed in any case."""
    names = list(expand_paths(options.paths))
    interrupted = False
    problem: str | None = None
    try:
        with _progress(not options.quiet and sys.stderr.isatty(), len(names)) as bar:
            task = bar.add_task("extract", total=len(names)) if bar is not None else None
            write = OutcomeWriter(destinations, tally, messages_to(bar), options.quiet, options.projects_only)
            for outcome in outcomes_of(options, names, route, destinations.db is not None, write.say):
                write(outcome)
                if bar is not None:
                    bar.advance(task)
    except BrokenPipeError:  # `extractor extract corpus | head`: the reader left, stop quietly
        _silence_stdout()
        raise typer.Exit(EXIT_FAILED)
    except KeyboardInterrupt:  # Ctrl-C: the workers ignore it; what was finished is kept
        interrupted = True
    except (OutputError, sqlite3.Error) as exc:  # a full disk, a store gone read-only
        problem = str(exc) if isinstance(exc, OutputError) else f"cannot write {options.sqlite}: {exc}"
    finally:
        try:
            destinations.close()
        except (OSError, sqlite3.Error) as exc:
            problem = problem or f"cannot finish writing: {exc}"
    return interrupted, problem


def exit_with_summary(tally: Tally, interrupted: bool, problem: str | None, owned: bool) -> None:
    """The summary line (after the problem, if any) and the exit status it implies."""
    if problem is not None:
        if not owned:
            _silence_stdout()
        typer.echo(f"extractor: error: {problem}", err=True)
    typer.echo(tally.line(interrupted), err=True)
    if interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if problem is not None:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FAILED if tally.errors else EXIT_OK)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's final flush does not fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test runner's capture)


@app.command("show")
def show_command(
    file: str = typer.Argument(..., help="a document (.txt, .html) or - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="HTML file (default: stdout)"),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, metavar="N"),
    rules: List[Path] = typer.Option([], "--rules", metavar="FILE", help="extra rule file (JSONL); repeat for several"),
) -> None:
    """Write a self-contained HTML page: the text with every extracted fact marked, the record beside it."""
    from extractor import extract
    from extractor.batch.render import render_page

    source = read_source(file, max_bytes)
    if not source.ok:
        typer.echo(f"extractor: {source.path}: {source.error}", err=True)
        raise typer.Exit(EXIT_FAILED)
    try:
        record = extract(source.text or "", doc_id=source.doc_id, rules=[str(p) for p in rules])
    except (OSError, ValueError) as exc:  # a bad rule file
        raise usage_error(str(exc))
    page = render_page(record, source.text or "", source=source.path)
    if output is None or str(output) == "-":
        try:
            sys.stdout.write(page)
            sys.stdout.flush()
        except OSError as exc:
            _silence_stdout()
            raise usage_error(f"cannot write standard output: {exc.strerror or exc}")
    elif is_read_only(output):
        raise usage_error(f"cannot write {output}: the file is read-only")
    else:
        try:
            write_atomically(output, page)
        except OSError as exc:
            raise usage_error(f"cannot write {output}: {exc.strerror or exc}")
        typer.echo(f"wrote {output}", err=True)


def check_line(line: str) -> tuple[str, str | None]:
    """("record" | "error entry" | "invalid", the problem): what one JSONL line is.

    An error entry ({"doc_id", "path", "error"}) is a valid line of `extractor extract` output:
    it says which input could not be read.
    """
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return "invalid", f"not JSON: {exc.msg}"
    except RecursionError:
        return "invalid", "not a record: JSON nested too deeply"
    if not isinstance(data, dict):
        return "invalid", "not a JSON object"
    if set(data) == ERROR_KEYS:
        return "error entry", None
    source_text = data.pop(SOURCE_TEXT_KEY, None)
    try:
        record = ProjectRecord.model_validate(data)
    except RecursionError:
        return "invalid", "not a record: nested too deeply"
    except Exception as exc:  # pydantic's ValidationError, summarised
        errors = getattr(exc, "errors", None)
        if callable(errors):
            first = errors()[:3]
            return "invalid", "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in first)
        return "invalid", str(exc)
    if isinstance(source_text, str):
        from extractor import text_sha256

        if text_sha256(source_text) != record.text_sha256:
            return "invalid", "source_text does not hash to text_sha256"
        for problem in _ungrounded(record, source_text):
            return "invalid", problem
    return "record", None


def _ungrounded(record: ProjectRecord, text: str) -> Iterator[str]:
    from extractor.batch.render import facts

    for fact in facts(record):
        ev = fact.evidence
        if ev is not None and text[ev.start:ev.end] != ev.text:
            yield f"{fact.label}: evidence [{ev.start}:{ev.end}] does not quote the text"


@app.command("validate")
def validate_command(
    file: Path = typer.Argument(..., help="a JSONL file written by `extractor extract`"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="only the summary"),
) -> None:
    """Check every line of a JSONL file against the record models; list the lines that fail."""
    try:
        handle = file.open("rb")
    except OSError as exc:
        raise usage_error(f"cannot read {file}: {exc.strerror or exc}")
    shown = printable_path(str(file))
    counts = {"record": 0, "error entry": 0, "invalid": 0}
    with handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                kind, problem = "invalid", f"not UTF-8 (byte {exc.start})"
            else:
                kind, problem = check_line(line)
            counts[kind] += 1
            if problem and not quiet:
                typer.echo(f"{shown}:{number}: {problem}")
    typer.echo(f"{counts['record']} valid records, {counts['error entry']} error entries, "
               f"{counts['invalid']} invalid lines", err=True)
    raise typer.Exit(EXIT_FAILED if counts["invalid"] else EXIT_OK)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of ProjectRecord."""
    sys.stdout.write(schema_json())


@app.command("version")
def version_command() -> None:
    """Print the extractor's version (stored with every SQLite row)."""
    typer.echo(__version__)


@app.command("evaluate")
def evaluate_command(
    gold_dirs: List[Path] = typer.Argument(..., help="folders of <doc>.txt with <doc>.json gold files (format: README)"),
    records: Optional[Path] = typer.Option(None, "--records", help="score this JSONL of records instead of extracting the texts"),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="list every miss: document, field, expected, found"),
    as_json: bool = typer.Option(False, "--json", help="print the evaluation as one JSON object"),
    rules: List[Path] = typer.Option([], "--rules", help="extra rule file (JSONL) for the extraction; repeat for several"),
) -> None:
    """Per-field precision, recall and F1 against gold facts, the micro-F1, and the evidence that quotes the text."""
    from extractor.batch import evaluate as ev

    for folder in gold_dirs:
        if not folder.is_dir():
            raise usage_error(f"{folder} is not a folder")
    if records is not None and not records.is_file():
        raise usage_error(f"cannot read {records}")
    try:
        result = ev.run(gold_dirs, records, [str(p) for p in rules],
                        warn=lambda message: typer.echo(f"extractor: warning: {message}", err=True))
    except (OSError, ValueError) as exc:  # a bad rule file, an unreadable records file
        raise usage_error(str(exc))
    if result is None:
        raise usage_error("no gold documents (<doc>.json beside <doc>.txt) in " + ", ".join(map(str, gold_dirs)))
    if as_json:
        typer.echo(json.dumps(ev.as_json(result, with_misses=verbose), ensure_ascii=False))
        return
    if verbose:
        for miss in result.misses:
            typer.echo(ev.miss_line(miss))
    typer.echo("\n".join([*ev.table_lines(result), ev.summary_line(result)]))


@app.command("report")
def report_command(
    records: Optional[Path] = typer.Argument(None, help="a JSONL file written by `extractor extract` (or give --sqlite)"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML file (default: stdout)"),
    sqlite: Optional[Path] = typer.Option(None, "--sqlite", help="read the batch from this SQLite store instead"),
    pages: Optional[Path] = typer.Option(None, "--pages", help="write each record's `extractor show` page here and link it"),
    texts: List[str] = typer.Option([], "--texts", help="files or folders holding the texts, for --pages; repeat for several"),
) -> None:
    """Write one self-contained HTML page about a batch: counts, field coverage, charts, and a table of the records."""
    from extractor.batch import report as rp

    if (records is None) == (sqlite is None):
        raise usage_error("give a JSONL file of records or --sqlite DB (one of them)")
    source = records if records is not None else sqlite
    assert source is not None
    if not source.is_file():
        raise usage_error(f"cannot read {source}")
    try:
        batch = rp.read_jsonl(source) if records is not None else rp.read_sqlite(source)
    except (OSError, ValueError) as exc:
        raise usage_error(f"cannot read {source}: {exc}")
    if texts:
        rp.add_texts(batch, texts)
    links: dict[str, str] = {}
    if pages is not None:
        report_folder = (output.parent if output is not None and str(output) != "-" else Path.cwd())
        try:
            links = rp.write_pages(batch, pages, report_folder, write_atomically)
        except OSError as exc:
            raise usage_error(f"cannot write pages into {pages}: {exc.strerror or exc}")
        missing = sum(1 for summary in batch.summaries if summary.text_sha256 not in links)
        typer.echo(f"wrote {len(links)} show pages into {pages}"
                   + (f" ({missing} records without their text at hand: see --texts)" if missing else ""), err=True)
    page = rp.render_report(batch, links)
    if output is None or str(output) == "-":
        sys.stdout.write(page)
        return
    try:
        write_atomically(output, page)
    except OSError as exc:
        raise usage_error(f"cannot write {output}: {exc.strerror or exc}")
    typer.echo(f"wrote {output}: {batch.documents} documents, {len(batch.summaries)} records, "
               f"{len(batch.errors)} errors", err=True)


if __name__ == "__main__":
    app()
