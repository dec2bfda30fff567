"""Comparisons: the form's settings trained once per batch size / optimizer / dropout rate,
one after another through the window, side by side in the Compare tab and in the history."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

from workbench.config import Optimizer, TrainConfig
from workbench.core.events import EpochEnded
from workbench.ui.comparison import (
    BATCH_SIZE,
    DROPOUT,
    OPTIMIZER,
    SettingResult,
    batch_size_plan,
    dropout_plan,
    optimizer_plan,
)
from workbench.ui.panels.compare_panel import ComparePanel, parse_batch_sizes
from workbench.ui.settings import Settings


def _feature(window):
    return window.features["history"]


def test_plans() -> None:
    cfg = TrainConfig()
    plan = batch_size_plan(cfg, n_train=160, sizes=(8, 32, 32, 128, 512))
    assert plan.values == ("8", "32", "128")
    assert [c.run.batch_size for c in plan.configs] == [8, 32, 128]
    assert all(c.run.seed == cfg.run.seed and c.run.epochs == cfg.run.epochs
               for c in plan.configs)
    assert len(plan.notes) == 1 and "512" in plan.notes[0] and "160" in plan.notes[0]
    plan = optimizer_plan(cfg)
    assert [c.optim.optimizer for c in plan.configs] == [
        Optimizer.SGD, Optimizer.MOMENTUM, Optimizer.RMSPROP, Optimizer.ADAM]
    plan = dropout_plan(cfg.with_changes(model={"dropout_per_layer": (0.1, 0.1)}))
    assert [c.model.hidden_dropouts() for c in plan.configs] == [
        (0.0, 0.0), (0.2, 0.2), (0.5, 0.5)]
    assert parse_batch_sizes("8, 32 ;128") == [8, 32, 128]
    for bad in ("", "8, x", "0"):
        try:
            parse_batch_sizes(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_batch_size_comparison_lands_in_the_table_and_the_history(make_window, tiny_config,
                                                                  qtbot) -> None:
    cfg = tiny_config(epochs=2)
    window = make_window(cfg)
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=10_000)
    feature = _feature(window)
    panel: ComparePanel = feature.compare_panel
    panel.batch_sizes_edit.setText("16, 64, 400")
    with qtbot.waitSignal(feature.runner.finished, timeout=60_000) as finished:
        qtbot.mouseClick(panel.batch_button, Qt.LeftButton)
        assert not panel.batch_button.isEnabled() and panel.stop_button.isEnabled()
    assert finished.args == [True]
    assert window.tabs.currentWidget() is panel
    assert panel.table.rowCount() == 2
    # 160 training samples: 10 iterations per epoch at 16, 3 at 64.
    assert [panel.cell_text(r, panel.ITERATIONS) for r in (0, 1)] == ["10", "3"]
    for row in (0, 1):
        for column in (panel.SECONDS_PER_EPOCH, panel.TRAIN_LOSS, panel.VAL_LOSS,
                       panel.ACCURACY):
            assert float(panel.cell_text(row, column)) > 0
    assert "400" in panel.status_label.text()  # skipped, with the reason
    assert sorted(panel.overlay.curves()) == ["Batch size 16", "Batch size 64"]
    # The form is back to what it was; each run is in the history, tagged.
    assert window.form.config() == cfg
    plan = feature.runner.plan
    runs = feature.store.list_runs(comparison=plan.tag)
    assert sorted((r.comparison_value, r.batch_size, r.status) for r in runs) == [
        ("16", 16, "completed"), ("64", 64, "completed")]
    assert len(feature.history_panel.listed_ids()) == 2
    feature.history_panel.search_edit.setText(plan.tag)
    feature.history_panel.refresh()
    assert len(feature.history_panel.listed_ids()) == 2


def test_stop_cancels_the_remaining_runs(make_window, tiny_config, qtbot) -> None:
    window = make_window(tiny_config(epochs=200))
    feature = _feature(window)
    panel = feature.compare_panel
    window.controller.run_started.connect(lambda _event: panel.stop_button.click())
    with qtbot.waitSignal(feature.runner.finished, timeout=30_000) as finished:
        assert feature.compare("optimizer")
    assert finished.args == [False]
    statuses = [r.status for r in feature.runner.results]
    assert statuses[0] == "stopped" and statuses[1:] == ["cancelled"] * 3
    assert panel.cell_text(3, panel.STATUS) == "cancelled"
    # In a window of 1,000 pixels the numbers may scroll sideways; each run's state does not.
    window.resize(1000, 640)
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.table.isVisible() and panel.table.viewport().width() > 0)
    table = panel.table
    status = table.visualItemRect(table.item(0, panel.STATUS))
    assert table.viewport().rect().contains(status), (status, table.viewport().rect())
    assert table.horizontalHeader().sectionSize(panel.STATUS) >= table.fontMetrics(
    ).horizontalAdvance("cancelled")
    assert [r.status for r in feature.store.list_runs(comparison=feature.runner.plan.tag)] == [
        "stopped"]
    assert panel.batch_button.isEnabled() and not panel.stop_button.isEnabled()


def test_closing_the_window_during_a_comparison_keeps_the_users_settings(
        make_window, tiny_config, qtbot) -> None:
    cfg = tiny_config(epochs=500).with_changes(optim={"optimizer": Optimizer.ADAM})
    window = make_window(cfg)
    feature = _feature(window)
    window.run_controls.continue_check.setChecked(True)
    with qtbot.waitSignal(window.controller.run_started, timeout=30_000):
        assert feature.compare(OPTIMIZER)
    assert window.form.config().optim.optimizer == Optimizer.SGD  # the first run's variant
    window.close()
    assert Settings().last_config() == cfg
    assert not feature.runner.active
    assert window.run_controls.continue_check.isChecked()


def test_batch_sizes_are_checked_against_data_still_being_read(make_window, tiny_config,
                                                               qtbot) -> None:
    window = make_window(tiny_config(epochs=1))
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=10_000)
    # New data settings: the form's preview of them is not ready yet.
    window.form.set_config(tiny_config(epochs=1).with_changes(data={"samples": 100}))
    assert window.form.preview is None
    feature = _feature(window)
    panel = feature.compare_panel
    panel.batch_sizes_edit.setText("16, 200")
    with qtbot.waitSignal(feature.runner.finished, timeout=30_000) as finished:
        assert feature.compare(BATCH_SIZE)
        assert not panel.batch_button.isEnabled()
        assert not feature.compare(BATCH_SIZE)  # one at a time
    assert finished.args == [True]
    assert [r.status for r in feature.runner.results] == ["completed"]
    assert "200" in panel.status_label.text() and "80" in panel.status_label.text()


def test_the_overlay_is_redrawn_only_where_it_can_be_seen(qtbot) -> None:
    panel = ComparePanel()
    qtbot.addWidget(panel)
    plan = optimizer_plan(TrainConfig())
    results = [SettingResult(label) for label in plan.labels]
    redraws = []
    draw = panel.overlay.set_runs
    panel.overlay.set_runs = lambda runs: (redraws.append(len(runs)), draw(runs))
    panel.begin(plan, results)
    for epoch in range(1, 21):  # hidden: epochs arrive, nothing is drawn
        results[0].epochs.append(EpochEnded(
            epoch=epoch, train_loss=1.0 / epoch, val_loss=1.5 / epoch, val_accuracy=0.5,
            train_accuracy=None, lr=0.01, seconds=0.01, iteration=5 * epoch))
        panel.update_row(0)
    assert redraws == []
    panel.show()
    qtbot.waitExposed(panel)
    assert redraws == [1]
    assert len(panel.overlay.curves()[plan.labels[0]][0]) == 20
    panel.update_row(0)  # shown: drawn at once
    assert redraws == [1, 1]
    panel.hide()
    panel.update_row(0)
    panel.set_running(False)  # the comparison ended: its final curves are drawn
    assert redraws == [1, 1, 1]


def test_quitting_during_a_comparison_keeps_the_users_settings(make_window, tiny_config,
                                                               qtbot) -> None:
    cfg = tiny_config(epochs=500).with_changes(model={"dropout": 0.3})
    window = make_window(cfg)
    feature = _feature(window)
    with qtbot.waitSignal(window.controller.run_started, timeout=30_000):
        assert feature.compare(DROPOUT)
    assert window.form.config().model.dropout == 0.0  # the first run's variant
    QCoreApplication.instance().aboutToQuit.emit()  # what quitting the application does
    assert Settings().last_config() == cfg


def test_a_comparison_waiting_for_its_data_does_not_start_once_closed(make_window, tiny_config,
                                                                     qtbot) -> None:
    window = make_window(tiny_config(epochs=1))
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=10_000)
    window.form.set_config(tiny_config(epochs=1).with_changes(data={"samples": 120}))
    feature = _feature(window)
    started = []
    window.controller.run_started.connect(started.append)
    assert feature.compare(BATCH_SIZE)
    window.close()  # joins the data reading; its result arrives after the close
    QCoreApplication.processEvents()  # delivers it
    assert not feature.runner.active and started == []
