"""People's own tables: one reader for CSV, TSV, semicolon files, compressed files and Excel.

Training, ``predict``, ``evaluate``, the window and the Try tab all read tables here, so a file
that trains also predicts. The parser is pandas'; this module decides what pandas cannot guess
on its own (the encoding, told by charset-normalizer; the separator, quote character and decimal
comma, sniffed from the first lines) and refuses what would hang or exhaust memory (FIFOs and
devices, files beyond ``MAX_TABLE_BYTES``, a first line longer than ``MAX_LINE_BYTES``).

The result is a ``Table``: every column either numbers (float64, NaN where missing), text
(stripped strings, None where missing) or date-times. What a column *means* (its role: a number
to scale, a category to one-hot encode, a date to take apart, an identifier to leave out) is
decided by ``infer_roles``; the fitted preprocessing lives in ``workbench.core.preprocess``.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import math
import os
import re
import stat
import sys
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from workbench.errors import DataError

# The cell texts that mean "no value", as spreadsheets, R and pandas write them.
NA_TOKENS: tuple[str, ...] = (
    "", "NA", "N/A", "n/a", "na", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "none",
    "?", "-", "--", "#N/A", "#NA", "<NA>", "NaT", "missing", "Missing",
    # Spreadsheet formulas that failed: no value either.
    "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#N/A N/A",
)
# A table file (after decompression) larger than this is refused before it is parsed.
MAX_TABLE_BYTES = 1 * 2**30
# A first line (the header) longer than this is not a table Workbench can train on.
MAX_LINE_BYTES = 1 * 2**20
MAX_COLUMNS = 5000
# The part of a file read to guess the separator, quoting and decimal mark.
_SNIFF_BYTES = 64 * 1024
# Encodings the detector chooses between, in order of preference when it finds two equally
# plausible (Western spreadsheets' "CSV" is windows-1252, Chinese ones' GB18030).
_ENCODINGS = ("gb18030", "cp1252", "big5", "shift_jis", "euc_kr", "cp1251", "cp1250")
_COMPRESSED = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zip": "zip"}
_EXCEL = (".xlsx", ".xlsm")


class Role(str, Enum):
    """What a column is used as."""

    NUMERIC = "numeric"  # a number, scaled; missing values filled with the median + a flag
    CATEGORICAL = "categorical"  # one input per category seen in training, plus other/missing
    DATE = "date"  # taken apart into year, month, day of week, day of year (and hour)
    TEXT = "text"  # free text: mostly distinct strings, left out
    IDENTIFIER = "identifier"  # an id or row number: left out
    CONSTANT = "constant"  # a single value: carries nothing, left out
    IGNORED = "ignored"  # left out because the person said so
    TARGET = "target"

    @property
    def used(self) -> bool:
        return self in (Role.NUMERIC, Role.CATEGORICAL, Role.DATE)


# The roles a person may choose for an input column (window combo box, --numeric etc.).
CHOOSABLE_ROLES = (Role.NUMERIC, Role.CATEGORICAL, Role.DATE, Role.IGNORED)


class TextColumns(Mapping[str, np.ndarray]):
    """Column name -> values, where a text column's array of strings is spread over the rows
    from its codes only when something asks for it.

    Roles, fitting and transforming read the codes, so while training the strings of a text
    column are usually never laid out per row (a pointer per cell, 8 bytes, saved).
    """

    def __init__(self, columns: dict[str, np.ndarray | None],
                 codes: dict[str, tuple[np.ndarray, list[str]]]) -> None:
        self._columns = columns  # None: a text column, made from ``codes`` on first use
        self._codes = codes

    def __getitem__(self, name: str) -> np.ndarray:
        values = self._columns[name]
        if values is None:
            values = self._columns[name] = text_array(*self._codes[name])
        return values

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __contains__(self, name: object) -> bool:
        return name in self._columns

    def clear(self) -> None:
        self._columns.clear()
        self._codes.clear()

    def pending(self, name: str) -> bool:
        """True for a text column whose strings are not laid out yet."""
        return self._columns[name] is None


@dataclass(frozen=True, eq=False)
class Table:
    """A table as read: column name -> numbers (float64), text (object) or datetime64 array."""

    name: str  # the file's name, for messages
    columns: Mapping[str, np.ndarray]
    encoding: str = "utf-8"
    separator: str = ","
    decimal: str = "."
    sheet: str = ""
    # Text columns as (codes, distinct texts in order of appearance), code len(texts) meaning
    # missing: filled by the reader, or on first use. Roles, fitting and transforming work on
    # the codes, so no step after the reader touches a Python string per cell.
    codes: dict[str, tuple[np.ndarray, list[str]]] = field(default_factory=dict, repr=False)

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    @property
    def n_rows(self) -> int:
        for name in self.columns:
            return int(self._cells(name).shape[0])
        return 0

    def _pending(self, name: str) -> bool:
        return isinstance(self.columns, TextColumns) and self.columns.pending(name)

    def _cells(self, name: str) -> np.ndarray:
        """The column's values, or a text column's codes if its strings are not laid out."""
        return self.codes[name][0] if self._pending(name) else self.columns[name]

    def kind(self, name: str) -> str:
        """"number", "datetime" or "text"."""
        if self._pending(name):
            return "text"
        values = self.columns[name]
        if values.dtype.kind == "f":
            return "number"
        if values.dtype.kind == "M":
            return "datetime"
        return "text"

    def release(self) -> None:
        """Let go of every column (the table is empty afterwards), freeing their memory once
        nothing else holds them."""
        if isinstance(self.columns, (TextColumns, dict)):
            self.columns.clear()
        self.codes.clear()

    def take(self, rows: np.ndarray) -> Table:
        """The same table with only ``rows`` (indices) kept."""
        return self._subset(list(self.columns), rows)

    def select(self, names: Iterable[str]) -> Table:
        """The same rows with only the columns ``names``."""
        return self._subset(list(names), None)

    def _subset(self, names: list[str], rows: np.ndarray | None) -> Table:
        def cut(values: np.ndarray) -> np.ndarray:
            return values if rows is None else values[rows]

        wanted = set(names)
        codes = {k: (cut(c), t) for k, (c, t) in self.codes.items() if k in wanted}
        columns: Mapping[str, np.ndarray]
        if isinstance(self.columns, TextColumns):
            columns = TextColumns({k: None if self._pending(k) else cut(self.columns[k])
                                   for k in names}, codes)
        else:
            columns = {k: cut(self.columns[k]) for k in names}
        return Table(self.name, columns, self.encoding, self.separator, self.decimal,
                     self.sheet, codes)

    def factorized(self, name: str, na: frozenset[str] | set[str] = frozenset(NA_TOKENS)
                   ) -> tuple[np.ndarray, list[str]]:
        """(codes, texts) of a column read as text (numbers and dates as their texts)."""
        if name not in self.codes:
            self.codes[name] = factorize(category_texts(self.columns[name]), na)
        return self.codes[name]

    def missing(self, name: str) -> np.ndarray:
        """True where column ``name`` has no value."""
        if self.kind(name) == "text":
            codes, texts = self.factorized(name)
            return codes == len(texts)
        return missing_mask(self.columns[name])

    def distinct(self, name: str) -> list[Any]:
        """The distinct values of a column, in order of first appearance."""
        if self.kind(name) == "text":
            return list(self.factorized(name)[1])
        import pandas as pd

        values = self.columns[name]
        return list(pd.unique(values[~missing_mask(values)]))


# -- reading ------------------------------------------------------------------------------

def read_table(path: str | Path, *, sheet: str = "",
               na_values: tuple[str, ...] | None = None, header_only: bool = False) -> Table:
    """Read a CSV/TSV/Excel file (optionally .gz/.bz2/.xz/.zip) into a ``Table``."""
    path = Path(path)
    na = tuple(NA_TOKENS if na_values is None else na_values)
    _check_regular_file(path)
    suffix = path.suffix.lower()
    if suffix in _EXCEL:
        return _read_excel(path, sheet, na, header_only)
    if sheet:
        raise DataError.from_template("{file} is not an Excel workbook, so it has no sheet "
                                      "{sheet!r}. Leave out the sheet, or pick the .xlsx file.",
                                      file=path.name, sheet=sheet)
    raw = _read_bytes(path, _COMPRESSED.get(suffix))
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataError.from_template("{file} is an Excel workbook or another binary file, not "
                                      "a CSV file. Save it as .xlsx (Excel 2007 or newer) or "
                                      "as CSV, and pick that file.", file=path.name)
    encoding = detect_encoding(raw, path.name)
    text_head = raw[:_SNIFF_BYTES].decode(encoding, errors="replace")
    text_head = text_head.removeprefix("\ufeff")
    if not text_head.strip():
        raise DataError.from_template("{file} is empty. A CSV file needs a header row of "
                                      "column names and one row per sample.", file=path.name)
    first_line = text_head.split("\n", 1)[0]
    if "\n" not in text_head and len(raw) > MAX_LINE_BYTES:
        raise DataError.from_template(
            "{file}: the first line is longer than {limit} MB, so this is not a table with one "
            "row per line. Check that the file is a CSV file.", file=path.name,
            limit=MAX_LINE_BYTES // 2**20)
    sep, quote = sniff_format(text_head)
    decimal, thousands = _sniff_decimal(text_head, sep, quote)
    head = _head_bytes(raw)
    # A plain file is parsed from the file itself, so its bytes are not held in memory
    # beside the parser's own copy; a decompressed one from its bytes.
    source: bytes | Path = path if suffix not in _COMPRESSED else raw
    del raw
    frame = _pandas_read(source, head, path.name, encoding, sep, quote, decimal, thousands,
                         na, header_only)
    del source
    _check_header_row(first_line, list(frame.columns), path.name)
    table = _to_table(frame, path.name, na, encoding=encoding, separator=sep, decimal=decimal)
    del frame
    return_freed_memory()
    return table


_LIBC: Any = None


def return_freed_memory() -> None:
    """Hand memory the C allocator keeps after large frees (the parser's buffers, columns
    let go) back to the system, where it can (glibc); elsewhere nothing happens."""
    global _LIBC
    if _LIBC is None:
        _LIBC = False
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                _LIBC = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):
                _LIBC = False
    if _LIBC:
        _LIBC(0)


def read_header(path: str | Path, *, sheet: str = "") -> list[str]:
    """The column names of a table file, for choosing the target column."""
    return read_table(path, sheet=sheet, header_only=True).names


def _check_regular_file(path: Path) -> None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DataError.from_template("The file {path} does not exist. Check the name, or pick "
                                      "the file again.", path=path) from None
    except PermissionError:
        raise DataError.from_template("Workbench may not read {path}. Check the file's "
                                      "permissions.", path=path) from None
    except OSError as exc:
        raise DataError.from_template("The file {path} cannot be read ({reason}).", path=path,
                                      reason=exc.strerror or exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError.from_template("{path} is a folder, not a CSV file. Pick a .csv file.",
                                      path=path)
    if not stat.S_ISREG(info.st_mode):
        raise DataError.from_template("{path} is not a regular file (a pipe or a device?). "
                                      "Save the table as a file and pick that.", path=path)
    if info.st_size > MAX_TABLE_BYTES:
        raise DataError.from_template(
            "{file} is {size} MB; Workbench reads tables of up to {limit} MB. Use a sample of "
            "the rows.", file=path.name, size=info.st_size // 2**20,
            limit=MAX_TABLE_BYTES // 2**20)


def _read_bytes(path: Path, compression: str | None) -> bytes:
    """The file's bytes, decompressed, refusing more than ``MAX_TABLE_BYTES``."""
    try:
        if compression is None:
            with open(path, "rb") as fh:
                # read(n) reserves n bytes first: ask for the size seen, not the limit.
                return fh.read(min(path.stat().st_size, MAX_TABLE_BYTES) + 1)
        if compression == "zip":
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.infolist() if not m.is_dir()
                           and not m.filename.startswith("__MACOSX/")]
                if len(members) != 1:
                    raise DataError.from_template(
                        "{file} holds {count} files; a zipped table must hold exactly one. "
                        "Unpack it and pick the table.", file=path.name, count=len(members))
                with zf.open(members[0]) as fh:
                    data = _read_limited(fh)
        else:
            opener = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}[compression]
            with opener(path, "rb") as fh:
                data = _read_limited(fh)
    except DataError:
        raise
    except PermissionError:
        raise DataError.from_template("Workbench may not read {path}. Check the file's "
                                      "permissions.", path=path) from None
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError, ValueError) as exc:
        raise DataError.from_template("{file} is damaged or not compressed as its name says "
                                      "({reason}).", file=path.name, reason=exc) from None
    if len(data) > MAX_TABLE_BYTES:
        raise DataError.from_template(
            "{file} unpacks to more than {limit} MB; Workbench reads tables of up to {limit} "
            "MB. Use a sample of the rows.", file=path.name, limit=MAX_TABLE_BYTES // 2**20)
    return data


def _read_limited(fh: Any) -> bytes:
    """A decompressing stream's bytes in chunks, stopping just past ``MAX_TABLE_BYTES``."""
    chunks: list[bytes] = []
    total = 0
    while total <= MAX_TABLE_BYTES:
        chunk = fh.read(16 * 2**20)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def detect_encoding(raw: bytes, fname: str) -> str:
    """The text encoding of ``raw``: BOMs, then strict UTF-8, then charset-normalizer."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:_SNIFF_BYTES]
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return "utf-16-le"
        if even > len(head) // 4 and odd == 0:
            return "utf-16-be"
        raise DataError.from_template("{file} does not look like a CSV text file (an Excel "
                                      "workbook or another binary file?). Save it as CSV (UTF-8) "
                                      "and pick that file.", file=fname)
    if raw.isascii():  # UTF-8 as it is, told without decoding a copy of the whole file
        return "utf-8"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Only the lines with non-ASCII bytes tell encodings apart; up to 256 KiB of them.
    lines = [line for line in raw.splitlines() if max(line, default=0) > 127]
    sample = b"\n".join(lines)[:256 * 1024]
    from charset_normalizer import from_bytes

    results = list(from_bytes(sample, cp_isolation=list(_ENCODINGS)))
    if not results:
        raise DataError.from_template(
            "{file}: the text encoding cannot be recognised. Save the file as CSV (UTF-8) and "
            "pick that file.", file=fname)

    def rank(match: Any) -> tuple[float, int]:
        name = match.encoding.replace("-", "_")
        order = _ENCODINGS.index(name) if name in _ENCODINGS else len(_ENCODINGS)
        return (round(float(match.chaos), 2), order)

    best = min(results, key=rank).encoding
    if best in _SINGLE_BYTE:
        _refuse_mixed(raw, fname)
    return "gb18030" if best in ("gbk", "gb2312") else best


# Code pages with one byte a letter: a line of such a file is practically never valid UTF-8
# with letters beyond ASCII, so one that is was written by another program (partly UTF-8).
_SINGLE_BYTE = ("cp1252", "cp1250", "cp1251", "latin_1", "iso8859_15", "iso8859_2")


def _refuse_mixed(raw: bytes, fname: str) -> None:
    """A file that is partly UTF-8 and partly a single-byte code page cannot be read right."""
    for number, line in enumerate(raw.splitlines(), start=1):
        if max(line, default=0) < 128:
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        raise DataError.from_template(
            "{file} mixes text encodings: line {line} is UTF-8, other lines are not. "
            "Open it in a spreadsheet or text editor and save it again as CSV (UTF-8).",
            file=fname, line=number)


def sniff_format(text: str) -> tuple[str, str]:
    """(separator, quote character) from the first lines of a table's text.

    The separator is the one of , ; tab | that splits the sampled lines into the same number
    of cells (more than one), else runs of spaces (returned as the regular expression ``\\s+``);
    the quote character is ' only when quoting with it makes the widths agree and " does not.
    """
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines.pop()  # a line cut off by the sample's end would look uneven
    sample = [line for line in lines[:100] if line.strip()]
    if not sample:
        return ",", '"'
    best: tuple[int, str, str] | None = None
    # ' is tried only where cells start with it (R's and some databases' exports), and first
    # where more cells start with it than with ".
    starts = {q: sum(len(re.findall(rf"(?:^|[,;\t|])\s*{q}", line)) for line in sample)
              for q in ('"', "'")}
    quotes = ("'", '"') if starts["'"] > starts['"'] else ('"', "'") if starts["'"] else ('"',)
    for quote in quotes:
        for sep in (",", ";", "\t", "|"):
            try:
                widths = [len(row) for row in csv.reader(sample, delimiter=sep, quotechar=quote)]
            except csv.Error:
                continue
            width = widths[0]
            if width < 2 or any(w != width for w in widths[1:]):
                continue
            if best is None or width > best[0] and quote == best[2]:
                best = (width, sep, quote)
        if best is not None:
            break
    if best is not None:
        return best[1], best[2]
    widths = [len(line.split()) for line in sample]
    if widths[0] >= 2 and all(w == widths[0] for w in widths):
        return r"\s+", '"'
    # Nothing agrees: the separator that appears most in the header, so the error about the
    # uneven row names the right one.
    header = sample[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    sep = max(counts, key=lambda s: counts[s])
    return (sep if counts[sep] else ","), '"'


_DECIMAL_COMMA = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d+$|^-?\d+\.\d+$")


def _sniff_decimal(text: str, sep: str, quote: str) -> tuple[str, str | None]:
    """("," , ".") for files that write 1.234,5; (".", ",") otherwise."""
    if sep == ",":
        # Thousands separators in a comma file only inside quotes ("1,234"): look for one, as
        # the parser is slower when it has to watch for them.
        grouped = re.search(r'"\s*-?\d{1,3}(,\d{3})+(\.\d+)?\s*"', text)
        return ".", ("," if grouped else None)
    commas = points = 0
    lines = [line for line in text.splitlines()[1:200] if line.strip()]
    rows = (line.split() for line in lines) if sep == r"\s+" else csv.reader(
        lines, delimiter=sep, quotechar=quote)
    try:
        for row in rows:
            for cell in row:
                cell = cell.strip()
                if _DECIMAL_COMMA.match(cell):
                    commas += 1
                elif _DECIMAL_POINT.match(cell):
                    points += 1
    except csv.Error:
        pass
    if commas > points:
        return ",", "."
    return ".", None


def _pandas_read(source: bytes | Path, head: bytes, fname: str, encoding: str, sep: str,
                 quote: str, decimal: str, thousands: str | None, na: tuple[str, ...],
                 header_only: bool) -> Any:
    """The parsed frame of ``source`` (a file's path or its decompressed bytes); ``head``: its
    first lines, for the column types."""
    import pandas as pd

    options: dict[str, Any] = {
        "sep": sep, "quotechar": quote, "decimal": decimal, "thousands": thousands,
        "encoding": encoding, "encoding_errors": "strict", "na_values": list(na),
        "keep_default_na": False, "skip_blank_lines": True, "engine": "c",
        "index_col": False, "on_bad_lines": "error"}
    try:
        if header_only:
            return _parse(source, nrows=0, **options)
        # Columns that are text in the first rows are read as categories: the parser then
        # keeps each distinct text once instead of a Python string per cell (faster, and a
        # fraction of the memory). A column whose text starts later is read as usual.
        types = _head_types(head, options)
        text = {c: "category" for c in types.columns
                if not pd.api.types.is_numeric_dtype(types[c].dtype)
                and not pd.api.types.is_bool_dtype(types[c].dtype) and types[c].notna().any()}
        if thousands == ".":  # dates like 15.03.2024 would be read as the number 15032024
            text.update(dict.fromkeys(_dotted_date_columns(head, options), "category"))
        frame = _parse_in_parts(source, dtype=text or None, **options)
    except pd.errors.EmptyDataError:
        raise DataError.from_template("{file} is empty. A CSV file needs a header row of "
                                      "column names and one row per sample.", file=fname) from None
    except pd.errors.ParserError as exc:
        raise _parser_error(fname, str(exc), sep) from None
    except UnicodeDecodeError as exc:
        raise DataError.from_template(
            "{file} mixes text encodings (a byte at position {position} is not {encoding}). "
            "Save the file again as CSV (UTF-8) and pick that file.", file=fname,
            position=exc.start, encoding=encoding) from None
    except MemoryError:
        raise DataError.from_template("{file} is too large to read into memory. Use a sample "
                                      "of the rows.", file=fname) from None
    if len(frame.columns) > MAX_COLUMNS:
        raise DataError.from_template("{file} has {count} columns; Workbench reads tables of "
                                      "up to {limit} columns.", file=fname,
                                      count=len(frame.columns), limit=MAX_COLUMNS)
    return frame


def _parse(source: bytes | Path, **options: Any) -> Any:
    import pandas as pd

    if isinstance(source, Path):
        with open(source, "rb") as fh:
            return pd.read_csv(fh, **options)
    return pd.read_csv(io.BytesIO(source), **options)


def _parse_in_parts(source: bytes | Path, **options: Any) -> Any:
    """The whole table, parsed tens of thousands of rows at a time and joined, so the parser
    never holds the fields of the whole file at once; a column whose parts came out of
    different types (numbers in one, text in another) joins as a mix, so then the file is
    parsed again in one piece, as that column is always read. The mix is seen in the result,
    not through pandas' DtypeWarning (catching warnings is not safe while another thread
    reads a table)."""
    import warnings

    import pandas as pd

    # Said by the parser about such a column; the second parse below settles it.
    warnings.filterwarnings("ignore", category=pd.errors.DtypeWarning)
    frame = _parse(source, low_memory=True, **options)
    if not any(pd.api.types.infer_dtype(frame[name], skipna=True).startswith("mixed")
               for name in frame.columns if frame[name].dtype == object):
        return frame
    del frame
    return _parse(source, low_memory=False, **options)


_EXPECTED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _head_bytes(raw: bytes) -> bytes:
    """The file's first lines (up to 256 KiB), cut at a line end so no row is broken off."""
    head = raw[:_SNIFF_BYTES * 4]
    if len(head) < len(raw):
        head = head[:head.rfind(b"\n") + 1]
    return head


# A day.month.year date (German, Russian and other exports); years of two or four digits.
_DOTTED_DATE = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})\s*$")


