"""The Dask engine: the same records as the local engine, on a LocalCluster of two processes."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from extractor import extract  # noqa: E402
from extractor.batch.cli import app  # noqa: E402
from extractor.dask import extract_bag, extract_frame, is_url  # noqa: E402

from .conftest import CORPUS  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as local:
        yield local


@pytest.fixture()
def client(cluster):
    with distributed.Client(cluster) as connected:
        yield connected


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_cluster_records_equal_the_local_engine_on_the_corpus(cluster, tmp_path):
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert invoke("extract", str(CORPUS), "-o", str(local), "--quiet").exit_code == 0
    result = invoke("extract", str(CORPUS), "-o", str(remote), "--quiet", "--engine", "dask",
                    "--scheduler", cluster.scheduler_address, "--partition-size", "7")
    assert result.exit_code == 0, result.output
    assert remote.read_bytes() == local.read_bytes()
    assert len(remote.read_text().splitlines()) == len(list(CORPUS.glob("*.txt")))


def test_bad_inputs_are_error_lines_in_input_order(cluster, tmp_path):
    (tmp_path / "a.txt").write_text("Acme Corp will build a $40 million plant in Dayton, Ohio.")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "c.txt").write_text("")
    (tmp_path / "d.txt").write_text("Borealis Mining approved a copper mine in Chile.")
    out = tmp_path / "out.jsonl"
    result = invoke("extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "c.txt"),
                    str(tmp_path / "missing.txt"), str(tmp_path / "d.txt"), "-o", str(out), "--quiet",
                    "--engine", "dask", "--scheduler", cluster.scheduler_address, "--partition-size", "2")
    assert result.exit_code == 1
    entries = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["doc_id"] for e in entries] == ["a", "b", "c", "missing", "d"]
    assert ["error" in e for e in entries] == [False, True, True, True, False]
    assert "3 errors" in result.output


def test_sqlite_rerun_and_resume_add_nothing(cluster, tmp_path):
    store = tmp_path / "p.db"
    args = ("extract", str(CORPUS), "--sqlite", str(store), "--quiet", "--engine", "dask",
            "--scheduler", cluster.scheduler_address)
    assert invoke(*args).exit_code == 0
    with sqlite3.connect(store) as con:
        first = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "capacities", "milestones")}
    assert invoke(*args).exit_code == 0
    resumed = invoke(*args, "--resume")
    assert resumed.exit_code == 0 and f"{first['documents']} skipped" in resumed.output
    with sqlite3.connect(store) as con:
        again = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "capacities", "milestones")}
    assert again == first and first["documents"] == len(list(CORPUS.glob("*.txt")))


def _die_once(item, marker: str):
    """The first call on any worker kills that worker's process, as a lost machine would."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return item
    os.close(fd)
    os._exit(1)


def test_a_lost_worker_is_recomputed_without_duplicates(client, tmp_path):
    texts = [(path.read_text(encoding="utf-8"), path.stem) for path in sorted(CORPUS.glob("*.txt"))[:12]]
    bag = db.from_sequence(texts, npartitions=4).map(_die_once, marker=str(tmp_path / "died"))
    records = extract_bag(bag).compute()
    assert (tmp_path / "died").exists()  # a worker really was lost
    assert [r["doc_id"] for r in records] == [doc_id for _text, doc_id in texts]
    assert records == [extract(text, doc_id=doc_id).model_dump(mode="json") for text, doc_id in texts]


def test_extract_bag_accepts_texts_pairs_and_dicts(client):
    text = "Nordvolt will build a 16 GWh battery cell plant in Skelleftea, Sweden."
    records = extract_bag(db.from_sequence([text, (text, "pair"), {"text": text, "doc_id": "dict"}, None])).compute()
    assert [r["doc_id"] for r in records] == ["", "pair", "dict", ""]
    assert records[1]["capacity"][0]["value"] == 16.0
    assert any("not str" in w for w in records[3]["warnings"])  # a bad item is a record with a warning


def test_extract_frame_gives_flat_columns_and_the_record(client):
    frame = pd.DataFrame({"id": ["one", "two"], "body": [
        "Acme Corp will invest $40 million in a plant in Dayton, Ohio, creating 120 jobs.",
        "Kestrel Foods opened a 20,000-tonne dairy plant in Cork, Ireland.",
    ]})
    out = extract_frame(dd.from_pandas(frame, npartitions=2), "body", "id").compute()
    assert list(out["doc_id"]) == ["one", "two"]
    assert out.loc[0, "country_code"] == "US" and out.loc[0, "jobs"] == 120
    assert json.loads(out.loc[1, "record"])["doc_id"] == "two"


def test_urls_are_read_by_the_workers():
    assert is_url("file:///tmp/a.txt") and is_url("s3://bucket/a.txt") and not is_url("a.txt")


def test_file_urls_read_through_fsspec(cluster, tmp_path):
    (tmp_path / "acme.txt").write_text("Acme Corp will build a $40 million plant in Dayton, Ohio.")
    out = tmp_path / "out.jsonl"
    result = invoke("extract", f"file://{tmp_path / 'acme.txt'}", "-o", str(out), "--quiet",
                    "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 0, result.output
    (entry,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert entry["doc_id"] == "acme" and entry["site"]["region"] == "Ohio"


def test_stdin_needs_the_local_engine():
    result = runner.invoke(app, ["extract", "-", "--engine", "dask"], input="text")
    assert result.exit_code == 2 and "standard input" in result.output


def test_without_the_extra_the_engine_names_it(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "extractor.dask", None)  # as if dask were not installed
    (tmp_path / "a.txt").write_text("Acme will build a plant.")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--engine", "dask"])
    assert result.exit_code == 2 and "extractor[dask]" in result.output
