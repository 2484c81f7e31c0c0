"""The graph pane: real scene items the user can click, zoom and pan."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QLabel, QWidget

from core.graph_model import AutogradGraph, GraphNode
from core.layout import Layout
from gui.graph_items import EdgeItem, NodeItem
from gui.legend import LegendWidget

EMPTY_MESSAGE = (
    "No autograd graph yet.\n\n"
    "Make a tensor with requires_grad=True, compute with it,\n"
    "then press Ctrl+Enter to run."
)
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0


class GraphView(QGraphicsView):
    """Shows an AutogradGraph laid out by dot; clicking a node selects it."""

    node_selected = Signal(object)  # GraphNode, or None when the selection is cleared
    node_activated = Signal(int)  # the source line of a double-clicked node

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.setMinimumSize(240, 200)
        self.graph = AutogradGraph()
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: list[EdgeItem] = []
        self._structure: tuple | None = None
        self._message = QLabel(self.viewport())
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.legend = LegendWidget(self.viewport())
        self.scene().selectionChanged.connect(self._on_selection_changed)
        self.show_message(EMPTY_MESSAGE)

    # -- content ------------------------------------------------------------
    def show_graph(self, graph: AutogradGraph, layout: Layout) -> None:
        """Draw ``graph``; keep the zoom and the selection when the structure is the same."""
        selected = self.selected_node_id()
        structure = graph.structure_key()
        if structure == self._structure and set(layout.nodes) == set(self.node_items):
            self.graph = graph
            for node_id, item in self.node_items.items():
                item.set_node(graph.nodes[node_id])
            self._on_selection_changed()
            return
        self.scene().clear()
        self.node_items.clear()
        self.edge_items.clear()
        self.graph = graph
        self._structure = structure
        for edge in layout.edges:
            item = EdgeItem(edge)
            self.scene().addItem(item)
            self.edge_items.append(item)
        for node_id, box in layout.nodes.items():
            item = NodeItem(graph.nodes[node_id], box)
            self.scene().addItem(item)
            self.node_items[node_id] = item
        margin = 24
        self.scene().setSceneRect(
            QRectF(-margin, -margin, layout.width + 2 * margin, layout.height + 2 * margin)
        )
        if not graph.nodes:
            self.show_message(EMPTY_MESSAGE)
        else:
            self.show_message(None)
        self.fit_all()
        if selected in self.node_items:
            self.node_items[selected].setSelected(True)
        else:
            self.node_selected.emit(None)

    def clear_graph(self, message: str = EMPTY_MESSAGE, error: bool = False) -> None:
        """Remove every item and show ``message`` instead."""
        self.scene().clear()
        self.node_items.clear()
        self.edge_items.clear()
        self.graph = AutogradGraph()
        self._structure = None
        self.show_message(message, error)
        self.node_selected.emit(None)

    def show_message(self, text: str | None, error: bool = False) -> None:
        """Show ``text`` over the view (None hides it)."""
        if not text:
            self._message.hide()
            return
        color = "#d62728" if error else "#777777"
        self._message.setStyleSheet(f"QLabel {{ color: {color}; font-size: 15px; }}")
        self._message.setText(text)
        self._message.show()
        self._place_overlays()

    def message_text(self) -> str:
        return self._message.text() if self._message.isVisible() else ""

    # -- selection ------------------------------------------------------------
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

    # -- navigation -----------------------------------------------------------
    def fit_all(self) -> None:
        """Fit the whole graph in the view, never enlarging past 2×."""
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 2.0:
            self.resetTransform()
            self.scale(2.0, 2.0)
            self.centerOn(rect.center())

    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps)
            event.accept()
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F and not event.modifiers():
            self.fit_all()
        elif event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25)
        elif event.key() == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
        else:
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, NodeItem) and item.node.line is not None:
            self.node_activated.emit(item.node.line)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def _place_overlays(self) -> None:
        area = self.viewport().rect()
        self._message.setGeometry(area.adjusted(20, 20, -20, -20))
        self.legend.resize(self.legend.sizeHint())
        self.legend.move(area.right() - self.legend.width() - 8, 8)
        self.legend.raise_()
