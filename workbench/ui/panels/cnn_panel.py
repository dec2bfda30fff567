"""Inside a CNN: the first convolution's filters and one sample's feature maps as small images.

The panel only draws what it is given (plain numpy arrays, stages with their shapes); which
model, which sample and when is decided by the feature that owns it. Filters are drawn in
diverging colours (blue negative, white zero, red positive, one scale for all filters, so a
strong filter looks strong); feature maps in grey, one scale per stage (black its smallest
value, white its largest), so the maps of one stage can be compared with each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.widgets import name_widget

GAP = 3
MIN_TILE = 10
MAX_TILE = 56


def diverging_rgb(values: np.ndarray, limit: float) -> np.ndarray:
    """uint8 RGB (..., 3): blue for negative, white for 0, red for positive, full at ``limit``."""
    t = np.clip(np.asarray(values, np.float32) / max(limit, 1e-12), -1.0, 1.0)
    pos, neg = np.clip(t, 0, 1), np.clip(-t, 0, 1)
    r = 1.0 - 0.8 * neg
    g = 1.0 - 0.8 * pos - 0.6 * neg
    b = 1.0 - 0.8 * pos
    return (np.stack([r, g, b], axis=-1) * 255 + 0.5).astype(np.uint8)


def grey_rgb(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """uint8 RGB (..., 3): black at ``low``, white at ``high`` (all mid-grey when equal)."""
    v = np.asarray(values, np.float32)
    if not high > low:
        t = np.full(v.shape, 0.5, np.float32)
    else:
        t = np.clip((v - low) / (high - low), 0, 1)
    g = (t * 255 + 0.5).astype(np.uint8)
    return np.repeat(g[..., None], 3, axis=-1)


def _image(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format_RGB888).copy()  # owns its pixels


class TileGrid(QWidget):
    """Equal square tiles in rows, as many per row as fit; the tile size shrinks (down to
    ``MIN_TILE`` pixels) so the grid stays within ``max_height`` where it can."""

    def __init__(self, max_height: int = 120, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._images: list[QImage] = []
        self._max_height = max_height
        policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_images(self, images: list[QImage]) -> None:
        self._images = images
        self.updateGeometry()
        self.update()

    @property
    def count(self) -> int:
        return len(self._images)

    def _layout(self, width: int) -> tuple[int, int, int]:
        """(tile size, tiles per row, rows) for ``width``."""
        n = max(len(self._images), 1)
        best = (0, n, 1)
        for rows in range(1, n + 1):
            per_row = math.ceil(n / rows)  # rows as even as they can be: no lone last tile
            rows = math.ceil(n / per_row)
            size = min(MAX_TILE, (width + GAP) // per_row - GAP,
                       (self._max_height + GAP) // rows - GAP)
            if size > best[0]:
                best = (size, per_row, rows)
        if best[0] >= MIN_TILE:
            return best
        per_row = max(1, (width + GAP) // (MIN_TILE + GAP))  # taller than wished: it scrolls
        return MIN_TILE, per_row, math.ceil(n / per_row)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if not self._images:
            return 0
        size, _, rows = self._layout(width)
        return rows * (size + GAP) - GAP

    def sizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(200))

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_TILE, self.heightForWidth(max(self.width(), MIN_TILE)))

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._images:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.SmoothPixmapTransform, False)  # pixels stay square
        size, per_row, _ = self._layout(self.width())
        edge = self.palette().color(QPalette.Mid)
        for i, image in enumerate(self._images):
            row, col = divmod(i, per_row)
            rect = QRect(col * (size + GAP), row * (size + GAP), size, size)
            painter.drawImage(rect, image)
            painter.setPen(edge)
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()


def filter_images(filters: np.ndarray) -> list[QImage]:
    """One image per filter, all on one symmetric scale: for colour input (three channels)
    each channel's weights as that colour around mid-grey; otherwise the input channels
    averaged, in diverging colours."""
    filters = np.asarray(filters, np.float32)
    if filters.shape[1] == 3:
        limit = max(float(np.max(np.abs(filters))), 1e-12)
        rgb = np.clip(0.5 + filters / (2 * limit), 0, 1).transpose(0, 2, 3, 1)
        return [_image((f * 255 + 0.5).astype(np.uint8)) for f in rgb]
    per_filter = filters.mean(axis=1)
    limit = float(np.max(np.abs(per_filter))) if per_filter.size else 1.0
    return [_image(diverging_rgb(f, limit)) for f in per_filter]


def map_images(maps: np.ndarray) -> list[QImage]:
    """One grey image per channel, on the stage's own scale."""
    maps = np.asarray(maps, np.float32)
    low, high = (float(maps.min()), float(maps.max())) if maps.size else (0.0, 1.0)
    return [_image(grey_rgb(m, low, high)) for m in maps]


def input_image(sample: np.ndarray) -> QImage:
    """A sample as a person sees it: grey for one channel, colour for three."""
    sample = np.asarray(sample, np.float32)
    low, high = float(sample.min()), float(sample.max())
    if sample.shape[0] == 3:
        t = np.zeros_like(sample) if not high > low else (sample - low) / (high - low)
        return _image((np.transpose(t, (1, 2, 0)) * 255 + 0.5).astype(np.uint8))
    return _image(grey_rgb(sample.mean(axis=0), low, high))


