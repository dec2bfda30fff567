"""Run history and comparisons in the window: a recorder that writes every run into the history
database as it goes, the History tab, the Compare tab, and their Run-menu entries.

The history is optional: when the database cannot be opened or written (damaged, locked, a full
disk), the History tab says why and everything else keeps working.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from workbench.core.events import EpochEnded, RunFailed, RunFinished, RunStarted
from workbench.ui import dialogs
from workbench.ui.background import run_in_background
from workbench.ui.comparison import (
    BATCH_SIZE,
    DROPOUT,
    OPTIMIZER,
    ComparisonPlan,
    ComparisonRunner,
    batch_size_plan,
    dropout_plan,
    optimizer_plan,
)
from workbench.ui.core_text import error_text
from workbench.ui.panels.compare_panel import ComparePanel
from workbench.ui.panels.history_panel import HistoryPanel, run_name
from workbench.ui.run_position import Phase, RunPosition

if TYPE_CHECKING:
    from workbench.config import TrainConfig
    from workbench.core.history import HistoryStore, RunCurves, RunRecord, RunStart
    from workbench.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# The GUI thread commits at most this often while a run goes: a crash loses at most this much.
COMMIT_INTERVAL_S = 1.0


class HistoryRecorder(QObject):
    """Listens to the window's training controller and writes each run into the store.

    Losses and epochs are buffered and written as one block per commit, at most once a second,
    so the GUI thread spends well under a millisecond a second on the history.
    """

    runs_changed = Signal()  # a run was added or ended: lists need refreshing
    failed = Signal(object)  # the history stopped working: the exception that says why

    def __init__(self, window: MainWindow, store: HistoryStore | None) -> None:
        super().__init__(window)
        self._window = window
        self.store = store
        self.run_id: int | None = None  # the run being recorded
        self.model_run_id: int | None = None  # the run whose model the window holds
        self.commit_seconds: list[float] = []  # GUI-thread cost of each in-run commit
        self._config: TrainConfig | None = None
        self._parent_id: int | None = None
        self._tag = ("", "")
        self._run_tag = ("", "")
        self._losses: list[tuple[int, np.ndarray]] = []
        self._epochs: list[EpochEnded] = []
        self._last_commit = 0.0
        c = window.controller
        c.state_changed.connect(self._on_controller_state_changed)
        c.run_started.connect(self._on_controller_run_started)
        c.iterations_received.connect(self._on_controller_iterations_received)
        c.epochs_ended.connect(self._on_controller_epochs_ended)
        c.run_finished.connect(self._on_controller_run_finished)
        c.run_failed.connect(self._on_controller_run_failed)
        window.model_changed.connect(self._on_window_model_changed)

    def tag_next_run(self, comparison: str, value: str) -> None:
        """The next run belongs to this comparison (``""`` clears the tag)."""
        self._tag = (comparison, value)

    def set_store(self, store: HistoryStore | None) -> None:
        self.store = store
        self.run_id = None

    def forget_runs(self, run_ids: list[int]) -> None:
        """These runs were deleted: a run continuing the window's model has no parent now."""
        if self.model_run_id in run_ids:
            self.model_run_id = None

    # -- the run's life ----------------------------------------------------------------------
    def _on_controller_state_changed(self, state: str) -> None:
        if state == "running" and self._config is None:
            # The run is starting: the form holds exactly its settings now.
            window = self._window
            self._config = window.form.config()
            continuing = window.run_controls.continue_check.isChecked() and \
                window.model is not None
            self._parent_id = self.model_run_id if continuing else None
            self._run_tag, self._tag = self._tag, ("", "")
        elif state == "idle" and self.run_id is not None:
            # Normally run_finished/run_failed follow at once and say how it ended; when the
            # window closes mid-run they never come, and the run was stopped.
            self._flush()
            self._finish("stopped", message=self.tr("The window was closed during the run."),
                         provisional=True)

    def _on_controller_run_started(self, event: RunStarted) -> None:
        from workbench.core.history import RunStart

        self._open_run(RunStart(
            train_samples=event.train_samples, val_samples=event.val_samples, task=event.task,
            device=event.device, device_name=event.device_name, parameters=event.parameters,
            batch_size=event.batch_size, iterations_per_epoch=event.iterations_per_epoch,
            epochs=event.epochs))

    def _open_run(self, start: RunStart | None) -> None:
        from workbench.core.history import HistoryError, data_fingerprint, data_identity

        config = self._config or self._window.form.config()
        self._losses.clear()
        self._epochs.clear()
        self._last_commit = time.perf_counter()
        if self.store is None:
            return
        identity = data_identity(config)
        comparison, value = self._run_tag
        try:
            self.run_id = self.store.add_run(config, start, identity, name=run_name(config),
                                             parent_id=self._parent_id,
                                             comparison=comparison, comparison_value=value)
        except HistoryError as exc:
            self._fail(exc)
            return
        self.runs_changed.emit()
        if identity.path:
            run_id, store = self.run_id, self.store

            def fingerprinted(fingerprint: str) -> None:
                if fingerprint and self.store is store:
                    try:
                        store.set_fingerprint(run_id, fingerprint)
                    except HistoryError as exc:
                        self._fail(exc)

            # Hashing a file reads it: off the GUI thread.
            run_in_background(self, lambda: data_fingerprint(identity.path), fingerprinted,
                              name="workbench-fingerprint")

    def _on_controller_iterations_received(self, first: int, losses: object) -> None:
        if self.run_id is None:
            return
        self._losses.append((first, np.asarray(losses, dtype=np.float32)))
        self._maybe_flush()

    def _on_controller_epochs_ended(self, epochs: list[EpochEnded]) -> None:
        if self.run_id is None:
            return
        self._epochs.extend(epochs)
        self._maybe_flush()

    def _on_controller_run_finished(self, event: RunFinished) -> None:
        if self.run_id is None and self.store is not None and self._config is not None:
            self._open_run(None)  # ended before it started (stopped at once)
        self._flush()
        self._finish(event.reason, seconds=event.seconds, best_epoch=event.best_epoch)

    def _on_controller_run_failed(self, event: RunFailed) -> None:
        if self.run_id is None and self.store is not None and self._config is not None:
            self._open_run(None)  # failed before training began (bad data, bad settings)
        self._flush()
        self._finish("failed", message=event.message)

    def _on_window_model_changed(self) -> None:
        # Emitted while the run that made the model is still open here; a model opened from a
        # file comes with no run.
        self.model_run_id = self.run_id

    # -- writing -----------------------------------------------------------------------------------
    def _maybe_flush(self) -> None:
        if time.perf_counter() - self._last_commit >= COMMIT_INTERVAL_S:
            t0 = time.perf_counter()
            self._flush()
            self.commit_seconds.append(time.perf_counter() - t0)

    def _flush(self) -> None:
        """Write the buffered losses (one block per run of consecutive iterations) and epochs."""
        from workbench.core.history import HistoryError

        self._last_commit = time.perf_counter()
        if self.run_id is None or self.store is None:
            return
        losses, self._losses = self._losses, []
        epochs, self._epochs = self._epochs, []
        try:
            for first, block in _merge_consecutive(losses):
                self.store.append_losses(self.run_id, first, block)
            self.store.append_epochs(self.run_id, epochs)
            self.store.commit()
        except HistoryError as exc:
            self._fail(exc)

    def _finish(self, status: str, *, seconds: float | None = None,
                best_epoch: int | None = None, message: str = "",
                provisional: bool = False) -> None:
        """Write the run's end; a ``provisional`` end may still be corrected by the real one."""
        from workbench.core.history import HistoryError

        run_id = self.run_id
        self._config = None
        if run_id is None or self.store is None:
            return
        try:
            self.store.finish(run_id, status, seconds=seconds, best_epoch=best_epoch,
                              message=message)
        except HistoryError as exc:
            self._fail(exc)
            return
        if not provisional:
            self.run_id = None
        self.runs_changed.emit()

    def _fail(self, exc: BaseException) -> None:
        log.warning("run history disabled: %s", exc)
        self.run_id = None
        self.store = None
        self.failed.emit(exc)


