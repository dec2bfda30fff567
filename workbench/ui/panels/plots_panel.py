"""The centre of the window: both live plots, the smoothing slider, log scale, hover readouts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.plots import EpochPlot, IterationPlot
from workbench.ui.widgets import name_widget


class PlotReadout(QLabel):
    """The line under a plot: the values at the mouse, or a hint while nothing is pointed at.

    Always one line (a second one would shrink the plot above it while the mouse moves), and
    never wider than it is given: of the hints, the longest that fits is shown, and a read-out
    still too long is cut short with "..." and given whole in its tooltip. It holds no width of
    its own, so a narrow window stays narrow.
    """

    def __init__(self, hints: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hints = hints  # longest first
        self._text = ""
        self.setTextFormat(Qt.PlainText)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.setStyleSheet("color: palette(placeholder-text);")
        self.setContentsMargins(6, 0, 6, 0)
        self.setMinimumWidth(1)
        self._fit()

    @property
    def full_text(self) -> str:
        """What the read-out says before it is fitted: the values, or the longest hint."""
        return self._text or self._hints[0]

    def show_values(self, text: str) -> None:
        """The values at the mouse; "" brings the hint back."""
        self._text = text
        self._fit()

    def minimumSizeHint(self) -> QSize:
        return QSize(1, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        room = self.contentsRect().width()
        metrics = self.fontMetrics()
        candidates = [self._text] if self._text else self._hints
        shown = next((t for t in candidates if metrics.horizontalAdvance(t) <= room), None)
        if shown is None:
            shown = metrics.elidedText(candidates[-1], Qt.ElideRight, max(room, 0))
        self.setToolTip("" if shown == self.full_text else self.full_text)
        if shown != self.text():
            self.setText(shown)


class PlotsPanel(QWidget):
    """Owns the two plots and their controls; data goes straight to the plots."""

    smoothing_changed = Signal(float)
    log_scale_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.iteration_plot = IterationPlot()
        self.epoch_plot = EpochPlot()
        self.smoothing_slider = name_widget(QSlider(Qt.Horizontal), "smoothingSlider",
                                            self.tr("Smoothing"))
        self.smoothing_slider.setRange(0, 99)
        self.smoothing_slider.setValue(60)
        self.smoothing_slider.setMaximumWidth(220)
        self.smoothing_slider.setToolTip(self.tr(
            "Weight of the exponential moving average drawn over the loss of each iteration "
            "(0 = off, 0.99 = very smooth)."))
        self.smoothing_value = QLabel("0.60")
        self._fit_smoothing_value()
        self.log_check = name_widget(QCheckBox(self.tr("Log scale")), "logScaleCheck",
                                     self.tr("Logarithmic loss axis"))
        # Longest first: the read-out shows the longest that fits its width.
        hints = [self.tr("Point at a curve to read its values; right-click a plot to save "
                         "it as PNG or CSV; drag or scroll to zoom."),
                 self.tr("Point at a curve to read its values; right-click to save; scroll "
                         "to zoom."),
                 self.tr("Point at a curve to read its values."),
                 self.tr("Point at a curve.")]
        self.iteration_readout = PlotReadout(hints)
        self.iteration_readout.setObjectName("iterationReadout")
        self.epoch_readout = PlotReadout(hints)
        self.epoch_readout.setObjectName("epochReadout")

        tools = QHBoxLayout()
        tools.setContentsMargins(6, 2, 6, 0)
        title = QLabel(self.tr("<b>Loss per iteration</b>"))
        tools.addWidget(title)
        tools.addStretch(1)
        tools.addWidget(QLabel(self.tr("Smoothing")))
        tools.addWidget(self.smoothing_slider)
        tools.addWidget(self.smoothing_value)
        tools.addSpacing(12)
        tools.addWidget(self.log_check)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(2)
        top_layout.addLayout(tools)
        top_layout.addWidget(self.iteration_plot, 1)
        top_layout.addWidget(self.iteration_readout)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.setSpacing(2)
        heading = QLabel(self.tr("<b>Per epoch</b>: mean training loss, validation loss and "
                                 "accuracy"))
        heading.setContentsMargins(6, 4, 6, 0)
        bottom_layout.addWidget(heading)
        bottom_layout.addWidget(self.epoch_plot, 1)
        bottom_layout.addWidget(self.epoch_readout)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.setObjectName("plotsSplitter")
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.smoothing_slider.valueChanged.connect(self._on_smoothing_slider_changed)
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.iteration_plot.hover_text_changed.connect(self._on_iteration_hover)
        self.epoch_plot.hover_text_changed.connect(self._on_epoch_hover)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_smoothing_value()  # presentation mode's larger type needs more room

    def _fit_smoothing_value(self) -> None:
        label = self.smoothing_value
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance("0.00") + 4)

    def clear(self) -> None:
        """Nothing of any run: both plots empty, no read-out of their old values."""
        for plot in (self.iteration_plot, self.epoch_plot):
            plot.reset()
            plot.clear_view()

    def set_smoothing(self, weight: float) -> None:
        self.smoothing_slider.setValue(round(weight * 100))
        self.iteration_plot.set_smoothing(self.smoothing_slider.value() / 100)

    def set_log_scale(self, on: bool) -> None:
        self.log_check.setChecked(on)

    def _on_smoothing_slider_changed(self, value: int) -> None:
        weight = value / 100
        self.smoothing_value.setText(f"{weight:.2f}")
        self.iteration_plot.set_smoothing(weight)
        self.smoothing_changed.emit(weight)

    def _on_log_check_toggled(self, on: bool) -> None:
        self.iteration_plot.set_log_y(on)
        self.epoch_plot.set_log_y(on)
        self.log_scale_changed.emit(on)

    def _on_iteration_hover(self, text: str) -> None:
        self.iteration_readout.show_values(text)

    def _on_epoch_hover(self, text: str) -> None:
        self.epoch_readout.show_values(text)
