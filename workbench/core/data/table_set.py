"""A training set from a person's table: read, roles, target, split, fitted preprocessing.

The split is made here, before anything is fitted, with the same ``split_indices`` (and the same
seed and settings) that ``prepare`` uses afterwards, so medians, categories and date parts come
from exactly the training rows the run trains on.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from workbench.config import DataConfig, Task
from workbench.core.data.split import split_indices
from workbench.core.data.tables import (
    MAX_NUMERIC_CLASSES,
    NA_TOKENS,
    ColumnInfo,
    Role,
    RoleOverrides,
    Table,
    as_text,
    code_dtype,
    describe_columns,
    missing_mask,
    read_table,
)
from workbench.core.data.types import CLASSIFICATION, MIN_ROWS, REGRESSION, Dataset, TableInfo
from workbench.errors import DataError

if TYPE_CHECKING:
    from workbench.core.modelfile import TrainedModel

# A column that predicts the target this well on its own while counting rows is suspect.
_SUSPECT_CORRELATION = 0.5


def overrides_of(cfg: DataConfig) -> RoleOverrides:
    return RoleOverrides(tuple(cfg.categorical), tuple(cfg.numeric), tuple(cfg.dates),
                         tuple(cfg.ignore))


def na_values_of(cfg: DataConfig) -> tuple[str, ...]:
    return tuple(cfg.na_values) if cfg.na_values else NA_TOKENS


def read_for(cfg: DataConfig, path: str = "") -> Table:
    return read_table(path or cfg.csv_path, sheet=cfg.sheet, na_values=na_values_of(cfg))


def target_name(table: Table, target: str) -> str:
    target = target.strip()
    if not target:
        if len(table.names) < 2:
            raise DataError.from_template(
                "{file} has only one column ({column!r}). A CSV for training needs input "
                "columns and a target column; if it uses ; or tabs between values, check that "
                "every row uses the same separator.", file=table.name, column=table.names[0])
        return table.names[-1]
    if target not in table.columns:
        raise DataError.from_template(
            "{file} has no column named {target!r}. The columns are: {columns}. Choose one of "
            "them as the target.", file=table.name, target=target,
            columns=", ".join(table.names))
    return target


def load_table_dataset(cfg: DataConfig, seed: int, table: Table | None = None) -> Dataset:
    """Read ``cfg.csv_path`` and build the data set with its fitted preprocessing."""
    from workbench.core import preprocess

    table = table if table is not None else read_for(cfg)
    if table.n_rows == 0:
        raise DataError.from_template("{file} has a header row but no data rows. Add one row "
                                      "per sample below the header.", file=table.name)
    target = target_name(table, cfg.target)
    infos = describe_columns(table, target, overrides_of(cfg))
    keep = ~table.missing(target)
    dropped = int((~keep).sum())
    if dropped:
        table = table.take(np.flatnonzero(keep))
    if table.n_rows < MIN_ROWS:
        raise DataError.from_template(
            "{file} has only {rows} data row with a target value; training needs at least "
            "{needed} (one to train on, one to validate with).", file=table.name,
            rows=table.n_rows, needed=MIN_ROWS)
    y, task, classes, reason = _target(table, target, cfg.task)
    train, _ = split_indices(y, task, cfg.val_split, seed, cfg.shuffle)
    roles = {info.name: info.role for info in infos}
    pre = preprocess.fit(table, roles, train, na_values_of(cfg))
    warnings = tuple(_warnings(table, infos, y, task))
    info = TableInfo(table.name, table.n_rows + dropped, tuple(infos), task, reason, dropped,
                     table.encoding, table.separator, table.decimal, warnings)
    # While the input matrix is written only the columns it is made of stay in memory.
    del keep, train
    table = table.select(pre.raw_columns)
    name = table.name
    x, _ = pre.transform(table, release=True)
    return Dataset(name=name, x=x, y=y, task=task, class_names=classes,
                   feature_names=pre.feature_names, preprocess=pre, table_info=info)


def _target(table: Table, column: str, task: Task
            ) -> tuple[np.ndarray, str, tuple[str, ...], str]:
    """Targets as class indices with names, or float32 values; and why that task."""
    import pandas as pd

    fname = table.name
    if table.kind(column) == "number":
        values = table.columns[column]
        distinct = pd.unique(values)  # no missing values are left here
        whole = bool(np.all(distinct == np.round(distinct)))
        if task == Task.REGRESSION or (task == Task.AUTO and not (
                whole and len(distinct) <= MAX_NUMERIC_CLASSES)):
            if np.any(np.abs(values) > 3.4e38):
                raise DataError.from_template(
                    "{file}: the target column {column!r} holds values too large to train "
                    "with. Rescale that column.", file=fname, column=column)
            reason = "chosen by you" if task == Task.REGRESSION else "numbers"
            return values.astype(np.float32), REGRESSION, (), reason
        reason = "chosen by you" if task == Task.CLASSIFICATION else (
            "few whole numbers (at most 10 different)")
    else:
        if task == Task.REGRESSION:
            texts = table.distinct(column)
            raise DataError.from_template(
                "{file}: the target column {column!r} holds text such as {value!r}, so it "
                "cannot be predicted as a number. Choose classification, or another target.",
                file=fname, column=column, value=str(texts[0])[:40] if texts else "")
        reason = "chosen by you" if task == Task.CLASSIFICATION else "text labels"
    codes, labels = table.factorized(column)  # no missing values are left here
    classes = sorted(labels, key=_label_order)
    if len(classes) < 2:
        raise DataError.from_template(
            "{file}: the target column {column!r} holds only one class ({label!r}). A "
            "classifier needs at least two classes; check the target column.", file=fname,
            column=column, label=classes[0])
    if len(classes) == len(codes) > 20:
        raise DataError.from_template(
            "{file}: every row has its own value in the target column {column!r}, so it looks "
            "like a name or ID column, not a label. Choose another target column.",
            file=fname, column=column)
    index = {label: i for i, label in enumerate(classes)}
    # The smallest integer type until the split (prepare) widens them.
    y = np.array([index[label] for label in labels], dtype=code_dtype(len(classes)))[codes]
    return y, CLASSIFICATION, tuple(classes), reason


def _label_order(label: str) -> tuple[int, float, str]:
    try:
        v = float(label)
    except ValueError:
        return (1, 0.0, label)
    return (0, v, "") if math.isfinite(v) else (1, 0.0, label)


def _warnings(table: Table, infos: list[ColumnInfo], y: np.ndarray, task: str) -> list[str]:
    """Columns left in that count rows and follow the target: they predict without meaning."""
    out = []
    for info in infos:
        if info.role != Role.NUMERIC or table.kind(info.name) != "number":
            continue
        values = table.columns[info.name]
        # A row counter: n different whole numbers from the smallest to the largest. The
        # cheap tests first; the distinct count (a sort) only for what passes them.
        if len(values) < 10 or np.isnan(values).any() \
                or values.max() - values.min() != len(values) - 1 \
                or not np.all(values == np.round(values)) \
                or len(np.unique(values)) != len(values):
            continue
        rho = _spearman(values, y.astype(np.float64))
        if abs(rho) >= _SUSPECT_CORRELATION:
            out.append(f"Column {info.name!r} counts rows and follows the target (rank "
                       f"correlation {rho:+.2f}): it would predict well here and not on new "
                       "data. Leave it out (role: ignored) unless it really means something.")
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = np.argsort(np.argsort(a)).astype(np.float64)
    rb = _ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return 0.0
    return float(np.corrcoef(ra, rb)[0, 1])


def _ranks(v: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean of their positions)."""
    order = np.argsort(v, kind="stable")
    ranks = np.empty(len(v), dtype=np.float64)
    ranks[order] = np.arange(len(v), dtype=np.float64)
    _, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=ranks)
    return (sums / counts)[inverse]


