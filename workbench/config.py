"""Training configuration: frozen dataclasses, validation, TOML read/write.

This module imports neither torch nor Qt: the window, the CLI and the engine all share it.
Validation returns *every* problem at once; each names the field, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

import tomli_w

from workbench.errors import WorkbenchError


class ConfigError(WorkbenchError, ValueError):
    """One or more configuration problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem] | list[str]):
        self.problems = [p if isinstance(p, Problem) else Problem("", str(p)) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Problem:
    """A single validation problem: the dotted field name and a message for people.

    ``template`` is the message with ``{name}`` placeholders and ``params`` fill them in, so a
    window can show the message translated (with the field's label for ``name``); both are
    empty for a message written out in full.
    """

    field: str
    message: str
    template: str = field(default="", compare=False)
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return self.message


def _problem(name: str, template: str, /, **params: Any) -> Problem:
    """The problem of field ``name`` whose message is ``template`` filled in with ``params``."""
    return Problem(name, template.format(**params), template, params)


class StrEnum(str, Enum):
    def __str__(self) -> str:
        return self.value


class Optimizer(StrEnum):
    SGD = "sgd"
    MOMENTUM = "momentum"
    RMSPROP = "rmsprop"
    ADAM = "adam"
    ADAMW = "adamw"


class Activation(StrEnum):
    RELU = "relu"
    LEAKY_RELU = "leaky_relu"
    ELU = "elu"
    GELU = "gelu"
    SILU = "silu"
    MISH = "mish"
    TANH = "tanh"
    SIGMOID = "sigmoid"
    SOFTPLUS = "softplus"


class Norm(StrEnum):
    NONE = "none"
    BATCH = "batch"
    LAYER = "layer"


class Pooling(StrEnum):
    MAX = "max"
    AVG = "avg"


class ModelKind(StrEnum):
    MLP = "mlp"
    CNN = "cnn"


class Schedule(StrEnum):
    NONE = "none"
    STEP = "step"
    COSINE = "cosine"
    PLATEAU = "plateau"


class Task(StrEnum):
    AUTO = "auto"  # text targets are classes; numbers are regression unless few whole values
    CLASSIFICATION = "classification"
    REGRESSION = "regression"


class Imbalance(StrEnum):
    NONE = "none"
    OVERSAMPLE = "oversample"
    UNDERSAMPLE = "undersample"


SYNTHETIC_DATASETS = ("spiral", "moons", "circles", "xor", "blobs")
BUNDLED_DATASETS = ("digits", "iris", "wine", "breast_cancer", "diabetes")
BUILTIN_DATASETS = SYNTHETIC_DATASETS + BUNDLED_DATASETS
FILE_DATASETS = ("csv", "images")
# Points a person paints on the plane (``DataConfig.points``), 2 to MAX_DRAW_CLASSES classes.
DRAW_DATASET = "draw"
DATASETS = BUILTIN_DATASETS + FILE_DATASETS + (DRAW_DATASET,)
MAX_DRAW_CLASSES = 5
MAX_DRAW_POINTS = 5000
MIN_DRAW_POINTS = 4


@dataclass(frozen=True)
class AugmentConfig:
    """Image augmentation, applied to the training split only."""

    hflip: bool = False
    crop: float = 1.0  # fraction of the image kept by a random crop; 1.0 = off
    rotation: float = 0.0  # degrees, +/-; 0 = off
    jitter: float = 0.0  # brightness/contrast jitter strength; 0 = off

    @property
    def enabled(self) -> bool:
        return self.hflip or self.crop < 1.0 or self.rotation > 0 or self.jitter > 0


@dataclass(frozen=True)
class DataConfig:
    dataset: str = "spiral"
    samples: int = 1000  # synthetic sets only
    noise: float = 0.15  # synthetic sets only
    classes: int = 2  # spiral arms / blob centres
    csv_path: str = ""
    target: str = ""  # CSV target column; "" = last column
    sheet: str = ""  # Excel workbooks: the sheet to read; "" = the first
    task: Task = Task.AUTO
    # Column roles the person chose (names); every other column's role is inferred.
    categorical: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    na_values: tuple[str, ...] = ()  # cell texts that mean "missing"; () = the usual ones
    image_dir: str = ""
    image_size: int = 28
    grayscale: bool = True
    val_split: float = 0.2
    shuffle: bool = True
    normalize: bool = True
    imbalance: Imbalance = Imbalance.NONE
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    # The draw set only: the painted points as (x, y, class), in the order they were painted.
    points: tuple[tuple[float, float, int], ...] = ()


@dataclass(frozen=True)
class ModelConfig:
    kind: ModelKind = ModelKind.MLP
    hidden: tuple[int, ...] = (64, 64)
    activation: Activation = Activation.RELU
    leaky_slope: float = 0.01
    input_dropout: float = 0.0
    dropout: float = 0.0  # hidden layers
    dropout_per_layer: tuple[float, ...] = ()  # overrides ``dropout`` when given, one per layer
    norm: Norm = Norm.NONE
    channels: tuple[int, ...] = (16, 32)  # CNN only
    kernel_size: int = 3
    pooling: Pooling = Pooling.MAX

    def hidden_dropouts(self) -> tuple[float, ...]:
        if self.dropout_per_layer:
            return tuple(self.dropout_per_layer)
        return tuple(self.dropout for _ in self.hidden)


@dataclass(frozen=True)
class OptimConfig:
    optimizer: Optimizer = Optimizer.ADAM
    lr: float = 0.01
    momentum: float = 0.9
    nesterov: bool = False
    weight_decay: float = 0.0
    schedule: Schedule = Schedule.NONE
    step_size: int = 10  # epochs, for the step schedule
    gamma: float = 0.5  # factor for step and plateau schedules
    plateau_patience: int = 3


@dataclass(frozen=True)
class RunConfig:
    epochs: int = 30
    batch_size: int = 32
    drop_last: bool = False
    patience: int = 0  # early stopping on validation loss; 0 = off
    min_delta: float = 0.0
    restore_best: bool = True
    device: str = "auto"
    seed: int = 0
    threads: int = 0  # intra-op threads for CPU training; 0 = chosen by the engine
    compile: bool = False  # torch.compile the model (pays off on GPUs for long runs)
    amp: bool = False  # bfloat16 autocast for the training forward pass (mixed precision)


@dataclass(frozen=True)
class TrainConfig:
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    run: RunConfig = field(default_factory=RunConfig)

    # -- convenience -------------------------------------------------------------------
    def with_changes(self, **sections: dict[str, Any]) -> TrainConfig:
        """Return a copy with fields changed per section: ``with_changes(run={"epochs": 5})``."""
        updated = {}
        for name, changes in sections.items():
            updated[name] = replace(getattr(self, name), **changes)
        return replace(self, **updated)

    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        problems: list[Problem] = []
        cfg = _from_plain(cls, data, "", problems)
        if problems:
            raise ConfigError(problems)
        return cfg

    def validate(self, n_train: int | None = None) -> list[Problem]:
        return validate(self, n_train)

    def check(self, n_train: int | None = None) -> TrainConfig:
        problems = self.validate(n_train)
        if problems:
            raise ConfigError(problems)
        return self


# -- plain dict conversion --------------------------------------------------------------

def _to_plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: _to_plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, tuple):
        return [_to_plain(v) for v in obj]
    return obj


