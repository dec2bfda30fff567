"""The window as a document editor: it never loses a trained model without asking.

Real windows, real tiny runs and real files whose bytes are compared. The Save / Discard /
Cancel box is answered by the ``save_prompt`` fixture (tests/ui/conftest.py), the file dialogs
by stubs of ``dialogs.ask_save_file`` / ``ask_open_file``; one test drives the real box.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from workbench.config import TrainConfig, save_toml
from workbench.core.modelfile import load_model
from workbench.ui import dialogs
from workbench.ui.dialogs import ask_save_changes as real_ask_save_changes
from workbench.ui.training import RunState

RUN_TIMEOUT = 60_000  # ms; the first run in a process also imports torch
SAVE = QMessageBox.StandardButton.Save
DISCARD = QMessageBox.StandardButton.Discard
CANCEL = QMessageBox.StandardButton.Cancel


def _train(qtbot, window) -> None:
    """A run to its end, started as code does (no question asked)."""
    with qtbot.waitSignal(window.controller.state_changed, timeout=RUN_TIMEOUT,
                          check_params_cb=lambda s: s == RunState.IDLE.value):
        assert window.start_training()


def _press_start(qtbot, window) -> None:
    qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)


def _wine(tiny_config) -> TrainConfig:
    return tiny_config(epochs=2).with_changes(data={"dataset": "wine"})


@pytest.fixture
def wine_file(qtbot, make_window, tiny_config, tmp_path: Path) -> Path:
    """A model file, written by a window trained on wine (then closed)."""
    window = make_window(_wine(tiny_config))
    _train(qtbot, window)
    path = tmp_path / "wine.wbm"
    assert window.save_model_to(path)
    window.close()
    return path


class FileDialogs:
    """The file dialogs, answered at once: ``save`` / ``open`` give the next name (None is
    Cancel); ``saved_asked`` / ``open_asked`` count the questions."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save: list[Path | None] = []
        self.open: list[Path | None] = []
        self.save_asked: list[str] = []  # the suggested names
        self.open_asked = 0
        monkeypatch.setattr(dialogs, "ask_save_file", self._ask_save)
        monkeypatch.setattr(dialogs, "ask_open_file", self._ask_open)

    def _ask_save(self, parent, title, file_filter, suggested="", suffix="") -> str | None:
        self.save_asked.append(suggested)
        path = self.save.pop(0) if self.save else None
        return None if path is None else str(path)

    def _ask_open(self, parent, title, file_filter, folder="") -> str | None:
        self.open_asked += 1
        path = self.open.pop(0) if self.open else None
        return None if path is None else str(path)


@pytest.fixture
def file_dialogs(monkeypatch: pytest.MonkeyPatch) -> FileDialogs:
    return FileDialogs(monkeypatch)


def _same_weights(a, b) -> bool:
    sa, sb = a.module.state_dict(), b.module.state_dict()
    return sa.keys() == sb.keys() and all(
        np.array_equal(sa[k].cpu().numpy(), sb[k].cpu().numpy()) for k in sa)


# -- the title and the rules ---------------------------------------------------------------------

def test_title_follows_the_document(qtbot, make_window, tiny_config, wine_file: Path,
                                    tmp_path: Path) -> None:
    window = make_window(tiny_config(epochs=2))
    assert window.document.model is None and not window.isWindowModified()
    assert "Untitled" not in window.windowTitle()
    _train(qtbot, window)  # a fresh run: untitled, modified
    assert window.windowTitle() == "Untitled[*] - Workbench"
    assert window.isWindowModified() and window.document.untitled
    saved = tmp_path / "spiral.wbm"
    assert window.save_model_to(saved)  # saved: named, clean
    assert window.windowTitle() == "spiral.wbm[*] - Workbench"
    assert not window.isWindowModified() and window.model_path == str(saved)
    assert window.open_model_path(wine_file)  # opened: its file owns it, clean
    assert window.windowTitle() == "wine.wbm[*] - Workbench"
    assert not window.isWindowModified()
    window.run_controls.continue_check.setChecked(True)
    _train(qtbot, window)  # continued: still wine.wbm, modified
    assert window.windowTitle() == "wine.wbm[*] - Workbench"
    assert window.isWindowModified() and window.model_path == str(wine_file)
    window.run_controls.continue_check.setChecked(False)
    window.form.set_config(tiny_config(epochs=1))
    _train(qtbot, window)  # fresh again: untitled
    assert window.windowTitle() == "Untitled[*] - Workbench"
    assert window.isWindowModified() and window.model_path is None


