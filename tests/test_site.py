"""Site resolution: where the project is, not where its owner sits or the story was filed."""
from __future__ import annotations

import pytest

from extractor.assembly.site import (at_event, resolve_site, scored_mentions, site_cues,
                                     town_in_regions)
from extractor.assembly.context import Context
from extractor.pipeline import get_pipeline


def site(text: str):
    """The site resolved from a sentence, whether or not the sentence alone reads as a project
    (one-line fragments often do not: project.detected would empty the record's site)."""
    return resolve_site(get_pipeline()(text))


def test_headquarters_is_not_the_site():
    s = site("Voltmark Inc., headquartered in Atlanta, Georgia, will build a battery plant in "
             "Shelbyville, Ind., creating 500 jobs.")
    assert (s.country_code, s.region, s.city) == ("US", "Indiana", "Shelbyville")


def test_place_based_company_is_not_the_site():
    s = site("The Munich-based maker Quarzwerk said it will open a factory in Leipzig, Saxony, in 2026.")
    assert (s.country_code, s.region, s.city) == ("DE", "Saxony", "Leipzig")


def test_city_gets_region_and_coordinates_from_the_gazetteer():
    s = site("Anodix plans a graphite plant in Chongqing to supply cell makers.")
    assert (s.country, s.country_code, s.region, s.city) == ("China", "CN", "Chongqing", "Chongqing")
    assert s.latitude == pytest.approx(29.56, abs=0.5)


def test_region_only_leaves_city_empty():
    s = site("The company will build a lithium refinery in Western Australia by 2027.")
    assert (s.country_code, s.region, s.city) == ("AU", "Western Australia", None)


def test_zone_fills_district_zone_and_city():
    s = site("The base is located in the Hefei Economic and Technological Development Zone, Anhui Province.")
    assert s.zone == "Hefei Economic and Technological Development Zone"
    assert (s.region, s.city) == ("Anhui", "Hefei")


def test_the_site_town_outweighs_a_town_it_is_near():
    s = site("The plant will be built in Denton, Texas, near Dallas, the company said.")
    assert (s.country_code, s.region, s.city) == ("US", "Texas", "Denton")


def test_a_list_of_places_is_not_a_town_and_its_region():
    s = site("Korlin runs plants in Xiamen, Thailand, and Taiwan, and will build its next one in Rayong, Thailand.")
    assert s.country_code == "TH"
    assert s.city != "Xiamen"


def test_paris_texas_site():
    s = site("Rowlan Foods will build a bakery plant in Paris, Texas.")
    assert (s.country_code, s.region, s.city) == ("US", "Texas", "Paris")


def test_no_place_no_site():
    assert site("The board approved the budget on Tuesday.") is None


def test_regions_listed_together_name_no_region():
    s = site("Tourism is strong in the states of Goa, Kerala, Rajasthan and Sikkim, and the firm sells "
             "water plants across India.")
    assert s.country_code == "IN"
    assert s.region is None


def test_dateline_alone_is_not_the_site_when_the_text_places_it():
    s = site("HOUSTON, May 2 (Wire) - Brelco said it will build a cement plant in Monterrey, Mexico.")
    assert (s.country_code, s.city) == ("MX", "Monterrey")


def test_another_plant_of_the_company_named_in_passing_is_not_the_site():
    s = site("Korvane's existing plants in Huizhou, Guangdong Province, supply cells. The new "
             "Jingmen Battery Project will be built in Jingmen, Hubei Province.")
    assert (s.region, s.city) == ("Hubei", "Jingmen")


def test_comparison_with_other_parks_is_not_the_site():
    s = site("Fabelworld will build a theme park at Villers-le-Bocage, a small town south of Caen, "
             "similar to those at its park in Orlando, Fla.")
    assert s.country_code == "FR"


