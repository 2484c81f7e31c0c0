"""The line above the graph that says where the selected node sits among the boxes.

``Whole graph › model · GPT › blocks · Block × 48 › blocks.3 · Block``: each crumb is
an open box around the node, outermost first. Following a crumb closes that box, so
the view goes back to it; "Whole graph" goes back to the opening view.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from autograd_playground.gui.ui_text import tr

CLOSE_LINK = "close:"
TOP_LINK = "top:"
SEPARATOR = " › "


@dataclass(frozen=True)
class Crumb:
    """One box around the selected node: its fold id and how the bar names it."""

    fold_id: str
    text: str


class FoldPathBar(QLabel):
    """Shows the crumbs of the selected node; hidden when the graph has no boxes."""

    close_requested = Signal(str)  # the fold id of a box to close
    top_requested = Signal()  # back to the opening view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setContentsMargins(8, 2, 8, 2)
        self.setWordWrap(True)
        self.linkActivated.connect(self._on_link)
        self.crumbs: list[Crumb] = []
        self.hide()

    def show_path(self, crumbs: list[Crumb] | None, tail: str | None = None) -> None:
        """Show ``crumbs`` (outermost first), then ``tail`` (the selected node) unlinked.

        None hides the bar: the graph has no boxes to be inside of.
        """
        if crumbs is None:
            self.crumbs = []
            self.hide()
            return
        self.crumbs = list(crumbs)
        parts = [_link(TOP_LINK, tr("Whole graph"))]
        parts += [_link(CLOSE_LINK + crumb.fold_id, crumb.text) for crumb in crumbs]
        if tail:
            parts.append(html.escape(tail))
        self.setText(SEPARATOR.join(parts))
        self.setToolTip(tr("Click a box's name to close it and go back to it"))
        self.show()

    def _on_link(self, link: str) -> None:
        if link.startswith(CLOSE_LINK):
            self.close_requested.emit(link[len(CLOSE_LINK) :])
        elif link == TOP_LINK:
            self.top_requested.emit()


def _link(target: str, text: str) -> str:
    return f"<a href='{html.escape(target, quote=True)}'>{html.escape(text)}</a>"
