"""`extractor evaluate`: how well the extractor does on documents whose facts you wrote down.

A gold folder holds `<doc>.txt` beside `<doc>.json` (the format is described in the README).
Each fact the gold states is compared with the record by the field's own rule: numbers within
1 %, money by amount and currency, names and places by loose containment, capacities and phases
as sets, quantities in base units (60 GWh/year == 60000 MWh/year). The result is per-field
precision, recall and F1 with their counts, the micro-F1 over all fields, and the share of
evidence spans that quote the text exactly.

These rules are the project's own statement of the evaluation; the corpus tests use them too,
and a test checks that they give the same numbers as the shared evaluation script.
"""
from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

REL_TOL = 0.01  # two numbers agree when they differ by at most 1 % of the larger

# unit symbol -> (dimension, factor to that dimension's base unit: ha, Wh, W, t, m3, units)
TO_BASE: dict[str, tuple[str, float]] = {
    "m2": ("area", 1e-4), "ha": ("area", 1.0), "km2": ("area", 100.0),
    "acre": ("area", 0.40468564224), "sqft": ("area", 9.290304e-6), "mu": ("area", 1 / 15),
    "Wh": ("energy", 1.0), "kWh": ("energy", 1e3), "MWh": ("energy", 1e6),
    "GWh": ("energy", 1e9), "TWh": ("energy", 1e12),
    "W": ("power", 1.0), "kW": ("power", 1e3), "MW": ("power", 1e6), "GW": ("power", 1e9),
    "kg": ("mass", 1e-3), "t": ("mass", 1.0), "kt": ("mass", 1e3), "Mt": ("mass", 1e6),
    "l": ("volume", 1e-3), "m3": ("volume", 1.0), "bbl": ("volume", 0.158987294928),
    "gal": ("volume", 0.003785411784),
    "units": ("count", 1.0),
}

# The keys of a gold file's "fields", in the order the evaluation reports them.
FIELDS: tuple[str, ...] = (
    "dateline.place", "dateline.date", "company", "site.country_code", "site.region",
    "site.city", "area.hectares", "capacity", "investment", "jobs", "annual_output_value",
    "phases", "status", "construction_start", "project.detected",
)

# What a gold file may say (checked by `gold_problems`).
STATUSES = frozenset({
    "announced", "planned", "approved", "under_construction", "topped_out", "completed",
    "operational", "expanded", "suspended", "cancelled",
})
CAPACITY_UNITS = frozenset({"Wh", "kWh", "MWh", "GWh", "TWh", "W", "kW", "MW", "GW",
                            "t", "kt", "Mt", "bbl", "m3", "units"})

_LEGAL_FORMS = re.compile(r"\b(the|co|corp|corporation|inc|ltd|limited|plc|ag|sa|llc|group)\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_EMPTY = (None, "", [])


# ---------------------------------------------------------------------------------------------
# comparing one fact


def norm_text(s: str) -> str:
    """Fold a name to compare it loosely: "Acme Batteries Co., Ltd." -> "acme batteries".

    Accents, case, punctuation and legal-form words carry no identity for our purpose.
    """
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()
    s = _LEGAL_FORMS.sub(" ", _NON_ALNUM.sub(" ", s))
    return " ".join(s.split())


def close(a: Any, b: Any) -> bool:
    """Numbers agree within 1 %, so 95.7 ha and 1,435.5 mu (95.70 ha) are the same area."""
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b), 1e-12)


