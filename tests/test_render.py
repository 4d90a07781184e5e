"""The review page, checked by parsing it: escaped text, every evidence marked by field, the table."""
from __future__ import annotations

from bs4 import BeautifulSoup

from extractor import extract, text_sha256
from extractor.models import Company, Dateline, Evidence, Milestone, Money, Phase, Place, ProjectRecord, Quantity
from extractor.batch.render import FIELD_COLOURS, Fact, describe, facts, number, pieces, render_page

TEXT = (
    "OSLO, March 3, 2026 -- Fjordcell AS <b>will</b> build a 32 GWh battery plant in Mo i Rana "
    "for NOK 9 billion.\n<script>alert('owned')</script>\nPhase 1 (8 GWh) opens in 2027 & employs 700 people."
)


def ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(start=start, end=start + len(quote), text=quote)


def sample_record() -> ProjectRecord:
    capacity = Quantity(value=32, unit="GWh", item="battery cells", evidence=ev("32 GWh"))
    return ProjectRecord(
        doc_id="fjordcell",
        text_sha256=text_sha256(TEXT),
        title="Fjordcell <plant> & more",
        dateline=Dateline(place="OSLO", country="Norway", date="2026-03-03", evidence=ev("OSLO, March 3, 2026")),
        companies=[Company(name="Fjordcell AS", role="developer", evidence=ev("Fjordcell AS"))],
        # overlaps the capacity below and the company's span does not: pieces must split cleanly
        places=[Place(name="Mo i Rana", kind="city", country_code="NO", evidence=ev("Mo i Rana"))],
        capacity=[capacity],
        investment=Money(amount=9e9, currency="NOK", evidence=ev("NOK 9 billion")),
        jobs=Quantity(value=700, unit="jobs", evidence=ev("700 people")),
        phases=[Phase(number=1, label="Phase 1", capacity=[Quantity(value=8, unit="GWh", evidence=ev("8 GWh"))],
                      evidence=ev("Phase 1"))],
        milestones=[Milestone(kind="production_start", date="2027", planned=True, evidence=ev("opens in 2027"))],
        quantities=[capacity, Quantity(value=8, unit="GWh", evidence=ev("8 GWh")),
                    Quantity(value=32, unit="GWh", evidence=ev("a 32 GWh battery"))],
        warnings=["two <capacities> seen"],
    )


def parse(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def test_text_is_escaped_and_nothing_runs():
    soup = parse(render_page(sample_record(), TEXT, source="in/fjordcell.txt"))
    assert soup.find("script") is None and soup.find("b") is None
    assert soup.find(id="text").get_text() == TEXT  # markup in the release shows as text
    assert soup.title.get_text() == "Fjordcell <plant> & more"
    assert "<script>alert('owned')</script>" in soup.find(id="text").get_text()


def test_page_is_self_contained():
    page = render_page(sample_record(), TEXT)
    soup = parse(page)
    assert soup.find("link") is None and soup.find("img") is None and soup.find("iframe") is None
    assert not [tag for tag in soup.find_all(True) if tag.get("src")]
    assert all(a["href"].startswith("#") for a in soup.find_all("a", href=True))
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert "default-src 'none'" in policy["content"]
    assert "http://" not in page and "https://" not in page


def test_every_evidence_is_marked_with_its_field():
    record = sample_record()
    soup = parse(render_page(record, TEXT))
    marks = soup.find(id="text").find_all("mark")
    for fact in facts(record):
        covering = [m for m in marks if fact.evidence.start <= int(m["data-start"]) and int(m["data-end"]) <= fact.evidence.end]
        assert "".join(m.get_text() for m in covering) == fact.evidence.text, fact
        assert all(fact.field in m["data-fields"].split() for m in covering), fact
    # a mark's colour class is its first field in table order, and every field has a colour
    for mark in marks:
        fields = mark["data-fields"].split()
        assert mark["class"] == [f"f-{fields[0]}"] and set(fields) <= set(FIELD_COLOURS)


def test_overlapping_spans_share_a_piece():
    soup = parse(render_page(sample_record(), TEXT))
    (mark,) = [m for m in soup.find(id="text").find_all("mark") if m.get_text() == "32 GWh"]
    assert mark["data-fields"].split() == ["capacity", "quantities"]
    assert "capacity 1: 32 GWh of battery cells" in mark["title"]


def test_table_lists_each_fact_beside_the_text():
    record = sample_record()
    soup = parse(render_page(record, TEXT))
    rows = soup.find(id="record").find_all("tr", class_="fact")
    assert len(rows) == len(list(facts(record)))
    by_label = {row.th.get_text(): row for row in rows}
    assert by_label["investment"].find_all("td")[0].get_text() == "9,000,000,000 NOK"
    assert by_label["jobs"].find_all("td")[1].get_text().startswith("700 people")
    assert soup.find("tr", class_="warning").get_text() == "warningtwo <capacities> seen"
    # the title and the site are rows too, escaped
    assert "Fjordcell <plant> & more" in soup.find(id="record").get_text()


def test_record_with_nothing_still_renders():
    record = ProjectRecord(doc_id="empty", text_sha256=text_sha256("just words"))
    soup = parse(render_page(record, "just words"))
    assert soup.find(id="text").get_text() == "just words" and soup.find(id="text").find("mark") is None
    assert soup.find(id="record").find("tr", class_="fact") is None


def test_page_from_the_real_extractor_quotes_its_text():
    text = "Ridgeway Metals will spend USD 300 million on a smelter in Idaho. <img src=x onerror=alert(1)>"
    record = extract(text, doc_id="ridgeway")
    soup = parse(render_page(record, text))
    assert soup.find(id="text").get_text() == text and soup.find("img") is None


def test_pieces_cut_at_every_boundary():
    assert list(pieces(20, [(0, 10, 0), (5, 15, 1)])) == [(0, 5, [0]), (5, 10, [0, 1]), (10, 15, [1]), (15, 20, [])]
    assert list(pieces(4, [(2, 2, 0), (3, 9, 1)])) == [(0, 4, [])]  # empty and out-of-text spans dropped
    assert list(pieces(0, [])) == []


def test_describe_reads_like_a_sentence():
    money = Money(amount=2.5e8, amount_max=3e8, currency="USD", qualifier="range", evidence=Evidence(start=0, end=0, text=""))
    assert describe(money) == "250,000,000-300,000,000 USD (range)"
    quantity = Quantity(value=1.5, unit="Mt", per="year", qualifier="approx", evidence=Evidence(start=0, end=0, text=""))
    assert describe(quantity) == "1.5 Mt per year (approx)"
    assert number(0.125) == "0.125" and number(12.0) == "12" and number(None) == ""
    assert Fact("jobs", "jobs", "700 jobs", None).evidence is None
