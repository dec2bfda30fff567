"""Inside a CNN: filters and feature maps are the model's own, with the shapes its layers make,
and taking them during a run changes nothing in the run."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from torch import nn

from workbench.config import TrainConfig
from workbench.core.cnn_inside import (
    AVG_POOL,
    CONV,
    MAX_POOL,
    feature_maps,
    first_filters,
    has_convolution,
    normalised_sample,
)
from workbench.core.data import prepare
from workbench.core.engine import Engine, RunControl
from workbench.core.events import LiveViewUpdated, RunFinished
from workbench.core.liveview import LiveView
from workbench.core.models import build_model


def _cnn(**model: object) -> TrainConfig:
    return TrainConfig().with_changes(
        data={"dataset": "digits"},
        model={"kind": "cnn", "channels": (6, 10), "kernel_size": 3, "pooling": "max",
               "hidden": (16,), **model},
        run={"epochs": 2, "batch_size": 64, "device": "cpu", "seed": 5, "restore_best": False})


def _real_shapes(module: nn.Module, x: torch.Tensor) -> dict[int, tuple[int, ...]]:
    """Output shape of every convolution's activation and every pooling layer, by hooks."""
    shapes: dict[int, tuple[int, ...]] = {}
    children = list(module.children())
    with torch.no_grad():
        module.eval()
        for i, layer in enumerate(children):
            x = layer(x)
            shapes[i] = tuple(x.shape[1:])
            if isinstance(layer, nn.Flatten):
                break
    return shapes


@pytest.mark.parametrize(("kernel", "channels", "pooling", "norm"), [
    (3, (8,), "max", "none"), (7, (4, 6), "avg", "batch"), (5, (3, 5, 7), "max", "none")])
def test_stages_have_the_shapes_the_layers_make(kernel: int, channels: tuple[int, ...],
                                                pooling: str, norm: str) -> None:
    cfg = _cnn(kernel_size=kernel, channels=channels, pooling=pooling, norm=norm).model
    module = build_model(cfg, (1, 16, 16), 10)
    x = torch.randn(1, 1, 16, 16)
    stages = feature_maps(module, x)
    shapes = _real_shapes(module, x)
    children = list(module.children())
    convs = [i for i, m in enumerate(children) if isinstance(m, nn.Conv2d)]
    pools = [i for i, m in enumerate(children) if isinstance(m, (nn.MaxPool2d, nn.AvgPool2d))]
    assert [s.layer for s in stages] == sorted(convs + pools)
    for stage in stages:
        layer = children[stage.layer]
        assert stage.maps.shape == stage.shape
        if stage.kind == CONV:
            # After the activation (the layer before the pool): what the pool receives.
            assert stage.shape == shapes[stage.layer + (3 if norm == "batch" else 2) - 1]
            assert (stage.channels, stage.size) == (layer.out_channels, kernel)
            assert stage.shape[0] == layer.out_channels
        else:
            assert stage.shape == shapes[stage.layer]
            assert stage.kind == (MAX_POOL if pooling == "max" else AVG_POOL)
            assert stage.size == 2


def test_max_and_average_pooling_give_different_maps_from_the_same_convolution() -> None:
    torch.manual_seed(0)
    module = build_model(_cnn(channels=(4,)).model, (1, 8, 8), 10)
    x = torch.randn(1, 1, 8, 8)
    stages = feature_maps(module, x)
    conv, pooled = stages[0].maps, stages[1].maps
    np.testing.assert_allclose(pooled, conv.reshape(4, 4, 2, 4, 2).max(axis=(2, 4)), rtol=1e-6)
    module[2] = nn.AvgPool2d(2)
    averaged = feature_maps(module, x)[1].maps
    np.testing.assert_allclose(averaged, conv.reshape(4, 4, 2, 4, 2).mean(axis=(2, 4)),
                               rtol=1e-5, atol=1e-7)
    assert feature_maps(module, x)[1].kind == AVG_POOL


