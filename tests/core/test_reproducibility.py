"""Same seed, same machine, CPU: the same numbers, to the last bit.

Two runs of one configuration give identical losses, weights, optimizer state and random
generator state; a run resumed from a checkpoint, in this process or a fresh one, ends exactly
where the uninterrupted run ends. (Across machines, CPU kinds, thread counts, GPUs and torch
versions results may differ in the last bits: floating-point sums are not associative.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from workbench.config import TrainConfig
from workbench.core.engine import Engine
from workbench.core.events import EpochEnded, IterationsDone, RunFinished
from workbench.core.modelfile import load_checkpoint, load_model

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

CONFIGS: dict[str, dict[str, dict[str, Any]]] = {
    # dropout, batch norm, momentum with Nesterov, cosine schedule, oversampling: every
    # source of randomness and state the MLP path has
    "mlp": {
        "data": {"dataset": "blobs", "classes": 3, "samples": 300, "imbalance": "oversample"},
        "model": {"hidden": (32, 32), "norm": "batch", "dropout": 0.2, "input_dropout": 0.1},
        "optim": {"optimizer": "momentum", "nesterov": True, "schedule": "cosine"},
        "run": {"epochs": 4, "batch_size": 32},
    },
    # random augmentation on every batch, AdamW, step schedule
    "cnn": {
        "data": {"dataset": "digits", "augment": {"hflip": True, "crop": 0.8, "rotation": 10.0,
                                                  "jitter": 0.1}},
        "model": {"kind": "cnn", "channels": (4,), "hidden": (8,), "norm": "layer"},
        "optim": {"optimizer": "adamw", "schedule": "step", "step_size": 1},
        "run": {"epochs": 4, "batch_size": 128},
    },
    # regression, RMSprop, a plateau schedule whose state lives in the checkpoint as JSON
    "regression": {
        "data": {"dataset": "diabetes", "imbalance": "undersample"},
        "model": {"hidden": (16,), "activation": "tanh", "dropout": 0.1},
        "optim": {"optimizer": "rmsprop", "schedule": "plateau", "plateau_patience": 0},
        "run": {"epochs": 4, "batch_size": 32},
    },
}


def _config(name: str, **changes: dict[str, Any]) -> TrainConfig:
    cfg = TrainConfig.from_dict(json.loads(json.dumps(CONFIGS[name])))
    return cfg.with_changes(**changes) if changes else cfg


def _run(engine: Engine, keep_checkpoint_of: int = 0, keep_as: Path | None = None
         ) -> tuple[np.ndarray, list[float | None]]:
    """Losses and validation losses of a run; optionally keeps a copy of one epoch's checkpoint,
    which is what a crash right after that epoch leaves behind."""
    events: list[object] = []

    def on_event(event: object) -> None:
        events.append(event)
        if isinstance(event, EpochEnded) and event.epoch == keep_checkpoint_of:
            assert engine.checkpoint_path is not None and keep_as is not None
            shutil.copyfile(engine.checkpoint_path, keep_as)

    result = engine.run(on_event)
    assert isinstance(result, RunFinished), result
    blocks = [e.losses for e in events if isinstance(e, IterationsDone)]
    epochs = [e.val_loss for e in events if isinstance(e, EpochEnded)]
    return np.concatenate(blocks), epochs


def _state(engine: Engine) -> dict[str, torch.Tensor]:
    model = engine.trained_model()
    assert model is not None
    return model.module.state_dict()


def _assert_same_tensors(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> None:
    assert a.keys() == b.keys()
    different = [k for k in a if not torch.equal(a[k], b[k])]
    assert different == []


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_same_seed_gives_bit_identical_losses_and_weights(name: str) -> None:
    cfg = _config(name)
    a, b = Engine(cfg), Engine(cfg)
    losses_a, val_a = _run(a)
    losses_b, val_b = _run(b)
    assert np.array_equal(losses_a, losses_b)
    assert val_a == val_b
    _assert_same_tensors(_state(a), _state(b))  # parameters and batch-norm statistics
    x = np.random.default_rng(0).normal(size=(16, *a.data.input_shape)).astype(np.float32)
    assert np.array_equal(a.trained_model().predict(x).labels,
                          b.trained_model().predict(x).labels)


def test_another_seed_gives_another_run() -> None:
    # Guards the test above against comparing something that never changes.
    losses_a, _ = _run(Engine(_config("mlp")))
    losses_b, _ = _run(Engine(_config("mlp", run={"seed": 1})))
    assert not np.array_equal(losses_a, losses_b)


def _checkpoint_contents(path: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    model, state, extra = load_checkpoint(path)
    tensors = {f"model.{k}": v for k, v in model.module.state_dict().items()}
    tensors.update(extra)  # optimizer moments, random generator states, best weights
    return tensors, state


@pytest.mark.parametrize("name", ["mlp", "cnn", "regression"])
def test_resumed_run_ends_exactly_where_the_uninterrupted_run_ends(tmp_path: Path,
                                                                  name: str) -> None:
    cfg = _config(name)
    straight_ckpt = tmp_path / "straight.ckpt.wbm"
    ckpt = tmp_path / "after-epoch-2.ckpt.wbm"
    straight = Engine(cfg, checkpoint_path=straight_ckpt)
    losses, val = _run(straight, keep_checkpoint_of=2, keep_as=ckpt)

    resumed_ckpt = tmp_path / "resumed.ckpt.wbm"
    resumed = Engine(cfg, resume=ckpt, checkpoint_path=resumed_ckpt)
    rest_losses, rest_val = _run(resumed)

    assert np.array_equal(rest_losses, losses[-len(rest_losses):])
    assert len(rest_losses) == len(losses) // 2 and rest_val == val[2:]
    _assert_same_tensors(_state(resumed), _state(straight))
    # The last checkpoints agree too: optimizer state, schedule and random generators.
    tensors_a, state_a = _checkpoint_contents(straight_ckpt)
    tensors_b, state_b = _checkpoint_contents(resumed_ckpt)
    _assert_same_tensors(tensors_a, tensors_b)
    assert state_a == state_b


_RESUME_IN_CHILD = textwrap.dedent("""
    import json, sys
    from workbench.config import TrainConfig
    from workbench.core.engine import Engine
    cfg = TrainConfig.from_dict(json.loads(open(sys.argv[1]).read()))
    result = Engine(cfg, resume=sys.argv[2], checkpoint_path=sys.argv[3]).run()
    print(type(result).__name__)
