"""Step through backward: a dock beside the inspector and the node marked in the graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from autograd_playground.core.teach.backward.grad_arrivals import node_grads_at
from autograd_playground.gui.appearance.theme_controller import ThemeController
from autograd_playground.gui.graph.view import GraphView
from autograd_playground.gui.side_docks import SideDocks
from autograd_playground.gui.teach.backward_step_panel import BackwardStepsPanel
from autograd_playground.gui.ui_text import tr
from autograd_playground.gui.window_services import CodeRuns, EngineTasks

if TYPE_CHECKING:
    # Not at run time: they import torch, which loads on the engine thread while the
    # window paints (see gui/app.py).
    from autograd_playground.core.playground import Playground
    from autograd_playground.core.teach.backward.trace import BackwardStep
    from autograd_playground.core.teach.backward.trace_choice import TraceChoice

OPEN_WIDTH = 360


def not_drawn_text() -> str:
    """Return why the current step's node has no mark in the graph."""
    return tr(
        "This node is not marked in the graph: it is inside a "
        "collapsed module box, or its result is no longer kept in a "
        "variable."
    )


def load_choice(playground: Playground, wanted: str | None) -> TraceChoice:
    """Engine task: the trace for root ``wanted`` with node ids of the graph drawn now."""
    from autograd_playground.core.teach.backward.trace_choice import choose_trace

    evaluator = playground.evaluator
    recorder = playground.backward_recorder
    line_table = evaluator.line_table
    choice = choose_trace(
        evaluator.user_names(),
        recorder.traces() if recorder is not None else [],
        wanted,
        line_of=line_table.line_of if line_table is not None else None,
        roots=playground.options.roots,
    )
    if choice.trace is not None:
        choice.trace.print_values()  # here, off the GUI thread
    return choice


class BackwardStepper(QObject):
    """Adds Teach ▸ Step through backward… (Ctrl+B) and the "Backward steps" dock."""

    def __init__(
        self,
        parent: QObject,
        *,
        docks: SideDocks,
        teach_menu: QMenu,
        themes: ThemeController,
        runs: CodeRuns,
        engine: EngineTasks,
        graph_view: GraphView,
    ) -> None:
        super().__init__(parent)
        self.docks, self.themes, self.runs, self.engine = docks, themes, runs, engine
        self.view = graph_view
        self.panel = BackwardStepsPanel()
        self.dock = docks.add("backward_steps", tr("Backward steps"), self.panel)
        self.action = QAction(tr("Step through backward…"), parent)
        self.action.setShortcut(QKeySequence("Ctrl+B"))
        self.action.setToolTip(tr("Walk the backward pass of a root one node at a time (Ctrl+B)"))
        self.action.triggered.connect(self.open)
        teach_menu.addAction(self.action)
        self._request = 0
        self._stale = True  # the namespace changed since the trace shown was loaded

        self.panel.root_chosen.connect(self.load)
        self.panel.step_changed.connect(self._on_step_changed)
        self.dock.visibilityChanged.connect(self._on_visibility_changed)
        runs.run_completed.connect(self._on_namespace_changed)
        runs.reset_completed.connect(self._on_namespace_changed)
        runs.graph_redrawn.connect(self._on_namespace_changed)
        self.view.scene_ready.connect(self._mark_current)
        themes.theme_changed.connect(self._on_theme_changed)
        self._on_theme_changed()

    def _on_theme_changed(self, *_args: Any) -> None:
        self.panel.set_theme(self.themes.theme)

    def open(self) -> None:
        """Show the dock and load the selected root, or the last one."""
        self.dock.show()
        self.dock.raise_()
        # Room for the gradients: taller than the variables list, a little wider.
        docks = self.docks
        docks.resize([self.dock, docks.companion], [3, 1], Qt.Orientation.Vertical)
        docks.resize([self.dock], [OPEN_WIDTH], Qt.Orientation.Horizontal)
        self.load(self._selected_root())

    def _selected_root(self) -> str | None:
        node_id = self.view.selected_node_id()
        node = self.view.graph.nodes.get(node_id) if node_id else None
        if node is not None and node.kind == "tensor" and node.name:
            return node.name
        return None

    def load(self, wanted: str | None) -> None:
        """Ask the engine for ``wanted``'s trace; an answer to an older request is dropped."""
        if not self.runs.is_ready:
            self.panel.show_message(tr("PyTorch is still loading; try again in a moment."))
            return
        self._request += 1
        request = self._request
        self.panel.set_graph_note(None)

        def done(result: Any, error: str | None) -> None:
            if request != self._request:
                return
            self._stale = False
            if error is not None:
                self.panel.show_message(tr("Could not record the backward pass: ") + error)
            else:
                self.panel.show_choice(result)

        self.engine.submit(lambda playground: load_choice(playground, wanted), done)

    def _on_namespace_changed(self, *_args: Any) -> None:
        # Ids may now name other nodes: never leave a mark from the old trace.
        self._stale = True
        self.view.mark_step(None)
        self._show_grads_so_far(None)
        if self.dock.isVisible():
            self.load(self.panel.current_root())

    def _on_visibility_changed(self, visible: bool) -> None:
        if not visible:
            self.panel.pause()
            self.view.mark_step(None)
            self._show_grads_so_far(None)
        elif self._stale:
            self.load(self.panel.current_root())
        else:
            self._mark_current()

    def _mark_current(self) -> None:
        if not self._stale and self.dock.isVisible():
            self._on_step_changed(self.panel.current_step())

    def _on_step_changed(self, step: BackwardStep | None) -> None:
        if step is None or not self.dock.isVisible():
            self.view.mark_step(None)
            self._show_grads_so_far(None)
            self.panel.set_graph_note(None)
            return
        done = [earlier.node_id for earlier in self.panel.done_steps() if earlier.node_id]
        number = self.panel.index + 1
        tag = tr("step {number}", number=number)
        drawn = self.view.mark_step(step.node_id, done, tag)
        self._show_grads_so_far(self.panel.index)
        self.panel.set_graph_note(None if drawn else not_drawn_text())

    def _show_grads_so_far(self, index: int | None) -> None:
        """Show in each box the grad arrived by step ``index``; None: the real ``.grad``."""
        trace = self.panel.trace
        grads = {}
        if index is not None and trace is not None and not self._stale:
            grads = node_grads_at(trace, index, self.view.graph)
        for node_id, item in self.view.node_items.items():
            if node_id in grads:
                item.set_step_grad(grads[node_id])
            else:
                item.clear_step_grad()
