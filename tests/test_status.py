"""Status and milestones over invented press-release wordings, one test per class of issue 12.

Each test runs the whole pipeline (`extract`) on short invented texts: the company, place and
product names are made up, and no sentence comes from an evaluation document.
"""
from __future__ import annotations

import pytest

from extractor import extract
from extractor.assembly.status import WEIGHTS, StatusWeights

DATELINE = "TOLVERA, Ohio, March 3, 2025 /PRNewswire/ -- "
# neutral sentences that push what follows out of the lead, as in a real release's body
FILLER = ("The company makes parts for carmakers. Its customers are in Europe. "
          "Its chief executive praised the team. The county welcomed the news. ")


def status_of(text: str) -> str | None:
    return extract(text).project.status


def milestones_of(text: str) -> set[tuple[str, str | None, bool]]:
    return {(m.kind, m.date, m.planned) for m in extract(text).milestones}


def test_weights_are_one_named_frozen_dataclass():
    assert isinstance(WEIGHTS, StatusWeights)
    with pytest.raises(AttributeError):
        WEIGHTS.lead = 3.0  # type: ignore[misc]


# class 1: a stage already reached is not read as intent ----------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Quorvane Completes Installation of Its Water Treatment Unit at a Coastal Hotel\n\n"
     + DATELINE + "Quorvane said its unit will be commissioned when the hotel opens.", "completed"),
    ("Pellmark Metals said on Tuesday it would highlight new products at a fair.\n\n"
     "Earlier this year, Pellmark broke ground on a 90 mln dlr expansion of its Brixley foundry. "
     "The company sells castings to carmakers. Its shares rose. Analysts were upbeat. "
     "The foundry will add 200 jobs by 2027.", "under_construction"),
    ("Dravo Components Begins Work on Brixley Plant\n\n" + DATELINE
     + "Dravo Components said construction began in January on its Brixley plant.", "under_construction"),
])
def test_a_reached_stage_is_not_intent(text, expected):
    assert status_of(text) == expected


def test_the_releases_own_announcing_is_no_stage_vote():
    text = ("Halvern Announces Start of Civil Works at Its Brixley Hydrogen Unit\n\n" + DATELINE
            + "Halvern Gas announced today that civil construction work began yesterday at the Brixley site.")
    assert status_of(text) == "under_construction"


# class 2: future or purpose wording is not a reached stage -------------------------------
@pytest.mark.parametrize("text", [
    "Norrack Cells signed a memorandum to launch production at a cell plant in Brixley.",
    DATELINE + "Selvane said its Brixley plant is set for completion in the fourth quarter.",
    DATELINE + "The Brixley mill remains on track for commissioning later this year.",
    DATELINE + "Ostrel will build a resin plant, with the aim of starting construction in 2026 "
               "and completing the plant in 2028.",
])
def test_purpose_and_schedule_wording_is_planned(text):
    assert all(planned for kind, _, planned in milestones_of(text) if kind != "signing")
    assert status_of(text) not in ("under_construction", "completed", "operational")


def test_a_fact_list_noun_is_no_done_milestone():
    text = ("Velk Batteries Will Build Cell Plant in Brixley\n\n" + DATELINE
            + "Velk Batteries will build a cell plant in Brixley. " + FILLER + "\n\nKey data\n"
            "Capacity: 8 GWh per year (at full operation)\nStart of construction: April 2026\n\n"
            "Velk's pilot line in Tolvera, which started operation in 2023, makes sample cells.")
    assert status_of(text) == "announced"


# class 3: intent vocabulary ---------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Acme plans to build a resin plant in Ohio.", "planned"),
    ("Acme is planning a resin plant in Ohio.", "planned"),
    ("Acme will build a resin plant in Ohio.", "announced"),
    ("Acme signed an agreement to build a resin plant in Ohio.", "announced"),
    ("In May, Brantor Motors announced plans to build a van plant in Ohio. Brantor planned to "
     "invest 1 billion dlrs.", "planned"),
])
def test_intent_wording_follows_gold_conventions(text, expected):
    assert status_of(text) == expected


