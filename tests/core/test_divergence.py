"""A run that goes wrong says so: divergence ends it, a model stuck at chance is flagged.

Real training on the spiral (and on moons and diabetes) with settings that diverge, settings
that train well, labels that carry no information, and the noisy updates of batch size 1. The
rules themselves (workbench/core/engine.py, "runs that go wrong") are also fed made-up epochs.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
import torch

from workbench.config import Optimizer, TrainConfig
from workbench.core import data as data_mod
from workbench.core.engine import (
    AT_CHANCE,
    DIVERGED_KEPT,
    DIVERGED_START,
    EPOCH_BLOWUP,
    EPOCH_SEVERE,
    RECOVER_EPOCHS,
    DivergenceWatch,
    Engine,
)
from workbench.core.events import EpochEnded, IterationsDone, RunFailed, RunFinished
from workbench.core.models import build_model


def run(engine: Engine) -> tuple[list[object], RunFinished | RunFailed]:
    events: list[object] = []
    return events, engine.run(events.append)


def epochs_of(events: list[object]) -> list[EpochEnded]:
    return [e for e in events if isinstance(e, EpochEnded)]


def losses_of(events: list[object]) -> np.ndarray:
    return np.concatenate([e.losses for e in events if isinstance(e, IterationsDone)])


def rule_of(failed: RunFailed) -> str:
    found = re.match(r"Divergence rule '(\w+)'", failed.details)
    assert found, failed.details
    return found[1]


def spiral(**sections: object) -> TrainConfig:
    return TrainConfig().with_changes(run={"device": "cpu"}).with_changes(**sections)


def _pattern(template: str) -> str:
    """``template`` as a regular expression: any text where a placeholder is."""
    parts = re.split(r"\{[^{}]*\}", template)
    return ".+?".join(re.escape(p) for p in parts)


# -- settings that diverge ----------------------------------------------------------------------

def test_momentum_at_learning_rate_10_diverges_in_the_first_epoch() -> None:
    """The loss climbs from 0.71 to about 5e+20 within epoch 1: the iteration rule ends it."""
    cfg = spiral(optim={"optimizer": Optimizer.MOMENTUM, "lr": 10.0})
    engine = Engine(cfg)
    events, result = run(engine)
    assert isinstance(result, RunFailed) and result.kind == "diverged", result
    assert rule_of(result) == "iteration"
    assert result.epoch == 1 and 1 < result.iteration <= 25
    assert losses_of(events)[result.iteration - 1] > 1e6 * 0.69
    assert re.fullmatch(_pattern(DIVERGED_START), result.message), result.message
    assert result.message.startswith("The loss diverged from 0.71 to ")
    assert "lower the learning rate (now 10; try 1)" in result.message
    # The epoch that diverged is shown (its loss is the evidence), then the run ends.
    assert [e.epoch for e in epochs_of(events)] == [1]
    assert isinstance(events[-1], RunFailed)
    # No epoch passed the rules: the model holds the weights it started with.
    torch.manual_seed(cfg.run.seed)
    start = build_model(cfg.model, (2,), 2).state_dict()
    kept = engine.trained_model()
    assert all(torch.equal(start[k], v) for k, v in kept.module.state_dict().items())
    assert "weights_epoch" not in kept.summary and kept.summary["val_loss"] is None


def test_adam_at_learning_rate_5_diverges() -> None:
    """Adam's epoch-1 loss averages about 8500 (12,000 x the start): the epoch rule ends it."""
    events, result = run(Engine(spiral(optim={"optimizer": Optimizer.ADAM, "lr": 5.0})))
    assert isinstance(result, RunFailed) and result.kind == "diverged", result
    assert rule_of(result) == "epoch"
    assert result.epoch == 1
    assert epochs_of(events)[0].train_loss > EPOCH_SEVERE * 0.71
    assert "(now 5; try 0.5)" in result.message


def test_a_blow_up_that_never_settles_is_divergence() -> None:
    """Iris with Adam at 0.5: the loss goes to 18x the start and stays above it: "exploded"
    waits RECOVER_EPOCHS epochs for it to come back, then ends the run."""
    cfg = spiral(data={"dataset": "iris"}, optim={"lr": 0.5}, run={"batch_size": 16})
    events, result = run(Engine(cfg))
    assert isinstance(result, RunFailed) and rule_of(result) == "exploded", result
    assert result.epoch == 1 + RECOVER_EPOCHS
    assert result.message.startswith("The loss diverged from 1.1 to ")
    assert " in epoch 1: lower the learning rate (now 0.5; try 0.05)." in result.message
    assert all(e.train_loss > 1.1 for e in epochs_of(events))


