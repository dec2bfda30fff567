"""What a run achieved, in one line on the Training tab (and a short one for the status bar).

Every run that ends states its result: the validation accuracy beside chance level, or R² for
a number to predict, with the epoch whose weights the model keeps. A run that diverged, or one
that finished no better than chance, shows the engine's message instead, styled as a warning.
Overfitting (the validation loss rising for several epochs since its best while the training
loss keeps falling) is said in words as the epochs come in.

``install(window)`` puts the view on the window's Training tab and listens to its training
controller; ``status_line`` is the status bar's sentence for a finished run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from workbench.core.events import EpochEnded, RunFailed, RunFinished, RunStarted
from workbench.ui.core_text import failure_text, warning_text

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow
    from workbench.ui.training import Progress, TrainingController

CONTEXT = "RunOutcomeView"

# Overfitting is said once the best validation epoch is at least this many epochs back, the
# validation loss of the last OVERFIT_RECENT epochs averages more than OVERFIT_RISE x its best,
# and their training loss averages below the best epoch's (it is still falling).
OVERFIT_EPOCHS = 5
OVERFIT_RECENT = 3
OVERFIT_RISE = 1.1

# Attention, not error: the colours of the data panel's and evaluation panel's warnings.
_WARNING_STYLE = ("QLabel { color: #7a3d00; background: #fff0d9; border: 1px solid #f0b060; "
                  "border-radius: 3px; padding: 4px; }")
_RESULT_STYLE = "QLabel { font-weight: bold; padding: 4px 4px; }"
# Run failures shown on the tab; a run refused for its settings or data trained nothing, and
# the form and the message box say what to change.
_SHOWN_FAILURES = ("diverged", "nan", "oom", "error")

# The sentences, for lupdate (context "RunOutcomeView").
_NO_EPOCH = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "Stopped before the first epoch ended: the model keeps its starting "
                      "weights.")
_EARLY = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "Early stopping after {done} epochs: the validation loss stopped "
                      "improving.")
_STOPPED = QT_TRANSLATE_NOOP("RunOutcomeView", "Stopped after {done} of {epochs} epochs.")
_ACCURACY_CHANCE = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "Validation accuracy {accuracy} % at epoch {epoch} of {epochs} (chance "
                      "{chance} %).")
_ACCURACY = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "Validation accuracy {accuracy} % at epoch {epoch} of {epochs}.")
_R2 = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "Validation R² {r2} at epoch {epoch} of {epochs} (1 is perfect, 0 no "
                      "better than always predicting the mean).")
_TRAIN_LOSS = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "Training loss {loss} at epoch {epoch} of {epochs} (no validation split "
                      "to judge the model by).")
_KEPT_BEST = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "The model keeps the weights of epoch {epoch}, the best validation loss.")
_KEPT_LAST = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "The model keeps the weights of epoch {epoch}, the last one.")
_OVERFITTING = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "Overfitting: the validation loss has risen for {epochs} epochs since "
                      "epoch {best} ({best_loss} → {loss}) while the training loss kept "
                      "falling.")
_NO_BETTER = QT_TRANSLATE_NOOP(
    "RunOutcomeView", "The model is no better than chance: see the Training tab.")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


def _sentences(parts: list[str]) -> str:
    """Sentences one after another: a space after a full stop, none after a Chinese one."""
    text = ""
    for part in parts:
        text += part if not text or text.endswith("。") else " " + part
    return text


def result_text(finished: RunFinished, history: Sequence[EpochEnded], epochs: int,
                task: str) -> str:
    """The result of a run that finished without a warning, in one line: how it ended (when
    stopped), the figure that judges the model, and the epoch whose weights it keeps.

    ``history``: the run's epochs; ``epochs``: how many it was set to train; ``task``:
    "classification" or "regression".
    """
    kept = finished.weights_epoch
    if kept <= 0:
        return _tr(_NO_EPOCH)
    parts = []
    if finished.reason == "early_stopped":
        parts.append(_tr(_EARLY).format(done=finished.epochs_completed))
    elif finished.reason == "stopped":
        parts.append(_tr(_STOPPED).format(done=finished.epochs_completed, epochs=epochs))
    figure = figure_text(finished, history, epochs, task)
    if figure:
        parts.append(figure)
    if finished.restored_best or (finished.best_epoch is not None
                                  and finished.best_epoch == kept):
        parts.append(_tr(_KEPT_BEST).format(epoch=kept))
    else:
        parts.append(_tr(_KEPT_LAST).format(epoch=kept))
    return _sentences(parts)


def figure_text(finished: RunFinished, history: Sequence[EpochEnded], epochs: int,
                task: str) -> str:
    """The figure that judges the kept weights, one sentence: validation accuracy beside
    chance, validation R², or (with no validation split) the training loss; "" for none."""
    kept = finished.weights_epoch
    shown = next((e for e in history if e.epoch == kept), None)
    if shown is None and history:
        shown = history[-1]
    if task == "classification" and shown is not None and shown.val_accuracy is not None:
        if finished.chance_accuracy is not None:
            return _tr(_ACCURACY_CHANCE).format(
                accuracy=_percent(shown.val_accuracy), epoch=kept, epochs=epochs,
                chance=_percent(finished.chance_accuracy))
        return _tr(_ACCURACY).format(accuracy=_percent(shown.val_accuracy), epoch=kept,
                                     epochs=epochs)
    if task != "classification" and finished.val_r2 is not None:
        return _tr(_R2).format(r2=f"{finished.val_r2:.2f}", epoch=kept, epochs=epochs)
    if shown is not None and kept > 0:
        return _tr(_TRAIN_LOSS).format(loss=f"{shown.train_loss:.4g}", epoch=kept,
                                       epochs=epochs)
    return ""


def overfitting_text(history: Sequence[EpochEnded]) -> str:
    """"Overfitting: ..." when the validation loss has risen for several epochs since its best
    while the training loss kept falling; "" otherwise."""
    if not history or history[-1].val_loss is None:
        return ""
    last = history[-1]
    best = next((e for e in history if e.epoch == last.best_epoch), None)
    if best is None or best.val_loss is None or last.epoch - best.epoch < OVERFIT_EPOCHS:
        return ""
    recent = history[-OVERFIT_RECENT:]
    val = sum(e.val_loss or 0.0 for e in recent) / len(recent)
    train = sum(e.train_loss for e in recent) / len(recent)
    if val <= OVERFIT_RISE * best.val_loss or train >= best.train_loss:
        return ""
    return _tr(_OVERFITTING).format(
        epochs=last.epoch - best.epoch, best=best.epoch, best_loss=f"{best.val_loss:.3g}",
        loss=f"{last.val_loss:.3g}")


def status_line(finished: RunFinished, controller: TrainingController) -> str:
    """The status bar's words for a finished run's result, to follow its "Finished ..."
    sentence: the figure that judges the model, or that it is no better than chance (the
    Training tab says more)."""
    if finished.warning:
        return _tr(_NO_BETTER)
    started = controller.last_started
    engine = controller.last_engine
    history = list(engine.history) if engine is not None else []
    epochs = started.epochs if started is not None else finished.epochs_completed
    task = started.task if started is not None else "classification"
    return figure_text(finished, history, epochs, task)


class RunOutcomeView(QFrame):
    """The result headline (``resultHeadline``) and the overfitting note (``overfittingLabel``)
    of the last run; hidden until there is something to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runOutcome")
        self.headline_label = QLabel()
        self.headline_label.setObjectName("resultHeadline")
        self.overfitting_label = QLabel()
        self.overfitting_label.setObjectName("overfittingLabel")
        self.overfitting_label.setStyleSheet(_WARNING_STYLE)
        for label in (self.headline_label, self.overfitting_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.headline_label)
        layout.addWidget(self.overfitting_label)
        self.warning = False
        self._history: list[EpochEnded] = []
        self._epochs = 0
        self._task = "classification"
        self._running = False
        self.hide()

    # -- what the controller reports ----------------------------------------------------------
    def _on_controller_run_started(self, event: RunStarted) -> None:
        self._history = []
        self._epochs, self._task = event.epochs, event.task
        # The last run's lines go blank but keep their place until this run ends: the plots
        # below keep their size while it trains.
        self._running = True
        self._set_headline("", warning=False)
        self._set_overfitting("")

    def _on_controller_epochs_ended(self, epochs: list[EpochEnded]) -> None:
        self._history.extend(epochs)
        if not self._running:
            self._set_overfitting(overfitting_text(self._history))
        # While a run goes on, the note waits for the published position (below): the
        # events run ahead of what the counters and plots show in a fast run.

    def _on_controller_progress_changed(self, progress: Progress) -> None:
        """The note judges the epochs the window shows as completed, so it never speaks of an
        epoch the counters have not reached yet."""
        position = progress.position
        if not (self._running and position.running):
            return
        done = position.epoch - 1  # epoch is the one in progress
        shown = self._history
        if shown and shown[-1].epoch > done:
            shown = [e for e in shown if e.epoch <= done]
        self._set_overfitting(overfitting_text(shown))

    def _on_controller_run_finished(self, event: RunFinished) -> None:
        self._end_run()
        self._set_overfitting(overfitting_text(self._history))  # every epoch, now
        if event.warning:
            self._set_headline(warning_text(event), warning=True)
        else:
            self._set_headline(result_text(event, self._history, self._epochs, self._task),
                               warning=False)

    def _on_controller_run_failed(self, event: RunFailed) -> None:
        self._end_run()
        if event.kind in _SHOWN_FAILURES:
            self._set_headline(failure_text(event), warning=True)
            # A diverged run's last epochs say nothing about overfitting.
            self._set_overfitting("")
        else:
            self._set_headline("", warning=False)

    # -- showing --------------------------------------------------------------------------------
    @property
    def headline(self) -> str:
        return self.headline_label.text()

    @property
    def overfitting(self) -> str:
        return self.overfitting_label.text()

    def _set_headline(self, text: str, warning: bool) -> None:
        self.warning = warning and bool(text)
        self._show(self.headline_label, text, _WARNING_STYLE if self.warning else _RESULT_STYLE)

    def _set_overfitting(self, text: str) -> None:
        if text != self.overfitting_label.text():
            self._show(self.overfitting_label, text, _WARNING_STYLE)

    def _show(self, label: QLabel, text: str, style: str) -> None:
        """``text`` in ``label``. While a run goes on, a line once shown keeps its place, blank
        when it has nothing to say (the validation loss falls again), so the plots below do not
        jump each time it changes."""
        keep = self._running and not text and label.isVisibleTo(self)
        label.setMinimumHeight(label.height() if keep else 0)
        label.setText(text)
        label.setStyleSheet(style if text else "")
        label.setVisible(bool(text) or keep)
        self._update_visible()

    def _end_run(self) -> None:
        """The run is over: the blank lines kept in place go."""
        self._running = False
        for label in (self.headline_label, self.overfitting_label):
            if not label.text():
                label.setMinimumHeight(0)
                label.hide()
        self._update_visible()

    def _update_visible(self) -> None:
        self.setVisible(self.headline_label.isVisibleTo(self)
                        or self.overfitting_label.isVisibleTo(self))


def install(window: MainWindow) -> RunOutcomeView:
    """The outcome view on ``window``'s Training tab, under the epoch-batch-iteration panel
    and above the curves (once: a second call returns the view already there)."""
    existing = window.training_tab.findChild(RunOutcomeView)
    if existing is not None:
        return existing
    view = RunOutcomeView(window.training_tab)
    window.add_header_view(view)
    controller = window.controller
    controller.run_started.connect(view._on_controller_run_started)
    controller.epochs_ended.connect(view._on_controller_epochs_ended)
    controller.progress_changed.connect(view._on_controller_progress_changed)
    controller.run_finished.connect(view._on_controller_run_finished)
    controller.run_failed.connect(view._on_controller_run_failed)
    return view
