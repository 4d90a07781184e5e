"""The contract every user relies on: grounded evidence, a valid record for any str, a current schema."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import extract, extract_many
from extractor.batch.cli import schema_json
from extractor.models import Evidence, ProjectRecord

from .conftest import ROOT, corpus_documents


def evidence_objects(node):
    """Every {start, end, text} object inside a dumped record."""
    if isinstance(node, dict):
        if {"start", "end", "text"} <= node.keys():
            yield node
        for value in node.values():
            yield from evidence_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from evidence_objects(value)


def assert_grounded(record: ProjectRecord, text: str) -> None:
    """Every evidence quotes the text, the record is valid, and no layer fault was swallowed."""
    assert not [w for w in record.warnings if "failed" in w], record.warnings
    dumped = record.model_dump(mode="json")
    for ev in evidence_objects(dumped):
        assert text[ev["start"]:ev["end"]] == ev["text"], ev
    ProjectRecord.model_validate(dumped)


def test_schema_file_is_current():
    committed = (ROOT / "schemas" / "project_record.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "models changed: run `extractor schema > schemas/project_record.schema.json`"


def test_every_corpus_evidence_quotes_its_source():
    documents = corpus_documents()
    assert documents, "corpus/ holds no documents"
    for path in documents:
        text = path.read_text(encoding="utf-8")
        record = extract(text, doc_id=path.stem)
        assert record.doc_id == path.stem
        assert_grounded(record, text)


def test_record_hash_and_id():
    record = extract("Acme will build a plant.", doc_id="acme")
    assert record.doc_id == "acme"
    import hashlib

    assert record.text_sha256 == hashlib.sha256(b"Acme will build a plant.").hexdigest()
    assert len(record.text_sha256) == 64 and record.schema_version == "1.1"


def test_evidence_rejects_inconsistent_offsets():
    import pytest

    with pytest.raises(ValueError):
        Evidence(start=5, end=2, text="")
    with pytest.raises(ValueError):
        Evidence(start=-1, end=2, text="abc")


def test_extract_many_keeps_order_and_ids():
    texts = [("CATL will invest RMB 7 billion.", "a"), "no facts here", ("", "c")]
    records = list(extract_many(texts, batch_size=1))
    assert [r.doc_id for r in records] == ["a", "", "c"]
    assert records[0].model_dump() == extract(texts[0][0], doc_id="a").model_dump()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_extract_never_raises_and_stays_grounded(text):
    record = extract(text, doc_id="h")
    assert_grounded(record, text)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789,. -$%\x00\x07\ud800RMBGWhmu\n")), max_size=400))
def test_extract_on_number_soup(text):
    assert_grounded(extract(text), text)


def test_hard_inputs():
    for text in ["", "\x00\x01\x02", "9" * 10_000, "1," * 5000, "\ud800 RMB15 billion", "€" * 1000,
                 "Phase " * 2000, "\n" * 10_000]:
        record = extract(text)
        assert_grounded(record, text)
        json.dumps(record.model_dump(mode="json"))


# --- the API under hostile use (issue 17, item 10) --------------------------------------------


def test_17_10_a_str_subclass_is_read_like_a_str():
    import numpy as np

    text = "Acme Cells Inc. will build a 24 GWh battery plant in Kansas."
    record = extract(np.str_(text), doc_id="np")
    assert record.model_dump() == extract(text, doc_id="np").model_dump()
    assert not any("failed" in w for w in record.warnings)
    many = list(extract_many([np.str_(text), ("second text, a plant in Ohio", "b")]))
    assert many[0].model_dump() == extract(text).model_dump() and many[1].doc_id == "b"


def test_17_10_bad_items_in_extract_many_are_reported_and_the_stream_goes_on():
    records = list(extract_many([None, ("Acme plant", "ok"), (None, "none"), 12, ("x", 7)]))
    assert len(records) == 5
    assert records[0].warnings == extract(None).warnings == ["input is NoneType, not str"]
    assert records[1].doc_id == "ok" and records[2].doc_id == "none" and records[2].warnings
    assert records[3].warnings == ["input is int, not str"] and records[4].doc_id == "7"


def test_17_10_doc_id_and_rules_given_loosely(tmp_path):
    assert extract("Acme plant", doc_id=123).doc_id == "123"
    rules = tmp_path / "mine.jsonl"
    rules.write_text('{"id": "zorba", "layer": "places", "text": "Zorbaville", "kind": "city", '
                     '"country_code": "US", "region": "Ohio"}\n', encoding="utf-8")
    text = "Acme Cells Inc. will build a battery plant in Zorbaville."
    as_string = extract(text, rules=str(rules))  # one path, not a list of its letters
    assert as_string.model_dump() == extract(text, rules=[rules]).model_dump()
    assert any(p.name == "Zorbaville" for p in as_string.places)


def test_17_10_a_text_in_another_script_says_why_its_record_is_empty():
    record = extract("宁德时代新能源科技股份有限公司宣布在贵州省贵阳市建设电池生产基地，总投资七十亿元人民币。")
    assert any("not in Latin script" in w for w in record.warnings)
    assert not any("Latin" in w for w in extract("Société Générale builds a plant in Besançon.").warnings)


def test_extract_many_with_workers_equals_extract():
    texts = [f"Unit{i} Corp. will build a {i + 5} GWh plant in Ohio for USD {i + 1} billion." for i in range(12)]
    texts[3] = None  # a bad item travels too
    one = [r.model_dump() for r in extract_many(texts)]
    two = [r.model_dump() for r in extract_many(texts, n_process=2, batch_size=2)]
    assert one == two and [r["doc_id"] for r in one] == [""] * 12


def test_extract_many_timeout_gives_a_warning_record(monkeypatch):
    import time

    import extractor

    real = extractor._started  # every text starts here, alone or in a batch

    def slow(nlp, text, doc_id):
        if text == "slow":
            time.sleep(30)
        return real(nlp, text, doc_id)

    monkeypatch.setattr(extractor, "_started", slow)  # the forked worker inherits it
    records = list(extract_many([("fast", "a"), ("slow", "b"), ("fast too", "c")], timeout=1))
    assert [r.doc_id for r in records] == ["a", "b", "c"]
    assert records[1].warnings == ["timed out after 1 s"]
    assert not any("timed out" in w for w in records[0].warnings + records[2].warnings)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
       | st.lists(st.sampled_from(["Acme Ltd", "will build", "a 5 GWh", "plant", "in", "Ohio", "Phase I",
                                   "RMB 1 billion", "2026", ",", ".", "\n", "mu", "hectares", "(", ")"]),
                  max_size=40).map(" ".join))
def test_no_layer_fault_is_swallowed(text):
    """A layer or assembly fault becomes a warning so `extract` never raises: none may occur."""
    record = extract(text)
    assert not [w for w in record.warnings if "failed" in w], record.warnings


def test_a_worker_that_died_while_idle_is_replaced(monkeypatch):
    import os
    import signal
    import time

    import extractor.parallel as parallel

    spawned: list[int] = []
    real_init = parallel._Worker.__init__

    def remember(self, *args):
        real_init(self, *args)
        spawned.append(self.process.pid)

    monkeypatch.setattr(parallel._Worker, "__init__", remember)

    def pairs():
        yield "first text", "a"
        for pid in spawned:
            os.kill(pid, signal.SIGKILL)  # between two chunks: the worker holds nothing
        time.sleep(0.2)
        yield "second text", "b"

    results = list(parallel.pool_results(pairs(), n_process=1, chunk_size=1))
    assert [r.doc_id for r in results] == ["a", "b"] and len(spawned) == 2


@pytest.mark.parametrize("text, expected", [
    ("Acme will build a plant in Ohio, creating 300 jobs.", None),  # ASCII
    ("Société Générale bâtit une usine à Besançon — «grande» et “neuve”.", None),  # accents, quotes
    ("Plant in Łódź and Kraków, Poland; Ørsted’s Østerild site.", None),  # Latin Extended-A
    ("Acme Corp 宁德 plant in Ohio with twenty English words around it to outweigh the two.", None),
    ("宁德时代新能源科技股份有限公司宣布在贵州省贵阳市建设电池生产基地 in Guiyang",
     "text is mostly not in Latin script (22% of letters are Latin): the rules read English"),
    ("Компания построит завод аккумуляторов мощностью 10 ГВт·ч в Калуге",
     "text is mostly not in Latin script (0% of letters are Latin): the rules read English"),
])
def test_script_warning_counts_only_texts_with_letters_of_another_script(text, expected):
    from extractor import script_warning

    assert script_warning(text) == expected


def test_extract_many_in_one_process_goes_in_layer_batches_and_equals_extract():
    texts = [f"Unit{i} Corp. will build a {i + 5} GWh plant in Ohio for USD {i + 1} billion." for i in range(40)]
    texts[5], texts[33] = None, "x" * 20  # a bad item; one in the second batch
    batched = [r.model_dump() for r in extract_many(texts)]
    assert batched == [extract(t).model_dump() for t in texts]
    assert batched[5]["warnings"] == ["input is NoneType, not str"]


def test_a_document_whose_analysis_raises_gets_its_empty_record_and_the_batch_goes_on():
    from spacy.language import Language

    from extractor import _extract_batch
    from extractor.pipeline import build_pipeline

    @Language.component("test_boom_on_boom")
    def boom(doc):
        if "BOOM" in doc.text:
            raise RuntimeError("boom")
        return doc

    nlp = build_pipeline()
    nlp.add_pipe("test_boom_on_boom", after="quantities")
    good = "Acme Corp will build a 5 GWh plant in Ohio."
    records = _extract_batch(nlp, [(good, "a"), ("BOOM plant", "b"), (good, "c")])
    assert records[1].warnings == ["analysis failed: RuntimeError: boom"] and records[1].doc_id == "b"
    assert [r.capacity[0].value for r in (records[0], records[2])] == [5.0, 5.0]
    assert records[0].model_dump() == extract(good, doc_id="a").model_dump()


def test_layer_batches_keep_order_and_bound_documents_and_characters():
    from extractor import layer_batches

    pairs = [("a" * n, str(i)) for i, n in enumerate([5, 5, 5, 50, 1, 1, 1])]
    batches = list(layer_batches(pairs, max_docs=3, max_chars=20))
    assert [p for b in batches for p in b] == pairs
    assert [len(b) for b in batches] == [3, 1, 3]  # 50 characters: a batch of its own


def test_a_worker_chunk_gives_each_number_its_record_together_or_one_by_one():
    from extractor.parallel import _records

    chunk = [(7, "Acme Corp will build a 5 GWh plant in Ohio.", "a"), (8, None, 3), (9, "x", None)]
    together, alone = list(_records(chunk, True, ())), list(_records(chunk, False, ()))
    assert [n for n, _ in together] == [n for n, _ in alone] == [7, 8, 9]
    assert [r.model_dump() for _, r in together] == [r.model_dump() for _, r in alone]
    assert together[1][1].doc_id == "3" and together[0][1].capacity[0].value == 5.0


def test_a_worker_chunk_over_several_layer_batches_keeps_numbers_and_records_together(monkeypatch):
    import extractor
    from extractor.parallel import _records

    real = extractor.layer_batches
    monkeypatch.setattr(extractor, "layer_batches", lambda pairs: real(pairs, max_docs=2))
    chunk = [(n, f"Unit{n} Corp. will build a {n} GWh plant in Ohio.", f"d{n}") for n in range(10, 15)]
    found = list(_records(chunk, True, ()))
    assert [(n, r.doc_id, r.capacity[0].value) for n, r in found] == [(n, f"d{n}", float(n)) for n in range(10, 15)]
