"""Every layer guarded: a fault in one gives a warning naming it and a record from the rest."""
from __future__ import annotations

import pytest

from extractor import extract

TEXT = (
    "Zephyr Cells Inc. breaks ground on battery plant in Ohio\n\n"
    "COLUMBUS, Ohio, March 3, 2025 /PRNewswire/ -- Zephyr Cells Inc. will build a 20 GWh battery "
    "plant in Lorain, Ohio, investing $1.5 billion and creating 1,200 jobs. Construction will start "
    "in June 2025.\n"
)

# layer -> (module, a function the layer calls on every document)
LAYERS = {
    "dateline": ("extractor.layers.dateline", "analyse_head"),
    "quantities": ("extractor.layers.quantities", "find_mentions"),
    "dates": ("extractor.layers.dates", "find_dates"),
    "places": ("extractor.layers.places", "find_places"),
    "companies": ("extractor.layers.companies", "analyse"),
    "cues": ("extractor.layers.cues", "find_cues"),
}


def facts(record) -> dict[str, bool]:
    """Which parts of the record were filled."""
    return {
        "dateline": record.dateline is not None,
        "quantities": bool(record.capacity),
        "dates": any(m.date for m in record.milestones),
        "places": record.site is not None and record.site.city is not None,
        "companies": bool(record.companies),
        "cues": bool(record.milestones),
    }


def test_the_text_fills_every_part_when_nothing_fails() -> None:
    record = extract(TEXT)
    assert all(facts(record).values()) and not record.warnings


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_failing_layer_leaves_a_warning_and_the_rest_of_the_record(monkeypatch, layer) -> None:
    module, function = LAYERS[layer]

    def broken(*args, **kwargs):
        raise RuntimeError("made to fail")

    monkeypatch.setattr(f"{module}.{function}", broken)
    record = extract(TEXT, doc_id="broken")
    assert f"{layer} layer failed: RuntimeError: made to fail" in record.warnings
    filled = facts(record)
    assert record.doc_id == "broken" and record.companies or layer == "companies"
    others = {name for name in LAYERS if name not in (layer, "cues", "dates")}  # cues and dates need others
    assert all(filled[name] for name in others if not (layer == "places" and name == "dateline")), filled
