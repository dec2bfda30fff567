"""Try the model: its summary, a clickable map for 2-D data, a row editor for tables, CSV files,
and for image models a drawing pad with pictures opened, dropped or pasted (``try_image``).

A model trained on a table file gets one field per raw column of its preprocessing (numbers,
categories, dates, as in the file), started from a validation row when the run's data is at
hand; the prediction follows every change, made by the model's own ``predict_table`` on a
one-row table. Other models with more than two inputs get one editable row of numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.config import SYNTHETIC_DATASETS
from workbench.core.evaluation import format_value
from workbench.errors import WorkbenchError
from workbench.ui import numbers
from workbench.ui.core_text import class_name_text, error_text
from workbench.ui.panels.data_panel import dataset_label
from workbench.ui.panels.try_image import ImageTryPage, ProbabilityBars
from workbench.ui.widgets import name_widget, signals_blocked

if TYPE_CHECKING:
    from workbench.core.data import PreparedData
    from workbench.core.modelfile import Prediction, TrainedModel
    from workbench.core.preprocess import FittedColumn, TablePreprocessor, TransformReport

CLASS_COLORS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
GRID = 160  # decision-map resolution: 25,600 predictions, a few milliseconds on a CPU
MAX_POINTS = 4000  # data points drawn on the map
MAX_TABLE_FEATURES = 200


def class_color(index: int) -> tuple[int, int, int]:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


# Field widgets of the table-row editor: a column's kind decides the widget.
NUMERIC, CATEGORICAL, DATE = "numeric", "categorical", "date"
_INVALID_STYLE = "border: 1px solid #c0392b;"
_LABEL_WIDTH = 220
_FIELD_WIDTH = 320


class TableRowEditor(QWidget):
    """One field per raw column of a table model: numbers, categories and dates as in the file.

    A number left empty is missing (the model fills in the training median); a category is
    picked from those seen in training or typed (anything else counts as "(other)"); a date is
    typed in the file's own format or as 2024-03-31. ``row()`` gives the one-row table's
    columns, or the first problem in words.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tableRowEditor")
        self._columns: list[FittedColumn] = []
        self._fields: dict[str, QLineEdit | QComboBox] = {}
        self._hidden: dict[str, object] = {}  # columns past MAX_TABLE_FEATURES keep their value
        self._na: frozenset[str] = frozenset()
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)

    @property
    def missing_text(self) -> str:
        return self.tr("(missing)")

    def field(self, column: str) -> QLineEdit | QComboBox:
        return self._fields[column]

    def column_names(self) -> list[str]:
        return [c.name for c in self._columns]

    def set_columns(self, pre: TablePreprocessor, values: dict[str, object]) -> None:
        """Fields for ``pre``'s columns, filled with ``values`` (raw values; None = missing)."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for col in range(self._grid.columnCount()):
            self._grid.setColumnStretch(col, 0)
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)
        self._columns = list(pre.columns)
        self._na = frozenset(pre.na_values)
        self._fields = {}
        shown = self._columns[:MAX_TABLE_FEATURES]
        blocks = 1 if len(shown) <= 6 else 2 if len(shown) <= 24 else 3
        per_column = math.ceil(len(shown) / blocks)
        metrics = self.fontMetrics()
        for i, col in enumerate(shown):
            field = self._make_field(col, i)
            # Plain text, cut in the middle when long: a column name is not markup, and the
            # whole name is in the tooltip.
            label = QLabel(metrics.elidedText(col.name, Qt.ElideMiddle, _LABEL_WIDTH))
            label.setTextFormat(Qt.PlainText)
            label.setToolTip(f"{col.name}\n{field.toolTip()}")
            label.setMaximumWidth(_LABEL_WIDTH)
            field.setMaximumWidth(_FIELD_WIDTH)
            row, block = i % per_column, i // per_column
            self._grid.addWidget(label, row, 2 * block, Qt.AlignRight | Qt.AlignVCenter)
            self._grid.addWidget(field, row, 2 * block + 1)
            self._grid.setColumnStretch(2 * block + 1, 1)
            self._fields[col.name] = field
        # Fields stop at a readable width; the rest of the row stays empty.
        self._grid.setColumnStretch(2 * blocks, 1)
        more = len(self._columns) - len(shown)
        if more:
            note = QLabel(self.tr("{n} more columns are not shown here; they keep the values "
                                  "of the row the fields started from.").format(n=more))
            note.setWordWrap(True)
            self._grid.addWidget(note, per_column, 0, 1, 2 * blocks)
        self._grid.setRowStretch(per_column + 1, 1)
        self.set_values(values)

    def _make_field(self, col: FittedColumn, index: int) -> QLineEdit | QComboBox:
        field: QLineEdit | QComboBox
        if col.kind == CATEGORICAL:
            field = QComboBox()
            field.setEditable(True)
            field.setInsertPolicy(QComboBox.NoInsert)
            field.addItems([*col.categories, self.missing_text])
            field.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            field.setMinimumContentsLength(8)
            field.setToolTip(self.tr(
                "A category: one of the {n} seen in training, or {missing}. Any other text "
                "counts as (other).").format(n=len(col.categories), missing=self.missing_text))
            field.currentTextChanged.connect(self._on_field_changed)
        else:
            field = QLineEdit()
            field.setClearButtonEnabled(True)
            if col.kind == NUMERIC:
                field.setPlaceholderText(self.missing_text)
                field.setToolTip(self.tr(
                    "A number. Left empty, it is missing: the model uses the training median, "
                    "{median}.").format(median=format_value(col.fill[0])))
            else:
                example = date_example(col.date_format, "hour" in col.parts)
                field.setPlaceholderText(self.tr("e.g. {example}").format(example=example))
                field.setToolTip(self.tr(
                    "A date, such as {example} (or written as 2024-03-31). Left empty, it is "
                    "missing.").format(example=example))
            field.textChanged.connect(self._on_field_changed)
        name_widget(field, f"predictField{index}", col.name)
        return field

    def set_values(self, values: dict[str, object]) -> None:
        """Fill every field from raw values (None = missing), then say ``changed`` once."""
        self._hidden = {c.name: values.get(c.name) for c in self._columns[MAX_TABLE_FEATURES:]}
        fields = list(self._fields.values())
        with signals_blocked(*fields):
            for col in self._columns[:MAX_TABLE_FEATURES]:
                field = self._fields[col.name]
                text = self.value_text(col, values.get(col.name))
                if isinstance(field, QComboBox):
                    field.setCurrentText(text)
                else:
                    field.setText(text)
                field.setStyleSheet("")
        self.changed.emit()

    def set_text(self, column: str, text: str) -> None:
        """Type ``text`` into a column's field (as a person would; ``changed`` follows)."""
        field = self._fields[column]
        if isinstance(field, QComboBox):
            field.setCurrentText(text)
        else:
            field.setText(text)

    def text(self, column: str) -> str:
        field = self._fields[column]
        return field.currentText() if isinstance(field, QComboBox) else field.text()

    def value_text(self, col: FittedColumn, value: object) -> str:
        """A raw value as its field shows it."""
        if col.kind == CATEGORICAL:
            return self.missing_text if value is None else str(value)
        if value is None:
            return ""
        if col.kind == NUMERIC:
            return number_text(float(value))  # type: ignore[arg-type]
        return date_text(value, col.date_format)  # type: ignore[arg-type]

    def _on_field_changed(self) -> None:
        self.changed.emit()

    def row(self) -> tuple[dict[str, np.ndarray] | None, str]:
        """The one-row table's columns (float64 numbers with NaN for missing; text or None for
        categories and dates), or ``(None, problem)`` naming the first field that cannot be
        read."""
        columns: dict[str, np.ndarray] = {}
        problem = ""
        for col in self._columns:
            if col.name in self._hidden:
                value = self._hidden[col.name]
                if col.kind == NUMERIC:
                    columns[col.name] = np.array([np.nan if value is None else value],
                                                 dtype=np.float64)
                else:
                    text = None if value is None else self.value_text(col, value)
                    columns[col.name] = np.array([text], dtype=object)
                continue
            field = self._fields[col.name]
            text = self.text(col.name).strip()
            try:
                columns[col.name] = self._read(col, text)
                field.setStyleSheet("")
            except ValueError as exc:
                field.setStyleSheet(_INVALID_STYLE)
                problem = problem or str(exc)
        return (None, problem) if problem else (columns, "")

    def _read(self, col: FittedColumn, text: str) -> np.ndarray:
        if col.kind == CATEGORICAL:
            if text in col.categories:
                return np.array([text], dtype=object)
            missing = not text or text == self.missing_text or text in self._na
            return np.array([None if missing else text], dtype=object)
        if not text or text in self._na:
            return np.array([None], dtype=object) if col.kind == DATE else np.array([np.nan])
        if col.kind == NUMERIC:
            number = parse_number(text)
            if number is None:
                raise ValueError(self.tr("{column}: \u201c{text}\u201d is not a number. Leave "
                                         "it empty for a missing value.").format(
                    column=col.name, text=text))
            return np.array([number], dtype=np.float64)
        normalised = normalise_date(text, col.date_format)
        if normalised is None:
            raise ValueError(self.tr("{column}: \u201c{text}\u201d is not a date such as "
                                     "{example}.").format(
                column=col.name, text=text,
                example=date_example(col.date_format, "hour" in col.parts)))
        return np.array([normalised], dtype=object)