def _dotted_date_columns(head: bytes, options: dict[str, Any]) -> list[str]:
    """Columns whose first cells are all dates like 15.03.2024. In a file with "." as the
    thousands separator the parser drops the points and reads such a date as a number; read as
    text, the column is recognised as dates."""
    import pandas as pd

    try:
        cells = pd.read_csv(io.BytesIO(head), nrows=2000, dtype=str, **options)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return []
    found = []
    for name in cells.columns:
        present = cells[name].dropna()
        if len(present) and bool(present.str.match(_DOTTED_DATE).all()):
            found.append(name)
    return found


def _head_types(head: bytes, options: dict[str, Any]) -> Any:
    """The first rows parsed, for their column types; an empty frame if they do not parse.

    A problem in these rows (an unclosed quote running past the cut) is left for the full read
    to report where it really is.
    """
    import pandas as pd

    try:
        return pd.read_csv(io.BytesIO(head), nrows=2000, **options)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return pd.DataFrame()


def _parser_error(fname: str, text: str, sep: str) -> DataError:
    found = _EXPECTED.search(text)
    if found:
        columns, line, values = (int(v) for v in found.groups())
        names = {";": "semicolon", "\t": "tab", "|": "vertical bar"}
        if sep in names:
            return DataError.from_template(
                "{file}, line {line}: this row has {values} values but the header has "
                "{columns} columns. Give every row one value per column (look for a missing or "
                "extra {separator}).", file=fname, line=line, values=values, columns=columns,
                separator=names[sep])
        return DataError.from_template(
            "{file}, line {line}: this row has {values} values but the header has {columns} "
            "columns. Give every row one value per column (look for a missing or extra comma).",
            file=fname, line=line, values=values, columns=columns)
    if "EOF inside string" in text or "EOF while" in text:
        # pandas counts rows from 0 at the header: row r is line r + 1.
        row = re.search(r"row (\d+)", text)
        return DataError.from_template(
            "{file}, line {line}: a quote (\") in this row is never closed, so the lines after "
            "it were read as one value. Close or remove the quote.", file=fname,
            line=int(row.group(1)) + 1 if row else "?")
    return DataError.from_template("{file}: the CSV text is malformed ({reason}). Check the "
                                   "quotes and separators.", file=fname,
                                   reason=text.strip().splitlines()[-1][:200])


