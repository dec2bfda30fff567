"""The training speed and the Step buttons, wired to the window.

The run controls show the speed choice and the two Step buttons; this feature connects them (and
the Run menu's Step entries with their keys) to the training controller, and keeps the speed in
the settings. The speed holds for the run under way (from its next iteration) and every later
one; presentation mode leaves it alone. Step with no run under way starts a run paused (the
form's settings, as Start would) and takes the step; Step during a run pauses it first.

After each step the controller publishes the run position the engine waits at; the plots are
redrawn at once here, so every view shows the state after the step, not a timer tick later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from workbench.ui.panels.run_controls import PACES, pace_text
from workbench.ui.run_position import RunPosition, count_text
from workbench.ui.training import RunState, Step

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

# Keys of the Step entries: F7 / F8 as in debuggers' "step" keys (F5/F6 start and pause).
STEP_ITERATION_KEYS = (QKeySequence(Qt.Key.Key_F7),)
STEP_EPOCH_KEYS = (QKeySequence(Qt.Key.Key_F8),)


class Pacing(QObject):
    """Speed and Step: the run controls' widgets and the Run menu's entries, connected."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        controls = window.run_controls
        self.step_iteration_action = self._action(
            self.tr("Step 1 &iteration"), "stepIterationAction", STEP_ITERATION_KEYS,
            lambda: self.step(Step.ITERATION))
        self.step_epoch_action = self._action(
            self.tr("Step 1 &epoch"), "stepEpochAction", STEP_EPOCH_KEYS,
            lambda: self.step(Step.EPOCH))
        self.speed_menu = self._speed_menu()
        self._add_to_run_menu([self.step_iteration_action, self.step_epoch_action,
                               self.speed_menu])
        native = QKeySequence.SequenceFormat.NativeText
        controls.set_step_shortcut_hints(STEP_ITERATION_KEYS[0].toString(native),
                                         STEP_EPOCH_KEYS[0].toString(native))

        controls.speed_changed.connect(self._on_speed_changed)
        controls.step_iteration_button.clicked.connect(lambda: self.step(Step.ITERATION))
        controls.step_epoch_button.clicked.connect(lambda: self.step(Step.EPOCH))
        window.controller.state_changed.connect(self._on_state_changed)
        window.controller.step_finished.connect(self._on_step_finished)

        pace = window.settings.pace()
        controls.set_pace(pace)
        window.controller.set_pace(controls.pace())
        self._check_speed(controls.pace())

    def _action(self, text: str, name: str, keys: tuple[QKeySequence, ...],
                slot: object) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.setShortcuts(list(keys))
        action.triggered.connect(slot)
        self._window.addAction(action)  # the keys work with the menu bar hidden too
        return action

    def _speed_menu(self) -> QMenu:
        """Run > Speed: the speed box's choices, one checked."""
        menu = QMenu(self.tr("Spee&d"), self._window)
        menu.setObjectName("speedMenu")
        self._speed_group = QActionGroup(self)
        self.speed_actions: dict[float, QAction] = {}
        for pace in PACES:
            action = QAction(pace_text(pace), self._window)
            action.setObjectName(f"speed_{int(pace or 0)}_Action")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, p=pace: self.set_pace(p))
            self._speed_group.addAction(action)
            menu.addAction(action)
            self.speed_actions[float(pace or 0.0)] = action
        return menu

    def _check_speed(self, pace: float | None) -> None:
        action = self.speed_actions.get(float(pace or 0.0))
        if action is not None:
            action.setChecked(True)
        # A paced run's plots redraw as often as a person can follow, not by their cost.
        for plot in (self._window.iteration_plot, self._window.epoch_plot):
            plot.set_paced(pace is not None)

    def _add_to_run_menu(self, items: list[QAction | QMenu]) -> None:
        self._window.add_menu_actions("run", items)

    # -- public --------------------------------------------------------------------------------
    @property
    def pace(self) -> float | None:
        """The chosen speed in iterations per second; None: as fast as possible."""
        return self._window.controller.pace

    def set_pace(self, pace: float | None) -> None:
        """Choose a speed (the nearest offered one), as the speed box does."""
        self._window.run_controls.set_pace(pace)
        self._on_speed_changed(self._window.run_controls.pace() or 0.0)

    def step(self, step: Step) -> bool:
        """One Step press: advance the run, pausing it first, or start a paused run.

        False when nothing happened (the form's settings were refused, or a run is stopping).
        """
        window = self._window
        controller = window.controller
        if controller.is_active:
            taken = controller.step(step)
        else:
            controller.step_on_next_start(step)
            taken = window.start_training(confirm=True)
            if not taken:
                controller.step_on_next_start(None)
        if taken and step == Step.EPOCH:
            window.statusBar().showMessage(self.tr(
                "Training to the end of this epoch, then pausing..."))
        return taken

    # -- behaviour -----------------------------------------------------------------------------
    def _on_speed_changed(self, pace: float) -> None:
        chosen = pace if pace > 0 else None
        self._window.controller.set_pace(chosen)
        self._window.settings.set_pace(chosen)
        self._check_speed(chosen)

    def _on_state_changed(self, value: str) -> None:
        state = RunState(value)
        enabled = state != RunState.STOPPING
        self.step_iteration_action.setEnabled(enabled)
        self.step_epoch_action.setEnabled(enabled)
        if state == RunState.PAUSED:
            # Nothing arrives while paused: the plots draw as after a run (each epoch's
            # point marked, so the first epoch of a stepped run shows), not rate-limited.
            for plot in (self._window.iteration_plot, self._window.epoch_plot):
                plot.set_live(False)

    def _on_step_finished(self, position: RunPosition) -> None:
        window = self._window
        # The step's losses and epoch are in the plots' buffers: draw them now.
        window.iteration_plot.refresh()
        window.epoch_plot.refresh()
        if position.shows_counts and window.controller.state == RunState.PAUSED:
            window.statusBar().showMessage(self.tr(
                "Paused after iteration {iteration} (epoch {epoch}, batch {batch} of {batches})."
                " Step again, or Resume.").format(
                    iteration=count_text(position.iteration), epoch=count_text(position.epoch),
                    batch=count_text(position.iteration_in_epoch),
                    batches=count_text(position.iterations_per_epoch)))


def install(window: MainWindow) -> Pacing:
    return Pacing(window)
