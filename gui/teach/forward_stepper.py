"""Step through forward: a dock beside the inspector, the graph as it was at each step,
and the line that made the step's op lit in the editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from autograd_playground.gui.appearance.theme_controller import ThemeController
from autograd_playground.gui.graph.view import GraphView
from autograd_playground.gui.panes.editor import CodeEditor
from autograd_playground.gui.side_docks import SideDocks
from autograd_playground.gui.teach.forward_step_panel import ForwardStepsPanel
from autograd_playground.gui.ui_text import tr
from autograd_playground.gui.window_services import CodeRuns

if TYPE_CHECKING:
    from autograd_playground.core.teach.forward.steps import ForwardStep

OPEN_WIDTH = 360
SHORTCUT = "Ctrl+Shift+F"


class ForwardStepper(QObject):
    """Adds Teach ▸ Step through forward… (Ctrl+Shift+F) and the "Forward steps" dock.

    Everything it shows is in the graph the view draws (each op's ``seq`` and line),
    so it asks nothing of the engine: stepping only hides what did not exist yet.
    """

    def __init__(
        self,
        parent: QObject,
        *,
        docks: SideDocks,
        teach_menu: QMenu,
        themes: ThemeController,
        runs: CodeRuns,
        graph_view: GraphView,
        editor: CodeEditor,
    ) -> None:
        super().__init__(parent)
        self.docks, self.themes = docks, themes
        self.view, self.editor = graph_view, editor
        self.panel = ForwardStepsPanel()
        self.dock = docks.add("forward_steps", tr("Forward steps"), self.panel)
        self.action = QAction(tr("Step through forward…"), parent)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setToolTip(
            tr("Replay the forward pass one operation at a time, as it ran (Ctrl+Shift+F)")
        )
        self.action.triggered.connect(self.open)
        teach_menu.addAction(self.action)
        self._stale = True  # the graph changed since the steps shown were made
        # Whether the view's step mark is this stepper's: the backward stepper has one too.
        self._marking = False
        self._zoom_to_read = False  # on the first step drawn after the dock opens
        self._folded_legend = False  # the zoom folded the legend: unfold it on closing

        self.panel.step_changed.connect(self._on_step_changed)
        self.dock.visibilityChanged.connect(self._on_visibility_changed)
        runs.run_completed.connect(self._on_graph_changed)
        runs.reset_completed.connect(self._on_graph_changed)
        runs.graph_redrawn.connect(self._on_graph_changed)
        self.view.scene_ready.connect(self._show_current)
        themes.theme_changed.connect(self._on_theme_changed)
        self._on_theme_changed()

    def _on_theme_changed(self, *_args: Any) -> None:
        self.panel.set_theme(self.themes.theme)

    def open(self) -> None:
        """Show the dock at the first step of the graph drawn now."""
        self._zoom_to_read = True
        self.dock.show()
        self.dock.raise_()
        docks = self.docks
        docks.resize([self.dock, docks.companion], [3, 1], Qt.Orientation.Vertical)
        docks.resize([self.dock], [OPEN_WIDTH], Qt.Orientation.Horizontal)
        self._load()

    def _load(self) -> None:
        self._stale = False
        self.panel.show_graph(self.view.graph)

    def _on_graph_changed(self, *_args: Any) -> None:
        self._stale = True
        if self.dock.isVisible():
            self._load()
        else:
            self._clear_marks()

    def _on_visibility_changed(self, visible: bool) -> None:
        if not visible:
            self.panel.pause()
            self._clear_marks()
        elif self._stale:
            self._load()
        else:
            self._show_current()

    def _clear_marks(self) -> None:
        if self._folded_legend:
            self._folded_legend = False
            self.view.legend.set_folded(False)
        if self.view.existing is not None:
            self.view.show_existing(None)
        if self._marking:
            self._marking = False
            self.view.mark_step(None)
        self.editor.mark_step_line(None)

    def _show_current(self) -> None:
        if not self._stale and self.dock.isVisible():
            self._on_step_changed(self.panel.current_step())

    def _on_step_changed(self, step: ForwardStep | None) -> None:
        steps = self.panel.steps
        if step is None or steps is None or not self.dock.isVisible():
            self._clear_marks()
            return
        index = step.index
        self.view.show_existing(
            steps.visible_nodes(index),
            lambda edge: steps.edge_visible(edge, index),
            steps.box_progress(index),
        )
        tag = tr("step {number}", number=step.index + 1)
        self._marking = True
        if self._zoom_to_read and step.node_id in self.view.node_items:
            self._zoom_to_read = False
            self._folded_legend = self.view.zoom_to_read(step.node_id)
        self.view.mark_step(step.node_id, (), tag)
        self.editor.mark_step_line(step.line)
