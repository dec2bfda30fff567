"""The History tab: runs recorded as they go, reopened in a new window, searched, renamed,
deleted, overlaid; a damaged database leaves the window working."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from workbench.config import TrainConfig
from workbench.core.events import EpochEnded
from workbench.core.history import DataIdentity, HistoryStore, RunStart
from workbench.paths import history_path


def _feature(window):
    return window.features["history"]


def _train(qtbot, window) -> None:
    with qtbot.waitSignal(window.controller.run_finished, timeout=30_000):
        assert window.start_training()


def _select(panel, run_id: int) -> None:
    panel.select_ids([run_id])
    assert panel.selected_ids() == [run_id]


def _stored_run(store: HistoryStore, cfg: TrainConfig, losses: np.ndarray) -> int:
    start = RunStart(train_samples=160, val_samples=40, task="classification", device="cpu",
                     device_name="CPU", parameters=100, batch_size=cfg.run.batch_size,
                     iterations_per_epoch=5, epochs=2)
    run_id = store.add_run(cfg, start, DataIdentity(cfg.data.dataset))
    store.append_losses(run_id, 1, losses)
    store.append_epochs(run_id, [
        EpochEnded(epoch=e, train_loss=1.0 / e + run_id, val_loss=2.0 / e + run_id,
                   val_accuracy=0.5, train_accuracy=None, lr=0.01, seconds=0.1,
                   iteration=5 * e) for e in (1, 2)])
    store.commit()
    return run_id


def test_round_trip_into_a_new_window(make_window, tiny_config, qtbot) -> None:
    cfg = tiny_config(epochs=2)
    window = make_window(cfg)
    _train(qtbot, window)
    raw = window.iteration_plot.raw_data()
    ends = window.iteration_plot.epoch_end_iterations()
    table = window.epoch_plot.table()
    assert len(raw[1]) == 10
    window.close()

    again = make_window(TrainConfig())
    feature = _feature(again)
    panel = feature.history_panel
    assert panel.problem == ""
    [run_id] = panel.listed_ids()
    record = feature.store.get_run(run_id)
    assert (record.status, record.epochs_completed, record.iterations_completed) == (
        "completed", 2, 10)
    assert (record.dataset, record.train_samples, record.val_samples) == ("spiral", 160, 40)
    # Listed as people read them: the data set's short name, the optimizer as the form has it.
    assert panel.table.item(0, 3).text() == "Spiral (200 samples)"
    assert panel.table.item(0, 4).text() == "Adam"
    _select(panel, run_id)
    qtbot.mouseClick(panel.show_button, Qt.LeftButton)
    assert again.tabs.currentWidget() is again.training_tab
    shown = again.iteration_plot.raw_data()
    np.testing.assert_array_equal(shown[0], raw[0])
    np.testing.assert_array_equal(shown[1], raw[1])
    np.testing.assert_array_equal(again.iteration_plot.epoch_end_iterations(), ends)
    for key, values in again.epoch_plot.table().items():
        np.testing.assert_array_equal(values, table[key])
    # The run's settings go back into the form.
    assert again.form.config().run.epochs != 2
    qtbot.mouseClick(panel.restore_button, Qt.LeftButton)
    assert again.form.config() == window.form.config()
    # The overlay shows the selected run's validation loss per epoch.
    [(epochs, values)] = panel.overlay.curves().values()
    np.testing.assert_array_equal(epochs, table["epoch"])
    np.testing.assert_allclose(values, table["val_loss"])


def test_a_crashed_run_is_listed_with_its_blocks(make_window, qtbot) -> None:
    losses = np.linspace(1.0, 0.5, 10, dtype=np.float32)
    store = HistoryStore(history_path())
    run_id = _stored_run(store, TrainConfig(), losses)
    store.drop()  # the process died: no finish

    window = make_window(TrainConfig())
    panel = _feature(window).history_panel
    assert panel.listed_ids() == [run_id]
    row = panel.row_of(run_id)
    assert panel.table.item(row, panel.STATUS).text() in ("running", "interrupted")
    _select(panel, run_id)
    qtbot.mouseClick(panel.show_button, Qt.LeftButton)
    np.testing.assert_array_equal(window.iteration_plot.raw_data()[1], losses)
    assert len(window.epoch_plot) == 2


def test_a_damaged_database_leaves_the_window_working(make_window, tiny_config, qtbot) -> None:
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage, not SQLite " * 100)
    window = make_window(tiny_config(epochs=1))
    feature = _feature(window)
    panel = feature.history_panel
    assert "damaged" in panel.problem
    assert not panel.message_label.isHidden() and not panel.reset_button.isHidden()
    assert feature.store is None
    _train(qtbot, window)  # training works without history
    assert window.model is not None
    assert panel.listed_ids() == []

    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert panel.problem == "" and feature.store is not None
    assert list(path.parent.glob("history.sqlite3.damaged-*"))
    _train(qtbot, window)
    assert len(panel.listed_ids()) == 1


def test_search_rename_delete_and_overlay_through_the_widgets(make_window, qtbot) -> None:
    store = HistoryStore(history_path())
    base = TrainConfig()
    losses = np.ones(10, np.float32)
    spiral = _stored_run(store, base, losses)
    moons = _stored_run(store, base.with_changes(data={"dataset": "moons"}), losses)
    sgd = _stored_run(store, base.with_changes(optim={"optimizer": "sgd"}), losses)
    store.close()
    window = make_window(TrainConfig())
    panel = _feature(window).history_panel
    assert sorted(panel.listed_ids()) == [spiral, moons, sgd]

    qtbot.keyClicks(panel.search_edit, "moons")
    qtbot.waitUntil(lambda: panel.listed_ids() == [moons], timeout=2_000)
    panel.search_edit.clear()
    qtbot.waitUntil(lambda: len(panel.listed_ids()) == 3, timeout=2_000)

    # Rename inline: double-click... the editor, type, Enter.
    item = panel.table.item(panel.row_of(sgd), panel.NAME)
    panel.table.editItem(item)
    editor = panel.table.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "plain SGD")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: _feature(window).store.get_run(sgd).name == "plain SGD")
    assert panel.table.item(panel.row_of(sgd), panel.NAME).text() == "plain SGD"

    # Overlay two runs in two colours, then switch to training loss.
    panel.select_ids([spiral, moons])
    curves = panel.overlay.curves()
    assert len(curves) == 2
    pens = {c.opts["pen"].color().name() for _, c in panel.overlay._drawn}
    assert len(pens) == 2
    panel.overlay.set_metric("train_loss")
    values = sorted(v[1][0] for v in panel.overlay.curves().values())
    assert values == [1.0 + spiral, 1.0 + moons]

    # Delete asks first; "No" keeps the run, "Yes" removes it.
    _select(panel, moons)
    qtbot.mouseClick(panel.delete_button, Qt.LeftButton)
    box = window.findChild(QMessageBox, "historyDeleteBox")
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.No), Qt.LeftButton)
    assert moons in panel.listed_ids()
    _select(panel, moons)
    box = panel.delete_selected()
    qtbot.mouseClick(box.button(QMessageBox.Yes), Qt.LeftButton)
    assert sorted(panel.listed_ids()) == [spiral, sgd]
    assert _feature(window).store.get_run(moons) is None


def test_sorting_by_a_number_column(make_window, qtbot) -> None:
    store = HistoryStore(history_path())
    ids = [_stored_run(store, TrainConfig().with_changes(run={"batch_size": b}),
                       np.ones(3, np.float32)) for b in (8, 128, 32)]
    store.close()
    window = make_window(TrainConfig())
    panel = _feature(window).history_panel
    panel.table.sortByColumn(panel.BATCH, Qt.AscendingOrder)
    assert panel.listed_ids() == [ids[0], ids[2], ids[1]]


def test_a_continued_run_notes_its_parent(make_window, tiny_config, qtbot) -> None:
    window = make_window(tiny_config(epochs=1))
    _train(qtbot, window)
    window.run_controls.continue_check.setChecked(True)
    _train(qtbot, window)
    store = _feature(window).store
    child, parent = store.list_runs()
    assert parent.parent_id is None and child.parent_id == parent.id
    assert child.status == parent.status == "completed"


def test_the_run_being_recorded_cannot_be_deleted(make_window, tiny_config, qtbot) -> None:
    window = make_window(tiny_config(epochs=500))
    panel = _feature(window).history_panel
    with qtbot.waitSignal(window.controller.run_started, timeout=30_000):
        window.start_training()
    [run_id] = panel.listed_ids()
    assert panel.table.item(panel.row_of(run_id), panel.STATUS).text() == "running"
    _select(panel, run_id)
    assert panel.delete_selected() is None
    with qtbot.waitSignal(window.controller.run_finished, timeout=30_000):
        window.stop_training()
    assert _feature(window).store.get_run(run_id).status == "stopped"
    assert panel.delete_selected() is not None
    window.findChild(QMessageBox, "historyDeleteBox").close()


def test_deleting_the_models_run_keeps_the_history_working(make_window, tiny_config,
                                                          qtbot) -> None:
    window = make_window(tiny_config(epochs=1))
    feature = _feature(window)
    panel = feature.history_panel
    _train(qtbot, window)
    [first] = panel.listed_ids()
    _train(qtbot, window)
    newest = max(panel.listed_ids())
    assert feature.recorder.model_run_id == newest
    _select(panel, newest)  # the run that made the window's model, and the newest
    box = panel.delete_selected()
    qtbot.mouseClick(box.button(QMessageBox.Yes), Qt.LeftButton)
    assert feature.recorder.model_run_id is None
    window.run_controls.continue_check.setChecked(True)
    _train(qtbot, window)  # continues the model whose run is gone
    assert feature.store is not None and panel.problem == ""
    again, kept = feature.store.list_runs()
    assert kept.id == first and again.id > newest  # the deleted run's id is not reused
    assert again.parent_id is None and again.status == "completed"


def test_a_recorded_run_shown_in_the_plots_brings_its_own_counts(make_window, tiny_config,
                                                                 qtbot) -> None:
    """Curves of an earlier run beside the last run's counters would contradict each other:
    the status bar and the position every view reads follow the run on show."""
    window = make_window(tiny_config(epochs=2))
    _train(qtbot, window)  # 2 epochs of 5 iterations
    first = window.controller.position
    window.form.set_config(tiny_config(epochs=3))
    _train(qtbot, window)  # then 3 epochs
    assert window.status.epoch_label.text() == "Epoch 3/3"
    feature = _feature(window)
    earlier = min(feature.history_panel.listed_ids())
    assert feature.show_in_plots(earlier)
    position = window.controller.position
    assert (position.epoch, position.epochs, position.iteration, position.total_iterations) == (
        first.epoch, first.epochs, first.iteration, first.total_iterations) == (2, 2, 10, 10)
    assert window.status.epoch_label.text() == "Epoch 2/2"
    assert window.status.iteration_label.text() == "Iteration 10/10"
