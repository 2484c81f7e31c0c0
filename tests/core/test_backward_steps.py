"""Backward passes recorded step by step: order, values, node ids, hooks, recordings."""

from __future__ import annotations

import re

import pytest
import torch

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.teach.backward.trace import (
    FREED_MESSAGE,
    StepRecorder,
    TraceUnavailable,
    live_trace,
    resolve_node_ids,
)
from autograd_playground.core.teach.backward.trace_choice import choose_trace, root_choices
from autograd_playground.core.teach.backward.user_calls import BackwardRecorder

X = "x = torch.tensor([1., 2., 3.], requires_grad=True)\n"
SUM_2X = X + "y = (x * 2).sum()\n"
XTX = X + "y = 2 * torch.dot(x, x)\n"
MY_RELU = (
    "class MyReLU(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, input):\n"
    "        ctx.save_for_backward(input)\n"
    "        return input.clamp(min=0)\n"
    "    @staticmethod\n"
    "    def backward(ctx, grad_output):\n"
    "        input, = ctx.saved_tensors\n"
    "        grad_input = grad_output.clone()\n"
    "        grad_input[input < 0] = 0\n"
    "        return grad_input\n"
    "x = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)\n"
    "y = MyReLU.apply(x)\n"
    "s = (y * 3).sum()\n"
)


def run(code: str, evaluator: Evaluator | None = None) -> Evaluator:
    evaluator = evaluator or Evaluator(make_recorder=BackwardRecorder)
    result = evaluator.run(code)
    assert result.error is None, result.error.text
    return evaluator


def values(flows):
    return [flow.value.values if flow.value is not None else None for flow in flows]


def graph_id_of(graph, op):
    (node,) = [node for node in graph.ops() if node.op == op]
    return node.id


def test_live_trace_of_a_sum_of_2x():
    evaluator = run(SUM_2X)
    names = evaluator.user_names()
    trace = resolve_node_ids(live_trace(names, "y", evaluator.line_table.line_of), names)
    assert [step.op for step in trace.steps] == ["SumBackward0", "MulBackward0", "AccumulateGrad"]
    total, mul, accumulate = trace.steps
    assert values(total.grad_outputs) == [1.0]
    assert values(total.grad_inputs) == [[1.0, 1.0, 1.0]]
    assert total.rule_in("en").startswith("grad expanded to the input's shape")
    assert total.operands_in("en") == "input shape = (3,)"
    assert values(mul.grad_outputs) == [[1.0, 1.0, 1.0]]
    assert values(mul.grad_inputs) == [[2.0, 2.0, 2.0], None]  # the constant 2 needs none
    assert [flow.label_in("en") for flow in mul.grad_inputs] == [
        "to x",
        "to the constant 2 (needs no grad)",
    ]
    assert mul.rule_in("en") == "grad × other to self; grad × self to other"
    assert mul.operands_in("en") == "other = 2"
    assert mul.line == 2
    assert values(accumulate.grad_outputs) == [[2.0, 2.0, 2.0]]
    assert accumulate.title == "AccumulateGrad into x.grad"
    assert "would be added into x.grad" in accumulate.rule_in("en")
    graph = extract_graph(names)
    assert total.node_id == graph_id_of(graph, "SumBackward0")
    assert mul.node_id == graph_id_of(graph, "MulBackward0")
    assert accumulate.node_id == "leaf:x"
    assert names["x"].grad is None  # the live pass leaves .grad alone


