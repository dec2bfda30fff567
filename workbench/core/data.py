"""Data sets, the train/validation split, normalisation and per-epoch sampling.

Everything a run needs before the first batch: built-in synthetic and bundled sets, a person's
CSV file or image folder, a stratified seeded split, statistics computed on the training split
only, and an ``EpochSampler`` that decides which training samples each epoch visits (the place
where over- and under-sampling of imbalanced classes happen, fresh every epoch).

Every problem a person can fix is raised as ``DataError`` with a message that names the file,
line, column or folder and says what to do; nothing here prints a traceback at anyone.
"""

from __future__ import annotations

import csv
import io
import math
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from workbench.config import (
    BUNDLED_DATASETS,
    DATASETS,
    SYNTHETIC_DATASETS,
    DataConfig,
    Imbalance,
)
from workbench.errors import DataError

__all__ = [
    "CLASSIFICATION",
    "REGRESSION",
    "BadImagesError",
    "Dataset",
    "EpochSampler",
    "PreparedData",
    "class_counts",
    "compute_stats",
    "load_csv",
    "load_dataset",
    "load_image_folder",
    "normalize",
    "prepare",
    "read_csv_header",
    "read_csv_table",
    "split_indices",
]

CLASSIFICATION = "classification"
REGRESSION = "regression"

# A numeric CSV target with more distinct values than this (or any fractional value) is a
# quantity to predict, not a set of class labels.
MAX_NUMERIC_CLASSES = 20
# One row to train on and one to validate with; anything less cannot be a training run.
MIN_ROWS = 2
# Constant features and pixels have std 0; dividing by it would turn them into NaN.
MIN_STD = 1e-8
# Training runs in float32; larger values would silently become infinite.
_FLOAT32_MAX = float(np.finfo(np.float32).max)

# Files that file managers drop into folders on their own; they are never training images.
_CLUTTER = frozenset({"thumbs.db", "desktop.ini", "icon\r"})


# -- containers ---------------------------------------------------------------------------

# eq=False: the generated __eq__ would compare numpy arrays element-wise and then fail to
# turn the result into a bool; identity is the only equality that makes sense here.
@dataclass(frozen=True, eq=False)
class Dataset:
    """A whole data set before splitting: inputs, targets and the names people see."""

    name: str
    x: np.ndarray  # float32; (N, F) tabular or (N, C, H, W) images
    y: np.ndarray  # int64 class indices, or float32 targets for regression; shape (N,)
    task: str  # CLASSIFICATION or REGRESSION
    class_names: tuple[str, ...] = ()  # class i is class_names[i]; () for regression
    feature_names: tuple[str, ...] = ()  # tabular column names; () for images
    # Image folders loaded with skip_bad=True: the files left out as "class/name" (the error
    # from loading without skip_bad says why each one). Empty when nothing was skipped.
    skipped: tuple[str, ...] = ()

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(int(s) for s in self.x.shape[1:])

    @property
    def is_image(self) -> bool:
        return self.x.ndim == 4

    @property
    def n_classes(self) -> int:
        return len(self.class_names) if self.task == CLASSIFICATION else 0

    def __len__(self) -> int:
        return int(self.x.shape[0])


@dataclass(frozen=True, eq=False)
class PreparedData:
    """A data set split into training and validation parts, inputs already normalised."""

    name: str
    task: str
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    input_shape: tuple[int, ...]
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    # Broadcastable to one sample: (F,) tabular, (C, 1, 1) images. They travel with the saved
    # model so every later prediction is normalised exactly like the training data.
    mean: np.ndarray
    std: np.ndarray
    train_counts: np.ndarray  # samples per class; empty for regression
    val_counts: np.ndarray

    @property
    def n_train(self) -> int:
        return int(self.x_train.shape[0])

    @property
    def n_val(self) -> int:
        return int(self.x_val.shape[0])

    @property
    def n_classes(self) -> int:
        return len(self.class_names) if self.task == CLASSIFICATION else 0

    @property
    def is_image(self) -> bool:
        return len(self.input_shape) == 3


# -- loading ------------------------------------------------------------------------------

