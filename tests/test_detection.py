"""The project detector: releases about one physical project are detected, other genres are not.

Every release here is invented for the test; several wordings per genre.
"""
from __future__ import annotations

import pytest

from extractor import extract
from extractor.assembly.context import Context
from extractor.assembly.detection import (
    WEIGHTS, DetectionWeights, Features, detection_features, phrase_index, score, tied, within_act,
)
from extractor.assembly.document import Document
from extractor.pipeline import get_pipeline

PROJECT_LEVEL = ("site", "area", "floor_area", "investment", "annual_output_value", "annual_tax",
                 "jobs", "automation_rate")
PROJECT_LISTS = ("capacity", "phases", "milestones")

BUILD = [
    """Quorvane Metals to Build $420 Million Copper Smelter in Arizona

PHOENIX, March 3, 2026 /PRNewswire/ -- Quorvane Metals Inc. said it will build a copper smelter
near Casa Grande, Arizona, with a capacity of 300,000 tonnes a year. Construction is expected to
begin in the second quarter and the plant will employ 450 people when it opens in 2028.""",
    """Halden Cells breaks ground on battery factory in Ohio

COLUMBUS, Ohio, May 12, 2026 -- Halden Cells held a groundbreaking ceremony on Tuesday for its
first battery cell factory in Marysville. The 2 billion dollar facility will produce 20 GWh of
cells per year and create 1,200 jobs. Production is scheduled to start in 2028.""",
    """# Tessaro Foods Starts Construction of Frozen Food Plant in Poland

WROCLAW, Poland, 4 February 2026 -- Tessaro Foods has started construction of a new frozen food
plant in the Wroclaw Special Economic Zone. The EUR 85 million project covers 12 hectares and is
due to be completed in late 2027.""",
]
OPEN = [
    """Lindqvist Paper opens new tissue mill in Sweden

GAVLE, Sweden, June 2, 2026 -- Lindqvist Paper officially opened its new tissue mill in Gavle on
Monday. The SEK 1.2 billion mill has an annual capacity of 60,000 tonnes and employs 140 people.""",
    """Mirada Logistics Opens 500,000-Square-Foot Distribution Center in Reno

RENO, Nev., Sept. 9, 2026 /PRNewswire/ -- Mirada Logistics today opened a distribution center in
Reno, Nevada. The $90 million facility created 300 jobs and began shipping orders this week.""",
]
EXPAND = [
    """Kestova Glass to expand Tennessee float glass plant

KNOXVILLE, Tenn., April 7, 2026 -- Kestova Glass said it will invest $150 million to expand its
float glass plant in Loudon County, adding a second furnace and 90 jobs. Construction of the
expansion will start this summer.""",
    """Brightwell Pharma Adds Sterile Production Line at Dublin Plant

DUBLIN, Ireland, 18 March 2026 -- Brightwell Pharma is expanding its Dublin manufacturing plant
with a new sterile production line. The EUR 60 million expansion will raise the plant's capacity
by 40 percent and is due to be operational in 2027.""",
]
APPROVE = [
    """Regulators approve Norrland wind farm

STOCKHOLM, Oct 2, 2026 -- The Swedish Energy Agency has approved the 480 MW Norrland wind farm
planned by Vindkraft Nord AB. Construction of the 80 turbines is expected to begin in 2027 at a
cost of SEK 7 billion.""",
    """County Board Approves Permit for Delmont Data Center Campus

DELMONT, Pa., Jan. 20, 2026 -- The county board granted the zoning permit for a 300 MW data
center campus on 180 acres near Delmont. Developer Ridgeway Compute plans to build four buildings
in two phases.""",
]
CLOSE = [
    """Harrow Steel to close Sheffield rolling mill

SHEFFIELD, England, Feb 2, 2026 -- Harrow Steel said it will close its rolling mill in Sheffield
by the end of the year, cutting 350 jobs. The mill, which opened in 1974, can roll 400,000 tonnes
of steel a year.""",
    """Orlen-Baltic Suspends Construction of Polymer Plant

GDANSK, Poland, 9 July 2026 -- Orlen-Baltic has suspended construction of its polymer plant in
Gdansk after costs rose to PLN 4 billion. Work on the site will halt until a review is finished.""",
]
EXPLORE = [
    """Ridgeback Minerals Starts Drilling at Its Kestrel Creek Gold Project

PERTH, Australia, 3 March 2026 -- Ridgeback Minerals Ltd (ASX:RBM) has started a 12,000-metre
drilling program at its wholly owned Kestrel Creek Gold Project in Western Australia. The
program will test three prospects along a 9-kilometre shear zone, the company said.""",
    """Granite Peak Lithium expands exploration at Nevada claims

RENO, Nev., Aug. 14, 2026 -- Granite Peak Lithium said it will expand exploration at its Clayton
Ridge project, where it has staked 140 new claims covering 1,100 hectares. A second drilling
campaign is planned for the autumn.""",
]
VENUE = [
    """Local Couple Opens Harbor Climbing Gym in Portsmouth

PORTSMOUTH, N.H., April 2, 2026 -- Harbor Climbing opened its first gym at 210 Market Street this
week. The 14,000-square-foot facility offers bouldering walls, a fitness area and youth classes,
and employs 25 staff.""",
    """Caldera Coffee Roasters Opens Flagship Store and Roastery in Boise

BOISE, Idaho, Oct. 1, 2026 -- Caldera Coffee Roasters celebrated the grand opening of its new
flagship store and roasting facility on Main Street. The $2 million site will roast 500,000
pounds of coffee a year.""",
]
PROJECT_RELEASES = BUILD + OPEN + EXPAND + APPROVE + CLOSE + EXPLORE + VENUE

