"""The SQLite store: one row per text, normalised facts, errors, resumable writes."""
from __future__ import annotations

import json
import sqlite3
import time

import pytest

from extractor import __version__, text_sha256
from extractor.models import Company, Evidence, Milestone, Money, Phase, Place, ProjectRecord, Quantity, Site
from extractor.batch.store import (
    CHILD_COLUMNS,
    area_hectares,
    child_rows,
    close_store,
    load_record,
    open_store,
    save_error,
    save_record,
    stored_hashes,
)

TEXT = (
    "Lakeside Power Ltd. will build a 40 GWh cell plant in Porto, Portugal. "
    "Phase I, 10 GWh, starts production in 2026. The site covers 90 hectares."
)


def ev(text: str, quote: str, occurrence: int = 0) -> Evidence:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return Evidence(start=start, end=start + len(quote), text=quote)


def sample_record(text: str = TEXT, doc_id: str = "lakeside") -> ProjectRecord:
    """A record as the finished extractor would give for TEXT, written by hand."""
    phase_capacity = Quantity(value=10, unit="GWh", evidence=ev(text, "10 GWh"))
    return ProjectRecord(
        doc_id=doc_id,
        text_sha256=text_sha256(text),
        companies=[Company(name="Lakeside Power Ltd.", role="developer", evidence=ev(text, "Lakeside Power Ltd."))],
        places=[
            Place(name="Porto", kind="city", country_code="PT", evidence=ev(text, "Porto")),
            Place(name="Portugal", kind="country", country_code="PT", evidence=ev(text, "Portugal")),
        ],
        site=Site(country="Portugal", country_code="PT", city="Porto"),
        area=Quantity(value=90, unit="ha", evidence=ev(text, "90 hectares")),
        capacity=[Quantity(value=40, unit="GWh", per="year", evidence=ev(text, "40 GWh"))],
        investment=Money(amount=1.5e9, currency="EUR", evidence=ev(text, "Lakeside")),
        phases=[Phase(number=1, label="Phase I", capacity=[phase_capacity], evidence=ev(text, "Phase I"))],
        milestones=[Milestone(kind="production_start", date="2026", planned=True, evidence=ev(text, "starts production in 2026"))],
    )


@pytest.fixture
def db(tmp_path):
    database = open_store(tmp_path / "projects.db")
    yield database
    database.close()


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def test_tables_have_foreign_keys_and_indexes(db):
    assert set(CHILD_COLUMNS) | {"documents", "errors"} <= set(db.table_names())
    for table in CHILD_COLUMNS:
        keys = db[table].foreign_keys
        assert [(k.column, k.other_table, k.other_column) for k in keys] == [("text_sha256", "documents", "text_sha256")]
        assert any(index.columns == ["text_sha256"] for index in db[table].indexes)
    assert db["documents"].pks == ["text_sha256"]
    assert any(index.columns == ["country_code"] for index in db["documents"].indexes)


def test_a_record_lands_in_every_table(db):
    record = sample_record()
    save_record(db, record, "in/lakeside.txt", TEXT)
    row = next(db["documents"].rows)
    assert row["doc_id"] == "lakeside" and row["path"] == "in/lakeside.txt"
    assert row["extractor_version"] == __version__ and row["extracted_at"].endswith("Z")
    assert row["country_code"] == "PT" and row["developer"] == "Lakeside Power Ltd." and row["area_ha"] == 90
    assert json.loads(row["record"]) == record.model_dump(mode="json")
    assert row["text"] == TEXT
    assert [count(db, t) for t in ("companies", "places", "capacities", "phases", "milestones")] == [1, 2, 2, 1, 1]
    project_level = db.execute("SELECT value, unit, per FROM capacities WHERE phase IS NULL").fetchall()
    assert project_level == [(40.0, "GWh", "year")]
    assert db.execute("SELECT value FROM capacities WHERE phase = 1").fetchall() == [(10.0,)]
    start, end, quote = db.execute("SELECT start, [end], evidence FROM milestones").fetchone()
    assert TEXT[start:end] == quote == "starts production in 2026"


