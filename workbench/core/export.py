"""Exports of a trained model: ONNX, PyTorch-native (``torch.export``, ``.pt2``) and a
standalone training script.

Every export is checked before it counts as done, and nothing is left on disk when a check
fails: the file is built in memory (or, for the script, in memory and then executed in part),
compared with the model it came from, and only then written atomically.

- ONNX: raw features in, normalisation folded into the graph (a Sub and a Div in front of the
  network). A model trained on a table takes its raw columns instead, one input each (numbers
  as float32 with NaN for missing, categories as strings, dates as float32 parts), with the
  fitted imputation and one-hot encoding in the graph before the normalisation. Classifiers
  give two outputs, ``logits`` and ``probabilities`` (softmax); regression models one,
  ``prediction``, in the target's own units. Feature names, class names, task, input shape, normalisation
  statistics and the Workbench version are in the model's ``metadata_props``. Checked with
  ``onnx.checker`` and with ONNX Runtime against PyTorch on real rows.
- ``.pt2``: the same raw-input module through ``torch.export``, with the configuration and the
  names in ``extra_files``; checked by loading it back and comparing outputs. Text cannot
  enter a torch program, so for a table model it takes the preprocessed inputs and carries
  the fitted preprocessing as ``preprocess.json``.
- Script: ``train.py`` plus the ``train.toml`` it reads. Checked by compiling it and running its
  data preparation and model construction against Workbench's own.

Nothing here touches Qt: the window calls these functions from a worker thread (an export takes
seconds) and shows the returned ``ExportResult``. Exports run one at a time (a lock), because
silencing the exporters' output swaps process-wide state (warning filters, log levels, stdout).
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import math
import os
import sys
import threading
import time
import types
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench import __version__
from workbench.atomic import DISK_FULL, IS_FOLDER, NOT_ALLOWED, atomic_write_bytes, write_failure
from workbench.config import BUILTIN_DATASETS, dumps_toml
from workbench.core.data.tables import Table, parse_dates
from workbench.core.modelfile import TrainedModel, load_model
from workbench.core.preprocess import TablePreprocessor, _date_parts, _numbers, _texts
from workbench.errors import WorkbenchError

__all__ = [
    "EXPORT_FORMATS",
    "TOLERANCE",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "RawInputModel",
    "default_export_path",
    "export_model",
    "export_onnx",
    "export_pt2",
    "export_script",
]

# ONNX Runtime and the exported program must agree with PyTorch this closely. Outputs larger
# than 1 in size (regression values, big logits) are compared relative to their size, since
# float32 itself cannot resolve 1e-5 there: |exported - pytorch| <= TOLERANCE * max(1, |pytorch|).
TOLERANCE = 1e-5
# Rows of real data compared at most, plus this many random rows around the training data.
_MAX_REAL_ROWS = 512
_RANDOM_ROWS = 64
_CHECK_SEED = 20240531

_LOCK = threading.Lock()
log = logging.getLogger(__name__)

# Loggers of the exporters that report progress and skipped optional pieces (torchvision
# operators, graph passes); raised above CRITICAL for the length of an export.
_NOISY_LOGGERS = ("torch.onnx", "torch.export", "torch._export", "torch._dynamo", "torch.fx",
                  "torch._inductor", "torch._subclasses", "onnxscript", "onnx_ir")


class ExportError(WorkbenchError):
    """An export cannot be made or did not pass its check; nothing was written."""


@dataclass(frozen=True)
class ExportFormat:
    """One export kind, for menus and file dialogs."""

    key: str  # "onnx", "pt2", "script": what export_model and the CLI take
    label: str  # for people
    suffix: str  # file name ending, with the dot
    description: str


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("onnx", "ONNX model", ".onnx",
                 "For ONNX Runtime and other ONNX tools; takes raw features (table models: "
                 "the raw columns)."),
    ExportFormat("pt2", "PyTorch program", ".pt2",
                 "For inference in PyTorch (torch.export.load); takes raw features (table "
                 "models: the preprocessed inputs, with the preprocessing alongside)."),
    ExportFormat("script", "Training script", ".py",
                 "train.py + train.toml: repeats the run with plain PyTorch, also under "
                 "torchrun on many processes or machines."),
)
_FORMATS = {f.key: f for f in EXPORT_FORMATS}


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote and how it was checked; ``message()`` is one line for people."""

    format: str
    path: Path  # the main file (the script, for a script export)
    files: tuple[Path, ...]  # every file written
    seconds: float  # wall time, checks included
    rows_checked: int = 0  # inputs compared (ONNX / .pt2), or data rows compared (script)
    max_abs_diff: float | None = None  # largest |exported - PyTorch| over all outputs
    tolerance: float | None = None
    inputs: tuple[str, ...] = ()  # input names of the exported graph
    outputs: tuple[str, ...] = ()  # output names, in order
    checks: tuple[str, ...] = field(default=())  # each check that passed, one sentence each

    def message(self) -> str:
        size = sum(f.stat().st_size for f in self.files if f.exists())
        kind = _FORMATS[self.format].label
        text = f"Exported {self.path} ({kind}, {_size_text(size)}, {self.seconds:.1f} s)"
        if self.max_abs_diff is not None:
            text += (f"; on {self.rows_checked:,} rows its answers match Workbench's own "
                     f"(largest difference {_plain(self.max_abs_diff)})")
        elif self.checks:
            text += "; " + self.checks[0][0].lower() + self.checks[0][1:].rstrip(".")
        return text + "."


def _diff_text(diff: float) -> str:
    return (f"largest difference {_plain(diff)}; allowed {_plain(TOLERANCE)}, relative for "
            "outputs larger than 1")


