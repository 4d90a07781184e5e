"""The companies layer: who is named, under which aliases, and who develops the project.

A company shows itself by form or by context:
- form: a capitalised run ending in a legal suffix ("Acme Power Co., Ltd."), a ticker tag after
  a name ("(NYSE: ACME)", Reuters' "<ACM>"), a Reuters bracketed name ("<Acme Tools GmbH>"), a
  short name defined in brackets after a full one ("Acme Power Co., Ltd. (APC)"), a name kept
  as data (`known_names`);
- context: the subject of "said" / "announced" / "will build", an appositive ("Acme, a
  battery maker, ..."), a possessive before a plant or an officer ("Acme's plant", "Acme's
  CEO"), the object of "jointly with", "a subsidiary of".
People ("Jane Roe said"), places ("Ontario's plan") and all-caps headline words are kept out.

Aliases merge under one canonical name, `CompanyMention.name` (the fullest legal form): an exact match
once suffixes are dropped, a bracket definition, a leading-words match ("Acme Power" of "Acme
Power Co."), an acronym of the full name's initials, a single word of a longer name.

Roles (`CompanyMention.role`) come from what the text says each company does; the developer is
the company that builds, invests, opens or owns the project, weighed over all its mentions.
Everything runs on the document text with a handful of compiled, bounded expressions, once
per document; per-mention checks only look at a few dozen characters around the mention.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from extractor import spans as S
from extractor.mentions import CompanyMention, PlaceMention, mentions_of, set_mentions
from extractor.component import LayerComponent
from extractor.layers.dates import document_text
from extractor.ruleset import CompanyRule, lexicon

SEP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"  # one line break allowed: wire copy wraps names
WORD = r"[A-Z][\w&.\-]*(?:['’](?!s\b)[\w&.\-]+)*"
LATER_WORD = r"(?:[A-Z0-9][\w&.\-]*(?:['’](?!s\b)[\w&.\-]+)*|&)"
MAX_WORDS = 7
GLUED_HEADING = re.compile(r"\s(?:AG|SE|Inc\.?|Ltd\.?|Corp\.?|plc|PLC|LLC|GmbH|Limited|Group)(\s+(?:The|A|An|As|With|Since|In|Founded|Headquartered|Based)\s)")
GOVERNMENT_AFTER = re.compile(
    r"\s+(?:(?:municipal|provincial|state|federal|regional|local|city|county|central|national|prefectural)\s+)?"
    r"(?:government|authorities|ministry|administration|parliament)\b"
)
LOCATED_ADJECTIVES = ("-based", "-headquartered", "-listed", "-owned", "-born", "-registered")
# 'Acme Ltd ("Acme" or the "Company")': the release's own issuer
DEFINED_AS_COMPANY = re.compile(r"\s*\([^()\n]{0,40}?[“\"](?:Company|Issuer|Corporation)[”\"]")
SUFFIX_OF = re.compile(r"\s(?:Inc\.?|Ltd\.?|Corp\.?|Co\.?|plc|PLC|LLC|AG|SE|GmbH|Limited|SA|S\.A\.|NV|N\.V\.)(\s+of\s+[A-Z])")
# words that open a sentence and never continue a company's name
SENTENCE_OPENERS = frozenset("The It Its This That These Those He She They We Our Their A An But However".split())
SENTENCE_END = re.compile(r"([\w\-]{2,})\.\s+(?=[A-Z])")
# small expressions of the per-run checks, compiled once (not looked up in re's cache each call)
ENDS_WITH_INITIAL = re.compile(r"\b[A-Z]\.$")
BRACKET_AHEAD = re.compile(r"\s*\([^()\n]{1,80}\)")
TAG_OPENS = re.compile(r"\s*[(\[<]")  # where a ticker tag or a bracket may follow a name
AND_JOINT = re.compile(r"\s+(?:and|&)\s+")
SPACES = re.compile(r"\s+")
TAG_AHEAD = re.compile(r"\s*(?:<[^<>\n]{1,60}>|\(\s*[A-Za-z \-.]{2,20}\s*[:：][^()\n]{1,60}\))")
LEADING_THE = re.compile(r"^(?:The|THE)\s+")
NOT_CAPITAL = re.compile(r"[^A-Z]")
LETTER_WORD = re.compile(r"[A-Za-z][\w&]*")
# where `_run_pieces` may cut a run: a dot before a space or a line break, an "and" or "&"
MAY_SPLIT = re.compile(r"\.[ \n]| and| &")
ABBREVIATIONS = frozenset({"st", "mt", "ft", "jr", "sr", "dr", "mr", "ms", "mrs", "no", "bros", "intl", "dept", "gov", "u.s", "n.v", "s.a"})


@dataclass
class Mention:
    """One place the text names a company, with what its surroundings say."""

    start: int
    end: int
    text: str
    rule_id: str
    ticker: str | None = None
    alias_of: str | None = None  # the name a bracket definition refers to


@dataclass
class Cluster:
    """One company: its names, its mentions, and the evidence for its role."""

    name: str
    keys: set[str]
    forms: set[str]
    ticker: str | None = None
    government: bool = False
    has_form: bool = False
    mentions: list[tuple[int, int]] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=None)
def company_lexicon() -> dict[str, Any]:
    """The packaged company lexicons (`rules/companies.jsonl`)."""
    return lexicon("companies.jsonl")


def _alt(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def _trie(forms: Iterable[str]) -> str:
    """An expression for exactly the strings `_alt(forms)` matches, written as a prefix tree:
    the engine reads a shared beginning once instead of trying every form in turn.

    The forms that fit the text at one position begin one another ("Co", "Co."); the tree
    tries them longest first (each continuation is a greedy optional group), as `_alt`'s
    longest-first order does, so an expression matches the same text with either
    (`test_run_expression_is_the_same_with_a_prefix_tree` checks it on the run expression).
    """
    tree: dict[str, dict] = {}
    for form in set(forms):
        node = tree
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}  # a form ends here

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + (")?" if "" in node else ")")

    return emit(tree) or "(?:)"


def _first_letters(forms: Iterable[str]) -> str:
    """A character class body of the forms' first characters, in either case."""
    firsts = {ch for form in forms if form for ch in (form[0].lower(), form[0].upper())}
    return "".join(re.escape(ch) for ch in sorted(firsts))


@dataclass(frozen=True)
class Patterns:
    run: re.Pattern[str]
    exchange_tag: re.Pattern[str]
    reuters_tag: re.Pattern[str]
    reuters_name: re.Pattern[str]
    alias: re.Pattern[str]
    skip_tags: re.Pattern[str]
    subject_after: re.Pattern[str]
    developer_after: re.Pattern[str]
    supplier_after: re.Pattern[str]
    # the unions of the three above and of the first two: one failed match rules them all out
    verb_after: re.Pattern[str]
    acting_after: re.Pattern[str]
    appositive_after: re.Pattern[str]
    possessive_project: re.Pattern[str]
    possessive_company: re.Pattern[str]
    modifier_project: re.Pattern[str]
    cue_before: dict[str, re.Pattern[str]]
    suffix_tail: re.Pattern[str]
    person_role_after: re.Pattern[str]
    quote_before: re.Pattern[str]
    government: re.Pattern[str]
    signal_after: re.Pattern[str]
    # the run expression, and in the same match what `signal_after` reads at its end (group
    # "after", "comma" within it); a lookahead, so the runs found are the run expression's
    run_signal: re.Pattern[str]


