"""Exports of a trained model: ONNX, PyTorch-native (``torch.export``, ``.pt2``) and a
standalone training script.

Every export is checked before it counts as done, and nothing is left on disk when a check
fails: the file is built in memory (or, for the script, in memory and then executed in part),
compared with the model it came from, and only then written atomically.

- ONNX: raw features in, normalisation folded into the graph (a Sub and a Div in front of the
  network). Classifiers give two outputs, ``logits`` and ``probabilities`` (softmax); regression
  models one, ``prediction``. Feature names, class names, task, input shape, normalisation
  statistics and the Workbench version are in the model's ``metadata_props``. Checked with
  ``onnx.checker`` and with ONNX Runtime against PyTorch on real rows.
- ``.pt2``: the same raw-input module through ``torch.export``, with the configuration and the
  names in ``extra_files``; checked by loading it back and comparing outputs.
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
import os
import sys
import threading
import time
import types
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from workbench import __version__
from workbench.atomic import DISK_FULL, IS_FOLDER, NOT_ALLOWED, atomic_write_bytes, write_failure
from workbench.config import BUILTIN_DATASETS, dumps_toml
from workbench.core.modelfile import TrainedModel, load_model
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
                 "For ONNX Runtime and other ONNX tools; takes raw features."),
    ExportFormat("pt2", "PyTorch program", ".pt2",
                 "For inference in PyTorch (torch.export.load); takes raw features."),
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
            text += (f"; checked on {self.rows_checked} rows: largest difference from PyTorch "
                     f"{self.max_abs_diff:.2g}")
        elif self.checks:
            text += "; " + self.checks[0][0].lower() + self.checks[0][1:].rstrip(".")
        return text + "."


def _diff_text(diff: float) -> str:
    return (f"largest difference {diff:.2g}; allowed {TOLERANCE:g}, relative for outputs "
            "larger than 1")


def _size_text(n: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"  # pragma: no cover - the loop always returns


# -- the module that is exported -------------------------------------------------------------

class RawInputModel(nn.Module):
    """The network with its normalisation in front: raw features in, results out.

    Classifiers return ``(logits, probabilities)``; regression models return the prediction,
    shape (N, 1). Exported graphs therefore need nothing from Workbench to be used.
    """

    def __init__(self, network: nn.Module, mean: np.ndarray, std: np.ndarray,
                 classification: bool) -> None:
        super().__init__()
        self.network = network
        self.register_buffer("mean", torch.tensor(np.asarray(mean, dtype=np.float32)))
        self.register_buffer("std", torch.tensor(np.asarray(std, dtype=np.float32)))
        self.classification = classification

    def forward(self, x: torch.Tensor) -> Any:
        logits = self.network((x - self.mean) / self.std)
        if self.classification:
            return logits, torch.softmax(logits, dim=1)
        return logits


def _raw_input_model(model: TrainedModel) -> RawInputModel:
    # A copy: exporting must not move, retype or switch the mode of the window's model.
    network = copy.deepcopy(model.module).cpu().float().eval()
    return RawInputModel(network, model.mean, model.std, model.task == "classification").eval()


def _io_names(model: TrainedModel) -> tuple[tuple[str, ...], tuple[str, ...]]:
    inputs = ("images",) if len(model.input_shape) == 3 else ("features",)
    outputs = ("logits", "probabilities") if model.task == "classification" else ("prediction",)
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
                 sample: np.ndarray | None = None) -> ExportResult:
    """Export in the format ``fmt`` ("onnx", "pt2" or "script"); see the functions below."""
    spec = _format(fmt)
    if spec.key == "onnx":
        return export_onnx(model, out, sample=sample)
    if spec.key == "pt2":
        return export_pt2(model, out, sample=sample)
    return export_script(model, out)


def export_onnx(model: TrainedModel | str | Path, out: str | Path, *,
                sample: np.ndarray | None = None) -> ExportResult:
    """Write a verified ONNX model of ``model`` (a TrainedModel or a .wbm path) to ``out``.

    ``sample``: raw input rows to check with (for example the validation data the window
    holds); without it the built-in data set's validation rows are used where there is one,
    plus seeded random rows spread like the training data.
    """
    t0 = time.perf_counter()
    trained, name = _resolve_model(model)
    path = _target(out, "onnx", name)
    with _LOCK, _quiet():
        x = _reference_inputs(trained, sample)
        data, opset = _onnx_bytes(trained, x)
        diff, checks = _check_onnx(trained, data, x)
    _write(path, data)
    inputs, outputs = _io_names(trained)
    compared = f"ONNX Runtime matches PyTorch on {len(x)} rows ({_diff_text(diff)})."
    checks = (compared, *checks, f"ONNX opset {opset}.")
    return ExportResult("onnx", path, (path,), time.perf_counter() - t0, len(x), diff,
                        TOLERANCE, inputs, outputs, checks)


def export_pt2(model: TrainedModel | str | Path, out: str | Path, *,
               sample: np.ndarray | None = None) -> ExportResult:
    """Write a verified ``torch.export`` program (``.pt2``) with the settings in extra_files.

    Load it with ``torch.export.load(path, extra_files={"config.json": "",
    "workbench.json": ""}).module()``; it takes raw features like the ONNX export.
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


