"""The companies layer: names by form and context, merged aliases, roles, developer first."""
from __future__ import annotations

import pytest

from extractor import extract
from extractor.layers.companies import initials, is_acronym_of, name_key, same_company


def companies(text: str, **kw):
    return extract(text, **kw).companies


def names(text: str) -> list[str]:
    return [c.name for c in companies(text)]


def test_legal_name_acronym_and_short_forms_merge() -> None:
    text = (
        "Bright Harbor Energy Storage Co., Limited (BHES) will build a 20 GWh cell plant in Ohio. "
        "BHES said the plant opens in 2027. Bright Harbor's chief executive spoke at the site."
    )
    found = companies(text)
    assert len(found) == 1
    company = found[0]
    assert company.name == "Bright Harbor Energy Storage Co., Limited"
    assert company.role == "developer"
    assert "BHES" in company.aliases
    ev = company.evidence
    assert text[ev.start:ev.end] == ev.text


def test_ticker_tags_are_read() -> None:
    found = companies("Northwind Robotics (NASDAQ: NWRB) announced a new assembly plant in Texas.")
    assert found[0].name == "Northwind Robotics"
    assert found[0].ticker == "NASDAQ: NWRB"
    found = companies("Tallgrass Mining Ltd (ASX:TGM OTCQX:TGMLF) plans to build a refinery.")
    assert found[0].ticker == "ASX: TGM"


def test_wire_story_form() -> None:
    text = ("KESTREL<KST> TO BUILD 40 MLN DLR PLANT\n\n"
            "    OMAHA, Neb., May 4 - Kestrel said it plans to build a 40 mln dlr plant in Iowa.\n"
            "    \"We expect demand to grow,\" J. Harlan Pike, Kestrel chairman, said.\n"
            "    Pike added that the plant will employ 200.\n")
    found = companies(text)
    assert [c.name for c in found] == ["KESTREL"]
    assert found[0].ticker == "KST"
    assert "Kestrel" in found[0].aliases


def test_reuters_bracketed_name_is_a_company() -> None:
    found = names("Osprey Chemical Co said its unit <Osprey Coatings GmbH> will run the plant.")
    assert "Osprey Coatings GmbH" in found
    assert found[0] == "Osprey Chemical Co"


def test_context_names_without_suffix() -> None:
    text = ("Lumen Grid, a battery startup, has begun producing cells at its Arizona factory. "
            "The factory is Lumen Grid's first. Lumen Grid said output will rise.")
    assert names(text)[0] == "Lumen Grid"


def test_possessive_owner_beats_issuer() -> None:
    text = ("Redcliff Resources Inc. (\"Redcliff\" or the \"Company\") (TSXV: RDC) congratulates Pinegate Nickel "
            "Corp. on the permit for Pinegate Nickel's Sable Lake Project. Redcliff holds claims nearby. "
            "Pinegate Nickel's Sable Lake Project will process ore for 25 years.")
    found = companies(text)
    assert found[0].name == "Pinegate Nickel Corp."
    assert found[0].role == "developer"


def test_developed_by_and_descriptor_cues() -> None:
    assert names("The campus, developed by Denver-based Quarry Cloud, will host servers.")[0] == "Quarry Cloud"
    assert names("Chinese battery maker Sunrise Cells on Friday broke ground on a plant.")[0] == "Sunrise Cells"


def test_government_bodies_have_their_role_and_come_after() -> None:
    text = ("Halvard Steel AG will build a mill after the Ministry of Economic Affairs approved it. "
            "The Bavarian government also granted land.")
    found = companies(text)
    assert found[0].name == "Halvard Steel AG" and found[0].role == "developer"
    assert {c.role for c in found[1:]} == {"government"}


def test_partner_and_supplier_roles() -> None:
    text = ("Orchid Motors Inc. will build an assembly plant jointly with Tanager Parts. "
            "Heron Machines Corp will supply the presses.")
    roles = {c.name: c.role for c in companies(text)}
    assert roles["Orchid Motors Inc."] == "developer"
    assert roles["Tanager Parts"] == "partner"
    assert roles["Heron Machines Corp"] == "supplier"


