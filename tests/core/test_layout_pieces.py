"""Large graphs laid out in pieces: exact, ordered, every edge drawn."""

from __future__ import annotations

import stat
import threading
from collections import Counter

import pytest

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.graph.graph_model import AutogradGraph, GraphNode
from autograd_playground.core.render.dot_source import layout_dot
from autograd_playground.core.render.layout import (
    PIECE_LIMIT,
    LayoutCancelled,
    LayoutError,
    layout_graph,
    parse_plain_layout,
    run_dot,
)
from autograd_playground.core.render.pieces import inputs_first_order, split_graph
from autograd_playground.core.run.evaluator import Evaluator
from tests.core.box_checks import op_chain, overlapping_pairs


def _boxes(layout):
    return {name: (b.x, b.y, b.width, b.height) for name, b in layout.nodes.items()}


def _edge_counts(edges):
    return Counter((edge.source, edge.target, edge.kind) for edge in edges)


def _wide_graph(branches: int) -> AutogradGraph:
    """``branches`` leaves, each through its own op, all summed by one op."""
    graph = AutogradGraph()
    for branch in range(branches):
        graph.add_node(GraphNode(f"leaf:w{branch}", "leaf", f"w{branch}", name=f"w{branch}"))
        graph.add_node(GraphNode(f"op:{branch}", "op", "mul", op="MulBackward0", seq=branch))
        graph.add_edge(f"leaf:w{branch}", f"op:{branch}")
    graph.add_node(GraphNode("op:sum", "op", "stack", op="StackBackward0", seq=branches))
    for branch in range(branches):
        graph.add_edge(f"op:{branch}", "op:sum")
    return graph


@pytest.fixture(scope="module")
def long_chain():
    graph = op_chain(30_001)
    return graph, layout_graph(graph, timeout=300)


def test_a_long_chain_keeps_its_boxes_apart(long_chain):
    graph, layout = long_chain
    assert set(layout.nodes) == set(graph.nodes)
    assert overlapping_pairs(_boxes(layout)) == []


def test_a_long_chain_runs_down_in_forward_order(long_chain):
    graph, layout = long_chain
    ops = [node for node in graph.nodes.values() if node.kind == "op"]
    by_height = sorted(ops, key=lambda node: layout.nodes[node.id].y)
    assert [node.seq for node in by_height] == list(range(30_001))
    assert layout.nodes["leaf:x"].y < layout.nodes["op:0"].y
    assert layout.nodes["tensor:out"].y > layout.nodes["op:30000"].y
    assert 0 < layout.nodes["tensor:out"].y < layout.height


def test_a_long_chain_draws_every_edge_to_its_boxes(long_chain):
    graph, layout = long_chain
    assert _edge_counts(layout.edges) == _edge_counts(graph.edges)
    for edge in layout.edges:
        assert (len(edge.points) - 1) % 3 == 0
        source, target = layout.nodes[edge.source], layout.nodes[edge.target]
        # It leaves its source's bottom and its arrow ends at its target's top (dot's
        # own arrows stop a point or two short of it).
        assert edge.points[0][1] == pytest.approx(source.y + source.height / 2, abs=3)
        assert edge.arrow_tip[1] == pytest.approx(target.y - target.height / 2, abs=3)


def test_a_wide_graph_in_pieces():
    graph = _wide_graph(1_500)
    assert len(split_graph(graph).pieces) > 1
    layout = layout_graph(graph, timeout=120)
    assert overlapping_pairs(_boxes(layout)) == []
    assert _edge_counts(layout.edges) == _edge_counts(graph.edges)
    for branch in range(1_500):
        leaf, op = layout.nodes[f"leaf:w{branch}"], layout.nodes[f"op:{branch}"]
        assert leaf.y < op.y < layout.nodes["op:sum"].y


def test_left_to_right_pieces_stand_side_by_side():
    graph = op_chain(400)
    layout = layout_graph(graph, "LR", piece_limit=60)
    assert len(split_graph(graph, 60).pieces) == 7
    assert overlapping_pairs(_boxes(layout)) == []
    xs = [layout.nodes[f"op:{seq}"].x for seq in range(400)]
    assert xs == sorted(xs)
    assert _edge_counts(layout.edges) == _edge_counts(graph.edges)
    assert max(box.x + box.width / 2 for box in layout.nodes.values()) <= layout.width + 0.01


