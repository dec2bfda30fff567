"""Learning-rate range test: one short pass with the learning rate rising exponentially.

Fresh weights (the run's seed), the form's model, optimizer and batch size; the learning rate
goes from ``start_lr`` to ``end_lr`` over ``iterations`` updates, geometrically. The loss falls
while the steps are useful and shoots up once they are too large; the pass stops early when the
smoothed loss exceeds ``diverge_factor`` times the best seen (or becomes NaN).

The suggestion is the learning rate where the smoothed loss falls fastest per decade of
learning rate (the most negative slope against log10(lr)), looked for before the smoothed loss
reaches its minimum. Training at that rate is quick and still stable; the minimum itself is
already close to divergence. There is no suggestion when the smoothed loss fell by less than
``MIN_DROP`` of its value (a flat curve's "steepest" point is floating-point noise), or when the
pass was too short to judge; ``LrFinderResult.no_suggestion_reason`` says which.

Stopping: ``should_stop`` is read before and after the data is loaded and before every
iteration. Loading itself (reading an image folder, say) cannot be interrupted, so a stop asked
for during the load takes effect once the load ends; the range test then does no iteration.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workbench.core.evaluation import torch_threads

if TYPE_CHECKING:
    import torch

    from workbench.config import TrainConfig
    from workbench.core.data import EpochSampler, PreparedData
    from workbench.core.engine import Engine

START_LR = 1e-6
END_LR = 1.0
ITERATIONS = 100
DIVERGE_FACTOR = 4.0
# Weight of the past in the moving averages of the loss. During the pass (to notice
# divergence) 0.9: about ten iterations, quick to react. For the curve shown and the suggestion
# 0.95, run forward and backward: calm enough that batch noise does not make a steepest point.
LIVE_SMOOTHING = 0.9
SMOOTHING = 0.95
# The first iterations' smoothed values rest on few samples; the slope there is noise.
_SKIP_START = 5
# Just before the lowest point the backward average has little to average over (it starts
# there): the last few slopes follow single batches.
_SKIP_END = 3
# Fewer iterations leave no room between the skipped ends to look for a steepest point.
MIN_ITERATIONS = _SKIP_START + 3 + _SKIP_END
# The smoothed loss must fall by at least this share of its value before its lowest point to
# have a steepest descent worth suggesting.
MIN_DROP = 0.01

# Why the pass ended.
COMPLETED = "completed"
DIVERGED = "diverged"
STOPPED = "stopped"

# Why there is no suggestion (LrFinderResult.no_suggestion_reason); "" when there is one.
STOPPED_TOO_EARLY = "stopped_too_early"  # stopped before enough iterations to judge
DIVERGED_AT_ONCE = "diverged_at_once"  # the loss blew up within the first iterations
TOO_SHORT = "too_short"  # completed, but too few iterations to judge
NO_DROP = "no_drop"  # the smoothed loss fell by less than MIN_DROP


@dataclass(frozen=True, eq=False)
class LrFinderResult:
    lrs: np.ndarray  # float64, the learning rate of each iteration done
    losses: np.ndarray  # float64 training loss of each iteration (may end with inf/NaN)
    smoothed: np.ndarray  # float64 bias-corrected moving average of the losses
    suggestion: float | None  # None when the pass was too short to judge
    seconds: float
    ended: str  # COMPLETED, DIVERGED or STOPPED
    start_lr: float = START_LR
    end_lr: float = END_LR

    @property
    def iterations(self) -> int:
        return len(self.lrs)

    @property
    def turning_point(self) -> int:
        """Where the smoothed curve's two parts meet (it is smoothed apart on either side)."""
        return turning_point(self.losses)

    @property
    def no_suggestion_reason(self) -> str:
        """Why ``suggestion`` is None (one of the reasons above), or "" when there is one."""
        if self.suggestion is not None:
            return ""
        if np.isfinite(self.smoothed).sum() < MIN_ITERATIONS:
            return {STOPPED: STOPPED_TOO_EARLY, DIVERGED: DIVERGED_AT_ONCE}.get(self.ended,
                                                                                TOO_SHORT)
        return NO_DROP

    @property
    def min_loss_lr(self) -> float | None:
        finite = np.isfinite(self.smoothed)
        if not finite.any():
            return None
        return float(self.lrs[np.flatnonzero(finite)[np.argmin(self.smoothed[finite])]])

    def to_dict(self) -> dict[str, object]:
        def plain(values: np.ndarray) -> list[float | None]:
            return [float(v) if math.isfinite(v) else None for v in values]

        return {"suggestion": self.suggestion, "min_loss_lr": self.min_loss_lr,
                "no_suggestion_reason": self.no_suggestion_reason,
                "iterations": self.iterations, "ended": self.ended,
                "seconds": round(self.seconds, 3), "start_lr": self.start_lr,
                "end_lr": self.end_lr, "lrs": plain(self.lrs), "losses": plain(self.losses),
                "smoothed": plain(self.smoothed)}


