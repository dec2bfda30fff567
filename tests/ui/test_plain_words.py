"""Plain words for people who do not program: numbers as people write them (0.00006, 1,438),
the same grouping in the form and the panels in either language, no scientific notation or
axis scaling on screen after a run, "off" for a hidden Dropout of 0, run names in words."""

from __future__ import annotations

import re

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QTableWidget

from workbench.config import ModelConfig, TrainConfig
from workbench.ui import numbers
from workbench.ui.comparison import dropout_plan, optimizer_plan
from workbench.ui.panels.concept_panel import ConceptPanel
from workbench.ui.panels.history_panel import run_name
from workbench.ui.panels.model_panel import ModelPanel
from workbench.ui.panels.training_panel import TrainingPanel

_SCIENTIFIC = re.compile(r"\d[eE][-+]?\d")


@pytest.mark.parametrize(("value", "text"), [
    (6e-05, "0.00006"), (5.9e-05, "0.000059"), (0.01, "0.01"), (0.00316, "0.00316"),
    (1e-06, "0.000001"), (2.5, "2.5"), (2.0, "2"), (1438, "1,440"), (120_000, "120,000"),
    (2.5e-09, "2.5 × 10⁻⁹"), (0.0, "0"),
])
def test_numbers_are_written_as_people_write_them(value: float, text: str) -> None:
    assert numbers.number(value) == text


def test_counts_are_always_grouped() -> None:
    assert [numbers.count(n) for n in (8, 1050, 1438, 12_500)] == ["8", "1,050", "1,438",
                                                                   "12,500"]


def test_learning_rate_field_shows_plain_decimals(qtbot) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    for lr, text in ((6e-05, "0.00006"), (5.9e-05, "0.000059"), (1e-06, "0.000001")):
        panel.lr_spin.setValue(lr)
        assert panel.lr_spin.text() == text
    # Arrow steps stay on the log grid and stay plain.
    panel.lr_spin.setValue(1e-05)
    panel.lr_spin.stepBy(1)
    assert panel.lr_spin.value() == pytest.approx(1.78e-05)
    assert panel.lr_spin.text() == "0.0000178"
    # What a person types in scientific notation is still understood.
    panel.lr_spin.lineEdit().selectAll()
    qtbot.keyClicks(panel.lr_spin, "3e-4")
    panel.lr_spin.interpretText()
    assert panel.lr_spin.value() == pytest.approx(3e-4)
    assert panel.lr_spin.text() == "0.0003"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_thousands_grouped_alike_in_form_and_concept_panel(qtbot, language: str) -> None:
    old = QLocale()
    if language == "zh_CN":  # the system's locale, not only the window's language
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    try:
        form = TrainingPanel()
        concept = ConceptPanel()
    finally:
        QLocale.setDefault(old)
    qtbot.addWidget(form)
    qtbot.addWidget(concept)
    form.set_training_samples(1438)
    form.batch_spin.setValue(1438)
    form.epochs_spin.setValue(1200)
    concept.set_plan(1438, 1438, 1200, drop_last=False)
    assert form.batch_spin.text() == "1,438"
    assert form.epochs_spin.text() == "1,200"
    assert "1,438 samples / batch 1,438" in form.iterations_label.text()
    text = " ".join(label.text() for label in concept.findChildren(QLabel))
    assert "1,438 training samples ÷ batch size 1,438" in text
    assert "1,200 epochs = 1,200 iterations" in text
    assert "1438" not in text


def test_hidden_dropout_zero_says_off_like_input_dropout(qtbot) -> None:
    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.set_config(ModelConfig(input_dropout=0.0, dropout=0.0))
    assert panel.dropout_spin.text() == panel.input_dropout_spin.text() == "off"
    panel.set_config(ModelConfig(input_dropout=0.1, dropout=0.1))
    panel.dropout_spin.setFocus()
    qtbot.keyClick(panel.dropout_spin, Qt.Key.Key_Down)
    qtbot.keyClick(panel.dropout_spin, Qt.Key.Key_Down)
    assert panel.dropout_spin.value() == 0.0
    assert panel.dropout_spin.text() == "off"
    assert panel.config().dropout == 0.0
    # The Dropout comparison names the rate 0 the same way.
    assert dropout_plan(TrainConfig()).labels == ("Dropout off", "Dropout 0.2", "Dropout 0.5")