_SECTION_TYPES = {
    "data": DataConfig,
    "model": ModelConfig,
    "optim": OptimConfig,
    "run": RunConfig,
    "augment": AugmentConfig,
}


def _field_types(cls: type) -> dict[str, Any]:
    defaults = cls()
    return {f.name: getattr(defaults, f.name) for f in fields(cls)}


def _from_plain(cls: type, data: Any, prefix: str, problems: list[Problem]) -> Any:
    where = prefix.rstrip(".")
    if not isinstance(data, dict):
        if where:
            problems.append(_problem(where, "{name} must be a table of settings, not {value!r}.",
                                     name=where, value=data))
        else:
            problems.append(_problem(where, "The configuration must be a table of settings, "
                                     "not {value!r}.", value=data))
        return cls()
    defaults = _field_types(cls)
    unknown = sorted(set(data) - set(defaults))
    if unknown:
        known = ", ".join(sorted(defaults))
        names = ", ".join(f"{prefix}{k}" for k in unknown)
        problems.append(_problem(prefix + unknown[0],
                                 "Unknown setting(s) {names}; known here: {known}.",
                                 names=names, known=known))
    kwargs: dict[str, Any] = {}
    for name, default in defaults.items():
        if name not in data:
            continue
        value = data[name]
        full = prefix + name
        if dataclasses.is_dataclass(default):
            kwargs[name] = _from_plain(type(default), value, full + ".", problems)
            continue
        converted = _convert(value, default, full, problems)
        if converted is not _INVALID:
            kwargs[name] = converted
    return cls(**kwargs)


