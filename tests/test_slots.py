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


def capacities(text: str) -> list[tuple[float, str, str | None]]:
    return [(c.value, c.unit, c.per) for c in extract(text).capacity]


def investment(text: str) -> float | None:
    rec = extract(text)
    return rec.investment.amount if rec.investment else None


def jobs(text: str) -> float | None:
    rec = extract(text)
    return rec.jobs.value if rec.jobs else None


@pytest.mark.parametrize("text, expected", [
    # a staged plan: the final total is the project's, the first stage a phase's
    ("Pellago Recycling will open a plant with the capacity to process 4,000 tonnes a year. "
     "After the first phase, Pellago plans to scale up production at the site to 12,000 tonnes per year.",
     [(12000, "t", "year")]),
    ("The Kestrel cell plant starts with an initial 6 GWh a year, rising to 10 GWh a year by 2030.",
     [(10, "GWh", "year")]),
    ("Tarvo's line will produce 2,000 tonnes a year at first and eventually 9,000 tonnes a year.",
     [(9000, "t", "year")]),
])
def test_a_staged_plan_reports_its_final_figure(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    # what the plant takes in yields to what it puts out
    ("Berrow County signed with Ashfield Energy for a plant designed to process 300,000 tons per year "
     "of municipal waste. Ashfield said the plant will produce about 25 megawatts of electricity.",
     [(25, "MW", None)]),
    ("The Orlen mill will treat 2 million tonnes of ore a year to produce 40,000 tonnes of copper a year.",
     [(40000, "t", "year")]),
    # with no output stated, the input is the capacity
    ("Corvin Metals will build a battery recycling plant able to process 20,000 tonnes a year.",
     [(20000, "t", "year")]),
])
def test_output_outranks_input(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Helmsdale Solar has begun work on its 3.1 MW community solar farm in Bramble, Vermont. "
     "The farm is expected to generate 4,100 MWh of electricity annually.",
     [(3.1, "MW", None), (4100, "MWh", "year")]),
    ("Once complete, the array should produce roughly 9,800 MWh per year. Orrin Power said the "
     "array's rating is 6.5 MW.",
     [(6.5, "MW", None), (9800, "MWh", "year")]),
])
def test_a_power_plants_yearly_generation_is_a_second_capacity(text, expected) -> None:
    assert sorted(capacities(text)) == sorted(expected)


@pytest.mark.parametrize("text", [
    "Quillon Solar leases a site for its 6.9 MW community solar project in Cobb County, Georgia.",
    "Quillon Solar has executed a lease agreement for its 6.9 MW solar project near Dalton.",
])
def test_a_leased_site_keeps_its_capacity(text) -> None:
    assert capacities(text) == [(6.9, "MW", None)]


@pytest.mark.parametrize("text, expected", [
    ("Marten Renewables will build a 5 MW solar farm in Ulster County. Marten has a track record of "
     "over 300 MW of completed projects and a 2 GW development pipeline.", [(5, "MW", None)]),
    ("Fenwick Wind will build a 40 MW wind farm, helping the state meet its 8 GW wind capacity goal.",
     [(40, "MW", None)]),
    ("The 20 MW biogas plant is expected to reduce carbon dioxide emissions by 50,000 tonnes per year.",
     [(20, "MW", None)]),
])
def test_another_scope_fills_no_capacity(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The three projects will generate a combined 9.6 MW of solar power.", [(9.6, "MW", None)]),
    ("Both plants will produce a combined 400,000 tonnes of pellets a year.", [(400000, "t", "year")]),
])
def test_the_releases_own_projects_are_not_other_projects(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a zone that only says where the project is
    ("Located within a designated free-trade zone, the $80 million graphite plant will start in 2026.", 80e6),
    ("The plant, located in the Hanlin Development Zone, will cost 3 billion yuan.", 3e9),
    ("The works sits in the Lanmo Free Trade Zone, and total investment came to 2 billion yuan.", 2e9),
])
def test_a_zones_name_is_not_the_zones_figure(text, expected) -> None:
    assert investment(text) == expected


