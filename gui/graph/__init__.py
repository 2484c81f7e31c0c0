"""The graph tab: the scene, its items, legend, search, zoom and export."""