class CnnPanel(QWidget):
    """Filters, a sample chooser, and the chosen sample's feature maps stage by stage."""

    sample_changed = Signal(int)  # 0-based validation sample

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cnnPanel")
        title = QLabel(self.tr("<b>Inside the CNN</b>"))
        self.filters_caption = self._grey_label("cnnFiltersCaption")
        self.filters_view = name_widget(TileGrid(90), "cnnFiltersView",
                                        self.tr("First convolution's filters"))
        self.sample_spin = name_widget(QSpinBox(), "cnnSampleSpin",
                                       self.tr("Validation sample"))
        self.sample_spin.setRange(1, 1)
        self.sample_spin.setEnabled(False)
        self.sample_spin.valueChanged.connect(lambda v: self.sample_changed.emit(v - 1))
        self.sample_label = QLabel()
        self.sample_label.setObjectName("cnnSampleLabel")
        self.sample_label.setWordWrap(True)
        self.input_view = name_widget(TileGrid(56), "cnnInputView", self.tr("Chosen sample"))
        self.input_view.setFixedWidth(MAX_TILE)
        self.caption = self._grey_label("cnnCaption")
        self._maps_widget = QWidget()
        self._maps_layout = QVBoxLayout(self._maps_widget)
        self._maps_layout.setContentsMargins(0, 0, 4, 0)
        self._maps_layout.setSpacing(2)
        self._maps_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("cnnMapsArea")
        scroll.setWidget(self._maps_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.maps_area = scroll
        chooser = QHBoxLayout()
        chooser.setContentsMargins(0, 0, 0, 0)
        chooser.addWidget(QLabel(self.tr("Sample:")))
        chooser.addWidget(self.sample_spin)
        chooser.addStretch(1)
        about = QVBoxLayout()
        about.setContentsMargins(0, 0, 0, 0)
        about.setSpacing(2)
        about.addLayout(chooser)
        about.addWidget(self.sample_label)
        about.addStretch(1)
        sample_row = QHBoxLayout()
        sample_row.setContentsMargins(0, 0, 0, 0)
        sample_row.addWidget(self.input_view, 0, Qt.AlignTop)
        sample_row.addLayout(about, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(3)
        layout.addWidget(title)
        layout.addWidget(self.filters_caption)
        layout.addWidget(self.filters_view)
        layout.addLayout(sample_row)
        layout.addWidget(self.caption)
        layout.addWidget(scroll, 1)
        self._stage_rows: list[tuple[QLabel, TileGrid]] = []
        self._filters: np.ndarray | None = None
        self._stages: tuple[Any, ...] = ()

    def _grey_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet("color: palette(placeholder-text);")
        return label

    # -- what tests and the feature read back -----------------------------------------------
    @property
    def filters(self) -> np.ndarray | None:
        """The filters drawn now, as given: (filters, input channels, height, width)."""
        return self._filters

    @property
    def stages(self) -> tuple[Any, ...]:
        return self._stages

    def stage_labels(self) -> list[str]:
        return [label.text() for label, _ in self._stage_rows if not label.isHidden()]

    @property
    def sample(self) -> int:
        """The chosen validation sample, 0-based."""
        return self.sample_spin.value() - 1

    # -- what the feature sets --------------------------------------------------------------
    def set_filters(self, filters: np.ndarray) -> None:
        self._filters = np.asarray(filters)
        n, channels, kh, kw = self._filters.shape
        if channels == 3:
            text = self.tr("First convolution: {n} filters, {kh}x{kw}. Each colour channel's "
                           "weights in its colour; grey: 0.")
        else:
            text = self.tr("First convolution: {n} filters, {kh}x{kw}. Red: positive weights, "
                           "blue: negative.")
        self.filters_caption.setText(text.format(n=n, kh=kh, kw=kw))
        self.filters_view.set_images(filter_images(self._filters))

    def set_samples(self, count: int, chosen: int = 0) -> None:
        """``count`` validation samples to choose from (0: none, the chooser is off)."""
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(1, max(count, 1))
        self.sample_spin.setValue(min(max(chosen, 0), max(count - 1, 0)) + 1)
        self.sample_spin.blockSignals(False)
        self.sample_spin.setEnabled(count > 0)

    def set_sample(self, sample: np.ndarray | None, what: str) -> None:
        """The chosen sample's own picture (channels, height, width) and a line about it."""
        self.input_view.set_images([] if sample is None else [input_image(sample)])
        self.sample_label.setText(what)

    def stage_text(self, stage: Any) -> str:
        c, h, w = stage.shape
        if stage.kind == "conv":
            return self.tr("{n} filters, {k}x{k} \u2192 {c} x {h} x {w}").format(
                n=stage.channels, k=stage.size, c=c, h=h, w=w)
        if stage.kind == "max_pool":
            return self.tr("max-pool {k} \u2192 {c} x {h} x {w}").format(
                k=stage.size, c=c, h=h, w=w)
        return self.tr("average-pool {k} \u2192 {c} x {h} x {w}").format(
            k=stage.size, c=c, h=h, w=w)

    def set_maps(self, stages: Sequence[Any], caption: str) -> None:
        """One labelled row of grey maps per stage (cnn_inside.MapStage)."""
        self._stages = tuple(stages)
        while len(self._stage_rows) < len(stages):
            label, grid = QLabel(), TileGrid(110)
            label.setObjectName(f"cnnStageLabel{len(self._stage_rows)}")
            label.setWordWrap(True)
            self._maps_layout.insertWidget(self._maps_layout.count() - 1, label)
            self._maps_layout.insertWidget(self._maps_layout.count() - 1, grid)
            self._stage_rows.append((label, grid))
        for i, (label, grid) in enumerate(self._stage_rows):
            shown = i < len(stages)
            label.setVisible(shown)
            grid.setVisible(shown)
            if shown:
                label.setText(self.stage_text(stages[i]))
                grid.set_images(map_images(stages[i].maps))
        self.caption.setText(caption)

    def show_message(self, text: str) -> None:
        """Nothing to draw (yet): say why."""
        self._filters = None
        self.filters_caption.setText("")
        self.filters_view.set_images([])
        self.set_maps([], text)
        self.set_sample(None, "")
