"""The Try tab's 2-D map is drawn when the tab is shown, not after every run behind it (it costs
a few tenths of a second on the window's thread), and then shows the model's own answers."""

from __future__ import annotations

import numpy as np

from workbench.ui.panels.predict_panel import GRID, class_color

RUN_TIMEOUT = 60_000


def _run(window, qtbot) -> None:
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT):
        assert window.start_training()


def _map_classes(panel) -> tuple[np.ndarray, np.ndarray]:
    """The class each map pixel is coloured as, and the class the model predicts there."""
    image = np.asarray(panel._image.image, dtype=np.float64)
    assert image.shape == (GRID, GRID, 3)
    rect = panel._image.mapRectToParent(panel._image.boundingRect())
    gx = np.linspace(rect.left(), rect.right(), GRID)
    gy = np.linspace(rect.top(), rect.bottom(), GRID)
    xx, yy = np.meshgrid(gx, gy, indexing="ij")
    grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
    predicted = panel.model.predict(grid).labels
    k = len(panel.model.class_names)
    tint = (255 - image).reshape(-1, 3)  # strength x (255 - the class colour)
    shades = np.array([255 - np.array(class_color(c), dtype=np.float64) for c in range(k)])
    cosine = (tint @ shades.T) / (np.linalg.norm(tint, axis=1, keepdims=True)
                                  * np.linalg.norm(shades, axis=1) + 1e-12)
    return cosine.argmax(axis=1), np.asarray(predicted)


def test_map_waits_for_the_try_tab_and_then_shows_the_models_answers(make_window, tiny_config,
                                                                      qtbot) -> None:
    window = make_window(tiny_config(epochs=2))
    panel = window.predict_panel
    assert window.tabs.currentWidget() is not panel
    _run(window, qtbot)
    assert panel.model is window.model and panel.has_data
    assert panel.map_pending and panel._image.image is None  # nothing drawn behind the tab

    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: not panel.map_pending, timeout=5_000)
    shown, predicted = _map_classes(panel)
    assert np.mean(shown == predicted) > 0.99

    # A run while the Try tab is shown redraws it at once, for the new model.
    first = panel.model
    _run(window, qtbot)
    assert panel.model is not first and not panel.map_pending
    shown, predicted = _map_classes(panel)
    assert np.mean(shown == predicted) > 0.99

    # Behind another tab again: the next model waits, and is drawn when the tab comes back.
    window.tabs.setCurrentIndex(0)
    _run(window, qtbot)
    assert panel.map_pending
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: not panel.map_pending, timeout=5_000)
    shown, predicted = _map_classes(panel)
    assert np.mean(shown == predicted) > 0.99