def test_ctrl_s_after_a_fresh_run_never_writes_the_opened_file(
        qtbot, make_window, tiny_config, wine_file: Path, tmp_path: Path,
        file_dialogs: FileDialogs) -> None:
    before = wine_file.read_bytes()
    window = make_window(tiny_config())
    assert window.open_model_path(wine_file)
    window.form.set_config(tiny_config(epochs=2))  # other data: spiral
    assert not window.run_controls.continue_check.isChecked()
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        _press_start(qtbot, window)  # wine.wbm is saved: nothing to ask
    target = tmp_path / "spiral-fresh.wbm"
    file_dialogs.save.append(target)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier)  # Ctrl+S
    assert len(file_dialogs.save_asked) == 1  # asked for a name
    suggested = Path(file_dialogs.save_asked[0])
    assert suggested.name == "spiral.wbm" and suggested.parent == wine_file.parent
    assert wine_file.read_bytes() == before
    assert _same_weights(load_model(target), window.model)
    assert window.model_path == str(target) and not window.isWindowModified()
    assert str(target) in window.statusBar().currentMessage()
    assert "spiral-fresh.wbm" in window.windowTitle()
    # Ctrl+S again writes its own file, without asking.
    target.unlink()
    window.save_model_action.trigger()
    assert len(file_dialogs.save_asked) == 1 and target.exists()
    assert wine_file.read_bytes() == before


def test_save_as_always_asks(qtbot, make_window, tiny_config, wine_file: Path, tmp_path: Path,
                             file_dialogs: FileDialogs) -> None:
    window = make_window(tiny_config())
    assert window.open_model_path(wine_file)
    copy = tmp_path / "copy.wbm"
    file_dialogs.save += [None, copy]
    window.save_model_as_action.trigger()  # cancelled: nothing written, nothing changed
    assert file_dialogs.save_asked == [str(wine_file)] and not copy.exists()
    assert window.model_path == str(wine_file)
    window.save_model_as_action.trigger()
    assert copy.exists() and window.model_path == str(copy)
    assert _same_weights(load_model(copy), load_model(wine_file))


# -- closing -------------------------------------------------------------------------------------

def test_close_asks_and_cancel_keeps_the_window(qtbot, make_window, tiny_config,
                                                save_prompt) -> None:
    window = make_window(tiny_config(epochs=2))
    _train(qtbot, window)
    model = window.model
    save_prompt.answers.append(CANCEL)
    assert not window.close()
    assert len(save_prompt.asked) == 1 and "closing" in save_prompt.asked[0][1]
    assert window.isVisible() and window.model is model and window.isWindowModified()
    # Discard: closes, with nothing written anywhere.
    assert window.close()
    assert len(save_prompt.asked) == 2 and not window.isVisible()


def test_close_discard_leaves_the_owner_file_as_it_was(qtbot, make_window, tiny_config,
                                                       wine_file: Path, save_prompt) -> None:
    before = wine_file.read_bytes()
    window = make_window(tiny_config())
    assert window.open_model_path(wine_file)
    window.run_controls.continue_check.setChecked(True)
    _train(qtbot, window)
    assert window.isWindowModified() and window.model_path == str(wine_file)
    save_prompt.answers.append(DISCARD)
    assert window.close()
    assert "wine.wbm" in save_prompt.asked[0][0]
    assert wine_file.read_bytes() == before


