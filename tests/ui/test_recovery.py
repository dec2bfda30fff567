"""Autosave and recovery: a run killed mid-way is offered on the next start, and recovers."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from workbench.paths import DATA_DIR_ENV
from workbench.ui.autosave import CHECKPOINT_NAME, abandoned_runs, runs_dir

RUN_TIMEOUT = 60_000  # ms
ROOT = Path(__file__).resolve().parents[2]

_TRAIN_UNTIL_KILLED = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from workbench.config import TrainConfig
    from workbench.ui.app import application, create_window

    app = application()
    cfg = TrainConfig().with_changes(data={"samples": 2000},
                                     run={"epochs": 500, "batch_size": 32, "device": "cpu"})
    window = create_window(config=cfg)
    window.show()
    told = False

    def poll():
        global told
        if not window.controller.is_active and not told:
            if not window.start_training():
                sys.exit(4)
        elif len(window.epoch_plot) >= 2 and not told:
            told = True
            print("READY", flush=True)  # the parent kills this process now
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    QTimer.singleShot(90_000, lambda: app.exit(3))
    sys.exit(app.exec())
""")


def _recovery_box(window) -> QMessageBox | None:
    for box in window.findChildren(QMessageBox):
        if box.isVisible() and box.objectName() == "recoverBox":
            return box
    return None


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_run_killed_mid_way_is_offered_and_recovers(qtbot, make_window, data_dir: Path,
                                                    tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", DATA_DIR_ENV: str(data_dir),
           "WORKBENCH_SETTINGS_DIR": str(tmp_path / "child-settings")}
    child = subprocess.Popen([sys.executable, "-c", _TRAIN_UNTIL_KILLED], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()  # blocks until two epochs are done (or the child ends)
        assert line.strip() == "READY", child.stderr.read() if child.poll() is not None else line
        # While the child lives its run is active, not abandoned: nothing to offer yet.
        assert abandoned_runs() == []
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    runs = abandoned_runs()
    assert len(runs) == 1
    checkpoint = runs[0] / CHECKPOINT_NAME
    # The checkpoint written at an epoch end is a whole, loadable model file.
    from workbench.core.modelfile import load_model

    assert load_model(checkpoint).config.run.epochs == 500

    window = make_window(None)
    qtbot.waitUntil(lambda: _recovery_box(window) is not None, timeout=10_000)
    box = _recovery_box(window)
    assert "in progress" in box.text()
    assert window.model is None
    recover = box.findChild(QPushButton, "recoverButton")
    # The evaluation, live views and history hear of the recovered model as of an opened one.
    with qtbot.waitSignal(window.model_changed, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(recover, Qt.LeftButton)
    assert window.model.config.data.samples == 2000
    assert window.form.config().run.epochs == 500
    assert window.isWindowModified()  # recovered, not yet saved
    assert "Recovered the model from epoch" in window.statusBar().currentMessage()
    assert not runs[0].exists() and abandoned_runs() == []
    assert window.save_model_to(tmp_path / "recovered.wbm")
    assert window.run_controls.start_button.isEnabled()


def _abandon_a_run(qtbot, make_window, tiny_config) -> Path:
    """A run folder as a killed process leaves it: made by a real run, then copied back."""
    window = make_window(tiny_config(epochs=2000))
    assert window.start_training()
    folder = window._run_folder.path
    qtbot.waitUntil(lambda: len(window.epoch_plot) >= 2, timeout=RUN_TIMEOUT)
    kept = folder.parent.parent / "kept"
    shutil.copytree(folder, kept)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        window.stop_training()
    assert not folder.exists()  # a run that ends in the process removes its autosave
    window.close()
    (kept / "run.lock").unlink(missing_ok=True)
    shutil.move(kept, folder)
    return folder


def test_discard_and_later(qtbot, make_window, tiny_config, data_dir: Path) -> None:
    folder = _abandon_a_run(qtbot, make_window, tiny_config)
    later = make_window(None)
    qtbot.waitUntil(lambda: _recovery_box(later) is not None, timeout=10_000)
    qtbot.mouseClick(_recovery_box(later).findChild(QPushButton, "laterButton"), Qt.LeftButton)
    qtbot.wait(20)
    assert folder.exists() and later.model is None
    later.close()
    discard = make_window(None)
    qtbot.waitUntil(lambda: _recovery_box(discard) is not None, timeout=10_000)
    qtbot.mouseClick(_recovery_box(discard).findChild(QPushButton, "discardButton"),
                     Qt.LeftButton)
    qtbot.waitUntil(lambda: not folder.exists(), timeout=5_000)
    assert discard.model is None
    assert abandoned_runs() == []


def test_finished_run_leaves_nothing_and_nothing_is_offered(qtbot, make_window, tiny_config,
                                                            data_dir: Path) -> None:
    window = make_window(tiny_config(epochs=2))
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        assert window.start_training()
    assert runs_dir() == data_dir / "runs"
    assert list(runs_dir().iterdir()) == []
    second = make_window(None)
    qtbot.wait(50)
    assert _recovery_box(second) is None


def test_a_folder_without_a_checkpoint_is_cleared(data_dir: Path) -> None:
    empty = runs_dir() / "20260101-000000"
    empty.mkdir(parents=True)
    assert abandoned_runs() == []
    assert empty.exists()  # it may be a run being set up in another process
    old = time.time() - 3600
    os.utime(empty, (old, old))
    assert abandoned_runs() == []
    assert not empty.exists()
