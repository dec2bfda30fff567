"""Features that plug into the main window.

Each module here has ``install(window) -> object``: it adds its tabs, menu entries and signal
connections to a :class:`~workbench.ui.main_window.MainWindow` and returns its main object, which
the window keeps in ``window.features[name]``. Importing a feature module must stay cheap (no
torch at import time): the window's start-up time depends on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def installers() -> dict[str, Callable[[MainWindow], object]]:
    """The features in the order they are installed (the form's explanations first)."""
    from workbench.ui import outcome
    from workbench.ui.features import evaluation, explanations, history, live_views, pacing

    return {"explanations": explanations.install, "live_views": live_views.install,
            "evaluation": evaluation.install, "history": history.install,
            "outcome": outcome.install, "pacing": pacing.install}
