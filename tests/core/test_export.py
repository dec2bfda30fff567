"""Exports for real: ONNX Runtime, torch.export round trips, and the training script run alone,
in-process against the engine, and under torchrun with two processes."""

from __future__ import annotations

import ast
import csv
import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from workbench.config import (
    BUILTIN_DATASETS,
    AugmentConfig,
    Imbalance,
    ModelKind,
    Norm,
    Optimizer,
    Schedule,
    TrainConfig,
)
from workbench.core import export as export_mod
from workbench.core.data import load_dataset, prepare, split_indices
from workbench.core.engine import Engine
from workbench.core.events import RunFinished
from workbench.core.export import (
    EXPORT_FORMATS,
    TOLERANCE,
    ExportError,
    default_export_path,
    export_model,
    export_onnx,
    export_pt2,
    export_script,
)
from workbench.core.modelfile import TrainedModel, load_model, save_model
from workbench.core.models import build_model
from workbench.errors import WorkbenchError
from workbench.templates import train_script

# -- helpers ------------------------------------------------------------------------------


def untrained(dataset: str, kind: ModelKind = ModelKind.MLP, **model: object) -> TrainedModel:
    """A model with seeded random weights and the data set's real statistics (fast)."""
    cfg = TrainConfig().with_changes(data={"dataset": dataset, "samples": 400},
                                     model={"kind": kind, **model})
    data = prepare(cfg.data, cfg.run.seed)
    torch.manual_seed(1)
    n_out = len(data.class_names) if data.task == "classification" else 1
    module = build_model(cfg.model, data.input_shape, n_out).eval()
    return TrainedModel(cfg, module, data.mean, data.std, data.task, data.class_names,
                        data.feature_names, data.input_shape, {"dataset": data.name})


def trained(cfg: TrainConfig) -> tuple[TrainedModel, Engine]:
    engine = Engine(cfg)
    result = engine.run()
    assert isinstance(result, RunFinished), result
    model = engine.trained_model()
    assert model is not None
    return model, engine


def raw_validation_rows(model: TrainedModel) -> np.ndarray:
    cfg = model.config
    ds = load_dataset(cfg.data, cfg.run.seed)
    _, val = split_indices(ds.y, ds.task, cfg.data.val_split, cfg.run.seed, cfg.data.shuffle)
    return np.asarray(ds.x[val], dtype=np.float32)


def session(path: Path) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def assert_close(got: np.ndarray, want: np.ndarray) -> None:
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    assert got.shape == want.shape
    assert np.all(np.abs(got - want) <= TOLERANCE * np.maximum(1.0, np.abs(want)))


@pytest.fixture(scope="module")
def spiral() -> TrainedModel:
    model, _ = trained(TrainConfig().with_changes(run={"epochs": 15}))
    return model


# -- ONNX ---------------------------------------------------------------------------------

CASES = [(name, ModelKind.MLP) for name in BUILTIN_DATASETS] + [("digits", ModelKind.CNN)]


@pytest.mark.parametrize(("dataset", "kind"), CASES, ids=[f"{d}-{k.value}" for d, k in CASES])
def test_onnx_runtime_matches_pytorch_on_every_builtin_dataset(tmp_path, dataset, kind):
    model = untrained(dataset, kind, norm=Norm.BATCH, dropout=0.3)
    result = export_onnx(model, tmp_path / "m.onnx")
    assert result.path == (tmp_path / "m.onnx").resolve() and result.path.is_file()
    assert result.max_abs_diff is not None and result.rows_checked > 64  # real rows + random
    rows = raw_validation_rows(model)
    s = session(result.path)
    assert [i.name for i in s.get_inputs()] == list(result.inputs)
    assert [o.name for o in s.get_outputs()] == list(result.outputs)
    outputs = s.run(None, {result.inputs[0]: rows})
    pred = model.predict(rows)
    if model.task == "classification":
        logits, proba = outputs
        assert_close(proba, pred.proba)
        assert np.array_equal(proba.argmax(1), pred.labels)
        assert logits.shape == (len(rows), len(model.class_names))
    else:
        (values,) = outputs
        assert_close(values[:, 0], pred.labels)


