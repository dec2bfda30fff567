"""The status bar: device, epoch e/E, iteration i/I, it/s, elapsed time, ETA and progress."""

from __future__ import annotations

import math

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from workbench.ui.core_text import device_name_text
from workbench.ui.training import Progress, RunState


def format_duration(seconds: float | None) -> str:
    """``1:05`` for 65 s, ``1:02:03`` for longer; ``–`` when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class RunStatus(QObject):
    """Permanent widgets in the window's status bar, updated from ``Progress``."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar

        def label(name: str) -> QLabel:
            widget = QLabel()
            widget.setObjectName(name)
            widget.setContentsMargins(6, 0, 6, 0)
            bar.addPermanentWidget(widget)
            return widget

        self.device_label = label("statusDeviceLabel")
        self.epoch_label = label("statusEpochLabel")
        self.iteration_label = label("statusIterationLabel")
        self.speed_label = label("statusSpeedLabel")
        self.time_label = label("statusTimeLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("progressBar")
        # Whole per cent: the bar repaints when the shown number changes, not on every update.
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setTextVisible(True)
        bar.addPermanentWidget(self.progress_bar)
        self._device_name = ""  # as the engine or the device list gave it, before translation
        self.show_progress(Progress())

    def set_device(self, name: str) -> None:
        """The device's name as the engine or the device list gives it (shown translated)."""
        self._device_name = name
        self.device_label.setText(device_name_text(name))

    def show_progress(self, p: Progress) -> None:
        if p.device_name and p.device_name != self._device_name:
            self.set_device(p.device_name)
        self.epoch_label.setText(self.tr("Epoch {epoch}/{epochs}").format(
            epoch=f"{p.epoch:,}", epochs=f"{p.epochs:,}"))
        self.iteration_label.setText(self.tr("Iteration {i}/{n}").format(
            i=f"{p.iteration:,}", n=f"{p.total_iterations:,}"))
        if p.state == RunState.PAUSED:
            speed = self.tr("paused")
        elif p.iterations_per_second > 0:
            speed = self.tr("{rate} it/s").format(rate=f"{p.iterations_per_second:,.0f}")
        else:
            speed = self.tr("– it/s")
        self.speed_label.setText(speed)
        self.time_label.setText(self.tr("Elapsed {elapsed}, left {eta}").format(
            elapsed=format_duration(p.elapsed), eta=format_duration(p.eta)))
        value = math.floor(100 * min(max(p.fraction, 0.0), 1.0))
        if value != self.progress_bar.value():
            # QProgressBar.setValue repaints at once, holding the interpreter lock through
            # the paint and the display's round trip (measured: ~4 % of the GUI thread's
            # lock time in a training run); with updates off it only schedules a paint.
            bar = self.progress_bar
            bar.setUpdatesEnabled(False)
            bar.setValue(value)
            bar.setFormat(f"{value} %")
            bar.setUpdatesEnabled(True)
        for widget in (self.epoch_label, self.iteration_label, self.speed_label,
                       self.time_label):
            _hold_width(widget)


def _hold_width(label: QLabel) -> None:
    """Labels only grow while a run goes on: a shorter number does not re-lay out the bar."""
    width = label.sizeHint().width()
    if width > label.minimumWidth():
        label.setMinimumWidth(width)
