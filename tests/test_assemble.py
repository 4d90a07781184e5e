"""Record assembly over hand-made docs: slots, scope, phases, milestones, status, project."""
from __future__ import annotations

from extractor.assembly.assemble import assemble

from .cue_helpers import date, make_doc, quantity, run_cues

SHA = "0" * 64


def record_of(doc):
    return assemble(run_cues(doc), doc_id="t", text_sha256=SHA)


def test_totals_fill_the_project_and_phase_figures_fill_their_phase():
    doc = make_doc("The Nordvik cell plant will cover 120 hectares and have an annual production "
                   "capacity of 40 GWh. It will be built in two phases. Phase 1, covering 50 hectares, "
                   "brings a capacity of 16 GWh.")
    quantity(doc, "120 hectares", 120, "ha")
    quantity(doc, "40 GWh", 40, "GWh")
    quantity(doc, "50 hectares", 50, "ha")
    quantity(doc, "16 GWh", 16, "GWh")
    rec = record_of(doc)
    assert rec.area.value == 120
    assert [c.value for c in rec.capacity] == [40]
    assert rec.capacity[0].per == "year"  # "annual production capacity" states the period
    assert [p.number for p in rec.phases] == [1, 2]
    first = rec.phases[0]
    assert first.area.value == 50 and [c.value for c in first.capacity] == [16]
    assert first.label == "Phase 1"


def test_a_lone_phase_figure_fills_the_project_slot_but_not_its_area():
    doc = make_doc("Once Phase I runs, it will create 900 jobs. Phase I occupies 30 hectares.")
    quantity(doc, "900 jobs", 900, "jobs")
    quantity(doc, "30 hectares", 30, "ha")
    rec = record_of(doc)
    assert rec.jobs.value == 900
    assert rec.area is None
    assert rec.phases[0].area.value == 30


def test_other_entities_figures_fill_nothing():
    doc = make_doc("The smelter sits in the Oakridge Industrial Park, spanning 14 square kilometers. "
                   "The industry's worldwide output reached 9 GW. The smelter will cost $80 million.")
    quantity(doc, "14 square kilometers", 14, "km2")
    quantity(doc, "9 GW", 9, "GW")
    quantity(doc, "$80 million", 80e6, "USD", money=True)
    rec = record_of(doc)
    assert rec.area is None
    assert rec.capacity == []
    assert rec.investment.amount == 80e6


def test_monthly_rates_are_not_capacity():
    doc = make_doc("The line has a capacity of 5,000 units per month.")
    quantity(doc, "5,000 units", 5000, "units")
    assert record_of(doc).capacity == []


def test_total_outranks_a_phase_named_nearby():
    doc = make_doc("It reaches 200 MW of annual capacity in Phase 1, rising to 900 MW at full buildout.")
    quantity(doc, "200 MW", 200, "MW")
    quantity(doc, "900 MW", 900, "MW")
    rec = record_of(doc)
    assert [c.value for c in rec.capacity] == [900]


def test_conflicting_investments_keep_one_and_warn():
    doc = make_doc("The refinery will cost $300 million. Later, the total investment of $350 million was cited.")
    quantity(doc, "$300 million", 300e6, "USD", money=True)
    quantity(doc, "$350 million", 350e6, "USD", money=True)
    rec = record_of(doc)
    assert rec.investment.amount in (300e6, 350e6)
    assert any(w.startswith("investment:") for w in rec.warnings)


def test_done_and_planned_milestones_with_their_dates():
    doc = make_doc("Construction started in March 2023 at the site. Output is expected to start in 2026.",
                   dateline_date="2024-05-02")
    date(doc, "March 2023", "2023-03")
    date(doc, "2026", "2026")
    rec = record_of(doc)
    kinds = {(m.kind, m.date, m.planned) for m in rec.milestones}
    assert ("construction_start", "2023-03", False) in kinds
    assert ("production_start", "2026", True) in kinds
    assert rec.project.status == "under_construction"


