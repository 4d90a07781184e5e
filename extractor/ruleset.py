"""Rule files: patterns, lexicons and cues kept as typed data beside the code that loads them.

A rule file is JSON Lines, one rule per line, each with an `id`. Every line is read into the
pydantic model of its kind (`CueRule`, `UnitRule`, `PlaceRule`, ...): a key the kind does not
know, a missing key or a wrong value fails loudly with a `RuleFileError` naming the file, the
line and the key (the way medspaCy's TargetRule guards its fields). Ids are unique within a
file, and within the user rule files taken together.

The packaged files and a user's take the same path: a packaged file is read with the model its
name maps to (`PACKAGED_MODELS`); a user's lines name their `layer` (and, for quantities, their
`kind`), which picks the model (a discriminated union, `UserRule`). Lexicons that are word sets
rather than rules (`numbers.jsonl`, `companies.jsonl`, ...) are rule files too: one named word
list or word map per line (`WordList`), read back with `lexicon(name)`.

>>> rule = CueRule.from_dict({"id": "x", "category": "area", "phrases": ["plot of"]})
>>> rule.direction, rule.window
('both', 8)
>>> CueRule.from_dict(rule.to_dict()) == rule
True
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Iterable, Literal, Mapping, Optional, Sequence, Union

from pydantic import (
    BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, TypeAdapter, ValidationError,
    model_validator,
)

RULES_DIR = Path(__file__).parent / "rules"

# the layers a user rule may name, in pipeline order
LAYERS = ("dateline", "quantities", "dates", "places", "companies", "cues")


class RuleFileError(ValueError):
    """A rule file a user can fix: the message names the file, the line and the problem."""


def data_path(name: str) -> Path:
    """Path of a data file shipped in the package's `rules/` folder."""
    return RULES_DIR / name


# ---------------------------------------------------------------------------------------------
# the rule kinds

Text = Annotated[str, StringConstraints(min_length=1)]
Phrase = Annotated[str, StringConstraints(pattern=r"\S")]  # not blank
Phrases = Annotated[list[Phrase], Field(min_length=1)]

CUE_CATEGORIES = (
    "capacity", "area", "floor_area", "investment", "output_value", "tax", "jobs", "automation",  # slots
    "other", "total", "phase",  # scopes
    "compound", "initial", "phase_count", "planned", "done", "negation", "terminate", "boilerplate",
    "milestone", "start_verb", "milestone_noun", "status", "project_type", "product",
    "past", "purpose", "side_object",  # a milestone told as done, as a purpose, or of a deal/study/grant
)
MAX_CUE_WINDOW = 20  # tokens; scopes end at clause ends anyway, and a bound keeps lookups local
PLACE_KINDS = ("country", "region", "city", "district", "zone", "site")
SITE_CUE_ROLES = ("project_noun", "build_verb", "locative", "headquarters", "hq_noun", "other_project", "expansion",
                  "event_noun", "when_word", "region_qualifier", "region_noun")
UNIT_DIMENSIONS = ("energy", "power", "area", "mass", "volume", "duration", "count", "jobs", "percent")
PERIODS = ("year", "day", "hour", "month", "week", "shift", "quarter")


class Rule(BaseModel):
    """One line of a rule file: an id, an optional comment, and the keys of its kind only."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Text
    comment: Optional[str] = None

    # keys that name the kind of a rule in a user file; `to_dict` always writes them
    discriminators: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Rule":
        """The rule a dict states; pydantic's ValidationError names a wrong key."""
        return cls.model_validate(dict(data))

    def to_dict(self) -> dict[str, Any]:
        """The keys the rule was given (defaults left out), its kind always named.

        `from_dict(rule.to_dict())` gives the same rule back, and so does reading the dict
        as a line of a user rule file.
        """
        data = self.model_dump(exclude_unset=True)
        for key in self.discriminators:
            data[key] = getattr(self, key)
        return data


