"""A graph far deeper than Python's recursion limit goes through every walk over it.

Each path runs on a chain of ops many times deeper than the default recursion
limit, left as it is: a walk that recursed once per node would fail here.
"""

from __future__ import annotations

import json
import sys

import pytest

from autograd_playground.core.checks.gradient_check import GradientCheck
from autograd_playground.core.checks.jacobian import JacobianJob
from autograd_playground.core.graph.collapse import collapse_modules, module_groups
from autograd_playground.core.graph.extract import extract_graph, grad_fn_node_ids
from autograd_playground.core.render.export import graph_bytes
from autograd_playground.core.render.layout import layout_graph
from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.teach.backward.grad_arrivals import reached_slots
from autograd_playground.core.teach.backward.trace import MAX_TRACE_NODES
from autograd_playground.core.teach.backward.trace_choice import choose_trace
from autograd_playground.core.teach.backward.user_calls import BackwardRecorder
from autograd_playground.core.teach.forward.explain import explain_step
from autograd_playground.core.teach.forward.steps import ForwardSteps
from autograd_playground.core.teach.grad_none import downstream, explain_grad_none

DEPTH = 4_000  # four times the default recursion limit; the app was also run at 20,000


def chain_code(depth: int) -> str:
    return (
        "x = torch.randn(4, requires_grad=True)\n"
        "y = x\n"
        f"for _ in range({depth}):\n"
        "    y = y * 1.0001\n"
        "out = y.sum()\n"
        "out.backward(retain_graph=True)\n"
    )


@pytest.fixture(autouse=True)
def _default_recursion_limit():
    assert sys.getrecursionlimit() == 1000  # nothing raised it for these tests


@pytest.fixture(scope="module")
def deep():
    evaluator = Evaluator(make_recorder=BackwardRecorder)
    result = evaluator.run(chain_code(DEPTH))
    assert result.error is None, result.error.text
    return evaluator


def test_extraction_layout_and_export_of_a_deep_chain(deep):
    names = deep.user_names()
    graph = extract_graph(names, include_saved=True, line_table=deep.line_table)
    assert len(graph.ops()) == DEPTH + 1
    assert len(grad_fn_node_ids(names)) == DEPTH + 2
    document = json.loads(graph_bytes(graph, ".json"))
    assert len(document["nodes"]) == len(graph.nodes)
    layout = layout_graph(graph, timeout=300)
    assert set(layout.nodes) == set(graph.nodes)


def test_forward_steps_and_grad_explanations_of_a_deep_chain(deep):
    graph = extract_graph(deep.user_names(), include_saved=False, line_table=deep.line_table)
    steps = ForwardSteps(graph)
    assert len(steps) == DEPTH + 1
    last = steps.steps[-1]
    assert "`x`" in explain_step(steps, last, "en").requires_grad
    assert steps.visible_nodes(last.index) >= {"leaf:x", last.node_id}
    assert len(downstream(graph, "leaf:x")) == len(graph.nodes) - 1
    reason = explain_grad_none(graph.nodes["tensor:y"], graph, chain_code(DEPTH))
    assert reason is not None


def test_backward_steps_through_the_deepest_graph_they_take():
    evaluator = Evaluator(make_recorder=BackwardRecorder)
    evaluator.run(chain_code(MAX_TRACE_NODES - 3))
    names = evaluator.user_names()
    choice = choose_trace(names, evaluator.recorder.traces(), line_of=evaluator.line_table.line_of)
    assert choice.trace is not None, choice.message_in("en")
    assert len(choice.trace.steps) == MAX_TRACE_NODES - 1
    choice.trace.print_values()
    graph = extract_graph(names)
    assert "leaf:x" in reached_slots(choice.trace, graph)


def test_gradient_and_jacobian_checks_of_a_deep_chain():
    code = chain_code(3_000).replace("out.backward(retain_graph=True)\n", "")
    report = GradientCheck(code, "out").run()
    assert report.precision("float64").ok
    jacobian = JacobianJob(code, "y", "x").run()
    assert jacobian.agree


def test_folding_a_deep_stack_of_module_calls():
    evaluator = Evaluator()
    code = (
        "model = nn.Sequential(*[nn.Linear(2, 2) for _ in range(1500)])\n"
        "out = model(torch.randn(1, 2)).sum()\n"
    )
    assert evaluator.run(code).error is None
    graph = extract_graph(
        evaluator.user_names(),
        line_table=evaluator.line_table,
        module_calls=evaluator.module_calls,
    )
    groups = module_groups(graph)
    folded = collapse_modules(graph, frozenset(group.call_id for group in groups))
    assert len(folded.nodes) < len(graph.nodes)
