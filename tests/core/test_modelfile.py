"""The .wbm format: round trip, refusal of pickles and malformed files, atomic writes."""

from __future__ import annotations

import json
import os
import pickle
import struct

import numpy as np
import pytest

from workbench.config import TrainConfig
from workbench.core import modelfile
from workbench.core.engine import Engine
from workbench.core.modelfile import load_model, save_model
from workbench.errors import ModelFileError


@pytest.fixture(scope="module")
def trained():
    engine = Engine(TrainConfig().with_changes(data={"samples": 300}, run={"epochs": 2},
                                               model={"dropout": 0.3}))
    engine.run()
    return engine.trained_model()


def test_round_trip_identical_predictions(tmp_path, trained):
    path = tmp_path / "m.wbm"
    save_model(trained, path)
    loaded = load_model(path)
    x = np.random.default_rng(1).normal(size=(50, 2)).astype(np.float32)
    a, b = trained.predict(x), loaded.predict(x)
    assert np.array_equal(a.proba, b.proba)
    assert loaded.config == trained.config
    assert loaded.class_names == trained.class_names
    assert loaded.feature_names == ("x1", "x2") or loaded.feature_names == trained.feature_names
    assert np.array_equal(loaded.mean, trained.mean)
    assert loaded.summary["epochs"] == 2
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("suffix", [".wbm", ".pt", ".pth", ".ckpt"])
def test_pickle_is_refused_and_never_run(tmp_path, suffix):
    marker = tmp_path / "marker"
    path = tmp_path / f"evil{suffix}"
    path.write_bytes(pickle.dumps(_Evil(str(marker)), protocol=4))
    with pytest.raises(ModelFileError, match="not a Workbench model.*can run code"):
        load_model(path)
    assert not marker.exists()


def _valid_bytes(trained) -> bytes:
    return modelfile.model_bytes(trained)


def _with_header(data: bytes, mutate) -> bytes:
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    mutate(header)
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data[8 + n:]


def _bad_files(trained):
    good = _valid_bytes(trained)
    (n,) = struct.unpack("<Q", good[:8])
    first = next(k for k in json.loads(good[8:8 + n]) if k != "__metadata__")
    yield "header length", struct.pack("<Q", len(good) * 10) + good[8:]
    yield "UTF-8", good[:8] + b"\xff\xfe" + good[10:]
    yield "not JSON", good[:8] + b"{" * n + good[8 + n:]
    yield "outside", _with_header(good, lambda h: h[first].update(data_offsets=[0, 10**9]))
    yield "overlaps", _with_header(good, lambda h: h[first].update(
        data_offsets=[0, h[first]["data_offsets"][1] - h[first]["data_offsets"][0]])
        if h[first]["data_offsets"][0] else h[first].update(data_offsets=[4, 4 + h[first]["data_offsets"][1]]))
    yield "extra bytes", good + b"\x00" * 16
    yield "truncated", good[:-7]
    yield "declares more", _with_header(good, lambda h: h[first].update(shape=[10**12, 10**12]))
    yield "too short", b"\x01\x02"


def test_corrupted_files_give_named_errors(tmp_path, trained):
    for i, (label, blob) in enumerate(_bad_files(trained)):
        path = tmp_path / f"bad{i}.wbm"
        path.write_bytes(blob)
        with pytest.raises(ModelFileError, match="not a valid Workbench model file|not a Workbench"):
            load_model(path)


def test_newer_format_asks_to_upgrade(tmp_path, trained):
    data = _with_header(_valid_bytes(trained),
                        lambda h: h["__metadata__"].update(format_version="99"))
    path = tmp_path / "future.wbm"
    path.write_bytes(data)
    before = path.read_bytes()
    with pytest.raises(ModelFileError, match="newer Workbench.*upgrade"):
        load_model(path)
    assert path.read_bytes() == before


def test_metadata_naming_code_is_not_imported(tmp_path, trained):
    def mutate(h):
        cfg = json.loads(h["__metadata__"]["config"])
        cfg["model"]["activation"] = "os.system"
        h["__metadata__"]["config"] = json.dumps(cfg)
    path = tmp_path / "code.wbm"
    path.write_bytes(_with_header(_valid_bytes(trained), mutate))
    with pytest.raises(ModelFileError, match="os.system"):
        load_model(path)


def test_failed_save_keeps_old_file(tmp_path, trained, monkeypatch):
    path = tmp_path / "m.wbm"
    save_model(trained, path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_model(trained, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.wbm"]
