import pytest
import torch
from torch import nn

from workbench.config import Activation, ModelConfig, ModelKind, Norm
from workbench.core.devices import list_devices, resolve_device
from workbench.core.models import build_model, parameter_count, summary_lines
from workbench.errors import TrainingError


@pytest.mark.parametrize("act", list(Activation))
def test_every_activation_builds_and_runs(act):
    model = build_model(ModelConfig(activation=act), (2,), 3)
    assert model(torch.randn(5, 2)).shape == (5, 3)


def test_mlp_layers_and_parameter_count():
    cfg = ModelConfig(hidden=(64, 64), input_dropout=0.2, dropout=0.5)
    model = build_model(cfg, (2,), 2)
    kinds = [type(m) for m in model]
    assert kinds == [nn.Dropout, nn.Linear, nn.ReLU, nn.Dropout, nn.Linear, nn.ReLU, nn.Dropout,
                     nn.Linear]
    assert model[0].p == 0.2 and model[3].p == 0.5
    assert parameter_count(model) == (2 * 64 + 64) + (64 * 64 + 64) + (64 * 2 + 2)


def test_norm_layers_and_per_layer_dropout():
    cfg = ModelConfig(hidden=(8, 4), norm=Norm.BATCH, dropout_per_layer=(0.1, 0.4))
    model = build_model(cfg, (3,), 1)
    assert any(isinstance(m, nn.BatchNorm1d) for m in model)
    assert [m.p for m in model if isinstance(m, nn.Dropout)] == [0.1, 0.4]
    ln = build_model(ModelConfig(norm=Norm.LAYER), (3,), 2)
    assert any(isinstance(m, nn.LayerNorm) for m in ln)


def test_cnn_on_images_and_summary():
    cfg = ModelConfig(kind=ModelKind.CNN, channels=(8, 16), hidden=(32,))
    model = build_model(cfg, (1, 8, 8), 10)
    assert model(torch.randn(4, 1, 8, 8)).shape == (4, 10)
    lines = summary_lines(model, (1, 8, 8))
    assert lines[-1].startswith("Total:") and any("Conv2d" in ln for ln in lines)
    with pytest.raises(TrainingError, match="image"):
        build_model(cfg, (4,), 2)


def test_devices_listed_best_first_with_cpu_last():
    devices = list_devices()
    assert devices[-1].id == "cpu" and "CPU" in devices[-1].name
    assert resolve_device("cpu")[0].type == "cpu"
    with pytest.raises(TrainingError, match="not available"):
        resolve_device("cuda:7" if not torch.cuda.is_available() else "cuda:99")


def test_multiply_adds_of_linear_and_convolution_layers():
    from workbench.core.models import multiply_adds

    mlp = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
    assert multiply_adds(mlp, (2,)) == 2 * 64 + 64 * 64 + 64 * 2
    cnn = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(8 * 4 * 4, 10), nn.Dropout(0.5))
    cnn.train()
    # 8x8 outputs x 8 channels, each 3x3x1 multiply-adds; then 128 x 10.
    assert multiply_adds(cnn, (1, 8, 8)) == 8 * 8 * 8 * 9 + 128 * 10
    assert all(m.training for m in cnn.modules())  # its mode is left as it was
