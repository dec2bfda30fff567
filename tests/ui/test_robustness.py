"""Faults during a run, seen from the window: a crashing training step, running out of GPU
memory, closing mid-epoch, and a second Start while a run is active."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from workbench.logging_setup import (
    LOG_DIR_ENV,
    LOG_FILE_NAME,
    configure_logging,
    unconfigure_logging,
)
from workbench.ui import dialogs
from workbench.ui.training import RunState

RUN_TIMEOUT = 60_000  # ms; the first run in a process also imports torch
ROOT = Path(__file__).resolve().parents[2]


def _fail_on_forward_call(monkeypatch: pytest.MonkeyPatch, make_error: Callable[[], Exception],
                          call: int = 5) -> None:
    """Models built by the engine raise ``make_error()`` on their ``call``-th forward pass.

    Only the first model built is armed, so a second run (after the failure) trains normally.
    """
    from workbench.core import engine

    real_build = engine.build_model
    armed = [True]

    def build(*args: object, **kwargs: object):
        model = real_build(*args, **kwargs)
        if not armed[0]:
            return model
        armed[0] = False
        real_forward = model.forward
        calls = [0]

        def forward(*f_args: object, **f_kwargs: object):
            calls[0] += 1
            if calls[0] == call:
                raise make_error()
            return real_forward(*f_args, **f_kwargs)

        model.forward = forward  # an instance attribute: nn.Module.__call__ uses it
        return model

    monkeypatch.setattr(engine, "build_model", build)


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The app's log file, in a temporary folder, for the length of one test."""
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    unconfigure_logging()  # another test may have configured it elsewhere
    path = configure_logging()
    assert path == tmp_path / "logs" / LOG_FILE_NAME
    yield path
    unconfigure_logging()


def test_exception_in_a_training_step_is_logged_and_start_works_again(
        qtbot, make_window, tiny_config, monkeypatch, log_file, message_boxes,
        close_message_boxes) -> None:
    _fail_on_forward_call(monkeypatch, lambda: RuntimeError("injected step failure"))
    shown: list[object] = []
    real_show = dialogs.show_run_failed

    def spy(parent, failed, *args, **kwargs):
        shown.append(failed)
        return real_show(parent, failed, *args, **kwargs)

    monkeypatch.setattr(dialogs, "show_run_failed", spy)
    window = make_window(tiny_config(epochs=3))
    with qtbot.waitSignal(window.controller.run_failed, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    failed = blocker.args[0]
    assert failed.kind == "error" and "injected step failure" in failed.message
    assert shown == [failed]
    qtbot.waitUntil(lambda: bool(message_boxes(window)))
    box = message_boxes(window)[0]
    on_screen = box.text() + box.informativeText()
    assert "injected step failure" in on_screen
    assert "Traceback" not in on_screen and 'File "' not in on_screen
    close_message_boxes(window)
    # The worker thread has ended and the window is idle again.
    assert window.controller.state == RunState.IDLE
    assert window.run_controls.start_button.isEnabled()
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)
    assert blocker.args[0].epochs_completed == 3
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: injected step failure" in text


def test_log_file_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from workbench import logging_setup

    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path))
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 10_000)
    unconfigure_logging()
    try:
        path = configure_logging()
        assert configure_logging() == path  # once only: no second handler
        logger = logging.getLogger("workbench.test")
        for i in range(2_000):
            logger.info("line %d %s", i, "x" * 40)
    finally:
        unconfigure_logging()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [LOG_FILE_NAME, *(f"{LOG_FILE_NAME}.{i}" for i in (1, 2, 3))]
    assert all(p.stat().st_size <= 10_000 for p in tmp_path.iterdir())


