"""The embedded store: records in SQLite (through sqlite-utils), queryable without JSON functions.

One row per distinct text in `documents` (keyed by `text_sha256`, so running twice adds
nothing), the facts analysts filter on in normalised tables (`companies`, `places`,
`capacities`, `phases`, `milestones`) with foreign keys and indexes, and the inputs that could
not be read in `errors`. Every input that carried a text is kept in `sources` (path, id, hash):
two files with one text make one `documents` row and two `sources` rows. Documents are written
in short transactions of whole documents, and the batch holds no lock while it extracts, so
two runs can write one file (each waits its turn, up to `BUSY_TIMEOUT_SECONDS`): a run killed
at any moment leaves whole documents only, and `--resume` continues from there.
"""
from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from extractor import __version__
from extractor.models import ProjectRecord

DOCUMENT_COLUMNS: dict[str, type] = {
    "text_sha256": str,
    "doc_id": str,
    "path": str,
    "extractor_version": str,
    "extracted_at": str,
    "title": str,
    "detected": int,  # 1 where the release is about one specific project (project.detected), else 0
    "project_name": str,
    "project_type": str,
    "status": str,
    "developer": str,
    "country": str,
    "country_code": str,
    "region": str,
    "city": str,
    "zone": str,
    "area_ha": float,
    "floor_area_m2": float,
    "investment_amount": float,
    "investment_currency": str,
    "jobs": float,
    "record": str,
    "text": str,
}
_EVIDENCE = {"start": int, "end": int, "evidence": str}
CHILD_COLUMNS: dict[str, dict[str, type]] = {
    "companies": {"text_sha256": str, "position": int, "name": str, "role": str, "ticker": str, **_EVIDENCE},
    "places": {"text_sha256": str, "position": int, "name": str, "kind": str, "country_code": str,
               "region": str, **_EVIDENCE},
    "capacities": {"text_sha256": str, "position": int, "phase": int, "value": float, "value_max": float,
                   "unit": str, "per": str, "qualifier": str, "item": str, **_EVIDENCE},
    "phases": {"text_sha256": str, "number": int, "label": str, "area_value": float, "area_unit": str,
               "investment_amount": float, "investment_currency": str, "status": str, **_EVIDENCE},
    "milestones": {"text_sha256": str, "position": int, "kind": str, "date": str, "planned": int, **_EVIDENCE},
}
CHILD_INDEXES: dict[str, list[list[str]]] = {
    "companies": [["text_sha256"], ["name"], ["role"]],
    "places": [["text_sha256"], ["country_code"], ["kind", "name"]],
    "capacities": [["text_sha256"], ["unit", "value"]],
    "phases": [["text_sha256"]],
    "milestones": [["text_sha256"], ["kind", "date"]],
}
ERROR_COLUMNS: dict[str, type] = {"path": str, "doc_id": str, "error": str, "extractor_version": str, "seen_at": str}
SOURCE_COLUMNS: dict[str, type] = {"path": str, "doc_id": str, "text_sha256": str, "extractor_version": str,
                                   "seen_at": str}
# How long a write waits for another run's transaction on the same file before it gives up.
# The batch's own transactions last milliseconds, so this is only reached by a stuck writer.
BUSY_TIMEOUT_SECONDS = 120.0

# Hectares per area unit, so that `area_ha` compares across documents.
_HECTARES = {"m2": 1e-4, "ha": 1.0, "km2": 100.0, "acre": 0.40468564224, "sqft": 9.290304e-6, "mu": 1 / 15}


