"""The status bar: device, epoch e/E, iteration i/I, it/s, elapsed time, ETA and progress.

The counters are the run position's (``run_position.py``), the value the concept panel and the
live views' captions show too. While a run goes on, "Epoch 45/60" is the epoch in progress;
once it has ended, the epochs completed ("Stopped after 44 epochs" beside "Epoch 44/60"), with
the tooltip saying how far into the next epoch a stop part-way got.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QSizeGrip,
    QStatusBar,
    QStyle,
    QStyleOption,
    QWidget,
)

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


# Room kept between the status bar's message and the counters beside it, in pixels.
MESSAGE_GAP = 16


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
        # A message longer than its room is shortened with "..." (the whole in the tooltip)
        # and kept a gap away from the counters, instead of running into the device label.
        bar.messageChanged.connect(self._on_bar_message_changed)
        bar.installEventFilter(self)

    def message_room(self) -> QRect:
        """Where the status bar's message is written: up to a gap before the counters."""
        bar = self.bar
        right = bar.width() - MESSAGE_GAP
        for widget in self._bar_widgets():
            right = min(right, widget.x() - MESSAGE_GAP)
        return QRect(6, 0, max(right - 6, 0), bar.height())

    def _bar_widgets(self) -> list[QWidget]:
        """The widgets shown in the bar beside a message (the counters, the window's own);
        the size grip sits at the far right and paints itself."""
        return [w for w in self.bar.findChildren(QWidget, options=Qt.FindDirectChildrenOnly)
                if w.isVisible() and not w.isWindow() and not isinstance(w, QSizeGrip)]

    def shown_message(self) -> str:
        """The message as the status bar shows it: whole, or shortened to its room."""
        text = self.bar.currentMessage()
        return self.bar.fontMetrics().elidedText(text, Qt.ElideRight,
                                                 self.message_room().width())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.bar and event.type() == QEvent.Type.Paint
                and self.shown_message() != self.bar.currentMessage()):
            self._paint_short_message()
            return True
        if watched is self.bar and event.type() == QEvent.Type.Resize:
            self._on_bar_message_changed(self.bar.currentMessage())
        return False

    def _on_bar_message_changed(self, text: str) -> None:
        self.bar.setToolTip(text if text and self.shown_message() != text else "")

    def _paint_short_message(self) -> None:
        """QStatusBar's own painting, with the message shortened to its room."""
        bar = self.bar
        style = bar.style()
        painter = QPainter(bar)
        option = QStyleOption()
        option.initFrom(bar)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, bar)
        for widget in self._bar_widgets():
            frame = QStyleOption()
            frame.rect = widget.geometry().adjusted(-2, -1, 2, 1)
            frame.palette = bar.palette()
            style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameStatusBarItem, frame,
                                painter, widget)
        painter.setPen(bar.palette().windowText().color())
        painter.drawText(self.message_room(),
                         Qt.AlignLeading | Qt.AlignVCenter | Qt.TextSingleLine,
                         self.shown_message())
        painter.end()

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
