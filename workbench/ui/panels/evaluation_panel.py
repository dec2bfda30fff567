"""The Evaluation tab: how the model does on the validation set.

Classifiers: confusion matrix, per-class figures and the samples the model gets wrong. Clicking
a matrix cell lists that cell's samples below; "Show all mistakes" goes back to every
misclassified sample. Regression: R², MAE and RMSE beside always predicting the training mean,
predicted against actual values with the line of perfect predictions, and a histogram of the
residuals.

It shows an ``Evaluation`` or a ``RegressionEvaluation`` made in core (in a background thread,
by the evaluation feature) and computes nothing itself but the histogram's bins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QImage,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from workbench.core.evaluation import BASELINE_TRAINING, format_r2, format_value
from workbench.ui import numbers
from workbench.ui.core_text import class_name_text
from workbench.ui.widgets import cache_axes, name_widget, plain_axes

if TYPE_CHECKING:
    from workbench.core.evaluation import Evaluation, RegressionEvaluation

# Sequential blues from almost white to dark: more of a row's samples, darker cell.
_LOW = QColor(247, 251, 255)
_HIGH = QColor(8, 48, 107)
_DARK_TEXT = QColor(20, 20, 20)
_LIGHT_TEXT = QColor(255, 255, 255)
_GRID = QColor(200, 200, 200)
_HOVER = QColor(230, 97, 1)
_WARNING_ROW = QColor(255, 236, 204)
# Past this share of the row the cell is dark enough that its number needs white.
_WHITE_TEXT_FROM = 0.5
# Pixels per cell: room for a count in a small font; many classes still fit down to the least.
_READABLE_CELL = 26
_MIN_CELL = 14
# Narrower than this, the matrix keeps its least width and the table scrolls sideways instead.
_MATRIX_FLOOR = 240
_LEGEND_WIDTH = 14
# A gallery of thousands of thumbnails helps nobody and takes seconds to build.
MAX_SAMPLES_SHOWN = 500
_THUMB = 56  # pixels per gallery image (digits are 8x8: 7x, no smoothing)
# The per-class table never gets narrower than this; past it, it scrolls sideways. Wider, with
# long class names, it would push the window off a laptop's screen.
_TABLE_MIN_WIDTH = 360


def cell_colour(fraction: float) -> QColor:
    """The colour of a cell holding ``fraction`` (0..1) of its true class's samples."""
    f = min(max(fraction, 0.0), 1.0)
    return QColor(round(_LOW.red() + f * (_HIGH.red() - _LOW.red())),
                  round(_LOW.green() + f * (_HIGH.green() - _LOW.green())),
                  round(_LOW.blue() + f * (_HIGH.blue() - _LOW.blue())))


def _names(evaluation: Evaluation) -> tuple[str, ...]:
    """Class names for people: "class 0" of the synthetic sets in the interface's language."""
    return tuple(class_name_text(name) for name in evaluation.class_names)