# class 6: milestones of other things are not this project's -------------------------------
@pytest.mark.parametrize("text", [
    DATELINE + "Pavo Energy will build a 40 MW solar park in Brixley. Construction is expected to "
               "begin in 2026. " + FILLER + "Pavo has a track record of 300 MW of completed solar projects.",
    DATELINE + "Kestor Logistics will build a warehouse in Brixley. It is expected to be completed in "
               "2026. " + FILLER + "Elsewhere, its partner completed a 300,000-square-foot building and opened an office.",
    DATELINE + "Ravel Chemicals completed the acquisition of a site in Brixley, where it will build a "
               "resin plant.",
])
def test_completions_of_other_things_are_no_stage(text):
    assert status_of(text) == "announced"


def test_a_pending_approval_does_not_make_a_board_vote_a_go_ahead():
    text = (DATELINE + "Morva Energy said its board approved three investments, led by a cell plant in "
            "Brixley. Morva signed an agreement with the county to build the plant. The investments "
            "remain subject to approval by shareholders and to permits.")
    assert status_of(text) == "announced"


@pytest.mark.parametrize("text, expected", [
    ("Brisco Power Marks Energization of Tolvera Substation\n\n" + DATELINE
     + "A ribbon-cutting on Friday marked the energization of the Brisco substation near Tolvera.", "operational"),
    (DATELINE + "Operations resumed in March at the Kelby copper mine, and the owner has plans for more "
                "drilling at the site next year.", "operational"),
    (DATELINE + "Our factory in Tolvera runs four assembly lines and employs 300 people.", "operational"),
    (DATELINE + "Harlow Mining said its Kelby mine will stay open for three more years after a new aid "
                "package.", "operational"),
    ("Velmar Celebrates 25 Years of Production at Tolvera Mill\n\n" + DATELINE
     + "Velmar Paper marked the 25th anniversary of its Tolvera mill, which has expanded twice since it opened.",
     "operational"),
    (DATELINE + "Construction began in May 1985 on the Kelby mill; phase one opens next month.", "under_construction"),
    ("Orvex Announces Completion of Its Tolvera Plant\n\n" + DATELINE
     + "Orvex announced the completion of its resin plant in Tolvera; staff move in next year.", "completed"),
    ("Marlin Resins Reports Progress at Tolvera Plant\n\n" + DATELINE
     + "Marlin Resins said it has made significant progress in the construction of its new resin plant "
       "in Tolvera.", "under_construction"),
])
def test_done_milestones_and_present_states_anywhere(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text", [
    DATELINE + "After years of delays, Norrack will finally start producing cells at its Tolvera plant.",
    "WORK ON KELBY REFINERY TO START NEXT MONTH\n\n" + DATELINE + "Kelby Oil said work on its refinery "
    "would start next month.",
    DATELINE + "Velmar Paper will expand its Tolvera mill, which produces pulp for tissue makers.",
])
def test_will_and_to_keep_a_milestone_ahead(text):
    assert status_of(text) == "announced"


@pytest.mark.parametrize("text, expected", [
    (DATELINE + "Prosto Aluminium gave details of its planned Tolvera smelter on Monday.", "planned"),
    (DATELINE + "In 1987 the group planned a resort on the Kelby coast.", "planned"),
    (DATELINE + "Ardent Resources announces its intent to drill at the Kelby claims.", "planned"),
    (DATELINE + "The proposed Kelby terminal would handle grain exports.", "planned"),
    (DATELINE + "Hexa Grid received a contract to design and install a battery storage site in Tolvera.",
     "announced"),
    (DATELINE + "Ferro Dynamics will build a valve plant in Tolvera and plans to hire 80 workers.", "announced"),
    (DATELINE + "Sorrel Can Co will build its planned can plant in Kelby instead of Tolvera.", "announced"),
    (DATELINE + "Lumo Solar is moving forward with two community solar projects near Tolvera.", "planned"),
])
def test_intent_vocabulary(text, expected):
    assert status_of(text) == expected


# class 4: terminal stages on the right target ---------------------------------------------
@pytest.mark.parametrize("text, expected", [
    (DATELINE + "Rexo Cells will build a cell plant in Tolvera. Rexo said it cancelled an earlier pact "
                "with another firm.", "announced"),
    (DATELINE + "Ulmo Foods will build a dairy plant in Tolvera. A rival's abandoned plan for a plant "
                "nearby was also discussed.", "announced"),
    ("KELBY POWER SHELVES DAM\n\n" + DATELINE + "Kelby Power said it had shelved its dam on the Tolvera river.",
     "cancelled"),
    ("Trova Terminates Tolvera Project\n\n" + DATELINE + "Trova Energy said it terminated its Tolvera solar "
     "project.", "cancelled"),
    (DATELINE + "Vask Chemicals said its Tolvera resin plant will not proceed.", "cancelled"),
    (DATELINE + "Kelby Steel decided to postpone its new mill in Tolvera because of weak demand.", "suspended"),
])
def test_terminal_stages_need_this_project(text, expected):
    assert status_of(text) == expected


