"""The review page of `extractor show`: the text with every evidence span marked, the record beside it.

Analysts check what was found before they trust it, so every fact is shown where the text states
it. The page is one self-contained HTML file (inline CSS, no script, no fetched resource) and
the text is always escaped: a release that contains markup or a script shows it as text.

displaCy's span style was considered; it draws one token per block and needs token offsets,
while evidence is in characters and spans of different fields overlap, so the page cuts the
text at every span boundary and marks each piece with the fields covering it.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Iterator

from extractor import __version__
from extractor.models import Company, Dateline, Evidence, Milestone, Money, Phase, Place, ProjectRecord, Quantity

# Fields in the order of the table; a piece of text covered by several takes the first's colour.
FIELD_COLOURS: dict[str, str] = {
    "dateline": "#d9d9d9",
    "project": "#ffd6a5",
    "companies": "#a0c4ff",
    "places": "#caffbf",
    "area": "#fdffb6",
    "capacity": "#ffadad",
    "investment": "#bdb2ff",
    "annual_output_value": "#e4c1f9",
    "annual_tax": "#f1c0e8",
    "jobs": "#9bf6ff",
    "automation_rate": "#b9fbc0",
    "phases": "#ffc6ff",
    "milestones": "#fbf8cc",
    "quantities": "#eeeeee",
}

_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222}
header{padding:.6em 1.2em;background:#333;color:#fff}
main{display:flex;gap:1.2em;padding:1.2em;align-items:flex-start}
#text{flex:1 1 55%;white-space:pre-wrap;line-height:1.6;font-family:Georgia,serif;border:1px solid #ccc;padding:1em}
#record{flex:1 1 45%;font-size:.9em}
table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.25em .4em;vertical-align:top;text-align:left}
mark{padding:0 1px;border-radius:2px}
.legend span{display:inline-block;margin:0 .4em .2em 0;padding:0 .3em;color:#222}
"""


@dataclass(frozen=True)
class Fact:
    """One fact of a record as the page shows it: its field, a readable value, where it is stated."""

    field: str
    label: str
    value: str
    evidence: Evidence | None


def number(value: float | None) -> str:
    """A value without a needless ".0" and with thousands separators (15000000000.0 -> "15,000,000,000")."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.2f}"


def describe(obj: Any) -> str:
    """A one-line reading of a fact ("60 GWh per year, approx.", "Acme Ltd (developer)")."""
    if isinstance(obj, Quantity):
        text = number(obj.value) + (f"-{number(obj.value_max)}" if obj.value_max is not None else "") + f" {obj.unit}"
        if obj.per:
            text += f" per {obj.per}"
        if obj.item:
            text += f" of {obj.item}"
        return text + (f" ({obj.qualifier})" if obj.qualifier != "exact" else "")
    if isinstance(obj, Money):
        text = number(obj.amount) + (f"-{number(obj.amount_max)}" if obj.amount_max is not None else "")
        return f"{text} {obj.currency}" + (f" ({obj.qualifier})" if obj.qualifier != "exact" else "")
    if isinstance(obj, Company):
        return obj.name + f" ({obj.role})" + (f" [{obj.ticker}]" if obj.ticker else "")
    if isinstance(obj, Place):
        details = ", ".join(x for x in (obj.kind, obj.region, obj.country_code) if x)
        return f"{obj.name} ({details})"
    if isinstance(obj, Milestone):
        return obj.kind + (f" {obj.date}" if obj.date else "") + (" (planned)" if obj.planned else "")
    if isinstance(obj, Dateline):
        return ", ".join(x for x in (obj.place, obj.country, obj.date, obj.wire) if x)
    if isinstance(obj, Phase):
        parts = [obj.label]
        parts += [describe(q) for q in obj.capacity]
        parts += [describe(x) for x in (obj.area, obj.investment) if x is not None]
        if obj.status:
            parts.append(obj.status)
        return "; ".join(parts)
    return str(obj)


def facts(record: ProjectRecord) -> Iterator[Fact]:
    """Every fact of the record that has evidence, field by field in the table's order."""
    if record.dateline:
        yield Fact("dateline", "dateline", describe(record.dateline), record.dateline.evidence)
    project = record.project
    summary = ", ".join(x for x in (project.name, project.type, project.status) if x) or "project"
    for ev in project.evidence:
        yield Fact("project", "project", summary, ev)
    for i, company in enumerate(record.companies):
        yield Fact("companies", f"company {i + 1}", describe(company), company.evidence)
    for i, place in enumerate(record.places):
        yield Fact("places", f"place {i + 1}", describe(place), place.evidence)
    for name in ("area", "investment", "annual_output_value", "annual_tax", "jobs", "automation_rate"):
        value = getattr(record, name)
        if value is not None:
            yield Fact(name, name, describe(value), value.evidence)
    for i, quantity in enumerate(record.capacity):
        yield Fact("capacity", f"capacity {i + 1}", describe(quantity), quantity.evidence)
    for phase in record.phases:
        yield Fact("phases", f"phase {phase.number}", describe(phase), phase.evidence)
        for part in [*phase.capacity, phase.area, phase.investment]:
            if part is not None:
                yield Fact("phases", f"phase {phase.number}", describe(part), part.evidence)
    for milestone in record.milestones:
        yield Fact("milestones", "milestone", describe(milestone), milestone.evidence)
    for i, quantity in enumerate(record.quantities):
        yield Fact("quantities", f"quantity {i + 1}", describe(quantity), quantity.evidence)


