"""A picture of a big graph zoomed far out, so that panning it is one blit per frame.

Zoomed out on a 2,000-op graph, every frame walks some 10,000 items (the boxes,
the edges and their arrowheads): about 25 ms, whatever the boxes look like by
then. The snapshot renders the visible part of the scene, plus a margin, once per
zoom level and content; frames in between draw that picture. Any change to an
item (a hover highlight, new values, a theme) invalidates it through the scene's
``changed`` signal.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QGraphicsView

# Below this zoom labels are unreadable and the picture shows shapes only.
SNAPSHOT_ZOOM = 0.35
# Fewer items than this paint fast enough directly.
SNAPSHOT_MIN_ITEMS = 1_500
# Rendered beyond each side of the visible area, as a fraction of the viewport.
MARGIN = 0.25
# While zooming, the last picture is stretched; it is rendered anew this long after.
SHARPEN_AFTER_MS = 120


class SceneSnapshot(QObject):
    """Paints a ``QGraphicsView``'s viewport from a cached picture when it is worth it."""

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self._view = view
        self._pixmap: QPixmap | None = None
        self._scene_rect = QRectF()  # the part of the scene the picture shows
        self._key: tuple | None = None
        self.renders = 0  # pictures made so far (tests and benchmarks read it)
        self._sharpen = QTimer(self)
        self._sharpen.setSingleShot(True)
        self._sharpen.setInterval(SHARPEN_AFTER_MS)
        self._sharpen.timeout.connect(self._on_sharpen)
        view.scene().changed.connect(self.invalidate)

    def invalidate(self, *_regions: object) -> None:
        self._pixmap = None

    def applies(self) -> bool:
        """Whether the view is zoomed out over a graph big enough to need the picture."""
        view = self._view
        return (
            view.transform().m11() < SNAPSHOT_ZOOM
            and len(view.scene().items()) >= SNAPSHOT_MIN_ITEMS
            and view.viewport().updatesEnabled()
        )

    def paint(self, event: QPaintEvent) -> bool:
        """Paint ``event``'s area from the picture; False when the view should paint itself."""
        if not self.applies():
            self._pixmap = None
            return False
        view = self._view
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        visible = visible.intersected(view.sceneRect())
        transform = view.transform()
        key = (transform.m11(), transform.m22(), view.viewport().size().toTuple())
        stale_scale = self._pixmap is not None and key[2] == self._key[2] and key != self._key
        if stale_scale and self._scene_rect.contains(visible):
            # Mid-zoom: stretch the last picture now, render it sharp once the wheel rests.
            self._sharpen.start()
        elif self._pixmap is None or key != self._key or not self._scene_rect.contains(visible):
            self._render(visible, margin=0.0 if stale_scale else MARGIN)
            self._key = key
            stale_scale = False
        painter = QPainter(view.viewport())
        painter.fillRect(event.rect(), view.backgroundBrush())
        target = view.mapFromScene(self._scene_rect).boundingRect()
        if stale_scale:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(target, self._pixmap)
        else:
            painter.drawPixmap(target.topLeft(), self._pixmap)
        painter.end()
        return True

    def _on_sharpen(self) -> None:
        self._pixmap = None
        self._view.viewport().update()

    def _render(self, visible: QRectF, margin: float) -> None:
        view = self._view
        margin_x, margin_y = visible.width() * margin, visible.height() * margin
        area = visible.adjusted(-margin_x, -margin_y, margin_x, margin_y)
        area = area.intersected(view.sceneRect())
        scale = view.transform().m11()
        size = QSize(math.ceil(area.width() * scale), math.ceil(area.height() * scale))
        ratio = view.viewport().devicePixelRatioF()
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(view.backgroundBrush().color())
        painter = QPainter(pixmap)
        painter.setRenderHints(view.renderHints())
        view.scene().render(
            painter,
            QRectF(0, 0, size.width(), size.height()),
            area,
            Qt.AspectRatioMode.IgnoreAspectRatio,
        )
        painter.end()
        self._pixmap = pixmap
        self._scene_rect = area
        self.renders += 1