@pytest.mark.parametrize("text, code", [
    ("SEOUL, April 9 - The utility signed contracts for two reactors.", "KR"),
    ("AUSTIN, June 2 - Acme Corp began building a 40 mln dlr plant, the company said.", "US"),
    ("LYON, France, May 4 - Chimex said it will expand a resin plant by 2027.", "FR"),
])
def test_the_dateline_alone_gives_the_country_not_the_town(text, code):
    """Issue 10, class 3: the dateline says where the story was filed, not where the plant is."""
    s = site(text)
    assert (s.country_code, s.region, s.city) == (code, None, None)


@pytest.mark.parametrize("text, city", [
    ("AUSTIN, June 2 - Acme Corp said it will build a 40 mln dlr plant here.", "Austin"),
    ("SWINDON, England, May 4 - Gearco Ltd will build a new gearbox plant here, adding 200 jobs.", "Swindon"),
    ("LYON, France, May 4 - The resin plant to be built here will employ 80.", "Lyon"),
])
def test_here_puts_the_project_at_the_dateline_place(text, city):
    assert site(text).city == city


# issue 10: who and where on unseen releases

@pytest.mark.parametrize("text, region", [
    ("Brantell will invest $300 million in a new Ohio-based battery recycling facility, it said.", "Ohio"),
    ("The grant backs an Alabama-based solar module plant that Quillon will run.", "Alabama"),
    ("Funds go to a new Texas-based large transformer factory, the company said.", "Texas"),
])
def test_a_place_based_project_is_the_site(text, region):
    s = site(text)
    assert (s.country_code, s.region) == ("US", region)


@pytest.mark.parametrize("text", [
    "Ferrox holds a gold property in the area of Timmins, Ontario, and a nickel project in Quebec.",
    "The claims lie in the vicinity of Sudbury, Ontario, the explorer said.",
    "Orlan owns land in the area of Red Lake, Ontario.",
])
def test_in_the_area_of_a_town_is_not_in_the_town(text):
    s = site(text)
    assert s.city is None


def test_a_county_named_in_the_text_gives_the_province():
    s = site("Quartz works in Donghai County turn out beads; Donghai exports them worldwide.")
    assert (s.country_code, s.region) == ("CN", "Jiangsu")


@pytest.mark.parametrize("text, region", [
    ("Norgas AS said the field lies 120 km west of Stavanger, Norway, and will produce gas from 2027.", "Rogaland"),
    ("The mine sits 40 miles from Provo, Utah, and will employ 300.", "Utah"),
    ("Ridgeway Ltd will build a plant 10 km north-east of Leeds, England.", "England"),
])
def test_a_town_the_site_is_measured_from_is_not_the_site_town(text, region):
    """Issue 10, class 3: a reference point gives the region, not the city."""
    s = site(text)
    assert (s.region, s.city) == (region, None)


@pytest.mark.parametrize("text, region, zone", [
    ("Hexaline will build a chip packaging line at the Zhangjiang Hi-tech Park in Shanghai.",
     "Shanghai", "Zhangjiang Hi-tech Park"),
    ("The new wafer line sits in the Zhangjiang Science Park in Shanghai, China.",
     "Shanghai", "Zhangjiang Science Park"),
    ("Brightcore will open a warehouse at the Springfield Business Park in Oregon.",
     "Oregon", "Springfield Business Park"),
])
def test_a_zone_lies_where_the_text_puts_it_not_where_a_namesake_town_is(text, region, zone):
    s = site(text)
    assert (s.region, s.zone) == (region, zone)


@pytest.mark.parametrize("text, region, city, district", [
    ("Korvane Ltd will build a packaging plant in Nha Be district, Ho Chi Minh City, by 2026.",
     "Ho Chi Minh", "Ho Chi Minh City", "Nhà Bè"),
    ("The company opened a cable factory in Thu Duc district, Ho Chi Minh City.",
     "Ho Chi Minh", "Ho Chi Minh City", "Thủ Đức"),
    ("Pellmark will build a data centre in Haidian district, Beijing.", "Beijing", "Beijing", "Haidian"),
])
def test_a_town_written_as_a_district_of_the_next_town_is_a_district(text, region, city, district):
    s = site(text)
    assert (s.region, s.city, s.district) == (region, city, district)


