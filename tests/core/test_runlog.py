"""Run-log folders written from a real run and read back: BOM, translated titles, one row per
epoch and per iteration, exact numbers, TensorBoard event files."""

from __future__ import annotations

import csv
import errno
import io
import json
import struct

import pytest

from workbench.config import TrainConfig, load_toml
from workbench.core.engine import Engine
from workbench.core.events import EpochEnded, IterationsDone, RunFinished
from workbench.core.runlog import (
    CONFIG_FILE,
    EPOCH_COLUMNS,
    ITERATION_COLUMNS,
    ITERATIONS_FILE,
    METRICS_FILE,
    RESULT_FILE,
    RunLog,
    RunLogError,
)

BOM = b"\xef\xbb\xbf"

TITLES = {"epoch": "轮次", "iteration": "迭代", "train_loss": "训练损失", "val_loss": "验证损失",
          "val_accuracy": "验证准确率", "lr": "学习率", "seconds": "秒", "best_epoch": "最佳轮次",
          "loss": "损失"}


def small_config() -> TrainConfig:
    # 250 training samples at batch 32: 8 iterations per epoch, the last one of 26.
    return TrainConfig().with_changes(data={"samples": 312}, run={"epochs": 3})


def run_with(log: RunLog, cfg: TrainConfig) -> list:
    events: list = []

    def on_event(event):
        events.append(event)
        log(event)

    result = Engine(cfg).run(on_event)
    assert isinstance(result, RunFinished)
    return events


def read_table(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM)  # spreadsheet programs need it to read UTF-8
    return list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))


def test_log_folder_reads_back(tmp_path):
    cfg = small_config()
    folder = tmp_path / "运行" / "run1"  # created, parents too
    log = RunLog(folder, cfg, titles=TITLES, tensorboard=False)
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


def _tensorboard_scalars(path) -> dict[str, list[tuple[int, float]]]:
    """Scalars from an event file, read the way TensorBoard reads it (TFRecord framing)."""
    from tensorboardX.proto import event_pb2

    data = path.read_bytes()
    scalars: dict[str, list[tuple[int, float]]] = {}
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos:pos + 8])
        record = data[pos + 12:pos + 12 + length]  # after the length and its CRC
        pos += 12 + length + 4  # and the data's CRC
        event = event_pb2.Event.FromString(record)
        for value in event.summary.value:
            if value.HasField("simple_value"):
                scalars.setdefault(value.tag, []).append((event.step, value.simple_value))
    return scalars


def test_tensorboard_event_files(tmp_path):
    pytest.importorskip("tensorboardX")
    cfg = small_config()
    with RunLog(tmp_path, cfg) as log:  # written by default when tensorboardX is installed
        assert log.tensorboard
        events = run_with(log, cfg)
    files = list(tmp_path.glob("events.out.tfevents*"))
    assert len(files) == 1
    scalars = _tensorboard_scalars(files[0])
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    assert [s for s, _ in scalars["loss/train"]] == [1, 2, 3]
    assert [v for _, v in scalars["loss/validation"]] == pytest.approx(
        [e.val_loss for e in epochs], rel=1e-6)
    assert [s for s, _ in scalars["loss/iteration"]] == list(range(1, 25))
    assert {"accuracy/validation", "learning_rate"} <= set(scalars)


def test_a_folder_that_cannot_be_written_is_reported_before_the_run(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(RunLogError, match="cannot be written"):
        RunLog(tmp_path / "file" / "run", small_config())


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failing_disk_stops_the_log_not_the_run(tmp_path):
    cfg = small_config()
    log = RunLog(tmp_path, cfg, tensorboard=False)
    log._iterations_csv = csv.writer(_FullDisk())  # the disk fills up mid-run
    events = run_with(log, cfg)
    assert isinstance(events[-1], RunFinished) and events[-1].epochs_completed == 3
    assert log.error is not None and "No space left" in log.error
    log.close()
    log.close()  # closing twice is harmless


def test_without_iterations_file(tmp_path):
    cfg = small_config()
    log = RunLog(tmp_path, cfg, tensorboard=False, iterations=False)
    run_with(log, cfg)
    assert not (tmp_path / ITERATIONS_FILE).exists()
    assert len(read_table(tmp_path / METRICS_FILE)) == 4
    assert [p.name for p in log.files] == [CONFIG_FILE, METRICS_FILE, RESULT_FILE]
