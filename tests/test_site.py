"""Site resolution: where the project is, not where its owner sits or the story was filed."""
from __future__ import annotations

import pytest

from extractor.assembly.site import resolve_site
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
