"""Every setting explains itself: a tooltip, and a "?" that opens a short explanation."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QWidget,
)

from workbench.config import TrainConfig
from workbench.ui import explanations
from workbench.ui.widgets import ExplainButton

# Showing a popup offscreen: the platform cannot raise windows or grab the keyboard.
_POPUP_NOISE = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                         "does not support grabbing")


def _inputs(root: QWidget) -> list[QWidget]:
    """The controls a person edits (not the line edit inside a spin box or combo box)."""
    found: list[QWidget] = []
    for kind in (QComboBox, QAbstractSpinBox, QCheckBox, QLineEdit):
        for widget in root.findChildren(kind):
            if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
                continue
            found.append(widget)
    return found


def _buttons(window: QWidget) -> list[ExplainButton]:
    return (window.form.findChildren(ExplainButton)
            + window.run_controls.findChildren(ExplainButton))


def test_every_control_has_a_tooltip_and_an_explanation(window) -> None:
    buttons = _buttons(window)
    explained = {id(button.field) for button in buttons}
    controls = [w for w in _inputs(window.form) + _inputs(window.run_controls)
                if w is not window.form.advanced_check]
    assert len(controls) >= 40
    for control in controls:
        assert control.toolTip().strip(), control.objectName()
        assert id(control) in explained, control.objectName()
    # One button per explanation, each with a stable, unique name.
    assert sorted(b.key for b in buttons) == sorted(explanations.EXPLANATIONS)
    assert len({b.objectName() for b in buttons}) == len(buttons)
    for button in buttons:
        assert button.text() == "?"
        assert button.accessibleName().startswith("Explain ")
        assert explanations.title(button.key).strip()
        sentences = re.findall(r"[.!?](?:\s|$)", explanations.text(button.key))
        assert 3 <= len(sentences) <= 6, button.key  # short: three to six sentences
    assert window.form.findChild(ExplainButton, "explain_batch_size").key == "run.batch_size"


def test_keys_are_config_fields() -> None:
    cfg = TrainConfig()
    for key in explanations.EXPLANATIONS:
        if key.startswith("controls."):
            continue
        value: object = cfg
        for part in key.split("."):
            assert hasattr(value, part), key
            value = getattr(value, part)


@_POPUP_NOISE
def test_question_mark_opens_the_explanation_and_esc_closes_it(window, qtbot) -> None:
    button = window.form.findChild(ExplainButton, "explain_batch_size")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    bubble = button.bubble
    qtbot.waitUntil(bubble.isVisible)
    assert bubble.title_label.text() == "Batch size"
    assert bubble.text_label.text() == explanations.text("run.batch_size")
    assert "1,050" in bubble.text_label.text()  # grouped as the form and the panel write it
    # A popup: it takes no room in the form.
    assert bubble.isWindow()
    qtbot.keyClick(bubble, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not bubble.isVisible())

    dropout = window.form.findChild(ExplainButton, "explain_dropout")
    qtbot.mouseClick(dropout, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dropout.bubble.isVisible)
    assert "0.5" in dropout.bubble.text_label.text()
    # A click anywhere else closes it too: while a popup is open, Qt hands it every mouse
    # press, also those outside it (here left of and above it).
    qtbot.mouseClick(dropout.bubble, Qt.MouseButton.LeftButton, pos=QPoint(-20, -20))
    qtbot.waitUntil(lambda: not dropout.bubble.isVisible())


class _MarkedTranslator(QTranslator):
    """Stands in for a language: every explanation comes back marked."""

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return f"[zh] {source}" if context == explanations.CONTEXT else ""


@pytest.fixture
def marked_translator(qapp) -> Iterator[QTranslator]:
    translator = _MarkedTranslator()
    yield translator
    QCoreApplication.removeTranslator(translator)


@_POPUP_NOISE
def test_explanation_is_translated_when_shown(window, qtbot, marked_translator) -> None:
    button = window.form.findChild(ExplainButton, "explain_lr")
    QCoreApplication.installTranslator(marked_translator)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(button.bubble.isVisible)
    english = explanations.EXPLANATIONS["optim.lr"]
    assert button.bubble.title_label.text() == f"[zh] {english.title}"
    assert button.bubble.text_label.text() == f"[zh] {english.text}"
    button.bubble.close()
    QCoreApplication.removeTranslator(marked_translator)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(button.bubble.isVisible)
    assert button.bubble.text_label.text() == english.text
    button.bubble.close()


def test_problem_tooltip_gives_way_to_the_explanation(window) -> None:
    from workbench.config import Problem

    spin = window.form.training_panel.batch_spin
    normal = spin.toolTip()
    window.form.show_problems([Problem("run.batch_size", "Batch size 0 is not allowed.")])
    assert spin.toolTip() == "Batch size 0 is not allowed."
    window.form.clear_problems()
    assert spin.toolTip() == normal


def test_question_marks_leave_the_plots_their_room(window) -> None:
    # The "?" buttons cost the form's column a few pixels, not a field's width.
    for button in _buttons(window):
        assert button.sizeHint().width() <= button.fontMetrics().height() + 4
    assert window.splitter.widget(0).minimumWidth() <= 460
