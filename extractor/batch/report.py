"""`extractor report`: one page that shows a whole batch at a glance.

The page counts the documents, records and errors, shows how many records fill each field,
charts the projects by country, status and type, capacity by unit and investment by currency,
and lists every record in a table that sorts and filters. Each row links to the record's
`extractor show` page where the text is at hand (`--pages DIR`).

The page is one self-contained file: the charts are inline SVG drawn by matplotlib (no
network, nothing fetched), every text from the records is escaped, and the one script on the
page is ours, a constant allowed by its hash in the page's Content-Security-Policy, so that no
script that came from the data could run even if escaping failed somewhere.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import sqlite3
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence
from urllib.parse import quote

from extractor import __version__
from extractor.batch.render import describe, number
from extractor.models import ProjectRecord

SOURCE_TEXT_KEY = "source_text"  # the text a record from a web page carries (see the cli)
TOP_BARS = 15  # a chart shows this many bars; the rest are summed into one "other" bar
NONE_LABEL = "(none)"


# ---------------------------------------------------------------------------------------------
# reading a batch


@dataclass
class Batch:
    """What a run of `extractor extract` left, as the page needs it: a summary per record (the
    records themselves are not kept, so a batch of any size fits in memory), the error
    entries, the count of lines that are neither, and where each record's text is at hand."""

    source: str
    kind: str = "jsonl"  # or "sqlite"
    summaries: list["Summary"] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    invalid: int = 0
    with_text: set[str] = field(default_factory=set)  # hashes whose text the input itself holds
    text_files: dict[str, str] = field(default_factory=dict)  # hash -> a file with that text (--texts)

    @property
    def documents(self) -> int:
        return len(self.summaries) + len(self.errors) + self.invalid

    def at_hand(self, sha: str) -> bool:
        return sha in self.with_text or sha in self.text_files


def parse_entry(data: Any) -> tuple[str, Any]:
    """("record", (record, its source_text or None)) | ("error", entry) | ("invalid", None):
    what one JSONL line (or stored record) is."""
    if not isinstance(data, dict):
        return "invalid", None
    if "error" in data and "text_sha256" not in data:
        return "error", {k: str(data.get(k) or "") for k in ("doc_id", "path", "error")}
    text = data.pop(SOURCE_TEXT_KEY, None)
    try:
        record = ProjectRecord.model_validate(data)
    except ValueError:  # pydantic's ValidationError: a line of another version or hand-edited
        return "invalid", None
    return "record", (record, text if isinstance(text, str) else None)


def _jsonl_objects(path: Path) -> Iterator[Any]:
    """The parsed lines of a JSONL file (None for a line that is not JSON), blank lines skipped."""
    with Path(path).open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    yield None


def _take(batch: Batch, kind: str, value: Any, has_text: bool = False) -> None:
    if kind == "record":
        record, text = value
        batch.summaries.append(summarize(record))
        if has_text or text is not None:
            batch.with_text.add(record.text_sha256)
    elif kind == "error":
        batch.errors.append(value)
    else:
        batch.invalid += 1


def read_jsonl(path: Path) -> Batch:
    """A batch from the JSONL file `extractor extract -o` wrote (records and error lines)."""
    batch = Batch(str(path), "jsonl")
    for data in _jsonl_objects(path):
        _take(batch, *parse_entry(data))
    return batch


def _connect(path: Path) -> sqlite3.Connection:
    """The store, read-only; a file that is no store of `extractor extract --sqlite` is a ValueError."""
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        connection.close()
        raise ValueError(str(exc)) from exc
    if "documents" not in tables:
        connection.close()
        raise ValueError(f"{path} has no documents table: not written by `extractor extract --sqlite`")
    return connection


def _stored_json(text: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, json.JSONDecodeError):
        return None