def test_out_of_memory_offers_a_retry_at_half_the_batch_size(
        qtbot, make_window, tiny_config, monkeypatch, message_boxes) -> None:
    import torch

    _fail_on_forward_call(monkeypatch, lambda: torch.cuda.OutOfMemoryError(
        "CUDA out of memory. Tried to allocate 2.00 GiB"))
    window = make_window(tiny_config(epochs=2, batch_size=32))
    with qtbot.waitSignal(window.controller.run_failed, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    failed = blocker.args[0]
    assert failed.kind == "oom" and failed.retry_batch_size == 16
    qtbot.waitUntil(lambda: bool(message_boxes(window)))
    box = message_boxes(window)[0]
    assert "32" in box.text()
    retry = box.findChild(QPushButton, "retryButton")
    assert retry is not None and retry.text() == "Retry with batch size 16"
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        qtbot.mouseClick(retry, Qt.LeftButton)
    assert window.form.config().run.batch_size == 16
    assert blocker.args[0].epochs_completed == 2
    assert not message_boxes(window)


def test_other_runtime_errors_offer_no_retry(qtbot, make_window, tiny_config, monkeypatch,
                                            message_boxes, close_message_boxes) -> None:
    _fail_on_forward_call(monkeypatch, lambda: RuntimeError("CUDA error: device-side assert"))
    window = make_window(tiny_config(epochs=2))
    with qtbot.waitSignal(window.controller.run_failed, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    assert blocker.args[0].kind == "error" and blocker.args[0].retry_batch_size is None
    qtbot.waitUntil(lambda: bool(message_boxes(window)))
    assert message_boxes(window)[0].findChild(QPushButton, "retryButton") is None
    close_message_boxes(window)


def test_second_start_while_a_run_is_active_is_impossible(qtbot, make_window,
                                                         tiny_config) -> None:
    window = make_window(tiny_config(epochs=5000))
    assert window.start_training()
    qtbot.waitUntil(lambda: len(window.iteration_plot) > 5, timeout=RUN_TIMEOUT)
    controller = window.controller
    thread = controller._thread
    assert not window.run_controls.start_button.isEnabled()
    assert not window.start_action.isEnabled()
    assert window.start_training() is False
    qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)
    window.start_action.trigger()
    with pytest.raises(RuntimeError):
        controller.start(window.form.config())
    assert controller._thread is thread  # still the one run
    with qtbot.waitSignal(controller.run_finished, timeout=RUN_TIMEOUT):
        window.stop_training()
    assert window.run_controls.start_button.isEnabled()


_CLOSE_MID_EPOCH = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox
    from workbench.config import TrainConfig
    from workbench.ui import dialogs
    from workbench.ui.app import application, create_window

    # Closing mid-run asks Save / Discard / Cancel first; this is about what Discard does.
    dialogs.ask_save_changes = lambda *args: QMessageBox.StandardButton.Discard
    app = application()
    # 2,000 samples, batch 32: 50 iterations an epoch, so the close lands inside an epoch.
    cfg = TrainConfig().with_changes(data={"samples": 2000},
                                     run={"epochs": 500, "batch_size": 32, "device": "cpu"})
    window = create_window(config=cfg)
    window.show()

    def poll():
        if not window.controller.is_active:
            if not window.start_training():
                sys.exit(4)
        elif len(window.iteration_plot) > 20:
            print("closing at iteration", len(window.iteration_plot), flush=True)
            window.close()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    QTimer.singleShot(90_000, lambda: app.exit(3))  # never hang the test suite
    sys.exit(app.exec())
""")


def test_closing_mid_epoch_in_a_child_process_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "WORKBENCH_SETTINGS_DIR": str(tmp_path / "settings"),
           LOG_DIR_ENV: str(tmp_path / "logs")}
    out = subprocess.run([sys.executable, "-c", _CLOSE_MID_EPOCH], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert "closing at iteration" in out.stdout
    assert "QThread: Destroyed while thread is still running" not in out.stderr
    noise = ("propagateSizeHints",)  # offscreen Qt says this about every window
    lines = [line for line in out.stderr.splitlines()
             if line.strip() and not any(n in line for n in noise)]
    assert not lines, out.stderr