@lru_cache(maxsize=8)
def patterns(extra_names: tuple[str, ...] = ()) -> Patterns:
    """Every expression of the layer, compiled once; all bounded, none nested ambiguously."""
    lex = company_lexicon()
    suffix = suffix_expression(lex)
    run = run_expression(lex)
    exchanges = _alt(lex["stock_exchanges"])
    fillers = _trie(lex["subject_fillers"])
    skip = r"(?:\s*(?:\([^()\n]{0,80}\)|<[^<>\n]{1,60}>))*"
    appositive = r"(?:\s*,[^,\n;]{1,80}?,)?"
    lead = rf"{skip}{appositive}\s+(?:(?:{fillers})\s+){{0,3}}\[?"  # "[announced](https://...)"
    return Patterns(
        run=re.compile(run),
        exchange_tag=re.compile(
            rf"\s*[(\[]\s*(?P<ex>{exchanges})\s*[:：]\s*(?P<sym>[A-Za-z0-9][A-Za-z0-9.\-]{{0,11}})[^()\[\]\n]{{0,80}}[)\]]"
        ),
        reuters_tag=re.compile(r"\s*<(?P<sym>[A-Z][A-Z0-9.\-]{0,9})>"),
        reuters_name=re.compile(r"<(?P<name>[A-Z][^<>\n]{1,60}?)>"),
        alias=re.compile(
            r"\s*\(\s*(?:the\s+)?[“\"'‘]?(?P<alias>[A-Z][\w&.\- ]{0,40}?)[”\"'’]?\s*"
            r"(?:(?:or|and|,)\s+(?:the\s+)?[“\"'‘]?[\w ]{1,30}?[”\"'’]?\s*)?\)"
            r"|\s*,\s*(?P<abbr>[A-Z][A-Z0-9]{1,5}),"
        ),
        skip_tags=re.compile(skip),
        subject_after=re.compile(rf"{lead}(?:{_trie(lex['subject_verbs'])})\b"),
        developer_after=re.compile(rf"{lead}(?:{_trie(lex['developer_verbs'])})\b"),
        supplier_after=re.compile(rf"{lead}(?:{_trie(lex['supplier_verbs'])})\b"),
        verb_after=re.compile(rf"{lead}(?:{_verbs(lex, 'subject_verbs', 'developer_verbs', 'supplier_verbs')})\b"),
        acting_after=re.compile(rf"{lead}(?:{_verbs(lex, 'subject_verbs', 'developer_verbs')})\b"),
        appositive_after=re.compile(
            rf"{skip}(?:\s*,\s+|\s+(?:is|was|has\s+been|,\s+which\s+is)\s+)(?:a|an|the|one\s+of\s+the)\s+"
            rf"(?:[\w.\-’']+\s+){{0,7}}?(?:{_trie(lex['company_nouns'])})\b"
        ),
        possessive_project=re.compile(
            rf"['’]s?\s+(?:[\w.\-’']+\s+){{0,4}}?(?i:{_trie(lex['project_nouns'])})\b"
        ),
        possessive_company=re.compile(rf"['’]s?\s+(?:{_trie(lex['company_possessed'])})\b"),
        modifier_project=re.compile(
            rf"(?:\s+[\w,.\-]+){{0,6}}?\s+(?:{_trie(lex['project_nouns'])})\b"
        ),
        cue_before=_cue_patterns(lex),
        suffix_tail=re.compile(rf"(?:{suffix})+$"),
        person_role_after=re.compile(
            rf"\s*,\s+(?:the\s+|a\s+|its\s+|our\s+)?(?:[\w’'.\-]+\s+){{0,3}}?(?:{_trie(lex['person_roles_after'])})\b"
        ),
        quote_before=re.compile(r"(?:said|says|according\s+to|wrote|told|added|explained|noted)\s*,?\s*$"),
        government=re.compile(rf"(?:{_trie(lex['government_heads'])})"),
        signal_after=re.compile(_signal_after(word_sets()["next_words"])),
        run_signal=re.compile(rf"(?:{run})(?=(?P<after>{_signal_after(word_sets()['next_words'])})?)"),
    )


def suffix_expression(lex: dict[str, Any], alternation: Callable[[Iterable[str]], str] = _trie) -> str:
    """One legal suffix after a name (", Ltd.", " GmbH"), its forms as a prefix tree."""
    comma_sufs = alternation(lex["comma_suffixes"])
    other_sufs = alternation(set(lex["legal_suffixes"]) - set(lex["comma_suffixes"]))
    return rf"(?:,?{SEP}(?:{comma_sufs})|{SEP}(?:{other_sufs}))(?![\w\-])"


def run_expression(lex: dict[str, Any], alternation: Callable[[Iterable[str]], str] = _trie) -> str:
    """A capitalised run: up to MAX_WORDS words, connectors between them ("of", "de"), and
    up to two legal suffixes."""
    conn = alternation(c for c in lex["name_connectors"] if c != "&")
    suffix = suffix_expression(lex, alternation)
    return rf"{WORD}(?:{SEP}(?:(?:{conn}){SEP})?{LATER_WORD}){{0,{MAX_WORDS - 1}}}(?:{suffix}){{0,2}}"


def _verbs(lex: dict[str, Any], *keys: str) -> str:
    """The alternation of several verb lists' tries: it matches where any one of them does."""
    return "|".join(f"(?:{_trie(lex[key])})" for key in keys)


# the lexicon's lists of words written before a company, by the role they give it
CUE_LISTS = (
    ("developer_object", "developer_cues_before"),
    ("descriptor", "descriptor_cues_before"),
    ("partner", "partner_cues"),
    ("supplier", "supplier_cues_before"),
    ("customer", "customer_cues_before"),
    ("investor", "investor_cues_before"),
)


def _cue_patterns(lex: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """Per role, an expression for its cue words right before a name ("built by", "the
    carmaker"), searched in the few dozen characters before a mention."""
    return {
        role: re.compile(
            # "(?<!\w)(?=[first letters])": where "(?:^|\W)" would match, found sooner
            rf"(?<!\w)(?i:(?=[{_first_letters(lex[key])}]){_trie(lex[key])})"
            rf"\s+(?:the\s+|its\s+|a\s+)?(?:[\w\-]+-(?:based|owned|listed|headquartered)\s+)?$"
        )
        for role, key in CUE_LISTS
    }


@lru_cache(maxsize=None)
def place_names() -> frozenset[str]:
    """Country and first-level division names, casefolded: a fallback that keeps places out."""
    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value.casefold())
    for sub in pycountry.subdivisions:
        names.add(sub.name.casefold())
    return frozenset(names)


@lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """A comparison key: casefolded words without legal suffixes or a leading "the".

    >>> name_key("The Acme Power Co., Ltd."), name_key("ACME POWER")
    ('acme power', 'acme power')
    """
    suffixes = _suffix_words()
    words = re.findall(r"[\w&]+", name.casefold())
    while words and words[-1] in suffixes:
        words.pop()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=None)
def _suffix_words() -> frozenset[str]:
    words: set[str] = set()
    for suffix in company_lexicon()["legal_suffixes"]:
        words.update(re.findall(r"[\w&]+", suffix.casefold()))
    words.discard("group")  # "Acme Group" and "Acme" are one company, but keep the word in names
    return frozenset(words | {"group"})


@lru_cache(maxsize=None)
def _abbreviations() -> frozenset[str]:
    """Words whose final dot ends no sentence: legal suffix words and common abbreviations."""
    return _suffix_words() | ABBREVIATIONS


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """Capital initials of a name's words, suffix words left out: "Acme Power Co" -> "AP"."""
    suffixes = _suffix_words()
    connectors = set(company_lexicon()["name_connectors"])
    return "".join(
        w[0].upper() for w in re.findall(r"[\w&]+", name)
        if w.casefold() not in suffixes and w not in connectors and w[0].isalpha()
    )


def is_acronym_of(short: str, full: str) -> bool:
    """True where `short` is spelt by the initials of `full` ("APC" of "Acme Power Corp",
    "APT" of "Acme Power Thuringia GmbH"); suffix words may add a letter or not."""
    if not short.isupper() or not 2 <= len(short) <= 6 or " " in short:
        return False
    letters = NOT_CAPITAL.sub("", short)
    if not letters:
        return False
    plain = initials(full)
    with_suffix = "".join(w[0].upper() for w in LETTER_WORD.findall(full))
    return letters in (plain, with_suffix) or (len(letters) >= 3 and plain.startswith(letters))


def same_company(short: str, full: str) -> bool:
    """True where `short` names the company `full` names, by a key, leading words or initials."""
    a, b = name_key(short), name_key(full)
    if not a or not b:
        return False
    if a == b:
        return True
    aw, bw = a.split(), b.split()
    if len(aw) > len(bw):
        aw, bw = bw, aw
    if bw[:len(aw)] == aw:
        return True  # "Acme Power" and "Acme Power Co", "Acme" and "Acme Guizhou"
    if len(aw) >= 2 and aw[0] == bw[0] and _in_order(aw, bw):
        return True  # "Acme Film" and "Acme Photo Film"
    if len(aw) == 1 and len(aw[0]) >= 4 and aw[0] in bw:
        return True
    return is_acronym_of(short.strip(), full)


def _in_order(short: list[str], long: list[str]) -> bool:
    """True where every word of `short` appears in `long`, in the same order."""
    rest = iter(long)
    return all(word in rest for word in short)