@pytest.mark.parametrize("text, region, district", [
    ("Ardelis will build a biomass plant in the Yonne department, France.", "Bourgogne-Franche-Comté", "Yonne"),
    ("The methanol unit will rise in the department of Isère in south-eastern France.",
     "Auvergne-Rhône-Alpes", "Isère"),
    ("Vireo SAS opened a packaging factory in the Haute-Garonne Department.", "Occitanie", "Haute-Garonne"),
])
def test_a_department_gives_the_site_its_first_level_region(text, region, district):
    s = site(text)
    assert (s.country_code, s.region, s.city, s.district) == ("FR", region, None, district)


@pytest.mark.parametrize("text, region", [
    ("Ostrander Foods will open a cheese plant in Kewaunee County, the company said.", "Wisconsin"),
    ("Pellmark Inc. will build a sawmill in Lewis County, Washington.", "Washington"),
    ("Pellmark Inc. will build a sawmill in Lewis County.", None),  # seven states have one
    ("Halvern Steel plans a mini-mill in Mason County, creating 300 jobs.", None),
])
def test_a_us_county_named_alone_gives_its_state_where_only_one_has_it(text, region):
    s = site(text)
    assert (s.country_code, s.region, s.city) == ("US", region, None)


@pytest.mark.parametrize("text, country", [
    ("HANOI, May 3 - Kestral Foods will build a starch plant, a U.S. $40 million investment that will "
     "create 300 jobs.", "VN"),
    ("TORONTO, May 3 - Maplestone Corp will build a window plant that will add 75 new U.S. jobs at its "
     "suppliers.", "CA"),
    ("MANILA, June 2 - Orlan Mining said the processing plant would cost U.S. $200 million and employ "
     "900 people.", "PH"),
])
def test_a_country_modifying_a_figure_is_no_vote_for_the_site(text, country):
    assert site(text).country_code == country


@pytest.mark.parametrize("text, region, city", [
    ("Hoshida will build a battery plant in Himeji, in the Kansai region of Japan.", "Hyōgo", "Himeji"),
    ("Brevik Foods will build a dairy plant in the Dallas area at Denton, Texas.", "Texas", "Denton"),
    ("Velmora will open a plant in the Ruhr area, in the city of Essen.", "North Rhine-Westphalia", "Essen"),
])
def test_the_named_site_town_beats_a_region_or_area_label(text, region, city):
    s = site(text)
    assert (s.region, s.city) == (region, city)


def _scores(text: str, places: list[tuple[str, str, str]]):
    """Site scores of hand-made place mentions (phrase, kind, country code) in `text`."""
    import spacy

    from extractor.assembly.document import Document
    from extractor.assembly.site import scored_mentions
    from extractor.layers.tokenizer import customize_tokenizer
    from extractor.mentions import PlaceMention, set_mentions

    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    doc = nlp(text)
    found = []
    for phrase, kind, code in places:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase))
        found.append(PlaceMention(span.start, span.end, span.start_char, span.end_char, "place", phrase, kind, code))
    set_mentions(doc, PlaceMention, found)
    return {m.place.name: m for m in scored_mentions(Document(doc))}


def test_mention_scores_read_the_words_around_each_place():
    scores = _scores("Quellar Corp, headquartered in Brindle, will build a smelter in Osterby. Output rises near Kalvik.",
                     [("Brindle", "city", "NO"), ("Osterby", "city", "NO"), ("Kalvik", "city", "NO")])
    assert scores["Brindle"].score < 0 < scores["Osterby"].score
    assert scores["Osterby"].score > scores["Kalvik"].score
    assert scores["Kalvik"].vicinity and not scores["Osterby"].vicinity
    assert scores["Brindle"].weight == 0.0


