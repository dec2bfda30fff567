"""Image augmentation for training batches: flip, crop, rotation and colour jitter.

Applied to training batches only (the engine guarantees that), on whatever device the batch
is on. The geometric changes of a whole batch become one affine sampling grid, so a batch
costs one ``grid_sample`` call however many transforms are switched on; random numbers come
from the global torch generator of the batch's device, which the engine seeds and saves.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from workbench.config import AugmentConfig

__all__ = ["augment_batch"]


def augment_batch(x: torch.Tensor, cfg: AugmentConfig) -> torch.Tensor:
    """A randomly transformed copy of the image batch ``x`` (B, C, H, W), already normalised.

    - hflip: each image is mirrored left-right with probability 0.5;
    - crop: a random window of ``cfg.crop`` of each side is cut out and scaled back up;
    - rotation: each image turns by an angle drawn uniformly from +/- ``cfg.rotation`` degrees;
    - jitter: each image gets a brightness shift in +/- ``cfg.jitter`` and a contrast factor in
      1 +/- ``cfg.jitter`` (in the normalised units, i.e. standard deviations of the data).

    Returns ``x`` itself when augmentation is off.
    """
    if not cfg.enabled:
        return x
    if x.ndim != 4:
        raise ValueError(f"augment_batch needs a (batch, channels, height, width) tensor, got "
                         f"shape {tuple(x.shape)}.")
    if x.shape[0] == 0:
        return x.clone()
    out = x
    if cfg.hflip or cfg.crop < 1.0 or cfg.rotation > 0:
        theta = _affine(x.shape[0], x.shape[2], x.shape[3], cfg, x.device)
        grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=False)
        # "border" repeats edge pixels into the corners a rotation uncovers: for backgrounds
        # that is the background, and it adds no value the image did not have.
        out = F.grid_sample(x, grid, mode="bilinear", padding_mode="border",
                            align_corners=False)
    if cfg.jitter > 0:
        out = _jitter(out, cfg.jitter)
    return out


def _uniform(n: int, half_width: float, device: torch.device) -> torch.Tensor:
    """``n`` values uniform in [-half_width, half_width]."""
    return (torch.rand(n, device=device) * 2.0 - 1.0) * half_width


def _affine(b: int, h: int, w: int, cfg: AugmentConfig, device: torch.device) -> torch.Tensor:
    """Per-image (B, 2, 3) matrices mapping output to input positions in grid coordinates."""
    ones = torch.ones(b, device=device)
    zeros = torch.zeros(b, device=device)
    flip = torch.where(torch.rand(b, device=device) < 0.5, -ones, ones) if cfg.hflip else ones
    scale = float(cfg.crop)
    if scale < 1.0:
        # The kept window may sit anywhere inside the image: its centre moves at most
        # (1 - crop) in grid coordinates, which span 2 across the image.
        tx = _uniform(b, 1.0 - scale, device)
        ty = _uniform(b, 1.0 - scale, device)
    else:
        tx = ty = zeros
    angle = _uniform(b, math.radians(cfg.rotation), device) if cfg.rotation > 0 else zeros
    cos, sin = torch.cos(angle), torch.sin(angle)
    # Grid coordinates run -1..1 across width and height alike; rotating in them would shear
    # a non-square image, so the rotation is done in pixel units: D^-1 R D with D = (w, h)/2.
    aspect = w / h
    theta = torch.stack([
        torch.stack([scale * cos * flip, -scale * sin / aspect, tx], dim=1),
        torch.stack([scale * sin * aspect * flip, scale * cos, ty], dim=1),
    ], dim=1)
    return theta


def _jitter(x: torch.Tensor, strength: float) -> torch.Tensor:
    b = x.shape[0]
    shape = (b, 1, 1, 1)
    brightness = _uniform(b, strength, x.device).view(shape).to(x.dtype)
    contrast = (1.0 + _uniform(b, strength, x.device)).view(shape).to(x.dtype)
    # Contrast stretches each image about its own mean, so brightness and contrast stay
    # independent knobs.
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    return (x - mean) * contrast + mean + brightness
