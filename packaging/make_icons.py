"""Render the application icon from resources/icons/workbench.svg into every format we ship.

Run from anywhere after editing the SVG, then commit what it writes::

    python packaging/make_icons.py

Writes:

* ``resources/icons/hicolor/<n>x<n>/apps/io.github.workbench.Workbench.png`` for each size in
  ``SIZES`` (the freedesktop icon theme layout, so Linux packages can copy the tree as is);
* ``resources/icons/workbench.ico`` (Windows; several sizes in one file);
* ``resources/icons/workbench.icns`` (macOS);
* ``workbench/resources/icons/workbench.png`` and ``workbench.svg``, the copies inside the
  package that the running application loads as its window icon.

Every PNG is rendered straight from the SVG at its own size (QtSvg, from PySide6-Essentials)
rather than scaled down from a large bitmap, so small sizes stay sharp. Pillow assembles the
.ico and .icns from those renders.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "workbench.svg"
ICONS = ROOT / "resources" / "icons"
PACKAGE_ICONS = ROOT / "workbench" / "resources" / "icons"
APP_ID = "io.github.workbench.Workbench"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows uses at most 256 px from an .ico. Pillow writes the .icns entries macOS reads today,
# 32 to 1024 px (16 to 512 pt at 1x and 2x); the 1024 px one is rendered for the .icns only
# and not kept as a PNG.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


def png_path(size: int) -> Path:
    """Where the ``size`` px PNG goes in the hicolor tree."""
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render_pngs(sizes: tuple[int, ...], path_for: Callable[[int], Path]) -> dict[int, Path]:
    """Render the SVG at every one of ``sizes`` into ``path_for(size)``; returns those paths."""
    # No window is opened: the offscreen platform lets this run on a build server without a
    # display. It must be chosen before the QGuiApplication exists.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    written: dict[int, Path] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        path = path_for(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"cannot write {path}")
        written[size] = path
    return written


def write_bundles(pngs: dict[int, Path], extra: dict[int, Path]) -> None:
    """The .ico and .icns, each holding the per-size renders rather than one rescaled image."""
    from PIL import Image

    images = {size: Image.open(path).convert("RGBA") for size, path in {**pngs, **extra}.items()}
    largest_ico = max(ICO_SIZES)
    images[largest_ico].save(
        ICONS / "workbench.ico", format="ICO",
        sizes=[(size, size) for size in ICO_SIZES],
        # Pillow picks an appended image of the exact size over resizing the first one.
        append_images=[images[size] for size in ICO_SIZES if size != largest_ico])
    largest_icns = max(ICNS_SIZES)
    images[largest_icns].save(
        ICONS / "workbench.icns", format="ICNS",
        append_images=[images[size] for size in ICNS_SIZES if size != largest_icns])


def copy_into_package(pngs: dict[int, Path]) -> None:
    """The copies an installed wheel carries (see package-data in pyproject.toml)."""
    PACKAGE_ICONS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pngs[256], PACKAGE_ICONS / "workbench.png")
    shutil.copyfile(SOURCE, PACKAGE_ICONS / "workbench.svg")


def main() -> int:
    pngs = render_pngs(SIZES, png_path)
    with tempfile.TemporaryDirectory() as scratch:
        extra = render_pngs(tuple(size for size in ICNS_SIZES if size not in SIZES),
                            lambda size: Path(scratch) / f"{size}.png")
        write_bundles(pngs, extra)
    copy_into_package(pngs)
    for path in [*pngs.values(), ICONS / "workbench.ico", ICONS / "workbench.icns"]:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
