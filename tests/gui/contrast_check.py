"""Measure, in a rendered picture, the contrast of every text a window shows, and of its plot lines.

Pixels, not palettes: a style sheet, a palette frozen at polish time or a colour
set by hand all show in the picture, whatever the widget claims its colours are.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractListModel, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QTextBlock
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMenuBar,
    QRadioButton,
    QStyle,
    QTabBar,
    QTextEdit,
    QWidget,
)

from autograd_playground.core.appearance.contrast import (
    NON_TEXT_MIN_CONTRAST,
    TEXT_MIN_CONTRAST,
    contrast_ratio,
    hex_rgb,
    text_contrast,
)
from autograd_playground.gui.training.live_curve import LiveCurve

FRAME_PX = 3  # a button's or a field's frame, left out of the text's region
# A run of rich text or a cell with fewer characters than this may draw too few
# pixels to tell from a speck ("1", ":"): it is left out.
MIN_CHARACTERS_TO_SEE = 3
# Where the regions of a widget with a viewport are: (what, text, the viewport, where in it).
_Region = tuple[str, str, QWidget, QRect]


def image_pixels(image: QImage) -> np.ndarray:
    """Return ``image`` as an array of rows of (red, green, blue)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height)
    return rows.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


def _label(widget: QWidget, text: str) -> str:
    return f"{type(widget).__name__} {text.strip()[:40]!r}"


def _checkable_text_rect(button: QAbstractButton) -> QRect:
    """The part of a check or radio box beside its indicator, where its text is."""
    style = button.style()
    indicator = QStyle.PixelMetric.PM_IndicatorWidth
    spacing = QStyle.PixelMetric.PM_CheckBoxLabelSpacing
    if isinstance(button, QRadioButton):
        indicator = QStyle.PixelMetric.PM_ExclusiveIndicatorWidth
        spacing = QStyle.PixelMetric.PM_RadioButtonLabelSpacing
    left = style.pixelMetric(indicator, None, button) + style.pixelMetric(spacing, None, button)
    return button.rect().adjusted(left + 2, 0, 0, 0)


def _colour_runs(block: QTextBlock) -> list[tuple[int, int, str]]:
    """The block's text as (start, end, colour name) runs, one per foreground colour."""
    runs: list[tuple[int, int, str]] = []
    for part in block.textFormats():
        brush = part.format.foreground()
        color = brush.color().name() if brush.style() != Qt.BrushStyle.NoBrush else "default"
        start, end = part.start, part.start + part.length
        if runs and runs[-1][2] == color and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end, color)
        else:
            runs.append((start, end, color))
    return runs


def rich_text_regions(edit: QTextEdit) -> list[_Region]:
    """Each line of each colour run of ``edit``'s document that shows in its viewport."""
    document, viewport = edit.document(), edit.viewport()
    scroll = QPoint(edit.horizontalScrollBar().value(), edit.verticalScrollBar().value())
    regions = []
    block = document.begin()
    while block.isValid():
        origin = document.documentLayout().blockBoundingRect(block).topLeft()
        layout, text = block.layout(), block.text()
        for start, end, _color in _colour_runs(block):
            for index in range(layout.lineCount()):
                line = layout.lineAt(index)
                first = max(start, line.textStart())
                last = min(end, line.textStart() + line.textLength())
                piece = text[first:last]
                if not piece.strip():
                    continue
                left, _ = line.cursorToX(first)
                right, _ = line.cursorToX(last)
                place = QRectF(left, line.y(), right - left, line.height()).translated(origin)
                rect = place.toAlignedRect().translated(-scroll).intersected(viewport.rect())
                if rect.width() >= 2 and rect.height() >= 2:
                    regions.append((f"text {piece.strip()[:40]!r}", piece, viewport, rect))
        block = block.next()
    return regions


def item_view_regions(view: QAbstractItemView) -> list[_Region]:
    """Each cell of ``view`` that shows text in its viewport, and a table's header labels."""
    model, viewport = view.model(), view.viewport()
    regions = []
    if model is None:
        return regions
    root = view.rootIndex()
    # A list's model hides its column count: it has one.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for row in range(model.rowCount(root)):
        for column in range(columns):
            index = model.index(row, column, root)
            text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "")
            rect = view.visualRect(index).adjusted(2, 1, -2, -1).intersected(viewport.rect())
            if text.strip() and rect.width() >= 2 and rect.height() >= 2:
                regions.append((f"cell {text.strip()[:40]!r}", text, viewport, rect))
    for header in (getattr(view, "horizontalHeader", None), getattr(view, "verticalHeader", None)):
        header = header() if header is not None else None
        if header is None or not header.isVisible():
            continue
        horizontal = header.orientation() == Qt.Orientation.Horizontal
        for section in range(header.count()):
            text = str(model.headerData(section, header.orientation()) or "")
            start, size = header.sectionViewportPosition(section), header.sectionSize(section)
            if horizontal:
                rect = QRect(start, 0, size, header.height())
            else:
                rect = QRect(0, start, header.width(), size)
            rect = rect.adjusted(2, 1, -2, -1).intersected(header.rect())
            if text.strip() and rect.width() >= 2 and rect.height() >= 2:
                regions.append((f"header {text.strip()[:40]!r}", text, header, rect))
    return regions


