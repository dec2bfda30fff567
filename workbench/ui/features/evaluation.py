"""Evaluation feature: the Evaluation tab and the learning-rate finder.

Whenever the window's model changes (a run ended, a model file was opened) the model is
evaluated on the validation split in a background thread and the tab shows the result: the
confusion matrix of a classifier, or R², MAE, RMSE and their plots for a regression model. When
the form is switched to other data the tab is cleared (an evaluation still under way is
dropped): it never shows one data set's results beside another's. The
Run menu's "Find learning rate..." (and the button beside the learning rate) opens the range
test for the settings in the form; its suggestion goes into the form with one click.
Importing this module imports no torch.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QToolButton, QWidget

from workbench.errors import WorkbenchError
from workbench.ui import numbers
from workbench.ui.background import run_in_background
from workbench.ui.core_text import error_text, problem_text
from workbench.ui.panels.evaluation_panel import EvaluationPanel
from workbench.ui.widgets import name_widget

if TYPE_CHECKING:
    import numpy as np

    from workbench.core.data import PreparedData
    from workbench.core.evaluation import Evaluation, RegressionEvaluation
    from workbench.core.modelfile import TrainedModel
    from workbench.ui.main_window import MainWindow
    from workbench.ui.panels.lr_finder import LrFinderDialog

log = logging.getLogger(__name__)


class EvaluationFeature(QObject):
    """Keeps the Evaluation tab in step with ``window.model``; opens the learning-rate finder."""

    evaluation_ready = Signal(object)  # Evaluation, or RegressionEvaluation
    evaluation_unavailable = Signal(str)  # the message shown instead

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = EvaluationPanel()
        window.add_tab(self.panel, self.tr("Evaluation"))
        self._generation = 0
        self.lr_dialog: LrFinderDialog | None = None

        self.find_lr_action = QAction(self.tr("Find &learning rate..."), window)
        self.find_lr_action.setObjectName("findLearningRateAction")
        self.find_lr_action.setStatusTip(self.tr(
            "Try rising learning rates on fresh weights for one short pass and suggest one."))
        self.find_lr_action.triggered.connect(self.open_lr_finder)
        window.add_menu_actions("run", [self.find_lr_action])
        self.find_lr_button = name_widget(QToolButton(), "findLearningRateButton",
                                          self.tr("Find learning rate"))
        self.find_lr_button.setText(self.tr("Find..."))
        self.find_lr_button.setToolTip(self.find_lr_action.statusTip())
        self.find_lr_button.clicked.connect(self.open_lr_finder)
        self._place_button_beside_learning_rate()

        window.model_changed.connect(self.refresh)
        window.data_changed.connect(self._on_data_changed)
        window.controller.state_changed.connect(self._on_state_changed)
        # Seen before the window's own close handler, which waits for background jobs.
        window.shutting_down.connect(self._on_window_shutting_down)

    def _on_window_shutting_down(self) -> None:
        if self.lr_dialog:
            self.lr_dialog.stop()  # a running range test ends at its next iteration

    def _place_button_beside_learning_rate(self) -> None:
        """Put the finder's button in the learning-rate row of the training settings."""
        spin = self.window.form.training_panel.lr_spin
        form = spin.parentWidget().layout() if spin.parentWidget() is not None else None
        if not isinstance(form, QFormLayout):
            log.warning("no learning-rate row found; the finder is in the Run menu only")
            return
        row, _role = form.getWidgetPosition(spin)
        form.removeWidget(spin)
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(spin, 1)
        line.addWidget(self.find_lr_button)
        form.setWidget(row, QFormLayout.FieldRole, holder)

    # -- evaluation ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Evaluate ``window.model`` in the background (the newest request wins)."""
        self._generation += 1
        generation = self._generation
        model = self.window.model
        if model is None:
            return
        regression = model.task != "classification"
        data = self._data_for(model)
        self.panel.show_busy()

        def job() -> tuple[Evaluation | RegressionEvaluation, np.ndarray | None]:
            from workbench.core.data import prepare
            from workbench.core.evaluation import evaluate_split, regression_report, torch_threads

            with torch_threads(1):
                prepared = data or prepare(model.config.data, model.config.run.seed)
                if regression:
                    return regression_report(model, prepared), None
                return evaluate_split(model, prepared), prepared.train_counts

        def done(result: tuple[Evaluation | RegressionEvaluation, np.ndarray | None]) -> None:
            if generation != self._generation:
                return  # another model arrived meanwhile
            evaluation, train_counts = result
            if regression:
                self.panel.set_regression(evaluation)
            else:
                self.panel.set_evaluation(evaluation, train_counts)
            self.evaluation_ready.emit(evaluation)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._unavailable(self._message_for(exc))

        run_in_background(self.panel, job, done, failed, name="workbench-evaluation")

    def _on_data_changed(self) -> None:
        self._generation += 1  # an evaluation under way is of the previous data's model
        self._unavailable(self.tr("Other data was chosen: train a model on it, or open one, "
                                  "to see its evaluation here."))

    def _data_for(self, model: TrainedModel) -> PreparedData | None:
        """The data the model was trained or opened with, when it is at hand."""
        engine = self.window.controller.last_engine
        cfg = model.config
        if (engine is not None and engine.data is not None
                and engine.config.data == cfg.data and engine.config.run.seed == cfg.run.seed):
            return engine.data
        return self.window.form.prepared_data_for(cfg)

    def _message_for(self, exc: BaseException) -> str:
        from workbench.core import evaluation as ev

        reason = getattr(exc, "reason", "")
        if reason == ev.NO_VALIDATION:
            return self.tr("There is no validation set to evaluate on: set a validation split "
                           "above 0 and train again.")
        if reason in (ev.MISMATCH, ev.UNKNOWN_CLASSES):
            return self.tr("The data does not fit this model (other classes, a target of "
                           "another kind or another input shape), so it cannot be evaluated "
                           "on it.")
        if not isinstance(exc, WorkbenchError):
            log.warning("evaluation failed", exc_info=exc)
        return self.tr("The evaluation failed: {message}").format(message=error_text(exc))

    def _unavailable(self, text: str) -> None:
        self.panel.show_message(text)
        self.evaluation_unavailable.emit(text)

    # -- learning-rate finder ------------------------------------------------------------------
    def _on_state_changed(self, state: str) -> None:
        idle = state == "idle"
        self.find_lr_action.setEnabled(idle)
        self.find_lr_button.setEnabled(idle)

    def open_lr_finder(self) -> LrFinderDialog | None:
        """Open the finder for the form's settings and start it; None when it cannot run."""
        from workbench.ui.panels.lr_finder import LrFinderDialog

        window = self.window
        if window.controller.is_active:
            return None
        if self.lr_dialog is not None and self.lr_dialog.running:
            self.lr_dialog.raise_()
            self.lr_dialog.activateWindow()
            return self.lr_dialog
        cfg = window.form.config()
        problems = cfg.validate()
        if problems:
            window.form.show_problems(problems)
            window.statusBar().showMessage(self.tr("Fix the marked settings first: {problem}")
                                           .format(problem=problem_text(problems[0])))
            return None
        if self.lr_dialog is not None:
            self.lr_dialog.deleteLater()
        self.lr_dialog = LrFinderDialog(cfg, window.form.prepared_data_for(cfg),
                                        self.apply_learning_rate, window)
        self.lr_dialog.show()
        self.lr_dialog.start()
        return self.lr_dialog

    def apply_learning_rate(self, lr: float) -> None:
        self.window.form.training_panel.lr_spin.setValue(lr)
        self.window.statusBar().showMessage(
            self.tr("Learning rate set to {lr}.").format(lr=numbers.number(lr)))


def install(window: MainWindow) -> EvaluationFeature:
    return EvaluationFeature(window)
