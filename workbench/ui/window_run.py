"""Starting, stopping and following a run in the window: the glue between the form, the
training controller and the views.

The form produces a TrainConfig, the controller runs the engine, and its batched events are
handed to the plots, the concept panel and the status bar here. After the window has handled an
event it announces it (``window.run_started``...), so features see a consistent window.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject

from workbench.ui import dialogs, outcome
from workbench.ui.core_text import device_name_text
from workbench.ui.document import SaveReason
from workbench.ui.run_position import RunPosition, data_source
from workbench.ui.training import Progress, RunState

if TYPE_CHECKING:
    from workbench.config import TrainConfig
    from workbench.core.data import PreparedData
    from workbench.core.events import EpochEnded, RunFailed, RunFinished, RunStarted
    from workbench.ui.main_window import MainWindow

# The texts live in the window's translation context, where they always were.
translate = QCoreApplication.translate


class RunGlue(QObject):
    """Starts the form's run and shows the controller's events in the window's views."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.continuing = False  # the run under way carries on from the window's model
        self.data_source: tuple[str, ...] | None = None  # the data the views show
        self._iteration_offset = 0
        self._epoch_offset = 0
        self.log_dir: str | None = None  # the run's log folder, when it writes one

    def connect_controller(self) -> None:
        w, c = self._window, self._window.controller
        c.run_started.connect(self._on_run_started)
        c.iterations_received.connect(self._on_iterations_received)
        c.epochs_ended.connect(self._on_epochs_ended)
        c.progress_changed.connect(self._on_progress_changed)
        c.state_changed.connect(self._on_state_changed)
        c.run_finished.connect(self._on_run_finished)
        c.run_failed.connect(self._on_run_failed)
        rc = w.run_controls
        rc.start_button.clicked.connect(self.on_start_triggered)
        rc.pause_button.clicked.connect(c.toggle_pause)
        rc.stop_button.clicked.connect(c.stop)
        # Edits say so at once; settings put in whole (a recorded run's) once their data is read.
        w.form.changed.connect(self.on_form_changed)
        w.form.preview_ready.connect(self.on_form_changed)

    # -- starting --------------------------------------------------------------------------------
    def start(self, config: TrainConfig | None = None, data: PreparedData | None = None,
              confirm: bool = False) -> bool:
        """See ``MainWindow.start_training``."""
        w = self._window
        if w.controller.is_active or w.document.loading:
            return False
        if config is not None:
            w.form.set_config(config)  # says nothing of other data: it is looked at here
        self.on_form_changed()
        cfg = w.form.config()
        data = data if data is not None else w.form.prepared_data_for(cfg)
        problems = cfg.validate(n_train=data.n_train if data is not None else None)
        if problems:
            w.form.show_problems(problems)
            dialogs.show_problems(w, problems)
            return False
        w.form.clear_problems()
        continuing = bool(w.run_controls.continue_check.isChecked() and w.model is not None)
        if confirm and not continuing and not w.ask_save_changes(SaveReason.START):
            return False
        self._prepare_plots(continuing)
        w.settings.set_last_config(cfg)
        w.statusBar().showMessage(translate("MainWindow", "Starting..."))
        self.log_dir = new_log_folder(cfg) if w.run_logs_action.isChecked() else None
        w.controller.start(cfg, data=data, initial=w.model if continuing else None,
                           checkpoint_path=w.recovery.new_run_folder(), log_dir=self.log_dir)
        return True

    def _prepare_plots(self, continuing: bool) -> None:
        w = self._window
        self.continuing = continuing
        if continuing:
            # The engine counts from 1 again; the plots carry on where they were.
            self._iteration_offset = w.iteration_plot.next_iteration - 1
            self._epoch_offset = len(w.epoch_plot)
        else:
            self._iteration_offset = 0
            self._epoch_offset = 0
            w.iteration_plot.reset()
            w.epoch_plot.reset()

    def on_start_triggered(self) -> None:
        # The button's and action's "checked" argument is not a config.
        self._window.start_training(confirm=True)

    def retry_with_batch_size(self, batch_size: int) -> bool:
        """See ``MainWindow.retry_with_batch_size``."""
        w = self._window
        if w.controller.is_active or w.is_shut_down:
            return False
        w.form.training_panel.batch_spin.setValue(batch_size)
        return w.start_training(confirm=True)

    def end_run_now(self) -> None:
        """Stop the run under way and wait for its end, so that its model can be saved."""
        controller = self._window.controller
        if not controller.is_active:
            return
        loop = QEventLoop()
        # The end is announced (and the model taken) in the same call that goes idle.
        controller.state_changed.connect(loop.quit)
        controller.stop()
        while controller.is_active:
            loop.exec()
        controller.state_changed.disconnect(loop.quit)

    # -- the form ------------------------------------------------------------------------------
    def on_form_changed(self) -> None:
        w = self._window
        source = data_source(w.form.config().data)
        if source != self.data_source and not w.controller.is_active:
            self.data_source = source
            # Other data: no plot, picture, counter or evaluation of the previous one stays.
            w.plots.clear()
            w.controller.show_position(RunPosition())
            w.statusBar().clearMessage()
            w.data_changed.emit()
        self.update_concept_plan()

    def update_concept_plan(self) -> None:
        """The form's plan in words; the panel keeps a finished run's position while the plan
        still describes that run."""
        w = self._window
        if w.controller.is_active:
            return
        cfg = w.form.config()
        data = w.form.prepared_data_for(cfg)
        w.concept_panel.set_plan(data.n_train if data is not None else None,
                                 cfg.run.batch_size, cfg.run.epochs, cfg.run.drop_last)

    # -- the controller's events ---------------------------------------------------------------
    def _on_run_started(self, event: RunStarted) -> None:
        w = self._window
        # The run's own plan; its position follows with the controller's next publication.
        w.concept_panel.set_plan(event.train_samples, event.batch_size, event.epochs,
                                 w.form.config().run.drop_last)
        if not self.continuing:
            w.iteration_plot.reset(start_iteration=event.start_iteration,
                                   start_epoch=event.start_epoch)
            w.epoch_plot.reset(start_epoch=event.start_epoch,
                               classification=event.task == "classification")
        device = device_name_text(event.device_name)
        w.status.set_device(device)
        w.statusBar().showMessage(translate(
            "MainWindow",
            "Training on {device}: {n} samples, batch {batch}, {ipe} iterations per epoch"
        ).format(device=device, n=f"{event.train_samples:,}",
                 batch=f"{event.batch_size:,}", ipe=f"{event.iterations_per_epoch:,}"))
        w.run_started.emit(event)

    def _on_iterations_received(self, first: int, losses: object) -> None:
        self._window.iteration_plot.append_losses(first + self._iteration_offset, losses)

    def _on_epochs_ended(self, epochs: list[EpochEnded]) -> None:
        w = self._window
        w.iteration_plot.add_epoch_ends([e.iteration + self._iteration_offset for e in epochs])
        w.epoch_plot.append_epochs(epochs, epoch_offset=self._epoch_offset)

    def _on_progress_changed(self, progress: Progress) -> None:
        # One published position, shown by both in the same call (and by the live views).
        self._window.status.show_progress(progress)
        self._window.concept_panel.set_position(progress.position)

    def _on_state_changed(self, value: str) -> None:
        w = self._window
        state = RunState(value)
        for plot in (w.iteration_plot, w.epoch_plot):
            plot.set_live(state != RunState.IDLE)
        if state == RunState.IDLE:
            # The run ended here (finished, failed, stopped or shut down) and the window holds
            # its model: the autosave is only for a process that dies mid-run.
            w.recovery.remove_run_folder()
            # The last events were just drained: draw them now, not on the next timer tick.
            w.iteration_plot.refresh()
            w.epoch_plot.refresh()
        w.run_controls.set_state(state)
        w.form.set_read_only(state != RunState.IDLE)
        w.update_actions()
        w.run_state_changed.emit(value)

    def _on_run_finished(self, event: RunFinished) -> None:
        w = self._window
        self._take_model()
        text = w.status.finished_text(event, w.controller.position)
        text += " " + outcome.status_line(event, w.controller)
        if self.log_dir and Path(self.log_dir).is_dir():
            text += " " + translate("MainWindow", "Run log: {path}").format(path=self.log_dir)
        w.statusBar().showMessage(text)
        w.run_finished.emit(event)

    def _on_run_failed(self, event: RunFailed) -> None:
        w = self._window
        self._take_model()
        w.statusBar().showMessage(translate("MainWindow", "Training failed: see the message."))
        if event.kind == "config":
            data = getattr(w.controller.last_engine, "data", None)
            problems = w.form.config().validate(
                n_train=data.n_train if data is not None else None)
            if problems:
                w.form.show_problems(problems)
        w.run_failed.emit(event)
        dialogs.show_run_failed(w, event, retry=self.retry_with_batch_size)

    def _take_model(self) -> None:
        w = self._window
        model = w.controller.trained_model()
        if model is None:
            return
        w.document.take_run_model(model, continued=self.continuing)
        w.run_controls.set_model_available(True)
        w.predict_panel.set_model(model, w.controller.prepared_data())
        w.model_changed.emit()


def new_log_folder(cfg: TrainConfig) -> str:
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
