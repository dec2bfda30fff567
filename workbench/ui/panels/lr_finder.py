"""The learning-rate finder dialog: the range test's curve and a rate to apply with one click.

The test runs in a background thread on fresh weights; the window's model is never touched.
Closing the dialog (or the window) asks the test to stop at its next iteration. While the data
is still loading (a large image folder) the stop takes effect when the load ends, since loading
cannot be interrupted: the thread may then outlive the window's wait for background work, and
as a daemon thread it does not keep the program from quitting.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import numbers
from workbench.ui.background import run_in_background
from workbench.ui.core_text import error_text
from workbench.ui.widgets import name_widget, plain_axes

if TYPE_CHECKING:
    from workbench.config import TrainConfig
    from workbench.core.data import PreparedData
    from workbench.core.lrfind import LrFinderResult

RAW_COLOR = (166, 198, 227)
SMOOTH_COLOR = (13, 71, 161)
SUGGESTION_COLOR = (230, 97, 1)


class _Progress(QObject):
    """Carries progress from the test's thread to the dialog (queued across threads)."""

    advanced = Signal(int, int)


class LrFinderDialog(QDialog):
    """Runs the range test for a configuration and offers its suggestion."""

    finished_test = Signal(object)  # LrFinderResult, or None after a failure
    applied = Signal(float)

    def __init__(self, config: TrainConfig, data: PreparedData | None,
                 apply: Callable[[float], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle(self.tr("Find a learning rate"))
        self._config = config
        self._data = data
        self._apply = apply
        self._stop = threading.Event()
        self._running = False
        self.result: LrFinderResult | None = None
        self._progress_signal = _Progress(self)
        self._progress_signal.advanced.connect(self._on_progress)

        self.intro_label = QLabel(self.tr(
            "Fresh weights train for one short pass while the learning rate rises from "
            "{start} to {end}. Where the loss falls fastest is a good learning rate; where it "
            "shoots up the steps are too large. Your trained model is not changed.").format(
            start="1e-6", end="1"))
        self.intro_label.setWordWrap(True)
        self.progress = name_widget(QProgressBar(), "lrFinderProgress",
                                    self.tr("Progress of the test"))
        self.plot = name_widget(pg.PlotWidget(background="w"), "lrFinderPlot",
                                self.tr("Loss against learning rate"))
        self._setup_plot()
        self.result_label = name_widget(QLabel(), "lrFinderResult", self.tr("Result"))
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.apply_button = name_widget(QPushButton(self.tr("Use this learning rate")),
                                        "applyLearningRateButton",
                                        self.tr("Use this learning rate"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply_suggestion)
        self.again_button = name_widget(QPushButton(self.tr("Run again")), "lrFinderAgainButton",
                                        self.tr("Run again"))
        self.again_button.clicked.connect(self.start)
        close_button = QPushButton(self.tr("Close"))
        close_button.clicked.connect(self.close)

        buttons = QHBoxLayout()
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self.resize(640, 480)

    def _setup_plot(self) -> None:
        item = self.plot.getPlotItem()
        item.setLogMode(x=True, y=False)
        plain_axes(item)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("bottom", self.tr("Learning rate (log scale)"))
        item.setLabel("left", self.tr("Training loss"))
        item.addLegend(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210))
        self.plot.setMenuEnabled(False)
        self.raw_curve = item.plot([], [], pen=pg.mkPen(RAW_COLOR, width=1),
                                   name=self.tr("loss per iteration"))
        self.smooth_curve = item.plot([], [], pen=pg.mkPen(SMOOTH_COLOR, width=2),
                                      name=self.tr("smoothed"))
        self.suggestion_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(SUGGESTION_COLOR, width=2, style=Qt.DashLine))
        self.suggestion_line.hide()
        item.addItem(self.suggestion_line, ignoreBounds=True)

    # -- running -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Run the test in the background (again, when it has run before)."""
        if self._running:
            return
        self._running = True
        self._stop.clear()
        self.result = None
        self.apply_button.setEnabled(False)
        self.again_button.setEnabled(False)
        self.suggestion_line.hide()
        self.raw_curve.setData([], [])
        self.smooth_curve.setData([], [])
        self.progress.setValue(0)
        self.progress.show()
        self.result_label.setText(self.tr("Running the test..."))
        config, data, stop = self._config, self._data, self._stop
        progress = self._progress_signal

        def job() -> LrFinderResult:
            from workbench.core.lrfind import find_lr  # imports torch: off the GUI thread

            return find_lr(config, data, should_stop=stop.is_set,
                           on_progress=progress.advanced.emit)

        run_in_background(self, job, self._on_done, self._on_failed, name="workbench-lr-finder")

    def stop(self) -> None:
        self._stop.set()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _on_done(self, result: LrFinderResult) -> None:
        self._running = False
        self.again_button.setEnabled(True)
        self.progress.hide()
        self.result = result
        self._show_result(result)
        self.finished_test.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._running = False
        self.again_button.setEnabled(True)
        self.progress.hide()
        self.result_label.setText(self.tr("The test could not run: {message}").format(
            message=error_text(exc)))
        self.finished_test.emit(None)

    def _show_result(self, result: LrFinderResult) -> None:
        finite = np.isfinite(result.losses)
        self.raw_curve.setData(result.lrs[finite], result.losses[finite])
        # No line across the turning point: the parts either side are smoothed apart, and a
        # line joining them would draw a climb that no learning rate between them had.
        connect = np.isfinite(result.smoothed[1:]) & np.isfinite(result.smoothed[:-1])
        turn = result.turning_point
        if 0 < turn < len(result.smoothed):
            connect[turn - 1] = False
        smoothed = np.where(np.isfinite(result.smoothed), result.smoothed, 0.0)
        self.smooth_curve.setData(result.lrs, smoothed, connect=np.append(connect, False))
        self._fit_y_range(result)
        suggestion = result.suggestion
        ended = {"diverged": self.tr("stopped early: the loss diverged"),
                 "stopped": self.tr("stopped")}.get(result.ended, self.tr("completed"))
        timing = self.tr("{iterations} iterations in {seconds} s ({ended}).").format(
            iterations=result.iterations, seconds=f"{result.seconds:.1f}", ended=ended)
        if suggestion is None:
            self.result_label.setText(timing + " " + self._no_suggestion_text(result))
            return
        self.suggestion_line.setValue(math.log10(suggestion))
        self.suggestion_line.show()
        self.apply_button.setEnabled(True)
        self.result_label.setText(self.tr(
            "Suggested learning rate: {lr} (where the smoothed loss falls fastest, before it "
            "turns up).").format(lr=numbers.number(suggestion)) + " " + timing)

    def _no_suggestion_text(self, result: LrFinderResult) -> str:
        """Why there is no suggestion, and what to do about it."""
        from workbench.core import lrfind

        reason = result.no_suggestion_reason
        if reason == lrfind.STOPPED_TOO_EARLY:
            return self.tr("No suggestion: the test was stopped after {iterations} iterations, "
                           "too few to judge. Run it again and let it finish.").format(
                iterations=result.iterations)
        if reason == lrfind.DIVERGED_AT_ONCE:
            return self.tr("No suggestion: the loss diverged at once, even at the smallest "
                           "learning rates. Check the data (very large or unscaled values, "
                           "the wrong target column) and the model settings.")
        if reason == lrfind.TOO_SHORT:
            return self.tr("No suggestion: {iterations} iterations are too few to judge.").format(
                iterations=result.iterations)
        return self.tr("No suggestion: the loss did not fall (by at least {percent} %) during "
                       "the test, so no learning rate stands out.").format(
            percent=numbers.number(100 * lrfind.MIN_DROP))

    def _fit_y_range(self, result: LrFinderResult) -> None:
        """Show the descent, not the spike: up to a little above the starting loss."""
        smoothed = result.smoothed[np.isfinite(result.smoothed)]
        if len(smoothed) == 0:
            return
        low = float(smoothed.min())
        high = float(max(smoothed[: max(len(smoothed) // 10, 1)].max(), low))
        pad = 0.15 * (high - low) if high > low else 0.1 * max(abs(high), 1.0)
        self.plot.getPlotItem().setYRange(low - pad, high + 2 * pad, padding=0)

    def apply_suggestion(self) -> None:
        if self.result is None or self.result.suggestion is None:
            return
        # Three significant digits, as shown: a rate people can read back in the form.
        lr = float(f"{self.result.suggestion:.3g}")
        self._apply(lr)
        self.applied.emit(lr)

    def done(self, result: int) -> None:
        self.stop()  # Escape and Close end here as well as the window's close button
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)
