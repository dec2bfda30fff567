import math

import pytest

from workbench.config import (
    ConfigError,
    Optimizer,
    TrainConfig,
    dumps_toml,
    iterations_per_epoch,
    load_toml,
    save_toml,
)


def test_iteration_arithmetic_worked_examples():
    assert iterations_per_epoch(1050, 100) == (11, 50)
    assert iterations_per_epoch(1050, 100, drop_last=True) == (10, 100)
    assert iterations_per_epoch(4096, 256) == (16, 256)
    assert iterations_per_epoch(4096, 2048) == (2, 2048)
    assert iterations_per_epoch(7, 1) == (7, 1)
    assert iterations_per_epoch(5, 5) == (1, 5)


def test_defaults_are_valid():
    assert TrainConfig().validate() == []


def test_validation_reports_every_problem_with_field_and_range():
    cfg = TrainConfig().with_changes(
        run={"batch_size": 0, "epochs": 0},
        optim={"lr": float("nan")},
        model={"dropout": 1.0, "input_dropout": -0.1},
    )
    problems = cfg.validate(n_train=840)
    fields = {p.field for p in problems}
    assert {"run.batch_size", "run.epochs", "optim.lr", "model.dropout",
            "model.input_dropout"} <= fields
    batch = next(p for p in problems if p.field == "run.batch_size")
    assert "1 to 840" in batch.message and "840 samples" in batch.message


def test_batch_size_above_training_set_names_the_size():
    problems = TrainConfig().with_changes(run={"batch_size": 2000}).validate(n_train=800)
    assert len(problems) == 1
    assert "800" in problems[0].message and "2000" in problems[0].message


def test_learning_rate_must_be_positive():
    for bad in (0.0, -1.0, math.inf):
        problems = TrainConfig().with_changes(optim={"lr": bad}).validate()
        assert [p.field for p in problems] == ["optim.lr"]


def test_toml_round_trip(tmp_path):
    cfg = TrainConfig().with_changes(
        run={"epochs": 7, "batch_size": 64, "drop_last": True},
        optim={"optimizer": Optimizer.MOMENTUM, "nesterov": True, "lr": 0.05},
        model={"hidden": (32, 16, 8), "dropout": 0.5},
        data={"dataset": "moons", "val_split": 0.3},
    )
    path = tmp_path / "run.toml"
    save_toml(cfg, path)
    assert load_toml(path) == cfg
    assert "[run]" in dumps_toml(cfg)


def test_unknown_keys_are_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[run]\nepochz = 3\nbatch_size = 16\n[modle]\nx = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_toml(path)
    text = str(err.value)
    assert "run.epochz" in text and "modle" in text


def test_wrong_types_are_named():
    with pytest.raises(ConfigError) as err:
        TrainConfig.from_dict({"run": {"epochs": "many"}, "optim": {"optimizer": "lbfgs"}})
    text = str(err.value)
    assert "run.epochs" in text and "whole number" in text
    assert "lbfgs" in text and "adamw" in text


def test_bad_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_toml(tmp_path / "nope.toml")
    bad = tmp_path / "broken.toml"
    bad.write_text("[run\nepochs=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_toml(bad)


def test_problems_keep_their_template_and_parameters():
    """A window shows the same problem translated: template + parameters give the message."""
    cfg = TrainConfig().with_changes(
        run={"batch_size": 0, "epochs": 0, "device": "tpu"},
        optim={"lr": float("nan"), "momentum": 1.0},
        model={"hidden": (0, 8), "dropout_per_layer": (0.2,)},
        data={"val_split": 0.95},
    )
    problems = cfg.validate(n_train=840)
    assert len(problems) >= 7
    for problem in problems:
        assert problem.template and "{name}" in problem.template
        assert problem.params["name"] == problem.field
        assert problem.template.format(**problem.params) == problem.message
    batch = next(p for p in problems if p.field == "run.batch_size")
    assert batch.params == {"name": "run.batch_size", "value": 0, "n": 840}


def test_range_problems_are_whole_sentences_for_each_kind_of_bound():
    """No word ("above", "at most") is a parameter: each variant translates as one sentence."""
    problems = TrainConfig().with_changes(
        optim={"lr": 0.0, "momentum": 1.0, "weight_decay": 2.0},
        model={"leaky_slope": 0.0}).validate()
    templates = {p.field: p.template for p in problems}
    assert "above {lo:g} and at most {hi:g}" in templates["optim.lr"]
    assert "at least {lo:g} and below {hi:g}" in templates["optim.momentum"]
    assert "at least {lo:g} and at most {hi:g}" in templates["optim.weight_decay"]
    assert "above {lo:g} and below {hi:g}" in templates["model.leaky_slope"]
    for problem in problems:
        assert all(isinstance(v, (int, float)) for k, v in problem.params.items() if k != "name")


def test_problems_from_a_file_keep_their_template(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_toml(tmp_path / "absent.toml")
    problem = info.value.problems[0]
    assert problem.template == "Configuration file {path} does not exist."
    assert problem.template.format(**problem.params) == str(info.value)
    with pytest.raises(ConfigError) as info:
        TrainConfig.from_dict({"run": {"epochs": "many"}})
    problem = info.value.problems[0]
    assert problem.template == "{name} = {value!r} is not a whole number."
    assert problem.params == {"name": "run.epochs", "value": "many"}
