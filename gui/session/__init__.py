"""Opening, saving and autosaving sessions, and the recent-files menu."""
