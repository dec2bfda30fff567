"""Atomic file writes: a temp file in the same folder, written, fsynced, then ``os.replace``.

Either the old file or the complete new one is on disk afterwards, never half of one, even if
the process is killed or the disk fills up mid-write. A process killed with SIGKILL can leave
its temp file behind (nothing runs after SIGKILL); temp files are hidden and named
``.<name>.tmp<random>`` so they are never mistaken for the real file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

# Creating the temp file through os.open with this mode lets the process umask decide the
# final permissions, as for any ordinary new file (tempfile.mkstemp would force 0600).
_NEW_FILE_MODE = 0o666
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_NAME_TRIES = 100


# Most file systems allow 255 bytes per name; the temp name adds 17 bytes to this much.
_MAX_STEM = 200


DISK_FULL, NOT_ALLOWED, NO_FOLDER, IS_FOLDER, OTHER = (
    "disk_full", "not_allowed", "no_folder", "is_folder", "other")


def write_failure(exc: OSError) -> str:
    """Why a write failed, as one of the names above: each caller words its own message."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DISK_FULL
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return NOT_ALLOWED
    if isinstance(exc, FileNotFoundError):
        return NO_FOLDER
    if isinstance(exc, IsADirectoryError):
        return IS_FOLDER
    return OTHER


def temp_path_for(path: Path) -> Path:
    """A fresh hidden temp name next to ``path`` (same folder: same file system for rename)."""
    stem = os.fsdecode(os.fsencode(path.name)[:_MAX_STEM])  # bytes, as the file system counts
    return path.with_name(f".{stem}.tmp{secrets.token_hex(6)}")


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; raises OSError with the old file untouched.

    A symbolic link is followed, so the file it points to is replaced and the link stays.
    An existing file keeps its permission bits.
    """
    path = Path(os.path.realpath(path))
    if path.is_dir():  # refused before a temp file is made next to it
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    mode = _existing_mode(path)
    try:
        fd, tmp = _create_temp(path)
    except OSError as exc:
        raise _about(exc, path) from None
    try:
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            _write_all(fd, data)
            # The data must be on disk before the rename makes it the real file; otherwise a
            # power cut could leave the new name pointing at an empty or partial file.
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _about(exc, path) from None
        raise
    _fsync_dir(path.parent)


def _about(exc: OSError, path: Path) -> OSError:
    """``exc`` naming the file that was to be written, not the hidden temp file beside it
    (messages show ``filename``)."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


def _existing_mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def _create_temp(path: Path) -> tuple[int, Path]:
    for _ in range(_NAME_TRIES):
        tmp = temp_path_for(path)
        try:
            return os.open(tmp, _OPEN_FLAGS, _NEW_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp file name next to {path}")


def _write_all(fd: int, data: bytes) -> None:
    # os.write may write fewer bytes than asked (signals, pipes, some network file systems).
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # a regular file never does this unless the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; only POSIX can open a folder for fsync.
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
