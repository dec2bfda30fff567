"""The window on its screen: presentation mode is real full screen, and leaving it puts the
window back as it was (maximised or at its size), kept on its screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from workbench.ui.widgets import release_steady_size
from workbench.ui.window_layout import fit_to_screen

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

# The form column's share of a full-screen window at most, when presentation mode widens it.
FORM_SHARE_MAX = 0.4


class ScreenModes(QObject):
    """Follows the View menu's presentation mode with full screen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._was_maximized = False

    def follow(self, presentation_action: object) -> None:
        """Full screen while ``presentation_action`` (a checkable QAction) is checked."""
        toggled = getattr(presentation_action, "toggled", None)
        if toggled is not None:
            toggled.connect(self.set_full_screen)

    def set_full_screen(self, on: bool) -> None:
        w = self._window
        release_held_sizes(w)
        if on and not w.isFullScreen():
            self._was_maximized = w.isMaximized()
            w.showFullScreen()
        elif not on and w.isFullScreen():
            if self._was_maximized:
                w.showMaximized()
            else:
                w.showNormal()
                QTimer.singleShot(0, lambda: fit_to_screen(w))
        # The new type reaches the form through posted events: size its column after them.
        QTimer.singleShot(0, self._fit_form_column)

    def _fit_form_column(self) -> None:
        """The form column as wide as the form asks (up to a share of the window), so larger
        type does not make it scroll sideways when there is room."""
        w = self._window
        splitter = w.splitter
        sizes = splitter.sizes()
        total = sum(sizes)
        if total <= 0 or len(sizes) != 2:
            return
        scroll = w.window_layout.form_scroll
        wanted = (w.form.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
                  + 2 * scroll.frameWidth())
        wanted = max(splitter.widget(0).minimumWidth(),
                     min(wanted, int(total * FORM_SHARE_MAX)))
        if wanted != sizes[0]:
            splitter.setSizes([wanted, total - wanted])


def release_held_sizes(window: QWidget) -> None:
    """Let go of the sizes that live captions hold while their text fits (``set_steady_text``):
    they were measured in the old font and window and would keep the window that wide."""
    for label in window.findChildren(QLabel):
        if label.wordWrap() and label.minimumWidth() > 0 and (
                label.minimumWidth() == label.maximumWidth()):
            release_steady_size(label)