def test_onnx_graph_metadata_and_dynamic_batch(tmp_path, spiral):
    result = export_onnx(spiral, tmp_path / "spiral.onnx")
    proto = onnx.load(str(result.path))
    onnx.checker.check_model(proto, full_check=True)
    meta = {p.key: p.value for p in proto.metadata_props}
    assert json.loads(meta["class_names"]) == list(spiral.class_names)
    assert json.loads(meta["feature_names"]) == ["x1", "x2"]
    assert meta["task"] == "classification" and meta["workbench_version"]
    assert json.loads(meta["config"]) == spiral.config.to_dict()
    assert np.allclose(json.loads(meta["norm_mean"]), spiral.mean)
    # The normalisation is the graph's first step: raw features in.
    assert [n.op_type for n in proto.graph.node[:2]] == ["Sub", "Div"]
    batch = proto.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch.dim_param and not batch.dim_value  # a named, dynamic batch axis
    assert result.outputs == ("logits", "probabilities")
    rows = raw_validation_rows(spiral)
    s = session(result.path)
    for n in (1, 7, len(rows)):
        _, proba = s.run(None, {"features": rows[:n]})
        assert proba.shape == (n, 2) and np.allclose(proba.sum(1), 1.0, atol=1e-6)
    accuracy = float(np.mean(s.run(None, {"features": rows})[1].argmax(1) ==
                             spiral.predict(rows).labels))
    assert accuracy == 1.0
    assert result.max_abs_diff <= TOLERANCE
    assert "its answers match Workbench's own (largest difference 0" in result.message()


def test_cnn_onnx_flattens_in_a_form_other_consumers_accept(tmp_path):
    # torch writes nn.Flatten as Reshape(allowzero=1), which onnx2torch and others refuse.
    model = untrained("digits", ModelKind.CNN)
    proto = onnx.load(str(export_onnx(model, tmp_path / "cnn.onnx").path))
    reshapes = [n for n in proto.graph.node if n.op_type == "Reshape"]
    assert reshapes
    for node in reshapes:
        assert all(not (a.name == "allowzero" and a.i == 1) for a in node.attribute)


@pytest.mark.parametrize("fmt", ["onnx", "pt2"])
def test_regression_exports_predict_in_the_targets_units(tmp_path, fmt):
    # The network predicts the standardised target; the export multiplies it back.
    model = dataclasses.replace(untrained("diabetes"), target_mean=152.0, target_std=77.0)
    result = export_model(model, tmp_path / f"m.{fmt}", fmt)
    rows = raw_validation_rows(model)
    if fmt == "onnx":
        (values,) = session(result.path).run(None, {"features": rows})
        meta = {p.key: p.value for p in onnx.load(str(result.path)).metadata_props}
        assert json.loads(meta["target_scaling"]) == {"mean": 152.0, "std": 77.0}
    else:
        with torch.no_grad():
            values = torch.export.load(str(result.path)).module()(
                torch.from_numpy(rows)).numpy()
    pred = model.predict(rows).labels
    assert np.mean(np.abs(pred - 152.0)) > 1.0  # not the network's raw output
    assert_close(values[:, 0], pred)


