"""core/ must never import Qt: it is used from notebooks and the command line."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import autograd_playground.core as core

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(
        m.name for m in pkgutil.walk_packages(core.__path__, "autograd_playground.core.")
    )
    assert "autograd_playground.core.graph.extract" in modules
    assert "autograd_playground.core.run.evaluator" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    root = ROOT
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"core imported Qt modules: {done.stdout}"


def test_core_package_import_does_not_import_torch():
    script = (
        "import sys, autograd_playground.core, autograd_playground.core.playground, "
        "autograd_playground.core.render.layout; print('torch' in sys.modules)"
    )
    root = ROOT
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_top_package_and_its_graph_load_neither_torch_nor_qt():
    # Notebooks import it first thing; the graph function pulls in torch when called.
    script = (
        "import sys, autograd_playground\n"
        "loaded = lambda: sorted({m.split('.')[0] for m in sys.modules} & "
        f"{{'torch', *{FORBIDDEN!r}}})\n"
        "before = loaded()\n"
        "autograd_playground.graph, autograd_playground.GraphDrawing\n"
        "print(before, loaded())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] []"
