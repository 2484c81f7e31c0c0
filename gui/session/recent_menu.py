"""The File menu's Open Recent submenu, kept in the window's settings across launches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu

from autograd_playground.core.session.recent_files import RecentFiles
from autograd_playground.gui.ui_text import tr

SETTINGS_KEY = "recent_files"


class RecentFilesMenu(QObject):
    """Fills ``menu`` with the recent files; choosing one calls ``open_path`` with it."""

    def __init__(
        self, menu: QMenu, settings: QSettings, open_path: Callable[[Path], object]
    ) -> None:
        super().__init__(menu)
        self.menu = menu
        self.recent = RecentFiles(_string_list(settings.value(SETTINGS_KEY)))
        self._settings = settings
        self._open_path = open_path
        menu.aboutToShow.connect(self.rebuild)

    def add(self, path: Path) -> None:
        """Put ``path`` first in the list, and remember the list."""
        self.recent.add(path)
        self._store()

    def remove(self, path: Path) -> None:
        """Drop ``path`` (a file that is gone), and remember the list."""
        self.recent.remove(path)
        self._store()

    def clear(self) -> None:
        """Forget every recent file."""
        self.recent.clear()
        self._store()

    def _store(self) -> None:
        self._settings.setValue(SETTINGS_KEY, self.recent.to_list())
        self.rebuild()

    def rebuild(self) -> None:
        """Show the list as it is now: numbered entries, then Clear List."""
        menu = self.menu
        menu.clear()
        paths = self.recent.paths()
        for number, path in enumerate(paths, start=1):
            label = f"&{number}  {path.name}" if number < 10 else f"1&0  {path.name}"
            entry = menu.addAction(f"{label}  —  {path.parent}")
            entry.setStatusTip(str(path))
            entry.triggered.connect(lambda _checked=False, p=path: self._open_path(p))
        if not paths:
            menu.addAction(tr("No recent files")).setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction(tr("Clear List"))
        clear.setEnabled(bool(paths))
        clear.triggered.connect(self.clear)


def _string_list(value: object) -> list[str]:
    """QSettings gives back one string for a one-item list, and None for an empty one."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str)]
    return []
