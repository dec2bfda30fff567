"""Desktop integration: the icon files, the Linux .desktop and AppStream files, and the identity
the running application announces (desktop file name, window icon).

The validators come from the distribution (``desktop-file-utils``, ``appstream``); where they
are not installed those tests are skipped, and say which package would run them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "io.github.workbench.Workbench"
ICONS = ROOT / "resources" / "icons"
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO_FILE = LINUX / f"{APP_ID}.metainfo.xml"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _run_validator(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _desktop_entry() -> dict[str, str]:
    """The key=value pairs of the [Desktop Entry] group (the file has no other group)."""
    entries: dict[str, str] = {}
    for line in DESKTOP_FILE.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            entries[key.strip()] = value.strip()
    return entries


# --- icons -------------------------------------------------------------------------------------

def test_svg_source_exists() -> None:
    svg = ICONS / "workbench.svg"
    assert svg.is_file()
    assert "<svg" in svg.read_text(encoding="utf-8")


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icon_has_its_size(size: int) -> None:
    path = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)
        # Rounded corners need transparency; an opaque square would look pasted on.
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0


def test_ico_holds_several_sizes() -> None:
    with Image.open(ICONS / "workbench.ico") as image:
        sizes = image.ico.sizes()  # type: ignore[attr-defined]
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(sizes)


def test_icns_holds_several_sizes() -> None:
    with Image.open(ICONS / "workbench.icns") as image:
        assert image.format == "ICNS"
        # Pixel sizes (a 16 pt entry at 2x is 32 px); Pillow writes the modern PNG entries only.
        sizes = {(width * scale) for width, _height, scale in image.info["sizes"]}
    assert {32, 64, 128, 256, 512, 1024} <= sizes


def test_package_carries_the_window_icon() -> None:
    """The installed wheel loads its icon from inside the package (pyproject package-data)."""
    packaged = ROOT / "workbench" / "resources" / "icons" / "workbench.png"
    with Image.open(packaged) as image:
        assert image.size == (256, 256)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "resources/icons/*.png" in pyproject
    assert "resources/translations/*.qm" in pyproject


# --- Linux desktop files -----------------------------------------------------------------------

def test_desktop_file_contents() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Workbench"
    assert entry["Name[zh_CN]"]
    assert entry["Comment"] and entry["Comment[zh_CN]"]
    assert entry["Exec"].split()[0] == "workbench-gui"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert {"Education", "Science"} <= set(entry["Categories"].rstrip(";").split(";"))


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate not installed (package desktop-file-utils)")
def test_desktop_file_validates() -> None:
    result = _run_validator(["desktop-file-validate", str(DESKTOP_FILE)])
    assert result.returncode == 0, result.stdout + result.stderr
    # Hints are advice, but warnings and errors mean a menu may reject or mangle the entry.
    output = result.stdout + result.stderr
    assert "error:" not in output and "warning:" not in output, output


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli not installed (package appstream)")
def test_metainfo_validates() -> None:
    result = _run_validator(["appstreamcli", "validate", "--no-net", str(METAINFO_FILE)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_names_the_desktop_file_and_chinese_text() -> None:
    text = METAINFO_FILE.read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{DESKTOP_FILE.name}</launchable>' in text
    assert '<name xml:lang="zh_CN">' in text
    assert '<summary xml:lang="zh_CN">' in text
    assert '<release version="0.1.0"' in text


# --- the running application -------------------------------------------------------------------

def test_application_identity(qapp: object) -> None:
    from PySide6.QtCore import QCoreApplication

    from workbench import __version__
    from workbench.ui.app import application

    app = application()
    assert app.desktopFileName() == APP_ID
    assert not app.windowIcon().isNull()
    # QSettings paths derive from these two names: they must stay as they were.
    assert QCoreApplication.organizationName() == "Workbench"
    assert QCoreApplication.applicationName() == "Workbench"
    assert QCoreApplication.applicationVersion() == __version__
