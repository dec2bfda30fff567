"""The learning-rate range test on real data."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.config import TrainConfig
from workbench.core.data import prepare
from workbench.core.lrfind import (
    COMPLETED,
    DIVERGED,
    DIVERGED_AT_ONCE,
    NO_DROP,
    STOPPED,
    STOPPED_TOO_EARLY,
    LrFinderResult,
    find_lr,
    lr_schedule,
    smooth,
    suggest,
)


def test_spiral_suggestion_is_sensible() -> None:
    cfg = TrainConfig().with_changes(run={"device": "cpu"})
    result = find_lr(cfg)
    assert 1e-4 <= result.suggestion <= 1.0
    assert result.lrs[0] == pytest.approx(1e-6)
    assert len(result.lrs) == len(result.losses) == len(result.smoothed) == result.iterations
    assert np.all(np.diff(result.lrs) > 0)
    assert result.suggestion < result.min_loss_lr  # found before the lowest point


def test_divergence_stops_the_pass_early() -> None:
    cfg = TrainConfig().with_changes(data={"samples": 200}, optim={"optimizer": "sgd"},
                                     run={"device": "cpu"})
    result = find_lr(cfg, end_lr=1e4, iterations=60)
    assert result.ended == DIVERGED and result.iterations < 60


def test_stop_request_and_progress() -> None:
    cfg = TrainConfig().with_changes(data={"samples": 200}, run={"device": "cpu"})
    data = prepare(cfg.data, cfg.run.seed)
    seen: list[int] = []
    result = find_lr(cfg, data, should_stop=lambda: len(seen) >= 10,
                     on_progress=lambda done, total: seen.append(done))
    assert result.ended == STOPPED and result.iterations == 10 and seen[-1] == 10


def test_same_seed_same_curve_and_global_rng_untouched() -> None:
    import torch

    cfg = TrainConfig().with_changes(data={"samples": 200}, run={"device": "cpu"})
    torch.manual_seed(123)
    before = torch.get_rng_state()
    a = find_lr(cfg, iterations=30)
    assert torch.equal(torch.get_rng_state(), before)
    b = find_lr(cfg, iterations=30)
    np.testing.assert_array_equal(a.losses, b.losses)


def test_suggestion_on_a_clean_curve() -> None:
    lrs = lr_schedule(1e-6, 1.0, 100)
    x = np.log10(lrs)
    # falls fastest at 1e-3, lowest near 1e-1, then climbs
    losses = 1.0 - 0.5 * np.tanh(2 * (x + 3)) + np.where(x > -1, 5 * (x + 1) ** 2, 0)
    assert suggest(lrs, smooth(losses)) == pytest.approx(1e-3, rel=0.5)


def test_flat_loss_gets_no_suggestion() -> None:
    """A flat curve's steepest point would be floating-point noise, not a learning rate."""
    lrs = lr_schedule(1e-6, 1.0, 100)
    losses = np.full(100, 0.6931471805599453)
    result = LrFinderResult(lrs, losses, smooth(losses), suggest(lrs, smooth(losses)), 0.1,
                            COMPLETED)
    assert result.suggestion is None
    assert result.no_suggestion_reason == NO_DROP
    falling_half_a_percent = 1.0 - 0.005 * np.linspace(0, 1, 100)
    assert suggest(lrs, smooth(falling_half_a_percent)) is None


def test_smoothing_keeps_the_climb_of_a_pass_that_ends_on_nan() -> None:
    lrs = lr_schedule(1e-6, 1.0, 60)
    x = np.log10(lrs)
    losses = 1.0 - 0.5 * np.tanh(2 * (x + 3)) + np.where(x > -2, 5 * (x + 2) ** 2, 0)
    for last in (np.nan, np.inf):
        losses[-1] = last
        smoothed = smooth(losses)
        assert np.all(np.isfinite(smoothed[:-1])) and np.isnan(smoothed[-1])
        lowest = int(np.argmin(smoothed[:-1]))
        assert lowest < 55 and smoothed[-2] > 2 * smoothed[lowest]  # the climb is there
        assert suggest(lrs, smoothed) == pytest.approx(1e-3, rel=0.5)


def test_a_pass_that_diverges_at_once_says_so() -> None:
    cfg = TrainConfig().with_changes(data={"samples": 200}, optim={"optimizer": "sgd"},
                                     run={"device": "cpu"})
    result = find_lr(cfg, start_lr=1e6, end_lr=1e8, iterations=30)
    assert result.ended == DIVERGED and result.iterations <= 3
    assert result.suggestion is None and result.no_suggestion_reason == DIVERGED_AT_ONCE


def test_a_pass_stopped_at_once_says_so() -> None:
    cfg = TrainConfig().with_changes(data={"samples": 200}, run={"device": "cpu"})
    data = prepare(cfg.data, cfg.run.seed)
    seen: list[int] = []
    result = find_lr(cfg, data, should_stop=lambda: len(seen) >= 2,
                     on_progress=lambda done, total: seen.append(done))
    assert result.ended == STOPPED and result.iterations == 2
    assert result.no_suggestion_reason == STOPPED_TOO_EARLY


def test_a_stop_during_the_data_load_is_seen_before_the_first_iteration() -> None:
    cfg = TrainConfig().with_changes(data={"samples": 200}, run={"device": "cpu"})
    asked: list[int] = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) >= 2  # asked once before the load, stopped right after it

    result = find_lr(cfg, should_stop=should_stop)
    assert result.ended == STOPPED and result.iterations == 0 and len(asked) == 2
    assert result.suggestion is None and result.no_suggestion_reason == STOPPED_TOO_EARLY


def test_a_regression_pass_sees_the_targets_the_run_trains_on() -> None:
    # The diabetes targets are in the hundreds; a run standardises them, so its first losses
    # are near 1 (the variance of a standardised target), not near 30,000. The finder must see
    # the same losses, or its suggestion belongs to another problem.
    cfg = TrainConfig().with_changes(data={"dataset": "diabetes"}, run={"device": "cpu"})
    data = prepare(cfg.data, cfg.run.seed)
    assert data.target_std > 50  # the targets really are large
    result = find_lr(cfg, data)
    assert 0.3 < result.losses[0] < 3.0
    assert result.suggestion is not None
