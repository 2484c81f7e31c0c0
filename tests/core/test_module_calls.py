"""Module calls recorded while code runs, given to graph nodes, and collapsed into boxes."""

import threading
from collections import Counter

import pytest
from torch.nn.modules import module as module_hooks

from autograd_playground.core.graph.collapse import (
    collapse_modules,
    default_collapsed,
    module_groups,
)
from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.render.dot_source import layout_key
from autograd_playground.core.render.export import node_to_json
from autograd_playground.core.render.labels import FILL_COLORS, fill_key, node_lines
from autograd_playground.core.run import module_calls
from autograd_playground.core.run.evaluator import Evaluator
from tests.core.test_extract import direct_ops, graph_ops

MLP = (
    "torch.manual_seed(0)\n"
    "model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))\n"
    "x = torch.randn(4, 2, requires_grad=True)\n"
    "y = model(x).sum()\n"
)


def run(code: str, evaluator: Evaluator | None = None) -> Evaluator:
    evaluator = evaluator or Evaluator()
    result = evaluator.run(code)
    assert result.error is None, result.error.text
    return evaluator


def graph_of(evaluator: Evaluator, **options):
    return extract_graph(
        evaluator.user_names(),
        line_table=evaluator.line_table,
        module_calls=evaluator.module_calls,
        **options,
    )


def ops_by_module(graph) -> dict[str | None, Counter]:
    found: dict[str | None, Counter] = {}
    for node in graph.ops():
        found.setdefault(node.module, Counter())[node.op] += 1
    return found


def global_hook_count() -> int:
    return sum(
        len(hooks)
        for hooks in (
            module_hooks._global_forward_pre_hooks,
            module_hooks._global_forward_hooks,
            module_hooks._global_forward_hooks_always_called,
        )
    )


@pytest.fixture(scope="module")
def mlp():
    evaluator = run(MLP)
    return evaluator, graph_of(evaluator)


def test_each_op_names_the_module_call_that_made_it(mlp):
    evaluator, graph = mlp
    model, x = evaluator.namespace["model"], evaluator.namespace["x"]
    expected = {
        "model.0": direct_ops(model[0](x)),
        "model.1": direct_ops(model[1](model[0](x))) - direct_ops(model[0](x)),
        "model.2": direct_ops(model(x)) - direct_ops(model[1](model[0](x))),
        None: Counter({"SumBackward0": 1}),
    }
    assert ops_by_module(graph) == expected
    for node in graph.ops():
        if node.module is not None:
            assert node.module_path == ("model", node.module)
    assert graph.find("y").module is None


def test_parameters_and_saved_tensors_join_their_module_call(mlp):
    _, graph = mlp
    for index in (0, 2):
        for param in ("weight", "bias"):
            leaf, call = graph.nodes[f"leaf:model.{index}.{param}"], f"model.{index}"
            assert (leaf.module, leaf.module_path) == (call, ("model", call))
    assert graph.nodes["leaf:x"].module is None
    for node in graph.nodes.values():
        if node.kind == "saved":
            op = next(graph.nodes[e.target] for e in graph.edges if e.source == node.id)
            assert node.module == op.module


def test_module_calls_carry_class_nesting_and_output_shape(mlp):
    _, graph = mlp
    calls = graph.module_calls
    assert list(calls) == ["model", "model.0", "model.1", "model.2"]
    assert (calls["model"].class_name, calls["model"].parent, calls["model"].depth) == (
        "Sequential",
        None,
        0,
    )
    assert (calls["model.2"].class_name, calls["model.2"].parent, calls["model.2"].depth) == (
        "Linear",
        "model",
        1,
    )
    assert calls["model.0"].output_shape == (4, 3)
    assert calls["model"].output_shape == (4, 1)
    assert node_to_json(graph.nodes["leaf:model.0.weight"])["module"] == "model.0"


def test_node_ids_do_not_depend_on_the_module_table(mlp):
    evaluator, graph = mlp
    plain = extract_graph(evaluator.user_names(), line_table=evaluator.line_table)
    assert layout_key(plain) == layout_key(graph)
    assert all(node.module is None for node in plain.nodes.values())


