"""`workbench predict` on pictures: an image model reads a picture file or a folder of pictures
the way the window's Try tab does, and writes one row per picture with its file name."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from workbench.core.modelfile import load_model
from workbench.core.predicting import predict_image_files


def wb(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], check=False,
                          capture_output=True, text=True, timeout=300)


def test_predict_reads_a_folder_of_pictures_as_the_window_does(tmp_path: Path) -> None:
    model_path = tmp_path / "digits.wbm"
    proc = wb("train", "--dataset", "digits", "--epochs", "8", "--out", model_path)
    assert proc.returncode == 0, proc.stderr
    # Three training digits, drawn large as dark ink on white paper, as a person's scan is.
    from sklearn.datasets import load_digits

    digits = load_digits()
    pictures = tmp_path / "scans"
    pictures.mkdir()
    wanted = {}
    for k in (0, 1, 2):
        ink = Image.fromarray((255 - digits.images[k] / 16 * 255).astype(np.uint8))
        ink.resize((180, 180), Image.Resampling.BICUBIC).save(pictures / f"digit {k}.png")
        wanted[f"digit {k}.png"] = str(digits.target[k])
    (pictures / "notes.txt").write_text("not a picture", encoding="utf-8")

    proc = wb("predict", model_path, pictures)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert [Path(r["file"]).name for r in rows] == sorted(wanted)
    model = load_model(model_path)
    same = predict_image_files(model, pictures).prediction  # the window's path to the model
    assert [r["prediction"] for r in rows] == [str(n) for n in same.names]
    assert np.allclose([[float(r[f"p_{c}"]) for c in model.class_names] for r in rows],
                       same.proba, atol=1e-6)
    predicted = {Path(r["file"]).name: r["prediction"] for r in rows}
    assert sum(predicted[name] == str(label) for name, label in wanted.items()) >= 2

    one = wb("predict", model_path, pictures / "digit 1.png")
    assert one.returncode == 0 and len(list(csv.DictReader(io.StringIO(one.stdout)))) == 1
    bad = wb("predict", model_path, pictures / "notes.txt")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == (f"workbench: {pictures / 'notes.txt'} is not a picture "
                                  "Workbench can read. Save it as PNG or JPEG.")
