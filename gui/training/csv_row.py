"""The CSV task's line in the lab's settings: the button that opens the chooser, and
the file and columns chosen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from autograd_playground.core.training.csv_setup import CsvSetup
from autograd_playground.gui.ui_text import tr


class CsvChoiceRow(QWidget):
    """Data… and what it chose; ``setup`` is None until a file is chosen."""

    changed = Signal()  # the setup changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setup: CsvSetup | None = None
        self.button = QPushButton(tr("Data…"))
        self.button.setToolTip(tr("Choose a CSV file and its feature and target columns"))
        self.label = QLabel()
        self.label.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.button)
        row.addWidget(self.label, 1)
        self._show_setup()

    def set_setup(self, setup: CsvSetup | None) -> None:
        """Train the CSV task on ``setup`` (None: no file chosen yet)."""
        self.setup = setup
        self._show_setup()
        self.changed.emit()

    def _show_setup(self) -> None:
        setup = self.setup
        if setup is None:
            self.label.setText(tr("No file chosen yet."))
            self.label.setToolTip("")
            return
        self.label.setText(
            tr(
                "{file}: {features} → {target}",
                file=Path(setup.path).name,
                features=", ".join(setup.features),
                target=setup.target,
            )
        )
        self.label.setToolTip(setup.path)
