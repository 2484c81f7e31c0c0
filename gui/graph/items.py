"""Scene items for graph nodes and edges, drawn from dot's positions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from autograd_playground.core.graph.graph_model import GraphNode, TensorSummary
from autograd_playground.core.render.inline_values import inline_lines
from autograd_playground.core.render.labels import (
    FILL_COLORS,
    NONFINITE_COLOR,
    fill_key,
    has_nonfinite,
    node_lines,
)
from autograd_playground.core.render.layout import EdgePath, NodeBox
from autograd_playground.core.render.text_metrics import TextMetrics
from autograd_playground.gui.appearance.graph_palette import LIGHT, GraphTheme
from autograd_playground.gui.ui_text import tr, ui_language

LABEL_PIXEL_SIZE = 11
# Below this on-screen text height labels are unreadable anyway: draw plain boxes,
# which keeps a zoomed-out 2,000-node graph smooth to pan.
MIN_READABLE_PIXELS = 4.0
DIMMED_OPACITY = 0.18


# A node's pen, brush, selection and theme, by theme identity and what decides them.
_LOOKS: dict[tuple, tuple[QPen, QBrush, bool, GraphTheme]] = {}


def theme_fill(theme: GraphTheme, key: str) -> QColor:
    """Return the fill of legend entry ``key`` in ``theme``."""
    return QColor((theme.fills or FILL_COLORS)[key])


def _label_font(bold: bool, pixel_size: int = LABEL_PIXEL_SIZE) -> QFont:
    font = QFont()
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font


# Characters beyond ASCII that labels often hold, measured rather than taken as wide.
_COMMON_NON_ASCII = "‖×…·—–→←≤≥±°²³µ"
_WIDE_CHARACTER = "汉"  # any other: as wide as a CJK character, the widest kind


def scene_label_metrics() -> TextMetrics:
    """The labels' font as this window draws it, for the layout to size boxes with.

    Sized with the layout engine's Helvetica estimate instead, a box held its
    text only where the platform's font is no wider: with DejaVu Sans, most
    labels had to shrink to fit, and a projector showed names in a smaller font.
    """
    characters = [chr(code) for code in range(32, 127)] + list(_COMMON_NON_ASCII)
    regular, bold = QFontMetricsF(_label_font(False)), QFontMetricsF(_label_font(True))
    return TextMetrics(
        {character: regular.horizontalAdvance(character) for character in characters},
        other=regular.horizontalAdvance(_WIDE_CHARACTER),
        # Lines are stacked at the regular font's height (see NodeItem._lay_out_text).
        line_height=regular.height(),
        bold={character: bold.horizontalAdvance(character) for character in characters},
        other_bold=bold.horizontalAdvance(_WIDE_CHARACTER),
    )


def border_style(node: GraphNode) -> Qt.PenStyle:
    """Dotted: backward freed its saved tensors; dashed: a requires_grad=False break."""
    if node.kind == "op" and node.saved_freed:
        return Qt.PenStyle.DotLine
    if node.kind != "op" and node.requires_grad is False:
        return Qt.PenStyle.DashLine
    return Qt.PenStyle.SolidLine


def drawn_state(node: GraphNode) -> tuple:
    """Everything about ``node`` that its box shows, besides its fixed name and shape."""
    return (
        inline_lines(node),
        has_nonfinite(node),
        node.kind != "op" and node.grad is not None,
        node.saved_freed,
        node.requires_grad,
    )


# A module box part way through the forward pass: the bar along its foot, and how the
# part not yet run is told apart from the rest while the label stays readable on it.
FILL_BAR_HEIGHT = 3.0
MIN_LABEL_LIGHTNESS_GAP = 0.5
UNFILLED_DARKER = 145


class NodeItem(QGraphicsItem):
    """A rounded box in the legend's colour with the node's name, op, shape and values.

    What to draw is worked out once per new node state, lazily at the first
    paint, so a value update of a large graph costs little for items off screen.
    """

    def __init__(
        self,
        node: GraphNode,
        box: NodeBox,
        theme: GraphTheme = LIGHT,
        on_hover: Callable[[str | None], None] | None = None,
    ) -> None:
        super().__init__()
        self.node = node
        self.theme = theme
        self.is_match = False
        self._on_hover = on_hover
        self._rect = QRectF(-box.width / 2, -box.height / 2, box.width, box.height)
        self._bounds = self._rect.adjusted(-4, -6, 6, 4)
        self._text: list[tuple[QFont, QRectF, str]] | None = None
        # While backward is stepped through: the grad arrived so far, in a 1-tuple
        # since None (nothing arrived yet) is a value. None: the node's own grad.
        self._step_grad: tuple[TensorSummary | None] | None = None
        # While forward is stepped through a folded module box: (ops run, ops in the box).
        self._filling: tuple[int, int] | None = None
        # Made now, while the view builds in timed slices, not at the first picture.
        self._look: tuple[QPen, QBrush, bool, GraphTheme] | None = self._make_look(False)
        self.setPos(box.x, box.y)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)

    @property
    def node_id(self) -> str:
        return self.node.id

    def set_node(self, node: GraphNode) -> None:
        """Show new values for the same node without moving it.

        Most of a large graph's nodes look the same after a training step (an
        op's box shows no numbers), so only those whose drawing changed repaint.
        """
        before = drawn_state(self.shown_node())
        self.node = node
        if drawn_state(self.shown_node()) != before:
            self._text = None
            self._look = None
            self.update()

    def shown_node(self) -> GraphNode:
        """The node as its box shows it: while backward is stepped, with the grad so far."""
        if self._step_grad is None:
            return self.node
        return replace(self.node, grad=self._step_grad[0])

    def set_step_grad(self, grad: TensorSummary | None) -> None:
        """Show ``grad`` as the grad arrived so far (None: none yet) instead of ``.grad``."""
        self._set_shown_grad((grad,))

    def clear_step_grad(self) -> None:
        """Show the node's real ``.grad`` again."""
        self._set_shown_grad(None)

    def _set_shown_grad(self, step_grad: tuple[TensorSummary | None] | None) -> None:
        before = drawn_state(self.shown_node())
        self._step_grad = step_grad
        if drawn_state(self.shown_node()) != before:
            self._text = None
            self.update()

    def set_filling(self, filling: tuple[int, int] | None) -> None:
        """Draw the box as a module call part way through: ``(ops run, ops)`` fills that
        share of it from the left and says so; None draws it whole."""
        if filling != self._filling:
            self._filling = filling
            self._text = None
            self.update()

    @property
    def filling(self) -> tuple[int, int] | None:
        return self._filling

    def set_theme(self, theme: GraphTheme) -> None:
        self.theme = theme
        self._look = None
        self.update()

    def set_match(self, is_match: bool) -> None:
        if is_match != self.is_match:
            self.is_match = is_match
            self._look = None
            self.update()

    def label_lines(self) -> list[str]:
        """Every line drawn in the box: name or op, shape, then small values and grads."""
        lines = node_lines(self.node, ui_language()) + inline_lines(self.shown_node())
        if self._filling is not None and len(lines) > 1:
            done, total = self._filling
            lines[1] = tr("{done} of {total} ops run", done=done, total=total)
        return lines

    def fill_color(self) -> QColor:
        return theme_fill(self.theme, fill_key(self.node))

    def border_pen(self) -> QPen:
        return self._make_look(self.isSelected())[0]

    def _make_look(self, selected: bool) -> tuple[QPen, QBrush, bool, GraphTheme]:
        # Thousands of boxes share a handful of looks: making each one's pen and
        # brush anew would slow a big graph's first picture.
        node = self.node
        key = (
            id(self.theme),
            fill_key(node),
            border_style(node),
            has_nonfinite(node),
            selected,
            self.is_match,
        )
        failed = key[1] == "failed"
        look = _LOOKS.get(key)
        if look is None or look[3] is not self.theme:
            pen = self._pen(*key[2:], failed=failed)
            look = _LOOKS[key] = (pen, QBrush(theme_fill(self.theme, key[1])), selected, self.theme)
        return look

    def _pen(
        self, style: Qt.PenStyle, nonfinite: bool, selected: bool, match: bool, failed: bool
    ) -> QPen:
        if selected:
            return QPen(self.theme.selected, max(3.0, self.theme.border_width + 1.5))
        if match:
            return QPen(self.theme.match, max(3.0, self.theme.border_width + 1.5))
        if failed:
            pen = QPen(self.theme.message_error, max(3.0, self.theme.border_width + 1.5))
        elif nonfinite:
            pen = QPen(QColor(NONFINITE_COLOR), 2.5)
        else:
            pen = QPen(self.theme.node_border, self.theme.border_width)
        pen.setStyle(style)
        return pen

    def has_grad_badge(self) -> bool:
        grad = self.node.grad if self._step_grad is None else self._step_grad[0]
        return self.node.kind != "op" and grad is not None

    def tooltip_text(self) -> str:
        node = self.node
        parts = [" ".join(node_lines(node))]
        if node.kind == "op" and node.label:
            parts.append(f"op: {node.label}")
        if node.kind == "module":
            parts.append(tr("double-click to expand"))
        if self.has_grad_badge():
            parts.append(tr("has a .grad (click to see it)"))
        if node.line is not None:
            parts.append(tr("line {line} (double-click to jump there)", line=node.line))
        return "\n".join(parts)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, 5, 5)
        return path

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        # The tooltip and cursor are set here rather than for every node up front:
        # on a 2,000-node graph that would cost tens of milliseconds per drawing.
        self.setToolTip(self.tooltip_text())
        if not self.hasCursor():
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        if self._on_hover is not None:
            self._on_hover(self.node_id)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self._on_hover is not None:
            self._on_hover(None)
        super().hoverLeaveEvent(event)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        selected = self.isSelected()
        look = self._look
        if look is None or look[2] != selected:
            look = self._look = self._make_look(selected)
        if painter.worldTransform().m11() * LABEL_PIXEL_SIZE < MIN_READABLE_PIXELS:
            # Zoomed far out, thousands of boxes repaint per frame: one call each.
            painter.fillRect(self._rect, look[1])
            if selected or self.is_match:
                painter.setPen(look[0])
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(self._rect)
            return
        painter.setPen(look[0])
        painter.setBrush(look[1])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._filling is None:
            painter.drawRoundedRect(self._rect, 5, 5)
        else:
            self._paint_filling(painter, look[0], look[1])
        if self._text is None:
            self._text = self._lay_out_text()
        painter.setPen(self.theme.node_text)
        for font, rect, text in self._text:
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if self.has_grad_badge():
            centre = QPointF(self._rect.right() - 1, self._rect.top() + 1)
            # A ring of the background's colour parts the badge from the border.
            painter.setPen(QPen(self.theme.background, 1))
            painter.setBrush(self.theme.grad_badge)
            painter.drawEllipse(centre, 4.5, 4.5)

    def _paint_filling(self, painter: QPainter, pen: QPen, brush: QBrush) -> None:
        """The box's own fill across the share of its ops that ran, the rest empty, a bar
        of the step colour along its foot as long as that share, and a dashed border:
        it is still being made."""
        done, total = self._filling or (0, 1)
        share = done / max(total, 1)
        outline = QPainterPath()
        outline.addRoundedRect(self._rect, 5, 5)
        painter.fillPath(outline, self.unfilled_color(brush.color()))
        filled = QRectF(self._rect)
        filled.setWidth(self._rect.width() * share)
        painter.save()
        painter.setClipPath(outline)
        painter.fillRect(filled, brush)
        # Inside the border, which is thick in high contrast.
        foot = filled.bottom() - pen.widthF() / 2
        bar = QRectF(filled.left(), foot - FILL_BAR_HEIGHT, filled.width(), FILL_BAR_HEIGHT)
        painter.fillRect(bar, self.theme.step_current)
        painter.restore()
        dashed = QPen(pen)
        dashed.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(dashed)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(outline)

    def unfilled_color(self, fill: QColor) -> QColor:
        """The empty part: the background where the label reads on it (light, high
        contrast), else the fill darkened (dark theme's dark label on a dark background)."""
        back, ink = self.theme.background, self.theme.node_text
        if abs(back.lightnessF() - ink.lightnessF()) >= MIN_LABEL_LIGHTNESS_GAP:
            return back
        return fill.darker(UNFILLED_DARKER)

    def _lay_out_text(self) -> list[tuple[QFont, QRectF, str]]:
        """Fonts and rectangles for the label; only a line too wide for the box shrinks.

        A long value such as "grad -8.974e-06" must not make the name above it
        unreadable on a projector.
        """
        lines = self.label_lines()
        room = self._rect.width() - 8
        line_height = QFontMetricsF(_label_font(False)).height()
        top = -line_height * len(lines) / 2
        laid_out = []
        for index, text in enumerate(lines):
            font = _label_font(index == 0 and self.node.kind != "op")
            width = QFontMetricsF(font).horizontalAdvance(text)
            if width > room > 0:
                font.setPixelSize(max(1, int(LABEL_PIXEL_SIZE * room / width)))
            rect = QRectF(
                self._rect.left(), top + index * line_height, self._rect.width(), line_height
            )
            laid_out.append((font, rect, text))
        return laid_out


