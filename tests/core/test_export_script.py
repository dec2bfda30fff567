"""The exported training script on people's tables: Workbench's own reader, column roles and
fitted preprocessing copied into the script, which then runs where Workbench cannot be imported
and repeats the engine's run bit for bit; what it writes opens in Workbench and predicts alike."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors import safe_open

from workbench.config import TrainConfig
from workbench.core import export as export_mod
from workbench.core.data.tables import read_table
from workbench.core.engine import Engine
from workbench.core.events import RunFinished
from workbench.core.export import ExportError, export_script
from workbench.core.modelfile import TrainedModel, load_model

# A file name and a column name no generated code may carry as they are.
ODD_FILE = 'odd """ name\\.csv'
ODD_COLUMN = 'it\'s """odd""" \\'
THIRD_PARTY = {"numpy", "torch", "safetensors", "sklearn", "PIL", "tomli", "pandas",
               "charset_normalizer"}
# Runs a script with every import of Workbench refused (isolated mode alone would not do: the
# package is installed in the environment the tests run in).
RUNNER = """\
import runpy
import sys


class NoWorkbench:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "workbench":
            raise ImportError("Workbench is not available to the exported script")


sys.meta_path.insert(0, NoWorkbench())
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


# -- data -----------------------------------------------------------------------------------

def write_classification(path: Path) -> Path:
    """A row counter (an id, left out), numbers with NA and empty cells, a text category with a
    rare value, dates with gaps, an oddly named number column, and a text target."""
    rng = np.random.default_rng(3)
    start = dt.date(2021, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "size", "colour", "when", ODD_COLUMN, "label"])
        for i in range(150):
            size = rng.normal(10, 3)
            colour = str(rng.choice(["red", "green", "blue", "teal"], p=[.4, .3, .25, .05]))
            day = start + dt.timedelta(days=int(rng.integers(0, 900)))
            odd = rng.normal()
            score = (size - 10) / 3 + (colour == "red") - 0.5 * (day.month > 6) + 0.3 * odd
            label = "yes" if score + rng.normal(0, 0.3) > 0.2 else "no"
            w.writerow([i + 1, "NA" if i % 11 == 3 else "" if i % 17 == 5 else f"{size:.2f}",
                        colour, "" if i % 23 == 7 else day.isoformat(), f"{odd:.3f}", label])
    return path


def write_regression(path: Path) -> Path:
    """Semicolons and decimal commas, a category with non-ASCII text, gaps in a number column,
    and a target in the hundreds."""
    rng = np.random.default_rng(4)
    lines = ["area;rooms;city;price"]
    for i in range(120):
        area = rng.uniform(30, 150)
        rooms = int(rng.integers(1, 6))
        city = str(rng.choice(["Berlin", "Köln", "Jena"]))
        price = (100 + 4 * area + 20 * rooms + {"Berlin": 150, "Köln": 80, "Jena": 0}[city]
                 + rng.normal(0, 20))
        area_text = "" if i % 13 == 2 else f"{area:.1f}".replace(".", ",")
        lines.append(f"{area_text};{rooms};{city};" + f"{price:.2f}".replace(".", ","))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def trained(csv_path: Path) -> tuple[TrainedModel, Engine]:
    cfg = TrainConfig().with_changes(data={"dataset": "csv", "csv_path": str(csv_path)},
                                     run={"epochs": 8, "batch_size": 16, "device": "cpu"})
    engine = Engine(cfg)
    result = engine.run()
    assert isinstance(result, RunFinished), result
    model = engine.trained_model()
    assert model is not None and model.preprocess is not None
    return model, engine


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[TrainedModel, Engine]]:
    folder = tmp_path_factory.mktemp("tables")
    return {"classification": trained(write_classification(folder / ODD_FILE)),
            "regression": trained(write_regression(folder / "prices.csv"))}


def run_isolated(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    cwd.mkdir(exist_ok=True)
    runner = cwd / "run_without_workbench.py"
    runner.write_text(RUNNER, encoding="utf-8")
    return subprocess.run([sys.executable, "-I", str(runner), str(script), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def _metrics(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# -- tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("task", ["classification", "regression"])
def test_table_script_repeats_the_engine_without_workbench(tmp_path, tables, task):
    model, engine = tables[task]
    export = export_script(model, tmp_path / "train.py")
    rows = 150 if task == "classification" else 120
    assert export.rows_checked == rows and "bit for bit" in export.checks[0]
    proc = run_isolated(export.path, "--out", str(tmp_path / "made.wbm"), "--metrics",
                        str(tmp_path / "metrics.csv"), cwd=tmp_path / "elsewhere")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Saved " in proc.stdout

    # Loss for loss, then weight for weight (the best epoch's, where that was not the last).
    epochs = _metrics(tmp_path / "metrics.csv")
    assert [float(r["train_loss"]) for r in epochs] == [e.train_loss for e in engine.history]
    assert [float(r["val_loss"]) for r in epochs] == [e.val_loss for e in engine.history]
    made = load_model(tmp_path / "made.wbm")
    ours = model.module.state_dict()
    theirs = made.module.state_dict()
    assert list(theirs) == list(ours)
    for key in ours:
        assert torch.equal(theirs[key], ours[key]), key
    assert np.array_equal(made.mean, model.mean) and np.array_equal(made.std, model.std)
    for key in ("epochs", "iterations", "best_epoch", "weights_epoch", "train_loss",
                "val_loss", "val_accuracy", "train_samples", "val_samples", "dataset"):
        assert made.summary[key] == model.summary[key], key

    # Format 2: the target's scaling and the fitted preprocessing travel with the weights.
    with safe_open(tmp_path / "made.wbm", "pt") as fh:
        meta = fh.metadata()
    assert meta["format_version"] == "2"
    assert json.loads(meta["target_scaling"]) == {"mean": model.target_mean,
                                                  "std": model.target_std}
    assert made.preprocess is not None and model.preprocess is not None
    assert made.preprocess.to_dict() == model.preprocess.to_dict()
    assert (made.task, made.class_names, made.feature_names) == (
        model.task, model.class_names, model.feature_names)
    if task == "regression":
        assert 300 < model.target_mean < 1000 and model.target_std > 50

    # The model the script wrote predicts the raw table exactly as the engine's model does.
    table = read_table(model.config.data.csv_path)
    got, _ = made.predict_table(table)
    want, _ = model.predict_table(table)
    assert np.array_equal(got.labels, want.labels) and got.names == want.names
    if task == "regression":
        assert 100 < float(np.median(got.labels)) < 2000  # in the target's own units


def test_runs_keep_the_best_epoch(tables):
    # Not the last epoch: what the script and the engine restore at the end is exercised above.
    assert any(m.summary["weights_epoch"] < m.summary["epochs"] for m, _ in tables.values())


def test_script_carries_no_text_from_the_model_file(tmp_path, tables):
    model, _ = tables["classification"]
    source = export_script(model, tmp_path / "train.py").path.read_text(encoding="utf-8")
    for text in (ODD_FILE, ODD_COLUMN, '"""odd', 'odd """'):
        assert text not in source
    tree = ast.parse(source)
    doc = ast.get_docstring(tree) or ""
    assert doc.startswith("Train a Workbench model without Workbench: a table, MLP")
    assert "pandas and charset-normalizer" in doc and "@" not in doc
    imported = {(n.module if isinstance(n, ast.ImportFrom) else a.name).partition(".")[0]
                for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                for a in n.names}
    assert "workbench" not in imported
    assert imported <= set(sys.stdlib_module_names) | THIRD_PARTY, imported
    # The table reader is Workbench's own, copied in once.
    for name in ("read_table", "describe_columns", "fit", "load_table_dataset",
                 "split_indices", "class TablePreprocessor"):
        definition = name if name.startswith("class ") else f"def {name}("
        assert source.count(definition) == 1, name


def test_copied_code_leaves_no_name_undefined(tmp_path, tables):
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed")
    script = export_script(tables["classification"][0], tmp_path / "train.py").path
    proc = subprocess.run([str(ruff), "check", "--isolated", "--select", "F821,F811,F401",
                           "--output-format", "json", str(script)], capture_output=True,
                          text=True, timeout=120, check=False)
    found = json.loads(proc.stdout)
    tree = ast.parse(script.read_text(encoding="utf-8"))
    # Annotations are never evaluated in the script (from __future__ import annotations): a
    # name used only there may stay undefined. Nothing else may.
    spans = [(a.lineno, a.end_lineno) for node in ast.walk(tree)
             for a in (getattr(node, "annotation", None), getattr(node, "returns", None))
             if isinstance(a, ast.AST)]
    for problem in found:
        row = problem["location"]["row"]
        assert problem["code"] == "F821" and any(a <= row <= b for a, b in spans), problem


def test_the_scripts_training_code_is_workbenchs_own(tmp_path, tables):
    """The step, the optimizer, the schedule, the network, the sampler and the rules for the
    best weights exist once: the template imports them, and the exported script holds
    Workbench's definitions unchanged, not a second copy of its own."""
    import inspect

    from workbench.core import callbacks, models, training
    from workbench.core.data import split

    template = ast.parse(export_mod._template())
    own = {n.name for n in template.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    shared = [training.train_step, training.make_optimizer, training.make_scheduler,
              training.evaluate, training.epoch_weights, training.targets, models.build_model,
              split.EpochSampler, callbacks.EarlyStopping, callbacks.SchedulerStep]
    assert not own & {f.__name__ for f in shared}
    source = export_script(tables["classification"][0], tmp_path / "train.py").path.read_text(
        encoding="utf-8")
    for definition in shared:
        # As the copy has it: imports between Workbench's modules inside a function go.
        copied = re.sub(r"\n *from workbench\.[\w.]+ import [^\n]+\n(?: *\n)?", "\n",
                        inspect.getsource(definition))
        assert copied in source, definition.__name__


def test_script_without_a_table_reader_says_so(tmp_path):
    cfg = TrainConfig().with_changes(data={"samples": 200}, run={"epochs": 1, "device": "cpu"})
    engine = Engine(cfg)
    engine.run()
    model = engine.trained_model()
    assert model is not None
    path = export_script(model, tmp_path / "train.py").path
    source = path.read_text(encoding="utf-8")
    assert "load_table_dataset = None" in source and "def read_table(" not in source
    assert "pandas" not in (ast.get_docstring(ast.parse(source)) or "")
    script = export_mod._load_script(source, path)
    with pytest.raises(script.ScriptError, match="not trained on a table"):
        script.load_table(script.DataConfig(dataset="csv", csv_path=str(tmp_path / "x.csv")), 0)


def test_a_name_clash_is_an_error_and_leaves_nothing(tmp_path, tables, monkeypatch):
    template = export_mod._template()
    monkeypatch.setattr(export_mod, "_template", lambda: template.replace(
        "\nclass ScriptError(", "\ndef read_table() -> None:\n    pass\n\n\nclass ScriptError(", 1))
    with pytest.raises(ExportError, match="read_table would redefine"):
        export_script(tables["classification"][0], tmp_path / "train.py")
    assert list(tmp_path.iterdir()) == []


def test_table_script_trains_under_torchrun(tmp_path, tables):
    model, _ = tables["regression"]
    script = export_script(model, tmp_path / "train.py").path
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RANK", "WORLD_SIZE",
                                                                     "LOCAL_RANK", "MASTER_"))}
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2",
         str(script), "--out", "ddp.wbm"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 processes (gloo)" in proc.stdout and proc.stdout.count("Saved ") == 1
    made = load_model(tmp_path / "ddp.wbm")
    assert made.preprocess is not None and model.preprocess is not None
    assert made.preprocess.to_dict() == model.preprocess.to_dict()
    assert (made.target_mean, made.target_std) == (model.target_mean, model.target_std)
    prediction, _ = made.predict_table(read_table(model.config.data.csv_path))
    assert np.all(np.isfinite(prediction.labels))


