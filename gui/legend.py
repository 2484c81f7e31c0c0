"""The colour legend drawn over the graph pane."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from core.labels import FILL_COLORS

ENTRIES = [
    ("leaf", "leaf (requires_grad)", Qt.PenStyle.SolidLine),
    ("root", "output", Qt.PenStyle.SolidLine),
    ("tensor", "named intermediate", Qt.PenStyle.SolidLine),
    ("op", "operation (grad_fn)", Qt.PenStyle.SolidLine),
    ("saved", "saved tensor", Qt.PenStyle.SolidLine),
    ("op", "saved tensors freed by backward", Qt.PenStyle.DashLine),
]
SWATCH = 14
PADDING = 6


class LegendWidget(QWidget):
    """Swatches in the graph's own colours and border styles, with their meaning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def entries(self) -> list[str]:
        return [text for _, text, _ in ENTRIES]

    def _row_height(self) -> int:
        return max(SWATCH, self.fontMetrics().height()) + 3

    def sizeHint(self) -> QSize:
        text_width = max(self.fontMetrics().horizontalAdvance(t) for _, t, _ in ENTRIES)
        return QSize(
            2 * PADDING + SWATCH + 8 + text_width, 2 * PADDING + self._row_height() * len(ENTRIES)
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#bbbbbb"), 1))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        row = self._row_height()
        for index, (key, text, style) in enumerate(ENTRIES):
            top = PADDING + index * row
            swatch = QRectF(PADDING, top + (row - SWATCH) / 2, SWATCH, SWATCH)
            painter.setPen(QPen(QColor("#333333"), 1.2, style))
            painter.setBrush(QColor(FILL_COLORS[key]))
            painter.drawRoundedRect(swatch, 3, 3)
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(PADDING + SWATCH + 8, top, self.width(), row),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )
