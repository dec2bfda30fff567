"""The live views beside the loss curves, driven by real training in a shown window.

Decision boundary (changes as the model learns; training/validation points; a plain message
without two features), the Dropout diagram (grey units while training, none in evaluation), the
train-vs-eval comparison, and the epoch plot's gap shading, patience countdown and restore note.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.config import TrainConfig
from workbench.core.events import EpochEnded, LiveViewUpdated
from workbench.ui.panels.boundary_panel import SHOW_BOTH, SHOW_VALIDATION, plane_image
from workbench.ui.plots import EpochPlot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _spiral(epochs: int = 3, **model: object) -> TrainConfig:
    return TrainConfig().with_changes(
        data={"dataset": "spiral", "samples": 300},
        model={"hidden": (32,), **model},
        run={"epochs": epochs, "batch_size": 16, "device": "cpu"})


def _run(qtbot, window, timeout: int = 30_000) -> list[LiveViewUpdated]:
    """Start the form's run, collect its live pictures, wait until the window has its model."""
    events: list[LiveViewUpdated] = []
    window.controller.live_view_received.connect(events.append)
    with qtbot.waitSignal(window.model_changed, timeout=timeout):
        assert window.start_training()
    return events


def _live(window):
    return window.features["live_views"]


def test_the_request_follows_what_a_person_can_see(window, qtbot) -> None:
    live = _live(window)
    controller = window.controller
    qtbot.waitUntil(lambda: controller.live_view_wanted)
    window.tabs.setCurrentIndex(1)  # "Try the model": the column is hidden
    qtbot.waitUntil(lambda: not controller.live_view_wanted)
    window.tabs.setCurrentWidget(window.training_tab)
    qtbot.waitUntil(lambda: controller.live_view_wanted)
    live.action.setChecked(False)  # View > Live views off
    assert not controller.live_view_wanted and not live.column.isVisible()
    live.action.setChecked(True)
    assert controller.live_view_wanted


def test_the_boundary_changes_as_training_proceeds(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=40))
    boundary = _live(window).boundary
    images: list[np.ndarray] = []
    window.controller.live_view_received.connect(
        lambda e: images.append(boundary.image) if e.probabilities is not None else None)
    events = _run(qtbot, window)
    assert events, "no live picture arrived during the run"
    first = events[0]
    assert first.probabilities.shape[:2] == (96, 96)
    np.testing.assert_array_equal(images[0], plane_image(first.probabilities))
    # After the run the plane shows the finished model: far from the first picture.
    final = boundary.image
    assert boundary.showing_plane
    changed = np.any(final != images[0], axis=2).mean()
    assert changed > 0.2
    assert "trained model" in boundary.caption.text()


def test_points_toggle_between_training_validation_and_both(make_window, qtbot) -> None:
    window = make_window(_spiral())
    _run(qtbot, window)
    boundary = _live(window).boundary
    qtbot.waitUntil(lambda: boundary.showing_plane)
    n_train, n_val = 240, 60
    assert boundary.visible_point_counts() == (n_train, 0)
    boundary.set_points_shown(SHOW_VALIDATION)
    assert boundary.visible_point_counts() == (0, n_val)
    boundary.set_points_shown(SHOW_BOTH)
    assert boundary.visible_point_counts() == (n_train, n_val)


def test_data_without_two_features_says_so(make_window, qtbot) -> None:
    config = TrainConfig().with_changes(data={"dataset": "iris"}, model={"hidden": (8,)},
                                        run={"epochs": 2, "batch_size": 16, "device": "cpu"})
    window = make_window(config)
    events = _run(qtbot, window)
    boundary = _live(window).boundary
    assert all(e.probabilities is None for e in events)
    assert not boundary.showing_plane
    assert "needs 2 input features" in boundary.message.text()


