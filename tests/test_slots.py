"""slots.py: which figure is the project's, over whole invented releases (`extract`).

Every wording here is made up for the test; none is taken from an evaluation document.
"""
from __future__ import annotations

import pytest

from extractor import extract
from extractor.assembly.slots import WEIGHTS, SlotWeights


def test_the_weights_are_one_frozen_named_table() -> None:
    assert isinstance(WEIGHTS, SlotWeights)
    with pytest.raises(AttributeError):
        WEIGHTS.cue = 1.0  # type: ignore[misc]
    # a figure cued within ten tokens outranks any uncued default, even one in the lead
    weakest_cued = WEIGHTS.cue - WEIGHTS.cue_gap_penalty * 10 - WEIGHTS.initial_penalty
    assert weakest_cued > max(WEIGHTS.jobs_default, WEIGHTS.land_default, WEIGHTS.rated_default) + WEIGHTS.lead_bonus


@pytest.mark.parametrize("text, floor, area", [
    ("Quarrow Motors will build a 48,000-square-foot plant on 6 acres in Dunmore, Ohio.",
     (48000, "sqft"), (6, "acre")),
    ("The Teskel campus occupies a site of 250,000 m2 and offers a combined floor area of "
     "180,000 m2 for cell assembly.", (180000, "m2"), (250000, "m2")),
    ("Brenlow Foods opened a 210,000 square foot facility in Marlin County on Tuesday.",
     (210000, "sqft"), None),
    ("The new hall adds 60,000 square metres of floor space to the Ostrava works.",
     (60000, "m2"), None),
    ("Vantor chose a 120-acre site for a 1.2 million sq ft gigafactory.",
     (1.2e6, "sqft"), (120, "acre")),
    ("Construction area: 95,000 square meters. Land: approx. 900 mu.", (95000, "m2"), (900, "mu")),
])
def test_a_buildings_floor_space_is_never_the_sites_area(text, floor, area) -> None:
    rec = extract(text)
    got_floor = (rec.floor_area.value, rec.floor_area.unit) if rec.floor_area else None
    got_area = (rec.area.value, rec.area.unit) if rec.area else None
    assert got_floor == floor
    assert got_area == area
