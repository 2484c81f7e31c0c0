"""Each op's local backward rule, in words, with the operands it saved when they are small.

"grad" is the gradient arriving at the op (its grad_output); the rule says what
the op hands to each of its inputs (its grad_inputs), in the inputs' order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch
from autograd_playground.core.graph.tensor_text import dims_text, number_text
from autograd_playground.core.i18n.bilingual import pick

# Operands with more elements are described by their shape: a rule is one line.
MAX_OPERAND_ELEMENTS = 6
ACCUMULATE_GRAD = "AccumulateGrad"
# Saved attributes whose own names mean little to a learner.
_SHOWN_AS = {"self_sym_sizes": "input shape", "self_sym_numel": "input elements"}
_SHOWN_AS_ZH = {"self_sym_sizes": "输入形状", "self_sym_numel": "输入元素个数"}
CUSTOM_RULE = "your backward(): the Function's own backward() computes the grad_inputs"
CUSTOM_RULE_ZH = "你的 backward()：由该 Function 自己的 backward() 计算 grad_inputs"
GENERAL_RULE = "the op's own derivative applied to grad, one result per input"
GENERAL_RULE_ZH = "对 grad 应用该算子自身的导数，每个输入得到一个结果"


@dataclass(frozen=True)
class LocalRule:
    """The rule of one op, and the saved values (``_saved_<name>``) worth showing with it.

    ``zh`` is the rule in Chinese; empty where the rule is a formula alone.
    """

    text: str
    operands: tuple[str, ...] = ()
    zh: str = ""

    def text_in(self, language: str) -> str:
        """Return the rule in ``language`` ("en" or "zh")."""
        return pick(self.text, self.zh, language)


@dataclass(frozen=True)
class _ShapeOnly:
    """A saved tensor too big to show: only its shape is kept (a size tuple is shown as is)."""

    shape: tuple[int, ...]


_PASS_THROUGH = LocalRule("grad passes through unchanged", zh="grad 原样传回")
_RESHAPE = LocalRule(
    "grad reshaped back to the input's shape", ("self_sym_sizes",), zh="grad 变形回输入的形状"
)
_SCATTER = LocalRule(
    "zeros of the input's shape, with grad put back where the elements were taken",
    ("self_sym_sizes",),
    zh="与输入同形的全零张量，grad 放回原先取出元素的位置",
)

RULES: dict[str, LocalRule] = {
    "AddBackward0": LocalRule(
        "grad passes through unchanged to both inputs (the second × alpha)",
        ("alpha",),
        zh="grad 原样传给两个输入（第二个再 × alpha）",
    ),
    "AddBackward1": LocalRule(
        "grad passes through unchanged to the tensor input", zh="grad 原样传给张量输入"
    ),
    "SubBackward0": LocalRule(
        "grad to the first input, −grad (× alpha) to the second",
        ("alpha",),
        zh="grad 传给第一个输入，−grad（× alpha）传给第二个",
    ),
    "SubBackward1": LocalRule(
        "grad passes through unchanged to the tensor input", zh="grad 原样传给张量输入"
    ),
    "RsubBackward1": LocalRule(
        "−grad (× alpha) to the tensor input", ("alpha",), zh="−grad（× alpha）传给张量输入"
    ),
    "NegBackward0": LocalRule("−grad"),
    "MulBackward0": LocalRule(
        "grad × other to self; grad × self to other",
        ("other", "self"),
        zh="grad × other 传给 self；grad × self 传给 other",
    ),
    "MulBackward1": LocalRule("grad × other to self", ("other",), zh="grad × other 传给 self"),
    "DivBackward0": LocalRule(
        "grad / other to self; −grad × self / other² to other",
        ("other", "self"),
        zh="grad / other 传给 self；−grad × self / other² 传给 other",
    ),
    "DivBackward1": LocalRule("grad / other to self", ("other",), zh="grad / other 传给 self"),
    "SumBackward0": LocalRule(
        "grad expanded to the input's shape: every element gets the same grad",
        ("self_sym_sizes",),
        zh="grad 扩展成输入的形状：每个元素得到相同的 grad",
    ),
    "SumBackward1": LocalRule(
        "grad expanded back along the summed dim to the input's shape",
        ("dim", "self_sym_sizes"),
        zh="grad 沿求和的维度扩展回输入的形状",
    ),
    "MeanBackward0": LocalRule(
        "grad expanded to the input's shape and divided by its number of elements",
        ("self_sym_numel",),
        zh="grad 扩展成输入的形状，再除以元素个数",
    ),
    "MeanBackward1": LocalRule(
        "grad expanded back along dim and divided by that dim's size",
        ("dim", "self_sym_sizes"),
        zh="grad 沿 dim 扩展回去，再除以该维的大小",
    ),
    "DotBackward0": LocalRule(
        "grad × tensor to self; grad × self to tensor",
        ("self", "tensor"),
        zh="grad × tensor 传给 self；grad × self 传给 tensor",
    ),
    "MvBackward0": LocalRule(
        "outer(grad, vec) to self; selfᵀ @ grad to vec",
        ("self", "vec"),
        zh="outer(grad, vec) 传给 self；selfᵀ @ grad 传给 vec",
    ),
    "MmBackward0": LocalRule(
        "grad @ mat2ᵀ to self; selfᵀ @ grad to mat2",
        ("self", "mat2"),
        zh="grad @ mat2ᵀ 传给 self；selfᵀ @ grad 传给 mat2",
    ),
    "BmmBackward0": LocalRule(
        "grad @ mat2ᵀ to self; selfᵀ @ grad to mat2, batch by batch",
        ("self", "mat2"),
        zh="逐批计算：grad @ mat2ᵀ 传给 self；selfᵀ @ grad 传给 mat2",
    ),
    "AddmmBackward0": LocalRule(
        "grad summed to the bias's shape (× beta) to the bias; grad @ mat2ᵀ to mat1; "
        "mat1ᵀ @ grad to mat2",
        ("mat1", "mat2"),
        zh="grad 求和到偏置的形状（× beta）传给偏置；grad @ mat2ᵀ 传给 mat1；"
        "mat1ᵀ @ grad 传给 mat2",
    ),
    "PowBackward0": LocalRule("grad × exponent × self^(exponent − 1)", ("exponent", "self")),
    "PowBackward1": LocalRule(
        "grad × exponent × self^(exponent − 1) to self; grad × result × ln(self) to exponent",
        ("exponent", "self"),
        zh="grad × exponent × self^(exponent − 1) 传给 self；"
        "grad × result × ln(self) 传给 exponent",
    ),
    "ExpBackward0": LocalRule(
        "grad × result (exp is its own derivative)",
        ("result",),
        zh="grad × result（exp 的导数就是它自己）",
    ),
    "LogBackward0": LocalRule("grad / self", ("self",)),
    "SqrtBackward0": LocalRule("grad / (2 × result)", ("result",)),
    "SinBackward0": LocalRule("grad × cos(self)", ("self",)),
    "CosBackward0": LocalRule("−grad × sin(self)", ("self",)),
    "TanhBackward0": LocalRule("grad × (1 − result²)", ("result",)),
    "SigmoidBackward0": LocalRule("grad × result × (1 − result)", ("result",)),
    "ReluBackward0": LocalRule(
        "grad where result > 0, else 0", ("result",), zh="result > 0 处为 grad，其余为 0"
    ),
    "LeakyReluBackward0": LocalRule(
        "grad where self > 0, else grad × negative_slope",
        ("self", "negative_slope"),
        zh="self > 0 处为 grad，其余为 grad × negative_slope",
    ),
    "ClampMinBackward0": LocalRule(
        "grad where self ≥ min, else 0", ("self", "min"), zh="self ≥ min 处为 grad，其余为 0"
    ),
    "ClampBackward1": LocalRule(
        "grad where min ≤ self ≤ max, else 0",
        ("self", "min", "max"),
        zh="min ≤ self ≤ max 处为 grad，其余为 0",
    ),
    "AbsBackward0": LocalRule("grad × sign(self)", ("self",)),
    "MaxBackward1": LocalRule(
        "grad to the largest element, 0 to the others",
        ("self",),
        zh="grad 传给最大的元素，其余元素为 0",
    ),
    "MinBackward1": LocalRule(
        "grad to the smallest element, 0 to the others",
        ("self",),
        zh="grad 传给最小的元素，其余元素为 0",
    ),
    "MaximumBackward0": LocalRule(
        "grad to whichever input is larger, element by element",
        ("self", "other"),
        zh="逐元素：grad 传给较大的那个输入",
    ),
    "LinalgVectorNormBackward0": LocalRule(
        "grad × self / result (2-norm)", ("self", "result"), zh="grad × self / result（2-范数）"
    ),
    "MseLossBackward0": LocalRule(
        "grad × 2 × (self − target), divided by the number of elements when averaging",
        ("self", "target"),
        zh="grad × 2 × (self − target)，取平均时再除以元素个数",
    ),
    "SoftmaxBackward0": LocalRule(
        "result × (grad − sum(grad × result) along dim)",
        ("dim", "result"),
        zh="result × (grad − 沿 dim 的 sum(grad × result))",
    ),
    "LogSoftmaxBackward0": LocalRule(
        "grad − softmax × sum(grad) along dim",
        ("dim", "result"),
        zh="grad − softmax × 沿 dim 的 sum(grad)",
    ),
    "NllLossBackward0": LocalRule(
        "−grad at each row's target class (divided by the row count when averaging), 0 elsewhere",
        ("target",),
        zh="每行目标类别处为 −grad（取平均时再除以行数），其余为 0",
    ),
    "TBackward0": LocalRule("grad transposed back", zh="grad 转置回去"),
    "TransposeBackward0": LocalRule(
        "grad with the two dims swapped back", ("dim0", "dim1"), zh="grad 把这两个维度换回来"
    ),
    "PermuteBackward0": LocalRule(
        "grad permuted back to the input's order", ("dims",), zh="grad 按输入的维度顺序排回去"
    ),
    "ViewBackward0": _RESHAPE,
    "UnsafeViewBackward0": _RESHAPE,
    "ReshapeAliasBackward0": _RESHAPE,
    "ExpandBackward0": LocalRule(
        "grad summed over the expanded dims, back to the input's shape",
        ("self_sym_sizes",),
        zh="grad 沿扩展出的维度求和，回到输入的形状",
    ),
    "UnsqueezeBackward0": LocalRule(
        "grad with the added dim removed again", ("dim",), zh="grad 去掉新增的维度"
    ),
    "SqueezeBackward0": LocalRule(
        "grad with the squeezed dims put back", ("self_sym_sizes",), zh="grad 补回被压缩掉的维度"
    ),
    "SqueezeBackward1": LocalRule(
        "grad with the squeezed dim put back", ("dim",), zh="grad 补回被压缩掉的维度"
    ),
    "SelectBackward0": _SCATTER,
    "SliceBackward0": _SCATTER,
    "IndexBackward0": _SCATTER,
    "CatBackward0": LocalRule(
        "grad cut along dim into one piece per input", ("dim",), zh="grad 沿 dim 切开，每个输入一块"
    ),
    "StackBackward0": LocalRule(
        "grad split along dim, one slice per input", ("dim",), zh="grad 沿 dim 拆开，每个输入一片"
    ),
    "CloneBackward0": _PASS_THROUGH,
    "ToCopyBackward0": LocalRule(
        "grad converted back to the input's dtype and device", zh="grad 转换回输入的 dtype 和设备"
    ),
    ACCUMULATE_GRAD: LocalRule("added into the leaf's .grad", zh="累加到叶子张量的 .grad"),
}


def rule_for(op: str, is_custom: bool = False) -> LocalRule:
    """Return the rule of ``op`` (a grad_fn's name); a general one for ops not in the table."""
    if is_custom:
        return LocalRule(CUSTOM_RULE, zh=CUSTOM_RULE_ZH)
    rule = RULES.get(op)
    if rule is not None:
        return rule
    return LocalRule(GENERAL_RULE, zh=GENERAL_RULE_ZH)


def capture_operands(fn: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Read the saved operands ``names`` of ``fn`` cheaply: small tensors copied, big ones sized.

    Called before the op runs backward, which frees them; a freed or missing
    operand is left out.
    """
    captured: dict[str, Any] = {}
    for name in names:
        try:
            value = getattr(fn, f"_saved_{name}")
        except (AttributeError, RuntimeError):  # RuntimeError: freed by an earlier backward
            continue
        if value is None:
            continue
        if isinstance(value, torch.Tensor):
            if value.numel() <= MAX_OPERAND_ELEMENTS:
                value = value.detach().cpu().clone()
            else:
                value = _ShapeOnly(tuple(value.shape))
        captured[name] = value
    return captured


def describe_operands(captured: Mapping[str, Any], language: str = "en") -> str:
    """Return 'other = 2, self = [1, 2, 3]' for operands taken by ``capture_operands``."""
    shown_as = _SHOWN_AS_ZH if language == "zh" else _SHOWN_AS
    return ", ".join(
        f"{shown_as.get(name, name)} = {_operand_text(value, language)}"
        for name, value in captured.items()
    )


def _operand_text(value: Any, language: str = "en") -> str:
    if isinstance(value, _ShapeOnly):
        dims = dims_text(value.shape)
        return pick(f"a {dims} tensor", f"{dims} 的张量", language)
    if isinstance(value, torch.Tensor):
        items = value.tolist()
        if isinstance(items, list):
            return "[" + ", ".join(_nested_text(item) for item in items) + "]"
        return number_text(items)
    if isinstance(value, (tuple, list)):
        return str(tuple(value))
    return number_text(value)


def _nested_text(item: Any) -> str:
    if isinstance(item, list):
        return "[" + ", ".join(_nested_text(inner) for inner in item) + "]"
    return number_text(item)
