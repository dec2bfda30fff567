"""Opening model files from strangers: nothing runs, nothing crashes, memory stays bounded.

A model file is untrusted input. These tests offer the loader pickles that would run code,
safetensors files broken in every way the format allows, metadata that names Python code, and
a few thousand randomly mutated valid files; the only acceptable outcomes are a model built
from known layers or a ModelFileError that names the file.
"""

from __future__ import annotations

import builtins
import copy
import importlib
import json
import os
import pickle
import re
import struct
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from safetensors.torch import save as st_save
from torch import nn

from workbench.config import TrainConfig
from workbench.core import modelfile
from workbench.core.modelfile import (
    FORMAT_VERSION,
    TrainedModel,
    describe,
    load_checkpoint,
    load_model,
    load_weights,
    model_bytes,
    save_model,
)
from workbench.core.models import build_model
from workbench.errors import ModelFileError

REPO = Path(__file__).resolve().parents[2]


# -- small models built directly (no training needed to test the file format) ----------------

def _model(kind: str = "mlp") -> TrainedModel:
    with torch.random.fork_rng(devices=[]):  # leave the global generator as it was
        torch.manual_seed(0)
        return _build(kind)


def _build(kind: str) -> TrainedModel:
    if kind == "cnn":
        cfg = TrainConfig().with_changes(data={"dataset": "digits"}, model={
            "kind": "cnn", "channels": (2,), "hidden": (4,), "norm": "batch"})
        shape, classes, features = (1, 8, 8), tuple("0123456789"), ()
        mean, std = np.full((1, 1, 1), 0.3, np.float32), np.full((1, 1, 1), 0.4, np.float32)
    elif kind == "regression":
        cfg = TrainConfig().with_changes(data={"dataset": "diabetes"},
                                         model={"hidden": (4,), "dropout": 0.1})
        shape, classes, features = (3,), (), ("age", "bmi", "bp")
        mean, std = np.zeros(3, np.float32), np.ones(3, np.float32)
    else:
        cfg = TrainConfig().with_changes(model={"hidden": (8,), "norm": "layer"})
        shape, classes, features = (2,), ("class 0", "class 1"), ("x1", "x2")
        mean, std = np.array([0.1, -0.2], np.float32), np.array([1.5, 0.5], np.float32)
    n_out = len(classes) if classes else 1
    module = build_model(cfg.model, shape, n_out).eval()
    task = "classification" if classes else "regression"
    return TrainedModel(cfg, module, mean, std, task, classes, features, shape,
                        {"dataset": cfg.data.dataset, "epochs": 1, "seconds": 0.5})


@pytest.fixture(scope="module")
def mlp() -> TrainedModel:
    return _model("mlp")


@pytest.fixture(scope="module")
def good(mlp: TrainedModel) -> bytes:
    return model_bytes(mlp)


def _split(data: bytes) -> tuple[dict[str, Any], bytes]:
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + n]), data[8 + n:]


