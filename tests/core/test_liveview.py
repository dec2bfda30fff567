"""Live pictures of a training run: decision boundary, dropout masks, train vs eval spread.

The live view must show the truth (masks drop units at the configured rate, eval mode drops
none, the boundary moves as the model learns) and must not change the run it watches.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from torch import nn

from workbench.config import TrainConfig
from workbench.core.engine import Engine, RunControl
from workbench.core.events import LiveViewUpdated, RunFinished
from workbench.core.liveview import (
    GRID_SIZE,
    LiveView,
    boundary_for_model,
    forward_with_dropout,
    grid_extent,
    masks_by_column,
    network_columns,
    plane_from_data,
    train_eval_spread,
)
from workbench.core.models import build_model


def _config(**model: object) -> TrainConfig:
    return TrainConfig().with_changes(
        data={"dataset": "spiral", "samples": 300, "classes": 3},
        model={"hidden": (32, 32), "dropout": 0.3, "input_dropout": 0.1, "norm": "batch",
               **model},
        run={"epochs": 6, "batch_size": 16, "device": "cpu", "seed": 3})


def _train(config: TrainConfig, live: LiveView | None, flush_interval: float = 1 / 60
           ) -> tuple[Engine, list[LiveViewUpdated], RunFinished]:
    control = RunControl()
    control.live_view = live
    events: list[object] = []
    engine = Engine(config)
    result = engine.run(events.append, control=control, flush_interval=flush_interval)
    assert isinstance(result, RunFinished), result
    return engine, [e for e in events if isinstance(e, LiveViewUpdated)], result


def test_weights_are_bit_identical_with_the_live_view_on_and_off() -> None:
    # Dropout, input dropout and batch norm: the live view's passes must draw nothing from
    # training's random generator and update no running statistics.
    config = _config()
    off, events_off, _ = _train(config, None)
    on, events_on, _ = _train(config, LiveView(enabled=True, interval=0.0, max_share=None),
                              flush_interval=0.0)  # serviced after every iteration
    assert events_off == []
    assert len(events_on) == 90  # every iteration: 15 per epoch, 6 epochs
    state_off, state_on = off._module.state_dict(), on._module.state_dict()
    assert state_off.keys() == state_on.keys()
    for key in state_off:
        assert torch.equal(state_off[key], state_on[key]), key
    assert [e.train_loss for e in off.history] == [e.train_loss for e in on.history]


def test_a_switched_off_live_view_publishes_nothing() -> None:
    live = LiveView(enabled=False, interval=0.0, max_share=None)
    _, events, _ = _train(_config(), live, flush_interval=0.0)
    assert events == []


def test_the_boundary_changes_as_training_proceeds() -> None:
    config = _config(dropout=0.0, input_dropout=0.0, norm="none").with_changes(
        run={"epochs": 30, "batch_size": 32}, optim={"lr": 0.01})
    live = LiveView(enabled=True, interval=0.0, max_share=None)
    _, events, _ = _train(config, live, flush_interval=0.0)
    first, last = events[0], events[-1]
    assert first.probabilities.shape == (GRID_SIZE, GRID_SIZE, 3)
    assert first.probabilities.dtype == np.float32
    np.testing.assert_allclose(last.probabilities.sum(axis=2), 1.0, atol=1e-5)
    change = np.abs(last.probabilities - first.probabilities).mean()
    assert change > 0.05
    # The predicted class differs on a visible part of the plane.
    moved = (last.probabilities.argmax(2) != first.probabilities.argmax(2)).mean()
    assert moved > 0.05
    # The points are raw features inside the plane, with their labels.
    x0, x1, y0, y1 = last.extent
    for pts, labels in ((last.train_points, last.train_labels),
                        (last.val_points, last.val_labels)):
        assert pts.shape[1] == 2 and len(pts) == len(labels)
        assert (pts[:, 0] > x0).all() and (pts[:, 0] < x1).all()
        assert (pts[:, 1] > y0).all() and (pts[:, 1] < y1).all()


def test_no_plane_without_two_features_but_masks_still_come() -> None:
    config = TrainConfig().with_changes(
        data={"dataset": "iris"},
        model={"hidden": (16,), "dropout": 0.5},
        run={"epochs": 2, "batch_size": 32, "device": "cpu"})
    live = LiveView(enabled=True, interval=0.0, max_share=None)
    _, events, _ = _train(config, live, flush_interval=0.0)
    assert events and all(e.probabilities is None and e.extent is None for e in events)
    assert events[-1].columns == (4, 16, 3)
    assert [len(m) for m in events[-1].dropout_masks] == [0, 16, 0]


def test_pictures_take_a_bounded_share_of_the_training_thread() -> None:
    config = _config()
    engine = Engine(config)
    data = engine.prepare()
    model = build_model(config.model, (2,), 3)
    live = LiveView(enabled=True, interval=0.25, max_share=0.03)
    live.begin(model, data, data.mean, data.std, torch.device("cpu"), 0)
    assert live.due(0.0)
    now = time.perf_counter()
    live.capture(torch.as_tensor(data.x_train[:1]), 1, 1, now)
    cost = time.perf_counter() - now
    # Not before the interval, nor before the picture's cost is 3 % of the time between.
    assert live.next_due >= now + 0.25
    assert live.next_due <= now + max(0.25, cost / 0.03) + 1e-9
    assert not live.due(now + 0.2) and live.due(live.next_due)


def test_dropped_fraction_tracks_the_dropout_rate() -> None:
    model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 3))
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, 2)
    fractions = []
    for _ in range(200):
        _, masks = forward_with_dropout(model, x, generator)
        (kept,) = masks
        assert kept.shape == (64,)
        fractions.append(1.0 - kept.mean())
    assert abs(float(np.mean(fractions)) - 0.5) < 0.05


def test_eval_mode_drops_nothing_and_the_model_keeps_its_mode() -> None:
    model = nn.Sequential(nn.Dropout(0.2), nn.Linear(2, 8), nn.ReLU(), nn.Dropout(0.5),
                          nn.Linear(8, 2))
    model.train()
    x = torch.randn(4, 2)
    out, masks = forward_with_dropout(model, x, None)
    assert masks == []
    assert model.training
    assert torch.equal(out, model.eval()(x))
    model.train()
    forward_with_dropout(model, torch.randn(4, 2), torch.Generator().manual_seed(1))
    assert all(m.training for m in model.modules())


def test_train_mode_outputs_vary_and_eval_mode_outputs_are_identical() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 3))
    x = torch.randn(1, 2)
    state = torch.get_rng_state()
    train, evals = train_eval_spread(model, x, True, torch.Generator().manual_seed(2))
    assert torch.equal(torch.get_rng_state(), state)  # training's generator untouched
    assert train.shape == evals.shape == (10, 1, 3)
    assert len({row.tobytes() for row in train}) == 10  # ten different outputs
    assert len({row.tobytes() for row in evals}) == 1  # ten identical outputs
    np.testing.assert_allclose(evals[0], torch.softmax(model.eval()(x), 1).detach().numpy(),
                               rtol=1e-6)


def test_spread_on_request_during_a_run() -> None:
    live = LiveView(enabled=False, interval=0.0, max_share=None)
    live.spread_requested = True
    _, events, _ = _train(_config(), live, flush_interval=0.0)
    assert len(events) == 1  # asked once, answered once; the view itself is off
    (event,) = events
    assert event.probabilities is None
    assert event.spread_train.shape == event.spread_eval.shape == (10, 3)
    assert len({row.tobytes() for row in event.spread_train}) > 1
    assert len({row.tobytes() for row in event.spread_eval}) == 1


def test_network_columns_and_masks_by_column() -> None:
    cfg = _config().model
    model = build_model(cfg, (2,), 3)
    columns = network_columns(model)
    assert [(c.width, c.dropout) for c in columns] == [(2, 0.1), (32, 0.3), (32, 0.3), (3, 0.0)]
    _, masks = forward_with_dropout(model, torch.randn(1, 2), torch.Generator().manual_seed(0))
    placed = masks_by_column(model, masks, len(columns))
    assert [len(m) for m in placed] == [2, 32, 32, 0]
    cnn_cfg = TrainConfig().with_changes(
        model={"kind": "cnn", "channels": (4,), "hidden": (8,), "dropout": 0.5}).model
    cnn = build_model(cnn_cfg, (1, 8, 8), 10)
    # A CNN's diagram starts at its flattened feature maps (4 channels of 4x4).
    assert [(c.width, c.dropout) for c in network_columns(cnn)] == [(64, 0.0), (8, 0.5), (10, 0.0)]


def test_plane_and_boundary_of_a_finished_model() -> None:
    engine, _, _ = _train(_config(dropout=0.0, input_dropout=0.0), None)
    model = engine.trained_model()
    plane = plane_from_data(engine.data)
    assert plane is not None
    probs = boundary_for_model(model.module, model.mean, model.std, plane)
    assert probs.shape == (GRID_SIZE, GRID_SIZE, 3)
    # The same numbers as the model's own prediction of the grid's points.
    expected = model.predict(plane.grid_raw).proba.reshape(GRID_SIZE, GRID_SIZE, 3)
    np.testing.assert_allclose(probs, expected, atol=1e-5)


@pytest.mark.parametrize("margin", [0.0, 0.1])
def test_grid_extent_holds_every_point(margin: float) -> None:
    pts = np.array([[0.0, -1.0], [2.0, 3.0], [1.0, 1.0]], dtype=np.float32)
    x0, x1, y0, y1 = grid_extent(pts, margin)
    assert x0 == pytest.approx(-2 * margin) and x1 == pytest.approx(2 + 2 * margin)
    assert y0 == pytest.approx(-1 - 4 * margin) and y1 == pytest.approx(3 + 4 * margin)


def test_one_plane_per_data_object():
    from workbench.core.data import prepare
    from workbench.core.liveview import plane_from_data

    cfg = TrainConfig().data
    a, b = prepare(cfg, 0), prepare(cfg, 0)
    assert plane_from_data(a) is plane_from_data(a)
    other = plane_from_data(b)
    assert other is not plane_from_data(a)
    np.testing.assert_array_equal(other.train_points, plane_from_data(a).train_points)
