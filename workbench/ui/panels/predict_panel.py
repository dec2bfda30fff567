"""Try the model: its summary, a clickable map for 2-D data, a row editor for tables, CSV files."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.config import SYNTHETIC_DATASETS
from workbench.ui.core_text import class_name_text
from workbench.ui.panels.data_panel import dataset_label
from workbench.ui.widgets import name_widget

if TYPE_CHECKING:
    from workbench.core.data import PreparedData
    from workbench.core.modelfile import Prediction, TrainedModel

CLASS_COLORS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
GRID = 160  # decision-map resolution: 25,600 predictions, a few milliseconds on a CPU
MAX_POINTS = 4000  # data points drawn on the map
MAX_TABLE_FEATURES = 200


def class_color(index: int) -> tuple[int, int, int]:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


class PredictPanel(QWidget):
    """Shows a trained or opened model and lets a person try it."""

    predict_csv_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: TrainedModel | None = None
        self._data_x: np.ndarray | None = None

        self.empty_label = QLabel(self.tr(
            "Train a model (Start) or open one (File > Open model...) to try it here."))
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.summary_box = QGroupBox(self.tr("Model"))
        self.summary_grid = QGridLayout(self.summary_box)
        self.summary_grid.setHorizontalSpacing(16)

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

        self.image_note = QLabel(self.tr("This model reads images. Its validation results "
                                         "are above; predicting new images is done with "
                                         "workbench predict."))
        self.image_note.setWordWrap(True)

        self.pages = QStackedWidget()
        self.pages.addWidget(map_page)
        self.pages.addWidget(row_page)
        self.pages.addWidget(self.image_note)

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
        bottom.addWidget(self.predict_csv_button, 0, Qt.AlignTop)

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

    @property
    def has_data(self) -> bool:
        """True when the 2-D map shows the data points (or the model is not 2-D)."""
        return self._data_x is not None or self.pages.currentIndex() != 0

    # -- model ---------------------------------------------------------------------------------
    def set_model(self, model: TrainedModel | None, data: PreparedData | None = None) -> None:
        """Show ``model``; ``data`` (its training data, when known) is drawn on the 2-D map."""
        self.model = model
        self.empty_label.setVisible(model is None)
        self.content.setVisible(model is not None)
        self.result_label.setText("")
        self._probe.setData([], [])
        self._data_x = None
        if model is None:
            return
        self._fill_summary(model)
        tabular = len(model.input_shape) == 1
        self.predict_csv_button.setEnabled(tabular)
        if tabular and model.input_shape[0] == 2:
            self.pages.setCurrentIndex(0)
            self._data_x = _raw_points(data, model)
            self._draw_map(model, data)
        elif tabular:
            self.pages.setCurrentIndex(1)
            self._fill_row(model)
        else:
            self.pages.setCurrentIndex(2)

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
                metrics.append(f"{label} {float(value):.4g}")
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

    # -- 2-D map ------------------------------------------------------------------------------
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
            x=f"{x:.3g}", y=f"{y:.3g}")))
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
            self.row_table.setItem(0, j, QTableWidgetItem(f"{value:.4g}"))
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