@pytest.mark.parametrize(
    "text",
    [
        "Separately, the Company said it will build a plant. Construction begins in May.",
        "Energy Minister Ravi Sundaram said the plant will open. Sundaram said jobs will follow.",
        "Ontario's plan calls for a new plant. Finally the plant will open.",
        "ACME PLANS NEW PLANT IN OHIO\n\nThe plant will make parts.",
    ],
)
def test_no_false_companies(text: str) -> None:
    assert names(text) == []


def test_known_names_and_user_rules(tmp_path) -> None:
    assert names("CATL will add a line at the base.")[0] == "CATL"
    rules = tmp_path / "companies.jsonl"
    rules.write_text('{"id": "c1", "layer": "companies", "name": "Zorbex"}\n')
    assert names("the Zorbex line") == []
    assert [c.name for c in companies("the Zorbex line", rules=[str(rules)])] == ["Zorbex"]


def test_helpers() -> None:
    assert name_key("The Acme Power Co., Ltd.") == "acme power"
    assert initials("Acme Power Thuringia GmbH") == "APT"
    assert is_acronym_of("APT", "Acme Power Thuringia GmbH")
    assert not is_acronym_of("XYZ", "Acme Power Thuringia GmbH")
    assert same_company("Acme Photo", "Acme Photo Film Co Ltd")
    assert same_company("ACME FILM", "Acme Photo Film Co Ltd")
    assert not same_company("Beta Film", "Acme Photo Film Co Ltd")


@pytest.mark.parametrize("junk", ["", "Inc.", "(NYSE: X)", "<A> <B>", "Co., Ltd. Co., Ltd.", "A " * 500])
def test_never_raises(junk: str) -> None:
    for company in companies(junk):
        assert company.name


def test_a_fault_in_the_layer_becomes_a_warning(monkeypatch) -> None:
    import extractor.layers.companies as layer

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(layer, "analyse", broken)
    record = extract("Acme Corp said it will build a plant in 2026.")
    assert record.companies == []
    assert any("companies layer failed" in w for w in record.warnings)


def test_dotted_suffix_and_bracket_short_name() -> None:
    found = companies("Madrid's refiner Compania Iberica de Refino S.A. (CIR) plans to build a unit. CIR said so.")
    assert found[0].name == "Compania Iberica de Refino S.A."
    assert "CIR" in found[0].aliases


def test_name_of_country_and_municipal_government() -> None:
    text = ("Zenith Steel Corp will build a mill with Marubeni Corp of Japan. "
            "The project was approved by the Tulsa city government.")
    roles = {c.name: c.role for c in companies(text)}
    assert "Marubeni Corp" in roles
    assert roles.get("Tulsa city government") == "government"


def test_bracket_definition_merges_a_short_name_used_before_it() -> None:
    text = ("CATL opens a cell plant in Nevada. Staff said Contemporary Amperex Technology Co., Limited (CATL) "
            "runs the lines there, and CATL expects the plant to make 20 GWh a year.")
    found = companies(text)
    assert len(found) == 1
    assert found[0].name == "Contemporary Amperex Technology Co., Limited"
    assert found[0].role == "developer"
    assert "CATL" in found[0].aliases


def test_bracket_definition_merges_a_context_name_used_before_it() -> None:
    text = ("Tianli Materials said it will build a cathode works in Hubei. The works belongs to Zhejiang "
            "Tianli Lithium Materials Co., Ltd. (Tianli Materials), which makes cathode powder.")
    found = companies(text)
    assert [c.name for c in found] == ["Zhejiang Tianli Lithium Materials Co., Ltd."]
    assert "Tianli Materials" in found[0].aliases


def test_a_place_made_an_adjective_is_no_company() -> None:
    text = "Ridgeway Tubes Ltd, a unit of a Chennai-based steel group, will build a pipe mill in Kerala."
    assert names(text) == ["Ridgeway Tubes Ltd"]


def test_geographic_names_are_no_companies() -> None:
    text = ("Orbison Cells Inc. will build a plant. Buyers from the Pearl River Delta signed orders, "
            "and the Permian Basin said little. Growers in the Central Valley said they welcome it.")
    assert names(text) == ["Orbison Cells Inc."]


def test_a_long_name_after_and_keeps_its_head() -> None:
    text = ("Northgate Exchanges and Clearing Limited and The Stock Exchange of Northgate Limited "
            "take no responsibility for this notice. Palisade Mining Ltd will build a mill. (Stock Code: 1234)")
    found = names(text)
    assert "Stock Exchange of Northgate Limited" in found
    assert "Exchange of Northgate Limited" not in found
    assert not any("Stock" in alias for c in companies(text) for alias in c.aliases)


