"""The Evaluation tab and the learning-rate finder in the window, with real runs and clicks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.config import TrainConfig
from workbench.core.evaluation import RegressionEvaluation, format_r2, format_value

RUN_TIMEOUT = 60_000
FIXTURES = Path(__file__).parent.parent / "fixtures"


def _train(qtbot, window) -> list:
    epochs: list = []
    window.controller.epochs_ended.connect(epochs.extend)
    feature = window.features["evaluation"]
    with qtbot.waitSignal(feature.evaluation_ready, timeout=RUN_TIMEOUT) as ready:
        assert window.start_training()
    return epochs, ready.args[0]


def test_matrix_after_a_run_and_clicking_a_cell(qtbot, window) -> None:
    epochs, evaluation = _train(qtbot, window)
    feature = window.features["evaluation"]
    panel = feature.panel
    window.tabs.setCurrentWidget(panel)
    view = panel.matrix_view
    matrix = view.matrix()
    n_val = window.controller.prepared_data().n_val
    assert matrix.sum() == n_val == evaluation.n
    assert np.trace(matrix) / n_val == epochs[-1].val_accuracy
    assert panel.class_table.rowCount() == len(window.model.class_names)
    # the list starts with every mistake: spiral is tabular, so rows of raw inputs
    assert panel.samples_stack.currentWidget() is panel.rows_table
    assert len(panel.listed_samples()) == matrix.sum() - np.trace(matrix)
    headers = [panel.rows_table.horizontalHeaderItem(c).text()
               for c in range(panel.rows_table.columnCount())]
    assert headers[-2:] == ["x1", "x2"]
    # click the fullest cell of class 0's row
    predicted = int(np.argmax(matrix[0]))
    with qtbot.waitSignal(view.cell_clicked) as clicked:
        qtbot.mouseClick(view, Qt.LeftButton, pos=view.cell_rect(0, predicted).center())
    assert clicked.args == [0, predicted]
    listed = panel.listed_samples()
    assert len(listed) == matrix[0, predicted]
    assert all(evaluation.y_true[i] == 0 and evaluation.y_pred[i] == predicted for i in listed)
    assert panel.show_mistakes_button.isEnabled()
    assert "predicted" in view.describe_cell(0, predicted)


def test_sorting_the_per_class_table(qtbot, window) -> None:
    _train(qtbot, window)
    table = window.features["evaluation"].panel.class_table
    table.sortByColumn(3, Qt.DescendingOrder)  # recall
    recalls = [table.item(r, 3).data(Qt.UserRole) for r in range(table.rowCount())]
    assert recalls == sorted(recalls, reverse=True)


def test_an_opened_model_is_evaluated(qtbot, window) -> None:
    feature = window.features["evaluation"]
    with qtbot.waitSignal(feature.evaluation_ready, timeout=RUN_TIMEOUT) as ready:
        assert window.open_model_path(FIXTURES / "mlp_spiral_v1.wbm")
    assert ready.args[0].matrix.sum() == ready.args[0].n > 0
    window.tabs.setCurrentWidget(feature.panel)
    with qtbot.waitSignal(feature.evaluation_ready, timeout=RUN_TIMEOUT) as ready:
        assert window.open_model_path(FIXTURES / "regression_diabetes_v1.wbm")
    window.tabs.setCurrentWidget(feature.panel)
    regression = ready.args[0]
    assert isinstance(regression, RegressionEvaluation) and regression.n > 0
    assert feature.panel.regression is regression and feature.panel.evaluation is None
    assert feature.panel.regression_view.isVisible()
    assert not feature.panel.splitter.isVisible()


def test_lr_finder_suggests_and_applies_without_touching_the_model(qtbot, window) -> None:
    _train(qtbot, window)
    feature = window.features["evaluation"]
    before = {k: v.clone() for k, v in window.model.module.state_dict().items()}
    model = window.model
    feature.find_lr_action.trigger()
    dialog = feature.lr_dialog
    with qtbot.waitSignal(dialog.finished_test, timeout=RUN_TIMEOUT):
        pass
    result = dialog.result
    assert 1e-4 <= result.suggestion <= 1.0
    xs, _ = dialog.smooth_curve.getData()
    assert len(xs) == result.iterations
    assert window.model is model
    for name, tensor in window.model.module.state_dict().items():
        assert np.array_equal(tensor.numpy(), before[name].numpy()), name
    spin = window.form.training_panel.lr_spin
    assert spin.value() != result.suggestion
    with qtbot.waitSignal(dialog.applied) as applied:
        qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    assert applied.args[0] == pytest.approx(result.suggestion, rel=5e-3)
    assert spin.value() == applied.args[0]
    assert window.form.config().optim.lr == applied.args[0]
    dialog.close()


def test_lr_finder_button_sits_beside_the_learning_rate(qtbot, window) -> None:
    feature = window.features["evaluation"]
    button = feature.find_lr_button
    assert button.isVisible()
    assert button.parentWidget() is window.form.training_panel.lr_spin.parentWidget()
    assert feature.find_lr_action in window.run_menu.actions()


def test_gallery_and_imbalance_warning_on_the_panel(qtbot) -> None:
    from workbench.core.evaluation import from_probabilities
    from workbench.ui.panels.evaluation_panel import EvaluationPanel

    rng = np.random.default_rng(0)
    y_true = np.array([0] * 95 + [1] * 5)
    proba = np.tile([0.8, 0.2], (100, 1))
    proba[:3] = [0.3, 0.7]  # three common samples called rare
    images = rng.random((100, 1, 8, 8)).astype(np.float32)
    evaluation = from_probabilities(y_true, proba, ("common", "rare"), images)
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    panel.set_evaluation(evaluation, np.array([380, 20]))
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.warning_label.isVisible() and "rare" in panel.warning_label.text()
    assert panel.samples_stack.currentWidget() is panel.gallery
    assert panel.gallery.count() == 8  # 5 rare missed + 3 common called rare
    assert "common" in panel.gallery.item(0).text() and "%" in panel.gallery.item(0).text()
    assert panel.class_table.item(1, 2).text() == "20"  # training samples beside the figures
    panel.mode_combo.setCurrentIndex(1)  # row percentages
    assert panel.matrix_view.show_percent
    panel.show_cell(0, 0)
    assert len(panel.listed_samples()) == 92


def test_closing_the_window_stops_a_running_finder(qtbot, make_window, tiny_config) -> None:
    window = make_window(tiny_config())
    feature = window.features["evaluation"]
    dialog = feature.open_lr_finder()
    assert dialog is not None and dialog.running
    window.close()
    qtbot.waitUntil(lambda: not dialog.running, timeout=RUN_TIMEOUT)
    assert dialog.result is None or dialog.result.ended in ("stopped", "completed")


def test_lr_finder_says_why_there_is_no_suggestion(qtbot) -> None:
    from workbench.core.lrfind import COMPLETED, DIVERGED, LrFinderResult, lr_schedule, smooth
    from workbench.ui.panels.lr_finder import LrFinderDialog

    dialog = LrFinderDialog(None, None, lambda lr: None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    lrs = lr_schedule(1e-6, 1.0, 100)
    flat = np.full(100, 0.69)
    dialog._show_result(LrFinderResult(lrs, flat, smooth(flat), None, 0.5, COMPLETED))
    assert "did not fall (by at least 1 %)" in dialog.result_label.text()
    assert not dialog.apply_button.isEnabled()
    blown = np.array([2.0, np.inf])
    dialog._show_result(LrFinderResult(lrs[:2], blown, smooth(blown), None, 0.1, DIVERGED))
    text = dialog.result_label.text()
    assert "diverged at once" in text and "did not fall" not in text


def _many_classes(k: int):
    from workbench.core.evaluation import from_probabilities

    rng = np.random.default_rng(0)
    y_true = np.arange(10 * k) % k
    proba = rng.random((10 * k, k))
    proba[np.arange(10 * k), y_true] += 1.0
    images = rng.random((10 * k, 1, 8, 8)).astype(np.float32)
    names = tuple(f"letter_{i:02d}_handwritten" for i in range(k))
    return from_probabilities(y_true, proba / proba.sum(1, keepdims=True), names, images)


def test_window_with_47_classes_fits_a_small_laptop_screen(qtbot, window) -> None:
    """Cells shrink and the matrix scrolls: 47 classes do not widen the window past 1100 x 700."""
    panel = window.features["evaluation"].panel
    panel.set_evaluation(_many_classes(47), np.full(47, 40))
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.matrix_view.isVisible)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1100 and hint.height() <= 700, hint
    window.resize(1100, 700)
    view = panel.matrix_view
    qtbot.waitUntil(lambda: view.width() >= view.minimumSizeHint().width())
    assert view.cell_rect(0, 0).width() >= 14
    # the smallest cells still answer clicks and name their numbers
    with qtbot.waitSignal(view.cell_clicked) as clicked:
        panel.matrix_scroll.ensureVisible(view.cell_rect(46, 45).center().x(),
                                          view.cell_rect(46, 45).center().y())
        qtbot.mouseClick(view, Qt.LeftButton, pos=view.cell_rect(46, 45).center())
    assert clicked.args == [46, 45]
    assert "letter_46_handwritten" in view.describe_cell(46, 45)


# The cell's tooltip shows; offscreen Qt cannot raise its window and says so.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_hovering_repaints_only_the_cells_it_leaves_and_enters(qtbot) -> None:
    from PySide6.QtCore import QEvent, QObject, QRect

    from workbench.ui.panels.evaluation_panel import ConfusionMatrixView

    view = ConfusionMatrixView()
    qtbot.addWidget(view)
    evaluation = _many_classes(20)
    view.set_matrix(evaluation.matrix, evaluation.class_names)
    view.resize(view.sizeHint())
    view.show()
    qtbot.waitExposed(view)
    painted: list[QRect] = []

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Paint:
                painted.append(event.rect())
            return False

    spy = Spy(view)
    view.installEventFilter(spy)
    qtbot.mouseMove(view, view.cell_rect(3, 4).center())
    qtbot.waitUntil(lambda: any(r.contains(view.cell_rect(3, 4)) for r in painted))
    painted.clear()
    qtbot.mouseMove(view, view.cell_rect(3, 5).center())
    qtbot.waitUntil(lambda: any(r.intersects(view.cell_rect(3, 5)) for r in painted))
    cells = view.cell_rect(3, 4).united(view.cell_rect(3, 5))
    assert all(cells.contains(rect) for rect in painted), painted


def test_every_per_class_column_is_in_view_in_a_narrow_window(qtbot, make_window) -> None:
    """Digits' ten classes in a 1150 px window: all six columns of the per-class table show
    with no sideways scrolling (headings no longer keep room for a sort arrow they do not
    show), and each heading's longest line still fits its column."""
    from workbench.config import TrainConfig

    window = make_window(TrainConfig().with_changes(
        data={"dataset": "digits"}, run={"epochs": 2, "device": "cpu"}))
    window.resize(1150, 860)
    window.show()
    _train(qtbot, window)
    panel = window.features["evaluation"].panel
    window.tabs.setCurrentWidget(panel)
    table = panel.class_table
    qtbot.waitUntil(table.isVisible)
    qtbot.wait(100)
    assert table.horizontalScrollBar().maximum() == 0
    metrics = table.horizontalHeader().fontMetrics()
    for col in range(table.columnCount()):
        heading = table.horizontalHeaderItem(col).text()
        widest = max(metrics.horizontalAdvance(line) for line in heading.split("\n"))
        assert table.columnWidth(col) >= widest, heading


