"""Exports of models trained on a person's table: the ONNX graph takes the raw columns (numbers
with NaN, category texts, date parts) and does the fitted preprocessing itself; the .pt2 takes
the preprocessed inputs and carries the preprocessing with it. Real training on small CSVs."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
import pytest
import torch

from workbench.config import TrainConfig
from workbench.core.data.tables import Table, read_table
from workbench.core.engine import Engine
from workbench.core.events import RunFinished
from workbench.core.export import TOLERANCE, ExportError, export_model, export_onnx, export_pt2
from workbench.core.modelfile import TrainedModel, save_model
from workbench.core.preprocess import TablePreprocessor

ISLANDS = ("Biscoe", "Dream", "Torgersen")
INPUTS = ("bill_length", "island", "date.year", "date.month", "date.weekday", "date.yearday")

# -- helpers ------------------------------------------------------------------------------


def write_penguins(path: Path, *, regression: bool, rows: int = 240) -> Path:
    """Bill lengths with NA cells, islands with empty and "?" cells, dates with gaps; the
    target is the species (text) or the body mass (numbers in the hundreds)."""
    rng = np.random.default_rng(7)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["bill_length", "island", "date", "body_mass" if regression else "species"])
        for i in range(rows):
            k = int(rng.integers(3))
            bill = 38.0 + 5.0 * k + rng.normal()
            day = np.datetime64("2007-11-03") + int(rng.integers(0, 900))
            if regression:
                target = f"{300 + 150 * k + 8 * (bill - 40) + rng.normal(0, 10):.1f}"
            else:
                target = ("Adelie", "Gentoo", "Chinstrap")[k]
            w.writerow(["NA" if i % 11 == 0 else f"{bill:.2f}",
                        "" if i % 13 == 0 else "?" if i % 17 == 0 else ISLANDS[k],
                        "" if i % 19 == 0 else str(day), target])
    return path


def train(csv_path: Path, target: str) -> TrainedModel:
    cfg = TrainConfig().with_changes(data={"dataset": "csv", "csv_path": str(csv_path),
                                           "target": target}, run={"epochs": 5})
    engine = Engine(cfg)
    assert isinstance(engine.run(), RunFinished)
    model = engine.trained_model()
    assert model is not None and model.preprocess is not None
    return model


@pytest.fixture(scope="module")
def classifier(tmp_path_factory) -> tuple[TrainedModel, Path]:
    path = write_penguins(tmp_path_factory.mktemp("cls") / "penguins.csv", regression=False)
    return train(path, "species"), path


@pytest.fixture(scope="module")
def regressor(tmp_path_factory) -> tuple[TrainedModel, Path]:
    path = write_penguins(tmp_path_factory.mktemp("reg") / "penguins.csv", regression=True)
    model = train(path, "body_mass")
    assert model.task == "regression" and model.target_std > 1.0  # scaled targets
    return model, path


def odd_rows(table: Table) -> Table:
    """The first rows of ``table`` plus rows with a missing number, an unseen island, a
    missing-value text, an empty island, a missing date and everything missing at once."""
    head = table.take(np.arange(40))
    extra = {
        "bill_length": np.array([np.nan, 41.0, 44.5, 39.0, 50.0, np.nan]),
        "island": np.array(["Dream", "Atlantis", "NA", None, "Biscoe", None], dtype=object),
        "date": np.array(["2008-03-10", "2008-07-01", "", "2009-01-31", None, None],
                         dtype=object),
    }
    columns = {}
    for name, values in extra.items():
        first = head.columns[name]
        if first.dtype.kind == "M":
            values = pd.to_datetime(pd.Series(values, dtype=object).replace("", None)
                                    ).to_numpy("datetime64[ns]")
        columns[name] = np.concatenate([first, values.astype(first.dtype)])
    return Table("odd rows", columns)


def raw_feed(table: Table) -> dict[str, np.ndarray]:
    """The table's rows as the ONNX graph takes them, made with pandas alone."""
    bill = np.asarray(table.columns["bill_length"], dtype=np.float32)
    island = ["" if v is None else str(v) for v in table.columns["island"]]
    stamps = pd.to_datetime(pd.Series(table.columns["date"]).replace("", None))
    parts = {"year": stamps.dt.year, "month": stamps.dt.month,
             "weekday": stamps.dt.day_of_week, "yearday": stamps.dt.day_of_year}
    feed = {"bill_length": bill.reshape(-1, 1),
            "island": np.array(island, dtype=object).reshape(-1, 1)}
    for part, values in parts.items():
        feed[f"date.{part}"] = values.to_numpy(dtype=np.float32, na_value=np.nan).reshape(-1, 1)
    return feed


