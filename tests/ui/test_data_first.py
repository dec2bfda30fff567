"""Data first: the chosen data is on screen before any run (points, sample images, counts)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QWidget

from workbench.config import TrainConfig
from workbench.ui.panels.sample_strip import to_rgb8


def _data_view(window: QWidget):
    return window.features["data_view"]


def _wait_preview(qtbot, window: QWidget) -> None:
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=30_000)


def test_points_and_counts_appear_before_any_run_and_follow_the_settings(make_window,
                                                                          qtbot) -> None:
    cfg = TrainConfig().with_changes(data={"dataset": "moons", "samples": 300,
                                           "val_split": 0.2})
    window = make_window(cfg)
    view = _data_view(window)
    boundary = view.boundary
    _wait_preview(qtbot, window)
    qtbot.waitUntil(lambda: boundary.has_points, timeout=10_000)
    assert window.model is None and not window.controller.is_active
    assert boundary.showing_plane and boundary.image is None  # points, no colours yet
    boundary.set_points_shown("both")
    assert boundary.visible_point_counts() == (240, 60)
    assert "240 training points" in boundary.caption.text()
    # The points are the data's own, in raw units, split as the run will split them.
    data = window.form.preview
    train_xy = np.asarray(boundary._train_scatter.getData()).T
    np.testing.assert_allclose(train_xy, data.x_train * data.std + data.mean, atol=1e-5)
    chart = window.form.data_panel.class_counts
    assert chart.isVisible()
    names, train, val = chart.counts()
    assert len(names) == 2 and train == [120, 120] and val == [30, 30]
    assert not boundary.sample_strip.isVisible()

    # Other settings: the points and counts follow (500 samples, 40 % held out).
    window.form.data_panel.samples_spin.setValue(500)
    window.form.data_panel.val_split_spin.setValue(40)
    qtbot.waitUntil(lambda: boundary.visible_point_counts() == (300, 200), timeout=10_000)
    assert chart.counts()[1:] == ([150, 150], [100, 100])


def test_image_data_shows_sample_images_and_counts_per_class(make_window, qtbot) -> None:
    window = make_window(TrainConfig().with_changes(data={"dataset": "digits"}))
    _wait_preview(qtbot, window)
    panel = window.form.data_panel
    boundary = _data_view(window).boundary
    strip = boundary.sample_strip
    qtbot.waitUntil(strip.isVisible, timeout=10_000)
    assert strip is window.findChild(QWidget, "sampleStrip")
    assert strip.shown == [5] * 10
    assert len(strip.class_names) == 10
    qtbot.waitUntil(lambda: strip.height() > 20 and strip.width() > 100, timeout=5_000)
    names, train, val = panel.class_counts.counts()
    assert names[0] == "0" and names[-1] == "9"
    data = window.form.preview
    assert train == data.train_counts.tolist() and val == data.val_counts.tolist()
    assert sum(train) + sum(val) == 1797  # every digit counted
    # No plane for 64 inputs: the images stand in, with a word on why.
    assert "two features" in boundary.message.text()
    assert not boundary.has_points and not boundary.showing_plane
    # The images are the training split's first of each class, in raw pixel values.
    first_seven = int(np.flatnonzero(data.y_train == 7)[0])
    expected = to_rgb8(data.x_train[first_seven] * data.std + data.mean)
    image = strip._images[7][0]
    shown = np.array([[image.pixelColor(x, y).red() for x in range(8)] for y in range(8)])
    assert np.array_equal(shown, expected[:, :, 0]) and shown.max() == 255


def test_switching_data_replaces_the_points(make_window, qtbot) -> None:
    window = make_window(TrainConfig().with_changes(data={"dataset": "circles",
                                                          "samples": 200}))
    boundary = _data_view(window).boundary
    _wait_preview(qtbot, window)
    qtbot.waitUntil(lambda: boundary.has_points, timeout=10_000)
    circles = window.form.preview
    panel = window.form.data_panel
    panel.dataset_combo.setCurrentIndex(panel.dataset_combo.findData("xor"))
    qtbot.waitUntil(lambda: window.form.preview is not None
                    and window.form.preview is not circles and boundary.has_points,
                    timeout=10_000)
    data = window.form.preview
    assert data.name == "xor"
    boundary.set_points_shown("training")
    assert boundary.visible_point_counts() == (data.n_train, 0)
    xy = np.asarray(boundary._train_scatter.getData()).T
    np.testing.assert_allclose(xy, data.x_train * data.std + data.mean, atol=1e-5)
