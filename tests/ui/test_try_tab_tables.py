"""The Try tab for models trained on a table: one field per raw column, predictions that follow."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit

from workbench.config import TrainConfig
from workbench.core.data.tables import Table
from workbench.core.engine import Engine
from workbench.core.evaluation import format_value
from workbench.ui.training import RunState

RUN_TIMEOUT = 60_000
FIXTURES = Path(__file__).parent.parent / "fixtures"
DISTRICTS = ("east", "north", "south")


def _write_houses(path: Path, target: str, rows: int = 240) -> Path:
    """Rooms (with gaps), a district, a sale date written 31/03/2020, and a price or a kind."""
    rng = np.random.default_rng(3)
    offsets = {"north": 60.0, "south": -40.0, "east": 0.0}
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["rooms", "district", "sold", target])
        for i in range(rows):
            rooms = int(rng.integers(1, 9))
            district = DISTRICTS[i % 3]
            year = int(rng.integers(2000, 2024))
            price = 150 + 40 * rooms + offsets[district] + 3 * (year - 2000) + rng.normal(0, 8)
            label = "dear" if price > 330 else "cheap"
            writer.writerow(["" if i % 11 == 0 else rooms, district,
                             f"{1 + i % 28:02d}/{1 + i % 12:02d}/{year}",
                             f"{price:.1f}" if target == "price" else label])
    return path


def _run(path: Path, target: str, epochs: int = 25) -> Engine:
    cfg = TrainConfig().with_changes(
        data={"dataset": "csv", "csv_path": str(path), "target": target},
        run={"epochs": epochs, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    return engine


@pytest.fixture(scope="module")
def price_run(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _run(_write_houses(tmp_path_factory.mktemp("houses") / "houses.csv", "price"),
                "price")


@pytest.fixture(scope="module")
def kind_run(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return _run(_write_houses(tmp_path_factory.mktemp("kinds") / "kinds.csv", "kind"), "kind")


def _panel(qtbot, engine: Engine | None = None, model=None):
    from workbench.ui.panels.predict_panel import PredictPanel

    panel = PredictPanel()
    qtbot.addWidget(panel)
    panel.set_model(model or engine.trained_model(), engine.data if engine else None)
    return panel


def _row(rooms: float, district: str | None, sold: str | None) -> Table:
    """The one-row table as a file would give it: float64 numbers, text or None otherwise."""
    return Table(name="", columns={"rooms": np.array([rooms], dtype=np.float64),
                                   "district": np.array([district], dtype=object),
                                   "sold": np.array([sold], dtype=object)})


def _predicted(model, table: Table) -> float:
    prediction, _report = model.predict_table(table)
    return float(prediction.labels[0])


def test_one_field_per_column_started_from_a_validation_row(qtbot, price_run) -> None:
    model, data = price_run.trained_model(), price_run.data
    panel = _panel(qtbot, price_run)
    assert panel.pages.currentWidget() is panel.fields_page and panel.has_data
    editor = panel.row_editor
    assert editor.column_names() == ["rooms", "district", "sold"]
    assert isinstance(editor.field("rooms"), QLineEdit)
    assert isinstance(editor.field("sold"), QLineEdit)
    combo = editor.field("district")
    assert isinstance(combo, QComboBox) and combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == [*DISTRICTS, "(missing)"]
    # the fields hold the validation row the spin box names: through the model's own
    # preprocessing they give back that row's inputs
    row = panel.val_row_spin.value() - 1
    columns, problem = editor.row()
    assert problem == "" and columns is not None
    x, _report = model.preprocess.transform(Table(name="", columns=columns))
    expected = data.x_val[row].astype(np.float64) * data.std + data.mean
    np.testing.assert_allclose(x[0], expected, rtol=1e-4, atol=1e-3)
    shown = float(panel.last_prediction.labels[0])
    assert shown == _predicted(model, Table(name="", columns=columns))
    assert panel.result_label.text() == f"Predicted price: {format_value(shown)}"
    assert panel.fields_bars.isHidden()  # a value, no classes
    assert "its actual price is " + format_value(float(data.y_val[row])) in \
        panel.val_row_label.text()


def test_the_prediction_follows_the_fields(qtbot, price_run) -> None:
    model = price_run.trained_model()
    panel = _panel(qtbot, price_run)
    editor = panel.row_editor
    editor.set_text("rooms", "2")
    editor.set_text("district", "south")
    editor.set_text("sold", "15/06/2010")
    before = panel.result_label.text()
    value = _predicted(model, _row(2.0, "south", "15/06/2010"))
    assert before == f"Predicted price: {format_value(value)}"
    assert "changed its inputs" in panel.val_row_label.text()
    # more rooms: a dearer house, and the label says so at once
    editor.field("rooms").setText("7")
    dearer = _predicted(model, _row(7.0, "south", "15/06/2010"))
    assert float(panel.last_prediction.labels[0]) == dearer
    assert panel.result_label.text() == f"Predicted price: {format_value(dearer)}"
    assert panel.result_label.text() != before and dearer > value
    # a date written 2010-06-15 is the same date
    editor.set_text("sold", "2010-06-15")
    assert float(panel.last_prediction.labels[0]) == dearer
    # a decimal comma is read as in the file
    editor.set_text("rooms", "6,5")
    assert float(panel.last_prediction.labels[0]) == _predicted(
        model, _row(6.5, "south", "15/06/2010"))


def test_missing_and_unseen_values(qtbot, price_run) -> None:
    model = price_run.trained_model()
    panel = _panel(qtbot, price_run)
    editor = panel.row_editor
    editor.set_text("rooms", "")
    editor.set_text("district", "(missing)")
    editor.set_text("sold", "")
    assert float(panel.last_prediction.labels[0]) == _predicted(model, _row(np.nan, None, None))
    assert set(panel.last_report.missing) == {"rooms", "district", "sold"}
    assert "Missing" in panel.result_label.text() and "rooms" in panel.result_label.text()
    combo = editor.field("district")
    combo.setCurrentIndex(combo.findText("north"))
    editor.set_text("rooms", "4")
    editor.set_text("sold", "01/01/2015")
    assert float(panel.last_prediction.labels[0]) == _predicted(
        model, _row(4.0, "north", "01/01/2015"))
    editor.set_text("district", "west")  # typed: never seen in training
    assert float(panel.last_prediction.labels[0]) == _predicted(
        model, _row(4.0, "west", "01/01/2015"))
    assert panel.last_report.unseen == {"district": 1}
    assert "(other)" in panel.result_label.text()


def test_values_that_cannot_be_read_are_named(qtbot, price_run) -> None:
    panel = _panel(qtbot, price_run)
    editor = panel.row_editor
    editor.set_text("rooms", "many")
    assert panel.last_prediction is None
    assert "rooms" in panel.result_label.text() and "not a number" in panel.result_label.text()
    assert editor.field("rooms").styleSheet()
    editor.set_text("rooms", "3")
    assert panel.last_prediction is not None and not editor.field("rooms").styleSheet()
    editor.set_text("sold", "yesterday")
    assert panel.last_prediction is None
    assert "sold" in panel.result_label.text() and "31/03/2024" in panel.result_label.text()


def test_classification_shows_the_probabilities(qtbot, kind_run) -> None:
    model = kind_run.trained_model()
    panel = _panel(qtbot, kind_run)
    editor = panel.row_editor
    editor.set_text("rooms", "1")
    editor.set_text("district", "south")
    editor.set_text("sold", "01/02/2001")
    cheap, _ = model.predict_table(_row(1.0, "south", "01/02/2001"))
    np.testing.assert_array_equal(panel.last_prediction.proba, cheap.proba)
    text = panel.result_label.text()
    assert "Probabilities" in text and "cheap" in text and "dear" in text
    editor.set_text("rooms", "8")
    editor.set_text("district", "north")
    dear, _ = model.predict_table(_row(8.0, "north", "01/02/2001"))
    np.testing.assert_array_equal(panel.last_prediction.proba, dear.proba)
    assert panel.result_label.text() != text
    assert "its actual class is" in panel.val_row_label.text()


def test_the_fields_match_predict_on_the_same_row_in_a_file(qtbot, kind_run,
                                                          tmp_path: Path) -> None:
    """What the fields show is what ``workbench predict`` gives for the row they hold, written
    to a CSV file as a person would type it (a missing number, an unseen category too)."""
    from workbench.core.predicting import predict_table, read_table_for

    model = kind_run.trained_model()
    panel = _panel(qtbot, kind_run)
    editor = panel.row_editor
    for rooms, district, sold in (("3", "north", "05/07/2012"), ("", "west", "01/02/2003"),
                                  ("7,5", "south", "")):
        editor.set_text("rooms", rooms)
        editor.set_text("district", district)
        editor.set_text("sold", sold)
        path = tmp_path / "row.csv"
        with path.open("w", newline="") as fh:
            csv.writer(fh).writerows([["rooms", "district", "sold"],
                                      [rooms.replace(",", "."), district, sold]])
        expected = predict_table(model, read_table_for(model, path)).prediction
        np.testing.assert_allclose(panel.last_prediction.proba, expected.proba, rtol=1e-6)
        assert panel.last_prediction.names == expected.names
        # the bars under the sentence show the same probabilities
        np.testing.assert_array_equal(panel.fields_bars.values(),
                                      panel.last_prediction.proba[0].astype(np.float64))
    assert not panel.fields_bars.isHidden()
    editor.set_text("rooms", "many")
    assert not panel.fields_bars.values().any()


def test_choosing_another_validation_row(qtbot, price_run) -> None:
    data = price_run.data
    panel = _panel(qtbot, price_run)
    editor = panel.row_editor
    first = [editor.text(n) for n in editor.column_names()]
    target = next(r for r in range(data.n_val) if data.y_val[r] != data.y_val[0])
    panel.val_row_spin.setValue(target + 1)
    assert [editor.text(n) for n in editor.column_names()] != first
    assert ("its actual price is " + format_value(float(data.y_val[target]))
            in panel.val_row_label.text())
    assert "changed" not in panel.val_row_label.text()
    columns, _ = editor.row()
    x, _ = price_run.trained_model().preprocess.transform(Table(name="", columns=columns))
    np.testing.assert_allclose(x[0], data.x_val[target].astype(np.float64) * data.std
                               + data.mean, rtol=1e-4, atol=1e-3)


def test_without_the_data_the_fields_start_from_the_training_medians(qtbot, price_run) -> None:
    from workbench.ui.panels.predict_panel import number_text

    model = price_run.trained_model()
    panel = _panel(qtbot, model=model)
    assert panel.pages.currentWidget() is panel.fields_page
    assert not panel.has_data and panel.val_row_box.isHidden()
    rooms = next(c for c in model.preprocess.columns if c.name == "rooms")
    assert panel.row_editor.text("rooms") == number_text(rooms.fill[0])
    assert panel.row_editor.text("district") == "east"
    assert panel.last_prediction is not None
    panel.set_model(model, price_run.data)
    assert panel.has_data and not panel.val_row_box.isHidden()


def test_models_without_table_preprocessing_keep_the_row_of_numbers(qtbot) -> None:
    cfg = TrainConfig().with_changes(data={"dataset": "diabetes"},
                                     run={"epochs": 1, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    panel = _panel(qtbot, engine)
    assert panel.pages.currentWidget() is not panel.fields_page
    assert panel.row_table.columnCount() == 10
    assert panel.predict_row() is not None
    assert "predicted value" in panel.result_label.text()


def test_a_table_run_in_the_window(qtbot, make_window, tmp_path: Path) -> None:
    path = _write_houses(tmp_path / "houses.csv", "price", rows=120)
    cfg = TrainConfig().with_changes(
        data={"dataset": "csv", "csv_path": str(path), "target": "price"},
        run={"epochs": 3, "device": "cpu"})
    window = make_window(cfg)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        assert window.start_training()
    qtbot.waitUntil(lambda: window.controller.state == RunState.IDLE, timeout=RUN_TIMEOUT)
    panel = window.predict_panel
    window.tabs.setCurrentWidget(panel)
    assert panel.model is window.model and panel.has_data
    assert panel.pages.currentWidget() is panel.fields_page
    assert panel.row_editor.field("rooms").isVisible()
    assert panel.result_label.text().startswith("Predicted price: ")
    panel.row_editor.set_text("rooms", "5")
    assert float(panel.last_prediction.labels[0]) == _predicted(
        window.model, Table(name="", columns=panel.row_editor.row()[0]))
    # With this tab the window still fits a 1024 x 700 screen (at most 1,000 pixels wide).
    window.tabs.setCurrentWidget(panel)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1000 and hint.height() <= 700, hint


def test_an_opened_table_model(qtbot, window) -> None:
    assert window.open_model_path(FIXTURES / "table_penguins_v2.wbm")
    panel = window.predict_panel
    assert panel.pages.currentWidget() is panel.fields_page
    names = panel.row_editor.column_names()
    assert names == list(window.model.preprocess.raw_columns)
    assert panel.last_prediction is not None and panel.last_prediction.proba is not None
    columns, _ = panel.row_editor.row()
    expected, _ = window.model.predict_table(Table(name="", columns=columns))
    np.testing.assert_array_equal(panel.last_prediction.proba, expected.proba)


def test_many_columns_fit_a_small_laptop_screen(qtbot, window, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    path = tmp_path / "wide.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([f"a_long_measurement_name_{i:02d}" for i in range(40)] + ["colour", "y"])
        for r in range(80):
            writer.writerow([f"{v:.3f}" for v in rng.normal(size=40)]
                            + [("red", "green")[r % 2], f"{rng.normal():.3f}"])
    engine = _run(path, "y", epochs=1)
    window.predict_panel.set_model(engine.trained_model(), engine.data)
    window.tabs.setCurrentWidget(window.predict_panel)
    editor = window.predict_panel.row_editor
    qtbot.waitUntil(editor.isVisible)
    assert len(editor.column_names()) == 41
    hint = window.minimumSizeHint()
    assert hint.width() <= 1100 and hint.height() <= 700, hint
    window.resize(1100, 700)
    # the prediction stays in view under fields that scroll
    qtbot.waitUntil(lambda: window.predict_panel.result_label.isVisible())
    label = window.predict_panel.result_label
    bottom = label.mapTo(window, label.rect().bottomLeft()).y()
    assert bottom <= window.height(), bottom