# An edge kind's line pen and arrow brush, by theme identity and kind.
_EDGE_LOOKS: dict[tuple[int, str], tuple[GraphTheme, QPen, QBrush]] = {}


def _edge_look(theme: GraphTheme, kind: str) -> tuple[QPen, QBrush]:
    """Shared by every edge of a kind: a new pen per edge cost a big graph milliseconds."""
    look = _EDGE_LOOKS.get((id(theme), kind))
    if look is None or look[0] is not theme:
        color = theme.edge_colors.get(kind, theme.edge_colors["flow"])
        line_pen = QPen(color, theme.edge_width)
        if kind == "saved":
            line_pen.setStyle(Qt.PenStyle.DashLine)
        elif kind == "view":
            line_pen.setStyle(Qt.PenStyle.DotLine)
        look = _EDGE_LOOKS[(id(theme), kind)] = (theme, line_pen, QBrush(color))
    return look[1:]


class EdgeItem(QGraphicsPathItem):
    """A spline from dot with an arrow head at its tip.

    Both parts are Qt's own items, painted without calling back into Python:
    a large graph has thousands of edges, all repainted at every pan.
    """

    def __init__(self, edge: EdgePath, theme: GraphTheme = LIGHT) -> None:
        super().__init__()
        self.edge = edge
        self.setPath(self._spline(edge))
        arrow = self._arrow_head(edge)
        self.arrow = QGraphicsPolygonItem(arrow, self) if arrow is not None else None
        if self.arrow is not None:
            # Filled, not outlined: an outline is stroked anew at every paint, and once
            # more to find the item's bounds, for a head half a pixel bigger.
            self.arrow.setPen(Qt.PenStyle.NoPen)
        self.set_theme(theme)
        self.setZValue(0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # a drag on an edge pans

    def set_theme(self, theme: GraphTheme) -> None:
        line_pen, arrow_brush = _edge_look(theme, self.edge.kind)
        self.setPen(line_pen)
        if self.arrow is not None:
            self.arrow.setBrush(arrow_brush)

    @staticmethod
    def _spline(edge: EdgePath) -> QPainterPath:
        path = QPainterPath()
        points = edge.points
        if not points:
            return path
        path.moveTo(*points[0])
        # Plain numbers, not QPointF: each wrapper made in Python costs more than the curve.
        for index in range(1, len(points) - 2, 3):
            (x1, y1), (x2, y2), (x3, y3) = points[index : index + 3]
            path.cubicTo(x1, y1, x2, y2, x3, y3)
        return path

    @staticmethod
    def _arrow_head(edge: EdgePath) -> QPolygonF | None:
        if edge.arrow_tip is None or not edge.points:
            return None
        # Plain floats: QPointF arithmetic goes through Python wrappers at every step,
        # which made this the slowest part of drawing a large graph.
        tip_x, tip_y = edge.arrow_tip
        base_x, base_y = edge.points[-1]
        # The head's half-width is 45 % of its length, across the direction of travel.
        nx, ny = -(tip_y - base_y) * 0.45, (tip_x - base_x) * 0.45
        return QPolygonF(
            [
                QPointF(tip_x, tip_y),
                QPointF(base_x + nx, base_y + ny),
                QPointF(base_x - nx, base_y - ny),
            ]
        )
