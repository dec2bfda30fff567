"""Image folders: one sub-folder per class, every file read or named in the error."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from workbench.core.data.types import CLASSIFICATION, Dataset
from workbench.errors import DataError

# Files that file managers drop into folders on their own; they are never training images.
_CLUTTER = frozenset({"thumbs.db", "desktop.ini", "icon\r"})


class BadImagesError(DataError):
    """Some files in an image folder cannot be read; ``bad`` has one message per file.

    Loading again with ``skip_bad=True`` leaves exactly those files out, so a window can offer
    "skip these files" after showing the list.
    """

    def __init__(self, message: str, bad: tuple[str, ...], files: tuple[str, ...], *,
                 template: str = "", params: dict[str, Any] | None = None,
                 errors: tuple[DataError, ...] = ()) -> None:
        super().__init__(message, template=template, params=params)
        self.bad = bad  # one message per file, naming it and the problem
        self.files = files  # the same files as "class/name"
        self.errors = errors  # the errors behind ``bad``, which a window may translate

    @classmethod
    def from_files(cls, bad: list[DataError], files: list[str], template: str, /,
                   **params: Any) -> BadImagesError:
        """The error for the unreadable ``files`` (``bad``: why each one), told by ``template``."""
        return cls(template.format(**params), tuple(str(e) for e in bad), tuple(files),
                   template=template, params=params, errors=tuple(bad))


# How many unreadable files an error message lists by name before it only counts the rest.
_LISTED_BAD_FILES = 5


def load_image_folder(folder: str | Path, size: int = 28, grayscale: bool = True, *,
                      skip_bad: bool = False) -> Dataset:
    """Images in one sub-folder per class, resized to ``size`` x ``size`` and scaled to 0..1.

    Class names are the sub-folder names in sorted order. Hidden files, and the files file
    managers leave behind, are skipped; anything else that is not an image is an error
    (``BadImagesError``, naming every such file), so nothing is left out of training silently.
    With ``skip_bad=True`` those files are left out instead and named in the returned data
    set's ``skipped``; a class left with no readable image is still an error. Files in deeper
    sub-folders are not read.
    """
    root = Path(folder)
    if not root.exists():
        raise DataError.from_template("The image folder {folder} does not exist. Pick the "
                                      "folder again.", folder=root)
    if not root.is_dir():
        raise DataError.from_template("{folder} is a file, not a folder. Pick a folder that "
                                      "holds one sub-folder of images per class.", folder=root)
    try:
        class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not _hidden(p))
    except OSError as exc:
        raise DataError.from_template("The folder {folder} cannot be read ({reason}).",
                                      folder=root, reason=exc.strerror or exc) from None
    if len(class_dirs) == 1:
        raise DataError.from_template(
            "The image folder {folder} needs one sub-folder per class, at least two (found only "
            "{found!r}). Put each class's images in a folder named after the class.",
            folder=shown_name(str(root)), found=shown_name(class_dirs[0].name))
    if not class_dirs:
        raise DataError.from_template(
            "The image folder {folder} needs one sub-folder per class, at least two (found "
            "none). Put each class's images in a folder named after the class.", folder=root)
    if size < 1:
        raise DataError.from_template("The image size must be at least 1 pixel, not {size}.",
                                      size=size)
    mode = "L" if grayscale else "RGB"
    images: list[np.ndarray] = []
    labels: list[int] = []
    bad: list[str] = []
    bad_files: list[str] = []
    empty_after_skip: list[str] = []
    for k, class_dir in enumerate(class_dirs):
        try:
            files = sorted(p for p in class_dir.iterdir() if p.is_file() and not _hidden(p)
                           and p.name.lower() not in _CLUTTER)
        except OSError as exc:
            raise DataError.from_template("The folder {folder} cannot be read ({reason}).",
                                          folder=shown_name(str(class_dir)), reason=exc.strerror or exc) from None
        if not files:
            raise DataError.from_template("The class folder {folder} holds no images. Add "
                                          "images to it, or remove the folder.",
                                          folder=shown_name(str(class_dir)))
        readable = 0
        for file in files:
            try:
                images.append(_read_image(file, size, mode))
            except DataError as exc:
                # Keep going: the person gets the whole list at once, not one file per try.
                bad.append(exc)
                bad_files.append(shown_name(f"{class_dir.name}/{file.name}"))
                continue
            labels.append(k)
            readable += 1
        if readable == 0:
            empty_after_skip.append(shown_name(class_dir.name))
    if bad and not skip_bad:
        raise _bad_images_error(bad, bad_files)
    if empty_after_skip:
        names = ", ".join(repr(n) for n in empty_after_skip)
        raise BadImagesError.from_files(
            bad, bad_files, "In {folder}, no image of class {names} can be read, so there is "
            "nothing to train that class on. Replace those files with PNG or JPEG images, or "
            "remove the folder.", folder=root, names=names)
    x = np.stack(images)
    return Dataset(name=shown_name(root.resolve().name or str(root)), x=x,
                   y=np.array(labels, dtype=np.int64), task=CLASSIFICATION,
                   class_names=tuple(shown_name(d.name) for d in class_dirs),
                   skipped=tuple(bad_files))


def _bad_images_error(bad: list[DataError], names: list[str]) -> BadImagesError:
    """The first problem in full (it says what to do), then the other files by name."""
    if len(bad) == 1:
        return BadImagesError.from_files(bad, names, bad[0].template, **bad[0].params)
    rest = names[1:]
    listed = ", ".join(rest[:_LISTED_BAD_FILES])
    if len(rest) > _LISTED_BAD_FILES:
        return BadImagesError.from_files(
            bad, names, "{first} {count} more file(s) cannot be read either: {listed} and "
            "{more} more. Fix or remove them, or choose to skip the files that cannot be read.",
            first=bad[0], count=len(rest), listed=listed, more=len(rest) - _LISTED_BAD_FILES)
    return BadImagesError.from_files(
        bad, names, "{first} {count} more file(s) cannot be read either: {listed}. Fix or remove "
        "them, or choose to skip the files that cannot be read.", first=bad[0], count=len(rest),
        listed=listed)


def shown_name(name: str) -> str:
    """A file or folder name as valid text: bytes that are not UTF-8 become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _hidden(path: Path) -> bool:
    return path.name.startswith(".")