def read_sqlite(path: Path) -> Batch:
    """A batch from the SQLite store `extractor extract --sqlite` wrote, whose stored texts are
    at hand for the show pages. A file that is no such store is a ValueError."""
    batch = Batch(str(path), "sqlite")
    connection = _connect(path)
    try:
        for record_json, has_text in connection.execute(
                "SELECT record, text IS NOT NULL FROM documents ORDER BY doc_id"):
            _take(batch, *parse_entry(_stored_json(record_json)), has_text=bool(has_text))
        if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'errors'").fetchone():
            for doc_id, path_, error in connection.execute("SELECT doc_id, path, error FROM errors ORDER BY path"):
                batch.errors.append({"doc_id": doc_id or "", "path": path_ or "", "error": error or ""})
    except sqlite3.Error as exc:
        raise ValueError(str(exc)) from exc
    finally:
        connection.close()
    return batch


def add_texts(batch: Batch, paths: Iterable[str]) -> int:
    """Find the texts of records among these files and folders, matched by the hash of the
    text (so a page's evidence offsets refer to exactly that text); returns how many matched."""
    from extractor import text_sha256
    from extractor.batch.inputs import expand_paths, read_source

    wanted = {s.text_sha256 for s in batch.summaries if not batch.at_hand(s.text_sha256)}
    found = 0
    for name in expand_paths(list(paths)):
        if not wanted:
            break
        source = read_source(name)
        if not source.ok or source.text is None:
            continue
        sha = text_sha256(source.text)
        if sha in wanted:
            batch.text_files[sha] = name
            wanted.discard(sha)
            found += 1
    return found


def _stored_records(batch: Batch) -> Iterator[tuple[ProjectRecord, str | None]]:
    """The batch's records read again, one at a time, with the text the input holds for each."""
    if batch.kind == "sqlite":
        connection = _connect(Path(batch.source))
        try:
            for record_json, text in connection.execute("SELECT record, text FROM documents ORDER BY doc_id"):
                kind, value = parse_entry(_stored_json(record_json))
                if kind == "record":
                    yield value[0], text if isinstance(text, str) else None
        finally:
            connection.close()
        return
    for data in _jsonl_objects(Path(batch.source)):
        kind, value = parse_entry(data)
        if kind == "record":
            yield value


def records_at_hand(batch: Batch) -> Iterator[tuple[ProjectRecord, str]]:
    """Each record whose text is at hand, once per text, with that text."""
    from extractor import text_sha256
    from extractor.batch.inputs import read_source

    done: set[str] = set()
    for record, text in _stored_records(batch):
        sha = record.text_sha256
        if sha in done:
            continue
        if text is None and sha in batch.text_files:
            source = read_source(batch.text_files[sha])
            text = source.text if source.ok and source.text is not None and text_sha256(source.text) == sha else None
        if text is not None:
            done.add(sha)
            yield record, text


# ---------------------------------------------------------------------------------------------
# what the page counts


def _developer(record: ProjectRecord) -> str | None:
    return next((c.name for c in record.companies if c.role == "developer"), None)


def _milestone_date(record: ProjectRecord, *kinds: str) -> str | None:
    return next((m.date for m in record.milestones if m.kind in kinds and m.date), None)


# Field coverage: a label and the test that a record fills the field, in the page's order.
COVERAGE: tuple[tuple[str, Callable[[ProjectRecord], bool]], ...] = (
    ("title", lambda r: bool(r.title)),
    ("dateline", lambda r: r.dateline is not None),
    ("project name", lambda r: bool(r.project.name)),
    ("project type", lambda r: bool(r.project.type)),
    ("status", lambda r: bool(r.project.status)),
    ("developer", lambda r: _developer(r) is not None),
    ("any company", lambda r: bool(r.companies)),
    ("country", lambda r: bool(r.site and r.site.country_code)),
    ("region", lambda r: bool(r.site and r.site.region)),
    ("city", lambda r: bool(r.site and r.site.city)),
    ("site area", lambda r: r.area is not None),
    ("capacity", lambda r: bool(r.capacity)),
    ("investment", lambda r: r.investment is not None),
    ("annual output value", lambda r: r.annual_output_value is not None),
    ("jobs", lambda r: r.jobs is not None),
    ("phases", lambda r: bool(r.phases)),
    ("construction start", lambda r: _milestone_date(r, "construction_start", "groundbreaking") is not None),
    ("production start", lambda r: any(m.kind == "production_start" for m in r.milestones)),
)


