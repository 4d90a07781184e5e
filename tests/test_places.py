"""The places layer: gazetteer names, homonyms decided by context, towns and zones it lacks."""
from __future__ import annotations

import pytest

from extractor.pipeline import get_pipeline
from extractor.assembly.records import place_records
from extractor.layers.places import ascii_fold, packaged_gazetteer, surface_key
from extractor.mentions import PlaceMention, mentions_of, text_of
from extractor.ruleset import RuleFileError
from extractor.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline()


def places(nlp, text: str) -> dict[str, tuple]:
    doc = nlp(text)
    return {text_of(m, doc.text): (m.kind, m.name, m.country_code, m.region, m.city)
            for m in mentions_of(doc, PlaceMention)}


def test_country_common_names_and_codes(nlp):
    found = places(nlp, "Exports from South Korea and the U.S. rose, as did shipments to Vietnam.")
    assert found["South Korea"][:3] == ("country", "South Korea", "KR")
    assert found["U.S."][2] == "US"
    assert found["Vietnam"][2] == "VN"


def test_region_without_suffix_word(nlp):
    found = places(nlp, "The cell maker picked Sichuan for its second base.")
    assert found["Sichuan"][:3] == ("region", "Sichuan", "CN")


def test_paris_in_texas_is_not_the_french_capital(nlp):
    found = places(nlp, "A warehouse opens in Paris, Texas, next spring.")
    assert found["Paris"][2:4] == ("US", "Texas")


def test_plain_paris_is_the_french_capital(nlp):
    found = places(nlp, "Ministers met in Paris on Monday.")
    assert found["Paris"][2] == "FR"


def test_state_abbreviation_decides_the_town(nlp):
    found = places(nlp, "The plant near Shelbyville, Ind., employs 300 people.")
    assert found["Shelbyville"][2:4] == ("US", "Indiana")
    assert found["Ind."][1] == "Indiana"


def test_georgia_is_the_state_when_the_story_is_american(nlp):
    found = places(nlp, "The United States plant sits in Georgia, close to Atlanta.")
    assert found["Georgia"][:3] == ("region", "Georgia", "US")


def test_georgia_is_the_country_otherwise(nlp):
    found = places(nlp, "Wine exports from Georgia doubled.")
    assert found["Georgia"][:3] == ("country", "Georgia", "GE")


def test_abbreviation_needs_a_comma_before_it(nlp):
    found = places(nlp, "Ind. output grew while Pa. stayed flat.")
    assert "Ind." not in found and "Pa." not in found


def test_unknown_town_before_a_region_is_taken_as_written(nlp):
    found = places(nlp, "The mill is in Quillbrook, Ontario, on a rail line.")
    assert found["Quillbrook"][:4] == ("city", "Quillbrook", "CA", "Ontario")


def test_common_word_town_is_not_a_place(nlp):
    found = places(nlp, "Mobile phones and Reading glasses are sold here.")
    assert "Mobile" not in found and "Reading" not in found


def test_district_and_zone_patterns_inherit_their_place(nlp):
    found = places(nlp, "The site lies in the Changsha Economic and Technological Development Zone of Hunan.")
    kind, name, code, region, city = found["Changsha Economic and Technological Development Zone"]
    assert (kind, code, region, city) == ("zone", "CN", "Hunan", "Changsha")
    found = places(nlp, "Phase II rises in Liangjiang New Area.")
    assert found["Liangjiang New Area"][0] == "district"


def test_port_of_name_is_a_zone(nlp):
    found = places(nlp, "Cargo moved through the Port of Rotterdam last year.")
    assert found["Port of Rotterdam"][:3] == ("zone", "Port of Rotterdam", "NL")


def test_county_suffix_hides_the_homonym_town(nlp):
    found = places(nlp, "It is built in Harris County, Texas.")
    assert found["Harris County"][:4] == ("district", "Harris County", "US", "Texas")
    assert "Harris" not in found


def test_records_quote_the_source(nlp):
    text = "Output starts in Chongqing, China, in 2025."
    doc = nlp(text)
    records = place_records(doc)
    assert [r.name for r in records] == ["Chongqing", "China"]
    assert all(text[r.evidence.start:r.evidence.end] == r.evidence.text for r in records)


def test_ascii_forms_of_accented_names():
    assert ascii_fold("Hạ Long") == "Ha Long"
    assert "Ha Long" in packaged_gazetteer().names
    assert surface_key("New   York") == "New York"


