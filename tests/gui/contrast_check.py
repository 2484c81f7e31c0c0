"""Measure, in a rendered picture, the contrast of every text a window shows, and of its plot lines.

Pixels, not palettes: a style sheet, a palette frozen at polish time or a colour
set by hand all show in the picture, whatever the widget claims its colours are.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMenuBar,
    QRadioButton,
    QStyle,
    QTabBar,
    QWidget,
)

from core.contrast import (
    NON_TEXT_MIN_CONTRAST,
    TEXT_MIN_CONTRAST,
    contrast_ratio,
    hex_rgb,
    text_contrast,
)
from gui.live_curve import LiveCurve

FRAME_PX = 3  # a button's or a field's frame, left out of the text's region


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


def text_regions(root: QWidget) -> list[tuple[str, QWidget, QRect]]:
    """Return (what, widget, where in the widget) for each text ``root`` shows enabled.

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