def test_a_blow_up_that_settles_is_not_divergence() -> None:
    """RMSprop at 0.1 on moons: epoch 1 averages about 180x the start, then the loss settles
    and the model reaches 100 %: the run finishes."""
    cfg = spiral(data={"dataset": "moons", "samples": 200},
                 optim={"optimizer": Optimizer.RMSPROP, "lr": 0.1},
                 run={"batch_size": 16, "epochs": 12})
    events, result = run(Engine(cfg))
    assert isinstance(result, RunFinished) and result.warning == "", result
    history = epochs_of(events)
    assert history[0].train_loss > 100 * 0.77
    assert max(e.val_accuracy for e in history) == 1.0


def test_a_loss_that_climbs_back_is_divergence() -> None:
    """Adam at 0.3 on moons trains to a loss of 0.05, then climbs for five epochs to 4:
    the rising rule ends the run and keeps the best validation epoch."""
    cfg = spiral(data={"dataset": "moons", "samples": 200}, optim={"lr": 0.3},
                 run={"batch_size": 16, "epochs": 15})
    engine = Engine(cfg)
    events, result = run(engine)
    assert isinstance(result, RunFailed) and rule_of(result) == "rising", result
    means = [e.train_loss for e in epochs_of(events)][-6:]
    assert means == sorted(means) and means[-1] > 0.77
    kept = int(re.search(r"The weights of epoch (\d+) are kept", result.message)[1])
    assert kept == engine.trained_model().summary["weights_epoch"] < result.epoch


def test_a_later_divergence_keeps_the_best_validation_epoch() -> None:
    """Moons with momentum at 1 trains a few epochs, then blows up: the best epoch's weights
    come back, and they give that epoch's validation loss."""
    cfg = spiral(data={"dataset": "moons"}, optim={"optimizer": Optimizer.MOMENTUM, "lr": 1.0},
                 run={"epochs": 20})
    engine = Engine(cfg)
    events, result = run(engine)
    assert isinstance(result, RunFailed) and result.kind == "diverged", result
    assert result.epoch > 1
    kept = int(re.search(r"The weights of epoch (\d+) are kept", result.message)[1])
    assert re.fullmatch(_pattern(DIVERGED_KEPT), result.message), result.message
    history = epochs_of(events)
    assert kept == history[-2].best_epoch  # the best before the epoch that diverged
    model = engine.trained_model()
    assert model.summary["weights_epoch"] == kept
    data = engine.data
    with torch.no_grad():
        out = model.module.eval()(torch.from_numpy(data.x_val))
        loss = torch.nn.functional.cross_entropy(out, torch.from_numpy(data.y_val))
    assert float(loss) == pytest.approx(history[kept - 1].val_loss, rel=1e-5)
    assert model.summary["val_loss"] == history[kept - 1].val_loss


# -- runs that must not be flagged --------------------------------------------------------------

def test_a_good_run_is_neither_ended_nor_flagged() -> None:
    events, result = run(Engine(spiral(run={"epochs": 20})))
    assert isinstance(result, RunFinished) and result.reason == "completed"
    assert result.warning == "" and result.warning_kind == ""
    assert result.chance_accuracy == pytest.approx(0.5, abs=0.05)
    assert max(e.val_accuracy for e in epochs_of(events)) > 0.95


def test_noisy_batch_size_1_sgd_is_not_divergence() -> None:
    """Single-sample losses jump far above the start; the epoch means fall: no rule fires."""
    cfg = spiral(data={"samples": 500}, optim={"optimizer": Optimizer.SGD, "lr": 0.1},
                 run={"batch_size": 1, "epochs": 8})
    events, result = run(Engine(cfg))
    assert isinstance(result, RunFinished) and result.warning == "", result
    losses = losses_of(events)
    assert losses.max() > EPOCH_BLOWUP * losses[0]  # one sample can be very wrong
    history = epochs_of(events)
    assert history[-1].train_loss < history[0].train_loss
    assert max(e.val_accuracy for e in history) > 0.9


