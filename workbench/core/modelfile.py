"""The one-file model format (``.wbm``, a safetensors file) and checkpoints.

Tensors hold the weights and the normalisation statistics; the safetensors metadata holds JSON
of the architecture config, class and feature names, a format version and a training summary.
Nothing here unpickles: the header is checked by hand before safetensors reads the tensors, and
the architecture is rebuilt only from the known options of ``ModelConfig``.
"""

from __future__ import annotations

import json
import math
import re
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save
from torch import nn

from workbench import __version__
from workbench.atomic import (
    DISK_FULL,
    IS_FOLDER,
    NO_FOLDER,
    NOT_ALLOWED,
    atomic_write_bytes,
    write_failure,
)
from workbench.config import ConfigError, ModelKind, TrainConfig
from workbench.core.data.tables import Table
from workbench.core.data.types import MIN_STD
from workbench.core.models import build_model, parameter_count
from workbench.core.preprocess import TablePreprocessor, TransformReport
from workbench.errors import ModelFileError

MODEL_FORMAT = "workbench-model"
CHECKPOINT_FORMAT = "workbench-checkpoint"
# 2: table preprocessing ("preprocess") and regression target scaling ("target_scaling").
# Files of format 1 open unchanged (no preprocessing, target in its own units).
FORMAT_VERSION = 2
MAX_HEADER_BYTES = 16 * 2**20
MAX_FILE_BYTES = 8 * 2**30

_DTYPES = {
    "F64": (torch.float64, 8), "F32": (torch.float32, 4), "F16": (torch.float16, 2),
    "BF16": (torch.bfloat16, 2), "I64": (torch.int64, 8), "I32": (torch.int32, 4),
    "I16": (torch.int16, 2), "I8": (torch.int8, 1), "U8": (torch.uint8, 1), "BOOL": (torch.bool, 1),
}


@dataclass
class Prediction:
    labels: np.ndarray  # class indices (classification) or values (regression)
    proba: np.ndarray | None  # (N, classes) for classification
    names: list[str]  # class name per row, or the value as text


