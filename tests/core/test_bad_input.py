"""Messy data from people: CSV files and image folders that are broken in the usual ways.

Each input either works or is refused with a DataError that names the file, line, column or
image and says what to do; a run given bad data stops before its first iteration. The basic
catalogue of broken CSV files is in test_data.py; this file adds the encodings, the cases
that should simply work, and image folders with bad files, including skipping them.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from workbench.config import DataConfig, TrainConfig
from workbench.core.data import (
    CLASSIFICATION,
    BadImagesError,
    load_csv,
    load_dataset,
    load_image_folder,
    prepare,
    read_csv_header,
    read_table,
)
from workbench.core.engine import Engine
from workbench.core.events import IterationsDone, RunFailed, RunFinished, RunStarted
from workbench.errors import DataError

# -- CSV: encodings and inputs that must work ------------------------------------------------------

CHINESE = "身高,体重,性别\n170,60,男\n160,50,女\n175,70,男\n155,45,女\n"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_chinese_headers_are_read_in_every_common_encoding(tmp_path: Path,
                                                           encoding: str) -> None:
    f = tmp_path / "体检.csv"
    f.write_bytes(CHINESE.encode(encoding))
    ds = load_csv(f)
    assert ds.feature_names == ("身高", "体重")
    assert ds.class_names == ("女", "男")
    assert [ds.class_names[i] for i in ds.y] == ["男", "女", "男", "女"]


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    # Characters outside GBK take four bytes in GB18030 (e.g. rare names, emoji).
    f = tmp_path / "rare.csv"
    f.write_bytes("𠀀,€,y\n1,2,甲\n3,4,乙\n".encode("gb18030"))
    assert load_csv(f).feature_names == ("𠀀", "€")


def test_western_spreadsheet_encoding_is_read(tmp_path: Path) -> None:
    f = tmp_path / "café.csv"
    f.write_bytes("Größe;Café;Klasse\n1,5;2;oui\n3;4,25;non\n".encode("cp1252"))
    ds = load_csv(f)
    assert ds.feature_names == ("Größe", "Café")
    assert ds.x.tolist() == [[1.5, 2.0], [3.0, 4.25]]


WORKING_CSVS = [
    ("windows line endings and blank lines", "a,b,y\r\n\r\n1,2,x\r\n3,4,z\r\n\r\n\r\n", 2),
    ("trailing separators everywhere", "a,b,y,,\n1,2,x,,\n3,4,z,,\n", 2),
    ("quoted numbers and spaces", 'a, b ,y\n" 1.5 ",2,x\n3, 4 ,z\n', 2),
    ("scientific notation", "a,b,y\n1e-3,2E5,x\n-3.5e+2,4,z\n", 2),
    ("target named with spaces", " a , b , y \n1,2,x\n3,4,z\n", 2),
    # more classes than a split can cover: every row its own class; all go to training
    ("one row per class", "a,b,y\n1,2,x\n3,4,z\n5,6,w\n", 3),
]


@pytest.mark.parametrize("text,rows", [(t, r) for _, t, r in WORKING_CSVS],
                         ids=[n for n, _, _ in WORKING_CSVS])
def test_messy_but_valid_csv_files_load(tmp_path: Path, text: str, rows: int) -> None:
    f = tmp_path / "ok.csv"
    f.write_text(text, encoding="utf-8", newline="")
    ds = load_csv(f)
    assert len(ds) == rows and ds.x.shape == (rows, 2) and ds.feature_names == ("a", "b")
    prep = prepare(DataConfig(dataset="csv", csv_path=str(f)), 0, dataset=ds)
    assert prep.n_train + prep.n_val == rows


def test_more_classes_than_rows_per_class_trains_without_validation(tmp_path: Path) -> None:
    f = tmp_path / "tiny.csv"
    f.write_text("a,b,y\n1,2,x\n3,4,z\n5,6,w\n", encoding="utf-8")
    cfg = TrainConfig().with_changes(data={"dataset": "csv", "csv_path": str(f)},
                                     run={"epochs": 2, "batch_size": 2})
    events: list[object] = []
    result = Engine(cfg).run(events.append)
    assert isinstance(result, RunFinished)
    start = next(e for e in events if isinstance(e, RunStarted))
    assert (start.train_samples, start.val_samples) == (3, 0)


# -- CSV: bad inputs -------------------------------------------------------------------------------

BAD_CSVS = [
    # (name, bytes, pattern the message must match); test_data.py has the basic ones
    ("only separators", b",,,\n,,\n", "bad.csv holds no values"),
    ("header only with BOM", "\ufeffa,b,y\r\n".encode(), "header row but no data rows"),
    ("row too long", b"a,b,y\n1,2,x\n3,4,5,z\n", r"line 3: this row has 4 values .*extra comma"),
    ("unclosed quote", b'a,b,y\n1,2,x\n3,"4,z\n5,6,w\n', r"line 3: a quote .* never closed"),
    ("overflowing number", b"a,b,y\n1,2,x\n1e999,4,z\n",
     (r"row 3, column 'a': inf is too large to be an input \(the largest is about 3.4e38\)\. "
      r"Fix the value, or leave the column out\.")),
    ("number beyond float32", b"a,b,y\n1,2,x\n3,-1e39,z\n",
     r"row 3, column 'b': -1e\+39 is too large to be an input"),
    ("text in a column chosen as numbers", b"a,b,y\n1,2,x\n3,4,z\n",
     r"row 2, column 'b': 'two' is not a number"),
    ("NUL bytes", b"a,b,y\n1,\x002,x\n", "does not look like a CSV text file"),
]


@pytest.mark.parametrize("blob,pattern", [(b, p) for _, b, p in BAD_CSVS],
                         ids=[n for n, _, _ in BAD_CSVS])
def test_bad_csv_is_refused_with_the_place_and_a_fix(tmp_path: Path, blob: bytes,
                                                     pattern: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(blob.replace(b"1,2,x", b"1,two,x") if b"two" in pattern.encode() else blob)
    with pytest.raises(DataError, match=pattern) as info:
        load_csv(f, numeric=("b",)) if "two" in pattern else load_csv(f)
    assert "bad.csv" in str(info.value)
    # The same message as a template and its values, for a window to show translated.
    assert info.value.template.format(**info.value.params) == str(info.value)
    assert "bad.csv" not in info.value.template


# What the old reader refused and people's files are full of: now read, with the value's meaning.
ACCEPTED_CSVS = [
    ("spreadsheet error value", b"a,b,y\n1,#DIV/0!,x\n3,4,z\n", "b", [None, 4.0]),
    ("thousands separator", b'a,b,y\n1,"1,234",x\n3,4,z\n', "b", [1234.0, 4.0]),
    ("NaN spelled as Excel writes it", b"a,b,y\n1,NaN,x\n3,4,z\n", "b", [None, 4.0]),
    ("unnamed column in the middle", b"a,,y\n1,2,x\n3,4,z\n", "column 2", [2.0, 4.0]),
]


@pytest.mark.parametrize("blob,column,values", [(b, c, v) for _, b, c, v in ACCEPTED_CSVS],
                         ids=[n for n, _, _, _ in ACCEPTED_CSVS])
def test_cells_the_old_reader_refused_are_read(tmp_path: Path, blob: bytes, column: str,
                                               values: list[float | None]) -> None:
    f = tmp_path / "ok.csv"
    f.write_bytes(blob)
    table = read_table(f)
    got = [None if np.isnan(v) else float(v) for v in table.columns[column]]
    assert got == values


def test_a_missing_target_leaves_the_row_out_and_says_so(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes(b"a,y\n" + b"".join(b"%d,%d.5\n" % (i, i) for i in range(30)) + b"5,nan\n")
    ds = load_csv(f)
    assert len(ds) == 30 and ds.table_info is not None and ds.table_info.dropped_rows == 1


def test_missing_target_column_names_the_columns(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes(CHINESE.encode("gbk"))
    with pytest.raises(DataError, match="no column named '类别'. The columns are: 身高, 体重, 性别"):
        load_csv(f, target="类别")
    assert read_csv_header(f) == ["身高", "体重", "性别"]


NOT_TRAINABLE = [
    # (name, text, target, what the message must say)
    ("empty", "", "", "is empty"),
    ("header only", "a,b,y\n", "", "no data rows"),
    ("ragged", "a,b,y\n1,2,x\n3,4,5,6\n", "", "line 3"),
    ("infinite", "a,b,y\n1,inf,x\n3,4,z\n", "", "row 2, column 'b'"),
    ("single class", "a,b,y\n1,2,x\n3,4,x\n", "", "only one class"),
    ("unclosed quote", 'a,b,y\n1,2,x\n3,"4,z\n5,6,w\n', "", "quote"),
    ("missing target column", "a,b,y\n1,2,x\n3,4,z\n", "label", "no column named 'label'"),
]


@pytest.mark.parametrize("text,target,says", [c[1:] for c in NOT_TRAINABLE],
                         ids=[c[0] for c in NOT_TRAINABLE])
def test_no_training_starts_on_bad_csv_data(tmp_path: Path, text: str, target: str,
                                            says: str) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(text, encoding="utf-8")
    cfg = TrainConfig().with_changes(data={"dataset": "csv", "csv_path": str(f),
                                           "target": target})
    events: list[object] = []
    result = Engine(cfg).run(events.append)
    assert isinstance(result, RunFailed) and result.kind == "data"
    assert "bad.csv" in result.message and says in result.message
    assert not [e for e in events if isinstance(e, (RunStarted, IterationsDone))]


# -- image folders ---------------------------------------------------------------------------------

def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def _grey_png(width: int, height: int, idat: bytes) -> bytes:
    """A PNG written by hand, so its header can declare any size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat)
            + _png_chunk(b"IEND", b""))


