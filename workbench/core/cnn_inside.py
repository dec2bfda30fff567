"""Inside a CNN: the first convolution's filters and one sample's feature maps, as plain arrays.

The window draws them; this module only computes them, without Qt. Everything runs under
``torch.no_grad`` with every layer in eval mode (BatchNorm uses its running statistics, Dropout
does nothing) and the modules' train/eval flags restored, so a picture taken during a run
changes nothing in it.

A *stage* is what one step of the network's image part makes of the sample: a convolution
(with the normalisation and activation that follow it, which keep the shape) or a pooling
layer. The stages stop where the image is flattened for the classifier head.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from workbench.core.models import evaluation_mode

CONV = "conv"
MAX_POOL = "max_pool"
AVG_POOL = "avg_pool"


@dataclass(frozen=True)
class MapStage:
    """One stage's output for one sample: ``maps`` float32 (channels, height, width)."""

    kind: str  # CONV, MAX_POOL or AVG_POOL
    layer: int  # index in the ``nn.Sequential`` of the convolution or pooling layer
    channels: int  # convolution: number of filters; pooling: channels passed through
    size: int  # convolution: kernel size; pooling: window size
    shape: tuple[int, int, int]  # (channels, height, width) of ``maps``
    maps: np.ndarray = field(repr=False)


def _pair_first(value: int | tuple[int, ...]) -> int:
    return int(value[0]) if isinstance(value, tuple) else int(value)


def _layers(module: nn.Module) -> list[nn.Module]:
    return list(module.children()) if isinstance(module, nn.Sequential) else [module]


def first_convolution(module: nn.Module) -> nn.Conv2d | None:
    """The model's first 2-D convolution, or None for a model without one (an MLP)."""
    return next((m for m in module.modules() if isinstance(m, nn.Conv2d)), None)


def has_convolution(module: nn.Module) -> bool:
    return first_convolution(module) is not None


def first_filters(module: nn.Module) -> np.ndarray | None:
    """A float32 copy of the first convolution's weights on the CPU, shape
    (filters, input channels, kernel height, kernel width); None without a convolution."""
    conv = first_convolution(module)
    if conv is None:
        return None
    with torch.no_grad():
        return conv.weight.detach().float().cpu().numpy().copy()


def _stage(kind: str, index: int, layer: nn.Module, x: torch.Tensor) -> MapStage:
    maps = x[0].detach().float().cpu().numpy().copy()
    if kind == CONV:
        channels, size = int(layer.out_channels), _pair_first(layer.kernel_size)
    else:
        channels, size = int(maps.shape[0]), _pair_first(layer.kernel_size)
    c, h, w = maps.shape
    return MapStage(kind, index, channels, size, (int(c), int(h), int(w)), maps)


def feature_maps(module: nn.Module, sample: torch.Tensor) -> list[MapStage]:
    """The stages of one sample (shape (1, channels, height, width), normalised as the model
    expects) through the image part of an ``nn.Sequential`` CNN; [] for a model without
    convolutions.

    A convolution's stage is taken after the layers that follow it up to the next convolution,
    pooling or flatten (normalisation, activation), so it shows what the next layer receives.
    """
    if not has_convolution(module) or sample.dim() != 4:
        return []
    stages: list[MapStage] = []
    open_conv: tuple[int, nn.Module] | None = None
    x = sample
    with torch.no_grad(), evaluation_mode(module):
        for index, layer in enumerate(_layers(module)):
            ends_conv = isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.Flatten))
            if open_conv is not None and ends_conv:
                stages.append(_stage(CONV, open_conv[0], open_conv[1], x))
                open_conv = None
            if isinstance(layer, nn.Flatten) or x.dim() != 4:
                break
            x = layer(x)
            if isinstance(layer, nn.Conv2d):
                open_conv = (index, layer)
            elif isinstance(layer, (nn.MaxPool2d, nn.AvgPool2d)):
                kind = MAX_POOL if isinstance(layer, nn.MaxPool2d) else AVG_POOL
                stages.append(_stage(kind, index, layer, x))
        if open_conv is not None and x.dim() == 4:
            stages.append(_stage(CONV, open_conv[0], open_conv[1], x))
    return stages


def normalised_sample(data: object, index: int, mean: np.ndarray, std: np.ndarray
                      ) -> np.ndarray:
    """Validation sample ``index`` of a PreparedData (its inputs are normalised with the data's
    own statistics) normalised with ``mean``/``std`` instead (a model's), shape (1, ...)."""
    raw = data.x_val[index:index + 1] * data.std + data.mean
    return np.ascontiguousarray((raw - mean) / std, dtype=np.float32)


def raw_sample(data: object, index: int) -> np.ndarray:
    """Validation sample ``index`` in its own units (the picture a person knows), shape (...)."""
    return np.asarray(data.x_val[index] * data.std + data.mean, dtype=np.float32)
