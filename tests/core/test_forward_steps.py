"""Steps of the forward pass: what exists at each, and what each op did, in two languages."""

from pathlib import Path

import pytest

from autograd_playground.core.graph.extract import extract_graph
from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.teach.forward.explain import explain_step
from autograd_playground.core.teach.forward.steps import ForwardSteps, where_text

LESSON = Path(__file__).resolve().parents[2] / "assets" / "lessons" / "13_control_flow.py"

NET = """\
w = torch.ones(3, requires_grad=True)
b = torch.zeros((), requires_grad=True)
x = torch.arange(3.0)
h = w * x
y = h.sum() + b
"""


def steps_of(code: str, **options) -> ForwardSteps:
    evaluator = Evaluator()
    result = evaluator.run(code)
    assert result.error is None, result.error.text
    graph = extract_graph(evaluator.user_names(), line_table=evaluator.line_table, **options)
    return ForwardSteps(graph)


def test_the_graph_grows_one_multiplication_per_iteration():
    steps = steps_of(LESSON.read_text(encoding="utf-8"), roots=["d"])
    graph = steps.graph
    assert len(steps) == len(graph.ops())
    previous: set[str] = set()
    for step in steps.steps:
        visible = steps.visible_nodes(step.index)
        new_ops = {node_id for node_id in visible - previous if graph.nodes[node_id].kind == "op"}
        assert new_ops == {step.node_id}
        assert steps.hidden_nodes(step.index) == set(graph.nodes) - visible
        previous = visible
    loop = [step for step in steps.steps if step.line == 7]
    assert [step.label for step in loop] == ["mul"] * len(loop)
    assert len(loop) >= 2
    # The leaf appears with the first op that uses it; d with the op that made it.
    assert "leaf:a" in steps.visible_nodes(0)
    assert "tensor:d" not in steps.visible_nodes(len(steps) - 2)
    assert "tensor:d" in steps.visible_nodes(len(steps) - 1)


def test_an_edge_exists_once_both_its_ends_do():
    steps = steps_of(NET)
    for step in steps.steps:
        visible = steps.visible_nodes(step.index)
        for edge in steps.graph.edges:
            both = edge.source in visible and edge.target in visible
            assert steps.edge_visible(edge, step.index) == both


def test_where_text_names_the_iteration():
    steps = steps_of(LESSON.read_text(encoding="utf-8"), roots=["d"])
    loop_step = next(step for step in steps.steps if step.line == 7)
    english = where_text(loop_step, "en")
    assert english == (f"line 7, iteration {loop_step.iteration} of {loop_step.iterations}")
    chinese = where_text(loop_step, "zh")
    assert chinese == (f"第 7 行，第 {loop_step.iteration} 次（共 {loop_step.iterations} 次）")
    last = steps.steps[-1]
    assert where_text(last, "en") == "line 11"  # the else branch ran once


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "heading": "mul (MulBackward0)",
                "where": "line 4",
                "inputs": ["`w`, shape (3)"],
                "output": "Output: `h`, shape (3)",
                "requires_grad": "It requires grad because `w` does.",
                "saved": "Saved for backward: `other`, shape (3).",
            },
        ),
        (
            "zh",
            {
                "heading": "mul (MulBackward0)",
                "where": "第 4 行",
                "inputs": ["`w`，形状 (3)"],
                "output": "输出：`h`，形状 (3)",
                "requires_grad": "它需要梯度，因为 `w` 需要梯度。",
                "saved": "为反向传播保存：`other`，形状 (3)。",
            },
        ),
    ],
)
def test_explanation_of_a_multiplication(language, expected):
    steps = steps_of(NET)
    explanation = explain_step(steps, steps.steps[0], language)
    assert explanation.__dict__ == expected


def test_explanation_of_an_op_fed_by_two_leaves():
    steps = steps_of(NET)
    add = steps.steps[2]
    explanation = explain_step(steps, add, "en")
    assert explanation.inputs == ["the result of sum (step 2), a scalar", "`b`, a scalar"]
    assert explanation.output == "Output: `y`, a scalar"
    assert explanation.requires_grad == "It requires grad because `b` and `w` do."
    assert explanation.saved == "Saved for backward: `alpha` = 1."  # add keeps its alpha
    chinese = explain_step(steps, add, "zh")
    assert chinese.requires_grad == "它需要梯度，因为 `b`和`w` 需要梯度。"
    assert chinese.inputs == ["第 2 步 sum 的结果，标量", "`b`，标量"]


def test_an_input_held_in_a_variable_is_named_with_its_step():
    steps = steps_of(NET)
    total = steps.steps[1]  # h.sum(): its input is h, the result of step 1
    explanation = explain_step(steps, total, "en")
    assert explanation.inputs == ["`h` (the result of mul, step 1), shape (3)"]
    assert explain_step(steps, total, "zh").inputs == ["`h`（第 1 步 mul 的结果），形状 (3)"]


def test_freed_saved_tensors_are_said_to_be_freed():
    steps = steps_of(NET + "y.backward()\n")
    explanation = explain_step(steps, steps.steps[0], "en")
    assert explanation.saved == (
        "It saved tensors for backward; a backward pass has freed them since."
    )
