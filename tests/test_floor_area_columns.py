"""The floor area in the flat outputs: `floor_area_m2` in the CSV row and the SQLite `documents` row.

Square metres whatever the text used, so that a column of floor areas sorts and sums across
documents (the record keeps the value and unit as written).
"""
from __future__ import annotations

import math

from extractor import extract, text_sha256
from extractor.batch.cli import CSV_COLUMNS, csv_row
from extractor.batch.store import document_row, floor_area_square_metres
from extractor.models import Evidence, Quantity

TEXT = "Harrowgate Tools will open a 20,000-square-foot factory on a 9-acre lot in Kearny, Nebraska."


def test_square_feet_and_metres_become_square_metres() -> None:
    ev = Evidence(start=0, end=1, text="H")
    assert math.isclose(floor_area_square_metres(Quantity(value=10000, unit="sqft", evidence=ev)), 929.0304)
    assert floor_area_square_metres(Quantity(value=5000, unit="m2", evidence=ev)) == 5000
    assert floor_area_square_metres(None) is None


def test_both_rows_carry_the_floor_area_beside_the_site_area() -> None:
    record = extract(TEXT, doc_id="harrowgate")
    assert record.floor_area.unit == "sqft" and record.area.unit == "acre"
    assert "floor_area_m2" in CSV_COLUMNS
    assert math.isclose(csv_row(record)["floor_area_m2"], 20000 * 0.09290304)
    row = document_row(record, "harrowgate.txt", TEXT)
    assert math.isclose(row["floor_area_m2"], 20000 * 0.09290304)
    assert math.isclose(row["area_ha"], 9 * 0.40468564224)
    assert row["text_sha256"] == text_sha256(TEXT)
