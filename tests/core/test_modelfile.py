"""The .wbm format: round trip, refusal of pickles and malformed files, atomic writes.

Saving is tested against real failures where they can be produced (a layer that cannot be
serialised, a child process killed with SIGKILL) and against simulated ones where they cannot
(a full disk, a failing rename), by replacing the os function that would fail.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import random
import signal
import stat
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from workbench.config import TrainConfig
from workbench.core import modelfile
from workbench.core.engine import Engine
from workbench.core.modelfile import (
    FORMAT_VERSION,
    describe,
    load_checkpoint,
    load_model,
    save_model,
)
from workbench.errors import ModelFileError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REPO = Path(__file__).resolve().parents[2]


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


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_failed_rename_keeps_old_file(tmp_path, trained, monkeypatch):
    path = tmp_path / "m.wbm"
    save_model(trained, path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ModelFileError, match=r"m\.wbm could not be saved .*unchanged") as info:
        save_model(trained, path)
    monkeypatch.undo()
    assert isinstance(info.value.__cause__, OSError)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.wbm"]


def test_disk_full_midway_keeps_old_file(tmp_path, trained, monkeypatch):
    """The first write gets half the bytes onto the disk, the next finds it full."""
    path = tmp_path / "m.wbm"
    save_model(trained, path)
    before = path.read_bytes()
    real_write = os.write
    calls = []

    def filling_write(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", filling_write)
    with pytest.raises(ModelFileError, match="disk is full.*Free some space") as info:
        save_model(trained, path)
    monkeypatch.undo()
    assert len(calls) == 2  # the partial write really happened before the failure
    assert info.value.__cause__.errno == errno.ENOSPC
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.wbm"]
    load_model(path)


def test_serialisation_failing_midway_keeps_old_file(tmp_path, trained):
    """A layer left on the meta device cannot be copied out: serialisation fails partway."""
    import copy

    path = tmp_path / "m.wbm"
    save_model(trained, path)
    before = path.read_bytes()
    broken = copy.deepcopy(trained)
    broken.module[-1].to("meta")  # earlier layers serialise fine, the last one cannot
    with pytest.raises((NotImplementedError, RuntimeError)):
        save_model(broken, path)
    assert path.read_bytes() == before
    assert _temps(tmp_path) == []


def test_fsync_of_the_temp_file_comes_before_the_rename(tmp_path, trained, monkeypatch):
    path = tmp_path / "m.wbm"
    save_model(trained, path)
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def spy_fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def spy_replace(src, dst):
        events.append(("replace", os.fspath(src)))
        return real_replace(src, dst)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name file descriptors")
    monkeypatch.setattr(os, "fsync", spy_fsync)
    monkeypatch.setattr(os, "replace", spy_replace)
    save_model(trained, path)
    monkeypatch.undo()
    kinds = [k for k, _ in events]
    assert kinds[:2] == ["fsync", "replace"], events
    assert events[0][1] == events[1][1]  # the file fsynced is the one renamed
    assert Path(events[1][1]).name.startswith(".m.wbm.tmp")
    # afterwards the folder itself is synced, so the rename survives a power cut
    assert events[2:] == [("fsync", str(tmp_path.resolve()))]


def test_saving_keeps_permissions_and_follows_links(tmp_path, trained):
    path = tmp_path / "m.wbm"
    save_model(trained, path)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask  # like any new file
    path.chmod(0o640)
    save_model(trained, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    link = tmp_path / "latest.wbm"
    link.symlink_to(path.name)
    path.write_bytes(b"old")
    save_model(trained, link)
    assert link.is_symlink()
    assert load_model(path).class_names == trained.class_names  # the file it points to


def test_saving_under_a_name_near_the_length_limit(tmp_path, trained):
    # the temp file's longer name must still fit in the 255 bytes most file systems allow
    path = tmp_path / ("模型" * 40 + ".wbm")  # 244 bytes in UTF-8
    save_model(trained, path)
    assert load_model(path).class_names == trained.class_names
    assert _temps(tmp_path) == []


def test_save_into_missing_folder_says_so(tmp_path, trained):
    with pytest.raises(ModelFileError, match="does not exist"):
        save_model(trained, tmp_path / "nowhere" / "m.wbm")


# -- killed while saving --------------------------------------------------------------------

# The child replaces the target again and again, alternating two different model files, as
# fast as the disk allows; the parent kills it with SIGKILL at a random moment. Whatever the
# moment (creating the temp file, writing, fsync, rename, folder sync), the target must be
# one of the two complete files afterwards.
_SAVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from workbench.atomic import atomic_write_bytes
    target, versions = Path(sys.argv[1]), [Path(p).read_bytes() for p in sys.argv[2:]]
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        atomic_write_bytes(target, versions[i % 2])
""")

