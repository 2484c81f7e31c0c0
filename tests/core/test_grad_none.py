"""Why .grad is None: each case on real code run by the Playground, and its fix applied."""

import pytest

from autograd_playground.core.graph.tensor_probe import probe_tensor
from autograd_playground.core.playground import Playground
from autograd_playground.core.teach.code_fixes import CodeFix, apply_fix
from autograd_playground.core.teach.grad_none import explain_grad_none


@pytest.fixture(scope="module")
def playground():
    pg = Playground()
    pg.warm_up()
    yield pg
    pg.close()


def run(pg, code):
    """Run ``code`` in a fresh namespace; return the outcome."""
    pg.reset()
    outcome = pg.execute(code)
    assert outcome.result.error is None, outcome.result.error.text
    return outcome


def node_of(pg, outcome, name):
    """The graph's node for ``name``, or the namespace's tensor when the graph leaves it out."""
    node = outcome.graph.find(name)
    if node is None:
        names = pg.evaluator.user_names()
        node = probe_tensor(names, name, pg.evaluator.line_table)
    return node


def explain(pg, code, name):
    outcome = run(pg, code)
    return explain_grad_none(node_of(pg, outcome, name), outcome.graph, code)


def grad_of(pg, code, name):
    """Run ``code`` and return ``name``'s grad values (None when it has no grad)."""
    outcome = run(pg, code)
    node = node_of(pg, outcome, name)
    return None if node.grad is None else node.grad.values


NON_LEAF = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 3
y = (h ** 2).sum()
y.backward()
"""


def test_non_leaf_without_retain_grad(playground):
    reason = explain(playground, NON_LEAF, "h")
    assert reason.case == "non_leaf"
    assert "`h` is not a leaf" in reason.text
    assert "grad_fn MulBackward0" in reason.text
    assert reason.fix == CodeFix("retain_grad", "h", 2)
    assert reason.fix.label == "Add `h.retain_grad()` after line 2 and run again"
    fixed = apply_fix(NON_LEAF, reason.fix)
    assert fixed == NON_LEAF.replace("h = x * 3\n", "h = x * 3\nh.retain_grad()\n")
    assert grad_of(playground, fixed, "h") == [6.0, 12.0]  # dy/dh = 2h
    assert explain(playground, fixed, "h") is None


def test_non_leaf_made_by_scaling_a_leaf_names_the_surprise(playground):
    code = "w = torch.ones(3, requires_grad=True) * 0.1\ny = (w * 2).sum()\ny.backward()\n"
    reason = explain(playground, code, "w")
    assert reason.case == "non_leaf"
    assert "`requires_grad=True` on line 1 applies to the tensor before the operation" in (
        reason.text
    )


RG_FALSE = """\
x = torch.ones(3)
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * w).sum()
y.backward()
"""


def test_requires_grad_false_data_tensor(playground):
    reason = explain(playground, RG_FALSE, "x")
    assert reason.case == "requires_grad_false"
    assert "was created without `requires_grad=True`" in reason.text
    assert reason.fix.label == "Add `x.requires_grad_()` after line 1 and run again"
    fixed = apply_fix(RG_FALSE, reason.fix)
    assert fixed.splitlines()[:2] == ["x = torch.ones(3)", "x.requires_grad_()"]
    assert grad_of(playground, fixed, "x") == [1.0, 2.0, 3.0]


def test_integer_tensor_cannot_require_grad_and_gets_no_fix(playground):
    reason = explain(playground, "n = torch.arange(3)\n", "n")
    assert reason.case == "not_floating"
    assert "`n` is int64, not a floating-point type" in reason.text
    assert reason.fix is None


DETACHED = """\
x = torch.tensor(2.0, requires_grad=True)
w = torch.tensor(1.0, requires_grad=True)
h = (x * 3).detach()
y = h * w
y.backward()
"""


def test_tensor_made_by_detach(playground):
    outcome = run(playground, DETACHED)
    assert outcome.graph.find("h") is None  # cut out of the graph: only the namespace has it
    reason = explain(playground, DETACHED, "h")
    assert reason.case == "detached"
    assert "made by `.detach()` on line 3" in reason.text
    assert reason.fix.label == "Remove `.detach()` on line 3 and run again"
    fixed = apply_fix(DETACHED, reason.fix)
    assert fixed.splitlines()[2] == "h = (x * 3)"
    assert grad_of(playground, fixed, "x") == 3.0  # the path back to x is whole again
    assert explain(playground, fixed, "h").case == "non_leaf"


def test_leaf_cut_off_by_detach_does_not_contribute(playground):
    reason = explain(playground, DETACHED, "x")
    assert reason.case == "not_contributing"
    assert "backward() ran from `y`, but `x` did not contribute to `y`" in reason.text
    assert "Line 3 uses it inside `.detach()`" in reason.text
    assert reason.fix == CodeFix("remove_detach", "x", 3)
    assert grad_of(playground, apply_fix(DETACHED, reason.fix), "x") == 3.0


@pytest.mark.parametrize("mode", ["no_grad", "inference_mode"])
def test_tensor_created_without_grad_recording(playground, mode):
    code = (
        "x = torch.ones(2, requires_grad=True)\n"
        f"with torch.{mode}():\n"
        "    h = x * 2\n"
        "y = (x * 5).sum()\n"
        "y.backward()\n"
    )
    reason = explain(playground, code, "h")
    assert reason.case == mode
    assert f"computed on line 3 inside `with torch.{mode}():` (line 2)" in reason.text
    assert reason.fix is None


NO_BACKWARD = """\
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 3).sum()
print(y)
"""


def test_leaf_before_backward_has_run(playground):
    reason = explain(playground, NO_BACKWARD, "x")
    assert reason.case == "no_backward_yet"
    assert "has not run through `x`" in reason.text
    assert "Call `y.backward()`" in reason.text
    fixed = apply_fix(NO_BACKWARD, reason.fix)
    assert fixed == NO_BACKWARD.replace(".sum()\n", ".sum()\ny.backward()\n")
    assert grad_of(playground, fixed, "x") == [3.0, 3.0]


def test_non_scalar_root_gets_advice_not_a_fix(playground):
    reason = explain(playground, "x = torch.ones(2, requires_grad=True)\nv = x * 3\n", "x")
    assert reason.case == "no_backward_yet"
    assert "`v.sum().backward()`" in reason.text
    assert reason.fix is None


def test_leaf_that_did_not_contribute_to_the_differentiated_root(playground):
    code = (
        "a = torch.ones(2, requires_grad=True)\n"
        "b = torch.ones(2, requires_grad=True)\n"
        "y = (a * 2).sum()\n"
        "z = (b * 3).sum()\n"
        "y.backward()\n"
    )
    reason = explain(playground, code, "b")
    assert reason.case == "not_contributing"
    assert "backward() ran from `y`, but `b` did not contribute to `y`" in reason.text
    assert "It flows into `z` instead, where backward() was not called." in reason.text
    assert explain(playground, code, "a") is None  # a has its grad


def test_ops_and_tensors_with_grads_need_no_explanation(playground):
    outcome = run(playground, NON_LEAF)
    assert explain_grad_none(outcome.graph.find("x"), outcome.graph, NON_LEAF) is None
    op = outcome.graph.ops()[0]
    assert explain_grad_none(op, outcome.graph, NON_LEAF) is None


def test_without_code_the_flags_still_explain(playground):
    outcome = run(playground, NON_LEAF)
    reason = explain_grad_none(outcome.graph.find("h"))
    assert reason.case == "non_leaf"
    assert reason.fix is None  # no code, nothing to edit
