"""The fitted preprocessing of a table: raw columns in, the network's numeric inputs out.

Fitted on the training split only (as scikit-learn's ColumnTransformer + SimpleImputer +
OneHotEncoder would be): numeric columns keep their values, with the training median for a
missing one and a 0/1 "was missing" input when the training split had gaps; categorical columns
become one input per category seen at least ``MIN_CATEGORY_COUNT`` times in training (at most
``MAX_CATEGORIES``), plus "(other)" for rare, capped and never-seen ones and "(missing)"; date
columns become year, month, day of week, day of year (and hour when the training dates have
times), filled like numbers. Normalisation (mean/std) comes after, as for every data set.

Everything fitted is plain numbers and strings (``to_dict``/``from_dict``), stored as JSON in the
model file and checked on load like every other part of it: bounded counts and lengths, finite
numbers, known kinds and date formats. Nothing is pickled; no path is stored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.core.data.tables import (
    DATE_FORMATS,
    NA_TOKENS,
    Role,
    Table,
    category_texts,
    date_format,
    parse_dates,
    return_freed_memory,
)
from workbench.errors import DataError

PREPROCESS_VERSION = 1
# A category seen fewer times than this in the training split is grouped as "(other)".
MIN_CATEGORY_COUNT = 2
# At most this many categories per column get their own input (the most frequent); the rest
# are "(other)".
MAX_CATEGORIES = 100
OTHER = "(other)"
MISSING = "(missing)"
DATE_PARTS = ("year", "month", "weekday", "yearday", "hour")
# Bounds a model file's preprocessing must keep (checked on load).
MAX_STORED_COLUMNS = 5000
MAX_NAME_CHARS = 1000
MAX_STORED_FEATURES = 100_000
# Rows of the input matrix written at a time (with 50 inputs, about 0.8 MB).
_BLOCK_ROWS = 4096
_BLOCK_INDEX = np.arange(_BLOCK_ROWS)
# Bands of rows a table is cut into when it is let go of while its matrix is written.
_BANDS = 8


@dataclass(frozen=True)
class FittedColumn:
    """One raw column and what the training split taught about it."""

    name: str
    kind: str  # "numeric", "categorical" or "date"
    fill: tuple[float, ...] = ()  # numeric: (median,); date: one median per part
    flag: bool = False  # a 0/1 "was missing" input follows
    categories: tuple[str, ...] = ()  # categorical: in input order
    date_format: str = ""
    parts: tuple[str, ...] = ()  # date parts, in input order

    @property
    def feature_names(self) -> list[str]:
        if self.kind == "categorical":
            names = [f"{self.name}={c}" for c in self.categories]
            return names + [f"{self.name}={OTHER}", f"{self.name}={MISSING}"]
        base = [self.name] if self.kind == "numeric" else [f"{self.name}.{p}" for p in self.parts]
        return base + ([f"{self.name} {MISSING}"] if self.flag else [])

    @property
    def width(self) -> int:
        return len(self.feature_names)


@dataclass(frozen=True)
class TransformReport:
    """What ``transform`` met that a person should hear about."""

    missing: dict[str, int] = field(default_factory=dict)  # column -> cells filled
    unseen: dict[str, int] = field(default_factory=dict)  # column -> cells taken as "(other)"


@dataclass(frozen=True)
class TablePreprocessor:
    """The fitted column plan; ``transform`` turns raw table rows into float32 inputs."""

    columns: tuple[FittedColumn, ...]
    na_values: tuple[str, ...] = NA_TOKENS
    identifiers: tuple[str, ...] = ()  # left-out id columns, copied through by predict

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(n for c in self.columns for n in c.feature_names)

    @property
    def raw_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def transform(self, table: Table, *, rows: np.ndarray | None = None,
                  release: bool = False) -> tuple[np.ndarray, TransformReport]:
        """The inputs of every row (float32, no NaN); raises DataError for a missing column.

        ``release``: the table is let go of (emptied) on the way, a band of rows at a time as
        its inputs are written, so at most the matrix and one band of the columns are held.
        """
        missing_cols = [c.name for c in self.columns if c.name not in table.columns]
        if missing_cols:
            raise DataError.from_template(
                "{file} has no column {columns}, which the model was trained on. Add the "
                "column (empty cells are fine), or use a file with the training columns.",
                file=table.name, columns=", ".join(repr(n) for n in missing_cols[:8]))
        n = table.n_rows if rows is None else len(rows)
        if release:
            return self._transform_releasing(table, rows, n)
        # Zeroed by the system as its pages are first written, so one-hot inputs only need
        # their ones; no float64 matrix and no copy of it is ever made.
        out = np.zeros((n, len(self.feature_names)), dtype=np.float32)
        report = TransformReport()
        self._write(table, rows, out, report)
        return out, report

    def _write(self, table: Table, rows: np.ndarray | None, out: np.ndarray,
               report: TransformReport) -> None:
        na = frozenset(self.na_values)
        writers = []
        at = 0
        for col in self.columns:
            writers.append(_column_writer(col, table, rows, na, report, at))
            at += col.width
        # Block by block of rows, every column in turn: the block stays in the processor's
        # cache, where column after column over the whole matrix would stream all of it from
        # memory once per input.
        for start in range(0, len(out), _BLOCK_ROWS):
            block = out[start:start + _BLOCK_ROWS]
            for write in writers:
                write(block, start)

    def _transform_releasing(self, table: Table, rows: np.ndarray | None, n: int
                             ) -> tuple[np.ndarray, TransformReport]:
        """``transform`` that cuts the table into bands of rows first and lets it go, then
        writes band after band, freeing each as its rows are written: the matrix's pages are
        taken as the columns' are given back."""
        # Numbers that cannot be inputs are found over the whole column first, so the error
        # names the same cell as without bands.
        for col in self.columns:
            if col.kind == "numeric":
                values = table.columns[col.name]
                _numbers(values if rows is None else values[rows], col.name, table.name, rows)
                del values
        step = max(_BLOCK_ROWS, -(-n // _BANDS) // _BLOCK_ROWS * _BLOCK_ROWS)
        starts = range(0, n, step)
        bands: list[Table | None] = []
        for start in starts:
            band = np.arange(start, min(n, start + step))
            bands.append(table.take(band if rows is None else rows[band]))
        del band
        table.release()
        return_freed_memory()
        out = np.zeros((n, len(self.feature_names)), dtype=np.float32)
        reports = []
        for i, start in enumerate(starts):
            band_table, bands[i] = bands[i], None
            assert band_table is not None
            reports.append(TransformReport())
            self._write(band_table, None, out[start:start + step], reports[-1])
            del band_table
            return_freed_memory()
        report = TransformReport()
        for col in self.columns:  # in the columns' order, as one pass would count them
            for counts, total in ((r.missing, report.missing) for r in reports):
                if col.name in counts:
                    total[col.name] = total.get(col.name, 0) + counts[col.name]
            for counts, total in ((r.unseen, report.unseen) for r in reports):
                if col.name in counts:
                    total[col.name] = total.get(col.name, 0) + counts[col.name]
        return out, report

    # -- storing ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        cols = []
        for c in self.columns:
            entry: dict[str, Any] = {"name": c.name, "kind": c.kind}
            if c.kind == "categorical":
                entry["categories"] = list(c.categories)
            else:
                entry["fill"] = [float(v) for v in c.fill]
                entry["flag"] = c.flag
            if c.kind == "date":
                entry["format"] = c.date_format
                entry["parts"] = list(c.parts)
            cols.append(entry)
        return {"version": PREPROCESS_VERSION, "columns": cols,
                "na_values": list(self.na_values), "identifiers": list(self.identifiers)}

    @classmethod
    def from_dict(cls, data: Any) -> TablePreprocessor:
        """Rebuild from a model file's JSON; ValueError names what is wrong."""
        if not isinstance(data, dict) or data.get("version") != PREPROCESS_VERSION:
            raise ValueError("unknown preprocessing version")
        cols = data.get("columns")
        if not isinstance(cols, list) or not 1 <= len(cols) <= MAX_STORED_COLUMNS:
            raise ValueError("bad column list")
        fitted = [_column_from_dict(c) for c in cols]
        names = [c.name for c in fitted]
        if len(set(names)) != len(names):
            raise ValueError("a column is named twice")
        na = _strings(data.get("na_values", []), 200, "na_values")
        ids = _strings(data.get("identifiers", []), MAX_STORED_COLUMNS, "identifiers")
        pre = cls(tuple(fitted), tuple(na), tuple(ids))
        if len(pre.feature_names) > MAX_STORED_FEATURES:
            raise ValueError("too many inputs")
        return pre


def _strings(value: Any, limit: int, what: str) -> list[str]:
    if not isinstance(value, list) or len(value) > limit or not all(
            isinstance(v, str) and len(v) <= MAX_NAME_CHARS for v in value):
        raise ValueError(f"bad {what}")
    return value


def _column_from_dict(c: Any) -> FittedColumn:
    if not isinstance(c, dict):
        raise TypeError("a column is not a table")
    name, kind = c.get("name"), c.get("kind")
    if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME_CHARS:
        raise ValueError("bad column name")
    if kind == "categorical":
        cats = _strings(c.get("categories"), MAX_CATEGORIES, "categories")
        if len(set(cats)) != len(cats):
            raise ValueError("a category is listed twice")
        return FittedColumn(name, kind, categories=tuple(cats))
    if kind not in ("numeric", "date"):
        raise ValueError("unknown column kind")
    fill = c.get("fill")
    flag = c.get("flag")
    if not isinstance(flag, bool) or not isinstance(fill, list) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            and abs(v) <= 3.4e38 for v in fill):
        raise ValueError("bad fill values")
    if kind == "numeric":
        if len(fill) != 1:
            raise ValueError("bad fill values")
        return FittedColumn(name, kind, fill=(float(fill[0]),), flag=flag)
    fmt, parts = c.get("format"), c.get("parts")
    if fmt not in DATE_FORMATS:
        raise ValueError("unknown date format")
    parts = _strings(parts, len(DATE_PARTS), "date parts")
    if not parts or any(p not in DATE_PARTS for p in parts) or len(set(parts)) != len(parts) \
            or len(fill) != len(parts):
        raise ValueError("bad date parts")
    return FittedColumn(name, kind, fill=tuple(float(v) for v in fill), flag=flag,
                        date_format=fmt, parts=tuple(parts))


# -- fitting ------------------------------------------------------------------------------

def fit(table: Table, roles: dict[str, Role], train_rows: np.ndarray,
        na_values: tuple[str, ...] = NA_TOKENS) -> TablePreprocessor:
    """Fit the plan on ``train_rows`` of ``table``; ``roles`` gives each used column's role."""
    fitted = []
    na = frozenset(na_values)
    for name in table.names:
        role = roles.get(name)
        if role is None or not role.used:
            continue
        if role == Role.NUMERIC:
            values = table.columns[name][train_rows]
            fitted.append(_fit_numeric(name, values, table.name, train_rows))
        elif role == Role.CATEGORICAL:
            fitted.append(_fit_categorical(name, table, train_rows, na))
        else:
            fitted.append(_fit_date(name, table, train_rows, na))
    if not fitted:
        raise DataError.from_template(
            "{file}: no column is left to learn from (every column is the target, left out, or "
            "has a single value). Choose the roles of the columns again.", file=table.name)
    ids = tuple(n for n, r in roles.items() if r == Role.IDENTIFIER)
    return TablePreprocessor(tuple(fitted), tuple(na_values), ids)


def _numbers(values: np.ndarray, column: str, fname: str, rows: np.ndarray | None = None,
             *, skip: list[int] | None = None) -> np.ndarray:
    """A column as float64 with NaN for missing; text that is not a number is an error."""
    if values.dtype.kind == "f":
        # Infinite or beyond float32 (NaN compares False: a missing value is not bad).
        too_large = np.abs(values) > 3.4e38
        if not too_large.any():
            return values
        bad = np.flatnonzero(too_large)
        if skip is not None:
            skip.extend(int(rows[i]) if rows is not None else int(i) for i in bad)
            out = values.copy()
            out[bad] = np.nan
            return out
        i = int(bad[0])
        raise _too_large(fname, (int(rows[i]) if rows is not None else i) + 2, column,
                         category_texts(values[i:i + 1])[0] or repr(float(values[i])))
    if values.dtype.kind == "M":
        raise DataError.from_template("{file}: column {column!r} holds dates, not numbers. "
                                      "Choose the role 'date' for it.", file=fname,
                                      column=column)
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        if v is None:
            continue
        try:
            number = float(str(v).replace(",", ".")) if str(v).count(",") == 1 and "." not in \
                str(v) else float(v)
        except ValueError:
            number = math.nan
            bad = text = True
        else:
            bad = not math.isfinite(number) or abs(number) > 3.4e38
            text = False
        if bad:
            row = int(rows[i]) if rows is not None else i
            if skip is not None:
                skip.append(row)
                continue
            if not text:
                raise _too_large(fname, row + 2, column, str(v)[:80])
            raise DataError.from_template(
                "{file}, row {row}, column {column!r}: {value!r} is not a number. Fix the "
                "value, or make the column categorical.", file=fname, row=row + 2,
                column=column, value=str(v)[:80])
        out[i] = number
    return out


def _fit_numeric(name: str, values: np.ndarray, fname: str,
                 rows: np.ndarray | None = None) -> FittedColumn:
    numbers = _numbers(values, name, fname, rows)
    gaps = np.isnan(numbers)
    present = numbers[~gaps]  # a copy of its own, free to reorder
    median = _number_median(present) if len(present) else 0.0
    return FittedColumn(name, "numeric", fill=(median,), flag=bool(gaps.any()))


def _number_median(present: np.ndarray) -> float:
    """``np.median`` of numbers; whole numbers in a narrow range (ages, counts, ratings) by
    counting each value, which gives the same middle values without partitioning."""
    low, high = float(present.min()), float(present.max())
    if high - low <= 4096 and max(abs(low), abs(high)) < 2**53 \
            and bool(np.all(present == np.round(present))) \
            and not (low <= 0 <= high and np.signbit(present[present == 0]).any()):
        counts = np.bincount((present - low).astype(np.int64))
        return _median(low + np.arange(len(counts), dtype=np.float64), counts)
    return float(np.median(present, overwrite_input=True))


def _fit_categorical(name: str, table: Table, train_rows: np.ndarray,
                     na: frozenset[str]) -> FittedColumn:
    codes, texts = table.factorized(name, na)
    counts = np.bincount(codes[train_rows], minlength=len(texts) + 1)[:-1]
    kept = [t for t, k in zip(texts, counts.tolist(), strict=True) if k >= MIN_CATEGORY_COUNT]
    # Most frequent first (ties in order of appearance), capped; then sorted for people.
    frequency = dict(zip(texts, counts.tolist(), strict=True))
    kept.sort(key=lambda c: -frequency[c])
    kept = sorted(kept[:MAX_CATEGORIES], key=_natural)
    return FittedColumn(name, "categorical", categories=tuple(kept))


def _natural(text: str) -> tuple[int, float, str]:
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


def _texts(values: np.ndarray) -> np.ndarray:
    """Any column as an object array of category texts, None where missing."""
    return category_texts(values)


def _date_columns(table: Table, name: str, fmt: str, na: frozenset[str]
                  ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every date part of a column per row, and where the date is missing or unreadable.

    A text column is parsed and taken apart once per distinct text, then spread to the rows.
    """
    if table.kind(name) != "text":
        stamps = parse_dates(table.columns[name], fmt)
        return _date_parts(stamps), np.isnat(stamps)
    codes, texts = table.factorized(name, na)
    parts, gaps = _distinct_date_parts(texts, fmt)
    return {part: v[codes] for part, v in parts.items()}, gaps[codes]


def _date_parts(stamps: np.ndarray) -> dict[str, np.ndarray]:
    import pandas as pd

    idx = pd.DatetimeIndex(stamps)
    return {"year": idx.year.to_numpy(dtype=np.float64),
            "month": idx.month.to_numpy(dtype=np.float64),
            "weekday": idx.day_of_week.to_numpy(dtype=np.float64),
            "yearday": idx.day_of_year.to_numpy(dtype=np.float64),
            "hour": (idx.hour + idx.minute / 60.0).to_numpy(dtype=np.float64)}


def _fit_date(name: str, table: Table, train_rows: np.ndarray,
              na: frozenset[str]) -> FittedColumn:
    kind = table.kind(name)
    if kind == "datetime":
        fmt = "ISO8601"
    else:
        texts = table.factorized(name, na)[1] if kind == "text" else [
            t for t in category_texts(table.columns[name]) if t is not None]
        fmt = date_format(list(texts)) or ""
        if not fmt:
            raise DataError.from_template(
                "{file}: column {column!r} does not hold dates Workbench can read (such as "
                "2024-03-31 or 31/03/2024). Choose another role for it.", file=table.name,
                column=name)
    weights: np.ndarray | None = None
    if kind != "text":
        all_parts, all_gaps = _date_columns(table, name, fmt, na)
        parts = {p: v[train_rows] for p, v in all_parts.items()}
        gaps = all_gaps[train_rows]
        dated = ~gaps
    else:
        # Once per distinct text, each weighted by its training rows.
        codes, texts = table.factorized(name, na)
        parts, gaps = _distinct_date_parts(texts, fmt)
        weights = np.bincount(codes[train_rows], minlength=len(texts) + 1)
        dated = ~gaps & (weights > 0)
    use = ["year", "month", "weekday", "yearday"]
    if bool(np.any(parts["hour"][dated] > 0)):
        use.append("hour")
    fill = tuple(_median(parts[p][dated], None if weights is None else weights[dated])
                 if dated.any() else 0.0 for p in use)
    flag = bool(gaps.any() if weights is None else (weights[gaps] > 0).any())
    return FittedColumn(name, "date", fill=fill, flag=flag, date_format=fmt,
                        parts=tuple(use))


def _median(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """``np.median`` of ``values``, each repeated ``weights`` times, without repeating them.

    The middle value (odd count) or the two middle values (even count) are found from the
    cumulative weights and handed to ``np.median``, so the result is the same to the bit.
    """
    if weights is None:
        return float(np.median(values))
    order = np.argsort(values, kind="stable")
    ordered, total = values[order], np.cumsum(weights[order])
    count = int(total[-1])
    middle = [count // 2 - 1, count // 2] if count % 2 == 0 else [count // 2]
    return float(np.median(ordered[np.searchsorted(total, middle, side="right")]))


def _distinct_date_parts(texts: list[str], fmt: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The date parts of each distinct text and of the missing code (last), and where the
    date is missing or unreadable."""
    once = parse_dates(np.array([*texts, None], dtype=object), fmt)
    return _date_parts(once), np.isnat(once)


# -- transforming -------------------------------------------------------------------------

_Writer = Callable[[np.ndarray, int], None]


def _column_writer(col: FittedColumn, table: Table, rows: np.ndarray | None,
                   na: frozenset[str], report: TransformReport, at: int) -> _Writer:
    """A function that writes the column's inputs (at ``at``) into a block of rows.

    What a person should hear about (cells filled, unseen categories) is counted here, once
    for the whole column, in the column's order.
    """
    if col.kind == "categorical":
        return _categorical_writer(col, table, rows, na, report, at)
    if col.kind == "date" and table.kind(col.name) == "text":
        return _date_writer(col, table, rows, na, report, at)
    if col.kind == "numeric":
        values = table.columns[col.name]
        numbers = _numbers(values if rows is None else values[rows], col.name, table.name,
                           rows)
        parts, gaps = [numbers], np.isnan(numbers)
    else:
        all_parts, gaps = _date_columns(table, col.name, col.date_format, na)
        parts = [all_parts[p] if rows is None else all_parts[p][rows] for p in col.parts]
        gaps = gaps if rows is None else gaps[rows]
    filled = int(np.count_nonzero(gaps))
    if filled:
        report.missing[col.name] = filled
    fills = col.fill
    flag = at + len(parts) if col.flag else -1

    def write(block: np.ndarray, start: int) -> None:
        stop = start + len(block)
        where = gaps[start:stop]
        for k, (part, fill) in enumerate(zip(parts, fills, strict=True)):
            # Filled in float64 and rounded to float32 once, as the inputs always were.
            block[:, at + k] = np.where(where, fill, part[start:stop]) if filled else \
                part[start:stop]
        if flag >= 0 and filled:
            block[:, flag] = where

    return write


def _categorical_writer(col: FittedColumn, table: Table, rows: np.ndarray | None,
                        na: frozenset[str], report: TransformReport, at: int) -> _Writer:
    """One-hot: a one at (row, input of the row's category), from the reader's codes."""
    raw_codes, texts = table.factorized(col.name, na)
    if rows is not None:
        raw_codes = raw_codes[rows]
    index = {c: i for i, c in enumerate(col.categories)}
    other, missing = len(col.categories), len(col.categories) + 1
    lookup = np.array([index.get(t, other) for t in texts] + [missing], dtype=np.int64)
    counts = np.bincount(raw_codes, minlength=len(texts) + 1)
    unseen = int(counts[lookup == other].sum())
    gaps = int(counts[lookup == missing].sum())
    if unseen:
        report.unseen[col.name] = unseen
    if gaps:
        report.missing[col.name] = gaps
    position = lookup + at

    def write(block: np.ndarray, start: int) -> None:
        b = len(block)
        # Flat positions in the block (rows of the C-ordered matrix, so reshape is a view):
        # row * inputs + the category's input.
        where = position.take(raw_codes[start:start + b])
        where += _BLOCK_INDEX[:b] * block.shape[1]
        block.reshape(-1)[where] = 1.0

    return write


def _date_writer(col: FittedColumn, table: Table, rows: np.ndarray | None,
                 na: frozenset[str], report: TransformReport, at: int) -> _Writer:
    """A text date column: its inputs worked out once per distinct text, then looked up."""
    codes, texts = table.factorized(col.name, na)
    if rows is not None:
        codes = codes[rows]
    parts, gaps = _distinct_date_parts(texts, col.date_format)
    # One float32 lookup per input (a row of one would be copied 5 floats at a time).
    inputs = [np.where(gaps, fill, parts[p]).astype(np.float32)
              for p, fill in zip(col.parts, col.fill, strict=True)]
    if col.flag:
        inputs.append(gaps.astype(np.float32))
    filled = int(np.bincount(codes, minlength=len(texts) + 1)[gaps].sum())
    if filled:
        report.missing[col.name] = filled

    def write(block: np.ndarray, start: int) -> None:
        rows_codes = codes[start:start + len(block)]
        for k, lookup in enumerate(inputs):
            block[:, at + k] = lookup.take(rows_codes)

    return write


def bad_rows(pre: TablePreprocessor, table: Table) -> list[int]:
    """Rows (0-based) whose numeric cells are not numbers: what ``--on-error skip`` leaves out."""
    found: list[int] = []
    for col in pre.columns:
        if col.kind == "numeric" and col.name in table.columns:
            _numbers(table.columns[col.name], col.name, table.name, skip=found)
    return sorted(set(found))


def _too_large(fname: str, row: int, column: str, value: str) -> DataError:
    """A number a float32 input cannot hold (beyond ±3.4e38, or infinite)."""
    return DataError.from_template(
        "{file}, row {row}, column {column!r}: {value} is too large to be an input (the "
        "largest is about 3.4e38). Fix the value, or leave the column out.", file=fname,
        row=row, column=column, value=value)
