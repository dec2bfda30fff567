"""Side-by-side comparisons: the same settings trained several times, one setting changed.

A :class:`ComparisonPlan` lists the configurations (batch sizes, optimizers or dropout rates);
the :class:`ComparisonRunner` trains them one after another through the window's own Start (so
the live plots show every run) and collects per-run results for the Compare tab. The runs are
recorded in the history like any other, tagged with the comparison they belong to.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from workbench.config import Optimizer, TrainConfig
from workbench.core.events import EpochEnded, RunFailed, RunFinished, RunStarted
from workbench.ui import numbers

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

DEFAULT_BATCH_SIZES = (8, 32, 128, 512)
DEFAULT_DROPOUT_RATES = (0.0, 0.2, 0.5)
OPTIMIZERS = (Optimizer.SGD, Optimizer.MOMENTUM, Optimizer.RMSPROP, Optimizer.ADAM)

BATCH_SIZE, OPTIMIZER, DROPOUT = "batch_size", "optimizer", "dropout"


def optimizer_label(optimizer: Optimizer) -> str:
    labels = {Optimizer.SGD: QCoreApplication.translate("comparison", "SGD"),
              Optimizer.MOMENTUM: QCoreApplication.translate("comparison", "SGD with momentum"),
              Optimizer.RMSPROP: QCoreApplication.translate("comparison", "RMSprop"),
              Optimizer.ADAM: QCoreApplication.translate("comparison", "Adam"),
              Optimizer.ADAMW: QCoreApplication.translate("comparison", "AdamW")}
    return labels[optimizer]


class RunTagger(Protocol):
    """What the runner needs from the history recorder: a tag for the next run."""

    def tag_next_run(self, comparison: str, value: str) -> None: ...


@dataclass(frozen=True)
class ComparisonPlan:
    """The runs of one comparison: a label, a stored value and a configuration for each."""

    kind: str  # BATCH_SIZE, OPTIMIZER or DROPOUT
    title: str  # for people: "Batch sizes"
    tag: str  # stored with each run in the history: title and start time
    labels: tuple[str, ...]
    values: tuple[str, ...]
    configs: tuple[TrainConfig, ...]
    base: TrainConfig  # the form's settings, put back when the comparison ends
    notes: tuple[str, ...] = ()  # settings skipped, and why


def _tag(title: str) -> str:
    return f"{title} {time.strftime('%Y-%m-%d %H:%M:%S')}"


def batch_size_plan(cfg: TrainConfig, n_train: int | None,
                    sizes: Sequence[int] = DEFAULT_BATCH_SIZES) -> ComparisonPlan:
    """The same run at each batch size; sizes above the training-set size are skipped."""
    kept: list[int] = []
    notes: list[str] = []
    for size in dict.fromkeys(int(s) for s in sizes):  # in order, without repeats
        if n_train is not None and size > n_train:
            notes.append(QCoreApplication.translate(
                "comparison", "Batch size {size} skipped: the training set has only {n} "
                "samples.").format(size=size, n=n_train))
        elif size >= 1:
            kept.append(size)
    title = QCoreApplication.translate("comparison", "Batch sizes")
    return ComparisonPlan(
        kind=BATCH_SIZE, title=title, tag=_tag(title),
        labels=tuple(QCoreApplication.translate("comparison", "Batch size {size}")
                     .format(size=s) for s in kept),
        values=tuple(str(s) for s in kept),
        configs=tuple(cfg.with_changes(run={"batch_size": s}) for s in kept),
        base=cfg, notes=tuple(notes))


def optimizer_plan(cfg: TrainConfig, optimizers: Sequence[Optimizer] = OPTIMIZERS
                   ) -> ComparisonPlan:
    """The same run with each optimizer, all at the form's learning rate."""
    title = QCoreApplication.translate("comparison", "Optimizers")
    return ComparisonPlan(
        kind=OPTIMIZER, title=title, tag=_tag(title),
        labels=tuple(optimizer_label(o) for o in optimizers),
        values=tuple(o.value for o in optimizers),
        configs=tuple(cfg.with_changes(optim={"optimizer": o}) for o in optimizers),
        base=cfg,
        notes=(QCoreApplication.translate("comparison", "All at learning rate {lr}.")
               .format(lr=numbers.number(cfg.optim.lr)),))


def dropout_label(rate: float) -> str:
    """"Dropout off" at 0, as the form writes it; "Dropout 0.2" otherwise."""
    if rate <= 0:
        return QCoreApplication.translate("comparison", "Dropout off")
    return QCoreApplication.translate("comparison", "Dropout {rate}").format(
        rate=numbers.number(rate))


def dropout_plan(cfg: TrainConfig, rates: Sequence[float] = DEFAULT_DROPOUT_RATES
                 ) -> ComparisonPlan:
    """The same run with each dropout rate on the hidden layers."""
    title = QCoreApplication.translate("comparison", "Dropout rates")
    notes = ()
    if not cfg.model.hidden:
        notes = (QCoreApplication.translate(
            "comparison", "The model has no hidden layers: dropout changes nothing."),)
    return ComparisonPlan(
        kind=DROPOUT, title=title, tag=_tag(title),
        labels=tuple(dropout_label(r) for r in rates),
        values=tuple(f"{r:g}" for r in rates),
        configs=tuple(cfg.with_changes(model={"dropout": float(r), "dropout_per_layer": ()})
                      for r in rates),
        base=cfg, notes=notes)


