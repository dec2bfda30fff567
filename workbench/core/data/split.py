"""The train/validation split, normalisation statistics, and per-epoch sampling.

Statistics are computed on the training split only; the ``EpochSampler`` decides which training
samples each epoch visits (where over- and under-sampling of imbalanced classes happen, fresh
every epoch).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from workbench.config import DataConfig, Imbalance
from workbench.core.data.types import (
    CLASSIFICATION,
    MIN_STD,
    REGRESSION,
    Dataset,
    PreparedData,
)
from workbench.errors import DataError

# Separate numpy streams for generating synthetic points and for splitting, both from the
# run's seed, so changing one never shifts the other.
_SPLIT_STREAM = 0x5B117


def split_indices(y: np.ndarray, task: str, val_split: float, seed: int,
                  shuffle: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation indices (each sorted ascending, int64, disjoint, covering all).

    The validation part has ``round(N * val_split)`` samples, with two exceptions: when
    ``val_split > 0`` every class with at least two samples is put in both parts (and a
    regression split gets at least one validation sample), which may move the count a little;
    a class with a single sample goes to training. Classification splits are stratified: each
    class keeps its share. ``shuffle=False`` takes the last samples (of each class) for
    validation instead of random ones.
    """
    y = np.asarray(y)
    n = int(y.shape[0])
    if not (math.isfinite(val_split) and 0.0 <= val_split < 1.0):
        raise DataError.from_template("The validation split must be from 0 up to (not "
                                      "including) 1, not {value}.", value=val_split)
    empty = np.empty(0, dtype=np.int64)
    if n == 0 or val_split == 0:
        return np.arange(n, dtype=np.int64), empty
    rng = np.random.default_rng([seed, _SPLIT_STREAM])
    wanted = round(n * val_split)
    in_val = np.zeros(n, dtype=bool)
    if task == CLASSIFICATION:
        inverse = _class_ranks(y)
        counts = np.bincount(inverse)
        for k, take in enumerate(_stratified_counts(counts, wanted)):
            if take == 0:
                continue
            members = np.flatnonzero(inverse == k)
            chosen = rng.permutation(members)[:take] if shuffle else members[-take:]
            in_val[chosen] = True
    elif n >= 2:
        take = min(max(wanted, 1), n - 1)
        chosen = rng.permutation(n)[:take] if shuffle else np.arange(n - take, n)
        in_val[chosen] = True
    return (np.flatnonzero(~in_val).astype(np.int64, copy=False),
            np.flatnonzero(in_val).astype(np.int64, copy=False))


def _class_ranks(y: np.ndarray) -> np.ndarray:
    """Each label's rank among the distinct labels (``np.unique``'s inverse), counted per
    label without sorting when the labels are small non-negative whole numbers."""
    if y.ndim == 1 and y.dtype.kind in "iu" and 0 <= y.min() and y.max() <= 4 * len(y) + 1024:
        present = np.bincount(y) > 0
        return (np.cumsum(present) - 1)[y]
    _, inverse = np.unique(y, return_inverse=True)
    return inverse.reshape(-1)


def _stratified_counts(counts: np.ndarray, wanted: int) -> np.ndarray:
    """Validation samples per class: proportional, largest remainders, every class in both."""
    n = int(counts.sum())
    low = np.where(counts >= 2, 1, 0)
    high = np.where(counts >= 2, counts - 1, 0)
    total = int(np.clip(wanted, low.sum(), high.sum()))
    share = counts * (total / n)
    take = np.clip(np.floor(share), low, high).astype(np.int64)
    # Each step moves one sample where the proportional share is furthest from met; at most
    # one step per class in practice, so the loop is short.
    while take.sum() < total:
        room = np.where(take < high, share - take, -np.inf)
        take[int(np.argmax(room))] += 1
    while take.sum() > total:
        excess = np.where(take > low, take - share, -np.inf)
        take[int(np.argmax(excess))] -= 1
    return take


