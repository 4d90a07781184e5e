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
from typing import Any, Callable, Iterable, Sequence
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
    """What a run of `extractor extract` left: its records, its error entries, the lines that
    are neither, and the texts at hand (by text hash) for the show pages."""

    source: str
    records: list[ProjectRecord] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    invalid: int = 0
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def documents(self) -> int:
        return len(self.records) + len(self.errors) + self.invalid


def _take_line(batch: Batch, data: Any) -> None:
    """File one parsed JSONL line (or stored record) as a record, an error entry or invalid."""
    if not isinstance(data, dict):
        batch.invalid += 1
        return
    if "error" in data and "text_sha256" not in data:
        batch.errors.append({k: str(data.get(k) or "") for k in ("doc_id", "path", "error")})
        return
    text = data.pop(SOURCE_TEXT_KEY, None)
    try:
        record = ProjectRecord.model_validate(data)
    except ValueError:  # pydantic's ValidationError: a line of another version or hand-edited
        batch.invalid += 1
        return
    batch.records.append(record)
    if isinstance(text, str):
        batch.texts[record.text_sha256] = text


def read_jsonl(path: Path) -> Batch:
    """A batch from the JSONL file `extractor extract -o` wrote (records and error lines)."""
    batch = Batch(str(path))
    with Path(path).open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                batch.invalid += 1
                continue
            _take_line(batch, data)
    return batch


def read_sqlite(path: Path) -> Batch:
    """A batch from the SQLite store `extractor extract --sqlite` wrote; opened read-only, and
    its stored texts are at hand for the show pages. A file that is no such store is a
    ValueError."""
    try:
        return _read_store(path)
    except sqlite3.Error as exc:
        raise ValueError(str(exc)) from exc


def _read_store(path: Path) -> Batch:
    batch = Batch(str(path))
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "documents" not in tables:
            raise ValueError(f"{path} has no documents table: not written by `extractor extract --sqlite`")
        for record_json, text in connection.execute("SELECT record, text FROM documents ORDER BY doc_id"):
            try:
                data = json.loads(record_json)
            except (TypeError, json.JSONDecodeError):
                batch.invalid += 1
                continue
            _take_line(batch, data)
            if isinstance(text, str) and batch.records and batch.records[-1].text_sha256 not in batch.texts:
                batch.texts[batch.records[-1].text_sha256] = text
        if "errors" in tables:
            for doc_id, path_, error in connection.execute("SELECT doc_id, path, error FROM errors ORDER BY path"):
                batch.errors.append({"doc_id": doc_id or "", "path": path_ or "", "error": error or ""})
    finally:
        connection.close()
    return batch


def add_texts(batch: Batch, paths: Iterable[str]) -> int:
    """Make the texts of these files and folders at hand, matched to records by their hash
    (so a page's evidence offsets refer to exactly that text); returns how many matched."""
    from extractor import text_sha256
    from extractor.batch.inputs import expand_paths, read_source

    wanted = {r.text_sha256 for r in batch.records} - batch.texts.keys()
    found = 0
    for name in expand_paths(list(paths)):
        if not wanted:
            break
        source = read_source(name)
        if not source.ok or source.text is None:
            continue
        sha = text_sha256(source.text)
        if sha in wanted:
            batch.texts[sha] = source.text
            wanted.discard(sha)
            found += 1
    return found


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


def coverage(records: Sequence[ProjectRecord]) -> list[tuple[str, int]]:
    """How many records fill each field."""
    return [(label, sum(1 for r in records if filled(r))) for label, filled in COVERAGE]


def country_of(record: ProjectRecord) -> str:
    site = record.site
    if site is None or not (site.country or site.country_code):
        return NONE_LABEL
    return site.country or site.country_code or NONE_LABEL


def projects(records: Sequence[ProjectRecord]) -> list[ProjectRecord]:
    """The records whose text is about a project (the others are left out of the project charts)."""
    return [r for r in records if r.project.detected]