def test_onnx_on_raw_csv_rows_agrees_with_predict(tmp_path):
    # Chinese class and column names survive into the ONNX metadata.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 3)) * [10.0, 0.1, 1000.0] + [50.0, -2.0, 1e4]
    label = np.where((x[:, 0] - 50.0) / 10 + (x[:, 1] + 2.0) / 0.1 > 0, "猫", "狗")
    path = tmp_path / "动物.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["长度", "宽度", "重量", "类别"])
        w.writerows([[f"{a:.4f}", f"{b:.4f}", f"{c:.2f}", t] for (a, b, c), t in zip(x, label)])
    cfg = TrainConfig().with_changes(data={"dataset": "csv", "csv_path": str(path)},
                                     run={"epochs": 5})
    model, _ = trained(cfg)
    result = export_onnx(model, tmp_path / "m.onnx")
    meta = {p.key: p.value for p in onnx.load(str(result.path)).metadata_props}
    assert json.loads(meta["class_names"]) == ["狗", "猫"]
    assert json.loads(meta["feature_names"]) == ["长度", "宽度", "重量"]
    # A table model takes its raw columns, one (batch, 1) input each.
    assert result.inputs == ("长度", "宽度", "重量")
    raw = x.astype(np.float32)
    feed = {name: raw[:, [i]] for i, name in enumerate(result.inputs)}
    _, proba = session(result.path).run(None, feed)
    pred = model.predict(raw)
    assert np.array_equal(proba.argmax(1), pred.labels)  # the same answer on every row
    assert_close(proba, pred.proba)


def test_export_takes_the_rows_it_is_given_and_a_model_file(tmp_path, spiral):
    wbm = tmp_path / "spiral.wbm"
    save_model(spiral, wbm)
    rows = raw_validation_rows(spiral)[:10]
    result = export_model(wbm, tmp_path, "onnx", sample=rows)  # a folder: named after the model
    assert result.path.name == "spiral.onnx"
    assert result.rows_checked == 10 + 64
    with pytest.raises(ExportError, match="shape"):
        export_onnx(spiral, tmp_path / "x.onnx", sample=np.zeros((3, 5), np.float32))


# -- torch.export -------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", ["diabetes", "digits"])
def test_pt2_round_trip(tmp_path, dataset):
    kind = ModelKind.CNN if dataset == "digits" else ModelKind.MLP
    cfg = TrainConfig().with_changes(data={"dataset": dataset},
                                     model={"kind": kind, "dropout": 0.2}, run={"epochs": 2})
    model, _ = trained(cfg)
    result = export_pt2(model, tmp_path / "m.pt2")
    assert result.format == "pt2" and result.max_abs_diff is not None
    extra = {"config.json": "", "workbench.json": ""}
    program = torch.export.load(str(result.path), extra_files=extra)
    assert json.loads(extra["config.json"]) == model.config.to_dict()
    about = json.loads(extra["workbench.json"])
    assert about["task"] == model.task and about["class_names"] == list(model.class_names)
    rows = raw_validation_rows(model)
    with torch.no_grad():
        out = program.module()(torch.from_numpy(rows))
    pred = model.predict(rows)
    if model.task == "classification":
        assert_close(out[1].numpy(), pred.proba)
    else:
        assert_close(out[:, 0].numpy(), pred.labels)  # values in the hundreds: relative


# -- failures and bad input ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["onnx", "pt2"])
def test_a_failed_check_is_an_error_and_leaves_nothing(tmp_path, monkeypatch, spiral, fmt):
    target = tmp_path / f"m.{fmt}"
    target.write_bytes(b"the export from before")
    real = export_mod._pytorch_outputs
    monkeypatch.setattr(export_mod, "_pytorch_outputs",
                        lambda m, x: [o + 1e-3 for o in real(m, x)])
    with pytest.raises(ExportError, match="does not match PyTorch"):
        export_model(spiral, target, fmt)
    assert target.read_bytes() == b"the export from before"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp files


