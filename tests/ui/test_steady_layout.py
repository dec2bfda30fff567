"""The Training tab holds still while a run trains: no plot changes size when a run starts,
while it goes on, or when it ends the same way as the run before.

A caption or note that comes, goes or takes another number of lines makes every widget below it
move and repaint (each plot repaint regenerates its axes); on a person's screen the plots jump,
and the paints hold the lock the training thread needs. Counted with the real window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

RUN_TIMEOUT = 60_000

WATCHED = ("iterationPlot", "epochPlot", "boundaryPlot", "networkDiagram")


class _Resizes(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, int, int]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            old, new = event.oldSize(), event.size()
            if old.isValid() and old != new:
                self.seen.append((watched.objectName(), old.height(), new.height()))
        return False


def _run(qtbot, window) -> None:
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        assert window.start_training()


def test_a_second_run_moves_no_plot(qtbot, make_window, tiny_config) -> None:
    window = make_window(tiny_config(epochs=12))
    window.resize(1366, 768)
    _run(qtbot, window)  # the first run's captions and result take their lines
    qtbot.wait(50)
    resizes = _Resizes()
    widgets = {name: window.findChild(QWidget, name) for name in WATCHED}
    assert all(widgets.values()), widgets
    for widget in widgets.values():
        widget.installEventFilter(resizes)
    _run(qtbot, window)
    qtbot.wait(50)
    assert resizes.seen == []
