"""Record assembly: mentions in, ProjectRecord out.

Plain Python over the layers' typed mentions, read once per document (document.py); no spaCy
internals, so it is easy to test with hand-made docs. Slots come from slots.py, milestones from
milestones.py, the status from status.py, name/type/products from project.py, record parts from
records.py; this module only puts them together.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from extractor import spans as S
from extractor.assembly.context import Context
from extractor.assembly.detection import PROJECT_SLOTS, Decision, decide, reason
from extractor.assembly.milestones import find_events, milestone_fields
from extractor.models import ProjectRecord, Site
from extractor.assembly.project import project_facts
from extractor.assembly.document import Document
from extractor.assembly.records import (company_fields, dateline_fields, money_fields, place_fields, quantity_fields,
                                        quoted)
from extractor.mentions import QuantityMention
from extractor.ruleset import lexicon
from extractor.assembly.site import DEFAULT_SITE_WEIGHTS, SiteWeights, resolve_site
from extractor.assembly.slots import WEIGHTS as SLOT_WEIGHTS, Assignment, Candidate, SlotWeights, assign
from extractor.assembly.status import STAGE_ORDER, WEIGHTS as STATUS_WEIGHTS, StatusWeights, project_status

@dataclass(frozen=True)
class AssemblyWeights:
    """The weights of assembly's scorers in one value, so a tuner (scripts/tune_weights.py) can
    re-assemble parsed docs under other weights without touching module state.

    The defaults are today's hand-set values: leave-one-source-out cross-validation over dev,
    dev2 and corpus/ (scripts/tune_weights.py, results in scripts/README.md) found no change of
    any site, slot or status weight that beats them on held-out sources, so they stay; each
    weight's comment says "CV kept" or "CV flat" (its grid never changes the score).
    """

    site: SiteWeights = field(default_factory=lambda: DEFAULT_SITE_WEIGHTS)
    slots: SlotWeights = field(default_factory=lambda: SLOT_WEIGHTS)
    status: StatusWeights = field(default_factory=lambda: STATUS_WEIGHTS)


DEFAULT_WEIGHTS = AssemblyWeights()

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}


class FigureRecords:
    """The Quantity and Money fields of each quantity mention, built once per document.

    Why: the same figure is listed under `quantities` and fills a slot (or a phase's); its
    fields are built once and serve both places. The record validates them as a whole
    (`assemble`); a mention the contract refuses fails the record there, as it fails
    `records.quantity_record`.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._quantities: dict[QuantityMention, dict] = {}
        self._money: dict[QuantityMention, dict] = {}

    def quantity(self, mention: QuantityMention) -> dict:
        """`records.quantity_fields` of the mention."""
        found = self._quantities.get(mention)
        if found is None:
            found = self._quantities[mention] = quantity_fields(mention, self.text)
        return found

    def money(self, mention: QuantityMention) -> dict:
        """`records.money_fields` of the mention."""
        found = self._money.get(mention)
        if found is None:
            found = self._money[mention] = money_fields(mention, self.text)
        return found

    def first_quantity(self, cands: list[Candidate]) -> dict | None:
        """The Quantity fields of the first candidate, or None."""
        return self.quantity(cands[0].mention) if cands else None

    def first_money(self, cands: list[Candidate]) -> dict | None:
        """The Money fields of the first candidate, or None."""
        return self.money(cands[0].mention) if cands else None

    def capacity(self, cand: Candidate, sibling_per: dict[str, str] | None = None) -> dict:
        """The capacity Quantity's fields, with the period its cue states where the figure has
        none ("300 MW of annual capacity" -> 300 MW per year), else the period another figure of
        the same unit states ("8 GWh per year at first, 14 GWh later" -> both per year)."""
        fields = self.quantity(cand.mention)
        per = cand.per_hint or (sibling_per or {}).get(fields["unit"])
        if fields["per"] is None and per:
            fields = {**fields, "per": per}
        return fields


def periods_by_unit(slots: Assignment) -> dict[str, str]:
    """The period each capacity unit carries where some project or phase figure states one."""
    found: dict[str, str] = {}
    for cand in slots.all_capacity:
        per, unit = cand.mention.per or cand.per_hint, cand.mention.unit
        if per and unit not in found:
            found[unit] = per  # type: ignore[index]  # a unit may be None
    return found


def phase_fields(ctx: Context, view: Document, slots: Assignment, stage: dict[int, str],
                 figures: FigureRecords) -> list[dict]:
    """The fields of one Phase per number the story mentions, with its own figures, in phase order.

    Example: "built in two phases ... Phase I covers 59 ha" gives phases 1 and 2, the 59 ha
    on phase 1; "two phases" alone labels them "Phase 1" and "Phase 2".
    """
    text = ctx.text
    labels: dict[int, tuple[str, int, int]] = {}
    counted: dict[int, tuple[int, int]] = {}
    for cue in view.cues(ctx, "phase"):
        if not ctx.in_boilerplate(cue.start_char) and isinstance(cue.value, int) and cue.value not in labels:
            labels[cue.value] = (cue.text, cue.start_char, cue.end_char)
    for cue in view.cues(ctx, "phase_count"):
        if not ctx.in_boilerplate(cue.start_char) and isinstance(cue.value, int) and 1 < cue.value <= 6:
            for n in range(1, cue.value + 1):
                counted.setdefault(n, (cue.start_char, cue.end_char))
    numbers = sorted(set(labels) | set(counted))
    phases = []
    periods = periods_by_unit(slots) if numbers else {}
    for n in numbers:
        label, start, end = labels.get(n) or (f"Phase {ROMAN.get(n, n)}", *counted[n])
        own = slots.phases.get(n, {})
        phases.append({
            "number": n, "label": label,
            "area": figures.first_quantity(own.get("area", [])),
            "capacity": [figures.capacity(c, periods) for c in own.get("capacity", [])],
            "investment": figures.first_money(own.get("investment", [])),
            "status": stage.get(n),
            "evidence": quoted(start, end, text),
        })
    return phases


def phase_stages(ctx: Context) -> dict[int, str]:
    """A phase's stage where its sentence names one phase and a stage ("Phase I ... is still under
    construction"). Only sentences naming a phase are read."""
    stages: dict[int, str] = {}
    for sent in sorted(sent for sent, categories in ctx.in_sentence.items() if "phase" in categories):
        cues = ctx.in_sentence[sent]
        numbers = {c.value for c in cues["phase"] if isinstance(c.value, int)}
        states = [str(c.value) for c in cues.get("status", ()) if c.value in STAGE_ORDER and c.weight >= 1]
        if len(numbers) == 1 and states:
            stages.setdefault(numbers.pop(), states[0])
    return stages


MONEY_SLOTS = ("investment", "output_value", "tax")


@lru_cache(maxsize=1)
def dollar_countries() -> frozenset[str]:
    """Countries with a dollar of their own (rules/dollar_countries.jsonl)."""
    return frozenset(lexicon("dollar_countries.jsonl")["countries"])


def drop_bare_dollars(doc: Doc, slots: Assignment, country_code: str | None) -> None:
    """Empty the money slots filled by a bare "$" / "dlrs" in a story set in another dollar country.

    Why: such a figure may be US or local dollars (GOLD.md leaves it out). Example: "a
    $40 million plant in Ontario" fills no investment; "C$40 million" or "40 mln Canadian
    dlrs" name their currency and stay.
    """
    if country_code not in dollar_countries():
        return  # in Korea or China a bare "dlrs" can only be US dollars
    text = S.document_text(doc)
    for slot in MONEY_SLOTS:
        kept = [c for c in slots.project[slot] if not c.mention.currency_bare]
        if len(kept) != len(slots.project[slot]):
            first = slots.project[slot][0].mention
            S.add_warning(doc, f"{slot}: {text[first.start_char:first.end_char]!r} names no currency "
                               f"in a story set in {country_code}; left out")
            slots.project[slot] = kept


def project_decision(view: Document, ctx: Context, slots: Assignment, site: Site | None, events: list) -> Decision:
    """Whether the story is about one specific physical project, from what the layers found."""
    return decide(
        view, ctx,
        filled_slots=sum(1 for slot in PROJECT_SLOTS if slots.project.get(slot)),
        milestones=len(events),
        has_site=bool(site and (site.city or site.region)),
    )


def assemble(doc: Doc, *, doc_id: str, text_sha256: str,
             weights: AssemblyWeights = DEFAULT_WEIGHTS) -> ProjectRecord:
    """The record of one analysed document.

    Where the story is about no specific project (detection.py), the project-level fields stay
    empty, the mentions (dateline, companies, places, quantities) are listed and a warning
    says why.
    """
    view = Document(doc)
    ctx = Context(doc, tokens=view.tokens)
    slots = assign(ctx, view, weights.slots)
    site = resolve_site(view, weights=weights.site, boilerplate_from=ctx.boilerplate_from)
    drop_bare_dollars(doc, slots, site.country_code if site else None)
    events = find_events(view, ctx)
    decision = project_decision(view, ctx, slots, site, events)
    figures = FigureRecords(view.text)
    mentions = dict(
        doc_id=doc_id,
        text_sha256=text_sha256,
        title=doc._.title,
        dateline=dateline_fields(view),
        companies=company_fields(view),
        places=place_fields(view),
        quantities=[figures.quantity(m) for m in view.quantities],
    )
    if not decision.detected:
        S.add_warning(doc, reason(decision))
        return ProjectRecord(project={"detected": False}, warnings=list(doc._.warnings or []), **mentions)  # type: ignore[arg-type]  # pydantic validates the dicts
    for warning in slots.warnings:
        S.add_warning(doc, warning)
    # the one validation of the record and every part built as fields (records.py)
    return ProjectRecord(  # pydantic validates the dicts built as fields
        project=project_part(view, ctx, events, weights),  # type: ignore[arg-type]
        site=site,
        phases=phase_fields(ctx, view, slots, phase_stages(ctx), figures),  # type: ignore[arg-type]
        milestones=milestone_fields(ctx.text, events),  # type: ignore[arg-type]
        warnings=list(doc._.warnings or []),
        **slot_parts(slots, figures),
        **mentions,
    )


def project_part(view: Document, ctx: Context, events: list, weights: AssemblyWeights) -> dict:
    """The fields of the Project: its name, type, products, status and their evidence."""
    name, kind, products, evidence = project_facts(view, ctx)
    return {"name": name, "type": kind, "products": products,
            "status": project_status(ctx, view, events, weights.status), "evidence": evidence}


def slot_parts(slots: Assignment, figures: FigureRecords) -> dict:
    """The record's project-level figures, by field (each as its model's fields)."""
    project = slots.project
    periods = periods_by_unit(slots) if project["capacity"] else {}
    return dict(
        area=figures.first_quantity(project["area"]),
        floor_area=figures.first_quantity(project["floor_area"]),
        capacity=[figures.capacity(c, periods) for c in project["capacity"]],
        investment=figures.first_money(project["investment"]),
        annual_output_value=figures.first_money(project["output_value"]),
        annual_tax=figures.first_money(project["tax"]),
        jobs=figures.first_quantity(project["jobs"]),
        automation_rate=figures.first_quantity(project["automation"]),
    )
