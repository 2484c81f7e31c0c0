"""SVG and PNG export of graphs too large for one engine run."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from autograd_playground.core.render.dot_source import to_dot
from autograd_playground.core.render.export import DrawingTooLarge, graph_bytes
from autograd_playground.core.render.labels import node_lines
from autograd_playground.core.render.layout import LayoutError, run_dot
from autograd_playground.core.render.pieces import split_graph
from autograd_playground.core.render.svg_pieces import pieces_svg
from tests.core.box_checks import op_chain, overlapping_pairs

SVG = "{http://www.w3.org/2000/svg}"
NUMBER_PAIR = re.compile(r"(-?[\d.]+)[ ,](-?[\d.]+)")


def _shift(element) -> tuple[float, float]:
    found = re.search(r"translate\((-?[\d.]+) (-?[\d.]+)\)", element.get("transform", ""))
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def drawn_nodes(document: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Return each node's first label line and its box (centre, size) in the document."""
    root = ET.fromstring(document)
    found = []
    for placed in root.findall(f"{SVG}g"):
        px, py = _shift(placed)
        for drawing in placed.findall(f"{SVG}g"):
            gx, gy = _shift(drawing)
            for node in drawing.iter(f"{SVG}g"):
                if node.get("class") != "node":
                    continue
                outline = node.find(f"{SVG}path")
                pairs = NUMBER_PAIR.findall(outline.get("d"))
                xs = [float(x) + px + gx for x, _ in pairs]
                ys = [float(y) + py + gy for _, y in pairs]
                box = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
                size = (max(xs) - min(xs), max(ys) - min(ys))
                found.append((node.find(f"{SVG}text").text, (*box, *size)))
    return found


@pytest.fixture(scope="module")
def chain_svg():
    graph = op_chain(3_000)
    assert len(split_graph(graph).pieces) > 1
    return graph, graph_bytes(graph, ".svg", timeout=120)


def test_a_chain_in_pieces_is_one_svg_with_every_node(chain_svg):
    graph, document = chain_svg
    nodes = drawn_nodes(document)
    assert Counter(text for text, _ in nodes) == Counter(
        node_lines(node)[0] for node in graph.nodes.values()
    )
    boxes = {f"{index}": box for index, (_, box) in enumerate(nodes)}
    assert overlapping_pairs(boxes) == []
    root = ET.fromstring(document)
    edges = [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == len(graph.edges)
    assert b"leaf (requires_grad)" in document  # the legend, once
    assert document.count(b"leaf (requires_grad)") == 1


def test_a_chain_in_pieces_runs_down_in_forward_order(chain_svg):
    graph, document = chain_svg
    top_down = [text for text, box in sorted(drawn_nodes(document), key=lambda item: item[1][1])]
    forward = [node_lines(node)[0] for node in graph.nodes.values()]
    assert top_down == forward


def test_pieces_left_to_right_keep_their_boxes_apart():
    graph = op_chain(300)
    document = pieces_svg(graph, "LR", limit=40)
    nodes = drawn_nodes(document)
    assert len(nodes) == len(graph.nodes)
    assert overlapping_pairs({f"{i}": box for i, (_, box) in enumerate(nodes)}) == []
    left_right = [text for text, box in sorted(nodes, key=lambda item: item[1][0])]
    assert left_right == [node_lines(node)[0] for node in graph.nodes.values()]


def test_a_small_graph_is_drawn_by_one_engine_run():
    graph = op_chain(20)
    assert graph_bytes(graph, ".svg") == run_dot(to_dot(graph), "svg")


def test_a_png_too_large_to_open_says_what_to_do_instead():
    with pytest.raises(DrawingTooLarge, match="save it as SVG") as caught:
        graph_bytes(op_chain(3_000), ".png", timeout=120)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, LayoutError)  # the command line reports those
