"""A heat map in a window of its own, as large as the window: for a projector.

The inspector's column is narrow, in presentation mode most of all; a click on a
heat map there opens it here, where its cells take the whole window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from autograd_playground.core.graph.heat_map import HeatMap
from autograd_playground.gui.panes.heat_map_image import (
    HeatLayout,
    color_bar_width,
    paint_color_bar,
    paint_heat_map,
    paint_histogram,
    plan_layout,
)
from autograd_playground.gui.panes.heat_map_section import hover_text, legend, number, short
from autograd_playground.gui.ui_text import tr


class HeatMapCanvas(QWidget):
    """The cells, as large as the widget allows, with the colour bar under them."""

    def __init__(self, heat: HeatMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heat = heat
        self.layout_plan: HeatLayout | None = None
        self.setMinimumSize(160, 160)

    def _margin(self) -> int:
        return self.fontMetrics().height() // 2

    def _plan(self) -> tuple[HeatLayout, int]:
        """The cells' layout and the colour bar's height, for the widget's size now."""
        labels = self._labels()
        bar_height = paint_color_bar(self._bar_width(), self.font(), QColor(), labels).height()
        margin = self._margin()
        width, height = self.width() - 2 * margin, self.height() - 3 * margin - bar_height
        return plan_layout(self.heat, width, self.font(), max(16, height)), bar_height

    def _labels(self) -> tuple[str, str, str]:
        return (f"−{short(self.heat.scale)}", "0", f"+{short(self.heat.scale)}")

    def _bar_width(self) -> int:
        wanted = color_bar_width(self.font(), self._labels())
        return max(8, min(self.width() - 2 * self._margin(), max(wanted, self.width() // 2)))

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        self.layout_plan, _ = self._plan()
        cells = paint_heat_map(self.heat, self.layout_plan, self.font(), text)
        bar = paint_color_bar(self._bar_width(), self.font(), text, self._labels())
        margin = self._margin()
        painter = QPainter(self)
        painter.drawImage(QPoint(margin, margin), cells)
        painter.drawImage(QPoint(margin, 2 * margin + cells.height()), bar)
        self._paint_histogram(painter, QPoint(2 * margin + cells.width(), margin), text)
        painter.end()

    def _paint_histogram(self, painter: QPainter, corner: QPoint, text: QColor) -> None:
        """The histogram and min / max / mean beside the cells, where there is room."""
        histogram = self.heat.histogram
        line = self.fontMetrics().height()
        width = min(16 * line, self.width() - corner.x() - self._margin())
        if histogram is None or width < 8 * line:
            return
        image = paint_histogram(histogram, width, self.font(), text)
        painter.drawImage(corner, image)
        painter.setPen(text)
        lines = (
            tr("min {low}", low=number(histogram.low)),
            tr("max {high}", high=number(histogram.high)),
            tr("mean {mean}", mean=number(histogram.mean)),
        )
        for index, words in enumerate(lines):
            top = corner.y() + image.height() + (index + 1) * line
            painter.drawText(QPoint(corner.x(), top), words)

    def cell_at(self, point: QPoint) -> str | None:
        """The hover text of the cell at ``point``, if one is there."""
        if self.layout_plan is None:
            self.layout_plan, _ = self._plan()
        plan = self.layout_plan
        inside = point - QPoint(self._margin(), self._margin())
        for panel_number, rect in enumerate(plan.panel_rects):
            if rect.contains(inside):
                row = (inside.y() - rect.top()) // plan.cell_height
                col = (inside.x() - rect.left()) // plan.cell_width
                panel = self.heat.panels[panel_number]
                if row < panel.rows and col < panel.cols:
                    return hover_text(self.heat, panel_number, row, col)
        return None

    def cell_rect(self, number: int, row: int, col: int) -> QRect:
        """Where a cell is drawn, in the widget's coordinates."""
        if self.layout_plan is None:
            self.layout_plan, _ = self._plan()
        plan = self.layout_plan
        panel = plan.panel_rects[number]
        x = self._margin() + panel.left() + col * plan.cell_width
        y = self._margin() + panel.top() + row * plan.cell_height
        return QRect(x, y, plan.cell_width, plan.cell_height)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.cell_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        if event.type() == QEvent.Type.Resize:
            self.layout_plan = None
        return super().event(event)


class HeatMapWindow(QWidget):
    """A tensor's heat map in a window: ``title`` above, the legend below."""

    def __init__(self, title: str, heat: HeatMap, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(title)
        self.canvas = HeatMapCanvas(heat, self)
        self.legend = QLabel(legend(heat), self)
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.legend)
        line = self.fontMetrics().height()
        self.resize(32 * line, 30 * line)