def _read_excel(path: Path, sheet: str, na: tuple[str, ...], header_only: bool) -> Table:
    import pandas as pd

    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = [str(s) for s in book.sheet_names]
            if sheet and sheet not in names:
                raise DataError.from_template(
                    "{file} has no sheet named {sheet!r}. Its sheets are: {sheets}.",
                    file=path.name, sheet=sheet, sheets=", ".join(names))
            frame = pd.read_excel(book, sheet_name=sheet or 0, na_values=list(na),
                                  keep_default_na=False, nrows=0 if header_only else None)
    except DataError:
        raise
    except MemoryError:
        raise DataError.from_template("{file} is too large to read into memory. Use a sample "
                                      "of the rows.", file=path.name) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
        raise DataError.from_template("{file} cannot be read as an Excel workbook ({reason}). "
                                      "Open it in a spreadsheet and save it again as .xlsx.",
                                      file=path.name, reason=_one_line(exc)) from None
    if len(frame.columns) == 0:
        raise DataError.from_template("{file} is empty. A CSV file needs a header row of "
                                      "column names and one row per sample.", file=path.name)
    return _to_table(frame, path.name, na, encoding="xlsx", separator="", decimal=".",
                     sheet=sheet or names[0])


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


def _clean_name(name: Any, position: int) -> str:
    text = "" if name is None else str(name).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    if not text or text.startswith("Unnamed: "):
        return f"column {position + 1}" if position else ""
    return text


