"""A loaded pipeline pickles: spaCy sends it so to spawned processes (macOS, Windows)."""
import multiprocessing
import pickle

from extractor import load, record_of

TEXT = "Quuxcell Inc. will build a 5 GWh battery plant in Lyon, France, for $2 billion in 2027."


def _record_in_child(nlp, text: str) -> dict:
    return record_of(nlp(text)).model_dump()


def test_a_pickled_pipeline_gives_the_same_records():
    nlp = load()
    copy = pickle.loads(pickle.dumps(nlp))
    assert record_of(copy(TEXT)).model_dump() == record_of(nlp(TEXT)).model_dump()
    assert [q.value for q in record_of(copy(TEXT)).capacity] == [5.0]


def test_a_spawned_process_runs_the_pickled_pipeline():
    nlp = load()
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        in_child = pool.apply(_record_in_child, (nlp, TEXT))
    assert in_child == record_of(nlp(TEXT)).model_dump()