def _join(header: Any, body: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + body


def _edit(data: bytes, change: Callable[[dict[str, Any]], Any]) -> bytes:
    header, body = _split(data)
    change(header)
    return _join(header, body)


def _edit_meta_json(data: bytes, key: str, change: Callable[[Any], Any]) -> bytes:
    def edit(header: dict[str, Any]) -> None:
        value = json.loads(header["__metadata__"][key])
        result = change(value)
        header["__metadata__"][key] = json.dumps(value if result is None else result)
    return _edit(data, edit)


def _first_tensor(data: bytes) -> str:
    header, _ = _split(data)
    return min((k for k in header if k != "__metadata__"),
               key=lambda k: header[k]["data_offsets"][0])


# -- 1. pickles are refused, never run -----------------------------------------------------------

class _Payload:
    """Unpickling this creates the marker file: the proof that code ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _pickled_files(folder: Path, marker: Path) -> dict[str, bytes]:
    payload = _Payload(str(marker))
    files = {f"protocol {p}": pickle.dumps({"state_dict": payload}, protocol=p)
             for p in range(pickle.HIGHEST_PROTOCOL + 1)}
    zipped = folder / "zipped.pt"
    torch.save({"weight": torch.ones(2), "payload": payload}, zipped)
    files["torch.save"] = zipped.read_bytes()
    legacy = folder / "legacy.pt"
    torch.save({"payload": payload}, legacy, _use_new_zipfile_serialization=False)
    files["torch.save (legacy)"] = legacy.read_bytes()
    return files


@pytest.fixture
def no_unpickling(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way to unpickle raises and is recorded; torch.load with it."""
    calls: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def spy(*args: Any, **kwargs: Any) -> Any:
            calls.append(f"{name} weights_only={kwargs.get('weights_only')!r}")
            raise AssertionError(f"{name} was called")
        return spy

    monkeypatch.setattr(torch, "load", refuse("torch.load"))
    monkeypatch.setattr(pickle, "load", refuse("pickle.load"))
    monkeypatch.setattr(pickle, "loads", refuse("pickle.loads"))
    monkeypatch.setattr(pickle, "Unpickler", refuse("pickle.Unpickler"))
    monkeypatch.setattr(np, "load", refuse("numpy.load"))
    return calls


@pytest.mark.parametrize("suffix", [".wbm", ".pt", ".pth", ".ckpt"])
def test_pickles_of_every_protocol_and_torch_save_files_are_refused(
        tmp_path: Path, suffix: str, no_unpickling: list[str]) -> None:
    marker = tmp_path / "marker"
    for label, blob in _pickled_files(tmp_path, marker).items():
        path = tmp_path / f"evil{suffix}"
        path.write_bytes(blob)
        for opener in (load_model, load_checkpoint):
            with pytest.raises(ModelFileError) as info:
                opener(path)
            message = str(info.value)
            assert message.startswith(f"evil{suffix} is not a Workbench model"), label
            assert "can run code" in message, label
    assert not marker.exists()
    assert no_unpickling == []  # not even torch.load(weights_only=True)


def test_the_package_never_unpickles() -> None:
    """No source file can reach an unpickler, so no future code path opens a pickle."""
    forbidden = re.compile(r"\btorch\.load\(|\bpickle\.|\bweights_only\s*=\s*False|"
                           r"\bnp\.load\(|allow_pickle\s*=\s*True|\bimport pickle\b")
    hits = [f"{p.relative_to(REPO)}:{i}" for p in (REPO / "workbench").rglob("*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if forbidden.search(line) and not line.lstrip().startswith("#")]
    assert hits == []


def test_header_length_that_starts_like_a_pickle_still_opens(tmp_path: Path,
                                                              mlp: TrainedModel) -> None:
    """A header of 0x10280 bytes (about 64 kB: a model with many class or feature names)
    starts the file with the bytes 80 02, the start of a pickle; it is a valid model."""
    tensors = modelfile._model_tensors(mlp)
    meta = modelfile._metadata(mlp, modelfile.MODEL_FORMAT)

    def with_note(pad: int) -> bytes:
        return st_save(tensors, metadata={**meta, "note": "x" * pad})

    base = struct.unpack("<Q", with_note(0)[:8])[0]
    target = 0x10280
    # the header grows one byte per character, then is padded to a multiple of 8
    hit = next(data for pad in range(target - base - 8, target - base + 8)
               if struct.unpack("<Q", (data := with_note(pad))[:8])[0] == target)
    assert hit[:2] == b"\x80\x02"
    path = tmp_path / "m.wbm"
    path.write_bytes(hit)
    assert load_model(path).class_names == mlp.class_names


# -- 2. corrupted safetensors: named errors --------------------------------------------------

def _corruptions(good: bytes) -> list[tuple[str, bytes, str]]:
    header, body = _split(good)
    first = _first_tensor(good)
    size = header[first]["data_offsets"][1] - header[first]["data_offsets"][0]
    n = struct.unpack("<Q", good[:8])[0]

    def tensor(**changes: Any) -> Callable[[dict[str, Any]], None]:
        return lambda h: h[first].update(changes)

    def meta(**changes: str) -> Callable[[dict[str, Any]], None]:
        return lambda h: h["__metadata__"].update(changes)

    def config(section: str, **changes: Any) -> bytes:
        return _edit_meta_json(good, "config", lambda c: c[section].update(changes))

    nested = b"[" * 200_000 + b"]" * 200_000
    dup = json.dumps(header)[:-1] + ", " + json.dumps(first) + ": " + json.dumps(header[first]) + "}"
    return [
        ("empty file", b"", "too short"),
        ("seven bytes", good[:7], "too short"),
        ("header length beyond the file", struct.pack("<Q", len(good)) + good[8:],
         "header length is larger than the file"),
        ("header length near 2**64", b"\xff" * 8 + good[8:], "header length is larger"),
        ("header not UTF-8", good[:8] + b"\xff\xfe" + good[10:], "not UTF-8"),
        ("header not JSON", good[:8] + b"{" * n + good[8 + n:], "not JSON"),
        ("header nested 200000 deep", struct.pack("<Q", len(nested)) + nested, "not JSON"),
        ("header with NaN", _join({**header, "x": float("nan")}, body), "not JSON"),
        ("a tensor named twice", struct.pack("<Q", len(dup)) + dup.encode() + body, "not JSON"),
        ("header a list", _join([1, 2], b""), "not a JSON object"),
        ("metadata not text", _edit(good, meta(format=7)), "metadata is not a table of text"),
        ("tensor entry a number", _edit(good, lambda h: h.update({first: 3})),
         "described wrongly"),
        ("tensor entry extra field", _edit(good, tensor(extra=1)), "described wrongly"),
        ("unknown dtype", _edit(good, tensor(dtype="F8_E4M3")), "unknown type"),
        ("negative dimension", _edit(good, tensor(shape=[-1, 2])), "bad shape"),
        ("fractional dimension", _edit(good, tensor(shape=[1.5])), "bad shape"),
        ("nine dimensions", _edit(good, tensor(shape=[1] * 9)), "bad shape"),
        ("offsets text", _edit(good, tensor(data_offsets=["0", "4"])), "bad offsets"),
        ("offsets three", _edit(good, tensor(data_offsets=[0, 4, 8])), "bad offsets"),
        ("offsets out of range", _edit(good, tensor(data_offsets=[0, 10**9])),
         "points outside the file"),
        ("offsets backwards", _edit(good, tensor(data_offsets=[size, 0])),
         "points outside the file"),
        ("overlapping tensors", _edit(good, tensor(data_offsets=[4, 4 + size])), "overlaps"),
        ("huge declared shape", _edit(good, tensor(shape=[10**12, 10**12])),
         "declares more data than the file holds"),
        ("shape of 2**62 elements", _edit(good, tensor(shape=[2**31, 2**31])),
         "declares more data"),
        ("shape and size disagree", _edit(good, tensor(shape=[1])),
         "does not match its shape"),
        ("trailing bytes", good + b"\x00" * 16, "extra bytes after the tensors"),
        ("truncated data", good[:-7], "points outside the file"),
        ("tensor missing from the header", _edit(good, lambda h: h.pop(first)), "leaves a gap"),
        ("no Workbench metadata", _edit(good, lambda h: h.pop("__metadata__")),
         "not a Workbench model"),
        ("foreign format", _edit(good, meta(format="other")), "not a Workbench model"),
        ("format version missing", _edit(good, meta(format_version="")),
         "format version is missing"),
        ("format version zero", _edit(good, meta(format_version="0")),
         "format version is missing"),
        ("format version of 5000 digits", _edit(good, meta(format_version="9" * 5000)),
         "format version is missing"),
        ("config not JSON", _edit(good, meta(config="{")), "'config' is not JSON"),
        ("config a list", _edit(good, meta(config="[]")), "'config' has the wrong type"),
        ("config unknown setting", config("model", factory="builtins.eval"),
         "Unknown setting.*model.factory"),
        ("config infinite whole number", config("model", kernel_size=float("inf")),
         "configuration"),
        ("config hidden of 10**6 units", config("model", hidden=[10**6]),
         "settings are not valid.*1 to 65536"),
        ("config dropout 1.5", config("model", dropout=1.5), "model.dropout"),
        ("task unknown", _edit(good, meta(task="poetry")), "task is unknown"),
        ("input shape empty", _edit(good, meta(input_shape="[]")), "input shape is not valid"),
        ("input shape negative", _edit(good, meta(input_shape="[-2]")),
         "input shape is not valid"),
        ("input shape huge", _edit(good, meta(input_shape="[65536, 65536, 3]")),
         "input is larger than any Workbench model takes"),
        ("class names numbers", _edit(good, meta(classes="[1, 2]")), "not text"),
        ("one class", _edit(good, meta(classes='["only"]')), "at least two class names"),
        ("three classes, weights for two", _edit(good, meta(classes='["a", "b", "c"]')),
         r"wrong shape .*3\.weight \(2x8 instead of 3x8\)"),
        ("summary a list", _edit(good, meta(summary="[]")), "'summary' has the wrong type"),
        ("statistics missing", _drop_tensor(good, "norm.std"), "statistics are missing"),
        ("statistics wrong shape", _replace_tensor(good, "norm.mean", torch.zeros(5)),
         "statistics do not match its input shape"),
        ("statistics zero std", _replace_tensor(good, "norm.std", torch.zeros(2)),
         "not finite positive"),
        ("statistics NaN", _replace_tensor(good, "norm.mean", torch.tensor([np.nan, 0.0])),
         "not finite positive"),
        ("statistics integers", _replace_tensor(good, "norm.std", torch.ones(2, dtype=torch.int64)),
         "not numbers"),
        ("weights missing", _drop_tensor(good, "model.3.bias"), r"missing 3\.bias"),
        ("weights extra", _replace_tensor(good, "model.9.weight", torch.ones(3)),
         r"unexpected 9\.weight"),
        ("weights wrong shape", _replace_tensor(good, "model.0.weight", torch.ones(8, 3)),
         r"wrong shape 0\.weight \(8x3 instead of 8x2\)"),
        ("more layers than weights", config("model", hidden=[8] * 50),
         "describe 51 layers but it holds only"),
    ]


def _tensors_and_meta(data: bytes) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    from safetensors.torch import load as st_load

    header, _ = _split(data)
    return st_load(data), header["__metadata__"]


def _drop_tensor(data: bytes, name: str) -> bytes:
    tensors, meta = _tensors_and_meta(data)
    tensors.pop(name)
    return st_save(tensors, metadata=meta)


def _replace_tensor(data: bytes, name: str, value: torch.Tensor) -> bytes:
    tensors, meta = _tensors_and_meta(data)
    tensors[name] = value
    return st_save(tensors, metadata=meta)


CORRUPTIONS = [label for label, _, _ in _corruptions(model_bytes(_model()))]


@pytest.mark.parametrize("label", CORRUPTIONS)
def test_corrupted_file_gives_a_named_error(tmp_path: Path, good: bytes, label: str) -> None:
    blob, pattern = next((b, p) for name, b, p in _corruptions(good) if name == label)
    path = tmp_path / "broken.wbm"
    path.write_bytes(blob)
    with pytest.raises(ModelFileError, match=pattern) as info:
        load_model(path)
    assert str(info.value).startswith("broken.wbm ") or "in broken.wbm" in str(info.value)
    assert path.read_bytes() == blob  # opening never changes the file


def test_things_that_are_not_files_are_refused_without_reading_them(
        tmp_path: Path, good: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelFileError, match="is a folder, not a model file"):
        load_model(tmp_path)
    with pytest.raises(ModelFileError, match="does not exist"):
        load_model(tmp_path / "missing.wbm")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.wbm"
        os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
        with pytest.raises(ModelFileError, match="pipe.wbm is not a regular file"):
            load_model(fifo)
    big = tmp_path / "big.wbm"
    big.write_bytes(good)
    monkeypatch.setattr(modelfile, "MAX_FILE_BYTES", len(good) - 1)
    with pytest.raises(ModelFileError, match="larger than any model Workbench makes"):
        load_model(big)


# Run in a child process whose address space is capped at what it uses after start-up plus
# 1.5 GB: a loader that allocated what a file declares would fail there with a MemoryError or
# a torch allocation error instead of refusing the file.
_CAPPED_LOADER = textwrap.dedent("""
    import json, resource, sys
    from workbench.core.modelfile import describe, load_model
    from workbench.errors import ModelFileError
    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (vm + 1536 * 2**20, resource.RLIM_INFINITY))
    results = []
    for path in sys.argv[1:]:
        try:
            model = load_model(path)
            describe(model)  # runs one sample through every layer
            model.predict(__import__("numpy").zeros((1, *model.input_shape), "float32"))
            results.append([path, "loaded", ""])
        except ModelFileError as exc:
            results.append([path, "refused", str(exc)])
        except BaseException as exc:
            results.append([path, type(exc).__name__, str(exc)[:200]])
    print(json.dumps(results))
""")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_files_declaring_huge_sizes_are_refused_within_bounded_memory(tmp_path: Path,
                                                                      good: bytes) -> None:
    first = _first_tensor(good)
    files: dict[str, bytes] = {
        # 3 layers of 65536 x 65536 floats: 48 GB if the architecture were built for real
        "wide layers": _edit_meta_json(good, "config",
                                       lambda c: c["model"].update(hidden=[65536] * 3)),
        # a tensor that claims 4 TB
        "huge tensor": _edit(good, lambda h: h[first].update(shape=[2**40],
                                                            data_offsets=[0, 2**42])),
        # 200000 hidden layers: a huge architecture from a metadata table of 1.4 MB
        "deep": _edit_meta_json(good, "config", lambda c: c["model"].update(hidden=[4] * 200_000)),
    }
    # Small weights, huge activations: twelve 64-channel 1x1 convolutions pool a 4096 x 4096
    # input down to 1 x 1, but the first layer alone would produce 64 x 4096 x 4096 values.
    cfg = TrainConfig().with_changes(data={"dataset": "images", "image_dir": "faces"}, model={
        "kind": "cnn", "channels": (64,) * 12, "kernel_size": 1, "hidden": ()})
    shape = (1, 4096, 4096)
    module = build_model(cfg.model, shape, 2)
    wide_input = TrainedModel(cfg, module, np.zeros((1, 1, 1), np.float32),
                              np.ones((1, 1, 1), np.float32), "classification", ("a", "b"), (),
                              shape, {})
    files["huge activations"] = model_bytes(wide_input)
    paths = []
    for name, blob in files.items():
        path = tmp_path / f"{name.replace(' ', '_')}.wbm"
        path.write_bytes(blob)
        paths.append(str(path))
    out = subprocess.run([sys.executable, "-c", _CAPPED_LOADER, *paths], capture_output=True,
                         text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(REPO)),
                         check=False)
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    assert [r[1] for r in results] == ["refused"] * len(files), results
    assert "million weights between them" in results[0][2]  # refused before any weight is read
    assert "declares more data" in results[1][2]
    assert "has 200000 layers: use at most 64" in results[2][2]
    assert "one prediction would need 4.0 GB" in results[3][2]


# -- 3. fuzzing the open-model path --------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from workbench.core.engine import Engine

    ckpt = tmp_path_factory.mktemp("fuzz") / "run.ckpt.wbm"
    Engine(TrainConfig().with_changes(data={"samples": 60}, run={"epochs": 1},
                                      model={"hidden": (4,)}), checkpoint_path=ckpt).run()
    return {"mlp": model_bytes(_model("mlp")), "cnn": model_bytes(_model("cnn")),
            "regression": model_bytes(_model("regression")), "checkpoint": ckpt.read_bytes()}


_NAMES = st.sampled_from(["os.system", "builtins.eval", "subprocess.Popen", "__import__",
                          "relu", "cnn", "mlp", "batch", "F32", "I64", "U8", "BOOL", "F8_E5M2",
                          "model.0.weight", "norm.mean", "", "classification", "1", "-1"])
_JSON = st.recursive(
    st.none() | st.booleans() | _NAMES | st.text(max_size=12)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.sampled_from([0, 1, 2, 3, 8, 64, 65536, 2**31, 2**63, -1])
    | st.floats(allow_nan=True, allow_infinity=True),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_NAMES | st.text(max_size=6),
                                                                inner, max_size=4),
    max_leaves=8)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value that can be replaced."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _set(value[path[0]], path[1:], new)
    return value


def _parsed(data: bytes) -> tuple[dict[str, Any], bytes] | None:
    """Header and body of a file whose header is still a JSON object with text metadata."""
    try:
        header, body = _split(data)
    except (ValueError, struct.error, RecursionError):
        return None
    meta = header.get("__metadata__") if isinstance(header, dict) else None
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        return None
    return header, body


@st.composite
def _header_mutation(draw: st.DrawFn, header: dict[str, Any], body: bytes) -> bytes:
    """Replace one value anywhere in the header, or in a JSON metadata entry, and re-frame."""
    meta = header["__metadata__"]
    if meta and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(meta)))
        try:
            inner = json.loads(meta[key])
        except (ValueError, RecursionError):
            inner = meta[key]
        where = draw(st.sampled_from(_paths(inner)))
        meta[key] = json.dumps(_set(inner, where, draw(_JSON)))
        return _join(header, body)
    where = draw(st.sampled_from(_paths(header)))
    return _join(_set(header, where, draw(_JSON)), body)


