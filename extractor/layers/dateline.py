"""The dateline layer: where and when a story was filed, and the document's headline.

A press release or wire story opens with a dateline, "CITY, Region, Month Day, Year /Wire/ --",
in one of a few shapes: "HOUSTON, March 2 -", "LONDON (Reuters) -", "STUTTGART,
Germany--(BUSINESS WIRE)--", "TORONTO, ONTARIO - July 31, 2026 (NEWMEDIAWIRE) -". It may
follow a headline, bullet lines or a metadata line ("date 2023-06-17"). Only the first lines
are read, so the layer costs the same for any document length.

Stores one `DatelineMention` (place to last part, with its place, country and wire; read it
with `mentions_of`), `doc._.dateline_date` (ISO where the year is known, from the dateline
itself or a metadata line) and `doc._.title`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, NamedTuple, Sequence

import pycountry
from spacy.language import Language
from spacy.tokens import Doc

from extractor import spans as S
from extractor.component import LayerComponent
from extractor.layers.dates import TEXT_KEY, DateParts, iso_date, parse_date_prefix
from extractor.mentions import DatelineMention, set_mentions
from extractor.ruleset import WireRule, lexicon, packaged_rules

MAX_LINES = 15  # a dateline sits in the first lines, after a headline and a few bullets
MAX_CHARS = 2500
MAX_TOKENS = 400  # the dateline sits within the first few hundred tokens

# A place as datelines write it: capitalised words ("SAN JOSE", "ST. LOUIS", "Guiyang").
PLACE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*(?:/[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*)?"
    r"(?: (?:(?:&|and|AND) )?[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*(?:/[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’.\-]*)?){0,5}"
)  # "SAN JOSE", "ST. LOUIS", "LOS ANGELES & SHANGHAI", "BERLIN/MUNICH", "Guiyang"
# A region or country after the place: "Calif.", "West Germany", "N.J.", "ONTARIO".
REGION = re.compile(r"[A-Z][A-Za-z.'’]*(?: [A-Z][A-Za-z.'’]*){0,3}(?=\s*(?:,|-|–|—|\(|/|\[|&|and\s))")
# Between two places of one dateline: "OSLO, Norway and HOUSTON, Texas", "Dubai, UAE / Paris, France".
SECOND_PLACE = re.compile(r"[ \t]*(?:and|&|/)[ \t]*(?=[A-Z])")
# What may follow a dateline's place, as the first characters of each part the reader tries
# after it (a comma part, a second place, a wire, an agency, a dash): where none does, none is read.
NEXT_PART = re.compile(r"\s*[,&/(\[\-–—:]|[ \t]*and")
DASHES = re.compile(r"\s*(?:-{1,3}|–|—|:(?=\s))\s*")
AGENCY = re.compile(r"\s*\((?P<agency>[A-Z]{2,8})\)")  # "(MTI)", "(WAM)": a news agency's initials
WIRE_IN_MARKS = re.compile(
    r"\s*(?:/(?P<slash>[^/\n]{2,60})/|\((?P<paren>[^()\n]{2,60})\)|\[(?P<link>[^\]\n]{2,60})\](?:\([^()\s]{0,200}\))?)"
)
# A filing time between the date and the wire: "2025 08:00 EET", "2025, 8:30 a.m. ET".
TIME = re.compile(
    r",?\s*\d{1,2}(?:[:.]\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?|\s*[AaPp]\.?[Mm]\.?)(?:\s+[A-Z]{1,5}T)?\b\.?"
)
# A byline line above a dateline: "By Jane Doe", "Our Bureau", "Staff Reporter".
BYLINE_NAME = re.compile(r"(?i:by)\s+[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|and|&)){0,5}")
METADATA = re.compile(r"(?i:date|dated|published|posted|release date)\s*[:=]?\s*")
LEADING_MARKS = re.compile(r"[\s#>*]*")
SENTENCE_END = re.compile(r"[a-z0-9)][.!?](?:\s|$)")
GENERIC_WIRE_WORDS = ("wire", "press", "news")
HEADER_MARKS = ("|", "·", "•")
_HEADER_SPLIT = re.compile("|".join(map(re.escape, HEADER_MARKS)))


class DatelineParts(NamedTuple):
    """What one dateline says, with character offsets into the line it was found in."""

    start: int
    end: int
    place: str
    regions: tuple[str, ...]
    year: int | None
    month: int | None
    day: int | None
    wire: str | None


@lru_cache(maxsize=None)
def wire_names() -> dict[str, str]:
    """Written wire form (casefolded) -> the name the record gives ("business wire" -> "Business Wire")."""
    names: dict[str, str] = {}
    for rule in packaged_rules("dateline_wires.jsonl"):
        for form in rule["forms"]:
            names[form.casefold()] = rule["name"]
    return names


def wire_name(written: str, extra: dict[str, str] | None = None) -> str | None:
    """The wire a bracketed or slashed text names; generic "...Newswire" forms stay as written.

    >>> wire_name("PRNewswire"), wire_name("Acme Newswire"), wire_name("the company")
    ('PRNewswire', 'Acme Newswire', None)
    """
    key = written.strip().casefold()
    known = (extra or {}).get(key) or wire_names().get(key)
    if known:
        return known
    if any(word in key for word in GENERIC_WIRE_WORDS) and len(key.split()) <= 4:
        return written.strip()
    return None


@lru_cache(maxsize=None)
def non_places() -> frozenset[str]:
    """All-caps words that open a line with a colon but are no place ("NOTE:", "UPDATE:")."""
    return frozenset(lexicon("dateline.jsonl")["not_places"])


@lru_cache(maxsize=None)
def extra_country_names() -> frozenset[str]:
    """Country names pycountry lacks but datelines use ("West Germany", "South Korea")."""
    return frozenset(n.casefold() for n in lexicon("dateline.jsonl")["country_names"])


@lru_cache(maxsize=4096)
def is_country(name: str) -> bool:
    """True where a dateline part names a country ("CHINA", "Vietnam"), not a state ("Calif.").

    Memoised: pycountry's lookup scans every country's names."""
    if name.casefold() in extra_country_names():
        return True
    try:
        pycountry.countries.lookup(name.strip())
        return True
    except LookupError:
        return False


def _wire_at(line: str, pos: int, extra: dict[str, str] | None) -> tuple[str, int] | None:
    match = WIRE_IN_MARKS.match(line, pos)
    if not match:
        return None
    name = wire_name(match.group("slash") or match.group("paren") or match.group("link"), extra)
    return (name, match.end()) if name else None


def _after_time(line: str, pos: int, date: Any) -> int:
    """Past a filing time right after a full date ("2025 08:00 EET"), where a wire or dash follows it."""
    match = TIME.match(line, pos) if date.year is not None else None
    if match is None:
        return pos
    rest = line[match.end():]
    dash = DASHES.match(rest)
    if WIRE_IN_MARKS.match(rest) or (dash is not None and dash.group(0).strip()):
        return match.end()
    return pos


@lru_cache(maxsize=None)
def byline_forms() -> frozenset[str]:
    """Lines that credit a desk rather than a person ("Our Bureau", "Staff Reporter")."""
    return frozenset(f.casefold() for f in lexicon("dateline.jsonl")["byline_forms"])


MAX_BYLINE = 80  # a "By ..." line longer than this is prose


@lru_cache(maxsize=None)
def longest_byline() -> int:
    """No byline is longer than this: a longer line (most lines) is ruled out by its length.
    (Case folding never shortens a text, so a form's length bounds the line's.)"""
    return max([MAX_BYLINE, *map(len, byline_forms())])


def is_byline(line: str) -> bool:
    """A byline line: "By Jane Doe", "BY JOHN SMITH AND ANA LI", "Our Bureau"."""
    text = line.strip().rstrip(".,")
    if len(text) > longest_byline():
        return False
    if text.casefold() in byline_forms():
        return True
    return len(text) <= MAX_BYLINE and BYLINE_NAME.fullmatch(text) is not None


@dataclass(slots=True)
class DatelineScan:
    """The parts of a dateline read so far, left to right from its place."""

    place: str
    start: int  # where the place starts in the line
    cur: int  # where reading goes on
    end: int  # where the dateline read so far ends
    regions: list[str] = field(default_factory=list)
    date: DateParts | None = None
    wire: str | None = None
    closed: bool = False  # a dash after the last part closes it
    second: bool = False  # a second place joined to the first ("... and HOUSTON, Texas")
    shouting: bool = False  # the place in capitals ("HOUSTON")


def parse_dateline(
    line: str, pos: int = 0, *, wires: dict[str, str] | None = None, first_paragraph: bool = False,
    standalone: bool = False,
) -> DatelineParts | None:
    """The dateline starting at `line[pos]`, or None where the line does not open with one.

    A dateline needs a place and a date or a wire, and ends at a dash after its last part
    (or at the wire): "HOUSTON, March 2 - ..." and "LONDON (Reuters) - ..." qualify,
    "HIGHLIGHTS" and "ACME TO BUILD PLANT" do not. "MUMBAI: ..." (Indian press style)
    qualifies only where it opens the first paragraph (`first_paragraph`).

    >>> found = parse_dateline("HOUSTON, Texas, March 2, 2025 /PRNewswire/ -- Acme said")
    >>> found.place, found.regions, (found.year, found.month, found.day), found.wire
    ('HOUSTON', ('Texas',), (2025, 3, 2), 'PRNewswire')
    >>> parse_dateline("LONDON (Reuters) - Acme said").wire, parse_dateline("ACME TO BUILD PLANT")
    ('Reuters', None)
    """
    place = PLACE.match(line, pos)
    place_text = place.group(0).rstrip("-") if place else ""  # "TOKYO--(BUSINESS WIRE)--": no dashes
    if not place_text:
        return None
    cur = place.start() + len(place_text)
    if not NEXT_PART.match(line, cur):
        return None  # prose: no part of a dateline can follow the capitalised words
    scan = DatelineScan(place_text, place.start(), cur, cur, [], shouting=place_text.upper() == place_text)
    for _ in range(8):
        if line.startswith(",", scan.cur):
            if not _comma_part(line, scan):
                break
        elif not (_second_place(line, scan) or _wire_part(line, scan, wires) or _dash_part(line, scan, wires)):
            break
    if not _accepted(line, scan, first_paragraph, standalone):
        return None
    date = scan.date
    return DatelineParts(
        start=scan.start,
        end=scan.end,
        place=scan.place,
        regions=tuple(scan.regions),
        year=date.year if date else None,
        month=date.month if date else None,
        day=date.day if date else None,
        wire=scan.wire,
    )


def _date_at(line: str, at: int, scan: DatelineScan) -> bool:
    """Read the dateline's date starting at `line[at]` (and a filing time after it); False
    where no date starts there or the dateline has one already."""
    parts = parse_date_prefix(line[at:at + 40]) if scan.date is None else None
    if parts is None:
        return False
    scan.date, scan.cur = parts, at + parts.length
    scan.end = scan.cur
    scan.cur = _after_time(line, scan.cur, parts)
    return True


def _comma_part(line: str, scan: DatelineScan) -> bool:
    """The part after a comma: the date, or a region or country before any date or wire
    (two at most: "SAN JOSE, Calif., March 3"); False where none follows.

    >>> parse_dateline("ELK GROVE, Calif., March 3 - Acme said").regions
    ('Calif.',)
    """
    cur = scan.cur
    nxt = len(line) - len(line[cur + 1:].lstrip()) if cur + 1 < len(line) else cur + 1
    if _date_at(line, nxt, scan):
        return True
    region = REGION.match(line, nxt)
    if region is None or scan.date is not None or scan.wire is not None or len(scan.regions) >= 2:
        return False
    scan.regions.append(region.group(0).strip())
    scan.cur = scan.end = region.end()
    return True


def _second_place(line: str, scan: DatelineScan) -> bool:
    """A second place joined to the first before any date or wire: "OSLO, Norway and
    HOUSTON, Texas, May 5" (the first place names the dateline).

    >>> parse_dateline("OSLO, Norway and HOUSTON, Texas, May 5, 2025 - Acme said").place
    'OSLO'
    """
    if scan.date is not None or scan.wire is not None or scan.second:
        return False
    joint = SECOND_PLACE.match(line, scan.cur)
    following = PLACE.match(line, joint.end()) if joint else None
    if following is None:
        return False
    scan.second, scan.cur = True, following.end()
    return True


def _wire_part(line: str, scan: DatelineScan, wires: dict[str, str] | None) -> bool:
    """A wire in marks ("/PRNewswire/", "(BUSINESS WIRE)"), or a news agency's initials
    after the date ("(MTI)")."""
    if scan.wire is not None:
        return False
    found = _wire_at(line, scan.cur, wires)
    agency = AGENCY.match(line, scan.cur) if scan.date is not None else None
    if agency and not found:
        found = agency.group("agency"), agency.end()
    if not found:
        return False
    scan.wire, scan.cur = found
    scan.end = scan.cur
    return True


def _dash_part(line: str, scan: DatelineScan, wires: dict[str, str] | None) -> bool:
    """A dash: a date or a wire may follow it ("TORONTO, ONTARIO - July 31, 2026
    (NEWMEDIAWIRE) -"); otherwise it closes the dateline. True where reading goes on."""
    dash = DASHES.match(line, scan.cur)
    if not (dash and dash.group(0).strip()):
        return False
    scan.cur = dash.end()
    if _date_at(line, scan.cur, scan):
        return True
    if scan.wire is None and _wire_at(line, scan.cur, wires):
        return True
    scan.closed = True
    return False


def _accepted(line: str, scan: DatelineScan, first_paragraph: bool, standalone: bool) -> bool:
    """Whether the parts read make a dateline rather than prose or a heading.

    >>> parse_dateline("Boston, May 5 and other towns") is None
    True
    """
    date, wire, closed = scan.date, scan.wire, scan.closed
    if date is None and wire is None:
        if not (scan.shouting and closed and first_paragraph and not scan.regions
                and line[scan.cur - 2:scan.cur].strip() == ":"):
            return False  # only "CITY: text" opening the first paragraph passes without date or wire
        if scan.place in non_places():
            return False
    if not closed and wire is None and not (standalone and date is not None and date.year is not None
                                            and not line[scan.end:].strip()):
        return False  # "Boston, May 5 and ..." is prose, not a dateline; "Chennai, 12 February 2025"
        # alone on its line under a byline (`standalone`) is one
    if not scan.shouting and wire is None and (date is None or date.year is None) \
            and not (closed and date is not None and (scan.regions or known_town(scan.place))):
        return False  # a title-case place needs a wire, a full date, or a dash after a known town
        # or a region: "Toronto, May 3 -", "Elk Grove, Calif, May 3 -" (wire copy of the 1980s)
    return True


def known_town(name: str) -> bool:
    """Is `name` a town or region the gazetteer knows ('Toronto'), not any capitalised word?"""
    from extractor.layers.places import lookup_town  # the places layer imports nothing from here

    return lookup_town(name) is not None


def metadata_date(line: str, pos: int) -> tuple[str, int] | None:
    """An ISO date from a metadata prefix such as "date 2023-06-17" or "Published: May 9, 2024"."""
    match = METADATA.match(line, pos)
    if not match:
        return None
    parts = parse_date_prefix(line[match.end():match.end() + 40])
    if parts is None or parts.year is None:
        return None
    iso = iso_date(parts.year, parts.month, parts.day)
    return (iso, match.end() + parts.length) if iso else None


def header_date(line: str) -> str | None:
    """A full date standing alone in a header line's field: "NEWSROOM | Press Release |
    Apr 10, 2025" or "By staff | 14 March 2025" (a newsroom page's stamp)."""
    if len(line) > 120 or _HEADER_SPLIT.search(line) is None:
        return None
    for field in _HEADER_SPLIT.split(line):
        field = field.strip()
        meta = metadata_date(field, 0)
        if meta:
            return meta[0]
        parts = parse_date_prefix(field)
        if parts is not None and parts.year is not None and parts.length >= len(field) - 1:
            return iso_date(parts.year, parts.month, parts.day)
    return None


def looks_like_title(line: str) -> bool:
    """A first line is a headline unless it reads as a body paragraph (long, many sentences)."""
    words = line.split()
    if not words or len(line) > 300:
        return False
    sentences = len(SENTENCE_END.findall(line))
    return not (sentences >= 2 or (line.endswith(".") and len(words) > 40))


def _lines(text: str) -> Iterable[tuple[int, str]]:
    """(offset, line) of the first lines of the text, blank ones skipped."""
    offset = 0
    seen = 0
    for line in text[:MAX_CHARS].splitlines(keepends=True):
        if line.strip():
            yield offset, line.rstrip("\r\n")
            seen += 1
            if seen >= MAX_LINES:
                return
        offset += len(line)


def head_text(doc: Doc) -> str:
    """The first MAX_CHARS characters of the doc, joined from its first tokens only, so a
    long document costs no more than a short one here."""
    cached = doc.user_data.get(TEXT_KEY)
    if isinstance(cached, str):
        return cached[:MAX_CHARS]
    tokens = doc[:MAX_TOKENS]
    return tokens.text_with_ws[:MAX_CHARS] if len(tokens) else ""


def _user_wires(extra_rules: Sequence[WireRule]) -> dict[str, str]:
    """User rules such as {"id": "w1", "layer": "dateline", "name": "Acme Wire", "forms": ["ACMEWIRE"]}."""
    names: dict[str, str] = {}
    for rule in extra_rules:
        for form in rule.forms:
            names[form.casefold()] = rule.name
    return names


def analyse_head(text: str, wires: dict[str, str] | None = None) -> dict[str, Any]:
    """Title, metadata date and dateline (absolute offsets) of a text's first lines."""
    found: dict[str, Any] = {"title": None, "meta_date": None, "dateline": None, "offset": 0}
    first = True
    after_byline = False
    for index, (offset, line) in enumerate(_lines(text)):
        pos = LEADING_MARKS.match(line).end()
        meta = metadata_date(line, pos)
        if meta:
            found["meta_date"] = found["meta_date"] or meta[0]
            pos = LEADING_MARKS.match(line, meta[1]).end()
        else:
            stamp = header_date(line)
            if stamp:
                found["meta_date"] = found["meta_date"] or stamp
                continue
        parts = parse_dateline(
            line, pos, wires=wires, first_paragraph=index <= 1, standalone=after_byline
        ) if found["dateline"] is None else None
        if parts:
            found["dateline"], found["offset"] = parts, offset
        if first and not meta and not parts and looks_like_title(line[pos:].strip()):
            found["title"] = line[pos:].strip()
        first = False
        if found["dateline"]:
            break
        after_byline = is_byline(line[pos:])  # read by the next line only
    return found


@Language.factory("extractor_dateline", default_config={"extra_rules": []})
def make_dateline_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]]) -> LayerComponent:
    """The dateline component: `extra_rules` are the user's rules of the layer, saved with the pipeline."""
    return LayerComponent(nlp, name, "dateline", S.DATELINE, dateline_analyser, extra_rules)