class CueRule(Rule):
    """Phrases that say what a nearby mention is for (`rules/cues.jsonl`, layer `cues`)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer",)
    layer: Literal["cues"] = "cues"
    category: Literal[CUE_CATEGORIES]  # type: ignore[valid-type]
    direction: Literal["forward", "backward", "both"] = "both"
    window: Annotated[int, Field(ge=0, le=MAX_CUE_WINDOW)] = 8
    phrases: Phrases
    value: Optional[Union[str, int]] = None  # what the cue names: a status, a milestone kind, ...
    weight: float = 1.0  # how strongly the cue speaks (weak status words < 1)
    line_start: bool = False  # counts only where it opens a line


class ProductRule(Rule):
    """Phrases naming a product the record lists (`rules/products.jsonl`)."""

    value: Text
    phrases: Phrases


class ProjectTypeRule(Rule):
    """Phrases naming the type of a project (`rules/project_types.jsonl`)."""

    value: Text
    phrases: Phrases


class UnitRule(Rule):
    """A unit a number can carry (`rules/units.jsonl`); `kind` is its dimension."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer",)
    layer: Literal["quantities"] = "quantities"
    kind: Literal[UNIT_DIMENSIONS]  # type: ignore[valid-type]
    unit: Text  # the contract's symbol
    forms: Phrases
    case: bool = False  # forms match case exactly
    per: Optional[Literal["year", "day", "hour"]] = None  # a rate the unit carries (tpa)
    context: Optional[list[Phrase]] = None  # one of these words must stand shortly before
    generic: bool = False  # a count noun that says nothing about the item
    not_before: Optional[list[Phrase]] = None  # no unit where one of these words follows ('percentage points')


class CurrencyRule(Rule):
    """A currency mark, code or name (`rules/currencies.jsonl`)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer", "kind")
    layer: Literal["quantities"] = "quantities"
    kind: Literal["currency"] = "currency"
    code: Optional[str] = None  # ISO 4217; "*": the form is its own code; None: decided by `choices`
    position: Literal["pre", "post", "both"] = "both"
    forms: Phrases
    case: bool = False
    bare: bool = False  # a dollar mark that names no country
    choices: Optional[dict[str, list[str]]] = None  # code -> words in the document that pick it
    factor: float = 1.0  # whole currency units per unit named: cents 0.01, 'MUSD' 1e6
    not_before: Optional[list[Phrase]] = None  # no money where one of these words follows ('pounds of steel')


class QualifierRule(Rule):
    """Words that bound or soften a number (`rules/qualifiers.jsonl`)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer", "kind")
    layer: Literal["quantities"] = "quantities"
    kind: Literal["qualifier"] = "qualifier"
    qualifier: Literal["approx", "min", "max"]
    position: Literal["pre", "post"]
    forms: Phrases


