"""The window's QActions and menus, in one place, and when each action is enabled.

The actions stay attributes of the window (``window.start_action``, ``window.run_menu``...):
features add their entries to its menus and tests trigger them by name. Their texts are
translated in the window's context, ``MainWindow``, where their translations live.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from workbench.ui.settings import LANGUAGES, resolve_language
from workbench.ui.training import RunState

if TYPE_CHECKING:
    from collections.abc import Callable

    from workbench.ui.main_window import MainWindow

translate = QCoreApplication.translate

# The restart note in each language, untranslated: shown next to the current language's.
_RESTART_NOTES = {"en": "The language takes effect after a restart.",
                  "zh_CN": "语言设置将在重启后生效。"}


def _action(window: MainWindow, text: str, slot: Callable[..., object],
            shortcuts: list[QKeySequence] | None = None, name: str = "",
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts(shortcuts)
    if name:
        action.setObjectName(name)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    window.addAction(action)  # shortcuts work with the menu bar hidden too
    return action


def build_actions(window: MainWindow) -> None:
    """The window's actions, as its attributes, connected to its slots."""
    _file_actions(window)
    _export_actions(window)
    _run_and_view_actions(window)
    native = QKeySequence.SequenceFormat.NativeText
    window.run_controls.set_shortcut_hints(window.start_action.shortcut().toString(native),
                                           window.pause_action.shortcut().toString(native),
                                           window.stop_action.shortcut().toString(native))


def _file_actions(w: MainWindow) -> None:
    key = QKeySequence
    w.open_model_action = _action(
        w, translate("MainWindow", "&Open model..."), w.files.open_model_dialog,
        [key(key.Open)], "openModelAction",
        translate("MainWindow", "Open a saved .wbm model"))
    w.save_model_action = _action(
        w, translate("MainWindow", "&Save model"), w.document.save, [key(key.Save)],
        "saveModelAction", translate("MainWindow", "Save the trained model"))
    w.save_model_as_action = _action(
        w, translate("MainWindow", "Save model &as..."), w.document.save_as,
        [key("Ctrl+Shift+S")], "saveModelAsAction")
    w.open_config_action = _action(
        w, translate("MainWindow", "Open &configuration..."), w.files.open_config_dialog,
        [key("Ctrl+Shift+O")], "openConfigAction",
        translate("MainWindow", "Load run settings from a TOML file"))
    w.save_config_action = _action(
        w, translate("MainWindow", "Save c&onfiguration..."), w.files.save_config_dialog,
        None, "saveConfigAction", translate("MainWindow", "Save the run settings as a TOML file"))
    w.run_logs_action = QAction(translate("MainWindow", "Write run &logs"), w)
    w.run_logs_action.setObjectName("runLogsAction")
    w.run_logs_action.setStatusTip(translate(
        "MainWindow",
        "Each run writes its configuration, per-epoch metrics and per-iteration losses "
        "(CSV) to a folder in Documents/Workbench runs"))
    w.run_logs_action.setCheckable(True)
    w.run_logs_action.setChecked(w.settings.write_run_logs())
    # toggled, not triggered: a checked state set from code is remembered too
    w.run_logs_action.toggled.connect(w.settings.set_write_run_logs)
    w.predict_csv_action = _action(
        w, translate("MainWindow", "&Predict CSV..."), w.predictions.predict_csv_dialog, None,
        "predictCsvAction")
    w.quit_action = _action(w, translate("MainWindow", "&Quit"), w.close,
                            [key(key.Quit), key("Ctrl+Q")], "quitAction")


def _export_actions(w: MainWindow) -> None:
    exports = w.exports
    w.export_iteration_png_action = _action(
        w, translate("MainWindow", "Iteration plot as PNG..."), exports.iteration_png,
        None, "exportIterationPngAction")
    w.export_iteration_csv_action = _action(
        w, translate("MainWindow", "Iteration losses as CSV..."), exports.iteration_csv,
        None, "exportIterationCsvAction")
    w.export_epoch_png_action = _action(
        w, translate("MainWindow", "Epoch plot as PNG..."), exports.epoch_png, None,
        "exportEpochPngAction")
    w.export_epoch_csv_action = _action(
        w, translate("MainWindow", "Epoch metrics as CSV..."), exports.epoch_csv, None,
        "exportEpochCsvAction")
    # Model exports: the labels live here (not in core.export) so the menu needs no torch.
    w.export_model_actions = {
        fmt: _action(w, text, lambda _checked=False, f=fmt: exports.export_dialog(f), None,
                     name, tip)
        for fmt, text, name, tip in (
            ("onnx", translate("MainWindow", "Model as &ONNX..."), "exportOnnxAction",
             translate("MainWindow",
                       "For ONNX Runtime and other ONNX tools; verified before it is kept")),
            ("pt2", translate("MainWindow", "Model as PyTorch &program (.pt2)..."),
             "exportPt2Action",
             translate("MainWindow", "For inference in PyTorch with torch.export.load")),
            ("script", translate("MainWindow", "Model as training &script..."),
             "exportScriptAction",
             translate("MainWindow",
                       "A Python file that reproduces this run, alone or under torchrun")),
        )
    }


