"""The commands end to end, in a subprocess, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np


def wb(*args, cwd=None, check=False):
    proc = subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], check=False,
                          capture_output=True, text=True, cwd=cwd, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_train_info_predict(tmp_path):
    model = tmp_path / "m.wbm"
    proc = wb("train", "--dataset", "spiral", "--epochs", "30", "--out", model, check=True)
    assert "val acc" in proc.stderr
    accuracy = float(proc.stderr.split("val acc")[-1].split("%")[0])
    assert accuracy >= 95.0
    info = wb("info", model, check=True).stdout
    assert "classification" in info and "Layers:" in info
    points = tmp_path / "points.csv"
    points.write_text("x1,x2\n0.1,0.2\n-1.5,0.3\n2,2\n", encoding="utf-8")
    out = tmp_path / "pred.csv"
    wb("predict", model, points, "--out", out, check=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("prediction,p_")
    assert len(lines) == 4
    probs = np.array([[float(v) for v in ln.split(",")[1:]] for ln in lines[1:]])
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)


def test_json_lines_and_iteration_arithmetic(tmp_path):
    rng = np.random.default_rng(0)
    rows = ["a,b,target"] + [f"{x:.4f},{z:.4f},{'yes' if x + z > 0 else 'no'}"
                             for x, z in rng.normal(size=(1500, 2))]
    csv = tmp_path / "data.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = wb("train", "--csv", csv, "--target", "target", "--val-split", "0.3",
              "--batch-size", "100", "--epochs", "2", "--json", check=True)
    events = [json.loads(ln) for ln in proc.stdout.splitlines()]
    table, start = events[0], events[1]  # what was read from the table comes first
    assert table["event"] == "table" and table["rows"] == 1500
    events = events[1:]
    assert start["event"] == "start"
    assert start["train_samples"] == 1050 and start["iterations_per_epoch"] == 11
    assert start["last_batch_size"] == 50 and start["total_iterations"] == 22
    its = [e for e in events if e["event"] == "iteration"]
    assert [e["iteration"] for e in its] == list(range(1, 23))
    assert {e["epoch"] for e in its} == {1, 2}
    assert [e["epoch"] for e in events if e["event"] == "epoch"] == [1, 2]
    assert events[-1] == {**events[-1], "event": "end", "reason": "completed"}


def test_user_mistakes_get_one_line_and_nonzero_exit(tmp_path):
    cases = [
        ("train", "--batch-size", "0", "--epochs", "1"),
        ("train", "--lr", "abc"),
        ("train", "--csv", tmp_path / "missing.csv"),
        ("info", tmp_path / "missing.wbm"),
        ("train", "--config", tmp_path / "missing.toml"),
    ]
    for args in cases:
        proc = wb(*args)
        assert proc.returncode != 0, args
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.strip(), args
        assert len(proc.stderr.strip().splitlines()) <= 3, proc.stderr


def test_config_file_and_flags(tmp_path):
    cfg = tmp_path / "run.toml"
    cfg.write_text('[data]\ndataset = "moons"\nsamples = 200\n[run]\nepochs = 2\n', "utf-8")
    proc = wb("train", "--config", cfg, "--batch-size", "40", "--json", check=True)
    start = json.loads(proc.stdout.splitlines()[0])
    assert start["batch_size"] == 40 and start["epochs"] == 2 and start["train_samples"] == 160


def test_desktop_install_and_uninstall(tmp_path, capsys):
    from workbench.cli import main

    assert main(["desktop-install", "--prefix", str(tmp_path)]) == 0
    entry = tmp_path / "applications" / "io.github.workbench.Workbench.desktop"
    text = entry.read_text(encoding="utf-8")
    assert "Exec=" in text and "Icon=io.github.workbench.Workbench" in text
    assert (tmp_path / "icons" / "hicolor" / "scalable" / "apps"
            / "io.github.workbench.Workbench.svg").is_file()
    assert main(["desktop-uninstall", "--prefix", str(tmp_path)]) == 0
    assert not entry.exists()
    assert "removed" in capsys.readouterr().out