def _viewport_regions(widget: QWidget) -> list[_Region]:
    if isinstance(widget, QTextEdit):
        return rich_text_regions(widget)
    if isinstance(widget, QAbstractItemView):
        return item_view_regions(widget)
    return []


def text_regions(root: QWidget) -> list[tuple[str, QWidget, QRect]]:
    """Return (what, widget, where in the widget) for each text ``root`` shows enabled:
    in labels, buttons, fields, tabs, titles and menus, and in the lines of rich text
    and the cells of tables and lists.

    Disabled controls are left out: WCAG asks no contrast of them.
    """
    regions = []
    shown = [root, *root.findChildren(QWidget)]
    for widget in shown:
        if not widget.isVisibleTo(root) or not widget.isEnabled() or widget.width() < 4:
            continue
        inner = widget.rect().adjusted(FRAME_PX, FRAME_PX, -FRAME_PX, -FRAME_PX)
        if isinstance(widget, QLabel) and widget.text().strip() and widget.pixmap().isNull():
            regions.append((_label(widget, widget.text()), widget, widget.contentsRect()))
        elif isinstance(widget, (QCheckBox, QRadioButton)) and widget.text().strip():
            regions.append((_label(widget, widget.text()), widget, _checkable_text_rect(widget)))
        elif isinstance(widget, QAbstractButton) and widget.text().strip():
            regions.append((_label(widget, widget.text()), widget, inner))
        elif isinstance(widget, QLineEdit) and (widget.text() or widget.placeholderText()):
            regions.append(
                (_label(widget, widget.text() or widget.placeholderText()), widget, inner)
            )
        elif isinstance(widget, QComboBox) and not widget.isEditable() and widget.currentText():
            arrow = widget.height()  # the drop-down arrow's square, at the right
            regions.append(
                (_label(widget, widget.currentText()), widget, inner.adjusted(0, 0, -arrow, 0))
            )
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                rect = widget.tabRect(index).adjusted(FRAME_PX, FRAME_PX, -FRAME_PX, -FRAME_PX)
                regions.append((f"tab {widget.tabText(index)!r}", widget, rect))
        elif isinstance(widget, QDockWidget) and widget.widget() is not None:
            title = QRect(0, 0, widget.width() - 2 * widget.widget().y(), widget.widget().y())
            regions.append((f"dock title {widget.windowTitle()!r}", widget, title))
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                rect = widget.actionGeometry(action).adjusted(1, 1, -1, -1)
                regions.append((f"menu {action.text()!r}", widget, rect))
        else:
            regions += [
                (what, where, rect)
                for what, text, where, rect in _viewport_regions(widget)
                if len(text.strip()) >= MIN_CHARACTERS_TO_SEE
            ]
    return regions


def low_contrast_texts(root: QWidget, image: QImage) -> list[str]:
    """Return a line for each text in ``image`` (``root`` as drawn) under WCAG's 4.5:1,
    or not to be seen at all."""
    pixels = image_pixels(image)
    height, width, _ = pixels.shape
    problems = []
    for what, widget, rect in text_regions(root):
        corner = widget.mapTo(root, QPoint(0, 0)) + rect.topLeft()
        left, top = max(0, corner.x()), max(0, corner.y())
        right, bottom = (
            min(width, corner.x() + rect.width()),
            min(height, corner.y() + rect.height()),
        )
        if right - left < 2 or bottom - top < 2:
            continue
        region = pixels[top:bottom, left:right].reshape(-1, 3)
        found = text_contrast(region)
        if found is None:  # text the same colour as its background: nothing shows
            problems.append(f"{what}: not visible")
            continue
        contrast, text, background = found
        if contrast < TEXT_MIN_CONTRAST:
            problems.append(f"{what}: {contrast:.2f}:1, {_hex(text)} on {_hex(background)}")
    return problems


def low_contrast_lines(root: QWidget) -> list[str]:
    """Return a line for each plot curve under ``root`` under WCAG's 3:1 against its plot."""
    problems = []
    for plot in root.findChildren(pg.PlotWidget):
        background = plot.backgroundBrush().color().name()
        for item in plot.getPlotItem().items:
            if isinstance(item, LiveCurve):
                color = item.pen().color().name()
                name = item.opts.get("name") or "curve"
            elif isinstance(item, pg.InfiniteLine):
                color, name = item.pen.color().name(), "truth line"
            else:
                continue
            contrast = contrast_ratio(hex_rgb(color), hex_rgb(background))
            if contrast < NON_TEXT_MIN_CONTRAST:
                problems.append(f"{name} in a plot: {contrast:.2f}:1, {color} on {background}")
        for side in ("left", "bottom"):
            color = plot.getAxis(side).textPen().color().name()
            contrast = contrast_ratio(hex_rgb(color), hex_rgb(background))
            if contrast < TEXT_MIN_CONTRAST:
                problems.append(f"{side} axis text: {contrast:.2f}:1, {color} on {background}")
    return problems


def _hex(color: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)