def test_live_trace_of_2_xtx_matches_hand_computed_gradients():
    evaluator = run(XTX)
    names = evaluator.user_names()
    trace = resolve_node_ids(live_trace(names, "y"), names)
    assert [step.op for step in trace.steps] == ["MulBackward0", "DotBackward0", "AccumulateGrad"]
    mul, dot, accumulate = trace.steps
    # y = 2 · (x·x): dy/d(x·x) = 2, d(x·x)/dx = 2x, so dy/dx = 4x = [4, 8, 12].
    assert values(mul.grad_outputs) == [1.0]
    assert values(mul.grad_inputs)[0] == 2.0
    assert values(dot.grad_outputs) == [2.0]
    # Each of dot's two inputs (both x) gets grad × the other one: 2x.
    assert values(dot.grad_inputs) == [[2.0, 4.0, 6.0], [2.0, 4.0, 6.0]]
    assert dot.operands_in("en") == "self = [1, 2, 3], tensor = [1, 2, 3]"
    assert values(accumulate.grad_outputs) == [[4.0, 8.0, 12.0]]
    graph = extract_graph(names)
    ids = {node.op: node.id for node in graph.ops()}
    assert [step.node_id for step in trace.steps] == [
        ids["MulBackward0"],
        ids["DotBackward0"],
        "leaf:x",
    ]


def test_hooks_are_removed_after_recording():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x * 2).sum()
    recorder = StepRecorder([y.grad_fn])
    with recorder:
        y.backward(retain_graph=True)
    assert len(recorder.raw) == 3
    steps = recorder.finish({id(x): "x"})
    assert [step.op for step in steps] == ["SumBackward0", "MulBackward0", "AccumulateGrad"]
    assert steps[-1].rule_in("en") == "added into x.grad: it was None, so it becomes grad"
    y.backward()  # a second pass works and runs no hook of ours
    assert recorder.raw == []
    assert x.grad.tolist() == [4.0, 4.0, 4.0]


def test_recorded_backward_from_the_users_cell():
    evaluator = run(XTX + "y.backward()\nx.grad\n")
    (trace,) = evaluator.recorder.traces()
    assert (trace.source, trace.root_name, trace.line) == ("recorded", "y", 3)
    assert [step.op for step in trace.steps] == ["MulBackward0", "DotBackward0", "AccumulateGrad"]
    accumulate = trace.steps[-1]
    assert accumulate.rule_in("en") == "added into x.grad: it was None, so it becomes grad"
    assert values(accumulate.grad_inputs) == [[4.0, 8.0, 12.0]]  # x.grad afterwards
    assert evaluator.user_names()["x"].grad.tolist() == [4.0, 8.0, 12.0]
    # torch's own functions are back once the run is over.
    assert torch.Tensor.backward.__module__ == "torch._tensor"
    assert torch.autograd.backward.__module__ == "torch.autograd"


def test_a_loop_keeps_only_its_last_backward_and_accumulation_shows_the_old_grad():
    code = X + "for step in range(3):\n    loss = (x * x).sum()\n    loss.backward()\n"
    evaluator = run(code)
    (trace,) = evaluator.recorder.traces()
    assert trace.root_name == "loss"
    assert trace.note_in("en").endswith("(the last of its 3 calls)")
    accumulate = trace.steps[-1]
    # Two earlier passes left 2 · 2x = [4, 8, 12]; the third adds 2x.
    assert accumulate.rule_in("en") == "added into x.grad: tensor([ 4.,  8., 12.]) + grad"
    assert values(accumulate.grad_inputs) == [[6.0, 12.0, 18.0]]


def test_recorded_trace_is_preferred_then_the_live_one_then_a_reason():
    evaluator = run(XTX + "z = (x * 2).sum()\ny.backward()\n")
    names = evaluator.user_names()
    recorded = evaluator.recorder.traces()
    line_of = evaluator.line_table.line_of
    choices = root_choices(names, recorded, line_of)
    assert [(choice.key, choice.recorded) for choice in choices] == [("y", True), ("z", False)]
    default = choose_trace(names, recorded, line_of=line_of)
    assert (default.key, default.trace.source) == ("y", "recorded")
    graph = extract_graph(names)
    assert default.trace.steps[1].node_id == graph_id_of(graph, "DotBackward0")
    live = choose_trace(names, recorded, "z")
    assert live.trace.source == "live"
    # The same y again, differentiated by the cell: its saved tensors are gone.
    evaluator = run("y = 2 * torch.dot(x, x)\ny.backward()\ny2 = y * 1\n", evaluator)
    names = evaluator.user_names()
    with pytest.raises(TraceUnavailable, match="retain_graph=True"):
        live_trace(names, "y")
    # A recording describes the y it ran on; a y made again since falls back to live.
    evaluator = run("y = 2 * torch.dot(x, x) + 0\n", evaluator)
    fresh = choose_trace(evaluator.user_names(), evaluator.recorder.traces(), "y")
    assert fresh.trace.source == "live"
    assert fresh.trace.steps[0].op == "AddBackward0"


