"""Samples per class as a small bar chart: training and validation stacked, one bar per class.

Seen before any training, it shows at a glance whether the classes are balanced (a 99:1 set lets
a classifier score 99 % by ignoring the rare class). Painted by hand: a handful of rectangles
and labels need no plot widget.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MAX_BARS = 30  # beyond this the rest are summed in the tooltip's "and N more"
BAR_AREA_HEIGHT = 64
_TRAIN = QColor(8, 119, 189)
_VAL = QColor(140, 190, 225)


class ClassCountsChart(QWidget):
    """Training (dark) and validation (light) samples per class, the count above each bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classCountsChart")
        self.setAccessibleName(self.tr("Samples per class"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._names: tuple[str, ...] = ()
        self._train = np.zeros(0, dtype=np.int64)
        self._val = np.zeros(0, dtype=np.int64)

    def set_counts(self, names: Sequence[str], train: np.ndarray, val: np.ndarray) -> None:
        """One bar per class (at most ``MAX_BARS`` drawn); the tooltip lists every class."""
        self._names = tuple(names)
        self._train = np.asarray(train, dtype=np.int64)
        self._val = np.asarray(val, dtype=np.int64)
        lines = [self.tr("Samples per class (training + validation):")]
        lines += [self.tr("{name}: {train} + {val}").format(name=n, train=f"{int(t):,}",
                                                          val=f"{int(v):,}")
                  for n, t, v in zip(self._names[:MAX_BARS], self._train, self._val,
                                     strict=False)]
        if len(self._names) > MAX_BARS:
            lines.append(self.tr("and {n} more").format(n=len(self._names) - MAX_BARS))
        self.setToolTip("\n".join(lines))
        self.updateGeometry()
        self.update()

    def counts(self) -> tuple[tuple[str, ...], list[int], list[int]]:
        """Names, training counts and validation counts as shown (for tests and readers)."""
        return self._names, self._train.tolist(), self._val.tolist()

    def sizeHint(self) -> QSize:
        return QSize(200, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self._height())

    def _height(self) -> int:
        line = QFontMetrics(self.font()).height()
        return BAR_AREA_HEIGHT + 2 * line + 6

    def paintEvent(self, _event: QPaintEvent) -> None:
        n = min(len(self._names), MAX_BARS)
        if n == 0:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        total = self._train[:n] + self._val[:n]
        top = max(int(total.max()), 1)
        width = self.width()
        slot = width / n
        bar = max(2.0, min(slot * 0.7, 48.0))
        base = line + BAR_AREA_HEIGHT + 2
        text_color = self.palette().color(self.foregroundRole())
        for i in range(n):
            x = slot * i + (slot - bar) / 2
            t_h = BAR_AREA_HEIGHT * int(self._train[i]) / top
            v_h = BAR_AREA_HEIGHT * int(self._val[i]) / top
            painter.fillRect(QRectF(x, base - t_h, bar, t_h), _TRAIN)
            painter.fillRect(QRectF(x, base - t_h - v_h, bar, v_h), _VAL)
            painter.setPen(text_color)
            count = f"{int(total[i]):,}"
            if metrics.horizontalAdvance(count) <= slot:
                painter.drawText(QRectF(slot * i, base - t_h - v_h - line, slot, line),
                                 Qt.AlignmentFlag.AlignCenter, count)
            name = metrics.elidedText(self._names[i], Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(QRectF(slot * i, base + 2, slot, line),
                             Qt.AlignmentFlag.AlignCenter, name)
        painter.end()
