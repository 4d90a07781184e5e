"""units.py: contract symbols, pint definitions and conversions."""
from __future__ import annotations

import pytest

from extractor.models import PHYSICAL_UNITS
from extractor.layers.units import BASE_UNITS, PINT_NAMES, convert, dimension, factor, to_base, unit_rules


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (1, "km2", "ha", 100.0),
        (15, "mu", "ha", 1.0),
        (1, "acre", "ha", 0.40468564224),
        (10_000, "m2", "ha", 1.0),
        (1, "sqft", "m2", 0.09290304),
        (1, "GWh", "MWh", 1000.0),
        (2.5, "GW", "MW", 2500.0),
        (3, "Mt", "t", 3e6),
        (1, "kt", "t", 1000.0),
        (1, "bbl", "l", 158.987294928),
        (1, "gal", "l", 3.785411784),
        (2, "year", "month", 24.0),
    ],
)
def test_convert(value: float, source: str, target: str, expected: float) -> None:
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-6)


def test_mu_is_defined_as_one_fifteenth_hectare() -> None:
    assert factor("mu", "m2") == pytest.approx(666.6667)


def test_to_base_groups_by_dimension() -> None:
    assert to_base(2.0, "km2") == (pytest.approx(200.0), "ha")
    assert to_base(60.0, "GWh") == (pytest.approx(6e10), "Wh")
    assert to_base(4.0, "MW") == (pytest.approx(4e6), "W")
    assert to_base(5.0, "jobs") is None
    assert to_base(5.0, "USD") is None


def test_incomparable_units_raise_a_value_error() -> None:
    with pytest.raises(ValueError):
        factor("GWh", "ha")
    with pytest.raises(ValueError):
        factor("USD", "EUR")


def test_every_lexicon_unit_is_a_contract_symbol() -> None:
    for rule in unit_rules():
        assert rule["unit"] in PHYSICAL_UNITS, rule["id"]
        if rule["kind"] in BASE_UNITS:
            assert rule["unit"] in PINT_NAMES
            assert dimension(rule["unit"]) == rule["kind"]


def test_rule_ids_are_unique() -> None:
    ids = [rule["id"] for rule in unit_rules()]
    assert len(ids) == len(set(ids))
