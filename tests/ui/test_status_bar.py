"""The status bar's message beside the run counters: a long one is shortened to its room, a
gap away from the device label, and given whole in the tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from workbench.ui.panels.status_panel import MESSAGE_GAP, RunStatus

LONG = ("Exported the training script to /home/someone/projects/a rather long folder name/"
        "spiral_training_script.py and its configuration beside it; run it with python.")


def _window(qtbot, width: int) -> tuple[QMainWindow, RunStatus]:
    window = QMainWindow()
    qtbot.addWidget(window)
    status = RunStatus(window.statusBar())
    status.set_device("cpu")
    window.resize(width, 300)
    window.show()
    qtbot.waitExposed(window)
    return window, status


def _ink_columns(status: RunStatus) -> list[int]:
    """The x of every column of the bar's left part that holds a pixel unlike the bar's
    background (the message's text)."""
    bar = status.bar
    image = bar.grab().toImage()
    background = image.pixelColor(1, 1)
    right = status.device_label.x()
    return [x for x in range(right) if any(
        image.pixelColor(x, y) != background for y in range(2, bar.height() - 2))]


def test_a_long_message_is_shortened_before_the_counters(qtbot) -> None:
    window, status = _window(qtbot, 900)
    bar = status.bar
    bar.showMessage(LONG)
    qtbot.waitUntil(lambda: bar.currentMessage() == LONG)
    shown = status.shown_message()
    assert shown != LONG and shown.endswith("…") and LONG.startswith(shown[:-1])
    assert bar.toolTip() == LONG
    ink = _ink_columns(status)
    assert ink, "no message painted"
    assert max(ink) < status.device_label.x() - MESSAGE_GAP + 2, (max(ink),
                                                                   status.device_label.x())
    # Wider: the whole message fits, is painted as Qt paints it, and has no tooltip.
    window.resize(3000, 300)
    qtbot.waitUntil(lambda: status.shown_message() == LONG)
    assert bar.toolTip() == ""
    # A short message in a narrow window fits whole.
    window.resize(900, 300)
    bar.showMessage("Saved.")
    qtbot.waitUntil(lambda: bar.toolTip() == "")
    assert status.shown_message() == "Saved."
    bar.clearMessage()
    assert bar.toolTip() == ""