def _bomb_huge() -> bytes:
    # 100000 x 100000 = 10 gigapixels declared, a few bytes of pixel data.
    return _grey_png(100_000, 100_000, zlib.compress(b"\x00" * 1000))


def _bomb_decodable() -> bytes:
    # 10000 x 10000 = 100 megapixels of real, complete pixel data (zeros compress to ~400 kB):
    # Pillow only warns at this size, and would decode all of it if the warning were ignored.
    packer = zlib.compressobj(1)
    row = b"\x00" * 10_001  # filter byte + 10000 pixels
    idat = b"".join(packer.compress(row) for _ in range(10_000)) + packer.flush()
    return _grey_png(10_000, 10_000, idat)


def _jpeg(seed: int, size: int = 48) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, (size, size, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _good_png(colour: int) -> bytes:
    buf = io.BytesIO()
    Image.new("L", (12, 10), colour).save(buf, "PNG")
    return buf.getvalue()


def _folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, blob in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    return root


GOOD = {"cats/a.png": _good_png(10), "cats/b.jpg": _jpeg(1), "dogs/c.png": _good_png(200),
        "dogs/d.jpg": _jpeg(2)}


@pytest.fixture(scope="module")
def decodable_bomb() -> bytes:
    return _bomb_decodable()


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every image whose pixels Pillow decodes."""
    sizes: list[tuple[int, int]] = []
    real_load = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        sizes.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return sizes


BAD_IMAGES = [
    # (file, bytes, pattern)
    ("cats/notes.jpg", b"these are my notes, not a photo\n", r"cats/notes.jpg is not an image"),
    ("cats/empty.png", b"", r"cats/empty.png is not an image"),
    ("dogs/cut.jpg", _jpeg(3)[:1500], r"dogs/cut.jpg is damaged or incomplete"),
    ("dogs/headless.jpg", _jpeg(4)[:200], r"dogs/headless.jpg is damaged or incomplete"),
    ("dogs/bad_crc.png", _good_png(50)[:-20] + b"\xff" + _good_png(50)[-19:],
     r"dogs/bad_crc.png is damaged or incomplete"),
    ("cats/bomb.png", _bomb_huge(), r"cats/bomb.png is too large to be read safely"),
]


@pytest.mark.parametrize("name,blob,pattern", BAD_IMAGES, ids=[n for n, _, _ in BAD_IMAGES])
def test_bad_image_gets_a_specific_message(tmp_path: Path, name: str, blob: bytes,
                                           pattern: str) -> None:
    root = _folder(tmp_path / "pets", {**GOOD, name: blob})
    with pytest.raises(BadImagesError, match=pattern) as info:
        load_image_folder(root, size=8)
    assert info.value.files == (name,)
    assert "Remove" in str(info.value) or "Shrink" in str(info.value)


def test_decompression_bombs_are_never_decoded(tmp_path: Path, decodable_bomb: bytes,
                                               decoded: list[tuple[int, int]]) -> None:
    root = _folder(tmp_path / "pets", {**GOOD, "cats/huge.png": _bomb_huge(),
                                       "dogs/big.png": decodable_bomb})
    with pytest.raises(BadImagesError) as info:
        load_image_folder(root, size=8)
    assert info.value.files == ("cats/huge.png", "dogs/big.png")
    assert all("too large to be read safely" in m for m in info.value.bad)
    assert (100_000, 100_000) not in decoded and (10_000, 10_000) not in decoded
    assert set(decoded) == {(12, 10), (48, 48)}  # only the good images were decoded


def test_the_good_images_load_when_the_bad_ones_are_skipped(tmp_path: Path,
                                                            decodable_bomb: bytes) -> None:
    bad = {name: blob for name, blob, _ in BAD_IMAGES}
    bad["dogs/big.png"] = decodable_bomb
    root = _folder(tmp_path / "pets", {**GOOD, **bad, "cats/.hidden.jpg": b"x",
                                       "dogs/Thumbs.db": b"\x00"})
    with pytest.raises(BadImagesError) as info:
        load_image_folder(root, size=8)
    # The message gives the first problem in full and then every other file by name.
    message = str(info.value)
    assert message.startswith("The image cats/bomb.png is too large to be read safely")
    assert f"{len(bad) - 1} more file(s) cannot be read either" in message
    assert "choose to skip" in message
    assert sorted(info.value.files) == sorted(bad)
    # The first file's own error travels inside, so a window can translate both sentences.
    first = info.value.params["first"]
    assert isinstance(first, DataError) and str(first) == info.value.bad[0]
    assert [str(e) for e in info.value.errors] == list(info.value.bad)
    assert info.value.template.format(**info.value.params) == message

    ds = load_image_folder(root, size=8, skip_bad=True)
    assert sorted(ds.skipped) == sorted(bad)
    assert len(ds) == len(GOOD) and ds.y.tolist() == [0, 0, 1, 1]
    assert ds.class_names == ("cats", "dogs") and ds.x.shape == (4, 1, 8, 8)
    cfg = DataConfig(dataset="images", image_dir=str(root), image_size=8, val_split=0.5)
    assert load_dataset(cfg, 0, skip_bad=True).skipped == ds.skipped
    prep = prepare(cfg, 0, dataset=ds)
    assert prep.n_train == 2 and prep.n_val == 2
    # without the person's agreement nothing is skipped
    with pytest.raises(BadImagesError):
        load_dataset(cfg, 0)


def test_a_class_with_no_readable_image_is_refused_even_when_skipping(tmp_path: Path) -> None:
    root = _folder(tmp_path / "pets", {"cats/a.png": _good_png(1),
                                       "dogs/x.jpg": b"not a picture", "dogs/y.png": b""})
    with pytest.raises(BadImagesError, match="no image of class 'dogs' can be read") as info:
        load_image_folder(root, size=8, skip_bad=True)
    assert info.value.files == ("dogs/x.jpg", "dogs/y.png")


def test_class_folder_with_only_hidden_or_clutter_files_is_empty(tmp_path: Path) -> None:
    root = _folder(tmp_path / "pets", {"cats/a.png": _good_png(1), "dogs/.DS_Store": b"\x00",
                                       "dogs/desktop.ini": b"[x]", "dogs/deeper/b.png":
                                       _good_png(2)})
    with pytest.raises(DataError, match=r"dogs holds no images"):
        load_image_folder(root, skip_bad=True)


def test_no_training_starts_on_a_bad_image_folder(tmp_path: Path) -> None:
    root = _folder(tmp_path / "pets", {**GOOD, "cats/notes.jpg": b"hello"})
    cfg = TrainConfig().with_changes(data={"dataset": "images", "image_dir": str(root),
                                           "image_size": 8}, model={"hidden": (4,)})
    events: list[object] = []
    result = Engine(cfg).run(events.append)
    assert isinstance(result, RunFailed) and result.kind == "data"
    assert "cats/notes.jpg is not an image" in result.message
    assert not [e for e in events if isinstance(e, (RunStarted, IterationsDone))]


def test_skipped_files_leave_a_trainable_data_set(tmp_path: Path) -> None:
    files = {f"{c}/{i}.png": _good_png(30 if c == "cats" else 220) for c in ("cats", "dogs")
             for i in range(6)}
    root = _folder(tmp_path / "pets", {**files, "cats/broken.jpg": _jpeg(5)[:900]})
    ds = load_image_folder(root, size=8, skip_bad=True)
    assert ds.skipped == ("cats/broken.jpg",) and ds.task == CLASSIFICATION
    cfg = TrainConfig().with_changes(data={"dataset": "images", "image_dir": str(root),
                                           "image_size": 8, "val_split": 0.25},
                                     model={"hidden": (4,)}, run={"epochs": 2, "batch_size": 4})
    prep = prepare(cfg.data, 0, dataset=ds)
    result = Engine(cfg, data=prep).run()
    assert isinstance(result, RunFinished)


def test_a_file_partly_utf8_and_partly_a_central_european_code_page_is_refused(
        tmp_path: Path) -> None:
    """Two rows written as UTF-8, the rest as Latin-1: whatever code page the rest looks like
    (cp1250 here, where the UTF-8 rows would read "ĂĽnĂŻ"), the file is named as mixed."""
    lines = ["name,label", "Müller,ünï", "Jürgen,ünï"] + [
        f"B{i},{'ünï' if i % 2 else 'Espèce'}" for i in range(40)]
    f = tmp_path / "mixed.csv"
    f.write_bytes(("\n".join(lines[:3]) + "\n").encode("utf-8")
                  + ("\n".join(lines[3:]) + "\n").encode("latin-1"))
    with pytest.raises(DataError, match=r"mixed.csv mixes text encodings: line 2 is UTF-8"):
        load_csv(f)
