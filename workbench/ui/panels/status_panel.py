"""The status bar: device, epoch e/E, iteration i/I, it/s, elapsed time, ETA and progress.

The counters are the run position's (``run_position.py``), the value the concept panel and the
live views' captions show too. While a run goes on, "Epoch 45/60" is the epoch in progress;
once it has ended, the epochs completed ("Stopped after 44 epochs" beside "Epoch 44/60"), with
the tooltip saying how far into the next epoch a stop part-way got.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from workbench.core.events import RunFinished
from workbench.ui import numbers
from workbench.ui.core_text import device_name_text
from workbench.ui.run_position import Phase, RunPosition
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
        self._show_counts(p.position)
        if p.state == RunState.PAUSED:
            speed = self.tr("paused")
        elif p.iterations_per_second > 0:
            speed = self.tr("{rate} it/s").format(rate=numbers.count(round(p.iterations_per_second)))
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


    def finished_text(self, event: RunFinished, pos: RunPosition) -> str:
        """The status bar's sentence for a run that ended, in the counters' words: the epochs
        completed, and the epoch a stop part-way cut short."""
        unfinished = pos.unfinished_epoch
        if event.reason == "stopped" and unfinished:
            text = self.tr("Stopped during epoch {epoch}, after {epochs} complete epochs "
                           "({iterations} iterations, {seconds} s); the model is kept.")
        elif event.reason == "stopped":
            text = self.tr("Stopped after {epochs} epochs ({iterations} iterations, {seconds} s)"
                           "; the model is kept.")
        elif event.reason == "early_stopped":
            text = self.tr("Early stopping after {epochs} epochs: the validation loss stopped "
                           "improving; best epoch {best}.")
        else:
            text = self.tr("Finished {epochs} epochs ({iterations} iterations) in {seconds} s.")
        return text.format(epochs=numbers.count(event.epochs_completed),
                           iterations=numbers.count(event.iterations_completed),
                           seconds=f"{event.seconds:,.1f}", best=event.best_epoch,
                           epoch=numbers.count(unfinished))

    def _show_counts(self, pos: RunPosition) -> None:
        if not pos.shows_counts:
            epoch, iteration = self.tr("Epoch –"), self.tr("Iteration –")
            tip = ""
        else:
            epoch = self.tr("Epoch {epoch}/{epochs}").format(epoch=numbers.count(pos.epoch),
                                                            epochs=numbers.count(pos.epochs))
            iteration = (self.tr("Iteration {i}/{n}").format(
                i=numbers.count(pos.iteration), n=numbers.count(pos.total_iterations))
                if pos.total_iterations else
                self.tr("Iteration {i}").format(i=numbers.count(pos.iteration)))
            tip = self._counts_tip(pos)
        self.epoch_label.setText(epoch)
        self.iteration_label.setText(iteration)
        self.epoch_label.setToolTip(tip)
        self.iteration_label.setToolTip(tip)

    def _counts_tip(self, pos: RunPosition) -> str:
        if pos.phase == Phase.RUNNING:
            return self.tr("The epoch in progress and the iterations (weight updates) done.")
        if pos.phase == Phase.MODEL:
            text = self.tr("The opened model was trained for {epochs} epochs ({iterations} "
                           "iterations).")
        else:
            text = self.tr("The run completed {epochs} epochs ({iterations} iterations).")
        text = text.format(epochs=numbers.count(pos.epoch), iterations=numbers.count(pos.iteration))
        if pos.unfinished_epoch:
            text += " " + self.tr("It stopped {done} iterations into epoch {epoch}.").format(
                done=numbers.count(pos.iteration_in_epoch), epoch=numbers.count(pos.unfinished_epoch))
        return text


def _hold_width(label: QLabel) -> None:
    """Labels only grow while a run goes on: a shorter number does not re-lay out the bar."""
    width = label.sizeHint().width()
    if width > label.minimumWidth():
        label.setMinimumWidth(width)
