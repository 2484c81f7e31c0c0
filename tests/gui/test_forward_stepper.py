"""The "Forward steps" dock: the graph grows one op at a time and the editor follows."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import run_in

LESSON = Path(__file__).resolve().parents[2] / "assets" / "lessons" / "13_control_flow.py"


def shown_nodes(view) -> set[str]:
    return {node_id for node_id, item in view.node_items.items() if item.isVisible()}


def shown_edges(view) -> set[tuple[str, str]]:
    return {(e.edge.source, e.edge.target) for e in view.edge_items if e.isVisible()}


def open_stepper(window, qtbot):
    view = window.graph_view
    qtbot.waitUntil(view.is_scene_complete, timeout=10_000)
    stepper = window.forward_stepper
    with qtbot.waitSignal(stepper.panel.step_changed, timeout=10_000):
        stepper.action.trigger()
    return stepper


def test_stepping_through_the_control_flow_lesson(window, qtbot):
    run_in(window, qtbot, LESSON.read_text(encoding="utf-8"))
    stepper = open_stepper(window, qtbot)
    panel, view, editor = stepper.panel, window.graph_view, window.editor
    assert stepper.action in window.teach_menu.actions()
    assert stepper.action.shortcut().toString() == "Ctrl+Shift+F"
    assert stepper.dock.isVisible()
    graph = view.graph
    ops = sorted(graph.ops(), key=lambda node: node.seq)
    assert panel.counter.text() == f"Step 1 of {len(ops)}"

    # Step 1: f's first line made b = a * 2; only a and that mul exist.
    assert shown_nodes(view) == {"leaf:a", ops[0].id}
    assert shown_edges(view) == {("leaf:a", ops[0].id)}
    assert view.step_marks() == {ops[0].id: "current"}
    assert editor.step_line == 5
    assert "It requires grad because a does." in panel.body.toPlainText()

    # The while loop: one more multiplication per step, on line 7, iteration by iteration.
    loop = [node for node in ops if node.line == 7]
    for number, node in enumerate(loop, start=2):
        with qtbot.waitSignal(panel.step_changed):
            panel.step_button.click()
        assert panel.counter.text() == f"Step {number} of {len(ops)}"
        assert shown_nodes(view) == {"leaf:a", *(op.id for op in ops[:number])}
        assert view.step_marks() == {node.id: "current"}
        assert editor.step_line == 7
        assert panel.where.text() == f"line 7, iteration {node.iteration} of {node.iterations}"
    assert "tensor:d" not in shown_nodes(view)

    # The if took its else branch: line 11, never line 9; d appears with the op.
    with qtbot.waitSignal(panel.step_changed):
        panel.step_button.click()
    assert editor.step_line == 11
    assert "tensor:d" in shown_nodes(view)
    assert all(node.line != 9 for node in ops)

    # The slider goes anywhere; the last step shows the whole graph.
    with qtbot.waitSignal(panel.step_changed):
        panel.slider.setValue(len(ops) - 1)
    assert shown_nodes(view) == set(view.node_items)
    assert editor.step_line == ops[-1].line

    # Closing the dock puts the graph and the editor back as they were.
    with qtbot.waitSignal(panel.step_changed):
        panel.slider.setValue(0)
    stepper.dock.close()
    qtbot.waitUntil(lambda: shown_nodes(view) == set(view.node_items))
    assert view.step_marks() == {}
    assert editor.step_line is None


def test_play_walks_to_the_end_and_a_new_run_starts_over(window, qtbot):
    run_in(window, qtbot, "a = torch.ones(2, requires_grad=True)\nb = a * 2\nc = b.sum()\n")
    stepper = open_stepper(window, qtbot)
    panel = stepper.panel
    panel.speed.setValue(10)
    panel.play()
    qtbot.waitUntil(lambda: not panel.is_playing(), timeout=5_000)
    assert panel.counter.text() == "Step 2 of 2"
    assert window.editor.step_line == 3
    with qtbot.waitSignal(panel.step_changed, timeout=30_000):
        # The same names, another graph: the old one is gone from the namespace.
        run_in(window, qtbot, "a = torch.ones(3, requires_grad=True)\nb = a * a\nc = b.sum()\n")
    qtbot.waitUntil(window.graph_view.is_scene_complete, timeout=10_000)
    assert panel.counter.text() == "Step 1 of 2"
    shown = {"leaf:a", panel.current_step().node_id, "tensor:b"}  # b appears with its op
    assert shown_nodes(window.graph_view) == shown
    assert window.editor.step_line == 2