def test_other_projects_signings_are_not_this_projects():
    text = (DATELINE + "Quint Motors will build a parts plant in Tolvera. " + FILLER
            + "At a trade fair on June 1, the province signed contracts for 46 other projects.")
    assert status_of(text) == "announced"


def test_a_date_after_another_milestone_is_that_ones():
    text = (DATELINE + "Ostrel will build a resin plant, starting construction in 2026 and completing "
            "the plant in 2028.")
    dates = {kind: date for kind, date, _ in milestones_of(text)}
    assert dates.get("construction_start") == "2026"
    assert dates.get("completion") == "2028"


# class 5: dates -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, kind, expected", [
    (DATELINE + "Orvex said construction of its Ohio resin plant started in May last year.", "construction_start", "2024-05"),
    (DATELINE + "Orvex will build a resin plant in Ohio; construction will start in June next year.",
     "construction_start", "2026-06"),
    (DATELINE + "Regulators approved the Orvex resin plant in Ohio, construction of which the company "
                "expects to start in August.", "construction_start", "2025-08"),
    (DATELINE + "The county approved construction, which the company expects to start in August, of the "
                "Orvex resin plant in Ohio.", "construction_start", "2025-08"),
    (DATELINE + "Orvex said constuction of its resin plant in Ohio began in January.", "construction_start", "2025-01"),
])
def test_milestone_dates(text, kind, expected):
    assert {k: d for k, d, _ in milestones_of(text) if d}.get(kind) == expected


def test_the_dateline_dates_no_event():
    text = DATELINE + "Regulators approved the Orvex resin plant in Ohio, construction of which is to start in August."
    assert [d for k, d, _ in milestones_of(text) if k == "approval"] == [None]


@pytest.mark.parametrize("opener", ["In addition to its plant in Tolvera,", "Separately,", "Elsewhere,"])
def test_a_sentence_on_another_matter_gives_no_milestone(opener):
    text = (DATELINE + "Quint Motors will build a parts plant in Tolvera. " + opener
            + " Quint started construction in the fall of 2009 on a new facility in Kelby.")
    assert not any(kind == "construction_start" for kind, _, _ in milestones_of(text))


# class 7: the headline's reached stage over a stage phrase of the story --------------------
@pytest.mark.parametrize("text, expected", [
    ("Tarvel Tops Out Cathode Plant\n\n" + DATELINE + "Tarvel Materials held a topping-out ceremony at its "
     "cathode plant, which is being built on a 30-hectare plot near the port.", "topped_out"),
    ("Kessaro Energy Commissions 200 MW Brixley Solar Park\n\n" + DATELINE + "Kessaro Energy said it had "
     "commissioned its 200 MW Brixley solar park. " + FILLER + "Kessaro has a further 1.2 GW under "
     "construction.", "operational"),
    ("Ostrel Starts Production at Brixley Mill\n\n" + DATELINE + "Ostrel Paper started production at its "
     "Brixley mill on Monday. Its second machine is under construction.", "operational"),
    ("Selvane Completes Brixley Warehouse\n\n" + DATELINE + "Selvane Logistics completed construction of its "
     "Brixley warehouse, being built since 2023 by a local contractor.", "completed"),
])
def test_the_headlines_stage_outranks_a_stage_phrase_of_the_story(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text", [
    "Tarvel Tops Out Module Hall\n\n" + DATELINE + "Tarvel Materials celebrated the topping-out of the module "
    "hall at its Brixley site; the plant itself remains under construction.",
    "Velk Batteries Tops Out Office Block at Brixley\n\n" + DATELINE + "Velk Batteries topped out the office "
    "block of its Brixley campus, where the cell halls are still under construction.",
    DATELINE + "Halvern's Brixley plant is under construction. " + FILLER + "Halvern opened a plant in Ohio "
    "in 2019.",
    "Norrack to Start Production at Brixley Plant\n\n" + DATELINE + "Norrack Cells will start production at "
    "its Brixley plant, which is under construction, next year.",
])
def test_works_said_to_go_on_stay_under_construction(text):
    assert status_of(text) == "under_construction"


