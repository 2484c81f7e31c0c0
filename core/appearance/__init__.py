"""Qt-free facts about how the app looks: theme names and colour contrast."""
