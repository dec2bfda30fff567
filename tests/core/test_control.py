"""Run control on real spiral runs: stepping, stepping an epoch, stop and pause while waiting,
data offered mid-run; and the control's own rules."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from workbench.config import TrainConfig
from workbench.core.control import RunControl
from workbench.core.engine import Engine
from workbench.core.engine import RunControl as EngineRunControl
from workbench.core.events import (
    DataChanged,
    EpochEnded,
    IterationsDone,
    RunFinished,
    RunStarted,
)


def spiral(**run) -> TrainConfig:
    base = {"epochs": 3, "batch_size": 30}
    base.update(run)
    return TrainConfig().with_changes(data={"samples": 300}, run=base)


class Recorder:
    """Runs an engine in a thread; collects its events; waits for conditions on them."""

    def __init__(self, config: TrainConfig, control: RunControl) -> None:
        self.events: list = []
        self.cond = threading.Condition()
        self.engine = Engine(config)
        self.control = control
        self.result = None
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self) -> None:
        self.result = self.engine.run(self._on_event, self.control)

    def _on_event(self, event) -> None:
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def iterations(self) -> list[int]:
        with self.cond:
            blocks = [e for e in self.events if isinstance(e, IterationsDone)]
        return [n for b in blocks for n in range(b.first_iteration, b.last_iteration + 1)]

    def of(self, kind) -> list:
        with self.cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait_paused(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.control.stepping_done:
            assert time.monotonic() < deadline, "the run never paused again"
            time.sleep(0.005)

    def finish(self, timeout: float = 30.0):
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the run did not end"
        return self.result


def test_run_control_still_importable_from_engine():
    assert EngineRunControl is RunControl


def test_step_runs_exactly_that_many_iterations_and_every_count_agrees():
    control = RunControl()
    control.pause()  # created paused: nothing runs before the first step
    rec = Recorder(spiral(), control)
    rec.wait_paused()
    assert rec.iterations() == []
    expected = 0
    for n in (1, 1, 3, 7, 1):
        control.step(n)
        rec.wait_paused()
        expected += n
        # Every iteration so far is published before the loop waits, once and in order.
        assert rec.iterations() == list(range(1, expected + 1))
        assert control.paused and not control.stepping
    # 13 iterations at 8 per epoch: epoch 1 ended (its summary shown) and no other.
    ended = rec.of(EpochEnded)
    assert [e.epoch for e in ended] == [1] and ended[0].iteration == 8
    control.request_stop()
    result = rec.finish()
    assert isinstance(result, RunFinished) and result.reason == "stopped"
    assert result.iterations_completed == expected == rec.iterations()[-1]
    assert result.epochs_completed == 1


def test_step_epoch_stops_after_the_epochs_summary():
    control = RunControl()
    control.pause()
    rec = Recorder(spiral(), control)
    rec.wait_paused()
    control.step_epoch()
    rec.wait_paused()
    start = rec.of(RunStarted)[0]
    ipe = start.iterations_per_epoch
    assert [e.epoch for e in rec.of(EpochEnded)] == [1]
    assert rec.iterations() == list(range(1, ipe + 1))
    # From the middle of an epoch a step of an epoch runs to that epoch's end.
    control.step(3)
    rec.wait_paused()
    control.step_epoch()
    rec.wait_paused()
    assert [e.epoch for e in rec.of(EpochEnded)] == [1, 2]
    assert rec.iterations() == list(range(1, 2 * ipe + 1))
    assert rec.of(EpochEnded)[-1].iteration == 2 * ipe
    control.resume()
    result = rec.finish()
    assert result.reason == "completed" and result.iterations_completed == 3 * ipe


def rate_over_windows(rec: Recorder, windows: int = 3, seconds: float = 1.0) -> list[float]:
    rates = []
    for _ in range(windows):
        before, t0 = len(rec.iterations()), time.monotonic()
        time.sleep(seconds)
        rates.append((len(rec.iterations()) - before) / (time.monotonic() - t0))
    return rates


def test_paced_run_keeps_its_pace_and_the_pace_changes_mid_run():
    control = RunControl()
    control.set_pace(20)
    assert control.pace == 20
    rec = Recorder(spiral(epochs=200), control)
    time.sleep(0.5)  # let the run start
    rates = rate_over_windows(rec)
    # A wide band: a busy machine may run late, never early by much.
    assert all(12 <= r <= 24 for r in rates), rates
    control.set_pace(100)
    time.sleep(0.3)
    faster = rate_over_windows(rec, windows=1)
    assert faster[0] > 40, faster
    control.set_pace(None)  # flat out again
    assert control.pace is None
    control.request_stop()
    assert rec.finish().reason == "stopped"


def test_stop_and_pause_act_at_once_while_waiting():
    control = RunControl()
    control.set_pace(0.2)  # one iteration every five seconds
    rec = Recorder(spiral(), control)
    while len(rec.iterations()) < 1:
        time.sleep(0.01)
    t0 = time.monotonic()
    control.pause()
    rec.wait_paused(timeout=2.0)
    assert time.monotonic() - t0 < 2.0
    t0 = time.monotonic()
    control.request_stop()
    result = rec.finish(timeout=5.0)
    assert time.monotonic() - t0 < 2.0
    assert result.reason == "stopped" and result.iterations_completed == 1


def test_offered_data_is_trained_from_the_next_epoch():
    control = RunControl()
    control.pause()
    rec = Recorder(spiral(epochs=3, batch_size=30), control)
    rec.wait_paused()
    control.step(2)  # into epoch 1
    rec.wait_paused()
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 45)
    # Raw points far from the spiral: normalised with the run's own statistics.
    x = rng.normal(size=(90, 2)) * 0.3 + np.where(y[:, None] == 0, 5.0, -5.0)
    control.offer_training_data(x, y)
    control.step_epoch()  # epoch 1 still trains on the spiral
    rec.wait_paused()
    # Paused before epoch 2's first iteration: the new counts are already told.
    assert [e.iteration for e in rec.of(EpochEnded)] == [8]
    assert [e.epoch for e in rec.of(DataChanged)] == [2]
    assert rec.iterations() == list(range(1, 9))
    control.resume()
    result = rec.finish()
    changed = rec.of(DataChanged)
    assert len(changed) == 1
    c = changed[0]
    assert (c.epoch, c.train_samples, c.iterations_per_epoch, c.last_batch_size) == (2, 90, 3, 30)
    start = rec.of(RunStarted)[0]
    assert c.total_iterations == start.iterations_per_epoch + 2 * 3
    assert result.iterations_completed == c.total_iterations == rec.iterations()[-1]
    ended = rec.of(EpochEnded)
    assert [e.iteration for e in ended] == [8, 11, 14]
    blocks = rec.of(IterationsDone)
    assert {b.epoch for b in blocks if b.first_iteration > 8} == {2, 3}
    # The model file describes the data the run ended on; inputs keep the run's statistics.
    model = rec.engine.trained_model()
    assert model.summary["train_samples"] == 90
    np.testing.assert_array_equal(model.mean, rec.engine.data.mean)
    raw = rec.engine.data.x_train * rec.engine.data.std + rec.engine.data.mean
    np.testing.assert_allclose(raw, x, rtol=1e-5, atol=1e-5)


def test_offered_data_with_other_features_fails_the_run_clearly():
    control = RunControl()
    control.offer_training_data(np.zeros((10, 3)), np.zeros(10, dtype=int))
    result = Engine(spiral()).run(None, control)
    assert result.kind == "data" and "features" in result.message


@pytest.mark.parametrize("x,y,words", [
    (np.zeros((4, 2)), np.zeros(3), "does not fit"),
    (np.zeros((0, 2)), np.zeros(0), "no samples"),
    (np.array([[np.nan, 1.0]]), np.zeros(1), "not numbers"),
])
def test_offered_data_refused_with_a_reason(x, y, words):
    with pytest.raises(ValueError, match=words):
        RunControl().offer_training_data(x, y)


def test_bad_requests_refused_with_a_reason():
    control = RunControl()
    with pytest.raises(ValueError, match="positive number"):
        control.set_pace(-1)
    with pytest.raises(ValueError, match="1 or more"):
        control.step(0)


def test_interrupted_flag_follows_every_request():
    control = RunControl()
    assert not control.interrupted
    control.set_pace(5)
    assert control.interrupted
    control.set_pace(0)
    assert not control.interrupted and control.pace is None
    control.pause()
    assert control.interrupted and control.paused
    control.step(2)
    assert control.interrupted and not control.paused and control.stepping
    control.resume()
    assert not control.interrupted and not control.stepping
    control.request_stop()
    assert control.interrupted and control.stop_requested


def test_admit_counts_steps_and_pauses_after_them():
    control = RunControl()
    control.pause()
    control.step(2)
    assert control.admit() and control.admit()
    waiter = threading.Thread(target=lambda: results.append(control.admit()))
    results: list[bool] = []
    waiter.start()
    deadline = time.monotonic() + 5
    while not control.stepping_done:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    assert control.paused
    control.request_stop()
    waiter.join(5)
    assert results == [False]


def test_a_step_runs_at_once_whatever_the_pace_and_an_epoch_step_plays_at_it():
    control = RunControl()
    control.set_pace(0.5)  # one iteration every two seconds
    control.pause()
    rec = Recorder(spiral(), control)
    rec.wait_paused()
    t0 = time.monotonic()
    for n in range(1, 4):
        control.step(1)
        rec.wait_paused()
        assert rec.iterations() == list(range(1, n + 1))
    assert time.monotonic() - t0 < 1.5  # three steps, no two-second waits
    control.set_pace(40)
    t0 = time.monotonic()
    control.step_epoch()  # the 5 iterations left of epoch 1, at 40 a second
    rec.wait_paused()
    assert rec.iterations() == list(range(1, 9))
    assert time.monotonic() - t0 >= 3 / 40  # 4 waits of 1/40 s between the 5
    control.request_stop()
    assert rec.finish().iterations_completed == 8
