"""The window's docks, made in one place: each listed in View, teaching panes tabbed together."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget


def add_dock(
    window: QMainWindow,
    view_menu: QMenu,
    name: str,
    title: str,
    widget: QWidget,
    area: Qt.DockWidgetArea,
) -> QDockWidget:
    """Return a new dock of ``window`` holding ``widget`` in ``area``, listed in ``view_menu``."""
    dock = QDockWidget(title, window)
    # The object name keys the saved layout, so it stays English in every language.
    dock.setObjectName(f"{name}_dock")
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    view_menu.addAction(dock.toggleViewAction())
    return dock


class SideDocks:
    """The docks of the teaching panes (lessons, backward steps, gradient check, Jacobian).

    Each is tabbed with ``anchor`` (the inspector) and hidden until asked for: the
    panes opened share the inspector's column instead of each taking a column of
    its own out of the editor's width. ``companion`` (the variables) shares that
    column below them; ``on_shown`` runs once a shown dock has taken its width.
    """

    def __init__(
        self,
        window: QMainWindow,
        view_menu: QMenu,
        anchor: QDockWidget,
        companion: QDockWidget,
        on_shown: Callable[[], None],
    ) -> None:
        self._window = window
        self._view_menu = view_menu
        self._anchor = anchor
        self.companion = companion
        self._on_shown = on_shown

    def add(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """Return a new hidden dock for ``widget``, tabbed with the anchor, listed in View."""
        right = Qt.DockWidgetArea.RightDockWidgetArea
        dock = add_dock(self._window, self._view_menu, name, title, widget, right)
        self._window.tabifyDockWidget(self._anchor, dock)
        dock.hide()
        dock.visibilityChanged.connect(self._on_visibility_changed)
        return dock

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            self._on_shown()

    def raise_anchor(self) -> None:
        """Bring the anchor (the inspector) to the front of its tabs."""
        self._anchor.raise_()

    def resize(
        self, docks: Sequence[QDockWidget], sizes: Sequence[int], orientation: Qt.Orientation
    ) -> None:
        """Give ``docks`` ``sizes`` (widths or heights) as far as the window's layout allows."""
        self._window.resizeDocks(list(docks), list(sizes), orientation)

    def window_size(self) -> QSize:
        """The window's size, which the docks' sizes are shares of."""
        return self._window.size()
