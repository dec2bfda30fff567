"""The rules around the training loop, each a callback with no-op hooks (Lightning's Callback).

The loop (``workbench.core.engine``) trains and validates; everything else it does is one of
these: early stopping with the best weights kept, the last-good snapshot, divergence detection,
the learning-rate schedule, checkpoints, live pictures, pacing and stepping. Each sees the run
through a :class:`RunState` and is called at block and epoch boundaries, never once per
iteration on the fast path:

- ``on_run_start(run)``: the model, data and optimizer exist; a resumed run's state is loaded;
- ``on_iterations(run)``: a block of iterations is done (a few times a second; on the slow
  path, while paced, stepping or paused, after every iteration);
- ``on_train_data_changed(run)``: the run adopted training data offered mid-run;
- ``on_validation_end(run, result)``: an epoch is trained and validated, its summary not yet
  made (a rule may end the run here: set ``run.stop_reason``, or raise :class:`EpochDiverged`);
- ``on_epoch_end(run, event)``: the epoch's ``EpochEnded`` is made and in the history;
- ``on_run_end(run)``: the run ended normally (completed, stopped or stopped early);
- ``state_dict()`` / ``load_state_dict(state)``: what a checkpoint keeps of the rule, so a
  resumed run continues where it left off. Values that are tensors go to the checkpoint's
  tensor file, the rest to its JSON.

Callbacks run in list order; the engine puts divergence first (it judges the epoch before the
schedule or early stopping see it) and pacing last (it waits after everything is published).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.config import TrainConfig
from workbench.core import data as data_mod
from workbench.core.control import RunControl
from workbench.core.events import EpochEnded, Event


@dataclass
class RunState:
    """What the hooks see of a run: the parts, the position, and the queue of events."""

    config: TrainConfig
    data: data_mod.PreparedData
    model: nn.Module
    device: torch.device
    control: RunControl
    optimizer: torch.optim.Optimizer
    generator: torch.Generator  # the sampler's: its state is part of a checkpoint
    mean: np.ndarray  # the statistics the model's inputs are normalised with
    std: np.ndarray
    target_scaling: tuple[float, float]
    publish: Callable[[Event], None]
    start_epoch: int = 1
    epoch: int = 0  # the epoch under way (after the loop: the last one completed)
    iteration: int = 0  # iterations done in the whole run, counting a resumed run's earlier ones
    t_run: float = field(default_factory=time.perf_counter)
    sample: torch.Tensor | None = None  # one sample of the latest batch (the dropout probe)
    # The hooks run on the slow path (paced, stepping or paused), before the next iteration;
    # ``at_epoch_start``: that iteration is the epoch's first.
    slow_path: bool = False
    at_epoch_start: bool = False
    pending: list[Event] = field(default_factory=list)  # events waiting to go out together
    flush_now: bool = False  # a rule wants the queued events out at the epoch end
    stop_reason: str | None = None  # a rule ended the run after this epoch ("early_stopped")

    def release(self) -> None:
        """Publish the queued events in order."""
        pending, self.pending = self.pending, []
        for event in pending:
            self.publish(event)


@dataclass(frozen=True)
class EpochResult:
    """An epoch trained and validated: ``losses`` (float32, one per iteration), their
    batch-size-weighted ``train_loss``, the validation figures, and the learning rate used."""

    epoch: int
    losses: np.ndarray
    train_loss: float
    val_loss: float | None
    val_accuracy: float | None
    lr: float
    first_iteration: int  # the global number of the iteration before the epoch's first
    t_start: float  # time.perf_counter() when the epoch began


class Callback:
    """A rule around the loop: override the hooks it needs; the rest do nothing."""

    def on_run_start(self, run: RunState) -> None:
        """The run begins (after a resumed run's state is loaded)."""

    def on_iterations(self, run: RunState) -> None:
        """A block of iterations is done; ``run.iteration`` is the last of it."""

    def on_train_data_changed(self, run: RunState) -> None:
        """``run.data`` now holds training data offered mid-run (from this epoch on)."""

    def on_validation_end(self, run: RunState, result: EpochResult) -> None:
        """The epoch is trained and validated; its summary is not made yet."""

    def on_epoch_end(self, run: RunState, event: EpochEnded) -> None:
        """The epoch's summary is made (and in the history), not yet published."""

    def on_run_end(self, run: RunState) -> None:
        """The run ended with a model (completed, stopped, or stopped early)."""

    def state_dict(self) -> dict[str, Any]:
        """What a checkpoint keeps of this rule."""
        return {}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Continue from a checkpoint's ``state`` (all rules' entries; take your own)."""


# -- runs that go wrong --------------------------------------------------------------------
# Judged at epoch ends only, on numbers the loop has anyway (the epoch's iteration losses as one
# array, the epoch's mean, the validation figures): nothing is added per iteration.
#
# The "start" loss is the larger of the run's first iteration loss and the loss of a model that
# learned nothing (one that predicts the training split's class shares, or its mean target). A
# run that continues from trained weights is so measured against knowing nothing, not against
# its own small starting loss, and a loss that merely doubles never counts.
#
# A run has diverged, and ends (RunFailed, kind "diverged", the last good weights kept), when
#   "iteration": one iteration's loss is above ITERATION_BLOWUP x the start;
#   "epoch":     an epoch's mean training loss is above EPOCH_SEVERE x the start;
#   "exploded":  an epoch's mean training loss went above EPOCH_BLOWUP x the start and none of
#                the RECOVER_EPOCHS epochs after it came back below RECOVERED x the start;
#   "rising":    the epoch's mean training loss rose RISING_EPOCHS epochs in a row, to more than
#                RISING_FACTOR x its lowest so far and above the start.
# Adam and RMSprop at high rates often blow the loss up 10- to 1000-fold in the first epoch and
# then settle and learn (moons at Adam 0.3, batch 16: 11x, 3x, 1.6x, then 0.5x): "exploded"
# waits for that. A run that ends inside the wait is not judged; the weights kept (the best
# validation epoch's) and the headline speak for it. Snapshots pause during the wait, so the
# weights handed back after a divergence come from before the blow-up.
ITERATION_BLOWUP = 1e6
EPOCH_SEVERE = 1000.0
EPOCH_BLOWUP = 10.0
RECOVER_EPOCHS = 5
RECOVERED = 0.9
RISING_EPOCHS = 5
RISING_FACTOR = 2.0


@dataclass(frozen=True)
class Divergence:
    """What a divergence rule saw: ``rule`` is "iteration", "epoch", "exploded" or "rising";
    ``epoch`` is where the loss diverged, ``iteration`` the last one the rule looked at;
    ``start`` and ``peak`` the losses it went from and to; ``why`` the rule, for the log."""

    rule: str
    epoch: int
    iteration: int
    start: float
    peak: float
    why: str


class DivergenceWatch:
    """The divergence rules above, fed once per epoch (see ``epoch_ended``)."""

    def __init__(self, null_loss: float) -> None:
        self.null_loss = null_loss  # the loss of a model that learned nothing
        self.start: float | None = None
        self.lowest = math.inf  # the lowest epoch mean so far
        self.recent: deque[float] = deque(maxlen=RISING_EPOCHS + 1)  # the last epoch means
        # The epoch whose mean went above EPOCH_BLOWUP x the start, and the highest mean since,
        # while the loss has not come back: "exploded" is waiting.
        self.exploded: tuple[int, float] | None = None

    @property
    def waiting(self) -> bool:
        """True while a blow-up may still turn out a divergence (no snapshot is taken)."""
        return self.exploded is not None

    def epoch_ended(self, epoch: int, losses: np.ndarray, mean: float,
                    first_iteration: int) -> Divergence | None:
        """Judge a whole epoch: its (finite) iteration losses, their mean, and the global
        number of the iteration before its first."""
        if len(losses) == 0:
            return None
        if self.start is None:
            self.start = max(self.null_loss, float(losses[0]), 1e-12)
        start = self.start
        self.lowest = lowest = min(self.lowest, mean)
        self.recent.append(mean)
        i = int(np.argmax(losses))
        peak = float(losses[i])
        if peak > ITERATION_BLOWUP * start:
            return Divergence("iteration", epoch, first_iteration + i + 1, start, peak,
                              f"iteration {first_iteration + i + 1}'s loss {peak:.3g} is above "
                              f"{ITERATION_BLOWUP:g} x the start {start:.3g}")
        last = first_iteration + len(losses)
        if mean > EPOCH_SEVERE * start:
            return Divergence("epoch", epoch, last, start, mean,
                              f"the epoch's mean training loss {mean:.3g} is above "
                              f"{EPOCH_SEVERE:g} x the start {start:.3g}")
        if self.exploded is not None:
            first, top = self.exploded
            if mean < RECOVERED * start:
                self.exploded = None
            else:
                self.exploded = (first, max(top, mean))
                if epoch - first >= RECOVER_EPOCHS:
                    return Divergence(
                        "exploded", first, last, start, max(top, mean),
                        f"epoch {first}'s mean training loss went above {EPOCH_BLOWUP:g} x the "
                        f"start {start:.3g} (to {top:.3g}) and in the {RECOVER_EPOCHS} epochs "
                        f"since never came back below {RECOVERED:g} x the start (now "
                        f"{mean:.3g})")
        elif mean > EPOCH_BLOWUP * start:
            self.exploded = (epoch, mean)
        tail = self.recent
        if (len(tail) == RISING_EPOCHS + 1 and all(b > a for a, b in pairwise(tail))
                and mean > RISING_FACTOR * lowest and mean > start):
            return Divergence("rising", epoch, last, lowest, mean,
                              f"the mean training loss rose {RISING_EPOCHS} epochs in a row to "
                              f"{mean:.3g}, over {RISING_FACTOR:g} x its lowest {lowest:.3g} "
                              f"and above the start {start:.3g}")
        return None


def null_loss(data: data_mod.PreparedData, target_scaling: tuple[float, float]) -> float:
    """The training loss of a model that learned nothing: cross-entropy of predicting the
    training split's class shares, or the variance of its (scaled) targets."""
    if data.task == "classification":
        return _entropy(data.train_counts)
    if data.n_train == 0:
        return 0.0
    t_mean, t_std = target_scaling
    y = (np.asarray(data.y_train, dtype=np.float64) - t_mean) / t_std
    return float(np.var(y))


