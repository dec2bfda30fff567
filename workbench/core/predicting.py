"""Predicting a table file: raw rows in, a CSV of predictions out.

``workbench predict`` and the window's "Predict CSV..." share these rules and messages, so a
file that works on the command line works in the window. The file is read by the same reader
as training. A model trained on a table takes the raw rows: columns are matched by name (extra
columns are fine, a missing one is an error naming it), and its fitted preprocessing fills
missing values and takes a category it never saw as "(other)". Older models (trained on plain
numbers) match their input columns by name, else by position when the count agrees.

The identifier columns of the training table that the file has are copied into the output, so
rows can be matched; every cell that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from workbench.errors import DataError

if TYPE_CHECKING:
    from workbench.core.data.tables import Table
    from workbench.core.modelfile import Prediction, TrainedModel

# Cells starting with these are run as formulas by spreadsheets (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class TablePrediction:
    """Predictions for the usable rows of a file, and what happened to the others."""

    prediction: Prediction
    rows: np.ndarray  # 0-based data rows predicted (all of them unless some were skipped)
    skipped: list[int] = field(default_factory=list)  # 0-based data rows left out
    unseen: dict[str, int] = field(default_factory=dict)  # column -> values taken as (other)
    missing: dict[str, int] = field(default_factory=dict)  # column -> cells filled in
    passthrough: dict[str, list[str]] = field(default_factory=dict)  # id columns, per row


def read_table_for(model: TrainedModel, path: str | Path, sheet: str = "") -> Table:
    from workbench.core.data.tables import read_table

    if len(model.input_shape) != 1:
        raise DataError.from_template("This model takes images; predicting from a CSV file "
                                      "needs a model trained on a table of numbers.")
    na = model.preprocess.na_values if model.preprocess is not None else None
    return read_table(path, sheet=sheet, na_values=na)


def predict_table(model: TrainedModel, table: Table, *, skip_bad: bool = False
                  ) -> TablePrediction:
    """Predict every row of ``table``; ``skip_bad`` leaves out rows with unusable cells."""
    from workbench.core import preprocess as pp

    n = table.n_rows
    skipped: list[int] = []
    if model.preprocess is not None:
        pre = model.preprocess
        if skip_bad:
            pre.transform(table.take(np.zeros(0, dtype=np.int64)))  # a missing column still stops
            skipped = pp.bad_rows(pre, table)
        rows = np.setdiff1d(np.arange(n, dtype=np.int64), np.array(skipped, dtype=np.int64))
        x, report = pre.transform(table, rows=rows if skipped else None)
        unseen, missing = dict(report.unseen), dict(report.missing)
        ids = [c for c in pre.identifiers if c in table.columns]
    else:
        x, bad = _plain_inputs(model, table, skip_bad)
        skipped = bad
        rows = np.setdiff1d(np.arange(n, dtype=np.int64), np.array(bad, dtype=np.int64))
        x = x[rows]
        unseen, missing, ids = {}, {}, []
    passthrough = {c: _cells(table.columns[c][rows]) for c in ids}
    return TablePrediction(model.predict(x), rows, skipped, unseen, missing, passthrough)


def _cells(values: np.ndarray) -> list[str]:
    """A column as the texts to write back: whole numbers without ".0", "" where missing."""
    from workbench.core.data.tables import as_text

    if values.dtype.kind == "f":
        finite = np.isfinite(values)
        if finite.all() and np.all(values == np.round(values)) and np.all(np.abs(values) < 2**53):
            return values.astype(np.int64).astype(str).tolist()
    return ["" if (t := as_text(v)) is None else t for v in values]


def _plain_inputs(model: TrainedModel, table: Table, skip_bad: bool
                  ) -> tuple[np.ndarray, list[int]]:
    """Inputs of a model without table preprocessing: numeric columns by name or position."""
    from workbench.core.preprocess import _numbers

    header = table.names
    features = list(model.feature_names)
    n = model.input_shape[0]
    target = model.config.data.target
    if features and all(f in header for f in features):
        cols = features
    else:
        usable = [h for h in header if not (target and h == target)]
        if len(usable) != n:
            raise _column_count_error(table.name, len(usable), n, features, header)
        cols = usable
    x = np.empty((table.n_rows, n), dtype=np.float32)
    bad: list[int] = []
    for j, c in enumerate(cols):
        numbers = _numbers(table.columns[c], c, table.name, skip=bad if skip_bad else None)
        gaps = np.flatnonzero(np.isnan(numbers))
        if len(gaps) and not skip_bad:
            raise DataError.from_template(
                "{file}, row {row}, column {column!r}: the value is missing. This model was "
                "trained without missing values: fill it in, or skip such rows.",
                file=table.name, row=int(gaps[0]) + 2, column=c)
        bad.extend(int(g) for g in gaps)
        x[:, j] = np.nan_to_num(numbers)
    return x, sorted(set(bad))


def _column_count_error(fname: str, found: int, needed: int, features: list[str],
                        header: list[str]) -> DataError:
    """Too many or too few input columns; names the columns the model was trained on."""
    params = {"file": fname, "found": found, "needed": needed}
    if not features:
        return DataError.from_template(
            "{file} has {found} input columns but the model needs {needed}. Give the columns in "
            "training order.", **params)
    missing = [f for f in features if f not in header]
    if missing:
        return DataError.from_template(
            "{file} has {found} input columns but the model needs {needed} (missing columns: "
            "{missing}). Give the columns {columns}.", missing=", ".join(missing[:8]),
            columns=", ".join(features), **params)
    return DataError.from_template(
        "{file} has {found} input columns but the model needs {needed}. Give the columns "
        "{columns}.", columns=", ".join(features), **params)


def safe_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: formula starters get a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def predictions_csv(model: TrainedModel, result: TablePrediction | Prediction) -> str:
    """The predictions as CSV text: id columns, the prediction, class probabilities."""
    import pandas as pd

    from workbench.core.modelfile import Prediction

    if isinstance(result, Prediction):
        result = TablePrediction(result, np.arange(len(result.names)))
    prediction = result.prediction
    columns: dict[str, object] = {safe_cell(c): _safe_column(v)
                                  for c, v in result.passthrough.items()}
    columns["prediction"] = _safe_column(prediction.names)
    if prediction.proba is not None:
        for k, name in enumerate(model.class_names):
            columns[safe_cell(f"p_{name}")] = prediction.proba[:, k]
    frame = pd.DataFrame(columns)
    # Full float32 precision (9 significant digits), written by pandas' C writer.
    return frame.to_csv(index=False, float_format="%.9g", lineterminator="\n")


def _safe_column(texts: list[str]) -> np.ndarray:
    """Every cell through ``safe_cell``, each distinct text once."""
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(texts, dtype=object))
    safe = np.array([safe_cell(str(u)) for u in uniques] + [""], dtype=object)
    return safe[codes]


def read_inputs(model: TrainedModel, path: str | Path) -> np.ndarray:
    """The network inputs (before normalisation) of every row of a table file."""
    table = read_table_for(model, path)
    if model.preprocess is not None:
        return model.preprocess.transform(table)[0]
    return _plain_inputs(model, table, skip_bad=False)[0]


def predict_csv_file(model: TrainedModel, source: str | Path, target: str | Path, *,
                     skip_bad: bool = False, sheet: str = "") -> TablePrediction:
    """Predict every row of ``source``; write ``target`` atomically."""
    from workbench.atomic import atomic_write_bytes

    result = predict_table(model, read_table_for(model, source, sheet), skip_bad=skip_bad)
    atomic_write_bytes(Path(target), predictions_csv(model, result).encode("utf-8"))
    return result
