"""Features that plug into the main window.

Each module here has ``install(window) -> object``: it adds its tabs, menu entries and signal
connections to a :class:`~workbench.ui.main_window.MainWindow` and returns its main object, which
the window keeps in ``window.features[name]``. Importing a feature module must stay cheap (no
torch at import time): the window's start-up time depends on it.
"""

FEATURES = ("explanations", "live_views", "evaluation", "history")
