"""Start / Pause / Stop buttons and the "continue training" choice."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from workbench.ui.training import RunState
from workbench.ui.widgets import ExplainButton, name_widget


class RunControls(QWidget):
    """The buttons; the window connects them (and the Run menu's shortcuts) to the controller."""

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
        layout.addLayout(buttons)
        self.set_state(RunState.IDLE)

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

    def set_model_available(self, available: bool) -> None:
        self._model_available = available
        self.continue_check.setEnabled(available and self._idle)
        if not available:
            self.continue_check.setChecked(False)
