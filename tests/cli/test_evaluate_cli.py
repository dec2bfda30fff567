"""``workbench evaluate`` and ``workbench lr-find`` for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from workbench.cli import EXIT_USER_ERROR, main
from workbench.core.data import prepare
from workbench.core.evaluation import evaluate_split
from workbench.core.modelfile import load_model

FIXTURES = Path(__file__).parent.parent / "fixtures"
SPIRAL = FIXTURES / "mlp_spiral_v1.wbm"
REGRESSION = FIXTURES / "regression_diabetes_v1.wbm"


def test_evaluate_json_on_the_validation_split(capsys) -> None:
    assert main(["evaluate", str(SPIRAL), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    model = load_model(SPIRAL)
    data = prepare(model.config.data, model.config.run.seed)
    matrix = np.array(out["confusion_matrix"])
    assert out["samples"] == data.n_val == matrix.sum()
    assert out["accuracy"] == pytest.approx(evaluate_split(model, data).accuracy)
    assert [c["class"] for c in out["per_class"]] == list(model.class_names)
    assert out["misclassified"] == matrix.sum() - np.trace(matrix)
    assert set(out["macro"]) == {"precision", "recall", "f1", "support"}


def test_evaluate_text_on_a_csv_file(tmp_path: Path, capsys) -> None:
    model = load_model(SPIRAL)
    rng = np.random.default_rng(1)
    points = rng.normal(size=(30, 2))
    path = tmp_path / "points.csv"
    names = model.class_names
    rows = [f"{x:.4f},{y:.4f},{names[i % len(names)]}" for i, (x, y) in enumerate(points)]
    path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["evaluate", str(SPIRAL), "--csv", str(path), "--target", "label"]) == 0
    text = capsys.readouterr().out
    assert "30 samples (every row of" in text
    assert "Confusion matrix" in text and "macro avg" in text and "weighted avg" in text


def test_a_regression_model_gets_r2_mae_and_rmse_beside_the_mean(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "workbench", "evaluate", str(REGRESSION),
                           "--dataset", "diabetes", "--json"],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["task"] == "regression" and result["samples"] == 442
    assert result["rmse"] >= result["mae"] > 0 and result["baseline"]["r2"] <= 0.01


def test_evaluate_mistakes_are_one_line_exit_2(tmp_path: Path) -> None:
    missing = subprocess.run([sys.executable, "-m", "workbench", "evaluate",
                              str(tmp_path / "nope.wbm")], check=False, capture_output=True,
                             text=True, timeout=120)
    assert missing.returncode == EXIT_USER_ERROR and "Traceback" not in missing.stderr


def test_target_without_csv_is_refused(capsys) -> None:
    assert main(["evaluate", str(SPIRAL), "--target", "label"]) == EXIT_USER_ERROR
    assert "--csv" in capsys.readouterr().err


def test_lr_find_text_and_json(capsys) -> None:
    args = ["lr-find", "--dataset", "spiral", "--samples", "200", "--device", "cpu"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert 1e-4 <= out["suggestion"] <= 1.0
    assert len(out["lrs"]) == len(out["losses"]) == out["iterations"] <= 100
    assert main([*args, "--iterations", "30"]) == 0
    text = capsys.readouterr().out
    assert "Suggested learning rate" in text and "learning rate" in text.splitlines()[0]


def test_lr_find_bad_input_exit_2(capsys) -> None:
    assert main(["lr-find", "--start-lr", "1", "--end-lr", "0.1"]) == EXIT_USER_ERROR
    assert "--start-lr" in capsys.readouterr().err
    assert main(["lr-find", "--batch-size", "0", "--samples", "100"]) == EXIT_USER_ERROR
    assert "batch_size" in capsys.readouterr().err


def test_evaluate_a_csv_with_an_extra_column(tmp_path: Path, capsys) -> None:
    """Every column the model takes is there, plus an id: the id is left out by name."""
    model_path = tmp_path / "iris.wbm"
    assert main(["train", "--dataset", "iris", "--epochs", "2", "--out", str(model_path)]) == 0
    capsys.readouterr()
    model = load_model(model_path)
    from sklearn.datasets import load_iris

    iris = load_iris()
    header = ["id", *model.feature_names, "species"]
    rows = [",".join([str(i), *(f"{v:g}" for v in x), model.class_names[y]])
            for i, (x, y) in enumerate(zip(iris.data, iris.target))]
    path = tmp_path / "iris_with_id.csv"
    path.write_text(",".join(header) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["evaluate", str(model_path), "--csv", str(path), "--target", "species",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["samples"] == 150 == np.array(out["confusion_matrix"]).sum()


def test_lr_find_that_diverges_at_once_says_what_to_do(capsys) -> None:
    args = ["lr-find", "--dataset", "spiral", "--samples", "200", "--device", "cpu",
            "--optimizer", "sgd", "--start-lr", "1e6", "--end-lr", "1e8", "--iterations", "30"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "diverged at once" in out and "Lower --start-lr" in out
    assert "did not fall" not in out
