"""Run history: one SQLite database (WAL) with every run's settings, data identity, per-epoch
metrics, per-iteration losses (float32 blocks) and result. No Qt, no torch.

A run is written while it goes: ``add_run`` at its start, then ``append_epochs`` and
``append_losses`` followed by ``commit`` (the caller decides how often: one commit writes a
whole block of iterations), then ``finish``. A process that dies mid-run leaves the run listed
with everything up to its last commit; ``RunRecord.display_status`` calls it interrupted once it
has been silent for a while.

The schema's version is ``PRAGMA user_version``; ``_MIGRATIONS[v]`` takes a database from
version ``v`` to ``v + 1``, so a later Workbench can upgrade an older file in place. Version 2
numbers runs with AUTOINCREMENT: the id of a deleted run is never given to a new one, so a run
cannot inherit the deleted run's place as a parent.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench.config import ConfigError, TrainConfig, dumps_toml
from workbench.core.events import EpochEnded
from workbench.errors import WorkbenchError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 2000
# A "running" run that has not written for this long was cut off (crash, kill, power cut).
SILENT_AFTER_S = 120.0
# Hashing a CSV file costs about a second per GB: only files up to this size get a content hash.
HASH_LIMIT_BYTES = 64 * 1024 * 1024
# Image folders are fingerprinted by their listing (names, sizes, times), up to this many files.
LISTING_LIMIT = 200_000

STATUSES = ("running", "completed", "stopped", "early_stopped", "failed")

_SCHEMA_V1 = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    ended_at REAL,
    status TEXT NOT NULL,
    config TEXT NOT NULL,
    dataset TEXT NOT NULL,
    data_path TEXT NOT NULL DEFAULT '',
    data_fingerprint TEXT NOT NULL DEFAULT '',
    train_samples INTEGER,
    val_samples INTEGER,
    task TEXT NOT NULL DEFAULT '',
    device TEXT NOT NULL DEFAULT '',
    device_name TEXT NOT NULL DEFAULT '',
    parameters INTEGER,
    batch_size INTEGER,
    iterations_per_epoch INTEGER,
    epochs_planned INTEGER,
    epochs_completed INTEGER NOT NULL DEFAULT 0,
    iterations_completed INTEGER NOT NULL DEFAULT 0,
    seconds REAL,
    best_epoch INTEGER,
    final_train_loss REAL,
    final_val_loss REAL,
    final_val_accuracy REAL,
    message TEXT NOT NULL DEFAULT '',
    parent_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    comparison TEXT NOT NULL DEFAULT '',
    comparison_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_started ON runs(started_at);
CREATE INDEX runs_comparison ON runs(comparison);
CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    train_loss REAL,
    val_loss REAL,
    val_accuracy REAL,
    train_accuracy REAL,
    lr REAL,
    seconds REAL,
    iteration INTEGER NOT NULL,
    best_epoch INTEGER,
    patience_left INTEGER,
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
CREATE TABLE loss_blocks (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    first_iteration INTEGER NOT NULL,
    losses BLOB NOT NULL,
    PRIMARY KEY (run_id, first_iteration)
) WITHOUT ROWID;
"""

# Version 2: the same runs table with AUTOINCREMENT ids. SQLite cannot add it in place, so the
# table is rebuilt (foreign keys off meanwhile, or dropping the old table would cascade into
# epochs and loss blocks). A parent that is missing, the run itself or a later run is a trace of
# reused ids and is cleared.
_V1_TO_V2 = _SCHEMA_V1.split("CREATE INDEX")[0].replace(
    "CREATE TABLE runs (", "CREATE TABLE runs_v2 (").replace(
    "id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,") + """;
INSERT INTO runs_v2 SELECT * FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;
UPDATE runs SET parent_id = NULL WHERE parent_id >= id
    OR parent_id NOT IN (SELECT id FROM runs);
CREATE INDEX runs_started ON runs(started_at);
CREATE INDEX runs_comparison ON runs(comparison);
"""

_MIGRATIONS: dict[int, str] = {0: _SCHEMA_V1, 1: _V1_TO_V2}


