"""The log file: ``workbench.log`` in the user's log folder, rotated so it never grows without end.

Tracebacks belong here, not on the screen: dialogs show a sentence for people and the details
behind a button; this file keeps the whole story for a bug report. ``WORKBENCH_LOG_DIR`` points
it elsewhere (the tests use it). The window and the command line share this set-up.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_DIR_ENV = "WORKBENCH_LOG_DIR"
LOG_FILE_NAME = "workbench.log"
MAX_BYTES = 1_000_000  # ~1 MB a file, three old files kept: a few MB at most on any disk
BACKUP_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)-7s %(threadName)s %(name)s: %(message)s"

_lock = threading.Lock()
_handler: RotatingFileHandler | None = None
_previous_excepthook = sys.excepthook
_previous_level = logging.NOTSET


def log_dir() -> Path:
    """Where the log file lives: ``WORKBENCH_LOG_DIR``, else the platform's user log folder."""
    folder = os.environ.get(LOG_DIR_ENV)
    if folder:
        return Path(folder)
    import platformdirs

    return Path(platformdirs.user_log_dir("Workbench", appauthor=False))


def log_file() -> Path | None:
    """The file being written, or None before ``configure_logging`` (or when it failed)."""
    return Path(_handler.baseFilename) if _handler is not None else None


def _log_uncaught(exc_type: type[BaseException], exc: BaseException,
                  tb: TracebackType | None) -> None:
    # An exception nobody caught (a Qt slot, the main thread) still reaches the file.
    if not issubclass(exc_type, KeyboardInterrupt):
        logging.getLogger("workbench").critical("uncaught exception",
                                                exc_info=(exc_type, exc, tb))
    _previous_excepthook(exc_type, exc, tb)


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Attach the rotating file handler to the root logger once; returns the file's path.

    Safe to call more than once (later calls do nothing). A log folder that cannot be created
    (read-only home, full disk) must not stop the app from starting: then nothing is written.
    """
    global _handler, _previous_level
    with _lock:
        if _handler is not None:
            return Path(_handler.baseFilename)
        folder = log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handler = RotatingFileHandler(folder / LOG_FILE_NAME, maxBytes=MAX_BYTES,
                                          backupCount=BACKUP_COUNT, encoding="utf-8")
        except OSError as exc:
            print(f"workbench: cannot write the log file in {folder}: {exc}", file=sys.stderr)
            return None
        handler.setLevel(level)
        handler.setFormatter(logging.Formatter(_FORMAT))
        logging.getLogger().addHandler(handler)
        # Only our own loggers are opened up to ``level``; other libraries stay at WARNING.
        ours = logging.getLogger("workbench")
        _previous_level = ours.level
        if ours.level == logging.NOTSET or ours.level > level:
            ours.setLevel(level)
        sys.excepthook = _log_uncaught
        _handler = handler
        return Path(handler.baseFilename)


def unconfigure_logging() -> None:
    """Detach and close the file handler (tests; a process that moves its log elsewhere)."""
    global _handler
    with _lock:
        if _handler is None:
            return
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
        logging.getLogger("workbench").setLevel(_previous_level)
        if sys.excepthook is _log_uncaught:
            sys.excepthook = _previous_excepthook
