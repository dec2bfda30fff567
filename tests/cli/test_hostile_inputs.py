"""Hostile inputs found by a fresh attack on every read path: each ends in one line naming the
problem, exit 2, no traceback. Real commands in a subprocess; the memory cap is a real
RLIMIT_AS of the child process."""

from __future__ import annotations

import gzip
import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.config import MAX_TOML_KEY_PARTS, ConfigError, load_toml


def wb(*args: object, memory: int | None = None, file_limit: int | None = None,
       log_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    env = dict(os.environ, **({"WORKBENCH_LOG_DIR": str(log_dir)} if log_dir else {}))
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], check=False,
                          capture_output=True, text=True, timeout=300, preexec_fn=limit,
                          stdin=subprocess.DEVNULL, env=env)


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("workbench: ")
    return lines[0]


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "checkpoint.wbm"
    os.mkfifo(path)
    return path


def _socket(tmp_path: Path) -> Path:
    path = tmp_path / "checkpoint.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs pipes and sockets")
@pytest.mark.parametrize("make", [_fifo, _socket, lambda tmp: tmp, lambda tmp: Path(os.devnull)],
                         ids=["pipe", "socket", "folder", "device"])
def test_a_resume_file_that_is_no_checkpoint_is_refused_before_training(tmp_path: Path,
                                                                        make) -> None:
    """Before: exit 1 ("training failed") for a pipe, socket, folder or device as --resume."""
    source = make(tmp_path)
    line = one_line(wb("train", "--dataset", "xor", "--samples", "64", "--epochs", "1",
                       "--resume", source))
    assert str(source) in line or source.name in line


def test_a_key_of_a_hundred_thousand_parts_is_refused_before_parsing(tmp_path: Path) -> None:
    """Before: the TOML reader spent minutes on ``[a.a.a...]`` (quadratic in the key)."""
    path = tmp_path / "deep.toml"
    path.write_text("[" + ".".join(["a"] * 100_000) + "]\n")
    with pytest.raises(ConfigError, match=f"more than {MAX_TOML_KEY_PARTS} parts"):
        load_toml(path)
    line = one_line(wb("train", "--config", path))
    assert line == (f"workbench: Configuration file {path} has a key of more than "
                    f"{MAX_TOML_KEY_PARTS} parts; a Workbench configuration's keys have at "
                    "most three.")


@pytest.mark.parametrize("text", [
    "x = {" + ".".join(['"a"'] * 1000) + " = 1}\n",
    "\n".join(".".join(["k"] * 70) + " = 1" for _ in range(3)) + "\n",
])
def test_long_dotted_and_quoted_keys_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="parts"):
        load_toml(path)


def test_ordinary_nested_sections_still_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text('[data]\ndataset = "spiral"\ncsv_path = "a.b.c.d.csv"\n'
                    "[data.augment]\nhflip = true\n[run]\nepochs = 2\n")
    cfg = load_toml(path)
    assert cfg.data.augment.hflip is True and cfg.run.epochs == 2


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS as on Linux")
def test_a_table_too_large_for_memory_is_one_line(tmp_path: Path) -> None:
    """Before: a gzip bomb read under a memory limit ended in a MemoryError traceback."""
    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        fh.write(b"a,b\n")
        chunk = b"1,1\n" * (1 << 20)
        for _ in range(200):  # 800 MB unpacked, under the 1 GB table limit
            fh.write(chunk)
    line = one_line(wb("train", "--csv", bomb, "--epochs", "1", memory=1600 * 2**20))
    assert line.startswith("workbench: not enough memory")


def _with_classes(tmp_path: Path, classes: list[str]) -> Path:
    """The spiral fixture with other class labels in its metadata (the weights unchanged)."""
    import json
    import struct

    raw = (Path(__file__).parents[1] / "fixtures" / "mlp_spiral_v2.wbm").read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    header["__metadata__"]["classes"] = json.dumps(classes)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path = tmp_path / "labels.wbm"
    path.write_bytes(struct.pack("<Q", len(text)) + text + raw[8 + n:])
    return path


def test_predictions_on_the_terminal_show_escape_codes_from_labels(tmp_path: Path) -> None:
    """Before: class labels with escape codes (clear screen, colours) went raw to stdout."""
    model = _with_classes(tmp_path, ["\x1b[2J\x1b[31mred", "tab\there\rback"])
    rows = tmp_path / "in.csv"
    rows.write_text("x1,x2\n0.1,0.2\n0.3,-0.5\n")
    proc = wb("predict", model, rows)
    assert proc.returncode == 0, proc.stderr
    assert not any(ord(ch) < 32 and ch != "\n" for ch in proc.stdout), repr(proc.stdout)
    assert "p_\\x1b[2J\\x1b[31mred" in proc.stdout and "tab\\there\\rback" in proc.stdout
    assert len(proc.stdout.strip().splitlines()) == 3


