"""The graph view's presentation scale: a zoom that can be undone exactly."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGraphicsView


class PresentationZoom:
    """Zooms ``view`` for presentation mode, and puts an untouched view back at 1.0.

    dot sized every box for its label at 11 pixels, so the view zooms: boxes and
    labels grow together, every label stays inside its box, nodes keep their places
    and no new layout is needed.
    """

    def __init__(self, view: QGraphicsView) -> None:
        self._view = view
        self.scale = 1.0
        # (transform, scroll bar values) before presentation mode, and the view as it
        # left it: (transform, layout key). None at 1.0.
        self._before: tuple | None = None

    def set_scale(
        self, scale: float, layout_key: tuple | None, fit: Callable[[float], None] | None = None
    ) -> None:
        """Zoom to ``scale`` times the normal size; ``layout_key`` names the graph shown.

        ``fit``, given, zooms instead of a plain zoom about the centre: it gets the
        largest zoom wanted (``scale`` times the zoom before) and may choose less.
        """
        view = self._view
        bars = (view.horizontalScrollBar(), view.verticalScrollBar())
        saved = self._before
        if self.scale == 1.0:
            saved = (view.transform(), [bar.value() for bar in bars], None)
        # The view as presentation mode left it; any zoom, pan or new layout since differs.
        here = (view.transform(), layout_key)
        factor = scale / self.scale
        self.scale = scale
        if scale == 1.0 and saved is not None and saved[2] == here:
            view.setTransform(saved[0])
            for bar, value in zip(bars, saved[1], strict=True):
                bar.setValue(value)
        elif fit is not None:
            fit(view.transform().m11() * factor)
        elif factor != 1.0:
            centre = view.mapToScene(view.viewport().rect().center())
            view.setTransform(view.transform().scale(factor, factor))
            view.centerOn(centre)
        self._before = None if scale == 1.0 or saved is None else (*saved[:2], None)
        self.note_view(layout_key)

    def note_view(self, layout_key: tuple | None) -> None:
        """Take the view as it is now as presentation mode's own (after a refit)."""
        if self._before is not None:
            self._before = (*self._before[:2], (self._view.transform(), layout_key))