_INVALID = object()
# Settings that are lists of names or texts, not of numbers.
STRING_LISTS = frozenset({"data.categorical", "data.numeric", "data.dates", "data.ignore",
                          "data.na_values"})


def _convert(value: Any, default: Any, name: str, problems: list[Problem]) -> Any:
    try:
        if isinstance(default, Enum):
            try:
                return type(default)(str(value).lower())
            except ValueError:
                allowed = ", ".join(m.value for m in type(default))
                problems.append(_problem(name, "{name} = {value!r} is not known; use one of "
                                         "{allowed}.", name=name, value=value, allowed=allowed))
                return _INVALID
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
                return value.lower() in ("true", "yes", "1")
            raise TypeError
        if isinstance(default, int):
            if isinstance(value, bool):
                raise TypeError
            if isinstance(value, float) and not value.is_integer():
                raise TypeError
            return int(value)
        if isinstance(default, float):
            if isinstance(value, bool):
                raise TypeError
            return float(value)
        if isinstance(default, str):
            if not isinstance(value, (str, int, float)):
                raise TypeError
            return str(value)
        if name == "data.points":
            return _convert_points(value)
        if isinstance(default, tuple) and name in STRING_LISTS:
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",")]
                value = [v for v in value if v] if name != "data.na_values" else value
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise TypeError
            return tuple(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                value = [v for v in value.replace(" ", "").split(",") if v]
            if not isinstance(value, (list, tuple)):
                raise TypeError
            elem_type = float if name.endswith("dropout_per_layer") else int
            out = []
            for v in value:
                if isinstance(v, bool):
                    raise TypeError
                if elem_type is int and isinstance(v, float) and not v.is_integer():
                    raise TypeError
                out.append(elem_type(v))
            return tuple(out)
    except (TypeError, ValueError):
        problems.append(_wrong_type(name, value, default))
        return _INVALID
    return value


def _convert_points(value: Any) -> tuple[tuple[float, float, int], ...]:
    """Painted points as [x, y, class] triples (TOML arrays); TypeError for anything else."""
    if not isinstance(value, (list, tuple)) or len(value) > MAX_DRAW_POINTS:
        raise TypeError
    out = []
    for point in value:
        if not isinstance(point, (list, tuple)) or len(point) != 3:
            raise TypeError
        x, y, label = point
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in point):
            raise TypeError
        if isinstance(label, float) and not label.is_integer():
            raise TypeError
        out.append((float(x), float(y), int(label)))
    return tuple(out)


