"""What every data source produces: a whole ``Dataset`` and a split, normalised ``PreparedData``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from workbench.core.data.tables import ColumnInfo
    from workbench.core.preprocess import TablePreprocessor

CLASSIFICATION = "classification"
REGRESSION = "regression"

# One row to train on and one to validate with; anything less cannot be a training run.
MIN_ROWS = 2
# Constant features and pixels have std 0; dividing by it would turn them into NaN.
MIN_STD = 1e-8

# The names of the classes of the synthetic sets; a window may show them translated.
GENERIC_CLASS_NAME = "class {i}"


@dataclass(frozen=True)
class TableInfo:
    """What was read and inferred from a table file, for ``train`` and the window to show."""

    file: str
    rows: int  # data rows read
    columns: tuple[ColumnInfo, ...]
    task: str
    task_reason: str  # why this task ("text labels", "few whole numbers", "chosen by you", ...)
    dropped_rows: int = 0  # rows left out because their target was missing
    encoding: str = ""
    separator: str = ""
    decimal: str = "."
    warnings: tuple[str, ...] = ()


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
    # Tables: the fitted preprocessing (raw columns -> the inputs in ``x``) and what was
    # inferred about the file's columns and rows, for people to see. None for other sources.
    preprocess: TablePreprocessor | None = None
    table_info: TableInfo | None = None

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
    # Regression: the network learns (y - target_mean) / target_std, from the training split;
    # predictions are turned back into the target's own units. 0 and 1 for classification.
    target_mean: float = 0.0
    target_std: float = 1.0
    preprocess: TablePreprocessor | None = None
    table_info: TableInfo | None = None

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
