"""Data sets, split, normalisation and per-epoch sampling."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from torch import nn

from workbench.config import (
    BUILTIN_DATASETS,
    SYNTHETIC_DATASETS,
    DataConfig,
    Imbalance,
)
from workbench.core.data import (
    CLASSIFICATION,
    REGRESSION,
    Dataset,
    EpochSampler,
    class_counts,
    compute_stats,
    load_dataset,
    normalize,
    prepare,
    read_csv_header,
    split_indices,
)
from workbench.errors import DataError

# -- built-in sets ------------------------------------------------------------------------

EXPECTED = {
    "digits": ((1797, 1, 8, 8), CLASSIFICATION, 10),
    "iris": ((150, 4), CLASSIFICATION, 3),
    "wine": ((178, 13), CLASSIFICATION, 3),
    "breast_cancer": ((569, 30), CLASSIFICATION, 2),
    "diabetes": ((442, 10), REGRESSION, 0),
}


@pytest.mark.parametrize("name", BUILTIN_DATASETS)
def test_builtin_set_loads_with_shapes_dtypes_and_task(name: str) -> None:
    ds = load_dataset(DataConfig(dataset=name, samples=300), seed=0)
    shape, task, n_classes = EXPECTED.get(name, ((300, 2), CLASSIFICATION, 2))
    assert ds.x.shape == shape
    assert ds.x.dtype == np.float32
    assert ds.y.shape == (shape[0],)
    assert ds.task == task
    assert ds.n_classes == n_classes
    assert len(ds.class_names) == n_classes
    assert ds.input_shape == shape[1:]
    assert ds.is_image == (len(shape) == 4)
    assert np.all(np.isfinite(ds.x))
    if task == CLASSIFICATION:
        assert ds.y.dtype == np.int64
        assert set(np.unique(ds.y)) == set(range(n_classes))
    else:
        assert ds.y.dtype == np.float32
    if ds.is_image:
        assert ds.feature_names == ()
    else:
        assert len(ds.feature_names) == shape[1]


def test_bundled_names_come_from_scikit_learn() -> None:
    iris = load_dataset(DataConfig(dataset="iris"), 0)
    assert iris.class_names == ("setosa", "versicolor", "virginica")
    assert iris.feature_names[0] == "sepal length (cm)"
    digits = load_dataset(DataConfig(dataset="digits"), 0)
    assert digits.class_names == tuple(str(i) for i in range(10))
    assert digits.x.min() == 0.0 and digits.x.max() == 1.0  # scaled like other images


@pytest.mark.parametrize("name", SYNTHETIC_DATASETS)
def test_synthetic_sets_are_seeded_and_balanced(name: str) -> None:
    cfg = DataConfig(dataset=name, samples=301)
    a, b = load_dataset(cfg, seed=3), load_dataset(cfg, seed=3)
    c = load_dataset(cfg, seed=4)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)
    assert a.feature_names == ("x1", "x2")
    assert a.class_names == ("class 0", "class 1")
    assert sorted(np.bincount(a.y).tolist()) == [150, 151]


def test_spiral_and_blobs_take_the_number_of_classes() -> None:
    for name in ("spiral", "blobs"):
        ds = load_dataset(DataConfig(dataset=name, samples=500, classes=5), 0)
        assert ds.n_classes == 5
        assert np.bincount(ds.y).tolist() == [100] * 5
    moons = load_dataset(DataConfig(dataset="moons", classes=5), 0)
    assert moons.n_classes == 2


def test_synthetic_noise_zero_puts_spiral_points_on_their_arms() -> None:
    ds = load_dataset(DataConfig(dataset="spiral", noise=0.0), 0)
    r = np.hypot(ds.x[:, 0], ds.x[:, 1])
    angle = np.arctan2(ds.x[:, 1], ds.x[:, 0])
    # On arm k the angle is 2*pi*(1.5 r + k/2) (mod 2*pi).
    phase = (angle / (2 * np.pi) - 1.5 * r - ds.y / 2) % 1.0
    assert np.all(np.minimum(phase, 1 - phase) < 1e-4)


def test_bad_synthetic_settings_and_unknown_names_raise_data_error() -> None:
    with pytest.raises(DataError, match="at least 6 samples"):
        load_dataset(DataConfig(dataset="spiral", samples=5, classes=3), 0)
    with pytest.raises(DataError, match="no data set called 'mnist'"):
        load_dataset(DataConfig(dataset="mnist"), 0)
    with pytest.raises(DataError, match="No CSV file"):
        load_dataset(DataConfig(dataset="csv"), 0)
    with pytest.raises(DataError, match="No image folder"):
        load_dataset(DataConfig(dataset="images"), 0)


def test_data_errors_keep_their_template_and_parameters() -> None:
    """A window shows the same error translated: template + parameters give the message."""
    with pytest.raises(DataError) as info:
        load_dataset(DataConfig(dataset="spiral", samples=5, classes=3), 0)
    error = info.value
    assert error.template.startswith("The {name} data set needs at least {needed} samples")
    assert error.params == {"name": "spiral", "needed": 6, "classes": 3, "samples": 5}
    assert error.template.format(**error.params) == str(error)


def _train_mlp(prep, seed: int) -> float:
    """Validation accuracy of a 2-64-64-2 ReLU MLP, Adam 0.01, batch 32, 30 epochs."""
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                        nn.Linear(64, 2))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x, y = torch.from_numpy(prep.x_train), torch.from_numpy(prep.y_train)
    g = torch.Generator().manual_seed(seed)
    for _ in range(30):
        for batch in torch.randperm(len(x), generator=g).split(32):
            loss = nn.functional.cross_entropy(net(x[batch]), y[batch])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    with torch.no_grad():
        pred = net(torch.from_numpy(prep.x_val)).argmax(1).numpy()
    return float((pred == prep.y_val).mean())


@pytest.fixture
def one_thread() -> Iterator[None]:
    # Batches of 32 through a 64-unit MLP gain nothing from threads, and on a busy machine
    # the threads of a parallel pool spin against each other and slow training many-fold.
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.usefixtures("one_thread")
def test_default_spiral_is_learnable_by_a_small_mlp() -> None:
    for seed in (0, 1, 2):
        prep = prepare(DataConfig(), seed)
        assert prep.n_train == 800 and prep.n_val == 200
        assert _train_mlp(prep, seed) >= 0.95, f"seed {seed}"


def test_default_spiral_is_not_linearly_separable() -> None:
    from sklearn.linear_model import LogisticRegression

    prep = prepare(DataConfig(), 0)
    model = LogisticRegression().fit(prep.x_train, prep.y_train)
    assert model.score(prep.x_val, prep.y_val) < 0.8


# -- split --------------------------------------------------------------------------------

@pytest.mark.parametrize("val_split", [0.1, 0.2, 0.25, 0.5])
def test_split_is_stratified_exact_disjoint_and_complete(val_split: float) -> None:
    y = np.repeat(np.arange(3), [600, 300, 100])
    train, val = split_indices(y, CLASSIFICATION, val_split, seed=0)
    assert len(val) == round(len(y) * val_split)
    assert len(np.intersect1d(train, val)) == 0
    assert np.array_equal(np.sort(np.concatenate([train, val])), np.arange(len(y)))
    assert train.dtype == np.int64 and val.dtype == np.int64
    np.testing.assert_allclose(np.bincount(y[val], minlength=3) / len(val), [0.6, 0.3, 0.1])
    np.testing.assert_allclose(np.bincount(y[train], minlength=3) / len(train),
                               [0.6, 0.3, 0.1])


def test_split_is_deterministic_per_seed() -> None:
    y = np.random.default_rng(0).integers(0, 4, 500)
    a = split_indices(y, CLASSIFICATION, 0.2, seed=7)
    b = split_indices(y, CLASSIFICATION, 0.2, seed=7)
    c = split_indices(y, CLASSIFICATION, 0.2, seed=8)
    assert np.array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_split_puts_every_class_with_two_samples_in_both_parts() -> None:
    y = np.array([0] * 97 + [1] * 2 + [2])  # class 2 has a single sample
    train, val = split_indices(y, CLASSIFICATION, 0.05, seed=0)
    assert 1 in y[val] and 1 in y[train]
    assert 2 in y[train] and 2 not in y[val]
    assert len(val) == 5


def test_split_keeps_every_class_even_when_the_rounded_count_is_too_small() -> None:
    y = np.repeat(np.arange(3), 50)
    _, val = split_indices(y, CLASSIFICATION, 0.01, seed=0)  # round(1.5) = 2 < 3 classes
    assert sorted(np.unique(y[val])) == [0, 1, 2]


def test_split_zero_and_unshuffled() -> None:
    y = np.repeat([0, 1], [6, 4])
    train, val = split_indices(y, CLASSIFICATION, 0.0, seed=0)
    assert np.array_equal(train, np.arange(10)) and len(val) == 0
    train, val = split_indices(y, CLASSIFICATION, 0.2, seed=0, shuffle=False)
    assert val.tolist() == [5, 9]  # the last sample of each class
    yr = np.linspace(0, 1, 10, dtype=np.float32)
    train, val = split_indices(yr, REGRESSION, 0.3, seed=0, shuffle=False)
    assert val.tolist() == [7, 8, 9]
    _, val = split_indices(yr, REGRESSION, 0.3, seed=0)
    assert len(val) == 3


def test_split_rejects_a_bad_fraction() -> None:
    with pytest.raises(DataError):
        split_indices(np.zeros(10), REGRESSION, 1.0, seed=0)


# -- statistics and prepare -----------------------------------------------------------------

def test_compute_stats_per_feature_and_per_channel() -> None:
    x = np.array([[1, 5], [3, 5]], dtype=np.float32)
    mean, std = compute_stats(x)
    assert mean.tolist() == [2, 5] and std.tolist() == [1, 1]  # constant column -> 1
    images = np.zeros((4, 3, 5, 5), dtype=np.float32)
    images[:, 0] = np.arange(4)[:, None, None]
    images[:, 1] = 0.5
    mean, std = compute_stats(images)
    assert mean.shape == (3, 1, 1) and mean.dtype == np.float32
    np.testing.assert_allclose(mean.ravel(), [1.5, 0.5, 0.0])
    np.testing.assert_allclose(std.ravel(), [np.std(np.arange(4)), 1.0, 1.0], rtol=1e-6)
    out = normalize(images, mean, std)
    assert out.dtype == np.float32 and out.shape == images.shape
    np.testing.assert_allclose(normalize(images[0], mean, std), out[0])


def test_statistics_come_from_the_training_split_only() -> None:
    # Without shuffling the validation part is the last fifth, whose values are far larger.
    x = np.arange(100, dtype=np.float32)[:, None] * np.array([1.0, -2.0], dtype=np.float32)
    ds = Dataset("ramp", x, np.arange(100, dtype=np.float32), REGRESSION, (), ("a", "b"))
    prep = prepare(DataConfig(shuffle=False), 0, dataset=ds)
    np.testing.assert_allclose(prep.mean, x[:80].mean(0), rtol=1e-6)
    np.testing.assert_allclose(prep.std, x[:80].std(0), rtol=1e-6)
    np.testing.assert_allclose(prep.x_train.mean(0), [0, 0], atol=1e-5)
    assert np.all(prep.x_val[:, 0] > 1.5)  # validation is normalised with training stats
    assert np.array_equal(prep.y_val, np.arange(80, 100))  # regression targets untouched


def test_prepare_recovers_the_raw_training_data() -> None:
    cfg = DataConfig(dataset="wine")
    prep = prepare(cfg, 5)
    raw = load_dataset(cfg, 5)
    train, val = split_indices(raw.y, CLASSIFICATION, cfg.val_split, 5)
    np.testing.assert_allclose(prep.mean, raw.x[train].mean(0), rtol=1e-5)
    np.testing.assert_allclose(prep.x_train * prep.std + prep.mean, raw.x[train], rtol=1e-4,
                               atol=1e-3)
    assert np.array_equal(prep.y_val, raw.y[val])
    assert prep.train_counts.tolist() == class_counts(raw.y[train], 3).tolist()
    assert prep.val_counts.sum() == prep.n_val == 36
    assert prep.feature_names == raw.feature_names and prep.input_shape == (13,)


def test_normalisation_off_gives_identity_statistics() -> None:
    prep = prepare(DataConfig(dataset="digits", normalize=False), 0)
    assert prep.is_image and prep.input_shape == (1, 8, 8)
    assert prep.mean.shape == (1, 1, 1) and prep.std.shape == (1, 1, 1)
    assert prep.mean.item() == 0.0 and prep.std.item() == 1.0
    assert prep.x_train.max() == 1.0
    tab = prepare(DataConfig(dataset="iris", normalize=False), 0)
    assert tab.mean.tolist() == [0.0] * 4 and tab.std.tolist() == [1.0] * 4


def test_image_statistics_are_per_channel() -> None:
    prep = prepare(DataConfig(dataset="digits"), 0)
    assert prep.mean.shape == (1, 1, 1)
    assert abs(float(prep.x_train.mean())) < 1e-4
    assert prep.n_classes == 10 and prep.train_counts.sum() == prep.n_train


def test_regression_prepare_has_no_class_counts() -> None:
    prep = prepare(DataConfig(dataset="diabetes"), 0)
    assert prep.task == REGRESSION and prep.n_classes == 0
    assert prep.train_counts.size == 0 and prep.val_counts.size == 0
    assert prep.y_train.dtype == np.float32


def test_prepare_without_validation_and_with_inconsistent_data() -> None:
    prep = prepare(DataConfig(dataset="iris", val_split=0.0), 0)
    assert prep.n_train == 150 and prep.n_val == 0
    assert prep.x_val.shape == (0, 4) and prep.y_val.dtype == np.int64
    assert prep.val_counts.tolist() == [0, 0, 0]
    bad = Dataset("bad", np.zeros((5, 2), np.float32), np.zeros(4, np.int64), CLASSIFICATION,
                  ("a", "b"))
    with pytest.raises(DataError, match="one target per sample"):
        prepare(DataConfig(), 0, dataset=bad)
    nan = Dataset("nan", np.full((4, 2), np.nan, np.float32), np.array([0, 1, 0, 1]),
                  CLASSIFICATION, ("a", "b"))
    with pytest.raises(DataError, match="missing or infinite"):
        prepare(DataConfig(), 0, dataset=nan)


def test_class_counts() -> None:
    assert class_counts(np.array([0, 2, 2]), 4).tolist() == [1, 0, 2, 0]
    assert class_counts(np.array([1.5]), 0).size == 0


# -- CSV ----------------------------------------------------------------------------------

def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_string_labels(tmp_path: Path) -> None:
    f = _write(tmp_path / "pets.csv",
               "weight,height,kind\n4.5,30,cat\n30,60,dog\n5,25,cat\n\n28,55,dog\n")
    ds = load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0)
    assert ds.name == "pets.csv"
    assert ds.task == CLASSIFICATION and ds.class_names == ("cat", "dog")
    assert ds.feature_names == ("weight", "height")
    assert ds.y.tolist() == [0, 1, 0, 1]
    assert ds.x.dtype == np.float32 and ds.x.shape == (4, 2)
    assert read_csv_header(f) == ["weight", "height", "kind"]
    assert ds.preprocess is not None and ds.preprocess.raw_columns == ("weight", "height")


def test_csv_target_by_name_and_numeric_labels_sorted_numerically(tmp_path: Path) -> None:
    rows = "\n".join(f"{label},{i},{i * 2}" for i, label in enumerate([10, 2, 2, 10, 1, 1]))
    f = _write(tmp_path / "n.csv", "label,a,b\n" + rows + "\n")
    ds = load_dataset(DataConfig(dataset="csv", csv_path=str(f), target="label"), 0)
    assert ds.class_names == ("1", "2", "10")
    assert ds.y.tolist() == [2, 1, 1, 2, 0, 0]
    assert ds.feature_names == ("a", "b")


def test_csv_regression_target(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    lines = [f"{a:.3f},{a * 3 + 0.25:.4f}" for a in rng.normal(size=30)]
    f = _write(tmp_path / "r.csv", "x,price\n" + "\n".join(lines))
    ds = load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0)
    assert ds.task == REGRESSION and ds.y.dtype == np.float32 and ds.class_names == ()
    many = "\n".join(f"{i * 2},{i * 7}" for i in range(30))  # whole numbers, 30 distinct values
    f2 = _write(tmp_path / "r2.csv", "x,count\n" + many)
    assert load_dataset(DataConfig(dataset="csv", csv_path=str(f2)), 0).task == REGRESSION


def test_csv_gb18030_with_chinese_header_and_labels(tmp_path: Path) -> None:
    text = "身高,体重,类别\n170,60,男\n160,50,女\n175,70,男\n155,45,女\n"
    f = _write(tmp_path / "人.csv", text, "gb18030")
    ds = load_dataset(DataConfig(dataset="csv", csv_path=str(f), target="类别"), 0)
    assert ds.feature_names == ("身高", "体重")
    assert set(ds.class_names) == {"男", "女"}
    assert [ds.class_names[i] for i in ds.y] == ["男", "女", "男", "女"]
    assert read_csv_header(f) == ["身高", "体重", "类别"]


def test_csv_utf8_bom_semicolons_tabs_and_quotes(tmp_path: Path) -> None:
    f = _write(tmp_path / "bom.csv", "\ufeffa,b,y\r\n1,2,x\r\n3,4,z\r\n", "utf-8")
    ds = load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0)
    assert ds.feature_names == ("a", "b")
    f = _write(tmp_path / "semi.csv", "a;b;y\n1,5;2;x\n3;4,25;z\n")
    ds = load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0)
    assert ds.x.tolist() == [[1.5, 2.0], [3.0, 4.25]]
    f = _write(tmp_path / "tab.csv", "a\tb\ty\n1\t2\tx\n3\t4\tz\n")
    assert load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0).x.shape == (2, 2)
    f = _write(tmp_path / "q.csv", 'a,"b, c",y\n1,2,"one, two"\n3,4,three\n')
    ds = load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0)
    assert ds.feature_names == ("a", "b, c") and ds.class_names == ("one, two", "three")


BAD_CSVS = [
    ("empty", "", "empty"),
    ("blank", "\n\n  \n", "empty"),
    ("header only", "a,b,y\n", "no data rows"),
    ("one row", "a,b,y\n1,2,x\n", "only 1 data row"),
    ("ragged", "a,b,y\n1,2,x\n3,4,5,6\n5,6,z\n",
     r"line 3: this row has 4 values but the header has 3"),
    ("inf", "a,b,y\n1,2,x\n3,-inf,z\n", r"row 3, column 'b': -inf is too large to be an input"),
    ("too large", "a,b,y\n1,2,x\n3,1e300,z\n",
     r"row 3, column 'b': 1e\+300 is too large to be an input \(the largest is about 3\.4e38\)"),
    ("single class", "a,b,y\n1,2,x\n3,4,x\n", r"only one class \('x'\)"),
    ("id target", "a,b,name\n" + "".join(f"{i},2,n{i}\n" for i in range(25)), "ID column"),
    ("empty target", "a,b,y\n1,2,x\n3,4,\n", r"only 1 data row with a target value"),
    ("no header", "5,2,3\n4,5,6\n7,8,9\n", "holds numbers, not column names"),
    ("one column", "y\nx\nz\n", "only one column"),
]


@pytest.mark.parametrize("text,pattern", [(t, p) for _, t, p in BAD_CSVS],
                         ids=[name for name, _, _ in BAD_CSVS])
def test_bad_csv_files_give_clear_data_errors(tmp_path: Path, text: str, pattern: str) -> None:
    f = _write(tmp_path / "bad.csv", text)
    with pytest.raises(DataError, match=pattern) as info:
        load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0)
    assert "Traceback" not in str(info.value)


def test_a_header_naming_a_column_twice_is_read_as_pandas_reads_it(tmp_path: Path) -> None:
    f = _write(tmp_path / "d.csv", "a,b,a,y\n1,2,3,x\n3,4,5,z\n")
    assert load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0).feature_names == (
        "a", "b", "a.1")


def test_csv_missing_target_column_lists_the_columns(tmp_path: Path) -> None:
    f = _write(tmp_path / "t.csv", "a,b,y\n1,2,x\n3,4,z\n")
    with pytest.raises(DataError, match=r"no column named 'label'. The columns are: a, b, y"):
        load_dataset(DataConfig(dataset="csv", csv_path=str(f), target="label"), 0)


def test_csv_columns_named_by_number_are_a_header(tmp_path: Path) -> None:
    f = _write(tmp_path / "p.csv", "0,1,2\n1.5,2,a\n3,4,b\n")
    assert load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0).feature_names == ("0", "1")


def test_csv_utf16_export_and_header_only_reading(tmp_path: Path) -> None:
    f = _write(tmp_path / "u16.csv", "\ufeffa\tb\ty\n1\t2\tx\n3\t4\tz\n", "utf-16-le")
    assert load_dataset(DataConfig(dataset="csv", csv_path=str(f)), 0).x.shape == (2, 2)
    ragged = _write(tmp_path / "ragged.csv", "a,b,y\n1,2\n")
    assert read_csv_header(ragged) == ["a", "b", "y"]  # the picker needs only the header


def test_unreadable_csv_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        read_csv_header(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="folder, not a CSV"):
        read_csv_header(tmp_path)
    f = tmp_path / "book.xlsx"
    f.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe binary")
    with pytest.raises(DataError, match="cannot be read as an Excel workbook"):
        read_csv_header(f)
    f = tmp_path / "book.csv"
    f.write_bytes(b"PK\x03\x04\x00\x00\xff\xfe binary")
    with pytest.raises(DataError, match="Excel workbook or another binary file"):
        read_csv_header(f)


# -- image folders ------------------------------------------------------------------------

def _image(path: Path, size: tuple[int, int], colour: tuple[int, int, int],
           mode: str = "RGB") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour if mode == "RGB" else colour[0]).save(path)


def _image_folder(root: Path) -> Path:
    _image(root / "cats" / "a.png", (40, 30), (255, 0, 0))
    _image(root / "cats" / "b.jpg", (12, 12), (250, 0, 0))
    _image(root / "dogs" / "c.png", (9, 20), (0, 0, 255))
    _image(root / "dogs" / "d.png", (64, 64), (128, 0, 0), mode="L")
    (root / "dogs" / ".DS_Store").write_bytes(b"\x00\x01junk")
    (root / ".hidden").mkdir()
    return root


def test_image_folder_rgb_and_grey(tmp_path: Path) -> None:
    root = _image_folder(tmp_path / "pets")
    rgb = load_dataset(DataConfig(dataset="images", image_dir=str(root), image_size=16,
                                  grayscale=False), 0)
    assert rgb.name == "pets" and rgb.class_names == ("cats", "dogs")
    assert rgb.x.shape == (4, 3, 16, 16) and rgb.x.dtype == np.float32
    assert rgb.y.tolist() == [0, 0, 1, 1]
    assert rgb.x.min() >= 0.0 and rgb.x.max() <= 1.0
    np.testing.assert_allclose(rgb.x[0, :, 5, 5], [1.0, 0.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(rgb.x[2, :, 5, 5], [0.0, 0.0, 1.0], atol=1e-6)
    grey = load_dataset(DataConfig(dataset="images", image_dir=str(root), image_size=8), 0)
    assert grey.x.shape == (4, 1, 8, 8) and grey.feature_names == ()
    np.testing.assert_allclose(grey.x[3], 128 / 255, atol=1e-6)
    prep = prepare(DataConfig(dataset="images", image_dir=str(root), image_size=8,
                              val_split=0.5), 0)
    assert prep.n_train == 2 and prep.n_val == 2 and prep.mean.shape == (1, 1, 1)


def test_image_folder_with_a_file_that_is_not_an_image(tmp_path: Path) -> None:
    root = _image_folder(tmp_path / "pets")
    (root / "cats" / "notes.txt").write_text("not a picture")
    with pytest.raises(DataError, match=r"cats/notes.txt is not an image"):
        load_dataset(DataConfig(dataset="images", image_dir=str(root)), 0)


def test_image_folder_with_a_truncated_image(tmp_path: Path) -> None:
    root = _image_folder(tmp_path / "pets")
    whole = root / "cats" / "big.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (80, 80, 3), dtype=np.uint8)
                    ).save(whole)
    whole.write_bytes(whole.read_bytes()[:600])
    with pytest.raises(DataError, match=r"cats/big.png is damaged or incomplete"):
        load_dataset(DataConfig(dataset="images", image_dir=str(root)), 0)


def test_image_folder_refuses_decompression_bombs(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = _image_folder(tmp_path / "pets")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # a 40x30 image is 1200 pixels
    with pytest.raises(DataError, match=r"cats/a.png is too large"):
        load_dataset(DataConfig(dataset="images", image_dir=str(root)), 0)


def test_image_folder_structure_problems(tmp_path: Path) -> None:
    def load(path: Path) -> Dataset:
        return load_dataset(DataConfig(dataset="images", image_dir=str(path)), 0)

    with pytest.raises(DataError, match="does not exist"):
        load(tmp_path / "nowhere")
    _image(tmp_path / "one" / "only" / "a.png", (8, 8), (1, 2, 3))
    with pytest.raises(DataError, match=r"at least two .*found only 'only'"):
        load(tmp_path / "one")
    root = _image_folder(tmp_path / "pets")
    (root / "birds").mkdir()
    with pytest.raises(DataError, match="birds holds no images"):
        load(root)


def test_transparent_and_16_bit_images(tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    root.joinpath("a").mkdir(parents=True)
    root.joinpath("b").mkdir()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(root / "a" / "clear.png")
    Image.fromarray(np.full((8, 8), 65535, dtype=np.uint16)).save(root / "b" / "deep.png")
    ds = load_dataset(DataConfig(dataset="images", image_dir=str(root), image_size=4), 0)
    np.testing.assert_allclose(ds.x, 1.0, atol=1e-6)  # clear over white; 16-bit full scale


# -- epoch sampler ------------------------------------------------------------------------

Y_IMBALANCED = np.array([0] * 90 + [1] * 10 + [2] * 30)


def _sampler(imbalance: Imbalance, seed: int = 0, shuffle: bool = True,
             y: np.ndarray = Y_IMBALANCED) -> EpochSampler:
    return EpochSampler(y, CLASSIFICATION, imbalance, 3, torch.Generator().manual_seed(seed),
                        shuffle=shuffle)


def test_sampler_none_is_a_permutation_of_all() -> None:
    s = _sampler(Imbalance.NONE)
    a, b = s.epoch_indices(), s.epoch_indices()
    assert s.epoch_size == 130 and a.dtype == torch.int64 and a.device.type == "cpu"
    assert sorted(a.tolist()) == list(range(130))
    assert not torch.equal(a, b)
    fixed = _sampler(Imbalance.NONE, shuffle=False)
    assert torch.equal(fixed.epoch_indices(), torch.arange(130))


def test_sampler_oversample_balances_classes_on_average() -> None:
    s = _sampler(Imbalance.OVERSAMPLE)
    assert s.epoch_size == 130
    drawn = torch.cat([s.epoch_indices() for _ in range(40)]).numpy()
    shares = np.bincount(Y_IMBALANCED[drawn], minlength=3) / len(drawn)
    np.testing.assert_allclose(shares, [1 / 3] * 3, atol=0.03)
    rare = drawn[Y_IMBALANCED[drawn] == 1]
    assert set(rare.tolist()) == set(range(90, 100))  # every rare sample gets repeated
    ordered = _sampler(Imbalance.OVERSAMPLE, shuffle=False).epoch_indices()
    assert len(ordered) == 130 and torch.all(ordered[1:] >= ordered[:-1])


def test_sampler_undersample_draws_a_fresh_subset_each_epoch() -> None:
    s = _sampler(Imbalance.UNDERSAMPLE)
    assert s.epoch_size == 30
    first, second = s.epoch_indices(), s.epoch_indices()
    for idx in (first, second):
        assert len(idx) == 30 and len(set(idx.tolist())) == 30
        assert np.bincount(Y_IMBALANCED[idx.numpy()], minlength=3).tolist() == [10, 10, 10]
    assert set(first.tolist()) != set(second.tolist())
    seen = set()
    for _ in range(100):
        seen |= set(s.epoch_indices().tolist())
    assert len(seen) == 130  # over many epochs nothing is thrown away for good


def test_sampler_is_deterministic_for_a_generator_seed() -> None:
    for mode in Imbalance:
        a, b, c = _sampler(mode, seed=4), _sampler(mode, seed=4), _sampler(mode, seed=5)
        runs_a = [a.epoch_indices() for _ in range(3)]
        runs_b = [b.epoch_indices() for _ in range(3)]
        assert all(torch.equal(x, y) for x, y in zip(runs_a, runs_b, strict=True))
        assert not torch.equal(runs_a[0], c.epoch_indices())


def test_sampler_resumes_exactly_from_a_saved_generator_state() -> None:
    g = torch.Generator().manual_seed(9)
    s = EpochSampler(Y_IMBALANCED, CLASSIFICATION, Imbalance.UNDERSAMPLE, 3, g)
    s.epoch_indices()
    state = g.get_state()
    expected = s.epoch_indices()
    g2 = torch.Generator()
    g2.set_state(state)
    resumed = EpochSampler(Y_IMBALANCED, CLASSIFICATION, Imbalance.UNDERSAMPLE, 3, g2)
    assert torch.equal(resumed.epoch_indices(), expected)


def test_sampler_for_regression_ignores_imbalance() -> None:
    y = np.linspace(0, 1, 50, dtype=np.float32)
    s = EpochSampler(y, REGRESSION, Imbalance.UNDERSAMPLE, 0, torch.Generator())
    assert s.epoch_size == 50 and sorted(s.epoch_indices().tolist()) == list(range(50))
