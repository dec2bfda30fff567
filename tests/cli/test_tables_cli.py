"""A person's own table on the command line: train with nothing else, predict, evaluate, info."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd


def wb(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], check=False,
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def survey(path: Path, n: int = 300, seed: int = 0) -> pd.DataFrame:
    """Text answers, NA cells, a date and an id column, as R's write.csv leaves them."""
    rng = np.random.default_rng(seed)
    smoker = rng.choice(["yes", "no"], n)
    region = rng.choice(["north", "south", "east"], n)
    age = rng.integers(18, 80, n).astype(float)
    risk = (age / 40 + (smoker == "yes") * 1.2 + (region == "south") * 0.5
            + rng.normal(0, 0.4, n))
    frame = pd.DataFrame({
        "respondent": [f"R-{i:05d}" for i in range(n)],
        "age": age, "smoker": smoker, "region": region,
        "interviewed": pd.date_range("2021-01-04", periods=n, freq="D").strftime("%Y-%m-%d"),
        "outcome": np.where(risk > np.median(risk), "high", "low"),
    }).astype(object)
    frame.loc[frame.index[::10], "age"] = None
    frame.loc[frame.index[::15], "region"] = None
    frame.to_csv(path, index=False, na_rep="NA")
    return frame


def test_a_survey_table_with_nothing_but_its_target(tmp_path: Path) -> None:
    data = tmp_path / "survey.csv"
    survey(data)
    model = tmp_path / "m.wbm"
    proc = wb("train", "--csv", data, "--target", "outcome", "--out", model)
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr
    assert "respondent" in err and "identifier, left out" in err
    assert "interviewed" in err and "date" in err
    assert "Task: classification (text labels)" in err
    assert "Kept the weights of epoch" in err
    out = tmp_path / "pred.csv"
    proc = wb("predict", model, data, "--out", out)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "respondent,prediction,p_high,p_low"
    assert len(lines) == 301 and lines[1].startswith("R-00000,")
    ev = wb("evaluate", model, "--json")
    assert ev.returncode == 0, ev.stderr
    result = json.loads(ev.stdout)
    assert result["accuracy"] >= 0.8 and "survey.csv" in result["data"]
    info = wb("info", model)
    assert "Columns:" in info.stdout and "region (categorical)" in info.stdout
    assert "Weights:     of epoch" in info.stdout


def test_predict_survives_real_files(tmp_path: Path) -> None:
    data = tmp_path / "survey.csv"
    survey(data)
    model = tmp_path / "m.wbm"
    assert wb("train", "--csv", data, "--target", "outcome", "--epochs", "3", "--out",
              model).returncode == 0
    new = survey(tmp_path / "x.csv", 12, seed=4).drop(columns=["outcome"])
    new.loc[0, "region"] = "atlantis"
    new.loc[3, "age"] = "forty"
    bad = tmp_path / "new.csv"
    new.to_csv(bad, index=False)
    stop = wb("predict", model, bad)
    assert stop.returncode == 2 and "row 5, column 'age': 'forty' is not a number" in stop.stderr
    skip = wb("predict", model, bad, "--on-error", "skip")
    assert skip.returncode == 0, skip.stderr
    assert "Skipped 1 rows" in skip.stderr and "rows 5;" in skip.stderr
    assert "'region': 1 values the model never saw" in skip.stderr
    assert len(skip.stdout.splitlines()) == 12  # header + 11 rows
    missing = tmp_path / "missing.csv"
    new.drop(columns=["smoker"]).to_csv(missing, index=False)
    proc = wb("predict", model, missing)
    assert proc.returncode == 2 and "has no column 'smoker'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_roles_and_task_from_flags_and_the_config_file(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=120), "code": rng.integers(1, 4, 120),
                          "grade": rng.integers(1, 6, 120)})
    data = tmp_path / "g.csv"
    frame.to_csv(data, index=False)
    proc = wb("train", "--csv", data, "--target", "grade", "--epochs", "2",
              "--categorical", "code", "--task", "regression", "--json")
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout.splitlines()[0])
    assert table["event"] == "table" and table["task"] == "regression"
    roles = {c["name"]: c["role"] for c in table["columns"]}
    assert roles == {"a": "numeric", "code": "categorical", "grade": "target"}
    config = tmp_path / "run.toml"
    config.write_text(f'[data]\ndataset = "csv"\ncsv_path = {json.dumps(str(data))}\n'
                      'target = "grade"\nignore = ["code"]\n[run]\nepochs = 2\n',
                      encoding="utf-8")
    proc = wb("train", "--config", config, "--json")
    assert proc.returncode == 0, proc.stderr
    table = json.loads(proc.stdout.splitlines()[0])
    assert table["task"] == "classification"  # five whole-number grades
    assert {c["name"]: c["role"] for c in table["columns"]}["code"] == "ignored"


def test_files_that_never_end_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    proc = wb("train", "--csv", fifo)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
