"""The training loop. Knows nothing of Qt: it publishes typed events to a callback.

Hot-path rules: small in-memory data sets live as tensors on the training device and are
batched by index (no DataLoader); per-iteration losses stay on the device in a buffer and are
handed out in blocks, so a GPU is not synchronised every step; stop and pause are flags read
between iterations.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import math
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.config import (
    ConfigError,
    Imbalance,
    OptimConfig,
    Optimizer,
    Schedule,
    TrainConfig,
    _problem,
    iterations_per_epoch,
)
from workbench.core import data as data_mod
from workbench.core.augment import augment_batch
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
from workbench.errors import DataError, TrainingError, WorkbenchError

log = logging.getLogger(__name__)

__all__ = ["Engine", "RunControl"]  # RunControl lives in workbench.core.control

EventCallback = Callable[[Event], None]


SNAPSHOT_INTERVAL_S = 1.0  # how often the last-good weights are refreshed (at an epoch end)
# Training sets up to this size are shuffled once per epoch into one copy whose batches are
# slices; larger ones gather each batch by index (a copy of the set would cost too much memory).
EPOCH_GATHER_BYTES = 256 * 2**20


class _NonFiniteLoss(Exception):
    def __init__(self, epoch: int, iteration: int, value: float):
        super().__init__(value)
        self.epoch, self.iteration, self.value = epoch, iteration, value


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


def mode_switch(model: nn.Module) -> Callable[[bool], None]:
    """A function that puts ``model`` in training (True) or eval (False) mode.

    ``Module.train`` walks the module tree in Python: ~50 us a call for a small MLP, paid twice
    an epoch, which at batch 256 on a small data set is 2-4 % of the run. The result here is the
    same (every sub-module's ``training`` flag set) from a list made once. A model whose modules
    define their own ``train`` gets the real call.
    """
    modules = list(model.modules())
    own_train = any(type(m).train is not nn.Module.train for m in modules)

    def switch(training: bool) -> None:
        if own_train:
            model.train(training)
            return
        for m in modules:
            m.__dict__["training"] = training
    return switch


def grad_clearer(opt: torch.optim.Optimizer) -> Callable[[], None]:
    """What ``opt.zero_grad(set_to_none=True)`` does, without its per-call profiler scope.

    The optimizers made here carry no hooks, so clearing each parameter's gradient is all of it.
    """
    params = [p for group in opt.param_groups for p in group["params"]]

    def clear() -> None:
        for p in params:
            p.grad = None
    return clear


def make_optimizer(optim: OptimConfig, params: Any) -> torch.optim.Optimizer:
    """The optimizer the form describes, over ``params``."""
    o = optim
    if o.optimizer == Optimizer.SGD:
        return torch.optim.SGD(params, lr=o.lr, weight_decay=o.weight_decay)
    if o.optimizer == Optimizer.MOMENTUM:
        return torch.optim.SGD(params, lr=o.lr, momentum=o.momentum, nesterov=o.nesterov,
                               weight_decay=o.weight_decay)
    if o.optimizer == Optimizer.RMSPROP:
        return torch.optim.RMSprop(params, lr=o.lr, weight_decay=o.weight_decay)
    if o.optimizer == Optimizer.ADAMW:
        return torch.optim.AdamW(params, lr=o.lr, weight_decay=o.weight_decay)
    return torch.optim.Adam(params, lr=o.lr, weight_decay=o.weight_decay)


class Engine:
    """Trains one configuration. ``run`` blocks; call it in a worker thread for a GUI."""

    def __init__(self, config: TrainConfig, data: data_mod.PreparedData | None = None,
                 initial: TrainedModel | None = None, *, resume: str | Path | None = None,
                 checkpoint_path: str | Path | None = None,
                 checkpoint_interval: float = 0.0) -> None:
        self.config = config
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
        # Weights at the last epoch end, kept on the device (copy_, no sync, no allocation), so
        # a diverged run can hand back the last weights known to give finite losses.
        self._snapshot: list[torch.Tensor] = []
        self._live: list[torch.Tensor] = []
        self._snapshot_epoch = 0
        self._summary: dict[str, Any] = {}
        self._summary_state: tuple[int, int, float, int | None] | None = None
        self._pending: list[Event] = []  # events waiting to be published together
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
            log.exception("training failed")
            result = RunFailed(
                f"Training failed: {type(exc).__name__}: {exc}. See the details or the log; "
                "the weights from before the failure are kept.",
                traceback.format_exc(), *self._progress, kind="error")
        finally:
            _set_threads(old_threads)
        if isinstance(result, RunFailed):
            log.info("run failed: %s", result.message)
            self._release(publish)
            publish(result)
        return result

    def _make_scheduler(self, opt: torch.optim.Optimizer) -> Any:
        o = self.config.optim
        if o.schedule == Schedule.STEP:
            return torch.optim.lr_scheduler.StepLR(opt, o.step_size, o.gamma)
        if o.schedule == Schedule.COSINE:
            return torch.optim.lr_scheduler.CosineAnnealingLR(opt, self.config.run.epochs)
        if o.schedule == Schedule.PLATEAU:
            return torch.optim.lr_scheduler.ReduceLROnPlateau(
                opt, factor=o.gamma, patience=o.plateau_patience)
        return None

    def _run(self, publish: EventCallback, control: RunControl,
             flush_interval: float) -> RunFinished:
        cfg = self.config
        data = self.prepare()
        device, self._device_name = resolve_device(cfg.run.device)
        torch.manual_seed(cfg.run.seed)
        gen = torch.Generator().manual_seed(cfg.run.seed)

        classification = data.task == "classification"
        n_out = data.n_classes if classification else 1
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
        self._live = list(model.state_dict().values())
        self._snapshot = [t.detach().clone() for t in self._live]
        self._snapshot_epoch = 0

        X = torch.as_tensor(np.ascontiguousarray(x_train, dtype=np.float32), device=device)
        Xv = torch.as_tensor(np.ascontiguousarray(x_val, dtype=np.float32), device=device)
        y_dtype = torch.long if classification else torch.float32
        Y = torch.as_tensor(data.y_train, dtype=y_dtype, device=device)
        Yv = torch.as_tensor(data.y_val, dtype=y_dtype, device=device)
        if not classification:
            t_mean, t_std = self._target_scaling
            if (t_mean, t_std) != (0.0, 1.0):
                Y, Yv = (Y - t_mean) / t_std, (Yv - t_mean) / t_std
            Y, Yv = Y.view(-1, 1), Yv.view(-1, 1)
        criterion: nn.Module = nn.CrossEntropyLoss() if classification else nn.MSELoss()

        opt = make_optimizer(self.config.optim, model.parameters())
        sched = self._make_scheduler(opt)
        set_training = mode_switch(model)
        sampler = data_mod.EpochSampler(data.y_train, data.task, cfg.data.imbalance,
                                        data.n_classes, gen, shuffle=cfg.data.shuffle)
        n_epoch = sampler.epoch_size
        ipe, last_bs = iterations_per_epoch(n_epoch, cfg.run.batch_size, cfg.run.drop_last)
        if ipe == 0:
            raise ConfigError([_problem(
                "run.batch_size", "{name} = {value} with drop-last leaves no full batch of the "
                "{n} training samples: lower it.", name="run.batch_size",
                value=cfg.run.batch_size, n=n_epoch)])
        augment = cfg.data.augment if (data.is_image and cfg.data.augment.enabled) else None
        # torch.compile wraps the module; the original keeps the weights and their names.
        forward: nn.Module = torch.compile(model) if cfg.run.compile else model
        amp = cfg.run.amp and device.type in ("cuda", "cpu")

        start_epoch, iteration = 1, 0
        best_loss, best_epoch, bad_epochs = math.inf, None, 0
        best_state: dict[str, torch.Tensor] | None = None
        if self._resume_state is not None:
            _, state, extra = self._resume_state
            start_epoch = int(state["epoch"]) + 1
            iteration = int(state["iteration"])
            best_loss = float(state["best_loss"])
            best_epoch = state["best_epoch"]
            bad_epochs = int(state["bad_epochs"])
            opt.load_state_dict(_unflatten_optimizer(state["optimizer"], extra, device))
            if sched is not None and state.get("scheduler") is not None:
                sched.load_state_dict(state["scheduler"])
                if isinstance(sched, torch.optim.lr_scheduler.CosineAnnealingLR):
                    sched.T_max = cfg.run.epochs  # the run may now be longer than before
            torch.set_rng_state(extra["rng.torch"])
            gen.set_state(extra["rng.sampler"])
            if "rng.cuda" in extra and device.type == "cuda":
                torch.cuda.set_rng_state(extra["rng.cuda"], device)
            best_keys = {k[len("best."):]: v for k, v in extra.items() if k.startswith("best.")}
            best_state = best_keys or None
            self.history = []
            self._resume_state = None
            self._snapshot_epoch = start_epoch - 1

        total = iteration + (cfg.run.epochs - start_epoch + 1) * ipe
        publish(RunStarted(
            train_samples=data.n_train, val_samples=data.n_val, iterations_per_epoch=ipe,
            last_batch_size=last_bs, total_iterations=total, epochs=cfg.run.epochs,
            batch_size=cfg.run.batch_size, device=str(device), device_name=self._device_name,
            parameters=parameter_count(model), task=data.task,
            class_names=tuple(data.class_names), start_epoch=start_epoch,
            start_iteration=iteration))

        bs = cfg.run.batch_size
        # On a GPU the losses stay on the device and are read once a block (a read is a sync);
        # on the CPU a read is free, so each loss goes straight into a Python list.
        check_each_step = device.type == "cpu"
        gpu_losses = None if check_each_step else torch.empty(ipe, device=device)
        weights = self._batch_weights(ipe, bs, last_bs)
        # The copy holds one epoch's samples (fewer than the set when undersampling).
        row_bytes = X[:1].numel() * X.element_size()
        gather_epoch = n_epoch * row_bytes <= EPOCH_GATHER_BYTES
        Xe = Ye = X  # the epoch's shuffled copy when gather_epoch
        clear_grads = grad_clearer(opt)
        patience = cfg.run.patience if data.n_val > 0 else 0
        # The best validation epoch's weights are kept (and restored at the end) by default,
        # with or without early stopping: the last epoch is rarely the best one.
        keep_best = data.n_val > 0 and (cfg.run.restore_best or patience > 0)
        t_run = t_snapshot = t_flush = time.perf_counter()
        t_checkpoint = -math.inf
        self._pending = []
        live = control.live_view
        if live is not None:
            live.begin(model, data, self._mean, self._std, device, cfg.run.seed)
        reason = "completed"
        restored = False
        epoch = start_epoch - 1
        watch = DivergenceWatch(null_loss(data, self._target_scaling))

        captured = -1
        xb = X[:1]  # the latest batch; its first sample probes the live view's dropout
        for epoch in range(start_epoch, cfg.run.epochs + 1):
            t_epoch = time.perf_counter()
            offered = control.take_offered_data()
            if offered is not None:
                data, X, Y, sampler = self._adopt(offered, data, device, gen)
                n_epoch = sampler.epoch_size
                ipe, last_bs = iterations_per_epoch(n_epoch, bs, cfg.run.drop_last)
                if ipe == 0:
                    raise DataError.from_template(
                        "The drawn data has {n} training samples, fewer than one batch of "
                        "{bs} with drop-last on: add points or lower the batch size.",
                        n=n_epoch, bs=bs)
                weights = self._batch_weights(ipe, bs, last_bs)
                gpu_losses = None if check_each_step else torch.empty(ipe, device=device)
                gather_epoch = n_epoch * row_bytes <= EPOCH_GATHER_BYTES
                Xe = Ye = X
                total = iteration + (cfg.run.epochs - epoch + 1) * ipe
                if live is not None:
                    live.begin(model, data, self._mean, self._std, device, cfg.run.seed)
                self._pending.append(DataChanged(
                    epoch=epoch, train_samples=data.n_train, iterations_per_epoch=ipe,
                    last_batch_size=last_bs, total_iterations=total))
            perm = sampler.epoch_indices().to(device, non_blocking=True)
            if gather_epoch:  # the epoch's batches in order, each then a slice (no copy)
                Xe = Ye = None  # the last epoch's copy goes before the next is made
                Xe, Ye = X.index_select(0, perm), Y.index_select(0, perm)
            set_training(True)
            losses: list[float] | torch.Tensor = [] if gpu_losses is None else gpu_losses
            flushed = 0
            done = 0
            for i in range(ipe):
                if control.interrupted:
                    if control.stop_requested:
                        break
                    # Everything up to the iteration just done is shown before any wait.
                    self._flush(losses, flushed, done, epoch, iteration - done)
                    if (live is not None and (live.enabled or live.spread_requested)
                            and captured != iteration):
                        self._pending.append(live.capture(xb[:1], epoch, iteration,
                                                          time.perf_counter()))
                        captured = iteration
                    self._release(publish)
                    flushed = done
                    self._progress = (epoch, iteration)
                    if not control.admit(first_of_epoch=i == 0):
                        break
                if gather_epoch:
                    xb, yb = Xe[i * bs:(i + 1) * bs], Ye[i * bs:(i + 1) * bs]
                else:
                    idx = perm[i * bs:(i + 1) * bs]
                    xb, yb = X.index_select(0, idx), Y.index_select(0, idx)
                if augment is not None:
                    xb = augment_batch(xb, augment)
                if amp:
                    with torch.autocast(device.type, dtype=torch.bfloat16):
                        loss = criterion(forward(xb), yb)
                else:
                    loss = criterion(forward(xb), yb)
                if check_each_step:
                    value = loss.item()
                    if not math.isfinite(value):
                        self._flush(losses, flushed, done, epoch, iteration - done)
                        self._restore_snapshot()
                        raise _NonFiniteLoss(epoch, iteration + 1, value)
                    losses.append(value)
                else:
                    losses[i] = loss.detach()
                clear_grads()
                loss.backward()
                opt.step()
                done += 1
                iteration += 1
                now = time.perf_counter()
                if now - t_flush >= flush_interval:
                    self._flush(losses, flushed, done, epoch, iteration - done)
                    # Serviced here, where the clock is read anyway: nothing per iteration.
                    if live is not None and live.due(now):
                        self._pending.append(live.capture(xb[:1], epoch, iteration, now))
                    self._release(publish)
                    flushed, t_flush = done, now
                    self._progress = (epoch, iteration)
            self._progress = (epoch, iteration)
            # The epoch's losses as float32, read once (on a GPU this is the epoch's one sync);
            # the part not yet handed out joins the pending events.
            if gpu_losses is None:
                epoch_losses = np.array(losses, dtype=np.float32)
            else:
                epoch_losses = gpu_losses[:done].float().cpu().numpy()
            if done > flushed:
                self._pending.append(IterationsDone(epoch, iteration - done + flushed + 1,
                                                    epoch_losses[flushed:done]))
            if gpu_losses is not None:
                self._check_finite(epoch_losses, epoch, iteration - done)
            if done < ipe:  # stopped mid-epoch: no epoch summary for a partial epoch
                reason = "stopped"
                epoch -= 1
                break
            # Batch-size-weighted mean of the float32 losses (as the exported training script
            # computes it, so both agree to the last bit).
            train_loss = float(np.dot(epoch_losses, weights))
            set_training(False)
            val_loss, val_acc = self._evaluate(model, Xv, Yv, criterion, classification)
            lr = opt.param_groups[0]["lr"]
            diverged = watch.epoch_ended(epoch, epoch_losses, train_loss, iteration - done)
            if diverged is not None:
                # The epoch is shown (its loss is the evidence), then the good weights return.
                event = EpochEnded(
                    epoch=epoch, train_loss=train_loss, val_loss=val_loss, val_accuracy=val_acc,
                    train_accuracy=None, lr=lr, seconds=time.perf_counter() - t_epoch,
                    iteration=iteration, best_epoch=best_epoch,
                    patience_left=(patience - bad_epochs) if patience else None,
                    patience=patience)
                self.history.append(event)
                self._pending.append(event)
                raise self._diverged(diverged, model, best_state, best_epoch, best_loss, epoch,
                                     iteration, t_run)
            if sched is not None:
                if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau):
                    sched.step(val_loss if val_loss is not None else train_loss)
                else:
                    sched.step()
            improved = val_loss is not None and val_loss < best_loss - cfg.run.min_delta
            if improved:
                best_loss, best_epoch, bad_epochs = val_loss, epoch, 0
                if keep_best:
                    best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
            elif val_loss is not None:
                bad_epochs += 1
            if not watch.waiting and (epoch == start_epoch or
                                      time.perf_counter() - t_snapshot >= SNAPSHOT_INTERVAL_S):
                self._take_snapshot(epoch)
                t_snapshot = time.perf_counter()
            event = EpochEnded(
                epoch=epoch, train_loss=train_loss, val_loss=val_loss, val_accuracy=val_acc,
                train_accuracy=None, lr=lr, seconds=time.perf_counter() - t_epoch,
                iteration=iteration, best_epoch=best_epoch,
                patience_left=(patience - bad_epochs) if patience else None,
                patience=patience)
            self.history.append(event)
            self._summary_state = (epoch, iteration, t_run, best_epoch)
            last_epoch = epoch == cfg.run.epochs or (patience and bad_epochs >= patience)
            checkpointed = self.checkpoint_path is not None and (
                last_epoch or control.stop_requested
                or time.perf_counter() - t_checkpoint >= self.checkpoint_interval)
            if checkpointed:
                t_checkpoint = time.perf_counter()
                self.save_checkpoint(self.checkpoint_path, opt, sched, gen, epoch, iteration,
                                     best_loss, best_epoch, bad_epochs, best_state, device)
            # Epoch summaries wait with the losses, so a fast run publishes a few times a
            # second rather than once an epoch; a run's order of events is unchanged. After a
            # checkpoint they go at once: "epoch N ended" is heard while the checkpoint on disk
            # is still epoch N's (what a listener copying it, or a crash right then, relies on).
            self._pending.append(event)
            if checkpointed or time.perf_counter() - t_flush >= flush_interval:
                self._release(publish)
                t_flush = time.perf_counter()
            if patience and bad_epochs >= patience:
                reason = "early_stopped"
                break
            if control.stop_requested:
                reason = "stopped"
                break
        last_done = max(epoch, 0)
        if (cfg.run.restore_best and best_state is not None and best_epoch is not None
                and best_epoch != last_done):
            model.load_state_dict(best_state)
            restored = True
        self._finish_summary(last_done, iteration, t_run, best_epoch,
                             best_epoch if restored else None, best_loss)
        kept_loss, kept_accuracy = self._summary.get("val_loss"), self._summary.get("val_accuracy")
        warning = warning_kind = ""
        stuck = stuck_at_chance(self.history, kept_accuracy, data) if classification else 0
        if stuck:
            lr = cfg.optim.lr
            warning_kind = "chance"
            warning = AT_CHANCE.format(epochs=stuck, accuracy=kept_accuracy,
                                       chance=chance_level(data), lr=lr, lower=lr / 10,
                                       higher=lr * 10)
            log.info("run flagged: %s", warning)
        finished = RunFinished(reason=reason, epochs_completed=last_done,
                               iterations_completed=iteration,
                               seconds=time.perf_counter() - t_run, best_epoch=best_epoch,
                               restored_best=restored, warning=warning,
                               warning_kind=warning_kind, chance_accuracy=chance_level(data),
                               val_r2=None if classification else self._r2(kept_loss, data))
        self._release(publish)
        publish(finished)
        return finished

    # -- helpers ----------------------------------------------------------------------
    @staticmethod
    def _batch_weights(ipe: int, bs: int, last_bs: int) -> np.ndarray:
        """Weights for the epoch mean of the iteration losses: the last batch may be smaller."""
        sizes = torch.full((ipe,), float(bs))
        sizes[-1] = float(last_bs)
        sizes /= sizes.sum()
        return sizes.numpy().astype(np.float64)

    def _adopt(self, offered: tuple[np.ndarray, np.ndarray], data: data_mod.PreparedData,
               device: torch.device, gen: torch.Generator
               ) -> tuple[data_mod.PreparedData, torch.Tensor, torch.Tensor,
                          data_mod.EpochSampler]:
        """New training data offered mid-run, normalised with the run's own statistics."""
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
        mean = np.asarray(self._mean, dtype=np.float32)
        std = np.asarray(self._std, dtype=np.float32)
        x = ((np.asarray(x_raw, dtype=np.float32) - mean) / std).astype(np.float32)
        # The data's own normalisation stays with the model file: only the points change.
        x_data = (x * std + mean - np.asarray(data.mean, np.float32)) / np.asarray(
            data.std, np.float32)
        counts = (data_mod.class_counts(y, data.n_classes) if classification
                  else data.train_counts)
        data = dataclasses.replace(data, x_train=x_data.astype(np.float32), y_train=y,
                                   train_counts=counts)
        self.data = data
        X = torch.as_tensor(np.ascontiguousarray(x), device=device)
        if classification:
            Y = torch.as_tensor(y, dtype=torch.long, device=device)
        else:
            t_mean, t_std = self._target_scaling
            Y = ((torch.as_tensor(y, dtype=torch.float32, device=device) - t_mean)
                 / t_std).view(-1, 1)
        sampler = data_mod.EpochSampler(y, data.task, self.config.data.imbalance,
                                        data.n_classes, gen, shuffle=self.config.data.shuffle)
        return data, X, Y, sampler

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

    def _diverged(self, seen: Divergence, model: nn.Module,
                  best_state: dict[str, torch.Tensor] | None, best_epoch: int | None,
                  best_loss: float, epoch: int, iteration: int, t_run: float) -> _Diverged:
        """Put the last good weights back (the best validation epoch's when kept, else the
        last snapshot's) and say what happened and what to try."""
        if best_state is not None and best_epoch is not None and best_epoch < epoch:
            model.load_state_dict(best_state)
            kept = best_epoch
        else:
            self._restore_snapshot()
            kept = self._snapshot_epoch
        # The history ends with the diverged epoch; the summary describes the weights kept.
        self._finish_summary(epoch - 1, iteration, t_run, best_epoch, kept or None, best_loss)
        if not kept:
            self._summary.pop("weights_epoch", None)
            self._summary.update(train_loss=None, val_loss=None, val_accuracy=None)
        lr = self.config.optim.lr
        template = DIVERGED_KEPT if kept else DIVERGED_START
        message = template.format(start=seen.start, peak=seen.peak, epoch=seen.epoch, lr=lr,
                                  lower=lr / 10, kept=kept)
        details = f"Divergence rule {seen.rule!r}: {seen.why}."
        log.info("run diverged (%s): %s", seen.rule, seen.why)
        return _Diverged(message, details, epoch, seen.iteration)

    def _r2(self, val_loss: float | None, data: data_mod.PreparedData) -> float | None:
        """R² on the validation split, from its mean squared error on the scaled targets."""
        if val_loss is None or data.n_val == 0:
            return None
        t_mean, t_std = self._target_scaling
        variance = float(np.var((np.asarray(data.y_val, dtype=np.float64) - t_mean) / t_std))
        return 1.0 - val_loss / variance if variance > 0 else None

    def _flush(self, losses: list[float] | torch.Tensor, start: int, stop: int, epoch: int,
               first_of_epoch: int) -> None:
        """Queue the losses of iterations ``start:stop`` of this epoch as one block."""
        if stop <= start:
            return
        if isinstance(losses, list):
            block = np.array(losses[start:stop], dtype=np.float32)
        else:
            block = losses[start:stop].float().cpu().numpy()  # sync point, once a block
        self._pending.append(IterationsDone(epoch, first_of_epoch + start + 1, block))

    def _release(self, publish: EventCallback) -> None:
        """Publish the queued events in order."""
        pending, self._pending = self._pending, []
        for event in pending:
            publish(event)

    def _take_snapshot(self, epoch: int) -> None:
        with torch.no_grad():
            for kept, live in zip(self._snapshot, self._live):
                kept.copy_(live)
        self._snapshot_epoch = epoch

    def _restore_snapshot(self) -> None:
        with torch.no_grad():
            for kept, live in zip(self._snapshot, self._live):
                live.copy_(kept)

    def _check_finite(self, losses: np.ndarray, epoch: int, first: int) -> None:
        bad = np.flatnonzero(~np.isfinite(losses))
        if len(bad):
            i = int(bad[0])
            self._restore_snapshot()
            raise _NonFiniteLoss(epoch, first + i + 1, float(losses[i]))

    @staticmethod
    def _evaluate(model: nn.Module, X: torch.Tensor, Y: torch.Tensor, criterion: nn.Module,
                  classification: bool) -> tuple[float | None, float | None]:
        if len(X) == 0:
            return None, None
        # The caller has put the model in eval mode, and puts it back in train mode each epoch.
        with torch.no_grad():
            if len(X) <= 4096:  # the common case: one batch, no accumulators
                out = model(X)
                loss = float(criterion(out, Y))
                acc = float((out.argmax(1) == Y).sum()) / len(X) if classification else None
                return loss, acc
            total = torch.zeros((), device=X.device)
            correct = torch.zeros((), device=X.device)
            for start in range(0, len(X), 4096):
                xb, yb = X[start:start + 4096], Y[start:start + 4096]
                out = model(xb)
                total += criterion(out, yb) * len(xb)
                if classification:
                    correct += (out.argmax(1) == yb).sum()
        return float(total) / len(X), (float(correct) / len(X) if classification else None)

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

    def save_checkpoint(self, path: Path, opt: torch.optim.Optimizer, sched: Any,
                        gen: torch.Generator, epoch: int, iteration: int, best_loss: float,
                        best_epoch: int | None, bad_epochs: int,
                        best_state: dict[str, torch.Tensor] | None, device: torch.device) -> None:
        model = self.trained_model()
        assert model is not None
        opt_json, extra = _flatten_optimizer(opt.state_dict())
        extra["rng.torch"] = torch.get_rng_state()
        extra["rng.sampler"] = gen.get_state()
        if device.type == "cuda":
            extra["rng.cuda"] = torch.cuda.get_rng_state(device)
        if best_state is not None:
            extra.update({f"best.{k}": v for k, v in best_state.items()})
        state = {
            "epoch": epoch, "iteration": iteration,
            "best_loss": best_loss if math.isfinite(best_loss) else 1e308,
            "best_epoch": best_epoch, "bad_epochs": bad_epochs, "optimizer": opt_json,
            "scheduler": _plain(sched.state_dict()) if sched is not None else None,
        }
        save_checkpoint(model, state, extra, path)


def _plain(obj: Any) -> Any:
    """JSON-safe copy of a scheduler state (floats, ints, lists, dicts)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, torch.Tensor):
        return obj.item() if obj.numel() == 1 else obj.tolist()
    if isinstance(obj, float) and not math.isfinite(obj):
        return 1e308 if obj > 0 else -1e308
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    return str(obj)


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
    return {"state": plain_state, "param_groups": _plain(sd["param_groups"])}, tensors


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
