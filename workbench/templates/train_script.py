"""Train a Workbench model without Workbench: @ABOUT@.

Exported by Workbench @WORKBENCH_VERSION@. This one file does what Workbench did for that run
(same data preparation, network, optimizer, learning-rate schedule, seed, epochs, batch size,
dropout, early stopping, and the best validation epoch's weights kept at the end) and writes a
``.wbm`` model file that Workbench opens. The parts of Workbench's own code it needs are copied
in at the end of this file: the settings and their checks, the data sets, the
train/validation split and normalisation, the network, the optimizer and its schedule, the
training step, the validation pass and the rules for early stopping and the best
weights@TABLE_CODE@. The loop around them, with its torchrun support, is this file's own.

Needs Python 3.11+ (on 3.10 also ``pip install tomli``) with
@NEEDS@.

    python train.py                              # one process
    torchrun --nproc-per-node=2 train.py         # data-parallel on one machine (2 processes)
    torchrun --nnodes=2 --nproc-per-node=4 --rdzv-backend=c10d \\
             --rdzv-endpoint=HOST:29400 --rdzv-id=run1 train.py   # on each of two machines

Options: ``--config FILE`` (default: the .toml next to this file with the same name),
``--out MODEL.wbm`` (default: the .wbm next to this file with the same name), ``--epochs N``,
``--device cpu|cuda|cuda:N|mps``, ``--metrics FILE.csv`` (one row per epoch).

The settings come from the TOML file, in the schema Workbench reads
(``workbench train --config train.toml`` runs the same thing inside Workbench).

One process on the CPU repeats Workbench's run loss for loss. Under torchrun each process
trains on its own share of every epoch (a DistributedSampler deals out the epoch's shuffled
samples) with a batch of batch_size / processes, so one optimizer step still sees batch_size
samples; gradients are averaged by DistributedDataParallel (gloo on CPUs, NCCL on GPUs), every
process checks the full validation split, and only the first process (rank 0) prints and saves.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from safetensors.torch import save as safetensors_save
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data.distributed import DistributedSampler

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

# Workbench's own code. Inside Workbench (where this file is the export's template) it is
# imported; an exported script has these imports replaced by the definitions themselves, copied
# in at the end of the file.
from workbench.config import (
    BUNDLED_DATASETS,
    DRAW_DATASET,
    SYNTHETIC_DATASETS,
    ConfigError,
    DataConfig,
    TrainConfig,
    iterations_per_epoch,
)
from workbench.core.augment import augment_batch
from workbench.core.callbacks import EarlyStopping, SchedulerStep
from workbench.core.data.bundled import load_bundled
from workbench.core.data.drawn import load_drawn, prepare_drawn
from workbench.core.data.split import EpochSampler, prepare
from workbench.core.data.synthetic import load_synthetic
from workbench.core.data.table_set import load_table_dataset
from workbench.core.data.types import Dataset, PreparedData
from workbench.core.devices import DEFAULT_THREADS
from workbench.core.engine import choose_threads
from workbench.core.models import build_model
from workbench.core.training import (
    epoch_loss,
    epoch_weights,
    evaluate,
    grad_clearer,
    loss_function,
    make_optimizer,
    make_scheduler,
    targets,
    train_step,
)
from workbench.errors import DataError

WORKBENCH_VERSION = "@WORKBENCH_VERSION@"
# The .wbm format this script writes: a safetensors file with these metadata entries.
MODEL_FORMAT = "workbench-model"
FORMAT_VERSION = 2


class ScriptError(Exception):
    """A problem with the settings or the data: printed as one line, exit status 2."""


# == settings ===================================================================================

def load_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ScriptError(f"cannot read the settings file {path}: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScriptError(f"{path} is not valid TOML: {exc}") from None


# == data =======================================================================================
# Workbench's own loaders (synthetic, bundled, drawn, tables), split and normalisation are
# copied in at the end of the file; reading an image folder is this script's own, so that
# Pillow is needed only for one.

def load_dataset(data: DataConfig, seed: int) -> Dataset:
    name = data.dataset
    if name in SYNTHETIC_DATASETS:
        return load_synthetic(data, seed)
    if name in BUNDLED_DATASETS:
        return load_bundled(name)  # from scikit-learn
    if name == "csv":
        return load_table(data, seed)
    if name == "images":
        return load_image_folder(Path(data.image_dir), data.image_size, data.grayscale)
    if name == DRAW_DATASET:
        return load_drawn(data)
    raise ScriptError(f"unknown data set {name!r}")


def load_table(data: DataConfig, seed: int) -> Dataset:
    """Read the table, infer the columns' roles and fit the preprocessing on the training rows,
    with Workbench's own reader, so the inputs are exactly the ones Workbench trained on."""
    if load_table_dataset is None:
        raise ScriptError("this script was exported for a model that was not trained on a "
                          "table, so it has no table reader: export the script again from a "
                          "model trained on this table")
    return load_table_dataset(data, seed)