def test_a_zones_own_figure_stays_the_zones() -> None:
    assert investment("The Hanlin Development Zone, which has drawn 40 billion yuan of investment, "
                      "welcomed the new plant.") is None


@pytest.mark.parametrize("text, expected", [
    ("Over the past six years the group has invested more than $1.4 billion in these facilities. "
     "Ardmore has spent $900 million on its new engine plant.", 900e6),
    ("Vossen has invested $25 billion in the last 10 years alone. It will spend $300 million on a "
     "new blade factory in Keokuk.", 300e6),
    ("The site saw investments totaling $2.9 billion into a 3-million-square-foot facility.", 2.9e9),
])
def test_money_of_another_period_or_of_several_plants_is_not_the_projects(text, expected) -> None:
    assert investment(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The plant will create 6,000 construction jobs and another 2,500 permanent jobs, a sign of growth.", 2500),
    ("Wexford Engines, employing 1,800 associates, builds engines in Lima.", 1800),
    ("The new line is expected to support about 120 full-time jobs.", 120),
])
def test_the_projects_own_workforce(text, expected) -> None:
    assert jobs(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Norvane will build a data center campus in Ohio with an IT load of 120 MW.", [(120, "MW", None)]),
    ("The Halden campus will offer 96 MW of critical IT load across four halls.", [(96, "MW", None)]),
])
def test_a_data_centres_it_load_is_its_capacity(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Dunlin Mining will build a gold mine with a leach plant. The mine is expected to produce about "
     "70,000 ounces of gold in its first year. Annual ore capacity will be about 900,000 tonnes.",
     [(900000, "t", "year")]),
    ("The tie-up would double output at the Corby works to around 40,000 vans a year.",
     [(40000, "units", "year")]),
])
def test_a_measure_is_no_count_and_a_noun_before_a_period_is(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text", [
    "Governor Hale hailed 12 new projects this year that will create 5,000 jobs in total.",
    "The region's 40 factories employ a combined 9,000 people.",
])
def test_a_total_over_several_other_projects_is_theirs(text) -> None:
    assert jobs(text) is None


def test_a_yearly_tax_beside_an_output_value_is_the_tax() -> None:
    rec = extract("Once running, the Hexi plant is expected to generate RMB8 billion in output value "
                  "and RMB600 million in tax every year.")
    assert rec.annual_output_value.amount == 8e9
    assert rec.annual_tax.amount == 6e8 and rec.annual_tax.currency == "CNY"


@pytest.mark.parametrize("text", [
    "The new line will be highly flexible, and about 90% of the production steps will be automated.",
    "Rovik said its plant will reach an automation rate of 90 percent.",
    "Rovik opened a new body plant in Lodz, where some 90 percent of the welding is automated.",
])
def test_the_share_of_automated_work_is_the_automation_rate(text) -> None:
    rec = extract(text)
    assert rec.automation_rate is not None and rec.automation_rate.value == 90 and rec.automation_rate.unit == "%"


@pytest.mark.parametrize("text, expected", [
    ("Norvale will add a second mill in Tacoma, increasing its total investment in Washington to "
     "$3.5 billion and creating 900 jobs.", 3.5e9),
    ("The expansion brings its total investment in the Gdansk plant to EUR 1.2 billion.", 1.2e9),
    ("With the new hall, Kestrel Batteries is raising its total investment in Ontario to "
     "C$4 billion.", 4e9),
])
def test_raising_its_own_total_investment_is_the_projects_total(text, expected) -> None:
    # "its total" alone names a wider owner; inside "increasing its total investment ... to" it
    # is the project's own growing total
    assert investment(text) == expected


def test_its_total_alone_stays_another_scope() -> None:
    assert investment("Its total investment worldwide exceeds $40 billion. The new Leeds depot "
                      "will cost $120 million.") == 120e6