def test_close_save_writes_the_owner_file(qtbot, make_window, tiny_config, wine_file: Path,
                                          save_prompt, file_dialogs: FileDialogs) -> None:
    before = wine_file.read_bytes()
    window = make_window(tiny_config())
    assert window.open_model_path(wine_file)
    window.run_controls.continue_check.setChecked(True)
    _train(qtbot, window)
    model = window.model
    save_prompt.answers.append(SAVE)
    assert window.close()
    assert file_dialogs.save_asked == []  # its own file, no question
    assert wine_file.read_bytes() != before
    assert _same_weights(load_model(wine_file), model)


def test_close_save_of_an_untitled_model_asks_for_a_name(qtbot, make_window, tiny_config,
                                                         tmp_path: Path, save_prompt,
                                                         file_dialogs: FileDialogs) -> None:
    window = make_window(tiny_config(epochs=2))
    _train(qtbot, window)
    target = tmp_path / "kept.wbm"
    # Save, then cancel the file dialog: that is Cancel, the window stays.
    save_prompt.answers += [SAVE, SAVE]
    file_dialogs.save += [None, target]
    assert not window.close()
    assert window.isVisible() and not target.exists() and window.isWindowModified()
    assert window.close()
    assert _same_weights(load_model(target), window.model)


def test_close_mid_run_save_stops_the_run_and_saves_its_model(qtbot, make_window, tiny_config,
                                                              tmp_path: Path, save_prompt,
                                                              file_dialogs: FileDialogs) -> None:
    window = make_window(tiny_config(epochs=5000))
    assert window.start_training()
    qtbot.waitUntil(lambda: len(window.iteration_plot) > 10, timeout=RUN_TIMEOUT)
    save_prompt.answers.append(CANCEL)
    assert not window.close()  # Cancel: the run goes on
    assert "running" in save_prompt.asked[0][0] and window.controller.is_active
    target = tmp_path / "mid-run.wbm"
    save_prompt.answers.append(SAVE)
    file_dialogs.save.append(target)
    assert window.close()
    assert not window.controller.is_active
    assert _same_weights(load_model(target), window.model)


# -- opening a model or a configuration ----------------------------------------------------------

def test_open_model_over_an_unsaved_model(qtbot, make_window, tiny_config, wine_file: Path,
                                          tmp_path: Path, save_prompt,
                                          file_dialogs: FileDialogs) -> None:
    before = wine_file.read_bytes()
    window = make_window(tiny_config(epochs=2))
    _train(qtbot, window)
    trained = window.model
    # Cancel: nothing opened, the trained model stays.
    save_prompt.answers.append(CANCEL)
    file_dialogs.open.append(wine_file)
    window.open_model_action.trigger()
    assert "opening another model" in save_prompt.asked[-1][1]
    assert window.model is trained and window.isWindowModified() and window.model_path is None
    # Save: asks for a name (untitled), writes it, then opens wine.wbm.
    kept = tmp_path / "kept.wbm"
    save_prompt.answers.append(SAVE)
    file_dialogs.open.append(wine_file)
    file_dialogs.save.append(kept)
    window.open_model_action.trigger()
    assert _same_weights(load_model(kept), trained)
    assert window.model is not trained and window.model_path == str(wine_file)
    assert not window.isWindowModified()
    assert wine_file.read_bytes() == before
    # Discard: a new run's model goes, wine.wbm opens, nothing is written.
    window.form.set_config(tiny_config(epochs=1))
    _train(qtbot, window)
    kept_bytes = kept.read_bytes()
    asked = len(save_prompt.asked)
    save_prompt.answers.append(DISCARD)
    assert window.open_model_path(wine_file)
    assert len(save_prompt.asked) == asked + 1
    assert window.model_path == str(wine_file) and not window.isWindowModified()
    assert wine_file.read_bytes() == before and kept.read_bytes() == kept_bytes