def _mutate(draw: st.DrawFn, bases: dict[str, bytes]) -> tuple[str, bytes]:
    """One to three random edits of a valid file: bytes, length field or header values."""
    name = draw(st.sampled_from(sorted(bases)))
    data = bytearray(bases[name])
    header_end = 8 + struct.unpack("<Q", bytes(data[:8]))[0]
    for _ in range(draw(st.integers(1, 3))):
        # Structured edits are weighted up: they get past the framing checks and reach the
        # metadata, the architecture and the weights, where the subtler mistakes would hide.
        op = draw(st.sampled_from(["json"] * 4 + ["flip body"] * 2 + [
            "flip", "flip header", "truncate", "insert", "append", "length"]))
        size = len(data)
        if op == "flip" and size:
            pos = draw(st.integers(0, size - 1))
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "flip body" and size > header_end:
            pos = draw(st.integers(header_end, size - 1))
            data[pos] ^= draw(st.integers(1, 255))
        elif op == "flip header" and size:
            pos = draw(st.integers(0, min(header_end, size) - 1))
            data[pos] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[draw(st.integers(0, size)):]
        elif op == "insert":
            pos = draw(st.integers(0, size))
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "append":
            data += draw(st.binary(min_size=1, max_size=64))
        elif op == "length" and size >= 8:
            n = struct.unpack("<Q", bytes(data[:8]))[0]
            new = draw(st.integers(0, 2**64 - 1)
                       | st.integers(max(0, n - 16), min(n + 16, 2**64 - 1)))
            data[:8] = struct.pack("<Q", new)
        elif op == "json":
            parsed = _parsed(bytes(data))
            if parsed is not None:  # else an earlier mutation broke the header already
                data = bytearray(draw(_header_mutation(*parsed)))
    return name, bytes(data)


