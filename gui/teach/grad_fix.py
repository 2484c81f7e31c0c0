"""The inspector's "why is .grad None?" with the graph and code in view, and its one-click fix."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMainWindow

from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.core.graph.tensor_probe import probe_tensor
from autograd_playground.core.teach.code_fixes import CodeFix, FixError, apply_fix, changed_span
from autograd_playground.core.teach.grad_none import GradNoneReason, explain_grad_none
from autograd_playground.gui.ui_text import tr, ui_language


def _qt_position(text: str, index: int) -> int:
    """Return the QTextDocument position of ``text[index]`` (Qt counts UTF-16 units)."""
    return len(text[:index].encode("utf-16-le")) // 2


class GradFixController(QObject):
    """Explains a None grad from the node, the drawn graph and the editor's code.

    Tensors the graph leaves out (detached, made under no_grad) are read from
    the namespace on the engine thread when their row in the variables pane
    is clicked, so the inspector explains them too.
    """

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.inspector.explain = self.explain
        window.inspector.fix_requested.connect(self.apply)
        window.variables.variable_selected.connect(self._on_variable_selected)

    def explain(self, node: GraphNode) -> GradNoneReason | None:
        """Return why ``node``'s grad is None, reading the drawn graph and the editor's code."""
        window = self.window
        return explain_grad_none(
            node, window.graph_view.graph, window.editor.toPlainText(), ui_language()
        )

    def apply(self, fix: CodeFix) -> bool:
        """Make ``fix`` in the editor as one undoable edit and run the code; False if it no
        longer fits the code (the status bar says why)."""
        editor = self.window.editor
        old = editor.toPlainText()
        try:
            new = apply_fix(old, fix, ui_language())
        except FixError as exc:
            self.window.status.setText(str(exc))
            return False
        start, end, text = changed_span(old, new)
        cursor = QTextCursor(editor.document())
        cursor.beginEditBlock()
        cursor.setPosition(_qt_position(old, start))
        cursor.setPosition(_qt_position(old, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        self.window.run_all()
        return True

    def _on_variable_selected(self, name: str) -> None:
        if self.window.graph_view.graph.find(name) is not None:
            return  # the graph selects its node, and the inspector follows

        def task(playground):
            evaluator = playground.evaluator
            return probe_tensor(evaluator.user_names(), name, evaluator.line_table)

        def done(node: GraphNode | None, error: str | None) -> None:
            if error is not None:
                self.window.status.setText(
                    tr(f"Could not read {name}: {error}", f"无法读取 {name}：{error}")
                )
            elif node is not None:
                self.window.graph_view.scene().clearSelection()
                self.window.inspector.show_node(node)

        self.window.engine.submit(task, done)