@dataclass
class TrainedModel:
    config: TrainConfig
    module: nn.Module
    mean: np.ndarray
    std: np.ndarray
    task: str
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    input_shape: tuple[int, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    # Tables: raw columns -> the network's inputs (``feature_names``). None otherwise.
    preprocess: TablePreprocessor | None = None
    # Regression: the network predicts (y - target_mean) / target_std.
    target_mean: float = 0.0
    target_std: float = 1.0

    @property
    def parameters(self) -> int:
        return parameter_count(self.module)

    @property
    def n_outputs(self) -> int:
        return len(self.class_names) if self.task == "classification" else 1

    def predict(self, x_raw: np.ndarray, batch_size: int = 4096) -> Prediction:
        """Predict from raw (unnormalised) features; the model's own statistics are applied."""
        x = np.asarray(x_raw, dtype=np.float32)
        if x.shape[1:] != tuple(self.input_shape):
            want = "x".join(str(s) for s in self.input_shape)
            got = "x".join(str(s) for s in x.shape[1:])
            raise ModelFileError.from_template("The model expects inputs of shape {want}, not "
                                               "{got}.", want=want, got=got)
        x = (x - self.mean) / self.std
        self.module.eval()
        outs = []
        with torch.no_grad():
            for start in range(0, len(x), batch_size):
                outs.append(self.module(torch.from_numpy(x[start:start + batch_size])))
        out = torch.cat(outs) if outs else torch.zeros((0, self.n_outputs))
        if self.task == "classification":
            proba = torch.softmax(out, dim=1).numpy()
            labels = proba.argmax(axis=1)
            return Prediction(labels, proba, [self.class_names[i] for i in labels])
        values = (out[:, 0].double() * self.target_std + self.target_mean).float().numpy()
        return Prediction(values, None, [f"{v:.9g}" for v in values])

    def predict_table(self, table: Table, rows: np.ndarray | None = None
                      ) -> tuple[Prediction, TransformReport]:
        """Predict raw table rows (columns matched by name; extra columns are ignored)."""
        if self.preprocess is None:
            raise ModelFileError.from_template("This model was not trained on a table; "
                                               "predicting from a table file needs one that was.")
        x, report = self.preprocess.transform(table, rows=rows)
        return self.predict(x), report


# -- writing ------------------------------------------------------------------------------

def _metadata(model: TrainedModel, fmt: str) -> dict[str, str]:
    return {
        "format": fmt,
        "format_version": str(FORMAT_VERSION),
        "workbench_version": __version__,
        "config": json.dumps(model.config.to_dict()),
        "task": model.task,
        "classes": json.dumps(list(model.class_names), ensure_ascii=False),
        "features": json.dumps(list(model.feature_names), ensure_ascii=False),
        "input_shape": json.dumps(list(model.input_shape)),
        "summary": json.dumps(model.summary, ensure_ascii=False),
        "target_scaling": json.dumps({"mean": model.target_mean, "std": model.target_std}),
        **({"preprocess": json.dumps(model.preprocess.to_dict(), ensure_ascii=False)}
           if model.preprocess is not None else {}),
    }


def _model_tensors(model: TrainedModel) -> dict[str, torch.Tensor]:
    tensors = {f"model.{k}": v.detach().cpu().contiguous()
               for k, v in model.module.state_dict().items()}
    tensors["norm.mean"] = torch.from_numpy(np.ascontiguousarray(model.mean, dtype=np.float32))
    tensors["norm.std"] = torch.from_numpy(np.ascontiguousarray(model.std, dtype=np.float32))
    return tensors


def model_bytes(model: TrainedModel) -> bytes:
    return st_save(_model_tensors(model), metadata=_metadata(model, MODEL_FORMAT))


def save_model(model: TrainedModel, path: str | Path) -> None:
    """Write ``path`` atomically: the old file stays whole if anything fails.

    The whole file is serialised in memory before anything touches the disk, so a failure
    while serialising cannot leave a partial file either. A disk or permission problem is a
    ModelFileError that says what to do.
    """
    path = Path(path)
    _write_file(path, model_bytes(model))


def save_checkpoint(model: TrainedModel, state: dict[str, Any],
                    extra_tensors: dict[str, torch.Tensor], path: str | Path) -> None:
    """A model file plus resumable training state (JSON) and tensors (optimizer, RNG)."""
    tensors = _model_tensors(model)
    for k, v in extra_tensors.items():
        tensors[k] = v.detach().cpu().contiguous()
    meta = _metadata(model, CHECKPOINT_FORMAT)
    meta["state"] = json.dumps(state)
    _write_file(Path(path), st_save(tensors, metadata=meta))


def _write_file(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise _save_failure(path, exc) from exc


def _save_failure(path: Path, exc: OSError) -> ModelFileError:
    folder = path.parent if str(path.parent) else Path(".")
    where = {"file": path.name, "folder": folder}
    cause = write_failure(exc)
    if cause == DISK_FULL:
        return ModelFileError.from_template(
            "The disk is full: {file} could not be saved in {folder}. Free some space or save "
            "to another drive. A file saved there before is unchanged.", **where)
    if cause == NOT_ALLOWED:
        return ModelFileError.from_template(
            "Workbench may not write {file} in {folder}. Choose another folder, or check its "
            "permissions. A file saved there before is unchanged.", **where)
    if cause == NO_FOLDER:
        return ModelFileError.from_template(
            "The folder {folder} does not exist. Choose another folder to save {file} in.",
            **where)
    if cause == IS_FOLDER:
        return ModelFileError.from_template(
            "{path} is a folder. Choose a file name to save the model as.", path=path)
    return ModelFileError.from_template(
        "{file} could not be saved in {folder} ({reason}). A file saved there before is "
        "unchanged.", reason=exc.strerror or exc, **where)


# -- reading ------------------------------------------------------------------------------
#
# Order matters: the file is read whole (size capped), the header length and the JSON header
# are checked, then the format and its version (so a newer file is told apart from a damaged
# one even when its tensors use something this release does not know), then every tensor's
# type, shape and byte range, and only then does safetensors turn bytes into tensors. The
# architecture is rebuilt on the "meta" device (shapes only, no memory) and compared with the
# weights before any real parameter is allocated.

# Pickle streams of protocol 2 and later start with PROTO; torch.save writes a ZIP archive.
_PICKLE_MAGIC = (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")
_ZIP_MAGIC = b"PK\x03\x04"
# Protocol 0 and 1 pickles start with one of these opcodes and end with STOP (".").
_OLD_PICKLE_OPENERS = frozenset(b"(}])cdlNIFLSVUXJKMGTq")
# An input is at most this many values (e.g. 3 x 2048 x 2048); more is not a Workbench model.
MAX_INPUT_VALUES = 2**24
# One sample's largest activation in a layer; beyond this a single prediction would need
# gigabytes, so such a file is refused before anything runs.
MAX_ACTIVATION_VALUES = 2**27
_VERSION_TEXT = re.compile(r"[1-9][0-9]{0,5}")
_RELEASE_TEXT = re.compile(r"[0-9A-Za-z.+-]{1,40}")


# Reasons quote text from the file (setting values, names); a message stays readable.
_MAX_REASON = 400


def _invalid(path: Path, reason: str, /, **params: Any) -> ModelFileError:
    """Not a valid model file, and why: ``reason`` is a template filled in with ``params``."""
    why: ModelFileError | str = ModelFileError.from_template(reason, **params)
    if len(str(why)) > _MAX_REASON:
        why = str(why)[:_MAX_REASON] + "..."
    return ModelFileError.from_template(
        "{file} is not a valid Workbench model file: {why}. The file may be damaged or may not "
        "come from Workbench; open a .wbm file saved by Workbench.", file=path.name, why=why)


def _quoted(name: str, limit: int = 60) -> str:
    """A name from the file, quoted and cut short: it may be megabytes long."""
    return repr(name if len(name) <= limit else name[:limit] + "...")


def _pickle_refusal(path: Path) -> ModelFileError:
    return ModelFileError.from_template(
        "{file} is not a Workbench model: it looks like a PyTorch/pickle file. Pickle files can "
        "run code when opened, so Workbench never opens them. Open a .wbm file saved by "
        "Workbench instead.", file=path.name)


def _looks_like_pickle(data: bytes) -> bool:
    """Only asked once the bytes are known not to be a safetensors file."""
    if data[:2] in _PICKLE_MAGIC:
        return True
    if data[:4] == _ZIP_MAGIC:
        return b".pkl" in data[:4096]  # torch.save puts "<name>/data.pkl" first
    return len(data) >= 2 and data[0] in _OLD_PICKLE_OPENERS and data.rstrip(b"\r\n")[-1:] == b"."


def _read_file(path: Path) -> bytes:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device (/dev/zero) reports no size and may never end.
            raise ModelFileError.from_template("{path} is not a regular file. Open a .wbm file "
                                               "saved by Workbench.", path=path)
        if info.st_size > MAX_FILE_BYTES:
            raise _invalid(path, "it is {gib:.1f} GB, larger than any model Workbench makes",
                           gib=info.st_size / 2**30)
        with path.open("rb") as fh:
            # Bounded even if the file grows between stat and read; read(n) reserves n bytes
            # up front, so n is the size just seen, not the limit.
            data = fh.read(info.st_size + 1)
        if len(data) > MAX_FILE_BYTES:
            raise _invalid(path, "it is larger than any model Workbench makes")
        return data
    except FileNotFoundError:
        raise ModelFileError.from_template("Model file {path} does not exist.",
                                           path=path) from None
    except IsADirectoryError:
        raise ModelFileError.from_template("{path} is a folder, not a model file.",
                                           path=path) from None
    except PermissionError:
        raise ModelFileError.from_template("Workbench may not read {path}. Check the file's "
                                           "permissions.", path=path) from None
    except OSError as exc:
        raise ModelFileError.from_template("Cannot read {path}: {reason}.", path=path,
                                           reason=exc.strerror or exc) from None


def _no_duplicate_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Python's json keeps the last of two equal names while other readers may keep the first;
    # a header that two readers could see differently is refused.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the name {key!r} appears twice")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _parse_header(path: Path, data: bytes) -> tuple[dict[str, Any], dict[str, str], int]:
    """``(tensor entries, metadata, header length)``; nothing about the tensors checked yet."""
    n = struct.unpack("<Q", data[:8])[0] if len(data) >= 8 else -1
    if n < 0 or n > MAX_HEADER_BYTES or n > len(data) - 8:
        if _looks_like_pickle(data):
            raise _pickle_refusal(path)
        if data[:4] == _ZIP_MAGIC:
            raise ModelFileError.from_template("{file} is a ZIP archive, not a Workbench model. "
                                               "Open a .wbm file saved by Workbench.",
                                               file=path.name)
        if n < 0:
            raise _invalid(path, "the file is too short")
        raise _invalid(path, "the header length is larger than the file")
    try:
        text = data[8:8 + n].decode("utf-8")
    except UnicodeDecodeError:
        raise _invalid(path, "the header is not UTF-8 text") from None
    try:
        header = json.loads(text, object_pairs_hook=_no_duplicate_names,
                            parse_constant=_no_constants)
    except (ValueError, RecursionError):  # RecursionError: deeply nested brackets
        raise _invalid(path, "the header is not JSON") from None
    if not isinstance(header, dict):
        raise _invalid(path, "the header is not a JSON object")
    meta = header.pop("__metadata__", {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise _invalid(path, "the metadata is not a table of text")
    return header, meta, n


def _check_tensor_table(path: Path, header: dict[str, Any], body: int) -> None:
    """Every tensor has a known type and a shape whose bytes tile the body exactly."""
    spans = []
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise _invalid(path, "tensor {name} is described wrongly", name=_quoted(name))
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if not isinstance(dtype, str) or dtype not in _DTYPES:
            kind = _quoted(dtype) if isinstance(dtype, str) else "that is not a name"
            raise _invalid(path, "tensor {name} has unknown type {kind}", name=_quoted(name),
                           kind=kind)
        if (not isinstance(shape, list) or len(shape) > 8
                or not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s for s in shape)):
            raise _invalid(path, "tensor {name} has a bad shape", name=_quoted(name))
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            raise _invalid(path, "tensor {name} has bad offsets", name=_quoted(name))
        begin, end = offsets
        # Multiplying step by step and stopping early keeps a declared 10**30-element tensor
        # from ever being more than a comparison (no allocation, no huge product).
        numel = 0 if 0 in shape else 1
        for s in shape:
            numel *= s
            if numel > body:
                raise _invalid(path, "tensor {name} declares more data than the file holds",
                               name=_quoted(name))
        if any(s > max(body, 1) for s in shape):
            # No dimension of a real tensor is longer than the file; one of 2**63 (with another
            # of 0, so no data) would reach PyTorch and fail there with C++ frames in the text.
            raise _invalid(path, "tensor {name} has a dimension longer than the file",
                           name=_quoted(name))
        if not 0 <= begin <= end <= body:
            raise _invalid(path, "tensor {name} points outside the file", name=_quoted(name))
        if end - begin != numel * _DTYPES[dtype][1]:
            raise _invalid(path, "tensor {name} has a size that does not match its shape",
                           name=_quoted(name))
        spans.append((begin, end, name))
    spans.sort()
    pos = 0
    for begin, end, name in spans:
        if begin != pos:
            raise _invalid(path, "tensor {name} overlaps another or leaves a gap",
                           name=_quoted(name))
        pos = end
    if pos != body:
        raise _invalid(path, "there are extra bytes after the tensors")


def _load_tensors(path: Path, data: bytes, header: dict[str, Any], n: int
                  ) -> dict[str, torch.Tensor]:
    _check_tensor_table(path, header, len(data) - 8 - n)
    try:
        return st_load(data)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same user-facing error
        raise _invalid(path, "its tensors cannot be read ({reason})",
                       reason=_first_line(exc)) from None


def _first_line(exc: BaseException) -> str:
    """An exception's first line, without the C++ stack frames PyTorch appends."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.split("Exception raised from")[0].strip()[:200]


def read_safetensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Read and check a safetensors file; every malformation is a ModelFileError."""
    path = Path(path)
    data = _read_file(path)
    header, meta, n = _parse_header(path, data)
    return _load_tensors(path, data, header, n), meta


def _json_field(path: Path, meta: dict[str, str], key: str, kind: type) -> Any:
    try:
        value = json.loads(meta[key], object_pairs_hook=_no_duplicate_names)
    except KeyError:
        raise _invalid(path, "the metadata has no {key!r}", key=key) from None
    except (ValueError, RecursionError):
        raise _invalid(path, "the metadata {key!r} is not JSON", key=key) from None
    if not isinstance(value, kind):
        raise _invalid(path, "the metadata {key!r} has the wrong type", key=key)
    return value


def _check_format(path: Path, meta: dict[str, str], allowed: tuple[str, ...]) -> None:
    fmt = meta.get("format")
    if fmt not in (MODEL_FORMAT, CHECKPOINT_FORMAT):
        raise ModelFileError.from_template("{file} is a safetensors file but not a Workbench "
                                           "model (it has no Workbench metadata). Open a .wbm "
                                           "file saved by Workbench.", file=path.name)
    version = meta.get("format_version", "")
    if not _VERSION_TEXT.fullmatch(version):
        raise _invalid(path, "its format version is missing or unreadable")
    if int(version) > FORMAT_VERSION:
        raise _newer_file(path, meta.get("workbench_version", ""), version)
    if fmt not in allowed and fmt == CHECKPOINT_FORMAT:
        raise ModelFileError.from_template("{file} is a Workbench checkpoint, not a model.",
                                           file=path.name)
    if fmt not in allowed:
        raise ModelFileError.from_template("{file} is a Workbench model, not a checkpoint.",
                                           file=path.name)


def _newer_file(path: Path, made_by: str, version: str) -> ModelFileError:
    """A file from a later release: says which one made it, when the file tells."""
    params = {"file": path.name, "version": version, "release": __version__,
              "supported": FORMAT_VERSION}
    if _RELEASE_TEXT.fullmatch(made_by):
        return ModelFileError.from_template(
            "{file} was made by a newer Workbench ({made_by}, file format {version}); this is "
            "Workbench {release} (format {supported}). Please upgrade Workbench to open it.",
            made_by=made_by, **params)
    return ModelFileError.from_template(
        "{file} was made by a newer Workbench (a newer release, file format {version}); this is "
        "Workbench {release} (format {supported}). Please upgrade Workbench to open it.",
        **params)


def _read_config(path: Path, meta: dict[str, str]) -> TrainConfig:
    raw = _json_field(path, meta, "config", dict)
    try:
        config = TrainConfig.from_dict(raw)
        # Every setting, with the rules a person's own input meets: the data and run settings
        # are used too (evaluating, exporting, continuing), so none is trusted.
        problems = config.validate()
    except ConfigError as exc:
        raise _invalid(path, "its configuration is not valid ({reason})", reason=exc) from None
    except Exception:  # noqa: BLE001 - e.g. an infinite number where a whole one belongs
        raise _invalid(path, "its configuration cannot be read") from None
    if problems:
        raise _invalid(path, "its settings are not valid ({problems})",
                       problems=" ".join(str(p) for p in problems))
    return config


_SUMMARY_TYPES: dict[str, tuple[type, ...]] = {
    "dataset": (str,), "device": (str,), "epochs": (int,), "iterations": (int,),
    "best_epoch": (int,), "train_samples": (int,), "val_samples": (int,),
    "seconds": (int, float), "train_loss": (int, float), "val_loss": (int, float),
    "val_accuracy": (int, float), "weights_epoch": (int,),
}


_MAX_SUMMARY_TEXT = 300


def _clean_summary(raw: dict[str, Any]) -> dict[str, Any]:
    """The known training-summary entries with the right types; anything else is dropped.

    The summary is shown and added to (the seconds of a continued run), so a value of the
    wrong type would fail later in a place that has nothing to do with the file.
    """
    out: dict[str, Any] = {}
    for key, kinds in _SUMMARY_TYPES.items():
        value = raw.get(key)
        if value is None and key in raw:
            out[key] = None
        elif isinstance(value, str) and str in kinds:
            out[key] = value[:_MAX_SUMMARY_TEXT]
        elif isinstance(value, float) and not math.isfinite(value):
            continue
        elif isinstance(value, kinds) and not isinstance(value, bool) and (
                not isinstance(value, int) or abs(value) < 2**53):
            out[key] = value
    return out


def _layer_count(config: TrainConfig) -> int:
    """Layers with weights (Linear, Conv2d); each needs at least a weight tensor in the file."""
    m = config.model
    return len(m.hidden) + 1 + (len(m.channels) if m.kind == ModelKind.CNN else 0)


def _fit_problems(own: dict[str, torch.Tensor], state: dict[str, torch.Tensor]) -> list[str]:
    """What keeps ``state`` from loading into a module with ``own`` as its state dict."""
    def names(keys: list[str]) -> str:
        shown = ", ".join(k if len(k) <= 60 else k[:60] + "..." for k in keys[:6])
        return shown + (f" and {len(keys) - 6} more" if len(keys) > 6 else "")

    def dims(t: torch.Tensor) -> str:
        return "x".join(map(str, t.shape)) or "a single number"

    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    mismatched = sorted(k for k in set(own) & set(state) if own[k].shape != state[k].shape)
    parts = []
    if missing:
        parts.append("missing " + names(missing))
    if unexpected:
        parts.append("unexpected " + names(unexpected))
    if mismatched:
        parts.append("wrong shape " + ", ".join(
            f"{k} ({dims(state[k])} instead of {dims(own[k])})" for k in mismatched[:6]))
    return parts


def _skeleton(path: Path, config: TrainConfig, shape: tuple[int, ...], n_out: int,
              state: dict[str, torch.Tensor]) -> nn.Sequential:
    """The architecture on the meta device, checked against the weights and its input size."""
    if _layer_count(config) > len(state):
        raise _invalid(path, "its settings describe {layers} layers but it holds only "
                       "{tensors} weight tensors", layers=_layer_count(config), tensors=len(state))
    try:
        with torch.device("meta"):
            skeleton = build_model(config.model, shape, n_out)
    except Exception as exc:  # noqa: BLE001
        raise _invalid(path, "its architecture cannot be built ({reason})", reason=exc) from None
    problems = _fit_problems(skeleton.state_dict(), state)
    if problems:
        raise ModelFileError.from_template(
            "The weights in {file} do not fit the architecture its settings describe: "
            "{problems}. The file is damaged or was edited; open another model.",
            file=path.name, problems="; ".join(problems))
    skeleton.eval()
    x = torch.empty((1, *shape), device="meta")
    peak = x.numel()
    try:
        for layer in skeleton:
            x = layer(x)
            peak = max(peak, x.numel())
    except Exception:  # noqa: BLE001
        raise _invalid(path, "its layers do not fit its input shape") from None
    if peak > MAX_ACTIVATION_VALUES:
        raise _invalid(path, "one prediction would need {gib:.1f} GB of memory",
                       gib=peak * 4 / 2**30)
    if tuple(x.shape) != (1, n_out):
        raise _invalid(path, "its output does not match its classes")
    return skeleton


def _materialise(skeleton: nn.Module, state: dict[str, torch.Tensor], config: TrainConfig,
                 shape: tuple[int, ...], n_out: int) -> nn.Module:
    """Real CPU memory for the checked skeleton, filled from ``state``.

    ``to_empty`` skips the random initialisation, which would be overwritten anyway and would
    move the global random generator (a run started after opening a model must not depend on
    whether a model was opened). Every tensor a layer owns must come from the file; a layer
    with buffers outside its state dict would be left uninitialised, so that case builds a
    normally initialised model instead.
    """
    module = skeleton.to_empty(device="cpu")
    saved = set(module.state_dict())
    if any(name not in saved for name, _ in module.named_buffers()):
        with torch.random.fork_rng(devices=[]):
            module = build_model(config.model, shape, n_out)
    module.load_state_dict(state, strict=True)
    return module.eval()


def _norm_stats(path: Path, tensors: dict[str, torch.Tensor], shape: tuple[int, ...]
                ) -> tuple[np.ndarray, np.ndarray]:
    mean, std = tensors.get("norm.mean"), tensors.get("norm.std")
    if mean is None or std is None:
        raise _invalid(path, "its normalisation statistics are missing")
    if not (mean.is_floating_point() and std.is_floating_point()):
        raise _invalid(path, "its normalisation statistics are not numbers")
    try:
        fits = np.broadcast_shapes(tuple(mean.shape), tuple(std.shape), shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise _invalid(path, "its normalisation statistics do not match its input shape")
    m, s = mean.float().numpy(), std.float().numpy()
    # Training never stores a spread below MIN_STD (a constant feature gets 1); a tinier one
    # (1e-45) would turn every input into an overflow to infinity.
    if not (np.all(np.isfinite(m)) and np.all(np.isfinite(s)) and np.all(s >= MIN_STD / 2)):
        raise _invalid(path, "its normalisation statistics are not finite positive numbers")
    return m, s


def _rebuild(path: Path, tensors: dict[str, torch.Tensor], meta: dict[str, str]) -> TrainedModel:
    """The model from checked tensors and metadata: only known layers and options.

    Nothing named in the metadata is imported or called: the settings go through
    ``TrainConfig.from_dict``, which accepts only known setting names and enum values, and
    ``build_model`` maps those to a fixed set of torch layers.
    """
    config = _read_config(path, meta)
    task = meta.get("task")
    if task not in ("classification", "regression"):
        raise _invalid(path, "its task is unknown")
    classes = _json_field(path, meta, "classes", list)
    features = _json_field(path, meta, "features", list)
    raw_shape = _json_field(path, meta, "input_shape", list)
    summary = _clean_summary(_json_field(path, meta, "summary", dict))
    if not all(isinstance(c, str) for c in classes + features):
        raise _invalid(path, "its class or feature names are not text")
    if not (1 <= len(raw_shape) <= 3 and all(isinstance(s, int) and not isinstance(s, bool)
                                             and 0 < s <= 65536 for s in raw_shape)):
        raise _invalid(path, "its input shape is not valid")
    shape = tuple(raw_shape)
    if math.prod(shape) > MAX_INPUT_VALUES:
        raise _invalid(path, "its input is larger than any Workbench model takes")
    if task == "classification" and len(classes) < 2:
        raise _invalid(path, "a classifier needs at least two class names")
    n_out = len(classes) if task == "classification" else 1
    state = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    skeleton = _skeleton(path, config, shape, n_out, state)
    for tensor in state.values():
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            raise _invalid(path, "its weights hold numbers that are not finite (NaN or "
                           "infinity); train the model again")
    mean, std = _norm_stats(path, tensors, shape)
    module = _materialise(skeleton, state, config, shape, n_out)
    target_mean, target_std = _target_scaling(path, meta, task)
    preprocess = _preprocess(path, meta, features)
    return TrainedModel(config, module, mean, std, task, tuple(classes), tuple(features), shape,
                        summary, preprocess, target_mean, target_std)


def _target_scaling(path: Path, meta: dict[str, str], task: str) -> tuple[float, float]:
    if "target_scaling" not in meta:
        return 0.0, 1.0
    raw = _json_field(path, meta, "target_scaling", dict)
    mean, std = raw.get("mean"), raw.get("std")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                  and abs(v) <= 3.4e38 for v in (mean, std))
    if not numbers or set(raw) != {"mean", "std"} or std <= 0:
        raise _invalid(path, "its target scaling is not two finite numbers")
    if task == "classification" and (mean, std) != (0, 1):
        raise _invalid(path, "a classifier has a target scaling")
    return float(mean), float(std)


def _preprocess(path: Path, meta: dict[str, str], features: list[str]
                ) -> TablePreprocessor | None:
    if "preprocess" not in meta:
        return None
    raw = _json_field(path, meta, "preprocess", dict)
    try:
        pre = TablePreprocessor.from_dict(raw)
    except (TypeError, ValueError) as exc:
        raise _invalid(path, "its table preprocessing is not valid ({reason})",
                       reason=exc) from None
    if list(pre.feature_names) != features:
        raise _invalid(path, "its table preprocessing does not match its inputs")
    return pre


def load_weights(module: nn.Module, state: dict[str, torch.Tensor], source: str) -> None:
    """Load ``state`` into ``module`` only if every name and shape matches; else change nothing."""
    problems = _fit_problems(module.state_dict(), state)
    if problems:
        raise ModelFileError.from_template("The weights in {source} do not fit this "
                                           "architecture: {problems}.", source=source,
                                           problems="; ".join(problems))
    module.load_state_dict(state, strict=True)


def _open(path: Path, allowed: tuple[str, ...]
          ) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    data = _read_file(path)
    header, meta, n = _parse_header(path, data)
    _check_format(path, meta, allowed)
    return _load_tensors(path, data, header, n), meta


def load_model(path: str | Path) -> TrainedModel:
    """Open a ``.wbm`` model (or the model inside a checkpoint)."""
    path = Path(path)
    tensors, meta = _open(path, (MODEL_FORMAT, CHECKPOINT_FORMAT))
    return _rebuild(path, tensors, meta)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_state(path: Path, state: dict[str, Any], extra: dict[str, torch.Tensor]) -> None:
    """The resumable state has every entry training needs, of the right kind."""
    def bad(what: str) -> ModelFileError:
        return _invalid(path, "its training state is incomplete ({what})", what=what)

    for key in ("epoch", "iteration", "bad_epochs"):
        if not _is_count(state.get(key)):
            raise bad(key)
    best_loss, best_epoch = state.get("best_loss"), state.get("best_epoch")
    if not isinstance(best_loss, (int, float)) or isinstance(best_loss, bool):
        raise bad("best_loss")
    if best_epoch is not None and not _is_count(best_epoch):
        raise bad("best_epoch")
    if state.get("scheduler") is not None and not isinstance(state["scheduler"], dict):
        raise bad("scheduler")
    if not _divergence_state_ok(state):
        raise bad("divergence watch")
    opt = state.get("optimizer")
    if (not isinstance(opt, dict) or not isinstance(opt.get("state"), dict)
            or not isinstance(opt.get("param_groups"), list)
            or not all(isinstance(g, dict) for g in opt["param_groups"])):
        raise bad("optimizer")
    for pid, entry in opt["state"].items():
        if not pid.isdigit() or not isinstance(entry, dict):
            raise bad("optimizer")
        for value in entry.values():
            if isinstance(value, dict) and extra.get(str(value.get("tensor"))) is None:
                raise bad("optimizer tensors")
    for key, reference in (("rng.torch", torch.get_rng_state()),
                           ("rng.sampler", torch.Generator().get_state())):
        t = extra.get(key)
        if t is None or t.dtype != torch.uint8 or t.shape != reference.shape:
            raise bad("random generator state")


def _divergence_state_ok(state: dict[str, Any]) -> bool:
    """The divergence watch's entries, when there (older checkpoints have none): finite
    numbers, at most a few recent epoch means, a blow-up as [epoch, mean] or null."""
    if state.get("divergence.start") is None:
        return True

    def number(v: Any) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    recent, exploded = state.get("divergence.recent"), state.get("divergence.exploded")
    return (number(state["divergence.start"]) and number(state.get("divergence.lowest"))
            and isinstance(recent, list) and len(recent) <= 16 and all(map(number, recent))
            and (exploded is None or (isinstance(exploded, list) and len(exploded) == 2
                                      and _is_count(exploded[0]) and number(exploded[1]))))


def load_checkpoint(path: str | Path) -> tuple[TrainedModel, dict[str, Any], dict[str, torch.Tensor]]:
    """``(model, state, extra tensors)`` of a checkpoint written by ``save_checkpoint``."""
    path = Path(path)
    tensors, meta = _open(path, (CHECKPOINT_FORMAT,))
    model = _rebuild(path, tensors, meta)
    state = _json_field(path, meta, "state", dict)
    extra = {k: v for k, v in tensors.items() if not k.startswith(("model.", "norm."))}
    _check_state(path, state, extra)
    return model, state, extra


def describe(model: TrainedModel) -> list[str]:
    """Lines for ``workbench info`` and the window's summary."""
    from workbench.core.models import summary_lines

    cfg = model.config
    s = model.summary
    lines = [
        f"Task:        {model.task}",
        f"Data set:    {s.get('dataset', cfg.data.dataset)}",
        f"Input:       {'x'.join(map(str, model.input_shape))}"
        + (f" ({', '.join(model.feature_names[:8])}{', ...' if len(model.feature_names) > 8 else ''})"
           if model.feature_names else ""),
    ]
    if model.preprocess is not None:
        cols = [f"{c.name} ({c.kind})" for c in model.preprocess.columns]
        lines.append(f"Columns:     {len(cols)} raw columns in: {', '.join(cols[:8])}"
                     f"{', ...' if len(cols) > 8 else ''}")
        if model.preprocess.identifiers:
            lines.append(f"Copied:      {', '.join(model.preprocess.identifiers[:8])} "
                         "(identifiers, copied into predictions)")
    if model.task == "regression" and model.preprocess is not None:
        lines.append(f"Target:      {cfg.data.target or 'the last column'} (standardised for "
                     f"training: mean {model.target_mean:.6g}, std {model.target_std:.6g})")
    if model.task == "classification":
        lines.append(f"Classes:     {len(model.class_names)} ({', '.join(model.class_names[:10])}"
                     f"{', ...' if len(model.class_names) > 10 else ''})")
    lines.append(f"Model:       {cfg.model.kind.value.upper()} hidden {list(cfg.model.hidden)}, "
                 f"{cfg.model.activation.value}, dropout {cfg.model.dropout:g} "
                 f"(input {cfg.model.input_dropout:g}), {model.parameters:,} parameters")
    lines.append(f"Training:    {cfg.optim.optimizer.value} lr {cfg.optim.lr:g}, batch "
                 f"{cfg.run.batch_size}, {s.get('epochs', '?')} epochs, "
                 f"{s.get('iterations', '?')} iterations, {s.get('seconds') or 0:.1f} s "
                 f"on {s.get('device', '?')}")
    for key, label in (("train_loss", "Train loss:  "), ("val_loss", "Val loss:    "),
                       ("val_accuracy", "Val acc.:    ")):
        v = s.get(key)
        if v is not None:
            lines.append(f"{label}{v:.2%}" if key == "val_accuracy" else f"{label}{v:.4f}")
    if s.get("best_epoch"):
        lines.append(f"Best epoch:  {s['best_epoch']}")
    kept = s.get("weights_epoch")
    if kept:
        why = "the best validation loss" if kept == s.get("best_epoch") else "the last one"
        lines.append(f"Weights:     of epoch {kept} of {s.get('epochs', '?')}, {why}")
    lines.append("Layers:")
    lines.extend("  " + ln for ln in summary_lines(model.module, model.input_shape))
    return lines
