"""The draw set: 2-D points a person paints on the plane, and the CSV file a drawing is kept in.

The points live in ``DataConfig.points`` as (x, y, class) in the order they were painted, so a
run, its model file and its history entry all say exactly what was trained on. The split is
stable while painting: the points of each class are held out for validation by their place in
that class's order (with a 20 % split, the 5th, 10th, 15th... point of each class), so adding a
point never moves another one between training and validation, and a drawing redrawn after each
click keeps its squares where they were.

A drawing file is a CSV with the header ``x,y,label`` and one row per point, the label a class
number from 0. It is read with the same care as any file a person gives: size and row limits,
every problem named with its row.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from workbench.config import (
    DRAW_DATASET,
    MAX_DRAW_CLASSES,
    MAX_DRAW_POINTS,
    DataConfig,
    check_points,
)
from workbench.core.data.types import CLASSIFICATION, GENERIC_CLASS_NAME, Dataset, PreparedData
from workbench.errors import DataError

HEADER = ("x", "y", "label")
# A drawing file larger than this is not a drawing (5000 rows of three numbers are ~150 kB).
MAX_FILE_BYTES = 2 * 2**20
# The plane painted on when the drawing is empty; points painted outside it widen it.
CANVAS = (-1.0, 1.0, -1.0, 1.0)

Points = tuple[tuple[float, float, int], ...]


def points_array(points: Points) -> tuple[np.ndarray, np.ndarray]:
    """The points as float32 (N, 2) coordinates and int64 (N,) classes."""
    if not points:
        return np.zeros((0, 2), dtype=np.float32), np.zeros(0, dtype=np.int64)
    arr = np.asarray(points, dtype=np.float64)
    return arr[:, :2].astype(np.float32), arr[:, 2].astype(np.int64)


def validation_mask(labels: np.ndarray, val_split: float) -> np.ndarray:
    """True for the points held out for validation: within each class, the point at place j
    (from 0) is held out when the count floor((j + 1) * share) goes up there. Appending a
    point never changes the role of the points before it."""
    labels = np.asarray(labels, dtype=np.int64)
    mask = np.zeros(len(labels), dtype=bool)
    if not (math.isfinite(val_split) and 0.0 < val_split < 1.0):
        return mask
    for k in np.unique(labels):
        members = np.flatnonzero(labels == k)
        place = np.arange(len(members))
        mask[members] = np.floor((place + 1) * val_split + 1e-9) > np.floor(
            place * val_split + 1e-9)
    return mask


def class_names(classes: int) -> tuple[str, ...]:
    return tuple(GENERIC_CLASS_NAME.format(i=i) for i in range(classes))


def load_drawn(cfg: DataConfig) -> Dataset:
    """The drawing as a data set (all points; the split is ``prepare_drawn``'s)."""
    problems = check_points(cfg.points, cfg.classes)
    if not 2 <= cfg.classes <= MAX_DRAW_CLASSES:
        raise DataError.from_template("A drawing has 2 to {limit} classes, not {classes}.",
                                      limit=MAX_DRAW_CLASSES, classes=cfg.classes)
    if problems:
        first = problems[0]
        raise DataError(first.message, template=first.template, params=first.params)
    x, y = points_array(cfg.points)
    return Dataset(name=DRAW_DATASET, x=x, y=y, task=CLASSIFICATION,
                   class_names=class_names(cfg.classes), feature_names=("x1", "x2"))


def prepare_drawn(cfg: DataConfig, dataset: Dataset | None = None) -> PreparedData:
    """Split by ``validation_mask``, statistics from the training points, all normalised."""
    from workbench.core.data.split import class_counts, compute_stats, normalize

    ds = dataset if dataset is not None else load_drawn(cfg)
    val = validation_mask(ds.y, cfg.val_split)
    x_train, y_train = ds.x[~val], ds.y[~val]
    x_val, y_val = ds.x[val], ds.y[val]
    if cfg.normalize:
        mean, std = compute_stats(x_train)
    else:
        mean, std = np.zeros(2, dtype=np.float32), np.ones(2, dtype=np.float32)
    k = ds.n_classes
    return PreparedData(
        name=ds.name, task=CLASSIFICATION, class_names=ds.class_names,
        feature_names=ds.feature_names, input_shape=(2,),
        x_train=normalize(x_train, mean, std), y_train=y_train,
        x_val=normalize(x_val, mean, std), y_val=y_val, mean=mean, std=std,
        train_counts=class_counts(y_train, k), val_counts=class_counts(y_val, k))


def canvas_extent(points: Points) -> tuple[float, float, float, float]:
    """The plane to paint on: ``CANVAS``, widened to hold every point with a margin."""
    x0, x1, y0, y1 = CANVAS
    if points:
        xy, _ = points_array(points)
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        pad = 0.1 * max(float(np.max(hi - lo)), 0.5)
        x0, x1 = min(x0, float(lo[0]) - pad), max(x1, float(hi[0]) + pad)
        y0, y1 = min(y0, float(lo[1]) - pad), max(y1, float(hi[1]) + pad)
    return x0, x1, y0, y1


# -- the drawing file ------------------------------------------------------------------------

def drawing_csv(points: Points) -> str:
    """The CSV text of a drawing: ``x,y,label`` and one row per point (shortest exact floats)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for x, y, label in points:
        writer.writerow((repr(float(x)), repr(float(y)), int(label)))
    return out.getvalue()


def write_drawing(path: str | Path, points: Points) -> None:
    """Write the drawing atomically (the old file or the whole new one, never half)."""
    from workbench.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), drawing_csv(points).encode("utf-8"))


def read_drawing(path: str | Path) -> tuple[Points, int]:
    """The points of a drawing file and its number of classes (at least 2)."""
    path = Path(path)
    try:
        if not path.is_file():
            raise DataError.from_template("The drawing {path} is not a file. Choose a CSV file "
                                          "saved from a drawing.", path=path)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError.from_template("The drawing {path} is {size:,} bytes; a drawing is "
                                          "at most {limit:,}.", path=path, size=size,
                                          limit=MAX_FILE_BYTES)
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError.from_template("The drawing {path} is not UTF-8 text.",
                                      path=path) from None
    except OSError as exc:
        raise DataError.from_template("Cannot read the drawing {path}: {reason}.", path=path,
                                      reason=exc.strerror or exc) from None
    return parse_drawing(text, path.name)


def parse_drawing(text: str, name: str) -> tuple[Points, int]:
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows or tuple(c.strip().lower() for c in rows[0]) != HEADER:
        raise DataError.from_template("{file} is not a drawing: its first line must be "
                                      "x,y,label.", file=name)
    if len(rows) - 1 > MAX_DRAW_POINTS:
        raise DataError.from_template("{file} holds {count:,} points; a drawing holds at most "
                                      "{limit:,}.", file=name, count=len(rows) - 1,
                                      limit=MAX_DRAW_POINTS)
    points = []
    for line, row in enumerate(rows[1:], start=2):
        points.append(_parse_row(row, line, name))
    labels = {label for _, _, label in points}
    return tuple(points), max(2, max(labels, default=0) + 1)


def _parse_row(row: list[str], line: int, name: str) -> tuple[float, float, int]:
    try:
        if len(row) != 3:
            raise ValueError
        x, y = float(row[0]), float(row[1])
        label = int(row[2])
    except ValueError:
        raise DataError.from_template(
            "Line {line} of {file} is not x,y,label (two numbers and a class number): "
            "{text!r}.", line=line, file=name, text=",".join(row)[:80]) from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise DataError.from_template("Line {line} of {file} has a coordinate that is not a "
                                      "finite number.", line=line, file=name)
    if not 0 <= label < MAX_DRAW_CLASSES:
        raise DataError.from_template("Line {line} of {file} has class {label}: a drawing has "
                                      "classes 0 to {last}.", line=line, file=name,
                                      label=label, last=MAX_DRAW_CLASSES - 1)
    return x, y, label
