"""Scene items for graph nodes and edges, drawn from dot's positions."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from core.graph_model import GraphNode
from core.labels import FILL_COLORS, NONFINITE_COLOR, fill_key, has_nonfinite, node_lines
from core.layout import EdgePath, NodeBox

LABEL_PIXEL_SIZE = 11
SELECTED_COLOR = QColor("#1f77b4")
EDGE_COLORS = {"flow": QColor("#555555"), "saved": QColor("#cc7a00"), "view": QColor("#888888")}


def _label_font(bold: bool) -> QFont:
    font = QFont()
    font.setPixelSize(LABEL_PIXEL_SIZE)
    font.setBold(bold)
    return font


class NodeItem(QGraphicsItem):
    """A rounded box in the legend's colour with the node's name, op and shape."""

    def __init__(self, node: GraphNode, box: NodeBox) -> None:
        super().__init__()
        self.node = node
        self._rect = QRectF(-box.width / 2, -box.height / 2, box.width, box.height)
        self.setPos(box.x, box.y)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(1)
        self._refresh_tooltip()

    @property
    def node_id(self) -> str:
        return self.node.id

    def set_node(self, node: GraphNode) -> None:
        """Show new values for the same node without moving it."""
        self.node = node
        self._refresh_tooltip()
        self.update()

    def label_lines(self) -> list[str]:
        return node_lines(self.node)

    def fill_color(self) -> QColor:
        return QColor(FILL_COLORS[fill_key(self.node)])

    def _refresh_tooltip(self) -> None:
        node = self.node
        parts = [" ".join(self.label_lines())]
        if node.kind == "op" and node.label:
            parts.append(f"op: {node.label}")
        if node.line is not None:
            parts.append(f"line {node.line} (double-click to jump there)")
        self.setToolTip("\n".join(parts))

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -3, 3, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, 5, 5)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor("#333333"), 1)
        if has_nonfinite(self.node):
            pen = QPen(QColor(NONFINITE_COLOR), 2.5)
        if self.node.kind == "op" and self.node.saved_freed:
            pen.setStyle(Qt.PenStyle.DashLine)
        if self.isSelected():
            pen = QPen(SELECTED_COLOR, 3)
        painter.setPen(pen)
        painter.setBrush(QBrush(self.fill_color()))
        painter.drawRoundedRect(self._rect, 5, 5)
        self._paint_label(painter)

    def _paint_label(self, painter: QPainter) -> None:
        lines = self.label_lines()
        fonts = [
            _label_font(bold=index == 0 and self.node.kind != "op") for index in range(len(lines))
        ]
        widest = max(
            QFontMetricsF(f).horizontalAdvance(t) for f, t in zip(fonts, lines, strict=False)
        )
        room = self._rect.width() - 8
        scale = min(1.0, room / widest) if widest > 0 else 1.0
        line_height = QFontMetricsF(fonts[0]).height() * scale
        top = -line_height * len(lines) / 2
        painter.setPen(QColor("#111111"))
        for index, (font, text) in enumerate(zip(fonts, lines, strict=False)):
            if scale < 1.0:
                font.setPixelSize(max(1, int(LABEL_PIXEL_SIZE * scale)))
            painter.setFont(font)
            rect = QRectF(
                self._rect.left(), top + index * line_height, self._rect.width(), line_height
            )
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class EdgeItem(QGraphicsPathItem):
    """A spline from dot with an arrow head at its tip."""

    def __init__(self, edge: EdgePath) -> None:
        super().__init__()
        self.edge = edge
        color = EDGE_COLORS.get(edge.kind, EDGE_COLORS["flow"])
        pen = QPen(color, 1.2)
        if edge.kind == "saved":
            pen.setStyle(Qt.PenStyle.DashLine)
        elif edge.kind == "view":
            pen.setStyle(Qt.PenStyle.DotLine)
        self.setPen(pen)
        self.setPath(self._spline(edge))
        self._arrow = self._arrow_head(edge)
        self.setZValue(0)

    @staticmethod
    def _spline(edge: EdgePath) -> QPainterPath:
        path = QPainterPath()
        if not edge.points:
            return path
        path.moveTo(QPointF(*edge.points[0]))
        rest = edge.points[1:]
        for index in range(0, len(rest) - 2, 3):
            path.cubicTo(
                QPointF(*rest[index]), QPointF(*rest[index + 1]), QPointF(*rest[index + 2])
            )
        return path

    @staticmethod
    def _arrow_head(edge: EdgePath) -> QPolygonF | None:
        if edge.arrow_tip is None or not edge.points:
            return None
        tip = QPointF(*edge.arrow_tip)
        base = QPointF(*edge.points[-1])
        direction = tip - base
        length = (direction.x() ** 2 + direction.y() ** 2) ** 0.5 or 1.0
        unit = direction / length
        normal = QPointF(-unit.y(), unit.x()) * (length * 0.45)
        return QPolygonF([tip, base + normal, base - normal])

    def boundingRect(self) -> QRectF:
        rect = super().boundingRect()
        if self._arrow is not None:
            rect = rect.united(self._arrow.boundingRect())
        return rect.adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(6)
        return stroker.createStroke(self.path())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        super().paint(painter, option, widget)
        if self._arrow is not None:
            painter.setPen(QPen(self.pen().color(), 1))
            painter.setBrush(self.pen().color())
            painter.drawPolygon(self._arrow)
