"""The frozen bundle (packaging/workbench.spec, built by packaging/build_bundle.py).

Building it takes minutes and installs a build environment, so that test is marked ``slow``:

    python3 bootstrap.py test tests/test_bundle.py --runslow

The entry script the bundle freezes is also run here unfrozen, which is quick and catches a
change in the window that would break the bundle's smoke test before anyone builds.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_bundle", PACKAGING / "build_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _offscreen() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


def test_entry_script_smoke_test_unfrozen() -> None:
    result = subprocess.run([sys.executable, str(PACKAGING / "bundle_entry.py"), "--smoke-test"],
                            capture_output=True, text=True, timeout=120, env=_offscreen(),
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # Spiral, 200 samples (160 for training), batch 32, 2 epochs: 10 iterations.
    assert "10 iterations trained in the window, status 0" in result.stdout


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_bundle_builds_and_starts(tmp_path: Path) -> None:
    build_bundle = _load_build_script()
    result = subprocess.run([sys.executable, str(PACKAGING / "build_bundle.py"), "--no-check"],
                            capture_output=True, text=True, timeout=3500, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    bundle = build_bundle.BUNDLE
    gui, cli = build_bundle.gui_program(bundle), build_bundle.cli_program(bundle)
    assert gui.is_file() and cli.is_file()

    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True,
                             timeout=120, check=False)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == "workbench 0.1.0"

    model = tmp_path / "spiral.wbm"
    train = subprocess.run([str(cli), "train", "--dataset", "spiral", "--epochs", "1", "--json",
                            "--out", str(model)],
                           capture_output=True, text=True, timeout=300, env=_offscreen(),
                           check=False)
    assert train.returncode == 0, train.stderr
    assert '"event": "end"' in train.stdout and '"completed"' in train.stdout

    # The ONNX exporter compiles onnxscript functions from their source files.
    export = subprocess.run([str(cli), "export", str(model), "--format", "onnx"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert export.returncode == 0, export.stdout + export.stderr
    assert (tmp_path / "spiral.onnx").is_file()

    smoke = subprocess.run([str(gui), "--smoke-test"], capture_output=True, text=True,
                           timeout=300, env=_offscreen(), check=False)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "10 iterations trained in the window" in smoke.stdout

    files = [path.relative_to(bundle).as_posix() for path in bundle.rglob("*")]
    assert not [f for f in files if "/nvidia/" in f or "libcudnn" in f], "CUDA libraries shipped"
    assert not [f for f in files if "/tensorboard" in f.lower()]
    assert not [f for f in files if f.startswith("_internal/torch/include/")], "headers shipped"
    assert not [f for f in files if f.startswith("_internal/torch/bin/test_")]
