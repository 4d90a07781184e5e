"""Which quantity is the project's capacity, area, investment, jobs...; which a phase's; which
somebody else's.

Each quantity span may fill only slots its unit allows (hectares can be an area, never jobs).
Among those, the nearest covering slot cue decides; where none covers it, a few unambiguous
units take a weak default ("500 jobs" are jobs). Its scope is the nearest covering scope cue:
a phase ("Phase I, covering 59 hectares"), the whole ("at full buildout") or another entity
("the industry's 8.6 GW", "a park of 17 km²"); figures for other entities fill nothing, save
the building works' own workforce ("900 jobs during construction"), which is the jobs figure
where the release gives no other.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from extractor.assembly.context import LEAD_SENTENCES, Context
from extractor.assembly.document import Document
from extractor.mentions import QuantityMention
from extractor.layers.cues import COMPOUND, SCOPE_CATEGORIES, SLOT_CATEGORIES

AREA = frozenset({"m2", "ha", "km2", "acre", "sqft", "mu"})
LAND_AREA = frozenset({"ha", "km2", "acre", "mu"})
FLOOR_AREA = frozenset({"m2", "sqft"})  # the units a building's floor space is stated in
CAPACITY = {
    **{u: "energy" for u in ("Wh", "kWh", "MWh", "GWh", "TWh")},
    **{u: "power" for u in ("W", "kW", "MW", "GW")},
    **{u: "mass" for u in ("kg", "t", "kt", "Mt")},
    **{u: "volume" for u in ("l", "m3", "bbl", "gal")},
    "units": "count",
}
POWER_TO_W = {"W": 1.0, "kW": 1e3, "MW": 1e6, "GW": 1e9}
PLANT_CUE = "compound-plant"
PARK_CUE = "scope-other-park"  # a park's or zone's own figures
MANY_CUE = "scope-other-many"  # "12 projects", "its plants": figures of several other entities
# rent and lease, funds raised or granted ("raising $40 million", "support of $1 billion"): money only
MONEY_ONLY_CUES = frozenset({"scope-other-money", "scope-other-funding"})
# the building works' own figures: another's, save a construction workforce where no other jobs figure is given
CONSTRUCTION_CUES = frozenset({"scope-other-construction", "scope-other-construction-after"})
GROWTH_TO_CUE = "scope-total-growth-to"  # "raising the plant's capacity to 540 MW": only with "to" right before
# words between a figure and a phase label after it that end the figure's clause: "Built on a
# 40-acre site, the first phase ...", "30 GWh in total, with the first phase ..."
PHASE_CLAUSE_BREAKS = frozenset({",", ";", ":", "\u2014", "\u2013", "with", "while", "whereas"})
# describing words that make a jobs figure the lasting one: "200 permanent jobs" over "120 people working"
PERMANENT_JOBS = frozenset({"permanent", "full time", "fulltime", "long term"})
YEARLY_OUTPUT_DIMS = frozenset({"energy", "mass", "volume"})  # what a plant rated in power puts out a year
OUTPUT_CUE = "cap-capacity-of"  # "to produce", "an output of": what says a mass or volume is made, not used
INPUT_CUE = "cap-input"  # what a plant takes in ("process 365,000 t of waste")
INITIAL = ("initial",)  # "an initial capacity of 8 GWh": the cue category that lowers a capacity
# a staged plan's final figure ("rising to 10 GWh", "raising the site's capacity to 540 MW")
GROWTH_CUES = frozenset({"scope-total-growth", "scope-total-growth-to"})
# words after a zone's name that make the next words describe the zone ("..., which covers 900 ha")
ZONE_DESCRIBED = frozenset({"which", "that", "whose", "(", "covering", "spanning", "with", "has", "covers", "spans",
                            "is", "was", "occupies", "boasts", "'s", "’s"})
# words before a plural project noun that make it this release's own set ("the three projects")
OWN_SET = frozenset({"the", "both"})
LOCATIVES = frozenset({"at", "in", "within", "inside", "into"})  # the rule of "N GWh battery plant": a figure naming its own plant
MONEY_SLOTS = ("investment", "output_value", "tax")
# slots a single phase's figure may fill for the whole project when nothing else does
PROMOTABLE = ("capacity", "investment", "output_value", "tax", "jobs", "automation")


@dataclass(frozen=True)
class SlotWeights:
    """How strongly a figure's context speaks for a slot: every number the slot scorer uses.

    A slot cue within ten tokens outweighs any unit default, so such a cued figure beats an
    uncued one; the bonuses and penalties mostly order figures of the same strength.

    scripts/tune_weights.py (leave-one-source-out over dev, dev2, corpus/; scripts/README.md) tags each
    weight: "CV kept" = hand-set, no value of its grid beats it on held-out sources; "CV flat" = no
    value of its grid changes the micro-F1 (the documents do not test it in that range).
    """

    cue: float = 3.0  # a slot cue covering the figure ("a capacity of 60 GWh"); CV flat
    cue_gap_penalty: float = 0.05  # per token between the cue and the figure: the nearer cue wins; CV kept
    total_bonus: float = 0.5  # a whole-project scope ("in total", "at full buildout"); CV kept
    lead_bonus: float = 0.25  # in the headline or lead, where releases state their own figures; CV kept
    lead_sentences: int = LEAD_SENTENCES  # sentences that count as headline and lead, as for status; CV kept
    initial_penalty: float = 0.7  # "an initial capacity of 8 GWh" yields to the full figure; CV kept
    permanent_bonus: float = 0.25  # "200 permanent jobs" over a headcount ("120 people are now working"); CV flat
    # defaults with no cue: only units that say the slot themselves
    jobs_default: float = 1.5  # "500 new jobs"; CV flat
    land_default: float = 1.0  # "193 acres"; CV flat
    rated_default: float = 1.0  # a capacity with a period ("60 GWh a year") or a plant-size power; CV flat
    energy_default: float = 0.5  # an energy figure with no period ("a 20 GWh plant"); CV kept
    min_plant_watts: float = 1e5  # smaller power is an item's rating ("550 W panels"), not a plant's; CV flat
    min_product_units: float = 100  # fewer plain units count equipment ("nine units"), not output; CV flat
    capacity_margin: float = 0.6  # capacities within this of the best are listed beside it; CV kept
    warn_score: float = 2.0  # a dropped figure this strong (cued) is worth a warning; not tuned (warnings only)


WEIGHTS = SlotWeights()


@dataclass(slots=True)
class Candidate:
    """A quantity mention with the slot and scope its context gives it."""

    mention: QuantityMention
    slot: str | None
    scope: str  # "project" | "total" | "phase" | "other" | "construction" (the building works')
    phase: int | None
    score: float
    cue: str | None  # the rule id that decided the slot
    sentence: int = -1
    per_hint: str | None = None  # the period a capacity cue states when the figure has none
    cue_start: int = -1  # token where the deciding cue starts
    covered_by: frozenset = frozenset()  # starts of every slot cue covering the figure
    scope_cue: str | None = None  # the rule id that decided the scope

    @property
    def start_char(self) -> int:
        return self.mention.start_char


def slots_for(unit: str | None, is_money: bool) -> tuple[str, ...]:
    """The slots a unit can fill. Example: "GWh" -> ("capacity",); "CNY" -> the money slots."""
    if is_money:
        return MONEY_SLOTS
    if unit in FLOOR_AREA:
        return ("area", "floor_area")  # "a site of 250,000 m2" or "180,000 m2 of floor space"
    if unit in AREA:
        return ("area",)
    if unit in CAPACITY:
        return ("capacity",)
    if unit == "jobs":
        return ("jobs",)
    if unit == "%":
        return ("automation",)
    return ()


def unit_score(unit: str | None, per: str | None, value: float | None, slot: str,
               weights: SlotWeights = WEIGHTS) -> float:
    """How far a quantity fills a slot with no cue: only units that say it themselves.

    Example: "500 new jobs" -> 1.5; "193 acres" -> 1.0; "550 W" (a panel rating) -> 0.
    """
    if slot == "jobs":
        return weights.jobs_default
    if slot == "area":
        return weights.land_default if unit in LAND_AREA else 0.0
    if slot == "capacity":
        if per:
            return weights.rated_default
        if unit in POWER_TO_W:
            return weights.rated_default if (value or 0) * POWER_TO_W[unit] >= weights.min_plant_watts else 0.0
        if CAPACITY.get(unit) == "energy":  # type: ignore[arg-type]  # a unit may be None
            return weights.energy_default
    return 0.0


@lru_cache(maxsize=64)
def cue_query(allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The cue categories one `Context.covering` query asks for a figure: its slots' cues, the
    plant noun after it, the scope cues and "initial". `allowed`: `slots_for`'s few tuples."""
    return allowed + (COMPOUND,) + SCOPE_CATEGORIES + INITIAL


