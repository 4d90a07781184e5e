"""The project's status as of the document's date, from status phrases and milestones.

Explicit present-state phrases speak first ("is still under construction" beats a topping-out
ceremony reported in the same story); terminal states (cancelled, suspended) beat everything;
then milestones reported as done in the headline or lead; without a stage, the wording of
intent decides: "plans to" / "feasibility study" -> planned, an explicit go-ahead -> approved,
"will build" / "signed an agreement to build" -> announced. A release states its news in the
headline and lead, so phrases there weigh more than in the body.
"""
from __future__ import annotations

from extractor.assembly.context import Context
from extractor.assembly.milestones import Event

STAGE_ORDER = ("under_construction", "topped_out", "completed", "expanded", "operational")
INTENT = ("approved", "planned", "announced")
FROM_MILESTONE = {
    "groundbreaking": "under_construction",
    "construction_start": "under_construction",
    "topping_out": "topped_out",
    "production_start": "operational",
    "full_production": "operational",
    "approval": "approved",
    "signing": "announced",
}
LEAD_SENTENCES = 5  # headline, dateline and lead: where a release states its news
LEAD_WEIGHT = 2.0
BODY_STAGE_WEIGHT = 0.5  # a stage phrase deep in the body often describes another site...
BODY_WEIGHT_BY_STATE = {"under_construction": 1.0}  # ...but "still under construction" rarely does


def status_votes(ctx: Context, construction_ahead: bool = False) -> dict[str, float]:
    """Weight of each status phrase in the story (boilerplate, negated, modal, others' skipped).

    A phrase overlapping an earlier one is part of it ("plans to build" is one planned vote,
    not also an announced "to build"). Example: "will be operational next year" gives no
    "operational" vote; "is operational" does. Where the story says construction is still to
    start (`construction_ahead`), a body "under construction" speaks of other sites ("a dozen
    mills are operating or under construction") and weighs like any body stage phrase.
    """
    body_weight = {} if construction_ahead else BODY_WEIGHT_BY_STATE
    votes: dict[str, float] = {}
    last_end = -1
    for cue in sorted((c for c in ctx.cues if c.category == "status"), key=lambda c: (c.start_char, -c.end_char)):
        if ctx.in_boilerplate(cue.start_char) or cue.start_char < last_end:
            continue
        state = str(cue.value)
        if state != "expansion":
            last_end = cue.end_char
        modal = ctx.covering(cue.start, cue.end, cue.start_char, ("planned", "negation", "done"))
        if modal and modal[0][0].category == "negation":
            continue
        if modal and modal[0][0].category == "planned" and state in STAGE_ORDER + ("cancelled", "suspended"):
            continue
        if ctx.covering(cue.start, cue.end, cue.start_char, ("other",)):
            continue  # "operates six stations, is building another three": somebody else's
        lead = ctx.sentence(cue.start_char) < LEAD_SENTENCES
        weight = cue.weight * (LEAD_WEIGHT if lead else (body_weight.get(state, BODY_STAGE_WEIGHT) if state in STAGE_ORDER else 1.0))
        votes[state] = votes.get(state, 0.0) + weight
    return votes


def milestone_votes(events: list[Event]) -> dict[str, float]:
    """Votes of the milestones reported as done in the headline and lead.

    Example: "Acme Breaks Ground on Plant" then "construction started in May" -> under_construction.
    """
    votes: dict[str, float] = {}
    expected = {e.kind for e in events if e.planned and e.sentence < LEAD_SENTENCES}
    for event in events:
        if event.planned or event.sentence >= LEAD_SENTENCES or event.kind not in FROM_MILESTONE:
            continue
        if event.kind in expected and event.sentence <= 1:
            continue  # a headline's "BEGINS BUILDING" when the lead says construction will begin
        if event.kind == "approval" and not event.text.lower().endswith("ed"):
            continue  # a bare "permits" is talk of permits; "approved", "cleared" is a go-ahead
        state = FROM_MILESTONE[event.kind]
        votes[state] = votes.get(state, 0.0) + LEAD_WEIGHT
    return votes


def project_status(ctx: Context, events: list[Event]) -> str | None:
    """One status for the whole project, or None where the text gives no sign."""
    votes = status_votes(ctx, construction_ahead(events))
    for terminal in ("cancelled", "suspended"):
        if votes.get(terminal, 0) >= 1:
            return terminal
    done = milestone_votes(events)
    intent_total = max(votes.get(s, 0.0) for s in INTENT)
    # a stage phrase speaks unless the lead speaks far more of intent ("will build X; its
    # other plant is already under construction"); milestones likewise, with a lower bar
    stage = None
    if pick_stage_weight(votes) * 4 >= intent_total:
        stage = pick_stage(votes)
    if stage is None and sum(done.get(s, 0.0) for s in STAGE_ORDER) * 2 >= intent_total:
        stage = pick_stage(done)
    if stage:
        if stage in ("operational", "completed") and expansion_headline(ctx):
            return "expanded"  # the news is a finished expansion of a running site
        return stage
    intent = {s: votes.get(s, 0.0) + done.get(s, 0.0) for s in INTENT}
    if intent["approved"] >= 1 and intent["approved"] >= max(intent["planned"], intent["announced"]) / 2:
        return "approved"
    if intent["planned"] >= 1 or intent["announced"] >= 1:
        return "planned" if intent["planned"] >= intent["announced"] else "announced"
    if any(e.planned for e in events):
        return "announced"
    if votes.get("operational", 0) > 0:
        return "operational"
    return None


def construction_ahead(events: list[Event]) -> bool:
    """Whether the story gives the start of construction as expected, never as done.

    Example: "Construction is expected to start in the first quarter" -> True; with
    "construction started in May" anywhere in the story -> False.
    """
    starts = [e.planned for e in events if e.kind in ("construction_start", "groundbreaking")]
    return bool(starts) and all(starts)


def pick_stage(votes: dict[str, float]) -> str | None:
    """The best-supported stage with at least one full vote; ties go to the later stage."""
    stages = [(votes.get(s, 0.0), i, s) for i, s in enumerate(STAGE_ORDER) if votes.get(s, 0.0) >= 1]
    return max(stages)[2] if stages else None


def expansion_headline(ctx: Context) -> bool:
    """Whether the headline or lead says the news is an expansion ("doubles output")."""
    return any(c.category == "status" and c.value == "expansion" and ctx.sentence(c.start_char) < LEAD_SENTENCES
               for c in ctx.cues)


def pick_stage_weight(votes: dict[str, float]) -> float:
    """The vote of the stage `pick_stage` would choose (0 where none)."""
    stage = pick_stage(votes)
    return votes.get(stage, 0.0) if stage else 0.0