class PredictPanel(QWidget):
    """Shows a trained or opened model and lets a person try it."""

    predict_csv_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: TrainedModel | None = None
        self._data_x: np.ndarray | None = None
        self._data: PreparedData | None = None  # a table model's run data, for its rows
        self._data_unfit = False  # data came that was not made for the model's columns
        # The 2-D map waits for the tab to be shown: drawing it costs a few tenths of a second
        # on the window's thread, too much after every run of a comparison nobody looks at.
        self._map_pending: tuple[TrainedModel, PreparedData | None] | None = None
        self._row_values: dict[str, object] = {}  # the validation row the fields started from
        self.last_prediction: Prediction | None = None  # what the fields show now
        self.last_report: TransformReport | None = None

        self.empty_label = QLabel(self.tr(
            "Train a model (Start) or open one (File > Open model...) to try it here."))
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.summary_box = QGroupBox(self.tr("Model"))
        self.summary_grid = QGridLayout(self.summary_box)
        self.summary_grid.setHorizontalSpacing(16)

        # Image models: draw, open, drop or paste a picture; the bars follow.
        self.image_page = ImageTryPage()
        self.image_page.predicted.connect(self._on_image_predicted)
        self.image_page.failed.connect(self._on_image_failed)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_map_page())
        self.pages.addWidget(self._build_row_page())
        self.pages.addWidget(self.image_page)
        self.pages.addWidget(self._build_fields_page())

        self.result_label = name_widget(QLabel(), "predictionLabel", self.tr("Prediction"))
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.result_label.setStyleSheet("font-size: 11pt;")
        self.predict_csv_button = name_widget(QPushButton(self.tr("Predict CSV...")),
                                              "predictCsvButton",
                                              self.tr("Predict every row of a CSV file"))
        self.predict_csv_button.clicked.connect(self.predict_csv_requested)
        bottom = QHBoxLayout()
        bottom.addWidget(self.result_label, 1)
        bottom.addWidget(self.predict_csv_button, 0, Qt.AlignTop | Qt.AlignRight)
        self._bottom = bottom

        self.content = QWidget()
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.summary_box)
        content_layout.addWidget(self.pages, 1)
        content_layout.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.content, 1)
        self.set_model(None)

    def _build_map_page(self) -> QWidget:
        # 2-D data: decision regions under the data; click anywhere to predict that point.
        self.map_plot = name_widget(pg.PlotWidget(background="w"), "predictPlot",
                                    self.tr("Prediction map"))
        self.map_plot.setMenuEnabled(False)
        self.map_plot.setAspectLocked(False)
        self._image = pg.ImageItem()
        self._image.setZValue(-10)
        self.map_plot.addItem(self._image)
        self._points = pg.ScatterPlotItem(size=5, pen=pg.mkPen(255, 255, 255, 160, width=0.5))
        self.map_plot.addItem(self._points)
        self._probe = pg.ScatterPlotItem(size=14, symbol="x", pen=pg.mkPen("k", width=2),
                                         brush=pg.mkBrush(0, 0, 0))
        self.map_plot.addItem(self._probe)
        self.map_plot.scene().sigMouseClicked.connect(self._on_map_clicked)
        map_hint = QLabel(self.tr("Click anywhere on the map to see what the model predicts "
                                  "there. Colours: the predicted class, paler where it is "
                                  "less sure."))
        map_hint.setWordWrap(True)
        map_page = QWidget()
        map_layout = QVBoxLayout(map_page)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addWidget(map_hint)
        map_layout.addWidget(self.map_plot, 1)
        return map_page

    def _build_row_page(self) -> QWidget:
        # Tables: one editable row of raw inputs.
        self.row_table = name_widget(QTableWidget(1, 0), "predictRowTable",
                                     self.tr("Inputs to predict"))
        self.row_table.setMaximumHeight(90)
        self.predict_row_button = name_widget(QPushButton(self.tr("Predict this row")),
                                              "predictRowButton", self.tr("Predict this row"))
        self.predict_row_button.clicked.connect(self.predict_row)
        row_page = QWidget()
        row_layout = QVBoxLayout(row_page)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(QLabel(self.tr("Type the inputs (raw values, as in the data "
                                            "file) and predict:")))
        row_layout.addWidget(self.row_table)
        row_layout.addWidget(self.predict_row_button, 0, Qt.AlignLeft)
        row_layout.addStretch(1)
        return row_page

    def _build_fields_page(self) -> QWidget:
        self.row_editor = TableRowEditor()
        self.row_editor.changed.connect(self._on_row_editor_changed)
        self.fields_hint = QLabel(self.tr(
            "Change any input: the prediction below follows. A number left empty, or "
            "(missing), is a missing value, filled in as in training."))
        self.fields_hint.setWordWrap(True)
        self.val_row_spin = name_widget(QSpinBox(), "validationRowSpin",
                                        self.tr("Validation row to start from"))
        self.val_row_spin.setMinimum(1)
        self.val_row_spin.valueChanged.connect(self._on_val_row_changed)
        self.val_row_label = name_widget(QLabel(), "validationRowLabel",
                                         self.tr("The validation row's actual value"))
        self.val_row_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.val_row_box = QWidget()
        row_line = QHBoxLayout(self.val_row_box)
        row_line.setContentsMargins(0, 0, 0, 0)
        row_line.addWidget(QLabel(self.tr("Start from validation row")))
        row_line.addWidget(self.val_row_spin)
        row_line.addWidget(self.val_row_label, 1)
        scroll = name_widget(QScrollArea(), "predictFieldsScroll", self.tr("Inputs to predict"))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.row_editor)
        # New fields or a larger font: the height they need changes with their layout.
        self.row_editor.installEventFilter(self)
        # The fields on the tab's own background, not the darker one of a scroll area.
        scroll.viewport().setAutoFillBackground(False)
        self.row_editor.setAutoFillBackground(False)
        self.fields_scroll = scroll
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.fields_hint)
        layout.addWidget(self.val_row_box)
        layout.addWidget(scroll, 1)
        # The prediction sits right under the fields it follows (set_model moves it here).
        self._fields_result = QVBoxLayout()
        layout.addLayout(self._fields_result)
        # A classifier's probabilities as bars under the sentence, as for pictures.
        self.fields_bars = ProbabilityBars()
        self.fields_bars.setObjectName("tryTableProbabilityBars")
        self.fields_bars.setMaximumWidth(640)
        layout.addWidget(self.fields_bars)
        layout.addStretch(0)
        self.fields_page = page
        return page

    def _place_result(self, under_fields: bool) -> None:
        label = self.result_label
        if (self._fields_result.indexOf(label) >= 0) == under_fields:
            return
        # Taken out first: adding a widget that is in another layout makes Qt complain.
        self._fields_result.removeWidget(label)
        self._bottom.removeWidget(label)
        if under_fields:
            self._fields_result.addWidget(label)
        else:
            self._bottom.insertWidget(0, label, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.row_editor and event.type() == QEvent.LayoutRequest:
            self._fit_fields()
        return super().eventFilter(watched, event)

    def _fit_fields(self) -> None:
        """The fields take the height they need (scrolling past what the tab has), so that
        the prediction stays right under them."""
        scroll = self.fields_scroll
        bar = scroll.style().pixelMetric(QStyle.PM_ScrollBarExtent, None, scroll)
        scroll.setMaximumHeight(self.row_editor.sizeHint().height() + bar
                                + 2 * scroll.frameWidth() + 2)

    @property
    def has_data(self) -> bool:
        """True when the view shows the run's data where it can: the 2-D map its points, a
        table model's fields a validation row (other models need none)."""
        page = self.pages.currentWidget()
        if page is self.fields_page:
            # Data made for other columns will not fit later either: nothing more to wait for.
            return self._data is not None or self._data_unfit
        return self._data_x is not None or self.pages.currentIndex() != 0

    # -- model ---------------------------------------------------------------------------------
    def set_model(self, model: TrainedModel | None, data: PreparedData | None = None) -> None:
        """Show ``model``; ``data`` (its training data, when known) is drawn on the 2-D map."""
        self.model = model
        self.image_page.stop()
        self.empty_label.setVisible(model is None)
        self.content.setVisible(model is not None)
        self.result_label.setText("")
        self._probe.setData([], [])
        self._data_x = None
        self._data = None
        self._data_unfit = False
        self.last_prediction = self.last_report = None
        self._map_pending = None
        if model is None:
            return
        self._fill_summary(model)
        tabular = len(model.input_shape) == 1
        self.predict_csv_button.setEnabled(tabular)
        self.predict_csv_button.setVisible(tabular)
        self._place_result(under_fields=False)
        if tabular and model.input_shape[0] == 2 and _plain_numbers(model):
            self.pages.setCurrentIndex(0)
            self._data_x = _raw_points(data, model)
            self._map_pending = (model, data)
            self._draw_map_if_shown()
        elif tabular and model.preprocess is not None:
            self.pages.setCurrentWidget(self.fields_page)
            self._place_result(under_fields=True)
            classifier = model.task == "classification"
            self.fields_bars.setVisible(classifier)
            if classifier:
                self.fields_bars.set_classes([_class_name(model, n) for n in model.class_names])
            self._fill_fields(model, data)
            self._fit_fields()
        elif tabular:
            self.pages.setCurrentIndex(1)
            self._fill_row(model)
        else:
            self.pages.setCurrentWidget(self.image_page)
            self.image_page.set_model(model, [_class_name(model, n) for n in model.class_names])

    def _fill_summary(self, model: TrainedModel) -> None:
        while self.summary_grid.count():
            item = self.summary_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        s = model.summary
        cfg = model.config
        rows: list[tuple[str, str]] = [
            (self.tr("Data set"), dataset_label(str(s.get("dataset", cfg.data.dataset)))),
            (self.tr("Task"), self.tr("classification into {n} classes").format(
                n=len(model.class_names)) if model.task == "classification"
             else self.tr("regression")),
            (self.tr("Network"), self.tr("{kind}, hidden layers {hidden}, {params} parameters")
             .format(kind=cfg.model.kind.value.upper(),
                     hidden=",".join(map(str, cfg.model.hidden)) or "–",
                     params=f"{model.parameters:,}")),
            (self.tr("Trained"), self.tr("{epochs} epochs, {iterations} iterations, {seconds} s "
                                         "on {device}").format(
                epochs=s.get("epochs", "?"), iterations=f"{s.get('iterations', 0):,}",
                seconds=f"{float(s.get('seconds', 0.0)):.1f}", device=s.get("device", "?"))),
        ]
        metrics = []
        for key, label in (("train_loss", self.tr("training loss")),
                           ("val_loss", self.tr("validation loss"))):
            value = s.get(key)
            if value is not None:
                metrics.append(f"{label} {numbers.number(float(value), 4)}")
        if s.get("val_accuracy") is not None:
            metrics.append(self.tr("validation accuracy {acc} %").format(
                acc=f"{100 * float(s['val_accuracy']):.1f}"))
        if s.get("best_epoch"):
            metrics.append(self.tr("best epoch {epoch}").format(epoch=s["best_epoch"]))
        if metrics:
            rows.append((self.tr("Results"), ", ".join(metrics)))
        for r, (name, value) in enumerate(rows):
            key = QLabel(f"<b>{name}</b>")
            text = QLabel(value)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self.summary_grid.addWidget(key, r, 0, Qt.AlignTop)
            self.summary_grid.addWidget(text, r, 1)
        self.summary_grid.setColumnStretch(1, 1)

    # -- image models -------------------------------------------------------------------------
    def _on_image_predicted(self, pred: Prediction, where: str) -> None:
        self.last_prediction = pred
        self.result_label.setText(self._describe(pred, where))

    def _on_image_failed(self, message: str) -> None:
        self.result_label.setText(message)

    # -- 2-D map ------------------------------------------------------------------------------
    @property
    def map_pending(self) -> bool:
        """True while the 2-D map of the current model waits for the tab to be shown."""
        return self._map_pending is not None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._draw_map_if_shown()

    def _draw_map_if_shown(self) -> None:
        if self._map_pending is None or not self.isVisible():
            return
        model, data = self._map_pending
        self._map_pending = None
        self._draw_map(model, data)

    def _draw_map(self, model: TrainedModel, data: PreparedData | None) -> None:
        pts = self._data_x
        if pts is not None and len(pts):
            lo, hi = pts.min(axis=0), pts.max(axis=0)
        else:
            center = np.asarray(model.mean, dtype=np.float64).reshape(-1)[:2]
            spread = 3 * np.asarray(model.std, dtype=np.float64).reshape(-1)[:2]
            lo, hi = center - spread, center + spread
        pad = 0.08 * np.maximum(hi - lo, 1e-6)
        lo, hi = lo - pad, hi + pad
        gx = np.linspace(lo[0], hi[0], GRID)
        gy = np.linspace(lo[1], hi[1], GRID)
        xx, yy = np.meshgrid(gx, gy, indexing="ij")  # image[x, y]: pyqtgraph's column-major
        grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
        pred = model.predict(grid)
        if pred.proba is not None:
            # A diverged model outputs NaN: those points stay white instead of breaking the map.
            finite = np.isfinite(pred.proba).all(axis=1)
            proba = np.nan_to_num(pred.proba, nan=0.0, posinf=0.0, neginf=0.0)
            k = proba.shape[1]
            conf = proba.max(axis=1)
            strength = 0.18 + 0.5 * np.clip((conf - 1 / k) / (1 - 1 / k), 0, 1)
            strength[~finite] = 0.0
            colors = np.array([class_color(i) for i in range(k)], dtype=np.float64)
            chosen = colors[proba.argmax(axis=1)]
            rgb = 255 * (1 - strength[:, None]) + chosen * strength[:, None]
        else:
            values = np.asarray(pred.labels, dtype=np.float64)
            finite = np.isfinite(values)
            lo = values[finite].min() if finite.any() else 0.0
            span = (values[finite].max() - lo) if finite.any() else 1.0
            t = np.where(finite, (values - lo) / (span or 1.0), 0.0)[:, None]
            rgb = (1 - t) * np.array([222, 235, 247]) + t * np.array([8, 81, 156])
        image = rgb.reshape(GRID, GRID, 3).astype(np.uint8)
        self._image.setImage(image, levels=(0, 255))
        self._image.setRect(QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]))
        if pts is not None and len(pts) and data is not None and model.task == "classification":
            labels = np.asarray(data.y_train)[: len(pts)]
            brushes = [pg.mkBrush(*class_color(int(c))) for c in labels]
            self._points.setData(pts[:, 0], pts[:, 1], brush=brushes)
        elif pts is not None and len(pts):
            self._points.setData(pts[:, 0], pts[:, 1], brush=pg.mkBrush(60, 60, 60, 160))
        else:
            self._points.setData([], [])
        self.map_plot.setRange(xRange=(lo[0], hi[0]), yRange=(lo[1], hi[1]), padding=0)
        names = list(model.feature_names) or ["x1", "x2"]
        self.map_plot.setLabel("bottom", names[0])
        self.map_plot.setLabel("left", names[1] if len(names) > 1 else "x2")

    def _on_map_clicked(self, event: object) -> None:
        if self.model is None or self.pages.currentIndex() != 0:
            return
        pos = event.scenePos()  # type: ignore[attr-defined]
        vb = self.map_plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(pos):
            return
        point: QPointF = vb.mapSceneToView(pos)
        self.predict_point(point.x(), point.y())

    def predict_point(self, x: float, y: float) -> Prediction | None:
        """Predict at (x, y) in the data's own units; show the answer and mark the point."""
        if self.model is None:
            return None
        pred = self.model.predict(np.array([[x, y]], dtype=np.float32))
        self._probe.setData([x], [y])
        self.result_label.setText(self._describe(pred, self.tr("At ({x}, {y})").format(
            x=numbers.number(x), y=numbers.number(y))))
        return pred

    # -- table row ---------------------------------------------------------------------------
    def _fill_row(self, model: TrainedModel) -> None:
        names = list(model.feature_names) or [f"x{i + 1}" for i in range(model.input_shape[0])]
        names = names[:MAX_TABLE_FEATURES]
        mean = np.asarray(model.mean, dtype=np.float64).reshape(-1)
        self.row_table.clear()
        self.row_table.setColumnCount(len(names))
        self.row_table.setHorizontalHeaderLabels(names)
        for j in range(len(names)):
            value = float(mean[j]) if j < len(mean) else 0.0
            self.row_table.setItem(0, j, QTableWidgetItem(_field_number(value, 4)))
        self.row_table.resizeColumnsToContents()

    def predict_row(self) -> Prediction | None:
        if self.model is None:
            return None
        n = self.model.input_shape[0]
        values = np.zeros((1, n), dtype=np.float32)
        for j in range(min(n, self.row_table.columnCount())):
            item = self.row_table.item(0, j)
            text = item.text().strip() if item is not None else ""
            try:
                values[0, j] = float(text)
            except ValueError:
                name = self.row_table.horizontalHeaderItem(j).text()
                self.result_label.setText(self.tr("{column}: {text!r} is not a number.").format(
                    column=name, text=text))
                return None
            if not math.isfinite(values[0, j]):
                self.result_label.setText(self.tr("Every input must be a finite number."))
                return None
        pred = self.model.predict(values)
        self.result_label.setText(self._describe(pred, self.tr("This row")))
        return pred

    # -- table model: one field per raw column ----------------------------------------------
    def _fill_fields(self, model: TrainedModel, data: PreparedData | None) -> None:
        pre = model.preprocess
        assert pre is not None
        if not _rows_of(data, model):
            self._data_unfit = data is not None
            data = None
        self._data = data
        self.val_row_box.setVisible(data is not None)
        if data is None:
            self._row_values = default_values(pre)
            self.row_editor.set_columns(pre, self._row_values)
            return
        with signals_blocked(self.val_row_spin):
            self.val_row_spin.setMaximum(data.n_val)
            self.val_row_spin.setValue(_plain_row(pre, data) + 1)
        self._row_values = self._validation_row(data, self.val_row_spin.value() - 1)
        self.row_editor.set_columns(pre, self._row_values)

    def _validation_row(self, data: PreparedData, index: int) -> dict[str, object]:
        model = self.model
        assert model is not None and model.preprocess is not None
        features = data.x_val[index].astype(np.float64) * data.std + data.mean
        values, _gaps = raw_values(model.preprocess, features)
        return values

    def _on_val_row_changed(self, value: int) -> None:
        if self._data is None or self.model is None:
            return
        self._row_values = self._validation_row(self._data, value - 1)
        self.row_editor.set_values(self._row_values)

    def _actual_text(self, index: int) -> str:
        data, model = self._data, self.model
        assert data is not None and model is not None
        y = data.y_val[index]
        if model.task == "classification":
            return self.tr("its actual class is {name}.").format(
                name=_class_name(model, model.class_names[int(y)]))
        return self.tr("its actual {target} is {value}.").format(
            target=self.target_label(), value=format_value(float(y)))

    def target_label(self) -> str:
        model = self.model
        target = model.config.data.target if model is not None else ""
        if not target and self._data is not None and self._data.table_info is not None:
            from workbench.core.data.tables import Role

            target = next((c.name for c in self._data.table_info.columns
                           if c.role == Role.TARGET), "")
        return target or self.tr("value")

    def _on_row_editor_changed(self) -> None:
        self.predict_fields()

    def predict_fields(self) -> Prediction | None:
        """Predict the row the fields hold, through the model's own table preprocessing."""
        from workbench.core.data.tables import Table

        model = self.model
        if model is None or model.preprocess is None:
            return None
        columns, problem = self.row_editor.row()
        self._show_row_origin(columns)
        if columns is None:
            self.last_prediction = self.last_report = None
            self.result_label.setText(problem)
            self.fields_bars.set_values(None)
            return None
        try:
            pred, report = model.predict_table(Table(name="", columns=columns))
        except WorkbenchError as exc:
            self.last_prediction = self.last_report = None
            self.result_label.setText(error_text(exc))
            self.fields_bars.set_values(None)
            return None
        self.last_prediction, self.last_report = pred, report
        self.fields_bars.set_values(None if pred.proba is None else pred.proba[0])
        if pred.proba is None:
            text = self.tr("Predicted {target}: {value}").format(
                target=self.target_label(), value=format_value(float(pred.labels[0])))
        else:
            text = self._describe(pred, self.tr("These inputs"))
        notes = []
        if report.missing:
            notes.append(self.tr("Missing, filled in as in training: {columns}.").format(
                columns=", ".join(report.missing)))
        if report.unseen:
            notes.append(self.tr("Not seen in training, so counted as (other): {columns}.")
                         .format(columns=", ".join(report.unseen)))
        self.result_label.setText("\n".join([text, *notes]))
        return pred

    def _show_row_origin(self, columns: dict[str, np.ndarray] | None) -> None:
        if self._data is None:
            return
        index = self.val_row_spin.value() - 1
        text = self.tr("of {n}: {actual}").format(n=self._data.n_val,
                                                  actual=self._actual_text(index))
        if columns is None or self._edited():
            text += " " + self.tr("(You have changed its inputs.)")
        self.val_row_label.setText(text)

    def _edited(self) -> bool:
        """Whether the fields now hold something else than the validation row they started
        from (compared as the text the fields would show)."""
        model = self.model
        assert model is not None and model.preprocess is not None
        editor = self.row_editor
        for col in model.preprocess.columns[:MAX_TABLE_FEATURES]:
            start = editor.value_text(col, self._row_values.get(col.name))
            if editor.text(col.name).strip() != start.strip():
                return True
        return False

    def _describe(self, pred: Prediction, where: str) -> str:
        model = self.model
        assert model is not None
        if pred.proba is None:
            return self.tr("{where}: predicted value {value}").format(where=where,
                                                                       value=pred.names[0])
        proba = pred.proba[0]
        order = np.argsort(proba)[::-1][:5]
        listing = ", ".join(f"{_class_name(model, model.class_names[i])} {100 * proba[i]:.1f} %"
                            for i in order)
        return self.tr("{where}: {name} ({p} %). Probabilities: {listing}").format(
            where=where, name=_class_name(model, pred.names[0]),
            p=f"{100 * proba[pred.labels[0]]:.1f}", listing=listing)