# -- regression ---------------------------------------------------------------------------------

def _regression(n: int = 200, target: str = "price") -> RegressionEvaluation:
    rng = np.random.default_rng(0)
    actual = rng.uniform(100, 500, n)
    predicted = actual + rng.normal(0, 20, n)
    return RegressionEvaluation(actual, predicted, float(actual.mean()) + 5, target_name=target,
                                dataset="houses.csv")


def _scores_table(panel) -> list[list[str]]:
    table = panel.regression_view.scores_table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_regression_figures_and_plots_on_the_panel(qtbot) -> None:
    from workbench.ui.panels.evaluation_panel import EvaluationPanel, residual_bins

    ev = _regression()
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_regression(ev)
    view = panel.regression_view
    assert view.isVisible() and not panel.splitter.isVisible()
    assert _scores_table(panel) == [
        ["R²", format_r2(ev.r2), format_r2(ev.baseline.r2)],
        ["MAE", format_value(ev.mae), format_value(ev.baseline.mae)],
        ["RMSE", format_value(ev.rmse), format_value(ev.baseline.rmse)]]
    assert format_r2(ev.r2) in panel.summary_label.text()
    assert "price" in view.note_label.text()
    # predicted against actual, and the line where they are equal
    xs, ys = view.points.getData()
    np.testing.assert_array_equal(xs, ev.actual)
    np.testing.assert_array_equal(ys, ev.predicted)
    lx, ly = view.perfect_line.getData()
    np.testing.assert_array_equal(lx, ly)
    assert lx[0] <= min(ev.actual.min(), ev.predicted.min())
    assert lx[-1] >= max(ev.actual.max(), ev.predicted.max())
    item = view.scatter_plot.getPlotItem()
    assert item.getAxis("bottom").labelText == "Actual price"
    assert item.getAxis("left").labelText == "Predicted price"
    # the residuals' histogram: every sample in a bin
    edges, counts = view.histogram.getData()
    assert counts.sum() == ev.n and len(edges) == len(counts) + 1
    np.testing.assert_array_equal(counts, residual_bins(ev.residuals)[1])
    assert "price" in view.residual_plot.getPlotItem().getAxis("bottom").labelText
    # a classification afterwards puts the matrix back
    from workbench.core.evaluation import from_probabilities

    panel.set_evaluation(from_probabilities(np.array([0, 1]), np.eye(2), ("a", "b"),
                                            np.zeros((2, 2))))
    assert panel.splitter.isVisible() and not view.isVisible() and panel.regression is None
    panel.show_message("nothing")
    assert not panel.splitter.isVisible() and not view.isVisible()


