"""The window's side of ``workbench bench``: training driven by the real window, and GUI costs.

``window_loop`` trains through the main window with both plots and the live views shown and
returns iterations per second of the training loop (``window_loop_views_off``: live views
switched off). ``gui_measurements`` reports the GUI thread's event-loop lateness
while training flat out, plot refresh times at 1e4-1e6 iterations, the time from process start
to the window on screen, and the memory of a 1e6-iteration history. Run it under a real display
(or Xvfb, ``QT_QPA_PLATFORM=xcb``): the offscreen platform skips paints and flatters the window.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from workbench.config import TrainConfig
from workbench.ui.app import application, create_window
from workbench.ui.background import join_background
from workbench.ui.settings import SETTINGS_DIR_ENV
from workbench.ui.training import RunState

if TYPE_CHECKING:
    from workbench.core.data import PreparedData
    from workbench.ui.main_window import MainWindow

_window: MainWindow | None = None


def platform_name() -> str:
    application()
    return QGuiApplication.platformName()


def _settings_dir() -> None:
    """The benchmark's windows never touch a person's stored settings."""
    if SETTINGS_DIR_ENV not in os.environ:
        import tempfile

        os.environ[SETTINGS_DIR_ENV] = tempfile.mkdtemp(prefix="workbench-bench-")


def bench_window() -> MainWindow:
    """One shown main window, reused by every measurement in the process."""
    global _window
    if _window is None:
        _settings_dir()
        application()
        _window = create_window()
        _window.resize(1360, 860)
        _window.show()
        _wait(lambda: _window.form.device_panel.detected, 60.0)
        _settle()
    return _window


def _wait(done: Any, timeout: float) -> None:
    """Run the event loop until ``done()`` or the timeout (the window stays live meanwhile)."""
    app = application()
    end = time.perf_counter() + timeout
    while not done() and time.perf_counter() < end:
        app.processEvents(QEventLoop.AllEvents, 20)
        time.sleep(0.002)


class _Lateness:
    """A 10 ms timer measuring how late it fires: the GUI thread's worst responsiveness."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        self.samples.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, now - self._last - 0.010))
        self._last = now


def _train(window: MainWindow, cfg: TrainConfig, data: PreparedData | None,
           lateness: _Lateness | None = None) -> Any:
    loop = QEventLoop()
    results: list[Any] = []

    def ended(event: Any) -> None:
        results.append(event)
        loop.quit()

    def state_changed(value: str) -> None:
        # Lateness is measured while training: the work a run's end starts (evaluation,
        # history, the model's views) is not part of it.
        if lateness is not None and value == RunState.IDLE.value:
            lateness.stop()

    window.controller.run_finished.connect(ended)
    window.controller.run_failed.connect(ended)
    window.controller.state_changed.connect(state_changed)
    try:
        if lateness is not None:
            lateness.start()
        if not window.start_training(cfg, data):
            raise RuntimeError("the window refused to start: " + "; ".join(
                str(p) for p in cfg.validate()))
        loop.exec()
    finally:
        if lateness is not None:
            lateness.stop()
        window.controller.run_finished.disconnect(ended)
        window.controller.run_failed.disconnect(ended)
        window.controller.state_changed.disconnect(state_changed)
    result = results[0]
    if not hasattr(result, "iterations_completed"):
        raise RuntimeError(result.message)
    return result


def window_loop(cfg: TrainConfig, data: PreparedData, epochs: int) -> float:
    """Train ``epochs`` through the window, plots and live views (decision boundary, Dropout
    diagram) shown, as on the Training tab; iterations per second of the loop."""
    return _window_run(cfg, data, epochs, live_views=True)


def window_loop_views_off(cfg: TrainConfig, data: PreparedData, epochs: int) -> float:
    """As :func:`window_loop` with the live views switched off (View menu): plots only."""
    return _window_run(cfg, data, epochs, live_views=False)


def _window_run(cfg: TrainConfig, data: PreparedData, epochs: int, live_views: bool) -> float:
    window = bench_window()
    views = window.features.get("live_views")
    if views is not None and views.action.isChecked() != live_views:
        views.action.setChecked(live_views)
        # Showing or hiding the views re-lays out and repaints the window: let that end first,
        # as it would long before a person starts training.
        _settle()
    try:
        result = _train(window, cfg.with_changes(run={"epochs": epochs}), data)
    finally:
        _settle()
    return result.iterations_completed / result.seconds


