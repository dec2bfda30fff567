"""Confusion matrix, per-class figures and misclassified samples against a real run."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import classification_report

from workbench.config import TrainConfig
from workbench.core.data import prepare
from workbench.core.engine import Engine
from workbench.core.evaluation import (
    REGRESSION,
    EvaluationUnavailable,
    evaluate_dataset,
    evaluate_split,
    from_probabilities,
)


@pytest.fixture(scope="module")
def spiral_run() -> tuple[Engine, object]:
    cfg = TrainConfig().with_changes(data={"samples": 300, "classes": 3},
                                     run={"epochs": 4, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    return engine, engine.trained_model()


def test_matrix_agrees_with_the_run(spiral_run) -> None:
    engine, model = spiral_run
    ev = evaluate_split(model, engine.data)
    assert ev.matrix.sum() == engine.data.n_val
    assert np.trace(ev.matrix) / ev.n == pytest.approx(engine.history[-1].val_accuracy, abs=1e-12)
    assert ev.accuracy == pytest.approx(engine.history[-1].val_accuracy, abs=1e-12)
    assert ev.matrix.sum(axis=1).tolist() == engine.data.val_counts.tolist()
    np.testing.assert_allclose(ev.row_fractions.sum(axis=1), 1.0)


def test_per_class_figures_match_scikit_learn(spiral_run) -> None:
    engine, model = spiral_run
    ev = evaluate_split(model, engine.data)
    report = classification_report(ev.y_true, ev.y_pred, labels=list(range(ev.n_classes)),
                                   target_names=list(ev.class_names), output_dict=True,
                                   zero_division=0)
    for k, name in enumerate(ev.class_names):
        assert ev.precision[k] == pytest.approx(report[name]["precision"])
        assert ev.recall[k] == pytest.approx(report[name]["recall"])
        assert ev.f1[k] == pytest.approx(report[name]["f1-score"])
        assert ev.support[k] == report[name]["support"]
    averages = ev.averages()
    for ours, theirs in (("macro", "macro avg"), ("weighted", "weighted avg")):
        assert averages[ours]["precision"] == pytest.approx(report[theirs]["precision"])
        assert averages[ours]["recall"] == pytest.approx(report[theirs]["recall"])
        assert averages[ours]["f1"] == pytest.approx(report[theirs]["f1-score"])


def test_misclassified_list_matches_the_off_diagonal(spiral_run) -> None:
    engine, model = spiral_run
    ev = evaluate_split(model, engine.data)
    wrong = ev.misclassified()
    m = ev.matrix
    assert len(wrong) == m.sum() - np.trace(m)
    assert np.all(ev.y_true[wrong] != ev.y_pred[wrong])
    assert np.all(np.diff(ev.confidence[wrong]) <= 0)  # most confident mistakes first
    for t in range(ev.n_classes):
        for p in range(ev.n_classes):
            assert len(ev.cell(t, p)) == m[t, p]
    # the samples as people gave them: de-normalised
    np.testing.assert_allclose(ev.inputs, engine.data.x_val * engine.data.std + engine.data.mean,
                               rtol=1e-5)


def test_rare_class_warning_shows_the_imbalance_trap() -> None:
    y_true = np.array([0] * 99 + [1])
    proba = np.tile([0.9, 0.1], (100, 1))  # always "common"
    ev = from_probabilities(y_true, proba, ("common", "rare"), np.zeros((100, 2)))
    assert ev.accuracy == pytest.approx(0.99)
    (warning,) = ev.rare_class_warnings()
    assert warning.class_name == "rare" and warning.support == 1 and warning.recall == 0.0
    assert ev.averages()["macro"]["recall"] == pytest.approx(0.5)
    balanced = from_probabilities(np.array([0, 1] * 50), np.tile([0.9, 0.1], (100, 1)),
                                  ("a", "b"), np.zeros((100, 2)))
    assert balanced.rare_class_warnings() == []


def test_regression_models_are_refused() -> None:
    cfg = TrainConfig().with_changes(data={"dataset": "diabetes"},
                                     run={"epochs": 1, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    with pytest.raises(EvaluationUnavailable) as info:
        evaluate_split(engine.trained_model(), engine.data)
    assert info.value.reason == REGRESSION and "classification" in str(info.value)


def test_a_whole_data_set_maps_classes_by_name(spiral_run) -> None:
    _, model = spiral_run
    from workbench.core.data import load_dataset

    ds = load_dataset(model.config.data, model.config.run.seed)
    ev = evaluate_dataset(model, ds)
    assert ev.n == len(ds) and ev.matrix.sum() == len(ds)
    prepared = prepare(model.config.data, model.config.run.seed)
    assert ev.support.tolist() == (prepared.train_counts + prepared.val_counts).tolist()
    d = ev.to_dict()
    assert d["samples"] == len(ds) and len(d["per_class"]) == 3


def test_figures_are_written_in_plain_decimals_with_thousands_separators() -> None:
    from workbench.core.evaluation import format_value

    assert format_value(1.234e-05) == "0.00001234"
    assert format_value(0.04321) == "0.04321"
    assert format_value(12345678.9) == "12,345,679"
    assert format_value(1438.0) == "1,438"
    assert "e" not in format_value(5e-20) and "10⁻²⁰" in format_value(5e-20)
