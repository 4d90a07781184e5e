"""Units: the contract's symbols, their pint definitions, and conversions between them.

The quantities layer keeps a unit as the text states it ("14 GWh" stays GWh); users compare
amounts across units ("95.7 hectares" against "1,436 mu") through `convert` and `to_base`,
which ask pint rather than a hand-kept factor table. pint's registry is built once per process,
and pint imported only then: most documents never convert, and importing it (with the dask it
probes for) cost a quarter of the start-up.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

from extractor.ruleset import packaged_rules

if TYPE_CHECKING:
    import pint

# contract symbol -> pint expression; the Chinese mu and the international acre are defined below
PINT_NAMES: dict[str, str] = {
    "m2": "m**2", "ha": "hectare", "km2": "km**2", "acre": "intl_acre", "sqft": "ft**2", "mu": "mu",
    "Wh": "Wh", "kWh": "kWh", "MWh": "MWh", "GWh": "GWh", "TWh": "TWh",
    "W": "W", "kW": "kW", "MW": "MW", "GW": "GW",
    "kg": "kg", "t": "metric_ton", "kt": "kilometric_ton", "Mt": "megametric_ton",
    "l": "liter", "m3": "m**3", "bbl": "oil_barrel", "gal": "gallon",
    "year": "year", "month": "month", "day": "day",
}

# dimension -> the symbol amounts of that dimension are compared in
BASE_UNITS: dict[str, str] = {
    "area": "ha", "energy": "Wh", "power": "W", "mass": "t", "volume": "m3", "duration": "day",
}


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """pint's registry with the units press releases use and pint lacks.

    One mu is 1/15 hectare (666.6667 m²); the acre of land deals is the international acre,
    not pint's US survey acre (they differ by two parts per million).
    """
    import pint  # here, not at import: see the module's docstring

    ureg: pint.UnitRegistry = pint.UnitRegistry()
    ureg.define("mu = 666.6667 * meter ** 2")
    ureg.define("intl_acre = 4046.8564224 * meter ** 2")
    return ureg


@lru_cache(maxsize=None)
def unit_rules() -> tuple[dict[str, Any], ...]:
    """The unit lexicon of `rules/units.jsonl`, checked once per process."""
    return packaged_rules("units.jsonl")


@lru_cache(maxsize=None)
def dimension(symbol: str) -> Optional[str]:
    """The dimension of a contract symbol ('GWh' -> 'energy'), None for counts, jobs, % and money."""
    for rule in unit_rules():
        if rule["unit"] == symbol and rule["kind"] in BASE_UNITS:
            return rule["kind"]
    return None


@lru_cache(maxsize=None)
def factor(from_symbol: str, to_symbol: str) -> float:
    """How many `to_symbol` one `from_symbol` is, asked of pint once per pair.

    Raises ValueError for symbols pint cannot compare (money, jobs, or two dimensions).
    >>> factor('km2', 'ha')
    100.0
    """
    import pint  # first needed here (see the module's docstring)

    try:
        ureg = registry()
        return float(ureg.Quantity(1.0, PINT_NAMES[from_symbol]).to(PINT_NAMES[to_symbol]).magnitude)
    except (KeyError, pint.errors.PintError) as exc:
        raise ValueError(f"cannot convert {from_symbol!r} to {to_symbol!r}: {exc}") from None


def convert(value: float, from_symbol: str, to_symbol: str) -> float:
    """`value` in `from_symbol` expressed in `to_symbol`.

    >>> round(convert(1436, 'mu', 'ha'), 1), convert(3, 'GWh', 'GWh')
    (95.7, 3.0)
    """
    if from_symbol == to_symbol:
        return float(value)
    return float(value) * factor(from_symbol, to_symbol)


def to_base(value: float, symbol: str) -> Optional[tuple[float, str]]:
    """`value` in its dimension's base unit (area in ha, energy in Wh, ...), else None.

    Lets users compare '60 GWh' with '60,000 MWh'.

    >>> to_base(2.0, 'km2'), to_base(60, 'GWh') == to_base(60_000, 'MWh'), to_base(500, 'jobs')
    ((200.0, 'ha'), True, None)
    """
    kind = dimension(symbol)
    if kind is None:
        return None
    base = BASE_UNITS[kind]
    return convert(value, symbol, base), base
