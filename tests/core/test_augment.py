"""Image augmentation of training batches."""

from __future__ import annotations

import pytest
import torch

from workbench.config import AugmentConfig
from workbench.core.augment import augment_batch

ALL_ON = AugmentConfig(hflip=True, crop=0.8, rotation=20.0, jitter=0.3)


def _batch(b: int = 16, c: int = 3, h: int = 12, w: int = 12, seed: int = 0) -> torch.Tensor:
    return torch.randn(b, c, h, w, generator=torch.Generator().manual_seed(seed))


def _devices() -> list[str]:
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def test_disabled_config_returns_the_same_object() -> None:
    x = _batch()
    assert augment_batch(x, AugmentConfig()) is x


@pytest.mark.parametrize("device", _devices())
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_shape_dtype_and_device_are_kept(device: str, dtype: torch.dtype) -> None:
    x = _batch().to(device=device, dtype=dtype)
    out = augment_batch(x, ALL_ON)
    assert out.shape == x.shape and out.dtype == dtype and out.device == x.device
    assert torch.isfinite(out).all()
    assert not torch.equal(out, x)


def test_hflip_alone_gives_each_image_or_its_mirror() -> None:
    torch.manual_seed(0)
    x = _batch(b=64, h=7, w=10)
    out = augment_batch(x, AugmentConfig(hflip=True))
    same = torch.isclose(out, x, atol=1e-5).flatten(1).all(1)
    mirrored = torch.isclose(out, x.flip(-1), atol=1e-5).flatten(1).all(1)
    assert torch.all(same ^ mirrored)
    assert 10 < int(mirrored.sum()) < 54  # p = 0.5 per image


def test_crop_alone_zooms_in() -> None:
    torch.manual_seed(1)
    ramp = torch.linspace(-1, 1, 32).expand(8, 1, 32, 32).contiguous()
    out = augment_batch(ramp, AugmentConfig(crop=0.5))
    spans = out[:, 0, 16].amax(-1) - out[:, 0, 16].amin(-1)
    # Half of each side is kept and stretched back: the visible range of the ramp halves.
    torch.testing.assert_close(spans, torch.full((8,), 1.0), atol=0.08, rtol=0)
    left_edges = out[:, 0, 16, 0]
    assert left_edges.std() > 0.05  # each image is cut at its own random place
    assert out.amin() >= -1 - 1e-6 and out.amax() <= 1 + 1e-6  # the window stays inside


def test_rotation_turns_about_the_centre_within_the_limit() -> None:
    torch.manual_seed(2)
    x = _batch(b=32, c=1, h=9, w=9)
    out = augment_batch(x, AugmentConfig(rotation=30.0))
    torch.testing.assert_close(out[..., 4, 4], x[..., 4, 4], atol=1e-5, rtol=0)
    assert not torch.allclose(out, x)
    flat = torch.full((4, 2, 9, 13), 0.7)
    torch.testing.assert_close(augment_batch(flat, AugmentConfig(rotation=45.0)), flat)
    # A horizontal ramp turned by at most 10 degrees keeps its gradient direction near 0.
    ramp = torch.linspace(-1, 1, 41).expand(64, 1, 41, 41).contiguous()
    turned = augment_batch(ramp, AugmentConfig(rotation=10.0))[:, 0, 15:26, 15:26]
    gx = (turned[:, :, 1:] - turned[:, :, :-1]).mean((1, 2))
    gy = (turned[:, 1:, :] - turned[:, :-1, :]).mean((1, 2))
    angles = torch.rad2deg(torch.atan2(gy, gx)).abs()
    assert angles.max() <= 10.5 and angles.max() > 5


def test_jitter_alone_is_a_per_image_brightness_and_contrast_change() -> None:
    torch.manual_seed(3)
    x = _batch(b=20)
    out = augment_batch(x, AugmentConfig(jitter=0.4))
    for xi, oi in zip(x, out, strict=True):
        # oi = a * xi + b for one a in [0.6, 1.4] per image.
        a = ((oi - oi.mean()) * (xi - xi.mean())).sum() / ((xi - xi.mean()) ** 2).sum()
        b = oi.mean() - a * xi.mean()
        torch.testing.assert_close(oi, a * xi + b, atol=1e-5, rtol=0)
        assert 0.6 - 1e-5 <= a <= 1.4 + 1e-5
    assert not torch.allclose(out, x)


def test_augmentation_follows_the_global_torch_seed() -> None:
    x = _batch()
    torch.manual_seed(5)
    a = augment_batch(x, ALL_ON)
    torch.manual_seed(5)
    b = augment_batch(x, ALL_ON)
    c = augment_batch(x, ALL_ON)
    assert torch.equal(a, b)
    assert not torch.equal(b, c)


def test_input_is_not_modified_and_empty_batches_pass() -> None:
    x = _batch()
    before = x.clone()
    augment_batch(x, ALL_ON)
    assert torch.equal(x, before)
    assert augment_batch(torch.zeros(0, 1, 8, 8), ALL_ON).shape == (0, 1, 8, 8)
    with pytest.raises(ValueError):
        augment_batch(torch.zeros(3, 8, 8), ALL_ON)