""")


def test_resuming_in_a_fresh_process_matches_the_uninterrupted_run(tmp_path: Path) -> None:
    cfg = _config("mlp")
    straight_ckpt = tmp_path / "straight.ckpt.wbm"
    ckpt = tmp_path / "after-epoch-1.ckpt.wbm"
    _run(Engine(cfg, checkpoint_path=straight_ckpt), keep_checkpoint_of=1, keep_as=ckpt)
    config_file = tmp_path / "run.json"
    config_file.write_text(json.dumps(cfg.to_dict()), encoding="utf-8")
    resumed_ckpt = tmp_path / "resumed.ckpt.wbm"
    out = subprocess.run([sys.executable, "-c", _RESUME_IN_CHILD, str(config_file), str(ckpt),
                          str(resumed_ckpt)], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONPATH=str(REPO)), check=False)
    assert out.returncode == 0 and out.stdout.strip() == "RunFinished", out.stderr
    tensors_a, state_a = _checkpoint_contents(straight_ckpt)
    tensors_b, state_b = _checkpoint_contents(resumed_ckpt)
    _assert_same_tensors(tensors_a, tensors_b)
    assert state_a == state_b


def test_resumed_early_stopping_restores_a_best_epoch_from_before_the_checkpoint(
        tmp_path: Path) -> None:
    cfg = TrainConfig().with_changes(
        data={"samples": 200, "noise": 0.6}, model={"hidden": (128, 128)},
        run={"epochs": 60, "patience": 3, "batch_size": 8}, optim={"lr": 0.03})
    straight = Engine(cfg)
    straight_result = straight.run()
    assert isinstance(straight_result, RunFinished)
    assert straight_result.reason == "early_stopped" and straight_result.restored_best
    best = straight_result.best_epoch
    assert best is not None
    ckpt = tmp_path / "after-best.ckpt.wbm"
    _run(Engine(cfg, checkpoint_path=tmp_path / "run.ckpt.wbm"), keep_checkpoint_of=best + 1,
         keep_as=ckpt)
    resumed = Engine(cfg, resume=ckpt)
    result = resumed.run()
    assert isinstance(result, RunFinished), result
    assert (result.reason, result.best_epoch) == ("early_stopped", best)
    _assert_same_tensors(_state(resumed), _state(straight))


def test_opening_a_model_does_not_move_the_random_generator() -> None:
    # A run started after a model was opened must not depend on whether one was opened.
    path = next(iter(sorted(FIXTURES.glob("*.wbm"))))
    torch.manual_seed(123)
    expected = torch.rand(4)
    torch.manual_seed(123)
    load_model(path)
    assert torch.equal(torch.rand(4), expected)
