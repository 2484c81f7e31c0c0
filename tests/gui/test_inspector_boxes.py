"""The inspector says what a box folds away and how to open it."""

from autograd_playground.core.graph.graph_model import GraphNode
from autograd_playground.gui.panes.inspector import InspectorPanel


def text_of(qtbot, node: GraphNode) -> str:
    inspector = InspectorPanel()
    qtbot.addWidget(inspector)
    inspector.show_node(node)
    return inspector.toPlainText()


def test_a_repeat_box_names_its_repeats_ops_and_parameters(qtbot):
    box = GraphNode(
        id="module:blocks.0",
        kind="module",
        label="Block",
        name="blocks.0",
        shape=(2, 8, 32),
        attributes={"ops": "2016", "parameters": "576", "repeats": "48"},
    )
    text = text_of(qtbot, box)
    assert "× 48" in text
    assert "2,016 ops" in text
    assert "576" in text
    assert "(2, 8, 32)" in text
    assert "double-click" in text
    assert "requires_grad" not in text  # a box is not a tensor


def test_a_module_box_without_repeats_does_not_claim_any(qtbot):
    box = GraphNode(
        id="module:fc", kind="module", label="Linear", name="fc", attributes={"ops": "2"}
    )
    text = text_of(qtbot, box)
    assert "2 ops" in text
    assert "repeats" not in text
