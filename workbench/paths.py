"""Where Workbench keeps its data (run history, autosaved runs). No Qt, no torch.

``WORKBENCH_DATA_DIR`` wins when set; else, when ``WORKBENCH_SETTINGS_DIR`` names a private
settings folder (a portable profile, or the tests), the data lives next to those settings; else
the platform's user data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "WORKBENCH_DATA_DIR"
SETTINGS_DIR_ENV = "WORKBENCH_SETTINGS_DIR"
HISTORY_NAME = "history.sqlite3"


def data_dir() -> Path:
    """The folder for Workbench's data; it may not exist yet."""
    for name in (DATA_DIR_ENV, SETTINGS_DIR_ENV):
        folder = os.environ.get(name)
        if folder:
            return Path(folder)
    import platformdirs  # only needed for the default location

    return Path(platformdirs.user_data_dir("Workbench", appauthor=False))


def history_path() -> Path:
    """The run-history database."""
    return data_dir() / HISTORY_NAME
