"""The fold tree: module calls and repeated structure, drawn with some folds closed."""

import time

import pytest

from autograd_playground.core.graph.fold_draw import draw_folds
from autograd_playground.core.graph.fold_tree import build_fold_tree
from autograd_playground.core.graph.folds import closed_after_change
from autograd_playground.core.graph.loops import loop_body_text, op_name, periodic_runs
from autograd_playground.core.render.dot_source import layout_key
from autograd_playground.core.render.labels import node_lines
from autograd_playground.core.render.opening import choose_opening
from benchmarks.graph_cases import rnn
from tests.core.test_module_calls import graph_of, run

GPT = """
torch.manual_seed(0)
class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
    def forward(self, x):
        a = self.ln1(x)
        x = x + self.attn(a, a, a, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))
class GPT(nn.Module):
    def __init__(self, vocab=11, d=8, h=2, n=4, T=4):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(T, d)
        self.blocks = nn.Sequential(*[Block(d, h) for _ in range(n)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)
    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(t))
        return self.head(self.ln_f(self.blocks(x)))
model = GPT()
idx = torch.randint(0, 11, (2, 4))
logits = model(idx)
loss = F.cross_entropy(logits.view(-1, 11), idx.view(-1))
"""


def chain_code(iterations: int) -> str:
    return (
        "x = torch.randn(4, requires_grad=True)\n"
        "y = x\n"
        f"for i in range({iterations}):\n"
        "    y = y * 1.0001 + 0.0001 if i % 2 else y.tanh()\n"
        "out = y.sum()\n"
    )


def rnn_code(steps: int) -> str:
    """One nn.RNNCell applied ``steps`` times: the graph benchmark's RNN case."""
    return rnn(steps).code


def folded(code: str, roots: list[str] | None = None, include_saved: bool = False):
    graph = graph_of(run(code), roots=roots, include_saved=include_saved)
    return graph, build_fold_tree(graph)


def repeat_folds(tree) -> dict[str, str]:
    return {f.id: f.label for f in tree.folds.values() if f.kind == "repeat"}


def drawn(graph, tree, closed):
    result = draw_folds(graph, tree, closed)
    return result, [(n.kind, n.name or n.op or n.label) for n in result.nodes.values()]


def opening(graph, tree, area=(1000.0, 700.0)):
    return drawn(graph, tree, choose_opening(graph, tree, area).opening)


def test_a_long_loop_opens_as_one_box_between_its_input_and_its_sum():
    started = time.perf_counter()
    graph, tree = folded(chain_code(20_000), roots=["out"])
    assert len(graph.nodes) == 30_003  # x, 30,000 ops, sum, out
    result, nodes = opening(graph, tree)
    assert nodes == [
        ("leaf", "x"),
        ("module", "line 4"),
        ("op", "SumBackward0"),
        ("tensor", "out"),
    ]
    box = result.nodes["module:line 4"]
    assert box.label == "Tanh · Mul · Add × 10,000"
    assert box.attributes == {"ops": "30000", "parameters": "0", "repeats": "10000"}
    assert node_lines(box) == ["line 4", "Tanh · Mul · Add × 10,000 · 30,000 ops", "(4)"]
    assert len(tree.folds["line 4"].children) == 100  # chunks of 100 repeats
    assert len(graph.nodes) == sum(len(inside.nodes) - 2 for inside in result.folded.values()) + 3
    assert time.perf_counter() - started < 60


def test_a_loop_opens_into_chunks_then_repeats_then_ops_and_closes_again():
    graph, tree = folded(chain_code(250), roots=["out"])
    start = choose_opening(graph, tree, (1000.0, 700.0)).opening
    assert start == {"line 4"}
    chunks = closed_after_change(tree, start, start - {"line 4"})
    assert chunks == {"line 4 [1–100]", "line 4 [101–125]"}
    _, nodes = drawn(graph, tree, chunks)
    assert [name for kind, name in nodes if kind == "module"] == [
        "line 4 [1–100]",
        "line 4 [101–125]",
    ]
    steps = closed_after_change(tree, chunks, chunks - {"line 4 [101–125]"})
    result, nodes = drawn(graph, tree, steps)
    assert len([kind for kind, _ in nodes if kind == "module"]) == 1 + 25
    step = result.nodes["module:line 4 [107]"]
    assert (step.label, step.attributes["ops"]) == ("Tanh · Mul · Add", "3")
    opened = closed_after_change(tree, steps, steps - {"line 4 [107]"})
    _, nodes = drawn(graph, tree, opened)
    assert ("module", "line 4 [107]") not in nodes
    assert [name for kind, name in nodes if kind == "op"].count("TanhBackward0") == 1
    # Each repeat takes the previous one's output: the boxes form one chain.
    result, _ = drawn(graph, tree, steps)
    assert ("module:line 4 [106]", "module:line 4 [107]", "flow") in {
        (e.source, e.target, e.kind) for e in result.edges
    }
    assert layout_key(drawn(graph, tree, start)[0]) == layout_key(opening(graph, tree)[0])


