"""The speed choice and the Step buttons, on real runs on the spiral.

A paced run's rate is measured from the iteration counts the window received over a time window
(a wide band: the machine may be busy); Step advances exactly one iteration or one epoch and the
status bar, the concept panel, the plots and the live pictures then agree; Stop ends a run that
waits between paced iterations at once; the speed is kept in the settings.
"""

from __future__ import annotations

import re
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt

from workbench.config import TrainConfig
from workbench.core.events import RunFinished
from workbench.ui.features.pacing import STEP_EPOCH_KEYS, STEP_ITERATION_KEYS
from workbench.ui.panels.run_controls import PACES
from workbench.ui.settings import Settings
from workbench.ui.training import RunState, Step

RUN_TIMEOUT = 60_000  # ms; the first run in a process also imports torch
IPE = 40  # spiral, 400 samples (320 for training), batch 8


def _spiral(epochs: int) -> TrainConfig:
    return TrainConfig().with_changes(
        data={"dataset": "spiral", "samples": 400},
        model={"hidden": (16,)},
        run={"epochs": epochs, "batch_size": 8, "device": "cpu"})


def _plain(text: str) -> str:
    """Numbers without thousands separators, no-break spaces as spaces."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", text).replace("\N{NO-BREAK SPACE}", " ")


def _numbers(pattern: str, text: str) -> tuple[int, ...]:
    found = re.search(pattern, _plain(text))
    assert found is not None, (pattern, text)
    return tuple(int(g) for g in found.groups())


def _choose_speed(window, pace: float | None) -> None:
    combo = window.run_controls.speed_combo
    combo.setCurrentIndex(combo.findData(float(pace or 0.0)))


def _views(window) -> dict[str, tuple[int, ...]]:
    """(epoch, iteration) as each view shows it now, and what the plots hold."""
    status = (_numbers(r"^Epoch (\d+)/\d+$", window.status.epoch_label.text())
              + _numbers(r"^Iteration (\d+)/\d+$", window.status.iteration_label.text()))
    concept = _numbers(r"^Epoch (\d+) of \d+ · (?:batch (\d+) of \d+|no batch done yet) · "
                       r"iteration (\d+) of \d+$",
                       window.concept_panel.progress_label.text())
    raw_x, _ = window.iteration_plot._raw_curve.getData()
    epoch_x, _ = window.epoch_plot._train_curve.getData()
    return {"status": status, "concept": (concept[0], concept[2]), "batch": (concept[1],),
            "iteration_plot": (len(window.iteration_plot), 0 if raw_x is None else len(raw_x)),
            "epoch_plot": (len(window.epoch_plot), 0 if epoch_x is None else len(epoch_x))}


def _picture(window) -> tuple[int, ...]:
    """(epoch, iteration) of the decision boundary and the network's probe pass."""
    live = window.features["live_views"]
    return (_numbers(r"^Epoch (\d+), iteration (\d+)\.", live.boundary.caption.text())
            + _numbers(r"^Probe pass at epoch (\d+), iteration (\d+)\.$",
                       live.network.caption.text()))


def _assert_after_step(window, epoch: int, iteration: int, epochs_done: int) -> None:
    views = _views(window)
    assert views["status"] == (epoch, iteration), views
    assert views["concept"] == (epoch, iteration), views
    assert views["batch"] == (iteration - (epoch - 1) * IPE,), views
    assert views["iteration_plot"] == (iteration, iteration), views
    assert views["epoch_plot"] == (epochs_done, epochs_done), views
    assert _picture(window) == (epoch, iteration, epoch, iteration)
    assert window.controller.state == RunState.PAUSED
    assert window.run_controls.pause_button.text() == "Resume"
    assert window.status.speed_label.text() == "paused"


