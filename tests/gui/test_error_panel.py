"""A failed run brings the "Why it failed" pane forward, with the shapes and a working fix."""

from autograd_playground.core.graph.failed_op import FAILED_OP_ID
from autograd_playground.gui.ui_text import apply_ui_language
from tests.gui.conftest import run_in


def test_a_matmul_error_shows_the_lined_up_shapes_in_the_pane_and_output(window, qtbot):
    run_in(window, qtbot, "W = torch.ones(4, 3)\nh = torch.ones(4)\ny = W @ h\n")
    panel = window.error_explainer.panel
    text = panel.toPlainText()
    assert "line 3: W @ h" in text
    assert "  W   4 [3]\n  h     [4]" in text
    assert "W's last dimension (3) must equal h's length (4)" in text
    assert window.error_explainer.dock.isVisible()
    output = window.output.toPlainText()
    assert "  W   4 [3]\n  h     [4]\nmatmul treats the 1-D h as a vector" in output
    assert FAILED_OP_ID in window.graph_view.graph.nodes
    run_in(window, qtbot, "y = W @ torch.ones(3)\n")
    assert not window.error_explainer.dock.isVisible()


def test_the_non_scalar_backward_fix_edits_the_call_and_runs_again(window, qtbot):
    run_in(window, qtbot, "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n")
    panel = window.error_explainer.panel
    assert "Fix: Write y.sum().backward() on line 3 and run again" in panel.toPlainText()
    with qtbot.waitSignal(window.run_completed, timeout=30_000) as blocker:
        panel.fix_requested.emit(panel.fixes[0])
    assert blocker.args[0].result.error is None
    assert window.editor.toPlainText().endswith("y.sum().backward()\n")


def test_the_pane_speaks_chinese(window, qtbot):
    apply_ui_language("zh")
    run_in(window, qtbot, "a = torch.ones(2, 3)\nb = torch.ones(2, 4)\nc = a + b\n")
    text = window.error_explainer.panel.toPlainText()
    assert "第 3 行" in text
    assert "广播从右边对齐形状" in text


def test_the_graph_zooms_onto_the_red_box_and_leaves_it_unselected(window, qtbot):
    run_in(window, qtbot, "a = torch.ones(2, 3)\nb = torch.ones(2, 4)\nc = a + b\n")
    view = window.graph_view
    item = view.node_items[FAILED_OP_ID]
    assert (
        view.mapFromScene(item.sceneBoundingRect())
        .boundingRect()
        .intersects(view.viewport().rect())
    )
    assert view.selected_node_id() is None
