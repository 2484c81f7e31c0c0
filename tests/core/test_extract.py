"""Graph extraction checked against torch itself."""

import gc
import weakref
from collections import Counter

import pytest
import torch

from autograd_playground.core.graph import tensor_heatmap
from autograd_playground.core.graph.extract import UnknownRootError, extract_graph, friendly_op_name
from autograd_playground.core.render.dot_source import layout_key
from autograd_playground.core.run.evaluator import Evaluator


def run(code: str) -> Evaluator:
    evaluator = Evaluator()
    result = evaluator.run(code)
    assert result.error is None, result.error.text
    return evaluator


def direct_ops(*tensors: torch.Tensor) -> Counter:
    """Count grad_fn names by walking next_functions ourselves."""
    seen, stack, names = set(), [t.grad_fn for t in tensors if t.grad_fn is not None], Counter()
    while stack:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        if not hasattr(fn, "variable"):
            custom = isinstance(fn, torch.autograd.function.BackwardCFunction)
            names[type(fn).__name__ if custom else fn.name()] += 1
        stack.extend(child for child, _ in fn.next_functions)
    return names


def graph_ops(graph) -> Counter:
    return Counter(node.op for node in graph.ops())


FIRST_PATH = "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\n"


def test_first_path_nodes_and_edges():
    evaluator = run(FIRST_PATH)
    graph = extract_graph(evaluator.user_names(), line_table=evaluator.line_table)
    x, y = graph.find("x"), graph.find("y")
    assert (x.kind, y.kind) == ("leaf", "tensor")
    assert y.is_root
    assert graph.roots == [y.id]
    dot = next(n for n in graph.ops() if n.op == "DotBackward0")
    mul = next(n for n in graph.ops() if n.op == "MulBackward0")
    assert (dot.label, mul.label) == ("dot", "mul")
    flow = Counter((e.source, e.target) for e in graph.edges if e.kind == "flow")
    assert flow == Counter({(x.id, dot.id): 2, (dot.id, mul.id): 1, (mul.id, y.id): 1})
    assert x.value.values == [0.0, 1.0, 2.0, 3.0]
    assert x.grad is None
    assert (dot.line, mul.line, y.line) == (2, 2, 2)


def test_grads_after_backward_equal_torch_and_ops_are_marked_freed():
    evaluator = run(FIRST_PATH + "y.backward()\n")
    graph = extract_graph(evaluator.user_names())
    x = graph.find("x")
    assert x.grad.values == evaluator.namespace["x"].grad.tolist() == [0.0, 4.0, 8.0, 12.0]
    assert x.grad.text == "tensor([ 0.,  4.,  8., 12.])"
    assert all(op.saved_freed for op in graph.ops())


