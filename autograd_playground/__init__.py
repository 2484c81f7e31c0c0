"""Autograd Playground: see PyTorch's autograd build, walk and train its graph.

The app's packages are ``autograd_playground.core`` (the engine, Qt-free),
``autograd_playground.gui`` (the window) and ``autograd_playground.assets``.
"""

from pathlib import Path

# Installed, setuptools puts core/, gui/ and assets/ inside this package. In a
# checkout they are folders beside it (the repository keeps its short layout), so
# the checkout's root joins the package's search path and the same names resolve.
_HERE = Path(__file__).resolve().parent
if not (_HERE / "core").is_dir() and (_HERE.parent / "core" / "__init__.py").is_file():
    __path__.append(str(_HERE.parent))
