"""The corpus (press releases written by us) against its hand-written expected facts.

Three kinds of tests:
- one per (document, field) of every corpus/<doc>.json, scored with the evaluation's rules;
  a miss we know of is listed in tests/corpus_known_misses.json and runs as a strict xfail,
  so fixing it fails the run until the list is updated;
- one data_regression snapshot per document of the whole record (tests/test_corpus/<doc>.yml),
  a missing snapshot fails (a document without one would go unchecked); create it with
  `pytest tests/test_corpus.py --regen-all` and read it;
- a summary that prints per-field precision and recall over the corpus (see it with -s).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from extractor import extract

from extractor.batch.evaluate import (
    FIELDS, close, evaluate, gold_problems as evaluation_gold_problems, hectares, load_gold as load_gold_folders,
    score_field, summary_line, table_lines, view,
)

from .conftest import CORPUS

HERE = Path(__file__).resolve().parent
KNOWN_MISSES = HERE / "corpus_known_misses.json"
SNAPSHOTS = HERE / "test_corpus"


def gold_files() -> list[Path]:
    """Every corpus/<doc>.json, sorted so test ids are stable."""
    return sorted(CORPUS.glob("*.json"))


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def known_misses() -> dict[str, dict[str, str]]:
    """{doc: {field: why}}; absent file means no known miss."""
    if not KNOWN_MISSES.exists():
        return {}
    return json.loads(KNOWN_MISSES.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def record_of(doc_id: str) -> dict:
    """The dumped record of one corpus document, extracted once per test session."""
    text = (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")
    return extract(text, doc_id=doc_id).model_dump(mode="json")


def fact_cases() -> list:
    """One pytest param per (document, field) present in the gold, xfail where listed."""
    misses = known_misses()
    cases = []
    for path in gold_files():
        gold = load_gold(path)
        doc_id = gold.get("doc_id") or path.stem
        for field in FIELDS:
            if field not in gold.get("fields", {}):
                continue
            why = misses.get(doc_id, {}).get(field)
            marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
            cases.append(pytest.param(doc_id, field, gold["fields"][field],
                                      id=f"{doc_id}::{field}", marks=marks))
    return cases


@pytest.mark.parametrize(("doc_id", "field", "expected"), fact_cases())
def test_expected_fact(doc_id: str, field: str, expected) -> None:
    got = view(record_of(doc_id))[field]
    tp, fp, fn = score_field(field, expected, got)
    assert (fp, fn) == (0, 0), f"{doc_id} {field}: expected {expected!r}, got {got!r}"


@pytest.mark.parametrize("doc_id", [p.stem for p in gold_files()])
def test_record_snapshot(doc_id: str, data_regression, request) -> None:
    regenerating = request.config.getoption("regen_all") or request.config.getoption("force_regen")
    if not (SNAPSHOTS / f"{doc_id}.yml").exists() and not regenerating:
        pytest.fail(f"no snapshot for {doc_id}: create it with `pytest tests/test_corpus.py --regen-all` and read it")
    data_regression.check(record_of(doc_id), basename=doc_id)


def gold_problems(path: Path) -> list[str]:
    """What makes a corpus gold file unusable: what the evaluation warns about (unknown keys,
    malformed values), and, for the corpus, a doc_id other than the file's stem or no text."""
    gold = load_gold(path)
    problems = evaluation_gold_problems(gold)
    if gold.get("doc_id") != path.stem:
        problems.append(f"doc_id {gold.get('doc_id')!r} is not the file's stem")
    if not path.with_suffix(".txt").exists():
        problems.append("no text beside the gold file")
    return problems


def test_corpus_summary(capsys) -> None:
    """Per-field precision and recall over the corpus, printed; every gold file well-formed."""
    paths = gold_files()
    assert len(paths) == len(list(CORPUS.glob("*.txt"))), "every corpus text needs its gold file"
    problems = {p.stem: gold_problems(p) for p in paths}
    assert not {k: v for k, v in problems.items() if v}, problems
    misses = known_misses()
    unknown = {(d, f) for d, fs in misses.items() for f in fs
               if d not in {p.stem for p in paths} or f not in FIELDS}
    assert not unknown, f"known misses name no corpus fact: {sorted(unknown)}"

    docs = load_gold_folders([CORPUS])
    result = evaluate(docs, {doc.doc_id: record_of(doc.doc_id) for doc in docs})
    with capsys.disabled():
        print("\n" + "\n".join([*table_lines(result), summary_line(result)]))
    tp, fp, fn = result.totals()
    # found + missed facts is exactly the number of facts the gold states
    # (a "no" to project.detected states nothing to find)
    stated = sum(len(set(g or [])) if k == "phases" else len(g or []) if k == "capacity"
                 else g is True if k == "project.detected" else g is not None
                 for path in paths for k, g in load_gold(path)["fields"].items())
    assert tp + fn == stated


# The comparison rules themselves, on hand-made records.

def test_rules_area_in_mu_converts_to_hectares() -> None:
    assert close(hectares({"value": 1500, "unit": "mu"}), 100.0)
    assert hectares({"value": 3, "unit": "GWh"}) is None


def test_rules_company_matches_by_alias_containment() -> None:
    assert score_field("company", ["Acme Cells", "Acme"], "Acme Cells Co., Ltd.") == (1, 0, 0)
    assert score_field("company", ["Acme Cells"], "Borealis Steel") == (0, 1, 1)


def test_rules_capacity_is_a_set_in_base_units() -> None:
    gold = [{"value": 20, "unit": "GWh", "per": "year"}, {"value": 5, "unit": "kt", "per": "year"}]
    pred = [{"value": 20000, "unit": "MWh", "per": "year"}, {"value": 7, "unit": "GW", "per": None}]
    assert score_field("capacity", gold, pred) == (1, 1, 1)


def test_rules_null_gold_makes_any_prediction_false() -> None:
    assert score_field("investment", None, {"amount": 5.0, "currency": "USD"}) == (0, 1, 0)
    assert score_field("investment", None, None) == (0, 0, 0)
    money = {"amount": 2e9, "currency": "EUR"}
    assert score_field("investment", money, {"amount": 2.01e9, "currency": "EUR"}) == (1, 0, 0)
    assert score_field("investment", money, {"amount": 2e9, "currency": "USD"}) == (0, 1, 1)


def test_rules_view_prefers_the_developer_and_dated_starts() -> None:
    record = {
        "companies": [{"name": "Port Authority", "role": "government"},
                      {"name": "Acme Cells", "role": "developer"}],
        "milestones": [{"kind": "construction_start", "date": None},
                       {"kind": "groundbreaking", "date": "2024-03"}],
        "phases": [{"number": 2}, {"number": 1}],
        "jobs": {"value": 800.0},
    }
    got = view(record)
    assert got["company"] == "Acme Cells"
    assert got["construction_start"] == "2024-03"
    assert got["jobs"] == 800.0 and sorted(got["phases"]) == [1, 2]
    assert got["site.city"] is None