@pytest.mark.parametrize("text, expected", [
    ("Orlen Cables announced a $2 billion investment in European power networks, including a "
     "$310 million investment in a new cable plant in Gdynia.", 310e6),
    ("Brava Unveils $3B Investment in Grid Supply\n\nBrava announced a $3 billion investment in grid "
     "equipment, including an $800 million investment in a new switchgear factory in Tulsa.", 800e6),
    ("Tamsin Foods pledged $900 million for rural supply chains, including a [$120 million\n"
     "investment](https://news.example.org/tamsin) in a new dairy plant near Boise.", 120e6),
])
def test_a_sum_including_the_plants_own_part_is_a_wider_envelope(text, expected) -> None:
    assert investment(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kelso will spend $500 million on a new mill, including $50 million for worker training.", 500e6),
    ("Dunmore will invest $400 million in a new plant, including a $40 million warehouse.", 400e6),
])
def test_a_part_without_its_own_plant_leaves_the_sum_the_projects(text, expected) -> None:
    assert investment(text) == expected


# --- the shortcuts of `classify` give what the plain computation gives (issue 14) ---

SPLIT_WORDINGS = [
    ("The plant will have an initial annual capacity of 12 GWh in total.", "12 GWh", 12, "GWh", False),
    ("Phase I, covering 59 hectares, is not yet built; the park spans 900 ha.", "59 hectares", 59, "ha", False),
    ("Phase 2 will add a total investment of $40 million for the mill.", "$40 million", 4e7, "USD", True),
    ("The group's other plants make 30 GWh a year; the new battery plant adds 8 GWh.", "30 GWh", 30, "GWh", False),
]


@pytest.mark.parametrize("text, phrase, value, unit, money", SPLIT_WORDINGS)
def test_one_pass_split_of_a_figures_cues_equals_a_query_per_group(text, phrase, value, unit, money) -> None:
    from extractor.assembly.context import Context, only
    from extractor.assembly.slots import INITIAL, SCOPE_CATEGORIES, cue_query, slots_for, split_hits
    from extractor.layers.cues import COMPOUND

    from .cue_helpers import make_doc, quantity, run_cues

    doc = make_doc(text)
    span = quantity(doc, phrase, value, unit, money=money)
    ctx = Context(run_cues(doc))
    allowed = slots_for(unit, money)
    everything = ctx.covering(span.start, span.end, span.start_char, cue_query(allowed))
    assert everything, "the wordings are chosen so that cues cover the figure"
    slot_hits, scope_hits, initial = split_hits(everything)
    assert slot_hits == only(everything, allowed + (COMPOUND,))
    assert scope_hits == only(everything, SCOPE_CATEGORIES)
    assert initial == bool(only(everything, INITIAL))


def plain_priced_per_unit(mention, view, parsed_sentences: bool) -> bool:
    """`priced_per_unit` as first written: the sentence's start read before the walk."""
    from extractor.assembly.slots import CLAUSE_BREAKS, MEASURES, PER_WORDS

    lower, n = view.tokens.lower, view.n

    def unit_at(i: int) -> bool:
        return i + 1 < n and lower[i] in PER_WORDS and lower[i + 1].rstrip(".") in MEASURES

    start, end = mention.start, mention.end
    if unit_at(end):
        return True
    if end < n and lower[end].startswith("/") and lower[end][1:] in MEASURES:
        return True
    sentence_start = view.doc[start].sent.start if parsed_sentences else 0
    for i in range(start - 1, max(start - 9, sentence_start, -1) - 1, -1):
        if lower[i] in CLAUSE_BREAKS or view.like_num(i):
            return False
        if unit_at(i) and i + 2 < n and lower[i + 2] == "of":
            return True
    return False