def test_user_rules_extend_the_gazetteer(tmp_path):
    rules = tmp_path / "mine.jsonl"
    rules.write_text('{"id": "my-town", "layer": "places", "text": "Zorbury", "kind": "city", '
                     '"country_code": "GB", "region": "England"}\n', encoding="utf-8")
    nlp = build_pipeline([rules])
    doc = nlp("A depot opens at Zorbury next year.")
    assert [(text_of(m, doc.text), m.country_code) for m in mentions_of(doc, PlaceMention)] == [("Zorbury", "GB")]


def test_user_rule_with_a_typo_fails_loudly(tmp_path):
    rules = tmp_path / "bad.jsonl"
    rules.write_text('{"id": "typo", "layer": "places", "txt": "Zorbury"}\n', encoding="utf-8")
    with pytest.raises(RuleFileError):
        build_pipeline([rules])


def test_town_described_by_an_apposition(nlp):
    found = places(nlp, "The resort rises at Villers-le-Bocage, a small town 30 km south of Caen.")
    kind, name, code, region, _ = found["Villers-le-Bocage"]
    assert (kind, name, code) == ("city", "Villers-le-Bocage", "FR")


def test_a_big_city_with_one_reading_sets_the_country_for_homonyms(nlp):
    found = places(nlp, "Officials in Georgia and in Atlanta cheered the plan.")
    assert found["Georgia"][:3] == ("region", "Georgia", "US")


def test_world_city_beats_a_small_homonym_of_the_story_country(nlp):
    found = places(nlp, "A California refiner opened an office in Paris.")
    assert found["Paris"][2] == "FR"


def test_treaty_named_after_a_city_is_no_place(nlp):
    assert "Paris" not in places(nlp, "The goals of the Paris Agreement guide the plan.")


def test_state_shared_with_a_smaller_country_reads_as_the_bigger_one(nlp):
    found = places(nlp, "Crews gathered near Ocala, Florida, on Friday.")
    assert found["Florida"][2] == "US"
    assert found["Ocala"][2:4] == ("US", "Florida")


def test_town_before_the_comma_decides_the_qualifier(nlp):
    found = places(nlp, "Talks resumed in Tbilisi, Georgia, and in Atlanta.")
    assert found["Georgia"][:3] == ("country", "Georgia", "GE")


def test_small_town_counts_where_the_text_builds_something_in_it(nlp):
    found = places(nlp, "The Austrian group will enlarge its fibre plant in Lenzing.")
    assert found["Lenzing"][:3] == ("city", "Lenzing", "AT")


def test_small_town_of_a_country_the_story_never_names_is_ignored(nlp):
    assert "Lenzing" not in places(nlp, "The plant in Lenzing will grow.")


def test_a_town_in_the_text_settles_an_ambiguous_state(nlp):
    found = places(nlp, "The group will invest in Georgia, where it runs a module factory in Dalton.")
    assert found["Georgia"][:3] == ("region", "Georgia", "US")
    assert found["Dalton"][2:4] == ("US", "Georgia")


# issue 10: who and where on unseen releases

@pytest.mark.parametrize("text, town, region", [
    ("ANNA, Ohio, May 2 - Korvex will expand its plant. The Anna plant makes axles.", "Anna", "Ohio"),
    ("Tellmark opened a depot in Anna, Ohio. Workers in Anna cheered.", "Anna", "Ohio"),
    ("MARION, Ohio, March 3 - Pexa Corp said its Marion plant will close.", "Marion", "Ohio"),
])
def test_a_town_qualified_once_keeps_that_reading_in_any_case(nlp, text, town, region):
    doc = nlp(text)
    readings = {m.region for m in mentions_of(doc, PlaceMention) if text_of(m, doc.text).casefold() == town.casefold()}
    assert readings == {region}


@pytest.mark.parametrize("text, town, region", [
    ("Brill Foods will build a plant in Madison, Wis., its third.", "Madison", "Wisconsin"),
    ("The line is at a mill in Lincoln, Neb., the firm said.", "Lincoln", "Nebraska"),
    ("MADISON, Ind., April 8 - Corlew Inc said it will add a shift.", "Madison", "Indiana"),
])
def test_a_town_that_is_also_a_word_counts_where_placed_and_qualified(nlp, text, town, region):
    doc = nlp(text)
    found = [m for m in mentions_of(doc, PlaceMention) if text_of(m, doc.text).casefold() == town.casefold()]
    assert found and found[0].kind == "city" and found[0].region == region
    assert found[0].name == town