def test_saving_the_same_text_twice_adds_nothing(db):
    save_record(db, sample_record(), "a.txt", TEXT)
    save_record(db, sample_record(doc_id="renamed"), "b.txt", TEXT)
    assert count(db, "documents") == 1 and count(db, "places") == 2 and count(db, "capacities") == 2
    assert db.execute("SELECT doc_id, path FROM documents").fetchone() == ("renamed", "b.txt")


def test_a_changed_record_replaces_its_facts(db):
    save_record(db, sample_record(), "a.txt", TEXT)
    leaner = sample_record().model_copy(update={"places": [], "capacity": []})
    save_record(db, leaner, "a.txt", TEXT)
    assert count(db, "places") == 0
    assert db.execute("SELECT count(*) FROM capacities WHERE phase IS NULL").fetchone()[0] == 0


def test_query_by_country_and_capacity_needs_no_json(db):
    other = TEXT + " A smaller twin in Spain would make 8 GWh."
    save_record(db, sample_record(), "a.txt", TEXT)
    small = sample_record(other, "small").model_copy(
        update={"capacity": [Quantity(value=8, unit="GWh", evidence=ev(other, "8 GWh"))],
                "site": Site(country="Spain", country_code="ES")}
    )
    elsewhere = sample_record(other + " ", "elsewhere").model_copy(update={"site": Site(country_code="ES")})
    save_record(db, elsewhere, "c.txt", other + " ")
    save_record(db, small, "b.txt", other)
    rows = db.execute(
        "SELECT d.doc_id FROM documents d JOIN capacities c ON c.text_sha256 = d.text_sha256 "
        "WHERE d.country_code = 'PT' AND c.phase IS NULL AND c.unit = 'GWh' AND c.value >= 20"
    ).fetchall()
    assert rows == [("lakeside",)]


def test_resume_sees_only_this_version(db):
    save_record(db, sample_record(), "a.txt", TEXT)
    old = ProjectRecord(doc_id="old", text_sha256=text_sha256("other text"))
    save_record(db, old, "b.txt", "other text", version="0.0.1")
    assert stored_hashes(db) == {text_sha256(TEXT)}
    assert stored_hashes(db, "0.0.1") == {text_sha256("other text")}


def test_errors_are_kept_per_path_and_cleared_by_success(db):
    save_error(db, "lakeside", "a.txt", "binary file (not text)")
    save_error(db, "lakeside", "a.txt", "empty file")
    assert db.execute("SELECT error FROM errors").fetchall() == [("empty file",)]
    save_record(db, sample_record(), "a.txt", TEXT)
    assert count(db, "errors") == 0


def test_load_record_round_trips(db):
    save_record(db, sample_record(), "a.txt", TEXT)
    record, text = load_record(db, text_sha256(TEXT))
    assert record == sample_record() and text == TEXT
    assert load_record(db, "0" * 64) is None


def test_closed_store_is_one_plain_sqlite_file(tmp_path):
    path = tmp_path / "one.db"
    database = open_store(path)
    save_record(database, sample_record(), "a.txt", TEXT)
    close_store(database)
    assert not (tmp_path / "one.db-wal").exists()
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert plain.execute("SELECT count(*) FROM companies").fetchone()[0] == 1


def test_reopening_keeps_rows(tmp_path):
    path = tmp_path / "again.db"
    close_store_after = open_store(path)
    save_record(close_store_after, sample_record(), "a.txt", TEXT)
    close_store(close_store_after)
    database = open_store(path)
    assert count(database, "documents") == 1
    database.close()