def test_an_existing_plant_elsewhere_counts_against_its_place():
    text = "Tarvex will build a mill in Holmgard. Its {}plants in Vennby run at capacity."
    places = [("Holmgard", "city", "SE"), ("Vennby", "city", "SE")]
    plain = _scores(text.format(""), places)
    existing = _scores(text.format("existing "), places)
    assert existing["Vennby"].score < plain["Vennby"].score
    assert existing["Vennby"].score < existing["Holmgard"].score == plain["Holmgard"].score


@pytest.mark.parametrize("ranges", [
    [(0, 2), (4, 9), (5, 6), (12, 13)],
    [(3, 4), (3, 8), (6, 7), (10, 11), (10, 12)],
    [(5, 9), (1, 2), (7, 8)],  # out of order: read in list order
    [],
])
def test_the_company_index_answers_as_a_scan_of_every_span(ranges):
    """`CompanySpans.overlap` (bisection over the spans' starts and running largest end) gives
    what reading the spans in list order gives at every token."""
    from extractor.assembly.site import CompanySpans

    def plain(token: int):
        for start, end in ranges:
            if start == token:
                return "starts"
            if start < token < end:
                return "inside"
        return None

    index = CompanySpans(ranges)
    answers = [index.overlap(token) for token in range(15)]
    assert answers == [plain(token) for token in range(15)]
    assert ranges == [] or {"starts", "inside"} & set(answers)


@pytest.mark.parametrize("words, word", [
    (["built", "here", "and", "here", "."], "here"),
    (["here"], "here"),
    ([], "here"),
    (["there", "where", "Here"], "here"),
    (["a", "here", "here"], "here"),
])
def test_positions_of_a_word_are_those_of_a_plain_scan(words, word):
    from extractor.assembly.site import positions_of

    assert list(positions_of(words, word)) == [i for i, w in enumerate(words) if w == word]


@pytest.mark.parametrize("text, city", [
    ("Relvan will build a plant here, in Denton. HOUSTON Denton", "Denton"),
    ("Ostrel plans a mill in Leipzig, Saxony; Leipzig officials and Leipzig's mayor welcomed it.", "Leipzig"),
])
def test_the_site_takes_the_coordinates_of_the_citys_best_scored_mention(text, city):
    """The coordinates come from the site city's mention that scores highest (the first of
    equals), as from the mentions sorted by score."""
    from extractor.assembly.document import Document
    from extractor.assembly.site import scored_mentions

    doc = get_pipeline()(text)
    s = resolve_site(doc)
    assert s.city == city
    ranked = sorted((m for m in scored_mentions(Document(doc)) if m.city == city and m.latitude is not None),
                    key=lambda m: -m.score)
    assert (s.latitude, s.longitude) == (ranked[0].latitude, ranked[0].longitude)


# the head of '<place>-based ...' is the compound's last noun: a company noun after a project noun
@pytest.mark.parametrize("text, region", [
    ("Calgary-based energy development company Norvane will build a gas plant in Grande Prairie, Alberta.",
     "Alberta"),
    ("The Denver-based mine operator Halcrest said it will open a new mill in Elko, Nevada, next year.", "Nevada"),
    ("Tellis, a Lyon-based plant engineering group, will build a factory in Dunkirk, in northern France.",
     "Hauts-de-France"),
    ("A Houston-based refinery services firm, Ostra, plans a terminal in Corpus Christi, Texas, "
     "and an office in Mobile, Alabama.", "Texas"),
])
def test_a_project_noun_inside_a_place_based_company_name_is_no_project(text, region):
    assert site(text).region == region
    home = text.index("-based")
    based = [m for m in scored_mentions(get_pipeline()(text)) if m.place.end_char == home]
    assert based and based[0].score < 0  # the company's home speaks against the site


