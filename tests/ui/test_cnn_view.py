"""Inside a CNN, in a shown window with real training on the digits: the filters drawn are the
model's weights, the shape labels are the shapes its layers make, the view is there only for
CNNs, live pictures arrive during a run, and an opened model shows the same."""

from __future__ import annotations

import copy

import numpy as np
import torch
from PySide6.QtCore import Qt
from torch import nn

from workbench.config import ModelKind, Pooling, TrainConfig
from workbench.core.cnn_inside import normalised_sample
from workbench.core.events import LiveViewUpdated


def _digits_cnn(epochs: int = 2, kernel: int = 3, pooling: Pooling = Pooling.MAX,
                batch_size: int = 64) -> TrainConfig:
    return TrainConfig().with_changes(
        data={"dataset": "digits"},
        model={"kind": ModelKind.CNN, "channels": (4, 6), "kernel_size": kernel,
               "pooling": pooling, "hidden": (16,)},
        run={"epochs": epochs, "batch_size": batch_size, "device": "cpu"})


def _view(window):
    return window.features["cnn_view"]


def _run(qtbot, window, timeout: int = 60_000) -> list[LiveViewUpdated]:
    events: list[LiveViewUpdated] = []
    window.controller.live_view_received.connect(events.append)
    with qtbot.waitSignal(window.model_changed, timeout=timeout):
        assert window.start_training()
    return events


def _expected_labels(module: nn.Module, x: torch.Tensor) -> list[str]:
    """The labels the view should show, from the layers' real output shapes (forward hooks on
    a copy: other views may run the window's model in the background meanwhile)."""
    module = copy.deepcopy(module)
    labels: list[str] = []

    def hook(layer: nn.Module, _inputs: object, out: torch.Tensor) -> None:
        shape = " x ".join(str(s) for s in out.shape[1:])
        if isinstance(layer, nn.Conv2d):
            k = layer.kernel_size[0]
            labels.append(f"{layer.out_channels} filters, {k}x{k} \u2192 {shape}")
        else:
            kind = "max-pool" if isinstance(layer, nn.MaxPool2d) else "average-pool"
            labels.append(f"{kind} {layer.kernel_size} \u2192 {shape}")

    hooks = [m.register_forward_hook(hook) for m in module.modules()
             if isinstance(m, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d))]
    try:
        with torch.no_grad():
            module(x)
    finally:
        for h in hooks:
            h.remove()
    return labels


def _check_against_model(window) -> None:
    panel = _view(window).panel
    model = window.model
    np.testing.assert_array_equal(panel.filters, model.module[0].weight.detach().numpy())
    assert panel.filters_view.count == model.module[0].out_channels
    data = window.form.prepared_data_for(model.config) or window.controller.last_engine.data
    x = torch.as_tensor(normalised_sample(data, panel.sample, model.mean, model.std))
    assert panel.stage_labels() == _expected_labels(model.module, x)


def test_the_view_is_there_only_for_cnn_models(make_window, qtbot, tiny_config) -> None:
    window = make_window(tiny_config(epochs=1))
    view = _view(window)
    assert view.panel.isHidden()
    _run(qtbot, window)  # an MLP on the spiral
    assert view.panel.isHidden()
    window.form.set_config(_digits_cnn(epochs=1))
    _run(qtbot, window)
    assert not view.panel.isHidden() and view.panel.filters is not None
    view.action.setChecked(False)  # View > Inside the CNN off
    assert view.panel.isHidden()
    view.action.setChecked(True)
    assert not view.panel.isHidden()
    window.form.set_config(tiny_config(epochs=1))
    _run(qtbot, window)  # back to an MLP: the view goes
    assert view.panel.isHidden()


def test_live_filters_and_maps_arrive_during_a_run(make_window, qtbot) -> None:
    window = make_window(_digits_cnn(epochs=8, batch_size=16))
    panel = _view(window).panel
    shown: list[np.ndarray] = []
    window.controller.live_view_received.connect(
        lambda e: shown.append(panel.filters.copy()) if e.filters is not None else None)
    window.controller.run_started.connect(lambda _e: panel.sample_spin.setValue(5))
    events = [e for e in _run(qtbot, window) if e.filters is not None]
    assert len(events) >= 2, "no live CNN pictures during the run"
    # What the panel drew is what the training thread sent: the running model's weights.
    for event, drawn in zip(events, shown, strict=True):
        np.testing.assert_array_equal(drawn, event.filters)
    assert not np.array_equal(events[0].filters, events[-1].filters)  # the filters learn
    last = events[-1]
    assert last.maps_sample == 4  # the chosen sample (5, counted from 1)
    assert [s.shape for s in last.feature_maps] == [(4, 8, 8), (4, 4, 4), (6, 4, 4), (6, 2, 2)]