# class 8: a frozen product is no frozen project; a resumed project is no suspended one ------
@pytest.mark.parametrize("text, expected", [
    ("Norvik Foods Opens Frozen Vegetable Plant\n\n" + DATELINE + "Norvik Foods, a maker of frozen "
     "vegetables and frozen pizza, opened its new plant in Brixley on Monday.", "operational"),
    (DATELINE + "Construction of the Brixley terminal was frozen in March.", "suspended"),
    (DATELINE + "Ostrel Metals froze work on its Brixley smelter because of power prices.", "suspended"),
    (DATELINE + "Halvern has frozen its Brixley hydrogen project.", "suspended"),
])
def test_frozen_is_a_pause_only_as_a_verb(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text", [
    "Brixley Smelter Resumes Production After Strike\n\n" + DATELINE + "Production at the Brixley smelter "
    "resumed on Monday after a three-week halt.",
    "Ostrel Restarts Construction of Cathode Plant\n\n" + DATELINE + "Ostrel Metals restarted construction "
    "of its Brixley cathode plant, which was paused in 2023.",
    DATELINE + "Work on the Brixley terminal has resumed after the project was suspended last year.",
    DATELINE + "Halvern lifted the suspension of works at its Brixley refinery, which was halted in May.",
])
def test_a_resumption_ends_a_pause(text):
    assert status_of(text) != "suspended"


@pytest.mark.parametrize("text", [
    "Ostrel Suspends Work at Cathode Plant\n\n" + DATELINE + "Ostrel Metals suspended work at its Brixley "
    "cathode plant and said construction will resume next year.",
    DATELINE + "Halvern halted production at its Brixley mill in May; it has not resumed since.",
    "Ostrel Halts Brixley Plant\n\n" + DATELINE + "Ostrel Metals halted its Brixley plant on Monday. " + FILLER
    + "The plant had resumed work in 2021 after a fire.",
])
def test_a_resumption_ahead_or_retold_leaves_the_pause(text):
    assert status_of(text) == "suspended"


# class 9: a finished expansion told in the lead -------------------------------------------
@pytest.mark.parametrize("text", [
    "Kessaro Finishes Work at Brixley Wind Farm\n\n" + DATELINE + "Kessaro Energy said it had completed a "
    "120 MW expansion of its Brixley wind farm, raising its capacity to 300 MW.",
    "Ostrel Completes Line at Brixley Mill\n\n" + DATELINE + "Ostrel Paper completed the $40 million "
    "expansion of its Brixley paper mill on Friday.",
    "Velk Batteries Reaches Milestone in Brixley\n\n" + DATELINE + "Velk Batteries commissioned the 2 GWh "
    "expansion of its Brixley cell plant this week.",
    "VELMAR CHEMICALS COMPLETES ETHYLENE EXPANSION AT TOLVERA CRACKER\n\n" + DATELINE + "Velmar Chemicals "
    "said the $300 million project raised the capacity of its Tolvera cracker to 1.5 million tonnes a year.",
])
def test_an_expansion_finished_in_the_news_is_expanded(text):
    assert status_of(text) == "expanded"


@pytest.mark.parametrize("text", [
    "Ostrel Opens Brixley Mill\n\n" + DATELINE + "Ostrel Paper opened its Brixley mill on Monday. " + FILLER
    + "It completed an expansion of a mill in Ohio in 2019.",
    "Ostrel Opens Brixley Mill\n\n" + DATELINE + "Ostrel Paper opened its Brixley mill on Monday and will "
    "start an expansion of it next year.",
    "Ostrel Opens Brixley Mill\n\n" + DATELINE + "Ostrel Paper opened its Brixley mill, the first step of a "
    "planned expansion in the region.",
])
def test_an_expansion_ahead_or_elsewhere_is_not_the_news(text):
    assert status_of(text) == "operational"


