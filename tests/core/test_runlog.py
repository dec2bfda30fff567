"""Run-log folders written from real runs and read back: one folder per run under a log
folder, BOM, translated titles, one row per epoch and per iteration, exact numbers, TensorBoard
event files; continuing from a checkpoint appends, a refused checkpoint touches nothing, and a
run killed with SIGKILL leaves complete rows."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench.config import TrainConfig, load_toml
from workbench.core.engine import Engine
from workbench.core.events import EpochEnded, IterationsDone, RunFailed, RunFinished
from workbench.core.modelfile import load_checkpoint
from workbench.core.runlog import (
    CONFIG_FILE,
    EPOCH_COLUMNS,
    ITERATION_COLUMNS,
    ITERATIONS_FILE,
    METRICS_FILE,
    RESULT_FILE,
    RUN_FILE,
    RunLog,
    RunLogError,
    latest_run,
    run_folders,
    tensorboard_available,
)

REPO = Path(__file__).resolve().parents[2]
BOM = b"\xef\xbb\xbf"

TITLES = {"epoch": "轮次", "iteration": "迭代", "train_loss": "训练损失", "val_loss": "验证损失",
          "val_accuracy": "验证准确率", "lr": "学习率", "seconds": "秒", "best_epoch": "最佳轮次",
          "loss": "损失"}


def small_config(epochs: int = 3) -> TrainConfig:
    # 250 training samples at batch 32: 8 iterations per epoch, the last one of 26.
    return TrainConfig().with_changes(data={"samples": 312}, run={"epochs": epochs})


def run_with(log: RunLog, cfg: TrainConfig, engine: Engine | None = None) -> list:
    events: list = []

    def on_event(event):
        events.append(event)
        log(event)

    result = (engine or Engine(cfg)).run(on_event)
    assert isinstance(result, RunFinished), result
    return events


def read_table(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM)  # spreadsheet programs need it to read UTF-8
    assert raw.endswith(b"\r\n")  # complete rows only
    return list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))


def column(rows: list[list[str]], k: int) -> list[int]:
    return [int(r[k]) for r in rows[1:]]


# -- TensorBoard event files, read back -------------------------------------------------------

def read_records(path: Path) -> list:
    """Every event of a file, its TFRecord framing and both CRCs checked; the file must end
    with a whole record."""
    from tensorboardX.proto import event_pb2
    from tensorboardX.record_writer import masked_crc32c

    data = path.read_bytes()
    events, pos = [], 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        assert struct.unpack("<I", data[pos + 8:pos + 12])[0] == masked_crc32c(header)
        record = data[pos + 12:pos + 12 + length]
        assert len(record) == length, f"{path.name} ends inside a record"
        crc = data[pos + 12 + length:pos + 16 + length]
        assert struct.unpack("<I", crc)[0] == masked_crc32c(record)
        events.append(event_pb2.Event.FromString(record))
        pos += 16 + length
    assert events and events[0].file_version == "brain.Event:2"
    return events


def tensorboard_scalars(folder: Path) -> dict[str, list[tuple[int, float]]]:
    """The scalars TensorBoard shows for one run folder: its event files read in name order;
    a restart marker at step s hides the events read before it at steps >= s."""
    scalars: dict[str, list[tuple[int, float]]] = {}
    for path in sorted(folder.glob("events.out.tfevents.*")):
        for event in read_records(path):
            if event.HasField("session_log") and event.session_log.status == 1:  # restart
                scalars = {tag: [(s, v) for s, v in points if s < event.step]
                           for tag, points in scalars.items()}
            for value in event.summary.value:
                assert re.fullmatch(r"[A-Za-z0-9_./-]+", value.tag), value.tag
                if value.HasField("simple_value"):
                    scalars.setdefault(value.tag, []).append((event.step, value.simple_value))
    _compare_with_tensorboard(folder, scalars)
    return scalars


def _compare_with_tensorboard(folder: Path, scalars: dict) -> None:
    """Where TensorBoard itself is installed, its reader must see the same curves."""
    try:
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    except ImportError:
        return
    acc = EventAccumulator(str(folder), size_guidance={"scalars": 0})
    acc.Reload()
    for tag, points in scalars.items():
        assert [e.step for e in acc.Scalars(tag)] == [s for s, _ in points]


def texts(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("events.out.tfevents.*")):
        for event in read_records(path):
            for value in event.summary.value:
                if value.HasField("tensor"):
                    found.setdefault(value.tag, []).extend(
                        s.decode("utf-8") for s in value.tensor.string_val)
    return found


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and folder under root (root too): bytes, size, modification time."""
    found = {".": ("dir", root.stat().st_mtime_ns)}
    for path in root.rglob("*"):
        info = path.stat()
        key = path.relative_to(root).as_posix()
        found[key] = (path.read_bytes() if path.is_file() else "dir", info.st_mtime_ns)
    return found


