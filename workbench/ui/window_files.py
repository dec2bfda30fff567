"""The window's files: opening models and configurations, saving configurations, the recent
files, the data files the form trains on, and the training file an opened model names.

A model file only names the table or image folder it was trained on: opening the model never
reads that path by itself. The window offers it ("This model was trained on FILE. Open it?")
when it is a regular file of bounded size (a folder, for images), and says so when it is not.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from workbench.config import load_toml, save_toml
from workbench.ui import actions, dialogs
from workbench.ui.core_text import error_text
from workbench.ui.document import SaveReason
from workbench.ui.run_position import data_source, model_position

if TYPE_CHECKING:
    from workbench.config import TrainConfig
    from workbench.core.modelfile import TrainedModel
    from workbench.ui.main_window import MainWindow

translate = QCoreApplication.translate

CONFIG_SUFFIX = ".toml"
# The largest table an opened model may offer to read (the table reader's own limit).
MAX_OFFERED_TABLE_BYTES = 1 * 2**30


def training_source(cfg: TrainConfig) -> str:
    """The file or folder a configuration trains on; "" for generated and bundled data."""
    data = cfg.data
    return {"csv": data.csv_path, "images": data.image_dir}.get(data.dataset, "") or ""


def source_problem(cfg: TrainConfig) -> str:
    """Why the file or folder ``cfg`` names cannot be offered; "" when it can. Looks at the
    path's kind and size only (one ``stat``), never at its contents."""
    source = training_source(cfg)
    try:
        info = os.stat(source)
    except (OSError, ValueError) as exc:
        return translate("MainWindow", "it cannot be found here ({error})").format(
            error=error_text(exc))
    if cfg.data.dataset == "images":
        if not stat.S_ISDIR(info.st_mode):
            return translate("MainWindow", "it is not a folder")
        return ""
    if not stat.S_ISREG(info.st_mode):
        return translate("MainWindow", "it is not a regular file")
    if info.st_size > MAX_OFFERED_TABLE_BYTES:
        return translate("MainWindow", "it is larger than {limit} MB").format(
            limit=MAX_OFFERED_TABLE_BYTES // 2**20)
    return ""


class WindowFiles(QObject):
    """Open, save and remember files for the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.offer_box: QMessageBox | None = None  # "trained on FILE: open it?", while open

    # -- models ----------------------------------------------------------------------------------
    def open_model_dialog(self) -> None:
        w = self._window
        path = dialogs.ask_open_file(w, translate("MainWindow", "Open model"),
                                     dialogs.MODEL_FILTER, w.document.folder)
        if path:
            w.open_model_path(path)

    def open_model(self, path: str | Path) -> bool:
        """See ``MainWindow.open_model_path``."""
        w = self._window
        if (w.controller.is_active or w.document.loading
                or not w.ask_save_changes(SaveReason.OPEN_MODEL)):
            return False
        w.statusBar().showMessage(translate("MainWindow", "Opening {path}...").format(path=path))
        model = w.document.load(path)
        if model is None or w.is_shut_down:
            w.statusBar().clearMessage()
            return False
        self.show_model(model)
        self.remember(path)
        w.statusBar().showMessage(translate("MainWindow", "Opened {path}").format(path=path))
        return True

    def show_model(self, model: TrainedModel) -> None:
        """A model from a file or a recovered run, already the document's: the form shows its
        settings (without its training file, which is offered instead), the Try tab its
        summary."""
        w = self._window
        source = training_source(model.config)
        cfg = model.config
        if source:
            # Not read until the person says so: the form shows the settings without the path.
            field = "csv_path" if cfg.data.dataset == "csv" else "image_dir"
            cfg = replace(cfg, data=replace(cfg.data, **{field: ""}))
        w.form.set_config(cfg)
        # What the form holds now is this model's data (without a file, it has no target
        # either): no later "other data" clears the model's views.
        w.run.data_source = data_source(w.form.config().data)
        w.run_controls.set_model_available(True)
        w.predict_panel.set_model(model, w.form.prepared_data_for(model.config))
        # The plots and counters showed another run; this model brings its summary only.
        w.plots.clear()
        w.controller.show_position(model_position(model),
                                   elapsed=float(model.summary.get("seconds") or 0.0))
        w.tabs.setCurrentWidget(w.predict_panel)
        w.model_changed.emit()
        if source:
            # After the caller's own status message: the question follows the opening.
            QTimer.singleShot(0, lambda: self._offer_training_data(model))

    def _offer_training_data(self, model: TrainedModel) -> None:
        w = self._window
        if model is not w.model or w.is_shut_down or w.controller.is_active:
            return
        source = training_source(model.config)
        problem = source_problem(model.config)
        title = translate("MainWindow", "The model's training data")
        if problem:
            box = dialogs.show_message(
                w, title, translate("MainWindow", "This model was trained on {path}, which is "
                                    "not available: {problem}.").format(path=source,
                                                                         problem=problem),
                translate("MainWindow", "The model can be tried and exported without it. To "
                          "train it further, open a table or image folder in the form."),
                icon=QMessageBox.Information)
            box.setObjectName("trainingDataUnavailableBox")
            self.offer_box = box
            return
        box = dialogs.show_message(
            w, title, translate("MainWindow", "This model was trained on {path}. Open it?"
                                ).format(path=source),
            translate("MainWindow", "Opening it reads the data, shows its points and lets "
                      "you train the model further."), icon=QMessageBox.Question)
        box.setObjectName("openTrainingDataBox")
        box.setStandardButtons(QMessageBox.Open | QMessageBox.Ignore)
        box.setDefaultButton(QMessageBox.Open)
        box.button(QMessageBox.Open).setObjectName("openTrainingDataButton")
        box.button(QMessageBox.Ignore).setObjectName("ignoreTrainingDataButton")
        box.button(QMessageBox.Ignore).setText(translate("MainWindow", "Not now"))
        box.button(QMessageBox.Open).clicked.connect(lambda: self.open_training_data(model))
        self.offer_box = box

    def open_training_data(self, model: TrainedModel) -> bool:
        """Put the model's own data settings, file included, into the form (which reads it in
        the background); False when the model or the file is no longer what was offered."""
        w = self._window
        if model is not w.model or w.controller.is_active or source_problem(model.config):
            return False
        w.run.data_source = data_source(model.config.data)  # the model's data: nothing stale
        w.form.set_config(model.config)
        return True

    # -- configurations --------------------------------------------------------------------------
    def open_config_dialog(self) -> None:
        path = dialogs.ask_open_file(self._window, translate("MainWindow", "Open configuration"),
                                     dialogs.CONFIG_FILTER)
        if path:
            self._window.open_config_path(path)

    def save_config_dialog(self) -> None:
        path = dialogs.ask_save_file(self._window, translate("MainWindow", "Save configuration"),
                                     dialogs.CONFIG_FILTER, "run.toml", CONFIG_SUFFIX)
        if path:
            self._window.save_config_to(path)

    def open_config(self, path: str | Path) -> bool:
        """See ``MainWindow.open_config_path``."""
        w = self._window
        if w.controller.is_active or not w.ask_save_changes(SaveReason.OPEN_CONFIG):
            return False
        try:
            cfg = load_toml(path)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(w, exc, translate("MainWindow", "opening {path}").format(
                path=path))
            return False
        w.form.set_config(cfg)
        self.remember(path)
        w.statusBar().showMessage(translate("MainWindow", "Loaded the settings from {path}"
                                            ).format(path=path))
        return True

    def save_config(self, path: str | Path) -> bool:
        """See ``MainWindow.save_config_to``."""
        w = self._window
        try:
            save_toml(w.form.config(), path)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(w, exc, translate(
                "MainWindow", "saving the settings to {path}").format(path=path))
            return False
        self.remember(path)
        w.statusBar().showMessage(translate("MainWindow", "Saved the settings to {path}"
                                            ).format(path=path))
        return True

    def open_path(self, path: str | Path) -> bool:
        """A model (.wbm) or a run configuration (.toml), by its suffix."""
        if str(path).lower().endswith(CONFIG_SUFFIX):
            return self._window.open_config_path(path)
        return self._window.open_model_path(path)

    # -- recent files and the document ---------------------------------------------------------
    def remember(self, path: str | Path) -> None:
        self._window.settings.add_recent_file(path)
        actions.fill_recent_menu(self._window)

    def on_document_saved(self, path: str) -> None:
        self.remember(path)
        self._window.statusBar().showMessage(translate("MainWindow", "Saved the model to {path}"
                                                       ).format(path=path))

    # -- the form's data files ---------------------------------------------------------------------
    def on_open_csv_requested(self) -> None:
        w = self._window
        path = dialogs.ask_open_file(w, translate("MainWindow", "Open a table (CSV, TSV or "
                                                  "Excel)"), translate(
            "MainWindow",
            "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.csv.gz *.tsv.gz *.txt.gz *.gz "
            "*.bz2 *.xz *.zip);;All files (*)"))
        if path:
            w.use_csv(path)
        else:
            w.form.data_panel.cancel_file_choice()

    def on_table_failed(self, path: str, exc: BaseException) -> None:
        w = self._window
        dialogs.show_exception(w, exc, translate("MainWindow", "reading {path}").format(
            path=path))
        w.form.data_panel.cancel_file_choice()

    def on_open_images_requested(self) -> None:
        w = self._window
        folder = dialogs.ask_folder(w, translate("MainWindow", "Open image folder (one "
                                                 "sub-folder per class)"))
        if folder:
            w.form.data_panel.set_image_dir(folder)
        else:
            w.form.data_panel.cancel_file_choice()
