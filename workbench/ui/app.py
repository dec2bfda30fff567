"""The application: QApplication set-up, translations, and the entry point that opens the window.

``main(argv)`` is what ``workbench`` (no sub-command) runs; ``create_window()`` builds the window
without entering the event loop, for tests and the benchmark. Neither imports torch: the window
is on screen before torch loads in the background.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.config import ConfigError, TrainConfig, load_toml
from workbench.logging_setup import configure_logging
from workbench.ui import collector
from workbench.ui.main_window import MainWindow
from workbench.ui.settings import APPLICATION, ORGANIZATION, Settings, resolve_language

log = logging.getLogger(__name__)

# The compiled translations ship inside the package, so an installed wheel finds them too.
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "translations"

# Reverse-DNS id: names the .desktop file and AppStream metadata (packaging/linux/), so that
# Wayland compositors and docks match the running window to its launcher and icon.
APP_ID = "io.github.workbench.Workbench"
# The window icon ships inside the package (package-data); packaging/make_icons.py writes it.
ICON_PATH = Path(__file__).resolve().parents[1] / "resources" / "icons" / "workbench.png"

# The translators in use, so that a later choice replaces them instead of stacking up.
_installed: list[QTranslator] = []


def install_translations(app: QCoreApplication, language: str) -> bool:
    """Translate the interface into ``language`` ("en" or "zh_CN"): Workbench's strings and Qt's
    own (standard dialog buttons). Returns False when Workbench's translation could not load."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    app.setProperty("workbenchLanguage", "en")
    if language == "en":
        return True  # the source strings are English
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        _installed.append(qt)
    ours = QTranslator(app)
    loaded = ours.load(f"workbench_{language}", str(TRANSLATIONS_DIR))
    if loaded:
        _installed.append(ours)
        app.setProperty("workbenchLanguage", language)
    else:
        log.warning("no %s translation in %s; the interface stays English", language,
                    TRANSLATIONS_DIR)
    for translator in _installed:
        app.installTranslator(translator)
    return loaded


def configure_application(app: QApplication) -> None:
    """Names (for QSettings), translations and plot defaults. Safe to call more than once."""
    if app.property("workbenchConfigured"):
        return
    app.setProperty("workbenchConfigured", True)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    icon = QIcon(str(ICON_PATH))
    if icon.isNull():
        log.warning("no application icon at %s", ICON_PATH)
    else:
        app.setWindowIcon(icon)
    install_translations(app, resolve_language())
    collector.install(app)  # cycles are collected on this thread, when it chooses
    # Plain lines are several times cheaper to paint than antialiased ones; live plots need it.
    pg.setConfigOptions(antialias=False, background="w", foreground=(60, 60, 60))


def application(argv: list[str] | None = None) -> QApplication:
    """The running QApplication, created (and configured) if there is none yet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "workbench", *(argv or [])])
    assert isinstance(app, QApplication)
    configure_application(app)
    return app


def create_window(config: TrainConfig | None = None, settings: Settings | None = None
                  ) -> MainWindow:
    """Build the main window (not shown, no event loop). Devices are detected once it is shown."""
    app = application()
    window = MainWindow(config=config, settings=settings)
    # Quitting the application by any path stops and joins a running training thread.
    app.aboutToQuit.connect(window.shutdown)
    return window


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="workbench", description=QCoreApplication.translate(
            "app", "Open the Workbench window."))
    parser.add_argument("path", nargs="?", help=QCoreApplication.translate(
        "app", "a model (.wbm) or run configuration (.toml) to open"))
    parser.add_argument("--config", metavar="FILE.toml", help=QCoreApplication.translate(
        "app", "start with the settings of this run configuration"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Open the window and run until it closes; returns the exit status."""
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    # First thing: anything that goes wrong from here on leaves its traceback in the log file.
    path = configure_logging()
    log.info("Workbench %s starting; log file %s", __version__, path)
    config = None
    config_error: ConfigError | None = None
    if args.config:
        try:
            config = load_toml(args.config)
        except ConfigError as exc:
            config_error = exc
    app = application()
    window = create_window(config=config)
    window.show()
    if config_error is not None:
        from workbench.ui import dialogs

        doing = QCoreApplication.translate("app", "reading {path}").format(path=args.config)
        QTimer.singleShot(0, lambda: dialogs.show_exception(window, config_error, doing))
    if args.path:
        QTimer.singleShot(0, lambda: window.open_path(args.path))
    return app.exec()
