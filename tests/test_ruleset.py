"""Rule files: every kind typed, unknown keys and reused ids refused with file and line."""
from __future__ import annotations

import json

import pytest

from extractor import extract
from extractor.ruleset import (
    PACKAGED_MODELS, RuleFileError, RuleSet, packaged, read_rule_file, user_rule_tag,
)

# one valid user line per kind a user file may hold (invented names)
USER_LINES = {
    "cue": {"id": "u-cue", "layer": "cues", "category": "area", "phrases": ["hardstand of"]},
    "place": {"id": "u-place", "layer": "places", "text": "Zorbaville", "kind": "city", "country_code": "US"},
    "company": {"id": "u-company", "layer": "companies", "name": "Quuxcell"},
    "wire": {"id": "u-wire", "layer": "dateline", "name": "Acme Wire", "forms": ["ACMEWIRE"]},
    "date": {"id": "u-date", "layer": "dates", "month_form": "Maerz", "month": 3},
    "unit": {"id": "u-unit", "layer": "quantities", "kind": "mass", "unit": "t", "forms": ["metric loads"]},
    "currency": {"id": "u-coin", "layer": "quantities", "kind": "currency", "code": "XAU", "forms": ["gold coins"]},
    "qualifier": {"id": "u-qual", "layer": "quantities", "kind": "qualifier", "qualifier": "approx",
                  "position": "pre", "forms": ["give or take"]},
    "period": {"id": "u-period", "layer": "quantities", "kind": "period", "per": "year", "position": "after",
               "forms": ["per twelvemonth"]},
}


def write_lines(path, *rules) -> str:
    path.write_text("// a comment line\n\n" + "".join(json.dumps(r) + "\n" for r in rules), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("kind", sorted(USER_LINES))
def test_every_user_rule_kind_reads_and_round_trips(tmp_path, kind) -> None:
    (rule,) = read_rule_file(write_lines(tmp_path / "mine.jsonl", USER_LINES[kind]))
    assert rule.to_dict() == USER_LINES[kind] | rule.to_dict()
    assert RuleSet.from_dict(RuleSet([rule]).to_dict()).rules == [rule]


@pytest.mark.parametrize("kind", sorted(USER_LINES))
def test_every_user_rule_kind_refuses_an_unknown_key_naming_file_and_line(tmp_path, kind) -> None:
    path = write_lines(tmp_path / "mine.jsonl", {**USER_LINES[kind], "windw": 3})
    with pytest.raises(RuleFileError, match=rf"mine\.jsonl:3: rule '{USER_LINES[kind]['id']}': key 'windw'"):
        read_rule_file(path)


@pytest.mark.parametrize("name", sorted(PACKAGED_MODELS))
def test_every_packaged_rule_kind_refuses_an_unknown_key_naming_file_and_line(tmp_path, name) -> None:
    model = PACKAGED_MODELS[name]
    first = packaged(name)[0].to_dict()
    path = write_lines(tmp_path / name, first, {**first, "id": first["id"] + "-2", "tickr": "X"}) \
        if not getattr(model, "names", None) else write_lines(tmp_path / name, {**first, "tickr": "X"})
    line = 4 if not getattr(model, "names", None) else 3
    with pytest.raises(RuleFileError, match=rf"{name}:{line}: rule .*key 'tickr'"):
        read_rule_file(path, model)


@pytest.mark.parametrize("name", sorted(PACKAGED_MODELS))
def test_packaged_rules_round_trip(name) -> None:
    for rule in packaged(name):
        assert type(rule).from_dict(rule.to_dict()) == rule


def test_a_reused_id_is_refused(tmp_path) -> None:
    path = write_lines(tmp_path / "mine.jsonl", USER_LINES["company"], {**USER_LINES["place"], "id": "u-company"})
    with pytest.raises(RuleFileError, match=r"mine\.jsonl:4: key 'id': 'u-company' is already the id of line 3"):
        read_rule_file(path)


def test_a_reused_id_across_user_files_is_refused(tmp_path) -> None:
    one = write_lines(tmp_path / "one.jsonl", USER_LINES["company"])
    two = write_lines(tmp_path / "two.jsonl", {**USER_LINES["cue"], "id": "u-company"})
    with pytest.raises(RuleFileError, match="two.jsonl.*'u-company' is already used at .*one.jsonl"):
        RuleSet.from_files([one, two])


def test_wrong_values_and_missing_keys_are_named(tmp_path) -> None:
    with pytest.raises(RuleFileError, match=r"mine\.jsonl:3: rule 'u-date': key 'month'"):
        read_rule_file(write_lines(tmp_path / "mine.jsonl", {**USER_LINES["date"], "month": 13}))
    with pytest.raises(RuleFileError, match=r"key 'name': Field required"):
        read_rule_file(write_lines(tmp_path / "mine.jsonl", {"id": "c", "layer": "companies"}))
    with pytest.raises(RuleFileError, match=r"key 'layer' missing"):
        read_rule_file(write_lines(tmp_path / "mine.jsonl", {"id": "c", "name": "Quuxcell"}))
    with pytest.raises(RuleFileError, match=r"'layer' must be one of"):
        read_rule_file(write_lines(tmp_path / "mine.jsonl", {"id": "c", "layer": "weather"}))
    (tmp_path / "broken.jsonl").write_text('{"id": "x",\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"broken\.jsonl:1: not valid JSON"):
        read_rule_file(tmp_path / "broken.jsonl")


def test_quantity_lines_are_told_apart_by_kind() -> None:
    assert user_rule_tag(USER_LINES["unit"]) == "quantities/unit"
    assert user_rule_tag(USER_LINES["currency"]) == "quantities/currency"
    assert user_rule_tag({"layer": "cues"}) == "cues"


def test_a_bad_user_rule_file_raises_from_extract(tmp_path) -> None:
    path = write_lines(tmp_path / "bad.jsonl", {**USER_LINES["cue"], "windw": 3})
    with pytest.raises(RuleFileError, match=r"bad\.jsonl:3"):
        extract("Acme will build a 5 GWh plant in Zorbaville.", rules=[path])
    with pytest.raises(RuleFileError, match="cannot read"):
        extract("Acme will build a plant.", rules=[tmp_path / "missing.jsonl"])


def test_good_user_rules_reach_their_layers(tmp_path) -> None:
    path = write_lines(tmp_path / "mine.jsonl", USER_LINES["company"], USER_LINES["place"])
    record = extract("Quuxcell will build a battery plant in Zorbaville, Ohio.", rules=[path])
    assert [c.name for c in record.companies] == ["Quuxcell"]


def test_a_bad_user_rule_file_exits_2_from_the_command_line_before_any_document(tmp_path) -> None:
    from typer.testing import CliRunner

    from extractor.batch.cli import app

    (tmp_path / "a.txt").write_text("Acme will build a 5 GWh plant in Zorbaville.", encoding="utf-8")
    bad = write_lines(tmp_path / "bad.jsonl", USER_LINES["company"], {**USER_LINES["place"], "txt": "Zorbaville"})
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"), "--rules", bad, "-o", str(out)])
    assert result.exit_code == 2
    assert "bad.jsonl:4: rule 'u-place': key 'txt'" in result.stderr
    assert not out.exists()  # nothing was written: no document was processed
