"""Autograd Playground's engine: evaluation, graph extraction, layout and export.

Pure Python and torch; nothing here imports Qt, so every part can be used from a
notebook or the command line. Importing this package does not import torch: the
window appears first and torch loads in the background.
"""
