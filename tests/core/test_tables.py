"""People's tables as spreadsheets, R and pandas write them: read, trained, predicted back.

Each file here is written the way its program writes it (encodings, separators, quoting,
missing-value spellings, dates, ids), trained end to end with the defaults, saved, opened and
used to predict the raw file again.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench.config import DataConfig, Task, TrainConfig
from workbench.core.data import load_csv, prepare, read_table
from workbench.core.data.tables import Role, describe_columns
from workbench.core.engine import Engine
from workbench.core.events import RunFinished
from workbench.core.modelfile import load_model, save_model
from workbench.core.predicting import predict_table, predictions_csv, read_table_for
from workbench.errors import DataError


def penguins(n: int = 240, seed: int = 0) -> pd.DataFrame:
    """A survey-style table: text categories, numbers with gaps, a date, an id."""
    rng = np.random.default_rng(seed)
    species = rng.choice(["Adelie", "Gentoo", "Chinstrap"], n)
    island = np.where(species == "Gentoo", "Biscoe",
                      rng.choice(["Dream", "Torgersen", "Biscoe"], n))
    bill = np.select([species == "Adelie", species == "Gentoo"], [38.8, 47.5], 48.8)
    bill = np.round(bill + rng.normal(0, 2.5, n), 1)
    depth = np.round(np.where(species == "Gentoo", 15.0, 18.3) + rng.normal(0, 1, n), 1)
    mass = np.round(np.where(species == "Gentoo", 5076, 3720) + rng.normal(0, 450, n))
    frame = pd.DataFrame({
        "id": [f"N{i:04d}A" for i in range(n)], "species": species, "island": island,
        "bill_length_mm": bill, "bill_depth_mm": depth, "body_mass_g": mass,
        "sex": rng.choice(["male", "female"], n),
        "date_egg": pd.Timestamp("2007-11-09") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
    })
    frame["date_egg"] = frame["date_egg"].dt.strftime("%Y-%m-%d")
    frame = frame.astype(object)
    for col, every in (("bill_length_mm", 17), ("sex", 11), ("body_mass_g", 23)):
        frame.loc[frame.index[::every], col] = None
    return frame


def _train(path: Path, target: str, epochs: int = 40, **data: object):
    cfg = TrainConfig().with_changes(
        data={"dataset": "csv", "csv_path": str(path), "target": target, **data},
        run={"epochs": epochs})
    engine = Engine(cfg)
    result = engine.run()
    assert isinstance(result, RunFinished), getattr(result, "message", result)
    model = engine.trained_model()
    assert model is not None
    return model, engine.data


def _round_trip(tmp_path: Path, model, source: Path):
    saved = tmp_path / "model.wbm"
    save_model(model, saved)
    again = load_model(saved)
    assert again.preprocess == model.preprocess
    table = read_table_for(again, source)
    result = predict_table(again, table)
    assert len(result.rows) == table.n_rows
    return again, result


R_NA = "NA"


@pytest.mark.parametrize("style", ["r", "excel_semicolon", "pandas", "quoted_single",
                                   "spaces", "gzip", "xlsx"])
def test_a_survey_table_trains_and_predicts_back_in_every_export_style(
        tmp_path: Path, style: str) -> None:
    frame = penguins()
    if style == "r":  # write.csv: quoted strings, NA, row names as an unnamed first column
        path = tmp_path / "penguins.csv"
        frame.to_csv(path, na_rep="NA", quoting=1)
    elif style == "excel_semicolon":  # German Excel: ; and decimal comma, windows-1252
        path = tmp_path / "pinguine.csv"
        text = frame.to_csv(sep=";", decimal=",", index=False, na_rep="")
        path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    elif style == "pandas":  # pandas' default: empty cells, an index column named ""
        path = tmp_path / "penguins.csv"
        frame.to_csv(path)
    elif style == "quoted_single":
        path = tmp_path / "penguins.csv"
        body = frame.fillna("N/A").astype(str)
        lines = [",".join(f"'{c}'" for c in body.columns)]
        lines += [",".join(f"'{v}'" if not v.replace(".", "").isdigit() else v for v in row)
                  for row in body.itertuples(index=False)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif style == "spaces":
        path = tmp_path / "penguins.txt"
        frame.fillna("NA").to_csv(path, sep=" ", index=False)
    elif style == "gzip":
        path = tmp_path / "penguins.csv.gz"
        path.write_bytes(gzip.compress(frame.to_csv(index=False).encode("utf-8")))
    else:
        path = tmp_path / "penguins.xlsx"
        with pd.ExcelWriter(path) as book:
            pd.DataFrame({"note": ["cover sheet"]}).to_excel(book, sheet_name="Readme",
                                                              index=False)
            frame.to_excel(book, sheet_name="Data", index=False)
    extra = {"sheet": "Data"} if style == "xlsx" else {}
    model, data = _train(path, "species", **extra)
    info = data.table_info
    roles = {c.name: c.role for c in info.columns}
    assert roles["island"] == Role.CATEGORICAL and roles["sex"] == Role.CATEGORICAL
    assert roles["bill_length_mm"] == Role.NUMERIC and roles["date_egg"] == Role.DATE
    assert roles["id"] == Role.IDENTIFIER
    assert model.task == "classification"
    assert set(model.class_names) == {"Adelie", "Chinstrap", "Gentoo"}
    acc = model.summary["val_accuracy"]
    assert acc is not None and acc >= 0.85, acc
    if style == "xlsx":
        with pytest.raises(DataError, match="no sheet named 'Nope'. Its sheets are: Readme, Data"):
            read_table(path, sheet="Nope")
        return
    _, result = _round_trip(tmp_path, model, path)
    assert result.passthrough["id"][:2] == ["N0000A", "N0001A"]


def test_missing_values_get_the_training_median_and_a_flag(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    penguins().to_csv(path, index=False, na_rep="NA")
    ds = load_csv(path, "species")
    pre = ds.preprocess
    assert pre is not None
    bill = next(c for c in pre.columns if c.name == "bill_length_mm")
    assert bill.flag and "bill_length_mm (missing)" in pre.feature_names
    prepared = prepare(DataConfig(dataset="csv", csv_path=str(path), target="species"), 0, ds)
    # The median comes from the training split only.
    table = read_table(path)
    train_rows = np.flatnonzero(np.isin(np.arange(table.n_rows), _train_rows(prepared, ds)))
    values = table.columns["bill_length_mm"][train_rows]
    assert bill.fill[0] == pytest.approx(np.nanmedian(values))
    sex = next(c for c in pre.columns if c.name == "sex")
    assert sex.categories == ("female", "male")  # "NA" is missing, never a class named NA
    assert not np.isnan(ds.x).any()


def _train_rows(prepared, ds) -> np.ndarray:
    from workbench.core.data import split_indices

    train, _ = split_indices(ds.y, ds.task, 0.2, 0, True)
    return train


def test_every_usual_missing_spelling_is_missing(tmp_path: Path) -> None:
    spellings = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "-", "#N/A"]
    rows = [f"{i},{s},{'a' if i % 2 else 'b'}" for i, s in enumerate(spellings * 3)]
    path = tmp_path / "gaps.csv"
    path.write_text("x,v,y\n" + "\n".join(rows) + "\n1,5,a\n2,6,b\n", encoding="utf-8")
    table = read_table(path)
    assert np.isnan(table.columns["v"][:len(spellings) * 3]).all()
    assert table.columns["v"][-2:].tolist() == [5.0, 6.0]


def test_unseen_categories_are_other_at_predict_time_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    penguins().to_csv(path, index=False)
    model, _ = _train(path, "species", epochs=5)
    new = penguins(20, seed=3)
    new.loc[:4, "island"] = "Atlantis"
    new = new.drop(columns=["species"])  # predicting needs no target
    new["extra"] = "ignored"
    out = tmp_path / "new.csv"
    new.to_csv(out, index=False)
    result = predict_table(model, read_table_for(model, out))
    assert result.unseen == {"island": 5}
    assert len(result.prediction.names) == 20
    missing_col = tmp_path / "short.csv"
    new.drop(columns=["island"]).to_csv(missing_col, index=False)
    with pytest.raises(DataError, match="has no column 'island'"):
        predict_table(model, read_table_for(model, missing_col))


def test_predictions_are_safe_for_spreadsheets_and_full_precision(tmp_path: Path) -> None:
    labels = ["=cmd|' /c calc'!A0", "+1", "@SUM(1)", "plain"]
    lines = [f"{(i * 7) % 11}.5,{labels[i % 4]}" for i in range(40)]
    path = tmp_path / "evil.csv"
    path.write_text("x,label\n" + "\n".join(lines) + "\n", encoding="utf-8")
    model, _ = _train(path, "label", epochs=2)
    text = predictions_csv(model, predict_table(model, read_table_for(model, path)))
    for line in text.splitlines():
        first = line.split(",")[0]
        assert not first.startswith(("=", "+", "@", "-")), line
    assert "'=cmd" in text or "p_'=cmd" in text
    probability = text.splitlines()[1].split(",")[-1]
    assert len(probability.replace("0.", "").lstrip("0")) > 6  # more than 6 digits


def test_encodings_are_told_apart(tmp_path: Path) -> None:
    latin = "Espèce,Größe,Zürich\nCafé,1,2\nThé,3,4\nCafé,5,6\nThé,7,8\n"
    path = tmp_path / "w.csv"
    path.write_bytes(latin.encode("cp1252"))
    table = read_table(path)
    assert table.names == ["Espèce", "Größe", "Zürich"] and table.encoding == "cp1252"
    chinese = "物种,岛屿,体重\n山鸢尾,北岛,3\n变色鸢尾,南岛,4\n山鸢尾,北岛,5\n变色鸢尾,南岛,6\n"
    path.write_bytes(chinese.encode("gbk"))
    table = read_table(path)
    assert table.names == ["物种", "岛屿", "体重"] and table.encoding == "gb18030"
    assert list(table.columns["物种"][:2]) == ["山鸢尾", "变色鸢尾"]
    for enc in ("utf-8-sig", "utf-16"):
        path.write_bytes(chinese.encode(enc))
        assert read_table(path).names == ["物种", "岛屿", "体重"]


def test_a_gbk_table_with_chinese_labels_trains_and_predicts(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    rows = []
    for i in range(120):
        k = i % 2
        rows.append(f"{['北岛', '南岛'][k]},{170 + 10 * k + rng.normal():.1f},"
                    f"{['男', '女'][k]}")
    path = tmp_path / "人.csv"
    path.write_bytes(("岛屿,身高,性别\n" + "\n".join(rows) + "\n").encode("gbk"))
    model, _ = _train(path, "性别", epochs=10)
    assert set(model.class_names) == {"男", "女"}
    _, result = _round_trip(tmp_path, model, path)
    assert set(result.prediction.names) <= {"男", "女"}


def test_row_counters_and_ids_are_left_out_and_a_forced_counter_is_warned_about(
        tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    y = np.sort(rng.integers(0, 2, 200))  # sorted by the target, as a sorted export is
    x = rng.normal(size=200)
    frame = pd.DataFrame({"row": np.arange(1, 201), "noise": x, "label": np.where(y, "b", "a")})
    path = tmp_path / "sorted.csv"
    frame.to_csv(path, index=False)
    infos = {c.name: c for c in describe_columns(read_table(path), "label")}
    assert infos["row"].role == Role.IDENTIFIER
    ds = load_csv(path, "label", numeric=("row",))
    assert ds.table_info is not None
    assert any("'row' counts rows and follows the target" in w for w in ds.table_info.warnings)


def test_integer_targets_with_few_values_are_classes_unless_told(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=120), "quality": rng.integers(3, 9, 120)})
    path = tmp_path / "wine.csv"
    frame.to_csv(path, index=False)
    ds = load_csv(path, "quality")
    assert ds.task == "classification" and ds.table_info.task_reason.startswith("few whole")
    ds = load_csv(path, "quality", task=Task.REGRESSION)
    assert ds.task == "regression"


def test_a_regression_target_in_the_hundreds_is_learned_in_its_own_units(
        tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 400
    rooms = rng.integers(1, 6, n)
    area = rng.uniform(30, 200, n)
    town = rng.choice(["north", "south", "east"], n)
    price = 80 + 2.5 * area + 15 * rooms + np.select([town == "north", town == "south"],
                                                       [60, -40], 0) + rng.normal(0, 10, n)
    frame = pd.DataFrame({"area": np.round(area, 1), "rooms": rooms, "town": town,
                          "price": np.round(price, 2)})
    path = tmp_path / "houses.csv"
    frame.to_csv(path, index=False)
    model, data = _train(path, "price", epochs=60)
    assert model.task == "regression"
    assert data.target_std > 50 and model.target_std == pytest.approx(data.target_std)
    prediction = model.predict(data.x_val * data.std + data.mean)
    residual = prediction.labels - data.y_val
    r2 = 1 - float(np.sum(residual ** 2)) / float(np.sum((data.y_val - data.y_val.mean()) ** 2))
    assert r2 > 0.9, r2
    _, result = _round_trip(tmp_path, model, path)
    assert abs(float(result.prediction.labels.mean()) - float(frame["price"].mean())) < 30


def test_default_run_matches_a_one_hot_impute_logistic_regression(tmp_path: Path) -> None:
    """A table with known structure: the network's defaults reach scikit-learn's baseline."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.default_rng(5)
    n = 1000
    colour = rng.choice(["red", "green", "blue", "grey"], n)
    size = rng.normal(0, 1, n)
    weight = rng.normal(0, 1, n)
    logit = 1.5 * size - weight + np.select([colour == "red", colour == "blue"], [1.5, -1.5], 0)
    label = np.where(logit + rng.logistic(size=n) > 0, "yes", "no")
    frame = pd.DataFrame({"colour": colour, "size": np.round(size, 3),
                          "weight": np.round(weight, 3), "label": label}).astype(object)
    frame.loc[frame.index[::7], "size"] = None
    frame.loc[frame.index[::13], "colour"] = None
    path = tmp_path / "known.csv"
    frame.to_csv(path, index=False, na_rep="NA")
    model, _ = _train(path, "label", epochs=30)
    from workbench.core.data import split_indices

    ds = load_csv(path, "label")
    train, val = split_indices(ds.y, ds.task, 0.2, 0, True)
    table = pd.read_csv(path)
    x_cols = ["colour", "size", "weight"]
    baseline = make_pipeline(
        ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True),
                                  StandardScaler()), ["size", "weight"]),
            ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                                  OneHotEncoder(handle_unknown="ignore")), ["colour"])]),
        LogisticRegression(max_iter=1000))
    baseline.fit(table.loc[train, x_cols], table.loc[train, "label"])
    sk_acc = float((baseline.predict(table.loc[val, x_cols]) == table.loc[val, "label"]).mean())
    ours = model.summary["val_accuracy"]
    assert ours >= sk_acc - 0.02, (ours, sk_acc)