# -- a model that cannot learn ------------------------------------------------------------------

def test_labels_shuffled_at_random_finish_flagged_at_chance() -> None:
    cfg = spiral(run={"epochs": 15})
    data = data_mod.prepare(cfg.data, cfg.run.seed)
    rng = np.random.default_rng(1)
    shuffled = dataclasses.replace(data, y_train=rng.permutation(data.y_train),
                                   y_val=rng.permutation(data.y_val))
    events, result = run(Engine(cfg, data=shuffled))
    assert isinstance(result, RunFinished), result
    assert result.warning_kind == "chance"
    assert re.fullmatch(_pattern(AT_CHANCE), result.warning), result.warning
    assert "for the last 5 epochs" in result.warning and "scores 50.0%" in result.warning
    assert "(now 0.01; try 0.001 or 0.1)" in result.warning
    assert all(e.val_accuracy < 0.62 for e in epochs_of(events))


def test_too_few_epochs_are_not_judged() -> None:
    cfg = spiral(run={"epochs": 2}, optim={"lr": 1e-6})
    _events, result = run(Engine(cfg))
    assert isinstance(result, RunFinished) and result.warning == ""


# -- regression: R² for the headline -----------------------------------------------------------

def test_regression_reports_the_r2_the_evaluation_computes() -> None:
    from workbench.core.evaluation import regression_report

    engine = Engine(spiral(data={"dataset": "diabetes"}, run={"epochs": 8}))
    _events, result = run(engine)
    assert isinstance(result, RunFinished) and result.chance_accuracy is None
    report = regression_report(engine.trained_model(), engine.data)
    assert result.val_r2 == pytest.approx(report.r2, abs=1e-4)
    assert 0.2 < result.val_r2 < 0.8


# -- the rules on made-up epochs ----------------------------------------------------------------

def _feed(watch: DivergenceWatch, means: list[float], first: float = 0.7):
    seen = None
    for i, mean in enumerate(means, start=1):
        losses = np.full(10, mean, np.float32)
        if i == 1:
            losses[0] = first
        seen = watch.epoch_ended(i, losses, mean, (i - 1) * 10)
        if seen is not None:
            return seen
    return seen


def test_a_loss_rising_epoch_after_epoch_is_divergence() -> None:
    seen = _feed(DivergenceWatch(0.69), [0.6, 0.3, 0.35, 0.45, 0.6, 0.75, 0.9])
    assert seen is not None and seen.rule == "rising" and seen.epoch == 7
    assert seen.start == pytest.approx(0.3) and seen.peak == pytest.approx(0.9)


def test_rising_below_the_start_is_not() -> None:
    assert _feed(DivergenceWatch(0.69), [0.6, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) is None


def test_a_blow_up_gets_its_epochs_to_settle() -> None:
    # 10x the start, then back below 0.9x within five epochs: no divergence, no waiting.
    watch = DivergenceWatch(0.69)
    assert _feed(watch, [8.0, 3.0, 1.5, 1.0, 0.9, 0.6, 0.5]) is None
    assert not watch.waiting
    # Still above it five epochs later: "exploded", named by the epoch it blew up in.
    watch = DivergenceWatch(0.69)
    seen = _feed(watch, [0.6, 8.0, 3.0, 1.5, 1.0, 0.9, 0.7])
    assert seen.rule == "exploded" and seen.epoch == 2 and seen.peak == pytest.approx(8.0)
    assert seen.iteration == 70
    # A run that ends while waiting is not judged (the caller just stops feeding).
    watch = DivergenceWatch(0.69)
    assert _feed(watch, [8.0, 3.0]) is None and watch.waiting
    # 1000x the start ends it at once.
    assert _feed(DivergenceWatch(0.69), [0.6, 700.0]).rule == "epoch"


def test_a_continued_run_is_measured_against_knowing_nothing() -> None:
    """From trained weights the first loss is small; a jump to a few times it is not 10x the
    loss of a model that learned nothing, so it is no divergence."""
    watch = DivergenceWatch(null_loss=0.69)
    assert _feed(watch, [0.05, 0.3], first=0.02) is None
    assert watch.start == pytest.approx(0.69)

