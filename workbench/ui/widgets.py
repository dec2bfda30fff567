"""Small widgets and helpers the panels share."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QWidget

_NUMBER_PREFIX = re.compile(r"[+]?[0-9]*\.?[0-9]*([eE][-+]?[0-9]*)?")


def name_widget(widget: QWidget, object_name: str, accessible_name: str) -> QWidget:
    """A stable ``objectName`` (tests, automation) and an accessible name (screen readers)."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


@contextlib.contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    """Set widgets from the model without their change signals looping back."""
    previous = [obj.blockSignals(True) for obj in objects]
    try:
        yield
    finally:
        for obj, was in zip(objects, previous, strict=True):
            obj.blockSignals(was)


def fill_combo(combo: QComboBox, items: Sequence[tuple[str, str]]) -> None:
    """Items as ``(data, label)``; the data is what leaves the form, the label what people read."""
    with signals_blocked(combo):
        combo.clear()
        for data, label in items:
            combo.addItem(label, data)


def select_data(combo: QComboBox, data: str) -> bool:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def hint_label(text: str = "") -> QLabel:
    """Grey explanatory text under a field."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hintLabel")
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def format_number(value: float) -> str:
    """Three significant digits, no trailing zeros: 0.01, 0.00316, 1e-05."""
    return f"{value:.3g}"


class LearningRateSpinBox(QDoubleSpinBox):
    """A spin box for step sizes from 1e-6 to 10 that steps on a log scale.

    Each arrow step multiplies or divides by 10**(1/4) (1, 1.78, 3.16, 5.62, 10 per decade),
    landing on that grid; typed values are kept exactly, in plain or scientific notation.
    ``value()`` is the learning rate itself.
    """

    STEPS_PER_DECADE = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Many decimals so QDoubleSpinBox does not round 1e-6 away; the text shows 3 digits.
        self.setDecimals(12)
        self.setRange(1e-6, 10.0)
        self.setValue(0.01)
        self.setAccelerated(True)

    def textFromValue(self, value: float) -> str:
        return format_number(value)

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            prefix = _NUMBER_PREFIX.fullmatch(stripped) is not None
            state = QValidator.Intermediate if prefix else QValidator.Invalid
            return state, text, pos
        if not math.isfinite(value):
            return QValidator.Invalid, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.Acceptable if ok else QValidator.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        value = self.value()
        if value <= 0:
            self.setValue(self.minimum())
            return
        grid = math.log10(value) * self.STEPS_PER_DECADE
        nearest = round(grid)
        # Grid values are shown (and stored) with 3 digits, up to 0.01 steps off the grid.
        if abs(grid - nearest) < 0.02:  # on the grid: move by whole steps
            target = nearest + steps
        elif steps > 0:  # between grid points: the first step lands on the next one
            target = math.ceil(grid) + steps - 1
        else:
            target = math.floor(grid) + steps + 1
        new = float(format_number(10 ** (target / self.STEPS_PER_DECADE)))
        self.setValue(min(max(new, self.minimum()), self.maximum()))
        self.selectAll()
