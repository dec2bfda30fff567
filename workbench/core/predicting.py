"""Predicting a CSV file: a table of raw inputs in, a CSV of predictions out.

``workbench predict`` and the window's "Predict CSV..." share these rules and messages, so a
file that works on the command line works in the window. Input columns are matched by the
model's feature names when the header has them all, else by position when the count matches
(a target column present in the input is ignored).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from workbench.errors import DataError

if TYPE_CHECKING:
    from workbench.core.modelfile import Prediction, TrainedModel


def read_inputs(model: TrainedModel, path: str | Path) -> np.ndarray:
    """The model's input columns of a CSV file as float32 rows (DataError for people)."""
    from workbench.core.data import read_csv_table

    if len(model.input_shape) != 1:
        raise DataError.from_template("This model takes images; predicting from a CSV file "
                                      "needs a model trained on a table of numbers.")
    header, rows = read_csv_table(path)
    features = list(model.feature_names)
    n = model.input_shape[0]
    target = model.config.data.target
    if features and all(f in header for f in features):
        cols = [header.index(f) for f in features]
    else:
        usable = [i for i, h in enumerate(header) if not (target and h == target)]
        if len(usable) != n:
            raise _column_count_error(Path(path).name, len(usable), n, features, header)
        cols = usable
    x = np.empty((len(rows), n), dtype=np.float32)
    for r, row in enumerate(rows):
        for j, c in enumerate(cols):
            cell = row[c].strip() if c < len(row) else ""
            try:
                value = float(cell)
            except ValueError:
                raise DataError.from_template(
                    "{file}, row {row}, column {column!r}: {value!r} is not a number. Fix or "
                    "remove that row.", file=Path(path).name, row=r + 2, column=header[c],
                    value=cell) from None
            if not math.isfinite(value):
                raise DataError.from_template(
                    "{file}, row {row}, column {column!r}: {value!r} is not a finite number. "
                    "Fix or remove that row.", file=Path(path).name, row=r + 2,
                    column=header[c], value=cell)
            x[r, j] = value
    return x


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


def predictions_csv(model: TrainedModel, prediction: Prediction) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    head = ["prediction"]
    if prediction.proba is not None:
        head += [f"p_{c}" for c in model.class_names]
    writer.writerow(head)
    for k in range(len(prediction.names)):
        row = [prediction.names[k]]
        if prediction.proba is not None:
            row += [f"{p:.6f}" for p in prediction.proba[k]]
        writer.writerow(row)
    return buf.getvalue()


def predict_csv_file(model: TrainedModel, source: str | Path, target: str | Path) -> int:
    """Predict every row of ``source``; write ``target`` atomically; return the row count."""
    from workbench.atomic import atomic_write_bytes

    x = read_inputs(model, source)
    prediction = model.predict(x)
    atomic_write_bytes(Path(target), predictions_csv(model, prediction).encode("utf-8"))
    return len(x)