def test_rnn_cell_calls_fold_into_one_box_holding_the_shared_weights():
    graph, tree = folded(rnn_code(20))
    result, nodes = opening(graph, tree)
    assert nodes == [
        ("module", "cell … cell#20"),
        ("op", "PowBackward0"),
        ("op", "SumBackward0"),
        ("tensor", "loss"),
    ]
    box = result.nodes["module:cell … cell#20"]
    assert (box.label, box.attributes) == (
        "RNNCell × 20",
        {"ops": "120", "parameters": "4", "repeats": "20"},
    )
    opened, nodes = drawn(graph, tree, closed_after_change(tree, {box.name}, frozenset()))
    cells = [name for kind, name in nodes if kind == "module"]
    assert cells == ["cell", *(f"cell#{k}" for k in range(2, 21))]
    weight_edges = [e for e in opened.edges if e.source == "leaf:cell.weight_hh"]
    assert {e.target for e in weight_edges} == {f"module:{c}" for c in cells}
    # The first call saves less (its input needs no grad): it is a repeat all the same.
    _, tree = folded(rnn_code(6), include_saved=True)
    assert repeat_folds(tree) == {"cell … cell#6": "RNNCell × 6"}


def test_the_gpt_opens_as_its_outline():
    graph, tree = folded(GPT)
    assert repeat_folds(tree) == {"model.blocks.0 … model.blocks.3": "Block × 4"}
    result, nodes = opening(graph, tree)
    boxes = [name for kind, name in nodes if kind == "module"]
    assert sorted(boxes) == sorted(
        ["model.tok", "model.pos", "model.blocks.0 … model.blocks.3", "model.ln_f", "model.head"]
    )
    ops = [name for kind, name in nodes if kind == "op"]
    assert ops == ["AddBackward0", "ViewBackward0", "LogSoftmaxBackward0", "NllLossBackward0"]
    blocks = result.nodes["module:model.blocks.0 … model.blocks.3"]
    # Attention reads out_proj's weights without calling out_proj: they are inside too.
    assert blocks.attributes["parameters"] == str(4 * 12)
    assert not any(n.kind == "leaf" for n in result.nodes.values())


def test_the_outline_is_chosen_for_what_fits_the_legible_area():
    graph, tree = folded(
        "torch.manual_seed(0)\n"
        "model = nn.Sequential(\n"
        "    nn.Sequential(nn.Linear(2, 3), nn.Tanh()),\n"
        "    nn.Sequential(nn.Linear(3, 3), nn.Tanh()),\n"
        "    nn.Linear(3, 1),\n"
        ")\n"
        "y = model(torch.randn(4, 2)).sum()\n"
    )
    small = choose_opening(graph, tree, (10.0, 10.0))
    large = choose_opening(graph, tree, (1e6, 1e6))
    # One "model" box holds every op: no outline. The layers are the shallowest one.
    assert small.opening == small.outline == {"model.0", "model.1", "model.2"}
    assert large.opening == {"model.0.0", "model.0.1", "model.1.0", "model.1.1", "model.2"}
    assert large.outline == small.outline


def test_parallel_or_two_or_unlike_calls_are_not_folded():
    codes = {
        "parallel": "a = nn.Linear(4, 4)\nb = nn.Linear(4, 4)\nx = torch.randn(2, 4)\n"
        "y = (a(x) + b(x)).sum()\n",
        "one module thrice, in parallel": "a = nn.Linear(4, 4)\nx = torch.randn(2, 4)\n"
        "y = (a(x) + a(x) + a(x)).sum()\n",
        "two": "m = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4))\n"
        "y = m(torch.randn(2, 4)).sum()\n",
        "unlike": "m = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 4, bias=False), "
        "nn.Linear(4, 4))\ny = m(torch.randn(2, 4)).sum()\n",
        "two iterations": chain_code(4),
        "independent iterations": "x = torch.randn(3, requires_grad=True)\n"
        "ys = [x.tanh() * k for k in range(6)]\ny = torch.stack(ys).sum()\n",
    }
    for name, code in codes.items():
        _, tree = folded(code)
        assert repeat_folds(tree) == {}, name
    _, tree = folded(
        "m = nn.Sequential(*[nn.Linear(4, 4) for _ in range(3)])\ny = m(torch.randn(2, 4)).sum()\n"
    )
    assert repeat_folds(tree) == {"m.0 … m.2": "Linear × 3"}


def test_fold_ids_are_the_same_when_the_code_runs_again():
    first = folded(rnn_code(5) + chain_code(9))[1]
    second = folded(rnn_code(5) + chain_code(9))[1]
    assert list(first.folds) == list(second.folds)
    assert {"cell … cell#5", "line 11", "line 11 [3]"} <= set(first.folds)


def test_periodic_runs_prefer_the_period_covering_most():
    assert periodic_runs([9, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 8]) == [(1, 3, 3)]
    assert periodic_runs([5, 5, 5, 5]) == [(0, 1, 4)]
    assert periodic_runs([1, 2, 1, 2, 3]) == []


