"""The first path of the foundation issue, exactly as a student would do it."""

from autograd_playground.gui.graph.items import NodeItem
from tests.gui.conftest import run_in


def test_first_path_draws_graph_and_shows_grad(window, qtbot):
    code = "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n"
    outcome = run_in(window, qtbot, code)
    assert outcome.result.error is None

    view = window.graph_view
    items = [item for item in view.scene().items() if isinstance(item, NodeItem)]
    labels = {item.node.kind: [] for item in items}
    for item in items:
        labels[item.node.kind].append(item.label_lines()[0])
    assert labels == {"leaf": ["x"], "op": labels["op"], "tensor": ["y"]}
    assert sorted(labels["op"]) == ["DotBackward0", "MulBackward0"]

    graph = view.graph
    x = graph.find("x")
    y = graph.find("y")
    dot = next(n for n in graph.nodes.values() if n.op == "DotBackward0")
    mul = next(n for n in graph.nodes.values() if n.op == "MulBackward0")
    edges = {(e.source, e.target) for e in graph.edges}
    assert {(x.id, dot.id), (dot.id, mul.id), (mul.id, y.id)} <= edges

    # Before backward: x has no grad, and the inspector says why.
    assert view.select_name("x")
    assert "None — backward() has not run through x yet" in window.inspector.toPlainText()

    outcome = run_in(window, qtbot, code + "y.backward()\n")
    assert outcome.result.error is None
    qtbot.mouseClick(
        view.viewport(),
        qtbot_button(),
        pos=view.mapFromScene(view.node_items[graph.find("x").id].scenePos()),
    )
    text = window.inspector.toPlainText()
    assert "tensor([ 0.,  4.,  8., 12.])" in text
    for field in ("shape", "dtype", "float32", "device", "cpu", "requires_grad", "is_leaf"):
        assert field in text
    assert window.variables.names() == ["x", "y"]


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