@pytest.mark.parametrize("text, phrase", [
    ("It cut the cost of a ton of sheet steel by about 80 dlrs.", "80 dlrs"),
    ("Price per ton of ore. Rises 80 dlrs", "80 dlrs"),
    ("Steel sells at 80 dlrs a ton in Ohio.", "80 dlrs"),
    ("The cost per watt of panels fell to 2 dlrs", "2 dlrs"),
    ("A ton of. Cement costs 90 dlrs", "90 dlrs"),
    ("Output per ton of steel rose 90 dlrs", "90 dlrs"),  # a sentence start at 3 or 5 hides the unit
    ("Cost per ton of 12 grades rose 90 dlrs", "90 dlrs"),  # a number between: no unit price
    ("Cost per ton of steel rose 7.5 dlrs", "7.5 dlrs"),
])
@pytest.mark.parametrize("sentence_at", [None, 0, 3, 5])
def test_a_unit_price_reads_the_sentence_start_only_when_a_unit_is_found(text, phrase, sentence_at) -> None:
    """With or without spaCy sentence starts (set by hand at a token), the lazy look-up gives
    the answer of the walk bounded by the sentence from the start."""
    from extractor.assembly.context import Context
    from extractor.assembly.document import Document
    from extractor.assembly.slots import priced_per_unit
    from extractor.mentions import QuantityMention, mentions_of

    from .cue_helpers import make_doc, quantity

    doc = make_doc(text)
    quantity(doc, phrase, 80, "USD", money=True)
    if sentence_at is not None:
        for token in doc:
            token.is_sent_start = token.i in (0, sentence_at)
    mention = mentions_of(doc, QuantityMention)[0]
    view, ctx = Document(doc), Context(doc)
    assert priced_per_unit(mention, view, ctx) == plain_priced_per_unit(mention, view, ctx.parsed_sentences)
    assert priced_per_unit(mention, view) == plain_priced_per_unit(mention, view, False)


# --- fifth wave: land area wordings, phases after a clause break, construction and permanent
# jobs, growth to a figure, money of others, a rating's yearly output ---

LEAD = ("Kessa Works will build a new plant in Dorrel. The company said so on Monday. Work starts next "
        "year. The plant will make parts for trucks. Officials welcomed the news. ")  # five lead sentences


def land(text: str) -> tuple[float, str] | None:
    rec = extract(text)
    return (rec.area.value, rec.area.unit) if rec.area else None


@pytest.mark.parametrize("text, expected", [
    (LEAD + "The site extends over 120 hectares of former farmland.", (120, "ha")),
    (LEAD + "Spread across 75 acres, the campus will house three halls.", (75, "acre")),
    (LEAD + "The complex will have a total footprint of about 600 hectares.", (600, "ha")),
    (LEAD + "The array sprawls over 2 square kilometres of scrubland.", (2, "km2")),
    (LEAD + "Stretching over 48 acres, the yard will hold 900 trailers.", (48, "acre")),
])
def test_a_site_spread_over_or_with_a_footprint_is_the_area(text, expected) -> None:
    # outside the lead no unit default speaks: these wordings are the cue
    assert land(text) == expected


@pytest.mark.parametrize("text", [
    LEAD + "Payments for the land will be spread over five years.",
    LEAD + "The Dorrel Industrial Park, which spreads over 900 hectares, hosts 40 firms.",
    LEAD + "A footprint of 20,000 tonnes of CO2 a year will be offset.",
])
def test_spread_over_and_footprint_are_no_area_of_the_project_elsewhere(text) -> None:
    assert land(text) is None


@pytest.mark.parametrize("text, land_area, floor", [
    ("The 450,000-square-foot building will sit on 60 acres near the interstate.", (60, "acre"), (450000, "sqft")),
    ("Its 30,000 m2 building stands on a 9-hectare plot.", (9, "ha"), (30000, "m2")),
    ("Brisk Foods will build a new plant in Ardle. The 90,000-square-foot building opens next spring.",
     None, (90000, "sqft")),
])
def test_a_building_is_floor_space_beside_its_land(text, land_area, floor) -> None:
    rec = extract(text)
    assert land(text) == land_area
    assert (rec.floor_area.value, rec.floor_area.unit) == floor