def _reference_inputs(model: TrainedModel, sample: np.ndarray | None) -> np.ndarray:
    """Raw rows to compare on: real data where available, plus random rows like the data."""
    shape = tuple(model.input_shape)
    parts: list[np.ndarray] = []
    if sample is not None:
        x = np.asarray(sample, dtype=np.float32)
        if x.shape[1:] != shape:
            raise ExportError.from_template("The rows to check the export with have shape "
                                            "{got}; the model takes {want}.",
                                            got="x".join(map(str, x.shape[1:])),
                                            want="x".join(map(str, shape)))
        parts.append(x[:_MAX_REAL_ROWS])
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
    proto.doc_string = (f"Workbench {model.task} model. Input {inputs[0]!r}: raw values, shape "
                        f"(batch, {', '.join(map(str, model.input_shape))}); normalisation is "
                        f"part of the graph. Outputs: {_outputs_text(model)}.")
    for key, value in _onnx_metadata(model).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)
    return proto.SerializeToString(), int(opset)


def _outputs_text(model: TrainedModel) -> str:
    if model.task == "classification":
        return ("'logits' (batch, classes): raw scores; 'probabilities' (batch, classes): "
                "softmax of the logits, one column per class in class_names order")
    return "'prediction' (batch, 1): the predicted value"


def _onnx_metadata(model: TrainedModel) -> dict[str, str]:
    return {
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


def _check_onnx(model: TrainedModel, data: bytes, x: np.ndarray) -> tuple[float, tuple[str, ...]]:
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
        name = session.get_inputs()[0].name
        got = session.run(None, {name: x})
        one = session.run(None, {name: x[:1]})
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


# -- torch.export ----------------------------------------------------------------------------

def _pt2_extra_files(model: TrainedModel) -> dict[str, str]:
    inputs, outputs = _io_names(model)
    about = {
        "workbench_version": __version__, "task": model.task,
        "feature_names": list(model.feature_names), "class_names": list(model.class_names),
        "input_shape": list(model.input_shape), "input": inputs[0], "outputs": list(outputs),
        "normalization": "inside the program: raw values in", "summary": model.summary,
    }
    return {"config.json": json.dumps(model.config.to_dict(), ensure_ascii=False),
            "workbench.json": json.dumps(about, ensure_ascii=False)}


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

def _template() -> str:
    return resources.files("workbench.templates").joinpath("train_script.py").read_text(
        encoding="utf-8")


def _script_source(model: TrainedModel) -> str:
    cfg = model.config
    kind = str(cfg.model.kind).upper()
    layers = "-".join(map(str, cfg.model.hidden)) or "linear"
    about = (f"{model.summary.get('dataset') or cfg.data.dataset}, {kind} {layers}, "
             f"{cfg.optim.optimizer} lr {cfg.optim.lr:g}, {cfg.run.epochs} epochs of "
             f"batch {cfg.run.batch_size}")
    text = _template().replace("@ABOUT@", about).replace("@WORKBENCH_VERSION@", __version__)
    return "#!/usr/bin/env python3\n" + text


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
    plain = cfg.to_dict()
    checks = ["The script compiles."]
    n_out = model.n_outputs
    shape = tuple(model.input_shape)
    # The same seed must give the same initial weights, layer for layer: then the script's
    # run starts where Workbench's did.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.run.seed)
        ours = build_model(cfg.model, shape, n_out).state_dict()
        torch.manual_seed(cfg.run.seed)
        net = script.build_model(plain["model"], shape, n_out)
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
        got = script.prepare_data(plain)
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
    if (tuple(got.class_names) != tuple(expected.class_names)
            or tuple(got.feature_names) != tuple(expected.feature_names)
            or got.task != expected.task):
        raise ExportError.from_template("The training script finds other class or feature "
                                        "names than Workbench; it was not saved.")
    rows = int(len(got.x_train) + len(got.x_val))
    checks.insert(0, f"Its data preparation gives the same {rows} rows, split and "
                     "normalisation as Workbench, bit for bit.")
    return rows, tuple(checks)