@pytest.mark.parametrize("text, region", [
    ("The money goes to an Oregon-based chip packaging plant that Tessel will run.", "Oregon"),
    ("Lenders backed a Kentucky-based battery facility for Harlow, the company said.", "Kentucky"),
    ("Quarrix will fund a Utah-based lithium processing facility, its first in the state.", "Utah"),
])
def test_a_place_based_project_keeps_its_project_head(text, region):
    assert site(text).region == region


# where the story's event was held ('told a news conference in X') is no site
@pytest.mark.parametrize("text, expected", [
    ("Tessaly will host its Investor Day today in New York, where it will show plans for a battery plant. "
     "The plant will be built in Ontario.", ("CA", "Ontario")),
    ("Kelvar presented its smelter project at a conference in Dubai. The smelter will be built in Oman.",
     ("OM", None)),
    ("Brellis unveiled the refinery plans at a news briefing on Monday in Tokyo. The refinery will be "
     "built in Vietnam.", ("VN", None)),
    ("Norra showed the factory design to reporters in Stockholm. The factory will be built in Finland.",
     ("FI", None)),
])
def test_an_event_venue_is_not_the_site(text, expected):
    s = site(text)
    assert (s.country_code, s.region if expected[1] else None) == expected


@pytest.mark.parametrize("text, city", [
    ("Harlan will build a convention center in Tulsa, Oklahoma.", "Tulsa"),
    ("The company will show the plant it is building in Evansville, Indiana, to investors.", "Evansville"),
    ("An exhibition centre will be built at Ningbo, the developer said.", "Ningbo"),
])
def test_an_event_word_that_is_the_project_keeps_its_place(text, city):
    assert site(text).city == city


@pytest.mark.parametrize("context, event", [
    (["told", "news", "conference"], True),
    (["capital", "markets", "day", "today"], True),
    (["briefing", "on", "monday"], True),
    (["build", "plant"], False),
    (["convention", "center"], False),
    (["show", "plant", "it", "is", "building"], False),
])
def test_at_event_reads_the_clause_end(context, event):
    assert at_event(context, site_cues()) is event


# "will build a plant near here": the dateline's place is the site, even where other places vote
@pytest.mark.parametrize("text, region", [
    ("TULSA, Okla., March 4 - Dravo Corp said it will build a pipe mill near here. Dravo, which has plants "
     "in Texas and Ohio, did not give the cost.", "Oklahoma"),
    ("DUNKIRK, France, June 2 - Astrel will open a cathode factory here in 2027, it said in a statement "
     "issued in Paris.", "Hauts-de-France"),
    ("BILBAO, Spain, Jan 9 - The steel mill to be built here will be Arcelon's third, after mills it "
     "opened in Aragon and Galicia.", "Basque Country"),
    ("NAGOYA, Japan, Oct 1 - Toyoma Industries said its new plant here would start output in 2026, and "
     "that it was weighing a second plant in Osaka.", "Aichi"),
])
def test_a_plant_built_here_is_at_the_dateline(text, region):
    assert site(text).region == region


@pytest.mark.parametrize("text, region", [
    ("HOUSTON, May 5 - Gulfor, based here, will build a plant in Baton Rouge, Louisiana.", "Louisiana"),
    ("DENVER, Feb 2 - Click here for the plant brochure. Halvex will build the plant in Cheyenne, Wyoming.",
     "Wyoming"),
    ("CHICAGO, April 1 - Maxell executives met here with analysts and said the new plant will be built "
     "in Columbus, Ohio.", "Ohio"),
])
def test_here_without_a_project_leaves_the_dateline_out(text, region):
    assert site(text).region == region


