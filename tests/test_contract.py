"""The contract every user relies on: grounded evidence, a valid record for any str, a current schema."""
from __future__ import annotations

import json

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