@dataclass
class SettingResult:
    """One run of a comparison, as it goes and when it has ended."""

    label: str
    status: str = "waiting"  # waiting, running, completed, stopped, early_stopped, failed,
    # not_started, cancelled
    iterations_per_epoch: int | None = None
    seconds: float | None = None
    task: str = ""
    epochs: list[EpochEnded] = field(default_factory=list)

    @property
    def seconds_per_epoch(self) -> float | None:
        if not self.epochs:
            return None
        return sum(e.seconds for e in self.epochs) / len(self.epochs)

    @property
    def final(self) -> EpochEnded | None:
        return self.epochs[-1] if self.epochs else None


class ComparisonRunner(QObject):
    """Trains a plan's configurations one after another through the window."""

    run_began = Signal(int)  # index into the plan
    run_progressed = Signal(int)  # epochs arrived for this run
    run_ended = Signal(int)
    finished = Signal(bool)  # True when every run was trained, False when stopped

    def __init__(self, window: MainWindow, tagger: RunTagger | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._tagger = tagger
        self.plan: ComparisonPlan | None = None
        self.results: list[SettingResult] = []
        self._index = -1
        self._active = False
        self._stopping = False
        self._continue_was_checked = False
        self.started_at = 0.0
        self.seconds = 0.0  # wall time of the whole comparison, once finished
        c = window.controller
        c.run_started.connect(self._on_controller_run_started)
        c.epochs_ended.connect(self._on_controller_epochs_ended)
        c.run_finished.connect(self._on_controller_run_finished)
        c.run_failed.connect(self._on_controller_run_failed)

    @property
    def active(self) -> bool:
        return self._active

    @property
    def index(self) -> int:
        """The plan's run under way (or last begun); -1 before the first."""
        return self._index

    def start(self, plan: ComparisonPlan) -> bool:
        """Begin the plan's runs; False when a run or comparison is already under way."""
        if self._active or self._window.controller.is_active or not plan.configs:
            return False
        # The runs replace the window's model: an unsaved one is asked about once, up front.
        if not self._window.ask_save_changes("start"):
            return False
        self.plan = plan
        self.results = [SettingResult(label) for label in plan.labels]
        self._index = -1
        self._active = True
        self._stopping = False
        # Every run starts from fresh weights, whatever the "continue" box says.
        check = self._window.run_controls.continue_check
        self._continue_was_checked = check.isChecked()
        check.setChecked(False)
        self.started_at = time.perf_counter()
        self._start_next()
        return True

    def stop(self) -> None:
        """Stop the run under way and cancel the ones not started."""
        if not self._active:
            return
        self._stopping = True
        if self._window.controller.is_active:
            self._window.stop_training()  # its end (run_finished) ends the comparison
        else:
            self._end()

    def abandon(self) -> None:
        """End the comparison now, without waiting for the run under way to announce its end
        (the window is closing and stops it silently): the form gets its settings back."""
        if not self._active:
            return
        self._stopping = True
        self._end()

    def _start_next(self) -> None:
        if not self._active:
            return
        self._index += 1
        plan = self.plan
        if self._stopping or plan is None or self._index >= len(plan.configs):
            self._end()
            return
        i = self._index
        if self._tagger is not None:
            self._tagger.tag_next_run(plan.tag, plan.values[i])
        self.results[i].status = "running"
        self.run_began.emit(i)
        if not self._window.start_training(plan.configs[i]):
            if self._tagger is not None:
                self._tagger.tag_next_run("", "")
            self.results[i].status = "not_started"
            self.run_ended.emit(i)
            QTimer.singleShot(0, self._start_next)

    def _end(self) -> None:
        self._active = False
        for result in self.results:
            if result.status == "waiting":
                result.status = "cancelled"
        self.seconds = time.perf_counter() - self.started_at
        if self.plan is not None:
            self._window.form.set_config(self.plan.base)
        self._window.run_controls.continue_check.setChecked(self._continue_was_checked)
        self.finished.emit(not self._stopping)

    # -- the window's runs --------------------------------------------------------------------
    def _current(self) -> SettingResult | None:
        if self._active and 0 <= self._index < len(self.results):
            return self.results[self._index]
        return None

    def _on_controller_run_started(self, event: RunStarted) -> None:
        result = self._current()
        if result is not None:
            result.iterations_per_epoch = event.iterations_per_epoch
            result.task = event.task

    def _on_controller_epochs_ended(self, epochs: list[EpochEnded]) -> None:
        result = self._current()
        if result is not None:
            result.epochs.extend(epochs)
            self.run_progressed.emit(self._index)

    def _on_controller_run_finished(self, event: RunFinished) -> None:
        self._run_ended(event.reason, event.seconds)

    def _on_controller_run_failed(self, _event: RunFailed) -> None:
        self._run_ended("failed", None)

    def _run_ended(self, status: str, seconds: float | None) -> None:
        result = self._current()
        if result is None:
            return
        result.status = status
        result.seconds = seconds
        self.run_ended.emit(self._index)
        # After every other listener of this run's end (the history records it first).
        QTimer.singleShot(0, self._start_next)
