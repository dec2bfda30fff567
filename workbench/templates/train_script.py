"""Train a Workbench model without Workbench: @ABOUT@.

Exported by Workbench @WORKBENCH_VERSION@. This one file does what Workbench did for that run
(same data preparation, network, optimizer, learning-rate schedule, seed, epochs, batch size,
dropout, early stopping, and the best validation epoch's weights kept at the end) and writes a
``.wbm`` model file that Workbench opens. The parts of Workbench's own code it needs are copied
in at the end of this file: the train/validation split and normalisation@TABLE_CODE@.

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
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
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
from workbench.config import iterations_per_epoch
from workbench.core.data.drawn import validation_mask
from workbench.core.data.split import compute_stats, normalize, split_indices
from workbench.core.data.synthetic import load_synthetic
from workbench.core.data.table_set import load_table_dataset
from workbench.core.data.types import MIN_STD
from workbench.core.engine import evaluate
from workbench.core.models import multiply_adds
from workbench.errors import DataError

WORKBENCH_VERSION = "@WORKBENCH_VERSION@"
# The .wbm format this script writes: a safetensors file with these metadata entries.
MODEL_FORMAT = "workbench-model"
FORMAT_VERSION = 2

SYNTHETIC = ("spiral", "moons", "circles", "xor", "blobs")
BUNDLED = ("digits", "iris", "wine", "breast_cancer", "diabetes")
# CPU threads as Workbench chooses them (see train()): torch's own default, a thread per core,
# from this many multiply-adds per iteration; one thread below.
DEFAULT_THREADS = torch.get_num_threads()
MANY_THREADS_FROM = 1_000_000


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

@dataclass
class Dataset:
    name: str
    x: np.ndarray  # float32: (N, features) or (N, channels, height, width)
    y: np.ndarray  # int64 class numbers, or float32 values for regression
    task: str  # "classification" or "regression"
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    # Tables: the preprocessing fitted on the training rows (raw columns -> the inputs in x),
    # and what was read and inferred about the file.
    preprocess: Any = None
    table_info: Any = None


@dataclass
class Prepared:
    name: str
    task: str
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    input_shape: tuple[int, ...]
    x_train: np.ndarray  # normalised
    y_train: np.ndarray
    x_val: np.ndarray  # normalised with the training split's statistics
    y_val: np.ndarray
    mean: np.ndarray  # (features,) or (channels, 1, 1); saved with the model
    std: np.ndarray
    # Regression: the network learns (y - target_mean) / target_std (training split's values).
    target_mean: float = 0.0
    target_std: float = 1.0
    preprocess: Any = None  # tables: the fitted preprocessing, saved with the model
    table_info: Any = None


def load_dataset(data: dict[str, Any], seed: int) -> Dataset:
    name = data["dataset"]
    if name in SYNTHETIC:
        return make_synthetic(data, seed)
    if name in BUNDLED:
        return load_bundled(name)
    if name == "csv":
        return load_table(data, seed)
    if name == "images":
        return load_image_folder(Path(data["image_dir"]), int(data["image_size"]),
                                 bool(data["grayscale"]))
    if name == "draw":
        return load_drawing(data)
    raise ScriptError(f"unknown data set {name!r}")


def load_drawing(data: dict[str, Any]) -> Dataset:
    """Points painted in Workbench, kept in the configuration as [x, y, class] in the order
    they were painted."""
    points = np.asarray(data.get("points") or [], dtype=np.float64).reshape(-1, 3)
    classes = int(data["classes"])
    if len(points) < 2:
        raise ScriptError("the drawing in the configuration has fewer than 2 points")
    return Dataset("draw", points[:, :2].astype(np.float32), points[:, 2].astype(np.int64),
                   "classification", tuple(f"class {i}" for i in range(classes)), ("x1", "x2"))


def make_synthetic(data: dict[str, Any], seed: int) -> Dataset:
    """The synthetic sets: Workbench's own generator (copied in below), so the numbers are
    identical."""
    settings = SimpleNamespace(dataset=data["dataset"], samples=int(data["samples"]),
                               noise=float(data["noise"]), classes=int(data["classes"]))
    return load_synthetic(settings, seed)  # type: ignore[arg-type]


def load_bundled(name: str) -> Dataset:
    try:
        from sklearn import datasets
    except ImportError:
        raise ScriptError(f"the {name} data set ships with scikit-learn: "
                          "pip install scikit-learn") from None
    bunch: Any = getattr(datasets, f"load_{name}")()
    if name == "digits":  # 8x8 grey images, values 0..16 scaled to 0..1
        x = (np.asarray(bunch.images, dtype=np.float32) / 16.0)[:, None, :, :]
        return Dataset(name, x, np.asarray(bunch.target, dtype=np.int64), "classification",
                       tuple(str(c) for c in bunch.target_names), ())
    x = np.asarray(bunch.data, dtype=np.float32)
    features = tuple(str(f) for f in bunch.feature_names)
    if name == "diabetes":
        return Dataset(name, x, np.asarray(bunch.target, dtype=np.float32), "regression", (),
                       features)
    return Dataset(name, x, np.asarray(bunch.target, dtype=np.int64), "classification",
                   tuple(str(c) for c in bunch.target_names), features)


# -- a table (CSV, TSV, Excel): Workbench's own reader, column roles and preprocessing -----------

# The table settings Workbench's reader uses, with Workbench's defaults.
TABLE_SETTINGS: dict[str, Any] = {
    "csv_path": "", "target": "", "sheet": "", "task": "auto", "categorical": (), "numeric": (),
    "dates": (), "ignore": (), "na_values": (), "val_split": 0.2, "shuffle": True,
}


def load_table(data: dict[str, Any], seed: int) -> Dataset:
    """Read the table, infer the columns' roles and fit the preprocessing on the training rows.

    ``load_table_dataset`` and everything it uses are Workbench's own code (copied in at the
    end of the file), so the inputs are exactly the ones Workbench trained on.
    """
    if load_table_dataset is None:
        raise ScriptError("this script was exported for a model that was not trained on a "
                          "table, so it has no table reader: export the script again from a "
                          "model trained on this table")
    settings = {**TABLE_SETTINGS, **data}
    for key in ("categorical", "numeric", "dates", "ignore", "na_values"):
        settings[key] = tuple(settings[key])
    # The reader takes Workbench's data settings by attribute, named as in the TOML file.
    return load_table_dataset(argparse.Namespace(**settings), seed)


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
    return Dataset(root.resolve().name or str(root), np.stack(images),
                   np.array(labels, dtype=np.int64), "classification",
                   tuple(d.name for d in class_dirs), ())


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


# -- split and normalisation --------------------------------------------------------------------
# (split_indices, compute_stats and normalize are Workbench's own, copied in at the end.)


def prepare_data(config: dict[str, Any]) -> Prepared:
    """Load, split, take statistics from the training split only, normalise both splits.

    Regression targets stay in their units; their training split's mean and standard deviation
    come along, for training to standardise them with (as Workbench does).
    """
    data, seed = config["data"], int(config["run"]["seed"])
    ds = load_dataset(data, seed)
    x = np.asarray(ds.x, dtype=np.float32)
    classification = ds.task == "classification"
    y = np.asarray(ds.y, dtype=np.int64 if classification else np.float32).reshape(-1)
    if ds.name == "draw":  # held out by each point's place in its class, as Workbench does
        held_out = validation_mask(y, float(data["val_split"]))
        train, val = np.flatnonzero(~held_out), np.flatnonzero(held_out)
    else:
        train, val = split_indices(y, ds.task, float(data["val_split"]), seed,
                                   bool(data["shuffle"]))
    if len(train) == 0:
        raise ScriptError("the training split is empty: lower data.val_split")
    if data["normalize"]:
        mean, std = compute_stats(x[train])
    else:
        shape = (x.shape[1], *([1] * (x.ndim - 2)))
        mean, std = np.zeros(shape, dtype=np.float32), np.ones(shape, dtype=np.float32)
    target_mean, target_std = 0.0, 1.0
    if not classification:
        target_mean = float(np.mean(y[train], dtype=np.float64))
        target_std = float(np.std(y[train], dtype=np.float64))
        if not (math.isfinite(target_std) and target_std >= MIN_STD):
            target_std = 1.0
    return Prepared(ds.name, ds.task, ds.class_names, ds.feature_names,
                    tuple(int(s) for s in x.shape[1:]), normalize(x[train], mean, std), y[train],
                    normalize(x[val], mean, std), y[val], mean, std, target_mean, target_std,
                    ds.preprocess, ds.table_info)


class EpochSampler:
    """Which training samples each epoch visits, in which order (all randomness from ``gen``).

    none: every sample once. oversample: as many draws as samples, classes equally likely.
    undersample: a fresh random subset of (smallest class size) samples of every class.
    """

    def __init__(self, y_train: np.ndarray, task: str, imbalance: str, n_classes: int,
                 gen: torch.Generator, shuffle: bool) -> None:
        self.gen, self.shuffle, self.n = gen, shuffle, len(y_train)
        self.mode = imbalance if task == "classification" and self.n else "none"
        self.members: list[torch.Tensor] = []
        if self.mode != "none":
            labels = np.asarray(y_train, dtype=np.int64)
            counts = np.bincount(labels, minlength=n_classes)
            self.members = [torch.from_numpy(np.flatnonzero(labels == k).astype(np.int64))
                            for k in range(n_classes) if counts[k] > 0]
            self.counts = torch.tensor([len(m) for m in self.members], dtype=torch.int64)
            self.grouped = torch.cat(self.members)
            self.starts = torch.cumsum(self.counts, 0) - self.counts
        self.min_count = int(self.counts.min()) if self.members else 0

    @property
    def epoch_size(self) -> int:
        return self.min_count * len(self.members) if self.mode == "undersample" else self.n

    def epoch_indices(self) -> torch.Tensor:
        g = self.gen
        if self.mode == "none":
            if not self.shuffle:
                return torch.arange(self.n, dtype=torch.int64)
            return torch.randperm(self.n, generator=g, dtype=torch.int64)
        if self.mode == "oversample":
            cls = torch.randint(len(self.members), (self.n,), generator=g)
            sizes = self.counts[cls]
            offsets = (torch.rand(self.n, generator=g, dtype=torch.float64) * sizes).long()
            picked = self.grouped[self.starts[cls] + torch.minimum(offsets, sizes - 1)]
            if self.shuffle:
                return picked  # already in random order
        else:
            picked = torch.cat([m[torch.randperm(len(m), generator=g)[:self.min_count]]
                                for m in self.members])
        if self.shuffle:
            return picked[torch.randperm(len(picked), generator=g)]
        return torch.sort(picked).values


# == the network ================================================================================

def activation(model: dict[str, Any]) -> nn.Module:
    name = model["activation"]
    if name == "leaky_relu":
        return nn.LeakyReLU(float(model["leaky_slope"]))
    layers = {"relu": nn.ReLU, "elu": nn.ELU, "gelu": nn.GELU, "silu": nn.SiLU, "mish": nn.Mish,
              "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "softplus": nn.Softplus}
    return layers[name]()


def mlp_layers(model: dict[str, Any], n_in: int, n_out: int,
               input_dropout: float) -> list[nn.Module]:
    """[Dropout] then per hidden layer Linear, [norm], activation, [Dropout]; then Linear."""
    hidden = [int(h) for h in model["hidden"]]
    rates = [float(p) for p in model["dropout_per_layer"]] or [float(model["dropout"])] * len(hidden)
    layers: list[nn.Module] = [nn.Dropout(input_dropout)] if input_dropout > 0 else []
    width = n_in
    for h, p in zip(hidden, rates):
        layers.append(nn.Linear(width, h))
        if model["norm"] == "batch":
            layers.append(nn.BatchNorm1d(h))
        elif model["norm"] == "layer":
            layers.append(nn.LayerNorm(h))
        layers.append(activation(model))
        if p > 0:
            layers.append(nn.Dropout(p))
        width = h
    layers.append(nn.Linear(width, n_out))
    return layers


def build_model(model: dict[str, Any], input_shape: tuple[int, ...], n_out: int) -> nn.Sequential:
    """The same layers in the same order as Workbench, so the weights carry the same names."""
    if model["kind"] == "cnn":
        c, h, w = input_shape
        k = int(model["kernel_size"])
        layers: list[nn.Module] = []
        for ch in (int(v) for v in model["channels"]):
            layers.append(nn.Conv2d(c, ch, k, padding=k // 2))
            if model["norm"] == "batch":
                layers.append(nn.BatchNorm2d(ch))
            elif model["norm"] == "layer":
                layers.append(nn.GroupNorm(1, ch))  # one group: layer norm over a sample
            layers.append(activation(model))
            if min(h, w) >= 2:
                layers.append(nn.MaxPool2d(2) if model["pooling"] == "max" else nn.AvgPool2d(2))
                h, w = h // 2, w // 2
            c = ch
        layers.append(nn.Flatten())
        # In a CNN, input dropout acts on the features entering the classifier head.
        layers.extend(mlp_layers(model, c * h * w, n_out, float(model["input_dropout"])))
        return nn.Sequential(*layers)
    n_in = math.prod(input_shape)
    layers = [nn.Flatten()] if len(input_shape) > 1 else []
    layers.extend(mlp_layers(model, n_in, n_out, float(model["input_dropout"])))
    return nn.Sequential(*layers)


def augment_batch(x: torch.Tensor, aug: dict[str, Any]) -> torch.Tensor:
    """Random flips, crops, rotations (one affine resampling) and brightness/contrast jitter."""
    hflip, crop = bool(aug["hflip"]), float(aug["crop"])
    rotation, jitter = float(aug["rotation"]), float(aug["jitter"])
    b, _, h, w = x.shape
    dev = x.device

    def uniform(half_width: float) -> torch.Tensor:
        return (torch.rand(b, device=dev) * 2.0 - 1.0) * half_width

    out = x
    if hflip or crop < 1.0 or rotation > 0:
        ones, zeros = torch.ones(b, device=dev), torch.zeros(b, device=dev)
        flip = torch.where(torch.rand(b, device=dev) < 0.5, -ones, ones) if hflip else ones
        tx, ty = (uniform(1.0 - crop), uniform(1.0 - crop)) if crop < 1.0 else (zeros, zeros)
        angle = uniform(math.radians(rotation)) if rotation > 0 else zeros
        cos, sin, aspect = torch.cos(angle), torch.sin(angle), w / h
        theta = torch.stack([
            torch.stack([crop * cos * flip, -crop * sin / aspect, tx], dim=1),
            torch.stack([crop * sin * aspect * flip, crop * cos, ty], dim=1),
        ], dim=1)
        grid = F.affine_grid(theta.to(x.dtype), list(x.shape), align_corners=False)
        out = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    if jitter > 0:
        brightness = uniform(jitter).view(b, 1, 1, 1).to(x.dtype)
        contrast = (1.0 + uniform(jitter)).view(b, 1, 1, 1).to(x.dtype)
        mean = out.mean(dim=(1, 2, 3), keepdim=True)
        out = (out - mean) * contrast + mean + brightness
    return out


def augmentation_on(aug: dict[str, Any]) -> bool:
    return bool(aug["hflip"]) or aug["crop"] < 1.0 or aug["rotation"] > 0 or aug["jitter"] > 0


# == optimisation ===============================================================================

def make_optimizer(optim: dict[str, Any], params: Any) -> torch.optim.Optimizer:
    name, lr, wd = optim["optimizer"], float(optim["lr"]), float(optim["weight_decay"])
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=float(optim["momentum"]),
                               nesterov=bool(optim["nesterov"]), weight_decay=wd)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    return torch.optim.Adam(params, lr=lr, weight_decay=wd)


def make_scheduler(optim: dict[str, Any], opt: torch.optim.Optimizer, epochs: int) -> Any:
    schedule = optim["schedule"]
    if schedule == "step":
        return torch.optim.lr_scheduler.StepLR(opt, int(optim["step_size"]), float(optim["gamma"]))
    if schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    if schedule == "plateau":
        return torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, factor=float(optim["gamma"]), patience=int(optim["plateau_patience"]))
    return None


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


def train(config: dict[str, Any], procs: Processes, say: Any = print
          ) -> tuple[nn.Module, Prepared, list[EpochResult], dict[str, Any]]:
    """The training loop: returns the model, the data, one result per epoch and a summary."""
    run, optim = config["run"], config["optim"]
    seed, epochs, bs = int(run["seed"]), int(run["epochs"]), int(run["batch_size"])
    data = prepare_data(config)
    device = procs.device
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)  # the epoch order: identical in every process

    classification = data.task == "classification"
    n_classes = len(data.class_names) if classification else 0
    model = build_model(config["model"], data.input_shape, n_classes if classification else 1)
    if device.type == "cpu":
        # The thread count Workbench would use (the same count gives the same floating-point
        # sums): the configured one, else one thread for small models and one per core from
        # a million multiply-adds per iteration. Processes started by torchrun keep to one.
        threads = int(run.get("threads", 0))
        if not threads:
            work = multiply_adds(model, data.input_shape) * bs
            many = work >= MANY_THREADS_FROM and not procs.distributed
            threads = DEFAULT_THREADS if many else 1
        torch.set_num_threads(threads)
    model.to(device)
    x_train = torch.as_tensor(data.x_train, device=device)
    x_val = torch.as_tensor(data.x_val, device=device)
    y_dtype = torch.long if classification else torch.float32
    y_train = torch.as_tensor(data.y_train, dtype=y_dtype, device=device)
    y_val = torch.as_tensor(data.y_val, dtype=y_dtype, device=device)
    if not classification:
        # Standardised targets (as Workbench trains): one learning rate suits a target in the
        # hundreds as well as one in the tenths. Predictions are turned back on loading.
        t_mean, t_std = data.target_mean, data.target_std
        if (t_mean, t_std) != (0.0, 1.0):
            y_train, y_val = (y_train - t_mean) / t_std, (y_val - t_mean) / t_std
        y_train, y_val = y_train.view(-1, 1), y_val.view(-1, 1)
    criterion: nn.Module = nn.CrossEntropyLoss() if classification else nn.MSELoss()

    net: nn.Module = model
    if procs.distributed:
        # DDP copies rank 0's weights to every process and averages gradients in backward.
        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda"
                                      else None)
        # Dropout and augmentation should differ between processes: each sees other samples.
        torch.manual_seed(seed + procs.rank)
    opt = make_optimizer(optim, model.parameters())
    sched = make_scheduler(optim, opt, epochs)
    sampler = EpochSampler(data.y_train, data.task, config["data"]["imbalance"], n_classes, gen,
                           bool(config["data"]["shuffle"]))
    drop_last = bool(run["drop_last"])
    # Each process takes batch_size / processes samples per step, so a step still averages
    # the gradient over batch_size samples, as in one process.
    local_bs = max(1, bs // procs.world)
    n_local = sampler.epoch_size
    if procs.distributed:
        n_local = len(DistributedSampler(range(n_local), num_replicas=procs.world,
                                         rank=procs.rank, shuffle=False, drop_last=drop_last))
    ipe, last_bs = iterations_per_epoch(n_local, local_bs, drop_last)
    if ipe == 0:
        raise ScriptError(f"batch size {bs} with drop_last leaves no full batch")
    sizes = torch.full((ipe,), float(local_bs))
    sizes[-1] = float(last_bs)
    sizes /= sizes.sum()  # weights of the epoch mean: the last batch may be smaller
    weights = sizes.numpy().astype(np.float64)
    aug = config["data"]["augment"]
    augment = len(data.input_shape) == 3 and augmentation_on(aug)
    forward = torch.compile(net) if run.get("compile") else net
    amp = bool(run.get("amp")) and device.type in ("cuda", "cpu")
    patience = int(run["patience"]) if len(data.x_val) else 0
    min_delta = float(run["min_delta"])
    # The best validation epoch's weights are kept, and restored at the end (restore_best, on
    # by default), with or without early stopping: the last epoch is rarely the best one.
    restore_best = bool(run["restore_best"])
    keep_best = len(data.x_val) > 0 and (restore_best or patience > 0)

    say(f"Training {data.name} on {procs.device_name}: {len(data.x_train)} training / "
        f"{len(data.x_val)} validation samples, {ipe} iterations per epoch.")
    for warning in getattr(data.table_info, "warnings", ()):  # what the table reader noticed
        say(f"Note: {warning}")
    history: list[EpochResult] = []
    best_loss, best_epoch, bad_epochs = math.inf, None, 0
    best_state: dict[str, torch.Tensor] | None = None
    restored, iteration, epoch = False, 0, 0
    losses = torch.empty(ipe, device=device)  # on the device: read once an epoch
    t_run = time.perf_counter()
    for epoch in range(1, epochs + 1):
        t_epoch = time.perf_counter()
        perm = sampler.epoch_indices()
        if procs.distributed:
            # Every process drew the same order; the DistributedSampler deals out this
            # process's share of it (padded so all processes take the same number of steps).
            share = DistributedSampler(perm, num_replicas=procs.world, rank=procs.rank,
                                       shuffle=False, drop_last=drop_last)
            perm = perm[torch.tensor(list(share), dtype=torch.int64)]
        perm = perm.to(device)
        net.train()
        for i in range(ipe):
            idx = perm[i * local_bs:(i + 1) * local_bs]
            xb = x_train[idx]
            if augment:
                xb = augment_batch(xb, aug)
            if amp:
                with torch.autocast(device.type, dtype=torch.bfloat16):
                    loss = criterion(forward(xb), y_train[idx])
            else:
                loss = criterion(forward(xb), y_train[idx])
            losses[i] = loss.detach()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            iteration += 1
        epoch_losses = losses.cpu().numpy()
        if not np.all(np.isfinite(epoch_losses)):
            raise ScriptError(f"the loss became NaN or infinite in epoch {epoch}: training "
                              f"diverged; lower optim.lr (now {optim['lr']})")
        train_loss = float(np.dot(epoch_losses, weights))
        if procs.distributed:  # the mean over all processes' shares
            total = torch.tensor([train_loss], dtype=torch.float64, device=device)
            dist.all_reduce(total)
            train_loss = float(total) / procs.world
        model.eval()  # no Dropout; BatchNorm's running statistics (train() again next epoch)
        val_loss, val_acc = evaluate(model, x_val, y_val, criterion, classification)
        lr = opt.param_groups[0]["lr"]
        if isinstance(sched, torch.optim.lr_scheduler.ReduceLROnPlateau):
            sched.step(val_loss if val_loss is not None else train_loss)
        elif sched is not None:
            sched.step()
        if val_loss is not None and val_loss < best_loss - min_delta:
            best_loss, best_epoch, bad_epochs = val_loss, epoch, 0
            if keep_best:
                best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        elif val_loss is not None:
            bad_epochs += 1
        result = EpochResult(epoch, train_loss, val_loss, val_acc, lr,
                             time.perf_counter() - t_epoch)
        history.append(result)
        line = f"epoch {epoch:>4}/{epochs}  train loss {train_loss:.4f}"
        if val_loss is not None:
            line += f"  val loss {val_loss:.4f}"
        if val_acc is not None:
            line += f"  val acc {val_acc:.2%}"
        say(line + f"  ({result.seconds:.2f} s)")
        stop = bool(patience and bad_epochs >= patience)
        if procs.distributed:  # every process must stop at the same epoch: rank 0 decides
            flag = torch.tensor([int(stop)], device=device)
            dist.broadcast(flag, 0)
            stop = bool(flag.item())
        if stop:
            say(f"Early stop: validation loss has not improved for {patience} epochs "
                f"(best epoch {best_epoch}).")
            break
    if restore_best and best_state is not None and best_epoch != epoch:
        model.load_state_dict(best_state)
        restored = True
        say(f"Kept the weights of epoch {best_epoch}, the best validation loss "
            f"({best_loss:.4f}).")
    last = next(e for e in history if e.epoch == best_epoch) if restored else history[-1]
    summary = {
        "dataset": data.name, "epochs": epoch, "iterations": iteration,
        "seconds": round(time.perf_counter() - t_run, 3), "device": procs.device_name,
        "best_epoch": best_epoch, "train_loss": last.train_loss, "val_loss": last.val_loss,
        "val_accuracy": last.val_accuracy, "train_samples": len(data.x_train),
        "val_samples": len(data.x_val), "weights_epoch": best_epoch if restored else epoch,
    }
    return model, data, history, summary


# == the model file =============================================================================

def wbm_bytes(model: nn.Module, data: Prepared, config: dict[str, Any],
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
    except (ScriptError, DataError) as exc:
        print(f"{Path(sys.argv[0]).name}: {exc}", file=sys.stderr)
        return 2
    finally:
        if procs is not None and procs.distributed and dist.is_initialized():
            dist.destroy_process_group()
    return 0


# == Workbench's own code =======================================================================
# @WORKBENCH_CODE@ (the export copies the definitions imported from workbench at the top here)


if __name__ == "__main__":
    sys.exit(main())
