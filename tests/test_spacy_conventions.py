"""The pipeline is a plain spaCy Language: load(), entry points, to_disk / spacy.load, doc._.record."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import extractor
from extractor import extract
from extractor.ruleset import RuleFileError

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TEXTS = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))[:12]]
FACTORIES = {"extractor_dateline", "extractor_quantities", "extractor_dates", "extractor_places",
             "extractor_companies", "extractor_cues"}
USER_RULES = (
    '{"id": "my-town", "layer": "places", "text": "Zorbaville", "kind": "city", "country_code": "US", "region": "Ohio"}\n'
    '{"id": "my-company", "layer": "companies", "name": "Quuxcell"}\n'
)
STORY = "Quuxcell will build a 12 GWh battery plant in Zorbaville, investing $400 million."


def as_json(record) -> str:
    return json.dumps(record.model_dump(mode="json"), sort_keys=True)


def run_python(code: str) -> str:
    """Output of `code` in a fresh interpreter: nothing of ours imported beforehand."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_load_gives_a_spacy_language_whose_docs_hold_their_record() -> None:
    nlp = extractor.load()
    assert isinstance(nlp, Language)
    assert nlp.pipe_names == ["dateline", "quantities", "dates", "places", "companies", "cues"]
    for text in TEXTS[:4]:
        assert as_json(nlp(text)._.record) == as_json(extract(text))


def test_factories_are_registered_through_entry_points() -> None:
    assert FACTORIES <= {point.name for point in entry_points(group="spacy_factories")}
    assert "extractor.Tokenizer.v1" in {point.name for point in entry_points(group="spacy_tokenizers")}
    out = run_python("import spacy\nnlp = spacy.blank('en')\nnlp.add_pipe('extractor_quantities')\n"
                     "doc = nlp('A 20 GWh plant.')\nprint([(s.text, s.label_) for s in doc.spans['quantity']])\n"
                     "from extractor.mentions import QuantityMention, mentions_of\n"
                     "print([(m.value, m.unit) for m in mentions_of(doc, QuantityMention)])")
    assert out.split() == ["[('20", "GWh',", "'QUANTITY')]", "[(20.0,", "'GWh')]"]


def test_a_saved_pipeline_loads_with_spacy_and_gives_the_same_records(tmp_path) -> None:
    extractor.load().to_disk(tmp_path / "pipeline")
    (tmp_path / "texts.json").write_text(json.dumps(TEXTS), encoding="utf-8")
    out = run_python(
        "import json, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipeline')!r})\n"
        f"texts = json.load(open({str(tmp_path / 'texts.json')!r}, encoding='utf-8'))\n"
        "for doc in nlp.pipe(texts):\n"
        "    print(json.dumps(doc._.record.model_dump(mode='json'), sort_keys=True))\n"
    )
    assert out.splitlines() == [as_json(extract(text)) for text in TEXTS]


def test_a_saved_pipeline_keeps_the_users_rules(tmp_path) -> None:
    rules = tmp_path / "mine.jsonl"
    rules.write_text(USER_RULES, encoding="utf-8")
    expected = as_json(extract(STORY, rules=[rules]))
    assert "Zorbaville" in expected and "Quuxcell" in expected
    extractor.load([rules]).to_disk(tmp_path / "pipeline")
    rules.unlink()  # the saved pipeline needs the file no more
    assert (tmp_path / "pipeline" / "places" / "rules.jsonl").read_text(encoding="utf-8").count("Zorbaville") == 1
    out = run_python(f"import json, spacy\nnlp = spacy.load({str(tmp_path / 'pipeline')!r})\n"
                     f"print(json.dumps(nlp({STORY!r})._.record.model_dump(mode='json'), sort_keys=True))")
    assert out.strip() == expected


def test_a_bad_rule_saved_with_a_pipeline_fails_loudly_on_load(tmp_path) -> None:
    extractor.load().to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline" / "companies" / "rules.jsonl"
    saved.write_text('{"id": "c", "layer": "companies", "nmae": "Quuxcell"}\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"companies/rules\.jsonl:1: rule 'c': key 'nmae'"):
        spacy.load(tmp_path / "pipeline")


def test_docs_shipped_between_processes_by_spacy_keep_their_mentions_and_records() -> None:
    """`nlp.pipe(n_process=2)` sends each Doc back with `Doc.to_bytes`: the typed mentions
    travel as plain tuples and come back typed, so the records equal `extract`'s."""
    from extractor.mentions import PlaceMention, QuantityMention, mentions_of

    nlp = extractor.load()
    docs = list(nlp.pipe(TEXTS[:4], n_process=2, batch_size=1))
    assert [as_json(doc._.record) for doc in docs] == [as_json(extract(text)) for text in TEXTS[:4]]
    places = mentions_of(docs[0], PlaceMention)
    assert places and all(isinstance(m, PlaceMention) for m in places)
    assert all(isinstance(m, QuantityMention) for doc in docs for m in mentions_of(doc, QuantityMention))
