"""The plots fed with synthetic events: the first data item, decimation, hover, export."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from workbench.core.events import EpochEnded
from workbench.ui.plots import EpochPlot, IterationPlot
from workbench.ui.series import RAW_POINTS_PER_PIXEL


def _epoch(epoch: int, iteration: int, best: int | None = None, patience: int | None = None,
           val: float | None = 0.5, acc: float | None = 0.9) -> EpochEnded:
    return EpochEnded(epoch=epoch, train_loss=1.0 / epoch, val_loss=val, val_accuracy=acc,
                      train_accuracy=None, lr=0.01, seconds=0.1, iteration=iteration,
                      best_epoch=best, patience_left=patience)


@pytest.fixture
def iteration_plot(qtbot) -> IterationPlot:
    plot = IterationPlot()
    qtbot.addWidget(plot)
    plot.resize(800, 300)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


@pytest.fixture
def epoch_plot(qtbot) -> EpochPlot:
    plot = EpochPlot()
    qtbot.addWidget(plot)
    plot.resize(800, 300)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def _feed(plot: IterationPlot, n: int, ipe: int, block: int = 997) -> np.ndarray:
    rng = np.random.default_rng(0)
    values = (np.exp(-np.arange(n) / n * 4) + 0.1 * rng.random(n)).astype(np.float32)
    for start in range(0, n, block):
        plot.append_losses(start + 1, values[start:start + block])
    plot.add_epoch_ends(list(range(ipe, n + 1, ipe)))
    plot.refresh()
    return values


def test_first_item_is_the_raw_curve_with_every_point(iteration_plot: IterationPlot) -> None:
    values = _feed(iteration_plot, 600, ipe=25)
    first = iteration_plot.plotItem.listDataItems()[0]
    x, y = first.getData()
    assert len(x) == 600
    np.testing.assert_array_equal(y, values)
    _, sy = iteration_plot.smoothed_data()
    assert len(sy) == 600 and sy[0] == pytest.approx(values[0])


def test_a_million_points_are_decimated_and_cheap(iteration_plot: IterationPlot) -> None:
    n = 1_000_000
    values = _feed(iteration_plot, n, ipe=1000, block=50_000)
    x, y = iteration_plot.plotItem.listDataItems()[0].getData()
    width = iteration_plot.plotItem.vb.width()
    assert len(x) <= 4 * width + 8  # one min/max pair per pixel column
    assert y.max() == values.max() and y.min() == values.min()
    rx, ry = iteration_plot.raw_data()  # the full history is still there
    assert len(ry) == n and rx[-1] == n
    times = []
    for i in range(5):
        iteration_plot.append_losses(n + 1 + i, np.array([0.5], np.float32))
        t = time.perf_counter()
        iteration_plot.refresh()
        times.append(time.perf_counter() - t)
    assert min(times) < 0.01


def test_zooming_in_shows_raw_points_again(qtbot, iteration_plot: IterationPlot) -> None:
    values = _feed(iteration_plot, 200_000, ipe=500, block=20_000)
    iteration_plot.show_x_range(1000, 1100)
    iteration_plot.refresh()
    x, y = iteration_plot.plotItem.listDataItems()[0].getData()
    assert 101 <= len(x) <= 110 < RAW_POINTS_PER_PIXEL * iteration_plot.plotItem.vb.width()
    start = int(x[0]) - 1
    np.testing.assert_array_equal(y, values[start:start + len(y)])


def test_hover_reads_exact_values(qtbot, iteration_plot: IterationPlot) -> None:
    values = _feed(iteration_plot, 300, ipe=30)
    qtbot.wait(10)  # the view follows the new data on the next paint
    seen: list[str] = []
    iteration_plot.hover_text_changed.connect(seen.append)
    vb = iteration_plot.plotItem.vb
    iteration_plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(42, values[41])))
    assert seen and seen[-1].startswith("Iteration 42 (epoch 2): loss ")
    assert f"{values[41]:.5g}" in seen[-1]


def test_smoothing_and_log_scale(iteration_plot: IterationPlot) -> None:
    _feed(iteration_plot, 500, ipe=50)
    iteration_plot.set_smoothing(0.0)
    _, s0 = iteration_plot.smoothed_data()
    _, raw = iteration_plot.raw_data()
    np.testing.assert_allclose(s0, raw, rtol=1e-6)
    iteration_plot.set_smoothing(0.9)
    _, s9 = iteration_plot.smoothed_data()
    assert np.std(np.diff(s9)) < np.std(np.diff(raw))
    iteration_plot.set_log_y(True)
    iteration_plot.refresh()
    assert iteration_plot.plotItem.getAxis("left").logMode


def test_epoch_boundaries_are_one_item(qtbot, iteration_plot: IterationPlot) -> None:
    _feed(iteration_plot, 100_000, ipe=10, block=10_000)  # 10,000 epochs
    qtbot.wait(20)  # the view follows the data; the boundaries follow the view
    items = iteration_plot.plotItem.vb.addedItems
    assert sum(1 for i in items if type(i).__name__ == "InfiniteLine") == 0
    boundaries = iteration_plot._boundaries._curve.getData()[0]
    assert 0 < len(boundaries) <= 2 * iteration_plot.plotItem.vb.width() / 5


def test_csv_and_png_export(iteration_plot: IterationPlot, epoch_plot: EpochPlot,
                            tmp_path: Path) -> None:
    values = _feed(iteration_plot, 40, ipe=10)
    iteration_plot.save_csv(tmp_path / "it.csv")
    rows = list(csv.reader((tmp_path / "it.csv").open()))
    assert rows[0][:3] == ["iteration", "epoch", "loss"] and len(rows) == 41
    assert rows[11][:2] == ["11", "2"] and float(rows[11][2]) == pytest.approx(values[10])
    iteration_plot.save_png(tmp_path / "it.png")
    assert (tmp_path / "it.png").read_bytes()[:4] == b"\x89PNG"
    epoch_plot.append_epochs([_epoch(1, 10), _epoch(2, 20, val=None, acc=None)])
    epoch_plot.save_csv(tmp_path / "ep.csv")
    rows = list(csv.reader((tmp_path / "ep.csv").open()))
    assert rows[0][:4] == ["epoch", "train_loss", "val_loss", "val_accuracy"]
    assert rows[2][0] == "2" and rows[2][2] == ""


def test_epoch_plot_points_accuracy_and_best_epoch(epoch_plot: EpochPlot) -> None:
    epoch_plot.reset(classification=True)
    epoch_plot.append_epochs([_epoch(e, 10 * e, best=min(e, 3), patience=2) for e in (1, 2, 3)])
    epoch_plot.append_epochs([_epoch(4, 40, best=3, patience=1)])
    epoch_plot.refresh()
    x, y = epoch_plot.plotItem.listDataItems()[0].getData()
    assert list(x) == [1, 2, 3, 4]
    np.testing.assert_allclose(y, [1, 1 / 2, 1 / 3, 1 / 4])
    assert epoch_plot.best_epoch == 3
    assert epoch_plot.table()["val_accuracy"][0] == pytest.approx(0.9)
    epoch_plot.reset(classification=False)
    assert len(epoch_plot) == 0 and epoch_plot.best_epoch is None


def test_live_axes_stay_still_while_the_data_fits(iteration_plot: IterationPlot) -> None:
    """While training, a redraw whose data fits the shown ranges changes no axis (re-laying out
    ticks is a large part of a repaint); once the data leaves, the x axis grows with room."""
    iteration_plot.set_live(True)
    rng = np.random.default_rng(1)
    iteration_plot.append_losses(1, (0.5 + 0.1 * rng.random(100)).astype(np.float32))
    iteration_plot.refresh()
    x_range, y_range = iteration_plot.plotItem.vb.viewRange()
    iteration_plot.append_losses(101, (0.5 + 0.1 * rng.random(20)).astype(np.float32))
    iteration_plot.refresh()
    assert iteration_plot.plotItem.vb.viewRange() == [x_range, y_range]
    end = x_range[1]
    iteration_plot.append_losses(121, np.full(int(end), 0.55, np.float32))
    iteration_plot.refresh()
    new_x, _ = iteration_plot.plotItem.vb.viewRange()
    assert new_x[1] >= 1.3 * len(iteration_plot)  # room to grow into before the next change
    iteration_plot.set_live(False)
    iteration_plot.stop_refresh()



def test_the_readouts_fit_their_width(qtbot) -> None:
    """Under each plot one line that is never cut: the longest hint that fits, a shorter one in
    a narrow window (the whole in the tooltip), the hover values shortened with "..." when
    they do not fit; and the read-out holds no width of its own."""
    from workbench.ui.panels.plots_panel import PlotsPanel

    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show()
    qtbot.waitExposed(panel)
    readout = panel.epoch_readout
    metrics = readout.fontMetrics()

    def fits() -> bool:
        return metrics.horizontalAdvance(readout.text()) <= readout.contentsRect().width()

    assert readout.text() == readout.full_text and readout.toolTip() == "" and fits()
    assert "zoom" in readout.text()
    assert readout.minimumSizeHint().width() <= 1
    narrow = panel.minimumSizeHint().width()  # the plots' tools set it, not the read-outs
    assert narrow < metrics.horizontalAdvance(readout.full_text)
    panel.resize(narrow, 500)
    qtbot.waitUntil(lambda: readout.width() <= narrow)
    assert fits() and readout.text() != readout.full_text
    assert readout.text().startswith("Point at a curve") and "…" not in readout.text()
    assert readout.toolTip() == readout.full_text
    values = "Epoch 12: training loss 0.1234, validation loss 0.2345, validation accuracy 97.5 %"
    panel.epoch_plot.hover_text_changed.emit(values)
    assert fits() and readout.text().endswith("…") and readout.toolTip() == values
    panel.resize(1000, 500)
    qtbot.waitUntil(lambda: readout.text() == values)
    assert readout.toolTip() == ""
    panel.epoch_plot.hover_text_changed.emit("")
    assert readout.text() == readout.full_text and "zoom" in readout.text()


def test_the_epoch_legend_covers_no_curve(qtbot, epoch_plot: EpochPlot) -> None:
    """The legend sits above the plot area (accuracy climbs into its top right corner), in
    one row while it fits over the plot, in more rows when narrow, never wider than the plot."""
    epoch_plot.reset(classification=True)
    epoch_plot.append_epochs([_epoch(e, 10 * e, acc=min(0.5 + 0.1 * e, 1.0)) for e in range(1, 9)])
    epoch_plot.refresh()
    legend = epoch_plot.plotItem.legend
    assert [label.text for _, label in legend.items] == [
        "training loss", "validation loss", "validation accuracy"]
    view = epoch_plot.plotItem.vb

    def placed() -> bool:
        area = view.sceneBoundingRect()
        plot = epoch_plot.plotItem.sceneBoundingRect()
        box = legend.sceneBoundingRect()
        right = area.right() if box.width() <= area.width() else plot.right()
        return box.bottom() <= area.top() + 1 and box.right() <= right + 1 and (
            box.left() >= plot.left() - 1)

    qtbot.waitUntil(placed)
    assert legend.columnCount == 3
    epoch_plot.resize(260, 300)
    qtbot.waitUntil(lambda: legend.columnCount < 3 and placed())
    epoch_plot.reset(classification=False)  # regression: no accuracy, two entries
    assert [label.text for _, label in legend.items] == ["training loss", "validation loss"]
    epoch_plot.resize(800, 300)
    qtbot.waitUntil(lambda: legend.columnCount == 3 and placed())


def test_the_restore_note_covers_neither_the_curves_start_nor_their_end(qtbot,
                                                                       epoch_plot: EpochPlot
                                                                       ) -> None:
    # A run's losses start high on the left and end low on the right; the accuracy climbs
    # along the top. The note sits at the right edge halfway up, clear of all three.
    epoch_plot.reset(classification=True)
    epoch_plot.append_epochs([_epoch(e, 10 * e, best=6, val=1.2 / e,
                                     acc=min(0.5 + 0.1 * e, 0.99)) for e in range(1, 13)])
    epoch_plot.mark_restored(6)
    epoch_plot.refresh()
    assert epoch_plot.note_text == "Restored the weights of epoch 6"
    view = epoch_plot.plotItem.vb
    qtbot.waitUntil(lambda: epoch_plot._note.sceneBoundingRect().right()
                    > view.sceneBoundingRect().center().x())
    note = epoch_plot._note.sceneBoundingRect()
    assert view.sceneBoundingRect().contains(note)
    for epoch, loss in ((1, 1.2), (2, 0.6), (12, 0.1)):
        point = view.mapViewToScene(QPointF(epoch, loss))
        assert not note.contains(point), (epoch, loss)


def test_a_paced_run_redraws_as_often_as_a_person_can_follow(
        iteration_plot: IterationPlot) -> None:
    # Flat out, a live plot redraws within a small share of the GUI thread's time (painting
    # holds the lock training needs); a paced run waits between steps anyway, so its plots
    # redraw up to five times a second whatever a redraw costs.
    from workbench.ui import plots

    iteration_plot.set_live(True)
    iteration_plot.refresh()
    iteration_plot._frame_cost = 0.02  # an expensive redraw: 20 ms
    try:
        iteration_plot.request_refresh()
        flat_out = iteration_plot._refresh_timer.remainingTime()
        assert flat_out > 1000 * 0.02 / plots.LIVE_GUI_SHARE * 0.9
        iteration_plot.stop_refresh()
        iteration_plot.set_paced(True)
        iteration_plot.request_refresh()
        paced = iteration_plot._refresh_timer.remainingTime()
        assert paced <= 1000 * plots.LIVE_MIN_INTERVAL + 50 < flat_out / 10
    finally:
        iteration_plot.set_live(False)
        iteration_plot.stop_refresh()


def test_the_accuracy_title_is_never_cut(qtbot, epoch_plot: EpochPlot) -> None:
    # Up the right side runs "Validation accuracy (%)"; a plot shorter than that says "%".
    epoch_plot.reset(classification=True)
    qtbot.waitUntil(lambda: epoch_plot.accuracy_title == "Validation accuracy (%)")
    epoch_plot.resize(800, 120)
    qtbot.waitUntil(lambda: epoch_plot.accuracy_title == "%")
    epoch_plot.resize(800, 300)
    qtbot.waitUntil(lambda: epoch_plot.accuracy_title == "Validation accuracy (%)")
    epoch_plot.reset(classification=False)  # regression: no accuracy axis title at all
    assert epoch_plot.accuracy_title == ""
