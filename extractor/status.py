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


def status_votes(ctx: Context) -> dict[str, float]:
    """Weight of each status phrase in the story (boilerplate, negated or modal ones skipped).

    Example: "will be operational next year" gives no "operational" vote; "is operational" does.
    """
    votes: dict[str, float] = {}
    for cue in ctx.cues:
        if cue.category != "status" or ctx.in_boilerplate(cue.start_char):
            continue
        modal = ctx.covering(cue.start, cue.end, cue.start_char, ("planned", "negation", "done"))
        state = str(cue.value)
        if modal and modal[0][0].category == "negation":
            continue
        if modal and modal[0][0].category == "planned" and state in STAGE_ORDER + ("cancelled", "suspended"):
            continue
        votes[state] = votes.get(state, 0.0) + cue.weight
    return votes


def project_status(ctx: Context, events: list[Event]) -> str | None:
    """One status for the whole project, or None where the text gives no sign."""
    votes = status_votes(ctx)
    for terminal in ("cancelled", "suspended"):
        if votes.get(terminal, 0) >= 1:
            return terminal
    explicit = [s for s in STAGE_ORDER if votes.get(s, 0) >= 1]
    if explicit:
        return explicit[-1]
    done = [FROM_MILESTONE[e.kind] for e in events if not e.planned and e.kind in FROM_MILESTONE]
    if done:
        return max(done, key=STAGE_ORDER.index)
    if votes.get("approved", 0) >= 1:
        return "approved"
    if votes.get("planned", 0) >= 1:
        return "planned"
    if votes.get("announced", 0) >= 1 or any(e.planned for e in events):
        return "announced"
    if votes.get("operational", 0) > 0:
        return "operational"
    return None