def test_bad_input_is_a_clear_error(tmp_path, monkeypatch, spiral):
    not_model = tmp_path / "notes.wbm"
    not_model.write_text("just some text, not a model\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="not a valid Workbench model"):
        export_onnx(not_model, tmp_path / "x.onnx")
    with pytest.raises(ExportError, match="does not exist"):
        export_onnx(spiral, tmp_path / "missing" / "x.onnx")
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export_pt2(spiral, tmp_path / "a_file" / "x.pt2")
    with pytest.raises(ExportError, match="Unknown export format 'tflite'"):
        export_model(spiral, tmp_path / "x.tflite", "tflite")
    with pytest.raises(ExportError, match=r"\.py"):
        export_script(spiral, tmp_path / "train.txt")

    def refuse(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_mod, "atomic_write_bytes", refuse)
    with pytest.raises(ExportError, match="may not write"):
        export_pt2(spiral, tmp_path / "x.pt2")
    with pytest.raises(ExportError, match="may not write"):
        export_script(spiral, tmp_path / "train.py")
    assert not (tmp_path / "train.toml").exists()


def test_formats_and_default_paths():
    assert [f.key for f in EXPORT_FORMATS] == ["onnx", "pt2", "script"]
    assert default_export_path("/m/spiral.wbm", "onnx") == Path("/m/spiral.onnx")
    assert default_export_path("/m/spiral.wbm", "pt2") == Path("/m/spiral.pt2")
    assert default_export_path("/m/spiral.wbm", "script") == Path("/m/spiral_train.py")


def test_export_off_the_main_thread_prints_nothing(tmp_path, capfd, spiral):
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(
        [export_onnx(spiral, tmp_path / "t.onnx"), export_pt2(spiral, tmp_path / "t.pt2")]))
    thread.start()
    thread.join(120)
    assert results and all(r.path.is_file() for r in results[0])
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# -- the training script ------------------------------------------------------------------

ALLOWED_IMPORTS = {"__future__", "argparse", "contextlib", "csv", "enum", "io", "json", "math", "os", "sys", "time",
                   "dataclasses", "pathlib", "re", "typing", "numpy", "torch", "safetensors",
                   "tomllib", "tomli", "sklearn", "PIL", "types"}