PRODUCT = [
    """Lumora Unveils Ultralight Running Shoe Collection for Spring

PORTLAND, Ore., March 1, 2026 -- Lumora today unveiled its spring collection of ultralight running
shoes. The new product line is now available at retailers nationwide and on the brand's website
for $129. Shoppers who pre-order receive a free pair of socks.""",
    """# Verdella Skincare Launches Vitamin Serum Line

Verdella, a clean beauty brand, announced the launch of a new vitamin C serum. The skincare
product is available now on Amazon and in 400 stores. Consumers can choose from three
fragrance-free formulas.""",
    """Pulsewave Introduces Noise-Cancelling Earbuds With 40-Hour Battery

Pulsewave introduced its latest wireless earbuds today. The headphones feature adaptive noise
cancelling and are available in four colors. The device retails for $89.""",
]
APP = [
    """FinTrail Launches AI-Powered Budgeting App for Small Businesses

AUSTIN, Texas, May 5, 2026 -- FinTrail released a mobile app that uses artificial intelligence to
track expenses. The software platform connects to 12,000 banks and users can download it free
from the app store. A premium subscription costs $9 a month.""",
    """Cloudmere Rolls Out Cybersecurity Dashboard for Hospitals

Cloudmere announced a cloud-based cybersecurity platform that gives IT teams a single dashboard.
The SaaS application detects a data breach in minutes, the company said, and serves 300 users.""",
]
TOKEN = [
    """ZephCoin Presale Passes $3 Million as Investors Rush for Tokens

ZephCoin's token presale has raised $3 million in its first week. The crypto project offers
staking rewards of 40 percent, and early buyers get an airdrop of bonus tokens. Traders expect
a listing on a major exchange next month.""",
    """Orbitra Launches Stablecoin Wallet on Ethereum

Orbitra announced a blockchain wallet for its new stablecoin. Users can stake tokens and trade
bitcoin and ethereum with low fees. The DeFi platform says liquidity has doubled.""",
]
RESULTS = [
    """Calderon Industries Reports Third Quarter 2026 Financial Results

HOUSTON, Nov. 4, 2026 -- Calderon Industries reported third quarter revenue of $412 million, up 8
percent year-over-year. Net income was $31 million, or $0.44 per share. The company raised its
fiscal year guidance and will hold a conference call for analysts on Thursday.""",
    """Meridian Foods to announce fourth quarter earnings on February 12

Meridian Foods will release its fourth quarter and fiscal 2026 earnings before the market opens.
Shareholders and analysts may join the earnings call by phone.""",
]
FUNDING = [
    """Sprocket Robotics Raises $40 Million Series B to Grow Its Team

SAN FRANCISCO, June 3, 2026 -- Sprocket Robotics has raised $40 million in a Series B funding
round led by venture capital firm Northpeak. The financing will fund hiring and product
development, the company said.""",
    """Altamira Bio Announces $12 Million Registered Direct Offering

Altamira Bio entered into agreements with investors for a registered direct offering of
2,000,000 shares of common stock and warrants. Gross proceeds are expected to be $12 million.""",
]
AWARD = [
    """Pinecrest Dental Named One of the Best Places to Work for 2026

Pinecrest Dental has been named to the annual Best Places to Work list. The award recognizes
employers for culture and benefits. The practice was also honored as a finalist for a
community service award.""",
    """Harbor Law Group Ranked Among Top 100 Firms in Ranking by Legal Magazine

Harbor Law Group was ranked 42nd in the magazine's annual ranking of law firms. The accolade
follows last year's recognition as an award-winning litigation practice.""",
]
EVENT = [
    """Riverside Museum Hosts Family Storytime and Craft Festival

The Riverside Museum will host a free storytime and craft festival on Saturday. The event
includes a book reading by a bestselling author, music and a fundraiser for the library.
Registration is open online.""",
    """TechForward Summit Returns to Denver With 3,000 Attendees

The TechForward Summit, an annual conference on software and startups, returns to Denver in
October. Tickets are on sale and the event will feature 80 speakers and a podcast stage.""",
]
SERVICE = [
    """Why Homeowners in Tampa Trust Greenline Pest Control

Greenline Pest Control offers termite inspection and repair services to homeowners in Tampa.
Its licensed professionals provide a free consultation, and customers can call today to book a
visit. The company is known for its expertise and insurance-backed warranty.""",
    """Marquez Injury Lawyers Help Rideshare Accident Victims Get Compensation

The attorneys at Marquez Injury Lawyers explain how clients injured in rideshare accidents can
seek compensation. The law firm offers a free consultation and legal services across Georgia.""",
]
APPOINTMENT = [
    """Norland Energy Appoints Dana Whitfield as Chief Executive Officer

Norland Energy announced that its board of directors has appointed Dana Whitfield as chief
executive officer, effective March 1. Whitfield joins from a career of 20 years in leadership
roles. She succeeds Tom Alvarez, who retires after a decade as president and CEO.""",
    """Former Senator Joins Crestline Advisors as Special Advisor

Crestline Advisors said former senator Paul Reyes has joined the firm as a special advisor to its
advisory board. Reyes will advise clients on public policy.""",
]
HEALTH = [
    """New Therapy Offers Hope for Patients With Treatment-Resistant Depression

A clinic in Boston now offers a new therapy for patients whose symptoms did not respond to other
treatments. The psychiatrist who leads the clinic said the treatment is FDA-cleared and covered
by most health insurance.""",
    """Study Finds Seniors Favor Telehealth Visits, Survey Shows

A new study published in a medical journal found that 62 percent of respondents aged 65 and over
prefer telehealth visits. Researchers surveyed 2,000 patients, the findings show.""",
]
PASSING = [
    """Gardner Foods Founder Dies at 91

Harold Gardner, who founded Gardner Foods and led it for five decades, died on Sunday. Under his
leadership the company grew into a regional grocery distributor and moved into a larger warehouse
in 1988. He is survived by his wife and three children.""",
    """Keystone Insurance Celebrates 50th Anniversary With Charity Drive

Keystone Insurance marked its 50th anniversary by collecting donations for the food bank. The
agency, whose office building in Harrisburg opened in 1976, invited customers to donate at its
community event.""",
]
# Releases of an industrial company whose news is another genre's act (results, an appointment,
# a funding round, a product launch, a lawsuit, an event, a partnership) and which name a plant,
# its capacity and its jobs in passing: the headline's act says what the release is about.
ACT_OF_ANOTHER_GENRE = [
    """Tamsin Alloys Reports Third-Quarter 2026 Results

PITTSBURGH, Nov. 5, 2026 /PRNewswire/ -- Tamsin Alloys Inc. (NYSE: TAL) today reported results for
the quarter ended September 30, 2026. Net sales were $618 million, up 7% from a year earlier, and
adjusted EBITDA was $92 million.

The company's rolling mill in Decatur, Alabama, which has an annual capacity of 400,000 tonnes, ran
at 88% of capacity during the quarter. Tamsin added 150 employees at the mill and invested $45
million in maintenance and efficiency upgrades.

Management will host a conference call for analysts at 10 a.m. Eastern Time.""",
    """Corvane Chemicals Appoints Lena Brandt as Chief Operating Officer

ROTTERDAM, the Netherlands, 9 February 2026 -- Corvane Chemicals N.V. today announced that its board
has appointed Lena Brandt as Chief Operating Officer, effective 1 April. She succeeds Piet Vos, who
will retire after 22 years with the company.

Ms. Brandt will oversee Corvane's three production sites, including its 250,000-tonne-a-year
ethylene plant in Antwerp, which employs 900 people. She previously ran a EUR 400 million polymer
plant expansion for a German chemicals group.""",
    """Halvorsen Hydrogen Secures $60 Million in Series B Funding

OSLO, Norway, March 12, 2026 -- Halvorsen Hydrogen AS, a maker of electrolyser stacks, has raised
$60 million in a Series B round led by Fjell Ventures. The company will use the money to grow its
engineering team and to study sites for a future factory that could make up to 1 GW of
electrolysers a year and employ around 300 people.""",
    """Pellan Power Introduces 5 MWh Liquid-Cooled Battery Cabinet

SHENZHEN, China, May 20, 2026 /PRNewswire/ -- Pellan Power today introduced the PX-5000, a
liquid-cooled battery storage cabinet with a capacity of 5 MWh. The cabinet will be produced from
the third quarter at the company's 12 GWh manufacturing base in Changzhou, Jiangsu Province, which
employs 1,800 people.""",
    """Brennock Steel Files Suit Against Former Supplier Over Furnace Contract

CLEVELAND, June 3, 2026 -- Brennock Steel Corp. has filed a lawsuit in federal court against a
former equipment supplier, claiming breach of contract over an electric arc furnace delivered to
its Lorain, Ohio mill. The mill, which produces 1.2 million tons of steel a year and employs 700
workers, was idled for six weeks while the furnace was repaired, the complaint says.""",
    """Orrin Cement to Host Investor Day in New York

DALLAS, Sept. 1, 2026 -- Orrin Cement Co. will host an investor day for analysts and shareholders on
October 8 in New York. Executives will present the company's strategy, including its three cement
plants in Texas with a combined capacity of 9 million tons a year and 1,100 employees.""",
]
# Project releases whose headline also uses a word of those genres: the project noun or verb
# beside it keeps them projects.
PROJECT_WITH_GENRE_WORDS = [
    """Tamsin Alloys Launches Construction of $300 Million Rolling Mill in Alabama

DECATUR, Ala., April 2, 2026 -- Tamsin Alloys Inc. today launched construction of a $300 million
aluminium rolling mill in Decatur. The mill will have an annual capacity of 250,000 tonnes and
employ 400 people when it opens in 2028.""",
    """Brightfield Energy Raises $250 Million to Build Battery Plant in Georgia

SAVANNAH, Ga., May 4, 2026 -- Brightfield Energy said it has raised $250 million in debt and equity
to build a 10 GWh battery cell plant near Savannah. Construction of the 1,000-worker plant begins
in July.""",
    """Norvik Paper Reports Record Output as New Tissue Mill Starts Production

GAVLE, Sweden, 3 June 2026 -- Norvik Paper's new tissue mill in Gavle started production this week,
the company said, reporting record output for the month. The SEK 900 million mill can make 60,000
tonnes of tissue a year and employs 120 people.""",
    """Caldris Mining Announces Results of Feasibility Study for Its Red Hill Copper Project

PERTH, Australia, 8 July 2026 -- Caldris Mining Ltd said a feasibility study for its Red Hill copper
project in Western Australia supports an open-pit mine producing 40,000 tonnes of copper a year.
The mine would cost A$620 million to build and employ 350 people.""",
    """Ardent Cells Hosts Groundbreaking Ceremony in Savannah

SAVANNAH, Ga., May 4, 2026 -- Ardent Cells broke ground on Tuesday on a $1.2 billion battery cell
plant near Savannah. The plant will make 20 GWh of cells a year and employ 1,500 people.""",
    """Ardent Cells Launches Production of EV Batteries in Hungary

DEBRECEN, Hungary, 2 March 2026 -- Ardent Cells has started production at its new cell plant in
Debrecen. The EUR 2 billion plant can make 30 GWh of cells a year and employs 2,000 people.""",
    """Ardent Cells Launches $2 Billion Hydrogen Venture in Oman

MUSCAT, Oman, 14 May 2026 -- Ardent Cells today launched a $2 billion venture that will build a
green hydrogen plant in Duqm. The plant will produce 200,000 tonnes of hydrogen a year and employ
600 people when it starts up in 2029.""",
    """Selby Glass and Morrow Solar Partner to Build Float Glass Plant in Ohio

TOLEDO, Ohio, Jan. 22, 2026 -- Selby Glass and Morrow Solar will build a $400 million float glass
plant in Wood County, Ohio, producing 900 tons of solar glass a day. The plant will employ 300
people.""",
]
OFF_TOPIC = PRODUCT + APP + TOKEN + RESULTS + FUNDING + AWARD + EVENT + SERVICE + APPOINTMENT + HEALTH + PASSING + ACT_OF_ANOTHER_GENRE


