"""A big graph is drawn in slices: until it is whole the view says so, never a black pane."""

from PySide6.QtGui import QColor

from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode
from autograd_playground.core.render.layout import EdgePath, Layout, NodeBox
from autograd_playground.gui.appearance.graph_palette import LIGHT
from autograd_playground.gui.graph.view import GraphView


def chain_drawing(count: int) -> tuple[AutogradGraph, Layout]:
    graph, layout = AutogradGraph(), Layout(width=120.0, height=50.0 * count)
    for index in range(count):
        node_id = f"op{index}"
        graph.add_node(GraphNode(id=node_id, kind="op", label="MulBackward0", op="Mul"))
        layout.nodes[node_id] = NodeBox(60.0, 25.0 + 50.0 * index, 100.0, 30.0)
        if index:
            graph.add_edge(f"op{index - 1}", node_id)
            points = [(60.0, 50.0 * index - 10.0)] * 3 + [(60.0, 50.0 * index + 8.0)]
            layout.edges.append(EdgePath(f"op{index - 1}", node_id, "flow", points, None))
    return graph, layout


def test_a_graph_being_drawn_shows_its_background_and_says_so(qtbot):
    view = GraphView()
    qtbot.addWidget(view)
    view.set_theme(LIGHT)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    view.show_graph(*chain_drawing(3_000))
    assert not view.is_scene_complete()
    assert "3,000" in view.message_text()
    picture = view.viewport().grab().toImage()
    corner = QColor(picture.pixel(5, picture.height() - 5))
    assert corner == LIGHT.background
    with qtbot.waitSignal(view.scene_ready, timeout=30_000):
        pass
    assert view.message_text() == ""
    assert len(view.node_items) == 3_000