def now_iso() -> str:
    """The time a row was written, in UTC and to the second ("2026-01-31T09:15:00Z")."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_store(path: str | Path) -> sqlite_utils.Database:
    """The database at `path`, created with every table and index if new.

    Write-ahead logging keeps a commit per document cheap; a process killed mid-write loses at
    most the document it was writing, which SQLite rolls back on the next open.
    """
    db = sqlite_utils.Database(sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS))
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    create_tables(db)
    return db


def close_store(db: sqlite_utils.Database) -> None:
    """Fold the write-ahead log back in, so the database is one file that any SQLite tool opens."""
    try:
        db.execute("PRAGMA busy_timeout = 0")  # another run still writing: leave it WAL, do not wait
        db.disable_wal()
    except sqlite3.Error:
        pass  # another connection holds the file open: it stays in WAL mode, still readable
    db.close()


def create_tables(db: sqlite_utils.Database) -> None:
    """Every table and index, if missing (idempotent)."""
    db["documents"].create(DOCUMENT_COLUMNS, pk="text_sha256", not_null={"doc_id"}, if_not_exists=True)
    missing = set(DOCUMENT_COLUMNS) - set(db["documents"].columns_dict)
    for name in [n for n in DOCUMENT_COLUMNS if n in missing]:  # a store made by an older version
        db["documents"].add_column(name, DOCUMENT_COLUMNS[name])
    db["documents"].create_index(["doc_id"], if_not_exists=True)
    db["documents"].create_index(["country_code"], if_not_exists=True)
    db["documents"].create_index(["extractor_version"], if_not_exists=True)
    for table, columns in CHILD_COLUMNS.items():
        db[table].create(
            columns,
            foreign_keys=[("text_sha256", "documents", "text_sha256")],
            not_null={"text_sha256"},
            if_not_exists=True,
        )
        for index in CHILD_INDEXES[table]:
            db[table].create_index(index, if_not_exists=True)
    db["errors"].create(ERROR_COLUMNS, pk="path", if_not_exists=True)
    if "sources" not in db.table_names():
        db["sources"].create(SOURCE_COLUMNS, pk="path", foreign_keys=[("text_sha256", "documents", "text_sha256")],
                             not_null={"text_sha256"})
        db["sources"].create_index(["text_sha256"])
        # a store written before `sources` existed: each document's one known input
        db.execute("INSERT OR IGNORE INTO sources (path, doc_id, text_sha256, extractor_version, seen_at) "
                   "SELECT path, doc_id, text_sha256, extractor_version, extracted_at FROM documents "
                   "WHERE path IS NOT NULL")
        db.conn.commit()


def stored_hashes(db: sqlite_utils.Database, version: str = __version__) -> set[str]:
    """The texts already stored by this extractor version: what `--resume` may skip."""
    rows = db.execute("SELECT text_sha256 FROM documents WHERE extractor_version = ?", [version])
    return {sha for (sha,) in rows.fetchall()}


def stored_sources(db: sqlite_utils.Database, version: str = __version__) -> set[tuple[str, str]]:
    """(path, text_sha256) of every input whose text is stored by this version: what `--resume` skips.

    A new file whose text is already stored is not in it, so it is read and gets its own
    `sources` row (and JSONL line) under its own id.
    """
    rows = db.execute(
        "SELECT s.path, s.text_sha256 FROM sources s JOIN documents d ON d.text_sha256 = s.text_sha256 "
        "WHERE d.extractor_version = ?", [version])
    return {(path, sha) for path, sha in rows.fetchall()}


def _evidence(ev: Any) -> dict[str, Any]:
    if ev is None:
        return {"start": None, "end": None, "evidence": None}
    return {"start": ev.start, "end": ev.end, "evidence": ev.text}


def area_hectares(quantity: Any) -> float | None:
    """A site area in hectares, whatever unit the text used (150 mu -> 10.0 ha)."""
    if quantity is None or quantity.unit not in _HECTARES:
        return None
    return quantity.value * _HECTARES[quantity.unit]


def floor_area_square_metres(quantity: Any) -> float | None:
    """A building's floor space in square metres, whatever unit the text used (10,000 sq ft -> 929.0 m2)."""
    hectares = area_hectares(quantity)
    return None if hectares is None else hectares * 1e4


def document_row(record: ProjectRecord, path: str, text: str | None, version: str = __version__) -> dict[str, Any]:
    """The `documents` row of a record: its identity, the columns people filter on, the JSON."""
    site = record.site
    developer = next((c.name for c in record.companies if c.role == "developer"), None)
    return {
        "text_sha256": record.text_sha256,
        "doc_id": record.doc_id,
        "path": path,
        "extractor_version": version,
        "extracted_at": now_iso(),
        "title": record.title,
        "detected": int(record.project.detected),
        "project_name": record.project.name,
        "project_type": record.project.type,
        "status": record.project.status,
        "developer": developer,
        "country": site.country if site else None,
        "country_code": site.country_code if site else None,
        "region": site.region if site else None,
        "city": site.city if site else None,
        "zone": site.zone if site else None,
        "area_ha": area_hectares(record.area),
        "floor_area_m2": floor_area_square_metres(record.floor_area),
        "investment_amount": record.investment.amount if record.investment else None,
        "investment_currency": record.investment.currency if record.investment else None,
        "jobs": record.jobs.value if record.jobs else None,
        "record": json.dumps(record.model_dump(mode="json"), ensure_ascii=False),
        "text": text,
    }


def child_rows(record: ProjectRecord) -> dict[str, list[dict[str, Any]]]:
    """The normalised rows of a record, table by table.

    Capacities of the whole project have `phase` NULL; a phase's own capacities carry its number,
    so "the project's capacity" is `WHERE phase IS NULL`.
    """
    sha = record.text_sha256
    capacities = [_capacity_row(sha, i, q, None) for i, q in enumerate(record.capacity)]
    for phase in record.phases:
        start = len(capacities)
        capacities += [_capacity_row(sha, start + i, q, phase.number) for i, q in enumerate(phase.capacity)]
    return {
        "companies": [
            {"text_sha256": sha, "position": i, "name": c.name, "role": c.role, "ticker": c.ticker, **_evidence(c.evidence)}
            for i, c in enumerate(record.companies)
        ],
        "places": [
            {"text_sha256": sha, "position": i, "name": p.name, "kind": p.kind, "country_code": p.country_code,
             "region": p.region, **_evidence(p.evidence)}
            for i, p in enumerate(record.places)
        ],
        "capacities": capacities,
        "phases": [
            {"text_sha256": sha, "number": ph.number, "label": ph.label,
             "area_value": ph.area.value if ph.area else None, "area_unit": ph.area.unit if ph.area else None,
             "investment_amount": ph.investment.amount if ph.investment else None,
             "investment_currency": ph.investment.currency if ph.investment else None,
             "status": ph.status, **_evidence(ph.evidence)}
            for ph in record.phases
        ],
        "milestones": [
            {"text_sha256": sha, "position": i, "kind": m.kind, "date": m.date, "planned": int(m.planned),
             **_evidence(m.evidence)}
            for i, m in enumerate(record.milestones)
        ],
    }