def test_a_code_injection_payload_in_the_data_never_runs(tmp_path, monkeypatch):
    """Every text a model file carries (the training file's name, column names, category values,
    class labels) set to code that would create a marker file if it ever ran: the exported
    script is written, checked, and runs to the end, and the marker never appears."""
    # The payload makes a folder "PWNED" in the working folder (no "/" so that it can be a
    # file name too): the test's while training and exporting, the script's while it runs.
    monkeypatch.chdir(tmp_path)
    code = "__import__('os').mkdir('PWNED')"
    payloads = [f'"""\n{code}\n"""', f"'''\n{code}\n'''", f"'); {code}; ('", f'"); {code}; ("',
                f"\\\n{code}\n#", f"{{{code}}}", f"\n{code}\n"]
    folder = tmp_path / f'data """\n{code}\n"""'
    folder.mkdir()
    data = folder / f"{payloads[2]}.csv"
    rng = np.random.default_rng(5)
    with data.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["size", payloads[0], payloads[1]])
        for i in range(120):
            size = rng.normal()
            kind = payloads[3 + i % 3]
            label = payloads[6] if size + (kind == payloads[3]) > 0.3 else payloads[5]
            w.writerow([f"{size:.3f}", kind, label])
    model, _ = trained(data)
    # (the reader strips the spaces and line breaks around a cell's text)
    assert set(model.class_names) == {payloads[5], payloads[6].strip()}
    names = [c["name"] for c in model.preprocess.to_dict()["columns"]]
    assert sum(code in name for name in names) == 1, names  # the other one is the target
    script = export_script(model, tmp_path / "train.py").path
    source = script.read_text(encoding="utf-8")
    assert code not in source
    ast.parse(source)
    proc = run_isolated(script, "--out", str(tmp_path / "made.wbm"), cwd=tmp_path / "run")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    made = load_model(tmp_path / "made.wbm")
    assert made.class_names == model.class_names
    assert not (tmp_path / "PWNED").exists() and not (tmp_path / "run" / "PWNED").exists()