def test_a_second_call_of_a_module_is_numbered():
    evaluator = run(
        "lin = nn.Linear(2, 2)\nx = torch.ones(1, 2)\nh = lin(x)\ny = lin(h).sum()\n"
        "first, second = h.grad_fn, y.grad_fn.next_functions[0][0]\n"
    )
    graph = graph_of(evaluator, roots=["y"])
    ns = evaluator.namespace
    first = next(n for n in graph.ops() if n.op == ns["first"].name() and n.module == "lin")
    second = next(n for n in graph.ops() if n.op == ns["second"].name() and n.module == "lin#2")
    assert (first.module_path, second.module_path) == (("lin",), ("lin#2",))
    assert ops_by_module(graph)["lin"] == ops_by_module(graph)["lin#2"]
    # Two calls of its module in the graph: the weight stays out of both.
    assert graph.nodes["leaf:lin.weight"].module is None


def test_a_module_the_namespace_does_not_reach_is_named_by_its_class():
    evaluator = run(
        "x = torch.ones(1, 2)\nlayers = [nn.Linear(2, 2), nn.ReLU()]\n"
        "y = layers[1](layers[0](x)).sum()\nz = nn.Linear(2, 1)(x).sum()\n"
    )
    graph = graph_of(evaluator)
    assert set(graph.module_calls) == {"Linear", "ReLU", "Linear#2"}
    relu = next(n for n in graph.ops() if n.op == "ReluBackward0")
    assert (relu.module, relu.module_path) == ("ReLU", ("ReLU",))
    assert graph.module_calls["Linear"].qualified_name is None


def test_nested_user_modules_get_their_qualified_path():
    evaluator = run(
        "class Block(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.inner = nn.Sequential(nn.Linear(2, 2), nn.Tanh())\n"
        "    def forward(self, x):\n"
        "        return self.inner(x) * 2\n"
        "net = Block()\n"
        "y = net(torch.ones(1, 2)).sum()\n"
    )
    graph = graph_of(evaluator)
    tanh = next(n for n in graph.ops() if n.op == "TanhBackward0")
    assert tanh.module_path == ("net", "net.inner", "net.inner.1")
    mul = next(n for n in graph.ops() if n.op == "MulBackward0")
    assert mul.module_path == ("net",)


def test_calls_from_another_thread_are_not_recorded():
    evaluator = run(
        "import threading\n"
        "model = nn.Linear(2, 1)\nother = nn.Linear(2, 1)\nx = torch.ones(3, 2)\n"
        "def work():\n"
        "    global z\n"
        "    z = other(x).sum()\n"
        "worker = threading.Thread(target=work)\n"
        "worker.start()\n"
        "y = model(x).sum()\n"
        "worker.join()\n"
    )
    table = evaluator.module_calls
    first = table.first_index
    recorded = [table.record(index) for index in range(first, first + len(table))]
    other = evaluator.namespace["other"]
    assert [record.class_name for record in recorded] == ["Linear"]
    assert all(record.module is not other for record in recorded)
    graph = graph_of(evaluator)
    assert "other" not in graph.module_calls
    assert graph.nodes["leaf:model.weight"].module == "model"


def test_a_module_that_raises_leaves_later_nesting_right():
    evaluator = run(
        "class Boom(nn.Module):\n"
        "    def forward(self, x):\n"
        "        raise ValueError('boom')\n"
        "class Careful(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.boom = nn.Sequential(nn.Linear(2, 2), Boom())\n"
        "        self.lin = nn.Linear(2, 1)\n"
        "    def forward(self, x):\n"
        "        try:\n"
        "            self.boom(x)\n"
        "        except ValueError:\n"
        "            pass\n"
        "        return self.lin(x)\n"
        "careful = Careful()\n"
        "x = torch.ones(1, 2)\n"
        "c = careful(x).sum()\n"
        "broken = nn.Sequential(nn.Linear(2, 2), Boom())\n"
    )
    before = global_hook_count()
    failed = evaluator.run("broken(x)")
    assert failed.error is not None
    assert "boom" in failed.error.message
    assert global_hook_count() == before
    run(MLP, evaluator)
    graph = graph_of(evaluator)
    lin = next(n for n in graph.ops() if n.module == "careful.lin")
    assert lin.module_path == ("careful", "careful.lin")
    for node in graph.ops():
        if node.module and node.module.startswith("model."):
            assert node.module_path == ("model", node.module)
    assert not any(call.startswith("broken") for call in graph.module_calls)


def test_hooks_are_installed_only_while_code_runs():
    evaluator = Evaluator()
    before = global_hook_count()
    result = evaluator.run(
        "from torch.nn.modules import module as m\n"
        "inside = len(m._global_forward_pre_hooks) + len(m._global_forward_hooks)\n"
        "inside += len(m._global_forward_hooks_always_called)\n"
    )
    assert result.error is None
    assert evaluator.namespace["inside"] == before + 3
    assert global_hook_count() == before
    interrupted = evaluator.run("raise KeyboardInterrupt")
    assert interrupted.error is not None
    assert global_hook_count() == before


