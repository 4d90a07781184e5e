"""The comparison rules of the evaluation, re-stated for the corpus tests.

CI runs the tests from a clone where ../shared may be absent, so the small rules of the
evaluation script (numbers within 1 %, money by amount and currency, names and places by
normalised containment, sets for capacity and phases) are written out again here. They must
stay in step with ../shared/eval/score.py: a fact the scorer counts as found must pass here too.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

REL_TOL = 0.01

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

# The keys of a gold file's "fields", in the order the evaluation reports them (GOLD.md).
FIELDS: tuple[str, ...] = (
    "dateline.place", "dateline.date", "company", "site.country_code", "site.region",
    "site.city", "area.hectares", "capacity", "investment", "jobs", "annual_output_value",
    "phases", "status", "construction_start",
)

STATUSES = frozenset({
    "announced", "planned", "approved", "under_construction", "topped_out", "completed",
    "operational", "expanded", "suspended", "cancelled",
})

CAPACITY_UNITS = frozenset({"Wh", "kWh", "MWh", "GWh", "TWh", "W", "kW", "MW", "GW",
                            "t", "kt", "Mt", "bbl", "m3", "units"})

_LEGAL_FORMS = re.compile(r"\b(the|co|corp|corporation|inc|ltd|limited|plc|ag|sa|llc|group)\b")


def norm_text(s: str) -> str:
    """Fold a name to compare it loosely: "Acme Batteries Co., Ltd." -> "acme batteries".

    Accents, case, punctuation and legal-form words carry no identity for our purpose.
    """
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().casefold()
    s = re.sub(r"[^a-z0-9]+", " ", s)
    s = _LEGAL_FORMS.sub(" ", s)
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


def view(record: dict) -> dict[str, Any]:
    """The scored fields of a dumped record, named as in GOLD.md.

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
    }


def _contains_either_way(gold: str, pred: str) -> bool:
    return gold == pred or gold in pred or pred in gold


def same(field: str, gold: Any, pred: Any) -> bool:
    """Whether one predicted scalar fact matches the gold one, by the field's rule.

    Example: company gold ["Acme Cells", "Acme"] matches a predicted "Acme Cells Co., Ltd.".
    """
    if field == "company":
        aliases = gold if isinstance(gold, list) else [gold]
        p = norm_text(pred or "")
        return bool(p) and any(
            norm_text(a) == p or (len(p) >= 3 and (norm_text(a) in p or p in norm_text(a)))
            for a in aliases)
    if field in ("dateline.place", "site.region", "site.city"):
        p = norm_text(str(pred or ""))
        names = gold if isinstance(gold, list) else [gold]
        return bool(p) and any(_contains_either_way(g, p) for g in map(norm_text, names))
    if field == "site.country_code":
        return str(pred or "").upper() == str(gold).upper()
    if field in ("area.hectares", "jobs"):
        return close(gold, pred)
    if field in ("investment", "annual_output_value"):
        return (isinstance(pred, dict) and close(gold["amount"], pred.get("amount"))
                and str(gold["currency"]).upper() == str(pred.get("currency") or "").upper())
    return str(gold) == str(pred)


def match_sets(gold: list, pred: list, eq: Callable[[Any, Any], bool]) -> tuple[int, int, int]:
    """(tp, fp, fn) of two lists, each gold item taking at most one predicted item."""
    pred = list(pred)
    tp = 0
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if eq(g, p)), None)
        if hit is not None:
            tp += 1
            pred.pop(hit)
    return tp, len(pred), len(gold) - tp


def capacity_eq(g: Any, p: Any) -> bool:
    """Same dimension, same amount within 1 %, same rate: 60 GWh/year == 60000 MWh/year."""
    bg, bp = base_quantity(g), base_quantity(p)
    return (bg is not None and bp is not None and bg[0] == bp[0] and close(bg[1], bp[1])
            and (g.get("per") or None) == (p.get("per") or None))


def score_field(field: str, gold: Any, pred: Any) -> tuple[int, int, int]:
    """(tp, fp, fn) of one field of one document; a gold null makes any prediction an fp."""
    if field == "capacity":
        return match_sets(gold or [], pred or [], capacity_eq)
    if field == "phases":
        return match_sets(sorted(set(gold or [])), sorted({p for p in pred if p is not None}),
                          lambda a, b: a == b)
    if gold is None:
        return (0, 1, 0) if pred not in (None, "", []) else (0, 0, 0)
    if pred in (None, "", []):
        return 0, 0, 1
    return (1, 0, 0) if same(field, gold, pred) else (0, 1, 1)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty side counts as perfect, as in the evaluation."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
