"""The draw set: painted points as a data set, its stable split, and the drawing file."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.config import MIN_DRAW_POINTS, DataConfig, TrainConfig, dumps_toml, load_toml
from workbench.core.data import load_dataset, prepare
from workbench.core.data.drawn import (
    drawing_csv,
    parse_drawing,
    points_array,
    read_drawing,
    validation_mask,
    write_drawing,
)
from workbench.errors import DataError


def _points(n: int = 40, classes: int = 2, seed: int = 0) -> tuple[tuple[float, float, int], ...]:
    rng = np.random.default_rng(seed)
    xy = rng.normal(size=(n, 2))
    return tuple((float(x), float(y), i % classes) for i, (x, y) in enumerate(xy))


def test_validation_mask_holds_out_the_share_and_never_moves_earlier_points() -> None:
    labels = np.array([0, 1] * 50)
    mask = validation_mask(labels, 0.2)
    assert mask.sum() == 20
    assert mask[labels == 0].sum() == 10 and mask[labels == 1].sum() == 10
    # The 5th, 10th, ... point of each class.
    assert np.flatnonzero(mask[labels == 0]).tolist() == list(range(4, 50, 5))
    for n in range(1, 100):
        assert np.array_equal(validation_mask(labels[:n], 0.2), mask[:n])
    assert not validation_mask(labels, 0.0).any()


def test_prepare_splits_normalises_on_training_points_and_counts_classes() -> None:
    points = _points(50, classes=3)
    cfg = DataConfig(dataset="draw", classes=3, points=points, val_split=0.2)
    data = prepare(cfg, seed=123)
    xy, labels = points_array(points)
    held = validation_mask(labels, 0.2)
    assert data.n_train == int((~held).sum()) and data.n_val == int(held.sum())
    assert data.class_names == ("class 0", "class 1", "class 2")
    np.testing.assert_allclose(data.mean, xy[~held].mean(axis=0), rtol=1e-5)
    raw = data.x_train * data.std + data.mean
    np.testing.assert_allclose(raw, xy[~held], atol=1e-5)
    assert data.train_counts.tolist() == np.bincount(labels[~held], minlength=3).tolist()
    # The seed plays no part: the split is the points' own.
    assert np.array_equal(prepare(cfg, seed=7).y_val, data.y_val)


def test_too_few_points_or_one_class_are_refused_with_a_message() -> None:
    few = TrainConfig(data=DataConfig(dataset="draw", points=_points(MIN_DRAW_POINTS - 1)))
    problems = few.validate()
    assert [p.field for p in problems] == ["data.points"]
    assert "paint at least" in problems[0].message
    one = TrainConfig(data=DataConfig(dataset="draw", points=_points(10, classes=1)))
    assert "one class only" in one.validate()[0].message
    with pytest.raises(DataError, match="one class only"):
        load_dataset(one.data, 0)
    wrong = TrainConfig(data=DataConfig(dataset="draw", classes=2,
                                        points=((0.0, 0.0, 0), (1.0, 1.0, 4))))
    assert "classes 0 to 1" in wrong.validate()[0].message
    assert TrainConfig(data=DataConfig(dataset="draw", points=_points(10))).validate() == []


def test_a_drawing_in_a_toml_file_reads_back_identically(tmp_path) -> None:
    cfg = TrainConfig(data=DataConfig(dataset="draw", classes=3, points=_points(30, 3)))
    path = tmp_path / "run.toml"
    path.write_text(dumps_toml(cfg), encoding="utf-8")
    assert load_toml(path) == cfg


def test_a_saved_drawing_reads_back_identically(tmp_path) -> None:
    points = _points(60, classes=4, seed=3)
    path = tmp_path / "drawing.csv"
    write_drawing(path, points)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "x,y,label"
    read, classes = read_drawing(path)
    assert read == points
    assert classes == 4
    # An empty drawing is a file with its header only, and reads back empty.
    write_drawing(path, ())
    assert read_drawing(path) == ((), 2)


@pytest.mark.parametrize(("text", "match"), [
    ("a,b,c\n1,2,0\n", "first line must be"),
    ("x,y,label\n1,2\n", "Line 2"),
    ("x,y,label\n1,2,0\n1,two,1\n", "Line 3"),
    ("x,y,label\n1,nan,0\n", "finite"),
    ("x,y,label\n1,2,7\n", "class 7"),
])
def test_bad_drawing_files_are_refused_naming_the_line(text: str, match: str) -> None:
    with pytest.raises(DataError, match=match):
        parse_drawing(text, "drawing.csv")


def test_a_file_that_is_not_a_drawing_is_refused(tmp_path) -> None:
    with pytest.raises(DataError, match="not a file"):
        read_drawing(tmp_path)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"x,y,label\n\xff\xfe,1,0\n")
    with pytest.raises(DataError, match="not UTF-8"):
        read_drawing(binary)


def test_drawing_csv_is_exact() -> None:
    points = ((0.1, -2.5e-7, 0), (1 / 3, 2.0, 1))
    assert parse_drawing(drawing_csv(points), "d.csv") == (points, 2)


def test_the_engine_trains_on_a_drawing() -> None:
    from workbench.core.engine import Engine
    from workbench.core.events import EpochEnded, RunFinished

    rng = np.random.default_rng(1)
    a = rng.normal((-0.5, 0.0), 0.1, (30, 2))
    b = rng.normal((0.5, 0.0), 0.1, (30, 2))
    points = tuple((float(x), float(y), 0) for x, y in a) + tuple(
        (float(x), float(y), 1) for x, y in b)
    cfg = TrainConfig().with_changes(data={"dataset": "draw", "points": points},
                                     run={"epochs": 15, "batch_size": 8, "device": "cpu"})
    events: list[object] = []
    result = Engine(cfg).run(events.append)
    assert isinstance(result, RunFinished)
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    # 48 training points (every 5th of each class held out): ceil(48 / 8) = 6 per epoch.
    assert epochs[0].iteration == 6
    assert epochs[-1].val_accuracy == 1.0
