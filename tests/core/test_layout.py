"""Layout through the pip-installed dot engine, and its failures."""

import stat
import threading

import pytest

import autograd_playground.core.render.layout as layout_module
from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.render.layout import (
    LayoutCancelled,
    LayoutError,
    layout_graph,
    run_dot,
)
from autograd_playground.core.run.evaluator import Evaluator


@pytest.fixture(scope="module")
def graph():
    evaluator = Evaluator()
    evaluator.run("x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n")
    return extract_graph(evaluator.user_names(), include_saved=False)


def test_every_node_and_edge_is_placed_top_to_bottom(graph):
    layout = layout_graph(graph)
    assert set(layout.nodes) == set(graph.nodes)
    assert len(layout.edges) == len(graph.edges)
    x, y = layout.nodes["leaf:x"], layout.nodes["tensor:y"]
    assert x.y < y.y  # inputs above outputs, in scene coordinates
    for box in layout.nodes.values():
        assert 0 <= box.x <= layout.width
        assert 0 <= box.y <= layout.height
        assert box.width > 20
        assert box.height > 10
    for edge in layout.edges:
        assert len(edge.points) >= 4
        assert (len(edge.points) - 1) % 3 == 0
        assert edge.arrow_tip is not None


def test_left_to_right(graph):
    layout = layout_graph(graph, "LR")
    assert layout.nodes["leaf:x"].x < layout.nodes["tensor:y"].x


def test_svg_and_png_render():
    assert b"<svg" in run_dot("digraph { a -> b }", "svg")
    assert run_dot("digraph { a -> b }", "png").startswith(b"\x89PNG")


def _script(tmp_path, body: str) -> str:
    path = tmp_path / "fake-dot"
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_missing_engine_says_so(graph):
    with pytest.raises(LayoutError, match="was not found"):
        layout_graph(graph, engine="/nonexistent/dot")


def test_failing_engine_reports_its_message(graph, tmp_path):
    engine = _script(tmp_path, "echo 'Error: out of cheese' >&2; exit 3")
    with pytest.raises(LayoutError, match="out of cheese"):
        layout_graph(graph, engine=engine)


def test_hanging_engine_times_out(graph, tmp_path):
    engine = _script(tmp_path, "exec sleep 30")
    with pytest.raises(LayoutError, match=r"longer than 0\.3 s"):
        layout_graph(graph, engine=engine, timeout=0.3)


def test_layout_can_be_cancelled(graph, tmp_path):
    engine = _script(tmp_path, "exec sleep 30")
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    with pytest.raises(LayoutCancelled):
        layout_graph(graph, engine=engine, cancel=cancel)


def test_garbage_output_is_a_layout_error(graph, tmp_path):
    engine = _script(tmp_path, "cat >/dev/null; echo not-json")
    with pytest.raises(LayoutError, match="Could not read"):
        layout_graph(graph, engine=engine)


def test_plain_layout_is_read_without_waiting_for_the_engine_to_exit(graph, tmp_path):
    # The "stop" line ends plain output; an engine still busy exiting afterwards
    # (here: never exiting) must not hold the layout back.
    from autograd_playground.core.render.dot_source import layout_dot

    answer = tmp_path / "answer.plain"
    answer.write_bytes(run_dot(layout_dot(graph, "TB"), "plain"))
    engine = _script(tmp_path, f"cat >/dev/null; cat '{answer}'; exec sleep 30")
    try:
        layout = layout_graph(graph, engine=engine, timeout=5)
    finally:
        for process in layout_module._unreaped:
            process.kill()
            process.wait()
    assert set(layout.nodes) == set(graph.nodes)
