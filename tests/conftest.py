"""Shared test set-up.

Kept light for the core and CLI tests: nothing here imports Qt unless a test uses ``qtbot`` or
``qapp``. For those, every test starts from default settings in a temporary folder and fails if
it leaves a QThread running or a QTimer active (as napari's test suite does).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Before any QApplication exists: no display needed, in CI or on a desktop.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SETTINGS_DIR_ENV = "WORKBENCH_SETTINGS_DIR"


@pytest.fixture(scope="session", autouse=True)
def _private_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test (nor a subprocess it starts) reads or writes a person's real settings."""
    previous = os.environ.get(SETTINGS_DIR_ENV)
    os.environ[SETTINGS_DIR_ENV] = str(tmp_path_factory.mktemp("settings"))
    # Logs and autosaved runs of the tests (and of the commands they start) stay private too.
    os.environ.setdefault("WORKBENCH_LOG_DIR", str(tmp_path_factory.mktemp("logs")))
    yield
    if previous is None:
        os.environ.pop(SETTINGS_DIR_ENV, None)
    else:
        os.environ[SETTINGS_DIR_ENV] = previous


def _uses_qt(request: pytest.FixtureRequest) -> bool:
    return bool({"qtbot", "qapp"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _qt_hygiene(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For Qt tests: fresh default settings, and no QThread or QTimer left running."""
    if not _uses_qt(request):
        yield
        return
    from PySide6.QtCore import QThread, QTimer
    from PySide6.QtWidgets import QApplication

    from workbench.ui.collector import TIMER_NAME as APPLICATION_TIMER

    monkeypatch.setenv(SETTINGS_DIR_ENV, str(tmp_path_factory.mktemp("qt-settings")))
    threads: dict[int, QThread] = {}
    timers: dict[int, QTimer] = {}
    thread_start, timer_start = QThread.start, QTimer.start

    def tracked_thread_start(self: QThread, *args: object) -> None:
        threads[id(self)] = self
        thread_start(self, *args)

    def tracked_timer_start(self: QTimer, *args: object) -> None:
        if self.objectName() != APPLICATION_TIMER:  # lives as long as the application
            timers[id(self)] = self
        timer_start(self, *args)

    monkeypatch.setattr(QThread, "start", tracked_thread_start)
    monkeypatch.setattr(QTimer, "start", tracked_timer_start)
    yield
    app = QApplication.instance()
    if app is not None:
        app.processEvents()  # lets zero-interval single-shot timers fire

    def alive(check: object) -> bool:
        try:
            return bool(check())  # type: ignore[operator]
        except RuntimeError:  # the C++ object is already deleted: not running
            return False

    running = [t for t in threads.values() if alive(t.isRunning)]
    active = [t for t in timers.values() if alive(t.isActive)]
    for thread in running:  # leave the next test a clean process, then fail this one
        thread.quit()
        thread.wait(10_000)
    for timer in active:
        timer.stop()
    assert not running, f"{len(running)} QThread(s) still running after the test"
    assert not active, (f"{len(active)} QTimer(s) still active after the test: "
                        f"{[(t.objectName(), t.interval()) for t in active]}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False,
                     help="also run tests marked slow (bundle builds, torch.compile)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow") or os.environ.get("WORKBENCH_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
