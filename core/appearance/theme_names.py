"""The names of the app's themes, Qt-free: the command line lists them without loading Qt."""

from __future__ import annotations

# In View ▸ Theme's order; "system" follows the platform's light or dark setting.
THEME_NAMES: tuple[str, ...] = ("system", "light", "dark", "high-contrast")
