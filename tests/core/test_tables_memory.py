"""Reading and preparing a large table holds less at once and gives exactly the same result.

The parser works through the file in parts (and again in one piece when a column's parts
came out of different types), and the input matrix can be written while the table is let go
of, band of rows by band; both are checked against the plain way, to the bit.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.config import DataConfig
from workbench.core import preprocess
from workbench.core.data import load_dataset, prepare
from workbench.core.data.tables import Role, read_table
from workbench.errors import DataError

ROWS = 40_000


def _write_mixed(path: Path, rows: int = ROWS) -> None:
    rng = np.random.default_rng(3)
    num = np.round(rng.normal(10, 3, rows), 2)
    num[::7] = np.nan
    when = (pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 900, rows), "D"))
    when = np.array(when.strftime("%d/%m/%Y"), dtype=object)
    when[::11] = None
    cat = rng.choice(["red", "green", "blue"], rows).astype(object)
    cat[::13] = None
    cat[-500:] = "purple"  # only in the last rows: unseen where the first rows were fitted
    pd.DataFrame({"num": num, "cat": cat, "when": when, "count": rng.poisson(3, rows),
                  "label": rng.choice(["a", "b", "c"], rows)}).to_csv(path, index=False)


def test_a_column_of_numbers_that_turns_to_text_late_keeps_its_texts_as_written(
        tmp_path: Path) -> None:
    # Far beyond the parser's first part (some 65,000 rows of a 12-column file): the first
    # rows are numbers written with trailing zeros, the last ones words. Read in one piece,
    # every cell is its text as written.
    rows = 150_000
    values = np.array(["2.50", "3.10", "4.00"] * (rows // 3), dtype=object)
    values[-1000:] = "unknown"
    path = tmp_path / "late_text.csv"
    columns = {"v": values, "y": np.arange(rows) % 2}
    columns.update({f"f{i}": np.arange(rows) % (i + 3) for i in range(10)})
    pd.DataFrame(columns).to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the parts' DtypeWarning is not passed on
        table = read_table(path)
    assert table.kind("v") == "text"
    assert table.distinct("v") == ["2.50", "3.10", "4.00", "unknown"]
    assert table.kind("y") == "number"
    assert np.array_equal(table.columns["y"], np.arange(rows) % 2)


def test_a_table_read_in_parts_is_the_table_read_in_one_piece(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    _write_mixed(path, 150_000)
    table = read_table(path)
    whole = pd.read_csv(path, low_memory=False, keep_default_na=False, na_values=[""])
    assert np.array_equal(table.columns["num"], whole["num"].to_numpy(), equal_nan=True)
    for name in ("cat", "when", "label"):
        expected = whole[name].where(whole[name] != "", None).to_numpy(dtype=object)
        got = table.columns[name]
        assert [None if v is None else v for v in got] == [
            None if isinstance(v, float) else v for v in expected], name


def _fitted(path: Path) -> tuple[preprocess.TablePreprocessor, object]:
    table = read_table(path)
    roles = {"num": Role.NUMERIC, "cat": Role.CATEGORICAL, "when": Role.DATE,
             "count": Role.NUMERIC}
    # Fitted on the first rows only, so the last ones hold unseen categories too.
    pre = preprocess.fit(table, roles, np.arange(ROWS // 4))
    return pre, table


@pytest.mark.parametrize("with_rows", [False, True])
def test_inputs_written_while_the_table_is_let_go_of_are_the_same_to_the_bit(
        tmp_path: Path, with_rows: bool) -> None:
    path = tmp_path / "mixed.csv"
    _write_mixed(path)
    pre, table = _fitted(path)
    rows = np.arange(ROWS - 1, -1, -3) if with_rows else None
    plain, plain_report = pre.transform(table, rows=rows)
    released, report = pre.transform(table, rows=rows, release=True)
    assert released.dtype == np.float32
    assert released.tobytes() == plain.tobytes()
    assert list(report.missing.items()) == list(plain_report.missing.items())
    assert list(report.unseen.items()) == list(plain_report.unseen.items())
    assert plain_report.missing and plain_report.unseen
    assert table.names == [] and table.codes == {}  # let go of


def test_a_bad_number_is_named_the_same_while_the_table_is_let_go_of(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    rng = np.random.default_rng(4)
    a = np.round(rng.normal(size=ROWS), 3).astype(object)
    b = a.copy()
    a[30_000], b[5_000] = "oops", "bad"
    pd.DataFrame({"a": a, "b": b, "y": rng.integers(0, 2, ROWS)}).to_csv(path, index=False)
    table = read_table(path)
    pre = preprocess.TablePreprocessor((preprocess.FittedColumn("a", "numeric", fill=(0.0,)),
                                        preprocess.FittedColumn("b", "numeric", fill=(0.0,))))
    with pytest.raises(DataError) as plain:
        pre.transform(table)
    with pytest.raises(DataError) as released:
        pre.transform(table, release=True)
    assert str(released.value) == str(plain.value)
    assert "30002" in str(plain.value) and "'a'" in str(plain.value)


def test_class_targets_are_held_small_until_the_split_widens_them(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    _write_mixed(path, 3000)
    cfg = DataConfig(dataset="csv", csv_path=str(path), target="label")
    ds = load_dataset(cfg, 0)
    assert ds.y.dtype == np.int8 and set(np.unique(ds.y)) == {0, 1, 2}
    data = prepare(cfg, 0, ds)
    assert data.y_train.dtype == np.int64
