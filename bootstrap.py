#!/usr/bin/env python3
"""Set up Workbench in a local virtual environment, then run it or its tests.

    python3 bootstrap.py run      # set up, then open the window on a built-in data set
    python3 bootstrap.py test     # set up, then run the whole test suite

Only Python 3.10+ and pip are needed. The environment lives in ``.venv`` next to this
file and is reused on later calls. On machines without an NVIDIA GPU the CPU build of
PyTorch is installed (a few hundred MB instead of several GB).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_PIN = "torch==2.13.0"


def _python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _run(*args: str, check: bool = True) -> int:
    print("+", " ".join(args), flush=True)
    return subprocess.run(args, check=check).returncode


def _has_nvidia_gpu() -> bool:
    if shutil.which("nvidia-smi") is None:
        return False
    try:
        out = subprocess.run(["nvidia-smi", "-L"], check=False, capture_output=True, text=True,
                             timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and "GPU" in out.stdout


def _ensure_venv() -> Path:
    if sys.version_info < (3, 10):  # noqa: UP036 - this file runs under any python3
        sys.exit(f"Workbench needs Python 3.10 or newer; this is {platform.python_version()}.")
    py = _python()
    if not py.exists():
        print(f"Creating a virtual environment in {VENV}", flush=True)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        except Exception as exc:  # noqa: BLE001 - any failure gets the same advice
            sys.exit(
                f"Could not create a virtual environment ({exc}).\n"
                "On Debian/Ubuntu install it with: sudo apt install python3-venv"
            )
    return py


def _has_torch(py: Path) -> bool:
    return subprocess.run([str(py), "-c", "import torch"], check=False,
                          capture_output=True).returncode == 0


def _install(py: Path, extras: str) -> None:
    pip = [str(py), "-m", "pip", "install", "--disable-pip-version-check"]
    stamp = VENV / f".installed-{extras or 'base'}"
    project_files = [ROOT / "pyproject.toml", Path(__file__)]
    newest = max(p.stat().st_mtime for p in project_files)
    if stamp.exists() and stamp.stat().st_mtime >= newest and _has_torch(py):
        return
    if not _has_torch(py):
        if _has_nvidia_gpu() or platform.system() != "Linux":
            # PyPI's wheels are the CUDA build on Linux and the only build elsewhere.
            _run(*pip, "torch>=2.4")
        else:
            # Linux without a GPU: the CPU wheel, not a multi-GB CUDA build.
            _run(*pip, TORCH_PIN, "--extra-index-url", TORCH_CPU_INDEX,
                 "--retries", "1", "--timeout", "30")
    target = f".[{extras}]" if extras else "."
    _run(*pip, "-e", target)
    stamp.touch()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    rest = argv[1:]
    py = _ensure_venv()
    if command == "run":
        _install(py, "")
        return _run(str(py), "-m", "workbench", *rest, check=False)
    if command == "test":
        _install(py, "test")
        env_note = "" if rest else " (all tests)"
        print(f"Running the test suite{env_note}", flush=True)
        return _run(str(py), "-m", "pytest", *rest, check=False)
    sys.exit(f"Unknown command {command!r}: use 'run' or 'test'.")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
