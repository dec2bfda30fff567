"""Desktop integration: the icon files, the Linux .desktop and AppStream files, and the identity
the running application announces (desktop file name, window icon).

The validators come from the distribution (``desktop-file-utils``, ``appstream``); where they
are not installed those tests are skipped, and say which package would run them.
"""

from __future__ import annotations

import argparse
import configparser
import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
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
    assert {"Education", "ComputerScience"} <= set(entry["Categories"].rstrip(";").split(";"))


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


# --- the wheel (pip and pipx installs) ---------------------------------------------------------

def _copy_sources(target: Path) -> Path:
    """The project without its environments and build output, so a wheel build here leaves the
    working tree alone."""
    ignore = shutil.ignore_patterns(".git", ".venv", "build", "dist", "tests", "__pycache__",
                                    "*.egg-info", ".*_cache", ".hypothesis")
    return Path(shutil.copytree(ROOT, target / "src", ignore=ignore))


def _setuptools_builds_wheels() -> bool:
    """Whether the installed setuptools can build a wheel on its own (70.1 took in
    bdist_wheel; older ones need the separate wheel package)."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    major, minor = (int(part) for part in version.split(".")[:2])
    has_wheel = importlib.util.find_spec("wheel") is not None
    return (major, minor) >= (70, 1) or has_wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    work = tmp_path_factory.mktemp("wheel")
    source = _copy_sources(work)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(source),
               "-w", str(work / "out")]
    if _setuptools_builds_wheels():
        # Builds with the setuptools at hand instead of fetching one into a fresh environment.
        command.append("--no-build-isolation")
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = (work / "out").glob("workbench-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def _entry_points(archive: zipfile.ZipFile) -> configparser.ConfigParser:
    (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(archive.read(name).decode("utf-8"))
    return parser


def test_wheel_entry_points(wheel: zipfile.ZipFile) -> None:
    entry_points = _entry_points(wheel)
    assert entry_points["console_scripts"]["workbench"] == "workbench.cli:main"
    assert entry_points["gui_scripts"]["workbench-gui"] == "workbench.cli:gui_main"


def test_wheel_carries_package_data(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "workbench/resources/translations/workbench_zh_CN.qm" in names
    assert "workbench/resources/icons/workbench.png" in names
    assert "workbench/resources/icons/workbench.svg" in names
    assert f"workbench/resources/desktop/{DESKTOP_FILE.name}" in names
    assert f"workbench/resources/desktop/{METAINFO_FILE.name}" in names
    assert "workbench/templates/train_script.py" in names
    assert not any(name.startswith("tests/") for name in names)


def test_packaged_desktop_files_match_the_packaging_ones() -> None:
    """The package carries copies for desktop-install; they must not drift apart."""
    packaged = ROOT / "workbench" / "resources" / "desktop"
    for source in (DESKTOP_FILE, METAINFO_FILE):
        assert (packaged / source.name).read_bytes() == source.read_bytes(), source.name


# --- desktop-install for pip and pipx users ----------------------------------------------------

def _validate_desktop_file(path: Path) -> None:
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate not installed (package desktop-file-utils)")
    result = _run_validator(["desktop-file-validate", str(path)])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error:" not in output and "warning:" not in output, output


def _exec_key(path: Path) -> str:
    (line,) = [x for x in path.read_text(encoding="utf-8").splitlines() if x.startswith("Exec=")]
    return line.removeprefix("Exec=")


def test_install_desktop_entry_into_xdg_data_home(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.desktop import install_desktop_entry

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    written = install_desktop_entry()
    desktop = tmp_path / "applications" / DESKTOP_FILE.name
    svg = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    png = tmp_path / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"
    assert written == [desktop, svg, png]
    program, argument = _exec_key(desktop).split()
    assert argument == "%f"
    # The installed launcher, by its absolute path: menus do not search a terminal's PATH.
    assert Path(program).is_absolute() and Path(program).name == "workbench-gui"
    assert Path(program).is_file()
    with Image.open(png) as image:
        assert image.size == (256, 256)
    assert "<svg" in svg.read_text(encoding="utf-8")
    _validate_desktop_file(desktop)


def test_desktop_entry_quotes_an_awkward_launcher_path(tmp_path: Path) -> None:
    from workbench.desktop import install_desktop_entry

    launcher = tmp_path / 'My Apps $HOME "x"' / "workbench-gui"
    desktop = install_desktop_entry(tmp_path / "share", launcher=launcher)[0]
    assert _exec_key(desktop) == (
        '"' + str(launcher.parent).replace("$", "\\\\$").replace('"', '\\\\"')
        + '/workbench-gui" %f')
    _validate_desktop_file(desktop)


def test_uninstall_removes_only_what_install_wrote(tmp_path: Path) -> None:
    from workbench.desktop import install_desktop_entry, uninstall_desktop_entry

    other = tmp_path / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n", encoding="utf-8")
    written = install_desktop_entry(tmp_path, launcher=tmp_path / "workbench-gui")
    assert uninstall_desktop_entry(tmp_path) == written
    assert not any(path.exists() for path in written)
    assert other.is_file()
    assert uninstall_desktop_entry(tmp_path) == []


def test_desktop_subcommands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.desktop import SUBCOMMANDS, add_subcommands, run_subcommand

    parser = argparse.ArgumentParser(prog="workbench")
    add_subcommands(parser.add_subparsers(dest="command"))
    desktop = tmp_path / "applications" / DESKTOP_FILE.name
    assert SUBCOMMANDS == ("desktop-install", "desktop-uninstall")
    assert run_subcommand(parser.parse_args(["desktop-install", "--prefix", str(tmp_path)])) == 0
    assert f"wrote {desktop}" in capsys.readouterr().out
    assert run_subcommand(parser.parse_args(["desktop-uninstall", "--prefix",
                                             str(tmp_path)])) == 0
    assert f"removed {desktop}" in capsys.readouterr().out
    assert not desktop.exists()


def test_desktop_entry_escapes_a_percent_in_the_launcher_path(tmp_path: Path) -> None:
    """'%' starts a field code in Exec (as in %f), so a literal one is written '%%'."""
    from workbench.desktop import install_desktop_entry

    launcher = tmp_path / "100%done" / "workbench-gui"
    desktop = install_desktop_entry(tmp_path / "share", launcher=launcher)[0]
    assert _exec_key(desktop) == str(launcher).replace("%", "%%") + " %f"
    _validate_desktop_file(desktop)


def test_desktop_install_into_an_unwritable_folder_is_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import EXIT_USER_ERROR, main

    assert main(["desktop-install", "--prefix", "/proc/nope"]) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("workbench: Cannot write /proc/nope/") and "--prefix" in lines[0]
    assert "Traceback" not in captured.err