def _entropy(counts: np.ndarray) -> float:
    counts = np.asarray(counts, dtype=np.float64)
    shares = counts[counts > 0] / max(counts.sum(), 1.0)
    return float(-(shares * np.log(shares)).sum())


class EpochDiverged(Exception):
    """Raised by :class:`DivergenceCheck`: the loss diverged in this epoch. The loop shows the
    epoch (its loss is the evidence), then puts the last good weights back and ends the run."""

    def __init__(self, seen: Divergence) -> None:
        super().__init__(seen.why)
        self.seen = seen


class DivergenceCheck(Callback):
    """Ends a diverging run (the rules above), judged once an epoch on its losses. A resumed
    run goes on with what the watch had seen (its start, lowest and recent epoch means, and a
    blow-up it was waiting on)."""

    def __init__(self) -> None:
        self.watch: DivergenceWatch | None = None
        self._resumed: Mapping[str, Any] | None = None

    @property
    def waiting(self) -> bool:
        """True while a blow-up may still turn out a divergence."""
        return self.watch is not None and self.watch.waiting

    def on_run_start(self, run: RunState) -> None:
        self.watch = watch = DivergenceWatch(null_loss(run.data, run.target_scaling))
        saved, self._resumed = self._resumed, None
        if saved is not None and saved.get("divergence.start") is not None:
            watch.start = float(saved["divergence.start"])
            lowest = float(saved["divergence.lowest"])
            watch.lowest = math.inf if lowest >= 1e308 else lowest
            watch.recent.extend(float(v) for v in saved["divergence.recent"])
            exploded = saved.get("divergence.exploded")
            watch.exploded = None if exploded is None else (int(exploded[0]),
                                                            float(exploded[1]))

    def state_dict(self) -> dict[str, Any]:
        w = self.watch
        if w is None:
            return {}
        return {"divergence.start": w.start,
                "divergence.lowest": w.lowest if math.isfinite(w.lowest) else 1e308,
                "divergence.recent": list(w.recent),
                "divergence.exploded": None if w.exploded is None else list(w.exploded)}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        self._resumed = state  # applied when the run starts, with the data's null loss

    def on_validation_end(self, run: RunState, result: EpochResult) -> None:
        assert self.watch is not None
        seen = self.watch.epoch_ended(result.epoch, result.losses, result.train_loss,
                                      result.first_iteration)
        if seen is not None:
            raise EpochDiverged(seen)


