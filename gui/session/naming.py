"""How the window names a session: by its file, or as Untitled, beside the app's name."""

from __future__ import annotations

from autograd_playground.gui.resources import APP_TITLE
from autograd_playground.gui.ui_text import tr


def untitled_name() -> str:
    """Return the name a session without a file goes by, in the app's language."""
    return tr("Untitled")


def window_title(display_name: str) -> str:
    """Return the window title for a session named ``display_name``; [*] marks unsaved edits."""
    return f"{display_name}[*] — {APP_TITLE}"