# -- an image folder: one sub-folder per class --------------------------------------------------

FILE_MANAGER_CLUTTER = frozenset({"thumbs.db", "desktop.ini", "icon\r"})


def load_image_folder(root: Path, size: int, grayscale: bool) -> Dataset:
    try:
        from PIL import Image
    except ImportError:
        raise ScriptError("reading an image folder needs Pillow: pip install Pillow") from None
    if not root.is_dir():
        raise ScriptError(f"the image folder {root} does not exist")
    mode = "L" if grayscale else "RGB"
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    images, labels = [], []
    for k, class_dir in enumerate(class_dirs):
        for file in sorted(p for p in class_dir.iterdir() if p.is_file()
                           and not p.name.startswith(".")
                           and p.name.lower() not in FILE_MANAGER_CLUTTER):
            with Image.open(file) as im:
                im.load()
                pixels = image_to_mode(im, mode, Image)
                arr = np.asarray(pixels.resize((size, size), Image.Resampling.BILINEAR),
                                 dtype=np.float32) / 255.0
            images.append(arr[None, :, :] if arr.ndim == 2
                          else np.ascontiguousarray(arr.transpose(2, 0, 1)))
            labels.append(k)
    return Dataset(name=root.resolve().name or str(root), x=np.stack(images),
                   y=np.array(labels, dtype=np.int64), task="classification",
                   class_names=tuple(d.name for d in class_dirs))