def _check_header_row(first_line: str, columns: list[str], fname: str) -> None:
    """A first row of numbers is data without a header (except 0..n-1 / 1..n)."""
    numbers = []
    for name in columns:
        try:
            numbers.append(float(str(name)))
        except ValueError:
            return
    as_ints = [v for v in numbers if v.is_integer()]
    counting = len(as_ints) == len(columns) and (
        as_ints == list(range(len(columns))) or as_ints == list(range(1, len(columns) + 1)))
    if not counting and columns:
        raise DataError.from_template("{file}: the first line holds numbers, not column "
                                      "names. Add a header row that names each column as the "
                                      "first line.", file=fname)


_THOUSANDS = re.compile(r"^[-+]?\d{1,3}([,.' \u00a0\u202f]\d{3})+([.,]\d+)?$")


def _to_table(frame: Any, fname: str, na: tuple[str, ...], **fmt: str) -> Table:
    """Plain columns: float64 numbers, datetime64, or stripped text with None for missing."""
    # A header that names a column twice is read as pandas reads it: "a", "a.1".
    names = [_clean_name(c, i) for i, c in enumerate(frame.columns)]
    seen: set[str] = set()
    for i, name in enumerate(names):
        base, k = name, 1
        while name and name in seen:
            name = f"{base}.{k}"
            k += 1
        names[i] = name
        seen.add(name)
    na_set = set(na)
    columns: dict[str, np.ndarray | None] = {}
    codes: dict[str, tuple[np.ndarray, list[str]]] = {}
    for name, col in zip(names, frame.columns, strict=True):
        name = name or "column 1"
        columns[name], factors = _column_values(frame[col], na_set)
        if factors is not None:
            codes[name] = factors
    # Unnamed empty columns at the end: trailing separators a spreadsheet left behind.
    for name in reversed(list(columns)):
        values = columns[name]
        empty = not codes[name][1] if values is None else bool(missing_mask(values).all())
        if not (name.startswith("column ") and empty):
            break
        del columns[name]
        codes.pop(name, None)
    if frame.columns.size and not columns:
        raise DataError.from_template("{file} holds no values. A CSV file needs a header row of "
                                      "column names and one row per sample.", file=fname)
    table = Table(fname, TextColumns(columns, codes), **fmt, codes=codes)
    # Rows with no value at all (",,,," lines a spreadsheet leaves) carry nothing.
    if table.n_rows:
        empty = np.ones(table.n_rows, dtype=bool)
        # Number columns first: they are cheap to test and usually settle it at once.
        for name in sorted(columns, key=lambda n: table.kind(n) != "number"):
            empty &= table.missing(name)
            if not empty.any():
                break
        if empty.any():
            table = table.take(np.flatnonzero(~empty))
    return table


