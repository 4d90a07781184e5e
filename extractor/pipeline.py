"""Builds the spaCy pipeline once per process: blank English, our tokenizer, our layers.

Each layer is a component registered with `@Language.factory` in its own module and writes
spans into `doc.spans[...]` (see `spans.py`); the assembler then reads them in plain Python.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language

from . import companies, cues, dateline, dates, places, quantities  # noqa: F401  (register factories)
from .ruleset import split_user_rules
from .spans import register_extensions
from .tokenizer import customize_tokenizer

# (layer name used in rule files, spaCy factory), in the order a document flows through them
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("dateline", "extractor_dateline"),
    ("quantities", "extractor_quantities"),
    ("dates", "extractor_dates"),
    ("places", "extractor_places"),
    ("companies", "extractor_companies"),
    ("cues", "extractor_cues"),
)

# No model and no parser: a long text costs only time linear in its length.
MAX_TEXT_LENGTH = 50_000_000


def build_pipeline(rule_files: Iterable[str | Path] = ()) -> Language:
    """A fresh pipeline; `rule_files` are user rule files whose lines name their layer."""
    register_extensions()
    user_rules = split_user_rules(rule_files)
    nlp = spacy.blank("en")
    nlp.max_length = MAX_TEXT_LENGTH
    customize_tokenizer(nlp)
    for layer, factory in COMPONENTS:
        nlp.add_pipe(factory, name=layer, config={"extra_rules": user_rules[layer]})
    return nlp


@lru_cache(maxsize=8)
def _cached_pipeline(rule_files: tuple[str, ...]) -> Language:
    return build_pipeline(rule_files)


def get_pipeline(rule_files: Iterable[str | Path] = ()) -> Language:
    """The process-wide pipeline for these rule files, built on first use."""
    return _cached_pipeline(tuple(str(Path(p).resolve()) for p in rule_files))