def session(path: Path) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def assert_close(got: np.ndarray, want: np.ndarray) -> None:
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    assert got.shape == want.shape
    assert np.all(np.abs(got - want) <= TOLERANCE * np.maximum(1.0, np.abs(want)))


# -- ONNX ---------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["classifier", "regressor"])
def test_onnx_takes_raw_rows_and_agrees_with_predict_table(tmp_path, request, which):
    model, csv_path = request.getfixturevalue(which)
    result = export_onnx(model, tmp_path / "penguins.onnx")
    assert result.inputs == INPUTS
    assert result.rows_checked > 240  # the training file's rows and the made-up ones
    assert "raw table rows" in result.checks[0]
    s = session(result.path)
    kinds = {i.name: (i.type, i.shape) for i in s.get_inputs()}
    assert kinds["island"][0] == "tensor(string)"
    assert kinds["bill_length"][0] == kinds["date.weekday"][0] == "tensor(float)"
    assert all(shape[1] == 1 and not isinstance(shape[0], int) for _, shape in kinds.values())

    table = odd_rows(read_table(csv_path))
    pred, report = model.predict_table(table)
    assert report.unseen == {"island": 1} and report.missing["date"] >= 3
    outputs = s.run(None, raw_feed(table))
    if model.task == "classification":
        logits, proba = outputs
        assert logits.shape == proba.shape == (table.n_rows, 3)
        assert_close(proba, pred.proba)
        assert np.array_equal(proba.argmax(1), pred.labels)
    else:
        (values,) = outputs
        assert values.shape == (table.n_rows, 1)
        assert np.all(values > 100)  # in the target's own units, not standardised
        assert_close(values[:, 0], pred.labels)
    # One row at a time gives the same answers.
    one = s.run(None, {k: v[-1:] for k, v in raw_feed(table).items()})
    assert_close(one[-1], outputs[-1][-1:])


def test_onnx_graph_documents_its_raw_inputs(tmp_path, classifier):
    model, _ = classifier
    result = export_onnx(model, tmp_path / "m.onnx")
    proto = onnx.load(str(result.path))
    onnx.checker.check_model(proto, full_check=True)
    meta = {p.key: p.value for p in proto.metadata_props}
    inputs = json.loads(meta["inputs"])
    assert [i["name"] for i in inputs] == list(INPUTS)
    assert inputs[1] == {"name": "island", "column": "island", "kind": "categorical",
                         "type": "string"}
    assert inputs[4] == {"name": "date.weekday", "column": "date", "kind": "date",
                         "type": "float32", "part": "weekday"}
    assert json.loads(meta["preprocess"]) == model.preprocess.to_dict()
    assert json.loads(meta["feature_names"]) == list(model.feature_names)
    assert "weekday (Monday = 0)" in proto.doc_string and "NaN means missing" in proto.doc_string
    ops = [n.op_type for n in proto.graph.node]
    assert {"LabelEncoder", "IsNaN", "Where", "Concat"} <= set(ops)
    assert ops.index("Concat") < ops.index("Sub") < ops.index("Div")  # then the normalisation


def test_onnx_missing_cells_take_the_training_fill(tmp_path, classifier):
    model, _ = classifier
    result = export_onnx(model, tmp_path / "m.onnx")
    s = session(result.path)
    pre = model.preprocess
    # Every way of saying "missing" gives what an all-missing table row gives.
    empty = Table("t", {"bill_length": np.array([np.nan]),
                        "island": np.array([None], dtype=object),
                        "date": np.array([np.datetime64("NaT")], dtype="datetime64[ns]")})
    want = model.predict(pre.transform(empty)[0]).proba
    nan = np.full((1, 1), np.nan, np.float32)
    for island in ("", "NA", "?"):
        feed = {name: nan for name in INPUTS}
        feed["island"] = np.array([[island]], dtype=object)
        assert_close(s.run(None, feed)[1], want)
    # A date with one part missing counts as missing as a whole.
    feed = {name: np.full((1, 1), 3.0, np.float32) for name in INPUTS}
    feed.update({"bill_length": nan, "island": np.array([[""]], dtype=object),
                 "date.month": nan})
    assert_close(s.run(None, feed)[1], want)
    # An island never seen in training is "(other)", as in Workbench.
    unseen = Table("t", {**empty.columns, "island": np.array(["Atlantis"], dtype=object)})
    feed = {name: nan for name in INPUTS}
    feed["island"] = np.array([["Atlantis"]], dtype=object)
    assert_close(s.run(None, feed)[1], model.predict(pre.transform(unseen)[0]).proba)