def test_stop_inside_a_forward_leaves_no_hooks_and_later_nesting_right():
    evaluator = run(
        "class Spin(nn.Module):\n"
        "    def forward(self, x):\n"
        "        while True:\n"
        "            x = x + 0\n"
        "spin = nn.Sequential(nn.Linear(2, 2), Spin())\n"
    )
    before = global_hook_count()
    stop = threading.Timer(0.3, evaluator.interrupt)
    stop.start()
    result = evaluator.run("spin(torch.ones(1, 2))")
    stop.join()
    assert result.error is not None
    assert result.error.interrupted
    assert global_hook_count() == before
    graph = graph_of(run(MLP, evaluator))
    assert set(graph.module_calls) == {"model", "model.0", "model.1", "model.2"}
    assert all(call.parent in (None, "model") for call in graph.module_calls.values())


def test_reset_clears_the_table():
    evaluator = run(MLP)
    assert len(evaluator.module_calls) == 4
    evaluator.reset()
    assert len(evaluator.module_calls) == 0
    assert evaluator.module_calls.call_at(0) is None


def test_a_full_table_forgets_its_oldest_calls(monkeypatch):
    monkeypatch.setattr(module_calls, "MAX_CALLS", 6)
    evaluator = run(MLP)
    for _ in range(3):
        run("y = model(x).sum()", evaluator)
    assert len(evaluator.module_calls) <= 6
    graph = graph_of(evaluator)
    assert ops_by_module(graph)["model.0"] == Counter({"AddmmBackward0": 1, "TBackward0": 1})
    assert graph.nodes["leaf:model.0.weight"].module_path == ("model", "model.0")


def test_collapsing_one_call_keeps_the_edges_around_it(mlp):
    evaluator, graph = mlp
    before = (layout_key(graph), [(n.module, n.module_path) for n in graph.nodes.values()])
    collapsed = collapse_modules(graph, ["model.0"])
    assert (layout_key(graph), [(n.module, n.module_path) for n in graph.nodes.values()]) == (
        before
    )

    members = {node_id for node_id, node in graph.nodes.items() if "model.0" in node.module_path}
    assert {"leaf:model.0.weight", "leaf:model.0.bias"} <= members
    assert not members & set(collapsed.nodes)
    box = collapsed.nodes["module:model.0"]
    assert (box.kind, box.label, box.name, box.shape) == ("module", "Linear", "model.0", (4, 3))
    assert box.attributes == {"ops": "2", "parameters": "2"}
    assert len(collapsed.nodes) == len(graph.nodes) - len(members) + 1

    # torch: model.0's output feeds Tanh, and x is model.0's only input needing a grad.
    tanh_fn = evaluator.namespace["y"].grad_fn.next_functions[0][0].next_functions[1][0]
    assert tanh_fn.name() == "TanhBackward0"
    assert tanh_fn.next_functions[0][0].name() == "AddmmBackward0"
    tanh = next(n for n in collapsed.ops() if n.op == "TanhBackward0")
    flow = Counter((e.source, e.target) for e in collapsed.edges if e.kind == "flow")
    assert flow[("module:model.0", tanh.id)] == 1
    assert flow[("leaf:x", "module:model.0")] == 1
    assert graph_ops(collapsed) == direct_ops(evaluator.namespace["y"]) - Counter(
        {"AddmmBackward0": 1, "TBackward0": 1}
    )
    outside = [e for e in graph.edges if e.source not in members and e.target not in members]
    assert Counter(outside) <= Counter(collapsed.edges)
    assert all(e.source != e.target for e in collapsed.edges)
    assert collapsed.roots == graph.roots


def test_collapsing_the_outer_call_leaves_one_box(mlp):
    _, graph = mlp
    collapsed = collapse_modules(graph, ["model", "model.1", "no-such-call"])
    boxes = [n for n in collapsed.nodes.values() if n.kind == "module"]
    assert [box.id for box in boxes] == ["module:model"]
    assert boxes[0].attributes == {"ops": "5", "parameters": "4"}
    assert [n.op for n in collapsed.ops()] == ["SumBackward0"]
    assert sorted(collapsed.nodes) == ["leaf:x", "module:model", collapsed.ops()[0].id, "tensor:y"]
    assert layout_key(collapse_modules(graph, ["no-such-call"])) == layout_key(graph)