class SchedulerStep(Callback):
    """Steps the learning-rate schedule once an epoch (a plateau schedule on the validation
    loss, or the training loss without a validation split). ``scheduler`` may be None."""

    def __init__(self, scheduler: Any, epochs: int) -> None:
        self.scheduler = scheduler
        self.epochs = epochs

    def on_validation_end(self, run: RunState, result: EpochResult) -> None:
        sched = self.scheduler
        if sched is None:
            return
        if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau):
            sched.step(result.val_loss if result.val_loss is not None else result.train_loss)
        else:
            sched.step()

    def state_dict(self) -> dict[str, Any]:
        sched = self.scheduler
        return {"scheduler": plain_json(sched.state_dict()) if sched is not None else None}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        sched = self.scheduler
        if sched is None or state.get("scheduler") is None:
            return
        sched.load_state_dict(state["scheduler"])
        if isinstance(sched, torch.optim.lr_scheduler.CosineAnnealingLR):
            sched.T_max = self.epochs  # the run may now be longer than before


class EarlyStopping(Callback):
    """The best validation epoch: its weights kept (``keep_best``) and put back at the end
    (``restore_best``) when they are not the last epoch's; the run ends after ``patience``
    epochs (0: never) whose validation loss did not beat the best by more than ``min_delta``.
    """

    def __init__(self, patience: int, min_delta: float, keep_best: bool,
                 restore_best: bool) -> None:
        self.patience, self.min_delta = patience, min_delta
        self.keep_best, self.restore_best = keep_best, restore_best
        self.best_loss = math.inf
        self.best_epoch: int | None = None
        self.bad_epochs = 0
        self.best_state: dict[str, torch.Tensor] | None = None  # on the CPU
        self.restored = False  # the best weights were put back at the end

    @property
    def patience_left(self) -> int | None:
        return self.patience - self.bad_epochs if self.patience else None

    def on_validation_end(self, run: RunState, result: EpochResult) -> None:
        val_loss = result.val_loss
        if val_loss is not None and val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.bad_epochs = val_loss, result.epoch, 0
            if self.keep_best:
                self.best_state = {k: v.detach().cpu().clone()
                                   for k, v in run.model.state_dict().items()}
        elif val_loss is not None:
            self.bad_epochs += 1
        if self.patience and self.bad_epochs >= self.patience:
            run.stop_reason = "early_stopped"

    def on_run_end(self, run: RunState) -> None:
        if (self.restore_best and self.best_state is not None and self.best_epoch is not None
                and self.best_epoch != max(run.epoch, 0)):
            run.model.load_state_dict(self.best_state)
            self.restored = True

    def state_dict(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "best_loss": self.best_loss if math.isfinite(self.best_loss) else 1e308,
            "best_epoch": self.best_epoch, "bad_epochs": self.bad_epochs}
        if self.best_state is not None:
            state.update({f"best.{k}": v for k, v in self.best_state.items()})
        return state

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        self.best_loss = float(state["best_loss"])
        self.best_epoch = state["best_epoch"]
        self.bad_epochs = int(state["bad_epochs"])
        best = {k[len("best."):]: v for k, v in state.items() if k.startswith("best.")}
        self.best_state = best or None