@contextlib.contextmanager
def pillow_warnings_as_errors() -> Iterator[None]:
    """Around opening a picture: Pillow only warns between MAX_IMAGE_PIXELS and twice that
    (above, it refuses); a file that large is refused either way, both from the header, before
    any pixel is decoded. Pillow's other warnings about a damaged file ("Corrupt EXIF data")
    would print to the terminal: the error that follows names the file."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _read_image(file: Path, size: int, mode: str) -> np.ndarray:
    """One image as float32 (C, size, size) in 0..1; every failure is a DataError naming it."""
    where = shown_name(f"{file.parent.name}/{file.name}")
    try:
        with pillow_warnings_as_errors(), Image.open(file) as im:
            im.load()
            pixels = _to_mode(im, mode)
            pixels = pixels.resize((size, size), Image.Resampling.BILINEAR)
            arr = np.asarray(pixels, dtype=np.float32)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DataError.from_template(
            "The image {file} is too large to be read safely (more than {limit:,} pixels). "
            "Shrink it, or remove it from the folder.", file=where,
            limit=Image.MAX_IMAGE_PIXELS) from None
    except Image.UnidentifiedImageError:
        raise DataError.from_template("{file} is not an image Workbench can read. Remove it from "
                                      "the class folder, or save it as PNG or JPEG.",
                                      file=where) from None
    except PermissionError:
        raise DataError.from_template("Workbench may not read the image {file}. Check the "
                                      "file's permissions, or remove it from the folder.",
                                      file=where) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        # Pillow reports truncated and corrupt files as OSError (sometimes SyntaxError,
        # ValueError or EOFError, depending on the format and where the damage is).
        raise DataError.from_template("The image {file} is damaged or incomplete ({reason}). "
                                      "Remove or replace it.", file=where, reason=exc) from None
    arr = arr / 255.0
    return arr[None, :, :] if arr.ndim == 2 else np.ascontiguousarray(arr.transpose(2, 0, 1))


def _to_mode(im: Image.Image, mode: str) -> Image.Image:
    """Convert to "L" or "RGB"; transparency over white, 16-bit grey scaled down, not clipped."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        arr = np.asarray(im, dtype=np.float32)
        peak = float(arr.max(initial=0.0))
        # 16-bit files use 0..65535; floating-point ones are usually 0..1.
        top = 65535.0 if peak > 255 else (1.0 if im.mode == "F" and peak <= 1 else 255.0)
        grey = Image.fromarray(np.clip(arr / top * 255.0, 0, 255).astype(np.uint8))
        return grey.convert(mode)
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert(mode)
    return im.convert(mode)