def test_area_in_hectares():
    assert area_hectares(None) is None
    assert area_hectares(Quantity(value=150, unit="mu", evidence=Evidence(start=0, end=0, text=""))) == pytest.approx(10.0)
    assert area_hectares(Quantity(value=2, unit="km2", evidence=Evidence(start=0, end=0, text=""))) == 200
    assert area_hectares(Quantity(value=2, unit="GWh", evidence=Evidence(start=0, end=0, text=""))) is None


def test_child_rows_number_phase_capacities_after_the_project_ones():
    rows = child_rows(sample_record())["capacities"]
    assert [(r["position"], r["phase"]) for r in rows] == [(0, None), (1, 1)]


def test_uncommitted_documents_vanish_whole(tmp_path):
    from extractor.batch.store import BatchCommitter

    path = tmp_path / "batch.db"
    database = open_store(path)
    committer = BatchCommitter(database, every=2, seconds=3600)
    committer.record(sample_record(), "a.txt", TEXT)
    with sqlite3.connect(path) as reader:  # waiting in memory: no transaction open, nothing locked
        assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        reader.execute("CREATE TABLE other_writer (x)")  # another run may write meanwhile
    committer.record(ProjectRecord(doc_id="b", text_sha256=text_sha256("b text")), "b.txt", "b text")
    committer.record(sample_record(TEXT + " ", "c"), "c.txt", TEXT + " ")  # waits
    with sqlite3.connect(path) as reader:  # another process sees only committed documents
        assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
        assert reader.execute("SELECT count(*) FROM companies").fetchone()[0] == 1
    database.conn.close()  # as if killed: the waiting document is lost whole
    again = open_store(path)
    assert count(again, "documents") == 2 and count(again, "companies") == 1
    again.close()


def test_a_store_of_an_older_version_gains_the_new_document_columns(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE documents (text_sha256 TEXT PRIMARY KEY, doc_id TEXT NOT NULL, record TEXT)")
    db = open_store(path)
    assert {"detected", "floor_area_m2"} <= set(db["documents"].columns_dict)
    close_store(db)


def test_sources_keep_every_input_of_one_text(db):
    from extractor.batch.store import stored_sources

    save_record(db, sample_record(), "in/a.txt", TEXT)
    save_record(db, sample_record(doc_id="copy"), "in/copy.txt", TEXT)
    assert count(db, "documents") == 1
    rows = db.execute("SELECT path, doc_id, text_sha256 FROM sources ORDER BY path").fetchall()
    assert rows == [("in/a.txt", "lakeside", text_sha256(TEXT)), ("in/copy.txt", "copy", text_sha256(TEXT))]
    assert stored_sources(db) == {("in/a.txt", text_sha256(TEXT)), ("in/copy.txt", text_sha256(TEXT))}
    assert stored_sources(db, "0.0.1") == set()


def test_a_store_older_than_sources_gets_them_from_documents(tmp_path):
    path = tmp_path / "old.db"
    database = open_store(path)
    save_record(database, sample_record(), "a.txt", TEXT)
    database.execute("DROP TABLE sources")
    database.conn.commit()
    database.close()
    again = open_store(path)
    assert again.execute("SELECT path, doc_id FROM sources").fetchall() == [("a.txt", "lakeside")]
    again.close()


def test_two_writers_share_one_store(tmp_path):
    """Item 2 of issue 17: the second writer waits for the first's transaction; nothing is lost."""
    import threading

    path = tmp_path / "shared.db"
    open_store(path).close()
    locked = threading.Event()

    def hold_the_lock() -> None:
        other = sqlite3.connect(path, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another run in the middle of a write ...
        other.execute("INSERT INTO errors (path, doc_id, error) VALUES ('x', 'x', 'held')")
        locked.set()
        time.sleep(6.0)  # ... longer than sqlite3's default wait of 5 s
        other.commit()
        other.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait()
    second = open_store(path)
    save_record(second, sample_record(), "a.txt", TEXT)  # waits instead of "database is locked"
    holder.join()
    assert count(second, "documents") == 1 and count(second, "errors") == 1
    second.close()
