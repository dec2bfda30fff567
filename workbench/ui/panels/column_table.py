"""The columns of a table file, one row each: what it is used as, missing cells, distinct values
and a few examples. The role of every input column can be chosen; the target's is not.

Roles travel as their plain names ("numeric", "categorical", ...), the values of
``workbench.core.data.tables.Role``: that package imports torch, which the window loads only in
the background.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from workbench.ui.widgets import name_widget, select_data, signals_blocked

if TYPE_CHECKING:
    from workbench.core.data.tables import ColumnInfo

CONTEXT = "ColumnTable"

TARGET = "target"
# The roles a person may choose for an input column: ``tables.CHOOSABLE_ROLES``, by name.
CHOOSABLE_ROLES = ("numeric", "categorical", "date", "ignored")

ROLE_LABELS = {
    "numeric": QT_TRANSLATE_NOOP("ColumnTable", "number"),
    "categorical": QT_TRANSLATE_NOOP("ColumnTable", "category"),
    "date": QT_TRANSLATE_NOOP("ColumnTable", "date"),
    "text": QT_TRANSLATE_NOOP("ColumnTable", "free text (left out)"),
    "identifier": QT_TRANSLATE_NOOP("ColumnTable", "identifier (left out)"),
    "constant": QT_TRANSLATE_NOOP("ColumnTable", "constant (left out)"),
    "ignored": QT_TRANSLATE_NOOP("ColumnTable", "left out"),
    "target": QT_TRANSLATE_NOOP("ColumnTable", "target"),
}

# Why a column has its role (``ColumnInfo.reason``) and why a task was chosen
# (``TableInfo.task_reason``): the fixed phrases of workbench.core.data.
REASONS = {
    "the target": QT_TRANSLATE_NOOP("ColumnTable", "the target"),
    "no values": QT_TRANSLATE_NOOP("ColumnTable", "no values"),
    "one value only": QT_TRANSLATE_NOOP("ColumnTable", "one value only"),
    "an unnamed first column (row numbers)": QT_TRANSLATE_NOOP(
        "ColumnTable", "an unnamed first column (row numbers)"),
    "dates": QT_TRANSLATE_NOOP("ColumnTable", "dates"),
    "a row counter (1, 2, 3, ...)": QT_TRANSLATE_NOOP("ColumnTable",
                                                       "a row counter (1, 2, 3, ...)"),
    "a different whole number in every row, named as an id": QT_TRANSLATE_NOOP(
        "ColumnTable", "a different whole number in every row, named as an id"),
    "numbers": QT_TRANSLATE_NOOP("ColumnTable", "numbers"),
    "free text: a different value in every row": QT_TRANSLATE_NOOP(
        "ColumnTable", "free text: a different value in every row"),
    "a different value in every row": QT_TRANSLATE_NOOP("ColumnTable",
                                                         "a different value in every row"),
    "text with repeating values": QT_TRANSLATE_NOOP("ColumnTable",
                                                     "text with repeating values"),
    "free text: mostly different values": QT_TRANSLATE_NOOP(
        "ColumnTable", "free text: mostly different values"),
    "chosen by you": QT_TRANSLATE_NOOP("ColumnTable", "chosen by you"),
    "text labels": QT_TRANSLATE_NOOP("ColumnTable", "text labels"),
    "few whole numbers (at most 10 different)": QT_TRANSLATE_NOOP(
        "ColumnTable", "few whole numbers (at most 10 different)"),
}

TASK_LABELS = {
    "classification": QT_TRANSLATE_NOOP("ColumnTable", "classification"),
    "regression": QT_TRANSLATE_NOOP("ColumnTable", "regression"),
}

# The warning ``table_set`` gives about a column that counts rows and follows the target.
_COUNTER_WARNING = QT_TRANSLATE_NOOP(
    "ColumnTable",
    "Column {name} counts rows and follows the target (rank correlation {rho}): it would "
    "predict well here and not on new data. Leave it out (role: ignored) unless it really "
    "means something.")
_COUNTER_PATTERN = re.compile(
    r"Column (?P<name>.+) counts rows and follows the target \(rank correlation "
    r"(?P<rho>[-+0-9.]+)\): it would predict well here and not on new data\. Leave it out "
    r"\(role: ignored\) unless it really means something\.", re.DOTALL)

# Rows shown at most before the table scrolls; and at least, so a short table keeps its shape.
MAX_VISIBLE_ROWS = 10
MIN_VISIBLE_ROWS = 3
_MAX_NAME_WIDTH = 160
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def role_value(role: object) -> str:
    """A role as its plain name, whether given as ``Role`` or as text."""
    return str(getattr(role, "value", role))


def role_text(role: object) -> str:
    """A role as people read it ("number", "identifier (left out)"), translated."""
    name = role_value(role)
    return _tr(ROLE_LABELS[name]) if name in ROLE_LABELS else name


def reason_text(reason: str) -> str:
    """A reason phrase of the core, translated where it is one of the known phrases."""
    return _tr(REASONS[reason]) if reason in REASONS else reason


def task_text(task: str) -> str:
    return _tr(TASK_LABELS[task]) if task in TASK_LABELS else task


def warning_text(warning: str) -> str:
    """A warning about the table, translated where it is one of the known warnings."""
    found = _COUNTER_PATTERN.fullmatch(warning)
    if found is None:
        return warning
    return _tr(_COUNTER_WARNING).format(name=found["name"], rho=found["rho"])


def _short_number(text: str) -> str:
    """0.26161213424912 as 0.261612: the examples show what a column holds, not every digit."""
    try:
        return f"{float(text):.6g}"
    except ValueError:
        return text


class _RoleCombo(QComboBox):
    """A role picker inside the table: the wheel scrolls the table unless the picker has focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrame(False)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ColumnTable(QTableWidget):
    """One row per column of the table: name, role, missing cells, distinct values, examples.

    ``set_columns`` takes the columns as described without a target (their inferred roles), the
    target's name and the roles the person chose; the reason of each role is the row's tooltip.
    A table may have thousands of columns: the role pickers are made for the rows in view (and
    kept), and each row shows its role as text until then.
    """

    #: a role was picked for a column: (column, role), role "" = back to the inferred one
    role_chosen = Signal(str, str)

    NAME, ROLE, MISSING, DISTINCT, EXAMPLES = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        name_widget(self, "columnTable", self.tr("Columns of the table and their roles"))
        self.setHorizontalHeaderLabels([self.tr("Column"), self.tr("Role"), self.tr("Missing"),
                                        self.tr("Distinct"), self.tr("Examples")])
        tips = (self.tr("The column's name in the file's header row."),
                self.tr("What the column is used as. Pick another role to change it; the next "
                        "run uses it."),
                self.tr("Empty cells. Training fills them in and tells the network which "
                        "were empty."),
                self.tr("How many different values the column holds."),
                self.tr("The first different values of the column."))
        for column, tip in enumerate(tips):
            self.horizontalHeaderItem(column).setToolTip(tip)
        self.setToolTip(self.tr("Each column of the file and how training uses it. Point at a "
                                "column's name to see why it has its role."))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustIgnored)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setResizeContentsPrecision(200)  # widths from the first rows, not thousands
        # Every label a picker may show: the role column is as wide as the widest.
        sample = _RoleCombo()
        for name in ROLE_LABELS:
            sample.addItem(role_text(name))
        self._combo_width = sample.sizeHint().width()
        self.verticalHeader().setDefaultSectionSize(sample.sizeHint().height())
        self._columns: list[ColumnInfo] = []
        self._rows: dict[str, int] = {}
        self._target = ""
        self._choices: dict[str, str] = {}
        self.verticalScrollBar().valueChanged.connect(self._make_combos_in_view)
        self._fit_height()

    # -- contents ------------------------------------------------------------------------------
    def set_columns(self, columns: Sequence[ColumnInfo], target: str,
                    choices: Mapping[str, str]) -> None:
        """Show ``columns`` (their ``role``/``inferred`` as described without a target)."""
        self._columns = list(columns)
        self._rows = {info.name: row for row, info in enumerate(self._columns)}
        self._target = target
        self._choices = {name: role_value(role) for name, role in choices.items()}
        self.setUpdatesEnabled(False)
        try:
            self.setRowCount(0)  # drops the pickers of the previous table too
            self.setRowCount(len(self._columns))
            for row, info in enumerate(self._columns):
                self._fill_row(row, info)
            self._fit_columns()
        finally:
            self.setUpdatesEnabled(True)
        self._fit_height()
        self.scrollToTop()
        self._make_combos_in_view()
        self.updateGeometry()

    def set_target(self, target: str) -> None:
        """Another target column: its row shows "target", the previous one its role again."""
        previous, self._target = self._target, target
        for name in {previous, target}:
            row = self._rows.get(name)
            if row is not None:
                self._fill_role(row, self._columns[row])
        self._make_combos_in_view()

    def column_names(self) -> list[str]:
        return [info.name for info in self._columns]

    def shown_role(self, name: str) -> str:
        """The role the row of column ``name`` shows ("target" for the target)."""
        if name == self._target:
            return TARGET
        info = self._columns[self._rows[name]]
        return self._choices.get(name) or role_value(info.inferred)

    def role_combo(self, name: str) -> QComboBox | None:
        """The role picker of column ``name`` (made now if its row was not in view yet); None
        for the target."""
        row = self._rows.get(name)
        if row is None or name == self._target:
            return None
        return self._combo(row)

    # -- rows ----------------------------------------------------------------------------------
    def _fill_row(self, row: int, info: ColumnInfo) -> None:
        self.setItem(row, self.NAME, QTableWidgetItem(info.name))
        for column, count in ((self.MISSING, info.missing), (self.DISTINCT, info.distinct)):
            item = QTableWidgetItem(f"{count:,}")
            item.setTextAlignment(_RIGHT)
            self.setItem(row, column, item)
        shown = (_short_number(e) for e in info.examples) if info.kind == "number" else (
            iter(info.examples))
        examples = self.tr(", ").join(shown)
        item = QTableWidgetItem(examples)
        item.setToolTip(examples)
        self.setItem(row, self.EXAMPLES, item)
        self.setItem(row, self.ROLE, QTableWidgetItem())
        self._fill_role(row, info)

    def _fill_role(self, row: int, info: ColumnInfo) -> None:
        """The row's role as text (under its picker, once it has one) with the reason."""
        target = info.name == self._target
        chosen = TARGET if target else self._choices.get(info.name) or role_value(info.inferred)
        name_item, role_item = self.item(row, self.NAME), self.item(row, self.ROLE)
        font = name_item.font()
        font.setBold(target)
        name_item.setFont(font)
        role_item.setFont(font)
        role_item.setText(role_text(chosen))
        if target:
            tip = self.tr("The target: the column the network learns to predict. Choose "
                          "another one under Target column.")
            self.removeCellWidget(row, self.ROLE)
        else:
            tip = self._reason_tip(info, chosen)
            combo = self.cellWidget(row, self.ROLE)
            if isinstance(combo, QComboBox):
                with signals_blocked(combo):
                    select_data(combo, chosen)
                combo.setToolTip(tip)
        name_item.setToolTip(tip)
        role_item.setToolTip(tip)

    def _combo(self, row: int) -> QComboBox:
        """Row ``row``'s role picker, made when first needed."""
        widget = self.cellWidget(row, self.ROLE)
        if isinstance(widget, QComboBox):
            return widget
        info = self._columns[row]
        inferred = role_value(info.inferred)
        combo = _RoleCombo()
        combo.setAccessibleName(self.tr("Role of column {name}").format(name=info.name))
        roles = ([] if inferred in CHOOSABLE_ROLES else [inferred]) + list(CHOOSABLE_ROLES)
        for role in roles:
            combo.addItem(role_text(role), role)
        select_data(combo, self._choices.get(info.name) or inferred)
        combo.setToolTip(self.item(row, self.ROLE).toolTip())
        combo.currentIndexChanged.connect(
            lambda _index, c=combo, n=info.name: self._on_role_combo_changed(n, c))
        self.setCellWidget(row, self.ROLE, combo)
        return combo

    def _make_combos_in_view(self) -> None:
        if not self._columns:
            return
        row_height = max(1, self.verticalHeader().defaultSectionSize())
        first = max(0, self.rowAt(0))
        shown = self.viewport().height() // row_height + 2
        for row in range(first, min(first + max(shown, MAX_VISIBLE_ROWS), len(self._columns))):
            if self._columns[row].name != self._target:
                self._combo(row)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._make_combos_in_view()

    def _reason_tip(self, info: ColumnInfo, chosen: str) -> str:
        inferred = role_value(info.inferred)
        if chosen != inferred:
            return self.tr("{role}: chosen by you. On its own Workbench would use it as "
                           "{inferred} ({reason}).").format(
                role=role_text(chosen), inferred=role_text(inferred),
                reason=reason_text(info.reason))
        return self.tr("{role}: {reason}.").format(role=role_text(chosen),
                                                  reason=reason_text(info.reason))

    def _on_role_combo_changed(self, name: str, combo: QComboBox) -> None:
        row = self._rows.get(name)
        if row is None:
            return
        info = self._columns[row]
        role = str(combo.currentData())
        if role == role_value(info.inferred):
            self._choices.pop(name, None)
        else:
            self._choices[name] = role
        self._fill_role(row, info)
        self.role_chosen.emit(name, self._choices.get(name, ""))

    # -- size ----------------------------------------------------------------------------------
    def _fit_columns(self) -> None:
        header = self.horizontalHeader()
        for column in (self.NAME, self.ROLE, self.MISSING, self.DISTINCT):
            self.resizeColumnToContents(column)
        header.resizeSection(self.NAME, min(header.sectionSize(self.NAME), _MAX_NAME_WIDTH))
        header.resizeSection(self.ROLE, max(header.sectionSize(self.ROLE), self._combo_width))

    def _height_for(self, rows: int) -> int:
        frame = 2 * self.frameWidth()
        scroll = self.horizontalScrollBar().sizeHint().height()
        return (self.horizontalHeader().sizeHint().height() + frame + scroll
                + rows * self.verticalHeader().defaultSectionSize())

    def _fit_height(self) -> None:
        """As tall as the rows, up to ``MAX_VISIBLE_ROWS``; more scroll inside the table."""
        rows = min(max(self.rowCount(), MIN_VISIBLE_ROWS), MAX_VISIBLE_ROWS)
        self.setFixedHeight(self._height_for(rows))

    def sizeHint(self) -> QSize:
        # Narrow: the table scrolls sideways rather than widening the settings column.
        return QSize(240, self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self._height_for(MIN_VISIBLE_ROWS))