def country_of(record: ProjectRecord) -> str:
    site = record.site
    if site is None or not (site.country or site.country_code):
        return NONE_LABEL
    return site.country or site.country_code or NONE_LABEL


@dataclass(frozen=True)
class Summary:
    """What the page needs of one record: the fields it fills, the values the charts count,
    and its row of the table (text and sort key per column)."""

    doc_id: str
    text_sha256: str
    detected: bool
    filled: frozenset[str]
    country: str
    status: str
    type: str
    capacities: tuple[tuple[str, float], ...]  # (unit and rate, value) of the whole project
    investment: tuple[str, float] | None  # (currency, amount)
    warnings: int
    cells: tuple[tuple[str, float | None], ...]
    filters: tuple[tuple[str, str], ...]  # (select, value) for the table's selects


def summarize(record: ProjectRecord) -> Summary:
    """The record as the page counts and lists it."""
    return Summary(
        doc_id=record.doc_id,
        text_sha256=record.text_sha256,
        detected=record.project.detected,
        filled=frozenset(label for label, fills in COVERAGE if fills(record)),
        country=country_of(record),
        status=record.project.status or NONE_LABEL,
        type=record.project.type or NONE_LABEL,
        capacities=tuple((q.unit + (f"/{q.per}" if q.per else ""), q.value) for q in record.capacity),
        investment=(record.investment.currency, record.investment.amount) if record.investment else None,
        warnings=len(record.warnings),
        cells=tuple((c.text(record), c.sort(record) if c.sort else None) for c in COLUMNS),
        filters=tuple((c.select, c.text(record)) for c in COLUMNS if c.select),
    )


def coverage(summaries: Sequence[Summary]) -> list[tuple[str, int]]:
    """How many records fill each field."""
    return [(label, sum(1 for s in summaries if label in s.filled)) for label, _ in COVERAGE]


def projects(summaries: Sequence[Summary]) -> list[Summary]:
    """The records whose text is about a project (the others are left out of the project charts)."""
    return [s for s in summaries if s.detected]


