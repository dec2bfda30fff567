"""`workbench export` and `workbench train --log-dir` end to end, in a subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import onnxruntime as ort
import pytest

from workbench.cli import main
from workbench.config import TrainConfig
from workbench.core.engine import Engine
from workbench.core.modelfile import save_model


def wb(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300, check=False)


@pytest.fixture(scope="module")
def csv_model(tmp_path_factory):
    """A model trained on a CSV file, saved as .wbm, and the CSV's rows."""
    folder = tmp_path_factory.mktemp("export-cli")
    rng = np.random.default_rng(11)
    # Rounded as the CSV holds them: ONNX Runtime gets exactly the rows `predict` reads.
    x = np.round(rng.normal(size=(240, 3)) * [1.0, 5.0, 100.0], 5)
    labels = np.array(["low", "mid", "high"])[np.digitize(x[:, 0] + x[:, 1] / 5, [-0.7, 0.7])]
    data = folder / "train.csv"
    with data.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["a", "b", "c", "label"])
        writer.writerows([[f"{v:.5f}" for v in row] + [t] for row, t in zip(x, labels)])
    cfg = TrainConfig().with_changes(data={"dataset": "csv", "csv_path": str(data)},
                                     run={"epochs": 8})
    engine = Engine(cfg)
    engine.run()
    model = engine.trained_model()
    path = folder / "m.wbm"
    save_model(model, path)
    return path, data, x.astype(np.float32)


def test_export_onnx_agrees_with_predict_on_every_row(csv_model, tmp_path):
    model, data, x = csv_model
    out = tmp_path / "m.onnx"
    proc = wb("export", model, "--format", "onnx", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # the exporters' chatter stays out of sight
    assert proc.stdout.startswith("Exported ") and proc.stdout.count("\n") == 1
    assert "its answers match Workbench's own (largest difference 0" in proc.stdout
    assert "e-0" not in proc.stdout

    predictions = tmp_path / "pred.csv"
    assert wb("predict", model, data, "--out", predictions).returncode == 0
    with predictions.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], rows[1:]
    classes = [h[2:] for h in header[1:]]  # p_<class>
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    # A table model's ONNX takes one input per raw column, named after it.
    feed = {i.name: x[:, [k]] for k, i in enumerate(session.get_inputs())}
    _, proba = session.run(["logits", "probabilities"], feed)  # raw CSV values
    assert len(rows) == len(x)
    for row, p in zip(rows, proba):
        assert row[0] == classes[int(np.argmax(p))]
        assert np.allclose([float(v) for v in row[1:]], p, atol=1e-6)  # 9 significant digits


def test_export_pt2_and_script(csv_model, tmp_path):
    model, _, _ = csv_model
    proc = wb("export", model, "--format", "pt2", "--out", tmp_path / "m.pt2")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert (tmp_path / "m.pt2").is_file()
    proc = wb("export", model, "--out", tmp_path / "train.py", "--json")  # format from suffix
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["format"] == "script"
    assert result["files"] == [str(tmp_path / "train.py"), str(tmp_path / "train.toml")]
    assert result["rows_checked"] == 240 and "bit for bit" in result["checks"][0]


def test_export_mistakes_are_one_line_and_status_2(csv_model, tmp_path, capsys):
    model, data, _ = csv_model
    proc = wb("export", data, "--format", "onnx")  # a CSV file is not a model
    assert proc.returncode == 2
    assert proc.stderr.startswith("workbench: ") and proc.stderr.count("\n") == 1
    assert "not a valid Workbench model" in proc.stderr and proc.stdout == ""

    assert main(["export", str(model), "--format", "onnx", "--out",
                 str(tmp_path / "missing" / "m.onnx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["export", str(model), "--out", str(tmp_path / "m.bin")]) == 2
    assert "--format onnx, pt2 or script" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["export", str(model), "--format", "tflite"])
    assert stop.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_train_log_dir(tmp_path):
    logs = tmp_path / "logs"
    proc = wb("train", "--dataset", "spiral", "--samples", "200", "--epochs", "2",
              "--log-dir", logs, "--json")
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in logs.iterdir()] == ["run-001"]  # one folder per run
    logs = logs / "run-001"
    names = {p.name for p in logs.iterdir()}
    assert {"config.toml", "metrics.csv", "iterations.csv", "result.json"} <= names
    metrics = logs.joinpath("metrics.csv").read_bytes()
    assert metrics.startswith(b"\xef\xbb\xbf") and len(metrics.splitlines()) == 3
    iterations = [line for line in proc.stdout.splitlines()
                  if json.loads(line)["event"] == "iteration"]
    assert len(logs.joinpath("iterations.csv").read_bytes().splitlines()) == 1 + len(iterations)
    (tmp_path / "file").write_text("x")
    assert main(["train", "--dataset", "spiral", "--epochs", "1",
                 "--log-dir", str(tmp_path / "file" / "logs")]) == 2
