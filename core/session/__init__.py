"""Sessions on disk: session files, autosave, recent files, export as a script."""