def test_a_common_word_before_a_state_without_a_locative_is_no_town(nlp):
    found = places(nlp, "Shares of Apple, Texas Instruments and Intel fell.")
    assert "Apple" not in found


@pytest.mark.parametrize("text, town, region", [
    ("Norchem will expand its works in Ludwigshafen next year.", "Ludwigshafen", "Rhineland-Palatinate"),
    ("A new depot near Offenbach was approved by the council.", "Offenbach", "Hesse"),
    ("Turbine blades will be made at a site in Mulheim, the firm said.", "Mulheim", "North Rhine-Westphalia"),
])
def test_a_town_is_found_under_its_everyday_name(nlp, text, town, region):
    found = places(nlp, text)
    assert found[town][0] == "city" and found[town][3] == region


@pytest.mark.parametrize("text, name, official, region", [
    ("Work on the two reactors at Yongkwang will start in June.", "Yongkwang", "Yeonggwang", "South Jeolla"),
    ("The refinery at Yosu will double its output.", "Yosu", "Yeosu", "South Jeolla"),
    ("A chip line in Taejon opens next spring.", "Taejon", "Daejeon", "Daejeon"),
])
def test_older_romanisations_are_the_current_towns(nlp, text, name, official, region):
    found = places(nlp, text)
    assert found[name][1:4] == (official, "KR", region)


@pytest.mark.parametrize("text", [
    "Crystal cutters crowd Donghai County. Donghai ships quartz worldwide.",
    "The Donghai workshop, in Donghai County, employs 80 people.",
    "Based in Donghai, the firm sources stone across Donghai County.",
])
def test_a_bare_name_follows_the_county_the_text_states(nlp, text):
    doc = nlp(text)
    regions = {m.region for m in mentions_of(doc, PlaceMention) if text_of(m, doc.text).startswith("Donghai")}
    assert regions == {"Jiangsu"}


@pytest.mark.parametrize("text, name", [
    ("Sonrise Energy will drill Block IX, Laos, next year.", "Block IX"),
    ("Gas flows from Unit III, Alberta, since May.", "Unit III"),
    ("The operator farmed into Tract VII, Texas, last week.", "Tract VII"),
])
def test_a_numbered_tract_before_a_qualifier_is_no_town(nlp, text, name):
    assert name not in places(nlp, text)


@pytest.mark.parametrize("text, town, code", [
    ("Dalmat will build a shipyard in Split, Croatia.", "Split", "HR"),
    ("A brewery will open in Bath, England, next May.", "Bath", "GB"),
    ("The depot in Mobile, Alabama, will double in size.", "Mobile", "US"),
])
def test_a_town_that_is_a_word_counts_after_a_locative_and_before_its_country(nlp, text, town, code):
    found = places(nlp, text)
    assert found[town][0] == "city" and found[town][2] == code


@pytest.mark.parametrize("text", [
    "Caribe Power will build a solar farm in Turks and Caicos.",
    "Hotels in the Turks and Caicos Islands reopened.",
    "Turks and Caicos will host the plant.",
])
def test_turks_and_caicos_with_or_without_islands(nlp, text):
    assert any(v[2] == "TC" for v in places(nlp, text).values())


# --- typed mentions and the per-doc token view (issues 13, 14)

def test_place_mentions_are_typed_and_match_their_spans(nlp):
    from extractor.mentions import PlaceMention, mentions_of
    from extractor.spans import document_text

    doc = nlp("Our new plant in Paris, Texas, joins the Jinshi Hi-tech Park in Guiyang, Guizhou Province.")
    found = mentions_of(doc, PlaceMention)
    assert found and all(isinstance(m, PlaceMention) for m in found)
    text = document_text(doc)
    for mention in found:
        span = doc[mention.start:mention.end]
        assert (mention.start_char, mention.end_char) == (span.start_char, span.end_char)
        assert text[mention.start_char:mention.end_char] == span.text
    paris = next(m for m in found if text[m.start_char:m.end_char] == "Paris")
    assert (paris.kind, paris.country_code, paris.region, paris.city) == ("city", "US", "Texas", "Paris")
    texas = next(m for m in found if text[m.start_char:m.end_char] == "Texas")
    assert texas.kind == "region"
    assert [(s.start, s.end) for s in doc.spans["place"]] == [(m.start, m.end) for m in found]