@pytest.mark.parametrize("text, expected", [
    ("Built on a 40-acre site, the first phase of the Dunmore plant opened on Monday.", (40, "acre")),
    ("Norvik will build the mill on about 500 acres of land in two stages, with the first phase due in 2027.",
     (500, "acre")),
    ("Covering 210 hectares; phase one of the park is now let.", (210, "ha")),
    ("The 30-hectare plant, whose second phase starts in May, will make glass.", (30, "ha")),
])
def test_a_phase_named_in_the_next_clause_does_not_take_the_figure(text, expected) -> None:
    assert land(text) == expected


@pytest.mark.parametrize("text, number, expected", [
    ("Dorrel Glass will build a glass plant in Ardle. Some 45 hectares in the first phase will be cleared "
     "by May.", 1, (45, "ha")),
    ("Dorrel Glass will build a glass plant in Ardle. The plant will cover 12 hectares in phase 2.", 2, (12, "ha")),
    ("Dorrel Glass will add 6 GWh a year in the second phase of its plant.", 2, None),
])
def test_a_phase_named_in_the_figures_own_clause_keeps_it(text, number, expected) -> None:
    rec = extract(text)
    phase = next(p for p in rec.phases if p.number == number)
    if expected is None:
        assert [(c.value, c.unit) for c in phase.capacity] == [(6, "GWh")]
    else:
        assert (phase.area.value, phase.area.unit) == expected


@pytest.mark.parametrize("text, expected", [
    ("The mine would create some 2,000 jobs during construction, Halden said.", 2000),
    ("At the peak of construction, about 700 workers were on site.", 700),
    ("More than 900 jobs were created during construction of the wind farm.", 900),
    ("Roughly 450 people were employed during the build.", 450),
])
def test_a_construction_workforce_is_the_jobs_figure_when_no_other_is_given(text, expected) -> None:
    assert jobs(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The plant will employ 250 people once running, and up to 1,200 workers during construction.", 250),
    ("Construction will support 3,000 temporary jobs; the finished refinery will have 400 permanent positions.", 400),
    ("At its peak the build will need 2,500 construction workers. Tovar expects to hire 180 operators.", 180),
])
def test_lasting_jobs_outrank_the_construction_workforce(text, expected) -> None:
    assert jobs(text) == expected


@pytest.mark.parametrize("text", [
    "Kellan Builders, the contractor, employs 5,000 people worldwide, and will start construction in May.",
    "The region's 12 projects created 8,000 jobs during construction last year.",
])
def test_another_entitys_workforce_is_no_construction_fallback(text) -> None:
    assert jobs(text) is None


@pytest.mark.parametrize("text, expected", [
    ("About 150 people are now working on the access road. Once open, the terminal will create "
     "up to 260 permanent jobs.", 260),
    ("Some 80 staff are helping with commissioning, and the mill will offer 140 full-time positions.", 140),
    ("The yard will hire 90 workers in 2026 and reach 310 long-term jobs by 2028.", 310),
])
def test_permanent_jobs_outrank_a_headcount(text, expected) -> None:
    assert jobs(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Dorrel Steel has 2,000 permanent employees worldwide. The new plant will create 350 jobs.", 350),
    ("The plant will create 300 jobs.", 300),
])
def test_the_permanent_bonus_moves_no_figure_out_of_its_scope(text, expected) -> None:
    assert jobs(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Tovar Energia completed a 140 MW expansion of its Cabo Alto wind park, raising the park's "
     "installed capacity to 420 MW.", [(420, "MW", None)]),
    ("The third line, a 4 GWh addition, brings the plant's total output to 16 GWh a year.",
     [(16, "GWh", "year")]),
    ("The new furnace, a 300,000-tonne unit, is lifting the mill's annual capacity to 1.2 million tonnes.",
     [(1.2e6, "t", "year")]),
    ("With the new hall, a 50,000-vehicle addition, Corra is boosting the site's production capacity "
     "to 250,000 vehicles a year.", [(250000, "units", "year")]),
])
def test_a_figure_the_news_raises_something_to_is_the_whole(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    # no "to" before the figure: the growth verb says nothing of it
    ("Kessa is raising 30 MW of new capacity at its older site.", [(30, "MW", None)]),
    ("Bringing 300 new jobs to the town, the 80 MW plant opens in May.", [(80, "MW", None)]),
])
def test_a_growth_verb_without_to_leaves_the_figure_as_it_was(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The state committed combined support of up to $400 million for the $2 billion plant.", 2e9),
    ("Federal support of $250 million will go to the $1.1 billion smelter.", 1.1e9),
    ("Government support worth $90 million helped Harlow land the $600 million mill.", 6e8),
])
def test_support_from_others_is_not_the_investment(text, expected) -> None:
    assert investment(text) == expected


