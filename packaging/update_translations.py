"""Refresh the translations: lupdate collects the strings of workbench/ui into the .ts sources,
lrelease compiles them into the .qm files shipped inside the package.

    python packaging/update_translations.py            # lupdate + merge + lrelease
    python packaging/update_translations.py --release  # lrelease only (after translating)

Translate new or changed entries (marked "unfinished") with Qt Linguist (pyside6-linguist) or a
text editor between the two steps; tests/ui/test_translations.py fails while any is left.
Translations written alongside new code as ``resources/translations/pending/*.json`` (a list of
{"context", "source", "translation"}) are merged into the unfinished entries and the merged
files removed; entries that match no string of the code are reported and kept.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "workbench" / "ui"
TS_DIR = ROOT / "resources" / "translations"
QM_DIR = ROOT / "workbench" / "resources" / "translations"
LANGUAGES = ("zh_CN",)
PENDING_DIR = TS_DIR / "pending"


def _tool(name: str) -> str:
    # Next to this Python first (a virtualenv's bin/), then on PATH.
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: install PySide6-Essentials")
    return found


def merge_pending(ts: Path) -> int:
    """Fill the .ts file's unfinished entries from the pending JSON files; returns how many."""
    import xml.etree.ElementTree as ET

    files = sorted(PENDING_DIR.glob("*.json")) if PENDING_DIR.is_dir() else []
    if not files:
        return 0
    tree = ET.parse(ts)
    index = {(context.findtext("name", ""), message.findtext("source", "")): message
             for context in tree.getroot().iter("context")
             for message in context.iter("message")}
    filled = 0
    for file in files:
        left = []
        for entry in json.loads(file.read_text(encoding="utf-8")):
            message = index.get((entry["context"], entry["source"]))
            if message is None:
                left.append(entry)
                continue
            translation = message.find("translation")
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                translation.text = entry["translation"]
                translation.attrib.pop("type", None)
                filled += 1
        if left:
            print(f"{file.name}: {len(left)} entries match no string of the code; kept")
            file.write_text(json.dumps(left, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            file.unlink()
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                  encoding="utf-8")
    return filled


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
            print(f"merged {merge_pending(ts)} pending translations into {ts.name}")
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm",
                        str(QM_DIR / f"workbench_{lang}.qm")], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
