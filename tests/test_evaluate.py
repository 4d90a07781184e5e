"""`extractor evaluate`: the project's own evaluation, on invented gold folders and on the corpus.

The corpus test compares it with the shared evaluation script, number for number, where that
script is beside the project (`../shared/eval/score.py`); elsewhere it is skipped.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import extract_many
from extractor.batch.cli import app
from extractor.batch.evaluate import (
    GoldDoc, as_json, evaluate, evidence_spans, gold_problems, load_gold, read_records,
    score_field, table_lines,
)

from .conftest import CORPUS, ROOT

runner = CliRunner()

PLANT = ("LAKEVILLE, Minn., March 3, 2025 -- Borealis Cells Inc. will build a 12 GWh battery plant "
         "in Lakeville, Minnesota, investing USD 800 million and hiring 650 people.\n")
TALK = "Quillfeather Software released a new version of its note-taking app on Tuesday.\n"


def gold_folder(folder: Path) -> Path:
    """Two invented documents with their gold: a project and an off-topic text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plant.txt").write_text(PLANT, encoding="utf-8")
    (folder / "plant.json").write_text(json.dumps({"doc_id": "plant", "fields": {
        "company": ["Borealis Cells"], "site.country_code": "US", "site.region": "Minnesota",
        "capacity": [{"value": 12, "unit": "GWh", "per": None}],
        "investment": {"amount": 800000000, "currency": "USD"}, "jobs": 650,
        "status": "announced", "annual_output_value": None}}), encoding="utf-8")
    (folder / "talk.txt").write_text(TALK, encoding="utf-8")
    (folder / "talk.json").write_text(json.dumps({"doc_id": "talk", "fields": {
        "project.detected": False, "capacity": [], "investment": None}}), encoding="utf-8")
    return folder


def test_scores_count_every_fact_once(tmp_path: Path) -> None:
    docs = load_gold([gold_folder(tmp_path / "gold")])
    assert [d.doc_id for d in docs] == ["plant", "talk"]
    records = {r.doc_id: r.model_dump(mode="json") for r in extract_many((d.text, d.doc_id) for d in docs)}
    result = evaluate(docs, records)
    tp, fp, fn = result.totals()
    # the plant states 7 facts (the null output value states none): each is found or missed
    assert tp + fn == 7
    assert result.documents == 2 and result.failed == 0
    assert result.evidence > 0 and result.evidence_broken == 0 and result.grounding == 100.0
    assert table_lines(result)[0].split() == ["field", "tp", "fp", "fn", "P", "R", "F1"]


def test_a_document_without_a_record_misses_all_its_facts() -> None:
    doc = GoldDoc("gone", {"jobs": 300, "status": "planned", "investment": None}, "text")
    result = evaluate([doc], {})
    assert result.failed == 1 and result.totals() == (0, 0, 2)
    assert [m.field for m in result.misses] == ["jobs", "status"]


def test_project_detected_counts_only_a_yes() -> None:
    assert score_field("project.detected", False, False) == (0, 0, 0)
    assert score_field("project.detected", False, True) == (0, 1, 0)
    assert score_field("project.detected", True, False) == (0, 0, 1)
    assert score_field("project.detected", True, True) == (1, 0, 0)


def test_evidence_that_does_not_quote_the_text_is_counted() -> None:
    record = {"jobs": {"value": 5, "evidence": {"start": 0, "end": 4, "text": "five"}},
              "companies": [{"name": "X", "evidence": {"start": 5, "end": 9, "text": "nope"}}]}
    assert evidence_spans(record, "five jobs here") == (2, 1)


def test_gold_problems_name_what_is_wrong() -> None:
    assert gold_problems({"fields": {"jobs": 3}}) == []
    problems = gold_problems({"doc_id": "a", "fields": {"job": 3, "status": "built",
                              "capacity": [{"value": 1, "unit": "lbs"}]}}, "b")
    assert len(problems) == 4
    assert gold_problems({"doc_id": "a"}) == ["no 'fields' object"]


def test_records_file_skips_error_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"doc_id": "a", "project": {}}\n{"doc_id": "b", "path": "b.txt", "error": "empty"}\n'
                    "not json\n\n", encoding="utf-8")
    assert list(read_records(path)) == ["a"]


def test_cli_prints_the_table_and_the_misses(tmp_path: Path) -> None:
    folder = gold_folder(tmp_path / "gold")
    plain = runner.invoke(app, ["evaluate", str(folder)])
    assert plain.exit_code == 0, plain.output
    assert plain.output.splitlines()[0].startswith("field")
    assert plain.output.splitlines()[-1].startswith("micro-F1 ")
    # a record that gets two facts wrong: -v names the document, field, expected and found
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps({"doc_id": "plant", "jobs": {"value": 65.0}, "project": {"status": "planned"}})
                       + "\n", encoding="utf-8")
    verbose = runner.invoke(app, ["evaluate", str(folder), "--records", str(records), "-v"])
    assert verbose.exit_code == 0, verbose.output
    jobs_line = next(line for line in verbose.output.splitlines() if " jobs " in line)
    assert jobs_line.split()[:2] == ["plant", "jobs"] and "expected 650" in jobs_line and "found 65.0" in jobs_line
    assert "crashed" in verbose.output.splitlines()[-1] and " 1 crashed" in verbose.output  # talk has no record


def test_cli_json_is_one_object(tmp_path: Path) -> None:
    folder = gold_folder(tmp_path / "gold")
    result = runner.invoke(app, ["evaluate", str(folder), "--json", "-v"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"micro_f1", "precision", "recall", "documents", "evidence", "fields", "misses"} <= data.keys()
    assert data["documents"] == 2 and set(data["fields"]["jobs"]) == {"tp", "fp", "fn", "p", "r", "f1"}


def test_cli_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert runner.invoke(app, ["evaluate", str(tmp_path / "empty")]).exit_code == 2
    assert runner.invoke(app, ["evaluate", str(tmp_path / "missing")]).exit_code == 2
    folder = gold_folder(tmp_path / "gold")
    assert runner.invoke(app, ["evaluate", str(folder), "--records", str(tmp_path / "none.jsonl")]).exit_code == 2


def shared_scorer() -> Path | None:
    """The shared evaluation script, where it is beside the project (`../shared/eval/score.py`)."""
    candidates = [os.environ.get("EXTRACTOR_SHARED_EVAL", "")]
    candidates += [str(base / "shared" / "eval" / "score.py") for base in (ROOT.parent, ROOT.parent.parent)]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def test_same_numbers_as_the_shared_scorer_on_the_corpus(tmp_path: Path) -> None:
    script = shared_scorer()
    if script is None:
        pytest.skip("../shared/eval/score.py is not beside the project: nothing to compare with")
    docs = load_gold([CORPUS])
    records = {r.doc_id: r.model_dump(mode="json") for r in extract_many((d.text, d.doc_id) for d in docs)}
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records.values()), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(CORPUS), "--records", str(path), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    lines = done.stdout.splitlines()
    theirs = json.loads(next(line for line in lines if line.startswith("{")))
    result = evaluate(docs, read_records(path))
    ours = as_json(result)
    assert ours["fields"] == theirs["fields"]
    for key in ("micro_f1", "precision", "recall", "documents", "crashed", "evidence", "evidence_broken"):
        assert ours[key] == theirs[key], key
    # and the printed table, line for line
    table = [line for line in lines if not line.startswith(("{", "micro-F1"))]
    assert table_lines(result) == table