# class 10: a permit in hand is a go-ahead --------------------------------------------------
@pytest.mark.parametrize("text", [
    "Tarvel Receives Environmental Assessment Certificate for Brixley Mine\n\n" + DATELINE + "Tarvel "
    "Minerals said the province had issued the certificate for its Brixley copper mine.",
    "Ostrel Secures Planning Permission for Brixley Battery Plant\n\n" + DATELINE + "Ostrel said the county "
    "council granted planning permission for its plant.",
    "Kessaro Wins Building Permit for Brixley Data Center\n\n" + DATELINE + "Kessaro Data said the city "
    "issued the permit for its data center on Friday.",
    DATELINE + "The state ministry approves the project, clearing the way for the Brixley smelter of "
    "Halvern Metals.",
    DATELINE + "Halvern Minerals obtained its mining licence for the Brixley lithium project.",
])
def test_a_permit_received_is_approved(text):
    assert status_of(text) == "approved"


@pytest.mark.parametrize("text", [
    DATELINE + "Tarvel Minerals will build a copper mine and plans to apply for an environmental "
    "assessment certificate next year.",
    DATELINE + "Ostrel will build a battery plant in Brixley; the plant needs planning permission.",
    DATELINE + "Kessaro said it received ISO 9001 certification for its Brixley plant.",
    "Ostrel Receives Award for Its Brixley Plant\n\n" + DATELINE + "Ostrel will build a plant in Brixley.",
])
def test_talk_of_permits_or_other_receipts_is_no_go_ahead(text):
    assert status_of(text) != "approved"


# class 11: a pact to negotiate or explore is a plan ----------------------------------------
@pytest.mark.parametrize("text, expected", [
    (DATELINE + "Norrack Cells signed a memorandum of understanding with Voss Motors to negotiate a joint "
     "venture for a cell plant in Brixley.", "planned"),
    (DATELINE + "Ostrel and Halvern signed an MoU to explore building a hydrogen plant in Brixley.", "planned"),
    (DATELINE + "Tarvel signed a framework agreement with the province to evaluate the feasibility of a "
     "lithium refinery.", "planned"),
    (DATELINE + "Kessaro signed an agreement with Brixley county to jointly study a wind farm.", "planned"),
    (DATELINE + "Norrack Cells signed an agreement to build a cell plant in Brixley.", "announced"),
    (DATELINE + "After months of negotiations, Ostrel signed a contract with the city for its Brixley "
     "plant.", "announced"),
    (DATELINE + "Halvern signed an investment agreement for a plant in Brixley and will build it by 2027.",
     "announced"),
])
def test_a_signing_is_of_what_its_sentence_goes_on_to_say(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    (DATELINE + "Ostrel said site works are getting under way this month at Brixley.", ("construction_start", "2025-03")),
    (DATELINE + "Foundation works got under way in January at the Brixley site.", ("construction_start", "2025-01")),
    (DATELINE + "Construction gets under way in April at the Brixley site, Ostrel said.", ("construction_start", "2025-04")),
    (DATELINE + "Kessaro has started construction, with cable works getting underway last month.",
     ("construction_start", "2025-02")),
])
def test_a_start_getting_under_way_is_dated(text, expected):
    assert expected in {(k, d) for k, d, _ in milestones_of(text)}


# class 12: an investment decision taken is a go-ahead; a rating is no milestone -----------
@pytest.mark.parametrize("text", [
    "Ostrel Takes Final Investment Decision on Brixley Anode Plant\n\n" + DATELINE + "Ostrel Materials said "
    "its board has taken the final investment decision on its anode plant in Brixley.",
    DATELINE + "Kessaro Energy and its partner took FID on the 300 MW Brixley wind farm on Friday.",
    "Halvern Reaches Final Investment Decision for Brixley Hydrogen Unit\n\n" + DATELINE + "Halvern Gas "
    "will build the unit at its Brixley site.",
    DATELINE + "The partners made the final investment decision for the Brixley terminal in January.",
])
def test_an_investment_decision_taken_is_approved(text):
    assert status_of(text) == "approved"


@pytest.mark.parametrize("text, expected", [
    (DATELINE + "Ostrel Materials expects to take a final investment decision on its Brixley plant next year.",
     "planned"),
    (DATELINE + "Ostrel Materials will build an anode plant in Brixley.\nKey facts\n- Nameplate capacity: "
     "60,000 tonnes a year\n- Jobs: 300", "announced"),
    (DATELINE + "Velk Batteries will build a cell plant with a nameplate capacity of 8 GWh in Brixley.",
     "announced"),
])
def test_a_decision_ahead_or_a_rating_is_no_stage(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text", [
    DATELINE + "Ferro Dynamics will build a valve plant in Tolvera and plans to transfer 200 workers there.",
    DATELINE + "Construction of the Ferro Dynamics valve plant in Tolvera will begin in April. " + FILLER
    + "It plans to transfer about 300 employees to the site.",
    DATELINE + "Ferro Dynamics will build a valve plant in Tolvera. It plans to train 150 local workers.",
])
def test_a_plan_for_staff_is_no_plan_for_the_project(text):
    assert status_of(text) == "announced"