class HistoryError(WorkbenchError):
    """The history database cannot be opened, read or written; the message says why."""

    damaged = False  # True: a new history in place of this file would work again


class DamagedHistoryError(HistoryError):
    """The history file is not a database or is corrupt."""

    damaged = True


@dataclass(frozen=True)
class DataIdentity:
    """Which data a run trained on: enough to tell two runs' data apart."""

    dataset: str
    path: str = ""  # CSV file or image folder
    fingerprint: str = ""  # content hash (small CSV), listing hash (images), or size+time


@dataclass(frozen=True)
class RunStart:
    """What is known when a run starts (from the engine's RunStarted event)."""

    train_samples: int
    val_samples: int
    task: str
    device: str
    device_name: str
    parameters: int
    batch_size: int
    iterations_per_epoch: int
    epochs: int


@dataclass(frozen=True)
class RunRecord:
    """One row of the history list (no curves)."""

    id: int
    name: str
    started_at: float
    updated_at: float
    ended_at: float | None
    status: str
    dataset: str
    data_path: str
    data_fingerprint: str
    train_samples: int | None
    val_samples: int | None
    task: str
    device: str
    device_name: str
    parameters: int | None
    batch_size: int | None
    iterations_per_epoch: int | None
    epochs_planned: int | None
    epochs_completed: int
    iterations_completed: int
    seconds: float | None
    best_epoch: int | None
    final_train_loss: float | None
    final_val_loss: float | None
    final_val_accuracy: float | None
    message: str
    parent_id: int | None
    comparison: str
    comparison_value: str
    optimizer: str

    def display_status(self, now: float | None = None) -> str:
        """``status``, except that a run silent for long while "running" was interrupted."""
        now = time.time() if now is None else now
        if self.status == "running" and now - self.updated_at > SILENT_AFTER_S:
            return "interrupted"
        return self.status


@dataclass
class RunCurves:
    """A run's curves as recorded: every iteration's loss and every epoch's numbers."""

    iterations: np.ndarray  # int64 global iteration numbers
    losses: np.ndarray  # float32, one per iteration
    epochs: list[EpochEnded] = field(default_factory=list)

    def epoch_column(self, name: str) -> np.ndarray:
        """``train_loss``, ``val_loss``, ``val_accuracy``... as float64 with NaN for None."""
        return np.array([np.nan if getattr(e, name) is None else getattr(e, name)
                         for e in self.epochs], dtype=np.float64)


def default_name(cfg: TrainConfig) -> str:
    """What tells runs apart at a glance: data, model size, optimizer, batch size, rate."""
    hidden = "-".join(str(h) for h in cfg.model.hidden) or "linear"
    name = (f"{cfg.data.dataset} {cfg.model.kind} {hidden}, {cfg.optim.optimizer}"
            f" lr {cfg.optim.lr:g}, batch {cfg.run.batch_size}")
    if cfg.model.dropout or cfg.model.dropout_per_layer:
        rates = cfg.model.hidden_dropouts()
        name += f", dropout {max(rates, default=0):g}"
    return name


def data_identity(cfg: TrainConfig) -> DataIdentity:
    """The data's name and, for a file or folder, where it is; no fingerprint (see
    :func:`data_fingerprint`, which may read the file)."""
    d = cfg.data
    if d.dataset == "csv":
        return DataIdentity(d.dataset, d.csv_path)
    if d.dataset == "images":
        return DataIdentity(d.dataset, d.image_dir)
    return DataIdentity(d.dataset)


def data_fingerprint(path: str | Path) -> str:
    """A cheap content fingerprint of a CSV file or an image folder; "" when unreadable.

    Small files are hashed whole (sha256); big ones by size and modification time; folders by
    the listing of their files (relative name, size, modification time).
    """
    path = Path(path)
    try:
        if path.is_file():
            stat = path.stat()
            if stat.st_size > HASH_LIMIT_BYTES:
                return f"size:{stat.st_size}:mtime:{stat.st_mtime_ns}"
            digest = hashlib.sha256()
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            return "sha256:" + digest.hexdigest()
        if path.is_dir():
            return "listing:" + _listing_hash(path)
    except OSError:
        return ""
    return ""


