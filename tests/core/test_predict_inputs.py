"""What predicting may read and write: a picture that is a FIFO is refused at once (never a
hang), Pillow's notes on damaged pictures stay off the terminal, and predictions are never
written over the table they come from."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from workbench.config import TrainConfig
from workbench.core.engine import Engine
from workbench.core.predicting import open_image, predict_csv_file
from workbench.errors import DataError


def test_a_fifo_named_like_a_picture_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "photo.png"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match=r"photo.png is not a picture Workbench can read"):
        open_image(fifo)  # would block for ever in open() if it were read


def test_a_damaged_picture_warns_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    noise = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(noise).save(good)
    broken = tmp_path / "broken.png"
    broken.write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])
    with warnings.catch_warnings(record=True) as caught, pytest.raises(
            DataError, match="is damaged or incomplete"):
        warnings.simplefilter("always")
        open_image(broken)
    assert caught == []


def test_predictions_are_never_written_over_their_table(tmp_path: Path) -> None:
    engine = Engine(TrainConfig().with_changes(data={"samples": 60},
                                               run={"epochs": 1, "batch_size": 16}))
    engine.run()
    model = engine.trained_model()
    rows = tmp_path / "rows.csv"
    rows.write_text("x1,x2\n0.5,0.5\n-0.5,0.1\n", encoding="utf-8")
    before = rows.read_bytes()
    with pytest.raises(DataError, match="rows.csv is the table being predicted"):
        predict_csv_file(model, rows, tmp_path / "." / "rows.csv")
    assert rows.read_bytes() == before
    assert len(predict_csv_file(model, rows, tmp_path / "out.csv").rows) == 2