def test_words_give_the_character_offsets_spacy_gives(nlp):
    from extractor.layers.places import Words

    doc = nlp.make_doc("Acme  opens a plant\nin Lyon, France.  Done")
    words = Words(doc)
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            span = doc[start:end]
            assert words.char_offsets(start, end) == (span.start_char, span.end_char)


def test_memoised_lookups_keep_the_table_objects_and_stay_bounded(monkeypatch):
    from extractor.layers import places

    table = {"Lyon": [places.Entry("city", "Lyon", "FR")]}
    calls = []

    def get(key, default):
        calls.append(key)
        return table.get(key, default)

    monkeypatch.setattr(places, "LOOKUP_MEMO_SIZE", 2)
    lookup = places.memoised(get)
    assert lookup("Lyon") is table["Lyon"] and lookup("Lyon") is table["Lyon"]
    assert lookup("Nowhere") == () and calls == ["Lyon", "Nowhere"]
    lookup("Elsewhere")  # the memo is full: it starts afresh
    lookup("Lyon")
    assert calls == ["Lyon", "Nowhere", "Elsewhere", "Lyon"]


def test_layers_keep_no_token_view_between_docs():
    """Per-doc views live with the doc's analysis, never in a module global (issue 13)."""
    from extractor.layers import companies, places

    assert not hasattr(places, "words_of") and not hasattr(places, "_LAST_WORDS")
    assert "words_of" not in vars(companies)


def test_token_texts_are_read_once_per_token(nlp):
    from extractor.layers.places import Words

    doc = nlp.make_doc("one two three, one")
    words = Words(doc)
    assert words[-1] == "one" and words[0] == "one" and words[2] == "three"
    assert words.texts == ["one", None, "three", None, "one"]


# ---------------------------------------------------------------------------------------------
# the screens and memos agree with the plain computation

SCREEN_WORDINGS = [
    "A plant in the Netherlands, one in New South Wales and a depot near Saxony-Anhalt's border.",
    "THE NETHERLANDS and the U.S. signed; Sao Paulo, Brazil and St. Louis, Mo. followed.",
    "Acme said the the Gambia site and a Port of Spain office open in Rio de Janeiro state.",
    "",
    "the",
    "New",
]


def plain_name_matches(orth: list[int], one_word: set[int], patterns: set[tuple[int, ...]], longest: int
                       ) -> set[tuple[int, int]]:
    """Every (start, end) whose tokens are a one-word name or a longer name, tried at every token."""
    found = {(i, i + 1) for i, o in enumerate(orth) if o in one_word}
    for i in range(len(orth)):
        for length in range(1, longest + 1):
            if tuple(orth[i:i + length]) in patterns:
                found.add((i, i + length))
    return found


def test_the_word_flag_and_anchors_find_what_a_scan_of_every_token_finds(nlp):
    import numpy

    from extractor.layers import places as P

    gazetteer = packaged_gazetteer()
    keys = gazetteer.match_keys or P.match_keys(nlp, gazetteer)
    matcher = P.NameMatcher(keys.patterns, P.common_word_orths([*nlp.Defaults.stop_words, *P.NAME_PUNCTUATION]))
    table = P.word_table(set(keys.names), set(keys.towns), set(), matcher)
    flag = P.place_word_flag(nlp.vocab, frozenset(table.flags))
    patterns, longest = set(keys.patterns), max(map(len, keys.patterns))
    found: set[str] = set()
    for text in SCREEN_WORDINGS:
        doc = nlp.make_doc(text)
        arr = doc.to_array([flag, "ORTH"])
        orth = arr[:, 1].tolist()
        hits = P.word_hits(orth, numpy.flatnonzero(arr[:, 0]).tolist(), table)
        longer = matcher(orth, hits.anchors, hits.anchor_kinds)
        screened = {(i, i + 1) for i in hits.names} | {(start, end) for _, start, end in longer}
        assert screened == plain_name_matches(orth, set(keys.names), patterns, longest), text
        assert len(longer) == len(set(longer))  # each match once
        found.update(doc[start:end].text for start, end in screened)
    # from a common word's next token, from a name's first, one token, across a hyphen
    assert {"the Netherlands", "New South Wales", "U.S.", "Saxony-Anhalt", "St. Louis"} <= found