@pytest.mark.parametrize("text", [
    "The startup is raising $60 million to build its first factory.",
    "Kelp Robotics said raising $25 million had taken a year.",
    "The province offered a support package of C$150 million.",
])
def test_money_raised_or_granted_by_others_fills_no_investment(text) -> None:
    assert investment(text) is None


def test_support_words_leave_jobs_the_projects() -> None:
    assert jobs("The state's support of 500 new jobs at the plant was welcomed.") == 500


@pytest.mark.parametrize("text, expected", [
    ("Norsk Vann will build a 100 MW electrolysis plant in Molde. The plant is designed to produce up "
     "to 15,000 tonnes of hydrogen per year.", [(100, "MW", None), (15000, "t", "year")]),
    ("Ardent Heat commissioned a 40 MW e-boiler plant in Tarn. It will produce 90,000 tonnes of steam "
     "a year for the paper mill.", [(40, "MW", None), (90000, "t", "year")]),
])
def test_a_power_rated_plants_yearly_output_is_a_second_capacity(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Norsk Vann will build a 100 MW electrolysis plant in Molde. The plant will consume 1.2 million "
     "cubic metres of water a year.", [(100, "MW", None)]),
    ("The Corby mill will produce 500,000 tonnes of steel a year. Separately, the region's installed "
     "wind capacity passed 8 GW.", [(500000, "t", "year")]),
    ("Norvane's data centre will have 50 MW of IT load. It will use 20 million gallons of water per year.",
     [(50, "MW", None)]),
])
def test_an_input_or_a_far_power_figure_is_no_yearly_output(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The plant is planned for up to 24 GWh of annual production capacity.", [(24, "GWh", "year")]),
    ("Sorel will add 5 GW of annual manufacturing capacity for solar modules.", [(5, "GW", "year")]),
    ("The line has an annual production capacity of 8 GWh.", [(8, "GWh", "year")]),
    ("The line has a production capacity of 8 GWh.", [(8, "GWh", None)]),
])
def test_an_annual_production_capacity_states_its_period(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Harrow Thermal will build a plant in Ridley. The plant is designed to turn out 180,000 heat pumps "
     "a year.", [(180000, "units", "year")]),
    ("Ostra Coach will build a bus plant in Tarn that will churn out 3,000 electric buses a year.",
     [(3000, "units", "year")]),
])
def test_a_plural_with_one_describing_word_before_a_period_is_a_yearly_output(text, expected) -> None:
    assert capacities(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Bhoomi Power commissioned a 250 MW solar park in Jodhpur. The park will generate about 520 million "
     "units of electricity a year.", [(250, "MW", None), (5.2e8, "kWh", "year")]),
    ("Kaveri Hydro will build a 120 MW hydel plant. It is expected to generate 430 MU a year.",
     [(120, "MW", None), (430, "GWh", "year")]),
])
def test_units_of_electricity_are_a_power_plants_generation(text, expected) -> None:
    assert capacities(text) == expected