def _merge_consecutive(blocks: list[tuple[int, np.ndarray]]) -> list[tuple[int, np.ndarray]]:
    merged: list[tuple[int, list[np.ndarray]]] = []
    expected = None
    for first, losses in blocks:
        if expected is not None and first == expected:
            merged[-1][1].append(losses)
        else:
            merged.append((first, [losses]))
        expected = first + len(losses)
    return [(first, np.concatenate(parts)) for first, parts in merged]


class HistoryFeature(QObject):
    """What ``install`` adds to the window; tests reach the parts through its attributes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.store: HistoryStore | None = None
        self.history_panel = HistoryPanel()
        self.compare_panel = ComparePanel()
        self.recorder = HistoryRecorder(window, None)
        self.runner = ComparisonRunner(window, self.recorder)
        self._waiting_kind = ""  # a comparison that starts once its data's size is known
        self._open_store()
        self._build_tabs()
        self._build_actions()
        self._connect()
        # The window saves the form when it closes or the application quits: a comparison must
        # put the user's own settings back first (the filter sees the close before the window's
        # closeEvent; this connection is made before the application's own to the window).
        window.shutting_down.connect(self._abandon_comparison)
        QCoreApplication.instance().aboutToQuit.connect(self._abandon_comparison)

    def _abandon_comparison(self) -> None:
        """The window is going: no comparison goes on or starts, the form is the user's."""
        self._waiting_kind = ""
        self.runner.abandon()

    # -- the database --------------------------------------------------------------------------
    def _open_store(self) -> None:
        from workbench.core.history import HistoryError, HistoryStore
        from workbench.paths import history_path

        path = history_path()
        try:
            self.store = HistoryStore(path)
        except HistoryError as exc:
            log.warning("no run history: %s", exc)
            self.store = None
            self.recorder.set_store(None)
            self.history_panel.set_store(None)
            self._show_problem(exc)
            return
        self.recorder.set_store(self.store)
        self.history_panel.set_store(self.store)
        # Not a slot of ours: this object goes with the window.
        self.window.destroyed.connect(self.store.close)
        self.history_panel.set_problem("")

    def _show_problem(self, exc: BaseException) -> None:
        from workbench.core.history import HistoryError
        from workbench.paths import history_path

        message = error_text(exc)
        damaged = isinstance(exc, HistoryError) and exc.damaged and history_path().exists()
        self.history_panel.set_problem(message, can_reset=damaged)
        self.window.statusBar().showMessage(
            self.tr("Runs are not recorded in the history: {reason}").format(reason=message))

    def start_new_history(self) -> bool:
        """Move a damaged database aside (kept for rescue) and start an empty one."""
        from workbench.paths import history_path

        if self.window.controller.is_active:
            return False
        path = history_path()
        if self.store is not None:
            self.store.close()
            self.store = None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        try:
            for suffix in ("", "-wal", "-shm"):
                part = Path(str(path) + suffix)
                if part.exists():
                    shutil.move(part, Path(f"{path}.damaged-{stamp}{suffix}"))
        except OSError as exc:
            self._show_problem(exc)
            return False
        self._open_store()
        return self.store is not None

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
            self.recorder.set_store(None)

    # -- construction ----------------------------------------------------------------------------
    def _build_tabs(self) -> None:
        self.window.add_tab(self.history_panel, self.tr("History"))
        self.window.add_tab(self.compare_panel, self.tr("Compare"))

    def _build_actions(self) -> None:
        compare = QMenu(self.tr("&Compare"), self.window)
        compare.setObjectName("compareMenu")
        self.compare_batch_action = self._action(self.tr("Compare &batch sizes"),
                                                 "compareBatchSizesAction",
                                                 lambda: self.compare(BATCH_SIZE))
        self.compare_optimizer_action = self._action(self.tr("Compare &optimizers"),
                                                     "compareOptimizersAction",
                                                     lambda: self.compare(OPTIMIZER))
        self.compare_dropout_action = self._action(self.tr("Compare &dropout rates"),
                                                   "compareDropoutAction",
                                                   lambda: self.compare(DROPOUT))
        self.stop_comparison_action = self._action(self.tr("&Stop the comparison"),
                                                   "stopComparisonAction", self.runner.stop)
        for action in (self.compare_batch_action, self.compare_optimizer_action,
                       self.compare_dropout_action):
            compare.addAction(action)
        compare.addSeparator()
        compare.addAction(self.stop_comparison_action)
        self.stop_comparison_action.setEnabled(False)
        self.show_history_action = self._action(self.tr("Run &history"), "showHistoryAction",
                                                self.show_history)
        self.window.add_menu_actions("run", [compare, self.show_history_action])

    def _action(self, text: str, name: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(slot)
        return action

    def _connect(self) -> None:
        self.recorder.runs_changed.connect(self._on_recorder_runs_changed)
        self.recorder.failed.connect(self._on_recorder_failed)
        hp = self.history_panel
        hp.show_in_plots_requested.connect(self.show_in_plots)
        hp.restore_requested.connect(self.restore_settings)
        hp.reset_requested.connect(self.start_new_history)
        hp.runs_deleted.connect(self.recorder.forget_runs)
        cp = self.compare_panel
        cp.compare_requested.connect(self.compare)
        cp.stop_requested.connect(self.runner.stop)
        r = self.runner
        r.run_began.connect(self._on_runner_run_began)
        r.run_progressed.connect(cp.update_row)
        r.run_ended.connect(cp.update_row)
        r.finished.connect(self._on_runner_finished)
        self.window.controller.state_changed.connect(self._update_actions)

    def _update_actions(self) -> None:
        idle = not self.window.controller.is_active and not self.runner.active and \
            not self._waiting_kind
        for action in (self.compare_batch_action, self.compare_optimizer_action,
                       self.compare_dropout_action):
            action.setEnabled(idle)
        self.stop_comparison_action.setEnabled(self.runner.active)
        self.compare_panel.set_running(self.runner.active or bool(self._waiting_kind))
        if not self.runner.active and not self._waiting_kind:
            for button in (self.compare_panel.batch_button, self.compare_panel.optimizer_button,
                           self.compare_panel.dropout_button):
                button.setEnabled(idle)

    def _on_recorder_runs_changed(self) -> None:
        self.history_panel.active_run_id = self.recorder.run_id
        self.history_panel.mark_stale()

    def _on_recorder_failed(self, exc: BaseException) -> None:
        self.store = None
        self.history_panel.set_store(None)
        self._show_problem(exc)

    # -- history actions ---------------------------------------------------------------------------
    def show_history(self) -> None:
        self.window.tabs.setCurrentWidget(self.history_panel)

    def show_in_plots(self, run_id: int) -> bool:
        """Put a recorded run's curves into the Training tab's plots (not while training)."""
        from workbench.core.history import HistoryError

        window = self.window
        if self.store is None or window.controller.is_active:
            window.statusBar().showMessage(self.tr(
                "A recorded run can be shown once the current run has ended."))
            return False
        try:
            curves = self.store.load_curves(run_id)
            record = self.store.get_run(run_id)
        except HistoryError as exc:
            self._on_recorder_failed(exc)
            return False
        if record is None:
            return False
        first = int(curves.iterations[0]) if curves.iterations.size else 1
        first_epoch = curves.epochs[0].epoch if curves.epochs else 1
        window.iteration_plot.reset(start_iteration=first - 1, start_epoch=first_epoch)
        gaps = np.flatnonzero(np.diff(curves.iterations) != 1) + 1
        for xs, ys in zip(np.split(curves.iterations, gaps), np.split(curves.losses, gaps),
                          strict=True):
            if xs.size:
                window.iteration_plot.append_losses(int(xs[0]), ys)
        window.iteration_plot.add_epoch_ends([e.iteration for e in curves.epochs])
        window.epoch_plot.reset(start_epoch=first_epoch,
                                classification=record.task != "regression")
        window.epoch_plot.append_epochs(curves.epochs)
        window.iteration_plot.refresh()
        window.epoch_plot.refresh()
        # The counters follow the curves on show: the recorded run's, not the last run's.
        window.controller.show_position(recorded_position(record, curves))
        window.tabs.setCurrentWidget(window.training_tab)
        window.statusBar().showMessage(self.tr("Showing the recorded run \u201c{name}\u201d.")
                                       .format(name=record.name))
        return True

    def restore_settings(self, run_id: int) -> bool:
        """Put a recorded run's settings into the form (not while training)."""
        from workbench.core.history import HistoryError

        window = self.window
        if self.store is None or window.controller.is_active:
            return False
        try:
            config = self.store.config(run_id)
        except HistoryError as exc:
            dialogs.show_exception(window, exc, self.tr("restoring the run's settings"))
            return False
        window.form.set_config(config)
        window.statusBar().showMessage(self.tr("The form holds the settings of run #{id}.")
                                       .format(id=run_id))
        return True

    # -- comparisons -------------------------------------------------------------------------------
    def plan(self, kind: str, n_train: int | None = None) -> ComparisonPlan | None:
        """The comparison of ``kind`` for the settings in the form; None (with a message) when
        the batch sizes typed in are not numbers. ``n_train``: the training set's size when
        the form's preview does not know it."""
        window = self.window
        cfg = window.form.config()
        if kind == BATCH_SIZE:
            try:
                sizes = self.compare_panel.batch_sizes()
            except ValueError as exc:
                dialogs.show_message(window, self.tr("Compare batch sizes"), self.tr(
                    "\u201c{text}\u201d is not a batch size: type whole numbers from 1 up, "
                    "separated by commas, such as 8, 32, 128, 512.").format(text=error_text(exc)))
                return None
            data = window.form.prepared_data_for(cfg)
            return batch_size_plan(cfg, data.n_train if data is not None else n_train, sizes)
        if kind == OPTIMIZER:
            return optimizer_plan(cfg)
        return dropout_plan(cfg)

    def compare(self, kind: str) -> bool:
        """Start a comparison of ``kind`` (BATCH_SIZE, OPTIMIZER, DROPOUT) on the form's
        settings; False when one is running or the batch sizes typed in are not numbers.

        Batch sizes need the training set's size (larger ones are skipped): when the form's
        data preview is not ready, the data is read in the background first and the comparison
        starts once its size is known."""
        if self.runner.active or self.window.controller.is_active or self._waiting_kind:
            return False
        cfg = self.window.form.config()
        if kind == BATCH_SIZE and self.window.form.prepared_data_for(cfg) is None:
            if self.plan(kind) is None:  # sizes that are not numbers: said at once
                return False
            self._measure_then_start(kind, cfg)
            return True
        return self._start(kind)

    def _measure_then_start(self, kind: str, cfg: TrainConfig) -> None:
        self._waiting_kind = kind
        self.compare_panel.set_status(self.tr("Reading the data to see which batch sizes fit..."))
        self._update_actions()

        def job() -> int:
            from workbench.core.data import prepare  # imports torch: off the GUI thread

            return prepare(cfg.data, cfg.run.seed).n_train

        def measured(n_train: int | None) -> None:
            if self._waiting_kind != kind:
                return  # the window closed meanwhile
            self._waiting_kind = ""
            now = self.window.form.config()
            if (now.data, now.run.seed) != (cfg.data, cfg.run.seed):
                n_train = None  # the data changed while it was read: that size is not its own
            if not self._start(kind, n_train):
                self._update_actions()

        # Data that cannot be read starts the comparison anyway: its first run says why.
        run_in_background(self, job, measured, lambda _exc: measured(None),
                          name="workbench-compare-data")

    def _start(self, kind: str, n_train: int | None = None) -> bool:
        if self.runner.active or self.window.controller.is_active:
            return False
        plan = self.plan(kind, n_train)
        if plan is None:
            return False
        if not plan.configs:
            self.compare_panel.set_status(" ".join(plan.notes))
            return False
        if not self.runner.start(plan):
            return False
        self._update_actions()
        return True

    def _on_runner_run_began(self, index: int) -> None:
        plan = self.runner.plan
        if index == 0 and plan is not None:
            self.compare_panel.begin(plan, self.runner.results)
            self.window.tabs.setCurrentWidget(self.window.training_tab)
        self._show_comparison_status()

    def _show_comparison_status(self, done: bool | None = None) -> None:
        plan = self.runner.plan
        if plan is None:
            return
        n = len(plan.configs)
        if done is None:
            i = min(self.runner.index + 1, n)
            text = self.tr("{title}: run {i} of {n} ({label})...").format(
                title=plan.title, i=i, n=n, label=plan.labels[i - 1])
        elif done:
            text = self.tr("{title}: {n} runs in {seconds} s.").format(
                title=plan.title, n=n, seconds=f"{self.runner.seconds:.1f}")
        else:
            text = self.tr("{title}: stopped; the remaining runs were cancelled.").format(
                title=plan.title)
        notes = " ".join(plan.notes)
        self.compare_panel.set_status(f"{text} {notes}".strip())
        self.window.statusBar().showMessage(text)

    def _on_runner_finished(self, completed: bool) -> None:
        for row in range(len(self.runner.results)):  # cancelled runs change status too
            self.compare_panel.update_row(row)
        self._show_comparison_status(done=completed)
        self._update_actions()
        self.window.tabs.setCurrentWidget(self.compare_panel)


def install(window: MainWindow) -> HistoryFeature:
    return HistoryFeature(window)


def recorded_position(record: RunRecord, curves: RunCurves) -> RunPosition:
    """Where a recorded run ended, as every view counts it."""
    ipe = int(record.iterations_per_epoch or 0)
    epochs = max(record.epochs_completed, len(curves.epochs))
    iteration = max(record.iterations_completed,
                    int(curves.iterations[-1]) if curves.iterations.size else 0)
    planned = max(int(record.epochs_planned or 0), epochs)
    in_epoch = iteration - epochs * ipe if ipe else 0
    reason = record.status if record.status in ("completed", "stopped", "early_stopped",
                                                "failed") else "stopped"
    return RunPosition(phase=Phase.ENDED, epoch=epochs, epochs=planned, iteration=iteration,
                       total_iterations=planned * ipe if ipe else 0, iterations_per_epoch=ipe,
                       iteration_in_epoch=in_epoch if 0 < in_epoch < ipe else 0,
                       reason=reason, weights_epoch=None)