def test_onnx_checks_with_the_rows_it_is_given(tmp_path, classifier):
    model, csv_path = classifier
    table = read_table(csv_path)
    # Raw rows (a table) ...
    result = export_model(model, tmp_path / "a.onnx", "onnx", sample=table)
    assert result.rows_checked >= 240 + 64
    # ... or the network's inputs, as the window holds them (turned back into raw values).
    x, _ = model.preprocess.transform(table)
    result = export_model(model, tmp_path / "b.onnx", "onnx", sample=x[:30])
    assert result.rows_checked >= 30 + 64
    # A model file whose training CSV is gone still exports, checked on made-up rows.
    wbm = tmp_path / "m.wbm"
    save_model(replace(model, config=model.config.with_changes(
        data={"csv_path": str(tmp_path / "gone.csv")})), wbm)
    assert export_onnx(wbm, tmp_path / "c.onnx").rows_checked >= 64
    with pytest.raises(ExportError, match="no column 'island'"):
        export_onnx(model, tmp_path / "d.onnx", sample=Table("t", {
            k: v for k, v in table.columns.items() if k != "island"}))
    assert not (tmp_path / "d.onnx").exists()


def test_column_names_that_clash_with_graph_names_stay_unique(tmp_path):
    # Columns named like the outputs, the network's own tensors, or a date part of another.
    rng = np.random.default_rng(2)
    path = tmp_path / "clash.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["logits", "mean", "d", "d.year", "label"])
        for i in range(120):
            a = rng.normal()
            w.writerow([f"{a:.3f}", "" if i % 7 == 0 else ("x", "y")[i % 2],
                        str(np.datetime64("2020-01-01") + int(rng.integers(0, 500))),
                        f"{rng.normal():.3f}", "up" if a > 0 else "down"])
    model = train(path, "label")
    result = export_onnx(model, tmp_path / "clash.onnx")
    names = result.inputs
    assert len(set(names)) == len(names) and "logits" not in names
    assert names[0] == "logits (input 2)" and "mean" in names
    assert names.count("d.year") == 1 and "d.year (input 2)" in names
    assert result.outputs == ("logits", "probabilities")


# -- torch.export -------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["classifier", "regressor"])
def test_pt2_carries_the_preprocessing(tmp_path, request, which):
    model, csv_path = request.getfixturevalue(which)
    result = export_pt2(model, tmp_path / "m.pt2")
    assert result.inputs == ("features",)
    assert any("preprocess.json" in c for c in result.checks)
    extra = {"config.json": "", "workbench.json": "", "preprocess.json": ""}
    program = torch.export.load(str(result.path), extra_files=extra).module()
    pre = TablePreprocessor.from_dict(json.loads(extra["preprocess.json"]))
    assert pre == model.preprocess
    about = json.loads(extra["workbench.json"])
    assert "preprocess.json" in about["preprocessing"]
    table = odd_rows(read_table(csv_path))
    x, _ = pre.transform(table)
    pred, _ = model.predict_table(table)
    with torch.no_grad():
        out = program(torch.from_numpy(x))
    if model.task == "classification":
        assert_close(out[1].numpy(), pred.proba)
    else:
        assert about["target_scaling"] == {"mean": model.target_mean, "std": model.target_std}
        assert_close(out[:, 0].numpy(), pred.labels)  # in the target's own units


def test_an_export_whose_model_gives_nan_is_refused(tmp_path: Path) -> None:
    import torch

    from workbench.config import TrainConfig
    from workbench.core.engine import Engine
    from workbench.core.export import ExportError, export_model

    engine = Engine(TrainConfig().with_changes(data={"samples": 100}, run={"epochs": 1}))
    engine.run()
    model = engine.trained_model()
    with torch.no_grad():
        next(model.module.parameters()).fill_(float("nan"))
    out = tmp_path / "nan.onnx"
    with pytest.raises(ExportError, match="not numbers \\(NaN or infinity\\)"):
        export_model(model, out, "onnx")
    assert not out.exists() and list(tmp_path.iterdir()) == []
