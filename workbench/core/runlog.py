"""Run logs: a folder per run with its settings and its losses, for spreadsheets and TensorBoard.

``RunLog(folder, config)`` treats ``folder`` as a log folder that holds one sub-folder per run,
the way TensorBoard expects a ``--logdir``: every new run gets the next free number,
``run-001``, ``run-002``, ... (``run-1000`` after ``run-999``), never one already taken, even
by a run started at the same moment in another process. The highest number is the newest run:
``latest_run(folder)`` finds it and ``RunLog.folder`` is the run's own folder. Pointing
TensorBoard at the log folder shows each run as a curve of its own, never two runs in one.

A run folder holds:

- ``config.toml``: the run's settings, the schema ``workbench train --config`` reads;
- ``metrics.csv``: one row per epoch (losses, accuracy, learning rate, time);
- ``iterations.csv``: one row per iteration (global iteration, epoch, loss);
- ``result.json``: how the run ended, written when it ends;
- ``run.json``: the checkpoint files the run wrote, when it was given one (so that continuing
  from a checkpoint finds its run);
- TensorBoard event files (``events.out.tfevents.*``) when ``tensorboardX`` is installed
  (``pip install workbench[tensorboard]``).

The CSV files are UTF-8 with a byte-order mark, so spreadsheet programs open column titles in
any language (Chinese, say) correctly; the titles can be given in the window's language. Numbers
are written in full (Python's shortest exact form), so a value read back is the value logged.
Text cells are quoted as CSV requires, and a text that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-`` or ``@``) gets a leading apostrophe.

A killed run keeps what it logged up to its last epoch: rows are written whole, one write per
batch of complete rows, at the end of every epoch (and every few thousand iterations), and
``metrics.csv`` is synced to the disk at every epoch. TensorBoard events are written the same
way, without a background thread. Only the rows of an unfinished epoch can be lost.

Continuing a run (``resume=``, with the checkpoint ``Engine`` resumes from) appends to that
run's folder: rows logged after the checkpoint, which the continued run does again, are cut off
first, and iteration numbers go on from the checkpoint's. Nothing is read or written until the
engine has accepted the checkpoint, so a refused checkpoint leaves every log folder untouched.

The subscriber runs on the engine's thread and never stops a run: if the disk fills up or the
folder disappears, logging stops, ``error`` says why, and training goes on.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import math
import os
import re
import socket
import struct
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.atomic import atomic_write_bytes
from workbench.config import TrainConfig, dumps_toml, load_toml
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
    "RUN_FILE",
    "RunLog",
    "RunLogError",
    "latest_run",
    "run_folders",
    "tensorboard_available",
]

log = logging.getLogger(__name__)

CONFIG_FILE = "config.toml"
METRICS_FILE = "metrics.csv"
ITERATIONS_FILE = "iterations.csv"
RESULT_FILE = "result.json"
RUN_FILE = "run.json"

# Column keys in file order; the titles default to the keys and can be translated.
EPOCH_COLUMNS = ("epoch", "iteration", "train_loss", "val_loss", "val_accuracy", "lr",
                 "seconds", "best_epoch")
ITERATION_COLUMNS = ("iteration", "epoch", "loss")

# Iteration rows (and TensorBoard events) are written at every epoch's end and, within a long
# epoch, whenever this many are waiting, so a fast run is not slowed by the disk.
_FLUSH_ROWS = 4096
# metrics.csv is synced to the disk at every epoch; the bigger files at most this often.
_SYNC_SECONDS = 1.0

_BOM = b"\xef\xbb\xbf"
_RUN_NAME = re.compile(r"run-([0-9]+)\Z")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TAG_CHARACTERS = re.compile(r"[^A-Za-z0-9_./-]")
_OPEN_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)


class RunLogError(WorkbenchError):
    """The run-log folder cannot be created or written."""


def tensorboard_available() -> bool:
    """Whether TensorBoard event files can be written (the optional tensorboardX package)."""
    try:
        import tensorboardX  # noqa: F401
    except ImportError:
        return False
    return True


def run_folders(folder: str | Path) -> list[Path]:
    """The run folders (``run-001``, ...) in a log folder, oldest first; [] when none."""
    found = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return []
    for path in entries:
        match = _RUN_NAME.match(path.name)
        if match and path.is_dir():
            found.append((int(match.group(1)), path.name, path))
    return [path for _, _, path in sorted(found)]


def _run_number(path: Path) -> int:
    match = _RUN_NAME.match(path.name)
    return int(match.group(1)) if match else 0


def latest_run(folder: str | Path) -> Path | None:
    """The newest run folder in a log folder (the highest number), or None."""
    runs = run_folders(folder)
    return runs[-1] if runs else None


def _new_run_folder(root: Path) -> Path:
    """Create the next numbered run folder in ``root`` (created too); raises OSError."""
    root.mkdir(parents=True, exist_ok=True)
    runs = run_folders(root)
    number = _run_number(runs[-1]) + 1 if runs else 1
    while True:
        path = root / f"run-{number:03d}"
        try:
            path.mkdir()
        except FileExistsError:  # taken meanwhile by another run, or a file of that name
            number += 1
            continue
        return path


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)  # "nan", "inf"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text, never run as a formula
    return str(value)


def _tag(name: str) -> str:
    """A TensorBoard tag: letters, digits and ``_./-`` only, whatever the text came from."""
    return _TAG_CHARACTERS.sub("_", name).lstrip("/") or "_"


def _code_block(text: str) -> str:
    """Markdown (TensorBoard's text view) showing ``text`` as it is: a fence longer than any
    run of backticks inside it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}toml\n{text}\n{fence}"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# -- reading back what a killed or earlier run left -------------------------------------------

