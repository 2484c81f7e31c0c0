"""Adds the gradient check and Jacobian panels to the window and runs their jobs on the engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QWidget

from autograd_playground.core.checks.scratch_errors import ScratchError, ScratchFailure
from autograd_playground.core.i18n.catalog import Message
from autograd_playground.gui.appearance.theme_controller import ThemeController
from autograd_playground.gui.graph.view import GraphView
from autograd_playground.gui.panes.editor import CodeEditor
from autograd_playground.gui.side_docks import SideDocks
from autograd_playground.gui.teach.gradient_check_panel import GradientCheckPanel
from autograd_playground.gui.teach.jacobian_panel import JacobianPanel
from autograd_playground.gui.ui_text import tr
from autograd_playground.gui.window_services import CodeRuns, EngineTasks

if TYPE_CHECKING:  # these import torch, which loads in the background: jobs import it late
    from autograd_playground.core.checks.autograd_targets import RootChoice


def _scratch_task(job: Any) -> Callable[[Any], Any]:
    """Return an engine task that runs ``job`` and turns its plain-message errors into data."""

    def task(_playground: Any) -> Any:
        try:
            return job.run()
        except ScratchError as exc:
            return exc.failure()

    return task


class GradientTools(QObject):
    """Owns the two docks (tabbed with the Inspector), their Teach actions and their jobs."""

    choices_changed = Signal(list)  # RootChoice list, after the panels show it
    check_finished = Signal(object)  # GradCheckReport or ScratchFailure
    jacobian_finished = Signal(object)  # JacobianReport or ScratchFailure

    def __init__(
        self,
        parent: QObject,
        *,
        docks: SideDocks,
        teach_menu: QMenu,
        themes: ThemeController,
        runs: CodeRuns,
        engine: EngineTasks,
        stop_action: QAction,
        graph_view: GraphView,
        editor: CodeEditor,
        device: Callable[[], str],
    ) -> None:
        """``stop_action``: the toolbar's Stop, which stops the checks too; ``device``: the
        device the toolbar has chosen, which the checks run on."""
        super().__init__(parent)
        self.docks, self.teach_menu, self.themes, self.runs = docks, teach_menu, themes, runs
        self.engine, self.stop_action = engine, stop_action
        self.editor, self._device = editor, device
        self.check_panel = GradientCheckPanel(themes.theme)
        self.jacobian_panel = JacobianPanel(themes.theme)
        self.check_dock = self._dock(tr("Gradient check"), "gradient_check_dock", self.check_panel)
        self.jacobian_dock = self._dock(tr("Jacobian"), "jacobian_dock", self.jacobian_panel)
        self.check_action = self._action(tr("Gradient check…"), self.check_dock)
        self.jacobian_action = self._action(tr("Jacobian…"), self.jacobian_dock)
        self._jobs: dict[str, Any] = {}
        self._selected_root: str | None = None
        self.check_panel.check_requested.connect(self._on_check_requested)
        self.check_panel.stop_requested.connect(lambda: self._cancel("check"))
        self.jacobian_panel.compute_requested.connect(self._on_jacobian_requested)
        self.jacobian_panel.stop_requested.connect(lambda: self._cancel("jacobian"))
        runs.run_completed.connect(self._on_namespace_changed)
        runs.reset_completed.connect(self._on_namespace_changed)
        # The toolbar's Stop (Ctrl+.) stops what keeps the engine busy, a check included.
        stop_action.triggered.connect(self.cancel_all)
        graph_view.node_selected.connect(self._on_node_selected)
        themes.theme_changed.connect(self._on_theme_changed)

    def _on_theme_changed(self, _choice: str) -> None:
        for panel in (self.check_panel, self.jacobian_panel):
            panel.set_theme(self.themes.theme)

    def _dock(self, title: str, name: str, panel: QWidget) -> QDockWidget:
        dock = self.docks.add(name.removesuffix("_dock"), title, panel)
        dock.visibilityChanged.connect(self._on_visibility_changed)
        return dock

    def _action(self, text: str, dock: QDockWidget) -> QAction:
        action = QAction(text, self.parent())
        action.triggered.connect(lambda: self.open(dock))
        self.teach_menu.addAction(action)
        return action

    def open(self, dock: QDockWidget) -> None:
        """Show ``dock`` in front of its tab group and list the current roots."""
        dock.show()
        dock.raise_()
        docks, variables = self.docks, self.docks.companion
        docks.resize([dock], [max(dock.width(), 440)], Qt.Orientation.Horizontal)
        if variables.isVisible():  # tables and verdicts want the height
            height = docks.window_size().height()
            docks.resize([dock, variables], [height * 3 // 4, height // 4], Qt.Orientation.Vertical)
        self.refresh_choices()

    # -- choosers ----------------------------------------------------------------
    def refresh_choices(self) -> None:
        """Ask the engine for the tensors that can be differentiated now."""
        if not self.runs.is_ready:
            return
        from autograd_playground.core.checks.autograd_targets import root_choices

        self.engine.submit(
            lambda playground: root_choices(playground.evaluator.user_names()),
            self._on_choices,
        )

    def _on_choices(self, choices: list[RootChoice] | None, error: str | None) -> None:
        if error is not None or choices is None:
            return
        scalar = next((c.name for c in choices if c.is_scalar), None)
        wide = next((c.name for c in reversed(choices) if not c.is_scalar), None)
        selected = self._selected_root
        self.check_panel.chooser.set_choices(choices, selected or scalar)
        self.jacobian_panel.chooser.set_choices(choices, selected or wide or scalar)
        self.choices_changed.emit(choices)

    def _on_namespace_changed(self, *_args: object) -> None:
        if self.check_dock.isVisible() or self.jacobian_dock.isVisible():
            self.refresh_choices()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.refresh_choices()

    def _on_node_selected(self, node: Any) -> None:
        """A selected root becomes the default root of both panels."""
        if node is None or not node.is_root or not node.name:
            return
        self._selected_root = node.name
        for panel in (self.check_panel, self.jacobian_panel):
            if not panel.busy:
                panel.chooser.select_root(node.name)

    # -- jobs --------------------------------------------------------------------
    def _on_check_requested(self, root: str, leaves: list[str] | None) -> None:
        from autograd_playground.core.checks.gradient_check import GradientCheck

        try:
            job = GradientCheck(self.editor.toPlainText(), root, leaves, self._device())
        except ScratchError as exc:
            self.check_panel.show_failure(exc.failure())
            return
        self._start("check", job, self.check_panel, self.check_finished)

    def _on_jacobian_requested(self, root: str, leaf: str, v_text: str) -> None:
        from autograd_playground.core.checks.jacobian import JacobianJob

        code = self.editor.toPlainText()
        try:
            job = JacobianJob(code, root, leaf, v_text, self._device())
        except ScratchError as exc:
            self.jacobian_panel.show_failure(exc.failure())
            return
        self._start("jacobian", job, self.jacobian_panel, self.jacobian_finished)

    def _start(self, kind: str, job: Any, panel: Any, finished: Signal) -> None:
        self._jobs[kind] = job
        panel.set_busy(True)
        self.stop_action.setEnabled(True)

        def done(result: Any, error: str | None) -> None:
            if self._jobs.get(kind) is job:
                del self._jobs[kind]
            panel.set_busy(False)
            self.stop_action.setEnabled(self.runs.is_running or bool(self._jobs))
            if error is not None:
                result = ScratchFailure(
                    Message("Something went wrong inside the app: {error}", error=error)
                )
            if isinstance(result, ScratchFailure):
                panel.show_failure(result)
            else:
                panel.show_report(result)
            finished.emit(result)

        self.engine.submit(_scratch_task(job), done)

    def cancel_all(self) -> None:
        """Stop every check and Jacobian that is running; each reports what it finished."""
        for kind in list(self._jobs):
            self._cancel(kind)

    def _cancel(self, kind: str) -> None:
        job = self._jobs.get(kind)
        if job is not None:
            job.cancel()
