"""LayerComponent: layers receive the user's rules typed, and the rules travel with the pipeline."""
from __future__ import annotations

import pytest
import spacy

from extractor.component import LayerComponent
from extractor.ruleset import CompanyRule, CueRule, RuleFileError, WireRule

COMPANY = {"id": "u-company", "name": "Quuxcell"}


def recording_component(rules) -> tuple[LayerComponent, list]:
    """A companies component whose builder notes the rules it was handed."""
    seen: list = []

    def build(nlp, typed):
        seen.append(list(typed))
        return lambda doc: doc

    return LayerComponent(spacy.blank("en"), "companies", "companies", "company", build, rules), seen


def test_the_builder_gets_typed_rules_from_dicts() -> None:
    _, seen = recording_component([COMPANY])
    (rule,) = seen[-1]
    assert isinstance(rule, CompanyRule) and rule.name == "Quuxcell"


def test_a_typed_rule_of_another_layer_is_refused() -> None:
    with pytest.raises(RuleFileError, match="not a companies rule"):
        recording_component([WireRule(id="w", name="Acme Wire", forms=["ACMEWIRE"])])
    with pytest.raises(RuleFileError, match="not a companies rule"):
        recording_component([CueRule(id="c", category="area", phrases=["plot of"])])


def test_rules_round_trip_through_bytes_and_disk(tmp_path) -> None:
    component, seen = recording_component([COMPANY])
    other, _ = recording_component([])
    other.from_bytes(component.to_bytes())
    assert other.rules == component.rules
    component.to_disk(tmp_path / "companies")
    fresh, fresh_seen = recording_component([])
    fresh.from_disk(tmp_path / "companies")
    assert fresh.rules == component.rules and fresh_seen[-1] == seen[-1]


def test_unchanged_rules_do_not_rebuild_the_layer() -> None:
    component, seen = recording_component([COMPANY])
    component.from_bytes(component.to_bytes())
    assert len(seen) == 1


def test_building_and_running_the_pipeline_patches_no_library() -> None:
    import srsly.msgpack as msgpack

    from extractor import extract

    getters = (msgpack.msgpack_encoders.get_all, msgpack.msgpack_decoders.get_all)
    extract("Quuxcell will build a 4 GWh plant in Lyon, France.")
    assert (msgpack.msgpack_encoders.get_all, msgpack.msgpack_decoders.get_all) == getters
    assert not any(hasattr(get_all, "cache_info") for get_all in getters)


def test_a_layer_failing_after_storing_mentions_leaves_none() -> None:
    from extractor.mentions import CompanyMention, mentions_of, set_mentions

    def build(nlp, rules):
        def analyse(doc):
            set_mentions(doc, CompanyMention, [CompanyMention(0, 1, 0, 8, "c", "Quuxcell")])
            raise RuntimeError("late fault")
        return analyse

    nlp = spacy.blank("en")
    component = LayerComponent(nlp, "companies", "companies", "company", build)
    doc = component(nlp.make_doc("Quuxcell grows."))
    assert mentions_of(doc, CompanyMention) == [] and list(doc.spans["company"]) == []
    assert any("companies layer failed" in w for w in doc._.warnings)