def test_dropout_diagram_greys_units_in_training_and_none_in_evaluation(make_window,
                                                                        qtbot) -> None:
    window = make_window(_spiral(epochs=20, hidden=(64,), dropout=0.5))
    network = _live(window).network
    seen: list[tuple[str, list[int]]] = []
    labels: list[str] = []
    window.controller.live_view_received.connect(
        lambda e: seen.append((network.mode, network.diagram.dropped_counts())))
    window.controller.live_view_received.connect(
        lambda e: labels.append(network.dropped_label.text()))
    events = _run(qtbot, window)
    assert events and all(mode == "train" for mode, _ in seen)
    for event, (_, dropped) in zip(events, seen, strict=True):
        assert event.columns == (2, 64, 2)
        assert event.dropout_rates == (0.0, 0.5, 0.0)
        assert dropped == [0, int((~event.dropout_masks[1]).sum()), 0]
    assert sum(d[1] for _, d in seen) > 0
    assert labels and all("Dropped in this pass" in text for text in labels)
    # The run is over: evaluation mode, every unit lit.
    assert network.mode == "eval"
    assert network.diagram.dropped_counts() == [0, 0, 0]
    assert network.diagram.drawn_units() == [(2, 0), (16, 48), (2, 0)]


def test_train_vs_eval_after_the_run(make_window, qtbot) -> None:
    window = make_window(_spiral(hidden=(64,), dropout=0.5))
    _run(qtbot, window)
    network = _live(window).network
    qtbot.waitUntil(network.spread_button.isEnabled)
    qtbot.mouseClick(network.spread_button, Qt.LeftButton)
    train, evals = network.spread.values
    assert len(train) == len(evals) == 10
    assert len(np.unique(train)) == 10  # varies in training mode
    assert np.all(evals == evals[0])  # identical in evaluation mode
    assert network.spread.isVisible()
    assert "all ten times" in network.spread.numbers.text()


def test_train_vs_eval_without_dropout_says_why_nothing_differs(make_window, qtbot) -> None:
    window = make_window(_spiral(dropout=0.0))
    _run(qtbot, window)
    network = _live(window).network
    assert "no Dropout" in network.explanation.text()
    qtbot.mouseClick(network.spread_button, Qt.LeftButton)
    train, evals = network.spread.values
    assert np.all(train == evals[0]) and np.all(evals == evals[0])
    assert "No Dropout in this model" in network.spread.numbers.text()


def test_train_vs_eval_during_a_run(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=500, hidden=(64,), dropout=0.5))
    network = _live(window).network
    spreads: list[LiveViewUpdated] = []
    window.controller.live_view_received.connect(
        lambda e: spreads.append(e) if e.spread_train is not None else None)
    with qtbot.waitSignal(window.controller.live_view_received, timeout=30_000):
        window.start_training()
    assert network.spread_button.isEnabled()
    qtbot.mouseClick(network.spread_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(spreads), timeout=10_000)
    train, evals = network.spread.values
    assert len(np.unique(train)) > 1 and np.all(evals == evals[0])
    with qtbot.waitSignal(window.controller.run_finished, timeout=30_000):
        window.stop_training()


def test_an_opened_model_is_shown_in_evaluation_mode(window, qtbot) -> None:
    live = _live(window)
    assert window.open_model_path(FIXTURES / "mlp_spiral_v1.wbm")
    qtbot.waitUntil(lambda: live.boundary.showing_plane, timeout=20_000)
    assert live.network.mode == "eval"
    assert live.boundary.image is not None
    assert sum(live.network.diagram.dropped_counts()) == 0


def test_an_opened_image_model_takes_its_spread_sample_from_the_form(window, qtbot) -> None:
    """No plane for 8x8 images; train vs eval still works, with the sample taken from the
    form's preview of the model's data."""
    live = _live(window)
    assert window.open_model_path(FIXTURES / "cnn_digits_v1.wbm")
    assert not live.boundary.showing_plane
    qtbot.waitUntil(lambda: window.form.prepared_data_for(window.model.config) is not None,
                    timeout=20_000)
    qtbot.waitUntil(lambda: live._model_data is not None, timeout=5_000)
    qtbot.mouseClick(live.network.spread_button, Qt.LeftButton)
    train, evals = live.network.spread.values
    assert len(train) == len(evals) == 10 and np.all(evals == evals[0])


