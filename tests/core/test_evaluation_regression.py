"""R², MAE and RMSE of regression models against scikit-learn, on real runs."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

from workbench.config import TrainConfig
from workbench.core.data import load_dataset
from workbench.core.data.table_set import dataset_for_model, read_for
from workbench.core.engine import Engine
from workbench.core.evaluation import (
    BASELINE_EVALUATED,
    BASELINE_TRAINING,
    MISMATCH,
    NO_VALIDATION,
    EvaluationUnavailable,
    RegressionEvaluation,
    regression_report,
    regression_report_dataset,
    regression_scores,
)
from workbench.core.modelfile import load_model

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def diabetes_run() -> Engine:
    cfg = TrainConfig().with_changes(data={"dataset": "diabetes"},
                                     run={"epochs": 20, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    return engine


def write_prices(path: Path, rows: int = 300) -> Path:
    """A table with a target in the hundreds: numbers (with gaps), a category and dates."""
    rng = np.random.default_rng(1)
    offsets = {"north": 40.0, "south": -30.0, "east": 0.0}
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["size", "district", "built", "price"])
        for i in range(rows):
            size = rng.uniform(30, 150)
            district = ("north", "south", "east")[i % 3]
            year = int(rng.integers(1960, 2020))
            price = 100 + 2.5 * size + offsets[district] + (year - 1990) + rng.normal(0, 5)
            writer.writerow(["" if i % 17 == 0 else f"{size:.1f}", district,
                             f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}", f"{price:.2f}"])
    return path


@pytest.fixture(scope="module")
def prices_run(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = write_prices(tmp_path_factory.mktemp("prices") / "prices.csv")
    cfg = TrainConfig().with_changes(
        data={"dataset": "csv", "csv_path": str(path), "target": "price"},
        run={"epochs": 30, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    return engine


def _raw_val(engine: Engine) -> np.ndarray:
    data = engine.data
    return data.x_val * data.std + data.mean


def test_figures_match_scikit_learn_on_the_validation_split(diabetes_run) -> None:
    engine = diabetes_run
    model, data = engine.trained_model(), engine.data
    ev = regression_report(model, data)
    assert isinstance(ev, RegressionEvaluation)
    assert ev.n == data.n_val == len(ev.predicted) == len(ev.residuals)
    np.testing.assert_array_equal(ev.actual, data.y_val.astype(np.float64))
    # the model's own predictions, in the target's units, from the raw validation inputs
    predicted = model.predict(_raw_val(engine)).labels.astype(np.float64)
    np.testing.assert_allclose(ev.predicted, predicted, rtol=1e-4, atol=1e-3)
    y = data.y_val.astype(np.float64)
    assert ev.r2 == pytest.approx(r2_score(y, predicted), abs=1e-5)
    assert ev.mae == pytest.approx(mean_absolute_error(y, predicted), rel=1e-5)
    assert ev.rmse == pytest.approx(math.sqrt(mean_squared_error(y, predicted)), rel=1e-5)
    # and exactly sklearn's arithmetic on the evaluation's own arrays
    assert ev.r2 == pytest.approx(r2_score(ev.actual, ev.predicted), rel=1e-12)
    assert ev.mae == pytest.approx(mean_absolute_error(ev.actual, ev.predicted), rel=1e-12)
    assert ev.rmse == pytest.approx(math.sqrt(mean_squared_error(ev.actual, ev.predicted)),
                                    rel=1e-12)
    np.testing.assert_allclose(ev.residuals, ev.actual - ev.predicted)
    # diabetes targets are in the hundreds: the figures are too, not in standardised units
    assert 100 < float(np.mean(ev.predicted)) < 200
    assert ev.mae > 10


def test_the_run_validates_on_the_same_numbers(diabetes_run) -> None:
    """The run's validation loss is the MSE of standardised targets: RMSE² / std²."""
    engine = diabetes_run
    model, data = engine.trained_model(), engine.data
    ev = regression_report(model, data)
    val_loss = model.summary["val_loss"]
    assert ev.rmse ** 2 / data.target_std ** 2 == pytest.approx(val_loss, rel=1e-4)


def test_baseline_is_the_training_mean(diabetes_run) -> None:
    engine = diabetes_run
    model, data = engine.trained_model(), engine.data
    ev = regression_report(model, data)
    mean = float(np.mean(data.y_train, dtype=np.float64))
    assert ev.baseline_value == pytest.approx(mean)
    assert ev.baseline_from == BASELINE_TRAINING
    y = data.y_val.astype(np.float64)
    constant = np.full(len(y), mean)
    assert ev.baseline.r2 == pytest.approx(r2_score(y, constant), rel=1e-9)
    assert ev.baseline.mae == pytest.approx(mean_absolute_error(y, constant), rel=1e-9)
    assert ev.baseline.rmse == pytest.approx(math.sqrt(mean_squared_error(y, constant)),
                                             rel=1e-9)
    assert -0.2 < ev.baseline.r2 <= 0.0  # the training mean is no better than the val mean
    assert ev.r2 > ev.baseline.r2 + 0.2 and ev.rmse < ev.baseline.rmse  # the model learned


