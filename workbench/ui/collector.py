"""Python's cycle collector, run on the GUI thread at moments the window chooses.

Left automatic, the collector runs in whichever thread crosses its allocation threshold. In
the training thread that meant full collections over the window's and torch's ~220,000
objects holding the interpreter lock 100-200 ms at a time (measured: two of them, 193 ms in
all, in one 2.4 s run of spiral at batch 256 from the window), which stalls training and
drawing alike; and a collection that frees Qt objects' wrappers outside the GUI thread is a
known way for Qt bindings to crash. So the application switches automatic collection off and a
timer on the GUI thread collects instead: the young generations four times a second, the full
collection (the expensive one) when nothing trains, or at most once a minute during a run.
Objects without reference cycles are freed at once as always; only cycles wait for the timer.

A few seconds after start, at a moment nothing trains, what exists then (torch's modules, the
window: long-lived by nature) is collected once and set aside (``gc.freeze``): later full
collections walk only what was made since, a few milliseconds instead of 100-200. Safe here
because no other thread collects: with automatic collection off, a freeze cannot land in the
middle of a collection in another thread.
"""

from __future__ import annotations

import contextlib
import gc
import time

from PySide6.QtCore import QObject, QTimer

TICK_MS = 250
FREEZE_AFTER_MS = 5000  # startup's objects are set aside this long after the collector starts
TIMER_NAME = "cycleCollectorTimer"  # the one timer that lives as long as the application
# A full collection during a run at most this often (one cost ~0.1-0.2 s of GUI time before the
# freeze; a few milliseconds after it).
FULL_DURING_RUN_S = 60.0


class GuiCollector(QObject):
    """Collects cycles on the GUI thread; ``run_began``/``run_ended`` bracket training."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.active_runs = 0
        self.collections = [0, 0, 0]  # per generation, for tests and curiosity
        self._last_full = time.monotonic()
        self.frozen = False
        self._freeze_due = False
        QTimer.singleShot(FREEZE_AFTER_MS, self, self._on_freeze_due)
        gc.callbacks.append(self._on_collection)
        self._timer = QTimer(self)
        self._timer.setObjectName(TIMER_NAME)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()
        gc.disable()

    def run_began(self) -> None:
        self.active_runs += 1

    def run_ended(self) -> None:
        self.active_runs = max(0, self.active_runs - 1)

    def _on_freeze_due(self) -> None:
        self._freeze_due = True

    def _on_collection(self, phase: str, info: dict[str, int]) -> None:
        # Any full collection counts, whoever asked for it (gc.collect() included).
        if phase == "stop" and info.get("generation") == 2:
            self._last_full = time.monotonic()

    def collect_due(self) -> int | None:
        """Collect what the automatic collector would have by now; returns the generation."""
        if self._freeze_due and self.active_runs == 0:
            self._freeze_due = False
            gc.collect()
            gc.freeze()
            self.frozen = True
            self.collections[2] += 1
            return 2
        threshold0, threshold1, threshold2 = gc.get_threshold()
        count0, count1, count2 = gc.get_count()
        if count0 < threshold0:
            return None
        generation = 0
        if count1 >= threshold1:
            generation = 1
            now = time.monotonic()
            if count2 >= threshold2 and (
                    self.active_runs == 0 or now - self._last_full >= FULL_DURING_RUN_S):
                generation = 2
                self._last_full = now
        gc.collect(generation)
        self.collections[generation] += 1
        return generation


_collector: GuiCollector | None = None


def install(parent: QObject) -> GuiCollector:
    """The application's collector, made on first use (call on the GUI thread)."""
    global _collector
    if _collector is None:
        _collector = GuiCollector(parent)
        _collector.destroyed.connect(_forget)
    return _collector


def collector() -> GuiCollector | None:
    return _collector


def training_began() -> None:
    """A training thread started (full collections now wait, at most a minute)."""
    if _collector is not None:
        _collector.run_began()


def training_ended() -> None:
    """A training thread was joined."""
    if _collector is not None:
        _collector.run_ended()


def _forget(*_args: object) -> None:
    global _collector
    if _collector is not None:
        with contextlib.suppress(ValueError):
            gc.callbacks.remove(_collector._on_collection)
    _collector = None
    gc.enable()