def _column_values(series: Any, na_set: set[str]
                   ) -> tuple[np.ndarray | None, tuple[np.ndarray, list[str]] | None]:
    """A column's values, or for text None (laid out on first use) and its (codes, texts)."""
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, texts = factorize(series.cat.categories, na_set)
        # The parser's code -1 (missing) maps to the missing code, like a cleaned-away text.
        lookup = np.append(codes, len(texts)).astype(code_dtype(len(texts)))
        codes = lookup[series.cat.codes.to_numpy()]
    elif pd.api.types.is_bool_dtype(series.dtype):
        series = pd.Series(np.where(series.to_numpy(dtype=bool), "True", "False"))
    elif pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan), None
    elif pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.to_numpy(dtype="datetime64[ns]"), None
    if not isinstance(series.dtype, pd.CategoricalDtype):
        codes, texts = factorize(series, na_set)
    numbers = _thousands_numbers(texts)
    if numbers is not None:
        return numbers[codes], None
    return None, (codes, texts)


def text_array(codes: np.ndarray, texts: list[str]) -> np.ndarray:
    """A text column's cells from its codes: the texts, None where missing."""
    lookup = np.empty(len(texts) + 1, dtype=object)
    lookup[:-1] = texts
    lookup[-1] = None
    return lookup[codes]