@pytest.mark.parametrize("text", [
    "Brixley Nickel Plant Reaches Nameplate Capacity\n\n" + DATELINE + "Ostrel Nickel said its Brixley "
    "plant, whose construction began in 2022, is now at full output.",
    DATELINE + "Ostrel Nickel said its Brixley plant has reached its full design capacity, a year after "
    "construction was completed.",
    DATELINE + "The Brixley mill of Velmar Paper reached full production in January, after construction "
    "began in 2023.",
    "Kessaro's Brixley Smelter Reaches Full Capacity\n\n" + DATELINE + "Kessaro Metals built the smelter "
    "from 2022.",
])
def test_reaching_full_output_is_operational(text):
    assert status_of(text) == "operational"


@pytest.mark.parametrize("text, expected", [
    (DATELINE + "In May 2024, construction began on the Brixley resin plant of Orvex Chemicals.", "under_construction"),
    (DATELINE + "Since May, Orvex Chemicals has been producing resin at its Brixley plant.", "operational"),
    (DATELINE + "Orvex said that last May the Brixley plant started production.", "operational"),
    (DATELINE + "Orvex Chemicals may start production at its Brixley plant next year.", "announced"),
])
def test_the_month_may_is_no_modal(text, expected):
    assert status_of(text) == expected


# class 13: more wordings of a plant in service, a financing closed, a contract awarded -----
@pytest.mark.parametrize("text, expected", [
    ("Brixley Resin Plant Enters Service\n\n" + DATELINE + "The $80 million resin plant of Ostrel Chemicals "
     "in Brixley entered service on Monday.", "operational"),
    ("Ostrel Starts Up Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals started up its $80 million resin "
     "plant in Brixley.", "operational"),
    (DATELINE + "The Brixley substation of Halvern Grid was placed in service last week.", "operational"),
    ("Kessaro Reaches Financial Close on Brixley Solar Farm\n\n" + DATELINE + "Kessaro Energy reached "
     "financial close on its 200 MW Brixley solar farm; construction will begin next month.", "approved"),
    (DATELINE + "Halvern Gas achieved financial close for its 20 MW hydrogen plant in Brixley, Ohio.", "approved"),
    ("Kessaro Awards EPC Contract for Brixley Solar Farm\n\n" + DATELINE + "Kessaro Energy awarded the EPC "
     "contract for its 200 MW Brixley solar farm to Kell Construction.", "announced"),
])
def test_service_financial_close_and_contract_wordings(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ostrel Commissions Study for Brixley Resin Plant\n\n" + DATELINE + "Ostrel Chemicals commissioned a "
     "feasibility study for an $80 million resin plant in Brixley.", "planned"),
    (DATELINE + "Kessaro Energy expects to reach financial close on its Brixley solar farm next year and "
     "plans to start construction in 2027.", "planned"),
    (DATELINE + "Ostrel Chemicals commissioned the Brixley resin plant after testing of its two lines.",
     "operational"),
    (DATELINE + "Ostrel Chemicals will build a resin plant in Brixley, to be put into service in 2027.", "announced"),
])
def test_a_study_commissioned_or_a_close_ahead_is_no_stage(text, expected):
    assert status_of(text) == expected


