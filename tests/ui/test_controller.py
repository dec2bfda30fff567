"""TrainingController with a scripted engine: batching, ordering, pause/stop, failures, shutdown."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QThread

from workbench.config import TrainConfig
from workbench.core.events import (
    EpochEnded,
    IterationsDone,
    RunFailed,
    RunFinished,
    RunStarted,
)
from workbench.ui.training import DRAIN_INTERVAL_MS, RunState, TrainingController


class ScriptedEngine:
    """Publishes ``blocks`` loss blocks of ``size`` as fast as it can (no torch)."""

    def __init__(self, blocks: int = 20_000, size: int = 3, per_epoch: int = 100,
                 fail: Exception | None = None) -> None:
        self.blocks, self.size, self.per_epoch, self.fail = blocks, size, per_epoch, fail
        self.data = None
        self.thread_name = ""

    def run(self, on_event, control=None, flush_interval=1 / 60):
        import threading

        self.thread_name = threading.current_thread().name
        if self.fail is not None:
            raise self.fail
        ipe = self.size * self.per_epoch
        total = self.blocks * self.size
        on_event(RunStarted(train_samples=ipe, val_samples=0, iterations_per_epoch=ipe,
                            last_batch_size=1, total_iterations=total,
                            epochs=self.blocks // self.per_epoch, batch_size=1, device="cpu",
                            device_name="test", parameters=1, task="regression"))
        it = 0
        for b in range(self.blocks):
            if control is not None:
                if control.paused:
                    control.wait_while_paused()
                if control.stop_requested:
                    break
            losses = np.arange(it + 1, it + self.size + 1, dtype=np.float32)
            on_event(IterationsDone(epoch=b // self.per_epoch + 1, first_iteration=it + 1,
                                    losses=losses))
            it += self.size
            if (b + 1) % self.per_epoch == 0:
                on_event(EpochEnded(epoch=(b + 1) // self.per_epoch, train_loss=1.0,
                                    val_loss=None, val_accuracy=None, train_accuracy=None,
                                    lr=0.1, seconds=0.0, iteration=it))
        result = RunFinished(reason="stopped" if it < total else "completed",
                             epochs_completed=it // ipe, iterations_completed=it, seconds=0.0)
        on_event(result)
        return result

    def trained_model(self):
        return None


@pytest.fixture
def controller(qtbot):
    made: list[TrainingController] = []

    def make(engine: ScriptedEngine) -> TrainingController:
        c = TrainingController(engine_factory=lambda cfg, data, initial: engine)
        made.append(c)
        return c

    yield make
    for c in made:
        c.shutdown()


def test_every_loss_arrives_once_in_order_and_batched(qtbot, controller) -> None:
    engine = ScriptedEngine(blocks=30_000, size=3)
    c = controller(engine)
    chunks: list[tuple[int, np.ndarray]] = []
    epochs: list[EpochEnded] = []
    c.iterations_received.connect(lambda first, losses: chunks.append((first, losses)))
    c.epochs_ended.connect(epochs.extend)
    t0 = time.perf_counter()
    with qtbot.waitSignal(c.run_finished, timeout=30_000) as blocker:
        c.start(TrainConfig())
    elapsed = time.perf_counter() - t0
    assert blocker.args[0].iterations_completed == 90_000
    everything = np.concatenate([losses for _, losses in chunks])
    np.testing.assert_array_equal(everything, np.arange(1, 90_001, dtype=np.float32))
    assert [first for first, _ in chunks] == list(
        np.cumsum([0] + [len(x) for _, x in chunks[:-1]]) + 1)
    # 30,000 blocks, but at most one signal per drain (~30 per second) reached the GUI thread
    assert len(chunks) <= elapsed * 1000 / DRAIN_INTERVAL_MS * 1.5 + 3
    assert [e.epoch for e in epochs] == list(range(1, 301))
    assert engine.thread_name != "MainThread"
    assert c.state == RunState.IDLE and not c.is_active


def test_pause_resume_stop(qtbot, controller) -> None:
    engine = ScriptedEngine(blocks=10**9, size=1)
    c = controller(engine)
    seen = []
    c.iterations_received.connect(lambda first, losses: seen.append(first + len(losses) - 1))
    c.start(TrainConfig())
    c.pause()
    assert c.state == RunState.PAUSED
    qtbot.wait(150)
    frozen = list(seen)
    qtbot.wait(200)
    assert seen == frozen
    c.resume()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] > (frozen[-1] if frozen else 0) + 1000,
                    timeout=10_000)
    with qtbot.waitSignal(c.run_finished, timeout=10_000) as blocker:
        c.stop()
    assert blocker.args[0].reason == "stopped"
    assert seen[-1] == blocker.args[0].iterations_completed


def test_requests_before_the_worker_is_ready_are_kept() -> None:
    from workbench.ui.training import _Run

    run = _Run(config=TrainConfig(), data=None, initial=None)
    run.request("pause")
    run.request("stop")
    control = run.make_control()
    assert control.paused is False or control.stop_requested  # stop wakes a paused loop
    assert control.stop_requested


def test_an_exception_in_the_engine_becomes_run_failed(qtbot, controller) -> None:
    c = controller(ScriptedEngine(fail=ValueError("boom")))
    with qtbot.waitSignal(c.run_failed, timeout=10_000) as blocker:
        c.start(TrainConfig())
    failed: RunFailed = blocker.args[0]
    assert "boom" in failed.message and "Traceback" in failed.details
    assert c.state == RunState.IDLE


def test_shutdown_mid_run_joins_without_announcing(qtbot, controller) -> None:
    c = controller(ScriptedEngine(blocks=10**9, size=1))
    ended = []
    c.run_finished.connect(ended.append)
    c.start(TrainConfig())
    qtbot.waitUntil(lambda: c.progress.iteration > 100, timeout=10_000)
    c.shutdown()
    assert not c.is_active and ended == []
    assert c.findChildren(QThread) == [] or not any(t.isRunning()
                                                    for t in c.findChildren(QThread))


def test_a_large_model_beside_the_window_leaves_it_a_core(make_window, qtbot) -> None:
    """Training threads beside the window: torch's count less the window's core (at least 1);
    a small model keeps to one."""
    from workbench.config import ModelKind
    from workbench.core.devices import DEFAULT_THREADS

    big = TrainConfig().with_changes(
        data={"dataset": "digits"},
        model={"kind": ModelKind.CNN, "channels": (16, 32), "hidden": (64,)},
        run={"epochs": 1, "batch_size": 256, "device": "cpu"})
    window = make_window(big)
    _train_to_end(qtbot, window)
    assert window.controller.last_engine.threads_used == max(1, DEFAULT_THREADS - 1)
    window.form.set_config(TrainConfig().with_changes(run={"epochs": 1, "device": "cpu"}))
    _train_to_end(qtbot, window)
    assert window.controller.last_engine.threads_used == 1


def _train_to_end(qtbot, window) -> None:
    with qtbot.waitSignal(window.model_changed, timeout=30_000):
        assert window.start_training()
