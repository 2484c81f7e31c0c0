"""The order the forward pass ran: each op's ``seq``, its line and which run of the line."""

import itertools
import json
from pathlib import Path

from autograd_playground.core.graph.collapse import collapse_modules, module_node_id
from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.render.export import graph_bytes
from autograd_playground.core.run.evaluator import Evaluator

LESSON = Path(__file__).resolve().parents[2] / "assets" / "lessons" / "13_control_flow.py"

LOOP = """\
a = torch.tensor(1.0, requires_grad=True)
b = a * 2
for i in range(3):
    b = b * 3
c = b + 1
"""


def run(code: str, **options) -> tuple[Evaluator, object]:
    evaluator = Evaluator()
    result = evaluator.run(code)
    assert result.error is None, result.error.text
    graph = extract_graph(evaluator.user_names(), line_table=evaluator.line_table, **options)
    return evaluator, graph


def ops_in_order(graph):
    return sorted(graph.ops(), key=lambda node: node.seq)


def test_seq_numbers_the_ops_in_the_order_they_ran():
    _, graph = run(LOOP)
    ops = ops_in_order(graph)
    assert [node.seq for node in ops] == list(range(5))
    assert [node.label for node in ops] == ["mul", "mul", "mul", "mul", "add"]
    assert [node.line for node in ops] == [2, 4, 4, 4, 5]
    # Each op's input is the one made just before it: seq follows the data.
    for earlier, later in itertools.pairwise(ops):
        assert (earlier.id, later.id) in {(e.source, e.target) for e in graph.edges}


def test_iterations_of_a_loop_line():
    _, graph = run(LOOP)
    ops = ops_in_order(graph)
    assert [(node.iteration, node.iterations) for node in ops] == [
        (1, 1),
        (1, 3),
        (2, 3),
        (3, 3),
        (1, 1),
    ]


def test_lines_inside_functions_and_the_if_branch_taken():
    code = LESSON.read_text(encoding="utf-8")
    _, graph = run(code, roots=["d"])
    ops = ops_in_order(graph)
    # The second call of f: `b = a * 2` once, the while loop's `b = b * 2`, then the else.
    assert ops[0].line == 5
    assert (ops[0].iteration, ops[0].iterations) == (2, 2)
    loop = [node for node in ops if node.line == 7]
    assert len(loop) == len(ops) - 2
    assert all(node.iterations == loop[-1].iteration for node in loop)
    assert [node.iteration for node in loop] == list(
        range(loop[0].iteration, loop[0].iteration + len(loop))
    )
    assert ops[-1].line == 11  # c = 100 * b: the else branch, for this a
    assert all(node.line != 9 for node in ops)


def test_a_run_counts_its_own_iterations():
    evaluator = Evaluator()
    assert evaluator.run(LOOP).error is None
    assert evaluator.run("e = c * 2\n").error is None
    graph = extract_graph(evaluator.user_names(), line_table=evaluator.line_table)
    mul = next(node for node in graph.ops() if node.line == 1 and node.label == "mul")
    assert (mul.iteration, mul.iterations) == (1, 1)
    looped = [node for node in graph.ops() if node.line == 4]
    assert [(node.iteration, node.iterations) for node in looped] == [(1, 3), (2, 3), (3, 3)]


def test_switched_off_recording_leaves_seq_out():
    evaluator = Evaluator()
    evaluator.ensure_ready()
    evaluator.line_table.record_order = False
    assert evaluator.run(LOOP).error is None
    graph = extract_graph(evaluator.user_names(), line_table=evaluator.line_table)
    assert {node.seq for node in graph.ops()} == {None}
    assert {node.output_shape for node in graph.ops()} == {None}
    assert all(not node.saved_shapes for node in graph.ops())
    assert {node.line for node in graph.ops()} == {2, 4, 5}


def test_json_gives_each_op_its_seq():
    _, graph = run(LOOP)
    document = json.loads(graph_bytes(graph, ".json"))
    ops = [node for node in document["nodes"] if node["kind"] == "op"]
    assert sorted(node["seq"] for node in ops) == list(range(5))
    assert {node["seq"] for node in document["nodes"] if node["kind"] != "op"} == {None}
    third = next(node for node in ops if node["seq"] == 3)
    assert (third["line"], third["iteration"], third["iterations"]) == (4, 3, 3)


def test_a_folded_module_box_takes_its_first_ops_place():
    code = """\
x = torch.randn(2, 3)
net = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
h = x * 2
y = net(h).sum()
"""
    evaluator, _ = run(code)
    graph = extract_graph(
        evaluator.user_names(),
        line_table=evaluator.line_table,
        module_calls=evaluator.module_calls,
    )
    linear = [node for node in graph.ops() if node.module == "net.0"]
    folded = collapse_modules(graph, ["net"])
    box = folded.nodes[module_node_id("net")]
    assert box.seq == min(node.seq for node in linear)
    assert box.line == 4


def test_ops_know_their_output_shapes_with_or_without_saved_tensors():
    code = "x = torch.randn(2, 3, requires_grad=True)\ny = x.sum(0)\nz = (y * y).unsqueeze(1)\n"
    for include_saved in (False, True):
        _, graph = run(code, include_saved=include_saved)
        shapes = [(node.label, node.output_shape) for node in ops_in_order(graph)]
        assert shapes == [("sum", (3,)), ("mul", (3,)), ("unsqueeze", (3, 1))]
