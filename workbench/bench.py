"""``workbench bench``: what clicking costs, measured side by side in one run.

Each task (data set, model, batch size) is trained by several variants in alternating
repetitions, so drift of the machine (heat, other processes) hits all of them alike:

  plain    a hand-written PyTorch loop (by-index batches, same model, data, optimizer, seed,
           thread count, and a validation pass per epoch as the engine does)
  engine   Workbench's engine, headless
  window   the engine driven by the real main window, both plots and the live views
           (decision boundary, Dropout diagram) shown, as on the Training tab (when Qt can start)
  window_views_off  the same with the live views switched off (plots only)
  lightning  PyTorch Lightning's Trainer on the same task (only when it is installed)

Throughput is iterations per second of the training loop (data preparation excluded for all).
Printed: median and min-max of each, and the ratios engine/plain, window/plain,
window_views_off/plain, engine/lightning.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from workbench.config import ModelKind, TrainConfig
from workbench.core import data as data_mod
from workbench.core.engine import Engine
from workbench.core.events import RunFinished
from workbench.core.models import build_model


@dataclass(frozen=True)
class Task:
    label: str
    config: TrainConfig


def default_tasks(quick: bool = False, device: str = "cpu") -> list[Task]:
    base = TrainConfig().with_changes(run={"device": device, "seed": 0, "threads": 1})
    cnn = {"kind": ModelKind.CNN, "channels": (16, 32), "hidden": (64,)}
    tasks = [
        Task("spiral MLP b32", base.with_changes(run={"batch_size": 32})),
        Task("spiral MLP b256", base.with_changes(run={"batch_size": 256})),
        Task("digits MLP b32", base.with_changes(data={"dataset": "digits"},
                                                 run={"batch_size": 32})),
        Task("digits MLP b256", base.with_changes(data={"dataset": "digits"},
                                                  run={"batch_size": 256})),
        Task("digits CNN b32", base.with_changes(data={"dataset": "digits"}, model=cnn,
                                                 run={"batch_size": 32})),
    ]
    if device != "cpu":
        tasks = [
            Task("digits MLP b256", base.with_changes(data={"dataset": "digits"},
                                                      run={"batch_size": 256})),
            Task("digits MLP b1024", base.with_changes(data={"dataset": "digits"},
                                                       run={"batch_size": 1024})),
            Task("digits CNN b256", base.with_changes(data={"dataset": "digits"}, model=cnn,
                                                      run={"batch_size": 256})),
        ]
    return tasks[:2] if quick else tasks


# -- variants -----------------------------------------------------------------------------

def plain_loop(cfg: TrainConfig, data: data_mod.PreparedData, epochs: int) -> float:
    """The reference: what a person would write by hand. Returns iterations per second."""
    device = torch.device("cpu" if cfg.run.device == "auto" else cfg.run.device)
    torch.set_num_threads(max(1, cfg.run.threads))
    torch.manual_seed(cfg.run.seed)
    gen = torch.Generator().manual_seed(cfg.run.seed)
    model = build_model(cfg.model, tuple(data.input_shape), data.n_classes).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.optim.lr)
    crit = nn.CrossEntropyLoss()
    X = torch.as_tensor(data.x_train, device=device)
    Y = torch.as_tensor(data.y_train, dtype=torch.long, device=device)
    Xv = torch.as_tensor(data.x_val, device=device)
    Yv = torch.as_tensor(data.y_val, dtype=torch.long, device=device)
    n, bs = len(X), cfg.run.batch_size
    ipe = math.ceil(n / bs)
    _sync(device)
    t0 = time.perf_counter()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(n, generator=gen).to(device)
        for i in range(ipe):
            idx = perm[i * bs:(i + 1) * bs]
            loss = crit(model(X[idx]), Y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():  # validation loss and accuracy, as the engine reports them
            out = model(Xv)
            float(crit(out, Yv))
            float((out.argmax(1) == Yv).sum()) / len(Yv)
    _sync(device)
    return epochs * ipe / (time.perf_counter() - t0)


def engine_headless(cfg: TrainConfig, data: data_mod.PreparedData, epochs: int) -> float:
    engine = Engine(cfg.with_changes(run={"epochs": epochs}), data=data)
    result = engine.run()
    if not isinstance(result, RunFinished):
        raise RuntimeError(result.message)  # noqa: TRY004 - a failed run, not a wrong type
    return result.iterations_completed / result.seconds


def lightning_available() -> Any:
    for name in ("lightning.pytorch", "pytorch_lightning"):
        try:
            return __import__(name, fromlist=["Trainer"])
        except Exception:  # noqa: BLE001, S112 - any import failure means "not available"
            continue
    return None


def lightning_loop(cfg: TrainConfig, data: data_mod.PreparedData, epochs: int) -> float:
    pl = lightning_available()
    from torch.utils.data import DataLoader, TensorDataset

    torch.set_num_threads(max(1, cfg.run.threads))
    torch.manual_seed(cfg.run.seed)
    net = build_model(cfg.model, tuple(data.input_shape), data.n_classes)
    lr = cfg.optim.lr

    class Module(pl.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def training_step(self, batch: Any, _i: int) -> torch.Tensor:
            x, y = batch
            return nn.functional.cross_entropy(self.net(x), y)

        def validation_step(self, batch: Any, _i: int) -> None:
            x, y = batch
            nn.functional.cross_entropy(self.net(x), y)

        def configure_optimizers(self) -> torch.optim.Optimizer:
            return torch.optim.Adam(self.parameters(), lr=lr)

    train = DataLoader(TensorDataset(torch.as_tensor(data.x_train),
                                     torch.as_tensor(data.y_train, dtype=torch.long)),
                       batch_size=cfg.run.batch_size, shuffle=True)
    val = DataLoader(TensorDataset(torch.as_tensor(data.x_val),
                                   torch.as_tensor(data.y_val, dtype=torch.long)),
                     batch_size=max(len(data.x_val), 1))
    import logging
    import warnings

    for name in ("lightning.pytorch", "pytorch_lightning", "lightning.fabric", "lightning"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="lightning")
    warnings.filterwarnings("ignore", module="pytorch_lightning")
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu", devices=1, logger=False,
                         enable_progress_bar=False, enable_checkpointing=False,
                         enable_model_summary=False, num_sanity_val_steps=0)
    t0 = time.perf_counter()
    trainer.fit(Module(), train, val)
    return epochs * len(train) / (time.perf_counter() - t0)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


# -- the run ------------------------------------------------------------------------------

@dataclass
class Measured:
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    def text(self) -> str:
        if not self.values:
            return "-"
        return f"{self.median:,.0f} ({min(self.values):,.0f}-{max(self.values):,.0f})"


Variant = Callable[[TrainConfig, data_mod.PreparedData, int], float]


def calibrate_epochs(cfg: TrainConfig, data: data_mod.PreparedData, seconds: float) -> int:
    """Epochs so that the plain loop runs about ``seconds``."""
    rate = plain_loop(cfg, data, 2)
    ipe = math.ceil(data.n_train / cfg.run.batch_size)
    return max(2, int(rate * seconds / ipe))


@contextlib.contextmanager
def _collection_as_run(variant: str) -> Iterator[None]:
    """Python's cycle collector as each variant has it when used for real: automatic for the
    loops run headless (as on the command line), the window's own collector for the window
    (which switches automatic collection off once a window's application exists)."""
    if variant.startswith("window") or gc.isenabled():
        yield
        return
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


# Three repetitions for the variants that only inform: Lightning (it runs the same epochs 2-3.5
# times slower than the others, and its ratio to the engine, over 1.3x, needs no finer figure)
# and the window with its live views off. That keeps the benchmark within 3 minutes.
SLOW_VARIANT_REPS = {"lightning": 3, "window_views_off": 3}


def run_bench(tasks: list[Task], reps: int, seconds: float, variants: dict[str, Variant],
              out: Callable[[str], None] = print) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {}
    for task in tasks:
        data = data_mod.prepare(task.config.data, task.config.run.seed)
        epochs = calibrate_epochs(task.config, data, seconds)
        measured = {name: Measured() for name in variants}
        for rep in range(reps):
            # Alternate the order so no variant always runs first or last.
            order = list(variants.items())
            if rep % 2:
                order.reverse()
            for name, fn in order:
                if rep < SLOW_VARIANT_REPS.get(name, reps):
                    with _collection_as_run(name):
                        measured[name].values.append(fn(task.config, data, epochs))
        results[task.label] = {k: m.values for k, m in measured.items()}
        out(_row(task.label, measured))
    return results


def _ratio(a: Measured, b: Measured) -> str:
    if not a.values or not b.values:
        return "-"
    return f"{a.median / b.median:.2f}x"


# Columns: (heading, variant) for rates, then (heading, numerator, denominator) for ratios.
RATES = (("plain it/s", "plain"), ("engine it/s", "engine"), ("window it/s", "window"),
         ("window, views off it/s", "window_views_off"), ("lightning it/s", "lightning"))
RATIOS = (("engine/plain", "engine", "plain"), ("window/plain", "window", "plain"),
          ("views off/plain", "window_views_off", "plain"),
          ("engine/lightning", "engine", "lightning"))
HEADER = ("| task | " + " | ".join(h for h, _ in RATES) + " | "
          + " | ".join(h for h, _, _ in RATIOS) + " |\n|"
          + "---|" * (1 + len(RATES) + len(RATIOS)))


def _row(label: str, m: dict[str, Measured]) -> str:
    empty = Measured()
    rates = [m.get(k, empty).text() for _, k in RATES]
    ratios = [_ratio(m.get(a, empty), m.get(b, empty)) for _, a, b in RATIOS]
    return f"| {label} | " + " | ".join(rates + ratios) + " |"


def main(args: Any) -> int:
    device = args.device or "cpu"
    tasks = default_tasks(args.quick, device)
    variants: dict[str, Variant] = {"plain": plain_loop, "engine": engine_headless}
    notes = []
    window_extras: dict[str, Any] = {}
    if not args.no_window:
        try:
            from workbench.ui import bench_window
        except ImportError as exc:
            notes.append(f"window: skipped ({exc})")
        else:
            variants["window"] = bench_window.window_loop
            variants["window_views_off"] = bench_window.window_loop_views_off
            notes.append(f"window: Qt platform {bench_window.platform_name()}")
    if lightning_available() is not None and device == "cpu":
        variants["lightning"] = lightning_loop
    else:
        notes.append("lightning: not installed, skipped")
    reps = args.reps or (3 if args.quick else 5)
    fewer = ", ".join(f"{k} {min(reps, n)}" for k, n in SLOW_VARIANT_REPS.items()
                      if k in variants)
    print(f"Workbench bench: {len(tasks)} tasks x {len(variants)} variants x {reps} repetitions"
          f"{f' ({fewer})' if fewer else ''}, "
          f"torch {torch.__version__}, device {device}, 1 intra-op thread", file=sys.stderr)
    for note in notes:
        print("  " + note, file=sys.stderr)
    lines: list[str] = []

    def out(line: str) -> None:
        lines.append(line)
        if not args.json:
            if len(lines) == 1:
                print(HEADER)
            print(line, flush=True)

    results = run_bench(tasks, reps, args.seconds, variants, out)
    if "window" in variants:
        from workbench.ui import bench_window

        window_extras = bench_window.gui_measurements(quick=args.quick)
        if not args.json:
            print()
            for key, value in window_extras.items():
                print(f"{key}: {value}")
    tables: dict[str, Any] = {}
    if not args.no_tables:
        from workbench.bench_tables import table_lines, table_measurements

        tables = table_measurements(rows=20_000 if args.quick else 200_000)
        if not args.json:
            print()
            print("\n".join(table_lines(tables)))
    if args.json:
        print(json.dumps({"tasks": results, "window": window_extras, "notes": notes,
                          "tables": tables, "torch": torch.__version__, "device": device}))
    return 0


def add_parser(sub: Any) -> None:
    b = sub.add_parser("bench", help="measure training speed side by side")
    b.add_argument("--quick", action="store_true", help="two tasks, three repetitions")
    b.add_argument("--reps", type=int, default=0, help="repetitions per variant (default 5)")
    b.add_argument("--seconds", type=float, default=1.2,
                   help="approximate length of one measured run")
    b.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    b.add_argument("--no-window", action="store_true", help="skip the window measurements")
    b.add_argument("--no-tables", action="store_true",
                   help="skip reading and predicting a large mixed CSV")
    b.add_argument("--json", action="store_true")