SCOPES = frozenset(SCOPE_CATEGORIES)  # `split_hits`' test of a scope cue


def split_hits(hits: list[tuple[Any, int]]) -> tuple[list[tuple[Any, int]], list[tuple[Any, int]], bool]:
    """A figure's covering hits (`cue_query`) by use, in one pass, each group in the hits' order:
    (slot and compound hits, scope hits, whether an "initial" cue covers it).

    Why: what `only` of each group gives (tests/test_assembly_screens.py), for one scan.
    """
    slot_hits: list[tuple[Any, int]] = []
    scope_hits: list[tuple[Any, int]] = []
    initial = False
    for hit in hits:
        category = hit[0].category
        if category in SCOPES:
            scope_hits.append(hit)
        elif category == INITIAL[0]:
            initial = True
        else:
            slot_hits.append(hit)
    return slot_hits, scope_hits, initial



def classify(mention: QuantityMention, ctx: Context, view: Document, weights: SlotWeights = WEIGHTS) -> Candidate:
    """Slot and scope of one quantity mention from the cues covering it."""
    unit, is_money, per, value = mention.unit, mention.is_money, mention.per, mention.value
    start, end, start_char = mention.start, mention.end, mention.start_char
    sentence = ctx.sentence(start_char)
    allowed = slots_for(unit, bool(is_money))
    if unit == "units" and not per and (value or 0) < weights.min_product_units:
        allowed = ()  # "nine units" counts equipment, not output
    if is_money and priced_per_unit(mention, view, ctx):
        allowed = ()  # a unit price ("80 dlrs a ton", "$22,000/t") is never the project's money
    slot, score, cue_id, per_hint, cue_start = None, 0.0, None, None, -1
    covered_by: frozenset = frozenset()
    if not allowed:  # a figure no slot takes has no owner worth finding: no cue is read
        return Candidate(mention, None, "project", None, 0.0, None, sentence=sentence)
    # one query for the slot, scope and "initial" cues of the figure, split by use
    hits, scope_hits, initial = split_hits(ctx.covering(start, end, start_char, cue_query(allowed)))
    # a project noun inside the mention is its own unit ("a 225-unit run-rate"), not a compound
    hits = [(c, gap) for c, gap in hits if c.category != COMPOUND or c.start >= end]
    if allowed[0] == "area":  # "a 40-acre site", not "40 acres of a complex"
        hits = [(c, gap) for c, gap in hits if c.category != COMPOUND or gap == 0]
        # at the same distance a building's floor cue outranks the plant noun's compound
        hits.sort(key=lambda h: (h[1], h[0].category == COMPOUND, h[0].start))
    if hits:
        cue, gap = hits[0]
        slot = allowed[0] if cue.category == COMPOUND else cue.category
        score, cue_id = weights.cue - weights.cue_gap_penalty * gap, cue.rule_id
        cue_start = cue.start
        covered_by = frozenset([c.start for c, _ in hits])
        if slot == "capacity" and not per:
            per_hint = next((period_of(c.text) for c, _ in hits if c.category in ("capacity", COMPOUND) and period_of(c.text)), None)
    else:
        best = max(allowed, key=lambda s: unit_score(unit, per, value, s, weights))
        # with no cue, only a figure of the headline and lead speaks for the project
        lead = sentence < weights.lead_sentences
        best_score = unit_score(unit, per, value, best, weights)
        if best_score > 0 and (lead or best == "jobs"):
            slot, score, cue_id = best, best_score, "default-unit"
    scope, phase, scope_cue = scope_of(mention, ctx, view, scope_hits)
    if scope == "total":
        score += weights.total_bonus
    if slot and sentence < weights.lead_sentences:
        score += weights.lead_bonus
    if slot == "capacity" and initial:
        score -= weights.initial_penalty
    if slot == "jobs" and says_permanent(view.quote(mention)):
        score += weights.permanent_bonus
    return Candidate(mention, slot, scope, phase, score, cue_id, sentence=sentence, per_hint=per_hint, cue_start=cue_start,
                     covered_by=covered_by, scope_cue=scope_cue)


