"""The project's status as of the document's date, from status phrases and milestones.

Explicit present-state phrases speak first ("is still under construction" beats a topping-out
ceremony reported in the same story); terminal states (cancelled, suspended) beat everything;
without a stage, the wording of intent decides: "plans to" / "feasibility study" -> planned,
an explicit go-ahead -> approved, "will build" / "signed an agreement to build" -> announced.
"""
from __future__ import annotations

from .context import Context
from .milestones import Event

STAGE_ORDER = ("under_construction", "topped_out", "completed", "expanded", "operational")
FROM_MILESTONE = {
    "groundbreaking": "under_construction",
    "construction_start": "under_construction",
    "topping_out": "topped_out",
    "production_start": "operational",
    "full_production": "operational",
}


LEAD_SENTENCES = 5  # headline, dateline and lead: where a release states its news
LEAD_WEIGHT = 2.0


def status_votes(ctx: Context) -> dict[str, float]:
    """Weight of each status phrase in the story (boilerplate, negated or modal ones skipped).

    A phrase in the lead counts double; a phrase overlapping an earlier one is part of it
    ("plans to build" is one planned vote, not also an announced "to build").
    Example: "will be operational next year" gives no "operational" vote; "is operational" does.
    """
    votes: dict[str, float] = {}
    last_end = -1
    for cue in sorted((c for c in ctx.cues if c.category == "status"), key=lambda c: (c.start_char, -c.end_char)):
        if ctx.in_boilerplate(cue.start_char):
            continue
        if cue.start_char < last_end:
            continue
        last_end = cue.end_char
        modal = ctx.covering(cue.start, cue.end, cue.start_char, ("planned", "negation", "done"))
        state = str(cue.value)
        if modal and modal[0][0].category == "negation":
            continue
        if ctx.covering(cue.start, cue.end, cue.start_char, ("other",)):
            continue  # "operates six stations, is building another three": somebody else's
        if modal and modal[0][0].category == "planned" and state in STAGE_ORDER + ("cancelled", "suspended"):
            continue
        weight = cue.weight * (LEAD_WEIGHT if ctx.sentence(cue.start_char) < LEAD_SENTENCES else 1.0)
        votes[state] = votes.get(state, 0.0) + weight
    return votes


def project_status(ctx: Context, events: list[Event]) -> str | None:
    """One status for the whole project, or None where the text gives no sign.

    Milestones speak for the status only from the lead, and not from the headline, whose
    present tense often reports what is still to come ("X BEGINS BUILDING PLANT").
    """
    votes = status_votes(ctx)
    for terminal in ("cancelled", "suspended"):
        if votes.get(terminal, 0) >= 1:
            return terminal
    explicit = [s for s in STAGE_ORDER if votes.get(s, 0) >= 1]
    if explicit:
        return explicit[-1]
    title_end = len(ctx.doc._.title or "") if ctx.doc._.title and ctx.doc.text.lstrip().startswith(ctx.doc._.title[:20]) else -1
    done = [FROM_MILESTONE[e.kind] for e in events
            if not e.planned and e.kind in FROM_MILESTONE and e.sentence < LEAD_SENTENCES and e.start_char > title_end]
    if done:
        return max(done, key=STAGE_ORDER.index)
    intent = {s: votes.get(s, 0.0) for s in ("approved", "planned", "announced")}
    if intent["approved"] >= 1 and intent["approved"] >= max(intent["planned"], intent["announced"]) / 2:
        return "approved"
    if intent["planned"] >= 1 and intent["planned"] >= intent["announced"]:
        return "planned"
    if intent["announced"] >= 1 or intent["planned"] >= 1 or any(e.planned for e in events):
        return "announced" if intent["announced"] >= intent["planned"] else "planned"
    if votes.get("operational", 0) > 0:
        return "operational"
    return None
