"""Bad output paths end in one line naming the path and the fix, exit 2, before any training,
with an old file left as it was and no temporary file left behind. Real commands in a
subprocess; the file-size limit is a real RLIMIT_FSIZE of the child process."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

TRAIN = ("train", "--dataset", "xor", "--samples", "64", "--epochs", "1")


def wb(*args: object, file_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], check=False,
                          capture_output=True, text=True, timeout=300, preexec_fn=limit)


def clean(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize("flag", ["--out", "--save-config"])
def test_a_missing_folder_is_named_before_training(tmp_path: Path, flag: str) -> None:
    target = tmp_path / "no such folder" / "file"
    line = clean(wb(*TRAIN, flag, target))
    assert line == (f"workbench: Folder {target.parent} does not exist: create it or choose "
                    f"another {flag}.")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("flag", ["--out", "--save-config"])
def test_a_folder_given_as_the_file_is_named(tmp_path: Path, flag: str) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    line = clean(wb(*TRAIN, flag, folder))
    assert line == f"workbench: {folder} is a folder: give a file name for {flag}."
    assert list(folder.iterdir()) == []


def test_predict_out_naming_a_folder_is_named(tmp_path: Path) -> None:
    model = tmp_path / "m.wbm"
    assert wb(*TRAIN, "--out", model).returncode == 0
    rows = tmp_path / "rows.csv"
    rows.write_text("x1,x2\n0.5,0.5\n", encoding="utf-8")
    line = clean(wb("predict", model, rows, "--out", tmp_path))
    assert line == f"workbench: {tmp_path} is a folder: give a file name for --out."


def test_a_configuration_that_hits_the_file_size_limit_keeps_the_old_file(
        tmp_path: Path) -> None:
    config = tmp_path / "run.toml"
    config.write_text("# my notes\n", encoding="utf-8")
    line = clean(wb(*TRAIN, "--save-config", config, file_limit=0))
    assert line == (f"workbench: Cannot write {config}: File too large. A file saved there "
                    "before is unchanged.")
    assert config.read_text(encoding="utf-8") == "# my notes\n"
    assert [p.name for p in tmp_path.iterdir()] == ["run.toml"]


def test_a_model_that_hits_the_file_size_limit_keeps_the_old_file(tmp_path: Path) -> None:
    model = tmp_path / "m.wbm"
    model.write_bytes(b"old model")
    proc = wb(*TRAIN, "--out", model, file_limit=4096)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        f"workbench: {model.name} could not be saved in {tmp_path} (File too large). A file "
        "saved there before is unchanged.")
    assert model.read_bytes() == b"old model"
    assert [p.name for p in tmp_path.iterdir()] == ["m.wbm"]
