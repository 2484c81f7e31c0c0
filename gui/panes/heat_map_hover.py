"""Which heat map cell lies under the mouse in the inspector's page, and what it says."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from autograd_playground.core.graph.heat_map import HeatMap
from autograd_playground.gui.panes.heat_map_image import HeatLayout
from autograd_playground.gui.panes.heat_map_section import hover_text


@dataclass(frozen=True)
class HeatSpot:
    """A heat map's cells image on the page: its resource name, map, layout, and the
    part of the node it shows ("value" or "grad")."""

    image: str
    heat: HeatMap
    layout: HeatLayout
    part: str = "value"


def image_rect(browser: QTextBrowser, name: str) -> QRectF | None:
    """Where the page shows image ``name``, in the viewport's coordinates; None if not shown."""
    document = browser.document()
    cursor = document.find(_OBJECT_CHAR)
    while not cursor.isNull():
        fmt = cursor.charFormat()
        if fmt.isImageFormat() and fmt.toImageFormat().name() == name:
            return _char_rect(browser, cursor.selectionStart(), fmt.toImageFormat())
        cursor = document.find(_OBJECT_CHAR, cursor)
    return None


_OBJECT_CHAR = "\ufffc"  # the character that stands for an image in a text document


def _char_rect(browser: QTextBrowser, position: int, fmt) -> QRectF | None:
    document = browser.document()
    block = document.findBlock(position)
    text_layout = block.layout()
    offset = position - block.position()
    line = text_layout.lineForTextPosition(offset)
    if not line.isValid():
        return None
    image = browser.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(fmt.name()))
    width = fmt.width() or image.width()
    height = fmt.height() or image.height()
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    # The cursor's rectangle is the line's, in the viewport. The heat map's images
    # each fill a line of their own (none is lower than a line of text), so their
    # bottom is the line's.
    line_rect = browser.cursorRect(cursor)
    top = line_rect.top() + line_rect.height() - height
    return QRectF(line_rect.left(), top, width, height)


def spot_at(browser: QTextBrowser, spots: list[HeatSpot], point: QPoint) -> HeatSpot | None:
    """The heat map whose cells image is at ``point`` of ``browser``'s viewport, if any."""
    for spot in spots:
        rect = image_rect(browser, spot.image)
        if rect is not None and rect.contains(QPointF(point)):
            return spot
    return None


def cell_at(browser: QTextBrowser, spots: list[HeatSpot], point: QPoint) -> str | None:
    """The hover text of the cell at ``point`` of ``browser``'s viewport, if any."""
    for spot in spots:
        rect = image_rect(browser, spot.image)
        if rect is None or not rect.contains(QPointF(point)):
            continue
        inside = QPointF(point) - rect.topLeft()
        for number, cells in enumerate(spot.layout.panel_rects):
            if cells.contains(inside.toPoint()):
                col = int(inside.x() - cells.left()) // spot.layout.cell_width
                row = int(inside.y() - cells.top()) // spot.layout.cell_height
                panel = spot.heat.panels[number]
                if 0 <= row < panel.rows and 0 <= col < panel.cols:
                    return hover_text(spot.heat, number, row, col)
    return None


def cell_center(browser: QTextBrowser, spot: HeatSpot, number: int, row: int, col: int) -> QPoint:
    """The viewport point at the middle of a cell: where a test, or a tour, points."""
    rect = image_rect(browser, spot.image)
    cells = spot.layout.panel_rects[number]
    return QPointF(
        rect.left() + cells.left() + (col + 0.5) * spot.layout.cell_width,
        rect.top() + cells.top() + (row + 0.5) * spot.layout.cell_height,
    ).toPoint()
