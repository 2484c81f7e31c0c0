"""Marks over graph nodes while stepping through backward: the current node, and those done."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from gui.graph_items import NodeItem

if TYPE_CHECKING:
    from gui.graph_view import GraphView

# Magenta is used by nothing else in the graph and reads on white, dark gray and black.
STEP_COLOR = QColor("#e6007e")
DONE_COLOR = QColor("#2ca02c")
OUTLINE_WIDTH = 4.0
OUTLINE_GAP = 4.0
TAG_PIXEL_SIZE = 11

StepMarkKind = Literal["current", "done"]


class StepMarkItem(QGraphicsItem):
    """Drawn over a node item: a thick outline and a tag ('current'), or a tick ('done').

    A separate item, so the node's own drawing (selection, search match, theme)
    is left alone and the mark goes away with a single removeItem.
    """

    def __init__(self, node_item: NodeItem, kind: StepMarkKind, tag: str = "") -> None:
        super().__init__()
        self.node_id = node_item.node_id
        self.kind = kind
        self.tag = tag
        self._box = node_item.shape().boundingRect()
        self._font = QFont()
        self._font.setPixelSize(TAG_PIXEL_SIZE)
        self._font.setBold(True)
        self._tag_rect = self._make_tag_rect()
        margin = OUTLINE_GAP + OUTLINE_WIDTH
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
        top = self._box.top() - OUTLINE_GAP - OUTLINE_WIDTH / 2 - height
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
        outline = self._box.adjusted(-OUTLINE_GAP, -OUTLINE_GAP, OUTLINE_GAP, OUTLINE_GAP)
        painter.setPen(QPen(STEP_COLOR, OUTLINE_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(outline, 8, 8)
        if not self._tag_rect.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(STEP_COLOR)
            painter.drawRoundedRect(self._tag_rect, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.setFont(self._font)
            painter.drawText(self._tag_rect, Qt.AlignmentFlag.AlignCenter, self.tag)

    def _paint_tick(self, painter: QPainter) -> None:
        centre = QPointF(self._box.left() + 1, self._box.top() + 1)
        painter.setPen(QPen(QColor("#ffffff"), 1.2))
        painter.setBrush(DONE_COLOR)
        painter.drawEllipse(centre, 7, 7)
        tick = QPainterPath(centre + QPointF(-3.5, 0))
        tick.lineTo(centre + QPointF(-1, 2.8))
        tick.lineTo(centre + QPointF(3.8, -3))
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)


class StepMarks:
    """The marks a backward walk leaves on a graph view: the node it is at, and those done."""

    def __init__(self, view: GraphView) -> None:
        self._view = view
        self.node_id: str | None = None  # the node the walk is at, when it is drawn
        self._items: list[StepMarkItem] = []

    def mark(self, node_id: str | None, done: Iterable[str] = (), tag: str = "") -> bool:
        """Outline ``node_id`` (None clears) and tick the ``done`` ones; centre it when it is
        off screen. Return False when it is not drawn."""
        view = self._view
        node_items, scene = view.node_items, view.scene()
        for item in self._items:
            scene.removeItem(item)
        self._items = [
            StepMarkItem(node_items[other], "done")
            for other in dict.fromkeys(done)
            if other in node_items and other != node_id
        ]
        self.node_id = node_id if node_id in node_items else None
        if self.node_id is not None:
            self._items.append(StepMarkItem(node_items[self.node_id], "current", tag))
        for item in self._items:
            scene.addItem(item)
        if self.node_id is None:
            return False
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        if not shown.contains(self._items[-1].sceneBoundingRect()):
            view.centerOn(node_items[self.node_id])
        return True

    def marks(self) -> dict[str, str]:
        """Return the marked nodes: node id to 'current' or 'done'."""
        return {item.node_id: item.kind for item in self._items}

    def forget(self) -> None:
        """Drop the marks without removing them: the scene is being cleared, items and all."""
        self.node_id, self._items = None, []
