"""``workbench bench``'s table line: reading and preparing a large mixed CSV, and predicting it.

Measured side by side in one run, the two in turn so a busy machine slows both alike:
``pandas.read_csv`` of the file (the parser Workbench uses, with nothing else) and Workbench's
read + column roles + fitted preprocessing of the same file; then the peak memory that takes
(in a fresh process, against the file's size, beside the share of the float32 input matrix it
must hold), and ``predict`` on every row (read, preprocess, predict, write the CSV).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROWS = 200_000


def write_mixed_csv(path: Path, rows: int = ROWS, seed: int = 0) -> None:
    """10 columns as a survey export has them: numbers with gaps, categories, a date, an id."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "id": np.arange(1, rows + 1),
        "age": rng.integers(18, 90, rows).astype(float),
        "income": np.round(rng.lognormal(10, 0.5, rows), 2),
        "score": np.round(rng.normal(0, 1, rows), 4),
        "visits": rng.poisson(3, rows).astype(float),
        "region": rng.choice(["north", "south", "east", "west", "centre"], rows),
        "plan": rng.choice(["basic", "plus", "pro"], rows),
        "channel": rng.choice([f"c{i}" for i in range(30)], rows),
        "joined": (pd.Timestamp("2015-01-01")
                   + pd.to_timedelta(rng.integers(0, 3000, rows), "D")).strftime("%Y-%m-%d"),
        "churn": rng.choice(["yes", "no"], rows),
    }).astype(object)
    for col, every in (("age", 17), ("income", 29), ("region", 31), ("visits", 13)):
        frame.loc[frame.index[::every], col] = None
    frame.to_csv(path, index=False, na_rep="NA")


def _timed(fn: Any, reps: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def _timed_pair(first: Any, second: Any, reps: int) -> tuple[float, float]:
    """Median seconds of two functions run in turn, so a busy machine slows both alike."""
    a, b = [], []
    first(), second()  # imports and caches warmed before anything is timed
    for _ in range(reps):
        a.append(_timed(first, 1)[0])
        b.append(_timed(second, 1)[0])
    return statistics.median(a), statistics.median(b)


# Peak resident memory of reading and preparing, in a process that has imported everything
# first (and read the file's first lines once, which loads the modules imported on first
# use): Linux's clear_refs resets the peak (VmHWM) to the memory in use after that.
_MEMORY_PROBE = """
import json, sys
from workbench.config import DataConfig
from workbench.core.data import load_dataset
import pandas, charset_normalizer, numpy

load_dataset(DataConfig(dataset="csv", csv_path=sys.argv[2], target="churn"), 0)

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])

with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
base = status("VmRSS:")
ds = load_dataset(DataConfig(dataset="csv", csv_path=sys.argv[1], target="churn"), 0)
print(json.dumps({"extra_kib": status("VmHWM:") - base, "x_bytes": ds.x.nbytes}))
"""


def table_measurements(rows: int = ROWS, reps: int = 3) -> dict[str, Any]:
    import pandas as pd

    from workbench.config import DataConfig, TrainConfig
    from workbench.core.data import load_dataset
    from workbench.core.engine import Engine
    from workbench.core.predicting import predict_csv_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mixed.csv"
        write_mixed_csv(path, rows)
        size = path.stat().st_size
        cfg = DataConfig(dataset="csv", csv_path=str(path), target="churn")
        pandas_s, ours_s = _timed_pair(lambda: pd.read_csv(path), lambda: load_dataset(cfg, 0),
                                       reps + 2)
        head = Path(folder) / "head.csv"
        with open(path, encoding="utf-8") as whole:
            head.write_text("".join(next(whole) for _ in range(101)), encoding="utf-8")
        probe = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(path), str(head)],
                               capture_output=True, text=True, check=True)
        memory = json.loads(probe.stdout)
        train = TrainConfig().with_changes(data={"dataset": "csv", "csv_path": str(path),
                                                 "target": "churn"},
                                           run={"epochs": 1, "batch_size": 4096})
        engine = Engine(train)
        engine.run()
        model = engine.trained_model()
        assert model is not None
        out = Path(folder) / "predictions.csv"
        predict_s, _ = _timed(lambda: predict_csv_file(model, path, out), reps)
    peak = memory["extra_kib"] * 1024
    return {"rows": rows, "file_mb": size / 2**20, "pandas_s": pandas_s, "workbench_s": ours_s,
            "ratio": ours_s / pandas_s, "peak_mb": peak / 2**20, "peak_x_file": peak / size,
            "inputs_x_file": memory["x_bytes"] / size, "predict_s": predict_s}


def table_lines(m: dict[str, Any]) -> list[str]:
    head = ("| table task | pandas.read_csv s | Workbench read + prepare s | ratio (target <= 2x) "
            "| peak memory MB (x file, target <= 4x) | predict every row s (target <= 2 s) |")
    row = (f"| {m['rows']:,}-row, 10-column mixed CSV ({m['file_mb']:.1f} MB) "
           f"| {m['pandas_s']:.2f} | {m['workbench_s']:.2f} | {m['ratio']:.2f}x "
           f"| {m['peak_mb']:.0f} ({m['peak_x_file']:.1f}x; the float32 inputs alone "
           f"{m['inputs_x_file']:.1f}x) | {m['predict_s']:.2f} |")
    return [head, "|---|---|---|---|---|---|", row]
