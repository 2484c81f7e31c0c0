"""The pseudo file names the evaluator gives the user's code, and how to recognise them.

Torch-free and import-free, so that every module that must tell the user's frames
from the app's own (warnings, the exit guards, the line table) can share one
definition without importing the evaluator or torch.
"""

from __future__ import annotations

CELL_PREFIX = "<cell-"


def cell_filename(run_id: object) -> str:
    """The pseudo file name of one run's code (``<cell-3>``, ``<cell-scratch>``)."""
    return f"{CELL_PREFIX}{run_id}>"


def is_cell_filename(filename: str) -> bool:
    """Return True for the pseudo file names the evaluator gives user code."""
    return filename.startswith(CELL_PREFIX)