class ConfusionMatrixView(QWidget):
    """Rows: true class; columns: predicted class; colour: share of the row (recall per cell).

    Cells shrink down to ``_MIN_CELL`` pixels so that many classes fit; the numbers are left
    out of cells too small for them (the tooltip still gives them). The layout is worked out
    once per paint from label widths measured when the matrix or the font changes: measuring
    every label for every cell made a 47-class matrix take seconds to paint.
    """

    cell_clicked = Signal(int, int)  # true class, predicted class

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "confusionMatrixView", self.tr("Confusion matrix"))
        self.setMouseTracking(True)
        self._matrix = np.zeros((0, 0), dtype=np.int64)
        self._fractions = np.zeros((0, 0))
        self._names: tuple[str, ...] = ()
        self._colours: list[list[QColor]] = []  # per cell, made once per matrix
        self._percent = False
        self._hover: tuple[int, int] | None = None
        self._selected: tuple[int, int] | None = None
        self._label_width = 0
        self._line = 0
        self._legend_text_width = 0
        self._measure()

    # -- data ----------------------------------------------------------------------------------
    def set_matrix(self, matrix: np.ndarray, class_names: tuple[str, ...]) -> None:
        self._matrix = np.asarray(matrix, dtype=np.int64)
        totals = self._matrix.sum(axis=1, keepdims=True).astype(np.float64)
        self._fractions = np.divide(self._matrix, totals, out=np.zeros(self._matrix.shape),
                                    where=totals > 0)
        self._names = tuple(class_names)
        self._colours = [[cell_colour(f) for f in row] for row in self._fractions.tolist()]
        self._hover = self._selected = None
        self._measure()
        self.updateGeometry()
        self.update()

    def matrix(self) -> np.ndarray:
        return self._matrix.copy()

    @property
    def show_percent(self) -> bool:
        return self._percent

    def set_show_percent(self, on: bool) -> None:
        self._percent = on
        self.update()

    def set_selected(self, cell: tuple[int, int] | None) -> None:
        if cell != self._selected:
            self._update_cells(self._selected, cell)
            self._selected = cell

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.FontChange, QEvent.StyleChange):
            self._measure()
            self.updateGeometry()
        super().changeEvent(event)

    # -- geometry ------------------------------------------------------------------------------
    def _measure(self) -> None:
        """Text sizes the layout needs; they change only with the names or the font."""
        fm = QFontMetrics(self.font())
        self._label_width = max((fm.horizontalAdvance(n) for n in self._names), default=0)
        self._line = fm.height()
        self._legend_text_width = fm.horizontalAdvance("100 %")

    def _label_room(self) -> int:
        # A little over the widest name: elidedText cuts text that only just fits.
        return min(self._label_width, 160) + 4

    def _rotated_columns(self, cell: int) -> bool:
        return self._label_width + 6 > cell

    def _margins(self, cell: int) -> tuple[int, int, int, int]:
        """Room for labels around the grid: left, top, right (colour scale), bottom."""
        line = self._line
        left = line + 8 + self._label_room() + 6
        right = 12 + _LEGEND_WIDTH + 4 + self._legend_text_width + 4
        # Column labels go below the grid, turned upright when names are wider than a cell.
        labels = self._label_room() if self._rotated_columns(cell) else line
        bottom = 3 + labels + 3 + line + 6
        return left, line + 4, right, bottom

    def _layout(self) -> tuple[QRect, int]:
        """The grid's rectangle and the cell size, fitted into the widget."""
        k = max(len(self._names), 1)
        left, top, right, _ = self._margins(_MIN_CELL)
        cell = (self.width() - left - right) // k
        bottom = self._margins(cell)[3]
        cell = max(_MIN_CELL, min(cell, (self.height() - top - bottom) // k))
        return QRect(left, top, cell * k, cell * k), cell

    def cell_rect(self, true_class: int, predicted_class: int) -> QRect:
        grid, cell = self._layout()
        return QRect(grid.left() + predicted_class * cell, grid.top() + true_class * cell,
                     cell, cell)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        grid, cell = self._layout()
        if not self._names or not grid.contains(pos):
            return None
        col = (pos.x() - grid.left()) // cell
        row = (pos.y() - grid.top()) // cell
        k = len(self._names)
        return (row, col) if 0 <= row < k and 0 <= col < k else None

    def _size_for(self, cell: int) -> QSize:
        k = max(len(self._names), 2)
        left, top, right, bottom = self._margins(cell)
        return QSize(left + k * cell + right, top + k * cell + bottom)

    def sizeHint(self) -> QSize:
        return self._size_for(_READABLE_CELL)

    def minimumSizeHint(self) -> QSize:
        return self._size_for(_MIN_CELL)

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._names:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.TextAntialiasing)
        grid, cell = self._layout()
        self._paint_cells(painter, grid, cell, event.rect())
        self._paint_labels(painter, grid, cell)
        self._paint_legend(painter, grid)
        painter.end()

    def _cell_text(self, t: int, p: int) -> str:
        if self._percent:
            return f"{100 * self._fractions[t, p]:.0f}%"
        return str(int(self._matrix[t, p]))

    def _numbers_fit(self, painter: QPainter, cell: int) -> bool:
        """Whether the widest number a cell can hold fits inside a cell."""
        widest = "100%" if self._percent else str(int(self._matrix.max(initial=0)))
        fm = painter.fontMetrics()
        return fm.horizontalAdvance(widest) + 2 <= cell and fm.height() <= cell + 2

    def _paint_cells(self, painter: QPainter, grid: QRect, cell: int, dirty: QRect) -> None:
        k = len(self._names)
        font = painter.font()
        if cell < 36:
            font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        painter.setFont(font)
        numbers = self._numbers_fit(painter, cell)
        # Only the cells the paint event asks for: hovering repaints one or two cells.
        first_col = max((dirty.left() - grid.left()) // cell, 0)
        last_col = min((dirty.right() - grid.left()) // cell, k - 1)
        first_row = max((dirty.top() - grid.top()) // cell, 0)
        last_row = min((dirty.bottom() - grid.top()) // cell, k - 1)
        x0, y0 = grid.left(), grid.top()
        for t in range(first_row, last_row + 1):
            colours = self._colours[t]
            for p in range(first_col, last_col + 1):
                painter.fillRect(x0 + p * cell, y0 + t * cell, cell, cell, colours[p])
        # The grid as whole lines: one per row and column instead of a frame per cell.
        painter.setPen(QPen(_GRID, 1))
        top, bottom = y0 + first_row * cell, y0 + (last_row + 1) * cell - 1
        left, right = x0 + first_col * cell, x0 + (last_col + 1) * cell - 1
        for p in range(first_col, last_col + 2):
            painter.drawLine(x0 + p * cell - (p == k), top, x0 + p * cell - (p == k), bottom)
        for t in range(first_row, last_row + 2):
            painter.drawLine(left, y0 + t * cell - (t == k), right, y0 + t * cell - (t == k))
        if numbers:
            for t in range(first_row, last_row + 1):
                for p in range(first_col, last_col + 1):
                    light = self._fractions[t, p] >= _WHITE_TEXT_FROM
                    painter.setPen(_LIGHT_TEXT if light else _DARK_TEXT)
                    painter.drawText(QRect(x0 + p * cell, y0 + t * cell, cell, cell),
                                     Qt.AlignCenter, self._cell_text(t, p))
        for cell_pos, width in ((self._hover, 2), (self._selected, 3)):
            if cell_pos is not None:
                t, p = cell_pos
                rect = QRect(grid.left() + p * cell, grid.top() + t * cell, cell, cell)
                painter.setPen(QPen(_HOVER, width))
                painter.drawRect(rect.adjusted(1, 1, -2, -2))

    def _paint_labels(self, painter: QPainter, grid: QRect, cell: int) -> None:
        font = self.font()
        fm = QFontMetrics(font)
        # Names one under the other need a cell's height each: draw every n-th when cells
        # are lower than a line of text (the tooltip names every cell).
        step = max(1, -(-(fm.height() - 2) // cell))
        painter.setFont(font)
        painter.setPen(self.palette().windowText().color())
        label_room = self._label_room()
        for k in range(0, len(self._names), step):
            text = fm.elidedText(self._names[k], Qt.ElideRight, label_room)
            row = QRect(grid.left() - label_room - 6, grid.top() + k * cell + cell // 2
                        - fm.height() // 2, label_room, fm.height())
            painter.drawText(row, Qt.AlignRight | Qt.AlignVCenter, text)
        rotated = self._rotated_columns(cell)
        for k in range(0, len(self._names), step if rotated else 1):
            name = self._names[k]
            text = fm.elidedText(name, Qt.ElideRight, label_room if rotated else cell - 2)
            x = grid.left() + k * cell
            if rotated:
                painter.save()
                painter.translate(x + cell / 2 + fm.ascent() / 2 - 2, grid.bottom() + 4)
                painter.rotate(90)
                painter.drawText(QRect(0, 0, label_room, fm.height()),
                                 Qt.AlignLeft | Qt.AlignVCenter, text)
                painter.restore()
            else:
                painter.drawText(QRect(x, grid.bottom() + 3, cell, fm.height()),
                                 Qt.AlignCenter, text)
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        under = grid.bottom() + 6 + (label_room if rotated else fm.height())
        painter.drawText(QRect(grid.left(), under, grid.width(), fm.height() + 4),
                         Qt.AlignCenter, self.tr("Predicted class"))
        title = QFontMetrics(bold).elidedText(
            self.tr("Rows: true class · colour: share of the row"), Qt.ElideRight,
            self.width() - 4)
        painter.drawText(QRect(2, 0, self.width() - 4, fm.height() + 2), Qt.AlignCenter, title)
        painter.save()
        painter.translate(2, grid.center().y())
        painter.rotate(-90)
        painter.drawText(QRect(-grid.height() // 2, 0, grid.height(), fm.height() + 2),
                         Qt.AlignCenter, self.tr("True class"))
        painter.restore()

    def _paint_legend(self, painter: QPainter, grid: QRect) -> None:
        fm = QFontMetrics(self.font())
        bar = QRect(grid.right() + 12, grid.top(), _LEGEND_WIDTH, grid.height())
        gradient = QLinearGradient(0, bar.top(), 0, bar.bottom())
        gradient.setColorAt(0.0, cell_colour(1.0))
        gradient.setColorAt(1.0, cell_colour(0.0))
        painter.fillRect(bar, gradient)
        painter.setPen(QPen(_GRID, 1))
        painter.drawRect(bar.adjusted(0, 0, -1, -1))
        painter.setPen(self.palette().windowText().color())
        x = bar.right() + 4
        painter.drawText(QRect(x, bar.top() - 2, 60, fm.height()), Qt.AlignLeft, "100 %")
        painter.drawText(QRect(x, bar.center().y() - fm.height() // 2, 60, fm.height()),
                         Qt.AlignLeft, "50 %")
        painter.drawText(QRect(x, bar.bottom() - fm.height() + 2, 60, fm.height()),
                         Qt.AlignLeft, "0 %")

    # -- mouse ---------------------------------------------------------------------------------
    def describe_cell(self, t: int, p: int) -> str:
        count = int(self._matrix[t, p])
        total = int(self._matrix[t].sum())
        share = f"{100 * self._fractions[t, p]:.1f}"
        if t == p:
            text = self.tr("True class {true}, predicted correctly: {count} of {total} "
                           "samples ({share} %).")
        else:
            text = self.tr("True class {true}, predicted as {predicted}: {count} of {total} "
                           "samples ({share} %).")
        return text.format(true=self._names[t], predicted=self._names[p], count=count,
                           total=total, share=share) + " " + self.tr("Click to list them.")

    def _update_cells(self, *cells: tuple[int, int] | None) -> None:
        """Repaint just these cells (their outline lies inside them), not the whole matrix."""
        for cell in cells:
            if cell is not None:
                self.update(self.cell_rect(*cell))

    def _set_hover(self, cell: tuple[int, int] | None) -> None:
        if cell != self._hover:
            self._update_cells(self._hover, cell)
            self._hover = cell

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        self._set_hover(cell)
        if cell is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self.describe_cell(*cell), self)
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._set_hover(None)
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is not None and event.button() == Qt.LeftButton:
            self.set_selected(cell)
            self.cell_clicked.emit(*cell)
        super().mousePressEvent(event)


class _SortItem(QTableWidgetItem):
    """A table cell that sorts by a number, shown as formatted text."""

    def __init__(self, text: str, key: float) -> None:
        super().__init__(text)
        self.setData(Qt.UserRole, key)
        self.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(Qt.UserRole), other.data(Qt.UserRole)
        if isinstance(mine, (int, float)) and isinstance(theirs, (int, float)):
            return mine < theirs
        return super().__lt__(other)


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def image_pixmap(image: np.ndarray, size: int = _THUMB) -> QPixmap:
    """A (C, H, W) image with values 0..1 as a pixmap, enlarged without blurring."""
    arr = np.clip(np.asarray(image, dtype=np.float32), 0.0, 1.0)
    pixels = np.ascontiguousarray((arr * 255).round().astype(np.uint8).transpose(1, 2, 0))
    h, w, c = pixels.shape
    if c == 1:
        qimage = QImage(pixels.data, w, h, w, QImage.Format_Grayscale8)
    else:
        pixels = np.ascontiguousarray(pixels[:, :, :3])
        qimage = QImage(pixels.data, w, h, 3 * w, QImage.Format_RGB888)
    # copy(): the QImage only borrows the numpy buffer, which goes away with this frame.
    return QPixmap.fromImage(qimage.copy()).scaled(size, size, Qt.KeepAspectRatio,
                                                   Qt.FastTransformation)


# Regression plots: validation samples as dots, the line of perfect predictions dashed.
_DOT = (31, 119, 180, 150)
_PERFECT = (200, 60, 40)
_BAR = (31, 119, 180, 110)
_BAR_EDGE = (31, 119, 180)
_MIN_BINS, _MAX_BINS = 5, 40
_PLOT_MIN = QSize(220, 160)


def residual_bins(residuals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(edges, counts) of the finite residuals: numpy's "auto" bins, kept to 5..40 bins."""
    r = np.asarray(residuals, dtype=np.float64)
    r = r[np.isfinite(r)]
    if len(r) == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    bins = int(np.clip(len(np.histogram_bin_edges(r, bins="auto")) - 1, _MIN_BINS, _MAX_BINS))
    counts, edges = np.histogram(r, bins=bins)
    return edges, counts


class RegressionView(QWidget):
    """R², MAE and RMSE beside the baseline, predicted against actual, and the residuals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("regressionView")
        self.scores_table = name_widget(QTableWidget(3, 3), "regressionScoresTable",
                                        self.tr("R², MAE and RMSE beside the baseline"))
        self.scores_table.setHorizontalHeaderLabels(
            ["", self.tr("This model"), self.tr("Always the mean\n(baseline)")])
        self.scores_table.horizontalHeaderItem(2).setToolTip(self.tr(
            "Predicting the mean of the training split for every sample, whatever its inputs: "
            "what an R² of 0 stands for."))
        self.scores_table.verticalHeader().hide()
        self.scores_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.scores_table.setSelectionMode(QAbstractItemView.NoSelection)
        self.scores_table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scores_table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.scores_table.setWordWrap(False)
        names = ("R²", "MAE", "RMSE")
        tips = (self.tr("R² (coefficient of determination): 1 is perfect, 0 is no better than "
                        "always predicting the mean, below 0 is worse than that."),
                self.tr("Mean absolute error: how far a prediction misses on average, in the "
                        "target's own units."),
                self.tr("Root mean squared error, in the target's own units: like MAE, but "
                        "large misses weigh more."))
        for row, (name, tip) in enumerate(zip(names, tips, strict=True)):
            item = QTableWidgetItem(name)
            item.setToolTip(tip)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.scores_table.setItem(row, 0, item)

        self.note_label = name_widget(QLabel(), "regressionNote",
                                      self.tr("What the figures mean"))
        self.note_label.setWordWrap(True)
        self.note_label.setAlignment(Qt.AlignLeft | Qt.AlignTop)

        self.scatter_plot = name_widget(pg.PlotWidget(background="w"), "predictedVsActualPlot",
                                        self.tr("Predicted against actual values"))
        self.residual_plot = name_widget(pg.PlotWidget(background="w"), "residualHistogram",
                                         self.tr("Histogram of the residuals"))
        for plot in (self.scatter_plot, self.residual_plot):
            plot.setMenuEnabled(False)
            plot.getPlotItem().hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setMinimumSize(_PLOT_MIN)
            plain_axes(plot.getPlotItem())
            cache_axes(plot.getPlotItem())
        self.perfect_line = pg.PlotDataItem(pen=pg.mkPen(_PERFECT, width=1.5,
                                                         style=Qt.DashLine))
        self.points = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(*_DOT),
                                         hoverable=True, tip=self._point_tip)
        self.scatter_plot.addItem(self.perfect_line)
        self.scatter_plot.addItem(self.points)
        self.histogram = pg.PlotDataItem(stepMode="center", fillLevel=0,
                                         brush=pg.mkBrush(*_BAR), pen=pg.mkPen(_BAR_EDGE))
        self.zero_line = pg.InfiniteLine(0, angle=90, pen=pg.mkPen(_PERFECT, width=1.5,
                                                                   style=Qt.DashLine))
        self.residual_plot.addItem(self.histogram)
        self.residual_plot.addItem(self.zero_line)

        self.scatter_caption = QLabel(self.tr(
            "Each dot is a validation sample. On the dashed line the prediction equals the "
            "actual value; above it the model predicts too high, below it too low."))
        self.residual_caption = QLabel()
        for caption in (self.scatter_caption, self.residual_caption):
            caption.setWordWrap(True)
            caption.setStyleSheet("color: palette(placeholder-text);")
        self._build_layout()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.scores_table, 0, Qt.AlignTop)
        top.addWidget(self.note_label, 1)
        plots = QSplitter(Qt.Horizontal)
        plots.setChildrenCollapsible(False)
        for plot, caption in ((self.scatter_plot, self.scatter_caption),
                              (self.residual_plot, self.residual_caption)):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(plot, 1)
            box_layout.addWidget(caption)
            plots.addWidget(box)
        plots.setSizes([500, 500])
        self.plots_splitter = plots
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(plots, 1)

    def target_label(self, ev: RegressionEvaluation) -> str:
        """The target as people know it: the column's name, or a built-in set's meaning."""
        if ev.target_name:
            return ev.target_name
        if ev.dataset == "diabetes":
            return self.tr("disease progression")
        return self.tr("value")

    def set_evaluation(self, ev: RegressionEvaluation) -> None:
        self._fill_scores(ev)
        target = self.target_label(ev)
        source = (self.tr("the training split's mean") if ev.baseline_from == BASELINE_TRAINING
                  else self.tr("the mean of these samples"))
        self.note_label.setText(self.tr(
            "MAE and RMSE are in the units of {target}. The baseline predicts {mean} ({source}) "
            "for every sample, whatever its inputs: an R² of 0 means no better than that, 1 "
            "means every prediction is exact.").format(
            target=target, mean=format_value(ev.baseline_value), source=source))
        self._draw_scatter(ev, target)
        self._draw_residuals(ev, target)

    def _fill_scores(self, ev: RegressionEvaluation) -> None:
        table = self.scores_table
        for col, scores in ((1, ev.scores), (2, ev.baseline)):
            cells = (format_r2(scores.r2), format_value(scores.mae), format_value(scores.rmse))
            for row, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                item.setToolTip(table.item(row, 0).toolTip())
                table.setItem(row, col, item)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        width = sum(max(table.columnWidth(c), header.sectionSizeHint(c))
                    for c in range(table.columnCount()))
        for c in range(table.columnCount()):
            table.setColumnWidth(c, max(table.columnWidth(c), header.sectionSizeHint(c)))
        table.resizeRowsToContents()
        height = header.sizeHint().height() + sum(table.rowHeight(r)
                                                   for r in range(table.rowCount()))
        table.setFixedSize(width + 2 * table.frameWidth(), height + 2 * table.frameWidth())

    def _point_tip(self, x: float, y: float, data: object) -> str:
        return self.tr("Actual {actual}, predicted {predicted}").format(
            actual=format_value(x), predicted=format_value(y))

    def _draw_scatter(self, ev: RegressionEvaluation, target: str) -> None:
        finite = np.isfinite(ev.actual) & np.isfinite(ev.predicted)
        actual, predicted = ev.actual[finite], ev.predicted[finite]
        self.points.setData(actual, predicted)
        item = self.scatter_plot.getPlotItem()
        item.setLabel("bottom", self.tr("Actual {target}").format(target=target))
        item.setLabel("left", self.tr("Predicted {target}").format(target=target))
        if len(actual) == 0:
            self.perfect_line.setData([], [])
            return
        lo = float(min(actual.min(), predicted.min()))
        hi = float(max(actual.max(), predicted.max()))
        pad = 0.04 * (hi - lo) if hi > lo else 1.0
        lo, hi = lo - pad, hi + pad
        self.perfect_line.setData([lo, hi], [lo, hi])
        # The same range on both axes: the dashed line is the diagonal.
        item.setRange(xRange=(lo, hi), yRange=(lo, hi), padding=0)

    def _draw_residuals(self, ev: RegressionEvaluation, target: str) -> None:
        edges, counts = residual_bins(ev.residuals)
        item = self.residual_plot.getPlotItem()
        item.setLabel("bottom", self.tr("Actual \u2212 predicted {target}").format(
            target=target))
        item.setLabel("left", self.tr("Samples"))
        if len(counts) == 0:
            self.histogram.setData([], [])
            self.residual_caption.setText("")
            return
        self.histogram.setData(edges, counts)
        span = max(abs(float(edges[0])), abs(float(edges[-1])))
        item.setRange(xRange=(-span, span), yRange=(0, float(counts.max()) * 1.05), padding=0.02)
        finite = ev.residuals[np.isfinite(ev.residuals)]
        self.residual_caption.setText(self.tr(
            "Actual minus predicted value of each validation sample: below 0 the model "
            "predicted too high, above 0 too low. Mean {mean}, largest miss {largest}.").format(
            mean=format_value(float(finite.mean())),
            largest=format_value(float(np.abs(finite).max()))))


class EvaluationPanel(QWidget):
    """Everything the Evaluation tab shows: fed an ``Evaluation`` by ``set_evaluation`` or a
    ``RegressionEvaluation`` by ``set_regression``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationPanel")
        self._evaluation: Evaluation | None = None
        self._regression: RegressionEvaluation | None = None
        self._table_wanted = 0  # the per-class table with every column in view
        self._train_counts = np.zeros(0, dtype=np.int64)
        self._cell: tuple[int, int] | None = None

        self.summary_label = name_widget(QLabel(), "evaluationSummary",
                                         self.tr("Evaluation summary"))
        self.summary_label.setWordWrap(True)
        self.warning_label = name_widget(QLabel(), "evaluationWarning",
                                         self.tr("Class imbalance warning"))
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(
            "color: #7a3d00; background: #fff0d9; border: 1px solid #f0b060; "
            "border-radius: 3px; padding: 4px;")
        self.warning_label.hide()

        self.matrix_view = ConfusionMatrixView()
        self.mode_combo = name_widget(QComboBox(), "matrixModeCombo",
                                      self.tr("Numbers in the cells"))
        self.mode_combo.addItem(self.tr("Counts"), False)
        self.mode_combo.addItem(self.tr("Percent of the true class (row)"), True)
        self.mode_combo.currentIndexChanged.connect(self._on_mode_changed)
        # Its longest entry would otherwise set the matrix column's least width.
        self.mode_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.mode_combo.setMinimumContentsLength(10)

        self.class_table = name_widget(QTableWidget(0, 6), "perClassTable",
                                       self.tr("Figures per class"))
        self.averages_table = name_widget(QTableWidget(2, 6), "averagesTable",
                                          self.tr("Averages over the classes"))
        self._setup_tables()

        self.samples_title = name_widget(QLabel(), "samplesTitle", self.tr("Samples listed"))
        self.samples_title.setWordWrap(True)
        self.show_mistakes_button = name_widget(QPushButton(self.tr("Show all mistakes")),
                                                "showMistakesButton",
                                                self.tr("Show all mistakes"))
        self.show_mistakes_button.clicked.connect(self.show_mistakes)
        self.gallery = name_widget(QListWidget(), "misclassifiedGallery",
                                   self.tr("Misclassified images"))
        self.gallery.setViewMode(QListView.IconMode)
        self.gallery.setIconSize(QSize(_THUMB, _THUMB))
        # Room for three lines under each image: long class names wrap.
        self.gallery.setGridSize(QSize(_THUMB + 64, _THUMB + 3 * self.fontMetrics().height() + 8))
        self.gallery.setResizeMode(QListView.Adjust)
        self.gallery.setMovement(QListView.Static)
        self.gallery.setWordWrap(True)
        self.rows_table = name_widget(QTableWidget(), "misclassifiedTable",
                                      self.tr("Misclassified rows"))
        self.rows_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.rows_table.setSortingEnabled(True)
        self.samples_stack = QStackedWidget()
        self.samples_stack.addWidget(self.gallery)
        self.samples_stack.addWidget(self.rows_table)

        self.regression_view = RegressionView()

        self.matrix_view.cell_clicked.connect(self.show_cell)
        self._build_layout()
        self.show_message(self.tr("Train a model (or open one) to see here how it does on the "
                                  "validation set: for classes, which ones it confuses and the "
                                  "samples it gets wrong; for a number (regression), R², MAE "
                                  "and RMSE against always predicting the mean."))

    def _setup_tables(self) -> None:
        headers = [self.tr("Class"), self.tr("Validation\nsamples"), self.tr("Training\nsamples"),
                   self.tr("Recall\n(accuracy)"), self.tr("Precision"), self.tr("F1")]
        tips = [
            "",
            self.tr("Samples of this class in the validation set (the support)."),
            self.tr("Samples of this class the model trained on."),
            self.tr("Share of this class's samples the model recognises: its accuracy on "
                    "this class."),
            self.tr("Share of the model's predictions of this class that are right."),
            self.tr("Harmonic mean of precision and recall: high only when both are."),
        ]
        for table in (self.class_table, self.averages_table):
            table.setHorizontalHeaderLabels(headers)
            for col, tip in enumerate(tips):
                table.horizontalHeaderItem(col).setToolTip(tip)
            table.setEditTriggers(QAbstractItemView.NoEditTriggers)
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
            table.horizontalHeader().setStretchLastSection(True)
        self.class_table.setSortingEnabled(True)
        self.class_table.sortByColumn(0, Qt.AscendingOrder)
        averages = self.averages_table
        averages.horizontalHeader().hide()
        averages.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        averages.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        averages.setWordWrap(False)
        averages.setFixedHeight(2 * averages.verticalHeader().defaultSectionSize()
                                + 2 * averages.frameWidth())
        # The averages line up under the per-class columns, also when those scroll sideways.
        self.class_table.horizontalHeader().sectionResized.connect(
            lambda col, _old, new: self.averages_table.setColumnWidth(col, new))
        self.class_table.horizontalScrollBar().valueChanged.connect(
            averages.horizontalScrollBar().setValue)
        # The arrow's room moves with the sorted column.
        self.class_table.horizontalHeader().sortIndicatorChanged.connect(
            lambda *_args: self._align_columns())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # An evaluation that arrived while the tab was hidden was fitted to a splitter that
        # had no real size yet.
        self._reshare_later()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reshare_later()

    def _reshare_later(self) -> None:
        if self._evaluation is not None:
            # After this event the splitter gets its size; share it out then.
            QTimer.singleShot(0, self, lambda: self._share_top_width(self._table_wanted))

    def _build_layout(self) -> None:
        matrix_box = QWidget()
        matrix_layout = QVBoxLayout(matrix_box)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel(self.tr("Cells show:")))
        mode_row.addWidget(self.mode_combo)
        mode_row.addStretch(1)
        matrix_layout.addLayout(mode_row)
        # Scrolls when even the smallest cells do not fit (many classes, a small screen).
        self.matrix_scroll = QScrollArea()
        self.matrix_scroll.setObjectName("matrixScrollArea")
        self.matrix_scroll.setWidgetResizable(True)
        self.matrix_scroll.setFrameShape(QFrame.NoFrame)
        self.matrix_scroll.setWidget(self.matrix_view)
        matrix_layout.addWidget(self.matrix_scroll, 1)

        tables = QWidget()
        tables_layout = QVBoxLayout(tables)
        tables_layout.setContentsMargins(0, 0, 0, 0)
        tables_layout.addWidget(self.class_table, 1)
        tables_layout.addWidget(self.averages_table)

        top = QSplitter(Qt.Horizontal)
        top.addWidget(matrix_box)
        top.addWidget(tables)
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        top.setSizes([500, 500])
        top.setChildrenCollapsible(False)
        self._top_splitter = top

        samples = QWidget()
        samples_layout = QVBoxLayout(samples)
        samples_layout.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.samples_title, 1)
        title_row.addWidget(self.show_mistakes_button)
        samples_layout.addLayout(title_row)
        samples_layout.addWidget(self.samples_stack, 1)

        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(samples)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self._content = self.splitter

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.regression_view, 1)

    # -- states --------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """No evaluation to show (no model yet, no validation set, a failure): say why."""
        self._evaluation = None
        self._regression = None
        self.summary_label.setText(text)
        self.warning_label.hide()
        self._content.hide()
        self.regression_view.hide()

    def show_busy(self) -> None:
        self.summary_label.setText(self.tr("Evaluating the model on the validation set..."))

    @property
    def evaluation(self) -> Evaluation | None:
        return self._evaluation

    @property
    def regression(self) -> RegressionEvaluation | None:
        return self._regression

    def set_regression(self, evaluation: RegressionEvaluation) -> None:
        """A regression model's figures and plots (the classification views are hidden)."""
        self._evaluation = None
        self._regression = evaluation
        view = self.regression_view
        self.summary_label.setText(self.tr(
            "Validation set: {n} samples. R² {r2}, MAE {mae}, RMSE {rmse}; always predicting "
            "the mean would give R² {baseline_r2}, MAE {baseline_mae}. Hover over a dot for "
            "its values.").format(
            n=evaluation.n, r2=format_r2(evaluation.r2),
            mae=format_value(evaluation.mae), rmse=format_value(evaluation.rmse),
            baseline_r2=format_r2(evaluation.baseline.r2),
            baseline_mae=format_value(evaluation.baseline.mae)))
        self.warning_label.hide()
        self._content.hide()
        view.set_evaluation(evaluation)
        view.show()

    def set_evaluation(self, evaluation: Evaluation,
                       train_counts: np.ndarray | None = None) -> None:
        self._evaluation = evaluation
        self._regression = None
        self.regression_view.hide()
        k = evaluation.n_classes
        counts = np.zeros(k, dtype=np.int64) if train_counts is None else train_counts
        self._train_counts = np.asarray(counts, dtype=np.int64)
        self.summary_label.setText(self.tr(
            "Validation set: {n} samples, accuracy {accuracy}, {wrong} misclassified. "
            "Hover over a cell for its numbers; click it to list its samples.").format(
            n=evaluation.n, accuracy=_percent(evaluation.accuracy),
            wrong=len(evaluation.misclassified())))
        self._show_warnings(evaluation)
        self.matrix_view.set_matrix(evaluation.matrix, _names(evaluation))
        self._fill_class_table(evaluation)
        self._fill_averages(evaluation)
        self._content.show()
        self.show_mistakes()

    def _show_warnings(self, evaluation: Evaluation) -> None:
        lines = [self.tr(
            "Class \u201c{name}\u201d has only {support} validation samples and the model finds "
            "{recall} of them, while the overall accuracy is {accuracy}: the accuracy hides "
            "that this rare class is mostly missed. Look at its recall, the macro average, or "
            "try over-sampling the rare classes.").format(
            name=class_name_text(w.class_name), support=w.support, recall=_percent(w.recall),
            accuracy=_percent(w.accuracy))
            for w in evaluation.rare_class_warnings()]
        self.warning_label.setText("\n".join(lines))
        self.warning_label.setVisible(bool(lines))

    def _fill_class_table(self, ev: Evaluation) -> None:
        table = self.class_table
        table.setSortingEnabled(False)  # filling a sorted table moves rows under our feet
        table.setRowCount(ev.n_classes)
        warned = {w.class_index for w in ev.rare_class_warnings()}
        precision, recall, f1, support = ev.precision, ev.recall, ev.f1, ev.support
        for k, name in enumerate(_names(ev)):
            train = int(self._train_counts[k]) if k < len(self._train_counts) else 0
            items = [_SortItem(name, k), _SortItem(str(support[k]), int(support[k])),
                     _SortItem(str(train), train),
                     _SortItem(_percent(recall[k]), float(recall[k])),
                     _SortItem(_percent(precision[k]), float(precision[k])),
                     _SortItem(f"{f1[k]:.3f}", float(f1[k]))]
            items[0].setTextAlignment(Qt.AlignLeft | Qt.AlignVCenter)
            for col, item in enumerate(items):
                if k in warned:
                    item.setBackground(_WARNING_ROW)
                table.setItem(k, col, item)
        table.setSortingEnabled(True)

    def _fill_averages(self, ev: Evaluation) -> None:
        averages = ev.averages()
        labels = {"macro": self.tr("Macro avg"), "weighted": self.tr("Weighted avg")}
        tips = {"macro": self.tr("Mean over the classes, each class counting alike: a rare "
                                 "class the model misses pulls it down."),
                "weighted": self.tr("Mean over the classes weighted by their validation "
                                    "samples: close to the plain accuracy.")}
        total_train = int(self._train_counts.sum())
        for row, key in enumerate(("macro", "weighted")):
            avg = averages[key]
            cells = [labels[key], str(int(avg["support"])), str(total_train),
                     _percent(avg["recall"]), _percent(avg["precision"]), f"{avg['f1']:.3f}"]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tips[key])
                if col:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.averages_table.setItem(row, col, item)
        self._align_columns()

    def _align_columns(self) -> None:
        """Both tables as wide as their widest cell per column, so the averages line up."""
        columns = 0
        for col in range(self.class_table.columnCount()):
            width = max(self.class_table.sizeHintForColumn(col),
                        self.averages_table.sizeHintForColumn(col),
                        self._header_need(col)) + 2
            self.class_table.setColumnWidth(col, width)
            self.averages_table.setColumnWidth(col, width)
            columns += width
        # Every column in view where there is room: the matrix gives up width before the
        # figures do, down to the table's least width.
        scroll = self.class_table.verticalScrollBar().sizeHint().width()
        # From the contents, not the sections (a stretched last column would grow it).
        self._table_wanted = columns + scroll + 2 * self.class_table.frameWidth()
        self.class_table.setMinimumWidth(min(self._table_wanted, _TABLE_MIN_WIDTH))
        self._share_top_width(self._table_wanted)

    def _header_need(self, col: int) -> int:
        """A heading's width: its longest line, plus the sort arrow only where it is shown.

        Qt's own size hint keeps room for the arrow in every heading of a sortable table
        (~34 px each), which pushed the last column out of view at 1360 px.
        """
        header = self.class_table.horizontalHeader()
        item = self.class_table.horizontalHeaderItem(col)
        text = item.text() if item is not None else ""
        metrics = header.fontMetrics()
        width = max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)
        margin = header.style().pixelMetric(QStyle.PM_HeaderMargin, None, header)
        width += 4 * margin + 8
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == col:
            width += header.style().pixelMetric(QStyle.PM_HeaderMarkSize, None, header) + \
                2 * margin
        return width

    def _share_top_width(self, table_width: int) -> None:
        """Matrix and tables side by side: the matrix gets the width of its smallest cells
        (as far as the table's least width allows), the table every column where there is
        room, and the matrix whatever is left over."""
        total = sum(self._top_splitter.sizes())
        if total <= 0:
            return
        scroll = self.matrix_scroll.verticalScrollBar().sizeHint().width()
        matrix_need = self.matrix_view.minimumSizeHint().width() + scroll
        if total - table_width >= _MATRIX_FLOOR:
            matrix = total - table_width  # every figure in view; the matrix scrolls if need be
        else:
            matrix = max(min(matrix_need, total - _TABLE_MIN_WIDTH), total - table_width)
        self._top_splitter.setSizes([matrix, total - matrix])

    def _on_mode_changed(self) -> None:
        self.matrix_view.set_show_percent(bool(self.mode_combo.currentData()))

    # -- the samples list ----------------------------------------------------------------------
    def show_mistakes(self) -> None:
        ev = self._evaluation
        if ev is None:
            return
        self._cell = None
        self.matrix_view.set_selected(None)
        indices = ev.misclassified()
        self.samples_title.setText(self.tr(
            "Misclassified validation samples: {count}, most confident mistakes first.").format(
            count=len(indices)))
        self.show_mistakes_button.setEnabled(False)
        self._fill_samples(indices)

    def show_cell(self, true_class: int, predicted_class: int) -> None:
        ev = self._evaluation
        if ev is None:
            return
        self._cell = (true_class, predicted_class)
        self.matrix_view.set_selected(self._cell)
        indices = ev.cell(true_class, predicted_class)
        names = _names(ev)
        if true_class == predicted_class:
            text = self.tr("True class {true}, predicted correctly. Samples: {count}.")
        else:
            text = self.tr("True class {true}, predicted as {predicted}. Samples: {count}.")
        self.samples_title.setText(text.format(true=names[true_class],
                                               predicted=names[predicted_class],
                                               count=len(indices)))
        self.show_mistakes_button.setEnabled(True)
        self._fill_samples(indices)

    def listed_samples(self) -> list[int]:
        """Indices (into the evaluation's samples) of the samples listed now, in order."""
        if self.samples_stack.currentWidget() is self.gallery:
            return [self.gallery.item(i).data(Qt.UserRole) for i in range(self.gallery.count())]
        table = self.rows_table
        return [table.item(r, 0).data(Qt.UserRole) for r in range(table.rowCount())]

    def _fill_samples(self, indices: np.ndarray) -> None:
        ev = self._evaluation
        assert ev is not None
        shown = indices[:MAX_SAMPLES_SHOWN]
        if len(indices) > MAX_SAMPLES_SHOWN:
            self.samples_title.setText(self.samples_title.text() + " " + self.tr(
                "The first {shown} are listed.").format(shown=MAX_SAMPLES_SHOWN))
        if ev.is_image:
            self._fill_gallery(ev, shown)
            self.samples_stack.setCurrentWidget(self.gallery)
        else:
            self._fill_rows(ev, shown)
            self.samples_stack.setCurrentWidget(self.rows_table)

    def _fill_gallery(self, ev: Evaluation, indices: np.ndarray) -> None:
        self.gallery.clear()
        names = _names(ev)
        for i in indices.tolist():
            true, pred = names[ev.y_true[i]], names[ev.y_pred[i]]
            confidence = _percent(float(ev.confidence[i]))
            item = QListWidgetItem(image_pixmap(ev.inputs[i]),
                                   self.tr("{true} \u2192 {predicted}\n{confidence}").format(
                                       true=true, predicted=pred, confidence=confidence))
            item.setToolTip(self.tr("True class: {true}. Predicted: {predicted}, with "
                                    "{confidence} confidence.").format(
                true=true, predicted=pred, confidence=confidence))
            item.setData(Qt.UserRole, i)
            item.setSizeHint(self.gallery.gridSize())
            self.gallery.addItem(item)

    def _fill_rows(self, ev: Evaluation, indices: np.ndarray) -> None:
        table = self.rows_table
        table.setSortingEnabled(False)
        features = list(ev.feature_names) or [
            self.tr("feature {n}").format(n=j + 1) for j in range(ev.inputs.shape[1])]
        headers = [self.tr("True class"), self.tr("Predicted"), self.tr("Confidence"),
                   *features]
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(indices))
        names = _names(ev)
        for row, i in enumerate(indices.tolist()):
            first = QTableWidgetItem(names[ev.y_true[i]])
            first.setData(Qt.UserRole, i)
            cells = [first, QTableWidgetItem(names[ev.y_pred[i]]),
                     _SortItem(_percent(float(ev.confidence[i])), float(ev.confidence[i]))]
            cells += [_SortItem(numbers.number(v, 6), float(v)) for v in ev.inputs[i]]
            for col, item in enumerate(cells):
                table.setItem(row, col, item)
        table.resizeColumnsToContents()
        table.setSortingEnabled(True)