def scope_of(mention: QuantityMention, ctx: Context, view: Document,
             covering: list[tuple[Any, int]] | None = None) -> tuple[str, int | None, str | None]:
    """(scope, phase number, deciding rule id) of a figure from the nearest scope cue covering it.

    "Phase I, covering 59 hectares" -> phase 1; "at full buildout" -> total; "the industry's
    8.6 GW" -> other; a figure in the closing "About ..." section is another's. `covering`:
    the scope cues covering the figure where the caller has them (`Context.covering`).
    """
    start, end, start_char = mention.start, mention.end, mention.start_char
    scope, phase, scope_cue = "project", None, None
    if ctx.in_boilerplate(start_char):
        return "other", None, None
    if covering is None:
        covering = ctx.covering(start, end, start_char, SCOPE_CATEGORIES)
    scopes = [(c, gap) for c, gap in covering
              if not (c.rule_id == PARK_CUE and only_locates(view, c))
              and not (c.rule_id in MONEY_ONLY_CUES and not mention.is_money)
              and not (c.rule_id == MANY_CUE and own_set(view, c))
              and not (c.rule_id == GROWTH_TO_CUE and not raised_to(view, mention))
              and not (c.category == "phase" and c.start >= end and phase_in_next_clause(view, end, c.start))]
    scopes = outside_longer_cues(scopes)
    if scopes:
        # another entity's figure stays another's; "at full buildout" outranks a phase named nearby
        cue = min(scopes, key=lambda h: (SCOPE_CATEGORIES.index(h[0].category), h[1]))[0]
        scope, scope_cue = cue.category, cue.rule_id
        if scope == "phase":
            phase = cue.value if isinstance(cue.value, int) else None
            scope = "phase" if phase else "project"
    if scope == "total" and several_others_before(mention, ctx, view):
        scope = "other"  # "12 projects ... 5,000 jobs in total", "its two plants have a combined ..."
    if scope == "other" and scope_cue in CONSTRUCTION_CUES and all(
            c.rule_id in CONSTRUCTION_CUES for c, _ in scopes if c.category == "other"):
        scope = "construction"  # the building works' own: a fallback for jobs only (`assign`)
    return scope, phase, scope_cue


