"""The training loop. Knows nothing of Qt: it publishes typed events to a callback.

``Engine._run`` reads top to bottom: set up (``_begin``), then per epoch adopt any offered
data, ``train_one_epoch``, ``evaluate`` and ``_end_epoch``, then ``_finish``. The rules around
it (early stopping with the best weights, the last-good snapshot, divergence, the schedule,
checkpoints, live pictures, pacing and stepping) are callbacks in ``workbench.core.callbacks``;
the requests from other threads arrive through ``workbench.core.control.RunControl``.

Hot-path rules: small in-memory data sets live as tensors on the training device and are
batched by index (no DataLoader); per-iteration losses stay on the device in a buffer and are
handed out in blocks, so a GPU is not synchronised every step; the hooks run at block ends,
and the only per-iteration check is one read of ``RunControl.interrupted``.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import math
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.config import (
    ConfigError,
    Imbalance,
    TrainConfig,
    _problem,
    iterations_per_epoch,
)
from workbench.core import data as data_mod
from workbench.core.augment import augment_batch
from workbench.core.callbacks import (  # noqa: F401  (the rules' names, kept here)
    EPOCH_BLOWUP,
    EPOCH_SEVERE,
    ITERATION_BLOWUP,
    RECOVER_EPOCHS,
    RECOVERED,
    RISING_EPOCHS,
    RISING_FACTOR,
    SNAPSHOT_INTERVAL_S,
    Callback,
    ChanceLevelCheck,
    Checkpointing,
    Divergence,
    DivergenceCheck,
    DivergenceWatch,
    EarlyStopping,
    EpochDiverged,
    EpochResult,
    LastGoodSnapshot,
    LiveCapture,
    PaceAndStep,
    RunState,
    SchedulerStep,
    _entropy,
    chance_level,
    null_loss,
    plain_json,
)
from workbench.core.control import RunControl
from workbench.core.devices import DEFAULT_THREADS, resolve_device
from workbench.core.events import (
    DataChanged,
    EpochEnded,
    Event,
    IterationsDone,
    RunFailed,
    RunFinished,
    RunStarted,
)
from workbench.core.modelfile import (
    TrainedModel,
    load_checkpoint,
    load_weights,
    save_checkpoint,
)
from workbench.core.models import build_model, multiply_adds, parameter_count
from workbench.core.training import (
    epoch_loss,
    epoch_weights,
    evaluate,
    grad_clearer,
    loss_function,
    make_optimizer,
    make_scheduler,
    mode_switch,
    targets,
    train_step,
)
from workbench.errors import DataError, TrainingError, WorkbenchError

log = logging.getLogger(__name__)

__all__ = ["Engine", "RunControl"]  # RunControl lives in workbench.core.control

EventCallback = Callable[[Event], None]


# Training sets up to this size are shuffled once per epoch into one copy whose batches are
# slices; larger ones gather each batch by index (a copy of the set would cost too much memory).
EPOCH_GATHER_BYTES = 256 * 2**20


class _NonFiniteLoss(Exception):
    def __init__(self, epoch: int, iteration: int, value: float):
        super().__init__(value)
        self.epoch, self.iteration, self.value = epoch, iteration, value


# The messages, written from templates the window translates (workbench/ui/core_text.py lists
# them in FAILURE_TEXTS). The numbers are the learning rate now and the one to try next.
DIVERGED_KEPT = ("The loss diverged from {start:.2g} to {peak:.2g} in epoch {epoch}: lower the "
                 "learning rate (now {lr:g}; try {lower:g}). The weights of epoch {kept} are "
                 "kept.")
DIVERGED_START = ("The loss diverged from {start:.2g} to {peak:.2g} in epoch {epoch}: lower the "
                  "learning rate (now {lr:g}; try {lower:g}). The model keeps its starting "
                  "weights.")
AT_CHANCE = ("The validation accuracy stayed at chance level for the last {epochs} epochs "
             "({accuracy:.1%}; always answering the most common class scores {chance:.1%}) "
             "while the loss did not fall: the network learned nothing. Check that the labels "
             "belong to the inputs, or try another learning rate (now {lr:g}; try {lower:g} or "
             "{higher:g}).")


class _Diverged(Exception):
    """The run diverged; raised after the last good weights are back in the model."""

    def __init__(self, message: str, details: str, epoch: int, iteration: int) -> None:
        super().__init__(message)
        self.message, self.details, self.epoch, self.iteration = message, details, epoch, iteration



# Multiply-adds per iteration from which more threads pay (2 cores, a worker thread: spiral's
# MLP at batch 32, 0.14 M, ran 2 % slower on 2 threads; digits' MLP at batch 256, 2.3 M, 8 %
# faster; a 16-32 channel CNN at batch 256 41 % faster; a 64-128 channel one 98 % faster).
MANY_THREADS_FROM = 1_000_000


def choose_threads(config: TrainConfig, device: torch.device, model: nn.Module | None = None,
                   input_shape: tuple[int, ...] | None = None, reserved: int = 0) -> int:
    """Intra-op threads for CPU training: the config's count, else by the work per iteration.

    Small models (what a first lesson trains) run best on one thread: splitting a 64-unit
    layer costs more in hand-offs than it saves. From about a million multiply-adds per iteration, torch's default (a thread per core) is
    faster, up to twice on 2 cores headless. ``reserved`` threads are left to others: the
    window keeps one, since training threads that share the window's cores stall on each
    other (measured on 2 cores beside the window: 2 threads ran at 0.4-0.7x of one). The
    choice depends only on the model, batch size and machine.
    """
    if config.run.threads > 0:
        return config.run.threads
    if model is None or input_shape is None or DEFAULT_THREADS <= 1:
        return 1
    work = multiply_adds(model, input_shape) * config.run.batch_size
    return max(1, DEFAULT_THREADS - reserved) if work >= MANY_THREADS_FROM else 1


def _set_threads(n: int) -> None:
    # Setting the count rebuilds the thread pool even when it does not change.
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


@dataclass
class TrainingSet:
    """The training split on the device and how an epoch walks it."""

    X: torch.Tensor
    Y: torch.Tensor
    sampler: data_mod.EpochSampler
    iterations: int  # per epoch
    last_batch_size: int
    weights: np.ndarray  # per iteration, for the epoch mean: the last batch may be smaller
    # Sets up to EPOCH_GATHER_BYTES are shuffled once an epoch into one copy whose batches are
    # slices (the copy holds one epoch's samples: fewer than the set when undersampling).
    gather_epoch: bool
    # On a GPU the losses stay on the device and are read once a block (a read is a sync);
    # on the CPU a read is free, so each loss goes straight into a Python list.
    gpu_losses: torch.Tensor | None


@dataclass
class _Loop:
    """The parts of one run the loop uses (the hooks see ``run``)."""

    run: RunState
    train: TrainingSet
    Xv: torch.Tensor
    Yv: torch.Tensor
    forward: nn.Module  # torch.compile wraps the module; the original keeps the weights
    criterion: nn.Module
    set_training: Callable[[bool], None]
    clear_grads: Callable[[], None]
    augment: Any
    amp: bool
    callbacks: list[Callback]
    early: EarlyStopping
    chance: ChanceLevelCheck
    flush_interval: float
    t_flush: float = field(default_factory=time.perf_counter)


class Engine:
    """Trains one configuration. ``run`` blocks; call it in a worker thread for a GUI."""

    def __init__(self, config: TrainConfig, data: data_mod.PreparedData | None = None,
                 initial: TrainedModel | None = None, *, resume: str | Path | None = None,
                 checkpoint_path: str | Path | None = None,
                 checkpoint_interval: float = 0.0,
                 callbacks: Sequence[Callback] = ()) -> None:
        self.config = config
        # More rules or listeners, called after the built-in rules (and before pacing).
        self.callbacks = list(callbacks)
        self.data = data
        self.initial = initial
        self.resume_path = Path(resume) if resume else None
        self.checkpoint_path = Path(checkpoint_path) if checkpoint_path else None
        # Seconds between checkpoints (0: after every epoch). Epochs of a few milliseconds
        # would otherwise spend more time writing and fsyncing than training.
        self.checkpoint_interval = checkpoint_interval
        # CPU threads left to others (the window keeps one); see choose_threads.
        self.reserved_threads = 0
        self.threads_used: int | None = None  # intra-op threads of the last CPU run
        self.history: list[EpochEnded] = []
        self._module: nn.Module | None = None
        # The last-good weights of the run under way (a rule: see workbench.core.callbacks).
        self._snapshots: LastGoodSnapshot | None = None
        self._summary: dict[str, Any] = {}
        self._summary_state: tuple[int, int, float, int | None] | None = None
        self._state: RunState | None = None  # the run under way (its queue of events)
        self._resume_state: tuple[TrainedModel, dict[str, Any], dict[str, torch.Tensor]] | None = None
        self._mean: np.ndarray | None = None
        self._std: np.ndarray | None = None
        self._target_scaling = (0.0, 1.0)  # regression: the network learns (y - mean) / std
        self._device_name = ""

    # -- preparation ------------------------------------------------------------------
    def prepare(self) -> data_mod.PreparedData:
        """Load and split the data and check the config against it (ConfigError / DataError)."""
        problems = self.config.validate()
        # Problems other than the data's can wait until the data is loaded, so the batch size
        # can be checked against the training-set size and everything reported at once.
        if any(p.field.startswith("data.") for p in problems):
            raise ConfigError(problems)
        if self.resume_path is not None and self._resume_state is None:
            self._resume_state = load_checkpoint(self.resume_path)
            if self.initial is None:
                self.initial = self._resume_state[0]
        if self.data is None:
            self.data = data_mod.prepare(self.config.data, self.config.run.seed)
        data = self.data
        if data.n_train == 0:
            raise DataError.from_template(
                "The training split is empty: lower the validation split.")
        n_epoch = self._sampler_size(data)
        problems = self.config.validate(n_train=n_epoch)
        if problems:
            raise ConfigError(problems)
        self._mean, self._std = data.mean, data.std
        self._target_scaling = (data.target_mean, data.target_std)
        if self.initial is not None:
            self._check_compatible(self.initial, data)
        return data

    def _sampler_size(self, data: data_mod.PreparedData) -> int:
        if data.task == "classification" and self.config.data.imbalance == Imbalance.UNDERSAMPLE:
            counts = data.train_counts[data.train_counts > 0]
            return int(counts.min()) * len(counts) if len(counts) else 0
        return data.n_train

    def _check_compatible(self, model: TrainedModel, data: data_mod.PreparedData) -> None:
        if tuple(model.input_shape) != tuple(data.input_shape):
            raise TrainingError.from_template(
                "Cannot continue training: the model takes inputs of shape {model_shape} but "
                "the data has {data_shape}. Start a fresh run instead.",
                model_shape="x".join(map(str, model.input_shape)),
                data_shape="x".join(map(str, data.input_shape)))
        if model.task != data.task or tuple(model.class_names) != tuple(data.class_names):
            raise TrainingError.from_template(
                "Cannot continue training: the model was trained for other classes or another "
                "task. Start a fresh run instead.")
        if model.preprocess is not None and tuple(model.feature_names) != tuple(
                data.feature_names):
            raise TrainingError.from_template(
                "Cannot continue training: the table's columns give other inputs than the "
                "model was trained on (other columns, categories or roles). Start a fresh run "
                "instead.")
        if model.config.model != self.config.model:
            raise TrainingError.from_template(
                "Cannot continue training with a different architecture (layers, activation, "
                "dropout or normalisation changed). Start a fresh run instead.")

    # -- results ----------------------------------------------------------------------
    def trained_model(self) -> TrainedModel | None:
        """A CPU copy of the current (or last good) weights with everything to predict."""
        if self._module is None or self.data is None:
            return None
        module = copy.deepcopy(self._module).cpu().eval()
        summary = self._make_summary()
        d = self.data
        return TrainedModel(self.config, module, np.asarray(self._mean), np.asarray(self._std),
                            d.task, tuple(d.class_names), tuple(d.feature_names),
                            tuple(d.input_shape), summary, d.preprocess, *self._target_scaling)

    # -- the run ----------------------------------------------------------------------
    def run(self, on_event: EventCallback | None = None, control: RunControl | None = None,
            flush_interval: float = 1 / 60) -> RunFinished | RunFailed:
        """Train; publish events; never raises for training or data failures."""
        publish = on_event or (lambda _e: None)
        control = control or RunControl()
        old_threads = torch.get_num_threads()
        self._progress = (0, 0)
        self._state = self._snapshots = None
        try:
            result: RunFinished | RunFailed = self._run(publish, control, flush_interval)
        except WorkbenchError as exc:
            kind = "data" if isinstance(exc, DataError) else (
                "config" if isinstance(exc, ConfigError) else "error")
            result = RunFailed(str(exc), traceback.format_exc(), kind=kind)
        except _NonFiniteLoss as exc:
            what = "not a number (NaN)" if math.isnan(exc.value) else "infinite"
            lr = self.config.optim.lr
            kept = (f"the weights from the end of epoch {self._snapshot_epoch} are kept"
                    if self._snapshot_epoch else "the model keeps its starting weights")
            result = RunFailed(
                f"The loss became {what} at epoch {exc.epoch}, iteration {exc.iteration}: "
                f"training diverged. Try a lower learning rate (now {lr:g}; e.g. {lr / 10:g}); "
                f"{kept}.",
                "", exc.epoch, exc.iteration, kind="nan")
        except _Diverged as exc:
            result = RunFailed(exc.message, exc.details, exc.epoch, exc.iteration,
                               kind="diverged")
        except torch.cuda.OutOfMemoryError:
            bs = self.config.run.batch_size
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
            result = RunFailed(
                f"The GPU ran out of memory at batch size {bs}. Try batch size {max(1, bs // 2)} "
                "or a smaller model. The weights from before the failure are kept.",
                traceback.format_exc(), *self._progress, kind="oom",
                retry_batch_size=max(1, bs // 2))
        except Exception as exc:
            # The details go to the log file; the run's message says what happened.
            log.info("training failed", exc_info=True)
            result = RunFailed(
                f"Training failed: {type(exc).__name__}: {exc}. See the details or the log; "
                "the weights from before the failure are kept.",
                traceback.format_exc(), *self._progress, kind="error")
        finally:
            _set_threads(old_threads)
        if isinstance(result, RunFailed):
            log.info("run failed: %s", result.message)
            if self._state is not None:
                self._state.release()
            publish(result)
        return result

    def _run(self, publish: EventCallback, control: RunControl,
             flush_interval: float) -> RunFinished:
        loop = self._begin(publish, control, flush_interval)
        run = loop.run
        for epoch in range(run.start_epoch, self.config.run.epochs + 1):
            t_epoch = time.perf_counter()
            run.epoch = epoch
            self._adopt_offered(loop)
            losses = self.train_one_epoch(loop)
            if losses is None:  # stopped mid-epoch: no summary for a partial epoch
                run.epoch, run.stop_reason = epoch - 1, "stopped"
                break
            self._end_epoch(loop, self.evaluate(loop, losses, t_epoch))
            if run.stop_reason is None and control.stop_requested:
                run.stop_reason = "stopped"
            if run.stop_reason is not None:
                break
        return self._finish(loop)

    def train_one_epoch(self, loop: _Loop) -> np.ndarray | None:
        """Train one epoch: its iteration losses (float32), or None when stopped part-way.

        The hot path: per iteration only the step and one read of ``control.interrupted``;
        losses go out in blocks, and the hooks run at block ends (a few times a second), or
        after every iteration while the run is paced, stepping or paused (the slow path).
        """
        run, ts = loop.run, loop.train
        control, epoch, bs = run.control, run.epoch, self.config.run.batch_size
        X, Y, gather = ts.X, ts.Y, ts.gather_epoch
        perm = ts.sampler.epoch_indices().to(run.device, non_blocking=True)
        if gather:  # the epoch's batches in order, each then a slice (no copy)
            X, Y = X.index_select(0, perm), Y.index_select(0, perm)
        loop.set_training(True)
        forward, criterion, opt, clear_grads = (loop.forward, loop.criterion, run.optimizer,
                                                loop.clear_grads)
        augment, amp, device_type = loop.augment, loop.amp, run.device.type
        losses: list[float] | torch.Tensor = [] if ts.gpu_losses is None else ts.gpu_losses
        check_each_step = ts.gpu_losses is None
        t_flush, flush_interval = loop.t_flush, loop.flush_interval
        iteration, flushed, done, xb = run.iteration, 0, 0, run.sample
        for i in range(ts.iterations):
            if control.interrupted:
                if control.stop_requested:
                    break
                run.iteration, run.sample = iteration, xb
                self._block_end(loop, losses, flushed, done, slow_path=True,
                                at_epoch_start=i == 0)
                flushed = done
                if control.stop_requested:
                    break
            if gather:
                xb, yb = X[i * bs:(i + 1) * bs], Y[i * bs:(i + 1) * bs]
            else:
                idx = perm[i * bs:(i + 1) * bs]
                xb, yb = X.index_select(0, idx), Y.index_select(0, idx)
            if augment is not None:
                xb = augment_batch(xb, augment)
            loss = train_step(forward, criterion, opt, clear_grads, xb, yb, amp, device_type)
            if check_each_step:
                value = loss.item()
                if not math.isfinite(value):
                    run.iteration = iteration
                    self._flush(run, losses, flushed, done)
                    self._restore_snapshot()
                    raise _NonFiniteLoss(epoch, iteration + 1, value)
                losses.append(value)
            else:
                losses[i] = loss.detach()
            done += 1
            iteration += 1
            now = time.perf_counter()
            if now - t_flush >= flush_interval:
                run.iteration, run.sample = iteration, xb
                self._block_end(loop, losses, flushed, done)
                flushed, t_flush = done, now
        run.iteration, run.sample, loop.t_flush = iteration, xb, t_flush
        self._progress = (epoch, iteration)
        return self._epoch_losses(loop, losses, flushed, done)

    def _block_end(self, loop: _Loop, losses: list[float] | torch.Tensor, flushed: int,
                   done: int, slow_path: bool = False, at_epoch_start: bool = False) -> None:
        """A block of iterations is done: its losses queued, the hooks run, all published."""
        run = loop.run
        run.slow_path, run.at_epoch_start = slow_path, at_epoch_start
        self._flush(run, losses, flushed, done)
        for callback in loop.callbacks:
            callback.on_iterations(run)
        run.release()
        self._progress = (run.epoch, run.iteration)

    def _epoch_losses(self, loop: _Loop, losses: list[float] | torch.Tensor, flushed: int,
                      done: int) -> np.ndarray | None:
        """The epoch's losses as float32, read once (on a GPU this is the epoch's one sync);
        the part not yet handed out joins the pending events. None for a partial epoch."""
        run, gpu_losses = loop.run, loop.train.gpu_losses
        if gpu_losses is None:
            epoch_losses = np.array(losses, dtype=np.float32)
        else:
            epoch_losses = gpu_losses[:done].float().cpu().numpy()
        if done > flushed:
            run.pending.append(IterationsDone(run.epoch, run.iteration - done + flushed + 1,
                                              epoch_losses[flushed:done]))
        if gpu_losses is not None:
            self._check_finite(epoch_losses, run.epoch, run.iteration - done)
        return epoch_losses if done == loop.train.iterations else None

    def evaluate(self, loop: _Loop, losses: np.ndarray, t_epoch: float) -> EpochResult:
        """The epoch's training loss and its validation figures."""
        run = loop.run
        # Batch-size-weighted mean of the float32 losses (as the exported training script
        # computes it, so both agree to the last bit).
        train_loss = epoch_loss(losses, loop.train.weights)
        loop.set_training(False)
        val_loss, val_acc = evaluate(run.model, loop.Xv, loop.Yv, loop.criterion,
                                     run.data.task == "classification")
        return EpochResult(run.epoch, losses, train_loss, val_loss, val_acc,
                           run.optimizer.param_groups[0]["lr"], run.iteration - len(losses),
                           t_epoch)

    def _end_epoch(self, loop: _Loop, result: EpochResult) -> None:
        """The rules judge the epoch, its summary is made and (with the losses) published."""
        run = loop.run
        try:
            for callback in loop.callbacks:
                callback.on_validation_end(run, result)
        except EpochDiverged as exc:
            event = self._epoch_event(loop, result)  # the epoch is shown: it is the evidence
            self.history.append(event)
            run.pending.append(event)
            raise self._diverged(exc.seen, loop) from None
        event = self._epoch_event(loop, result)
        self.history.append(event)
        self._summary_state = (run.epoch, run.iteration, run.t_run, loop.early.best_epoch)
        for callback in loop.callbacks:
            callback.on_epoch_end(run, event)
        # Epoch summaries wait with the losses, so a fast run publishes a few times a second
        # rather than once an epoch; a rule may ask for them to go at once (a checkpoint).
        run.pending.append(event)
        if run.flush_now or time.perf_counter() - loop.t_flush >= loop.flush_interval:
            run.release()
            run.flush_now, loop.t_flush = False, time.perf_counter()

    def _epoch_event(self, loop: _Loop, result: EpochResult) -> EpochEnded:
        early = loop.early
        return EpochEnded(
            epoch=result.epoch, train_loss=result.train_loss, val_loss=result.val_loss,
            val_accuracy=result.val_accuracy, train_accuracy=None, lr=result.lr,
            seconds=time.perf_counter() - result.t_start, iteration=loop.run.iteration,
            best_epoch=early.best_epoch, patience_left=early.patience_left,
            patience=early.patience)

    def _finish(self, loop: _Loop) -> RunFinished:
        """The run ended with a model: the rules close, the summary and the flag are made."""
        run, early, data = loop.run, loop.early, loop.run.data
        for callback in loop.callbacks:
            callback.on_run_end(run)
        last_done = max(run.epoch, 0)
        self._finish_summary(last_done, run.iteration, run.t_run, early.best_epoch,
                             early.best_epoch if early.restored else None, early.best_loss)
        kept_loss = self._summary.get("val_loss")
        classification = data.task == "classification"
        warning = warning_kind = ""
        if loop.chance.epochs:
            lr = self.config.optim.lr
            warning_kind = "chance"
            warning = AT_CHANCE.format(epochs=loop.chance.epochs,
                                       accuracy=loop.chance.kept_accuracy,
                                       chance=chance_level(data), lr=lr, lower=lr / 10,
                                       higher=lr * 10)
            log.info("run flagged: %s", warning)
        finished = RunFinished(reason=run.stop_reason or "completed",
                               epochs_completed=last_done, iterations_completed=run.iteration,
                               seconds=time.perf_counter() - run.t_run,
                               best_epoch=early.best_epoch, restored_best=early.restored,
                               warning=warning, warning_kind=warning_kind,
                               chance_accuracy=chance_level(data),
                               val_r2=None if classification else self._r2(kept_loss, data))
        run.release()
        run.publish(finished)
        return finished

    # -- setting a run up -------------------------------------------------------------
    def _begin(self, publish: EventCallback, control: RunControl,
               flush_interval: float) -> _Loop:
        """Everything a run needs, a resumed run's state loaded, RunStarted published."""
        cfg = self.config
        run, x_train, x_val = self._build(publish, control)
        data, device = run.data, run.device
        train = self._training_set(run, x_train, data.y_train)
        Xv, Yv = self._tensors(run, x_val, data.y_val)
        if train.iterations == 0:
            raise ConfigError([_problem(
                "run.batch_size", "{name} = {value} with drop-last leaves no full batch of the "
                "{n} training samples: lower it.", name="run.batch_size",
                value=cfg.run.batch_size, n=train.sampler.epoch_size)])
        model = run.model
        early = EarlyStopping(
            patience=cfg.run.patience if data.n_val > 0 else 0, min_delta=cfg.run.min_delta,
            # The best validation epoch's weights are kept (and restored at the end) by
            # default, with or without early stopping: the last epoch is rarely the best one.
            keep_best=data.n_val > 0 and (cfg.run.restore_best or cfg.run.patience > 0),
            restore_best=cfg.run.restore_best)
        chance = ChanceLevelCheck(early)
        loop = _Loop(
            run, train, Xv, Yv,
            forward=torch.compile(model) if cfg.run.compile else model,
            criterion=loss_function(data.task),
            set_training=mode_switch(model), clear_grads=grad_clearer(run.optimizer),
            augment=cfg.data.augment if (data.is_image and cfg.data.augment.enabled) else None,
            amp=cfg.run.amp and device.type in ("cuda", "cpu"),
            callbacks=self._callbacks(run, early, chance), early=early, chance=chance,
            flush_interval=flush_interval)
        self._resume(loop)
        self._state = run
        publish(RunStarted(
            train_samples=data.n_train, val_samples=data.n_val,
            iterations_per_epoch=train.iterations, last_batch_size=train.last_batch_size,
            total_iterations=run.iteration + (cfg.run.epochs - run.start_epoch + 1)
            * train.iterations,
            epochs=cfg.run.epochs, batch_size=cfg.run.batch_size, device=str(device),
            device_name=self._device_name, parameters=parameter_count(model), task=data.task,
            class_names=tuple(data.class_names), start_epoch=run.start_epoch,
            start_iteration=run.iteration))
        run.t_run = loop.t_flush = time.perf_counter()
        run.epoch, run.sample = run.start_epoch - 1, train.X[:1]
        for callback in loop.callbacks:
            callback.on_run_start(run)
        return loop

    def _build(self, publish: EventCallback, control: RunControl
               ) -> tuple[RunState, np.ndarray, np.ndarray]:
        """The data, the model (with the weights to continue from) and its optimizer; the
        training and validation inputs normalised as the model expects them."""
        cfg = self.config
        data = self.prepare()
        device, self._device_name = resolve_device(cfg.run.device)
        torch.manual_seed(cfg.run.seed)
        gen = torch.Generator().manual_seed(cfg.run.seed)
        n_out = data.n_classes if data.task == "classification" else 1
        model = build_model(cfg.model, tuple(data.input_shape), n_out)
        if device.type == "cpu":
            self.threads_used = choose_threads(cfg, device, model, tuple(data.input_shape),
                                               self.reserved_threads)
            _set_threads(self.threads_used)
        x_train, x_val = data.x_train, data.x_val
        if self.initial is not None:
            load_weights(model, self.initial.module.state_dict(), "the model to continue from")
            # Keep the model's own statistics so its inputs mean what they meant before.
            self._mean, self._std = self.initial.mean, self.initial.std
            if data.task != "classification" and self.initial.preprocess is not None:
                self._target_scaling = (self.initial.target_mean, self.initial.target_std)
            # Re-normalising with equal statistics would still change last bits: skip it.
            if not (np.array_equal(self._mean, data.mean) and np.array_equal(self._std, data.std)):
                x_train = (x_train * data.std + data.mean - self._mean) / self._std
                x_val = (x_val * data.std + data.mean - self._mean) / self._std
        model.to(device)
        self._module = model
        run = RunState(cfg, data, model, device, control,
                       make_optimizer(cfg.optim, model.parameters()), gen,
                       np.asarray(self._mean), np.asarray(self._std), self._target_scaling,
                       publish)
        return run, x_train, x_val

    def _tensors(self, run: RunState, x: np.ndarray, y: np.ndarray
                 ) -> tuple[torch.Tensor, torch.Tensor]:
        """Inputs and targets on the device as the loss wants them (regression: scaled)."""
        X = torch.as_tensor(np.ascontiguousarray(x, dtype=np.float32), device=run.device)
        return X, targets(y, run.data.task, run.target_scaling, run.device)

    def _training_set(self, run: RunState, x: np.ndarray, y: np.ndarray) -> TrainingSet:
        cfg, data = self.config, run.data
        X, Y = self._tensors(run, x, y)
        sampler = data_mod.EpochSampler(y, data.task, cfg.data.imbalance, data.n_classes,
                                        run.generator, shuffle=cfg.data.shuffle)
        bs = cfg.run.batch_size
        ipe, last_bs = iterations_per_epoch(sampler.epoch_size, bs, cfg.run.drop_last)
        weights = epoch_weights(ipe, bs, last_bs)
        row_bytes = X[:1].numel() * X.element_size()
        gpu_losses = None if run.device.type == "cpu" else torch.empty(ipe, device=run.device)
        return TrainingSet(X, Y, sampler, ipe, last_bs, weights,
                           sampler.epoch_size * row_bytes <= EPOCH_GATHER_BYTES, gpu_losses)

    def _callbacks(self, run: RunState, early: EarlyStopping,
                   chance: ChanceLevelCheck) -> list[Callback]:
        """The rules, in the order they run: divergence judges an epoch first; the chance
        check follows early stopping (it needs the kept epoch); pacing waits last, after
        everything else has had its say."""
        divergence = DivergenceCheck()
        self._snapshots = LastGoodSnapshot(divergence)
        epochs = self.config.run.epochs
        callbacks: list[Callback] = [
            divergence, SchedulerStep(make_scheduler(self.config.optim, run.optimizer, epochs),
                                      epochs),
            early, chance, self._snapshots]
        if self.checkpoint_path is not None:
            callbacks.append(Checkpointing(
                self.checkpoint_path, self.checkpoint_interval,
                lambda path, state: self.save_checkpoint(path, state, callbacks)))
        if run.control.live_view is not None:
            callbacks.append(LiveCapture(run.control.live_view))
        callbacks += self.callbacks
        callbacks.append(PaceAndStep())
        return callbacks

    def _resume(self, loop: _Loop) -> None:
        """Continue from a checkpoint: position, optimizer, random states, and each rule's own
        state."""
        if self._resume_state is None:
            return
        run = loop.run
        _, state, extra = self._resume_state
        run.start_epoch = int(state["epoch"]) + 1
        run.iteration = int(state["iteration"])
        run.optimizer.load_state_dict(_unflatten_optimizer(state["optimizer"], extra,
                                                           run.device))
        saved = {**state, **extra}
        for callback in loop.callbacks:
            callback.load_state_dict(saved)
        torch.set_rng_state(extra["rng.torch"])
        run.generator.set_state(extra["rng.sampler"])
        if "rng.cuda" in extra and run.device.type == "cuda":
            torch.cuda.set_rng_state(extra["rng.cuda"], run.device)
        self.history = []
        self._resume_state = None

    def _adopt_offered(self, loop: _Loop) -> None:
        """Training data offered mid-run (a drawn data set) replaces the training split from
        this epoch on, normalised with the run's own statistics; DataChanged tells the counts."""
        run = loop.run
        offered = run.control.take_offered_data()
        if offered is None:
            return
        run.data, x = self._offered_data(offered, run.data)
        train = self._training_set(run, x, run.data.y_train)
        bs = self.config.run.batch_size
        if train.iterations == 0:
            raise DataError.from_template(
                "The drawn data has {n} training samples, fewer than one batch of {bs} with "
                "drop-last on: add points or lower the batch size.",
                n=train.sampler.epoch_size, bs=bs)
        loop.train = train
        self.data = run.data
        total = run.iteration + (self.config.run.epochs - run.epoch + 1) * train.iterations
        run.pending.append(DataChanged(
            epoch=run.epoch, train_samples=run.data.n_train,
            iterations_per_epoch=train.iterations, last_batch_size=train.last_batch_size,
            total_iterations=total))
        for callback in loop.callbacks:
            callback.on_train_data_changed(run)

    def _offered_data(self, offered: tuple[np.ndarray, np.ndarray],
                      data: data_mod.PreparedData) -> tuple[data_mod.PreparedData, np.ndarray]:
        """The data with the offered training split, and its inputs as the model sees them."""
        x_raw, y = offered
        if data.is_image or x_raw.shape[1:] != tuple(data.input_shape):
            raise DataError.from_template(
                "The drawn data has {got} features per sample but the run trains on "
                "{want}: draw on a data set with two features.",
                got="x".join(map(str, x_raw.shape[1:])),
                want="x".join(map(str, data.input_shape)))
        classification = data.task == "classification"
        if classification:
            y = np.asarray(y, dtype=np.int64)
            if y.min() < 0 or y.max() >= data.n_classes:
                raise DataError.from_template(
                    "The drawn data has a class number outside 0 to {top}: use the data "
                    "set's own classes.", top=data.n_classes - 1)
        else:
            y = np.asarray(y, dtype=np.float32)
        x_raw = np.asarray(x_raw, dtype=np.float32)
        x = (x_raw - np.asarray(self._mean, np.float32)) / np.asarray(self._std, np.float32)
        # The data keeps its own normalisation (what a saved model's file records).
        x_data = (x_raw - np.asarray(data.mean, np.float32)) / np.asarray(data.std, np.float32)
        counts = (data_mod.class_counts(y, data.n_classes) if classification
                  else data.train_counts)
        return dataclasses.replace(data, x_train=x_data.astype(np.float32), y_train=y,
                                   train_counts=counts), x.astype(np.float32)

    # -- helpers ----------------------------------------------------------------------
    def _finish_summary(self, last_done: int, iteration: int, t_run: float,
                        best_epoch: int | None, restored_epoch: int | None,
                        best_loss: float) -> None:
        """The summary of a run that ended, for weights of ``restored_epoch`` (None: the
        weights of ``last_done``, the last epoch completed)."""
        self._summary_state = (last_done, iteration, t_run, best_epoch)
        self._summary = self._make_summary()
        if restored_epoch is not None:
            kept = next((e for e in self.history if e.epoch == restored_epoch), None)
            if kept is not None:  # the best epoch may predate a resumed run
                self._summary.update(train_loss=kept.train_loss, val_loss=kept.val_loss,
                                     val_accuracy=kept.val_accuracy)
            elif restored_epoch == best_epoch:
                self._summary.update(val_loss=best_loss)
            else:
                self._summary.update(train_loss=None, val_loss=None, val_accuracy=None)
            self._summary["weights_epoch"] = restored_epoch
        elif last_done:
            self._summary["weights_epoch"] = last_done
        self._summary_state = None

    def _diverged(self, seen: Divergence, loop: _Loop) -> _Diverged:
        """Put the last good weights back (the best validation epoch's when kept, else the
        last snapshot's) and say what happened and what to try."""
        run, early = loop.run, loop.early
        if (early.best_state is not None and early.best_epoch is not None
                and early.best_epoch < run.epoch):
            run.model.load_state_dict(early.best_state)
            kept = early.best_epoch
        else:
            self._restore_snapshot()
            kept = self._snapshot_epoch
        # The history ends with the diverged epoch; the summary describes the weights kept.
        self._finish_summary(run.epoch - 1, run.iteration, run.t_run, early.best_epoch,
                             kept or None, early.best_loss)
        if not kept:
            self._summary.pop("weights_epoch", None)
            self._summary.update(train_loss=None, val_loss=None, val_accuracy=None)
        lr = self.config.optim.lr
        template = DIVERGED_KEPT if kept else DIVERGED_START
        message = template.format(start=seen.start, peak=seen.peak, epoch=seen.epoch, lr=lr,
                                  lower=lr / 10, kept=kept)
        details = f"Divergence rule {seen.rule!r}: {seen.why}."
        log.info("run diverged (%s): %s", seen.rule, seen.why)
        return _Diverged(message, details, run.epoch, seen.iteration)

    def _r2(self, val_loss: float | None, data: data_mod.PreparedData) -> float | None:
        """R² on the validation split, from its mean squared error on the scaled targets."""
        if val_loss is None or data.n_val == 0:
            return None
        t_mean, t_std = self._target_scaling
        variance = float(np.var((np.asarray(data.y_val, dtype=np.float64) - t_mean) / t_std))
        return 1.0 - val_loss / variance if variance > 0 else None

    def _flush(self, run: RunState, losses: list[float] | torch.Tensor, start: int,
               stop: int) -> None:
        """Queue the losses of iterations ``start:stop`` of this epoch as one block
        (``run.iteration`` is the epoch's iteration ``stop``)."""
        if stop <= start:
            return
        if isinstance(losses, list):
            block = np.array(losses[start:stop], dtype=np.float32)
        else:
            block = losses[start:stop].float().cpu().numpy()  # sync point, once a block
        run.pending.append(IterationsDone(run.epoch, run.iteration - stop + start + 1, block))

    @property
    def _snapshot_epoch(self) -> int:
        """The epoch whose weights the last-good snapshot holds (0: the starting weights)."""
        return self._snapshots.epoch if self._snapshots is not None else 0

    def _restore_snapshot(self) -> None:
        if self._snapshots is not None:
            self._snapshots.restore()

    def _check_finite(self, losses: np.ndarray, epoch: int, first: int) -> None:
        bad = np.flatnonzero(~np.isfinite(losses))
        if len(bad):
            i = int(bad[0])
            self._restore_snapshot()
            raise _NonFiniteLoss(epoch, first + i + 1, float(losses[i]))

    def _make_summary(self) -> dict[str, Any]:
        """The training summary stored in the model file (built on demand, not per epoch)."""
        if self._summary_state is None:
            return dict(self._summary)
        epoch, iteration, t_run, best_epoch = self._summary_state
        last = self.history[-1] if self.history else None
        prior = self.initial.summary if self.initial is not None else {}
        return {
            "dataset": self.data.name if self.data else self.config.data.dataset,
            "epochs": epoch,
            "iterations": iteration,
            "seconds": round(time.perf_counter() - t_run + float(prior.get("seconds") or 0), 3),
            "device": self._device_name,
            "best_epoch": best_epoch,
            "train_loss": last.train_loss if last else None,
            "val_loss": last.val_loss if last else None,
            "val_accuracy": last.val_accuracy if last else None,
            "train_samples": self.data.n_train if self.data else None,
            "val_samples": self.data.n_val if self.data else None,
        }

    def save_checkpoint(self, path: Path, run: RunState, callbacks: list[Callback]) -> None:
        """The model, the position, the optimizer, the random states and each rule's state."""
        model = self.trained_model()
        assert model is not None
        opt_json, extra = _flatten_optimizer(run.optimizer.state_dict())
        extra["rng.torch"] = torch.get_rng_state()
        extra["rng.sampler"] = run.generator.get_state()
        if run.device.type == "cuda":
            extra["rng.cuda"] = torch.cuda.get_rng_state(run.device)
        state: dict[str, Any] = {"epoch": run.epoch, "iteration": run.iteration,
                                 "optimizer": opt_json}
        for callback in callbacks:
            for key, value in callback.state_dict().items():
                (extra if isinstance(value, torch.Tensor) else state)[key] = value
        save_checkpoint(model, state, extra, path)


def _flatten_optimizer(sd: dict[str, Any]) -> tuple[dict[str, Any], dict[str, torch.Tensor]]:
    tensors: dict[str, torch.Tensor] = {}
    plain_state: dict[str, dict[str, Any]] = {}
    for pid, st in sd["state"].items():
        entry: dict[str, Any] = {}
        for key, value in st.items():
            if isinstance(value, torch.Tensor):
                name = f"optim.{pid}.{key}"
                tensors[name] = value
                entry[key] = {"tensor": name}
            else:
                entry[key] = value
        plain_state[str(pid)] = entry
    return {"state": plain_state, "param_groups": plain_json(sd["param_groups"])}, tensors


def _unflatten_optimizer(js: dict[str, Any], tensors: dict[str, torch.Tensor],
                         device: torch.device) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for pid, entry in js["state"].items():
        st = {}
        for key, value in entry.items():
            if isinstance(value, dict) and "tensor" in value:
                t = tensors[value["tensor"]]
                # Adam keeps ``step`` on the CPU; moments live with the parameters.
                st[key] = t if key == "step" else t.to(device)
            else:
                st[key] = value
        state[int(pid)] = st
    return {"state": state, "param_groups": js["param_groups"]}
