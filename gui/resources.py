"""Access to the app's icons and other packaged assets from Qt."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from assets import asset_path


def app_icon() -> QIcon:
    """Return the application icon (SVG, sharp at every size)."""
    return QIcon(str(asset_path("icons", "app.svg")))
