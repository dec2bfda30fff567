"""`workbench train` tells success from failure: exit status, messages, and what it saves.

0 trained (a warning such as "stuck at chance" is printed, the model saved), 1 training failed
(nothing written to --out), 2 the input was refused. Real runs in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np


def wb(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], check=False,
                          capture_output=True, text=True, timeout=300)


def test_a_diverging_run_exits_1_and_saves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "m.wbm"
    proc = wb("train", "--dataset", "spiral", "--optimizer", "momentum", "--lr", "10",
              "--out", out)
    assert proc.returncode == 1, proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert "workbench: The loss diverged from 0.71 to " in proc.stderr
    assert "lower the learning rate (now 10; try 1)" in proc.stderr
    assert f"Not saved: training diverged; {out} was not written." in proc.stderr
    assert "Saved model" not in proc.stderr and "Traceback" not in proc.stderr


def test_a_diverging_run_in_json_ends_with_a_failed_event(tmp_path: Path) -> None:
    out = tmp_path / "m.wbm"
    proc = wb("train", "--dataset", "spiral", "--optimizer", "adam", "--lr", "5", "--epochs",
              "5", "--json", "--out", out)
    assert proc.returncode == 1
    assert not out.exists()
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    last = events[-1]
    assert last["event"] == "failed" and last["outcome"] == "diverged"
    assert last["kind"] == "diverged" and last["epoch"] == 1
    assert last["message"].startswith("The loss diverged from 0.71 to ")
    assert [e["event"] for e in events].count("epoch") == 1  # the epoch that diverged


def test_a_good_run_exits_0_and_saves(tmp_path: Path) -> None:
    out = tmp_path / "m.wbm"
    proc = wb("train", "--dataset", "spiral", "--epochs", "10", "--out", out, "--json")
    assert proc.returncode == 0, proc.stderr
    assert out.is_file()
    end = json.loads(proc.stdout.splitlines()[-1])
    assert end["event"] == "end" and end["outcome"] == "trained" and end["warning"] == ""
    assert end["chance_accuracy"] == 0.5 and 1 <= end["weights_epoch"] <= 10
    assert end["val_r2"] is None


def test_a_run_stuck_at_chance_exits_0_with_a_warning(tmp_path: Path) -> None:
    """Labels drawn at random, independent of the inputs: nothing can be learned."""
    rng = np.random.default_rng(0)
    rows = ["a,b,label"] + [f"{x:.4f},{z:.4f},{'yes' if flip else 'no'}"
                            for (x, z), flip in zip(rng.normal(size=(600, 2)),
                                                    rng.random(600) < 0.5, strict=True)]
    csv = tmp_path / "random.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "m.wbm"
    proc = wb("train", "--csv", csv, "--target", "label", "--epochs", "15", "--out", out,
              "--log-dir", tmp_path / "runs")
    assert proc.returncode == 0, proc.stderr
    assert out.is_file()
    # The run's log says so too, for whoever reads the folder later.
    result = json.loads((tmp_path / "runs" / "run-001" / "result.json").read_text("utf-8"))
    assert result["status"] == "completed" and result["warning_kind"] == "chance"
    assert result["warning"].startswith("The validation accuracy stayed at chance level")
    assert 0.45 <= result["chance_accuracy"] <= 0.55 and 1 <= result["weights_epoch"] <= 15
    assert "Warning: The validation accuracy stayed at chance level for the last 5 epochs" in (
        proc.stderr)
    proc = wb("train", "--csv", csv, "--target", "label", "--epochs", "15", "--json")
    end = json.loads(proc.stdout.splitlines()[-1])
    assert proc.returncode == 0 and end["outcome"] == "at_chance"
    assert end["warning"].startswith("The validation accuracy stayed at chance level")


def test_refused_input_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "m.wbm"
    for args in (("--lr", "abc"), ("--epochs", "0"), ("--optimizer", "sgdx"),
                 ("--csv", tmp_path / "missing.csv")):
        proc = wb("train", *args, "--out", out)
        assert proc.returncode == 2, (args, proc.stderr)
        assert not out.exists()
        assert "Traceback" not in proc.stderr
