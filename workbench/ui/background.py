"""Short background jobs (device detection, data preview, CSV header) off the GUI thread.

These jobs import torch or read files, which must not freeze the window. Each runs in a plain
Python thread; its result comes back to the GUI thread through a queued Qt signal and is handed
to a callback only while the widget that asked for it still exists.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

_live: set[threading.Thread] = set()
_live_lock = threading.Lock()


class _Delivery(QObject):
    """Lives in the GUI thread; the queued connection carries the result across threads."""

    done = Signal(object, object)

    def __init__(self, owner: QObject, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None] | None) -> None:
        super().__init__()
        self._owner = owner
        self._on_done = on_done
        self._on_error = on_error
        # Queued explicitly: emitted from the job's thread, delivered in the GUI thread.
        self.done.connect(self._deliver, Qt.QueuedConnection)

    @Slot(object, object)
    def _deliver(self, result: Any, error: BaseException | None) -> None:
        _pending.discard(self)
        if not shiboken6.isValid(self._owner):
            return  # the widget that asked is gone
        if error is None:
            self._on_done(result)
        elif self._on_error is not None:
            self._on_error(error)
        else:
            log.error("background job failed", exc_info=error)


# Deliveries waiting for their job: referenced here so they outlive the calling frame.
_pending: set[_Delivery] = set()


def run_in_background(owner: QObject, job: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None] | None = None,
                      name: str = "workbench-job") -> threading.Thread:
    """Run ``job()`` in a thread; call ``on_done(result)`` or ``on_error(exc)`` in the GUI thread.

    Must be called from the GUI thread. Nothing is delivered once ``owner`` has been deleted.
    """
    delivery = _Delivery(owner, on_done, on_error)
    _pending.add(delivery)

    def target() -> None:
        try:
            result, error = job(), None
        except Exception as exc:  # noqa: BLE001 - handed to on_error in the GUI thread
            result, error = None, exc
        try:
            delivery.done.emit(result, error)
        except RuntimeError:
            pass  # the application ended meanwhile (its objects are gone): nobody to tell
        finally:
            with _live_lock:
                _live.discard(threading.current_thread())

    thread = threading.Thread(target=target, name=name, daemon=True)
    with _live_lock:
        _live.add(thread)
    thread.start()
    return thread


def join_background(timeout: float = 5.0) -> bool:
    """Wait for running jobs (at shutdown); True when none is left."""
    with _live_lock:
        threads = list(_live)
    for thread in threads:
        thread.join(timeout)
    with _live_lock:
        return not _live