def counted(values: Iterable[str]) -> list[tuple[str, int]]:
    """Values with their counts, most frequent first, ties by name (stable across runs)."""
    return sorted(Counter(values).items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Total:
    """A group of figures that add up: how many records give one, and their sum."""

    label: str
    records: int
    total: float


def capacity_by_unit(records: Sequence[ProjectRecord]) -> list[Total]:
    """Whole-project capacity per unit and rate ("GWh", "t/year"): figures in different units
    are never added together."""
    seen: dict[str, set[int]] = defaultdict(set)
    sums: dict[str, float] = defaultdict(float)
    for i, record in enumerate(records):
        for q in record.capacity:
            label = q.unit + (f"/{q.per}" if q.per else "")
            seen[label].add(i)
            sums[label] += q.value
    return sorted((Total(k, len(v), sums[k]) for k, v in seen.items()), key=lambda t: (-t.records, t.label))


def investment_by_currency(records: Sequence[ProjectRecord]) -> list[Total]:
    """Investment per currency, never converted."""
    seen: Counter[str] = Counter()
    sums: dict[str, float] = defaultdict(float)
    for record in records:
        if record.investment is not None:
            seen[record.investment.currency] += 1
            sums[record.investment.currency] += record.investment.amount
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
    records = batch.records
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
              [(label, n, str(n)) for label, n in counted(country_of(r) for r in found)],
              f"The site's country of the {len(found)} records about a project."),
        Chart("status", "Projects by status", "projects",
              [(label, n, str(n)) for label, n in counted(r.project.status or NONE_LABEL for r in found)],
              "The project's state as of the document's date."),
        Chart("type", "Projects by type", "projects",
              [(label, n, str(n)) for label, n in counted(r.project.type or NONE_LABEL for r in found)],
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


def table_row(record: ProjectRecord, link: str | None) -> str:
    """One record as a <tr>: every cell escaped; numeric cells carry their number to sort on."""
    filters = " ".join(f'data-{c.select}="{escape(c.text(record))}"' for c in COLUMNS if c.select)
    cells = []
    for column in COLUMNS:
        text = escape(column.text(record))
        if column is COLUMNS[0] and link is not None:
            text = f'<a href="{escape(link)}">{text}</a>'
        key = column.sort(record) if column.sort else None
        sort = f' data-sort="{key!r}"' if key is not None else (' data-sort=""' if column.sort else "")
        cells.append(f"<td{sort}>{text}</td>")
    return f'<tr {filters}>{"".join(cells)}</tr>'


def select_filter(column: Column, records: Sequence[ProjectRecord]) -> str:
    """A <select> of the values a column takes, to show only the rows with one of them."""
    values = sorted({column.text(r) for r in records} - {""})
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return (f'<label>{escape(column.heading)} <select data-column="{column.select}">'
            f'<option value="">all</option>{options}</select></label>')


def records_table(batch: Batch, links: dict[str, str]) -> str:
    """The sortable, filterable table of every record (the sorting and filtering is `SCRIPT`)."""
    numeric = {c.heading for c in COLUMNS if c.sort}
    heads = "".join(
        f'<th data-type="{"number" if c.heading in numeric else "text"}"><button type="button">'
        f"{escape(c.heading)}</button></th>" for c in COLUMNS)
    rows = "".join(table_row(r, links.get(r.text_sha256)) for r in batch.records)
    selects = "".join(select_filter(c, batch.records) for c in COLUMNS if c.select)
    return (f'<div class="filters"><label>filter <input id="filter" type="search" '
            f'placeholder="any text in the row"></label>{selects}'
            f'<span id="shown">{len(batch.records)} records</span></div>'
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
    found = len(projects(batch.records))
    items = [("documents", batch.documents), ("records", len(batch.records)), ("about a project", found),
             ("errors", len(batch.errors)), ("with warnings", sum(1 for r in batch.records if r.warnings))]
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
    for record in batch.records:
        text = batch.texts.get(record.text_sha256)
        if text is None or record.text_sha256 in links:
            continue
        target = folder / page_name(record.doc_id, record.text_sha256, taken)
        write(target, render_page(record, text, source=record.doc_id))
        relative = os.path.relpath(target.resolve(), report_at.resolve())
        links[record.text_sha256] = quote(Path(relative).as_posix())
    return links
