"""The one-file model format (``.wbm``, a safetensors file) and checkpoints.

Tensors hold the weights and the normalisation statistics; the safetensors metadata holds JSON
of the architecture config, class and feature names, a format version and a training summary.
Nothing here unpickles: the header is checked by hand before safetensors reads the tensors, and
the architecture is rebuilt only from the known options of ``ModelConfig``.
"""

from __future__ import annotations

import json
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
from workbench.atomic import atomic_write_bytes
from workbench.config import ConfigError, TrainConfig
from workbench.errors import ModelFileError
from workbench.core.models import build_model, parameter_count

MODEL_FORMAT = "workbench-model"
CHECKPOINT_FORMAT = "workbench-checkpoint"
FORMAT_VERSION = 1
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
            raise ModelFileError(f"The model expects inputs of shape {want}, not {got}.")
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
        values = out[:, 0].numpy()
        return Prediction(values, None, [f"{v:.6g}" for v in values])


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
    """Write ``path`` atomically: the old file stays whole if anything fails."""
    atomic_write_bytes(Path(path), model_bytes(model))


def save_checkpoint(model: TrainedModel, state: dict[str, Any],
                    extra_tensors: dict[str, torch.Tensor], path: str | Path) -> None:
    """A model file plus resumable training state (JSON) and tensors (optimizer, RNG)."""
    tensors = _model_tensors(model)
    for k, v in extra_tensors.items():
        tensors[k] = v.detach().cpu().contiguous()
    meta = _metadata(model, CHECKPOINT_FORMAT)
    meta["state"] = json.dumps(state)
    atomic_write_bytes(Path(path), st_save(tensors, metadata=meta))


# -- reading ------------------------------------------------------------------------------

def _invalid(path: Path, why: str) -> ModelFileError:
    return ModelFileError(f"{path.name} is not a valid Workbench model file: {why}.")


def _check_not_pickle(path: Path, head: bytes) -> None:
    if head[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05") or head[:4] == b"PK\x03\x04":
        raise ModelFileError(
            f"{path.name} is not a Workbench model: it looks like a PyTorch/pickle file. "
            "Pickle files can run code when opened, so Workbench never opens them. "
            "Open a .wbm file saved by Workbench instead.")


def read_safetensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Read and check a safetensors file; every malformation is a ModelFileError."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _invalid(path, f"it is {size / 2**30:.1f} GB, larger than any model Workbench makes")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"Model file {path} does not exist.") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path} is a folder, not a model file.") from None
    except OSError as exc:
        raise ModelFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    _check_not_pickle(path, data[:8])
    if len(data) < 8:
        raise _invalid(path, "the file is too short")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER_BYTES or n > len(data) - 8:
        raise _invalid(path, "the header length is larger than the file")
    try:
        header = json.loads(data[8:8 + n].decode("utf-8"))
    except UnicodeDecodeError:
        raise _invalid(path, "the header is not UTF-8 text") from None
    except ValueError:
        raise _invalid(path, "the header is not JSON") from None
    if not isinstance(header, dict):
        raise _invalid(path, "the header is not a JSON object")
    meta = header.pop("__metadata__", {})
    if not isinstance(meta, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in meta.items()):
        raise _invalid(path, "the metadata is not a table of text")
    body = len(data) - 8 - n
    spans = []
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise _invalid(path, f"tensor {name!r} is described wrongly")
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in _DTYPES:
            raise _invalid(path, f"tensor {name!r} has unknown type {dtype!r}")
        if (not isinstance(shape, list) or len(shape) > 8
                or not all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s for s in shape)):
            raise _invalid(path, f"tensor {name!r} has a bad shape")
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            raise _invalid(path, f"tensor {name!r} has bad offsets")
        begin, end = offsets
        numel = 1
        for s in shape:
            numel *= s
            if numel > body:
                raise _invalid(path, f"tensor {name!r} declares more data than the file holds")
        if not 0 <= begin <= end <= body:
            raise _invalid(path, f"tensor {name!r} points outside the file")
        if end - begin != numel * _DTYPES[dtype][1]:
            raise _invalid(path, f"tensor {name!r} has a size that does not match its shape")
        spans.append((begin, end, name))
    spans.sort()
    pos = 0
    for begin, end, name in spans:
        if begin != pos:
            raise _invalid(path, f"tensor {name!r} overlaps another or leaves a gap")
        pos = end
    if pos != body:
        raise _invalid(path, "there are extra bytes after the tensors")
    try:
        tensors = st_load(data)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same user-facing error
        raise _invalid(path, f"its tensors cannot be read ({exc})") from None
    return tensors, meta


def _json_field(path: Path, meta: dict[str, str], key: str, kind: type) -> Any:
    try:
        value = json.loads(meta[key])
    except KeyError:
        raise _invalid(path, f"the metadata has no {key!r}") from None
    except ValueError:
        raise _invalid(path, f"the metadata {key!r} is not JSON") from None
    if not isinstance(value, kind):
        raise _invalid(path, f"the metadata {key!r} has the wrong type")
    return value