def _open_like_the_app(path: Path, name: str) -> str:
    """What the window and the CLI do with a file: open it, show it, predict with it."""
    try:
        opened = [load_checkpoint(path)[0]] if name == "checkpoint" else []
        opened.append(load_model(path))
    except ModelFileError as exc:
        assert path.name in str(exc)
        return "refused"
    for model in opened:
        describe(model)
        pred = model.predict(np.zeros((2, *model.input_shape), np.float32))
        assert len(pred.names) == 2
        assert all(type(m) in _KNOWN_LAYERS for m in model.module.modules())
    return "opened"


_KNOWN_LAYERS = {nn.Sequential, nn.Linear, nn.Conv2d, nn.BatchNorm1d, nn.BatchNorm2d,
                 nn.LayerNorm, nn.GroupNorm, nn.Dropout, nn.Flatten, nn.MaxPool2d, nn.AvgPool2d,
                 nn.ReLU, nn.LeakyReLU, nn.ELU, nn.GELU, nn.SiLU, nn.Mish, nn.Tanh, nn.Sigmoid,
                 nn.Softplus}
FUZZ_EXAMPLES = 2500


def test_fuzzed_model_files_only_ever_raise_model_file_error(
        tmp_path_factory: pytest.TempPathFactory, fuzz_bases: dict[str, bytes]) -> None:
    folder = tmp_path_factory.mktemp("fuzzed")
    outcomes: Counter[str] = Counter()

    @st.composite
    def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
        return _mutate(draw, fuzz_bases)  # the bases stay out of Hypothesis' reports

    @settings(max_examples=FUZZ_EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=True)
    @given(case=mutated())
    def open_mutated(case: tuple[str, bytes]) -> None:
        name, blob = case
        path = folder / "fuzzed.wbm"
        path.write_bytes(blob)
        outcomes[_open_like_the_app(path, name)] += 1

    open_mutated()
    assert sum(outcomes.values()) >= FUZZ_EXAMPLES * 0.95, outcomes
    # both outcomes occur: the mutations reach deep into the loader, not only its first check
    assert outcomes["refused"] > 100 and outcomes["opened"] > 100, outcomes