# "X in west-central Y" where the gazetteer's X lies outside Y: the text's Y wins
@pytest.mark.parametrize("text, expected", [
    ("Corvex will build a sawmill near the District of Houston in west-central British Columbia.",
     ("CA", "British Columbia")),
    ("Aurelia said the Phoenix gold project in western Ghana will pour first gold in 2027, after "
     "$300 million of building work at Phoenix.", ("GH", None)),
    ("Torvald's new Richmond factory in the northern province of Limpopo will employ 300. Richmond will "
     "make tyres.", ("ZA", "Limpopo")),
    ("Ventara completed its Dallas wind complex in the northeastern state of Pernambuco, adding 90 MW. "
     "Dallas is the company's largest complex, with investment in Dallas now 2 billion reais.", ("BR", "Pernambuco")),
])
def test_a_town_the_text_puts_in_another_region_reads_as_that_region(text, expected):
    s = site(text)
    assert (s.country_code, s.region if expected[1] else None) == expected
    assert s.city is None  # the gazetteer does not know the town the text means


@pytest.mark.parametrize("text, name, city", [
    ("The Toronto company's plant in Quebec will open in 2026.", "Toronto", "Toronto"),
    ("Drax will build a plant in Houston in Texas.", "Houston", "Houston"),
    ("Output at its Leeds plant in England rose 5%.", "Leeds", "Leeds"),
    ("The Denver plant and a warehouse in Ohio opened in May.", "Denver", "Denver"),
])
def test_a_town_in_its_own_region_or_not_located_keeps_its_reading(text, name, city):
    mention = next(m for m in scored_mentions(get_pipeline()(text))
                   if text[m.place.start_char:m.place.end_char] == name)
    assert mention.city == city


# "the southern X region": the region, not its capital city of the same name
@pytest.mark.parametrize("text, region", [
    ("Andina Metals won approval for its copper mine in the Arequipa region, the ministry said.", "Arequipa"),
    ("The mine lies in the southern Arequipa region. The Arequipa mine will cost $1 billion.", "Arequipa"),
    ("Rosvolt will build a cable plant in the Moscow region by 2026.", None),
    ("The solar park is in the Piura region, north of the capital.", "Piura"),
])
def test_a_region_called_a_region_has_no_city(text, region):
    s = site(text)
    assert s.city is None
    if region:
        assert s.region == region


@pytest.mark.parametrize("text, city", [
    ("Andina Metals will build a copper smelter in Arequipa, Peru.", "Arequipa"),
    ("The new plant in Lima will make cement for the Lima market.", "Lima"),
    ("Quimsa opened a factory in Arequipa; the state of the economy is weak.", "Arequipa"),
])
def test_a_region_named_like_its_capital_stays_the_city_otherwise(text, city):
    assert site(text).city == city


def site_in_story(text: str):
    """The site as assembly resolves it, with the closing 'About ...' section found by the cues."""
    doc = get_pipeline()(text)
    return resolve_site(doc, boilerplate_from=Context(doc).boilerplate_from)


STORY = ("{lead}\n\nThe plant will employ 120 people when it opens in 2027, the company said.\n\n"
         "Construction is to start in the spring, subject to permits.\n\n{heading}\n\n{profile}\n")


# the closing company profile lists the company's other sites: they do not vote
@pytest.mark.parametrize("lead, heading, profile, country", [
    ("Norvik Metals will build a copper rod mill in Ontario.", "About Norvik Metals",
     "Norvik Metals runs rod mills in Pittsburgh, Pennsylvania, and a plant in Gary, Indiana.", "CA"),
    ("Telvar said it will build a cable plant in Poland.", "About Telvar Group",
     "Telvar operates its main cable plant in Monterrey, Mexico, and a cable plant in Saltillo, Mexico.", "PL"),
    ("Brisco will open a frozen-food factory in Vietnam.", "ABOUT BRISCO FOODS",
     "Brisco Foods runs a factory in Bangkok, Thailand, and a plant in Chonburi, Thailand.", "VN"),
    ("Orlen Pack plans a packaging plant in Chile.", "Media contact",
     "Ana Ruiz, at the Orlen Pack plant in Seville, Spain; its plant in Bilbao, Spain, gives press tours.", "CL"),
])
def test_places_in_the_company_profile_do_not_vote(lead, heading, profile, country):
    assert site_in_story(STORY.format(lead=lead, heading=heading, profile=profile)).country_code == country


