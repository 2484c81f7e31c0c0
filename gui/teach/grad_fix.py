"""The inspector's "why is .grad None?" with the graph and code in view, and its one-click fix."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLabel

from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.core.graph.tensor_probe import probe_tensor
from autograd_playground.core.teach.code_fixes import CodeFix, FixError, apply_fix, changed_span
from autograd_playground.core.teach.grad_none import GradNoneReason, explain_grad_none
from autograd_playground.gui.graph.view import GraphView
from autograd_playground.gui.panes.editor import CodeEditor
from autograd_playground.gui.panes.inspector import InspectorPanel
from autograd_playground.gui.panes.variables import VariablesPanel
from autograd_playground.gui.ui_text import tr, ui_language
from autograd_playground.gui.window_services import EngineTasks


def _qt_position(text: str, index: int) -> int:
    """Return the QTextDocument position of ``text[index]`` (Qt counts UTF-16 units)."""
    return len(text[:index].encode("utf-16-le")) // 2


class GradFixController(QObject):
    """Explains a None grad from the node, the drawn graph and the editor's code.

    Tensors the graph leaves out (detached, made under no_grad) are read from
    the namespace on the engine thread when their row in the variables pane
    is clicked, so the inspector explains them too.
    """

    def __init__(
        self,
        parent: QObject,
        *,
        inspector: InspectorPanel,
        variables: VariablesPanel,
        graph_view: GraphView,
        editor: CodeEditor,
        engine: EngineTasks,
        status: QLabel,
        run_all: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self.inspector, self.graph_view, self.editor = inspector, graph_view, editor
        self.engine, self.status, self.run_all = engine, status, run_all
        inspector.explain = self.explain
        inspector.fix_requested.connect(self.apply)
        variables.variable_selected.connect(self._on_variable_selected)

    def explain(self, node: GraphNode) -> GradNoneReason | None:
        """Return why ``node``'s grad is None, reading the drawn graph and the editor's code."""
        return explain_grad_none(
            node, self.graph_view.graph, self.editor.toPlainText(), ui_language()
        )

    def apply(self, fix: CodeFix) -> bool:
        """Make ``fix`` in the editor as one undoable edit and run the code; False if it no
        longer fits the code (the status bar says why)."""
        editor = self.editor
        old = editor.toPlainText()
        try:
            new = apply_fix(old, fix, ui_language())
        except FixError as exc:
            self.status.setText(str(exc))
            return False
        start, end, text = changed_span(old, new)
        cursor = QTextCursor(editor.document())
        cursor.beginEditBlock()
        cursor.setPosition(_qt_position(old, start))
        cursor.setPosition(_qt_position(old, end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        self.run_all()
        return True

    def _on_variable_selected(self, name: str) -> None:
        if self.graph_view.graph.find(name) is not None:
            return  # the graph selects its node, and the inspector follows

        def task(playground):
            evaluator = playground.evaluator
            return probe_tensor(evaluator.user_names(), name, evaluator.line_table)

        def done(node: GraphNode | None, error: str | None) -> None:
            if error is not None:
                self.status.setText(tr("Could not read {name}: {error}", name=name, error=error))
            elif node is not None:
                self.graph_view.scene().clearSelection()
                self.inspector.show_node(node)

        self.engine.submit(task, done)