# A classifier is stuck at chance level, and its run finishes flagged (RunFinished.warning), when
# over the last CHANCE_EPOCHS epochs (all of them in a run of CHANCE_MIN_EPOCHS to
# CHANCE_EPOCHS - 1) every validation accuracy, and that of the weights kept, is at most
# CHANCE_SIGMAS standard errors (sqrt(p (1 - p) / n), at most half the rest, 1 - p) above the
# share p of the validation split's most common class, while the validation loss stayed above
# CHANCE_LOSS x the loss of always predicting the validation split's class shares.
CHANCE_EPOCHS = 5
CHANCE_MIN_EPOCHS = 3
CHANCE_SIGMAS = 3.0
CHANCE_LOSS = 0.95


def chance_level(data: data_mod.PreparedData) -> float | None:
    """What always answering the most common class scores on the validation split."""
    if data.task != "classification" or data.n_val == 0:
        return None
    return float(np.max(data.val_counts)) / data.n_val


def stuck_at_chance(history: list[EpochEnded], kept_accuracy: float | None,
                    data: data_mod.PreparedData) -> int:
    """How many of the last epochs a classifier stayed at chance level while its validation
    loss did not fall (the rule above); 0 when it did not."""
    chance = chance_level(data)
    window = history[-CHANCE_EPOCHS:]
    if (chance is None or kept_accuracy is None or len(window) < CHANCE_MIN_EPOCHS
            or int(np.count_nonzero(data.val_counts)) < 2):
        return 0
    margin = min(CHANCE_SIGMAS * math.sqrt(chance * (1 - chance) / data.n_val),
                 (1 - chance) / 2)
    accuracies = [e.val_accuracy for e in window]
    losses = [e.val_loss for e in window]
    if any(a is None for a in accuracies) or any(v is None for v in losses):
        return 0
    know_nothing = _entropy(data.val_counts)
    at_chance = all(a <= chance + margin for a in accuracies) and (
        kept_accuracy <= chance + margin)
    return len(window) if at_chance and min(losses) >= CHANCE_LOSS * know_nothing else 0