def _wrong_type(name: str, value: Any, default: Any) -> Problem:
    """A value of the wrong kind; one whole sentence per kind, so each translates as one."""
    if isinstance(default, bool):
        return _problem(name, "{name} = {value!r} is not true or false.", name=name, value=value)
    if isinstance(default, int):
        return _problem(name, "{name} = {value!r} is not a whole number.", name=name,
                        value=value)
    if isinstance(default, float):
        return _problem(name, "{name} = {value!r} is not a number.", name=name, value=value)
    if isinstance(default, tuple) and name in STRING_LISTS:
        return _problem(name, "{name} = {value!r} is not a list of column names.", name=name,
                        value=value)
    if isinstance(default, tuple):
        return _problem(name, "{name} = {value!r} is not a list of numbers such as 64,64.",
                        name=name, value=value)
    return _problem(name, "{name} = {value!r} is not text.", name=name, value=value)


# -- validation ---------------------------------------------------------------------------

def _bad_number(x: float) -> bool:
    return isinstance(x, float) and (math.isnan(x) or math.isinf(x))


def _range_problem(name: str, value: float, lo: float, hi: float, lo_open: bool,
                   hi_open: bool) -> Problem:
    """``value`` outside its range: one whole sentence for each kind of bound."""
    values = {"name": name, "value": value, "lo": lo, "hi": hi}
    if lo_open and hi_open:
        return _problem(name, "{name} = {value:g} is not allowed: use a value above {lo:g} and "
                        "below {hi:g}.", **values)
    if lo_open:
        return _problem(name, "{name} = {value:g} is not allowed: use a value above {lo:g} and "
                        "at most {hi:g}.", **values)
    if hi_open:
        return _problem(name, "{name} = {value:g} is not allowed: use a value at least {lo:g} "
                        "and below {hi:g}.", **values)
    return _problem(name, "{name} = {value:g} is not allowed: use a value at least {lo:g} and "
                    "at most {hi:g}.", **values)


def _check_val_split(value: float) -> list[Problem]:
    """The validation split says what 0 means, as people often try it."""
    name = "data.val_split"
    if _bad_number(value):
        return [_problem(name, "{name} = {value} is not a number (0 means no validation "
                         "split).", name=name, value=value)]
    if 0.0 <= value <= 0.9:
        return []
    return [_problem(name, "{name} = {value:g} is not allowed: use a value at least {lo:g} and "
                     "at most {hi:g} (0 means no validation split).", name=name, value=value,
                     lo=0.0, hi=0.9)]


def _check_batch_size(batch_size: int, n_train: int | None) -> list[Problem]:
    name = "run.batch_size"
    if batch_size < 1 and n_train:
        return [_problem(name, "{name} = {value} is not allowed: use 1 to {n} (the training set "
                         "has {n} samples).", name=name, value=batch_size, n=n_train)]
    if batch_size < 1:
        return [_problem(name, "{name} = {value} is not allowed: use 1 to the training-set "
                         "size.", name=name, value=batch_size)]
    if n_train is not None and batch_size > n_train:
        return [_problem(name, "{name} = {value} is larger than the training set ({n} samples): "
                         "use 1 to {n}.", name=name, value=batch_size, n=n_train)]
    return []


# Limits a configuration (typed, loaded from TOML or stored in a model file) may not exceed.
MAX_LAYERS = 64  # hidden layers of an MLP
MAX_CONV_LAYERS = 16
MAX_HIDDEN_WEIGHTS = 200_000_000  # weights between hidden layers: 800 MB of float32
MAX_TEXT = 4096  # characters of a path or name
MAX_NAMES = 5000  # column names in one role list
MAX_TOML_BYTES = 1 * 2**20


def check_points(points: tuple[tuple[float, float, int], ...], classes: int) -> list[Problem]:
    """The painted points: enough of them, in two classes at least, finite, known classes."""
    name = "data.points"
    if len(points) > MAX_DRAW_POINTS:
        return [_problem(name, "The drawing has {count:,} points; Workbench trains on at most "
                         "{limit:,}. Remove some points.", count=len(points),
                         limit=MAX_DRAW_POINTS)]
    for i, (x, y, label) in enumerate(points):
        if _bad_number(x) or _bad_number(y) or not 0 <= label < max(classes, 1):
            return [_problem(name, "Point {index} of the drawing ({x}, {y}, class {label}) is "
                             "not a finite point of classes 0 to {last}.", index=i + 1, x=x,
                             y=y, label=label, last=max(classes, 1) - 1)]
    if len(points) < MIN_DRAW_POINTS:
        return [_problem(name, "The drawing has {count} points: paint at least {minimum}, in "
                         "at least two classes, before training.", count=len(points),
                         minimum=MIN_DRAW_POINTS)]
    if len({label for _, _, label in points}) < 2:
        return [_problem(name, "The drawing has points of one class only: choose another "
                         "class and paint some of its points too.")]
    return []


