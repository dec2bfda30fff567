"""The rules around the loop, one by one: each callback on real runs and on a real small model,
and the protocol's hooks in the order and at the boundaries the loop promises."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from workbench.config import Schedule, TrainConfig
from workbench.core.callbacks import (
    Callback,
    ChanceLevelCheck,
    Checkpointing,
    DivergenceCheck,
    EarlyStopping,
    EpochDiverged,
    EpochResult,
    LastGoodSnapshot,
    LiveCapture,
    PaceAndStep,
    RunState,
    SchedulerStep,
)
from workbench.core.control import RunControl
from workbench.core.engine import Engine
from workbench.core.events import EpochEnded, IterationsDone, LiveViewUpdated, RunFinished
from workbench.core.liveview import LiveView
from workbench.core.models import build_model
from workbench.core.training import make_optimizer


def spiral(**run) -> TrainConfig:
    base = {"epochs": 3, "batch_size": 30}
    base.update(run)
    return TrainConfig().with_changes(data={"samples": 300}, run=base)


def state(config: TrainConfig | None = None, control: RunControl | None = None) -> RunState:
    """A real run's parts (data, model, optimizer) without the loop."""
    config = config or spiral()
    engine = Engine(config)
    data = engine.prepare()
    torch.manual_seed(0)
    model = build_model(config.model, tuple(data.input_shape), data.n_classes)
    events: list = []
    return RunState(config, data, model, torch.device("cpu"), control or RunControl(),
                    make_optimizer(config.optim, model.parameters()),
                    torch.Generator().manual_seed(0), data.mean, data.std, (0.0, 1.0),
                    events.append)


def result(epoch: int, val_loss: float | None, losses=(1.0, 1.0), train_loss=1.0
           ) -> EpochResult:
    return EpochResult(epoch, np.asarray(losses, np.float32), train_loss, val_loss, None, 0.1,
                       (epoch - 1) * len(losses), time.perf_counter())


def weights(model: torch.nn.Module) -> list[np.ndarray]:
    return [v.detach().clone().numpy() for v in model.state_dict().values()]


def disturb(model: torch.nn.Module) -> None:
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)


class Recording(Callback):
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def on_run_start(self, run):
        self.calls.append(("run_start", run.epoch, run.iteration))

    def on_iterations(self, run):
        self.calls.append(("iterations", run.epoch, run.iteration))

    def on_validation_end(self, run, result):
        self.calls.append(("validation_end", result.epoch, run.iteration))

    def on_epoch_end(self, run, event):
        self.calls.append(("epoch_end", event.epoch, event.iteration))

    def on_run_end(self, run):
        self.calls.append(("run_end", run.epoch, run.iteration))

    def names(self, name: str) -> list[tuple[str, int, int]]:
        return [c for c in self.calls if c[0] == name]


# -- the protocol ------------------------------------------------------------------------
def test_hooks_run_in_order_at_block_and_epoch_boundaries():
    rec = Recording()
    result_ = Engine(spiral(epochs=3), callbacks=[rec]).run(None, flush_interval=0.5)
    assert isinstance(result_, RunFinished)
    assert rec.calls[0] == ("run_start", 0, 0)
    assert rec.calls[-1] == ("run_end", 3, 24)
    assert [c[1:] for c in rec.names("validation_end")] == [(1, 8), (2, 16), (3, 24)]
    assert [c[1:] for c in rec.names("epoch_end")] == [(1, 8), (2, 16), (3, 24)]
    # Blocks, not iterations: at most one call per half second of a short run.
    assert len(rec.names("iterations")) <= 2 + result_.seconds / 0.5
    order = [c[0] for c in rec.calls if c[0] != "iterations"]
    assert order == ["run_start"] + ["validation_end", "epoch_end"] * 3 + ["run_end"]


def test_hooks_run_after_every_iteration_on_the_slow_path():
    rec = Recording()
    control = RunControl()
    control.set_pace(1000)  # paced: the slow path, though hardly slower
    Engine(spiral(epochs=2), callbacks=[rec]).run(None, control, flush_interval=100.0)
    # Before each of the 16 iterations the hooks see the state after the one before.
    assert [c[2] for c in rec.names("iterations")] == list(range(16))


def test_base_callback_hooks_do_nothing_and_keep_no_state():
    run = state()
    before = weights(run.model)
    cb = Callback()
    cb.on_run_start(run)
    cb.on_iterations(run)
    cb.on_validation_end(run, result(1, 0.5))
    cb.on_run_end(run)
    cb.load_state_dict({"anything": 1})
    assert cb.state_dict() == {}
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(run.model)))
    assert run.stop_reason is None and run.pending == []


