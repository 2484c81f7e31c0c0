"""Choose a root (a tensor with a grad_fn) and a leaf it depends on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from autograd_playground.core.graph.tensor_text import dims_text
from autograd_playground.gui.ui_text import tr

if TYPE_CHECKING:  # it imports torch, which loads in the background
    from autograd_playground.core.checks.autograd_targets import RootChoice


def choice_text(choice: RootChoice) -> str:
    """Return how a root is listed: its name and shape."""
    shape = tr("scalar") if not choice.shape else dims_text(choice.shape, separator="×")
    return f"{choice.name}   ({shape})"


class RootLeafChooser(QWidget):
    """Two combo boxes: a root with a grad_fn, then a leaf it depends on."""

    def __init__(self, all_leaves: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all_leaves = all_leaves
        self._choices: dict[str, RootChoice] = {}
        self.root_combo = QComboBox()
        self.leaf_combo = QComboBox()
        self.root_combo.setToolTip(tr("The tensor to differentiate (it has a grad_fn)."))
        self.leaf_combo.setToolTip(tr("The tensor to differentiate with respect to."))
        self.root_combo.setMinimumContentsLength(8)
        self.leaf_combo.setMinimumContentsLength(8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("Root")))
        layout.addWidget(self.root_combo, 1)
        layout.addWidget(QLabel(tr("Leaf")))
        layout.addWidget(self.leaf_combo, 1)
        self.root_combo.currentIndexChanged.connect(self._update_leaves)

    def set_choices(self, choices: list[RootChoice], preferred: str | None = None) -> None:
        """List ``choices``; keep the current root, else pick ``preferred``."""
        current = self.root() or preferred
        self._choices = {choice.name: choice for choice in choices}
        self.root_combo.blockSignals(True)
        self.root_combo.clear()
        for choice in choices:
            self.root_combo.addItem(choice_text(choice), choice.name)
        index = self.root_combo.findData(current) if current else -1
        self.root_combo.setCurrentIndex(max(index, 0) if choices else -1)
        self.root_combo.blockSignals(False)
        self._update_leaves()

    def select_root(self, name: str) -> bool:
        """Choose root ``name`` if it is listed; return whether it is."""
        index = self.root_combo.findData(name)
        if index >= 0:
            self.root_combo.setCurrentIndex(index)
        return index >= 0

    def root(self) -> str | None:
        return self.root_combo.currentData()

    def leaf(self) -> str | None:
        """Return the chosen leaf's name, or None for all leaves."""
        return self.leaf_combo.currentData()

    def _update_leaves(self) -> None:
        kept = self.leaf_combo.currentData()
        choice = self._choices.get(self.root() or "")
        self.leaf_combo.clear()
        if choice is None:
            return
        if self._all_leaves and len(choice.leaves) > 1:
            self.leaf_combo.addItem(self._all_leaves, None)
        for name in choice.leaves:
            self.leaf_combo.addItem(name, name)
        self.leaf_combo.setCurrentIndex(max(self.leaf_combo.findData(kept), 0))
