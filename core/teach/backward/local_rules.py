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
from autograd_playground.core.i18n.catalog import Message, text_in, translate

# Operands with more elements are described by their shape: a rule is one line.
MAX_OPERAND_ELEMENTS = 6
ACCUMULATE_GRAD = "AccumulateGrad"
CUSTOM_RULE = Message("your backward(): the Function's own backward() computes the grad_inputs")
GENERAL_RULE = Message("the op's own derivative applied to grad, one result per input")


@dataclass(frozen=True)
class LocalRule:
    """The rule of one op, and the saved values (``_saved_<name>``) worth showing with it.

    ``text`` is a plain string where the rule is a formula alone, the same in every language.
    """

    text: Message | str
    operands: tuple[str, ...] = ()

    def text_in(self, language: str) -> str:
        """Return the rule in ``language``."""
        return text_in(self.text, language)


@dataclass(frozen=True)
class _ShapeOnly:
    """A saved tensor too big to show: only its shape is kept (a size tuple is shown as is)."""

    shape: tuple[int, ...]


_PASS_THROUGH = LocalRule(Message("grad passes through unchanged"))
_RESHAPE = LocalRule(Message("grad reshaped back to the input's shape"), ("self_sym_sizes",))
_SCATTER = LocalRule(
    Message("zeros of the input's shape, with grad put back where the elements were taken"),
    ("self_sym_sizes",),
)

