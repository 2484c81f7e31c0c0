"""More graphs checked against torch: views, in-place ops, higher order, shared roots."""

from collections import Counter

import pytest
import torch

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.run.evaluator import Evaluator
from tests.core.test_extract import direct_ops, graph_ops


def graph_of(code: str, **options):
    evaluator = Evaluator()
    result = evaluator.run(code)
    assert result.error is None, result.error.text
    names = evaluator.user_names()
    return evaluator, extract_graph(names, line_table=evaluator.line_table, **options)


OWN_EXAMPLES = {
    "views_and_slices": (
        "x = torch.arange(6.0, requires_grad=True)\nv = x.view(2, 3)\ns = v[:, 1:]\n"
        "out = (s * s).sum()\nout.backward()"
    ),
    "in_place": (
        "w = torch.ones(3, requires_grad=True)\ny = w * 2\ny.add_(1)\ny.mul_(3)\n"
        "out = y.sum()\nout.backward()"
    ),
    "higher_order": (
        "x = torch.tensor(2.0, requires_grad=True)\ny = x ** 3\n"
        "(g,) = torch.autograd.grad(y, x, create_graph=True)\ng2 = g * 1.0\n"
    ),
    "shared_subgraph": (
        "x = torch.ones(2, requires_grad=True)\nh = torch.tanh(x * 3)\n"
        "a = (h * 2).sum()\nb = (h + 1).mean()\n"
    ),
    "retain_grad": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\nh = x * x\nh.retain_grad()\n"
        "out = h.sum()\nout.backward()"
    ),
    "linear_regression_from_scratch": (
        "import random\ntorch.manual_seed(0)\nrandom.seed(0)\n"
        "def synthetic_data(w, b, num_examples):\n"
        "    X = torch.normal(0, 1, (num_examples, len(w)))\n"
        "    y = torch.matmul(X, w) + b\n    y += torch.normal(0, 0.01, y.shape)\n"
        "    return X, y.reshape((-1, 1))\n"
        "true_w = torch.tensor([2, -3.4])\ntrue_b = 4.2\n"
        "features, labels = synthetic_data(true_w, true_b, 100)\n"
        "w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)\n"
        "b = torch.zeros(1, requires_grad=True)\n"
        "def linreg(X, w, b):\n    return torch.matmul(X, w) + b\n"
        "def squared_loss(y_hat, y):\n    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2\n"
        "l = squared_loss(linreg(features[:10], w, b), labels[:10])\nl.sum().backward()\n"
    ),
    "two_layer_module": (
        "torch.manual_seed(0)\n"
        "class SimpleNet(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.fc1 = nn.Linear(10, 20)\n        self.relu = nn.ReLU()\n"
        "        self.fc2 = nn.Linear(20, 1)\n    def forward(self, x):\n"
        "        return self.fc2(self.relu(self.fc1(x)))\n"
        "model = SimpleNet()\noutput = model(torch.randn(5, 10))\nloss = output.pow(2).mean()\n"
    ),
    "broadcasting": (
        "a = torch.arange(3.0, requires_grad=True).reshape((3, 1))\n"
        "b = torch.arange(2.0, requires_grad=True)\nc = (a + b).sum()\nc.backward()"
    ),
    "no_grad_update": (
        "w = torch.ones(2, requires_grad=True)\nloss = (w * 3).sum()\nloss.backward()\n"
        "with torch.no_grad():\n    w -= 0.1 * w.grad\nz = w * w\n"
    ),
    "reductions_and_matmul": (
        "A = torch.arange(20.0, requires_grad=True).reshape(5, 4)\nx = torch.ones(4)\n"
        "y = torch.mv(A, x)\ns = A.sum(axis=0)\nm = A.mean()\nn = torch.norm(A)\n"
    ),
    "softmax_cross_entropy": (
        "torch.manual_seed(0)\nlogits = torch.randn(4, 3, requires_grad=True)\n"
        "target = torch.tensor([0, 2, 1, 0])\nloss = F.cross_entropy(logits, target)\n"
        "loss.backward()"
    ),
    "jacobian_vector_product": (
        "x = torch.randn(3, requires_grad=True)\ny = x * 2\n"
        "v = torch.tensor([0.1, 1.0, 0.0001])\ny.backward(v)\n"
    ),
}