# issue 10: who builds it, on releases the rules have never seen

def developer(text: str) -> str | None:
    found = [c for c in companies(text) if c.role == "developer"]
    return found[0].name if found else None


@pytest.mark.parametrize("text, name", [
    ("Brinmoor Corporation, a leader in clean energy project development, has announced a 5 MW solar "
     "project in Maine.", "Brinmoor Corporation"),
    ("Talvex Inc., a pioneer in grid storage, will build a battery plant in Nevada.", "Talvex Inc."),
    ("Orsel Limited, the leader in specialty glass, said it will open a furnace in Wales.", "Orsel Limited"),
])
def test_a_legal_name_before_a_leader_phrase_is_no_person(text, name):
    assert developer(text) == name


@pytest.mark.parametrize("text, name", [
    ("Skyrow Aviation [NYSE: SKRW], a maker of electric aircraft, will open an assembly plant in Kent.",
     "Skyrow Aviation"),
    ("Pellion Robotics [NASDAQ: PLRB] will build a factory in Austin, the company said.", "Pellion Robotics"),
    ("Varda Mining [TSX: VRD] plans to develop the Brook nickel project in Manitoba.", "Varda Mining"),
])
def test_exchange_tags_in_square_brackets(text, name):
    assert developer(text) == name


@pytest.mark.parametrize("text, name", [
    ("Today, Keltron Energy\n[announced](https://example.com/news) a $1 billion investment in a new facility.",
     "Keltron Energy"),
    ("Yesterday Morrow Foods [unveiled](https://example.com/a) plans for a bakery in Leeds.", "Morrow Foods"),
    ("In a filing, Norvik Steel [said](https://example.com/b) it will build a mill in Ohio.", "Norvik Steel"),
])
def test_a_verb_written_as_a_web_link_still_cues_its_subject(text, name):
    assert developer(text) == name


@pytest.mark.parametrize("text, acronym", [
    ("Hollin Motors will mark ten years of the Dayton Engine Plant (DEP) this week. DEP has added a line, "
     "and DEP will hire 200 workers.", "DEP"),
    ("Quarrel Chemicals runs the Mobile Acid Works (MAW). MAW said output rose; MAW plans a new unit.", "MAW"),
    ("Elton Paper owns the Ridge Pulp Mill (RPM). RPM will build a boiler.", "RPM"),
])
def test_a_facility_short_form_is_no_company(text, acronym):
    assert acronym not in [c.name for c in companies(text)]
    assert developer(text) != acronym


@pytest.mark.parametrize("text, owner", [
    ("The Quebec government joined with Tamlin Chemicals Inc to study a plant. Its feedstock would come "
     "from Bayrock Inc, a refiner. Bayrock is jointly owned by Corvel Ltd and a state fund.", "Corvel Ltd"),
    ("Harlow Steel Corp will build a mill. Its partner Denmore Inc, which supplies ore, said Denmore is "
     "owned by Ashgrove Holdings Ltd.", "Ashgrove Holdings Ltd"),
])
def test_the_owner_of_another_company_is_not_the_developer(text, owner):
    assert developer(text) != owner


@pytest.mark.parametrize("text, name", [
    ("The 5 MW array will be built by Sunfield Inc. The array starts next year.", "Sunfield Inc."),
    ("The plant will be run by Corvex Corp. It will employ 50 people.", "Corvex Corp."),
    ("The mill is owned by Tarrow Ltd. Its output goes to Asia.", "Tarrow Ltd."),
])
def test_a_name_ends_at_its_suffix_where_a_sentence_follows(text, name):
    assert developer(text) == name


# --- typed mentions, the token view, memoised run reading (issues 13, 14)