RULES: dict[str, LocalRule] = {
    "AddBackward0": LocalRule(
        Message("grad passes through unchanged to both inputs (the second × alpha)"),
        ("alpha",),
    ),
    "AddBackward1": LocalRule(Message("grad passes through unchanged to the tensor input")),
    "SubBackward0": LocalRule(
        Message("grad to the first input, −grad (× alpha) to the second"),
        ("alpha",),
    ),
    "SubBackward1": LocalRule(Message("grad passes through unchanged to the tensor input")),
    "RsubBackward1": LocalRule(Message("−grad (× alpha) to the tensor input"), ("alpha",)),
    "NegBackward0": LocalRule("−grad"),
    "MulBackward0": LocalRule(
        Message("grad × other to self; grad × self to other"),
        ("other", "self"),
    ),
    "MulBackward1": LocalRule(Message("grad × other to self"), ("other",)),
    "DivBackward0": LocalRule(
        Message("grad / other to self; −grad × self / other² to other"),
        ("other", "self"),
    ),
    "DivBackward1": LocalRule(Message("grad / other to self"), ("other",)),
    "SumBackward0": LocalRule(
        Message("grad expanded to the input's shape: every element gets the same grad"),
        ("self_sym_sizes",),
    ),
    "SumBackward1": LocalRule(
        Message("grad expanded back along the summed dim to the input's shape"),
        ("dim", "self_sym_sizes"),
    ),
    "MeanBackward0": LocalRule(
        Message("grad expanded to the input's shape and divided by its number of elements"),
        ("self_sym_numel",),
    ),
    "MeanBackward1": LocalRule(
        Message("grad expanded back along dim and divided by that dim's size"),
        ("dim", "self_sym_sizes"),
    ),
    "DotBackward0": LocalRule(
        Message("grad × tensor to self; grad × self to tensor"),
        ("self", "tensor"),
    ),
    "MvBackward0": LocalRule(
        Message("outer(grad, vec) to self; selfᵀ @ grad to vec"),
        ("self", "vec"),
    ),
    "MmBackward0": LocalRule(
        Message("grad @ mat2ᵀ to self; selfᵀ @ grad to mat2"),
        ("self", "mat2"),
    ),
    "BmmBackward0": LocalRule(
        Message("grad @ mat2ᵀ to self; selfᵀ @ grad to mat2, batch by batch"),
        ("self", "mat2"),
    ),
    "AddmmBackward0": LocalRule(
        Message(
            "grad summed to the bias's shape (× beta) to the bias; grad "
            "@ mat2ᵀ to mat1; mat1ᵀ @ grad to mat2"
        ),
        ("mat1", "mat2"),
    ),
    "PowBackward0": LocalRule("grad × exponent × self^(exponent − 1)", ("exponent", "self")),
    "PowBackward1": LocalRule(
        Message(
            "grad × exponent × self^(exponent − 1) to self; grad × result × ln(self) to exponent"
        ),
        ("exponent", "self"),
    ),
    "ExpBackward0": LocalRule(
        Message("grad × result (exp is its own derivative)"),
        ("result",),
    ),
    "LogBackward0": LocalRule("grad / self", ("self",)),
    "SqrtBackward0": LocalRule("grad / (2 × result)", ("result",)),
    "SinBackward0": LocalRule("grad × cos(self)", ("self",)),
    "CosBackward0": LocalRule("−grad × sin(self)", ("self",)),
    "TanhBackward0": LocalRule("grad × (1 − result²)", ("result",)),
    "SigmoidBackward0": LocalRule("grad × result × (1 − result)", ("result",)),
    "ReluBackward0": LocalRule(Message("grad where result > 0, else 0"), ("result",)),
    "LeakyReluBackward0": LocalRule(
        Message("grad where self > 0, else grad × negative_slope"),
        ("self", "negative_slope"),
    ),
    "ClampMinBackward0": LocalRule(Message("grad where self ≥ min, else 0"), ("self", "min")),
    "ClampBackward1": LocalRule(
        Message("grad where min ≤ self ≤ max, else 0"),
        ("self", "min", "max"),
    ),
    "AbsBackward0": LocalRule("grad × sign(self)", ("self",)),
    "MaxBackward1": LocalRule(
        Message("grad to the largest element, 0 to the others"),
        ("self",),
    ),
    "MinBackward1": LocalRule(
        Message("grad to the smallest element, 0 to the others"),
        ("self",),
    ),
    "MaximumBackward0": LocalRule(
        Message("grad to whichever input is larger, element by element"),
        ("self", "other"),
    ),
    "LinalgVectorNormBackward0": LocalRule(
        Message("grad × self / result (2-norm)"),
        ("self", "result"),
    ),
    "MseLossBackward0": LocalRule(
        Message("grad × 2 × (self − target), divided by the number of elements when averaging"),
        ("self", "target"),
    ),
    "SoftmaxBackward0": LocalRule(
        Message("result × (grad − sum(grad × result) along dim)"),
        ("dim", "result"),
    ),
    "LogSoftmaxBackward0": LocalRule(
        Message("grad − softmax × sum(grad) along dim"),
        ("dim", "result"),
    ),
    "NllLossBackward0": LocalRule(
        Message(
            "−grad at each row's target class (divided by the row count "
            "when averaging), 0 elsewhere"
        ),
        ("target",),
    ),
    "TBackward0": LocalRule(Message("grad transposed back")),
    "TransposeBackward0": LocalRule(
        Message("grad with the two dims swapped back"), ("dim0", "dim1")
    ),
    "PermuteBackward0": LocalRule(Message("grad permuted back to the input's order"), ("dims",)),
    "ViewBackward0": _RESHAPE,
    "UnsafeViewBackward0": _RESHAPE,
    "ReshapeAliasBackward0": _RESHAPE,
    "ExpandBackward0": LocalRule(
        Message("grad summed over the expanded dims, back to the input's shape"),
        ("self_sym_sizes",),
    ),
    "UnsqueezeBackward0": LocalRule(Message("grad with the added dim removed again"), ("dim",)),
    "SqueezeBackward0": LocalRule(
        Message("grad with the squeezed dims put back"),
        ("self_sym_sizes",),
    ),
    "SqueezeBackward1": LocalRule(Message("grad with the squeezed dim put back"), ("dim",)),
    "SelectBackward0": _SCATTER,
    "SliceBackward0": _SCATTER,
    "IndexBackward0": _SCATTER,
    "CatBackward0": LocalRule(
        Message("grad cut along dim into one piece per input"),
        ("dim",),
    ),
    "StackBackward0": LocalRule(
        Message("grad split along dim, one slice per input"),
        ("dim",),
    ),
    "CloneBackward0": _PASS_THROUGH,
    "ToCopyBackward0": LocalRule(Message("grad converted back to the input's dtype and device")),
    ACCUMULATE_GRAD: LocalRule(Message("added into the leaf's .grad")),
}


def rule_for(op: str, is_custom: bool = False) -> LocalRule:
    """Return the rule of ``op`` (a grad_fn's name); a general one for ops not in the table."""
    if is_custom:
        return LocalRule(CUSTOM_RULE)
    rule = RULES.get(op)
    if rule is not None:
        return rule
    return LocalRule(GENERAL_RULE)


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
    return ", ".join(
        f"{_shown_as(name, language)} = {_operand_text(value, language)}"
        for name, value in captured.items()
    )


def _shown_as(name: str, language: str) -> str:
    """Return how the panel names operand ``name``: in words for saved attributes whose own
    names mean little to a learner."""
    if name == "self_sym_sizes":
        return translate("input shape", language)
    if name == "self_sym_numel":
        return translate("input elements", language)
    return name


def _operand_text(value: Any, language: str = "en") -> str:
    if isinstance(value, _ShapeOnly):
        dims = dims_text(value.shape)
        return translate("a {dims} tensor", language, dims=dims)
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
