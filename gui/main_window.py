"""The main window: editor, output, graph, inspector and variables as docks."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStyle,
    QTabWidget,
    QToolBar,
    QWidget,
)

from autograd_playground.core.playground import Playground, RunOutcome
from autograd_playground.core.run.evaluator import RunResult
from autograd_playground.gui.appearance.presentation import PresentationController
from autograd_playground.gui.appearance.theme_controller import ThemeController, style_plots
from autograd_playground.gui.appearance.themes import AppTheme
from autograd_playground.gui.engine_worker import EngineThread
from autograd_playground.gui.graph.items import scene_label_metrics
from autograd_playground.gui.graph.pane import GraphPane
from autograd_playground.gui.panes.editor import CodeEditor
from autograd_playground.gui.panes.inspector import InspectorPanel
from autograd_playground.gui.panes.output import OutputPanel
from autograd_playground.gui.panes.variables import VariablesPanel
from autograd_playground.gui.resources import APP_TITLE, app_icon
from autograd_playground.gui.session.controller import SessionController
from autograd_playground.gui.session.starter_code import default_code
from autograd_playground.gui.session.window_parts import SessionParts
from autograd_playground.gui.side_docks import SideDocks, add_dock
from autograd_playground.gui.teach.backward_stepper import BackwardStepper
from autograd_playground.gui.teach.error_explainer import ErrorExplainer
from autograd_playground.gui.teach.forward_stepper import ForwardStepper
from autograd_playground.gui.teach.grad_fix import GradFixController
from autograd_playground.gui.teach.gradient_tools import GradientTools
from autograd_playground.gui.teach.lesson_browser import LessonsController
from autograd_playground.gui.training.panel import TrainingPanel
from autograd_playground.gui.ui_text import SETTINGS_KEY as UI_LANGUAGE_KEY
from autograd_playground.gui.ui_text import apply_ui_language, saved_language, tr


def _let_shrink(page: QWidget) -> None:
    """Let a tab page be narrower than its controls, which are then cut at the right.

    The lab's controls want more width than a projector's large font leaves beside
    a usable editor, and a tab widget is as wide as its widest page: the editor was
    squeezed to one character a line instead.
    """
    policy = page.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    page.setSizePolicy(policy)


SETTINGS_VERSION = 1
# A run that ends sooner never shows as busy; a human sees that as instant.
BUSY_DELAY_MS = 100


class MainWindow(QMainWindow):
    """Wires the panes to a Playground running in an engine thread."""

    engine_ready = Signal()
    run_completed = Signal(object)  # RunOutcome, after every pane has been updated
    reset_completed = Signal()
    graph_redrawn = Signal(object)  # RunOutcome, after the graph pane shows a redraw

    def __init__(
        self,
        playground: Playground,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.playground = playground
        self.settings = settings or QSettings()
        self.is_ready = False
        self.is_running = False
        self._shown_result: RunResult | None = None  # the run whose output shows already
        self._pending_run: str | None = None
        self._resetting = False
        # Most runs end within a frame or two: their toolbar and status line only
        # change once, at the end, instead of flickering (and repainting while the
        # engine thread works). Longer ones show Stop and "Running…" after a moment.
        self._busy_text: str | None = None
        self._busy_shown = False
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(app_icon())
        self.setObjectName("MainWindow")
        self.setDockNestingEnabled(True)
        # Before any widget asks tr() for its texts.
        apply_ui_language(saved_language(self.settings.value(UI_LANGUAGE_KEY)))

        self._build_panes()
        self._build_menus()  # before the docks, which list themselves in View
        self._build_docks()
        self._build_toolbar()
        self.status = QLabel(tr("Loading PyTorch…"))
        self.statusBar().addWidget(self.status, 1)
        self._connect_engine(playground)
        self._connect_panes()
        self._wire_controllers()
        self._fit_default_size()
        self._restore_settings()

    def _build_panes(self) -> None:
        """The panes, and the tabs of the graph and the training lab in the middle."""
        self.editor = CodeEditor()
        self.output = OutputPanel()
        self.graph_pane = GraphPane(self.settings)
        self.graph_view = self.graph_pane.view
        self.inspector = InspectorPanel()
        self.variables = VariablesPanel()
        self.training_panel = TrainingPanel(
            code_source=self.editor.toPlainText, label_metrics=scene_label_metrics
        )
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.graph_pane, tr("Graph"))
        self.tabs.addTab(self.training_panel, tr("Training lab"))
        _let_shrink(self.training_panel)
        self.setCentralWidget(self.tabs)
        self._graph_docks_shown: dict[QDockWidget, bool] = {}
        self.tabs.currentChanged.connect(self._on_tab_changed)

    def _build_docks(self) -> None:
        """The editor and output on the left, the inspector and variables on the right."""
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea

        def dock(name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
            return add_dock(self, self.view_menu, name, title, widget, area)

        self.editor_dock = dock("editor", tr("Editor"), self.editor, left)
        self.output_dock = dock("output", tr("Output"), self.output, left)
        self.inspector_dock = dock("inspector", tr("Inspector"), self.inspector, right)
        self.variables_dock = dock("variables", tr("Variables"), self.variables, right)
        self.view_menu.addSeparator()
        self.resizeDocks([self.editor_dock, self.output_dock], [560, 220], Qt.Orientation.Vertical)
        self._columns_arranged = False  # the first show shares the width, unless restored

    def _connect_engine(self, playground: Playground) -> None:
        """Start the engine thread's worker on ``playground`` and follow its answers."""
        # The engine thread has not started: the pane's saved choices can be set directly.
        playground.options = self.graph_pane.options
        self._playground = playground
        self.graph_pane.legible_text_pixels = lambda: self.editor.fontInfo().pixelSize()
        self.engine = EngineThread(playground, self)
        worker = self.engine.worker
        worker.ready.connect(self._on_engine_ready)
        worker.code_finished.connect(self._on_code_finished)
        worker.run_finished.connect(self._on_run_finished)
        worker.reset_finished.connect(self._on_reset_finished)
        worker.redraw_finished.connect(self._on_redraw_finished)
        worker.layout_started.connect(self.graph_pane.layout_started)
        worker.failed.connect(self._on_engine_failed)
        self.graph_pane.options_changed.connect(self.engine.request_redraw)
        self.graph_pane.cancel_requested.connect(playground.cancel_layout)
        self.graph_pane.status_message.connect(self.status.setText)

    def _connect_panes(self) -> None:
        """What one pane does in answer to another."""
        self.editor.run_all_requested.connect(self.run_all)
        self.editor.run_snippet_requested.connect(self.run_code)
        self.graph_view.node_selected.connect(self.inspector.show_node)
        self.graph_view.node_activated.connect(self.editor.go_to_line)
        self.variables.variable_selected.connect(self.graph_view.select_name)
        self.training_panel.step_graph.connect(self._on_step_graph)

    # -- feature controllers --------------------------------------------------
    def _wire_controllers(self) -> None:
        """Build the feature controllers, each handed only the panes and services it uses.

        Their order is that of their entries in the View and Teach menus and of their
        docks' tabs. The themes come first: the others draw in the theme and follow
        it. The session comes before the lessons, which let its file go before a
        lesson replaces the code.
        """
        self.side_docks = SideDocks(
            self, self.view_menu, self.inspector_dock, self.variables_dock, self._on_side_dock_shown
        )
        self.themes = ThemeController(self, self.view_menu, self.settings, self._paint_panes)
        self.presentation = PresentationController(
            self,
            view_menu=self.view_menu,
            themes=self.themes,
            status=self.status,
            graph_view=self.graph_view,
            scale_lab=self._scale_lab,
            arrange_columns=self.arrange_columns,
        )
        self.grad_fixes = GradFixController(
            self,
            inspector=self.inspector,
            variables=self.variables,
            graph_view=self.graph_view,
            editor=self.editor,
            engine=self.engine,
            status=self.status,
            run_all=self.run_all,
        )
        self.error_explainer = ErrorExplainer(
            self,
            view_menu=self.view_menu,
            output_dock=self.output_dock,
            themes=self.themes,
            runs=self,
            graph_view=self.graph_view,
            grad_fixes=self.grad_fixes,
        )
        self.sessions = SessionController(self._session_parts(), self.file_menu)
        self.lessons = LessonsController(
            self,
            settings=self.settings,
            docks=self.side_docks,
            menus=(self.teach_menu, self.view_menu),
            editor=self.editor,
            editor_dock=self.editor_dock,
            status=self.status,
            runs=self,
            leave_file=self.sessions.leave_file,
        )
        self.training_panel.open_code_requested.connect(self._open_lab_code)
        self._wire_gradient_tools()

    def _open_lab_code(self, code: str) -> None:
        """Put the lab's task, as code, in the editor, as a lesson's is."""
        self.lessons.open_code(code, tr("The lab's task is in the editor: Ctrl+Enter runs it"))

    def _wire_gradient_tools(self) -> None:
        """The gradient check, the Jacobian and the backward and forward steppers, in the
        Teach menu."""
        self.gradient_tools = GradientTools(
            self,
            docks=self.side_docks,
            teach_menu=self.teach_menu,
            themes=self.themes,
            runs=self,
            engine=self.engine,
            stop_action=self.stop_action,
            graph_view=self.graph_view,
            editor=self.editor,
            device=self.current_device,
        )
        self.backward_stepper = BackwardStepper(
            self,
            docks=self.side_docks,
            teach_menu=self.teach_menu,
            themes=self.themes,
            runs=self,
            engine=self.engine,
            graph_view=self.graph_view,
        )
        self.forward_stepper = ForwardStepper(
            self,
            docks=self.side_docks,
            teach_menu=self.teach_menu,
            themes=self.themes,
            runs=self,
            graph_view=self.graph_view,
            editor=self.editor,
        )

    def _session_parts(self) -> SessionParts:
        return SessionParts(
            window=self,
            settings=self.settings,
            editor=self.editor,
            lab=self.training_panel,
            output=self.output,
            status=self.status,
            device=self.current_device,
        )

    def _paint_panes(self, theme: AppTheme, choice: str) -> None:
        """Give the panes that draw colours of their own ``theme``'s (View ▸ Theme ``choice``)."""
        self.graph_view.follows_system_theme = choice == "system"
        self.graph_view.set_theme(theme.graph)
        self.editor.set_syntax_colors(theme.syntax)
        self.editor.set_error_color(theme.text["error"])
        self.editor.set_step_color(theme.text["step"])
        self.output.set_colors(theme.output)
        self.inspector.set_colors(theme.inspector)
        style_plots(self, theme)
        self.training_panel.plots.set_pens(
            theme.plot_colors, theme.plot_pen_width, theme.plot_foreground
        )

    def _scale_lab(self, scale: float) -> None:
        """Presentation mode's ``scale`` for the lab's plots and controls (1.0: normal)."""
        self.training_panel.plots.set_presentation_scale(scale)
        self.training_panel.set_presentation(scale != 1.0)

    def current_device(self) -> str:
        """The device the toolbar has chosen, where code, checks and exported scripts run."""
        return self.device_combo.currentData() or "cpu"

    def _on_tab_changed(self, index: int) -> None:
        """The inspector and variables describe the graph: give the lab their room."""
        graph_docks = (self.inspector_dock, self.variables_dock)
        if self.tabs.widget(index) is self.training_panel:
            self._graph_docks_shown = {dock: dock.isVisible() for dock in graph_docks}
            for dock in graph_docks:
                dock.hide()
        else:
            for dock, shown in self._graph_docks_shown.items():
                dock.setVisible(shown)
            self._graph_docks_shown = {}

    def _fit_default_size(self) -> None:
        """1400×860, or 90% of a smaller screen (a 1366×768 projector, say)."""
        width, height = 1400, 860
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.9))
        self.resize(width, height)

    def arrange_columns(self, right_share: float = 0.45) -> None:
        """Share the window's width: the editor as wide as its code (40 to 80 columns,
        and no wider than the graph), the right column as wide as the variables'
        columns (up to ``right_share`` of what the editor leaves), the graph the rest."""
        editor = self.editor.width_for_code()
        editor += self.editor_dock.width() - self.editor.width()  # the dock's frame
        right_docks = [
            dock
            for dock in self.findChildren(QDockWidget)
            if dock.isVisible()
            and not dock.isFloating()
            and self.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
        ]
        table = self.variables.full_width() + self.variables_dock.width()
        table -= self.variables.width()

        def right_for(editor_width: int) -> int:
            return (
                min(table, int(right_share * (self.width() - editor_width))) if right_docks else 0
            )

        # The graph is what a class looks at: a script of long lines does not take
        # more of the width than the graph keeps (the editor scrolls instead).
        floor = self.editor_dock.minimumSizeHint().width()
        editor = min(editor, max(floor, (self.width() - right_for(editor)) // 2))
        docks, widths = [self.editor_dock], [editor]
        if right_docks:
            docks.append(right_docks[0])
            widths.append(right_for(editor))
        self.resizeDocks(docks, widths, Qt.Orientation.Horizontal)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._columns_arranged:
            self._columns_arranged = True
            self.arrange_columns()

    def _on_side_dock_shown(self) -> None:
        QTimer.singleShot(0, self.give_graph_room)  # once the dock has taken its width

    def give_graph_room(self) -> None:
        """Narrow the editor, down to its minimum, where the graph has become narrower.

        A teaching pane widens the right column, and Qt takes that width from the
        central tabs: during a backward walk the graph, which the pane talks about,
        would be squeezed while the editor kept room for its longest line.
        """
        graph, editor = self.centralWidget().width(), self.editor_dock.width()
        if graph >= editor:
            return
        floor = self.editor_dock.minimumSizeHint().width()
        self.resizeDocks(
            [self.editor_dock], [max(floor, (graph + editor) // 2)], Qt.Orientation.Horizontal
        )

    def _build_toolbar(self) -> None:
        bar = QToolBar(tr("Main"), self)
        bar.setObjectName("main_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(bar)
        style = self.style()
        self.run_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay), tr("Run"), self
        )
        self.run_action.setShortcuts(
            [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"), QKeySequence("F5")]
        )
        self.run_action.setToolTip(
            tr("Run the whole editor (Ctrl+Enter). Shift+Enter runs the current line or selection.")
        )
        self.run_action.triggered.connect(self.run_all)
        self.stop_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaStop), tr("Stop"), self
        )
        self.stop_action.setShortcut(QKeySequence("Ctrl+."))
        self.stop_action.setToolTip(tr("Interrupt the running code (Ctrl+.)"))
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(self.stop)
        self.reset_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), tr("Reset"), self
        )
        self.reset_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.reset_action.setToolTip(tr("Forget every variable (Ctrl+Shift+R)"))
        self.reset_action.triggered.connect(self.reset_namespace)
        for action in (self.run_action, self.stop_action, self.reset_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(QLabel(tr(" Device: ")))
        self.device_combo = QComboBox()
        self.device_combo.setToolTip(tr("Where tensors go: your code sees it as `device`."))
        self.device_combo.addItem("cpu", "cpu")
        self.device_combo.setEnabled(False)
        self.device_combo.currentIndexChanged.connect(self._on_device_chosen)
        bar.addWidget(self.device_combo)
        self.addAction(self.run_action)
        self.addAction(self.stop_action)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(tr("&File"))
        self.view_menu = bar.addMenu(tr("&View"))
        self.teach_menu = bar.addMenu(tr("&Teach"))

    # -- engine -------------------------------------------------------------
    def start_engine(self) -> None:
        """Start importing torch in the background; runs wait until it is done."""
        self.engine.start()

    def _on_engine_ready(self, devices: list) -> None:
        self.is_ready = True
        wanted = self.settings.value("device", "cpu")
        self.device_combo.blockSignals(True)
        self.device_combo.clear()
        for info in devices:
            self.device_combo.addItem(info.label, info.id)
        index = max(0, self.device_combo.findData(wanted))
        self.device_combo.setCurrentIndex(index)
        self.device_combo.blockSignals(False)
        self.device_combo.setEnabled(True)
        self._on_device_chosen(index)
        self.status.setText(tr("Ready. Ctrl+Enter runs the editor, Shift+Enter the current line."))
        self.engine_ready.emit()
        if self._pending_run is not None:
            code, self._pending_run = self._pending_run, None
            self.run_code(code)

    def _on_engine_failed(self, message: str) -> None:
        self._set_running(False)
        self._resetting = False  # a failed reset must not hold back the runs after it
        self.output.append_text(message, "error")
        self.status.setText(tr("Something went wrong inside the app; see the output pane."))

    def _on_device_chosen(self, index: int) -> None:
        device = self.device_combo.itemData(index)
        if device:
            self.engine.request_device.emit(device)
            self.training_panel.set_device(device)
            self.settings.setValue("device", device)

    # -- running ------------------------------------------------------------
    def run_all(self) -> None:
        self.run_code(self.editor.toPlainText())

    def run_code(self, code: str) -> None:
        """Run ``code`` in the worker; queued until torch has loaded."""
        self.settings.setValue("code", self.editor.toPlainText())
        if self._resetting:  # a run asked for while the namespace clears follows the reset
            self._pending_run = code
            return
        if self.is_running:
            self.status.setText(tr("Still running: press Stop (Ctrl+.) first."))
            return
        self.editor.mark_error_line(None)
        if not self.is_ready:
            self._pending_run = code
            self.status.setText(tr("Loading PyTorch… your code runs as soon as it is ready."))
            return
        self._set_running(True, tr("Running…"))
        # Read when the run's graph is drawn: a big one opens with what fits the view now.
        self._playground.options = self.graph_pane.options_for_view()
        self.engine.request_run.emit(code)

    def stop(self) -> None:
        if self.engine.interrupt():
            self.status.setText(tr("Stopping…"))

    def reset_namespace(self) -> None:
        if self.is_running or not self.is_ready:
            return
        self._resetting = True
        self._set_running(True)
        self.engine.request_reset.emit()

    def _set_running(self, running: bool, busy_text: str | None = None) -> None:
        """Note a run starting or ending; a start shows only once BUSY_DELAY_MS pass."""
        self.is_running = running
        self._busy_text = busy_text
        if running:
            self._busy_timer.start()
            return
        self._busy_timer.stop()
        self._busy_shown = False
        self._show_actions(running=False)  # no repaint where nothing changes

    def _show_busy(self) -> None:
        self._busy_shown = True
        self._show_actions(running=True)
        if self._busy_text:
            self.status.setText(self._busy_text)

    def _set_busy_text(self, text: str) -> None:
        """Say what the running request does now: at once if the run shows as busy."""
        self._busy_text = text
        if self._busy_shown:
            self.status.setText(text)

    def _show_actions(self, running: bool) -> None:
        self.run_action.setEnabled(not running)
        self.reset_action.setEnabled(not running)
        self.stop_action.setEnabled(running)

    def _on_code_finished(self, result: RunResult, variables: list) -> None:
        """The code has run: its output and variables show now, its graph when laid out."""
        self._shown_result = result
        self._show_result(result)
        self.variables.show_variables(variables)
        if result.error is None:
            self._set_busy_text(tr("Ran; drawing the graph…"))

    def _show_result(self, result: RunResult) -> None:
        self.output.show_result(result)
        if result.error is not None:
            self.editor.mark_error_line(result.error.line)
            self.status.setText(result.error.headline)

    def _on_run_finished(self, outcome: RunOutcome) -> None:
        self._set_running(False)
        result = outcome.result
        shown_early = result is self._shown_result
        self._shown_result = None
        if not shown_early:
            self._show_result(result)
        if result.error is not None:
            self.status.setText(result.error.headline)
        else:
            ops, seconds = outcome.graph.op_count(), result.seconds
            if ops == 1:
                ran = tr("Ran in {seconds:.2f} s · {ops} op in the graph", seconds=seconds, ops=ops)
            else:
                ran = tr(
                    "Ran in {seconds:.2f} s · {ops} ops in the graph",
                    seconds=seconds,
                    ops=f"{ops:,}",
                )
            self.status.setText(ran)
        self._show_outcome(outcome, variables_shown=shown_early)
        self.run_completed.emit(outcome)

    def _on_reset_finished(self, outcome: RunOutcome) -> None:
        self._set_running(False)
        self.output.append_text(
            tr("── Namespace reset: every variable is gone."),
            "info",
        )
        self.status.setText(tr("Namespace reset."))
        self._show_outcome(outcome)
        self._resetting = False
        self.reset_completed.emit()
        if self._pending_run is not None:
            code, self._pending_run = self._pending_run, None
            self.run_code(code)

    def _on_step_graph(self, batch) -> None:
        """Show the latest training step's graph; same structure each step, so in place."""
        if batch.graph_error is not None:
            self.graph_view.clear_graph(batch.graph_error, error=True)
        elif batch.graph_layout is not None:
            self.graph_view.show_graph(batch.graph, batch.graph_layout)
        self.graph_pane.show_caption(
            tr("Training step {step}: the graph of its loss", step=batch.step)
        )

    def _on_redraw_finished(self, outcome: RunOutcome) -> None:
        self._show_outcome(outcome)
        # Those drawn and those folded into boxes: opening a box changes no count.
        ops = f"{outcome.graph.op_count():,}"
        self.status.setText(tr("Graph redrawn · {ops} ops", ops=ops))
        self.graph_redrawn.emit(outcome)

    def _show_outcome(self, outcome: RunOutcome, variables_shown: bool = False) -> None:
        self.graph_pane.layout_finished()
        self.graph_pane.show_caption(None)
        self.graph_pane.set_module_state(
            outcome.module_groups, outcome.collapsed, outcome.fold_tree
        )
        if not variables_shown:
            self.variables.show_variables(outcome.variables)
        if outcome.graph_error is not None:
            self.graph_view.clear_graph(outcome.graph_error, error=True)
        elif outcome.layout is not None and outcome.graph.nodes:
            self.graph_view.show_graph(outcome.graph, outcome.layout)
        else:
            self.graph_view.clear_graph()

    # -- persistence ------------------------------------------------------------
    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        state = self.settings.value("window_state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and self.restoreState(state, SETTINGS_VERSION):
            self._columns_arranged = True  # the user's own arrangement
        code = self.settings.value("code")
        self.editor.setPlainText(code if isinstance(code, str) and code.strip() else default_code())

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState(SETTINGS_VERSION))
        self.settings.setValue("code", self.editor.toPlainText())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        stopped = self.training_panel.shutdown()
        # A check re-runs the code in an evaluator of its own, which interrupting the
        # playground's run does not reach: cancelled, it lets the engine thread finish.
        self.gradient_tools.cancel_all()
        if not self.engine.shutdown() or not stopped:
            QMessageBox.warning(
                self,
                APP_TITLE,
                tr("The running code did not stop; the app will close anyway."),
            )
        event.accept()
