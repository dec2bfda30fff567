"""CSV files in the window, predicting rows and files, opening files from the command line."""

from __future__ import annotations

import csv
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from workbench.config import TrainConfig, save_toml
from workbench.ui.training import RunState

RUN_TIMEOUT = 60_000


def _write_csv(path: Path, rows: int = 120) -> Path:
    rng = np.random.default_rng(0)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["width", "height", "depth", "kind"])
        for _ in range(rows):
            w, h, d = rng.random(3) * 10
            writer.writerow([f"{w:.3f}", f"{h:.3f}", f"{d:.3f}", "tall" if h > w else "wide"])
    return path


def test_csv_target_picker_and_a_run(qtbot, make_window, tiny_config, tmp_path: Path) -> None:
    window = make_window(tiny_config(epochs=2))
    path = _write_csv(tmp_path / "shapes.csv")
    window.use_csv(path)
    panel = window.form.data_panel
    qtbot.waitUntil(lambda: panel.target_combo.count() == 4, timeout=RUN_TIMEOUT)
    assert panel.current_dataset() == "csv"
    assert panel.target_combo.currentText() == "kind"  # the last column by default
    cfg = window.form.config()
    assert cfg.data.csv_path == str(path) and cfg.data.target == "kind"
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=RUN_TIMEOUT)
    assert "tall" in panel.summary_label.text() and "wide" in panel.summary_label.text()
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        assert window.start_training()
    model = window.model
    assert model.class_names == ("tall", "wide") or set(model.class_names) == {"tall", "wide"}
    # a table row to predict: the Try tab holds one field per column of the file
    editor = window.predict_panel.row_editor
    assert editor.column_names() == ["width", "height", "depth"]
    editor.set_text("width", "1")
    editor.set_text("height", "9")
    editor.set_text("depth", "5")
    pred = window.predict_panel.last_prediction
    assert pred is not None and pred.proba.shape == (1, 2)
    assert "Probabilities" in window.predict_panel.result_label.text()
    # and a whole file
    out = tmp_path / "predictions.csv"
    assert window.predict_csv(path, out) == 120
    rows = list(csv.reader(out.open()))
    assert rows[0][0] == "prediction" and len(rows) == 121


def test_cancelled_file_choice_goes_back(qtbot, window, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    combo = window.form.data_panel.dataset_combo
    combo.setCurrentIndex(combo.findData("csv"))
    assert window.form.data_panel.current_dataset() == "spiral"


def test_bad_model_file_is_a_message_not_a_crash(qtbot, window, tmp_path: Path,
                                                 message_boxes, close_message_boxes) -> None:
    bad = tmp_path / "broken.wbm"
    bad.write_bytes(b"not a model at all")
    assert not window.open_model_path(bad)
    texts = close_message_boxes(window)
    assert texts and "broken.wbm" in texts[0]
    assert window.model is None


def test_early_stopping_marks_the_best_epoch(qtbot, make_window, tiny_config) -> None:
    cfg = tiny_config(epochs=300, patience=2).with_changes(optim={"lr": 0.05},
                                                           data={"noise": 0.6})
    window = make_window(cfg)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    finished = blocker.args[0]
    assert finished.reason == "early_stopped"
    assert window.epoch_plot.best_epoch == finished.best_epoch
    assert "Early stopping" in window.statusBar().currentMessage()


def test_status_bar_follows_the_run(qtbot, make_window, tiny_config) -> None:
    window = make_window(tiny_config(epochs=4))
    with qtbot.waitSignal(window.controller.state_changed, timeout=RUN_TIMEOUT,
                          check_params_cb=lambda s: s == RunState.IDLE.value):
        assert window.start_training()
    status = window.status
    assert status.epoch_label.text() == "Epoch 4/4"
    assert status.iteration_label.text() == "Iteration 20/20"
    assert status.progress_bar.value() == 100
    assert "CPU" in status.device_label.text()


def test_main_opens_a_config_and_a_model(tmp_path: Path) -> None:
    # In a child process: once an application has quit, this process's QApplication would
    # drop the queued signals later tests rely on.
    config = tmp_path / "run.toml"
    save_toml(TrainConfig().with_changes(run={"epochs": 17}), config)
    code = textwrap.dedent(f"""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from workbench.ui import app

        def check():
            windows = [w for w in QApplication.topLevelWidgets()
                       if w.objectName() == "mainWindow" and w.isVisible()]
            print("epochs", windows[0].form.config().run.epochs if windows else None)
            windows[0].close()
            QApplication.quit()

        app.application()
        QTimer.singleShot(500, check)
        raise SystemExit(app.main(["--config", {str(config)!r}]))
    """)
    env = {"QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SETTINGS_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=False, cwd=Path(__file__).resolve().parents[2], timeout=120)
    assert out.returncode == 0, out.stderr
    assert "epochs 17" in out.stdout