# -- early stopping and the best weights ---------------------------------------------------
def test_early_stopping_counts_epochs_without_improvement_and_ends_the_run():
    run = state()
    early = EarlyStopping(patience=2, min_delta=0.01, keep_best=True, restore_best=True)
    early.on_validation_end(run, result(1, 1.0))
    assert (early.best_epoch, early.bad_epochs, early.patience_left) == (1, 0, 2)
    early.on_validation_end(run, result(2, 0.995))  # better, but not by min_delta
    assert (early.best_epoch, early.bad_epochs, early.patience_left) == (1, 1, 1)
    assert run.stop_reason is None
    early.on_validation_end(run, result(3, 0.5))
    assert (early.best_epoch, early.best_loss, early.bad_epochs) == (3, 0.5, 0)
    early.on_validation_end(run, result(4, 0.7))
    early.on_validation_end(run, result(5, 0.6))
    assert run.stop_reason == "early_stopped"


def test_early_stopping_off_never_ends_a_run_and_no_validation_counts_nothing():
    run = state()
    early = EarlyStopping(patience=0, min_delta=0.0, keep_best=False, restore_best=True)
    for epoch, loss in enumerate([1.0, 2.0, 3.0, 4.0], start=1):
        early.on_validation_end(run, result(epoch, loss))
    early.on_validation_end(run, result(5, None))
    assert run.stop_reason is None and early.patience_left is None
    assert early.best_epoch == 1 and early.bad_epochs == 3 and early.best_state is None


def test_best_weights_are_copied_and_put_back_at_the_end():
    run = state()
    early = EarlyStopping(patience=0, min_delta=0.0, keep_best=True, restore_best=True)
    early.on_validation_end(run, result(1, 0.4))
    best = weights(run.model)
    disturb(run.model)  # training goes on; the copy must not follow
    early.on_validation_end(run, result(2, 0.9))
    run.epoch = 2
    early.on_run_end(run)
    assert early.restored
    assert all(np.array_equal(a, b) for a, b in zip(best, weights(run.model)))


def test_best_weights_stay_when_the_last_epoch_is_the_best_or_restoring_is_off():
    for restore_best, last_best in [(True, True), (False, False)]:
        run = state()
        early = EarlyStopping(patience=0, min_delta=0.0, keep_best=True,
                              restore_best=restore_best)
        early.on_validation_end(run, result(1, 0.9 if last_best else 0.4))
        early.on_validation_end(run, result(2, 0.5))
        last = weights(run.model)
        run.epoch = 2
        early.on_run_end(run)
        assert not early.restored
        assert all(np.array_equal(a, b) for a, b in zip(last, weights(run.model)))


def test_early_stopping_state_round_trips_with_its_best_weights():
    run = state()
    early = EarlyStopping(patience=3, min_delta=0.0, keep_best=True, restore_best=True)
    assert early.state_dict()["best_loss"] == 1e308  # JSON has no infinity
    early.on_validation_end(run, result(1, 0.4))
    early.on_validation_end(run, result(2, 0.6))
    saved = early.state_dict()
    assert {k for k in saved if not k.startswith("best.")} == {
        "best_loss", "best_epoch", "bad_epochs"}
    assert all(isinstance(v, torch.Tensor) for k, v in saved.items() if k.startswith("best."))
    again = EarlyStopping(patience=3, min_delta=0.0, keep_best=True, restore_best=True)
    again.load_state_dict(saved)
    assert (again.best_loss, again.best_epoch, again.bad_epochs) == (0.4, 1, 1)
    assert again.patience_left == 2
    assert again.best_state is not None and set(again.best_state) == set(early.best_state)


def test_a_real_run_stops_early_and_keeps_its_best_epoch():
    cfg = spiral(epochs=60, patience=2).with_changes(optim={"lr": 0.3})
    events: list = []
    finished = Engine(cfg).run(events.append)
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    assert finished.reason == "early_stopped" and finished.epochs_completed < 60
    assert epochs[-1].patience_left == 0
    best = min(epochs, key=lambda e: e.val_loss)
    assert finished.best_epoch == best.epoch
    assert finished.restored_best == (best.epoch != finished.epochs_completed)


