"""The two live plots: loss per iteration and per-epoch metrics (pyqtgraph).

Both plots are fed numpy blocks and redraw from a coalescing single-shot timer, never per event.
Curves are created once and only ``setData``'d afterwards.

Decimation contract (tests rely on it): the iteration plot's first data item is the raw
per-iteration curve. It is given every value in the visible range while there are at most
``RAW_POINTS_PER_PIXEL`` values per pixel of plot width; beyond that it shows one min/max pair per
pixel column, computed from :class:`~workbench.ui.series.PeakSeries` in O(width) time. The full
history is always available from :meth:`IterationPlot.raw_data` (and ``smoothed_data``,
``EpochPlot.table``), whatever the zoom.
"""

from __future__ import annotations

import csv
import io
import math
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFontMetricsF, QPainterPath
from PySide6.QtWidgets import QGraphicsPathItem, QWidget

from workbench.core.events import EpochEnded
from workbench.ui import numbers
from workbench.ui.series import RAW_POINTS_PER_PIXEL, DebiasedEma, GrowingArray, PeakSeries
from workbench.ui.widgets import cache_axes

RAW_COLOR = (31, 119, 180)
# The raw per-iteration curve under the smoothed one: a pale but OPAQUE colour. An alpha pen
# costs ~15x more to draw (13.7 ms vs 0.9 ms for 2,000 points in Qt's raster engine).
RAW_PALE = (166, 198, 227)
SMOOTH_COLOR = (13, 71, 161)
VAL_COLOR = (230, 97, 1)
ACC_COLOR = (44, 160, 44)
BOUNDARY_COLOR = (215, 215, 215)
BEST_COLOR = (148, 103, 189)
# The gap between the training and validation loss curves, shaded lightly; where validation is
# above training and the gap grows (overfitting) in a warmer tint. Translucent: the accuracy
# curve lies in a view box beneath and must stay visible through the shading.
GAP_COLOR = (120, 144, 190, 40)
OVERFIT_COLOR = (230, 97, 1, 60)
NOTE_COLOR = (90, 90, 90)

# While training, each plot redraws at most 5 times a second (a curve that grows five times a
# second looks live), and less when a redraw is expensive: its refresh + paint may take about
# LIVE_GUI_SHARE of the GUI thread's time (a redraw of ~4-5 ms: about once a second). Painting
# holds Python's GIL, which the training thread needs too, so that share is taken from training
# speed, and several times its CPU time when other processes keep the second core busy. Measured
# on 2 cores (spiral, batch 32, live views shown): a share of 0.015 trained at 0.79-0.82x the
# plain loop, 0.0075 at 0.83-0.86x.
# Measured again with the layout held still (paired runs in one process, spiral at batch 32):
# a share of 0.01 trained at a median 0.92x, 0.004 at 0.97x. A paced run (a set number of
# iterations a second) waits between steps anyway: its plots redraw up to 5 times a second
# whatever a redraw costs (``set_paced``).
LIVE_MIN_INTERVAL = 1 / 5
LIVE_GUI_SHARE = 0.005
# Live plots take turns: a redraw waits until this long after another plot's, so their paints
# fall in different passes of the event loop. Painted in one pass, the two plots (with the
# live views beside them) held the GUI thread for 20-40 ms and made it late by as much.
LIVE_STAGGER = 0.04

# While training, the x axis grows to this many times the data once the data reaches its end.
LIVE_X_GROWTH = 1.4

