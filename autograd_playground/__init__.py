"""Autograd Playground: see PyTorch's autograd build, walk and train its graph.

The app's packages are ``autograd_playground.core`` (the engine, Qt-free),
``autograd_playground.gui`` (the window) and ``autograd_playground.assets``.
In the repository they are the folders core/, gui/ and assets/ at its root,
linked from here; installed, they sit inside this package.

In a notebook, ``autograd_playground.graph(y)`` draws the autograd graph behind
``y`` as the export command does, shown inline by Jupyter and saved with
``.save("graph.svg")``. Importing this package loads neither torch nor Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autograd_playground.core.notebook import GraphDrawing, graph

__all__ = ["GraphDrawing", "graph"]

# Each public name, and the module that defines it, imported on first use.
_LAZY = {
    "graph": "autograd_playground.core.notebook",
    "GraphDrawing": "autograd_playground.core.notebook",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
