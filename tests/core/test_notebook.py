"""``autograd_playground.graph``: the export's drawing, shown inline and saved by suffix."""

import json
import math

import pytest
import torch

import autograd_playground
from autograd_playground.core.export_cli import main as export_main
from autograd_playground.core.graph.extract import UnknownRootError
from autograd_playground.core.notebook import GraphDrawing

FIRST_PATH = "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\ny.backward()\n"
# The control-flow example of the d2l autograd tutorial (section 2.5.4), seeded.
SEED_CONTROL_FLOW = (
    "def f(a):\n    b = a * 2\n    while b.norm() < 1000:\n        b = b * 2\n"
    "    if b.sum() > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c\n"
    "torch.manual_seed(1)\na = torch.randn(size=(), requires_grad=True)\nd = f(a)\nd.backward()\n"
)


def _op_names(drawing: GraphDrawing) -> list[str]:
    return sorted(node.op for node in drawing.graph.ops())


def test_the_package_exports_graph():
    assert autograd_playground.graph is autograd_playground.core.notebook.graph
    assert "graph" in dir(autograd_playground)
    with pytest.raises(AttributeError):
        _ = autograd_playground.no_such_name


def test_svg_is_the_export_commands_svg_for_the_same_script(tmp_path):
    script = tmp_path / "first.py"
    script.write_text(FIRST_PATH)
    exported = tmp_path / "exported.svg"
    assert export_main([str(script), "-o", str(exported)]) == 0
    namespace = {"torch": torch}
    exec(FIRST_PATH, namespace)
    drawing = autograd_playground.graph(namespace=namespace)
    assert drawing._repr_svg_() == exported.read_text(encoding="utf-8")


def test_svg_has_the_legend_and_the_values():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    svg = autograd_playground.graph(y)._repr_svg_()
    assert svg.lstrip().startswith("<?xml")
    for text in ("leaf (requires_grad)", "output", "operation (grad_fn)", "saved tensor"):
        assert f">{text}</text>" in svg
    assert ">data [0, 1, 2, 3]</text>" in svg
    assert ">data 28</text>" in svg


def test_tensors_take_their_names_from_the_callers_variables():
    weight = torch.ones(2, requires_grad=True)
    loss = (weight * 3).sum()
    drawing = autograd_playground.graph(loss)
    names = {node.name for node in drawing.graph.nodes.values() if node.kind != "op"}
    assert {"weight", "loss"} <= names
    assert drawing.graph.find("loss").is_root


def test_several_roots_by_tensor_or_by_name_and_an_unnamed_one():
    a = torch.tensor(2.0, requires_grad=True)
    b = a * 3
    c = a + 1  # noqa: F841 (a root by its name)
    drawing = autograd_playground.graph(b, "c", a.exp())
    roots = [drawing.graph.nodes[root].name for root in drawing.graph.roots]
    assert roots == ["b", "c", "output"]
    assert _op_names(drawing) == ["AddBackward0", "ExpBackward0", "MulBackward0"]


def test_an_unnamed_root_does_not_take_a_name_in_use():
    output = torch.ones(1, requires_grad=True)
    drawing = autograd_playground.graph(output * 2)
    assert drawing.graph.find("output").kind == "leaf"
    assert drawing.graph.find("output_2").is_root


def test_given_namespace_and_no_roots_draw_every_tensor_with_a_grad_fn():
    namespace: dict = {"torch": torch}
    exec("p = torch.ones(2, requires_grad=True)\nq = p * 2\nr = q.sum()\n", namespace)
    drawing = autograd_playground.graph(namespace=namespace)
    assert {node.name for node in drawing.graph.nodes.values()} >= {"p", "q", "r"}


def test_bad_roots_are_refused_clearly():
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(UnknownRootError, match="no tensor named 'nope'"):
        autograd_playground.graph("nope")
    with pytest.raises(TypeError, match="a root is a tensor or the name of one, not list"):
        autograd_playground.graph([x])
    with pytest.raises(ValueError, match="direction must be one of TB, LR"):
        autograd_playground.graph(x, direction="BT")


def test_save_writes_each_format_by_its_suffix(tmp_path):
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    drawing = autograd_playground.graph(y)
    assert drawing.save(tmp_path / "g.svg").read_text(encoding="utf-8") == drawing._repr_svg_()
    assert drawing.save(str(tmp_path / "g.PNG")).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    document = json.loads(drawing.save(tmp_path / "g.json").read_text(encoding="utf-8"))
    assert document["format"] == "autograd-playground.graph"
    by_name = {node["name"]: node for node in document["nodes"] if node["name"]}
    assert by_name["x"]["value"] == [0.0, 1.0, 2.0, 3.0]
    assert by_name["y"]["value"] == 28.0
    assert drawing.save(tmp_path / "g.dot").read_text(encoding="utf-8").startswith("digraph")


@pytest.mark.parametrize("name", ["g.pdf", "g", "g.svg.txt"])
def test_save_refuses_an_unknown_suffix(tmp_path, name):
    x = torch.ones(2, requires_grad=True)
    drawing = autograd_playground.graph(x * 2)
    with pytest.raises(ValueError, match=r"its suffix picks the format, .* \.json, \.dot, \.svg"):
        drawing.save(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_graph_freed_by_backward_is_drawn_with_its_grads():
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    y.backward()
    drawing = autograd_playground.graph(y)
    assert all(op.saved_freed for op in drawing.graph.ops())
    assert _op_names(drawing) == ["DotBackward0", "MulBackward0"]
    svg = drawing._repr_svg_()
    assert ">saved tensors freed</text>" in svg
    assert ">grad [0, 4, 8, 12]</text>" in svg


def test_the_seed_tutorials_control_flow_example():
    namespace = {"torch": torch}
    exec(SEED_CONTROL_FLOW, namespace)
    a, d = namespace["a"], namespace["d"]
    drawing = autograd_playground.graph(d, namespace=namespace)
    ops = _op_names(drawing)
    assert set(ops) == {"MulBackward0"}
    # d = a * 2**k, or a * 2**k * 100 when b.sum() was negative: one op for each factor.
    ratio = (d / a).item()
    power = math.log2(ratio)
    expected = round(power) if power.is_integer() else round(math.log2(ratio / 100)) + 1
    assert len(ops) == expected
    leaf = drawing.graph.find("a")
    assert leaf.grad.values == pytest.approx(a.grad.item())
    assert ">saved tensors freed</text>" in drawing._repr_svg_()


def test_the_drawing_is_fixed_when_made():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    drawing = autograd_playground.graph(y)
    before = drawing._repr_svg_()
    y.sum().backward()
    assert drawing._repr_svg_() == before
    assert repr(drawing) == "<GraphDrawing: 4 nodes, 1 ops, 3 edges>"
