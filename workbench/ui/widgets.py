"""Small widgets and helpers the panels share."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt
from PySide6.QtGui import QPalette, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import explanations, numbers

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


QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's largest widget size: no limit


def set_steady_text(label: QLabel, text: str) -> None:
    """New text for a wrapped label that changes often (live captions, run positions).

    A wrapped label whose text changes asks the window to re-lay itself out; when the new
    text takes another number of lines, every widget around it moves and is repainted
    (measured under Xvfb: the whole Training tab, several times a second). So the label's
    height is held while the new text fits in it, and let go when the text needs more lines.
    Only the height: the width stays free, so the window can still get narrower than it was
    when the text was set (the label wraps into the room it is given). The owner calls
    ``release_steady_size`` when it is resized, so the height follows the new width.
    """
    if label.text() == text:
        return
    if label.width() > 0 and label.height() > 0:
        label.setFixedHeight(label.height())
        _follow_font(label)
    label.setMinimumWidth(0)
    label.setMaximumWidth(QWIDGETSIZE_MAX)
    label.setText(text)
    if label.heightForWidth(label.width()) > label.height():
        release_steady_size(label)


def release_steady_size(label: QLabel) -> None:
    label.setMinimumSize(0, 0)
    label.setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)


class _FontFollower(QObject):
    """Lets go of a held label's height when its font changes (presentation mode: the height
    was measured in the old type), or when it gets narrower than its text needs at that
    height (a scroll bar appeared beside it): held, the text would spill over its neighbours."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QLabel):
            return False
        kind = event.type()
        narrower = (kind == QEvent.Type.Resize and watched.minimumHeight() > 0
                    and watched.heightForWidth(event.size().width()) > event.size().height())
        if kind == QEvent.Type.FontChange or narrower:
            release_steady_size(watched)
        return False


def _follow_font(label: QLabel) -> None:
    if label.findChild(_FontFollower) is None:
        label.installEventFilter(_FontFollower(label))


def hint_label(text: str = "") -> QLabel:
    """Grey explanatory text under a field."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hintLabel")
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


# Characters per line of an explanation bubble: short lines read fastest.
_BUBBLE_CHARS = 46


class ExplanationBubble(QFrame):
    """One field's explanation in a small popup under its "?" button.

    A popup closes itself on Esc and on a click anywhere else; it takes no room in the form.
    The text is translated when shown, in the language then in use.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("explanationBubble")
        self.setFrameShape(QFrame.Shape.Box)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.title_label = QLabel()
        self.title_label.setObjectName("explanationTitle")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.text_label = QLabel()
        self.text_label.setObjectName("explanationText")
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        for label in (self.title_label, self.text_label):
            label.setForegroundRole(QPalette.ColorRole.ToolTipText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        self.key = ""

    def show_for(self, key: str, anchor: QWidget) -> None:
        self.key = key
        self.title_label.setText(explanations.title(key))
        self.text_label.setText(explanations.text(key))
        width = self.fontMetrics().averageCharWidth() * _BUBBLE_CHARS
        self.text_label.setFixedWidth(width)
        self.adjustSize()
        self.move(self._position(anchor))
        self.show()

    def _position(self, anchor: QWidget) -> QPoint:
        """Under the button, moved left or above where the screen ends."""
        below = anchor.mapToGlobal(QPoint(0, anchor.height() + 2))
        screen = anchor.screen().availableGeometry()
        x = min(below.x(), screen.right() - self.width())
        y = below.y()
        if y + self.height() > screen.bottom():
            y = anchor.mapToGlobal(QPoint(0, 0)).y() - self.height() - 2
        return QPoint(max(x, screen.left()), max(y, screen.top()))


class ExplainButton(QToolButton):
    """The small "?" next to a field's label: shows that field's explanation."""

    def __init__(self, key: str, field: QWidget, field_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.field = field
        self.setText("?")
        self.setObjectName(explanations.object_name(key))
        self.setAccessibleName(self.tr("Explain {field}").format(field=field_name))
        self.setToolTip(self.tr("What is this? Click for an explanation."))
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.WhatsThisCursor)
        self._bubble: ExplanationBubble | None = None
        self.clicked.connect(self.show_explanation)

    def sizeHint(self) -> QSize:
        # As tall as a line of text and narrow: it must not widen the label column much.
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("?") + 10, metrics.height() + 4)

    def show_explanation(self) -> None:
        if self._bubble is None:
            self._bubble = ExplanationBubble(self)
        self._bubble.show_for(self.key, self)

    @property
    def bubble(self) -> ExplanationBubble | None:
        return self._bubble


def explained_label(text: str, key: str, buddy: QWidget) -> QWidget:
    """A form row's label with its "?" button at the right end (the button alone when the
    field carries its own text, as a check box does). Fields without a tooltip get the
    explanation's one-line tip."""
    if not buddy.toolTip():
        buddy.setToolTip(explanations.tip(key))
    holder = QWidget()
    holder.setObjectName("explainedLabel")
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    if text:
        label = QLabel(text)
        label.setBuddy(buddy)
        layout.addWidget(label)
    layout.addStretch(1)
    layout.addWidget(ExplainButton(key, buddy, text or buddy.accessibleName()))
    return holder


def explained_form(parent: QWidget | None = None) -> QFormLayout:
    """A form whose labels sit flush right, so every "?" is next to its field (check boxes'
    included, whose label is the "?" alone)."""
    form = QFormLayout(parent) if parent is not None else QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return form


def add_explained_row(form: QFormLayout, text: str, key: str, field: QWidget) -> None:
    """``form.addRow(text, field)`` with the field's "?" button beside its label."""
    form.addRow(explained_label(text, key, field), field)


def format_number(value: float) -> str:
    """Three significant digits, no trailing zeros, no exponent: 0.01, 0.00316, 0.00001."""
    return numbers.number(value, 3)


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
        new = float(f"{10 ** (target / self.STEPS_PER_DECADE):.3g}")
        self.setValue(min(max(new, self.minimum()), self.maximum()))
        self.selectAll()


def cache_painted(*items: QGraphicsItem) -> None:
    """Keep each graphics item's painting as a pixmap until the item itself changes.

    A plot's axes (their ticks reach into the plot) and still scatters lie under curves and
    images that redraw while training: uncached, every redraw repainted them too (~0.6 ms per
    axis); cached, Qt copies the pixmap.
    """
    for item in items:
        item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)


def plain_axes(plot_item: object) -> None:
    """Plain numbers on a pyqtgraph ``PlotItem``'s axes: no "Loss (x0.001)" scaling, which
    confuses more than it helps."""
    for name in ("left", "bottom", "right", "top"):
        plot_item.getAxis(name).enableAutoSIPrefix(False)  # type: ignore[attr-defined]


def cache_axes(plot_item: object) -> None:
    """:func:`cache_painted` for the four axes of a pyqtgraph ``PlotItem``."""
    cache_painted(*(plot_item.getAxis(name)  # type: ignore[attr-defined]
                    for name in ("left", "bottom", "right", "top")))