def lr_schedule(start_lr: float, end_lr: float, iterations: int) -> np.ndarray:
    """The learning rate of each iteration: geometric from start to end, both included."""
    return np.geomspace(start_lr, end_lr, iterations)


def smooth(losses: np.ndarray, beta: float = SMOOTHING) -> np.ndarray:
    """Zero-lag smoothing, done separately before and after the lowest point of the loss.

    A forward-only moving average trails the raw curve by about 1/(1-beta) iterations, half a
    decade of learning rate here, which would move the steepest point to a larger rate than
    the loss really fell fastest at; running the average forward and then backward cancels
    that shift. The backward pass would also carry the climb after the lowest point (often a
    spike many times the loss) back into the descent, so the two parts are smoothed apart.
    The lowest point is found on the forward (causal) average, as during the pass.

    Only the finite prefix is smoothed; the values from the first NaN or inf on (a diverged
    pass ends on one) are NaN. Averaged in, that value would make every average it reaches
    NaN or inf: the whole climb after the lowest point would vanish from the curve.
    """
    values = np.asarray(losses, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(values))
    end = int(bad[0]) if len(bad) else len(values)
    finite = values[:end]
    split = turning_point(finite)
    return np.concatenate([_zero_lag(finite[:split], beta), _zero_lag(finite[split:], beta),
                           np.full(len(values) - end, np.nan)])


def turning_point(losses: np.ndarray) -> int:
    """Iterations up to and including the lowest point of the forward-smoothed loss."""
    forward = _ema(np.asarray(losses, dtype=np.float64), LIVE_SMOOTHING)
    finite = np.isfinite(forward)
    return int(np.argmin(np.where(finite, forward, np.inf))) + 1 if finite.any() else 0


def _zero_lag(values: np.ndarray, beta: float) -> np.ndarray:
    return _ema(_ema(values, beta)[::-1], beta)[::-1]


def _ema(values: np.ndarray, beta: float) -> np.ndarray:
    """Exponential moving average with bias correction (the first values are not pulled to 0)."""
    out = np.empty(len(values), dtype=np.float64)
    avg = 0.0
    for i, value in enumerate(values):
        avg = beta * avg + (1 - beta) * float(value)
        out[i] = avg / (1 - beta ** (i + 1))
    return out


def suggest(lrs: np.ndarray, smoothed: np.ndarray) -> float | None:
    """The learning rate of steepest descent of ``smoothed`` (per decade) before its minimum.

    None when the pass is too short to judge or the smoothed loss fell by less than
    ``MIN_DROP`` of its value on the way to its minimum.
    """
    window = _descent_window(smoothed)
    if window is None:
        return None
    start, stop = window
    lowest = float(np.nanmin(smoothed))
    highest = float(np.nanmax(smoothed[:stop + _SKIP_END]))
    if highest - lowest < MIN_DROP * abs(highest):
        return None
    slope = np.gradient(smoothed[start:stop], np.log10(lrs[start:stop]))
    return float(lrs[start + int(np.argmin(slope))])


def _descent_window(smoothed: np.ndarray) -> tuple[int, int] | None:
    """The iterations ``start:stop`` to look for the steepest descent in; None when fewer
    than three (too short a pass, or the loss rose from the start)."""
    finite = np.flatnonzero(np.isfinite(smoothed))
    if len(finite) == 0:
        return None
    stop = int(finite[np.argmin(smoothed[finite])]) + 1 - _SKIP_END
    start = min(_SKIP_START, max(stop - 3, 0))
    return (start, stop) if stop - start >= 3 else None