def test_relative_dates_need_the_documents_date():
    text = "Construction began last month on the new mill."
    undated = make_doc(text)
    date(undated, "last month", None, relative=True)
    assert [m.date for m in record_of(undated).milestones if m.kind == "construction_start"] == [None]
    dated = make_doc(text, dateline_date="2024-05-02")
    date(dated, "last month", "2024-04", relative=True)
    assert [m.date for m in record_of(dated).milestones if m.kind == "construction_start"] == ["2024-04"]


def test_status_by_wording():
    assert record_of(make_doc("Acme plans to build a resin plant in Ohio.")).project.status == "planned"
    assert record_of(make_doc("Acme will build a resin plant in Ohio.")).project.status == "announced"
    assert record_of(make_doc("Acme said on Monday it cancelled the resin plant.")).project.status == "cancelled"


def test_an_expected_construction_start_is_not_construction_under_way():
    lead = "Acme will build a resin plant in Ohio. It will cost 90 mln dlrs. The plant will employ 200. "
    filler = "Acme makes resins. Its sales rose. "
    body = "Two new roads in the county are under construction."
    ahead = record_of(make_doc(lead + "Construction is expected to start in 2025. " + filler + body))
    assert ahead.project.status == "announced"
    begun = record_of(make_doc(lead + "Construction started in March. " + filler + body))
    assert begun.project.status == "under_construction"


def test_present_state_beats_a_topping_out_ceremony():
    doc = make_doc("The roof of the plant was topped out in May. The base is still under construction.")
    rec = record_of(doc)
    assert any(m.kind == "topping_out" for m in rec.milestones)
    assert rec.project.status == "under_construction"


def test_project_name_type_and_products():
    doc = make_doc("Acme Ohio Battery Plant will make power batteries and energy storage batteries.")
    rec = record_of(doc)
    assert rec.project.name == "Acme Ohio Battery Plant"
    assert rec.project.type == "plant"
    assert rec.project.products[:2] == ["power batteries", "energy storage batteries"]
    ev = rec.project.evidence[0]
    assert doc.text[ev.start:ev.end] == ev.text


def test_an_empty_doc_gives_an_empty_record():
    rec = record_of(make_doc(""))
    assert rec.capacity == [] and rec.phases == [] and rec.project.status is None


def test_a_converted_amount_is_not_a_second_investment():
    doc = make_doc("The SEK 40 billion (about EUR 3.5 billion) cell plant will be built in two steps.")
    quantity(doc, "SEK 40 billion", 40e9, "SEK", money=True)
    quantity(doc, "EUR 3.5 billion", 3.5e9, "EUR", money=True)
    rec = record_of(doc)
    assert (rec.investment.amount, rec.investment.currency) == (40e9, "SEK")
    assert not any(w.startswith("investment:") for w in rec.warnings)


def test_a_date_beyond_a_semicolon_does_not_date_the_event():
    doc = make_doc("Financing of the plant was due by mid-2025; construction had not started.", dateline_date="2025-03-01")
    date(doc, "mid-2025", "2025-07")
    starts = [m for m in record_of(doc).milestones if m.kind == "construction_start"]
    assert starts and starts[0].date is None and starts[0].planned


def test_headline_verbs_are_not_part_of_a_name():
    rec = record_of(make_doc("Nordwerk Says Kiel Cell Plant Will Open In Spring"))
    assert rec.project.name == "Kiel Cell Plant"


def test_bare_dollars_in_another_dollar_country_fill_no_money_slot(monkeypatch):
    import extractor.assembly.assemble as A
    from extractor.models import Site

    doc = make_doc("The smelter will cost $90 million.")
    quantity(doc, "$90 million", 90e6, "USD", money=True, bare=True)
    monkeypatch.setattr(A, "resolve_site", lambda d, **_: Site(country_code="CA"))
    rec = record_of(doc)
    assert rec.investment is None and any("names no currency" in w for w in rec.warnings)
    monkeypatch.setattr(A, "resolve_site", lambda d, **_: Site(country_code="KR"))
    assert record_of(doc).investment.amount == 90e6


