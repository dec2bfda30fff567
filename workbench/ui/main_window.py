"""The main window: composes the panels and the parts that give it behaviour.

No training logic lives here. The parts, each in its own module:

- ``window_layout``: where panels sit, the slots features place their views by, the geometry;
- ``window_run``: starting and stopping a run, the controller's events shown in the views;
- ``window_files``: opening and saving models and configurations, recent files, data files;
- ``window_exports`` and ``window_predictions``: writing plots, models and predictions;
- ``window_recovery``: autosave folders and the recovery of an interrupted run;
- ``window_screen``: presentation mode as real full screen;
- ``document``: the model, its owner file and its modified flag; ``actions``: actions and menus.

Features (``ui/features``) plug in through ``add_tab``, ``add_side_view``, ``add_header_view``,
``add_menu_actions`` and the window's signals, never by touching its layouts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from workbench import __version__
from workbench.config import TrainConfig
from workbench.ui import actions
from workbench.ui.autosave import RunFolder
from workbench.ui.background import join_background, run_in_background
from workbench.ui.document import ModelDocument, SaveReason
from workbench.ui.panels.concept_panel import ConceptPanel
from workbench.ui.panels.config_form import ConfigForm
from workbench.ui.panels.plots_panel import PlotsPanel
from workbench.ui.panels.predict_panel import PredictPanel
from workbench.ui.panels.run_controls import RunControls
from workbench.ui.panels.status_panel import RunStatus
from workbench.ui.run_position import data_source
from workbench.ui.settings import Settings
from workbench.ui.training import TrainingController
from workbench.ui.window_exports import WindowExports
from workbench.ui.window_files import WindowFiles
from workbench.ui.window_layout import (
    WindowLayout,
    add_menu_actions,
    restore_geometry,
    save_geometry,
)
from workbench.ui.window_predictions import WindowPredictions
from workbench.ui.window_recovery import RunRecovery
from workbench.ui.window_run import RunGlue
from workbench.ui.window_screen import ScreenModes

if TYPE_CHECKING:
    from workbench.core.data import PreparedData
    from workbench.core.devices import DeviceInfo
    from workbench.core.modelfile import TrainedModel

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Workbench's window. ``start_training()``, ``save_model_to()``, ``open_path()`` etc. are
    what the menus call; tests and the benchmark call them too.

    ``document`` holds the current model, its file and whether it is saved; whatever would drop
    unsaved work asks ``ask_save_changes()`` first."""

    export_finished = Signal(str)  # the exported path, or "" when the export failed
    model_changed = Signal()  # self.model was replaced: a run ended or a file was opened
    # The form was switched to other data (data set, file, sheet, target or folder): every view
    # of the previous data's run has been or is to be cleared.
    data_changed = Signal()
    # The window is closing: features end their work (and put the form back) before the
    # window saves its settings and joins its threads.
    shutting_down = Signal()
    # The run's events, after the window has handled each (its model taken, its plots reset):
    # features listen here rather than to the controller.
    run_started = Signal(object)  # RunStarted
    run_finished = Signal(object)  # RunFinished
    run_failed = Signal(object)  # RunFailed
    run_state_changed = Signal(str)  # a RunState value

    def __init__(self, config: TrainConfig | None = None, settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Workbench"))
        self.settings = settings if settings is not None else Settings()
        self.controller = TrainingController(self)
        self.document = ModelDocument(self)
        self._shown_once = False
        self._shut_down = False
        self.run = RunGlue(self)
        self.files = WindowFiles(self)
        self.exports = WindowExports(self)
        self.predictions = WindowPredictions(self)
        self.recovery = RunRecovery(self)

        self.form = ConfigForm()
        self.run_controls = RunControls()
        self.plots = PlotsPanel()
        self.concept_panel = ConceptPanel()
        self.predict_panel = PredictPanel()
        self.iteration_plot = self.plots.iteration_plot
        self.epoch_plot = self.plots.epoch_plot
        self._build_layout()
        self.status = RunStatus(self.statusBar())
        actions.build_actions(self)
        actions.build_menus(self)
        self._connect()

        self.form.set_config(config or self.settings.last_config() or TrainConfig())
        self.run.data_source = data_source(self.form.config().data)
        self.plots.set_smoothing(self.settings.smoothing())
        self.plots.set_log_scale(self.settings.log_y())
        restore_geometry(self, self.settings)
        self.update_actions()
        self.run.update_concept_plan()
        self._install_features()
        self.screen_modes = ScreenModes(self)
        self._presentation = getattr(self.features.get("explanations"), "presentation_action",
                                     None)
        self.screen_modes.follow(self._presentation)

    # -- construction and the slots features use -----------------------------------------------
    def _build_layout(self) -> None:
        self.window_layout = WindowLayout(self, self.form, self.run_controls,
                                          self.concept_panel, self.plots)
        self.tabs = self.window_layout.tabs
        self.training_tab = self.window_layout.training_tab
        self.splitter = self.window_layout.splitter
        self.add_tab(self.training_tab, self.tr("Training"))
        self.add_tab(self.predict_panel, self.tr("Try the model"))
        self.setCentralWidget(self.splitter)

    def add_tab(self, widget: QWidget, title: str, index: int | None = None) -> int:
        """A tab of its own (last, or at ``index``); returns its index."""
        return self.window_layout.add_tab(widget, title, index)

    def add_side_view(self, widget: QWidget, title: str, stretch: int = 1) -> None:
        """A view beside the plots on the Training tab; hidden, it gives its room back."""
        self.window_layout.add_side_view(widget, title, stretch)

    def add_header_view(self, widget: QWidget) -> None:
        """A view across the Training tab, under the concept panel and above the plots."""
        self.window_layout.add_header_view(widget)

    def add_menu_actions(self, menu_name: str, items: Iterable[QAction | QMenu],
                         separator: bool = True) -> None:
        """Actions or submenus at the end of the "file", "run", "view" or "help" menu."""
        menus = {"file": self.file_menu, "run": self.run_menu, "view": self.view_menu,
                 "help": self.help_menu}
        add_menu_actions(menus[menu_name], items, separator)

    def _install_features(self) -> None:
        """Each feature module adds its tab, menu entries and listeners to this window."""
        from workbench.ui.features import installers

        self.features: dict[str, object] = {name: install(self)
                                            for name, install in installers().items()}

    def _connect(self) -> None:
        self.document.changed.connect(self.update_actions)
        self.document.saved.connect(self.files.on_document_saved)
        self.run.connect_controller()
        data = self.form.data_panel
        data.open_csv_requested.connect(self.files.on_open_csv_requested)
        data.open_images_requested.connect(self.files.on_open_images_requested)
        data.table_failed.connect(self.files.on_table_failed)
        self.form.preview_ready.connect(self.predictions.on_preview_ready)
        self.plots.log_scale_changed.connect(self._on_log_scale_changed)
        self.plots.smoothing_changed.connect(self.settings.set_smoothing)
        self.exports.connect_plots()
        self.predict_panel.predict_csv_requested.connect(self.predictions.predict_csv_dialog)

    # -- state ---------------------------------------------------------------------------------
    @property
    def model(self) -> TrainedModel | None:
        """The current model (the document's); None before any run or file."""
        return self.document.model

    @model.setter
    def model(self, model: TrainedModel | None) -> None:
        self.document.replace_model(model)

    @property
    def model_path(self) -> str | None:
        """The current model's file, where Ctrl+S writes; None while it is untitled."""
        path = self.document.path
        return None if path is None else str(path)

    @property
    def is_shut_down(self) -> bool:
        return self._shut_down

    @property
    def run_log_dir(self) -> str | None:
        """The log folder of the latest run, when it writes one."""
        return self.run.log_dir

    @property
    def _run_folder(self) -> RunFolder | None:
        return self.recovery.run_folder

    @property
    def autosave(self) -> bool:
        return self.recovery.enabled

    @autosave.setter
    def autosave(self, on: bool) -> None:
        self.recovery.enabled = on

    # -- start-up ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # After the first paint: listing devices imports torch, which takes most of a
            # second; the window is already on screen by then.
            QTimer.singleShot(0, self._after_first_show)

    def _after_first_show(self) -> None:
        if self._shut_down:
            return
        if self._presentation is not None and self._presentation.isChecked():
            self.screen_modes.set_full_screen(True)  # presentation mode, as remembered

        def detect() -> list[DeviceInfo]:
            from workbench.core.devices import list_devices

            return list_devices()

        run_in_background(self, detect, self._on_devices_detected, self._on_devices_failed,
                          name="workbench-devices")
        self.form.refresh_preview()
        self.recovery.offer()

    def _on_devices_detected(self, devices: list[DeviceInfo]) -> None:
        self.form.device_panel.set_devices(devices)
        if devices:
            self.status.set_device(devices[0].name if self.form.device_panel.device() == "auto"
                                   else self.form.device_panel.device_combo.currentText())

    def _on_devices_failed(self, exc: BaseException) -> None:
        log.error("device detection failed", exc_info=exc)
        self.form.device_panel.set_devices([])

    # -- what the menus, tests and the benchmark call -------------------------------------------
    def start_training(self, config: TrainConfig | None = None,
                       data: PreparedData | None = None, confirm: bool = False) -> bool:
        """Validate the form and start a run; False (with the problems shown) when blocked.

        ``config`` is put into the form first; ``data`` (already prepared from exactly that
        config's data settings) saves reading the data again, as the benchmark does. With
        ``confirm`` (Start pressed), a fresh run over an unsaved model asks Save / Discard /
        Cancel first; Cancel starts nothing.
        """
        return self.run.start(config, data, confirm)

    def toggle_pause(self) -> None:
        self.controller.toggle_pause()

    def stop_training(self) -> None:
        self.controller.stop()

    def retry_with_batch_size(self, batch_size: int) -> bool:
        """Put ``batch_size`` into the form and start again (offered after running out of
        memory). False when a run is active or the settings do not validate."""
        return self.run.retry_with_batch_size(batch_size)

    def ask_save_changes(self, reason: SaveReason | str) -> bool:
        """Before ``reason`` drops unsaved work (a modified model, or the model of a run under
        way): Save / Discard / Cancel. True: go on; False: keep everything as it is."""
        running = self.controller.is_active
        return self.document.ask_save_changes(
            reason, running=running, before_save=self.run.end_run_now if running else None)

    def save_model_to(self, path: str | Path) -> bool:
        return self.document.save_to(path)

    def open_model_path(self, path: str | Path) -> bool:
        """Load a model (after Save / Discard / Cancel over unsaved work) without blocking the
        window: the form shows its settings, the Try tab its summary; the data it was
        trained on is offered, never read unasked."""
        return self.files.open_model(path)

    def show_loaded_model(self, model: TrainedModel) -> None:
        """Show a model that is already the document's (from a file or a recovered run)."""
        self.files.show_model(model)

    def open_config_path(self, path: str | Path) -> bool:
        """Put a run configuration's settings into the form (after Save / Discard / Cancel
        over unsaved work)."""
        return self.files.open_config(path)

    def save_config_to(self, path: str | Path) -> bool:
        return self.files.save_config(path)

    def open_path(self, path: str | Path) -> bool:
        """A model (.wbm) or a run configuration (.toml), by its suffix."""
        return self.files.open_path(path)

    def use_csv(self, path: str | Path) -> None:
        """Train on a table file (CSV, TSV, Excel...): the data panel reads it and describes
        its columns in the background; a failure is shown in a message box."""
        self.form.data_panel.open_table(str(path))

    def export_model_to(self, fmt: str, path: str | Path) -> bool:
        """Export the current model in a background thread (it takes seconds); the result
        (with its verification figures) goes to the status bar, a failure to a dialog."""
        return self.exports.export(fmt, path)

    def predict_csv(self, source: str | Path, target: str | Path) -> int | None:
        """Write the current model's predictions for a table; the row count, or None."""
        return self.predictions.predict_csv(source, target)

    def recover_run(self, folder: str | Path) -> bool:
        """Load an interrupted run's checkpoint as the current (unsaved) model; the folder is
        removed either way, so a broken checkpoint is not offered again and again."""
        return self.recovery.recover(folder)

    # -- small slots -----------------------------------------------------------------------------
    def _on_log_scale_changed(self, on: bool) -> None:
        self.log_scale_action.setChecked(on)
        self.settings.set_log_y(on)

    def reset_plot_views(self) -> None:
        for plot in (self.iteration_plot, self.epoch_plot):
            plot.follow_data()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Workbench"), self.tr(
            "<b>Workbench {version}</b><p>Train neural networks by clicking: pick data, set "
            "epochs, batch size, dropout, optimizer and learning rate, press Start and watch "
            "the network learn.</p>").format(version=__version__))

    def update_actions(self) -> None:
        """Enable what can be done now; the title names the model's file or "Untitled", with
        [*] (shown as *) while it is unsaved."""
        actions.update_actions(self)
        if self.document.model is None:
            self.setWindowTitle(self.tr("Workbench[*]"))
        else:
            self.setWindowTitle(self.tr("{name}[*] - Workbench").format(
                name=self.document.name()))
        self.setWindowModified(self.document.modified)

    # -- closing ---------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop a run and join its thread; save what the window remembers. Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        self.shutting_down.emit()
        self.controller.shutdown()
        self.recovery.remove_run_folder()
        self.settings.set_last_config(self.form.config())
        save_geometry(self, self.settings)
        self.settings.sync()
        for plot in (self.iteration_plot, self.epoch_plot):
            plot.stop_refresh()
        self.form.stop_timers()
        join_background(timeout=2.0)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._shut_down and not self.ask_save_changes(SaveReason.CLOSE):
            event.ignore()  # Cancel: the window stays, and so do its model and its run
            return
        self.shutdown()
        super().closeEvent(event)
