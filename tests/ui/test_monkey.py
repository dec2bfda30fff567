"""A monkey test: a seeded random clicker presses Start/Pause/Stop, saves and opens models, changes
the data set and the epochs, in any order, as an impatient person would.

Nothing may escape as an exception, no wait may hang, and no thread may outlive the window. The
seed and the steps taken are printed when it fails, so a failure can be replayed.
"""

from __future__ import annotations

import faulthandler
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QFileDialog, QMessageBox

from workbench.config import SYNTHETIC_DATASETS
from workbench.ui.training import RunState

STEPS = 250
WATCHDOG_S = 120  # far beyond a normal run: only a deadlock gets here


@pytest.mark.parametrize("seed", [7, 2024])
def test_random_clicking_never_breaks_the_window(qtbot, make_window, tiny_config, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 seed: int) -> None:
    rng = random.Random(seed)
    window = make_window(tiny_config(epochs=2))
    saved: list[Path] = []
    garbage = tmp_path / "not-a-model.wbm"
    garbage.write_bytes(b"\x00" * 64)
    # The file dialogs answer at once: a new name to save to, or a file to open.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (
        str(tmp_path / f"model-{len(saved)}.wbm"), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (
        str(rng.choice([*saved, garbage])), ""))
    rc = window.run_controls
    form = window.form

    def click(button) -> Callable[[], None]:
        return lambda: qtbot.mouseClick(button, Qt.LeftButton)

    def save() -> None:
        if window.save_model_as_action.isEnabled():
            window.save_model_as_action.trigger()
            saved.append(Path(QFileDialog.getSaveFileName()[0]))

    def change_dataset() -> None:
        combo = form.data_panel.dataset_combo
        if combo.isEnabled():
            combo.setCurrentIndex(combo.findData(rng.choice(SYNTHETIC_DATASETS)))

    def edit_epochs() -> None:
        spin = form.training_panel.epochs_spin
        if spin.isEnabled():
            spin.setValue(rng.randint(1, 6))

    def toggle_continue() -> None:
        if rc.continue_check.isEnabled():
            rc.continue_check.setChecked(not rc.continue_check.isChecked())

    def dismiss_messages() -> None:
        for box in window.findChildren(QMessageBox):
            if box.isVisible():
                box.close()

    actions: list[tuple[str, Callable[[], None], int]] = [  # name, action, weight
        ("start", click(rc.start_button), 5),
        ("pause", click(rc.pause_button), 3),
        ("stop", click(rc.stop_button), 2),
        ("save", save, 2),
        ("open", window.open_model_action.trigger, 2),
        ("dataset", change_dataset, 2),
        ("epochs", edit_epochs, 2),
        ("continue", toggle_continue, 1),
        ("dismiss", dismiss_messages, 2),
    ]
    names = [a[0] for a in actions]
    weights = [a[2] for a in actions]
    steps: list[str] = []
    counts = {"started": 0, "ended": 0}

    def count(key: str) -> Callable[[object], None]:
        return lambda _event: counts.__setitem__(key, counts[key] + 1)

    window.controller.run_started.connect(count("started"))
    window.controller.run_finished.connect(count("ended"))
    window.controller.run_failed.connect(count("ended"))
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True)
    try:
        with qtbot.captureExceptions() as exceptions:
            for _ in range(STEPS):
                index = rng.choices(range(len(actions)), weights)[0]
                steps.append(names[index])
                actions[index][1]()
                qtbot.wait(rng.choice([0, 1, 5, 20, 50]))
                assert not exceptions, f"seed {seed}, steps {steps}"
            # The end: dismiss what is open, stop what runs, wait a bounded time for idle.
            dismiss_messages()
            if window.controller.is_active:
                if window.controller.state != RunState.STOPPING:
                    window.stop_training()
                qtbot.waitUntil(lambda: not window.controller.is_active, timeout=30_000)
            qtbot.wait(50)  # a retry or failure dialog queued by the last run
            dismiss_messages()
        assert not exceptions, f"seed {seed}, steps {steps}: {exceptions}"
    finally:
        faulthandler.cancel_dump_traceback_later()
    # Real runs happened, and each one that started was announced as ended exactly once.
    assert counts["started"] > 0 and counts["ended"] >= counts["started"], counts
    window.close()
    assert not any(t.isRunning() for t in window.findChildren(QThread))
