"""The Graph tab: the canvas with its tool row (search, layout, export) and a busy bar."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from autograd_playground.core.graph.folds import FoldTree
from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.core.playground import GraphOptions
from autograd_playground.gui.appearance.themes import set_text_role
from autograd_playground.gui.graph import export as graph_export
from autograd_playground.gui.graph.fold_path import FoldPathBar, crumbs_of
from autograd_playground.gui.graph.items import LABEL_PIXEL_SIZE, scene_label_metrics
from autograd_playground.gui.graph.view import GraphView
from autograd_playground.gui.ui_text import tr


def direction_choices() -> list[tuple[str, str]]:
    """Return the layout directions as (menu text, Graphviz rankdir), in menu order."""
    return [(tr("Top to bottom"), "TB"), (tr("Left to right"), "LR")]


PNG_SCALES = [1, 2, 3, 4]
# Small layouts finish before a busy bar could be read; it would only flicker.
BUSY_DELAY_MS = 300


def _no_modules_text() -> str:
    return tr("No nn.Module calls in this graph")


class GraphPane(QWidget):
    """Owns the GraphView and the controls that change how the graph is drawn.

    ``options_changed`` carries the new GraphOptions; the window hands them to
    the engine thread, which extracts and lays out the graph again.
    """

    options_changed = Signal(object)  # GraphOptions
    cancel_requested = Signal()
    status_message = Signal(str)

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.view = GraphView()
        # Boxes sized for the labels as this pane draws them: no name shrinks to fit.
        self.options = GraphOptions(label_metrics=scene_label_metrics())
        self.png_scale = 2
        # The pixel size of the editor's text, which the window sets: labels this large
        # are legible to whoever reads the code.
        self.legible_text_pixels: Callable[[], float] = lambda: float(LABEL_PIXEL_SIZE)
        self._groups: list = []
        self._collapsed: frozenset[str] = frozenset()
        self._fold_tree: FoldTree | None = None
        self._build_tools()
        self._build_busy_bar()
        # Says what the graph shows when it is not the editor's code (a training step).
        self.caption = QLabel()
        self.caption.setContentsMargins(8, 2, 8, 2)
        set_text_role(self.caption, "accent")
        self.caption.setStyleSheet("font-weight: bold;")
        self.caption.hide()
        self.fold_path = FoldPathBar()
        self.fold_path.close_requested.connect(self.collapse)
        self.fold_path.top_requested.connect(self.automatic_collapse)
        self.view.node_selected.connect(self._show_fold_path)
        self._opened: str | None = None
        self.view.scene_ready.connect(self._show_opened)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tools)
        layout.addWidget(self.caption)
        layout.addWidget(self.fold_path)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.view, 1)
        self.view.module_activated.connect(self.expand)
        self.view.collapse_requested.connect(self.collapse)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(self.busy_bar.show)
        self._restore_options()

    # -- building -------------------------------------------------------------
    def _build_tools(self) -> None:
        # A tool bar, not a row of widgets: in a narrow pane (a projector's large
        # font, teaching panes open beside it) what does not fit goes behind its »
        # button, and the pane never takes its width from the editor.
        self.tools = row = QToolBar()
        row.setMovable(False)
        row.setFloatable(False)
        row.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._build_search()
        self.fit_button = self._tool_button(tr("Fit"), tr("Fit the whole graph in view (F)"))
        self.fit_button.clicked.connect(self.view.fit_all)
        self.zoom_button = self._tool_button(
            tr("Zoom to node"),
            tr("Zoom to the selected node (Z)"),
        )
        self.zoom_button.clicked.connect(self.view.zoom_to_selection)
        row.addWidget(self.fit_button)
        row.addWidget(self.zoom_button)
        row.addSeparator()

        self._build_layout_button()
        row.addWidget(self.layout_button)
        stretch = QWidget()
        stretch.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(stretch)
        # The search last but one: in a narrow pane the buttons stay, and the search
        # (Ctrl+F) goes behind the » button before Fit does.
        row.addWidget(self.search)
        row.addWidget(self.match_label)

        self._build_export_button()
        row.addWidget(self.export_button)

    def _build_search(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Find name or op (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(170)
        self.search.setMaximumWidth(280)
        self.search.textChanged.connect(self._on_search_text)
        self.search.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence("Shift+Return"), self.search, lambda: self.find_next(True))
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self.match_label = QLabel()
        self.match_label.setMinimumWidth(56)

    def _build_layout_button(self) -> None:
        # Everything that changes the drawing itself sits in one menu, so the row
        # fits a graph pane on a 1280-pixel projector.
        self.layout_button = QToolButton()
        self.layout_button.setText(tr("Layout"))
        self.layout_button.setToolTip(
            tr(
                "Direction, saved tensors and module boxes.\nDouble-click a "
                "module box to expand it; right-click a node to collapse its "
                "module."
            )
        )
        self.layout_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.layout_button)
        directions = QActionGroup(menu)
        self.direction_actions: dict[str, QAction] = {}
        for text, value in direction_choices():
            action = menu.addAction(text)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, d=value: self._on_direction(d))
            directions.addAction(action)
            self.direction_actions[value] = action
        menu.addSeparator()
        self.saved_action = menu.addAction(tr("Show saved tensors and attributes"))
        self.saved_action.setCheckable(True)
        self.saved_action.toggled.connect(self._on_saved)
        self.legend_action = menu.addAction(tr("Show the legend"))
        self.legend_action.setCheckable(True)
        self.legend_action.setChecked(True)
        self.legend_action.toggled.connect(self._on_legend)
        menu.addSeparator()
        self.modules_label = menu.addAction(_no_modules_text())
        self.modules_label.setEnabled(False)
        self.collapse_all_action = menu.addAction(tr("Collapse all modules"), self.collapse_all)
        self.expand_all_action = menu.addAction(tr("Expand all modules"), self.expand_all)
        self.auto_collapse_action = menu.addAction(
            tr("Collapse automatically when large"), self.automatic_collapse
        )
        for action in (self.collapse_all_action, self.expand_all_action):
            action.setEnabled(False)
        self.layout_button.setMenu(menu)

    def _build_export_button(self) -> None:
        self.export_button = QToolButton()
        self.export_button.setText(tr("Export"))
        self.export_button.setToolTip(tr("Save or copy the graph as a picture"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction(tr("Save as PNG…"), self.save_png_dialog)
        menu.addAction(tr("Save as SVG…"), self.save_svg_dialog)
        menu.addAction(tr("Copy image"), self.copy_image)
        scale_menu = menu.addMenu(tr("PNG and copy scale"))
        group = QActionGroup(scale_menu)
        self.scale_actions: dict[int, QAction] = {}
        for scale in PNG_SCALES:
            use = tr("slides") if scale >= 2 else tr("screen")
            action = scale_menu.addAction(tr("{scale}× ({use})", scale=scale, use=use))
            action.setCheckable(True)
            action.setChecked(scale == self.png_scale)
            action.triggered.connect(lambda _checked, s=scale: self._set_png_scale(s))
            group.addAction(action)
            self.scale_actions[scale] = action
        self.export_button.setMenu(menu)

    def _tool_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def _build_busy_bar(self) -> None:
        self.busy_bar = QWidget()
        row = QHBoxLayout(self.busy_bar)
        row.setContentsMargins(8, 2, 8, 2)
        self.busy_label = QLabel()
        progress = QProgressBar()
        progress.setRange(0, 0)  # the engine reports no progress: an honest "working"
        progress.setMaximumWidth(160)
        progress.setMaximumHeight(12)
        progress.setTextVisible(False)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setToolTip(tr("Stop laying out; the results of your code are kept"))
        self.cancel_button.clicked.connect(self.cancel_requested)
        row.addWidget(self.busy_label)
        row.addWidget(progress)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        self.busy_bar.hide()

    def show_caption(self, text: str | None) -> None:
        """Show ``text`` above the graph; None hides it."""
        self.caption.setText(text or "")
        self.caption.setVisible(bool(text))

    # -- layout progress ----------------------------------------------------------
    @Slot(int)
    def layout_started(self, node_count: int) -> None:
        self.busy_label.setText(tr("Laying out {node_count:,} nodes…", node_count=node_count))
        self._busy_timer.start(BUSY_DELAY_MS)

    def layout_finished(self) -> None:
        self._busy_timer.stop()
        self.busy_bar.hide()

    # -- options ------------------------------------------------------------------
    def _restore_options(self) -> None:
        direction, saved = "TB", False
        if self.settings is not None:
            direction = str(self.settings.value("graph/direction", "TB"))
            saved = self._stored_flag("saved", False)
            self.legend_action.setChecked(self._stored_flag("legend", True))
            scale = self.settings.value("graph/png_scale", 2)
            if str(scale).isdigit() and int(scale) in PNG_SCALES:
                self._set_png_scale(int(scale))
        if direction not in self.direction_actions:
            direction = "TB"
        self.options = dataclasses.replace(self.options, direction=direction, include_saved=saved)
        self.direction_actions[direction].setChecked(True)
        self.saved_action.blockSignals(True)
        self.saved_action.setChecked(saved)
        self.saved_action.blockSignals(False)

    def _stored_flag(self, key: str, default: bool) -> bool:
        # An ini file gives back "true"/"false" strings, a native store real booleans.
        value = self.settings.value(f"graph/{key}", default)
        return str(value).lower() == "true"

    def _remember(self, key: str, value: object) -> None:
        if self.settings is not None:
            self.settings.setValue(f"graph/{key}", value)

    def _change_options(self, **changes: object) -> None:
        self.options = dataclasses.replace(self.options, **changes)
        self.options_changed.emit(self.options_for_view())

    def options_for_view(self) -> GraphOptions:
        """Return the options with the area the view shows legibly now.

        Legibly: with labels drawn as large as the editor's text (``legible_text_pixels``),
        so a big graph opens with as much of its outline as fits at that size.
        """
        zoom = max(self.legible_text_pixels(), 1.0) / LABEL_PIXEL_SIZE
        area = self.view.viewport().size()
        if area.isEmpty():  # not shown yet: the size the window opens with
            area = self.view.sizeHint()
        legible = (area.width() / zoom, area.height() / zoom)
        self.options = dataclasses.replace(self.options, legible_area=legible)
        return self.options

    def _on_direction(self, direction: str) -> None:
        if direction == self.options.direction:
            return
        self._remember("direction", direction)
        self._change_options(direction=direction)

    def _on_legend(self, shown: bool) -> None:
        self.view.legend.setVisible(shown)
        self._remember("legend", shown)

    def _on_saved(self, checked: bool) -> None:
        self._remember("saved", checked)
        self._change_options(include_saved=checked)

    def _set_png_scale(self, scale: int) -> None:
        self.png_scale = scale
        self.scale_actions[scale].setChecked(True)
        self._remember("png_scale", scale)

    # -- module calls ---------------------------------------------------------------
    def set_module_state(
        self, groups: list, collapsed: frozenset[str], fold_tree: FoldTree | None = None
    ) -> None:
        """Take in the folds of the graph just drawn (module calls, repeats), those drawn
        as boxes, and the fold tree that says which box each node is in."""
        self._groups = list(groups)
        self._collapsed = frozenset(collapsed)
        self._fold_tree = fold_tree
        self.view.fold_crumbs = lambda node: crumbs_of(node, self.view.graph, fold_tree)
        for action in (self.collapse_all_action, self.expand_all_action):
            action.setEnabled(bool(self._groups))
        calls, boxes = len(self._groups), len(self._collapsed)
        self.modules_label.setText(
            tr("{calls} module calls, {boxes} drawn as boxes", calls=calls, boxes=boxes)
            if self._groups
            else _no_modules_text()
        )
        selected = self.view.selected_node_id()
        self._show_fold_path(self.view.graph.nodes.get(selected) if selected else None)

    def _show_fold_path(self, node: GraphNode | None) -> None:
        """Say which boxes the selected node is inside; hidden for a graph without any."""
        if not self._groups:
            self.fold_path.show_path(None)
        elif node is None:
            self.fold_path.show_path([])
        else:
            crumbs = crumbs_of(node, self.view.graph, self._fold_tree)
            self.fold_path.show_path(crumbs, node.name or node.label)

    def _set_collapsed(self, collapsed: frozenset[str] | None) -> None:
        self._change_options(collapsed=collapsed, expand_all=False)

    def collapse(self, call_id: str) -> None:
        self._set_collapsed(self._collapsed | {call_id})

    def expand(self, call_id: str) -> None:
        self._opened = call_id  # shown once the new drawing is in the scene
        self._set_collapsed(self._collapsed - {call_id})

    def _show_opened(self) -> None:
        """Bring the inside of the box just opened into view."""
        opened, self._opened = self._opened, None
        if opened is None or self._fold_tree is None:
            return
        graph = self.view.graph
        inside = [
            node_id
            for node_id, node in graph.nodes.items()
            if any(crumb.fold_id == opened for crumb in crumbs_of(node, graph, self._fold_tree))
        ]
        self.view.show_region(inside)

    def collapse_all(self) -> None:
        self._set_collapsed(frozenset(g.call_id for g in self._groups if g.depth == 0))

    def expand_all(self) -> None:
        """Open every box, repeats unrolled: the whole graph, laid out in pieces if large."""
        self._change_options(collapsed=frozenset(), expand_all=True)

    def automatic_collapse(self) -> None:
        self._set_collapsed(None)

    # -- search -------------------------------------------------------------------
    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _on_search_text(self, text: str) -> None:
        self.view.find(text)
        self._show_match_count()

    def find_next(self, backwards: bool = False) -> None:
        """Select the next match (Enter) or the previous one (Shift+Enter)."""
        self.view.find_next(self.search.text(), backwards)
        self._show_match_count()

    def _show_match_count(self) -> None:
        count, position = self.view.match_count(), self.view.match_position()
        if not self.search.text().strip():
            self.match_label.clear()
        elif count == 0:
            self.match_label.setText(tr("no match"))
        elif position is None:
            self.match_label.setText(tr("{count} found", count=count))
        else:
            self.match_label.setText(tr("{position} of {count}", position=position, count=count))

    # -- export -------------------------------------------------------------------
    def _ask_path(self, title: str, suffix: str, pattern: str) -> Path | None:
        start = ""
        if self.settings is not None:
            start = str(self.settings.value("graph/export_dir", ""))
        chosen, _ = QFileDialog.getSaveFileName(
            self, title, str(Path(start) / f"autograd_graph{suffix}"), pattern
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        self._remember("export_dir", str(path.parent))
        return path

    def _has_graph(self) -> bool:
        if self.view.node_items:
            return True
        self.status_message.emit(tr("Nothing to export yet: run code that builds a graph first."))
        return False

    def save_png_dialog(self) -> None:
        if self._has_graph() and (
            path := self._ask_path(tr("Save graph as PNG"), ".png", "PNG (*.png)")
        ):
            self.save_png(path)

    def save_svg_dialog(self) -> None:
        if self._has_graph() and (
            path := self._ask_path(tr("Save graph as SVG"), ".svg", "SVG (*.svg)")
        ):
            self.save_svg(path)

    def save_png(self, path: Path) -> bool:
        try:
            graph_export.save_png(self.view.scene(), path, self.png_scale)
        except OSError as exc:
            self.status_message.emit(tr("Could not save the picture: {exc}", exc=exc))
            return False
        scale = self.png_scale
        self.status_message.emit(
            tr("Saved the graph to {path} ({scale}× scale).", path=path, scale=scale)
        )
        return True

    def save_svg(self, path: Path) -> bool:
        try:
            graph_export.save_svg(self.view.scene(), path)
        except OSError as exc:
            self.status_message.emit(tr("Could not save the picture: {exc}", exc=exc))
            return False
        self.status_message.emit(tr("Saved the graph to {path}.", path=path))
        return True

    def copy_image(self) -> None:
        if self._has_graph():
            image = graph_export.copy_image(self.view.scene(), self.png_scale)
            size = f"{image.width()}×{image.height()}"
            self.status_message.emit(
                tr("Copied the graph ({size} pixels) to the clipboard.", size=size)
            )