def _settle() -> None:
    """Let the work a finished run starts (evaluation, history, the model's views) end, so it
    does not run on into the next variant's measurement."""
    join_background(60.0)
    app = application()
    for _ in range(5):
        app.processEvents(QEventLoop.AllEvents, 20)
    # The window's collector works in the idle seconds between a person's runs; here there
    # are none, so it catches up now rather than in the next measured run.
    gc.collect()


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def measure_lateness(seconds: float = 3.0) -> dict[str, float]:
    """Train spiral (batch 32) flat out for about ``seconds``; lateness of a 10 ms timer."""
    from workbench.core.data import prepare

    window = bench_window()
    views = window.features.get("live_views")
    if views is not None:
        views.action.setChecked(True)  # what a person sees on the Training tab
    cfg = TrainConfig().with_changes(run={"batch_size": 32, "threads": 1, "device": "cpu",
                                          "epochs": 2})
    data = prepare(cfg.data, cfg.run.seed)
    probe = _train(window, cfg, data)
    rate = probe.iterations_completed / max(probe.seconds, 1e-6)
    ipe = probe.iterations_completed // 2
    epochs = max(2, int(rate * seconds / ipe))
    lateness = _Lateness()
    result = _train(window, cfg.with_changes(run={"epochs": epochs}), data, lateness)
    ms = [1000 * s for s in lateness.samples]
    return {"lateness_p50_ms": _percentile(ms, 50), "lateness_p99_ms": _percentile(ms, 99),
            "lateness_max_ms": max(ms) if ms else float("nan"),
            "window_it_per_s": result.iterations_completed / result.seconds}


def measure_refresh(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)) -> dict[str, float]:
    """Milliseconds to append one block, decimate and repaint the iteration plot at each size."""
    window = bench_window()
    plot = window.iteration_plot
    out: dict[str, float] = {}
    rng = np.random.default_rng(0)
    for n in sizes:
        plot.reset()
        values = (np.exp(-np.arange(n) / n * 4) + 0.1 * rng.random(n)).astype(np.float32)
        for start in range(0, n, 100_000):
            plot.append_losses(start + 1, values[start:start + 100_000])
        plot.add_epoch_ends(list(range(100, n + 1, 100)))
        plot.refresh()
        plot.viewport().repaint()
        times = []
        for i in range(20):
            plot.append_losses(n + 1 + 10 * i, values[:10])
            t = time.perf_counter()
            plot.refresh()
            plot.viewport().repaint()  # a real paint, synchronously
            times.append(time.perf_counter() - t)
        out[f"refresh_ms_{n:.0e}".replace("+0", "")] = 1000 * float(np.median(times))
    plot.reset()
    return out


def measure_history_memory(n: int = 1_000_000) -> dict[str, float]:
    """Bytes held by a 1e6-iteration history (raw, smoothed, min/max pyramids, epoch marks)."""
    window = bench_window()
    plot = window.iteration_plot
    plot.reset()
    rss_before = _rss()
    values = np.random.default_rng(0).random(n, dtype=np.float32)
    for start in range(0, n, 50_000):
        plot.append_losses(start + 1, values[start:start + 50_000])
    plot.add_epoch_ends(list(range(25, n + 1, 25)))
    plot.refresh()
    held = plot.history_nbytes()
    rss_after = _rss()
    plot.reset()
    return {"history_1e6_MB": held / 1e6, "rss_growth_1e6_MB": (rss_after - rss_before) / 1e6}


def _rss() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def measure_startup(repeats: int = 3) -> dict[str, float]:
    """Seconds from starting a Python process to the window painted on screen (median)."""
    code = ("import time, sys\n"
            "from workbench.ui.app import application, create_window\n"
            "w = create_window(); w.show(); loaded = 'torch' in sys.modules\n"
            "application().processEvents()\n"
            "print(time.time(), loaded)\n")
    env = dict(os.environ)
    _settings_dir()
    env[SETTINGS_DIR_ENV] = os.environ[SETTINGS_DIR_ENV]
    times = []
    torch_loaded = False
    for _ in range(repeats):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=env, check=True, timeout=120)
        shown, torch_flag = out.stdout.split()[:2]
        times.append(float(shown) - t0)
        torch_loaded = torch_loaded or torch_flag == "True"
    return {"startup_to_window_s": float(np.median(times)),
            "torch_loaded_before_window": float(torch_loaded)}


def gui_measurements(quick: bool = False) -> dict[str, Any]:
    results: dict[str, Any] = {"platform": platform_name()}
    results.update(measure_lateness(2.0 if quick else 4.0))
    results.update(measure_refresh())
    results.update(measure_history_memory())
    results.update(measure_startup(2 if quick else 3))
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in results.items()}