def test_json_and_text(diabetes_run) -> None:
    engine = diabetes_run
    ev = regression_report(engine.trained_model(), engine.data)
    d = json.loads(json.dumps(ev.to_dict(), allow_nan=False))
    assert d["task"] == "regression" and d["samples"] == ev.n
    assert d["r2"] == pytest.approx(ev.r2) and d["mae"] == pytest.approx(ev.mae)
    assert d["rmse"] == pytest.approx(ev.rmse)
    assert d["baseline"]["prediction"] == pytest.approx(ev.baseline_value)
    assert d["baseline"]["r2"] == pytest.approx(ev.baseline.r2)
    assert d["baseline"]["from"] == BASELINE_TRAINING
    text = "\n".join(ev.lines("the validation split of diabetes"))
    for word in ("R²", "MAE", "RMSE", "always the mean", "validation split of diabetes",
                 f"{ev.r2:.3f}"):
        assert word in text


def test_a_table_model_in_its_own_units(prices_run) -> None:
    engine = prices_run
    model, data = engine.trained_model(), engine.data
    assert model.preprocess is not None and model.target_std > 10
    ev = regression_report(model, data)
    assert ev.target_name == "price"
    y = data.y_val.astype(np.float64)
    assert ev.r2 == pytest.approx(r2_score(y, ev.predicted), rel=1e-12)
    assert ev.rmse == pytest.approx(math.sqrt(mean_squared_error(y, ev.predicted)), rel=1e-12)
    assert ev.r2 > 0.5  # an easy table
    assert abs(float(np.mean(ev.predicted)) - float(np.mean(y))) < 0.2 * float(np.std(y))
    # the whole file through the model's own preprocessing: the same values predict_table gives
    table = read_for(model.config.data)
    whole = regression_report_dataset(model, dataset_for_model(model, table))
    assert whole.n == table.n_rows and whole.target_name == "price"
    prediction, _report = model.predict_table(table)
    np.testing.assert_allclose(whole.predicted, prediction.labels, rtol=1e-5, atol=1e-3)
    assert whole.baseline_from == BASELINE_TRAINING
    assert whole.baseline_value == pytest.approx(data.target_mean)


def test_an_old_model_file_gets_the_mean_of_the_samples() -> None:
    """Format 1 stored no training mean: the baseline is these samples' mean, R² 0 exactly."""
    model = load_model(FIXTURES / "regression_diabetes_v1.wbm")
    ev = regression_report_dataset(model, load_dataset(model.config.data, 0))
    assert ev.baseline_from == BASELINE_EVALUATED
    assert ev.baseline.r2 == pytest.approx(0.0, abs=1e-12)
    assert ev.r2 == pytest.approx(r2_score(ev.actual, ev.predicted), rel=1e-12)


def test_refusals(diabetes_run) -> None:
    spiral = TrainConfig().with_changes(data={"samples": 200}, run={"epochs": 1,
                                                                    "device": "cpu"})
    classifier = Engine(spiral)
    classifier.run()
    with pytest.raises(EvaluationUnavailable) as info:
        regression_report(classifier.trained_model(), classifier.data)
    assert info.value.reason == MISMATCH
    with pytest.raises(EvaluationUnavailable) as info:
        regression_report(diabetes_run.trained_model(), classifier.data)
    assert info.value.reason == MISMATCH
    no_val = Engine(diabetes_run.config.with_changes(data={"val_split": 0.0},
                                                     run={"epochs": 1}))
    no_val.run()
    with pytest.raises(EvaluationUnavailable) as info:
        regression_report(no_val.trained_model(), no_val.data)
    assert info.value.reason == NO_VALIDATION


def test_scores_at_the_edges() -> None:
    same = np.full(5, 3.0)
    assert regression_scores(same, same).r2 == r2_score(same, same) == 1.0
    assert regression_scores(same, same + 1).r2 == r2_score(same, same + 1) == 0.0
    diverged = RegressionEvaluation(np.arange(4.0), np.full(4, np.nan), 1.5)
    assert math.isnan(diverged.r2) and math.isnan(diverged.rmse)
    d = diverged.to_dict()
    assert d["r2"] is None and d["mae"] is None and d["mean_residual"] is None
    json.dumps(d, allow_nan=False)
    assert math.isnan(regression_scores(np.zeros(0), np.zeros(0)).r2)