def pieces(length: int, spans: list[tuple[int, int, int]]) -> Iterator[tuple[int, int, list[int]]]:
    """The text cut at every span boundary: (start, end, indexes of the spans covering the piece).

    Overlapping spans of different fields each keep their own marks. Example: spans (0,10) and
    (5,15) over 20 characters give (0,5,[a]), (5,10,[a,b]), (10,15,[b]), (15,20,[]).
    Empty spans and spans outside the text are dropped.
    """
    cuts = {0, length}
    valid = [(s, e, i) for s, e, i in spans if 0 <= s < e <= length]
    for start, end, _ in valid:
        cuts.update((start, end))
    ordered = sorted(cuts)
    for left, right in zip(ordered, ordered[1:]):
        yield left, right, [i for s, e, i in valid if s <= left and right <= e]


def render_text(text: str, fact_list: list[Fact]) -> str:
    """The text as HTML, escaped, with a <mark> per piece covered by evidence.

    Each mark names its fields (`data-fields`) and the facts it belongs to (`data-facts`), and
    its title reads them, so hovering tells what was extracted from it.
    """
    spans = [(f.evidence.start, f.evidence.end, i) for i, f in enumerate(fact_list) if f.evidence is not None]
    order = list(FIELD_COLOURS)
    out: list[str] = []
    for start, end, covering in pieces(len(text), spans):
        chunk = escape(text[start:end], quote=False)
        if not covering:
            out.append(chunk)
            continue
        fields = sorted({fact_list[i].field for i in covering}, key=order.index)
        title = "; ".join(f"{fact_list[i].label}: {fact_list[i].value}" for i in covering)
        ids = " ".join(f"f{i}" for i in covering)
        out.append(
            f'<mark class="f-{fields[0]}" data-fields="{escape(" ".join(fields))}" data-facts="{ids}" '
            f'data-start="{start}" data-end="{end}" title="{escape(title)}">{chunk}</mark>'
        )
    return "".join(out)


def render_table(record: ProjectRecord, fact_list: list[Fact]) -> str:
    """The record as rows: the values without evidence first, then each fact with its quote."""
    rows = [("doc_id", record.doc_id, "", "")]
    for name in ("title",):
        if getattr(record, name):
            rows.append((name, getattr(record, name), "", ""))
    project = record.project
    for name in ("name", "type", "status"):
        if getattr(project, name):
            rows.append((f"project {name}", getattr(project, name), "", ""))
    if project.products:
        rows.append(("products", ", ".join(project.products), "", ""))
    if record.site:
        site = record.site.model_dump(exclude_none=True)
        if site:
            rows.append(("site", ", ".join(f"{k}: {v}" for k, v in site.items()), "", ""))
    html_rows = [
        f"<tr><th>{escape(label)}</th><td>{escape(str(value))}</td><td></td></tr>" for label, value, _, _ in rows
    ]
    for i, fact in enumerate(fact_list):
        quote = escape(fact.evidence.text) if fact.evidence else ""
        where = f" <small>[{fact.evidence.start}:{fact.evidence.end}]</small>" if fact.evidence else ""
        html_rows.append(
            f'<tr id="f{i}" class="fact" data-field="{fact.field}"><th><mark class="f-{fact.field}">'
            f"{escape(fact.label)}</mark></th><td>{escape(fact.value)}</td><td>{quote}{where}</td></tr>"
        )
    for warning in record.warnings:
        html_rows.append(f'<tr class="warning"><th>warning</th><td colspan="2">{escape(warning)}</td></tr>')
    head = "<tr><th>field</th><th>value</th><th>evidence</th></tr>"
    return f"<table>{head}{''.join(html_rows)}</table>"


def render_page(record: ProjectRecord, text: str, source: str = "") -> str:
    """A self-contained HTML page for one document: the marked text beside the record's table."""
    fact_list = list(facts(record))
    colours = "".join(f"mark.f-{field}{{background:{colour}}}" for field, colour in FIELD_COLOURS.items())
    legend = "".join(
        f'<span class="legend-item" style="background:{colour}">{field}</span>'
        for field, colour in FIELD_COLOURS.items()
    )
    title = escape(record.title or record.doc_id or source or "document")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        # No script may run and nothing may be fetched, whatever the text holds.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{_CSS}{colours}</style></head><body>"
        f"<header><strong>{title}</strong> <small>{escape(source)} · extractor {escape(__version__)} · "
        f"{len(fact_list)} facts</small><div class=\"legend\">{legend}</div></header>"
        f'<main><div id="text">{render_text(text, fact_list)}</div>'
        f'<div id="record">{render_table(record, fact_list)}</div></main></body></html>\n'
    )