def _listing_hash(folder: Path) -> str:
    entries: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            full = Path(root) / name
            stat = full.stat()
            entries.append(f"{full.relative_to(folder).as_posix()}\t{stat.st_size}\t"
                           f"{stat.st_mtime_ns}")
            if len(entries) >= LISTING_LIMIT:
                break
        if len(entries) >= LISTING_LIMIT:
            break
    return hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest()


def _sqlite_problem(path: Path, exc: sqlite3.Error) -> HistoryError:
    """The error to raise for ``exc``, saying what people can do about it."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return HistoryError.from_template(
            "The run history {path} is locked by another program; close it and restart "
            "Workbench to record runs again.", path=str(path))
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DamagedHistoryError.from_template(
            "The run history {path} is damaged ({reason}); runs are not recorded. Start a new "
            "history (the damaged file is kept beside it) to record runs again.",
            path=str(path), reason=text)
    return HistoryError.from_template("The run history {path} cannot be used: {reason}.",
                                      path=str(path), reason=text)


class HistoryStore:
    """The run-history database. Use from one thread (sqlite3 connections are per thread)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise HistoryError.from_template("The run history {path} cannot be opened: {reason}.",
                                             path=str(self.path), reason=reason) from exc
        try:
            self._configure()
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise _sqlite_problem(self.path, exc) from exc
        self._in_transaction = False
        self._closed = False

    def _configure(self) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL + NORMAL: a commit appends to the log without an fsync of the main file; a
        # power cut can lose the last commits, never the database.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        # Reads the schema: a file that is not a database fails here. (No integrity check:
        # it reads every page, and start-up must not grow with the history.)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError.from_template(
                "The run history {path} was written by a newer Workbench (schema {version}; "
                "this one knows {known}); update Workbench to record runs there.",
                path=str(self.path), version=version, known=SCHEMA_VERSION)
        if version == SCHEMA_VERSION:
            return
        # Outside any transaction (SQLite ignores the pragma inside one).
        self._db.execute("PRAGMA foreign_keys = OFF")
        try:
            while version < SCHEMA_VERSION:
                self._migrate_once(version)
                version += 1
        finally:
            self._db.execute("PRAGMA foreign_keys = ON")

    def _migrate_once(self, version: int) -> None:
        """One step, all or nothing: a failure leaves the file as it was."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _MIGRATIONS[version].split(";"):
                if statement.strip():
                    self._db.execute(statement)
            if self._db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError(f"schema {version + 1}: broken run references")
            self._db.execute(f"PRAGMA user_version = {version + 1}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # -- plumbing ------------------------------------------------------------------------------
    def _write(self, sql: str, args: Sequence[object] = ()) -> sqlite3.Cursor:
        """A write inside the open transaction (begun on the first write after a commit)."""
        try:
            if not self._in_transaction:
                self._db.execute("BEGIN")
                self._in_transaction = True
            return self._db.execute(sql, args)
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc) from exc

    def _read(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc) from exc

    def commit(self) -> None:
        """Make everything written since the last commit durable (one WAL append)."""
        if not self._in_transaction:
            return
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc) from exc
        finally:
            self._in_transaction = self._db.in_transaction

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Commit what is pending and close; the store is unusable afterwards."""
        if self._closed:
            return
        try:
            self.commit()
        finally:
            self.drop()

    def drop(self) -> None:
        """Close without committing (what a crash does)."""
        self._closed = True
        self._db.close()

    # -- writing a run ---------------------------------------------------------------------------
    def add_run(self, config: TrainConfig, start: RunStart | None, data: DataIdentity, *,
                name: str = "", parent_id: int | None = None, comparison: str = "",
                comparison_value: str = "") -> int:
        """Record a run that has just started (``start`` None: it ended before training
        began); returns its id (committed at once). A ``parent_id`` no longer in the history
        (deleted meanwhile) is stored as no parent."""
        now = time.time()
        if start is None:
            known: tuple = (None, None, "", "", "", None, config.run.batch_size, None,
                            config.run.epochs)
        else:
            known = (start.train_samples, start.val_samples, start.task, start.device,
                     start.device_name, start.parameters, start.batch_size,
                     start.iterations_per_epoch, start.epochs)
        name = name or default_name(config)
        cursor = self._write(
            "INSERT INTO runs (name, started_at, updated_at, status, config, dataset, data_path,"
            " data_fingerprint, train_samples, val_samples, task, device, device_name,"
            " parameters, batch_size, iterations_per_epoch, epochs_planned, parent_id,"
            " comparison, comparison_value)"
            " VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " (SELECT id FROM runs WHERE id = ?), ?, ?)",
            (name, now, now, dumps_toml(config), data.dataset, data.path, data.fingerprint,
             *known, parent_id, comparison, comparison_value))
        self.commit()
        return int(cursor.lastrowid)

    def set_fingerprint(self, run_id: int, fingerprint: str) -> None:
        self._write("UPDATE runs SET data_fingerprint = ? WHERE id = ?", (fingerprint, run_id))
        self.commit()

    def append_epochs(self, run_id: int, epochs: Iterable[EpochEnded]) -> None:
        """Add ended epochs (written at the next commit)."""
        rows = [(run_id, e.epoch, e.train_loss, e.val_loss, e.val_accuracy, e.train_accuracy,
                 e.lr, e.seconds, e.iteration, e.best_epoch, e.patience_left) for e in epochs]
        if not rows:
            return
        self._write_many(
            "INSERT OR REPLACE INTO epochs (run_id, epoch, train_loss, val_loss, val_accuracy,"
            " train_accuracy, lr, seconds, iteration, best_epoch, patience_left)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        last = rows[-1]
        self._write(
            "UPDATE runs SET epochs_completed = ?, final_train_loss = ?, final_val_loss = ?,"
            " final_val_accuracy = ?, iterations_completed = MAX(iterations_completed, ?),"
            " best_epoch = COALESCE(?, best_epoch), updated_at = ? WHERE id = ?",
            (last[1], last[2], last[3], last[4], last[8], last[9], time.time(), run_id))

    def _write_many(self, sql: str, rows: list[tuple]) -> None:
        self._write("SELECT 1")  # opens the transaction
        try:
            self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc) from exc

    def append_losses(self, run_id: int, first_iteration: int, losses: np.ndarray) -> None:
        """Add one block of consecutive iteration losses (written at the next commit)."""
        block = np.ascontiguousarray(losses, dtype="<f4").ravel()
        if block.size == 0:
            return
        self._write("INSERT OR REPLACE INTO loss_blocks (run_id, first_iteration, losses)"
                    " VALUES (?, ?, ?)", (run_id, int(first_iteration), block.tobytes()))
        self._write("UPDATE runs SET iterations_completed = MAX(iterations_completed, ?),"
                    " updated_at = ? WHERE id = ?",
                    (int(first_iteration) + block.size - 1, time.time(), run_id))

    def finish(self, run_id: int, status: str, *, seconds: float | None = None,
               best_epoch: int | None = None, message: str = "") -> None:
        """The run's end: status (completed, stopped, early_stopped, failed) and totals."""
        if status not in STATUSES:
            raise ValueError(f"unknown run status {status!r}")
        now = time.time()
        self._write("UPDATE runs SET status = ?, ended_at = ?, updated_at = ?,"
                    " seconds = COALESCE(?, seconds), best_epoch = COALESCE(?, best_epoch),"
                    " message = ? WHERE id = ?",
                    (status, now, now, seconds, best_epoch, message, run_id))
        self.commit()

    # -- reading and editing -----------------------------------------------------------------------
    _COLUMNS = ("id, name, started_at, updated_at, ended_at, status, dataset, data_path,"
                " data_fingerprint, train_samples, val_samples, task, device, device_name,"
                " parameters, batch_size, iterations_per_epoch, epochs_planned,"
                " epochs_completed, iterations_completed, seconds, best_epoch,"
                " final_train_loss, final_val_loss, final_val_accuracy, message, parent_id,"
                " comparison, comparison_value, config")

    def list_runs(self, search: str = "", comparison: str | None = None) -> list[RunRecord]:
        """Runs, newest first; every word of ``search`` matches the name, data, status,
        device, comparison or optimizer (not other settings: "dropout" would match all)."""
        where, args = [], []
        for word in search.split():
            like = f"%{word}%"
            where.append("(name LIKE ? OR dataset LIKE ? OR data_path LIKE ? OR status LIKE ?"
                         " OR device_name LIKE ? OR comparison LIKE ? OR comparison_value LIKE ?"
                         " OR config LIKE ?)")
            args.extend([like] * 7 + [f'%optimizer = "{word}%'])
        if comparison is not None:
            where.append("comparison = ?")
            args.append(comparison)
        sql = f"SELECT {self._COLUMNS} FROM runs"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY started_at DESC, id DESC"
        return [self._record(row) for row in self._read(sql, args)]

    def get_run(self, run_id: int) -> RunRecord | None:
        rows = self._read(f"SELECT {self._COLUMNS} FROM runs WHERE id = ?", (run_id,))
        return self._record(rows[0]) if rows else None

    @staticmethod
    def _record(row: tuple) -> RunRecord:
        *values, config = row
        return RunRecord(*values, optimizer=_optimizer_of(config))

    def config(self, run_id: int) -> TrainConfig:
        """The run's settings, as the form had them when it started."""
        rows = self._read("SELECT config FROM runs WHERE id = ?", (run_id,))
        if not rows:
            raise HistoryError.from_template("Run {id} is not in the history any more.",
                                             id=run_id)
        try:
            return TrainConfig.from_dict(tomllib.loads(rows[0][0]))
        except (tomllib.TOMLDecodeError, ConfigError) as exc:
            raise HistoryError.from_template("The settings of run {id} cannot be read: {reason}",
                                             id=run_id, reason=exc) from exc

    def config_text(self, run_id: int) -> str:
        rows = self._read("SELECT config FROM runs WHERE id = ?", (run_id,))
        return rows[0][0] if rows else ""

    def rename(self, run_id: int, name: str) -> None:
        self._write("UPDATE runs SET name = ? WHERE id = ?", (name.strip(), run_id))
        self.commit()

    def delete(self, run_ids: Iterable[int]) -> None:
        ids = [(int(i),) for i in run_ids]
        if ids:
            self._write_many("DELETE FROM runs WHERE id = ?", ids)
            self.commit()

    def load_epochs(self, run_id: int) -> list[EpochEnded]:
        rows = self._read("SELECT epoch, train_loss, val_loss, val_accuracy, train_accuracy,"
                          " lr, seconds, iteration, best_epoch, patience_left FROM epochs"
                          " WHERE run_id = ? ORDER BY epoch", (run_id,))
        return [EpochEnded(epoch=r[0], train_loss=r[1], val_loss=r[2], val_accuracy=r[3],
                           train_accuracy=r[4], lr=r[5], seconds=r[6], iteration=r[7],
                           best_epoch=r[8], patience_left=r[9]) for r in rows]

    def load_curves(self, run_id: int) -> RunCurves:
        """Every recorded iteration loss (in order) and every epoch of the run."""
        rows = self._read("SELECT first_iteration, losses FROM loss_blocks WHERE run_id = ?"
                          " ORDER BY first_iteration", (run_id,))
        xs: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        for first, blob in rows:
            losses = np.frombuffer(blob, dtype="<f4").astype(np.float32)
            xs.append(np.arange(first, first + losses.size, dtype=np.int64))
            ys.append(losses)
        iterations = np.concatenate(xs) if xs else np.zeros(0, np.int64)
        losses = np.concatenate(ys) if ys else np.zeros(0, np.float32)
        return RunCurves(iterations=iterations, losses=losses, epochs=self.load_epochs(run_id))


def _optimizer_of(config_text: str) -> str:
    """The optimizer's name from a stored TOML config, without parsing all of it."""
    for line in config_text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "optimizer":
            return value.strip().strip('"')
    return ""