def test_run_names_and_notes_in_words() -> None:
    cfg = TrainConfig().with_changes(optim={"lr": 6e-05}, run={"batch_size": 1438},
                                     model={"dropout": 0.2})
    name = run_name(cfg)
    assert name == "Spiral MLP 64-64, Dropout 0.2, Adam, learning rate 0.00006, batch 1,438"
    assert "All at learning rate 0.00006." in optimizer_plan(cfg).notes


def _visible_texts(window) -> list[str]:
    texts = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    texts += [box.text() for box in window.findChildren(QAbstractSpinBox) if box.isVisible()]
    for table in window.findChildren(QTableWidget):
        texts += [table.item(r, c).text() for r in range(table.rowCount())
                  for c in range(table.columnCount()) if table.item(r, c) is not None]
    return texts + [window.statusBar().currentMessage()]


def test_no_scientific_notation_or_axis_scaling_after_a_run(make_window, tiny_config,
                                                          qtbot) -> None:
    # A learning rate of 0.00006: the outcome line for a run stuck at chance suggests ten times
    # lower and higher rates (the engine writes them as 6e-06 and 0.0006; the window plainly).
    cfg = tiny_config(epochs=3).with_changes(optim={"lr": 0.00006, "weight_decay": 1e-05})
    window = make_window(cfg)
    with qtbot.waitSignal(window.run_finished, timeout=60_000):
        assert window.start_training()
    for index in range(window.tabs.count()):  # every tab's labels, each as it is shown
        window.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        shown = [t for t in _visible_texts(window) if _SCIENTIFIC.search(t)]
        assert shown == [], window.tabs.tabText(index)
    assert window.form.training_panel.weight_decay_spin.text().rstrip("0") == "0.00001"
    # Losses of a thousandth: the axes say "Loss", never "Loss (x0.001)".
    plots = [p for p in window.findChildren(pg.PlotWidget)
             if p.objectName() not in ("", "predictPlot")
             and p.parent() is not None and "boundary" not in p.parent().objectName().lower()]
    assert plots
    for plot in plots:
        for name in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(name)
            axis.setRange(0.0005, 0.0015)
            assert "x0.001" not in axis.labelString(), plot.objectName()
            assert "(x" not in axis.labelString(), plot.objectName()


def test_engine_messages_show_plain_numbers_in_the_window() -> None:
    from workbench.core.engine import DIVERGED_KEPT
    from workbench.core.events import RunFailed
    from workbench.ui.core_text import failure_text, problem_text

    message = DIVERGED_KEPT.format(start=0.69, peak=1.3e7, epoch=4, lr=6e-05, lower=6e-06,
                                   kept=3)
    assert "6e-05" in message  # what the command line prints, unchanged
    text = failure_text(RunFailed(message, epoch=4, iteration=9, kind="diverged"))
    assert "(now 0.00006; try 0.000006)" in text, text
    assert "to 13,000,000 in epoch 4" in text, text
    assert not _SCIENTIFIC.search(text), text
    problem = TrainConfig().with_changes(optim={"weight_decay": -1e-05}).validate()[0]
    assert problem.message.startswith("optim.weight_decay = -1e-05")  # the command line's
    assert problem_text(problem, {"optim.weight_decay": "Weight decay"}).startswith(
        "Weight decay = -0.00001 is not allowed")


def test_data_counts_grouped_in_either_system_locale(qtbot) -> None:
    from workbench.ui.panels.data_panel import DataPanel

    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        panel = DataPanel()
    finally:
        QLocale.setDefault(old)
    qtbot.addWidget(panel)
    panel.samples_spin.setValue(12_500)
    assert panel.samples_spin.text() == "12,500"
    panel.noise_spin.setValue(0.25)
    assert panel.noise_spin.text() == "0.25"