def test_module_groups_list_outer_calls_first(mlp):
    _, graph = mlp
    groups = module_groups(graph)
    assert [(g.call_id, g.depth, g.parent) for g in groups] == [
        ("model", 0, None),
        ("model.0", 1, "model"),
        ("model.1", 1, "model"),
        ("model.2", 1, "model"),
    ]
    counts = {g.call_id: (g.op_count, g.node_count) for g in groups}
    model_nodes = sum(1 for n in graph.nodes.values() if n.module_path)
    assert counts["model"] == (5, model_nodes)
    assert counts["model.1"][0] == 1


def test_default_collapsed_respects_the_threshold(mlp):
    _, graph = mlp
    total = len(graph.nodes)
    assert default_collapsed(graph, total) == set()
    level_one = {"model.0", "model.1", "model.2"}
    fits_level_one = len(collapse_modules(graph, level_one).nodes)
    assert default_collapsed(graph, fits_level_one) == level_one
    assert default_collapsed(graph, fits_level_one - 1) == {"model"}
    assert default_collapsed(graph, 1) == {"model"}  # nothing fits: the fewest nodes


def test_module_boxes_have_a_colour_and_a_label(mlp):
    _, graph = mlp
    box = collapse_modules(graph, ["model.2"]).nodes["module:model.2"]
    assert fill_key(box) == "module"
    assert FILL_COLORS["module"] not in {FILL_COLORS[k] for k in FILL_COLORS if k != "module"}
    assert node_lines(box) == ["model.2", "Linear · 2 ops", "(4, 1)"]
    assert node_to_json(box)["module"] == "model.2"


def test_a_transformer_encoder_extracts_and_collapses():
    evaluator = run(
        "torch.manual_seed(0)\n"
        "layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16)\n"
        "enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)\n"
        "out = enc(torch.randn(5, 3, 8)).sum()\n"
    )
    graph = graph_of(evaluator, roots=["out"])
    calls = graph.module_calls
    assert {"enc", "enc.layers.0", "enc.layers.1.self_attn", "enc.layers.1.linear2"} <= set(calls)
    assert calls["enc.layers.0.self_attn"].class_name == "MultiheadAttention"
    assert calls["enc.layers.0.self_attn"].output_shape == (5, 3, 8)
    grouped = [n for n in graph.ops() if n.module is not None]
    assert len(grouped) == len(graph.ops()) - 1  # all but the final sum
    assert graph.nodes["leaf:enc.layers.1.linear1.weight"].module == "enc.layers.1.linear1"

    for collapsed_ids in (
        ["enc"],
        ["enc.layers.0", "enc.layers.1.self_attn"],
        [g.call_id for g in module_groups(graph)],
        default_collapsed(graph, 40),
    ):
        collapsed = collapse_modules(graph, collapsed_ids)
        ends = {end for edge in collapsed.edges for end in (edge.source, edge.target)}
        assert ends <= set(collapsed.nodes)
        assert all(e.source != e.target for e in collapsed.edges)
        assert collapsed.roots == graph.roots
    assert len(collapse_modules(graph, default_collapsed(graph, 40)).nodes) <= 40


@pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors:UserWarning")
def test_nested_tensor_outputs_do_not_break_the_run():
    evaluator = run(
        "layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True)\n"
        "enc = nn.TransformerEncoder(layer, num_layers=2).eval()\n"
        "mask = torch.tensor([[False, False, True]])\n"
        "with torch.no_grad():\n"
        "    out = enc(torch.randn(1, 3, 8), src_key_padding_mask=mask)\n"
    )
    table = evaluator.module_calls
    records = [table.record(index) for index in range(len(table))]
    assert [(r.class_name, r.output_shape) for r in records] == [
        ("TransformerEncoder", (1, 3, 8)),
        ("TransformerEncoderLayer", None),  # a nested tensor: no single shape
        ("TransformerEncoderLayer", None),
    ]


def test_op_count_includes_the_ops_folded_into_module_boxes(mlp):
    _evaluator, graph = mlp
    assert graph.op_count() == len(graph.ops()) == 6  # t, addmm, tanh, t, addmm, sum
    for calls in (["model.0"], ["model"], ["model.0", "model.2"]):
        collapsed = collapse_modules(graph, calls)
        assert len(collapsed.ops()) < len(graph.ops())
        assert collapsed.op_count() == graph.op_count()
