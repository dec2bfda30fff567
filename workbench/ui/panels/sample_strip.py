"""A few sample images of each class, before any training: what the network will be shown.

One column per class (its name below), a few training images stacked in it, each scaled up
with square pixels so an 8x8 digit is as legible as a 64x64 photo. Built from the data the
window has already prepared in the background; picking the samples is a few array indexings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

SAMPLES_PER_CLASS = 5
MAX_CLASSES = 20
CELL = 40  # pixels per thumbnail at most; fewer when the classes need the width


def pick_samples(y: np.ndarray, classes: int, per_class: int = SAMPLES_PER_CLASS
                 ) -> list[np.ndarray]:
    """The indices of the first ``per_class`` samples of each class (fewer when it has fewer)."""
    y = np.asarray(y)
    return [np.flatnonzero(y == k)[:per_class] for k in range(min(classes, MAX_CLASSES))]


def to_rgb8(image: np.ndarray) -> np.ndarray:
    """A (C, H, W) image of any range as (H, W, 3) uint8, stretched to its own min..max."""
    img = np.asarray(image, dtype=np.float32)
    if img.shape[0] == 1:
        img = np.repeat(img, 3, axis=0)
    img = img[:3].transpose(1, 2, 0)
    lo, hi = float(np.nanmin(img)), float(np.nanmax(img))
    scaled = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
    return np.ascontiguousarray(np.clip(np.nan_to_num(scaled) * 255.0 + 0.5, 0, 255)
                                .astype(np.uint8))


class SampleStrip(QWidget):
    """Sample images per class, in columns."""

    def __init__(self, parent: QWidget | None = None, rows: int = SAMPLES_PER_CLASS) -> None:
        super().__init__(parent)
        self.setObjectName("sampleStrip")
        self._rows = rows
        self.setAccessibleName(self.tr("Sample images per class"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._names: tuple[str, ...] = ()
        self._images: list[list[QImage]] = []

    def set_samples(self, images: np.ndarray, labels: np.ndarray,
                    class_names: Sequence[str]) -> None:
        """``images``: raw (N, C, H, W) training images; a few of each class are shown."""
        self._names = tuple(class_names[:MAX_CLASSES])
        self._images = []
        for chosen in pick_samples(labels, len(class_names), self._rows):
            column = []
            for i in chosen:
                rgb = to_rgb8(images[int(i)])
                h, w = rgb.shape[:2]
                # copy(): the QImage must own its pixels once the array is gone.
                column.append(QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy())
            self._images.append(column)
        self.setToolTip(self.tr("The first training images of each class."))
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        self._names, self._images = (), []
        self.update()

    @property
    def shown(self) -> list[int]:
        """Images shown per class (for tests and readers)."""
        return [len(column) for column in self._images]

    @property
    def class_names(self) -> tuple[str, ...]:
        return self._names

    def _cell(self, width: int) -> int:
        n = max(1, len(self._images))
        return int(max(8, min(CELL, width / n - 4)))

    def sizeHint(self) -> QSize:
        return QSize(300, self._height(300))

    def minimumSizeHint(self) -> QSize:
        return QSize(100, self._height(100))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height(width)

    def _height(self, width: int) -> int:
        if not self._images:
            return 0
        cell = self._cell(width)
        return self._rows * (cell + 2) + QFontMetrics(self.font()).height() + 4

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self._images:
            return
        painter = QPainter(self)
        # Square pixels: an 8x8 digit stays a grid of 64 cells, not a blur.
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        n = len(self._images)
        slot = self.width() / n
        cell = self._cell(self.width())
        metrics = QFontMetrics(self.font())
        for k, column in enumerate(self._images):
            x = slot * k + (slot - cell) / 2
            for row, image in enumerate(column):
                painter.drawImage(QRectF(x, row * (cell + 2), cell, cell), image)
            name = metrics.elidedText(self._names[k], Qt.TextElideMode.ElideRight, int(slot))
            painter.drawText(QRectF(slot * k, self._rows * (cell + 2), slot,
                                    metrics.height()), Qt.AlignmentFlag.AlignCenter, name)
        painter.end()
