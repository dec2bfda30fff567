"""The fast paths of reading and preparing a table give exactly what the plain computations give.

Each shortcut (a median from per-value counts, distinct counts without a list of values, class
ranks without sorting, the input matrix written block by block with one-hot ones placed by
position) is checked against the plain numpy/pandas computation, to the bit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.core import preprocess
from workbench.core.data.split import _class_ranks
from workbench.core.data.tables import Role, _number_summary, read_table
from workbench.core.preprocess import _BLOCK_ROWS, OTHER, _median


def test_a_median_from_counts_is_the_median_of_the_repeated_values() -> None:
    rng = np.random.default_rng(1)
    for case in range(300):
        k = int(rng.integers(1, 40))
        values = (rng.normal(size=k), np.round(rng.normal(size=k) * 10),
                  rng.integers(1900, 2100, k).astype(float))[case % 3]
        weights = rng.integers(0, 6, k)
        weights[rng.integers(k)] += 1  # at least one row
        repeated = np.repeat(values, weights)
        assert _median(values, weights) == np.median(repeated), case
        assert np.float64(_median(values, weights)).tobytes() == \
            np.float64(np.median(repeated)).tobytes()


@pytest.mark.parametrize("values", [
    np.arange(1, 5001, dtype=float),  # an id: counted per value
    np.array([3.0, -0.0, 0.0, 3.0, 7.0, -0.0] * 50),  # -0.0 and 0.0 are one value
    np.round(np.random.default_rng(2).normal(size=5000), 2),  # hashed
    np.array([2.0**60, 1.0, 2.0**60, 5.0]),  # whole, but far too wide to count per value
    np.array([1.5, np.inf, -np.inf, 1.5]),
    np.array([4.0] * 100 + [5.0]),  # the third distinct value never comes
])
def test_distinct_numbers_are_counted_as_pandas_counts_them(values: np.ndarray) -> None:
    summary = _number_summary(values)
    assert summary.distinct == len(np.unique(values))
    assert summary.first == list(pd.unique(values)[:3])
    assert summary.whole == bool(np.all(values == np.round(values)))


def test_class_ranks_are_numpys_unique_inverse() -> None:
    rng = np.random.default_rng(3)
    for y in (rng.integers(0, 5, 1000), np.array([7, 3, 3, 9, 7]), rng.integers(0, 10**7, 50),
              np.array([2, 1]), np.array([5, 5, 5])):
        assert np.array_equal(_class_ranks(y), np.unique(y, return_inverse=True)[1])


def test_the_input_matrix_across_many_blocks_is_what_each_column_says(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    n = 2 * _BLOCK_ROWS + 123
    frame = pd.DataFrame({
        "size": np.round(rng.normal(50, 10, n), 3),
        "colour": rng.choice(["red", "green", "blue", "rare"], n, p=[.4, .3, .2999, .0001]),
        "day": (pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D")
                ).strftime("%Y-%m-%d"),
        "label": rng.choice(["a", "b"], n),
    }).astype(object)
    frame.loc[frame.index[::7], "size"] = "NA"
    frame.loc[frame.index[::11], "colour"] = ""
    frame.loc[frame.index[::13], "day"] = "?"
    path = tmp_path / "blocks.csv"
    frame.to_csv(path, index=False)
    table = read_table(path)
    train = np.arange(0, n, 2)
    roles = {"size": Role.NUMERIC, "colour": Role.CATEGORICAL, "day": Role.DATE}
    pre = preprocess.fit(table, roles, train)
    x, report = pre.transform(table)

    size, colour, day = pre.columns
    numbers = pd.to_numeric(frame["size"], errors="coerce").to_numpy(dtype=np.float64)
    gaps = np.isnan(numbers)
    assert size.fill == (float(np.median(numbers[train][~gaps[train]])),)
    assert np.array_equal(x[:, 0], np.where(gaps, size.fill[0], numbers).astype(np.float32))
    assert np.array_equal(x[:, 1], gaps.astype(np.float32))

    names = list(colour.categories) + [OTHER, "(missing)"]
    expected = [names.index(c) if c in colour.categories else
                len(names) - 1 if c == "" else len(names) - 2 for c in frame["colour"]]
    block = x[:, 2:2 + len(names)]
    assert np.array_equal(block.argmax(axis=1), expected)
    assert np.array_equal(block.sum(axis=1), np.ones(n, dtype=np.float32))

    stamps = pd.to_datetime(frame["day"], format="ISO8601", errors="coerce")
    missing = stamps.isna().to_numpy()
    years = stamps.dt.year.to_numpy(dtype=np.float64)
    assert day.fill[0] == float(np.median(years[train][~missing[train]]))
    at = 2 + len(names)
    assert np.array_equal(x[:, at], np.where(missing, day.fill[0], years).astype(np.float32))
    assert np.array_equal(x[:, at + len(day.parts)], missing.astype(np.float32))
    assert report.missing == {"size": int(gaps.sum()), "colour": int((frame["colour"] == "")
                                                                       .sum()),
                              "day": int(missing.sum())}

    rows = np.arange(5, n, 3)
    x_rows, _ = pre.transform(table, rows=rows)
    assert np.array_equal(x_rows, x[rows])


@pytest.mark.parametrize("values", [
    np.random.default_rng(5).integers(18, 90, 1001).astype(float),  # counted per value
    np.random.default_rng(6).integers(0, 5, 1000).astype(float),  # an even count
    np.array([-0.0, 0.0, -0.0, 1.0]),  # a signed zero in the middle: partitioned as before
    np.array([1e15, 3.0, 2e15]),  # whole, but wide
    np.round(np.random.default_rng(7).normal(size=999), 3),
])
def test_a_numeric_median_is_numpys_to_the_bit(values: np.ndarray) -> None:
    from workbench.core.preprocess import _number_median

    assert np.float64(_number_median(values.copy())).tobytes() == \
        np.float64(np.median(values)).tobytes()


def test_text_columns_are_laid_out_on_first_use_with_the_same_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("n,colour\n1, red\n2,NA\n3,blue\n4,red\n", encoding="utf-8")
    table = read_table(path)
    columns = table.columns
    assert columns.pending("colour") and table.kind("colour") == "text"  # type: ignore[attr-defined]
    assert table.n_rows == 4 and table.missing("colour").tolist() == [False, True, False, False]
    part = table.take(np.array([3, 1]))
    assert part.columns.pending("colour")  # type: ignore[attr-defined]
    assert list(columns["colour"]) == ["red", None, "blue", "red"]
    assert not columns.pending("colour")  # type: ignore[attr-defined]
    assert list(part.columns["colour"]) == ["red", None]
    assert list(table.select(["colour"]).columns) == ["colour"]
    assert dict(table.columns)["n"].tolist() == [1.0, 2.0, 3.0, 4.0]
