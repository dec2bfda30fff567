"""Painting a data set on the plane: clicks, drags, right-clicks, undo, files, runs."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from workbench.config import TrainConfig
from workbench.core.data.drawn import read_drawing


def _draw_window(make_window, qtbot, **run: object) -> tuple[QWidget, object]:
    changes = {"epochs": 5, "batch_size": 8, "device": "cpu"}
    changes.update(run)
    window = make_window(TrainConfig().with_changes(data={"dataset": "draw"}, run=changes))
    view = window.features["data_view"]
    qtbot.waitUntil(lambda: view.boundary.drawing, timeout=5_000)
    return window, view


def _click(qtbot, view, x: float, y: float, button=Qt.MouseButton.LeftButton) -> None:
    pos = view.boundary.widget_pos(x, y)
    qtbot.mouseClick(view.boundary.plot.viewport(), button, pos=pos.toPoint())


def _paint_clusters(qtbot, view, centres: list[tuple[float, float, int]], n: int) -> None:
    """``n`` clicks around each centre, with the class chosen by its button."""
    rng = np.random.default_rng(0)
    for cx, cy, label in centres:
        qtbot.mouseClick(view.boundary.draw_bar.class_buttons[label], Qt.MouseButton.LeftButton)
        for dx, dy in rng.uniform(-0.15, 0.15, (n, 2)):
            _click(qtbot, view, cx + dx, cy + dy)


def test_clicks_add_points_of_the_chosen_class_where_clicked(make_window, qtbot) -> None:
    window, view = _draw_window(make_window, qtbot)
    assert window.form.data_panel.current_dataset() == "draw"
    assert view.boundary.draw_bar.isVisible() and view.boundary.showing_plane
    _click(qtbot, view, 0.5, -0.25)
    qtbot.mouseClick(view.boundary.draw_bar.class_buttons[1], Qt.MouseButton.LeftButton)
    _click(qtbot, view, -0.6, 0.4)
    points = window.form.config().data.points
    assert [p[2] for p in points] == [0, 1]
    # Where the click landed, to within a pixel of the plane.
    pixel = 2.0 / view.boundary.plot.plotItem.vb.width()
    np.testing.assert_allclose([p[:2] for p in points], [(0.5, -0.25), (-0.6, 0.4)],
                               atol=2 * pixel)
    assert view.boundary.visible_point_counts() == (2, 0)

    # A right-click removes the nearest point; one far from any removes nothing.
    _click(qtbot, view, 0.45, -0.2, Qt.MouseButton.RightButton)
    assert [p[2] for p in window.form.config().data.points] == [1]
    _click(qtbot, view, 0.9, 0.9, Qt.MouseButton.RightButton)
    assert len(window.form.config().data.points) == 1

    # Undo brings the removed point back; Clear empties; Undo again restores.
    qtbot.mouseClick(view.boundary.draw_bar.undo_button, Qt.MouseButton.LeftButton)
    assert window.form.config().data.points == points
    qtbot.mouseClick(view.boundary.draw_bar.clear_button, Qt.MouseButton.LeftButton)
    assert window.form.config().data.points == ()
    assert view.boundary.visible_point_counts() == (0, 0)
    qtbot.mouseClick(view.boundary.draw_bar.undo_button, Qt.MouseButton.LeftButton)
    assert window.form.config().data.points == points


def test_dragging_paints_a_trail_of_points(make_window, qtbot) -> None:
    window, view = _draw_window(make_window, qtbot)
    viewport = view.boundary.plot.viewport()
    start, end = view.boundary.widget_pos(-0.8, 0.0), view.boundary.widget_pos(0.8, 0.0)

    def send(kind: QEvent.Type, where: QPointF, buttons: Qt.MouseButton) -> None:
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else (
            Qt.MouseButton.LeftButton)
        event = QMouseEvent(kind, where, viewport.mapToGlobal(where), button, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    send(QEvent.Type.MouseButtonPress, start, Qt.MouseButton.LeftButton)
    for t in np.linspace(0, 1, 41)[1:]:
        send(QEvent.Type.MouseMove, start + (end - start) * float(t), Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)
    xs = [p[0] for p in window.form.config().data.points]
    # One point per 3 % of the canvas's width moved (1.6 of 2.0 wide): about 27, in order.
    assert 20 <= len(xs) <= 30
    assert xs == sorted(xs) and xs[0] < -0.75 and xs[-1] > 0.7


def test_a_saved_drawing_opens_again_identically_and_can_be_painted_on(make_window, qtbot,
                                                                       tmp_path) -> None:
    window, view = _draw_window(make_window, qtbot)
    qtbot.mouseClick(view.boundary.draw_bar.classes_spin, Qt.MouseButton.LeftButton)
    view.boundary.draw_bar.classes_spin.setValue(3)
    _paint_clusters(qtbot, view, [(-0.5, -0.5, 0), (0.5, 0.5, 1), (0.5, -0.5, 2)], 4)
    painted = window.form.config().data.points
    path = tmp_path / "my drawing.csv"
    assert view.save_drawing_to(str(path))
    assert read_drawing(path) == (painted, 3)

    qtbot.mouseClick(view.boundary.draw_bar.clear_button, Qt.MouseButton.LeftButton)
    window.form.data_panel.dataset_combo.setCurrentIndex(
        window.form.data_panel.dataset_combo.findData("spiral"))
    assert not view.boundary.drawing
    assert view.open_drawing(str(path))
    cfg = window.form.config().data
    assert cfg.dataset == "draw" and cfg.classes == 3 and cfg.points == painted
    assert view.boundary.draw_bar.classes_spin.value() == 3
    _click(qtbot, view, 0.0, 0.0)
    assert window.form.config().data.points[:-1] == painted

    # A file that is not a drawing: a message, the drawing untouched.
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    before = window.form.config().data.points
    assert not view.open_drawing(str(bad))
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "x,y,label" in boxes[-1].text() + boxes[-1].informativeText()
    assert window.form.config().data.points == before
    for box in boxes:
        box.close()


def test_start_with_too_few_points_or_one_class_says_so(make_window, qtbot) -> None:
    window, view = _draw_window(make_window, qtbot)
    _click(qtbot, view, 0.1, 0.1)
    _click(qtbot, view, 0.2, 0.1)
    assert not window.start_training()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "paint at least 4" in boxes[-1].informativeText()
    for box in boxes:
        box.close()
    for x in (0.3, 0.4, 0.5):
        _click(qtbot, view, x, 0.1)
    assert not window.start_training()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert "one class only" in boxes[-1].informativeText()
    for box in boxes:
        box.close()
    assert not window.controller.is_active


def test_a_run_trains_on_the_drawing_and_on_points_painted_while_it_runs(make_window,
                                                                         qtbot) -> None:
    window, view = _draw_window(make_window, qtbot, epochs=500, batch_size=8)
    _paint_clusters(qtbot, view, [(-0.5, 0.0, 0), (0.5, 0.0, 1)], 20)
    # 40 points, every 5th of each class held out: 32 to train on, 4 iterations of 8.
    qtbot.waitUntil(lambda: window.form.preview is not None
                    and window.form.preview.n_train == 32, timeout=10_000)
    epochs: list = []
    window.controller.epochs_ended.connect(epochs.extend)
    assert window.start_training()
    window.controller.pause()
    qtbot.waitUntil(lambda: window.controller.last_started is not None, timeout=30_000)
    assert window.controller.last_started.train_samples == 32
    # A third cluster of class 0 painted during the (paused) run: 20 more, 16 to train on.
    _paint_clusters(qtbot, view, [(0.0, 0.7, 0)], 20)
    assert view.boundary.visible_point_counts() == (48, 12)
    window.controller.resume()
    qtbot.waitUntil(lambda: len(epochs) >= 3, timeout=30_000)
    window.controller.stop()
    qtbot.waitUntil(lambda: not window.controller.is_active, timeout=30_000)
    per_epoch = np.diff([0] + [e.iteration for e in epochs])
    # The epoch under way when the points came kept its 4 iterations; then 48 / 8 = 6.
    assert per_epoch[0] == 4 and set(per_epoch[1:].tolist()) == {6}
    assert window.controller.prepared_data().n_train == 48
    assert "48" in window.concept_panel.math_label.text()


def test_the_draw_action_chooses_the_drawing_and_a_drawn_model_reopens_with_it(
        make_window, qtbot, tmp_path) -> None:
    window = make_window(TrainConfig().with_changes(data={"dataset": "moons"},
                                                    run={"epochs": 3, "batch_size": 4,
                                                         "device": "cpu"}))
    view = window.features["data_view"]
    action = window.findChild(QAction, "drawDatasetAction")
    assert action is not None and not view.boundary.drawing
    action.trigger()
    qtbot.waitUntil(lambda: view.boundary.drawing, timeout=5_000)
    _paint_clusters(qtbot, view, [(-0.5, 0.0, 0), (0.5, 0.0, 1)], 6)
    painted = window.form.config().data.points
    with qtbot.waitSignal(window.model_changed, timeout=30_000):
        assert window.start_training()
    path = tmp_path / "drawn.wbm"
    assert window.save_model_to(path)
    # Other data, then the model: its drawing comes back on the canvas.
    window.form.data_panel.dataset_combo.setCurrentIndex(
        window.form.data_panel.dataset_combo.findData("spiral"))
    assert not view.boundary.drawing
    assert window.open_model_path(path)
    qtbot.waitUntil(lambda: view.boundary.drawing, timeout=10_000)
    assert window.form.config().data.points == painted
    qtbot.waitUntil(lambda: view.boundary.image is not None, timeout=10_000)
    assert view.boundary.visible_point_counts() == (10, 2)


def test_points_painted_on_a_run_started_by_step_are_trained_on(make_window, qtbot) -> None:
    window, view = _draw_window(make_window, qtbot, epochs=50, batch_size=8)
    _paint_clusters(qtbot, view, [(-0.5, 0.0, 0), (0.5, 0.0, 1)], 10)
    qtbot.waitUntil(lambda: window.form.preview is not None
                    and window.form.preview.n_train == 16, timeout=10_000)
    epochs: list = []
    window.controller.epochs_ended.connect(epochs.extend)
    step_epoch = window.findChild(QPushButton, "stepEpochButton")
    qtbot.mouseClick(window.findChild(QPushButton, "stepIterationButton"),
                     Qt.MouseButton.LeftButton)  # starts the run paused
    qtbot.waitUntil(lambda: window.controller.is_active, timeout=10_000)
    _paint_clusters(qtbot, view, [(0.0, 0.6, 1)], 10)  # 10 more, 8 of them to train on
    for n in (1, 2):
        qtbot.mouseClick(step_epoch, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=n: len(epochs) >= n, timeout=30_000)
    window.controller.stop()
    qtbot.waitUntil(lambda: not window.controller.is_active, timeout=30_000)
    assert window.controller.prepared_data().n_train == 24
    # The second epoch trains on all 24: 3 iterations of 8.
    assert epochs[1].iteration - epochs[0].iteration == 3
