"""The colour legend drawn over the graph pane."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from autograd_playground.core.render.labels import FILL_COLORS, NONFINITE_COLOR
from autograd_playground.gui.appearance.graph_palette import LIGHT, GraphTheme
from autograd_playground.gui.graph.items import theme_fill
from autograd_playground.gui.ui_text import tr


def entries() -> list[tuple[str, str, Qt.PenStyle, str | None]]:
    """Return (fill key, text, border style, marking): the kinds first, then the markings."""
    solid = Qt.PenStyle.SolidLine
    return [
        ("leaf", tr("leaf (requires_grad)"), solid, None),
        ("root", tr("output"), solid, None),
        ("tensor", tr("named intermediate"), solid, None),
        ("op", tr("operation (grad_fn)"), solid, None),
        ("saved", tr("saved tensor"), solid, None),
        ("module", tr("module call (collapsed)"), solid, None),
        ("failed", tr("failed operation"), solid, None),
        ("leaf", tr("has a .grad"), solid, "badge"),
        ("leaf", "requires_grad=False", Qt.PenStyle.DashLine, None),
        ("op", tr("saved tensors freed"), Qt.PenStyle.DotLine, None),
        ("leaf", tr("NaN or inf"), solid, "nonfinite"),
    ]


def folded_text() -> str:
    """Return what the folded legend says: its name, and that a click opens it."""
    return tr("▸ Legend")


SWATCH = 14
LEGEND_PIXEL_SIZE = 12
PADDING = 6


class LegendWidget(QWidget):
    """Swatches in the graph's own colours and border styles, with their meaning.

    Folded, it is one line ("▸ Legend") that leaves the graph its room; a click
    folds or unfolds it.
    """

    folded_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folded = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._update_tip()
        # A pixel size, not points: the cached picture and the size hint must agree
        # on text widths whatever the screen's DPI.
        font = self.font()
        font.setPixelSize(LEGEND_PIXEL_SIZE)
        self.setFont(font)
        self.swatch = SWATCH
        self.theme: GraphTheme = LIGHT
        self._entries = [entry for entry in entries() if entry[0] in FILL_COLORS]
        self._cache = QPixmap()
        self._cache_key: tuple | None = None

    def set_theme(self, theme: GraphTheme) -> None:
        self.theme = theme
        self.update()

    def set_scale(self, scale: float) -> None:
        """Draw text and swatches ``scale`` times their normal size (for a projector)."""
        font = self.font()
        font.setPixelSize(round(LEGEND_PIXEL_SIZE * scale))
        self.setFont(font)
        self.swatch = round(SWATCH * scale)
        self.updateGeometry()
        self.update()

    def set_folded(self, folded: bool) -> None:
        """Show only the legend's name (True) or every entry (False)."""
        if folded == self.folded:
            return
        self.folded = folded
        self._update_tip()
        self.updateGeometry()
        self.update()
        self.folded_changed.emit(folded)

    def _update_tip(self) -> None:
        self.setToolTip(
            tr("Click to show the legend") if self.folded else tr("Click to fold the legend")
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.set_folded(not self.folded)
            event.accept()
        else:
            super().mousePressEvent(event)

    def entries(self) -> list[str]:
        return [text for _, text, _, _ in self._entries]

    def _row_height(self) -> int:
        return max(self.swatch, self.fontMetrics().height()) + 3

    def sizeHint(self) -> QSize:
        if self.folded:
            metrics = self.fontMetrics()
            return QSize(
                2 * PADDING + metrics.horizontalAdvance(folded_text()),
                2 * PADDING + metrics.height(),
            )
        text_width = max(self.fontMetrics().horizontalAdvance(e[1]) for e in self._entries)
        return QSize(
            2 * PADDING + self.swatch + 8 + text_width,
            2 * PADDING + self._row_height() * len(self._entries),
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        # The legend is repainted with every frame of the graph under it; its
        # antialiased text costs milliseconds, its cached picture almost nothing.
        ratio = self.devicePixelRatioF()
        key = (
            self.theme.name,
            self.width(),
            self.height(),
            ratio,
            self.font().pixelSize(),
            self.folded,
        )
        if self._cache_key != key:
            self._cache = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            self._cache.setDevicePixelRatio(ratio)
            self._cache.fill(Qt.GlobalColor.transparent)
            self._paint_legend(QPainter(self._cache))
            self._cache_key = key
        QPainter(self).drawPixmap(0, 0, self._cache)

    def _paint_legend(self, painter: QPainter) -> None:
        painter.setFont(self.font())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.theme.legend_border, 1))
        painter.setBrush(self.theme.legend_background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        if self.folded:
            painter.setPen(self.theme.legend_text)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, folded_text())
            painter.end()
            return
        row = self._row_height()
        for index, (key, text, style, marking) in enumerate(self._entries):
            top = PADDING + index * row
            swatch = QRectF(PADDING, top + (row - self.swatch) / 2, self.swatch, self.swatch)
            border = QColor(NONFINITE_COLOR) if marking == "nonfinite" else self.theme.node_border
            width = 2.2 if marking == "nonfinite" else max(1.2, self.theme.border_width)
            painter.setPen(QPen(border, width, style))
            painter.setBrush(theme_fill(self.theme, key))
            painter.drawRoundedRect(swatch, 3, 3)
            if marking == "badge":
                painter.setPen(QPen(self.theme.background, 1))
                painter.setBrush(self.theme.grad_badge)
                painter.drawEllipse(QPointF(swatch.right() - 1, swatch.top() + 1), 4, 4)
            painter.setPen(self.theme.legend_text)
            painter.drawText(
                QRectF(PADDING + self.swatch + 8, top, self.width(), row),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
        painter.end()