def load_dataset(cfg: DataConfig, seed: int, *, skip_bad: bool = False) -> Dataset:
    """Load the data set ``cfg`` names; synthetic sets are generated from ``seed``.

    ``skip_bad``: for image folders, leave out files that cannot be read instead of failing
    (see ``load_image_folder``); other sources ignore it.
    """
    name = cfg.dataset
    if name in SYNTHETIC_DATASETS:
        return _load_synthetic(cfg, seed)
    if name in BUNDLED_DATASETS:
        return _load_bundled(name)
    if name == "csv":
        if not cfg.csv_path:
            raise DataError.from_template("No CSV file is chosen: pick the CSV file to train "
                                          "on.")
        return load_csv(cfg.csv_path, cfg.target)
    if name == "images":
        if not cfg.image_dir:
            raise DataError.from_template("No image folder is chosen: pick a folder with one "
                                          "sub-folder per class.")
        return load_image_folder(cfg.image_dir, cfg.image_size, cfg.grayscale, skip_bad=skip_bad)
    raise DataError.from_template("There is no data set called {name!r}. Choose one of: "
                                  "{names}.", name=name, names=", ".join(DATASETS))


# The names of the classes of the synthetic sets; a window may show them translated.
GENERIC_CLASS_NAME = "class {i}"


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


def _load_synthetic(cfg: DataConfig, seed: int) -> Dataset:
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


def _load_bundled(name: str) -> Dataset:
    # Imported here: scikit-learn takes a noticeable moment to import and most runs never
    # touch it.
    from sklearn import datasets as skd

    loaders = {"digits": skd.load_digits, "iris": skd.load_iris, "wine": skd.load_wine,
               "breast_cancer": skd.load_breast_cancer, "diabetes": skd.load_diabetes}
    bunch: Any = loaders[name](return_X_y=False)
    if name == "digits":
        # 8x8 grey images with values 0..16: scaled to 0..1 like every other image source.
        x = (np.asarray(bunch.images, dtype=np.float32) / 16.0)[:, None, :, :]
        return Dataset(name=name, x=x, y=np.asarray(bunch.target, dtype=np.int64),
                       task=CLASSIFICATION,
                       class_names=tuple(str(c) for c in bunch.target_names))
    x = np.asarray(bunch.data, dtype=np.float32)
    features = tuple(str(f) for f in bunch.feature_names)
    if name == "diabetes":
        return Dataset(name=name, x=x, y=np.asarray(bunch.target, dtype=np.float32),
                       task=REGRESSION, feature_names=features)
    return Dataset(name=name, x=x, y=np.asarray(bunch.target, dtype=np.int64),
                   task=CLASSIFICATION, class_names=tuple(str(c) for c in bunch.target_names),
                   feature_names=features)


# -- CSV ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _CsvTable:
    name: str  # the file name, for messages
    header: list[str]
    rows: list[list[str]]  # data rows only, each exactly len(header) cells
    lines: list[int]  # 1-based line in the file where each row starts
    delimiter: str