def raised_to(view: Document, mention: QuantityMention) -> bool:
    """Whether "to" stands right before the figure, as after a growth verb's object ("raising
    the complex's installed capacity to 540 MW"); without it the verb says nothing of the
    figure ("raising 40 MW of new capacity", "bringing 300 jobs to the town")."""
    lower, k = view.tokens.lower, mention.start - 1
    while k >= 0 and lower[k].isspace():
        k -= 1
    return k >= 0 and lower[k] == "to"


def phase_in_next_clause(view: Document, end: int, cue_start: int) -> bool:
    """Whether a phase label after a figure opens another clause ("Built on a 40-acre site, the
    first phase of the plant ...", "30 GWh in all, with the first phase due in 2027"): the label
    then tells of what follows, not of the figure ("15 GWh in the first phase" stays the phase's)."""
    lower = view.tokens.lower
    return any(lower[i] in PHASE_CLAUSE_BREAKS for i in range(end, cue_start))


def says_permanent(quote: str) -> bool:
    """Whether a jobs figure's own words call the jobs lasting: "200 permanent jobs", "400
    full-time positions", "150 long-term jobs"; not "500 jobs" or "300 construction workers"."""
    words = " ".join(quote.lower().replace("-", " ").split())
    return any(f" {w} " in f" {words} " for w in PERMANENT_JOBS)


MEASURES = frozenset({
    "t", "ton", "tons", "tonne", "tonnes", "mt", "kg", "lb", "pound", "ounce", "oz", "barrel", "bbl",
    "gallon", "litre", "liter", "w", "wp", "watt", "kw", "kwh", "mw", "mwh", "unit", "share",
    "square", "sq", "vehicle", "car", "panel", "module",
})
PER_WORDS = frozenset({"a", "an", "per", "each", "/"})
CLAUSE_BREAKS = frozenset({",", ";", ":", ".", "(", ")", "\u2014", "and", "but", "while", "which"})