def image_to_mode(im: Any, mode: str, image_module: Any) -> Any:
    """Grey or RGB; 16-bit grey scaled down; transparency composed over white."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float32)
        peak = float(arr.max(initial=0.0))
        top = 65535.0 if peak > 255 else (1.0 if im.mode == "F" and peak <= 1 else 255.0)
        grey = np.clip(arr / top * 255.0, 0, 255).astype(np.uint8)
        return image_module.fromarray(grey).convert(mode)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = image_module.new("RGBA", rgba.size, (255, 255, 255, 255))
        return image_module.alpha_composite(white, rgba).convert(mode)
    return im.convert(mode)


def prepare_data(cfg: TrainConfig) -> PreparedData:
    """Load, split, take statistics from the training split only, normalise both splits (a
    drawing is split by each point's place in its class), as Workbench does."""
    ds = load_dataset(cfg.data, cfg.run.seed)
    if cfg.data.dataset == DRAW_DATASET:
        data = prepare_drawn(cfg.data, ds)
    else:
        data = prepare(cfg.data, cfg.run.seed, ds)
    if data.n_train == 0:
        raise ScriptError("the training split is empty: lower data.val_split")
    return data


# == processes and devices ======================================================================

@dataclass
class Processes:
    rank: int  # 0 is the one that prints and saves
    world: int  # number of processes; 1 without torchrun
    device: torch.device
    device_name: str

    @property
    def distributed(self) -> bool:
        return self.world > 1


def start_processes(requested: str) -> Processes:
    """One process, or join the torchrun group: NCCL when each process has a GPU, else gloo."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        device = pick_device(requested, None)
        return Processes(0, 1, device, device_name(device))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    device = pick_device(requested, local_rank)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    backend = "nccl" if device.type == "cuda" else "gloo"
    dist.init_process_group(backend)
    return Processes(dist.get_rank(), dist.get_world_size(), device,
                     f"{world} processes ({backend}), {device_name(device)}")


def pick_device(requested: str, local_rank: int | None) -> torch.device:
    """auto: a GPU when there is one, else the CPU; under torchrun, GPU number LOCAL_RANK."""
    has_cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None)
    has_mps = mps is not None and mps.is_available()
    if requested in ("", "auto"):
        if has_cuda:
            return torch.device("cuda", local_rank or 0)
        if has_mps and local_rank is None:
            return torch.device("mps")
        return torch.device("cpu")
    if requested.startswith("cuda"):
        if not has_cuda:
            raise ScriptError(f"device {requested!r}: this computer has no CUDA GPU "
                              "(use --device cpu)")
        if local_rank is not None:  # every process needs its own GPU
            return torch.device("cuda", local_rank)
        return torch.device(requested if ":" in requested else "cuda:0")
    if requested == "mps":
        if not has_mps or local_rank is not None:
            raise ScriptError("device 'mps' is not available here (and cannot be used "
                              "under torchrun)")
        return torch.device("mps")
    if requested == "cpu":
        return torch.device("cpu")
    raise ScriptError(f"unknown device {requested!r}; use auto, cpu, cuda, cuda:N or mps")


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple GPU (MPS)"
    return f"CPU ({os.cpu_count() or 1} cores)"


# == training ===================================================================================

@dataclass
class EpochResult:
    epoch: int
    train_loss: float
    val_loss: float | None
    val_accuracy: float | None
    lr: float
    seconds: float


@dataclass
class Run:
    """One run's parts. Workbench's rules (early stopping with the best weights, the schedule)
    read ``model``, ``epoch`` and ``stop_reason`` from it, as they do from Workbench's own run."""

    model: nn.Module  # the weights (under torchrun ``net`` wraps it)
    net: nn.Module
    forward: Any  # ``net``, or torch.compile's wrapper of it
    criterion: nn.Module
    optimizer: torch.optim.Optimizer
    clear_grads: Any  # what zero_grad(set_to_none=True) does, without its profiler scope
    sampler: EpochSampler
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    batch_size: int  # this process's share of a batch
    iterations: int  # per epoch
    weights: np.ndarray  # each iteration's weight in the epoch's mean loss
    augment: Any  # the augmentation settings, or None
    amp: bool
    epoch: int = 0
    iteration: int = 0
    stop_reason: str | None = None


def set_up(cfg: TrainConfig, data: PreparedData, procs: Processes) -> Run:
    """The network, the data on the device and the optimizer, made as Workbench makes them."""
    run, device = cfg.run, procs.device
    torch.manual_seed(run.seed)
    gen = torch.Generator().manual_seed(run.seed)  # the epoch order: identical in every process
    classification = data.task == "classification"
    model = build_model(cfg.model, data.input_shape, len(data.class_names) if classification
                        else 1)
    if device.type == "cpu":
        # The thread count Workbench would use (the same count gives the same floating-point
        # sums); processes started by torchrun keep to one unless the settings say otherwise.
        torch.set_num_threads(choose_threads(cfg, device, model, data.input_shape,
                                             DEFAULT_THREADS if procs.distributed else 0))
    model.to(device)
    scaling = (data.target_mean, data.target_std)
    x_train = torch.as_tensor(data.x_train, device=device)
    x_val = torch.as_tensor(data.x_val, device=device)
    y_train = targets(data.y_train, data.task, scaling, device)
    y_val = targets(data.y_val, data.task, scaling, device)
    net: nn.Module = model
    if procs.distributed:
        # DDP copies rank 0's weights to every process and averages gradients in backward.
        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda"
                                      else None)
        # Dropout and augmentation should differ between processes: each sees other samples.
        torch.manual_seed(run.seed + procs.rank)
    sampler = EpochSampler(data.y_train, data.task, cfg.data.imbalance,
                           len(data.class_names), gen, cfg.data.shuffle)
    # Each process takes batch_size / processes samples per step, so a step still averages
    # the gradient over batch_size samples, as in one process.
    local_bs = max(1, run.batch_size // procs.world)
    # This process's share of an epoch (the order itself is drawn each epoch).
    n_local = len(share(torch.arange(sampler.epoch_size), procs, run.drop_last))
    ipe, last_bs = iterations_per_epoch(n_local, local_bs, run.drop_last)
    if ipe == 0:
        raise ScriptError(f"batch size {run.batch_size} with drop_last leaves no full batch")
    aug = cfg.data.augment
    optimizer = make_optimizer(cfg.optim, model.parameters())
    return Run(model, net, torch.compile(net) if run.compile else net,
               loss_function(data.task), optimizer, grad_clearer(optimizer), sampler,
               x_train, y_train, x_val, y_val, local_bs, ipe, epoch_weights(ipe, local_bs, last_bs),
               aug if len(data.input_shape) == 3 and aug.enabled else None,
               run.amp and device.type in ("cuda", "cpu"))


def share(perm: torch.Tensor, procs: Processes, drop_last: bool) -> torch.Tensor:
    """This process's part of the epoch's order: all of it in one process; under torchrun a
    DistributedSampler deals it out (padded so all processes take the same number of steps)."""
    if not procs.distributed:
        return perm
    part = DistributedSampler(perm, num_replicas=procs.world, rank=procs.rank, shuffle=False,
                              drop_last=drop_last)
    return perm[torch.tensor(list(part), dtype=torch.int64)]


def train_one_epoch(run: Run, procs: Processes, drop_last: bool) -> np.ndarray:
    """One epoch of Workbench's training step; its iteration losses, read once at the end."""
    device, bs = procs.device, run.batch_size
    # Every process drew the same order (the generator is seeded alike): its share is dealt.
    perm = share(run.sampler.epoch_indices(), procs, drop_last).to(device)
    losses = torch.empty(run.iterations, device=device)  # on the device: read once an epoch
    run.net.train()
    for i in range(run.iterations):
        idx = perm[i * bs:(i + 1) * bs]
        xb = run.x_train[idx]
        if run.augment is not None:
            xb = augment_batch(xb, run.augment)
        loss = train_step(run.forward, run.criterion, run.optimizer, run.clear_grads, xb,
                          run.y_train[idx], run.amp, device.type)
        losses[i] = loss.detach()
        run.iteration += 1
    epoch_losses = losses.cpu().numpy()
    if not np.all(np.isfinite(epoch_losses)):
        raise ScriptError(f"the loss became NaN or infinite in epoch {run.epoch}: training "
                          f"diverged; lower optim.lr (now {run.optimizer.defaults['lr']})")
    return epoch_losses


def all_agree(value: float | bool, procs: Processes) -> float | bool:
    """Under torchrun: a loss averaged over the processes, or rank 0's decision for all."""
    if not procs.distributed:
        return value
    if isinstance(value, bool):  # every process must stop at the same epoch: rank 0 decides
        flag = torch.tensor([int(value)], device=procs.device)
        dist.broadcast(flag, 0)
        return bool(flag.item())
    total = torch.tensor([value], dtype=torch.float64, device=procs.device)
    dist.all_reduce(total)
    return float(total) / procs.world


def train(config: dict[str, Any], procs: Processes, say: Any = print
          ) -> tuple[nn.Module, PreparedData, list[EpochResult], dict[str, Any]]:
    """The training loop: returns the model, the data, one result per epoch and a summary."""
    cfg = TrainConfig.from_dict(config).check()
    data = prepare_data(cfg)
    run = set_up(cfg, data, procs)
    has_val = len(data.x_val) > 0
    # Workbench's own rules: the best validation epoch's weights are kept, and restored at the
    # end (restore_best, on by default), with or without early stopping; the schedule steps
    # once an epoch.
    early = EarlyStopping(patience=cfg.run.patience if has_val else 0,
                          min_delta=cfg.run.min_delta,
                          keep_best=has_val and (cfg.run.restore_best or cfg.run.patience > 0),
                          restore_best=cfg.run.restore_best)
    rules = [SchedulerStep(make_scheduler(cfg.optim, run.optimizer, cfg.run.epochs),
                           cfg.run.epochs), early]
    say(f"Training {data.name} on {procs.device_name}: {len(data.x_train)} training / "
        f"{len(data.x_val)} validation samples, {run.iterations} iterations per epoch.")
    for warning in getattr(data.table_info, "warnings", ()):  # what the table reader noticed
        say(f"Note: {warning}")
    history: list[EpochResult] = []
    t_run = time.perf_counter()
    for epoch in range(1, cfg.run.epochs + 1):
        t_epoch, run.epoch = time.perf_counter(), epoch
        losses = train_one_epoch(run, procs, cfg.run.drop_last)
        train_loss = all_agree(epoch_loss(losses, run.weights), procs)
        run.model.eval()  # no Dropout; BatchNorm's running statistics (train() next epoch)
        val_loss, val_acc = evaluate(run.model, run.x_val, run.y_val, run.criterion,
                                     data.task == "classification")
        result = EpochResult(epoch, train_loss, val_loss, val_acc,
                             run.optimizer.param_groups[0]["lr"], 0.0)
        for rule in rules:
            rule.on_validation_end(run, result)
        result.seconds = time.perf_counter() - t_epoch
        history.append(result)
        say(epoch_line(result, cfg.run.epochs))
        if all_agree(run.stop_reason is not None, procs):
            say(f"Early stop: validation loss has not improved for {early.patience} epochs "
                f"(best epoch {early.best_epoch}).")
            break
    for rule in rules:
        rule.on_run_end(run)
    if early.restored:
        say(f"Kept the weights of epoch {early.best_epoch}, the best validation loss "
            f"({early.best_loss:.4f}).")
    last = next(e for e in history if e.epoch == early.best_epoch) if early.restored \
        else history[-1]
    summary = {
        "dataset": data.name, "epochs": run.epoch, "iterations": run.iteration,
        "seconds": round(time.perf_counter() - t_run, 3), "device": procs.device_name,
        "best_epoch": early.best_epoch, "train_loss": last.train_loss,
        "val_loss": last.val_loss, "val_accuracy": last.val_accuracy,
        "train_samples": len(data.x_train), "val_samples": len(data.x_val),
        "weights_epoch": early.best_epoch if early.restored else run.epoch,
    }
    return run.model, data, history, summary


def epoch_line(result: EpochResult, epochs: int) -> str:
    line = f"epoch {result.epoch:>4}/{epochs}  train loss {result.train_loss:.4f}"
    if result.val_loss is not None:
        line += f"  val loss {result.val_loss:.4f}"
    if result.val_accuracy is not None:
        line += f"  val acc {result.val_accuracy:.2%}"
    return line + f"  ({result.seconds:.2f} s)"


# == the model file =============================================================================

def wbm_bytes(model: nn.Module, data: PreparedData, config: dict[str, Any],
              summary: dict[str, Any]) -> bytes:
    """A .wbm file: weights as model.<name>, the normalisation, and JSON metadata (format 2:
    with the regression target's scaling and, for tables, the fitted preprocessing)."""
    tensors = {f"model.{k}": v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    tensors["norm.mean"] = torch.from_numpy(np.ascontiguousarray(data.mean, dtype=np.float32))
    tensors["norm.std"] = torch.from_numpy(np.ascontiguousarray(data.std, dtype=np.float32))
    metadata = {
        "format": MODEL_FORMAT,
        "format_version": str(FORMAT_VERSION),
        "workbench_version": WORKBENCH_VERSION,
        "config": json.dumps(config),
        "task": data.task,
        "classes": json.dumps(list(data.class_names), ensure_ascii=False),
        "features": json.dumps(list(data.feature_names), ensure_ascii=False),
        "input_shape": json.dumps(list(data.input_shape)),
        "summary": json.dumps(summary, ensure_ascii=False),
        "target_scaling": json.dumps({"mean": data.target_mean, "std": data.target_std}),
    }
    if data.preprocess is not None:  # tables: raw columns -> inputs, for predict and evaluate
        metadata["preprocess"] = json.dumps(data.preprocess.to_dict(), ensure_ascii=False)
    return safetensors_save(tensors, metadata=metadata)


def write_atomically(path: Path, data: bytes) -> None:
    """A temporary file next to the target, then a rename: never half a file."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_metrics(path: Path, history: list[EpochResult]) -> None:
    def cell(v: float | None) -> str:
        return "" if v is None else repr(v)

    lines = ["epoch,train_loss,val_loss,val_accuracy,lr,seconds"]
    lines += [f"{e.epoch},{cell(e.train_loss)},{cell(e.val_loss)},{cell(e.val_accuracy)},"
              f"{cell(e.lr)},{e.seconds:.4f}" for e in history]
    write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))


# == command line ===============================================================================

def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=here.with_suffix(".toml"),
                        help="settings (TOML, Workbench's schema)")
    parser.add_argument("--out", type=Path, default=here.with_suffix(".wbm"),
                        help="the .wbm model file to write")
    parser.add_argument("--epochs", type=int, help="override run.epochs")
    parser.add_argument("--device", help="override run.device: auto, cpu, cuda, cuda:N, mps")
    parser.add_argument("--metrics", type=Path, help="write per-epoch losses to this CSV file")
    args = parser.parse_args(argv)
    procs = None
    try:
        config = load_config(args.config)
        if args.epochs is not None:
            if args.epochs < 1:
                raise ScriptError("--epochs must be 1 or more")
            config["run"]["epochs"] = args.epochs
        if not args.out.parent.is_dir():
            raise ScriptError(f"the folder {args.out.parent} does not exist")
        procs = start_processes(args.device or config["run"]["device"])

        def say(text: str) -> None:
            if procs is not None and procs.rank == 0:
                print(text, flush=True)

        model, data, history, summary = train(config, procs, say)
        if procs.rank == 0:
            write_atomically(args.out, wbm_bytes(model, data, config, summary))
            if args.metrics:
                write_metrics(args.metrics, history)
            say(f"Saved {args.out} ({summary['epochs']} epochs, {summary['seconds']:.1f} s).")
        if procs.distributed:
            dist.barrier()  # nobody leaves before the file is written
    except (ScriptError, DataError, ConfigError) as exc:
        print(f"{Path(sys.argv[0]).name}: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:  # scikit-learn for a bundled set, pandas for a table
        package = {"sklearn": "scikit-learn", "PIL": "Pillow"}.get(exc.name or "", exc.name)
        print(f"{Path(sys.argv[0]).name}: this data needs the Python package {package}: "
              f"pip install {package}", file=sys.stderr)
        return 2
    finally:
        if procs is not None and procs.distributed and dist.is_initialized():
            dist.destroy_process_group()
    return 0


# == Workbench's own code =======================================================================
# @WORKBENCH_CODE@ (the export copies the definitions imported from workbench at the top here)


if __name__ == "__main__":
    sys.exit(main())
