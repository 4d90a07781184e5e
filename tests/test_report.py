"""`extractor report`: the batch page, its numbers, its safety, and the page as a browser shows it.

The browser test renders the page in headless Chromium (Debian's `chromium`; CI installs it
when it can) and is skipped, saying why, where no browser is found.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from extractor import extract
from extractor.batch.cli import app
from extractor.batch.report import (
    SCRIPT, Batch, capacity_by_unit, coverage, investment_by_currency, page_name, read_jsonl,
    render_report, script_hash, short_amount, top_bars,
)
from extractor.models import Site

runner = CliRunner()

# Invented releases: a few projects in different countries, units and currencies.
TEXTS = {
    "tallgrass": "Tallgrass Cells Inc. will build a 24 GWh battery plant in Wichita, Kansas, investing USD 1.2 "
                 "billion and hiring 900 people.\n",
    "nordvik": "Nordvik Steel AB is building a 2.5 million tonnes per year green steel plant in Lulea, Sweden, "
               "an investment of EUR 4 billion.\n",
    "sunreach": "Sunreach Power Ltd commissioned a 300 MW solar park in Rajasthan, India, an investment of "
                "INR 12 billion.\n",
    "harbourline": "Harbourline Data plans a 96 MW data center in Osaka, Japan, costing JPY 80 billion.\n",
}
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def records_file(folder: Path, hostile: bool = False) -> Path:
    """A JSONL batch as `extractor extract` writes it: records, and one error line."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for doc_id, text in TEXTS.items():
        record = extract(text, doc_id=doc_id)
        if hostile and doc_id == "tallgrass":
            record = record.model_copy(update={
                "title": HOSTILE,
                "project": record.project.model_copy(update={"type": HOSTILE, "name": HOSTILE}),
                "site": Site(country=HOSTILE + " $x^2$", region=HOSTILE),
            })
        lines.append(json.dumps(record.model_dump(mode="json")))
    lines.append(json.dumps({"doc_id": "lost", "path": "in/lost.txt", "error": "empty file <b>"}))
    path = folder / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for doc_id, text in TEXTS.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return path


def test_the_counts_add_up(tmp_path: Path) -> None:
    batch = read_jsonl(records_file(tmp_path))
    assert (batch.documents, len(batch.summaries), len(batch.errors), batch.invalid) == (5, 4, 1, 0)
    cover = dict(coverage(batch.summaries))
    assert cover["investment"] == 4 and all(0 <= n <= 4 for n in cover.values())
    units = {t.label: t for t in capacity_by_unit(batch.summaries)}
    assert units["MW"].records == 2 and units["MW"].total == 396
    assert {t.label for t in investment_by_currency(batch.summaries)} == {"USD", "EUR", "INR", "JPY"}


def test_small_helpers() -> None:
    assert short_amount(15_300_000_000) == "15.3 bn" and short_amount(2_400_000) == "2.4 mn"
    assert short_amount(950) == "950"
    bars = [(str(i), 1.0, "1") for i in range(20)]
    assert top_bars(bars, 5)[-1] == ("other (16)", 16.0, "16")
    taken: set[str] = set()
    assert page_name("acme/plant 1", "ab" * 32, taken) == "acme_plant_1.html"
    assert page_name("acme plant 1", "cd" * 32, taken) == "acme_plant_1-cdcdcdcdcd.html"
    assert page_name("../..", "ef" * 32, taken) == "document.html"


def test_the_page_is_self_contained_and_escaped(tmp_path: Path) -> None:
    page = render_report(read_jsonl(records_file(tmp_path, hostile=True)))
    soup = BeautifulSoup(page, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and scripts[0].string == SCRIPT  # the only script is ours
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"script-src '{script_hash()}'" in policy and "default-src 'none'" in policy
    assert not soup.find_all("img") and not soup.find_all(src=True) and not soup.find_all("link")
    assert all(a["href"].startswith("#") for a in soup.find_all(href=True))  # nothing leaves the page
    assert not re.search(r"url\((?!#)", page)  # only the charts' own clip paths
    assert "onerror" not in {attr for tag in soup.find_all(True) for attr in tag.attrs}
    assert soup.find("td", string=HOSTILE) is not None  # shown as text
    assert len(soup.select("figure.chart svg")) == 6
    assert len(soup.select("#records tbody tr")) == 4
    assert soup.select_one(".errors td").get_text() == "lost"


def test_cli_writes_the_page_and_the_show_pages(tmp_path: Path) -> None:
    path = records_file(tmp_path / "batch")
    out = tmp_path / "site" / "report.html"
    out.parent.mkdir()
    result = runner.invoke(app, ["report", str(path), "-o", str(out), "--pages", str(tmp_path / "site" / "pages"),
                                 "--texts", str(tmp_path / "batch")])
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("#records a")]
    assert sorted(links) == sorted(f"pages/{d}.html" for d in TEXTS)
    shown = (out.parent / links[0]).read_text(encoding="utf-8")
    assert "<mark" in shown  # the show page marks the evidence in its text


