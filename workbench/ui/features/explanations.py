"""View > Presentation mode and View > Theme, remembered between runs of the app.

The form's "?" buttons and their explanations live with the panels; this module adds what a
teacher needs in front of a room: large type, thick curves and only the essential settings
(presentation mode), and a light or dark look that the plots follow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PySide6.QtWidgets import QApplication

from workbench.ui import theme

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

# Lines drawn in either theme's smoothed-loss or epoch-boundary colour follow the theme.
_SMOOTH_COLORS = {theme.LIGHT_PLOTS.smooth, theme.DARK_PLOTS.smooth}
_BOUNDARY_COLORS = {theme.LIGHT_PLOTS.boundary, theme.DARK_PLOTS.boundary}


class ViewOptions(QObject):
    """The View menu's presentation mode and theme, applied to the whole window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._settings = window.settings
        self._presenting = False
        self._styled = False
        self._normal_widths: dict[pg.PlotDataItem, float] = {}

        self.presentation_action = QAction(self.tr("&Presentation mode"), window)
        self.presentation_action.setObjectName("presentationModeAction")
        self.presentation_action.setCheckable(True)
        self.presentation_action.setShortcuts([QKeySequence(Qt.Key.Key_F11),
                                               QKeySequence("Ctrl+Shift+P")])
        self.presentation_action.setStatusTip(self.tr(
            "Large type and thick curves for a projector; advanced settings folded away."))
        self.presentation_action.toggled.connect(self.set_presentation)
        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for code, label in (("light", self.tr("&Light")), ("dark", self.tr("&Dark")),
                            ("system", self.tr("&System"))):
            action = QAction(label, window)
            action.setObjectName(f"theme_{code}_Action")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, c=code: self.set_theme(c))
            self.theme_group.addAction(action)
            self.theme_actions[code] = action

        menu = window.view_menu
        menu.addSeparator()
        menu.addAction(self.presentation_action)
        self.theme_menu = menu.addMenu(self.tr("&Theme"))
        self.theme_menu.setObjectName("themeMenu")
        self.theme_menu.addActions(list(self.theme_actions.values()))

        window.form.show_advanced_changed.connect(self._settings.set_show_advanced)
        window.plots.smoothing_changed.connect(self._on_plots_smoothing_changed)
        # Features installed after this one may add plots: they are styled once shown.
        window.installEventFilter(self)

        window.form.set_show_advanced(self._settings.show_advanced())
        self.set_theme(self._settings.theme())
        self.set_presentation(self._settings.presentation_mode())

    # -- public --------------------------------------------------------------------------------
    @property
    def presenting(self) -> bool:
        return self._presenting

    def set_presentation(self, on: bool) -> None:
        self._presenting = bool(on)
        self._settings.set_presentation_mode(self._presenting)
        with_signals = self.presentation_action.blockSignals(True)
        self.presentation_action.setChecked(self._presenting)
        self.presentation_action.blockSignals(with_signals)
        self._apply_presentation()

    def set_theme(self, code: str) -> None:
        app = _app()
        theme.apply_theme(app, code)
        self._settings.set_theme(code)
        self.theme_actions[code].setChecked(True)
        colors = theme.plot_colors(app)
        # Plots made later (in dialogs, say) start in the theme's colours too.
        pg.setConfigOptions(background=colors.background, foreground=colors.foreground)
        self.restyle_plots()

    def restyle_plots(self) -> None:
        """Colours and type of every plot in the window; widths of the loss curves.

        Plots keep their own look until the theme or presentation mode first differs from it.
        """
        app = _app()
        colors = theme.plot_colors(app)
        self._styled = self._styled or self._presenting or colors is not theme.LIGHT_PLOTS
        if not self._styled:
            return
        font = QFont(app.font()) if self._presenting else None
        for plot in self._window.findChildren(pg.PlotWidget):
            theme.style_plot(plot, colors, font)
        self._restyle_curves()

    # -- behaviour -----------------------------------------------------------------------------
    def _apply_presentation(self) -> None:
        on = self._presenting
        theme.apply_font_scale(_app(), theme.PRESENTATION_SCALE if on else 1.0)
        # The window sizes the form's column itself on a change of mode (window_screen.py);
        # the column scrolls sideways when the form is wider than it.
        self._window.form.set_presentation(on)
        self.restyle_plots()

    def _restyle_curves(self) -> None:
        colors = theme.plot_colors(_app())
        plots = self._window.plots
        for plot in (plots.iteration_plot, plots.epoch_plot):
            for item in plot.scene().items():
                if isinstance(item, pg.PlotDataItem) and item is not self._raw_curve():
                    self._restyle_curve(item, colors)
                elif (isinstance(item, pg.PlotCurveItem)
                      and not isinstance(item.parentItem(), pg.PlotDataItem)):
                    _recolor_boundaries(item, colors)
        self._restyle_raw_curve(colors)

    def _on_plots_smoothing_changed(self, _weight: float) -> None:
        if self._styled:  # the raw curve's shadow depends on whether it is drawn alone
            self._restyle_curves()

    def _raw_curve(self) -> pg.PlotDataItem:
        # The iteration plot's first data item is its raw per-iteration curve (plots.py).
        return self._window.plots.iteration_plot.getPlotItem().listDataItems()[0]

    def _restyle_curve(self, item: pg.PlotDataItem, colors: theme.PlotColors) -> None:
        pen = pg.mkPen(item.opts["pen"])
        normal = self._normal_widths.setdefault(item, pen.widthF())
        pen.setWidthF(theme.PRESENTATION_PEN_WIDTH if self._presenting else normal)
        if pen.color().getRgb()[:3] in _SMOOTH_COLORS:
            pen.setColor(pg.mkColor(colors.smooth))
        item.setPen(pen)

    def _restyle_raw_curve(self, colors: theme.PlotColors) -> None:
        """The iteration plot sets the raw curve's pen itself at each redraw (pale under the
        smoothed curve, dark blue alone): it is widened, and lit up on a dark background,
        with a shadow pen underneath. Under the smoothed curve it stays a thin pale trace."""
        raw = self._raw_curve()
        alone = self._window.plots.iteration_plot.smoothing == 0
        dark = colors is theme.DARK_PLOTS
        if alone and (self._presenting or dark):
            width = theme.PRESENTATION_PEN_WIDTH if self._presenting else 2
            raw.setShadowPen(pg.mkPen(colors.smooth, width=width))
        else:
            raw.setShadowPen(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Show:
            self._window.removeEventFilter(self)
            self.restyle_plots()
        return False


def _recolor_boundaries(item: pg.PlotCurveItem, colors: theme.PlotColors) -> None:
    pen = pg.mkPen(item.opts["pen"])
    if pen.color().getRgb()[:3] in _BOUNDARY_COLORS:
        pen.setColor(pg.mkColor(colors.boundary))
        item.setPen(pen)


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def install(window: MainWindow) -> ViewOptions:
    return ViewOptions(window)