def _header_end(data: bytes) -> int:
    """Where the header row of a CSV file ends (after the BOM); 0 if it is not complete."""
    start = len(_BOM) if data.startswith(_BOM) else 0
    end = start

    def lines():  # csv pulls one line at a time, so ``end`` is the end of the lines it took
        nonlocal end
        while True:
            cut = data.find(b"\n", end)
            if cut < 0:
                return
            line, end = data[end:cut + 1], cut + 1
            yield line.decode("utf-8")

    try:
        next(csv.reader(lines()))
    except (StopIteration, csv.Error, UnicodeDecodeError):
        return 0
    return end


def _row(data: bytes, start: int, end: int) -> list[str] | None:
    try:
        rows = list(csv.reader([data[start:end].decode("utf-8")]))
    except (csv.Error, UnicodeDecodeError):
        return None
    return rows[0] if len(rows) == 1 else None


def _kept_length(data: bytes, keep: Callable[[list[str]], bool]) -> int:
    """How much of a CSV file to keep: the header and the rows up to the last one ``keep``
    accepts, a row cut short at the end never. Rows are one line each (numbers only), so the
    file is read from its end, where the rows to drop are."""
    header = _header_end(data)
    if header == 0:
        return 0
    end = data.rfind(b"\n") + 1  # a last line without its line end was cut short
    while end > header:
        start = max(data.rfind(b"\n", header, end - 1) + 1, header)
        row = _row(data, start, end)
        if row is not None and keep(row):
            break
        end = start
    return max(end, header)


def _last_row(path: Path) -> list[str] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = _header_end(data)
    end = data.rfind(b"\n") + 1
    if header == 0 or end <= header:
        return None
    start = max(data.rfind(b"\n", header, end - 1) + 1, header)
    return _row(data, start, end)


def _trim(path: Path, keep: Callable[[list[str]], bool]) -> bool:
    """Cut a run's CSV file after the last complete row that ``keep`` accepts; whether
    anything was cut."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    end = _kept_length(data, keep)
    if end == len(data):
        return False
    with open(path, "r+b") as fh:
        fh.truncate(end)
        os.fsync(fh.fileno())
    return True


def _trim_events(folder: Path, epoch: int, iteration: int) -> None:
    """Rewrite a run's event files without what was logged after a checkpoint (per-epoch
    curves after ``epoch``, per-iteration ones and texts after ``iteration``), and without a
    record cut short, so TensorBoard shows the continued run's points alone."""
    from tensorboardX.proto.event_pb2 import Event
    from tensorboardX.record_writer import masked_crc32c

    def wanted(event: Any) -> bool:
        for value in event.summary.value:
            per_epoch = value.HasField("simple_value") and value.tag != "loss/iteration"
            if event.step > (epoch if per_epoch else iteration):
                return False
        return True

    for path in sorted(folder.glob("events.out.tfevents.*")):
        data = path.read_bytes()
        kept, pos = [], 0
        while pos + 12 <= len(data):
            header = data[pos:pos + 8]
            (length,) = struct.unpack("<Q", header)
            end = pos + 16 + length
            record = data[pos + 12:end - 4]
            if (end > len(data)
                    or struct.unpack("<I", data[pos + 8:pos + 12])[0] != masked_crc32c(header)
                    or struct.unpack("<I", data[end - 4:end])[0] != masked_crc32c(record)):
                break  # cut short or damaged: nothing after it can be read either
            try:
                event = Event.FromString(record)
            except Exception:  # noqa: BLE001 - not an event: left out like a damaged record
                break
            if wanted(event):
                kept.append(data[pos:end])
            pos = end
        new = b"".join(kept)
        if new != data:
            atomic_write_bytes(path, new)


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