def test_no_question_over_a_saved_model(qtbot, make_window, tiny_config, wine_file: Path,
                                        save_prompt) -> None:
    window = make_window(tiny_config())
    assert window.open_model_path(wine_file)
    assert window.open_model_path(wine_file)
    assert window.close()
    assert save_prompt.asked == []


def test_open_configuration_over_an_unsaved_model(qtbot, make_window, tiny_config,
                                                  tmp_path: Path, save_prompt,
                                                  file_dialogs: FileDialogs) -> None:
    window = make_window(tiny_config(epochs=2))
    _train(qtbot, window)
    toml = tmp_path / "run.toml"
    save_toml(tiny_config(epochs=7), toml)
    # Cancel: the form keeps its settings.
    save_prompt.answers.append(CANCEL)
    file_dialogs.open.append(toml)
    window.open_config_action.trigger()
    assert "settings" in save_prompt.asked[-1][1]
    assert window.form.config().run.epochs == 2
    # Discard: the settings load; nothing is written.
    save_prompt.answers.append(DISCARD)
    assert window.open_path(toml)
    assert window.form.config().run.epochs == 7
    assert file_dialogs.save_asked == []
    # Save: written first, then loaded.
    window.form.set_config(tiny_config(epochs=3))
    target = tmp_path / "before-config.wbm"
    save_prompt.answers.append(SAVE)
    file_dialogs.save.append(target)
    file_dialogs.open.append(toml)
    window.open_config_action.trigger()
    assert _same_weights(load_model(target), window.model)
    assert window.form.config().run.epochs == 7 and not window.isWindowModified()


# -- a fresh run ---------------------------------------------------------------------------------

def test_fresh_start_over_an_unsaved_model(qtbot, make_window, tiny_config, tmp_path: Path,
                                           save_prompt, file_dialogs: FileDialogs) -> None:
    window = make_window(tiny_config(epochs=2))
    _train(qtbot, window)
    trained = window.model
    started: list[object] = []
    window.controller.run_started.connect(started.append)
    # Cancel: no run.
    save_prompt.answers.append(CANCEL)
    _press_start(qtbot, window)
    assert "new run" in save_prompt.asked[-1][1]
    assert not window.controller.is_active and window.model is trained
    qtbot.wait(50)
    assert started == []
    # Save: written, then the run starts.
    target = tmp_path / "first.wbm"
    save_prompt.answers.append(SAVE)
    file_dialogs.save.append(target)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        _press_start(qtbot, window)
    assert _same_weights(load_model(target), trained)
    assert window.model is not trained and window.model_path is None
    # Discard: the run starts and replaces the model; the saved file stays as it was.
    before = target.read_bytes()
    save_prompt.answers.append(DISCARD)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        window.start_action.trigger()
    assert len(save_prompt.asked) == 3 and target.read_bytes() == before
    # Continuing from the model asks nothing: the run keeps it.
    window.run_controls.continue_check.setChecked(True)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        _press_start(qtbot, window)
    assert len(save_prompt.asked) == 3


# -- the real box --------------------------------------------------------------------------------

def _fake_exec(seen: list[QMessageBox], press: QMessageBox.StandardButton | None):
    def exec_(box: QMessageBox) -> int:
        seen.append(box)
        if press is None:
            box.reject()  # closed with Escape or the title bar
        else:
            box.button(press).click()
        return 0
    return exec_


@pytest.mark.parametrize(("press", "expected"), [(SAVE, SAVE), (DISCARD, DISCARD),
                                                 (CANCEL, CANCEL), (None, CANCEL)])
def test_the_box_has_qts_standard_buttons(qtbot, window, monkeypatch, press,
                                          expected) -> None:
    seen: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", _fake_exec(seen, press))
    answer = real_ask_save_changes(window, "Unsaved model", "The trained model is not saved.",
                                   "Save it before closing? Otherwise it is lost.")
    assert answer == expected
    box = seen[0]
    assert box.standardButtons() == SAVE | DISCARD | CANCEL
    assert box.defaultButton() is box.button(SAVE)
    assert box.escapeButton() is box.button(CANCEL)
    assert box.objectName() == "saveChangesBox"


