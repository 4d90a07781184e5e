"""Milestones: what happened to the project (or is expected to), and when.

A milestone comes from a milestone phrase ("broke ground", "topped out", "put into operation")
or from a start verb next to a milestone noun ("construction will begin", "kicked off serial
production"). Its date is the nearest date mention of the same sentence; it is `planned` when
a modal cue covers it ("is expected to start production in 2025") or its date lies after the
document's own date.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from extractor.assembly.context import LEAD_SENTENCES, Context, Cue, only, word_start_before
from extractor.assembly.document import Document
from extractor.mentions import DateMention
from extractor.assembly.records import quoted
from extractor.models import Milestone

MODAL = ("planned", "done", "negation")  # cue categories that say whether a milestone is expected
# every cue category a milestone is read against, asked for in one `Context.covering` query
EVENT_SCOPES = MODAL + ("purpose", "past", "side_object")
NEIGHBOURS = 8  # events compared for overlap: a cue spans a few tokens, so only neighbours can
DATE_WINDOW = 14  # tokens between a milestone cue and its date, within one sentence


@dataclass
class Event:
    """A milestone found in the text, before it becomes a Milestone record."""

    kind: str
    text: str
    start: int
    end: int
    start_char: int
    end_char: int
    planned: bool
    date: str | None
    sentence: int
    done: bool = False  # reported as having happened (a past form, a done cue, a past date)
    received: bool = False  # a verb of receipt stands before it ("receives its permit", "was issued a licence")


def start_events(ctx: Context, sent: int) -> list[tuple[str, Cue, Cue | None]]:
    """Kinds named by a start verb and a nearby milestone noun in one sentence.

    Example: "construction will begin" -> construction_start; "kicked off serial production"
    -> production_start; a bare "kicking off" -> construction_start.
    """
    found: list[tuple[str, Cue, Cue | None]] = []
    for verb in ctx.cues_in(sent, ("start_verb",)):
        nouns = ctx.near(sent, "milestone_noun", verb.start, verb.end)
        # a noun before its verb may reach further ("work on the two plants ... is due to start")
        near = [n for n in nouns
                if (n.end <= verb.start and verb.start - n.end <= max(verb.window, n.window)
                    and not ctx.blocked(sent, n.end, verb.start))
                or (n.start >= verb.end and n.start - verb.end <= verb.window and not ctx.blocked(sent, verb.end, n.start))]
        if near:
            noun = min(near, key=lambda n: min(abs(n.start - verb.end), abs(verb.start - n.end)))
            found.append((str(noun.value), verb, noun))
        elif verb.value == "kickoff":
            found.append(("construction_start", verb, None))
    return found


def dates_by_sentence(view: Document, ctx: Context) -> dict[int, tuple[list[int], list[DateMention]]]:
    """The date mentions of each sentence, in text order, with their token starts."""
    found: dict[int, tuple[list[int], list[DateMention]]] = {}
    for date in sorted(view.dates, key=lambda d: d.start):
        starts, dates = found.setdefault(ctx.sentence(date.start_char), ([], []))
        starts.append(date.start)
        dates.append(date)
    return found


MAX_DATE_TOKENS = 8  # "the second half of next year": a date before the event may be this long


def date_near(view: Document, ctx: Context, start: int, end: int, start_char: int,
              dates: dict[int, tuple[list[int], list[DateMention]]] | None = None) -> str | None:
    """The ISO date of the nearest date mention in the same sentence, or None.

    A relative date ("next May") counts only when the document's own date is known.
    """
    sent = ctx.sentence(start_char)
    best: tuple[int, DateMention] | None = None
    if dates is None:
        dates = dates_by_sentence(view, ctx)
    starts, in_sentence = dates.get(sent, ([], []))
    # dates are in text order: look only near the event, so a long sentence costs no more
    lo = bisect_left(starts, start - DATE_WINDOW - MAX_DATE_TOKENS)
    hi = bisect_right(starts, end + DATE_WINDOW)
    for date in in_sentence[lo:hi]:
        after = date.start >= end
        gap = max(0, date.start - end if after else start - date.end)
        if gap > DATE_WINDOW:
            continue
        if (ctx.blocked(sent, end, date.start) if after else ctx.blocked(sent, date.end, start)):
            continue  # "FID was set for mid-2024; construction had not started": not its date
        if dates_another_event(ctx, sent, date.start, end if after else 0):
            continue  # "starting construction in 2025 and completing the plant in 2027": 2025 is the start's
        if view.in_dateline(date.start, date.end):
            continue  # the release's own date dates no event ("today" in the text does)
        rank = 2 * gap + (0 if after else 1)  # at equal distance the date after the verb wins
        if best is None or rank < best[0]:
            best = (rank, date)
    if best is None:
        return None
    date = best[1]
    if date.is_relative and not view.dateline_date:
        return None
    return date.iso_date


DATE_FOLLOWS_EVENT = 4  # tokens: "began in late May", "start of construction: April 2026"


def dates_another_event(ctx: Context, sent: int, date_start: int, after: int) -> bool:
    """Whether a date stands right after another milestone phrase, so it is that one's date.

    `after`: the first token another phrase may start at (the dated event's end when the date
    follows it; 0 when the date comes first, so every phrase before the date is another's).

    Example: in "approved construction, which is expected to start in August", August dates
    the start, not the approval.
    """
    for category in ("milestone", "start_verb"):
        for cue in ctx.near(sent, category, date_start - DATE_FOLLOWS_EVENT, date_start, 0):
            if cue.start >= after and date_start - DATE_FOLLOWS_EVENT <= cue.end <= date_start:
                return True
    return False


def planned_first(modal: list[tuple[Cue, int]]) -> bool:
    """Whether the nearest modal cue, adverbs aside when a planned cue is there, is a planned one.

    Example: "will finally start producing" -> True ("finally" yields to "will"); "has
    already started" -> False; "in May, after construction began" -> False (the month).
    """
    modal = [(cue, gap) for cue, gap in modal if not month_may(cue)]
    if any(cue.category == "planned" for cue, _ in modal):
        modal = [(cue, gap) for cue, gap in modal if cue.value != "adverb"]
    return bool(modal) and modal[0][0].category == "planned"


def month_may(cue: Cue) -> bool:
    """Whether a modal "may" is the month: cues match lower case, and "In May, construction
    began" is no expected start. The modal is written "May" only opening a question."""
    return cue.text == "May"


def is_planned(ctx: Context, start: int, end: int, start_char: int, date: str | None, doc_date: str | None,
               covering: list[tuple[Cue, int]] | None = None) -> bool:
    """Whether a milestone is expected rather than done.

    Example: "will start production in 2025" is planned; "started production" is not; an
    undated-modal milestone dated after the document's date is planned too. `covering`: the
    `EVENT_SCOPES` cues covering the milestone, where the caller has them.
    """
    if covering is None:
        covering = ctx.covering(start, end, start_char, EVENT_SCOPES)
    modal = only(covering, MODAL)
    if any(cue.category == "negation" and gap <= 2 for cue, gap in modal):
        return True  # "construction had not started": not done
    if planned_first(modal):
        return True
    if any(cue.end <= start for cue, _ in only(covering, ("purpose",))):
        return True  # "an agreement to launch production": a purpose
    if date and doc_date and date[: len(doc_date)] > doc_date[: len(date)]:
        return True
    return False


def reported_done(ctx: Context, start: int, end: int, start_char: int, date: str | None,
                  doc_date: str | None, covering: list[tuple[Cue, int]] | None = None) -> bool:
    """Whether a milestone that is not planned is told as having happened.

    The headline and lead tell the news itself, often in the present ("Acme Opens Plant",
    "the park enters commercial operation"). In the body, a past form in or next to it
    ("construction began", "held a groundbreaking ceremony"), a done cue ("has", "was",
    "already") or a date on or before the document's say so; a bare noun in a fact list
    ("Start of construction: April 2026", "10 GWh at full operation") does not.
    """
    if ctx.sentence(start_char) < LEAD_SENTENCES:
        return True
    if covering is None:
        covering = ctx.covering(start, end, start_char, EVENT_SCOPES)
    for cue, _ in only(covering, ("past", "done")):
        if cue.start < end and cue.end > start or not another_event_at(ctx, cue, start, end):
            return True  # not "the completed entitlement process, groundbreaking ...": another event's verb
    return bool(date and doc_date and date[: len(doc_date)] <= doc_date[: len(date)])


def in_link(text: str, start_char: int) -> bool:
    """Whether an offset lies in a web address ("...fact-sheet-to-kick-off-tour/"): no event."""
    word_start = word_start_before(text, start_char, " \n(")
    word = text[word_start:start_char + 1]
    return "://" in word or "www." in word or word.count("/") >= 2


def another_event_at(ctx: Context, cue: Cue, start: int, end: int) -> bool:
    """Whether a cue is part of a milestone phrase other than the one at [start, end)."""
    return any(m.start < cue.end and cue.start < m.end and not (m.start < end and start < m.end)
               for m in ctx.near(ctx.sentence(cue.start_char), "milestone", cue.start, cue.end, 0))


def received(covering: list[tuple[Cue, int]], start: int) -> bool:
    """Whether a verb of receipt stands before the milestone ("Receives Environmental
    Certificate", "secured its mining licence"): a permit in hand, not talk of permits."""
    return any(cue.value == "receipt" and cue.end <= start for cue, _ in only(covering, ("past",)))


SIDE_OBJECT_KINDS = frozenset({"completion", "approval"})
SIDE_OBJECT_AFTER_START = 2  # tokens: a start of production whose object is a study ("commissioned a study") is none


def about_something_else(ctx: Context, kind: str, start: int, end: int, start_char: int,
                         covering: list[tuple[Cue, int]] | None = None) -> bool:
    """Whether a completion or approval speaks of a deal, a study or money, not of the works.

    Example: "completed the acquisition", "the completed entitlement process", "previously
    approved grants" -> True; "completed construction of the plant" -> False. A start of
    production only by its object: "commissioned a feasibility study" -> True,
    "commissioned the plant after testing" -> False.
    """
    if kind not in SIDE_OBJECT_KINDS:
        if kind != "production_start":
            return False
        if covering is None:
            covering = ctx.covering(start, end, start_char, EVENT_SCOPES)
        return any(cue.start >= end and gap <= SIDE_OBJECT_AFTER_START
                   for cue, gap in only(covering, ("side_object",)))  # "commissioned a feasibility study"
    if covering is None:
        covering = ctx.covering(start, end, start_char, EVENT_SCOPES)
    # a side word inside the milestone's own name ("environmental assessment certificate") is no other matter
    return any(not (start <= cue.start and cue.end <= end) for cue, _ in only(covering, ("side_object",)))


def opens_another_matter(ctx: Context, start_char: int) -> bool:
    """Whether the event's sentence opens with "In addition to", "Separately" or "Elsewhere"."""
    sent = ctx.sentence(start_char)
    openers = [c for c in ctx.cues_in(sent, ("side_object",)) if c.value == "sentence"]
    if not openers:
        return False
    text, first = ctx.text, ctx.starts[sent]
    while first < start_char and text[first].isspace():  # the sentence's first word, as lstrip finds it
        first += 1
    return any(c.start_char == first for c in openers)


def find_events(view: Document, ctx: Context) -> list[Event]:
    """Every milestone event of the story part of the document, in text order, deduplicated."""
    raw: list[tuple[str, int, int, int, int]] = []
    for cue in view.cues(ctx, "milestone"):
        raw.append((str(cue.value), cue.start, cue.end, cue.start_char, cue.end_char))
    for sent in {ctx.sentence(c.start_char) for c in view.cues(ctx, "start_verb")}:
        for kind, verb, noun in start_events(ctx, sent):
            parts = [verb] + ([noun] if noun else [])
            raw.append((kind, min(p.start for p in parts), max(p.end for p in parts),
                        min(p.start_char for p in parts), max(p.end_char for p in parts)))
    raw.sort(key=lambda r: (r[3], -(r[4] - r[3])))
    events: list[Event] = []
    doc_date = view.dateline_date
    dates = dates_by_sentence(view, ctx)
    for kind, start, end, sc, ec in raw:
        if ctx.in_boilerplate(sc) or in_link(ctx.text, sc):
            continue
        covering = ctx.covering(start, end, sc, EVENT_SCOPES)  # one query, split by `only`
        if about_something_else(ctx, kind, start, end, sc, covering) or opens_another_matter(ctx, sc):
            continue
        # events are in text order and short: only the last few can overlap this one
        if any(e.kind == kind and e.start_char <= sc < e.end_char + 1 for e in events[-NEIGHBOURS:]):
            continue  # the same event named twice ("started production" and start+production)
        date = date_near(view, ctx, start, end, sc, dates)
        planned = is_planned(ctx, start, end, sc, date, doc_date, covering)
        sentence = ctx.sentence(sc)
        done = not planned and reported_done(ctx, start, end, sc, date, doc_date, covering)
        events.append(Event(kind, ctx.text[sc:ec], start, end, sc, ec, planned, date, sentence, done,
                            received(covering, start)))
    # a more specific kind over the same words wins ("kicked off serial production")
    if not any_overlap(events):  # no event holds another: nothing to drop
        return events
    return [e for i, e in enumerate(events) if not any(
        o is not e and o.kind != e.kind and o.start_char <= e.start_char and e.end_char <= o.end_char
        and (o.end_char - o.start_char) > (e.end_char - e.start_char)
        for o in events[max(0, i - NEIGHBOURS):i + NEIGHBOURS])]


def any_overlap(events: list[Event]) -> bool:
    """Whether two events (in text order) share or touch a character: a screen, since an event
    can only hold another it overlaps. One pass with the furthest end seen so far."""
    furthest = -1
    for event in events:
        if event.start_char <= furthest:
            return True
        furthest = max(furthest, event.end_char)
    return False


def milestone_fields(text: str, events: list[Event]) -> list[dict]:
    """The fields of each Milestone (`milestone_records`), in text order."""
    out: list[dict] = []
    seen: set[tuple[str, str | None, bool]] = set()
    dated = {(e.kind, e.planned) for e in events if e.date}
    for e in events:
        key = (e.kind, e.date, e.planned)
        if key in seen or (e.date is None and (e.kind, e.planned) in dated):
            continue
        seen.add(key)
        out.append({"kind": e.kind, "date": e.date, "planned": e.planned,
                    "evidence": quoted(e.start_char, e.end_char, text)})
    return out


def milestone_records(text: str, events: list[Event]) -> list[Milestone]:
    """Milestone records in text order; one per kind and date (the first statement).

    An undated event is left out where an event of the same kind and the same `planned` has a
    date: it is the same event told without its date ("Acme Tops Out Plant" in the headline,
    "topped out on May 3" in the body). A done and a planned event of one kind both stay.
    """
    return [Milestone(**fields) for fields in milestone_fields(text, events)]
