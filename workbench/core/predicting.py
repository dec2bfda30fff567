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
    from PIL import Image

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
        # Full float32 precision (9 significant digits). Formatted here as text, a column at a
        # time: pandas' float_format formats each number through a slower path.
        proba = prediction.proba.astype(np.float64)
        for k, name in enumerate(model.class_names):
            columns[safe_cell(f"p_{name}")] = np.array(
                [f"{v:.9g}" for v in proba[:, k].tolist()], dtype=object)
    return pd.DataFrame(columns).to_csv(index=False, lineterminator="\n")


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
    """Predict every row of ``source``; write ``target`` atomically (never over ``source``)."""
    from workbench.atomic import atomic_write_bytes

    try:
        same = Path(target).exists() and Path(target).samefile(source)
    except OSError:
        same = False
    if same:
        raise DataError.from_template(
            "{file} is the table being predicted: writing the predictions there would replace "
            "it. Choose another file for them.", file=Path(target).name)
    result = predict_table(model, read_table_for(model, source, sheet), skip_bad=skip_bad)
    atomic_write_bytes(Path(target), predictions_csv(model, result).encode("utf-8"))
    return result


# -- images ---------------------------------------------------------------------------------
#
# One path from a picture to an image model's input, shared by ``workbench predict`` and the
# window's Try tab (a file, a dropped or pasted image, a drawing): the same picture gives the
# same probabilities everywhere.
#
# Image-folder models read a picture exactly as training read each file: the same colour
# conversion (transparency over white), a bilinear resize to the model's size, values 0..1.
#
# The digits set is 8 x 8 blocks of 0..16 ink counts of a 32 x 32 black-and-white drawing
# whose digit fills the height and is centred, with thick strokes (the ink covers about 30 %
# of every class's images). A picture for a digits model is made to look the same: dark ink on
# light paper or light ink on dark paper, cut to the ink, scaled to fill the height (or the
# width, when wider) and centred, strokes thickened until they cover as much as in training,
# then counted in 8 x 8 blocks and rounded to 0..16.

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm",
                  ".pgm")
DIGIT_FRAME = 128  # the digit is drawn in a 128 x 128 frame: 16 x 16 pixels per input block
DIGIT_INK = 0.30  # share of the frame the training digits' ink covers (every class alike)
_DIGIT_MAX_THICKEN = 20  # at most +40 pixels of stroke width in the frame (a quarter of it)
_WORK_SIDE = 512  # larger pictures are shrunk first (for the digit pad's thresholds and speed)


def takes_images(model: TrainedModel) -> bool:
    return len(model.input_shape) == 3


def is_digits_model(model: TrainedModel) -> bool:
    return model.config.data.dataset == "digits" and tuple(model.input_shape) == (1, 8, 8)


def open_image(path: str | Path) -> Image.Image:
    """A picture file, read whole; every failure is a DataError naming the file."""

    from PIL import Image

    from workbench.core.data.images import pillow_warnings_as_errors, shown_name

    file = Path(path)
    where = shown_name(str(file))
    if file.is_dir():
        raise DataError.from_template("{file} is a folder, not a picture. Choose a PNG or JPEG "
                                      "file.", file=where)
    if file.exists() and not file.is_file():  # a FIFO or a device would never end
        raise DataError.from_template("{file} is not a picture Workbench can read. Save it as "
                                      "PNG or JPEG.", file=where)
    try:
        with pillow_warnings_as_errors(), Image.open(file) as im:  # as training reads images
            im.load()
            return im.copy()
    except FileNotFoundError:
        raise DataError.from_template("The picture {file} does not exist. Choose it again.",
                                      file=where) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DataError.from_template(
            "The picture {file} is too large to be read safely (more than {limit:,} pixels). "
            "Shrink it first.", file=where, limit=Image.MAX_IMAGE_PIXELS) from None
    except Image.UnidentifiedImageError:
        raise DataError.from_template("{file} is not a picture Workbench can read. Save it as "
                                      "PNG or JPEG.", file=where) from None
    except PermissionError:
        raise DataError.from_template("Workbench may not read the picture {file}. Check the "
                                      "file's permissions.", file=where) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise DataError.from_template("The picture {file} is damaged or incomplete ({reason}). "
                                      "Choose another one.", file=where, reason=exc) from None


