"""A read-only table of numbers in a monospace font, with rows that disagree in the theme's red.

A model over a numpy array rather than a QTableWidget, so a Jacobian of a
million entries scrolls as smoothly as a 3 × 3 one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

_Index = QModelIndex | QPersistentModelIndex


def format_number(value: float, digits: int = 6) -> str:
    """Return ``value`` with ``digits`` significant digits; blank for NaN."""
    if np.isnan(value):
        return ""
    return f"{value:.{digits}g}"


def monospace_like(font: QFont) -> QFont:
    """Return ``font`` (its size) in the system's monospace family."""
    mono = QFont(font)
    mono.setFamilies(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families())
    mono.setStyleHint(QFont.StyleHint.Monospace)
    return mono


class NumberTableModel(QAbstractTableModel):
    """Rows of numbers with labels; each column has its own number of significant digits."""

    def __init__(self) -> None:
        super().__init__()
        self._values = np.zeros((0, 0))
        self._rows: Sequence[str] = ()
        self._columns: Sequence[str] = ()
        self._digits: Sequence[int] = ()
        self._bad = np.zeros(0, dtype=bool)
        self.set_font_size_of(QFont())  # the view gives its own
        self._red: QBrush | None = None  # until the theme gives its colour

    def set_numbers(
        self,
        values: np.ndarray,
        row_labels: Sequence[str],
        column_labels: Sequence[str],
        bad_rows: np.ndarray | None = None,
        digits: Sequence[int] | None = None,
    ) -> None:
        """Show ``values`` (rows × columns); rows where ``bad_rows`` is True are red."""
        self.beginResetModel()
        self._rows, self._columns = tuple(row_labels), tuple(column_labels)
        shape = (len(self._rows), len(self._columns))
        self._values = np.asarray(values, dtype=np.float64).reshape(shape)
        self._digits = tuple(digits) if digits else (6,) * len(self._columns)
        self._bad = np.zeros(len(self._rows), dtype=bool) if bad_rows is None else bad_rows
        self.endResetModel()

    def set_font_size_of(self, font: QFont) -> None:
        """Draw the numbers and row labels in monospace at ``font``'s size (the view's)."""
        self._font = monospace_like(font)
        # Bold as well as red: a row that disagrees stands out to a reader who cannot
        # tell the theme's red from its text colour.
        self._bold = monospace_like(font)
        self._bold.setBold(True)
        if self._rows:
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, len(self._rows) - 1)
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def set_mismatch_color(self, color: str) -> None:
        """Draw the rows that disagree in ``color`` (the theme's error colour)."""
        self._red = QBrush(QColor(color))
        if self._bad.any():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, self.rowCount() - 1)

    def value(self, row: int, column: int) -> float:
        return float(self._values[row, column])

    def is_bad(self, row: int) -> bool:
        return bool(self._bad[row])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return format_number(self._values[row, column], self._digits[column])
        if role == Qt.ItemDataRole.ToolTipRole:
            return repr(float(self._values[row, column]))
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if self._bad[row] else self._font
        if role == Qt.ItemDataRole.ForegroundRole and self._bad[row] and self._red is not None:
            return self._red
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        labels = self._columns if orientation == Qt.Orientation.Horizontal else self._rows
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(labels):
            return labels[section]
        if role == Qt.ItemDataRole.FontRole and orientation == Qt.Orientation.Vertical:
            bad = 0 <= section < len(self._bad) and self._bad[section]
            return self._bold if bad else self._font
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and orientation == Qt.Orientation.Vertical
            and 0 <= section < len(self._bad)
            and self._bad[section]
            and self._red is not None
        ):
            return self._red
        return None


class NumberTable(QTableView):
    """A QTableView on a NumberTableModel, sized to its numbers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.numbers = NumberTableModel()
        self.numbers.set_font_size_of(self.font())
        self.setModel(self.numbers)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def set_numbers(self, *args, **kwargs) -> None:
        """Show new numbers (see NumberTableModel.set_numbers) and fit small tables' columns."""
        self.numbers.set_numbers(*args, **kwargs)
        self._fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            # Presentation mode's larger font: the numbers and row labels take its
            # size, and columns fitted to the smaller one would cut them short. Under
            # a style sheet (High contrast) the headers take the new font only when
            # polished again, after this: fitted once more, then.
            self.numbers.set_font_size_of(self.font())
            self._fit_columns()
            QTimer.singleShot(0, self._fit_columns)

    def _fit_columns(self) -> None:
        if self.numbers.rowCount() * self.numbers.columnCount() <= 2_000:
            self.resizeColumnsToContents()
