"""The teaching sentences of the backward stepper and the check panels, in Chinese too."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograd_playground.core.checks.gradient_report import why_precision
from autograd_playground.core.checks.jacobian_report import parse_vector
from autograd_playground.core.checks.scratch_errors import ScratchError
from autograd_playground.core.run.evaluator import Evaluator
from autograd_playground.core.teach.backward.local_rules import (
    capture_operands,
    describe_operands,
    rule_for,
)
from autograd_playground.core.teach.backward.trace import (
    FREED_MESSAGE,
    TraceUnavailable,
    live_trace,
)
from autograd_playground.core.teach.backward.trace_choice import choose_trace
from autograd_playground.core.teach.backward.user_calls import BackwardRecorder

XTX = "x = torch.tensor([1., 2., 3.], requires_grad=True)\ny = 2 * torch.dot(x, x)\n"


def test_rules_are_in_both_languages_and_formulas_stay_as_they_are():
    mul = rule_for("MulBackward0")
    assert mul.text_in("en") == "grad × other to self; grad × self to other"
    assert mul.text_in("zh") == "grad × other 传给 self；grad × self 传给 other"
    assert rule_for("ReluBackward0").text_in("zh") == "result > 0 处为 grad，其余为 0"
    assert rule_for("LogBackward0").text_in("zh") == "grad / self"  # a formula alone
    assert rule_for("MyReLUBackward", is_custom=True).text_in("zh").startswith("你的 backward()")
    assert (
        rule_for("NoSuchBackward0").text_in("zh")
        == "对 grad 应用该算子自身的导数，每个输入得到一个结果"
    )
    total = torch.ones(2, 3, requires_grad=True).sum().grad_fn
    sizes = capture_operands(total, ("self_sym_sizes",))
    assert describe_operands(sizes, "zh") == "输入形状 = (2, 3)"
    product = (torch.ones(4, 5, requires_grad=True) * torch.ones(4, 5)).grad_fn
    other = capture_operands(product, ("other",))
    assert describe_operands(other, "zh") == "other = 4 × 5 的张量"
    assert describe_operands(other) == "other = a 4 × 5 tensor"


def test_a_live_trace_carries_its_chinese_texts():
    evaluator = Evaluator()
    evaluator.run(XTX)
    trace = live_trace(evaluator.user_names(), "y")
    mul, dot, accumulate = trace.steps
    assert mul.rule_in("zh") == "grad × other 传给 self；grad × self 传给 other"
    assert mul.rule_in("en") == "grad × other to self; grad × self to other"
    assert [flow.label_in("zh") for flow in dot.grad_inputs] == ["传给 x", "传给 x"]
    assert dot.operands_in("zh") == "self = [1, 2, 3], tensor = [1, 2, 3]"
    assert accumulate.title_in("zh") == "AccumulateGrad 累加到 x.grad"
    assert accumulate.rule_in("zh") == "会累加到 x.grad（这里 x.grad 保持不变）"
    assert trace.note_in("zh") == "刚用 torch.autograd.grad 算出，没有改动任何 .grad"


def test_recorded_passes_and_missing_roots_explain_themselves_in_chinese():
    evaluator = Evaluator(make_recorder=BackwardRecorder)
    evaluator.run(XTX + "y.backward()\n")
    names = evaluator.user_names()
    choice = choose_trace(names, evaluator.recorder.traces())
    assert choice.trace.note_in("zh") == "记录自你第 3 行的 y.backward()"
    assert choice.trace.steps[-1].rule_in("zh") == "累加到 x.grad：它原来是 None，所以直接变为 grad"
    assert [c.label_in("zh") for c in choice.choices] == ["y   （你的 backward()，第 3 行）"]
    empty = choose_trace({}, [])
    assert empty.message_in("zh").startswith("还没有带 grad_fn 的张量。")
    assert empty.message_in("en").startswith("No tensor with a grad_fn yet")

    evaluator.run("x = torch.ones(2, requires_grad=True)\n")
    with pytest.raises(TraceUnavailable) as caught:
        live_trace(evaluator.user_names(), "x")
    assert caught.value.text_in("zh") == "x 是叶子张量：没有可以逐步查看的反向传播。"
    assert FREED_MESSAGE.in_language("zh").startswith("计算图保存的张量已被 backward() 释放")


def test_scratch_messages_and_the_precision_note_in_chinese():
    with pytest.raises(ScratchError) as caught:
        parse_vector("1, 2", (3,))
    failure = caught.value.failure()
    assert failure.message_in("zh") == "v 需要 3 个数字，y 的每个元素一个（形状 (3,)）；收到 2 个。"
    assert failure.message_in("en") == str(caught.value)
    assert failure.message_in("en").startswith("v needs 3 numbers")
    assert np.array_equal(parse_vector("", (2,)), np.ones(2))
    assert why_precision("en").startswith("float32 keeps about 7 significant digits")
    assert "所以 gradcheck 要求输入是 float64" in why_precision("zh")
