"""The main window: composes the panels, adapts the training controller.

No training logic lives here: the form produces a TrainConfig, the controller runs the engine,
and its batched events are handed to the plots and the status bar. The model and its file are
the document's (``document.py``); the actions and menus are built in ``actions.py``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QEventLoop, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from workbench import __version__
from workbench.config import TrainConfig, load_toml, save_toml
from workbench.core.events import EpochEnded, RunFailed, RunFinished, RunStarted
from workbench.ui import actions, dialogs, outcome
from workbench.ui.autosave import RunFolder, abandoned_runs, discard_run
from workbench.ui.background import join_background, run_in_background
from workbench.ui.core_text import device_name_text
from workbench.ui.document import ModelDocument, SaveReason
from workbench.ui.panels.concept_panel import ConceptPanel
from workbench.ui.panels.config_form import ConfigForm
from workbench.ui.panels.plots_panel import PlotsPanel
from workbench.ui.panels.predict_panel import PredictPanel
from workbench.ui.panels.run_controls import RunControls
from workbench.ui.panels.status_panel import RunStatus
from workbench.ui.run_position import RunPosition, data_source, model_position
from workbench.ui.settings import Settings
from workbench.ui.training import Progress, RunState, TrainingController
from workbench.ui.window_layout import WindowLayout, add_menu_actions

if TYPE_CHECKING:
    from workbench.core.data import PreparedData
    from workbench.core.devices import DeviceInfo
    from workbench.core.export import ExportResult
    from workbench.core.modelfile import TrainedModel

log = logging.getLogger(__name__)

CONFIG_SUFFIX = ".toml"


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
        self._continuing = False
        self._data_source: tuple[str, ...] | None = None  # the data the views show
        self._iteration_offset = 0
        self._epoch_offset = 0
        self._shown_once = False
        self._shut_down = False
        self._exporting = False
        self.run_log_dir: str | None = None
        # The active run's autosave folder; removed when the run ends in this process.
        self._run_folder: RunFolder | None = None
        self.autosave = True

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
        self._data_source = data_source(self.form.config().data)
        self.plots.set_smoothing(self.settings.smoothing())
        self.plots.set_log_scale(self.settings.log_y())
        self._restore_geometry()
        self._update_actions()
        self._update_concept_plan()
        self._install_features()

    # -- construction and the slots features use -------------------------------------------
    def _build_layout(self) -> None:
        self.window_layout = WindowLayout(self, self.form, self.run_controls,
                                          self.concept_panel, self.plots)
        self.tabs = self.window_layout.tabs
        self.training_tab = self.window_layout.training_tab
        self.training_layout = self.window_layout.training_layout
        self.splitter = self.window_layout.splitter
        self.add_tab(self.training_tab, self.tr("Training"))
        self.add_tab(self.predict_panel, self.tr("Try the model"))
        self.setCentralWidget(self.splitter)

    def add_tab(self, widget: QWidget, title: str, index: int | None = None) -> int:
        """A tab of its own (last, or at ``index``); returns its index."""
        return self.window_layout.add_tab(widget, title, index)

    def add_side_view(self, widget: QWidget, title: str, stretch: int = 1) -> None:
        """A view in the column beside the plots on the Training tab."""
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

    def _connect(self) -> None:
        self.document.changed.connect(self._update_actions)
        self.document.saved.connect(self._on_document_saved)
        c = self.controller
        c.run_started.connect(self._on_run_started)
        c.iterations_received.connect(self._on_iterations_received)
        c.epochs_ended.connect(self._on_epochs_ended)
        c.progress_changed.connect(self._on_progress_changed)
        c.state_changed.connect(self._on_state_changed)
        c.run_finished.connect(self._on_run_finished)
        c.run_failed.connect(self._on_run_failed)
        rc = self.run_controls
        rc.start_button.clicked.connect(self._on_start_triggered)
        rc.pause_button.clicked.connect(self.toggle_pause)
        rc.stop_button.clicked.connect(self.stop_training)
        data = self.form.data_panel
        data.open_csv_requested.connect(self._on_open_csv_requested)
        data.open_images_requested.connect(self._on_open_images_requested)
        data.table_failed.connect(self._on_table_failed)
        self.form.preview_ready.connect(self._on_preview_ready)
        # Edits say so at once; settings put in whole (a recorded run's) once their data is read.
        self.form.changed.connect(self._on_form_changed)
        self.form.preview_ready.connect(self._on_form_changed)
        self.plots.log_scale_changed.connect(self._on_log_scale_changed)
        self.plots.smoothing_changed.connect(self.settings.set_smoothing)
        for plot, png, csv in ((self.iteration_plot, self._on_export_iteration_png,
                                self._on_export_iteration_csv),
                               (self.epoch_plot, self._on_export_epoch_png,
                                self._on_export_epoch_csv)):
            plot.save_png_requested.connect(png)
            plot.save_csv_requested.connect(csv)
        self.predict_panel.predict_csv_requested.connect(self._on_predict_csv_triggered)

    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1360, 860)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter()
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([380, 980])

    # -- start-up ----------------------------------------------------------------------------
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

        def detect() -> list[DeviceInfo]:
            from workbench.core.devices import list_devices

            return list_devices()

        run_in_background(self, detect, self._on_devices_detected, self._on_devices_failed,
                          name="workbench-devices")
        self.form.refresh_preview()
        self._offer_recovery()

    # -- autosave and recovery -----------------------------------------------------------------
    def _offer_recovery(self) -> None:
        """A run that a previous process never finished (it crashed or was killed) left its
        last epoch's checkpoint behind: offer it."""
        if self._shut_down or self.controller.is_active:
            return
        try:
            runs = abandoned_runs()
        except OSError as exc:
            log.warning("cannot look for interrupted runs: %s", exc)
            return
        if not runs:
            return
        folder = runs[0]
        checkpoint = RunFolder(folder).checkpoint
        try:
            when = datetime.fromtimestamp(checkpoint.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        except OSError:
            when = folder.name
        dialogs.offer_recovery(self, when, lambda: self.recover_run(folder),
                               lambda: discard_run(folder))

    def recover_run(self, folder: str | Path) -> bool:
        """Load an interrupted run's checkpoint as the current (unsaved) model; the folder is
        removed either way, so a broken checkpoint is not offered again and again."""
        from workbench.core.modelfile import load_checkpoint

        if self.controller.is_active or self._shut_down:
            return False
        folder = Path(folder)
        checkpoint = RunFolder(folder).checkpoint
        try:
            model, state, _extra = load_checkpoint(checkpoint)
        except Exception as exc:  # noqa: BLE001 - shown to the person, the window goes on
            dialogs.show_exception(self, exc, self.tr("recovering {path}").format(
                path=checkpoint))
            discard_run(folder)
            return False
        discard_run(folder)
        self.document.take_recovered_model(model)
        self._show_loaded_model(model)
        self.statusBar().showMessage(self.tr(
            "Recovered the model from epoch {epoch} of the interrupted run; save it to keep "
            "it.").format(epoch=state.get("epoch", "?")))
        return True

    def _new_run_folder(self) -> str | None:
        """A fresh autosave folder for the run about to start; None runs without autosave."""
        self._remove_run_folder()
        if not self.autosave:
            return None
        try:
            self._run_folder = RunFolder.create()
        except OSError as exc:  # a read-only or full disk must not stop training
            log.warning("autosave is off for this run: %s", exc)
            return None
        return str(self._run_folder.checkpoint)

    def _remove_run_folder(self) -> None:
        if self._run_folder is not None:
            self._run_folder.remove()
            self._run_folder = None

    def _on_devices_detected(self, devices: list[DeviceInfo]) -> None:
        self.form.device_panel.set_devices(devices)
        if devices:
            self.status.set_device(devices[0].name if self.form.device_panel.device() == "auto"
                                   else self.form.device_panel.device_combo.currentText())

    def _on_devices_failed(self, exc: BaseException) -> None:
        log.error("device detection failed", exc_info=exc)
        self.form.device_panel.set_devices([])

    # -- running -----------------------------------------------------------------------------
    def start_training(self, config: TrainConfig | None = None,
                       data: PreparedData | None = None, confirm: bool = False) -> bool:
        """Validate the form and start a run; False (with the problems shown) when blocked.

        ``config`` is put into the form first; ``data`` (already prepared from exactly that
        config's data settings) saves reading the data again, as the benchmark does. With
        ``confirm`` (Start pressed), a fresh run over an unsaved model asks Save / Discard /
        Cancel first; Cancel starts nothing.
        """
        if self.controller.is_active:
            return False
        if config is not None:
            self.form.set_config(config)  # says nothing of other data: it is looked at here
        self._on_form_changed()
        cfg = self.form.config()
        data = data if data is not None else self.form.prepared_data_for(cfg)
        problems = cfg.validate(n_train=data.n_train if data is not None else None)
        if problems:
            self.form.show_problems(problems)
            dialogs.show_problems(self, problems)
            return False
        self.form.clear_problems()
        initial = None
        continuing = bool(self.run_controls.continue_check.isChecked()
                          and self.model is not None)
        if confirm and not continuing and not self.ask_save_changes(SaveReason.START):
            return False
        self._continuing = continuing
        if self._continuing:
            initial = self.model
            # The engine counts from 1 again; the plots carry on where they were.
            self._iteration_offset = self.iteration_plot.next_iteration - 1
            self._epoch_offset = len(self.epoch_plot)
        else:
            self._iteration_offset = 0
            self._epoch_offset = 0
            self.iteration_plot.reset()
            self.epoch_plot.reset()
        self.settings.set_last_config(cfg)
        self.statusBar().showMessage(self.tr("Starting..."))
        self.run_log_dir = self._new_log_folder(cfg) if self.run_logs_action.isChecked() else None
        self.controller.start(cfg, data=data, initial=initial,
                              checkpoint_path=self._new_run_folder(), log_dir=self.run_log_dir)
        return True

    def _new_log_folder(self, cfg: TrainConfig) -> str:
        """A fresh folder per run under Documents/Workbench runs, named by time and data."""
        import time

        import platformdirs

        root = Path(os.environ.get("WORKBENCH_RUNLOG_DIR")
                    or Path(platformdirs.user_documents_dir()) / "Workbench runs")
        stem = time.strftime("%Y-%m-%d_%H-%M-%S") + "_" + cfg.data.dataset
        folder, n = root / stem, 2
        while folder.exists():
            folder, n = root / f"{stem}_{n}", n + 1
        return str(folder)

    def _on_start_triggered(self) -> None:
        # The button's and action's "checked" argument is not a config.
        self.start_training(confirm=True)

    def toggle_pause(self) -> None:
        self.controller.toggle_pause()

    def stop_training(self) -> None:
        self.controller.stop()

    def _on_run_started(self, event: RunStarted) -> None:
        # The run's own plan; its position follows with the controller's next publication.
        self.concept_panel.set_plan(event.train_samples, event.batch_size, event.epochs,
                                    self.form.config().run.drop_last)
        classification = event.task == "classification"
        if not self._continuing:
            self.iteration_plot.reset(start_iteration=event.start_iteration,
                                      start_epoch=event.start_epoch)
            self.epoch_plot.reset(start_epoch=event.start_epoch, classification=classification)
        device = device_name_text(event.device_name)
        self.status.set_device(device)
        self.statusBar().showMessage(self.tr(
            "Training on {device}: {n} samples, batch {batch}, {ipe} iterations per epoch"
        ).format(device=device, n=f"{event.train_samples:,}",
                 batch=f"{event.batch_size:,}", ipe=f"{event.iterations_per_epoch:,}"))
        self.run_started.emit(event)

    def _on_iterations_received(self, first: int, losses: object) -> None:
        self.iteration_plot.append_losses(first + self._iteration_offset, losses)

    def _on_epochs_ended(self, epochs: list[EpochEnded]) -> None:
        self.iteration_plot.add_epoch_ends([e.iteration + self._iteration_offset
                                            for e in epochs])
        self.epoch_plot.append_epochs(epochs, epoch_offset=self._epoch_offset)

    def _on_progress_changed(self, progress: Progress) -> None:
        # One published position, shown by both in the same call (and by the live views).
        self.status.show_progress(progress)
        self.concept_panel.set_position(progress.position)

    def _on_form_changed(self) -> None:
        source = data_source(self.form.config().data)
        if source != self._data_source and not self.controller.is_active:
            self._data_source = source
            # Other data: no plot, picture, counter or evaluation of the previous one stays.
            self.plots.clear()
            self.controller.show_position(RunPosition())
            self.statusBar().clearMessage()
            self.data_changed.emit()
        self._update_concept_plan()

    def _update_concept_plan(self) -> None:
        """The form's plan in words; the panel keeps a finished run's position while the plan
        still describes that run."""
        if self.controller.is_active:
            return
        cfg = self.form.config()
        data = self.form.prepared_data_for(cfg)
        self.concept_panel.set_plan(data.n_train if data is not None else None,
                                    cfg.run.batch_size, cfg.run.epochs, cfg.run.drop_last)

    def _on_state_changed(self, value: str) -> None:
        state = RunState(value)
        for plot in (self.iteration_plot, self.epoch_plot):
            plot.set_live(state != RunState.IDLE)
        if state == RunState.IDLE:
            # The run ended here (finished, failed, stopped or shut down) and the window holds
            # its model: the autosave is only for a process that dies mid-run.
            self._remove_run_folder()
            # The last events were just drained: draw them now, not on the next timer tick.
            self.iteration_plot.refresh()
            self.epoch_plot.refresh()
        self.run_controls.set_state(state)
        self.form.set_read_only(state != RunState.IDLE)
        self._update_actions()
        self.run_state_changed.emit(value)

    def _on_run_finished(self, event: RunFinished) -> None:
        self._take_model()
        text = self.status.finished_text(event, self.controller.position)
        text += " " + outcome.status_line(event, self.controller)
        if self.run_log_dir and Path(self.run_log_dir).is_dir():
            text += " " + self.tr("Run log: {path}").format(path=self.run_log_dir)
        self.statusBar().showMessage(text)
        self.run_finished.emit(event)

    def _on_run_failed(self, event: RunFailed) -> None:
        self._take_model()
        self.statusBar().showMessage(self.tr("Training failed: see the message."))
        if event.kind == "config":
            engine = self.controller.last_engine
            data = getattr(engine, "data", None)
            cfg = self.form.config()
            problems = cfg.validate(n_train=data.n_train if data is not None else None)
            if problems:
                self.form.show_problems(problems)
        self.run_failed.emit(event)
        dialogs.show_run_failed(self, event, retry=self.retry_with_batch_size)

    def retry_with_batch_size(self, batch_size: int) -> bool:
        """Put ``batch_size`` into the form and start again (offered after running out of
        memory). False when a run is active or the settings do not validate."""
        if self.controller.is_active or self._shut_down:
            return False
        self.form.training_panel.batch_spin.setValue(batch_size)
        return self.start_training(confirm=True)

    def _take_model(self) -> None:
        model = self.controller.trained_model()
        if model is None:
            return
        self.document.take_run_model(model, continued=self._continuing)
        self.run_controls.set_model_available(True)
        self.predict_panel.set_model(model, self.controller.prepared_data())
        self.model_changed.emit()

    # -- model files ---------------------------------------------------------------------------
    def ask_save_changes(self, reason: SaveReason | str) -> bool:
        """Before ``reason`` drops unsaved work (a modified model, or the model of a run under
        way): Save / Discard / Cancel. True: go on; False: keep everything as it is."""
        running = self.controller.is_active
        return self.document.ask_save_changes(
            reason, running=running, before_save=self._end_run_now if running else None)

    def _end_run_now(self) -> None:
        """Stop the run under way and wait for its end, so that its model can be saved."""
        if not self.controller.is_active:
            return
        loop = QEventLoop()
        # The end is announced (and the model taken) in the same call that goes idle.
        self.controller.state_changed.connect(loop.quit)
        self.controller.stop()
        while self.controller.is_active:
            loop.exec()
        self.controller.state_changed.disconnect(loop.quit)

    def save_model_to(self, path: str | Path) -> bool:
        return self.document.save_to(path)

    def _on_document_saved(self, path: str) -> None:
        self._remember_file(path)
        self.statusBar().showMessage(self.tr("Saved the model to {path}").format(path=path))

    def open_model_path(self, path: str | Path) -> bool:
        """Load a model (after Save / Discard / Cancel over unsaved work): the form shows its
        settings, the Try tab its summary."""
        if self.controller.is_active or not self.ask_save_changes(SaveReason.OPEN_MODEL):
            return False
        model = self.document.load(path)
        if model is None:
            return False
        self._show_loaded_model(model)
        self._remember_file(path)
        self.statusBar().showMessage(self.tr("Opened {path}").format(path=path))
        return True

    def _show_loaded_model(self, model: TrainedModel) -> None:
        """A model from a file or a recovered run, already the document's: the form shows its
        settings, the Try tab its summary."""
        self.form.set_config(model.config)
        self._data_source = data_source(model.config.data)
        self.run_controls.set_model_available(True)
        self.predict_panel.set_model(model, self.form.prepared_data_for(model.config))
        # The plots and counters showed another run; this model brings its summary only.
        self.plots.clear()
        self.controller.show_position(model_position(model),
                                      elapsed=float(model.summary.get("seconds") or 0.0))
        self.tabs.setCurrentWidget(self.predict_panel)
        self.model_changed.emit()

    def open_config_path(self, path: str | Path) -> bool:
        """Put a run configuration's settings into the form (after Save / Discard / Cancel
        over unsaved work)."""
        if self.controller.is_active or not self.ask_save_changes(SaveReason.OPEN_CONFIG):
            return False
        try:
            cfg = load_toml(path)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(self, exc, self.tr("opening {path}").format(path=path))
            return False
        self.form.set_config(cfg)
        self._remember_file(path)
        self.statusBar().showMessage(self.tr("Loaded the settings from {path}").format(path=path))
        return True

    def save_config_to(self, path: str | Path) -> bool:
        try:
            save_toml(self.form.config(), path)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(self, exc, self.tr("saving the settings to {path}").format(
                path=path))
            return False
        self._remember_file(path)
        self.statusBar().showMessage(self.tr("Saved the settings to {path}").format(path=path))
        return True

    def open_path(self, path: str | Path) -> bool:
        """A model (.wbm) or a run configuration (.toml), by its suffix."""
        if str(path).lower().endswith(CONFIG_SUFFIX):
            return self.open_config_path(path)
        return self.open_model_path(path)

    def _remember_file(self, path: str | Path) -> None:
        self.settings.add_recent_file(path)
        actions.fill_recent_menu(self)

    # -- menu slots -------------------------------------------------------------------------------
    def _on_open_model_triggered(self) -> None:
        path = dialogs.ask_open_file(self, self.tr("Open model"), dialogs.MODEL_FILTER,
                                     self.document.folder)
        if path:
            self.open_model_path(path)

    def _on_open_config_triggered(self) -> None:
        path = dialogs.ask_open_file(self, self.tr("Open configuration"), dialogs.CONFIG_FILTER)
        if path:
            self.open_config_path(path)

    def _on_save_config_triggered(self) -> None:
        path = dialogs.ask_save_file(self, self.tr("Save configuration"), dialogs.CONFIG_FILTER,
                                     "run.toml", CONFIG_SUFFIX)
        if path:
            self.save_config_to(path)

    def _export(self, title: str, file_filter: str, suggested: str, suffix: str,
                write: object) -> None:
        path = dialogs.ask_save_file(self, title, file_filter, suggested, suffix)
        if not path:
            return
        try:
            write(path)  # type: ignore[operator]
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(self, exc, self.tr("writing {path}").format(path=path))
            return
        self.statusBar().showMessage(self.tr("Wrote {path}").format(path=path))

    def _on_export_iteration_png(self) -> None:
        self._export(self.tr("Save iteration plot"), dialogs.PNG_FILTER, "loss_per_iteration.png",
                     ".png", self.iteration_plot.save_png)

    def _on_export_iteration_csv(self) -> None:
        self._export(self.tr("Save iteration losses"), dialogs.CSV_FILTER,
                     "loss_per_iteration.csv", ".csv", self.iteration_plot.save_csv)

    def _on_export_epoch_png(self) -> None:
        self._export(self.tr("Save epoch plot"), dialogs.PNG_FILTER, "epochs.png", ".png",
                     self.epoch_plot.save_png)

    def _on_export_epoch_csv(self) -> None:
        self._export(self.tr("Save epoch metrics"), dialogs.CSV_FILTER, "epochs.csv", ".csv",
                     self.epoch_plot.save_csv)

    _EXPORT_SUFFIX: ClassVar[dict[str, str]] = {"onnx": ".onnx", "pt2": ".pt2", "script": ".py"}

    def _on_export_model(self, fmt: str) -> None:
        if self.model is None:
            return
        stem = Path(self.model_path).stem if self.model_path else "model"
        suggested = f"{stem}_train.py" if fmt == "script" else stem + self._EXPORT_SUFFIX[fmt]
        suffix = self._EXPORT_SUFFIX[fmt]
        path = dialogs.ask_save_file(self, self.tr("Export the model"),
                                     f"*{suffix}", str(Path(self.document.folder) / suggested), suffix)
        if path:
            self.export_model_to(fmt, path)

    def _export_message(self, result: ExportResult) -> str:
        """The export's one line for the status bar (the CLI prints ``result.message()``)."""
        size = sum(f.stat().st_size for f in result.files if f.exists())
        size_text = (f"{size / 1024:.1f} KB" if size < 1024 * 1024
                     else f"{size / 1024 / 1024:.1f} MB")
        if result.max_abs_diff is not None:
            text = self.tr("Exported {path} ({size}, {seconds} s); checked on {rows} rows: "
                           "largest difference from PyTorch {diff}.")
        else:
            text = self.tr("Exported {path} ({size}, {seconds} s) and checked by running it.")
        return text.format(path=result.path, size=size_text, seconds=f"{result.seconds:.1f}",
                           rows=result.rows_checked, diff=f"{result.max_abs_diff or 0:.2g}")

    def export_model_to(self, fmt: str, path: str | Path) -> bool:
        """Export the current model in a background thread (it takes seconds); the result
        (with its verification figures) goes to the status bar, a failure to a dialog."""
        if self.model is None or self._exporting:
            return False
        model, target = self.model, Path(path)

        def job() -> object:
            from workbench.core.export import export_model

            return export_model(model, target, fmt)

        def done(result: ExportResult) -> None:
            self._exporting = False
            self._update_actions()
            self.statusBar().showMessage(self._export_message(result))
            self.export_finished.emit(str(target))

        def failed(exc: BaseException) -> None:
            self._exporting = False
            self._update_actions()
            dialogs.show_exception(self, exc, self.tr("exporting the model to {path}").format(
                path=target))
            self.export_finished.emit("")

        self._exporting = True
        self._update_actions()
        self.statusBar().showMessage(self.tr("Exporting the model to {path}...").format(
            path=target))
        run_in_background(self, job, done, failed, name="workbench-export")
        return True

    def _on_predict_csv_triggered(self) -> None:
        if self.model is None:
            return
        source = dialogs.ask_open_file(self, self.tr("Predict CSV: input file"),
                                       dialogs.CSV_FILTER)
        if not source:
            return
        target = dialogs.ask_save_file(self, self.tr("Predict CSV: write predictions to"),
                                       dialogs.CSV_FILTER,
                                       str(Path(source).with_suffix("")) + "_predictions.csv",
                                       ".csv")
        if target:
            self.predict_csv(source, target)

    def predict_csv(self, source: str | Path, target: str | Path) -> int | None:
        from workbench.core.predicting import predict_csv_file

        if self.model is None:
            return None
        try:
            rows = len(predict_csv_file(self.model, source, target).rows)
        except Exception as exc:  # noqa: BLE001
            dialogs.show_exception(self, exc, self.tr("predicting {path}").format(path=source))
            return None
        self.statusBar().showMessage(self.tr("Wrote {n} predictions to {path}").format(
            n=f"{rows:,}", path=target))
        return rows

    def _on_preview_ready(self) -> None:
        # An opened model's map gets its data points once the preview of its data is read.
        model = self.predict_panel.model
        if model is not None and model is self.model and not self.controller.is_active:
            data = self.form.prepared_data_for(model.config)
            if data is not None and not self.predict_panel.has_data:
                self.predict_panel.set_model(model, data)
        self._update_actions()

    def _on_open_csv_requested(self) -> None:
        path = dialogs.ask_open_file(self, self.tr("Open a table (CSV, TSV or Excel)"), self.tr(
            "Tables (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.csv.gz *.tsv.gz *.txt.gz *.gz "
            "*.bz2 *.xz *.zip);;All files (*)"))
        if path:
            self.use_csv(path)
        else:
            self.form.data_panel.cancel_file_choice()

    def use_csv(self, path: str | Path) -> None:
        """Train on a table file (CSV, TSV, Excel...): the data panel reads it and describes
        its columns in the background; a failure comes back to ``_on_table_failed``."""
        self.form.data_panel.open_table(str(path))

    def _on_table_failed(self, path: str, exc: BaseException) -> None:
        dialogs.show_exception(self, exc, self.tr("reading {path}").format(path=path))
        self.form.data_panel.cancel_file_choice()

    def _on_open_images_requested(self) -> None:
        folder = dialogs.ask_folder(self, self.tr("Open image folder (one sub-folder per class)"))
        if folder:
            self.form.data_panel.set_image_dir(folder)
        else:
            self.form.data_panel.cancel_file_choice()

    def _on_log_scale_changed(self, on: bool) -> None:
        self.log_scale_action.setChecked(on)
        self.settings.set_log_y(on)

    def _on_reset_view_triggered(self) -> None:
        for plot in (self.iteration_plot, self.epoch_plot):
            plot.follow_data()

    def _on_about_triggered(self) -> None:
        QMessageBox.about(self, self.tr("About Workbench"), self.tr(
            "<b>Workbench {version}</b><p>Train neural networks by clicking: pick data, set "
            "epochs, batch size, dropout, optimizer and learning rate, press Start and watch "
            "the network learn.</p>").format(version=__version__))

    def _update_title(self) -> None:
        """The model's file name or "Untitled", and [*] (shown as *) while it is unsaved."""
        if self.document.model is None:
            self.setWindowTitle(self.tr("Workbench[*]"))
        else:
            self.setWindowTitle(self.tr("{name}[*] - Workbench").format(
                name=self.document.name()))
        self.setWindowModified(self.document.modified)

    def _update_actions(self) -> None:
        actions.update_actions(self)
        self._update_title()

    # -- closing ---------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop a run and join its thread; save what the window remembers. Idempotent."""
        if self._shut_down:
            return
        self._shut_down = True
        self.shutting_down.emit()
        self.controller.shutdown()
        self._remove_run_folder()
        self.settings.set_last_config(self.form.config())
        self.settings.set_window(self.saveGeometry(), self.saveState(),
                                 self.splitter.saveState())
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