def test_company_mentions_are_typed_and_cover_whole_tokens() -> None:
    from extractor.mentions import CompanyMention, mentions_of
    from extractor.pipeline import get_pipeline
    from extractor.spans import document_text

    text = ("Quillon Batteries Ltd. (QBL) will build a cell plant in Ohio. QBL said the plant opens "
            "in 2027, and Quillon's partner Brightmere Corp will supply the cathodes.")
    doc = get_pipeline()(text)
    found = mentions_of(doc, CompanyMention)
    assert found and all(isinstance(m, CompanyMention) for m in found)
    for mention in found:
        span = doc[mention.start:mention.end]
        assert (mention.start_char, mention.end_char) == (span.start_char, span.end_char)
        assert document_text(doc)[mention.start_char:mention.end_char] == span.text
    by_text = {document_text(doc)[m.start_char:m.end_char]: m for m in found}
    assert by_text["QBL"].name == "Quillon Batteries Ltd." and by_text["QBL"].role == "developer"
    assert by_text["Brightmere Corp"].role != "developer"


def test_covering_tokens_read_offsets_as_strict_then_expanding_char_span() -> None:
    from extractor.layers.companies import covering_tokens
    from extractor.pipeline import get_pipeline

    doc = get_pipeline().make_doc("In 2024.Acme  said <ACME.T> Acme's plant\nopens.")
    for start in range(len(doc.text)):
        for end in range(start + 1, len(doc.text) + 1):
            span = doc.char_span(start, end) or doc.char_span(start, end, alignment_mode="expand")
            expected = (span.start, span.end, span.start_char, span.end_char) if span is not None and len(span) else None
            assert covering_tokens(doc, start, end) == expected, (start, end)
    assert covering_tokens(doc, 8, 12) == (1, 2, 3, 12)  # "Acme" glued to "2024.": the whole token


def test_known_names_expression_finds_what_a_plain_alternation_does() -> None:
    """The known names' expression (grouped by first character, looking behind after it)
    against the plain longest-first alternation, on invented wordings."""
    import re

    from extractor.layers.companies import _alt, company_lexicon, known_names_pattern

    extra = ("Quillon", "Quillon Batteries", "Q-Cell Works", "&Co Parts")
    grouped = known_names_pattern(extra)
    plain = re.compile(rf"(?<![\w&])(?:{_alt([*company_lexicon()['known_names'], *extra])})(?![\w&])")
    texts = ["Quillon Batteries said Tesla and xTesla and Tesla's plant; Quillon, Q-Cell Works.",
             "Quillon&Tesla, TeslaX, Ford Ford-Quillon (Quillon) &Co Parts a&Co Parts",
             "Tesla", "", "QuillonQuillon Batteries Batteries"]
    for text in texts:
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)], text
    assert [m.group() for m in grouped.finditer(texts[0])] == ["Quillon Batteries", "Tesla", "Tesla", "Quillon", "Q-Cell Works"]


@pytest.mark.parametrize("run, column, expected", [
    ("Bay. It", 0, "It"),  # a sentence ends inside the run
    ("Today Acme Inc", 0, "Acme Inc"),  # a leading stop word
    ("Fenwick Tools\nAnnounces", 0, "Fenwick Tools"),  # a short line's break ends the name
    ("Fenwick Tools\nAnnounces", 60, "Fenwick Tools Announces"),  # a long line wrapped mid-name
    ("Department of Transportation Friday", 0, "Department of Transportation"),
])
def test_trimmed_runs(run: str, column: int, expected: str) -> None:
    from extractor.layers.companies import _trimmed

    start, length = _trimmed(run, column)
    assert run[start:start + length].replace("\n", " ") == expected


def test_trim_run_reads_the_column_of_the_line() -> None:
    from extractor.layers.companies import trim_run

    short = "Header\nFenwick Tools\nAnnounces"
    long = "x" * 70 + " Fenwick Tools\nAnnounces"
    start = short.index("Fenwick")
    assert short[slice(*trim_run(short, start, len(short)))] == "Fenwick Tools"
    start = long.index("Fenwick")
    assert long[slice(*trim_run(long, start, len(long)))] == "Fenwick Tools\nAnnounces"


def test_verb_unions_match_where_any_of_their_parts_does() -> None:
    """`verb_after` and `acting_after` only rule checks out: they must match wherever one of
    the expressions they unite does, at every position of invented text."""
    from extractor.layers.companies import patterns

    pat = patterns()
    text = ("Quillon Batteries (QBL), a cell maker, said on Monday it will build a plant; Brightmere "
            "Corp will supply cathodes, and Ostrava Steel <OSTV.PR> announced [plans](https://x.y). "
            "Fenwick Tools, which is based in Ohio, has signed a deal and plans to expand.")
    for pos in range(len(text)):
        parts = [p.match(text, pos) is not None for p in (pat.subject_after, pat.developer_after, pat.supplier_after)]
        assert (pat.verb_after.match(text, pos) is not None) == any(parts), pos
        assert (pat.acting_after.match(text, pos) is not None) == any(parts[:2]), pos
    assert any(pat.verb_after.match(text, pos) for pos in range(len(text)))


