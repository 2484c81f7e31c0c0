"""Folded module boxes in the forward steps: one step per op inside, the box filling in."""

from autograd_playground.core.graph.collapse import collapse_modules
from autograd_playground.core.teach.forward.explain import explain_step
from autograd_playground.core.teach.forward.steps import ForwardSteps
from tests.core.test_module_calls import graph_of, run

NET = (
    "torch.manual_seed(0)\n"
    "model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))\n"
    "x = torch.randn(4, 2)\n"
    "h = model(x)\n"
    "y = h.sum()\n"
)
BOX = "module:model"


def steps_with(collapsed: set[str]) -> tuple[ForwardSteps, object]:
    graph = graph_of(run(NET), roots=["y"])
    return ForwardSteps(collapse_modules(graph, collapsed)), graph


def test_each_op_in_a_folded_box_is_a_step_of_its_own():
    steps, whole = steps_with({"model"})
    assert len(steps) == len(whole.ops()) == 6
    assert [step.node_id for step in steps.steps] == [BOX] * 5 + [steps.steps[5].op_id]
    in_order = sorted(whole.ops(), key=lambda node: node.seq)
    assert [step.op_id for step in steps.steps] == [node.id for node in in_order]
    assert [(step.box_done, step.box_total) for step in steps.steps] == [
        (1, 5),
        (2, 5),
        (3, 5),
        (4, 5),
        (5, 5),
        (0, 0),
    ]
    # Filling in until its last op; full (no progress) from then on.
    assert [steps.box_progress(index) for index in range(6)] == [
        {BOX: (1, 5)},
        {BOX: (2, 5)},
        {BOX: (3, 5)},
        {BOX: (4, 5)},
        {},
        {},
    ]


def test_the_box_appears_at_its_first_op_and_its_output_edge_after_its_last():
    steps, _ = steps_with({"model"})
    graph = steps.graph
    assert steps.visible_nodes(0) == {BOX}
    assert steps.appears_at(BOX) == 0
    (out,) = [edge for edge in graph.edges if edge.source == BOX]
    assert [steps.edge_visible(out, index) for index in range(6)] == [False] * 5 + [True]
    assert "tensor:y" in steps.hidden_nodes(4)
    assert steps.visible_nodes(5) == set(graph.nodes)


def test_the_outermost_box_counts_its_nested_calls_ops():
    nested, _ = steps_with({"model", "model.0"})
    outer, _ = steps_with({"model"})
    assert [(s.node_id, s.box_done, s.box_total) for s in nested.steps] == [
        (s.node_id, s.box_done, s.box_total) for s in outer.steps
    ]


def test_an_inner_box_fills_in_while_the_rest_stays_open():
    steps, _ = steps_with({"model.0"})
    inner = "module:model.0"
    assert [(s.node_id, s.box_done, s.box_total) for s in steps.steps[:2]] == [
        (inner, 1, 2),
        (inner, 2, 2),
    ]
    assert steps.box_progress(0) == {inner: (1, 2)}
    assert steps.box_progress(1) == {}
    assert all(not step.in_box for step in steps.steps[2:])


def test_the_pane_names_the_op_inside_the_box_in_both_languages():
    steps, _ = steps_with({"model"})
    second = explain_step(steps, steps.steps[1], "en")
    assert second.heading == "Linear: addmm (AddmmBackward0), op 2 of 5 in model"
    assert second.where == "line 4"
    assert second.inputs == ["`model.0.bias`, shape (3)", "the result of t (step 1), shape (2, 3)"]
    assert second.output == "Output: shape (4, 3)"
    assert explain_step(steps, steps.steps[2], "en").heading.startswith("ReLU: relu")
    chinese = explain_step(steps, steps.steps[1], "zh")
    assert chinese.heading == "Linear：addmm (AddmmBackward0)，model 的第 2 个运算（共 5 个）"
    assert chinese.where == "第 4 行"
    # The op after the box takes the box's last op's result, once.
    last = explain_step(steps, steps.steps[5], "en")
    assert last.inputs == ["the result of addmm (step 5), shape (4, 1)"]
    assert last.output == "Output: `y`, a scalar"


def test_what_flows_into_a_box_appears_with_its_first_op():
    code = NET.replace("torch.randn(4, 2)", "torch.randn(4, 2, requires_grad=True)")
    graph = graph_of(run(code), roots=["y"])
    steps = ForwardSteps(collapse_modules(graph, {"model"}))
    (into,) = [edge for edge in steps.graph.edges if edge.target == BOX]
    assert into.source == "leaf:x"
    assert steps.visible_nodes(0) == {BOX, "leaf:x"}
    assert all(steps.edge_visible(into, index) for index in range(len(steps)))
    # x feeds the box's second op (addmm), which the pane names as its input.
    addmm = explain_step(steps, steps.steps[1], "en")
    assert "`x`, shape (4, 2)" in addmm.inputs
    assert addmm.requires_grad == (
        "It requires grad because `model.0.bias`, `x` and `model.0.weight` do."
    )


def test_a_box_that_keeps_no_contents_is_one_step_at_its_first_op():
    graph = collapse_modules(graph_of(run(NET), roots=["y"]), {"model"})
    graph.folded.clear()  # as a graph collapsed by other code would be
    steps = ForwardSteps(graph)
    assert [(step.node_id, step.in_box) for step in steps.steps] == [
        (BOX, False),
        (steps.steps[1].op_id, False),
    ]
    assert steps.box_progress(0) == {}
    assert explain_step(steps, steps.steps[0], "en").heading == "Sequential"