class ChanceLevelCheck(Callback):
    """Flags a classifier that learned nothing (the rule above), judged when the run ends on
    its last epochs and the accuracy of the weights it keeps (``early`` says which epoch's).
    Runs after ``early`` in the list, so the best epoch is known when an epoch ends."""

    def __init__(self, early: EarlyStopping) -> None:
        self.early = early
        self.epochs = 0  # how many of the last epochs stayed at chance; 0: not flagged
        self.kept_accuracy: float | None = None
        self._recent: deque[EpochEnded] = deque(maxlen=CHANCE_EPOCHS)
        self._best_accuracy: float | None = None

    def on_run_start(self, run: RunState) -> None:
        self.epochs, self.kept_accuracy, self._best_accuracy = 0, None, None
        self._recent.clear()

    def on_epoch_end(self, run: RunState, event: EpochEnded) -> None:
        self._recent.append(event)
        if event.epoch == self.early.best_epoch:
            self._best_accuracy = event.val_accuracy

    def on_run_end(self, run: RunState) -> None:
        if not self._recent:
            return
        self.kept_accuracy = (self._best_accuracy if self.early.restored
                              else self._recent[-1].val_accuracy)
        if run.data.task == "classification":
            self.epochs = stuck_at_chance(list(self._recent), self.kept_accuracy, run.data)


SNAPSHOT_INTERVAL_S = 1.0  # how often the last-good weights are refreshed (at an epoch end)