def dataset_for_model(model: TrainedModel, table: Table, target: str = "") -> Dataset:
    """A table's rows prepared with a trained model's own preprocessing (for evaluation).

    Nothing is fitted: the model's medians, categories and date parts are applied; the target
    column's labels must be among the model's classes.
    """
    pre = model.preprocess
    if pre is None:
        raise DataError.from_template("This model was not trained on a table; predicting from "
                                      "a table file needs one that was.")
    target = target_name(table, target or model.config.data.target)
    values = table.columns[target]
    keep = ~missing_mask(values)
    if not keep.all():
        table = table.take(np.flatnonzero(keep))
        values = table.columns[target]
    if model.task == CLASSIFICATION:
        index = {name: i for i, name in enumerate(model.class_names)}
        labels = [as_text(float(v)) if isinstance(v, float) else str(v) for v in values]
        unknown = sorted({label for label in labels if label not in index})
        if unknown:
            raise DataError.from_template(
                "{file}: the target column {column!r} holds {labels}, which the model does not "
                "know. Its classes are: {classes}.", file=table.name, column=target,
                labels=", ".join(repr(u) for u in unknown[:5]),
                classes=", ".join(model.class_names[:20]))
        y = np.fromiter((index[label] for label in labels), dtype=np.int64, count=len(labels))
    else:
        if values.dtype.kind != "f":
            raise DataError.from_template(
                "{file}: the target column {column!r} holds text, but this model predicts a "
                "number. Choose the column the model was trained to predict.", file=table.name,
                column=target)
        y = values.astype(np.float32)
    x, _ = pre.transform(table)
    return Dataset(name=table.name, x=x, y=y, task=model.task, class_names=model.class_names,
                   feature_names=pre.feature_names, preprocess=pre)
