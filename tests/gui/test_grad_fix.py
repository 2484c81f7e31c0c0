"""The inspector says why .grad is None, and its fix link edits the code (one undo) and runs."""

from PySide6.QtCore import Qt, QUrl

from autograd_playground.gui.panes.inspector import FIX_LINK
from tests.gui.conftest import run_in

NON_LEAF = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
y = (h ** 2).sum()
y.backward()
"""
DETACHED = """\
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(1.0, requires_grad=True)
h = (x * 3).detach()
y = h * w
y.backward()
"""


def click_fix(window, qtbot):
    """Click the inspector's fix link and wait for the run it starts."""
    with qtbot.waitSignal(window.run_completed, timeout=30_000):
        window.inspector.anchorClicked.emit(QUrl(FIX_LINK))


def test_fix_link_adds_retain_grad_as_one_undoable_edit_and_runs(window, qtbot):
    run_in(window, qtbot, NON_LEAF)
    assert window.graph_view.select_name("h")
    text = window.inspector.toPlainText()
    assert "None — h is not a leaf" in text
    assert "Fix: Add h.retain_grad() after line 2 and run again" in text

    click_fix(window, qtbot)
    fixed = NON_LEAF.replace("h = x * 3\n", "h = x * 3\nh.retain_grad()\n")
    assert window.editor.toPlainText() == fixed
    assert window.graph_view.selected_node_id() == "tensor:h"
    text = window.inspector.toPlainText()
    assert "tensor([ 6., 12.])" in text  # h.grad = 2h, kept now
    assert "not a leaf" not in text

    window.editor.undo()
    assert window.editor.toPlainText() == NON_LEAF


def test_a_detached_tensor_is_explained_from_the_variables_pane(window, qtbot):
    run_in(window, qtbot, DETACHED)
    assert window.graph_view.graph.find("h") is None
    variables = window.variables
    row = variables.names().index("h")
    rect = variables.visualItemRect(variables.item(row, 0))
    qtbot.mouseClick(variables.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: "made by .detach() on line 3" in window.inspector.toPlainText())
    text = window.inspector.toPlainText()
    assert "not drawn: it is not part of the autograd graph" in text
    assert "Fix: Remove .detach() on line 3 and run again" in text

    click_fix(window, qtbot)
    assert window.editor.toPlainText().splitlines()[2] == "h = (x * 3)"
    assert window.graph_view.graph.find("x").grad.values == 3.0
    window.editor.undo()
    assert window.editor.toPlainText() == DETACHED


def test_a_fix_made_stale_by_editing_says_so_and_changes_nothing(window, qtbot):
    run_in(window, qtbot, NON_LEAF)
    window.graph_view.select_name("h")
    fix = window.inspector.reason.fix
    window.editor.setPlainText("z = 1\n")
    assert not window.grad_fixes.apply(fix)
    assert window.editor.toPlainText() == "z = 1\n"
    assert window.status.text() == "Line 2 no longer assigns h: run the code again."