def text_values(series: Any, na_set: set[str] | frozenset[str]) -> np.ndarray:
    """A text column as an object array of stripped strings, None where missing.

    Each distinct value is cleaned once (pandas' hash factorisation), not every cell: a
    200,000-row column of a few categories costs a few milliseconds.
    """
    codes, texts = factorize(series, na_set)
    lookup = np.empty(len(texts) + 1, dtype=object)
    lookup[:-1] = texts
    lookup[-1] = None
    return lookup[codes]


def category_texts(values: np.ndarray) -> np.ndarray:
    """Any column as category texts (numbers without ".0", dates as text), None where missing."""
    if values.dtype.kind == "f":
        out = np.empty(len(values), dtype=object)
        whole = np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 2**53)
        out[whole] = values[whole].astype(np.int64).astype(str)
        rest = ~whole & ~np.isnan(values)
        out[rest] = [repr(float(v)) for v in values[rest]]
        out[np.isnan(values)] = None
        return out
    if values.dtype.kind == "M":
        return np.array([None if np.isnat(v) else str(v)[:19].replace("T", " ")
                         for v in values], dtype=object)
    return values


def factorize(values: Any, na_set: set[str] | frozenset[str]) -> tuple[np.ndarray, list[str]]:
    """(codes, distinct texts): code ``len(texts)`` marks a missing cell."""
    import pandas as pd

    raw_codes, raw_uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    texts: list[str] = []
    index: dict[str, int] = {}
    remap = np.empty(len(raw_uniques) + 1, dtype=np.int64)
    for i, value in enumerate(raw_uniques):
        text = value.strip() if isinstance(value, str) else as_text(value, na_set)
        if text is None or text in na_set:
            remap[i] = -1
            continue
        remap[i] = index.setdefault(text, len(index))
        if remap[i] == len(texts):
            texts.append(text)
    remap[-1] = -1  # pandas' missing sentinel (-1) indexes the last entry
    remap[remap < 0] = len(texts)
    return remap.astype(code_dtype(len(texts)))[raw_codes], texts


def code_dtype(n_texts: int) -> type[np.signedinteger]:
    """The smallest integer type for codes 0..n_texts (a byte per cell for most columns)."""
    for kind in (np.int8, np.int16, np.int32):
        if n_texts < np.iinfo(kind).max:
            return kind
    return np.int64