_MODEL_SAVER = textwrap.dedent("""
    import sys
    from workbench.core.modelfile import load_model, save_model
    target, models = sys.argv[1], [load_model(p) for p in sys.argv[2:]]
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        save_model(models[i % 2], target)
""")


def _two_versions(tmp_path: Path, trained) -> tuple[Path, Path]:
    import copy

    other = copy.deepcopy(trained)
    with torch.no_grad():
        for p in other.module.parameters():
            p.add_(1.0)
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(modelfile.model_bytes(trained))
    b.write_bytes(modelfile.model_bytes(other))
    assert a.read_bytes() != b.read_bytes()
    return a, b


def _which_version(target: Path, versions: tuple[Path, Path]) -> str:
    """"old" or "new" by content. The safetensors metadata table comes out in a different
    order from one process to the next, so equal models need not be equal bytes."""
    data = target.read_bytes()
    for name, version in zip(("old", "new"), versions, strict=True):
        if data == version.read_bytes():
            return name
    weights = load_model(target).module.state_dict()
    for name, version in zip(("old", "new"), versions, strict=True):
        reference = load_model(version).module.state_dict()
        if all(torch.equal(weights[k], reference[k]) for k in reference):
            return name
    raise AssertionError(f"{target.name} holds {len(data)} bytes of neither version")


def _kill_while_saving(script: str, target: Path, versions: tuple[Path, Path],
                       trials: int, max_delay: float, rng: random.Random) -> dict[str, int]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    outcomes = {"old": 0, "new": 0, "mid-save": 0}  # mid-save: killed with a temp file open
    for _ in range(trials):
        target.write_bytes(versions[0].read_bytes())
        child = subprocess.Popen([sys.executable, "-c", script, str(target), *map(str, versions)],
                                 stdout=subprocess.PIPE, env=env)
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == b"ready\n"
            child.stdout.close()
            # The parent sleeps, not the child: the child never knows when it dies.
            time.sleep(rng.uniform(0.0, max_delay))
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait(timeout=60)
        assert child.returncode == -signal.SIGKILL
        outcomes[_which_version(target, versions)] += 1  # loads it, or fails
        leftovers = list(target.parent.glob(f".{target.name}.tmp*"))
        outcomes["mid-save"] += bool(leftovers)
        for leftover in leftovers:
            leftover.unlink()  # what SIGKILL leaves behind: hidden, never the model itself
    return outcomes


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_while_saving_leaves_old_or_new_file(tmp_path, trained):
    big = Engine(TrainConfig().with_changes(data={"samples": 60}, run={"epochs": 1},
                                            model={"hidden": (256, 256)}))
    big.run()
    versions = _two_versions(tmp_path, big.trained_model())  # ~270 kB: writes take a while
    target = tmp_path / "m.wbm"
    rng = random.Random(1234)
    outcomes = _kill_while_saving(_SAVER, target, versions, 40, 0.03, rng)
    assert outcomes["old"] + outcomes["new"] == 40
    # the kills landed at varied moments, many of them with a half-written temp file
    assert outcomes["old"] and outcomes["new"] and outcomes["mid-save"], outcomes
    # The same through the real save path (torch in the child, so fewer trials).
    outcomes = _kill_while_saving(_MODEL_SAVER, target, versions, 3, 0.05, rng)
    assert outcomes["old"] + outcomes["new"] == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- files from earlier releases --------------------------------------------------------------

def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*_v*.wbm"))


