"""The spaCy component every mention layer is: its analyser, guarded, and the rules it owns.

A layer module builds an analyser (`Doc -> Doc`) from the user's rules of its layer; the
component wraps it so that a fault becomes a warning naming the layer and an empty span group
(the record keeps every other layer's facts), and saves its rules with the pipeline:
`nlp.to_disk` writes them to `<component>/rules.jsonl`, and `spacy.load` reads them back
through the same typed models as any rule file.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from spacy.language import Language
from spacy.tokens import Doc

from extractor.ruleset import Rule, RuleFileError, read_rule_file, rules_from_dicts
from extractor.spans import guarded

RULES_FILE = "rules.jsonl"

Analyser = Callable[[Doc], Doc]
Builder = Callable[[Language, list[Rule]], Analyser]


def rule_lines(rules: Iterable[Mapping[str, Any]]) -> str:
    """Rules as the lines of a rule file.

    >>> rule_lines([{"id": "c", "layer": "companies", "name": "Quuxcell"}])
    '{"id": "c", "layer": "companies", "name": "Quuxcell"}\\n'
    """
    return "".join(json.dumps(dict(rule), ensure_ascii=False) + "\n" for rule in rules)


def checked_rules(rules: Iterable[Mapping[str, Any] | Rule], layer: str) -> list[Rule]:
    """The rules of one layer, typed; a dict is checked, and so is a typed rule's layer.

    Why the second check: a rule model built in Python (`WireRule(...)`) skips the file
    reader, and a layer must never be handed another layer's kind of rule.
    """
    typed = rules_from_dicts(rules, layer)
    for number, rule in enumerate(typed, start=1):
        if getattr(rule, "layer", None) != layer:
            raise RuleFileError(f"{layer} rule {number}: rule {rule.id!r} is not a {layer} rule")
    return typed


class LayerComponent:
    """A mention layer: `build(nlp, rules)` makes its analyser; the user's `rules` travel with it.

    The rules are kept and handed to `build` as the typed, checked models of `ruleset.py`, so a
    layer reads `rule.forms`, never a dict key a typo could miss; they become dicts only in
    the rule file saved with the pipeline.
    """

    def __init__(self, nlp: Language, name: str, layer: str, group: str, build: Builder,
                 extra_rules: Iterable[Mapping[str, Any] | Rule] = ()) -> None:
        self.nlp, self.name, self.layer, self.group, self.build = nlp, name, layer, group, build
        self.rules: list[Rule] = []
        self._analyse: Analyser = lambda doc: doc
        self.set_rules(extra_rules)

    def set_rules(self, extra_rules: Iterable[Mapping[str, Any] | Rule]) -> None:
        """Check the rules (RuleFileError names a bad one) and build the analyser from them."""
        self.rules = checked_rules(extra_rules, self.layer)
        self._analyse = guarded(self.build(self.nlp, self.rules), self.group, self.layer)

    def __call__(self, doc: Doc) -> Doc:
        return self._analyse(doc)

    def __getstate__(self) -> dict[str, Any]:
        """What a pickle keeps: the analyser is a closure, made again from the rules on load
        (spaCy pickles the pipeline to send it to spawned processes: `nlp.pipe(n_process=2)`
        on macOS and Windows)."""
        state = dict(self.__dict__)
        del state["_analyse"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._analyse = self._analyse_after_load  # the pipeline is not whole yet: build on first use

    def _analyse_after_load(self, doc: Doc) -> Doc:
        self._analyse = guarded(self.build(self.nlp, self.rules), self.group, self.layer)
        return self._analyse(doc)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return rule_lines(rule.to_dict() for rule in self.rules).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "LayerComponent":
        dicts = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
        rules = checked_rules(dicts, self.layer)
        if rules != self.rules:
            self.set_rules(rules)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / RULES_FILE).write_text(rule_lines(rule.to_dict() for rule in self.rules), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "LayerComponent":
        """The rules saved with the pipeline, read like any rule file (errors name file and line)."""
        file = Path(path) / RULES_FILE
        if file.exists():
            rules = checked_rules(read_rule_file(file), self.layer)
            if rules != self.rules:
                self.set_rules(rules)
        return self
