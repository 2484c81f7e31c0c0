"""The variables pane: the tensors in the namespace, one row each."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from autograd_playground.core.graph.tensor_text import shape_text
from autograd_playground.core.playground import VariableInfo
from autograd_playground.gui.ui_text import tr


def columns() -> list[str]:
    """Return the column headers; PyTorch's own attribute names stay as they are."""
    return [
        tr("name"),
        tr("shape"),
        "dtype",
        tr("device"),
        "requires_grad",
        "grad",
    ]


class VariablesPanel(QTableWidget):
    """Lists tensors; clicking a row asks for that variable to be shown."""

    variable_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        headers = columns()
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        # Every column as wide as its contents; a stretched last column keeps the
        # width it had when made, wider than its contents, and is cut off first.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.itemClicked.connect(self._on_item_clicked)
        self._rows: list[tuple[str, ...]] = []

    def show_variables(self, variables: list[VariableInfo]) -> None:
        """Replace the rows with ``variables``."""
        yes, no, scalar = tr("yes"), tr("no"), tr("scalar")
        rows = [
            (
                info.name,
                shape_text(info.shape, scalar),
                info.dtype,
                info.device,
                yes if info.requires_grad else no,
                yes if info.has_grad else "—",
            )
            for info in variables
        ]
        if rows == self._rows:
            # Re-running a cell mostly leaves its variables as they were; new items
            # would make the table measure and repaint every cell for nothing.
            return
        self._rows = rows
        self.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, column, item)

    def full_width(self) -> int:
        """Return the width that shows every column whole, headers included."""
        header = self.horizontalHeader()
        columns = sum(
            max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
            for column in range(self.columnCount())
        )
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return columns + 2 * self.frameWidth() + scroll_bar

    def names(self) -> list[str]:
        return [self.item(row, 0).text() for row in range(self.rowCount())]

    def _on_item_clicked(self, item: QTableWidgetItem) -> None:
        self.variable_selected.emit(self.item(item.row(), 0).text())
