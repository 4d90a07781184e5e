"""The record the project promises (../shared/CONTRACT.md), as pydantic v2 models.

These models are the single source of truth: `schemas/project_record.schema.json` is generated
from them (`extractor schema`) and a test keeps the committed file current.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1.1"  # 1.1: floor_area and project.detected

AREA_UNITS = ("m2", "ha", "km2", "acre", "sqft", "mu")
ENERGY_UNITS = ("Wh", "kWh", "MWh", "GWh", "TWh")
POWER_UNITS = ("W", "kW", "MW", "GW")
MASS_UNITS = ("kg", "t", "kt", "Mt")
VOLUME_UNITS = ("l", "m3", "bbl", "gal")
OTHER_UNITS = ("units", "jobs", "%", "year", "month", "day")
PHYSICAL_UNITS = frozenset(
    AREA_UNITS + ENERGY_UNITS + POWER_UNITS + MASS_UNITS + VOLUME_UNITS + OTHER_UNITS
)

Per = Literal["year", "day", "hour"]
Qualifier = Literal["exact", "approx", "min", "max", "range"]
Role = Literal["developer", "partner", "investor", "customer", "supplier", "government", "other"]
PlaceKind = Literal["country", "region", "city", "district", "zone", "site"]
MilestoneKind = Literal[
    "announcement", "signing", "approval", "groundbreaking", "construction_start",
    "topping_out", "completion", "production_start", "full_production",
]
Status = Literal[
    "announced", "planned", "approved", "under_construction", "topped_out",
    "completed", "operational", "expanded", "suspended", "cancelled",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


def _is_currency_code(unit: str) -> bool:
    return len(unit) == 3 and unit.isascii() and unit.isalpha() and unit.isupper()


class Evidence(_Model):
    """Where a fact is stated: `source[start:end] == text`, in code-point offsets."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> "Evidence":
        if self.end < self.start:
            raise ValueError("evidence end precedes start")
        if self.end - self.start != len(self.text):
            raise ValueError("evidence text length differs from its offsets")
        return self


class Quantity(_Model):
    value: float
    value_max: Optional[float] = None
    unit: str
    per: Optional[Per] = None
    qualifier: Qualifier = "exact"
    item: Optional[str] = None
    evidence: Evidence

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in PHYSICAL_UNITS and not _is_currency_code(unit):
            raise ValueError(f"unknown unit {unit!r}")
        return unit


class Money(_Model):
    amount: float
    amount_max: Optional[float] = None
    currency: str
    qualifier: Qualifier = "exact"
    evidence: Evidence

    @field_validator("currency")
    @classmethod
    def _iso_code(cls, currency: str) -> str:
        if not _is_currency_code(currency):
            raise ValueError(f"currency must be a 3-letter ISO 4217 code, got {currency!r}")
        return currency


class Dateline(_Model):
    place: str
    country: Optional[str] = None
    date: Optional[str] = None
    wire: Optional[str] = None
    evidence: Evidence


class Project(_Model):
    # False where the text's main subject is no specific physical project: every project-level
    # field of the record is then null or empty, the mentions are still listed.
    detected: bool = True
    name: Optional[str] = None
    type: Optional[str] = None
    products: list[str] = Field(default_factory=list)
    status: Optional[Status] = None
    evidence: list[Evidence] = Field(default_factory=list)


class Company(_Model):
    name: str
    role: Role = "other"
    ticker: Optional[str] = None
    aliases: list[str] = Field(default_factory=list)
    evidence: Evidence


class Place(_Model):
    name: str
    kind: PlaceKind
    country_code: Optional[str] = Field(default=None, pattern=r"^[A-Z]{2}$")
    region: Optional[str] = None
    evidence: Evidence


class Site(_Model):
    country: Optional[str] = None
    country_code: Optional[str] = Field(default=None, pattern=r"^[A-Z]{2}$")
    region: Optional[str] = None
    city: Optional[str] = None
    district: Optional[str] = None
    zone: Optional[str] = None
    latitude: Optional[float] = Field(default=None, ge=-90, le=90)
    longitude: Optional[float] = Field(default=None, ge=-180, le=180)


class Phase(_Model):
    number: int = Field(ge=1)
    label: str
    area: Optional[Quantity] = None
    capacity: list[Quantity] = Field(default_factory=list)
    investment: Optional[Money] = None
    status: Optional[Status] = None
    evidence: Evidence


class Milestone(_Model):
    kind: MilestoneKind
    date: Optional[str] = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    planned: bool = False
    evidence: Evidence


class ProjectRecord(_Model):
    schema_version: str = SCHEMA_VERSION
    doc_id: str
    text_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    title: Optional[str] = None
    dateline: Optional[Dateline] = None
    project: Project = Field(default_factory=Project)
    companies: list[Company] = Field(default_factory=list)
    site: Optional[Site] = None
    places: list[Place] = Field(default_factory=list)
    area: Optional[Quantity] = None
    # the building's floor space ("a 260,000-square-foot plant"), never taken as `area`
    floor_area: Optional[Quantity] = None
    capacity: list[Quantity] = Field(default_factory=list)
    investment: Optional[Money] = None
    annual_output_value: Optional[Money] = None
    annual_tax: Optional[Money] = None
    jobs: Optional[Quantity] = None
    automation_rate: Optional[Quantity] = None
    phases: list[Phase] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
