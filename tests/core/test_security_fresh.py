"""Model files from a fresh attack: shapes that reach PyTorch's C++ checks are refused with a
sentence naming the tensor, never with PyTorch's stack frames."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from workbench.core.modelfile import load_model
from workbench.errors import ModelFileError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "mlp_spiral_v2.wbm"


def _with_shape(tmp_path: Path, shape: list[int]) -> Path:
    """The fixture with ``model.0.weight`` declared as ``shape`` and holding no bytes."""
    raw = FIXTURE.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    body = raw[8 + n:]
    meta = header.pop("__metadata__")
    tensors = {k: body[v["data_offsets"][0]:v["data_offsets"][1]] for k, v in header.items()}
    entries, data, pos = {}, b"", 0
    for name, blob in tensors.items():
        dims = header[name]["shape"]
        if name == "model.0.weight":
            blob, dims = b"", shape
        entries[name] = {"dtype": header[name]["dtype"], "shape": dims,
                         "data_offsets": [pos, pos + len(blob)]}
        data += blob
        pos += len(blob)
    entries["__metadata__"] = meta
    text = json.dumps(entries).encode()
    text += b" " * (-len(text) % 8)
    path = tmp_path / "shape.wbm"
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)
    return path


@pytest.mark.parametrize("shape", [[2**63, 0], [0, 2**63 - 1], [2**62, 0, 4], [0, 10**12]])
def test_an_empty_tensor_with_a_giant_dimension_is_named_without_cpp_frames(
        tmp_path: Path, shape: list[int]) -> None:
    """Before: [2**63, 0] passed the table check (no bytes) and PyTorch refused it with
    "frame #0: c10::Error::Error(...)" lines in the message."""
    with pytest.raises(ModelFileError) as info:
        load_model(_with_shape(tmp_path, shape))
    message = str(info.value)
    assert "tensor 'model.0.weight' has a dimension longer than the file" in message
    assert "frame #" not in message and "c10" not in message and "\n" not in message


def _with_std(tmp_path: Path, value: float) -> Path:
    raw = FIXTURE.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    begin, end = header["norm.std"]["data_offsets"]
    body = bytearray(raw[8 + n:])
    body[begin:end] = struct.pack("<ff", value, value)
    path = tmp_path / "std.wbm"
    path.write_bytes(raw[:8 + n] + bytes(body))
    return path


@pytest.mark.parametrize("value", [1e-45, 1e-30, 1e-12])
def test_a_spread_too_small_to_divide_by_is_refused(tmp_path: Path, value: float) -> None:
    """Before: a norm.std of 1e-45 loaded, and predict overflowed every input to infinity
    (a numpy RuntimeWarning on the terminal and exit 0)."""
    with pytest.raises(ModelFileError, match="normalisation statistics are not finite"):
        load_model(_with_std(tmp_path, value))


def test_the_smallest_spread_training_keeps_still_loads(tmp_path: Path) -> None:
    model = load_model(_with_std(tmp_path, 1e-8))  # MIN_STD, stored as float32
    assert model.std.min() > 0


@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_a_failed_write_names_the_file_not_its_hidden_temp_file(tmp_path: Path,
                                                                where: str) -> None:
    """Before: "No such file or directory (/x/.out.csv.tmp27560b2a808a)" in the window's
    message, and a folder as the target got a temp file made beside it."""
    from workbench.atomic import atomic_write_bytes

    target = tmp_path / "nope" / "out.csv" if where == "missing folder" else tmp_path / "dir"
    if where == "a folder":
        target.mkdir()
    with pytest.raises(OSError) as info:
        atomic_write_bytes(target, b"x")
    assert info.value.filename == str(target)
    assert ".tmp" not in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == (["dir"] if where == "a folder" else [])
