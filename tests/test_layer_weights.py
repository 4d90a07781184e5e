"""A layer's scorer weights reach it as a value: `build_pipeline(weights=...)`, saved in the
component's config, never a module default changed at run time."""
from __future__ import annotations

import pytest
import spacy

from extractor.layers.companies import DEFAULT_DEVELOPER_WEIGHTS, DeveloperWeights
from extractor.layers.places import DEFAULT_READING_WEIGHTS, ReadingWeights
from extractor.mentions import CompanyMention, PlaceMention, mentions_of
from extractor.pipeline import build_pipeline, get_pipeline

# an invented story: a listed maker named once, an unsuffixed one that speaks twice
TWO_MAKERS = "Brantorix Ltd. and Quillfen announced a plant. Quillfen said the plant opens in 2027."
# an invented story naming Texas and a Paris: the Texas town unless the named region counts for nothing
PARIS_STORY = "Texas officials welcomed the news. Acme Corp. will build a warehouse in Paris next year."


def developer(nlp, text: str) -> set[str | None]:
    return {m.name for m in mentions_of(nlp(text), CompanyMention) if m.role == "developer"}


def reading(nlp, text: str, name: str) -> tuple[str | None, str | None]:
    doc = nlp(text)
    return next((m.country_code, m.region) for m in mentions_of(doc, PlaceMention)
                if doc.text[m.start_char:m.end_char] == name)


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline()


def test_a_changed_developer_weight_changes_the_developer(nlp) -> None:
    assert developer(nlp, TWO_MAKERS) == {"Quillfen"}  # the subject of 'said', named twice
    heavier_form = build_pipeline(weights={"companies": DeveloperWeights(legal_form=3.0)})
    assert developer(heavier_form, TWO_MAKERS) == {"Brantorix Ltd."}
    no_subject = build_pipeline(weights={"companies": {"subject": 0.0}})  # a dict of fields works too
    assert developer(no_subject, TWO_MAKERS) == {"Brantorix Ltd."}


def test_a_changed_reading_weight_changes_the_reading(nlp) -> None:
    assert reading(nlp, PARIS_STORY, "Paris") == ("US", "Texas")
    region_blind = build_pipeline(weights={"places": ReadingWeights(in_named_region=0.0)})
    assert reading(region_blind, PARIS_STORY, "Paris")[0] == "FR"
    assert reading(nlp, PARIS_STORY, "Paris") == ("US", "Texas")  # the default pipeline is untouched


def test_weights_live_in_the_components_config_and_survive_saving(tmp_path) -> None:
    built = build_pipeline(weights={"places": ReadingWeights(in_named_region=0.0)})
    assert built.config["components"]["places"]["weights"]["in_named_region"] == 0.0
    assert get_pipeline().config["components"]["places"]["weights"] == {}  # {}: the defaults
    built.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert reading(loaded, PARIS_STORY, "Paris")[0] == "FR"
    assert DEFAULT_READING_WEIGHTS == ReadingWeights() and DEFAULT_DEVELOPER_WEIGHTS == DeveloperWeights()


def test_an_unknown_weight_is_refused() -> None:
    with pytest.raises(Exception, match="tickr"):
        build_pipeline(weights={"companies": {"tickr": 2.0}})