def priced_per_unit(mention: QuantityMention, view: Document, ctx: Context | None = None) -> bool:
    """Whether a money figure prices one unit rather than the project.

    Examples: "80 dlrs a ton", "$22,000/t", "US$0.98 per watt"; and, with the unit first in the
    same clause, "the cost of a ton of sheet steel by about 80 dlrs". `ctx`: where given, a
    doc with spaCy sentence starts (`Context.parsed_sentences`) bounds that clause by its
    sentence; that whole-doc check is made only when such a unit is found before the figure.
    """
    lower, n = view.tokens.lower, view.n

    def unit_at(i: int) -> bool:
        return i + 1 < n and lower[i] in PER_WORDS and lower[i + 1].rstrip(".") in MEASURES

    start, end = mention.start, mention.end
    if unit_at(end):
        return True
    if end < n and lower[end].startswith("/") and lower[end][1:] in MEASURES:
        return True
    for i in range(start - 1, max(start - 9, 0) - 1, -1):
        if lower[i] in CLAUSE_BREAKS:
            return False
        if unit_at(i) and i + 2 < n and lower[i + 2] == "of":
            # a number between stops the walk as a clause break does; so does the sentence's
            # start. Both are read only here: few figures have such a unit before them.
            if any(map(view.like_num, range(i, start))):
                return False
            return ctx is None or not ctx.parsed_sentences or i >= view.doc[start].sent.start
    return False


@lru_cache(maxsize=4096)
def period_of(cue_text: str) -> str | None:
    """The period a capacity cue states. Example: "of annual capacity" -> "year"; "capacity" -> None.

    Remembered per cue wording (a pure function of a short string; cue phrases recur).
    """
    low = cue_text.lower()
    if any(w in low for w in ("annual", "a year", "per year", "per annum", "yearly")):
        return "year"
    if any(w in low for w in ("a day", "per day", "daily")):
        return "day"
    return None


def only_locates(view: Document, cue) -> bool:
    """Whether a park or zone named in a cue only says where the project is.

    Examples: "the mill at the Eastport Industrial Zone will have a capacity of ..." and "the
    plant, located in the Eastport Zone, covers 15 ha" locate the plant; "..., Eastport Free Trade
    Zone, and total investment came to ..." starts a clause of its own; "the Eastport Industrial
    Zone, which covers 900 ha" and "the Eastport Zone covers 900 ha" describe the zone.
    """
    texts, lower, n = view.tokens.text, view.tokens.lower, view.n
    k = cue.end
    while k < n and (texts[k].isspace() or texts[k] in (",", "\u2014", "-")):
        k += 1
    following = lower[k] if k < n else ""
    if following in ZONE_DESCRIBED:
        return False
    if following in ("and", "but", "while") and k > cue.end:
        return True  # "..., Free Trade Zone, and total investment came to ..."
    before = range(max(0, cue.start - 8), cue.start)
    return any(lower[i] in LOCATIVES for i in before) and not any(texts[i] in (".", ";") for i in before)


def outside_longer_cues(hits: list[tuple[Any, int]]) -> list[tuple[Any, int]]:
    """The scope cues not lying inside a longer scope cue of another category.

    Why: the longer phrase reads the words in their use; "its total" alone names a wider
    owner, but "increasing its total investment in Ohio to $5 billion" raises the project's
    own total, so the growth cue holding those words decides.
    """
    if len(hits) < 2:  # one cue lies inside no other
        return hits

    def inside(cue: Any, other: Any) -> bool:
        return (other.category != cue.category and other.start <= cue.start and cue.end <= other.end
                and other.end - other.start > cue.end - cue.start)

    return [(c, gap) for c, gap in hits if not any(inside(c, o) for o, _ in hits)]


def several_others_before(mention: QuantityMention, ctx: Context, view: Document) -> bool:
    """Whether the figure's sentence names several other projects before it ("12 projects",
    "its two integrated plants"): a total or combined figure there is theirs."""
    sent = ctx.sentence(mention.start_char)
    return any(c.rule_id == MANY_CUE and c.start < mention.start and not own_set(view, c)
               for c in ctx.cues_in(sent, ("other",)))