def test_epoch_plot_after_early_stopping_with_restore(make_window, qtbot) -> None:
    # A minimum improvement no epoch can reach: the best epoch is the first, patience runs
    # out two epochs later and the weights of epoch 1 come back.
    config = _spiral(epochs=20).with_changes(
        run={"patience": 2, "min_delta": 100.0, "restore_best": True})
    window = make_window(config)
    finished = []
    window.controller.run_finished.connect(finished.append)
    _run(qtbot, window)
    (event,) = finished
    assert event.reason == "early_stopped" and event.restored_best and event.best_epoch == 1
    plot = window.epoch_plot
    plot.refresh()
    assert plot.best_epoch == 1
    assert "patience 0 of 2 left" in plot.note_text
    assert "Restored the weights of epoch 1" in plot.note_text
    gap, _ = plot.gap_segments()
    assert list(gap) == [1, 2]
    assert "Restored the weights of epoch 1" in window.statusBar().currentMessage()


def _epoch(epoch: int, train: float, val: float, left: int) -> EpochEnded:
    return EpochEnded(epoch=epoch, train_loss=train, val_loss=val, val_accuracy=None,
                      train_accuracy=None, lr=0.01, seconds=0.1, iteration=10 * epoch,
                      best_epoch=min(epoch, 3), patience_left=left, patience=5)


@pytest.mark.parametrize("log_y", [False, True])
def test_gap_shading_tints_a_growing_gap(qtbot, log_y: bool) -> None:
    plot = EpochPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 300)
    plot.set_log_y(log_y)
    plot.reset(classification=False)
    # Validation below training, then above it with the gap growing from epoch 4 on.
    losses = [(1.0, 0.9), (0.8, 0.7), (0.6, 0.55), (0.5, 0.6), (0.4, 0.7), (0.3, 0.8)]
    plot.append_epochs([_epoch(i + 1, t, v, 5 - max(0, i - 2)) for i, (t, v) in
                        enumerate(losses)])
    plot.refresh()
    gap, overfit = plot.gap_segments()
    assert list(gap) == [1, 2, 3, 4, 5]
    assert list(overfit) == [3, 4, 5]
    assert plot.note_text == "Early stopping: patience 2 of 5 left"
    plot.reset()
    assert plot.note_text == "" and len(plot.gap_segments()[0]) == 0


def test_a_diverged_model_paints_an_unsure_plane_without_warnings() -> None:
    import warnings

    from workbench.ui.panels.boundary_panel import plane_image

    probabilities = np.full((4, 5, 2), np.nan, dtype=np.float32)
    probabilities[0, 0] = (np.inf, -np.inf)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        image = plane_image(probabilities)
    assert image.shape == (4, 5, 3) and image.dtype == np.uint8
    # NaN reads as "classes level": the palest tint, the same for every such cell.
    assert (image[1:] == image[1, 1]).all()


def test_a_new_run_keeps_the_plane_and_its_points_until_its_first_picture(make_window,
                                                                          qtbot) -> None:
    window = make_window(_spiral(epochs=40))
    qtbot.waitUntil(lambda: window.form.preview is not None)  # both runs train on it
    first_run = _run(qtbot, window)
    boundary = _live(window).boundary
    qtbot.waitUntil(lambda: boundary.showing_plane)
    points = boundary._train_scatter.data
    seen: list[tuple[bool, object, str]] = []
    window.controller.run_started.connect(lambda _e: seen.append(
        (boundary.showing_plane, boundary.image, boundary.caption.text())))
    events = _run(qtbot, window)
    showing, image, caption = seen[0]
    assert showing and image is None and "appears as soon as" in caption
    # Same data: both runs' pictures carry the very same point arrays; nothing was redrawn.
    assert first_run and events
    assert first_run[0].train_points is events[-1].train_points
    assert boundary._train_scatter.data is points  # set once, not again


def test_a_run_too_short_for_a_picture_leaves_the_plane_of_its_model(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=1))
    boundary = _live(window).boundary
    for _ in range(2):  # the second run starts on the first one's plane
        events = _run(qtbot, window)
        assert not [e for e in events if e.probabilities is not None]
        qtbot.waitUntil(lambda: boundary.image is not None)
        assert boundary.showing_plane and "trained model" in boundary.caption.text()

