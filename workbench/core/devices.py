"""List and pick training devices (CUDA GPUs, Apple MPS, CPU), with names for people."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch

from workbench.errors import TrainingError


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # "cuda:0", "mps" or "cpu"
    name: str  # for people


def _cpu_name() -> str:
    cores = os.cpu_count() or 1
    return f"CPU ({cores} cores)"


def list_devices() -> list[DeviceInfo]:
    """All usable devices, best first."""
    out: list[DeviceInfo] = []
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            gib = props.total_memory / 2**30
            out.append(DeviceInfo(f"cuda:{i}", f"{props.name} ({gib:.0f} GB)"))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        out.append(DeviceInfo("mps", "Apple GPU (MPS)"))
    out.append(DeviceInfo("cpu", _cpu_name()))
    return out


def resolve_device(requested: str) -> tuple[torch.device, str]:
    """``(device, name for people)``; a device that is not there is a clear error."""
    devices = list_devices()
    if requested in ("", "auto"):
        info = devices[0]
        return torch.device(info.id), info.name
    wanted = "cuda:0" if requested == "cuda" else requested
    for info in devices:
        if info.id == wanted:
            return torch.device(info.id), info.name
    have = ", ".join(d.id for d in devices)
    raise TrainingError(f"Device {requested!r} is not available on this computer; available: {have}.")