def test_a_diverged_regression_model_shows_no_numbers_it_does_not_have(qtbot) -> None:
    from workbench.ui.panels.evaluation_panel import EvaluationPanel

    actual = np.arange(10.0)
    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    panel.set_regression(RegressionEvaluation(actual, np.full(10, np.nan), 4.5))
    assert _scores_table(panel)[0][1] == "nan"
    xs, _ys = panel.regression_view.points.getData()
    assert len(xs) == 0
    edges, counts = panel.regression_view.histogram.getData()
    assert edges is None or len(counts) == 0


def test_a_regression_run_on_the_evaluation_tab(qtbot, make_window) -> None:
    window = make_window(TrainConfig().with_changes(
        data={"dataset": "diabetes"}, run={"epochs": 10, "device": "cpu"}))
    feature = window.features["evaluation"]
    with qtbot.waitSignal(feature.evaluation_ready, timeout=RUN_TIMEOUT) as ready:
        assert window.start_training()
    ev = ready.args[0]
    assert isinstance(ev, RegressionEvaluation)
    data = window.controller.prepared_data()
    assert ev.n == data.n_val
    np.testing.assert_array_equal(ev.actual, data.y_val.astype(np.float64))
    assert ev.baseline_value == pytest.approx(float(np.mean(data.y_train, dtype=np.float64)))
    # the run's validation loss is in standardised units; RMSE is in the target's own
    assert ev.rmse ** 2 / data.target_std ** 2 == pytest.approx(
        window.model.summary["val_loss"], rel=1e-4)
    panel = feature.panel
    window.tabs.setCurrentWidget(panel)
    assert panel.regression_view.isVisible()
    assert _scores_table(panel)[2][1] == format_value(ev.rmse)
    axis = panel.regression_view.scatter_plot.getPlotItem().getAxis("bottom")
    assert axis.labelText == "Actual disease progression"
    # The tab asks for no more room than the Training tab beside it (which, with the form,
    # fits 1100 x 700).
    hint = panel.minimumSizeHint()
    training = window.tabs.widget(0).minimumSizeHint()
    assert hint.width() <= training.width() and hint.height() <= training.height(), hint


def test_the_regression_view_fits_a_small_laptop_screen(qtbot, window) -> None:
    panel = window.features["evaluation"].panel
    panel.set_regression(_regression(n=5000, target="a rather long name of the target column"))
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(panel.regression_view.isVisible)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1100 and hint.height() <= 700, hint
