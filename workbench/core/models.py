"""Build an MLP or a small CNN from a ModelConfig; only known layers and options."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn

from workbench.config import Activation, ModelConfig, ModelKind, Norm, Pooling


def make_activation(cfg: ModelConfig) -> nn.Module:
    a = cfg.activation
    if a == Activation.RELU:
        return nn.ReLU()
    if a == Activation.LEAKY_RELU:
        return nn.LeakyReLU(cfg.leaky_slope)
    if a == Activation.ELU:
        return nn.ELU()
    if a == Activation.GELU:
        return nn.GELU()
    if a == Activation.SILU:
        return nn.SiLU()
    if a == Activation.MISH:
        return nn.Mish()
    if a == Activation.TANH:
        return nn.Tanh()
    if a == Activation.SIGMOID:
        return nn.Sigmoid()
    if a == Activation.SOFTPLUS:
        return nn.Softplus()
    raise ValueError(f"unknown activation {a!r}")


def _norm1d(kind: Norm, width: int) -> list[nn.Module]:
    if kind == Norm.BATCH:
        return [nn.BatchNorm1d(width)]
    if kind == Norm.LAYER:
        return [nn.LayerNorm(width)]
    return []


def _norm2d(kind: Norm, channels: int) -> list[nn.Module]:
    if kind == Norm.BATCH:
        return [nn.BatchNorm2d(channels)]
    if kind == Norm.LAYER:
        # GroupNorm with one group normalises each sample over all its features: layer norm.
        return [nn.GroupNorm(1, channels)]
    return []


def _mlp_layers(cfg: ModelConfig, n_in: int, n_out: int, input_dropout: float) -> list[nn.Module]:
    layers: list[nn.Module] = []
    if input_dropout > 0:
        layers.append(nn.Dropout(input_dropout))
    width = n_in
    for h, p in zip(cfg.hidden, cfg.hidden_dropouts()):
        layers.append(nn.Linear(width, h))
        layers.extend(_norm1d(cfg.norm, h))
        layers.append(make_activation(cfg))
        if p > 0:
            layers.append(nn.Dropout(p))
        width = h
    layers.append(nn.Linear(width, n_out))
    return layers


def build_model(cfg: ModelConfig, input_shape: tuple[int, ...], n_out: int) -> nn.Sequential:
    """``n_out``: number of classes, or 1 for regression."""
    if cfg.kind == ModelKind.CNN:
        if len(input_shape) != 3:
            from workbench.errors import TrainingError

            raise TrainingError.from_template("A CNN needs image data (digits or an image "
                                              "folder); choose the MLP for tabular or 2-D "
                                              "data.")
        c, h, w = input_shape
        layers: list[nn.Module] = []
        pad = cfg.kernel_size // 2
        for ch in cfg.channels:
            layers.append(nn.Conv2d(c, ch, cfg.kernel_size, padding=pad))
            layers.extend(_norm2d(cfg.norm, ch))
            layers.append(make_activation(cfg))
            if min(h, w) >= 2:
                pool = nn.MaxPool2d(2) if cfg.pooling == Pooling.MAX else nn.AvgPool2d(2)
                layers.append(pool)
                h, w = h // 2, w // 2
            c = ch
        layers.append(nn.Flatten())
        # In a CNN, "input dropout" acts on the features entering the classifier head:
        # dropping raw pixels of small images destroys more than it regularises.
        layers.extend(_mlp_layers(cfg, c * h * w, n_out, cfg.input_dropout))
        return nn.Sequential(*layers)
    n_in = 1
    for s in input_shape:
        n_in *= s
    layers = [nn.Flatten()] if len(input_shape) > 1 else []
    layers.extend(_mlp_layers(cfg, n_in, n_out, cfg.input_dropout))
    return nn.Sequential(*layers)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


@contextlib.contextmanager
def evaluation_mode(module: nn.Module) -> Iterator[None]:
    """Every sub-module in eval mode for the block, then each one's own flag restored."""
    flags = [(m, m.training) for m in module.modules()]
    module.eval()
    try:
        yield
    finally:
        for m, flag in flags:
            m.training = flag


def multiply_adds(model: nn.Module, input_shape: tuple[int, ...]) -> int:
    """Multiply-adds of one sample's forward pass through the linear and convolution layers
    (the bulk of the work). Linear layers alone are counted from their sizes; a network with
    convolutions is measured by one pass of a zero sample in eval mode (their work depends on
    the image size at each layer)."""
    layers = list(model.modules())
    if not any(isinstance(m, nn.Conv2d) for m in layers):
        return sum(m.in_features * m.out_features for m in layers if isinstance(m, nn.Linear))
    total = 0

    def count(module: nn.Module, _inputs: object, output: torch.Tensor) -> None:
        nonlocal total
        if isinstance(module, nn.Linear):
            total += module.in_features * module.out_features
        else:
            kh, kw = module.kernel_size
            total += int(output[0].numel()) * (module.in_channels // module.groups) * kh * kw

    hooks = [m.register_forward_hook(count) for m in layers
             if isinstance(m, (nn.Linear, nn.Conv2d))]
    device = next(model.parameters(), torch.zeros(0)).device
    try:
        with torch.no_grad(), evaluation_mode(model):
            model(torch.zeros((1, *input_shape), device=device))
    finally:
        for hook in hooks:
            hook.remove()
    return total


def summary_lines(model: nn.Module, input_shape: tuple[int, ...]) -> list[str]:
    """One line per layer: name, output shape, parameters."""
    lines = []
    x = torch.zeros((1, *input_shape))
    with torch.no_grad(), evaluation_mode(model):
        for i, layer in enumerate(model):
            x = layer(x)
            params = sum(p.numel() for p in layer.parameters())
            shape = "x".join(str(s) for s in x.shape[1:])
            lines.append(f"{i:>2}  {layer!r:<48} -> {shape:<12} {params:>9,} params")
    lines.append(f"Total: {parameter_count(model):,} parameters")
    return lines