def test_script_needs_only_torch_numpy_and_safetensors(tmp_path, spiral):
    result = export_script(spiral, tmp_path / "train.py")
    assert result.files == (result.path, result.path.with_suffix(".toml"))
    assert os.access(result.path, os.X_OK)
    tree = ast.parse(result.path.read_text(encoding="utf-8"))
    imported = {(n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
                for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                for a in n.names}
    assert imported <= ALLOWED_IMPORTS, imported - ALLOWED_IMPORTS
    assert "@" not in result.path.read_text(encoding="utf-8").split('"""')[1]  # filled in
    from workbench.config import load_toml

    assert load_toml(result.files[1]) == spiral.config  # `workbench train --config` reads it
    assert result.rows_checked == 1000 and "bit for bit" in result.checks[0]


PARITY_CONFIGS = {
    "spiral": {"run": {"epochs": 4}},
    "momentum-step-oversample": {
        "data": {"dataset": "blobs", "classes": 4, "samples": 300, "imbalance": Imbalance.OVERSAMPLE},
        "optim": {"optimizer": Optimizer.MOMENTUM, "nesterov": True, "schedule": Schedule.STEP,
                  "step_size": 2, "lr": 0.05},
        "run": {"epochs": 4, "batch_size": 24}},
    "plateau-undersample-early-stop": {
        "data": {"dataset": "moons", "samples": 200, "imbalance": Imbalance.UNDERSAMPLE},
        "optim": {"schedule": Schedule.PLATEAU, "plateau_patience": 0, "lr": 0.3},
        "run": {"epochs": 12, "patience": 1, "batch_size": 16}},
    "regression-cosine-drop-last": {
        "data": {"dataset": "diabetes"},
        "optim": {"optimizer": Optimizer.RMSPROP, "schedule": Schedule.COSINE},
        "run": {"epochs": 3, "drop_last": True, "batch_size": 50}},
    "cnn-augment-batchnorm": {
        "data": {"dataset": "digits", "augment": {"hflip": True, "crop": 0.8, "rotation": 10.0,
                                                  "jitter": 0.1}},
        "model": {"kind": ModelKind.CNN, "channels": (4, 8), "hidden": (16,), "norm": Norm.BATCH,
                  "dropout": 0.2, "input_dropout": 0.1},
        "run": {"epochs": 2, "batch_size": 64}},
    # Above a million multiply-adds per iteration the engine uses a thread per core: so does
    # the script.
    "cnn-many-threads": {
        "data": {"dataset": "digits"},
        "model": {"kind": ModelKind.CNN, "channels": (16, 32), "hidden": (64,)},
        "run": {"epochs": 1, "batch_size": 256}},
    # A drawing: its points in the configuration, split by each point's place in its class.
    "draw-three-classes": {
        "data": {"dataset": "draw", "classes": 3, "val_split": 0.25, "points": tuple(
            (round(float(np.cos(a) * r), 4), round(float(np.sin(a) * r), 4), k)
            for k in range(3) for a, r in zip(np.linspace(0, 6, 40) + 2.1 * k,
                                              np.linspace(0.2, 1.0, 40), strict=True))},
        "run": {"epochs": 4, "batch_size": 8}},
    "iris-layernorm-adamw": {
        "data": {"dataset": "iris", "shuffle": False},
        "model": {"norm": Norm.LAYER, "dropout_per_layer": (0.1, 0.2), "input_dropout": 0.1},
        "optim": {"optimizer": Optimizer.ADAMW, "weight_decay": 0.01},
        "run": {"epochs": 3, "batch_size": 10, "seed": 7}},
}


def _config(changes: dict) -> TrainConfig:
    cfg = TrainConfig()
    for section, values in changes.items():
        if "augment" in values:
            values = {**values, "augment": AugmentConfig(**values["augment"])}
        cfg = cfg.with_changes(**{section: values})
    return cfg.with_changes(run={"device": "cpu"})


@pytest.mark.parametrize("name", list(PARITY_CONFIGS))
def test_script_repeats_the_engine_loss_for_loss(name):
    cfg = _config(PARITY_CONFIGS[name])
    model, engine = trained(cfg)
    procs = train_script.Processes(0, 1, torch.device("cpu"), "CPU")
    net, _, history, summary = train_script.train(cfg.to_dict(), procs, say=lambda _s: None)
    ours = [(e.epoch, e.train_loss, e.val_loss, e.val_accuracy, e.lr) for e in engine.history]
    theirs = [(e.epoch, e.train_loss, e.val_loss, e.val_accuracy, e.lr) for e in history]
    assert theirs == ours  # exactly: same data, seed, order of operations, thread count
    for key, value in net.state_dict().items():
        assert torch.equal(value, model.module.state_dict()[key]), key
    for key in ("epochs", "iterations", "best_epoch", "train_loss", "val_loss",
                "val_accuracy"):
        assert summary[key] == model.summary[key], key


def test_script_data_preparation_matches_for_csv_and_images(tmp_path):
    from PIL import Image

    # Semicolons with decimal commas, text labels: the script's own CSV reader must agree.
    rng = np.random.default_rng(5)
    lines = ["a;b;label"] + [f"{v:.3f};{w:.2f};{'ja' if v > 0 else 'nein'}".replace(".", ",")
                             for v, w in rng.normal(size=(60, 2))]
    csv_path = tmp_path / "semi.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = untrained_from(TrainConfig().with_changes(
        data={"dataset": "csv", "csv_path": str(csv_path)}))
    result = export_script(model, tmp_path / "csv_train.py")
    assert model.class_names == ("ja", "nein")
    assert result.rows_checked == 60 and "bit for bit" in result.checks[0]

    folder = tmp_path / "pictures"
    for k, name in enumerate(["circle", "square"]):
        (folder / name).mkdir(parents=True)
        for i in range(4):
            mode = "RGBA" if i % 2 else "L"
            value = (40 * k + 10 * i) % 256
            color = (value, 0, 0, 128) if mode == "RGBA" else value
            Image.new(mode, (10, 12), color).save(folder / name / f"{i}.png")
    model = untrained_from(TrainConfig().with_changes(
        data={"dataset": "images", "image_dir": str(folder), "image_size": 6},
        model={"kind": ModelKind.CNN, "channels": (2,), "hidden": (4,)}))
    result = export_script(model, tmp_path / "images_train.py")
    assert result.rows_checked == 8

    csv_model = untrained_from(TrainConfig().with_changes(
        data={"dataset": "csv", "csv_path": str(csv_path)}))
    csv_path.unlink()  # the data lives elsewhere now: the script is written, the check says so
    result = export_script(csv_model, tmp_path / "later.py")
    assert result.rows_checked == 0 and "could not be loaded" in result.checks[-1]