def test_the_box_speaks_the_interface_language(qtbot, window, monkeypatch) -> None:
    from workbench.ui.app import application, install_translations

    seen: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", _fake_exec(seen, CANCEL))
    app = application()
    try:
        install_translations(app, "zh_CN")
        real_ask_save_changes(window, "t", "x", "y")
        texts = [seen[0].button(b).text() for b in (SAVE, DISCARD, CANCEL)]
    finally:
        install_translations(app, "en")
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in texts), texts
    real_ask_save_changes(window, "t", "x", "y")
    assert [seen[1].button(b).text().replace("&", "") for b in (SAVE, DISCARD, CANCEL)] == [
        "Save", "Discard", "Cancel"]


def test_a_comparison_asks_once_before_replacing_an_unsaved_model(
        qtbot, make_window, tiny_config, save_prompt) -> None:
    from workbench.ui.comparison import ComparisonPlan

    window = make_window(tiny_config(epochs=2))
    _train(qtbot, window)
    trained = window.model
    from workbench.ui.comparison import ComparisonRunner

    comparison = ComparisonRunner(window, None)
    config = window.form.config()
    plan = ComparisonPlan("batch_size", "Batch sizes", "Batch sizes now", ("8", "32"),
                          ("8", "32"), (config, config), config)
    save_prompt.answers.append(CANCEL)
    assert comparison.start(plan) is False
    assert len(save_prompt.asked) == 1 and window.model is trained
    assert not window.controller.is_active


# -- the data an opened model names: offered, never read unasked --------------------------------
PENGUINS = Path(__file__).resolve().parents[1] / "fixtures" / "table_penguins_v2.wbm"


def _table_model_naming(target: Path, tmp_path: Path) -> Path:
    """The penguins fixture, its stored table path changed to ``target``."""
    from dataclasses import replace

    from workbench.core.modelfile import save_model

    model = load_model(PENGUINS)
    model.config = replace(model.config, data=replace(model.config.data, csv_path=str(target)))
    path = tmp_path / "penguins.wbm"
    save_model(model, path)
    return path


def _boxes(window, name: str) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox, name) if b.isVisible()]


def test_an_opened_model_offers_its_table_and_reads_it_only_when_asked(
        qtbot, window, tmp_path: Path) -> None:
    table = tmp_path / "penguins.csv"
    table.write_text("bill_length,flipper,species\n" + "".join(
        f"{30 + i % 17},{180 + i % 23},{'Adelie' if i % 3 else 'Gentoo'}\n" for i in range(60)),
        encoding="utf-8")
    model_file = _table_model_naming(table, tmp_path)
    assert window.open_model_path(model_file)
    qtbot.waitUntil(lambda: bool(_boxes(window, "openTrainingDataBox")))
    box = _boxes(window, "openTrainingDataBox")[0]
    assert str(table) in box.text()
    # Nothing read yet: the form names no file, the data panel has described none.
    assert window.form.config().data.dataset == "csv"
    assert window.form.config().data.csv_path == ""
    assert window.form.data_panel.target_combo.count() == 0
    # "Not now" leaves it so.
    not_now = box.button(QMessageBox.Ignore)
    assert not_now.objectName() == "ignoreTrainingDataButton" and not_now.text() == "Not now"
    qtbot.mouseClick(not_now, Qt.LeftButton)
    qtbot.waitUntil(lambda: not _boxes(window, "openTrainingDataBox"))
    assert window.form.config().data.csv_path == ""
    # Opened again, "Open" puts the file in the form, which reads it.
    assert window.open_model_path(model_file)
    qtbot.waitUntil(lambda: bool(_boxes(window, "openTrainingDataBox")))
    box = _boxes(window, "openTrainingDataBox")[0]
    qtbot.mouseClick(box.button(QMessageBox.Open), Qt.LeftButton)
    assert window.form.config().data.csv_path == str(table)
    qtbot.waitUntil(lambda: window.form.data_panel.target_combo.count() == 3, timeout=RUN_TIMEOUT)
    assert window.model is not None and not window.isWindowModified()


