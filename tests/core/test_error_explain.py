"""Errors from real code come with their operands' shapes lined up and the rule, or a cure."""

import pytest

from autograd_playground.core.run.evaluator import Evaluator


@pytest.fixture(scope="module")
def evaluator():
    return Evaluator()


def explained(evaluator, code):
    result = evaluator.run(code)
    assert result.error is not None
    assert result.error.explanation is not None, result.error.text
    return result.error.explanation


def test_broadcasting_right_aligns_the_shapes_and_marks_the_clash(evaluator):
    why = explained(evaluator, "x = torch.ones(5, 2, 3)\ny = torch.ones(4, 1)\nz = x * y\n")
    assert why.line == 3
    assert why.expression == "x * y"
    assert why.aligned_rows() == ["  x   5 [2] 3", "  y     [4] 1"]
    assert "from the right" in why.rule.in_language("en")
    assert "2 and 4 are neither" in why.rule.in_language("en")


def test_matmul_of_a_vector_lines_up_the_inner_dimensions(evaluator):
    error = evaluator.run("W = torch.ones(4, 3)\nh = torch.ones(4)\ny = W @ h\n").error
    assert error.explanation.aligned_rows() == ["  W   4 [3]", "  h     [4]"]
    assert error.explained_headline("en") == (
        "line 3: W @ h: W is (4, 3), h is (4): matmul treats the 1-D h as a vector: "
        "W's last dimension (3) must equal h's length (4)"
    )


def test_matmul_inside_a_larger_expression_and_a_function(evaluator):
    code = "def f(p, q):\n    return torch.relu(p @ q + 1)\nW = torch.ones(4, 3)\nf(W, W)\n"
    why = explained(evaluator, code)
    assert (why.line, why.expression) == (2, "p @ q")
    assert why.rule.in_language("en") == (
        "matmul needs p's last dimension (3) to equal q's first (4)."
    )


def test_an_operand_that_is_an_expression_is_measured_without_running_it(evaluator):
    code = "W = torch.ones(4, 3)\nx = torch.ones(3)\nb = torch.ones(5)\ny = W @ x + b\n"
    why = explained(evaluator, code)
    assert [(row.name, row.shape) for row in why.operands] == [("W @ x", (4,)), ("b", (5,))]


def test_a_layer_call_is_explained_from_torchs_message_alone(evaluator):
    why = explained(evaluator, "fc = nn.Linear(4, 2)\nfc(torch.ones(2, 3))\n")
    assert [row.shape for row in why.operands] == [(2, 3), (4, 2)]
    assert "(3) must equal the second's first (4)" in why.rule.in_language("en")


def test_cat_and_stack_name_the_dimension_that_differs(evaluator):
    setup = "a = torch.ones(2, 3)\nb = torch.ones(2, 4)\n"
    cat = explained(evaluator, setup + "c = torch.cat([a, b], dim=0)\n")
    assert "dimension 1 is 3 in a but 4 in b" in cat.rule.in_language("en")
    assert cat.operands[1].marked == (1,)
    stack = explained(evaluator, setup + "c = torch.stack((a, b))\n")
    assert "exactly the same shape" in stack.rule.in_language("en")


def test_view_and_reshape_count_the_elements(evaluator):
    view = explained(evaluator, "W = torch.ones(4, 3)\nv = W.view(3, 5)\n")
    assert view.rule.in_language("en") == (
        "view keeps every element: W has 12 elements, but the shape (3, 5) holds 15."
    )
    reshape = explained(evaluator, "W = torch.ones(4, 3)\nv = W.reshape(5, -1)\n")
    assert "(product 5) must divide 12" in reshape.rule.in_language("en")
    strided = explained(evaluator, "W = torch.ones(4, 3)\nv = W.T.view(12)\n")
    assert ".reshape(...)" in strided.cure.in_language("en")


def test_expand_marks_the_size_that_cannot_stretch(evaluator):
    why = explained(evaluator, "a = torch.ones(2, 3)\nv = a.expand(4, 4)\n")
    assert why.operands[0].marked == (0, 1)
    assert "a's size 2 cannot become 4" in why.rule.in_language("en")


def test_backward_twice_names_the_freed_ops_and_the_cure(evaluator):
    code = "x = torch.ones(3, requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()\n"
    why = explained(evaluator, code)
    assert why.line == 4
    assert "MulBackward0" in why.freed
    assert "retain_graph=True" in why.cure.in_language("en")


def test_in_place_change_of_a_saved_tensor_names_it_and_its_versions(evaluator):
    code = "x = torch.ones(3, requires_grad=True)\ny = x.exp()\ny.add_(1)\ny.sum().backward()\n"
    why = explained(evaluator, code)
    assert why.rule.in_language("en") == (
        "y, made by Exp, was saved for the gradient at version 0, but an in-place operation "
        "changed it to version 1 before backward() used it."
    )


def test_backward_of_a_non_scalar_offers_the_sum_fix(evaluator):
    why = explained(evaluator, "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n")
    assert why.fixes == ("sum_before_backward", "ones_like_backward")
    assert why.subject == "y"
    assert "y.backward(torch.ones_like(y))" in why.cure.in_language("en")


def test_leaf_in_place_and_missing_grad_fn_name_the_tensor(evaluator):
    leaf = explained(evaluator, "w = torch.ones(3, requires_grad=True)\nw += 1\n")
    assert leaf.rule.in_language("en").startswith("w is a leaf tensor")
    none = explained(evaluator, "x = torch.ones(3)\nloss = (x * 2).sum()\nloss.backward()\n")
    assert none.rule.in_language("en").startswith("loss does not require grad")


def test_explanations_speak_chinese(evaluator):
    why = explained(evaluator, "W = torch.ones(4, 3)\nh = torch.ones(4, 1)\ny = W @ h\n")
    chinese = why.text("zh")
    assert "W @ h" in chinese
    assert "  W   4 [3]" in chinese
    assert chinese != why.text("en")


def test_an_unknown_error_or_operand_gets_no_guess(evaluator):
    assert evaluator.run("raise RuntimeError('mine')\n").error.explanation is None
    code = "def g():\n    return torch.ones(2, 3)\ny = g() + torch.ones(2, 4)\n"
    assert evaluator.run(code).error.explanation.operands == ()


def test_seed_003s_broadcasting_example_lines_up_b_under_as_last_dimension(evaluator):
    code = "a = torch.tensor([[1, 2, 3], [4, 5, 6]])\nb = torch.tensor([10, 20])\nc = a + b\n"
    why = explained(evaluator, code)
    assert why.aligned_rows() == ["  a   2 [3]", "  b     [2]"]
    assert why.summary("en").startswith("a + b: a is (2, 3), b is (2): Broadcasting")


def test_a_batched_matmul_names_the_second_to_last_dimension(evaluator):
    code = "A = torch.ones(2, 3, 4)\nB = torch.ones(2, 5, 6)\nC = A @ B\n"
    why = explained(evaluator, code)
    assert why.rule.in_language("en") == (
        "matmul needs A's last dimension (4) to equal B's second-to-last (5)."
    )
    assert why.aligned_rows() == ["  A   2  3 [4]", "  B      2 [5] 6"]