def _check_format(path: Path, meta: dict[str, str], allowed: tuple[str, ...]) -> None:
    fmt = meta.get("format")
    if fmt not in (MODEL_FORMAT, CHECKPOINT_FORMAT):
        raise ModelFileError(f"{path.name} is a safetensors file but not a Workbench model "
                             "(it has no Workbench metadata).")
    if fmt not in allowed:
        raise ModelFileError(f"{path.name} is a Workbench {fmt.split('-')[1]}, not a "
                             f"{' or '.join(a.split('-')[1] for a in allowed)}.")
    version = meta.get("format_version", "")
    if not version.isdigit():
        raise _invalid(path, "its format version is missing")
    if int(version) > FORMAT_VERSION:
        made_by = meta.get("workbench_version", "a newer version")
        raise ModelFileError(
            f"{path.name} was made by a newer Workbench ({made_by}, file format {version}); "
            f"this is Workbench {__version__} (format {FORMAT_VERSION}). Please upgrade Workbench "
            "to open it.")


def _rebuild(path: Path, tensors: dict[str, torch.Tensor], meta: dict[str, str]) -> TrainedModel:
    try:
        config = TrainConfig.from_dict(_json_field(path, meta, "config", dict))
    except ConfigError as exc:
        raise _invalid(path, f"its configuration is not valid ({exc})") from None
    task = meta.get("task")
    if task not in ("classification", "regression"):
        raise _invalid(path, "its task is unknown")
    classes = _json_field(path, meta, "classes", list)
    features = _json_field(path, meta, "features", list)
    shape = _json_field(path, meta, "input_shape", list)
    summary = _json_field(path, meta, "summary", dict)
    if not all(isinstance(c, str) for c in classes + features):
        raise _invalid(path, "its class or feature names are not text")
    if not (1 <= len(shape) <= 3 and all(isinstance(s, int) and 0 < s <= 65536 for s in shape)):
        raise _invalid(path, "its input shape is not valid")
    if task == "classification" and len(classes) < 2:
        raise _invalid(path, "a classifier needs at least two class names")
    n_out = len(classes) if task == "classification" else 1
    try:
        module = build_model(config.model, tuple(shape), n_out)
    except Exception as exc:  # noqa: BLE001
        raise _invalid(path, f"its architecture cannot be built ({exc})") from None
    state = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    load_weights(module, state, path.name)
    mean, std = tensors.get("norm.mean"), tensors.get("norm.std")
    if mean is None or std is None:
        raise _invalid(path, "its normalisation statistics are missing")
    module.eval()
    return TrainedModel(config, module, mean.float().numpy(), std.float().numpy(), task,
                        tuple(classes), tuple(features), tuple(shape), summary)


def load_weights(module: nn.Module, state: dict[str, torch.Tensor], source: str) -> None:
    """Load ``state`` into ``module`` only if every name and shape matches; else change nothing."""
    own = module.state_dict()
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    mismatched = sorted(k for k in set(own) & set(state) if own[k].shape != state[k].shape)
    if missing or unexpected or mismatched:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing[:6]))
        if unexpected:
            parts.append("unexpected " + ", ".join(unexpected[:6]))
        if mismatched:
            parts.append("wrong shape " + ", ".join(
                f"{k} ({'x'.join(map(str, state[k].shape))} instead of "
                f"{'x'.join(map(str, own[k].shape))})" for k in mismatched[:6]))
        raise ModelFileError(f"The weights in {source} do not fit this architecture: "
                             + "; ".join(parts) + ".")
    module.load_state_dict(state, strict=True)


def load_model(path: str | Path) -> TrainedModel:
    """Open a ``.wbm`` model (or the model inside a checkpoint)."""
    path = Path(path)
    tensors, meta = read_safetensors(path)
    _check_format(path, meta, (MODEL_FORMAT, CHECKPOINT_FORMAT))
    return _rebuild(path, tensors, meta)


def load_checkpoint(path: str | Path) -> tuple[TrainedModel, dict[str, Any], dict[str, torch.Tensor]]:
    """``(model, state, extra tensors)`` of a checkpoint written by ``save_checkpoint``."""
    path = Path(path)
    tensors, meta = read_safetensors(path)
    _check_format(path, meta, (CHECKPOINT_FORMAT,))
    model = _rebuild(path, tensors, meta)
    state = _json_field(path, meta, "state", dict)
    extra = {k: v for k, v in tensors.items() if not k.startswith(("model.", "norm."))}
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
    if model.task == "classification":
        lines.append(f"Classes:     {len(model.class_names)} ({', '.join(model.class_names[:10])}"
                     f"{', ...' if len(model.class_names) > 10 else ''})")
    lines.append(f"Model:       {cfg.model.kind.value.upper()} hidden {list(cfg.model.hidden)}, "
                 f"{cfg.model.activation.value}, dropout {cfg.model.dropout:g} "
                 f"(input {cfg.model.input_dropout:g}), {model.parameters:,} parameters")
    lines.append(f"Training:    {cfg.optim.optimizer.value} lr {cfg.optim.lr:g}, batch "
                 f"{cfg.run.batch_size}, {s.get('epochs', '?')} epochs, "
                 f"{s.get('iterations', '?')} iterations, {s.get('seconds', 0):.1f} s "
                 f"on {s.get('device', '?')}")
    for key, label in (("train_loss", "Train loss:  "), ("val_loss", "Val loss:    "),
                       ("val_accuracy", "Val acc.:    ")):
        v = s.get(key)
        if v is not None:
            lines.append(f"{label}{v:.2%}" if key == "val_accuracy" else f"{label}{v:.4f}")
    if s.get("best_epoch"):
        lines.append(f"Best epoch:  {s['best_epoch']}")
    lines.append("Layers:")
    lines.extend("  " + ln for ln in summary_lines(model.module, model.input_shape))
    return lines