@pytest.mark.parametrize("kind", ["missing", "fifo", "folder"])
def test_an_unavailable_table_is_named_and_never_opened(qtbot, window, tmp_path: Path,
                                                        kind: str) -> None:
    import os

    target = tmp_path / "named.csv"
    if kind == "fifo":
        os.mkfifo(target)  # reading it would wait forever
    elif kind == "folder":
        target.mkdir()
    model_file = _table_model_naming(target, tmp_path)
    assert window.open_model_path(model_file)
    qtbot.waitUntil(lambda: bool(_boxes(window, "trainingDataUnavailableBox")))
    box = _boxes(window, "trainingDataUnavailableBox")[0]
    assert str(target) in box.text() and "not available" in box.text()
    reason = {"missing": "cannot be found", "fifo": "not a regular file",
              "folder": "not a regular file"}[kind]
    assert reason in box.text()
    assert not _boxes(window, "openTrainingDataBox")
    assert window.form.config().data.csv_path == ""
    assert not window.files.open_training_data(window.model)
    box.close()


def test_a_model_file_is_read_off_the_gui_thread(qtbot, window, wine_file: Path) -> None:
    """While the file is read and built, the window's own event loop runs: a timer due at
    once fires before ``open_model_path`` returns, and the file actions are off meanwhile."""
    seen: list[tuple[bool, bool]] = []
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: seen.append((window.document.loading,
                                              window.open_model_action.isEnabled())))
    assert window.open_model_path(wine_file)
    assert seen == [(True, False)]
    assert not window.document.loading and window.open_model_action.isEnabled()
    assert window.model_path == str(wine_file)


def test_a_damaged_model_file_is_refused_in_a_box_and_changes_nothing(
        qtbot, window, tmp_path: Path, close_message_boxes) -> None:
    bad = tmp_path / "bad.wbm"
    bad.write_bytes(b"\x00" * 64)
    assert not window.open_model_path(bad)
    texts = close_message_boxes(window)
    assert texts and "bad.wbm" in texts[0]
    assert window.model is None and not window.document.loading
    assert window.open_model_action.isEnabled()


def test_the_decision_boundary_of_an_opened_table_model_waits_for_its_data(
        qtbot, make_window, tiny_config, tmp_path: Path) -> None:
    """A two-column table model could draw a boundary from its file: it is not read until the
    person opens it (here the file has become a FIFO, which a read would wait on forever)."""
    import os

    window = make_window(tiny_config(epochs=2))
    table = tmp_path / "points.csv"
    table.write_text("x,y,kind\n" + "".join(
        f"{i % 7},{(i * 3) % 11},{'a' if (i % 7) > 3 else 'b'}\n" for i in range(80)),
        encoding="utf-8")
    window.use_csv(table)
    qtbot.waitUntil(lambda: window.form.data_panel.target_combo.count() == 3,
                    timeout=RUN_TIMEOUT)
    assert window.form.config().data.csv_path == str(table)
    qtbot.waitUntil(lambda: window.form.preview is not None, timeout=RUN_TIMEOUT)
    _train(qtbot, window)
    assert window.model.config.data.csv_path == str(table)
    assert window.model.input_shape == (2,)
    model_file = tmp_path / "points.wbm"
    assert window.save_model_to(model_file)
    table.unlink()
    os.mkfifo(table)
    window.close()
    window = make_window(tiny_config(epochs=2))  # a fresh window: no run's data in memory
    assert window.open_model_path(model_file)
    boundary = window.features["live_views"].boundary
    qtbot.waitUntil(lambda: bool(_boxes(window, "trainingDataUnavailableBox")))
    assert "Open the model's data" in boundary.message.text()
    assert not boundary.showing_plane
    assert window.form.config().data.csv_path == ""
