#!/usr/bin/env python3
"""Build the stand-alone Workbench bundle: one folder that runs without Python installed.

    python3 packaging/build_bundle.py            # build dist/Workbench/, then start it once
    python3 packaging/build_bundle.py --no-check # build only

The bundle is made by PyInstaller (one-folder mode, recipe: ``packaging/workbench.spec``) from a
build environment of its own, ``build/bundle-venv``, holding this project, PyInstaller and the
CPU build of PyTorch. That keeps PyInstaller out of the project's dependencies and keeps the
multi-GB CUDA libraries out of the bundle. The environment is reused by later builds.

The result, ``dist/Workbench/``, holds two programs next to each other: ``Workbench`` opens the
window (``Workbench.exe`` on Windows, without a console), ``workbench-cli`` is the command line
(``workbench-cli train --dataset spiral --epochs 1``). Copy or zip the whole folder to ship it.
The check at the end starts both: ``--version``, a short training run and an ONNX export from
the command line, and the window offscreen training a few iterations.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
VENV = BUILD / "bundle-venv"
WORK = BUILD / "pyinstaller"
DIST = ROOT / "dist"
BUNDLE = DIST / "Workbench"
SPEC = ROOT / "packaging" / "workbench.spec"
# The same PyTorch as the development environment (bootstrap.py), from the CPU-only index.
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_PIN = "torch==2.13.0"
PYINSTALLER = "pyinstaller>=6.10"


def gui_program(bundle: Path = BUNDLE) -> Path:
    """The window's launcher inside a built bundle."""
    return bundle / ("Workbench.exe" if os.name == "nt" else "Workbench")


def cli_program(bundle: Path = BUNDLE) -> Path:
    """The command-line program inside a built bundle."""
    return bundle / ("workbench-cli.exe" if os.name == "nt" else "workbench-cli")


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, env=env)


def ensure_environment() -> Path:
    """Create the build environment once and install what the build needs into it."""
    python = _venv_python()
    if not python.exists():
        print(f"Creating the build environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    if platform.system() == "Linux":
        # PyPI's Linux wheel is the CUDA build (several GB); the CPU index has the small one.
        # macOS and Windows wheels on PyPI are CPU builds already.
        _run(*pip, TORCH_PIN, "--extra-index-url", TORCH_CPU_INDEX,
             "--retries", "1", "--timeout", "30")
    else:
        _run(*pip, TORCH_PIN)
    # Not editable: PyInstaller collects the package's data files from an installed copy.
    _run(*pip, "--upgrade", str(ROOT), PYINSTALLER)
    return python


def build(python: Path) -> float:
    """Run PyInstaller on the spec; returns the seconds it took."""
    started = time.perf_counter()
    _run(python, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", DIST, "--workpath", WORK, SPEC)
    return time.perf_counter() - started


def folder_size(path: Path) -> int:
    """Bytes in all files under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env, timeout=600)
    return time.perf_counter() - started


def check(bundle: Path = BUNDLE) -> dict[str, float]:
    """Start the built programs: version, a one-epoch training run, an ONNX export (which
    needs onnxscript's sources), the window offscreen. Returns the seconds each took."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cli, gui = str(cli_program(bundle)), str(gui_program(bundle))
    with tempfile.TemporaryDirectory(prefix="workbench-bundle-") as folder:
        model = str(Path(folder) / "spiral.wbm")
        return {
            "version": _timed([cli, "--version"], env),
            "cli_train": _timed([cli, "train", "--dataset", "spiral", "--epochs", "1",
                                 "--out", model], env),
            "onnx_export": _timed([cli, "export", model, "--format", "onnx"], env),
            "window_smoke": _timed([gui, "--smoke-test"], env),
        }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-check", action="store_true",
                        help="do not start the bundle after building it")
    args = parser.parse_args(argv)
    python = ensure_environment()
    if BUNDLE.exists():
        shutil.rmtree(BUNDLE)
    seconds = build(python)
    print(f"Built {BUNDLE} in {seconds:.0f} s: {folder_size(BUNDLE) / 2**20:.0f} MiB", flush=True)
    if not args.no_check:
        for name, took in check().items():
            print(f"{name}: {took:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
