"""Themes, the theme controller and presentation mode."""