def test_filters_are_a_copy_of_the_first_convolution_and_mlps_have_none() -> None:
    module = build_model(_cnn().model, (1, 8, 8), 10)
    filters = first_filters(module)
    np.testing.assert_array_equal(filters, module[0].weight.detach().numpy())
    filters[:] = 0  # a copy: the model keeps its weights
    assert module[0].weight.abs().sum() > 0
    mlp = build_model(TrainConfig().model, (2,), 2)
    assert not has_convolution(mlp)
    assert first_filters(mlp) is None and feature_maps(mlp, torch.zeros(1, 2)) == []


def _train(config: TrainConfig, live: LiveView | None
           ) -> tuple[Engine, list[LiveViewUpdated]]:
    control = RunControl()
    control.live_view = live
    events: list[object] = []
    engine = Engine(config)
    result = engine.run(events.append, control=control, flush_interval=0.0)
    assert isinstance(result, RunFinished), result
    return engine, [e for e in events if isinstance(e, LiveViewUpdated)]


def test_live_pictures_carry_the_running_models_filters_and_maps_and_change_nothing() -> None:
    config = _cnn(norm="batch", dropout=0.2)
    off, _ = _train(config, None)
    live = LiveView(enabled=False, interval=0.0, max_share=None)
    live.filters_requested = True
    live.maps_sample = 3
    on, events = _train(config, live)
    assert len(events) > 5
    first, last = events[0], events[-1]
    assert first.filters.shape == (6, 1, 3, 3)
    assert not np.array_equal(first.filters, last.filters)  # the filters learn
    # The last picture is taken after the last iteration: the final model's first layer.
    model = on.trained_model()
    np.testing.assert_array_equal(last.filters, model.module[0].weight.detach().numpy())
    assert last.maps_sample == 3
    x = torch.as_tensor(normalised_sample(on.data, 3, model.mean, model.std))
    for got, want in zip(last.feature_maps, feature_maps(model.module, x), strict=True):
        assert (got.kind, got.shape) == (want.kind, want.shape)
        np.testing.assert_allclose(got.maps, want.maps, rtol=1e-5, atol=1e-6)
    # Pictures took nothing from the run: the same weights bit for bit.
    for a, b in zip(off.trained_model().module.state_dict().values(),
                    model.module.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_no_cnn_pictures_unless_asked_or_for_an_mlp() -> None:
    _, events = _train(_cnn(), LiveView(enabled=True, interval=0.0, max_share=None))
    assert events and all(e.filters is None and e.feature_maps == () for e in events)
    mlp = TrainConfig().with_changes(data={"dataset": "spiral", "samples": 200},
                                     run={"epochs": 1, "device": "cpu"})
    live = LiveView(enabled=False, interval=0.0, max_share=None)
    live.filters_requested = True  # an MLP has no filters: no pictures are made at all
    assert _train(mlp, live)[1] == []


def test_samples_are_renormalised_for_the_model() -> None:
    data = prepare(_cnn().data, 0)
    raw = data.x_val[2] * data.std + data.mean
    mean, std = np.full_like(data.mean, 3.0), np.full_like(data.std, 2.0)
    np.testing.assert_allclose(normalised_sample(data, 2, mean, std)[0], (raw - 3.0) / 2.0,
                               rtol=1e-6)


def test_each_step_shows_the_filters_after_it_even_with_the_other_pictures_off() -> None:
    """A teacher steps a CNN with only the CNN view open: every step brings that step's
    filters, although the interval between pictures has not passed."""
    import threading

    from workbench.core.events import IterationsDone

    live = LiveView(enabled=False, interval=3600.0, max_share=None)
    live.filters_requested = True
    control = RunControl()
    control.live_view = live
    control.pause()
    events: list[object] = []
    engine = Engine(_cnn())
    thread = threading.Thread(target=lambda: engine.run(events.append, control), daemon=True)
    thread.start()
    pictures = []
    for _ in range(3):
        control.step(1)
        deadline = time.monotonic() + 30
        while not control.stepping_done or not any(
                isinstance(e, IterationsDone) for e in events[len(pictures):]):
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(0.05)
        pictures = [e for e in events if isinstance(e, LiveViewUpdated)]
    control.request_stop()
    thread.join(30)
    steps = [p.iteration for p in pictures]
    assert steps[-3:] == [1, 2, 3] and all(p.filters is not None for p in pictures)
    assert not np.array_equal(pictures[-1].filters, pictures[-2].filters)
