"""TrainingController: runs the engine in a QThread and hands its events to the GUI in batches.

The engine's callback runs in the worker thread and only appends to a deque (thread-safe, no
Qt call, no per-iteration signal). A timer in the GUI thread drains the deque ~10 times a
second and emits at most one coalesced signal of each kind per drain, whatever the iteration
rate. The run's end is announced only after the thread has finished, so Start can never start
a second thread while the first still runs.

The drained events also move the run position (``run_position.py``), which is published with
``progress_changed`` a couple of times a second: the one count the status bar, the concept panel
and the live views' captions all show. A live picture goes out with (never before) a position
that has reached it; the end's position ("epochs completed") is published when the end is
announced, in the same call as the finished model.

Speed and steps: ``set_pace`` slows this run and later ones to a number of iterations a second
(the engine waits between iterations); ``step`` advances a paused run by one iteration or one
epoch (pausing a running one first, starting a paused one with ``step_on_next_start``). When a
step is used up, the engine has published everything up to it and waits: the next drain
publishes that position at once, with ``step_finished``, and the run reads "Paused".
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from workbench.config import TrainConfig
from workbench.core.events import (
    DataChanged,
    EpochEnded,
    Event,
    IterationsDone,
    LiveViewUpdated,
    RunFailed,
    RunFinished,
    RunStarted,
)
from workbench.ui import collector
from workbench.ui.run_position import PositionTracker, RunPosition

if TYPE_CHECKING:  # torch-importing modules: only for type hints
    from workbench.core.data import PreparedData
    from workbench.core.engine import Engine
    from workbench.core.modelfile import TrainedModel

log = logging.getLogger(__name__)

# 10 Hz: live to the eye, and every wake-up of the GUI thread takes the GIL from training
# (each drain updates every listener's labels; measured under Xvfb, 15 Hz cost about 1.7 % of
# a core in drains alone).
DRAIN_INTERVAL_MS = 100
FLUSH_INTERVAL_S = 1 / 10  # the engine hands out loss blocks at most this often (and per epoch)
AUTOSAVE_INTERVAL_S = 2.0
# Status-bar numbers and the progress bar: a person reads them a couple of times a second
# (each update re-lays out labels in several panels: 4 a second cost ~1.5 % of a core).
PROGRESS_INTERVAL_S = 0.5


class RunState(str, Enum):
    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"


class Step(str, Enum):
    """What one press of a Step button advances a paused run by."""

    ITERATION = "iteration"
    EPOCH = "epoch"


# While one iteration's step is under way the queue is looked at this often, so its position
# shows as soon as the step is done (a step takes milliseconds; the usual drain waits 100).
STEP_DRAIN_INTERVAL_MS = 15
# Step presses waiting for the step before them; more are not kept (a held key repeats).
MAX_QUEUED_STEPS = 20
# At this pace or slower every drain that brings iterations publishes the position: a person
# watching 20 iterations a second sees each count, not every tenth.
EVERY_COUNT_PACE = 20.0


@dataclass
class Progress:
    """What the status bar shows; recomputed a few times a second.

    The counters are ``position``'s, the one value every view reads (``run_position.py``);
    the rest (speed, times) is the status bar's own.
    """

    state: RunState = RunState.IDLE
    device_name: str = ""
    iterations_per_second: float = 0.0
    elapsed: float = 0.0  # seconds of training, pauses excluded
    eta: float | None = None  # seconds left, None when unknown
    position: RunPosition = field(default_factory=RunPosition)

    @property
    def epoch(self) -> int:
        return self.position.epoch

    @property
    def epochs(self) -> int:
        return self.position.epochs

    @property
    def iteration(self) -> int:
        return self.position.iteration

    @property
    def total_iterations(self) -> int:
        return self.position.total_iterations

    @property
    def fraction(self) -> float:
        return self.position.fraction


# Called with ``checkpoint_path=`` as a keyword too when the run autosaves.
EngineFactory = Callable[..., "Engine"]


def _default_engine(config: TrainConfig, data: PreparedData | None,
                    initial: TrainedModel | None, checkpoint_path: str | None = None) -> Engine:
    from workbench.core.engine import Engine  # imports torch: in the worker thread

    # Autosave at most every couple of seconds: a crash loses little, short epochs stay fast.
    engine = Engine(config, data=data, initial=initial, checkpoint_path=checkpoint_path,
                    checkpoint_interval=AUTOSAVE_INTERVAL_S)
    # A core stays with the window (its thread and the display server): on 2 cores, 2 training
    # threads beside the window ran at 0.4-0.7x of one thread (their hand-offs wait for a core).
    engine.reserved_threads = 1
    return engine


@dataclass
class _Run:
    """What the worker thread and the GUI thread share for one run."""

    config: TrainConfig
    data: Any
    initial: Any
    checkpoint_path: str | None = None  # autosave after each epoch, when set
    log_dir: str | None = None  # write a run-log folder (config, metrics.csv, iterations.csv)
    events: deque = field(default_factory=deque)  # append/popleft are thread-safe
    engine: Any = None
    # The engine's RunControl is made in the worker thread (its module imports torch, which
    # must not load on the GUI thread); requests made before it exists wait here.
    control: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    want_pause: bool = False
    want_stop: bool = False
    want_live: bool = False  # live pictures (decision boundary, dropout masks) wanted
    want_spread: bool = False  # one train-vs-eval spread wanted
    want_filters: bool = False  # a CNN's filters and feature maps wanted
    want_maps_sample: int = 0  # the validation sample whose feature maps are shown
    want_pace: float | None = None  # iterations per second; None: as fast as possible
    want_step: Step | None = None  # a step to take as soon as the run begins (paused)
    want_data: tuple[np.ndarray, np.ndarray] | None = None  # training data offered early

    def request(self, action: str) -> None:
        """``"pause"``, ``"resume"`` or ``"stop"``, from the GUI thread."""
        with self.lock:
            if self.control is None:
                if action == "stop":
                    self.want_stop = True
                else:
                    self.want_pause = action == "pause"
                    self.want_step = None
            elif action == "stop":
                self.control.request_stop()
            elif action == "pause":
                self.control.pause()
            else:
                self.control.resume()

    def set_live(self, on: bool) -> None:
        with self.lock:
            self.want_live = on
            if self.control is not None:
                self.control.live_view.enabled = on

    def request_spread(self) -> None:
        with self.lock:
            self.want_spread = True
            if self.control is not None:
                self.control.live_view.spread_requested = True

    def set_cnn_pictures(self, on: bool, sample: int) -> None:
        with self.lock:
            self.want_filters, self.want_maps_sample = on, sample
            if self.control is not None:
                self.control.live_view.maps_sample = sample
                self.control.live_view.filters_requested = on

    def set_pace(self, pace: float | None) -> None:
        with self.lock:
            self.want_pace = pace
            if self.control is not None:
                self.control.set_pace(pace)

    def step(self, step: Step) -> None:
        """Let a paused run advance by ``step``; before the run begins: begin paused, then
        take it."""
        with self.lock:
            if self.control is None:
                self.want_pause, self.want_step = True, step
            elif step == Step.EPOCH:
                self.control.step_epoch()
            else:
                self.control.step(1)

    def offer_training_data(self, x: np.ndarray, y: np.ndarray) -> None:
        with self.lock:
            if self.control is None:
                from workbench.core.control import RunControl  # numpy only, no torch

                RunControl().offer_training_data(x, y)  # refused here, in the caller's words
                self.want_data = (np.array(x), np.array(y))
            else:
                self.control.offer_training_data(x, y)

    def step_done(self) -> bool:
        """True when the loop waits after a step, everything up to it published."""
        with self.lock:
            return self.control is not None and self.control.stepping_done

    def make_control(self) -> Any:
        from workbench.core.control import RunControl
        from workbench.core.liveview import LiveView

        with self.lock:
            self.control = RunControl()
            self.control.live_view = LiveView(enabled=self.want_live)
            self.control.live_view.spread_requested = self.want_spread
            self.control.live_view.maps_sample = self.want_maps_sample
            self.control.live_view.filters_requested = self.want_filters
            self.control.set_pace(self.want_pace)
            if self.want_pause:
                self.control.pause()
            if self.want_step == Step.EPOCH:
                self.control.step_epoch()
            elif self.want_step == Step.ITERATION:
                self.control.step(1)
            if self.want_data is not None:
                self.control.offer_training_data(*self.want_data)
            if self.want_stop:
                self.control.request_stop()
            return self.control


class _EngineWorker(QObject):
    """Lives in the worker thread; ``work`` runs the engine to its end."""

    finished = Signal()

    def __init__(self, run: _Run, make_engine: EngineFactory) -> None:
        super().__init__()
        self._run = run
        self._make_engine = make_engine

    @Slot()
    def work(self) -> None:
        run = self._run
        saw_end = False

        run_log = None

        def sink(event: Event) -> None:
            nonlocal saw_end
            if isinstance(event, (RunFinished, RunFailed)):
                saw_end = True
            run.events.append(event)  # the only thing done per event in this thread
            if run_log is not None:
                run_log(event)  # file writes stay in this thread, never on the GUI thread

        try:
            if run.log_dir:
                from workbench.core.runlog import RunLog, RunLogError

                try:
                    run_log = RunLog(run.log_dir, run.config)
                except RunLogError as exc:
                    log.warning("no run log: %s", exc)
            control = run.make_control()
            if run.checkpoint_path is None:  # factories made for tests take three arguments
                run.engine = self._make_engine(run.config, run.data, run.initial)
            else:
                run.engine = self._make_engine(run.config, run.data, run.initial,
                                               checkpoint_path=run.checkpoint_path)
            result = run.engine.run(sink, control=control, flush_interval=FLUSH_INTERVAL_S)
            if not saw_end and result is not None:
                sink(result)
        except Exception as exc:
            log.exception("the training thread failed")
            if not saw_end:
                sink(RunFailed(
                    message=f"Training could not run: {type(exc).__name__}: {exc}. "
                            "See the details or the log.",
                    details=traceback.format_exc(), kind="error"))
        finally:
            if run_log is not None:
                run_log.close()
            self.finished.emit()


class TrainingController(QObject):
    """Starts, pauses, resumes and stops runs; publishes their events on the GUI thread."""

    run_started = Signal(object)  # RunStarted
    iterations_received = Signal(int, object)  # first global iteration, float32 losses
    epochs_ended = Signal(list)  # [EpochEnded, ...] since the last drain
    # Progress, with the run's position: what the status bar, the concept panel and the live
    # views' captions show, published together (see ``position``).
    progress_changed = Signal(object)
    state_changed = Signal(str)  # RunState value
    run_finished = Signal(object)  # RunFinished, after the thread has ended
    run_failed = Signal(object)  # RunFailed, after the thread has ended
    # LiveViewUpdated, the latest of each drain, once the published position has reached it
    live_view_received = Signal(object)
    # A step was used up: its position (RunPosition) was just published with progress_changed
    # and every event up to it handed out; the run waits, paused.
    step_finished = Signal(object)
    # [DataChanged, ...] since the last drain: the run adopted offered training data, from the
    # epoch each names (its counts replace RunStarted's)
    training_data_changed = Signal(list)

    def __init__(self, parent: QObject | None = None,
                 engine_factory: EngineFactory | None = None) -> None:
        super().__init__(parent)
        self._engine_factory = engine_factory or _default_engine
        self._state = RunState.IDLE
        self._run: _Run | None = None
        self._thread: QThread | None = None
        self._worker: _EngineWorker | None = None
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(DRAIN_INTERVAL_MS)
        self._drain_timer.timeout.connect(self._drain)
        self._tracker = PositionTracker()
        self._progress = Progress()
        self._last_progress_emit = 0.0
        self._pictures: list[LiveViewUpdated] = []  # waiting for the position to reach them
        self._rate_window: deque[tuple[float, int]] = deque()
        self._clock_started = 0.0
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._end_event: RunFinished | RunFailed | None = None
        self.last_engine: Engine | None = None
        self.last_started: RunStarted | None = None
        self._live_wanted = False
        self._pace: float | None = None
        self._stepping = False  # a step was asked for and is not used up yet
        self._settling = False  # paused: publish the position once the loop waits
        self._queued_steps: deque[Step] = deque()
        self._step_on_start: Step | None = None

    # -- state -------------------------------------------------------------------------------
    @property
    def state(self) -> RunState:
        return self._state

    @property
    def is_active(self) -> bool:
        """True from start() until the thread has finished and the end was announced."""
        return self._state != RunState.IDLE

    @property
    def progress(self) -> Progress:
        return self._progress

    @property
    def position(self) -> RunPosition:
        """Where the run is (or how far the last one got), as every view shows it now."""
        return self._progress.position

    @property
    def run_data(self) -> PreparedData | None:
        """The data the active run was given (None: none is active, or the engine reads its
        own)."""
        return None if self._run is None else self._run.data

    def show_position(self, position: RunPosition, elapsed: float = 0.0) -> None:
        """While no run is active: show ``position`` instead of the last run's (an opened
        model's summary, or nothing once the data has changed)."""
        if self.is_active:
            return
        self._tracker.show(position)
        self._progress = Progress(state=self._state, device_name=self._progress.device_name,
                                  elapsed=elapsed, position=position)
        self._emit_progress(force=True)

    def _set_state(self, state: RunState) -> None:
        if state != self._state:
            self._state = state
            self._progress.state = state
            self.state_changed.emit(state.value)
            self._emit_progress(force=True)

    # -- live view -------------------------------------------------------------------------
    @property
    def live_view_wanted(self) -> bool:
        return self._live_wanted

    def set_live_view(self, on: bool) -> None:
        """Ask runs (this one and later ones) for live pictures a few times a second, or stop
        asking. Off costs training nothing; on costs a bounded share (a grid pass per picture)."""
        self._live_wanted = on
        if self._run is not None:
            self._run.set_live(on)

    def set_cnn_pictures(self, on: bool, sample: int = 0) -> None:
        """Ask the running CNN (this run only) for its first convolution's filters and the
        feature maps of validation sample ``sample`` with each live picture, or stop asking."""
        if self._run is not None:
            self._run.set_cnn_pictures(on, sample)

    @property
    def cnn_pictures_asked(self) -> bool:
        """True while the running engine is asked for a CNN's filters and feature maps."""
        run = self._run
        return run is not None and run.control is not None and bool(
            run.control.live_view.filters_requested)

    def request_spread(self) -> bool:
        """Ask the running model for one train-vs-eval spread (it arrives with the next
        ``live_view_received``). False when no run is under way or the run is paused."""
        if self._run is None or self._state != RunState.RUNNING:
            return False
        self._run.request_spread()
        return True

    # -- speed and steps -----------------------------------------------------------------------
    @property
    def pace(self) -> float | None:
        """Iterations per second this run and later ones are held to; None: flat out."""
        return self._pace

    def set_pace(self, pace: float | None) -> None:
        """From the next iteration on (mid-run too), and for every later run. ``pace`` must
        be a positive number of iterations a second, or None / 0 for as fast as possible."""
        if pace is not None and not (0 <= pace < float("inf")):
            raise ValueError(f"A speed of {pace!r} iterations per second is not allowed: use "
                             "a positive number, or None for as fast as possible.")
        self._pace = float(pace) if pace else None
        if self._run is not None:
            self._run.set_pace(self._pace)

    @property
    def stepping(self) -> bool:
        """True from a Step until its position is published (queued presses included)."""
        return self._stepping

    def step_on_next_start(self, step: Step | None) -> None:
        """The next ``start`` begins paused and takes ``step`` (None: an ordinary start)."""
        self._step_on_start = step

    def step(self, step: Step = Step.ITERATION) -> bool:
        """Advance by one iteration or to the end of the epoch, then pause.

        A running run is paused first; a press while a step is under way waits for it (each
        press is one step, published on its own). False when no run can step now (none is
        active, or it is stopping)."""
        run = self._run
        if run is None or self._state not in (RunState.RUNNING, RunState.PAUSED):
            return False
        if self._stepping:
            if len(self._queued_steps) < MAX_QUEUED_STEPS:
                self._queued_steps.append(step)
            return True
        if self._state == RunState.RUNNING:
            self.pause()
        self._stepping = True
        self._take_step(run, step)
        return True

    def _take_step(self, run: _Run, step: Step) -> None:
        """An epoch's step runs for a while (at the chosen speed): the run reads "running"
        until it is used up; one iteration's step leaves it "paused"."""
        self._drain_timer.setInterval(STEP_DRAIN_INTERVAL_MS if step == Step.ITERATION
                                      else DRAIN_INTERVAL_MS)
        run.step(step)
        if step == Step.EPOCH and self._state == RunState.PAUSED:
            self._count_pause_end()
            self._set_state(RunState.RUNNING)

    def _count_pause_end(self) -> None:
        if self._paused_at is not None:
            self._paused_total += time.perf_counter() - self._paused_at
            self._paused_at = None

    def _on_step_done(self) -> None:
        """A step is used up and its events drained: publish its position now."""
        self._update_progress(force=True)
        self._release_pictures()
        if self._state == RunState.RUNNING:  # paused from now on
            self._paused_at = time.perf_counter()
            self._set_state(RunState.PAUSED)
        position = self._progress.position
        if self._queued_steps and self._run is not None:
            self._take_step(self._run, self._queued_steps.popleft())
        else:
            self._stepping = False
            self._drain_timer.setInterval(DRAIN_INTERVAL_MS)
        self.step_finished.emit(position)

    def offer_training_data(self, x: np.ndarray, y: np.ndarray) -> bool:
        """New raw training points and labels (a drawn 2-D set) for the run under way, adopted
        at its next epoch start and announced with ``training_data_changed``. False when no
        run is active; ValueError (a message for people) when the data does not fit."""
        if self._run is None or self._state == RunState.IDLE:
            return False
        self._run.offer_training_data(x, y)
        return True

    # -- commands ----------------------------------------------------------------------------
    def start(self, config: TrainConfig, data: PreparedData | None = None,
              initial: TrainedModel | None = None, checkpoint_path: str | None = None,
              log_dir: str | None = None) -> None:
        """Start a run in a new worker thread. ``initial``: continue from these weights;
        ``checkpoint_path``: where the engine saves a checkpoint after each epoch;
        ``log_dir``: a folder for the run's log (config, metrics.csv, iterations.csv)."""
        if self.is_active:
            raise RuntimeError("a run is already active")
        run = _Run(config=config, data=data, initial=initial, checkpoint_path=checkpoint_path,
                   log_dir=log_dir, want_live=self._live_wanted, want_pace=self._pace)
        self._run = run
        self._queued_steps.clear()
        self._stepping = self._step_on_start is not None
        if self._step_on_start is not None:
            run.step(self._step_on_start)  # begins paused, then takes the step
            self._step_on_start = None
        self._drain_timer.setInterval(DRAIN_INTERVAL_MS)
        self._end_event = None
        self.last_engine = None
        self.last_started = None
        self._tracker.begin(config.run.epochs)
        self._pictures = []
        self._progress = Progress(state=RunState.RUNNING, device_name=self._progress.device_name,
                                  position=self._tracker.position)
        self._rate_window.clear()
        self._clock_started = time.perf_counter()
        self._paused_at = None
        self._paused_total = 0.0

        thread = QThread(self)
        thread.setObjectName("workbench-training")
        worker = _EngineWorker(run, self._engine_factory)
        worker.moveToThread(thread)
        thread.started.connect(worker.work)
        # Direct: QThread.quit is thread-safe, and a queued call would need the GUI event loop,
        # which is blocked in wait() when the window closes mid-run.
        worker.finished.connect(thread.quit, Qt.DirectConnection)
        # _on_thread_finished first: it joins the thread before anything is deleted.
        thread.finished.connect(self._on_thread_finished)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)
        self._thread, self._worker = thread, worker
        self._set_state(RunState.RUNNING)
        collector.training_began()
        thread.start()
        self._drain_timer.start()

    def pause(self) -> None:
        if self._run is not None and self._state == RunState.RUNNING:
            self._stepping = False  # a pause ends a step under way (a run begun by Step)
            self._queued_steps.clear()
            self._drain_timer.setInterval(DRAIN_INTERVAL_MS)
            self._settling = True
            self._run.request("pause")
            self._paused_at = time.perf_counter()
            self._set_state(RunState.PAUSED)

    def resume(self) -> None:
        if self._run is not None and self._state == RunState.PAUSED:
            self._count_pause_end()
            self._rate_window.clear()
            self._stepping = self._settling = False  # resuming ends a step and its queue
            self._drain_timer.setInterval(DRAIN_INTERVAL_MS)
            self._queued_steps.clear()
            self._run.request("resume")
            self._set_state(RunState.RUNNING)

    def toggle_pause(self) -> None:
        if self._state == RunState.PAUSED:
            self.resume()
        else:
            self.pause()

    def stop(self) -> None:
        """Ask the run to stop after the current iteration; the model stays usable."""
        if self._run is not None and self._state in (RunState.RUNNING, RunState.PAUSED):
            self._queued_steps.clear()
            self._run.request("stop")  # also wakes a paused or paced loop at once
            self._set_state(RunState.STOPPING)

    def shutdown(self) -> None:
        """Stop and join the worker thread (window closing, application quitting)."""
        thread = self._thread
        if thread is None:
            return
        if self._run is not None:
            self._run.request("stop")
        thread.quit()
        thread.wait()
        self._drain_timer.stop()
        self._finish(announce=False)

    # -- the GUI side ----------------------------------------------------------------------------
    @Slot()
    def _on_thread_finished(self) -> None:
        if self._run is None:
            return
        self._finish()

    def _finish(self, announce: bool = True) -> None:
        """Runs once per run, after the worker thread has ended."""
        run = self._run
        if run is None:
            return
        self._drain_timer.stop()
        self._drain()
        thread = self._thread
        if thread is not None:
            # "finished" is emitted before the thread has quite ended; the worker's deferred
            # delete runs after it, in that thread. Dropping our reference to the worker
            # before then would let Python delete it here too, at the same time: join first.
            with contextlib.suppress(RuntimeError):
                thread.wait()
        self._thread = None  # deleteLater is queued by its finished signal
        self._worker = None
        self._run = None
        collector.training_ended()
        self.last_engine = run.engine
        end = self._end_event or RunFailed(message="Training ended without a result.",
                                           kind="error")
        self._end_event = None
        self._tracker.feed(end)
        self._pictures = []  # a picture still waiting is older than the end
        self._stepping = self._settling = False
        self._queued_steps.clear()
        self._progress.eta = None
        self._progress.iterations_per_second = 0.0
        self._set_state(RunState.IDLE)
        if not announce:
            return
        if isinstance(end, RunFinished):
            self.run_finished.emit(end)
        else:
            self.run_failed.emit(end)

    def trained_model(self) -> TrainedModel | None:
        """The weights of the last run (after it has ended); None before any run."""
        if self.is_active or self.last_engine is None:
            return None
        return self.last_engine.trained_model()

    def prepared_data(self) -> PreparedData | None:
        return None if self.last_engine is None else self.last_engine.data

    @Slot()
    def _drain(self) -> None:
        run = self._run
        if run is None:
            return
        # Read before the events: once the loop waits after a step, all of the step's events
        # are already in the queue.
        waiting = (self._stepping or self._settling) and run.step_done()
        events = run.events
        started: RunStarted | None = None
        blocks: list[IterationsDone] = []
        epochs: list[EpochEnded] = []
        adopted: list[DataChanged] = []
        pictures = self._pictures
        tracker = self._tracker
        last: IterationsDone | EpochEnded | None = None
        # What is there now, not what arrives meanwhile: a drain always ends.
        for _ in range(len(events)):
            event = events.popleft()
            if isinstance(event, IterationsDone):
                blocks.append(event)
                last = event
            elif isinstance(event, EpochEnded):
                epochs.append(event)
                last = event
            elif isinstance(event, LiveViewUpdated):
                # Pictures a person cannot see are skipped, but never a requested spread.
                pictures[:] = [p for p in pictures if p.spread_train is not None]
                pictures.append(event)
            elif isinstance(event, RunStarted):
                started = event
                tracker.feed(event)
            elif isinstance(event, DataChanged):
                adopted.append(event)
            elif isinstance(event, (RunFinished, RunFailed)):
                # Counted when the end is announced: the views change to "after the run"
                # together, in one call, with the finished model's pictures.
                self._end_event = event
        # The position after these events, in the engine's order: each epoch's end, then the
        # last block when it came after them (the position depends on nothing in between).
        for event in epochs:
            tracker.feed(event)
        for event in adopted:  # at an epoch's start: after the epoch before it ended
            tracker.feed(event)
        if isinstance(last, IterationsDone):
            tracker.feed(last)
        if started is not None:
            self._on_started(started)
        for first, losses in _merge_blocks(blocks):
            self.iterations_received.emit(first, losses)
        if epochs:
            self.epochs_ended.emit(epochs)
        if adopted:
            self.training_data_changed.emit(adopted)
        # A picture goes out with the counters it belongs to, not half a second later.
        due = any(p.iteration <= tracker.position.iteration for p in pictures)
        if waiting:
            self._settling = False
            if self._stepping:
                self._on_step_done()
                return
            due = True  # paused: the counters show exactly where it waits
        if blocks or epochs or due:
            slow = self._pace is not None and self._pace <= EVERY_COUNT_PACE
            self._update_progress(force=due or slow)
        self._release_pictures()

    def _release_pictures(self) -> None:
        """Hand out the pictures the published position has reached; later ones wait."""
        reached = self._progress.position.iteration
        waiting = []
        for event in self._pictures:
            if event.iteration <= reached:
                self.live_view_received.emit(event)
            else:
                waiting.append(event)
        self._pictures = waiting

    def _on_started(self, event: RunStarted) -> None:
        self.last_started = event
        self._progress.device_name = event.device_name
        self._clock_started = time.perf_counter()
        self._paused_total = 0.0
        self._rate_window.clear()
        self._rate_window.append((self._clock_started, event.start_iteration))
        self.run_started.emit(event)
        self._emit_progress(force=True)

    def _update_progress(self, force: bool = False) -> None:
        p = self._progress
        position = self._tracker.position
        now = time.perf_counter()
        window = self._rate_window
        window.append((now, position.iteration))
        while len(window) > 2 and now - window[0][0] > 2.0:
            window.popleft()  # the rate over the last ~2 s follows changes quickly
        t0, i0 = window[0]
        if now > t0 and position.iteration > i0:
            p.iterations_per_second = (position.iteration - i0) / (now - t0)
        p.elapsed = now - self._clock_started - self._paused_total
        if p.iterations_per_second > 0 and position.total_iterations:
            p.eta = max(0.0, (position.total_iterations - position.iteration)
                        / p.iterations_per_second)
        self._emit_progress(force)

    def _emit_progress(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self._last_progress_emit >= PROGRESS_INTERVAL_S:
            self._last_progress_emit = now
            if self._state in (RunState.RUNNING, RunState.STOPPING):
                self._progress.elapsed = now - self._clock_started - self._paused_total
            # Published here only: every view reads this one position until the next.
            self._progress.position = self._tracker.position
            self.progress_changed.emit(self._progress)


def _merge_blocks(blocks: list[IterationsDone]) -> list[tuple[int, np.ndarray]]:
    """Consecutive loss blocks joined into one array per run of consecutive iterations."""
    merged: list[tuple[int, list[np.ndarray]]] = []
    expected = None
    for block in blocks:
        if expected is not None and block.first_iteration == expected:
            merged[-1][1].append(block.losses)
        else:
            merged.append((block.first_iteration, [block.losses]))
        expected = block.last_iteration + 1
    return [(first, parts[0] if len(parts) == 1 else np.concatenate(parts))
            for first, parts in merged]