# -- writing -------------------------------------------------------------------------------

class _AppendOnly:
    """A file of the run log opened for appending: ``flush`` writes what waits in memory."""

    fd: int

    def flush(self) -> None:
        raise NotImplementedError

    def sync(self) -> None:
        os.fsync(self.fd)

    def close(self) -> None:
        try:
            self.flush()
            self.sync()
        finally:
            os.close(self.fd)


class _Table(_AppendOnly):
    """A CSV file that only grows by whole rows: rows wait in memory and go in one write each
    flush, so whatever moment a run is killed at, the file ends with a complete row."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.fd = os.open(path, _OPEN_FLAGS, 0o666)
        self._text = io.StringIO()
        # newline="" semantics: csv ends the rows, with CRLF as RFC 4180 and spreadsheet
        # programs expect; QUOTE_MINIMAL quotes any cell with a comma, quote or line break.
        self._csv = csv.writer(self._text, lineterminator="\r\n")
        self.waiting = 0
        try:
            if os.fstat(self.fd).st_size == 0:
                self._csv.writerow(header)
                _write_all(self.fd, _BOM + self._take().encode("utf-8"))
        except OSError:
            os.close(self.fd)
            raise

    def _take(self) -> str:
        text = self._text.getvalue()
        self._text.seek(0)
        self._text.truncate()
        return text

    def add(self, rows: list[Any]) -> None:
        self._csv.writerows(rows)
        self.waiting += len(rows)

    def flush(self) -> None:
        if self._text.tell():
            _write_all(self.fd, self._take().encode("utf-8"))
        self.waiting = 0


class _EventFile(_AppendOnly):
    """A TensorBoard event file (TFRecord framing) of this run alone. Records wait in memory
    and go in one write per flush, so a killed run leaves whole records; a new file is named
    to sort after the folder's earlier ones, which is the order TensorBoard reads them in."""

    def __init__(self, folder: Path, purge_step: int | None) -> None:
        from tensorboardX.proto.event_pb2 import Event, SessionLog
        from tensorboardX.proto.summary_pb2 import Summary
        from tensorboardX.record_writer import masked_crc32c
        from tensorboardX.summary import text

        self._event, self._summary, self._text = Event, Summary, text
        self._crc = masked_crc32c
        self._waiting = bytearray()
        self.records_waiting = 0
        host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname()) or "host"
        stamp = int(time.time())
        for path in folder.glob("events.out.tfevents.*"):
            parts = path.name.split(".")
            if len(parts) > 3 and parts[3].isdigit():
                stamp = max(stamp, int(parts[3]) + 1)
        while True:
            self.path = folder / f"events.out.tfevents.{stamp:010d}.{host}"
            try:
                self.fd = os.open(self.path, _OPEN_FLAGS | os.O_EXCL, 0o666)
                break
            except FileExistsError:
                stamp += 1
        self._add(Event(wall_time=time.time(), file_version="brain.Event:2"))
        if purge_step is not None:
            # TensorBoard hides the earlier files' events from this step on: the continued
            # run does those iterations again.
            self._add(Event(wall_time=time.time(), step=purge_step,
                            session_log=SessionLog(status=SessionLog.START)))
        try:
            self.flush()
        except OSError:
            os.close(self.fd)
            raise

    def _add(self, event: Any) -> None:
        data = event.SerializeToString()
        header = struct.pack("<Q", len(data))
        self._waiting += header + struct.pack("<I", self._crc(header))
        self._waiting += data + struct.pack("<I", self._crc(data))
        self.records_waiting += 1

    def scalar(self, tag: str, value: float, step: int) -> None:
        summary = self._summary(value=[self._summary.Value(tag=_tag(tag),
                                                           simple_value=float(value))])
        self._add(self._event(wall_time=time.time(), step=step, summary=summary))

    def text(self, tag: str, text: str, step: int) -> None:
        self._add(self._event(wall_time=time.time(), step=step,
                              summary=self._text(_tag(tag), text)))

    def flush(self) -> None:
        if self._waiting:
            _write_all(self.fd, bytes(self._waiting))
            self._waiting.clear()
        self.records_waiting = 0