def test_pieces_are_even_and_hold_each_node_once():
    graph = op_chain(1_000)
    pieces = split_graph(graph, 300)
    assert [len(piece.nodes) for piece in pieces.pieces] == [251, 251, 250, 250]
    assert sum(len(piece.edges) for piece in pieces.pieces) + len(pieces.crossing) == len(
        graph.edges
    )
    assert len(pieces.crossing) == 3


def test_a_graph_within_the_limit_is_one_engine_run_as_before():
    graph = op_chain(200)
    assert len(graph.nodes) <= PIECE_LIMIT
    expected = parse_plain_layout(run_dot(layout_dot(graph), "plain").decode(), graph)
    assert layout_graph(graph) == expected


def test_inputs_come_first_in_an_extracted_graph_with_saved_tensors():
    evaluator = Evaluator()
    evaluator.run(
        "x = torch.randn(3, requires_grad=True)\n"
        "w = torch.randn(3, 3, requires_grad=True)\n"
        "h = (w @ x).tanh()\n"
        "v = h[1:]\n"
        "out = (v * v).sum() + x.exp().sum()\n"
    )
    graph = extract_graph(evaluator.user_names(), include_saved=True)
    # Saved tensors are added after the op that saved them; the order moves them up.
    saved = [node.id for node in graph.nodes.values() if node.kind == "saved"]
    assert saved
    order = inputs_first_order(graph)
    position = {node_id: index for index, node_id in enumerate(order)}
    assert sorted(order) == sorted(graph.nodes)
    for edge in graph.edges:
        assert position[edge.source] < position[edge.target], edge
    without_saved = extract_graph(evaluator.user_names(), include_saved=False)
    assert inputs_first_order(without_saved) == list(without_saved.nodes)


def _script(tmp_path, body: str) -> str:
    path = tmp_path / "fake-dot"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_pieces_time_out_together(tmp_path):
    engine = _script(tmp_path, "exec sleep 30")
    with pytest.raises(LayoutError, match=r"longer than 0\.3 s"):
        layout_graph(op_chain(50), engine=engine, timeout=0.3, piece_limit=10)


def test_pieces_can_be_cancelled(tmp_path):
    engine = _script(tmp_path, "exec sleep 30")
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    with pytest.raises(LayoutCancelled):
        layout_graph(op_chain(50), engine=engine, cancel=cancel, piece_limit=10)


def test_a_failing_piece_is_a_layout_error(tmp_path):
    engine = _script(tmp_path, "echo 'Error: out of cheese' >&2; exit 3")
    with pytest.raises(LayoutError, match="out of cheese"):
        layout_graph(op_chain(50), engine=engine, piece_limit=10)


def _recurrent_graph(steps: int) -> AutogradGraph:
    """An RNN's shape: one weight, transposed anew at every step into the running state."""
    graph = AutogradGraph()
    graph.add_node(GraphNode("leaf:w", "leaf", "w", name="w", shape=(4, 4)))
    graph.add_node(GraphNode("leaf:h", "leaf", "h", name="h", shape=(4,)))
    state = "leaf:h"
    for step in range(steps):
        graph.add_node(GraphNode(f"op:t{step}", "op", "t", op="TBackward0", seq=2 * step))
        graph.add_edge("leaf:w", f"op:t{step}")
        graph.add_node(GraphNode(f"op:mv{step}", "op", "mv", op="MvBackward0", seq=2 * step + 1))
        graph.add_edge(f"op:t{step}", f"op:mv{step}")
        graph.add_edge(state, f"op:mv{step}")
        state = f"op:mv{step}"
    return graph


def test_a_weight_used_at_every_step_is_drawn_without_stalling_the_engine():
    # Given to the engine, the weight's hundreds of edges down through every rank
    # keep it ordering the ranks for minutes.
    graph = _recurrent_graph(700)
    layout = layout_graph(graph, timeout=60)
    assert overlapping_pairs(_boxes(layout)) == []
    assert _edge_counts(layout.edges) == _edge_counts(graph.edges)
    states = [layout.nodes[f"op:mv{step}"].y for step in range(700)]
    assert states == sorted(states)
