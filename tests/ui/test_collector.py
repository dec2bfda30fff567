"""Cycles are collected on the GUI thread, and full collections wait while a run trains."""

from __future__ import annotations

import gc
import threading

from workbench.ui import collector
from workbench.ui.app import application


class _Cycle:
    def __init__(self, seen: list[str]) -> None:
        self.me = self
        self.seen = seen

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_a_cycle_made_in_a_worker_thread_is_freed_on_the_gui_thread(qtbot):
    application()
    assert not gc.isenabled()
    seen: list[str] = []
    kept: list[list[list[int]]] = []

    def work() -> None:
        _Cycle(seen)
        # Far past the automatic collector's threshold: it would have run right here.
        kept.append([[] for _ in range(5 * gc.get_threshold()[0])])

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()
    assert seen == []  # nothing collected in the worker
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [threading.main_thread().name]
    kept.clear()


def _due_for_a_full_collection() -> list[list[int]]:
    for _ in range(gc.get_threshold()[2]):
        gc.collect(1)  # each counts towards the next full collection
    for _ in range(gc.get_threshold()[1]):
        gc.collect(0)  # each counts towards the next collection of generation 1
    return [[] for _ in range(2 * gc.get_threshold()[0])]  # generation 0 over its threshold


def test_full_collections_wait_while_a_run_trains(qapp):
    application()
    gcol = collector.collector()
    assert gcol is not None
    gc.collect()  # a full collection just happened: the next may wait a minute
    gcol.run_began()
    try:
        keep = _due_for_a_full_collection()
        assert gcol.collect_due() == 1  # young generations only, the run goes on
        del keep
    finally:
        gcol.run_ended()
    keep = _due_for_a_full_collection()
    assert gcol.collect_due() == 2  # nothing trains: the full collection is done
    del keep


def test_startup_objects_are_set_aside_once_nothing_trains(qapp):
    application()
    gcol = collector.collector()
    assert gcol is not None
    gcol._on_freeze_due()  # as the timer does a few seconds after start
    gcol.run_began()
    try:
        gcol.collect_due()
        assert gcol._freeze_due  # not while a run trains
    finally:
        gcol.run_ended()
    assert gcol.collect_due() == 2
    assert not gcol._freeze_due
    assert gcol.frozen and gc.get_freeze_count() > 0
