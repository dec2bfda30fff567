"""The plot series arithmetic: decimation keeps every extreme, costs O(pixels), EMA matches."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from workbench.ui.series import DebiasedEma, GrowingArray, PeakSeries, ema_debiased


def _reference_ema(values: np.ndarray, w: float) -> np.ndarray:
    """TensorBoard's loop, written plainly."""
    out, last, k = [], 0.0, 0
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        last = last * w + (1 - w) * v
        k += 1
        out.append(last / (1 - w**k) if w > 0 else v)
    return np.array(out, dtype=np.float64)


def test_growing_array_doubles_and_keeps_values() -> None:
    arr = GrowingArray(np.float32, capacity=4)
    for i in range(10):
        arr.extend(np.arange(i * 7, i * 7 + 7, dtype=np.float32))
    assert len(arr) == 70
    assert arr.nbytes == 128 * 4
    np.testing.assert_array_equal(arr.view(), np.arange(70, dtype=np.float32))


@pytest.mark.parametrize("w", [0.0, 0.01, 0.5, 0.6, 0.9, 0.99])
def test_ema_matches_tensorboard_loop_in_blocks(w: float) -> None:
    rng = np.random.default_rng(1)
    values = rng.random(5000) * 3 + 0.1
    values[[10, 400]] = np.nan
    ema = DebiasedEma(w)
    parts = np.array_split(values, [1, 17, 1000, 1001, 4000])
    got = np.concatenate([ema.apply(p) for p in parts])
    np.testing.assert_allclose(got, _reference_ema(values, w), rtol=2e-6, equal_nan=True)
    np.testing.assert_allclose(ema_debiased(values, w), got, rtol=1e-6, equal_nan=True)


def test_ema_first_value_is_unbiased() -> None:
    assert ema_debiased(np.array([2.0]), 0.99)[0] == pytest.approx(2.0)


def test_small_views_are_raw() -> None:
    s = PeakSeries(x0=1)
    s.extend(np.arange(100, dtype=np.float32))
    x, y = s.decimated(0, len(s), pixels=500)
    assert len(x) == 100 and x[0] == 1 and x[-1] == 100
    np.testing.assert_array_equal(y, np.arange(100, dtype=np.float32))


@pytest.mark.parametrize("n", [5_000, 123_457, 1_000_003])
@pytest.mark.parametrize("pixels", [97, 800])
def test_decimation_keeps_every_extreme(n: int, pixels: int) -> None:
    rng = np.random.default_rng(n)
    s = PeakSeries(x0=1)
    values = rng.standard_normal(n).astype(np.float32)
    for part in np.array_split(values, 37):
        s.extend(part)
    for a, b in [(0, n), (n // 3, n // 3 + 7 * pixels), (n // 7, n - 5)]:
        x, y = s.decimated(a, b, pixels)
        assert len(x) <= 4 * pixels + 8
        assert np.all(np.diff(x) >= 0)
        assert x[0] == a + 1
        np.testing.assert_equal(np.nanmin(y), values[a:b].min())
        np.testing.assert_equal(np.nanmax(y), values[a:b].max())
        # every column's min/max bounds the raw values it covers
        cols = x[0::2] - 1
        edges = np.append(cols, b).astype(int)
        for i in rng.choice(len(cols), size=min(20, len(cols)), replace=False):
            seg = values[edges[i] : edges[i + 1]]
            assert y[2 * i] == seg.min() and y[2 * i + 1] == seg.max()


def test_decimation_cost_does_not_grow_with_history() -> None:
    def cost(n: int) -> float:
        s = PeakSeries()
        s.extend(np.random.default_rng(0).random(n, dtype=np.float32))
        best = math.inf
        for _ in range(20):
            t = time.perf_counter()
            s.decimated(0, n, 1000)
            best = min(best, time.perf_counter() - t)
        return best

    small, large = cost(20_000), cost(2_000_000)
    assert large < 10 * small + 2e-4


def test_pyramid_is_small() -> None:
    s = PeakSeries()
    s.extend(np.zeros(1_000_000, dtype=np.float32))
    assert s.nbytes < 6_000_000  # 4 MB of values plus < 1 MB of pyramid


def test_nan_blocks_do_not_hide_finite_values() -> None:
    s = PeakSeries()
    values = np.ones(10_000, dtype=np.float32)
    values[5000:] = np.nan
    values[123] = 7
    s.extend(values)
    _, y = s.decimated(0, len(s), 100)
    assert np.nanmax(y) == 7 and np.isnan(y[-1])


def test_index_range_clips_to_view() -> None:
    s = PeakSeries(x0=1)
    s.extend(np.zeros(1000, dtype=np.float32))
    assert s.index_range(100.2, 200.7) == (98, 202)
    assert s.index_range(-50, 5000) == (0, 1000)
    assert s.index_range(2000, 3000) == (1000, 1000)
