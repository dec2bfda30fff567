"""Requests to a running training loop from any thread: stop, pause, pace, step, new data.

The loop reads one plain attribute per iteration, ``interrupted``. While it is False the loop
runs flat out; while it is True (stopped, paused, paced or stepping) the loop takes its slow
path and, before every iteration, asks :meth:`RunControl.admit` for leave to run it. ``admit``
waits on a condition variable (a timed wait, no busy loop) that every request wakes at once.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Any

import numpy as np

# The longest single wait: a safety net only; every request wakes a waiting loop at once.
# At this pace or slower every iteration gets its live picture; faster, pictures come as often
# as the live view's interval allows (a picture per iteration would slow 100 a second).
SLOW_PACE = 20.0
_MAX_WAIT_S = 0.5


class RunControl:
    """Stop / pause / resume / pace / step requests, and training data offered mid-run."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._stop = False
        self._paused = False
        self._pace: float | None = None
        self._next_at = -math.inf  # when a paced loop may run its next iteration
        self._steps_left: int | None = None  # iterations a step still lets run
        self._epoch_step = False  # a step that runs to the end of the current epoch
        self._epoch_step_began = False
        self._waiting = False
        self._offered: tuple[np.ndarray, np.ndarray] | None = None
        # One plain attribute the loop reads every iteration (cheaper than taking the lock);
        # the rest is read under the lock on the slow path only.
        self.interrupted = False
        # A window's request for live pictures (workbench.core.liveview.LiveView), or None.
        self.live_view: Any = None

    # -- requests (any thread) -----------------------------------------------------------
    def request_stop(self) -> None:
        with self._cond:
            self._stop = True
            self._changed()

    def pause(self) -> None:
        with self._cond:
            self._paused = True
            self._steps_left, self._epoch_step = None, False
            self._changed()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._steps_left, self._epoch_step = None, False
            self._changed()

    def set_pace(self, iterations_per_second: float | None) -> None:
        """At most this many iterations a second from the next one on; None or 0: flat out."""
        if iterations_per_second is not None and not (
                math.isfinite(iterations_per_second) and iterations_per_second >= 0):
            raise ValueError(f"A pace of {iterations_per_second!r} iterations per second is "
                             "not allowed: use a positive number, or None for full speed.")
        with self._cond:
            self._pace = iterations_per_second or None
            self._next_at = -math.inf
            self._changed()

    def step(self, iterations: int = 1) -> None:
        """From a paused run: let exactly ``iterations`` more run (at once, whatever the
        pace), then pause again."""
        if iterations < 1:
            raise ValueError(f"A step of {iterations} iterations is not allowed: use 1 or more.")
        with self._cond:
            if self._stop:
                return
            self._paused = False
            self._steps_left, self._epoch_step = int(iterations), False
            self._changed()

    def step_epoch(self) -> None:
        """From a paused run: run to the end of the current epoch (its validation done and
        ``EpochEnded`` published), at the pace when one is set, then pause before the next
        epoch's first iteration."""
        with self._cond:
            if self._stop:
                return
            self._paused = False
            self._steps_left, self._epoch_step, self._epoch_step_began = None, True, False
            self._changed()

    def offer_training_data(self, x: np.ndarray, y: np.ndarray) -> None:
        """New raw (unnormalised) training inputs and labels; the loop adopts them at the
        start of its next epoch (a later offer replaces one not yet adopted)."""
        x, y = np.asarray(x), np.asarray(y)
        if x.ndim != 2 or y.ndim != 1 or len(x) != len(y):
            raise ValueError(
                f"Training data of shape {x.shape} with labels of shape {y.shape} does not "
                "fit: give one row of features per sample and one label per row.")
        if len(x) == 0:
            raise ValueError("The offered training data has no samples: add at least one.")
        if not np.all(np.isfinite(x.astype(np.float64, copy=False))):
            raise ValueError("The offered training data holds values that are not numbers.")
        with self._cond:
            self._offered = (x.copy(), y.copy())

    # -- state (any thread) --------------------------------------------------------------
    @property
    def stop_requested(self) -> bool:
        return self._stop

    @property
    def paused(self) -> bool:
        """True while the run is paused, including after a step is used up."""
        return self._paused

    @property
    def pace(self) -> float | None:
        return self._pace

    @property
    def stepping(self) -> bool:
        """True while a step (of iterations or an epoch) is still running."""
        return self._steps_left is not None or self._epoch_step

    @property
    def stepping_done(self) -> bool:
        """True when the loop waits after a step (or a pause) with everything published."""
        return self._waiting and self._paused

    # -- the loop's side -----------------------------------------------------------------
    def admit(self, first_of_epoch: bool = False) -> bool:
        """Called by the loop before an iteration on its slow path: wait until that
        iteration may run. False when a stop was requested (the loop then ends)."""
        with self._cond:
            while True:
                if self._stop:
                    return False
                wait = self._gate(first_of_epoch)
                if wait is None:
                    return True
                self._waiting = True
                try:
                    self._cond.wait(min(wait, _MAX_WAIT_S))
                finally:
                    self._waiting = False

    def will_hold(self, first_of_epoch: bool = False) -> bool:
        """True when the loop's next iteration will not follow at once: the run is paused, a
        step is used up, or the pace is slow enough (``SLOW_PACE`` a second or less) for a
        person to look at each iteration. The views then show the iteration just done."""
        with self._cond:
            if self._paused or self._steps_left == 0:
                return True
            if self._epoch_step and first_of_epoch and self._epoch_step_began:
                return True
            return (self._pace is not None and self._pace <= SLOW_PACE
                    and self._steps_left is None)

    def wait_while_paused(self) -> None:
        with self._cond:
            while self._paused and not self._stop:
                self._cond.wait(_MAX_WAIT_S)

    def take_offered_data(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The training data offered since the last call, once; None when none was."""
        if self._offered is None:  # read without the lock: once an epoch, a plain attribute
            return None
        with self._cond:
            offered, self._offered = self._offered, None
        return offered

    def _gate(self, first_of_epoch: bool) -> float | None:
        """Under the lock: None when the iteration may run now, else seconds to wait."""
        if ((self._epoch_step and first_of_epoch and self._epoch_step_began)
                or self._steps_left == 0):  # the step is used up: pause again
            self._steps_left, self._epoch_step, self._paused = None, False, True
            self._changed()
        if self._paused:
            return math.inf
        # A step of iterations runs at once; a step of an epoch plays at the pace.
        if self._pace is not None and self._steps_left is None:
            now = time.perf_counter()
            if now < self._next_at:
                return self._next_at - now
            period = 1.0 / self._pace
            # Keep the beat (no drift); a late iteration may catch up one period, no more
            # (no burst after a slow epoch end). After a new pace the beat starts now.
            start = now if self._next_at == -math.inf else max(self._next_at, now - period)
            self._next_at = start + period
        if self._epoch_step:
            self._epoch_step_began = True
        elif self._steps_left is not None:
            self._steps_left -= 1
        return None

    def _changed(self) -> None:
        """Under the lock: recompute the loop's one flag and wake a waiting loop."""
        self.interrupted = (self._stop or self._paused or self._pace is not None
                            or self._steps_left is not None or self._epoch_step)
        self._cond.notify_all()