def untrained_from(cfg: TrainConfig) -> TrainedModel:
    data = prepare(cfg.data, cfg.run.seed)
    n_out = len(data.class_names) if data.task == "classification" else 1
    module = build_model(cfg.model, data.input_shape, n_out).eval()
    return TrainedModel(cfg, module, data.mean, data.std, data.task, data.class_names,
                        data.feature_names, data.input_shape, {"dataset": data.name})


def _read_metrics(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_script_runs_alone_and_its_model_opens(tmp_path):
    cfg = TrainConfig().with_changes(run={"epochs": 20, "device": "cpu"})
    model, engine = trained(cfg)
    script = export_script(model, tmp_path / "train.py").path
    proc = subprocess.run([sys.executable, str(script), "--metrics", "metrics.csv"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert "epoch   20/20" in proc.stdout
    made = load_model(tmp_path / "train.wbm")  # the default: next to the script
    rows = raw_validation_rows(made)
    truth = load_dataset(cfg.data, cfg.run.seed)
    _, val = split_indices(truth.y, truth.task, cfg.data.val_split, cfg.run.seed, True)
    accuracy = float(np.mean(made.predict(rows).labels == truth.y[val]))
    assert accuracy >= 0.9
    epochs = _read_metrics(tmp_path / "metrics.csv")
    assert [float(r["train_loss"]) for r in epochs] == [e.train_loss for e in engine.history]
    assert [float(r["val_loss"]) for r in epochs] == [e.val_loss for e in engine.history]
    assert made.summary["val_accuracy"] == model.summary["val_accuracy"]


def test_script_trains_under_torchrun_with_two_processes(tmp_path):
    cfg = TrainConfig().with_changes(data={"samples": 600}, run={"epochs": 6, "device": "cpu"})
    model, _ = trained(cfg)
    script = export_script(model, tmp_path / "train.py").path
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RANK", "WORLD_SIZE",
                                                                     "LOCAL_RANK", "MASTER_"))}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2",
         str(script), "--out", "ddp.wbm", "--metrics", "ddp.csv"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env, check=False)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 processes (gloo)" in proc.stdout
    assert proc.stdout.count("Saved ") == 1  # rank 0 alone saves and prints
    made = load_model(tmp_path / "ddp.wbm")
    assert made.summary["epochs"] == 6 and made.class_names == model.class_names
    # Two processes with half a batch each take the same steps on the same samples as one:
    # accuracy agrees with the in-app run within a tolerance (float sums differ in order).
    assert abs(made.summary["val_accuracy"] - model.summary["val_accuracy"]) <= 0.05
    assert len(_read_metrics(tmp_path / "ddp.csv")) == 6
    from workbench.cli import main

    assert main(["info", str(tmp_path / "ddp.wbm")]) == 0
    print(f"torchrun 2 processes: {seconds:.1f} s")  # shown with -s


def test_exports_and_run_logs_never_import_qt(tmp_path, spiral):
    wbm = tmp_path / "m.wbm"
    save_model(spiral, wbm)
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):\n"
        "            raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from workbench.core.export import export_onnx\n"
        "from workbench.core.runlog import RunLog\n"
        f"export_onnx({str(wbm)!r}, {str(tmp_path / 'm.onnx')!r})\n"
        "print('ok')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