def test_predictions_are_never_written_over_their_input(tmp_path: Path) -> None:
    """Before: predict --out naming the input table replaced the data with predictions."""
    model = Path(__file__).parents[1] / "fixtures" / "mlp_spiral_v2.wbm"
    rows = tmp_path / "in.csv"
    rows.write_text("x1,x2\n0.1,0.2\n")
    line = one_line(wb("predict", model, rows, "--out", rows))
    assert line == (f"workbench: --out {rows} is the input file itself: writing there would "
                    "replace it. Choose another --out.")
    assert rows.read_text() == "x1,x2\n0.1,0.2\n"


def test_an_export_is_never_written_over_its_model(tmp_path: Path) -> None:
    """Before: export --out naming the .wbm replaced the model with an ONNX file."""
    model = tmp_path / "m.wbm"
    model.write_bytes((Path(__file__).parents[1] / "fixtures" / "mlp_spiral_v2.wbm").read_bytes())
    before = model.read_bytes()
    line = one_line(wb("export", model, "--format", "onnx", "--out", model))
    assert "is the model file itself" in line
    assert model.read_bytes() == before


@pytest.mark.parametrize("where", ["under a file", "a folder"])
def test_a_checkpoint_path_is_checked_before_training(tmp_path: Path, where: str) -> None:
    """Before: a --checkpoint in a folder that is a file, or naming a folder, failed after
    training had started (exit 1); --out under a file failed after training."""
    afile = tmp_path / "afile.txt"
    afile.write_text("x")
    target = afile / "run.wbm" if where == "under a file" else tmp_path
    for flag in ("--checkpoint", "--out"):
        proc = wb("train", "--dataset", "xor", "--samples", "64", "--epochs", "1", flag, target)
        line = one_line(proc)
        assert "Training" not in proc.stderr and flag in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile.txt"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bytes in file names")
def test_escape_codes_in_a_picture_name_are_shown_not_sent(tmp_path: Path) -> None:
    """Before: a picture named ``p\\xe9\\x1b[2J.png`` cleared the terminal in the message."""
    bad = os.path.join(os.fsencode(tmp_path), b"p\xe9\x1b[2J.png")
    with open(bad, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\nbroken")
    model = Path(__file__).parents[1] / "fixtures" / "cnn_digits_v2.wbm"
    line = one_line(wb("predict", model, os.fsdecode(bad)))
    assert "\x1b" not in line and "\\x1b[2J.png" in line and "\ufffd" in line


def test_a_damaged_tiff_in_a_class_folder_is_one_line(tmp_path: Path) -> None:
    """Before: Pillow's "UserWarning: Corrupt EXIF data" went to the terminal first."""
    from PIL import Image

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        for i in range(6):
            Image.new("L", (8, 8), i * 30).save(tmp_path / name / f"{i}.png")
    (tmp_path / "a" / "evil.tiff").write_bytes(b"II*\0" + b"\xff" * 100)
    line = one_line(wb("train", "--images", tmp_path, "--epochs", "1", "--batch-size", "4"))
    assert "evil.tiff" in line and "Warning" not in line


def test_a_run_log_that_cannot_be_started_leaves_no_folder(tmp_path: Path) -> None:
    """Before: a file-size limit stopped the run log with a clean line, but an empty
    ``run-001`` folder (and the log folder) stayed behind."""
    logs = tmp_path / "logs"
    line = one_line(wb("train", "--dataset", "xor", "--samples", "64", "--epochs", "1",
                       "--log-dir", logs, file_limit=100, log_dir=tmp_path / "applog"))
    assert line.startswith(f"workbench: The run log cannot be written in {logs}")
    assert not logs.exists()


def test_a_log_file_that_cannot_be_written_prints_no_logging_traceback(tmp_path: Path) -> None:
    """Before: under a file-size limit, Workbench's own log file failed and Python printed
    "--- Logging error ---" with a traceback before the message."""
    proc = wb("train", "--dataset", "xor", "--samples", "64", "--epochs", "1",
              "--checkpoint", tmp_path / "run.wbm", file_limit=100, log_dir=tmp_path / "applog")
    assert proc.returncode == 1, proc.stderr  # the run cannot go on: training failed
    assert "Logging error" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    expected = (f"workbench: run.wbm could not be saved in {tmp_path} (File too large). A file "
                "saved there before is unchanged.")
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("workbench: ")] == [expected]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["applog"]


def test_a_run_that_fails_unexpectedly_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    """With no file writable at all (a file-size limit of 0), PyTorch's own start-up may fail
    (where it needs a temporary folder) or the checkpoint cannot be written: either way the
    terminal ends with the run's one message and shows no traceback (that goes to the log)."""
    proc = wb("train", "--dataset", "xor", "--samples", "64", "--epochs", "2",
              "--checkpoint", tmp_path / "ck.wbm", file_limit=0)
    assert proc.returncode in (1, 2), proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[-1].startswith("workbench: "), lines
    assert not any(line.startswith(("ERROR", "WARNING")) for line in lines), lines
    assert "Traceback" not in proc.stderr