def _run_and_view_actions(w: MainWindow) -> None:
    key = QKeySequence
    w.start_action = _action(
        w, translate("MainWindow", "&Start"), w.run.on_start_triggered,
        [key("F5"), key("Ctrl+Return")], "startAction",
        translate("MainWindow", "Start training with these settings"))
    w.pause_action = _action(
        w, translate("MainWindow", "&Pause / resume"), w.toggle_pause,
        [key("F6"), key("Ctrl+P")], "pauseAction")
    w.stop_action = _action(
        w, translate("MainWindow", "S&top"), w.stop_training, [key("Shift+F5"), key("Ctrl+.")],
        "stopAction")
    w.log_scale_action = _action(
        w, translate("MainWindow", "&Log scale"), w.plots.log_check.setChecked,
        [key("Ctrl+L")], "logScaleAction")
    w.log_scale_action.setCheckable(True)
    w.reset_view_action = _action(
        w, translate("MainWindow", "&Show all data"), w.reset_plot_views,
        [key("Ctrl+0")], "resetViewAction")
    # View > Language: one checkable action per language, named in that language itself.
    w.language_group = QActionGroup(w)
    current = resolve_language(w.settings)
    w.language_actions = {}
    for code, name in LANGUAGES.items():
        action = _action(w, name, lambda _=False, c=code: choose_language(w, c), None,
                         f"language_{code}_Action",
                         translate("MainWindow", "Takes effect after a restart"))
        action.setCheckable(True)
        action.setChecked(code == current)
        w.language_group.addAction(action)
        w.language_actions[code] = action
    w.about_action = _action(w, translate("MainWindow", "&About Workbench"),
                             w.show_about, None, "aboutAction")


def build_menus(window: MainWindow) -> None:
    """File, Run, View and Help, as the window's attributes (features add to them)."""
    w = window
    bar = w.menuBar()
    w.file_menu = file_menu = bar.addMenu(translate("MainWindow", "&File"))
    file_menu.setObjectName("fileMenu")
    file_menu.addAction(w.open_model_action)
    w.recent_menu = QMenu(translate("MainWindow", "Open &recent"), w)
    w.recent_menu.setObjectName("recentMenu")
    file_menu.addMenu(w.recent_menu)
    file_menu.addAction(w.save_model_action)
    file_menu.addAction(w.save_model_as_action)
    file_menu.addSeparator()
    file_menu.addAction(w.open_config_action)
    file_menu.addAction(w.save_config_action)
    file_menu.addSeparator()
    export = file_menu.addMenu(translate("MainWindow", "&Export"))
    for action in w.export_model_actions.values():
        export.addAction(action)
    export.addSeparator()
    export.addAction(w.export_iteration_png_action)
    export.addAction(w.export_iteration_csv_action)
    export.addAction(w.export_epoch_png_action)
    export.addAction(w.export_epoch_csv_action)
    file_menu.addAction(w.predict_csv_action)
    file_menu.addAction(w.run_logs_action)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)
    w.run_menu = run_menu = bar.addMenu(translate("MainWindow", "&Run"))
    run_menu.setObjectName("runMenu")
    run_menu.addAction(w.start_action)
    run_menu.addAction(w.pause_action)
    run_menu.addAction(w.stop_action)
    w.view_menu = view_menu = bar.addMenu(translate("MainWindow", "&View"))
    view_menu.setObjectName("viewMenu")
    view_menu.addAction(w.log_scale_action)
    view_menu.addAction(w.reset_view_action)
    view_menu.addSeparator()
    w.language_menu = view_menu.addMenu(translate("MainWindow", "&Language"))
    w.language_menu.setObjectName("languageMenu")
    w.language_menu.addActions(list(w.language_actions.values()))
    w.help_menu = help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    help_menu.setObjectName("helpMenu")
    help_menu.addAction(w.about_action)
    fill_recent_menu(w)


def fill_recent_menu(window: MainWindow) -> None:
    """File > Open recent: the remembered files, newest first, and "Clear the list"."""
    menu = window.recent_menu
    menu.clear()
    files = window.settings.recent_files()
    for file in files:
        action = menu.addAction(Path(file).name)
        action.setToolTip(file)
        action.setStatusTip(file)
        action.triggered.connect(lambda _checked=False, f=file: window.open_path(f))
    if files:
        menu.addSeparator()
        menu.addAction(translate("MainWindow", "Clear the list"),
                       lambda: _clear_recent(window))
    menu.setEnabled(bool(files))


def _clear_recent(window: MainWindow) -> None:
    window.settings.clear_recent_files()
    fill_recent_menu(window)


def choose_language(window: MainWindow, code: str) -> None:
    """View > Language: remembered for the next start, said in both languages."""
    window.settings.set_language(code)
    # Said in the current language and, when it differs, in the chosen one too.
    notes = [translate("MainWindow", "The language takes effect after a restart.")]
    app = QCoreApplication.instance()
    if app is not None and app.property("workbenchLanguage") != code:
        notes.append(_RESTART_NOTES[code])
    box = QMessageBox(QMessageBox.Icon.Information, translate("MainWindow", "Language"),
                      "\n".join(notes), QMessageBox.StandardButton.Ok, window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # window-modal, not exec(): nothing waits on it


def update_actions(window: MainWindow) -> None:
    """Enable what can be done now: files and Start while idle, Pause and Stop while running,
    model actions when there is a model."""
    w = window
    idle = not w.controller.is_active
    model = w.document.model
    has_model = model is not None
    running = not idle and w.controller.state != RunState.STOPPING
    w.start_action.setEnabled(idle and not w.document.loading)
    w.pause_action.setEnabled(running)
    w.stop_action.setEnabled(running)
    # A model being read (in the background) keeps the file actions off until it is open.
    files = idle and not w.document.loading
    w.open_model_action.setEnabled(files)
    w.open_config_action.setEnabled(files)
    w.recent_menu.setEnabled(files and bool(w.settings.recent_files()))
    w.save_model_action.setEnabled(files and has_model)
    w.save_model_as_action.setEnabled(files and has_model)
    for action in w.export_model_actions.values():
        action.setEnabled(files and has_model and not w.exports.exporting)
    w.predict_csv_action.setEnabled(idle and has_model and len(model.input_shape) == 1)