def _plain(value: float) -> str:
    """``value`` to two significant digits in plain decimals: 0.0000003, not 3e-07."""
    if not math.isfinite(value):
        return str(value)
    text = format(Decimal(f"{value:.2g}"), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _size_text(n: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"  # pragma: no cover - the loop always returns


# -- the module that is exported -------------------------------------------------------------

class RawInputModel(nn.Module):
    """The network with its normalisation in front: raw features in, results out.

    Classifiers return ``(logits, probabilities)``; regression models return the prediction in
    the target's own units, shape (N, 1): the network predicts the standardised target, so its
    output is multiplied by ``target_std`` and ``target_mean`` is added. Exported graphs
    therefore need nothing from Workbench to be used.
    """

    def __init__(self, network: nn.Module, mean: np.ndarray, std: np.ndarray,
                 classification: bool, target_mean: float = 0.0,
                 target_std: float = 1.0) -> None:
        super().__init__()
        self.network = network
        self.register_buffer("mean", torch.tensor(np.asarray(mean, dtype=np.float32)))
        self.register_buffer("std", torch.tensor(np.asarray(std, dtype=np.float32)))
        self.classification = classification
        if not classification:
            self.register_buffer("target_mean", torch.tensor(float(target_mean),
                                                             dtype=torch.float32))
            self.register_buffer("target_std", torch.tensor(float(target_std),
                                                            dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> Any:
        logits = self.network((x - self.mean) / self.std)
        if self.classification:
            return logits, torch.softmax(logits, dim=1)
        return logits * self.target_std + self.target_mean


def _raw_input_model(model: TrainedModel) -> RawInputModel:
    # A copy: exporting must not move, retype or switch the mode of the window's model.
    network = copy.deepcopy(model.module).cpu().float().eval()
    return RawInputModel(network, model.mean, model.std, model.task == "classification",
                         model.target_mean, model.target_std).eval()


def _io_names(model: TrainedModel, fmt: str = "pt2") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Input and output names of an export; an ONNX export of a table model takes its raw
    columns (one input each), every other export the network's numeric inputs."""
    outputs = ("logits", "probabilities") if model.task == "classification" else ("prediction",)
    if fmt == "onnx" and model.preprocess is not None:
        return tuple(r.name for r in _raw_inputs(model.preprocess, outputs)), outputs
    inputs = ("images",) if len(model.input_shape) == 3 else ("features",)
    return inputs, outputs


# -- public entry points ---------------------------------------------------------------------

def default_export_path(model_path: str | Path, fmt: str) -> Path:
    """Where an export of ``model_path`` goes unless told otherwise: beside it, same stem."""
    spec = _format(fmt)
    path = Path(model_path)
    if spec.key == "script":
        return path.with_name(f"{path.stem}_train.py")
    return path.with_suffix(spec.suffix)


def export_model(model: TrainedModel | str | Path, out: str | Path, fmt: str, *,
                 sample: np.ndarray | Table | None = None) -> ExportResult:
    """Export in the format ``fmt`` ("onnx", "pt2" or "script"); see the functions below."""
    spec = _format(fmt)
    if spec.key == "onnx":
        return export_onnx(model, out, sample=sample)
    if spec.key == "pt2":
        return export_pt2(model, out, sample=sample)
    return export_script(model, out)


def export_onnx(model: TrainedModel | str | Path, out: str | Path, *,
                sample: np.ndarray | Table | None = None) -> ExportResult:
    """Write a verified ONNX model of ``model`` (a TrainedModel or a .wbm path) to ``out``.

    ``sample``: rows to check with (for example the validation data the window holds): the
    network's inputs as an array, or, for a model trained on a table, also raw table rows
    (a ``Table``). Without it the built-in data set's validation rows are used where there is
    one (for a table model: the first rows of its training file, if it can still be read),
    plus seeded random rows spread like the training data.

    A model trained on a table takes its raw columns, one graph input per column (see
    ``_table_doc``); the check then feeds ONNX Runtime raw rows, with missing cells and unseen
    categories, and compares with the model's own preprocessing and prediction.
    """
    t0 = time.perf_counter()
    trained, name = _resolve_model(model)
    path = _target(out, "onnx", name)
    with _LOCK, _quiet():
        feed = None
        if trained.preprocess is not None:
            table = _check_table(trained, sample)
            x = trained.preprocess.transform(table)[0]
            feed = _onnx_feed(trained.preprocess, table, _raw_inputs(
                trained.preprocess, _io_names(trained)[1]))
        else:
            x = _reference_inputs(trained, sample)
        data, opset = _onnx_bytes(trained, x)
        diff, checks = _check_onnx(trained, data, x, feed)
    _write(path, data)
    inputs, outputs = _io_names(trained, "onnx")
    if feed is not None:
        compared = (f"ONNX Runtime on {len(x)} raw table rows (with missing cells and unseen "
                    f"categories) matches Workbench's preprocessing and PyTorch "
                    f"({_diff_text(diff)}).")
    else:
        compared = f"ONNX Runtime matches PyTorch on {len(x)} rows ({_diff_text(diff)})."
    checks = (compared, *checks, f"ONNX opset {opset}.")
    return ExportResult("onnx", path, (path,), time.perf_counter() - t0, len(x), diff,
                        TOLERANCE, inputs, outputs, checks)


def export_pt2(model: TrainedModel | str | Path, out: str | Path, *,
               sample: np.ndarray | Table | None = None) -> ExportResult:
    """Write a verified ``torch.export`` program (``.pt2``) with the settings in extra_files.

    Load it with ``torch.export.load(path, extra_files={"config.json": "",
    "workbench.json": ""}).module()``; it takes raw features like the ONNX export. A model
    trained on a table takes the network's numeric inputs (text cannot enter a torch program):
    its fitted preprocessing comes along as ``preprocess.json`` in extra_files, in the model
    file's format (``TablePreprocessor.from_dict`` reads it).
    """
    t0 = time.perf_counter()
    trained, name = _resolve_model(model)
    path = _target(out, "pt2", name)
    with _LOCK, _quiet():
        x = _reference_inputs(trained, sample)
        data = _pt2_bytes(trained, x)
        diff = _check_pt2(trained, data, x)
    _write(path, data)
    inputs, outputs = _io_names(trained)
    compared = f"The reloaded program matches PyTorch on {len(x)} rows ({_diff_text(diff)})."
    checks = (compared,
              "A batch of one row gives the same result (dynamic batch size).",
              "The settings come back from extra_files.")
    if trained.preprocess is not None:
        checks += (("The program takes the preprocessed numeric inputs; the table "
                    "preprocessing is in preprocess.json in extra_files."),)
    return ExportResult("pt2", path, (path,), time.perf_counter() - t0, len(x), diff,
                        TOLERANCE, inputs, outputs, checks)


def export_script(model: TrainedModel | str | Path, out: str | Path) -> ExportResult:
    """Write a standalone training script and the TOML settings it reads, side by side.

    ``out`` is the script (``train.py``; the settings go to ``train.toml``) or a folder (then
    ``train.py`` in it). Checked by compiling the script and comparing its data preparation
    (bit for bit, where the data can be loaded here) and its network (layer names, shapes and
    seeded initial weights) with Workbench's own.
    """
    t0 = time.perf_counter()
    trained, _ = _resolve_model(model)
    path = _target(out, "script", "train")
    config_path = path.with_suffix(".toml")
    source = _script_source(trained)
    settings = dumps_toml(trained.config).encode("utf-8")
    with _LOCK:
        rows, checks = _check_script(trained, source, path)
    existed = config_path.exists()
    _write(config_path, settings)
    try:
        _write(path, source.encode("utf-8"))
    except ExportError:
        if not existed:  # leave nothing of a half-done export behind
            with contextlib.suppress(OSError):
                config_path.unlink()
        raise
    _make_executable(path)
    return ExportResult("script", path, (path, config_path), time.perf_counter() - t0, rows,
                        None, None, (), (), checks)


# -- inputs and outputs ----------------------------------------------------------------------

def _format(fmt: str) -> ExportFormat:
    spec = _FORMATS.get(str(fmt).lower().lstrip("."))
    if spec is None:
        raise ExportError.from_template("Unknown export format {fmt!r}: use {formats}.",
                                        fmt=fmt,
                                        formats=", ".join(f.key for f in EXPORT_FORMATS))
    return spec


def _resolve_model(model: TrainedModel | str | Path) -> tuple[TrainedModel, str]:
    if isinstance(model, TrainedModel):
        return model, str(model.summary.get("dataset") or "model")
    if isinstance(model, (str, Path)):
        return load_model(model), Path(model).stem  # ModelFileError says what is wrong
    raise ExportError.from_template("Cannot export {kind}: give a trained model or the path of "
                                    "a .wbm file.", kind=type(model).__name__)


def _target(out: str | Path, fmt: str, stem: str) -> Path:
    """The file to write; its folder must exist and be writable (checked before the work)."""
    spec = _format(fmt)
    if not str(out).strip():
        raise ExportError.from_template("No file name to export to: choose where to save the "
                                        "export.")
    path = Path(out).expanduser()
    if path.is_dir():
        name = "train.py" if spec.key == "script" else f"{_safe_stem(stem)}{spec.suffix}"
        path = path / name
    if spec.key == "script" and path.suffix.lower() != ".py":
        raise ExportError.from_template("A training script is a Python file: name it with .py, "
                                        "not {name!r} (its settings go next to it as .toml).",
                                        name=path.name)
    folder = path.parent
    if not folder.exists():
        raise ExportError.from_template("The folder {folder} does not exist. Create it or "
                                        "choose another place for the export.", folder=folder)
    if not folder.is_dir():
        raise ExportError.from_template("{folder} is a file, not a folder. Choose a folder for "
                                        "the export.", folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError.from_template("Workbench may not write in {folder}. Choose another "
                                        "folder, or check its permissions.", folder=folder)
    return path.resolve()


def _safe_stem(stem: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in stem).strip("._")
    return cleaned or "model"


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise _write_error(exc, path) from None


def _write_error(exc: OSError, path: Path) -> ExportError:
    """Why ``path`` could not be written, one whole sentence per cause (each is translated)."""
    where = {"file": path.name, "folder": path.parent}
    cause = write_failure(exc)
    if cause == DISK_FULL:
        return ExportError.from_template("{file} could not be written in {folder} (the disk is "
                                         "full). Choose another place for the export.", **where)
    if cause == NOT_ALLOWED:
        return ExportError.from_template("{file} could not be written in {folder} (Workbench may "
                                         "not write there). Choose another place for the "
                                         "export.", **where)
    if cause == IS_FOLDER:
        return ExportError.from_template("{file} could not be written in {folder} (a folder has "
                                         "that name). Choose another place for the export.",
                                         **where)
    return ExportError.from_template("{file} could not be written in {folder} ({reason}). "
                                     "Choose another place for the export.",
                                     reason=exc.strerror or str(exc), **where)


def _make_executable(path: Path) -> None:
    # chmod +x where reading is allowed, so ./train.py runs; a failure here is harmless.
    with contextlib.suppress(OSError):
        mode = path.stat().st_mode
        path.chmod(mode | ((mode & 0o444) >> 2))


@contextlib.contextmanager
def _quiet() -> Iterator[io.StringIO]:
    """No warnings, log lines or prints from the exporters reach the person exporting."""
    loggers = [logging.getLogger(name) for name in _NOISY_LOGGERS]
    levels = [lg.level for lg in loggers]
    sink = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(sink), \
            contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        for lg in loggers:
            lg.setLevel(logging.CRITICAL + 1)
        try:
            yield sink
        except BaseException:
            # What the exporter said may explain a failure: kept for the log, not shown.
            if sink.getvalue():
                log.debug("exporter output:\n%s", sink.getvalue())
            raise
        finally:
            for lg, level in zip(loggers, levels):
                lg.setLevel(level)


def _sample_rows(model: TrainedModel, sample: np.ndarray) -> np.ndarray:
    shape = tuple(model.input_shape)
    x = np.asarray(sample, dtype=np.float32)
    if x.shape[1:] != shape:
        raise ExportError.from_template("The rows to check the export with have shape "
                                        "{got}; the model takes {want}.",
                                        got="x".join(map(str, x.shape[1:])),
                                        want="x".join(map(str, shape)))
    return x[:_MAX_REAL_ROWS]


def _reference_inputs(model: TrainedModel, sample: np.ndarray | Table | None) -> np.ndarray:
    """Network inputs to compare on: real data where available, plus random rows like the
    data (for a table model also its check rows, preprocessed)."""
    shape = tuple(model.input_shape)
    parts: list[np.ndarray] = []
    if model.preprocess is not None and (sample is None or isinstance(sample, Table)):
        parts.append(model.preprocess.transform(_check_table(model, sample))[0])
    elif isinstance(sample, Table):
        raise ExportError.from_template("This model was not trained on a table, so it cannot "
                                        "be checked with table rows. Give rows of its inputs "
                                        "as an array, or no rows.")
    elif sample is not None:
        parts.append(_sample_rows(model, sample))
    elif model.config.data.dataset in BUILTIN_DATASETS:
        real = _builtin_validation_rows(model)
        if real is not None and real.shape[1:] == shape:
            parts.append(real[:_MAX_REAL_ROWS])
    rng = np.random.default_rng(_CHECK_SEED)
    noise = rng.standard_normal((_RANDOM_ROWS, *shape)).astype(np.float32)
    parts.append((model.mean + model.std * noise).astype(np.float32))
    return np.ascontiguousarray(np.concatenate(parts))


def _builtin_validation_rows(model: TrainedModel) -> np.ndarray | None:
    """The raw validation split of a built-in data set, regenerated from the model's settings."""
    from workbench.core import data as data_mod

    cfg = model.config
    try:
        ds = data_mod.load_dataset(cfg.data, cfg.run.seed)
        train, val = data_mod.split_indices(ds.y, ds.task, cfg.data.val_split, cfg.run.seed,
                                            cfg.data.shuffle)
    except Exception:  # noqa: BLE001 - e.g. scikit-learn missing: random rows still check
        return None
    return np.asarray(ds.x[val if len(val) else train], dtype=np.float32)


def _pytorch_outputs(model: TrainedModel, x: np.ndarray) -> list[np.ndarray]:
    module = _raw_input_model(model)
    with torch.no_grad():
        out = module(torch.from_numpy(x))
    return [t.numpy() for t in (out if isinstance(out, tuple) else (out,))]


def _largest_difference(got: Sequence[np.ndarray], want: Sequence[np.ndarray],
                        what: ExportError) -> float:
    """Largest absolute difference; ExportError if any output is off by more than allowed.

    ``what`` names what was compared ("ONNX model"): a phrase made from a template, so that a
    translated message names it in the same language.
    """
    if len(got) != len(want):
        raise ExportError.from_template("The {what} gives {got} outputs instead of {want}; the "
                                        "export is wrong and was not saved.", what=what,
                                        got=len(got), want=len(want))
    largest = 0.0
    for a, b in zip(got, want):
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        if a.shape != b.shape:
            raise ExportError.from_template("The {what} gives outputs of shape {got} instead "
                                            "of {want}; the export is wrong and was not saved.",
                                            what=what, got=a.shape, want=b.shape)
        if not np.all(np.isfinite(b)):
            raise ExportError.from_template("The model itself gives outputs that are not "
                                            "numbers (NaN or infinity) for the rows it was "
                                            "checked with, so it was not exported. Train it "
                                            "again, for example with a lower learning rate.")
        if not np.all(np.isfinite(a) == np.isfinite(b)):
            raise ExportError.from_template("The {what} gives non-finite numbers where PyTorch "
                                            "does not; the export is wrong and was not saved.",
                                            what=what)
        finite = np.isfinite(b)
        diff = np.abs(a - b)[finite]
        if diff.size:
            largest = max(largest, float(diff.max()))
            allowed = TOLERANCE * np.maximum(1.0, np.abs(b[finite]))
            worst = float((diff / allowed).max())
            if worst > 1.0:
                raise ExportError.from_template(
                    "The {what} does not match PyTorch: outputs differ by up to {diff:.3g} "
                    "(allowed {allowed:g}). The export was not saved.", what=what,
                    diff=float(diff.max()), allowed=TOLERANCE)
    return largest


# -- ONNX ------------------------------------------------------------------------------------

def _onnx_bytes(model: TrainedModel, x: np.ndarray) -> tuple[bytes, int]:
    try:
        import onnx  # noqa: F401 - the exporter needs it; a missing one is a clear error here
        import onnxscript  # noqa: F401
    except ImportError as exc:
        raise ExportError.from_template("ONNX export needs the onnx and onnxscript packages "
                                        "({reason}). Reinstall Workbench (pip install -e .).",
                                        reason=str(exc)) from None
    module = _raw_input_model(model)
    inputs, outputs = _io_names(model)
    # A few rows to trace with; more than one, so the batch size is not fixed to it.
    example = torch.from_numpy(x[:4].copy())
    try:
        program = torch.onnx.export(
            module, (example,), None, dynamo=True, external_data=False,
            input_names=list(inputs), output_names=list(outputs),
            dynamic_shapes=({0: torch.export.Dim("batch")},), verbose=False)
    except Exception as exc:  # the exporter raises many kinds
        raise ExportError.from_template("The model could not be exported to ONNX: {reason}",
                                        reason=_first_line(exc)) from exc
    proto = program.model_proto
    _portable_reshapes(proto.graph)
    if model.preprocess is not None:
        _prepend_table_preprocessing(proto, model)
        proto.doc_string = _table_doc(model)
    else:
        proto.doc_string = (f"Workbench {model.task} model. Input {inputs[0]!r}: raw values, "
                            f"shape (batch, {', '.join(map(str, model.input_shape))}); "
                            f"normalisation is part of the graph. Outputs: "
                            f"{_outputs_text(model)}.")
    for key, value in _onnx_metadata(model).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)
    return proto.SerializeToString(), int(opset)


def _portable_reshapes(graph: Any) -> None:
    """Reshape nodes with ``allowzero=1`` (what torch writes for a flatten) become the default
    ``allowzero=0`` where their target shape is a constant without zeros, in which case the
    two mean the same: onnx2torch and other consumers refuse ``allowzero=1``."""
    from onnx import numpy_helper

    constants = {init.name: init for init in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant" and node.output:
            for attr in node.attribute:
                if attr.name == "value":
                    constants[node.output[0]] = attr.t
    for node in graph.node:
        if node.op_type != "Reshape" or node.domain not in ("", "ai.onnx") \
                or len(node.input) < 2:
            continue
        allow = [a for a in node.attribute if a.name == "allowzero"]
        if not allow or allow[0].i == 0 or node.input[1] not in constants:
            continue
        shape = numpy_helper.to_array(constants[node.input[1]])
        if shape.size and not np.any(shape == 0):
            node.attribute.remove(allow[0])


def _outputs_text(model: TrainedModel) -> str:
    if model.task == "classification":
        return ("'logits' (batch, classes): raw scores; 'probabilities' (batch, classes): "
                "softmax of the logits, one column per class in class_names order")
    return "'prediction' (batch, 1): the predicted value, in the target's own units"


def _onnx_metadata(model: TrainedModel) -> dict[str, str]:
    meta = {
        "workbench_version": __version__,
        "task": model.task,
        "feature_names": json.dumps(list(model.feature_names), ensure_ascii=False),
        "class_names": json.dumps(list(model.class_names), ensure_ascii=False),
        "input_shape": json.dumps(list(model.input_shape)),
        "outputs": _outputs_text(model),
        "normalization": "in the graph: (x - norm_mean) / norm_std before the network",
        "norm_mean": json.dumps(np.asarray(model.mean, dtype=np.float64).ravel().tolist()),
        "norm_std": json.dumps(np.asarray(model.std, dtype=np.float64).ravel().tolist()),
        "config": json.dumps(model.config.to_dict(), ensure_ascii=False),
        "summary": json.dumps(model.summary, ensure_ascii=False),
    }
    if model.task != "classification":
        meta["target_scaling"] = json.dumps({"mean": float(model.target_mean),
                                             "std": float(model.target_std)})
        meta["target"] = ("in the graph: the network's output * target_scaling std + "
                          "target_scaling mean")
    if model.preprocess is not None:
        _, outputs = _io_names(model)
        meta["inputs"] = json.dumps(
            [{"name": r.name, "column": r.column, "kind": r.kind,
              "type": "string" if r.kind == "categorical" else "float32",
              **({"part": r.part} if r.part else {})}
             for r in _raw_inputs(model.preprocess, outputs)], ensure_ascii=False)
        meta["preprocess"] = json.dumps(model.preprocess.to_dict(), ensure_ascii=False)
        meta["preprocessing"] = ("in the graph: missing numbers and dates take the training "
                                 "medians (plus a 0/1 missing input where trained with one), "
                                 "categories are one-hot encoded, in feature_names order")
    return meta


def _check_onnx(model: TrainedModel, data: bytes, x: np.ndarray,
                feed: dict[str, np.ndarray] | None = None) -> tuple[float, tuple[str, ...]]:
    """Compare ONNX Runtime with PyTorch: on ``x``, or for a table model on ``feed`` (the
    same rows raw, one array per graph input), whose preprocessed form ``x`` is."""
    import onnx
    import onnxruntime as ort

    try:
        onnx.checker.check_model(onnx.load_from_string(data), full_check=True)
    except Exception as exc:  # noqa: BLE001 - ValidationError and shape-inference errors
        raise ExportError.from_template("The ONNX model failed onnx.checker ({reason}); it was "
                                        "not saved.", reason=_first_line(exc)) from None
    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: no optimiser notes on the console
    try:
        session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
        if feed is None:
            feed = {session.get_inputs()[0].name: x}
        got = session.run(None, feed)
        one = session.run(None, {k: v[:1] for k, v in feed.items()})
    except Exception as exc:  # noqa: BLE001 - onnxruntime's own exception types
        raise ExportError.from_template("ONNX Runtime cannot run the exported model ({reason}); "
                                        "it was not saved.", reason=_first_line(exc)) from None
    want = _pytorch_outputs(model, x)
    diff = _largest_difference(got, want, ExportError.from_template("ONNX model"))
    _largest_difference(one, [w[:1] for w in want],
                        ExportError.from_template("ONNX model with a batch of one row"))
    return diff, ("onnx.checker passes (full check).",
                  "A batch of one row gives the same result (dynamic batch size).")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


# -- tables in ONNX --------------------------------------------------------------------------

# The ai.onnx.ml opset the preprocessing uses (LabelEncoder with string keys and int64 values;
# version 2 of the operator, which every ONNX runtime with the ml domain has).
_ML_OPSET = 3
# A category no training row had: the check feeds it to see it taken as "(other)".
_UNSEEN = "(a category not seen in training)"
# A training file larger than this is not read again for the check (synthetic rows still are).
_MAX_CHECK_FILE_BYTES = 64 * 2**20


@dataclass(frozen=True)
class _RawInput:
    """One graph input of a table model's ONNX export."""

    name: str  # the input's name in the graph
    column: str  # the table column it comes from
    kind: str  # "numeric", "categorical" or "date"
    part: str = ""  # for a date column: the date part, one of preprocess.DATE_PARTS


def _raw_inputs(pre: TablePreprocessor, outputs: Sequence[str]) -> list[_RawInput]:
    """The raw inputs in column order: names are the column names (``<column>.<part>`` for
    date parts), made unique against each other and the outputs, as ONNX requires."""
    used = set(outputs)
    found = []
    for col in pre.columns:
        if col.kind == "date":
            for part in col.parts:
                found.append(_RawInput(_unique(f"{col.name}.{part}", used), col.name, "date",
                                       part))
        else:
            found.append(_RawInput(_unique(col.name, used), col.name, col.kind))
    return found


def _unique(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name} (input {n})"
    used.add(candidate)
    return candidate


def _table_doc(model: TrainedModel) -> str:
    pre = model.preprocess
    assert pre is not None
    kinds = {c.kind for c in pre.columns}
    lines = [(f"Workbench {model.task} model trained on a table. Inputs: one per raw "
              "column, each of shape (batch, 1), named after the column (see metadata "
              "'inputs').")]
    if "numeric" in kinds:
        lines.append("Number columns: float32; NaN means missing (the training median is "
                     "used).")
    if "categorical" in kinds:
        lines.append("Category columns: string, the cell text without surrounding spaces; an "
                     "empty string or one of the missing-value texts in metadata 'preprocess' "
                     "(na_values) means missing, a category not seen in training counts as "
                     "'(other)'.")
    if "date" in kinds:
        lines.append("Date columns: float32 inputs per date part, named '<column>.<part>': "
                     "year, month (1-12), weekday (Monday = 0), yearday (1-366), hour (with "
                     "minutes as a fraction); only the parts the model uses are inputs. NaN "
                     "means missing; a date with any part NaN counts as missing as a whole "
                     "(every part then takes its training median).")
    lines.append("Missing values, one-hot encoding, normalisation"
                 + ("" if model.task == "classification" else " and target scaling")
                 + f" are part of the graph. Outputs: {_outputs_text(model)}.")
    return " ".join(lines)


def _prepend_table_preprocessing(proto: Any, model: TrainedModel) -> None:
    """Give the exported network the table's raw columns as inputs, with imputation and
    one-hot encoding in front of it (in place).

    The network's own names get a prefix first, so that no column can clash with them.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    pre = model.preprocess
    assert pre is not None
    outputs = [o.name for o in proto.graph.output]
    raw = _raw_inputs(pre, outputs)
    prefix = "workbench/"
    while any(r.name.startswith(prefix) for r in raw):
        prefix = "_" + prefix
    graph = onnx.compose.add_prefix_graph(proto.graph, prefix + "net/", rename_outputs=False)
    features = graph.input[0]
    batch = features.type.tensor_type.shape.dim[0].dim_param or "batch"

    nodes: list[Any] = []
    constants: list[Any] = []
    count = iter(range(1 << 30))

    def emit(op: str, inputs: list[str], domain: str = "", **attrs: Any) -> str:
        out = f"{prefix}pre/{next(count)}_{op}"
        nodes.append(helper.make_node(op, inputs, [out], name=out, domain=domain, **attrs))
        return out

    def const(values: Any, dtype: type) -> str:
        out = f"{prefix}pre/{next(count)}_const"
        constants.append(numpy_helper.from_array(np.asarray(values, dtype=dtype), out))
        return out

    by_part = {(r.column, r.part): r.name for r in raw}
    blocks: list[str] = []
    for col in pre.columns:
        if col.kind == "numeric":
            x = by_part[(col.name, "")]
            gap = emit("IsNaN", [x])
            blocks.append(emit("Where", [gap, const([[col.fill[0]]], np.float32), x]))
        elif col.kind == "categorical":
            keys, values = _category_codes(pre, col.categories)
            code = emit("LabelEncoder", [by_part[(col.name, "")]], domain="ai.onnx.ml",
                        keys_strings=keys, values_int64s=values,
                        default_int64=len(col.categories))  # "(other)"
            hot = emit("Equal", [code, const([np.arange(col.width)], np.int64)])
            blocks.append(emit("Cast", [hot], to=TensorProto.FLOAT))
            continue
        else:
            parts = [by_part[(col.name, p)] for p in col.parts]
            gap = emit("IsNaN", [parts[0]])
            for x in parts[1:]:
                gap = emit("Or", [gap, emit("IsNaN", [x])])
            for x, fill in zip(parts, col.fill, strict=True):
                blocks.append(emit("Where", [gap, const([[fill]], np.float32), x]))
        if col.flag:
            blocks.append(emit("Cast", [gap], to=TensorProto.FLOAT))
    nodes.append(helper.make_node("Concat", blocks, [features.name], name=f"{prefix}pre/concat",
                                  axis=1))

    graph.value_info.append(features)
    del graph.input[:]
    graph.input.extend(helper.make_tensor_value_info(
        r.name, TensorProto.STRING if r.kind == "categorical" else TensorProto.FLOAT,
        [batch, 1]) for r in raw)
    network = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + network)
    graph.initializer.extend(constants)
    proto.graph.CopyFrom(graph)
    if not any(o.domain == "ai.onnx.ml" for o in proto.opset_import):
        proto.opset_import.append(helper.make_opsetid("ai.onnx.ml", _ML_OPSET))


def _category_codes(pre: TablePreprocessor, categories: Sequence[str]
                    ) -> tuple[list[str], list[int]]:
    """LabelEncoder keys and codes: the missing-value texts (and the empty string) are
    "(missing)", each kept category its own position, as ``TablePreprocessor.transform`` does
    (a missing-value text is missing even where it is also a category)."""
    missing = len(categories) + 1
    codes: dict[str, int] = dict.fromkeys(pre.na_values, missing)
    for i, c in enumerate(categories):
        codes.setdefault(c, i)
    codes.setdefault("", missing)
    return list(codes), list(codes.values())


# -- rows to check a table model's ONNX export with ------------------------------------------

def _check_table(model: TrainedModel, sample: np.ndarray | Table | None) -> Table:
    """Raw rows to check with: ``sample`` (a table, or the network's inputs turned back into
    raw values), else the first rows of the training file; then rows made from the
    preprocessing that reach every category, an unseen one and every kind of missing cell."""
    pre = model.preprocess
    assert pre is not None
    parts: list[dict[str, np.ndarray]] = []
    if isinstance(sample, Table):
        parts.append(_raw_columns(pre, _first_rows(sample)))
    elif sample is not None:
        parts.append(_columns_from_features(pre, _sample_rows(model, sample)))
    else:
        real = _training_rows(model)
        if real is not None:
            parts.append(real)
    parts.append(_synthetic_columns(model))
    columns = {c.name: np.concatenate([p[c.name] for p in parts]) for c in pre.columns}
    return Table("rows to check the export with", columns)


def _first_rows(table: Table) -> Table:
    if table.n_rows <= _MAX_REAL_ROWS:
        return table
    return table.take(np.arange(_MAX_REAL_ROWS))


def _training_rows(model: TrainedModel) -> dict[str, np.ndarray] | None:
    """The first rows of the file the model was trained on, if it is still there to read."""
    from workbench.core.data.table_set import read_for

    cfg = model.config.data
    try:
        if not cfg.csv_path or Path(cfg.csv_path).stat().st_size > _MAX_CHECK_FILE_BYTES:
            return None
        table = read_for(cfg)
        pre = model.preprocess
        assert pre is not None
        if not set(pre.raw_columns) <= set(table.columns):
            return None
        return _raw_columns(pre, _first_rows(table))
    except Exception:  # noqa: BLE001 - moved, changed or unreadable: the made-up rows still check
        return None


def _raw_columns(pre: TablePreprocessor, table: Table) -> dict[str, np.ndarray]:
    """The model's columns of ``table`` in one form each (numbers float64 with NaN, text as
    str or None, dates datetime64 with NaT), leaving out rows with text in a number column."""
    from workbench.core.preprocess import bad_rows

    absent = [c.name for c in pre.columns if c.name not in table.columns]
    if absent:
        raise ExportError.from_template(
            "The rows to check the export with have no column {columns}, which the model "
            "was trained on. Give rows with every training column (empty cells are fine).",
            columns=", ".join(repr(n) for n in absent[:8]))
    skip = bad_rows(pre, table)
    if skip:
        table = table.take(np.setdiff1d(np.arange(table.n_rows), skip))
    out: dict[str, np.ndarray] = {}
    for col in pre.columns:
        values = table.columns[col.name]
        if col.kind == "numeric":
            out[col.name] = _numbers(values, col.name, table.name).astype(np.float64)
        elif col.kind == "categorical":
            # Stripped as the table reader strips: the graph matches the text as given.
            out[col.name] = _object_array([t.strip() if isinstance(t, str) else t
                                           for t in _texts(values)])
        else:
            out[col.name] = _stamps(values, col.date_format)
    return out


def _object_array(items: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out


def _stamps(values: np.ndarray, fmt: str) -> np.ndarray:
    # As TablePreprocessor.transform reads a date column.
    if values.dtype.kind != "M":
        values = _object_array(_texts(values))
    return parse_dates(values, fmt)


def _columns_from_features(pre: TablePreprocessor, x: np.ndarray) -> dict[str, np.ndarray]:
    """Raw values that preprocess to (about) the rows ``x`` of the network's inputs: a number
    flagged as missing becomes NaN, a one-hot block its category (or an unseen one, or None),
    a date its timestamp from year, day of year and hour."""
    out: dict[str, np.ndarray] = {}
    at = 0
    for col in pre.columns:
        block = x[:, at:at + col.width].astype(np.float64)
        at += col.width
        n_base = len(col.parts) if col.kind == "date" else 1
        gaps = block[:, n_base] >= 0.5 if col.flag else np.zeros(len(x), dtype=bool)
        if col.kind == "numeric":
            out[col.name] = np.where(gaps, np.nan, block[:, 0])
        elif col.kind == "categorical":
            names = [*col.categories, _UNSEEN, None]
            out[col.name] = _object_array([names[i] for i in block.argmax(axis=1)])
        else:
            part = {p: block[:, i] for i, p in enumerate(col.parts)}
            stamps = _dates(part.get("year"), part.get("yearday"), part.get("hour"), len(x))
            stamps[gaps] = np.datetime64("NaT")
            out[col.name] = stamps
    return out


def _dates(year: np.ndarray | None, yearday: np.ndarray | None, hour: np.ndarray | None,
           n: int) -> np.ndarray:
    """Timestamps from date parts (missing parts: 2000, 1 January, midnight)."""
    def whole(v: np.ndarray | None, default: float, low: float, high: float) -> np.ndarray:
        v = np.full(n, default) if v is None else np.nan_to_num(v, nan=default)
        return np.clip(np.round(v), low, high)

    # datetime64[ns] reaches from 1678 to 2262.
    years = whole(year, 2000, 1700, 2200).astype(np.int64)
    days = whole(yearday, 1, 1, 366).astype(np.int64) - 1
    minutes = whole(None if hour is None else hour * 60, 0, 0, 24 * 60 - 1).astype(np.int64)
    start = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return (start + days.astype("timedelta64[D]")).astype("datetime64[ns]") \
        + minutes.astype("timedelta64[m]")


def _synthetic_columns(model: TrainedModel) -> dict[str, np.ndarray]:
    """Seeded rows around the training data: numbers spread like it, every category, an
    unseen one, missing cells of every kind (None, a missing-value text, NaN, NaT)."""
    pre = model.preprocess
    assert pre is not None
    rng = np.random.default_rng(_CHECK_SEED)
    n = max(_RANDOM_ROWS, *(len(c.categories) + 4 for c in pre.columns))
    spread = dict(zip(model.feature_names, np.asarray(model.std, dtype=np.float64).ravel()))
    na_text = next((t for t in pre.na_values if t.strip()), None)
    out: dict[str, np.ndarray] = {}
    for k, col in enumerate(pre.columns):
        if col.kind == "numeric":
            values = col.fill[0] + spread.get(col.name, 1.0) * rng.standard_normal(n)
            values[k % 4::4] = np.nan
            out[col.name] = values
        elif col.kind == "categorical":
            pool = [*col.categories, _UNSEEN, None, *([na_text] if na_text else [])]
            out[col.name] = _object_array([pool[(i + k) % len(pool)] for i in range(n)])
        else:
            fill = dict(zip(col.parts, col.fill, strict=True))
            base = _dates(np.array([fill.get("year", 2000.0)]),
                          np.array([fill.get("yearday", 1.0)]), None, 1)[0]
            stamps = base + rng.integers(-400, 400, n).astype("timedelta64[D]")
            if "hour" in col.parts:
                stamps = stamps + rng.integers(0, 24 * 60, n).astype("timedelta64[m]")
            stamps = stamps.astype("datetime64[ns]")
            stamps[k % 5::5] = np.datetime64("NaT")
            out[col.name] = stamps
    return out


def _onnx_feed(pre: TablePreprocessor, table: Table, raw: Sequence[_RawInput]
               ) -> dict[str, np.ndarray]:
    """The raw rows of ``table`` as ONNX Runtime takes them: one (rows, 1) array per input."""
    values: dict[tuple[str, str], np.ndarray] = {}
    for col in pre.columns:
        column = table.columns[col.name]
        if col.kind == "numeric":
            values[(col.name, "")] = _numbers(column, col.name, table.name).astype(np.float32)
        elif col.kind == "categorical":
            # None is a missing cell; "" stands for it unless "" is a category of its own.
            codes = dict(zip(*_category_codes(pre, col.categories), strict=True))
            empty_is_missing = codes[""] == len(col.categories) + 1
            gap = "" if empty_is_missing or not pre.na_values else pre.na_values[0]
            values[(col.name, "")] = _object_array(
                [gap if t is None else t for t in _texts(column)])
        else:
            stamps = _stamps(column, col.date_format)
            parts = _date_parts(stamps)
            gaps = np.isnat(stamps)
            for p in col.parts:
                values[(col.name, p)] = np.where(gaps, np.nan, parts[p]).astype(np.float32)
    return {r.name: values[(r.column, r.part)].reshape(-1, 1) for r in raw}


# -- torch.export ----------------------------------------------------------------------------

def _pt2_extra_files(model: TrainedModel) -> dict[str, str]:
    inputs, outputs = _io_names(model)
    about: dict[str, Any] = {
        "workbench_version": __version__, "task": model.task,
        "feature_names": list(model.feature_names), "class_names": list(model.class_names),
        "input_shape": list(model.input_shape), "input": inputs[0], "outputs": list(outputs),
        "normalization": "inside the program: raw values in", "summary": model.summary,
    }
    if model.task != "classification":
        about["target_scaling"] = {"mean": float(model.target_mean),
                                   "std": float(model.target_std)}
        about["target"] = "inside the program: predictions are in the target's own units"
    files = {"config.json": json.dumps(model.config.to_dict(), ensure_ascii=False)}
    if model.preprocess is not None:
        about["preprocessing"] = (
            "not inside the program (text cannot enter it): it takes the inputs named in "
            "feature_names, made from the raw table columns by the preprocessing in "
            "preprocess.json (workbench.core.preprocess.TablePreprocessor.from_dict(...)"
            ".transform(table)); the ONNX export takes the raw columns")
        files["preprocess.json"] = json.dumps(model.preprocess.to_dict(), ensure_ascii=False)
    files["workbench.json"] = json.dumps(about, ensure_ascii=False)
    return files


def _pt2_bytes(model: TrainedModel, x: np.ndarray) -> bytes:
    module = _raw_input_model(model)
    # A few rows to trace with; more than one, so the batch size is not fixed to it.
    example = torch.from_numpy(x[:4].copy())
    try:
        program = torch.export.export(module, (example,),
                                      dynamic_shapes=({0: torch.export.Dim("batch")},))
        buffer = io.BytesIO()
        torch.export.save(program, buffer, extra_files=_pt2_extra_files(model))
    except Exception as exc:  # export errors come in many types
        raise ExportError.from_template("The model could not be exported with torch.export: "
                                        "{reason}", reason=_first_line(exc)) from exc
    return buffer.getvalue()


def _check_pt2(model: TrainedModel, data: bytes, x: np.ndarray) -> float:
    expected = _pt2_extra_files(model)
    extra = dict.fromkeys(expected, "")
    try:
        program = torch.export.load(io.BytesIO(data), extra_files=extra)
        loaded = program.module()
        with torch.no_grad():
            got = loaded(torch.from_numpy(x))
            one = loaded(torch.from_numpy(x[:1].copy()))
    except Exception as exc:  # noqa: BLE001
        raise ExportError.from_template("The exported program cannot be loaded back and run "
                                        "({reason}); it was not saved.",
                                        reason=_first_line(exc)) from None
    if extra != expected:
        raise ExportError.from_template("The settings stored with the exported program do not "
                                        "come back unchanged; it was not saved.")

    def arrays(out: Any) -> list[np.ndarray]:
        return [t.numpy() for t in (out if isinstance(out, (tuple, list)) else (out,))]

    want = _pytorch_outputs(model, x)
    diff = _largest_difference(arrays(got), want, ExportError.from_template("exported program"))
    _largest_difference(arrays(one), [w[:1] for w in want],
                        ExportError.from_template("exported program with one row"))
    return diff


# -- the training script ---------------------------------------------------------------------

# Where an exported script gets Workbench's own code (the template marks the line), and what the
# template imports only for tables (other scripts get None).
_CODE_MARK = "# @WORKBENCH_CODE@"
_TABLE_ONLY = frozenset({"load_table_dataset"})
_PLAIN_NEEDS = ("torch, numpy and safetensors; scikit-learn only for the bundled data sets "
                "(digits, iris, wine,\nbreast_cancer, diabetes) and Pillow only for an image "
                "folder")
_TABLE_NEEDS = ("torch, numpy, safetensors, pandas and charset-normalizer (and openpyxl for an "
                "Excel workbook):\nthe model was trained on a table")


def _template() -> str:
    return resources.files("workbench.templates").joinpath("train_script.py").read_text(
        encoding="utf-8")


def _script_source(model: TrainedModel) -> str:
    import re

    cfg = model.config
    table = cfg.data.dataset == "csv"
    kind = str(cfg.model.kind).upper()
    layers = "-".join(map(str, cfg.model.hidden)) or "linear"
    data = {"csv": "a table", "images": "an image folder"}.get(cfg.data.dataset, cfg.data.dataset)
    about = (f"{data}, {kind} {layers}, {cfg.optim.optimizer} lr {cfg.optim.lr:g}, "
             f"{cfg.run.epochs} epochs of batch {cfg.run.batch_size}")
    # Nothing a model file names (a data set, a file, a column) goes into the docstring as it
    # is: only these plain characters do.
    about = re.sub(r"[^A-Za-z0-9 ,.+()-]", "_", about)
    text = (_template().replace("@ABOUT@", about).replace("@WORKBENCH_VERSION@", __version__)
            .replace("@NEEDS@", _TABLE_NEEDS if table else _PLAIN_NEEDS)
            .replace("@TABLE_CODE@", ",\nand the table reader, the columns' roles and the "
                     "fitted preprocessing" if table else ""))
    return "#!/usr/bin/env python3\n" + _with_workbench_code(text, table)


def _with_workbench_code(text: str, table: bool) -> str:
    """The template ``text`` with its imports from Workbench replaced by the code itself.

    Each imported definition is copied with the module-level definitions and imports it uses
    (recursively, across Workbench's modules), unchanged except that imports between Workbench
    modules are left out: the copies share the script's namespace, so none may redefine a name
    of the script (an ExportError, a mistake in Workbench, says which).
    """
    import ast
    import graphlib

    tree = ast.parse(text)
    cut = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 0
           and (n.module or "").partition(".")[0] == "workbench"]
    own, own_imports = _CodeCopier.bindings([n for n in tree.body if n not in cut])
    copier = _CodeCopier()
    stubs = []
    for node in cut:
        for alias in node.names:
            if alias.asname not in (None, alias.name):
                raise _copy_error(f"the template renames {alias.name}")
            if not table and alias.name in _TABLE_ONLY:
                stubs.append(alias.name)
            else:
                copier.need(node.module or "", alias.name, None)
    defined: set[str] = set()
    for module in copier.chosen:
        for name in copier.defined(module):
            if name in own or name in own_imports or name in defined:
                raise _copy_error(f"{module}.{name} would redefine a name of the script")
            defined.add(name)
    imports = []
    for name, spec in copier.imports.items():
        if own_imports.get(name) == spec:
            continue  # the script imports it already
        if name in own or name in own_imports or name in defined:
            raise _copy_error(f"the import of {name} clashes with a name of the script")
        imports.append(spec)
    try:
        order = list(graphlib.TopologicalSorter(copier.after).static_order())
    except graphlib.CycleError as exc:
        raise _copy_error(f"its modules need each other: {exc.args[1]}") from None
    code = ("# Copied from Workbench " + __version__ + " when this script was exported: the "
            "definitions the code above\n# imports from Workbench, and what they use, unchanged "
            "but for the imports between\n# Workbench's modules. Names used only in annotations "
            "(never evaluated here) are not copied.\n\n\n"
            + "\n\n\n".join(copier.module_code(m) for m in order)
            + "".join(f"\n\n\n# The model was not trained on a table: no table reader.\n"
                      f"{name} = None" for name in stubs))
    lines = text.splitlines(keepends=True)
    ranges = [[n.lineno - 1, n.end_lineno] for n in cut]
    while ranges and ranges[0][0] > 0 and lines[ranges[0][0] - 1].lstrip().startswith("#"):
        ranges[0][0] -= 1  # the comment about the imports goes with them
    head = "".join(f"{line}\n" for line in _CodeCopier.import_lines(imports))
    if head:
        head = "# Used by Workbench's own code, copied in at the end of this file.\n" + head
    elif ranges and ranges[-1][1] < len(lines) and not lines[ranges[-1][1]].strip():
        ranges[-1][1] += 1  # no imports in their place: nor the blank line after them
    for i, (start, stop) in reversed(list(enumerate(ranges))):
        lines[start:stop] = [head] if i == 0 and head else []
    marks = [i for i, line in enumerate(lines) if line.startswith(_CODE_MARK)]
    if len(marks) != 1:
        raise _copy_error("the template has no single place for it")
    lines[marks[0]] = code + "\n"
    return "".join(lines)


def _copy_error(reason: str) -> ExportError:
    # A mistake in Workbench, not in the model: the script would not run.
    return ExportError.from_template("The training script does not compile ({reason}); it was "
                                     "not saved.", reason="Workbench's own code cannot be "
                                     f"copied into it: {reason}")


@dataclass
class _Module:
    """One of Workbench's modules, read for copying into a script."""

    tree: Any  # ast.Module
    source: bytes
    path: str  # "workbench/core/data/tables.py", for the copy's heading
    offsets: list[int]  # byte offset of each line's start (ast columns are UTF-8 bytes)
    defs: dict[str, Any]  # module-level name -> the statement defining it
    imports: dict[str, tuple[str, str | None, str | None]]  # name -> (module, name, as)
    modules: dict[str, str]  # a name bound to a Workbench module -> that module


class _CodeCopier:
    """Chooses the module-level statements of Workbench's modules that a script needs.

    ``need(module, name)`` takes the statement defining ``name`` and, in turn, every module-level
    name it uses (annotations aside: under ``from __future__ import annotations`` they are never
    evaluated). Imports of Workbench modules are followed, other imports collected, imports
    inside functions of Workbench modules left out and ``module.name`` made plain ``name``.
    """

    def __init__(self) -> None:
        self.sources: dict[str, _Module] = {}
        self.chosen: dict[str, list[Any]] = {}  # module -> its statements to copy
        self.edits: dict[int, list[tuple[int, int, bytes]]] = {}  # id(statement) -> edits
        self.after: dict[str, set[str]] = {}  # module -> the modules its copied code uses
        self.imports: dict[str, tuple[str, str | None, str | None]] = {}  # name -> import

    # -- reading Workbench's modules --------------------------------------------------------
    @staticmethod
    def _file(module: str) -> Any:
        parts = module.split(".")
        folder = resources.files(parts[0])
        for part in parts[1:-1]:
            folder = folder.joinpath(part)
        if len(parts) > 1 and folder.joinpath(parts[-1] + ".py").is_file():
            return folder.joinpath(parts[-1] + ".py")
        package = folder.joinpath(parts[-1]) if len(parts) > 1 else folder
        return package.joinpath("__init__.py") if package.joinpath("__init__.py").is_file() \
            else None

    def _module(self, module: str) -> _Module:
        import ast

        if module in self.sources:
            return self.sources[module]
        file = self._file(module)
        if file is None:
            raise _copy_error(f"no source of {module}")
        source = file.read_bytes()
        tree = ast.parse(source)
        path = module.replace(".", "/") + ("/__init__.py" if file.name == "__init__.py"
                                           else ".py")
        defs: dict[str, Any] = {}
        imports: dict[str, tuple[str, str | None, str | None]] = {}
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                    imports.update(self.bindings([node])[1])
            elif not isinstance(node, (ast.If, ast.Try)):  # TYPE_CHECKING, version checks
                defs.update(dict.fromkeys(self.bindings([node])[0], node))
        modules = {name: src if attr is None else f"{src}.{attr}"
                   for name, (src, attr, _) in imports.items()
                   if _is_workbench(src) and (attr is None or self._file(f"{src}.{attr}"))}
        self.sources[module] = _Module(tree, source, path, _line_offsets(source), defs,
                                       imports, modules)
        return self.sources[module]

    @staticmethod
    def bindings(nodes: list[Any]) -> tuple[set[str], dict[str, tuple[str, str | None,
                                                                     str | None]]]:
        """Names the statements bind: (defined names, imported name -> its import)."""
        import ast

        names: set[str] = set()
        imports: dict[str, tuple[str, str | None, str | None]] = {}
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(n.id for t in targets for n in ast.walk(t)
                             if isinstance(n, ast.Name))
            elif isinstance(node, ast.Import):
                for a in node.names:
                    imports[a.asname or a.name.partition(".")[0]] = (a.name, None, a.asname)
            elif isinstance(node, ast.ImportFrom):
                for a in node.names:
                    imports[a.asname or a.name] = (node.module or "", a.name, a.asname)
            elif isinstance(node, (ast.If, ast.Try)):
                inner = [*node.body, *node.orelse, *getattr(node, "finalbody", []),
                         *(s for h in getattr(node, "handlers", []) for s in h.body)]
                more, more_imports = _CodeCopier.bindings(inner)
                names |= more | set(more_imports)  # conditional imports are not shared
        return names, imports

    # -- choosing -------------------------------------------------------------------------
    def need(self, module: str, name: str, by: str | None) -> None:
        """Copy ``module``'s definition of ``name`` (used by module ``by``) and what it uses."""
        m = self._module(module)
        if name not in m.defs:
            spec = m.imports.get(name)
            if spec is None or spec[1] is None or not _is_workbench(spec[0]):
                raise _copy_error(f"{module} defines no {name}")
            self.need(spec[0], spec[1], by)  # imported there from another Workbench module
            return
        if by is not None and by != module:
            self.after.setdefault(by, set()).add(module)
        self.after.setdefault(module, set())
        statement = m.defs[name]
        chosen = self.chosen.setdefault(module, [])
        if any(s is statement for s in chosen):
            return
        chosen.append(statement)
        self._uses(module, statement)

    def _uses(self, module: str, statement: Any) -> None:
        import ast

        m = self._module(module)
        offsets, edits = m.offsets, self.edits.setdefault(id(statement), [])
        modules = dict(m.modules)
        for node in ast.walk(statement):  # imports inside functions: Workbench's go
            if isinstance(node, ast.ImportFrom) and node.level == 0 and _is_workbench(
                    node.module or ""):
                stop = node.end_lineno
                after = m.source[offsets[stop]:offsets[stop + 1]] if stop + 1 < len(offsets) \
                    else b"x"
                if not after.strip():
                    stop += 1  # the blank line after it goes too
                edits.append((offsets[node.lineno - 1], offsets[stop], b""))
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    if self._file(full) is not None:
                        modules[a.asname or a.name] = full
                    elif a.asname in (None, a.name):
                        self.need(node.module or "", a.name, module)
                    else:
                        raise _copy_error(f"{module} renames {a.name}")
        plain = set()
        for node in _walk_values(statement):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in modules:
                start = offsets[node.lineno - 1] + node.value.col_offset
                stop = offsets[node.end_lineno - 1] + node.end_col_offset
                edits.append((start, stop, node.attr.encode()))
                self.need(modules[node.value.id], node.attr, module)
                plain.add(id(node.value))
        for node in _walk_values(statement):
            if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load) \
                    or id(node) in plain:
                continue
            name = node.id
            if name in modules:
                raise _copy_error(f"{module} uses the module {name} other than as {name}.x")
            if name in m.defs:
                if m.defs[name] is not statement:
                    self.need(module, name, module)
            elif name in m.imports:
                spec = m.imports[name]
                if _is_workbench(spec[0]):
                    if spec[1] is None or spec[2] not in (None, spec[1]):
                        raise _copy_error(f"{module} imports {name} in a way not copied")
                    self.need(spec[0], spec[1], module)
                elif self.imports.setdefault(name, spec) != spec:
                    raise _copy_error(f"two modules import {name} differently")

    # -- writing --------------------------------------------------------------------------
    def defined(self, module: str) -> set[str]:
        return self.bindings(self.chosen.get(module, []))[0]

    def module_code(self, module: str) -> str:
        """The chosen statements of ``module`` in their order, each with its comment above."""
        import ast

        m = self._module(module)
        source, offsets = m.source, m.offsets
        lines = source.splitlines(keepends=True)
        doc = (ast.get_docstring(m.tree) or "").strip().splitlines()
        out = f"# -- {m.path} " + "-" * max(3, 93 - len(m.path)) + "\n"
        out += "".join(f"# {line}".rstrip() + "\n" for line in doc[:1])
        chosen = sorted(self.chosen.get(module, []), key=lambda s: s.lineno)
        previous: Any = None
        for statement in chosen:
            first = min([statement.lineno, *(d.lineno for d in getattr(
                statement, "decorator_list", []))]) - 1
            while first > 0 and lines[first - 1].lstrip().startswith(b"#"):
                first -= 1
            start, stop = offsets[first], offsets[statement.end_lineno]
            piece = bytearray(source[start:stop])
            for a, b, text in sorted(self.edits.get(id(statement), []), reverse=True):
                piece[a - start:b - start] = text
            block = isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            if previous is None:
                gap = "\n"  # a blank line after the module's heading
            elif block or previous[1]:
                gap = "\n\n"
            else:  # constants: together where they were together
                gap = "" if previous[0] == first else "\n"
            out += gap + piece.decode("utf-8").rstrip("\n") + "\n"
            previous = (statement.end_lineno, block)
        return out.rstrip("\n")

    @staticmethod
    def import_lines(specs: list[tuple[str, str | None, str | None]]) -> list[str]:
        plain = sorted(f"import {m}" + (f" as {a}" if a else "") for m, n, a in specs
                       if n is None)
        grouped: dict[str, list[str]] = {}
        for m, n, a in specs:
            if n is not None:
                grouped.setdefault(m, []).append(n + (f" as {a}" if a else ""))
        return plain + [f"from {m} import {', '.join(sorted(names))}"
                        for m, names in sorted(grouped.items())]


def _is_workbench(module: str) -> bool:
    return module.partition(".")[0] == "workbench"


def _line_offsets(source: bytes) -> list[int]:
    """Byte offset of the start of each line (ast counts columns in UTF-8 bytes), plus the end."""
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    return offsets


def _walk_values(node: Any) -> Iterator[Any]:
    """Every node under ``node`` except annotations (never evaluated in these modules)."""
    import ast

    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for name, value in ast.iter_fields(current):
            if name in ("annotation", "returns"):
                continue
            if isinstance(value, ast.AST):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, ast.AST))


def _load_script(source: str, path: Path) -> types.ModuleType:
    """The script as a module (its ``main`` is not run): definitions only."""
    name = f"_workbench_exported_script_{threading.get_ident()}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    # dataclasses look their module up in sys.modules while the class is created.
    sys.modules[name] = module
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - our template
    except SyntaxError as exc:
        raise ExportError.from_template("The training script does not compile ({reason}); it "
                                        "was not saved.", reason=str(exc)) from None
    finally:
        sys.modules.pop(name, None)
    return module


def _check_script(model: TrainedModel, source: str, path: Path) -> tuple[int, tuple[str, ...]]:
    from workbench.core import data as data_mod
    from workbench.core.models import build_model

    script = _load_script(source, path)
    cfg = model.config
    # The settings as the script reads them from its TOML file (its own copy of the classes).
    theirs_cfg = script.TrainConfig.from_dict(cfg.to_dict())
    checks = ["The script compiles."]
    n_out = model.n_outputs
    shape = tuple(model.input_shape)
    # The same seed must give the same initial weights, layer for layer: then the script's
    # run starts where Workbench's did.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.run.seed)
        ours = build_model(cfg.model, shape, n_out).state_dict()
        torch.manual_seed(cfg.run.seed)
        net = script.build_model(theirs_cfg.model, shape, n_out)
    theirs = net.state_dict()
    if list(ours) != list(theirs) or any(
            ours[k].shape != theirs[k].shape or not torch.equal(ours[k], theirs[k])
            for k in ours):
        raise ExportError.from_template("The training script builds a different network from "
                                        "Workbench's; it was not saved.")
    try:
        net.load_state_dict(model.module.state_dict(), strict=True)
    except RuntimeError as exc:
        raise ExportError.from_template("The trained weights do not fit the script's network "
                                        "({reason}); it was not saved.",
                                        reason=_first_line(exc)) from None
    checks.append("Its network has the same layers and, with the same seed, the same initial "
                  "weights as Workbench's.")
    try:
        expected = data_mod.prepare(cfg.data, cfg.run.seed)
    except WorkbenchError as exc:
        checks.append(f"The data could not be loaded here to compare ({_first_line(exc)}).")
        return 0, tuple(checks)
    try:
        got = script.prepare_data(theirs_cfg)
    except Exception as exc:  # noqa: BLE001 - any failure of the script is a failed check
        raise ExportError.from_template("The training script cannot prepare the data "
                                        "({reason}); it was not saved.",
                                        reason=_first_line(exc)) from None
    pairs = [("x_train", got.x_train, expected.x_train), ("y_train", got.y_train,
                                                          expected.y_train),
             ("x_val", got.x_val, expected.x_val), ("y_val", got.y_val, expected.y_val),
             ("mean", got.mean, expected.mean), ("std", got.std, expected.std)]
    for what, a, b in pairs:
        if a.dtype != b.dtype or a.shape != b.shape or not np.array_equal(a, b):
            raise ExportError.from_template("The training script prepares the data "
                                            "differently from Workbench ({array} differs); it "
                                            "was not saved.", array=what)
    fitted = [None if d.preprocess is None else d.preprocess.to_dict() for d in (got, expected)]
    for what, a, b in [("target scaling", (got.target_mean, got.target_std),
                        (expected.target_mean, expected.target_std)),
                       ("table preprocessing", *fitted)]:
        if a != b:
            raise ExportError.from_template("The training script prepares the data "
                                            "differently from Workbench ({array} differs); it "
                                            "was not saved.", array=what)
    if (tuple(got.class_names) != tuple(expected.class_names)
            or tuple(got.feature_names) != tuple(expected.feature_names)
            or got.task != expected.task):
        raise ExportError.from_template("The training script finds other class or feature "
                                        "names than Workbench; it was not saved.")
    rows = int(len(got.x_train) + len(got.x_val))
    checks.insert(0, f"Its data preparation gives the same {rows} rows, split and "
                     "normalisation as Workbench, bit for bit.")
    return rows, tuple(checks)
