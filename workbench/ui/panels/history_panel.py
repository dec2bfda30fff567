"""The History tab: every recorded run in a sortable, searchable table, and an overlay plot of
the selected runs' per-epoch curves.

The panel reads and edits the store directly (list, rename, delete, curves); what concerns the
window (showing a run in the main plots, putting its settings into the form) leaves as signals.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.config import ModelKind, Optimizer, TrainConfig
from workbench.ui import numbers
from workbench.ui.comparison import optimizer_label
from workbench.ui.core_text import error_text
from workbench.ui.panels.data_panel import dataset_short_label
from workbench.ui.widgets import hint_label, name_widget, signals_blocked

if TYPE_CHECKING:
    from workbench.core.events import EpochEnded
    from workbench.core.history import HistoryStore, RunRecord

translate = QCoreApplication.translate
# Ten distinct colours (Tableau 10); beyond ten the pen style changes too.

PALETTE = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))
_STYLES = (Qt.SolidLine, Qt.DashLine, Qt.DotLine)
SEARCH_DELAY_MS = 200

# (EpochEnded field, scale): accuracies are shown in per cent.
METRICS = {"val_loss": ("val_loss", 1.0), "train_loss": ("train_loss", 1.0),
           "val_accuracy": ("val_accuracy", 100.0), "train_accuracy": ("train_accuracy", 100.0)}


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return numbers.number(value, digits)


def run_name(cfg: TrainConfig) -> str:
    """A new run's name in the history, in the window's language: what tells runs apart at a
    glance (data, model, layers, optimizer, learning rate, batch size, Dropout)."""
    model = {ModelKind.MLP: translate("HistoryPanel", "MLP"),
             ModelKind.CNN: translate("HistoryPanel", "CNN")}.get(cfg.model.kind, str(cfg.model.kind))
    sizes = cfg.model.channels if cfg.model.kind == ModelKind.CNN else cfg.model.hidden
    layers = "-".join(numbers.count(n) for n in sizes) or translate("HistoryPanel",
                                                                        "no hidden layers")
    if cfg.model.dropout or cfg.model.dropout_per_layer:
        rate = max(cfg.model.hidden_dropouts(), default=0.0)
        layers += translate("HistoryPanel", ", Dropout {rate}").format(
            rate=numbers.number(rate))
    # The Dropout rate right after the layers: what a Dropout comparison changes stays in view.
    name = translate("HistoryPanel", "{data} {model} {layers}, {optimizer}, learning rate {lr}, batch {batch}")
    return name.format(
        data=dataset_short_label(cfg.data.dataset), model=model, layers=layers,
        optimizer=_optimizer_text(cfg.optim.optimizer.value), lr=numbers.number(cfg.optim.lr),
        batch=numbers.count(cfg.run.batch_size))


class EpochAxis(pg.AxisItem):
    """An epoch axis: whole numbers only (there is no epoch 1.5)."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list:
        levels = [(spacing, offset) for spacing, offset in
                  super().tickSpacing(minVal, maxVal, size) if spacing >= 1]
        return levels or [(1.0, 0.0)]


