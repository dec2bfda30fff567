"""Run folders for autosave: where each run's per-epoch checkpoint goes, and finding the ones a
crashed or killed process left behind.

Every run gets ``<data dir>/runs/<timestamp>/checkpoint.wbm`` (the engine writes it atomically at
each epoch end) and a lock file held while the run is active. A run that ends in this process,
however it ends, removes its folder: the window has the model then. A folder that is still
there with its lock free was left by a process that died mid-run; the next start offers it.

The data folder is ``WORKBENCH_DATA_DIR`` when set; else, when ``WORKBENCH_SETTINGS_DIR`` names
a private settings folder (a portable profile, or the tests), the runs live next to those
settings; else the platform's user data folder.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QLockFile

from workbench.paths import data_dir

log = logging.getLogger(__name__)

CHECKPOINT_NAME = "checkpoint.wbm"
LOCK_NAME = "run.lock"
FRESH_S = 60.0  # a folder without checkpoint or lock this young may be being set up


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def runs_dir() -> Path:
    return data_dir() / "runs"


@dataclass
class RunFolder:
    """One run's autosave folder, locked by this process while the run is active."""

    path: Path
    _lock: QLockFile | None = field(default=None, repr=False)

    @property
    def checkpoint(self) -> Path:
        return self.path / CHECKPOINT_NAME

    @classmethod
    def create(cls) -> RunFolder:
        """A new, locked run folder. Raises OSError when it cannot be made."""
        base = runs_dir()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for n in range(1000):  # two runs in the same second get distinct folders
            path = base / (stamp if n == 0 else f"{stamp}-{n}")
            try:
                path.mkdir(parents=True)
            except FileExistsError:
                continue
            lock = QLockFile(str(path / LOCK_NAME))
            lock.setStaleLockTime(0)  # only a dead owner makes it stale, never its age
            if not lock.tryLock(0):
                raise OSError(f"cannot lock the run folder {path}")
            return cls(path, lock)
        raise OSError(f"cannot create a run folder in {base}")

    def remove(self) -> None:
        """The run has ended in this process: its checkpoint is not needed any more."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        shutil.rmtree(self.path, ignore_errors=True)


def abandoned_runs() -> list[Path]:
    """Run folders whose process died mid-run and which hold a checkpoint, newest first.

    Folders of runs that are active in another Workbench (their lock is held) are left alone;
    abandoned ones without a checkpoint (killed before the first epoch ended) are removed
    once they are more than a minute old.
    """
    base = runs_dir()
    if not base.is_dir():
        return []
    found: list[Path] = []
    for path in sorted(base.iterdir(), reverse=True):
        if not path.is_dir():
            continue
        age = _age(path)  # before locking: taking the lock touches the folder
        lock = QLockFile(str(path / LOCK_NAME))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):  # held by a live process: its run is still going
            continue
        lock.unlock()
        if (path / CHECKPOINT_NAME).is_file():
            found.append(path)
        elif age > FRESH_S:
            # A young folder may be one another process has made but not locked yet.
            shutil.rmtree(path, ignore_errors=True)
    return found


def discard_run(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
