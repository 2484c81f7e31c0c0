"""Gradient check: autograd against central finite differences, in scratch re-runs of the code."""

from __future__ import annotations

import pytest
import torch

from autograd_playground.core.checks.gradient_check import GradientCheck, sample_indices
from autograd_playground.core.checks.scratch_errors import ScratchError, ScratchStopped
from autograd_playground.core.run.evaluator import Evaluator

QUADRATIC = """\
torch.manual_seed(0)
x = torch.randn(5, requires_grad=True)
y = 2 * torch.dot(x, x)
y.backward()
"""

BUGGY_RELU = """\
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 1  # the bug: should be 0
        return grad_input

x = torch.tensor([-1.5, -0.5, 0.5, 2.0], requires_grad=True)
y = MyReLU.apply(x).sum()
"""

LINEAR = """\
torch.manual_seed(3)
lin = nn.Linear(3, 2)
X = torch.randn(4, 3)
A = torch.randn(2, 2)
loss = ((lin(X) @ A) ** 2).mean()
loss.backward()
"""


def _x_of_quadratic() -> torch.Tensor:
    torch.manual_seed(0)
    return torch.randn(5, dtype=torch.float32)


def test_quadratic_matches_in_float64_and_float32_is_coarser():
    report = GradientCheck(QUADRATIC, "y").run()
    assert report.leaves == ("x",)
    float32, float64 = report.precision("float32"), report.precision("float64")
    expected = (4 * _x_of_quadratic().double()).tolist()
    elements = float64.leaves[0].elements
    assert [e.label for e in elements] == [f"x[{i}]" for i in range(5)]
    assert [e.analytic for e in elements] == pytest.approx(expected, abs=1e-6)
    assert [e.numeric for e in elements] == pytest.approx(expected, abs=1e-6)
    assert float64.ok
    assert float64.max_abs_error < 1e-6
    # float32 with ε = 1e-3: rounding of f, magnified by 1/2ε, is orders of magnitude larger.
    assert float32.max_abs_error > 1e-5
    assert float32.max_abs_error > 100 * float64.max_abs_error


def test_wrong_custom_backward_is_caught():
    report = GradientCheck(BUGGY_RELU, "y", ["x"]).run()
    float64 = report.precision("float64")
    assert not float64.ok
    failing = [e.label for e in float64.leaves[0].elements if not e.ok]
    assert failing == ["x[0]", "x[1]"]  # the negative inputs, where the bug returns 1
    by_label = {e.label: e for e in float64.leaves[0].elements}
    assert by_label["x[0]"].analytic == 1.0
    assert by_label["x[0]"].numeric == pytest.approx(0.0, abs=1e-9)
    assert by_label["x[3]"].ok
    assert float64.failures == 2


def test_linear_layer_parameter_is_a_leaf():
    report = GradientCheck(LINEAR, "loss", ["lin.weight"]).run()
    assert report.leaves == ("lin.weight",)
    evaluator = Evaluator()
    assert evaluator.run(LINEAR).ok
    expected = evaluator.user_names()["lin"].weight.grad.reshape(-1).tolist()
    float64 = report.precision("float64")
    elements = float64.leaves[0].elements
    assert [e.label for e in elements][:3] == [
        "lin.weight[0, 0]",
        "lin.weight[0, 1]",
        "lin.weight[0, 2]",
    ]
    assert [e.analytic for e in elements] == pytest.approx(expected, rel=1e-5)
    assert float64.ok
    assert float64.max_abs_error < 1e-6


def test_all_leaves_of_a_module_are_checked_by_default():
    report = GradientCheck(LINEAR, "loss").run()
    assert report.leaves == ("lin.bias", "lin.weight")
    assert [leaf.leaf for leaf in report.precision("float64").leaves] == ["lin.bias", "lin.weight"]
    assert report.precision("float64").ok


def test_users_namespace_grad_and_random_state_are_untouched():
    evaluator = Evaluator()
    assert evaluator.run(QUADRATIC).ok
    names = evaluator.user_names()
    x, y = names["x"], names["y"]
    x_before, grad_before, y_before = x.detach().clone(), x.grad.clone(), y.item()
    torch.manual_seed(1234)
    rng_before = torch.get_rng_state()
    GradientCheck(QUADRATIC, "y").run()
    assert torch.equal(torch.get_rng_state(), rng_before)
    after = evaluator.user_names()
    assert after["x"] is x
    assert after["y"] is y
    assert torch.equal(x.detach(), x_before)
    assert torch.equal(x.grad, grad_before)
    assert y.item() == y_before
    assert x.dtype == torch.float32


