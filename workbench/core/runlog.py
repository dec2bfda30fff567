"""Run logs: a folder per run with its settings and its losses, for spreadsheets and TensorBoard.

``RunLog`` is an engine event subscriber. Pass it (or a function that calls it) as the
``on_event`` of ``Engine.run``; it writes, in its folder:

- ``config.toml``: the run's settings, the schema ``workbench train --config`` reads;
- ``metrics.csv``: one row per epoch (losses, accuracy, learning rate, time);
- ``iterations.csv``: one row per iteration (global iteration, epoch, loss);
- ``result.json``: how the run ended, written when it ends;
- TensorBoard event files (``events.out.tfevents.*``) when ``tensorboardX`` is installed
  (``pip install workbench[tensorboard]``).

The CSV files are UTF-8 with a byte-order mark, so spreadsheet programs open column titles in
any language (Chinese, say) correctly; the titles can be given in the window's language. Numbers
are written in full (Python's shortest exact form), so a value read back is the value logged.

The subscriber runs on the engine's thread and never stops a run: if the disk fills up or the
folder disappears, logging stops, ``error`` says why, and training goes on.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from workbench.atomic import atomic_write_bytes
from workbench.config import TrainConfig, dumps_toml
from workbench.core.events import EpochEnded, IterationsDone, RunFailed, RunFinished, RunStarted
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "CONFIG_FILE",
    "EPOCH_COLUMNS",
    "ITERATIONS_FILE",
    "ITERATION_COLUMNS",
    "METRICS_FILE",
    "RESULT_FILE",
    "RunLog",
    "RunLogError",
    "tensorboard_available",
]

log = logging.getLogger(__name__)

CONFIG_FILE = "config.toml"
METRICS_FILE = "metrics.csv"
ITERATIONS_FILE = "iterations.csv"
RESULT_FILE = "result.json"

# Column keys in file order; the titles default to the keys and can be translated.
EPOCH_COLUMNS = ("epoch", "iteration", "train_loss", "val_loss", "val_accuracy", "lr",
                 "seconds", "best_epoch")
ITERATION_COLUMNS = ("iteration", "epoch", "loss")

# The CSV files are flushed at most this often (in iteration rows), and at every epoch's end,
# so a run that is killed loses little and a fast run is not slowed by the disk.
_FLUSH_ROWS = 4096


class RunLogError(WorkbenchError):
    """The run-log folder cannot be created or written."""


def tensorboard_available() -> bool:
    """Whether TensorBoard event files can be written (the optional tensorboardX package)."""
    try:
        import tensorboardX  # noqa: F401
    except ImportError:
        return False
    return True


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)  # "nan", "inf"
    return str(value)


class RunLog:
    """Writes one run's log folder from the engine's events; see the module docstring.

    ``titles``: column titles by column key (``EPOCH_COLUMNS``, ``ITERATION_COLUMNS``), e.g.
    ``{"train_loss": "训练损失"}``; keys not given keep their own name as title.
    ``tensorboard``: True to require event files (RunLogError without tensorboardX), False for
    none, None (the default) to write them when tensorboardX is installed.
    ``iterations``: False leaves out ``iterations.csv`` (and the per-iteration TensorBoard
    curve), for very long runs.

    The folder is created, and ``config.toml`` written, at once, so a folder that cannot be
    written is reported before training starts. Call ``close()`` (or use ``with``) if a run
    may end without a RunFinished or RunFailed event; closing twice is harmless.
    """

    def __init__(self, folder: str | Path, config: TrainConfig, *,
                 titles: Mapping[str, str] | None = None, tensorboard: bool | None = None,
                 iterations: bool = True) -> None:
        self.folder = Path(folder)
        self.config = config
        self.titles = dict(titles or {})
        self.error: str | None = None  # why logging stopped, if it did
        self.epochs_written = 0
        self.iterations_written = 0
        self._metrics: IO[str] | None = None
        self._iterations: IO[str] | None = None
        self._metrics_csv: Any = None
        self._iterations_csv: Any = None
        self._unflushed = 0
        self._keep_iterations = iterations
        self._writer: Any = None
        self._closed = False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.folder / CONFIG_FILE, dumps_toml(config).encode("utf-8"))
            self._open_tables()
        except OSError as exc:
            self._close_files()
            raise RunLogError(f"The run log cannot be written in {self.folder} "
                              f"({exc.strerror or exc}). Choose another folder.") from None
        if tensorboard or (tensorboard is None and tensorboard_available()):
            self._open_tensorboard(required=bool(tensorboard))

    # -- files --------------------------------------------------------------------------
    def _title(self, key: str) -> str:
        return self.titles.get(key, key)

    def _open_table(self, name: str, columns: tuple[str, ...]) -> tuple[IO[str], Any]:
        # Kept open for the whole run (rows arrive event by event), closed by close().
        # "utf-8-sig" writes the byte-order mark first; newline="" lets csv end the rows, with
        # CRLF as RFC 4180 and spreadsheet programs expect.
        fh = open(self.folder / name, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([self._title(k) for k in columns])
        fh.flush()
        return fh, writer

    def _open_tables(self) -> None:
        self._metrics, self._metrics_csv = self._open_table(METRICS_FILE, EPOCH_COLUMNS)
        if self._keep_iterations:
            self._iterations, self._iterations_csv = self._open_table(ITERATIONS_FILE,
                                                                      ITERATION_COLUMNS)

    def _open_tensorboard(self, required: bool) -> None:
        try:
            from tensorboardX import SummaryWriter
        except ImportError:
            if required:
                self._close_files()
                raise RunLogError("TensorBoard logs need the tensorboardX package: "
                                  "pip install workbench[tensorboard].") from None
            return
        try:
            self._writer = SummaryWriter(logdir=str(self.folder), flush_secs=5)
            self._writer.add_text("config", "```toml\n" + dumps_toml(self.config) + "```", 0)
        except Exception as exc:  # noqa: BLE001 - event files are extra; the CSVs go on
            log.warning("TensorBoard logging is off: %s", exc)
            self._writer = None

    @property
    def tensorboard(self) -> bool:
        """Whether TensorBoard event files are being written."""
        return self._writer is not None

    @property
    def files(self) -> list[Path]:
        """The files of this log so far."""
        return sorted(p for p in self.folder.iterdir() if p.is_file())

    # -- events -------------------------------------------------------------------------
    def __call__(self, event: Any) -> None:
        if self._closed or self.error is not None:
            return
        try:
            if isinstance(event, IterationsDone):
                self._on_iterations(event)
            elif isinstance(event, EpochEnded):
                self._on_epoch(event)
            elif isinstance(event, RunFinished):
                self._finish({"status": event.reason, "epochs": event.epochs_completed,
                              "iterations": event.iterations_completed,
                              "seconds": round(event.seconds, 3),
                              "best_epoch": event.best_epoch,
                              "restored_best": event.restored_best})
            elif isinstance(event, RunFailed):
                self._finish({"status": "failed", "kind": event.kind, "message": event.message,
                              "epoch": event.epoch, "iteration": event.iteration})
            elif isinstance(event, RunStarted) and self._writer is not None:
                self._writer.add_text("run", f"{event.train_samples} training / "
                                      f"{event.val_samples} validation samples on "
                                      f"{event.device_name}", event.start_iteration)
        except OSError as exc:
            # A log must never end a run: stop logging, say why, keep training.
            self.error = f"The run log stopped: {exc.strerror or exc} ({self.folder})."
            log.warning("%s", self.error)
            self._close_files()

    def _on_iterations(self, event: IterationsDone) -> None:
        if self._iterations_csv is None:
            return
        losses = event.losses.tolist()
        first, epoch = event.first_iteration, event.epoch
        self._iterations_csv.writerows(
            (first + k, epoch, _cell(float(v))) for k, v in enumerate(losses))
        self.iterations_written += len(losses)
        self._unflushed += len(losses)
        if self._unflushed >= _FLUSH_ROWS:
            self._flush()
        if self._writer is not None:
            for k, v in enumerate(losses):
                if math.isfinite(v):
                    self._writer.add_scalar("loss/iteration", v, first + k)

    def _on_epoch(self, e: EpochEnded) -> None:
        assert self._metrics_csv is not None
        values = {"epoch": e.epoch, "iteration": e.iteration, "train_loss": e.train_loss,
                  "val_loss": e.val_loss, "val_accuracy": e.val_accuracy, "lr": e.lr,
                  "seconds": round(e.seconds, 6), "best_epoch": e.best_epoch}
        self._metrics_csv.writerow([_cell(values[k]) for k in EPOCH_COLUMNS])
        self.epochs_written += 1
        self._flush()
        w = self._writer
        if w is not None:
            w.add_scalar("loss/train", e.train_loss, e.epoch)
            if e.val_loss is not None:
                w.add_scalar("loss/validation", e.val_loss, e.epoch)
            if e.val_accuracy is not None:
                w.add_scalar("accuracy/validation", e.val_accuracy, e.epoch)
            w.add_scalar("learning_rate", e.lr, e.epoch)

    def _flush(self) -> None:
        for fh in (self._metrics, self._iterations):
            if fh is not None:
                fh.flush()
        self._unflushed = 0

    def _finish(self, result: dict[str, Any]) -> None:
        self._flush()
        atomic_write_bytes(self.folder / RESULT_FILE,
                           json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8"))
        self.close()

    # -- closing ------------------------------------------------------------------------
    def _close_files(self) -> None:
        for fh in (self._metrics, self._iterations):
            if fh is not None:
                with contextlib.suppress(OSError):
                    fh.close()
        self._metrics = self._iterations = None
        self._metrics_csv = self._iterations_csv = None
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None

    def close(self) -> None:
        """Flush and close every file; later events are ignored."""
        if self._closed:
            return
        self._closed = True
        self._close_files()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RunLog({os.fspath(self.folder)!r})"