def _step(window, qtbot, button) -> None:
    with qtbot.waitSignal(window.controller.step_finished, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(button, Qt.LeftButton)


def test_step_starts_a_paused_run_and_advances_one_iteration_or_one_epoch(make_window,
                                                                           qtbot) -> None:
    window = make_window(_spiral(epochs=3))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    controls = window.run_controls
    assert controls.step_iteration_button.isEnabled() and controls.step_epoch_button.isEnabled()

    _step(window, qtbot, controls.step_iteration_button)
    _assert_after_step(window, epoch=1, iteration=1, epochs_done=0)
    assert "Paused after iteration 1 (epoch 1, batch 1 of 40)" in _plain(
        window.statusBar().currentMessage())
    # Nothing moves while paused.
    qtbot.wait(300)
    _assert_after_step(window, epoch=1, iteration=1, epochs_done=0)

    _step(window, qtbot, controls.step_iteration_button)
    _assert_after_step(window, epoch=1, iteration=2, epochs_done=0)
    _step(window, qtbot, controls.step_epoch_button)
    _assert_after_step(window, epoch=1, iteration=IPE, epochs_done=1)
    _step(window, qtbot, controls.step_iteration_button)
    _assert_after_step(window, epoch=2, iteration=IPE + 1, epochs_done=1)
    _step(window, qtbot, controls.step_epoch_button)
    _assert_after_step(window, epoch=2, iteration=2 * IPE, epochs_done=2)
    # The keys do what the buttons do.
    with qtbot.waitSignal(window.controller.step_finished, timeout=RUN_TIMEOUT):
        qtbot.keyClick(window, STEP_ITERATION_KEYS[0][0].key())
    _assert_after_step(window, epoch=3, iteration=2 * IPE + 1, epochs_done=2)

    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        qtbot.mouseClick(controls.stop_button, Qt.LeftButton)
    finished: RunFinished = blocker.args[0]
    assert (finished.reason, finished.iterations_completed) == ("stopped", 2 * IPE + 1)


def test_step_during_a_run_pauses_first_and_presses_each_count_once(make_window,
                                                                    qtbot) -> None:
    window = make_window(_spiral(epochs=200))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    _choose_speed(window, 100.0)
    with qtbot.waitSignal(window.controller.run_started, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.controller.position.iteration >= 3, timeout=RUN_TIMEOUT)

    _step(window, qtbot, window.run_controls.step_iteration_button)
    first = window.controller.position
    assert window.controller.state == RunState.PAUSED
    _assert_after_step(window, first.epoch, first.iteration, first.epoch - 1)
    # Three quick presses (a held key): three more iterations, each published.
    finished = []
    window.controller.step_finished.connect(finished.append)
    for _ in range(3):
        qtbot.keyClick(window, STEP_ITERATION_KEYS[0][0].key())
    qtbot.waitUntil(lambda: len(finished) == 3, timeout=RUN_TIMEOUT)
    assert [p.iteration for p in finished] == [first.iteration + k for k in (1, 2, 3)]
    _assert_after_step(window, first.epoch, first.iteration + 3, first.epoch - 1)

    with qtbot.waitSignal(window.controller.step_finished, timeout=RUN_TIMEOUT):
        qtbot.keyClick(window, STEP_EPOCH_KEYS[0][0].key())
    _assert_after_step(window, first.epoch, first.epoch * IPE, first.epoch)

    with qtbot.waitSignal(window.controller.state_changed, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(window.run_controls.pause_button, Qt.LeftButton)  # Resume
    assert window.controller.state == RunState.RUNNING
    qtbot.waitUntil(lambda: window.controller.position.iteration > first.epoch * IPE + 2,
                    timeout=RUN_TIMEOUT)
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        window.stop_training()


def _rate(window, qtbot, iterations: int) -> float:
    """Iterations a second over the time ``iterations`` more take to arrive."""
    received: list[tuple[float, int]] = []

    def count(_first: int, losses: object) -> None:
        total = (received[-1][1] if received else 0) + len(losses)
        received.append((time.perf_counter(), total))

    window.controller.iterations_received.connect(count)
    try:
        qtbot.waitUntil(lambda: len(received) >= 2, timeout=RUN_TIMEOUT)  # under way
        t0, n0 = received[-1]
        qtbot.waitUntil(lambda: received[-1][1] >= n0 + iterations, timeout=RUN_TIMEOUT)
        t1, n1 = received[-1]
    finally:
        window.controller.iterations_received.disconnect(count)
    return (n1 - n0) / (t1 - t0)


def test_paced_speeds_hold_their_rate_and_change_mid_run(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=100))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    _choose_speed(window, 5.0)
    with qtbot.waitSignal(window.controller.run_started, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(window.run_controls.start_button, Qt.LeftButton)
    slow = _rate(window, qtbot, 10)  # about 2 s
    assert 3.0 <= slow <= 6.0, slow
    _choose_speed(window, 20.0)  # mid-run: from the next iteration
    assert window.controller.pace == 20.0
    fast = _rate(window, qtbot, 40)  # about 2 s
    assert 12.0 <= fast <= 24.0, fast
    # As fast as possible finishes the remaining ~3,900 iterations in seconds.
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        _choose_speed(window, None)
    assert blocker.args[0].reason == "completed"
    assert window.controller.pace is None


def test_stop_during_a_paced_wait_acts_at_once(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=5))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    window.controller.set_pace(0.2)  # five seconds between iterations
    with qtbot.waitSignal(window.controller.iterations_received, timeout=RUN_TIMEOUT):
        assert window.start_training()
    started = time.perf_counter()
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        qtbot.mouseClick(window.run_controls.stop_button, Qt.LeftButton)
    assert time.perf_counter() - started < 2.5  # not the rest of a five-second wait
    assert blocker.args[0].reason == "stopped"
    assert blocker.args[0].iterations_completed <= 2


def test_the_speed_is_kept_in_the_settings_and_presentation_mode(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=3))
    combo = window.run_controls.speed_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "As fast as possible", "100 iterations/s", "20 iterations/s", "5 iterations/s",
        "1 iteration/s"]
    assert [combo.itemData(i) for i in range(combo.count())] == [p or 0.0 for p in PACES]
    assert combo.currentText() == "As fast as possible" and window.controller.pace is None

    assert not window.iteration_plot._paced  # flat out: redraws limited by their cost
    _choose_speed(window, 5.0)
    assert Settings().pace() == 5.0 and window.controller.pace == 5.0
    assert window.iteration_plot._paced and window.epoch_plot._paced
    pacing = window.features["pacing"]
    assert pacing.speed_actions[5.0].isChecked()
    pacing.speed_actions[20.0].trigger()  # Run > Speed does what the box does
    assert (combo.currentText(), window.controller.pace, Settings().pace()) == (
        "20 iterations/s", 20.0, 20.0)
    pacing.speed_actions[5.0].trigger()
    views = window.features["explanations"]
    views.set_presentation(True)
    qtbot.wait(50)
    assert combo.isVisible() and combo.currentText() == "5 iterations/s"
    views.set_presentation(False)
    window.close()

    again = make_window(_spiral(epochs=3))
    assert again.run_controls.speed_combo.currentText() == "5 iterations/s"
    assert again.controller.pace == 5.0 and again.iteration_plot._paced
    for text in ("Step 1 iteration", "Step 1 epoch"):
        assert again.findChild(type(again.run_controls.step_iteration_button),
                               "stepIterationButton" if "iteration" in text
                               else "stepEpochButton").text() == text
    assert "(F7)" in again.run_controls.step_iteration_button.toolTip()
    assert "(F8)" in again.run_controls.step_epoch_button.toolTip()
    # The next window's first run goes at the kept speed.
    qtbot.waitUntil(lambda: again.form.preview is not None)
    with qtbot.waitSignal(again.controller.run_started, timeout=RUN_TIMEOUT):
        assert again.start_training()
    rate = _rate(again, qtbot, 6)
    assert 3.0 <= rate <= 6.0, rate
    with qtbot.waitSignal(again.controller.run_finished, timeout=RUN_TIMEOUT):
        again.stop_training()
    Settings().set_pace(float("nan"))  # a damaged value reads as full speed
    assert Settings().pace() is None