@pytest.mark.parametrize("text", PROJECT_RELEASES)
def test_a_project_release_is_detected(text):
    record = extract(text)
    assert record.project.detected
    assert not any("project.detected" in w for w in record.warnings)


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_another_genre_is_not_a_project(text):
    record = extract(text)
    assert not record.project.detected
    assert any(w.startswith("project.detected: no specific physical project") for w in record.warnings)


@pytest.mark.parametrize("text", OFF_TOPIC[:6] + PASSING)
def test_no_project_leaves_every_project_field_empty_and_keeps_the_mentions(text):
    record = extract(text)
    assert all(getattr(record, name) is None for name in PROJECT_LEVEL)
    assert all(getattr(record, name) == [] for name in PROJECT_LISTS)
    project = record.project
    assert (project.name, project.type, project.products, project.status) == (None, None, [], None)


def test_mentions_stay_listed_without_a_project():
    record = extract(RESULTS[0])
    assert record.dateline is not None and record.dateline.place == "HOUSTON"
    assert record.companies and record.quantities
    assert not record.project.detected


def test_the_warning_names_the_genre():
    record = extract(TOKEN[0])
    assert any("token" in w for w in record.warnings if w.startswith("project.detected"))


def test_empty_and_junk_texts_give_a_record():
    for text in ("", "   ", "\x00\x01 ###", "12345 " * 200):
        record = extract(text)
        assert isinstance(record.project.detected, bool)