# -- the last-good snapshot --------------------------------------------------------------
def test_snapshot_keeps_an_epochs_weights_and_puts_them_back():
    run = state()
    divergence = DivergenceCheck()
    divergence.on_run_start(run)
    snap = LastGoodSnapshot(divergence, interval=3600.0)
    snap.on_run_start(run)
    start = weights(run.model)
    assert snap.epoch == 0
    disturb(run.model)
    snap.on_validation_end(run, result(1, 0.5))  # the first epoch is always kept
    assert snap.epoch == 1
    epoch_1 = weights(run.model)
    disturb(run.model)
    snap.on_validation_end(run, result(2, 0.5))  # within the interval: not refreshed
    assert snap.epoch == 1
    snap.restore()
    assert all(np.array_equal(a, b) for a, b in zip(epoch_1, weights(run.model)))
    assert not all(np.array_equal(a, b) for a, b in zip(start, weights(run.model)))


def test_snapshot_waits_while_a_blow_up_may_turn_out_a_divergence():
    run = state()
    divergence = DivergenceCheck()
    divergence.on_run_start(run)
    snap = LastGoodSnapshot(divergence, interval=0.0)
    snap.on_run_start(run)
    divergence.on_validation_end(run, result(1, 0.5, losses=(0.7, 0.7), train_loss=0.7))
    snap.on_validation_end(run, result(1, 0.5))
    assert snap.epoch == 1
    # An epoch mean 50x the start: "exploded" waits to see whether it settles.
    divergence.on_validation_end(run, result(2, 0.5, losses=(35.0, 35.0), train_loss=35.0))
    assert divergence.waiting
    snap.on_validation_end(run, result(2, 0.5))
    assert snap.epoch == 1


def test_a_resumed_run_starts_its_snapshot_at_the_checkpoints_epoch():
    run = state()
    run.start_epoch = 5
    snap = LastGoodSnapshot(DivergenceCheck())
    snap.on_run_start(run)
    assert snap.epoch == 4


# -- divergence --------------------------------------------------------------------------
def test_divergence_check_raises_on_an_epoch_far_above_the_start():
    run = state()
    check = DivergenceCheck()
    check.on_run_start(run)
    check.on_validation_end(run, result(1, 0.6, losses=(0.7, 0.6), train_loss=0.65))
    with pytest.raises(EpochDiverged) as caught:
        check.on_validation_end(run, result(2, 1e4, losses=(1e4, 1e4), train_loss=1e4))
    assert caught.value.seen.rule == "epoch" and caught.value.seen.epoch == 2


def test_a_diverging_real_run_fails_with_the_last_good_weights():
    cfg = spiral(epochs=10).with_changes(optim={"optimizer": "momentum", "lr": 10.0})
    engine = Engine(cfg)
    finished = engine.run(None)
    assert finished.kind == "diverged" and finished.epoch == 1
    # No epoch passed the rules: the snapshot put the starting weights back.
    torch.manual_seed(cfg.run.seed)
    start = build_model(cfg.model, (2,), 2)
    kept = engine.trained_model().module
    assert all(torch.equal(a, b) for a, b in zip(start.state_dict().values(),
                                                   kept.state_dict().values()))


# -- the learning-rate schedule ----------------------------------------------------------
def test_schedule_steps_once_an_epoch_and_round_trips():
    cfg = spiral().with_changes(optim={"schedule": Schedule.STEP, "step_size": 1,
                                       "gamma": 0.5, "lr": 0.1})
    run = state(cfg)
    sched = torch.optim.lr_scheduler.StepLR(run.optimizer, 1, 0.5)
    step = SchedulerStep(sched, epochs=3)
    run.optimizer.step()  # (no gradients: nothing changes; the schedule expects a step first)
    step.on_validation_end(run, result(1, 0.5))
    step.on_validation_end(run, result(2, 0.5))
    assert run.optimizer.param_groups[0]["lr"] == pytest.approx(0.025)
    saved = step.state_dict()
    other = state(cfg)
    again = SchedulerStep(torch.optim.lr_scheduler.StepLR(other.optimizer, 1, 0.5), epochs=3)
    again.load_state_dict(saved)
    again.on_validation_end(other, result(3, 0.5))
    assert again.scheduler.last_epoch == 3


def test_plateau_schedule_follows_the_validation_loss_and_cosine_takes_the_new_length():
    run = state()
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(run.optimizer, factor=0.5,
                                                         patience=0)
    step = SchedulerStep(plateau, epochs=3)
    lr = run.optimizer.param_groups[0]["lr"]
    step.on_validation_end(run, result(1, 0.5))
    step.on_validation_end(run, result(2, 0.9))  # worse: the rate halves
    assert run.optimizer.param_groups[0]["lr"] == pytest.approx(lr / 2)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(run.optimizer, 3)
    saved = SchedulerStep(cosine, epochs=3).state_dict()
    longer = SchedulerStep(torch.optim.lr_scheduler.CosineAnnealingLR(run.optimizer, 3), 10)
    longer.load_state_dict(saved)
    assert longer.scheduler.T_max == 10
    assert SchedulerStep(None, 3).state_dict() == {"scheduler": None}


