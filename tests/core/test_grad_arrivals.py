"""The grad each box shows while a backward pass is stepped, and what each step hands on to."""

from __future__ import annotations

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.teach.backward.grad_arrivals import node_grads_at
from autograd_playground.core.teach.backward.trace_choice import choose_trace
from autograd_playground.core.teach.backward.user_calls import BackwardRecorder

TWO_PATHS = (
    "x = torch.tensor([1., 2.], requires_grad=True)\n"
    "y = (x * x).sum() + 3 * x.sum()\n"  # x gets 2x along one path and 3 along the other
)


def run(code: str) -> Evaluator:
    evaluator = Evaluator(make_recorder=BackwardRecorder)
    result = evaluator.run(code)
    assert result.error is None, result.error.text
    return evaluator


def shown_at_each_step(evaluator: Evaluator, root: str, node_id: str) -> list:
    names = evaluator.user_names()
    trace = choose_trace(names, evaluator.recorder.traces(), root).trace
    graph = extract_graph(names)
    shown = []
    for index in range(len(trace.steps)):
        grad = node_grads_at(trace, index, graph)[node_id]
        shown.append(grad.values if grad is not None else None)
    return shown


def test_x_fills_up_as_its_two_contributions_arrive():
    evaluator = run(TWO_PATHS + "y.backward()\n")
    shown = shown_at_each_step(evaluator, "y", "leaf:x")
    x_grad = evaluator.user_names()["x"].grad.tolist()
    assert x_grad == [5.0, 7.0]
    # Nothing at first; 3 from 3 * x.sum(); then 2x added from x * x; x.grad at the end.
    assert shown[0] is None
    assert [3.0, 3.0] in shown
    assert shown.index([3.0, 3.0]) < shown.index([5.0, 7.0])
    assert shown[-1] == x_grad
    first_value = next(index for index, value in enumerate(shown) if value is not None)
    assert all(value is None for value in shown[:first_value])


def test_a_pass_made_now_fills_up_from_nothing_and_leaves_x_grad_alone():
    evaluator = run(TWO_PATHS)
    shown = shown_at_each_step(evaluator, "y", "leaf:x")
    assert shown[0] is None
    assert shown[-1] == [5.0, 7.0]
    assert evaluator.user_names()["x"].grad is None


def test_a_pass_adding_into_an_old_grad_starts_from_it():
    code = TWO_PATHS + "y.backward(retain_graph=True)\ny.backward()\n"
    shown = shown_at_each_step(run(code), "y", "leaf:x")
    assert shown[0] == [5.0, 7.0]  # x.grad before this second pass
    assert [8.0, 10.0] in shown  # plus the 3 of the first path to arrive
    assert shown[-1] == [10.0, 14.0]


def test_a_retained_non_leaf_shows_the_grad_that_reached_it():
    code = (
        "w = torch.tensor([0.5], requires_grad=True)\n"
        "y = w * 5.0\n"
        "y.retain_grad()\n"
        "z = 4.0 * y\n"
        "z.backward()\n"
    )
    shown = shown_at_each_step(run(code), "z", "tensor:y")
    assert shown[0] == [4.0]  # z's op hands dz/dy = 4 to y at the first step
    assert shown[-1] == [4.0]


def test_steps_name_the_inputs_they_hand_gradients_to():
    evaluator = run(
        "x = torch.arange(4.0, requires_grad=True)\n"
        "y = 2 * torch.dot(x, x)\n"
        "c = torch.tensor([1., 2., 3., 4.])\n"
        "z = x * c\n"
        "s = z.sum()\n"
    )
    names = evaluator.user_names()
    mul, dot, _ = choose_trace(names, [], "y").trace.steps
    assert [flow.label_in("en") for flow in mul.grad_inputs] == [
        "to DotBackward0",
        "to the constant 2 (needs no grad)",
    ]
    assert [flow.label_in("zh") for flow in mul.grad_inputs] == [
        "传给 DotBackward0",
        "传给常数 2（无需梯度）",
    ]
    assert [flow.label_in("en") for flow in dot.grad_inputs] == ["to x", "to x"]
    assert [flow.label_in("zh") for flow in dot.grad_inputs] == ["传给 x", "传给 x"]
    total, times_c, _ = choose_trace(names, [], "s").trace.steps
    assert [flow.label_in("en") for flow in total.grad_inputs] == ["to z (MulBackward0)"]
    assert [flow.label_in("en") for flow in times_c.grad_inputs] == ["to x", "to c (needs no grad)"]
    assert [flow.label_in("zh") for flow in times_c.grad_inputs] == ["传给 x", "传给 c（无需梯度）"]


def test_an_input_that_needs_no_grad_and_was_not_saved_is_still_described():
    evaluator = run("x = torch.ones(2, requires_grad=True)\nc = torch.ones(2)\ny = (x + c).sum()\n")
    add = choose_trace(evaluator.user_names(), [], "y").trace.steps[1]
    assert [flow.label_in("en") for flow in add.grad_inputs] == [
        "to x",
        "to an input that needs no grad",
    ]