def counted(values: Iterable[str]) -> list[tuple[str, int]]:
    """Values with their counts, most frequent first, ties by name (stable across runs)."""
    return sorted(Counter(values).items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Total:
    """A group of figures that add up: how many records give one, and their sum."""

    label: str
    records: int
    total: float


def capacity_by_unit(summaries: Sequence[Summary]) -> list[Total]:
    """Whole-project capacity per unit and rate ("GWh", "t/year"): figures in different units
    are never added together."""
    seen: dict[str, set[int]] = defaultdict(set)
    sums: dict[str, float] = defaultdict(float)
    for i, summary in enumerate(summaries):
        for label, value in summary.capacities:
            seen[label].add(i)
            sums[label] += value
    return sorted((Total(k, len(v), sums[k]) for k, v in seen.items()), key=lambda t: (-t.records, t.label))


def investment_by_currency(summaries: Sequence[Summary]) -> list[Total]:
    """Investment per currency, never converted."""
    seen: Counter[str] = Counter()
    sums: dict[str, float] = defaultdict(float)
    for summary in summaries:
        if summary.investment is not None:
            currency, amount = summary.investment
            seen[currency] += 1
            sums[currency] += amount
    return sorted((Total(k, n, sums[k]) for k, n in seen.items()), key=lambda t: (-t.records, t.label))


def short_amount(value: float) -> str:
    """A large sum in a few characters: 15300000000 -> "15.3 bn", 2400000 -> "2.4 mn"."""
    for size, suffix in ((1e12, " tn"), (1e9, " bn"), (1e6, " mn")):
        if abs(value) >= size:
            return f"{value / size:,.3g}{suffix}" if value / size < 1000 else f"{value / size:,.0f}{suffix}"
    return number(value)


# ---------------------------------------------------------------------------------------------
# charts


@dataclass(frozen=True)
class Chart:
    """One bar chart: what it shows, its bars (label, value, the note written at the bar's end)."""

    key: str
    title: str
    axis: str
    bars: list[tuple[str, float, str]]
    caption: str = ""
    limit: int | None = TOP_BARS  # None: every bar (the bars are not parts of one whole)


PALETTE = ("#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5")


def top_bars(bars: list[tuple[str, float, str]], limit: int = TOP_BARS) -> list[tuple[str, float, str]]:
    """The first `limit - 1` bars and one "other (n)" bar for the rest, when there are too many."""
    if len(bars) <= limit:
        return bars
    rest = bars[limit - 1:]
    total = sum(value for _, value, _ in rest)
    return bars[:limit - 1] + [(f"other ({len(rest)})", total, number(total))]


def _clip(label: str, width: int = 32) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def svg_chart(chart: Chart, colour: str) -> str:
    """The chart as an inline <svg> element, drawn by matplotlib's SVG backend.

    Text stays text (`svg.fonttype: none`, so any script of a place name shows), math parsing
    is off (a "$" in a label is a dollar, not TeX), and ids and metadata are fixed so the same
    batch gives the same page.
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    bars = top_bars(chart.bars, chart.limit) if chart.limit else chart.bars
    settings = {"svg.fonttype": "none", "svg.hashsalt": f"extractor-{chart.key}", "text.parse_math": False,
                "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
    with rc_context(settings), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs matplotlib cannot measure are drawn by the browser
        figure = Figure(figsize=(5.4, 0.8 + 0.26 * max(len(bars), 2)), layout="constrained")
        axes = figure.add_subplot()
        positions = range(len(bars))
        values = [value for _, value, _ in bars]
        axes.barh(positions, values, color=colour, height=0.7)
        axes.set_yticks(list(positions), [_clip(label) for label, _, _ in bars])
        axes.invert_yaxis()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel(chart.axis)
        axes.set_title(chart.title, loc="left", fontweight="bold")
        axes.margins(x=0.28)
        for position, (_, value, note) in zip(positions, bars):
            axes.annotate(note, (value, position), xytext=(3, 0), textcoords="offset points", va="center")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE: it goes inside HTML
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(chart.title)}" ', 1)


def charts(batch: Batch) -> list[Chart]:
    """The page's charts, from the batch's records."""
    records = batch.summaries
    found = projects(records)

    def share(n: int) -> str:
        return f"{n} ({100 * n / len(records):.0f}%)" if records else str(n)

    capacity = capacity_by_unit(found)
    money = investment_by_currency(found)
    return [
        Chart("coverage", "Field coverage", "records that fill the field",
              [(label, n, share(n)) for label, n in coverage(records)],
              f"How many of the {len(records)} records fill each field.", limit=None),
        Chart("country", "Projects by country", "projects",
              [(label, n, str(n)) for label, n in counted(s.country for s in found)],
              f"The site's country of the {len(found)} records about a project."),
        Chart("status", "Projects by status", "projects",
              [(label, n, str(n)) for label, n in counted(s.status for s in found)],
              "The project's state as of the document's date."),
        Chart("type", "Projects by type", "projects",
              [(label, n, str(n)) for label, n in counted(s.type for s in found)],
              "What is being built."),
        Chart("capacity", "Capacity by unit", "projects stating a capacity in the unit",
              [(t.label, t.records, f"{short_amount(t.total)} {t.label} in all") for t in capacity],
              "Whole-project capacities, added up per unit (units are never converted into one another)."),
        Chart("investment", "Investment by currency", "projects stating an investment in the currency",
              [(t.label, t.records, f"{short_amount(t.total)} {t.label} in all") for t in money],
              "Investment amounts, added up per currency (never converted)."),
    ]


def chart_figure(chart: Chart, colour: str) -> str:
    """A chart in a <figure>, with its caption and the numbers behind it as a table."""
    if not chart.bars:
        body = '<p class="empty">nothing to show</p>'
    else:
        body = svg_chart(chart, colour)
    rows = "".join(f"<tr><td>{escape(label)}</td><td>{escape(note)}</td></tr>" for label, _, note in chart.bars)
    numbers = (f"<details><summary>numbers</summary><table><tr><th>{escape(chart.title.split(' by ')[-1])}</th>"
               f"<th>{escape(chart.axis)}</th></tr>{rows}</table></details>") if chart.bars else ""
    return (f'<figure class="chart" data-chart="{chart.key}">{body}'
            f"<figcaption>{escape(chart.caption)}</figcaption>{numbers}</figure>")


# ---------------------------------------------------------------------------------------------
# the records table


@dataclass(frozen=True)
class Column:
    """A column of the records table: its heading, its cell text, its sort key (numbers sort
    as numbers), and whether rows can be filtered on it with a select."""

    heading: str
    text: Callable[[ProjectRecord], str]
    sort: Callable[[ProjectRecord], float | None] | None = None
    select: str = ""


def _site(record: ProjectRecord, name: str) -> str:
    return str(getattr(record.site, name) or "") if record.site else ""


COLUMNS: tuple[Column, ...] = (
    Column("document", lambda r: r.doc_id),
    Column("title", lambda r: r.title or ""),
    Column("type", lambda r: r.project.type or "", select="type"),
    Column("status", lambda r: r.project.status or "", select="status"),
    Column("developer", lambda r: _developer(r) or (r.companies[0].name if r.companies else "")),
    Column("country", lambda r: country_of(r) if r.site else "", select="country"),
    Column("region", lambda r: _site(r, "region")),
    Column("city", lambda r: _site(r, "city")),
    Column("capacity", lambda r: "; ".join(describe(q) for q in r.capacity),
           lambda r: r.capacity[0].value if r.capacity else None),
    Column("investment", lambda r: describe(r.investment) if r.investment else "",
           lambda r: r.investment.amount if r.investment else None),
    Column("jobs", lambda r: number(r.jobs.value) if r.jobs else "", lambda r: r.jobs.value if r.jobs else None),
    Column("construction start", lambda r: _milestone_date(r, "construction_start", "groundbreaking") or ""),
    Column("dated", lambda r: (r.dateline.date or "") if r.dateline else ""),
    Column("warnings", lambda r: str(len(r.warnings)) if r.warnings else "",
           lambda r: float(len(r.warnings))),
)


def table_row(summary: Summary, link: str | None) -> str:
    """One record as a <tr>: every cell escaped; numeric cells carry their number to sort on."""
    filters = " ".join(f'data-{name}="{escape(value)}"' for name, value in summary.filters)
    cells = []
    for i, (column, (text, key)) in enumerate(zip(COLUMNS, summary.cells)):
        html = escape(text)
        if i == 0 and link is not None:
            html = f'<a href="{escape(link)}">{html}</a>'
        sort = f' data-sort="{key!r}"' if key is not None else (' data-sort=""' if column.sort else "")
        cells.append(f"<td{sort}>{html}</td>")
    return f'<tr {filters}>{"".join(cells)}</tr>'


def select_filter(column: Column, summaries: Sequence[Summary]) -> str:
    """A <select> of the values a column takes, to show only the rows with one of them."""
    values = sorted({dict(s.filters)[column.select] for s in summaries} - {""})
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return (f'<label>{escape(column.heading)} <select data-column="{column.select}">'
            f'<option value="">all</option>{options}</select></label>')


def records_table(batch: Batch, links: dict[str, str]) -> str:
    """The sortable, filterable table of every record (the sorting and filtering is `SCRIPT`)."""
    numeric = {c.heading for c in COLUMNS if c.sort}
    heads = "".join(
        f'<th data-type="{"number" if c.heading in numeric else "text"}"><button type="button">'
        f"{escape(c.heading)}</button></th>" for c in COLUMNS)
    rows = "".join(table_row(s, links.get(s.text_sha256)) for s in batch.summaries)
    selects = "".join(select_filter(c, batch.summaries) for c in COLUMNS if c.select)
    return (f'<div class="filters"><label>filter <input id="filter" type="search" '
            f'placeholder="any text in the row"></label>{selects}'
            f'<span id="shown">{len(batch.summaries)} records</span></div>'
            f'<div class="wide"><table id="records"><thead><tr>{heads}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


# Ours, constant, never built from data: sorts on a click on a heading, filters on the text box
# and the selects, and keeps the view in the address ("#q=solar&status=approved&sort=-jobs"),
# so that a filtered, sorted view can be shared and opened again.
SCRIPT = """
(function () {
  var table = document.getElementById("records");
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(body.rows);
  var box = document.getElementById("filter");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-column]"));
  var shown = document.getElementById("shown");
  var sorted = "";
  function remember() {
    var state = new URLSearchParams();
    if (box.value) state.set("q", box.value);
    selects.forEach(function (select) { if (select.value) state.set(select.dataset.column, select.value); });
    if (sorted) state.set("sort", sorted);
    try { history.replaceState(null, "", "#" + state.toString()); } catch (e) { /* a page that may not */ }
  }
  function apply() {
    var needle = box.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var keep = !needle || row.textContent.toLowerCase().indexOf(needle) >= 0;
      selects.forEach(function (select) {
        if (select.value && row.getAttribute("data-" + select.dataset.column) !== select.value) keep = false;
      });
      row.hidden = !keep;
      if (keep) count += 1;
    });
    shown.textContent = count + " of " + rows.length + " records shown";
  }
  function sortBy(th, descending) {
    var index = th.cellIndex;
    var numeric = th.dataset.type === "number";
    heads.forEach(function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    sorted = (descending ? "-" : "") + th.textContent.trim();
    function key(row) {
      var cell = row.cells[index];
      if (numeric) return cell.dataset.sort === "" ? null : parseFloat(cell.dataset.sort);
      var text = cell.textContent.trim().toLowerCase();
      return text === "" ? null : text;
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      if (x === null) return y === null ? 0 : 1;  /* empty cells last, either way */
      if (y === null) return -1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  table.tHead.addEventListener("click", function (event) {
    var th = event.target.closest("th");
    if (!th) return;
    sortBy(th, th.getAttribute("aria-sort") === "ascending");
    remember();
  });
  box.addEventListener("input", function () { apply(); remember(); });
  selects.forEach(function (select) { select.addEventListener("change", function () { apply(); remember(); }); });
  var asked = new URLSearchParams(location.hash.slice(1));
  box.value = asked.get("q") || "";
  selects.forEach(function (select) { select.value = asked.get(select.dataset.column) || ""; });
  var sort = asked.get("sort") || "";
  var wanted = sort.replace(/^-/, "");
  heads.forEach(function (th) { if (wanted && th.textContent.trim() === wanted) sortBy(th, sort.charAt(0) === "-"); });
  apply();
  table.setAttribute("data-ready", "true");
})();
"""


def script_hash(script: str = SCRIPT) -> str:
    """The CSP source that lets exactly this script run ('sha256-...')."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


# ---------------------------------------------------------------------------------------------
# the page


_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:.7em 1.2em;background:#333;color:#fff}
header small{color:#ccc}
section{padding:.4em 1.2em}
h2{font-size:1.1em;margin:.8em 0 .4em}
.counts{display:flex;gap:.8em;flex-wrap:wrap}
.count{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5em 1em;min-width:7em}
.count b{display:block;font-size:1.6em}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:.8em}
figure.chart{margin:0;background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5em}
figure.chart svg{width:100%;height:auto;display:block}
figcaption{font-size:.85em;color:#555}
details{font-size:.85em}
.filters{display:flex;gap:1em;flex-wrap:wrap;align-items:center;margin:.4em 0}
#shown{color:#555}
.wide{overflow-x:auto}
table{border-collapse:collapse;background:#fff;font-size:.85em}
td,th{border:1px solid #ddd;padding:.25em .45em;vertical-align:top;text-align:left}
th button{font:inherit;font-weight:bold;border:0;background:none;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
#records tbody tr:nth-child(even){background:#f4f6fb}
td[data-sort]{text-align:right}
.errors td{color:#a00}
"""


def counts_section(batch: Batch) -> str:
    """The batch in a few numbers."""
    found = len(projects(batch.summaries))
    items = [("documents", batch.documents), ("records", len(batch.summaries)), ("about a project", found),
             ("errors", len(batch.errors)), ("with warnings", sum(1 for s in batch.summaries if s.warnings))]
    if batch.invalid:
        items.append(("invalid lines", batch.invalid))
    return "".join(f'<div class="count" data-count="{escape(label)}"><b>{n:,}</b>{escape(label)}</div>'
                   for label, n in items)


def errors_section(batch: Batch) -> str:
    if not batch.errors:
        return ""
    rows = "".join(f"<tr><td>{escape(e['doc_id'])}</td><td>{escape(e['path'])}</td><td>{escape(e['error'])}</td></tr>"
                   for e in batch.errors)
    return (f'<section><h2>Errors</h2><table class="errors"><tr><th>document</th><th>path</th>'
            f"<th>error</th></tr>{rows}</table></section>")


def render_report(batch: Batch, links: dict[str, str] | None = None) -> str:
    """The whole page for a batch; `links` maps a record's text hash to its show page's address."""
    figures = "".join(chart_figure(chart, PALETTE[i % len(PALETTE)]) for i, chart in enumerate(charts(batch)))
    policy = f"default-src 'none'; style-src 'unsafe-inline'; script-src '{script_hash()}'"
    title = f"extractor report: {Path(batch.source).name}"
    where = "" if batch.source == Path(batch.source).name else f"{escape(batch.source)} · "
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><strong>{escape(title)}</strong> <small>{where}extractor {escape(__version__)}</small></header>"
        f'<section><div class="counts">{counts_section(batch)}</div></section>'
        f'<section><h2>Charts</h2><div class="charts">{figures}</div></section>'
        f"{errors_section(batch)}"
        f"<section><h2>Records</h2>{records_table(batch, links or {})}</section>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


# ---------------------------------------------------------------------------------------------
# the show pages


def page_name(doc_id: str, sha: str, taken: set[str]) -> str:
    """A safe, unique file name for a record's show page: "acme/plant 1" -> "acme_plant_1.html"."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", doc_id).strip("._") or "document"
    name = f"{stem[:80]}.html"
    if name.lower() in taken:
        name = f"{stem[:80]}-{sha[:10]}.html"
    taken.add(name.lower())
    return name


def write_pages(batch: Batch, folder: Path, report_at: Path,
                write: Callable[[Path, str], None]) -> dict[str, str]:
    """Write the `extractor show` page of every record whose text is at hand into `folder`;
    returns the links, relative to the report's folder, by text hash."""
    from extractor.batch.render import render_page

    folder.mkdir(parents=True, exist_ok=True)
    links: dict[str, str] = {}
    taken: set[str] = set()
    for record, text in records_at_hand(batch):
        target = folder / page_name(record.doc_id, record.text_sha256, taken)
        write(target, render_page(record, text, source=record.doc_id))
        relative = os.path.relpath(target.resolve(), report_at.resolve())
        links[record.text_sha256] = quote(Path(relative).as_posix())
    return links