def test_weights_and_features_line_up():
    assert tuple(DetectionWeights.__dataclass_fields__) == ("bias",) + Features._fields
    nothing = Features(*([0.0] * len(Features._fields)))
    assert score(nothing, WEIGHTS) == WEIGHTS.bias < 0  # no evidence at all is no project


def test_every_rule_phrase_is_indexed_by_its_first_word():
    index = phrase_index()
    assert ("break", "ground") in {words for words, _, _ in index["break"]}
    assert all(len(a[0]) >= len(b[0]) for entries in index.values() for a, b in zip(entries, entries[1:]))


def test_a_noun_and_a_verb_are_tied_only_when_near():
    assert tied([(3, 4)], [(6, 7)])
    assert tied([(20, 21)], [(9, 11)])  # the verb may come first ("opens its new plant")
    assert not tied([(3, 4)], [(40, 41)])


def features_of(text: str) -> Features:
    """The detector's features of a text, with two project figures filled (as a plant's capacity
    and jobs named in passing would fill them)."""
    doc = get_pipeline(())(text)
    ctx = Context(doc)
    return detection_features(Document(doc), ctx, filled_slots=2, milestones=0, has_site=True)[0]


@pytest.mark.parametrize("headline", [
    "Ostara Metals Reports Third-Quarter 2026 Results",
    "Ostara Metals Reports First-Half FY2026 Results; Reaffirms Guidance",
    "Ostara Metals Appoints Mira Holt as Chief Financial Officer",
    "Ostara Metals Names Mira Holt Chief Executive Officer",
    "Ostara Metals Raises $75 Million Series C",
    "Ostara Metals Files Patent Infringement Complaint Against Rival",
    "Ostara Metals Launches Compact Induction Furnace for Foundries",
    "Ostara Metals to Host Capital Markets Day in London",
    "Ostara Metals and Brine Tech Form Strategic Alliance",
])
def test_a_headline_announcing_another_genres_act_voids_the_figures(headline):
    features = features_of(headline + "\n\nThe company runs a smelter in Nevada with 400 employees.")
    assert features.headline_act == 1.0 and features.figures == 0.0