# -- one run ----------------------------------------------------------------------------------

def test_log_folder_reads_back(tmp_path):
    cfg = small_config()
    root = tmp_path / "运行" / "logs"  # created, parents too
    log = RunLog(root, cfg, titles=TITLES, tensorboard=False)
    folder = log.folder
    assert folder == root / "run-001" and folder.is_dir()
    events = run_with(log, cfg)
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    losses = [float(v) for e in events if isinstance(e, IterationsDone) for v in e.losses]

    metrics = read_table(folder / METRICS_FILE)
    assert metrics[0] == [TITLES[k] for k in EPOCH_COLUMNS]
    assert len(metrics) == 1 + len(epochs) == 4
    for row, e in zip(metrics[1:], epochs):
        assert int(row[0]) == e.epoch and int(row[1]) == e.iteration
        assert float(row[2]) == e.train_loss and float(row[3]) == e.val_loss  # exact
        assert float(row[4]) == e.val_accuracy and float(row[5]) == e.lr

    iterations = read_table(folder / ITERATIONS_FILE)
    assert iterations[0] == [TITLES.get(k, k) for k in ITERATION_COLUMNS]
    rows = iterations[1:]
    assert len(rows) == len(losses) == 3 * 8
    assert [int(r[0]) for r in rows] == list(range(1, 25))
    assert [int(r[1]) for r in rows] == [1] * 8 + [2] * 8 + [3] * 8
    assert [float(r[2]) for r in rows] == losses

    assert load_toml(folder / CONFIG_FILE) == cfg
    result = json.loads((folder / RESULT_FILE).read_text(encoding="utf-8"))
    assert result["status"] == "completed" and result["iterations"] == 24
    assert log.epochs_written == 3 and log.iterations_written == 24 and log.error is None
    assert not log.tensorboard and not list(folder.glob("events.out.tfevents*"))
    assert sorted(p.name for p in root.iterdir()) == ["run-001"]


def test_tensorboard_event_files(tmp_path):
    pytest.importorskip("tensorboardX")
    cfg = small_config()
    with RunLog(tmp_path, cfg) as log:  # written by default when tensorboardX is installed
        assert log.tensorboard
        events = run_with(log, cfg)
    files = list(log.folder.glob("events.out.tfevents*"))
    assert len(files) == 1
    scalars = tensorboard_scalars(log.folder)
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    assert [s for s, _ in scalars["loss/train"]] == [1, 2, 3]
    assert [v for _, v in scalars["loss/validation"]] == pytest.approx(
        [e.val_loss for e in epochs], rel=1e-6)
    assert [s for s, _ in scalars["loss/iteration"]] == list(range(1, 25))
    assert {"accuracy/validation", "learning_rate"} <= set(scalars)
    [config_text] = texts(log.folder)["config/text_summary"]
    assert "[run]" in config_text and config_text.startswith("```toml\n")


