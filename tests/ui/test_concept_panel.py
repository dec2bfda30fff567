"""The concept panel: the epoch/batch/iteration arithmetic in words, and the batch cells of a run."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from workbench.ui.panels.concept_panel import MAX_CELLS, ConceptPanel


@pytest.fixture
def panel(qtbot) -> ConceptPanel:
    widget = ConceptPanel()
    qtbot.addWidget(widget)
    widget.resize(360, 200)
    return widget


def progress_text(panel: ConceptPanel) -> str:
    """The progress line with its no-break spaces read as plain ones."""
    return panel.progress_label.text().replace("\N{NO-BREAK SPACE}", " ")


def math_text(panel: ConceptPanel) -> str:
    label = panel.findChild(QLabel, "iterationMathLabel")
    assert label is not None
    return label.text()


def test_object_names(panel: ConceptPanel) -> None:
    assert panel.objectName() == "conceptPanel"
    assert panel.findChild(QLabel, "iterationMathLabel") is panel.math_label


def test_worked_example_1050_by_100(panel: ConceptPanel) -> None:
    panel.set_plan(1050, 100, 20, drop_last=False)
    text = math_text(panel)
    assert "1,050 training samples ÷ batch size 100 = 11 iterations per epoch" in text
    assert "10 full batches + 1 of 50" in text
    assert "20 epochs = 220 iterations" in text
    assert panel.iterations_per_epoch == 11
    assert panel.strip.cell_count == 11


def test_drop_last_skips_the_partial_batch(panel: ConceptPanel) -> None:
    panel.set_plan(1050, 100, 20, drop_last=True)
    text = math_text(panel)
    assert "= 10 iterations per epoch" in text
    assert "the last 50 samples are skipped each epoch" in text
    assert "20 epochs = 200 iterations" in text
    assert panel.strip.cell_count == 10


@pytest.mark.parametrize(("n", "batch", "ipe", "detail"), [
    (4096, 256, 16, "(16 full batches)"),
    (4096, 2048, 2, "(2 full batches)"),
    (800, 800, 1, "(1 full batch)"),
    (120_000, 32, 3750, "(3,750 full batches)"),  # grouped as the form groups it
])
def test_even_splits(panel: ConceptPanel, n: int, batch: int, ipe: int, detail: str) -> None:
    panel.set_plan(n, batch, 10, drop_last=False)
    text = math_text(panel)
    assert panel.iterations_per_epoch == ipe
    assert detail in text
    noun = "iteration" if ipe == 1 else "iterations"
    assert f"= {ipe:,} {noun} per epoch" in text
    total = ipe * 10
    assert f"10 epochs = {total:,} iterations" in text  # "1,600": as the form writes it


def test_unknown_training_size_is_said_plainly(panel: ConceptPanel) -> None:
    panel.set_plan(None, 100, 20, drop_last=False)
    text = math_text(panel)
    assert "not known yet" in text
    assert "iterations per epoch" in text
    assert panel.iterations_per_epoch == 0
    assert panel.strip.cell_count == 0
    panel.set_progress(1, 3)  # a run without a known plan must not break anything
    assert panel.strip.filled_count == 0


def test_batch_larger_than_the_training_set(panel: ConceptPanel) -> None:
    panel.set_plan(50, 100, 5, drop_last=False)
    assert "larger than the whole training set" in math_text(panel)


def test_progress_fills_cells_and_names_the_position(panel: ConceptPanel) -> None:
    panel.set_plan(1050, 100, 20, drop_last=False)
    assert panel.strip.filled_count == 0
    assert panel.strip.current_index is None
    panel.set_progress(3, 7)
    assert panel.strip.cell_count == 11
    assert panel.strip.filled_count == 7
    assert panel.strip.current_index == 6
    assert progress_text(panel) == "Epoch 3 of 20 · batch 7 of 11 · iteration 29 of 220"
    panel.set_progress(3, 11)  # the epoch's last (partial) batch done: the row is full
    assert panel.strip.filled_count == 11
    assert "iteration 33 of 220" in progress_text(panel)
    panel.reset()
    assert panel.strip.filled_count == 0
    assert panel.strip.current_index is None
    assert "Epoch" not in progress_text(panel)


def test_many_batches_are_grouped_into_cells(panel: ConceptPanel) -> None:
    panel.set_plan(60_000, 32, 5, drop_last=False)  # 1875 iterations per epoch
    strip = panel.strip
    assert strip.cell_count <= MAX_CELLS
    assert strip.per_cell * strip.cell_count >= 1875
    panel.set_progress(2, 1875 // 2)
    assert strip.filled_count == (1875 // 2) // strip.per_cell
    assert "batch 937 of 1,875" in progress_text(panel)
    assert "iteration 2,812 of 9,375" in progress_text(panel)


def test_unchanged_numbers_do_not_repaint(panel: ConceptPanel, qtbot) -> None:
    panel.set_plan(1050, 100, 20, drop_last=False)
    panel.set_progress(1, 4)
    assert not panel.strip.set_done(4, active=True)  # same numbers: no update scheduled
    assert panel.strip.set_done(5, active=True)


def _distinct_colours(image: QImage) -> int:
    step = max(1, image.width() // 80)
    colours = {image.pixel(x, y) for x in range(0, image.width(), step)
               for y in range(0, image.height(), 3)}
    return len(colours)


def test_rendered_panel_is_not_blank(panel: ConceptPanel, qtbot) -> None:
    panel.set_plan(1050, 100, 20, drop_last=False)
    panel.set_progress(3, 7)
    panel.show()
    qtbot.waitExposed(panel)
    image = panel.grab().toImage()
    assert not image.isNull()
    assert _distinct_colours(image) > 5
    # The strip itself paints filled cells in the highlight colour.
    strip = panel.strip.grab().toImage()
    highlight = panel.strip.palette().highlight().color()
    x = int(strip.width() * 0.1)
    assert QColor(strip.pixel(x, strip.height() // 2)) == highlight
