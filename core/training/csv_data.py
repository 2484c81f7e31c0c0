"""A CSV file of the learner's own as training data: its header, its rows, checked.

Qt-free and torch-free: the lab's dialog previews a file with ``preview_csv``; the
training thread loads the columns chosen with ``load_csv`` into NumPy arrays. Every
bad value is named by its row (the file's line number) and its column. A file is
read up to ``MAX_BYTES`` and ``MAX_ROWS``: a bigger one is cut there and the data
says what it kept, so a load never takes more than a moment.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograd_playground.core.i18n.catalog import Message
from autograd_playground.core.i18n.localized_error import LocalizedError
from autograd_playground.core.training.csv_setup import (
    AUTO,
    CLASSIFICATION,
    REGRESSION,
    CsvSetup,
)

MAX_BYTES = 32 * 1024 * 1024
MAX_ROWS = 100_000
PREVIEW_BYTES = 1024 * 1024
PREVIEW_ROWS = 8
# A target of whole numbers with this few values is taken for class labels.
AUTO_CLASSES = 10
MAX_CLASSES = 50
_PARSE_CHUNK = 2048  # rows NumPy parses at a time


class CsvError(LocalizedError):
    """A CSV file that cannot be used; the message names the file, row and column."""


@dataclass
class CsvPreview:
    """A file's columns and its first rows, as text, for choosing columns."""

    columns: list[str]
    rows: list[list[str]]


@dataclass
class CsvData:
    """The chosen columns of a file as numbers: features (rows × columns, float64) and
    the target (float64 values, or class indices into ``classes``)."""

    features: np.ndarray
    target: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    classes: tuple[str, ...] | None = None  # None: a regression target
    note: Message | None = None  # what of a big file was left out

    @property
    def kind(self) -> str:
        return REGRESSION if self.classes is None else CLASSIFICATION


def preview_csv(path: str | Path, rows: int = PREVIEW_ROWS) -> CsvPreview:
    """The header and first ``rows`` rows of ``path``, read from its first bytes only."""
    path = Path(path)
    text, _ = _read_text(path, PREVIEW_BYTES)
    lines = _rows(text, path.name)
    _, header = _header(lines, path.name)
    first = []
    for _, row in lines:
        if len(first) == rows:
            break
        first.append(row)
    if not first:
        raise _no_rows(path.name)
    return CsvPreview(header, first)