def as_text(value: Any, na_set: set[str] | frozenset[str] = frozenset(NA_TOKENS)) -> str | None:
    """One cell as the text a category is matched by; None when it is missing."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers
        return None
    text = str(value).strip()
    return None if text in na_set else text


def _thousands_numbers(texts: list[str]) -> np.ndarray | None:
    """Text like 1,234,567 or 1 234,5 in every cell: the number of each distinct text, NaN
    last (the missing code); else None. Each distinct text is parsed once."""
    if not texts:
        return None
    out = np.full(len(texts) + 1, np.nan)
    for i, text in enumerate(texts):
        number = _parse_grouped(text)
        if number is None:
            return None
        out[i] = number
    return out


def _parse_grouped(text: str) -> float | None:
    m = _THOUSANDS.match(text)
    if not m:
        return None
    group = m.group(1)[0]
    body = text.replace(group, "")
    if group == "." or group != ",":
        body = body.replace(",", ".")
    try:
        return float(body)
    except ValueError:
        return None


def missing_mask(values: np.ndarray) -> np.ndarray:
    """True where a column has no value."""
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "M":
        return np.isnat(values)
    import pandas as pd

    return np.asarray(pd.isna(values), dtype=bool)


# -- column roles -------------------------------------------------------------------------

# A text column is a category when it has at most this many distinct values and they repeat
# (at most half as many distinct values as filled cells); more than that is free text.
MAX_INFERRED_CATEGORIES = 1000
# A numeric target with whole-number values only and at most this many distinct values is read
# as class labels (ratings, counts of classes); --task / the window's Task choice overrides it.
MAX_NUMERIC_CLASSES = 10
_ID_NAME = re.compile(r"(^|[_\s.-])(id|ids|key|index|idx|no|nr|number|uuid|guid)$|^(id|row|#)",
                      re.IGNORECASE)
_DATE_TEXT = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
    r"|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?$"
    r"|^\d{4}/\d{1,2}/\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?$")


@dataclass(frozen=True)
class ColumnInfo:
    """One column as the window's column table and ``train`` show it."""

    name: str
    role: Role
    inferred: Role  # what Workbench would choose on its own
    reason: str  # why, in a few words (English; the window translates the fixed phrases)
    missing: int
    distinct: int
    examples: tuple[str, ...]
    kind: str  # "number", "text", "datetime"


@dataclass(frozen=True)
class RoleOverrides:
    """What a person said about columns: by name; later keys win (ignore last)."""

    categorical: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def role_for(self, name: str) -> Role | None:
        if name in self.ignore:
            return Role.IGNORED
        if name in self.date:
            return Role.DATE
        if name in self.numeric:
            return Role.NUMERIC
        if name in self.categorical:
            return Role.CATEGORICAL
        return None

    def names(self) -> set[str]:
        return {*self.categorical, *self.numeric, *self.date, *self.ignore}


def describe_columns(table: Table, target: str, overrides: RoleOverrides = RoleOverrides()
                     ) -> list[ColumnInfo]:
    """Every column with its role (the person's choice over the inferred one) and counts."""
    unknown = sorted(overrides.names() - set(table.names))
    if unknown:
        raise DataError.from_template("{file} has no column named {names}. The columns are: "
                                      "{columns}.", file=table.name,
                                      names=", ".join(repr(n) for n in unknown),
                                      columns=", ".join(table.names))
    out = []
    for position, name in enumerate(table.names):
        kind = table.kind(name)
        missing = table.missing(name)
        n = int(missing.size - np.count_nonzero(missing))
        if kind == "number":
            summary = _number_summary(table.columns[name][~missing])
            k, first = summary.distinct, summary.first
        else:
            distinct_values = table.distinct(name)
            k, first = len(distinct_values), distinct_values[:3]
            summary = _NumberSummary(k, first)
        if name == target:
            inferred, reason = Role.TARGET, "the target"
        elif kind == "text":
            inferred, reason = _infer_text_role(name, position, distinct_values, n)
        else:
            inferred, reason = _infer_role(name, position, summary, table.n_rows, kind, n)
        chosen = Role.TARGET if name == target else (overrides.role_for(name) or inferred)
        if chosen != inferred and name != target:
            reason = "chosen by you"
        examples = tuple(_example_text(v) for v in first)
        out.append(ColumnInfo(name, chosen, inferred, reason, missing.size - n, k, examples,
                              kind))
    return out


@dataclass(frozen=True)
class _NumberSummary:
    """What role inference needs of a column's present values."""

    distinct: int
    first: list[Any]  # the first three distinct values, in order of appearance
    whole: bool = False  # every value a whole number
    span: float = math.nan  # largest minus smallest value


def _number_summary(present: np.ndarray) -> _NumberSummary:
    """Distinct count, first distinct values, whole-ness and span of present numbers.

    Counted without a list of every distinct value: whole numbers in a range about as wide as
    the column by counting per value (ids, ages, counts), other numbers on a sorted copy (a
    vectorised sort, and a fraction of a hash table's memory).
    """
    import pandas as pd

    n = len(present)
    if n == 0:
        return _NumberSummary(0, [])
    whole = bool(np.all(present == np.round(present)))
    low, high = float(present.min()), float(present.max())
    span = high - low
    if whole and span <= n + 1024 and max(abs(low), abs(high)) < 2**53:
        k = int(np.count_nonzero(np.bincount((present - low).astype(np.int64))))
    else:
        ordered = np.sort(present)
        k = 1 + int(np.count_nonzero(ordered[1:] != ordered[:-1]))
    head = 64
    first = pd.unique(present[:head])
    while len(first) < min(3, k):
        head *= 16
        first = pd.unique(present[:head])
    return _NumberSummary(k, list(first[:3]), whole, span)