def _same_file(a: str | Path, b: str | Path) -> bool:
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


class RunLog:
    """Writes one run's folder, inside the log folder ``folder``, from the engine's events; see
    the module docstring.

    ``titles``: column titles by column key (``EPOCH_COLUMNS``, ``ITERATION_COLUMNS``), e.g.
    ``{"train_loss": "训练损失"}``; keys not given keep their own name as title.
    ``tensorboard``: True to require event files (RunLogError without tensorboardX), False for
    none, None (the default) to write them when tensorboardX is installed.
    ``iterations``: False leaves out ``iterations.csv`` (and the per-iteration TensorBoard
    curve), for very long runs.
    ``checkpoint``: the checkpoint file the run writes, if any; kept in ``run.json`` so that
    continuing from it finds this run.
    ``resume``: the checkpoint the engine continues from (or True when not known): the log
    then goes on in that run's folder, the one whose ``run.json`` names the checkpoint, else
    the newest with the same data and model settings that has not logged past it; else a new
    run folder is made. ``folder`` may also be a run folder itself.

    A new run's folder is created, and ``config.toml`` written, at once, so a folder that
    cannot be written is reported before training starts; ``self.folder`` is that run folder.
    When continuing, nothing is written before the engine accepts the checkpoint (its
    RunStarted event); until then ``self.folder`` is None, and it stays None if the checkpoint
    is refused. Call ``close()`` (or use ``with``) if a run may end without a RunFinished or
    RunFailed event; closing twice is harmless.
    """

    def __init__(self, folder: str | Path, config: TrainConfig, *,
                 titles: Mapping[str, str] | None = None, tensorboard: bool | None = None,
                 iterations: bool = True, checkpoint: str | Path | None = None,
                 resume: str | Path | bool | None = None) -> None:
        self.root = Path(folder)
        self.folder: Path | None = None  # this run's folder, once known
        self.config = config
        self.titles = dict(titles or {})
        self.error: str | None = None  # why logging stopped, if it did
        self.epochs_written = 0
        self.iterations_written = 0
        self._checkpoint = os.path.abspath(checkpoint) if checkpoint else None
        self._resume = resume if isinstance(resume, bool) else (
            os.path.abspath(resume) if resume else False)
        self._keep_iterations = iterations
        self._metrics: _Table | None = None
        self._iterations: _Table | None = None
        self._events: _EventFile | None = None
        self._event_path: Path | None = None
        self._last_sync = time.monotonic()
        self._closed = False
        if tensorboard is None:
            self._want_events = tensorboard_available()
        else:
            self._want_events = tensorboard
            if tensorboard and not tensorboard_available():
                raise RunLogError("TensorBoard logs need the tensorboardX package: "
                                  "pip install workbench[tensorboard].")
        if self._resume:
            self._check_writable()
        else:
            new_root = not self.root.exists()
            try:
                self._start_new()
            except OSError as exc:
                self._close_files()
                self._remove_unstarted(new_root)
                raise RunLogError(f"The run log cannot be written in {self.root} "
                                  f"({exc.strerror or exc}). Choose another folder.") from None

    # -- folders ------------------------------------------------------------------------
    def _remove_unstarted(self, new_root: bool) -> None:
        """A run folder that could not be started (disk full, a file-size limit) is removed
        with what it holds, and the log folder too when this run created it; nothing
        half-written stays behind."""
        import shutil

        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if new_root:
            with contextlib.suppress(OSError):
                self.root.rmdir()  # only when empty
    def _check_writable(self) -> None:
        """Whether the log folder (or the folder it would be made in) can be written, asked
        without creating or changing anything."""
        path = self.root.absolute()
        while not path.exists() and path.parent != path:
            path = path.parent
        if not path.is_dir() or not os.access(path, os.W_OK | os.X_OK):
            raise RunLogError(f"The run log cannot be written in {self.root} ({path} is not a "
                              "folder that can be written). Choose another folder.")

    def _title(self, key: str) -> str:
        return _cell(self.titles.get(key, key))

    def _start_new(self) -> None:
        self.folder = folder = _new_run_folder(self.root)
        atomic_write_bytes(folder / CONFIG_FILE, dumps_toml(self.config).encode("utf-8"))
        self._note_checkpoints(folder)
        self._open_tables(folder)
        self._open_events(folder, None, 0)

    def _open_tables(self, folder: Path) -> None:
        self._metrics = _Table(folder / METRICS_FILE, [self._title(k) for k in EPOCH_COLUMNS])
        if self._keep_iterations:
            self._iterations = _Table(folder / ITERATIONS_FILE,
                                      [self._title(k) for k in ITERATION_COLUMNS])

    def _open_events(self, folder: Path, purge_step: int | None, step: int) -> None:
        if not self._want_events:
            return
        events = None
        try:
            events = _EventFile(folder, purge_step)
            events.text("config", _code_block(dumps_toml(self.config)), step)
            events.flush()
        except Exception as exc:  # noqa: BLE001 - event files are extra; the CSVs go on
            log.warning("TensorBoard logging is off: %s", exc)
            if events is not None:
                with contextlib.suppress(OSError):
                    events.close()
            return
        self._events, self._event_path = events, events.path

    def _note_checkpoints(self, folder: Path) -> None:
        """Add this run's checkpoint files to its run.json."""
        paths = self._recorded_checkpoints(folder)
        new = [p for p in (self._checkpoint, self._resume if isinstance(self._resume, str)
                           else None) if p and p not in paths]
        if new:
            atomic_write_bytes(folder / RUN_FILE, json.dumps(
                {"checkpoints": paths + new}, ensure_ascii=False, indent=2).encode("utf-8"))

    @staticmethod
    def _recorded_checkpoints(folder: Path) -> list[str]:
        try:
            data = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
            paths = data["checkpoints"]
        except (OSError, ValueError, KeyError, TypeError):
            return []
        return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []

    def _find_run(self, epoch: int, iteration: int) -> Path | None:
        """The run folder to continue, for a checkpoint taken after ``epoch``."""
        candidates = list(reversed(run_folders(self.root)))
        if (self.root / METRICS_FILE).is_file():  # the log folder is a run folder itself
            candidates.append(self.root)
        if isinstance(self._resume, str):
            for folder in candidates:
                if any(_same_file(p, self._resume) for p in self._recorded_checkpoints(folder)):
                    return folder
        for folder in candidates:
            try:
                logged = load_toml(folder / CONFIG_FILE)
            except (OSError, ValueError, WorkbenchError):
                continue
            if logged.data != self.config.data or logged.model != self.config.model:
                continue
            last = _last_row(folder / METRICS_FILE)
            last_epoch = _int(last[0]) if last else 0
            if last_epoch is not None and last_epoch <= epoch:
                return folder
        return None

    def _continue(self, event: RunStarted) -> None:
        epoch, iteration = event.start_epoch - 1, event.start_iteration
        folder = self._find_run(epoch, iteration) if iteration > 0 else None
        if folder is None:
            self._start_new()
            return
        self.folder = folder

        def keep_epoch(row: list[str]) -> bool:
            e, i = _int(row[0]), _int(row[1]) if len(row) > 1 else None
            return e is not None and i is not None and e <= epoch and i <= iteration

        def keep_iteration(row: list[str]) -> bool:
            i = _int(row[0])
            return i is not None and i <= iteration

        cut = _trim(folder / METRICS_FILE, keep_epoch)
        cut = _trim(folder / ITERATIONS_FILE, keep_iteration) or cut
        if cut and tensorboard_available():
            _trim_events(folder, epoch, iteration)
        with contextlib.suppress(FileNotFoundError):
            (folder / RESULT_FILE).unlink()  # it said how the earlier part ended
        text = dumps_toml(self.config).encode("utf-8")
        config_path = folder / CONFIG_FILE
        if not config_path.is_file() or config_path.read_bytes() != text:
            atomic_write_bytes(config_path, text)  # e.g. more epochs than before
        self._note_checkpoints(folder)
        self._open_tables(folder)
        self._open_events(folder, iteration + 1, iteration)

    @property
    def tensorboard(self) -> bool:
        """Whether this run's TensorBoard event file was opened (before and after closing)."""
        return self._event_path is not None

    @property
    def files(self) -> list[Path]:
        """The files of this run's folder so far."""
        if self.folder is None:
            return []
        return sorted(p for p in self.folder.iterdir() if p.is_file())

    # -- events -------------------------------------------------------------------------
    def __call__(self, event: Any) -> None:
        if self._closed or self.error is not None:
            return
        try:
            if self.folder is None:
                if not isinstance(event, RunStarted):
                    return  # continuing: nothing is written before the checkpoint is accepted
                self._continue(event)
            if isinstance(event, IterationsDone):
                self._on_iterations(event)
            elif isinstance(event, EpochEnded):
                self._on_epoch(event)
            elif isinstance(event, RunFinished):
                self._finish({"status": event.reason, "epochs": event.epochs_completed,
                              "iterations": event.iterations_completed,
                              "seconds": round(event.seconds, 3),
                              "best_epoch": event.best_epoch,
                              "restored_best": event.restored_best,
                              "weights_epoch": event.weights_epoch,
                              # "" when nothing looks wrong; "chance": stuck at chance level
                              "warning_kind": event.warning_kind, "warning": event.warning,
                              "chance_accuracy": event.chance_accuracy,
                              "val_r2": event.val_r2})
            elif isinstance(event, RunFailed):
                self._finish({"status": "failed", "kind": event.kind, "message": event.message,
                              "epoch": event.epoch, "iteration": event.iteration})
            elif isinstance(event, RunStarted) and self._events is not None:
                self._events.text("run", f"{event.train_samples} training / "
                                  f"{event.val_samples} validation samples on "
                                  f"{event.device_name}", event.start_iteration)
        except Exception as exc:  # noqa: BLE001 - a log must never end a run
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            where = self.folder or self.root
            self.error = f"The run log stopped: {why} ({where})."
            log.warning("%s", self.error)
            self._close_files()

    def _on_iterations(self, event: IterationsDone) -> None:
        if self._iterations is None:
            return
        losses = event.losses.tolist()
        first, epoch = event.first_iteration, event.epoch
        self._iterations.add([(first + k, epoch, _cell(float(v))) for k, v in enumerate(losses)])
        self.iterations_written += len(losses)
        events = self._events
        if events is not None:
            for k, v in enumerate(losses):
                if math.isfinite(v):
                    events.scalar("loss/iteration", v, first + k)
        if self._iterations.waiting >= _FLUSH_ROWS or (
                events is not None and events.records_waiting >= _FLUSH_ROWS):
            self._iterations.flush()
            if events is not None:
                events.flush()

    def _on_epoch(self, e: EpochEnded) -> None:
        assert self._metrics is not None
        events = self._events
        if events is not None:
            events.scalar("loss/train", e.train_loss, e.epoch)
            if e.val_loss is not None:
                events.scalar("loss/validation", e.val_loss, e.epoch)
            if e.val_accuracy is not None:
                events.scalar("accuracy/validation", e.val_accuracy, e.epoch)
            events.scalar("learning_rate", e.lr, e.epoch)
        values = {"epoch": e.epoch, "iteration": e.iteration, "train_loss": e.train_loss,
                  "val_loss": e.val_loss, "val_accuracy": e.val_accuracy, "lr": e.lr,
                  "seconds": round(e.seconds, 6), "best_epoch": e.best_epoch}
        self._metrics.add([[_cell(values[k]) for k in EPOCH_COLUMNS]])
        self.epochs_written += 1
        # The epoch's iterations go first, so a row in metrics.csv means its iterations are in.
        self._flush(sync=False)
        self._metrics.sync()
        if time.monotonic() - self._last_sync >= _SYNC_SECONDS:
            self._sync()

    def _flush(self, sync: bool) -> None:
        for part in (self._iterations, self._events, self._metrics):
            if part is not None:
                part.flush()
        if sync:
            self._sync()

    def _sync(self) -> None:
        for part in (self._iterations, self._events, self._metrics):
            if part is not None:
                part.sync()
        self._last_sync = time.monotonic()

    def _finish(self, result: dict[str, Any]) -> None:
        assert self.folder is not None
        self._flush(sync=True)
        atomic_write_bytes(self.folder / RESULT_FILE,
                           json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8"))
        self.close()

    # -- closing ------------------------------------------------------------------------
    def _close_files(self) -> None:
        for part in (self._iterations, self._events, self._metrics):
            if part is not None:
                with contextlib.suppress(OSError):
                    part.close()
        self._metrics = self._iterations = None
        self._events = None

    def close(self) -> None:
        """Write, sync and close every file; later events are ignored."""
        if self._closed:
            return
        self._closed = True
        self._close_files()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RunLog({os.fspath(self.folder or self.root)!r})"
