"""Growing loss series for the live plots: numpy buffers, min/max decimation, debiased EMA.

Pure numpy (no Qt) so the arithmetic is testable on its own. The plots hold one
:class:`PeakSeries` per curve. A series appends blocks of values in amortised O(block) time and
answers "what should be drawn for indices a..b at W pixels" in O(W) time, whatever its length:
it keeps the minimum and maximum of consecutive blocks of 16, 64, 256, ... values (a pyramid),
so a refresh never walks the whole history. Min/max ("peak") decimation keeps every spike
visible: every value lies between the drawn minimum and maximum of its pixel column.
"""

from __future__ import annotations

import math

import numpy as np

# Pyramid levels hold blocks of BASE * FACTOR**k values. 16 keeps the pyramid small (1/6 of the
# raw series in float32) while the raw data covers view buckets below 16 values per pixel.
_BASE = 16
_FACTOR = 4
# Below this many values per pixel the raw values are drawn as they are; above it the view is
# decimated to about one min/max pair per pixel column.
RAW_POINTS_PER_PIXEL = 4


class GrowingArray:
    """A preallocated numpy buffer that doubles when full; ``view()`` is ``buf[:n]`` (no copy)."""

    def __init__(self, dtype: type = np.float32, capacity: int = 1024) -> None:
        self._buf = np.empty(max(1, capacity), dtype=dtype)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    @property
    def nbytes(self) -> int:
        return self._buf.nbytes

    def view(self) -> np.ndarray:
        return self._buf[: self._n]

    def clear(self) -> None:
        self._n = 0

    def extend(self, values: np.ndarray) -> None:
        m = len(values)
        if m == 0:
            return
        need = self._n + m
        if need > len(self._buf):
            capacity = len(self._buf)
            while capacity < need:
                capacity *= 2
            grown = np.empty(capacity, dtype=self._buf.dtype)
            grown[: self._n] = self._buf[: self._n]
            self._buf = grown
        self._buf[self._n : need] = values
        self._n = need


