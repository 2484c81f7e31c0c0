"""The CSV task's chooser: a file, a preview of its first rows, its feature and target columns.

The preview reads only the file's first bytes (core's ``preview_csv``), so choosing
a huge file never freezes the window; the whole file is read on the training thread
when the run starts, and any bad value further down is named there.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.i18n.catalog import DEFAULT_LANGUAGE
from autograd_playground.core.training.csv_data import CsvError, CsvPreview, preview_csv
from autograd_playground.core.training.csv_setup import (
    AUTO,
    CLASSIFICATION,
    LINEAR,
    MLP,
    REGRESSION,
    CsvSetup,
)
from autograd_playground.gui.appearance.themes import set_text_role
from autograd_playground.gui.ui_text import tr, ui_language


def _kind_names() -> dict[str, str]:
    return {
        AUTO: tr("decide from its values"),
        REGRESSION: tr("numbers to fit (regression)"),
        CLASSIFICATION: tr("labels to tell apart (classes)"),
    }


def _model_names() -> dict[str, str]:
    return {LINEAR: tr("linear"), MLP: tr("MLP (one hidden layer of 16, tanh)")}


class CsvDialog(QDialog):
    """Choose a CSV file and its columns; ``setup()`` is the choice once accepted."""

    def __init__(self, setup: CsvSetup | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Your data (CSV)"))
        self._preview: CsvPreview | None = None
        self._build()
        if setup is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(setup.kind))
            self.model_combo.setCurrentIndex(self.model_combo.findData(setup.model))
            self.load_path(setup.path, setup)
        self._update_ok()

    def _build(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.browse_button = QPushButton(tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_text_role(self.problem, "error")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.feature_list = QListWidget()
        self.feature_list.itemChanged.connect(self._update_ok)
        self.target_combo = QComboBox()
        self.target_combo.currentIndexChanged.connect(self._on_target_chosen)
        self.kind_combo = _combo(_kind_names())
        self.model_combo = _combo(_model_names())
        form = QFormLayout()
        form.addRow(tr("Feature columns"), self.feature_list)
        form.addRow(tr("Target column"), self.target_combo)
        form.addRow(tr("The target holds"), self.kind_combo)
        form.addRow(tr("Model"), self.model_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        if ui_language() != DEFAULT_LANGUAGE:
            # Qt names its standard buttons in English unless its own translations are loaded.
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("OK"))
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(path_row)
        layout.addWidget(self.problem)
        layout.addWidget(QLabel(tr("The first rows:")))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open a CSV file"), self.path_edit.text(), tr("CSV files (*.csv *.tsv *.txt)")
        )
        if path:
            self.load_path(path)

    def load_path(self, path: str, setup: CsvSetup | None = None) -> bool:
        """Preview ``path`` and offer its columns, ``setup``'s chosen; False (the
        reason shown) where the file cannot be used."""
        self.path_edit.setText(path)
        try:
            preview = preview_csv(path)
        except CsvError as exc:
            self._preview = None
            self.problem.setText(exc.message_in(ui_language()))
            self._fill_columns([], [], "")
            self._fill_table(CsvPreview([], []))
            self._update_ok()
            return False
        self._preview = preview
        self.problem.clear()
        self._fill_table(preview)
        if setup is None or not {*setup.features, setup.target} <= set(preview.columns):
            features, target = _guess_columns(preview)
        else:
            features, target = list(setup.features), setup.target
        self._fill_columns(preview.columns, features, target)
        self._update_ok()
        return True

    def _fill_table(self, preview: CsvPreview) -> None:
        self.table.clear()
        self.table.setColumnCount(len(preview.columns))
        self.table.setRowCount(len(preview.rows))
        self.table.setHorizontalHeaderLabels(preview.columns)
        for row, values in enumerate(preview.rows):
            for column, value in enumerate(values[: len(preview.columns)]):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def _fill_columns(self, columns: list[str], features: list[str], target: str) -> None:
        self.feature_list.blockSignals(True)
        self.feature_list.clear()
        for column in columns:
            item = QListWidgetItem(column)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = column in features
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.feature_list.addItem(item)
        self.feature_list.blockSignals(False)
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        self.target_combo.addItems(columns)
        self.target_combo.setCurrentIndex(max(0, self.target_combo.findText(target)))
        self.target_combo.blockSignals(False)
        self._on_target_chosen()

    def _on_target_chosen(self, _index: int = 0) -> None:
        """The target cannot be a feature too: its feature box is cleared and locked."""
        target = self.target_combo.currentText()
        self.feature_list.blockSignals(True)
        for row in range(self.feature_list.count()):
            item = self.feature_list.item(row)
            flags = item.flags() | Qt.ItemFlag.ItemIsEnabled
            if item.text() == target:
                item.setCheckState(Qt.CheckState.Unchecked)
                flags &= ~Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags)
        self.feature_list.blockSignals(False)
        self._update_ok()

    def chosen_features(self) -> list[str]:
        """The feature columns checked, in the file's order."""
        items = (self.feature_list.item(row) for row in range(self.feature_list.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def setup(self) -> CsvSetup | None:
        """The choice as shown; None while no file or no feature is chosen."""
        features = self.chosen_features()
        if self._preview is None or not features:
            return None
        return CsvSetup(
            path=self.path_edit.text(),
            features=tuple(features),
            target=self.target_combo.currentText(),
            kind=self.kind_combo.currentData(),
            model=self.model_combo.currentData(),
        )

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.setup() is not None)


def _combo(names: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for key, name in names.items():
        combo.addItem(name, key)
    return combo


def _guess_columns(preview: CsvPreview) -> tuple[list[str], str]:
    """A first choice for a new file: the last column as the target, and as features
    every other column whose first rows are all numbers."""
    columns = preview.columns
    target = columns[-1]

    def numeric(index: int) -> bool:
        for row in preview.rows:
            try:
                float(row[index])
            except (ValueError, IndexError):
                return False
        return True

    features = [column for index, column in enumerate(columns[:-1]) if numeric(index)]
    return features, target
