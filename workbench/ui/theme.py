"""Light and dark themes, and the larger type of presentation mode.

A theme is Fusion with a matching palette ("light", "dark"), or the platform's own style and
palette ("system"). The plots follow with background, axis and text colours. Presentation mode
scales the application font and thickens the plot curves, so a room can read them from afar.
The style, palette and font the application had before the first change are kept, so "system"
and the end of presentation mode put back exactly what was there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from workbench.ui.plots import BOUNDARY_COLOR, SMOOTH_COLOR
from workbench.ui.settings import THEMES

PRESENTATION_SCALE = 1.4
PRESENTATION_PEN_WIDTH = 3

Color = tuple[int, ...]


@dataclass(frozen=True)
class PlotColors:
    background: Color
    foreground: Color  # tick labels, axis titles, legend text
    axis: Color  # axis lines and ticks
    legend: Color  # legend background, translucent
    # The smoothed loss curve: dark blue is lost on a dark background, and there it must stay
    # brighter than the pale raw curve under it.
    smooth: Color
    boundary: Color  # the thin epoch boundary lines: visible, never louder than the data


LIGHT_PLOTS = PlotColors((255, 255, 255), (60, 60, 60), (150, 150, 150), (255, 255, 255, 210),
                         SMOOTH_COLOR, BOUNDARY_COLOR)
DARK_PLOTS = PlotColors((30, 31, 34), (215, 215, 215), (120, 120, 120), (45, 46, 50, 220),
                        (245, 245, 250), (72, 74, 80))

_original: dict[str, object] = {}


def _keep_original(app: QApplication) -> None:
    if not _original:
        _original["style"] = app.style().name()
        _original["palette"] = QPalette(app.palette())
        _original["font"] = QFont(app.font())


def _palette(colors: dict[QPalette.ColorRole, QColor], disabled: QColor) -> QPalette:
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, color)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.PlaceholderText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def light_palette() -> QPalette:
    role = QPalette.ColorRole
    return _palette({
        role.Window: QColor(239, 239, 239), role.WindowText: QColor(20, 20, 20),
        role.Base: QColor(255, 255, 255), role.AlternateBase: QColor(245, 245, 245),
        role.ToolTipBase: QColor(255, 255, 220), role.ToolTipText: QColor(20, 20, 20),
        role.PlaceholderText: QColor(110, 110, 110), role.Text: QColor(20, 20, 20),
        role.Button: QColor(239, 239, 239), role.ButtonText: QColor(20, 20, 20),
        role.BrightText: QColor(200, 0, 0), role.Light: QColor(255, 255, 255),
        role.Midlight: QColor(227, 227, 227), role.Mid: QColor(160, 160, 160),
        role.Dark: QColor(160, 160, 160), role.Shadow: QColor(105, 105, 105),
        role.Link: QColor(0, 90, 180), role.Highlight: QColor(48, 140, 198),
        role.HighlightedText: QColor(255, 255, 255),
    }, QColor(150, 150, 150))


def dark_palette() -> QPalette:
    role = QPalette.ColorRole
    return _palette({
        role.Window: QColor(45, 46, 50), role.WindowText: QColor(225, 225, 225),
        role.Base: QColor(30, 31, 34), role.AlternateBase: QColor(45, 46, 50),
        role.ToolTipBase: QColor(60, 62, 68), role.ToolTipText: QColor(235, 235, 235),
        role.PlaceholderText: QColor(150, 150, 150), role.Text: QColor(225, 225, 225),
        role.Button: QColor(55, 57, 62), role.ButtonText: QColor(225, 225, 225),
        role.BrightText: QColor(255, 110, 110), role.Light: QColor(75, 77, 83),
        role.Midlight: QColor(62, 64, 70), role.Mid: QColor(40, 41, 45),
        role.Dark: QColor(25, 26, 28), role.Shadow: QColor(10, 10, 10),
        role.Link: QColor(110, 165, 250), role.Highlight: QColor(42, 110, 190),
        role.HighlightedText: QColor(255, 255, 255),
    }, QColor(120, 120, 120))


def current_theme(app: QApplication) -> str:
    return str(app.property("workbenchTheme") or "system")


def apply_theme(app: QApplication, theme: str) -> None:
    """Fusion with the light or dark palette, or the platform's own look for "system"."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}")
    if theme == current_theme(app):
        return  # re-polishing every widget is not free: skip it when nothing changes
    _keep_original(app)
    if theme == "system":
        app.setStyle(str(_original["style"]))
        app.setPalette(_original["palette"])
    else:
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if theme == "dark" else light_palette())
    app.setProperty("workbenchTheme", theme)
    refresh_style_sheets(app)


def palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def plot_colors(app: QApplication) -> PlotColors:
    """The plot colours that go with the palette now in use (the system's may be dark)."""
    return DARK_PLOTS if palette_is_dark(app.palette()) else LIGHT_PLOTS


def apply_font_scale(app: QApplication, scale: float) -> None:
    """The application font at ``scale`` times its original size (1 puts it back)."""
    if float(app.property("workbenchFontScale") or 1.0) == scale:
        return
    _keep_original(app)
    font = QFont(_original["font"])
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    app.setFont(font)
    app.setProperty("workbenchFontScale", scale)
    refresh_style_sheets(app)


def refresh_style_sheets(app: QApplication) -> None:
    """Widgets with a style sheet of their own (grey captions, say) resolved its
    ``palette(...)`` colours and their font when it was set; setting it again makes them
    follow the application's new palette and font."""
    for widget in app.allWidgets():
        sheet = widget.styleSheet()
        if sheet:
            widget.setStyleSheet("")
            widget.setStyleSheet(sheet)


def style_plot(plot: pg.PlotWidget, colors: PlotColors, font: QFont | None) -> None:
    """Background, axis and text colours of one plot; ``font`` for its text (None: default)."""
    plot.setBackground(colors.background)
    item = plot.getPlotItem()
    size = f"{font.pointSizeF():.0f}pt" if font is not None else None
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(colors.axis)
        axis.setTickFont(font)
        if size is None:
            axis.labelStyle.pop("font-size", None)
        else:
            axis.labelStyle["font-size"] = size
        axis.setTextPen(colors.foreground)  # also redraws the axis title with the style above
    for text in plot.scene().items():
        # Notes on a filled box are read like the legend; bare labels keep their own colour.
        if isinstance(text, pg.TextItem) and text.fill.style() != Qt.BrushStyle.NoBrush:
            text.fill = pg.mkBrush(colors.legend)
            text.setColor(colors.foreground)
    legend = item.legend
    if legend is not None:
        legend.setBrush(colors.legend)
        legend.setLabelTextColor(colors.foreground)
        legend.setLabelTextSize(size or "9pt")  # 9pt: pyqtgraph's own default
        for _sample, label in legend.items:
            label.setText(label.text)  # the new colour and size take effect on the next text