@pytest.mark.parametrize("name", sorted(OWN_EXAMPLES))
def test_examples_match_torch(name):
    evaluator, graph = graph_of(OWN_EXAMPLES[name])
    names = evaluator.user_names()
    roots = [v for k, v in sorted(names.items()) if isinstance(v, torch.Tensor) and v.grad_fn]
    assert graph_ops(graph) == direct_ops(*roots)
    for node in graph.nodes.values():
        if node.kind == "leaf" and node.name in names and names[node.name].grad is not None:
            grad = names[node.name].grad
            if grad.numel() <= 100:
                assert node.grad.values == grad.tolist()
            else:
                assert node.grad.stats["norm"] == pytest.approx(float(grad.norm()))


def test_views_link_to_their_base():
    _, graph = graph_of(OWN_EXAMPLES["views_and_slices"])
    views = {(e.source, e.target) for e in graph.edges if e.kind == "view"}
    # torch records the storage's owner as every view's base, even for a view of a view.
    assert views == {("leaf:x", "tensor:v"), ("leaf:x", "tensor:s")}
    assert graph.find("s").shape == (2, 2)


def test_in_place_ops_show_the_version_counter():
    _, graph = graph_of(OWN_EXAMPLES["in_place"])
    y = graph.find("y")
    assert y.version == 2
    assert y.grad_fn == "MulBackward0"
    assert Counter(graph_ops(graph)) == Counter(
        {"MulBackward0": 2, "AddBackward0": 1, "SumBackward0": 1}
    )


def test_higher_order_graph_is_drawn():
    _, graph = graph_of(OWN_EXAMPLES["higher_order"])
    g = graph.find("g")
    assert g.kind == "tensor"
    assert g.requires_grad
    # The gradient's own graph (3x², built by create_graph=True) leads back to x.
    edges_into_x_users = {e.target for e in graph.edges if e.source == "leaf:x"}
    assert edges_into_x_users
    assert graph.find("x").kind == "leaf"


def test_shared_subgraph_appears_once():
    _, graph = graph_of(OWN_EXAMPLES["shared_subgraph"])
    assert graph_ops(graph)["TanhBackward0"] == 1
    h = graph.find("h")
    assert not h.is_root
    assert graph.find("a").is_root
    assert graph.find("b").is_root


def test_retained_grad_of_an_intermediate():
    _, graph = graph_of(OWN_EXAMPLES["retain_grad"])
    h = graph.find("h")
    assert h.retains_grad
    assert h.grad.values == [1.0, 1.0]


def test_lines_of_ops_inside_user_functions():
    code = OWN_EXAMPLES["linear_regression_from_scratch"]
    _, graph = graph_of(code)
    lines = code.splitlines()
    by_op = {node.op: node.line for node in graph.ops()}
    assert (
        "torch.matmul(X, w) + b" in lines[by_op["MmBackward0"] - 1]
        or "matmul" in lines[by_op["MmBackward0"] - 1]
    )
    assert "** 2 / 2" in lines[by_op["PowBackward0"] - 1]


def test_module_parameters_of_a_custom_module():
    _, graph = graph_of(OWN_EXAMPLES["two_layer_module"])
    leaves = sorted(n.name for n in graph.nodes.values() if n.kind == "leaf")
    assert leaves == ["model.fc1.bias", "model.fc1.weight", "model.fc2.bias", "model.fc2.weight"]


def test_no_grad_update_keeps_the_leaf_a_leaf():
    _, graph = graph_of(OWN_EXAMPLES["no_grad_update"])
    w = graph.find("w")
    assert w.kind == "leaf"
    assert w.version == 1
    assert w.value.values == pytest.approx([0.7, 0.7])


def test_saved_tensors_and_attributes():
    _, graph = graph_of(OWN_EXAMPLES["reductions_and_matmul"], include_saved=True)
    sum_op = next(n for n in graph.ops() if n.op == "SumBackward1")
    assert sum_op.attributes["dim"] == "(0,)"
    mv = next(n for n in graph.ops() if n.op == "MvBackward0")
    saved = sorted(
        e.source.split("/")[-1] for e in graph.edges if e.kind == "saved" and e.target == mv.id
    )
    # Only A needs a grad, so mv keeps the vector alone (its saved self stays empty).
    assert saved == ["vec"]


def test_saved_tensors_left_out_by_request():
    _, graph = graph_of(OWN_EXAMPLES["reductions_and_matmul"], include_saved=False)
    assert not [n for n in graph.nodes.values() if n.kind == "saved"]
    assert next(n for n in graph.ops() if n.op == "SumBackward1").attributes["dim"] == "(0,)"