def test_a_folder_that_cannot_be_written_is_reported_before_the_run(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(RunLogError, match="cannot be written"):
        RunLog(tmp_path / "file" / "run", small_config())
    with pytest.raises(RunLogError, match="cannot be written"):  # continuing: asked, not made
        RunLog(tmp_path / "file" / "run", small_config(), resume=True)
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_failing_disk_stops_the_log_not_the_run(tmp_path):
    cfg = small_config()
    log = RunLog(tmp_path, cfg, tensorboard=False)
    table = log._iterations
    os.close(table.fd)
    table.fd = os.open("/dev/full", os.O_WRONLY)  # every write: "No space left on device"
    events = run_with(log, cfg)
    assert isinstance(events[-1], RunFinished) and events[-1].epochs_completed == 3
    assert log.error is not None and "No space left" in log.error
    log.close()
    log.close()  # closing twice is harmless


def test_without_iterations_file(tmp_path):
    cfg = small_config()
    log = RunLog(tmp_path, cfg, tensorboard=False, iterations=False)
    run_with(log, cfg)
    assert not (log.folder / ITERATIONS_FILE).exists()
    assert len(read_table(log.folder / METRICS_FILE)) == 4
    assert [p.name for p in log.files] == [CONFIG_FILE, METRICS_FILE, RESULT_FILE]


# -- a log folder used again ------------------------------------------------------------------

def test_each_run_gets_a_folder_of_its_own(tmp_path):
    tensorboard = tensorboard_available()
    cfg = small_config()
    folders = []
    for seed in (1, 2):
        run_cfg = cfg.with_changes(run={"seed": seed})
        with RunLog(tmp_path, run_cfg, tensorboard=tensorboard) as log:
            run_with(log, run_cfg)
        folders.append(log.folder)
    assert [f.name for f in folders] == ["run-001", "run-002"]
    assert run_folders(tmp_path) == folders and latest_run(tmp_path) == folders[1]
    losses = []
    for seed, folder in zip((1, 2), folders):
        assert load_toml(folder / CONFIG_FILE).run.seed == seed
        metrics = read_table(folder / METRICS_FILE)
        assert column(metrics, 0) == [1, 2, 3]  # never the other run's rows
        assert column(read_table(folder / ITERATIONS_FILE), 0) == list(range(1, 25))
        losses.append([float(r[2]) for r in metrics[1:]])
        if tensorboard:
            assert len(list(folder.glob("events.out.tfevents*"))) == 1
            scalars = tensorboard_scalars(folder)
            assert [s for s, _ in scalars["loss/train"]] == [1, 2, 3]
            assert [v for _, v in scalars["loss/train"]] == pytest.approx(losses[-1], rel=1e-6)
    assert losses[0] != losses[1]
    assert not list(tmp_path.glob("events.out.tfevents*"))  # nothing at the top: no mixing


def test_run_numbers_never_collide(tmp_path):
    (tmp_path / "run-001").write_text("a file, not a run")
    (tmp_path / "notes").mkdir()
    with RunLog(tmp_path, small_config(), tensorboard=False) as log:
        assert log.folder.name == "run-002"
    (tmp_path / "run-9").mkdir()  # numbered by someone else: counted
    logs: list[RunLog] = []
    lock = threading.Lock()

    def start():
        log = RunLog(tmp_path, small_config(), tensorboard=False)
        with lock:
            logs.append(log)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for log in logs:
        log.close()
    names = sorted(log.folder.name for log in logs)
    assert names == [f"run-{n:03d}" for n in range(10, 18)]
    assert latest_run(tmp_path).name == "run-017"
    assert latest_run(tmp_path / "nowhere") is None


def test_text_cannot_break_the_csv_or_the_tags(tmp_path):
    titles = {"epoch": 'epoch, "first"', "iteration": "line\r\nbreak", "train_loss": "=1+1",
              "val_loss": "-loss", "lr": "@lr", "loss": "损失;\t"}
    tricky = 'C:\\data\\"quoted", name\n```\n`x`.csv'
    cfg = small_config().with_changes(data={"target": tricky, "sheet": "]]\"\n[run]"})
    with RunLog(tmp_path, cfg, titles=titles) as log:
        pass
    header = read_table(log.folder / METRICS_FILE)[0]
    assert header == ['epoch, "first"', "line\r\nbreak", "'=1+1", "'-loss", "val_accuracy",
                      "'@lr", "seconds", "best_epoch"]
    assert read_table(log.folder / ITERATIONS_FILE)[0] == ["line\r\nbreak", 'epoch, "first"',
                                                          "损失;\t"]
    assert load_toml(log.folder / CONFIG_FILE) == cfg  # TOML strings escaped
    if log.tensorboard:
        [text] = texts(log.folder)["config/text_summary"]
        assert text.startswith("````toml\n") and text.endswith("\n````")  # outlasts ``` inside
        assert "```\\n`x`.csv" in text


# -- continuing from a checkpoint -------------------------------------------------------------

@pytest.mark.parametrize("resume", ["path", "settings"])
def test_continuing_appends_to_its_run(tmp_path, resume):
    root, ckpt = tmp_path / "logs", tmp_path / "run.ckpt"
    cfg = small_config()
    titles = {"epoch": "epoch\r\nnumber", "loss": '"loss"'}  # a header of two lines
    first = RunLog(root, cfg, checkpoint=ckpt, titles=titles)
    run_with(first, cfg, Engine(cfg, checkpoint_path=ckpt))
    other_cfg = cfg.with_changes(model={"hidden": (16,)})  # another run, newer
    other = RunLog(root, other_cfg)
    run_with(other, other_cfg)
    before = snapshot(other.folder)

    longer = cfg.with_changes(run={"epochs": 5})
    log = RunLog(root, longer, checkpoint=ckpt, resume=ckpt if resume == "path" else True)
    assert log.folder is None  # nothing chosen, nothing written before the engine agrees
    events = run_with(log, longer, Engine(longer, resume=ckpt, checkpoint_path=ckpt))
    assert log.folder == first.folder == root / "run-001"
    assert snapshot(other.folder) == before
    assert run_folders(root) == [first.folder, other.folder]

    metrics = read_table(log.folder / METRICS_FILE)
    assert metrics[0][0] == "epoch\r\nnumber"  # the first part's header, once
    assert read_table(log.folder / ITERATIONS_FILE)[0][2] == '"loss"'
    assert column(metrics, 0) == [1, 2, 3, 4, 5] and column(metrics, 1) == [8, 16, 24, 32, 40]
    resumed = [e for e in events if isinstance(e, EpochEnded)]
    assert [float(r[2]) for r in metrics[4:]] == [e.train_loss for e in resumed]
    iterations = read_table(log.folder / ITERATIONS_FILE)
    assert column(iterations, 0) == list(range(1, 41))  # numbers go on
    assert column(iterations, 1) == [e for e in range(1, 6) for _ in range(8)]
    assert load_toml(log.folder / CONFIG_FILE) == longer
    result = json.loads((log.folder / RESULT_FILE).read_text(encoding="utf-8"))
    assert result["iterations"] == 40 and result["epochs"] == 5
    assert json.loads((log.folder / RUN_FILE).read_text())["checkpoints"] == [str(ckpt)]
    if log.tensorboard:
        assert len(list(log.folder.glob("events.out.tfevents*"))) == 2
        scalars = tensorboard_scalars(log.folder)
        assert [s for s, _ in scalars["loss/train"]] == [1, 2, 3, 4, 5]
        assert [s for s, _ in scalars["loss/iteration"]] == list(range(1, 41))


def test_continuing_from_an_older_checkpoint_replaces_the_rows_after_it(tmp_path):
    # The log went on past the checkpoint (checkpoints every few minutes, or an older copy
    # put back): the rows after it are done again, so they are replaced, not doubled.
    root, ckpt, first_epoch = tmp_path / "logs", tmp_path / "run.ckpt", tmp_path / "e1.ckpt"
    cfg = small_config(epochs=4)
    log = RunLog(root, cfg, checkpoint=ckpt)

    def on_event(event):
        log(event)
        if isinstance(event, EpochEnded) and event.epoch == 1:
            first_epoch.write_bytes(ckpt.read_bytes())

    Engine(cfg, checkpoint_path=ckpt, checkpoint_interval=1e9).run(on_event)
    folder = log.folder
    with open(folder / ITERATIONS_FILE, "ab") as fh:
        fh.write(b"33,5,0.4")  # a row cut short, as a kill in the middle of a write leaves it
    ckpt.write_bytes(first_epoch.read_bytes())
    log = RunLog(root, cfg, checkpoint=ckpt, resume=ckpt)
    events = run_with(log, cfg, Engine(cfg, resume=ckpt, checkpoint_path=ckpt))
    assert log.folder == folder
    metrics = read_table(folder / METRICS_FILE)
    assert column(metrics, 0) == [1, 2, 3, 4] and column(metrics, 1) == [8, 16, 24, 32]
    resumed = [e.train_loss for e in events if isinstance(e, EpochEnded)]
    assert [float(r[2]) for r in metrics[2:]] == resumed
    iterations = read_table(folder / ITERATIONS_FILE)
    assert column(iterations, 0) == list(range(1, 33))
    resumed = [float(v) for e in events if isinstance(e, IterationsDone) for v in e.losses]
    assert [float(r[2]) for r in iterations[9:]] == resumed
    if log.tensorboard:
        scalars = tensorboard_scalars(folder)  # the redone iterations hidden in TensorBoard
        assert [s for s, _ in scalars["loss/iteration"]] == list(range(1, 33))
        assert [v for _, v in scalars["loss/iteration"][8:]] == pytest.approx(resumed)
        assert [s for s, _ in scalars["loss/train"]] == [1, 2, 3, 4]  # epochs 2-4 once
        assert [v for _, v in scalars["loss/train"][1:]] == pytest.approx(
            [float(r[2]) for r in metrics[2:]])


def test_a_refused_checkpoint_leaves_the_log_folder_untouched(tmp_path):
    root, ckpt = tmp_path / "logs", tmp_path / "run.ckpt"
    cfg = small_config()
    run_with(RunLog(root, cfg, checkpoint=ckpt), cfg, Engine(cfg, checkpoint_path=ckpt))
    garbage = tmp_path / "garbage.ckpt"
    garbage.write_bytes(b"not a checkpoint")
    before = snapshot(root)
    time.sleep(0.01)  # a write now would show in the modification times
    refused = [(cfg.with_changes(model={"hidden": (32,)}), ckpt),  # another architecture
               (cfg, garbage), (cfg, tmp_path / "missing.ckpt")]
    for other, path in refused:
        log = RunLog(root, other, checkpoint=ckpt, resume=path)
        result = Engine(other, resume=path, checkpoint_path=ckpt).run(log)
        log.close()
        assert isinstance(result, RunFailed), result
        assert log.folder is None and log.error is None and log.files == []
        assert snapshot(root) == before
    nowhere = tmp_path / "nowhere"
    log = RunLog(nowhere, cfg, resume=garbage)
    Engine(cfg, resume=garbage).run(log)
    log.close()
    assert not nowhere.exists()


def test_continuing_without_a_matching_run_starts_a_new_one(tmp_path):
    root, ckpt = tmp_path / "logs", tmp_path / "run.ckpt"
    cfg = small_config()
    Engine(cfg, checkpoint_path=ckpt).run()  # trained without a log
    unrelated = cfg.with_changes(model={"hidden": (16,)})
    run_with(RunLog(root, unrelated), unrelated)
    longer = cfg.with_changes(run={"epochs": 4})
    log = RunLog(root, longer, resume=ckpt)
    run_with(log, longer, Engine(longer, resume=ckpt))
    assert log.folder == root / "run-002"
    assert column(read_table(log.folder / METRICS_FILE), 0) == [4]
    assert column(read_table(log.folder / ITERATIONS_FILE), 0) == list(range(25, 33))
    assert column(read_table(root / "run-001" / METRICS_FILE), 0) == [1, 2, 3]


# -- killed mid-run ---------------------------------------------------------------------------

def _kill_mid_run(root: Path, ckpt: Path, epochs_seen: int, delay: float) -> int:
    """``workbench train`` in a child process, killed with SIGKILL after it has reported
    ``epochs_seen`` epochs and ``delay`` seconds more; returns the epochs it reported."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen(
        [sys.executable, "-m", "workbench", "train", "--dataset", "spiral", "--samples", "3000",
         "--batch-size", "16", "--epochs", "500", "--log-dir", str(root),
         "--checkpoint", str(ckpt), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=root.parent)
    seen = 0
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if json.loads(line)["event"] == "epoch":
                seen += 1
                if seen == epochs_seen:
                    break
        time.sleep(delay)  # the parent sleeps: the child never knows when it dies
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return seen


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("trial", range(3))
def test_a_killed_run_keeps_what_it_logged_and_continues(tmp_path, trial):
    rng = random.Random(trial)
    root, ckpt = tmp_path / "logs", tmp_path / "run.ckpt"
    seen = _kill_mid_run(root, ckpt, rng.randint(2, 6), rng.uniform(0.0, 0.1))
    [folder] = run_folders(root)
    # Every row whole (the files end with a row's line end), none missing up to the epoch
    # the child reported last but one (the last one may still have been on its way).
    metrics = read_table(folder / METRICS_FILE)
    logged = column(metrics, 0)
    assert logged == list(range(1, len(logged) + 1)) and len(logged) >= seen - 1
    iterations = read_table(folder / ITERATIONS_FILE)
    numbers = column(iterations, 0)
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(len(r) == 3 and float(r[2]) > 0 for r in iterations[1:])
    ipe = int(metrics[1][1])  # iterations per epoch
    assert len(numbers) >= ipe * len(logged)
    assert not (folder / RESULT_FILE).exists()  # it never ended
    if list(folder.glob("events.out.tfevents*")):
        scalars = tensorboard_scalars(folder)  # whole records only, or it fails
        assert [s for s, _ in scalars["loss/train"]][:len(logged)] == logged

    # Continue from the checkpoint it left: the same run folder, the rows after the
    # checkpoint (the epoch it was killed in) replaced, iteration numbers going on.
    state = load_checkpoint(ckpt)[1]
    done, done_iterations = int(state["epoch"]), int(state["iteration"])
    assert done_iterations == done * ipe and done >= len(logged)
    cfg = load_toml(folder / CONFIG_FILE).with_changes(run={"epochs": done + 2})
    log = RunLog(root, cfg, checkpoint=ckpt, resume=ckpt)
    run_with(log, cfg, Engine(cfg, resume=ckpt, checkpoint_path=ckpt))
    assert log.folder == folder
    epochs = column(read_table(folder / METRICS_FILE), 0)
    # The checkpoint can be one epoch ahead of the log when the kill came between the two.
    assert epochs in (list(range(1, done + 3)),
                      [*range(1, done), done + 1, done + 2])
    numbers = column(read_table(folder / ITERATIONS_FILE), 0)
    assert numbers[-2 * ipe:] == list(range(done_iterations + 1, done_iterations + 2 * ipe + 1))
    assert numbers == sorted(set(numbers))  # no iteration twice
    if epochs == list(range(1, done + 3)):
        assert numbers == list(range(1, (done + 2) * ipe + 1))
    if log.tensorboard:
        scalars = tensorboard_scalars(folder)
        steps = [s for s, _ in scalars["loss/iteration"]]
        assert steps == sorted(set(steps)) and steps[-1] == (done + 2) * ipe
        assert [s for s, _ in scalars["loss/train"]][-2:] == [done + 1, done + 2]