def _capacity_row(sha: str, position: int, q: Any, phase: int | None) -> dict[str, Any]:
    return {"text_sha256": sha, "position": position, "phase": phase, "value": q.value, "value_max": q.value_max,
            "unit": q.unit, "per": q.per, "qualifier": q.qualifier, "item": q.item, **_evidence(q.evidence)}


def _insert(db: sqlite_utils.Database, table: str, rows: list[dict[str, Any]]) -> None:
    # Plain SQL on the shared connection: sqlite-utils' own writes commit as they go, and a
    # document must land in one transaction. Table and column names come from this module only;
    # the rows of one table share their keys, so one statement serves them all.
    if not rows:
        return
    columns = ", ".join(f"[{name}]" for name in rows[0])
    marks = ", ".join("?" for _ in rows[0])
    db.conn.executemany(f"INSERT OR REPLACE INTO [{table}] ({columns}) VALUES ({marks})",
                        [list(row.values()) for row in rows])


def save_record(db: sqlite_utils.Database, record: ProjectRecord, path: str, text: str | None = None,
                version: str = __version__, commit: bool = True) -> None:
    """Store one record, replacing whatever was stored for the same text.

    The input's earlier error, if any, is cleared: the file has now been read. With
    `commit=False` the rows join the open transaction, so that a batch writer commits many
    documents at once (a commit costs more than the rows); a killed run then loses whole
    uncommitted documents, never part of one.
    """
    sha = record.text_sha256
    try:
        for table in CHILD_COLUMNS:
            db.execute(f"DELETE FROM [{table}] WHERE text_sha256 = ?", [sha])
        _insert(db, "documents", [document_row(record, path, text, version)])
        for table, rows in child_rows(record).items():
            _insert(db, table, rows)
        _insert(db, "sources", [{"path": path, "doc_id": record.doc_id, "text_sha256": sha,
                                 "extractor_version": version, "seen_at": now_iso()}])
        db.execute("DELETE FROM errors WHERE path = ?", [path])
    except BaseException:
        db.conn.rollback()
        raise
    if commit:
        db.conn.commit()


def save_error(db: sqlite_utils.Database, doc_id: str, path: str, error: str, version: str = __version__,
               commit: bool = True) -> None:
    """Record that an input could not be read; the latest error per path is kept."""
    _insert(db, "errors", [{"path": path, "doc_id": doc_id, "error": error,
                            "extractor_version": version, "seen_at": now_iso()}])
    if commit:
        db.conn.commit()


class BatchCommitter:
    """Writes finished documents in groups: every `every` documents or `seconds` seconds.

    The documents wait in memory, not in an open transaction, so the batch holds no lock on the
    file while it extracts (another run writing the same file is not kept waiting by a long
    document), and each group is one short transaction (a commit costs more than the rows).
    Example: 1,000 small records cost 1,000 commits one by one, about 16 grouped. A killed run
    loses the documents still waiting, whole; `--resume` does them again.
    """

    def __init__(self, db: sqlite_utils.Database, every: int = 64, seconds: float = 1.0) -> None:
        self.db, self.every, self.seconds = db, every, seconds
        self._waiting: list[tuple[str, tuple]] = []
        self._since = time.monotonic()

    def record(self, record: ProjectRecord, path: str, text: str | None) -> None:
        self._add("record", (record, path, text))

    def error(self, doc_id: str, path: str, error: str) -> None:
        self._add("error", (doc_id, path, error))

    def _add(self, kind: str, item: tuple) -> None:
        if not self._waiting:
            self._since = time.monotonic()
        self._waiting.append((kind, item))
        if len(self._waiting) >= self.every or time.monotonic() - self._since >= self.seconds:
            self.commit()

    def commit(self) -> None:
        """Write the waiting documents in one transaction (waiting for another writer if need be)."""
        if not self._waiting:
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            for kind, item in self._waiting:
                if kind == "record":
                    save_record(self.db, *item, commit=False)
                else:
                    save_error(self.db, *item, commit=False)
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.rollback()
            raise
        self.db.conn.commit()
        self._waiting.clear()


def load_record(db: sqlite_utils.Database, text_sha256: str) -> tuple[ProjectRecord, str | None] | None:
    """A stored record and its text, or None: what `extractor show` needs to redraw a page."""
    row = db.execute("SELECT record, text FROM documents WHERE text_sha256 = ?", [text_sha256]).fetchone()
    if row is None:
        return None
    return ProjectRecord.model_validate_json(row[0]), row[1]