def own_set(view: Document, cue) -> bool:
    """Whether a plural project noun names this release's own projects ("the three projects will
    generate a combined 12 MW"), not other ones ("12 projects", "other plants")."""
    lower = view.tokens.lower
    k = cue.start - 1
    while k >= 0 and (lower[k].isspace() or lower[k] in NUMBER_WORDS):
        k -= 1
    return k >= 0 and lower[k] in OWN_SET


NUMBER_WORDS = frozenset("two three four five six seven eight nine ten".split())


def value_key(mention: QuantityMention) -> tuple[Any, ...]:
    """What makes two mentions the same figure: unit dimension and value in base units."""
    unit = mention.unit
    value = float(mention.value or 0.0)
    if unit in POWER_TO_W:
        value *= POWER_TO_W[unit]
    return (CAPACITY.get(unit, unit), round(value, 6))  # type: ignore[arg-type]  # a unit may be None


def best(cands: list[Candidate]) -> Candidate | None:
    """The best-supported candidate: highest score, then first in the text."""
    if not cands:
        return None
    return min(cands, key=lambda c: (-c.score, c.start_char))


def capacity_list(cands: list[Candidate], weights: SlotWeights = WEIGHTS) -> list[Candidate]:
    """The capacities to report: the first strong figure and those listed under its cue, plus
    strong figures of other dimensions (a power plant's MW and its kWh a year).

    Why: releases state the product list once ("an annual output of 26,000 t of X and 19,000 t
    of Y") and repeat rounded figures later; other plants' figures in the same sentence ("and a
    55,000 t/y unit elsewhere") have a cue of their own and are left out.
    """
    if not cands:
        return []
    # what a plant puts out is its capacity; what it takes in only where no output is stated
    # ("processes 365,000 t of waste a year ... to produce 30 MW")
    if any(c.cue != INPUT_CUE and c.score >= weights.warn_score for c in cands):
        cands = [c for c in cands if c.cue != INPUT_CUE] or cands
    top = max(c.score for c in cands)
    strong = [c for c in cands if c.score >= top - weights.capacity_margin]
    ordered = sorted(strong, key=lambda c: c.start_char)
    # a staged plan's final figure is the project's ("an initial 6 GWh, rising to 10 GWh")
    first = next((c for c in ordered if c.scope_cue in GROWTH_CUES), ordered[0])
    # a headline figure restated in the body: the body's sentence is the fuller statement
    restated = [c for c in ordered if c.sentence != first.sentence and value_key(c.mention) == value_key(first.mention)]
    if restated:
        first = restated[0]
    chosen: list[Candidate] = []
    seen_dims: set[str] = set()
    seen_keys: set[tuple[Any, ...]] = set()
    anchor = first.sentence
    # a cued yearly output beside a power rating complements it rather than competes with it: it
    # need not come near the rating's score ("raising capacity to 540 MW, in all" ... "to generate
    # 2.1 TWh a year")
    outputs = sorted((c for c in cands if c.score >= weights.warn_score and c not in strong
                      and is_generation_pair(first, c)), key=lambda c: -c.score)
    for cand in [first] + [c for c in ordered if c is not first] + outputs:
        key = value_key(cand.mention)
        if key in seen_keys:
            continue
        dim = key[0]
        # listed under the first figure's cue, unless tied to a plant noun of its own
        # ("and a 55,000 t/y facility elsewhere")
        own_plant = cand.cue == PLANT_CUE and cand.cue_start != first.cue_start
        listed = cand.sentence == anchor and first.cue_start in cand.covered_by and not own_plant
        # another dimension only from the same sentence ("a 70 MW dam generating 250 GWh a year"),
        # save a power plant's yearly generation, which releases often give in a sentence of its own
        generation = is_generation_pair(first, cand)
        if listed or (dim not in seen_dims and (cand.sentence == anchor or generation)):
            chosen.append(cand)
            seen_keys.add(key)
            seen_dims.add(dim)
    return sorted(chosen, key=lambda c: c.start_char)