# -- checkpoints -------------------------------------------------------------------------
def test_checkpoints_at_the_interval_the_last_epoch_and_a_stop():
    saved: list[int] = []
    run = state(spiral(epochs=4))
    cp = Checkpointing(Path("unused"), 3600.0, lambda path, r: saved.append(r.epoch))
    for epoch in (1, 2, 3):
        run.epoch = epoch
        cp.on_epoch_end(run, None)
    assert saved == [1]  # the first at once, then not within the hour
    assert run.flush_now
    run.control.request_stop()
    cp.on_epoch_end(run, None)
    run2 = state(spiral(epochs=4))
    run2.epoch = 4
    cp.on_epoch_end(run2, None)
    assert saved == [1, 3, 4]


def test_a_resumed_run_continues_each_rules_state_as_if_never_stopped(tmp_path):
    path = tmp_path / "run.wbcheckpoint"
    cfg = spiral(epochs=5, patience=3).with_changes(
        optim={"schedule": Schedule.STEP, "step_size": 1, "gamma": 0.7})
    whole: list = []
    Engine(cfg).run(whole.append)
    control = RunControl()

    def stop_after_two(event):
        if isinstance(event, EpochEnded) and event.epoch == 2:
            control.request_stop()

    first = Engine(cfg, checkpoint_path=path).run(stop_after_two, control)
    assert first.reason == "stopped" and first.epochs_completed == 2 and path.exists()
    rec = Recording()
    events: list = []
    Engine(cfg, resume=path, callbacks=[rec]).run(events.append)
    assert rec.calls[0] == ("run_start", 2, 16)

    def summary(evs):
        return [(e.epoch, e.iteration, e.train_loss, e.val_loss, e.lr, e.best_epoch,
                 e.patience_left) for e in evs if isinstance(e, EpochEnded)]

    # The schedule's rate, early stopping's best epoch and countdown and the losses go on
    # exactly as in the run that was never stopped.
    assert summary(events) == summary(whole)[2:]


def test_the_divergence_watch_goes_on_after_a_resume(tmp_path):
    from workbench.core.modelfile import load_checkpoint

    path = tmp_path / "run.wbcheckpoint"
    cfg = spiral(epochs=5)
    control = RunControl()
    seen: list[EpochEnded] = []

    def stop_after_three(event):
        if isinstance(event, EpochEnded):
            seen.append(event)
            if event.epoch == 3:
                control.request_stop()

    Engine(cfg, checkpoint_path=path).run(stop_after_three, control)
    _, saved, _ = load_checkpoint(path)
    # What the watch had seen: the epochs' mean training losses, the start it measures from.
    assert saved["divergence.recent"] == pytest.approx([e.train_loss for e in seen])
    assert saved["divergence.start"] > 0 and saved["divergence.exploded"] is None
    check = DivergenceCheck()
    check.load_state_dict(saved)
    check.on_run_start(state(cfg))
    watch = check.watch
    assert list(watch.recent) == saved["divergence.recent"]
    assert watch.start == saved["divergence.start"]
    assert watch.lowest == min(saved["divergence.recent"])
    # A checkpoint from before the watch was saved starts it afresh, as it used to.
    older = {k: v for k, v in saved.items() if not k.startswith("divergence.")}
    fresh = DivergenceCheck()
    fresh.load_state_dict(older)
    fresh.on_run_start(state(cfg))
    assert fresh.watch.start is None and not fresh.watch.recent


# -- the chance-level flag ----------------------------------------------------------------
def _epoch_at(epoch: int, acc: float, loss: float, best: int | None) -> EpochEnded:
    return EpochEnded(epoch=epoch, train_loss=loss, val_loss=loss, val_accuracy=acc,
                      train_accuracy=None, lr=0.01, seconds=0.1, iteration=10 * epoch,
                      best_epoch=best)