def _has_signal_plain(ctx, start: int, end: int) -> bool:
    """`_has_signal` written out step by step, as it read before its expression and memo."""
    from extractor.layers.companies import NEXT_WORD, _comma_signal, _last_word, _tail_is_suffix, word_sets

    text = ctx.text
    after = text[end:end + 3]
    first = after[:1]
    if first in ("(", "<", "’", "'") or after[:2] in (" (", " <", "\n(", " [", "\n["):
        return True
    sets = word_sets()
    if first == "," and _comma_signal(ctx, end):
        return True
    following = NEXT_WORD.match(text, end)
    if following and following.group(1) in sets["next_words"]:
        return True
    if _tail_is_suffix(text[max(start, end - 12):end]):
        return True
    if not sets["government_words"].isdisjoint(text[start:end].split()):
        return True
    return _last_word(text[max(0, start - 30):start]) in sets["prev_words"]


@pytest.mark.parametrize("text", [
    "Quillon said on Monday that Brightmere Ltd will build it. Harwick, a maker of cells, agreed.",
    "Quillon's plant and Brightmere (NYSE: BRM) and Harwick <HWK.N> and Ostrava [TSX: OST].",
    "Quillon, Lyon, France. Quillon, Inc. Quillon, CEO Jane Roe. Quillon, QLN, Quillon,\nbut",
    "Quillon will; Quillon isn't; Quillon is; Quillon was. Quillon\n(QLN) Quillon\n[x] Quillon\n<x>",
    "The Ministry of Energy met Quillon Corp. Built by Quillon and owned by Harwick Metals",
    "Quillon", "Quillon said", "Quillon’s", "Quillon ’s", "In March the Quillon plant opened.",
])
def test_run_signal_screen_agrees_with_the_plain_reading(text: str) -> None:
    """The expression and memo behind `_has_signal` say what the step-by-step reading says,
    at every capitalised run of invented wordings (both answers occur)."""
    from extractor.layers.companies import Context, _has_signal, company_lexicon, patterns

    ctx = Context(text=text, title_end=0, persons=set(), places=set(), lex=company_lexicon(), pat=patterns())
    runs = plain_runs(ctx)
    assert runs
    for start, end in runs:
        assert _has_signal(ctx, start, end, text[start:end]) == _has_signal_plain(ctx, start, end), text[start:end]


def test_run_signal_screen_says_both() -> None:
    from extractor.layers.companies import Context, _has_signal, company_lexicon, patterns

    text = "In March Quillon said it. Harwick grew"
    ctx = Context(text=text, title_end=0, persons=set(), places=set(), lex=company_lexicon(), pat=patterns())
    assert text[9:16] == "Quillon" and text[26:33] == "Harwick"
    assert _has_signal(ctx, 9, 16, "Quillon") and not _has_signal(ctx, 26, 33, "Harwick")


def _last_word_plain(before: str) -> str:
    """`_last_word` as it read with one split into three."""
    parts = before.rsplit(None, 2)
    if not parts:
        return ""
    last = parts[-1].strip(",.").lower()
    if last in ("the", "its", "a", "an") and len(parts) >= 2:
        last = parts[-2].strip(",.").lower()
    return last.rsplit("-", 1)[-1]


def test_last_word_agrees_with_the_plain_reading() -> None:
    """Invented stretches before a name, and seeded random ones from the pieces that matter
    (articles, spaces, line breaks, commas, dots, hyphens)."""
    import random

    from extractor.layers.companies import _last_word

    fixed = ["built by the ", "jointly with its ", "an Ohio-based ", "the", " the ", "", "   ", "said, ",
             "owned by\nthe ", "a", "by a an ", "Partnered with.", "co-owned by the  "]
    assert _last_word("built by the ") == "by" and _last_word("an Ohio-based ") == "based"
    pieces = ["the", "a", "its", "an", " ", "  ", "\n", ",", ".", "-", "x", "By", "Based", "the,", "\t"]
    rng = random.Random(14)
    wordings = fixed + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(3000)]
    for before in wordings:
        assert _last_word(before) == _last_word_plain(before), repr(before)