class PeriodRule(Rule):
    """The period a rate is counted over (`rules/periods.jsonl`)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer", "kind")
    layer: Literal["quantities"] = "quantities"
    kind: Literal["period"] = "period"
    per: Literal[PERIODS]  # type: ignore[valid-type]
    position: Literal["after", "before"]
    forms: Phrases


class PlaceRule(Rule):
    """A gazetteer addition, a zone affix or a stoplist (`rules/places.jsonl`, layer `places`)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer",)
    layer: Literal["places"] = "places"
    text: Optional[Text] = None  # a name as the text writes it
    kind: Optional[Literal[PLACE_KINDS]] = None  # type: ignore[valid-type]
    name: Optional[Text] = None  # the canonical name, where it differs from `text`
    country_code: Optional[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = None
    region: Optional[Text] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    context: Optional[str] = None  # where the name counts ("after_comma", ...)
    suffix: Optional[Text] = None  # a word ending zone names ("... Industrial Park")
    prefix: Optional[Text] = None  # a word starting them ("Port of ...")
    stop: Optional[list[Phrase]] = None  # names that are no place
    not_before: Optional[list[Phrase]] = None
    replaces: Optional[Text] = None  # the first-level name this rule's `name` renames
    appositive: Optional[list[Phrase]] = None  # "X, a new town"
    demonyms: Optional[dict[str, str]] = None  # nationality adjective -> country code
    # ISO 3166-2 second-level type -> the forms a text names such a unit in ("{} department")
    second_level: Optional[dict[str, list[str]]] = None


class CompanyRule(Rule):
    """A company name the companies layer should know (user rule files, layer `companies`)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer",)
    layer: Literal["companies"] = "companies"
    name: Text


class WireRule(Rule):
    """A news service named in datelines (`rules/dateline_wires.jsonl`, layer `dateline`)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer",)
    layer: Literal["dateline"] = "dateline"
    name: Text  # what the record says
    forms: Phrases  # matched case-insensitively


class DateRule(Rule):
    """A month's name in another form ("März"), for the dates layer (user rule files)."""

    discriminators: ClassVar[tuple[str, ...]] = ("layer",)
    layer: Literal["dates"] = "dates"
    month_form: Text
    month: Annotated[int, Field(ge=1, le=12)]


class SiteCueRule(Rule):
    """Words around a place that say whether the project is there (`rules/site_cues.jsonl`)."""

    role: Literal[SITE_CUE_ROLES]  # type: ignore[valid-type]
    words: Phrases


class DetectionRule(Rule):
    """Phrases the project detector weighs (`rules/detection.jsonl`): a project noun or verb, or
    a sign of another genre of release (`value` names the genre)."""

    category: Literal["project_noun", "project_verb", "genre", "genre_act"]
    phrases: Phrases
    value: Optional[Text] = None


WordValue = Union[int, float, str]


class WordList(Rule):
    """One named lexicon of a word-set file: a list of `words` or a map of `values`.

    >>> WordList.from_dict({"id": "tails", "words": ["plant"]}).entries
    ['plant']
    """

    words: Optional[list[str]] = None
    values: Optional[dict[str, WordValue]] = None
    names: ClassVar[frozenset[str]] = frozenset()  # the lexicons a file of this kind holds

    @model_validator(mode="after")
    def _one_of_words_or_values(self) -> "WordList":
        if (self.words is None) == (self.values is None):
            raise ValueError("give either 'words' or 'values'")
        if self.names and self.id not in self.names:
            raise ValueError(f"unknown lexicon id {self.id!r}; known: {sorted(self.names)}")
        return self

    @property
    def entries(self) -> list[str] | dict[str, WordValue]:
        return self.words if self.words is not None else self.values  # type: ignore[return-value]


def _word_list(kind: str, *names: str) -> type[WordList]:
    """A WordList kind whose ids are `names` only: a misspelt lexicon name fails to load."""
    return type(kind, (WordList,), {"names": frozenset(names), "__doc__": f"A lexicon line of {kind}."})


CompanyWords = _word_list(
    "CompanyWords", "legal_suffixes", "comma_suffixes", "name_connectors", "stock_exchanges", "known_names",
    "leading_stop_words", "not_names", "person_titles", "person_roles_after", "government_heads", "subject_verbs",
    "developer_verbs", "subject_fillers", "project_nouns", "company_nouns", "company_possessed", "partner_cues",
    "supplier_cues_before", "supplier_verbs", "customer_cues_before", "investor_cues_before", "not_name_endings",
    "government_after", "developer_cues_before", "descriptor_cues_before", "heads_of_company", "government_titles",
)
DatelineWords = _word_list("DatelineWords", "country_names", "byline_forms", "not_places")
DateWords = _word_list(
    "DateWords", "months", "weekdays", "ordinals", "modifiers", "modifier_month", "quarter_first_month",
    "half_first_month", "relative_units", "relative_shifts", "bare_month_openers", "nouns_after_count",
    "currency_marks_before",
)
DollarCountryWords = _word_list("DollarCountryWords", "countries")
NumberWords = _word_list(
    "NumberWords", "ones", "tens", "specials", "scales", "weak_scales", "label_words", "year_words", "exchanges",
    "range_connectors", "stop_words", "clause_breaks", "measure_nouns",
)
PhaseWords = _word_list("PhaseWords", "labels", "ordinals", "counts", "phase_words")
ProjectNameWords = _word_list("ProjectNameWords", "stop_words", "tails", "place_types", "locative_words")
TokenizerWords = _word_list("TokenizerWords", "currency_prefixes", "unit_suffixes", "range_dashes", "link_joints")


# packaged file -> the kind of its lines
PACKAGED_MODELS: dict[str, type[Rule]] = {
    "cues.jsonl": CueRule,
    "products.jsonl": ProductRule,
    "project_types.jsonl": ProjectTypeRule,
    "units.jsonl": UnitRule,
    "currencies.jsonl": CurrencyRule,
    "qualifiers.jsonl": QualifierRule,
    "periods.jsonl": PeriodRule,
    "places.jsonl": PlaceRule,
    "dateline_wires.jsonl": WireRule,
    "site_cues.jsonl": SiteCueRule,
    "detection.jsonl": DetectionRule,
    "companies.jsonl": CompanyWords,
    "dateline.jsonl": DatelineWords,
    "dates.jsonl": DateWords,
    "dollar_countries.jsonl": DollarCountryWords,
    "numbers.jsonl": NumberWords,
    "phase_numbers.jsonl": PhaseWords,
    "project_names.jsonl": ProjectNameWords,
    "tokenizer.jsonl": TokenizerWords,
}

QUANTITY_KINDS = {"currency": CurrencyRule, "qualifier": QualifierRule, "period": PeriodRule}


def user_rule_tag(data: Any) -> str | None:
    """Which kind a user's line is: its `layer`, and for quantities its `kind`.

    A quantities line whose kind is a dimension ("mass", "energy") is a unit rule, so it
    carries the keys of `units.jsonl` unchanged.

    >>> user_rule_tag({"layer": "places"}), user_rule_tag({"layer": "quantities", "kind": "mass"})
    ('places', 'quantities/unit')
    """
    if isinstance(data, BaseModel):
        data = data.__dict__
    if not isinstance(data, dict):
        return None
    layer = data.get("layer")
    if layer != "quantities":
        return layer if isinstance(layer, str) else None
    kind = data.get("kind")
    return f"quantities/{kind if kind in QUANTITY_KINDS else 'unit'}"


UserRule = Annotated[
    Union[
        Annotated[CueRule, Tag("cues")],
        Annotated[PlaceRule, Tag("places")],
        Annotated[CompanyRule, Tag("companies")],
        Annotated[WireRule, Tag("dateline")],
        Annotated[DateRule, Tag("dates")],
        Annotated[UnitRule, Tag("quantities/unit")],
        Annotated[CurrencyRule, Tag("quantities/currency")],
        Annotated[QualifierRule, Tag("quantities/qualifier")],
        Annotated[PeriodRule, Tag("quantities/period")],
    ],
    Discriminator(user_rule_tag, custom_error_type="unknown_layer",
                  custom_error_message=f"'layer' must be one of {list(LAYERS)}"),
]
USER_RULE = TypeAdapter(UserRule)
QUANTITY_RULE_MODELS = (UnitRule, CurrencyRule, QualifierRule, PeriodRule)

# ---------------------------------------------------------------------------------------------
# reading rule files


def describe_errors(error: ValidationError, where: str, rule_id: Any = None) -> str:
    """One line per problem pydantic found, each naming the place and the key.

    Example: "mine.jsonl:3: rule 'x': key 'windw': Extra inputs are not permitted".
    """
    lines = []
    named = f"rule {rule_id!r}: " if isinstance(rule_id, str) else ""
    for problem in error.errors():
        # a tagged union puts the tag first in the location: keep only the keys
        keys = [str(part) for part in problem["loc"] if not (isinstance(part, str) and (part in LAYERS or "/" in part))]
        key = f"key {keys[0]!r}: " if keys else ""
        detail = ".".join(keys[1:])
        lines.append(f"{where}: {named}{key}{problem['msg']}{f' (at {detail})' if detail else ''}")
    return "\n".join(lines)


def parse_rule(data: Any, model: type[Rule] | None, where: str) -> Rule:
    """A rule from a parsed line: `model`, or the user union where `model` is None."""
    if not isinstance(data, dict):
        raise RuleFileError(f"{where}: a rule must be a JSON object")
    try:
        if model is None:
            if "layer" not in data:
                raise RuleFileError(f"{where}: rule {data.get('id')!r}: key 'layer' missing; layers: {list(LAYERS)}")
            return USER_RULE.validate_python(data)
        return model.model_validate(data)
    except ValidationError as exc:
        raise RuleFileError(describe_errors(exc, where, data.get("id"))) from None


def rule_lines(path: Path) -> Iterable[tuple[int, str]]:
    """(line number, line) of each rule in a file; blank lines and `//` comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read rule file: {exc}") from None
    for number, line in enumerate(lines, start=1):
        if line.strip() and not line.lstrip().startswith("//"):
            yield number, line


def read_rule_file(path: str | Path, model: type[Rule] | None = None) -> list[Rule]:
    """Every rule of a JSONL file, typed, with unique ids.

    `model` is the kind of every line (a packaged file); None reads a user's file, whose
    lines name their `layer`.
    """
    path = Path(path)
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for number, line in rule_lines(path):
        where = f"{path}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{where}: not valid JSON: {exc.msg}") from None
        rule = parse_rule(data, model, where)
        if rule.id in seen:
            raise RuleFileError(f"{where}: key 'id': {rule.id!r} is already the id of line {seen[rule.id]}")
        seen[rule.id] = number
        rules.append(rule)
    return rules


@lru_cache(maxsize=None)
def packaged(name: str) -> tuple[Rule, ...]:
    """A packaged rule file, read and checked once per process."""
    return tuple(read_rule_file(data_path(name), PACKAGED_MODELS[name]))


@lru_cache(maxsize=None)
def packaged_rules(name: str) -> tuple[dict[str, Any], ...]:
    """A packaged rule file's rules as the dicts its lines state (defaults left out)."""
    return tuple(rule.model_dump(exclude_unset=True) for rule in packaged(name))


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict[str, Any]:
    """A packaged word-set file as {lexicon id: its words or values}.

    >>> lexicon("phase_numbers.jsonl")["phase_words"]
    ['phase', 'phases', 'stage', 'stages']
    """
    return {rule.id: rule.entries for rule in packaged(name)}  # type: ignore[attr-defined]


def rules_from_dicts(rules: Iterable[Mapping[str, Any] | Rule], layer: str,
                     models: Sequence[type[Rule]] | None = None) -> list[Rule]:
    """A component's extra rules (from its config) as typed rules of its layer.

    They are checked here too, so a rule given through the Python API or a saved config
    fails as loudly as one read from a file.
    """
    typed: list[Rule] = []
    for number, rule in enumerate(rules, start=1):
        if isinstance(rule, Rule):
            typed.append(rule)
            continue
        data = {"layer": layer, **rule}
        typed_rule = parse_rule(data, None, f"{layer} rule {number}")
        wrong_kind = models is not None and not isinstance(typed_rule, tuple(models))
        if wrong_kind or getattr(typed_rule, "layer", layer) != layer:
            raise RuleFileError(f"{layer} rule {number}: rule {data.get('id')!r} is not a {layer} rule")
        typed.append(typed_rule)
    return typed


class RuleSet:
    """The user's rules, grouped by the layer each names; ids unique across all of them.

    >>> rules = RuleSet.from_dict([{"id": "t", "layer": "companies", "name": "Quuxcell"}])
    >>> rules.for_layer("companies")
    [{'id': 't', 'layer': 'companies', 'name': 'Quuxcell'}]
    >>> RuleSet.from_dict(rules.to_dict()).to_dict() == rules.to_dict()
    True
    """

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self.rules: list[Rule] = []
        self._where: dict[str, str] = {}
        for rule in rules:
            self.add(rule)

    def add(self, rule: Rule, where: str = "") -> None:
        if rule.id in self._where:
            first = self._where[rule.id]
            raise RuleFileError(f"{where or 'rule'}: key 'id': {rule.id!r} is already used{f' at {first}' if first else ''}")
        self._where[rule.id] = where
        self.rules.append(rule)

    @classmethod
    def from_files(cls, paths: Iterable[str | Path]) -> "RuleSet":
        """The rules of the user's files, in the order given."""
        ruleset = cls()
        for path in paths:
            for rule in read_rule_file(path):
                ruleset.add(rule, str(path))
        return ruleset

    @classmethod
    def from_dict(cls, data: Iterable[Mapping[str, Any]]) -> "RuleSet":
        return cls(parse_rule(dict(rule), None, f"rule {number}") for number, rule in enumerate(data, start=1))

    def to_dict(self) -> list[dict[str, Any]]:
        return [rule.to_dict() for rule in self.rules]

    def for_layer(self, layer: str) -> list[dict[str, Any]]:
        """The rules of one layer as the dicts a component's config takes."""
        return [rule.to_dict() for rule in self.rules if getattr(rule, "layer", None) == layer]

    def __len__(self) -> int:
        return len(self.rules)


def split_user_rules(paths: Iterable[str | Path]) -> dict[str, list[dict[str, Any]]]:
    """User rule files, their lines grouped by the `layer` each names."""
    ruleset = RuleSet.from_files(paths)
    return {layer: ruleset.for_layer(layer) for layer in LAYERS}
