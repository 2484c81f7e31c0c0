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
        "# Autograd Playground: type PyTorch code,\n"
        "# press Ctrl+Enter, watch the graph.\n"
        "# Click a node to inspect it,\n"
        "# double-click it to jump to its line.\n"
        "# Lessons: Teach > Lessons (Ctrl+L).\n",
        "# Autograd Playground：输入 PyTorch 代码\n"
        "# 按 Ctrl+Enter 运行，观察计算图。\n"
        "# 单击节点查看详情；\n"
        "# 双击跳到创建它的那一行。\n"
        "# 课程：教学 > 课程（Ctrl+L）。\n",
    )
    return comments + _STARTER_CODE


def is_starter_code(code: str) -> bool:
    """True for the starter code, whatever the language of its comments."""
    lines = code.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines) == _STARTER_CODE