class OverlayPlot(QWidget):
    """Per-epoch curves of several runs in distinct colours, with a legend and a metric choice."""

    metric_changed = Signal(str)

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.metric_combo = name_widget(QComboBox(), object_name + "Metric",
                                        self.tr("Curve to compare"))
        for key, label in (("val_loss", self.tr("Validation loss")),
                           ("train_loss", self.tr("Training loss")),
                           ("val_accuracy", self.tr("Validation accuracy (%)")),
                           ("train_accuracy", self.tr("Training accuracy (%)"))):
            self.metric_combo.addItem(label, key)
        self.metric_combo.currentIndexChanged.connect(self._on_metric_combo_changed)
        self.log_check = name_widget(QCheckBox(self.tr("Log scale")), object_name + "LogCheck",
                                     self.tr("Logarithmic loss axis"))
        self.log_check.setToolTip(self.tr("Small differences between low losses show better "
                                          "on a logarithmic axis"))
        self.log_check.toggled.connect(self._redraw)
        self.plot = pg.PlotWidget(background="w",
                                  axisItems={"bottom": EpochAxis(orientation="bottom")})
        self.plot.setObjectName(object_name + "Plot")
        item = self.plot.plotItem
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("bottom", self.tr("Epoch"))
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen((60, 60, 60))
            item.getAxis(axis).setPen((150, 150, 150))
            item.getAxis(axis).enableAutoSIPrefix(False)
        # See-through: curves behind the legend stay visible (it can be dragged away too).
        self._legend = item.addLegend(offset=(-10, 10), labelTextColor=(40, 40, 40),
                                      brush=pg.mkBrush(255, 255, 255, 150))
        self.note = hint_label()
        self._runs: list[tuple[str, list[EpochEnded]]] = []
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Compare:")))
        top.addWidget(self.metric_combo)
        top.addWidget(self.log_check)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        self._redraw()

    @property
    def metric(self) -> str:
        return str(self.metric_combo.currentData())

    def set_metric(self, metric: str) -> None:
        self.metric_combo.setCurrentIndex(self.metric_combo.findData(metric))

    def set_runs(self, runs: Sequence[tuple[str, list[EpochEnded]]]) -> None:
        """``(legend label, epochs)`` per run, drawn in this order's colours."""
        self._runs = [(label, list(epochs)) for label, epochs in runs]
        self._redraw()

    def curves(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """What is drawn: legend label -> (epochs, values)."""
        return {label: tuple(np.asarray(a) for a in curve.getData())
                for label, curve in self._drawn}

    def _on_metric_combo_changed(self) -> None:
        self._redraw()
        self.metric_changed.emit(self.metric)

    def _redraw(self) -> None:
        item = self.plot.plotItem
        item.clear()
        self._legend.clear()
        self._drawn: list[tuple[str, pg.PlotDataItem]] = []
        name, scale = METRICS[self.metric]
        # Accuracy stays on its plain 0-100 % scale.
        log_y = self.log_check.isChecked() and scale == 1.0
        item.setLogMode(False, log_y)
        self.log_check.setEnabled(scale == 1.0)
        item.setLabel("left", self.metric_combo.currentText())
        missing = []
        for i, (label, epochs) in enumerate(self._runs):
            x = np.array([e.epoch for e in epochs], dtype=np.float64)
            y = np.array([np.nan if getattr(e, name) is None else getattr(e, name) * scale
                          for e in epochs], dtype=np.float64)
            if log_y:
                y[y <= 0] = np.nan  # no logarithm: a gap instead of an infinite axis
            if not np.isfinite(y).any():
                missing.append(label)
                continue
            color = PALETTE[i % len(PALETTE)]
            pen = pg.mkPen(color, width=2, style=_STYLES[(i // len(PALETTE)) % len(_STYLES)])
            curve = item.plot(x, y, pen=pen, name=label, connect="finite",
                              symbol="o" if len(x) <= 60 else None, symbolSize=5,
                              symbolPen=None, symbolBrush=pg.mkBrush(color))
            self._drawn.append((label, curve))
        if not self._runs:
            self.note.setText(self.tr("Select runs to overlay their curves."))
        elif missing:
            self.note.setText(self.tr("Not recorded for: {runs}").format(runs=", ".join(missing)))
        else:
            self.note.setText("")
        self.note.setVisible(bool(self.note.text()))
        item.enableAutoRange()


class _SortItem(QTableWidgetItem):
    """A cell shown as text and sorted by a number (or text) key."""

    def __init__(self, text: str, key: object = None) -> None:
        super().__init__(text)
        self._key = text.lower() if key is None else key
        self.setFlags(self.flags() & ~Qt.ItemIsEditable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self._key, getattr(other, "_key", other.text())
        # Empty cells (None) sort before any value, whatever the column's type.
        if mine is None or theirs is None:
            return mine is None and theirs is not None
        try:
            return mine < theirs
        except TypeError:
            return str(mine) < str(theirs)


class HistoryPanel(QWidget):
    """The runs recorded in the history, with search, rename, delete and overlay."""

    show_in_plots_requested = Signal(int)  # run id
    restore_requested = Signal(int)  # run id
    reset_requested = Signal()  # start a new history in place of a damaged one
    runs_deleted = Signal(list)  # run ids

    NAME, STARTED, STATUS, DATA, OPTIMIZER, BATCH, EPOCHS, TRAIN_LOSS, VAL_LOSS, ACCURACY, \
        SECONDS, DEVICE, COMPARISON = range(13)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self._store: HistoryStore | None = None
        self._records: dict[int, RunRecord] = {}
        self._filling = False
        self._stale = True  # the list is re-read when next shown or asked for
        self.active_run_id: int | None = None  # being recorded: not deletable
        self._build()

    def _build(self) -> None:
        self.message_label = name_widget(QLabel(), "historyMessage", self.tr("History problem"))
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(
            "background: #fdecea; color: #611a15; border: 1px solid #f5c6cb; padding: 6px;")
        self.reset_button = name_widget(QPushButton(self.tr("Start a new history")),
                                        "historyResetButton", self.tr("Start a new history"))
        self.reset_button.clicked.connect(self.reset_requested)
        banner = QHBoxLayout()
        banner.addWidget(self.message_label, 1)
        banner.addWidget(self.reset_button)
        self.search_edit = name_widget(QLineEdit(), "historySearch", self.tr("Search runs"))
        self.search_edit.setPlaceholderText(self.tr("Search: name, data, optimizer, status..."))
        self.search_edit.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.show_button = name_widget(QPushButton(self.tr("Show in plots")),
                                       "historyShowButton", self.tr("Show the run in the plots"))
        self.show_button.setToolTip(self.tr("Show the run's curves in the Training tab's plots"))
        self.restore_button = name_widget(QPushButton(self.tr("Restore settings")),
                                          "historyRestoreButton",
                                          self.tr("Restore the run's settings"))
        self.restore_button.setToolTip(self.tr("Put the run's settings into the form"))
        self.delete_button = name_widget(QPushButton(self.tr("Delete...")),
                                         "historyDeleteButton", self.tr("Delete runs"))
        self.show_button.clicked.connect(self._on_show_clicked)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 1)
        for button in (self.show_button, self.restore_button, self.delete_button):
            bar.addWidget(button)

        self._make_table()
        self.details = name_widget(hint_label(), "historyDetails", self.tr("Run details"))
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.overlay = OverlayPlot("historyOverlay")
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.details)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.overlay)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(banner)
        layout.addWidget(splitter, 1)
        self.set_problem("")
        self._update_buttons()

    def _make_table(self) -> None:
        self.table = name_widget(QTableWidget(0, 13), "historyTable", self.tr("Recorded runs"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Started"), self.tr("Status"), self.tr("Data"),
            self.tr("Optimizer"), self.tr("Batch size"), self.tr("Epochs"),
            self.tr("Training loss"), self.tr("Validation loss"), self.tr("Accuracy (%)"),
            self.tr("Seconds"), self.tr("Device"), self.tr("Comparison")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked
                                   | QAbstractItemView.EditKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.STARTED, Qt.DescendingOrder)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        delete = QShortcut(QKeySequence.Delete, self.table)
        delete.setContext(Qt.WidgetShortcut)
        delete.activated.connect(self.delete_selected)

    # -- the store ---------------------------------------------------------------------------
    def set_store(self, store: HistoryStore | None) -> None:
        self._store = store
        self.mark_stale()

    def mark_stale(self) -> None:
        """The list changed: re-read it now if it is on screen, else when it is shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ensure_fresh()

    def _ensure_fresh(self) -> None:
        if self._stale:
            self.refresh()

    def set_problem(self, message: str, can_reset: bool = False) -> None:
        """Show why the history does not work ("" hides the banner)."""
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))
        self.reset_button.setVisible(bool(message) and can_reset)

    @property
    def problem(self) -> str:
        return self.message_label.text()

    def refresh(self) -> None:
        """Re-read the list (keeps the selection and the sort order)."""
        self._search_timer.stop()
        self._stale = False
        from workbench.core.history import HistoryError

        records: list[RunRecord] = []
        if self._store is not None:
            try:
                records = self._store.list_runs(self.search_edit.text())
            except HistoryError as exc:
                self.set_problem(error_text(exc))
        selected = set(self.selected_ids())
        self._records = {r.id: r for r in records}
        self._filling = True
        table = self.table
        table.setSortingEnabled(False)
        with signals_blocked(table):
            table.setRowCount(len(records))
            now = time.time()
            for row, record in enumerate(records):
                for column, item in enumerate(self._row_items(record, now)):
                    table.setItem(row, column, item)
        table.setSortingEnabled(True)
        self._filling = False
        self.select_ids(selected)
        if records:
            table.resizeColumnsToContents()
            table.setColumnWidth(self.NAME, min(max(table.columnWidth(self.NAME), 180), 480))
        self._on_table_selection_changed()

    def _row_items(self, r: RunRecord, now: float) -> list[QTableWidgetItem]:
        name = QTableWidgetItem(r.name)
        name.setData(Qt.UserRole, r.id)
        name.setFlags(name.flags() | Qt.ItemIsEditable)
        name.setToolTip(self.tr("Double-click to rename"))
        started = _SortItem(time.strftime("%Y-%m-%d %H:%M", time.localtime(r.started_at)),
                            r.started_at)
        status = _SortItem(self._status_text(
            "running" if r.id == self.active_run_id else r.display_status(now)))
        dataset = dataset_short_label(r.dataset)
        data = _SortItem(dataset if r.train_samples is None else self.tr(
            "{data} ({n} samples)").format(data=dataset,
                                           n=numbers.count((r.train_samples or 0)
                                                           + (r.val_samples or 0))))
        accuracy = None if r.final_val_accuracy is None else 100.0 * r.final_val_accuracy
        epochs = (f"{numbers.count(r.epochs_completed)}/{numbers.count(r.epochs_planned)}"
                  if r.epochs_planned else numbers.count(r.epochs_completed))
        comparison = r.comparison if not r.comparison_value else \
            f"{r.comparison} ({r.comparison_value})"
        return [
            name, started, status, data, _SortItem(_optimizer_text(r.optimizer)),
            _SortItem(numbers.count(r.batch_size) if r.batch_size else "", r.batch_size),
            _SortItem(epochs, r.epochs_completed),
            _SortItem(_fmt(r.final_train_loss), r.final_train_loss),
            _SortItem(_fmt(r.final_val_loss), r.final_val_loss),
            _SortItem(_fmt(accuracy, 3), accuracy),
            _SortItem("" if r.seconds is None else f"{r.seconds:.1f}", r.seconds),
            _SortItem(r.device_name or r.device), _SortItem(comparison)]

    def _status_text(self, status: str) -> str:
        return {"running": self.tr("running"), "completed": self.tr("completed"),
                "stopped": self.tr("stopped"), "early_stopped": self.tr("early stopped"),
                "failed": self.tr("failed"), "interrupted": self.tr("interrupted")
                }.get(status, status)

    # -- selection -------------------------------------------------------------------------------
    def row_of(self, run_id: int) -> int:
        self._ensure_fresh()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, self.NAME)
            if item is not None and item.data(Qt.UserRole) == run_id:
                return row
        return -1

    def listed_ids(self) -> list[int]:
        """Run ids in the order shown."""
        self._ensure_fresh()
        return [int(self.table.item(row, self.NAME).data(Qt.UserRole))
                for row in range(self.table.rowCount())]

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [int(self.table.item(row, self.NAME).data(Qt.UserRole)) for row in rows]

    def select_ids(self, run_ids: Sequence[int] | set[int]) -> None:
        self._ensure_fresh()
        table = self.table
        with signals_blocked(table.selectionModel()):
            table.clearSelection()
            for run_id in run_ids:
                row = self.row_of(run_id)
                if row >= 0:
                    table.selectionModel().select(
                        table.model().index(row, 0),
                        QItemSelectionModel.Select | QItemSelectionModel.Rows)
        self._on_table_selection_changed()

    def _on_table_selection_changed(self) -> None:
        if self._filling:
            return
        self._update_buttons()
        self._update_overlay()
        self._update_details()

    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        self.show_button.setEnabled(len(ids) == 1)
        self.restore_button.setEnabled(len(ids) == 1)
        self.delete_button.setEnabled(bool(ids))

    def _update_overlay(self) -> None:
        from workbench.core.history import HistoryError

        runs = []
        if self._store is not None:
            try:
                for run_id in self.selected_ids():
                    runs.append((self._records[run_id].name, self._store.load_epochs(run_id)))
            except HistoryError as exc:
                self.set_problem(error_text(exc))
        self.overlay.set_runs(runs)

    def _update_details(self) -> None:
        ids = self.selected_ids()
        record = self._records.get(ids[0]) if len(ids) == 1 else None
        if record is None:
            self.details.setText(self.tr("{n} runs selected").format(n=len(ids)) if ids else "")
            return
        parts = [self.tr("Run #{id}").format(id=record.id)]
        if record.parent_id is not None:
            parts.append(self.tr("continues run #{id}").format(id=record.parent_id))
        if record.train_samples is not None:
            parts.append(self.tr("{train} training / {val} validation samples").format(
                train=numbers.count(record.train_samples),
                val=numbers.count(record.val_samples or 0)))
        if record.iterations_per_epoch:
            parts.append(self.tr("{ipe} iterations per epoch").format(
                ipe=numbers.count(record.iterations_per_epoch)))
        if record.best_epoch is not None:
            parts.append(self.tr("best epoch {epoch}").format(epoch=record.best_epoch))
        if record.data_path:
            parts.append(record.data_path)
        if record.data_fingerprint:
            parts.append(record.data_fingerprint[:24])
        if record.message:
            parts.append(record.message)
        self.details.setText(" · ".join(parts))

    # -- actions ---------------------------------------------------------------------------------
    def _on_show_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.show_in_plots_requested.emit(ids[0])

    def _on_table_double_clicked(self, index: object) -> None:
        if index.column() != self.NAME:  # double-clicking the name renames it
            self._on_show_clicked()

    def _on_restore_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.restore_requested.emit(ids[0])

    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != self.NAME or self._store is None:
            return
        from workbench.core.history import HistoryError

        run_id = int(item.data(Qt.UserRole))
        name = item.text().strip()
        record = self._records.get(run_id)
        if not name and record is not None:  # an empty name is not a name: keep the old one
            with signals_blocked(self.table):
                item.setText(record.name)
            return
        try:
            self._store.rename(run_id, name)
        except HistoryError as exc:
            self.set_problem(error_text(exc))
            return
        self.refresh()

    def delete_selected(self) -> QMessageBox | None:
        """Ask, then delete the selected runs; returns the question box (opened, not exec'd)."""
        ids = [i for i in self.selected_ids() if i != self.active_run_id]
        if len(ids) < len(self.selected_ids()):
            self.details.setText(self.tr("The run being recorded cannot be deleted until it "
                                         "ends."))
        if not ids or self._store is None:
            return None
        if len(ids) == 1:
            text = self.tr("Delete the run \u201c{name}\u201d from the history?").format(
                name=self._records[ids[0]].name)
        else:
            text = self.tr("Delete {n} runs from the history?").format(n=len(ids))
        box = QMessageBox(QMessageBox.Question, self.tr("Delete runs"), text,
                          QMessageBox.Yes | QMessageBox.No, self)
        box.setObjectName("historyDeleteBox")
        box.setInformativeText(self.tr("Their curves and settings are removed for good."))
        box.setDefaultButton(QMessageBox.No)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModal)
        box.buttonClicked.connect(
            lambda button: self._on_delete_answered(box.standardButton(button), ids))
        box.open()
        return box

    def _on_delete_answered(self, answer: QMessageBox.StandardButton, ids: list[int]) -> None:
        if answer != QMessageBox.Yes or self._store is None:
            return
        from workbench.core.history import HistoryError

        try:
            self._store.delete(ids)
        except HistoryError as exc:
            self.set_problem(error_text(exc))
            return
        self.refresh()
        self.runs_deleted.emit(ids)


def _optimizer_text(key: str | None) -> str:
    """The optimizer as the form names it ("Adam"); a key this version does not know as is."""
    try:
        return optimizer_label(Optimizer(key))
    except ValueError:
        return key or ""