class _Checker:
    """Collects the problems of one configuration: ``add`` one, or check a number's range."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, name: str, template: str, **params: Any) -> None:
        self.problems.append(_problem(name, template, name=name, **params))

    def number_range(self, name: str, value: float, lo: float, hi: float, *,
                     lo_open: bool = False, hi_open: bool = False) -> None:
        if _bad_number(value):
            self.add(name, "{name} = {value} is not a number.", value=value)
            return
        below = value <= lo if lo_open else value < lo
        above = value >= hi if hi_open else value > hi
        if below or above:
            self.problems.append(_range_problem(name, value, lo, hi, lo_open, hi_open))


def validate(cfg: TrainConfig, n_train: int | None = None) -> list[Problem]:
    """Every problem in ``cfg`` at once. ``n_train``: training-set size, when known."""
    c = _Checker()
    _check_data(c, cfg.data)
    _check_model(c, cfg.model)
    _check_optim(c, cfg.optim)
    _check_run(c, cfg, n_train)
    return c.problems


def _check_data(c: _Checker, d: DataConfig) -> None:
    if d.dataset not in DATASETS:
        c.add("data.dataset", "{name} = {value!r} is not known; use one of {allowed}.",
              value=d.dataset, allowed=", ".join(DATASETS))
    if d.dataset == "csv" and not d.csv_path:
        c.add("data.csv_path", "{name} is empty: name the CSV file to train on.")
    if d.dataset == "images" and not d.image_dir:
        c.add("data.image_dir", "{name} is empty: name the folder of class sub-folders.")
    if d.dataset in SYNTHETIC_DATASETS:  # the only sets these size (also in a model file)
        c.number_range("data.samples", d.samples, 10, 1_000_000)
        c.number_range("data.noise", d.noise, 0.0, 5.0)
        c.number_range("data.classes", d.classes, 2, 10)
    if d.dataset == DRAW_DATASET:
        c.number_range("data.classes", d.classes, 2, MAX_DRAW_CLASSES)
        c.problems.extend(check_points(d.points, d.classes))
    for key in ("csv_path", "image_dir", "target", "sheet"):
        if len(getattr(d, key)) > MAX_TEXT:
            c.add(f"data.{key}", "{name} is {length} characters long: use at most {limit}.",
                  length=len(getattr(d, key)), limit=MAX_TEXT)
    for key in ("categorical", "numeric", "dates", "ignore", "na_values"):
        names = getattr(d, key)
        if len(names) > MAX_NAMES or any(len(n) > MAX_TEXT for n in names):
            c.add(f"data.{key}", "{name} lists {count} names: use at most {limit}, each at most "
                  "{length} characters.", count=len(names), limit=MAX_NAMES, length=MAX_TEXT)
    c.number_range("data.image_size", d.image_size, 4, 512)
    c.problems.extend(_check_val_split(d.val_split))
    c.number_range("data.augment.crop", d.augment.crop, 0.5, 1.0)
    c.number_range("data.augment.rotation", d.augment.rotation, 0.0, 180.0)
    c.number_range("data.augment.jitter", d.augment.jitter, 0.0, 1.0)


def _check_model(c: _Checker, m: ModelConfig) -> None:
    # no hidden layers is allowed: a linear model
    if len(m.hidden) > MAX_LAYERS:
        c.add("model.hidden", "{name} has {layers} layers: use at most {limit}.",
              layers=len(m.hidden), limit=MAX_LAYERS)
    weights = sum(a * b for a, b in zip(m.hidden, m.hidden[1:], strict=False))
    if weights > MAX_HIDDEN_WEIGHTS:
        c.add("model.hidden", "{name}: these layers have {millions:,} million weights between "
              "them; Workbench trains networks of up to {limit:,} million. Use fewer or smaller "
              "layers.", millions=weights // 10**6, limit=MAX_HIDDEN_WEIGHTS // 10**6)
    for i, h in enumerate(m.hidden):
        if h < 1 or h > 65536:
            c.add("model.hidden", "{name} layer {layer} has {units} units: use 1 to 65536.",
                  layer=i + 1, units=h)
    c.number_range("model.input_dropout", m.input_dropout, 0.0, 1.0, hi_open=True)
    c.number_range("model.dropout", m.dropout, 0.0, 1.0, hi_open=True)
    if m.dropout_per_layer:
        if len(m.dropout_per_layer) != len(m.hidden):
            c.add("model.dropout_per_layer", "{name} has {rates} rates for {layers} hidden "
                  "layers: give one rate per layer.", rates=len(m.dropout_per_layer),
                  layers=len(m.hidden))
        for i, rate in enumerate(m.dropout_per_layer):
            c.number_range(f"model.dropout_per_layer[{i + 1}]", rate, 0.0, 1.0, hi_open=True)
    c.number_range("model.leaky_slope", m.leaky_slope, 0.0, 1.0, lo_open=True, hi_open=True)
    if m.kind == ModelKind.CNN:
        if not m.channels:
            c.add("model.channels", "{name} is empty: a CNN needs at least one layer.")
        if len(m.channels) > MAX_CONV_LAYERS:
            c.add("model.channels", "{name} has {layers} layers: use at most {limit}.",
                  layers=len(m.channels), limit=MAX_CONV_LAYERS)
        for i, filters in enumerate(m.channels):
            if filters < 1 or filters > 4096:
                c.add("model.channels", "{name} layer {layer} has {filters} filters: use 1 to "
                      "4096.", layer=i + 1, filters=filters)
        if m.kernel_size < 1 or m.kernel_size > 15 or m.kernel_size % 2 == 0:
            c.add("model.kernel_size", "{name} = {value} is not allowed: use an odd size 1 to 15.",
                  value=m.kernel_size)


def _check_optim(c: _Checker, o: OptimConfig) -> None:
    c.number_range("optim.lr", o.lr, 0.0, 100.0, lo_open=True)
    c.number_range("optim.momentum", o.momentum, 0.0, 1.0, hi_open=True)
    c.number_range("optim.weight_decay", o.weight_decay, 0.0, 1.0)
    if o.step_size < 1:
        c.add("optim.step_size", "{name} = {value} is not allowed: use 1 or more epochs.",
              value=o.step_size)
    c.number_range("optim.gamma", o.gamma, 0.0, 1.0, lo_open=True)
    if o.plateau_patience < 0:
        c.add("optim.plateau_patience", "{name} must be 0 or more epochs.")
    if o.nesterov and o.optimizer != Optimizer.MOMENTUM:
        c.add("optim.nesterov", "{name} needs {other} = momentum.", other="optim.optimizer")


def _check_run(c: _Checker, cfg: TrainConfig, n_train: int | None) -> None:
    """The run's settings, and those that need a validation split."""
    d, o, r = cfg.data, cfg.optim, cfg.run
    if r.epochs < 1 or r.epochs > 100_000:
        c.add("run.epochs", "{name} = {value} is not allowed: use 1 to 100000.", value=r.epochs)
    c.problems.extend(_check_batch_size(r.batch_size, n_train))
    if r.patience < 0:
        c.add("run.patience", "{name} = {value} is not allowed: use 0 (off) or more epochs.",
              value=r.patience)
    if r.patience > 0 and d.val_split == 0:
        c.add("run.patience", "{name} needs a validation split: set {other} above 0.",
              other="data.val_split")
    if o.schedule == Schedule.PLATEAU and d.val_split == 0:
        c.add("optim.schedule", "{name} = plateau needs a validation split above 0.")
    c.number_range("run.min_delta", r.min_delta, 0.0, 1e9)
    dev = r.device
    if not (dev in ("auto", "cpu", "mps", "cuda") or
            (dev.startswith("cuda:") and dev[5:].isdigit())):
        c.add("run.device", "{name} = {value!r} is not known; use auto, cpu, mps, cuda or cuda:N.",
              value=dev)
    if r.seed < 0 or r.seed > 2**63 - 1:
        c.add("run.seed", "{name} = {value} is not allowed: use 0 or a positive number.",
              value=r.seed)
    if r.threads < 0 or r.threads > 1024:
        c.add("run.threads", "{name} = {value} is not allowed: use 0 (automatic) or 1 to 1024.",
              value=r.threads)