def test_cli_reads_the_sqlite_store(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for doc_id, text in TEXTS.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    db = tmp_path / "projects.db"
    runner.invoke(app, ["extract", str(folder), "--sqlite", str(db), "--quiet"])
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--sqlite", str(db), "-o", str(out), "--pages", str(tmp_path / "pages")])
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    counts = {div["data-count"]: div.b.get_text() for div in soup.select(".count")}
    assert counts["records"] == "4" and counts["errors"] == "1" and counts["documents"] == "5"
    assert len(soup.select("#records a")) == 4  # the store keeps the texts: every row links


def test_cli_usage_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["report"]).exit_code == 2
    assert runner.invoke(app, ["report", str(tmp_path / "none.jsonl")]).exit_code == 2
    not_a_db = tmp_path / "x.db"
    not_a_db.write_text("hello", encoding="utf-8")
    assert runner.invoke(app, ["report", "--sqlite", str(not_a_db)]).exit_code == 2
    empty = sqlite3.connect(tmp_path / "empty.db")
    empty.execute("CREATE TABLE t (x)")
    empty.close()
    assert runner.invoke(app, ["report", "--sqlite", str(tmp_path / "empty.db")]).exit_code == 2


def test_an_empty_batch_still_makes_a_page(tmp_path: Path) -> None:
    page = render_report(Batch("nothing.jsonl"))
    assert "nothing to show" in page and '<table id="records">' in page


# ---------------------------------------------------------------------------------------------
# in a browser


def chromium() -> str | None:
    """A Chromium (or Chrome) to render pages with: $EXTRACTOR_CHROMIUM, else one on the PATH."""
    names = [os.environ.get("EXTRACTOR_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome",
             "google-chrome-stable"]
    return next((found for name in names if name and (found := shutil.which(name))), None)


def headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180, check=True)


def test_the_page_in_a_browser(tmp_path: Path) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium found (install Debian's `chromium` or set EXTRACTOR_CHROMIUM): "
                    "the report is not checked in a browser here")
    path = records_file(tmp_path / "batch", hostile=True)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(path), "-o", str(out), "--pages", str(tmp_path / "pages"),
                                 "--texts", str(tmp_path / "batch")])
    assert result.exit_code == 0, result.output

    # the DOM after the page's script ran: the script was allowed, the table and charts are there
    dom = BeautifulSoup(headless(browser, tmp_path / "profile", "--dump-dom", out.as_uri()).stdout, "html.parser")
    table = dom.find("table", id="records")
    assert table is not None and table.get("data-ready") == "true", "the page's script did not run"
    assert len(table.tbody.find_all("tr")) == 4
    assert dom.find(id="shown").get_text() == "4 of 4 records shown"
    assert len(dom.select("figure.chart svg")) == 6
    assert {f["data-chart"] for f in dom.select("figure.chart")} >= {"coverage", "country", "status", "type",
                                                                   "capacity", "investment"}
    assert not dom.find("img") and len(dom.find_all("script")) == 1  # the hostile record stayed text

    # a filtered view from the address: only the matching row stays visible
    filtered = BeautifulSoup(headless(browser, tmp_path / "profile", "--dump-dom", out.as_uri() + "#q=sweden").stdout,
                             "html.parser")
    visible = [tr for tr in filtered.find(id="records").tbody.find_all("tr") if not tr.has_attr("hidden")]
    assert [tr.td.get_text() for tr in visible] == ["nordvik"]

    # a sorted view from the address: the largest amount first, as numbers (not as text)
    ranked = BeautifulSoup(headless(browser, tmp_path / "profile", "--dump-dom",
                                    out.as_uri() + "#sort=-investment").stdout, "html.parser")
    assert ranked.find("th", attrs={"aria-sort": "descending"}).get_text() == "investment"
    assert [tr.td.get_text() for tr in ranked.find(id="records").tbody.find_all("tr")] == \
        ["harbourline", "sunreach", "nordvik", "tallgrass"]  # JPY 80 bn, INR 12 bn, EUR 4 bn, USD 1.2 bn

    # and as a person sees it: a screenshot with the charts drawn in colour
    shot = tmp_path / "report.png"
    headless(browser, tmp_path / "profile", "--window-size=1280,1600", f"--screenshot={shot}", out.as_uri())
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1280, 1600)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 200, "the screenshot looks blank"
