"""Features that plug into the main window.

Each module here has ``install(window) -> object``: it adds its tabs, menu entries and signal
connections to a :class:`~workbench.ui.main_window.MainWindow` and returns its main object, which
the window keeps in ``window.features[name]``. A feature places its views through the window's
slots only (``add_tab``, ``add_side_view`` beside the plots, ``add_header_view`` above them,
``add_menu_actions``) and listens to its signals (``run_started``, ``run_finished``,
``run_failed``, ``run_state_changed``, ``model_changed``, ``data_changed``,
``shutting_down``); it never touches the window's layouts. Importing a feature module must stay cheap (no
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
    from workbench.ui.features.cnn_view import install as install_cnn_view
    from workbench.ui.features.data_view import install as install_data_view

    return {"explanations": explanations.install, "live_views": live_views.install,
            "cnn_view": install_cnn_view,
            "data_view": install_data_view,
            "evaluation": evaluation.install, "history": history.install,
            "outcome": outcome.install, "pacing": pacing.install}
