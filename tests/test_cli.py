"""The `extractor` command, run on real files in a temporary folder and a real SQLite database."""
from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from extractor import extract, extract_many, text_sha256
from extractor.batch.cli import CSV_COLUMNS, EVERYWHERE, app, check_line, run_batch, schema_json, spreadsheet_safe
from extractor.batch.inputs import Source

runner = CliRunner()

GOOD = "Tallgrass Cells Inc. will build a 24 GWh battery plant in Kansas for USD 1.2 billion, hiring 900 people.\n"
LATIN1 = "Fonderie Pérignon SA va construire une usine de 3 GWh à Besançon, près de la Doubs.\n"
PAGE = ("<!DOCTYPE html><html><head><title>News</title></head><body><h1>Aurora <i>Solar</i> expands</h1>"
        "<p>Aurora Solar adds a 250 MW solar park in Nevada &amp; starts work in 2026.</p></body></html>")


def invoke(*args: str, input: bytes | str | None = None):
    return runner.invoke(app, list(args), input=input)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def grounded(record: dict, text: str) -> bool:
    stack = [record]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if {"start", "end", "text"} <= node.keys() and text[node["start"]:node["end"]] != node["text"]:
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


def varied_text(i: int) -> str:
    """A short release of our own, different for every i, so each file is its own document."""
    towns = ["Dayton", "Fresno", "Tulsa", "Boise", "Reno", "Macon"]
    return (f"Unit{i} Materials Corp. will build a {5 + i % 40} GWh cathode plant in {towns[i % 6]}, "
            f"investing USD {100 + i} million and creating {50 + i} jobs. Construction starts in {2024 + i % 4}.\n")


