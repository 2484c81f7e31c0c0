"""Docks the "Why it failed" pane beside the output and shows it when a run fails."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from autograd_playground.core.graph.failed_op import FAILED_OP_ID
from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.gui.appearance.theme_controller import ThemeController
from autograd_playground.gui.graph.view import GraphView
from autograd_playground.gui.panes.error_panel import ErrorPanel
from autograd_playground.gui.side_docks import add_dock
from autograd_playground.gui.teach.grad_fix import GradFixController
from autograd_playground.gui.ui_text import tr
from autograd_playground.gui.window_services import CodeRuns


class ErrorExplainer(QObject):
    """Shows each failed run's explanation; its fix links edit the code like the grad fixes.

    The pane sits beside the output, which holds the traceback it explains: the editor's
    column is wide, where a tab beside the inspector would widen a narrow window. It shows
    when a run fails with an explanation and hides once a run succeeds: the error it
    explained is gone. A click on the failed operation's red box shows it again. After a
    failed run the graph zooms onto that box and the tensors it was given.
    """

    def __init__(
        self,
        window: QMainWindow,
        *,
        view_menu: QMenu,
        output_dock: QDockWidget,
        themes: ThemeController,
        runs: CodeRuns,
        graph_view: GraphView,
        grad_fixes: GradFixController,
    ) -> None:
        super().__init__(window)
        self.window, self.output_dock = window, output_dock
        self.themes, self.graph_view = themes, graph_view
        self.panel = ErrorPanel()
        self.dock = add_dock(
            window,
            view_menu,
            "why_failed",
            tr("Why it failed"),
            self.panel,
            Qt.DockWidgetArea.LeftDockWidgetArea,
        )
        window.splitDockWidget(output_dock, self.dock, Qt.Orientation.Horizontal)
        self.dock.hide()
        self.panel.fix_requested.connect(grad_fixes.apply)
        runs.run_completed.connect(self._on_run_completed)
        runs.reset_completed.connect(lambda *_args: self._show(None))
        graph_view.node_selected.connect(self._on_node_selected)
        themes.theme_changed.connect(self._on_theme_changed)
        self._on_theme_changed()

    def _on_theme_changed(self, *_args: Any) -> None:
        self.panel.set_colors(self.themes.theme.inspector)

    def _on_run_completed(self, outcome: Any) -> None:
        error = outcome.result.error
        if outcome.result.run_id == 0:
            return  # a redraw, not a run: the last run's explanation stands
        self._show(error.explanation if error is not None else None)
        if error is not None and self.graph_view.select_node(FAILED_OP_ID):
            # A whole graph fitted to the pane can leave the red box too small to read
            # from the back of a room: the failed operation and its operands fill it.
            self.graph_view.zoom_to_selection()
            # Unselected, the box keeps its red border rather than the selection's.
            self.graph_view.scene().clearSelection()

    def _show(self, explanation: Any) -> None:
        self.panel.show_explanation(explanation)
        if explanation is not None:
            self._bring_forward()
        else:
            self.dock.hide()

    def _on_node_selected(self, node: GraphNode | None) -> None:
        if node is not None and node.id == FAILED_OP_ID and self.panel.explanation is not None:
            self._bring_forward()

    def _bring_forward(self) -> None:
        was_visible = self.dock.isVisible()
        self.dock.show()
        self.dock.raise_()
        if not was_visible:
            # The sentences are longer than the traceback's last lines: a little more room.
            width = self.output_dock.width() + self.dock.width()
            self.window.resizeDocks(
                [self.output_dock, self.dock],
                [width * 9 // 20, width * 11 // 20],
                Qt.Orientation.Horizontal,
            )
            # The shapes and the sentence fit without scrolling, the editor keeps the rest.
            height = max(self.dock.height(), self.window.height() * 2 // 5)
            self.window.resizeDocks([self.dock], [height], Qt.Orientation.Vertical)
