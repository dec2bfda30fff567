"""Where training is, as one value that every view reads.

The training controller feeds the engine's events to a :class:`PositionTracker` in the order the
engine published them, and publishes the tracker's :class:`RunPosition` a couple of times a
second (and at once when a live picture arrives). The status bar, the concept panel and the live
views' captions all show that one published value, so no two of them can disagree; a live
picture is handed out only once the published position has reached the iteration it was taken
at, and is labelled with that iteration (it may lag the counters, never run ahead of them).

What the numbers mean:

- while a run is under way, ``epoch`` is the epoch in progress and ``iteration`` the iterations
  (weight updates) done so far: "Epoch 45/60 · Iteration 3523/4800";
- once a run has ended (completed, stopped, stopped early or failed), ``epoch`` counts the
  epochs *completed*, as "Stopped after 44 epochs" does. A run stopped during epoch 45 reads
  "Epoch 44/60"; ``iteration_in_epoch`` says how far into epoch 45 it got (those iterations are
  counted in ``iteration`` and are in the weights);
- an opened model shows its file's training summary: the epochs and iterations it was trained
  for, not the counters of whatever run the window showed before.

No Qt here: the module is plain bookkeeping, tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

from workbench.config import DataConfig, iterations_per_epoch
from workbench.core.events import (
    DataChanged,
    EpochEnded,
    IterationsDone,
    RunFailed,
    RunFinished,
    RunStarted,
)
from workbench.ui import numbers

if TYPE_CHECKING:
    from workbench.core.modelfile import TrainedModel


class Phase(str, Enum):
    NONE = "none"  # nothing to show: no run yet, or the data changed since the last one
    RUNNING = "running"  # a run is under way (starting, running, paused or stopping)
    ENDED = "ended"  # the last run ended: completed, stopped, stopped early or failed
    MODEL = "model"  # an opened (or recovered) model: its file's training summary


@dataclass(frozen=True)
class RunPosition:
    """One moment of a run (or the summary of a model), as every view shows it."""

    phase: Phase = Phase.NONE
    # RUNNING: the epoch in progress (0 before the first is known); otherwise epochs completed.
    epoch: int = 0
    epochs: int = 0  # the epochs the run was set to (0 when unknown)
    iteration: int = 0  # iterations done, counted from the run's (or the file's) first
    total_iterations: int = 0  # 0 when unknown
    iterations_per_epoch: int = 0  # 0 when unknown
    # RUNNING: iterations done in the epoch in progress (0 to iterations_per_epoch);
    # ENDED/MODEL: iterations done in the epoch after the last completed one (a stop part-way).
    iteration_in_epoch: int = 0
    reason: str = ""  # ENDED: "completed", "stopped", "early_stopped" or "failed"
    weights_epoch: int | None = None  # ENDED/MODEL: the epoch whose weights the model holds

    @property
    def running(self) -> bool:
        return self.phase == Phase.RUNNING

    @property
    def shows_counts(self) -> bool:
        """False when there is nothing to count: no run, a run whose first epoch is not known
        yet, or a model whose file says nothing of its training."""
        if self.phase == Phase.RUNNING:
            return self.epoch > 0
        if self.phase == Phase.MODEL:  # a file from before training summaries says nothing
            return self.epoch > 0 or self.iteration > 0
        return self.phase == Phase.ENDED

    @property
    def unfinished_epoch(self) -> int:
        """After a run that ended part-way through an epoch: that epoch's number; else 0."""
        if self.phase in (Phase.ENDED, Phase.MODEL) and self.iteration_in_epoch > 0:
            return self.epoch + 1
        return 0

    @property
    def fraction(self) -> float:
        if self.total_iterations:
            return min(1.0, self.iteration / self.total_iterations)
        if self.phase == Phase.MODEL and self.epochs:
            return min(1.0, self.epoch / self.epochs)
        return 0.0


def count_text(value: int) -> str:
    """A count as every view writes it, with thousands separators (1,050; 12,500), the same as
    the form's spin boxes show it."""
    return numbers.count(value)


def data_source(data: DataConfig) -> tuple[str, ...]:
    """What makes two data settings *other data* (not the same data differently split or
    sized): the data set, and the file, sheet, target column or folder it is read from."""
    if data.dataset == "csv":
        return (data.dataset, data.csv_path, data.sheet, data.target)
    if data.dataset == "images":
        return (data.dataset, data.image_dir)
    return (data.dataset,)