SEED_EXAMPLES = {
    "detach": (
        "x = torch.arange(4.0, requires_grad=True)\ny = x * x\nu = y.detach()\nz = u * x\n"
        "z.sum().backward()"
    ),
    "control_flow": (
        "def f(a):\n    b = a * 2\n    while b.norm() < 1000:\n        b = b * 2\n"
        "    if b.sum() > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c\n"
        "torch.manual_seed(0)\na = torch.randn(size=(), requires_grad=True)\nd = f(a)\n"
        "d.backward()"
    ),
    "retain_graph": (
        "x = torch.randn((2, 3), requires_grad=True)\ny = torch.square(x) - 1\n"
        "loss = y.mean()\nloss.backward(retain_graph=True)\nloss.backward()"
    ),
    "wx_plus_b": (
        "x = torch.tensor([5])\nw = torch.randn(1, requires_grad=True)\n"
        "b = torch.randn(1, requires_grad=True)\ny = torch.mul(w, x)\nz = torch.add(y, b)\n"
        "z.backward(retain_graph=True)"
    ),
    "jacobian_rows": (
        "x = torch.tensor([[2, 3]], dtype=torch.float, requires_grad=True)\n"
        "J = torch.zeros(2, 2)\ny = torch.zeros(1, 2)\n"
        "y[0, 0] = x[0, 0]**2 + 3*x[0, 1]\ny[0, 1] = x[0, 1]**2 + 2*x[0, 0]\n"
        "y.backward(torch.Tensor([[1, 0]]), retain_graph=True)\nJ[0] = x.grad\n"
    ),
    "quadratic_fit": (
        "torch.manual_seed(100)\nx = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)\n"
        "y = 3 * x.pow(2) + 2 + 0.2*torch.rand(x.size())\n"
        "w = torch.rand(1, 1, requires_grad=True)\nb = torch.rand(1, 1, requires_grad=True)\n"
        "for i in range(5):\n    y_pred = x.pow(2).mm(w) + b\n"
        "    loss = 0.5*(y_pred - y)**2\n    loss = loss.sum()\n    loss.backward()\n"
        "    with torch.no_grad():\n        w -= 0.01 * w.grad\n        b -= 0.01 * b.grad\n"
        "        w.grad.zero_()\n        b.grad.zero_()\n"
    ),
    "my_relu": (
        "class MyReLU(torch.autograd.Function):\n    @staticmethod\n"
        "    def forward(ctx, input):\n        ctx.save_for_backward(input)\n"
        "        return input.clamp(min=0)\n    @staticmethod\n"
        "    def backward(ctx, grad_output):\n        input, = ctx.saved_tensors\n"
        "        grad_input = grad_output.clone()\n        grad_input[input < 0] = 0\n"
        "        return grad_input\n"
        "x = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)\ny = MyReLU.apply(x)\n"
        "s = y.sum()\n"
    ),
    "two_layer_autograd": (
        "torch.manual_seed(0)\nx = torch.randn(64, 1000)\ny = torch.randn(64, 10)\n"
        "w1 = torch.randn(1000, 100, requires_grad=True)\n"
        "w2 = torch.randn(100, 10, requires_grad=True)\n"
        "y_pred = x.mm(w1).clamp(min=0).mm(w2)\nloss = (y_pred - y).pow(2).sum()\n"
        "loss.backward()\n"
    ),
    "nn_linear": (
        "torch.manual_seed(0)\nnet = nn.Sequential(nn.Linear(2, 1))\n"
        "X = torch.normal(0, 1, (10, 2))\ny = torch.ones(10, 1)\n"
        "l = nn.MSELoss()(net(X), y)\nl.backward()\n"
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_EXAMPLES))
def test_seed_examples_match_a_direct_walk(name):
    evaluator = run(SEED_EXAMPLES[name])
    names = evaluator.user_names()
    graph = extract_graph(names)
    roots = [
        v for k, v in sorted(names.items()) if isinstance(v, torch.Tensor) and v.grad_fn is not None
    ]
    assert graph_ops(graph) == direct_ops(*roots)
    for node in graph.nodes.values():
        if node.kind == "leaf" and node.name and node.name in names:
            tensor = names[node.name]
            expected = None if tensor.grad is None else tensor.grad.tolist()
            actual = None if node.grad is None else node.grad.values
            if actual is None and node.grad is not None:  # large: compare the norm
                assert node.grad.stats["norm"] == pytest.approx(float(tensor.grad.norm()))
            else:
                assert actual == expected


def test_module_parameters_get_qualified_names():
    graph = extract_graph(run(SEED_EXAMPLES["nn_linear"]).user_names())
    leaves = sorted(n.name for n in graph.nodes.values() if n.kind == "leaf")
    assert leaves == ["net.0.bias", "net.0.weight"]
    assert graph.find("net.0.weight").grad is not None


def test_custom_function_appears_with_its_class_name_and_saved_tensor():
    graph = extract_graph(run(SEED_EXAMPLES["my_relu"]).user_names())
    op = next(n for n in graph.ops() if n.op == "MyReLUBackward")
    assert op.label == "MyReLU"
    saved = [n for n in graph.nodes.values() if n.kind == "saved"]
    assert [s.label for s in saved if s.id.startswith(op.id)] == ["saved_tensors"]
    assert saved[0].value.values == [-1.0, 2.0, -3.0]


def test_detach_breaks_the_graph():
    graph = extract_graph(run(SEED_EXAMPLES["detach"]).user_names())
    assert graph.find("u") is None  # detached: no grad_fn and no requires_grad
    z = graph.find("z")
    (producer,) = [e.source for e in graph.edges if e.target == z.id]
    inputs = [e.source for e in graph.edges if e.target == producer and e.kind == "flow"]
    assert inputs == ["leaf:x"]


def test_ids_are_stable_across_runs_and_values():
    first = extract_graph(run(FIRST_PATH).user_names())
    other_values = FIRST_PATH.replace("torch.arange(4.0,", "torch.linspace(5, 8, 4,")
    second = extract_graph(run(other_values).user_names())
    assert set(first.nodes) == set(second.nodes)
    assert layout_key(first) == layout_key(second)
    assert first.find("x").value.values != second.find("x").value.values
    # After backward the saved tensors are gone, but every other node keeps its id.
    after = extract_graph(run(FIRST_PATH + "y.backward()").user_names())
    assert set(after.nodes) == {i for i, n in first.nodes.items() if n.kind != "saved"}


