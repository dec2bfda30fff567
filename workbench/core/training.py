"""The pieces of a training run that the engine and the exported training script share.

The engine's loop (``workbench.core.engine``) and the standalone ``train.py`` a model exports
(``workbench/templates/train_script.py``) both call these: the optimizer and its schedule, the
loss, the targets on the device, one training step, the epoch's mean loss and the validation
pass. The export copies them into the script unchanged (``workbench.core.export``), so they use
only torch, numpy and Workbench's configuration, and the training code exists once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench.config import OptimConfig, Optimizer, Schedule
from workbench.core.data.types import CLASSIFICATION

# The validation split is passed through the network in batches of at most this many samples.
EVAL_BATCH = 4096


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


def make_scheduler(optim: OptimConfig, opt: torch.optim.Optimizer, epochs: int) -> Any:
    """The learning-rate schedule the form describes, stepped once an epoch; None for none."""
    o = optim
    if o.schedule == Schedule.STEP:
        return torch.optim.lr_scheduler.StepLR(opt, o.step_size, o.gamma)
    if o.schedule == Schedule.COSINE:
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    if o.schedule == Schedule.PLATEAU:
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, factor=o.gamma, patience=o.plateau_patience)
    return None


def loss_function(task: str) -> nn.Module:
    """Cross-entropy for classes, mean squared error for numbers."""
    return nn.CrossEntropyLoss() if task == CLASSIFICATION else nn.MSELoss()


def targets(y: np.ndarray, task: str, scaling: tuple[float, float],
            device: torch.device) -> torch.Tensor:
    """The targets on the device as the loss wants them: class numbers, or a column of values
    standardised with ``scaling`` (mean, std), so one learning rate suits a target in the
    hundreds as well as one in the tenths."""
    if task == CLASSIFICATION:
        return torch.as_tensor(y, dtype=torch.long, device=device)
    t = torch.as_tensor(y, dtype=torch.float32, device=device)
    mean, std = scaling
    if (mean, std) != (0.0, 1.0):
        t = (t - mean) / std
    return t.view(-1, 1)


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


def train_step(forward: Callable[[torch.Tensor], torch.Tensor], criterion: nn.Module,
               opt: torch.optim.Optimizer, clear_grads: Callable[[], None], xb: torch.Tensor,
               yb: torch.Tensor, amp: bool, device_type: str) -> torch.Tensor:
    """One iteration: the batch's loss (forward pass in bfloat16 autocast with ``amp``), fresh
    gradients from it, one optimizer step. Returns the loss, still on the device."""
    if amp:
        with torch.autocast(device_type, dtype=torch.bfloat16):
            loss = criterion(forward(xb), yb)
    else:
        loss = criterion(forward(xb), yb)
    clear_grads()
    loss.backward()
    opt.step()
    return loss


def epoch_weights(iterations: int, batch_size: int, last_batch_size: int) -> np.ndarray:
    """Each iteration's weight in the epoch's mean loss: its share of the epoch's samples (the
    last batch may be smaller). Empty for no iterations."""
    if not iterations:
        return np.zeros(0)
    sizes = torch.full((iterations,), float(batch_size))
    sizes[-1] = float(last_batch_size)
    sizes /= sizes.sum()
    return sizes.numpy().astype(np.float64)


def epoch_loss(losses: np.ndarray, weights: np.ndarray) -> float:
    """The epoch's training loss: the sample-weighted mean of its float32 iteration losses."""
    return float(np.dot(losses, weights))


def evaluate(model: nn.Module, X: torch.Tensor, Y: torch.Tensor, criterion: nn.Module,
             classification: bool) -> tuple[float | None, float | None]:
    """Validation loss and accuracy (None without a validation split), in eval mode."""
    if len(X) == 0:
        return None, None
    # The caller has put the model in eval mode, and puts it back in train mode each epoch.
    with torch.no_grad():
        if len(X) <= EVAL_BATCH:  # the common case: one batch, no accumulators
            out = model(X)
            loss = float(criterion(out, Y))
            acc = float((out.argmax(1) == Y).sum()) / len(X) if classification else None
            return loss, acc
        total = torch.zeros((), device=X.device)
        correct = torch.zeros((), device=X.device)
        for start in range(0, len(X), EVAL_BATCH):
            xb, yb = X[start:start + EVAL_BATCH], Y[start:start + EVAL_BATCH]
            out = model(xb)
            total += criterion(out, yb) * len(xb)
            if classification:
                correct += (out.argmax(1) == yb).sum()
    return float(total) / len(X), (float(correct) / len(X) if classification else None)