def _read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError.from_template("The file {path} does not exist. Check the name, or pick "
                                      "the file again.", path=path) from None
    except IsADirectoryError:
        raise DataError.from_template("{path} is a folder, not a CSV file. Pick a .csv file.",
                                      path=path) from None
    except PermissionError:
        raise DataError.from_template("Workbench may not read {path}. Check the file's "
                                      "permissions.", path=path) from None
    except OSError as exc:
        raise DataError.from_template("The file {path} cannot be read ({reason}).", path=path,
                                      reason=exc.strerror or exc) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Spreadsheets' "Unicode text" export is UTF-16 with a byte-order mark.
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in raw[:65536]:
        # UTF-8 first: GB18030 text (what Chinese-language spreadsheets save) is almost
        # never valid UTF-8, while UTF-8 text often decodes as GB18030 into nonsense. Western
        # spreadsheets' "CSV" (Windows-1252: é as one byte) is neither; it comes last, as it
        # would decode nearly anything.
        for encoding in ("utf-8-sig", "gb18030", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise DataError.from_template("{file} does not look like a CSV text file (an Excel "
                                  "workbook or another binary file?). Save it as CSV (UTF-8) "
                                  "and pick that file.", file=path.name)


def _choose_delimiter(text: str) -> str:
    """Comma unless another of ; tab | splits the header and the first rows consistently."""
    # The first 64 KiB is plenty to judge by and keeps huge files cheap; a line cut off at
    # that point would look uneven, so it is left out.
    head = text[:65536]
    lines = head.splitlines()
    if len(head) < len(text) and len(lines) > 1:
        lines.pop()
    sample = [line for line in lines[:50] if line.strip()]
    if not sample:
        return ","
    best, best_width = ",", 1
    for delim in (",", ";", "\t", "|"):
        try:
            widths = [len(row) for row in csv.reader(sample, delimiter=delim)]
        except csv.Error:
            continue
        width = widths[0]
        # Every sampled row must be as wide as the header (a one-line file has only that).
        consistent = all(w == width for w in widths[1:]) or len(widths) == 1
        if width > best_width and consistent:
            best, best_width = delim, width
    return best


def _parse_csv(path: str | Path, header_only: bool = False) -> _CsvTable:
    path = Path(path)
    text = _read_text(path)
    if not text.strip():
        raise DataError.from_template("{file} is empty. A CSV file needs a header row of "
                                      "column names and one row per sample.", file=path.name)
    delim = _choose_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    line_after = 0  # reader.line_num counts physical lines, so a record starts one after
    try:
        for cells in reader:
            start, line_after = line_after + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines and rows of empty cells carry nothing
            if header is None:
                header = [c.strip() for c in cells]
                while header and not header[-1]:
                    header.pop()  # trailing separators a spreadsheet left behind
                _check_header(header, path.name, start)
                if header_only:
                    break
                continue
            if len(cells) > len(header) and not any(c.strip() for c in cells[len(header):]):
                cells = cells[:len(header)]  # trailing separators a spreadsheet left behind
            if len(cells) != len(header):
                if any("\n" in c or "\r" in c for c in cells):
                    # csv swallows everything after an unbalanced quote into one cell.
                    raise DataError.from_template(
                        "{file}, line {line}: a quote (\") in this row is never closed, so the "
                        "lines after it were read as one value. Close or remove the quote.",
                        file=path.name, line=start)
                raise _row_width_error(path.name, start, len(cells), len(header), delim)
            rows.append([c.strip() for c in cells])
            lines.append(start)
    except csv.Error as exc:
        raise DataError.from_template("{file}, line {line}: the CSV text is malformed "
                                      "({reason}). Check the quotes on that line.",
                                      file=path.name, line=reader.line_num, reason=exc) from None
    if header is None:  # nothing but separators
        raise DataError.from_template("{file} holds no values. A CSV file needs a header row of "
                                      "column names and one row per sample.", file=path.name)
    return _CsvTable(path.name, header, rows, lines, delim)


def _row_width_error(fname: str, line: int, values: int, columns: int, delim: str) -> DataError:
    """A row as wide as the header is not; the hint names the separator in use."""
    params = {"file": fname, "line": line, "values": values, "columns": columns}
    if delim == ";":
        return DataError.from_template(
            "{file}, line {line}: this row has {values} values but the header has {columns} "
            "columns. Give every row one value per column (look for a missing or extra "
            "semicolon).", **params)
    if delim == "\t":
        return DataError.from_template(
            "{file}, line {line}: this row has {values} values but the header has {columns} "
            "columns. Give every row one value per column (look for a missing or extra tab).",
            **params)
    if delim == "|":
        return DataError.from_template(
            "{file}, line {line}: this row has {values} values but the header has {columns} "
            "columns. Give every row one value per column (look for a missing or extra "
            "vertical bar).", **params)
    return DataError.from_template(
        "{file}, line {line}: this row has {values} values but the header has {columns} "
        "columns. Give every row one value per column (look for a missing or extra comma).",
        **params)


def _check_header(header: list[str], fname: str, line: int) -> None:
    for i, name in enumerate(header):
        if not name:
            raise DataError.from_template(
                "{file}, line {line}: column {column} has no name in the header row. Give every "
                "column a name, or delete the column (an unnamed first column is often a row "
                "number that should not be trained on).", file=fname, line=line, column=i + 1)
    numbers = [_to_float(n) for n in header]
    if all(v is not None for v in numbers):
        # Columns named 0..n-1 (or 1..n) are a common export of unnamed columns and are a
        # genuine header; any other all-number first row is data without a header.
        as_ints = [v for v in numbers if v is not None and v.is_integer()]
        counting = len(as_ints) == len(header) and (
            as_ints == list(range(len(header))) or as_ints == list(range(1, len(header) + 1)))
        if not counting:
            raise DataError.from_template("{file}: the first line holds numbers, not column "
                                          "names. Add a header row that names each column as "
                                          "the first line.", file=fname)
    duplicates = [name for name, times in Counter(header).items() if times > 1]
    if duplicates:
        names = ", ".join(repr(n) for n in duplicates)
        raise DataError.from_template("{file}: the header names {names} more than once. Give "
                                      "every column its own name.", file=fname, names=names)


def _to_float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _decimal_commas(cells: list[str]) -> list[str]:
    """'1,5' -> '1.5': semicolon-separated files usually come with decimal commas."""
    return [c.replace(",", ".") if c.count(",") == 1 and "." not in c else c for c in cells]


def read_csv_header(path: str | Path) -> list[str]:
    """The column names of a CSV file, for choosing the target column."""
    return list(_parse_csv(path, header_only=True).header)


def read_csv_table(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a CSV file as stripped text cells (blank rows left out)."""
    table = _parse_csv(path)
    return list(table.header), table.rows


def load_csv(path: str | Path, target: str = "") -> Dataset:
    """A tabular data set from a CSV file with a header row; ``target`` "" = last column."""
    table = _parse_csv(path)
    fname, header = table.name, table.header
    if not table.rows:
        raise DataError.from_template("{file} has a header row but no data rows. Add one row "
                                      "per sample below the header.", file=fname)
    if len(table.rows) < MIN_ROWS:
        raise DataError.from_template(
            "{file} has only {rows} data row; training needs at least {needed} (one to train "
            "on, one to validate with).", file=fname, rows=len(table.rows), needed=MIN_ROWS)
    if len(header) < 2:
        raise DataError.from_template(
            "{file} has only one column ({column!r}). A CSV for training needs input columns "
            "and a target column; if it uses ; or tabs between values, check that every row "
            "uses the same separator.", file=fname, column=header[0])
    target = target.strip()  # header names are stripped too
    if target:
        if target not in header:
            raise DataError.from_template(
                "{file} has no column named {target!r}. The columns are: {columns}. Choose one "
                "of them as the target.", file=fname, target=target, columns=", ".join(header))
        t_col = header.index(target)
    else:
        t_col = len(header) - 1
    f_cols = [i for i in range(len(header)) if i != t_col]
    features = [[row[i] for i in f_cols] for row in table.rows]
    if table.delimiter == ";":
        features = [_decimal_commas(r) for r in features]
    x = _numeric_features(features, [header[i] for i in f_cols], table)
    labels = [row[t_col] for row in table.rows]
    if table.delimiter == ";":
        labels = _decimal_commas(labels)
    y, task, class_names = _target(labels, header[t_col], table)
    return Dataset(name=fname, x=x, y=y, task=task, class_names=class_names,
                   feature_names=tuple(header[i] for i in f_cols))


def _numeric_features(cells: list[list[str]], names: list[str], table: _CsvTable) -> np.ndarray:
    try:
        values = np.array(cells, dtype=np.float64)
    except ValueError:
        values = None
    if values is None:
        # Slow path only to find the first bad cell in reading order, for the message.
        for row, line in zip(cells, table.lines, strict=True):
            for cell, name in zip(row, names, strict=True):
                if _to_float(cell) is None:
                    if not cell:
                        raise DataError.from_template(
                            "{file}, line {line}: column {column!r} is empty. Fill in every "
                            "input value, or delete that row.", file=table.name, line=line,
                            column=name)
                    raise DataError.from_template(
                        "{file}, line {line}: column {column!r} holds {value!r}, which is not a "
                        "number. Input columns must hold numbers: fix the value, remove the "
                        "column, or choose it as the target.", file=table.name, line=line,
                        column=name, value=cell)
        raise DataError.from_template("{file}: the input columns could not be read as numbers.",
                                      file=table.name)
    values = values.reshape(len(cells), len(names))
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        r, c = (int(v) for v in bad[0])
        raise DataError.from_template(
            "{file}, line {line}: column {column!r} holds {value!r}, a missing or infinite "
            "value. Fill in a real number, or delete that row.", file=table.name,
            line=table.lines[r], column=names[c], value=cells[r][c])
    bad = np.argwhere(np.abs(values) > _FLOAT32_MAX)
    if len(bad):
        r, c = (int(v) for v in bad[0])
        raise DataError.from_template(
            "{file}, line {line}: column {column!r} holds {value!r}, which is too large to "
            "train with. Rescale that column.", file=table.name, line=table.lines[r],
            column=names[c], value=cells[r][c])
    return values.astype(np.float32)


def _target(labels: list[str], column: str, table: _CsvTable
            ) -> tuple[np.ndarray, str, tuple[str, ...]]:
    """Targets as class indices (with names) or as float32 regression values."""
    for label, line in zip(labels, table.lines, strict=True):
        if not label:
            raise DataError.from_template(
                "{file}, line {line}: the target column {column!r} is empty. Give every row a "
                "target value, or delete that row.", file=table.name, line=line, column=column)
    numbers = [_to_float(s) for s in labels]
    if all(v is not None for v in numbers):
        values = np.array(numbers, dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):
            r = int(bad[0])
            raise DataError.from_template(
                "{file}, line {line}: the target column {column!r} holds {value!r}, a missing "
                "or infinite value. Fill in a real value, or delete that row.",
                file=table.name, line=table.lines[r], column=column, value=labels[r])
        distinct = np.unique(values)
        whole = bool(np.all(values == np.round(values)))
        if not whole or len(distinct) > MAX_NUMERIC_CLASSES:
            if np.any(np.abs(values) > _FLOAT32_MAX):
                raise DataError.from_template(
                    "{file}: the target column {column!r} holds values too large to train with. "
                    "Rescale that column.", file=table.name, column=column)
            return values.astype(np.float32), REGRESSION, ()
        classes = [f"{v:.0f}" for v in distinct]
        y = np.searchsorted(distinct, values).astype(np.int64)
    else:
        # Text labels sort as text; numbers mixed in among them sort first, numerically.
        def order(label: str) -> tuple[int, float, str]:
            v = _to_float(label)
            return (0, v, "") if v is not None and math.isfinite(v) else (1, 0.0, label)

        classes = sorted(set(labels), key=order)
        index = {label: i for i, label in enumerate(classes)}
        y = np.array([index[label] for label in labels], dtype=np.int64)
    if len(classes) < 2:
        raise DataError.from_template(
            "{file}: the target column {column!r} holds only one class ({label!r}). A "
            "classifier needs at least two classes; check the target column.",
            file=table.name, column=column, label=classes[0])
    if len(classes) == len(labels) > MAX_NUMERIC_CLASSES:
        # In a file this long, a label that never repeats is a name or an ID; tiny
        # hand-written files may legitimately have one row per class.
        raise DataError.from_template(
            "{file}: every row has its own value in the target column {column!r}, so it looks "
            "like a name or ID column, not a label. Choose another target column.",
            file=table.name, column=column)
    return y, CLASSIFICATION, tuple(classes)


# -- image folders ------------------------------------------------------------------------

class BadImagesError(DataError):
    """Some files in an image folder cannot be read; ``bad`` has one message per file.

    Loading again with ``skip_bad=True`` leaves exactly those files out, so a window can offer
    "skip these files" after showing the list.
    """

    def __init__(self, message: str, bad: tuple[str, ...], files: tuple[str, ...], *,
                 template: str = "", params: dict[str, Any] | None = None,
                 errors: tuple[DataError, ...] = ()) -> None:
        super().__init__(message, template=template, params=params)
        self.bad = bad  # one message per file, naming it and the problem
        self.files = files  # the same files as "class/name"
        self.errors = errors  # the errors behind ``bad``, which a window may translate

    @classmethod
    def from_files(cls, bad: list[DataError], files: list[str], template: str, /,
                   **params: Any) -> BadImagesError:
        """The error for the unreadable ``files`` (``bad``: why each one), told by ``template``."""
        return cls(template.format(**params), tuple(str(e) for e in bad), tuple(files),
                   template=template, params=params, errors=tuple(bad))


# How many unreadable files an error message lists by name before it only counts the rest.
_LISTED_BAD_FILES = 5


def load_image_folder(folder: str | Path, size: int = 28, grayscale: bool = True, *,
                      skip_bad: bool = False) -> Dataset:
    """Images in one sub-folder per class, resized to ``size`` x ``size`` and scaled to 0..1.

    Class names are the sub-folder names in sorted order. Hidden files, and the files file
    managers leave behind, are skipped; anything else that is not an image is an error
    (``BadImagesError``, naming every such file), so nothing is left out of training silently.
    With ``skip_bad=True`` those files are left out instead and named in the returned data
    set's ``skipped``; a class left with no readable image is still an error. Files in deeper
    sub-folders are not read.
    """
    root = Path(folder)
    if not root.exists():
        raise DataError.from_template("The image folder {folder} does not exist. Pick the "
                                      "folder again.", folder=root)
    if not root.is_dir():
        raise DataError.from_template("{folder} is a file, not a folder. Pick a folder that "
                                      "holds one sub-folder of images per class.", folder=root)
    try:
        class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not _hidden(p))
    except OSError as exc:
        raise DataError.from_template("The folder {folder} cannot be read ({reason}).",
                                      folder=root, reason=exc.strerror or exc) from None
    if len(class_dirs) == 1:
        raise DataError.from_template(
            "The image folder {folder} needs one sub-folder per class, at least two (found only "
            "{found!r}). Put each class's images in a folder named after the class.",
            folder=root, found=class_dirs[0].name)
    if not class_dirs:
        raise DataError.from_template(
            "The image folder {folder} needs one sub-folder per class, at least two (found "
            "none). Put each class's images in a folder named after the class.", folder=root)
    if size < 1:
        raise DataError.from_template("The image size must be at least 1 pixel, not {size}.",
                                      size=size)
    mode = "L" if grayscale else "RGB"
    images: list[np.ndarray] = []
    labels: list[int] = []
    bad: list[str] = []
    bad_files: list[str] = []
    empty_after_skip: list[str] = []
    for k, class_dir in enumerate(class_dirs):
        try:
            files = sorted(p for p in class_dir.iterdir() if p.is_file() and not _hidden(p)
                           and p.name.lower() not in _CLUTTER)
        except OSError as exc:
            raise DataError.from_template("The folder {folder} cannot be read ({reason}).",
                                          folder=class_dir, reason=exc.strerror or exc) from None
        if not files:
            raise DataError.from_template("The class folder {folder} holds no images. Add "
                                          "images to it, or remove the folder.",
                                          folder=class_dir)
        readable = 0
        for file in files:
            try:
                images.append(_read_image(file, size, mode))
            except DataError as exc:
                # Keep going: the person gets the whole list at once, not one file per try.
                bad.append(exc)
                bad_files.append(f"{class_dir.name}/{file.name}")
                continue
            labels.append(k)
            readable += 1
        if readable == 0:
            empty_after_skip.append(class_dir.name)
    if bad and not skip_bad:
        raise _bad_images_error(bad, bad_files)
    if empty_after_skip:
        names = ", ".join(repr(n) for n in empty_after_skip)
        raise BadImagesError.from_files(
            bad, bad_files, "In {folder}, no image of class {names} can be read, so there is "
            "nothing to train that class on. Replace those files with PNG or JPEG images, or "
            "remove the folder.", folder=root, names=names)
    x = np.stack(images)
    return Dataset(name=root.resolve().name or str(root), x=x,
                   y=np.array(labels, dtype=np.int64), task=CLASSIFICATION,
                   class_names=tuple(d.name for d in class_dirs), skipped=tuple(bad_files))


def _bad_images_error(bad: list[DataError], names: list[str]) -> BadImagesError:
    """The first problem in full (it says what to do), then the other files by name."""
    if len(bad) == 1:
        return BadImagesError.from_files(bad, names, bad[0].template, **bad[0].params)
    rest = names[1:]
    listed = ", ".join(rest[:_LISTED_BAD_FILES])
    if len(rest) > _LISTED_BAD_FILES:
        return BadImagesError.from_files(
            bad, names, "{first} {count} more file(s) cannot be read either: {listed} and "
            "{more} more. Fix or remove them, or choose to skip the files that cannot be read.",
            first=bad[0], count=len(rest), listed=listed, more=len(rest) - _LISTED_BAD_FILES)
    return BadImagesError.from_files(
        bad, names, "{first} {count} more file(s) cannot be read either: {listed}. Fix or remove "
        "them, or choose to skip the files that cannot be read.", first=bad[0], count=len(rest),
        listed=listed)


def _hidden(path: Path) -> bool:
    return path.name.startswith(".")


def _read_image(file: Path, size: int, mode: str) -> np.ndarray:
    """One image as float32 (C, size, size) in 0..1; every failure is a DataError naming it."""
    where = f"{file.parent.name}/{file.name}"
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that (above, it refuses);
            # a file that large is refused either way. Both checks read the size from the
            # header, before any pixel is decoded.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as im:
                im.load()
                pixels = _to_mode(im, mode)
                pixels = pixels.resize((size, size), Image.Resampling.BILINEAR)
                arr = np.asarray(pixels, dtype=np.float32)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DataError.from_template(
            "The image {file} is too large to be read safely (more than {limit:,} pixels). "
            "Shrink it, or remove it from the folder.", file=where,
            limit=Image.MAX_IMAGE_PIXELS) from None
    except Image.UnidentifiedImageError:
        raise DataError.from_template("{file} is not an image Workbench can read. Remove it from "
                                      "the class folder, or save it as PNG or JPEG.",
                                      file=where) from None
    except PermissionError:
        raise DataError.from_template("Workbench may not read the image {file}. Check the "
                                      "file's permissions, or remove it from the folder.",
                                      file=where) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        # Pillow reports truncated and corrupt files as OSError (sometimes SyntaxError,
        # ValueError or EOFError, depending on the format and where the damage is).
        raise DataError.from_template("The image {file} is damaged or incomplete ({reason}). "
                                      "Remove or replace it.", file=where, reason=exc) from None
    arr = arr / 255.0
    return arr[None, :, :] if arr.ndim == 2 else np.ascontiguousarray(arr.transpose(2, 0, 1))


def _to_mode(im: Image.Image, mode: str) -> Image.Image:
    """Convert to "L" or "RGB"; transparency over white, 16-bit grey scaled down, not clipped."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float32)
        peak = float(arr.max(initial=0.0))
        # 16-bit files use 0..65535; floating-point ones are usually 0..1.
        top = 65535.0 if peak > 255 else (1.0 if im.mode == "F" and peak <= 1 else 255.0)
        grey = Image.fromarray(np.clip(arr / top * 255.0, 0, 255).astype(np.uint8))
        return grey.convert(mode)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert(mode)
    return im.convert(mode)


# -- split and normalisation --------------------------------------------------------------

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
        _, inverse = np.unique(y, return_inverse=True)
        inverse = inverse.reshape(-1)
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
    return np.flatnonzero(~in_val).astype(np.int64), np.flatnonzero(in_val).astype(np.int64)


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


def prepare(cfg: DataConfig, seed: int, dataset: Dataset | None = None) -> PreparedData:
    """Load (unless given), split, compute statistics on the training split, normalise all.

    Regression targets are left as they are.
    """
    ds = dataset if dataset is not None else load_dataset(cfg, seed)
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
    return PreparedData(
        name=ds.name, task=ds.task, class_names=tuple(ds.class_names),
        feature_names=tuple(ds.feature_names), input_shape=ds.input_shape,
        x_train=normalize(x_train, mean, std), y_train=y[train],
        x_val=normalize(x_val, mean, std), y_val=y[val], mean=mean, std=std,
        train_counts=class_counts(y[train], n_classes),
        val_counts=class_counts(y[val], n_classes))


# -- per-epoch sampling -------------------------------------------------------------------

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