def write_many(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    texts = [varied_text(i) for i in range(n)]
    for i, text in enumerate(texts):
        (folder / f"release-{i:04d}.txt").write_text(text, encoding="utf-8")
    return texts


@pytest.fixture
def mixed(tmp_path) -> Path:
    """The acceptance folder: good files, a Latin-1 file, a web page, binary, empty and oversize files."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "good2.txt").write_text(varied_text(7), encoding="utf-8")
    (folder / "latin.txt").write_bytes(LATIN1.encode("latin-1"))
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "huge.txt").write_text("A plant. " * 1000, encoding="utf-8")
    (folder / "readme.md").write_text("not an input", encoding="utf-8")
    return folder


# --- extract: the acceptance folder -----------------------------------------------------------


def test_mixed_folder_gives_records_errors_and_status_1(mixed, tmp_path):
    out, db_path = tmp_path / "records.jsonl", tmp_path / "projects.db"
    result = invoke("extract", str(mixed), "-o", str(out), "--sqlite", str(db_path), "--max-bytes", "4000")
    assert result.exit_code == 1, result.output
    entries = lines(out)
    records = {e["doc_id"]: e for e in entries if "error" not in e}
    errors = {e["doc_id"]: e for e in entries if "error" in e}
    assert set(records) == {"good", "good2", "latin", "page"}
    assert set(errors) == {"binary", "empty", "huge"}
    assert all(set(e) == {"doc_id", "path", "error"} for e in errors.values())
    assert "--max-bytes" in errors["huge"]["error"] and errors["empty"]["error"] == "empty file"
    assert errors["binary"]["path"] == str(mixed / "binary.txt")
    # input order: sorted paths, errors in their place
    assert [e["doc_id"] for e in entries] == ["binary", "empty", "good", "huge", "latin", "page", "good2"]
    assert records["latin"]["text_sha256"] == text_sha256(LATIN1)
    assert "7 documents, 4 records, 3 errors" in result.stderr

    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
        assert sorted(r[0] for r in db.execute("SELECT doc_id FROM errors")) == ["binary", "empty", "huge"]


def test_web_page_record_carries_the_text_its_offsets_refer_to(mixed, tmp_path):
    out = tmp_path / "r.jsonl"
    invoke("extract", str(mixed / "page.html"), "-o", str(out))
    (record,) = lines(out)
    text = record.pop("source_text")
    assert text.startswith("Aurora Solar expands\n\nAurora Solar adds a 250 MW solar park in Nevada & starts")
    assert "<" not in text and "News" not in text
    assert record["text_sha256"] == text_sha256(text) and grounded(record, text)
    assert record == extract(text, doc_id="page").model_dump(mode="json")
    plain = tmp_path / "plain.jsonl"
    invoke("extract", str(mixed / "good.txt"), "-o", str(plain))
    assert "source_text" not in lines(plain)[0]


def test_records_equal_the_library_call(tmp_path):
    (tmp_path / "t.txt").write_text(GOOD, encoding="utf-8")
    result = invoke("extract", str(tmp_path / "t.txt"))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == extract(GOOD, doc_id="t").model_dump(mode="json")
    assert result.stderr.strip().startswith("1 documents, 1 records, 0 errors, 0 skipped")


def test_stdin_and_globs(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_text(varied_text(1), encoding="utf-8")
    result = invoke("extract", str(tmp_path / "*.txt"), "-", input=varied_text(2).encode())
    assert result.exit_code == 0
    ids = [json.loads(line)["doc_id"] for line in result.stdout.splitlines()]
    assert ids == ["a", "b", "stdin"]


def test_missing_file_is_an_error_entry_not_a_crash(tmp_path):
    result = invoke("extract", str(tmp_path / "ghost.txt"))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"doc_id": "ghost", "path": str(tmp_path / "ghost.txt"), "error": "no such file"}
    assert "ghost.txt: no such file" in result.stderr


def test_quiet_hides_per_file_messages_and_no_bar_off_a_terminal(mixed, tmp_path):
    result = invoke("extract", str(mixed), "-o", str(tmp_path / "x.jsonl"), "--quiet", "--max-bytes", "4000")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "3 errors" in result.stderr  # the summary only
    loud = invoke("extract", str(mixed / "good.txt"), "-o", str(tmp_path / "y.jsonl"))
    assert "extracting" not in loud.stderr and "docs/s" not in loud.stderr  # stderr is not a TTY here


# --- csv ------------------------------------------------------------------------------------


def test_csv_is_one_flat_row_per_document(mixed, tmp_path):
    out = tmp_path / "records.csv"
    result = invoke("extract", str(mixed), "-o", str(out), "--format", "csv", "--max-bytes", "4000")
    assert result.exit_code == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets then read UTF-8
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["doc_id"] for r in rows] == ["binary", "empty", "good", "huge", "latin", "page", "good2"]
    by_id = {r["doc_id"]: r for r in rows}
    assert by_id["empty"]["error"] == "empty file" and by_id["good"]["error"] == ""
    assert by_id["good"]["text_sha256"] == text_sha256(GOOD)
    expected = extract(GOOD, doc_id="good")
    if expected.capacity:
        assert float(by_id["good"]["capacity_value"]) == expected.capacity[0].value


def test_spreadsheet_formulas_are_defused():
    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("@cmd") == "'@cmd"
    assert spreadsheet_safe("Acme") == "Acme" and spreadsheet_safe(-5.0) == -5.0 and spreadsheet_safe(None) is None


# --- sqlite and resume ----------------------------------------------------------------------


def test_running_twice_adds_nothing_and_resume_skips(tmp_path):
    write_many(tmp_path / "in", 12)
    db_path = tmp_path / "p.db"
    first = invoke("extract", str(tmp_path / "in"), "--sqlite", str(db_path))
    assert first.exit_code == 0 and first.stdout == ""  # with --sqlite and no -o, nothing on stdout
    again = invoke("extract", str(tmp_path / "in"), "--sqlite", str(db_path))
    assert "12 records" in again.stderr
    resumed = invoke("extract", str(tmp_path / "in"), "--sqlite", str(db_path), "--resume")
    assert "0 records, 0 errors, 12 skipped" in resumed.stderr and resumed.exit_code == 0
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone() == (12, 12)


def test_resume_skips_only_what_this_version_stored(tmp_path):
    write_many(tmp_path / "in", 4)
    db_path = tmp_path / "p.db"
    invoke("extract", str(tmp_path / "in"), "--sqlite", str(db_path))
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE documents SET extractor_version = '0.0.0-old' WHERE doc_id = 'release-0002'")
    resumed = invoke("extract", str(tmp_path / "in"), "--sqlite", str(db_path), "--resume")
    assert "1 records, 0 errors, 3 skipped" in resumed.stderr


def test_jsonl_resume_keeps_finished_lines_and_retries_the_rest(tmp_path):
    texts = write_many(tmp_path / "in", 5)
    out = tmp_path / "r.jsonl"
    invoke("extract", str(tmp_path / "in"), "-o", str(out))
    kept = out.read_text(encoding="utf-8").splitlines(keepends=True)
    # as a killed run could leave it: two finished records, an error entry, a torn line
    error_line = json.dumps({"doc_id": "release-0004", "path": "x", "error": "cannot read"}) + "\n"
    out.write_text(kept[0] + kept[1] + error_line + kept[2][:40], encoding="utf-8")
    result = invoke("extract", str(tmp_path / "in"), "-o", str(out), "--resume")
    assert "3 records, 0 errors, 2 skipped" in result.stderr
    records = lines(out)
    assert [r["doc_id"] for r in records] == [f"release-{i:04d}" for i in range(5)]
    assert {r["text_sha256"] for r in records} == {text_sha256(t) for t in texts}


# --- the acceptance runs: 1,000 documents, --jobs, SIGKILL ---------------------------------------

N_MANY = 1000


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[Path, list[str], list[dict]]:
    """1,000 documents of our own on disk, and the records `extract_many` gives for them."""
    folder = tmp_path_factory.mktemp("many")
    texts = write_many(folder / "in", N_MANY)
    library = [r.model_dump(mode="json") for r in extract_many((t, f"release-{i:04d}") for i, t in enumerate(texts))]
    return folder, texts, library


def test_jobs_2_equals_jobs_1_equals_extract_many(many, tmp_path):
    folder, texts, library = many
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert invoke("extract", str(folder / "in"), "-o", str(one), "-q").exit_code == 0
    assert invoke("extract", str(folder / "in"), "-o", str(two), "-q", "--jobs", "2").exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    assert lines(one) == library and len(library) == N_MANY


def stored_rows(db_path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def run_cli_and_exit(args: list[str]) -> None:
    """The body of a forked child: the command as a user would run it (the pipeline is inherited)."""
    try:
        app(args, standalone_mode=True)
    finally:
        os._exit(3)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to share the loaded pipeline")
def test_sigkill_then_resume_stores_each_document_once(many, tmp_path):
    import multiprocessing

    folder, texts, library = many
    db_path = tmp_path / "killed.db"
    child = multiprocessing.get_context("fork").Process(
        target=run_cli_and_exit, args=(["extract", str(folder / "in"), "--sqlite", str(db_path), "-q"],)
    )
    child.start()
    deadline = time.monotonic() + 60
    while stored_rows(db_path) < N_MANY // 3 and child.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert child.exitcode == -signal.SIGKILL, "the run finished before it could be killed"
    halfway = stored_rows(db_path)
    assert 0 < halfway < N_MANY

    done = invoke("extract", str(folder / "in"), "--sqlite", str(db_path), "--resume", "-q")
    assert done.exit_code == 0, done.output
    assert f"{N_MANY - halfway} records, 0 errors, {halfway} skipped" in done.stderr
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone() == (N_MANY, N_MANY)
        orphans = db.execute("SELECT count(*) FROM companies WHERE text_sha256 NOT IN (SELECT text_sha256 FROM documents)")
        assert orphans.fetchone()[0] == 0
        stored = dict(db.execute("SELECT doc_id, record FROM documents").fetchall())
    assert [json.loads(stored[f"release-{i:04d}"]) for i in range(N_MANY)] == library


# --- usage errors ---------------------------------------------------------------------------


def test_usage_errors_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    bad_rules = tmp_path / "bad.jsonl"
    bad_rules.write_text('{"id": "x"}\n', encoding="utf-8")  # names no layer
    cases = [
        ("extract", str(tmp_path / "a.txt"), "--resume"),
        ("extract", str(tmp_path / "a.txt"), "--resume", "--format", "csv", "-o", str(tmp_path / "x.csv")),
        ("extract", str(tmp_path / "a.txt"), "--format", "xml"),
        ("extract", str(tmp_path / "a.txt"), "--jobs", "0"),
        ("extract", str(tmp_path / "a.txt"), "--rules", str(bad_rules)),
        ("extract", str(tmp_path / "a.txt"), "--rules", str(tmp_path / "none.jsonl")),
        ("extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "dir" / "x.jsonl")),
        ("extract", str(tmp_path / "a.txt"), "--sqlite", str(tmp_path / "a.txt")),
        ("extract",),
        ("validate", str(tmp_path / "none.jsonl")),
    ]
    for args in cases:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
    assert "layer" in invoke(*cases[4]).stderr


def test_rule_files_are_passed_on(tmp_path, monkeypatch):
    import extractor.batch.cli as cli
    import extractor.pipeline as pipeline

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    rules = tmp_path / "mine.jsonl"
    rules.write_text("// no rules yet\n\n", encoding="utf-8")
    seen: dict = {}

    def fake_extract_results(pairs, **options):
        seen.update(options)
        return ((text, doc_id, extract(text, doc_id=doc_id)) for text, doc_id in pairs)

    monkeypatch.setattr(pipeline, "get_pipeline", lambda files: seen.setdefault("checked", tuple(files)))
    monkeypatch.setattr(cli, "extract_results", fake_extract_results)
    result = invoke("extract", str(tmp_path / "a.txt"), "--rules", str(rules), "--rules", str(rules), "--jobs", "3")
    assert result.exit_code == 0, result.output
    assert seen["rules"] == seen["checked"] == (str(rules), str(rules)) and seen["n_process"] == 3


# --- run_batch ------------------------------------------------------------------------------


def test_batch_keeps_input_order_around_errors_and_skips():
    sources = [
        Source("e1", "e1", error="empty file"),
        Source("a", "a", text="Plant one in Utah."),
        Source("s", "s", text="already stored"),
        Source("e2", "e2", error="binary file (not text)"),
        Source("b", "b", text="Plant two in Iowa."),
        Source("e3", "e3", error="no such file"),
    ]
    outcomes = list(run_batch(iter(sources), route=lambda s: frozenset() if s.doc_id == "s" else EVERYWHERE, batch_size=1))
    assert [o.source.doc_id for o in outcomes] == ["e1", "a", "s", "e2", "b", "e3"]
    assert [o.failed for o in outcomes] == [True, False, False, True, False, True]
    assert outcomes[2].skipped and outcomes[2].record is None
    assert outcomes[4].record.doc_id == "b"


# --- validate, show, schema -----------------------------------------------------------------


def test_validate_accepts_extract_output(mixed, tmp_path):
    out = tmp_path / "r.jsonl"
    invoke("extract", str(mixed), "-o", str(out), "--max-bytes", "4000")
    result = invoke("validate", str(out))
    assert result.exit_code == 0, result.output
    assert "4 valid records, 3 error entries, 0 invalid lines" in result.stderr


def test_validate_names_the_failing_lines(mixed, tmp_path):
    out = tmp_path / "r.jsonl"
    invoke("extract", str(mixed / "good.txt"), str(mixed / "page.html"), "-o", str(out))
    good, page = lines(out)
    wrong_type = dict(good, capacity="a lot")
    unknown_key = dict(good, colour="red")
    shifted = dict(page, source_text=page["source_text"] + " more")
    text = "\n".join(json.dumps(x) for x in (good, wrong_type, unknown_key, shifted)) + "\n{not json\n\n"
    out.write_text(text, encoding="utf-8")
    result = invoke("validate", str(out))
    assert result.exit_code == 1
    reported = [line.split(":")[1] for line in result.stdout.splitlines()]
    assert reported == ["2", "3", "4", "5"]
    assert "1 valid records, 0 error entries, 4 invalid lines" in result.stderr


def test_check_line_grounds_web_page_records():
    text = "Copper mill in Chile."
    record = extract(text, doc_id="p").model_dump(mode="json")
    assert check_line(json.dumps(dict(record, source_text=text))) == ("record", None)
    kind, problem = check_line(json.dumps(dict(record, source_text=text.upper())))
    assert kind == "invalid" and "text_sha256" in problem
    assert check_line("[1, 2]") == ("invalid", "not a JSON object")


def test_show_writes_a_page_with_the_text_escaped(tmp_path):
    doc = tmp_path / "odd.txt"
    doc.write_text(GOOD + "<script>document.title='x'</script>\n", encoding="utf-8")
    page = tmp_path / "odd.html"
    result = invoke("show", str(doc), "-o", str(page))
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("script") is None
    assert soup.find(id="text").get_text() == doc.read_text(encoding="utf-8")
    record = extract(doc.read_text(encoding="utf-8"), doc_id="odd")
    assert len(soup.find(id="record").find_all("tr", class_="fact")) == sum(
        1 for _ in __import__("extractor.batch.render", fromlist=["facts"]).facts(record))
    to_stdout = invoke("show", str(doc))
    assert to_stdout.stdout.startswith("<!DOCTYPE html>")


def test_show_reports_an_unreadable_file(tmp_path):
    (tmp_path / "z.txt").write_bytes(b"")
    result = invoke("show", str(tmp_path / "z.txt"))
    assert result.exit_code == 1 and "empty file" in result.stderr


def test_schema_command_prints_the_schema():
    result = invoke("schema")
    assert result.exit_code == 0 and result.stdout == schema_json()
    assert json.loads(result.stdout)["title"] == "ProjectRecord"


@pytest.mark.parametrize("batch_size", [1, 4])  # 4: the batch is run again one by one, "b" alone fails
def test_batch_survives_a_worker_that_dies(monkeypatch, batch_size):
    import extractor

    real = extractor._started  # every text starts here, alone or in a batch

    def crashing(nlp, text, doc_id):
        if doc_id == "b":
            os._exit(9)  # as a crash in C or the out-of-memory killer would end it
        return real(nlp, text, doc_id)

    monkeypatch.setattr(extractor, "_started", crashing)  # forked workers inherit it
    sources = [Source(x, x, text=f"Plant {x} in Utah.") for x in "abcd"] + [Source("e", "e", error="empty file")]
    outcomes = list(run_batch(sources, jobs=2, batch_size=batch_size))
    assert [o.source.doc_id for o in outcomes] == list("abcde")
    assert outcomes[1].failed and "worker died" in outcomes[1].source.error
    assert [o.record.doc_id for o in outcomes if o.record] == list("acd") and outcomes[4].failed


def test_batch_reports_a_pipeline_that_cannot_start(monkeypatch):
    import extractor.batch.cli as cli

    def broken(pairs, **options):
        raise RuntimeError("no pipeline")
        yield  # pragma: no cover

    monkeypatch.setattr(cli, "extract_results", broken)
    with pytest.raises(RuntimeError):
        list(run_batch([Source("a", "a", text="x")]))


def test_repeated_doc_ids_are_warned_about(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b" / "same.txt").write_text(varied_text(3), encoding="utf-8")
    result = invoke("extract", str(tmp_path))
    assert result.exit_code == 0
    assert [json.loads(x)["doc_id"] for x in result.stdout.splitlines()] == ["same", "same"]
    assert "doc_id 'same' of " + str(tmp_path / "b" / "same.txt") + " repeats that of" in result.stderr
    assert "repeats" not in invoke("extract", str(tmp_path), "-q").stderr


def test_show_of_a_web_page_marks_its_visible_text(mixed, tmp_path):
    out = tmp_path / "page-view.html"
    assert invoke("show", str(mixed / "page.html"), "-o", str(out)).exit_code == 0
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    shown = soup.find(id="text").get_text()
    assert shown.startswith("Aurora Solar expands") and "<h1>" not in shown and "News" not in shown
    for mark in soup.find(id="text").find_all("mark"):
        assert shown[int(mark["data-start"]):int(mark["data-end"])] == mark.get_text()


def test_progress_bar_shows_speed_and_eta_when_wanted():
    from rich.progress import Progress

    from extractor.batch.cli import _progress

    with _progress(False, 10) as nothing:
        assert nothing is None
    bar = _progress(True, 10)
    assert isinstance(bar, Progress) and bar.console.stderr
    task = bar.add_task("extract", total=10)
    bar.advance(task, 4)
    texts = [str(column.render(bar.tasks[0])) for column in bar.columns if hasattr(column, "render")]
    assert "4/10" in [t.strip() for t in texts] and any(t.endswith("docs/s") for t in texts)


# --- releases about no project (project.detected) ----------------------------------------------
OFF_TOPIC = ("Brightleaf Tea Unveils a New Product Line of Herbal Blends\n\nBrightleaf Tea launched a "
             "collection of herbal teas, now available at retailers and on its website. Shoppers can "
             "pre-order the brand's new flavors today for $12.\n")


def test_projects_only_leaves_releases_about_no_project_out(tmp_path):
    (tmp_path / "plant.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "tea.txt").write_text(OFF_TOPIC, encoding="utf-8")
    every = invoke("extract", str(tmp_path), "-o", str(tmp_path / "all.jsonl"))
    assert every.exit_code == 0 and "2 records, 0 errors, 0 skipped, 1 no project" in every.stderr
    assert {r["doc_id"]: r["project"]["detected"] for r in lines(tmp_path / "all.jsonl")} == {"plant": True, "tea": False}
    only = invoke("extract", str(tmp_path), "--projects-only", "-o", str(tmp_path / "p.jsonl"),
                  "--sqlite", str(tmp_path / "p.db"))
    assert only.exit_code == 0 and "1 records, 0 errors, 0 skipped, 1 no project" in only.stderr
    assert [r["doc_id"] for r in lines(tmp_path / "p.jsonl")] == ["plant"]
    with sqlite3.connect(tmp_path / "p.db") as con:
        assert con.execute("SELECT doc_id, detected FROM documents").fetchall() == [("plant", 1)]


def test_csv_and_sqlite_carry_the_detected_column(tmp_path):
    (tmp_path / "plant.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "tea.txt").write_text(OFF_TOPIC, encoding="utf-8")
    result = invoke("extract", str(tmp_path), "--format", "csv", "-o", str(tmp_path / "out.csv"),
                    "--sqlite", str(tmp_path / "out.db"))
    assert result.exit_code == 0
    rows = list(csv.DictReader((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {r["doc_id"]: r["detected"] for r in rows} == {"plant": "True", "tea": "False"}
    assert {r["doc_id"]: r["status"] for r in rows}["tea"] == ""
    with sqlite3.connect(tmp_path / "out.db") as con:
        assert dict(con.execute("SELECT doc_id, detected FROM documents")) == {"plant": 1, "tea": 0}


# --- hostile and broken input (issue 17): each test reproduces one numbered item -------------

CLI = [sys.executable, "-c", "from extractor.batch.cli import app; app()"]


def test_17_1_file_name_with_invalid_bytes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"zz-bad\xff\xfe.txt")
    with open(bad, "wb") as handle:
        handle.write(GOOD.encode("utf-8"))
    (folder / "zzz-after.txt").write_text(varied_text(1), encoding="utf-8")  # read after the bad name
    shown = str(folder / "zz-bad\\xff\\xfe.txt")
    out, table, db = tmp_path / "r.jsonl", tmp_path / "r.csv", tmp_path / "r.db"
    assert invoke("extract", str(folder), "-o", str(out), "--sqlite", str(db), "-q").exit_code == 0
    assert [r["doc_id"] for r in lines(out)] == ["zz-bad\\xff\\xfe", "zzz-after"]
    assert invoke("extract", str(folder), "-o", str(table), "--format", "csv", "-q").exit_code == 0
    assert shown in table.read_text(encoding="utf-8-sig")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM sources WHERE path = ?", [shown]).fetchone()[0] == 1
    to_stdout = invoke("extract", str(folder), "-q")
    assert to_stdout.exit_code == 0
    to_stdout.stdout_bytes.decode("utf-8")  # valid UTF-8
    (tmp_path / "stdout.jsonl").write_bytes(to_stdout.stdout_bytes)
    assert invoke("validate", str(tmp_path / "stdout.jsonl")).exit_code == 0
    page = invoke("show", os.fsdecode(bad))
    assert page.exit_code == 0 and "zz-bad\\xff\\xfe.txt" in page.stdout


def kill_when(child, ready, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not ready() and child.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert child.exitcode == -signal.SIGKILL, "the run finished before it could be killed"


def count_lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except OSError:
        return 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to share the loaded pipeline")
def test_17_3_sigkill_with_both_outputs_then_resume_writes_each_input_once(many, tmp_path):
    import multiprocessing

    folder, texts, library = many
    db_path, out = tmp_path / "killed.db", tmp_path / "killed.jsonl"
    args = ["extract", str(folder / "in"), "--sqlite", str(db_path), "-o", str(out), "-q"]
    child = multiprocessing.get_context("fork").Process(target=run_cli_and_exit, args=(args,))
    child.start()
    kill_when(child, lambda: count_lines(out) >= N_MANY // 3)
    assert 0 < count_lines(out) < N_MANY

    done = invoke(*args, "--resume")
    assert done.exit_code == 0, done.output
    records = lines(out)
    assert [r["doc_id"] for r in records] == [f"release-{i:04d}" for i in range(N_MANY)]
    assert records == library
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone() == (N_MANY, N_MANY)
        assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == N_MANY


def test_17_3_a_copy_under_a_new_name_gets_its_own_line_and_source(tmp_path):
    texts = write_many(tmp_path / "in", 3)
    out, db_path = tmp_path / "r.jsonl", tmp_path / "r.db"
    args = ("extract", str(tmp_path / "in"), "-o", str(out), "--sqlite", str(db_path), "-q")
    assert invoke(*args).exit_code == 0
    (tmp_path / "in" / "zz-copy.txt").write_text(texts[0], encoding="utf-8")
    resumed = invoke(*args, "--resume")
    assert "1 records, 0 errors, 3 skipped" in resumed.stderr
    assert [r["doc_id"] for r in lines(out)] == ["release-0000", "release-0001", "release-0002", "zz-copy"]
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 3
        sources = db.execute("SELECT doc_id, text_sha256 FROM sources ORDER BY doc_id").fetchall()
    assert sources[0][1] == sources[-1][1] == text_sha256(texts[0]) and sources[-1][0] == "zz-copy"
    assert "0 records, 0 errors, 4 skipped" in invoke(*args, "--resume").stderr


def test_17_4_read_only_output_is_refused_and_modes_are_kept(tmp_path):
    write_many(tmp_path / "in", 2)
    out = tmp_path / "r.jsonl"
    assert invoke("extract", str(tmp_path / "in"), "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    out.chmod(0o444)
    for args in (("--resume",), ()):
        refused = invoke("extract", str(tmp_path / "in"), "-o", str(out), *args)
        assert refused.exit_code == 2 and "read-only" in refused.stderr
        assert out.read_bytes() == before and stat.S_IMODE(out.stat().st_mode) == 0o444
    out.chmod(0o640)
    out.write_bytes(before + b'{"torn')  # a resume rewrites the file
    assert invoke("extract", str(tmp_path / "in"), "-o", str(out), "--resume").exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    old_mask = os.umask(0o027)
    try:
        page = tmp_path / "page.html"
        assert invoke("show", str(tmp_path / "in" / "release-0000.txt"), "-o", str(page)).exit_code == 0
        assert stat.S_IMODE(page.stat().st_mode) == 0o640
    finally:
        os.umask(old_mask)
    page.chmod(0o444)
    assert invoke("show", str(tmp_path / "in" / "release-0000.txt"), "-o", str(page)).exit_code == 2


def child_pids(pid: int) -> set[int]:
    try:
        return {int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_17_5_sigkill_of_a_jobs_2_run_leaves_no_worker(many, tmp_path):
    folder, _, _ = many
    out = tmp_path / "r.jsonl"
    run = subprocess.Popen(CLI + ["extract", str(folder / "in"), "-o", str(out), "-q", "--jobs", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while count_lines(out) < 50 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = child_pids(run.pid)
    assert len(workers) == 2, "the run should be working with two workers"
    run.kill()
    run.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers), "a worker outlived its parent"


def test_17_6_glob_over_a_symlink_loop(tmp_path):
    loop = tmp_path / "loop"
    (loop / "sub").mkdir(parents=True)
    for i in range(4):
        (loop / f"f{i}.txt").write_text(varied_text(i), encoding="utf-8")
    (loop / "sub" / "g.txt").write_text(varied_text(9), encoding="utf-8")
    (loop / "self").symlink_to(".")
    (loop / "sub" / "up").symlink_to("..")
    result = invoke("extract", str(loop / "**" / "*.txt"), "-q")
    assert len(result.stdout.splitlines()) == 5
    assert "5 documents" in invoke("extract", str(loop), "-q").stderr


def test_17_7_validate_reports_nested_json_and_invalid_utf8_as_lines(tmp_path):
    good = invoke("extract", "-", input=GOOD).stdout
    path = tmp_path / "v.jsonl"
    path.write_bytes(good.encode() + b"[" * 100_000 + b"]" * 100_000 + b"\n" + b'{"doc_id": "\xff"}\n'
                     + ('{"a":' * 50_000 + "1" + "}" * 50_000 + "\n").encode())
    result = invoke("validate", str(path))
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "1 valid records, 0 error entries, 3 invalid lines" in result.stderr
    assert ":3: not UTF-8" in result.stdout and "nested too deeply" in result.stdout


def test_17_8_a_full_disk_and_a_read_only_folder_are_errors_not_tracebacks(tmp_path, monkeypatch):
    write_many(tmp_path / "in", 2)
    if Path("/dev/full").exists():
        full = invoke("extract", str(tmp_path / "in"), "-o", "/dev/full")
        assert full.exit_code == 2 and "No space left on device" in full.stderr
        assert "2 documents" not in full.stderr or "error" in full.stderr
    out = tmp_path / "r.jsonl"
    invoke("extract", str(tmp_path / "in"), "-o", str(out))
    out.write_bytes(out.read_bytes() + b'{"torn')

    def no_temp_files(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    import tempfile

    monkeypatch.setattr(tempfile, "mkstemp", no_temp_files)  # as in a read-only folder
    resumed = invoke("extract", str(tmp_path / "in"), "-o", str(out), "--resume")
    assert resumed.exit_code == 2 and "Permission denied" in resumed.stderr
    assert not isinstance(resumed.exception, PermissionError)


def test_17_8_a_writer_that_fails_midway_stops_with_a_summary(tmp_path, monkeypatch):
    import extractor.batch.cli as cli

    write_many(tmp_path / "in", 4)
    real = cli.Sink._write
    calls = {"n": 0}

    def filling(self, text):
        calls["n"] += 1
        if calls["n"] > 2:
            raise cli.OutputError(f"cannot write {self.name}: No space left on device")
        real(self, text)

    monkeypatch.setattr(cli.Sink, "_write", filling)
    result = invoke("extract", str(tmp_path / "in"), "-o", str(tmp_path / "r.jsonl"))
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert "documents" in result.stderr.splitlines()[-1]


def test_17_9_a_document_over_the_timeout_becomes_an_error_line(tmp_path, monkeypatch):
    import extractor

    real = extractor._started  # every text starts here, alone or in a batch

    def slow_on_one(nlp, text, doc_id):
        if doc_id == "release-0001":
            time.sleep(30)
        return real(nlp, text, doc_id)

    monkeypatch.setattr(extractor, "_started", slow_on_one)  # the forked worker inherits it
    write_many(tmp_path / "in", 4)
    started = time.monotonic()
    result = invoke("extract", str(tmp_path / "in"), "--timeout", "1", "-q")
    assert time.monotonic() - started < 20
    assert result.exit_code == 1
    entries = [json.loads(x) for x in result.stdout.splitlines()]
    assert [e["doc_id"] for e in entries] == [f"release-{i:04d}" for i in range(4)]
    assert entries[1]["error"] == "timed out after 1 s" and all("text_sha256" in e for e in entries[::2])
    assert "4 documents, 3 records, 1 errors" in result.stderr


@pytest.mark.skipif(not hasattr(os, "setsid"), reason="sends Ctrl-C to a process group")
def test_17_11_ctrl_c_with_jobs_2_gives_a_summary_and_no_traceback(many, tmp_path):
    folder, _, _ = many
    out = tmp_path / "r.jsonl"
    run = subprocess.Popen(CLI + ["extract", str(folder / "in"), "-o", str(out), "--jobs", "2"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 90
    while count_lines(out) < 50 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = child_pids(run.pid)
    os.killpg(run.pid, signal.SIGINT)  # what the terminal sends to the whole foreground group
    stderr = run.communicate(timeout=60)[1].decode()
    assert run.returncode == 130
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    summary = stderr.strip().splitlines()[-1]
    assert summary.endswith("interrupted") and " records, " in summary
    assert not any(running(pid) for pid in workers)
    kept = lines(out)
    assert len(kept) == count_lines(out) and [r["doc_id"] for r in kept] == [f"release-{i:04d}" for i in range(len(kept))]


def test_17_12_help_version_flags_and_whole_numbers(tmp_path):
    help_text = invoke("extract", "--help").stdout
    assert "<bool>" not in help_text and "--quiet" in help_text and "--timeout" in help_text
    from extractor import __version__

    version = invoke("--version")
    assert version.exit_code == 0 and version.stdout.strip() == __version__
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    flagged = invoke("extract", str(tmp_path / "a.txt"), "--quiet", "true")
    assert flagged.exit_code == 2 and "flags take no value" in flagged.stderr
    table = tmp_path / "r.csv"
    assert invoke("extract", str(tmp_path / "a.txt"), "--format", "csv", "-o", str(table)).exit_code == 0
    row = next(csv.DictReader(table.open(encoding="utf-8-sig", newline="")))
    assert row["capacity_value"] == "24" and row["jobs"] == "900"
    assert not any(cell.endswith(".0") for cell in row.values())
