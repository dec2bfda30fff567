"""The built-in synthetic 2-D sets (spiral, moons, circles, XOR, blobs), generated from a seed."""

from __future__ import annotations

import math

import numpy as np

from workbench.config import DataConfig
from workbench.core.data.types import CLASSIFICATION, GENERIC_CLASS_NAME, Dataset
from workbench.errors import DataError


def _generic_class_names(n: int) -> tuple[str, ...]:
    return tuple(GENERIC_CLASS_NAME.format(i=i) for i in range(n))


def _per_class(n: int, k: int) -> list[int]:
    """``n`` samples shared as evenly as possible between ``k`` classes."""
    base, extra = divmod(n, k)
    return [base + (1 if i < extra else 0) for i in range(k)]


# Spiral geometry: radius grows linearly with the angle (an Archimedean spiral). 1.5 turns
# looks like a spiral and stays learnable by a small MLP in a few epochs; starting at a
# radius above zero keeps the arms from meeting in a blur at the centre.
_SPIRAL_TURNS = 1.5
_SPIRAL_START = 0.15
# Circles, moons: the distance between the two classes' centre lines.
_CIRCLES_GAP = 0.5
_MOONS_GAP = 0.5  # closest approach of the two half circles of radius 1
# XOR: points fill the four quadrants, kept this far off the axes before noise is added.
_XOR_MARGIN = 0.05
_XOR_GAP = 0.5


def load_synthetic(cfg: DataConfig, seed: int) -> Dataset:
    name = cfg.dataset
    n_classes = cfg.classes if name in ("spiral", "blobs") else 2
    if not (isinstance(n_classes, int) and 2 <= n_classes <= 100):
        raise DataError.from_template("The {name} data set needs 2 to 100 classes, not "
                                      "{classes}.", name=name, classes=n_classes)
    if cfg.samples < 2 * n_classes:
        raise DataError.from_template(
            "The {name} data set needs at least {needed} samples for {classes} classes (two per "
            "class); {samples} were asked for.", name=name, needed=2 * n_classes,
            classes=n_classes, samples=cfg.samples)
    if not (math.isfinite(cfg.noise) and cfg.noise >= 0):
        raise DataError.from_template("Noise must be 0 or more, not {noise}.", noise=cfg.noise)
    rng = np.random.default_rng(seed)
    counts = _per_class(cfg.samples, n_classes)
    # Noise is the standard deviation of the jitter as a fraction of the distance between
    # neighbouring classes, so one slider position means the same overlap on every set.
    xs: list[np.ndarray] = []
    if name == "spiral":
        gap = 1.0 / (_SPIRAL_TURNS * n_classes)  # radial distance between neighbouring arms
        for k, count in enumerate(counts):
            r = rng.uniform(_SPIRAL_START, 1.0, count)
            angle = 2 * np.pi * (_SPIRAL_TURNS * r + k / n_classes)
            xs.append(np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1))
    elif name == "moons":
        gap = _MOONS_GAP
        a = rng.uniform(0.0, np.pi, counts[0])
        b = rng.uniform(0.0, np.pi, counts[1])
        xs.append(np.stack([np.cos(a), np.sin(a)], axis=1))
        xs.append(np.stack([1.0 - np.cos(b), 0.5 - np.sin(b)], axis=1))
    elif name == "circles":
        gap = _CIRCLES_GAP
        for k, count in enumerate(counts):
            radius = 1.0 - gap * k  # class 0 outside, class 1 inside
            a = rng.uniform(0.0, 2 * np.pi, count)
            xs.append(radius * np.stack([np.cos(a), np.sin(a)], axis=1))
    elif name == "xor":
        gap = _XOR_GAP
        for k, count in enumerate(counts):
            mag = rng.uniform(_XOR_MARGIN, 1.0, (count, 2))
            sx = rng.choice([-1.0, 1.0], count)
            # Class 0 where both coordinates share a sign, class 1 where they differ.
            sy = sx if k == 0 else -sx
            xs.append(mag * np.stack([sx, sy], axis=1))
    else:  # blobs
        gap = 1.0  # neighbouring centres sit 1 apart on a circle
        radius = gap / (2 * math.sin(math.pi / n_classes))
        turn = rng.uniform(0.0, 2 * np.pi)
        for k, count in enumerate(counts):
            a = turn + 2 * np.pi * k / n_classes
            xs.append(np.tile([radius * math.cos(a), radius * math.sin(a)], (count, 1)))
    x = np.concatenate(xs)
    x = x + rng.normal(0.0, cfg.noise * gap, x.shape)
    y = np.concatenate([np.full(c, k, dtype=np.int64) for k, c in enumerate(counts)])
    # Stored in random order: with shuffling off, the split takes the last samples of each
    # class, which must not all be one end of a spiral arm.
    order = rng.permutation(len(y))
    return Dataset(name=name, x=x[order].astype(np.float32), y=y[order], task=CLASSIFICATION,
                   class_names=_generic_class_names(n_classes), feature_names=("x1", "x2"))