def test_a_word_flag_is_registered_once_per_set_of_words_and_marks_new_words(nlp):
    from extractor.layers.places import place_word_flag
    from spacy.strings import hash_string

    words = frozenset({hash_string("Quuxville"), hash_string("Zorbania")})
    flag = place_word_flag(nlp.vocab, words)
    assert place_word_flag(nlp.vocab, frozenset(words)) == flag
    assert place_word_flag(nlp.vocab, words | {hash_string("Blorpistan")}) != flag
    doc = nlp.make_doc("Quuxville, not Quuxvilles, lies in Zorbania")  # lexemes made after the flag
    assert [t.text for t in doc if t.check_flag(flag)] == ["Quuxville", "Zorbania"]


def test_remembered_readings_are_the_plain_lookups_with_and_without_a_comma(nlp):
    from extractor.layers import places as P

    tables = P.PlaceTables.of(packaged_gazetteer())
    for text in ("Madison, Ind., and Ontario, Ont.", "Ind. Ont. New South Wales, Rio de Janeiro"):
        doc = nlp.make_doc(text)
        words = P.Words(doc)
        for start in range(len(doc)):
            for end in range(start + 1, min(len(doc), start + 4) + 1):
                for _ in range(2):  # the second time from the memo
                    plain = tables.lookups.names(words.span(start, end))
                    after_comma = start > 0 and words[start - 1] == ","
                    wanted = [e for e in plain if e.context != "after_comma" or after_comma]
                    got = tables.readings(words, start, end)[after_comma]
                    assert (list(got.entries) if got else []) == wanted, (text, start, end)


def test_what_a_name_says_of_the_document_is_what_its_readings_say():
    from extractor.layers.places import CONTEXT_CITY_POPULATION, Entry, name_readings

    texas = Entry("region", "Texas", "US", "Texas")
    paris_fr = Entry("city", "Paris", "FR", "Ile-de-France", population=2_000_000)
    paris_tx = Entry("city", "Paris", "US", "Texas", population=25_000)
    small = Entry("city", "Nephi", "US", "Utah", population=CONTEXT_CITY_POPULATION - 1)
    assert name_readings((texas,))[1:] == (frozenset({"US"}), ("US", "Texas"), frozenset({"US"}), True)
    assert name_readings((paris_fr, paris_tx))[1:] == (frozenset(), None, frozenset(), False)
    assert name_readings((paris_fr,)).sure_countries == frozenset({"FR"})
    assert name_readings((small,)).sure_countries == frozenset()
    assert name_readings((texas, paris_tx)).sure_countries == frozenset({"US"})  # a region first


def test_a_span_of_words_is_the_text_its_tokens_join_to(nlp):
    from extractor.layers.places import Words

    doc = nlp.make_doc("Jinshi  High-Tech Park,\nGui'an New Area (Guizhou)")
    words = Words(doc)
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            joined = "".join(t.text_with_ws for t in doc[start:end - 1]) + doc[end - 1].text
            assert words.span(start, end) == surface_key(joined)


def test_offsets_in_one_go_are_each_spans_offsets(nlp):
    from extractor.layers.places import Words

    doc = nlp.make_doc("Acme  opens a plant\nin Lyon, France.  Done")
    words = Words(doc)
    spans = [(start, end) for start in range(len(doc)) for end in range(start + 1, len(doc) + 1)]
    assert words.offsets_of(spans) == [words.char_offsets(start, end) for start, end in spans]
    assert words.offsets_of([]) == []


def test_longest_first_keeps_the_longer_of_overlapping_names():
    from extractor.layers.places import longest_first

    assert longest_first([(0, 5, 6), (0, 2, 3), (0, 2, 3)]) == [(2, 3), (5, 6)]
    assert longest_first([(0, 3, 4), (0, 1, 4), (0, 1, 2), (0, 4, 6), (0, 5, 6)]) == [(1, 4), (4, 6)]
    assert longest_first([]) == []


def test_a_doc_without_place_words_gets_no_places_and_one_with_them_does(nlp):
    from extractor.mentions import PlaceMention, mentions_of

    assert mentions_of(nlp("Hello there."), PlaceMention) == []
    assert [m.name for m in mentions_of(nlp("A depot near Lyon, France."), PlaceMention)] == ["Lyon", "France"]


