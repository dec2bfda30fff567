"""Typed events the engine publishes. Frozen; numbers and numpy arrays only (never tensors)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class RunStarted:
    train_samples: int
    val_samples: int
    iterations_per_epoch: int
    last_batch_size: int
    total_iterations: int
    epochs: int
    batch_size: int
    device: str  # "cpu", "cuda:0", "mps"
    device_name: str  # for people: "NVIDIA H100 80GB HBM3 (79 GB)", "CPU (2 cores)"
    parameters: int
    task: str  # "classification" or "regression"
    class_names: tuple[str, ...] = ()
    start_epoch: int = 1  # > 1 when continuing from a checkpoint
    start_iteration: int = 0  # iterations already done before this run (continuing)


@dataclass(frozen=True)
class IterationsDone:
    """A block of consecutive iteration losses; none is ever skipped.

    ``first_iteration`` is the global (1-based, across the run) number of ``losses[0]``.
    """

    epoch: int
    first_iteration: int
    losses: np.ndarray = field(repr=False)  # float32, one value per iteration

    @property
    def last_iteration(self) -> int:
        return self.first_iteration + len(self.losses) - 1


@dataclass(frozen=True)
class EpochEnded:
    epoch: int
    train_loss: float
    val_loss: float | None
    val_accuracy: float | None  # classification with a validation split only
    train_accuracy: float | None
    lr: float
    seconds: float  # wall time of this epoch
    iteration: int  # global iteration count at the end of this epoch
    best_epoch: int | None = None
    patience_left: int | None = None  # early stopping countdown; None when off


@dataclass(frozen=True)
class RunFinished:
    reason: str  # "completed", "stopped" or "early_stopped"
    epochs_completed: int
    iterations_completed: int
    seconds: float
    best_epoch: int | None = None
    restored_best: bool = False


@dataclass(frozen=True)
class RunFailed:
    message: str  # for people: what happened and what to try
    details: str = ""  # traceback, for the log and a "Show details" button
    epoch: int | None = None
    iteration: int | None = None
    kind: str = "error"  # "nan", "oom", "data", "config", "error"
    retry_batch_size: int | None = None  # after running out of memory: the size to try next


Event = RunStarted | IterationsDone | EpochEnded | RunFinished | RunFailed
