"""``workbench bench``'s table line measures what it says, on a small mixed file."""

from __future__ import annotations

import sys

import pytest

from workbench.bench_tables import table_lines, table_measurements


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for peak memory")
def test_the_table_line_measures_reading_memory_and_predicting() -> None:
    m = table_measurements(rows=20_000, reps=1)  # the size --quick uses
    assert m["rows"] == 20_000 and m["file_mb"] > 0
    assert m["pandas_s"] > 0 and m["workbench_s"] > 0 and m["predict_s"] > 0
    assert m["ratio"] == pytest.approx(m["workbench_s"] / m["pandas_s"])
    # 55 float32 inputs per row (numbers with missing flags, one-hot categories, date parts).
    assert m["inputs_x_file"] == pytest.approx(20_000 * 55 * 4 / (m["file_mb"] * 2**20))
    head, rule, row = table_lines(m)
    assert head.count("|") == rule.count("|") == row.count("|")
    assert "20,000-row" in row and f"{m['ratio']:.2f}x" in row
    assert f"inputs alone {m['inputs_x_file']:.1f}x" in row