def _class_name(model: TrainedModel, name: str) -> str:
    """The synthetic sets' classes are named by the app ("class 0"): shown translated."""
    return class_name_text(name) if model.config.data.dataset in SYNTHETIC_DATASETS else name


def _raw_points(data: PreparedData | None, model: TrainedModel) -> np.ndarray | None:
    """The training inputs in their own units (the data is stored normalised)."""
    if data is None or data.x_train.ndim != 2 or data.x_train.shape[1] != 2:
        return None
    x = data.x_train[:MAX_POINTS].astype(np.float64)
    return x * np.asarray(data.std, dtype=np.float64) + np.asarray(data.mean, dtype=np.float64)


# -- table rows: raw values from a validation row, text in the file's own formats -------------

def number_text(value: float) -> str:
    """A number for a field: six significant digits (the network reads float32), no exponent
    below a million."""
    if not math.isfinite(value):
        return ""
    if abs(value) >= 1e6:
        return f"{value:.0f}"
    return _field_number(value, 6)


def _field_number(value: float, digits: int) -> str:
    """``value`` for a field a person may edit: plain decimals as :func:`numbers.number` writes
    them (0.00006, not 6e-05) but without thousands separators, which would read as a decimal
    comma; a value too small or large for plain decimals keeps Python's form, which reads back."""
    text = numbers.number(value, digits)
    if "×" in text:
        text = f"{value:.{digits}g}"
    text = text.replace(",", "")
    return "0" if text in ("-0", "−0") else text