def test_long_loop_bodies_are_named_by_their_first_ops():
    graph, tree = folded(
        "x = torch.randn(3, requires_grad=True)\n"
        "for _ in range(4):\n"
        "    x = (x.exp() * 2).sin().cos() - 1\n"
    )
    assert repeat_folds(tree) == {"line 3": "Exp · Mul · Sin · … × 4"}
    body = [n for n in graph.ops() if n.line == 3][:2]
    assert loop_body_text([op_name(node) for node in body]) == "Exp · Mul"


def test_the_forward_steps_run_through_a_loop_box_op_by_op():
    from autograd_playground.core.teach.forward.steps import ForwardSteps

    graph, tree = folded(chain_code(6), roots=["out"])
    steps = ForwardSteps(draw_folds(graph, tree, {"line 4"}))
    assert len(steps) == len(graph.ops()) == 10  # 3 repeats of 3 ops, and the sum
    assert [step.node_id for step in steps.steps] == ["module:line 4"] * 9 + [steps.steps[9].op_id]
    assert [step.box_total for step in steps.steps] == [9] * 9 + [0]


def test_a_loop_calling_modules_folds_with_its_calls_and_their_weights():
    graph, tree = folded(
        "W = nn.Linear(4, 8)\nU = nn.Linear(8, 8)\nxs = torch.randn(12, 4)\nh = torch.zeros(8)\n"
        "for t in range(12):\n"
        "    h = torch.tanh(W(xs[t]) + U(h))\n"
        "loss = h.sum()\n"
    )
    assert repeat_folds(tree) == {"line 6": "Linear · Linear · Add · … × 12"}
    assert tree.folds["line 6 [1]"].children == ["W", "U"]  # the first U makes one op less
    assert tree.folds["line 6 [12]"].children == ["W#12", "U#12"]
    result, nodes = opening(graph, tree)
    assert nodes == [("module", "line 6"), ("op", "SumBackward0"), ("tensor", "loss")]
    assert result.nodes["module:line 6"].attributes["parameters"] == "4"


def test_a_run_of_layers_includes_a_first_layer_that_makes_fewer_ops():
    _, tree = folded(
        "torch.manual_seed(0)\n"
        "layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16)\n"
        "enc = nn.TransformerEncoder(layer, num_layers=3, enable_nested_tensor=False)\n"
        "out = enc(torch.randn(5, 3, 8)).sum()\n"
    )
    # enc.layers.0's input needs no grad: it makes one op less than the others.
    assert repeat_folds(tree) == {"enc.layers.0 … enc.layers.2": "TransformerEncoderLayer × 3"}


def test_the_extent_estimate_stacks_ranks_along_the_edges():
    from autograd_playground.core.render.dot_source import layout_lines
    from autograd_playground.core.render.extent import (
        NODE_SEPARATION,
        RANK_SEPARATION,
        estimated_extent,
        node_ranks,
    )
    from autograd_playground.core.render.text_metrics import POINTS_PER_INCH, box_size

    graph = folded("a = torch.ones(2, requires_grad=True)\nb = (a * 2).sum()\n")[0]
    ranks = node_ranks(graph)
    assert sorted(ranks.values()) == list(range(len(graph.nodes)))  # one chain
    sizes = [
        box_size(layout_lines(node), bold_first=node.kind != "op") for node in graph.nodes.values()
    ]
    widths = [w * POINTS_PER_INCH for w, _ in sizes]
    heights = [h * POINTS_PER_INCH for _, h in sizes]
    tall = sum(heights) + RANK_SEPARATION * (len(sizes) - 1)
    assert estimated_extent(graph, "TB") == pytest.approx((max(widths), tall))
    long = sum(widths) + RANK_SEPARATION * (len(sizes) - 1)
    assert estimated_extent(graph, "LR") == pytest.approx((long, max(heights)))
    # Two outputs of one leaf share a rank: side by side.
    graph = folded("a = torch.ones(2, requires_grad=True)\nb = a * 2\nc = a * 3\n")[0]
    width, _ = estimated_extent(graph, "TB")
    ops = [box_size(layout_lines(n))[0] * POINTS_PER_INCH for n in graph.ops()]
    assert width >= sum(ops) + NODE_SEPARATION


def test_alternating_layers_fold_as_one_repeat_of_their_pair():
    _graph, tree = folded(
        "layers = [m for _ in range(5) for m in (nn.Linear(4, 4), nn.Tanh())]\n"
        "m = nn.Sequential(*layers)\ny = m(torch.randn(2, 4)).sum()\n"
    )
    assert list(repeat_folds(tree).values()) == ["Linear · Tanh × 5"]
    (loop,) = repeat_folds(tree)
    steps = tree.folds[loop].children
    assert len(steps) == 5
    assert tree.folds[steps[2]].children == ["m.4", "m.5"]  # the third pair's two calls
    # A pair of unlike layers twice is no loop.
    _, tree = folded(
        "m = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 4), nn.Tanh())\n"
        "y = m(torch.randn(2, 4)).sum()\n"
    )
    assert repeat_folds(tree) == {}
