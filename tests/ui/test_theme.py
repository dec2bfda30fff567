"""View > Presentation mode and View > Theme: what they change, and that they are remembered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from workbench.ui import theme
from workbench.ui.settings import Settings
from workbench.ui.window_screen import FORM_SHARE_MAX


@pytest.fixture
def app_look(qapp) -> Iterator[QApplication]:
    """The application's look is shared by every test: put the original back afterwards."""
    yield qapp
    theme.apply_font_scale(qapp, 1.0)
    theme.apply_theme(qapp, "system")


def _options(window):
    return window.features["explanations"]


def _widths(window) -> tuple[float, float, float]:
    smooth = window.plots.iteration_plot.getPlotItem().listDataItems()[1]
    train, val = window.plots.epoch_plot.getPlotItem().listDataItems()[:2]
    return tuple(item.opts["pen"].widthF() for item in (smooth, train, val))


def _window_colour() -> int:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness()


def _background(plot) -> int:
    return plot.backgroundBrush().color().lightness()


def test_presentation_mode_enlarges_and_simplifies(window, qtbot, app_look) -> None:
    options = _options(window)
    panel = window.form.training_panel
    size = QApplication.font().pointSizeF()
    widths = _widths(window)
    column = window.splitter.widget(0)
    normal_column = column.minimumWidth()
    assert panel.seed_spin.isVisible() and panel.weight_decay_spin.isVisible()
    assert window.form.device_panel.amp_check.isVisible()

    options.presentation_action.trigger()  # as View > Presentation mode does
    assert options.presenting and Settings().presentation_mode()
    assert QApplication.font().pointSizeF() == pytest.approx(size * theme.PRESENTATION_SCALE)
    # The widgets follow the application font through posted events.
    qtbot.waitUntil(lambda: window.form.font().pointSizeF() > size * 1.3)
    # The form's column is not pinned (the window may stay narrow): it is widened to what
    # the larger type asks for, up to a share of the window, and scrolls sideways beyond.
    assert column.minimumWidth() == normal_column
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] >= min(
        window.form.sizeHint().width(), int(sum(window.splitter.sizes()) * FORM_SHARE_MAX)) - 2)
    assert _widths(window) == (theme.PRESENTATION_PEN_WIDTH,) * 3
    axis_font = window.plots.epoch_plot.getPlotItem().getAxis("bottom").style["tickFont"]
    assert axis_font.pointSizeF() == pytest.approx(size * theme.PRESENTATION_SCALE)
    for hidden in (panel.seed_spin, panel.weight_decay_spin, panel.schedule_combo,
                   window.form.model_panel.norm_combo, window.form.device_panel.amp_check,
                   window.form.device_panel.compile_check):
        assert not hidden.isVisible(), hidden.objectName()
    assert panel.batch_spin.isVisible() and panel.lr_spin.isVisible()
    assert not window.form.advanced_check.isEnabled()
    assert {s.toString() for s in options.presentation_action.shortcuts()} == {
        "F11", "Ctrl+Shift+P"}

    options.presentation_action.trigger()
    assert not options.presenting and not Settings().presentation_mode()
    assert QApplication.font().pointSizeF() == pytest.approx(size)
    assert _widths(window) == widths
    qtbot.waitUntil(lambda: column.minimumWidth() == normal_column)
    assert panel.seed_spin.isVisible() and window.form.device_panel.amp_check.isVisible()


def test_show_advanced_settings_check_box(window) -> None:
    form = window.form
    form.advanced_check.click()
    assert not form.training_panel.seed_spin.isVisible()
    assert not Settings().show_advanced()
    form.advanced_check.click()
    assert form.training_panel.seed_spin.isVisible()
    assert Settings().show_advanced()


def test_dark_theme_changes_palette_and_plots(window, app_look) -> None:
    options = _options(window)
    plots = (window.plots.iteration_plot, window.plots.epoch_plot)
    options.theme_actions["dark"].trigger()
    assert QApplication.style().name().lower() == "fusion"
    assert _window_colour() < 100
    assert all(_background(plot) < 60 for plot in plots)
    axis = window.plots.iteration_plot.getPlotItem().getAxis("left")
    assert axis.textPen().color().lightness() > 150  # light text on the dark plot
    assert Settings().theme() == "dark"

    options.theme_actions["light"].trigger()
    assert _window_colour() > 200
    assert all(_background(plot) == 255 for plot in plots)
    assert Settings().theme() == "light"


def test_choices_are_remembered_by_a_new_window(make_window, tiny_config, app_look) -> None:
    first = make_window(tiny_config())
    _options(first).theme_actions["dark"].trigger()
    _options(first).set_presentation(True)
    first.close()

    second = make_window(tiny_config())
    options = _options(second)
    assert options.theme_actions["dark"].isChecked()
    assert options.presentation_action.isChecked() and options.presenting
    assert _window_colour() < 100
    assert _background(second.plots.epoch_plot) < 60
    assert not second.form.training_panel.seed_spin.isVisible()
    assert _widths(second) == (theme.PRESENTATION_PEN_WIDTH,) * 3
    options.set_presentation(False)
    options.set_theme("system")


def test_raw_curve_alone_is_thick_in_presentation_mode(window, app_look) -> None:
    raw = window.plots.iteration_plot.getPlotItem().listDataItems()[0]
    options = _options(window)
    options.set_presentation(True)
    assert raw.opts["shadowPen"] is None  # a thin pale trace under the smoothed curve
    window.plots.smoothing_slider.setValue(0)  # smoothing off: the raw curve is the curve
    assert raw.opts["shadowPen"].widthF() == theme.PRESENTATION_PEN_WIDTH
    options.set_presentation(False)
    assert raw.opts["shadowPen"] is None


def test_a_problem_in_a_folded_setting_unfolds_it(window) -> None:
    from workbench.config import Problem

    form = window.form
    form.advanced_check.setChecked(False)
    spin = form.training_panel.weight_decay_spin
    assert not spin.isVisible()
    form.show_problems([Problem("optim.weight_decay", "Weight decay -1 is not allowed.")])
    assert spin.isVisible() and form.advanced_check.isChecked()
    assert form.problem_widgets() == [spin]