def trim_run(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a sentence end, a short line's break and leading stop words out of a capitalised
    run (offsets in text): "Bay. It" -> "It", "Today Acme Inc" -> "Acme Inc"."""
    span = text[start:end]
    column = start - text.rfind("\n", 0, start) - 1 if "\n" in span else 0
    cut, length = _trimmed(span, column)
    return start + cut, start + cut + length


@lru_cache(maxsize=8192)
def _trimmed(span: str, column: int) -> tuple[int, int]:
    """`trim_run` on the run's own text (a name recurs: read once): where the name starts in
    it and its length. `column`: where the run starts in its line, read where it holds a break.

    >>> _trimmed("Bay. It", 0), _trimmed("Today Acme Inc", 0)
    ((5, 2), (6, 8))
    """
    stops = word_sets()["leading_stop_words"]
    abbreviations = _abbreviations()
    cut = 0
    if ". " in span or ".\n" in span:
        for match in SENTENCE_END.finditer(span):
            if match.group(1).casefold() not in abbreviations:
                cut = match.end()
    if cut:
        line_break = span.rfind("\n", 0, cut)
        column = cut - line_break - 1 if line_break >= 0 else column + cut
    start, span = cut, span[cut:]
    newline = span.find("\n")
    if newline >= 0 and column + newline < 50:  # a break after a short line is a paragraph's end
        span = span[:newline]
    while True:
        leading = LEADING_WORD.match(span)
        word = leading.group(1) if leading else ""
        if not leading or not (word in stops or (not word.isupper() and word.lower() in STOP_WORDS)
                               or word.endswith(LOCATED_ADJECTIVES)):
            break
        start, span = start + leading.end(), span[leading.end():]
    of_place = SUFFIX_OF.search(span) if " of " in span else None
    if of_place:  # "Acme Corp of Japan": the company ends at its suffix
        span = span[:of_place.start(1)]
    glued = GLUED_HEADING.search(span) if span.count(" ") >= 2 else None
    if glued:  # "Acme AG The Acme AG stands for": a heading run into its paragraph
        span = span[:glued.start(1)]
    words = span.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        span = span[:span.rindex(words[half], 0, len(span) - len(" ".join(words[half + 1:])))].rstrip()
    stripped = span.rstrip(" \t\n,")
    tail = stripped.rsplit(None, 1)
    if len(tail) == 2 and tail[1] in _calendar_words():
        stripped = tail[0]  # "Department of Transportation Friday": the weekday is no part
    if stripped.endswith(".") and not _ends_with_suffix(stripped) and not ENDS_WITH_INITIAL.search(stripped):
        stripped = stripped[:-1]
    return start, len(stripped)


@lru_cache(maxsize=8192)
def _ends_with_suffix(name: str) -> bool:
    """True where a name ends in a legal suffix ("Acme Power Co., Ltd.")."""
    tail = name.rsplit(None, 1)[-1] if name.strip() else ""
    if tail.strip(",()").replace(".", "").casefold() not in _suffix_words() and not tail.endswith(")"):
        return False  # the expression below scans the whole name: only run it when plausible
    return bool(patterns().suffix_tail.search(name))


@lru_cache(maxsize=4096)
def without_suffix(name: str) -> str:
    """The name with its legal suffixes cut off ("Acme Power Co., Ltd." -> "Acme Power"): the
    expression scans the whole name, and a company's name recurs."""
    return patterns().suffix_tail.sub("", name)


@dataclass
class Context:
    """What the layer knows about the document while it reads the runs."""

    text: str
    title_end: int
    persons: set[str]
    places: set[str]
    lex: dict[str, Any]
    pat: Patterns
    seen_lower: dict[str, bool] = field(default_factory=dict)  # word -> written in lower case?
    place_word_set: set[str] | None = None
    seen_inside: dict[str, bool] = field(default_factory=dict)  # word -> seen inside a sentence?
    plain: dict[str, bool] = field(default_factory=dict)  # word -> `_plain_word`'s word test
    word_index: dict[str, list[int]] | None = None  # `word_starts(text)` of a long text, built on first use
    shouting_title: bool | None = None  # is the headline all capitals? (`_in_shouting_title`)
    common: dict[str, bool] = field(default_factory=dict)  # name -> `_reads_as_common`


# From this length on, words are looked up in an index of the text (`word_starts`) rather than
# by scanning the whole text once per word, whose cost grows with length times vocabulary.
# Measured on bench texts joined to 24, 43, 81 and 167 thousand characters (the layer's time
# with the index / without): 5.7/5.2, 10.2/11.9, 23/35, 48/97 ms: the index pays from ~30,000.
INDEX_FROM_LENGTH = 30_000
ALNUM_RUN = re.compile(r"[^\W_]+")  # letters and digits (str.isalnum), nothing else


def word_starts(text: str) -> dict[str, list[int]]:
    """Where each run of letters and digits starts, by the run: one pass over the text.

    >>> word_starts("Acme and acme-cell, Acme")
    {'Acme': [0, 20], 'and': [5], 'acme': [9], 'cell': [14]}
    """
    index: dict[str, list[int]] = {}
    for match in ALNUM_RUN.finditer(text):
        found = index.get(match.group())
        if found is None:
            index[match.group()] = [match.start()]
        else:
            found.append(match.start())
    return index


def text_index(ctx: Context) -> dict[str, list[int]] | None:
    """The document's `word_starts`, where the text is long enough to be worth one."""
    if ctx.word_index is None and len(ctx.text) >= INDEX_FROM_LENGTH:
        ctx.word_index = word_starts(ctx.text)
    return ctx.word_index


def positions(text: str, form: str, index: dict[str, list[int]] | None = None) -> Iterator[int]:
    """Where `form` occurs in `text` after no letter or digit, left to right (a match found
    by scanning resumes after its end); with `index` (`word_starts(text)`) only the runs
    starting like `form` are tried. A form starting with no letter or digit is scanned for.

    >>> list(positions("Acme, Acme-Cell and xAcme", "Acme"))
    [0, 6, 21]
    >>> list(positions("Acme, Acme-Cell and xAcme", "Acme", word_starts("Acme, Acme-Cell and xAcme")))
    [0, 6]
    """
    run = ALNUM_RUN.match(form) if index is not None else None
    if run is None or index is None:  # no index means no run either
        pos = text.find(form)
        while pos >= 0:
            yield pos
            pos = text.find(form, pos + len(form))
        return
    for pos in index.get(run.group(), ()):
        if text.startswith(form, pos):
            yield pos


def is_person_run(ctx: Context, start: int, end: int) -> bool:
    """True where a capitalised run names a person: a title inside or before it, a role
    after it ("Jane Roe, chief executive"), an initial ("J. Roe") or a quote before it."""
    text = ctx.text
    name = text[start:end]
    before = text[max(0, start - 40):start]
    before_words = before.rsplit(None, 1)
    if before_words and before_words[-1] in word_sets()["person_titles"]:
        return True
    shape = _person_shape(name)
    if shape is not None:
        return shape
    if ctx.pat.person_role_after.match(text, end) and not _ends_with_suffix(name):
        return True  # "Jane Roe, a leader in ..." but not "Acme Corporation, a leader in ..."
    return _last_word(before) in QUOTE_WORDS and bool(ctx.pat.quote_before.search(before)) \
        and not _ends_with_suffix(name)


@lru_cache(maxsize=4096)
def _person_shape(name: str) -> bool | None:
    """What a run's own words say of a person, read once per name: True for a title inside
    ("Chairman Zhao") or an initial first ("J. Roe"), False for one word with neither,
    None where the words around it decide."""
    words = name.split()
    if not word_sets()["person_titles"].isdisjoint(words[:-1]) or INITIAL.match(name):
        return True
    return False if len(words) < 2 else None


def _is_not_name(ctx: Context, name: str, *, place_ok: bool = False) -> bool:
    """True where a run cannot be a company alone: a stop word, a place, a known person.
    A legal or ticker form may carry a place's name ("Lenzing AG"), so `place_ok` there."""
    if _never_a_name(name):
        return True
    if not place_ok and (name.casefold() in ctx.places or _is_place_name(name)):
        return True
    return name.split()[-1] in ctx.persons or name in ctx.persons


@lru_cache(maxsize=8192)
def _never_a_name(name: str) -> bool:
    """`_is_not_name`'s part that needs no document: a stop word, a month or weekday first,
    no letter, or only words that name nothing ("The", "And").

    >>> _never_a_name("March Power"), _never_a_name("Acme Power")
    (True, False)
    """
    sets = word_sets()
    not_names = sets["not_names"]
    if not name or len(name) < 2 or name in not_names:
        return True
    words = name.split()
    if words[0].rstrip(".") in _calendar_words():
        return True
    if not any(ch.isalpha() for ch in name):
        return True
    connectors = sets["name_connectors"]
    return all(w in not_names or w.lower() in connectors for w in words)


@lru_cache(maxsize=8192)
def _is_place_name(name: str) -> bool:
    """Is `name` a country's or a first-level division's name (`place_names`)?"""
    return name.casefold() in place_names()


def _reads_as_common(ctx: Context, name: str) -> bool:
    """True where a suffix-less run is ordinary words capitalised: every title-case word
    also occurs in lower case in the text ("Construction began"), or it names a thing
    ("Acme Solar Plant") rather than a firm. Read once per name and document."""
    known = ctx.common.get(name)
    if known is None:
        known = ctx.common[name] = _reads_as_common_test(ctx, name)
    return known


def _reads_as_common_test(ctx: Context, name: str) -> bool:
    words = name.split()
    last = words[-1].casefold()
    if last in word_sets()["not_name_endings"] or last.endswith(("factory", "plant", "project")):
        return True
    for word in words:
        if word.isupper() or not word[:1].isupper():
            if word.isupper() and len(word) > 1:
                return False
            continue
        lower = word.lower()
        if lower in STOP_WORDS:
            continue
        if not written_lower(ctx, lower):
            return False
    return True


def _only_sentence_initial(ctx: Context, name: str) -> bool:
    """True where a name never appears inside a sentence: "Separately, ..." and "Finally
    the ..." are capitalised only because they open one."""
    return not seen_inside_sentence(ctx, name.split()[0])


@lru_cache(maxsize=None)
def _calendar_words() -> frozenset[str]:
    """Month and weekday words, from the dates layer's lexicon: "March 2026" is no company."""
    from extractor.layers.dates import date_lexicon

    lex = date_lexicon()
    return frozenset([*lex["months"], *lex["weekdays"]])


def _ticker_after(ctx: Context, end: int) -> tuple[str | None, int]:
    """The ticker tag right after a name (through bracket definitions), and where it ends."""
    if TAG_OPENS.match(ctx.text, end) is None:
        return None, end  # every tag and bracket below opens with one of "([<"
    pos = end
    for _ in range(3):
        match = ctx.pat.exchange_tag.match(ctx.text, pos)
        if match:
            return f"{match.group('ex')}: {match.group('sym')}", match.end()
        match = ctx.pat.reuters_tag.match(ctx.text, pos)
        if match:
            return match.group("sym"), match.end()
        alias = BRACKET_AHEAD.match(ctx.text[pos:pos + 90])
        if not alias:
            break
        pos += alias.end()
    return None, end


def _context_rule(ctx: Context, start: int, end: int) -> str | None:
    """Which context makes a suffix-less run a company, if any."""
    text, pat = ctx.text, ctx.pat
    if pat.appositive_after.match(text, end):
        return "company_appositive"
    if text.startswith(("'", "’"), end) and (pat.possessive_company.match(text, end)
                                             or pat.possessive_project.match(text, end)):
        return "company_possessive"  # both expressions open with the apostrophe
    if pat.acting_after.match(text, end):  # subject_after or developer_after
        return "company_subject"
    before = text[max(0, start - 40):start]
    last = _last_word(before)
    if last not in word_sets()["prev_words"]:
        return None  # no cue before the run can match
    cue_words = cue_last_words()
    for role in ("developer_object", "descriptor", "partner", "investor"):
        if last in cue_words[role] and pat.cue_before[role].search(before):
            return f"company_{role}"
    return None


def _run_pieces(ctx: Context, start: int, end: int) -> tuple[list[tuple[int, int]], int]:
    """The runs one match of the run expression (text[start:end]) holds, cut where a sentence
    ends inside it or "and" joins two names ("Acme Corp and Beta Ltd", "Springfield and Acme
    Ltd"), and where the next search starts: past the longer name read again after such an "and".

    The name after such an "and" is read again from its own first word: a run stops after
    MAX_WORDS words, so "Acme Holdings and Clearing Limited and The Stock Exchange of Acme
    Limited" would otherwise leave "Exchange of Acme Limited", a name without its head."""
    text = ctx.text
    pieces: list[tuple[int, int]] = []
    match_start, pos = start, end
    name = text[start:end]
    if ". " in name or ".\n" in name:
        # "... with Acme Parts. Beta Corp will ...": a sentence ends inside the run
        for stop in SENTENCE_END.finditer(name):
            word = stop.group(1).casefold()
            if word not in _abbreviations():
                pieces.append((start, match_start + stop.start(1) + len(stop.group(1))))
                start = match_start + stop.end()
            elif word in _suffix_words() and name[stop.end():].split(" ", 1)[0].strip() in SENTENCE_OPENERS:
                # "... built by Sunfield Inc. The array ...": the suffix's dot ends the sentence too
                pieces.append((start, match_start + stop.start(1) + len(stop.group(1)) + 1))
                start = match_start + stop.end()
        name = text[start:end]
    joints = AND_JOINT.finditer(name) if (" and" in name or " &" in name) else ()
    for joint in joints:
        left = name[:joint.start()].strip()
        left_key = left.split()[-1].casefold() if left.split() else ""
        if _ends_with_suffix(left) or left.casefold() in ctx.places or left.casefold() in place_names() \
                or left_key in place_names():
            pieces.append((start, start + joint.start()))
            start = start + joint.end()
            again = ctx.pat.run.match(text, start)
            if again and again.end() > end and ". " not in again.group(0) and ".\n" not in again.group(0):
                end = pos = again.end()  # the next run starts after the longer name
            break
    pieces.append((start, end))
    return pieces, pos


@lru_cache(maxsize=None)
def _lone_words_dropped() -> frozenset[str]:
    """Lone capitalised words `_plain_word` drops by the word lists alone, whatever the text:
    the words that name nothing and the stop words written with a capital ("The", "It").
    A subset of its test's words (`test_lone_words_dropped_are_plain_words`), so a run in it
    is dropped without reading what surrounds it."""
    words = {word for word in word_sets()["not_names"] if len(word) < 40 and not any(ch.isspace() for ch in word)}
    for stop in STOP_WORDS:
        capital = stop.capitalize()
        if not capital.isupper() and capital.lower() in STOP_WORDS and not any(ch.isspace() for ch in capital):
            words.add(capital)
    return frozenset(words)


def _no_tag_after(text: str, end: int) -> bool:
    """No "(" or "<" right after a run (or after one space or break): `_plain_word`'s tag test."""
    return text[end:end + 2].lstrip()[:1] not in ("(", "<")


def signalled_runs(ctx: Context) -> Iterator[tuple[int, int, str]]:
    """The capitalised runs of the text (cut by `_run_pieces`) that pass `_has_signal`, as
    (start, end, name), in few Python steps: one expression (`run_signal`) finds each run and
    reads in the same match whether a mark or a verb follows it (group "after"), so most runs
    are decided by a group's offset; the runs `_run_pieces` may cut are read the plain way.
    Tested against a run-by-run reading (tests/test_companies.py) on invented wordings."""
    text, prev_words, dropped = ctx.text, word_sets()["prev_words"], _lone_words_dropped()
    resume: int | None = 0
    while resume is not None:
        matches, resume = ctx.pat.run_signal.finditer(text, resume), None
        for match in matches:
            start, end = match.span()
            name = match.group()
            if name in dropped and _no_tag_after(text, end):
                continue  # "The", "It": `read_signalled_run` drops it first (`_plain_word`)
            if MAY_SPLIT.search(name):
                pieces, pos = _run_pieces(ctx, start, end)
                if pieces != [(start, end)]:
                    yield from ((s, e, text[s:e]) for s, e in pieces if _has_signal(ctx, s, e, text[s:e]))
                    if pos != end:  # the next run starts after a longer name read again: search from there
                        resume = pos
                        break
                    continue
            if match.start("after") >= 0 and (match.start("comma") < 0 or _comma_signal(ctx, end)) \
                    or _name_signal(name) or _last_word(text[max(0, start - 30):start]) in prev_words:
                yield start, end, name


@lru_cache(maxsize=8)
def known_names_pattern(extra_names: tuple[str, ...] = ()) -> re.Pattern[str] | None:
    """One expression for the names kept as data and the user's names."""
    known = [*company_lexicon()["known_names"], *extra_names]
    if not known:
        return None
    # Names grouped by their first character, each group longest first: the engine tries
    # one group where a name may start instead of every name at every position. At any
    # position only one group can match, so the names found are those of a plain
    # alternation of all names, longest first. Each group opens with its literal first
    # character and only then looks behind it ("no word character before the name"): an
    # expression that opens with a literal lets the engine skip ahead to the next position
    # where some name's first character stands, instead of trying every position.
    groups: dict[str, list[str]] = {}
    for form in sorted(set(known), key=len, reverse=True):
        if form:
            groups.setdefault(form[0], []).append(form)
    if "" in known:
        return re.compile(rf"(?<![\w&])(?:{_alt(known)})(?![\w&])")
    alternatives = "|".join(
        rf"{re.escape(first)}(?<![\w&]{re.escape(first)})(?:" + "|".join(re.escape(f[1:]) for f in forms) + ")"
        for first, forms in groups.items()
    )
    return re.compile(rf"(?:{alternatives})(?![\w&])")


WORD_ENDS = frozenset(" ,;:)”\"\n")


def written_lower(ctx: Context, word: str) -> bool:
    """True where the text also writes `word` in lower case as a word of its own
    ("construction" for "Construction"): looked up once per word and document."""
    known = ctx.seen_lower.get(word)
    if known is None:
        known = _occurs(ctx.text, word, lambda before: before in " (“\"", text_index(ctx))
        ctx.seen_lower[word] = known
    return known


def seen_inside_sentence(ctx: Context, word: str) -> bool:
    """True where a capitalised word appears after a lower-case word, a digit, a comma or a
    dash somewhere: so it is a name, not just a sentence's first word."""
    known = ctx.seen_inside.get(word)
    if known is None:
        known = _occurs(ctx.text, word, None, text_index(ctx))
        ctx.seen_inside[word] = known
    return known


def _occurs(text: str, word: str, lead_ok, index: dict[str, list[int]] | None = None) -> bool:
    """Whether `word` occurs as a whole word with an acceptable character before it:
    `lead_ok(char)` for lower-case lookups, else "<lower/digit/,;)-> + space" before it.
    Every acceptable character before is neither letter nor digit, so `positions` finds them all."""
    for pos in positions(text, word, index):
        end = pos + len(word)
        after = text[end:end + 1]
        if lead_ok is None:  # any end of word will do ("Acme’s", "Acme.")
            whole = not (after.isalnum() or after in "_&-")
        else:
            whole = after == "" or after in WORD_ENDS or (after == "." and text[end + 1:end + 2] in ("", " ", "\n"))
        if whole and pos > 0:
            if lead_ok is not None and lead_ok(text[pos - 1]):
                return True
            if lead_ok is None and pos > 1 and text[pos - 1] == " " and (
                    text[pos - 2].islower() or text[pos - 2].isdigit() or text[pos - 2] in ",;)-–—"):
                return True
    return False


@lru_cache(maxsize=None)
def word_sets() -> dict[str, frozenset[str]]:
    """The lexicon's word lists as sets, built once; `next_words` and `prev_words` are the
    words that may follow or precede a name in any context rule, for a quick first look."""
    lex = company_lexicon()
    sets = {key: frozenset(lex[key]) for key in ("person_titles", "not_names", "leading_stop_words", "name_connectors",
                                                 "not_name_endings", "heads_of_company", "government_titles")}
    after = [*lex["subject_verbs"], *lex["developer_verbs"], *lex["supplier_verbs"], *lex["subject_fillers"]]
    sets["next_words"] = frozenset(phrase.split()[0] for phrase in after) | {"is", "was", "has", "have", "will"}
    before = [*lex["partner_cues"], *lex["supplier_cues_before"], *lex["customer_cues_before"],
              *lex["investor_cues_before"], *lex["developer_cues_before"], *lex["descriptor_cues_before"],
              *lex["person_titles"]]
    sets["government_words"] = frozenset(w for head in lex["government_heads"] for w in head.split()) - {"of"}
    sets["prev_words"] = frozenset(phrase.split()[-1].lower() for phrase in before) | {
        "said", "says", "told", "based", "owned", "listed", "headquartered"}
    return sets


LOCATED_WORDS = ("based", "owned", "listed", "headquartered")  # "the Ohio-based ...", read by `cue_before`


@lru_cache(maxsize=None)
def cue_last_words() -> dict[str, frozenset[str]]:
    """Per role of `cue_before`, every `_last_word` a window can end with where that role's
    cue matches: the cue's last word as written, bare of "," "." and of a hyphenated head, the
    word before it where that last word is an article, and the words of "<place>-based".
    A role whose set lacks the window's last word is not searched: its cue cannot match."""
    lex = company_lexicon()
    out: dict[str, frozenset[str]] = {}
    for role, key in CUE_LISTS:
        words: set[str] = set(LOCATED_WORDS)
        for phrase in lex[key]:
            parts = phrase.lower().split()
            for word in parts[-2:]:  # the last word, and the one before it where the last is "the"
                bare = word.strip(",.")
                words.update((word, bare, bare.rsplit("-", 1)[-1]))
        out[role] = frozenset(words)
    return out


PERSON_ROLE_WORDS = frozenset({"Vice", "Chief", "Managing", "General", "Senior", "Executive", "Head", "Founder", "Co-Founder"})
LEADING_WORD = re.compile(r"([\w&.\-’']+)\s+")
INITIAL = re.compile(r"[A-Z]\.\s")
QUOTE_WORDS = frozenset({"said", "says", "to", "wrote", "told", "added", "explained", "noted", "said,", "says,"})


def _last_word(before: str) -> str:
    """The last word of a stretch of text, lower case, without trailing punctuation or a
    hyphenated head ("Beijing-based" -> "based"), an article or "its" skipped ("with the")."""
    parts = before.rsplit(None, 1)
    if not parts:
        return ""
    last = parts[-1].strip(",.").lower()
    if last in ("the", "its", "a", "an") and len(parts) >= 2:
        parts = parts[0].rsplit(None, 1)  # the word before the article
        last = parts[-1].strip(",.").lower()
    return last.rsplit("-", 1)[-1]


NEXT_WORD = re.compile(r"[ \t\n]*([\w’']+)")


def _has_signal(ctx: Context, start: int, end: int, name: str) -> bool:
    """A quick look around a capitalised run (`name`, text[start:end]): a tag, a bracket, a
    comma, a possessive, a legal suffix, a verb or a cue word next to it. Runs without one
    are not read further. What follows the run is read by one expression (`signal_after`),
    what the run itself says once per name (`_name_signal`)."""
    after = ctx.pat.signal_after.match(ctx.text, end)
    if after is not None and (after.lastgroup != "comma" or _comma_signal(ctx, end)):
        return True  # a comma that opens no apposition, suffix or role says nothing alone
    if _name_signal(name):
        return True
    return _last_word(ctx.text[max(0, start - 30):start]) in word_sets()["prev_words"]


def _signal_after(next_words: Iterable[str]) -> str:
    """What may follow a run that says it may name a company or a person: "(" or "<" or a
    possessive right after it, a bracket after a space or a line break ("Acme [NYSE: ACME]",
    "Acme [announced](...)"), a comma (group "comma": `_comma_signal` reads on), or a word of
    `next_words` as the next whole word ("Acme said", "Acme will")."""
    return (r"[(<’']| [(<\[]|\n[(\[]|(?P<comma>,)"
            rf"|[ \t\n]*(?:{_trie(next_words)})(?![\w’'])")


@lru_cache(maxsize=4096)
def _name_signal(name: str) -> bool:
    """Does the run itself speak of a company: a legal suffix word last ("Acme Ltd") or a
    word of a government's name ("Ministry")? A pure function of the name, read once."""
    return _tail_is_suffix(name[-12:]) or not word_sets()["government_words"].isdisjoint(name.split())


def _comma_signal(ctx: Context, end: int) -> bool:
    """"Acme, a maker ...", "Jane Roe, chief ...", "Acme, Inc.", "Volkswagen, VW,": a comma
    after a run that opens an apposition, a suffix or a role; not "Lyon, France"."""
    following = NEXT_WORD.match(ctx.text, end + 1)
    word = following.group(1) if following else ""
    return bool(word) and (word[0].islower() or word.casefold() in _suffix_words() or word.isupper()
                           or word in word_sets()["person_titles"] or word in PERSON_ROLE_WORDS
                           or bool(ctx.pat.person_role_after.match(ctx.text, end)))


@lru_cache(maxsize=4096)
def _tail_is_suffix(tail: str) -> bool:
    """True where the last word of `tail` (a run's last characters) is a legal suffix word."""
    return tail.rsplit(None, 1)[-1].strip(",").replace(".", "").casefold() in _suffix_words()


def _plain_word(ctx: Context, word: str, end: int) -> bool:
    """A lone capitalised word with no tag after it that is a stop word, an ordinary word
    the text also writes in lower case, or one that only ever opens a sentence: skipped
    before any costlier check."""
    if " " in word or "\n" in word:
        return False
    known = ctx.plain.get(word)
    if known is None:  # what depends on the word and the document only, read once
        known = ctx.plain[word] = _plain_word_test(ctx, word)
    return known and _no_tag_after(ctx.text, end)


def _plain_word_test(ctx: Context, word: str) -> bool:
    if word in word_sets()["not_names"]:
        return True
    if word.isupper():
        return False
    lower = word.lower()
    return lower in STOP_WORDS or written_lower(ctx, lower) or not seen_inside_sentence(ctx, word)


def find_mentions(ctx: Context, extra_names: Iterable[str] = ()) -> list[Mention]:
    """Every company-like mention found by form or context, in text order (may overlap)."""
    found = [*bracketed_names(ctx.text, ctx.pat), *known_names(ctx.text, tuple(extra_names))]
    for run_start, run_end, name in signalled_runs(ctx):
        mention = read_signalled_run(ctx, run_start, run_end, name)
        if mention is not None:
            found.append(mention)
    facilities = facility_acronyms(ctx.text) if "(" in ctx.text else frozenset()
    if facilities:  # a plant's short form is no company, unless a legal form says so
        found = [m for m in found if m.text not in facilities or m.rule_id in ("company_legal_suffix", "company_known")]
    found.sort(key=lambda m: (m.start, -m.end))
    return _with_bracket_aliases(ctx, found)


def bracketed_names(text: str, pat: Patterns) -> Iterator[Mention]:
    """Reuters' bracketed names ("<Acme Tools GmbH>"); a bare ticker ("<ACME.T>") is none."""
    for match in pat.reuters_name.finditer(text):
        inner = match.group("name")
        if " " in inner or any(ch.islower() for ch in inner):
            yield Mention(match.start("name"), match.end("name"), inner, "company_reuters_bracket")


def known_names(text: str, extra_names: tuple[str, ...]) -> Iterator[Mention]:
    """The names kept as data (`known_names`) and the user's names, wherever the text has them."""
    known_re = known_names_pattern(extra_names)
    if known_re:
        for match in known_re.finditer(text):
            yield Mention(match.start(), match.end(), match.group(0), "company_known")


def read_signalled_run(ctx: Context, run_start: int, run_end: int, name: str) -> Mention | None:
    """The company a capitalised run names, if its form or its context says it is one; for a
    run that passed `_has_signal` (`signalled_runs` finds them)."""
    text = ctx.text
    if run_end - run_start < 40 and _plain_word(ctx, name, run_end):
        return None  # one ordinary capitalised word (read once per word and document)
    start, end = trim_run(text, run_start, run_end)
    if end <= start:
        return None
    trimmed = text[start:end]
    government = GOVERNMENT_AFTER.match(text, end) \
        if 3 <= end - start < 30 and " " not in trimmed and trimmed.istitle() else None
    if government:  # "Ontario government": one title-case word before a government's noun
        return Mention(start, government.end(), text[start:government.end()], "company_government")
    plain_read = run_end - run_start < 40 and (start, end) == (run_start, run_end)  # `_plain_word` said False above
    run = _name_of_run(ctx, start, end, plain_read)
    if run is None:
        return None
    if is_person_run(ctx, run.start, end):
        ctx.persons.add(run.name)
        if len(run.words) >= 2:
            ctx.persons.add(run.words[-1])
        return None
    if len(run.words) >= 2 and not run.words[0][0].isdigit() and ctx.pat.government.search(run.name):
        # "Ministry of Economic Affairs", "Government of Alberta": a government body
        return Mention(run.start, end, SPACES.sub(" ", run.name), "company_government")
    ticker, _ = _ticker_after(ctx, end)
    if ticker and _in_shouting_title(ctx, end):
        run = _before_tag(ctx, run, end)
        if run is None:
            return None
    if ticker or _ends_with_suffix(run.name):
        return _by_form(ctx, run, end, ticker)
    return _by_context(ctx, run, end)


class RunName(NamedTuple):
    """The name a trimmed run gives: where it starts, its text and its words."""

    start: int
    name: str
    words: list[str]


def _name_of_run(ctx: Context, start: int, end: int, plain_read: bool = False) -> RunName | None:
    """The run's name, a title's "<title> of" cut off ("Vice President of Acme Solar" -> "Acme
    Solar"); None where it names no company ("Kolkata-based", a plain word, "Minister of Trade").
    `plain_read`: `_plain_word` has already said False of this very name and end."""
    name = ctx.text[start:end]
    words = name.split()
    if words[-1].endswith(LOCATED_ADJECTIVES):
        return None  # "a Kolkata-based group": a place made an adjective, never a name's last word
    if len(words) == 1 and not plain_read and _plain_word(ctx, name, end):
        return None
    if " of " in name:
        sets = word_sets()
        titles, heads = sets["person_titles"], sets["heads_of_company"]
        if any(w in heads or w in titles for w in words):
            if any(w in sets["government_titles"] for w in words):
                return None  # "Minister of Industry and Trade": a person in a government
            cut = name.rindex(" of ") + 4
            return RunName(start + cut, name[cut:], name[cut:].split())
    return RunName(start, name, words)


def _before_tag(ctx: Context, run: RunName, end: int) -> RunName | None:
    """"ACME TOOLS <ACT> TO BUILD": in a shouting headline, the capitalised words right before
    the tag, at most three, none of them a word that names nothing."""
    kept = [w for w in run.words if w not in word_sets()["not_names"]][-3:]
    if not kept:
        return None
    name = " ".join(kept)
    start = end - len(name) if ctx.text[run.start:end].endswith(name) else run.start
    return RunName(start, name, kept)


def _by_form(ctx: Context, run: RunName, end: int, ticker: str | None) -> Mention | None:
    """A mention by its form, a legal suffix or a ticker tag after it, unless its core is no name."""
    name = run.name
    if _ends_with_suffix(name):
        core = without_suffix(name)
        if core and not _is_not_name(ctx, core.strip(), place_ok=True):
            return Mention(run.start, end, name, "company_legal_suffix", ticker)
        return None
    if not _is_not_name(ctx, name, place_ok=True):
        return Mention(run.start, end, name, "company_ticker", ticker)
    return None


def _by_context(ctx: Context, run: RunName, end: int) -> Mention | None:
    """A suffix-less, untagged run that its context makes a company ("Acme said", "Acme's plant")."""
    name = run.name
    if _in_shouting_title(ctx, end) or len(run.words) > 5 or _is_not_name(ctx, name):
        return None
    # the context first: most runs have none, and the word tests below scan the text on
    # their first use (all are pure: their order changes no answer)
    rule = _context_rule(ctx, run.start, end)
    if rule is None or _reads_as_common(ctx, name) or _only_sentence_initial(ctx, name):
        return None
    return Mention(run.start, end, name, rule)


def _in_shouting_title(ctx: Context, end: int) -> bool:
    """Does the run end inside a headline written all in capitals?"""
    if end > ctx.title_end:
        return False
    if ctx.shouting_title is None:
        ctx.shouting_title = ctx.text[:ctx.title_end].isupper()
    return ctx.shouting_title


BRACKETED_ACRONYM = re.compile(r"\(\s*([A-Z]{2,6})\s*\)")
NAME_WORDS_BEFORE = re.compile(r"((?:[A-Z][\w\-’']*[ \t]+){1,6})$")


def facility_acronyms(text: str) -> frozenset[str]:
    """Short forms the text defines for a facility, not a company: "the Anna Engine Plant (AEP)",
    "Kestrel Cathode Works (KCW)". Their later mentions ("AEP has added ...") are the plant."""
    nouns = {noun.casefold() for noun in company_lexicon()["project_nouns"]}
    out = set()
    for match in BRACKETED_ACRONYM.finditer(text):
        before = NAME_WORDS_BEFORE.search(text[max(0, match.start() - 80):match.start()])
        if not before:
            continue
        words = before.group(1).split()
        acronym = match.group(1)
        if words[-1].casefold() in nouns and is_acronym_of(acronym, " ".join(words[-len(acronym):])):
            out.add(acronym)
    return frozenset(out)


def _with_bracket_aliases(ctx: Context, found: list[Mention]) -> list[Mention]:
    """Add the short names defined right after a company: "Acme Power Corp (APC)"."""
    out: list[Mention] = []
    for mention in found:
        out.append(mention)
        if mention.rule_id not in ("company_legal_suffix", "company_ticker", "company_reuters_bracket"):
            continue
        pos = mention.end + (1 if ctx.text[mention.end:mention.end + 1] == ">" else 0)
        skipped = TAG_AHEAD.match(ctx.text[pos:pos + 90])
        pos += skipped.end() if skipped else 0
        match = ctx.pat.alias.match(ctx.text, pos)
        if not match:
            continue
        group = "alias" if match.group("alias") else "abbr"
        alias = match.group(group).strip()
        if alias in word_sets()["not_names"] or alias.casefold() in ("company", "the company"):
            continue
        out.append(Mention(match.start(group), match.start(group) + len(alias), alias, "company_defined_alias",
                           alias_of=mention.text))
    return out


def cluster_mentions(ctx: Context, mentions: list[Mention]) -> list[Cluster]:
    """Merge the mentions of one company; the fullest legal form names the cluster."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    ordered = sorted(mentions, key=lambda m: (m.rule_id != "company_legal_suffix", m.start))
    for mention in ordered:
        key = name_key(mention.text)
        if not key:
            continue
        cluster = by_key.get(key)
        if cluster is None and mention.alias_of:
            cluster = by_key.get(name_key(mention.alias_of))
        if cluster is None:
            cluster = next((c for c in clusters if any(same_company(mention.text, f) for f in c.forms)), None)
        if cluster is None:
            cluster = Cluster(name=mention.text, keys=set(), forms=set())
            clusters.append(cluster)
        cluster.keys.add(key)
        cluster.forms.add(mention.text)
        by_key[key] = cluster
        cluster.ticker = cluster.ticker or mention.ticker
        if mention.rule_id in ("company_legal_suffix", "company_ticker", "company_reuters_bracket", "company_known"):
            cluster.has_form = True
        if _prefer_as_name(mention.text, cluster.name):
            cluster.name = mention.text
    for mention in mentions:
        if mention.alias_of:  # "Acme Power Co., Ltd. (APC)" after "APC" alone: one company
            full, short = by_key.get(name_key(mention.alias_of)), by_key.get(name_key(mention.text))
            if full is not None and short is not None and full is not short:
                _merge_clusters(clusters, by_key, full, short)
    for cluster in clusters:
        cluster.name = LEADING_THE.sub("", SPACES.sub(" ", cluster.name))
        cluster.forms |= short_forms(ctx, cluster.name)
        cluster.government = bool(ctx.pat.government.search(cluster.name))
    return clusters


def _merge_clusters(clusters: list[Cluster], by_key: dict[str, Cluster], a: Cluster, b: Cluster) -> None:
    """Fold one of two clusters into the other, the one made first kept; the name is chosen
    as within a cluster (`_prefer_as_name`: a legal form beats a bare one)."""
    keep, gone = (a, b) if clusters.index(a) < clusters.index(b) else (b, a)
    if _prefer_as_name(gone.name, keep.name):
        keep.name = gone.name
    keep.keys |= gone.keys
    keep.forms |= gone.forms
    keep.ticker = keep.ticker or gone.ticker
    keep.has_form = keep.has_form or gone.has_form
    for key in gone.keys:
        by_key[key] = keep
    clusters.remove(gone)


def short_forms(ctx: Context, name: str) -> set[str]:
    """Shorter names the text may use for a company: the name without its suffix
    ("Acme Metals Ltd" -> "Acme Metals") and its first word where that word is distinctive
    ("Acme"), i.e. not a place, not an ordinary word, not a stop word."""
    forms: set[str] = set()
    core = without_suffix(name).strip(" ,")
    if core and core != name and not _is_not_name(ctx, core, place_ok=True) and len(core) >= 3:
        forms.add(core)
    words = core.split()
    if len(words) >= 2 and not _head_of_phrase(words):
        first = words[0].strip(",.")
        folded = first.casefold()
        # the word tests first, the document's place words and its text last (built or scanned on demand)
        if (len(first) >= 4 and first[0].isupper() and first not in word_sets()["not_names"]
                and folded not in STOP_WORDS and folded not in _gazetteer_words()
                and folded not in place_words(ctx) and not written_lower(ctx, first.lower())):
            forms.add(first)
    return forms


COORDINATORS = frozenset({"and", "&", "und", "y", "e", "the"})


def _head_of_phrase(words: list[str]) -> bool:
    """True where a name is "<head> of <something>" ("Stock Exchange of Hong Kong", "Bank of
    Acme", "Compania Iberica de Refino"): its first word is a generic head, no short name."""
    connectors = word_sets()["name_connectors"] - COORDINATORS
    return any(w in connectors for w in words[1:])


def place_words(ctx: Context) -> set[str]:
    """Every word of a known place name: a first word such as "Canada" or "Korea" is not
    a company's short name."""
    if ctx.place_word_set is None:
        ctx.place_word_set = {w for name in ctx.places for w in name.split()}
    return ctx.place_word_set


@lru_cache(maxsize=None)
def _gazetteer_words() -> frozenset[str]:
    return frozenset(w.strip(",()") for name in place_names() for w in name.split())


def _prefer_as_name(candidate: str, current: str) -> bool:
    """A legal form beats a bare one, a longer legal form a shorter one ("Acme Group Co.,
    Ltd." over "Acme Group"); otherwise the first stays."""
    if not _ends_with_suffix(candidate):
        return False
    return not _ends_with_suffix(current) or len(name_key(candidate)) > len(name_key(current))


def occurrences(text: str, clusters: list[Cluster],
                word_index: dict[str, list[int]] | None = None) -> list[tuple[int, int, int]]:
    """(start, end, cluster index) of every form of every company, longest form first,
    found with plain substring search (no per-document expression to compile), or through
    `word_index` (`word_starts(text)`) in a long text: a whole name starts after no letter or digit."""
    forms: dict[str, int] = {}
    for index, cluster in enumerate(clusters):
        for form in cluster.forms:
            for variant in (form, form.upper()):
                forms.setdefault(variant, index)
    taken = bytearray(len(text) + 1)
    found: list[tuple[int, int, int]] = []
    for form in sorted(forms, key=len, reverse=True):
        for pos in positions(text, form, word_index):
            end = pos + len(form)
            if _bounded(text, pos, end) and not taken[pos] and not taken[end - 1]:
                taken[pos:end] = b"\x01" * (end - pos)
                found.append((pos, end, forms[form]))
    found.sort()
    return found


def _bounded(text: str, start: int, end: int) -> bool:
    """True where text[start:end] is a whole name: no word character or '<' glued before,
    no word character (or '.x') glued after."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or before in "_&" or after.isalnum() or after in "_&":
        return False
    if before == "<" and text[start:end].isupper():
        return False  # a ticker tag such as "<ACME.T>", not a name
    return not (after == "." and end + 1 < len(text) and text[end + 1].isalnum())


@dataclass(frozen=True)
class DeveloperWeights:
    """What each cue around a company's mentions adds to its claim to be the developer.

    Hand-set; scripts/tune_weights.py varies each one (a pipeline per value, leave-one-source-out
    over dev, dev2 and corpus/, figures in scripts/README.md): "CV kept" = no value of the grid
    beats it on held-out sources; "CV flat" = no value of the grid changes the micro-F1 there.
    """

    developer_verb: float = 3.0  # "Acme will build ...": CV kept
    possessive_project: float = 3.5  # "Acme's new plant": CV kept
    modifier_project: float = 2.0  # "the Acme battery plant": CV flat
    appositive: float = 2.0  # "Acme, a battery maker, ...": CV kept
    subject: float = 1.0  # "Acme said ...": CV kept
    title: float = 1.5  # named in the headline: CV kept
    ticker: float = 1.0  # a listed company, per mention with a tag and once for having one: CV kept
    mention: float = 0.3  # any mention: the story keeps coming back to its developer; CV kept
    developer_object: float = 3.0  # "developed by Acme", "owned by Acme": CV flat
    descriptor: float = 1.0  # "the carmaker Acme": CV flat
    defined_company: float = 2.0  # 'Acme Ltd (the "Company")': CV kept
    legal_form: float = 0.5  # a legal suffix, ticker or known name: surely a company; CV flat
    supplier_or_customer: float = -1.5  # per cue that it supplies or buys from the project: CV flat
    partner: float = -1.0  # per cue that it partners the developer: CV kept
    cue_cap: float = 3.0  # no cue counts more than this many times: CV kept
    mention_cap: float = 10.0  # nor do mentions past this many: CV flat


DEFAULT_DEVELOPER_WEIGHTS = DeveloperWeights()
# the cues that add to the developer score, each weighted by the field of the same name
DEVELOPER_CUES = ("developer_verb", "possessive_project", "modifier_project", "appositive", "subject", "title",
                  "ticker", "developer_object", "descriptor", "defined_company")


def score_roles(ctx: Context, clusters: list[Cluster], found: list[tuple[int, int, int]]) -> None:
    """Weigh each company's mentions for the developer role and for the other roles."""
    company_ends = {end for _, end, _ in found}
    for start, end, index in found:
        cluster = clusters[index]
        cluster.mentions.append((start, end))
        scores = cluster.scores
        for key in (*_cues_after(ctx, start, end), *_cues_before(ctx, start, company_ends)):
            scores[key] = scores.get(key, 0.0) + 1.0


def _cues_after(ctx: Context, start: int, end: int) -> list[str]:
    """What a mention and the words after it say of its company, in the order they are counted:
    a mention, in the headline, "will build" or "said", "'s new plant", ", a maker", ...
    (one match of `verb_after` first: most mentions have none of the three verb lists after them)."""
    text, pat = ctx.text, ctx.pat
    cues = ["mention"]
    if start < ctx.title_end:
        cues.append("title")
    verb = pat.verb_after.match(text, end) is not None
    if verb and pat.developer_after.match(text, end):
        cues.append("developer_verb")
    elif verb and pat.subject_after.match(text, end):
        cues.append("subject")
    if text.startswith(("'", "’"), end) and pat.possessive_project.match(text, end):
        cues.append("possessive_project")  # the expression opens with the apostrophe
    if pat.appositive_after.match(text, end):
        cues.append("appositive")
    if text[max(0, start - 4):start].lower().endswith("the ") and pat.modifier_project.match(text, end):
        cues.append("modifier_project")
    if verb and pat.supplier_after.match(text, end):
        cues.append("supplier")
    if DEFINED_AS_COMPANY.match(text, end):
        cues.append("defined_company")
    return cues


def _cues_before(ctx: Context, start: int, company_ends: set[int]) -> list[str]:
    """The roles the words right before a mention give it ("built by", "partnered with")."""
    before = ctx.text[max(0, start - 40):start]
    last = _last_word(before)
    if last not in word_sets()["prev_words"]:
        return []  # no cue below can match
    cue_words = cue_last_words()
    return [owner_role(before, start, role, company_ends)
            for role, cue in ctx.pat.cue_before.items() if last in cue_words[role] and cue.search(before)]


COMPANY_OWNED_BY = re.compile(r"\s+(?:is|are|was|were)\s+(?:\w+\s+)?owned\s+by\s+(?:the\s+)?$")


def owner_role(before: str, start: int, role: str, company_ends: set[int]) -> str:
    """'Petromont is jointly owned by Acme': Acme owns a company the story names, not the
    project, so the cue makes it an investor rather than the developer."""
    if role != "developer_object":
        return role
    owned = COMPANY_OWNED_BY.search(before)
    if owned and start - len(before) + owned.start() in company_ends:
        return "investor"
    return role


def developer_score(cluster: Cluster, weights: DeveloperWeights = DEFAULT_DEVELOPER_WEIGHTS) -> float:
    """How strongly the text says this company builds, owns or invests in the project."""
    if cluster.government:
        return 0.0
    scores = cluster.scores
    cap = weights.cue_cap
    total = sum(getattr(weights, k) * min(v, cap) for k, v in scores.items() if k in DEVELOPER_CUES)
    total += weights.mention * min(scores.get("mention", 0.0), weights.mention_cap)
    total += weights.ticker if cluster.ticker else 0.0
    total += weights.legal_form if cluster.has_form else 0.0
    total += weights.supplier_or_customer * (scores.get("supplier", 0.0) + scores.get("customer", 0.0))
    total += weights.partner * min(scores.get("partner", 0.0), cap)
    return total


def assign_roles(clusters: list[Cluster], weights: DeveloperWeights = DEFAULT_DEVELOPER_WEIGHTS) -> list[str]:
    """Role of each cluster: one developer (the best score above zero), the rest by cues."""
    best = max(range(len(clusters)), key=lambda i: developer_score(clusters[i], weights), default=None)
    roles: list[str] = []
    for index, cluster in enumerate(clusters):
        scores = cluster.scores
        if cluster.government:
            roles.append("government")
        elif index == best and developer_score(cluster, weights) > 0:
            roles.append("developer")
        else:
            cues = {r: scores.get(r, 0.0) for r in ("partner", "supplier", "customer", "investor")}
            role, weight = max(cues.items(), key=lambda kv: kv[1])
            roles.append(role if weight > 0 else "other")
    return roles




def _document_context(doc: Doc) -> Context:
    title = doc._.title
    text = document_text(doc)
    title_end = 0
    if title:
        found = text.find(title)
        title_end = found + len(title) if found >= 0 else 0
    places: set[str] = set()
    for place in mentions_of(doc, PlaceMention):
        places.add(text[place.start_char:place.end_char].casefold())
        if place.name:
            places.add(place.name.casefold())
    return Context(text=text, title_end=title_end, persons=set(), places=places,
                   lex=company_lexicon(), pat=patterns(),
                   )


def analyse(doc: Doc, extra_names: tuple[str, ...] = (),
            weights: DeveloperWeights = DEFAULT_DEVELOPER_WEIGHTS) -> list[tuple[Cluster, str]]:
    """The companies of a document with their roles, in order of first mention."""
    ctx = _document_context(doc)
    mentions = find_mentions(ctx, extra_names)
    # person names seen anywhere disqualify the same words found before them
    mentions = [m for m in mentions if m.rule_id in ("company_legal_suffix", "company_ticker",
                                                     "company_reuters_bracket", "company_known",
                                                     "company_defined_alias")
                or not _is_not_name(ctx, m.text)]
    clusters = cluster_mentions(ctx, mentions)
    found = occurrences(ctx.text, clusters, text_index(ctx))
    score_roles(ctx, clusters, found)
    kept = [c for c in clusters if c.mentions]
    roles = assign_roles(kept, weights)
    pairs = list(zip(kept, roles))
    pairs.sort(key=lambda pr: pr[0].mentions[0][0])
    return pairs


def _extra_names(extra_rules: Sequence[CompanyRule]) -> tuple[str, ...]:
    """User rules such as {"id": "c1", "layer": "companies", "name": "Acme"} add known names."""
    return tuple(rule.name for rule in extra_rules)


@Language.factory("extractor_companies", default_config={"extra_rules": [], "weights": {}})
def make_companies_layer(nlp: Language, name: str, extra_rules: list[dict[str, Any]],
                         weights: dict[str, float]) -> LayerComponent:
    """The companies component: `extra_rules` are the user's rules of the layer, saved with the
    pipeline; `weights` replace DeveloperWeights fields by name (saved in the pipeline's config)."""
    analyser = partial(companies_analyser, weights=DeveloperWeights(**weights))
    return LayerComponent(nlp, name, "companies", S.COMPANY, analyser, extra_rules)


def companies_analyser(nlp: Language, extra_rules: Sequence[CompanyRule],
                       weights: DeveloperWeights = DEFAULT_DEVELOPER_WEIGHTS) -> Callable[[Doc], Doc]:
    extra = _extra_names(extra_rules)
    patterns()  # compile once, when the pipeline is built

    def analyse_doc(doc: Doc) -> Doc:
        set_mentions(doc, CompanyMention, company_mentions(doc, analyse(doc, extra, weights)))
        return doc

    return analyse_doc


def company_mentions(doc: Doc, companies: list[tuple[Cluster, str]]) -> list[CompanyMention]:
    """Each mention of each company as a CompanyMention on whole tokens, in text order.

    A mention glued into a longer token ("2024.Acme", "<ACME.T>") gives no clean evidence and
    is left out.
    """
    out: list[CompanyMention] = []
    for cluster, role in companies:
        for start, end in cluster.mentions:
            tokens = covering_tokens(doc, start, end)
            if tokens is None:
                continue
            first, last, start_char, end_char = tokens
            if end_char - start_char > end - start + 3:
                continue
            out.append(CompanyMention(first, last, start_char, end_char, "company", cluster.name, cluster.ticker, role))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def covering_tokens(doc: Doc, start: int, end: int) -> tuple[int, int, int, int] | None:
    """The tokens start..end exactly, else the tokens the characters touch (`Doc.char_span`,
    strict, then "expand": "expand" returns what "strict" does wherever that succeeds), as
    (first token, end token, start char, end char); None where the offsets leave the text.

    A few mentions per document: spaCy's binary search per mention costs less than reading
    every token's offset into an array.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.start, span.end, span.start_char, span.end_char