def dateline_analyser(nlp: Language, extra_rules: Sequence[WireRule]) -> Callable[[Doc], Doc]:
    wires = _user_wires(extra_rules)
    wire_names()  # read the packaged wires once, when the pipeline is built

    def analyse_doc(doc: Doc) -> Doc:
        head = analyse_head(head_text(doc), wires)
        ext = doc._  # each `doc._` makes a new accessor
        ext.title = head["title"]
        parts: DatelineParts | None = head["dateline"]
        dated = iso_date(parts.year, parts.month, parts.day) if parts and parts.year else None
        ext.dateline_date = dated or head["meta_date"]
        found = dateline_mention(doc, parts, head["offset"]) if parts is not None else None
        set_mentions(doc, DatelineMention, [found] if found is not None else [])
        return doc

    return analyse_doc


def dateline_mention(doc: Doc, parts: DatelineParts, offset: int) -> DatelineMention | None:
    """The dateline as a mention over whole tokens (None where its offsets split no tokens)."""
    span = doc.char_span(offset + parts.start, offset + parts.end, alignment_mode="expand")
    if span is None:
        return None
    countries = [r for r in parts.regions if is_country(r)]
    return DatelineMention(span.start, span.end, span.start_char, span.end_char, "dateline",
                           parts.place, countries[-1] if countries else None, parts.wire)