class LastGoodSnapshot(Callback):
    """The weights at a recent epoch end, kept on the device (``copy_``: no sync, no
    allocation), so a run whose loss turns NaN or diverges hands back weights known to give
    finite losses. Refreshed after the first epoch and then at most every ``interval`` seconds,
    never while a blow-up may still turn out a divergence (``divergence.waiting``)."""

    def __init__(self, divergence: DivergenceCheck,
                 interval: float = SNAPSHOT_INTERVAL_S) -> None:
        self.divergence = divergence
        self.interval = interval
        self.epoch = 0  # the epoch whose weights are kept (0: the starting weights)
        self._kept: list[torch.Tensor] = []
        self._live: list[torch.Tensor] = []
        self._taken = -math.inf

    def on_run_start(self, run: RunState) -> None:
        self._live = list(run.model.state_dict().values())
        self._kept = [t.detach().clone() for t in self._live]
        self.epoch = run.start_epoch - 1
        self._taken = run.t_run

    def on_validation_end(self, run: RunState, result: EpochResult) -> None:
        if not self.divergence.waiting and (
                result.epoch == run.start_epoch
                or time.perf_counter() - self._taken >= self.interval):
            self.take(result.epoch)
            self._taken = time.perf_counter()

    def take(self, epoch: int) -> None:
        with torch.no_grad():
            for kept, live in zip(self._kept, self._live):
                kept.copy_(live)
        self.epoch = epoch

    def restore(self) -> None:
        """Put the kept weights back into the model."""
        with torch.no_grad():
            for kept, live in zip(self._kept, self._live):
                live.copy_(kept)


class Checkpointing(Callback):
    """A checkpoint at an epoch end: after the last epoch, at a stop, and otherwise once
    ``interval`` seconds have passed since the last (0: every epoch; epochs of a few
    milliseconds would spend more time writing than training). After a checkpoint the epoch's
    events go out at once: "epoch N ended" is heard while the file on disk is still epoch N's
    (what a listener copying it, or a crash right then, relies on)."""

    def __init__(self, path: Path, interval: float,
                 save: Callable[[Path, RunState], None]) -> None:
        self.path, self.interval, self._save = path, interval, save
        self._written = -math.inf

    def on_epoch_end(self, run: RunState, event: EpochEnded) -> None:
        last = run.epoch == run.config.run.epochs or run.stop_reason is not None
        if (last or run.control.stop_requested
                or time.perf_counter() - self._written >= self.interval):
            self._written = time.perf_counter()
            self._save(self.path, run)
            run.flush_now = True


class LiveCapture(Callback):
    """Pictures of the model for a window that asks (a ``workbench.core.liveview.LiveView``):
    at block ends whenever one is due; on the slow path (paced, stepping, paused) after every
    iteration too, so each step is seen exactly."""

    def __init__(self, live: Any) -> None:
        self.live = live
        self._captured = -1  # the iteration of the last picture

    def on_run_start(self, run: RunState) -> None:
        self.live.begin(run.model, run.data, run.mean, run.std, run.device,
                        run.config.run.seed)

    def on_train_data_changed(self, run: RunState) -> None:
        self.on_run_start(run)  # the plane's points are the new ones

    def on_iterations(self, run: RunState) -> None:
        live, now = self.live, time.perf_counter()
        if live.due(now) or (run.slow_path and self._captured != run.iteration and live.wanted
                             and run.control.will_hold(run.at_epoch_start)):
            assert run.sample is not None
            # Before an epoch's first iteration the weights are those the last epoch ended
            # with: the picture names that epoch, as the counters do.
            epoch = run.epoch - 1 if run.at_epoch_start and run.iteration > 0 else run.epoch
            run.pending.append(live.capture(run.sample[:1], epoch, run.iteration, now))
            self._captured = run.iteration


class PaceAndStep(Callback):
    """Pause, pacing and stepping (``RunControl.pause``, ``set_pace``, ``step``,
    ``step_epoch``). On the slow path, where the loop calls the hooks after every iteration,
    it publishes everything up to the iteration just done, then waits until the next may run
    (a timed wait that stop, pause, resume, step and pace changes cut short). Goes last."""

    def on_iterations(self, run: RunState) -> None:
        control = run.control
        if not run.slow_path or control.stop_requested:
            return
        run.release()
        control.admit(first_of_epoch=run.at_epoch_start)


def plain_json(obj: Any) -> Any:
    """JSON-safe copy of a scheduler or optimizer state (floats, ints, lists, dicts)."""
    if isinstance(obj, dict):
        return {str(k): plain_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain_json(v) for v in obj]
    if isinstance(obj, torch.Tensor):
        return obj.item() if obj.numel() == 1 else obj.tolist()
    if isinstance(obj, float) and not math.isfinite(obj):
        return 1e308 if obj > 0 else -1e308
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    return str(obj)
