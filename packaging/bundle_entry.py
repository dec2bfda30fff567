"""The program PyInstaller freezes into the bundle's ``Workbench`` and ``workbench-cli``.

Both run ``workbench.cli.main``: no arguments open the window, sub-commands work as the
``workbench`` command does. One hidden flag exists only here, for checking a freshly built
bundle without a display::

    QT_QPA_PLATFORM=offscreen Workbench --smoke-test

opens the window, trains the spiral for two epochs through the window's own training thread,
checks that the translations, the icon and the export template came along, and exits with 0
when all of that worked.
"""

from __future__ import annotations

import os
import sys
import tempfile

SMOKE_FLAG = "--smoke-test"
SMOKE_TIMEOUT_MS = 120_000


def _missing_package_data() -> list[str]:
    """Package files the frozen program would lack if the spec forgot to collect them."""
    from importlib import resources

    from PySide6.QtCore import QCoreApplication

    from workbench.ui.app import ICON_PATH, install_translations

    missing = []
    app = QCoreApplication.instance()
    if not install_translations(app, "zh_CN"):
        missing.append("translations (.qm)")
    install_translations(app, "en")
    if not ICON_PATH.is_file():
        missing.append(f"icon {ICON_PATH.name}")
    template = resources.files("workbench.templates").joinpath("train_script.py")
    if not template.is_file():
        missing.append("export template train_script.py")
    return missing


def smoke_test() -> int:
    """Train a few iterations in the real window, offscreen; 0 when it worked."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A throw-away settings folder: the check must not change a person's saved settings.
    os.environ["WORKBENCH_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="workbench-smoke-")
    from PySide6.QtCore import QTimer

    from workbench.config import TrainConfig
    from workbench.ui.app import application, create_window

    app = application()
    missing = _missing_package_data()
    config = TrainConfig().with_changes(data={"samples": 200},
                                        run={"epochs": 2, "batch_size": 32, "device": "cpu"})
    window = create_window(config=config)
    received = [0]
    window.controller.iterations_received.connect(
        lambda _first, losses: received.__setitem__(0, received[0] + len(losses)))
    window.controller.run_finished.connect(lambda _event: app.exit(0))
    window.controller.run_failed.connect(lambda event: (print(event.message), app.exit(1)))

    def start_when_ready() -> None:
        # The device list is filled in the background after the window shows.
        if not window.form.device_panel.detected:
            QTimer.singleShot(50, start_when_ready)
        elif not window.start_training():
            app.exit(1)

    window.show()
    QTimer.singleShot(0, start_when_ready)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(2))
    status = app.exec()
    window.close()
    if missing:
        print("missing from the bundle: " + ", ".join(missing))
        status = status or 3
    print(f"smoke test: {received[0]} iterations trained in the window, status {status}")
    return status


def run() -> int:
    if sys.argv[1:] == [SMOKE_FLAG]:
        return smoke_test()
    from workbench.cli import main

    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(run())