@pytest.mark.parametrize("lead, heading, profile, country", [
    # a section about the project describes its site
    ("Norvik Metals, which also sells rod in Texas, will build a copper rod mill.",
     "About Norvik Rod Mill Project",
     "The mill will be built in Hamilton, Ontario, next to the port.", "CA"),
    # a paragraph that opens on 'About' is no heading
    ("Telvar, which also sells cable in Peru, said it will build a cable plant.", "About Telvar's choice: the plant will rise in Monterrey, "
     "Mexico, next to its warehouse there, the company said in its statement today.",
     "Telvar makes cables.", "MX"),
    ("Brisco will build a frozen-food factory.", "The factory will be built in Vietnam's Long An province.",
     "Brisco sells in 40 countries.", "VN"),
])
def test_places_outside_a_company_profile_still_vote(lead, heading, profile, country):
    assert site_in_story(STORY.format(lead=lead, heading=heading, profile=profile)).country_code == country


# a town the gazetteer reads abroad by size ('Rome', Italy) is the story's country's namesake in a
# region the story names ('Rome', Georgia), once the story's country is decided
@pytest.mark.parametrize("text", [
    "Corlan will build a cable plant in the United States, in Georgia. Hiring for the Rome plant starts in May.",
    "Marlow Glass chose Georgia in the United States for its first U.S. factory. The Rome factory will employ 300.",
    "Dunmore will build a mill in the U.S. state of Georgia. The Rome mill opens in 2026.",
])
def test_a_town_is_read_in_the_stories_country_and_region(text):
    s = site(text)
    assert (s.country_code, s.region, s.city) == ("US", "Georgia", "Rome")


@pytest.mark.parametrize("text", [
    "Texxa will build a plant in the United States; its Paris plant is its largest.",  # no region named
    "Jorvik will build a plant in Ohio, where its Lyon plant workers will train staff.",  # no Lyon in Ohio
])
def test_a_foreign_town_without_a_namesake_in_a_named_region_stays_abroad(text):
    assert site(text).city is None


@pytest.mark.parametrize("name, regions, region", [
    ("Rome", {"Georgia"}, "Georgia"),
    ("Rome", {"New York"}, "New York"),
    ("Rome", {"Georgia", "New York"}, None),  # two namesakes: the text does not say which
    ("Lyon", {"Ohio"}, None),
    ("Rome", {"Texas"}, None),
])
def test_town_in_regions_wants_exactly_one_namesake(name, regions, region):
    found = town_in_regions(name, "US", frozenset(regions))
    assert (found.region if found else None) == region


# "..., replacing a smaller warehouse in X": the place of what the project replaces
@pytest.mark.parametrize("text, region", [
    ("Marlo's new depot, replacing a smaller leased depot in Indiana, will serve Ohio stores. Ohio gave a "
     "grant.", "Ohio"),
    ("The Carvell bakery, replacing two older plants in Idaho, will open in Utah in 2026.", "Utah"),
    ("Norcan's new mill, replacing the mill in Quebec, will be built in Ontario.", "Ontario"),
    ("Quarry work moves to Nevada, replacing its pit in Arizona.", "Nevada"),
])
def test_the_place_of_what_is_replaced_is_no_site(text, region):
    assert site(text).region == region


@pytest.mark.parametrize("text, region", [
    ("Unlike its existing sites in Texas, the new plant will be built in Ohio.", "Ohio"),
    ("The plant, replacing one in Idaho, will be built in Utah next to a rail line.", "Utah"),
    ("Beside its other mills in Alberta, the group will build a pulp mill in Manitoba.", "Manitoba"),
])
def test_a_comma_ends_the_phrase_of_another_site(text, region):
    assert site(text).region == region