def is_generation_pair(one: Candidate, other: Candidate) -> bool:
    """Whether two capacities are a plant's power rating and its yearly output: a power plant's
    generation, in either order ("a 12 MW solar farm" ... "about 14,000 MWh a year"), or what an
    electrolyser or furnace rated in power (`one`, the project's first capacity) makes ("a 20 MW
    electrolyser" ... "will produce 3,000 t of hydrogen a year", a production cue saying made).
    What it takes in ("will consume 400,000 m3 of water a year") or a bare rate ("30 million
    gallons per year") is no output."""
    periods: dict[str | None, str | None] = {}
    cues: dict[str | None, str | None] = {}
    for cand in (one, other):
        dim = CAPACITY.get(cand.mention.unit)  # type: ignore[arg-type]
        periods[dim] = cand.mention.per or cand.per_hint
        cues[dim] = cand.cue
    output = set(periods) - {"power"}
    if len(periods) != 2 or len(output) != 1:
        return False
    (dim,) = output
    if dim not in YEARLY_OUTPUT_DIMS or periods[dim] != "year":
        return False
    if dim == "energy":  # a power plant's yearly generation, whichever is stated first
        return cues[dim] != INPUT_CUE
    # a mass or volume beside the rating only where the rating is the project's capacity and a
    # cue says it is made: a tonnage plant's far power figure is some other unit's
    return CAPACITY.get(one.mention.unit) == "power" and cues[dim] == OUTPUT_CUE  # type: ignore[arg-type]


@dataclass
class Assignment:
    """The slots of the project and of each phase, with what was dropped."""

    project: dict[str, list[Candidate]]
    phases: dict[int, dict[str, list[Candidate]]]
    warnings: list[str]
    all_capacity: list[Candidate]  # every capacity figure of the project and its phases


RESTATE_WORDS = frozenset({"(", "or", "about", "approximately", "approx", "approx.", "around", "roughly",
                           "some", "nearly", "almost", "equivalent", "to", "~", ",", "us", "u.s.", "i.e."})


def money_key(mention: QuantityMention) -> tuple[str, float]:
    """Currency and amount of a money mention: "$4.4 billion" -> ("USD", 4.4e9)."""
    return (str(mention.unit), round(float(mention.value or 0.0), 2))


def is_restatement(first: QuantityMention, second: QuantityMention, view: Document) -> bool:
    """Whether a money figure restates the one just before it in another currency.

    Example: "SEK 30 billion (about EUR 2.6 billion)" and "22 billion reais, or $4.4 billion":
    the second figure is a conversion, not a second amount.
    """
    if first.unit == second.unit or second.start - first.end > 4 or second.start < first.end:
        return False
    lower = view.tokens.lower
    words = [lower[i] for i in range(first.end, second.start) if not lower[i].isspace()]
    return bool(words) and words[0] in ("(", "or", ",") and all(w in RESTATE_WORDS for w in words)


PART_OPENERS = frozenset({"including", "includes", "include"})
PART_REACH = 12  # words from an envelope's amount to "including", and from the part to its plant noun
MAX_ADDRESS_TOKENS = 40  # a link's address is skipped, but only so far: the scan stays short
CLAUSE_ENDS = frozenset({",", ";", ".", "\u2014", "\u2013", "(", ":"})


def names_a_plant(ctx: Context, view: Document, sent: int, start: int, reach: int = PART_REACH) -> bool:
    """Whether a project noun ("plant", "facility") follows token `start` in the same clause,
    within `reach` words; a markdown link's address ("](https://...)") counts as no word."""
    texts = view.tokens.text
    nouns = {c.start for c in ctx.cues_in(sent, ("project_type",))}
    i, words, in_address, end = start, 0, False, min(view.n, start + reach + MAX_ADDRESS_TOKENS)
    while i < end and words < reach:
        text = texts[i]
        if in_address:
            in_address = text != ")"
        elif text == "](":
            in_address = True
        elif i in nouns:
            return True
        elif text in CLAUSE_ENDS:
            return False
        elif not text.isspace():
            words += 1
        i += 1
    return False


