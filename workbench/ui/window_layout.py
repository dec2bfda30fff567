"""Where things sit in the main window, and the small interface features place their views by.

The window is a splitter: the form (scrolling, never squeezed) with the run controls under it on
the left, the tabs on the right. The first tab, Training, holds the concept panel, then any
header views (a run's outcome, say), then the plots with an optional column of side views beside
them. Features never reach into these layouts: they call ``add_tab``, ``add_side_view``,
``add_header_view`` and ``add_menu_actions`` on the window, which ends up here. The window's
geometry is restored (and kept on its screen) and saved here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from workbench.ui.settings import Settings

# The form column's least width: narrower than the form, which scrolls sideways below its own
# width; with the tabs' least width it keeps the window within a 1024-pixel screen.
FORM_COLUMN_MIN_WIDTH = 330
# The side views' share of the plots' row when they first show.
SIDE_SHARE = 0.36


class WindowLayout(QObject):
    """Builds the window's central widget and places the views features add to it."""

    def __init__(self, parent: QWidget, form: QWidget, run_controls: QWidget,
                 concept_panel: QWidget, plots: QWidget) -> None:
        super().__init__(parent)
        # The form scrolls (both ways) rather than squeezing its fields: the column may be
        # narrower than the form so that the window fits a 1024-pixel screen.
        self.form_scroll = QScrollArea()
        self.form_scroll.setObjectName("formScrollArea")
        self.form_scroll.setWidget(form)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        # The run controls likewise: never cut, scrolled sideways in the narrowest window.
        self.controls_scroll = _SidewaysScrollArea(run_controls)
        self.controls_scroll.setObjectName("runControlsScrollArea")
        left = QWidget()
        left.setObjectName("formColumn")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.form_scroll, 1)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        line.setFrameShadow(QFrame.Sunken)
        left_layout.addWidget(line)
        left_layout.addWidget(self.controls_scroll)
        left.setMinimumWidth(FORM_COLUMN_MIN_WIDTH)
        self.left = left

        self.tabs = QTabWidget()
        self.tabs.setObjectName("centreTabs")
        self.tabs.setUsesScrollButtons(True)
        # The concept panel sits above the plots: the arithmetic next to the curves it explains.
        self.training_tab = QWidget()
        self.training_tab.setObjectName("trainingTab")
        self.training_layout = QVBoxLayout(self.training_tab)
        self.training_layout.setContentsMargins(4, 4, 4, 0)
        self.training_layout.setSpacing(4)
        self.training_layout.addWidget(concept_panel)
        self._header_index = 1  # where the next header view goes: under the earlier ones
        self.plots_splitter = QSplitter(Qt.Horizontal)
        self.plots_splitter.setObjectName("trainingViewsSplitter")
        self.plots_splitter.setChildrenCollapsible(False)
        self.plots_splitter.addWidget(plots)
        self.plots_splitter.setStretchFactor(0, 2)
        self.training_layout.addWidget(self.plots_splitter, 1)
        self._first_side: QWidget | None = None

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

    # -- the slots -----------------------------------------------------------------------------
    def add_tab(self, widget: QWidget, title: str, index: int | None = None) -> int:
        """A tab of its own; ``index`` None puts it last. Returns its index."""
        if index is None:
            return self.tabs.addTab(widget, title)
        return self.tabs.insertTab(index, widget, title)

    def add_header_view(self, widget: QWidget) -> None:
        """A view across the Training tab above the plots (under earlier header views)."""
        self.training_layout.insertWidget(self._header_index, widget)
        self._header_index += 1

    def add_side_view(self, widget: QWidget, title: str, stretch: int = 1) -> None:
        """A view beside the plots on the Training tab (right of earlier ones); hiding the
        widget gives its room back to the plots."""
        widget.setAccessibleName(title)
        holder = _SideScrollArea(widget)
        self.plots_splitter.addWidget(holder)
        self.plots_splitter.setStretchFactor(self.plots_splitter.count() - 1, stretch)
        if self._first_side is None:
            self._first_side = holder
            holder.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # At the first show the row has its real width: give the side views their share once.
        if watched is self._first_side and event.type() == QEvent.Type.Show:
            sizes = self.plots_splitter.sizes()
            total = sum(sizes)
            if total > 0:
                watched.removeEventFilter(self)
                sides = len(sizes) - 1
                right = int(total * SIDE_SHARE)
                self.plots_splitter.setSizes([total - right] + [right // sides] * sides)
        return False


class _SideScrollArea(QScrollArea):
    """Holds a side view at its full width; on a short screen (presentation mode at 1366x768)
    it scrolls up and down instead of squeezing the view's pictures and captions into each
    other. Shown and hidden with the view it holds."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.setObjectName(f"{widget.objectName() or 'sideView'}Scroll")
        # Hidden on purpose (a view shown only for some models), not merely never shown yet.
        hidden = widget.isHidden() and widget.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        self.setWidget(widget)  # (which shows it)
        widget.setHidden(hidden)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setVisible(not hidden)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget():
            if event.type() == QEvent.Type.ShowToParent:
                self.setVisible(True)
            elif event.type() == QEvent.Type.HideToParent:
                self.setVisible(False)
        return False

    def minimumSizeHint(self) -> QSize:
        return QSize(self.widget().minimumSizeHint().width()
                     + self.verticalScrollBar().sizeHint().width(), 0)

    def sizeHint(self) -> QSize:
        return self.widget().sizeHint()


class _SidewaysScrollArea(QScrollArea):
    """Holds one row of controls at its natural height; below its natural width it scrolls
    sideways (and grows by the scroll bar) instead of squeezing the controls."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.setWidget(widget)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)

    def sizeHint(self) -> QSize:
        hint = self.widget().sizeHint()
        return QSize(hint.width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._height())

    def _height(self) -> int:
        height = self.widget().sizeHint().height()
        if self.widget().minimumSizeHint().width() > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        return height

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.height() != self._height():
            self.updateGeometry()


def add_menu_actions(menu: QMenu, items: Iterable[QAction | QMenu],
                     separator: bool = True) -> None:
    """Actions (or submenus) at the end of ``menu``, after a separator unless told not to."""
    if separator and not menu.isEmpty():
        menu.addSeparator()
    for item in items:
        if isinstance(item, QMenu):
            menu.addMenu(item)
        else:
            menu.addAction(item)


def restore_geometry(window: QMainWindow, settings: Settings) -> None:
    """The window's size, position and splitter as they were, kept on the screen it opens on
    (a window saved on a larger screen shrinks to fit this one)."""
    geometry = settings.geometry()
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(1360, 860)
    state = settings.window_state()
    if state is not None:
        window.restoreState(state)
    splitter: QSplitter = window.centralWidget()
    sizes = settings.splitter()
    if sizes is None or not splitter.restoreState(sizes):
        splitter.setSizes([380, 980])
    fit_to_screen(window)


def fit_to_screen(window: QWidget) -> None:
    """Shrink and move a normal (not maximised, not full-screen) window into its screen's
    available area."""
    if window.isFullScreen() or window.isMaximized():
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, 1), max(height, 1))
    x = min(max(frame.x(), area.x()), area.right() + 1 - window.frameGeometry().width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - window.frameGeometry().height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.x()), max(y, area.y()))


def save_geometry(window: QMainWindow, settings: Settings) -> None:
    settings.set_window(window.saveGeometry(), window.saveState(),
                        window.centralWidget().saveState())
