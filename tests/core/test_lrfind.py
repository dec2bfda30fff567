"""The learning-rate range test on real data."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.config import TrainConfig
from workbench.core.data import prepare
from workbench.core.lrfind import DIVERGED, STOPPED, find_lr, lr_schedule, smooth, suggest


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