def test_the_chance_check_flags_a_classifier_that_learned_nothing():
    run = state(spiral(epochs=8))  # spiral: two balanced classes, chance 50 %
    early = EarlyStopping(patience=0, min_delta=0.0, keep_best=True, restore_best=True)
    check = ChanceLevelCheck(early)
    check.on_run_start(run)
    for epoch in range(1, 9):  # accuracy at chance, loss at "knows nothing" (ln 2)
        early.best_epoch = 1
        check.on_epoch_end(run, _epoch_at(epoch, 0.5, 0.6931, best=1))
    check.on_run_end(run)
    assert check.epochs == 5 and check.kept_accuracy == 0.5
    # The same epochs, but the weights kept are those of an epoch that learned: not flagged.
    learned = ChanceLevelCheck(early)
    learned.on_run_start(run)
    early.best_epoch = 2
    learned.on_epoch_end(run, _epoch_at(1, 0.5, 0.6931, best=None))
    learned.on_epoch_end(run, _epoch_at(2, 0.95, 0.2, best=2))
    for epoch in range(3, 9):
        learned.on_epoch_end(run, _epoch_at(epoch, 0.5, 0.6931, best=2))
    early.restored = True
    learned.on_run_end(run)
    assert learned.kept_accuracy == 0.95 and learned.epochs == 0
    # Too few epochs are not judged.
    short = ChanceLevelCheck(early)
    short.on_run_start(run)
    for epoch in (1, 2):
        short.on_epoch_end(run, _epoch_at(epoch, 0.5, 0.6931, best=1))
    early.restored = False
    short.on_run_end(run)
    assert short.epochs == 0


# -- live pictures -----------------------------------------------------------------------
def test_live_capture_on_the_slow_path_shows_every_step():
    live = LiveView(enabled=True, interval=3600.0)  # on the fast path: once an hour
    control = RunControl()
    control.live_view = live
    control.pause()
    pictures: list[LiveViewUpdated] = []
    events: list = []

    def on(event):
        events.append(event)
        if isinstance(event, LiveViewUpdated):
            pictures.append(event)
        if isinstance(event, IterationsDone) and event.last_iteration >= 3:
            control.request_stop()

    worker = threading.Thread(target=lambda: Engine(spiral()).run(on, control))
    worker.start()
    for _ in range(3):
        deadline = time.monotonic() + 20
        while not control.stepping_done:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        control.step(1)
    worker.join(20)
    assert not worker.is_alive()
    # A picture before the first step (the starting weights) and after each step.
    assert [p.iteration for p in pictures][:3] == [0, 1, 2]
    assert all(p.probabilities is not None for p in pictures)


def test_the_picture_after_an_epoch_step_names_the_epoch_that_ended():
    live = LiveView(enabled=True, interval=3600.0)
    control = RunControl()
    control.live_view = live
    control.pause()
    pictures: list[LiveViewUpdated] = []
    worker = threading.Thread(target=lambda: Engine(spiral()).run(
        lambda e: pictures.append(e) if isinstance(e, LiveViewUpdated) else None, control))
    worker.start()
    for step in (control.step_epoch, control.request_stop):
        deadline = time.monotonic() + 20
        while not control.stepping_done:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        step()
    worker.join(20)
    assert not worker.is_alive()
    # Paused before epoch 2's first iteration: the weights are epoch 1's, after iteration 8.
    assert [(p.epoch, p.iteration) for p in pictures][-1] == (1, 8)


def test_live_capture_on_the_fast_path_only_when_due():
    run = state()
    live = LiveView(enabled=True, interval=3600.0)
    capture = LiveCapture(live)
    capture.on_run_start(run)
    run.sample = torch.zeros((1, 2))
    capture.on_iterations(run)
    run.iteration = 5
    capture.on_iterations(run)
    assert [e.iteration for e in run.pending] == [0]
    run.slow_path = True
    run.control.set_pace(100)  # a fast pace: pictures only when due
    capture.on_iterations(run)
    assert [e.iteration for e in run.pending] == [0]
    run.control.set_pace(20)  # slow enough to look at: every iteration's picture
    capture.on_iterations(run)
    capture.on_iterations(run)  # the same iteration again: no second picture
    assert [e.iteration for e in run.pending] == [0, 5]
    run.control.set_pace(100)
    run.control.pause()  # about to wait: the picture of the iteration just done
    run.iteration = 6
    capture.on_iterations(run)
    assert [e.iteration for e in run.pending] == [0, 5, 6]


# -- pacing and stepping -----------------------------------------------------------------
def test_pacing_never_waits_on_the_fast_path_and_publishes_before_waiting():
    control = RunControl()
    run = state(control=control)
    published: list = []
    run.publish = published.append
    run.pending.append("block")
    control.pause()
    control.step(1)
    pace = PaceAndStep()
    pace.on_iterations(run)  # the fast path: a block end, not before an iteration
    assert run.pending == ["block"] and not control.stepping_done
    run.slow_path = True
    pace.on_iterations(run)  # admitted: the step's one iteration may run
    assert published == ["block"] and run.pending == []
    control.request_stop()
    run.pending.append("after the stop")
    pace.on_iterations(run)  # a stop neither waits nor publishes: the loop ends
    assert published == ["block"] and run.pending == ["after the stop"]