# -- 4. metadata naming code is never imported or called -------------------------------------------

def test_metadata_naming_modules_classes_or_callables_is_never_imported(
        tmp_path: Path, good: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "imported"
    module_dir = tmp_path / "modules"
    module_dir.mkdir()
    name = "wb_payload_marker"
    (module_dir / f"{name}.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n"
        "class Payload:\n    def __init__(self, *a, **k):\n"
        f"        open({str(marker)!r}, 'a').write('called')\n"
        "def run(*a, **k):\n    Payload()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(module_dir))
    imported: list[str] = []
    real_import, real_import_module = builtins.__import__, importlib.import_module

    def spy_import(mod: str, *args: Any, **kwargs: Any) -> Any:
        imported.append(mod)
        return real_import(mod, *args, **kwargs)

    def spy_import_module(mod: str, *args: Any, **kwargs: Any) -> Any:
        imported.append(mod)
        return real_import_module(mod, *args, **kwargs)

    called: list[str] = []
    monkeypatch.setattr(os, "system", lambda *a: called.append("os.system"))
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: called.append("Popen"))

    refs = [name, f"{name}.Payload", f"{name}:run", f"{name}.run()", "os.system",
            "subprocess.Popen", "builtins.eval", "__import__"]
    # Where a name can go, and whether the file may still open: settings that choose code
    # (layer kinds, activations, optimizers) are checked against a whitelist and refuse any
    # other value; free text (names, labels, unknown extra entries) opens as plain text.
    places: dict[str, tuple[Callable[[str], bytes], bool]] = {}
    for section, key in (("model", "kind"), ("model", "activation"), ("model", "norm"),
                         ("model", "pooling"), ("optim", "optimizer"), ("data", "imbalance")):
        places[f"{section}.{key}"] = (lambda r, s=section, k=key: _edit_meta_json(
            good, "config", lambda c: c[s].update({k: r})), False)
    places["config.class"] = (lambda r: _edit_meta_json(
        good, "config", lambda c: c.update({"class": r})), False)
    places["model.factory"] = (lambda r: _edit_meta_json(
        good, "config", lambda c: c["model"].update(factory=r)), False)
    places["format"] = (lambda r: _edit(good, lambda h: h["__metadata__"].update(format=r)),
                        False)
    # The data and run settings are checked as a person's input is: unknown values refuse.
    places["data.dataset"] = (lambda r: _edit_meta_json(
        good, "config", lambda c: c["data"].update(dataset=r)), False)
    places["run.device"] = (lambda r: _edit_meta_json(
        good, "config", lambda c: c["run"].update(device=r)), False)
    places["extra metadata"] = (lambda r: _edit(good, lambda h: h["__metadata__"].update(
        {"module": r, "class": r, "loader": r, "__reduce__": r, "callable": r})), True)
    places["labels"] = (lambda r: _edit(good, lambda h: h["__metadata__"].update(
        classes=json.dumps([r, r + "!"]), features=json.dumps([r, "y"]),
        summary=json.dumps({"dataset": r, "device": r, "hook": r}))), True)
    blobs = {(where, ref): make(ref) for where, (make, _) in places.items() for ref in refs}
    monkeypatch.setattr(builtins, "__import__", spy_import)
    monkeypatch.setattr(importlib, "import_module", spy_import_module)
    outcome: dict[tuple[str, str], TrainedModel | None] = {}
    for i, (key, blob) in enumerate(blobs.items()):
        path = tmp_path / f"v{i}.wbm"
        path.write_bytes(blob)
        try:
            outcome[key] = load_model(path)
        except ModelFileError:
            outcome[key] = None
    monkeypatch.undo()
    assert not marker.exists()
    assert name not in sys.modules and not [m for m in imported if name in m]
    assert called == []
    for (where, ref), model in outcome.items():
        assert (model is not None) == places[where][1], (where, ref)
    labelled = outcome[("labels", "os.system")]
    assert labelled is not None and labelled.class_names == ("os.system", "os.system!")
    assert labelled.summary["device"] == "os.system"
    assert "hook" not in labelled.summary  # unknown summary entries are dropped


def test_every_rebuilt_layer_is_a_known_one() -> None:
    fixtures = sorted((REPO / "tests" / "fixtures").glob("*.wbm"))
    assert fixtures
    for path in fixtures:
        assert {type(m) for m in load_model(path).module.modules()} <= _KNOWN_LAYERS


# -- 5. newer format -----------------------------------------------------------------------------

@pytest.mark.parametrize("opener", [load_model, load_checkpoint])
def test_newer_format_asks_to_upgrade_even_when_its_tensors_are_unknown(
        tmp_path: Path, good: bytes, opener: Callable[[Path], Any]) -> None:
    first = _first_tensor(good)

    def future(h: dict[str, Any]) -> None:
        h["__metadata__"].update(format_version=str(FORMAT_VERSION + 1), workbench_version="3.1.0",
                                 format="workbench-checkpoint", compression="zstd")
        h[first].update(dtype="F8_E4M3", layout="blocked")  # things this release cannot read

    path = tmp_path / "future.wbm"
    path.write_bytes(_edit(good, future))
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    with pytest.raises(ModelFileError, match=r"made by a newer Workbench \(3\.1\.0, file format "
                                             rf"{FORMAT_VERSION + 1}\).*Please upgrade Workbench"):
        opener(path)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.wbm"]


# -- 6. weights that do not fit an architecture ----------------------------------------------------

def _snapshot(module: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.clone() for k, v in module.state_dict().items()}


def test_loading_weights_into_another_architecture_names_them_and_changes_nothing(
        mlp: TrainedModel) -> None:
    window_model = copy.deepcopy(mlp)
    before = _snapshot(window_model.module)
    state = _snapshot(window_model.module)
    state.pop("3.bias")  # missing
    state["7.weight"] = torch.zeros(3)  # unexpected
    state["0.weight"] = torch.zeros(8, 5)  # wrong shape
    state["0.bias"] = torch.full((8,), 9.0)  # fits, but must not be loaded either
    with pytest.raises(ModelFileError) as info:
        load_weights(window_model.module, state, "other.wbm")
    message = str(info.value)
    assert "other.wbm" in message
    assert "missing 3.bias" in message
    assert "unexpected 7.weight" in message
    assert "wrong shape 0.weight (8x5 instead of 8x2)" in message
    after = window_model.module.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_opening_a_file_that_does_not_fit_leaves_the_open_model_alone(
        tmp_path: Path, mlp: TrainedModel, good: bytes) -> None:
    path = tmp_path / "current.wbm"
    save_model(mlp, path)
    window_model = load_model(path)
    before = _snapshot(window_model.module)
    bigger = tmp_path / "bigger.wbm"
    bigger.write_bytes(_edit_meta_json(good, "config",
                                       lambda c: c["model"].update(hidden=[16])))
    with pytest.raises(ModelFileError, match=r"bigger\.wbm do not fit .*wrong shape "
                                             r".*0\.weight \(8x2 instead of 16x2\)"):
        window_model = load_model(bigger)
    after = window_model.module.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)

