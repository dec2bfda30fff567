"""Menu entry for Linux desktops when Workbench was installed with pip or pipx.

Packages from a distribution put the .desktop file and the icons in place themselves; a pip or
pipx install cannot, so ``workbench desktop-install`` does it for one user, following the
freedesktop.org specifications:

* ``$XDG_DATA_HOME/applications/io.github.workbench.Workbench.desktop``, whose ``Exec`` names
  this installation's ``workbench-gui`` by its absolute path (a menu does not search the PATH
  of a terminal, and pipx's ``~/.local/bin`` is often missing from it);
* ``$XDG_DATA_HOME/icons/hicolor/scalable/apps/io.github.workbench.Workbench.svg`` and
  ``.../256x256/apps/io.github.workbench.Workbench.png``.

``$XDG_DATA_HOME`` defaults to ``~/.local/share``. ``workbench desktop-uninstall`` removes
exactly those files again. Neither imports Qt or torch.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

from workbench.errors import WorkbenchError

APP_ID = "io.github.workbench.Workbench"
_RESOURCES = Path(__file__).resolve().parent / "resources"
DESKTOP_TEMPLATE = _RESOURCES / "desktop" / f"{APP_ID}.desktop"
_ICONS = _RESOURCES / "icons"
# Source file in the package -> place inside the hicolor icon theme.
_ICON_FILES = {
    _ICONS / "workbench.svg": Path("scalable") / "apps" / f"{APP_ID}.svg",
    _ICONS / "workbench.png": Path("256x256") / "apps" / f"{APP_ID}.png",
}
SUBCOMMANDS = ("desktop-install", "desktop-uninstall")
# Characters that make the Exec spec require a quoted argument.
_NEEDS_QUOTES = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


class DesktopInstallError(WorkbenchError):
    """The menu entry or an icon cannot be written or removed (a folder that is read-only,
    missing, or not a folder at all)."""


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (as the
    XDG Base Directory specification says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def gui_launcher() -> Path:
    """The program that opens this installation's window: ``Workbench`` inside a frozen
    bundle, otherwise the ``workbench-gui`` script installed next to this Python."""
    here = Path(sys.executable).resolve().parent
    if getattr(sys, "frozen", False):
        return here / "Workbench"
    # Not resolved: a virtual environment's python is often a link to the system one, but
    # pip writes the scripts next to the link.
    beside = Path(sys.executable).parent / "workbench-gui"
    if beside.is_file():
        return beside.absolute()
    found = shutil.which("workbench-gui")
    if found is None:
        raise WorkbenchError("The workbench-gui program was not found next to this Python or on "
                             "the PATH. Reinstall Workbench (pipx install . or pip install .) "
                             "and try again.")
    return Path(found).absolute()


def exec_argument(path: Path) -> str:
    """``path`` as one argument of a desktop entry's Exec key: quoted where the
    specification requires it, then escaped as a desktop-file string value."""
    text = str(path)
    if _NEEDS_QUOTES.search(text):
        inner = re.sub(r'(["`$\\])', r"\\\1", text)
        text = f'"{inner}"'
    # The string-value level: every backslash of the quoting level is written twice; and a
    # literal '%' is written '%%', or the menu would read it as a field code such as %f.
    return text.replace("\\", "\\\\").replace("%", "%%")


def desktop_file_text(launcher: Path) -> str:
    """The packaged .desktop file with Exec pointing at ``launcher``."""
    lines = DESKTOP_TEMPLATE.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("Exec="):
            line = f"Exec={exec_argument(launcher)} %f"
        out.append(line)
    return "\n".join(out) + "\n"


def installed_paths(prefix: Path | None = None) -> list[Path]:
    """The files that ``install_desktop_entry(prefix)`` writes."""
    base = data_home() if prefix is None else Path(prefix)
    icons = base / "icons" / "hicolor"
    return [base / "applications" / DESKTOP_TEMPLATE.name,
            *(icons / place for place in _ICON_FILES.values())]


def _write(path: Path, data: bytes) -> None:
    # Write beside, then rename: a menu watching the folder never reads half a file.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        raise DesktopInstallError(
            f"Cannot write {path}: {exc.strerror or exc}. Give --prefix a folder you can "
            "write to, or leave it out to use $XDG_DATA_HOME (~/.local/share).") from exc


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError as exc:
        raise DesktopInstallError(
            f"Cannot remove {path}: {exc.strerror or exc}. Remove it by hand, or check the "
            "folder's permissions.") from exc


def install_desktop_entry(prefix: Path | str | None = None,
                          launcher: Path | None = None) -> list[Path]:
    """Write the menu entry and the icons under ``prefix`` (default ``$XDG_DATA_HOME``) and
    return the paths written. ``launcher`` defaults to :func:`gui_launcher`."""
    program = gui_launcher() if launcher is None else Path(launcher).absolute()
    desktop_path, *icon_paths = installed_paths(None if prefix is None else Path(prefix))
    _write(desktop_path, desktop_file_text(program).encode("utf-8"))
    for source, target in zip(_ICON_FILES, icon_paths, strict=True):
        _write(target, source.read_bytes())
    return [desktop_path, *icon_paths]


def uninstall_desktop_entry(prefix: Path | str | None = None) -> list[Path]:
    """Remove what :func:`install_desktop_entry` wrote; returns the paths removed."""
    removed = []
    for path in installed_paths(None if prefix is None else Path(prefix)):
        if path.is_file():
            _remove(path)
            removed.append(path)
    return removed


# -- command line ---------------------------------------------------------------------------

def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``desktop-install`` and ``desktop-uninstall`` to the ``workbench`` command."""
    for name, help_text in (
            ("desktop-install", "add Workbench to this user's application menu (Linux)"),
            ("desktop-uninstall", "remove what desktop-install added")):
        parser = subparsers.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--prefix", metavar="DIR", type=Path,
                            help="data folder to use instead of $XDG_DATA_HOME "
                                 "(~/.local/share)")


def run_subcommand(args: argparse.Namespace) -> int:
    """Handler for both sub-commands: prints the files written or removed."""
    if args.command == "desktop-install":
        for path in install_desktop_entry(args.prefix):
            print(f"wrote {path}")
        return 0
    removed = uninstall_desktop_entry(args.prefix)
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("nothing to remove: no Workbench menu entry was installed there")
    return 0
