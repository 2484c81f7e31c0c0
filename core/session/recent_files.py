"""The list of recently opened or saved session files, most recent first."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

MAX_RECENT = 10


def _key(path: str) -> str:
    """One spelling per file: absolute, normalised, and case-folded where the system is."""
    return os.path.normcase(os.path.abspath(path))


class RecentFiles:
    """Most recent first, no file twice, at most ``limit``; files gone from disk drop out."""

    def __init__(
        self,
        paths: Iterable[str | os.PathLike] = (),
        limit: int = MAX_RECENT,
        exists: Callable[[str], bool] = os.path.isfile,
    ) -> None:
        self.limit = limit
        self._exists = exists
        self._paths: list[str] = []
        for path in paths:
            if isinstance(path, (str, os.PathLike)) and str(path):
                self._append(os.path.abspath(path))

    def _append(self, path: str) -> None:
        if len(self._paths) < self.limit and _key(path) not in map(_key, self._paths):
            self._paths.append(path)

    def add(self, path: str | os.PathLike) -> None:
        """Put ``path`` first (moving it there if it was already listed)."""
        path = os.path.abspath(path)
        self._paths = [p for p in self._paths if _key(p) != _key(path)]
        self._paths.insert(0, path)
        del self._paths[self.limit :]

    def remove(self, path: str | os.PathLike) -> None:
        """Forget ``path``."""
        key = _key(os.fspath(path))
        self._paths = [p for p in self._paths if _key(p) != key]

    def clear(self) -> None:
        """Forget every file."""
        self._paths = []

    def paths(self) -> list[Path]:
        """Return the files that still exist, most recent first; forget the others."""
        self._paths = [p for p in self._paths if self._exists(p)]
        return [Path(p) for p in self._paths]

    def to_list(self) -> list[str]:
        """Return every listed path as a string, for the settings file."""
        return list(self._paths)
