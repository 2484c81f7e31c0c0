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

from autograd_playground.core.graph.folds import FoldTree
from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode
from autograd_playground.gui.ui_text import tr

CLOSE_LINK = "close:"
TOP_LINK = "top:"
SEPARATOR = " › "


@dataclass(frozen=True)
class Crumb:
    """One box around the selected node: its fold id and how the bar names it."""

    fold_id: str
    text: str


def crumbs_of(node: GraphNode, graph: AutogradGraph, tree: FoldTree | None) -> list[Crumb]:
    """Return the boxes around ``node`` that are open in the drawing, outermost first.

    A closed box (a ``module`` node) is not among them: it is the node itself. Without
    a fold tree (nothing was folded) the boxes are the module calls around the node.
    """
    if tree is None:
        calls = graph.module_calls
        return [
            Crumb(call_id, _named(call_id, calls[call_id].class_name))
            for call_id in node.module_path
            if call_id in calls and call_id != node.name
        ]
    if node.kind == "module" and node.name in tree.folds:
        innermost = tree.folds[node.name].parent
    else:
        innermost = tree.owner.get(node.id)
    crumbs = []
    for fold_id in reversed(tree.ancestors(innermost)):
        fold = tree.folds[fold_id]
        text = _named(fold_id, fold.label) if fold.kind == "module" else fold.label
        crumbs.append(Crumb(fold_id, text))
    return crumbs


def _named(fold_id: str, class_name: str) -> str:
    return fold_id if fold_id == class_name else f"{fold_id} · {class_name}"


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
