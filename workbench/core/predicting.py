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
        raise DataError("This model takes images; predicting from a CSV file needs a model "
                        "trained on a table of numbers.")
    header, rows = read_csv_table(path)
    features = list(model.feature_names)
    n = model.input_shape[0]
    target = model.config.data.target
    if features and all(f in header for f in features):
        cols = [header.index(f) for f in features]
    else:
        usable = [i for i, h in enumerate(header) if not (target and h == target)]
        if len(usable) != n:
            missing = [f for f in features if f not in header]
            hint = f" (missing columns: {', '.join(missing[:8])})" if missing else ""
            raise DataError(f"{Path(path).name} has {len(usable)} input columns but the model "
                            f"needs {n}{hint}. Give the columns "
                            f"{', '.join(features) or 'in training order'}.")
        cols = usable
    x = np.empty((len(rows), n), dtype=np.float32)
    for r, row in enumerate(rows):
        for j, c in enumerate(cols):
            cell = row[c].strip() if c < len(row) else ""
            try:
                value = float(cell)
            except ValueError:
                raise DataError(f"{Path(path).name}, row {r + 2}, column {header[c]!r}: {cell!r} "
                                "is not a number. Fix or remove that row.") from None
            if not math.isfinite(value):
                raise DataError(f"{Path(path).name}, row {r + 2}, column {header[c]!r}: {cell!r} "
                                "is not a finite number. Fix or remove that row.")
            x[r, j] = value
    return x


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
