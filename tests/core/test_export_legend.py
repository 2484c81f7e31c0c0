"""The legend an exported drawing carries: the window's entries that the drawing uses."""

import pytest
import torch

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.render.dot_source import to_dot
from autograd_playground.core.render.export import graph_bytes
from autograd_playground.core.render.layout import run_dot
from autograd_playground.core.render.legend import legend_entries


def _first_path(backward: bool) -> dict:
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    if backward:
        y.backward()
    return {"x": x, "y": y}


def _texts(graph) -> list[str]:
    return [entry.text for entry in legend_entries(graph)]


def test_entries_are_those_the_drawing_uses_in_the_windows_order():
    graph = extract_graph(_first_path(backward=False))
    assert _texts(graph) == [
        "leaf (requires_grad)",
        "output",
        "operation (grad_fn)",
        "saved tensor",
        "requires_grad=False",  # the saved constant 2 of the multiplication
    ]


def test_freed_saved_tensors_and_nonfinite_values_get_their_entries():
    after = extract_graph(_first_path(backward=True))
    assert "saved tensors freed" in _texts(after)
    assert "saved tensor" not in _texts(after)
    x = torch.tensor([1.0, 0.0], requires_grad=True)
    nonfinite = extract_graph({"x": x, "y": torch.log(x)})
    (entry,) = [e for e in legend_entries(nonfinite) if e.text == "NaN or inf"]
    assert entry.nonfinite


def test_an_empty_graph_has_no_legend():
    source = to_dot(extract_graph({}))
    assert "label=<" not in source


def test_svg_shows_every_entry_escaped():
    svg = graph_bytes(extract_graph(_first_path(backward=False)), ".svg").decode()
    for text in ("leaf (requires_grad)", "operation (grad_fn)", "requires_grad=False"):
        assert f">{text}</text>" in svg


def _node_centres(source: str) -> dict[str, tuple[float, float]]:
    plain = run_dot(source, "plain").decode()
    return {
        fields[1]: (float(fields[2]), float(fields[3]))
        for fields in (line.split() for line in plain.splitlines())
        if fields[0] == "node"
    }


@pytest.mark.parametrize("direction", ["TB", "LR"])
def test_the_legend_moves_no_node_relative_to_another(direction):
    source = to_dot(extract_graph(_first_path(backward=False)), direction)
    start = source.index("  graph [fontname=")
    end = source.index("];", start) + 3
    without = source[:start] + source[end:]
    assert "label=<" in source
    assert "label=<" not in without
    with_legend, bare = _node_centres(source), _node_centres(without)
    assert with_legend.keys() == bare.keys()
    shifts = {
        (round(a[0] - b[0], 3), round(a[1] - b[1], 3))
        for a, b in zip(with_legend.values(), bare.values(), strict=True)
    }
    assert len(shifts) == 1