def test_this_format_version_has_fixture_files():
    # Whoever raises FORMAT_VERSION runs tests/fixtures/make_fixture.py and commits the files.
    assert any(p.name.endswith(f"_v{FORMAT_VERSION}.wbm") for p in _fixture_files())


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.name)
def test_model_files_from_earlier_releases_still_open_and_predict_the_same(path: Path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    before = path.read_bytes()
    model = load_model(path)
    assert path.read_bytes() == before
    assert model.config == TrainConfig.from_dict(expected["config"])
    assert list(model.class_names) == expected["class_names"]
    assert list(model.feature_names) == expected["feature_names"]
    assert list(model.input_shape) == expected["input_shape"]
    pred = model.predict(np.array(expected["inputs"], dtype=np.float32))
    if expected["proba"] is None:
        np.testing.assert_allclose(pred.labels, expected["labels"], rtol=1e-5, atol=1e-5)
    else:
        assert pred.labels.tolist() == expected["labels"]
        np.testing.assert_allclose(pred.proba, expected["proba"], rtol=1e-5, atol=1e-6)
    assert any(line.startswith("Layers:") for line in describe(model))


# -- checkpoints ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def checkpoint_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("ckpt") / "run.ckpt.wbm"
    Engine(TrainConfig().with_changes(data={"samples": 100}, run={"epochs": 1}),
           checkpoint_path=path).run()
    return path.read_bytes()


def _edit_state(data: bytes, edit) -> bytes:
    def mutate(h):
        state = json.loads(h["__metadata__"]["state"])
        edit(state)
        h["__metadata__"]["state"] = json.dumps(state)
    return _with_header(data, mutate)


def test_checkpoint_and_model_are_told_apart(tmp_path, trained, checkpoint_bytes):
    ckpt = tmp_path / "run.ckpt.wbm"
    ckpt.write_bytes(checkpoint_bytes)
    model, state, extra = load_checkpoint(ckpt)
    assert state["epoch"] == 1 and "rng.torch" in extra
    assert load_model(ckpt).class_names == model.class_names  # a checkpoint holds a model
    plain = tmp_path / "m.wbm"
    save_model(trained, plain)
    with pytest.raises(ModelFileError, match="is a Workbench model, not a checkpoint"):
        load_checkpoint(plain)


@pytest.mark.parametrize("label,edit", [
    ("no epoch", lambda s: s.pop("epoch")),
    ("negative iteration", lambda s: s.update(iteration=-3)),
    ("text best loss", lambda s: s.update(best_loss="low")),
    ("optimizer list", lambda s: s.update(optimizer=[])),
    ("dangling optimizer tensor", lambda s: s["optimizer"]["state"]["0"].update(
        exp_avg={"tensor": "optim.0.nowhere"})),
    ("scheduler text", lambda s: s.update(scheduler="step")),
    ("divergence means as text", lambda s: s.update({"divergence.recent": ["x"]})),
    ("endless divergence means", lambda s: s.update({"divergence.recent": [1.0] * 10**5})),
    ("divergence blow-up of three", lambda s: s.update({"divergence.exploded": [1, 2, 3]})),
    ("infinite divergence start", lambda s: s.update({"divergence.start": float("inf")})),
])
def test_damaged_training_state_is_refused(tmp_path, checkpoint_bytes, label, edit):
    path = tmp_path / "run.ckpt.wbm"
    path.write_bytes(_edit_state(checkpoint_bytes, edit))
    with pytest.raises(ModelFileError, match="run.ckpt.wbm .*training state is incomplete"):
        load_checkpoint(path)


def test_checkpoint_with_a_wrong_size_random_state_is_refused(tmp_path, trained):
    path = tmp_path / "run.ckpt.wbm"
    state = {"epoch": 1, "iteration": 5, "best_loss": 1.0, "best_epoch": 1, "bad_epochs": 0,
             "optimizer": {"state": {}, "param_groups": []}, "scheduler": None}
    extra = {"rng.torch": torch.zeros(7, dtype=torch.uint8),
             "rng.sampler": torch.Generator().get_state()}
    modelfile.save_checkpoint(trained, state, extra, path)
    with pytest.raises(ModelFileError, match="random generator state"):
        load_checkpoint(path)