def test_freed_graph_without_a_recording_says_why():
    evaluator = run(XTX)
    names = evaluator.user_names()
    names["y"].backward()  # outside a run: not recorded
    choice = choose_trace(names, [], "y")
    assert choice.trace is None
    assert choice.message == FREED_MESSAGE


def test_custom_function_backward_is_a_step():
    evaluator = run(MY_RELU)
    names = evaluator.user_names()
    trace = resolve_node_ids(live_trace(names, "s"), names)
    ops = [step.op for step in trace.steps]
    assert ops == ["SumBackward0", "MulBackward0", "MyReLUBackward", "AccumulateGrad"]
    relu = trace.steps[2]
    assert relu.rule_in("en").startswith("your backward()")
    assert values(relu.grad_outputs) == [[3.0, 3.0, 3.0]]
    assert values(relu.grad_inputs) == [[0.0, 3.0, 0.0]]
    graph = extract_graph(names)
    assert relu.node_id == graph_id_of(graph, "MyReLUBackward")


def test_roots_without_a_graph_give_a_clear_message():
    evaluator = run(X + "c = torch.ones(2)\n")
    names = evaluator.user_names()
    assert choose_trace(names, []).message_in("en").startswith("No tensor with a grad_fn yet")
    with pytest.raises(TraceUnavailable, match="x is a leaf"):
        live_trace(names, "x")
    with pytest.raises(TraceUnavailable, match="requires_grad=False"):
        live_trace(names, "c")


def test_graphs_above_the_limit_are_not_recorded():
    evaluator = Evaluator(make_recorder=BackwardRecorder)
    evaluator.ensure_ready()
    evaluator.recorder.max_nodes = 10
    run(X + "y = x\nfor _ in range(20):\n    y = y * 1.5\ny.sum().backward()\n", evaluator)
    assert evaluator.recorder.traces() == []
    assert evaluator.user_names()["x"].grad is not None  # the backward itself ran


def test_a_long_loop_is_recorded_now_and_then_not_on_every_call(monkeypatch):
    import autograd_playground.core.teach.backward.user_calls as recording

    made = []
    real = recording.StepRecorder

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(recording, "StepRecorder", counting)
    code = X + "for step in range(1000):\n    loss = (x * x).sum()\n    loss.backward()\n"
    evaluator = run(code)
    (trace,) = evaluator.recorder.traces()
    # Recording pauses whenever it has cost more than a twentieth of the loop's time.
    assert 1 <= len(made) < 1000
    assert re.fullmatch(
        r"recorded from your loss\.backward\(\) on line 4 "
        r"\((call \d+ of 1000|the last of its 1000 calls)\)",
        trace.note_in("en"),
    )
    assert [step.op for step in trace.steps][-1] == "AccumulateGrad"


def test_a_recorded_pass_is_printed_when_opened_for_stepping():
    evaluator = run(XTX + "y.backward()\n")
    (trace,) = evaluator.recorder.traces()
    flows = [
        flow.value
        for step in trace.steps
        for flow in (*step.grad_outputs, *step.grad_inputs)
        if flow.value is not None
    ]
    arrived = [summary for step in trace.steps for _, summary in step.arrived]
    # Recording leaves the printing to whoever steps through the pass.
    assert flows
    assert arrived
    assert all(summary.printed is None for summary in flows + arrived)
    trace.print_values()
    assert all("text" in vars(summary) for summary in flows + arrived)
    (accumulated,) = trace.steps[-1].grad_inputs
    assert accumulated.value.text == "tensor([ 4.,  8., 12.])"