class PeakSeries:
    """A growing series of float32 values at x = ``x0``, ``x0 + 1``, ... with a min/max pyramid.

    x is implicit (consecutive integers), so finding the visible slice is arithmetic, not a search.
    Non-finite values are kept; the pyramid ignores NaN (``np.fmin``/``np.fmax``) unless a whole
    block is NaN.
    """

    def __init__(self, x0: float = 1.0) -> None:
        self.x0 = float(x0)
        self._values = GrowingArray(np.float32)
        self._mins: list[GrowingArray] = []
        self._maxs: list[GrowingArray] = []

    def __len__(self) -> int:
        return len(self._values)

    @property
    def nbytes(self) -> int:
        return self._values.nbytes + sum(a.nbytes for a in self._mins + self._maxs)

    def values(self) -> np.ndarray:
        """All values (a view into the buffer; copy it before keeping it)."""
        return self._values.view()

    def xs(self) -> np.ndarray:
        return self.x0 + np.arange(len(self), dtype=np.float64)

    def clear(self, x0: float | None = None) -> None:
        if x0 is not None:
            self.x0 = float(x0)
        self._values.clear()
        self._mins.clear()
        self._maxs.clear()

    def extend(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=np.float32).ravel()
        if len(values) == 0:
            return
        self._values.extend(values)
        self._update_pyramid()

    def _block(self, level: int) -> int:
        return _BASE * _FACTOR**level

    def _update_pyramid(self) -> None:
        n = len(self._values)
        level = 0
        while n >= self._block(level):
            if level == len(self._mins):
                self._mins.append(GrowingArray(np.float32, 64))
                self._maxs.append(GrowingArray(np.float32, 64))
            mins, maxs = self._mins[level], self._maxs[level]
            done = len(mins)
            total = n // self._block(level)
            if total > done:
                if level == 0:
                    src_min = src_max = self._values.view()[done * _BASE : total * _BASE]
                    group = _BASE
                else:
                    lo, hi = done * _FACTOR, total * _FACTOR
                    src_min = self._mins[level - 1].view()[lo:hi]
                    src_max = self._maxs[level - 1].view()[lo:hi]
                    group = _FACTOR
                mins.extend(np.fmin.reduce(src_min.reshape(-1, group), axis=1))
                maxs.extend(np.fmax.reduce(src_max.reshape(-1, group), axis=1))
            level += 1

    def index_range(self, x_lo: float, x_hi: float, margin: int = 1) -> tuple[int, int]:
        """Indices ``[a, b)`` of the values whose x lies in ``[x_lo, x_hi]``, plus ``margin``."""
        n = len(self)
        if n == 0 or not (math.isfinite(x_lo) and math.isfinite(x_hi)):
            return 0, n
        a = math.floor(x_lo - self.x0) - margin
        b = math.ceil(x_hi - self.x0) + 1 + margin
        return min(max(a, 0), n), min(max(b, 0), n)

    def decimated(self, a: int, b: int, pixels: int) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` to draw indices ``[a, b)`` on ``pixels`` columns, in O(pixels) time.

        Returns the raw values when there are at most ``RAW_POINTS_PER_PIXEL`` per pixel;
        otherwise a min/max pair per column, as ``x = [c0, c0, c1, c1, ...]``,
        ``y = [min0, max0, min1, max1, ...]``.
        """
        n = len(self)
        a, b = max(0, a), min(n, b)
        if b <= a:
            return np.empty(0), np.empty(0, dtype=np.float32)
        count = b - a
        pixels = max(1, int(pixels))
        values = self._values.view()
        if count <= RAW_POINTS_PER_PIXEL * pixels:
            return self.x0 + np.arange(a, b, dtype=np.float64), values[a:b]
        bucket = count / pixels
        # The coarsest source whose blocks still fit in one pixel column: raw values (block 1)
        # or a pyramid level.
        level = -1
        while level + 1 < len(self._mins) and self._block(level + 1) <= bucket:
            level += 1
        block = 1 if level < 0 else self._block(level)
        if level < 0:
            src_min = src_max = values
        else:
            src_min, src_max = self._mins[level].view(), self._maxs[level].view()
        ja = -(-a // block)  # first whole block at or after a
        jb = b // block  # blocks [ja, jb) lie inside [a, b)
        group = max(1, int(bucket // block))
        cols_x: list[np.ndarray] = []
        cols_lo: list[np.ndarray] = []
        cols_hi: list[np.ndarray] = []
        head_end = min(ja * block, b)
        if head_end > a:  # partial block before the first whole one: one column
            part = values[a:head_end]
            cols_x.append(np.array([a], dtype=np.float64))
            cols_lo.append(np.array([np.nanmin(part) if np.isfinite(part).any() else np.nan]))
            cols_hi.append(np.array([np.nanmax(part) if np.isfinite(part).any() else np.nan]))
        if jb > ja:
            starts = np.arange(0, jb - ja, group)
            cols_x.append((ja + starts) * float(block))
            cols_lo.append(np.fmin.reduceat(src_min[ja:jb], starts))
            cols_hi.append(np.fmax.reduceat(src_max[ja:jb], starts))
        tail_start = max(jb * block, head_end)
        if b > tail_start:
            part = values[tail_start:b]
            finite = np.isfinite(part).any()
            cols_x.append(np.array([tail_start], dtype=np.float64))
            cols_lo.append(np.array([np.nanmin(part) if finite else np.nan]))
            cols_hi.append(np.array([np.nanmax(part) if finite else np.nan]))
        cx = np.concatenate(cols_x)
        x = np.repeat(self.x0 + cx, 2)
        y = np.empty(len(x), dtype=np.float32)
        y[0::2] = np.concatenate(cols_lo)
        y[1::2] = np.concatenate(cols_hi)
        return x, y


class DebiasedEma:
    """TensorBoard's smoothing: an exponential moving average with its start-up bias removed.

    ``last = last * w + (1 - w) * v``; shown value ``last / (1 - w**k)`` after k finite values.
    Non-finite values are shown as they are and leave the average untouched, as TensorBoard does.
    Computed block-wise in numpy (no Python loop per value).
    """

    def __init__(self, weight: float = 0.6) -> None:
        self.weight = float(weight)
        self.reset()

    def reset(self) -> None:
        self._last = 0.0
        self._count = 0

    def apply(self, values: np.ndarray) -> np.ndarray:
        v = np.asarray(values, dtype=np.float64).ravel()
        out = v.copy()
        finite = np.isfinite(v)
        fv = v[finite]
        if len(fv) == 0:
            return out.astype(np.float32)
        w = self.weight
        if w <= 0.0:
            self._last = float(fv[-1])
            self._count += len(fv)
            return out.astype(np.float32)
        ema = np.empty(len(fv))
        # Closed form per chunk: last_t = w**(t+1) * (last_0 + (1-w) * sum_j w**-(j+1) v_j).
        # Chunks are short enough that w**-chunk stays far from overflow.
        chunk = max(1, min(4096, int(200.0 / -math.log(w)))) if w < 1.0 else 4096
        last = self._last
        for start in range(0, len(fv), chunk):
            seg = fv[start : start + chunk]
            powers = w ** np.arange(1, len(seg) + 1, dtype=np.float64)
            acc = np.cumsum(seg / powers) * (1.0 - w)
            seg_ema = powers * (last + acc)
            ema[start : start + len(seg)] = seg_ema
            last = float(seg_ema[-1])
        counts = self._count + np.arange(1, len(fv) + 1, dtype=np.float64)
        debias = 1.0 - w**counts
        out[finite] = ema / debias
        self._last = last
        self._count += len(fv)
        return out.astype(np.float32)


def ema_debiased(values: np.ndarray, weight: float) -> np.ndarray:
    """The debiased EMA of a whole series (reference for :class:`DebiasedEma`)."""
    return DebiasedEma(weight).apply(values)