def _example_text(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return as_text(float(v)) or ""
    if isinstance(v, np.datetime64):
        return str(v)[:19].replace("T", " ")
    return str(v)[:40]


def _plain_role(name: str, position: int, k: int, n: int) -> tuple[Role, str] | None:
    """The roles any column can have whatever its cells hold (``k`` distinct values of ``n``),
    or None."""
    if n == 0:
        return Role.CONSTANT, "no values"
    if k == 1:
        return Role.CONSTANT, "one value only"
    if position == 0 and name in ("", "column 1"):
        return Role.IDENTIFIER, "an unnamed first column (row numbers)"
    return None


def _infer_role(name: str, position: int, summary: _NumberSummary, n_rows: int, kind: str,
                n: int) -> tuple[Role, str]:
    """A number or date column's role; ``n``: cells with a value."""
    k = summary.distinct
    plain = _plain_role(name, position, k, n)
    if plain is not None:
        return plain
    if kind == "datetime":
        return Role.DATE, "dates"
    if summary.whole and k == n == n_rows and n >= 10:
        # n different whole numbers from the smallest to the largest: 1, 2, ..., n.
        if summary.span == n - 1:
            return Role.IDENTIFIER, "a row counter (1, 2, 3, ...)"
        if _ID_NAME.search(name):
            return Role.IDENTIFIER, "a different whole number in every row, named as an id"
    return Role.NUMERIC, "numbers"


def _infer_text_role(name: str, position: int, distinct: list[str], n: int
                     ) -> tuple[Role, str]:
    """A text column's role from its distinct texts; ``n``: cells with a value."""
    k = len(distinct)
    plain = _plain_role(name, position, k, n)
    if plain is not None:
        return plain
    sample = distinct[:2000]
    if sum(1 for v in sample if _DATE_TEXT.match(v)) >= 0.9 * len(sample) \
            and date_format(list(sample)) is not None:
        return Role.DATE, "dates"
    if k == n and n >= 10:
        if any(" " in v for v in sample[:200]) or np.mean([len(v) for v in sample]) > 40:
            return Role.TEXT, "free text: a different value in every row"
        return Role.IDENTIFIER, "a different value in every row"
    if k <= MAX_INFERRED_CATEGORIES and k <= max(0.5 * n, 2):
        return Role.CATEGORICAL, "text with repeating values"
    return Role.TEXT, "free text: mostly different values"


# Date formats a column may be read with (a model file may name only these).
DATE_FORMATS = ("ISO8601", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y",
                "%Y/%m/%d", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M",
                "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%d/%m/%y", "%m/%d/%y", "%d.%m.%y")


def date_format(sample: list[str]) -> str | None:
    """The first of ``DATE_FORMATS`` that reads at least 95 % of ``sample``; None if none."""
    import pandas as pd

    values = [v for v in sample if v is not None][:500]
    if not values:
        return None
    for fmt in DATE_FORMATS:
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format=fmt, errors="coerce")
        if parsed.notna().mean() >= 0.95:
            return fmt
    return None


def parse_dates(values: np.ndarray, fmt: str) -> np.ndarray:
    """Text or datetime64 values as datetime64[ns]; NaT where missing or unreadable."""
    import pandas as pd

    if values.dtype.kind == "M":
        return values.astype("datetime64[ns]")
    if values.dtype.kind == "f":
        return np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    if fmt not in DATE_FORMATS:
        raise DataError.from_template("The date format {format!r} is not one Workbench knows.",
                                      format=fmt)
    cells = pd.Series(values, dtype=object)
    parsed = pd.to_datetime(cells, format=fmt, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    out = parsed.to_numpy(dtype="datetime64[ns]")
    if fmt != "ISO8601":
        _read_iso_dates(cells, out)
    return out


# A date, or a date and time, written as ISO 8601 (2024-03-15, 2024-03-15 09:30:00).
_ISO_DATE = r"^\s*\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$"


def _read_iso_dates(cells: Any, out: np.ndarray) -> None:
    """Cells the column's own format did not read but that are ISO dates, read as such into
    ``out``: ISO is unambiguous, and a file saved again by another program often switches to
    it (a model trained on 15/03/2024 then predicts on 2024-03-15)."""
    import pandas as pd

    missed = np.isnat(out) & cells.notna().to_numpy()
    if not missed.any():
        return
    texts = cells[missed].astype(str)
    iso = texts.str.match(_ISO_DATE).to_numpy()
    if not iso.any():
        return
    where = np.flatnonzero(missed)[iso]
    read = pd.to_datetime(texts[iso].str.strip(), format="ISO8601", errors="coerce")
    out[where] = read.to_numpy(dtype="datetime64[ns]")


__all__ = [
    "CHOOSABLE_ROLES", "DATE_FORMATS", "MAX_NUMERIC_CLASSES", "NA_TOKENS", "ColumnInfo", "Role",
    "RoleOverrides", "Table", "as_text", "date_format", "describe_columns", "detect_encoding",
    "missing_mask", "parse_dates", "read_header", "read_table", "sniff_format",
]