def test_float64_run_promotes_float32_constants():
    code = "A = torch.ones(2, 3)\nx = torch.ones(3, requires_grad=True)\ny = (A @ x).sum()\n"
    report = GradientCheck(code, "y").run()
    float64 = report.precision("float64")
    assert float64.ok
    assert [e.analytic for e in float64.leaves[0].elements] == [2.0, 2.0, 2.0]
    assert not float64.leaves[0].notes


def test_large_leaf_is_sampled_with_a_note():
    code = "x = torch.linspace(-1, 1, 1000, requires_grad=True)\ny = x.sin().sum()\n"
    report = GradientCheck(code, "y", max_elements=50).run()
    leaf = report.precision("float64").leaves[0]
    assert len(leaf.elements) == 50
    assert leaf.elements[0].label == "x[0]"
    assert leaf.elements[-1].label == "x[999]"
    assert any("1,000 elements: 50 of them" in note for note in leaf.notes_in("en"))
    assert "`x` 有 1,000 个元素：均匀选取其中 50 个检查。" in leaf.notes_in("zh")


def test_sample_indices_are_even_and_include_both_ends():
    assert sample_indices(5, 200) == [0, 1, 2, 3, 4]
    picked = sample_indices(1000, 200)
    assert len(picked) == 200
    assert picked[0] == 0
    assert picked[-1] == 999


def test_non_scalar_root_is_refused():
    code = "x = torch.ones(3, requires_grad=True)\ny = x * 2\n"
    with pytest.raises(
        ScratchError, match=r"shape \(3,\): a gradient check needs a scalar root"
    ) as caught:
        GradientCheck(code, "y").run()
    assert (
        caught.value.failure()
        .message_in("zh")
        .startswith("`y` 的形状是 (3,)：梯度检查需要标量根节点（一个数），比如 `y.sum()`。")
    )


def test_unknown_leaf_is_named():
    code = "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\n"
    with pytest.raises(ScratchError, match="`q` is not defined at the top level"):
        GradientCheck(code, "y", ["q"]).run()
    with pytest.raises(ScratchError, match=r"`x` is not an nn\.Module"):
        GradientCheck(code, "y", ["x.weight"]).run()


def test_failing_code_names_its_line():
    code = "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\nz = 1 / 0\n"
    with pytest.raises(ScratchError) as caught:
        GradientCheck(code, "y").run()
    assert caught.value.line == 3
    assert "line 3: ZeroDivisionError: division by zero" in str(caught.value)
    assert caught.value.message.in_language("zh") == (
        "你的代码在临时命名空间中重新运行时出错（第 3 行）：ZeroDivisionError: division by zero"
    )
    assert "z = 1 / 0" in caught.value.details


def test_root_computed_before_the_leaf_is_refused():
    code = "a = torch.ones(3, requires_grad=True)\ny = (a * 2).sum()\nx = a\n"
    with pytest.raises(ScratchError, match="`y` is computed at line 2, before `x`") as caught:
        GradientCheck(code, "y", ["x"]).run()
    assert caught.value.line == 2


def test_leaf_and_root_in_one_statement_is_refused():
    code = "for i in range(1):\n    x = torch.ones(2, requires_grad=True)\n    y = (x * x).sum()\n"
    with pytest.raises(ScratchError, match="both get their values in the statement at line 1"):
        GradientCheck(code, "y", ["x"]).run()


def test_endless_loop_stops_at_the_budget():
    code = "x = torch.ones(3, requires_grad=True)\ny = (x * 2).sum()\nwhile True:\n    pass\n"
    with pytest.raises(ScratchStopped, match="1 s time budget ran out") as caught:
        GradientCheck(code, "y", budget_s=1.0).run()
    assert caught.value.message.in_language("zh") == "已停止：1 秒的时间预算已用完。"


def test_cancel_stops_the_check():
    check = GradientCheck(QUADRATIC, "y")
    check.cancel()
    with pytest.raises(ScratchStopped, match="Stopped") as caught:
        check.run()
    assert caught.value.failure().message_in("zh") == "已停止。"


def test_unseeded_randomness_is_reported():
    code = (
        "x = torch.ones(3, requires_grad=True)\n"
        "y = (x * float(np.random.default_rng().random())).sum()\n"
    )
    with pytest.raises(ScratchError, match="different in two identical runs"):
        GradientCheck(code, "y").run()


def test_syntax_error_is_reported_with_its_line():
    with pytest.raises(ScratchError) as caught:
        GradientCheck("x = 1\ny = (\n", "y")
    assert caught.value.line == 2
