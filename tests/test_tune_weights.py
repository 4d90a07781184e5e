"""The weight tuner's fold logic (scripts/tune_weights.py) on tiny invented folds."""
import dataclasses
import importlib.util
import sys
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "tune_weights.py"


def load_tuner():
    sys.path.insert(0, str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("tune_weights", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_fold_takes_the_value_best_on_the_other_fold():
    tuner = load_tuner()
    folds = np.array(["a", "a", "b"])
    # value 2.0 is better on fold a, value 1.0 (the default) on fold b
    table = {1.0: np.array([[1, 1, 1], [1, 1, 1], [3, 0, 0]]),
             2.0: np.array([[2, 0, 0], [2, 0, 0], [1, 2, 2]])}
    held_out, chosen = tuner.leave_one_source_out(table, folds, default=1.0)
    assert chosen == {"a": 1.0, "b": 2.0}  # each fold is scored with the other fold's choice
    assert held_out.tolist() == [[1, 1, 1], [1, 1, 1], [1, 2, 2]]
    assert tuner.micro_f1(held_out) < tuner.micro_f1(table[2.0])  # fitted beats cross-validated here


def test_a_tie_keeps_the_default():
    tuner = load_tuner()
    folds = np.array(["a", "b"])
    same = np.array([[1, 0, 0], [1, 0, 0]])
    _, chosen = tuner.leave_one_source_out({0.5: same, 0.7: same.copy()}, folds, default=0.7)
    assert set(chosen.values()) == {0.7}


def test_one_weight_is_replaced_and_the_rest_kept():
    tuner = load_tuner()
    from extractor.assembly.assemble import DEFAULT_WEIGHTS

    changed = tuner.with_weight(DEFAULT_WEIGHTS, "slots", "lead_bonus", 0.0)
    assert changed.slots.lead_bonus == 0.0
    assert changed.site == DEFAULT_WEIGHTS.site and changed.status == DEFAULT_WEIGHTS.status
    assert dataclasses.replace(changed.slots, lead_bonus=DEFAULT_WEIGHTS.slots.lead_bonus) == DEFAULT_WEIGHTS.slots


def test_the_layer_grid_varies_fields_of_each_layers_weights_around_the_default():
    tuner = load_tuner()
    defaults = tuner.layer_defaults()
    assert set(tuner.LAYER_GRID) == set(defaults) == {"companies", "places"}
    for layer, grid in tuner.LAYER_GRID.items():
        assert set(grid) <= {field.name for field in dataclasses.fields(defaults[layer])}
        for name, values in grid.items():
            default = getattr(defaults[layer], name)
            assert default not in values and min(values) < default < max(values)


def test_every_assembly_weight_is_tuned_or_said_to_change_no_record():
    tuner = load_tuner()
    from extractor.assembly.assemble import DEFAULT_WEIGHTS

    for scorer, grid in tuner.GRID.items():
        weights = getattr(DEFAULT_WEIGHTS, scorer)
        fields = {field.name for field in dataclasses.fields(weights)}
        assert set(grid) | set(tuner.NOT_SCORED.get(scorer, ())) == fields, scorer
        for name, values in grid.items():
            assert getattr(weights, name) not in values, f"{scorer}.{name}"


def test_joint_weights_apply_every_weights_choice_together():
    tuner = load_tuner()
    from extractor.assembly.assemble import DEFAULT_WEIGHTS

    choices = {"slots.lead_bonus": ({"a": 0.0, "b": 0.25}, 0.5),
               "places.in_named_region": ({"a": 2.0, "b": 1.0}, 3.0)}
    assembly, layers = tuner.joint_weights(choices, lambda chosen, fitted: chosen["b"])
    assert assembly.slots.lead_bonus == 0.25 and layers["places"].in_named_region == 1.0
    assert layers["companies"] == tuner.layer_defaults()["companies"]
    assembly, layers = tuner.joint_weights(choices, lambda chosen, fitted: fitted)
    assert assembly.slots.lead_bonus == 0.5 and layers["places"].in_named_region == 3.0
    assert assembly.site == DEFAULT_WEIGHTS.site