def parse_number(text: str) -> float | None:
    """A typed number (a decimal comma as in 1,5 is read too); None when it is not one."""
    t = text.strip()
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        return None
    return value if math.isfinite(value) and abs(value) <= 3.4e38 else None


def _strftime(fmt: str, with_time: bool) -> str:
    if fmt == "ISO8601":
        return "%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d"
    return fmt


def date_example(fmt: str, with_time: bool = False) -> str:
    """31 March 2024 written the way the training file wrote its dates."""
    return dt.datetime(2024, 3, 31, 14, 30).strftime(_strftime(fmt, with_time))


def date_text(value: dt.datetime, fmt: str) -> str:
    with_time = value.hour != 0 or value.minute != 0
    return value.strftime(_strftime(fmt, with_time))


def normalise_date(text: str, fmt: str) -> str | None:
    """``text`` as the model's date format reads it: as typed when it is in that format,
    rewritten when it is written as 2024-03-31; None when it is neither."""
    import pandas as pd

    for candidate in (fmt, "ISO8601"):
        try:
            stamp = pd.to_datetime(text, format=candidate)
        except (ValueError, OverflowError, TypeError):
            continue
        if pd.isna(stamp):
            continue
        if candidate == fmt:
            return text
        stamp = stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp
        return date_text(stamp.to_pydatetime(), fmt)
    return None