def test_training_data_offered_mid_run_is_adopted_at_the_next_epoch(make_window,
                                                                     qtbot) -> None:
    window = make_window(_spiral(epochs=3))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    controller = window.controller
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    assert not controller.offer_training_data(x, y)  # no run
    adopted: list = []
    controller.training_data_changed.connect(adopted.extend)
    _step(window, qtbot, window.run_controls.step_iteration_button)
    with pytest.raises(ValueError, match="does not fit"):
        controller.offer_training_data(x, y[:50])
    assert controller.offer_training_data(x, y)
    # Epoch 1 trains on the run's own points to its end; the new set is announced as epoch 2
    # begins, before its first iteration.
    _step(window, qtbot, window.run_controls.step_epoch_button)
    assert len(adopted) == 1 and len(window.iteration_plot) == IPE
    changed = adopted[0]
    assert (changed.epoch, changed.train_samples, changed.iterations_per_epoch) == (2, 100, 13)
    assert changed.total_iterations == IPE + 2 * 13
    with qtbot.waitSignal(controller.run_finished, timeout=RUN_TIMEOUT) as blocker:
        controller.resume()
    assert blocker.args[0].iterations_completed == IPE + 2 * 13


def test_step_with_settings_that_are_refused_starts_nothing(make_window, qtbot,
                                                            close_message_boxes) -> None:
    window = make_window(_spiral(epochs=2).with_changes(run={"batch_size": 5000}))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    assert not window.features["pacing"].step(Step.ITERATION)
    assert not window.controller.is_active
    assert any("5000" in _plain(text) for text in close_message_boxes(window))
    # A later Start is an ordinary run: not paused, not stepping.
    with qtbot.waitSignal(window.controller.run_finished, timeout=RUN_TIMEOUT):
        assert window.start_training(_spiral(epochs=1))
    assert len(window.iteration_plot) == IPE


def test_closing_the_window_after_a_step_ends_the_waiting_run(make_window, qtbot) -> None:
    window = make_window(_spiral(epochs=3))
    qtbot.waitUntil(lambda: window.form.preview is not None)
    _step(window, qtbot, window.run_controls.step_iteration_button)
    started = time.perf_counter()
    assert window.close()
    assert time.perf_counter() - started < 5.0
    assert not window.controller.is_active
