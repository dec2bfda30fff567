"""Data sets: built-in and bundled sets, people's tables and image folders, the split.

One module per source — ``synthetic`` (generated 2-D sets), ``bundled`` (scikit-learn's),
``tables`` (the CSV/Excel reader and column roles) with ``table_set`` (a training set from a
table), ``images`` (class folders), ``drawn`` (points painted in the window) — and ``split`` for the train/validation split,
normalisation and per-epoch sampling. ``load_dataset`` picks the source a ``DataConfig`` names.

Every problem a person can fix is raised as ``DataError`` with a message that names the file,
row, column or folder and says what to do; nothing here prints a traceback at anyone.
"""

from __future__ import annotations

from pathlib import Path

from workbench.config import (
    BUNDLED_DATASETS,
    DATASETS,
    DRAW_DATASET,
    SYNTHETIC_DATASETS,
    DataConfig,
)
from workbench.core.data.bundled import load_bundled
from workbench.core.data.drawn import load_drawn, prepare_drawn
from workbench.core.data.images import BadImagesError, load_image_folder
from workbench.core.data.split import (
    EpochSampler,
    class_counts,
    compute_stats,
    normalize,
    split_indices,
)
from workbench.core.data.split import prepare as _prepare_split
from workbench.core.data.synthetic import load_synthetic
from workbench.core.data.table_set import load_table_dataset
from workbench.core.data.tables import read_header, read_table
from workbench.core.data.types import (
    CLASSIFICATION,
    GENERIC_CLASS_NAME,
    MIN_ROWS,
    MIN_STD,
    REGRESSION,
    Dataset,
    PreparedData,
    TableInfo,
)
from workbench.errors import DataError

__all__ = [
    "CLASSIFICATION",
    "GENERIC_CLASS_NAME",
    "MIN_ROWS",
    "MIN_STD",
    "REGRESSION",
    "BadImagesError",
    "Dataset",
    "EpochSampler",
    "PreparedData",
    "TableInfo",
    "class_counts",
    "compute_stats",
    "load_csv",
    "load_dataset",
    "load_image_folder",
    "normalize",
    "prepare",
    "read_csv_header",
    "read_header",
    "read_table",
    "split_indices",
]


def load_dataset(cfg: DataConfig, seed: int, *, skip_bad: bool = False) -> Dataset:
    """Load the data set ``cfg`` names; synthetic sets are generated from ``seed``.

    ``skip_bad``: for image folders, leave out files that cannot be read instead of failing
    (see ``load_image_folder``); other sources ignore it.
    """
    name = cfg.dataset
    if name in SYNTHETIC_DATASETS:
        return load_synthetic(cfg, seed)
    if name in BUNDLED_DATASETS:
        return load_bundled(name)
    if name == "csv":
        if not cfg.csv_path:
            raise DataError.from_template("No CSV file is chosen: pick the CSV file to train "
                                          "on.")
        return load_table_dataset(cfg, seed)
    if name == DRAW_DATASET:
        return load_drawn(cfg)
    if name == "images":
        if not cfg.image_dir:
            raise DataError.from_template("No image folder is chosen: pick a folder with one "
                                          "sub-folder per class.")
        return load_image_folder(cfg.image_dir, cfg.image_size, cfg.grayscale, skip_bad=skip_bad)
    raise DataError.from_template("There is no data set called {name!r}. Choose one of: "
                                  "{names}.", name=name, names=", ".join(DATASETS))


def prepare(cfg: DataConfig, seed: int, dataset: Dataset | None = None) -> PreparedData:
    """Load (unless given), split and normalise (``split.prepare``); a drawing keeps its own
    stable split (``drawn.prepare_drawn``), so painting a point moves no other."""
    if cfg.dataset == DRAW_DATASET:
        return prepare_drawn(cfg, dataset)
    return _prepare_split(cfg, seed, dataset if dataset is not None else load_dataset(cfg, seed))


def load_csv(path: str | Path, target: str = "", **settings: object) -> Dataset:
    """A data set from a table file with the default roles (``settings``: DataConfig fields)."""
    cfg = DataConfig(dataset="csv", csv_path=str(path), target=target, **settings)  # type: ignore[arg-type]
    return load_table_dataset(cfg, 0)


def read_csv_header(path: str | Path) -> list[str]:
    """The column names of a table file, for choosing the target column."""
    return read_header(path)
