"""Every package the app installs is one its own code uses."""

import ast
import re
import sys
from pathlib import Path

from autograd_playground.core.render.layout import PURE_ENGINE

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
# The module the app imports for each runtime dependency; graphviz-pure holds no
# Python: it is the program the layout runs.
MODULE_OF = {
    "torch": "torch",
    "numpy": "numpy",
    "PySide6-Essentials": "PySide6",
    "pyqtgraph": "pyqtgraph",
    "platformdirs": "platformdirs",
    "tomli": "tomli",
}
PROGRAMS = {"graphviz-pure"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    return re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)


def _imported_modules() -> set[str]:
    """Return the top-level names of every module that core/ and gui/ import."""
    found: set[str] = set()
    for top in ("core", "gui"):
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found


def test_each_runtime_dependency_is_used_by_the_app():
    names = {_name(requirement) for requirement in _project()["dependencies"]}
    assert names == set(MODULE_OF) | PROGRAMS
    imported = _imported_modules()
    for name, module in MODULE_OF.items():
        assert module in imported, f"{name} is installed but the app never imports {module}"
    assert PURE_ENGINE in PROGRAMS


def test_the_benchmarks_baseline_is_an_extra():
    extras = _project()["optional-dependencies"]
    assert {_name(requirement) for requirement in extras["bench"]} >= {"torchviz", "graphviz"}
    for script in ("graph_engine.py", "graph_view.py"):
        text = (ROOT / "benchmarks" / script).read_text(encoding="utf-8")
        assert "from torchviz import make_dot" in text
        assert 'pip install -e ".[bench]"' in text
