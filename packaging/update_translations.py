"""Refresh the translations: lupdate collects the strings of workbench/ui into the .ts sources,
lrelease compiles them into the .qm files shipped inside the package.

    python packaging/update_translations.py            # lupdate + lrelease
    python packaging/update_translations.py --release  # lrelease only (after translating)

Translate new or changed entries (marked "unfinished") with Qt Linguist (pyside6-linguist) or a
text editor between the two steps; tests/ui/test_translations.py fails while any is left.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "workbench" / "ui"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = ROOT / "workbench" / "resources" / "translations"
LANGUAGES = ("zh_CN",)


def _tool(name: str) -> str:
    # Next to this Python first (a virtualenv's bin/), then on PATH.
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: install PySide6-Essentials")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile the .ts files")
    args = parser.parse_args(argv)
    sources = sorted(str(p) for p in SOURCES.rglob("*.py"))
    QM_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGUAGES:
        ts = TS_DIR / f"workbench_{lang}.ts"
        if not args.release:
            subprocess.run([_tool("pyside6-lupdate"), *sources, "-ts", str(ts), "-no-obsolete",
                            "-locations", "none"], check=True)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm",
                        str(QM_DIR / f"workbench_{lang}.qm")], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
