"""Autograd Playground: see PyTorch's autograd build, walk and train its graph.

The app's packages are ``autograd_playground.core`` (the engine, Qt-free),
``autograd_playground.gui`` (the window) and ``autograd_playground.assets``.
In the repository they are the folders core/, gui/ and assets/ at its root,
linked from here; installed, they sit inside this package.
"""
