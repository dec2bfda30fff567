"""Real training on small data: the engine's arithmetic, events, controls and results."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from workbench.config import AugmentConfig, Optimizer, TrainConfig
from workbench.core import engine as engine_mod
from workbench.core import training as training_mod
from workbench.core.engine import Engine, RunControl
from workbench.core.events import EpochEnded, IterationsDone, RunFailed, RunFinished, RunStarted


def small(**sections) -> TrainConfig:
    base = TrainConfig().with_changes(data={"samples": 300}, run={"epochs": 3})
    return base.with_changes(**sections) if sections else base


def collect(engine: Engine, control: RunControl | None = None, on=None):
    events = []

    def cb(e):
        events.append(e)
        if on is not None:
            on(e)

    result = engine.run(cb, control)
    return events, result


def losses_of(events) -> np.ndarray:
    blocks = [e.losses for e in events if isinstance(e, IterationsDone)]
    return np.concatenate(blocks) if blocks else np.zeros(0, np.float32)


def test_spiral_default_reaches_95_percent():
    engine = Engine(TrainConfig())  # the defaults: spiral, MLP 64,64, 30 epochs
    events, result = collect(engine)
    assert isinstance(result, RunFinished) and result.reason == "completed"
    last = [e for e in events if isinstance(e, EpochEnded)][-1]
    assert last.val_accuracy >= 0.95, last


def write_csv(path, rows=1500, features=3, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, features))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int)
    y = y % classes
    lines = [",".join([f"f{i}" for i in range(features)] + ["label"])]
    for r in range(rows):
        lines.append(",".join(f"{v:.5f}" for v in x[r]) + f",c{y[r]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("drop_last,ipe,last", [(False, 11, 50), (True, 10, 100)])
def test_1050_samples_batch_100(tmp_path, drop_last, ipe, last):
    csv = write_csv(tmp_path / "d.csv")
    cfg = small(data={"dataset": "csv", "csv_path": str(csv), "val_split": 0.3},
                run={"batch_size": 100, "epochs": 2, "drop_last": drop_last})
    events, result = collect(Engine(cfg))
    start = events[0]
    assert isinstance(start, RunStarted)
    assert (start.train_samples, start.val_samples) == (1050, 450)
    assert (start.iterations_per_epoch, start.last_batch_size) == (ipe, last)
    assert start.total_iterations == 2 * ipe
    assert isinstance(result, RunFinished)
    assert len(losses_of(events)) == 2 * ipe


def test_every_iteration_delivered_once_in_order():
    cfg = small(run={"epochs": 4, "batch_size": 16})
    events, _ = collect(Engine(cfg), on=None)
    blocks = [e for e in events if isinstance(e, IterationsDone)]
    numbers = np.concatenate([np.arange(b.first_iteration, b.last_iteration + 1) for b in blocks])
    start = events[0]
    assert numbers.tolist() == list(range(1, start.total_iterations + 1))
    # blocks carry exact per-iteration values: the epoch mean is their batch-weighted mean
    ipe, last = start.iterations_per_epoch, start.last_batch_size
    w = np.full(ipe, 16.0)
    w[-1] = last
    losses = losses_of(events).reshape(4, ipe)
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    for k, e in enumerate(epochs):
        assert e.train_loss == pytest.approx(float((losses[k] * w).sum() / w.sum()), rel=1e-5)


def test_same_seed_same_losses_and_weights():
    cfg = small(model={"dropout": 0.3})
    a, b = Engine(cfg), Engine(cfg)
    ea, _ = collect(a)
    eb, _ = collect(b)
    assert np.array_equal(losses_of(ea), losses_of(eb))
    for pa, pb in zip(a.trained_model().module.parameters(), b.trained_model().module.parameters()):
        assert torch.equal(pa, pb)


def test_dropout_on_in_train_off_in_eval():
    engine = Engine(small(model={"dropout": 0.5, "input_dropout": 0.2}, run={"epochs": 1}))
    collect(engine)
    module = engine.trained_model().module
    x = torch.randn(64, 2)
    module.eval()
    with torch.no_grad():
        assert torch.equal(module(x), module(x))
    module.train()
    with torch.no_grad():
        assert not torch.equal(module(x), module(x))


def test_stop_halts_and_leaves_a_usable_model():
    control = RunControl()
    seen = []

    def on(e):
        if isinstance(e, IterationsDone):
            seen.append(e.last_iteration)
            control.request_stop()

    engine = Engine(small(run={"epochs": 50}))
    events, result = collect(engine, control, on)
    assert isinstance(result, RunFinished) and result.reason == "stopped"
    assert result.iterations_completed == seen[-1]
    assert result.iterations_completed < events[0].total_iterations
    model = engine.trained_model()
    assert model is not None
    pred = model.predict(np.zeros((3, 2), np.float32))
    assert pred.proba.shape == (3, 2)


def test_pause_freezes_and_resume_matches_uninterrupted_run():
    cfg = small(run={"epochs": 3})
    reference, _ = collect(Engine(cfg))
    control = RunControl()
    paused_at = []

    def on(e):
        if isinstance(e, IterationsDone) and not paused_at:
            control.pause()
            paused_at.append(e.last_iteration)
            threading.Timer(0.3, control.resume).start()

    events, result = collect(Engine(cfg), control, on)
    assert isinstance(result, RunFinished) and result.reason == "completed"
    assert np.array_equal(losses_of(events), losses_of(reference))


def test_early_stopping_restores_best_weights():
    cfg = small(data={"samples": 200, "noise": 0.6}, model={"hidden": (128, 128)},
                run={"epochs": 200, "patience": 3, "batch_size": 8},
                optim={"lr": 0.03})
    engine = Engine(cfg)
    events, result = collect(engine)
    assert isinstance(result, RunFinished) and result.reason == "early_stopped"
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    best = min(epochs, key=lambda e: e.val_loss)
    assert result.best_epoch == best.epoch and result.restored_best
    assert epochs[-1].epoch == best.epoch + 3
    assert epochs[-1].patience_left == 0
    # the restored weights give the best epoch's validation loss
    model = engine.trained_model()
    data = engine.data
    x = torch.from_numpy(data.x_val)
    with torch.no_grad():
        loss = torch.nn.functional.cross_entropy(model.module(x), torch.from_numpy(data.y_val))
    assert float(loss) == pytest.approx(best.val_loss, rel=1e-4)


def test_checkpoint_resume_equals_uninterrupted(tmp_path):
    cfg4 = small(run={"epochs": 4}, model={"dropout": 0.2}, optim={"schedule": "step",
                                                                    "step_size": 1})
    straight, _ = collect(Engine(cfg4))
    ckpt = tmp_path / "run.ckpt.wbm"
    first, _ = collect(Engine(cfg4.with_changes(run={"epochs": 2}), checkpoint_path=ckpt))
    second, result = collect(Engine(cfg4, resume=ckpt))
    assert isinstance(result, RunFinished)
    assert second[0].start_epoch == 3
    resumed = np.concatenate([losses_of(first), losses_of(second)])
    assert np.array_equal(resumed, losses_of(straight))


def test_divergence_is_reported_and_weights_stay_finite():
    cfg = small(optim={"optimizer": Optimizer.SGD, "lr": 10.0}, model={"hidden": (256, 256)},
                run={"epochs": 20})
    engine = Engine(cfg)
    _events, result = collect(engine)
    assert isinstance(result, RunFailed) and result.kind == "nan"
    assert "learning rate" in result.message and f"iteration {result.iteration}" in result.message
    model = engine.trained_model()
    assert all(torch.isfinite(p).all() for p in model.module.parameters())


def test_bad_config_fails_cleanly():
    _events, result = collect(Engine(small(run={"batch_size": 100000})))
    assert isinstance(result, RunFailed) and result.kind == "config"
    assert "run.batch_size" in result.message


def test_regression_and_cnn_train():
    cfg = small(data={"dataset": "diabetes"}, run={"epochs": 2})
    events, result = collect(Engine(cfg))
    assert isinstance(result, RunFinished)
    assert events[0].task == "regression"
    cnn = small(data={"dataset": "digits"}, model={"kind": "cnn", "hidden": (32,)},
                run={"epochs": 2, "batch_size": 64})
    events, result = collect(Engine(cnn))
    assert isinstance(result, RunFinished)
    assert [e for e in events if isinstance(e, EpochEnded)][-1].val_accuracy > 0.5


class _FailingAfter(torch.nn.Module):
    """Wraps a real model and raises ``error`` on its n-th forward pass."""

    def __init__(self, inner, n, error):
        super().__init__()
        self.inner, self.n, self.error, self.calls = inner, n, error, 0

    def forward(self, x):
        self.calls += 1
        if self.calls == self.n:
            raise self.error
        return self.inner(x)


def _inject(monkeypatch, n, error):
    import workbench.core.engine as engine_mod

    real = engine_mod.build_model
    monkeypatch.setattr(engine_mod, "build_model",
                        lambda *a, **k: _FailingAfter(real(*a, **k), n, error))


def test_out_of_memory_is_reported_with_half_the_batch(monkeypatch):
    _inject(monkeypatch, 30, torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate"))
    engine = Engine(small(run={"batch_size": 64, "epochs": 20}))
    events, result = collect(engine)
    assert isinstance(result, RunFailed) and result.kind == "oom"
    assert result.retry_batch_size == 32 and "batch size 64" in result.message
    assert isinstance(events[-1], RunFailed)
    assert engine.trained_model() is not None


def test_other_runtime_errors_are_not_mistaken_for_oom(monkeypatch):
    _inject(monkeypatch, 5, RuntimeError("mat1 and mat2 shapes cannot be multiplied"))
    _events, result = collect(Engine(small()))
    assert isinstance(result, RunFailed) and result.kind == "error"
    assert "RuntimeError" in result.message and "Traceback" in result.details
    assert result.retry_batch_size is None


class _NanAfter(torch.nn.Module):
    def __init__(self, inner, n):
        super().__init__()
        self.inner, self.n, self.calls = inner, n, 0

    def forward(self, x):
        self.calls += 1
        out = self.inner(x)
        return out * float("nan") if self.calls >= self.n and self.training else out


def test_nan_never_reaches_the_autosaved_checkpoint(monkeypatch, tmp_path):
    import json

    import workbench.core.engine as engine_mod
    from workbench.core.modelfile import read_safetensors

    real = engine_mod.build_model
    # 240 training samples at batch 32: 8 iterations per epoch, plus one validation forward
    # per epoch; the 20th forward is iteration 18, in epoch 3.
    monkeypatch.setattr(engine_mod, "build_model", lambda *a, **k: _NanAfter(real(*a, **k), 20))
    ckpt = tmp_path / "auto.ckpt.wbm"
    engine = Engine(small(run={"epochs": 5}), checkpoint_path=ckpt)
    _events, result = collect(engine)
    assert isinstance(result, RunFailed) and result.kind == "nan"
    assert (result.epoch, result.iteration) == (3, 18)
    tensors, meta = read_safetensors(ckpt)  # the wrapped model's names differ: read it raw
    assert json.loads(meta["state"])["epoch"] == 2
    weights = [t for k, t in tensors.items() if k.startswith("model.")]
    assert weights and all(torch.isfinite(t).all() for t in weights)
    assert all(torch.isfinite(p).all() for p in engine.trained_model().module.parameters())


def test_bf16_autocast_switch_trains_in_mixed_precision():
    cfg = small(run={"epochs": 8})
    full, _ = collect(Engine(cfg))
    mixed_engine = Engine(cfg.with_changes(run={"amp": True, "epochs": 8}))
    mixed, result = collect(mixed_engine)
    assert isinstance(result, RunFinished)
    assert not np.array_equal(losses_of(full), losses_of(mixed))  # bf16 really was used
    assert np.allclose(losses_of(full)[:5], losses_of(mixed)[:5], rtol=0.05)
    assert [e for e in mixed if isinstance(e, EpochEnded)][-1].val_accuracy > 0.8
    # weights stay float32: the saved model is the same format either way
    assert all(p.dtype == torch.float32 for p in mixed_engine.trained_model().module.parameters())


@pytest.mark.slow
def test_torch_compile_switch_gives_the_same_model_format():
    engine = Engine(small(run={"compile": True, "epochs": 2}))
    _, result = collect(engine)
    assert isinstance(result, RunFinished)
    from workbench.core.models import build_model

    names = set(engine.trained_model().module.state_dict())
    assert names == set(build_model(small().model, (2,), 2).state_dict())  # no _orig_mod.


def test_divergence_hands_back_the_last_epoch_weights(monkeypatch):
    import workbench.core.engine as engine_mod

    real = engine_mod.build_model
    monkeypatch.setattr(engine_mod, "build_model", lambda *a, **k: _NanAfter(real(*a, **k), 20))
    engine = Engine(small(run={"epochs": 5}))
    _, result = collect(engine)
    assert isinstance(result, RunFailed) and result.epoch == 3
    # Snapshots are taken at epoch ends at most once a second: the message names the epoch
    # whose weights come back, and they reproduce that epoch's validation loss.
    import re

    kept = int(re.search(r"end of epoch (\d+)", result.message).group(1))
    assert 1 <= kept <= 2
    model = engine.trained_model()
    module = model.module.inner.eval()
    data = engine.data
    with torch.no_grad():
        out = module(torch.from_numpy(data.x_val))
        loss = torch.nn.functional.cross_entropy(out, torch.from_numpy(data.y_val))
    assert float(loss) == pytest.approx(engine.history[kept - 1].val_loss, rel=1e-5)


def _trained_weights(engine: Engine) -> list[torch.Tensor]:
    collect(engine)
    return list(engine.trained_model().module.state_dict().values())


@pytest.mark.parametrize("sections", [
    {"model": {"dropout": 0.3}, "data": {"imbalance": "oversample"}},
    {"data": {"dataset": "digits", "samples": 300,
              "augment": AugmentConfig(rotation=10.0, jitter=0.1)},
     "model": {"kind": "cnn", "channels": (4,), "hidden": (8,)}, "run": {"epochs": 1}},
])
def test_batches_sliced_from_a_shuffled_copy_equal_batches_gathered_by_index(monkeypatch,
                                                                            sections):
    """Small sets are shuffled once an epoch and sliced; large ones gather each batch. Same model."""
    cfg = small().with_changes(**sections)
    sliced = _trained_weights(Engine(cfg))
    monkeypatch.setattr(engine_mod, "EPOCH_GATHER_BYTES", 0)
    gathered = _trained_weights(Engine(cfg))
    assert all(torch.equal(a, b) for a, b in zip(sliced, gathered, strict=True))


def test_iterations_run_in_training_mode_and_validation_in_eval_mode(monkeypatch):
    seen: list[bool] = []
    real_build = engine_mod.build_model

    def build(*args, **kwargs):
        model = real_build(*args, **kwargs)
        dropout = next(m for m in model.modules() if isinstance(m, torch.nn.Dropout))
        model.register_forward_pre_hook(lambda m, _x: seen.append(
            (m.training, dropout.training)))
        return model

    monkeypatch.setattr(engine_mod, "build_model", build)
    engine = Engine(small(model={"dropout": 0.5}, run={"epochs": 2, "batch_size": 64}))
    events, result = collect(engine)
    assert isinstance(result, RunFinished)
    started = next(e for e in events if isinstance(e, RunStarted))
    ipe = started.iterations_per_epoch
    assert seen == ([(True, True)] * ipe + [(False, False)]) * 2
    # The reported validation loss is the eval-mode loss of the final weights.
    data = engine.prepare()
    module = engine.trained_model().module.eval()
    with torch.no_grad():
        out = module(torch.as_tensor(data.x_val))
        val = float(torch.nn.functional.cross_entropy(out, torch.as_tensor(data.y_val).long()))
    assert engine.history[-1].val_loss == pytest.approx(val, rel=1e-6)


def test_mode_switch_reaches_every_module_and_respects_own_train_methods():
    model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.BatchNorm1d(4),
                                torch.nn.Sequential(torch.nn.Dropout(0.5), torch.nn.Linear(4, 2)))
    switch = training_mod.mode_switch(model)
    switch(False)
    assert not any(m.training for m in model.modules())
    switch(True)
    assert all(m.training for m in model.modules())

    calls = []

    class Custom(torch.nn.Linear):
        def train(self, mode=True):
            calls.append(mode)
            return super().train(mode)

    custom = torch.nn.Sequential(Custom(2, 2))
    training_mod.mode_switch(custom)(False)
    assert calls == [False] and not custom[0].training


def test_thread_count_follows_the_work_per_iteration():
    from workbench.config import ModelKind
    from workbench.core.models import build_model

    small_cfg = small(run={"batch_size": 32})
    mlp = build_model(small_cfg.model, (2,), 2)
    assert engine_mod.choose_threads(small_cfg, torch.device("cpu"), mlp, (2,)) == 1
    big_cfg = small(model={"kind": ModelKind.CNN, "channels": (64, 128), "hidden": (256,)},
                    run={"batch_size": 256})
    cnn = build_model(big_cfg.model, (1, 8, 8), 10)
    expected = engine_mod.DEFAULT_THREADS
    assert engine_mod.choose_threads(big_cfg, torch.device("cpu"), cnn, (1, 8, 8)) == expected
    # Beside the window one core stays free; never fewer than one thread.
    assert engine_mod.choose_threads(big_cfg, torch.device("cpu"), cnn, (1, 8, 8),
                                     reserved=1) == max(1, expected - 1)
    assert engine_mod.choose_threads(big_cfg, torch.device("cpu"), cnn, (1, 8, 8),
                                     reserved=64) == 1
    # The person's own count wins either way.
    assert engine_mod.choose_threads(big_cfg.with_changes(run={"threads": 1}),
                                     torch.device("cpu"), cnn, (1, 8, 8)) == 1
