"""The Compare tab: train the form's settings at several batch sizes, optimizers or dropout
rates, and see the runs side by side (overlaid per-epoch curves and a table of speed and
final losses)."""

from __future__ import annotations

import math
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import numbers
from workbench.ui.comparison import (
    BATCH_SIZE,
    DEFAULT_BATCH_SIZES,
    DROPOUT,
    OPTIMIZER,
    ComparisonPlan,
    SettingResult,
)
from workbench.ui.panels.history_panel import OverlayPlot
from workbench.ui.widgets import hint_label, name_widget


def parse_batch_sizes(text: str) -> list[int]:
    """``"8, 32 128"`` -> [8, 32, 128]; ValueError naming the first entry that is not one."""
    sizes = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        if not part.isdigit() or int(part) < 1:
            raise ValueError(part)
        sizes.append(int(part))
    if not sizes:
        raise ValueError(text)
    return sizes


class ComparePanel(QWidget):
    """Buttons that start a comparison, its progress, the results table and the overlay."""

    compare_requested = Signal(str)  # BATCH_SIZE, OPTIMIZER or DROPOUT
    stop_requested = Signal()

    # Status beside the setting: in a narrow window the numbers scroll sideways, but each
    # run's state (running, failed, cancelled) stays in view.
    SETTING, STATUS, ITERATIONS, SECONDS_PER_EPOCH, SECONDS, TRAIN_LOSS, VAL_LOSS, \
        ACCURACY = range(8)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparePanel")
        self._plan: ComparisonPlan | None = None
        self._results: list[SettingResult] = []
        # The overlay is redrawn only where it can be seen: marked stale while the tab is
        # hidden (a rebuild costs milliseconds, and epochs arrive many times a second).
        self._overlay_stale = False
        self._build()
        self.set_running(False)

    def _build(self) -> None:
        self.batch_sizes_edit = name_widget(QLineEdit(", ".join(map(str, DEFAULT_BATCH_SIZES))),
                                            "compareBatchSizesEdit", self.tr("Batch sizes"))
        self.batch_sizes_edit.setToolTip(self.tr("Batch sizes to train, separated by commas"))
        self.batch_sizes_edit.setMaximumWidth(180)
        self.batch_button = name_widget(QPushButton(self.tr("Compare batch sizes")),
                                        "compareBatchSizesButton",
                                        self.tr("Compare batch sizes"))
        self.optimizer_button = name_widget(QPushButton(self.tr("Compare optimizers")),
                                            "compareOptimizersButton",
                                            self.tr("Compare optimizers"))
        self.dropout_button = name_widget(QPushButton(self.tr("Compare dropout rates")),
                                          "compareDropoutButton",
                                          self.tr("Compare dropout rates"))
        self.stop_button = name_widget(QPushButton(self.tr("Stop")), "compareStopButton",
                                       self.tr("Stop the comparison"))
        self.stop_button.setToolTip(self.tr("Stop the run under way and cancel the rest"))
        self.batch_button.clicked.connect(lambda: self.compare_requested.emit(BATCH_SIZE))
        self.optimizer_button.clicked.connect(lambda: self.compare_requested.emit(OPTIMIZER))
        self.dropout_button.clicked.connect(lambda: self.compare_requested.emit(DROPOUT))
        self.stop_button.clicked.connect(self.stop_requested)
        # One row per comparison, buttons in a column: narrow enough for a 1100 px window.
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        grid.addWidget(self.batch_button, 0, 0)
        grid.addWidget(self.batch_sizes_edit, 0, 1)
        grid.addWidget(self.optimizer_button, 1, 0)
        grid.addWidget(_wrapped(self.tr("(SGD, SGD with momentum, RMSprop and Adam, all at the "
                                        "form's learning rate)")), 1, 1, 1, 2)
        grid.addWidget(self.dropout_button, 2, 0)
        grid.addWidget(_wrapped(self.tr("(hidden-layer Dropout off, 0.2 and 0.5)")), 2, 1, 1, 2)
        grid.addWidget(self.stop_button, 2, 3)
        intro = hint_label(self.tr(
            "Each button trains the settings in the form several times, one run after "
            "another, changing only one thing (same data, seed and epochs; batch sizes larger "
            "than the training set are left out). The Training tab shows each run as it "
            "trains; the table and the curves below put the runs side by side, and every run "
            "is kept in the History tab."))
        box = QGroupBox(self.tr("Compare"))
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(grid)
        box_layout.addWidget(intro)
        self.status_label = name_widget(QLabel(), "compareStatus",
                                        self.tr("Comparison status"))
        self.status_label.setWordWrap(True)

        self.table = name_widget(QTableWidget(0, 8), "compareTable",
                                 self.tr("Comparison results"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Setting"), self.tr("Status"), self.tr("Iterations per epoch"),
            self.tr("Seconds per epoch"), self.tr("Total seconds"), self.tr("Final training loss"),
            self.tr("Final validation loss"), self.tr("Validation accuracy (%)")])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.overlay = OverlayPlot("compareOverlay")
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.overlay)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(box)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)
        self._fit_table()

    # -- input -----------------------------------------------------------------------------------
    def batch_sizes(self) -> list[int]:
        """The sizes typed in; ValueError (with the bad entry) when one is not a whole number."""
        return parse_batch_sizes(self.batch_sizes_edit.text())

    def set_running(self, running: bool) -> None:
        for button in (self.batch_button, self.optimizer_button, self.dropout_button):
            button.setEnabled(not running)
        self.batch_sizes_edit.setEnabled(not running)
        self.stop_button.setEnabled(running)
        if not running:
            self._refresh_overlay()  # the comparison ended: its curves are final

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    # -- results ---------------------------------------------------------------------------------
    def begin(self, plan: ComparisonPlan, results: list[SettingResult]) -> None:
        self._plan = plan
        self._results = results
        self.table.setRowCount(len(results))
        for row in range(len(results)):
            self.update_row(row)
        self.overlay.set_metric("val_loss")
        self._mark_overlay_stale()
        self._fit_table()
        self.set_running(True)

    def _fit_table(self) -> None:
        """Tall enough for every row (up to eight): the table is what people compare."""
        table = self.table
        rows = min(max(table.rowCount(), 4), 8)
        height = (table.horizontalHeader().height() + rows * table.verticalHeader()
                  .defaultSectionSize() + 2 * table.frameWidth() + table.horizontalScrollBar()
                  .sizeHint().height())
        table.setMinimumHeight(height)

    def update_row(self, row: int) -> None:
        r = self._results[row]
        final = r.final
        per_epoch = r.seconds_per_epoch
        accuracy = None if final is None or final.val_accuracy is None else \
            100.0 * final.val_accuracy
        cells = [
            r.label,
            self._status_text(r.status, len(r.epochs)),
            "" if r.iterations_per_epoch is None else f"{r.iterations_per_epoch:,}",
            "" if per_epoch is None else f"{per_epoch:.3f}",
            "" if r.seconds is None else f"{r.seconds:.1f}",
            _fmt(None if final is None else final.train_loss),
            _fmt(None if final is None else final.val_loss),
            _fmt(accuracy, 3),
        ]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column not in (self.SETTING, self.STATUS):
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.table.setItem(row, column, item)
        self._mark_best()
        regression = any(x.task == "regression" for x in self._results) and not any(
            x.task == "classification" for x in self._results)
        self.table.setColumnHidden(self.ACCURACY, regression)
        self._mark_overlay_stale()

    def _mark_best(self) -> None:
        """Bold the fastest epoch time, the lowest final losses and the highest accuracy
        among the runs that have ended: the trade-off at a glance."""
        ended = [i for i, r in enumerate(self._results)
                 if r.final is not None and r.status not in ("running", "waiting")]
        columns = {self.SECONDS_PER_EPOCH: (lambda r: r.seconds_per_epoch, min),
                   self.TRAIN_LOSS: (lambda r: r.final.train_loss, min),
                   self.VAL_LOSS: (lambda r: r.final.val_loss, min),
                   self.ACCURACY: (lambda r: r.final.val_accuracy, max)}
        for column, (value, pick) in columns.items():
            values = {i: value(self._results[i]) for i in ended}
            values = {i: v for i, v in values.items() if v is not None and math.isfinite(v)}
            best = pick(values.values()) if len(values) > 1 else None
            for row in range(self.table.rowCount()):
                item = self.table.item(row, column)
                if item is not None:
                    font = item.font()
                    font.setBold(best is not None and values.get(row) == best)
                    item.setFont(font)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh_overlay()

    def _mark_overlay_stale(self) -> None:
        self._overlay_stale = True
        if self.isVisible():
            self._refresh_overlay()

    def _refresh_overlay(self) -> None:
        if not self._overlay_stale:
            return
        self._overlay_stale = False
        self.overlay.set_runs([(r.label, r.epochs) for r in self._results if r.epochs])

    def _status_text(self, status: str, epochs: int) -> str:
        if status == "running":
            return self.tr("running (epoch {n})").format(n=epochs + 1) if epochs else \
                self.tr("running")
        return {"waiting": self.tr("waiting"), "completed": self.tr("completed"),
                "stopped": self.tr("stopped"), "early_stopped": self.tr("early stopped"),
                "failed": self.tr("failed"), "not_started": self.tr("not started"),
                "cancelled": self.tr("cancelled")}.get(status, status)

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return "" if item is None else item.text()


def _wrapped(text: str) -> QLabel:
    """A label that wraps in a narrow window instead of widening it."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return numbers.number(value, digits)