def dig(obj: Any, *keys: str) -> Any:
    """obj[k1][k2]... or None where a level is missing: records may lack whole objects."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def hectares(q: Any) -> float | None:
    """An area Quantity in hectares, e.g. {"value": 300, "unit": "mu"} -> 20.0; else None."""
    if not isinstance(q, dict) or q.get("unit") not in TO_BASE:
        return None
    dim, factor = TO_BASE[q["unit"]]
    if dim != "area" or q.get("value") is None:
        return None
    return float(q["value"]) * factor


def base_quantity(q: Any) -> tuple[str, float, Any] | None:
    """(dimension, value in base units, per): 2 GWh/year -> ("energy", 2e9, "year")."""
    unit = q.get("unit") if isinstance(q, dict) else None
    if unit not in TO_BASE or q.get("value") is None:
        return None
    dim, factor = TO_BASE[unit]
    return dim, float(q["value"]) * factor, q.get("per")


def detected(record: dict) -> bool:
    """Whether the record says its text is about one project: `project.detected` where the
    record has it (contract 1.1), else whether it gives the project a status or a type."""
    project = record.get("project") or {}
    if isinstance(project.get("detected"), bool):
        return project["detected"]
    return project.get("status") is not None or project.get("type") is not None


def view(record: dict) -> dict[str, Any]:
    """The scored fields of a dumped record, named as the gold names them.

    The developer is the first company with role "developer", else the first company; the
    construction start is the first dated groundbreaking or construction-start milestone.
    """
    companies = record.get("companies") or []
    developer = next((c for c in companies if c.get("role") == "developer"), None)
    developer = developer or (companies[0] if companies else None)
    starts = [m for m in record.get("milestones") or []
              if m.get("kind") in ("construction_start", "groundbreaking") and m.get("date")]
    jobs = record.get("jobs")
    return {
        "dateline.place": dig(record, "dateline", "place"),
        "dateline.date": dig(record, "dateline", "date"),
        "company": developer.get("name") if developer else None,
        "site.country_code": dig(record, "site", "country_code"),
        "site.region": dig(record, "site", "region"),
        "site.city": dig(record, "site", "city"),
        "area.hectares": hectares(record.get("area")),
        "capacity": record.get("capacity") or [],
        "investment": record.get("investment"),
        "jobs": jobs.get("value") if isinstance(jobs, dict) else None,
        "annual_output_value": record.get("annual_output_value"),
        "phases": [p.get("number") for p in record.get("phases") or []],
        "status": dig(record, "project", "status"),
        "construction_start": starts[0]["date"] if starts else None,
        "project.detected": detected(record),
    }


def _either_contains(gold: str, pred: str) -> bool:
    return gold == pred or gold in pred or pred in gold


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def same(field_name: str, gold: Any, pred: Any) -> bool:
    """Whether one predicted scalar fact matches the gold one, by the field's rule.

    Example: company gold ["Acme Cells", "Acme"] matches a predicted "Acme Cells Co., Ltd.";
    a name of two letters must match an alias whole ("AB" is in too many names).
    """
    if field_name == "company":
        p = norm_text(pred or "")
        return bool(p) and any(
            norm_text(a) == p or (len(p) >= 3 and _either_contains(norm_text(a), p))
            for a in _as_list(gold))
    if field_name in ("dateline.place", "site.region", "site.city"):
        p = norm_text(str(pred or ""))
        return bool(p) and any(_either_contains(norm_text(g), p) for g in _as_list(gold))
    if field_name == "site.country_code":
        return str(pred or "").upper() == str(gold).upper()
    if field_name in ("area.hectares", "jobs"):
        return close(gold, pred)
    if field_name in ("investment", "annual_output_value"):
        return (isinstance(pred, dict) and close(gold["amount"], pred.get("amount"))
                and str(gold["currency"]).upper() == str(pred.get("currency") or "").upper())
    return str(gold) == str(pred)


def match_sets(gold: list, pred: list, eq: Callable[[Any, Any], bool]) -> tuple[int, int, int]:
    """(tp, fp, fn) of two lists, each gold item taking at most one predicted item."""
    left = list(pred)
    tp = 0
    for g in gold:
        hit = next((i for i, p in enumerate(left) if eq(g, p)), None)
        if hit is not None:
            tp += 1
            left.pop(hit)
    return tp, len(left), len(gold) - tp


def capacity_eq(g: Any, p: Any) -> bool:
    """Same dimension, same amount within 1 %, same rate: 60 GWh/year == 60000 MWh/year."""
    bg, bp = base_quantity(g), base_quantity(p)
    return (bg is not None and bp is not None and bg[0] == bp[0] and close(bg[1], bp[1])
            and (g.get("per") or None) == (p.get("per") or None))


def score_field(field_name: str, gold: Any, pred: Any) -> tuple[int, int, int]:
    """(tp, fp, fn) of one field of one document; a gold null makes any prediction an fp.

    `project.detected` is a yes/no question where only "yes" is a finding: a right "no"
    counts nothing, a wrong "yes" is a false positive, a missed "yes" a false negative.
    """
    if field_name == "capacity":
        return match_sets(gold or [], pred or [], capacity_eq)
    if field_name == "phases":
        return match_sets(sorted(set(gold or [])), sorted({p for p in pred if p is not None}),
                          lambda a, b: a == b)
    if field_name == "project.detected":
        return int(bool(gold and pred)), int(bool(not gold and pred)), int(bool(gold and not pred))
    if gold is None:
        return (0, 1, 0) if pred not in _EMPTY else (0, 0, 0)
    if pred in _EMPTY:
        return 0, 0, 1
    return (1, 0, 0) if same(field_name, gold, pred) else (0, 1, 1)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; a side with nothing to count is perfect (no claim, nothing missed)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evidence_spans(record: Any, text: str) -> tuple[int, int]:
    """(evidence objects, those that do not quote the text): every {start, end, text} anywhere
    in the record must be exactly text[start:end]."""
    total = broken = 0
    stack = [record]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if {"start", "end", "text"} <= node.keys():
                total += 1
                s, e = node["start"], node["end"]
                if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)
                        and text[s:e] == node["text"]):
                    broken += 1
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return total, broken


# ---------------------------------------------------------------------------------------------
# gold files and records


@dataclass(frozen=True)
class GoldDoc:
    """One document of a gold folder: its id, the facts its gold file states, its text."""

    doc_id: str
    fields: dict[str, Any]
    text: str


def gold_problems(gold: Any, stem: str = "") -> list[str]:
    """What makes a gold file unusable or suspicious: no fields, unknown keys, bad values."""
    if not isinstance(gold, dict) or not isinstance(gold.get("fields"), dict):
        return ["no 'fields' object"]
    fields = gold["fields"]
    problems = []
    if stem and gold.get("doc_id") not in (None, stem):
        problems.append(f"doc_id {gold.get('doc_id')!r} is not the file's stem")
    problems += [f"unknown key {k!r}" for k in fields if k not in FIELDS]
    for cap in fields.get("capacity") or []:
        if not isinstance(cap, dict) or cap.get("unit") not in CAPACITY_UNITS \
                or cap.get("per") not in ("year", "day", None):
            problems.append(f"bad capacity {cap!r}")
    for key in ("investment", "annual_output_value"):
        money = fields.get(key)
        if money is not None and not (isinstance(money, dict) and len(str(money.get("currency", ""))) == 3
                                      and _positive_number(money.get("amount"))):
            problems.append(f"bad {key} {money!r}")
    if fields.get("status") not in STATUSES | {None}:
        problems.append(f"bad status {fields.get('status')!r}")
    return problems


def _positive_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def load_gold(folders: Iterable[Path], warn: Callable[[str], None] = lambda message: None) -> list[GoldDoc]:
    """The gold documents of the folders, in sorted file order; a gold file with no text beside
    it is left out (there is nothing to extract from), an unreadable one is reported and skipped."""
    docs: list[GoldDoc] = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.json")):
            text_path = path.with_suffix(".txt")
            if not text_path.exists():
                continue
            try:
                gold = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                warn(f"{path}: not readable as JSON ({exc}); skipped")
                continue
            if not isinstance(gold, dict) or not isinstance(gold.get("fields"), dict):
                warn(f"{path}: no 'fields' object; skipped")
                continue
            for problem in gold_problems(gold, path.stem):
                warn(f"{path}: {problem}")
            docs.append(GoldDoc(gold.get("doc_id") or path.stem, gold["fields"],
                                text_path.read_text(encoding="utf-8")))
    return docs


def read_records(path: Path) -> dict[str, dict]:
    """The records of a JSONL file by doc_id (a later line wins); error lines and lines that
    are not records are left out, so their documents count as failed."""
    records: dict[str, dict] = {}
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and "error" not in data and isinstance(data.get("doc_id"), str):
                records[data["doc_id"]] = data
    return records


def extract_records(docs: Sequence[GoldDoc], rules: Sequence[str] = ()) -> dict[str, dict]:
    """Extract every gold text, as `extractor extract` would, and dump the records."""
    from extractor import extract_many

    texts = ((doc.text, doc.doc_id) for doc in docs)
    return {record.doc_id: record.model_dump(mode="json")
            for record in extract_many(texts, rules=list(rules))}


# ---------------------------------------------------------------------------------------------
# the evaluation


@dataclass(frozen=True)
class Miss:
    """A fact the record got wrong: a false positive, a false negative, or both."""

    doc_id: str
    field: str
    expected: Any
    found: Any


@dataclass
class Evaluation:
    """Counts per field and over everything, as `evaluate` found them."""

    counts: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0, 0] for f in FIELDS})
    documents: int = 0
    failed: int = 0  # gold documents that had no record
    evidence: int = 0
    evidence_broken: int = 0
    misses: list[Miss] = field(default_factory=list)
    seconds: float = 0.0

    def totals(self) -> tuple[int, int, int]:
        return tuple(sum(c[i] for c in self.counts.values()) for i in range(3))  # type: ignore[return-value]

    def scored_fields(self) -> list[str]:
        """The fields with at least one fact found, missed or wrongly claimed."""
        return [f for f, c in self.counts.items() if sum(c)]

    @property
    def grounding(self) -> float:
        """Percent of evidence spans that quote the text (0 where there is no evidence)."""
        if not self.evidence:
            return 0.0
        return 100.0 * (self.evidence - self.evidence_broken) / self.evidence


def evaluate(docs: Sequence[GoldDoc], records: dict[str, dict | None]) -> Evaluation:
    """Score the records against the gold documents; a document without a record scores as an
    empty record (all its facts missed) and counts as failed."""
    result = Evaluation(documents=len(docs))
    for doc in docs:
        record = records.get(doc.doc_id)
        if record is None:
            result.failed += 1
            record = {}
        total, broken = evidence_spans(record, doc.text)
        result.evidence += total
        result.evidence_broken += broken
        pred = view(record)
        for name in FIELDS:
            if name not in doc.fields:
                continue
            counts = score_field(name, doc.fields[name], pred[name])
            for i, n in enumerate(counts):
                result.counts[name][i] += n
            if counts[1] or counts[2]:
                result.misses.append(Miss(doc.doc_id, name, doc.fields[name], pred[name]))
    return result


TABLE_HEAD = f"{'field':22}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}"


def table_lines(result: Evaluation) -> list[str]:
    """The per-field table: counts, precision, recall and F1 of every field that was scored."""
    lines = [TABLE_HEAD]
    for name in result.scored_fields():
        tp, fp, fn = result.counts[name]
        p, r, f = prf(tp, fp, fn)
        lines.append(f"{name:22}{tp:5}{fp:5}{fn:5}{p:7.2f}{r:7.2f}{f:7.2f}")
    return lines


def summary_line(result: Evaluation) -> str:
    """The headline: micro-F1 over all facts, the documents, and the evidence that quotes the text."""
    p, r, f = prf(*result.totals())
    return (f"micro-F1 {f:.3f} (P {p:.3f} R {r:.3f}) over {result.documents} docs, "
            f"{result.failed} crashed; grounding {result.grounding:.1f}% of {result.evidence} evidence spans")


def miss_line(miss: Miss) -> str:
    """One miss as a line: the document, the field, what the gold says, what the record says."""
    expected = json.dumps(miss.expected, ensure_ascii=False)
    found = json.dumps(miss.found, ensure_ascii=False, default=str)
    return f"  {miss.doc_id:28} {miss.field:20} expected {expected}  found {found}"


def as_json(result: Evaluation, with_misses: bool = False) -> dict[str, Any]:
    """The evaluation as a plain object (numbers rounded to 4 places), for scripts and CI."""
    p, r, f = prf(*result.totals())
    out: dict[str, Any] = {
        "micro_f1": round(f, 4), "precision": round(p, 4), "recall": round(r, 4),
        "documents": result.documents, "crashed": result.failed,
        "evidence": result.evidence, "evidence_broken": result.evidence_broken,
        "grounding": round(result.grounding, 2), "seconds": round(result.seconds, 2),
        "fields": {
            name: dict(zip(("tp", "fp", "fn", "p", "r", "f1"),
                           (*result.counts[name], *(round(x, 4) for x in prf(*result.counts[name])))))
            for name in result.scored_fields()
        },
    }
    if with_misses:
        out["misses"] = [{"doc_id": m.doc_id, "field": m.field, "expected": m.expected, "found": m.found}
                         for m in result.misses]
    return out


def run(folders: Sequence[Path], records_file: Path | None = None, rules: Sequence[str] = (),
        warn: Callable[[str], None] = lambda message: None) -> Evaluation | None:
    """Load the gold, get the records (from the file, else by extracting), score; None when the
    folders hold no gold document."""
    docs = load_gold(folders, warn)
    if not docs:
        return None
    started = time.perf_counter()
    records = read_records(records_file) if records_file is not None else extract_records(docs, rules)
    result = evaluate(docs, records)
    result.seconds = time.perf_counter() - started if records_file is None else 0.0
    return result