@pytest.mark.parametrize("headline", [
    "Ostara Metals Launches Construction of Nevada Smelter",
    "Ostara Metals Raises $300 Million to Build Nevada Smelter",
    "Ostara Metals Reports Record Output as New Smelter Starts Production",
    "Ostara Metals Announces Results of Feasibility Study for Its Nevada Project",
    "Ostara Metals Hosts Groundbreaking Ceremony in Nevada",
    "Ostara Metals Launches Production in Nevada",
    "Ostara Metals to Build $2 Billion Smelter in Nevada",
])
def test_a_headline_naming_a_project_or_its_verb_keeps_the_figures(headline):
    features = features_of(headline + "\n\nThe company runs a smelter in Nevada with 400 employees.")
    assert features.headline_act == 0.0 and features.figures == 2.0


@pytest.mark.parametrize("opening", [
    "Ostara Metals, which operates a copper smelter in Nevada, today announced the news.",
    "Ostara Metals, a producer of copper at its Nevada smelter, said on Monday the deal was done.",
    "The company's smelter in Nevada employs 400 people.",
])
def test_a_lead_opening_that_only_describes_the_company_keeps_the_act(opening):
    features = features_of("Ostara Metals Raises $75 Million Series C\n\n" + opening)
    assert features.headline_act == 1.0 and features.figures == 0.0