def test_run_expression_is_the_same_with_a_prefix_tree() -> None:
    """The run and suffix expressions written with prefix trees match the same text as with
    the longest-first alternations, on invented wordings full of suffixes that begin one
    another ("Co", "Co.", "Corp", "Corporation", "S.A.", "SA")."""
    import re

    from extractor.layers.companies import _alt, company_lexicon, run_expression, suffix_expression

    lex = company_lexicon()
    texts = [
        "Quillon Co. and Quillon Co., Ltd. and Quillon Corp and Quillon Corporation of Ohio said.",
        "Brightmere S.A. and Brightmere SA, Brightmere N.V. and Brightmere NV, Brightmere GmbH & Co. KG.",
        "Harwick Holdings Limited (HHL), Harwick Ltd, Harwick Ltd., Harwick Inc. The plant opens.",
        "Banco de Quillon y Harwick S.A.B. de C.V. agreed; Quillon AG Quillon SE Quillon plc PLC.",
        "Ostrava Co-operative\nCo. Ltd with Ostrava\tCorp. Ostrava Company Limited Ostrava Co Ltd",
        "The Stock Exchange of Quillon Limited and Quillon Group Co., Ltd. and Quillon LLC.",
    ]
    for plain_text, tree_text in ((run_expression(lex, _alt), run_expression(lex)),
                                  (f"(?:{suffix_expression(lex, _alt)})+$", f"(?:{suffix_expression(lex)})+$")):
        plain, tree = re.compile(plain_text), re.compile(tree_text)
        for text in texts:
            assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)], text
            for start in range(len(text)):  # every starting point, not only where a search lands
                found, expected = tree.match(text, start), plain.match(text, start)
                assert (found and found.span()) == (expected and expected.span()), (text, start)


RUN_WORDINGS = [
    "Quillon said on Monday that Brightmere Ltd will build it. Harwick, a maker of cells, agreed.",
    "QUILLON POWER <QPW> TO BUILD PLANT\nQuillon Power Co., Ltd. (QPC) and Harwick & Sons Inc. said.",
    "Built by Ostrava-Vitkovice Steel, the mill's owner is O'Brien Holdings; D'Arcy Mining's plant.",
    "The plant opens in March. Separately, Brightmere Corp. The array is owned by Sunfield Inc. The end",
    "Northgate Exchanges and Clearing Limited and The Stock Exchange of Northgate Limited said nothing.",
    "Springfield and Quillon Ltd agreed; Ohio and Harwick Metals GmbH & Co. KG will supply, Lyon, France.",
    "Chief Executive Jane Roe said. “We grow,” said J. Harlan Pike, chairman of Quillon Tools Co.,Ltd.",
    "Quillon’s plant, Harwick' s unit and Ostrava ’s mill; Quillon\n(QLN) Quillon\n[announced](x) Quillon",
    "In March the Ministry of Energy and the Harwick government met Quillon AG, Quillon SE and U.S. Steel.",
    "A Quillon-led group, the Ohio-based Brightmere, the carmaker Harwick and its partner Ostrava grew.",
]


def plain_runs(ctx) -> list[tuple[int, int]]:
    """Every capitalised run of the text, run by run (each match of the run expression cut by
    `_run_pieces`): the reading `signalled_runs` is tested against."""
    from extractor.layers.companies import MAY_SPLIT, _run_pieces

    text, search, runs, pos = ctx.text, ctx.pat.run.search, [], 0
    while (match := search(text, pos)) is not None:
        if MAY_SPLIT.search(match.group()):
            pieces, pos = _run_pieces(ctx, *match.span())
            runs += pieces
        else:
            pos = match.end()
            runs.append(match.span())
    return runs


def plain_read_run(ctx, start: int, end: int):
    """The mention a run gives when every run is screened by `_has_signal` one by one."""
    from extractor.layers.companies import _has_signal, read_signalled_run

    name = ctx.text[start:end]
    return read_signalled_run(ctx, start, end, name) if _has_signal(ctx, start, end, name) else None