def iterations_per_epoch(n_train: int, batch_size: int, drop_last: bool = False) -> tuple[int, int]:
    """``(iterations, last_batch_size)`` for one epoch; the concept panel and engine share it."""
    if batch_size < 1 or n_train < 1:
        return 0, 0
    full, rest = divmod(n_train, batch_size)
    if drop_last or rest == 0:
        return full, batch_size if full else 0
    return full + 1, rest


# -- TOML ---------------------------------------------------------------------------------

def _file_problem(template: str, /, **params: Any) -> ConfigError:
    return ConfigError([_problem("", template, **params)])


# A key of more parts than this ("[a.b.c...]", "a.b.c = 1") is refused before parsing:
# the TOML reader takes time quadratic in a key's length (100,000 parts: minutes), and a
# Workbench configuration's keys have at most three parts.
MAX_TOML_KEY_PARTS = 64
_KEY_PART = r"""(?:[A-Za-z0-9_-]++|"[^"\n]*+"|'[^'\n]*+')"""
_LONG_KEY = re.compile(rf"(?:{_KEY_PART}[ \t]*+\.[ \t]*+){{{MAX_TOML_KEY_PARTS}}}")


def _check_key_lengths(path: Path, text: str) -> None:
    if _LONG_KEY.search(text):
        raise _file_problem("Configuration file {path} has a key of more than {limit} parts; "
                            "a Workbench configuration's keys have at most three.", path=path,
                            limit=MAX_TOML_KEY_PARTS)