@pytest.mark.parametrize("opening", [
    "Ostara Metals today launched a $2 billion venture that will build a green hydrogen plant in Duqm.",
    "The venture will construct a 1 GW electrolysis facility near the port.",
    "Ostara Metals said it would develop a copper refinery in the state.",
])
def test_a_lead_opening_that_builds_a_project_makes_the_act_the_projects(opening):
    features = features_of("Ostara Metals Launches $2 Billion Hydrogen Venture\n\n" + opening)
    assert features.headline_act == 0.0 and features.figures == 2.0


@pytest.mark.parametrize("text", PROJECT_WITH_GENRE_WORDS)
def test_a_project_release_using_another_genres_words_is_detected(text):
    assert extract(text).project.detected


def test_an_act_word_is_no_project_verb_but_a_longer_phrase_around_it_is():
    acts = {4, 5}  # "launched" at 4, say, in "... today launched ..."
    assert within_act(4, 5, acts)  # the start cue "launched" alone: a product's launch
    assert not within_act(4, 6, {4})  # "launched construction": more than the act
    assert not within_act(7, 8, acts)


@pytest.mark.parametrize("text, genre", [(ACT_OF_ANOTHER_GENRE[0], "results"), (ACT_OF_ANOTHER_GENRE[1], "appointment"),
                                         (ACT_OF_ANOTHER_GENRE[2], "funding"), (ACT_OF_ANOTHER_GENRE[4], "legal")])
def test_the_warning_names_the_act_of_the_release(text, genre):
    warning = next(w for w in extract(text).warnings if w.startswith("project.detected"))
    assert f"reads as {genre}" in warning


def test_the_warning_says_the_figures_were_read_as_the_companys():
    warning = next(w for w in extract(ACT_OF_ANOTHER_GENRE[0]).warnings if w.startswith("project.detected"))
    assert "the headline announces another genre's act" in warning and "no project figures" not in warning
    plain = next(w for w in extract(TOKEN[0]).warnings if w.startswith("project.detected"))
    assert "another genre's act" not in plain