def _stats_axes(x: np.ndarray) -> tuple[int, ...]:
    # Tabular: per feature (reduce over samples). Images: per channel (samples and pixels).
    return (0,) if x.ndim <= 2 else (0, *range(2, x.ndim))


def _identity_stats(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    shape = (x.shape[1], *([1] * (x.ndim - 2))) if x.ndim >= 2 else ()
    return np.zeros(shape, dtype=np.float32), np.ones(shape, dtype=np.float32)


def compute_stats(x_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation per feature (F,) or per image channel (C, 1, 1)."""
    x = np.asarray(x_train)
    if x.shape[0] == 0:
        raise DataError.from_template("There are no training samples to compute normalisation "
                                      "statistics from: lower the validation split or add data.")
    axes = _stats_axes(x)
    # float64 accumulation: float32 sums over a million pixels lose digits.
    mean = x.mean(axis=axes, dtype=np.float64, keepdims=True)[0]
    std = x.std(axis=axes, dtype=np.float64, keepdims=True)[0]
    std = np.where(std < MIN_STD, 1.0, std)
    return mean.astype(np.float32), std.astype(np.float32)


def normalize(x: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """``(x - mean) / std`` as float32, for a batch or a single sample."""
    return ((np.asarray(x, dtype=np.float32) - mean) / std).astype(np.float32, copy=False)


def class_counts(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Samples per class (int64, length ``n_classes``); empty for regression (0 classes)."""
    if n_classes <= 0:
        return np.zeros(0, dtype=np.int64)
    return np.bincount(np.asarray(y, dtype=np.int64), minlength=n_classes).astype(np.int64)


def prepare(cfg: DataConfig, seed: int, ds: Dataset) -> PreparedData:
    """Split the loaded data set, compute statistics on the training split, normalise all.

    Regression targets are left in their units; their training-split mean and standard
    deviation come along for the engine to standardise with.
    """
    x = np.asarray(ds.x, dtype=np.float32)
    classification = ds.task == CLASSIFICATION
    if ds.task not in (CLASSIFICATION, REGRESSION):
        raise DataError.from_template("The data set {name!r} has an unknown task {task!r}.",
                                      name=ds.name, task=ds.task)
    y = np.asarray(ds.y, dtype=np.int64 if classification else np.float32).reshape(-1)
    if x.ndim not in (2, 4) or x.shape[0] != y.shape[0]:
        raise DataError.from_template(
            "The data set {name!r} has inputs of shape {shape} and {targets} targets: they must "
            "be (N, features) or (N, C, H, W) with one target per sample.", name=ds.name,
            shape=x.shape, targets=y.shape[0])
    if x.shape[0] == 0:
        raise DataError.from_template("The data set {name!r} holds no samples.", name=ds.name)
    if classification:
        if ds.n_classes < 2:
            raise DataError.from_template("The data set {name!r} has fewer than two classes; a "
                                          "classifier needs at least two.", name=ds.name)
        if y.min() < 0 or y.max() >= ds.n_classes:
            raise DataError.from_template("The data set {name!r} has class numbers outside 0 "
                                          "to {last}.", name=ds.name, last=ds.n_classes - 1)
    if not np.all(np.isfinite(x)):
        raise DataError.from_template("The data set {name!r} holds missing or infinite input "
                                      "values.", name=ds.name)
    train, val = split_indices(y, ds.task, cfg.val_split, seed, cfg.shuffle)
    x_train, x_val = x[train], x[val]
    if cfg.normalize:
        mean, std = compute_stats(x_train) if len(train) else _identity_stats(x)
    else:
        mean, std = _identity_stats(x)
    n_classes = ds.n_classes
    target_mean, target_std = 0.0, 1.0
    if not classification and len(train):
        # Standardised so one learning rate suits a target in the hundreds as in the tenths.
        target_mean = float(np.mean(y[train], dtype=np.float64))
        target_std = float(np.std(y[train], dtype=np.float64))
        if not (math.isfinite(target_std) and target_std >= MIN_STD):
            target_std = 1.0
    return PreparedData(
        name=ds.name, task=ds.task, class_names=tuple(ds.class_names),
        feature_names=tuple(ds.feature_names), input_shape=ds.input_shape,
        x_train=normalize(x_train, mean, std), y_train=y[train],
        x_val=normalize(x_val, mean, std), y_val=y[val], mean=mean, std=std,
        train_counts=class_counts(y[train], n_classes),
        val_counts=class_counts(y[val], n_classes), target_mean=target_mean,
        target_std=target_std, preprocess=ds.preprocess, table_info=ds.table_info)



class EpochSampler:
    """Which training samples an epoch visits, and in which order.

    ``none``: every sample once. ``oversample``: as many draws as there are samples, with
    replacement, each class equally likely (weight 1/count per sample), so rare samples
    repeat. ``undersample``: a fresh random subset of (smallest class count) samples per
    class each epoch, so no sample is thrown away for good. Classes absent from the training
    split are ignored. Regression always uses ``none``.

    All randomness comes from ``generator`` (a CPU ``torch.Generator``), so saving and
    restoring its state resumes the exact sequence of epochs.
    """

    def __init__(self, y_train: np.ndarray, task: str, imbalance: Imbalance, n_classes: int,
                 generator: torch.Generator, shuffle: bool = True) -> None:
        if generator.device.type != "cpu":
            raise ValueError("EpochSampler needs a CPU torch.Generator.")
        self._generator = generator
        self._shuffle = shuffle
        y = np.asarray(y_train).reshape(-1)
        self._n = int(y.shape[0])
        mode = Imbalance(imbalance)
        if task != CLASSIFICATION or self._n == 0:
            mode = Imbalance.NONE
        self._mode = mode
        self._members: list[torch.Tensor] = []
        if mode != Imbalance.NONE:
            labels = y.astype(np.int64)
            if labels.min() < 0 or labels.max() >= n_classes:
                raise ValueError(f"y_train holds class numbers outside 0..{n_classes - 1}.")
            counts = np.bincount(labels, minlength=n_classes)
            self._members = [torch.from_numpy(np.flatnonzero(labels == k).astype(np.int64))
                             for k in range(n_classes) if counts[k] > 0]
            self._counts = torch.tensor([len(m) for m in self._members], dtype=torch.int64)
            # Indices grouped by class, and where each class's block starts: an oversampling
            # draw picks a class, then a member of it by offset into this array.
            self._grouped = torch.cat(self._members)
            self._starts = torch.cumsum(self._counts, 0) - self._counts
        self._min_count = int(self._counts.min()) if self._members else 0

    @property
    def epoch_size(self) -> int:
        if self._mode == Imbalance.UNDERSAMPLE:
            return self._min_count * len(self._members)
        return self._n

    def epoch_indices(self) -> torch.Tensor:
        """The training indices for the next epoch (int64 CPU tensor of ``epoch_size``)."""
        g = self._generator
        if self._mode == Imbalance.NONE:
            if not self._shuffle:
                return torch.arange(self._n, dtype=torch.int64)
            return torch.randperm(self._n, generator=g, dtype=torch.int64)
        if self._mode == Imbalance.OVERSAMPLE:
            # Same distribution as a weighted draw with weights 1/count[class]: each class
            # carries total weight 1, so pick a class uniformly, then a member uniformly.
            # Unlike torch.multinomial this has no limit on the number of samples.
            n = self._n
            cls = torch.randint(len(self._members), (n,), generator=g)
            sizes = self._counts[cls]
            offsets = (torch.rand(n, generator=g, dtype=torch.float64) * sizes).long()
            offsets = torch.minimum(offsets, sizes - 1)
            picked = self._grouped[self._starts[cls] + offsets]
            if self._shuffle:
                return picked  # the draws already come in random order
        else:
            m = self._min_count
            picked = torch.cat([members[torch.randperm(len(members), generator=g)[:m]]
                                for members in self._members])
        if self._shuffle:
            return picked[torch.randperm(len(picked), generator=g)]
        # Without shuffling the chosen samples are visited in data order.
        return torch.sort(picked).values