def test_a_town_qualified_once_keeps_its_reading_where_it_is_named_again(nlp):
    found = mentions_of(nlp("ANNA, Ohio - A mill in Anna opens. The Anna site and anna's staff grow."), PlaceMention)
    annas = [(m.start, m.region) for m in found if m.name == "Anna"]
    assert len(annas) >= 3 and all(region == "Ohio" for _, region in annas)


def test_a_town_qualified_once_keeps_its_reading_where_it_is_named_again(nlp):
    found = mentions_of(nlp("ANNA, Ohio - A mill in Anna opens. The Anna site and anna's staff grow."), PlaceMention)
    annas = [(m.start, m.region) for m in found if m.name == "Anna"]
    assert len(annas) >= 3 and all(region == "Ohio" for _, region in annas)


NAME_WORDINGS = [
    "Acme builds in Paris, Texas, and in Georgia near Tbilisi, Georgia; Harris County, Texas, too.",
    "A plant in New South Wales, one in the Netherlands and Madison, Ind., near Ontario, Ont.",
    "Gui'an New Area, Guizhou, and Donghai County, Jiangsu, China; the Paris Agreement.",
    "SEOUL, South Korea - The Austrian maker opens in Linz, Upper Austria, and Lyon.",
    "No place at all here.",
]


@pytest.mark.parametrize("text", NAME_WORDINGS)
def test_the_one_pass_over_the_names_gives_what_the_separate_passes_gave(nlp, text):
    """gazetteer_names reads each name once for its readings, the reading indexes and the
    document's countries: the plain computation reads them pass after pass."""
    from extractor.layers import places as P

    doc = nlp(text)  # the dateline and other layers read, as the places layer finds them
    gazetteer = packaged_gazetteer()
    keys = gazetteer.match_keys or P.match_keys(nlp, gazetteer)
    matcher = P.NameMatcher(keys.patterns, P.common_word_orths([*nlp.Defaults.stop_words, *P.NAME_PUNCTUATION]))
    table = P.word_table(set(keys.names), set(keys.towns), set(), matcher)
    flag = P.place_word_flag(nlp.vocab, frozenset(table.flags))
    arr = doc.to_array([flag, *P.TOKEN_ATTRS])
    words = P.Words(doc, arr[:, 1:])
    hits = P.word_hits(words.orth, arr[:, 0].nonzero()[0].tolist(), table)
    matches = [(0, i, i + 1) for i in hits.names] + matcher(words.orth, hits.anchors, hits.anchor_kinds)
    tables = P.PlaceTables.of(gazetteer)
    affixes = P.affix_names(words, gazetteer, pipe_affixes(nlp, gazetteer)(doc), nlp.vocab.strings["SUFFIX"])
    # the plain computation: every name read, then the districts' names dropped, then the facts
    found, facts = {}, {}
    for start, end in P.longest_first(matches):
        name = tables.readings(words, start, end)[start > 0 and words[start - 1] == ","]
        if name is not None:
            found[start], facts[start] = (end, name.entries), name
    for start, (end, kind, _) in affixes.items():
        if kind == "district" and start in found and found[start][0] == end - 1:
            del found[start]
    districts = {start: end - 1 for start, (end, kind, _) in affixes.items() if kind == "district"}
    names = P.gazetteer_names(words, tables, matches, districts)
    assert names.found == found
    assert names.ends == {end for end, _ in found.values()}
    assert names.readings_ending == {end: entries for end, entries in found.values()}
    assert names.non_city == {i for start, (end, _) in found.items() if facts[start].non_city for i in range(start, end)}
    assert names.countries == {c for start in found for c in facts[start].sure_countries}
    assert names.regions == {facts[s].sure_region for s in found if facts[s].sure_region is not None}
    assert names.possible == {c for start in found for c in facts[start].possible}
    if "Harris County" in text:  # a district's name is dropped, the countries are named
        assert len(districts) >= 1 and "US" in names.countries and names.non_city


def pipe_affixes(nlp, gazetteer):
    from spacy.matcher import PhraseMatcher

    affixes = PhraseMatcher(nlp.vocab, attr="LOWER")
    affixes.add("SUFFIX", list(nlp.tokenizer.pipe(sorted(gazetteer.suffixes))))
    affixes.add("PREFIX", list(nlp.tokenizer.pipe(sorted(gazetteer.prefixes))))
    affixes.add("APPOSITIVE", list(nlp.tokenizer.pipe(sorted(gazetteer.appositives))))
    return affixes