def envelope_amounts(cands: list[Candidate], ctx: Context, view: Document) -> set[tuple[str, float]]:
    """Money figures that are a wider envelope of the project's own, by amount.

    Example: "a $2 billion investment in power networks, including a $310 million investment
    in a new cable plant": the part tied to the plant noun is the project's, the sum around it
    a programme's. A part with no plant noun ("including $50 million for training") leaves the
    sum the project's.
    """
    lower = view.tokens.lower
    money = [c for c in cands if c.slot in MONEY_SLOTS]
    wider: set[tuple[str, float]] = set()
    for whole, part in zip(money, money[1:]):
        whole_end = whole.mention.end
        if whole.sentence != part.sentence or part.mention.start - whole_end > PART_REACH:
            continue
        opener = next((i for i in range(whole_end, part.mention.start) if lower[i] in PART_OPENERS), None)
        if opener is None or names_a_plant(ctx, view, whole.sentence, whole_end, opener - whole_end):
            continue
        if names_a_plant(ctx, view, part.sentence, part.mention.end):
            wider.add(money_key(whole.mention))
    return wider


def candidates(ctx: Context, view: Document, weights: SlotWeights = WEIGHTS) -> list[Candidate]:
    """Each quantity classified; a currency restatement is folded into the figure it restates
    (which takes the restatement's cues: "SEK 30 billion (EUR 2.6 billion) plant")."""
    out: list[Candidate] = []
    restated: set[tuple[str, float]] = set()
    previous_money: Candidate | None = None
    for mention in view.quantities:
        try:
            cand = classify(mention, ctx, view, weights)
        except (TypeError, ValueError):
            continue
        if mention.is_money:
            if previous_money is not None and is_restatement(previous_money.mention, mention, view):
                restated.add(money_key(mention))
                if previous_money.slot is None and cand.slot is not None:
                    cand.mention = previous_money.mention
                    out[out.index(previous_money)] = cand
                    previous_money = cand
                continue
            previous_money = cand
        out.append(cand)
    envelopes = envelope_amounts(out, ctx, view)
    for cand in out:  # a wider envelope stays wider wherever it is restated (a headline's "$2B")
        if cand.slot in MONEY_SLOTS and money_key(cand.mention) in envelopes:
            cand.scope = "other"
    # an amount the text gives as a conversion is a conversion wherever it appears
    if not restated:
        return out
    return [c for c in out if not (c.mention.is_money and money_key(c.mention) in restated)]


def assign(ctx: Context, view: Document, weights: SlotWeights = WEIGHTS) -> Assignment:
    """Every quantity to its slot: project slots, phase slots, warnings for dropped conflicts."""
    project: dict[str, list[Candidate]] = {s: [] for s in SLOT_CATEGORIES}
    phase_pool: dict[int, dict[str, list[Candidate]]] = {}
    construction_jobs: list[Candidate] = []  # "1,500 jobs during construction"
    for cand in candidates(ctx, view, weights):
        if cand.slot is None or cand.scope == "other":
            continue
        if cand.scope == "construction":
            if cand.slot == "jobs":
                construction_jobs.append(cand)
            continue
        if cand.scope == "phase" and cand.phase is not None:
            phase_pool.setdefault(cand.phase, {}).setdefault(cand.slot, []).append(cand)
        else:
            project[cand.slot].append(cand)
    warnings: list[str] = []
    chosen: dict[str, list[Candidate]] = {}
    for slot in SLOT_CATEGORIES:
        pool = project[slot]
        if not pool and slot in PROMOTABLE:
            phases_with = [n for n, slots in phase_pool.items() if slots.get(slot)]
            if len(phases_with) == 1:
                pool = phase_pool[phases_with[0]][slot]
        if not pool and slot == "jobs":  # the construction workforce where no other jobs figure is given
            pool = construction_jobs
        if slot == "capacity":
            chosen[slot] = capacity_list(pool, weights)
            continue
        winner = best(pool)
        chosen[slot] = [winner] if winner else []
        if winner is not None:
            dropped = sorted({view.quote(c.mention) for c in pool
                              if c is not winner and c.score >= weights.warn_score
                              and value_key(c.mention) != value_key(winner.mention)})
            if dropped:
                warnings.append(f"{slot}: kept {view.quote(winner.mention)!r}, dropped {', '.join(repr(d) for d in dropped)}")
    phases = {n: {slot: ([best(c)] if slot != "capacity" else capacity_list(c, weights)) for slot, c in slots.items()}
              for n, slots in phase_pool.items()}
    every = project["capacity"] + [c for slots in phase_pool.values() for c in slots.get("capacity", [])]
    return Assignment(chosen, phases, warnings, every)  # type: ignore[arg-type]  # best() may be None