# Symbols on the epoch curves only while they stay readable (and cheap to paint).
_MAX_SYMBOLS = 40
# Axis ends grow through these steps (x 10^k), so a live plot's axes change a few times per
# decade of data instead of every frame: re-laying out ticks is a large part of a repaint.
_NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceil(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (x 10^k) at least ``value``."""
    if not math.isfinite(value) or value <= 1.0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for step in _NICE_STEPS:
        if step * magnitude >= value * (1 - 1e-12):
            return step * magnitude
    return 10.0 * magnitude


def sticky_range(current: tuple[float, float] | None, lo: float, hi: float
                 ) -> tuple[float, float] | None:
    """A y range holding ``[lo, hi]`` that changes only when the data leaves it (or it is far
    too loose): the axis stays still while a curve wiggles inside it."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return current
    span = max(hi - lo, abs(hi) * 1e-3, 1e-9)
    want_lo, want_hi = lo - 0.05 * span, hi + 0.05 * span
    # Losses and accuracies are never negative: no axis room below zero beyond a sliver.
    floor = -0.02 * span if lo >= 0 else -math.inf
    want_lo = max(want_lo, floor)
    if current is None:
        return want_lo, want_hi
    c_lo, c_hi = current
    if (c_hi - c_lo) > 1.6 * (want_hi - want_lo):  # far too loose (the loss fell a lot)
        return want_lo, want_hi
    # The data itself decides, not its padded range: the floor below zero moves with the span,
    # and following it moved the axis (and re-laid out its ticks) on every frame.
    if lo >= c_lo and hi <= c_hi:
        return current
    # Grow only the side the data left, with headroom so the next frames need no change;
    # the other side stays put (recomputing it from noisy bounds would make ranges flicker).
    extra = 0.1 * (want_hi - want_lo)
    return (max(want_lo - extra, floor) if want_lo < c_lo else c_lo,
            want_hi + extra if want_hi > c_hi else c_hi)


def _touching(pairs: np.ndarray) -> np.ndarray:
    """Min/max pairs, each widened to reach the previous column's range (no gaps on slopes)."""
    lo, hi = pairs[0::2].copy(), pairs[1::2].copy()
    lo[1:] = np.fmin(lo[1:], pairs[1:-2:2])
    hi[1:] = np.fmax(hi[1:], pairs[0:-2:2])
    out = np.empty_like(pairs)
    out[0::2], out[1::2] = lo, hi
    return out


def _bounds(arrays: Sequence[np.ndarray], log: bool) -> tuple[float, float]:
    """Finite min and max over the drawn arrays, in view units (log10 on a log axis)."""
    lo, hi = math.inf, -math.inf
    for arr in arrays:
        if len(arr) == 0:
            continue
        a = arr[np.isfinite(arr)]
        if log:
            a = a[a > 0]
        if len(a):
            lo, hi = min(lo, float(a.min())), max(hi, float(a.max()))
    if log and math.isfinite(lo):
        return math.log10(lo), math.log10(hi)
    return lo, hi


def _fmt(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "–" if value is None else str(value)
    return numbers.number(value, 5)


class _LossPlotBase(pg.PlotWidget):
    """Shared set-up: white background, grid, own context-menu actions, coalesced refresh."""

    _last_live_refresh = 0.0  # perf_counter time of the last live redraw of any plot

    #: text describing the point under the mouse ("" when the mouse leaves the plot)
    hover_text_changed = Signal(str)
    #: the user asked to save this plot as PNG / its data as CSV (the window asks for a path)
    save_png_requested = Signal()
    save_csv_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        item = self.plotItem
        item.showGrid(x=False, y=False)
        # pyqtgraph's own "Plot options" (downsampling, FFT, averaging) would fight our
        # decimation; keep only the view-box menu and add our export actions to it.
        item.setMenuEnabled(False, enableViewBoxMenu=True)
        self.scene().contextMenu = []
        menu = item.vb.menu
        menu.addSeparator()
        self.save_png_action = QAction(self.tr("Save plot as PNG..."), self)
        self.save_csv_action = QAction(self.tr("Save data as CSV..."), self)
        self.save_png_action.triggered.connect(self.save_png_requested)
        self.save_csv_action.triggered.connect(self.save_csv_requested)
        menu.addAction(self.save_png_action)
        menu.addAction(self.save_csv_action)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTextPen((60, 60, 60))
            item.getAxis(axis).setPen((150, 150, 150))
            # "Loss (x0.001)" confuses more than it helps: plain numbers on the axes.
            item.getAxis(axis).enableAutoSIPrefix(False)
        cache_axes(item)

        self._log_y = False
        # The view follows the data (its own sticky ranges, not pyqtgraph's auto-range, which
        # would move the axes every frame) until the person zooms or pans.
        self._follow = True
        self._applying = False
        self._applied: tuple[tuple[float, float], tuple[float, float] | None] | None = None
        item.vb.disableAutoRange()
        item.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        # Single-shot, zero interval: any number of refresh requests in one event-loop pass
        # (new data, a zoom, a resize) cost one refresh.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._on_refresh_timer)
        self._live = False
        self._paced = False
        self._last_refresh = 0.0
        self._refresh_cost = 0.0  # CPU seconds of the last refresh
        self._frame_cost = 0.0  # smoothed CPU seconds of refresh + paint
        item.vb.sigRangeChanged.connect(self._on_view_range_changed)
        item.vb.sigResized.connect(self.request_refresh)
        self.scene().sigMouseMoved.connect(self._on_scene_mouse_moved)

        self._marker = pg.ScatterPlotItem(size=8, pen=pg.mkPen("w"), brush=pg.mkBrush(SMOOTH_COLOR))
        self._marker.setZValue(20)
        self._marker.hide()
        item.vb.addItem(self._marker, ignoreBounds=True)

    # -- refresh ---------------------------------------------------------------------------
    def set_live(self, live: bool) -> None:
        """While training: redraws are rate-limited to keep the GUI thread's share small."""
        if bool(live) != self._live:
            self._live = bool(live)
            self._drawn_key = None  # what is drawn may depend on it (epoch symbols)
            self._applied = None  # the ranges fit the data tightly again
            self.request_refresh()

    def set_paced(self, paced: bool) -> None:
        """Runs are paced (a chosen number of iterations a second): live redraws are limited
        by ``LIVE_MIN_INTERVAL`` alone, not by their cost, as training waits between steps."""
        self._paced = bool(paced)

    @property
    def frame_cost(self) -> float:
        """Smoothed CPU seconds of one redraw (refresh and paint)."""
        return self._frame_cost

    def request_refresh(self) -> None:
        if self._refresh_timer.isActive():
            return
        delay = 0.0
        if self._live:
            interval = LIVE_MIN_INTERVAL if self._paced else max(
                LIVE_MIN_INTERVAL, self._frame_cost / LIVE_GUI_SHARE)
            delay = max(0.0, interval - (time.perf_counter() - self._last_refresh),
                        self._turn_wait())
        self._refresh_timer.start(round(1000 * delay))

    @staticmethod
    def _turn_wait() -> float:
        """Seconds until a live plot may redraw after the last live redraw of any plot."""
        return max(0.0, _LossPlotBase._last_live_refresh + LIVE_STAGGER - time.perf_counter())

    def _on_refresh_timer(self) -> None:
        wait = self._turn_wait() if self._live else 0.0
        if wait > 0.0:  # another plot redrew meanwhile: take the next turn
            self._refresh_timer.start(round(1000 * wait) + 1)
            return
        self.refresh()

    def refresh(self) -> None:
        """Redraw now from the buffers (normally called by the coalescing timer)."""
        self._refresh_timer.stop()
        self._last_refresh = time.perf_counter()
        if self._live:
            _LossPlotBase._last_live_refresh = self._last_refresh
        started = time.thread_time()
        self._redraw()
        # pyqtgraph settles the view's transform when a paint begins, which marks the curves
        # dirty again and costs a second paint of the plot after each refresh (measured under
        # Xvfb: two paints per refresh). Settled here, the one paint that follows is the last.
        self.scene().prepareForPaint()
        self._refresh_cost = time.thread_time() - started

    def paintEvent(self, event: object) -> None:
        started = time.thread_time()
        super().paintEvent(event)
        cost = self._refresh_cost + time.thread_time() - started
        self._refresh_cost = 0.0
        self._frame_cost = cost if self._frame_cost == 0.0 else (
            0.8 * self._frame_cost + 0.2 * cost)

    def stop_refresh(self) -> None:
        """Drop a pending refresh (the window is closing)."""
        self._refresh_timer.stop()

    def _redraw(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _on_view_range_changed(self, *_args: object) -> None:
        if not self._applying:  # our own follow step already redrew for the new range
            self.request_refresh()

    def _pixels(self) -> int:
        return max(100, int(self.plotItem.vb.width()))

    # -- following the data ----------------------------------------------------------------
    def follow_data(self) -> None:
        """Show all the data and keep following it as it grows (View > Show all data)."""
        self._follow = True
        self._applied = None
        self.request_refresh()

    def show_x_range(self, x0: float, x1: float) -> None:
        """Zoom to ``[x0, x1]`` and stop following, as a mouse zoom does."""
        self._follow = False
        self.plotItem.vb.setXRange(x0, x1, padding=0)
        self.request_refresh()

    def _on_range_changed_manually(self, *_args: object) -> None:
        self._follow = False

    def _take_autorange_request(self) -> None:
        """pyqtgraph's "A" button and "View all" switch its auto-range on: follow instead."""
        vb = self.plotItem.vb
        if any(vb.autoRangeEnabled()):
            vb.disableAutoRange()
            self.follow_data()

    def _window(self, x_first: float, count: int, minimum: int, pad: float
                ) -> tuple[float, float]:
        """The followed x range: from the first point to a nice round end beyond the last
        while training (few axis changes), to the last point once the run is over."""
        start = x_first - pad
        need = max(count, minimum) + pad
        if not self._live:
            return start, start + need
        if self._applied is not None:
            (x0, x1), _ = self._applied
            if x0 == start and x1 - start >= need:
                return x0, x1  # the data still fits: the axis stays still
        # Room for LIVE_X_GROWTH times the data: a fast run's axis then changes a few times
        # per decade of iterations rather than at every redraw.
        return start, start + nice_ceil(LIVE_X_GROWTH * need)

    def _apply_follow(self, x_range: tuple[float, float], y_bounds: tuple[float, float]
                      ) -> None:
        previous_y = self._applied[1] if self._applied is not None else None
        y_range = sticky_range(previous_y, *y_bounds)
        wanted = (x_range, y_range)
        if wanted == self._applied:
            return
        self._applied = wanted
        self._applying = True
        try:
            if y_range is None:
                self.plotItem.vb.setXRange(*x_range, padding=0)
            else:
                self.plotItem.vb.setRange(xRange=x_range, yRange=y_range, padding=0)
        finally:
            self._applying = False

    # -- log scale ---------------------------------------------------------------------------
    @property
    def log_y(self) -> bool:
        return self._log_y

    def set_log_y(self, on: bool) -> None:
        self._log_y = bool(on)
        self.plotItem.setLogMode(False, self._log_y)
        self.follow_data()

    def _to_view_y(self, y: float) -> float:
        if not self._log_y:
            return y
        return math.log10(y) if y > 0 else float("nan")

    # -- hover ------------------------------------------------------------------------------
    def _on_scene_mouse_moved(self, pos: QPointF) -> None:
        vb = self.plotItem.vb
        if not vb.sceneBoundingRect().contains(pos):
            self._marker.hide()
            self.hover_text_changed.emit("")
            return
        point = vb.mapSceneToView(pos)
        text, marker = self._describe(point.x())
        if marker is None or not math.isfinite(marker[1]):
            self._marker.hide()
        else:
            self._marker.setData([marker[0]], [marker[1]])
            self._marker.show()
        self.hover_text_changed.emit(text)

    def _describe(self, x: float) -> tuple[str, tuple[float, float] | None]:  # pragma: no cover
        raise NotImplementedError

    def clear_view(self) -> None:
        """After ``reset`` with nothing to come: the axes of an empty plot (not the range of
        data that is gone), and no read-out of its values."""
        self._marker.hide()
        self.hover_text_changed.emit("")
        self._applied = None
        self._applying = True  # not a zoom by the person: the view keeps following the data
        try:
            self.plotItem.vb.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
        finally:
            self._applying = False

    def save_png(self, path: str | Path) -> None:
        if not self.grab().save(str(path), "PNG"):
            raise OSError(self.tr("The image could not be written to {path}.").format(path=path))


class EpochBoundaries:
    """Epoch boundaries drawn as ONE curve of vertical segments (``connect="pairs"``).

    Thousands of epochs cost one item, not thousands of InfiniteLines; only visible boundaries
    are drawn, and they are thinned to a readable spacing when zoomed far out.
    """

    def __init__(self, view_box: pg.ViewBox) -> None:
        self._iterations = GrowingArray(np.float64, 256)  # global iteration ending each epoch
        self.first_epoch = 1
        self._curve = pg.PlotCurveItem(pen=pg.mkPen(BOUNDARY_COLOR, width=1), connect="pairs")
        self._curve.setZValue(-10)
        view_box.addItem(self._curve, ignoreBounds=True)

    def clear(self, first_epoch: int = 1) -> None:
        self._iterations.clear()
        self.first_epoch = first_epoch
        self._curve.setData([], [])

    def extend(self, iterations: Sequence[int]) -> None:
        self._iterations.extend(np.asarray(iterations, dtype=np.float64))

    def iterations(self) -> np.ndarray:
        return self._iterations.view()

    @property
    def nbytes(self) -> int:
        return self._iterations.nbytes

    def epoch_of(self, iteration: int) -> int:
        """The epoch a global iteration belongs to."""
        ends = self._iterations.view()
        return self.first_epoch + int(np.searchsorted(ends, iteration, side="left"))

    def update(self, x_range: tuple[float, float], y_range: tuple[float, float],
               pixels: int) -> None:
        ends = self._iterations.view()
        if len(ends) == 0:
            self._curve.setData([], [])
            return
        lo = int(np.searchsorted(ends, x_range[0] - 0.5, side="left"))
        hi = int(np.searchsorted(ends, x_range[1] - 0.5, side="right"))
        index = np.arange(lo, hi)
        count = hi - lo
        limit = max(1, pixels // 25)  # at least ~25 px apart, or the plot turns grey
        if count > limit:
            step = _nice_step(count / limit)
            index = index[(self.first_epoch + index) % step == 0]
        xs = np.repeat(ends[index] + 0.5, 2)
        ys = np.tile(np.array(y_range, dtype=np.float64), len(index))
        self._curve.setData(xs, ys, connect="pairs")


def _quads_path(x: np.ndarray, low: np.ndarray, high: np.ndarray, starts: np.ndarray
                ) -> QPainterPath:
    """One closed quadrilateral per index i in ``starts``, between the curves ``low`` and
    ``high`` from x[i] to x[i + 1], as one path built in bulk (a Python loop over the epochs
    cost milliseconds per redraw of a long run)."""
    if len(starts) == 0:
        path = QPainterPath()
    else:
        i, j = starts, starts + 1
        xs = np.stack([x[i], x[j], x[j], x[i], x[i]], axis=1).ravel()
        ys = np.stack([low[i], low[j], high[j], high[i], low[i]], axis=1).ravel()
        connect = np.ones(len(xs), dtype=np.int32)
        connect[4::5] = 0  # each quadrilateral ends where it began; the next starts afresh
        path = pg.arrayToQPath(xs, ys, connect=connect, finiteCheck=False)
    path.setFillRule(Qt.WindingFill)
    return path


def _nice_step(minimum: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least ``minimum``."""
    magnitude = 10 ** math.floor(math.log10(max(minimum, 1.0)))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= minimum:
            return int(factor * magnitude)
    return int(10 * magnitude)


class IterationPlot(_LossPlotBase):
    """Loss of every iteration (x = global iteration): raw curve, debiased EMA, epoch boundaries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("iterationPlot")
        self.setAccessibleName(self.tr("Loss per iteration"))
        item = self.plotItem
        item.setLabel("bottom", self.tr("Iteration"))
        item.setLabel("left", self.tr("Loss"))
        self._legend = item.addLegend(offset=(-10, 10), labelTextColor=(60, 60, 60),
                                      brush=pg.mkBrush(255, 255, 255, 210))
        # Created once; afterwards only setData. The raw curve must stay the first data item.
        self._raw_curve = item.plot([], [], pen=pg.mkPen(RAW_PALE, width=1),
                                    name=self.tr("loss per iteration"))
        # 1 px: a 2 px pen is stroked as segments, 20x the cost of a 1 px polyline.
        self._smooth_curve = item.plot([], [], pen=pg.mkPen(SMOOTH_COLOR, width=1),
                                       name=self.tr("smoothed"))
        for curve in (self._raw_curve, self._smooth_curve):
            curve.setClipToView(True)
        self._boundaries = EpochBoundaries(item.vb)
        self._raw = PeakSeries(x0=1)
        self._smooth = PeakSeries(x0=1)
        self._ema = DebiasedEma(0.6)
        self._drawn_key: tuple | None = None
        self._boundaries_key: tuple | None = None
        self._y_bounds = (math.inf, -math.inf)

    # -- data ------------------------------------------------------------------------------
    def reset(self, start_iteration: int = 0, start_epoch: int = 1) -> None:
        """Forget everything; the next iteration to arrive is ``start_iteration + 1``."""
        self._raw.clear(x0=start_iteration + 1)
        self._smooth.clear(x0=start_iteration + 1)
        self._ema.reset()
        self._boundaries.clear(first_epoch=start_epoch)
        self._drawn_key = None
        self._y_bounds = (math.inf, -math.inf)
        self.follow_data()

    @property
    def next_iteration(self) -> int:
        return int(self._raw.x0) + len(self._raw)

    def append_losses(self, first_iteration: int, losses: np.ndarray) -> None:
        """Append a block of consecutive losses whose first is global ``first_iteration``."""
        losses = np.asarray(losses, dtype=np.float32).ravel()
        expected = self.next_iteration
        if first_iteration > expected:  # a gap would misplace every later point: mark it NaN
            losses = np.concatenate([np.full(first_iteration - expected, np.nan, np.float32),
                                     losses])
        elif first_iteration < expected:  # already have these
            losses = losses[expected - first_iteration :]
        if len(losses) == 0:
            return
        self._raw.extend(losses)
        self._smooth.extend(self._ema.apply(losses))
        self.request_refresh()

    def add_epoch_ends(self, iterations: Sequence[int]) -> None:
        """Mark the end of epochs at these global iterations."""
        if len(iterations):
            self._boundaries.extend(iterations)
            self.request_refresh()

    @property
    def smoothing(self) -> float:
        return self._ema.weight

    def set_smoothing(self, weight: float) -> None:
        """Recompute the smoothed curve for a new weight (0 = off, up to 0.99)."""
        weight = min(max(float(weight), 0.0), 0.999)
        if weight == self._ema.weight:
            return
        self._ema = DebiasedEma(weight)
        raw = self._raw.values()
        self._smooth.clear(x0=self._raw.x0)
        self._smooth.extend(self._ema.apply(raw))
        self._drawn_key = None
        self.request_refresh()

    def raw_data(self) -> tuple[np.ndarray, np.ndarray]:
        """Every iteration's ``(x, loss)``, whatever is drawn (copies)."""
        return self._raw.xs(), self._raw.values().copy()

    def smoothed_data(self) -> tuple[np.ndarray, np.ndarray]:
        return self._smooth.xs(), self._smooth.values().copy()

    def history_nbytes(self) -> int:
        """Memory held by the history (buffers include their spare capacity)."""
        return self._raw.nbytes + self._smooth.nbytes + self._boundaries.nbytes

    def epoch_end_iterations(self) -> np.ndarray:
        return self._boundaries.iterations().copy()

    def __len__(self) -> int:
        return len(self._raw)

    # -- drawing -----------------------------------------------------------------------------
    def _redraw(self) -> None:
        """Redraw from the buffers; O(plot width), independent of the history length."""
        self._take_autorange_request()
        n = len(self._raw)
        width = self._pixels()
        if self._follow:
            x_range = self._window(self._raw.x0, n, minimum=10, pad=1.0)
            a, b = 0, n
        else:
            x_range = tuple(self.plotItem.vb.viewRange()[0])
            a, b = self._raw.index_range(*x_range)
        # Pixels the drawn points span: the followed range leaves room on the right.
        pixels = max(50, int(width * max(b - a, 1) / max(x_range[1] - x_range[0], 1e-9)))
        smoothing_on = self._ema.weight > 0
        key = (n, a, b, pixels, smoothing_on, self._log_y)
        if key != self._drawn_key:
            self._drawn_key = key
            x, y = self._raw.decimated(a, b, pixels)
            if b - a > RAW_POINTS_PER_PIXEL * pixels:
                # Min/max pairs: drawn as one vertical stroke per pixel column, widened to
                # touch the neighbouring column, instead of a zigzag (half the pixels to draw).
                self._raw_curve.setData(x, _touching(y), connect="pairs")
            else:
                self._raw_curve.setData(x, y, connect="all")
            drawn = [y]
            if smoothing_on:
                xs, ys = self._smooth.decimated(a, b, pixels)
                self._smooth_curve.setData(xs, ys)
                self._raw_curve.setPen(pg.mkPen(RAW_PALE, width=1))
                drawn.append(ys)
            else:
                self._smooth_curve.setData([], [])
                self._raw_curve.setPen(pg.mkPen(SMOOTH_COLOR, width=1))
            self._smooth_curve.setVisible(smoothing_on)
            self._y_bounds = _bounds(drawn, self._log_y)
        if self._follow and n:
            self._apply_follow(x_range, self._y_bounds)
        view_x, view_y = self.plotItem.vb.viewRange()
        boundaries_key = (len(self._boundaries.iterations()), tuple(view_x), tuple(view_y), width)
        if boundaries_key != self._boundaries_key:
            self._boundaries_key = boundaries_key
            self._boundaries.update(tuple(view_x), tuple(view_y), width)

    def _describe(self, x: float) -> tuple[str, tuple[float, float] | None]:
        n = len(self._raw)
        if n == 0:
            return "", None
        i = min(max(round(x - self._raw.x0), 0), n - 1)
        iteration = int(self._raw.x0) + i
        loss = float(self._raw.values()[i])
        smooth = float(self._smooth.values()[i])
        epoch = self._boundaries.epoch_of(iteration)
        if self._ema.weight > 0:
            text = self.tr("Iteration {iteration} (epoch {epoch}): loss {loss}, smoothed {smooth}")
        else:
            text = self.tr("Iteration {iteration} (epoch {epoch}): loss {loss}")
        text = text.format(iteration=numbers.count(iteration), epoch=epoch, loss=_fmt(loss),
                           smooth=_fmt(smooth))
        return text, (iteration, self._to_view_y(loss))

    def save_csv(self, path: str | Path) -> None:
        """Every iteration: global iteration, epoch, loss, smoothed loss."""
        x, y = self.raw_data()
        _, s = self.smoothed_data()
        ends = self._boundaries.iterations()
        epochs = self._boundaries.first_epoch + np.searchsorted(ends, x, side="left")
        fh = io.StringIO()
        writer = csv.writer(fh)
        writer.writerow(["iteration", "epoch", "loss", f"smoothed_{self._ema.weight:g}"])
        for row in zip(x.astype(np.int64).tolist(), epochs.tolist(), y.tolist(), s.tolist(),
                       strict=True):
            writer.writerow(row)
        _write_whole(path, fh.getvalue())


def _write_whole(path: str | Path, text: str) -> None:
    """Written atomically: a failed write leaves the old file, never half a new one."""
    from workbench.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), text.encode("utf-8"))


class EpochPlot(_LossPlotBase):
    """Per-epoch mean training loss, validation loss and (classification) validation accuracy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("epochPlot")
        self.setAccessibleName(self.tr("Loss and accuracy per epoch"))
        item = self.plotItem
        item.setLabel("bottom", self.tr("Epoch"))
        item.setLabel("left", self.tr("Loss"))
        self._legend = self._legend_above(item)
        self._train_curve = item.plot([], [], pen=pg.mkPen(RAW_COLOR, width=2),
                                      name=self.tr("training loss"))
        self._val_curve = item.plot([], [], pen=pg.mkPen(VAL_COLOR, width=2),
                                    name=self.tr("validation loss"))
        # Accuracy on its own right-hand axis: a second view box sharing x, fixed 0-100 %.
        self._acc_view = pg.ViewBox(enableMenu=False)
        self._acc_view.setMouseEnabled(False, False)
        self._acc_view.setZValue(-100)  # under the main view box, which keeps the mouse
        item.scene().addItem(self._acc_view)
        item.showAxis("right")
        right = item.getAxis("right")
        right.linkToView(self._acc_view)
        right.setLabel(self.tr("Validation accuracy (%)"))
        right.setTextPen((60, 60, 60))
        right.setPen((150, 150, 150))
        right.enableAutoSIPrefix(False)
        self._acc_view.setXLink(item.vb)
        self._acc_view.setYRange(0, 100, padding=0.02)
        self._acc_view.enableAutoRange(y=False)
        self._acc_curve = pg.PlotDataItem([], [], pen=pg.mkPen(ACC_COLOR, width=2))
        self._acc_view.addItem(self._acc_curve)
        item.vb.sigResized.connect(self._sync_acc_view)
        item.vb.sigResized.connect(self._fit_legend)
        item.vb.sigResized.connect(self._fit_accuracy_title)
        self._best_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(BEST_COLOR, width=1, style=Qt.DashLine),
            label=self.tr("best"), labelOpts={"position": 0.92, "color": BEST_COLOR})
        self._best_line.hide()
        item.vb.addItem(self._best_line, ignoreBounds=True)
        self._gap_item = self._shading(GAP_COLOR)
        self._overfit_item = self._shading(OVERFIT_COLOR)
        self._gap_epochs = np.zeros(0, np.int64)  # first epoch of each shaded segment
        self._overfit_epochs = np.zeros(0, np.int64)
        # Early stopping's countdown and the restore note, at the view's right edge halfway
        # up: the curves start high on the left (where the losses are largest) and accuracy
        # runs along the top, while the middle right is where a run's curves seldom are.
        self._note = pg.TextItem("", color=NOTE_COLOR, anchor=(1, 0.5),
                                 fill=pg.mkBrush(255, 255, 255, 215))
        self._note.setParentItem(item.vb)
        self._note.setZValue(30)
        item.vb.sigResized.connect(self._place_note)
        self._place_note()
        self._patience_text = ""
        self._restored_text = ""

        self._train = PeakSeries(x0=1)
        self._val = PeakSeries(x0=1)
        self._acc = PeakSeries(x0=1)
        self._train_acc = GrowingArray(np.float32, 64)
        self._lr = GrowingArray(np.float64, 64)
        self._seconds = GrowingArray(np.float64, 64)
        self._best_epoch: int | None = None
        self._drawn_key: tuple | None = None
        self._y_bounds = (math.inf, -math.inf)
        self._set_accuracy_visible(True)

    @staticmethod
    def _legend_above(item: pg.PlotItem) -> pg.LegendItem:
        """The legend over the plot area's top right corner, in the title's row (which this
        plot does not use), where it covers no curve: accuracy climbs into the top right, where
        a legend inside would sit. ``item.legend`` as addLegend sets it, so curves plotted with
        a name join it and the theme styles it like any other."""
        legend = pg.LegendItem(offset=None, labelTextColor=(60, 60, 60), frame=False,
                               brush=pg.mkBrush(255, 255, 255, 0), colCount=3)
        legend.setParentItem(item)  # placed by hand: a layout would hold the plot as wide
        item.legend = legend
        return legend

    def _fit_legend(self) -> None:
        """The legend's entries side by side while they fit over the plot (its axes
        included), else in fewer columns; the title's row as tall as the legend, the legend
        at the plot area's right end (or the plot's, when wider than the area)."""
        legend = self._legend
        view = self.plotItem.vb.geometry()
        room = self.plotItem.width()
        for columns in (3, 2, 1):
            legend.setColumnCount(columns)
            legend.updateSize()
            if legend.width() <= room:
                break
        height = legend.height()
        layout = self.plotItem.layout
        if layout.rowMinimumHeight(0) != height or layout.rowMaximumHeight(0) != height:
            layout.setRowFixedHeight(0, height)
        right = view.right() if legend.width() <= view.width() else room
        legend.setPos(max(right - legend.width(), 0.0), 0.0)

    def _shading(self, color: tuple[int, int, int, int]) -> QGraphicsPathItem:
        shade = QGraphicsPathItem()
        shade.setBrush(QBrush(QColor(*color)))
        shade.setPen(pg.mkPen(None))
        shade.setZValue(-10)  # under the curves
        self.plotItem.vb.addItem(shade, ignoreBounds=True)
        return shade

    def set_log_y(self, on: bool) -> None:
        super().set_log_y(on)
        # pyqtgraph puts both y axes in log mode; accuracy stays a plain 0-100 % scale.
        self.plotItem.getAxis("right").setLogMode(False, False)

    def _sync_acc_view(self) -> None:
        self._acc_view.setGeometry(self.plotItem.vb.sceneBoundingRect())
        self._acc_view.linkedViewChanged(self.plotItem.vb, self._acc_view.XAxis)

    def _set_accuracy_visible(self, on: bool) -> None:
        self._acc_curve.setVisible(on)
        right = self.plotItem.getAxis("right")
        right.setStyle(showValues=on)
        right.setLabel(self.tr("Validation accuracy (%)") if on else "")
        self._fit_accuracy_title()
        in_legend = any(sample.item is self._acc_curve for sample, _ in self._legend.items)
        if on and not in_legend:
            self._legend.addItem(self._acc_curve, self.tr("validation accuracy"))
        elif not on and in_legend:
            self._legend.removeItem(self._acc_curve)
        self._fit_legend()

    def _fit_accuracy_title(self, *_args: object) -> None:
        """The right axis's title runs up its side: on a plot shorter than the title it says
        only "%" (the legend names the curve) rather than being cut at both ends."""
        if not self._acc_curve.isVisible():
            return
        right = self.plotItem.getAxis("right")
        full = self.tr("Validation accuracy (%)")
        width = QFontMetricsF(right.label.font()).horizontalAdvance(full)
        text = full if width <= self.plotItem.vb.height() else "%"
        if right.labelText != text:
            right.setLabel(text)

    @property
    def accuracy_title(self) -> str:
        return self.plotItem.getAxis("right").labelText

    # -- data --------------------------------------------------------------------------------
    def reset(self, start_epoch: int = 1, classification: bool = True) -> None:
        for series in (self._train, self._val, self._acc):
            series.clear(x0=start_epoch)
        for arr in (self._train_acc, self._lr, self._seconds):
            arr.clear()
        self._set_accuracy_visible(classification)
        self.set_best_epoch(None)
        self._patience_text = self._restored_text = ""
        self._update_note()
        for shade in (self._gap_item, self._overfit_item):
            shade.setPath(QPainterPath())
        self._gap_epochs = self._overfit_epochs = np.zeros(0, np.int64)
        self._drawn_key = None
        self._y_bounds = (math.inf, -math.inf)
        self.follow_data()

    def append_epochs(self, epochs: Sequence[EpochEnded], epoch_offset: int = 0) -> None:
        """Append consecutive epochs; ``epoch_offset`` shifts their numbers (continued runs)."""
        if not epochs:
            return

        def col(values: list[float | None]) -> np.ndarray:
            return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

        self._train.extend(col([e.train_loss for e in epochs]))
        self._val.extend(col([e.val_loss for e in epochs]))
        self._acc.extend(col([None if e.val_accuracy is None else 100.0 * e.val_accuracy
                              for e in epochs]))
        self._train_acc.extend(col([e.train_accuracy for e in epochs]))
        self._lr.extend(col([e.lr for e in epochs]))
        self._seconds.extend(col([e.seconds for e in epochs]))
        last = epochs[-1]
        if last.best_epoch is not None and last.patience_left is not None:
            self.set_best_epoch(last.best_epoch + epoch_offset)  # marked when early stopping is on
        if last.patience_left is not None:
            total = last.patience or max(e.patience_left or 0 for e in epochs)
            self._patience_text = self.tr("Early stopping: patience {left} of {total} left"
                                          ).format(left=last.patience_left, total=total)
            self._update_note()
        self.request_refresh()

    def mark_restored(self, epoch: int | None = None) -> None:
        """Note that the run ended by restoring the weights of ``epoch`` (default: the best)."""
        epoch = self._best_epoch if epoch is None else epoch
        self._restored_text = "" if epoch is None else self.tr(
            "Restored the weights of epoch {epoch}").format(epoch=epoch)
        self._update_note()

    @property
    def note_text(self) -> str:
        """What the note at the plot's top left says (countdown, restore), "" when nothing."""
        return self._note.toPlainText()

    def _place_note(self, *_args: object) -> None:
        view = self.plotItem.vb.rect()
        self._note.setPos(view.width() - 6, view.height() / 2)

    def _update_note(self) -> None:
        self._note.setText("\n".join(t for t in (self._patience_text, self._restored_text) if t))

    def gap_segments(self) -> tuple[np.ndarray, np.ndarray]:
        """First epochs of the shaded gap segments as drawn: all of them, then those tinted
        as overfitting (validation above training and the gap growing)."""
        return self._gap_epochs.copy(), self._overfit_epochs.copy()

    def _draw_gap(self, a: int, b: int, pixels: int) -> None:
        """Shade between the loss curves, one quadrilateral per pair of neighbouring epochs."""
        step = max(1, (b - a) // max(pixels // 2, 1))  # at most a quad per two pixels
        idx = np.arange(a, b, step)
        if len(idx) and idx[-1] != b - 1:
            idx = np.append(idx, b - 1)
        x = self._train.xs()[idx]
        train = self._train.values()[idx].astype(np.float64)
        val = self._val.values()[idx].astype(np.float64)
        if self._log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                train, val = np.log10(train), np.log10(val)
        ok = np.isfinite(train) & np.isfinite(val)
        seg = np.flatnonzero(ok[:-1] & ok[1:])
        gap = val - train
        overfit = seg[(val[seg + 1] > train[seg + 1]) & (gap[seg + 1] > gap[seg])]
        plain = np.setdiff1d(seg, overfit)
        for item, chosen in ((self._gap_item, plain), (self._overfit_item, overfit)):
            item.setPath(_quads_path(x.astype(np.float64), train, val, chosen))
        self._gap_epochs = x[seg].astype(np.int64)
        self._overfit_epochs = x[overfit].astype(np.int64)

    def set_best_epoch(self, epoch: int | None) -> None:
        self._best_epoch = epoch
        if epoch is None:
            self._best_line.hide()
        else:
            self._best_line.setValue(epoch)
            self._best_line.show()

    @property
    def best_epoch(self) -> int | None:
        return self._best_epoch

    def __len__(self) -> int:
        return len(self._train)

    def table(self) -> dict[str, np.ndarray]:
        """Every epoch's numbers (copies); accuracies as fractions, NaN where absent."""
        return {
            "epoch": self._train.xs().astype(np.int64),
            "train_loss": self._train.values().astype(np.float64),
            "val_loss": self._val.values().astype(np.float64),
            "val_accuracy": self._acc.values().astype(np.float64) / 100.0,
            "train_accuracy": self._train_acc.view().astype(np.float64),
            "lr": self._lr.view().copy(),
            "seconds": self._seconds.view().copy(),
        }

    # -- drawing -------------------------------------------------------------------------------
    def _redraw(self) -> None:
        self._take_autorange_request()
        n = len(self._train)
        width = self._pixels()
        if self._follow:
            x_range = self._window(self._train.x0, n, minimum=4, pad=0.5)
            a, b = 0, n
        else:
            x_range = tuple(self.plotItem.vb.viewRange()[0])
            a, b = self._train.index_range(*x_range)
        pixels = max(50, int(width * max(b - a, 1) / max(x_range[1] - x_range[0], 1e-9)))
        key = (n, a, b, pixels, self._log_y)
        if key != self._drawn_key:
            self._drawn_key = key
            # Symbols cost a Python call each to paint: shown once the run has ended.
            symbols = b - a <= _MAX_SYMBOLS and not self._live
            drawn = []
            for series, curve, color in ((self._train, self._train_curve, RAW_COLOR),
                                         (self._val, self._val_curve, VAL_COLOR),
                                         (self._acc, self._acc_curve, ACC_COLOR)):
                x, y = series.decimated(a, b, pixels)
                if not np.isfinite(y).any():
                    curve.setData([], [])
                    continue
                if curve is not self._acc_curve:
                    drawn.append(y)
                if symbols:
                    curve.setData(x, y, symbol="o", symbolSize=5, symbolPen=None,
                                  symbolBrush=pg.mkBrush(color), connect="finite")
                else:
                    curve.setData(x, y, symbol=None, connect="finite")
            self._draw_gap(a, b, pixels)
            self._y_bounds = _bounds(drawn, self._log_y)
        if self._follow and n:
            self._apply_follow(x_range, self._y_bounds)

    def _describe(self, x: float) -> tuple[str, tuple[float, float] | None]:
        n = len(self._train)
        if n == 0:
            return "", None
        i = min(max(round(x - self._train.x0), 0), n - 1)
        epoch = int(self._train.x0) + i
        train = float(self._train.values()[i])
        val = float(self._val.values()[i])
        acc = float(self._acc.values()[i])
        parts = [self.tr("Epoch {epoch}: training loss {train}").format(epoch=epoch,
                                                                       train=_fmt(train))]
        if math.isfinite(val):
            parts.append(self.tr("validation loss {val}").format(val=_fmt(val)))
        if math.isfinite(acc):
            parts.append(self.tr("validation accuracy {acc} %").format(acc=f"{acc:.2f}"))
        if self._best_epoch == epoch:
            parts.append(self.tr("best epoch"))
        if epoch - 1 in self._overfit_epochs:
            parts.append(self.tr("validation loss above training and the gap growing: "
                                 "overfitting"))
        return self.tr(", ").join(parts), (epoch, self._to_view_y(train))

    def save_csv(self, path: str | Path) -> None:
        table = self.table()
        names = list(table)
        fh = io.StringIO()
        writer = csv.writer(fh)
        writer.writerow(names)
        for row in zip(*(table[k].tolist() for k in names), strict=True):
            writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in row])
        _write_whole(path, fh.getvalue())
