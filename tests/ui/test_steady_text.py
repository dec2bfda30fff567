"""Live captions (``set_steady_text``): their height is held while the text fits, never their
width, so a window can get narrower after a run; a new font lets the height go."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from workbench.ui.widgets import QWIDGETSIZE_MAX, set_steady_text


def test_a_live_caption_holds_its_height_not_its_width(qtbot) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    label = QLabel("iteration 1 of 1,000")
    label.setWordWrap(True)
    layout = QVBoxLayout(box)
    layout.addWidget(label)
    layout.addStretch(1)
    box.resize(1400, 200)
    box.show()
    qtbot.waitExposed(box)
    held = label.height()
    set_steady_text(label, "epoch 1 of 40 · batch 2 of 25 · iteration 2 of 1,000")
    assert label.minimumHeight() == label.maximumHeight() == held  # no re-layout per text
    assert label.minimumWidth() == 0 and label.maximumWidth() == QWIDGETSIZE_MAX
    # The window gets narrower than the width the text was set at.
    assert box.minimumSizeHint().width() < 400
    box.resize(300, 200)
    qtbot.waitUntil(lambda: label.width() < 300)
    # Text that needs more lines than the held height lets it go.
    set_steady_text(label, " ".join(["iteration 2 of 1,000"] * 12))
    assert label.maximumHeight() == QWIDGETSIZE_MAX
    set_steady_text(label, "iteration 3 of 1,000")
    assert label.minimumHeight() == label.maximumHeight()
    # Larger type (presentation mode): the height measured in the old type is let go.
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.4)
    label.setFont(font)
    assert label.maximumHeight() == QWIDGETSIZE_MAX and label.minimumHeight() == 0


def test_a_held_caption_that_gets_narrower_than_its_text_lets_go(qtbot) -> None:
    # A scroll bar appears beside a side view: its caption gets narrower while its height is
    # held, and the text would spill over the plot above it. It lets go and takes the lines.
    box = QWidget()
    qtbot.addWidget(box)
    label = QLabel("The trained model")
    label.setWordWrap(True)
    layout = QVBoxLayout(box)
    layout.addWidget(label)
    layout.addStretch(1)
    box.resize(420, 300)
    box.show()
    qtbot.waitExposed(box)
    text = ("The trained model with the weights of epoch 42, its best (60 of 60 epochs "
            "complete, iteration 1,500). Colour: the predicted class; pale: unsure.")
    set_steady_text(label, "x")
    set_steady_text(label, text)
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    held = label.height()
    set_steady_text(label, text[:-1])  # held now: the same lines
    assert label.minimumHeight() == held
    box.resize(260, 300)
    qtbot.waitUntil(lambda: label.width() < 260)
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
    assert label.height() > held
