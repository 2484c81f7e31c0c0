"""Marks over graph nodes while stepping through backward: the current node, and those done."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, Protocol

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from autograd_playground.gui.appearance.graph_palette import GraphTheme
from autograd_playground.gui.graph.items import LABEL_PIXEL_SIZE, NodeItem

# The colours are the theme's (GraphTheme.step_*): a magenta that nothing else in the
# graph uses, and a green tick. Sizes are in scene units, as the node labels are, so
# presentation mode's zoom enlarges the marks with the labels they sit on.
OUTLINE_GAP = 4.0
TICK_RADIUS = 8.0

StepMarkKind = Literal["current", "done"]


class StepMarkItem(QGraphicsItem):
    """Drawn over a node item: a thick outline and a tag ('current'), or a tick ('done').

    A separate item, so the node's own drawing (selection, search match, theme)
    is left alone and the mark goes away with a single removeItem.
    """

    def __init__(
        self, node_item: NodeItem, kind: StepMarkKind, theme: GraphTheme, tag: str = ""
    ) -> None:
        super().__init__()
        self.node_id = node_item.node_id
        self.kind = kind
        self.tag = tag
        self.theme = theme
        self._box = node_item.shape().boundingRect()
        self._font = QFont()
        self._font.setPixelSize(LABEL_PIXEL_SIZE)
        self._font.setBold(True)
        self._tag_rect = self._make_tag_rect()
        # Room for the outline, and for the tick's disc on the corner.
        margin = OUTLINE_GAP + max(theme.step_outline_width, TICK_RADIUS + 2)
        self._bounds = self._box.adjusted(-margin, -margin, margin, margin).united(self._tag_rect)
        self.setPos(node_item.pos())
        self.setZValue(3 if kind == "current" else 2)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks reach the node

    def _make_tag_rect(self) -> QRectF:
        if self.kind != "current" or not self.tag:
            return QRectF()
        metrics = QFontMetricsF(self._font)
        width = metrics.horizontalAdvance(self.tag) + 10
        height = metrics.height() + 4
        top = self._box.top() - OUTLINE_GAP - self.theme.step_outline_width / 2 - height
        return QRectF(self._box.left() - OUTLINE_GAP, top, width, height)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.kind == "done":
            self._paint_tick(painter)
            return
        theme = self.theme
        outline = self._box.adjusted(-OUTLINE_GAP, -OUTLINE_GAP, OUTLINE_GAP, OUTLINE_GAP)
        painter.setPen(QPen(theme.step_current, theme.step_outline_width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(outline, 8, 8)
        if not self._tag_rect.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.step_current)
            painter.drawRoundedRect(self._tag_rect, 4, 4)
            painter.setPen(theme.step_ink)
            painter.setFont(self._font)
            painter.drawText(self._tag_rect, Qt.AlignmentFlag.AlignCenter, self.tag)

    def _paint_tick(self, painter: QPainter) -> None:
        theme = self.theme
        centre = QPointF(self._box.left() + 1, self._box.top() + 1)
        # A ring of the background's colour parts the disc from the node's border.
        painter.setPen(QPen(theme.background, 1.5))
        painter.setBrush(theme.step_done)
        painter.drawEllipse(centre, TICK_RADIUS, TICK_RADIUS)
        tick = QPainterPath(centre + QPointF(-4, 0))
        tick.lineTo(centre + QPointF(-1.2, 3.2))
        tick.lineTo(centre + QPointF(4.3, -3.4))
        painter.setPen(QPen(theme.step_ink, 2.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)


class MarkedView(Protocol):
    """What the marks need of the graph view they are drawn on (gui/graph/view.py)."""

    node_items: dict[str, NodeItem]
    theme: GraphTheme

    def scene(self) -> QGraphicsScene: ...

    def viewport(self) -> QWidget: ...

    def mapToScene(self, rect: QRect) -> QPolygonF: ...

    def centerOn(self, item: QGraphicsItem) -> None: ...


class StepMarks:
    """The marks a backward walk leaves on a graph view: the node it is at, and those done."""

    def __init__(self, view: MarkedView) -> None:
        self._view = view
        self.node_id: str | None = None  # the node the walk is at, when it is drawn
        self._items: list[StepMarkItem] = []
        self._done: list[str] = []
        self._tag = ""

    def mark(self, node_id: str | None, done: Iterable[str] = (), tag: str = "") -> bool:
        """Outline ``node_id`` (None clears) and tick the ``done`` ones; centre it when it is
        off screen. Return False when it is not drawn."""
        view = self._view
        self._done, self._tag = list(dict.fromkeys(done)), tag
        self.node_id = node_id if node_id in view.node_items else None
        self._place_items()
        if self.node_id is None:
            return False
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        if not shown.contains(self._items[-1].sceneBoundingRect()):
            view.centerOn(view.node_items[self.node_id])
        return True

    def set_theme(self, _theme: GraphTheme) -> None:
        """Draw the marks again in the view's new theme: its colours and outline width."""
        self._place_items()

    def _place_items(self) -> None:
        view = self._view
        node_items, scene, theme = view.node_items, view.scene(), view.theme
        for item in self._items:
            scene.removeItem(item)
        self._items = [
            StepMarkItem(node_items[other], "done", theme)
            for other in self._done
            if other in node_items and other != self.node_id
        ]
        if self.node_id is not None:
            self._items.append(StepMarkItem(node_items[self.node_id], "current", theme, self._tag))
        for item in self._items:
            scene.addItem(item)

    def marks(self) -> dict[str, str]:
        """Return the marked nodes: node id to 'current' or 'done'."""
        return {item.node_id: item.kind for item in self._items}

    def forget(self) -> None:
        """Drop the marks without removing them: the scene is being cleared, items and all."""
        self.node_id, self._items, self._done = None, [], []
