"""A graph laid out in pieces, as the window draws it: boxes apart, in order, all edges."""

import itertools
from collections import Counter

from autograd_playground.core.render.pieces import PIECE_LIMIT, split_graph
from tests.core.box_checks import overlapping_pairs
from tests.gui.conftest import run_in

LONG_CHAIN = (
    "x = torch.randn(4, requires_grad=True)\n"
    "y = x\n"
    "for i in range(1400):\n"
    "    y = y * 1.0001 + 0.0001 if i % 2 else y.tanh()\n"
    "out = y.sum()\n"
)


def test_a_long_chain_is_drawn_in_pieces_with_its_boxes_apart_and_in_order(window, qtbot):
    view = window.graph_view
    folded = run_in(window, qtbot, LONG_CHAIN, timeout=60_000)
    assert len(folded.graph.nodes) == 4  # x, the loop's box, sum, out
    # Expand all unrolls every repeat: the whole chain, laid out in pieces.
    with qtbot.waitSignal(window.graph_redrawn, timeout=60_000) as redrawn:
        window.graph_pane.expand_all()
    qtbot.waitUntil(view.is_scene_complete, timeout=60_000)
    outcome = redrawn.args[0]
    graph = outcome.graph
    assert outcome.graph_error is None
    assert len(graph.nodes) > 2 * PIECE_LIMIT  # several pieces
    items = view.node_items
    assert set(items) == set(graph.nodes)
    boxes = {}
    for node_id, item in items.items():
        rect = item.mapToScene(item.shape()).boundingRect()
        boxes[node_id] = (rect.center().x(), rect.center().y(), rect.width(), rect.height())
    assert overlapping_pairs(boxes) == []
    ops = sorted(graph.ops(), key=lambda node: items[node.id].scenePos().y())
    assert [node.seq for node in ops] == list(range(len(ops)))
    # Exact positions: an op follows the op before it in its piece at one pitch, to the
    # engine's rounding of a small drawing (under a point); a whole drawing's rounding
    # makes the steps uneven by several points.
    piece_of = {
        node_id: number
        for number, piece in enumerate(split_graph(graph).pieces)
        for node_id in piece.nodes
    }
    linked = {(edge.source, edge.target) for edge in graph.edges}
    # The last op also feeds the taller box of y, beside the sum: its rank is deeper.
    feeds = Counter(edge.source for edge in graph.edges)
    steps = [
        round(items[b.id].scenePos().y() - items[a.id].scenePos().y(), 1)
        for a, b in itertools.pairwise(ops)
        if (a.id, b.id) in linked and feeds[a.id] == 1 and piece_of[a.id] == piece_of[b.id]
    ]
    assert len(steps) > len(ops) * 0.9
    pitch = Counter(steps).most_common(1)[0][0]
    assert [step for step in steps if abs(step - pitch) > 1.0] == []
    drawn = Counter((item.edge.source, item.edge.target) for item in view.edge_items)
    assert drawn == Counter((edge.source, edge.target) for edge in graph.edges)
    for item in view.edge_items:  # each edge runs from its source's box to its target's
        start, end = item.path().pointAtPercent(0), item.path().pointAtPercent(1)
        assert items[item.edge.source].sceneBoundingRect().contains(start)
        assert end.y() < items[item.edge.target].scenePos().y()