def test_a_zone_that_only_locates_the_plant_does_not_take_its_figures():
    doc = make_doc("The mill at the Eastport Industrial Zone will have a capacity of 2 million tonnes a year. "
                   "The Eastport Industrial Zone, which covers 900 hectares, hosts it.")
    quantity(doc, "2 million tonnes", 2e6, "t", per="year")
    quantity(doc, "900 hectares", 900, "ha")
    rec = record_of(doc)
    assert [c.value for c in rec.capacity] == [2e6]
    assert rec.area is None


def test_a_headline_figure_restated_in_the_body_takes_the_body_list():
    doc = make_doc("Acme Starts 90,000-Car Plant\n\nThe plant will turn out 90,000 cars a year and "
                   "battery packs with an annual capacity of 6 GWh.")
    quantity(doc, "90,000-Car", 90000, "units")
    quantity(doc, "90,000 cars", 90000, "units", per="year")
    quantity(doc, "6 GWh", 6, "GWh")
    rec = record_of(doc)
    assert sorted((c.unit, c.value, c.per) for c in rec.capacity) == [("GWh", 6.0, "year"), ("units", 90000.0, "year")]


def test_an_undated_retelling_of_a_dated_milestone_is_dropped():
    doc = make_doc("Borealis Chemicals Tops Out Resin Plant\n\nThe resin plant was topped out on March 4, 2025. "
                   "Construction started in 2023. Output is expected to start in 2026.",
                   dateline_date="2025-03-05")
    date(doc, "March 4, 2025", "2025-03-04")
    date(doc, "2023", "2023")
    date(doc, "2026", "2026")
    rec = record_of(doc)
    tops = [(m.date, m.planned) for m in rec.milestones if m.kind == "topping_out"]
    assert tops == [("2025-03-04", False)]
    starts = [m.evidence.start for m in rec.milestones]
    assert starts == sorted(starts)  # still in text order


def test_a_done_and_a_planned_event_of_one_kind_both_stay():
    doc = make_doc("Trial output started at the first line. Full production is expected to start in 2027.",
                   dateline_date="2025-06-01")
    date(doc, "2027", "2027")
    rec = record_of(doc)
    starts = {(m.date, m.planned) for m in rec.milestones if m.kind == "production_start"}
    assert (None, False) in starts and ("2027", True) in starts


def test_a_park_the_plant_stands_in_is_not_its_name():
    doc = make_doc("Acme will build a polysilicon plant in the Eastport Waterfront Industrial Park. "
                   "Eastport Waterfront Industrial Park covers 900 hectares.")
    rec = record_of(doc)
    assert rec.project.name is None
    assert rec.project.type == "plant"
    only_park = record_of(make_doc("Acme will build a resin project in the Eastport Industrial Park."))
    assert only_park.project.name is None and only_park.project.type is None


def test_a_park_that_is_the_project_keeps_its_name():
    rec = record_of(make_doc("Construction of the Eastport Industrial Park began this spring."))
    assert rec.project.name == "Eastport Industrial Park"
    assert rec.project.type == "industrial park"


def test_a_headline_verb_is_not_part_of_a_name():
    rec = record_of(make_doc("Borealis Chemicals Tops Out Specialty Resin Plant in Kiel"))
    assert rec.project.name == "Specialty Resin Plant"


def test_names_built_from_place_and_type_words_stay():
    assert record_of(make_doc("Work on the Nordwerk Kiel Power Battery Manufacturing Base began.")).project.name \
        == "Nordwerk Kiel Power Battery Manufacturing Base"
    assert record_of(make_doc("Output at Gigafactory Ohio rose.")).project.name == "Gigafactory Ohio"


def test_a_price_per_unit_is_never_the_projects_money():
    doc = make_doc("The mill will cost 250 million dollars. Minimills cut the cost of a ton of steel "
                   "by about 90 dollars, and scrap sells at 120 dollars a ton.")
    quantity(doc, "250 million dollars", 250e6, "USD", money=True)
    quantity(doc, "90 dollars", 90, "USD", money=True)
    quantity(doc, "120 dollars", 120, "USD", money=True)
    rec = record_of(doc)
    assert rec.investment.amount == 250e6
    assert not any(w.startswith("investment:") for w in rec.warnings)