def test_unknown_root_is_reported_with_the_known_names():
    with pytest.raises(UnknownRootError, match=r"no tensor named 'nope'.*x, y"):
        extract_graph(run(FIRST_PATH).user_names(), roots=["nope"])


def test_roots_can_be_chosen():
    code = FIRST_PATH + "z = x.sum()\n"
    graph = extract_graph(run(code).user_names(), roots=["z"])
    assert sorted(graph_ops(graph)) == ["SumBackward0"]


def test_empty_namespace_gives_empty_graph():
    assert len(extract_graph({})) == 0


def test_graph_keeps_no_reference_to_user_tensors():
    evaluator = run(FIRST_PATH + "y.backward()\n")
    ref = weakref.ref(evaluator.namespace["x"])
    graph = extract_graph(evaluator.user_names(), include_saved=True)
    evaluator.reset()
    gc.collect()
    assert ref() is None
    assert graph.find("x").grad.values == [0.0, 4.0, 8.0, 12.0]


def test_large_values_are_summarised():
    graph = extract_graph(run("w = torch.arange(1000.0, requires_grad=True)\n").user_names())
    w = graph.find("w")
    assert w.value.values is None
    assert w.value.stats["min"] == 0.0
    assert w.value.stats["max"] == 999.0
    assert w.value.stats["mean"] == pytest.approx(499.5)


def test_nan_is_counted():
    graph = extract_graph(
        run("a = torch.tensor([1.0, float('nan')], requires_grad=True)\nb = a * 2\n").user_names()
    )
    assert graph.find("b").value.nan_count == 1


@pytest.mark.parametrize(
    ("op_name", "friendly"),
    [
        ("MulBackward0", "mul"),
        ("MseLossBackward0", "mse_loss"),
        ("TBackward0", "t"),
        ("AddmmBackward0", "addmm"),
    ],
)
def test_friendly_names(op_name, friendly):
    assert friendly_op_name(op_name) == friendly


def test_only_unconsumed_tensors_are_outputs():
    graph = extract_graph(run(SEED_EXAMPLES["wx_plus_b"]).user_names())
    assert graph.find("z").is_root
    assert not graph.find("y").is_root
    assert sorted(graph.roots) == ["tensor:y", "tensor:z"]


def test_a_graphs_small_values_are_printed_as_torch_prints_them_when_read():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    node = extract_graph({"x": x}).find("x")
    assert node.value.printed is None
    assert node.value.text == "tensor([1., 2.])"
    assert node.grad.text == "tensor([3., 3.])"


def test_extracting_a_long_chain_neither_prints_nor_maps_its_small_tensors(monkeypatch):
    evaluator = run(
        "x = torch.randn(4, requires_grad=True)\ny = x\n"
        "for _ in range(300):\n    y = y.tanh()\nout = y.sum()\n"
    )
    work = Counter()

    def counted(kind, function):
        def call(*args, **kwargs):
            work[kind] += 1
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(torch._tensor_str, "_str", counted("print", torch._tensor_str._str))
    monkeypatch.setattr(
        tensor_heatmap, "_heat_map_of_array", counted("map", tensor_heatmap._heat_map_of_array)
    )
    graph = extract_graph(evaluator.user_names(), include_saved=True)
    saved = [node for node in graph.nodes.values() if node.kind == "saved"]
    assert len(saved) == 300
    assert work == Counter()
    first = saved[0].value
    text, heat = first.text, first.heat_map
    assert work == Counter({"print": 1, "map": 1})
    assert text == str(torch.tensor(first.values))
    assert heat.slice_shape == (1, 4)


def test_identical_ops_get_numbered_copies_in_the_order_they_are_met():
    w = torch.randn(3, requires_grad=True)
    names = {"w": w} | {f"y{i:02d}": w * 2 for i in range(12)}
    graph = extract_graph(names)
    feeding = {edge.target: edge.source for edge in graph.edges if edge.kind == "flow"}
    op_ids = [feeding[f"tensor:y{i:02d}"] for i in range(12)]
    first = op_ids[0]
    assert first.startswith("op:MulBackward0:")
    assert op_ids == [first] + [f"{first}~{copy}" for copy in range(2, 13)]
