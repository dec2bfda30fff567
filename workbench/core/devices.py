"""List and pick training devices (CUDA GPUs, Apple MPS, CPU), with names for people."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import torch

from workbench.errors import TrainingError

# torch's own default for CPU work: one intra-op thread per physical core. Read when torch is
# first imported here (the window's device detection, the command line's first device
# question), before anything in Workbench changes the count.
DEFAULT_THREADS = torch.get_num_threads()


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # "cuda:0", "mps" or "cpu"
    name: str  # for people
    # ``name`` as a template and its values, so a window can show the name translated.
    template: str = field(default="", compare=False)
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def _device(device_id: str, template: str, **params: Any) -> DeviceInfo:
    return DeviceInfo(device_id, template.format(**params), template=template, params=params)


def _cpu() -> DeviceInfo:
    return _device("cpu", "CPU ({cores} cores)", cores=os.cpu_count() or 1)


def list_devices() -> list[DeviceInfo]:
    """All usable devices, best first."""
    out: list[DeviceInfo] = []
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            gib = props.total_memory / 2**30
            out.append(_device(f"cuda:{i}", "{gpu} ({gib:.0f} GB)", gpu=props.name, gib=gib))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        out.append(_device("mps", "Apple GPU (MPS)"))
    out.append(_cpu())
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
    raise TrainingError.from_template("Device {device!r} is not available on this computer; "
                                      "available: {have}.", device=requested, have=have)
