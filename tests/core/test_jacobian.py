"""Jacobian view: functional.jacobian, seed 001's row-by-row J, and backward(v) = vᵀJ."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograd_playground.core.checks.jacobian import JacobianJob
from autograd_playground.core.checks.jacobian_report import parse_vector
from autograd_playground.core.checks.scratch_errors import ScratchError
from autograd_playground.core.checks.scratch_mode import ScratchMode

SEED_001 = """\
x = torch.tensor([[2, 3]], dtype=torch.float, requires_grad=True)
J = torch.zeros(2, 2)
y = torch.zeros(1, 2)
y[0, 0] = x[0, 0] ** 2 + 3 * x[0, 1]
y[0, 1] = x[0, 1] ** 2 + 2 * x[0, 0]
y.backward(torch.Tensor([[1, 0]]), retain_graph=True)
J[0] = x.grad
x.grad = torch.zeros_like(x.grad)
y.backward(torch.Tensor([[0, 1]]))
J[1] = x.grad
"""


def test_square_has_a_diagonal_jacobian():
    code = "x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)\ny = x ** 2\n"
    report = JacobianJob(code, "y", "x").run()
    assert np.array_equal(report.functional, np.diag([2.0, -4.0, 6.0]))
    assert np.array_equal(report.rows, report.functional)
    assert report.agree
    assert report.max_difference == 0.0
    assert report.row_labels == ("y[0]", "y[1]", "y[2]")
    assert report.column_labels == ("x[0]", "x[1]", "x[2]")


def test_matrix_vector_product_has_jacobian_w():
    code = (
        "torch.manual_seed(0)\nW = torch.randn(2, 3)\n"
        "x = torch.randn(3, requires_grad=True)\ny = W @ x\n"
    )
    torch.manual_seed(0)
    expected = torch.randn(2, 3).double().numpy()
    report = JacobianJob(code, "y", "x").run()
    assert report.functional.shape == (2, 3)
    assert np.allclose(report.functional, expected)
    assert np.allclose(report.rows, expected)


def test_seed_001_rows_equal_the_functional_jacobian():
    report = JacobianJob(SEED_001, "y", "x").run()
    assert report.root_shape == (1, 2)
    assert report.leaf_shape == (1, 2)
    assert np.array_equal(report.rows, [[4.0, 3.0], [2.0, 6.0]])  # the seed's printed J
    assert np.array_equal(report.functional, report.rows)
    assert report.agree
    assert report.row_labels == ("y[0, 0]", "y[0, 1]")


def test_backward_v_is_v_transpose_j():
    report = JacobianJob(SEED_001, "y", "x", "1, 2").run()
    assert np.array_equal(report.v, [1.0, 2.0])
    assert np.array_equal(report.vjp, [8.0, 15.0])  # 1·[4, 3] + 2·[2, 6]
    assert np.array_equal(report.vjp_from_rows, report.vjp)
    assert report.vjp_agrees
    ones = JacobianJob(SEED_001, "y", "x").run()
    assert np.array_equal(ones.vjp, [6.0, 9.0])


def test_module_parameter_as_the_input():
    code = "lin = nn.Linear(2, 3)\nX = torch.tensor([[1.0, 2.0]])\nout = lin(X)\n"
    report = JacobianJob(code, "out", "lin.weight").run()
    assert report.functional.shape == (3, 6)
    expected = np.kron(np.eye(3), [[1.0, 2.0]])  # ∂out_i/∂W_ij = X_j
    assert np.array_equal(report.functional, expected)
    assert np.array_equal(report.rows, expected)


def test_parse_vector():
    assert np.array_equal(parse_vector("", (2, 2)), np.ones(4))
    assert np.array_equal(parse_vector("1, 0 2 3", (4,)), [1.0, 0.0, 2.0, 3.0])
    assert np.array_equal(parse_vector("[[1, 0], [0, 1]]", (2, 2)), [1.0, 0.0, 0.0, 1.0])
    assert np.array_equal(parse_vector("0.5", (3,)), [0.5, 0.5, 0.5])
    with pytest.raises(
        ScratchError, match=r"v needs 3 numbers, one per element of y \(shape \(3,\)\); got 2"
    ):
        parse_vector("1, 2", (3,))
    with pytest.raises(ScratchError, match="v must be numbers"):
        parse_vector("one, two", (2,))


def test_wrong_v_length_is_reported_by_the_job():
    code = "x = torch.ones(3, requires_grad=True)\ny = x * 2\n"
    with pytest.raises(ScratchError, match="v needs 3 numbers"):
        JacobianJob(code, "y", "x", "1, 2").run()


def test_independent_leaf_is_refused():
    code = (
        "x = torch.ones(3, requires_grad=True)\nw = torch.ones(3, requires_grad=True)\ny = x * 2\n"
    )
    with pytest.raises(ScratchError, match="`y` does not depend on `w`") as caught:
        JacobianJob(code, "y", "w").run()
    assert caught.value.message.in_language("zh") == "在 autograd 的计算图中，`y` 不依赖 `w`。"


def test_scratch_mode_keeps_graphs_and_promotes_mixed_ops():
    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    a = torch.ones(2, 3)
    with ScratchMode(torch.float64):
        y = (a @ x).sum()
        y.backward()
    assert y.dtype == torch.float64
    (grad,) = torch.autograd.grad(y, x)  # the graph survived the user's backward()
    assert grad.tolist() == [2.0, 2.0, 2.0]
    b = torch.zeros(2)
    with ScratchMode(torch.float64):
        b[0] = x[0] * 3  # writing into a float32 tensor keeps its dtype
    assert b.dtype == torch.float32
    assert b[0].item() == 3.0