def test_non_regular_files_and_endless_lines_are_refused(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        read_table(fifo)
    long = tmp_path / "long.csv"
    long.write_bytes(b"1," * (2**20))
    with pytest.raises(DataError, match="first line is longer than"):
        read_table(long)


def test_the_model_file_keeps_the_preprocessing_and_refuses_a_bad_one(tmp_path: Path) -> None:
    import json
    import struct

    path = tmp_path / "p.csv"
    penguins(100).to_csv(path, index=False)
    model, _ = _train(path, "species", epochs=2)
    saved = tmp_path / "m.wbm"
    save_model(model, saved)
    raw = saved.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    pre = json.loads(header["__metadata__"]["preprocess"])
    pre["columns"][0]["kind"] = "python"
    header["__metadata__"]["preprocess"] = json.dumps(pre)
    text = json.dumps(header).encode()
    bad = tmp_path / "bad.wbm"
    bad.write_bytes(struct.pack("<Q", len(text)) + text + raw[8 + n:])
    from workbench.errors import ModelFileError

    with pytest.raises(ModelFileError, match="table preprocessing is not valid"):
        load_model(bad)


def test_reader_output_matches_pandas_on_a_plain_file(tmp_path: Path) -> None:
    frame = penguins(50)
    path = tmp_path / "p.csv"
    frame.to_csv(path, index=False)
    ours = read_table(path)
    theirs = pd.read_csv(io.BytesIO(path.read_bytes()))
    assert ours.names == list(theirs.columns)
    np.testing.assert_array_equal(ours.columns["bill_depth_mm"], theirs["bill_depth_mm"])


def test_a_file_mixing_utf8_and_windows_1252_is_refused_not_garbled(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"name,city\n" + "Müller,Zürich\n".encode()
                     + "Gérard,Nîmes\n".encode("cp1252") + b"Smith,Leeds\n")
    with pytest.raises(DataError, match="mixes text encodings: line 2 is UTF-8"):
        read_table(path)


def test_class_folders_whose_names_are_not_utf8_train_and_save(tmp_path: Path) -> None:
    import os

    from PIL import Image

    root = tmp_path / "pets"
    for raw_name in (b"caf\xe9", b"dog"):
        folder = os.path.join(os.fsencode(root), raw_name)
        os.makedirs(folder)
        for i in range(6):
            Image.new("L", (8, 8), 40 * i).save(os.fsdecode(os.path.join(folder, b"%d.png" % i)))
    cfg = TrainConfig().with_changes(data={"dataset": "images", "image_dir": str(root),
                                           "image_size": 8}, run={"epochs": 1, "batch_size": 4})
    engine = Engine(cfg)
    assert isinstance(engine.run(), RunFinished)
    model = engine.trained_model()
    assert model.class_names == ("caf\ufffd", "dog")
    save_model(model, tmp_path / "m.wbm")
    assert load_model(tmp_path / "m.wbm").class_names == ("caf\ufffd", "dog")


def table_format(text: str) -> tuple[str, str | None]:
    from workbench.core.data.tables import _sniff_decimal

    return _sniff_decimal(text, ";", '"')


def test_german_dates_in_a_decimal_comma_file_are_dates(tmp_path: Path) -> None:
    # German Excel writes 15.03.2024 for a date and 1.234,5 for a number. With "." as the
    # thousands separator the parser would read the date as the number 15032024.
    frame = penguins(120)
    frame["date_egg"] = pd.to_datetime(frame["date_egg"]).dt.strftime("%d.%m.%Y")
    for name in ("bill_length_mm", "bill_depth_mm", "body_mass_g"):
        frame[name] = [None if v is None else f"{v * 1.5:,.1f}".replace(",", "X")
                       .replace(".", ",").replace("X", ".") for v in frame[name]]
    path = tmp_path / "pinguine.csv"
    text = frame.to_csv(sep=";", index=False, na_rep="")
    path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    assert table_format(text) == (",", ".")  # a decimal-comma file with thousands points
    table = read_table(path)
    assert table.kind("date_egg") == "text"  # read as written, then recognised as dates
    assert table.kind("body_mass_g") == "number"
    assert np.nanmin(table.columns["body_mass_g"]) > 1000  # the grouping point was a thousands point
    roles = {c.name: c.role for c in describe_columns(table, "species")}
    assert roles["date_egg"] == Role.DATE
    assert roles["body_mass_g"] == Role.NUMERIC


def test_iso_dates_at_predict_read_as_the_dates_trained_on(tmp_path: Path) -> None:
    # Trained on a file that writes 15/03/2024; the same rows saved again by another program
    # come with 2024-03-15. They are the same dates: the predictions must be the same.
    frame = penguins(160)
    days = pd.to_datetime(frame["date_egg"])
    frame["date_egg"] = days.dt.strftime("%d/%m/%Y")
    trained_on = tmp_path / "penguins.csv"
    frame.to_csv(trained_on, index=False)
    model, data = _train(trained_on, "species", epochs=5)
    assert {c.name: c.role for c in data.table_info.columns}["date_egg"] == Role.DATE
    saved_again = tmp_path / "penguins_iso.csv"
    frame.assign(date_egg=days.dt.strftime("%Y-%m-%d")).to_csv(saved_again, index=False)
    first = predict_table(model, read_table_for(model, trained_on))
    again = predict_table(model, read_table_for(model, saved_again))
    assert "date_egg" not in again.missing  # no date taken for missing and filled in
    assert again.missing == first.missing  # (the table's own gaps are filled in both)
    assert np.array_equal(first.prediction.proba, again.prediction.proba)