def image_input(model: TrainedModel, image: Image.Image) -> np.ndarray:
    """The model's input (channels x height x width, 0..1, before its normalisation) for one
    picture, made as the training images were."""
    from PIL import Image

    from workbench.core.data.images import _to_mode

    if not takes_images(model):
        raise DataError.from_template("This model reads a table of numbers, not pictures. "
                                      "Try it with a table row or a CSV file.")
    if is_digits_model(model):
        return digit_input(image)
    channels, height, width = model.input_shape
    pixels = _to_mode(image, "L" if channels == 1 else "RGB")
    pixels = pixels.resize((width, height), Image.Resampling.BILINEAR)
    arr = np.asarray(pixels, dtype=np.float32) / 255.0
    return arr[None, :, :] if arr.ndim == 2 else np.ascontiguousarray(arr.transpose(2, 0, 1))


def digit_input(image: Image.Image) -> np.ndarray:
    """A picture of a digit as the digits set's 1 x 8 x 8 input (0..16 ink counts / 16);
    all zeros when it holds no ink."""
    from PIL import Image

    from workbench.core.data.images import _to_mode

    grey_image = _to_mode(image, "L")
    if max(grey_image.size) > _WORK_SIDE:
        scale = _WORK_SIDE / max(grey_image.size)
        grey_image = grey_image.resize((max(1, round(grey_image.width * scale)),
                                        max(1, round(grey_image.height * scale))),
                                       Image.Resampling.BILINEAR)
    ink = _ink_mask(np.asarray(grey_image, dtype=np.float32) / 255.0)
    if ink is None:
        return np.zeros((1, 8, 8), dtype=np.float32)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    crop = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    h, w = crop.shape
    scale = min(DIGIT_FRAME / h, DIGIT_FRAME / w)
    nh = min(DIGIT_FRAME, max(1, round(h * scale)))
    nw = min(DIGIT_FRAME, max(1, round(w * scale)))
    mask = Image.fromarray(crop.astype(np.uint8) * 255).resize((nw, nh),
                                                                Image.Resampling.BILINEAR)
    frame = np.zeros((DIGIT_FRAME, DIGIT_FRAME), dtype=bool)
    top, left = (DIGIT_FRAME - nh) // 2, (DIGIT_FRAME - nw) // 2
    frame[top:top + nh, left:left + nw] = np.asarray(mask) >= 128
    for _ in range(_DIGIT_MAX_THICKEN):
        if frame.mean() >= DIGIT_INK:
            break
        frame = _thicken(frame)
    block = DIGIT_FRAME // 8
    share = frame.reshape(8, block, 8, block).mean(axis=(1, 3))
    return (np.round(share * 16) / 16).astype(np.float32)[None, :, :]


def _thicken(mask: np.ndarray) -> np.ndarray:
    """Ink one pixel wider on every side (a 3 x 3 square around each inked pixel)."""
    rows = mask.copy()
    rows[1:] |= mask[:-1]
    rows[:-1] |= mask[1:]
    out = rows.copy()
    out[:, 1:] |= rows[:, :-1]
    out[:, :-1] |= rows[:, 1:]
    return out


def _ink_mask(grey: np.ndarray) -> np.ndarray | None:
    """Where the ink is: the paper's shade is read from the picture's edge (dark ink on light
    paper or the other way round); None when nothing stands out from the paper."""
    edge = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    paper = float(np.median(edge))
    if paper > 0.5:
        grey, paper = 1.0 - grey, 1.0 - paper
    top = float(grey.max())
    if top - paper < 0.1:
        return None
    mask = grey > (paper + top) / 2
    return mask if mask.any() else None


def predict_images(model: TrainedModel, images: list[Image.Image]) -> Prediction:
    """Predict pictures (as ``image_input`` makes them) in one batch."""
    if not images:
        return model.predict(np.zeros((0, *model.input_shape), dtype=np.float32))
    return model.predict(np.stack([image_input(model, im) for im in images]))


def image_files(source: str | Path) -> list[Path]:
    """A picture file itself, or the picture files of a folder (sorted; hidden ones left out)."""
    path = Path(source)
    if not path.is_dir():
        return [path]
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                   and p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise DataError.from_template("The folder {folder} holds no pictures (PNG, JPEG, BMP, "
                                      "GIF, TIFF or WebP files).", folder=path)
    return files


def predict_image_files(model: TrainedModel, source: str | Path) -> TablePrediction:
    """Predict a picture file, or every picture in a folder; the file names are kept as a
    ``file`` column."""
    from workbench.core.data.images import shown_name

    files = image_files(source)
    prediction = predict_images(model, [open_image(f) for f in files])
    return TablePrediction(prediction, np.arange(len(files)),
                           passthrough={"file": [shown_name(f.name) for f in files]})
