"""The code a first launch starts with: a few lines of PyTorch under comments in the UI language."""

from __future__ import annotations

from autograd_playground.gui.ui_text import tr

_STARTER_CODE = """\
x = torch.arange(4.0, requires_grad=True)
y = 2 * torch.dot(x, x)
y.backward()
x.grad
"""


def default_code() -> str:
    """Return the code a first launch starts with, its comments in the UI language."""
    # Lines no longer than the code's own: the editor shows them whole beside the graph.
    comments = tr(
        "# Autograd Playground: type PyTorch code,\n# press "
        "Ctrl+Enter, watch the graph.\n# Click a node to inspect "
        "it,\n# double-click it to jump to its line.\n# Lessons: Teach "
        "> Lessons (Ctrl+L).\n"
    )
    return comments + _STARTER_CODE


def is_starter_code(code: str) -> bool:
    """True for the starter code, whatever the language of its comments."""
    lines = code.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines) == _STARTER_CODE