def find_lr(config: TrainConfig, data: PreparedData | None = None, *,
            start_lr: float = START_LR, end_lr: float = END_LR,
            iterations: int = ITERATIONS, diverge_factor: float = DIVERGE_FACTOR,
            should_stop: Callable[[], bool] | None = None,
            on_progress: Callable[[int, int], None] | None = None) -> LrFinderResult:
    """Run the range test for ``config`` (ConfigError/DataError for settings people can fix).

    Touches no existing model and leaves torch's global random state as it was.
    """
    import torch

    from workbench.core.devices import resolve_device
    from workbench.core.engine import Engine, choose_threads

    if not (0 < start_lr < end_lr) or iterations < 2:
        raise ValueError("need 0 < start_lr < end_lr and at least 2 iterations")
    t0 = time.perf_counter()
    if should_stop is not None and should_stop():
        return _stopped_before_start(t0, start_lr, end_lr)
    engine = Engine(config, data)
    # The same checks and data as a run. Loading cannot be interrupted (see the module's
    # docstring): a stop asked for meanwhile is seen right after it.
    data = engine.prepare()
    if should_stop is not None and should_stop():
        return _stopped_before_start(t0, start_lr, end_lr)
    device, _ = resolve_device(config.run.device)
    threads = choose_threads(config, device) if device.type == "cpu" else torch.get_num_threads()
    lrs = lr_schedule(start_lr, end_lr, iterations)
    with torch_threads(threads), torch.random.fork_rng(devices=[]):
        losses, ended = _range_test(engine, data, device, lrs, diverge_factor, should_stop,
                                    on_progress)
    done = lrs[:len(losses)]
    smoothed = smooth(losses)
    return LrFinderResult(done, losses, smoothed, suggest(done, smoothed),
                          time.perf_counter() - t0, ended, start_lr, end_lr)


def _stopped_before_start(t0: float, start_lr: float, end_lr: float) -> LrFinderResult:
    empty = np.zeros(0, dtype=np.float64)
    return LrFinderResult(empty, empty, empty, None, time.perf_counter() - t0, STOPPED,
                          start_lr, end_lr)


def _range_test(engine: Engine, data: PreparedData, device: torch.device, lrs: np.ndarray,
                diverge_factor: float, should_stop: Callable[[], bool] | None,
                on_progress: Callable[[int, int], None] | None) -> tuple[np.ndarray, str]:
    import torch

    from workbench.core.augment import augment_batch
    from workbench.core.data import EpochSampler
    from workbench.core.models import build_model
    from workbench.core.training import (
        grad_clearer,
        loss_function,
        make_optimizer,
        targets,
        train_step,
    )

    cfg = engine.config
    torch.manual_seed(cfg.run.seed)  # the weights a run with this seed starts from
    gen = torch.Generator().manual_seed(cfg.run.seed)
    model = build_model(cfg.model, tuple(data.input_shape),
                        data.n_classes if data.task == "classification" else 1).to(device)
    model.train()
    opt = make_optimizer(cfg.optim, model.parameters())
    clear_grads = grad_clearer(opt)
    x = torch.as_tensor(np.ascontiguousarray(data.x_train, dtype=np.float32), device=device)
    # The targets as the run sees them (regression: standardised), so the losses compare.
    y = targets(data.y_train, data.task, (data.target_mean, data.target_std), device)
    criterion = loss_function(data.task)
    amp = cfg.run.amp and device.type in ("cuda", "cpu")
    sampler = EpochSampler(data.y_train, data.task, cfg.data.imbalance, data.n_classes, gen,
                           shuffle=cfg.data.shuffle)
    augment = cfg.data.augment if (data.is_image and cfg.data.augment.enabled) else None
    batches = _batches(sampler, cfg.run.batch_size, cfg.run.drop_last)
    losses: list[float] = []
    best = math.inf
    beta, avg = LIVE_SMOOTHING, 0.0
    for i, lr in enumerate(lrs):
        if should_stop is not None and should_stop():
            return np.array(losses), STOPPED
        for group in opt.param_groups:
            group["lr"] = float(lr)
        idx = next(batches).to(device)
        xb = x[idx] if augment is None else augment_batch(x[idx], augment)
        loss = train_step(model, criterion, opt, clear_grads, xb, y[idx], amp, device.type)
        value = loss.item()  # one sync per step: the pass is short and needs every value
        losses.append(value)
        if not math.isfinite(value):
            return np.array(losses), DIVERGED
        avg = beta * avg + (1 - beta) * value
        smoothed = avg / (1 - beta ** (i + 1))
        best = min(best, smoothed)
        if smoothed > diverge_factor * best:
            return np.array(losses), DIVERGED
        if on_progress is not None:
            on_progress(i + 1, len(lrs))
    return np.array(losses), COMPLETED


def _batches(sampler: EpochSampler, batch_size: int,
             drop_last: bool) -> Iterator[torch.Tensor]:
    """Training batches (index tensors) epoch after epoch, as the engine visits them."""
    while True:
        perm = sampler.epoch_indices()
        n = len(perm)
        stop = n - n % batch_size if drop_last else n
        for start in range(0, stop, batch_size):
            yield perm[start:start + batch_size]