def load_toml(path: str | Path) -> TrainConfig:
    import stat

    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device may never end; a folder is not a file.
            raise _file_problem("Configuration file {path} is not a regular file. Choose a "
                                ".toml file.", path=path)
        if info.st_size > MAX_TOML_BYTES:
            raise _file_problem("Configuration file {path} is {size:,} bytes; a configuration "
                                "is at most {limit:,}.", path=path, size=info.st_size,
                                limit=MAX_TOML_BYTES)
        with path.open("rb") as fh:
            text = fh.read(MAX_TOML_BYTES + 1).decode("utf-8-sig")
    except FileNotFoundError:
        raise _file_problem("Configuration file {path} does not exist.", path=path) from None
    except UnicodeDecodeError:
        raise _file_problem("Configuration file {path} is not UTF-8 text.", path=path) from None
    except OSError as exc:
        raise _file_problem("Cannot read configuration file {path}: {reason}.", path=path,
                            reason=exc.strerror) from None
    _check_key_lengths(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _file_problem("Configuration file {path} is not valid TOML: {reason}.", path=path,
                            reason=exc) from None
    except (RecursionError, MemoryError):
        raise _file_problem("Configuration file {path} nests its tables or lists too deeply "
                            "to be a Workbench configuration.", path=path) from None
    return TrainConfig.from_dict(data)


def dumps_toml(cfg: TrainConfig) -> str:
    return tomli_w.dumps(cfg.to_dict())


def save_toml(cfg: TrainConfig, path: str | Path) -> None:
    from workbench.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), dumps_toml(cfg).encode("utf-8"))