def load_csv(setup: CsvSetup, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> CsvData:
    """The columns ``setup`` chooses, as numbers; raise CsvError naming what is wrong."""
    path = Path(setup.path)
    name = path.name
    text, cut = _read_text(path, max_bytes)
    lines = _rows(text, name)
    _, header = _header(lines, name)
    feature_at, target_at = _column_indices(header, setup, name)
    # The cells in one flat list of strings: a list a row would give the garbage
    # collector a hundred thousand objects to walk, its pauses holding the GIL.
    cells: list[str] = []
    labels: list[str] = []
    line_numbers: list[int] = []
    more = False
    for line, row in lines:
        if len(line_numbers) == max_rows:
            more = True
            break
        if len(row) != len(header):
            raise CsvError(
                Message(
                    "{name}, row {row}: it has {count} values, but the header names {columns}.",
                    name=name,
                    row=line,
                    count=len(row),
                    columns=len(header),
                )
            )
        cells.extend([row[at] for at in feature_at])
        labels.append(row[target_at].strip())
        line_numbers.append(line)
    if not line_numbers:
        raise _no_rows(name)
    target, classes = _target(labels, line_numbers, setup, name)
    return CsvData(
        features=_feature_matrix(cells, line_numbers, setup.features, name),
        target=target,
        feature_names=tuple(setup.features),
        target_name=setup.target,
        classes=classes,
        note=_kept_note(name, len(line_numbers), more, cut, max_rows, max_bytes),
    )


# -- reading -----------------------------------------------------------------------------------
def _read_text(path: Path, max_bytes: int) -> tuple[str, bool]:
    """The text of ``path``'s first ``max_bytes`` (up to a line's end) and whether it was cut."""
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            # A pipe or a device would wait for data that may never come.
            raise CsvError(Message("Could not open {name}: it is not a file.", name=path.name))
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise CsvError(
            Message("Could not open {name}: {reason}.", name=path.name, reason=_os_reason(exc))
        ) from None
    cut = len(data) > max_bytes
    if cut:
        end = data.rfind(b"\n", 0, max_bytes)
        if end < 0:  # not one whole line in the bytes read: no table to show
            raise CsvError(
                Message(
                    "{name}: its first line is longer than {kilobytes:,} KB; a CSV "
                    "file's lines are rows of a table.",
                    name=path.name,
                    kilobytes=max_bytes // 1024,
                )
            )
        data = data[: end + 1]
    if b"\x00" in data:
        raise CsvError(Message("{name} looks like a binary file, not CSV text.", name=path.name))
    try:
        return data.decode("utf-8-sig"), cut
    except UnicodeDecodeError as exc:
        raise CsvError(
            Message(
                "{name} is not UTF-8 text (row {row} holds the byte {byte}): save it "
                "as CSV in UTF-8.",
                name=path.name,
                row=data.count(b"\n", 0, exc.start) + 1,
                byte=f"0x{data[exc.start]:02x}",
            )
        ) from None


def _os_reason(exc: OSError) -> Message | str:
    if isinstance(exc, FileNotFoundError):
        return Message("it does not exist")
    if isinstance(exc, IsADirectoryError):
        return Message("it is a folder, not a file")
    if isinstance(exc, PermissionError):
        return Message("permission denied")
    return (exc.strerror or type(exc).__name__).lower()


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The file's separator: a comma, a semicolon or a tab, as its first lines show."""
    try:
        return csv.Sniffer().sniff(text[:16384], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """Each row that holds anything, with the file line it ends on."""
    reader = csv.reader(io.StringIO(text), _dialect(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvError(
                Message(
                    "{name}, row {row}: {reason}.", name=name, row=reader.line_num, reason=str(exc)
                )
            ) from None
        if any(cell.strip() for cell in row):
            yield reader.line_num, row


def _header(lines: Iterator[tuple[int, list[str]]], name: str) -> tuple[int, list[str]]:
    """The header row's line and its column names; a blank name becomes "column N"."""
    try:
        line, row = next(lines)
    except StopIteration:
        raise CsvError(
            Message("{name} is empty: there is no header or data in it.", name=name)
        ) from None
    header = [cell.strip() or f"column {index + 1}" for index, cell in enumerate(row)]
    seen: dict[str, int] = {}
    for index, column in enumerate(header):
        if column in seen:
            raise CsvError(
                Message(
                    "{name}: the header names the column {column!r} twice "
                    "(columns {first} and {second}).",
                    name=name,
                    column=column,
                    first=seen[column] + 1,
                    second=index + 1,
                )
            )
        seen[column] = index
    return line, header


def _no_rows(name: str) -> CsvError:
    return CsvError(Message("{name} has a header but no rows of data.", name=name))


def _column_indices(header: list[str], setup: CsvSetup, name: str) -> tuple[list[int], int]:
    """Where the chosen feature and target columns are in ``header``."""
    if not setup.features:
        raise CsvError(Message("Choose at least one feature column."))
    if setup.target in setup.features:
        raise CsvError(
            Message(
                "The column {column!r} cannot be both a feature and the target.",
                column=setup.target,
            )
        )
    for column in (*setup.features, setup.target):
        if column not in header:
            raise CsvError(
                Message(
                    "{name} has no column {column!r} (its columns: {columns}).",
                    name=name,
                    column=column,
                    columns=", ".join(header),
                )
            )
    return [header.index(column) for column in setup.features], header.index(setup.target)


# -- values ------------------------------------------------------------------------------------
def _number(text: str, line: int, column: str, name: str) -> float:
    """``text`` as a finite number, or a CsvError naming its row and column."""
    value = _float_or_none(text)
    if value is not None and math.isfinite(value):
        return value
    if not text.strip():
        reason = Message("the value is empty")
    elif value is None:
        reason = Message("{value!r} is not a number", value=text.strip())
    else:
        reason = Message("{value!r} is not a finite number", value=text.strip())
    raise CsvError(
        Message(
            "{name}, row {row}, column {column!r}: {reason}.",
            name=name,
            row=line,
            column=column,
            reason=reason,
        )
    )


def _feature_matrix(
    cells: list[str], lines: list[int], columns: Sequence[str], name: str
) -> np.ndarray:
    """The feature ``cells`` (row by row) as finite numbers, rows × columns, or a
    CsvError naming the first bad one in the file's order."""
    width = len(columns)
    step = _PARSE_CHUNK * width
    try:
        # NumPy parses them far faster; in chunks, for a parse holds the GIL throughout,
        # and the window shares it with the training thread that loads the file.
        chunks = [
            np.asarray(cells[start : start + step], dtype=np.float64)
            for start in range(0, len(cells), step)
        ]
        values = np.concatenate(chunks)
    except ValueError:
        values = None
    if values is None or not np.isfinite(values).all():
        # One by one, to name the first bad one (or take what Python reads and NumPy not).
        values = np.asarray(
            [
                _number(text, lines[index // width], columns[index % width], name)
                for index, text in enumerate(cells)
            ],
            dtype=np.float64,
        )
    return values.reshape(len(lines), width)


def _float_or_none(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _target(
    labels: list[str], lines: list[int], setup: CsvSetup, name: str
) -> tuple[np.ndarray, tuple[str, ...] | None]:
    """The target as numbers to fit, or as class indices, as ``setup.kind`` asks."""
    column = setup.target
    if setup.kind == REGRESSION:
        rows = zip(labels, lines, strict=True)
        values = [_number(text, line, column, name) for text, line in rows]
        return np.asarray(values, dtype=np.float64), None
    numbers = [_float_or_none(text) for text in labels]
    numeric = all(value is not None and math.isfinite(value) for value in numbers)
    distinct = set(labels)
    if setup.kind == AUTO:
        whole = numeric and all(float(value).is_integer() for value in numbers)
        if numeric and not (whole and len(set(numbers)) <= AUTO_CLASSES):
            return np.asarray(numbers, dtype=np.float64), None
        if not numeric and len(distinct) > MAX_CLASSES:
            # Mostly numbers with a bad value is a regression target with a typo.
            at = next(
                i for i, value in enumerate(numbers) if value is None or not math.isfinite(value)
            )
            _number(labels[at], lines[at], column, name)
    return _classes(labels, lines, numbers if numeric else None, column, name)


def _classes(
    labels: list[str],
    lines: list[int],
    numbers: Sequence[float | None] | None,
    column: str,
    name: str,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Each row's class index and the classes' labels, numbers in numeric order."""
    for label, line in zip(labels, lines, strict=True):
        if not label:
            raise CsvError(
                Message(
                    "{name}, row {row}, column {column!r}: the label is empty.",
                    name=name,
                    row=line,
                    column=column,
                )
            )
    if numbers is not None:  # "1" and "1.0" are one class, named as a number
        labels = [f"{value:g}" for value in numbers]
        classes = tuple(f"{value:g}" for value in sorted(set(numbers)))
    else:
        classes = tuple(sorted(set(labels)))
    if not 2 <= len(classes) <= MAX_CLASSES:
        raise CsvError(
            Message(
                "The target column {column!r} holds {count} different labels: a "
                "classification needs from 2 to {most}.",
                column=column,
                count=len(classes),
                most=MAX_CLASSES,
            )
        )
    index = {label: position for position, label in enumerate(classes)}
    return np.asarray([index[label] for label in labels], dtype=np.int64), classes


def _kept_note(
    name: str, rows: int, more: bool, cut: bool, max_rows: int, max_bytes: int
) -> Message | None:
    """What a big file's load kept, or None where it kept the whole file."""
    if more:
        return Message(
            "{name} has more than {most:,} rows: the lab trains on the first {most:,}.",
            name=name,
            most=max_rows,
        )
    if cut:
        return Message(
            "{name} is larger than {megabytes:g} MB: the lab trains on its first "
            "{rows:,} rows, read from its first {megabytes:g} MB.",
            name=name,
            megabytes=max_bytes / (1024 * 1024),
            rows=rows,
        )
    return None
