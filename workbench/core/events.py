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
    patience: int = 0  # early stopping's patience in epochs; 0 when off


@dataclass(frozen=True)
class DataChanged:
    """The run adopted training data offered while it ran (a drawn data set), from ``epoch``.

    The counts replace those of ``RunStarted``: samples, iterations per epoch, the last batch's
    size, and the run's total iterations (those done plus the remaining epochs' on the new set).
    """

    epoch: int
    train_samples: int
    iterations_per_epoch: int
    last_batch_size: int
    total_iterations: int


@dataclass(frozen=True)
class RunFinished:
    """A run that ended with a model; ``warning`` says when that model looks useless.

    ``warning_kind`` is "" (nothing wrong seen) or "chance": the validation accuracy stayed at
    what always answering the most common class scores while the loss did not fall.
    ``chance_accuracy``: that score on the validation split (classification with one);
    ``val_r2``: R² of the kept weights on the validation split (regression with one).
    """

    reason: str  # "completed", "stopped" or "early_stopped"
    epochs_completed: int
    iterations_completed: int
    seconds: float
    best_epoch: int | None = None
    restored_best: bool = False
    warning: str = ""  # for people: what looks wrong and what to try; "" when nothing does
    warning_kind: str = ""
    chance_accuracy: float | None = None
    val_r2: float | None = None

    @property
    def weights_epoch(self) -> int:
        """The epoch whose weights the model holds (0: none completed)."""
        if self.restored_best and self.best_epoch:
            return self.best_epoch
        return self.epochs_completed


@dataclass(frozen=True)
class RunFailed:
    message: str  # for people: what happened and what to try
    details: str = ""  # traceback, for the log and a "Show details" button
    epoch: int | None = None
    iteration: int | None = None
    # "nan", "diverged" (the loss exploded or kept rising), "oom", "data", "config", "error"
    kind: str = "error"
    retry_batch_size: int | None = None  # after running out of memory: the size to try next


@dataclass(frozen=True)
class LiveViewUpdated:
    """Pictures of the model at one moment of training (sent only while a window asks).

    ``probabilities``: class probabilities over a square grid of the raw 2-feature plane,
    float32 (rows, columns, classes), row 0 at ``extent``'s y0; None when the data has not
    exactly two input features or the plane was not asked for. The points are raw feature
    values of the training and validation splits (a subset for large sets).
    ``columns``: units per column of the network diagram; ``dropout_masks``: one bool array per
    column (True = kept) from a probe pass in training mode for one sample, empty where no
    Dropout acts. ``spread_*``: outputs for one sample, ten passes each with Dropout in training
    mode and in eval mode, shape (10, outputs); None unless asked for.
    """

    epoch: int
    iteration: int
    sequence: int  # 1, 2, ... within a run
    probabilities: np.ndarray | None = field(default=None, repr=False)
    extent: tuple[float, float, float, float] | None = None  # x0, x1, y0, y1
    train_points: np.ndarray | None = field(default=None, repr=False)
    train_labels: np.ndarray | None = field(default=None, repr=False)
    val_points: np.ndarray | None = field(default=None, repr=False)
    val_labels: np.ndarray | None = field(default=None, repr=False)
    columns: tuple[int, ...] = ()
    dropout_rates: tuple[float, ...] = ()  # per column; 0 where no Dropout acts
    dropout_masks: tuple[np.ndarray, ...] = field(default=(), repr=False)
    spread_train: np.ndarray | None = field(default=None, repr=False)
    spread_eval: np.ndarray | None = field(default=None, repr=False)
    # CNNs, while the CNN view asks: the first convolution's weights (filters, in, kh, kw), and
    # the feature maps (cnn_inside.MapStage per convolution and pooling) of validation sample
    # ``maps_sample`` (-1: none).
    filters: np.ndarray | None = field(default=None, repr=False)
    feature_maps: tuple = field(default=(), repr=False)
    maps_sample: int = -1


Event = (RunStarted | IterationsDone | EpochEnded | DataChanged | RunFinished | RunFailed
         | LiveViewUpdated)