def test_shape_labels_and_filters_match_the_model_after_a_run(make_window, qtbot) -> None:
    window = make_window(_digits_cnn(kernel=5, pooling=Pooling.AVG))
    _run(qtbot, window)
    panel = _view(window).panel
    _check_against_model(window)
    assert panel.stage_labels() == [
        "4 filters, 5x5 \u2192 4 x 8 x 8", "average-pool 2 \u2192 4 x 4 x 4",
        "6 filters, 5x5 \u2192 6 x 4 x 4", "average-pool 2 \u2192 6 x 2 x 2"]
    before = [s.maps.copy() for s in panel.stages]
    for _ in range(6):  # another sample: other maps, same shapes
        qtbot.keyClick(panel.sample_spin, Qt.Key_Up)
    assert panel.sample == 6
    after = [s.maps for s in panel.stages]
    assert any(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    _check_against_model(window)


def test_an_opened_model_shows_its_filters_and_maps(make_window, qtbot, tmp_path) -> None:
    window = make_window(_digits_cnn(kernel=3, pooling=Pooling.MAX))
    _run(qtbot, window)
    path = tmp_path / "digits_cnn.wbm"
    assert window.save_model_to(path)
    other = make_window(_digits_cnn(kernel=7, pooling=Pooling.AVG))
    view = _view(other)
    assert view.panel.isHidden()
    assert other.open_model_path(path)
    qtbot.waitUntil(lambda: view.panel.filters is not None and bool(view.panel.stage_labels()),
                    timeout=30_000)
    assert not view.panel.isHidden()
    np.testing.assert_array_equal(view.panel.filters, window.model.module[0].weight.detach())
    assert view.panel.stage_labels()[:2] == ["4 filters, 3x3 \u2192 4 x 8 x 8",
                                             "max-pool 2 \u2192 4 x 4 x 4"]
    _check_against_model(other)


def test_the_run_sends_cnn_pictures_only_while_the_view_can_be_seen(make_window, qtbot) -> None:
    window = make_window(_digits_cnn(epochs=40, batch_size=16))
    view = _view(window)

    def asked() -> bool:
        return window.controller.cnn_pictures_asked

    with qtbot.waitSignal(window.run_started, timeout=30_000):
        assert window.start_training()
    qtbot.waitUntil(asked)
    window.tabs.setCurrentIndex(1)  # another tab: the view cannot be seen
    assert not asked()
    window.tabs.setCurrentWidget(window.training_tab)
    assert asked()
    view.action.setChecked(False)  # View > Inside the CNN off
    assert not asked() and view.panel.isHidden()
    window.stop_training()
    qtbot.waitUntil(lambda: not window.controller.is_active, timeout=30_000)


def test_filters_are_drawn_one_tile_each_in_grey_input_and_colour_input(qtbot) -> None:
    from PySide6.QtGui import QColor

    from workbench.ui.panels.cnn_panel import CnnPanel, filter_images

    panel = CnnPanel()
    qtbot.addWidget(panel)
    grey = np.zeros((5, 1, 3, 3), np.float32)
    grey[0, 0, 0, 0], grey[0, 0, 2, 2] = 1.0, -1.0  # strongest positive and negative weights
    panel.set_filters(grey)
    assert panel.filters_view.count == 5 and "5 filters, 3x3" in panel.filters_caption.text()
    image = filter_images(grey)[0]
    assert QColor(image.pixel(0, 0)).red() > 200 and QColor(image.pixel(0, 0)).blue() < 100
    assert QColor(image.pixel(2, 2)).blue() > 200 and QColor(image.pixel(2, 2)).red() < 100
    assert QColor(image.pixel(1, 1)).lightness() > 240  # 0 is white
    colour = np.zeros((4, 3, 5, 5), np.float32)
    colour[1, 1, 0, 0] = 2.0  # green channel only
    panel.set_filters(colour)
    assert panel.filters_view.count == 4 and "colour channel" in panel.filters_caption.text()
    pixel = QColor(filter_images(colour)[1].pixel(0, 0))
    assert pixel.green() == 255 and pixel.red() == pixel.blue() == 128


def test_an_opened_image_folder_model_reads_its_folder_only_when_asked(make_window, qtbot,
                                                                      tmp_path) -> None:
    """The folder a model names is not read by the view on its own: the filters show at once,
    the feature maps once the person opens the model's data (the window offers it)."""
    from PIL import Image

    from workbench.core.engine import Engine
    from workbench.core.modelfile import save_model

    rng = np.random.default_rng(0)
    for name, channel in (("red", 0), ("blue", 2)):
        (tmp_path / "shapes" / name).mkdir(parents=True)
        for i in range(12):
            pixels = rng.integers(0, 60, (16, 16, 3)).astype(np.uint8)
            pixels[4:12, 4:12, channel] = 250
            Image.fromarray(pixels).save(tmp_path / "shapes" / name / f"{i}.png")
    cfg = TrainConfig().with_changes(
        data={"dataset": "images", "image_dir": str(tmp_path / "shapes"), "image_size": 16},
        model={"kind": ModelKind.CNN, "channels": (4,), "hidden": (8,)},
        run={"epochs": 1, "batch_size": 8, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    path = tmp_path / "shapes.wbm"
    save_model(engine.trained_model(), path)

    window = make_window()
    view = _view(window)
    assert window.open_model_path(path)
    qtbot.waitUntil(lambda: view.panel.filters is not None, timeout=30_000)
    assert view.panel.stage_labels() == []
    assert window.form.prepared_data_for(window.model.config) is None  # nothing read
    window.files.open_training_data(window.model)  # the offer's Open
    qtbot.waitUntil(lambda: bool(view.panel.stage_labels()), timeout=30_000)
    assert view.panel.stage_labels()[0] == "4 filters, 3x3 \u2192 4 x 16 x 16"
    _check_against_model(window)