def _date_from_parts(parts: dict[str, float]) -> dt.datetime | None:
    """A date from its year and day of the year (and hour): what the network was given."""
    try:
        year = min(max(round(parts["year"]), 1), 9999)
        yearday = min(max(round(parts["yearday"]), 1), 366)
        value = dt.datetime(year, 1, 1) + dt.timedelta(days=yearday - 1)
        if value.year != year:  # day 366 of a year that has 365
            value -= dt.timedelta(days=1)
        if "hour" in parts and math.isfinite(parts["hour"]):
            value += dt.timedelta(minutes=min(max(round(parts["hour"] * 60), 0), 24 * 60 - 1))
    except (KeyError, ValueError, OverflowError):
        return None
    return value


def raw_values(pre: TablePreprocessor, features: np.ndarray) -> tuple[dict[str, object], bool]:
    """The raw values behind one row of the network's inputs (not normalised), column by column:
    numbers, category names ("(other)" for one not seen in training), dates; None where the
    value was missing. Also whether the row had a missing or unseen value."""
    from workbench.core.preprocess import OTHER

    values: dict[str, object] = {}
    gaps = False
    at = 0
    for col in pre.columns:
        block = np.asarray(features[at:at + col.width], dtype=np.float64)
        at += col.width
        if col.kind == CATEGORICAL:
            k = int(np.argmax(block))
            n = len(col.categories)
            values[col.name] = col.categories[k] if k < n else (OTHER if k == n else None)
            gaps = gaps or k >= n
            continue
        width = 1 if col.kind == NUMERIC else len(col.parts)
        missing = col.flag and block[width] > 0.5
        gaps = gaps or missing
        if missing:
            values[col.name] = None
        elif col.kind == NUMERIC:
            values[col.name] = float(block[0])
        else:
            values[col.name] = _date_from_parts(dict(zip(col.parts, block[:width].tolist(),
                                                         strict=True)))
    return values, gaps


