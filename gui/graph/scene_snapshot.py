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
import time
from collections.abc import Callable

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
# A picture is rendered in bands of about this many items, and bands are rendered
# until this much time has passed in one event.
ITEMS_PER_BAND = 1_000
BAND_BUDGET_S = 0.008


class SceneSnapshot(QObject):
    """Paints a ``QGraphicsView``'s viewport from a cached picture when it is worth it.

    A picture is rendered in horizontal bands, a few per event, so that even the
    first picture of a graph of thousands of ops (slow mostly because it is Qt's
    first look at each item) never holds the GUI thread for long. Until a picture is whole the
    last whole one stays up, stretched to where its part of the scene now is.
    """

    def __init__(self, view: QGraphicsView, item_count: Callable[[], int]) -> None:
        super().__init__(view)
        self._view = view
        # From the view's own lists: listing a big scene's items to count them
        # costs milliseconds every frame.
        self._item_count = item_count
        self._pixmap: QPixmap | None = None
        self._scene_rect = QRectF()  # the part of the scene the picture shows
        self._key: tuple | None = None
        self._fresh = False  # False once the content changed after the picture was made
        self._job: _RenderJob | None = None
        self.renders = 0  # whole pictures made so far (tests and benchmarks read it)
        self._sharpen = QTimer(self)
        self._sharpen.setSingleShot(True)
        self._sharpen.setInterval(SHARPEN_AFTER_MS)
        self._sharpen.timeout.connect(self._on_sharpen)
        self._continue = QTimer(self)
        self._continue.setSingleShot(True)
        # Not 0: zero timers run ahead of every other timer, so bands rendered
        # back to back would starve the window's own timers.
        self._continue.setInterval(1)
        self._continue.timeout.connect(view.viewport().update)
        view.scene().changed.connect(self.invalidate)

    def invalidate(self, regions: list[QRectF] | None = None) -> None:
        """The content changed (in ``regions`` of the scene, if given): make a new picture.

        The last picture stays up meanwhile. The scene also reports an empty list
        of regions, for nothing changed.
        """
        if regions is not None and not regions:
            return
        self._fresh = False
        job = self._job
        if job is not None and (
            regions is None or any(job.rendered_part().intersects(region) for region in regions)
        ):
            # Finished all the same, so that a scene that keeps changing (values
            # during training) still gets whole pictures; another follows it.
            job.stale = True

    def reset(self) -> None:
        """Forget every picture: the scene now shows another graph."""
        self._fresh = False
        self._job = None
        self._pixmap = None

    def is_complete(self) -> bool:
        """Whether the view shows a whole, current picture (or needs none)."""
        if not self.applies():
            return True
        visible, key = self._wanted()
        return (
            self._job is None
            and self._pixmap is not None
            and self._fresh
            and self._key == key
            and self._scene_rect.contains(visible)
        )

    def applies(self) -> bool:
        """Whether the view is zoomed out over a graph big enough to need the picture."""
        view = self._view
        return (
            view.transform().m11() < SNAPSHOT_ZOOM
            and self._item_count() >= SNAPSHOT_MIN_ITEMS
            and view.viewport().updatesEnabled()
        )

    def _wanted(self) -> tuple[QRectF, tuple]:
        """The part of the scene in view, and the scale and size a picture of it needs."""
        view = self._view
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        visible = visible.intersected(view.sceneRect())
        transform = view.transform()
        return visible, (transform.m11(), transform.m22(), view.viewport().size().toTuple())

    def paint(self, event: QPaintEvent) -> bool:
        """Paint ``event``'s area from the picture; False when the view should paint itself."""
        if not self.applies():
            self.reset()
            return False
        view = self._view
        visible, key = self._wanted()
        covered = self._pixmap is not None and self._scene_rect.contains(visible)
        zooming = self._pixmap is not None and key != self._key and key[2] == self._key[2]
        if covered and self._fresh and key == self._key:
            self._job = None  # e.g. zoomed back before another picture was done
        elif covered and self._fresh and zooming:
            # Mid-zoom: stretch the last picture now, render it sharp once the wheel rests.
            self._sharpen.start()
        else:
            self._render_more(visible, key, margin=0.0 if zooming else MARGIN)
        painter = QPainter(view.viewport())
        painter.fillRect(event.rect(), view.backgroundBrush())
        if self._pixmap is not None:
            target = view.mapFromScene(self._scene_rect).boundingRect()
            if self._key == key:
                painter.drawPixmap(target.topLeft(), self._pixmap)
            else:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawPixmap(target, self._pixmap)
        painter.end()
        return True

    def _render_more(self, visible: QRectF, key: tuple, margin: float) -> None:
        job = self._job
        if job is None or job.key != key or not job.area.contains(visible):
            job = self._job = self._start(visible, key, margin)
        job.render_some(self._view.scene(), self._view.renderHints())
        if job.done:
            self._job = None
            self._pixmap, self._scene_rect, self._key = job.pixmap, job.area, key
            self._fresh = not job.stale
            self.renders += 1
        if self._job is not None or not self._fresh:
            self._continue.start()

    def _on_sharpen(self) -> None:
        self._fresh = False
        self._view.viewport().update()

    def _start(self, visible: QRectF, key: tuple, margin: float) -> _RenderJob:
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
        bands = max(1, math.ceil(self._item_count() / ITEMS_PER_BAND))
        return _RenderJob(pixmap, area, key, size, bands)


class _RenderJob:
    """A picture of ``area`` being rendered band by band into ``pixmap``."""

    def __init__(self, pixmap: QPixmap, area: QRectF, key: tuple, size: QSize, bands: int):
        self.pixmap, self.area, self.key, self.size = pixmap, area, key, size
        self.bands = bands
        self.next_band = 0
        self.stale = False  # the scene changed while the bands were being rendered

    @property
    def done(self) -> bool:
        return self.next_band >= self.bands

    def rendered_part(self) -> QRectF:
        """The part of the scene already in the picture: a change there makes it stale."""
        area = self.area
        done = area.height() * self.next_band / self.bands
        return QRectF(area.left(), area.top(), area.width(), done)

    def render_some(self, scene, hints) -> None:
        """Render bands until BAND_BUDGET_S has passed (at least one)."""
        started = time.perf_counter()
        painter = QPainter(self.pixmap)
        painter.setRenderHints(hints)
        while not self.done:
            index = self.next_band
            top, bottom = index / self.bands, (index + 1) / self.bands
            source = QRectF(
                self.area.left(),
                self.area.top() + self.area.height() * top,
                self.area.width(),
                self.area.height() * (bottom - top),
            )
            target = QRectF(
                0,
                self.size.height() * top,
                self.size.width(),
                self.size.height() * (bottom - top),
            )
            painter.setClipRect(target)
            scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
            self.next_band += 1
            if time.perf_counter() - started > BAND_BUDGET_S:
                break
        painter.end()