def _signal_screen_plain(text: str) -> list[tuple[int, int, str]]:
    """The runs of `plain_runs` that pass `_has_signal`, but for a lone stop word or word that
    names nothing with no tag after it ("The", "It"): the reading `signalled_runs` replaces."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from extractor.layers.companies import _has_signal, word_sets

    def dropped(name: str, end: int) -> bool:
        listed = name in word_sets()["not_names"] or (not name.isupper() and name.lower() in STOP_WORDS)
        return (listed and len(name.split()) == 1 and " " not in name and "\n" not in name
                and text[end:end + 2].lstrip()[:1] not in ("(", "<"))

    ctx = _run_context(text)
    return [(start, end, text[start:end]) for start, end in plain_runs(ctx)
            if _has_signal(ctx, start, end, text[start:end]) and not dropped(text[start:end], end)]


def _run_context(text: str):
    from extractor.layers.companies import Context, company_lexicon, patterns

    return Context(text=text, title_end=0, persons=set(), places={"ohio"}, lex=company_lexicon(), pat=patterns())


@pytest.mark.parametrize("text", RUN_WORDINGS)
def test_signalled_runs_agree_with_runs_and_the_signal_screen(text: str) -> None:
    """`signalled_runs` (one expression reading a run and what follows it) gives exactly the runs
    of `plain_runs` that pass `_has_signal`, on invented wordings: runs at a sentence's start,
    all-capital words, "&", "Co., Ltd.", hyphens, apostrophes, names joined by "and"."""
    from extractor.layers.companies import signalled_runs

    assert list(signalled_runs(_run_context(text))) == _signal_screen_plain(text)


def test_run_wordings_hold_runs_with_and_without_a_signal() -> None:
    """The wordings above test something: runs pass and fail the screen, and after "<name with
    a suffix> and" the name after "and" is read again past the first run's end, so the next
    run is searched from the end of that longer name."""
    from extractor.layers.companies import patterns

    passed = sum(len(_signal_screen_plain(text)) for text in RUN_WORDINGS)
    assert 0 < passed < sum(len(plain_runs(_run_context(text))) for text in RUN_WORDINGS)
    text = RUN_WORDINGS[4]
    runs = plain_runs(_run_context(text))
    assert runs[1][1] > patterns().run.search(text).end()
    assert text[runs[1][0]:runs[1][1]] == "The Stock Exchange of Northgate Limited"


@pytest.mark.parametrize("text", RUN_WORDINGS)
def test_signalled_runs_read_as_every_run_read_one_by_one(text: str) -> None:
    """The mentions `find_mentions` reads from `signalled_runs` are those `plain_read_run` gives at
    every run of `plain_runs` (a run the screen or the dropped words leave out gives none), and the
    people found on the way are the same."""
    from extractor.layers.companies import read_signalled_run, signalled_runs

    plain_ctx, ctx = _run_context(text), _run_context(text)
    plain = [m for start, end in plain_runs(plain_ctx) if (m := plain_read_run(plain_ctx, start, end)) is not None]
    found = [m for start, end, name in signalled_runs(ctx)
             if (m := read_signalled_run(ctx, start, end, name)) is not None]
    assert found == plain
    assert ctx.persons == plain_ctx.persons


def test_run_wordings_find_mentions_and_people() -> None:
    people, mentions = set(), []
    for text in RUN_WORDINGS:
        ctx = _run_context(text)
        mentions += [m for start, end in plain_runs(ctx) if (m := plain_read_run(ctx, start, end)) is not None]
        people |= ctx.persons
    assert {"Chief Executive Jane Roe", "J. Harlan Pike", "Roe"} <= people
    assert {"Brightmere Ltd", "Harwick & Sons Inc.", "D'Arcy Mining", "Quillon AG"} <= {m.text for m in mentions}


def test_lone_words_dropped_are_plain_words() -> None:
    """Every word `signalled_runs` drops unread is one `_plain_word` drops in any text."""
    from extractor.layers.companies import _lone_words_dropped, _plain_word

    dropped = _lone_words_dropped()
    assert {"The", "It", "However"} <= dropped and "Quillon" not in dropped
    text = "Quillon said on Monday that it will build a plant; the plant opens in June."
    for word in sorted(dropped):
        ctx = _run_context(text)
        assert _plain_word(ctx, word, len(text)), word