def default_values(pre: TablePreprocessor) -> dict[str, object]:
    """Values to start from without data: training medians and the first category."""
    values: dict[str, object] = {}
    for col in pre.columns:
        if col.kind == CATEGORICAL:
            values[col.name] = col.categories[0] if col.categories else None
        elif col.kind == NUMERIC:
            values[col.name] = col.fill[0]
        else:
            values[col.name] = _date_from_parts(dict(zip(col.parts, col.fill, strict=True)))
    return values


def _plain_numbers(model: TrainedModel) -> bool:
    """Whether the model's inputs are the raw values themselves (no categories, dates or
    missing flags), so that a 2-D map of them means something."""
    pre = model.preprocess
    return pre is None or all(c.kind == NUMERIC and not c.flag for c in pre.columns)


def _rows_of(data: PreparedData | None, model: TrainedModel) -> bool:
    """Whether ``data`` holds validation rows made with this model's preprocessing."""
    return (data is not None and data.preprocess is not None and data.n_val > 0
            and tuple(data.feature_names) == tuple(model.feature_names)
            and data.x_val.ndim == 2 and data.x_val.shape[1] == len(model.feature_names)
            and data.task == model.task)


def _plain_row(pre: TablePreprocessor, data: PreparedData) -> int:
    """The first validation row with nothing missing or unseen (else the first row)."""
    for i in range(min(data.n_val, 200)):
        _values, gaps = raw_values(pre, data.x_val[i].astype(np.float64) * data.std + data.mean)
        if not gaps:
            return i
    return 0