# class 14: an expansion still to come of a running site is the project -------------------
@pytest.mark.parametrize("text, expected", [
    ("Ostrel to Expand Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals will invest $40 million to expand its "
     "resin plant in Brixley, which opened in 2015 and employs 300 people.", "announced"),
    ("Ostrel to Add Line at Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals said it will add a second line "
     "at its Brixley resin plant, which has been in operation since 2012.", "announced"),
    ("Velmar Plans to Double Capacity at Tolvera Mill\n\n" + DATELINE + "Velmar Paper plans to double capacity "
     "at its Tolvera mill, commissioned in 2009.", "planned"),
    ("Kessaro Will Expand Brixley Solar Farm\n\n" + DATELINE + "Kessaro Energy will expand its Brixley solar "
     "farm, which entered commercial operation in 2021, by 80 MW.", "announced"),
])
def test_an_expansion_ahead_of_a_running_site_is_intent(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ostrel Opens Brixley Mill\n\n" + DATELINE + "Ostrel Paper opened its Brixley mill on Monday and plans to "
     "expand it by 2028.", "operational"),
    ("Ostrel Brixley Plant Expansion Now Operational\n\n" + DATELINE + "The $40 million expansion of Ostrel "
     "Chemicals' Brixley resin plant is now operational.", "expanded"),
    ("Ostrel Doubles Capacity at Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals has doubled capacity at "
     "its Brixley resin plant with a $40 million investment.", "expanded"),
    ("Ostrel Breaks Ground on Brixley Plant Expansion\n\n" + DATELINE + "Ostrel Chemicals broke ground on a "
     "$40 million expansion of its Brixley resin plant, which opened in 2015.", "under_construction"),
])
def test_an_expansion_reached_or_underway_keeps_its_stage(text, expected):
    assert status_of(text) == expected


# class 15: progress, first shipments, dropped plans, a ribbon cut ------------------------
@pytest.mark.parametrize("text, expected", [
    ("Ostrel Installs First Equipment at Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals has installed the "
     "first reactor at its $80 million resin plant in Brixley, which will open in 2026.", "under_construction"),
    ("Ostrel Brixley Plant Ships First Product\n\n" + DATELINE + "Ostrel Chemicals' $80 million resin plant in "
     "Brixley shipped its first product to customers on Monday.", "operational"),
    ("Ostrel Drops Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals withdrew its application for an $80 million "
     "resin plant in Brixley and will not build it.", "cancelled"),
    ("Ostrel Hosts Ribbon Cutting for Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals hosted a ribbon "
     "cutting for its $80 million resin plant in Brixley.", "operational"),
])
def test_progress_and_end_wordings(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    (DATELINE + "Ostrel Chemicals will build an $80 million resin plant in Brixley; design is 60 percent "
     "complete.", "announced"),
    (DATELINE + "Ostrel Chemicals will build an $80 million resin plant in Brixley and will ship its first "
     "product in 2027.", "announced"),
    (DATELINE + "Ostrel Chemicals will build an $80 million resin plant in Brixley, cutting 40 jobs at "
     "an older site.", "announced"),
])
def test_progress_of_other_things_or_ahead_is_no_stage(text, expected):
    assert status_of(text) == expected


# class 16: a milestone noun whose predicate is expected; nearing completion; a permit's name
@pytest.mark.parametrize("text, expected", [
    ("Ostrel Brixley Plant Mechanically Complete\n\n" + DATELINE + "Ostrel Chemicals said its $80 million resin "
     "plant in Brixley has reached mechanical completion; commissioning will follow.", "completed"),
    ("Kessaro Wins Approval for Brixley Wind Farm\n\n" + DATELINE + "Kessaro Energy won approval for its Brixley "
     "wind farm; the groundbreaking is scheduled for May.", "approved"),
    (DATELINE + "Ostrel Chemicals will build a resin plant in Brixley. Completion is expected in 2027.", "announced"),
    ("Ostrel Nears Completion of Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals is nearing completion of its "
     "$80 million resin plant in Brixley.", "under_construction"),
    ("Velk Batteries Nears Completion of Brixley Cell Plant\n\n" + DATELINE + "Velk Batteries said the Brixley "
     "cell plant is close to completion, with first cells due in the autumn.", "under_construction"),
    ("Brixley Plant Receives Operating Permit\n\n" + DATELINE + "The $80 million resin plant of Ostrel Chemicals "
     "in Brixley received its operating permit and will start production next month.", "approved"),
])
def test_expected_predicates_nearing_completion_and_permit_names(text, expected):
    assert status_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ostrel Completes Brixley Plant\n\n" + DATELINE + "Ostrel Chemicals completed its resin plant in Brixley, "
     "and production will start in June.", "completed"),
    (DATELINE + "Commissioning of the Brixley resin plant of Ostrel Chemicals was completed in January, and the "
     "plant is operating.", "operational"),
    (DATELINE + "The Brixley mill of Velmar Paper, operating since 2009, will stay open after a new aid package.",
     "operational"),
])
def test_done_milestones_keep_their_stage_beside_later_plans(text, expected):
    assert status_of(text) == expected
