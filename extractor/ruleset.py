"""Rule files: patterns, lexicons and cues kept as data beside the code that loads them.

A rule file is JSON Lines, one rule per line, each with an `id`. Loading checks every line's
keys against what its layer allows and fails loudly on a typo, naming file and line (the way
medspaCy's TargetRule guards its fields). Users extend the lexicons with files of their own,
each line naming the `layer` it is for.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

RULES_DIR = Path(__file__).parent / "rules"

LAYERS = ("dateline", "quantities", "dates", "places", "companies", "cues")


class RuleFileError(ValueError):
    """A rule file a user can fix: the message names the file, the line and the problem."""


def data_path(name: str) -> Path:
    """Path of a data file shipped in the package's `rules/` folder."""
    return RULES_DIR / name


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """A packaged JSON data file, parsed once per process."""
    return json.loads(data_path(name).read_text(encoding="utf-8"))


def read_rules(
    path: str | Path,
    *,
    allowed: Iterable[str] | None,
    required: Iterable[str] = ("id",),
) -> list[dict[str, Any]]:
    """Every rule of a JSONL file, each checked for unknown and missing keys.

    Blank lines and lines starting with `//` are skipped, so files can carry comments.
    `allowed=None` leaves the key check to whoever takes the rules.
    """
    path = Path(path)
    required_keys = set(required)
    allowed_keys = None if allowed is None else set(allowed) | {"id", "layer", "comment"}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{path}: cannot read rule file: {exc}") from None
    rules: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path}:{number}"
        try:
            rule = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{where}: not valid JSON: {exc.msg}") from None
        if not isinstance(rule, dict):
            raise RuleFileError(f"{where}: a rule must be a JSON object")
        unknown = set() if allowed_keys is None else set(rule) - allowed_keys
        if unknown:
            raise RuleFileError(
                f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed_keys)}"
            )
        missing = required_keys - set(rule)
        if missing:
            raise RuleFileError(f"{where}: missing key(s) {sorted(missing)}")
        rules.append(rule)
    return rules


@lru_cache(maxsize=None)
def packaged_rules(name: str, allowed: tuple[str, ...], required: tuple[str, ...] = ("id",)) -> tuple[dict[str, Any], ...]:
    """A packaged rule file, read and checked once per process."""
    return tuple(read_rules(data_path(name), allowed=allowed, required=required))


def split_user_rules(paths: Iterable[str | Path]) -> dict[str, list[dict[str, Any]]]:
    """User rule files, their lines grouped by the `layer` each names."""
    by_layer: dict[str, list[dict[str, Any]]] = {layer: [] for layer in LAYERS}
    for path in paths:
        for rule in read_rules(path, allowed=None, required=("id", "layer")):
            layer = rule["layer"]
            if layer not in by_layer:
                raise RuleFileError(f"{path}: rule {rule['id']!r} names unknown layer {layer!r}; layers: {list(LAYERS)}")
            by_layer[layer].append(rule)
    return by_layer

