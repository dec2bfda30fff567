"""Soak: many signal emissions and plot refreshes in one process, without an abort.

PySide6 6.12.0 on Python 3.11 aborts the interpreter ("Fatal Python error: bool_dealloc") after
a few hundred ``Signal.emit()`` calls; this test dies there and passes on the pinned versions.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.ui.plots import IterationPlot

EMISSIONS = 100_000


class _Sender(QObject):
    value = Signal(int)
    done = Signal()

    @Slot()
    def work(self) -> None:
        for i in range(EMISSIONS):
            self.value.emit(i)  # queued: the receiver lives in the GUI thread
        self.done.emit()


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.last = -1

    @Slot(int)
    def take(self, i: int) -> None:
        self.count += 1
        self.last = i


def test_hundred_thousand_queued_emissions(qtbot) -> None:
    receiver = _Receiver()
    sender = _Sender()
    thread = QThread()
    sender.moveToThread(thread)
    sender.value.connect(receiver.take)
    thread.started.connect(sender.work)
    sender.done.connect(thread.quit)
    with qtbot.waitSignal(thread.finished, timeout=60_000):
        thread.start()
    qtbot.waitUntil(lambda: receiver.count == EMISSIONS, timeout=60_000)
    assert receiver.last == EMISSIONS - 1
    thread.wait()


def test_thousand_plot_refreshes(qtbot) -> None:
    plot = IterationPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 300)
    plot.show()
    rng = np.random.default_rng(0)
    for i in range(1000):
        plot.append_losses(100 * i + 1, rng.random(100, dtype=np.float32))
        if i % 10 == 9:
            plot.add_epoch_ends([100 * (i + 1)])
        plot.refresh()
        plot.viewport().repaint()
    assert len(plot) == 100_000
