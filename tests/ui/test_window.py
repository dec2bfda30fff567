"""The window end to end: forms, real tiny runs, pause/stop, save/open, close mid-run, failures."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from workbench.config import Activation, Optimizer, TrainConfig, iterations_per_epoch
from workbench.ui.training import RunState

RUN_TIMEOUT = 60_000  # ms; the first run in a process also imports torch


def _run_to_end(qtbot, window) -> None:
    with qtbot.waitSignal(window.controller.state_changed, timeout=RUN_TIMEOUT,
                          check_params_cb=lambda s: s == RunState.IDLE.value):
        assert window.start_training()


def _find(window, cls, name):
    widget = window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def test_stable_object_names(window) -> None:
    for cls, name in [(QComboBox, "datasetCombo"), (QLineEdit, "hiddenLayersEdit"),
                      (QComboBox, "activationCombo"), (QSpinBox, "epochsSpin"),
                      (QSpinBox, "batchSizeSpin"), (QDoubleSpinBox, "dropoutSpin"),
                      (QDoubleSpinBox, "inputDropoutSpin"), (QComboBox, "optimizerCombo"),
                      (QDoubleSpinBox, "learningRateSpin"), (QComboBox, "deviceCombo"),
                      (QPushButton, "startButton"), (QPushButton, "pauseButton"),
                      (QPushButton, "stopButton"), (QAction, "saveModelAction"),
                      (QAction, "openModelAction")]:
        widget = _find(window, cls, name)
        if not isinstance(widget, QAction):
            assert widget.accessibleName()
    optimizer = _find(window, QComboBox, "optimizerCombo")
    assert [optimizer.itemData(i) for i in range(optimizer.count())] == [
        "sgd", "momentum", "rmsprop", "adam", "adamw"]
    from pyqtgraph import PlotWidget

    for name in ("iterationPlot", "epochPlot"):
        assert isinstance(_find(window, PlotWidget, name), PlotWidget)


def test_opens_with_spiral_and_devices_listed(make_window) -> None:
    window = make_window(None)
    assert window.form.config().data.dataset == "spiral"
    devices = _find(window, QComboBox, "deviceCombo")
    ids = [devices.itemData(i) for i in range(devices.count())]
    assert "cpu" in ids and devices.currentIndex() == 0


def test_window_appears_before_torch_loads(tmp_path: Path) -> None:
    code = ("import sys; from workbench.ui.app import create_window; w = create_window(); "
            "w.show(); print('torch' in sys.modules)")
    env = {"QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SETTINGS_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=False, cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_form_is_set_by_typing_and_clicking(qtbot, window) -> None:
    hidden = _find(window, QLineEdit, "hiddenLayersEdit")
    hidden.selectAll()
    qtbot.keyClicks(hidden, "32,16,8")
    epochs = _find(window, QSpinBox, "epochsSpin")
    epochs.selectAll()
    qtbot.keyClicks(epochs, "7")
    batch = _find(window, QSpinBox, "batchSizeSpin")
    batch.selectAll()
    qtbot.keyClicks(batch, "16")
    dropout = _find(window, QDoubleSpinBox, "dropoutSpin")
    dropout.setFocus()
    for _ in range(4):  # 4 steps of 0.05
        qtbot.keyClick(dropout, Qt.Key_Up)
    lr = _find(window, QDoubleSpinBox, "learningRateSpin")
    lr.selectAll()
    qtbot.keyClicks(lr, "0.003")
    optimizer = _find(window, QComboBox, "optimizerCombo")
    optimizer.setCurrentIndex(optimizer.findData("momentum"))
    activation = _find(window, QComboBox, "activationCombo")
    activation.setFocus()
    qtbot.keyClick(activation, Qt.Key_End)  # the last one: softplus

    cfg = window.form.config()
    assert cfg.model.hidden == (32, 16, 8)
    assert cfg.run.epochs == 7 and cfg.run.batch_size == 16
    assert cfg.model.dropout == pytest.approx(0.2)
    assert cfg.optim.lr == pytest.approx(0.003)
    assert cfg.optim.optimizer == Optimizer.MOMENTUM
    assert cfg.model.activation == Activation.SOFTPLUS
    assert cfg.validate() == []


def test_learning_rate_steps_on_a_log_scale(qtbot, window) -> None:
    lr = _find(window, QDoubleSpinBox, "learningRateSpin")
    lr.setValue(0.01)
    lr.setFocus()
    seen = []
    for _ in range(4):
        qtbot.keyClick(lr, Qt.Key_Up)
        seen.append(lr.value())
    assert seen == pytest.approx([0.0178, 0.0316, 0.0562, 0.1])
    lr.setValue(1e-6)
    assert lr.value() == pytest.approx(1e-6)
    assert lr.text() == "0.000001"  # plain decimals, as people write them


def test_form_round_trips_a_config(window) -> None:
    cfg = TrainConfig().with_changes(
        data={"dataset": "moons", "samples": 333, "noise": 0.3, "val_split": 0.25},
        model={"hidden": (8, 4), "activation": Activation.TANH, "dropout": 0.35,
               "input_dropout": 0.1},
        optim={"optimizer": Optimizer.MOMENTUM, "lr": 0.00316, "momentum": 0.8,
               "nesterov": True, "weight_decay": 1e-4},
        run={"epochs": 12, "batch_size": 20, "patience": 3, "seed": 42, "device": "cpu",
             "min_delta": 0.01, "amp": True})
    window.form.set_config(cfg)
    assert window.form.config() == cfg


def test_tiny_run_fills_both_plots(qtbot, window, tiny_config) -> None:
    _run_to_end(qtbot, window)
    started = window.controller.last_started
    cfg = tiny_config()
    n_train = round(200 * 0.8)
    ipe, _ = iterations_per_epoch(n_train, cfg.run.batch_size)
    assert ipe == 5 and started.iterations_per_epoch == ipe
    x, y = window.iteration_plot.plotItem.listDataItems()[0].getData()
    assert len(x) == cfg.run.epochs * ipe
    np.testing.assert_array_equal(x, np.arange(1, cfg.run.epochs * ipe + 1))
    assert np.all(np.isfinite(y))
    _, raw_y = window.iteration_plot.raw_data()
    np.testing.assert_array_equal(raw_y, y)
    ex, ey = window.epoch_plot.plotItem.listDataItems()[0].getData()
    assert list(ex) == [1, 2, 3]
    history = window.controller.last_engine.history
    np.testing.assert_allclose(ey, [e.train_loss for e in history], rtol=1e-6)
    # the epoch mean of the plotted iteration losses is the epoch's training loss
    np.testing.assert_allclose(raw_y.reshape(3, ipe).mean(axis=1), ey, rtol=1e-4)
    np.testing.assert_array_equal(window.iteration_plot.epoch_end_iterations(), [5, 10, 15])
    assert window.model is not None
    assert window.save_model_action.isEnabled()
    assert window.run_controls.start_button.isEnabled()


def test_pause_freezes_and_resume_continues(qtbot, make_window, tiny_config) -> None:
    window = make_window(tiny_config(epochs=400))
    assert window.start_training()
    plot = window.iteration_plot
    qtbot.waitUntil(lambda: len(plot) >= 20, timeout=RUN_TIMEOUT)
    qtbot.mouseClick(window.run_controls.pause_button, Qt.LeftButton)
    assert window.controller.state == RunState.PAUSED
    assert window.run_controls.pause_button.text() == "Resume"
    qtbot.wait(300)  # the engine flushes what it has and waits; the drain picks it up
    frozen = len(plot)
    qtbot.wait(400)
    assert len(plot) == frozen
    assert window.form.training_panel.isEnabled() is False  # read-only while a run is active
    qtbot.mouseClick(window.run_controls.pause_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(plot) > frozen + 10, timeout=RUN_TIMEOUT)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(window.run_controls.stop_button, Qt.LeftButton)


def test_stop_ends_the_run_with_a_savable_model(qtbot, make_window, tmp_path: Path,
                                                tiny_config) -> None:
    window = make_window(tiny_config(epochs=2000))
    assert window.start_training()
    qtbot.waitUntil(lambda: len(window.epoch_plot) >= 2, timeout=RUN_TIMEOUT)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        qtbot.mouseClick(window.run_controls.stop_button, Qt.LeftButton)
    finished = blocker.args[0]
    assert finished.reason == "stopped"
    assert len(window.iteration_plot) == finished.iterations_completed
    assert window.model is not None
    assert window.run_controls.start_button.isEnabled()
    assert window.form.training_panel.isEnabled()
    path = tmp_path / "stopped.wbm"
    assert window.save_model_to(path)
    assert path.stat().st_size > 0


def test_save_then_open_restores_predictions_and_form(qtbot, window, tmp_path: Path) -> None:
    _run_to_end(qtbot, window)
    cfg = window.form.config()
    probe = np.array([[0.1, -0.2], [0.5, 0.5], [-1.0, 0.3]], dtype=np.float32)
    before = window.model.predict(probe)
    path = tmp_path / "spiral.wbm"
    assert window.save_model_to(path)
    # change the form and forget the model, then open the file
    window.form.set_config(TrainConfig().with_changes(run={"epochs": 99}))
    window.model = None
    assert window.open_model_path(path)
    assert window.form.config() == cfg
    after = window.model.predict(probe)
    np.testing.assert_array_equal(before.labels, after.labels)
    np.testing.assert_allclose(before.proba, after.proba, rtol=1e-6)
    assert window.predict_panel.model is window.model
    pred = window.predict_panel.predict_point(0.5, 0.5)
    assert math.isclose(float(pred.proba.sum()), 1.0, rel_tol=1e-5)
    assert "class" in window.predict_panel.result_label.text()
    assert str(path.resolve()) in window.settings.recent_files()


def test_open_model_through_the_file_dialog(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    _run_to_end(qtbot, window)
    path = tmp_path / "via-dialog.wbm"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.save_model_as_action.trigger()
    assert path.exists()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.model = None
    window.open_model_action.trigger()
    assert window.model is not None and window.model_path == str(path)


def test_closing_mid_run_stops_and_joins(qtbot, make_window, tiny_config) -> None:
    window = make_window(tiny_config(epochs=5000))
    assert window.start_training()
    qtbot.waitUntil(lambda: len(window.iteration_plot) > 10, timeout=RUN_TIMEOUT)
    threads = window.findChildren(QThread)
    assert threads and threads[0].isRunning()
    window.close()
    assert not window.controller.is_active
    assert all(not t.isRunning() for t in window.findChildren(QThread))


def test_failure_shows_a_dialog_and_start_works_again(qtbot, make_window, tmp_path: Path,
                                                      tiny_config, message_boxes,
                                                      close_message_boxes) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,label\n1,2,x\n")  # one row cannot be split for training
    cfg = tiny_config().with_changes(data={"dataset": "csv", "csv_path": str(bad)})
    window = make_window(cfg)
    with qtbot.waitSignal(window.controller.run_failed, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    assert blocker.args[0].kind == "data"
    qtbot.waitUntil(lambda: bool(message_boxes(window)))
    box = message_boxes(window)[0]
    assert "bad.csv" in box.text()
    assert "Traceback" not in box.text() + box.informativeText()
    close_message_boxes(window)
    assert window.run_controls.start_button.isEnabled()
    window.form.set_config(tiny_config(epochs=1))
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)


def test_diverging_run_reports_nan(qtbot, make_window, tiny_config, message_boxes,
                                   close_message_boxes) -> None:
    # Batch 8: the loss becomes NaN within epoch 1's 20 iterations, before the epoch-end
    # divergence rules could end the run (test_outcome_headline.py covers those).
    cfg = tiny_config(epochs=50, batch_size=8).with_changes(
        optim={"optimizer": Optimizer.SGD, "lr": 10.0}, model={"hidden": (256, 256, 256)})
    window = make_window(cfg)
    with qtbot.waitSignal(window.controller.run_failed, timeout=RUN_TIMEOUT) as blocker:
        assert window.start_training()
    failed = blocker.args[0]
    assert failed.kind == "nan"
    qtbot.waitUntil(lambda: bool(message_boxes(window)))
    texts = close_message_boxes(window)
    assert any("learning rate" in t for t in texts)
    assert window.run_controls.start_button.isEnabled()
    assert window.model is not None  # the last good weights


def test_validation_problems_block_the_start(qtbot, window, close_message_boxes) -> None:
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=RUN_TIMEOUT)
    batch = _find(window, QSpinBox, "batchSizeSpin")
    batch.setValue(500)  # 160 training samples
    window.form.model_panel.dropout_spin.setValue(0.5)
    qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)
    assert not window.controller.is_active
    texts = close_message_boxes(window)
    assert texts and "Batch size" in texts[0] and "160" in texts[0]
    assert batch in window.form.problem_widgets()
    batch.setValue(32)  # editing clears the marks
    assert window.form.problem_widgets() == []


def test_continue_training_extends_the_curves(qtbot, make_window, tiny_config) -> None:
    window = make_window(tiny_config(epochs=2))
    _run_to_end(qtbot, window)
    assert window.run_controls.continue_check.isEnabled()
    window.run_controls.continue_check.setChecked(True)
    _run_to_end(qtbot, window)
    x, _ = window.iteration_plot.raw_data()
    np.testing.assert_array_equal(x, np.arange(1, 21))
    assert len(window.epoch_plot) == 4
    assert window.controller.last_engine.initial is not None


def test_settings_persist_between_windows(qtbot, make_window, tmp_path: Path, tiny_config) -> None:
    first = make_window(tiny_config(epochs=11))
    first.form.model_panel.hidden_edit.setText("12,6")
    first.save_config_to(tmp_path / "run.toml")
    first.close()
    second = make_window(None)
    cfg = second.form.config()
    assert cfg.run.epochs == 11 and cfg.model.hidden == (12, 6)
    assert str((tmp_path / "run.toml").resolve()) in second.settings.recent_files()
    assert second.recent_menu.actions()[0].text() == "run.toml"


def test_file_export_menu_writes_a_verified_onnx_model(qtbot, window, tmp_path: Path,
                                                        monkeypatch) -> None:
    _run_to_end(qtbot, window)
    target = tmp_path / "spiral.onnx"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    action = window.export_model_actions["onnx"]
    assert action.isEnabled()
    with qtbot.waitSignal(window.export_finished, timeout=RUN_TIMEOUT) as finished:
        action.trigger()
    assert finished.args == [str(target)]
    message = window.statusBar().currentMessage()
    assert "Exported" in message
    assert "its answers match the window's (largest difference 0" in message
    assert "PyTorch" not in message and "e-0" not in message
    import onnxruntime as ort

    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    probe = np.array([[0.1, -0.2], [0.5, 0.5]], dtype=np.float32)
    outputs = dict(zip([o.name for o in session.get_outputs()],
                       session.run(None, {session.get_inputs()[0].name: probe})))
    np.testing.assert_allclose(outputs["probabilities"], window.model.predict(probe).proba,
                               atol=1e-5)


def test_failed_export_shows_a_dialog_and_keeps_the_window_working(
        qtbot, window, tmp_path: Path, monkeypatch) -> None:
    _run_to_end(qtbot, window)
    shown = []
    from workbench.ui import dialogs

    monkeypatch.setattr(dialogs, "show_exception",
                        lambda parent, exc, doing: shown.append((str(exc), doing)))
    missing = tmp_path / "no" / "such" / "folder" / "m.onnx"
    with qtbot.waitSignal(window.export_finished, timeout=RUN_TIMEOUT) as finished:
        assert window.export_model_to("onnx", missing)
    assert finished.args == [""]
    assert shown and "folder" in shown[0][0].lower()
    assert window.export_model_actions["onnx"].isEnabled()


def test_run_logs_from_the_window(qtbot, window, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_RUNLOG_DIR", str(tmp_path / "runs"))
    window.run_logs_action.setChecked(True)
    _run_to_end(qtbot, window)
    folder = Path(window.run_log_dir)
    assert folder.parent == tmp_path / "runs" and folder.is_dir()
    run = folder / "run-001"  # one numbered folder per run inside the log folder
    start = window.controller.last_started
    epochs = (run / "metrics.csv").read_bytes()
    assert epochs.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for spreadsheet programs
    assert len(epochs.decode("utf-8-sig").strip().splitlines()) == 1 + start.epochs
    iterations = (run / "iterations.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(iterations) == 1 + start.total_iterations
    assert (run / "config.toml").exists()
    assert str(folder) in window.statusBar().currentMessage()
    assert window.settings.write_run_logs()


def test_concept_panel_follows_the_form_and_the_run(qtbot, window) -> None:
    from PySide6.QtWidgets import QLabel

    panel = _find(window, QWidget, "conceptPanel")
    math_label = _find(window, QLabel, "iterationMathLabel")
    cfg = window.form.config()
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=RUN_TIMEOUT)
    n_train = window.form.preview.n_train
    ipe, _last = iterations_per_epoch(n_train, cfg.run.batch_size, cfg.run.drop_last)
    qtbot.waitUntil(lambda: f"= {ipe} iteration" in math_label.text(), timeout=RUN_TIMEOUT)
    assert f"{n_train} training samples" in math_label.text()
    _run_to_end(qtbot, window)
    # after the run the panel shows where it ended: the last epoch, every batch done
    assert panel.strip.filled_count == panel.strip.cell_count
    batch = _find(window, QSpinBox, "batchSizeSpin")
    batch.setValue(cfg.run.batch_size * 2)
    ipe2, _ = iterations_per_epoch(n_train, cfg.run.batch_size * 2, cfg.run.drop_last)
    qtbot.waitUntil(lambda: f"= {ipe2} iteration" in math_label.text(), timeout=RUN_TIMEOUT)


def test_window_fits_a_small_laptop_screen(window) -> None:
    """Every tab together still fits 1100 x 700 (a 1366 x 768 screen less the desktop's bars)."""
    hint = window.minimumSizeHint()
    assert hint.width() <= 1100 and hint.height() <= 700, hint
