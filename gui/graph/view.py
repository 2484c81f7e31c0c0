"""The graph pane's canvas: real scene items the user can click, hover, zoom and pan."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QLabel, QMenu, QWidget

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphEdge, GraphNode
from autograd_playground.core.render.dot_source import layout_key
from autograd_playground.core.render.layout import EdgePath, Layout, NodeBox
from autograd_playground.gui.appearance.graph_palette import DARK, LIGHT, GraphTheme
from autograd_playground.gui.appearance.themes import system_prefers_dark
from autograd_playground.gui.graph.fold_path import Crumb, crumbs_of
from autograd_playground.gui.graph.items import DIMMED_OPACITY, EdgeItem, NodeItem
from autograd_playground.gui.graph.legend import LegendWidget
from autograd_playground.gui.graph.links import GraphLinks
from autograd_playground.gui.graph.node_search import NodeSearch
from autograd_playground.gui.graph.presentation_zoom import PresentationZoom
from autograd_playground.gui.graph.scene_snapshot import SceneSnapshot
from autograd_playground.gui.graph.step_marks import StepMarks
from autograd_playground.gui.ui_text import tr


def empty_message() -> str:
    """Return what the pane says while there is no graph to draw."""
    return tr(
        "No autograd graph yet.\n\nMake a tensor with "
        "requires_grad=True, compute with it,\nthen press Ctrl+Enter "
        "to run."
    )


MIN_ZOOM, MAX_ZOOM = 0.02, 8.0
SCENE_MARGIN = 24
SMOOTH_ZOOM = 0.35
LEGEND_GAP = 16  # pixels between the legend and a fitted graph
# A new graph that fits the view only below this zoom (a chain of hundreds of module
# boxes: a sliver two pixels wide) opens at its start instead, as wide as there is room.
MIN_OPENING_ZOOM = 0.2
# Graphs up to this many items are built at once; bigger ones in slices of at most
# BUILD_SLICE_S, letting the window paint and respond in between.
BUILD_SLICE_ITEMS = 400
BUILD_SLICE_S = 0.008


class GraphView(QGraphicsView):
    """Shows an AutogradGraph laid out by dot; clicking a node selects it."""

    node_selected = Signal(object)  # GraphNode, or None when the selection is cleared
    node_activated = Signal(int)  # the source line of a double-clicked node
    module_activated = Signal(str)  # the call id of a double-clicked collapsed module
    scene_ready = Signal()  # every item of a new layout is in the scene
    collapse_requested = Signal(str)  # the call id of a module call to draw as one box

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The open boxes around a node, outermost first (the pane sets it from the fold
        # tree of each drawing): its right-click menu offers to close each of them.
        self.fold_crumbs: Callable[[GraphNode], list[Crumb]] = lambda node: crumbs_of(
            node, self.graph, None
        )
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setMinimumSize(240, 200)
        self.graph = AutogradGraph()
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: list[EdgeItem] = []
        self.theme: GraphTheme = LIGHT
        # False once the app picks a theme itself: palette changes then are its own.
        self.follows_system_theme = True
        self._presentation = PresentationZoom(self)
        self._layout_key: tuple | None = None
        self._layout_boxes: dict[str, NodeBox] = {}
        self._links = GraphLinks()
        self.highlighted: set[str] = set()
        self.existing: set[str] | None = None  # what show_existing left shown; None: all
        self._step_marks = StepMarks(self)
        self.node_search = NodeSearch()
        self._pending_nodes: list[tuple[str, NodeBox]] = []
        self._pending_edges: list[EdgePath] = []
        self._after_build: tuple = (None, None)
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_slice)
        self._message = QLabel(self.viewport())
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._message_is_error = False
        self.legend = LegendWidget(self.viewport())
        self.legend.folded_changed.connect(self._on_legend_folded)
        # Set while a graph shown whole must stay whole as the view changes size: a
        # new graph that opened whole (a teaching pane opening or closing beside it
        # resizes the view), or presentation mode's, whose panes settle to their
        # larger fonts after the zoom. Any zoom or pan of the user's ends it.
        self._keep_whole = False
        self._largest_whole_zoom = self._smallest_whole_zoom = 1.0
        self.snapshot = SceneSnapshot(self, self.item_count)
        self.scene().selectionChanged.connect(self._on_selection_changed)
        self.set_theme(DARK if system_prefers_dark() else LIGHT)
        self.show_message(empty_message())

    # -- content ------------------------------------------------------------
    def show_graph(self, graph: AutogradGraph, layout: Layout) -> None:
        """Draw ``graph``: in place when its layout is the same, else anew, keeping the focus."""
        key = layout_key(graph)
        # The same labels at the same places (same structure, same direction): in place.
        if (
            key == self._layout_key
            and layout.nodes == self._layout_boxes
            and self.is_scene_complete()
        ):
            self.graph = graph
            for node_id, item in self.node_items.items():
                item.set_node(graph.nodes[node_id])
            self._on_selection_changed()
            return
        anchor = self._focus_anchor()
        selected = self.selected_node_id()
        self._keep_whole = False
        self._clear_items()
        self.graph = graph
        self._layout_key = key
        self._layout_boxes = layout.nodes
        self._links = GraphLinks(graph)
        self.scene().setSceneRect(
            QRectF(
                -SCENE_MARGIN,
                -SCENE_MARGIN,
                layout.width + 2 * SCENE_MARGIN,
                layout.height + 2 * SCENE_MARGIN,
            )
        )
        self.show_message(None if graph.nodes else empty_message())
        self._restore_focus(anchor)
        self._pending_edges = list(layout.edges)
        self._pending_nodes = list(layout.nodes.items())
        self._after_build = (selected, anchor)
        if len(self._pending_edges) + len(self._pending_nodes) <= BUILD_SLICE_ITEMS:
            self._build_slice(budget_s=None)
        else:
            # Painting a half-built scene again after every slice would cost more
            # than the building: until it is whole the view paints its background
            # and says what it is doing (a frozen viewport would show garbage).
            count = len(self._pending_nodes)
            self.show_message(tr("Drawing {count:,} boxes…", count=count))
            self._build_timer.start()

    def item_count(self) -> int:
        """How many items the scene holds: the boxes, and each edge with its arrowhead."""
        return len(self.node_items) + 2 * len(self.edge_items)

    def is_scene_complete(self) -> bool:
        """Return False while a large graph's items are still being added."""
        return not self._pending_nodes and not self._pending_edges

    def _build_slice(self, budget_s: float | None = BUILD_SLICE_S) -> None:
        """Add items until ``budget_s`` runs out, so a big graph never freezes the window."""
        started = time.perf_counter()
        scene = self.scene()
        on_hover = self.highlight_paths  # one bound method for all, not one per node
        while self._pending_edges or self._pending_nodes:
            for _ in range(50):
                if self._pending_edges:
                    edge = self._pending_edges.pop()
                    item = EdgeItem(edge, self.theme)
                    scene.addItem(item)
                    self.edge_items.append(item)
                elif self._pending_nodes:
                    node_id, box = self._pending_nodes.pop()
                    node_item = NodeItem(self.graph.nodes[node_id], box, self.theme, on_hover)
                    scene.addItem(node_item)
                    self.node_items[node_id] = node_item
                else:
                    break
            if budget_s is not None and time.perf_counter() - started > budget_s:
                self._build_timer.start()
                return
        self._finish_build()

    def _finish_build(self) -> None:
        self.show_message(None if self.graph.nodes else empty_message())
        self.viewport().update()
        selected, anchor = self._after_build
        if self.node_search.query:
            self.find(self.node_search.query)
        kept = self._same_node(selected, anchor[1] if anchor and anchor[0] == selected else None)
        if kept is not None and kept in self.node_items:
            self.node_items[kept].setSelected(True)
        else:
            self.node_selected.emit(None)
        self.scene_ready.emit()

    def clear_graph(self, message: str | None = None, error: bool = False) -> None:
        """Remove every item and show ``message`` (by default, the empty graph's) instead."""
        if message is None:
            message = empty_message()
        self._clear_items()
        self.graph = AutogradGraph()
        self._layout_key = None
        self._layout_boxes = {}
        self.show_message(message, error)
        self.node_selected.emit(None)

    def _clear_items(self) -> None:
        self._build_timer.stop()
        self._pending_nodes, self._pending_edges = [], []
        self.highlighted.clear()
        self._step_marks.forget()  # scene().clear() deletes them
        self.scene().clear()
        self.snapshot.reset()
        self.node_items.clear()
        self.edge_items.clear()

    def show_message(self, text: str | None, error: bool = False) -> None:
        """Show ``text`` over the view (None hides it)."""
        if not text:
            self._message.hide()
            return
        self._message_is_error = error
        self._style_message()
        self._message.setText(text)
        self._message.show()
        self._place_overlays()

    def _style_message(self) -> None:
        color = (self.theme.message_error if self._message_is_error else self.theme.message).name()
        size = round(15 * self.presentation_scale)
        self._message.setStyleSheet(f"QLabel {{ color: {color}; font-size: {size}px; }}")

    def message_text(self) -> str:
        return self._message.text() if self._message.isVisible() else ""

    # -- theme ----------------------------------------------------------------
    def set_theme(self, theme: GraphTheme) -> None:
        self.theme = theme
        self.setBackgroundBrush(theme.background)
        for item in self.node_items.values():
            item.set_theme(theme)
        for edge in self.edge_items:
            edge.set_theme(theme)
        self.legend.set_theme(theme)
        self._step_marks.set_theme(theme)
        self._style_message()

    @property
    def presentation_scale(self) -> float:
        """How many times larger than normal the graph is shown (1.0 outside presentation mode)."""
        return self._presentation.scale

    def set_presentation_scale(self, scale: float) -> None:
        """Show labels, legend and messages ``scale`` times larger; 1.0 puts back the view.

        The view zooms (gui/graph/presentation_zoom.py): no new layout is needed, and back at
        1.0 an untouched view returns exactly to where it was. A graph shown whole
        stays whole, as large as fits up to ``scale`` times; the legend folds to one
        line out of its way (a click opens it).
        """
        whole = scale != 1.0 and self._graph_in_view()
        # The legend grows less than the graph: it sits over the nodes.
        self.legend.set_scale(1.0 + (scale - 1.0) / 2)
        self.legend.set_folded(scale != 1.0)
        self._style_message()
        self._place_overlays()
        self._presentation.set_scale(
            scale, self._layout_key, fit=self._fit_whole_upto if whole else None
        )
        self._keep_whole = whole

    def _graph_in_view(self) -> bool:
        """True when every node is drawn inside the view."""
        if not self.node_items:
            return False
        shown = self.mapFromScene(self.scene().itemsBoundingRect()).boundingRect()
        return QRectF(self.viewport().rect()).adjusted(-1, -1, 1, 1).contains(QRectF(shown))

    def _fit_whole_upto(self, largest: float) -> None:
        self._largest_whole_zoom = largest
        self._smallest_whole_zoom = largest / self._presentation.scale
        self._fit_whole(largest)

    def _on_legend_folded(self, _folded: bool) -> None:
        self._place_overlays()
        self._refit_whole()

    def _refit_whole(self) -> None:
        """Fit the graph again after the view changed size, while it is kept whole."""
        if self._keep_whole:
            self._fit_whole(self._largest_whole_zoom)
            if self.zoom() < self._smallest_whole_zoom:
                # Whole, it would be smaller than when it was first shown whole:
                # the view narrowed (a teaching pane opened). Legible wins; it
                # scrolls until the view is wide enough again.
                self.setTransform(QTransform.fromScale(*[self._smallest_whole_zoom] * 2))
            self._presentation.note_view(self._layout_key)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.follows_system_theme:
            self.set_theme(DARK if system_prefers_dark() else LIGHT)
        super().changeEvent(event)

    # -- selection and focus ----------------------------------------------------
    def selected_node_id(self) -> str | None:
        items = [item for item in self.scene().selectedItems() if isinstance(item, NodeItem)]
        return items[0].node_id if items else None

    def select_node(self, node_id: str) -> bool:
        """Select the node ``node_id`` and bring it into view; False if it is not shown."""
        item = self.node_items.get(node_id)
        if item is None:
            return False
        self.scene().clearSelection()
        item.setSelected(True)
        self.ensureVisible(item)
        return True

    def select_name(self, name: str) -> bool:
        """Select the node of variable ``name``; False if no node carries it."""
        node = self.graph.find(name)
        return node is not None and self.select_node(node.id)

    def _on_selection_changed(self) -> None:
        node_id = self.selected_node_id()
        node: GraphNode | None = self.graph.nodes.get(node_id) if node_id else None
        self.node_selected.emit(node)

    def _focus_anchor(self) -> tuple[str, str | None, float, QPointF] | None:
        """What the user looks at: the selected node, else the node nearest the centre."""
        if not self.node_items:
            return None
        node_id = self.selected_node_id()
        centre = self.mapToScene(self.viewport().rect().center())
        if node_id is None:
            visible = self.mapToScene(self.viewport().rect()).boundingRect()
            candidates = [item for item in self.node_items.values() if visible.contains(item.pos())]
            if not candidates:
                return None
            nearest = min(
                candidates,
                key=lambda item: (
                    (item.pos() - centre).manhattanLength() + (0 if item.node.name else 1e6)
                ),
            )
            node_id = nearest.node_id
        item = self.node_items[node_id]
        return node_id, item.node.name, self.transform().m11(), centre - item.pos()

    def _same_node(self, node_id: str | None, name: str | None = None) -> str | None:
        """Return the id that ``node_id`` (or the node named ``name``) has in the new layout."""
        if node_id is not None and node_id in self._layout_boxes:
            return node_id
        if name is not None:
            node = self.graph.find(name)
            if node is not None and node.id in self._layout_boxes:
                return node.id
        return None

    def _restore_focus(self, anchor: tuple | None) -> None:
        if anchor is None:
            self._open_view()
            return
        node_id, name, zoom, offset = anchor
        kept = self._same_node(node_id, name)
        if kept is None:
            self._open_view()
            return
        box = self._layout_boxes[kept]
        # One transform change, not a reset then a scale: each toggles the scroll
        # bars, and a viewport resized in between would shift the centre.
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.centerOn(QPointF(box.x, box.y) + offset)

    # -- a backward walk -------------------------------------------------------------
    def mark_step(self, node_id: str | None, done: Iterable[str] = (), tag: str = "") -> bool:
        """Outline ``node_id`` as the node backward is at (None clears) and tick the ``done``
        ones; centre it when it is off screen. Return False when it is not drawn."""
        return self._step_marks.mark(node_id, done, tag)

    def step_marks(self) -> dict[str, str]:
        """Return the marked nodes: node id to 'current' or 'done'."""
        return self._step_marks.marks()

    @property
    def step_node_id(self) -> str | None:
        """The node a backward walk is at (mark_step), None when none is drawn."""
        return self._step_marks.node_id

    # -- hover: paths through a node ----------------------------------------------
    def show_existing(
        self,
        nodes: set[str] | None,
        edge_exists: Callable[[GraphEdge], bool] | None = None,
        filling: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        """Hide every node not in ``nodes``, and the edges to it, in place: no new layout.
        None shows them all again (the forward stepper's view of a graph growing).

        ``edge_exists`` hides more edges (one out of a module box that has not run its
        last op); ``filling`` draws those boxes part full: box id to (ops run, ops).
        """
        self.existing = nodes
        filling = filling or {}
        for node_id, item in self.node_items.items():
            item.setVisible(nodes is None or node_id in nodes)
            item.set_filling(filling.get(node_id))
        for edge in self.edge_items:
            path = edge.edge
            ends = nodes is None or (path.source in nodes and path.target in nodes)
            if ends and nodes is not None and edge_exists is not None:
                ends = edge_exists(GraphEdge(path.source, path.target, path.kind))
            edge.setVisible(ends)

    def highlight_paths(self, node_id: str | None) -> None:
        """Light up every path from the leaves into ``node_id`` and on to the roots."""
        if node_id is None or node_id not in self._links:
            self._apply_highlight(set())
            return
        named = self.graph.nodes[node_id].kind == "tensor"
        self._apply_highlight(self._links.paths_through(node_id, hangs_off_op=named))

    def _apply_highlight(self, lit: set[str]) -> None:
        if lit == self.highlighted:
            return
        self.highlighted = lit
        for node_id, item in self.node_items.items():
            item.setOpacity(1.0 if not lit or node_id in lit else DIMMED_OPACITY)
        for edge in self.edge_items:
            on_path = edge.edge.source in lit and edge.edge.target in lit
            edge.setOpacity(1.0 if not lit or on_path else DIMMED_OPACITY)

    # -- search -------------------------------------------------------------------
    def find(self, text: str) -> list[str]:
        """Mark the nodes whose name, op or label contains ``text``; return their ids."""
        nodes = {node_id: item.node for node_id, item in self.node_items.items()}
        matches = self.node_search.find(text, nodes)
        hits = set(matches)
        for node_id, item in self.node_items.items():
            item.set_match(node_id in hits)
        return matches

    def find_next(self, text: str, backwards: bool = False) -> str | None:
        """Select the next node matching ``text`` and centre on it; None when none does."""
        if not self.node_search.is_current(text):
            self.find(text)
        node_id = self.node_search.step(backwards)
        if node_id is None:
            return None
        self.select_node(node_id)
        self.centerOn(self.node_items[node_id])
        return node_id

    def match_count(self) -> int:
        return self.node_search.count()

    def match_position(self) -> int | None:
        """Return the 1-based place of the selected match, None before Enter is pressed."""
        return self.node_search.position()

    # -- navigation -----------------------------------------------------------
    def fit_all(self) -> None:
        """Fit the whole graph in the view, never enlarging past 2× (in presentation
        mode, 2× its scale), clear of the legend."""
        self._keep_whole = False
        self._fit_whole(2.0 * self.presentation_scale)

    def _fit_whole(self, cap: float) -> None:
        """Fit the whole graph at a zoom of at most ``cap``, clear of the legend.

        The legend sits in the top right corner: the graph goes to its left or
        below it, whichever leaves the graph larger.
        """
        rect = self.scene().sceneRect()
        area = self.viewport().rect()
        if rect.isEmpty() or area.isEmpty():
            return
        if not self.legend.isVisible():
            self.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._fit_rect(rect, cap)
            return
        room_w = area.width() - self.legend.width() - LEGEND_GAP
        room_h = area.height() - self.legend.height() - LEGEND_GAP
        beside = min(room_w / rect.width(), area.height() / rect.height(), cap)
        below = min(area.width() / rect.width(), room_h / rect.height(), cap)
        scale = max(beside, below)
        self.setTransform(QTransform.fromScale(scale, scale))
        if beside >= below:
            self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            shift = QPointF(self.legend.width() + LEGEND_GAP, 0) / scale / 2
        else:
            self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            shift = QPointF(0, self.legend.height() + LEGEND_GAP) / scale / 2
        # A graph larger than the room scrolls: keep it centred in the room, not under the legend.
        self.centerOn(rect.center() + shift)

    def _open_view(self) -> None:
        """Show a new graph whole, or, where whole it is too small to make out, its start.

        The start is where its inputs are (the top, or the left when it runs left to
        right), with the graph's narrow side fitted beside the legend, at most 1×.
        F still fits the whole graph.
        """
        self.fit_all()
        rect = self.scene().sceneRect()
        area = self.viewport().rect()
        if rect.isEmpty() or area.isEmpty():
            return
        if self.zoom() >= MIN_OPENING_ZOOM:
            self._keep_whole = True
            self._largest_whole_zoom = 2.0 * self.presentation_scale
            self._smallest_whole_zoom = min(self.zoom(), self.presentation_scale)
            return
        beside, below = 0, 0  # the legend's room, with its gap
        if self.legend.isVisible():
            beside, below = self.legend.width() + LEGEND_GAP, self.legend.height() + LEGEND_GAP
        cap = self.presentation_scale
        align = Qt.AlignmentFlag
        if rect.height() >= rect.width():  # it runs down: its width fits left of the legend
            scale = min((area.width() - beside) / rect.width(), cap)
            # Centred where it stays clear of the legend, else against the left edge.
            centred = rect.width() * scale <= area.width() - 2 * beside
            self.setTransform(QTransform.fromScale(scale, scale))
            horizontal = align.AlignHCenter if centred else align.AlignLeft
            self.setAlignment(horizontal | align.AlignTop)
            self.centerOn(rect.center().x(), rect.top() + area.height() / scale / 2)
        else:  # it runs across: its height fits below the legend
            scale = min((area.height() - below) / rect.height(), cap)
            centred = rect.height() * scale <= area.height() - 2 * below
            self.setTransform(QTransform.fromScale(scale, scale))
            vertical = align.AlignVCenter if centred else align.AlignBottom
            self.setAlignment(align.AlignLeft | vertical)
            self.centerOn(rect.left() + area.width() / scale / 2, rect.center().y())

    def zoom_to_read(self, node_id: str) -> bool:
        """Where the graph is shown smaller than 1× (presentation mode: its scale), zoom to
        that and centre ``node_id``: a graph shown whole can be too small to read a step.

        The legend folds out of the way of the nodes, as in presentation mode; return
        whether this folded it.
        """
        target = self.presentation_scale
        if self.zoom() >= target or node_id not in self.node_items:
            return False
        self._keep_whole = False
        folds = not self.legend.folded
        if folds:
            self.legend.set_folded(True)
        self.setTransform(QTransform.fromScale(target, target))
        self.centerOn(self.node_items[node_id])
        return folds

    def zoom_to_selection(self) -> bool:
        """Fit the selected node and its neighbours; False when nothing is selected."""
        node_id = self.selected_node_id()
        if node_id is None:
            return False
        rect = self.node_items[node_id].sceneBoundingRect()
        for other in self._links.neighbours(node_id):
            if other in self.node_items:
                rect = rect.united(self.node_items[other].sceneBoundingRect())
        self._keep_whole = False
        self._fit_rect(rect.adjusted(-30, -30, 30, 30), 2.0 * self.presentation_scale)
        return True

    def show_region(self, node_ids: Iterable[str]) -> None:
        """Bring the boxes of ``node_ids`` into view (an opened box's inside): whole if they
        fit at the present zoom, else their start, as a new graph opens."""
        rects = [self.node_items[i].sceneBoundingRect() for i in node_ids if i in self.node_items]
        if not rects:
            return
        region = rects[0]
        for rect in rects[1:]:
            region = region.united(rect)
        region = region.adjusted(-20, -20, 20, 20)
        self._keep_whole = False
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        if region.height() <= area.height() and region.width() <= area.width():
            self.centerOn(region.center())
        elif region.height() >= region.width():
            self.centerOn(region.center().x(), region.top() + area.height() / 2)
        else:
            self.centerOn(region.left() + area.width() / 2, region.center().y())

    def _fit_rect(self, rect: QRectF, cap: float) -> None:
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > cap:
            self.resetTransform()
            self.scale(cap, cap)
            self.centerOn(rect.center())

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        self._keep_whole = False
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        pixels = event.pixelDelta()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier or (
            not pixels.isNull() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            # Shift+wheel, and two-finger scrolling on a touchpad, pan instead of zooming.
            super().wheelEvent(event)
            return
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps)
            event.accept()
        else:
            super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            # Scroll bars coming and going resize the viewport but not the view.
            self._place_overlays()
            self._refit_whole()
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_by(1.0 + event.value())
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        if key == Qt.Key.Key_F and not modifiers:
            self.fit_all()
        elif key == Qt.Key.Key_Z and not modifiers:
            self.zoom_to_selection()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._keep_whole = False  # a drag pans the view: the user's view from now on
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, NodeItem):
            if item.node.kind == "module" and item.node.name:
                self.module_activated.emit(item.node.name)
                event.accept()
                return
            if item.node.line is not None:
                self.node_activated.emit(item.node.line)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Zoomed far out, antialiasing thousands of hairline edges costs more than
        # it shows; the boxes and curves are a few pixels wide at that point.
        smooth = self.transform().m11() >= SMOOTH_ZOOM
        if smooth != bool(self.renderHints() & QPainter.RenderHint.Antialiasing):
            self.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
        if not self.is_scene_complete():
            painter = QPainter(self.viewport())
            painter.fillRect(event.rect(), self.backgroundBrush())
            painter.end()
        elif not self.snapshot.paint(event):
            super().paintEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        if not isinstance(item, NodeItem):
            super().contextMenuEvent(event)
            return
        menu = self.node_menu(item.node)
        if menu.isEmpty():
            return
        menu.exec(event.globalPos())

    def node_menu(self, node: GraphNode) -> QMenu:
        """The right-click menu of ``node``: close any open box around it, open it if a box."""
        menu = QMenu(self)
        for crumb in self.fold_crumbs(node):
            action = menu.addAction(tr("Collapse {box} into one box", box=crumb.text))
            action.triggered.connect(
                lambda _checked=False, c=crumb.fold_id: self.collapse_requested.emit(c)
            )
        if node.kind == "module" and node.name:
            action = menu.addAction(tr("Expand {name}", name=node.name))
            action.triggered.connect(
                lambda _checked=False, c=node.name: self.module_activated.emit(c)
            )
        return menu

    def leaveEvent(self, event: QEvent) -> None:
        self.highlight_paths(None)
        super().leaveEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        # Scrolling moves the viewport's child widgets along with the scene;
        # the legend and the message stay where they are.
        super().scrollContentsBy(dx, dy)
        self._place_overlays()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def _place_overlays(self) -> None:
        area = self.viewport().rect()
        self._message.setGeometry(area.adjusted(20, 20, -20, -20))
        self.legend.resize(self.legend.sizeHint())
        self.legend.move(area.width() - self.legend.width() - 8, 8)
        self.legend.raise_()
