"""Start / Pause / Stop buttons, the "continue training" choice, the speed and the Step buttons."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui import explanations
from workbench.ui.training import RunState
from workbench.ui.widgets import ExplainButton, name_widget, signals_blocked

# The speed choices in iterations per second, fastest first; None: as fast as possible.
PACES: tuple[float | None, ...] = (None, 100.0, 20.0, 5.0, 1.0)

# The speed box's "?", beside the other run controls' explanations (marked for translation in
# their context, shown in the language in use).
explanations.EXPLANATIONS.setdefault("controls.speed", explanations.Explanation(
    QT_TRANSLATE_NOOP("Explanations", "Speed and Step"),
    QT_TRANSLATE_NOOP("Explanations",
        "Speed slows training down to a number of iterations a second, so the curves, the "
        "decision boundary and the counters can be followed batch by batch; it changes at "
        "once, also during a run. Step 1 iteration trains exactly one more batch and pauses; "
        "Step 1 epoch trains to the end of the epoch, validation included, and pauses. After "
        "each step every view shows the model as it is then. Without a run, Step starts one "
        "paused; during a run, it pauses first.")))


def pace_text(pace: float | None) -> str:
    """ "As fast as possible", "5 iterations/s", "1 iteration/s"."""
    if not pace:
        return QCoreApplication.translate("RunControls", "As fast as possible")
    if pace == 1:
        return QCoreApplication.translate("RunControls", "1 iteration/s")
    return QCoreApplication.translate("RunControls", "{n} iterations/s").format(n=f"{pace:g}")


def nearest_pace(pace: float | None) -> float | None:
    """The offered choice nearest to ``pace`` (by ratio); None stays None."""
    if not pace or pace <= 0:
        return None
    offered = [p for p in PACES if p]
    return min(offered, key=lambda p: max(p / pace, pace / p))


class RunControls(QWidget):
    """The buttons; the window connects them (and the Run menu's shortcuts) to the controller."""

    # The speed chosen by a person, in iterations per second; 0.0: as fast as possible.
    speed_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_button = name_widget(QPushButton(self.tr("Start")), "startButton",
                                        self.tr("Start training"))
        self.pause_button = name_widget(QPushButton(self.tr("Pause")), "pauseButton",
                                        self.tr("Pause or resume training"))
        self.stop_button = name_widget(QPushButton(self.tr("Stop")), "stopButton",
                                       self.tr("Stop training"))
        self.start_button.setDefault(True)
        self.start_button.setMinimumHeight(32)
        self.continue_check = name_widget(
            QCheckBox(self.tr("Continue from the current model")), "continueCheck",
            self.tr("Continue training from the current model"))
        self.continue_check.setToolTip(self.tr(
            "Start from the weights of the last run or the opened model instead of fresh "
            "random weights. The network's layers must stay the same."))
        self.continue_check.setEnabled(False)
        self._build_pacing()
        self._model_available = False
        self._idle = True
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.pause_button, 1)
        buttons.addWidget(self.stop_button, 1)
        buttons.addWidget(ExplainButton("controls.run", self.start_button,
                                        self.tr("Start, pause, stop")))
        continue_row = QHBoxLayout()
        continue_row.setContentsMargins(0, 0, 0, 0)
        continue_row.addWidget(self.continue_check, 1)
        continue_row.addWidget(ExplainButton("controls.continue", self.continue_check,
                                             self.continue_check.text()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(continue_row)
        for row in self._pacing_rows:
            layout.addLayout(row)
        layout.addLayout(buttons)
        self.set_state(RunState.IDLE)

    def _build_pacing(self) -> None:
        """The speed choice and the two Step buttons, on one row above Start."""
        self.speed_combo = name_widget(QComboBox(), "speedCombo", self.tr("Training speed"))
        for pace in PACES:
            self.speed_combo.addItem(pace_text(pace), float(pace or 0.0))
        self.speed_combo.setToolTip(self.tr(
            "How fast training runs: as fast as the computer can, or slowed down to a number "
            "of iterations (weight updates) per second so each batch can be watched. Takes "
            "effect at once, also during a run."))
        # It may be narrower than its longest choice in a narrow column: the choice is
        # elided, never the "?" beside it cut.
        self.speed_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.speed_combo.setMinimumContentsLength(8)
        self.speed_combo.currentIndexChanged.connect(self._on_speed_index_changed)
        self.speed_label = QLabel(self.tr("Speed:"))
        self.speed_label.setBuddy(self.speed_combo)
        self.step_iteration_button = name_widget(
            QPushButton(self.tr("Step 1 iteration")), "stepIterationButton",
            self.tr("Step 1 iteration"))
        self.step_epoch_button = name_widget(
            QPushButton(self.tr("Step 1 epoch")), "stepEpochButton", self.tr("Step 1 epoch"))
        self.set_step_shortcut_hints("", "")
        # Two rows: in any language and type size the column is wide enough for each.
        speed_row = QHBoxLayout()
        speed_row.setContentsMargins(0, 0, 0, 0)
        speed_row.addWidget(self.speed_label)
        speed_row.addWidget(self.speed_combo, 1)
        speed_row.addWidget(ExplainButton("controls.speed", self.speed_combo, self.tr("Speed")))
        step_row = QHBoxLayout()
        step_row.setContentsMargins(0, 0, 0, 0)
        step_row.addWidget(self.step_iteration_button, 1)
        step_row.addWidget(self.step_epoch_button, 1)
        self._pacing_rows = (speed_row, step_row)

    def pace(self) -> float | None:
        """The chosen speed in iterations per second; None: as fast as possible."""
        value = float(self.speed_combo.currentData() or 0.0)
        return value if value > 0 else None

    def set_pace(self, pace: float | None) -> None:
        """Show ``pace`` (the nearest offered choice) without announcing it."""
        chosen = nearest_pace(pace)
        index = self.speed_combo.findData(float(chosen or 0.0))
        with signals_blocked(self.speed_combo):
            self.speed_combo.setCurrentIndex(max(index, 0))

    def _on_speed_index_changed(self, _index: int) -> None:
        self.speed_changed.emit(float(self.pace() or 0.0))

    def set_step_shortcut_hints(self, iteration: str, epoch: str) -> None:
        iteration_tip = self.tr(
            "Train exactly one more iteration (one batch), then pause: every view shows the "
            "state after it. Starts a paused run when none is under way.")
        epoch_tip = self.tr(
            "Train to the end of the current epoch (its validation included), then pause. "
            "Starts a paused run when none is under way.")
        for button, tip, keys in ((self.step_iteration_button, iteration_tip, iteration),
                                  (self.step_epoch_button, epoch_tip, epoch)):
            button.setToolTip(self.tr("{tip} ({keys})").format(tip=tip, keys=keys) if keys
                              else tip)

    def set_shortcut_hints(self, start: str, pause: str, stop: str) -> None:
        self.start_button.setToolTip(self.tr("Start training ({keys})").format(keys=start))
        self.pause_button.setToolTip(self.tr("Pause or resume ({keys})").format(keys=pause))
        self.stop_button.setToolTip(self.tr("Stop after the current iteration; the model is "
                                            "kept ({keys})").format(keys=stop))

    def set_state(self, state: RunState) -> None:
        idle = state == RunState.IDLE
        self._idle = idle
        self.continue_check.setEnabled(idle and self._model_available)
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(state in (RunState.RUNNING, RunState.PAUSED))
        self.stop_button.setEnabled(state in (RunState.RUNNING, RunState.PAUSED))
        self.pause_button.setText(self.tr("Resume") if state == RunState.PAUSED
                                  else self.tr("Pause"))
        # Step works from nothing (a paused run starts), from a run (it pauses first) and
        # from a pause; not while a run is stopping.
        for button in (self.step_iteration_button, self.step_epoch_button):
            button.setEnabled(state != RunState.STOPPING)

    def set_model_available(self, available: bool) -> None:
        self._model_available = available
        self.continue_check.setEnabled(available and self._idle)
        if not available:
            self.continue_check.setChecked(False)
