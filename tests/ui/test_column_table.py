"""The data panel's column table: what Workbench inferred about a table file's columns, shown
before training, and the roles and task chosen there used by the next run."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox, QTableWidget

from workbench.config import Task
from workbench.ui.panels.column_table import CHOOSABLE_ROLES, ROLE_LABELS, ColumnTable

RUN_TIMEOUT = 60_000
COLUMNS = ["", "rowid", "species", "island", "bill_length_mm", "body_mass_g", "sex", "date_egg"]


def _penguins(path: Path, rows: int = 90) -> Path:
    """An unnamed row-number column, an id, text categories, NA cells and ISO dates."""
    rng = np.random.default_rng(1)
    species = ("Adelie", "Gentoo", "Chinstrap")
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(rows):
            kind = int(rng.integers(3))
            bill = "NA" if i % 15 == 4 else f"{38 + 5 * kind + rng.normal():.1f}"
            mass = str(int(3500 + 600 * kind + rng.normal() * 200))
            sex = "NA" if i % 10 == 7 else ("male" if rng.random() < 0.5 else "female")
            date = f"2008-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
            writer.writerow([i + 1, 5000 + 3 * i, species[kind], ("Biscoe", "Dream")[i % 2],
                             bill, mass, sex, date])
    return path


def _open(qtbot, window, path: Path) -> QTableWidget:
    window.use_csv(path)
    table = window.findChild(QTableWidget, "columnTable")
    qtbot.waitUntil(lambda: table.isVisible() and table.rowCount() > 0, timeout=RUN_TIMEOUT)
    return table


def _choose(combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def test_roles_are_shown_before_training_and_choices_reach_the_model(
        qtbot, make_window, tiny_config, tmp_path: Path) -> None:
    window = make_window(tiny_config(epochs=2))
    path = _penguins(tmp_path / "penguins.csv")
    table = _open(qtbot, window, path)
    panel = window.form.data_panel
    names = ["column 1", *COLUMNS[1:]]
    assert table.column_names() == names
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == names
    roles = {name: table.shown_role(name) for name in names}
    assert roles == {"column 1": "identifier", "rowid": "identifier", "species": "categorical",
                     "island": "categorical", "bill_length_mm": "numeric",
                     "body_mass_g": "numeric", "sex": "categorical", "date_egg": "target"}
    row = table.column_names().index("bill_length_mm")
    assert table.item(row, table.MISSING).text() == "6"  # rows 4, 19, ..., 79
    assert table.item(table.column_names().index("sex"), table.MISSING).text() == "9"
    assert table.item(table.column_names().index("island"), table.DISTINCT).text() == "2"
    assert table.item(table.column_names().index("species"), table.EXAMPLES).text().count(
        ",") == 2  # three example values
    # The reason of a role is the row's tooltip; an id's picker shows its own role first.
    rowid = table.role_combo("rowid")
    assert "named as an id" in rowid.toolTip()
    assert rowid.currentText() == "identifier (left out)"
    assert [rowid.itemData(i) for i in range(rowid.count())] == ["identifier",
                                                                  *CHOOSABLE_ROLES]
    assert table.role_combo("date_egg") is None  # the target has no role to choose

    # The target is chosen as before; the previous target shows its own role again.
    _choose(panel.target_combo, "species")
    assert table.shown_role("species") == "target" and table.shown_role("date_egg") == "date"
    task = window.findChild(QComboBox, "taskCombo")
    qtbot.waitUntil(lambda: task.currentText() == "Automatic: classification (text labels)",
                    timeout=RUN_TIMEOUT)
    assert "90 rows" in panel.table_label.text() and "UTF-8" in panel.table_label.text()
    assert not window.findChild(QComboBox, "sheetCombo").isVisible()

    # Choices go into the config the next run trains with.
    _choose(table.role_combo("island"), "ignored")
    _choose(table.role_combo("body_mass_g"), "categorical")
    assert "chosen by you" in table.role_combo("island").toolTip()
    _choose(task, Task.CLASSIFICATION.value)
    cfg = window.form.config().data
    assert cfg.ignore == ("island",) and cfg.categorical == ("body_mass_g",)
    assert cfg.task == Task.CLASSIFICATION and cfg.target == "species"
    # Back to the inferred role: no longer a choice.
    _choose(table.role_combo("body_mass_g"), "numeric")
    assert window.form.config().data.categorical == ()

    hint = window.minimumSizeHint()
    assert hint.width() <= 1100 and hint.height() <= 700, hint
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        assert window.start_training()
    model = window.model
    assert set(model.class_names) == {"Adelie", "Gentoo", "Chinstrap"}
    raw = model.preprocess.raw_columns
    assert "island" not in raw and "rowid" not in raw and "column 1" not in raw
    assert {"bill_length_mm", "body_mass_g", "sex", "date_egg"} <= set(raw)
    assert model.config.data.ignore == ("island",)
    assert model.config.data.task == Task.CLASSIFICATION


def test_a_numeric_target_and_what_automatic_chose(qtbot, make_window, tiny_config,
                                                   tmp_path: Path) -> None:
    window = make_window(tiny_config())
    table = _open(qtbot, window, _penguins(tmp_path / "penguins.csv", rows=40))
    panel = window.form.data_panel
    _choose(panel.target_combo, "body_mass_g")
    assert table.shown_role("body_mass_g") == "target"
    qtbot.waitUntil(lambda: panel.task_combo.currentText() == "Automatic: regression (numbers)",
                    timeout=RUN_TIMEOUT)
    _choose(panel.task_combo, Task.REGRESSION.value)
    assert window.form.config().data.task == Task.REGRESSION
    # Another file starts afresh: its own roles, the task decided automatically.
    _choose(table.role_combo("island"), "ignored")
    other = tmp_path / "other.csv"
    other.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{'xy'[i % 2]}\n" for i in range(30)))
    window.use_csv(other)
    qtbot.waitUntil(lambda: table.column_names() == ["a", "b", "label"], timeout=RUN_TIMEOUT)
    cfg = window.form.config().data
    assert cfg.csv_path == str(other) and cfg.ignore == () and cfg.task == Task.AUTO
    assert cfg.target == "label"


def test_summary_line_left_out_rows_and_a_warning(qtbot, make_window, tiny_config,
                                                  tmp_path: Path) -> None:
    # Semicolons, decimal commas, three rows without a target (at the ends, so the counter
    # still counts without gaps); sorted by the target, so a row counter made an input
    # follows it.
    lines = ["n;size;colour;y"]
    for i in range(60):
        y = "" if i in (0, 58, 59) else ("low" if i < 30 else "high")
        lines.append(f"{i + 1};{i * 0.5 + 1:.1f}".replace(".", ",")
                     + f";{('red', 'blue')[i % 2]};{y}")
    path = tmp_path / "semicolons.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    window = make_window(tiny_config())
    table = _open(qtbot, window, path)
    panel = window.form.data_panel
    assert table.shown_role("n") == "identifier"
    label = window.findChild(type(panel.table_label), "tableSummaryLabel")
    qtbot.waitUntil(lambda: "3 left out (no target)" in label.text(), timeout=RUN_TIMEOUT)
    assert label.text() == ("60 rows, 3 left out (no target) · UTF-8 · separator ; · "
                            "decimal comma")
    warning = window.findChild(type(panel.table_label), "tableWarningLabel")
    assert not warning.isVisible()
    _choose(table.role_combo("n"), "numeric")
    qtbot.waitUntil(lambda: warning.isVisible(), timeout=RUN_TIMEOUT)
    assert "'n' counts rows and follows the target" in warning.text()
    assert window.form.config().data.numeric == ("n",)


def test_an_excel_workbook_picks_its_sheet(qtbot, make_window, tiny_config,
                                           tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    path = tmp_path / "book.xlsx"
    rng = np.random.default_rng(2)
    first = pd.DataFrame({"x": rng.random(40), "kind": ["a", "b"] * 20})
    second = pd.DataFrame({"width": rng.random(50), "height": rng.random(50),
                           "colour": ["red", "green"] * 25, "size": rng.random(50) * 100})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        first.to_excel(writer, sheet_name="first", index=False)
        second.to_excel(writer, sheet_name="second", index=False)
    window = make_window(tiny_config())
    table = _open(qtbot, window, path)
    sheets = window.findChild(QComboBox, "sheetCombo")
    assert sheets.isVisible()
    assert [sheets.itemText(i) for i in range(sheets.count())] == ["first", "second"]
    assert table.column_names() == ["x", "kind"]
    assert "Excel sheet first" in window.form.data_panel.table_label.text()
    _choose(sheets, "second")
    qtbot.waitUntil(lambda: table.column_names() == ["width", "height", "colour", "size"],
                    timeout=RUN_TIMEOUT)
    cfg = window.form.config().data
    assert cfg.sheet == "second" and cfg.target == "size"
    assert table.shown_role("colour") == "categorical"
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=RUN_TIMEOUT)
    assert window.form.preview.task == "regression"
    assert window.form.data_panel.task_combo.currentText() == "Automatic: regression (numbers)"


def test_a_configuration_brings_its_roles(qtbot, make_window, tiny_config,
                                         tmp_path: Path) -> None:
    """A saved configuration (or model) shows its file's columns with the roles it chose, and
    the form gives back exactly that configuration."""
    path = _penguins(tmp_path / "penguins.csv", rows=40)
    cfg = tiny_config().with_changes(data={
        "dataset": "csv", "csv_path": str(path), "target": "species", "ignore": ("island",),
        "categorical": ("body_mass_g",), "task": Task.CLASSIFICATION})
    window = make_window(tiny_config())
    window.form.set_config(cfg)
    assert window.form.config().data == cfg.data
    table = window.findChild(QTableWidget, "columnTable")
    qtbot.waitUntil(lambda: table.isVisible() and table.rowCount() == 8, timeout=RUN_TIMEOUT)
    assert window.form.config().data == cfg.data
    assert table.shown_role("island") == "ignored"
    assert table.shown_role("body_mass_g") == "categorical"
    assert table.shown_role("species") == "target"
    assert window.form.data_panel.task_combo.currentData() == Task.CLASSIFICATION.value
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=RUN_TIMEOUT)
    assert "island" not in window.form.preview.preprocess.raw_columns


def test_a_table_that_cannot_be_read_is_a_message(qtbot, window, tmp_path: Path,
                                                  message_boxes, close_message_boxes) -> None:
    bad = tmp_path / "ragged.csv"
    bad.write_bytes(b"a,b,y\n1,2,0\n1,2\n1,2,3,4\n")
    window.use_csv(bad)
    qtbot.waitUntil(lambda: bool(message_boxes(window)), timeout=RUN_TIMEOUT)
    texts = close_message_boxes(window)
    assert "ragged.csv" in texts[0] and "Traceback" not in texts[0]
    panel = window.form.data_panel
    assert panel.current_dataset() == "spiral"
    assert not panel.column_table.isVisible()


def test_every_role_has_a_name_for_people() -> None:
    from workbench.core.data.tables import CHOOSABLE_ROLES as CORE_CHOOSABLE
    from workbench.core.data.tables import Role

    assert tuple(role.value for role in CORE_CHOOSABLE) == CHOOSABLE_ROLES
    assert set(ROLE_LABELS) == {role.value for role in Role}


def test_thousands_of_columns_get_pickers_as_they_come_into_view(qtbot) -> None:
    from workbench.core.data.tables import ColumnInfo, Role

    table = ColumnTable()
    qtbot.addWidget(table)
    table.show()
    columns = [ColumnInfo(f"c{i}", Role.NUMERIC, Role.NUMERIC, "numbers", 0, 10,
                          ("1", "2", "3"), "number") for i in range(3000)]
    table.set_columns(columns, "c2999", {"c5": "ignored"})
    pickers = sum(isinstance(table.cellWidget(r, table.ROLE), QComboBox) for r in range(3000))
    assert 0 < pickers < 40
    assert table.item(5, table.ROLE).text() == "left out"
    assert table.item(2000, table.ROLE).text() == "number"  # shown before it has a picker
    table.scrollToBottom()
    assert isinstance(table.cellWidget(2990, table.ROLE), QComboBox)
    assert table.cellWidget(2999, table.ROLE) is None  # the target
    with qtbot.waitSignal(table.role_chosen) as chosen:
        _choose(table.role_combo("c1500"), "categorical")
    assert chosen.args == ["c1500", "categorical"]
