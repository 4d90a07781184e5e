"""Builds the spaCy pipeline once per process: blank English, our tokenizer, our layers.

Each layer is a component registered with `@Language.factory` in its own module and stores
typed mentions (see `mentions.py`); the assembler then reads them in plain Python.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import spacy
from spacy.language import Language

from extractor.layers import companies, cues, dateline, dates, places, quantities  # noqa: F401  (register factories)
from extractor.ruleset import split_user_rules
from extractor.spans import register_extensions
from extractor.layers.tokenizer import MAX_TEXT_LENGTH  # noqa: F401  (set by our tokenizer)

# (layer name used in rule files, spaCy factory), in the order a document flows through them
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("dateline", "extractor_dateline"),
    ("quantities", "extractor_quantities"),
    ("dates", "extractor_dates"),
    ("places", "extractor_places"),
    ("companies", "extractor_companies"),
    ("cues", "extractor_cues"),
)

# the tokenizer our pipelines name in their config (layers/tokenizer.py)
TOKENIZER = {"@tokenizers": "extractor.Tokenizer.v1"}


def build_pipeline(rule_files: Iterable[str | Path] = (), weights: Mapping[str, Any] | None = None) -> Language:
    """A fresh pipeline; `rule_files` are user rule files whose lines name their layer.

    `weights` give a layer's scorer other weights than its defaults, by layer name:
    `{"companies": DeveloperWeights(...), "places": ReadingWeights(...)}` (or a dict of the
    fields to change); they become the component's config `{"weights": {...}}`.
    A plain spaCy `Language`: `nlp.to_disk(path)` saves it with the user's rules and weights,
    and `spacy.load(path)` gives it back (the factories are registered through entry points).
    """
    register_extensions()
    user_rules = split_user_rules(rule_files)
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": TOKENIZER}})
    for layer, factory in COMPONENTS:
        config: dict[str, Any] = {"extra_rules": user_rules[layer]}
        if weights and layer in weights:
            config["weights"] = weights_config(weights[layer])
        nlp.add_pipe(factory, name=layer, config=config)
    return nlp


def weights_config(weights: Any) -> dict[str, float]:
    """A weights dataclass (or a mapping of its fields) as a component's config value.

    >>> from extractor.layers.places import ReadingWeights
    >>> weights_config(ReadingWeights(in_named_region=0.5))["in_named_region"]
    0.5
    """
    return dataclasses.asdict(weights) if dataclasses.is_dataclass(weights) else dict(weights)


@lru_cache(maxsize=8)
def _cached_pipeline(rule_files: tuple[str, ...]) -> Language:
    return build_pipeline(rule_files)


def get_pipeline(rule_files: Iterable[str | Path] = ()) -> Language:
    """The process-wide pipeline for these rule files, built on first use."""
    resolved = (str(Path(p).resolve()) for p in rule_files)
    return _cached_pipeline(tuple(dict.fromkeys(resolved)))  # a file given twice counts once

