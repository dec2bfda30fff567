"""Dropout made visible: the network as columns of units, dropped units greyed while training.

While a run trains, the diagram shows the units Dropout switches off in one training-mode pass
for one sample (a probe pass the training thread makes a few times a second with the current
weights and the configured rates). In evaluation every unit works. "Train vs eval" feeds one
sample ten times in each mode and shows the outputs side by side: they scatter in training mode
and are identical in evaluation mode. The caption under the diagram says which moment of
training it shows (the probe pass's epoch and iteration, or the model after its run).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from workbench.ui import numbers
from workbench.ui.widgets import name_widget, plain_axes, release_steady_size, set_steady_text

MAX_DRAWN_UNITS = 16  # units drawn per column; wider layers are noted "+N"
DIAGRAM_MIN_HEIGHT = 100
DIAGRAM_MIN_HEIGHT_WITH_SPREAD = 64  # a short window makes room for the spread's numbers
UNIT_COLOR = QColor(13, 71, 161)
INPUT_COLOR = QColor(96, 125, 139)
OUTPUT_COLOR = QColor(230, 97, 1)
# Lines, dropped units and captions are mixed from the theme's background and text colours
# (this share of the text colour), so they read as quiet on a light and on a dark window.
LINE_SHARE = 0.12
DROPPED_FILL_SHARE = 0.06
DROPPED_EDGE_SHARE = 0.35
TEXT_SHARE = 0.65


def _mix(background: QColor, text: QColor, share: float) -> QColor:
    return QColor(round(background.red() + share * (text.red() - background.red())),
                  round(background.green() + share * (text.green() - background.green())),
                  round(background.blue() + share * (text.blue() - background.blue())))
TRAIN_SPREAD_COLOR = (13, 71, 161)
EVAL_SPREAD_COLOR = (230, 97, 1)

MODE_NONE = "none"
MODE_TRAIN = "train"
MODE_EVAL = "eval"


class NetworkDiagram(QWidget):
    """Columns of units with light lines between them; dropped units drawn grey."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkDiagram")
        self.setMinimumSize(200, DIAGRAM_MIN_HEIGHT)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._widths: tuple[int, ...] = ()
        self._rates: tuple[float, ...] = ()
        self._masks: tuple[np.ndarray, ...] = ()
        # The drawing, kept until the network, the masks, the size or the font change: the
        # diagram is repainted with its neighbours several times a second while training, and
        # a few hundred antialiased lines drawn from Python each time would cost the training
        # thread (painting holds the GIL).
        self._picture: QPixmap | None = None
        self._picture_key: tuple[object, ...] = ()

    def sizeHint(self) -> QSize:
        return QSize(300, 190)

    # -- state -------------------------------------------------------------------------------
    def set_network(self, widths: Sequence[int], rates: Sequence[float]) -> None:
        self._widths, self._rates = tuple(widths), tuple(rates)
        self._masks = ()
        self._picture = None
        self.update()

    def set_masks(self, masks: Sequence[np.ndarray]) -> None:
        """Keep-masks per column (True = kept; empty = no Dropout there); () lights all."""
        new = tuple(np.asarray(m, dtype=bool) for m in masks)
        if len(new) == len(self._masks) and all(
                np.array_equal(a, b) for a, b in zip(new, self._masks, strict=True)):
            return  # the same picture (always so without Dropout): nothing to redraw
        self._masks = new
        self._picture = None
        self.update()

    @property
    def widths(self) -> tuple[int, ...]:
        return self._widths

    def dropped_counts(self) -> list[int]:
        """Dropped units per column (of all its units, drawn or not)."""
        counts = []
        for i in range(len(self._widths)):
            mask = self._masks[i] if i < len(self._masks) else np.zeros(0, bool)
            counts.append(int((~mask).sum()) if len(mask) else 0)
        return counts

    def drawn_units(self) -> list[tuple[int, int]]:
        """``(drawn, not drawn)`` per column."""
        return [(min(w, MAX_DRAWN_UNITS), max(0, w - MAX_DRAWN_UNITS)) for w in self._widths]

    def _kept(self, column: int, unit: int) -> bool:
        if column >= len(self._masks) or unit >= len(self._masks[column]):
            return True
        return bool(self._masks[column][unit])

    # -- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._widths or self.width() <= 0 or self.height() <= 0:
            return
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, self.font().toString(),
               self.palette().cacheKey())
        if self._picture is None or key != self._picture_key:
            self._picture = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            self._picture.setDevicePixelRatio(ratio)
            self._picture.fill(Qt.transparent)
            self._picture_key = key
            self._draw(QPainter(self._picture))
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)
        painter.end()

    def _draw(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        painter.setFont(font)
        line_h = painter.fontMetrics().height()
        top, bottom = 4, self.height() - 2 * line_h - 6
        n = len(self._widths)
        xs = [self.width() * (i + 0.5) / n for i in range(n)]
        drawn = self.drawn_units()
        span = max(bottom - top - line_h, 20)
        radius = max(2.5, min(7.0, span / (2.6 * MAX_DRAWN_UNITS) * 1.2,
                              self.width() / (6.0 * n)))
        positions = []
        for shown, _more in drawn:
            gap = min(2.6 * radius, span / max(shown, 1))
            height = gap * (shown - 1)
            y0 = top + (span - height) / 2
            positions.append([y0 + gap * j for j in range(shown)])
        self._paint_lines(painter, xs, positions)
        self._paint_units(painter, xs, positions, radius)
        self._paint_captions(painter, xs, positions, radius, bottom, line_h)
        painter.end()

    def _shade(self, share: float) -> QColor:
        palette = self.palette()
        return _mix(palette.color(QPalette.Window), palette.color(QPalette.WindowText), share)

    def _paint_lines(self, painter: QPainter, xs: list[float],
                     positions: list[list[float]]) -> None:
        # Opaque thin lines: cheap to paint and quiet behind the units.
        painter.setPen(QPen(self._shade(LINE_SHARE), 1))
        for c in range(len(xs) - 1):
            for a, ya in enumerate(positions[c]):
                if not self._kept(c, a):
                    continue  # a dropped unit sends nothing this step
                for yb in positions[c + 1]:
                    painter.drawLine(QPointF(xs[c], ya), QPointF(xs[c + 1], yb))

    def _paint_units(self, painter: QPainter, xs: list[float], positions: list[list[float]],
                     radius: float) -> None:
        last = len(xs) - 1
        edge = self.palette().color(QPalette.Window)
        dropped_fill, dropped_edge = self._shade(DROPPED_FILL_SHARE), self._shade(DROPPED_EDGE_SHARE)
        for c, ys in enumerate(positions):
            color = INPUT_COLOR if c == 0 else OUTPUT_COLOR if c == last else UNIT_COLOR
            for u, y in enumerate(ys):
                rect = QRectF(xs[c] - radius, y - radius, 2 * radius, 2 * radius)
                if self._kept(c, u):
                    painter.setPen(QPen(edge, 1))
                    painter.setBrush(color)
                else:
                    painter.setPen(QPen(dropped_edge, 1, Qt.DashLine))
                    painter.setBrush(dropped_fill)
                painter.drawEllipse(rect)

    def _paint_captions(self, painter: QPainter, xs: list[float], positions: list[list[float]],
                        radius: float, bottom: float, line_h: int) -> None:
        painter.setPen(self._shade(TEXT_SHARE))
        col_w = self.width() / len(xs)
        for c, (_shown, more) in enumerate(self.drawn_units()):
            if more:
                y = positions[c][-1] + radius + 1
                painter.drawText(QRectF(xs[c] - col_w / 2, y, col_w, line_h),
                                 Qt.AlignHCenter | Qt.AlignTop, f"+{more}")
            rate = self._rates[c] if c < len(self._rates) else 0.0
            first = f"{self._widths[c]}"
            second = f"p={rate:g}" if rate > 0 else ""
            painter.drawText(QRectF(xs[c] - col_w / 2, bottom + 2, col_w, line_h),
                             Qt.AlignHCenter | Qt.AlignTop, first)
            if second:
                painter.drawText(QRectF(xs[c] - col_w / 2, bottom + 2 + line_h, col_w, line_h),
                                 Qt.AlignHCenter | Qt.AlignTop, second)


class SpreadView(QWidget):
    """Ten outputs in training mode and ten in eval mode: a strip plot and the numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spreadView")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("spreadPlot")
        item = self.plot.plotItem
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(False, False)
        item.getAxis("left").setTicks([[(1, self.tr("train")), (0, self.tr("eval"))]])
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen((90, 90, 90))
            item.getAxis(axis).setPen((170, 170, 170))
        plain_axes(item)
        item.setYRange(-0.6, 1.6, padding=0)
        self.plot.setFixedHeight(64)
        self._train = pg.ScatterPlotItem(size=8, pen=None,
                                         brush=pg.mkBrush(*TRAIN_SPREAD_COLOR, 150))
        self._eval = pg.ScatterPlotItem(size=8, pen=None,
                                        brush=pg.mkBrush(*EVAL_SPREAD_COLOR, 150))
        item.addItem(self._train)
        item.addItem(self._eval)
        self.numbers = QLabel()
        self.numbers.setObjectName("spreadNumbers")
        self.numbers.setWordWrap(True)
        self.numbers.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot)
        layout.addWidget(self.numbers)
        self._values: tuple[np.ndarray, np.ndarray] | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_numbers()

    def _fit_numbers(self) -> None:
        # Layouts in a splitter ignore a wrapped label's height for its width; ask for it.
        # heightForWidth is -1 while the label is empty.
        self.numbers.setMinimumHeight(max(self.numbers.heightForWidth(max(self.width(), 1)), 0))

    @property
    def values(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The shown outputs: (training mode, eval mode), ten each."""
        return self._values

    def set_values(self, train: np.ndarray, evals: np.ndarray, what: str) -> None:
        train, evals = np.asarray(train, np.float64), np.asarray(evals, np.float64)
        self._values = (train, evals)
        jitter = np.linspace(-0.25, 0.25, len(train))  # rows of dots, not one blot
        self._train.setData(train, 1 + jitter)
        self._eval.setData(evals, np.zeros_like(evals))
        lo = float(min(train.min(), evals.min()))
        hi = float(max(train.max(), evals.max()))
        pad = max((hi - lo) * 0.1, 0.01)
        self.plot.plotItem.setXRange(lo - pad, hi + pad, padding=0)
        identical = bool(np.all(evals == evals[0]))
        distinct = len(np.unique(train))
        train_text = (self.tr("{n} different, {lo} to {hi}").format(
            n=distinct, lo=_num(float(train.min())), hi=_num(float(train.max())))
            if distinct > 1 else self.tr("{value} all ten times").format(value=_num(train[0])))
        eval_text = (self.tr("{value} all ten times").format(value=_num(evals[0]))
                     if identical else self.tr("{lo} to {hi}").format(
                         lo=_num(float(evals.min())), hi=_num(float(evals.max()))))
        self.numbers.setText(self.tr("{what}<br><b>Training mode</b>: {train}<br>"
                                     "<b>Evaluation mode</b>: {evals}").format(
            what=what, train=train_text, evals=eval_text))
        # Every number, for whoever wants to read them one by one.
        self.numbers.setToolTip(self.tr("Training mode: {train}\nEvaluation mode: {evals}").format(
            train=" ".join(_num(v) for v in train), evals=" ".join(_num(v) for v in evals)))
        self._fit_numbers()

    def clear_values(self, text: str = "") -> None:
        self._values = None
        self._train.setData([], [])
        self._eval.setData([], [])
        self.numbers.setText(text)


def _num(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    return f"{value:.3f}" if abs(value) < 100 else numbers.number(value, 4)


class NetworkPanel(QWidget):
    """The diagram, a line on what it shows, the train-vs-eval button and its result."""

    spread_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkPanel")
        title = QLabel(self.tr("<b>Dropout</b>"))
        self.mode_label = QLabel()
        self.mode_label.setObjectName("networkModeLabel")
        self.mode_label.setStyleSheet("color: palette(placeholder-text);")
        self.mode_label.setWordWrap(True)  # a narrow panel wraps "evaluation mode" rather than cut it
        self.diagram = NetworkDiagram()
        self.caption = QLabel()
        self.caption.setObjectName("networkCaption")
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: palette(placeholder-text);")
        self.dropped_label = QLabel()
        self.dropped_label.setObjectName("networkDroppedLabel")
        self.dropped_label.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setObjectName("networkExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: palette(placeholder-text);")
        self.spread_button = name_widget(QPushButton(self.tr("Train vs eval")),
                                         "trainVsEvalButton",
                                         self.tr("Compare training and evaluation mode"))
        self.spread_button.setToolTip(self.tr(
            "Feed one sample through the current model ten times with Dropout in training mode "
            "and ten times in evaluation mode, and compare the outputs."))
        self.spread_button.clicked.connect(self.spread_requested)
        self.spread = SpreadView()
        self.spread.hide()
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(title)
        head.addWidget(self.mode_label, 1)
        head.addWidget(self.spread_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.diagram, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.dropped_label)
        layout.addWidget(self.explanation)
        layout.addWidget(self.spread)
        self._mode = MODE_NONE
        self.show_nothing()

    @property
    def mode(self) -> str:
        return self._mode

    def show_nothing(self) -> None:
        self._mode = MODE_NONE
        self.dropped_label.hide()
        self.diagram.set_network((), ())
        self.mode_label.setText("")
        self._set_caption("")
        self._explain(self.tr("Start training to see the network and which units "
                              "Dropout switches off."))
        self.hide_spread()

    def show_training(self, widths: Sequence[int], rates: Sequence[float],
                      masks: Sequence[np.ndarray], caption: str = "") -> None:
        """A probe pass's masks while the model trains; ``caption``: when it was made."""
        if tuple(widths) != self.diagram.widths or self._mode != MODE_TRAIN:
            self.diagram.set_network(widths, rates)
        self._mode = MODE_TRAIN
        self._set_caption(caption)
        self.diagram.set_masks(masks)
        self.mode_label.setText(self.tr("training mode"))
        dropped = self.diagram.dropped_counts()
        parts = [self.tr("{n} of {width}").format(n=dropped[i], width=widths[i])
                 for i in range(len(widths)) if i < len(masks) and len(masks[i])]
        self.dropped_label.setText(self.tr("<b>Dropped in this pass:</b> {counts}").format(
            counts=", ".join(parts)) if parts else "")
        self.dropped_label.setVisible(bool(parts))
        if any(r > 0 for r in rates):
            self._explain(self.tr(
                "Grey: units Dropout switches off in one training pass for one sample (a "
                "probe with the current weights, redrawn a few times a second). Each unit is "
                "dropped with probability p, afresh every step."))
        else:
            self._explain(self._no_dropout_text())

    def show_evaluation(self, widths: Sequence[int], rates: Sequence[float],
                        caption: str = "") -> None:
        """A finished or opened model: evaluation mode, every unit works; ``caption``: which
        model, after how much training."""
        self._mode = MODE_EVAL
        self._set_caption(caption)
        self.dropped_label.hide()
        self.hide_spread()
        self.diagram.set_network(widths, rates)
        self.diagram.set_masks(())
        self.mode_label.setText(self.tr("evaluation mode"))
        self._explain(
            self.tr("Evaluation mode: nothing is dropped, every unit works. (Training scaled "
                    "the kept units by 1/(1-p), so no change is needed now.)")
            if any(r > 0 for r in rates) else self._no_dropout_text())

    def _set_caption(self, text: str) -> None:
        if not text and self.caption.isHidden():
            return
        # Once shown, the caption keeps its line (blank between runs): the diagram and the
        # views below it do not move when a run starts.
        if self.caption.isHidden():
            release_steady_size(self.caption)  # a new line in the panel: laid out once
            self.caption.show()
        set_steady_text(self.caption, text)  # a few times a second while training

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for label in (self.caption, self.explanation):
            release_steady_size(label)  # the texts follow the panel's new width

    def set_spread_available(self, on: bool, why: str = "") -> None:
        self.spread_button.setEnabled(on)
        self.spread_button.setToolTip(why or self.tr(
            "Feed one sample through the current model ten times with Dropout in training mode "
            "and ten times in evaluation mode, and compare the outputs."))

    def show_spread(self, train: np.ndarray, evals: np.ndarray, what: str,
                    has_dropout: bool) -> None:
        if not has_dropout:
            what += "<br>" + self.tr("No Dropout in this model: both modes give the same "
                                     "outputs. Set a Dropout rate above 0 to see a difference.")
        self.spread.set_values(train, evals, what)
        # The spread tells the same story as the explanation, with numbers: it takes its place.
        self.explanation.hide()
        self.diagram.setMinimumHeight(DIAGRAM_MIN_HEIGHT_WITH_SPREAD)
        self.spread.show()

    def hide_spread(self) -> None:
        self.spread.clear_values()
        self.spread.hide()
        self.diagram.setMinimumHeight(DIAGRAM_MIN_HEIGHT)
        self.explanation.show()

    def _explain(self, text: str) -> None:
        # Steady: a run's start and end change the text, not the lines it holds.
        set_steady_text(self.explanation, text)

    def _no_dropout_text(self) -> str:
        return self.tr("This model has no Dropout (rate 0), so no unit is ever dropped. Set a "
                       "Dropout rate above 0 in the model settings to see units switched off.")