def model_position(model: TrainedModel) -> RunPosition:
    """An opened model's position: from its file's training summary (0 where it says nothing)."""
    summary: dict[str, Any] = model.summary or {}
    run = model.config.run
    epochs_done = max(0, int(summary.get("epochs") or 0))
    iterations = max(0, int(summary.get("iterations") or 0))
    n_train = int(summary.get("train_samples") or 0)
    ipe = iterations_per_epoch(n_train, run.batch_size, run.drop_last)[0] if n_train else 0
    planned = max(run.epochs, epochs_done)
    in_epoch = iterations - epochs_done * ipe if ipe else 0
    weights = summary.get("weights_epoch") or (epochs_done or None)
    return RunPosition(
        phase=Phase.MODEL, epoch=epochs_done, epochs=planned, iteration=iterations,
        total_iterations=max(planned * ipe, iterations) if ipe else 0,
        iterations_per_epoch=ipe,
        iteration_in_epoch=in_epoch if 0 < in_epoch < ipe else 0,
        weights_epoch=int(weights) if weights else None)


class PositionTracker:
    """Follows a run's events, in the order the engine published them."""

    def __init__(self) -> None:
        self.position = RunPosition()
        self._start_epoch = 1
        self._start_iteration = 0
        self._completed = 0  # the last epoch whose EpochEnded came

    def begin(self, epochs: int) -> None:
        """A run was started; its first event has not come yet."""
        self.position = RunPosition(Phase.RUNNING, epochs=epochs)
        self._start_epoch, self._start_iteration, self._completed = 1, 0, 0

    def show(self, position: RunPosition) -> None:
        """No run: show ``position`` (an opened model's, or nothing after the data changed)."""
        self.position = position

    def feed(self, event: object) -> None:
        p = self.position
        if isinstance(event, RunStarted):
            self._start_epoch, self._start_iteration = event.start_epoch, event.start_iteration
            self._completed = event.start_epoch - 1
            self.position = RunPosition(
                Phase.RUNNING, epoch=event.start_epoch, epochs=event.epochs,
                iteration=event.start_iteration, total_iterations=event.total_iterations,
                iterations_per_epoch=event.iterations_per_epoch)
        elif p.phase != Phase.RUNNING:
            return  # a run's last events after the window moved on (never in practice)
        elif isinstance(event, IterationsDone):
            self._advance(event.epoch, event.last_iteration)
        elif isinstance(event, DataChanged):
            # New training data from this epoch on: count its epochs from here, at the new
            # number of iterations per epoch.
            # (The iterations done before it, from its own counts: the order in which a drain
            # feeds epoch ends and this event does not matter.)
            self._start_epoch = event.epoch
            self._start_iteration = max(0, event.total_iterations - (
                p.epochs - event.epoch + 1) * event.iterations_per_epoch)
            self.position = replace(p, iterations_per_epoch=event.iterations_per_epoch,
                                    total_iterations=event.total_iterations,
                                    iteration_in_epoch=0)
        elif isinstance(event, EpochEnded):
            self._completed = max(self._completed, event.epoch)
            self._advance(event.epoch, event.iteration)
        elif isinstance(event, RunFinished):
            weights = (event.best_epoch if event.restored_best and event.best_epoch
                       else event.epochs_completed)
            self.position = replace(
                p, phase=Phase.ENDED, epoch=event.epochs_completed,
                iteration=event.iterations_completed,
                iteration_in_epoch=self._left_over(event.epochs_completed,
                                                   event.iterations_completed),
                reason=event.reason, weights_epoch=weights or None)
        elif isinstance(event, RunFailed) and not p.iterations_per_epoch:
            self.position = RunPosition()  # it failed before it began: nothing was counted
        elif isinstance(event, RunFailed):
            self.position = replace(
                p, phase=Phase.ENDED, epoch=self._completed,
                iteration_in_epoch=self._left_over(self._completed, p.iteration),
                reason="failed", weights_epoch=None)

    def _advance(self, epoch: int, iteration: int) -> None:
        p = self.position
        ipe = p.iterations_per_epoch
        # Every epoch before this one had all its iterations (only a run's last is cut short).
        in_epoch = iteration - self._start_iteration - (epoch - self._start_epoch) * ipe
        self.position = replace(p, epoch=epoch, iteration=iteration,
                                iteration_in_epoch=max(0, min(in_epoch, ipe)) if ipe else 0)

    def _left_over(self, completed: int, iteration: int) -> int:
        """Iterations done after the last completed epoch (a run stopped part-way)."""
        ipe = self.position.iterations_per_epoch
        if not ipe:
            return 0
        extra = iteration - self._start_iteration - (completed - self._start_epoch + 1) * ipe
        return max(0, min(extra, ipe - 1))
